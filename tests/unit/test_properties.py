"""Properties that must hold for any input (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InputError, assess, grade, load_profile, load_scale, parse_profile

ORDER = ["not_qualified", "qualified", *[level.code for level in load_scale().levels]]
FAST = settings(max_examples=200, deadline=None)
anything = st.one_of(
    st.text(max_size=8),
    st.integers(-1000, 1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["na", "met", "not_met", "９５", "８９．５", "1e99999999", "-0", " 70 ", "1_0"]),
    st.dictionaries(st.sampled_from(["samples", "nonconforming", "x"]), st.integers(-2, 12), max_size=3),
    st.lists(st.integers(), max_size=2),
)
share = st.fractions(min_value=0, max_value=1).map(lambda value: value.limit_denominator(1000))


def rank(code: str) -> int:
    return ORDER.index(code)


@FAST
@given(score=anything, deductions=anything, bonus=anything)
def test_any_total_gives_a_result_or_an_input_error(score: object, deductions: object, bonus: object) -> None:
    try:
        result = grade(score, deductions, bonus)
    except InputError as error:
        assert error.message.zh
        assert error.message.en
    else:
        assert 0 <= result.score <= 100
        assert result.level.code in ORDER
        assert result.to_dict()["level"] == result.level.code


@FAST
@given(
    name=st.sampled_from(["gbt27922", "sbt10401-durable", "sbt10401-fmcg"]),
    values=st.lists(anything, min_size=8, max_size=8),
    deductions=anything,
    bonus=anything,
)
def test_any_assessment_gives_a_result_or_an_input_error(
    name: str, values: list[object], deductions: object, bonus: object
) -> None:
    profile = load_profile(name)
    try:
        result = assess(profile, dict(zip((u.id for u in profile.units), values, strict=False)), deductions, bonus)
    except InputError as error:
        assert error.message.zh
        assert error.message.en
    else:
        assert 0 <= result.score <= 100
        assert 0 <= result.normalized <= 100
        assert result.level.code in ORDER
        result.to_dict()


@FAST
@given(
    low=st.decimals(0, 100, places=3),
    more=st.decimals(0, 100, places=3),
    deductions=st.integers(0, 6),
    bonus=st.booleans(),
)
def test_a_higher_total_never_lowers_the_level(low: object, more: object, deductions: int, bonus: bool) -> None:
    high = min(Fraction(str(low)) + Fraction(str(more)), Fraction(100))
    a, b = grade(str(low), deductions, bonus), grade(high, deductions, bonus)
    assert rank(b.level.code) >= rank(a.level.code)
    assert b.score >= a.score


@FAST
@given(
    name=st.sampled_from(["gbt27922", "sbt10401-durable", "sbt10401-fmcg"]),
    shares=st.lists(share, min_size=8, max_size=8),
    not_applicable=st.lists(st.booleans(), min_size=8, max_size=8),
    which=st.integers(0, 7),
    more=share,
    deductions=st.integers(0, 6),
    bonus=st.booleans(),
)
def test_more_earned_points_never_lower_the_level(
    name: str,
    shares: list[Fraction],
    not_applicable: list[bool],
    which: int,
    more: Fraction,
    deductions: int,
    bonus: bool,
) -> None:
    profile = load_profile(name)
    units = profile.units
    which %= len(units)
    groups = profile.scored_by == "groups"  # a first-level group is never "na": give it out of fewer points
    if not profile.special_items:
        deductions, bonus = 0, False
    base: dict[str, object] = {
        u.id: ({"score": s * (u.points - 1), "applicable": u.points - 1} if groups else "na")
        if skip and i != which
        else s * u.points
        for i, (u, s, skip) in enumerate(zip(units, shares, not_applicable, strict=False))
    }
    better = dict(base)
    target = units[which]
    earned = base[target.id]
    assert isinstance(earned, Fraction)
    better[target.id] = min(earned + more * target.points, target.points)
    low = assess(profile, base, deductions, bonus)
    high = assess(profile, better, deductions, bonus)
    assert high.level.code in {level.code for level in (profile.scale.not_qualified, *profile.scale.levels)}
    assert rank(high.level.code) >= rank(low.level.code)
    assert high.score >= low.score
    assert 0 <= low.score <= high.score <= 100


@FAST
@given(
    points=st.lists(st.integers(1, 50), min_size=1, max_size=5),
    shares=st.lists(share, min_size=5, max_size=5),
    floor=st.none() | st.sampled_from(["1/2", "0.6", 1]),
    deductions=st.integers(0, 6),
)
def test_any_valid_custom_profile_grades_within_the_scale(
    points: list[int], shares: list[Fraction], floor: object, deductions: int
) -> None:
    profile = parse_profile(
        {
            "id": "p",
            "per_item_floor": floor,
            "groups": [{"id": f"g{i}", "points": p} for i, p in enumerate(points)],
        }
    )
    values = {f"g{i}": share * p for i, (p, share) in enumerate(zip(points, shares, strict=False))}
    result = assess(profile, values, deductions)
    assert 0 <= result.score <= 100
    assert result.normalized == sum(values.values(), Fraction(0)) / sum(points) * 100
    if result.qualified:
        assert deductions < 5
        assert result.score >= 70
