"""Batch files: one assessment per CSV row, bad rows reported by line, and a fast path that agrees exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InputError, assess, grade, load_profile, parse_profile
from calculator.batch import run_batch

HEADER = "id,service_system,commodity_service,customer_service,special_deductions,special_bonus\n"


def test_rows_errors_and_summary() -> None:
    text = (
        "\ufeff"
        + HEADER
        + "北京,40,35,25,,\n上海,36,30/31,22,1,0\n广州,x,1,1,0,0\n\n深圳,20,20,10,0,0\n杭州,30,30,20,5,1\n"
    )
    outcome = run_batch(text, load_profile())
    assert [(r.line, r.id, r.level.code) for r in outcome.rows] == [
        (2, "北京", "five_star"),
        (3, "上海", "four_star"),
        (6, "深圳", "not_qualified"),
        (7, "杭州", "not_qualified"),
    ]
    assert [(e.line, e.id, e.error.field) for e in outcome.errors] == [(4, "广州", "service_system")]
    assert outcome.level_counts() == {
        "not_qualified": 2,
        "compliant": 0,
        "three_star": 0,
        "four_star": 1,
        "five_star": 1,
    }
    assert list(outcome.level_counts()) == ["not_qualified", "compliant", "three_star", "four_star", "five_star"]
    assert [r.id for r in outcome.lowest(2)] == ["深圳", "杭州"]
    summary = outcome.summary()
    assert summary.zh == (
        "共 4 行有结果，1 行有误。每行是一次独立的自评估算，行与行互不影响。"
        "各等级：不合格 2 个、四星级 1 个、五星级 1 个。得分最低：深圳（50）、杭州（76）、上海（90.66）。平均分 79.16。"
    )
    assert "Rows assessed: 4; with errors: 1. Each row is an independent self-assessment" in summary.en
    assert outcome.mean() == (100 + 50 + 76 + Fraction(8800, 96) - 1) / 4
    assert outcome.to_dict()["mean"] == "475/6"  # 79.1666…: it does not terminate, so a fraction
    assert outcome.to_dict()["display"]["mean"] == "79.16"
    assert outcome.errors[0].message().zh.startswith("第 4 行（广州）：")
    assert outcome.errors[0].message().en.startswith("Line 4 (广州): ")


def test_output_csv() -> None:
    outcome = run_batch(HEADER + "a,40,35,25,0,0\nb,36,15/18,22,1,0\nc,30,30,10,0,1\nd,x,1,1,0,0\n", load_profile())
    assert outcome.to_csv().splitlines() == [
        "id,score,score_exact,level,points_to_next,error",
        "a,100,100,five_star,,",
        "b,86.95,7217/83,three_star,3.05,",
        "c,71,71,compliant,9,",
        "d,,,,,售后服务体系“x”不是数字。 / After-sales service system “x” is not a number.",
    ]


def test_totals_instead_of_groups() -> None:
    outcome = run_batch("id,total,special_deductions\nx,96,\ny,71,1\nz,69.999,\nw,abc,\n", load_profile())
    assert [(r.id, r.level.code, r.score) for r in outcome.rows] == [
        ("x", "five_star", 96),
        ("y", "compliant", 70),
        ("z", "not_qualified", Fraction("69.999")),
    ]
    assert [(e.line, e.error.field) for e in outcome.errors] == [(5, "score")]


def test_a_quoted_cell_over_several_lines_keeps_line_numbers_right() -> None:
    outcome = run_batch('id,total\na,90\n"b\nsecond line",80\nc,zz\n', load_profile())
    assert [(r.line, r.id) for r in outcome.rows] == [(2, "a"), (3, "b\nsecond line")]
    assert [e.line for e in outcome.errors] == [5]


def test_an_unreadable_line_is_an_error_and_the_rest_go_on() -> None:
    text = 'id,total\na,90\nb,"' + "x" * 200_000 + '"\nc,71\n'  # a field beyond the csv module's limit
    outcome = run_batch(text, load_profile())
    assert [r.id for r in outcome.rows] == ["a", "c"]
    assert [(e.line, e.error.field) for e in outcome.errors] == [(3, "batch_file")]
    assert "无法按 CSV 读取" in outcome.errors[0].message().zh


def test_cells_people_type() -> None:
    outcome = run_batch(HEADER + " a , ３６ ,３１．５, 22 , １ ,是\nb,36,31,22,,\n", load_profile())
    assert [(r.id, r.score) for r in outcome.rows] == [("a", Fraction("89.5")), ("b", 89)]


def test_a_short_row_is_missing_its_values() -> None:
    outcome = run_batch(HEADER + "a,40\n", load_profile())
    assert [e.error.field for e in outcome.errors] == ["commodity_service"]


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("", "CSV 文件是空的", "The CSV file is empty"),
        ("\n\n", "CSV 文件是空的", "The CSV file is empty"),
        ("service,score\nx,96\n", "缺少列：id、service_system", "missing columns: id, service_system"),
        ("id,score\nx,96\n", "总分请放在名为 total 或“总分”的列", "a total goes in a column named total (or 总分)"),
        ("id,service_system\nx,36\n", "可用列名：id", "or one total column (total/总分)"),
        ("id,total,colour\nx,96,red\n", "无法识别的列：colour", "unknown columns: colour"),
        ("id,total,total\nx,96,95\n", "重复的列：total", "repeats columns: total"),
        ("id,total,service_system\nx,96,40\n", "不能同时有：service_system", "not both: service_system"),
    ],
)
def test_an_unusable_header_stops_the_file(text: str, zh: str, en: str) -> None:
    with pytest.raises(InputError) as caught:
        run_batch(text, load_profile())
    assert caught.value.field == "batch_file"
    assert zh in caught.value.message.zh
    assert en in caught.value.message.en


def test_unnamed_columns_are_ignored() -> None:
    assert [r.id for r in run_batch("id,total,,\nx,96,,\n", load_profile()).rows] == ["x"]


def test_the_per_item_floor_on_both_paths() -> None:
    profile = load_profile("sbt10401-fmcg")
    text = "id,culture,rules,system,complaints,improvement\nx,5.99,12,20,40,16\ny,6,12,20,40,16\nz,met,12,20,40,16\n"
    rows = run_batch(text, profile).rows
    assert [(r.id, r.level.code) for r in rows] == [("x", "not_qualified"), ("y", "qualified"), ("z", "qualified")]


def test_a_profile_with_its_own_levels() -> None:
    profile = parse_profile(
        {
            "id": "body",
            "groups": [{"id": "a", "points": 6}, {"id": "b", "points": 4}],
            "levels": [{"code": "pass", "zh": "通过", "en": "Pass", "min_score": 60, "stars": 1}],
        }
    )
    outcome = run_batch("id,a,b\nx,3,3\ny,3,2.99\nz,3,na\nw,3,2/4\n", profile)
    assert [(r.id, r.level.code) for r in outcome.rows] == [
        ("x", "pass"),
        ("y", "not_qualified"),
        ("w", "not_qualified"),
    ]
    assert [(e.id, e.error.field) for e in outcome.errors] == [("z", "b")]  # a group cannot be ruled out
    assert outcome.level_counts() == {"not_qualified": 2, "pass": 1}


cell = st.one_of(
    st.decimals(min_value=0, max_value=45, places=2).map(str),
    st.integers(0, 45).map(str),
    st.sampled_from(["na", "", " 7 ", "３", "x", "-1", "1e1", ".5", "5."]),
)
count = st.one_of(st.integers(0, 7).map(str), st.sampled_from(["", "1.0", "1.5", "-1", "a"]))
flag = st.sampled_from(["", "0", "1", "是", "2", "x"])
ROWS = st.lists(st.tuples(cell, cell, cell, count, flag), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(rows=ROWS, name=st.sampled_from(["gbt27922", "sbt10401-fmcg"]))
def test_the_fast_path_agrees_with_the_explained_one(rows: list[tuple[str, str, str, str, str]], name: str) -> None:
    """Every row gives exactly what `assess` gives for it, or the same field error."""
    profile = load_profile(name)
    ids = [unit.id for unit in profile.units]
    lines = []
    for index, (a, b, c, deductions, bonus) in enumerate(rows):
        cells = [a, b, c, *(["12", "16"] if name != "gbt27922" else [])][: len(ids)]
        lines.append(",".join([f"r{index}", *cells, deductions, bonus]))
    text = ",".join(["id", *ids, "special_deductions", "special_bonus"]) + "\n" + "\n".join(lines) + "\n"
    outcome = run_batch(text, profile)
    results = {row.id: row for row in outcome.rows}
    failures = {error.id: error.error for error in outcome.errors}
    for index, line in enumerate(lines):
        cells = line.split(",")
        try:
            expected = assess(profile, dict(zip(ids, cells[1 : len(ids) + 1], strict=True)), cells[-2], cells[-1])
        except InputError as error:
            assert failures[f"r{index}"].field == error.field
            continue
        got = results[f"r{index}"]
        assert (got.score, got.level, got.points_to_next) == (expected.score, expected.level, expected.points_to_next)


@settings(max_examples=150, deadline=None)
@given(total=st.decimals(min_value=0, max_value=100, places=3), deductions=st.integers(0, 6), bonus=st.booleans())
def test_totals_agree_with_grade(total: object, deductions: int, bonus: bool) -> None:
    outcome = run_batch(
        f"id,total,special_deductions,special_bonus\nx,{total},{deductions},{int(bonus)}\n", load_profile()
    )
    expected = grade(str(total), deductions, bonus)
    row = outcome.rows[0]
    assert (row.score, row.level, row.points_to_next) == (expected.score, expected.level, expected.points_to_next)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('id,total\n"\r 9.5na\ufeff\x00')), max_size=80))
def test_any_text_is_rows_errors_or_a_header_error(text: str) -> None:
    try:
        outcome = run_batch(text, load_profile())
    except InputError as error:
        assert error.field == "batch_file"
        return
    for row in outcome.rows:
        assert 0 <= row.score <= 100
    for failure in outcome.errors:
        assert failure.message().zh and failure.message().en


@pytest.mark.parametrize("label", ["网点", "outlet", "Store", "门店"])
def test_outlet_rows_get_a_band_never_a_certificate_level(label: str) -> None:
    """Issue 16.3: batch called every row an outlet's star grade."""
    outcome = run_batch(f"{label},total\n浦东,96\n徐汇,71\n", load_profile())
    assert outcome.outlets
    summary = outcome.summary()
    assert "每行是一次独立的估算" in summary.zh
    assert "分数段不是网点的认证等级" in summary.zh
    # Issue 28: bands are score ranges, named by score, not by a level's name.
    assert "各分数段：70 分至不足 80 分 1 个、95 分及以上 1 个。" in summary.zh
    assert "Per band: 70 to under 80 points 1, 95 points or more 1." in summary.en
    assert "not an outlet's certificate grade" in summary.en
    data = outcome.to_dict()
    assert (data["level_column"], data["rows"][0]["band_name"]) == (
        "band",
        {"zh": "95 分及以上", "en": "95 points or more"},
    )
    assert outcome.to_csv().splitlines()[0] == "id,score,score_exact,band,points_to_next,error"


