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


#: From here on a count's thousands are grouped (٣٧٬٦٦٦): a long run of digits is hard to
#: read at a glance; below it a four-digit count, like a year, stays as it is (٢٠٢٦).
GROUP_FROM = 10_000


def number_text(value: int | None, style: DateStyle) -> str:
    """A count in the unit's digits, its thousands grouped from :data:`GROUP_FROM` on
    («٣٧٬٦٦٦», «37,666»). IDs, phone numbers and serials are text, never counts."""
    if value is None:
        return ""
    if abs(value) < GROUP_FROM:
        return apply_digits(str(value), style.digits)
    grouped = f"{value:,}"
    # U+066C, the Arabic thousands separator, with Arabic-Indic digits.
    return apply_digits(grouped, style.digits).replace(",", "٬") \
        if style.digits == "arabic" else grouped


def index_text(value: int, style: DateStyle) -> str:
    """A number that names rather than counts (a list's «ت», a spreadsheet's row, a
    version) in the unit's digits, never grouped: as the documents and Excel show it."""
    return apply_digits(str(value), style.digits)


def digits_text(text: str, style: DateStyle) -> str:
    """Any text with its digits in the unit's style (phone numbers stay as typed)."""
    return apply_digits(text, style.digits)
