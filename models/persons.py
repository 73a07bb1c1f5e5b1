"""Persons: finding them (completion, duplicates), their history, merging two into one."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from models import approval, search, store
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


#: A name of this many parts or more is a full enough name that the same name with more
#: parts after it (the four-part name of which it is the three-part one) may be its person.
MIN_NAME_PARTS = 3


def entity_key(entity: str) -> str:
    """An entity folded for comparison (spelling variants and spacing)."""
    return name_key(entity)


def first_parts_key(key: str) -> str:
    """The first :data:`MIN_NAME_PARTS` parts of a name key ("" when it has fewer)."""
    parts = key.split(" ")
    return " ".join(parts[:MIN_NAME_PARTS]) if len(parts) >= MIN_NAME_PARTS and key else ""


def is_longer_or_shorter(key: str, other: str) -> bool:
    """One name key is the other with more parts after it, both of at least
    :data:`MIN_NAME_PARTS` parts (``علي حسين كاظم`` and ``علي حسين كاظم الموسوي``)."""
    if key == other or not first_parts_key(key) or not first_parts_key(other):
        return False
    shorter, longer = sorted((key, other), key=len)
    return longer.startswith(shorter + " ")


def related_names(db: Database, first_keys: set[str]) -> dict[str, list[Person]]:
    """Live persons whose name begins with each of these three-part keys, by that key,
    oldest first (an index range on the name key, no scan)."""
    found: dict[str, list[Person]] = {}
    for key in sorted(first_keys - {""}):
        found[key] = store.find(db, Person, "(name_key = ? OR (name_key >= ? AND name_key < ?))",
                                [key, key + " ", key + "!"], order_by="created_at")
    return found


def same_contact(person: Person, phone_digits: str, entity: str) -> str:
    """Why ``person`` may be the one with this phone key and entity key: ``"phone"``,
    ``"entity"``, or "" when neither is known on both sides and the same."""
    if phone_digits and person.phone and phone_key(person.phone) == phone_digits:
        return "phone"
    if entity and person.entity and entity_key(person.entity) == entity:
        return "entity"
    return ""


def matches(db: Database, full_name: str, phone: str = "", entity: str = "") -> list[Person]:
    """Existing persons who are probably this one: the same folded name (compound names
    joined or apart alike), the same phone, or the name with more or fewer parts after its
    first three (a three-part name and its four-part one) with the same phone or entity.
    Oldest first."""
    key, phone_digits = name_key(full_name), phone_key(phone)
    where, params = "name_key = ?", [key]
    if phone_digits:
        where += " OR phone_key = ?"
        params.append(phone_digits)
    found = {p.id: p for p in store.find(db, Person, where, params, order_by="created_at")}
    first = first_parts_key(key)
    entity_folded = entity_key(entity)
    for person in related_names(db, {first}).get(first, []):
        if (person.id not in found and is_longer_or_shorter(key, name_key(person.full_name))
                and same_contact(person, phone_digits, entity_folded)):
            found[person.id] = person
    return sorted(found.values(), key=lambda p: p.created_at)


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


@dataclass(frozen=True)
class LockedActivity:
    """An approved or sent activity whose attendance a merge would change."""

    id: str
    title: str
    status: str
    #: Whether a screen asks first (a recorded approval or sending, as
    #: :attr:`models.approval.ApprovalState.asks_before_edit`).
    asks: bool


def locked_by_merge(db: Database, drop_id: str) -> list[LockedActivity]:
    """The approved or sent activities whose attendance merging ``drop_id`` away changes
    (every activity ``drop`` attends: its row moves to the kept person or is binned), so
    a screen can ask first; by date, then title."""
    rows = db.execute(
        "SELECT DISTINCT a.id, a.title, a.status, "
        f"(a.approved_at IS NOT NULL OR a.sent_at IS NOT NULL) FROM {Attendance.table} t "
        "JOIN activities a ON a.id = t.activity_id "
        "WHERE t.person_id = ? AND t.deleted_at IS NULL AND a.deleted_at IS NULL "
        "AND a.status IN ('approved', 'sent') ORDER BY a.start_date, a.title",
        (drop_id,)).fetchall()
    return [LockedActivity(i, title, status, bool(asks)) for i, title, status, asks in rows]


def merge(db: Database, keep_id: str, drop_id: str) -> Person:
    """Make two records of one person one: ``drop``'s attendance and certificates move to
    ``keep``, empty fields of ``keep`` are filled from ``drop``, and ``drop`` goes to the
    recycle bin (so the merge can be looked at, and its tombstone travels to the ministry).

    Moving attendance edits the activities ``drop`` attended: each approved or sent one
    (:func:`locked_by_merge`) becomes a new revision, a draft to approve again
    (:func:`models.approval.touched`, in the merge's transaction). A screen asks first;
    :func:`merge_revising` also returns those activities, for the command line to list.
    """
    return merge_revising(db, keep_id, drop_id)[0]


def merge_revising(db: Database, keep_id: str, drop_id: str
                   ) -> tuple[Person, list[LockedActivity]]:
    """:func:`merge`, returning also the approved or sent activities it made drafts."""
    if keep_id == drop_id:
        return store.get(db, Person, keep_id), []
    with db.atomic():
        revised = locked_by_merge(db, drop_id)
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
        for activity in revised:
            approval.touched(db, "activity", activity.id)
        store.delete(db, Person, drop_id)
    return keep, revised
