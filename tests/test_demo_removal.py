"""Demo data marked when added and removed in one action; `demo` refuses to mix into real data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from demo import removal
from main import MSG
from models import attendance, backup, records, search, store
from models.db import Database
from tests.conftest import karbala_workshop
from tests.test_cli import run

DEMO_TABLES = ("activities", "persons", "attendance", "recommendations", "recommendation_notes",
               "coverage_items", "plans", "plan_items", "outlets")


def counts(db: Database) -> dict[str, int]:
    return {table: db.scalar(f"SELECT count(*) FROM {table}") for table in DEMO_TABLES}


def test_demo_on_a_fresh_file_is_marked_and_removed_whole(db):
    removal.generate_marked(db, activities=40, seed=1)
    assert removal.has_demo(db) and not removal.has_real_records(db)
    assert all(counts(db).values())
    assert store.get(db, records.Unit, db.local_unit_id).name  # the demo unit's identity

    summary = removal.remove_demo(db)

    assert counts(db) == dict.fromkeys(DEMO_TABLES, 0)
    assert summary.removed["activities"] == 40 and summary.kept_persons == 0
    assert db.scalar("SELECT count(*) FROM search_docs") == 0
    unit = store.get(db, records.Unit, db.local_unit_id)
    assert unit.is_blank and not unit.head_name and not unit.certificate_prefix
    assert not removal.has_demo(db)
    assert backup.check_connection(db.conn, db.path).ok


def test_removal_leaves_the_real_records(db):
    real = store.insert(db, karbala_workshop())
    zainab = store.insert(db, records.Person(full_name="زينب علي حسين", gender="f"))
    attendance.add(db, real.id, zainab.id)
    removal.generate_marked(db, activities=30, seed=2)
    demo_activity = next(iter(removal.demo_ids(db)["activities"]))
    demo_person = next(iter(removal.demo_ids(db)["persons"]))
    # The user tried the app: a demo person on the real workshop, real coverage of a demo
    # activity, and their own identity typed over the demo's name.
    attendance.add(db, real.id, demo_person)
    coverage = store.insert(db, records.CoverageItem(
        date="2026-11-23", outlet="قناة كربلاء الفضائية", title="تغطية الورشة",
        activity_id=demo_activity))
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, name="شعبة الإعلام"))

    summary = removal.remove_demo(db)

    assert [a.id for a in store.find(db, records.Activity)] == [real.id]
    kept = {p.id for p in store.find(db, records.Person)}
    assert kept == {zainab.id, demo_person} and summary.kept_persons == 1
    assert {a.person.id for a in attendance.attendees(db, real.id)} == {zainab.id, demo_person}
    assert db.scalar("SELECT count(*) FROM attendance") == 2
    left = store.get(db, records.CoverageItem, coverage.id)
    assert left.activity_id is None  # the link to the demo activity went, the item stayed
    assert db.scalar("SELECT count(*) FROM plans") == 0
    unit = store.get(db, records.Unit, db.local_unit_id)
    assert unit.name == "شعبة الإعلام"  # typed by the user: kept
    assert not unit.directorate  # the demo's: emptied
    hits = {h.id for h in search.search(db.conn, "ورشة")}
    assert real.id in hits and demo_activity not in hits
    assert backup.check_connection(db.conn, db.path).ok


def test_nothing_marked_removes_nothing(db):
    real = store.insert(db, karbala_workshop())
    assert not removal.has_demo(db)
    assert removal.remove_demo(db).total == 0
    assert [a.id for a in store.find(db, records.Activity)] == [real.id]


# --- the command line ------------------------------------------------------------------

def test_demo_refuses_a_database_with_real_records(cli_db):
    db_path, _workshop = cli_db
    result = run("demo", "--activities", "3", db=db_path)
    assert result.returncode == 1
    arabic, english = result.stderr.strip().splitlines()
    assert arabic == MSG["demo_real"][0] and english == MSG["demo_real"][1]
    assert "--into-existing" in arabic and "--into-existing" in english
    with Database.open(db_path) as db:
        assert store.count(db, records.Activity) == 2  # nothing added

    added = run("demo", "--activities", "3", "--into-existing", db=db_path)
    assert added.returncode == 0, added.stderr
    with Database.open(db_path) as db:
        assert store.count(db, records.Activity) == 5
        assert len(removal.demo_ids(db)["activities"]) == 3
        removal.remove_demo(db)
        assert store.count(db, records.Activity) == 2


def test_demo_into_a_new_or_demo_only_file_needs_no_flag(tmp_path: Path):
    path = tmp_path / "d.sqlite3"
    assert run("demo", "--activities", "3", db=path).returncode == 0
    again = run("demo", "--activities", "3", "--seed", "2", db=path)
    assert again.returncode == 0, again.stderr
    with Database.open(path) as db:
        assert store.count(db, records.Activity) == 6 and not removal.has_real_records(db)
