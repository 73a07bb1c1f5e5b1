"""The recycle bin (سلة المحذوفات): deleted activities and persons, kept 30 days.

Deleting moves a record to the bin (``store.delete`` stamps ``deleted_at``); from here it
is restored, or removed for good by hand or once it has been in the bin
:data:`KEEP_DAYS` days. Only top-level records are listed: an activity's attendance and
recommendations go and come back with it.

Removing for good must not break a reference. An activity takes its attendance and
recommendations with it (the schema cascades), and its certificates, the rows of its
attachments and any draft of its form (which the schema does not). A person is
different: their attendance rows belong to activities that stay. So a person still on
an attendance list, or holding a certificate, of any activity that has not been removed
for good (in the bin or not) is *in use* and stays in the bin; the rows that kept them
there go when those activities go (then the person can be removed at the next
emptying). Rows of theirs that were deleted on their own (taken off a list, binned by a
merge) are removed with them. An activity or plan sent to the ministry whose deletion
no data bundle has carried yet stays in the bin too (the ministry would otherwise keep
it): it can be removed once a bundle has gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from models import store
from models.db import Database
from models.errors import IttisalError
from models.records import Activity, CoverageItem, Person, Plan, PlanItem, UnitRecord

KEEP_DAYS = 30

# The bin's record types, by the names the search and the UI use.
TYPES: dict[str, type[UnitRecord]] = {"activity": Activity, "person": Person,
                                      "plan_item": PlanItem, "coverage": CoverageItem,
                                      "plan": Plan}
# The tables of the types whose title is their ``title`` column, with nothing that refers
# to them (a person's in-use check is apart).
_TITLED = (("activity", "activities"), ("plan_item", "plan_items"), ("coverage", "coverage_items"),
           ("plan", "plans"))

_MSG = {
    "in_use": ("لا يمكن حذف «{title}» نهائياً لأنه ما زال في قوائم حضور أنشطة أو يحمل شهادات "
               "مشاركة؛ يبقى في سلة المحذوفات حتى تُحذف تلك الأنشطة.",
               "{title!r} is still on attendance lists or holds certificates of activities "
               "that are kept; it stays in the recycle bin until they are removed."),
    "unsent": ("لا يمكن حذف «{title}» نهائياً قبل أن يصل حذفه إلى الوزارة: أُرسل إليها من قبل. "
               "أرسل حزمة بيانات أولاً، ثم احذفه.",
               "{title!r} was sent to the ministry and its deletion has not been sent yet; "
               "send a data bundle first, then remove it."),
    "not_binned": ("«{title}» ليس في سلة المحذوفات.", "{title!r} is not in the recycle bin."),
}


class InUseError(IttisalError):
    """A person cannot be removed for good while activities still refer to them."""


class NotInBinError(IttisalError):
    """Only a record in the recycle bin can be removed for good."""


class UnsentDeletionError(IttisalError):
    """An activity or plan the ministry has had stays in the bin until a data bundle has
    carried its deletion (otherwise the ministry would keep it)."""


def utc_today() -> dt.date:
    """Today in UTC, the clock ``deleted_at`` is written in (so days are counted alike)."""
    return dt.datetime.now(dt.UTC).date()


def _error(cls: type[IttisalError], key: str, title: str) -> IttisalError:
    arabic, english = _MSG[key]
    return cls(arabic.format(title=title), english.format(title=title))


@dataclass(frozen=True)
class BinItem:
    """A record in the recycle bin: what it is, what it is called, when it was deleted.

    ``in_use`` marks a person who cannot be removed for good yet (see the module's notes).
    """

    type: str
    id: str
    title: str
    deleted_at: str
    in_use: bool = False

    @property
    def deleted_on(self) -> dt.date:
        """The (UTC) day it was deleted."""
        return dt.date.fromisoformat(self.deleted_at[:10])

    def days_left(self, today: dt.date | None = None, days: int = KEEP_DAYS) -> int:
        """Whole days before it is removed automatically (0: at the next emptying)."""
        today = today or utc_today()
        return max(0, days - (today - self.deleted_on).days)


_IN_USE = ("(EXISTS (SELECT 1 FROM attendance t WHERE t.person_id = p.id "
           "AND t.deleted_at IS NULL) OR EXISTS (SELECT 1 FROM certificates c "
           "WHERE c.person_id = p.id AND c.deleted_at IS NULL))")


def items(db: Database) -> list[BinItem]:
    """Everything in the bin, most recently deleted first."""
    titled = "".join(f"SELECT '{type_}', id, title, deleted_at, 0 FROM {table} "
                     "WHERE deleted_at IS NOT NULL UNION ALL " for type_, table in _TITLED)
    rows = db.execute(
        titled + f"SELECT 'person', p.id, p.full_name, p.deleted_at, {_IN_USE} FROM persons p "
        "WHERE p.deleted_at IS NOT NULL ORDER BY 4 DESC, 2")
    return [BinItem(kind, record_id, title, deleted_at, bool(in_use))
            for kind, record_id, title, deleted_at, in_use in rows]


def count(db: Database) -> int:
    """How many records are in the bin."""
    tables = [table for _type, table in _TITLED] + ["persons"]
    return db.scalar("SELECT " + " + ".join(
        f"(SELECT count(*) FROM {table} WHERE deleted_at IS NOT NULL)" for table in tables))


def _title(record: UnitRecord) -> str:
    return getattr(record, "title", None) or getattr(record, "full_name", "")


def _record_type(type_: str) -> type[UnitRecord]:
    try:
        return TYPES[type_]
    except KeyError:
        raise ValueError(f"no {type_!r} records in the recycle bin") from None


def restore(db: Database, type_: str, record_id: str) -> UnitRecord:
    """Take a record out of the bin, back into lists and search; return it."""
    return store.restore(db, _record_type(type_), record_id)


def in_use(db: Database, person_id: str) -> bool:
    """Whether a person is still on an attendance list or holds a certificate."""
    return bool(db.scalar(f"SELECT {_IN_USE} FROM persons p WHERE p.id = ?", (person_id,)))


def deletion_unsent(db: Database, type_: str, record_id: str) -> bool:
    """Whether a binned activity or plan of this unit was sent to the ministry and its
    deletion (a later version) not yet: it must not be removed for good before."""
    table = {"activity": "activities", "plan": "plans"}.get(type_)
    if table is None:
        return False
    return bool(db.scalar(f"SELECT sent_at IS NOT NULL AND row_version > "
                          f"coalesce(sent_version, 0) FROM {table} WHERE id = ? AND "
                          "unit_id = ?", (record_id, db.local_unit_id)))


def purge(db: Database, type_: str, record_id: str) -> None:
    """Remove a binned record for good.

    Raises :class:`NotInBinError` for a record not in the bin, :class:`InUseError` for a
    person still in use, :class:`UnsentDeletionError` for an activity or plan whose
    deletion the ministry has not received yet, and NotFoundError for an unknown id.
    """
    record_type = _record_type(type_)
    with db.atomic():
        record = store.get(db, record_type, record_id, include_deleted=True)
        if record.deleted_at is None:
            raise _error(NotInBinError, "not_binned", _title(record))
        if deletion_unsent(db, type_, record_id):
            raise _error(UnsentDeletionError, "unsent", _title(record))
        if record_type is Person:
            if in_use(db, record_id):
                raise _error(InUseError, "in_use", _title(record))
            for table in ("attendance", "certificates"):
                db.execute(f"DELETE FROM {table} WHERE person_id = ?", (record_id,))
        else:
            # The schema cascades attendance and recommendations, not these.
            db.execute("DELETE FROM certificates WHERE activity_id = ?", (record_id,))
            db.execute("DELETE FROM attachments WHERE owner_id = ?", (record_id,))
        # A form's draft of the record would come back at the next start with nothing
        # to save into.
        db.execute("DELETE FROM drafts WHERE record_id = ?", (record_id,))
        store.purge(db, record_type, record_id)


def _purge_all(db: Database, before: str | None) -> int:
    """Purge binned activities, then persons no longer in use (the activities' going may
    have freed them), deleted before ``before`` (an ISO date) or at any time. Activities
    and plans whose deletion the ministry has not received stay (:func:`deletion_unsent`)."""
    removed = 0
    condition, params = "deleted_at IS NOT NULL", []
    if before is not None:
        condition += " AND deleted_at < ?"
        params.append(before)
    with db.atomic():
        for type_, table in (*_TITLED, ("person", "persons")):
            for (record_id,) in db.execute(f"SELECT id FROM {table} WHERE {condition}",
                                           params).fetchall():
                if type_ == "person" and in_use(db, record_id):
                    continue
                if deletion_unsent(db, type_, record_id):
                    continue
                purge(db, type_, record_id)
                removed += 1
    return removed


def empty(db: Database) -> int:
    """Remove everything in the bin for good, except persons still in use and deletions
    not yet sent; return how many records were removed."""
    return _purge_all(db, None)


def purge_expired(db: Database, today: dt.date | None = None, days: int = KEEP_DAYS) -> int:
    """Remove what has been in the bin ``days`` days or more (persons in use stay);
    return how many records were removed."""
    today = today or utc_today()
    # Deleted on or before today - days, whatever the hour: before the next day began.
    before = (today - dt.timedelta(days=days - 1)).isoformat()
    return _purge_all(db, before)


def delete_many(db: Database, record_type: type[UnitRecord], ids: Sequence[str]) -> None:
    """Move several records to the recycle bin, all or none."""
    with db.atomic():
        for record_id in ids:
            store.delete(db, record_type, record_id)


def restore_many(db: Database, record_type: type[UnitRecord], ids: Sequence[str]) -> None:
    """Bring several records back from the recycle bin, all or none (an undo)."""
    with db.atomic():
        for record_id in ids:
            store.restore(db, record_type, record_id)


def restore_items(db: Database, items: Sequence[BinItem]) -> None:
    """Bring records chosen in the bin back (activities and persons together), all or
    none: a failure half-way leaves every one of them in the bin."""
    with db.atomic():
        for item in items:
            restore(db, item.type, item.id)
