"""Following up the recommendations activities raise: who they went to, when they are due,
how far they have gone, and the dated notes of what came of them.

A recommendation is *overdue* on a given day when its due date has passed and it is
neither done (منفذة) nor found impossible (متعذرة); the day is always passed in, so a
list, a report and a test agree on what "today" is. Recommendations whose activity is in
the recycle bin are left out, as everywhere else.

:func:`add_note` writes a follow-up note and, optionally, the recommendation's new status
in one transaction. The last note of a recommendation with none is the free text it had
before notes existed (``follow_up``; see schema v10).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from models import search, store, vocab
from models.arabic import search_key
from models.db import Database
from models.errors import IttisalError, NotFoundError
from models.records import Recommendation, RecommendationNote
from models.unit_mode import unit_condition

# Statuses past which a recommendation is no longer waited for.
CLOSED = ("done", "rejected")
#: The word that marks an overdue recommendation wherever it is shown.
OVERDUE_WORD = "متأخرة"

_MSG = {
    "bad_status": ("حالة التوصية «{value}» غير معروفة؛ الحالات: {options}.",
                   "{value!r} is not a recommendation status; use one of: {options}."),
    "not_found": ("لا توجد توصية بالمعرّف «{id}».", "No recommendation has the id {id!r}."),
    "reversed": ("بداية المدة ({start}) بعد نهايتها ({end}).",
                 "The range starts ({start}) after it ends ({end})."),
}


class RecommendationQueryError(IttisalError):
    """A filter of the recommendations list that cannot be applied."""


def _error(key: str, **values: object) -> RecommendationQueryError:
    arabic, english = _MSG[key]
    return RecommendationQueryError(arabic.format(**values), english.format(**values))


@dataclass(frozen=True)
class RecommendationFilter:
    """Which recommendations a list shows. ``date_from``/``date_to`` (ISO) bound the date
    of the activity the recommendation came from; ``overdue`` keeps only those overdue on
    the day the list is asked for; ``addressed_to`` matches part of the addressee, spelling
    variants folded (أ/إ/ا, ة/ه, ى/ي: :func:`models.arabic.search_key`);
    ``activity_statuses`` keeps only recommendations of activities with one of these
    statuses (a report without drafts)."""

    status: str | None = None
    overdue: bool = False
    addressed_to: str | None = None
    activity_id: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    activity_statuses: tuple[str, ...] | None = None
    #: At a ministry centre: only the recommendations that came from this unit (or any
    #: of these units).
    unit_id: str | tuple[str, ...] | None = None


@dataclass(frozen=True)
class NoteRow:
    """One follow-up note as the history shows it."""

    id: str
    date: str
    note: str
    status: str

    @property
    def status_label(self) -> str:
        """The status given with the note, in Arabic ('' when unchanged)."""
        return vocab.RECOMMENDATION_STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class RecommendationRow:
    """A recommendation with the activity it came from and where its follow-up stands."""

    id: str
    text: str
    activity_id: str | None
    activity_title: str
    activity_date: str | None
    addressed_to: str
    due_date: str | None
    status: str
    overdue: bool
    last_note: str
    last_note_date: str | None
    notes: list[NoteRow] = field(default_factory=list)
    #: The unit the recommendation came from (at a centre, one of many).
    unit_id: str = ""

    @property
    def status_label(self) -> str:
        """The status in Arabic."""
        return vocab.RECOMMENDATION_STATUSES.get(self.status, self.status)

    def as_json(self) -> dict[str, object]:
        """The command line's JSON object for this recommendation."""
        return {"id": self.id, "text": self.text, "activity_id": self.activity_id,
                "addressed_to": self.addressed_to, "due_date": self.due_date,
                "status": self.status, "overdue": self.overdue}


def is_overdue(due_date: str | None, status: str, today: dt.date) -> bool:
    """Whether a recommendation due on ``due_date`` with this status is overdue on
    ``today``: the day it was due has passed and it is neither done nor impossible."""
    return bool(due_date) and status not in CLOSED and due_date < today.isoformat()


def check_status(status: str | None) -> str | None:
    """The status key, or None for any; an unknown key raises."""
    if status is None or status == "":
        return None
    if status not in vocab.RECOMMENDATION_STATUSES:
        raise _error("bad_status", value=status,
                     options="، ".join(vocab.RECOMMENDATION_STATUSES))
    return status


def _notes(db: Database, ids: list[str]) -> dict[str, list[NoteRow]]:
    found: dict[str, list[NoteRow]] = {i: [] for i in ids}
    # In chunks: SQLite bounds the number of parameters of one statement.
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for rid, nid, date, note, status in db.execute(
                "SELECT recommendation_id, id, date, note, status FROM recommendation_notes "
                f"WHERE recommendation_id IN ({marks}) AND deleted_at IS NULL "
                "ORDER BY date, created_at, rowid", chunk):
            found[rid].append(NoteRow(nid, date, note, status))
    return found


