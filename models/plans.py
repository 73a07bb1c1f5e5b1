"""The communication plan (مخطط الاتصال): a plan with its items, plan against actual,
linking an item to the activity that carried it out, and a new plan started from the
last one's open items.

Plan against actual (:func:`plan_vs_actual`) sorts every item of a plan on a given day
(always passed in, so a document, a list and a test agree on what "today" is):

- **done on time**: the item is linked to a live activity that started on or before the
  item's planned date (an item without a date: on or before the plan's last day);
- **done late**: linked to a live activity that started after that day;
- **not done**: a planned or postponed item whose planned date has passed (without a date:
  whose plan has ended), and a "done" item with no live activity linked to it — nothing
  shows it was carried out (its activity was never linked, or went to the recycle bin);
- **cancelled**: cancelled items, whatever else they hold;
- **to come**: planned or postponed items whose day has not passed.

Activities (not in the recycle bin, any approval status: a draft activity took place all
the same) that start within the plan's period and that no item of this plan is linked to
are *not in the plan*.

:func:`link_activity` links an item to an activity and marks it done in one transaction.
:func:`copy_open_items` starts a new plan with the last plan's planned and postponed
items (new ids, status planned); a date inside the new period is kept, any other cleared,
since a day already gone would count the item as not done at once.

From the activity form, :func:`item_choices` lists the items an activity may carry out
(open items of the plans whose period covers its day, and the item already linked), and
:func:`save_with_item` saves the activity and links (or unlinks) its item in one
transaction. :func:`update_plan` renames a plan or moves its period.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from models import store, vocab
from models.dates import DateStyle, format_range, iso, period_range
from models.db import Database
from models.errors import IttisalError
from models.records import Activity, Plan, PlanItem
from models.unit_mode import unit_condition

T = TypeVar("T")

__all__ = [
    "DONE_LATE",
    "DONE_ON_TIME",
    "NOT_DONE",
    "CANCELLED",
    "TO_COME",
    "OUTCOMES",
    "OPEN",
    "ItemChoice",
    "ItemOutcome",
    "PlanQueryError",
    "PlanSummary",
    "PlanVsActual",
    "UnplannedActivity",
    "copy_open_items",
    "item_choices",
    "linked_item",
    "default_period",
    "default_title",
    "get_plan",
    "last_plan",
    "link_activity",
    "list_plans",
    "new_plan",
    "plan_items",
    "plan_vs_actual",
    "relink_activity",
    "save_item",
    "save_with_item",
    "unlink_activity",
    "update_plan",
]

DONE_ON_TIME = "on_time"
DONE_LATE = "late"
NOT_DONE = "not_done"
CANCELLED = "cancelled"
TO_COME = "to_come"
#: The outcomes of plan against actual, in the order documents list them, with their names.
OUTCOMES: dict[str, str] = {
    DONE_ON_TIME: "نُفذت في موعدها",
    DONE_LATE: "نُفذت متأخرة",
    NOT_DONE: "لم تُنفذ",
    CANCELLED: "أُلغيت",
    TO_COME: "لم يحن موعدها",
}
#: Item statuses still waited for: what a new plan carries over.
OPEN = ("planned", "postponed")
TITLE = "مخطط الاتصال {period}"

_MSG = {
    "not_found": ("لا يوجد مخطط بالمعرّف «{id}».", "No plan has the id {id!r}."),
    "item_not_found": ("لا توجد فقرة مخطط بالمعرّف «{id}».", "No plan item has the id {id!r}."),
    "activity_not_found": ("لا يوجد نشاط بالمعرّف «{id}».", "No activity has the id {id!r}."),
    "reversed": ("بداية المدة ({start}) بعد نهايتها ({end}).",
                 "The range starts ({start}) after it ends ({end})."),
    "no_plan": ("لا يوجد مخطط سابق تُنسخ فقراته.", "There is no earlier plan to copy from."),
    "no_period": ("اكتب بداية المدة ونهايتها تاريخين صحيحين، مثل 2026-11-01.",
                  "Give the period's start and end as valid dates, such as 2026-11-01."),
    "taken": ("فقرة المخطط «{title}» مربوطة بنشاط آخر؛ فُكّ ربطها من صفحة المخطط أولاً.",
              "The plan item {title!r} is linked to another activity; unlink it on the "
              "plans page first."),
    "outside": ("تاريخ النشاط ({date}) خارج مدة المخطط «{plan}» ({start} – {end}).",
                "The activity's date ({date}) is outside the period of the plan {plan!r} "
                "({start} – {end})."),
    "no_date": ("اكتب تاريخ النشاط قبل ربطه بفقرة من المخطط.",
                "Give the activity a date before linking it to a plan item."),
}


class PlanQueryError(IttisalError):
    """A plan, item or activity that cannot be found, or a range that cannot be used."""


def _error(key: str, **values: object) -> PlanQueryError:
    arabic, english = _MSG[key]
    return PlanQueryError(arabic.format(**values), english.format(**values))


# --- periods and plans ----------------------------------------------------------------------

def default_period(today: dt.date | None = None) -> tuple[str, str]:
    """This month and the next (ISO first and last day): the unit's plan cycle."""
    today = today or dt.date.today()
    first, this_last = period_range("this_month", today)
    next_first = dt.date.fromisoformat(this_last) + dt.timedelta(days=1)
    return first, period_range("this_month", next_first)[1]


