"""Workbooks in and out (calculator/workbooks.py): real .xlsx files written by openpyxl here, and hostile ones."""

from __future__ import annotations

import io
import re
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from calculator import batch as batch_module
from calculator.batch import run_batch
from calculator.errors import InputError
from calculator.profiles import load_profile
from calculator.readiness import assess_document
from calculator.words import word

openpyxl = pytest.importorskip("openpyxl")

from calculator import workbooks  # noqa: E402 (after the skip: it needs openpyxl for these tests)

GROUPS = ["售后服务体系", "商品服务", "顾客服务"]


def xlsx(*sheets: tuple[str, list[list[Any]]], merges: dict[str, list[str]] | None = None) -> bytes:
    """A workbook with these sheets (name, rows), written by openpyxl."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edit_member(data: bytes, name: str, edit: Any) -> bytes:
    """The workbook with one member's bytes changed by `edit` (openpyxl cannot write a cached value)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, edit(body) if info.filename == name else body)
    return out.getvalue()


def errors_of(result: Any) -> dict[int, str]:
    return {error.line: error.message().en for error in result.errors}


def test_the_first_sheet_with_chinese_headers_text_numbers_and_30_of_31() -> None:
    data = xlsx(
        ("网点评分", [["网点", *GROUPS, "特别扣分项"], ["北京", 36, "31", 22, 0], ["上海", "38", "30/31", 20.5, "1"]]),
        ("其他", [["nothing", "here"]]),
    )
    result = run_batch(data, load_profile())
    assert result.sheet == "网点评分"
    assert result.sheets == ("网点评分", "其他")
    assert result.outlets
    assert not result.errors
    beijing, shanghai = result.rows
    assert (beijing.line, beijing.id, beijing.score) == (2, "北京", Fraction(89))
    same = run_batch(f"网点,{','.join(GROUPS)},特别扣分项\n上海,38,30/31,20.5,1\n", load_profile()).rows[0]
    assert (shanghai.score, shanghai.level) == (same.score, same.level)  # as the same row in a CSV
    assert result.to_dict()["sheets"] == ["网点评分", "其他"]


def test_a_chosen_sheet_and_an_unknown_one() -> None:
    data = xlsx(("first", [["id", "total"], ["a", 50]]), ("second", [["id", "总分"], ["b", 95], [], ["c", "70"]]))
    result = run_batch(data, load_profile(), sheet="second")
    assert [(row.line, row.id) for row in result.rows] == [(2, "b"), (4, "c")]  # the empty row is skipped
    with pytest.raises(InputError) as caught:
        run_batch(data, load_profile(), sheet="third")
    assert "first" in caught.value.message.en and "second" in caught.value.message.en


def test_numbers_as_the_sheet_shows_them() -> None:
    data = xlsx(("s", [["id", "total"], ["a", 79.999], ["b", 0.1 + 0.2 + 79.7], ["c", 1e-20]]))
    result = run_batch(data, load_profile())
    assert result.rows[0].score == Fraction("79.999")
    assert result.rows[1].score == Fraction(80)  # 80.00000000000001 shows as 80
    assert result.rows[2].score == Fraction(1, 10**20)  # not 1e-20, which no score reads


def test_a_formula_uses_its_cached_value_or_its_row_is_an_error() -> None:
    data = xlsx(("s", [["id", "total"], ["cached", "=40+50"], ["missing", "=40+51"], ["plain", 60]]))
    # openpyxl writes formulas without a result; give the first one the value a spreadsheet would keep.
    data = edit_member(
        data, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<f>40+50</f><v />", b"<f>40+50</f><v>90</v>")
    )
    result = run_batch(data, load_profile())
    assert [(row.id, row.score) for row in result.rows] == [("cached", Fraction(90)), ("plain", Fraction(60))]
    assert "Cell B3 holds a formula" in errors_of(result)[3]


def test_merged_title_and_two_row_header() -> None:
    rows: list[list[Any]] = [
        ["2026 年网点自评"],
        ["网点", "得分", None, None],
        [None, *GROUPS],
        ["广州", 30, 30, 20],
    ]
    data = xlsx(("s", rows), merges={"s": ["A1:D1", "B2:D2", "A2:A3"]})
    result = run_batch(data, load_profile())
    assert not result.errors
    assert [(row.line, row.id, row.score) for row in result.rows] == [(4, "广州", Fraction(80))]


