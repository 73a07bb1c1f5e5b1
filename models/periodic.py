"""What a periodic report (تقرير دوري) says about a date range, read from the database.

:func:`gather` reads everything in one read transaction (one consistent snapshot): the
activities that start in the range, the totals (activities, activities by kind, attendance
rows, distinct persons, participants counting the typed number for activities without a
list, certificates issued in the range) and the activities per month. It returns plain
dataclasses; the Word exporter only lays them out.

The recommendations raised at the period's activities come with them
(:attr:`PeriodicData.recommendations`, each with its status, last note and whether it is
overdue on the report's day, :attr:`PeriodicData.as_of`): a draft activity's only when
drafts are asked for, like the activity itself.

The media coverage published in the period (:attr:`PeriodicData.coverage`, counts by
medium, level and tone, and :attr:`PeriodicData.coverage_items`) and plan against actual
of every plan whose period overlaps the report's (:attr:`PeriodicData.plans`, on the
report's day) are read in the same transaction. Coverage is taken by its publication date
whatever the approval of the activity it covers: an item published is published.

Other report sections plug in with
:func:`register_section`: a named function of ``(db, date_from, date_to)`` whose result
lands in :attr:`PeriodicData.sections` under that name, read in the same transaction.
:func:`period_label` names the period ("تشرين الثاني ٢٠٢٦", "الربع الرابع ٢٠٢٦"…) and
:func:`report_name` the report by it (التقرير الشهري، تقرير الشهرين، التقرير الفصلي، التقرير
السنوي, else التقرير الدوري).

A report goes to the ministry: by default only approved and sent activities
(:data:`REPORTED_STATUSES`) are counted and listed; ``include_drafts`` adds the drafts,
which the report marks «مسودة».

At a ministry centre (:func:`models.bundle_merge.is_centre`) the report is consolidated:
:attr:`PeriodicData.directorates` holds each unit's figures (its activities, counts by
kind, attendance, persons, participants), the totals being across all of them; ``units``
restricts everything (activities, certificates, recommendations, coverage, plans) to
some units' records (:func:`units_named` reads a ``--unit`` text).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from models import coverage, plans, recommendations, store, vocab
from models.arabic import apply_digits
from models.coverage import CoverageCounts, CoverageFilter, CoverageRow
from models.dates import DateStyle, format_month, month_name, parse_date
from models.db import Database
from models.plans import PlanVsActual
from models.recommendations import RecommendationFilter, RecommendationRow
from models.records import Unit
from models.wording import period_phrase, plain

__all__ = [
    "DRAFT",
    "DirectorateFigures",
    "QUARTERS",
    "REPORTED_STATUSES",
    "REPORT_NAMES",
    "SECTIONS_DEFAULT_MAX_DAYS",
    "MonthCount",
    "PeriodicActivity",
    "PeriodicData",
    "PeriodicTotals",
    "count_drafts",
    "gather",
    "months_between",
    "period_kind",
    "period_label",
    "register_section",
    "registered_sections",
    "report_description",
    "report_name",
    "sections_by_default",
    "units_named",
]

QUARTERS = ("الربع الأول", "الربع الثاني", "الربع الثالث", "الربع الرابع")
YEAR = "سنة"
MONTHS_SEPARATOR = " – "
_DEFAULT_STYLE = DateStyle()

# What a list shows as "participants": the list's size, or the typed count without a list
# (the same rule as models.activities and ActivityRow.participants).
_PARTICIPANTS = "(CASE WHEN a.attendees > 0 THEN a.attendees " \
                "ELSE coalesce(a.participants_count, 0) END)"
_IN_RANGE = "a.deleted_at IS NULL AND a.start_date >= ? AND a.start_date <= ?"

DRAFT = "draft"
#: The statuses a report sent out counts by default (see vocab.ACTIVITY_STATUSES): a draft
#: is not yet the unit's word, and a figure sent to the ministry must not include it.
REPORTED_STATUSES = tuple(s for s in vocab.ACTIVITY_STATUSES if s != DRAFT)
_REPORTED = "a.status IN ({})".format(", ".join(f"'{s}'" for s in REPORTED_STATUSES))
#: Per-activity sections are on by default up to the longest quarter (92 days): beyond
#: it a yearly report of a busy unit would run to hundreds of pages.
SECTIONS_DEFAULT_MAX_DAYS = 92


@dataclass(frozen=True)
class PeriodicActivity:
    """One activity of the period, with what the report shows of it."""

    id: str
    kind: str
    title: str
    start_date: str
    end_date: str | None
    place: str
    organiser: str
    summary: str
    status: str
    attendees: int
    participants_count: int | None
    #: The unit it came from (at a centre, one of many).
    unit_id: str = ""

    @property
    def participants(self) -> int:
        """Persons on the list, or the typed count when the activity has no list."""
        return self.attendees or (self.participants_count or 0)

    @property
    def typed_count(self) -> bool:
        """True when the participants figure is the typed count (no attendance list)."""
        return not self.attendees and bool(self.participants_count)

    @property
    def kind_label(self) -> str:
        """The kind as the vocabulary names it ("ورشة عمل")."""
        return vocab.ACTIVITY_KINDS.get(self.kind, self.kind)

    @property
    def is_draft(self) -> bool:
        """True for an activity not yet approved (listed only when drafts are asked for)."""
        return self.status == DRAFT


@dataclass(frozen=True)
class PeriodicTotals:
    """The period's figures. ``by_kind`` maps kind keys to counts, in vocabulary order,
    kinds with no activity left out."""

    activities: int
    by_kind: dict[str, int]
    attendance: int  # attendance rows (a person at two activities counts twice)
    persons: int  # distinct persons on the lists
    participants: int  # attendance rows plus typed counts of activities without a list
    certificates: int  # certificates issued in the range
    drafts: int = 0  # of ``activities``, drafts (0 unless drafts were asked for)


@dataclass(frozen=True)
class MonthCount:
    """Activities starting in one calendar month of the period."""

    year: int
    month: int
    activities: int
    participants: int


@dataclass(frozen=True)
class DirectorateFigures:
    """One unit's part of a centre's consolidated report: its activities of the period
    (in date order), counts by kind (vocabulary order), attendance rows, distinct persons
    and participants (typed counts included, as in :class:`PeriodicTotals`)."""

    unit_id: str
    label: str
    activities: list[PeriodicActivity]
    by_kind: dict[str, int]
    attendance: int
    persons: int
    participants: int


@dataclass
class PeriodicData:
    """Everything a periodic report of ``date_from``–``date_to`` (ISO, inclusive) shows."""

    date_from: str
    date_to: str
    unit: Unit
    activities: list[PeriodicActivity]
    totals: PeriodicTotals
    by_month: list[MonthCount]
    sections: dict[str, Any] = field(default_factory=dict)
    include_drafts: bool = False
    #: The recommendations of the listed activities, ordered by due date, as they stand
    #: on ``as_of`` (ISO: the report's day).
    recommendations: list[RecommendationRow] = field(default_factory=list)
    as_of: str = ""
    #: The media coverage published in the period (by its publication date, whatever
    #: the approval of an activity it covers): counts by medium, level and tone, and the
    #: items oldest first. Counts and tone only, no advertising-value figure.
    coverage: CoverageCounts | None = None
    coverage_items: list[CoverageRow] = field(default_factory=list)
    #: Plan against actual, on :attr:`as_of`, of each plan whose period overlaps the
    #: report's, earliest plan first.
    plans: list[PlanVsActual] = field(default_factory=list)
    #: At a ministry centre: the report is consolidated, one entry per unit that has
    #: activities in the period (by directorate), in :attr:`directorates`.
    centre: bool = False
    directorates: list[DirectorateFigures] = field(default_factory=list)
    #: The units the report was restricted to (None: all of them).
    units: tuple[str, ...] | None = None

    @property
    def overdue_recommendations(self) -> int:
        """Of :attr:`recommendations`, those overdue on :attr:`as_of`."""
        return sum(1 for r in self.recommendations if r.overdue)


# --- sections later issues add --------------------------------------------------------

SectionGatherer = Callable[[Database, str, str], Any]
_SECTIONS: dict[str, SectionGatherer] = {}


def register_section(name: str, gather_section: SectionGatherer) -> None:
    """Add (or replace) a section gathered with the rest: ``gather_section(db, date_from,
    date_to)``'s result is kept in ``PeriodicData.sections[name]``."""
    _SECTIONS[name] = gather_section


