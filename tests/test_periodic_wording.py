"""The periodic report is named by its period: التقرير الشهري (a calendar month), تقرير
الشهرين (two calendar months, the unit's plan cycle), التقرير الفصلي (a quarter), التقرير
السنوي (a calendar year), and التقرير الدوري for any other range — in the model, the
document's title, the file name the app offers and the description a letter lists."""

from __future__ import annotations

import docx
import pytest
from test_periodic import UNIT_NAME, build_known_data

from exporters import periodic_report as report
from models import periodic, wording
from models.dates import DateStyle

NAMES = [
    ("2026-11-01", "2026-11-30", "التقرير الشهري"),
    ("2026-02-01", "2026-02-28", "التقرير الشهري"),
    ("2026-11-01", "2026-12-31", "تقرير الشهرين"),
    ("2026-12-01", "2027-01-31", "تقرير الشهرين"),  # across the new year
    ("2026-10-01", "2026-12-31", "التقرير الفصلي"),
    ("2026-01-01", "2026-03-31", "التقرير الفصلي"),
    ("2026-01-01", "2026-12-31", "التقرير السنوي"),
    # other ranges
    ("2026-02-01", "2026-04-30", "التقرير الدوري"),  # three months, not a quarter
    ("2026-11-01", "2026-11-15", "التقرير الدوري"),  # half a month
    ("2026-11-02", "2026-11-30", "التقرير الدوري"),  # a month less its first day
    ("2026-11-23", "2026-11-23", "التقرير الدوري"),  # one day
    ("2026-09-01", "2026-12-31", "التقرير الدوري"),  # four months
    ("2026-02-01", "2027-01-31", "التقرير الدوري"),  # twelve months, not a calendar year
    ("2026-01-01", "2027-12-31", "التقرير الدوري"),  # two years
]


@pytest.mark.parametrize(("start", "end", "name"), NAMES)
def test_report_name_by_period(start, end, name):
    assert periodic.report_name(start, end) == name


@pytest.mark.parametrize(("start", "end", "description"), [
    ("2026-11-01", "2026-11-30", "التقرير الشهري لشهر تشرين الثاني ٢٠٢٦"),
    ("2026-11-01", "2026-12-31", "تقرير الشهرين تشرين الثاني – كانون الأول ٢٠٢٦"),
    ("2026-10-01", "2026-12-31", "التقرير الفصلي للربع الرابع ٢٠٢٦"),
    ("2026-01-01", "2026-12-31", "التقرير السنوي لسنة ٢٠٢٦"),
    ("2026-11-01", "2026-11-15", "التقرير الدوري للمدة ١–١٥ تشرين الثاني ٢٠٢٦"),
])
def test_report_description_for_a_letter(start, end, description):
    assert periodic.report_description(start, end) == description


def test_description_follows_the_unit_style():
    western = DateStyle(months="egyptian", digits="western")
    assert periodic.report_description("2026-11-01", "2026-11-30", western) == (
        "التقرير الشهري لشهر نوفمبر 2026")


@pytest.mark.parametrize(("start", "end", "title"), [
    ("2026-11-01", "2026-11-30", f"التقرير الشهري لنشاطات {UNIT_NAME} — تشرين الثاني ٢٠٢٦"),
    ("2026-11-01", "2026-12-31",
     f"تقرير الشهرين لنشاطات {UNIT_NAME} — تشرين الثاني – كانون الأول ٢٠٢٦"),
    ("2026-10-01", "2026-12-31", f"التقرير الفصلي لنشاطات {UNIT_NAME} — الربع الرابع ٢٠٢٦"),
    ("2026-01-01", "2026-12-31", f"التقرير السنوي لنشاطات {UNIT_NAME} — سنة ٢٠٢٦"),
    ("2026-11-01", "2026-11-15",
     f"التقرير الدوري لنشاطات {UNIT_NAME} — ١–١٥ تشرين الثاني ٢٠٢٦"),
])
def test_document_title_and_properties_follow_the_period(db, tmp_path, start, end, title):
    build_known_data(db)
    options = report.PeriodicReportOptions(charts=False, sections_per_activity=False)
    path = report.write_periodic_report(db, start, end, tmp_path / "r.docx", options)
    doc = docx.Document(path)
    # on the page its dates are held together (no-break spaces); the file's properties
    # keep ordinary spaces, for a search
    assert wording.plain(doc.paragraphs[0].text) == title
    assert "تشرين الثاني" not in doc.paragraphs[0].text
    assert doc.core_properties.subject == periodic.report_description(start, end)
    assert doc.core_properties.title == title


@pytest.mark.parametrize(("start", "end", "name"), [
    ("2026-11-01", "2026-11-30", "التقرير الشهري - تشرين الثاني ٢٠٢٦.docx"),
    ("2026-11-01", "2026-12-31", "تقرير الشهرين - تشرين الثاني – كانون الأول ٢٠٢٦.docx"),
    ("2026-10-01", "2026-12-31", "التقرير الفصلي - الربع الرابع ٢٠٢٦.docx"),
    ("2026-01-01", "2026-12-31", "التقرير السنوي - سنة ٢٠٢٦.docx"),
    ("2026-11-01", "2026-11-15", "التقرير الدوري - ١–١٥ تشرين الثاني ٢٠٢٦.docx"),
])
def test_file_name_the_app_offers(ctx, start, end, name):
    from ui.export import default_name

    assert default_name(ctx, "periodic", date_from=start, date_to=end) == name


def test_sections_by_default_up_to_a_quarter():
    assert periodic.sections_by_default("2026-11-01", "2026-11-30")
    assert periodic.sections_by_default("2026-10-01", "2026-12-31")  # 92 days
    assert not periodic.sections_by_default("2026-09-30", "2026-12-31")  # 93 days
    assert not periodic.sections_by_default("2026-01-01", "2026-12-31")
