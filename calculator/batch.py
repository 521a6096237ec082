"""Many assessments at once, one per CSV row: each row is its own independent assessment.

Columns: an id column (`id`, or a label such as `网点`/`outlet` or `企业`/`company`); the
profile's scored parts, by id or by their Chinese or English names (for `gbt27922` the
three groups), or a single total (`total`/`总分`); optional `special_deductions`
(`特别扣分项`) and `special_bonus` (`特别加分项`). A bad row becomes an error with its line
number and does not stop the others; it stays in every output, with its message.

A row is one assessment on its own. Rows labelled as outlets get their score and the band
the score falls in: certification grades the enterprise as a whole (and counts special
deduction items across it), so a band is never an outlet's certificate level.

The hot path avoids building explanations: it computes only score, level and distance,
with the same rules.
"""

from __future__ import annotations

import csv
import importlib
import io
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from types import ModuleType
from typing import Any

from calculator.assessment import SCORE_LABEL, Verdict, decide, no_special_items, parse_special, score_parts
from calculator.csvfiles import decode_csv_bytes, write_csv
from calculator.errors import InputError, InputErrors, Message, shown
from calculator.formats import document
from calculator.levels import Level, LevelScale
from calculator.numbers import DIGITS, exact_text, format_distance, format_number, parse_number
from calculator.parsing import NOT_APPLICABLE
from calculator.profiles import Profile
from calculator.rules import Rules, load_rules
from calculator.words import word

FIELD = "batch_file"
XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE compound file: .xls, or a password-protected .xlsx
WORKBOOK_STARTS = (XLSX_MAGIC, OLE_MAGIC)
SPECIAL_COLUMNS = ("special_deductions", "special_bonus")
MAX_BATCH_BYTES = 16_000_000  # a file larger than this is refused before it is read
MAX_BATCH_ROWS = 100_000  # rows beyond this are refused, with a message saying to split the file
OUTLET_LABELS = {"网点", "门店", "分店", "分支机构", "服务网点", "outlet", "outlets", "store", "branch", "site"}
ID_LABELS = {"id", "编号", "名称", "name", "企业", "公司", "company", "单位", "organisation", "organization"}
ALIASES = {
    "total": {"total", "总分", "总得分", "total score"},
    "special_deductions": {"special_deductions", "特别扣分项", "特别扣分项数量", "special deductions"},
    "special_bonus": {"special_bonus", "特别加分项", "special bonus"},
}


def _key(name: str) -> str:
    """A header cell compared without case, width or surrounding space: "Total " is "total"."""
    return " ".join(unicodedata.normalize("NFKC", name).replace("_", " ").split()).casefold()


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
            "score": exact_text(self.score),
            "level": self.level.code,
            "level_name": self.level.name.to_dict(),
            "points_to_next": exact_text(self.points_to_next) if self.points_to_next is not None else None,
            "display": {
                "score": format_number(self.score),
                "points_to_next": format_distance(self.points_to_next) if self.points_to_next is not None else None,
            },
        }


@dataclass(frozen=True)
class RowError:
    line: int
    id: str
    error: InputError

    def message(self) -> Message:
        m = self.error.message
        who = shown(self.id)
        return Message(f"第 {self.line} 行（{who}）：{m.zh}", f"Line {self.line} ({who}): {m.en}")

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "id": self.id, "field": self.error.field, **self.message().to_dict()}


