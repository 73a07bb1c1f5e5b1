"""Resolving a conflict at the ministry centre (models.bundle_conflicts, ``main.py bundle
conflicts|resolve`` and the conflicts dialog's buttons), on a real conflict: one unit's
workshop edited two ways at the same revision, both bundles imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from models import bundle_conflicts, outbox, search
from models.db import Database
from tests.test_cli import run
from tests.test_data_bundle import (
    _conflicting_bundles,
    dump,
    edit,
    export,
    make_unit,
    receive,
    title_of,
)

FIRST = "ورشة الإعلام التربوي — الجلسة الأولى"
SECOND = "ورشة الإعلام التربوي — الجلسة الثانية"


@pytest.fixture
def conflict(tmp_path):
    """A centre holding one conflict: (centre, unit db, its copy, record id, conflict id,
    kept title, other title)."""
    a = make_unit(tmp_path / "a", "مديرية تربية كربلاء", "ورشة الإعلام التربوي")
    first, x, y, record = _conflicting_bundles(a, tmp_path)
    centre = tmp_path / "centre.sqlite3"
    receive(centre, first, x, y)
    with Database.open(centre) as db:
        rows = db.rows("SELECT id, payload FROM bundle_conflicts WHERE record_id = ?",
                       (record,))
    assert len(rows) == 1
    other = json.loads(rows[0]["payload"])["title"]
    kept = title_of(centre, record)
    assert {kept, other} == {FIRST, SECOND}
    return centre, a, tmp_path / "copy" / a.name, record, rows[0]["id"], kept, other


def reimport_both(centre: Path, a: Path, copy: Path, tmp_path: Path) -> None:
    """Both edited versions again, in new (full) bundles: same revision, new files."""
    receive(centre, export(a, tmp_path / "again-a.ittisal", full=True),
            export(copy, tmp_path / "again-copy.ittisal", full=True))


def word_of(title: str) -> str:
    return title.split()[-1]


def test_keep_other_makes_it_the_record_and_keeps_the_replaced(conflict, tmp_path):
    centre, a, copy, record, cid, kept, other = conflict
    with Database.open(centre) as db:
        payload = json.loads(db.scalar("SELECT payload FROM bundle_conflicts WHERE id = ?",
                                       (cid,)))
        before = db.rows("SELECT * FROM activities WHERE id = ?", (record,))[0]
        bundle_conflicts.resolve_conflict(db, cid, "other")
        after = db.rows("SELECT * FROM activities WHERE id = ?", (record,))[0]
        assert {k: after[k] for k in payload} == payload
        assert after["row_version"] == before["row_version"]
        aside = db.rows("SELECT payload, resolved_at FROM bundle_conflicts "
                        "WHERE record_id = ? ORDER BY id", (record,))
        assert len(aside) == 2 and all(r["resolved_at"] for r in aside)
        assert json.loads(aside[1]["payload"]) == {k: before[k] for k in payload}
        assert outbox.conflicts(db) == []
        hits = search.search(db.conn, word_of(other))
        assert [(h.id, h.title) for h in hits if h.id == record] == [(record, other)]
        assert not [h for h in search.search(db.conn, word_of(kept)) if h.id == record]
    # Either version arriving again does not reopen the choice.
    reimport_both(centre, a, copy, tmp_path)
    assert title_of(centre, record) == other
    with Database.open(centre) as db:
        assert outbox.conflicts(db) == []
    # A newer revision still replaces it.
    edit(a, record, "ورشة الإعلام التربوي — بعد الحل")
    receive(centre, export(a, tmp_path / "newer.ittisal"))
    assert title_of(centre, record) == "ورشة الإعلام التربوي — بعد الحل"


def test_keep_current_changes_no_record_and_leaves_the_list(conflict, tmp_path):
    centre, a, copy, record, cid, kept, _other = conflict
    before = dump(centre)
    with Database.open(centre) as db:
        bundle_conflicts.resolve_conflict(db, cid, "current")
        assert outbox.conflicts(db) == []
        assert db.scalar("SELECT resolved_at FROM bundle_conflicts WHERE id = ?", (cid,))
    after = dump(centre)
    assert {t: r for t, r in after.items() if t != "bundle_conflicts"} == \
        {t: r for t, r in before.items() if t != "bundle_conflicts"}
    reimport_both(centre, a, copy, tmp_path)
    assert title_of(centre, record) == kept
    with Database.open(centre) as db:
        assert outbox.conflicts(db) == []


def test_resolving_twice_or_an_unknown_conflict_is_refused(conflict):
    centre, _a, _copy, _record, cid, _kept, _other = conflict
    with Database.open(centre) as db:
        bundle_conflicts.resolve_conflict(db, cid, "other")
    before = dump(centre)
    with Database.open(centre) as db:
        for keep in ("other", "current"):
            with pytest.raises(bundle_conflicts.ConflictError) as refused:
                bundle_conflicts.resolve_conflict(db, cid, keep)
            assert "حُلّ من قبل" in refused.value.arabic
            assert "already resolved" in refused.value.english
        with pytest.raises(bundle_conflicts.ConflictError) as unknown:
            bundle_conflicts.resolve_conflict(db, 9999, "current")
        assert "لا يوجد تعارض" in unknown.value.arabic
    assert dump(centre) == before


def test_command_line_lists_and_resolves(conflict):
    centre, _a, _copy, record, cid, _kept, other = conflict
    listed = run("bundle", "conflicts", "--json", db=centre)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["record_id"], r["title"]) for r in rows] == [(cid, record, other)]
    text = run("bundle", "conflicts", db=centre)
    assert text.returncode == 0 and other in text.stdout
    done = run("bundle", "resolve", str(cid), "--keep", "other", db=centre)
    assert done.returncode == 0, done.stderr
    assert f"حُلّ التعارض رقم {cid}" in done.stdout
    assert title_of(centre, record) == other
    again = run("bundle", "resolve", str(cid), "--keep", "current", db=centre)
    assert again.returncode == 1
    assert "حُلّ من قبل" in again.stderr and "already resolved" in again.stderr
    assert title_of(centre, record) == other
    empty = run("bundle", "conflicts", db=centre)
    assert "لا تعارضات" in empty.stdout
    assert json.loads(run("bundle", "conflicts", "--json", db=centre).stdout) == []
    usage = run("bundle", "resolve", str(cid), "--keep", "both", db=centre)
    assert usage.returncode == 2


@pytest.fixture
def answer_adopt():
    """``answer_adopt(yes)``: answer each «اعتماد النسخة الأخرى» question; returns the
    texts asked."""
    state = {"stopped": False}

    def start(yes: bool) -> list[str]:
        asked: list[str] = []

        def poll() -> None:
            if state["stopped"]:
                return
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox) and box.objectName() == "adoptConfirm" \
                    and box.isVisible() and not box.property("answered"):
                box.setProperty("answered", True)
                asked.append(box.text())
                wanted = QMessageBox.ButtonRole.YesRole if yes else QMessageBox.ButtonRole.NoRole
                next(b for b in box.buttons() if box.buttonRole(b) == wanted).click()
            QTimer.singleShot(20, poll)

        QTimer.singleShot(0, poll)
        return asked

    yield start
    state["stopped"] = True


def open_dialog(qtbot, centre: Path):
    from ui.application import create_application
    from ui.context import AppContext
    from ui.forms.bundle_import_dialog import ConflictsDialog

    create_application()
    db = Database.open(centre)
    dialog = ConflictsDialog(AppContext(db))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, db


def test_dialog_adopts_the_other_version_after_asking(qtbot, conflict, answer_adopt):
    centre, _a, _copy, record, _cid, kept, other = conflict
    dialog, db = open_dialog(qtbot, centre)
    try:
        assert dialog.table.rowCount() == 1
        assert not dialog.keep_other_button.isEnabled()
        dialog.table.setCurrentCell(0, 1)
        assert dialog.keep_other_button.isEnabled()
        asked = answer_adopt(False)
        dialog.keep_other_button.click()
        qtbot.waitUntil(lambda: len(asked) == 1)
        assert kept in asked[0] and other in asked[0]
        assert db.scalar("SELECT title FROM activities WHERE id = ?", (record,)) == kept
        assert dialog.table.rowCount() == 1
        dialog.table.setCurrentCell(0, 1)
        asked = answer_adopt(True)
        dialog.keep_other_button.click()
        qtbot.waitUntil(lambda: len(asked) == 1)
        assert db.scalar("SELECT title FROM activities WHERE id = ?", (record,)) == other
        assert dialog.table.rowCount() == 0
        assert not dialog.keep_current_button.isEnabled()
    finally:
        db.close()


def test_dialog_keeps_the_current_record(qtbot, conflict):
    centre, _a, _copy, record, _cid, kept, _other = conflict
    dialog, db = open_dialog(qtbot, centre)
    try:
        dialog.table.setCurrentCell(0, 1)
        dialog.keep_current_button.click()
        assert dialog.table.rowCount() == 0
        assert db.scalar("SELECT title FROM activities WHERE id = ?", (record,)) == kept
        assert outbox.conflicts(db) == []
    finally:
        db.close()

