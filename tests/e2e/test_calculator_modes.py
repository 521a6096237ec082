"""The calculator as a quality manager uses it: every mode, the URL round trip, errors,
keyboard-only use, narrow screens, printing and downloads, in real headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import LOAD_TIMEOUT, READY

from calculator import grade
from calculator.formats import FORMAT_VERSION

pytestmark = pytest.mark.browser


def settle(page: Any) -> tuple[str, str]:
    page.wait_for_selector('[data-result][aria-busy="false"]', state="attached")
    result = page.locator("[data-result]")
    return result.get_attribute("data-level") or "", result.get_attribute("data-score") or ""


def open_calculator(page: Any, site_url: str, query: str = "") -> None:
    page.goto(site_url + "calculator/" + query)
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)


def choose_mode(page: Any, mode: str) -> None:
    page.check(f'input[data-mode="{mode}"]')


def test_a_score_in_the_url_gives_the_first_result_without_typing(page: Any, site_url: str) -> None:
    open_calculator(page, site_url, "?score=93")
    assert page.input_value('input[name="score"]') == "93"
    assert settle(page) == ("four_star", "93")
    assert "五星级" in page.locator('[data-field="summary"]').inner_text()


def test_groups_mode_takes_a_reduced_applicable_maximum_and_round_trips_through_the_url(
    page: Any, context: Any, site_url: str
) -> None:
    open_calculator(page, site_url)
    choose_mode(page, "groups")
    panel = page.locator('[data-panel="groups"]')
    assert panel.locator('input[type="checkbox"]').count() == 0  # a whole group is never "not applicable"
    hint = page.locator("[data-reduced-hint]")
    assert hint.is_visible() and "30/31" in hint.inner_text()
    page.fill('input[name="service_system"]', "36")
    page.fill('input[name="commodity_service"]', "31")
    page.fill('input[name="customer_service"]', "22")
    assert settle(page) == ("three_star", "89")
    page.fill('input[name="commodity_service"]', "30/31")  # 4 of its 35 points ruled out by the auditor
    assert settle(page) == ("four_star", "275/3")  # (36 + 30 + 22) / 96 × 100: data-score is exact
    assert "91.66 分" in page.locator('[data-field="summary"]').inner_text()  # the text shows it rounded down
    assert page.locator("[data-charts] svg[role=img]").count() >= 1
    assert page.locator("[data-charts] figcaption").first.inner_text() != ""
    note = page.locator('[data-field="recover_note"]')
    assert "40/35/25" in note.inner_text() and "中等可信度" in note.inner_text()
    link = page.url
    assert "mode=groups" in link
    assert "commodity_service=30%2F31" in link
    again = context.new_page()
    again.goto(link.replace("commodity_service=", "commodity_service_na=1&commodity_service="))  # an old link
    again.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    assert settle(again) == ("four_star", "275/3")
    assert again.input_value('input[name="commodity_service"]') == "30/31"


def test_special_items_apply_after_normalising_and_five_deductions_fail(page: Any, site_url: str) -> None:
    open_calculator(page, site_url, "?score=94.5")
    assert settle(page)[0] == grade("94.5").level.code
    page.check('input[name="special_bonus"]')
    assert settle(page) == (grade("95.5").level.code, "95.5")
    page.fill('input[name="special_deductions"]', "5")
    level, _ = settle(page)
    assert level == "not_qualified"
    reasons = page.locator('[data-list="reasons"]').inner_text()
    assert "5" in reasons


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("score", "abc", "不是数字"),
        ("score", "-1", "负数"),
        ("score", "100.5", "不能超过"),
        ("special_deductions", "1.5", "整数"),
        ("special_deductions", "-2", "负数"),
    ],
)
def test_a_bad_field_is_marked_and_no_level_is_shown(
    page: Any, site_url: str, field: str, value: str, message: str
) -> None:
    open_calculator(page, site_url, "?score=90")
    assert settle(page)[0] == "four_star"
    page.fill(f'input[name="{field}"]', value)
    assert settle(page) == ("", "")
    control = page.locator(f'input[name="{field}"]')
    assert control.get_attribute("aria-invalid") == "true"
    error = page.locator(f'[data-error-for="{field}"]')
    assert error.get_attribute("id") in (control.get_attribute("aria-describedby") or "").split()
    assert message in error.inner_text()
    assert page.watch.page_errors == []


def test_indicator_mode_with_the_historical_profile_applies_its_per_item_floor(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    choose_mode(page, "indicators")
    page.select_option('select[name="profile"]', "sbt10401-fmcg")
    block = page.locator('[data-indicators-for="sbt10401-fmcg"]')
    fields = block.locator('input[type="text"]')
    assert fields.count() == 5
    for index in range(fields.count()):
        label_id = fields.nth(index).get_attribute("id")
        label = page.locator(f'label[for="{label_id}"]').inner_text()
        points = int(label.split("满分")[1].strip(" ）)"))
        fields.nth(index).fill(str(points))  # full marks everywhere …
    assert settle(page) == ("qualified", "100")  # SB/T 10401 passes or fails: no stars
    assert page.locator('[data-field="level"]').inner_text() == "合格"
    assert page.locator('[data-field="stars"]').inner_text() == ""
    # SB/T 10401 never had special items: not offered, with the reason.
    assert not page.locator('input[name="special_deductions"]').is_visible()
    assert page.locator('input[name="special_deductions"]').is_disabled()
    assert "GB/T 27922" in page.locator("[data-no-special-reason]").inner_text()
    first = fields.nth(0)
    first.fill("0")  # … but one item below half of its points
    level, _ = settle(page)
    assert level == "not_qualified"
    assert "50%" in page.locator('[data-list="reasons"]').inner_text()


def test_a_custom_profile_file_is_validated_and_becomes_fields(page: Any, site_url: str, tmp_path: Path) -> None:
    open_calculator(page, site_url)
    choose_mode(page, "indicators")
    page.select_option('select[name="profile"]', "custom")
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x", "groups": [{"id": "a", "points": -5}]}', encoding="utf-8")
    page.set_input_files("[data-profile-file]", str(broken))
    page.wait_for_function("() => document.querySelector('[data-error-for=profile_file]').textContent.length > 0")
    assert page.locator('[data-indicators-for="custom"] input').count() == 0


def test_batch_mode_reads_a_csv_and_offers_results_for_download(page: Any, site_url: str, tmp_path: Path) -> None:
    open_calculator(page, site_url)
    choose_mode(page, "batch")
    csv = tmp_path / "outlets.csv"
    csv.write_text(
        "id,total,special_deductions,special_bonus\n"
        "北京店,96,0,0\nshanghai,88,1,0\nguangzhou,abc,0,0\nshenzhen,69.99,0,0\n",
        encoding="utf-8",
    )
    page.set_input_files("[data-batch-file]", str(csv))
    rows = page.locator("[data-batch-rows] tr")
    rows.first.wait_for()
    assert rows.count() == 3
    assert "独立" in page.locator('[data-field="batch_summary"]').inner_text()
    assert [rows.nth(i).get_attribute("data-level") for i in range(3)] == ["five_star", "three_star", "not_qualified"]
    assert "guangzhou" in page.locator('[data-list="batch_errors"]').inner_text()
    assert page.locator('[data-field="batch_summary"]').inner_text() != ""
    with page.expect_download() as download:
        page.click("[data-download-batch]")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "北京店" in text
    assert "five_star" in text


def test_download_json_holds_inputs_and_result(page: Any, site_url: str) -> None:
    open_calculator(page, site_url, "?score=81")
    assert settle(page)[0] == "three_star"
    with page.expect_download() as download:
        page.click("[data-download-json]")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert (data["format"], data["format_version"]) == ("gbt27922.self-assessment", FORMAT_VERSION)
    assert data["inputs"]["score"] == "81"
    assert data["result"]["level"] == "three_star"
    assert (data["result"]["score"], data["result"]["display"]["score"]) == ("81", "81")
    assert data["result"]["reasons"]
    assert "charts" not in data["result"]


def test_keyboard_only_use(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    page.locator('input[data-mode="quick"]').focus()
    page.keyboard.press("ArrowDown")  # radio group: the next mode
    assert page.is_checked('input[data-mode="groups"]')
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.name")
    assert focused == "service_system"
    page.keyboard.type("40")
    page.keyboard.press("Tab")  # a group field has no "not applicable" box: the next field
    page.keyboard.type("35")
    page.keyboard.press("Tab")
    page.keyboard.type("20")
    assert settle(page) == (grade("95").level.code, "95")


def test_quick_mode_says_the_total_is_before_special_items_and_shows_the_arithmetic(page: Any, site_url: str) -> None:
    open_calculator(page, site_url, "?score=88&special_deductions=1")
    assert "特别项之前" in page.locator('label[for="gc-score"]').inner_text()
    assert "算两次" in page.locator("#gc-score-hint").inner_text()
    assert settle(page) == ("three_star", "87")
    assert "88 − 1 + 0 = 87" in page.locator('[data-field="arithmetic"]').inner_text()


def test_print_gives_a_self_assessment_record_with_its_disclaimer(page: Any, site_url: str) -> None:
    open_calculator(page, site_url, "?mode=groups&service_system=36&commodity_service=30%2F31&customer_service=22")
    assert settle(page) == ("four_star", "275/3")
    assert page.locator("[data-print]").inner_text() == "打印自评记录"
    assert not page.locator("[data-record]").is_visible()  # on screen the form shows the inputs
    page.emulate_media(media="print")
    assert not page.locator(".gc-actions").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator("[data-result]").is_visible()
    record = page.locator("[data-record]")
    assert record.is_visible()
    assert "自评记录" in record.inner_text()
    assert "这是自评估算，不是认证结论" in record.inner_text()
    assert "商品服务（满分 35）：30/31" in record.inner_text()
    address = page.locator('[data-field="record_address"]').inner_text()
    assert address.endswith("/calculator/") and "?" not in address
    assert len(page.locator('[data-field="record_date"]').inner_text()) == len("2026-01-01")
    assumptions = page.locator('[data-block="assumptions"]')
    assert assumptions.is_visible() and "40/35/25" in assumptions.inner_text()
    # the form itself is not printed (issue 29: it made 11 pages); the record lists its inputs
    assert not page.locator("#gc-groups-reduced").is_visible()
    assert not page.locator("form").first.is_visible()
    printed = page.locator("[data-calculator]").inner_text()
    assert "★" not in printed  # a star mark reads like a certificate
    assert "证书" not in printed and "报告" not in printed


@pytest.mark.parametrize("path", ["", "calculator/?score=93&mode=groups"])
def test_no_horizontal_scrolling_at_360_px(browser: Any, site_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(site_url + path)
        if "calculator" in path:
            page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
            settle(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        context.close()


def test_without_javascript_the_page_says_so_and_keeps_the_grade_table(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "calculator/")
        assert "需要启用 JavaScript" in page.locator(".gc-noscript").inner_text()
        assert page.locator("table").last.is_visible()
    finally:
        context.close()


# Records every request the page sends to the engine's worker, before the page's own scripts run.
RECORD_REQUESTS = """
window.__requests = [];
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
  if (message && message.type === "call") window.__requests.push(JSON.parse(message.request));
  return post.call(this, message, ...rest);
};
"""


def test_a_valid_custom_profile_becomes_fields_and_grades(page: Any, site_url: str, tmp_path: Path) -> None:
    page.add_init_script(RECORD_REQUESTS)
    open_calculator(page, site_url)
    choose_mode(page, "indicators")
    page.select_option('select[name="profile"]', "custom")
    sheet = tmp_path / "body.json"
    sheet.write_text(
        json.dumps(
            {
                "id": "body",
                "name": {"zh": "某机构评分表", "en": "A body's sheet"},
                "groups": [
                    {
                        "id": "g",
                        "name": "G",
                        "indicators": [
                            {"id": "hotline", "name": {"zh": "热线", "en": "Hotline"}, "points": 60},
                            {"id": "repairs", "name": {"zh": "维修", "en": "Repairs"}, "points": 40},
                        ],
                    }
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    page.set_input_files("[data-profile-file]", str(sheet))
    fields = page.locator('[data-indicators-for="custom"] input[type="text"]')
    fields.first.wait_for()
    assert fields.count() == 2
    assert "热线" in page.locator('[data-indicators-for="custom"] label').first.inner_text()
    page.fill('input[name="hotline"]', "57")
    page.fill('input[name="repairs"]', "38")
    assert settle(page) == (grade("95").level.code, "95")
    page.fill('input[name="repairs"]', "41")
    assert settle(page) == ("", "")
    assert page.locator('input[name="repairs"]').get_attribute("aria-invalid") == "true"
    # The file's text went to the engine once; every recomputation after that names it by its key.
    requests = page.evaluate("window.__requests")
    assert [request["action"] for request in requests if "profile_text" in request["input"]] == ["profile"]
    opened = next(index for index, request in enumerate(requests) if request["action"] == "profile")
    later = [request["input"] for request in requests[opened + 1 :] if request["action"] == "form"]
    # (A recomputation the profile choice queued may still go out without a profile, once, on a
    # busy machine; the ones for the typed scores carry the key.)
    keyed = [data for data in later if "profile_key" in data]
    assert len(keyed) >= len(later) - 1 and len(keyed) >= 2
    assert all(len(data["profile_key"]) == 64 for data in keyed)


def test_batch_mode_hides_the_shared_special_items(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    assert page.locator('input[name="special_deductions"]').is_visible()
    choose_mode(page, "batch")
    assert not page.locator('input[name="special_deductions"]').is_visible()
    choose_mode(page, "quick")
    assert page.locator('input[name="special_deductions"]').is_visible()


def test_a_gb18030_csv_with_chinese_headers_grades_outlets_into_bands(page: Any, site_url: str, tmp_path: Path) -> None:
    open_calculator(page, site_url)
    choose_mode(page, "batch")
    assert "独立" in page.locator('label:has(input[data-mode="batch"])').inner_text()
    csv = tmp_path / "网点.csv"  # as Excel on Chinese Windows saves "CSV (comma delimited)"
    csv.write_bytes("网点,总分,特别扣分项\r\n北京店,96,0\r\n上海店,88,1\r\n广州店,69,0\r\n".encode("gb18030"))
    page.set_input_files("[data-batch-file]", str(csv))
    rows = page.locator("[data-batch-rows] tr")
    rows.first.wait_for()
    assert [rows.nth(i).get_attribute("data-level") for i in range(3)] == ["five_star", "three_star", "not_qualified"]
    assert rows.nth(0).locator("td").nth(0).inner_text() == "北京店"
    assert rows.nth(0).locator("td").nth(2).inner_text() == "95 分及以上"
    assert "不是网点的认证等级" in page.locator("[data-level-column]").inner_text()
    summary = page.locator('[data-field="batch_summary"]').inner_text()
    assert "95 分及以上 1 个" in summary
    assert "得分最低：广州店（69）" in summary
    assert "平均分 84" in summary  # (96 + 87 + 69) / 3
    assert page.locator('[data-list="batch_errors"] li').count() == 0


def test_a_file_chosen_again_after_editing_is_read_again(page: Any, site_url: str, tmp_path: Path) -> None:
    """Fixing a CSV and choosing it again is the usual round; the browser sees the same file name."""
    open_calculator(page, site_url)
    choose_mode(page, "batch")
    csv = tmp_path / "outlets.csv"
    csv.write_text("id,total\nshop,96\n", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.click("[data-batch-file]")
    chooser.value.set_files(str(csv))
    page.wait_for_selector('[data-batch-rows] tr[data-level="five_star"]')
    csv.write_text("id,total\nshop,50\n", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.click("[data-batch-file]")
    chooser.value.set_files(str(csv))
    page.wait_for_selector('[data-batch-rows] tr[data-level="not_qualified"]')
