"""Trust and soundness of the ministry centre's import (models.bundle_merge) and of its
backups (models.backup): dangling references awaited at a centre, a person merge at the
unit, which key may sign a unit's bundles, and rows pointing at another unit's records."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from models import approval, backup, bundle_merge, certificates, persons, records, store
from models.data_bundle import BundleError
from models.db import Database
from models.records import now
from tests.test_data_bundle import (
    approved_id,
    dump,
    edit,
    export,
    make_unit,
    receive,
    refused,
)


@pytest.fixture
def unit_a(tmp_path):
    return make_unit(tmp_path / "a", "مديرية تربية كربلاء", "ورشة الإعلام التربوي")


def current_fingerprint(unit: Path) -> str:
    with Database.open(unit) as db:
        return certificates.key_id(certificates.load_private_key(db))


# --- 1. a centre's backups ------------------------------------------------------------

def test_centre_with_a_link_to_an_unsent_record_backs_up_and_restores(unit_a, tmp_path):
    with Database.open(unit_a) as db:
        draft = db.scalar("SELECT id FROM activities WHERE status = 'draft'")
        store.insert(db, records.CoverageItem(date="2026-11-02", outlet="العراقية",
                                              medium="tv", level="local",
                                              title="تغطية المسودة", activity_id=draft))
    centre = tmp_path / "centre" / "c.sqlite3"
    centre.parent.mkdir()
    receive(centre, export(unit_a, tmp_path / "a.ittisal"))
    with Database.open(centre) as db:
        assert db.scalar("SELECT count(*) FROM coverage_items WHERE activity_id = ?",
                         (draft,)) == 1
        assert not db.scalar("SELECT 1 FROM activities WHERE id = ?", (draft,))
        saved = backup.take(db, to=tmp_path / "centre-backup.sqlite3")
        with db.atomic():
            db.execute("DELETE FROM coverage_items")
    assert backup.check_file(saved).ok
    backup.restore(centre, saved)
    with Database.open(centre) as db:
        assert db.scalar("SELECT count(*) FROM coverage_items WHERE activity_id = ?",
                         (draft,)) == 1


def test_a_units_own_dangling_link_is_still_damage(unit_a, tmp_path):
    with Database.open(unit_a) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        store.insert(db, records.CoverageItem(date="2026-11-02", outlet="العراقية",
                                              medium="tv", level="local", title="يتيمة",
                                              activity_id=records.new_id()))
        saved = backup.take(db, to=tmp_path / "unit-backup.sqlite3")
    report = backup.check_file(saved)
    assert not report.ok and report.foreign_keys


# --- 2. a person merge at the unit ----------------------------------------------------

def _merged_unit(unit: Path, tmp_path: Path) -> tuple[Path, Path, str, str]:
    """A first bundle with two people attending one activity; then the unit removes the
    first one's attendance and merges the second person into the first (which deletes the
    removed row for good and moves the other onto its activity and person)."""
    with Database.open(unit) as db:
        act = approved_id(unit)
        keep = db.scalar("SELECT person_id FROM attendance")
        drop = store.insert(db, records.Person(full_name="زينب علي", gender="f")).id
        store.insert(db, records.Attendance(activity_id=act, person_id=drop, days=[1]))
    first = export(unit, tmp_path / "first.ittisal")
    with Database.open(unit) as db:
        removed = db.scalar("SELECT id FROM attendance WHERE person_id = ?", (keep,))
        store.delete(db, records.Attendance, removed)
        persons.merge(db, keep, drop)
        # The merge changed an approved activity's list: it is a draft again, whose
        # changes travel once it is approved anew.
        assert db.scalar("SELECT status FROM activities WHERE id = ?", (act,)) == "draft"
        approval.approve(db, "activity", [act], by="مدير الوحدة")
        moved = db.scalar("SELECT id FROM attendance WHERE deleted_at IS NULL")
    return first, export(unit, tmp_path / "second.ittisal"), removed, moved


def test_person_merge_at_the_unit_imports_in_any_order(unit_a, tmp_path):
    first, second, removed, moved = _merged_unit(unit_a, tmp_path)
    centre = tmp_path / "c1.sqlite3"
    receive(centre, first, second)
    with Database.open(unit_a) as unit, Database.open(centre) as db:
        sql = "SELECT id, activity_id, person_id, deleted_at FROM attendance ORDER BY id"
        assert db.rows(sql) == unit.rows(sql)
        assert db.scalar("SELECT attendees FROM activities WHERE id = ?",
                         (approved_id(unit_a),)) == 1
        lost = db.rows("SELECT record_id FROM bundle_conflicts WHERE table_name = "
                       "'attendance'")
        assert [r["record_id"] for r in lost] == [removed]
    other = tmp_path / "c2.sqlite3"
    receive(other, second, first)
    assert dump(other) == dump(centre)


def test_a_database_error_during_a_merge_is_a_logged_refusal(unit_a, tmp_path,
                                                             monkeypatch):
    centre = tmp_path / "c.sqlite3"
    receive(centre, export(unit_a, tmp_path / "1.ittisal"))
    edit(unit_a, approved_id(unit_a), "تعديل")
    later = export(unit_a, tmp_path / "2.ittisal")

    def clash(*_args, **_kw):
        raise sqlite3.IntegrityError("UNIQUE constraint failed: attendance.activity_id")

    monkeypatch.setattr(bundle_merge, "_refresh", clash)
    refused(centre, later, "could not be merged")


# --- 3. which key signs a unit's bundles ----------------------------------------------

def test_a_replaced_key_is_refused_after_the_new_one_was_confirmed(unit_a, tmp_path):
    centre = tmp_path / "c.sqlite3"
    receive(centre, export(unit_a, tmp_path / "1.ittisal"))
    edit(unit_a, approved_id(unit_a), "قبل استبدال المفتاح")
    old = export(unit_a, tmp_path / "old.ittisal")
    with Database.open(unit_a) as db:
        certificates.replace_key(db)
    edit(unit_a, approved_id(unit_a), "بعد استبدال المفتاح")
    new = export(unit_a, tmp_path / "new.ittisal")
    refused(centre, new, "not the key known here")
    receive(centre, new, expect_fingerprint=current_fingerprint(unit_a))
    refused(centre, old, "not the key known here")


def test_a_key_listed_in_a_bundle_does_not_become_trusted(unit_a, tmp_path):
    thief = tmp_path / "thief"
    shutil.copytree(unit_a.parent, thief)
    with Database.open(thief / unit_a.name) as db:
        certificates.replace_key(db)
        stolen = db.rows("SELECT * FROM signing_keys WHERE replaced_at IS NULL")[0]
    with Database.open(unit_a) as db, db.atomic():
        # The unit's bundle lists a key it does not sign with.
        db.execute("INSERT INTO signing_keys (id, unit_id, public_key, created_at, "
                   "replaced_at) VALUES (?, ?, ?, ?, NULL)",
                   (stolen["id"], stolen["unit_id"], stolen["public_key"], now()))
    centre = tmp_path / "c.sqlite3"
    receive(centre, export(unit_a, tmp_path / "a.ittisal"))
    with Database.open(centre) as db:
        assert db.scalar("SELECT replaced_at FROM signing_keys WHERE id = ?",
                         (stolen["id"],))  # stored for certificates, not for bundles
    edit(thief / unit_a.name, approved_id(unit_a), "سجل مزور")
    forged = export(thief / unit_a.name, tmp_path / "forged.ittisal")
    refused(centre, forged, "not the key known here")


def test_trust_compares_the_public_key_bytes_not_its_id(unit_a, tmp_path):
    centre = tmp_path / "c.sqlite3"
    receive(centre, export(unit_a, tmp_path / "1.ittisal"))
    with Database.open(centre) as db, db.atomic():
        # Another key that happens to have the same 64-bit id.
        db.execute("UPDATE signing_keys SET public_key = ? WHERE id = ?",
                   (bytes(32), current_fingerprint(unit_a)))
    edit(unit_a, approved_id(unit_a), "تعديل")
    refused(centre, export(unit_a, tmp_path / "2.ittisal"), "not the key known here")


# --- 4. rows of one unit pointing at another's ----------------------------------------

def test_a_row_linked_to_another_units_record_is_refused(unit_a, tmp_path):
    b = make_unit(tmp_path / "b", "مديرية صحة بابل", "ندوة التوعية الصحية")
    centre = tmp_path / "c.sqlite3"
    receive(centre, export(unit_a, tmp_path / "a.ittisal"))
    with Database.open(b) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        store.insert(db, records.CoverageItem(date="2026-11-24", outlet="الفرات", medium="tv",
                                              level="local", title="تغطية ورشة غيرنا",
                                              activity_id=approved_id(unit_a)))
    refused(centre, export(b, tmp_path / "b.ittisal"), "another unit's record")


def test_an_attachment_whose_hash_is_not_a_sha256_is_refused(unit_a, tmp_path):
    centre = tmp_path / "c.sqlite3"
    receive(centre, export(unit_a, tmp_path / "1.ittisal"))
    with Database.open(unit_a) as db, db.atomic():
        db.execute("UPDATE attachments SET sha256 = upper(sha256), deleted_at = ?, "
                   "updated_at = ?", (now(), now()))
    with pytest.raises(BundleError):
        receive(tmp_path / "fresh.sqlite3", export(unit_a, tmp_path / "2.ittisal", full=True))
    refused(centre, tmp_path / "2.ittisal", "sha256")
