"""Backups: online copies, rotation, the daily backup, checking and restoring."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from models import backup, records, store
from models.db import Database
from models.errors import DatabaseError, NotADatabaseError


def test_take_writes_a_complete_self_contained_copy(db, workshop):
    path = backup.take(db)
    assert path.parent == db.path.parent / "backups"
    assert path.name.startswith("ittisal-") and path.suffix == ".sqlite3"
    assert not list(path.parent.glob("*.tmp"))
    copy = sqlite3.connect(path)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("SELECT title FROM activities").fetchone()[0] == workshop.title
    copy.close()
    assert backup.check_file(path).ok


def test_take_to_a_chosen_file(db, workshop, tmp_path):
    target = tmp_path / "usb" / "نسخة.sqlite3"
    assert backup.take(db, to=target) == target
    assert backup.check_file(target).ok


def _fake_backups(db_path, stamps):
    folder = db_path.parent / "backups"
    folder.mkdir(exist_ok=True)
    for stamp in stamps:
        (folder / f"{db_path.stem}-{stamp:%Y%m%d-%H%M%S-%f}-daily.sqlite3").write_bytes(b"x")


def test_rotation_keeps_the_last_ten_and_one_a_month(db_path):
    start = dt.datetime(2026, 1, 1, 9)
    stamps = [start + dt.timedelta(days=3 * i) for i in range(100)]  # ten months
    _fake_backups(db_path, stamps)
    other = db_path.parent / "backups" / "other-20260101-090000-000000-daily.sqlite3"
    other.write_bytes(b"x")  # another database's backup in the same folder
    backup.rotate(db_path)
    kept = [stamp for stamp, _ in backup.backups(db_path)]
    assert kept[-10:] == stamps[-10:]
    months = {(s.year, s.month) for s in stamps}
    assert {(s.year, s.month) for s in kept} == months
    for month in months:  # the newest of each month stays
        newest = max(s for s in stamps if (s.year, s.month) == month)
        assert newest in kept
    assert len(kept) <= 10 + len(months)
    assert other.exists()


def test_daily_backup_is_taken_once_a_day(db):
    first = backup.daily(db)
    assert first is not None and first.exists()
    assert backup.daily(db) is None
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert backup.daily(db, today=tomorrow) is not None


def test_restore_brings_back_the_old_state_and_keeps_the_current_one(db, workshop):
    saved = backup.take(db)
    store.insert(db, records.Activity(title="نشاط بعد النسخة", start_date="2026-12-01"))
    store.delete(db, records.Activity, workshop.id)
    db.close()

    safety = backup.restore(db.path, saved)
    with Database.open(db.path) as restored:
        titles = [a.title for a in store.find(restored, records.Activity)]
        assert titles == [workshop.title]
    with Database.open(safety) as before:
        assert store.count(before, records.Activity) == 1
        assert store.count(before, records.Activity, include_deleted=True) == 2


def test_restore_refuses_a_damaged_file_and_changes_nothing(db, workshop, tmp_path):
    db.close()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4096)
    with pytest.raises(NotADatabaseError):
        backup.restore(db.path, bad)
    with pytest.raises(DatabaseError):
        backup.restore(db.path, tmp_path / "missing.sqlite3")
    with Database.open(db.path) as same:
        assert store.get(same, records.Activity, workshop.id).title == workshop.title


def test_restore_refuses_a_truncated_backup(db, workshop, tmp_path):
    for i in range(200):
        store.insert(db, records.Activity(title=f"نشاط {i}", start_date="2026-01-01",
                                          summary="ملخص " * 200))
    saved = backup.take(db)
    db.close()
    data = saved.read_bytes()
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(NotADatabaseError):
        backup.restore(db.path, cut)
    with Database.open(db.path) as same:
        assert store.count(same, records.Activity) == 201


def test_check_finds_a_broken_foreign_key(db, workshop):
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("INSERT INTO attendance (id, unit_id, created_at, updated_at, activity_id, "
               "person_id) VALUES ('x', ?, 'x', 'x', ?, 'ghost')",
               (db.local_unit_id, workshop.id))
    db.execute("PRAGMA foreign_keys = ON")
    report = backup.check_connection(db.conn, db.path)
    assert not report.ok
    assert report.foreign_keys


@pytest.mark.parametrize("content", [b"", None])
def test_restore_refuses_an_empty_or_foreign_file(db, workshop, tmp_path, content):
    db.close()
    source = tmp_path / "source.sqlite3"
    if content is None:  # another program's database
        conn = sqlite3.connect(source)
        conn.execute("CREATE TABLE customers (name)")
        conn.commit()
        conn.close()
    else:
        source.write_bytes(content)
    with pytest.raises(NotADatabaseError) as caught:
        backup.restore(db.path, source)
    assert "اتصال" in str(caught.value) or "تالف" in str(caught.value)
    with Database.open(db.path) as same:
        assert store.count(same, records.Activity) == 1


def test_restore_rescues_a_database_too_damaged_to_open(db, workshop, tmp_path):
    saved = backup.take(db, to=tmp_path / "good.sqlite3")
    db.close()
    garbage = b"\x13\x37" * 4096
    db.path.write_bytes(garbage)
    safety = backup.restore(db.path, saved)
    assert safety.read_bytes() == garbage  # the damaged file is kept, as it was
    assert "damaged" in safety.name
    with Database.open(db.path) as restored:
        assert store.get(restored, records.Activity, workshop.id).title == workshop.title


def test_a_damaged_file_set_aside_by_a_restore_is_not_the_days_backup(db, workshop,
                                                                      tmp_path):
    """A restore that rescued an emptied database keeps the empty file in backups/; the
    app's start the same day must still take its daily backup, and an emptied file is
    never offered as the backup to restore."""
    saved = backup.take(db, to=tmp_path / "good.sqlite3")
    db.close()
    db.path.write_bytes(b"")
    safety = backup.restore(db.path, saved)
    assert "damaged" in safety.name and safety.stat().st_size == 0
    assert safety not in [path for _, path in backup.backups(db.path)]
    with Database.open(db.path) as restored:
        taken = backup.daily(restored)
    assert taken is not None and taken.stat().st_size > 0
    db.path.write_bytes(b"")  # emptied again: the message names a real backup
    with pytest.raises(DatabaseError) as caught:
        Database.open(db.path)
    assert taken.name in caught.value.english and safety.name not in caught.value.english