def test_an_outlet_failed_by_special_deductions_keeps_its_range_and_says_why() -> None:
    outcome = run_batch("网点,total,特别扣分项\n北京,96,5\n上海,50,0\n", load_profile())
    names = [row["band_name"] for row in outcome.to_dict()["rows"]]
    assert names[0] == {
        "zh": "90 分至不足 95 分（特别扣分项已达不合格条件）",  # 96 − 5 × 1
        "en": "90 to under 95 points (special deduction items reach the fail rule)",
    }
    assert names[1] == {"zh": "不足 70 分", "en": "under 70 points"}
    assert "各分数段：不足 70 分 1 个、90 分至不足 95 分（特别扣分项已达不合格条件） 1 个。" in outcome.summary().zh


@pytest.mark.parametrize("label", ["id", "企业", "company", "名称"])
def test_company_rows_are_independent_assessments(label: str) -> None:
    outcome = run_batch(f"{label},total\nA,96\nB,71\n", load_profile())
    assert not outcome.outlets
    assert "每行是一次独立的自评估算，行与行互不影响。" in outcome.summary().zh
    assert "Each row is an independent self-assessment" in outcome.summary().en
    assert "band_name" not in outcome.to_dict()["rows"][0]


def test_a_floor_profile_needs_its_items_not_a_total() -> None:
    """A total cannot show SB/T 10401's per-item floor: it would pass a table the floor fails."""
    with pytest.raises(InputError) as caught:
        run_batch("id,total\nx,96\n", load_profile("sbt10401-fmcg"))
    assert "50%" in caught.value.message.zh
    assert "culture" in caught.value.message.en