@dataclass(frozen=True)
class BatchResult:
    rows: tuple[RowResult, ...]
    errors: tuple[RowError, ...]
    scale: LevelScale
    outlets: bool = False  # the id column says the rows are outlets: bands, never certificate levels
    sheet: str | None = None  # a workbook's sheet that was read (None: a CSV file)
    sheets: tuple[str, ...] = ()  # every sheet of that workbook, for choosing another

    @property
    def level_column(self) -> str:
        return "band" if self.outlets else "level"

    @property
    def output_columns(self) -> tuple[str, ...]:
        return ("id", "score", "score_exact", self.level_column, "points_to_next", "error")

    def band_name(self, row: RowResult) -> Message:
        """How an outlet's result is named: the score range it falls in ("90 to under 95 points"),
        never a level; a row that special deduction items fail says so beside its range."""
        band = self.scale.level_for(row.score)
        order = (self.scale.not_qualified, *self.scale.levels)
        following = order[order.index(band) + 1] if band is not order[-1] else None
        high = format_number(following.min_score) if following and following.min_score is not None else None
        if band.min_score is None:
            name = word("band.below", high=high or "")
        elif high is None:
            name = word("band.from", low=format_number(band.min_score))
        else:
            name = word("band.between", low=format_number(band.min_score), high=high)
        return word("band.failed_by_deductions", band=name) if row.level.code != band.code else name

    def band_counts(self) -> list[tuple[Message, int]]:
        """Each score range with outlets in it, lowest first, and how many."""
        counts: Counter[tuple[str, str]] = Counter()
        first: dict[tuple[str, str], tuple[Fraction, int]] = {}
        for row in self.rows:
            name = self.band_name(row)
            counts[(name.zh, name.en)] += 1
            first.setdefault((name.zh, name.en), (row.score, row.line))
        ranked = sorted(counts, key=lambda key: (self.scale.level_for(first[key][0]).min_score or 0, key))
        return [(Message(*key), counts[key]) for key in ranked]

    def level_counts(self) -> dict[str, int]:
        """How many rows fall in each level (or band), every one listed, from not qualified up."""
        counts = Counter(row.level.code for row in self.rows)
        return {level.code: counts[level.code] for level in (self.scale.not_qualified, *self.scale.levels)}

    def lowest(self, count: int = 3) -> tuple[RowResult, ...]:
        return tuple(sorted(self.rows, key=lambda row: (row.score, row.line))[:count])

    def mean(self) -> Fraction | None:
        """The mean score of the rows with a result, exact."""
        return sum((row.score for row in self.rows), Fraction(0)) / len(self.rows) if self.rows else None

    def summary(self) -> Message:
        """The file in a few sentences: what a row is, the counts per level or band, the lowest rows, the mean."""
        if self.outlets:
            zh = (
                f"共 {len(self.rows)} 个网点有结果，{len(self.errors)} 行有误。每行是一次独立的估算：列出各网点的得分及其所在的分数段。"
                "认证针对整个企业评级（特别扣分项也按整个企业计数），分数段不是网点的认证等级。"
            )
            en = (
                f"Outlets assessed: {len(self.rows)}; rows with errors: {len(self.errors)}. Each row is an independent "
                "estimate: each outlet's score and the band it falls in. Certification grades the enterprise as a whole "
                "(special deduction items count across it), so a band is not an outlet's certificate grade."
            )
            counted_zh, counted_en = "各分数段", "Per band"
        else:
            zh = f"共 {len(self.rows)} 行有结果，{len(self.errors)} 行有误。每行是一次独立的自评估算，行与行互不影响。"
            en = (
                f"Rows assessed: {len(self.rows)}; with errors: {len(self.errors)}. "
                "Each row is an independent self-assessment; rows do not affect each other."
            )
            counted_zh, counted_en = "各等级", "Per level"
        if not self.rows:
            return Message(zh, en)
        if self.outlets:
            named = self.band_counts()
        else:
            counts = self.level_counts()
            levels = (self.scale.not_qualified, *self.scale.levels)
            named = [(level.name, counts[level.code]) for level in levels if counts[level.code]]
        zh += f"{counted_zh}：" + "、".join(f"{name.zh} {count} 个" for name, count in named) + "。"
        en += f" {counted_en}: " + ", ".join(f"{name.en} {count}" for name, count in named) + "."
        zh += "得分最低：" + "、".join(f"{shown(row.id)}（{format_number(row.score)}）" for row in self.lowest()) + "。"
        en += " Lowest: " + ", ".join(f"{shown(row.id)} ({format_number(row.score)})" for row in self.lowest()) + "."
        mean = self.mean()
        assert mean is not None
        zh += f"平均分 {format_number(mean)}。"
        en += f" Mean score: {format_number(mean)}."
        return Message(zh, en)

    def to_csv(self) -> str:
        """Every row in file order, results and errors alike (an error row keeps its message)."""
        lines: list[tuple[int, list[str]]] = []
        for row in self.rows:
            data = row.to_dict()
            display = data["display"]
            cells = [row.id, display["score"], data["score"], row.level.code, display["points_to_next"] or "", ""]
            lines.append((row.line, cells))
        for failure in self.errors:
            message = failure.error.message
            lines.append((failure.line, [failure.id, "", "", "", "", f"{message.zh} / {message.en}"]))
        lines.sort(key=lambda item: item[0])
        return write_csv(self.output_columns, (cells for _, cells in lines))

    def to_dict(self) -> dict[str, Any]:
        mean = self.mean()
        rows = [row.to_dict() for row in self.rows]
        if self.outlets:
            for row, data in zip(self.rows, rows, strict=True):
                data["band_name"] = self.band_name(row).to_dict()
        return document(
            "batch",
            {
                "rows": rows,
                "errors": [error.to_dict() for error in self.errors],
                "outlets": self.outlets,
                "level_column": self.level_column,
                "summary": self.summary().to_dict(),
                "level_counts": self.level_counts(),
                "lowest": [row.to_dict() for row in self.lowest()],
                "mean": exact_text(mean) if mean is not None else None,
                "sheet": self.sheet,
                "sheets": list(self.sheets),
                "display": {"mean": format_number(mean) if mean is not None else None},
            },
        )