def default_title(period_start: str, period_end: str, style: DateStyle | None = None) -> str:
    """"مخطط الاتصال <period>", the period in the unit's wording."""
    return TITLE.format(period=format_range(period_start, period_end, style or DateStyle()))


def get_plan(db: Database, plan_id: str) -> Plan:
    """The plan (not in the recycle bin) with this id, or a unique beginning of it."""
    try:
        return store.get(db, Plan, store.resolve_id(db, Plan, plan_id))
    except IttisalError:
        raise _error("not_found", id=plan_id) from None


def plan_items(db: Database, plan_id: str) -> list[PlanItem]:
    """The plan's items (not in the recycle bin), by planned date (undated last), then as
    entered."""
    return store.find(db, PlanItem, "plan_id = ?", (plan_id,),
                      order_by="date IS NULL, date, created_at, rowid")


def new_plan(db: Database, *, period: tuple[str, str] | None = None, title: str = "",
             today: dt.date | None = None, notes: str = "") -> Plan:
    """A new, empty plan for ``period`` (default: this month and the next)."""
    start, end = period or default_period(today)
    start, end = iso(start), iso(end)
    if start > end:
        raise _error("reversed", start=start, end=end)
    return store.insert(db, Plan(title=title.strip() or default_title(start, end),
                                 period_start=start, period_end=end, notes=notes))


def last_plan(db: Database, *, before: str | None = None) -> Plan | None:
    """The plan with the latest period (not in the recycle bin); with ``before``, the
    latest that starts before that day."""
    where, params = "1", ()
    if before:
        where, params = "period_start < ?", (before,)
    found = store.find(db, Plan, where, params,
                       order_by="period_start DESC, period_end DESC, created_at DESC")
    return found[0] if found else None


def copy_open_items(db: Database, *, period: tuple[str, str] | None = None, title: str = "",
                    today: dt.date | None = None, source_id: str | None = None) -> Plan:
    """A new plan for ``period`` (default: this month and the next) holding a copy of the
    open (planned or postponed) items of ``source_id`` (default: the last plan starting
    before the new one): new ids, status planned, no linked activity; a planned date
    inside the new period is kept, any other cleared. One transaction."""
    start, end = (iso(d) for d in (period or default_period(today)))
    with db.atomic():
        source = get_plan(db, source_id) if source_id else last_plan(db, before=start)
        if source is None:
            raise _error("no_plan")
        plan = new_plan(db, period=(start, end), title=title)
        for item in plan_items(db, source.id):
            if item.status not in OPEN:
                continue
            keep = item.date is not None and start <= item.date <= end
            store.insert(db, PlanItem(
                plan_id=plan.id, title=item.title, objective=item.objective,
                audience=item.audience, insight=item.insight, strategy=item.strategy,
                channels=list(item.channels), date=item.date if keep else None,
                owner=item.owner, priority=item.priority, status="planned",
                outputs=item.outputs, outtakes=item.outtakes, outcomes=item.outcomes,
                key_message=item.key_message, tactic=item.tactic, partners=item.partners,
                measure_kind=item.measure_kind, measure_target=item.measure_target))
    return plan


