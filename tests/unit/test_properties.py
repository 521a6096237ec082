"""Properties that must hold for any input (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InputError, assess, grade, load_profile, load_scale

ORDER = ["not_qualified", *[level.code for level in load_scale().levels]]
FAST = settings(max_examples=200, deadline=None)
anything = st.one_of(
    st.text(max_size=8),
    st.integers(-1000, 1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
points = st.fractions(min_value=0, max_value=1).map(lambda share: share.limit_denominator(1000))


@FAST
@given(score=anything, deductions=anything, bonus=anything)
def test_any_input_gives_a_result_or_an_input_error(score: object, deductions: object, bonus: object) -> None:
    try:
        result = grade(score, deductions, bonus)
    except InputError as error:
        assert error.message.zh
        assert error.message.en
    else:
        assert 0 <= result.score <= 100
        assert result.level.code in ORDER


@FAST
@given(a=points, b=points, c=points, more=points, deductions=st.integers(0, 6), bonus=st.booleans())
def test_more_earned_points_never_lower_the_level(
    a: Fraction, b: Fraction, c: Fraction, more: Fraction, deductions: int, bonus: bool
) -> None:
    profile = load_profile()
    limits = [unit.points for unit in profile.units]
    base = [share * limit for share, limit in zip((a, b, c), limits, strict=True)]
    better = [min(base[0] + more * limits[0], limits[0]), *base[1:]]
    ids = [unit.id for unit in profile.units]
    low = assess(profile, dict(zip(ids, base, strict=True)), deductions, bonus)
    high = assess(profile, dict(zip(ids, better, strict=True)), deductions, bonus)
    assert ORDER.index(high.level.code) >= ORDER.index(low.level.code)
    assert high.score >= low.score
    assert 0 <= low.score <= 100


@FAST
@given(value=st.text(max_size=6), na=st.booleans())
def test_any_group_text_is_a_result_or_an_input_error(value: str, na: bool) -> None:
    profile = load_profile()
    try:
        result = assess(
            profile, {"service_system": value, "commodity_service": "na" if na else "35", "customer_service": "25"}
        )
    except InputError:
        return
    assert 0 <= result.score <= 100
