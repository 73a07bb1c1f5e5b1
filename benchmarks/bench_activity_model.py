"""Activities list benchmark: the table model's reset, sorts and filters on 100,000 rows.

    python benchmarks/bench_activity_model.py [--activities N] [--db FILE] [--runs K]
                                              [--rebuild]

Uses the demo database cached in ``.bench/`` by :mod:`benchmarks.bench_search` (built with
:func:`demo.generator.generate` when missing or stale), or ``--db FILE``. Times, through
:class:`ui.table_models.activities.ActivitiesModel` as the page uses it: a reset with its
first page, a sort by each column both ways, a filter by kind, by status, by a date range
and by a search's hits, and the next page deep in the list. Each figure is the median of
``--runs`` runs, printed on its own line against the goal (100 ms: the UI never stalls
longer).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt  # noqa: E402

from models import search  # noqa: E402
from models.activities import ActivityFilter  # noqa: E402
from models.db import Database  # noqa: E402
from ui.table_models.activities import (  # noqa: E402
    COL_DATES,
    COL_KIND,
    COL_PARTICIPANTS,
    COL_PLACE,
    COL_STATUS,
    COL_TITLE,
    ActivitiesModel,
)

GOAL_MS = 100.0
RUNS = 5
COLUMNS = {COL_TITLE: "title", COL_KIND: "kind", COL_DATES: "dates", COL_PLACE: "place",
           COL_PARTICIPANTS: "participants", COL_STATUS: "status"}
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def median_ms(action: Callable[[], object], prepare: Callable[[], object], runs: int) -> float:
    """The median time of ``action``, each run after an untimed ``prepare``."""
    times = []
    for _ in range(runs):
        prepare()
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def report(label: str, ms: float, goal: float | None = GOAL_MS) -> bool:
    """Print one figure on its own line; True when it meets the goal."""
    if goal is None:
        print(f"  {label}: {ms:.1f} ms (for information)")
        return True
    verdict = "PASS" if ms <= goal else "MISS"
    print(f"  {label}: {ms:.1f} ms (goal <= {goal:.0f} ms: {verdict})")
    return ms <= goal


def measure(db: Database, runs: int) -> tuple[int, int]:
    """Time every operation on ``db``; return (passes, misses)."""
    model = ActivitiesModel(db)
    base = ActivityFilter()
    results: list[bool] = []

    def natural() -> None:
        model.set_filter(base, natural_order=True)

    results.append(report("reset + first page (newest first)",
                          median_ms(model.refresh, natural, runs)))
    def other_order() -> None:  # before "dates, descending": the natural order is that
        natural()
        model.sort(COL_DATES, ASC)

    for column, name in COLUMNS.items():
        for order, word in ((ASC, "ascending"), (DESC, "descending")):
            prepare = other_order if (column, order) == (COL_DATES, DESC) else natural
            results.append(report(
                f"sort by {name}, {word}",
                median_ms(lambda c=column, o=order: model.sort(c, o), prepare, runs)))

    hits = tuple(h.id for h in search.search(
        db.conn, "الاتصال", limit=500, where=search.SearchFilter(types=("activity",))))
    latest = db.scalar("SELECT max(start_date) FROM activities WHERE deleted_at IS NULL")
    month = latest[:7]
    filters = {
        "filter by kind (workshop)": ActivityFilter(kind="workshop"),
        "filter by kind (other, rare)": ActivityFilter(kind="other"),
        "filter by status (draft)": ActivityFilter(status="draft"),
        f"filter by date range ({month})": ActivityFilter(date_from=f"{month}-01",
                                                         date_to=f"{month}-31"),
        "filter by date range (a year)": ActivityFilter(date_from=f"{latest[:4]}-01-01",
                                                        date_to=f"{latest[:4]}-12-31"),
        f"filter by search ids ({len(hits)} hits, ranked)": ActivityFilter(ids=hits),
    }
    for label, where in filters.items():
        results.append(report(label, median_ms(
            lambda w=where: model.set_filter(w, natural_order=True), natural, runs)))
    results.append(report("filter by kind, sorted by title", median_ms(
        lambda: model.set_filter(ActivityFilter(kind="workshop")),
        lambda: (natural(), model.sort(COL_TITLE, ASC)), runs)))

    # Scrolling: the page that arrives 10,000 rows down (offset paging).
    def deep() -> None:
        natural()
        while model.rowCount() < 10_000 and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
    results.append(report("next page at row 10,000 (scrolling)", median_ms(
        lambda: model.fetchMore(QModelIndex()), deep, runs)))
    return sum(results), len(results) - sum(results)


def open_database(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    from benchmarks.bench_search import demo_database

    db, seconds, built = demo_database(args.activities, args.rebuild)
    path = db.path
    db.close()
    print(f"Demo database: {path.relative_to(ROOT)} "
          f"({'built now' if built else 'cached'}, generated in {seconds:.0f} s)")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--db", help="an existing database to measure instead")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    QCoreApplication.instance() or QCoreApplication([])

    path = open_database(args)
    with Database.open(path, create=True) as db:
        total = db.scalar("SELECT count(*) FROM activities WHERE deleted_at IS NULL")
        attendance = db.scalar("SELECT count(*) FROM attendance")
    print(f"Rows: {total:,} activities, {attendance:,} attendance rows; "
          f"median of {args.runs} runs each; goal <= {GOAL_MS:.0f} ms")

    with Database.open(path) as db:
        passed, missed = measure(db, args.runs)
    print(f"  => {passed} PASS, {missed} MISS")
    return 0 if missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
