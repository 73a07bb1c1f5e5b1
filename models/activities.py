"""Queries over activities: filtered, sorted, paged lists with their attendee counts.

A page is read in two steps: first the rowids of the page, in order (a query that touches
only the filter and sort columns, so an index can answer it), then the page's rows. Each
activity's attendee count is kept in ``activities.attendees`` by triggers (schema
version 4), so sorting by the number of participants is an index scan too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from models.approval import approval_label
from models.db import Database
from models.schema import CHANGED_SINCE_SENT
from models.unit_mode import unit_choices, unit_condition

SORTABLE = ("start_date", "end_date", "title", "kind", "place", "status", "attendees",
            "participants", "updated_at", "rank")

# What a list shows as "participants": the attendance list's size, or the typed count
# when the activity has no list (ActivityRow.participants says the same in Python).
_PARTICIPANTS = ("(CASE WHEN {n} > 0 THEN {n} ELSE coalesce(a.participants_count, 0) END)")

# Each sort key, with the columns after it that break ties in the order an index holds
# them (kind and status groups are ordered by date, as a user expects).
_SORT_KEYS: dict[str, tuple[str, ...]] = {
    "start_date": ("a.start_date",),
    "end_date": ("coalesce(a.end_date, a.start_date)",),
    "title": ("a.title",),
    "kind": ("a.kind", "a.start_date"),
    "place": ("a.place",),
    "status": ("a.status", "a.start_date"),
    "updated_at": ("a.updated_at",),
}

# What each approval filter keeps (schema v12's columns; models.approval's rule: an edited
# approved or sent record goes back to draft).
_CHANGED = "(a.sent_at IS NOT NULL AND a.row_version > coalesce(a.sent_version, 0))"
APPROVAL_FILTERS: dict[str, str] = {
    "pending": f"(a.status = 'draft' OR (a.status = 'sent' AND {_CHANGED}))",
    "unsent": "a.status = 'approved'",
}


@dataclass(frozen=True)
class ActivityFilter:
    """Which activities a list shows. Dates are ISO; the range applies to the start.

    ``ids`` keeps only those activities (a search's hits, best first: sorting by "rank"
    keeps that order).
    """

    date_from: str | None = None
    date_to: str | None = None
    kind: str | None = None
    status: str | None = None
    ids: tuple[str, ...] | None = None
    deleted: bool = False
    #: One of :data:`APPROVAL_FILTERS`: "pending" (waiting for approval: drafts, and
    #: sent records edited since) or "unsent" (approved, not sent yet).
    approval: str | None = None
    #: At a ministry centre: only the activities that came from this unit (or any of
    #: these units: ``list --unit`` may name several).
    unit_id: str | tuple[str, ...] | None = None


@dataclass(frozen=True)
class ActivityRow:
    """One line of an activity list."""

    id: str
    kind: str
    title: str
    start_date: str
    end_date: str | None
    place: str
    status: str
    attendees: int
    participants_count: int | None
    updated_at: str
    approved_by: str = ""
    approved_at: str | None = None
    sent_at: str | None = None
    changed_since_sent: bool = False
    #: The unit the activity came from (at a centre, one of many).
    unit_id: str = ""

    @property
    def approval_label(self) -> str:
        """The approval state a list shows (مسودة، معتمد، مرسل، عُدّل بعد الإرسال)."""
        return approval_label(self.status, self.changed_since_sent)

    @property
    def participants(self) -> int:
        """Persons on the list, or the typed count when the activity has no list."""
        return self.attendees or (self.participants_count or 0)


def _where(where: ActivityFilter) -> tuple[str, list[Any]]:
    clauses = ["a.deleted_at IS NOT NULL" if where.deleted else "a.deleted_at IS NULL"]
    if where.ids is not None:
        # A search's few hundred ids are found by id; the "+" keeps the planner from
        # walking a deleted_at index instead (it takes "IS NULL" for a rare value).
        clauses[0] = "+" + clauses[0]
    params: list[Any] = []
    for clause, value in (("a.start_date >= ?", where.date_from),
                          ("a.start_date <= ?", where.date_to),
                          ("a.kind = ?", where.kind),
                          ("a.status = ?", where.status)):
        if value:
            clauses.append(clause)
            params.append(value)
    unit, unit_params = unit_condition("a.unit_id", where.unit_id)
    if unit:
        clauses.append(unit)
        params += unit_params
    if where.approval:
        clauses.append(APPROVAL_FILTERS[where.approval])
    if where.ids is not None:
        # One JSON parameter, however many hits: no limit on bound variables to meet.
        clauses.append("a.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(where.ids)))
    return " AND ".join(clauses), params


def _page_rowids(db: Database, where: ActivityFilter, order_by: str, descending: bool,
                 limit: int | None, offset: int) -> list[int]:
    clause, params = _where(where)
    direction = "DESC" if descending else "ASC"
    paging = ""
    if limit is not None:
        paging = " LIMIT ? OFFSET ?"
    if order_by == "rank":
        # CROSS JOIN: the hits drive the join (SQLite keeps that order), not the table.
        sql = (f"SELECT a.rowid FROM json_each(?) r CROSS JOIN activities a ON a.id = r.value "
               f"WHERE {clause} ORDER BY r.key {direction}{paging}")
        params = [json.dumps(list(where.ids or ())), *params]
    else:
        if order_by in ("attendees", "participants"):
            count = "a.attendees"
            keys: tuple[str, ...] = ((count,) if order_by == "attendees"
                                     else (_PARTICIPANTS.format(n=count),))
        else:
            keys = _SORT_KEYS[order_by]
        # rowid last: every index holds it, so no extra sort is needed to break ties.
        order = ", ".join(f"{key} {direction}" for key in (*keys, "a.rowid"))
        sql = f"SELECT a.rowid FROM activities a WHERE {clause} ORDER BY {order}{paging}"
    if limit is not None:
        params = [*params, limit, offset]
    return [row[0] for row in db.execute(sql, params)]


def list_activities(db: Database, where: ActivityFilter = ActivityFilter(), *,
                    order_by: str = "start_date", descending: bool = True,
                    limit: int | None = None, offset: int = 0) -> list[ActivityRow]:
    """Activities matching ``where``, sorted, optionally one page of them.

    ``order_by`` is one of :data:`SORTABLE`; "participants" sorts by what
    :attr:`ActivityRow.participants` shows, "rank" by the order of ``where.ids`` (without
    ids it falls back to the start date).
    """
    if order_by not in SORTABLE:
        raise ValueError(f"cannot sort by {order_by!r}")
    if order_by == "rank" and where.ids is None:
        order_by = "start_date"
    rowids = _page_rowids(db, where, order_by, descending, limit, offset)
    if not rowids:
        return []
    rows = db.execute(
        "SELECT a.rowid, a.id, a.kind, a.title, a.start_date, a.end_date, a.place, a.status, "
        "a.attendees, a.participants_count, a.updated_at, a.approved_by, a.approved_at, "
        f"a.sent_at, {_CHANGED}, a.unit_id FROM activities a "
        "WHERE a.rowid IN (SELECT value FROM json_each(?))", (json.dumps(rowids),))
    by_rowid = {row[0]: ActivityRow(*row[1:-2], bool(row[-2]), row[-1]) for row in rows}
    return [by_rowid[rowid] for rowid in rowids if rowid in by_rowid]


def count_activities(db: Database, where: ActivityFilter = ActivityFilter()) -> int:
    """How many activities match ``where``."""
    clause, params = _where(where)
    return db.scalar(f"SELECT count(*) FROM activities a WHERE {clause}", params)


def count_awaiting_approval(db: Database) -> int:
    """How many activities wait for approval (``ActivityFilter(approval="pending")``),
    counted from two indexes: the drafts, and the sent ones edited since (schema v13's
    index on that condition). The filter's own query reads every sent activity."""
    return db.scalar(
        "SELECT (SELECT count(*) FROM activities INDEXED BY activities_list_status "
        "WHERE deleted_at IS NULL AND status = 'draft') + "
        "(SELECT count(*) FROM activities INDEXED BY activities_changed_since_sent "
        f"WHERE deleted_at IS NULL AND ({CHANGED_SINCE_SENT}) = 1)")


@dataclass(frozen=True)
class UnitChoice:
    """A unit whose activities a centre holds, as a filter offers it."""

    id: str
    label: str
    activities: int


def activity_units(db: Database) -> list[UnitChoice]:
    """The units whose (live) activities this database holds, by directorate then name,
    labelled as every list labels them (:func:`models.unit_mode.unit_choices`)."""
    return [UnitChoice(u.id, u.label, u.records) for u in unit_choices(db, "activities")]
