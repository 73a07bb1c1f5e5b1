"""The ministry centre's consolidated periodic report: a table per directorate with its
counts, the totals across all, the activities per directorate chart, ``--unit``, and the
same report unchanged on a unit's database; read back from real .docx files written from
a real centre (three units' real bundles imported)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph
from test_exporters_rtl import problems
from test_reports_clean import audit

from exporters import periodic_report as report
from models import data_bundle, records, store
from models.db import Database
from tests.test_cli import run
from tests.test_data_bundle import receive

NOVEMBER = ("2026-11-01", "2026-11-30")
EDUCATION = "مديرية تربية كربلاء"
HEALTH = "دائرة صحة بابل"
POLICE = "مديرية شرطة النجف"
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")

# Per unit: (kind, title, start date, status, attendees on the list, typed count).
ACTIVITIES = {
    EDUCATION: [("workshop", "ورشة الإعلام التربوي", "2026-11-03", "approved", 3, None),
                ("workshop", "ورشة التواصل مع أولياء الأمور", "2026-11-17", "sent", 2, None),
                ("seminar", "ندوة المناهج الجديدة", "2026-11-24", "approved", 0, 40),
                ("meeting", "اجتماع لم يعتمد بعد", "2026-11-25", "draft", 4, None),
                ("course", "دورة تشرين الأول", "2026-10-12", "approved", 2, None)],
    HEALTH: [("meeting", "اجتماع شبكة الاتصال الصحي", "2026-11-09", "approved", 1, None)],
    POLICE: [("campaign", "حملة السلامة المرورية", "2026-10-20", "approved", 0, 15)],
}


def make_unit(folder: Path, directorate: str) -> Path:
    folder.mkdir(parents=True)
    path = folder / "unit.sqlite3"
    with Database.open(path, create=True) as db:
        with db.atomic():
            db.execute("UPDATE units SET directorate = ?, name = ?",
                       (directorate, "شعبة الإعلام والاتصال الحكومي"))
        for n, (kind, title, day, status, listed, typed) in enumerate(ACTIVITIES[directorate]):
            act = store.insert(db, records.Activity(kind=kind, title=title, start_date=day,
                                                    status=status, participants_count=typed,
                                                    place="القاعة الكبرى"))
            for i in range(listed):
                person = store.insert(db, records.Person(full_name=f"مشارك {n} {i} من {title}"))
                store.insert(db, records.Attendance(activity_id=act.id, person_id=person.id,
                                                    days=[1]))
    return path


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("centre")
    bundles = []
    for i, directorate in enumerate(ACTIVITIES):
        unit = make_unit(base / f"u{i}", directorate)
        with Database.open(unit) as db:
            bundles.append(data_bundle.export(db, base / f"u{i}.ittisal", full=True).path)
    path = base / "centre" / "centre.sqlite3"
    path.parent.mkdir()
    receive(path, *bundles)
    return path


def write(db_path: Path, out: Path, **options) -> Path:
    with Database.open(db_path) as db:
        return report.write_periodic_report(
            db, *NOVEMBER, out, report.PeriodicReportOptions(today=dt.date(2026, 12, 2),
                                                             **options))


def blocks(doc) -> list[Paragraph | Table]:
    """The body's paragraphs and tables in reading order."""
    out = []
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            out.append(Paragraph(child, doc))
        elif child.tag.endswith("}tbl"):
            out.append(Table(child, doc))
    return out


def cells(table: Table) -> list[list[str]]:
    return [[c.text.translate(_DIGITS) for c in row.cells] for row in table.rows]


def after(items: list, heading: str) -> list:
    """What follows the paragraph whose text is ``heading``."""
    at = next(i for i, b in enumerate(items) if isinstance(b, Paragraph)
              and b.text.translate(_DIGITS) == heading)
    return items[at + 1:]


