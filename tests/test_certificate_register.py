"""The certificate register (سجل الشهادات): its search and filters, and its Excel export."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from openpyxl import load_workbook

from exporters.certificate_register import HEADERS, write_register
from models import attendance, certificate_register, certificates, records, store
from models.arabic import to_arabic_digits
from models.certificate_register import count, register, years
from tests.conftest import karbala_workshop

NAMES = {
    "zainab": "زينب علي حسين الأسدي",
    "fatima": "فاطمة عباس عبد الحسين الجبوري",
    "ahmad": "أحمد إبراهيم خليل الموسوي",
    "mustafa": "مصطفى كاظم جواد",
}
MEETING = "الاجتماع الدوري لمنسقي الإعلام في دوائر المحافظة"


def set_prefix(db, prefix: str) -> None:
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, certificate_prefix=prefix))


@pytest.fixture
def world(db):
    """The Karbala workshop (2026) with four attendees, and a meeting (2025) with one;
    certificates issued in that order: KRB-2026-0001…0004, then KRB-2025-0001."""
    set_prefix(db, "KRB")
    workshop = store.insert(db, karbala_workshop())
    meeting = store.insert(db, records.Activity(kind="meeting", title=MEETING,
                                                start_date="2025-12-28", status="sent"))
    people = {key: store.insert(db, records.Person(full_name=name))
              for key, name in NAMES.items()}
    certs = {}
    for key, person in people.items():
        attendance.add(db, workshop.id, person.id)
        certs[key] = certificates.issue(db, person.id, workshop.id, year=2026)
    attendance.add(db, meeting.id, people["mustafa"].id)
    certs["meeting"] = certificates.issue(db, people["mustafa"].id, meeting.id, year=2025)
    return {"workshop": workshop, "meeting": meeting, "people": people, "certs": certs}


def holders(rows) -> list[str]:
    return [row.holder_name for row in rows]


# --- the query ------------------------------------------------------------------------

def test_lists_every_certificate_newest_first_with_its_activity(db, world):
    rows = register(db)
    assert [r.serial for r in rows] == ["KRB-2025-0001", "KRB-2026-0004", "KRB-2026-0003",
                                        "KRB-2026-0002", "KRB-2026-0001"]
    first = rows[-1]
    assert first.holder_name == NAMES["zainab"]
    assert first.person_id == world["people"]["zainab"].id
    assert first.activity_id == world["workshop"].id
    assert first.activity_title == world["workshop"].title
    assert (first.start_date, first.end_date) == ("2026-11-22", "2026-11-23")
    assert (first.reprints, first.revision, first.cancelled) == (0, 0, False)
    assert first.code == world["certs"]["zainab"].code
    assert count(db) == 5


def test_pages_of_the_register(db, world):
    everything = register(db)
    assert register(db, limit=2) == everything[:2]
    assert register(db, limit=2, offset=2) == everything[2:4]
    assert register(db, limit=2, offset=4) == everything[4:]


@pytest.mark.parametrize(("query", "expected"), [
    ("الاسدى", ["zainab"]),                 # أ → ا, ي → ى
    ("زينب الأسدي", ["zainab"]),            # two words, both must occur
    ("فاطمه", ["fatima"]),                  # ة → ه
    ("احمد ابراهيم", ["ahmad"]),            # أ/إ → ا
    ("أَحْمَد", ["ahmad"]),                   # tashkeel ignored
    ("عباس الجبوري", ["fatima"]),
    ("زينب فاطمة", []),                     # no certificate holds both
])
def test_search_by_part_of_the_name_spelled_any_way(db, world, query, expected):
    assert holders(register(db, query)) == [NAMES[key] for key in expected]
    assert count(db, query) == len(expected)


def test_search_by_serial_in_any_case_and_with_arabic_indic_digits(db, world):
    assert [r.serial for r in register(db, "krb-2026-0003")] == ["KRB-2026-0003"]
    assert [r.serial for r in register(db, to_arabic_digits("2026-0003"))] == ["KRB-2026-0003"]
    assert [r.serial for r in register(db, "KRB-2025")] == ["KRB-2025-0001"]
    assert count(db, "KRB") == 5


def test_search_by_the_activitys_title(db, world):
    workshop = register(db, "الاتصال الحكومي")
    assert sorted(holders(workshop)) == sorted(NAMES.values())
    # The article and a preposition stripped: "بالورشة" finds "ورشة تطويرية".
    assert len(register(db, "بالورشة")) == 4
    assert holders(register(db, "اجتماع منسقي")) == [NAMES["mustafa"]]
    assert holders(register(db, "مصطفى")) == [NAMES["mustafa"]] * 2


def test_year_filter_and_the_years_there_are(db, world):
    assert years(db) == [2026, 2025]
    assert [r.serial for r in register(db, year=2025)] == ["KRB-2025-0001"]
    assert count(db, year=2026) == 4
    assert holders(register(db, "مصطفى", year=2026)) == [NAMES["mustafa"]]
    assert register(db, year=2024) == []


def test_activity_filter(db, world):
    rows = register(db, activity_id=world["meeting"].id)
    assert [r.activity_title for r in rows] == [MEETING]
    assert count(db, activity_id=world["workshop"].id) == 4


def test_reprints_and_revision_follow_issue_and_correct_name(db, world):
    zainab = world["people"]["zainab"]
    certificates.issue(db, zainab.id, world["workshop"].id)
    certificates.issue(db, zainab.id, world["workshop"].id)
    (row,) = register(db, "KRB-2026-0001")
    assert (row.reprints, row.revision) == (2, 0)

    certificates.correct_name(db, row.id, "زينب علي حسين الأسدية")
    (row,) = register(db, "KRB-2026-0001")
    assert (row.holder_name, row.reprints, row.revision) == ("زينب علي حسين الأسدية", 2, 1)
    assert holders(register(db, "الاسديه")) == ["زينب علي حسين الأسدية"]
    # Still in its place: a correction is not a new certificate.
    assert register(db)[-1].id == row.id


def test_cancelled_certificates_only_when_asked(db, world):
    cert = world["certs"]["fatima"]
    store.delete(db, records.Certificate, cert.id)
    assert NAMES["fatima"] not in holders(register(db))
    assert count(db) == 4
    rows = register(db, "فاطمة", include_cancelled=True)
    assert [(r.serial, r.cancelled) for r in rows] == [(cert.serial, True)]
    assert count(db, include_cancelled=True) == 5


def test_issued_on_is_the_local_calendar_day():
    stamp = "2026-11-22T21:30:00.000Z"
    local = dt.datetime(2026, 11, 22, 21, 30, tzinfo=dt.UTC).astimezone().date()
    assert certificate_register.issued_on(stamp) == local.isoformat()
    assert certificate_register.issued_on("2026-11-22") == "2026-11-22"
    assert certificate_register.issued_on("") is None


def test_search_over_many_certificates_finds_every_spelling(db, world):
    # 3,000 more certificates (written directly: signing is not what is measured).
    workshop = world["workshop"]
    with db.atomic():
        for n in range(3000):
            person = store.insert(db, records.Person(full_name=f"مشارك رقم {n} الحسيني"))
            store.insert(db, records.Certificate(
                person_id=person.id, activity_id=workshop.id, serial=f"KRB-2024-{n + 1:04d}",
                holder_name=person.full_name, issued_at=records.now()))
    assert count(db, "الحسيني") == 3000
    # Another spelling of the same name (final ى for ي) finds them all; a page is a page.
    assert count(db, "الحسينى") == 3000
    assert len(register(db, "الحسينى", limit=200)) == 200


# --- the Excel export -----------------------------------------------------------------

def test_export_reads_back_right_to_left_with_a_frozen_bold_header(db, world, tmp_path):
    certificates.issue(db, world["people"]["ahmad"].id, world["workshop"].id)  # a reprint
    path = write_register(db, tmp_path / "سجل الشهادات.xlsx")
    book = load_workbook(path)
    sheet = book.active
    assert sheet.title == "سجل الشهادات"
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header == list(HEADERS)
    assert all(c.font.b for c in sheet[1])
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [r.serial for r in register(db)]
    ahmad = next(r for r in rows if r[1] == NAMES["ahmad"])
    assert ahmad[2] == world["workshop"].title
    assert ahmad[3].date() == dt.date(2026, 11, 22) and ahmad[4].date() == dt.date(2026, 11, 23)
    assert isinstance(ahmad[5], dt.datetime)  # a real date cell, not text
    assert ahmad[6:] == [1, 0, "سارية"]
    # Columns sized to their contents: the activity's title is the widest.
    widths = {c: sheet.column_dimensions[c].width for c in "ABC"}
    assert widths["C"] > widths["B"] > widths["A"] >= 9
    assert sheet.auto_filter.ref == f"A1:I{len(rows) + 1}"


def test_export_follows_the_search_and_filters(db, world, tmp_path):
    path = write_register(db, tmp_path / "2025.xlsx", year=2025)
    sheet = load_workbook(path).active
    assert [[c.value for c in row][:2] for row in sheet.iter_rows(min_row=2)] == [
        ["KRB-2025-0001", NAMES["mustafa"]]]
    path = write_register(db, tmp_path / "fatima.xlsx", query="فاطمه")
    sheet = load_workbook(path).active
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [NAMES["fatima"]]


def test_a_name_that_looks_like_a_formula_stays_text(db, world, tmp_path):
    cert = world["certs"]["mustafa"]
    certificates.correct_name(db, cert.id, "=HYPERLINK(\"x\")")
    sheet = load_workbook(write_register(db, tmp_path / "r.xlsx")).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    odd = next(c for c in cells if str(c.value).startswith("="))
    assert odd.data_type == "s"


def test_a_stopped_export_leaves_no_file_and_keeps_the_old_one(db, world, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.xlsx").write_bytes(b"old")

    def stop(done: int, total: int) -> None:
        raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        write_register(db, out / "new.xlsx", progress=stop)
    with pytest.raises(RuntimeError):
        write_register(db, out / "old.xlsx", progress=stop)
    assert [p.name for p in out.iterdir()] == ["old.xlsx"]
    assert (out / "old.xlsx").read_bytes() == b"old"