def test_results_workbook_has_every_row_numbers_as_numbers_and_no_formula() -> None:
    result = run_batch('id,total\n"=HYPERLINK(""x"")",90\nbad,abc\n@sum,66.666\n', load_profile())
    data = workbooks.batch_workbook(result, load_profile(), "2026-12-05", sheet="s")
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    book = openpyxl.load_workbook(io.BytesIO(data))
    results, about = book.worksheets
    table = [[cell.value for cell in row] for row in results.iter_rows()]
    assert table[0][:4] == ["line", "id", "score", "score_exact"]
    assert [row[1] for row in table[1:]] == ['=HYPERLINK("x")', "bad", "@sum"]
    assert all(cell.data_type != "f" for row in results.iter_rows() for cell in row)
    assert table[1][2:5] == [90, "90", "four_star"]  # a number, its exact text, the level's code
    assert isinstance(table[1][2], int)
    assert table[3][2] == 66.66 and table[3][3] == "66.666"
    assert table[2][2] is None and "Line 3" not in table[2][7] and table[2][7]  # the error row keeps its message
    texts = " ".join(str(cell.value) for row in about.iter_rows() for cell in row if cell.value)
    assert "2026-12-05" in texts and "gbt27922" in texts


def test_readiness_plan_workbook() -> None:
    result = assess_document({"answers": {}})
    data = workbooks.readiness_workbook(result, "2026-12-05", guide="https://example.org/prepare-audit/")
    book = openpyxl.load_workbook(io.BytesIO(data))
    plan = book.worksheets[0]
    table = [[cell.value for cell in row] for row in plan.iter_rows()]
    assert table[0] == [word(f"workbook.plan_{column}").zh for column in workbooks.PLAN_COLUMNS]
    assert table[0][:2] == ["一级指标", "二级指标"] and table[0][-2:] == ["负责人", "完成日期"]
    assert len(table) - 1 == len(result.gaps) > 0
    first = table[1]
    assert first[2] == result.gaps[0].item.id
    assert isinstance(first[5], int | float) and first[5] > 0
    assert first[7].startswith("https://example.org/prepare-audit/#evidence-")
    assert first[8] is None and first[9] is None  # owner and due date, to fill in


@pytest.mark.parametrize(
    ("data", "en"),
    [
        (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600), "old Excel workbook (.xls) or a password-protected"),
        (b"PK\x03\x04\x14\x00rest of a workbook", "damaged"),
    ],
)
def test_xls_password_protected_and_corrupt_workbooks_say_what_works(data: bytes, en: str) -> None:
    with pytest.raises(InputError) as caught:
        run_batch(data, load_profile())
    assert en in caught.value.message.en
    assert ".xlsx" in caught.value.message.zh and "CSV" in caught.value.message.en


def test_a_zip_that_is_no_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(InputError) as caught:
        run_batch(out.getvalue(), load_profile())
    assert "not an Excel workbook" in caught.value.message.en


def test_a_zip_bomb_is_refused_from_its_directory() -> None:
    data = xlsx(("s", [["id", "total"], ["a", 90]]))
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/media/padding.bin", bytes(workbooks.RATIO_FROM * 5))  # inflates about 1,000 times
    with pytest.raises(InputError) as caught:
        run_batch(bomb.getvalue(), load_profile())
    assert "unpacks too large" in caught.value.message.en


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    # The limit, lowered for the test: 100,001 rows took 15 s to write here (and more in Pyodide).
    limit = 50
    monkeypatch.setattr(batch_module, "MAX_BATCH_ROWS", limit)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(["id", "total"])
    for number in range(limit + 1):
        sheet.append([number, 90])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InputError) as caught:
        run_batch(out.getvalue(), load_profile())
    assert "more than" in caught.value.message.en and f"{limit:,}" in caught.value.message.en


def test_without_openpyxl_the_message_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)
    with pytest.raises(InputError) as caught:
        run_batch(xlsx(("s", [["id", "total"]])), load_profile())
    assert "gbt27922-calculator[xlsx]" in caught.value.message.en
    assert re.search("openpyxl", caught.value.message.zh)