def list_recommendations(db: Database, where: RecommendationFilter | None = None, *,
                         today: dt.date) -> list[RecommendationRow]:
    """The recommendations matching ``where``, each with its activity, its notes (oldest
    first) and whether it is overdue on ``today``; ordered by due date (those without one
    last), then by activity date and position."""
    where = where or RecommendationFilter()
    status = check_status(where.status)
    if where.date_from and where.date_to and where.date_from > where.date_to:
        raise _error("reversed", start=where.date_from, end=where.date_to)
    conditions = ["r.deleted_at IS NULL", "(a.id IS NULL OR a.deleted_at IS NULL)"]
    params: list[object] = []
    if status:
        conditions.append("r.status = ?")
        params.append(status)
    if where.overdue:
        marks = ", ".join("?" * len(CLOSED))
        conditions.append(f"r.due_date IS NOT NULL AND r.due_date < ? "
                          f"AND r.status NOT IN ({marks})")
        params += [today.isoformat(), *CLOSED]
    if where.activity_statuses is not None:
        marks = ", ".join("?" * len(where.activity_statuses)) or "NULL"
        conditions.append(f"a.status IN ({marks})")
        params += list(where.activity_statuses)
    if where.activity_id:
        conditions.append("r.activity_id = ?")
        params.append(where.activity_id)
    unit, unit_params = unit_condition("r.unit_id", where.unit_id)
    if unit:
        conditions.append(unit)
        params += unit_params
    if where.date_from:
        conditions.append("a.start_date >= ?")
        params.append(where.date_from)
    if where.date_to:
        conditions.append("a.start_date <= ?")
        params.append(where.date_to)
    rows = db.execute(
        "SELECT r.id, r.text, r.activity_id, coalesce(a.title, ''), a.start_date, "
        "r.addressed_to, r.due_date, r.status, r.follow_up, r.unit_id FROM recommendations r "
        "LEFT JOIN activities a ON a.id = r.activity_id "
        f"WHERE {' AND '.join(conditions)} "
        "ORDER BY r.due_date IS NULL, r.due_date, a.start_date, r.position, r.rowid",
        params).fetchall()
    # Matched in Python, folded: SQLite's instr knows nothing of أ/ا, ة/ه or ى/ي, and a
    # unit types «وزارة الصحة» one day and «وزاره الصحه» the next.
    needle = search_key(where.addressed_to or "")
    if needle:
        rows = [row for row in rows if needle in search_key(row[5])]
    notes = _notes(db, [row[0] for row in rows])
    out = []
    for (rid, text, activity_id, title, start, addressed_to, due, status_, follow_up,
         unit_id) in rows:
        history = notes[rid]
        last = history[-1] if history else None
        out.append(RecommendationRow(
            id=rid, text=text, activity_id=activity_id, activity_title=title,
            activity_date=start, addressed_to=addressed_to, due_date=due, status=status_,
            overdue=is_overdue(due, status_, today),
            last_note=last.note if last else follow_up.strip(),
            last_note_date=last.date if last else None, notes=history, unit_id=unit_id))
    return out


def get(db: Database, recommendation_id: str, *, today: dt.date) -> RecommendationRow:
    """One recommendation as the list shows it (NotFoundError for an unknown id, or one
    whose activity is in the recycle bin)."""
    rec = store.get(db, Recommendation, recommendation_id)
    rows = [r for r in list_recommendations(
        db, RecommendationFilter(activity_id=rec.activity_id), today=today)
        if r.id == recommendation_id]
    if not rows:
        arabic, english = _MSG["not_found"]
        raise NotFoundError(arabic.format(id=recommendation_id),
                            english.format(id=recommendation_id))
    return rows[0]


def overdue(db: Database, today: dt.date, limit: int | None = None
            ) -> list[RecommendationRow]:
    """The recommendations overdue on ``today``, longest overdue first."""
    rows = list_recommendations(db, RecommendationFilter(overdue=True), today=today)
    return rows if limit is None else rows[:limit]


def count_overdue(db: Database, today: dt.date) -> int:
    """How many recommendations are overdue on ``today``."""
    marks = ", ".join(f"?{n}" for n in range(2, len(CLOSED) + 2))  # twice: numbered
    open_ = f"r.deleted_at IS NULL AND r.due_date < ?1 AND r.status NOT IN ({marks})"
    # Every open overdue one (the covering index alone), less those whose activity is in
    # the recycle bin (found from the few such activities): a join that looked up the
    # activity of each recommendation cost 0.2 s at 100,000 activities, on the dashboard.
    return db.scalar(
        f"SELECT (SELECT count(*) FROM recommendations r WHERE {open_}) - "
        "(SELECT count(*) FROM activities a INDEXED BY activities_list_start "
        "CROSS JOIN recommendations r ON r.activity_id = a.id "
        f"WHERE a.deleted_at IS NOT NULL AND {open_})",
        (today.isoformat(), *CLOSED))


def add_note(db: Database, recommendation_id: str, date: str | dt.date, note: str,
             status: str | None = None) -> RecommendationNote:
    """Add a dated follow-up note to a recommendation and, when ``status`` is given and
    differs, give the recommendation that status: both or neither. Returns the stored
    note (its ``status`` is the new status, '' when it stayed the same)."""
    status = check_status(status)
    with db.atomic():
        rec = store.get(db, Recommendation, recommendation_id)
        changed = status if status and status != rec.status else ""
        stored = store.insert(db, RecommendationNote(
            recommendation_id=rec.id, date=date if isinstance(date, str) else date.isoformat(),
            note=note, status=changed))
        if changed:
            store.update(db, dataclasses.replace(rec, status=changed))
    return stored


def delete_note(db: Database, note_id: str) -> None:
    """Take a follow-up note out of the history (the recommendation's status stays)."""
    with db.atomic():
        note = store.get(db, RecommendationNote, note_id)
        store.delete(db, RecommendationNote, note_id)
        # The recommendation's search entry holds its notes' words: drop this one's.
        search.reindex_recommendation(db.conn, note.recommendation_id)
