"""Workbooks (.xlsx) in and out: batch rows read from a sheet, results and the readiness plan written.

Needs `openpyxl` (pure Python; the optional extra `gbt27922-calculator[xlsx]`). It is imported
only inside the functions that read or write a workbook, so the rest of the package, and the
browser's cold start, never load it; without it, a clear message says how to install it.

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
a date given as YYYY-MM-DD becomes a date cell. `datetime` is imported here at the top (openpyxl
needs it anyway), so the browser's trimmed standard library, traced from the calculator's
imports, holds it: without it, the first workbook would fetch the whole rest of the library.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from calculator.errors import InputError, Message, shown

if TYPE_CHECKING:
    from calculator.batch import BatchResult
    from calculator.profiles import Profile
    from calculator.readiness import Readiness

FIELD = "batch_file"
XLSX_MAGIC = b"PK\x03\x04"
CFB_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE compound file: .xls, or an encrypted .xlsx
MAX_UNCOMPRESSED_BYTES = 160_000_000  # all members of the archive together, as its directory declares
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # a member larger than RATIO_FROM bytes may not inflate more than this many times
RATIO_FROM = 1_000_000
MAX_COLUMNS = 256  # columns read per row; a batch needs a handful
MAX_SCANNED_ROWS = 1_048_576  # Excel's own row limit: rows numbered beyond it are not a real sheet
SIGNIFICANT_DIGITS = 15  # what a spreadsheet shows of a stored number
WORKS = Message(
    "可以打开 .xlsx 工作簿（Excel 2007 及以后、WPS 表格）或 CSV 文件（UTF-8、GB18030）。",
    "Open an .xlsx workbook (Excel 2007 or later, WPS Spreadsheets) or a CSV file (UTF-8, GB18030).",
)
MISSING = Message(
    "读取或写入 .xlsx 工作簿需要 openpyxl：请运行 pip install 'gbt27922-calculator[xlsx]'（或 pip install openpyxl）；"
    "也可以把工作簿另存为“CSV UTF-8（逗号分隔）”。",
    "Reading or writing .xlsx workbooks needs openpyxl: run pip install 'gbt27922-calculator[xlsx]' (or pip install "
    "openpyxl); or save the workbook as “CSV UTF-8 (comma delimited)”.",
)


def is_workbook(data: bytes) -> bool:
    """Whether bytes look like a spreadsheet archive (.xlsx) or an OLE file (.xls, an encrypted .xlsx)."""
    return data.startswith((XLSX_MAGIC, CFB_MAGIC))


def _refused(zh: str, en: str) -> InputError:
    return InputError(FIELD, Message(f"{zh}{WORKS.zh}", f"{en} {WORKS.en}"))


def _openpyxl() -> Any:
    try:
        import openpyxl  # optional and heavy: only when a workbook is read or written
    except ImportError:
        raise InputError(FIELD, MISSING) from None
    return openpyxl


def check_archive(data: bytes) -> None:
    """Refuse what is not a readable .xlsx before openpyxl parses anything (raises `InputError`)."""
    if data.startswith(CFB_MAGIC):
        raise _refused(
            "这是旧版 Excel 工作簿（.xls）或设置了打开密码的工作簿，无法读取；请在 Excel 或 WPS 中去掉密码，另存为 .xlsx 后再打开。",
            "This is an old Excel workbook (.xls) or a password-protected one, which cannot be read; in Excel or WPS, "
            "remove the password and save it as .xlsx, then open that file.",
        )
    corrupt = _refused("工作簿已损坏，或不是 .xlsx 文件。", "The workbook is damaged, or it is not an .xlsx file.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise corrupt from None
    bomb = _refused(
        f"工作簿解压后过大（上限 {MAX_UNCOMPRESSED_BYTES // 1_000_000} MB，或压缩比异常），不予读取；请拆分成几个文件。",
        f"The workbook unpacks too large (the limit is {MAX_UNCOMPRESSED_BYTES // 1_000_000} MB, or it is compressed "
        "suspiciously well), so it is not read; split it into several files.",
    )
    if len(infos) > MAX_MEMBERS or sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise bomb
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise bomb
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise _refused("这个文件不是 Excel 工作簿（.xlsx）。", "This file is not an Excel workbook (.xlsx).")
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
        raise _refused(
            "工作簿已损坏，或不是 .xlsx 文件。", "The workbook is damaged, or it is not an .xlsx file."
        ) from None
    try:
        sheets = [ws for ws in book.worksheets if hasattr(ws, "_worksheet_path")]
        names = tuple(str(ws.title) for ws in sheets)
        if not sheets:
            raise _refused("工作簿里没有工作表。", "The workbook has no worksheet.")
        if sheet is None or sheet == "":
            chosen = sheets[0]
        else:
            chosen = next((ws for ws in sheets if ws.title == sheet), None)
            if chosen is None:
                listed = "、".join(shown(name) for name in names)
                raise InputError(
                    "sheet",
                    Message(
                        f"工作簿里没有名为“{shown(sheet)}”的工作表；有：{listed}。",
                        f"The workbook has no sheet named “{shown(sheet)}”; it has: {', '.join(shown(n) for n in names)}.",
                    ),
                )
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
                    raise _refused(
                        f"工作表的行号超过了 {MAX_SCANNED_ROWS:,}，不是有效的工作表。",
                        f"The sheet numbers rows beyond {MAX_SCANNED_ROWS:,}: it is not a valid sheet.",
                    )
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
            raise _refused(
                f"工作表“{shown(result.name)}”已损坏，无法读取。", f"The sheet “{shown(result.name)}” is damaged."
            ) from None
        return result
    finally:
        book.close()


def no_cached_value(cell: str) -> InputError:
    return InputError(
        FIELD,
        Message(
            f"单元格 {cell} 是公式，但文件里没有它的计算结果（本工具不计算公式）；请在 Excel 或 WPS 中打开并保存一次，或改成数值。",
            f"Cell {cell} holds a formula whose result the file does not keep (formulas are never evaluated here); "
            "open and save the workbook once in Excel or WPS, or type the value.",
        ),
    )


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
    results = book.create_sheet("结果 Results")
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
        ["日期 / Date", _date(date)],
        ["评分表 / Profile", profile.id, f"{profile.name.zh} / {profile.name.en}"],
    ]
    if sheet:
        about.append(["工作表 / Sheet", sheet])
    about += [
        ["结果 / Summary", summary.zh, summary.en],
        [
            "列 / Columns",
            f"line = 源文件行号；score = 得分（两位小数，向下取整）；score_exact = 精确值；{level_column} = 等级代码；"
            "points_to_next = 距下一等级（向上取整）；error = 该行的错误",
            f"line = the source row; score = two decimals, rounded down; score_exact = exact; {level_column} = the "
            "level's code; points_to_next = to the next level, rounded up; error = the row's error",
        ],
        ["假设 / Assumptions"],
    ]
    about += [["", item.zh, item.en] for item in load_rules().assumptions_for(profile.id, profile.special_items)]
    about.append(["", "自评估算，不是认证结论。", "A self-assessment estimate, not a certification decision."])
    _about(book, "说明 About", about)
    return _save(book)


READINESS_COLUMNS = (
    Message("一级指标", "Group"),
    Message("二级指标", "Indicator"),
    Message("编号", "Item"),
    Message("问题", "Question"),
    Message("目前的回答", "Current answer"),
    Message("做到后约加分", "Points it adds"),
    Message("要准备的证据", "Evidence to prepare"),
    Message("怎么做", "How"),
    Message("负责人", "Owner"),
    Message("完成日期", "Due date"),
)


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
    plan = book.create_sheet("计划 Plan" if lang != "en" else "Plan")
    _append(plan, [say(column) for column in READINESS_COLUMNS])
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
        [say(Message("日期", "Date")), _date(date)],
        [say(Message("评分表", "Profile")), model.profile.id, say(model.profile.name)],
        [say(Message("估计", "Estimate")), say(summary)],
        [say(Message("答案代码", "Answers code")), result.code],
        [say(Message("假设", "Assumptions"))],
    ]
    about += [["", say(item)] for item in result.assumptions]
    _about(book, "说明 About" if lang != "en" else "About", about)
    return _save(book)
