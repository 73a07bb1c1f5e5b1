"""Media monitoring (الرصد الإعلامي): the coverage items a unit tracks, and what is counted
from them.

:func:`list_items` filters the stored items (date range, medium, level, tone, activity);
:func:`counts` gives the counts by medium, level and tone that the monitoring report and
the dashboard show; :func:`timeline` the counts per day, week or month. Counts and tone
only: the Barcelona Principles ask for no advertising-value-equivalent figure, and none is
computed anywhere.

The *known outlets* come from the directory of outlets (:mod:`models.outlets`) first,
then from names stored coverage uses that the directory lacks — each with its most used
medium and level (:func:`known_outlets`); a pasted link proposes the directory's outlet of
that domain, else the outlet of an earlier item whose link has the same domain
(:func:`propose_outlet`). Saving an item whose outlet the directory lacks adds it there
in the same transaction (:func:`save_item`). The reach of an item (how many saw or heard
it) is kept when the outlet gives it; :func:`reach_total` adds up the known ones.
Items whose activity is in the recycle bin are left out, as everywhere else.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from models import outlets, records, store, vocab
from models.arabic import search_key
from models.dates import parse_date
from models.db import Database
from models.errors import IttisalError
from models.unit_mode import unit_condition

__all__ = [
    "CoverageCounts", "CoverageFilter", "CoverageQueryError", "CoverageRow", "KnownOutlet",
    "ReachTotal", "TimelinePoint", "counts", "domain_of", "known_outlets", "list_items",
    "propose_outlet", "reach_total", "save_item", "timeline", "timeline_step",
]

_MSG = {
    "reversed": ("بداية المدة ({start}) بعد نهايتها ({end}).",
                 "The range starts ({start}) after it ends ({end})."),
    "bad_choice": ("«{value}» ليس من قيم {label}؛ القيم: {options}.",
                   "{value!r} is not a {name}; use one of: {options}."),
    "bad_date": ("«{value}» ليس تاريخاً؛ اكتبه مثل 2026-11-22.",
                 "{value!r} is not a date; write it as 2026-11-22."),
    "bad_step": ("خطوة الخط الزمني «{value}» غير معروفة.", "Unknown timeline step {value!r}."),
}

#: Timeline steps: one point per day, per week (from Sunday, the first working day of the
#: Iraqi week) or per month.
DAY, WEEK, MONTH = "day", "week", "month"
# Up to a month a point a day; up to half a year a point a week; beyond, a point a month.
_DAYS_PER_DAY_STEP = 31
_DAYS_PER_WEEK_STEP = 186


class CoverageQueryError(IttisalError):
    """A filter of the coverage list that cannot be applied."""


def _error(key: str, **values: object) -> CoverageQueryError:
    arabic, english = _MSG[key]
    return CoverageQueryError(arabic.format(**values), english.format(**values))


@dataclass(frozen=True)
class CoverageFilter:
    """Which coverage items a list shows: ``date_from``/``date_to`` (ISO, inclusive) bound
    the publication date; ``medium``, ``level``, ``tone`` are vocabulary keys;
    ``activity_id`` keeps those covering that activity."""

    date_from: str | None = None
    date_to: str | None = None
    medium: str | None = None
    level: str | None = None
    tone: str | None = None
    activity_id: str | None = None
    #: At a ministry centre: only the items that came from this unit (or any of these).
    unit_id: str | tuple[str, ...] | None = None


@dataclass(frozen=True)
class CoverageRow:
    """One coverage item as lists and the report show it."""

    id: str
    date: str
    outlet: str
    medium: str
    level: str
    tone: str
    title: str
    topic: str
    link: str
    activity_id: str | None
    activity_title: str
    notes: str
    reach: int | None = None
    #: The unit the item came from (at a centre, one of many).
    unit_id: str = ""

    @property
    def medium_label(self) -> str:
        """The medium in Arabic."""
        return vocab.MEDIA.get(self.medium, self.medium)

    @property
    def level_label(self) -> str:
        """The level in Arabic."""
        return vocab.LEVELS.get(self.level, self.level)

    @property
    def tone_label(self) -> str:
        """The tone in Arabic."""
        return vocab.TONES.get(self.tone, self.tone)

    def as_json(self) -> dict[str, object]:
        """The command line's JSON object for this item."""
        return {"id": self.id, "date": self.date, "outlet": self.outlet,
                "medium": self.medium, "level": self.level, "tone": self.tone,
                "title": self.title, "activity_id": self.activity_id, "reach": self.reach}


