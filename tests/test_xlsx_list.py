"""A list written to .xlsx (exporters/xlsx_list.py) and read back as a user's Excel would:
right to left, the header frozen and bold, dates as dates, numbers as numbers, hostile
texts kept as text (never a formula), written whole or not at all, opened by LibreOffice.
Also models/list_rows.py: all the rows a list shows, in its order."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exporters.xlsx_list import Column, write_list
from models import attendance, list_rows, store
from models.activities import ActivityFilter, list_activities
from models.person_list import PersonFilter, list_persons
from models.records import Activity, Person
from tests.conftest import karbala_workshop

HYPERLINK = '=HYPERLINK("http://x")'
HOSTILE = (HYPERLINK, "-5", "+964 770 123 4567", "@SUM(A1)", "\tx", "=1+1")
COLUMNS = (Column("الاسم"), Column("التاريخ", "date"), Column("العدد", "number"),
           Column("الملاحظات"))
ROWS = [
    ("زينب علي حسين الأسدي", "2026-11-22", 3, "ورشة تطويرية عن أهمية الاتصال الحكومي"),
    (HYPERLINK, "2026-11-23", 0, "-5"),
    ("-5", None, None, ""),
    ("+964 770 123 4567", dt.date(2025, 1, 2), 2.5, "@SUM(A1)"),
    ("\tx", "ليس تاريخاً", "ليس رقماً", "=1+1"),
]


@pytest.fixture
def written(tmp_path) -> Path:
    return write_list(tmp_path / "قائمة.xlsx", "المشاركون", COLUMNS, ROWS)


def test_the_sheet_is_right_to_left_with_a_bold_frozen_arabic_header(written):
    sheet = load_workbook(written).active
    assert sheet.title == "المشاركون"
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["الاسم", "التاريخ", "العدد", "الملاحظات"]
    assert all(c.font.bold for c in sheet[1])
    assert not any(c.font.bold for c in sheet[2])
    assert sheet.max_row == 1 + len(ROWS)
    assert sheet.auto_filter.ref == "A1:D6"


def test_dates_are_dates_and_numbers_numbers(written):
    sheet = load_workbook(written).active
    day = sheet["B2"]
    assert isinstance(day.value, dt.datetime) and day.value.date() == dt.date(2026, 11, 22)
    assert day.is_date and "yy" in day.number_format
    assert sheet["B5"].value.date() == dt.date(2025, 1, 2)
    assert sheet["C2"].value == 3 and sheet["C2"].data_type == "n"
    assert sheet["C3"].value == 0  # a zero is a number, not an empty cell
    assert sheet["C5"].value == 2.5
    assert sheet["B4"].value is None and sheet["C4"].value is None
    # Not a date or not a number: kept as the text it is, not dropped.
    assert sheet["B6"].value == "ليس تاريخاً" and sheet["C6"].value == "ليس رقماً"


def test_no_text_becomes_a_formula(written):
    sheet = load_workbook(written).active
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row
             if isinstance(c.value, str)}
    for text in HOSTILE:
        cell = cells[text]
        assert cell.data_type == "s", text
        assert cell.quotePrefix, text  # Excel shows it as typed, and keeps it text on edit
    assert cells["زينب علي حسين الأسدي"].quotePrefix is False
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    with zipfile.ZipFile(written) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_columns_are_as_wide_as_their_contents(written):
    sheet = load_workbook(written).active
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    title = "ورشة تطويرية عن أهمية الاتصال الحكومي"
    assert widths["D"] >= len(title)
    assert widths["C"] < widths["A"] < widths["D"]
    assert widths["B"] >= 10  # a date shows whole


def test_writing_is_atomic_and_a_stop_leaves_the_old_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = write_list(out / "old.xlsx", "قائمة", COLUMNS, ROWS[:1])
    before = target.read_bytes()
    many = [("اسم", "2026-01-01", n, "") for n in range(1200)]

    def stop(done: int, total: int) -> None:
        assert total == 1200
        if done >= 500:
            raise KeyboardInterrupt  # a cancel, as the task's progress raises it

    with pytest.raises(KeyboardInterrupt):
        write_list(target, "قائمة", COLUMNS, many, progress=stop)
    assert target.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["old.xlsx"]  # no draft left behind


def test_an_empty_list_still_has_its_header(tmp_path):
    sheet = load_workbook(write_list(tmp_path / "e.xlsx", "فارغة", COLUMNS, [])).active
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert sheet.max_row == 1


def test_a_sheet_title_excel_refuses_is_cleaned(tmp_path):
    sheet = load_workbook(write_list(tmp_path / "t.xlsx", "سجل/الشهادات: [٢٠٢٦]؟*" * 3,
                                     COLUMNS, [])).active
    assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")


def test_an_unknown_column_kind_is_refused():
    with pytest.raises(ValueError):
        Column("التاريخ", "datetime")


# --- LibreOffice --------------------------------------------------------------------------

def to_csv(xlsx: Path, outdir: Path) -> list[list[str]]:
    """The sheet as LibreOffice Calc reads it, saved as UTF-8 CSV."""
    profile = outdir / "lo-profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(outdir), str(xlsx)],
        capture_output=True, timeout=180)
    out = outdir / (xlsx.stem + ".csv")
    if not out.is_file() and b"could not be loaded" in done.stderr:
        pytest.skip("LibreOffice Calc is not installed (only its other parts are)")
    assert out.is_file(), done.stderr.decode(errors="replace")
    with out.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_arabic_text_and_evaluates_nothing(written, tmp_path):
    outdir = tmp_path / "lo"
    outdir.mkdir()
    rows = to_csv(written, outdir)
    assert rows[0] == ["الاسم", "التاريخ", "العدد", "الملاحظات"]
    assert rows[1][0] == "زينب علي حسين الأسدي"
    assert rows[1][1] == "2026-11-22" and rows[1][2] == "3"
    assert rows[2][0] == HYPERLINK  # as typed: not a link, not "http://x"
    assert rows[2][3] == "-5" and rows[3][0] == "-5"
    assert rows[5][3] == "=1+1"  # not 2


# --- models/list_rows.py --------------------------------------------------------------------

@pytest.fixture
def filled(db):
    workshop = store.insert(db, karbala_workshop())
    names = ["زينب علي حسين الأسدي", "علي كاظم جواد", "-5", HYPERLINK]
    people = [store.insert(db, Person(full_name=name, phone="+964 770 000 000" + str(n)))
              for n, name in enumerate(names)]
    for person in people[:3]:
        attendance.add(db, workshop.id, person.id)
    attendance.set_days(db, attendance.attendees(db, workshop.id)[1].attendance_id, [2])
    for n in range(250):  # more than a page of the list (200)
        store.insert(db, Activity(kind="meeting" if n % 2 else "seminar",
                                  title=f"نشاط رقم {n}", start_date=f"2025-{n % 12 + 1:02d}-01"))
    return workshop, people


def test_activity_rows_are_every_row_of_the_list_in_its_order(db, filled):
    where = ActivityFilter(kind="meeting")
    rows = list_rows.activity_rows(db, where, order_by="title", descending=False)
    assert len(rows) == 125 and {r.kind for r in rows} == {"meeting"}
    paged = [r for offset in (0, 200) for r in list_activities(
        db, where, order_by="title", descending=False, limit=200, offset=offset)]
    assert rows == paged


def test_person_rows_follow_a_search_ranking(db, filled):
    _workshop, people = filled
    hits = (people[2].id, people[0].id)
    rows = list_rows.person_rows(db, PersonFilter(ids=hits), order_by="rank")
    assert [r.id for r in rows] == list(hits)
    assert list_rows.person_rows(db) == list_persons(db)


def test_attendee_rows_are_the_tab_s_list(db, filled):
    workshop, people = filled
    found = list_rows.attendee_rows(db, workshop.id)
    assert found.days == 2
    assert [a.person.full_name for a in found.rows] == [p.full_name for p in people[:3]]
    assert found.rows[1].days == [2]
