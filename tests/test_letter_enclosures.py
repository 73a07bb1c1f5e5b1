"""A covering letter lists its enclosures by what they are («التقرير الشهري لشهر تشرين
الثاني ٢٠٢٦»), not by file name: from the report's own description when Ittisal made it,
or as typed with ``--enclosure`` on the command line (run as a user types it)."""

from __future__ import annotations

import json

import docx
import pytest

from exporters import letter as letter_export
from exporters import news_report
from models import letters
from models.db import Database
from tests.test_cli import run


def body_text(path) -> str:
    doc = docx.Document(path)
    return "\n".join(p.text for p in doc.paragraphs)


def enclosures_in(path) -> list[str]:
    """The numbered lines under «المرفقات:»."""
    texts = [p.text for p in docx.Document(path).paragraphs]
    start = texts.index("المرفقات:") + 1
    lines = []
    for text in texts[start:]:
        if not text[:1].isdigit():
            break
        lines.append(text)
    return lines


def test_a_news_report_made_by_ittisal_is_listed_by_its_description(cli_db, tmp_path):
    db_path, workshop = cli_db
    report = tmp_path / "news_report.docx"
    assert run("export", "news", "--activity", workshop.id, "--out", str(report),
               db=db_path).returncode == 0
    out = tmp_path / "letter.docx"
    result = run("export", "letter", "--report", str(report), "--subject", "تقرير خبري",
                 "--out", str(out), db=db_path)
    assert result.returncode == 0, result.stderr
    title = " ".join(workshop.title.split())
    assert enclosures_in(out) == [f"١. التقرير الخبري عن «{title}»"]
    assert "news_report" not in body_text(out)
    with Database.open(db_path) as db:
        assert letters.outbox(db)[0].enclosures == [f"التقرير الخبري عن «{title}»"]


def test_a_months_periodic_report_is_listed_as_the_months_report(cli_db, tmp_path):
    db_path, _ = cli_db
    report = tmp_path / "periodic_month.docx"
    assert run("export", "periodic", "--from", "2026-11-01", "--to", "2026-11-30",
               "--out", str(report), db=db_path).returncode == 0
    out = tmp_path / "letter.docx"
    assert run("export", "letter", "--report", str(report), "--subject", "التقرير الشهري",
               "--out", str(out), db=db_path).returncode == 0
    # listed with its month and year held together (no-break spaces)
    assert enclosures_in(out) == ["١. التقرير الشهري لشهر تشرين\u00a0الثاني\u00a0٢٠٢٦"]
    assert "periodic_month" not in body_text(out)


def test_enclosure_option_is_repeatable_and_listed_as_typed(cli_db, tmp_path):
    db_path, _ = cli_db
    report = tmp_path / "periodic_month.docx"
    docx.Document().save(str(report))
    out = tmp_path / "letter.docx"
    result = run("export", "letter", "--report", str(report), "--subject", "التقرير الشهري",
                 "--enclosure", "التقرير الشهري لشهر تشرين الثاني ٢٠٢٥",
                 "--enclosure", "قرص مدمج فيه صور النشاطات",
                 "--out", str(out), "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["number"] == 1
    assert enclosures_in(out) == ["١. التقرير الشهري لشهر تشرين\u00a0الثاني\u00a0٢٠٢٥",
                                  "٢. قرص مدمج فيه صور النشاطات"]
    # two enclosures: the body presents "the reports", in the plural
    assert "نرفق لكم طياً التقارير المبيّنة" in body_text(out)
    with Database.open(db_path) as db:
        assert letters.outbox(db)[0].enclosures == [
            "التقرير الشهري لشهر تشرين الثاني ٢٠٢٥", "قرص مدمج فيه صور النشاطات"]


def test_a_file_without_a_description_is_listed_by_its_name_without_docx(cli_db, tmp_path):
    db_path, _ = cli_db
    report = tmp_path / "التقرير الدوري للوحدة.docx"
    docx.Document().save(str(report))  # python-docx's own: no title, no subject
    out = tmp_path / "letter.docx"
    assert run("export", "letter", "--report", str(report), "--subject", "تقرير",
               "--out", str(out), db=db_path).returncode == 0
    assert enclosures_in(out) == ["١. التقرير الدوري للوحدة"]


def test_the_enclosure_option_is_in_the_help():
    result = run("export", "letter", "--help")
    assert result.returncode == 0 and "--enclosure TEXT" in result.stdout


@pytest.mark.parametrize("title, subject, expected", [
    ("", "", "periodic_month"),
    ("عنوان التقرير", "", "عنوان التقرير"),
    ("عنوان التقرير", "  التقرير   الشهري\n", "التقرير الشهري"),
])
def test_enclosure_description_reads_the_core_properties(tmp_path, title, subject, expected):
    path = tmp_path / "periodic_month.docx"
    doc = docx.Document()
    doc.core_properties.title = title
    doc.core_properties.subject = subject
    doc.save(str(path))
    assert letter_export.enclosure_description(path) == expected


def test_a_file_python_docx_cannot_read_is_listed_by_its_name(tmp_path):
    path = tmp_path / "تالف.docx"
    path.write_bytes(b"not a zip")
    assert letter_export.enclosure_description(path) == "تالف"


def test_news_report_file_carries_its_description(db, workshop, tmp_path):
    path = news_report.write_news_report(db, workshop.id, tmp_path / "n.docx")
    props = docx.Document(str(path)).core_properties
    title = " ".join(workshop.title.split())
    assert props.title == props.subject == f"التقرير الخبري عن «{title}»"


def test_an_attendance_sheet_is_listed_by_its_activity(db, workshop, tmp_path):
    """A letter enclosing an attendance sheet names the activity's sheet, not a bare
    «كشف الحضور» that could be any activity's."""
    from exporters import attendance_sheet

    path = attendance_sheet.write_attendance_sheet(db, workshop.id, tmp_path / "a.docx")
    title = " ".join(workshop.title.split())
    assert letter_export.enclosure_description(path) == f"كشف حضور المشاركين في «{title}»"
