"""Upgrades that stay true: a file from version 1 upgraded step by step ends exactly like a
new file, derived data is today's, and v7 gives the records kept in settings rows tables
of their own (so that purging an activity takes its certificate style with it)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from models import arabic, backup, recycle, schema, search, store
from models.certificate_style import (
    CertificateStyle,
    Signatory,
    has_activity_style,
    load_style,
    save_style,
)
from models.db import Database
from models.errors import NotFoundError
from models.records import Activity

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "v1.sqlite3"

# The rows tests/fixtures/v1.sqlite3 holds (see tests/fixtures/make_v1.py).
WORKSHOP = "5f0c2b1e-8d3a-4c6e-9a7b-1d2e3f405162"
SEMINAR = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
AHMED, FATIMA, ISRAA = ("0b1c2d3e-4f50-4617-a829-3a4b5c6d7e8f",
                        "1c2d3e4f-5061-4728-b93a-4b5c6d7e8f90",
                        "2d3e4f50-6172-4839-8a4b-5c6d7e8f9012")
RECOMMENDATION = "3e4f5061-7283-494a-9b5c-6d7e8f901234"
V1_TABLES = ("units", "settings", "activities", "persons", "attendance", "recommendations")


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    """A copy of the version-1 fixture, to be upgraded (the fixture itself never is)."""
    copy = tmp_path / "old" / "ittisal.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(FIXTURE, copy)
    return copy


def plain_rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        conn.close()


def schema_of(db: Database) -> dict[tuple[str, str], str | None]:
    """Every table, index, trigger and view, with its SQL whitespace-normalised.
    (sqlite_stat1 comes and goes with PRAGMA optimize: it is SQLite's, not ours.)"""
    return {(kind, name): " ".join(sql.split()) if sql else None
            for kind, name, sql in db.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'")}


def derived(db: Database) -> dict[str, list[tuple]]:
    """Everything rebuild_derived writes, as it stands."""
    return {
        "keys": db.execute("SELECT id, name_key, phone_key FROM persons ORDER BY id").fetchall(),
        "attendees": db.execute("SELECT id, attendees FROM activities ORDER BY id").fetchall(),
        "docs": db.execute("SELECT * FROM search_docs ORDER BY rowid").fetchall(),
        "fts": db.execute("SELECT rowid, title_words, body_words FROM search_fts "
                          "ORDER BY rowid").fetchall(),
    }


def hits(db: Database, query: str) -> list[str]:
    return [h.id for h in search.search(db.conn, query)]


def test_the_fixture_is_a_self_contained_version_1_file():
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_docs'"
                                ).fetchone()
    finally:
        conn.close()
    assert not Path(f"{FIXTURE}-wal").exists()


def test_a_version_1_file_upgraded_step_by_step_is_a_new_file(v1_copy, tmp_path):
    before = {table: plain_rows(v1_copy, table) for table in V1_TABLES}
    with Database.open(v1_copy) as old, Database.open(tmp_path / "new.sqlite3",
                                                      create=True) as new:
        assert old.schema_version == new.schema_version == schema.SCHEMA_VERSION == 13
        assert (old.scalar("PRAGMA application_id") == new.scalar("PRAGMA application_id")
                == schema.APPLICATION_ID)
        assert schema_of(old) == schema_of(new)
        assert ("table", "certificate_styles") in schema_of(old)
        # The backup taken first is the untouched version-1 file.
        (_, kept), = backup.backups(v1_copy)
        assert plain_rows(kept, "persons") == before["persons"]
    # Every row the version-1 file held is still there, column for column.
    for table in V1_TABLES:
        after = plain_rows(v1_copy, table)
        width = len(before[table][0])
        assert [row[:width] for row in after] == before[table], table


def test_derived_data_after_an_upgrade_is_what_todays_code_computes(v1_copy):
    with Database.open(v1_copy) as db:
        upgraded = derived(db)
        assert db.rows("SELECT id, name_key, phone_key FROM persons ORDER BY full_name") == [
            {"id": AHMED, "name_key": arabic.name_key("أحمد عبد الله الموسوي"),
             "phone_key": "07701234567"},
            {"id": ISRAA, "name_key": arabic.name_key("إسراء محمد"), "phone_key": ""},
            {"id": FATIMA, "name_key": arabic.name_key("فاطمة علي حسن"),
             "phone_key": "07801234567"},
        ]
        assert dict(upgraded["attendees"]) == {WORKSHOP: 2, SEMINAR: 1}
        assert {doc[2] for doc in upgraded["docs"]} == {
            WORKSHOP, SEMINAR, AHMED, FATIMA, ISRAA, RECOMMENDATION}
        # Today's code, run again over the same rows, changes nothing.
        with db.atomic():
            schema.rebuild_derived(db.conn)
            search.rebuild(db.conn)
        assert derived(db) == upgraded


def test_an_upgraded_file_finds_arabic_titles_whatever_the_spelling(v1_copy):
    with Database.open(v1_copy) as db:
        assert hits(db, "ورشه تدريبيه") == [WORKSHOP]          # ة written as ه
        assert hits(db, "الندوة الارشادية") == [SEMINAR]       # إ without its hamza
        assert hits(db, "اسراء") == [ISRAA]
        assert hits(db, "احمد الموسوى") == [AHMED]              # أ and ي variants
        assert hits(db, "07701234567") == [AHMED]               # stored as +964 770-123-4567
        assert hits(db, "حملة التوعية") == [RECOMMENDATION]


def test_an_old_file_upgraded_by_the_command_line_checks_sound(v1_copy):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(v1_copy),
                             "check", "--json"], capture_output=True, text=True,
                            encoding="utf-8", timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["schema_version"] == report["known_version"] == schema.SCHEMA_VERSION
    assert report["foreign_keys"] == [] and report["search_index"] == "ok"
    assert report["counts"]["activities"] == 2 and report["counts"]["persons"] == 3


