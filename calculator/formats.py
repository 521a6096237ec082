"""The versioned shapes of the JSON documents the package writes (CLI output, page exports).

Every document starts with two keys a script can check before reading anything else:

    {"format": "gbt27922.grade", "format_version": 2, ...}

Version 2: every value field is exact (terminating decimals in full, "79.999"; any other value
as a fraction, "200/3"); the two-decimal texts people read sit apart, under "display". Version 1
(no "format" key) carried the rounded texts in the value fields and the exact ones under
"exact". A document read back (a readiness answers file, an assessment) may carry these keys;
it is refused when they name another kind or a newer version.
"""

from __future__ import annotations

from typing import Any

from calculator.errors import InputError, Message, shown

FORMAT_VERSION = 2
PREFIX = "gbt27922."
FORMAT_KEYS = ("format", "format_version", "calculator_version")

# What each kind of document is; the README's table lists the same kinds.
KINDS = (
    "grade",  # one assessment: grade, assess
    "batch",  # many rows: batch
    "profiles",  # the built-in profiles: profiles
    "checklist",  # the readiness questions: checklist
    "readiness",  # a readiness result: readiness
    "readiness-answers",  # answers to the readiness questions (the page's export; input of readiness)
    "assessment",  # an assessment's input (assess --template; input of assess)
    "self-assessment",  # the calculator page's download: its inputs and result
)


def format_name(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    return PREFIX + kind


def header(kind: str) -> dict[str, Any]:
    """The keys that open a document of this kind: its format, and the package version that wrote it."""
    from calculator import __version__  # here, not at the top: the package's __init__ imports this module's users

    return {"format": format_name(kind), "format_version": FORMAT_VERSION, "calculator_version": __version__}


def document(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body` as a versioned document: the format keys first, then the body's own keys."""
    return {**header(kind), **{key: value for key, value in body.items() if key not in FORMAT_KEYS}}


def check_header(data: dict[Any, Any], kind: str, field: str) -> InputError | None:
    """Why a document read back cannot be read as `kind`, or None (also when it names no format)."""
    expected = format_name(kind)
    name = data.get("format", expected)
    version = data.get("format_version", FORMAT_VERSION)
    if name != expected:
        return InputError(
            field,
            Message(
                f"文件的 format 是“{shown(name)}”，这里需要“{expected}”。",
                f"The file's format is “{shown(name)}”; “{expected}” is needed here.",
            ),
        )
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        return InputError(
            field,
            Message(
                f"文件的 format_version“{shown(version)}”无法读取（本版本可读 1–{FORMAT_VERSION}）。",
                f"The file's format_version “{shown(version)}” cannot be read (this version reads 1–{FORMAT_VERSION}).",
            ),
        )
    return None


JSON_HELP = (
    f"机器可读输出：JSON，开头是 format（gbt27922.…）和 format_version（{FORMAT_VERSION}）；数值一律精确"
    f"（79.999、200/3），四舍五入后的显示文本在 display 下 / machine-readable output: JSON opening with "
    f"format (gbt27922.…) and format_version ({FORMAT_VERSION}); every value exact (79.999, 200/3), "
    "the rounded texts people read under display"
)
