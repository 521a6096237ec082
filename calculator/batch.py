"""Many assessments at once, one per CSV row (an outlet, a branch, a month).

Columns: `id`; the profile's scored parts (for `gbt27922` the three group ids) or a
single `total`; optional `special_deductions` and `special_bonus`. A bad row becomes an
error with its line number and does not stop the others. The hot path avoids building
explanations: it computes only score, level and distance, with the same rules.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from typing import Any

from calculator.assessment import assess, grade_total
from calculator.errors import InputError, Message
from calculator.levels import Level
from calculator.numbers import format_distance, format_number
from calculator.profiles import Profile

OUTPUT_COLUMNS = ("id", "score", "level", "points_to_next")
SPECIAL_COLUMNS = ("special_deductions", "special_bonus")


@dataclass(frozen=True)
class RowResult:
    line: int
    id: str
    score: Fraction
    level: Level
    points_to_next: Fraction | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "id": self.id,
            "score": format_number(self.score),
            "level": self.level.code,
            "level_name": self.level.name.to_dict(),
            "points_to_next": format_distance(self.points_to_next) if self.points_to_next is not None else None,
        }


@dataclass(frozen=True)
class RowError:
    line: int
    id: str
    error: InputError

    def message(self) -> Message:
        m = self.error.message
        return Message(f"第 {self.line} 行（{self.id}）：{m.zh}", f"Line {self.line} ({self.id}): {m.en}")

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "id": self.id, "field": self.error.field, **self.message().to_dict()}


@dataclass(frozen=True)
class BatchResult:
    rows: tuple[RowResult, ...]
    errors: tuple[RowError, ...]

    def level_counts(self) -> dict[str, int]:
        return dict(Counter(row.level.code for row in self.rows))

    def lowest(self, count: int = 3) -> tuple[RowResult, ...]:
        return tuple(sorted(self.rows, key=lambda row: (row.score, row.line))[:count])

    def summary(self) -> Message:
        counts = Counter(row.level.name for row in self.rows)
        zh = "、".join(f"{name.zh} {n} 个" for name, n in counts.items())
        en = ", ".join(f"{name.en} {n}" for name, n in counts.items())
        low_zh = "、".join(f"{row.id}（{format_number(row.score)}）" for row in self.lowest())
        low_en = ", ".join(f"{row.id} ({format_number(row.score)})" for row in self.lowest())
        text_zh = f"共 {len(self.rows)} 行有结果，{len(self.errors)} 行有误。{zh}。"
        text_en = f"{len(self.rows)} rows assessed, {len(self.errors)} with errors. {en}."
        if self.rows:
            text_zh += f"得分最低：{low_zh}。"
            text_en += f" Lowest: {low_en}."
        return Message(text_zh, text_en)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        for row in self.rows:
            data = row.to_dict()
            writer.writerow([data["id"], data["score"], data["level"], data["points_to_next"] or ""])
        return out.getvalue()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": [row.to_dict() for row in self.rows],
            "errors": [error.to_dict() for error in self.errors],
            "summary": self.summary().to_dict(),
            "level_counts": self.level_counts(),
            "lowest": [row.to_dict() for row in self.lowest()],
        }


def _columns_error(missing: list[str], extra: list[str]) -> InputError:
    zh, en = [], []
    if missing:
        zh.append("缺少列：" + "、".join(missing))
        en.append("missing columns: " + ", ".join(missing))
    if extra:
        zh.append("无法识别的列：" + "、".join(extra))
        en.append("unknown columns: " + ", ".join(extra))
    return InputError(
        "batch_file",
        Message("CSV 表头有误，" + "；".join(zh) + "。", "The CSV header is wrong: " + "; ".join(en) + "."),
    )


def _plain_decimal(text: str) -> tuple[int, int] | None:
    """`"36.5"` → (365, 10); None for anything that is not a plain ASCII decimal."""
    whole, dot, part = text.strip().partition(".")
    if not (whole.isascii() and part.isascii()) or not (whole or part):
        return None
    if (whole and not whole.isdigit()) or (part and not part.isdigit()) or (dot and not part):
        return None
    return int(whole + part or "0"), 10 ** len(part)


@dataclass(frozen=True)
class _FastProfile:
    """The profile's numbers as integers, for exact comparisons without `Fraction`s."""

    points: tuple[Fraction, ...]
    maximum: Fraction
    thresholds: tuple[tuple[Level, Fraction], ...]  # highest first
    failing: Level
    fail_at: int
    deduction: Fraction
    bonus: Fraction
    floor: Fraction | None

    @cached_property
    def integral(self) -> bool:
        numbers = [*self.points, self.maximum, self.deduction, self.bonus, *(t for _, t in self.thresholds)]
        return all(number.denominator == 1 for number in numbers)

    @cached_property
    def whole_points(self) -> tuple[int, ...]:
        return tuple(int(points) for points in self.points)

    @cached_property
    def whole_max(self) -> int:
        return int(self.maximum)

    @cached_property
    def whole_bonus(self) -> int:
        return int(self.bonus)

    @cached_property
    def whole_deduction(self) -> int:
        return int(self.deduction)

    @cached_property
    def whole_thresholds(self) -> tuple[tuple[Level, int], ...]:
        return tuple((level, int(threshold)) for level, threshold in self.thresholds)