def test_migration_steps_run_no_code_of_today(v1_copy, tmp_path, monkeypatch):
    """Steps 1 to 6 must give the same file whatever today's rules are: with the search
    index, the name and phone keys and the id maker all broken, they still run."""
    from models import records

    def changed(*_args, **_kwargs):
        raise AssertionError("a migration step called today's code")

    for module, name in ((search, "rebuild"), (search, "index_row"), (arabic, "name_key"),
                         (arabic, "phone_key"), (records, "new_id"), (records, "now")):
        monkeypatch.setattr(module, name, changed)
    with Database.open(tmp_path / "new.sqlite3", create=True, target_version=6) as new:
        assert new.schema_version == 6
        # The unit's id is made by SQL in the form records.new_id gives: a UUID 4.
        unit_id = new.local_unit_id
        assert len(unit_id) == 36 and unit_id[14] == "4" and unit_id[19] in "89ab"
        assert unit_id == unit_id.lower()
    with Database.open(v1_copy, target_version=6) as old:
        assert old.schema_version == 6
        # Derived data waits for the last step: none of it is made by an old step.
        assert old.scalar("SELECT count(*) FROM search_docs") == 0
        assert old.scalar("SELECT count(*) FROM persons WHERE name_key != ''") == 0


def test_derived_data_is_rebuilt_with_the_last_step_or_not_at_all(v1_copy, monkeypatch):
    def power_cut(_conn):
        raise RuntimeError("power cut")

    monkeypatch.setattr(schema, "rebuild_derived", power_cut)
    with pytest.raises(RuntimeError):
        Database.open(v1_copy)
    conn = sqlite3.connect(v1_copy)
    # The last step was undone with it: the next open runs it again, then rebuilds.
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION - 1
    assert conn.execute("SELECT count(*) FROM persons WHERE name_key != ''").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM search_docs").fetchone() == (0,)
    conn.close()
    monkeypatch.undo()
    with Database.open(v1_copy) as db:
        assert db.schema_version == schema.SCHEMA_VERSION
        assert hits(db, "ورشه") == [WORKSHOP]


# --- v7: records out of the settings table ---------------------------------------------

def _public_key() -> bytes:
    return Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@pytest.fixture
def v6_file(db_path):
    """A version-6 file as v6's code left it: an activity with its own certificate style,
    one in the bin with its own, a style whose activity was purged, the unit's default
    style, and a key list holding a replaced key, the current one and a broken entry."""
    old = Database.open(db_path, create=True, target_version=6)
    unit = old.local_unit_id
    with old.atomic():
        for aid, deleted in (("a1", None), ("a2", "2026-11-30T08:00:00.000Z")):
            old.execute("INSERT INTO activities (id, unit_id, created_at, updated_at, "
                        "deleted_at, kind, title, start_date) VALUES (?, ?, 'x', 'x', ?, "
                        "'workshop', 'ورشة الاتصال', '2026-11-22')", (aid, unit, deleted))
    styles = {
        "a1": CertificateStyle(design="modern", title="شهادة تقدير",
                               signatories=[Signatory("علي حسين", "مدير القسم")]).to_json(),
        "a2": CertificateStyle(design="minimal").to_json(),
        "purged": CertificateStyle(design="modern").to_json(),
    }
    for aid, value in styles.items():
        old.set_setting(f"certificate_style:{aid}", value)
    old.set_setting("certificate_style:a3", "")  # cleared, as "no style of its own"
    old.set_setting("certificate_style", CertificateStyle(title="شهادة حضور").to_json())
    first, second = _public_key(), _public_key()
    keys = [
        {"id": hashlib.sha256(first).hexdigest()[:16], "unit_id": unit,
         "public_key": base64.b64encode(first).decode(), "created_at": "2026-01-01T00:00:00Z",
         "replaced_at": "2026-06-01T00:00:00Z"},
        {"id": hashlib.sha256(second).hexdigest()[:16], "unit_id": unit,
         "public_key": base64.b64encode(second).decode(), "created_at": "2026-06-01T00:00:00Z",
         "replaced_at": None},
        {"id": "broken", "unit_id": unit, "public_key": "not base64!"},
    ]
    old.set_setting("certificate_public_keys", json.dumps(keys))
    old.close()
    return db_path, unit, styles, (first, second)


