"""Dates: parsing what users type and writing dates in Arabic for screens and documents.

Stored dates are ISO ``YYYY-MM-DD`` (:func:`iso`). For display, a :class:`DateStyle` picks the
month names (Iraqi/Levantine by default, Egyptian/Gulf as a setting), the digits (Arabic-Indic
or Western) and whether the Hijri date (Umm al-Qura, via hijridate) follows in parentheses.
No output holds U+200F or any other bidi mark: the digits and names are strong or numeric and
lay out correctly in a right-to-left paragraph on their own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hijridate import Gregorian

from models.arabic import apply_digits, to_western_digits

__all__ = [
    "EGYPTIAN_MONTHS",
    "HIJRI_MONTHS",
    "IRAQI_MONTHS",
    "DateStyle",
    "days_between",
    "format_date",
    "format_month",
    "format_range",
    "hijri_date",
    "iso",
    "month_name",
    "parse_date",
    "PERIODS",
    "period_range",
]

IRAQI_MONTHS: tuple[str, ...] = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
EGYPTIAN_MONTHS: tuple[str, ...] = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
HIJRI_MONTHS: tuple[str, ...] = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
HIJRI_SUFFIX = "هـ"
RANGE_DASH = "–"  # U+2013, between days of one month: ٢٢–٢٣
RANGE_SEPARATOR = " – "  # between two full dates

_MONTH_TABLES = {"iraqi": IRAQI_MONTHS, "egyptian": EGYPTIAN_MONTHS}
_DIGIT_STYLES = ("arabic", "western")


@dataclass(frozen=True)
class DateStyle:
    """How dates are written: ``months`` "iraqi"|"egyptian", ``digits`` "arabic"|"western"."""

    months: str = "iraqi"
    digits: str = "arabic"
    hijri: bool = False

    def __post_init__(self) -> None:
        if self.months not in _MONTH_TABLES:
            raise ValueError(f"unknown month style {self.months!r}; expected 'iraqi' or 'egyptian'")
        if self.digits not in _DIGIT_STYLES:
            raise ValueError(f"unknown digit style {self.digits!r}; expected 'arabic' or 'western'")


_DEFAULT_STYLE = DateStyle()

# Marks a date may carry when copied from a right-to-left document, plus the BOM.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff")
)
_YEAR_FIRST = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})", re.ASCII)


def parse_date(value: str | dt.date) -> dt.date:
    """Read a date: a ``date``, ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``DD/MM/YYYY`` or ``DD-MM-YYYY``.

    Arabic-Indic and Persian digits, surrounding whitespace and bidi marks are accepted.
    Anything else, including an impossible date such as 2026-02-30, raises ``ValueError``.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = to_western_digits(value.translate(_INVISIBLE)).strip()
    if m := _YEAR_FIRST.fullmatch(text):
        year, month, day = int(m[1]), int(m[3]), int(m[4])
    elif m := _DAY_FIRST.fullmatch(text):
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    else:
        raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD or DD/MM/YYYY)")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"impossible date: {value!r} ({exc})") from None


def iso(d: dt.date | str) -> str:
    """The stored form, ``YYYY-MM-DD``."""
    return parse_date(d).isoformat()


