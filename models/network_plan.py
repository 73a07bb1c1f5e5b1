"""The network's two-month plan (مخطط الشبكة): every unit's planned items of a period in
one list by date, with the clashes between units and the items not ready yet.

A ministry centre (:func:`models.bundle_merge.is_centre`) holds the plans its units sent
in their bundles, each record keeping its origin ``unit_id``; :func:`network_plan` puts
them together for the network's periodic meeting. On a unit's own database it lists that
unit's items only, and finds no clashes (there is nobody to clash with).

What is listed: the items (not in the recycle bin) of plans (not in the recycle bin, any
approval status: a centre holds what the units chose to send) that are planned,
postponed or done, dated within the period — and the undated items of plans whose period
meets it, last, since they still have to be given a day. Cancelled items are left out.
Done items are listed (the meeting reviews the whole two months) but never clash nor
are flagged: they already took place.

A **clash**: two open (planned or postponed) items of two different units, both of
priority "high" (the vocabulary's عالية: the "major events" of the issue), dated on the
same day or one day apart, that share an audience or a channel. Audiences are free text,
so they are compared part by part: the text is cut at commas, semicolons, slashes, lines
and the conjunction و, and each part is folded (:func:`models.arabic.search_key`, then the
article and attached prefixes off every word, :func:`models.arabic.strip_prefix`), so
that «الشباب» meets «شباب» and «طلبة الجامعات، الشباب» meets «والشباب».

**Flags**: an open item without a key message, or without an owner (الجهة المسؤولة).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from models import store
from models.arabic import search_key, strip_prefix
from models.bundle_merge import is_centre
from models.dates import iso, parse_date
from models.db import Database
from models.errors import IttisalError
from models.plans import OPEN, default_period
from models.records import PlanItem

__all__ = [
    "LISTED",
    "MAJOR",
    "Clash",
    "DirectorateCount",
    "NetworkItem",
    "NetworkPlan",
    "NetworkPlanError",
    "audience_parts",
    "network_plan",
    "period_of",
]

#: The item statuses the network plan lists.
LISTED = (*OPEN, "done")
#: The priority of an item that can clash with another unit's ("major").
MAJOR = "high"
#: How many days apart two items may be and still clash.
CLASH_DAYS = 1
#: The label of a unit whose settings name neither its directorate nor itself.
UNNAMED_CENTRE = "مركز الوزارة"
UNNAMED_OWN = "الوحدة"
UNNAMED_OTHER = "وحدة {id}"

_MSG = {
    "bad_date": ("«{value}» ليس تاريخاً صحيحاً؛ اكتبه بالشكل سنة-شهر-يوم، مثل 2026-12-01.",
                 "{value!r} is not a valid date; write it as year-month-day, such as "
                 "2026-12-01."),
    "half": ("اذكر بداية المدة ونهايتها معاً، أو اتركهما لهذا الشهر والذي يليه.",
             "Give both the first and the last day of the period, or neither for this month "
             "and the next."),
    "reversed": ("بداية المدة ({start}) بعد نهايتها ({end}).",
                 "The period starts ({start}) after it ends ({end})."),
}

# Where one audience ends and the next begins: punctuation, a line, a lone "و", or a word
# that starts with the conjunction and the article ("والطلبة").
_AUDIENCE_SPLIT = re.compile(r"[،,;؛/\\|\n]|\s+و\s+|\s+(?=وال)")
_NOT_WORD = re.compile(r"[^\w\s]")


class NetworkPlanError(IttisalError):
    """A period the network plan cannot be made for."""


def _error(key: str, **values: object) -> NetworkPlanError:
    arabic, english = _MSG[key]
    return NetworkPlanError(arabic.format(**values), english.format(**values))


def period_of(date_from: str | None = None, date_to: str | None = None, *,
              today: dt.date | None = None) -> tuple[str, str]:
    """The period (ISO first and last day) for these bounds: both given, or neither for
    this month and the next (:func:`models.plans.default_period`). One without the other,
    a date that is not one, or a reversed period raises :class:`NetworkPlanError`."""
    if not date_from and not date_to:
        return default_period(today)
    if not date_from or not date_to:
        raise _error("half")
    bounds = []
    for value in (date_from, date_to):
        try:
            bounds.append(iso(value))
        except (TypeError, ValueError):
            raise _error("bad_date", value=value) from None
    start, end = bounds
    if start > end:
        raise _error("reversed", start=start, end=end)
    return start, end


def _fold(part: str) -> str:
    words = _NOT_WORD.sub(" ", search_key(part)).split()
    return " ".join(strip_prefix(word) for word in words)


def audience_parts(audience: str) -> dict[str, str]:
    """The audiences an item's text names, folded (see the module's docstring), each with
    the words it was written in."""
    parts: dict[str, str] = {}
    for part in _AUDIENCE_SPLIT.split(audience or ""):
        text = " ".join(part.split())
        key = _fold(text)
        if key:
            parts.setdefault(key, text)
    return parts


@dataclass(frozen=True)
class NetworkItem:
    """One listed item with its unit (``directorate``: the unit's directorate, else its
    name) and plan."""

    item: PlanItem
    unit_id: str
    directorate: str
    unit_name: str
    plan_title: str

    @property
    def is_open(self) -> bool:
        """Planned or postponed: still to be carried out."""
        return self.item.status in OPEN

    @property
    def no_message(self) -> bool:
        """An open item without a key message."""
        return self.is_open and not self.item.key_message.strip()

    @property
    def no_owner(self) -> bool:
        """An open item without an owner."""
        return self.is_open and not self.item.owner.strip()


@dataclass(frozen=True)
class Clash:
    """Two units' major items ``days`` apart (0 or 1) sharing ``audiences`` (as the first
    item words them) or ``channels`` (vocabulary keys). ``first`` is the earlier (or, on
    the same day, the one listed first)."""

    first: NetworkItem
    second: NetworkItem
    days: int
    audiences: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class DirectorateCount:
    """A directorate's counts in the network plan."""

    directorate: str
    items: int = 0
    major: int = 0
    clashes: int = 0
    no_message: int = 0
    no_owner: int = 0


