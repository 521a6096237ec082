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
from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from typing import Any

from calculator.assessment import SCORE_LABEL, Verdict, decide, parse_special, score_parts
from calculator.errors import InputError, InputErrors, Message
from calculator.levels import Level, LevelScale
from calculator.numbers import format_distance, format_number, parse_number
from calculator.parsing import NOT_APPLICABLE
from calculator.profiles import Profile
from calculator.rules import Rules, load_rules

OUTPUT_COLUMNS = ("id", "score", "level", "points_to_next")
FIELD = "batch_file"
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
    scale: LevelScale

    def level_counts(self) -> dict[str, int]:
        """How many rows reached each level, every level listed, from not qualified up."""
        counts = Counter(row.level.code for row in self.rows)
        return {level.code: counts[level.code] for level in (self.scale.not_qualified, *self.scale.levels)}

    def lowest(self, count: int = 3) -> tuple[RowResult, ...]:
        return tuple(sorted(self.rows, key=lambda row: (row.score, row.line))[:count])

    def summary(self) -> Message:
        counts = self.level_counts()
        levels = [level for level in (self.scale.not_qualified, *self.scale.levels) if counts[level.code]]
        zh = "、".join(f"{level.name.zh} {counts[level.code]} 个" for level in levels)
        en = ", ".join(f"{level.name.en} {counts[level.code]}" for level in levels)
        low_zh = "、".join(f"{row.id}（{format_number(row.score)}）" for row in self.lowest())
        low_en = ", ".join(f"{row.id} ({format_number(row.score)})" for row in self.lowest())
        text_zh = f"共 {len(self.rows)} 行有结果，{len(self.errors)} 行有误。"
        text_en = f"Rows assessed: {len(self.rows)}; with errors: {len(self.errors)}."
        if self.rows:
            text_zh += f"{zh}。"
            text_en += f" {en}."
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
        FIELD,
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


NA = (0, 0)  # a not-applicable cell among the (numerator, denominator) pairs


def _fast_row(
    fast: _FastProfile, values: list[str], deductions: str, bonus: str
) -> tuple[Fraction, Level, Fraction | None] | None:
    """Score, level and distance for a row of plain numbers, or None to take the full path.

    All arithmetic is on integers over a common denominator, so it stays exact; the
    profile's points, thresholds and special-item points must be whole numbers.
    """
    if not fast.integral:
        return None
    parsed = [NA if value.strip().lower() in NOT_APPLICABLE else _plain_decimal(value) for value in values]
    count = _plain_decimal(deductions) if deductions.strip() else (0, 1)
    flag = bonus.strip()
    if None in parsed or count is None or count[1] != 1 or flag not in ("", "0", "1"):
        return None
    scale = max(d for _, d in parsed)  # type: ignore[misc]
    earned = applicable = 0
    for (numerator, den), points in zip(parsed, fast.whole_points, strict=True):  # type: ignore[misc]
        if den == 0:  # not applicable: out of the denominator too
            continue
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


def _total_row(total: str, deductions: str, bonus: str, profile: Profile, rules: Rules) -> Verdict:
    """A row that gives the total directly: the same reading and rules as `grade`, without the explanation."""
    errors: list[InputError] = []
    normalized = Fraction(0)
    try:
        normalized = parse_number(total, "score", SCORE_LABEL, maximum=profile.scale.maximum)
    except InputError as error:
        errors.append(error)
    special = parse_special(deductions, bonus, rules, errors)
    if errors:
        raise InputErrors(errors)
    return decide(normalized, *special, False, profile.scale, rules)


def _header(header: list[str], parts: list[str]) -> tuple[dict[str, int], list[str]]:
    """Where each known column is, and which columns carry the scores; columns without a name are ignored."""
    named = [name for name in header if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        raise InputError(
            FIELD,
            Message(
                f"CSV 表头有重复的列：{'、'.join(repeated)}。",
                f"The CSV header repeats columns: {', '.join(repeated)}.",
            ),
        )
    by_total = "total" in named
    given_parts = [name for name in parts if name in named]
    if by_total and given_parts:
        raise InputError(
            FIELD,
            Message(
                f"CSV 里要么只有 total 一列总分，要么有各部分的列，不能同时有：{'、'.join(given_parts)}。",
                f"The CSV gives either one total column or the parts' columns, not both: {', '.join(given_parts)}.",
            ),
        )
    scored = ["total"] if by_total else parts
    missing = [name for name in ["id", *scored] if name not in named]
    extra = [name for name in named if name not in {"id", *SPECIAL_COLUMNS, *scored}]
    if missing or extra:
        raise _columns_error(missing, extra)
    return {name: header.index(name) for name in named}, scored


def _records(text: str) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """Each CSV record with the line it starts on; a record the csv module cannot read is its error."""
    lines = io.StringIO(text)
    reader = csv.reader(lines)
    line = 1
    while True:
        try:
            record: list[str] | csv.Error = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            record = error
        yield line, record
        line = reader.line_num + 1


def run_batch(text: str, profile: Profile) -> BatchResult:
    """Assess every row of a CSV text; raises `InputError` only when the header is unusable."""
    records = _records(text.lstrip("\ufeff"))
    first = next(records, None)
    if first is None or isinstance(first[1], csv.Error) or not any(cell.strip() for cell in first[1]):
        raise InputError(
            FIELD, Message("CSV 文件是空的，或第一行不是表头。", "The CSV file is empty or has no header line.")
        )
    parts = [unit.id for unit in profile.units]
    index, scored = _header([name.strip() for name in first[1]], parts)
    rules = load_rules()
    fast = _fast_profile(profile)
    by_total = scored == ["total"]
    if by_total:  # a total is one part worth the whole scale, with no per-item floor
        fast = replace(fast, points=(profile.scale.maximum,), floor=None)
    rows: list[RowResult] = []
    errors: list[RowError] = []
    for line, record in records:
        if isinstance(record, csv.Error):
            errors.append(
                RowError(
                    line,
                    f"#{line}",
                    InputError(FIELD, Message("这一行无法按 CSV 读取。", "This line cannot be read as CSV.")),
                )
            )
            continue
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
                verdict = _total_row(cells["total"], deductions, bonus, profile, rules)
            else:
                points = score_parts(profile, {name: cells[name] for name in parts}, deductions, bonus, rules)
                verdict = decide(points.normalized, *points.special, bool(points.below_floor), profile.scale, rules)
        except InputError as error:
            errors.append(RowError(line, ident, error))
            continue
        rows.append(RowResult(line, ident, verdict.score, verdict.level, verdict.points_to_next))
    return BatchResult(tuple(rows), tuple(errors), profile.scale)
