"""How long the long writes keep every other writer waiting.

    python benchmarks/bench_locks.py [--root DIR] [--demo N] [--certificates N]

While one long write runs (``demo`` into a database that already has data; issuing 200
certificates of one activity when ``--certificates`` (default 20,000) already exist that
year), a second connection in another thread tries a tiny write (``BEGIN IMMEDIATE``,
``COMMIT``) every 20 ms and records how long each try waited for the write lock. The
longest wait is what a user's Save or the app's draft autosave would have waited. Each
figure is printed on its own line.

``--root`` runs the same against another copy of Ittisal's code (an older checkout, to
compare before and after).
"""

from __future__ import annotations

import argparse
import importlib
import random
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parent.parent


class Prober(threading.Thread):
    """A second writer: tiny transactions, each one's wait for the lock recorded."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(daemon=True)
        self.db_path = db_path
        self.waits: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        conn = sqlite3.connect(self.db_path, isolation_level=None, timeout=600)
        try:
            while not self.stop.is_set():
                started = time.perf_counter()
                conn.execute("BEGIN IMMEDIATE")
                self.waits.append(time.perf_counter() - started)
                conn.execute("COMMIT")
                time.sleep(0.02)
        finally:
            conn.close()


def measure(db_path: Path, work: Callable[[], object]) -> tuple[float, float]:
    """(seconds the work took, longest wait of the second writer meanwhile)."""
    prober = Prober(db_path)
    prober.start()
    time.sleep(0.1)
    started = time.perf_counter()
    work()
    took = time.perf_counter() - started
    prober.stop.set()
    prober.join()
    return took, max(prober.waits, default=0.0)


def open_db(db_module, path: Path):
    try:
        return db_module.Database.open(path, create=True)
    except TypeError:  # code from before Database.open took create=
        return db_module.Database.open(path)


def bench_demo(mods, folder: Path, activities: int) -> tuple[float, float]:
    path = folder / "demo.sqlite3"
    db = open_db(mods["db"], path)
    try:
        mods["demo"].generate(db, activities=20, seed=1)  # a database already in use
        return measure(path, lambda: mods["demo"].generate(db, activities=activities, seed=2))
    finally:
        db.close()


def bench_issue(mods, folder: Path, existing: int, count: int = 200) -> tuple[float, float]:
    path = folder / "certificates.sqlite3"
    records, store = mods["records"], mods["store"]
    db = open_db(mods["db"], path)
    try:
        unit = db.local_unit_id
        old = store.insert(db, records.Activity(title="نشاط سابق", start_date="2026-03-01",
                                                status="approved"))
        now = "2026-03-02T08:00:00.000Z"
        rng = random.Random(3)
        with db.atomic():
            person_rows, cert_rows = [], []
            for number in range(1, existing + 1):
                pid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                person_rows.append((pid, unit, now, now, f"مشارك سابق {number}"))
                cert_rows.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), unit,
                                  now, now, pid, old.id, f"CERT-2026-{number:04d}", now))
            db.conn.executemany("INSERT INTO persons (id, unit_id, created_at, updated_at, "
                                "full_name) VALUES (?, ?, ?, ?, ?)", person_rows)
            db.conn.executemany("INSERT INTO certificates (id, unit_id, created_at, "
                                "updated_at, person_id, activity_id, serial, issued_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", cert_rows)
            db.conn.execute("INSERT INTO certificate_serials (unit_id, year, last) "
                            "VALUES (?, 2026, ?) ON CONFLICT DO UPDATE SET last = "
                            "excluded.last", (unit, existing))
        activity = store.insert(db, records.Activity(
            title="ورشة الاتصال الحكومي", start_date="2026-11-22", status="approved"))
        with db.atomic():
            for i in range(count):
                person = store.insert(db, records.Person(full_name=f"مشارك جديد رقم {i}"))
                mods["attendance"].add(db, activity.id, person.id)
        mods["certificates"].ensure_key(db) if hasattr(mods["certificates"],
                                                       "ensure_key") else None
        return measure(path, lambda: mods["certificate_pages"].prepare(db, activity.id))
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--demo", type=int, default=60_000)
    parser.add_argument("--certificates", type=int, default=20_000)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.root.resolve()))
    names = ("db", "records", "store", "attendance", "certificates", "certificate_pages")
    mods = {name: importlib.import_module(f"models.{name}") for name in names}
    mods["demo"] = importlib.import_module("demo.generator")
    print(f"code: {mods['db'].__file__}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.certificates:
            took, wait = bench_issue(mods, Path(tmp), args.certificates)
            print(f"issue 200 certificates ({args.certificates} that year): {took:.2f} s; "
                  f"another writer waited up to {wait:.2f} s")
        if args.demo:
            took, wait = bench_demo(mods, Path(tmp), args.demo)
            print(f"demo {args.demo} activities into a database in use: {took:.2f} s; "
                  f"another writer waited up to {wait:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
