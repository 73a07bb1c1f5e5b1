"""Dates: parsing, Arabic month names, digits, the Hijri date, ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from hijridate import Gregorian
from hypothesis import given
from hypothesis import strategies as st

from models.dates import (
    EGYPTIAN_MONTHS,
    HIJRI_MONTHS,
    IRAQI_MONTHS,
    DateStyle,
    days_between,
    format_date,
    format_month,
    format_range,
    hijri_date,
    iso,
    month_name,
    parse_date,
)

IRAQI = DateStyle()
EGYPTIAN = DateStyle(months="egyptian")
WESTERN = DateStyle(digits="western")
HIJRI = DateStyle(hijri=True)
ALL_STYLES = [
    DateStyle(months=m, digits=d, hijri=h)
    for m in ("iraqi", "egyptian")
    for d in ("arabic", "western")
    for h in (False, True)
]
BIDI_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
D = dt.date(2026, 11, 23)


def test_month_tables() -> None:
    assert len(IRAQI_MONTHS) == len(EGYPTIAN_MONTHS) == len(HIJRI_MONTHS) == 12
    assert IRAQI_MONTHS[0] == "كانون الثاني" and IRAQI_MONTHS[11] == "كانون الأول"
    assert EGYPTIAN_MONTHS[0] == "يناير" and EGYPTIAN_MONTHS[11] == "ديسمبر"
    assert HIJRI_MONTHS[8] == "رمضان"


IRAQI_EXPECTED = [
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
]
EGYPTIAN_EXPECTED = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"


@pytest.mark.parametrize("month", range(1, 13))
def test_month_names_both_styles(month: int) -> None:
    assert month_name(month, IRAQI) == IRAQI_EXPECTED[month - 1]
    assert month_name(month, EGYPTIAN) == EGYPTIAN_EXPECTED.split()[month - 1]
    day = dt.date(2026, month, 5)
    assert format_date(day) == f"٥ {IRAQI_EXPECTED[month - 1]} ٢٠٢٦"
    assert format_date(day, EGYPTIAN) == f"٥ {EGYPTIAN_EXPECTED.split()[month - 1]} ٢٠٢٦"


def test_month_name_out_of_range() -> None:
    for bad in (0, 13):
        with pytest.raises(ValueError):
            month_name(bad, IRAQI)


def test_style_validation() -> None:
    with pytest.raises(ValueError):
        DateStyle(months="syrian")
    with pytest.raises(ValueError):
        DateStyle(digits="hindi")


# --- formatting ------------------------------------------------------------------------------


def test_format_date_digits() -> None:
    assert format_date(D) == "٢٣ تشرين الثاني ٢٠٢٦"
    assert format_date(D, WESTERN) == "23 تشرين الثاني 2026"
    assert format_date(dt.date(2026, 3, 1), DateStyle("egyptian", "western")) == "1 مارس 2026"
    assert format_date("2026-11-23") == "٢٣ تشرين الثاني ٢٠٢٦"


def test_format_month() -> None:
    assert format_month(2026, 11, IRAQI) == "تشرين الثاني ٢٠٢٦"
    assert format_month(2026, 11, DateStyle("egyptian", "western")) == "نوفمبر 2026"


def test_format_range() -> None:
    assert format_range(D, None, IRAQI) == "٢٣ تشرين الثاني ٢٠٢٦"
    assert format_range(D, D, IRAQI) == "٢٣ تشرين الثاني ٢٠٢٦"
    assert format_range(dt.date(2026, 11, 22), D, IRAQI) == "٢٢–٢٣ تشرين الثاني ٢٠٢٦"
    assert format_range(dt.date(2026, 11, 22), D, WESTERN) == "22–23 تشرين الثاني 2026"
    assert (
        format_range(dt.date(2026, 11, 30), dt.date(2026, 12, 1), IRAQI)
        == "٣٠ تشرين الثاني – ١ كانون الأول ٢٠٢٦"
    )
    assert (
        format_range(dt.date(2026, 12, 31), dt.date(2027, 1, 1), EGYPTIAN)
        == "٣١ ديسمبر ٢٠٢٦ – ١ يناير ٢٠٢٧"
    )
    with pytest.raises(ValueError):
        format_range(D, dt.date(2026, 11, 1), IRAQI)


def test_days_between() -> None:
    assert days_between(D, None) == 1
    assert days_between(D, D) == 1
    assert days_between(dt.date(2026, 11, 22), D) == 2
    assert days_between("2026-12-31", "2027-01-02") == 3
    with pytest.raises(ValueError):
        days_between(D, dt.date(2026, 11, 1))


# --- Hijri -----------------------------------------------------------------------------------


def test_hijri_known_dates() -> None:
    # Umm al-Qura: 1 Muharram 1446 fell on 7 July 2024; 1 Ramadan 1446 on 1 March 2025.
    assert hijri_date(dt.date(2024, 7, 7)) == "١ محرم ١٤٤٦ هـ"
    assert hijri_date(dt.date(2025, 3, 1), WESTERN) == "1 رمضان 1446 هـ"
    assert hijri_date(D) == "١٣ جمادى الآخرة ١٤٤٨ هـ"
    assert format_date(D, HIJRI) == "٢٣ تشرين الثاني ٢٠٢٦ (١٣ جمادى الآخرة ١٤٤٨ هـ)"


@given(st.dates(min_value=dt.date(1924, 8, 1), max_value=dt.date(2077, 11, 16)))
def test_hijri_matches_hijridate(d: dt.date) -> None:
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    expected = f"{h.day} {HIJRI_MONTHS[h.month - 1]} {h.year} هـ"
    assert hijri_date(d, WESTERN) == expected
    assert format_date(d, DateStyle(digits="western", hijri=True)).endswith(f"({expected})")


@pytest.mark.parametrize("d", [dt.date(1900, 1, 1), dt.date(2090, 6, 1), dt.date(2077, 11, 17)])
def test_hijri_out_of_range_degrades(d: dt.date) -> None:
    assert hijri_date(d) is None
    assert format_date(d, HIJRI) == format_date(d, IRAQI)
    assert "(" not in format_range(d, d + dt.timedelta(days=1), HIJRI)


def test_hijri_range_within_a_month() -> None:
    assert format_range(dt.date(2026, 11, 22), D, HIJRI) == (
        "٢٢–٢٣ تشرين الثاني ٢٠٢٦ (١٢ جمادى الآخرة ١٤٤٨ هـ – ١٣ جمادى الآخرة ١٤٤٨ هـ)"
    )


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-23",
        "2026/11/23",
        "23/11/2026",
        "23-11-2026",
        "٢٠٢٦-١١-٢٣",
        "٢٣/١١/٢٠٢٦",
        "۲۰۲۶/۱۱/۲۳",
        "  2026-11-23\n",
        "\u200f٢٣/١١/٢٠٢٦\u200f",
        "\u20662026-11-23\u2069",
    ],
)
def test_parse_date_formats(text: str) -> None:
    assert parse_date(text) == D


def test_parse_date_objects_and_short_parts() -> None:
    assert parse_date(D) is D
    assert parse_date(dt.datetime(2026, 11, 23, 14, 30)) == D
    assert parse_date("5/1/2026") == dt.date(2026, 1, 5)
    assert parse_date("2026-1-5") == dt.date(2026, 1, 5)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "2026-02-30",
        "30/02/2026",
        "2026-13-01",
        "2026-11",
        "23.11.2026",
        "2026-11/23",
        "11/23/2026",
        "26-11-23",
        "2026-11-23T10:00",
        "٢٣ تشرين الثاني ٢٠٢٦",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_parse_date_rejects_other_types() -> None:
    with pytest.raises(ValueError):
        parse_date(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        parse_date(20261123)  # type: ignore[arg-type]


def test_iso() -> None:
    assert iso(D) == "2026-11-23"
    assert iso(dt.date(1950, 1, 2)) == "1950-01-02"


# --- properties over the models' whole year range --------------------------------------------

dates_1950_2100 = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


@given(dates_1950_2100, st.sampled_from(ALL_STYLES), st.integers(0, 40))
def test_no_bidi_marks_in_any_output(d: dt.date, style: DateStyle, span: int) -> None:
    end = min(d + dt.timedelta(days=span), dt.date(2100, 12, 31))
    outputs = [
        iso(d),
        format_date(d, style),
        format_month(d.year, d.month, style),
        format_range(d, end, style),
        hijri_date(d, style) or "",
    ]
    for out in outputs:
        assert not any(m in out for m in BIDI_MARKS), out
    if style.digits == "western":
        assert not any("٠" <= c <= "٩" for o in outputs for c in o)
    else:
        assert not any("0" <= c <= "9" for o in outputs[1:] for c in o)


@given(dates_1950_2100)
def test_parse_round_trip(d: dt.date) -> None:
    assert parse_date(iso(d)) == d
    assert parse_date(f"{d.day:02d}/{d.month:02d}/{d.year}") == d
    arabic = iso(d).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert parse_date(arabic) == d


@pytest.mark.parametrize(("days", "digits", "phrase"), [
    (1, "arabic", "يوم واحد"), (2, "arabic", "يومين"), (3, "arabic", "ثلاثة أيام"),
    (10, "arabic", "عشرة أيام"), (11, "arabic", "١١ يوماً"), (15, "western", "15 يوماً"),
    (100, "arabic", "١٠٠ يوم"), (103, "arabic", "١٠٣ أيام"),
])
def test_days_phrase_puts_the_noun_in_the_right_case(days, digits, phrase):
    from models.dates import days_phrase

    assert days_phrase(days, digits) == phrase