def test_version_7_moves_styles_and_keys_out_of_settings(v6_file):
    db_path, unit, styles, (first, second) = v6_file
    with Database.open(db_path) as db:
        assert db.schema_version == schema.SCHEMA_VERSION
        moved = {r["activity_id"]: r["style"] for r in db.rows(
            "SELECT activity_id, style FROM certificate_styles")}
        assert moved == {"a1": styles["a1"], "a2": styles["a2"]}
        assert db.rows("SELECT key FROM settings WHERE key LIKE 'certificate%' ORDER BY key"
                       ) == [{"key": "certificate_style"}]  # the unit's default stays
        assert db.rows("SELECT id, unit_id, public_key, created_at, replaced_at "
                       "FROM signing_keys ORDER BY created_at") == [
            {"id": hashlib.sha256(first).hexdigest()[:16], "unit_id": unit,
             "public_key": first, "created_at": "2026-01-01T00:00:00Z",
             "replaced_at": "2026-06-01T00:00:00Z"},
            {"id": hashlib.sha256(second).hexdigest()[:16], "unit_id": unit,
             "public_key": second, "created_at": "2026-06-01T00:00:00Z",
             "replaced_at": None}]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        # What the user sees: each activity's own style, the unit's for the rest.
        assert load_style(db, "a1").design == "modern"
        assert load_style(db, "a1").signatories == [Signatory("علي حسين", "مدير القسم")]
        assert has_activity_style(db, "a2") and not has_activity_style(db, "a3")
        assert load_style(db, "a3").title == "شهادة حضور"


def test_purging_an_activity_takes_its_certificate_style_with_it(v6_file):
    db_path, *_ = v6_file
    with Database.open(db_path) as db:
        recycle.purge(db, "activity", "a2")
        assert not has_activity_style(db, "a2")
        assert db.scalar("SELECT count(*) FROM certificate_styles WHERE activity_id = 'a2'"
                         ) == 0
        store.delete(db, Activity, "a1")
        assert has_activity_style(db, "a1")  # the bin keeps it, for a restore
        recycle.purge(db, "activity", "a1")
        assert db.scalar("SELECT count(*) FROM certificate_styles") == 0
        assert db.scalar("SELECT count(*) FROM settings WHERE key LIKE 'certificate_style:%'"
                         ) == 0
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_activity_style_is_saved_in_its_own_table(db, workshop):
    style = save_style(db, CertificateStyle(design="minimal", title="شهادة مشاركة"),
                       workshop.id)
    assert db.scalar("SELECT style FROM certificate_styles WHERE activity_id = ?",
                     (workshop.id,)) == style.to_json()
    save_style(db, CertificateStyle(design="modern"), workshop.id)  # replaced, not added
    assert db.scalar("SELECT count(*) FROM certificate_styles") == 1
    assert load_style(db, workshop.id).design == "modern"
    assert db.setting(f"certificate_style:{workshop.id}") is None
    with pytest.raises(NotFoundError) as caught:
        save_style(db, CertificateStyle(), "no-such-activity")
    assert "غير موجود" in str(caught.value) and "no-such-activity" in caught.value.english
    assert db.scalar("SELECT count(*) FROM certificate_styles") == 1


