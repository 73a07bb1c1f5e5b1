"""The persons list: every person, sorted and paged, with how many activities they attended.

Read like the activities list (:mod:`models.activities`): the page's rowids first, from
the sort column alone, then the page's rows with their activity counts, so the costly
count is made for one page only unless the list is sorted by it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from models.db import Database

SORTABLE = ("full_name", "gender", "job_title", "entity", "phone", "activities", "rank")

# Activities attended: live attendance rows on activities that are not in the bin.
_ACTIVITIES = ("(SELECT count(*) FROM attendance t JOIN activities a ON a.id = t.activity_id "
               "WHERE t.person_id = p.id AND t.deleted_at IS NULL AND a.deleted_at IS NULL)")

_SORT_KEYS = {
    "full_name": "p.full_name",
    "gender": "p.gender",
    "job_title": "p.job_title",
    "entity": "p.entity",
    "phone": "p.phone",
    "activities": _ACTIVITIES,
}


@dataclass(frozen=True)
class PersonFilter:
    """Which persons a list shows: all, a search's hits (``ids``, best first), or those who
    attended an activity starting between ``date_from`` and ``date_to`` (ISO, inclusive)."""

    ids: tuple[str, ...] | None = None
    date_from: str | None = None
    date_to: str | None = None
    deleted: bool = False


@dataclass(frozen=True)
class PersonRow:
    """One line of the persons list."""

    id: str
    full_name: str
    gender: str
    gender_guessed: bool
    job_title: str
    entity: str
    phone: str
    activities: int


def _where(where: PersonFilter) -> tuple[str, list[Any]]:
    clause = "p.deleted_at IS NOT NULL" if where.deleted else "p.deleted_at IS NULL"
    params: list[Any] = []
    if where.ids is not None:
        # Found by id; "+" keeps the planner off any deleted_at index (see activities).
        clause = "+" + clause + " AND p.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(where.ids)))
    if where.date_from or where.date_to:
        # From the period's activities to their attendees: a month is a few hundred
        # activities, far fewer rows than every person's attendance.
        clause += (" AND p.id IN (SELECT t.person_id FROM activities a JOIN attendance t "
                   "ON t.activity_id = a.id WHERE a.deleted_at IS NULL AND t.deleted_at IS NULL")
        for condition, value in (("a.start_date >= ?", where.date_from),
                                 ("a.start_date <= ?", where.date_to)):
            if value:
                clause += f" AND {condition}"
                params.append(value)
        clause += ")"
    return clause, params


def list_persons(db: Database, where: PersonFilter = PersonFilter(), *,
                 order_by: str = "full_name", descending: bool = False,
                 limit: int | None = None, offset: int = 0) -> list[PersonRow]:
    """Persons matching ``where``, sorted (see :data:`SORTABLE`; "rank" keeps the order of
    ``where.ids``), optionally one page of them."""
    if order_by not in SORTABLE:
        raise ValueError(f"cannot sort by {order_by!r}")
    if order_by == "rank" and where.ids is None:
        order_by = "full_name"
    clause, params = _where(where)
    direction = "DESC" if descending else "ASC"
    if order_by == "rank":
        sql = (f"SELECT p.rowid FROM json_each(?) r CROSS JOIN persons p ON p.id = r.value "
               f"WHERE {clause} ORDER BY r.key {direction}")
        params = [json.dumps(list(where.ids or ())), *params]
    else:
        sql = (f"SELECT p.rowid FROM persons p WHERE {clause} "
               f"ORDER BY {_SORT_KEYS[order_by]} {direction}, p.rowid {direction}")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    rowids = [row[0] for row in db.execute(sql, params)]
    if not rowids:
        return []
    rows = db.execute(
        f"SELECT p.rowid, p.id, p.full_name, p.gender, p.gender_guessed, p.job_title, p.entity, "
        f"p.phone, {_ACTIVITIES} FROM persons p WHERE p.rowid IN (SELECT value FROM json_each(?))",
        (json.dumps(rowids),))
    by_rowid = {row[0]: PersonRow(row[1], row[2], row[3], bool(row[4]), *row[5:])
                for row in rows}
    return [by_rowid[rowid] for rowid in rowids if rowid in by_rowid]


def count_persons(db: Database, where: PersonFilter = PersonFilter()) -> int:
    """How many persons match ``where``."""
    clause, params = _where(where)
    return db.scalar(f"SELECT count(*) FROM persons p WHERE {clause}", params)
