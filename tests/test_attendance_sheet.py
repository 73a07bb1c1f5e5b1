"""The attendance sheet (كشف الحضور): its content, the RTL checks, and its rendering."""

from __future__ import annotations

import dataclasses
import os

import docx
import pytest
from conftest import karbala_workshop
from docx.oxml.ns import qn
from test_exporters_rtl import (
    comparable,
    needs_soffice,
    pdf_text,
    pdf_words,
    problems,
    to_pdf,
)

from exporters import attendance_sheet as sheet
from models import attendance, records, store
from models.db import Database

FIRST = ("علي", "حسين", "زينب", "محمد", "فاطمة", "أحمد", "مريم", "عباس", "نور", "كاظم")
FATHERS = ("جواد", "هادي", "صالح", "كريم", "عادل", "جاسم")


def add_attendees(db: Database, activity_id: str, n: int) -> list[records.Person]:
    people = []
    for i in range(n):
        person = store.insert(db, records.Person(
            full_name=f"{FIRST[i % 10]} {FATHERS[i % 6]} {FIRST[(i + 3) % 10]} {FATHERS[i // 6]}",
            job_title="مهندس أقدم", entity="دائرة صحة كربلاء", phone=f"0770 123 45{i:02d}"))
        attendance.add(db, activity_id, person.id)
        people.append(person)
    return people


def unit_identity(db: Database) -> None:
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(
        unit, ministry="وزارة التعليم العالي والبحث العلمي", directorate="جامعة كربلاء",
        name="شعبة الإعلام والاتصال الحكومي"))


def body_table(doc):
    tables = doc.tables
    assert len(tables) == 1
    return tables[0]


def test_sheet_holds_every_attendee_title_and_blank_rows(db, workshop, tmp_path):
    people = add_attendees(db, workshop.id, 12)
    path = sheet.write_attendance_sheet(db, workshop.id, tmp_path / "كشف.docx",
                                        sheet.AttendanceSheetOptions(blank_rows=4))
    doc = docx.Document(path)
    text = "\n".join(p.text for p in doc.paragraphs)
    table = body_table(doc)
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert sheet.TITLE in text and workshop.title in text
    assert "جامعة كربلاء" in text  # the place
    assert "٢٢–\u2060٢٣\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦" in text  # the dates, in the unit's style
    names = [row[1] for row in cells[1:]]
    assert names[:12] == [p.full_name for p in people]
    assert names[12:] == [""] * 4 and len(cells) == 1 + 12 + 4
    assert cells[-1][0] == "١٦"  # walk-in rows are numbered on
    assert cells[1][4] == "\u20680770 123 4500\u2069"  # phone isolated
    assert problems(doc) == []


def test_one_signature_column_per_day_and_repeated_header(db, workshop, tmp_path):
    add_attendees(db, workshop.id, 2)
    doc = docx.Document(sheet.write_attendance_sheet(db, workshop.id, tmp_path / "a.docx"))
    table = body_table(doc)
    header = [c.text.replace(sheet.NBSP, " ") for c in table.rows[0].cells]
    assert header == ["ت", "الاسم الرباعي", "العنوان الوظيفي", "الجهة", "الهاتف",
                      "التوقيع\nالأحد ٢٢ تشرين الثاني", "التوقيع\nالاثنين ٢٣ تشرين الثاني"]
    assert len(table.rows) == 1 + 2 + 5  # default blank rows
    tr_pr = table.rows[0]._tr.find(qn("w:trPr"))
    assert tr_pr.find(qn("w:tblHeader")) is not None
    assert table._tbl.find(f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None


def test_one_day_activity_and_western_digits(db, tmp_path):
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, digits="western"))
    one_day = store.insert(db, dataclasses.replace(karbala_workshop(), end_date=None))
    add_attendees(db, one_day.id, 1)
    doc = docx.Document(sheet.write_attendance_sheet(db, one_day.id, tmp_path / "b.docx"))
    table = body_table(doc)
    assert [c.text for c in table.rows[0].cells][-1] == "التوقيع"
    assert table.rows[1].cells[0].text == "1"
    assert "22\u00a0تشرين\u00a0الثاني\u00a02026" in "\n".join(p.text for p in doc.paragraphs)