def _columns_error(missing: list[str], extra: list[str], hint: Message | None = None) -> InputError:
    zh, en = [], []
    if missing:
        zh.append("缺少列：" + "、".join(missing))
        en.append("missing columns: " + ", ".join(missing))
    if extra:
        zh.append("无法识别的列：" + "、".join(shown(name) for name in extra))
        en.append("unknown columns: " + ", ".join(shown(name) for name in extra))
    if hint is not None:
        zh.append(hint.zh)
        en.append(hint.en)
    return InputError(
        FIELD,
        Message("CSV 表头有误，" + "；".join(zh) + "。", "The CSV header is wrong: " + "; ".join(en) + "."),
    )


PLAIN_LIMIT = 2 * DIGITS  # longer digit strings go to the full reader, which says what is wrong


def _plain_decimal(text: str) -> tuple[int, int] | None:
    """`"36.5"` → (365, 10); None for anything that is not a plain ASCII decimal."""
    if len(text) > PLAIN_LIMIT:  # int() of thousands of digits is refused (and slow): not plain
        return None
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
    not_applicable: bool = True  # whether a part may be "na" (an indicator may; a first-level group may not)
    special_items: bool = True

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
        not_applicable=profile.scored_by != "groups",
        special_items=profile.special_items,
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
    if not fast.special_items and (deductions.strip() or bonus.strip()):
        return None  # the full path says whether the cell is a (refused) special item
    parsed = [
        (NA if fast.not_applicable else None) if value.strip().lower() in NOT_APPLICABLE else _plain_decimal(value)
        for value in values
    ]
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
    if not profile.special_items:
        errors.extend(no_special_items(profile, *special))
    if errors:
        raise InputErrors(errors)
    return decide(normalized, *special, False, profile.scale, rules)


@dataclass(frozen=True)
class _Columns:
    index: dict[str, int]  # column of each known field: "id", the scored parts or "total", the special items
    scored: list[str]
    outlets: bool