def test_sbt_rows_with_special_items_are_errors_on_both_paths() -> None:
    header = "id,culture,rules,system,complaints,improvement,special_deductions,special_bonus\n"
    text = header + "a,12,12,20,40,16,1,\nb,12,12,20,40,16,,1\nc,12,12,20,40,16,0,0\nd,１２,12,20,40,16,,\n"
    outcome = run_batch(text, load_profile("sbt10401-fmcg"))
    assert [(row.id, row.level.code) for row in outcome.rows] == [("c", "qualified"), ("d", "qualified")]
    assert [(error.id, error.error.field) for error in outcome.errors] == [
        ("a", "special_deductions"),
        ("b", "special_bonus"),
    ]


def test_limits_on_a_file_are_stated(monkeypatch: pytest.MonkeyPatch) -> None:
    from calculator import batch

    with pytest.raises(InputError, match="split it into several files"):
        run_batch(b"id,total\n" + b"x,1\n" * (batch.MAX_BATCH_BYTES // 4), load_profile())
    monkeypatch.setattr(batch, "MAX_BATCH_ROWS", 10)
    with pytest.raises(InputError, match="more than 10 rows"):
        run_batch("id,total\n" + "x,1\n" * 12, load_profile())
    assert len(run_batch("id,total\n" + "x,1\n" * 10, load_profile()).rows) == 10
