"""Approving and sending activities and plans: draft → approved → sent.

A record is approved by the unit's approver (a name chosen in settings, the unit's head by
default; no passwords): :func:`approve` records who and when and sets the status
'approved'. Sending a data bundle calls :func:`mark_sent`, which sets the status 'sent'
and remembers the record's ``row_version`` at that moment without touching
``updated_at`` (sending is not an edit). Any later edit raises ``row_version`` (schema
v12's trigger), so :func:`state` can tell a record changed since it was sent.

The status rule after an edit (the activity form applies it through
:func:`status_after_edit`): an approved or sent record that is edited goes back to
'draft', to be approved again; a sent one keeps its ``sent_at``, and while its
``row_version`` is above ``sent_version`` it shows as «عُدّل بعد الإرسال» until it is
sent again. Records do not carry these columns: they are read and written here only.

An edit of what belongs to a record — a plan's items, an activity's attendance list — is
an edit of the record: it runs inside :func:`revision`, which applies the same rule and
raises the record's ``row_version`` in the edit's transaction (:func:`touched`), so the
record is a new revision that must be approved (and sent) again. :func:`guard` tells a
screen whether an edit must ask first. Paths that cannot ask (the command line's
``attendance remove``, ``import attendees``, ``persons merge``) apply the rule all the
same and say afterwards which activities became drafts; the persons page's merge asks
once for all the approved or sent activities whose attendance it moves
(:func:`models.persons.locked_by_merge`).

What came of an activity later is not an edit of it: a recommendation's follow-up note
(and the status it gives the recommendation, :func:`models.recommendations.add_note`)
records what happened after the approved activity, so it neither asks nor makes the
activity a new revision. It still reaches the ministry: a data bundle carries the
children of approved or sent activities that changed since the last bundle (notes
included, ``models.data_bundle``), without the activity itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from models import store
from models.db import Database
from models.errors import IttisalError
from models.records import Unit, now

__all__ = ["APPROVAL_LABELS", "KINDS", "ApprovalError", "ApprovalState", "approve",
           "approver", "approval_label", "chosen_approver", "guard", "mark_sent",
           "require_approver", "revision", "set_approver", "state", "status_after_edit",
           "touched"]

#: The kinds of record that are approved and sent, and their tables.
KINDS: dict[str, str] = {"activity": "activities", "plan": "plans"}

#: The settings key of the approver's name ('' or missing: the unit's head).
APPROVER_SETTING = "approver"

#: What a list shows for a record's approval state (status, or "changed" for a sent
#: record edited since).
APPROVAL_LABELS: dict[str, str] = {
    "draft": "مسودة",
    "approved": "معتمد",
    "sent": "مرسل",
    "changed": "عُدّل بعد الإرسال",
}

_MSG = {
    "no_approver": (
        "لم يُحدَّد من يعتمد السجلات: اكتب اسم المعتمِد (أو اسم مدير الوحدة) في الإعدادات "
        "ثم أعد المحاولة. لم يُعتمد شيء.",
        "No approver is set: enter the approver's name (or the unit head's) in the "
        "settings, then try again. Nothing was approved.",
    ),
    "missing": (
        "لا يوجد {what} بالمعرّف «{id}» (أو أنه في سلة المحذوفات). لم يُعتمد شيء.",
        "No {what_en} has the id {id} (or it is in the recycle bin). Nothing was approved.",
    ),
    "bad_kind": (
        "نوع السجل «{kind}» لا يُعتمد ولا يُرسل؛ الأنواع: نشاط، مخطط.",
        "Records of kind {kind!r} are not approved or sent; kinds: activity, plan.",
    ),
}

_WHAT = {"activity": ("نشاط", "activity"), "plan": ("مخطط", "plan")}


class ApprovalError(IttisalError):
    """Approving or sending was refused (no approver, a missing record); nothing changed."""


@dataclass(frozen=True)
class ApprovalState:
    """Where one record stands: its status, who approved it and when, when it was sent,
    and whether it changed since."""

    status: str
    approved_by: str
    approved_at: str | None
    sent_at: str | None
    changed_since_sent: bool

    @property
    def label(self) -> str:
        """What a list shows (مسودة، معتمد، مرسل، عُدّل بعد الإرسال)."""
        return approval_label(self.status, self.changed_since_sent)

    @property
    def locked(self) -> bool:
        """Whether a form opens the record read-only (approved or sent)."""
        return self.status in ("approved", "sent")

    @property
    def asks_before_edit(self) -> bool:
        """Whether an edit must ask first: locked, with a recorded approval or sending (an
        approval chosen in the old status box, before schema v12, named no one and does
        not lock)."""
        return self.locked and bool(self.approved_at or self.sent_at)


def approval_label(status: str, changed_since_sent: bool) -> str:
    """The approval state's Arabic label: a record edited since it was sent reads
    «عُدّل بعد الإرسال» until it is approved (then «معتمد») or sent again."""
    if changed_since_sent and status != "approved":
        return APPROVAL_LABELS["changed"]
    return APPROVAL_LABELS.get(status, status)


def status_after_edit(status: str) -> str:
    """The status a record takes when it is edited: an approved or sent record becomes a
    new revision, a draft to be approved (and sent) again."""
    return "draft" if status in ("approved", "sent") else status


def _table(kind: str) -> str:
    try:
        return KINDS[kind]
    except KeyError:
        arabic, english = _MSG["bad_kind"]
        raise ApprovalError(arabic.format(kind=kind), english.format(kind=kind)) from None


def _follow_in_search(db: Database, kind: str, record_id: str, status: str) -> None:
    # The search index keeps each activity's status for its status filter; only the
    # status changed, so the words need no re-indexing (plans are not searched).
    if kind == "activity":
        db.execute("UPDATE search_docs SET status = ? WHERE ref_id = ?", (status, record_id))


def approver(db: Database) -> str:
    """Who approves: the name chosen in settings, else the unit's head ('' for none)."""
    chosen = (db.setting(APPROVER_SETTING) or "").strip()
    if chosen:
        return chosen
    try:
        unit = store.get(db, Unit, db.local_unit_id)
    except IttisalError:
        return ""
    return unit.head_name.strip()


