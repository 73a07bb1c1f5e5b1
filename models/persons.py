"""Persons: finding them (completion, duplicates), their history, merging two into one."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from models import search, store
from models.arabic import name_key, phone_key
from models.db import Database
from models.records import Attendance, Certificate, Person, now


def complete(db: Database, text: str, *, limit: int = 20) -> list[Person]:
    """Persons whose name (or entity, phone…) matches what was typed so far, best first.

    Every typed word must match, the last one as a word beginning, in any spelling
    variant; so "زينب الاس" finds "زينب علي حسين الأسدي".
    """
    text = text.strip()
    if not text:
        return []
    hits = search.search(db.conn, text + "*", limit=limit,
                         where=search.SearchFilter(types=("person",)))
    found = {p.id: p for p in store.find(
        db, Person, f"id IN ({', '.join('?' * len(hits))})", [h.id for h in hits])} if hits else {}
    return [found[h.id] for h in hits if h.id in found]


def matches(db: Database, full_name: str, phone: str = "") -> list[Person]:
    """Existing persons who are probably this one: same folded name, or same phone."""
    key, phone_digits = name_key(full_name), phone_key(phone)
    where, params = "name_key = ?", [key]
    if phone_digits:
        where += " OR phone_key = ?"
        params.append(phone_digits)
    return store.find(db, Person, where, params, order_by="created_at")


@dataclass(frozen=True)
class Participation:
    """One activity a person attended, with the certificate they got there, if any."""

    activity_id: str
    title: str
    kind: str
    start_date: str
    end_date: str | None
    days: list[int]
    certificate_serial: str | None


def history(db: Database, person_id: str) -> list[Participation]:
    """The activities a person attended, newest first, with their certificates."""
    rows = db.execute(
        "SELECT a.id, a.title, a.kind, a.start_date, a.end_date, t.days, c.serial "
        "FROM attendance t JOIN activities a ON a.id = t.activity_id "
        "LEFT JOIN certificates c ON c.activity_id = a.id AND c.person_id = t.person_id "
        "AND c.deleted_at IS NULL "
        "WHERE t.person_id = ? AND t.deleted_at IS NULL AND a.deleted_at IS NULL "
        "ORDER BY a.start_date DESC", (person_id,))
    return [Participation(*row[:5], json.loads(row[5]), row[6]) for row in rows]


def merge(db: Database, keep_id: str, drop_id: str) -> Person:
    """Make two records of one person one: ``drop``'s attendance and certificates move to
    ``keep``, empty fields of ``keep`` are filled from ``drop``, and ``drop`` goes to the
    recycle bin (so the merge can be looked at, and its tombstone travels to the ministry).
    """
    if keep_id == drop_id:
        return store.get(db, Person, keep_id)
    with db.atomic():
        keep, drop = store.get(db, Person, keep_id), store.get(db, Person, drop_id)
        filled = {f.name: getattr(drop, f.name) for f in dataclasses.fields(Person)
                  if f.metadata.get("type") not in (None, "system")
                  and not getattr(keep, f.name) and getattr(drop, f.name)}
        keep = store.update(db, dataclasses.replace(keep, **filled)) if filled else keep
        stamp = now()
        for table in (Attendance.table, Certificate.table):
            # Where both have a live row for one activity, keep's wins and drop's is binned.
            db.execute(f"UPDATE {table} SET deleted_at = ?, updated_at = ? "
                       f"WHERE person_id = ? AND deleted_at IS NULL AND activity_id IN "
                       f"(SELECT activity_id FROM {table} WHERE person_id = ? "
                       f"AND deleted_at IS NULL)", (stamp, stamp, drop_id, keep_id))
            # Where keep's row was removed but drop's is live, drop's row is the truth: the
            # removed one goes, so drop's can move over (one row per person and activity).
            db.execute(f"DELETE FROM {table} WHERE person_id = ? AND deleted_at IS NOT NULL "
                       f"AND activity_id IN (SELECT activity_id FROM {table} "
                       f"WHERE person_id = ? AND deleted_at IS NULL)", (keep_id, drop_id))
            db.execute(f"UPDATE OR IGNORE {table} SET person_id = ?, updated_at = ? "
                       f"WHERE person_id = ? AND deleted_at IS NULL",
                       (keep_id, stamp, drop_id))
        store.delete(db, Person, drop_id)
    return keep