def test_without_the_workbook_module_a_workbook_is_refused_and_an_xls_still_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The browser's worker adds calculator.workbooks only for a workbook request: without it, an
    .xlsx says the support is not loaded, and an .xls is refused by what it is, before any download."""
    import calculator

    monkeypatch.setitem(__import__("sys").modules, "calculator.workbooks", None)
    monkeypatch.delattr(calculator, "workbooks")  # as at the worker's start: the module is not there
    with pytest.raises(InputError) as caught:
        run_batch(xlsx(("s", [["id", "total"], ["a", 90]])), load_profile())
    assert "not been loaded" in caught.value.message.en and "还没有加载" in caught.value.message.zh
    with pytest.raises(InputError) as caught:
        run_batch(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600), load_profile())
    assert "old Excel workbook (.xls)" in caught.value.message.en and ".xlsx" in caught.value.message.zh


# --- the command line ----------------------------------------------------------------------------


def cli(*argv: str) -> tuple[int, str, str]:
    from calculator.cli import main

    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_cli_batch_reads_a_chosen_sheet_and_writes_a_workbook(tmp_path: Path) -> None:
    source = tmp_path / "outlets.xlsx"
    source.write_bytes(
        xlsx(
            ("说明", [["这一页不是数据"]]), ("评分", [["网点", "总分"], ["北京", "93"], ["上海", "=1/0"], ["广州", 70]])
        )
    )
    target = tmp_path / "results.xlsx"
    status, out, err = cli("batch", str(source), "--sheet", "评分", "--output", str(target))
    assert status == 1 and out == ""  # a row failed; the results went to the file
    assert "Line 3 (#3): Cell B3 holds a formula" in err
    book = openpyxl.load_workbook(target)
    table = [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]
    assert [row[1] for row in table[1:]] == ["北京", "#3", "广州"]  # every row, in order
    assert [row[2] for row in table[1:]] == [93, None, 70]
    assert not any(cell.data_type == "f" for row in book.worksheets[0].iter_rows() for cell in row)
    about = " ".join(str(cell.value) for row in book.worksheets[1].iter_rows() for cell in row if cell.value)
    assert "评分" in about and "gbt27922" in about

    csv_target = tmp_path / "results.csv"
    assert cli("batch", str(source), "--sheet", "评分", "--output", str(csv_target))[0] == 1
    assert csv_target.read_bytes().startswith(b"\xef\xbb\xbfid,score")


def test_cli_refuses_a_sheet_for_a_csv_and_an_unknown_output(tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_text("id,total\na,90\n", encoding="utf-8")
    assert "--sheet is for .xlsx workbooks only" in cli("batch", str(source), "--sheet", "x")[2]
    status, _, err = cli("batch", str(source), "--output", str(tmp_path / "out.ods"))
    assert status == 2 and ".xlsx, .csv" in err


def test_cli_readiness_plan_as_a_workbook(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"answers": {}}', encoding="utf-8")
    plan = tmp_path / "plan.xlsx"
    status, out, _ = cli(
        "readiness", str(answers), "--output", str(plan), "--lang", "en", "--site-url", "https://e.org/"
    )
    assert status == 0 and "Estimate" in out
    rows = list(openpyxl.load_workbook(plan).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Group", "Indicator", "Item")
    assert rows[1][7].startswith("https://e.org/en/prepare-audit/#evidence-")


def test_cli_help_says_workbooks() -> None:
    assert "--sheet NAME" in cli("batch", "--help")[1]
    assert "plan.xlsx" in cli("readiness", "--help")[1]


def test_a_first_sheet_without_a_batch_names_the_others_and_the_page_gets_them() -> None:
    import json

    from calculator.browser import handle

    data = xlsx(("说明", [["只是说明"]]), ("数据", [["id", "total"], ["a", 90]]))
    with pytest.raises(InputError) as caught:
        run_batch(data, load_profile())
    assert "数据" in caught.value.message.zh and "choose one" in caught.value.message.en
    answer = json.loads(handle(json.dumps({"action": "batch", "input": {}}), data))
    assert (answer["ok"], answer["sheet"], answer["sheets"]) == (False, "说明", ["说明", "数据"])
    answer = json.loads(handle(json.dumps({"action": "batch", "input": {"sheet": "数据"}}), data))
    assert answer["ok"] and answer["result"]["row_count"] == 1 and answer["result"]["sheets"] == ["说明", "数据"]
    book = json.loads(handle(json.dumps({"action": "batch_workbook", "input": {"sheet": "数据", "date": "d"}}), data))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(__import__("base64").b64decode(book["result"]["xlsx"]))).worksheets[0].values
    )
    assert rows[1][1] == "a"