def test_a_table_per_directorate_with_counts_and_totals(centre, tmp_path):
    path = write(centre, tmp_path / "centre.docx")
    doc = docx.Document(str(path))
    items = blocks(doc)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0].startswith("التقرير الشهري الموحد لنشاطات المديريات")
    overview = next(t for t in doc.tables if cells(t)[0] == list(report.DIRECTORATE_COLUMNS))
    # Directorates by name; drafts and October left out; persons counted once in all.
    assert cells(overview)[1:] == [
        ["1", HEALTH, "1", "1", "1", "1"],
        ["2", EDUCATION, "3", "5", "5", "45"],
        ["3", POLICE, "0", "0", "0", "0"],
        ["", "المجموع", "4", "6", "6", "46"],
    ]
    assert all(r.bold for c in overview.rows[-1].cells for r in c.paragraphs[0].runs)

    counts, line, acts = [b for b in after(items, f"2. {EDUCATION}")][:3]
    assert dict((r[1], r[2]) for r in cells(counts)[1:]) == {
        "عدد النشاطات": "3", "ورشة عمل": "2", "ندوة": "1", report.ATTENDANCE_ROWS: "5",
        report.PERSONS: "5", report.PARTICIPANTS: "45"}
    assert line.text == report.DIRECTORATE_LINE
    assert cells(acts)[0] == list(report.TABLE_COLUMNS)
    assert [r[1] for r in cells(acts)[1:]] == ["ورشة الإعلام التربوي",
                                               "ورشة التواصل مع أولياء الأمور",
                                               "ندوة المناهج الجديدة"]
    assert [r[5] for r in cells(acts)[1:]] == ["3", "2", f"40\n{report.TYPED_MARK}"]
    health = after(items, f"1. {HEALTH}")
    assert [r[1] for r in cells(health[2])[1:]] == ["اجتماع شبكة الاتصال الصحي"]
    assert after(items, f"3. {POLICE}")[0].text == report.NO_ACTIVITIES

    summary = dict((r[1], r[2]) for r in cells(doc.tables[0])[1:])
    assert summary[report.DIRECTORATES_COUNT] == "3"
    assert summary[report.DIRECTORATES_REPORTING] == "2"
    assert summary[report.ALL_ACTIVITIES] == "4"
    assert summary[report.PARTICIPANTS] == "46"
    captions = [p.text for p in doc.paragraphs]
    assert report.CHART_BY_DIRECTORATE in captions and report.CHART_BY_KIND in captions
    assert report.TABLE_HEADING not in texts

    assert problems(doc) == []
    result = audit(path)
    assert result.returncode == 0 and "no findings" in result.stdout, result.stdout


def test_drafts_asked_for_count_in_their_directorate(centre, tmp_path):
    doc = docx.Document(str(write(centre, tmp_path / "drafts.docx", include_drafts=True,
                                  charts=False)))
    overview = next(t for t in doc.tables if cells(t)[0] == list(report.DIRECTORATE_COLUMNS))
    assert cells(overview)[2] == ["2", EDUCATION, "4", "9", "9", "49"]
    assert cells(overview)[-1] == ["", "المجموع", "5", "10", "10", "50"]


def test_command_line_report_of_one_unit_and_an_unknown_one(centre, tmp_path):
    out = tmp_path / "babil.docx"
    done = run("export", "periodic", "--from", NOVEMBER[0], "--to", NOVEMBER[1],
               "--unit", "بابل", "--out", str(out), db=centre)
    assert done.returncode == 0, done.stderr
    doc = docx.Document(str(out))
    assert doc.paragraphs[0].text.startswith(f"التقرير الشهري لنشاطات {HEALTH}")
    overview = next(t for t in doc.tables if cells(t)[0] == list(report.DIRECTORATE_COLUMNS))
    assert cells(overview)[1:] == [["1", HEALTH, "1", "1", "1", "1"],
                                   ["", "المجموع", "1", "1", "1", "1"]]
    missing = tmp_path / "none.docx"
    refused = run("export", "periodic", "--from", NOVEMBER[0], "--to", NOVEMBER[1],
                  "--unit", "ديالى", "--out", str(missing), db=centre)
    assert refused.returncode == 1 and not missing.exists()
    assert "ديالى" in refused.stderr and "No unit matches" in refused.stderr


def test_a_units_own_report_is_unchanged(tmp_path):
    unit = make_unit(tmp_path / "u", EDUCATION)
    doc = docx.Document(str(write(unit, tmp_path / "unit.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert report.TABLE_HEADING in texts and report.DIRECTORATES_HEADING not in texts
    assert report.CHART_BY_DIRECTORATE not in texts
    assert not any(cells(t)[0] == list(report.DIRECTORATE_COLUMNS) for t in doc.tables)
    summary = dict((r[1], r[2]) for r in cells(doc.tables[0])[1:])
    assert report.DIRECTORATES_COUNT not in summary and summary[report.ALL_ACTIVITIES] == "3"
    assert "الموحد" not in texts[0]
