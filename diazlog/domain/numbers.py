"""Numbers and counts the way a person writes them: 5.5, 4, 0–12, "1 day", "2 onsets".

Every figure the Charts screen, `status` and the questions print goes through here, so a mean
never shows as 5.50000 or 7.33333 and a count never reads "1 onsets".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from diazlog.domain import limits

DASH = "–"
"""Between the ends of a range: "0–12"."""


def num(value: float, places: int = 1) -> str:
    """`value` rounded half up to `places` decimals, without trailing zeros: 4.47 -> "4.5"."""
    step = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def mg(value: float) -> str:
    """A dose or a daily total in mg, to 2 decimals at most: 7.5, 2.25, 0."""
    return num(value, 2)


def span(low: float, high: float, places: int = 1) -> str:
    """A range from its ends: "0–12"; one value when both ends are the same."""
    a, b = num(low, places), num(high, places)
    return a if a == b else f"{a}{DASH}{b}"


def count(n: int, word: str, plural: str | None = None) -> str:
    """ "1 day", "2 days", "0 onsets"."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def shown_change(before: float, after: float, places: int = 1) -> float:
    """The change between two means as shown (each rounded as `num` shows it), so the
    arithmetic on screen adds up: 4.3 -> 4.6 is +0.3 even when the unrounded change is 0.22."""
    return float(Decimal(num(after, places)) - Decimal(num(before, places)))


def signed(value: float) -> str:
    """A change with its sign: "+2.4", "-0.5", "0"."""
    text = num(value)
    return text if text == "0" or text.startswith("-") else f"+{text}"


def not_enough(n: int, word: str = "day", detail: str = "") -> str:
    """What the app says instead of a comparison it cannot back: "not enough data yet (3 days)"."""
    return f"not enough data yet ({count(n, word)}{' ' + detail if detail else ''})"


def is_meaningful(difference: float) -> bool:
    """A difference on the 0-10 scale that is at least the smallest one that matters."""
    return abs(difference) >= limits.MEANINGFUL_CHANGE - 1e-9
