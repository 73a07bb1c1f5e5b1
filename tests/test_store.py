"""Saving, loading, deleting and restoring records through the data layer."""

from __future__ import annotations

import dataclasses

import pytest

from models import records, store
from models.errors import AmbiguousIdError, NotFoundError


def test_insert_stamps_ids_times_and_origin_unit(db, workshop):
    assert len(workshop.id) == 36
    assert workshop.unit_id == db.local_unit_id
    assert workshop.created_at == workshop.updated_at
    assert workshop.created_at.endswith("Z")
    assert store.get(db, records.Activity, workshop.id) == workshop


def test_lists_survive_the_round_trip(db, workshop):
    loaded = store.get(db, records.Activity, workshop.id)
    assert loaded.partners == workshop.partners
    assert loaded.lecturers[1] == "منسق الاتصال الحكومي في الوزارة"
    assert loaded.days == 2


def test_input_is_folded_on_the_way_in(db):
    # Presentation forms (as pasted from a PDF), a right-to-left mark and stray spaces.
    pasted = "\u200f ﻭﺭﺷﺔ   عمل\n"
    saved = store.insert(db, records.Activity(title=pasted, start_date="2026-01-05"))
    assert saved.title == "ورشة عمل"
    assert store.get(db, records.Activity, saved.id).title == "ورشة عمل"


def test_dates_in_arabic_digits_are_stored_as_iso(db):
    saved = store.insert(db, records.Activity(title="اجتماع", start_date="٢٠٢٦/١١/٢٣"))
    assert saved.start_date == "2026-11-23"


def test_update_changes_updated_at_but_not_created_at(db, workshop):
    changed = store.update(db, dataclasses.replace(workshop, place="قاعة الرازي"))
    assert changed.created_at == workshop.created_at
    assert changed.updated_at >= workshop.updated_at
    assert store.get(db, records.Activity, workshop.id).place == "قاعة الرازي"


def test_update_of_a_missing_record_is_refused(db):
    with pytest.raises(NotFoundError):
        store.update(db, records.Activity(title="غير موجود", start_date="2026-01-01"))
    assert store.count(db, records.Activity) == 0


def test_delete_moves_to_the_bin_and_restore_brings_back(db, workshop):
    store.delete(db, records.Activity, workshop.id)
    assert store.count(db, records.Activity) == 0
    with pytest.raises(NotFoundError):
        store.get(db, records.Activity, workshop.id)
    binned = store.get(db, records.Activity, workshop.id, include_deleted=True)
    assert binned.deleted_at
    store.restore(db, records.Activity, workshop.id)
    assert store.get(db, records.Activity, workshop.id).deleted_at is None


def test_purge_removes_for_good_with_its_attendance(db, workshop):
    person = store.insert(db, records.Person(full_name="علي حسين كاظم الموسوي"))
    store.insert(db, records.Attendance(activity_id=workshop.id, person_id=person.id,
                                        days=[1, 2]))
    store.purge(db, records.Activity, workshop.id)
    assert store.count(db, records.Activity, include_deleted=True) == 0
    assert store.count(db, records.Attendance) == 0
    assert store.count(db, records.Person) == 1


def test_attendance_needs_existing_activity_and_person(db, workshop):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        store.insert(db, records.Attendance(activity_id=workshop.id, person_id="nobody"))
    assert store.count(db, records.Attendance) == 0


def test_resolve_id_takes_a_unique_prefix(db, workshop):
    assert store.resolve_id(db, records.Activity, workshop.id[:6]) == workshop.id
    assert store.resolve_id(db, records.Activity, workshop.id.upper()) == workshop.id
    with pytest.raises(NotFoundError):
        store.resolve_id(db, records.Activity, "zzzz")


def test_resolve_id_refuses_an_ambiguous_prefix(db):
    a = store.insert(db, records.Activity(id="abc00000-0000-4000-8000-000000000001",
                                          title="أ", start_date="2026-01-01"))
    store.insert(db, records.Activity(id="abc00000-0000-4000-8000-000000000002",
                                      title="ب", start_date="2026-01-01"))
    with pytest.raises(AmbiguousIdError):
        store.resolve_id(db, records.Activity, "abc")
    assert store.resolve_id(db, records.Activity, a.id) == a.id


def test_every_record_type_round_trips(db, workshop):
    person = store.insert(db, records.Person(full_name="فاطمة علي جواد الحسيني", gender="f",
                                             phone="0770 123 4567", email="f@example.iq"))
    plan = store.insert(db, records.Plan(title="مخطط تشرين الثاني وكانون الأول",
                                         period_start="2026-11-01", period_end="2026-12-31"))
    made = [
        person,
        store.insert(db, records.Attendance(activity_id=workshop.id, person_id=person.id,
                                            days=[1])),
        store.insert(db, records.Recommendation(activity_id=workshop.id, text="تفعيل الرصد",
                                                addressed_to="مكتب المدير العام")),
        plan,
        store.insert(db, records.PlanItem(plan_id=plan.id, title="حملة توعوية",
                                          channels=["facebook", "tv"], date="2026-11-30")),
        store.insert(db, records.CoverageItem(date="2026-11-23", outlet="قناة العراقية",
                                              medium="tv", title="تغطية الورشة",
                                              link="https://example.iq/news/1",
                                              activity_id=workshop.id)),
        store.insert(db, records.Attachment(owner_type="activity", owner_id=workshop.id,
                                            sha256="0" * 64, filename="صورة.jpg")),
        store.insert(db, records.Certificate(person_id=person.id, activity_id=workshop.id,
                                             serial="KRB-2026-0001", issued_at="x")),
    ]
    for record in made:
        assert store.get(db, type(record), record.id) == record