def registered_sections() -> list[str]:
    """Names of the extra sections, in registration order."""
    return list(_SECTIONS)


# --- reading ----------------------------------------------------------------------------

@contextlib.contextmanager
def _snapshot(db: Database) -> Iterator[None]:
    """One read transaction (a consistent view in WAL mode), unless one is already open."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        if db.conn.in_transaction:
            db.execute("COMMIT")


def _unit(db: Database) -> Unit:
    return store.get(db, Unit, db.local_unit_id)


def months_between(date_from: str | dt.date, date_to: str | dt.date) -> list[tuple[int, int]]:
    """Every (year, month) from ``date_from``'s month to ``date_to``'s, both included."""
    start, end = parse_date(date_from), parse_date(date_to)
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _check_range(date_from: str | dt.date, date_to: str | dt.date) -> tuple[str, str]:
    start, end = parse_date(date_from), parse_date(date_to)
    if end < start:
        raise ValueError(f"the period ends before it starts: {start} – {end}")
    return start.isoformat(), end.isoformat()


_MSG = {
    "no_unit": ("لا توجد وحدة تطابق «{unit}» في قاعدة البيانات هذه.",
                "No unit matches {unit} in this database."),
}


def units_named(db: Database, text: str) -> tuple[str, ...]:
    """The ids of the units ``text`` names (an id's beginning, or a word of a unit's
    directorate or name: :func:`models.bundle_merge.units`); none raises
    :class:`~models.errors.IttisalError`."""
    from models.bundle_merge import units
    from models.errors import IttisalError

    found = units(db, text)
    if not found:
        arabic, english = _MSG["no_unit"]
        raise IttisalError(arabic.format(unit=text), english.format(unit=text))
    return tuple(found)


def _directorates(db: Database, activities: list[PeriodicActivity], in_range: str,
                  params: tuple[Any, ...], only: tuple[str, ...] | None
                  ) -> list[DirectorateFigures]:
    """Each unit's figures of the period, by directorate (see :class:`DirectorateFigures`):
    every unit whose activities the centre holds, one without any in the period too (the
    ministry sees who reported nothing), or only those of ``only``."""
    from models.activities import activity_units

    labels = {u.id: u.label for u in activity_units(db)
              if only is None or u.id in only}
    kinds: dict[str, Counter] = {}
    for unit_id, kind, n in db.execute(
            f"SELECT a.unit_id, a.kind, count(*) FROM activities a WHERE {in_range} "
            "GROUP BY a.unit_id, a.kind", params):
        kinds.setdefault(unit_id, Counter())[kind] = n
    people = {u: (n, p) for u, n, p in db.execute(
        "SELECT a.unit_id, count(*), count(DISTINCT t.person_id) FROM activities a "
        "JOIN attendance t ON t.activity_id = a.id AND t.deleted_at IS NULL "
        f"WHERE {in_range} GROUP BY a.unit_id", params)}
    by_unit: dict[str, list[PeriodicActivity]] = {u: [] for u in labels}
    for activity in activities:
        by_unit.setdefault(activity.unit_id, []).append(activity)
    out = []
    for unit_id in sorted(by_unit, key=lambda u: (labels.get(u, u), u)):
        found = kinds.get(unit_id, Counter())
        by_kind = {k: found[k] for k in vocab.ACTIVITY_KINDS if found.get(k)}
        by_kind.update(sorted((k, n) for k, n in found.items() if k not in by_kind))
        attendance, persons = people.get(unit_id, (0, 0))
        listed = by_unit[unit_id]
        out.append(DirectorateFigures(unit_id, labels.get(unit_id, unit_id[:8]), listed,
                                      by_kind, attendance, persons,
                                      sum(a.participants for a in listed)))
    return out


def _of_units(db: Database, table: str, ids: list[str], units: tuple[str, ...]) -> set[str]:
    """Of these records' ids, those that came from ``units``."""
    return {r[0] for r in db.execute(
        f"SELECT id FROM {table} WHERE id IN (SELECT value FROM json_each(?)) "
        "AND unit_id IN (SELECT value FROM json_each(?))", (json.dumps(ids), json.dumps(units)))}


