"""What certification costs, added up from the fee ranges in the site's data (pure: the caller
passes `docs/_data/prepare_costs.yml` as a mapping and the validity in years).

Every amount is a range of whole yuan from vendor pages; the sums are exact (`Fraction`) and only
written out as money at the end. `cost_plan` gives the fee table, the first year, each later year
and the whole validity period, and the same by company size (`sizes`: the auditor-days each size
is quoted with, and for whom the figure holds).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Span:
    """A range of money in yuan; `high` is None when no source gives an upper bound."""

    low: Fraction
    high: Fraction | None

    def __add__(self, other: Span) -> Span:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Span(self.low + other.low, high)

    def times(self, factor: Span | Fraction | int) -> Span:
        if isinstance(factor, Span):
            high = None if self.high is None or factor.high is None else self.high * factor.high
            return Span(self.low * factor.low, high)
        f = Fraction(factor)
        return Span(self.low * f, None if self.high is None else self.high * f)

    def to_dict(self) -> dict[str, str | None]:
        return {"min": money(self.low), "max": None if self.high is None else money(self.high)}


def money(value: Fraction) -> str:
    """Whole yuan with thousands separators (the sums of whole-yuan ranges are whole)."""
    if value.denominator != 1:
        value = Fraction(round(value))
    return f"{int(value):,}"


def _span(entry: dict[str, Any]) -> Span:
    high = entry.get("max")
    return Span(Fraction(entry["min"]), None if high is None else Fraction(high))


def cost_plan(costs: dict[str, Any], years: int) -> dict[str, Any]:
    """The first year, each later year and the whole validity period, as ranges in yuan."""
    if years < 1:
        raise ValueError("prepare_costs: the validity must be at least one year")
    audit = costs["audit"]
    day_rate = _span(audit["day_rate"])
    days = _span(audit["initial_days"])
    share = Fraction(audit["surveillance_share"])
    initial_audit = day_rate.times(days)
    surveillance_audit = initial_audit.times(share)
    once = sum((_span(fee) for fee in costs["once"]), Span(Fraction(0), Fraction(0)))
    yearly = sum((_span(fee) for fee in costs["yearly"]), Span(Fraction(0), Fraction(0)))
    first_year = once + yearly + initial_audit
    later_year = yearly + surveillance_audit
    cycle = first_year + later_year.times(years - 1)
    rows = [
        {"label": fee["label"], "when": "once", "span": _span(fee).to_dict(), "sources": fee["sources"]}
        for fee in costs["once"]
    ]
    rows += [
        {"label": fee["label"], "when": "yearly", "span": _span(fee).to_dict(), "sources": fee["sources"]}
        for fee in costs["yearly"]
    ]
    rows.append(
        {
            "label": audit["day_rate"]["label"],
            "when": "per_day",
            "span": day_rate.to_dict(),
            "sources": audit["day_rate"]["sources"],
        }
    )
    rows.append(
        {
            "label": audit["initial_days"]["label"],
            "when": "days",
            "span": {"min": str(days.low), "max": str(days.high)},
            "sources": audit["initial_days"]["sources"],
        }
    )
    travel = costs["travel"]
    rows.append(
        {"label": travel["label"], "when": "per_visit", "span": _span(travel).to_dict(), "sources": travel["sources"]}
    )
    return {
        "rows": rows,
        "stated": _span(costs["stated_total"]).to_dict(),
        "years": years,
        "later_years": years - 1,
        "visits": years,  # one on-site visit a year: the first audit, then one surveillance audit a year
        "surveillance_sources": list(audit["surveillance_sources"]),
        "share": {"numerator": share.numerator, "denominator": share.denominator},
        "initial_audit": initial_audit.to_dict(),
        "surveillance_audit": surveillance_audit.to_dict(),
        "first_year": first_year.to_dict(),
        "later_year": later_year.to_dict(),
        "cycle": cycle.to_dict(),
        "travel_cycle_min": money(Fraction(costs["travel"]["min"]) * years),
        "sizes": _sizes(costs, years, once, yearly, day_rate, share),
    } | {"values": _values(years, share, initial_audit, surveillance_audit, Fraction(costs["travel"]["min"]))}


def _sizes(
    costs: dict[str, Any], years: int, once: Span, yearly: Span, day_rate: Span, share: Fraction
) -> list[dict[str, Any]]:
    """Each company size the data quotes auditor-days for: its first audit, first year and whole
    validity period, with the same fees and surveillance assumption as the totals."""
    sizes = []
    for size in costs.get("sizes") or []:
        days = _span(size["days"])
        initial = day_rate.times(days)
        first_year = once + yearly + initial
        later_year = yearly + initial.times(share)
        sizes.append(
            {
                "id": size["id"],
                "label": size["label"],
                "for_whom": size["for_whom"],
                "sources": size["sources"],
                "days": {"min": str(days.low), "max": str(days.high)},
                "initial_audit": initial.to_dict(),
                "first_year": first_year.to_dict(),
                "cycle": (first_year + later_year.times(years - 1)).to_dict(),
            }
        )
    return sizes


def _values(years: int, share: Fraction, initial: Span, surveillance: Span, travel: Fraction) -> dict[str, str]:
    """The figures the explanation under the totals names, as `{name}` markers in prepare.yml."""

    def text(span: Span) -> str:
        return money(span.low) if span.high is None else f"{money(span.low)}–{money(span.high)}"

    return {
        "years": str(years),
        "later_years": str(years - 1),
        "visits": str(years),
        "share": f"{share.numerator}/{share.denominator}",
        "initial": text(initial),
        "surveillance": text(surveillance),
        "travel": money(travel * years),
    }
