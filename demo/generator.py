"""Demo data: two years of one communication unit's work, in Arabic, for trying Ittisal out.

:func:`generate` fills a database with activities, attendees and their attendance,
recommendations with their dated follow-up notes, media coverage (its reach known for about
two items in five) with the directory of the outlets it names, and two-monthly
communication plans, set in a directorate
in Karbala between January 2025 and December 2026. The words come from
:mod:`demo.words`; this module only composes them.

Everything is drawn from ``random.Random(seed)``: ids are UUIDs built from the generator,
timestamps are derived from the records' own dates (never from the clock), so one seed
always gives the same database. The demo world's "today" is :data:`AS_OF`: activities
before it are approved or sent and have recommendations and coverage; later ones are drafts.
Approved and sent activities and plans carry their approval as :func:`models.approval.approve`
and :func:`~models.approval.mark_sent` leave it — approved by the unit's approver (the
demo unit's head) when they were last updated, sent two days later (``sent_version`` the
row version they are loaded with) — so they open locked like records approved in the app.

The data layer (:mod:`models.store`) validates and indexes one record at a time, which is
too slow for the hundred thousand activities a benchmark wants. The rows here are built
valid by construction and bulk-loaded with ``executemany`` in one transaction, a chunk of
activities at a time; the search index is rebuilt once at the end, with the search words
of each piece of text remembered (:class:`models.arabic.IndexWordsCache`: demo text repeats
its words). The tests check a sample of them with :func:`models.records.problems`. No
certificates, no attachments.

It lives outside the data core (:mod:`models`), which it only uses: the app and the command
line offer it to try Ittisal out, and the benchmarks build their databases with it.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import json
import random
import sqlite3
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from demo import words as W
from models import approval, records, schema, search, store, vocab
from models.arabic import IndexWordsCache
from models.dates import IRAQI_MONTHS
from models.db import Database
from models.errors import IttisalError
from models.outlets import domain_of

SPAN_START = dt.date(2025, 1, 1)
SPAN_MONTHS = 24  # to the end of December 2026
SPAN_DAYS = (dt.date(2027, 1, 1) - SPAN_START).days
AS_OF = dt.date(2026, 11, 20)  # the demo's "today"
CHUNK = 5_000  # activities generated and written per step
# Into a database already in use, rows are committed this many at a time (activities; the
# rows that hang off them go in slices four times as long), so that another writer (the
# app's Save, its draft autosave) waits a fraction of a second, not the whole demo.
COMMIT_ROWS = 200
_STEP_PAUSE = 0.03  # seconds between two steps, for the writers waiting on this one

# How often each kind occurs (workshops, meetings and courses most).
KIND_WEIGHTS: dict[str, int] = {
    "workshop": 26, "meeting": 20, "course": 16, "seminar": 8, "conference": 4,
    "field_visit": 8, "campaign": 6, "press_release": 6, "coverage": 5, "other": 1,
}
# How many days an activity of a kind lasts: {kind: (lengths, weights)}.
LENGTHS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "workshop": ((1, 2, 3), (65, 25, 10)),
    "course": ((1, 2, 3, 4, 5), (15, 15, 30, 15, 25)),
    "conference": ((1, 2), (60, 40)),
    "campaign": ((1, 3, 5), (50, 30, 20)),
}
LEARNING = frozenset({"workshop", "course", "seminar", "conference"})
NO_ATTENDEES = frozenset({"press_release", "coverage"})
TONE_WEIGHTS = {"positive": 60, "neutral": 33, "negative": 7}
PRIORITY_WEIGHTS = {"high": 30, "medium": 50, "low": 20}

# The version (4) and variant (RFC 4122) bits of a random UUID.
_UUID4_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID4_SET = (4 << 76) | (0x8000 << 48)
_BEFORE, _AFTER = 120, 400  # days of ISO text kept before SPAN_START and after its end
# Times of day for timestamps: office hours in Baghdad (UTC+3) are 05:00–13:00 UTC.
_TIMES = [f"T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000Z"
          for s in range(5 * 3600, 13 * 3600)]
_VIDEO_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass
class DemoSummary:
    """What one :func:`generate` call added, and how long it took."""

    activities: int = 0
    persons: int = 0
    attendance: int = 0
    recommendations: int = 0
    recommendation_notes: int = 0
    coverage_items: int = 0
    plans: int = 0
    plan_items: int = 0
    seconds: float = 0.0


# --- columns, in the order the generators build their tuples ---------------------------

_COMMON = ("id", "unit_id", "created_at", "updated_at")
# The approval columns (schema v12) of activities and plans: see _Generator.approval.
_APPROVAL = ("approved_by", "approved_at", "sent_at", "sent_version")
COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": _COMMON + ("full_name", "gender", "gender_guessed", "job_title", "entity",
                          "phone", "email", "notes"),
    "activities": _COMMON + ("kind", "title", "start_date", "end_date", "place", "organiser",
                             "partners", "lecturers", "summary", "objectives",
                             "participants_count", "status") + _APPROVAL,
    "attendance": _COMMON + ("activity_id", "person_id", "days"),
    "recommendations": _COMMON + ("activity_id", "text", "addressed_to", "due_date", "status",
                                  "follow_up", "position"),
    "recommendation_notes": _COMMON + ("recommendation_id", "date", "note", "status"),
    "coverage_items": _COMMON + ("date", "outlet", "medium", "level", "tone", "title", "topic",
                                 "link", "activity_id", "notes", "reach"),
    "plans": _COMMON + ("title", "period_start", "period_end", "status", "notes") + _APPROVAL,
    "plan_items": _COMMON + ("plan_id", "title", "objective", "audience", "insight",
                             "strategy", "channels", "date", "owner", "priority", "status",
                             "outputs", "outtakes", "outcomes", "activity_id", "key_message",
                             "tactic", "partners", "measure_kind", "measure_target"),
}


_RECORD_TYPES = {record_type.table: record_type for record_type in records.RECORD_TYPES}


def _with_derived(table: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
                  ) -> tuple[tuple[str, ...], Sequence[tuple[Any, ...]]]:
    """Add the columns a record computes from its fields (``Record.derived``: a person's
    name and phone keys), exactly as :func:`models.store.to_row` would."""
    record_type = _RECORD_TYPES[table]
    if record_type.derived is records.Record.derived or not rows:
        return columns, rows
    extra: tuple[str, ...] = ()
    out = []
    for row in rows:
        derived = store.from_row(record_type, dict(zip(columns, row, strict=True))).derived()
        extra = extra or tuple(derived)
        out.append(row + tuple(derived[name] for name in extra))
    return columns + extra, out


def _insert(conn: sqlite3.Connection, table: str, rows: Sequence[tuple[Any, ...]], *,
            words: search.Words | None = None) -> int:
    """Insert the rows; given the search ``words`` function, put each searchable one in the
    search index too (a load into a database in use, where no rebuild runs at the end)."""
    columns, rows = _with_derived(table, COLUMNS[table], rows)
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    conn.executemany(sql, rows)
    doc_type = search.TYPE_OF_TABLE.get(table) if words is not None else None
    if doc_type is not None:
        for row in rows:
            search.index_row(conn, doc_type, dict(zip(columns, row, strict=True)),
                             words=words)
    if table == search.NOTES_TABLE and words is not None:
        # A recommendation's search entry holds its notes, written after it.
        at = columns.index("recommendation_id")
        for recommendation_id in dict.fromkeys(row[at] for row in rows):
            search.reindex_recommendation(conn, recommendation_id, words=words)
    return len(rows)


_SOCIAL = frozenset({"facebook", "x", "instagram", "telegram", "youtube"})
# Known reach (viewers, readers, followers reached) by medium; an item gives it for about
# two in five items, as monitors seldom learn it.
_REACH_BASE = {"tv": 40_000, "radio": 8_000, "press": 5_000, "news_agency": 3_000,
               "website": 6_000, "facebook": 12_000, "x": 2_500, "instagram": 4_000,
               "telegram": 3_000, "youtube": 1_500, "other": 1_000}


def _reach(medium: str, link: str) -> int | None:
    """A reach for some items, from a hash of the link: drawing it from the generator's
    random source would change every later draw, and so the data of every seed."""
    mark = zlib.crc32(link.encode("utf-8"))
    if mark % 5 >= 2:
        return None
    return _REACH_BASE.get(medium, 1_000) * (50 + mark // 5 % 150) // 100


def _insert_outlets(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> int:
    """Add the outlets the directory lacks (by id or by name)."""
    added = 0
    for row in rows:
        added += conn.execute(
            "INSERT INTO outlets (id, unit_id, created_at, updated_at, name, medium, level, "
            "domain) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM outlets "
            "WHERE id = ? OR (name = ? AND deleted_at IS NULL))",
            (*row, row[0], row[4])).rowcount
    return added


def _json(items: Iterable[Any]) -> str:
    """A list as stored by :func:`models.store.to_row`."""
    return json.dumps(list(items), ensure_ascii=False)


def _weighted(weights: dict[str, int]) -> tuple[list[str], list[int]]:
    keys = list(weights)
    total, cumulative = 0, []
    for key in keys:
        total += weights[key]
        cumulative.append(total)
    return keys, cumulative


# --- one activity's parts --------------------------------------------------------------

@dataclass
class _Activity:
    """What the generator decided about one activity before writing its rows."""

    id: str
    kind: str
    start: int  # day index from SPAN_START
    end: int
    title: str
    as_object: str  # the title as the object of a verb (اجتماعاً …)
    topic: str
    created_at: str
    past: bool  # it has taken place by AS_OF
    partners: list[str] = field(default_factory=list)


@dataclass
class _Batch:
    """The rows of one chunk of activities."""

    activities: list[tuple[Any, ...]] = field(default_factory=list)
    attendance: list[tuple[Any, ...]] = field(default_factory=list)
    recommendations: list[tuple[Any, ...]] = field(default_factory=list)
    # Each note's recommendation is its index in ``recommendations`` until batch() has
    # given the recommendations their ids.
    recommendation_notes: list[tuple[Any, ...]] = field(default_factory=list)
    coverage_items: list[tuple[Any, ...]] = field(default_factory=list)


class _Generator:
    """Draws every value from one seeded random generator, in a fixed order."""

    def __init__(self, rng: random.Random, unit_id: str) -> None:
        self.rng = rng
        self.unit_id = unit_id
        self.identity = rng.choice(W.IDENTITIES)
        self.as_of = (AS_OF - SPAN_START).days
        # ISO text of every day the data may touch, indexed from SPAN_START - _BEFORE.
        self._days = [(SPAN_START + dt.timedelta(days=i - _BEFORE)).isoformat()
                      for i in range(_BEFORE + SPAN_DAYS + _AFTER)]
        self._fridays = {i for i in range(SPAN_DAYS)
                         if (SPAN_START + dt.timedelta(days=i)).weekday() == 4}
        self._kinds = _weighted(KIND_WEIGHTS)
        self._tones = _weighted(TONE_WEIGHTS)
        self._priorities = _weighted(PRIORITY_WEIGHTS)
        self._outlets = list(W.OUTLETS)
        self._outlet_cum = _weighted({str(i): o[4] for i, o in enumerate(W.OUTLETS)})[1]
        self._person_ids: list[str] = []
        self._activity_ids: Iterator[str] = iter(())
        self._days_json: dict[tuple[int, int], str] = {}
        # A few activities per two-month period, for the plans' "done" items.
        self.period_samples: dict[int, list[_Activity]] = {}
        #: Who approved the approved and sent records (set from the unit once it is known).
        self.approver = ""

    # --- small draws ----------------------------------------------------------------

    def approval(self, status: str, approved_day: int, approved_at: str
                 ) -> tuple[str, str | None, str | None, int | None]:
        """The approval columns of a record of ``status`` last updated (approved) at
        ``approved_at``, on day ``approved_day``: a sent one went out two days later (on the
        demo's today at the latest), at the end of the day, as loaded (row version 1).
        Nothing is drawn from the random source: every other value stays as it was."""
        if status not in ("approved", "sent"):
            return "", None, None, None
        if status == "approved":
            return self.approver, approved_at, None, None
        sent_at = self.day(min(approved_day + 2, self.as_of)) + _TIMES[-1]
        return self.approver, approved_at, max(sent_at, approved_at), 1

    def new_id(self) -> str:
        """``str(uuid.UUID(int=rng.getrandbits(128), version=4))``, three times faster."""
        digits = f"{self.rng.getrandbits(128) & _UUID4_KEEP | _UUID4_SET:032x}"
        return (f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-"
                f"{digits[20:]}")

    def day(self, index: int) -> str:
        """The ISO date ``index`` days after SPAN_START."""
        return self._days[index + _BEFORE]

    def stamp(self, index: int) -> str:
        """A timestamp during office hours (Baghdad, UTC+3) of that day."""
        return self._days[index + _BEFORE] + _TIMES[self.rng.randrange(len(_TIMES))]

    def pick(self, keys_and_cumulative: tuple[list[str], list[int]]) -> str:
        keys, cumulative = keys_and_cumulative
        return keys[bisect.bisect(cumulative, self.rng.randrange(cumulative[-1]))]

    def fill(self, template: str, **values: str) -> str:
        values.setdefault("ministry", self.identity["ministry"])
        values.setdefault("directorate", self.identity["directorate"])
        return template.format(**values)

    # --- people ---------------------------------------------------------------------

    def name(self, female: bool, parts: int | None = None) -> tuple[str, str, str]:
        """A full name and the Latin of its first and family names (for e-mail)."""
        rng = self.rng
        first, first_latin = rng.choice(W.FEMALE_FIRST if female else W.MALE_FIRST)
        if parts is None:
            parts = rng.choices((3, 4, 5), (12, 78, 10))[0]
        elders = [rng.choice(W.ELDER_NAMES) if rng.random() < 0.45
                  else rng.choice(W.MALE_FIRST)[0] for _ in range(parts - 1)]
        family, family_latin = ("", "")
        if parts == 3 or rng.random() < 0.85:
            family, family_latin = rng.choice(W.FAMILIES)
            elders[-1] = family
        return " ".join([first, *elders]), first_latin, family_latin

    def sorted_ids(self, count: int) -> list[str]:
        """``count`` new ids in ascending order: a chunk's rows get them in the order they
        are written, so the primary-key indexes grow at one end (a third faster to load)."""
        return sorted(self.new_id() for _ in range(count))

    def with_ids(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The rows with new ids put in front of them."""
        return [(row_id, *row) for row_id, row in zip(self.sorted_ids(len(rows)), rows,
                                                      strict=True)]

    def persons(self, count: int) -> list[tuple[Any, ...]]:
        rng, rows = self.rng, []
        for person_id in self.sorted_ids(count):
            female = rng.random() < 0.38
            full_name, first_latin, family_latin = self.name(female)
            job = rng.choice(W.JOB_TITLES)[1 if female else 0]
            phone = ""
            if rng.random() < 0.9:
                phone = rng.choice(W.PHONE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
            email = ""
            if rng.random() < 0.3:
                domain = rng.choice(W.MAIL_DOMAINS + (self.identity["mail"],))
                email = f"{first_latin}.{family_latin or 'iq'}{rng.randrange(1, 100)}@{domain}"
            stamp = self.stamp(-rng.randrange(1, _BEFORE))
            self._person_ids.append(person_id)
            rows.append((person_id, self.unit_id, stamp, stamp, full_name,
                         "f" if female else "m", 0, job, rng.choice(W.ENTITIES), phone, email,
                         ""))
        return rows

    def lecturer(self) -> tuple[str, bool]:
        """A lecturer's title and three-part name, and whether she is a woman."""
        female = self.rng.random() < 0.3
        title = self.rng.choice(W.LECTURER_TITLES)[1 if female else 0]
        return f"{title} {self.name(female, parts=3)[0]}", female

    # --- unit -------------------------------------------------------------------------

    def unit_values(self) -> dict[str, str]:
        head_female, coordinator_female = self.rng.random() < 0.3, self.rng.random() < 0.4
        identity = self.identity
        return {
            "ministry": identity["ministry"],
            "directorate": identity["directorate"],
            "name": identity["name"],
            "city": identity["city"],
            "head_name": self.name(head_female, parts=4)[0],
            "head_title": identity["head_title"][head_female],
            "coordinator_name": self.name(coordinator_female, parts=4)[0],
            "coordinator_title": W.COORDINATOR_TITLE[coordinator_female],
            "certificate_prefix": identity["prefix"],
        }

    # --- activities -------------------------------------------------------------------

    def batch(self, count: int) -> _Batch:
        """The rows of ``count`` activities and everything that hangs off them."""
        out = _Batch()
        self._activity_ids = iter(self.sorted_ids(count))
        for _ in range(count):
            self.activity(out)
        out.attendance = self.with_ids(out.attendance)
        out.recommendations = self.with_ids(out.recommendations)
        out.recommendation_notes = self.with_ids([
            (unit, created, updated, out.recommendations[index][0], *rest)
            for unit, created, updated, index, *rest in out.recommendation_notes])
        out.coverage_items = self.with_ids(out.coverage_items)
        return out

    def activity(self, out: _Batch) -> None:
        rng = self.rng
        kind = self.pick(self._kinds)
        start = rng.randrange(SPAN_DAYS)
        if start in self._fridays:  # no work on Fridays
            start += -1 if start > 0 else 1
        lengths = LENGTHS.get(kind)
        days = rng.choices(*lengths)[0] if lengths else 1
        end = start + days - 1
        past = start <= self.as_of
        title, lead_object, topic = self.title(kind)
        organiser = self.organiser(kind)
        partners = self.partners(organiser)
        place = self.place(kind, topic)
        lecturers = ([self.lecturer() for _ in range(rng.choice((1, 1, 2, 3)))]
                     if kind in LEARNING else [])
        n_recs = rng.choice((0, 1, 2, 2, 3, 4)) if kind in LEARNING and end < self.as_of else 0
        status = self.status(start, end)
        lead = 3 if kind in NO_ATTENDEES else rng.randrange(2, 22)
        created_day = min(start - lead, self.as_of - rng.randrange(1, 10))
        created = self.stamp(created_day)
        updated, updated_day = created, created_day
        if status != "draft" or end < self.as_of:
            updated_day = min(end + rng.randrange(0, 5), self.as_of)
            updated = self.stamp(updated_day)
        act = _Activity(next(self._activity_ids), kind, start, end, title, lead_object, topic,
                        created, past, partners)
        audience = rng.choice(W.AUDIENCES)
        summary = self.summary(act, lead_object, organiser, place, audience, lecturers,
                               n_recs)
        count = self.attendance(act, out)
        out.activities.append((
            act.id, self.unit_id, created, updated, kind, title, self.day(start),
            self.day(end) if end > start or rng.random() < 0.5 else None, place, organiser,
            _json(partners), _json(name for name, _female in lecturers), summary,
            self.objectives(kind, topic), count, status,
            *self.approval(status, updated_day, updated)))
        self.recommendations(act, n_recs, out)
        if past:
            self.coverage(act, out)
        self.remember(act)

    def title(self, kind: str) -> tuple[str, str, str]:
        """The title, the same as the object of the summary's verb, and the topic."""
        rng = self.rng
        topic = rng.choice(W.TOPICS)
        if kind in W.TITLE_FORMS:
            title = rng.choice(W.TITLE_FORMS[kind]).format(topic=topic)
            return title, title, topic
        if kind == "meeting":
            entity = rng.choice(W.ENTITIES)
            title, lead = (t.format(topic=topic, entity=entity) for t in rng.choice(W.MEETINGS))
            return title, lead, topic
        if kind == "field_visit":
            site = rng.choice(W.VISIT_SITES)
            return f"زيارة ميدانية إلى {site}", site, site
        if kind == "campaign":
            if rng.random() < 0.5:
                slogan = rng.choice(W.CAMPAIGNS)
                return f"حملة توعوية بعنوان «{slogan}»", slogan, slogan
            return f"حملة توعوية حول {topic}", topic, topic
        if kind == "press_release":
            subject = rng.choice(W.PRESS_SUBJECTS)
            return f"بيان صحفي بشأن {subject}", subject, subject
        if kind == "coverage":
            event = rng.choice(W.EVENTS)
            return f"تغطية إعلامية ل{event}", event, event
        title = rng.choice(W.OTHER_TITLES).format(topic=topic, entity=rng.choice(W.ENTITIES))
        return title, title, topic

    def organiser(self, kind: str) -> str:
        identity, roll = self.identity, self.rng.random()
        if roll < 0.6 or kind in NO_ATTENDEES:
            return identity["directorate"]
        if roll < 0.75:
            return f"{identity['name']} في {identity['short']}"
        return self.fill(self.rng.choice(W.ORGANISERS))

    def partners(self, organiser: str) -> list[str]:
        count = self.rng.choices((0, 1, 2), (40, 45, 15))[0]
        chosen = self.rng.sample(W.PARTNERS, count)
        return [p for p in chosen if p not in organiser and p != self.identity["short"]]

    def place(self, kind: str, topic: str) -> str:
        if kind == "field_visit":
            return topic
        if kind == "press_release":
            return self.identity["directorate"]
        return self.fill(self.rng.choice(W.PLACES))

    def status(self, start: int, end: int) -> str:
        rng = self.rng
        if end < self.as_of - 10:
            return rng.choices(("sent", "approved", "draft"), (55, 40, 5))[0]
        if end < self.as_of:
            return rng.choices(("draft", "approved", "sent"), (50, 40, 10))[0]
        return "draft"

    # --- summary and objectives -----------------------------------------------------

    def summary(self, act: _Activity, lead_object: str, organiser: str, place: str,
                audience: str, lecturers: list[tuple[str, bool]], n_recs: int) -> str:
        rng = self.rng
        ref, feminine = W.REFS[act.kind]
        slots = {"ref": ref, "t": "ت" if feminine else "", "h": "ها" if feminine else "ه",
                 "topic": act.topic, "topic2": rng.choice(W.TOPICS),
                 "partner": act.partners[0] if act.partners else rng.choice(W.ENTITIES)}
        if not act.past:
            verb = W.PLANNED_VERBS.get(act.kind, W.PLANNED_VERB_DEFAULT)
            what = (f"التغطية الإعلامية ل{lead_object}" if act.kind == "coverage"
                    else f"{verb} {act.title}")
            where = "" if act.kind in ("field_visit", "press_release") else " " + _at(place)
            who = "" if act.kind in NO_ATTENDEES else f"، بمشاركة {audience}"
            return f"تعتزم {organiser} {what}{where}{who}. {rng.choice(W.CONTEXT_SENTENCES)}"
        templates = self.body(act.kind, len(lecturers))
        if rng.random() < 0.25:
            templates.append(rng.choice(W.CONTEXT_SENTENCES))
        if n_recs:
            templates.append(rng.choice(W.CLOSINGS_RECOMMENDATIONS))
        elif act.kind in LEARNING:
            templates.append(rng.choice(W.CLOSINGS_CERTIFICATES))
        else:
            templates.append(rng.choice(W.CLOSINGS_OTHER))
        sentences = [self.lead(act, lead_object, organiser, place, audience)]
        if len(lecturers) == 1:
            (name, female), = lecturers
            sentences.append(f"وحاضر{'ت' if female else ''} في{slots['h']} {name}.")
        elif lecturers:
            names = " و".join(name for name, _female in lecturers)
            sentences.append(f"وحاضر في{slots['h']} كلٌّ من {names}.")
        sentences += (t.format(**slots) for t in templates if t)
        return " ".join(sentences)

    def lead(self, act: _Activity, lead_object: str, organiser: str, place: str,
             audience: str) -> str:
        kind, rng = act.kind, self.rng
        with_partners = ""
        if act.partners:
            with_partners = "، بالتعاون مع " + " و".join(act.partners) + "،"
        if kind == "meeting":
            return f"عقدت {organiser} {lead_object} {_at(place)}، بحضور {audience}."
        if kind == "field_visit":
            return f"أجرى وفد من {organiser} زيارة ميدانية إلى {lead_object}."
        if kind == "campaign":
            return f"أطلقت {organiser}{with_partners} {act.title}، تستهدف {audience}."
        if kind == "press_release":
            return f"أصدرت {organiser} بياناً صحفياً بشأن {lead_object}."
        if kind == "coverage":
            unit = f"{self.identity['name']} في {self.identity['short']}"
            return f"تولّت {unit} التغطية الإعلامية ل{lead_object} {_at(place)}."
        days = act.end - act.start + 1
        during = f"، على مدى {W.DAYS_PHRASE[days]}" if days > 1 else ""
        return (f"{rng.choice(W.LEAD_VERBS)} {organiser}{with_partners} {lead_object} "
                f"{_at(place)}، بمشاركة {audience}{during}.")

    def body(self, kind: str, lecturers: int) -> list[str]:
        """Sentence templates after the lead (slots still to fill)."""
        rng = self.rng
        if kind in W.BODY_BY_KIND:
            pool = W.BODY_BY_KIND[kind]
            return rng.sample(pool, rng.randint(1, len(pool)))
        templates = [rng.choice(W.BODY_DISCUSSION)]
        if lecturers > 1 and rng.random() < 0.4:  # "المحاضرون": two or more
            templates.append(rng.choice(W.BODY_LECTURES))
        return templates

    def objectives(self, kind: str, topic: str) -> str:
        if kind in NO_ATTENDEES or kind == "other":
            return ""
        chosen = self.rng.sample(W.OBJECTIVES, self.rng.randint(2, 4))
        return "\n".join(number + line.format(topic=topic)
                         for number, line in zip(W.OBJECTIVE_NUMBERS, chosen, strict=False))

    # --- rows that hang off an activity ---------------------------------------------

    def attendance(self, act: _Activity, out: _Batch) -> int | None:
        """Add the attendance rows; return the typed participants count, if any."""
        rng = self.rng
        if act.kind in NO_ATTENDEES:
            return None
        if rng.random() < 0.12:
            return rng.randrange(8, 121)
        size = min(25, int(rng.triangular(3, 26, 10)), len(self._person_ids))
        length = act.end - act.start + 1
        people = [self._person_ids[i] for i in rng.sample(range(len(self._person_ids)), size)]
        if act.past and length > 1:
            days = [self.days_attended(length) for _ in people]
        else:
            days = ["[1]" if act.past else "[]"] * size  # nobody has come to a future one
        out.attendance.extend(zip(repeat(self.unit_id), repeat(act.created_at),
                                  repeat(act.created_at), repeat(act.id), people, days))
        return None

    def days_attended(self, length: int) -> str:
        """JSON list of the 1-based days someone came to a past activity of ``length`` days."""
        mask = (1 << length) - 1
        if self.rng.random() < 0.25:
            mask = self.rng.randrange(1, mask)  # some days, not all
        key = (length, mask)
        if key not in self._days_json:
            self._days_json[key] = _json(d + 1 for d in range(length) if mask >> d & 1)
        return self._days_json[key]

    def recommendations(self, act: _Activity, count: int, out: _Batch) -> None:
        rng = self.rng
        for position, text in enumerate(rng.sample(W.RECOMMENDATIONS, count), start=1):
            due = act.end + rng.randrange(30, 151)
            if due < self.as_of:
                status = rng.choices(("done", "in_progress", "rejected", "raised"),
                                     (50, 20, 10, 20))[0]
            else:
                status = rng.choices(("raised", "in_progress"), (55, 45))[0]
            addressee = rng.choice(W.ADDRESSEES)
            created = self.stamp(act.end)
            notes = self.notes(act, status, addressee)
            # The recommendation was last changed by its last note.
            updated = notes[-1][0] if notes else created
            index = len(out.recommendations)
            out.recommendations.append((
                self.unit_id, created, updated, act.id, text, addressee, self.day(due),
                status, "", position))
            for stamp, note, note_status in notes:
                out.recommendation_notes.append(
                    (self.unit_id, stamp, stamp, index, stamp[:10], note, note_status))

    def notes(self, act: _Activity, status: str, addressee: str
              ) -> list[tuple[str, str, str]]:
        """A recommendation's follow-up history: one to three (timestamp, note, status)
        on distinct days within five months after the activity and by the demo's today,
        oldest first. Its
        statuses lead to ``status``: a done or impossible one went through «قيد التنفيذ»
        when it has two notes or more; a note that changes nothing has status ''."""
        rng = self.rng
        # Within five months of the activity, as a unit chases its recommendations.
        first, last = act.end + 1, min(self.as_of, act.end + 150)
        count = min(rng.choice((1, 1, 2, 2, 3)), last - first + 1)
        days = sorted(rng.sample(range(first, last + 1), count))
        if status == "raised":
            statuses = [""] * count
        elif status == "in_progress":
            statuses = [""] * (count - 1) + [status]
        elif count == 1:
            statuses = [status]
        else:
            statuses = [""] * (count - 2) + ["in_progress", status]
        history = []
        for i, (day, note_status) in enumerate(zip(days, statuses, strict=True)):
            if note_status:
                text = rng.choice(W.FOLLOW_UPS[note_status])
            elif i == 0:
                text = rng.choice(_SENT_NOTES)
            else:
                text = rng.choice(_WAITING_NOTES)
            text = text.format(number=rng.randrange(100, 10_000), addressee=addressee)
            history.append((self.stamp(day), text, note_status))
        return history

    def coverage(self, act: _Activity, out: _Batch) -> None:
        rng = self.rng
        many = act.kind in NO_ATTENDEES
        count = rng.choice((1, 1, 2, 3)) if many else rng.choices((0, 1, 2), (62, 28, 10))[0]
        for _ in range(count):
            outlet, medium, level, base, _weight = self._outlets[
                bisect.bisect(self._outlet_cum, rng.randrange(self._outlet_cum[-1]))]
            tone = self.pick(self._tones)
            pool = (W.COVERAGE_TITLES_BAD if tone == "negative"
                    else W.COVERAGE_TITLES[act.kind])
            template = rng.choice(pool)
            if "{partner}" in template and not act.partners:
                template = "{title}"
            title = template.format(title=act.title, object=act.as_object,
                                    short=self.identity["short"],
                                    city=self.identity["city"],
                                    partner=act.partners[0] if act.partners else "")
            day = min(act.end + rng.randrange(0, 4), SPAN_DAYS + _AFTER - 1)
            stamp = self.stamp(day)
            link = self.link(base)
            out.coverage_items.append((
                self.unit_id, stamp, stamp, self.day(day), outlet, medium,
                level, tone, title, act.topic, link, act.id,
                rng.choice(W.COVERAGE_NOTES), _reach(medium, link)))

    def outlets(self) -> list[tuple[Any, ...]]:
        """The directory of outlets the coverage names (ids fixed by the unit and the name,
        so a second seed into the same file finds them there, and two demo units' outlets
        stay apart at a ministry centre): a web outlet with its domain, a page on
        a social network (or a second outlet of one host) without one."""
        rows, taken = [], set()
        stamp = self.day(0) + _TIMES[0]
        for name, medium, level, base, _weight in W.OUTLETS:
            domain = "" if medium in _SOCIAL else domain_of(base)
            if domain in taken:
                domain = ""
            taken.add(domain)
            outlet_id = str(uuid.uuid5(
                uuid.NAMESPACE_URL, f"ittisal-demo-outlet:{self.unit_id}:{name}"))
            rows.append((outlet_id, self.unit_id, stamp, stamp, name, medium, level, domain))
        return rows

    def link(self, base: str) -> str:
        base = base.replace("{slug}", self.identity["slug"])
        if "youtube" in base:
            return base + "".join(self.rng.choices(_VIDEO_ID_CHARS, k=11))
        return f"{base}{self.rng.randrange(10_000, 10_000_000)}"

    def remember(self, act: _Activity) -> None:
        iso = self.day(act.start)
        month = (int(iso[:4]) - SPAN_START.year) * 12 + int(iso[5:7]) - 1
        samples = self.period_samples.setdefault(month // 2, [])
        if len(samples) < 16 and act.past:
            samples.append(act)

    # --- communication plans --------------------------------------------------------
    # A "done" item is always one a sampled activity of its period carried out (linked):
    # done without an activity would count as not done in plan against actual. Items
    # drawn without one whose day has passed were postponed, cancelled, or left planned.

    def plans(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        plans: list[tuple[Any, ...]] = []
        items: list[tuple[Any, ...]] = []
        for period in range(SPAN_MONTHS // 2):
            first = _add_months(SPAN_START, 2 * period)
            last = _add_months(first, 2) - dt.timedelta(days=1)
            start, end = (first - SPAN_START).days, (last - SPAN_START).days
            plan_id = self.new_id()
            if end < self.as_of:
                status = self.rng.choices(("sent", "approved"), (80, 20))[0]
            else:
                status = "approved" if start <= self.as_of else "draft"
            created = self.stamp(start - self.rng.randrange(5, 15))
            updated_day = min(end, self.as_of)
            updated = self.stamp(updated_day) if status != "draft" else created
            second = _add_months(first, 1)
            title = W.PLAN_TITLE.format(first=IRAQI_MONTHS[first.month - 1],
                                        second=IRAQI_MONTHS[second.month - 1],
                                        year=second.year)
            plans.append((plan_id, self.unit_id, created, updated, title, first.isoformat(),
                          last.isoformat(), status, self.rng.choice(W.PLAN_NOTES),
                          *self.approval(status, updated_day, updated)))
            samples = list(self.period_samples.get(period, []))
            for _ in range(self.rng.randint(4, 8)):
                items.append(self.plan_item(plan_id, start, end, created, samples))
        return plans, items

    def plan_item(self, plan_id: str, start: int, end: int, created: str,
                  samples: list[_Activity]) -> tuple[Any, ...]:
        rng = self.rng
        activity: _Activity | None = None
        if samples and rng.random() < 0.7:
            activity = samples.pop(rng.randrange(len(samples)))
            title, day, topic = activity.title, activity.start, activity.topic
            status = "done"
            if rng.random() < 0.2:  # planned some days earlier: done late
                day = max(start, day - rng.randint(3, 10))
        else:
            title, _lead, topic = self.title(rng.choice(
                ("workshop", "course", "seminar", "campaign", "meeting", "press_release")))
            day = rng.randrange(start, end + 1)
            status = ("planned" if day >= self.as_of else
                      rng.choices(("planned", "postponed", "cancelled"), (40, 35, 25))[0])
        media = [key for key in vocab.MEDIA if key != "other"]
        channels = sorted(rng.sample(media, rng.randint(1, 4)), key=media.index)
        done = status == "done"
        updated = self.stamp(min(day + 1, self.as_of)) if status != "planned" else created
        return (self.new_id(), self.unit_id, created, updated, plan_id, title,
                rng.choice(W.OBJECTIVES).format(topic=topic), rng.choice(W.PLAN_AUDIENCES),
                rng.choice(W.PLAN_INSIGHTS), rng.choice(W.PLAN_STRATEGIES), _json(channels),
                self.day(day), rng.choice(W.PLAN_OWNERS), self.pick(self._priorities), status,
                rng.choice(W.PLAN_OUTPUTS) if done else "",
                rng.choice(W.PLAN_OUTTAKES) if done else "", "",
                activity.id if activity else None, *self.plan_item_shape(topic))

    def plan_item_shape(self, topic: str) -> tuple[str, str, str, str, str]:
        """Key message, tactic, partners, measure level and target: filled for about
        half the items (the rest were entered before the form asked for them)."""
        rng = self.rng
        if rng.random() < 0.5:
            return "", "", "", "", ""
        kind = rng.choice(tuple(vocab.MEASURE_KINDS))
        return (rng.choice(_KEY_MESSAGES).format(topic=topic), rng.choice(_TACTICS),
                rng.choice(_PLAN_PARTNERS), kind,
                rng.choice(_TARGETS[kind]).format(n=rng.choice((3, 5, 10, 20, 60, 70))))


# The plan items' key messages, tactics, partners and targets by measure level.
_KEY_MESSAGES = ("{topic}: المعلومة الصحيحة من مصدرها الرسمي.",
                 "{topic} مسؤولية مشتركة بين المؤسسة والمواطن.",
                 "نعمل بشفافية في {topic}، وأبوابنا مفتوحة للأسئلة.")
_TACTICS = ("بث مباشر على الصفحة الرسمية مع أسئلة الجمهور",
            "سلسلة منشورات قصيرة (إنفوغراف) قبل الفعالية وبعدها",
            "دعوة المراسلين المحليين وتزويدهم بملف صحفي",
            "لقاء إذاعي مع المسؤول المختص")
_PLAN_PARTNERS = ("مديرية التربية", "دائرة صحة المحافظة", "جامعة كربلاء",
                  "منظمات المجتمع المدني", "قيادة الشرطة")
_TARGETS = {"output": ("{n} منشورات على الصفحة الرسمية", "{n} تقارير في وسائل الإعلام"),
            "outtake": ("{n}٪ من المشاركين يعرفون الخدمة في استبيان ما بعد الفعالية",
                        "{n} ألف مشاهدة للمقطع"),
            "outcome": ("زيادة المراجعين للخدمة بنسبة {n}٪",
                        "{n} طلباً إلكترونياً في الشهر التالي")}


# The notes of a follow-up that change no status: the recommendation sent, then chased.
_SENT_NOTES = ("رفعت التوصية إلى {addressee} بالكتاب ذي العدد {number}.",
               "أرسلت التوصية إلى {addressee} مع محضر النشاط.")
_WAITING_NOTES = ("تمت متابعة {addressee} هاتفياً ولم يصل الرد بعد.",
                  "أعيدت مخاطبة {addressee} بالكتاب ذي العدد {number}.")


def _at(place: str) -> str:
    """The place after a verb: "على قاعة …", "في …", or "عبر …" as it is."""
    if place.startswith("عبر"):
        return place
    if place.startswith(("قاعة", "القاعة")):
        return f"على {place}"
    return f"في {place}"


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# --- bulk loading ------------------------------------------------------------------------

# Page cache while loading (KiB, as PRAGMA cache_size takes it when negative): the indexes
# on random UUIDs are written all over; when their pages stay in memory a load is twice
# as fast. Only what is used is allocated.
_LOAD_CACHE_KIB = 512 * 1024


@contextlib.contextmanager
def _bulk_load(conn: sqlite3.Connection, tables: Iterable[str]) -> Iterator[None]:
    """Inside a transaction: a large page cache; the tables' secondary indexes dropped and
    created again from their own SQL at the end (a sort beats a million random inserts);
    the attendee-count triggers dropped, the counts set once at the end, the triggers put
    back (one trigger update of an activity per attendance row tripled the load).

    On an error nothing is recreated: the caller's rollback brings it all back.
    """
    names = tuple(tables)
    marks = ", ".join("?" * len(names))
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})", names).fetchall()
    triggers = schema.count_trigger_sql(conn)
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-_LOAD_CACHE_KIB}")
    try:
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for name in schema.ATTENDEE_COUNT_TRIGGERS:
            conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        yield
        for _name, sql in indexes:
            conn.execute(sql)
        if triggers:
            schema.recount_attendees(conn)
        for sql in triggers:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")


# FTS5 keeps this many bytes of new index data in memory before it writes a segment
# (default 1 MiB). A rebuild with 64 MiB writes a quarter as many segments and merges less:
# a third faster.
_LOAD_FTS_HASH = 64 * 1024 * 1024
_DEFAULT_FTS_HASH = 1024 * 1024


@contextlib.contextmanager
def _fts_hash(conn: sqlite3.Connection, size: int) -> Iterator[None]:
    """The search index's ``hashsize`` set to ``size`` for the block, then put back; where
    this SQLite does not know the setting, nothing changes."""
    setting = "INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', ?)"
    try:
        row = conn.execute("SELECT v FROM search_fts_config WHERE k = 'hashsize'").fetchone()
        conn.execute(setting, (size,))
    except sqlite3.OperationalError:
        yield
        return
    before = row[0] if row else _DEFAULT_FTS_HASH
    try:
        yield
    finally:
        conn.execute(setting, (before,))


def _fill_unit(conn: sqlite3.Connection, unit_id: str, values: dict[str, str]) -> None:
    """Give the local unit its demo identity, unless someone already entered one."""
    row = conn.execute("SELECT ministry, directorate, name, created_at FROM units "
                       "WHERE id = ?", (unit_id,)).fetchone()
    if row is None or any(row[:3]):
        return
    start = f"{SPAN_START.isoformat()}T05:00:00.000Z"
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE units SET {assignments}, updated_at = ? WHERE id = ?",
                 (*values.values(), max(row[3], start), unit_id))


def generate(db: Database, *, activities: int = 200, seed: int = 1,
             progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fill ``db`` with demo data around ``activities`` activities; the same seed, the same data.

    Adds about ``activities // 2 + 50`` persons, ten attendance rows, one recommendation and
    half a coverage item per activity, and one plan (4–8 items) per two months. The local
    unit gets a demo identity if it has none. ``progress(done, total)`` is called after each
    chunk of activities.

    Into a new, empty database it is one transaction (the fastest load: indexes and the
    search index are built once at the end), and on any error nothing is added. Into a
    database that already holds activities or persons, which someone may be using, the
    rows are committed :data:`COMMIT_ROWS` activities at a time with their search
    entries, so that other writers get in between; an error or an interruption then
    keeps the steps already committed (the first step holds the persons: a seed already
    used fails there, adding nothing). The data are the same either way. Running a seed
    twice into one file fails (its ids already exist): use another seed.
    """
    if activities < 0:
        raise ValueError(f"activities must be >= 0, got {activities}")
    if not _is_empty(db):
        return _generate_in_steps(db, activities, seed, progress)
    started = time.perf_counter()
    gen = _Generator(random.Random(seed), db.local_unit_id)
    unit_values = gen.unit_values()
    summary = DemoSummary()
    conn = db.conn
    try:
        with db.atomic(), _bulk_load(conn, COLUMNS):
            _fill_unit(conn, db.local_unit_id, unit_values)
            gen.approver = approval.approver(db) or unit_values["head_name"]
            summary.persons = _insert(conn, "persons", gen.persons(activities // 2 + 50))
            done = 0
            while done < activities:
                size = min(CHUNK, activities - done)
                batch = gen.batch(size)
                summary.activities += _insert(conn, "activities", batch.activities)
                summary.attendance += _insert(conn, "attendance", batch.attendance)
                summary.recommendations += _insert(conn, "recommendations",
                                                   batch.recommendations)
                summary.recommendation_notes += _insert(conn, "recommendation_notes",
                                                        batch.recommendation_notes)
                summary.coverage_items += _insert(conn, "coverage_items", batch.coverage_items)
                done += size
                if progress is not None:
                    progress(done, activities)
            plans, items = gen.plans()
            summary.plans = _insert(conn, "plans", plans)
            summary.plan_items = _insert(conn, "plan_items", items)
            _insert_outlets(conn, gen.outlets())
            with _fts_hash(conn, _LOAD_FTS_HASH):
                search.rebuild(conn, words=IndexWordsCache())
    except sqlite3.IntegrityError as exc:
        raise _seed_used(db, seed) from exc
    summary.seconds = time.perf_counter() - started
    return summary


def _seed_used(db: Database, seed: int) -> IttisalError:
    return IttisalError(
        f"البيانات التجريبية للبذرة {seed} موجودة في قاعدة البيانات من قبل؛ "
        f"استعمل بذرة أخرى، مثل: demo --seed {seed + 1}",
        f"Demo data for seed {seed} is already in {db.path}; use another seed, "
        f"e.g. demo --seed {seed + 1}")


def _is_empty(db: Database) -> bool:
    """No activity and no person yet: a new file, which nobody else is using."""
    return not (db.scalar("SELECT EXISTS (SELECT 1 FROM activities)")
                or db.scalar("SELECT EXISTS (SELECT 1 FROM persons)"))


def _slices(rows: Sequence[tuple[Any, ...]], size: int) -> Iterator[Sequence[tuple[Any, ...]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _generate_in_steps(db: Database, activities: int, seed: int,
                       progress: Callable[[int, int], None] | None) -> DemoSummary:
    """:func:`generate` into a database in use: short transactions, the search index
    kept as rows go in. The generator draws exactly as in one transaction, so the data
    are the same; only the writing is sliced (parents always before their children)."""
    started = time.perf_counter()
    gen = _Generator(random.Random(seed), db.local_unit_id)
    unit_values = gen.unit_values()
    summary = DemoSummary()
    conn = db.conn
    person_rows = gen.persons(activities // 2 + 50)
    # The ids are sorted, so an earlier, smaller run of this seed collides in some later
    # step, not the first: look before the first step commits anything.
    for part in _slices([row[0] for row in person_rows], 500):
        marks = ", ".join("?" * len(part))
        if db.scalar(f"SELECT EXISTS (SELECT 1 FROM persons WHERE id IN ({marks}))", part):
            raise _seed_used(db, seed)
    try:
        with db.atomic():
            _fill_unit(conn, db.local_unit_id, unit_values)
            gen.approver = approval.approver(db) or unit_values["head_name"]
            summary.persons = _insert(conn, "persons", person_rows[:COMMIT_ROWS],
                                      words=IndexWordsCache())
    except sqlite3.IntegrityError as exc:
        raise _seed_used(db, seed) from exc
    # This connection's own page cache (nobody else's): with the random-id indexes in
    # memory each step is several times shorter, and so is every other writer's wait.
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-_LOAD_CACHE_KIB}")
    try:
        _write_in_steps(db, gen, person_rows[COMMIT_ROWS:], activities, summary, progress)
    except sqlite3.IntegrityError as exc:
        raise _seed_used(db, seed) from exc
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
    summary.seconds = time.perf_counter() - started
    return summary


def _write_in_steps(db: Database, gen: _Generator, person_rows: list[tuple[Any, ...]],
                    activities: int, summary: DemoSummary,
                    progress: Callable[[int, int], None] | None) -> None:
    conn = db.conn
    words = IndexWordsCache()
    for rows in _slices(person_rows, COMMIT_ROWS):
        with db.atomic():
            summary.persons += _insert(conn, "persons", rows, words=words)
        time.sleep(_STEP_PAUSE)
    done = 0
    while done < activities:
        size = min(CHUNK, activities - done)
        batch = gen.batch(size)
        for table, rows, step in (
                ("activities", batch.activities, COMMIT_ROWS),
                ("attendance", batch.attendance, COMMIT_ROWS * 4),
                ("recommendations", batch.recommendations, COMMIT_ROWS * 4),
                ("recommendation_notes", batch.recommendation_notes, COMMIT_ROWS * 4),
                ("coverage_items", batch.coverage_items, COMMIT_ROWS * 4)):
            for part in _slices(rows, step):
                with db.atomic():
                    count = _insert(conn, table, part, words=words)
                setattr(summary, table, getattr(summary, table) + count)
                # A waiting writer polls for the lock every few to 100 ms; taking it
                # back at once would let this loop starve it.
                time.sleep(_STEP_PAUSE)
        done += size
        if progress is not None:
            progress(done, activities)
    plans, items = gen.plans()
    with db.atomic():
        summary.plans = _insert(conn, "plans", plans, words=words)
        summary.plan_items = _insert(conn, "plan_items", items, words=words)
        _insert_outlets(conn, gen.outlets())
