"""`python -m calculator`: output, exit status and messages, driven through `main()`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scale_lines import level_at

from calculator.cli import main
from calculator.formats import FORMAT_VERSION


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("argv", "status", "level"),
    [
        (["grade", "93", "--json"], 0, level_at("93")),
        (["grade", "９４．５", "--bonus", "--json"], 0, level_at("95.5")),
        (["grade", "99", "--special-deductions", "5", "--json"], 0, "not_qualified"),
        (["grade", "-5", "--json"], 2, None),
        (["grade", "abc", "--json"], 2, None),
        (["grade", "90", "--special-deductions", "1.5", "--json"], 2, None),
    ],
)
def test_grade(argv: list[str], status: int, level: str | None) -> None:
    code, out, err = run(*argv)
    assert code == status
    if level:
        assert json.loads(out)["level"] == level
        assert err == ""
    else:
        assert out == ""
        assert err.startswith("错误 / Error:")
        assert "Traceback" not in err


@settings(max_examples=150, deadline=None)
@given(score=st.text(max_size=12), deductions=st.text(max_size=4), bonus=st.booleans())
def test_any_grade_arguments_exit_0_or_2(score: str, deductions: str, bonus: bool) -> None:
    argv = ["grade", score, "--special-deductions", deductions, "--json", *(["--bonus"] if bonus else [])]
    code, out, err = run(*argv)
    assert code in (0, 2)
    if code == 0:
        assert json.loads(out)["level"]
    else:
        assert err and "Traceback" not in err


def test_grade_text_output_is_bilingual() -> None:
    code, out, _ = run("grade", "93")
    assert code == 0
    assert "四星级" in out
    assert "Four-star" in out


@pytest.mark.parametrize("argv", [["grade"], ["frobnicate"], [], ["grade", "90", "--bogus"], ["batch"]])
def test_usage_errors_exit_2_with_a_bilingual_message(argv: list[str]) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert "错误 / Error: 命令行参数有误 / bad arguments" in err
    assert "Traceback" not in err


def test_help_goes_to_the_output() -> None:
    code, out, err = run("--help")
    assert (code, err) == (0, "")
    assert "grade" in out and "assess" in out and "batch" in out and "profiles" in out


def test_assess_json_and_yaml(tmp_path: Path) -> None:
    data = {
        "profile": "gbt27922",
        "groups": {"service_system": 36, "commodity_service": "30/31", "customer_service": 22},
        "special_deductions": 1,
        "special_bonus": False,
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run("assess", str(path), "--json")
    result = json.loads(out)
    assert code == 0
    assert (result["level"], result["score"], result["normalized_score"]) == ("four_star", "272/3", "275/3")
    assert result["display"]["score"] == "90.66"
    pytest.importorskip("yaml")
    yaml_path = tmp_path / "a.yaml"
    yaml_path.write_text(
        "groups: {service_system: 40, commodity_service: 35, customer_service: 20}\n", encoding="utf-8"
    )
    assert json.loads(run("assess", str(yaml_path), "--json")[1])["level"] == level_at("95")


def test_assess_with_indicator_profile_and_custom_profile_file(tmp_path: Path) -> None:
    path = tmp_path / "i.json"
    path.write_text(
        json.dumps(
            {
                "indicators": {
                    "culture": "met",
                    "rules": 12,
                    "system": {"samples": 4, "nonconforming": 1},
                    "complaints": 40,
                    "improvement": "na",
                }
            }
        ),
        encoding="utf-8",
    )
    code, out, _ = run("assess", str(path), "--profile", "sbt10401-fmcg", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["score"] == "1975/21"  # (12 + 12 + 15 + 40) / 84 × 100 = 94.047…, exact
    assert shown["display"]["score"] == "94.04"  # rounded down for people
    profile = tmp_path / "body.json"
    profile.write_text(
        json.dumps({"id": "b", "groups": [{"id": "x", "points": 50}, {"id": "y", "points": 50}]}), "utf-8"
    )
    other = tmp_path / "g.json"
    other.write_text(json.dumps({"groups": {"x": 50, "y": 30}}), "utf-8")
    assert json.loads(run("assess", str(other), "--profile", str(profile), "--json")[1])["level"] == "three_star"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[1, 2]", "应为一个对象"),
        ('{"groups": {"service_system": 50, "commodity_service": 1, "customer_service": 1}}', "不能超过 40"),
        ('{"groups": {}, "colour": 1}', "未知字段"),
        ('{"indicators": {"culture": 1}}', "请使用 “groups”"),
        ("{broken", "JSON"),
        ('{"groups": {"service_system": 40}, "indicators": {}}', "不要用 “indicators”"),
        ('{"profile": "nope", "groups": {}}', "没有名为“nope”"),
        (
            '{"groups": {"service_system": "na", "commodity_service": "na", "customer_service": "na"}}',
            "不能整体判为不适用",
        ),
        ('{"groups": {"service_system": "1e99999999", "commodity_service": 1, "customer_service": 1}}', "不能超过 40"),
    ],
)
def test_assess_errors(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run("assess", str(path))
    assert code == 2
    assert out == ""
    assert fragment in err


def test_every_bad_field_is_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        '{"groups": {"service_system": "x", "commodity_service": 99, "customer_service": 1}, "special_deductions": -1}',
        encoding="utf-8",
    )
    code, out, err = run("assess", str(path))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 3
    assert all(line.startswith("错误 / Error: ") for line in err.splitlines())


def test_yaml_without_pyyaml_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    path = tmp_path / "a.yaml"
    path.write_text("groups: {service_system: 40}\n", encoding="utf-8")
    code, _, err = run("assess", str(path))
    assert code == 2
    assert "YAML 需要安装 PyYAML" in err
    assert "YAML needs PyYAML installed, JSON always works" in err


def test_the_option_profile_wins_over_the_files(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        '{"profile": "gbt27922", "indicators": {"culture": "met", "rules": "met", "system": "met", "complaints": "met", "improvement": "met"}}',
        "utf-8",
    )
    code, out, _ = run("assess", str(path), "--profile", "sbt10401-fmcg", "--json")
    assert (code, json.loads(out)["profile"]) == (0, "sbt10401-fmcg")


def test_missing_file_is_a_message(tmp_path: Path) -> None:
    code, _, err = run("assess", str(tmp_path / "nothing.json"))
    assert code == 2
    assert "无法读取" in err
    code, _, err = run("batch", str(tmp_path))  # a folder
    assert code == 2
    assert "无法读取" in err
    (tmp_path / "latin1.csv").write_bytes("id,total\nCafé,90\n".encode("latin-1"))
    code, _, err = run("batch", str(tmp_path / "latin1.csv"))
    assert code == 2
    assert "UTF-8" in err
    (tmp_path / "a.json").write_text('{"groups": {}}', encoding="utf-8")
    code, _, err = run("assess", str(tmp_path / "a.json"), "--profile", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "nope.yaml" in err


def test_batch_reports_bad_rows_and_continues(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "id,service_system,commodity_service,customer_service,special_deductions,special_bonus\n"
        "a,40,35,25,0,0\nb,36,15/18,22,1,0\nc,41,1,1,0,0\nd,30,30,10,0,1\n",
        encoding="utf-8",
    )
    code, out, err = run("batch", str(path))
    assert code == 1
    assert out.splitlines() == [
        "\ufeffid,score,score_exact,level,points_to_next,error",
        "a,100,100,five_star,,",
        "b,86.95,7217/83,three_star,3.05,",
        "c,,,,,售后服务体系不能超过 40。 / After-sales service system cannot be more than 40.",
        "d,71,71,compliant,9,",
    ]
    assert "第 4 行（c）" in err
    assert "Line 4 (c)" in err


def test_batch_json_and_bad_header(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,total\nx,96\ny,71\n", encoding="utf-8")
    code, out, _ = run("batch", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["level_counts"] == {"not_qualified": 0, "compliant": 1, "three_star": 0, "four_star": 0, "five_star": 1}
    assert data["lowest"][0]["id"] == "y"
    path.write_text("name,score\nx,96\n", encoding="utf-8")
    code, _, err = run("batch", str(path))
    assert code == 2
    assert "缺少列" in err


def test_profiles_lists_sources() -> None:
    code, out, _ = run("profiles")
    assert code == 0
    assert (
        "sbt10401-fmcg: SB/T 10401-2006 快速消费品（历史） / SB/T 10401-2006 fast-moving goods (historical) [历史 / historical]"
        in out
    )
    assert "lieju-points" in out
    assert "service_system 40, commodity_service 35, customer_service 25" in out
    code, out, _ = run("profiles", "--json")
    listed = json.loads(out)
    assert (listed["format"], listed["format_version"]) == ("gbt27922.profiles", 2)
    assert [p["id"] for p in listed["profiles"]] == ["gbt27922", "sbt10401-durable", "sbt10401-fmcg"]


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide")
def test_the_real_command() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "calculator", "grade", "abc"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert "不是数字" in completed.stderr


def test_json_carries_the_exact_value_typed() -> None:
    """Issues 16.6 and 24: `grade 79.999 --json` reported "79.99" in its value field."""
    code, out, _ = run("grade", "79.999", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["score"], data["normalized_score"], data["points_to_next"]) == ("79.999", "79.999", "0.001")
    assert (data["display"]["score"], data["display"]["points_to_next"]) == ("79.99", "0.01")
    assert "exact" not in data


@pytest.mark.parametrize(
    "args",
    [
        ("grade", "88", "--json"),
        ("profiles", "--json"),
        ("checklist", "--json"),
        ("assess", "--template"),
    ],
)
def test_every_json_document_names_its_format_and_version(args: tuple[str, ...]) -> None:
    code, out, _ = run(*args)
    data = json.loads(out)
    assert code == 0
    assert data["format"].startswith("gbt27922.") and data["format_version"] == FORMAT_VERSION
    assert list(data)[:2] == ["format", "format_version"]  # first, so a script reads them before the rest


def test_a_document_of_another_kind_or_a_newer_version_is_refused(tmp_path: Path) -> None:
    _, template, _ = run("assess", "--template")
    path = tmp_path / "a.json"
    path.write_text(template, encoding="utf-8")
    assert run("assess", str(path), "--json")[0] == 0  # the template reads back as it is
    for key, value in (("format", "gbt27922.readiness-answers"), ("format_version", FORMAT_VERSION + 1)):
        path.write_text(json.dumps({**json.loads(template), key: value}), encoding="utf-8")
        code, out, err = run("assess", str(path))
        assert (code, out) == (2, "")
        assert "format" in err and "Traceback" not in err


def test_english_plurals() -> None:
    _, out, _ = run("grade", "94")
    assert "94 points: Four-star, 1 point short of Five-star." in out
    assert "1 points" not in out
    _, out, _ = run("grade", "93", "--special-deductions", "1")
    assert "1 special deduction item takes off 1 point" in out


def test_id_and_score_columns_point_to_total(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,score\nx,96\n", encoding="utf-8")
    code, out, err = run("batch", str(path))
    assert (code, out) == (2, "")
    assert "total" in err
    assert "总分" in err


def test_help_documents_keys_columns_and_an_example() -> None:
    code, out, _ = run("assess", "--help")
    assert code == 0
    for word in ("profile", "groups", "indicators", "special_deductions", "special_bonus", "30/31", "--template"):
        assert word in out
    code, out, _ = run("batch", "--help")
    assert code == 0
    for word in ("网点", "outlet", "total", "总分", "special_deductions", "GB18030", "band", "例 / example"):
        assert word in out


@pytest.mark.parametrize("profile", ["gbt27922", "sbt10401-durable"])
def test_templates_are_examples_that_work(tmp_path: Path, profile: str) -> None:
    code, document, _ = run("assess", "--template", "--profile", profile)
    assert code == 0
    path = tmp_path / "a.json"
    path.write_text(document, encoding="utf-8")
    code, out, _ = run("assess", str(path), "--json")
    assert (code, json.loads(out)["profile"]) == (0, profile)
    code, rows, _ = run("batch", "--template", "--profile", profile)
    assert code == 0
    path = tmp_path / "rows.csv"
    path.write_text(rows, encoding="utf-8")
    code, out, _ = run("batch", str(path), "--profile", profile, "--json")
    assert code == 0
    assert json.loads(out)["outlets"] is True
    assert len(json.loads(out)["rows"]) == 2


def test_sbt_tables_are_pass_or_fail_and_refuse_special_items(tmp_path: Path) -> None:
    """Issue 16.1: a full SB/T 10401 table returned "100 分：五星级"."""
    path = tmp_path / "a.json"
    values = {"culture": 12, "rules": 12, "system": 20, "complaints": 40, "improvement": 16}
    path.write_text(json.dumps({"profile": "sbt10401-fmcg", "indicators": values}), encoding="utf-8")
    code, out, _ = run("assess", str(path))
    assert code == 0
    assert out.startswith("100 分：合格。\n100 points: Qualified.")
    assert "星" not in out
    path.write_text(
        json.dumps({"profile": "sbt10401-fmcg", "indicators": values, "special_deductions": 1}), encoding="utf-8"
    )
    code, out, err = run("assess", str(path))
    assert (code, out) == (2, "")
    assert "没有特别扣分项" in err


def test_a_whole_group_cannot_be_excluded(tmp_path: Path) -> None:
    """Issue 16.2: two groups "na" gave "96 分：五星级"."""
    path = tmp_path / "a.json"
    path.write_text(
        '{"groups": {"service_system": "na", "commodity_service": "na", "customer_service": 24}}', encoding="utf-8"
    )
    code, out, err = run("assess", str(path))
    assert (code, out) == (2, "")
    assert err.count("不能整体判为不适用") == 2


def test_a_batch_file_as_excel_saves_it_on_chinese_windows(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes("网点,总分\n上海浦东,96\n广州天河,71\n".encode("gbk"))
    code, out, _ = run("batch", str(path))
    assert code == 0
    assert out.splitlines() == [
        "\ufeffid,score,score_exact,band,points_to_next,error",
        "上海浦东,96,96,five_star,,",
        "广州天河,71,71,compliant,9,",
    ]
    code, out, _ = run("batch", str(path), "--json")
    summary = json.loads(out)["summary"]
    assert "不是网点的认证等级" in summary["zh"]
    assert "not an outlet's certificate grade" in summary["en"]


@pytest.mark.skipif(sys.platform == "emscripten", reason="no special files in Pyodide's file system")
@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "folder", "fifo"])
def test_only_regular_files_are_read(tmp_path: Path, special: str) -> None:
    """Issue 21.12: /dev/zero read until MemoryError; a fifo blocked forever."""
    import os

    if special == "folder":
        special = str(tmp_path)
    elif special == "fifo":
        special = str(tmp_path / "pipe.json")
        os.mkfifo(special)
    document = tmp_path / "a.json"
    document.write_text('{"groups": {"service_system": 40, "commodity_service": 35, "customer_service": 25}}')
    for argv in (["assess", special], ["batch", special], ["assess", str(document), "--profile", special]):
        code, out, err = run(*argv)
        assert (code, out) == (2, ""), argv
        assert "不是普通文件" in err or "无法读取" in err
        assert "Traceback" not in err


def test_a_profile_file_is_bounded(tmp_path: Path) -> None:
    from calculator.profiles import MAX_PROFILE_BYTES

    big = tmp_path / "big.json"
    big.write_text(" " * (MAX_PROFILE_BYTES + 1), encoding="utf-8")
    document = tmp_path / "a.json"
    document.write_text('{"groups": {}}', encoding="utf-8")
    code, _, err = run("assess", str(document), "--profile", str(big))
    assert code == 2
    assert "too large" in err
    long_name = tmp_path / ("x" * 300)
    code, _, err = run("assess", str(long_name))
    assert code == 2
    assert "Traceback" not in err
    for profile in ("x" * 300, str(long_name), "y" * 300 + ".json"):  # once an OSError traceback
        code, _, err = run("assess", str(document), "--profile", profile)
        assert code == 2
        assert err.startswith("错误 / Error: ")


def test_a_document_never_opens_its_profile_as_a_file(tmp_path: Path) -> None:
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"id": "p", "groups": [{"id": "x", "points": 10}]}), encoding="utf-8")
    document = tmp_path / "a.json"
    document.write_text(json.dumps({"profile": str(profile), "groups": {"x": 5}}), encoding="utf-8")
    code, _, err = run("assess", str(document))
    assert code == 2
    assert "没有名为" in err
    assert json.loads(run("assess", str(document), "--profile", str(profile), "--json")[1])["score"] == "50"


def test_a_billion_laughs_document_exits_2(tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{','.join('*' + previous for _ in range(9))}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run("assess", str(path))
    assert code == 2
    assert len(err) < 2000
    code, _, err = run("assess", str(path), "--profile", str(path))
    assert code == 2
    assert len(err) < 2000


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide")
def test_piping_into_head_ends_quietly(tmp_path: Path) -> None:
    """Issue 16.7: `batch big.csv | head` ended in a BrokenPipeError traceback."""
    path = tmp_path / "big.csv"
    path.write_text("id,total\n" + "".join(f"r{n},{n % 100}\n" for n in range(60_000)), encoding="utf-8")
    for extra in ([], ["--json"]):
        command = subprocess.Popen(
            [sys.executable, "-m", "calculator", "batch", str(path), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert command.stdout is not None and command.stderr is not None
        command.stdout.read(10)
        command.stdout.close()  # the reader goes away, as `head` does
        err = command.stderr.read().decode()
        command.wait()
        assert "Traceback" not in err
        assert "BrokenPipeError" not in err


@pytest.mark.skipif(sys.platform == "emscripten", reason="pyproject.toml is not in Pyodide's file system")
def test_the_console_command_is_declared() -> None:
    import tomllib

    from calculator import cli

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    scripts = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["scripts"]
    module, _, function = scripts["gbt27922"].partition(":")
    assert (module, function) == ("calculator.cli", "console")
    assert callable(cli.console)


def test_help_template_and_outputs_agree() -> None:
    """Issue 30: `batch --help` showed Chinese headers while --template wrote English ones, and the
    CLI's CSV had no BOM while the page's download has one."""
    _, help_text, _ = run("batch", "--help")
    code, template, _ = run("batch", "--template")
    assert code == 0 and template.startswith("\ufeff")
    for line in template.lstrip("\ufeff").splitlines():
        assert f"  {line}" in help_text.splitlines()  # the help's example is the template itself
    assert template.lstrip("\ufeff").startswith("网点,售后服务体系,商品服务,顾客服务")


def test_readiness_template_lists_every_question_and_reads_back(tmp_path: Path) -> None:
    code, out, _ = run("readiness", "--template")
    template = json.loads(out)
    assert code == 0
    assert (template["format"], template["format_version"]) == ("gbt27922.readiness-answers", FORMAT_VERSION)
    checklist = json.loads(run("checklist", "--json")[1])
    ids = [item["id"] for g in checklist["groups"] for i in g["indicators"] for item in i["items"]]
    assert list(template["answers"]) == ids and set(template["answers"].values()) == {""}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**template, "answers": dict.fromkeys(ids, "met")}), encoding="utf-8")
    code, out, _ = run("readiness", str(path), "--json")
    assert (code, json.loads(out)["level"]) == (0, "five_star")


@pytest.mark.parametrize("extra", [["--output", "plan.xlsx"], ["answers.json"]])
def test_readiness_template_with_an_output_or_a_file_says_so_and_writes_nothing(
    extra: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("readiness", "--template", *extra)
    assert code == 2 and out == ""
    assert "--template" in err and "> answers.json" in err
    assert not list(tmp_path.iterdir())
