"""The app while another program (or task) holds the database's write lock: the form's
draft autosave never waits on it, a Save says it is waiting and saves once the lock is
free, and a background task's SQLite error reaches the user as the project's message."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QApplication

from models import drafts, records, store
from models.errors import DatabaseBusyError
from tests.test_ui_date_edit import show_active, type_text
from ui.forms import form_base
from ui.forms.activity_form import ActivityDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def discard_when_closed(monkeypatch):
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")


@pytest.fixture
def other_writer(db_path, db):
    """Another connection (another program) that takes the write lock on ``lock()`` and
    lets it go on ``free()``."""

    class Writer:
        def __init__(self) -> None:
            self.conn = sqlite3.connect(db_path, isolation_level=None)

        def lock(self) -> None:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("UPDATE settings SET value = value WHERE key = 'local_unit_id'")

        def free(self) -> None:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    writer = Writer()
    yield writer
    writer.free()
    writer.conn.close()


def open_form(qtbot, ctx) -> ActivityDialog:
    dialog = ActivityDialog(ctx)
    show_active(qtbot, dialog)
    return dialog


def test_the_draft_autosave_does_not_wait_for_another_writer(qtbot, ctx, db, other_writer,
                                                            monkeypatch):
    db.set_busy_timeout(10_000)  # what a user's own action may wait: not the autosave
    waits: list[int] = []
    real_save = drafts.save

    def save(database, *args):
        waits.append(database.scalar("PRAGMA busy_timeout"))
        return real_save(database, *args)

    monkeypatch.setattr(drafts, "save", save)
    dialog = open_form(qtbot, ctx)
    other_writer.lock()
    type_text(dialog.title, "ورشة عن الرصد الإعلامي")
    qtbot.waitUntil(lambda: len(waits) >= 2, timeout=5000)  # tried, found it busy, again
    assert max(waits) <= form_base.DRAFT_WAIT_MS
    assert drafts.get(db, dialog.draft_key) is None  # not yet: the other holds the lock
    assert dialog._draft_timer.isActive()  # it will try at the next tick
    type_text(dialog.title, " الثانية")  # the form keeps taking keys meanwhile
    assert dialog.title.text() == "ورشة عن الرصد الإعلامي الثانية"
    assert QApplication.activeModalWidget() is None  # no message to click away
    other_writer.free()
    qtbot.waitUntil(lambda: drafts.get(db, dialog.draft_key) is not None, timeout=5000)
    draft = drafts.get(db, dialog.draft_key)
    assert draft.payload["activity"]["title"] == "ورشة عن الرصد الإعلامي الثانية"
    assert db.scalar("PRAGMA busy_timeout") == 10_000  # put back for the user's actions


def test_a_save_while_another_writer_holds_the_lock_says_so_and_saves_when_free(
        qtbot, ctx, db, other_writer):
    db.set_busy_timeout(100)  # the app's own is a second (ui.context.UI_BUSY_TIMEOUT_MS)
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, "ورشة عن الرصد الإعلامي")
    dialog.start_date.line.selectAll()
    type_text(dialog.start_date.line, "22/11/2026")
    other_writer.lock()
    dialog.save_and_close()
    assert dialog.isVisible()  # not saved, not closed, not lost
    assert dialog.busy_label.isVisible()
    assert "سيُعاد الحفظ تلقائياً" in dialog.busy_label.text()
    assert QApplication.activeModalWidget() is None  # said in the form, not in a box
    assert store.count(db, records.Activity) == 0
    other_writer.free()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    saved = store.find(db, records.Activity)
    assert [a.title for a in saved] == ["ورشة عن الرصد الإعلامي"]
    assert drafts.all_drafts(db) == []


def test_a_background_tasks_sqlite_error_comes_back_as_the_projects_own(qtbot, ctx, db_path):
    from ui.tasks import run_task

    def work(_progress, _db):
        raise sqlite3.OperationalError("database is locked")

    failures: list[BaseException] = []
    run_task(None, work, db_path=db_path, show_progress=False, on_done=lambda _r: None,
             on_failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], DatabaseBusyError)
    assert "مشغولة" in str(failures[0])
