"""Opening files: pragmas, migrations with a backup first, refusing files not ours."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from models import backup, records, schema, search, store
from models.db import Database
from models.errors import NotADatabaseError, SchemaTooNewError


def test_a_new_file_is_opened_safely(db):
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.scalar("PRAGMA synchronous") == 2  # FULL
    assert db.scalar("PRAGMA busy_timeout") >= 5000
    assert db.schema_version == schema.SCHEMA_VERSION
    assert db.scalar("PRAGMA application_id") == schema.APPLICATION_ID
    assert store.get(db, records.Unit, db.local_unit_id).is_blank


def test_a_new_file_needs_no_backup(db):
    assert backup.backups(db.path) == []


def test_an_older_schema_is_backed_up_then_upgraded_and_nothing_is_lost(db_path):
    old = Database.open(db_path, target_version=1, create=True)
    assert old.schema_version == 1
    # Version 1 had no search index: write as that version's code would have.
    unit_id = old.local_unit_id
    old.execute(
        "INSERT INTO activities (id, unit_id, created_at, updated_at, kind, title, "
        "start_date, partners, lecturers) VALUES ('a1', ?, 'x', 'x', 'workshop', "
        "'ورشة الإتصال الحكومي', '2026-11-22', '[]', '[]')", (unit_id,))
    old.execute(
        "INSERT INTO persons (id, unit_id, created_at, updated_at, full_name, phone) "
        "VALUES ('p1', ?, 'x', 'x', 'زينب علي حسين', '+964 770 123 4567')", (unit_id,))
    old.close()

    db = Database.open(db_path)
    try:
        assert db.schema_version == schema.SCHEMA_VERSION
        kept = backup.backups(db_path)
        assert len(kept) == 1 and f"before-v{schema.SCHEMA_VERSION}" in kept[0][1].name
        copy = sqlite3.connect(kept[0][1])
        assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
        assert copy.execute("SELECT title FROM activities").fetchall() == [
            ("ورشة الإتصال الحكومي",)]
        copy.close()
        assert store.get(db, records.Activity, "a1").title == "ورشة الإتصال الحكومي"
        assert store.get(db, records.Person, "p1").full_name == "زينب علي حسين"
        assert db.local_unit_id == unit_id
        # Duplicate-spotting keys (version 3), filled in after the last step for persons
        # already there.
        assert db.rows("SELECT name_key, phone_key FROM persons") == [
            {"name_key": "زينب علي حسين", "phone_key": "07701234567"}]
        assert [h.id for h in search.search(db.conn, "الاتصال")] == ["a1"]
    finally:
        db.close()


def test_a_failing_migration_leaves_the_old_version(db_path, monkeypatch):
    Database.open(db_path, target_version=1, create=True).close()

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    monkeypatch.setattr(schema, "MIGRATIONS", (schema.MIGRATIONS[0], broken))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    with pytest.raises(RuntimeError):
        Database.open(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name='half_done'").fetchone()
    conn.close()


def test_a_newer_file_is_refused_and_left_untouched(db_path):
    Database.open(db_path, create=True).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNewError) as caught:
        Database.open(db_path)
    assert "أحدث" in str(caught.value)
    assert "newer" in caught.value.english
    assert db_path.read_bytes() == before
    assert not (db_path.parent / "backups").exists()


@pytest.mark.parametrize("content", [b"hello, not a database",
                                     b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_file_that_is_not_a_database_is_refused(db_path, content):
    db_path.write_bytes(content)
    with pytest.raises(NotADatabaseError):
        Database.open(db_path)
    assert db_path.read_bytes() == content


def test_another_programs_database_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE customers (name)")
    conn.commit()
    conn.close()
    with pytest.raises(NotADatabaseError):
        Database.open(db_path)


def test_atomic_rolls_back_everything_in_the_block(db, workshop):
    with pytest.raises(RuntimeError), db.atomic():
        store.insert(db, records.Activity(title="أ", start_date="2026-01-01"))
        store.delete(db, records.Activity, workshop.id)
        raise RuntimeError
    assert store.count(db, records.Activity) == 1
    assert store.get(db, records.Activity, workshop.id).deleted_at is None


def test_settings_round_trip(db):
    db.set_setting("letter_sequence_2026", "17")
    assert db.setting("letter_sequence_2026") == "17"
    assert db.setting("missing", "x") == "x"


def test_version_6_keeps_the_serials_already_given(db_path):
    old = Database.open(db_path, target_version=5, create=True)
    unit_id = old.local_unit_id
    old.execute("INSERT INTO activities (id, unit_id, created_at, updated_at, kind, title, "
                "start_date, partners, lecturers) VALUES ('a1', ?, 'x', 'x', 'workshop', "
                "'ورشة', '2026-11-22', '[]', '[]')", (unit_id,))
    old.execute("UPDATE units SET certificate_prefix = 'كرب 26' WHERE id = ?", (unit_id,))
    # p1's certificate was corrected on its own (after the person's last edit); p2 was
    # renamed after hers was printed.
    for n, pid, person_at, cert_at in ((7, "p1", "2026-01-01", "2026-02-01"),
                                       (3, "p2", "2026-03-01", "2026-02-01")):
        old.execute("INSERT INTO persons (id, unit_id, created_at, updated_at, full_name) "
                    "VALUES (?, ?, 'x', ?, 'زينب علي')", (pid, unit_id, person_at))
        old.execute("INSERT INTO certificates (id, unit_id, created_at, updated_at, "
                    "person_id, activity_id, serial, holder_name, issued_at) VALUES "
                    "(?, ?, 'x', ?, ?, 'a1', ?, 'زينب علي حسين', 'x')",
                    (f"c{n}", unit_id, cert_at, pid, f"KRB-2026-{n:04d}"))
    old.close()
    with Database.open(db_path) as db:
        assert db.rows("SELECT year, last FROM certificate_serials") == [
            {"year": 2026, "last": 7}]
        assert db.rows("SELECT id, person_name FROM certificates ORDER BY id") == [
            {"id": "c3", "person_name": "زينب علي حسين"},
            {"id": "c7", "person_name": "زينب علي"}]
        assert db.scalar("SELECT certificate_prefix FROM units") == ""
        unit = store.get(db, records.Unit, unit_id)
        store.update(db, dataclasses.replace(unit, name="شعبة الإعلام"))  # saves again