def test_three_day_activity_turns_landscape(db, tmp_path):
    long = store.insert(db, dataclasses.replace(karbala_workshop(), end_date="2026-11-24"))
    doc = docx.Document(sheet.write_attendance_sheet(db, long.id, tmp_path / "c.docx"))
    section = doc.sections[0]
    assert section.page_width > section.page_height
    last = [c.text for c in body_table(doc).rows[0].cells][-1]
    assert last == f"التوقيع\nالثلاثاء ٢٤{sheet.NBSP}تشرين{sheet.NBSP}الثاني"


def grid_cm(table) -> list[float]:
    return [round(int(g.get(qn("w:w"))) * 2.54 / 1440, 2)
            for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]


@pytest.mark.parametrize("end", [None, "2026-11-23", "2026-11-24", "2026-11-26"])
def test_signature_columns_are_the_widest(db, tmp_path, end):
    activity = store.insert(db, dataclasses.replace(karbala_workshop(), end_date=end))
    add_attendees(db, activity.id, 2)
    doc = docx.Document(sheet.write_attendance_sheet(db, activity.id, tmp_path / "w.docx"))
    table = body_table(doc)
    widths = grid_cm(table)
    days = activity.days
    assert len(widths) == 5 + days
    others, signatures = widths[:5], widths[5:]
    assert min(signatures) > max(others), widths
    assert len(set(signatures)) == 1
    section = doc.sections[0]
    text_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    assert abs(sum(widths) - text_cm) < 0.1  # the table spans the text width
    # every cell of a column has the column's width (Word lays cells out by tcW)
    for row in table.rows:
        cells = [round(c.width / 360000, 2) for c in row.cells]
        assert cells == pytest.approx(widths, abs=0.02)


@pytest.mark.parametrize("end", [None, "2026-11-28"])
def test_a_word_too_long_for_any_column_never_crushes_the_signatures(db, tmp_path, end):
    """An entity pasted without spaces (an Excel list with underscores) is one "word"
    wider than a column can be: the table still spans the page, not more, and every
    signature column keeps room to sign (the long word breaks inside its cell)."""
    activity = store.insert(db, dataclasses.replace(karbala_workshop(), end_date=end))
    person = store.insert(db, records.Person(
        full_name="عبد_الرحمن_علي_حسين_كاظم_الموسوي_من_كربلاء",
        entity="وزارة_التعليم_العالي_والبحث_العلمي_دائرة_البحث_والتطوير_قسم_المتابعة",
        phone="07701234567"))
    attendance.add(db, activity.id, person.id)
    doc = docx.Document(sheet.write_attendance_sheet(db, activity.id, tmp_path / "w.docx"))
    widths = grid_cm(body_table(doc))
    section = doc.sections[0]
    text_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    assert abs(sum(widths) - text_cm) < 0.1, widths
    assert min(widths[5:]) >= 1.5, widths
    assert min(widths) > 0.5, widths


def test_two_day_activity_turns_landscape(db, workshop, tmp_path):
    doc = docx.Document(sheet.write_attendance_sheet(db, workshop.id, tmp_path / "l.docx"))
    section = doc.sections[0]
    assert section.page_width > section.page_height
    sect_pr = doc.element.body.find(qn("w:sectPr"))
    assert sect_pr.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape"
    one_day = store.insert(db, dataclasses.replace(karbala_workshop(), end_date=None))
    doc = docx.Document(sheet.write_attendance_sheet(db, one_day.id, tmp_path / "p.docx"))
    assert doc.sections[0].page_width < doc.sections[0].page_height


