"""CSV files as spreadsheets save them, and CSV files a spreadsheet can open safely (issues 16.8 and 21.6)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InputError, load_profile
from calculator.batch import run_batch
from calculator.csvfiles import decode_csv_bytes, spreadsheet_safe, write_csv

CHINESE = "网点,售后服务体系,商品服务,顾客服务,特别扣分项\n上海浦东,36,31,22,1\n北京,40,35,25,0\n"


@pytest.mark.parametrize(
    "data",
    [
        CHINESE.encode("utf-8"),
        b"\xef\xbb\xbf" + CHINESE.encode("utf-8"),
        CHINESE.encode("utf-16"),  # with its byte-order mark, little-endian here
        b"\xfe\xff" + CHINESE.encode("utf-16-be"),
        CHINESE.encode("gb18030"),
        CHINESE.encode("gbk"),  # Excel's "CSV (comma delimited)" on Chinese Windows
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "gb18030", "gbk"],
)
def test_every_supported_encoding_grades_the_same(data: bytes) -> None:
    assert decode_csv_bytes(data) == CHINESE
    outcome = run_batch(data, load_profile())
    assert [(row.id, row.level.code) for row in outcome.rows] == [("上海浦东", "three_star"), ("北京", "five_star")]
    assert outcome.outlets  # the id column says 网点


@pytest.mark.parametrize(
    ("data", "zh", "en"),
    [
        ("id,total\nx,90\n".encode("utf-16-le"), "空字节", "NUL bytes"),  # UTF-16 without its mark
        (b"\xef\xbb\xbfid,total\n\xff,90\n", "不是 UTF-8", "not UTF-8"),
        (b"id,total\n\x81\x20,90\n", "无法识别文件的编码", "not recognised"),  # neither UTF-8 nor GB18030
        ("id,total\nCafé,90\n".encode("latin-1"), "无法识别文件的编码", "not recognised"),
    ],
)
def test_anything_else_gets_the_save_as_csv_utf8_advice(data: bytes, zh: str, en: str) -> None:
    with pytest.raises(InputError) as caught:
        run_batch(data, load_profile())
    assert caught.value.field == "batch_file"
    assert zh in caught.value.message.zh
    assert en in caught.value.message.en
    assert "CSV UTF-8" in caught.value.message.zh
    assert "CSV UTF-8" in caught.value.message.en


@pytest.mark.parametrize(
    "header",
    [
        "id,service_system,commodity_service,customer_service",
        "名称,售后服务体系,商品服务,顾客服务",
        "Company,After-sales service system,COMMODITY SERVICE, customer service ",
        "企业,售后服务体系,Commodity service,customer_service",
    ],
)
def test_headers_by_id_or_by_chinese_or_english_name(header: str) -> None:
    outcome = run_batch(f"{header}\nx,36,31,22\n", load_profile())
    assert [(row.id, row.score) for row in outcome.rows] == [("x", 89)]
    assert not outcome.outlets


@pytest.mark.parametrize("total", ["total", "总分", "Total"])
def test_the_total_column_by_either_name(total: str) -> None:
    data = f"网点,{total}\n徐汇,96\n".encode("gb18030")
    outcome = run_batch(data, load_profile())
    assert [(row.id, row.level.code) for row in outcome.rows] == [("徐汇", "five_star")]


def test_sbt_headers_by_chinese_name() -> None:
    profile = load_profile("sbt10401-fmcg")
    data = "企业,服务文化,服务制度,服务体系,客户投诉,服务改进\nA,12,12,20,40,16\nB,5,12,20,40,16\n".encode("gbk")
    outcome = run_batch(data, profile)
    assert [(row.id, row.level.code) for row in outcome.rows] == [("A", "qualified"), ("B", "not_qualified")]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://example.invalid","x")', '\'=HYPERLINK("http://example.invalid","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=1+1", "'=1+1"),  # already defused by its quote: kept as it is
        ("上海", "上海"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_spreadsheet_safe_cells(cell: str, safe: str) -> None:
    assert spreadsheet_safe(cell) == safe


def test_formula_ids_are_defused_in_the_batch_output_and_a_leading_tab_is_kept() -> None:
    """Issue 21.6: ids like =HYPERLINK(…) were copied unchanged; the id trimming removed a defusing tab."""
    text = 'id,total\n"=HYPERLINK(""http://x.invalid"")",90\n@SUM(1+1),80\n"\t+1",75\n-x,zz\n'
    outcome = run_batch(text, load_profile())
    assert [row.id for row in outcome.rows] == ['=HYPERLINK("http://x.invalid")', "@SUM(1+1)", "\t+1"]
    written = list(csv.reader(io.StringIO(outcome.to_csv())))
    assert [line[0] for line in written[1:]] == ['\'=HYPERLINK("http://x.invalid")', "'@SUM(1+1)", "'\t+1", "'-x"]
    assert written[4][-1].startswith("总分“zz”不是数字")  # the error row stays, with its message


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_no_written_cell_starts_a_formula(cells: list[str]) -> None:
    written = write_csv(["h"] * len(cells), [cells])
    row = next(iter(csv.reader(io.StringIO(written[written.index("\n") + 1 :]))), [""])
    for original, cell in zip(cells, row, strict=False):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert cell.removeprefix("'") == original or cell == original


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=60))
def test_any_bytes_decode_or_get_advice(data: bytes) -> None:
    try:
        text = decode_csv_bytes(data)
    except InputError as error:
        assert "CSV UTF-8" in error.message.en
        return
    assert isinstance(text, str)
