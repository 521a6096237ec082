"""Workbooks (.xlsx) in and out: batch rows read from a sheet, results and the readiness plan written.

Needs `openpyxl` (pure Python; the optional extra `gbt27922-calculator[xlsx]`). It is imported
only inside the functions that read or write a workbook; without it, a clear message says how
to install it. Nothing else in the package imports this module but lazily, for a workbook: the
site ships it outside the wheel that the browser loads at start, in a small wheel of its own
that the worker adds, with openpyxl, for the first workbook request (`scripts/pyodide/bundle.py`).

Reading, for `calculator.batch.run_batch`: the archive is checked with `zipfile` before openpyxl
sees it (the declared sizes bound what zipfile inflates, so a zip bomb is refused from its
directory alone); an old `.xls` or a password-protected workbook (both OLE compound files) and
anything else that is not an `.xlsx` get a message naming what works. One sheet is read (the
first, or the one named) as rows of text in the same shape as CSV records: numbers exactly as
the file stores them (what the cell shows, at most 15 significant digits), text as it is, so
numbers stored as text and `30/31` cells read as in a CSV. A formula is never evaluated: its
cached value is read when the file has one; a row with a formula cell without one is an error.
A title row (one value in a merged cell across columns) above the header is skipped, and a
header whose merged cells run down over a second row takes each column's name from the lowest
header row that names it (a group's name above, the columns' names below).

Writing: every text cell is written as a string, never as a formula, whatever it starts with;
a date given as YYYY-MM-DD becomes a date cell. In the browser, `datetime` (which openpyxl needs
too) comes with the workbook wheels, not in the standard library that start-up loads.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from calculator.batch import OLE_MAGIC, XLSX_MAGIC
from calculator.errors import InputError, Message, shown
from calculator.words import word

if TYPE_CHECKING:
    from calculator.batch import BatchResult
    from calculator.profiles import Profile
    from calculator.readiness import Readiness

FIELD = "batch_file"
MAX_UNCOMPRESSED_BYTES = 160_000_000  # all members of the archive together, as its directory declares
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # a member larger than RATIO_FROM bytes may not inflate more than this many times
RATIO_FROM = 1_000_000
MAX_COLUMNS = 256  # columns read per row; a batch needs a handful
MAX_SCANNED_ROWS = 1_048_576  # Excel's own row limit: rows numbered beyond it are not a real sheet
SIGNIFICANT_DIGITS = 15  # what a spreadsheet shows of a stored number


def is_workbook(data: bytes) -> bool:
    """Whether bytes look like a spreadsheet archive (.xlsx) or an OLE file (.xls, an encrypted .xlsx)."""
    return data.startswith((XLSX_MAGIC, OLE_MAGIC))


def _refused(message: Message) -> InputError:
    """A workbook that cannot be read: `message`, followed by what can be opened instead."""
    return InputError(FIELD, word("workbook.refused", message=message, works=word("workbook.works")))


def _openpyxl() -> Any:
    try:
        import openpyxl  # optional and heavy: only when a workbook is read or written
    except ImportError:
        raise InputError(FIELD, word("workbook.missing")) from None
    return openpyxl


def check_archive(data: bytes) -> None:
    """Refuse what is not a readable .xlsx before openpyxl parses anything (raises `InputError`)."""
    if data.startswith(OLE_MAGIC):
        raise _refused(word("workbook.old_or_locked"))
    corrupt = _refused(word("workbook.damaged"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise corrupt from None
    bomb = _refused(word("workbook.unpacks_too_large", mb=MAX_UNCOMPRESSED_BYTES // 1_000_000))
    if len(infos) > MAX_MEMBERS or sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise bomb
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise bomb
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise _refused(word("workbook.not_xlsx"))
    if any(info.flag_bits & 0x1 for info in infos):
        raise corrupt


class _NoCachedValue(str):
    """A formula cell the file holds no result for: its coordinate, never its formula."""


@dataclass
class Sheet:
    """One sheet's rows as text (row number, cells), and which sheets the workbook has."""

    name: str
    names: tuple[str, ...]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_col, min_row, max_col, max_row


def _number_text(raw: str) -> str:
    """A stored number as a spreadsheet shows it: the file's text when it is a plain short decimal."""
    digits = raw.lstrip("-").replace(".", "").lstrip("0")
    if raw and "e" not in raw.lower() and len(digits) <= SIGNIFICANT_DIGITS:
        return raw[:-2] if raw.endswith(".0") else raw
    try:
        value = float(raw)
    except ValueError:
        return raw
    text = f"{value:.{SIGNIFICANT_DIGITS}g}"
    if "e" in text:
        text = f"{value:.{SIGNIFICANT_DIGITS + 10}f}".rstrip("0").rstrip(".")
    return text


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return _number_text(repr(value))
    return str(value)