@dataclass(frozen=True)
class CoverageCounts:
    """How many items, and how many of each medium, level and tone (every key of the
    vocabulary, in its order, zeros included, so a chart always has the same bars)."""

    total: int
    by_medium: dict[str, int]
    by_level: dict[str, int]
    by_tone: dict[str, int]


@dataclass(frozen=True)
class TimelinePoint:
    """The items published from ``start`` to ``end`` (ISO, inclusive)."""

    start: str
    end: str
    count: int


@dataclass(frozen=True)
class ReachTotal:
    """The reach of the items whose reach is known: its sum, and how many of the
    ``items`` listed gave one."""

    total: int
    known: int
    items: int


@dataclass(frozen=True)
class KnownOutlet:
    """An outlet of the directory or named in stored coverage, with its medium and level
    and how many items name it; ``in_directory`` when the directory holds it."""

    name: str
    medium: str
    level: str
    items: int
    in_directory: bool = False


def _check_date(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return parse_date(value).isoformat()
    except ValueError:
        raise _error("bad_date", value=value) from None


def _check_choice(value: str | None, options: dict[str, str], label: str, name: str
                  ) -> str | None:
    if value is None or value == "":
        return None
    if value not in options:
        raise _error("bad_choice", value=value, label=label, name=name,
                     options="، ".join(options))
    return value


def _where(where: CoverageFilter) -> tuple[str, list[object]]:
    start, end = _check_date(where.date_from), _check_date(where.date_to)
    if start and end and start > end:
        raise _error("reversed", start=start, end=end)
    conditions = ["c.deleted_at IS NULL", "(a.id IS NULL OR a.deleted_at IS NULL)"]
    params: list[object] = []
    if start:
        conditions.append("c.date >= ?")
        params.append(start)
    if end:
        conditions.append("c.date <= ?")
        params.append(end)
    for column, value, options, label in (
            ("medium", where.medium, vocab.MEDIA, "نوع الوسيلة"),
            ("level", where.level, vocab.LEVELS, "المستوى"),
            ("tone", where.tone, vocab.TONES, "الاتجاه")):
        if _check_choice(value, options, label, column):
            conditions.append(f"c.{column} = ?")
            params.append(value)
    if where.activity_id:
        conditions.append("c.activity_id = ?")
        params.append(where.activity_id)
    unit, unit_params = unit_condition("c.unit_id", where.unit_id)
    if unit:
        conditions.append(unit)
        params += unit_params
    return " AND ".join(conditions), params


_FROM = "FROM coverage_items c LEFT JOIN activities a ON a.id = c.activity_id"


def list_items(db: Database, where: CoverageFilter | None = None, *,
               newest_first: bool = False) -> list[CoverageRow]:
    """The coverage items matching ``where``, oldest first (then as entered), or newest
    first (the last entered first within a day) when ``newest_first``."""
    condition, params = _where(where or CoverageFilter())
    order = ("c.date DESC, c.created_at DESC, c.rowid DESC" if newest_first
             else "c.date, c.created_at, c.rowid")
    rows = db.execute(
        "SELECT c.id, c.date, c.outlet, c.medium, c.level, c.tone, c.title, c.topic, "
        "c.link, c.activity_id, coalesce(a.title, ''), c.notes, c.reach, c.unit_id "
        f"{_FROM} WHERE {condition} ORDER BY {order}",
        params).fetchall()
    return [CoverageRow(*row) for row in rows]


def reach_total(db: Database, where: CoverageFilter | None = None) -> ReachTotal:
    """The sum of the known reach of the items matching ``where``, how many items it
    covers and how many there are. Reach only: no advertising value is derived from it."""
    condition, params = _where(where or CoverageFilter())
    total, known, items = db.execute(
        f"SELECT coalesce(sum(c.reach), 0), count(c.reach), count(*) {_FROM} "
        f"WHERE {condition}", params).fetchone()
    return ReachTotal(total=total, known=known, items=items)


def counts(db: Database, where: CoverageFilter | None = None) -> CoverageCounts:
    """The number of items matching ``where`` by medium, level and tone."""
    condition, params = _where(where or CoverageFilter())
    found: dict[str, Counter] = {}
    for column in ("medium", "level", "tone"):
        found[column] = Counter(dict(db.execute(
            f"SELECT c.{column}, count(*) {_FROM} WHERE {condition} GROUP BY c.{column}",
            params).fetchall()))

    def full(counter: Counter, options: dict[str, str]) -> dict[str, int]:
        # Keys outside the vocabulary (an older or hand-edited row) still count.
        return {**{k: counter.get(k, 0) for k in options},
                **{k: n for k, n in counter.items() if k not in options}}

    return CoverageCounts(total=sum(found["tone"].values()),
                          by_medium=full(found["medium"], vocab.MEDIA),
                          by_level=full(found["level"], vocab.LEVELS),
                          by_tone=full(found["tone"], vocab.TONES))


def timeline_step(date_from: str | dt.date, date_to: str | dt.date) -> str:
    """The step a timeline of this range takes: a day up to a month, a week up to half a
    year, a month beyond."""
    days = (parse_date(date_to) - parse_date(date_from)).days + 1
    if days <= _DAYS_PER_DAY_STEP:
        return DAY
    return WEEK if days <= _DAYS_PER_WEEK_STEP else MONTH


def _bucket_start(day: dt.date, step: str) -> dt.date:
    if step == DAY:
        return day
    if step == WEEK:
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)  # back to Sunday
    return day.replace(day=1)