def require_approver(db: Database) -> str:
    """The approver's name; :class:`ApprovalError` when none is set (no name chosen and
    no unit head)."""
    name = approver(db)
    if not name:
        raise ApprovalError(*_MSG["no_approver"])
    return name


def chosen_approver(db: Database) -> str:
    """The approver's name as chosen in settings ('' when it follows the unit's head)."""
    return (db.setting(APPROVER_SETTING) or "").strip()


def set_approver(db: Database, name: str) -> None:
    """Choose who approves; '' makes the unit's head the approver again."""
    db.set_setting(APPROVER_SETTING, " ".join(name.split()))


def approve(db: Database, kind: str, ids: Iterable[str], by: str | None = None) -> int:
    """Approve the records ``ids`` of ``kind`` ('activity' or 'plan') in one transaction:
    status 'approved', ``approved_by`` (``by``, else :func:`approver`) and
    ``approved_at`` now. Returns how many were approved.

    Approving is a change the ministry must receive, so ``updated_at`` moves (and with it
    ``row_version``). Raises :class:`ApprovalError` when no approver is set or a record
    is missing or in the recycle bin; then nothing is approved.
    """
    table = _table(kind)
    name = " ".join(by.split()) if by is not None else require_approver(db)
    if not name:
        raise ApprovalError(*_MSG["no_approver"])
    wanted = list(dict.fromkeys(ids))
    with db.atomic():
        for record_id in wanted:
            found = db.scalar(f"SELECT 1 FROM {table} WHERE id = ? AND deleted_at IS NULL",
                              (record_id,))
            if not found:
                arabic, english = _MSG["missing"]
                what, what_en = _WHAT[kind]
                raise ApprovalError(arabic.format(what=what, id=record_id),
                                    english.format(what_en=what_en, id=record_id))
        stamp = now()
        for record_id in wanted:
            # row_version is raised here, not left to the trigger, which skips an update
            # in the same millisecond as the record's last one.
            db.execute(f"UPDATE {table} SET status = 'approved', approved_by = ?, "
                       "approved_at = ?, updated_at = ?, row_version = row_version + 1 "
                       "WHERE id = ?", (name, stamp, stamp, record_id))
            _follow_in_search(db, kind, record_id, "approved")
    return len(wanted)