def _parser_class(openpyxl: Any) -> Any:
    """openpyxl's sheet parser, reading numbers as the file stores them and marking uncached formulas."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            raw = element.findtext(VALUE_TAG, None)
            if element.find(FORMULA_TAG) is not None and not raw:
                cell["value"] = _NoCachedValue(element.get("r") or f"#{cell['column']}")
            elif cell["data_type"] == "n" and raw:
                cell["value"] = _number_text(raw.strip())
            return cell

    return Parser


def read_sheet(data: bytes, sheet: str | None = None, max_rows: int = MAX_SCANNED_ROWS) -> Sheet:
    """One sheet of a workbook as rows of text; raises `InputError` for an unreadable workbook or sheet.

    Rows past `max_rows` non-empty ones are not read (the caller says the file is too long).
    """
    check_archive(data)
    openpyxl = _openpyxl()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors, its own) for a broken file
        raise _refused(word("workbook.damaged")) from None
    try:
        sheets = [ws for ws in book.worksheets if hasattr(ws, "_worksheet_path")]
        names = tuple(str(ws.title) for ws in sheets)
        if not sheets:
            raise _refused(word("workbook.no_worksheet"))
        if sheet is None or sheet == "":
            chosen = sheets[0]
        else:
            chosen = next((ws for ws in sheets if ws.title == sheet), None)
            if chosen is None:
                separator = word("form.list_separator")
                listed = [shown(name) for name in names]
                choices = Message(separator.zh.join(listed), separator.en.join(listed))
                raise InputError("sheet", word("workbook.no_such_sheet", sheet=shown(sheet), sheets=choices))
        result = Sheet(str(chosen.title), names)
        parser = _parser_class(openpyxl)(
            book._archive.open(chosen._worksheet_path),
            book.shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        try:
            for number, cells in parser.parse():
                if number > MAX_SCANNED_ROWS:
                    raise _refused(word("workbook.rows_beyond", rows=f"{MAX_SCANNED_ROWS:,}"))
                row = [""] * min(MAX_COLUMNS, max((cell["column"] for cell in cells), default=0))
                for cell in cells:
                    if cell["column"] <= MAX_COLUMNS:
                        value = cell["value"]
                        row[cell["column"] - 1] = value if isinstance(value, _NoCachedValue) else _cell_text(value)
                if any(cell.strip() for cell in row):
                    result.rows.append((number, row))
                    if len(result.rows) > max_rows:
                        break
            else:
                if parser.merged_cells is not None:
                    for merged in parser.merged_cells.mergeCell:
                        bounds = openpyxl.utils.cell.range_boundaries(merged.ref)
                        result.merges.append(tuple(bounds))
        except InputError:
            raise
        except Exception:
            raise _refused(word("workbook.sheet_damaged", sheet=shown(result.name))) from None
        return result
    finally:
        book.close()


def no_cached_value(cell: str) -> InputError:
    return InputError(FIELD, word("workbook.no_cached_value", cell=cell))


def sheet_records(sheet: Sheet) -> Iterator[tuple[int, list[str] | InputError]]:
    """The sheet as the batch reads a CSV: the header first (title rows skipped, merged headers
    joined), then each row with its number; a row with an uncached formula is its error."""
    rows = sheet.rows
    merged_from = {(min_row, min_col): (max_col, max_row) for min_col, min_row, max_col, max_row in sheet.merges}
    start = 0
    while start < len(rows) - 1:  # title rows: a single value merged across columns
        number, cells = rows[start]
        filled = [column for column, cell in enumerate(cells, 1) if cell.strip()]
        span = merged_from.get((number, filled[0])) if len(filled) == 1 else None
        if span is None or span[0] <= filled[0]:
            break
        start += 1
    if start >= len(rows):
        return
    number, header = rows[start]
    last = max((max_row for (row, _), (_, max_row) in merged_from.items() if row == number), default=number)
    names = list(header)
    following = start + 1
    while following < len(rows) and rows[following][0] <= last:
        below = rows[following][1]
        names += [""] * (len(below) - len(names))
        for column, cell in enumerate(below):
            if cell.strip():
                names[column] = cell
        following += 1
    yield number, [str(name) for name in names]
    for number, cells in rows[following:]:
        uncached = next((cell for cell in cells if isinstance(cell, _NoCachedValue)), None)
        yield number, (no_cached_value(uncached) if uncached is not None else cells)


# --- writing -----------------------------------------------------------------------------------


def _text_cell(sheet: Any, value: object) -> Any:
    """A cell that holds `value` as a number or as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, int | float | datetime.date) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        return cell
    text = "" if value is None else str(value)
    text = ILLEGAL_CHARACTERS_RE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl reads a text starting with "=" as a formula: this one is text
    return cell


def _append(sheet: Any, values: Sequence[object]) -> None:
    sheet.append([_text_cell(sheet, value) for value in values])