def _header(header: list[str], profile: Profile) -> _Columns:
    """Which column is which: ids, or the parts' Chinese or English names; unnamed columns are ignored."""
    names: dict[str, str] = {}
    for unit in profile.units:
        for name in (unit.id, unit.name.zh, unit.name.en):
            names.setdefault(_key(name), unit.id)
    for field, aliases in ALIASES.items():
        for alias in aliases:
            names.setdefault(_key(alias), field)
    for alias in ID_LABELS | OUTLET_LABELS:
        names.setdefault(_key(alias), "id")
    fields = [names.get(_key(cell)) if cell.strip() else None for cell in header]
    repeated = sorted({field for field in fields if field is not None and fields.count(field) > 1})
    if repeated:
        raise InputError(
            FIELD,
            Message(
                f"CSV 表头有重复的列：{'、'.join(repeated)}。",
                f"The CSV header repeats columns: {', '.join(repeated)}.",
            ),
        )
    parts = [unit.id for unit in profile.units]
    by_total = "total" in fields
    given_parts = [name for name in parts if name in fields]
    if by_total and given_parts:
        raise InputError(
            FIELD,
            Message(
                f"CSV 里要么只有一列总分（total/总分），要么有各部分的列，不能同时有：{'、'.join(given_parts)}。",
                f"The CSV gives either one total column (total/总分) or the parts' columns, not both: {', '.join(given_parts)}.",
            ),
        )
    if by_total and profile.per_item_floor is not None:
        share = format_number(profile.per_item_floor * 100)
        raise InputError(
            FIELD,
            Message(
                f"评分表“{profile.name.zh}”要求每项至少得到其分值的 {share}%，只有总分无法判断；请给出各项的列：{'、'.join(parts)}。",
                f"The profile “{profile.name.en}” requires every item to reach {share}% of its points, which a total "
                f"cannot show; give a column per item: {', '.join(parts)}.",
            ),
        )
    scored = ["total"] if by_total else parts
    missing = [name for name in ["id", *scored] if name not in fields]
    extra = [cell for cell, field in zip(header, fields, strict=True) if cell.strip() and field is None]
    if missing or extra:
        hint = None
        if "score" in (_key(cell) for cell in extra) or "分数" in header:
            hint = Message("总分请放在名为 total 或“总分”的列", "a total goes in a column named total (or 总分)")
        elif missing:
            hint = Message(
                "可用列名：id（或“网点”“企业”等）、" + "、".join(parts) + "（或其中文、英文名称），或一列 total/总分",
                "accepted columns: id (or outlet, company ...), "
                + ", ".join(parts)
                + " (or their Chinese or English names), or one total column (total/总分)",
            )
        raise _columns_error(missing, extra, hint)
    index = {field: position for position, field in enumerate(fields) if field is not None}
    id_cell = header[index["id"]]
    return _Columns(index, scored, _key(id_cell) in {_key(label) for label in OUTLET_LABELS})


def _records(text: str) -> Iterator[tuple[int, list[str] | InputError]]:
    """Each CSV record with the line it starts on; a record the csv module cannot read is its error."""
    lines = io.StringIO(text)
    reader = csv.reader(lines)
    line = 1
    while True:
        try:
            record: list[str] | InputError = next(reader)
        except StopIteration:
            return
        except csv.Error:
            record = InputError(FIELD, Message("这一行无法按 CSV 读取。", "This line cannot be read as CSV."))
        yield line, record
        line = reader.line_num + 1


class SheetError(InputError):
    """A sheet that holds no batch, in a workbook with others: the message names them, and the
    error carries them (the page then offers the other sheets)."""

    def __init__(self, error: InputError, sheet: str | None, sheets: tuple[str, ...]) -> None:
        others = [shown(name) for name in sheets if name != sheet]
        separator = word("form.list_separator")
        listed = Message(separator.zh.join(others), separator.en.join(others))
        super().__init__(
            error.field, word("batch.other_sheets", message=error.message, sheet=shown(sheet), others=listed)
        )
        self.sheet = sheet
        self.sheets = sheets

    def choices(self) -> dict[str, object]:
        """The page offers the workbook's other sheets."""
        return {"sheet": self.sheet, "sheets": list(self.sheets)}


