"""Persons: completion, duplicate spotting, history and merging."""

from __future__ import annotations

from models import attendance, persons, records, store


def person(db, name, **fields):
    return store.insert(db, records.Person(full_name=name, **fields))


def test_completion_takes_any_words_in_any_spelling(db):
    zainab = person(db, "زينب علي حسين الأسدي")
    person(db, "علي كاظم جواد الموسوي")
    assert [p.id for p in persons.complete(db, "زينب الاس")] == [zainab.id]
    assert [p.id for p in persons.complete(db, "الإسدي")] == [zainab.id]
    assert len(persons.complete(db, "علي")) == 2
    assert persons.complete(db, "  ") == []


def test_matches_by_folded_name_or_phone(db):
    a = person(db, "زينب علي حسين الأسدي", phone="0770 123 4567")
    assert [p.id for p in persons.matches(db, "زينب  علي حسين الاسدي")] == [a.id]
    assert [p.id for p in persons.matches(db, "اسم آخر", "+964 770 123 4567")] == [a.id]
    assert [p.id for p in persons.matches(db, "اسم آخر", "٠٧٧٠١٢٣٤٥٦٧")] == [a.id]
    assert persons.matches(db, "زينب علي حسن الأسدي") == []


def test_history_lists_activities_newest_first(db):
    p = person(db, "حسن علي كاظم")
    old = store.insert(db, records.Activity(title="اجتماع", start_date="2026-01-10"))
    new = store.insert(db, records.Activity(title="ورشة", start_date="2026-11-22",
                                            end_date="2026-11-23"))
    attendance.add(db, old.id, p.id)
    attendance.add(db, new.id, p.id, days=[2])
    store.insert(db, records.Certificate(person_id=p.id, activity_id=new.id,
                                         serial="KRB-2026-0001", issued_at="x"))
    got = persons.history(db, p.id)
    assert [h.title for h in got] == ["ورشة", "اجتماع"]
    assert got[0].days == [2] and got[0].certificate_serial == "KRB-2026-0001"
    assert got[1].certificate_serial is None


def test_merge_moves_attendance_fills_gaps_and_bins_the_duplicate(db):
    keep = person(db, "زينب علي حسين الأسدي", phone="07701234567")
    drop = person(db, "زينب علي حسين الاسدي", email="zainab@example.iq", job_title="مبرمجة")
    both = store.insert(db, records.Activity(title="ورشة", start_date="2026-11-22"))
    only_drop = store.insert(db, records.Activity(title="ندوة", start_date="2026-10-01"))
    attendance.add(db, both.id, keep.id)
    attendance.add(db, both.id, drop.id)
    attendance.add(db, only_drop.id, drop.id)

    merged = persons.merge(db, keep.id, drop.id)
    assert merged.email == "zainab@example.iq" and merged.phone == "07701234567"
    assert [h.title for h in persons.history(db, keep.id)] == ["ورشة", "ندوة"]
    assert attendance.count(db, both.id) == 1
    assert store.count(db, records.Person) == 1
    assert store.get(db, records.Person, drop.id, include_deleted=True).deleted_at
    assert db.scalar("PRAGMA foreign_key_check") is None


def test_merge_keeps_the_live_row_when_keeps_own_was_removed(db):
    keep = person(db, "زينب علي حسين الأسدي")
    drop = person(db, "زينب علي حسين الاسدي")
    workshop = store.insert(db, records.Activity(title="ورشة", start_date="2026-11-22",
                                                 end_date="2026-11-23"))
    mistaken = attendance.add(db, workshop.id, keep.id)
    attendance.remove(db, mistaken.id)
    attendance.add(db, workshop.id, drop.id, days=[2])
    persons.merge(db, keep.id, drop.id)
    listed = attendance.attendees(db, workshop.id)
    assert [(a.person.id, a.days) for a in listed] == [(keep.id, [2])]
    assert attendance.count(db, workshop.id) == 1
