"""An activity's attendance list: who came, and on which of its days."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from models import store
from models.db import Database
from models.records import Activity, Attendance, Person


@dataclass(frozen=True)
class Attendee:
    """A person on an activity's list, with the days they attended (1-based)."""

    attendance_id: str
    person: Person
    days: list[int]


def attendees(db: Database, activity_id: str) -> list[Attendee]:
    """The activity's attendance list, in the order people were added."""
    rows = store.find(db, Attendance, "activity_id = ?", (activity_id,), order_by="rowid")
    if not rows:
        return []
    ids = [r.person_id for r in rows]
    persons = {p.id: p for p in store.find(
        db, Person, f"id IN ({', '.join('?' * len(ids))})", ids, include_deleted=True)}
    return [Attendee(r.id, persons[r.person_id], r.days) for r in rows if r.person_id in persons]


def add(db: Database, activity_id: str, person_id: str,
        days: list[int] | None = None) -> Attendance:
    """Put a person on the list (every day of the activity unless ``days`` says otherwise);
    adding someone already there changes nothing and returns their row."""
    with db.atomic():
        existing = store.find(db, Attendance, "activity_id = ? AND person_id = ?",
                              (activity_id, person_id), include_deleted=True)
        if existing and existing[0].deleted_at is None:
            return existing[0]
        activity = store.get(db, Activity, activity_id)
        chosen = sorted(set(days)) if days is not None else list(range(1, activity.days + 1))
        chosen = [d for d in chosen if 1 <= d <= activity.days]
        if existing:  # was removed before: bring the same row back
            store.restore(db, Attendance, existing[0].id)
            return store.update(db, dataclasses.replace(existing[0], deleted_at=None,
                                                        days=chosen))
        return store.insert(db, Attendance(activity_id=activity_id, person_id=person_id,
                                           days=chosen))


def set_days(db: Database, attendance_id: str, days: list[int]) -> Attendance:
    """Record on which days a person attended."""
    with db.atomic():
        row = store.get(db, Attendance, attendance_id)
        activity = store.get(db, Activity, row.activity_id)
        chosen = sorted({d for d in days if 1 <= d <= activity.days})
        return store.update(db, dataclasses.replace(row, days=chosen))


def remove(db: Database, attendance_id: str) -> None:
    """Take a person off the list (restorable with :func:`add`)."""
    store.delete(db, Attendance, attendance_id)


def count(db: Database, activity_id: str) -> int:
    """How many persons are on the activity's list."""
    return db.scalar("SELECT count(*) FROM attendance WHERE activity_id = ? "
                     "AND deleted_at IS NULL", (activity_id,))