def update_plan(db: Database, plan_id: str, *, title: str,
                period: tuple[str | None, str | None]) -> Plan:
    """Rename the plan and set its period; an empty title becomes the default one of the
    new period. A missing or reversed period raises :class:`PlanQueryError` and nothing is
    written. Its items keep their dates (a date now outside the period is the user's to
    move)."""
    if not all(period):
        raise _error("no_period")
    try:
        start, end = iso(period[0]), iso(period[1])  # type: ignore[arg-type]
    except ValueError:
        raise _error("no_period") from None
    if start > end:
        raise _error("reversed", start=start, end=end)
    with db.atomic():
        plan = get_plan(db, plan_id)
        plan.title = title.strip() or default_title(start, end)
        plan.period_start, plan.period_end = start, end
        return store.update(db, plan)


def save_item(db: Database, item: PlanItem) -> PlanItem:
    """Add the item to its plan, or store its new state; one transaction. Its plan must
    exist (not in the recycle bin); a broken field rule raises the model's
    ``ValidationError`` naming the field, and nothing is written."""
    with db.atomic():
        # (not get_plan: it takes a unique beginning of an id, and "" begins them all)
        if not item.plan_id or not db.scalar(
                "SELECT 1 FROM plans WHERE id = ? AND deleted_at IS NULL", (item.plan_id,)):
            raise _error("not_found", id=item.plan_id or "")
        return store.save(db, item)


# --- linking ------------------------------------------------------------------------------

def link_activity(db: Database, item_id: str, activity_id: str) -> PlanItem:
    """Link the item to the activity that carried it out and mark it done, in one
    transaction; returns the item as stored."""
    with db.atomic():
        try:
            item = store.get(db, PlanItem, item_id)
        except IttisalError:
            raise _error("item_not_found", id=item_id) from None
        try:
            store.get(db, Activity, activity_id)
        except IttisalError:
            raise _error("activity_not_found", id=activity_id) from None
        item.activity_id = activity_id
        item.status = "done"
        return store.update(db, item)


def unlink_activity(db: Database, item_id: str, status: str = "planned") -> PlanItem:
    """Undo :func:`link_activity`: no activity, and ``status`` again (default planned)."""
    with db.atomic():
        try:
            item = store.get(db, PlanItem, item_id)
        except IttisalError:
            raise _error("item_not_found", id=item_id) from None
        item.activity_id = None
        item.status = status
        return store.update(db, item)


# --- linking from the activity form ---------------------------------------------------------

@dataclass(frozen=True)
class ItemChoice:
    """A plan item the activity form offers: the item and the title of its plan."""

    item: PlanItem
    plan_title: str


_LIVE_PLAN = "plan_id IN (SELECT id FROM plans WHERE deleted_at IS NULL)"


def linked_item(db: Database, activity_id: str | None) -> PlanItem | None:
    """The item (of a plan not in the recycle bin) the activity carried out, if any; the
    first one entered when several are linked to it."""
    if not activity_id:
        return None
    found = store.find(db, PlanItem, f"activity_id = ? AND {_LIVE_PLAN}", (activity_id,),
                       order_by="created_at, rowid")
    return found[0] if found else None


def item_choices(db: Database, day: str | None, activity_id: str | None = None
                 ) -> list[ItemChoice]:
    """The items an activity of ``day`` may be linked to: the open (planned or postponed)
    items of the plans whose period covers that day, and the item the activity is already
    linked to (whatever its plan's period); by plan, then planned date (undated last)."""
    linked = linked_item(db, activity_id)
    where, params = ["0"], []
    if day:
        where.append("(status IN (?, ?) AND plan_id IN (SELECT id FROM plans WHERE "
                     "deleted_at IS NULL AND period_start <= ? AND period_end >= ?))")
        params += [*OPEN, day, day]
    if linked is not None:
        where.append("id = ?")
        params.append(linked.id)
    items = store.find(db, PlanItem, f"({' OR '.join(where)}) AND {_LIVE_PLAN}", params,
                       order_by="date IS NULL, date, created_at, rowid")
    wanted = sorted({i.plan_id for i in items if i.plan_id})
    owners = {p.id: p for p in store.find(
        db, Plan, f"id IN ({', '.join('?' * len(wanted))})", wanted)} if wanted else {}
    items.sort(key=lambda i: (owners[i.plan_id].period_start, owners[i.plan_id].created_at))
    return [ItemChoice(i, owners[i.plan_id].title) for i in items]