def _number(text: str | None) -> int | float | str:
    """A shown number ("93.5") as a number cell; its exact value stays in its own text column."""
    if text is None or text == "":
        return ""
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def _date(text: str) -> datetime.date | str:
    """A YYYY-MM-DD date as a date cell's value; any other text stays text."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return text


def _save(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _both(message: Message, between: str = " / ") -> str:
    """Words in both languages, for a workbook that both kinds of reader open."""
    return f"{message.zh}{between}{message.en}"


def _about(book: Any, title: str, rows: Sequence[Sequence[object]]) -> None:
    about = book.create_sheet(title)
    for row in rows:
        _append(about, row)


def batch_workbook(result: BatchResult, profile: Profile, date: str, sheet: str | None = None) -> bytes:
    """The batch's results as an .xlsx: every row in file order (error rows with their message),
    then a sheet with the date, the profile, what the columns mean and the assumptions."""
    from calculator.numbers import exact_text, format_distance, format_number
    from calculator.rules import load_rules

    openpyxl = _openpyxl()
    book = openpyxl.Workbook(write_only=True)
    results = book.create_sheet(_both(word("workbook.sheet_results"), " "))
    level_column = result.level_column
    _append(results, ["line", *result.output_columns[:4], f"{level_column}_name", *result.output_columns[4:]])
    lines: list[tuple[int, list[object]]] = []
    for row in result.rows:
        name = result.band_name(row) if result.outlets else row.level.name
        distance = format_distance(row.points_to_next) if row.points_to_next is not None else None
        cells: list[object] = [row.line, row.id, _number(format_number(row.score)), exact_text(row.score)]
        cells += [row.level.code, f"{name.zh} / {name.en}", _number(distance), ""]
        lines.append((row.line, cells))
    for failure in result.errors:
        message = failure.error.message
        lines.append((failure.line, [failure.line, failure.id, "", "", "", "", "", f"{message.zh} / {message.en}"]))
    lines.sort(key=lambda item: item[0])
    for _, cells in lines:
        _append(results, cells)
    summary = result.summary()
    about: list[list[object]] = [
        [_both(word("workbook.date")), _date(date)],
        [_both(word("workbook.profile")), profile.id, f"{profile.name.zh} / {profile.name.en}"],
    ]
    if sheet:
        about.append([_both(word("workbook.sheet")), sheet])
    columns = word("workbook.columns_explained", level_column=level_column)
    estimate = word("workbook.not_a_decision")
    about += [
        [_both(word("workbook.summary")), summary.zh, summary.en],
        [_both(word("workbook.columns")), columns.zh, columns.en],
        [_both(word("workbook.assumptions"))],
    ]
    about += [["", item.zh, item.en] for item in load_rules().assumptions_for(profile.id, profile.special_items)]
    about.append(["", estimate.zh, estimate.en])
    _about(book, _both(word("workbook.sheet_about"), " "), about)
    return _save(book)


# The plan's columns, in order; each one's heading is the words' entry `workbook.plan_<column>`.
PLAN_COLUMNS = ("group", "indicator", "item", "question", "answer", "gain", "evidence", "how", "owner", "due")


def readiness_workbook(result: Readiness, date: str, guide: str = "", lang: str = "zh") -> bytes:
    """The readiness plan as an .xlsx: a row per gap, largest gain first, with empty owner and due
    date columns to fill in; `guide` is the preparation guide's address (links go to its evidence)."""
    from calculator.numbers import format_distance
    from calculator.readiness import ANSWER_NAMES, load_model

    def say(message: Message) -> str:
        return message.en if lang == "en" else message.zh

    openpyxl = _openpyxl()
    model = load_model()
    indicators = {each.id: each.name for group in model.groups for each in group.indicators}
    book = openpyxl.Workbook(write_only=True)
    plan = book.create_sheet(
        _both(word("workbook.sheet_plan"), " ") if lang != "en" else say(word("workbook.sheet_plan"))
    )
    _append(plan, [say(word(f"workbook.plan_{column}")) for column in PLAN_COLUMNS])
    for gap in result.gaps:
        link = f"{guide}#evidence-{gap.item.indicator}" if guide else f"#evidence-{gap.item.indicator}"
        _append(
            plan,
            [
                say(gap.group.name),
                say(indicators[gap.item.indicator]),
                gap.item.id,
                say(gap.item.question),
                say(ANSWER_NAMES[gap.answer]),
                _number(format_distance(gap.gain)),
                say(gap.item.evidence),
                link,
                "",
                "",
            ],
        )
    summary = result.summary()
    about: list[list[object]] = [
        [say(word("workbook.date")), _date(date)],
        [say(word("workbook.profile")), model.profile.id, say(model.profile.name)],
        [say(word("workbook.estimate")), say(summary)],
        [say(word("workbook.answers_code")), result.code],
        [say(word("workbook.assumptions"))],
    ]
    about += [["", say(item)] for item in result.assumptions]
    about_title = _both(word("workbook.sheet_about"), " ") if lang != "en" else say(word("workbook.sheet_about"))
    _about(book, about_title, about)
    return _save(book)