def test_day_headings_follow_the_units_months_and_digits(db, tmp_path):
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, digits="western", months="egyptian"))
    activity = store.insert(db, dataclasses.replace(
        karbala_workshop(), start_date="2026-07-02", end_date="2026-07-04"))
    doc = docx.Document(sheet.write_attendance_sheet(db, activity.id, tmp_path / "e.docx"))
    header = [c.text.replace(sheet.NBSP, " ") for c in body_table(doc).rows[0].cells][5:]
    assert header == ["التوقيع\nالخميس 2 يوليو", "التوقيع\nالجمعة 3 يوليو",
                      "التوقيع\nالسبت 4 يوليو"]
    store.update(db, dataclasses.replace(unit, digits="arabic", months="iraqi"))
    doc = docx.Document(sheet.write_attendance_sheet(db, activity.id, tmp_path / "i.docx"))
    first = body_table(doc).rows[0].cells[5].text
    # day and month never part at the end of a line in the narrow header cell
    assert first == f"التوقيع\nالخميس ٢{sheet.NBSP}تموز"


def test_failed_write_leaves_nothing_behind(db, workshop, tmp_path, full_disk_on_save):
    target = tmp_path / "out.docx"
    target.write_bytes(b"the previous sheet")

    with pytest.raises(OSError):
        sheet.write_attendance_sheet(db, workshop.id, target)
    assert target.read_bytes() == b"the previous sheet"
    left = [n for n in os.listdir(tmp_path) if "sqlite3" not in n]
    assert left == ["out.docx"]  # no temporary file left beside it


# --- LibreOffice: one conversion for the module ----------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("attendance-render")
    db = Database.open(tmp / "ittisal.sqlite3", create=True)
    try:
        unit_identity(db)
        activity = store.insert(db, karbala_workshop())
        people = add_attendees(db, activity.id, 30)
        path = sheet.write_attendance_sheet(db, activity.id, tmp / "sheet.docx")
        yield activity, people, to_pdf(path, tmp)
    finally:
        db.close()


@needs_soffice
def test_rendered_sheet_reads_back_every_name(rendered):
    activity, people, pdf = rendered
    text = comparable(pdf_text(pdf))
    assert comparable(activity.title) in text
    for person in people:
        assert comparable(person.full_name) in text


@needs_soffice
def test_rendered_table_runs_from_the_right_on_every_page(rendered):
    _, _, pdf = rendered
    words = pdf_words(pdf)
    pages = sorted({w["page"] for w in words})
    assert len(pages) >= 2  # 30 attendees and 5 blank rows need more than a page
    for page in pages:
        on_page = [w for w in words if w["page"] == page]
        number = [w for w in on_page if w["text"] == "ت"]
        names = [w for w in on_page if comparable(w["text"]) == comparable("الرباعي")]
        signatures = [w for w in on_page if w["text"] == "التوقيع"]
        assert number and names and signatures, f"header row missing on page {page}"
        assert number[0]["xMin"] > names[0]["xMax"] > max(s["xMax"] for s in signatures)
        # the ت column sits against the right margin (2 cm from the page's right edge)
        assert abs(number[0]["xMax"] - (number[0]["page_width"] - 56.7)) < 20


@needs_soffice
def test_rendered_names_are_right_aligned_in_their_cells(rendered):
    _, people, pdf = rendered
    words = pdf_words(pdf)
    first_words = [w for w in words if w["text"] == people[0].full_name.split()[0]]
    assert first_words
    line = [w for w in words if w["line"] == first_words[0]["line"]]
    name_words = [w for w in line if w["xMax"] < first_words[0]["xMax"] + 1
                  and w["xMin"] > first_words[0]["xMin"] - 120]
    assert max(name_words, key=lambda w: w["xMax"]) is first_words[0]


@needs_soffice
def test_rendered_two_day_sheet_is_landscape_with_dated_wide_signature_columns(rendered):
    _, _, pdf = rendered
    words = [w for w in pdf_words(pdf) if w["page"] == 1]
    assert words[0]["page_width"] > 800  # A4 landscape: 842 pt wide
    # (pdftotext drops the no-break space between the day and the month)
    text = "".join(comparable(pdf_text(pdf)).split())
    for day in ("الأحد ٢٢ تشرين الثاني", "الاثنين ٢٣ تشرين الثاني"):
        assert "".join(comparable(day).split()) in text
    # the two signature headings stand further apart than any two other headings
    def word(text):
        return next(w for w in words if comparable(w["text"]) == comparable(text))

    sunday, monday, phone, entity = (word(t) for t in ("الأحد", "الاثنين", "الهاتف", "الجهة"))
    assert phone["xMin"] > sunday["xMax"] > monday["xMax"]
    assert sunday["xMax"] - monday["xMax"] > entity["xMax"] - phone["xMax"] + 28  # 1 cm