def _recount(items: list[CoverageRow]) -> CoverageCounts:
    """:func:`models.coverage.counts` of these items (every vocabulary key, zeros too)."""
    def full(counter: Counter, options: dict[str, str]) -> dict[str, int]:
        return {**{k: counter.get(k, 0) for k in options},
                **{k: n for k, n in counter.items() if k not in options}}

    return CoverageCounts(total=len(items),
                          by_medium=full(Counter(i.medium for i in items), vocab.MEDIA),
                          by_level=full(Counter(i.level for i in items), vocab.LEVELS),
                          by_tone=full(Counter(i.tone for i in items), vocab.TONES))


def gather(db: Database, date_from: str | dt.date, date_to: str | dt.date, *,
           include_drafts: bool = False, today: dt.date | None = None,
           units: Sequence[str] | None = None) -> PeriodicData:
    """The periodic report's data for activities starting from ``date_from`` to
    ``date_to`` (inclusive), read in one transaction: approved and sent activities only,
    drafts too with ``include_drafts`` (certificates and recommendations of a draft
    activity likewise). ``today`` is the report's day, on which a recommendation is
    overdue or not (None: the day it is gathered). ``units``: only these units' records
    (at a centre; None: every unit's). At a centre the figures per directorate come too."""
    from models.bundle_merge import is_centre

    start, end = _check_range(date_from, date_to)
    today = today or dt.date.today()
    only = tuple(units) if units is not None else None
    of_activities = RecommendationFilter(
        date_from=start, date_to=end,
        activity_statuses=None if include_drafts else REPORTED_STATUSES)
    after_end = (parse_date(end) + dt.timedelta(days=1)).isoformat()
    in_range = _IN_RANGE if include_drafts else f"{_IN_RANGE} AND {_REPORTED}"
    of_reported = "" if include_drafts else (
        f"AND EXISTS (SELECT 1 FROM activities a WHERE a.id = c.activity_id AND {_REPORTED})")
    params: tuple[Any, ...] = (start, end)
    of_units = ""
    if only is not None:
        in_range += " AND a.unit_id IN (SELECT value FROM json_each(?))"
        params = (start, end, json.dumps(only))
        of_units = "AND c.unit_id IN (SELECT value FROM json_each(?))"
    with _snapshot(db):
        unit = _unit(db)
        centre = is_centre(db)
        activities = [PeriodicActivity(*row) for row in db.execute(
            "SELECT a.id, a.kind, a.title, a.start_date, a.end_date, a.place, a.organiser, "
            "a.summary, a.status, a.attendees, a.participants_count, a.unit_id "
            f"FROM activities a WHERE {in_range} ORDER BY a.start_date, a.rowid", params)]
        kinds = dict(db.execute(
            f"SELECT a.kind, count(*) FROM activities a WHERE {in_range} GROUP BY a.kind",
            params).fetchall())
        by_kind = {k: kinds.pop(k) for k in vocab.ACTIVITY_KINDS if k in kinds}
        by_kind.update(sorted(kinds.items()))  # kinds the vocabulary no longer knows
        attendance_rows, persons = db.execute(
            "SELECT count(*), count(DISTINCT t.person_id) FROM activities a "
            "JOIN attendance t ON t.activity_id = a.id AND t.deleted_at IS NULL "
            f"WHERE {in_range}", params).fetchone()
        participants = db.scalar(
            f"SELECT coalesce(sum({_PARTICIPANTS}), 0) FROM activities a WHERE {in_range}",
            params)
        certificates = db.scalar(
            "SELECT count(*) FROM certificates c WHERE c.deleted_at IS NULL "
            f"AND c.issued_at >= ? AND c.issued_at < ? {of_reported} {of_units}",
            (start, after_end, *params[2:]))
        per_month = {(int(y), int(m)): (n, p) for y, m, n, p in db.execute(
            "SELECT substr(a.start_date, 1, 4), substr(a.start_date, 6, 2), count(*), "
            f"coalesce(sum({_PARTICIPANTS}), 0) FROM activities a WHERE {in_range} "
            "GROUP BY 1, 2", params)}
        recs = recommendations.list_recommendations(db, of_activities, today=today)
        published = CoverageFilter(date_from=start, date_to=end)
        coverage_counts = coverage.counts(db, published)
        coverage_items = coverage.list_items(db, published)
        # list_plans gives the latest first; a report reads in time order.
        overlapping = list(reversed(plans.list_plans(db, date_from=start, date_to=end)))
        if only is not None:
            listed = {a.id for a in activities}
            recs = [r for r in recs if r.activity_id in listed]
            kept = _of_units(db, "coverage_items", [i.id for i in coverage_items], only)
            coverage_items = [i for i in coverage_items if i.id in kept]
            coverage_counts = _recount(coverage_items)
            kept = _of_units(db, "plans", [p.id for p in overlapping], only)
            overlapping = [p for p in overlapping if p.id in kept]
        against = [plans.plan_vs_actual(db, p.id, today=today) for p in overlapping]
        sections = {name: fn(db, start, end) for name, fn in _SECTIONS.items()}
        directorates = _directorates(db, activities, in_range, params, only) \
            if centre else []
    totals = PeriodicTotals(activities=len(activities), by_kind=by_kind,
                            attendance=attendance_rows, persons=persons,
                            participants=participants, certificates=certificates,
                            drafts=sum(a.is_draft for a in activities))
    by_month = [MonthCount(y, m, *per_month.get((y, m), (0, 0)))
                for y, m in months_between(start, end)]
    return PeriodicData(start, end, unit, activities, totals, by_month, sections,
                        include_drafts=include_drafts, recommendations=recs,
                        as_of=today.isoformat(), coverage=coverage_counts,
                        coverage_items=coverage_items, plans=against, centre=centre,
                        directorates=directorates, units=only)


