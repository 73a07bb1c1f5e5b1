"""What a unit's bundle marks sent and what it must carry: only the versions it held are
marked sent, a sent record edited and then deleted still reaches the centre as a
tombstone, and the import dialog asks about a second key for a new unit as a key
replacement (models.data_bundle, models.approval, ui.forms.bundle_import_dialog)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from models import (
    approval,
    bundle_merge,
    certificates,
    data_bundle,
    files,
    records,
    recycle,
    store,
)
from models.db import Database
from tests.test_data_bundle import approved_id, export, make_unit, receive
from tests.test_ui_bundle_import import (  # noqa: F401 - fixtures used by name
    YES,
    answer_boxes,
    fingerprint_of,
    results,
    run_import,
    units,
)
from ui.forms.bundle_import_dialog import TEXT, BundleImportDialog


def row_of(path: Path, record_id: str) -> dict:
    with Database.open(path) as db:
        return db.rows("SELECT status, sent_at, sent_version, row_version, deleted_at "
                       "FROM activities WHERE id = ?", (record_id,))[0]


def carried(bundle: Path, table: str) -> dict[str, dict]:
    text = zipfile.ZipFile(bundle).read(f"tables/{table}.jsonl").decode("utf-8")
    return {row["id"]: row for row in map(json.loads, text.splitlines())}


def test_a_record_edited_while_the_bundle_is_written_stays_an_unsent_draft(
        tmp_path, monkeypatch):
    unit = make_unit(tmp_path / "a", "مديرية تربية كربلاء", "ورشة الإعلام التربوي")
    act = approved_id(unit)
    before = row_of(unit, act)
    write_file = files.write_file

    with Database.open(unit) as db:
        def edit_then_write(target, content):
            # The person saves an edit after the records were read, before the file is.
            approval.touched(db, "activity", act)
            return write_file(target, content)

        monkeypatch.setattr(data_bundle.files, "write_file", edit_then_write)
        done = data_bundle.export(db, tmp_path / "a.ittisal")

    assert carried(done.path, "activities")[act]["row_version"] == before["row_version"]
    after = row_of(unit, act)
    assert after["status"] == "draft"
    assert after["sent_at"] is None and after["sent_version"] is None
    assert after["row_version"] == before["row_version"] + 1
    assert done.sent == {"activity": 0, "plan": 1}  # the plan, not edited, went
    with Database.open(unit) as db:
        state = approval.state(db, "activity", act)
        assert state.status == "draft" and state.sent_at is None
        # Approved again, it goes in the next bundle at its new version.
        approval.approve(db, "activity", [act], by="المدير")
        again = data_bundle.select(db, full=False, stamp=records.now())
        assert again.sent["activity"] == {act: after["row_version"] + 1}


def test_a_sent_record_edited_then_deleted_reaches_the_centre_as_a_tombstone(tmp_path):
    unit = make_unit(tmp_path / "a", "مديرية تربية كربلاء", "ورشة الإعلام التربوي")
    act = approved_id(unit)
    centre = tmp_path / "centre" / "centre.sqlite3"
    centre.parent.mkdir()
    receive(centre, export(unit, tmp_path / "1.ittisal"))
    with Database.open(unit) as db:
        with approval.revision(db, "activity", act):  # its list edited: a draft again
            row = db.rows("SELECT id FROM attendance WHERE activity_id = ?", (act,))[0]
            listed = store.get(db, records.Attendance, row["id"])
            store.update(db, dataclasses.replace(listed, days=[1, 2]))
        time.sleep(0.005)  # the version trigger skips a second update in the same ms
        store.delete(db, records.Activity, act)
    deleted = row_of(unit, act)
    assert deleted["status"] == "draft" and deleted["deleted_at"]

    second = export(unit, tmp_path / "2.ittisal")
    tomb = carried(second, "activities")[act]
    assert tomb["deleted_at"] == deleted["deleted_at"]
    assert tomb["status"] == "draft"  # not approved, so not sent as approved
    assert tomb["row_version"] == deleted["row_version"]
    # The draft's children (its attendance edits) stay home.
    assert act not in {r["activity_id"] for r in carried(second, "attendance").values()}
    after = row_of(unit, act)
    assert after["sent_version"] == deleted["row_version"] and after["status"] == "draft"

    receive(centre, second)
    with Database.open(centre) as db:
        assert db.scalar("SELECT deleted_at FROM activities WHERE id = ?",
                         (act,)) == deleted["deleted_at"]
    # Sent once, the tombstone is not sent again.
    third = export(unit, tmp_path / "3.ittisal")
    assert act not in carried(third, "activities")


def test_a_sent_record_leaves_the_bin_only_once_its_deletion_was_sent(tmp_path):
    unit = make_unit(tmp_path / "a", "مديرية تربية كربلاء", "ورشة الإعلام التربوي")
    act = approved_id(unit)
    export(unit, tmp_path / "1.ittisal")
    with Database.open(unit) as db:
        store.delete(db, records.Activity, act)
        with pytest.raises(recycle.UnsentDeletionError) as raised:
            recycle.purge(db, "activity", act)
        assert "قبل أن يصل حذفه إلى الوزارة" in raised.value.arabic
        assert recycle.empty(db) == 0
        assert recycle.purge_expired(db, dt.date(2027, 6, 1)) == 0
        assert [item.id for item in recycle.items(db)] == [act]
    export(unit, tmp_path / "2.ittisal")
    with Database.open(unit) as db:
        assert recycle.empty(db) == 1
        assert db.scalar("SELECT count(*) FROM activities WHERE id = ?", (act,)) == 0


def test_a_second_key_for_a_new_unit_in_one_batch_asks_as_a_key_replacement(
        answer_boxes, qtbot, ctx, db, units, tmp_path):  # noqa: F811 - fixtures
    unit_db, bundle = units["karbala"]
    other = tmp_path / "other"
    shutil.copytree(unit_db.parent, other)
    with Database.open(other / unit_db.name) as odb:
        certificates.replace_key(odb)
        with odb.atomic():
            odb.execute("DELETE FROM signing_keys WHERE replaced_at IS NOT NULL")
    second = export(other / unit_db.name, tmp_path / "other.ittisal", full=True)
    trusted, new = fingerprint_of(unit_db), fingerprint_of(other / unit_db.name)
    assert trusted != new

    defaults: list[str] = []

    def answer(box: QMessageBox) -> None:
        defaults.append(box.defaultButton().text())
        if "هذه أول حزمة" in box.text():
            next(b for b in box.buttons() if b.text() == YES).click()
        else:
            box.defaultButton().click()  # a person who just presses Enter

    dialog = BundleImportDialog(ctx, None, [bundle, second])
    qtbot.addWidget(dialog)
    asked = answer_boxes(answer)
    run_import(qtbot, dialog)

    assert len(asked) == 2
    assert "هذه أول حزمة من «مديرية كربلاء»" in asked[0]
    assert "هذه أول حزمة" not in asked[1]
    assert "مفتاح موثوق" in asked[1] and "استبدلت" in asked[1]
    assert trusted in asked[1] and new in asked[1]
    assert defaults[1] == TEXT["no"]
    rows = results(dialog)
    assert rows[0][2].startswith("استُوردت")
    assert rows[1][2] == TEXT["declined_replace"]
    with Database.open(unit_db) as udb:
        unit_id = udb.local_unit_id
    assert bundle_merge.is_centre(db)
    keys = {certificates.fingerprint(k) for k in certificates.public_keys(db, unit_id)}
    assert keys == {trusted}
