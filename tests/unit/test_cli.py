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
        "groups": {"service_system": 36, "commodity_service": "na", "customer_service": 22},
        "special_deductions": 1,
        "special_bonus": False,
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run("assess", str(path), "--json")
    result = json.loads(out)
    assert code == 0
    assert (result["level"], result["score"], result["normalized_score"]) == ("three_star", "88.23", "89.23")
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
    assert json.loads(out)["score"] == "94.04"  # (12 + 12 + 15 + 40) / 84 × 100 = 94.047…, rounded down
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
        ('{"groups": {"service_system": "na", "commodity_service": "na", "customer_service": "na"}}', "没有任何适用"),
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
        "a,40,35,25,0,0\nb,36,na,22,1,0\nc,41,1,1,0,0\nd,30,30,10,0,1\n",
        encoding="utf-8",
    )
    code, out, err = run("batch", str(path))
    assert code == 1
    assert out.splitlines() == [
        "id,score,level,points_to_next",
        "a,100,five_star,",
        "b,88.23,three_star,1.77",
        "d,71,compliant,9",
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
    assert [p["id"] for p in json.loads(out)] == ["gbt27922", "sbt10401-durable", "sbt10401-fmcg"]


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide")
def test_the_real_command() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "calculator", "grade", "abc"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert "不是数字" in completed.stderr
