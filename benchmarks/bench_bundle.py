"""Data bundle benchmark: a unit's full bundle exported, then verified and imported.

    python benchmarks/bench_bundle.py [--activities N]

Builds a demo unit database of N activities (default 10,000, with about ten attendance
rows each, topped up to 100,000) with :func:`demo.generator.generate`, in a temporary
folder.
Then it times, each in this process:

- ``bundle export --all`` (:func:`models.data_bundle.export` with ``full=True``): every
  record read, written as JSON Lines, zipped, hashed and signed; goal at most 5 s;
- verify and import into a new, empty database, which becomes a ministry centre
  (:func:`models.bundle_merge.import_bundle`: signature and hashes checked, the records
  merged, derived columns, attendee counts and the search index set); goal at most 10 s;
- the same bundle imported a second time (nothing changes: the floor of a check).

Baselines in the same run: SQLite alone copying the unit's record tables into an empty
database (``INSERT … SELECT`` over an attached file: no JSON, no checks, no search index)
for the import, and reading the same tables into Python rows for the export; the ratio is
ours over the baseline. Each figure is printed with its records per second, its goal and
MET/MISSED; the exit status is 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from demo import generator as demo  # noqa: E402
from models import bundle_merge, data_bundle  # noqa: E402
from models.db import Database  # noqa: E402

GOAL_EXPORT_S = 5.0
GOAL_IMPORT_S = 10.0
ATTENDANCE_PER_ACTIVITY = 10


def top_up_attendance(db: Database, total: int) -> None:
    """Add persons to the activities' attendance lists until there are ``total`` rows
    (the demo gives about ten an activity, a few short of it)."""
    rng = random.Random(7)
    have = {(a, p) for a, p in db.execute("SELECT activity_id, person_id FROM attendance")}
    missing = total - len(have)
    if missing <= 0:
        return
    persons = [r[0] for r in db.execute("SELECT id FROM persons")]
    listed = db.execute("SELECT id, created_at FROM activities WHERE attendees > 0").fetchall()
    rows = []
    while len(rows) < missing:
        activity, created = rng.choice(listed)
        person = rng.choice(persons)
        if (activity, person) in have:
            continue
        have.add((activity, person))
        rows.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), db.local_unit_id,
                     created, created, activity, person, "[1]"))
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO attendance (id, unit_id, created_at, updated_at, activity_id, "
            "person_id, days) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def copy_floor(unit: Path, target: Path) -> float:
    """SQLite alone: the unit's record tables copied into an empty database of the same
    schema, in one transaction (the least any import of these rows can cost)."""
    Database.open(target, create=True).close()
    conn = sqlite3.connect(target)
    try:
        started = time.perf_counter()
        conn.execute("ATTACH DATABASE ? AS src", (str(unit),))
        conn.execute("BEGIN")
        for table in data_bundle.TABLES:
            columns = [r[1] for r in conn.execute(f"PRAGMA src.table_info({table})")]
            names = ", ".join(columns)
            conn.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM src.{table}")
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def read_floor(unit: Path) -> float:
    """Reading every record table into Python rows (the least an export must do)."""
    conn = sqlite3.connect(unit)
    try:
        started = time.perf_counter()
        for table in data_bundle.TABLES:
            conn.execute(f"SELECT * FROM {table}").fetchall()
        return time.perf_counter() - started
    finally:
        conn.close()


def line(label: str, seconds: float, records: int, goal: float | None,
         floor: float | None = None) -> bool:
    ok = goal is None or seconds <= goal
    text = f"{label:<34} {seconds:6.2f} s  {records / seconds:>9,.0f} records/s"
    if floor:
        text += f"  baseline {floor:5.2f} s ({seconds / floor:4.1f}x)"
    if goal is not None:
        text += f"  goal <= {goal:.0f} s  {verdict(ok)}"
    print(text, flush=True)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as tmp:
        folder = Path(tmp)
        unit_path = folder / "unit.sqlite3"
        started = time.perf_counter()
        db = Database.open(unit_path, create=True)
        summary = demo.generate(db, activities=args.activities, seed=1)
        top_up_attendance(db, ATTENDANCE_PER_ACTIVITY * args.activities)
        attendance = db.scalar("SELECT count(*) FROM attendance")
        db.close()
        print(f"unit database: {summary.activities:,} activities, {attendance:,} "
              f"attendance rows, {summary.persons:,} persons "
              f"(built in {time.perf_counter() - started:.1f} s)", flush=True)
        floor_read = read_floor(unit_path)
        floor_copy = copy_floor(unit_path, folder / "floor.sqlite3")

        db = Database.open(unit_path)
        try:
            started = time.perf_counter()
            done = data_bundle.export(db, folder / "all.ittisal", full=True)
            export_s = time.perf_counter() - started
        finally:
            db.close()
        records = sum(done.counts.values())
        size = done.path.stat().st_size / 1e6
        print(f"bundle: {records:,} records, {size:.1f} MB", flush=True)

        centre = Database.open(folder / "centre.sqlite3", create=True)
        try:
            started = time.perf_counter()
            result = bundle_merge.import_bundle(centre, done.path)
            import_s = time.perf_counter() - started
            started = time.perf_counter()
            again = bundle_merge.import_bundle(centre, done.path)
            again_s = time.perf_counter() - started
            imported = sum(result.added.values())
        finally:
            centre.close()
        if imported != records or not again.already:
            print(f"import added {imported:,} of {records:,} records: not a benchmark")
            return 1
        results = [
            line("bundle export --all", export_s, records, GOAL_EXPORT_S, floor_read),
            line("verify + import into a new centre", import_s, records, GOAL_IMPORT_S,
                 floor_copy),
            line("the same bundle again (unchanged)", again_s, records, None),
        ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