def month_name(month: int, style: DateStyle = _DEFAULT_STYLE) -> str:
    """The Gregorian month name (1–12) in the style's naming."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, got {month!r}")
    return _MONTH_TABLES[style.months][month - 1]


def hijri_date(d: dt.date | str, style: DateStyle = _DEFAULT_STYLE) -> str | None:
    """The Umm al-Qura date, e.g. "١٣ جمادى الآخرة ١٤٤٨ هـ"; ``None`` outside hijridate's range
    (1924-08-01 to 2077-11-16)."""
    d = parse_date(d)
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except OverflowError:
        return None
    text = f"{h.day} {HIJRI_MONTHS[h.month - 1]} {h.year} {HIJRI_SUFFIX}"
    return apply_digits(text, style.digits)


def _gregorian(d: dt.date, style: DateStyle) -> str:
    return apply_digits(f"{d.day} {month_name(d.month, style)} {d.year}", style.digits)


def format_date(d: dt.date | str, style: DateStyle = _DEFAULT_STYLE) -> str:
    """Day, month name, year: "٢٣ تشرين الثاني ٢٠٢٦".

    With ``style.hijri``: "٢٣ تشرين الثاني ٢٠٢٦ (١٣ جمادى الآخرة ١٤٤٨ هـ)"; the Hijri part is
    left out for dates hijridate cannot convert.
    """
    d = parse_date(d)
    text = _gregorian(d, style)
    if style.hijri and (h := hijri_date(d, style)):
        text = f"{text} ({h})"
    return text


def format_month(year: int, month: int, style: DateStyle = _DEFAULT_STYLE) -> str:
    """Month name and year, "تشرين الثاني ٢٠٢٦": the period of a monthly report."""
    return apply_digits(f"{month_name(month, style)} {year}", style.digits)


def format_range(
    start: dt.date | str, end: dt.date | str | None, style: DateStyle = _DEFAULT_STYLE
) -> str:
    """A period: one day as :func:`format_date`, "٢٢–٢٣ تشرين الثاني ٢٠٢٦" within a month,
    "٣٠ حزيران – ٢ تموز ٢٠٢٦" within a year (the year said once), otherwise two full dates
    joined by " – ". With ``style.hijri`` the Hijri dates follow in parentheses. ``end``
    before ``start`` raises ``ValueError``."""
    start = parse_date(start)
    end = start if end is None else parse_date(end)
    if end < start:
        raise ValueError(f"range ends before it starts: {start} – {end}")
    if end == start:
        return format_date(start, style)
    if start.year != end.year:
        return format_date(start, style) + RANGE_SEPARATOR + format_date(end, style)
    if start.month != end.month:
        first = f"{start.day} {month_name(start.month, style)}{RANGE_SEPARATOR}"
    else:
        first = f"{start.day}{RANGE_DASH}"
    text = apply_digits(f"{first}{_gregorian(end, style)}", style.digits)
    if style.hijri:
        h_start, h_end = hijri_date(start, style), hijri_date(end, style)
        if h_start and h_end:
            text = f"{text} ({h_start}{RANGE_SEPARATOR}{h_end})"
    return text


def days_between(start: dt.date | str, end: dt.date | str | None) -> int:
    """Number of days from ``start`` to ``end``, both included (``end`` None → 1 day)."""
    start = parse_date(start)
    end = start if end is None else parse_date(end)
    if end < start:
        raise ValueError(f"range ends before it starts: {start} – {end}")
    return (end - start).days + 1


# Two to ten days in words, as Arabic writes a short duration after "لمدة".
_DAY_COUNTS = {1: "يوم واحد", 2: "يومين", 3: "ثلاثة أيام", 4: "أربعة أيام", 5: "خمسة أيام",
               6: "ستة أيام", 7: "سبعة أيام", 8: "ثمانية أيام", 9: "تسعة أيام",
               10: "عشرة أيام"}


def days_phrase(days: int, digits: str = "arabic") -> str:
    """A number of days with its noun in the case it takes after "لمدة": "يومين"،
    "ثلاثة أيام"، "١٥ يوماً"، "١٠٠ يوم"."""
    if days in _DAY_COUNTS:
        return _DAY_COUNTS[days]
    n = apply_digits(str(days), digits)
    tail = days % 100
    if 3 <= tail <= 10:
        return f"{n} أيام"
    if 11 <= tail <= 99:
        return f"{n} يوماً"
    return f"{n} يوم"


# --- named periods ------------------------------------------------------------------------

#: The named periods of a report, in the order the app offers them (the command line
#: writes them with "-" for "_": ``--period last-month``).
PERIODS: tuple[str, ...] = ("this_month", "last_month", "two_months", "this_quarter",
                            "last_quarter", "this_year", "last_year")


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    months = day.year * 12 + day.month - 1 - back
    return dt.date(months // 12, months % 12 + 1, 1)


def _month_last(first: dt.date, months: int) -> dt.date:
    return _month_start(first, -months) - dt.timedelta(days=1)


def period_range(choice: str, today: dt.date | None = None) -> tuple[str, str]:
    """The ISO dates (first, last) of a named period of :data:`PERIODS` around ``today``:
    "two_months" is last month and this one, a quarter is January–March and so on.
    ``choice`` may be written with "-" (``last-month``); any other raises ``ValueError``."""
    today = today or dt.date.today()
    choice = choice.replace("-", "_")
    if choice in ("this_month", "last_month", "two_months"):
        first = _month_start(today, 0 if choice == "this_month" else 1)
        months = 2 if choice == "two_months" else 1
    elif choice in ("this_quarter", "last_quarter"):
        this_quarter = _month_start(today, (today.month - 1) % 3)
        first = this_quarter if choice == "this_quarter" else _month_start(this_quarter, 3)
        months = 3
    elif choice in ("this_year", "last_year"):
        first = dt.date(today.year - (choice == "last_year"), 1, 1)
        months = 12
    else:
        raise ValueError(f"not a named period: {choice}")
    return first.isoformat(), _month_last(first, months).isoformat()