# The seed's two-day workshop with 40 attendees as an Excel list brings them: four- and
# five-part names, long entities, job titles of one to three words.
REAL_NAMES = (
    "تحسين خالد حسون زيد الكلابي", "بشرى جواد كاظم الياسري", "إسراء عبد الواحد فلاح الغريفي",
    "عبد الرضا سجاد حسون الشريفي", "سيف فرحان عطية فاضل التميمي", "زينب علي حسين الأسدي",
    "مهدي عبد علي الطائي", "نور الهدى محمد جاسم الموسوي", "حيدر مجيد كريم الجبوري",
    "فاطمة عباس عبد الحسين الجبوري")
REAL_ENTITIES = (
    "المديرية العامة لتربية النجف الأشرف", "دائرة العمل والشؤون الاجتماعية في كربلاء",
    "مديرية التسجيل العقاري في كربلاء", "دائرة الاتصال الحكومي في وزارة التربية",
    "قسم الإشراف التربوي", "مديرية بلدية كربلاء", "جامعة وارث الأنبياء",
    "نقابة المعلمين العراقيين في كربلاء")
REAL_JOBS = ("مدرس", "مدرس مساعد", "باحث اجتماعي", "مسؤول وحدة العلاقات العامة", "مهندسة",
             "مدير مكتب", "رئيس قسم")


@needs_soffice
def test_a_realistic_list_of_forty_keeps_its_rows_short(db, tmp_path):
    """Names and entities wide enough that a row is one or two lines: a landscape page
    after the first holds more than a dozen attendees, and the signatures stay widest."""
    activity = store.insert(db, karbala_workshop())
    for i in range(40):
        person = store.insert(db, records.Person(
            full_name=REAL_NAMES[i % 10],
            job_title=REAL_JOBS[i % 7], entity=REAL_ENTITIES[i % 8],
            phone=f"0780{i:07d}"))
        attendance.add(db, activity.id, person.id)
    path = sheet.write_attendance_sheet(db, activity.id, tmp_path / "كشف.docx")
    widths = grid_cm(body_table(docx.Document(path)))
    assert min(widths[5:]) > max(widths[:5]), widths
    assert widths[1] >= 4.0 and widths[3] >= 4.0, widths  # name, entity
    pdf = to_pdf(path, tmp_path)
    phones = [w for w in pdf_words(pdf) if w["text"].startswith("0780")]
    per_page = [sum(1 for w in phones if w["page"] == p) for p in (1, 2)]
    assert per_page[1] >= 13, per_page


@needs_soffice
@pytest.mark.parametrize("end", ["2026-11-26", "2026-11-28"])  # five and seven days
def test_a_weeks_course_breaks_no_phone_and_no_month_name(db, tmp_path, end):
    """A week's course (five signature columns): each phone, typed without spaces, is one
    word on the rendered page, not "077012345" over "67"; each day's heading keeps its
    month whole, not "الثان" over "ي" (the date is held by no-break spaces, so a column
    narrower than it broke the word itself)."""
    activity = store.insert(db, dataclasses.replace(karbala_workshop(), end_date=end))
    for i in range(5):
        person = store.insert(db, records.Person(
            full_name="علي حسين كاظم الموسوي", job_title="مهندس أقدم",
            entity="دائرة صحة كربلاء", phone=f"0770123456{i}"))
        attendance.add(db, activity.id, person.id)
    path = sheet.write_attendance_sheet(db, activity.id, tmp_path / "week.docx")
    boxes = pdf_words(to_pdf(path, tmp_path))
    words = [w["text"] for w in boxes]
    assert [w for w in words if w.startswith("0770")] == [f"0770123456{i}" for i in range(5)]
    first_page = [w["text"] for w in boxes if w["page"] == 1]
    months = [w for w in first_page if w.startswith("الثا") and w != "الثالثاء"]
    assert months == ["الثاني"] * (activity.days + 1), months  # the dates line, the days