@pytest.mark.parametrize("stored, kept", [
    ("{not json", 0),
    ('{"id": "not a list"}', 0),
    # A key listed twice, and one naming a unit this file does not hold (only the local
    # unit ever signs here): each kept once, as the local unit's.
    ("twice", 1),
])
def test_version_7_keeps_what_version_6_could_read_of_the_key_list(db_path, stored, kept):
    old = Database.open(db_path, create=True, target_version=6)
    unit = old.local_unit_id
    if stored == "twice":
        raw = _public_key()
        entry = {"id": "x", "public_key": base64.b64encode(raw).decode(),
                 "created_at": "2026-01-01T00:00:00Z", "replaced_at": None}
        stored = json.dumps([{**entry, "unit_id": "another-unit"}, {**entry, "unit_id": unit}])
    old.set_setting("certificate_public_keys", stored)
    old.close()
    with Database.open(db_path) as db:
        assert db.setting("certificate_public_keys") is None
        assert db.rows("SELECT unit_id FROM signing_keys") == [{"unit_id": unit}] * kept
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


# --- v9: compound names one in the keys and the index ----------------------------------

def test_version_9_rebuilds_the_name_keys_and_the_index_for_compound_names(db_path):
    """A version-8 file keyed by v8's rules (عبد الله and عبدالله two keys, two sets of
    words) upgrades to keys and words that make them one, in the upgrade's transaction."""
    old = Database.open(db_path, create=True, target_version=8)
    unit = old.local_unit_id
    # Each name with the key v8's rules gave it: the folded words as written.
    people = {"p1": ("علي عبد الزهرة كاظم", "علي عبد الزهره كاظم"),
              "p2": ("علي عبدالزهرة كاظم", "علي عبدالزهره كاظم"),
              "p3": ("نور الدين حسن علي", "نور الدين حسن علي")}
    with old.atomic():
        for pid, (name, v8_key) in people.items():
            old.execute("INSERT INTO persons (id, unit_id, created_at, updated_at, full_name, "
                        "name_key) VALUES (?, ?, 'x', 'x', ?, ?)", (pid, unit, name, v8_key))
    old.close()
    with Database.open(db_path) as db:
        assert db.schema_version == schema.SCHEMA_VERSION == 13
        keys = dict(db.execute("SELECT id, name_key FROM persons").fetchall())
        assert keys["p1"] == keys["p2"] == "علي عبدالزهره كاظم"
        assert keys["p3"] == "نورالدين حسن علي"
        assert sorted(hits(db, "عبدالزهرة")) == sorted(hits(db, "عبد الزهرة")) == ["p1", "p2"]
        assert hits(db, "نورالدين") == ["p3"]


# --- v13: the dashboard's figures from indexes ------------------------------------------

def test_version_13_counts_what_waits_for_approval_as_the_filter_does(db_path):
    """A version-12 file with a draft, an approved, a sent, a sent-then-edited and a
    binned sent-then-edited activity: after the upgrade the dashboard's count (two
    indexes) is the approval filter's, and it follows an edit made after the upgrade."""
    from models import activities, dashboard

    old = Database.open(db_path, create=True, target_version=12)
    unit = old.local_unit_id
    rows = [("draft", "draft", None, 1, None, None), ("approved", "approved", None, 1, None, None),
            ("sent", "sent", "2026-11-01", 2, 2, None),
            ("edited", "sent", "2026-11-01", 3, 2, None),
            ("binned", "sent", "2026-11-01", 3, 2, "2026-11-05")]
    with old.atomic():
        for aid, status, sent_at, version, sent_version, deleted in rows:
            old.execute(
                "INSERT INTO activities (id, unit_id, created_at, updated_at, deleted_at, "
                "kind, title, start_date, status, sent_at, row_version, sent_version) "
                "VALUES (?, ?, 'x', 'x', ?, 'workshop', ?, '2026-11-20', ?, ?, ?, ?)",
                (aid, unit, deleted, aid, status, sent_at, version, sent_version))
    old.close()
    with Database.open(db_path) as db:
        assert db.schema_version == 13
        pending = activities.ActivityFilter(approval="pending")
        assert activities.count_awaiting_approval(db) == activities.count_activities(
            db, pending) == 2
        assert dashboard.summary(db, dt.date(2026, 11, 25)).awaiting_approval == 2
        with db.atomic():  # the sent one is edited: it waits for approval again
            db.execute("UPDATE activities SET updated_at = 'y' WHERE id = 'sent'")
        assert activities.count_awaiting_approval(db) == activities.count_activities(
            db, pending) == 3
        # The month's persons come from the start-date index without reading activities.
        plan = " ".join(str(r[-1]) for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT count(DISTINCT t.person_id) FROM activities a "
            "JOIN attendance t ON t.activity_id = a.id WHERE a.start_date BETWEEN ? AND ? "
            "AND a.deleted_at IS NULL AND t.deleted_at IS NULL", ("2026-11-01", "2026-11-30")))
        assert "COVERING INDEX activities_list_start" in plan
