"""Workbooks on the calculator page: an .xlsx graded in Chromium, its results and the readiness plan
downloaded as .xlsx (opened here with openpyxl), and a cold visit that fetches no workbook file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import LOAD_TIMEOUT, READY

openpyxl = pytest.importorskip("openpyxl")

pytestmark = pytest.mark.browser
WORKBOOK_FILES = ("openpyxl", "et_xmlfile", "gc_workbooks", "gc_workbook_stdlib")  # the on-demand wheels


def open_calculator(page: Any, site_url: str) -> None:
    page.goto(site_url + "calculator/")
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)


def workbook_requests(page: Any) -> list[str]:
    return [url for url in page.watch.seen if any(name in url for name in WORKBOOK_FILES)]


def cells(data: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    first = book.worksheets[0]
    assert all(cell.data_type != "f" for row in first.iter_rows() for cell in row)
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    return [[cell.value for cell in row] for row in first.iter_rows()]


def test_a_cold_visit_fetches_no_workbook_file(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    page.fill("input[name=score]", "93")
    page.wait_for_selector('[data-result][data-level="four_star"]')
    page.wait_for_timeout(2500)  # the service worker's precache and the snapshot come after the first answer
    assert workbook_requests(page) == []


def test_the_page_grades_a_workbook_and_its_results_download_as_a_workbook(
    page: Any, site_url: str, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本页不是数据"])
    scores = book.create_sheet("网点得分")
    scores.append(["网点", "售后服务体系", "商品服务", "顾客服务"])
    scores.append(["北京", 36, "31", 22])
    scores.append(["=上海", "38", "30/31", 20])  # a text id that looks like a formula: stays text
    scores.append(["广州", "=1+1", 30, 20])  # a formula without a cached value: that row is an error
    path = tmp_path / "outlets.xlsx"
    book.save(path)
    # openpyxl writes "=上海" as a formula too: make it the text a person typed.
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                body = body.replace(
                    b'<c r="A3"><f>\xe4\xb8\x8a\xe6\xb5\xb7</f><v /></c>',
                    b'<c r="A3" t="inlineStr"><is><t>=\xe4\xb8\x8a\xe6\xb5\xb7</t></is></c>',
                )
            target.writestr(info.filename, body)
    path.write_bytes(out.getvalue())

    open_calculator(page, site_url)
    page.check('input[data-mode="batch"]')
    page.set_input_files("[data-batch-file]", str(path))
    # The first sheet holds no header: its message comes back, and the picker offers the other one.
    page.wait_for_function("() => document.querySelector('[data-error-for=batch_file]').textContent.length > 0")
    picker = page.locator("[data-batch-sheet]")
    assert picker.is_visible()
    assert picker.locator("option").all_inner_texts() == ["说明", "网点得分"]
    page.select_option("[data-batch-sheet]", "网点得分")
    rows = page.locator("[data-batch-rows] tr")
    rows.first.wait_for()
    assert rows.count() == 2
    assert "B4" in page.locator('[data-list="batch_errors"]').inner_text()
    assert workbook_requests(page)  # loaded for this workbook only
    # What openpyxl needs of the standard library comes in its own small wheel, not the 1.8 MB rest.
    assert not [url for url in page.watch.seen if "python_stdlib_rest" in url]

    with page.expect_download() as download:
        page.click("[data-download-batch-xlsx]")
    assert download.value.suggested_filename == "batch-results.xlsx"
    table = cells(Path(download.value.path()).read_bytes())
    assert [row[1] for row in table[1:]] == ["北京", "=上海", "#4"]  # every row, the error one included
    assert isinstance(table[1][2], int | float) and table[1][2] == 89
    assert table[3][7]  # the error row keeps its message


def test_the_readiness_plan_downloads_as_a_workbook(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    page.check('input[data-mode="readiness"]')
    with page.expect_download(timeout=LOAD_TIMEOUT) as download:
        page.click("[data-readiness-workbook]")
    assert download.value.suggested_filename == "readiness-plan.xlsx"
    table = cells(Path(download.value.path()).read_bytes())
    assert table[0][:3] == ["一级指标", "二级指标", "编号"]
    assert len(table) > 10
    assert "/prepare-audit/#evidence-" in table[1][7]
    assert table[1][8] is None and table[1][9] is None