# --- naming the period ------------------------------------------------------------------

def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return first_next - dt.timedelta(days=1)


def period_label(date_from: str | dt.date, date_to: str | dt.date,
                 style: DateStyle = _DEFAULT_STYLE) -> str:
    """The period as a title names it: "تشرين الثاني ٢٠٢٦" (a whole month), "تشرين الثاني –
    كانون الأول ٢٠٢٦" (whole months), "الربع الرابع ٢٠٢٦" (a quarter), "سنة ٢٠٢٦" (a year),
    otherwise the dates ("١–١٥ تشرين الثاني ٢٠٢٦": :func:`models.wording.period_phrase`,
    with ordinary spaces; :func:`models.wording.hold_dates` holds them in a document)."""
    start, end = parse_date(date_from), parse_date(date_to)
    if end < start:
        raise ValueError(f"the period ends before it starts: {start} – {end}")
    whole_months = start.day == 1 and end == _month_end(end.year, end.month)
    if not whole_months:
        # The one wording of dates, with ordinary spaces: a label also names files and
        # fills the app's fields; a document holds its dates itself (hold_dates).
        return plain(period_phrase(start, end, style))
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 1:
        return format_month(start.year, start.month, style)
    if months == 12 and start.month == 1:
        return apply_digits(f"{YEAR} {start.year}", style.digits)
    if months == 3 and start.month % 3 == 1:
        return apply_digits(f"{QUARTERS[start.month // 3]} {start.year}", style.digits)
    if start.year == end.year:
        text = (f"{month_name(start.month, style)}{MONTHS_SEPARATOR}"
                f"{month_name(end.month, style)} {start.year}")
        return apply_digits(text, style.digits)
    return (format_month(start.year, start.month, style) + MONTHS_SEPARATOR
            + format_month(end.year, end.month, style))


