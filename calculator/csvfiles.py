"""CSV files in and out: decoding the bytes people's spreadsheets save, and writing safe cells.

Both the command line and the browser use these (the page hands Python the file's raw
bytes): a file is decoded the same way everywhere, and every CSV the package writes is
safe to open in a spreadsheet program.

Encodings, detected without asking: UTF-8 with or without a byte-order mark, UTF-16 with
a byte-order mark (Excel's "Unicode text"), and GB18030, which contains GBK, the encoding
Excel on Chinese Windows saves "CSV (comma delimited)" in. Anything else gets the advice
to save the file as "CSV UTF-8".
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable

from calculator.errors import InputError, Message

FIELD = "batch_file"
UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Import the codecs now, so that the browser's standard library (which keeps only the modules
# imported at build time) has them: codec lookups import their module lazily.
for _name in ("utf-8", "utf-16", "gb18030"):
    codecs.lookup(_name)

SAVE_AS_UTF8 = Message(
    "请在表格软件中用“另存为”，选择“CSV UTF-8（逗号分隔）”格式后再打开。",
    "In your spreadsheet program, use Save As and choose “CSV UTF-8 (comma delimited)”, then open that file.",
)
# OWASP's advice on CSV injection: a cell starting with one of these is read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _unreadable(why: Message) -> InputError:
    return InputError(FIELD, Message(f"{why.zh}{SAVE_AS_UTF8.zh}", f"{why.en} {SAVE_AS_UTF8.en}"))


def decode_csv_bytes(data: bytes) -> str:
    """The text of a CSV file's bytes, in whichever supported encoding it is; raises `InputError`."""
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM) :].decode("utf-8")
        except UnicodeDecodeError:
            raise _unreadable(
                Message(
                    "文件以 UTF-8 标记开头，内容却不是 UTF-8。", "The file starts with a UTF-8 mark but is not UTF-8."
                )
            ) from None
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise _unreadable(
                Message(
                    "文件以 UTF-16 标记开头，内容却不是 UTF-16。",
                    "The file starts with a UTF-16 mark but is not UTF-16.",
                )
            ) from None
    if data.startswith(b"PK\x03\x04"):
        raise _unreadable(
            Message("这是 Excel 工作簿（.xlsx），不是 CSV 文件。", "This is an Excel workbook (.xlsx), not a CSV file.")
        )
    if b"\x00" in data:
        raise _unreadable(
            Message(
                "文件里有空字节：它不是文本，或是没有字节序标记的 UTF-16。",
                "The file has NUL bytes: it is not text, or it is UTF-16 without a byte-order mark.",
            )
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable(
        Message(
            "无法识别文件的编码（支持 UTF-8、UTF-16 和 GB18030/GBK）。",
            "The file's encoding is not recognised (UTF-8, UTF-16 and GB18030/GBK are supported).",
        )
    )


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: one that could start a formula gets a leading quote.

    Nothing is trimmed: a leading tab stays (after the quote), so the cell keeps what was sent.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write_csv(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """CSV text with every cell made spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return out.getvalue()
