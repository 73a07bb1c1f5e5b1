"""The dashboard's figures: this month's work, drafts, what is coming, what changed,
the plan items due in the next two weeks and this month's coverage by tone.

:func:`summary` answers every question the dashboard asks in a handful of indexed
queries and returns plain dataclasses; the page only shows them. Whether to greet a
brand-new, empty database is :func:`models.unit_mode.is_fresh`'s (the launcher asks it
without loading the figures' modules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models import activities, coverage, recommendations, records, store, vocab
from models.db import Database
from models.unit_mode import is_centre

UPCOMING_LIMIT = 10
RECENT_LIMIT = 10
#: Plan items due from today to this many days ahead (today included) are listed.
PLAN_DUE_DAYS = 14
PLAN_DUE_LIMIT = 6
#: How much of the file :func:`summary_of_file`'s connection reads through a memory map.
AHEAD_MMAP_BYTES = 1 << 30
#: How many SQLite steps pass between two looks at :func:`summary_of_file`'s ``stop``
#: (each takes Python's lock: a few milliseconds of work apart).
STOP_CHECK_STEPS = 1_000_000

# What "recent changes" covers: (type key, table, the column that names a row, the
# column that links it to an activity or None). Type keys are those of vocab.RECORD_TYPES.
_RECENT_SOURCES = (
    ("activity", "activities", "title", "id"),
    ("person", "persons", "full_name", None),
    ("recommendation", "recommendations", "text", "activity_id"),
    ("coverage", "coverage_items", "title", "activity_id"),
)


@dataclass(frozen=True)
class KindCount:
    """How many activities of one kind started this month."""

    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class DirectorateCount:
    """At a ministry centre: how many activities of one unit started this month."""

    unit_id: str
    label: str
    count: int


@dataclass(frozen=True)
class UpcomingActivity:
    """An activity that starts after today."""

    id: str
    kind: str
    title: str
    start_date: str
    end_date: str | None
    place: str


@dataclass(frozen=True)
class DuePlanItem:
    """A plan item still waited for (planned or postponed) whose date falls within
    :data:`PLAN_DUE_DAYS` days of today."""

    id: str
    plan_id: str
    title: str
    date: str
    owner: str
    status: str

    @property
    def status_label(self) -> str:
        """The item's status in Arabic (مخطط، مؤجل)."""
        return vocab.PLAN_ITEM_STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class RecentChange:
    """A record changed lately: its type, what it is called, and its activity's date."""

    type: str
    id: str
    title: str
    updated_at: str
    activity_id: str | None
    activity_date: str | None

    @property
    def type_label(self) -> str:
        """The record type in Arabic (نشاط، مشارك …)."""
        return vocab.RECORD_TYPES.get(self.type, self.type)


@dataclass(frozen=True)
class RecordCounts:
    """How many activities and persons the file holds (not counting the recycle bin)."""

    activities: int
    persons: int


@dataclass(frozen=True)
class DashboardSummary:
    """Everything the dashboard shows, for the month that holds ``today``."""

    today: str
    month_start: str
    month_end: str
    by_kind: list[KindCount] = field(default_factory=list)
    month_total: int = 0
    month_persons: int = 0
    month_attendance: int = 0
    drafts: int = 0
    upcoming: list[UpcomingActivity] = field(default_factory=list)
    recent: list[RecentChange] = field(default_factory=list)
    #: Recommendations past their due date and neither done nor impossible, on ``today``.
    overdue_recommendations: int = 0
    #: Open plan items due from ``today`` to ``plan_due_until`` (at most
    #: :data:`PLAN_DUE_LIMIT`, soonest first) and how many there are in all.
    plan_due: list[DuePlanItem] = field(default_factory=list)
    plan_due_total: int = 0
    plan_due_until: str = ""
    #: This month's coverage items by tone (every tone, in vocabulary order, zeros too).
    coverage_by_tone: dict[str, int] = field(default_factory=dict)
    #: Activities waiting for approval (drafts, and sent ones edited since) and approved
    #: but not sent yet (models.activities.APPROVAL_FILTERS).
    awaiting_approval: int = 0
    approved_unsent: int = 0
    #: At a ministry centre: this month's activities of each unit whose activities it holds
    #: (by directorate, zeros too); empty at a unit.
    by_directorate: list[DirectorateCount] = field(default_factory=list)
    #: Whether the unit has any activity at all (not counting the recycle bin): a new unit's
    #: dashboard shows where to begin instead.
    has_activities: bool = True