def workbooks_module() -> ModuleType:
    """`calculator.workbooks` (openpyxl only for a workbook), imported when first needed; the
    browser's worker adds the module only for a workbook request, so without it this says so."""
    try:
        return importlib.import_module("calculator.workbooks")
    except ImportError:
        raise InputError(FIELD, word("workbook.not_loaded")) from None


def _too_large(what: Message) -> InputError:
    return InputError(FIELD, what)


def run_batch(data: str | bytes, profile: Profile, sheet: str | None = None) -> BatchResult:
    """Assess every row of a CSV file or a workbook's sheet; raises `InputError` only for the whole file.

    Bytes are decoded by `calculator.csvfiles.decode_csv_bytes` (UTF-8, UTF-16 with BOM, GB18030),
    or, for an .xlsx (or an .xls, which is refused with advice), read by `calculator.workbooks`
    (which needs openpyxl): the first sheet, or `sheet`.
    """
    workbook = isinstance(data, bytes) and data.startswith(WORKBOOK_STARTS)
    kind = word("batch.kind_workbook") if workbook else word("batch.kind_csv")
    size = len(data) if isinstance(data, bytes) else len(data) * (1 if data.isascii() else 3)
    if size > MAX_BATCH_BYTES:
        raise _too_large(word("batch.too_large", kind=kind, mb=MAX_BATCH_BYTES // 1_000_000))
    names: tuple[str, ...] = ()
    if isinstance(data, bytes) and workbook:
        if data.startswith(OLE_MAGIC):  # refused before anything is loaded for workbooks
            old = word("workbook.old_or_locked")
            raise InputError(FIELD, word("workbook.refused", message=old, works=word("workbook.works")))
        workbooks = workbooks_module()
        read = workbooks.read_sheet(data, sheet, max_rows=MAX_BATCH_ROWS + 1)
        sheet, names = read.name, read.names
        records = workbooks.sheet_records(read)
        empty = word("batch.sheet_empty", sheet=shown(sheet))
    else:
        text = decode_csv_bytes(data) if isinstance(data, bytes) else data
        records = _records(text.lstrip("\ufeff"))
        sheet = None
        empty = word("batch.csv_empty")
    try:
        first = next(records, None)
        if first is None or isinstance(first[1], InputError) or not any(cell.strip() for cell in first[1]):
            raise InputError(FIELD, empty)
        columns = _header(first[1], profile)
    except InputError as error:
        if len(names) < 2:
            raise
        raise SheetError(error, sheet, names) from None
    index, scored = columns.index, columns.scored
    parts = [unit.id for unit in profile.units]
    rules = load_rules()
    fast = _fast_profile(profile)
    by_total = scored == ["total"]
    if by_total:  # a total is one part worth the whole scale, with no per-item floor
        fast = replace(fast, points=(profile.scale.maximum,), floor=None, not_applicable=False)
    rows: list[RowResult] = []
    errors: list[RowError] = []
    for line, record in records:
        if len(rows) + len(errors) >= MAX_BATCH_ROWS:
            raise _too_large(word("batch.too_many_rows", kind=kind, rows=f"{MAX_BATCH_ROWS:,}"))
        if isinstance(record, InputError):
            errors.append(RowError(line, f"#{line}", record))
            continue
        if not any(cell.strip() for cell in record):
            continue
        cells = {name: record[i] if i < len(record) else "" for name, i in index.items()}
        ident = cells["id"].strip(" \u3000") or f"#{line}"  # a leading tab or quote stays: it may defuse a formula
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
    return BatchResult(tuple(rows), tuple(errors), profile.scale, columns.outlets, sheet, names)