def _fast_profile(profile: Profile) -> _FastProfile:
    from calculator.rules import load_rules

    rules = load_rules()
    scale = profile.scale
    thresholds = tuple((level, level.min_score) for level in reversed(scale.levels) if level.min_score is not None)
    return _FastProfile(
        points=tuple(unit.points for unit in profile.units),
        maximum=scale.maximum,
        thresholds=thresholds,
        failing=scale.not_qualified,
        fail_at=rules.fail_at_deductions,
        deduction=rules.deduction_points,
        bonus=rules.bonus_points,
        floor=profile.per_item_floor,
    )


def _fast_row(
    fast: _FastProfile, values: list[str], deductions: str, bonus: str
) -> tuple[Fraction, Level, Fraction | None] | None:
    """Score, level and distance for a row of plain numbers, or None to take the full path.

    All arithmetic is on integers over a common denominator, so it stays exact; the
    profile's points, thresholds and special-item points must be whole numbers.
    """
    if not fast.integral:
        return None
    parsed = [_plain_decimal(value) for value in values]
    count = _plain_decimal(deductions) if deductions.strip() else (0, 1)
    flag = bonus.strip()
    if None in parsed or count is None or count[1] != 1 or flag not in ("", "0", "1"):
        return None
    scale = max(d for _, d in parsed)  # type: ignore[misc]
    earned = applicable = 0
    for (numerator, den), points in zip(parsed, fast.whole_points, strict=True):  # type: ignore[misc]
        value = numerator * (scale // den)
        limit = points * scale
        if value > limit or (fast.floor is not None and value * fast.floor.denominator < limit * fast.floor.numerator):
            return None  # the full path reports the error or explains the floor
        earned += value
        applicable += limit
    if applicable == 0:
        return None
    maximum = fast.whole_max
    special = (fast.whole_bonus if flag == "1" else 0) - fast.whole_deduction * count[0]
    top = maximum * applicable
    numerator = min(max(earned * maximum + special * applicable, 0), top)
    score = Fraction(numerator, applicable)
    if count[0] >= fast.fail_at:
        return score, fast.failing, None
    above: int | None = None
    for level, threshold in fast.whole_thresholds:
        if numerator >= threshold * applicable:
            return score, level, (Fraction(above * applicable - numerator, applicable) if above is not None else None)
        above = threshold
    assert above is not None
    return score, fast.failing, Fraction(above * applicable - numerator, applicable)


def run_batch(text: str, profile: Profile) -> BatchResult:
    """Assess every row of a CSV text; raises `InputError` only when the header is unusable."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in next(reader, [])]
    if not header:
        raise InputError("batch_file", Message("CSV 文件是空的。", "The CSV file is empty."))
    parts = [unit.id for unit in profile.units]
    by_total = "total" in header
    wanted = {"id", *SPECIAL_COLUMNS, *(["total"] if by_total else parts)}
    missing = [name for name in ["id", *(["total"] if by_total else parts)] if name not in header]
    extra = [name for name in header if name not in wanted]
    if missing or extra:
        raise _columns_error(missing, extra)
    index = {name: header.index(name) for name in header}
    fast = _fast_profile(profile)
    scored = ["total"] if by_total else parts
    if by_total:  # a total is one part worth the whole scale, with no per-item floor
        fast = replace(fast, points=(profile.scale.maximum,), floor=None)
    rows: list[RowResult] = []
    errors: list[RowError] = []
    for line, record in enumerate(reader, 2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {name: record[i] if i < len(record) else "" for name, i in index.items()}
        ident = cells["id"].strip() or f"#{line}"
        deductions = cells.get("special_deductions", "")
        bonus = cells.get("special_bonus", "")
        quick = _fast_row(fast, [cells[name] for name in scored], deductions, bonus)
        if quick is not None:
            rows.append(RowResult(line, ident, *quick))
            continue
        try:
            if by_total:
                result = grade_total(cells["total"], deductions, bonus, scale=profile.scale)
            else:
                result = assess(profile, {name: cells[name] for name in parts}, deductions, bonus)
        except InputError as error:
            errors.append(RowError(line, ident, error))
            continue
        rows.append(RowResult(line, ident, result.score, result.level, result.points_to_next))
    return BatchResult(tuple(rows), tuple(errors))
