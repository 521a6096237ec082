"""Reading numbers typed by people, and showing exact numbers to them.

Scores are kept as `Fraction`s: 33.3 + 31.4 + 5.3 is exactly 70, never 69.99999.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from calculator.errors import InputError, Message, shown

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
    decimal = _decimal(_clean(value))
    if decimal is not None and decimal.is_zero():
        return Fraction(0)
    if decimal is None or not decimal.is_finite() or _too_long(decimal):
        raise ValueError("not a finite number of reasonable size")
    return Fraction(decimal)


LONGEST = 4 * DIGITS + 16  # characters of typed text read as a number at most; longer is refused unread


def _clean(text: str) -> str:
    """Typed text as a number's characters: full-width forms folded, spaces and invisible marks
    (a byte-order mark, zero-width spaces, bidi controls) removed from the ends."""
    folded = unicodedata.normalize("NFKC", text[:LONGEST])
    if len(text) > LONGEST:
        folded += "…"  # still not a number, and never converted
    return "".join(char for char in folded if unicodedata.category(char) != "Cf").strip()


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
    if len(text) > LONGEST and len(text.strip()) > LONGEST:
        raise InputError(
            field,
            Message(
                f"{label.zh}的位数太多（最多 {DIGITS} 位整数和 {DIGITS} 位小数）。",
                f"{label.en} has too many digits (at most {DIGITS} before and {DIGITS} after the point).",
            ),
        )
    cleaned = _clean(text)
    if not cleaned:
        raise InputError(field, Message(f"请填写{label.zh}。", f"Please enter the {label.en.lower()}."))
    decimal = _decimal(cleaned)
    if decimal is None:
        typed = shown(text.strip())
        raise InputError(field, Message(f"{label.zh}“{typed}”不是数字。", f"{label.en} “{typed}” is not a number."))
    if not decimal.is_finite():
        raise InputError(field, Message(f"{label.zh}必须是有限的数字。", f"{label.en} must be a finite number."))
    if decimal.is_zero():  # 0e999 is exactly 0: its exponent says nothing about its size
        return Fraction(0)
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


def format_nearest(value: Fraction, places: int = 2) -> str:
    """Show a number rounded to the nearest `places` decimals (halves up), for shares and
    estimates where neither direction matters: 2/3 of 100 shows as 66.67, never 66.66."""
    scaled = value * 10**places
    units = (scaled + Fraction(1, 2)).__floor__()
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), 10**places)
    text = f"{whole}.{part:0{places}d}".rstrip("0").rstrip(".") if places else str(whole)
    return f"{sign}{text}" if text != "0" else "0"


def exact_text(value: Fraction) -> str:
    """The exact value as text for machines: the whole decimal when it terminates ("79.999"),
    otherwise the fraction ("200/3"). Never rounded."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    if places == 0:
        return str(value.numerator)
    scaled = abs(value.numerator) * 10**places // value.denominator
    whole, part = divmod(scaled, 10**places)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{str(part).zfill(places).rstrip('0')}"


def points_en(shown: str) -> str:
    """An English count of points: "1 point", "0.5 points", "2 points"."""
    return f"{shown} point" if shown == "1" else f"{shown} points"


def format_distance(value: Fraction, places: int = 2) -> str:
    """Show how far a score is from a threshold, rounded up so it is never understated."""
    return format_number(value, places, up=True)