def relink_activity(db: Database, activity_id: str, item_id: str | None,
                    previous: str | None = None) -> PlanItem | None:
    """Make ``item_id`` (None: no item) the item the activity carried out, in place of
    ``previous`` (the one it was linked to, which goes back to planned). A new link must be
    an item no other activity carried out, of a plan whose period covers the activity's
    day; it is marked done. One transaction; returns the item linked now."""
    with db.atomic():
        if previous and previous != item_id:
            old = store.find(db, PlanItem, "id = ? AND activity_id = ?",
                             (previous, activity_id))
            if old:
                unlink_activity(db, previous)
        if not item_id:
            return None
        try:
            item = store.get(db, PlanItem, item_id)
        except IttisalError:
            raise _error("item_not_found", id=item_id) from None
        if item.activity_id == activity_id:
            return item
        if item.activity_id and db.scalar(
                "SELECT 1 FROM activities WHERE id = ? AND deleted_at IS NULL",
                (item.activity_id,)):
            raise _error("taken", title=item.title)
        try:
            activity = store.get(db, Activity, activity_id)
        except IttisalError:
            raise _error("activity_not_found", id=activity_id) from None
        plan = get_plan(db, item.plan_id or "")
        if not activity.start_date:
            raise _error("no_date")
        if not plan.period_start <= activity.start_date <= plan.period_end:
            raise _error("outside", date=activity.start_date, plan=plan.title,
                         start=plan.period_start, end=plan.period_end)
        return link_activity(db, item_id, activity_id)


def save_with_item(db: Database, save: Callable[[], T], activity_id: Callable[[T], str],
                   item_id: str | None, previous: str | None = None) -> T:
    """Run ``save`` (the activity form's save, which returns what it stored) and link the
    saved activity (``activity_id`` of the result) to ``item_id`` in place of ``previous``
    (:func:`relink_activity`), all in one transaction: a refused link saves nothing."""
    with db.atomic():
        saved = save()
        if item_id != previous:
            relink_activity(db, activity_id(saved), item_id, previous)
    return saved


# --- plan against actual -------------------------------------------------------------------

@dataclass(frozen=True)
class ItemOutcome:
    """One item as plan against actual sees it: its outcome (a key of :data:`OUTCOMES`)
    and the activity that carried it out, if any."""

    item: PlanItem
    outcome: str
    activity_id: str | None = None
    activity_title: str = ""
    activity_date: str | None = None

    @property
    def outcome_label(self) -> str:
        """The outcome in Arabic."""
        return OUTCOMES[self.outcome]


@dataclass(frozen=True)
class UnplannedActivity:
    """An activity of the plan's period that no item of the plan is linked to."""

    id: str
    title: str
    kind: str
    start_date: str
    end_date: str | None

    @property
    def kind_label(self) -> str:
        """The activity's kind in Arabic."""
        return vocab.ACTIVITY_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class PlanVsActual:
    """Plan against actual of one plan on ``today``: every item with its outcome (in the
    plan's order) and the activities not in the plan."""

    plan: Plan
    today: dt.date
    items: list[ItemOutcome]
    unplanned: list[UnplannedActivity] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """How many items have each outcome (every outcome, zeros included), and
        ``"unplanned"``: how many activities were not in the plan."""
        found = Counter(row.outcome for row in self.items)
        counts = {key: found.get(key, 0) for key in OUTCOMES}
        counts["unplanned"] = len(self.unplanned)
        return counts

    def rows(self, outcome: str) -> list[ItemOutcome]:
        """The items with this outcome, in the plan's order."""
        return [row for row in self.items if row.outcome == outcome]