@dataclass
class NetworkPlan:
    """The network plan of ``start``–``end`` (ISO): its items by date (undated last), the
    clashes in the order of their first item, and whether it was made at a centre."""

    start: str
    end: str
    centre: bool
    items: list[NetworkItem] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)
    #: Every directorate the centre knows, even one with nothing planned in the period.
    directorates: list[str] = field(default_factory=list)

    def clashes_of(self, entry: NetworkItem) -> list[tuple[int, Clash]]:
        """The clashes ``entry`` takes part in, each with its number (from 1)."""
        return [(n, clash) for n, clash in enumerate(self.clashes, start=1)
                if entry.item.id in (clash.first.item.id, clash.second.item.id)]

    @property
    def no_message(self) -> int:
        """How many open items have no key message."""
        return sum(entry.no_message for entry in self.items)

    @property
    def no_owner(self) -> int:
        """How many open items have no owner."""
        return sum(entry.no_owner for entry in self.items)

    def counts(self) -> list[DirectorateCount]:
        """The counts of each directorate, in :attr:`directorates` order."""
        items: dict[str, list[NetworkItem]] = defaultdict(list)
        for entry in self.items:
            items[entry.directorate].append(entry)
        clashes: dict[str, int] = defaultdict(int)
        for clash in self.clashes:
            for name in {clash.first.directorate, clash.second.directorate}:
                clashes[name] += 1
        return [DirectorateCount(
            directorate=name, items=len(items[name]),
            major=sum(e.item.priority == MAJOR for e in items[name]),
            clashes=clashes[name], no_message=sum(e.no_message for e in items[name]),
            no_owner=sum(e.no_owner for e in items[name])) for name in self.directorates]


