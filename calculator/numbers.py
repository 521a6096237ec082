"""Reading numbers typed by people, and showing exact numbers to them.

Scores are kept as `Fraction`s: 33.3 + 31.4 + 5.3 is exactly 70, never 69.99999.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from calculator.errors import InputError, Message

DIGITS = 30  # at most this many digits before or after the point: enough for any score, and
# it keeps exact arithmetic cheap (10**99999999 would take minutes to build)


def exact(value: object) -> Fraction:
    """An exact number from data (int, float as printed, Fraction, or decimal text); ValueError otherwise.

    For numbers in files (profile points, thresholds), where the message is the caller's.
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, (int, Fraction)):
        number = Fraction(value)
        if abs(number.numerator) >= 10**DIGITS or number.denominator >= 10**DIGITS:
            raise ValueError("too many digits")
        return number
    if isinstance(value, float):
        value = repr(value)
    if not isinstance(value, str):
        raise ValueError("not a number")
    decimal = _decimal(unicodedata.normalize("NFKC", value).strip())
    if decimal is None or not decimal.is_finite() or _too_long(decimal):
        raise ValueError("not a finite number of reasonable size")
    return Fraction(decimal)


def _decimal(text: str) -> Decimal | None:
    if not text or "_" in text:  # Decimal reads "9_5" as 95: a typo, not a number
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _too_long(decimal: Decimal) -> bool:
    exponent = decimal.as_tuple().exponent
    return decimal.adjusted() >= DIGITS or (isinstance(exponent, int) and exponent < -DIGITS)


def parse_number(value: object, field: str, label: Message, maximum: Fraction | None = None) -> Fraction:
    """Turn a typed value into an exact non-negative number, or raise `InputError`.

    Accepts ints, floats (read as the decimal they print as) and strings with
    surrounding spaces, full-width digits and a full-width decimal point.
    """
    if isinstance(value, bool):
        raise InputError(field, Message(f"{label.zh}必须是数字。", f"{label.en} must be a number."))
    if isinstance(value, (int, Fraction)):
        number = Fraction(value)
    elif isinstance(value, float):
        number = _from_text(repr(value), field, label, maximum)
    elif isinstance(value, str):
        number = _from_text(value, field, label, maximum)
    elif isinstance(value, Decimal):
        number = _from_text(str(value), field, label, maximum)
    else:
        raise InputError(field, Message(f"{label.zh}必须是数字。", f"{label.en} must be a number."))
    if number < 0:
        raise _negative(field, label)
    if (maximum is not None and number > maximum) or abs(number.numerator) >= 10 ** (2 * DIGITS):
        raise _too_large(field, label, maximum)
    return number


def _from_text(text: str, field: str, label: Message, maximum: Fraction | None) -> Fraction:
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise InputError(field, Message(f"请填写{label.zh}。", f"Please enter the {label.en.lower()}."))
    decimal = _decimal(cleaned)
    if decimal is None:
        shown = text.strip()[:40]
        raise InputError(field, Message(f"{label.zh}“{shown}”不是数字。", f"{label.en} “{shown}” is not a number."))
    if not decimal.is_finite():
        raise InputError(field, Message(f"{label.zh}必须是有限的数字。", f"{label.en} must be a finite number."))
    if decimal.adjusted() >= DIGITS:  # far too large: say so without building the number
        if decimal < 0:
            raise _negative(field, label)
        raise _too_large(field, label, maximum)
    exponent = decimal.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -DIGITS:
        raise InputError(
            field,
            Message(
                f"{label.zh}的小数位太多（最多 {DIGITS} 位）。",
                f"{label.en} has too many decimal places (at most {DIGITS}).",
            ),
        )
    return Fraction(decimal)


def _negative(field: str, label: Message) -> InputError:
    return InputError(field, Message(f"{label.zh}不能为负数。", f"{label.en} cannot be negative."))


def _too_large(field: str, label: Message, maximum: Fraction | None) -> InputError:
    if maximum is None:
        return InputError(field, Message(f"{label.zh}太大了。", f"{label.en} is too large."))
    limit = format_number(maximum)
    return InputError(field, Message(f"{label.zh}不能超过 {limit}。", f"{label.en} cannot be more than {limit}."))


def format_number(value: Fraction, places: int = 2, *, up: bool = False) -> str:
    """Show an exact number with at most `places` decimals and no trailing zeros.

    Scores round down so that a shown score never reaches a threshold the exact one
    missed (79.999 shows as 79.99, not 80); distances to a threshold round up
    (`up=True`) so they are never understated.
    """
    scaled = value * 10**places
    units = -((-scaled.numerator) // scaled.denominator) if up else scaled.numerator // scaled.denominator
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), 10**places)
    text = f"{whole}.{part:0{places}d}".rstrip("0").rstrip(".") if places else str(whole)
    return f"{sign}{text}" if text != "0" else "0"


def format_distance(value: Fraction, places: int = 2) -> str:
    """Show how far a score is from a threshold, rounded up so it is never understated."""
    return format_number(value, places, up=True)
