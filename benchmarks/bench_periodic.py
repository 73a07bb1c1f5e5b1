"""Periodic report benchmark: a yearly report of 2,000 activities, charts included.

    python benchmarks/bench_periodic.py [--activities N]

Builds a temporary demo database with :func:`demo.generator.generate` (the demo spreads its
activities over two years, so twice N are generated and the report covers 2026, about N
of them) and tops the year's attendance lists up to about 20 × N rows (about 40,000 for
N = 2,000; activities without a list keep none). Then it times
:func:`write_periodic_report` with its charts. The floor is python-docx alone writing the
same paragraphs and tables (same texts, same rows and cells, default styles, no RTL
layer, no charts); the ratio is ours over the floor. Each figure is printed on its own
line with its goal and PASS/MISS; the exit status is 1 on a miss.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from demo import generator as demo  # noqa: E402
from exporters import periodic_report as report  # noqa: E402
from models import periodic  # noqa: E402
from models.db import Database  # noqa: E402

YEAR = ("2026-01-01", "2026-12-31")
GOAL_SECONDS = 5.0
GOAL_RATIO = 1.5
ATTENDANCE_PER_ACTIVITY = 20  # 2,000 activities → about 40,000 attendance rows


def build_database(path: Path, activities: int) -> None:
    db = Database.open(path, create=True)
    try:
        demo.generate(db, activities=2 * activities, seed=1)
        _top_up_attendance(db, ATTENDANCE_PER_ACTIVITY * activities)
    finally:
        db.close()


def _top_up_attendance(db: Database, total: int) -> None:
    """Add persons to the lists of the year's activities that have one until the year
    holds about ``total`` attendance rows (the demo gives about ten an activity)."""
    rng = random.Random(7)
    persons = [row[0] for row in db.execute("SELECT id FROM persons")]
    listed = db.execute("SELECT id, created_at, attendees FROM activities WHERE attendees > 0 "
                        "AND start_date BETWEEN ? AND ?", YEAR).fetchall()
    if not listed:
        return
    per_activity = min(len(persons), -(-total // len(listed)))
    rows = []
    for activity_id, created, _count in listed:
        have = {row[0] for row in db.execute(
            "SELECT person_id FROM attendance WHERE activity_id = ?", (activity_id,))}
        extra = [p for p in rng.sample(persons, min(len(persons), per_activity * 2))
                 if p not in have][:max(0, per_activity - len(have))]
        rows += [(demo_id(rng), db.local_unit_id, created, created, activity_id, p, "[1]")
                 for p in extra]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO attendance (id, unit_id, created_at, updated_at, activity_id, "
            "person_id, days) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def demo_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def floor(data: periodic.PeriodicData, path: Path) -> None:
    """python-docx alone: the same paragraphs and tables, default styles, no layer."""
    import docx

    from models.dates import DateStyle, format_range
    from models.wording import period_phrase

    style = DateStyle()
    doc = docx.Document()
    title = report.report_title(data, report.rtl.DocumentOptions(unit=data.unit.name))
    doc.add_paragraph(title, style="Title")
    # The report's own wording of its period (models.wording), as it writes it.
    doc.add_paragraph(period_phrase(data.date_from, data.date_to, style))
    doc.add_paragraph(report.SUMMARY_HEADING, style="Heading 1")
    totals = data.totals
    items = [(report.ALL_ACTIVITIES, totals.activities), *totals.by_kind.items(),
             (report.ATTENDANCE_ROWS, totals.attendance), (report.PERSONS, totals.persons),
             (report.PARTICIPANTS, totals.participants),
             (report.CERTIFICATES, totals.certificates)]
    _table(doc, list(report.SUMMARY_COLUMNS),
           [[str(i), str(label), str(n)] for i, (label, n) in enumerate(items, start=1)])
    doc.add_paragraph(report.TABLE_HEADING, style="Heading 1")
    _table(doc, list(report.TABLE_COLUMNS),
           [[str(i), a.title, a.kind_label, format_range(a.start_date, a.end_date, style),
             a.place, str(a.participants)]
            for i, a in enumerate(data.activities, start=1)])
    doc.add_paragraph(report.DETAILS_HEADING, style="Heading 1")
    for i, a in enumerate(data.activities, start=1):
        doc.add_paragraph(f"{i}. {a.title}", style="Heading 2")
        doc.add_paragraph("\n".join((format_range(a.start_date, a.end_date, style), a.place,
                                     a.organiser, str(a.participants))))
        for line in a.summary.splitlines():
            if line.strip():
                doc.add_paragraph(line.strip())
    _table(doc, ["", "\n".join((data.unit.head_name, data.unit.head_title))], [])
    doc.save(path)


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    for values, row in zip([header, *rows], table.rows, strict=True):
        for text, cell in zip(values, row.cells, strict=True):
            cell.text = text


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-periodic-") as tmp:
        tmp_path = Path(tmp)
        db_path = tmp_path / "demo.sqlite3"
        started = time.perf_counter()
        build_database(db_path, args.activities)
        print(f"demo database built in {time.perf_counter() - started:.1f} s")
        db = Database.open(db_path)
        try:
            started = time.perf_counter()
            report.write_periodic_report(db, *YEAR, tmp_path / "report.docx")
            ours = time.perf_counter() - started
            data = periodic.gather(db, *YEAR)
            started = time.perf_counter()
            floor(data, tmp_path / "floor.docx")
            bare = time.perf_counter() - started
        finally:
            db.close()
    totals = data.totals
    print(f"year {YEAR[0][:4]}: {totals.activities} activities, {totals.attendance} "
          f"attendance rows, {totals.persons} persons")
    ratio = ours / bare
    results = [ours <= GOAL_SECONDS, ratio <= GOAL_RATIO]
    print(f"periodic report (charts included): {ours:.2f} s  goal <= {GOAL_SECONDS:.1f} s  "
          f"{verdict(results[0])}")
    print(f"python-docx alone (floor):         {bare:.2f} s")
    print(f"ratio report / floor:              {ratio:.2f}x  goal <= {GOAL_RATIO:.1f}x  "
          f"{verdict(results[1])}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
