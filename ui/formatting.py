"""Showing values the unit's way: dates with its month names and digits, numbers, labels.

Views and delegates call these; they never format dates or digits themselves.
"""

from __future__ import annotations

import datetime as dt

from models.arabic import apply_digits
from models.dates import DateStyle, format_date, format_range


def date_text(value: str | dt.date | None, style: DateStyle) -> str:
    """A stored ISO date as the unit shows dates ("٢٣ تشرين الثاني ٢٠٢٦"); "" for none."""
    if not value:
        return ""
    try:
        return format_date(value, style)
    except ValueError:
        return str(value)


def range_text(start: str | None, end: str | None, style: DateStyle) -> str:
    """An activity's dates, one day or a span."""
    if not start:
        return ""
    try:
        return format_range(start, end or start, style)
    except ValueError:
        return start


def number_text(value: int | None, style: DateStyle) -> str:
    """A count in the unit's digits, without group separators (they confuse IDs)."""
    if value is None:
        return ""
    return apply_digits(str(value), style.digits)


def digits_text(text: str, style: DateStyle) -> str:
    """Any text with its digits in the unit's style (phone numbers stay as typed)."""
    return apply_digits(text, style.digits)
