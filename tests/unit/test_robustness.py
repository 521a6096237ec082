"""Hostile and huge inputs on the Python side (issue 21): each probe of the issue, replayed.

Every test here failed on the code before the fix; none of them needs a file system.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InputError, InputErrors, assess, assess_document, grade, load_profile, parse_profile
from calculator.batch import run_batch
from calculator.errors import Message, shown, shown_path
from calculator.numbers import parse_number
from calculator.profiles import MAX_PARTS, MAX_PROFILE_BYTES, MAX_TEXT_LENGTH, parse_profile_text
from calculator.textdata import load_structured

LABEL = Message("总分", "Score")
HUGE = "9" * 5000  # beyond Python's 4,300-digit limit for int()
BIDI = "\u202e\u2066\u200f\u061c"


@pytest.mark.parametrize("cells", [f"{HUGE},1,1", f"1,{HUGE}.5,1", f"1,1,0.{HUGE}"])
def test_21_2_and_13_a_5000_digit_cell_is_that_rows_error(cells: str) -> None:
    text = f"id,service_system,commodity_service,customer_service\nbig,{cells}\nok,36,31,22\n"
    outcome = run_batch(text, load_profile())
    assert [row.id for row in outcome.rows] == ["ok"]
    assert [(error.id, error.line) for error in outcome.errors] == [("big", 2)]
    assert "位数太多" in outcome.errors[0].message().zh


@pytest.mark.parametrize("column", ["total", "special_deductions"])
def test_21_13_a_5000_digit_total_or_count_is_that_rows_error(column: str) -> None:
    row = {"total": "90", "special_deductions": "0"} | {column: HUGE}
    outcome = run_batch(
        f"id,total,special_deductions\nbig,{row['total']},{row['special_deductions']}\n", load_profile()
    )
    assert outcome.rows == ()
    assert outcome.errors[0].error.field == ("score" if column == "total" else "special_deductions")


@settings(max_examples=60, deadline=None)
@given(digits=st.integers(60, 6000), where=st.sampled_from(["int", "frac", "exp"]))
def test_21_2_no_length_of_digits_escapes_as_an_exception(digits: int, where: str) -> None:
    typed = {"int": "1" * digits, "frac": "0." + "1" * digits, "exp": "1e" + "1" * min(digits, 400)}[where]
    with pytest.raises(InputError):
        parse_number(typed, "score", LABEL, maximum=Fraction(100))
    with pytest.raises(InputError):
        grade(typed)


def test_21_8_zero_with_any_exponent_is_exactly_zero() -> None:
    """`0e999` said "more than 100"; its exact value is 0, and the exponent of zero says nothing about size."""
    assert parse_number("0e999", "score", LABEL, maximum=Fraction(100)) == 0
    assert parse_number("0E-999", "score", LABEL, maximum=Fraction(100)) == 0
    assert grade("0e999").level.code == "not_qualified"
    assert grade("0e999").score == 0


@pytest.mark.parametrize("typed", ["\ufeff93", "93\ufeff", "\u200b93", "\u202e93\u202c", "\u2066９３\u2069"])
def test_21_8_invisible_marks_around_a_number_are_ignored(typed: str) -> None:
    assert parse_number(typed, "score", LABEL, maximum=Fraction(100)) == 93


def test_21_8_bidi_controls_never_reach_a_message() -> None:
    with pytest.raises(InputError) as caught:
        grade(f"{BIDI}abc{BIDI}{'x' * 60}")
    text = caught.value.message.zh + caught.value.message.en
    assert not any(char in text for char in BIDI)
    assert "\\u202e" in text  # shown as an escape, so the reader sees it was there
    outcome = run_batch(f"id,total\n{BIDI}evil,zz\n", load_profile())
    message = outcome.errors[0].message()
    assert not any(char in message.zh + message.en for char in BIDI)


def test_21_8_profile_ids_ending_in_na_are_refused() -> None:
    """The page names a part's not-applicable box ID_na: a part called x_na would clash with x's."""
    data = {
        "id": "clash",
        "groups": [{"id": "g", "indicators": [{"id": "a", "points": 5}, {"id": "a_na", "points": 5}]}],
    }
    with pytest.raises(InputError) as caught:
        parse_profile(data)
    assert "a_na" in caught.value.message.en
    assert "_na" in caught.value.message.zh


def test_21_8_a_missing_profile_is_named_and_an_empty_one_is_said_so() -> None:
    with pytest.raises(InputError) as caught:
        load_profile("nonexistent")
    assert "没有名为“nonexistent”的评分表" in caught.value.message.zh
    with pytest.raises(InputError) as caught:
        load_profile("")
    assert "No profile was chosen" in caught.value.message.en
    assert "“”" not in caught.value.message.zh


def laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{','.join('*' + previous for _ in range(9))}]")
    return "\n".join(lines)


@pytest.mark.parametrize("where", ["profile", "groups value", "special_bonus", "unknown key"])
def test_21_11_billion_laughs_in_a_document_fails_fast(where: str) -> None:
    pytest.importorskip("yaml")
    bomb = laughs()
    body = {
        "profile": "profile: *i\n",
        "groups value": "groups: {service_system: *i, commodity_service: 1, customer_service: 1}\n",
        "special_bonus": "groups: {service_system: 1, commodity_service: 1, customer_service: 1}\nspecial_bonus: *i\n",
        "unknown key": "extra: *i\n",
    }[where]
    data = load_structured(bomb + "\n" + body, "file", LABEL)
    data = {key: value for key, value in data.items() if len(key) > 1}  # drop the alias definitions a…i
    with pytest.raises(InputError) as caught:
        assess_document(data)
    assert len(str(caught.value)) < 2000


def test_21_11_billion_laughs_as_a_profile_fails_fast() -> None:
    pytest.importorskip("yaml")
    text = laughs() + "\nid: bomb\ngroups: *i\nname: *h\n"
    with pytest.raises(InputError) as caught:
        parse_profile_text(text)
    assert len(str(caught.value)) < 2000


@pytest.mark.parametrize(
    "value",
    [list(range(10**6)), {"k" * 10**6: 1}, "s" * 10**6, 10**5000, [[[[["deep"]]]]]],
    ids=["long list", "long key", "long text", "huge int", "nested"],
)
def test_21_11_shown_bounds_before_it_renders(value: object) -> None:
    assert len(shown(value)) <= 41


def test_a_long_path_in_a_message_keeps_its_file_name() -> None:
    path = "/tmp/" + "deep/" * 40 + "outlets-2026.yaml"
    assert shown_path(path).endswith("/outlets-2026.yaml")
    assert shown_path(path).startswith("…") and len(shown_path(path)) <= 81
    assert shown_path("/tmp/a.csv") == "/tmp/a.csv"


def test_21_12_a_documents_profile_is_a_built_in_name_never_a_path() -> None:
    for name in ("/dev/zero", "/dev/stdin", "../calculator/data/profiles/gbt27922.json", "x" * 300):
        with pytest.raises(InputError) as caught:
            assess_document({"profile": name, "groups": {}})
        assert caught.value.field == "profile"
        assert "没有名为" in caught.value.message.zh


def test_21_5_custom_profile_limits_are_checked_before_parsing() -> None:
    too_big = json.dumps({"id": "x", "note": "n" * (MAX_PROFILE_BYTES + 1)})
    with pytest.raises(InputError, match="too large"):
        parse_profile_text(too_big)
    many = {
        "id": "many",
        "groups": [{"id": "g", "indicators": [{"id": f"i{n}", "points": 1} for n in range(MAX_PARTS)]}],
    }
    with pytest.raises(InputError, match="too many groups and indicators"):
        parse_profile_text(json.dumps(many))
    long_name = {"id": "long", "groups": [{"id": "g", "points": 1, "name": "n" * (MAX_TEXT_LENGTH + 1)}]}
    with pytest.raises(InputError, match="too long"):
        parse_profile_text(json.dumps(long_name))
    fits = {"id": "fits", "groups": [{"id": "g", "indicators": [{"id": f"i{n}", "points": 1} for n in range(400)]}]}
    assert len(parse_profile_text(json.dumps(fits)).units) == 400


def test_21_5_the_same_profile_text_is_parsed_once() -> None:
    text = json.dumps({"id": "cached", "groups": [{"id": "a", "points": 6}, {"id": "b", "points": 4}]})
    first = parse_profile_text(text)
    assert parse_profile_text(text) is first
    assert parse_profile_text(text + " ") is not first  # other text, parsed again
    with pytest.raises(InputError):
        parse_profile_text('{"id": "bad"}')
    with pytest.raises(InputError):  # an error is not cached as a success either
        parse_profile_text('{"id": "bad"}')


def test_joined_messages_have_one_punctuation_mark_between_them() -> None:
    """Issue 16.7: joined errors read "不是数字。；"."""
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), {"service_system": "x", "commodity_service": "y", "customer_service": "1"})
    message = caught.value.message
    assert "。；" not in message.zh
    assert ".;" not in message.en
    assert message.zh.count("。") == 1
    assert message.zh.endswith("。")
    assert message.en.endswith(".")


def test_21_5_limits_hold_for_a_profile_sent_as_data_too() -> None:
    many = {"id": "many", "groups": [{"id": f"g{n}", "points": 1} for n in range(MAX_PARTS + 1)]}
    with pytest.raises(InputError, match="too many groups and indicators"):
        parse_profile(many)
