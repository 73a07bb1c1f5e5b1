"""The periodic report's data (models.periodic): totals equal what the database holds,
activities by month, period labels, and the hook later sections plug into."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from demo import generator as demo
from models import attendance, periodic, records, store
from models.activities import ActivityFilter, list_activities
from models.dates import DateStyle
from models.db import Database

HEAD = ("أحمد عبيد هادي الأسدي", "مدير شعبة الإعلام والاتصال الحكومي")
UNIT_NAME = "شعبة الإعلام والاتصال الحكومي"
DRAFT_TITLE = "ندوة مسودة عن خطة لم تعتمد"


def person(db: Database, name: str) -> records.Person:
    return store.insert(db, records.Person(full_name=name, entity="دائرة صحة كربلاء"))


def activity(db: Database, kind: str, title: str, start: str, end: str | None = None,
             **fields) -> records.Activity:
    fields.setdefault("status", "approved")  # a report counts approved and sent ones
    return store.insert(db, records.Activity(
        kind=kind, title=title, start_date=start, end_date=end, place="قاعة المديرية",
        summary=f"ملخص {title}.", **fields))


def certificate(db: Database, act: records.Activity, who: records.Person, serial: str,
                issued: str) -> None:
    store.insert(db, records.Certificate(activity_id=act.id, person_id=who.id, serial=serial,
                                         holder_name=who.full_name, issued_at=issued))


def build_known_data(db: Database) -> dict[str, records.Activity]:
    """Activities around November and December 2026 with known figures:

    November: two workshops, 3 + 2 attendance rows, 4 distinct persons, 1 certificate;
    December: a meeting without a list but 40 typed; outside or deleted ones around them.
    Also in November a draft (DRAFT_TITLE) with a fifth person and a certificate, which a
    report leaves out unless drafts are asked for.
    """
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(
        unit, ministry="وزارة التعليم العالي والبحث العلمي", directorate="جامعة كربلاء",
        name=UNIT_NAME, head_name=HEAD[0], head_title=HEAD[1]))
    p = [person(db, n) for n in ("علي حسين كاظم جواد", "زينب محمد صالح كريم",
                                 "فاطمة عادل جاسم هادي", "عباس نور كاظم صالح",
                                 "مريم أحمد جواد كريم")]
    acts = {
        "w1": activity(db, "workshop", "ورشة عن الاتصال الحكومي", "2026-11-05", "2026-11-06",
                       organiser="جامعة كربلاء"),
        "w2": activity(db, "workshop", "ورشة عن كتابة التقارير الدورية", "2026-11-20",
                       status="sent"),
        "draft": activity(db, "seminar", DRAFT_TITLE, "2026-11-25", status="draft",
                          organiser="جهة لم تؤكد بعد"),
        "m1": activity(db, "meeting", "الاجتماع الدوري لمنسقي الاتصال", "2026-12-03",
                       participants_count=40),
        "s_before": activity(db, "seminar", "ندوة تشرين الأول", "2026-10-31"),
        "w_deleted": activity(db, "workshop", "ورشة محذوفة", "2026-11-15"),
        "c_after": activity(db, "course", "دورة كانون الثاني", "2027-01-02"),
    }
    for who in p[:4]:
        attendance.add(db, acts["w1"].id, who.id)
    gone = attendance.attendees(db, acts["w1"].id)[3]
    attendance.remove(db, gone.attendance_id)  # taken off the list: not counted
    for who in (p[0], p[3]):
        attendance.add(db, acts["w2"].id, who.id)
    attendance.add(db, acts["s_before"].id, p[4].id)
    attendance.add(db, acts["w_deleted"].id, p[1].id)
    attendance.add(db, acts["draft"].id, p[4].id)
    certificate(db, acts["w1"], p[0], "C-1", "2026-11-06T09:00:00.000Z")
    certificate(db, acts["w1"], p[1], "C-2", "2026-12-01T09:00:00.000Z")
    certificate(db, acts["s_before"], p[4], "C-3", "2026-10-31T09:00:00.000Z")
    certificate(db, acts["draft"], p[4], "C-4", "2026-11-26T09:00:00.000Z")
    store.delete(db, records.Activity, acts["w_deleted"].id)
    return acts


@pytest.fixture
def known(db):
    return build_known_data(db)


def test_a_month_holds_what_the_database_holds(db, known):
    data = periodic.gather(db, "2026-11-01", "2026-11-30")
    assert [a.id for a in data.activities] == [known["w1"].id, known["w2"].id]
    assert data.totals == periodic.PeriodicTotals(
        activities=2, by_kind={"workshop": 2}, attendance=5, persons=4, participants=5,
        certificates=1)
    assert data.by_month == [periodic.MonthCount(2026, 11, 2, 5)]
    assert data.unit.head_name == HEAD[0]


def test_two_months_count_typed_participants_and_months_without_activities(db, known):
    data = periodic.gather(db, "2026-11-01", "2026-12-31")
    assert data.totals.activities == 3
    assert data.totals.by_kind == {"workshop": 2, "meeting": 1}
    assert list(data.totals.by_kind) == ["workshop", "meeting"]  # vocabulary order
    assert (data.totals.attendance, data.totals.persons) == (5, 4)
    assert data.totals.participants == 45
    assert data.totals.certificates == 2
    assert data.by_month == [periodic.MonthCount(2026, 11, 2, 5),
                             periodic.MonthCount(2026, 12, 1, 40)]
    meeting = data.activities[-1]
    assert meeting.participants == 40 and meeting.typed_count
    assert not data.activities[0].typed_count


def test_range_bounds_are_inclusive_and_months_without_activities_are_zero(db, known):
    data = periodic.gather(db, "2026-10-31", "2027-01-02")
    titles = [a.title for a in data.activities]
    assert titles[0] == "ندوة تشرين الأول" and titles[-1] == "دورة كانون الثاني"
    assert "ورشة محذوفة" not in titles
    assert [(m.year, m.month, m.activities) for m in data.by_month] == [
        (2026, 10, 1), (2026, 11, 2), (2026, 12, 1), (2027, 1, 1)]
    empty = periodic.gather(db, "2026-06-01", "2026-08-31")
    assert empty.activities == [] and empty.totals.activities == 0
    assert [m.activities for m in empty.by_month] == [0, 0, 0]
    with pytest.raises(ValueError):
        periodic.gather(db, "2026-12-01", "2026-11-01")


def test_demo_year_totals_equal_the_activity_list(db):
    demo.generate(db, activities=150, seed=3)
    data = periodic.gather(db, "2026-01-01", "2026-12-31")
    rows = [r for r in list_activities(db, ActivityFilter(date_from="2026-01-01",
                                                          date_to="2026-12-31"))
            if r.status != "draft"]
    assert data.totals.activities == len(rows) == len(data.activities) > 0
    assert data.totals.by_kind == dict(Counter(r.kind for r in rows))
    assert data.totals.participants == sum(r.participants for r in rows)
    assert data.totals.attendance == sum(attendance.count(db, r.id) for r in rows)
    persons = {a.person.id for r in rows for a in attendance.attendees(db, r.id)}
    assert data.totals.persons == len(persons)
    assert sum(m.activities for m in data.by_month) == len(rows)
    assert len(data.by_month) == 12


def test_gather_inside_an_open_transaction(db, known):
    with db.atomic():
        data = periodic.gather(db, "2026-11-01", "2026-11-30")
        assert db.conn.in_transaction
    assert data.totals.activities == 2
    assert not db.conn.in_transaction


def test_registered_sections_are_gathered_with_the_rest(db, known, monkeypatch):
    monkeypatch.setattr(periodic, "_SECTIONS", {})
    periodic.register_section("coverage", lambda d, start, end: (start, end, "later"))
    assert periodic.registered_sections() == ["coverage"]
    data = periodic.gather(db, "2026-11-01", "2026-11-30")
    assert data.sections == {"coverage": ("2026-11-01", "2026-11-30", "later")}


@pytest.mark.parametrize(("start", "end", "label"), [
    ("2026-11-01", "2026-11-30", "تشرين الثاني ٢٠٢٦"),
    ("2026-02-01", "2026-02-28", "شباط ٢٠٢٦"),
    ("2026-11-01", "2026-12-31", "تشرين الثاني – كانون الأول ٢٠٢٦"),
    ("2026-12-01", "2027-01-31", "كانون الأول ٢٠٢٦ – كانون الثاني ٢٠٢٧"),
    ("2026-10-01", "2026-12-31", "الربع الرابع ٢٠٢٦"),
    ("2026-01-01", "2026-03-31", "الربع الأول ٢٠٢٦"),
    ("2026-02-01", "2026-04-30", "شباط – نيسان ٢٠٢٦"),  # three months, not a quarter
    ("2026-01-01", "2026-12-31", "سنة ٢٠٢٦"),
    ("2026-11-01", "2026-11-15", "١–١٥ تشرين الثاني ٢٠٢٦"),
    ("2026-11-20", "2026-12-10", "٢٠ تشرين الثاني – ١٠ كانون الأول ٢٠٢٦"),
    ("2026-11-23", "2026-11-23", "٢٣ تشرين الثاني ٢٠٢٦"),
])
def test_period_labels(start, end, label):
    assert periodic.period_label(start, end) == label


def test_period_labels_follow_the_unit_style():
    western = DateStyle(months="egyptian", digits="western")
    assert periodic.period_label("2026-11-01", "2026-11-30", western) == "نوفمبر 2026"
    assert periodic.period_label("2026-07-01", "2026-09-30", western) == "الربع الثالث 2026"
    assert periodic.period_label("2026-01-01", "2026-12-31", western) == "سنة 2026"
    with pytest.raises(ValueError):
        periodic.period_label("2026-12-01", "2026-11-30")