# --- naming the report by its period ----------------------------------------------------

#: A report's name by the kind of period it covers (:func:`period_kind`).
REPORT_NAMES = {
    "month": "التقرير الشهري",
    "two_months": "تقرير الشهرين",  # the unit's plan cycle
    "quarter": "التقرير الفصلي",
    "year": "التقرير السنوي",
    "other": "التقرير الدوري",
}
# How a sentence (a letter's enclosure, its subject) names the report with its period.
_DESCRIPTIONS = {
    "month": "{name} لشهر {period}",
    "two_months": "{name} {period}",
    "quarter": "{name} ل{period}",  # "للربع الرابع ٢٠٢٦": ل before ال drops its alif
    "year": "{name} ل{period}",  # "لسنة ٢٠٢٦"
    "other": "{name} للمدة {period}",
}


def period_kind(date_from: str | dt.date, date_to: str | dt.date) -> str:
    """What the range is, as :data:`REPORT_NAMES` keys it: "month" (one whole calendar
    month), "two_months" (two whole consecutive calendar months), "quarter" (a calendar
    quarter), "year" (1 January to 31 December), otherwise "other"."""
    start, end = parse_date(date_from), parse_date(date_to)
    if end < start:
        raise ValueError(f"the period ends before it starts: {start} – {end}")
    if start.day != 1 or end != _month_end(end.year, end.month):
        return "other"
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 1:
        return "month"
    if months == 2:
        return "two_months"
    if months == 3 and start.month % 3 == 1:
        return "quarter"
    if months == 12 and start.month == 1:
        return "year"
    return "other"