def _units(db: Database, centre: bool) -> dict[str, tuple[str, str]]:
    """Each unit's (directorate label, name); a unit that gave neither is named by what it
    is here (the centre itself, this unit) or by the beginning of its id."""
    units = {}
    for row in db.rows("SELECT id, directorate, name FROM units"):
        directorate = " ".join((row["directorate"] or "").split())
        name = " ".join((row["name"] or "").split())
        unnamed = (UNNAMED_CENTRE if centre else UNNAMED_OWN) if row["id"] == db.local_unit_id \
            else UNNAMED_OTHER.format(id=row["id"][:8])
        units[row["id"]] = (directorate or name or unnamed, name)
    return units


def _clash(first: NetworkItem, second: NetworkItem) -> Clash | None:
    days = abs((parse_date(second.item.date) - parse_date(first.item.date)).days)
    if first.unit_id == second.unit_id or days > CLASH_DAYS:
        return None
    theirs = audience_parts(second.item.audience)
    audiences = tuple(text for key, text in audience_parts(first.item.audience).items()
                      if key in theirs)
    channels = tuple(c for c in dict.fromkeys(first.item.channels)
                     if c in second.item.channels)
    if not audiences and not channels:
        return None
    return Clash(first, second, days, audiences, channels)


def _clashes(items: list[NetworkItem]) -> list[Clash]:
    major = [e for e in items if e.is_open and e.item.priority == MAJOR and e.item.date]
    found = []
    for i, first in enumerate(major):  # in date order: stop once a day too far
        for second in major[i + 1:]:
            if (parse_date(second.item.date) - parse_date(first.item.date)).days > CLASH_DAYS:
                break
            clash = _clash(first, second)
            if clash is not None:
                found.append(clash)
    return found


def network_plan(db: Database, date_from: str | None = None, date_to: str | None = None,
                 *, today: dt.date | None = None, centre: bool | None = None) -> NetworkPlan:
    """The network plan of the period (see :func:`period_of`): at a centre every unit's
    items, elsewhere the unit's own; ``centre`` overrides the database's mode."""
    start, end = period_of(date_from, date_to, today=today)
    centre = is_centre(db) if centre is None else centre
    # Dated items count by their own day, whatever their plan's period; undated ones by
    # their plan's period.
    where = ("status IN ({}) AND plan_id IN (SELECT id FROM plans WHERE deleted_at IS NULL) "
             "AND ((date >= ? AND date <= ?) OR (date IS NULL AND plan_id IN (SELECT id "
             "FROM plans WHERE period_start <= ? AND period_end >= ?)))"
             ).format(", ".join("?" * len(LISTED)))
    params: list[object] = [*LISTED, start, end, end, start]
    if not centre:
        where += " AND unit_id = ?"
        params.append(db.local_unit_id)
    items = store.find(db, PlanItem, where, params)
    plan_titles = {r["id"]: r["title"] for r in db.rows(
        "SELECT id, title FROM plans WHERE deleted_at IS NULL")}
    units = _units(db, centre)
    entries = []
    for item in items:
        unit_id = item.unit_id or db.local_unit_id
        directorate, name = units.get(unit_id, (UNNAMED_OTHER.format(id=unit_id[:8]), ""))
        entries.append(NetworkItem(item, unit_id, directorate, name,
                                   plan_titles.get(item.plan_id or "", "")))
    # Items entered in one moment (a plan copied from the last one) keep the order they
    # were stored in (the sort is stable over the rows as read), not their random ids'.
    entries.sort(key=lambda e: (e.item.date is None, e.item.date or "",
                                search_key(e.directorate), e.item.created_at))
    listed = {e.directorate for e in entries}
    if centre:
        # Every unit the centre knows (its own only when it planned something itself).
        listed |= {label for uid, (label, _n) in units.items() if uid != db.local_unit_id}
    directorates = sorted(listed, key=search_key)
    return NetworkPlan(start, end, centre, entries, _clashes(entries) if centre else [],
                       directorates)
