"""Demo data that can be taken out again: marked when added, removed in one action.

The generator's records look like any others (same unit, timestamps from their own dates),
so :func:`generate_marked` notes what one run added: the ids of the records that stand on
their own (activities, persons, plans, coverage, outlets) and the identity fields it gave
the unit, in the ``settings`` row :data:`MARK_KEY` (JSON). Everything else the demo makes
hangs from those (attendance and recommendations from activities, notes from
recommendations, items from plans) and goes with them.

:func:`remove_demo` deletes the marked records for good (not into the recycle bin: demo
data is nothing to restore), with what hangs from them, certificates printed while trying
the app out, drafts and attachment rows, and their search entries; real records that point
at a demo activity (a coverage item, a plan item) lose the link and stay. A demo person the
user has since put on a real activity's list (or given a real certificate) stays too. The
unit's identity fields that still hold the demo's values are emptied.

Demo data added before this module existed carries no mark: it is not recognised, and
counts as real (``demo`` then refuses to add more without ``--into-existing``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from demo import generator
from models import records, search, store
from models.db import Database

__all__ = ["MARK_KEY", "RemovalSummary", "demo_ids", "generate_marked", "has_demo",
           "has_real_records", "remove_demo"]

#: The settings row that lists what demo runs added.
MARK_KEY = "demo_records"
#: The tables whose records the demo adds on their own, in the order they are marked.
MARKED_TABLES = ("activities", "persons", "plans", "coverage_items", "outlets")
#: The unit fields the demo may fill (:func:`demo.generator._fill_unit`).
IDENTITY_FIELDS = ("ministry", "directorate", "name", "city", "head_name", "head_title",
                   "coordinator_name", "coordinator_title", "certificate_prefix")
# Real records are looked for in these (recommendations hang from activities).
_REAL_TABLES = ("activities", "persons", "plans", "coverage_items")
_CHUNK = 500  # ids per SQL "IN (...)": far below SQLite's limit on parameters


@dataclass
class RemovalSummary:
    """What :func:`remove_demo` removed, by table, and the demo persons it kept."""

    removed: dict[str, int] = field(default_factory=dict)
    kept_persons: int = 0
    identity_cleared: bool = False

    @property
    def total(self) -> int:
        """How many records were removed in all."""
        return sum(self.removed.values())


def _mark(db: Database) -> dict:
    raw = db.scalar("SELECT value FROM settings WHERE key = ?", (MARK_KEY,))
    try:
        mark = json.loads(raw) if raw else {}
    except ValueError:
        mark = {}
    if not isinstance(mark, dict):
        mark = {}
    mark.setdefault("ids", {})
    mark.setdefault("identity", {})
    return mark


def _save_mark(db: Database, mark: dict) -> None:
    db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               (MARK_KEY, json.dumps(mark, ensure_ascii=False, separators=(",", ":"))))


def demo_ids(db: Database) -> dict[str, set[str]]:
    """The marked demo ids still in the database, by table."""
    ids = _mark(db)["ids"]
    return {table: {i for i in ids.get(table, []) if isinstance(i, str)}
            for table in MARKED_TABLES}


def has_demo(db: Database) -> bool:
    """Whether any marked demo record is still in the database."""
    for table, ids in demo_ids(db).items():
        for part in _chunks(ids):
            marks = ", ".join("?" * len(part))
            if db.scalar(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE id IN ({marks}))",
                         part):
                return True
    return False


def has_real_records(db: Database) -> bool:
    """Whether the database holds an activity, person, plan or coverage item that no demo
    run added (the recycle bin's too: they are the user's)."""
    known = demo_ids(db)
    for table in _REAL_TABLES:
        ids = known.get(table, set())
        total = db.scalar(f"SELECT count(*) FROM {table}")
        if total > len(ids):
            return True
        if total and _count_in(db, table, "id", ids) < total:
            return True
    return False


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(ids)
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _count_in(db: Database, table: str, column: str, ids: Iterable[str]) -> int:
    count = 0
    for part in _chunks(ids):
        marks = ", ".join("?" * len(part))
        count += db.scalar(f"SELECT count(*) FROM {table} WHERE {column} IN ({marks})", part)
    return count


def _ids_where(db: Database, table: str, column: str, ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for part in _chunks(ids):
        marks = ", ".join("?" * len(part))
        found.update(row[0] for row in db.execute(
            f"SELECT id FROM {table} WHERE {column} IN ({marks})", part))
    return found


def _all_ids(db: Database) -> dict[str, set[str]]:
    return {table: {row[0] for row in db.execute(f"SELECT id FROM {table}")}
            for table in MARKED_TABLES}


def _identity(db: Database) -> dict[str, str]:
    unit = store.get(db, records.Unit, db.local_unit_id)
    return {name: getattr(unit, name) for name in IDENTITY_FIELDS}


def generate_marked(db: Database, *, activities: int = 200, seed: int = 1,
                    progress: Callable[[int, int], None] | None = None
                    ) -> generator.DemoSummary:
    """:func:`demo.generator.generate`, then mark what it added (see the module's
    docstring). Steps a failed run into a database in use had already committed are
    marked too, so they can be removed like the rest."""
    before, identity = _all_ids(db), _identity(db)
    try:
        return generator.generate(db, activities=activities, seed=seed, progress=progress)
    finally:
        after, now = _all_ids(db), _identity(db)
        added = {table: after[table] - before[table] for table in MARKED_TABLES}
        filled = {name: value for name, value in now.items()
                  if value and value != identity[name]}
        if any(added.values()) or filled:
            with db.atomic():
                mark = _mark(db)
                for table, ids in added.items():
                    mark["ids"][table] = sorted(set(mark["ids"].get(table, [])) | ids)
                mark["identity"].update(filled)
                _save_mark(db, mark)


def _delete(db: Database, table: str, column: str, ids: Iterable[str],
            unindex: bool = True) -> int:
    """Delete the rows of ``table`` whose ``column`` is in ``ids`` (and their search
    entries); how many went."""
    gone = _ids_where(db, table, column, ids)
    if unindex:
        for record_id in gone:
            search.remove(db.conn, record_id)
    for part in _chunks(gone):
        marks = ", ".join("?" * len(part))
        db.execute(f"DELETE FROM {table} WHERE id IN ({marks})", part)
    return len(gone)


def remove_demo(db: Database) -> RemovalSummary:
    """Remove every marked demo record for good, in one transaction (see the module's
    docstring for what goes with them and what stays); the mark is dropped."""
    summary = RemovalSummary()
    with db.atomic():
        ids = demo_ids(db)
        activities, plans = ids["activities"], ids["plans"]
        # A demo person on a real activity's list, or holding a real certificate, has
        # become one of the unit's own: keep them (and those links).
        used = set()
        for table in ("attendance", "certificates"):
            for part in _chunks(ids["persons"]):
                marks = ", ".join("?" * len(part))
                used.update(row[0] for row in db.execute(
                    f"SELECT DISTINCT person_id FROM {table} WHERE person_id IN ({marks}) "
                    "AND activity_id NOT IN (SELECT value FROM json_each(?))",
                    (*part, json.dumps(sorted(activities)))))
        persons = ids["persons"] - used
        summary.kept_persons = len(used)
        removed = summary.removed
        certificates = (_ids_where(db, "certificates", "activity_id", activities)
                        | _ids_where(db, "certificates", "person_id", persons))
        removed["certificates"] = _delete(db, "certificates", "id", certificates, False)
        recommendations = _ids_where(db, "recommendations", "activity_id", activities)
        _delete(db, "recommendation_notes", "recommendation_id", recommendations, False)
        removed["recommendations"] = _delete(db, "recommendations", "id", recommendations)
        attendance = (_ids_where(db, "attendance", "activity_id", activities)
                      | _ids_where(db, "attendance", "person_id", persons))
        removed["attendance"] = _delete(db, "attendance", "id", attendance, False)
        removed["plan_items"] = _delete(db, "plan_items", "plan_id", plans)
        for table in ("plan_items", "coverage_items"):  # real ones keep, unlinked
            for part in _chunks(activities):
                marks = ", ".join("?" * len(part))
                db.execute(f"UPDATE {table} SET activity_id = NULL "
                           f"WHERE activity_id IN ({marks})", part)
        owners = activities | persons | plans | ids["coverage_items"]
        _delete(db, "attachments", "owner_id", owners, False)
        for part in _chunks(owners):
            marks = ", ".join("?" * len(part))
            db.execute(f"DELETE FROM drafts WHERE record_id IN ({marks})", part)
        for part in _chunks(activities):
            marks = ", ".join("?" * len(part))
            db.execute(f"DELETE FROM certificate_styles WHERE activity_id IN ({marks})", part)
        for table, table_ids in (("activities", activities), ("persons", persons),
                                 ("plans", plans), ("coverage_items", ids["coverage_items"]),
                                 ("outlets", ids["outlets"])):
            removed[table] = _delete(db, table, "id", table_ids)
        summary.identity_cleared = _clear_identity(db, _mark(db)["identity"])
        # The kept persons are the unit's own from now on: nothing stays marked.
        db.execute("DELETE FROM settings WHERE key = ?", (MARK_KEY,))
    return summary


def _clear_identity(db: Database, demo_identity: dict) -> bool:
    """Empty the unit's identity fields that still hold what the demo gave them."""
    unit = store.get(db, records.Unit, db.local_unit_id)
    cleared = {name: "" for name, value in demo_identity.items()
               if name in IDENTITY_FIELDS and value and getattr(unit, name) == value}
    if not cleared:
        return False
    store.update(db, dataclasses.replace(unit, **cleared))
    return True
