"""The dashboard's figures equal what the database holds (models.dashboard, no Qt)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

import pytest

from models import attendance, dashboard, records, store, unit_mode

TODAY = dt.date(2026, 11, 20)


def activity(db, title: str, start: str, *, kind: str = "workshop", status: str = "approved",
             end: str | None = None) -> records.Activity:
    return store.insert(db, records.Activity(kind=kind, title=title, start_date=start,
                                             end_date=end, status=status))


def person(db, name: str) -> records.Person:
    return store.insert(db, records.Person(full_name=name))


@pytest.fixture
def known(db):
    """A month with known figures, plus records outside it that must not count."""
    a1 = activity(db, "ورشة الاتصال الحكومي", "2026-11-03", end="2026-11-04")
    a2 = activity(db, "ورشة الإعلام الرقمي", "2026-11-30", status="draft")
    a3 = activity(db, "الاجتماع الدوري", "2026-11-01", kind="meeting")
    gone = activity(db, "ورشة محذوفة", "2026-11-10")
    activity(db, "دورة تشرين الأول", "2026-10-31", kind="course", status="draft")
    later = [activity(db, f"نشاط قادم {i}", f"2026-12-{i + 1:02d}", kind="seminar",
                      status="draft") for i in range(12)]
    zainab, ali, huda, old = (person(db, n) for n in (
        "زينب علي حسين الأسدي", "علي كاظم جواد الموسوي", "هدى صالح مهدي", "سلمى عباس"))
    for p in (zainab, ali, huda):
        attendance.add(db, a1.id, p.id)
    attendance.add(db, a3.id, zainab.id)  # Zainab twice this month: one person, two rows
    removed = attendance.add(db, a2.id, huda.id)
    attendance.remove(db, removed.id)  # taken off the list: not counted
    attendance.add(db, gone.id, old.id)  # on a deleted activity: not counted
    store.delete(db, records.Activity, gone.id)
    return {"a1": a1, "a2": a2, "a3": a3, "later": later}


def test_this_month_by_kind_counts_each_kind_in_vocabulary_order(db, known):
    summary = dashboard.summary(db, TODAY)
    assert summary.month_start == "2026-11-01" and summary.month_end == "2026-11-30"
    assert [(k.kind, k.label, k.count) for k in summary.by_kind] == [
        ("workshop", "ورشة عمل", 2), ("meeting", "اجتماع دوري", 1)]
    assert summary.month_total == 3


def test_attendees_count_distinct_persons_and_rows(db, known):
    summary = dashboard.summary(db, TODAY)
    assert summary.month_persons == 3
    assert summary.month_attendance == 4


def test_drafts_count_every_draft_not_in_the_bin(db, known):
    assert dashboard.summary(db, TODAY).drafts == 1 + 1 + 12


def test_upcoming_are_the_next_ten_after_today_in_date_order(db, known):
    upcoming = dashboard.summary(db, TODAY).upcoming
    assert len(upcoming) == dashboard.UPCOMING_LIMIT
    assert upcoming[0].title == "ورشة الإعلام الرقمي"
    assert upcoming[1].start_date == "2026-12-01"
    assert [u.start_date for u in upcoming] == sorted(u.start_date for u in upcoming)
    assert all(u.start_date > TODAY.isoformat() for u in upcoming)


def test_today_itself_is_not_upcoming(db):
    activity(db, "اليوم", TODAY.isoformat())
    assert dashboard.summary(db, TODAY).upcoming == []


def test_recent_changes_are_the_last_ten_across_tables(db, known):
    # Stamps are to the millisecond: a pause keeps each write's stamp its own.
    time.sleep(0.005)
    rec = store.insert(db, records.Recommendation(activity_id=known["a1"].id,
                                                  text="اعتماد دليل موحد للأخبار"))
    time.sleep(0.005)
    cov = store.insert(db, records.CoverageItem(date="2026-11-05", title="تغطية الورشة",
                                                activity_id=known["a3"].id))
    time.sleep(0.005)
    edited = store.update(db, dataclasses.replace(known["a2"], place="جامعة كربلاء"))
    time.sleep(0.005)
    newest = person(db, "مريم حسن")
    recent = dashboard.summary(db, TODAY).recent
    assert len(recent) == dashboard.RECENT_LIMIT
    assert [(r.type, r.title) for r in recent[:4]] == [
        ("person", "مريم حسن"), ("activity", edited.title), ("coverage", "تغطية الورشة"),
        ("recommendation", "اعتماد دليل موحد للأخبار")]
    assert recent[0].activity_date is None and recent[0].type_label == "مشارك"
    assert recent[1].activity_date == "2026-11-30"
    assert (recent[2].activity_id, recent[2].activity_date) == (known["a3"].id, "2026-11-01")
    assert recent[3].id == rec.id and recent[3].activity_date == "2026-11-03"
    assert cov.id == recent[2].id and newest.id == recent[0].id
    stamps = [r.updated_at for r in recent]
    assert stamps == sorted(stamps, reverse=True)


def test_deleted_records_are_not_recent_changes(db, known):
    store.delete(db, records.Activity, known["a1"].id)
    assert known["a1"].id not in {r.id for r in dashboard.summary(db, TODAY).recent}


def test_an_empty_database_gives_zeros(db):
    summary = dashboard.summary(db, TODAY)
    assert (summary.by_kind, summary.month_total, summary.month_persons,
            summary.month_attendance, summary.drafts, summary.upcoming, summary.recent) == (
        [], 0, 0, 0, 0, [], [])


@pytest.mark.parametrize(("today", "first", "last"), [
    (dt.date(2026, 12, 31), dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    (dt.date(2028, 2, 10), dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
])
def test_month_bounds(today, first, last):
    assert dashboard.month_bounds(today) == (first, last)


def test_a_new_database_is_fresh(db):
    assert unit_mode.is_fresh(db)


def test_a_unit_identity_makes_it_not_fresh(db):
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, name="شعبة الإعلام"))
    assert not unit_mode.is_fresh(db)


@pytest.mark.parametrize("what", ["activity", "person", "deleted activity"])
def test_any_record_makes_it_not_fresh(db, what):
    if what == "person":
        person(db, "زينب علي")
    else:
        made = activity(db, "ورشة", "2026-11-03")
        if what == "deleted activity":
            store.delete(db, records.Activity, made.id)
    assert not unit_mode.is_fresh(db)


def test_record_counts_leave_out_the_recycle_bin(db, known):
    counts = dashboard.record_counts(db)
    assert (counts.activities, counts.persons) == (3 + 1 + 12, 4)
