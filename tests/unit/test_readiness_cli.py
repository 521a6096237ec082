"""`python -m calculator checklist` and `readiness FILE`: output, exit status and messages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from calculator.cli import main
from calculator.readiness import handle, load_model


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_checklist_json_lists_groups_indicators_and_items_with_stable_ids() -> None:
    status, out, err = run("checklist", "--json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    model = load_model()
    assert [group["id"] for group in data["groups"]] == ["service_system", "commodity_service", "customer_service"]
    items = [item for g in data["groups"] for i in g["indicators"] for item in i["items"]]
    assert [item["id"] for item in items] == [item.id for item in model.items]
    assert all(item["question"]["zh"] and item["question"]["en"] for item in items)
    assert all(
        item["id"].startswith(i["id"] + ".") for g in data["groups"] for i in g["indicators"] for item in i["items"]
    )


def test_checklist_text_shows_each_id_with_its_question() -> None:
    status, out, _ = run("checklist")
    assert status == 0
    for item in load_model().items:
        assert f"{item.id}: {item.question.zh}" in out
    assert "not_met = 否" in out


def test_readiness_json_gives_the_contract_fields(tmp_path: Path) -> None:
    model = load_model()
    answers = {item.id: "met" for item in model.items}
    status, out, err = run("readiness", write(tmp_path, {"answers": answers}), "--json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert (data["score"], data["score_low"], data["score_high"]) == ("100", "100", "100")
    assert (data["level"], data["level_low"], data["level_high"]) == ("five_star",) * 3
    assert data["gaps"] == []
    assert data["unanswered_count"] == 0
    assert {g["id"] for g in data["readiness"]["groups"]} == {"service_system", "commodity_service", "customer_service"}


def test_readiness_gives_the_same_numbers_as_the_browser_call(tmp_path: Path) -> None:
    items = load_model().items
    document = {
        "answers": {items[0].id: "met", items[1].id: "partly", items[-1].id: "na"},
        "special_deductions": 1,
        "special_bonus": True,
    }
    status, out, _ = run("readiness", write(tmp_path, document), "--json")
    assert status == 0
    from_cli = json.loads(out)
    from_page = handle({"action": "readiness", "input": document})
    assert from_page == {"ok": True, "result": from_cli}
    assert from_cli["unanswered_count"] == len(items) - 3
    assert from_cli["special_deductions"] == 1


def test_readiness_text_names_the_level_range_gaps_and_assumptions(tmp_path: Path) -> None:
    first = load_model().items[0]
    status, out, _ = run("readiness", write(tmp_path, {"answers": {first.id: "partly"}}))
    assert status == 0
    assert "估计" in out and "Estimate" in out
    assert "不合格" in out and "Not qualified" in out
    assert f"{first.id} [部分 / partly]" in out
    assert "假设 / assumptions:" in out
    assert "未回答 / unanswered" in out


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"answers": {"organisation.nope": "met"}}, "organisation.nope"),
        ({"answers": {load_model().items[0].id: "yes"}}, "yes"),
        ({"answers": {}, "special_deductions": -1}, "special"),
        ({"answers": {item.id: "na" for item in load_model().items}}, "售后服务体系"),
        ({"answer": {}}, "answer"),
    ],
)
def test_bad_input_is_a_bilingual_error_with_exit_status_2(tmp_path: Path, document: object, expected: str) -> None:
    status, out, err = run("readiness", write(tmp_path, document), "--json")
    assert status == 2
    assert out == ""
    assert err.startswith("错误 / Error: ")
    assert expected.lower() in err.lower()
    assert "Traceback" not in err


def test_a_missing_or_broken_file_is_an_error_with_exit_status_2(tmp_path: Path) -> None:
    status, _, err = run("readiness", str(tmp_path / "absent.json"))
    assert status == 2
    assert "无法读取" in err and "Cannot read" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"answers": {', encoding="utf-8")
    status, _, err = run("readiness", str(broken), "--json")
    assert status == 2
    assert "自查文件" in err and "readiness file" in err


def test_readiness_needs_a_file_argument() -> None:
    status, _, err = run("readiness")
    assert status == 2
    assert "bad arguments" in err