def month_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month that holds ``today``."""
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _by_kind(db: Database, first: str, last: str) -> list[KindCount]:
    counts = dict(db.execute(
        # The covering list index answers this alone (the planner would pick the narrower
        # kind index and read every row's deleted_at from the table: 10× slower).
        "SELECT kind, count(*) FROM activities INDEXED BY activities_list_kind "
        "WHERE deleted_at IS NULL AND start_date BETWEEN ? AND ? GROUP BY kind",
        (first, last)).fetchall())
    # Vocabulary order, so the figures stay in the same place month after month;
    # a kind no longer in the vocabulary still counts, at the end.
    kinds = list(vocab.ACTIVITY_KINDS) + sorted(set(counts) - set(vocab.ACTIVITY_KINDS))
    return [KindCount(k, vocab.ACTIVITY_KINDS.get(k, k), counts[k]) for k in kinds
            if counts.get(k)]


def _attendance(db: Database, first: str, last: str) -> tuple[int, int]:
    # Through the activities of the month (index on start_date), then each one's list
    # (the unique (activity_id, person_id) index): never a scan of all attendance. Rows
    # count as the activity lists count them (models.activities): a person in the recycle
    # bin still attended; looking each one up would cost a read per row.
    persons = db.scalar(
        "SELECT count(DISTINCT t.person_id) FROM activities a "
        "JOIN attendance t ON t.activity_id = a.id "
        "WHERE a.start_date BETWEEN ? AND ? AND a.deleted_at IS NULL "
        "AND t.deleted_at IS NULL", (first, last))
    # Each activity keeps its list's size (schema v4): no need to count the rows again.
    rows = db.scalar("SELECT coalesce(sum(attendees), 0) FROM activities "
                     "WHERE deleted_at IS NULL AND start_date BETWEEN ? AND ?", (first, last))
    return persons, rows


def _upcoming(db: Database, today: str) -> list[UpcomingActivity]:
    rows = db.execute(
        "SELECT id, kind, title, start_date, end_date, place FROM activities "
        "WHERE start_date > ? AND deleted_at IS NULL ORDER BY start_date, title LIMIT ?",
        (today, UPCOMING_LIMIT)).fetchall()
    return [UpcomingActivity(*row) for row in rows]


def _plan_due(db: Database, today: str, until: str) -> tuple[list[DuePlanItem], int]:
    # An item of a plan in the recycle bin is gone with it; a done or cancelled item is
    # no longer waited for.
    where = ("FROM plan_items i JOIN plans p ON p.id = i.plan_id AND p.deleted_at IS NULL "
             "WHERE i.deleted_at IS NULL AND i.status IN ('planned', 'postponed') "
             "AND i.date BETWEEN ? AND ?")
    total = db.scalar(f"SELECT count(*) {where}", (today, until))
    rows = db.execute(
        f"SELECT i.id, i.plan_id, i.title, i.date, i.owner, i.status {where} "
        "ORDER BY i.date, i.created_at, i.rowid LIMIT ?",
        (today, until, PLAN_DUE_LIMIT)).fetchall()
    return [DuePlanItem(*row) for row in rows], total


def _recent(db: Database) -> list[RecentChange]:
    parts = []
    for type_key, table, title, link in _RECENT_SOURCES:
        linked = f"x.{link}" if link else "NULL"
        # A recommendation goes to the recycle bin with its activity.
        # (NOT EXISTS looks each candidate's activity up by key; the scan stops at ten.)
        hidden = ("AND NOT EXISTS (SELECT 1 FROM activities p WHERE p.id = x.activity_id "
                  "AND p.deleted_at IS NOT NULL) " if type_key == "recommendation" else "")
        parts.append(
            f"SELECT * FROM (SELECT '{type_key}' AS type, x.id, x.{title} AS title, "
            f"x.updated_at, {linked} AS activity_id FROM {table} x "
            f"WHERE x.deleted_at IS NULL {hidden}"
            f"ORDER BY x.updated_at DESC LIMIT {RECENT_LIMIT})")
    rows = db.execute(
        "SELECT r.type, r.id, r.title, r.updated_at, r.activity_id, a.start_date "
        f"FROM ({' UNION ALL '.join(parts)}) r "
        "LEFT JOIN activities a ON a.id = r.activity_id AND a.deleted_at IS NULL "
        "ORDER BY r.updated_at DESC LIMIT ?", (RECENT_LIMIT,)).fetchall()
    return [RecentChange(type_, id_, title, updated, activity_id if date else None, date)
            for type_, id_, title, updated, activity_id, date in rows]


def _by_directorate(db: Database, first: str, last: str) -> list[DirectorateCount]:
    if not is_centre(db):
        return []
    counts = dict(db.execute(
        "SELECT unit_id, count(*) FROM activities WHERE deleted_at IS NULL "
        "AND start_date >= ? AND start_date <= ? GROUP BY unit_id", (first, last)).fetchall())
    return [DirectorateCount(u.id, u.label, counts.get(u.id, 0))
            for u in activities.activity_units(db)]


def summary(db: Database, today: dt.date) -> DashboardSummary:
    """The dashboard's figures as of ``today`` (recycle-bin records never count)."""
    first, last = (d.isoformat() for d in month_bounds(today))
    by_kind = _by_kind(db, first, last)
    persons, attendance = _attendance(db, first, last)
    drafts = db.scalar("SELECT count(*) FROM activities WHERE status = 'draft' "
                       "AND deleted_at IS NULL")
    until = (today + dt.timedelta(days=PLAN_DUE_DAYS - 1)).isoformat()
    plan_due, plan_due_total = _plan_due(db, today.isoformat(), until)
    tones = coverage.counts(db, coverage.CoverageFilter(date_from=first, date_to=last))
    awaiting = activities.count_awaiting_approval(db)
    unsent = activities.count_activities(db, activities.ActivityFilter(approval="unsent"))
    return DashboardSummary(
        today=today.isoformat(), month_start=first, month_end=last, by_kind=by_kind,
        month_total=sum(k.count for k in by_kind), month_persons=persons,
        month_attendance=attendance, drafts=drafts, upcoming=_upcoming(db, today.isoformat()),
        recent=_recent(db),
        overdue_recommendations=recommendations.count_overdue(db, today),
        plan_due=plan_due, plan_due_total=plan_due_total, plan_due_until=until,
        coverage_by_tone=tones.by_tone,
        awaiting_approval=awaiting, approved_unsent=unsent,
        by_directorate=_by_directorate(db, first, last),
        has_activities=bool(db.scalar(
            "SELECT 1 FROM activities WHERE deleted_at IS NULL LIMIT 1")))


def summary_of_file(path: Path, today: dt.date,
                    stop: Callable[[], bool] | None = None) -> DashboardSummary:
    """:func:`summary` over a connection of its own to ``path``, closed at once; once
    ``stop()`` is true, the query under way is interrupted (``sqlite3.OperationalError``).

    The app runs it on a thread of its own from its first milliseconds
    (:func:`ui.launch.figures_ahead`), so that its first page's figures are computed
    while Qt loads and the window is built: SQLite works outside Python's lock."""
    db = Database.open(path, migrate=False)
    try:
        # Read through a memory map: the month's lists are read 2.5× faster so.
        db.execute(f"PRAGMA mmap_size = {AHEAD_MMAP_BYTES}")
        if stop is not None:
            db.conn.set_progress_handler(stop, STOP_CHECK_STEPS)
        return summary(db, today)
    finally:
        # The figures are wanted now: statistics are the window's connection's business.
        db.close(optimize=False)


def record_counts(db: Database) -> RecordCounts:
    """The status bar's counts (a scan of each table: call it off the UI thread)."""
    return RecordCounts(store.count(db, records.Activity), store.count(db, records.Person))