def _outcome(item: PlanItem, activity: dict | None, plan: Plan, today: str) -> str:
    if item.status == "cancelled":
        return CANCELLED
    due = item.date or plan.period_end
    if activity is not None:
        return DONE_ON_TIME if activity["start_date"] <= due else DONE_LATE
    if item.status == "done" or due < today:
        return NOT_DONE
    return TO_COME


def plan_vs_actual(db: Database, plan_id: str, *, today: dt.date) -> PlanVsActual:
    """Plan against actual for the plan on ``today`` (see the module's docstring)."""
    plan = get_plan(db, plan_id)
    items = plan_items(db, plan.id)
    linked = sorted({i.activity_id for i in items if i.activity_id})
    activities: dict[str, dict] = {}
    for start in range(0, len(linked), 500):  # SQLite bounds a statement's parameters
        chunk = linked[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in db.rows(f"SELECT id, title, start_date FROM activities WHERE id IN "
                           f"({marks}) AND deleted_at IS NULL", chunk):
            activities[row["id"]] = row
    day = today.isoformat()
    outcomes = []
    for item in items:
        activity = activities.get(item.activity_id) if item.activity_id else None
        outcome = _outcome(item, activity, plan, day)
        outcomes.append(ItemOutcome(
            item, outcome, activity["id"] if activity else None,
            activity["title"] if activity else "",
            activity["start_date"] if activity else None))
    unplanned = [
        UnplannedActivity(r["id"], r["title"], r["kind"], r["start_date"], r["end_date"])
        for r in db.rows(
            "SELECT id, title, kind, start_date, end_date FROM activities a "
            "WHERE deleted_at IS NULL AND start_date BETWEEN ? AND ? AND NOT EXISTS ("
            "SELECT 1 FROM plan_items p WHERE p.activity_id = a.id AND p.plan_id = ? "
            "AND p.deleted_at IS NULL) ORDER BY start_date, created_at, rowid",
            (plan.period_start, plan.period_end, plan.id))]
    return PlanVsActual(plan, today, outcomes, unplanned)


# --- the list of plans ----------------------------------------------------------------------

@dataclass(frozen=True)
class PlanSummary:
    """A plan as the list shows it: its period and how many items are in each status."""

    id: str
    title: str
    period_start: str
    period_end: str
    status: str
    items: dict[str, int]
    #: The unit the plan came from (at a centre, one of many).
    unit_id: str = ""

    def as_json(self) -> dict[str, object]:
        """The command line's JSON object for this plan."""
        return {"id": self.id, "title": self.title, "period_start": self.period_start,
                "period_end": self.period_end, "items": dict(self.items)}


def list_plans(db: Database, *, date_from: str | None = None, date_to: str | None = None,
               unit_id: str | tuple[str, ...] | None = None) -> list[PlanSummary]:
    """The plans (not in the recycle bin) whose period overlaps ``date_from``–``date_to``
    (either may be open), latest first, each with a count of its items per status
    (every status, zeros included). ``unit_id`` (at a ministry centre) keeps the plans
    of that unit, or of any of these units."""
    if date_from and date_to and date_from > date_to:
        raise _error("reversed", start=date_from, end=date_to)
    conditions, params = ["deleted_at IS NULL"], []
    if date_from:
        conditions.append("period_end >= ?")
        params.append(date_from)
    if date_to:
        conditions.append("period_start <= ?")
        params.append(date_to)
    unit, unit_params = unit_condition("unit_id", unit_id)
    if unit:
        conditions.append(unit)
        params += unit_params
    plans = db.rows("SELECT id, title, period_start, period_end, status, unit_id FROM plans "
                    "WHERE "
                    + " AND ".join(conditions)
                    + " ORDER BY period_start DESC, created_at DESC", params)
    counts: dict[str, Counter] = {p["id"]: Counter() for p in plans}
    for plan_id, status, number in db.execute(
            "SELECT plan_id, status, count(*) FROM plan_items WHERE deleted_at IS NULL "
            "GROUP BY plan_id, status"):
        if plan_id in counts:
            counts[plan_id][status] = number
    return [PlanSummary(p["id"], p["title"], p["period_start"], p["period_end"], p["status"],
                        {s: counts[p["id"]].get(s, 0) for s in vocab.PLAN_ITEM_STATUSES},
                        p["unit_id"])
            for p in plans]