def report_name(date_from: str | dt.date, date_to: str | dt.date) -> str:
    """The report's name by its period: "التقرير الشهري", "تقرير الشهرين", "التقرير
    الفصلي", "التقرير السنوي", or "التقرير الدوري" for any other range."""
    return REPORT_NAMES[period_kind(date_from, date_to)]


def report_description(date_from: str | dt.date, date_to: str | dt.date,
                       style: DateStyle = _DEFAULT_STYLE) -> str:
    """The report and its period in a sentence, as a letter lists its enclosure:
    "التقرير الشهري لشهر تشرين الثاني ٢٠٢٦", "التقرير الفصلي للربع الرابع ٢٠٢٦",
    "التقرير السنوي لسنة ٢٠٢٦", "التقرير الدوري للمدة ١–١٥ تشرين الثاني ٢٠٢٦"."""
    kind = period_kind(date_from, date_to)
    # Ordinary spaces (period_label): the description is the file's property, found by
    # a search for "تشرين الثاني"; the letter that prints it holds its dates itself.
    period = period_label(date_from, date_to, style)
    if kind == "quarter" and period.startswith("ال"):
        period = period[1:]
    return _DESCRIPTIONS[kind].format(name=REPORT_NAMES[kind], period=period)


def sections_by_default(date_from: str | dt.date, date_to: str | dt.date) -> bool:
    """Whether a report of this range has a section per activity unless told otherwise:
    yes up to :data:`SECTIONS_DEFAULT_MAX_DAYS` days (a quarter), no beyond."""
    days = (parse_date(date_to) - parse_date(date_from)).days + 1
    return days <= SECTIONS_DEFAULT_MAX_DAYS


def count_drafts(db: Database, date_from: str | dt.date, date_to: str | dt.date) -> int:
    """Draft activities starting in the range: what a report leaves out by default."""
    start, end = _check_range(date_from, date_to)
    return db.scalar(f"SELECT count(*) FROM activities a WHERE {_IN_RANGE} AND a.status = ?",
                     (start, end, DRAFT))