def _next_start(start: dt.date, step: str) -> dt.date:
    if step == DAY:
        return start + dt.timedelta(days=1)
    if step == WEEK:
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def timeline(db: Database, date_from: str, date_to: str, step: str | None = None,
             where: CoverageFilter | None = None) -> list[TimelinePoint]:
    """The number of items in each day, week or month (``step``; None: by the range's
    length, :func:`timeline_step`) of ``date_from``–``date_to``, empty steps included; the
    first and last points are clipped to the range. ``where`` narrows by its other
    fields (its dates are replaced by the range)."""
    start, end = _check_date(date_from), _check_date(date_to)
    if not start or not end:
        raise _error("bad_date", value=date_from if not start else date_to)
    step = step or timeline_step(start, end)
    if step not in (DAY, WEEK, MONTH):
        raise _error("bad_step", value=step)
    # Every other field kept as it is (a field copied by hand is a field one day forgotten).
    rows = list_items(db, replace(where or CoverageFilter(), date_from=start, date_to=end))
    per_bucket = Counter(_bucket_start(dt.date.fromisoformat(r.date), step) for r in rows)
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    points = []
    bucket = _bucket_start(first, step)
    while bucket <= last:
        following = _next_start(bucket, step)
        points.append(TimelinePoint(max(bucket, first).isoformat(),
                                    min(following - dt.timedelta(days=1), last).isoformat(),
                                    per_bucket.get(bucket, 0)))
        bucket = following
    return points


