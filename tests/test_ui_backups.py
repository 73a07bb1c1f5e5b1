"""Backups in the app (list, back up now, restore) and the Help menu (guide, about, folders,
demo removal), on real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

from demo import removal
from exporters.docx_template import app_version
from models import backup, records, store
from tests.conftest import karbala_workshop
from ui import backups_dialog, help_menu
from ui.backups_dialog import BackupsDialog
from ui.main_window import MainWindow


@pytest.fixture
def dialog(qtbot, ctx):
    window = BackupsDialog(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def wait_task(qtbot, task) -> None:
    qtbot.waitUntil(lambda: not task.running, timeout=60_000)


def test_the_list_shows_each_backup_newest_first(qtbot, ctx, db):
    first = backup.take(db)
    second = backup.take(db, reason="daily")
    window = BackupsDialog(ctx)
    qtbot.addWidget(window)
    assert window.table.rowCount() == 2
    assert [path for _when, path in window.found] == [second, first]
    today = dt.date.today()
    date_cell = window.table.item(0, 0).text()
    assert date_cell.endswith(str(today.year).translate(str.maketrans("0123456789",
                                                                      "٠١٢٣٤٥٦٧٨٩")))
    assert window.table.item(0, 2).text() == "يومية" and window.table.item(1, 2).text() == "يدوية"
    assert window.table.item(0, 3).text().endswith("ك.ب")
    assert window.selected() == second and window.restore_button.isEnabled()


def test_no_backup_yet_says_so(dialog):
    assert dialog.table.rowCount() == 0 and dialog.empty.isVisible()
    assert not dialog.restore_button.isEnabled()


def test_back_up_now_writes_a_checked_copy_and_lists_it(qtbot, dialog, db):
    store.insert(db, karbala_workshop())
    task = dialog.back_up_now()
    wait_task(qtbot, task)
    [(_when, path)] = backup.backups(db.path)
    assert backup.check_file(path).ok
    assert dialog.table.rowCount() == 1 and path.name in dialog.status.text()


def test_restore_this_one_brings_the_data_back_and_reopens(qtbot, ctx, db, monkeypatch):
    kept = store.insert(db, karbala_workshop())
    saved = backup.take(db)
    later = store.insert(db, records.Activity(title="نشاط بعد النسخة", start_date="2026-12-01"))
    window = BackupsDialog(ctx)
    qtbot.addWidget(window)
    asked: list[Path] = []
    monkeypatch.setattr(window, "confirm_restore", lambda source: asked.append(source) or True)
    changed: list[str] = []
    ctx.data_changed.connect(changed.append)
    task = window.restore_selected()
    wait_task(qtbot, task)

    assert asked == [saved]
    assert ctx.db is not db  # reopened on the restored file
    assert [a.id for a in store.find(ctx.db, records.Activity)] == [kept.id]
    assert later.id not in {a.id for a in store.find(ctx.db, records.Activity)}
    assert "activities" in changed and "persons" in changed
    assert "أُعيد فتحها" in window.status.text() and "before-restore" in window.status.text()
    # The state before the restore is kept, and listed, like the command line's.
    [safety] = [p for _w, p in backup.backups(ctx.db.path) if "before-restore" in p.name]
    assert safety in [p for _w, p in window.found]
    ctx.db.close()


def test_restore_asks_first_and_a_no_changes_nothing(qtbot, dialog, ctx, db, monkeypatch):
    backup.take(db)
    activity = store.insert(db, karbala_workshop())
    dialog.reload()
    monkeypatch.setattr(dialog, "confirm_restore", lambda _source: False)
    assert dialog.restore_selected() is None
    assert ctx.db is db and store.get(db, records.Activity, activity.id)


def test_a_damaged_file_is_refused_before_anything_changes(qtbot, dialog, ctx, db, tmp_path,
                                                          monkeypatch):
    activity = store.insert(db, karbala_workshop())
    bad = tmp_path / "broken.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    monkeypatch.setattr(dialog, "confirm_restore", lambda _source: True)
    monkeypatch.setattr(backups_dialog.open_dialogs, "open_file_name",
                        lambda *_args, **_kw: str(bad))
    errors: list[BaseException] = []
    monkeypatch.setattr(backups_dialog, "show_error", lambda _parent, error: errors.append(error))
    task = dialog.restore_from_file()
    wait_task(qtbot, task)
    assert len(errors) == 1 and str(errors[0])  # the models' Arabic message
    assert ctx.db is db and store.get(db, records.Activity, activity.id)
    assert backup.backups(db.path) == []  # refused before even the safety copy


# --- the Help menu --------------------------------------------------------------------

@pytest.fixture
def window(qtbot, ctx, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    main = MainWindow(ctx, settings=settings)
    qtbot.addWidget(main)
    return main


def test_the_menu_bar_has_help_with_its_actions(window):
    [menu] = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)
              and a.text() == "مساعدة"]
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "دليل المستخدم", "النسخ الاحتياطية…", "حذف البيانات التجريبية…", "فتح مجلد البيانات",
        "فتح السجل", "حول البرنامج"]
    assert app_version() in window.windowTitle()


def test_about_shows_version_data_folder_size_and_last_backup(qtbot, window, ctx, db):
    before = window.help_menu.show_about()
    qtbot.addWidget(before)
    assert before.values["version"] == app_version()
    assert before.values["folder"] == str(db.path.parent)
    assert before.values["last_backup"] == "لا توجد بعد"
    assert before.values["db_size"].endswith(("ك.ب", "م.ب"))
    assert app_version() in before.labels["version"].text()
    assert str(db.path.parent) in before.labels["folder"].text()
    backup.take(db)
    after = window.help_menu.show_about()
    qtbot.addWidget(after)
    assert after.values["last_backup"] != "لا توجد بعد"
    assert after.values["log_file"].endswith("ittisal.log")


def test_open_the_data_folder_and_the_log(window, db, desktop):
    assert window.help_menu.open_data_folder()
    assert window.help_menu.open_log()  # nothing logged yet: its folder
    log = help_menu.log_file()
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("a warning\n", "utf-8")
    assert window.help_menu.open_log()
    assert desktop.opened == [str(db.path.parent), str(log.parent), str(log)]


def test_the_guide_opens_with_its_screenshots(qtbot, window):
    guide = window.help_menu.show_guide()
    qtbot.addWidget(guide)
    qtbot.waitExposed(guide)
    # The wide screenshots are scaled to the window: no line starts out of sight.
    assert guide.browser.horizontalScrollBar().maximum() == 0
    text = guide.browser.toPlainText()
    assert "دليل المستخدم" in text and "النسخ الاحتياطية" in text
    images = [line for line in help_menu.guide_path().read_text("utf-8").splitlines()
              if line.startswith("![")]
    assert images
    for line in images:
        name = line.split("](", 1)[1].rstrip(")")
        assert (help_menu.guide_path().parent / name).is_file(), name


def test_remove_demo_from_the_menu(qtbot, window, ctx, db, monkeypatch):
    real = store.insert(db, karbala_workshop())
    removal.generate_marked(db, activities=20, seed=3)
    monkeypatch.setattr(window.help_menu, "confirm_removal", lambda: True)
    changed: list[str] = []
    ctx.data_changed.connect(changed.append)
    task = window.help_menu.remove_demo()
    wait_task(qtbot, task)
    assert [a.id for a in store.find(db, records.Activity)] == [real.id]
    assert "activities" in changed
    assert window.statusBar().currentMessage().startswith("حُذفت البيانات التجريبية")
    assert window.help_menu.remove_demo() is None  # nothing left to remove
    assert "لا توجد بيانات تجريبية" in window.statusBar().currentMessage()


def test_the_shipped_guide_is_the_docs_guide_with_its_images():
    """resources/guide/ is what `python -m ui.guide_screenshots` copied from docs/: the same
    text, every image it shows, byte for byte (run it again after editing the guide)."""
    from ui.guide_screenshots import GUIDE, guide_images

    shipped = help_menu.guide_path()
    assert shipped.read_text("utf-8") == GUIDE.read_text("utf-8")
    names = guide_images(GUIDE.read_text("utf-8"))
    assert len(names) >= 12
    for name in names:
        assert (shipped.parent / name).read_bytes() == (GUIDE.parent / name).read_bytes(), name
