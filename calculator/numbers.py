"""Reading numbers typed by people, and showing exact numbers to them.

Scores are kept as `Fraction`s: 33.3 + 31.4 + 5.3 is exactly 70, never 69.99999.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from calculator.errors import InputError, Message


def parse_number(value: object, field: str, label: Message, maximum: Fraction | None = None) -> Fraction:
    """Turn a typed value into an exact non-negative number, or raise `InputError`.

    Accepts ints, floats (read as the decimal they print as) and strings with
    surrounding spaces, full-width digits and a full-width decimal point.
    """
    if isinstance(value, bool):
        raise InputError(field, Message(f"{label.zh}必须是数字。", f"{label.en} must be a number."))
    if isinstance(value, (int, Fraction)) or (isinstance(value, Decimal) and value.is_finite()):
        number = Fraction(value)
    elif isinstance(value, float):
        number = _from_text(repr(value), field, label)
    elif isinstance(value, str):
        number = _from_text(value, field, label)
    else:
        raise InputError(field, Message(f"{label.zh}必须是数字。", f"{label.en} must be a number."))
    if number < 0:
        raise InputError(field, Message(f"{label.zh}不能为负数。", f"{label.en} cannot be negative."))
    if maximum is not None and number > maximum:
        limit = format_number(maximum)
        raise InputError(
            field,
            Message(f"{label.zh}不能超过 {limit}。", f"{label.en} cannot be more than {limit}."),
        )
    return number


def _from_text(text: str, field: str, label: Message) -> Fraction:
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise InputError(field, Message(f"请填写{label.zh}。", f"Please enter the {label.en.lower()}."))
    try:
        decimal = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(
            field, Message(f"{label.zh}“{text.strip()}”不是数字。", f"{label.en} “{text.strip()}” is not a number.")
        ) from None
    if not decimal.is_finite():
        raise InputError(field, Message(f"{label.zh}必须是有限的数字。", f"{label.en} must be a finite number."))
    return Fraction(decimal)


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