def _stored_outlets(db: Database) -> dict[str, dict[str, Counter]]:
    """Outlet names of stored coverage by search key: the names as written, media and
    levels, each counted by items."""
    groups: dict[str, dict[str, Counter]] = {}
    for outlet, medium, level, n in db.execute(
            f"SELECT c.outlet, c.medium, c.level, count(*) {_FROM} "
            "WHERE c.deleted_at IS NULL AND (a.id IS NULL OR a.deleted_at IS NULL) "
            "AND trim(c.outlet) != '' GROUP BY c.outlet, c.medium, c.level"):
        key = search_key(outlet)
        group = groups.setdefault(key, {"name": Counter(), "medium": Counter(),
                                        "level": Counter()})
        group["name"][outlet.strip()] += n
        group["medium"][medium] += n
        group["level"][level] += n
    return groups


def known_outlets(db: Database) -> list[KnownOutlet]:
    """The outlets of the directory, with their medium and level, then the outlets named
    in stored coverage that the directory lacks (the names as most often written, told
    apart by their Arabic search key, with their most used medium and level); most used
    first."""
    groups = _stored_outlets(db)
    found: dict[str, KnownOutlet] = {}
    for outlet in outlets.list_outlets(db):
        key = search_key(outlet.name)
        if key in found:
            continue
        group = groups.get(key)
        found[key] = KnownOutlet(name=outlet.name, medium=outlet.medium, level=outlet.level,
                                 items=sum(group["name"].values()) if group else 0,
                                 in_directory=True)
    for key, g in groups.items():
        if key not in found:
            found[key] = KnownOutlet(name=g["name"].most_common(1)[0][0],
                                     medium=g["medium"].most_common(1)[0][0],
                                     level=g["level"].most_common(1)[0][0],
                                     items=sum(g["name"].values()))
    return sorted(found.values(), key=lambda o: (-o.items, o.name))


def domain_of(link: str) -> str:
    """The host a link points at, lower case and without ``www.`` ('' for no link):
    ``https://www.Alsumaria.tv/news/1`` → ``alsumaria.tv`` (see
    :func:`models.outlets.domain_of`)."""
    return outlets.domain_of(link)


def propose_outlet(db: Database, link: str) -> KnownOutlet | None:
    """The outlet a pasted link comes from: the directory's outlet of the link's domain,
    else the most used outlet name of earlier items whose link has that domain (with that
    outlet's medium and level); None when neither knows the domain. Sub-domains are told
    apart (``m.facebook.com`` is not ``facebook.com``)."""
    domain = domain_of(link)
    if not domain:
        return None
    listed = outlets.find_by_domain(db, domain)
    if listed is not None:
        key = search_key(listed.name)
        return next((o for o in known_outlets(db) if search_key(o.name) == key), None)
    names: Counter = Counter()
    # The domain's text narrows the rows in SQL; the parsed host decides.
    for outlet, item_link in db.execute(
            f"SELECT c.outlet, c.link {_FROM} WHERE c.deleted_at IS NULL "
            "AND (a.id IS NULL OR a.deleted_at IS NULL) AND trim(c.outlet) != '' "
            "AND instr(lower(c.link), ?) > 0", (domain,)):
        if domain_of(item_link) == domain:
            names[outlet.strip()] += 1
    if not names:
        return None
    best = search_key(names.most_common(1)[0][0])
    return next((o for o in known_outlets(db) if search_key(o.name) == best), None)


def save_item(db: Database, item: records.CoverageItem) -> records.CoverageItem:
    """Store one coverage item (new, or an edit when its id is stored) in one transaction,
    after cleaning it; raises the first :class:`~models.errors.ValidationError` it breaks
    (the form shows them all beforehand through ``records.problems``). An activity in the
    item must exist (:class:`~models.errors.NotFoundError` otherwise). An outlet the
    directory lacks is added to it in the same transaction, with the item's medium and
    level and its link's domain (:func:`models.outlets.ensure`)."""
    cleaned = records.validate(item)
    with db.atomic():
        if cleaned.activity_id:
            store.get(db, records.Activity, cleaned.activity_id)
        saved = store.save(db, cleaned)
        outlets.ensure(db, saved.outlet, saved.medium, saved.level, saved.link)
        return saved
