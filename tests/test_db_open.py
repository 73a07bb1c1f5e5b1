"""Opening a database file: a missing or 0-byte file is reported, never made into a new,
empty and "healthy" database; only ``demo`` and the app's first start create one."""

from __future__ import annotations

import pytest

from models import backup, records, store
from models.db import Database
from models.errors import EmptyDatabaseFileError, NoDatabaseError, NotADatabaseError
from tests.conftest import karbala_workshop
from tests.test_cli import run

EMPTY_AR = "فارغ (0 بايت)"
EMPTY_EN = "is empty (0 bytes)"


def _sides(path):
    return [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]


def _log_of_bugs():
    import main

    return main.log_path()


def test_a_missing_file_is_refused_and_not_made(db_path):
    with pytest.raises(NoDatabaseError) as caught:
        Database.open(db_path)
    assert "لا توجد قاعدة بيانات" in str(caught.value)
    assert str(db_path) in caught.value.english
    assert not db_path.exists()
    assert not any(p.exists() for p in _sides(db_path))


def test_create_makes_a_new_file_only_where_there_is_none(db_path):
    with Database.open(db_path, create=True) as db:
        store.insert(db, karbala_workshop())
    with Database.open(db_path, create=True) as again:  # an existing file is opened
        assert store.count(again, records.Activity) == 1


@pytest.mark.parametrize("create", [False, True])
def test_a_zero_byte_file_is_refused_and_left_as_it_is(db_path, create):
    db_path.write_bytes(b"")
    with pytest.raises(EmptyDatabaseFileError) as caught:
        Database.open(db_path, create=create)
    assert isinstance(caught.value, NotADatabaseError)
    assert EMPTY_AR in caught.value.arabic and "restore" in caught.value.arabic
    assert EMPTY_EN in caught.value.english
    assert db_path.stat().st_size == 0
    assert not any(p.exists() for p in _sides(db_path))


def test_the_message_of_an_emptied_file_names_its_newest_backup(db, db_path):
    store.insert(db, karbala_workshop())
    older = backup.take(db, reason="first")
    newest = backup.take(db, reason="second")
    db.close()
    db_path.write_bytes(b"")  # a copy over it failed
    with pytest.raises(EmptyDatabaseFileError) as caught:
        Database.open(db_path)
    assert str(newest) in caught.value.arabic and str(newest) in caught.value.english
    assert str(older) not in caught.value.english
    # and what it says to do works: the backup comes back over the empty file
    result = run("restore", str(newest), db=db_path)
    assert result.returncode == 0, result.stderr
    with Database.open(db_path) as restored:
        assert store.count(restored, records.Activity) == 1


def test_a_folder_given_as_the_database_says_so(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    result = run("list", "activities", db=folder)
    assert result.returncode == 1
    arabic, english = result.stderr.splitlines()
    assert "مجلد" in arabic and "is a folder" in english
    assert list(folder.iterdir()) == []
    assert not _log_of_bugs().exists()


COMMANDS = [
    ("list", "activities"),
    ("search", "ورشة"),
    ("check",),
    ("backup",),
    ("verify", "ABCDE-FGHJK"),
    ("import", "attendees", "--activity", "abc", "{sheet}"),
    ("export", "news", "--activity", "abc", "--out", "{out}"),
    ("export", "attendance", "--activity", "abc", "--out", "{out}"),
    ("export", "periodic", "--from", "2026-01-01", "--to", "2026-12-31", "--out", "{out}"),
    ("export", "letter", "--report", "{sheet}", "--subject", "x", "--out", "{out}"),
    ("export", "certificates", "--activity", "abc", "--out", "{out}"),
    ("demo", "--activities", "5"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_command_refuses_a_zero_byte_database(db_path, tmp_path, command):
    db_path.write_bytes(b"")
    sheet = tmp_path / "list.csv"
    sheet.write_text("الاسم\nعلي حسن\n", encoding="utf-8")
    out = tmp_path / "out.docx"
    args = [a.format(sheet=sheet, out=out) for a in command]
    result = run(*args, db=db_path)
    assert result.returncode == 1, (result.stdout, result.stderr)
    arabic, english = result.stderr.splitlines()
    assert EMPTY_AR in arabic and EMPTY_EN in english
    assert result.stdout == ""
    assert db_path.stat().st_size == 0  # never initialised
    assert not any(p.exists() for p in _sides(db_path))
    assert not out.exists()
    assert not _log_of_bugs().exists()  # the user's situation, not a bug


def test_the_app_reports_a_zero_byte_database_and_leaves_it(db_path, monkeypatch):
    import logging
    import sys

    from PySide6.QtWidgets import QMessageBox

    from ui import launch as launcher

    db_path.write_bytes(b"")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # launch installs its own
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        assert launcher.launch(str(db_path)) == 1
    finally:
        for handler in set(root.handlers) - set(handlers):
            root.removeHandler(handler)
    assert len(shown) == 1 and EMPTY_AR in shown[0]
    assert db_path.stat().st_size == 0
    assert not any(p.exists() for p in _sides(db_path))


def test_the_app_upgrades_an_old_file_off_the_ui_thread_with_a_message(tmp_path, qtbot,
                                                                         monkeypatch):
    """A file of an older schema is upgraded (backup, new tables, derived data rebuilt:
    a minute for a big file) on a thread of its own while a message says so, never on
    the UI thread where the app would look dead; a current, missing or empty file needs
    nothing of the kind."""
    import shutil
    import threading

    from PySide6.QtWidgets import QProgressDialog

    from models import schema
    from tests.test_migrations import FIXTURE
    from ui import launch as launcher

    old = tmp_path / "old" / "ittisal.sqlite3"
    old.parent.mkdir()
    shutil.copyfile(FIXTURE, old)
    assert launcher.needs_upgrade(old)
    ran_on: list[bool] = []
    real_rebuild = schema.rebuild_derived

    def rebuild(conn):
        ran_on.append(threading.current_thread() is threading.main_thread())
        return real_rebuild(conn)

    monkeypatch.setattr(schema, "rebuild_derived", rebuild)
    shown: list[str] = []
    real_show = QProgressDialog.show
    monkeypatch.setattr(QProgressDialog, "show",
                        lambda self: (shown.append(self.labelText()), real_show(self)))

    launcher.upgrade_in_background(old)
    assert ran_on == [False]
    assert len(shown) == 1 and "نسخة احتياطية" in shown[0]
    assert not launcher.needs_upgrade(old)
    with Database.open(old) as db:
        assert db.schema_version == schema.SCHEMA_VERSION
    assert len(backup.backups(old)) == 1  # taken before the upgrade, as always

    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    assert not any(launcher.needs_upgrade(p) for p in (old, empty, tmp_path / "none"))
