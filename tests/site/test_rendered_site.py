"""What a reader sees on every built page (scripts/tools/rendered_check.py): no template syntax or
raw Markdown in the visible text, no link or anchor that leads nowhere, no untranslated sentence,
no English page shaped differently from its Chinese twin.
Issue 24: the calculator page showed two template comments while 1,246 tests passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.tools.rendered_check import check_site, main, read_page

ZH = '<html lang="zh"><body>{}</body></html>'
EN = '<html lang="en"><body>{}</body></html>'

CASES = [
    # (what, page file, html, expected rule or None)
    ("a leaked Jinja comment", "calculator/index.html", ZH.format("<p>{#- 这里预加载脚本 #}</p>"), "template"),
    ("a printed expression", "index.html", ZH.format("<p>满分 {{ scale_max }} 分</p>"), "template"),
    ("a printed statement", "index.html", ZH.format("<p>{% include 'x' %}</p>"), "template"),
    ("raw bold", "index.html", ZH.format("<p>**注意**：证书有效期</p>"), "markdown"),
    ("a raw link", "index.html", ZH.format("<p>见[流程](process.md)</p>"), "markdown"),
    ("a raw admonition", "index.html", ZH.format("<p>!!! tip 提示</p>"), "markdown"),
    ("a raw attribute list", "index.html", ZH.format("<p>按钮{: .md-button }</p>"), "markdown"),
    ("a Chinese sentence on an English page", "en/index.html", EN.format("<p>The body audits. 证书有效期三年。</p>"), "language"),
    ("an English sentence on a Chinese page", "index.html", ZH.format("<p>说明：Press Retry to start it again.</p>"), "language"),
    ("a broken anchor", "index.html", ZH.format('<p><a href="#nowhere">x</a></p>'), "link"),
    ("a missing page", "index.html", ZH.format('<p><a href="gone/">x</a></p>'), "link"),
    ("a plural after one", "en/index.html", EN.format("<p>Each item takes 1 points off.</p>"), "english"),
    ("a capitalised level name", "en/index.html", EN.format("<p>Then the result is Not qualified.</p>"), "english"),
    ("a Chinese list comma", "en/index.html", EN.format("<p>Codes A、B and C.</p>"), "english"),
    ("a term's other spelling", "en/index.html", EN.format("<p>Each non-conformity costs points.</p>"), "english"),
    ("a grade called a level", "en/index.html", EN.format("<p>See which level you could reach.</p>"), "english"),
    ("an English twin with a paragraph more", "en/calculator/index.html", EN.format("<article><p>Calculator.</p></article>"), "twin"),
    # What a page may do.
    ("text outside the article, as the twins share it", "en/calculator/index.html", EN.format("<p>Calculator.</p>"), None),
    ("an indicator's level", "en/index.html", EN.format("<p>The three first-level indicators.</p>"), None),
    ("a level name opening a cell", "en/index.html", EN.format("<td>Five-star</td>"), None),
    ("template syntax in code", "index.html", ZH.format("<p><code>{{ five_star }}</code></p>"), None),
    ("a script's braces", "index.html", ZH.format("<script>if (a) {{ b() }}</script><p>好</p>"), None),
    ("a quoted Chinese title", "en/index.html", EN.format("<p>The standard 《商品售后服务评价体系》 applies.</p>"), None),
    ("a bracketed term", "en/index.html", EN.format("<p>special deduction items (特别扣分项)</p>"), None),
    ("a marked Chinese title", "en/index.html", EN.format('<p><span lang="zh">认证证书和认证标志管理办法</span></p>'), None),
    ("a short English name", "index.html", ZH.format("<p>用 GB/T 27922 评价</p>"), None),
    ("a marked English title", "index.html", ZH.format('<p><i lang="en">Evaluation system for after-sales service</i></p>'), None),
    ("an anchor that exists", "index.html", ZH.format('<h2 id="levels">等级</h2><a href="#levels">等级</a>'), None),
    ("the calculator's inputs", "index.html", ZH.format('<a href="calculator/#mode=readiness">自查</a>'), None),
]


@pytest.mark.parametrize(("what", "name", "html", "rule"), CASES, ids=[case[0] for case in CASES])
def test_each_rule_on_a_crafted_page(tmp_path: Path, what: str, name: str, html: str, rule: str | None) -> None:
    (tmp_path / "calculator").mkdir()
    (tmp_path / "calculator" / "index.html").write_text(ZH.format("<p>计算器</p>"), encoding="utf-8")
    page = tmp_path / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(html, encoding="utf-8")
    rules = {finding.rule for finding in check_site(tmp_path)}
    assert rules == ({rule} if rule else set()), what


def test_the_command_fails_on_a_page_with_a_leaked_comment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "index.html").write_text(ZH.format("<p>好</p>"), encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    (tmp_path / "index.html").write_text(ZH.format("<p>{#- a comment #}</p>"), encoding="utf-8")
    assert main([str(tmp_path)]) == 1
    assert "index.html: template:" in capsys.readouterr().out


def test_visible_text_leaves_out_scripts_and_keeps_hidden_panels() -> None:
    page = read_page(ZH.format('<script>x = "{{"</script><div hidden><p>批量</p></div><style>a{}</style>'))
    assert [text for text, _, _ in page.texts] == ["批量"]


def test_every_built_page_reads_clean(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert {"404.html", "en/404.html", "calculator/index.html", "en/calculator/index.html"} <= {
        page.relative_to(built_site).as_posix() for page in pages
    }
    links = sum(len(read_page(page.read_text(encoding="utf-8")).links) for page in pages)
    assert links > 500, "the check must see the site's links"
    assert [str(finding) for finding in check_site(built_site)] == []