def mark_sent(db: Database, kind: str, ids: Iterable[str] | Mapping[str, int],
              when: str) -> int:
    """Mark records of ``kind`` sent at ``when`` (a bundle went out): status 'sent',
    ``sent_at`` and ``sent_version``. ``updated_at`` is left as it is (sending is not an
    edit, and raises no version). Returns how many were marked; missing ids are skipped.

    ``ids`` is best a mapping id → the ``row_version`` the bundle carried: a record is
    marked only while it is still at that version, so one edited between the bundle's
    reading and its writing stays as it is (a draft, unsent) and goes in a later bundle.
    A deleted record that was not approved (a tombstone of an edited, then deleted, sent
    record) keeps its status. A plain list of ids marks each at its current version."""
    table = _table(kind)
    marked = 0
    with db.atomic():
        if isinstance(ids, Mapping):
            for record_id, version in ids.items():
                done = db.execute(
                    f"UPDATE {table} SET status = CASE WHEN deleted_at IS NOT NULL AND "
                    "status NOT IN ('approved', 'sent') THEN status ELSE 'sent' END, "
                    "sent_at = ?, sent_version = row_version WHERE id = ? AND row_version = ?",
                    (when, record_id, version)).rowcount
                if done:
                    status = db.scalar(f"SELECT status FROM {table} WHERE id = ?", (record_id,))
                    _follow_in_search(db, kind, record_id, status)
                marked += done
            return marked
        for record_id in dict.fromkeys(ids):
            done = db.execute(
                f"UPDATE {table} SET status = 'sent', sent_at = ?, sent_version = row_version "
                "WHERE id = ?", (when, record_id)).rowcount
            if done:
                _follow_in_search(db, kind, record_id, "sent")
            marked += done
    return marked


def state(db: Database, kind: str, record_id: str) -> ApprovalState:
    """Where the record stands (a missing id raises :class:`ApprovalError`)."""
    table = _table(kind)
    row = db.execute(
        f"SELECT status, approved_by, approved_at, sent_at, "
        f"(sent_at IS NOT NULL AND row_version > coalesce(sent_version, 0)) "
        f"FROM {table} WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        arabic, english = _MSG["missing"]
        what, what_en = _WHAT[kind]
        raise ApprovalError(arabic.format(what=what, id=record_id),
                            english.format(what_en=what_en, id=record_id))
    status, by, at, sent_at, changed = row
    return ApprovalState(status, by or "", at, sent_at, bool(changed))


def guard(db: Database, kind: str, record_id: str | None) -> ApprovalState | None:
    """The record's state when an edit of it (or of its items or attendance) must ask
    first; None for a draft, a new record (``record_id`` None) or a missing one."""
    if not record_id:
        return None
    try:
        found = state(db, kind, record_id)
    except ApprovalError:
        return None
    return found if found.asks_before_edit else None


def touched(db: Database, kind: str, record_id: str) -> str:
    """Mark the record edited — itself or what belongs to it (a plan's items, an
    activity's attendance): the status rule (:func:`status_after_edit`: an approved or
    sent record becomes a draft), ``updated_at`` now and ``row_version`` one higher, so a
    sent record shows as changed since it was sent. Returns the status it has now; a
    missing record is left alone ('')."""
    table = _table(kind)
    with db.atomic():
        status = db.scalar(f"SELECT status FROM {table} WHERE id = ?", (record_id,))
        if status is None:
            return ""
        after = status_after_edit(status)
        # (row_version raised here, as in approve)
        db.execute(f"UPDATE {table} SET status = ?, updated_at = ?, "
                   "row_version = row_version + 1 WHERE id = ?", (after, now(), record_id))
        if after != status:
            _follow_in_search(db, kind, record_id, after)
    return after


@contextmanager
def revision(db: Database, kind: str, record_id: str) -> Iterator[None]:
    """Run an edit of the record (or of its items or attendance) in one transaction with
    :func:`touched`: a refused edit (an exception) changes nothing, the approval
    included."""
    with db.atomic():
        yield
        touched(db, kind, record_id)
