"""Numbers as people write them: sensible precision, thousands separated, money in round dollars.

A number shown with more digits than it deserves misleads ("$180,306" claims a precision a
ten-run simulation does not have), and one shown with fewer hides a real difference ("95%
interval: 4 to 4"). The rules here pick the precision from what the number is: an interval's
own width, or the unit's meaningful resolution when there is no interval.
"""

from __future__ import annotations

import math

#: Decimals people read for each unit as it is shown (0-1 scales already multiplied to 0-100):
#: the finest resolution that means something, used when no interval says otherwise.
SHOWN_DECIMALS = {"points (0-100 scale)": 1, "%": 1, "SD": 3, "hours": 1,
                  "minutes per student": 0, "minutes per week": 0, "$": 0,
                  "$ per student-hour": 0}


def finite(value) -> bool:
    """True for a real, finite number (not None, NaN or infinity)."""
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def decimals_for_width(width: float, finest: int = 3, coarsest: int = -4) -> int:
    """Decimals that show an interval of this width with one or two significant digits.

    A 95% interval 6 wide is shown to the unit ("-53 to -47"), one 0.04 wide to the hundredth
    ("0.05 to 0.09"), one 20,000 wide to the ten thousand ("170,000 to 190,000"): the
    interval's last digit is its first uncertain one. Negative decimals round left of the
    point.

    Args:
        width: High minus low.
        finest: Never more decimals than this (the unit's meaningful resolution).
        coarsest: Never round coarser than this.
    """
    if not finite(width) or width <= 0:
        return finest
    decimals = -math.floor(math.log10(width))
    if width / 10.0 ** -decimals < 2:  # a width of 1.x: one more digit, or 1 to 2 reads as 1 to 1
        decimals += 1
    return max(coarsest, min(finest, decimals))


def round_to(value: float, decimals: int) -> float:
    """Round to ``decimals`` (negative rounds left of the point); never a negative zero."""
    return round(float(value), decimals) + 0.0


def number(value: float, decimals: int = 0, signed: bool = False) -> str:
    """A number with thousands separated and exactly ``max(decimals, 0)`` decimals.

    >>> number(180306.4, -4)
    '180,000'
    >>> number(-0.004, 2, signed=True)
    '0.00'
    """
    if not finite(value):
        return "n/a"
    rounded = round_to(value, decimals)
    text = f"{abs(rounded):,.{max(decimals, 0)}f}"
    if rounded < 0:
        return "-" + text
    return ("+" + text) if signed and rounded > 0 else text


def hours(minutes: float) -> str:
    """Minutes as hours with as many decimals as a quarter hour needs, never rounded away.

    Staffing is counted in quarter hours, and one decimal would show 2.25 hours as "2.2" and
    6.75 as "6.8" (halves round to even).

    >>> hours(135), hours(405), hours(1350), hours(2400)
    ('2.25', '6.75', '22.5', '40')
    """
    value = float(minutes) / 60
    decimals = next((d for d in (0, 1) if abs(round(value, d) - value) < 1e-9), 2)
    return number(value, decimals)


def significant_decimals(value: float, digits: int = 3) -> int:
    """Decimals that keep ``digits`` significant digits of ``value``."""
    if not finite(value) or value == 0:
        return 0
    return digits - 1 - math.floor(math.log10(abs(value)))


def money(value: float, decimals: int | None = None, signed: bool = False) -> str:
    """Dollars as people say them: "$180,000", "$14,900", "$92", "-$3.40".

    Without ``decimals``: three significant digits for amounts of $1,000 or more (a simulated
    cost is not known to the dollar), whole dollars from $10, cents below. Never an exponent.

    Args:
        value: Dollars.
        decimals: Round to these decimals instead (e.g. from an interval's width).
        signed: Show "+" on positive amounts (for differences).
    """
    if not finite(value):
        return "n/a"
    size = abs(float(value))
    if decimals is None:
        decimals = (min(0, significant_decimals(value, 3)) if size >= 1000 else
                    0 if size >= 10 else 2)
    rounded = round_to(value, decimals)
    text = f"${abs(rounded):,.{max(decimals, 0)}f}"
    if rounded < 0:
        return "-" + text
    return ("+" + text) if signed and rounded > 0 else text


def money_k(value: float, _position=None) -> str:
    """A tick label in thousands of dollars ("$50k", "$1.2M"), for a matplotlib formatter."""
    if not finite(value):
        return ""
    size = abs(value)
    sign = "-" if value < 0 else ""
    if size >= 1e6:
        return f"{sign}${size / 1e6:.3g}M"
    if size >= 1000:
        return f"{sign}${size / 1000:.3g}k"
    return f"{sign}${size:.0f}"


def percent(share: float, decimals: int = 0) -> str:
    """A 0-1 share as a percentage ("12%")."""
    return "n/a" if not finite(share) else f"{number(100 * share, decimals)}%"


def plural(count: float | str, singular: str, plural_form: str | None = None) -> str:
    """The noun that goes with a count as shown: "1 point", "1.5 points", "0 hours".

    Args:
        count: The number, or its text as shown (so "1.0" takes the plural, as it is read).
        singular: The noun for one.
        plural_form: The noun for others (default: singular + "s").
    """
    text = count if isinstance(count, str) else f"{float(count):g}"
    return singular if text.lstrip("+-$") == "1" else (plural_form or singular + "s")


def counted(text: str, singular: str, plural_form: str | None = None) -> str:
    """A shown number with the noun that agrees with it ("1 point", "2.5 points")."""
    return f"{text} {plural(text, singular, plural_form)}"
