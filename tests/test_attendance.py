"""An activity's attendance list and the days each person came."""

from __future__ import annotations

from models import attendance, records, store


def test_add_defaults_to_every_day_and_is_idempotent(db, workshop):
    p = store.insert(db, records.Person(full_name="علي حسين كاظم"))
    row = attendance.add(db, workshop.id, p.id)
    assert row.days == [1, 2]
    assert attendance.add(db, workshop.id, p.id).id == row.id
    assert attendance.count(db, workshop.id) == 1


def test_days_outside_the_activity_are_dropped(db, workshop):
    p = store.insert(db, records.Person(full_name="علي حسين كاظم"))
    row = attendance.add(db, workshop.id, p.id, days=[2, 5, 0])
    assert row.days == [2]
    assert attendance.set_days(db, row.id, [1, 2, 3]).days == [1, 2]


def test_remove_and_add_again_reuses_the_row(db, workshop):
    p = store.insert(db, records.Person(full_name="علي حسين كاظم"))
    row = attendance.add(db, workshop.id, p.id)
    attendance.remove(db, row.id)
    assert attendance.attendees(db, workshop.id) == []
    again = attendance.add(db, workshop.id, p.id, days=[1])
    assert again.id == row.id and again.days == [1]
    assert [a.person.full_name for a in attendance.attendees(db, workshop.id)] == [
        "علي حسين كاظم"]
