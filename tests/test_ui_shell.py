"""The shell around the pages: shortcuts, navigation requests, the undo bar, the launcher."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QEventLoop, QSettings, Qt, QThreadPool, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget

from exporters.docx_template import app_version
from models import backup, records, store
from ui import launch as launcher
from ui import main_window
from ui.main_window import MainWindow
from ui.pages.dashboard import DashboardPage
from ui.pages.settings import SettingsPage
from ui.widgets import undo_bar
from ui.widgets.undo_bar import UndoBar, changed_table


@pytest.fixture
def window(qtbot, ctx, tmp_path):
    win = MainWindow(ctx, settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def type_text(widget: QWidget, text: str) -> None:
    """Type like a user. (qtbot.keyClicks aborts the process on Arabic: it sends Latin-1.)"""
    for char in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char,
                           Qt.KeyboardModifier.NoModifier)


def spy(page, hook: str, monkeypatch) -> list:
    """Record calls of one of the page's hooks."""
    calls: list = []
    monkeypatch.setattr(page, hook, lambda *args: calls.append(args))
    return calls


# --- shortcuts -------------------------------------------------------------------------

def test_ctrl_n_on_the_dashboard_makes_a_new_activity_on_its_page(qtbot, window, monkeypatch):
    dashboard_calls = spy(window.current_page(), "new_record", monkeypatch)
    activity_calls = spy(window.page("activities"), "new_record", monkeypatch)
    qtbot.keyClick(window.nav, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert (dashboard_calls, activity_calls) == ([], [()])
    assert window.current_page() is window.page("activities")


def test_ctrl_f_asks_the_current_page_for_its_search(qtbot, window, monkeypatch):
    page = window.show_page("settings")
    calls = spy(page, "focus_search", monkeypatch)
    qtbot.keyClick(window.nav, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert calls == [()]


def test_delete_deletes_the_selection_outside_text_fields(qtbot, window, monkeypatch):
    page = window.current_page()
    calls = spy(page, "delete_selected", monkeypatch)
    page.recent_view.setFocus()
    qtbot.keyClick(page.recent_view, Qt.Key.Key_Delete)
    assert calls == [()]


def test_delete_in_a_text_field_deletes_text_not_records(qtbot, window, monkeypatch):
    page = window.show_page("settings")
    calls = spy(page, "delete_selected", monkeypatch)
    field: QLineEdit = page.identity.edits["name"]
    field.setFocus()
    type_text(field, "شعبة")
    field.setCursorPosition(0)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert field.text() == "عبة"
    assert calls == []


def test_shortcuts_follow_the_page_on_screen(qtbot, window, monkeypatch):
    activity_calls = spy(window.page("activities"), "new_record", monkeypatch)
    person_calls = spy(window.show_page("persons"), "new_record", monkeypatch)
    qtbot.keyClick(window.nav, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert (activity_calls, person_calls) == ([], [()])
    assert window.current_page() is window.page("persons")


# --- navigation requests ---------------------------------------------------------------

def test_navigate_switches_page_and_applies_the_filters(qtbot, window, ctx, monkeypatch):
    page = window.page("settings")
    calls = spy(page, "apply_filters", monkeypatch)
    ctx.navigate("settings", status="draft", date_from="2026-11-01")
    assert window.current_page() is page
    assert window.nav.currentRow() == window.keys.index("settings")
    assert calls == [({"status": "draft", "date_from": "2026-11-01"},)]


def test_navigate_without_filters_only_switches(qtbot, window, ctx, monkeypatch):
    page = window.page("settings")
    calls = spy(page, "apply_filters", monkeypatch)
    ctx.navigate("settings")
    assert window.current_page() is page and calls == []


def test_navigate_to_a_page_that_is_not_there_stays_put(qtbot, window, ctx):
    ctx.navigate("no-such-page", status="draft")
    assert isinstance(window.current_page(), DashboardPage)


# --- the undo bar ----------------------------------------------------------------------

def test_the_undo_bar_brings_back_a_deleted_activity(qtbot, window, ctx, db, workshop):
    store.delete(db, records.Activity, workshop.id)
    ctx.offer_undo("حُذف النشاط «ورشة تطويرية»",
                   lambda: store.restore(db, records.Activity, workshop.id))
    bar = window.undo_bar
    assert bar.isVisible() and bar.message.text() == "حُذف النشاط «ورشة تطويرية»"
    with qtbot.waitSignal(ctx.data_changed) as changed:
        qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    assert changed.args == ["activities"]
    assert store.get(db, records.Activity, workshop.id).deleted_at is None
    assert not bar.isVisible()


def test_the_undo_bar_hides_itself_after_a_while(qtbot, ctx, monkeypatch):
    monkeypatch.setattr(UndoBar, "HIDE_AFTER_MS", 50)
    holder = QWidget()
    qtbot.addWidget(holder)
    bar = UndoBar(ctx, holder)
    holder.show()
    calls: list = []
    ctx.offer_undo("حُذف المشارك", lambda: calls.append(1))
    assert bar.isVisible()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=2000)
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)  # hidden: nothing to undo
    assert calls == []


def test_a_later_offer_replaces_an_earlier_one(qtbot, ctx):
    holder = QWidget()
    qtbot.addWidget(holder)
    bar = UndoBar(ctx, holder)
    holder.show()
    calls: list = []
    ctx.offer_undo("الأول", lambda: calls.append("first"))
    ctx.offer_undo("الثاني", lambda: calls.append("second") or "persons")
    with qtbot.waitSignal(ctx.data_changed) as changed:
        qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    assert calls == ["second"] and changed.args == ["persons"]


def test_a_failing_undo_says_why(qtbot, ctx, db, monkeypatch):
    shown: list = []
    monkeypatch.setattr(undo_bar, "show_error", lambda parent, error: shown.append(str(error)))
    holder = QWidget()
    qtbot.addWidget(holder)
    bar = UndoBar(ctx, holder)
    holder.show()
    ctx.offer_undo("حُذف", lambda: store.restore(db, records.Activity, "no-such-id"))
    with qtbot.assertNotEmitted(ctx.data_changed):
        qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    assert shown and "no-such-id" in shown[0]


def test_changed_table_reads_what_an_undo_returns(workshop):
    assert changed_table("attendance") == "attendance"
    assert changed_table(workshop) == "activities"
    assert changed_table(None) is None and changed_table("") is None


# --- right to left everywhere ------------------------------------------------------------

def test_every_top_level_window_is_right_to_left(qtbot, window, ctx):
    from ui.welcome import WelcomeDialog

    welcome = WelcomeDialog(ctx)
    qtbot.addWidget(welcome)
    welcome.show()
    window.show_page("settings")
    tops = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert window in tops and welcome in tops
    assert all(w.layoutDirection() == Qt.LayoutDirection.RightToLeft for w in tops)


# --- the launcher ------------------------------------------------------------------------

@pytest.fixture
def welcomes(monkeypatch) -> list:
    """Record welcome dialogs instead of running them modally."""
    from ui import welcome

    shown: list = []

    def exec_(dialog):
        shown.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(welcome.WelcomeDialog, "exec", exec_)
    return shown


def test_a_fresh_database_is_greeted(qtbot, ctx, tmp_path, welcomes):
    window = launcher.start_window(ctx, settings=QSettings(str(tmp_path / "w.ini"),
                                                           QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert len(welcomes) == 1
    assert welcomes[0].layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert isinstance(window, MainWindow)


def test_a_database_with_data_opens_straight_to_the_window(qtbot, ctx, tmp_path, welcomes,
                                                           workshop):
    window = launcher.start_window(ctx, settings=QSettings(str(tmp_path / "w.ini"),
                                                           QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert welcomes == []


def test_launch_opens_the_window_and_takes_the_days_backup(qtbot, db_path, workshop,
                                                           monkeypatch, welcomes):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # launch installs its own
    root = logging.getLogger()  # and a log file handler: dropped after the test
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(main_window, "app_settings", lambda: QSettings(
        str(db_path.parent / "w.ini"), QSettings.Format.IniFormat))
    # The application's own event loop, once quit, leaves later windows unable to become
    # active under pytest: a local loop stands in for app.exec().
    loop = QEventLoop()
    monkeypatch.setattr(QApplication, "exec", lambda *_args: loop.exec())
    seen: list = []

    def ready(window) -> None:
        seen.append((window.windowTitle(), window.isVisible(),
                     type(window.current_page()).__name__))
        window.close()
        QTimer.singleShot(0, loop.quit)  # after the start-up hooks have run

    assert launcher.launch(str(db_path), on_ready=ready) == 0
    assert seen == [(f"اتصال {app_version()} — لم تُدخل هوية الوحدة بعد", True, "DashboardPage")]
    assert welcomes == []
    assert len(backup.backups(db_path)) == 1


def test_settings_page_reached_by_the_launcher_window_is_the_real_one(qtbot, window):
    assert isinstance(window.show_page("settings"), SettingsPage)


def test_screenshots_of_every_page_and_the_form(qapp, tmp_path):
    from PySide6.QtGui import QImage

    from ui import screenshots

    saved = screenshots.take(tmp_path / "shots", activities=60)
    names = [p.name for p in saved]
    assert names[:1] == ["dashboard.png"] and "settings.png" in names
    assert [n for n in names if n.removesuffix(".png") in main_window.page_keys()] == [
        f"{key}.png" for key in main_window.page_keys()]
    for path in saved:
        image = QImage(str(path))
        assert not image.isNull()
        if path.stem in main_window.page_keys():
            assert (image.width(), image.height()) == screenshots.SIZE


def test_after_start_the_bin_drops_what_is_older_than_30_days(qtbot, window, ctx):
    import datetime as dt

    from models import records, store

    old = store.insert(ctx.db, records.Activity(title="نشاط قديم", start_date="2026-01-01"))
    recent = store.insert(ctx.db, records.Activity(title="نشاط حديث", start_date="2026-01-02"))
    store.delete(ctx.db, records.Activity, old.id)
    store.delete(ctx.db, records.Activity, recent.id)
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=31)).isoformat()
    ctx.db.execute("UPDATE activities SET deleted_at = ? WHERE id = ?", (long_ago, old.id))
    changed: list[str] = []
    ctx.data_changed.connect(changed.append)
    launcher.after_shown(ctx, window)
    qtbot.waitUntil(lambda: "activities" in changed)  # the purge runs in the background
    assert store.count(ctx.db, records.Activity, include_deleted=True) == 1
    assert store.get(ctx.db, records.Activity, recent.id, include_deleted=True).deleted_at
    QThreadPool.globalInstance().waitForDone()  # the day's backup, started in the background


def test_first_start_makes_the_units_signing_key_and_the_backup_leaves_it_out(qtbot, window,
                                                                            ctx):
    from models import certificates, paths

    assert not certificates.private_key_path(ctx.db).exists()
    launcher.after_shown(ctx, window)
    QThreadPool.globalInstance().waitForDone()
    key = certificates.private_key_path(ctx.db)
    assert key.is_file()
    assert len(certificates.public_keys(ctx.db)) == 1
    backups = paths.backups_dir(ctx.db.path)
    assert list(backups.glob("*.sqlite3")), "the day's backup was taken"
    assert not list(backups.rglob("*.key")), "no backup carries the private key in clear"


def test_qts_own_dialogs_speak_arabic(qapp):
    from PySide6.QtCore import QCoreApplication

    from ui.application import create_application

    create_application()
    assert QCoreApplication.translate("QPrintPreviewDialog", "Print Preview") == \
        "معاينة الطّباعة"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "ألغِ"
