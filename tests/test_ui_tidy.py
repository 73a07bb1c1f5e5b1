"""The rooms left tidier (issue 11): Tab leaves every table, open dialogs remember their
folder per kind of file, the unexpected-error box says where the log is and opens its
folder, the empty dashboard says where to begin, and the settings' saves live in models."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from models import records, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def window_settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def focus_after_tabs(qtbot, start: QWidget, presses: int) -> list[QWidget | None]:
    """Where the keyboard focus is after each of ``presses`` Tabs from ``start``."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2000)
    seen = []
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


# --- Tab leaves every table ---------------------------------------------------------------

def test_tab_leaves_the_activities_table_of_the_main_window(qtbot, ctx, db, window_settings):
    from ui.main_window import MainWindow

    for n in range(12):
        store.insert(db, records.Activity(title=f"نشاط رقم {n}", start_date="2026-03-01"))
    window = MainWindow(ctx, settings=window_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page("activities")
    table = page.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 12, timeout=5000)
    table.setCurrentIndex(table.model().index(0, 0))
    seen = focus_after_tabs(qtbot, table, 2)
    assert any(widget is not table for widget in seen), "Tab never left the table"
    # The arrows still walk the rows.
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1


def test_tab_leaves_a_table_in_a_dialog(qtbot, ctx):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    table = QTableWidget(5, 3, dialog)
    other = QTableView(dialog)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(other)
    dialog.show()
    qtbot.waitExposed(dialog)
    table.setCurrentCell(0, 0)
    table.setTabKeyNavigation(True)  # even a view that asks for the trap does not get it
    seen = focus_after_tabs(qtbot, table, 1)
    assert seen[0] is other


# --- open dialogs remember their folder per kind --------------------------------------------

@pytest.fixture
def open_folders(monkeypatch, tmp_path):
    """The remembered folders in an ini file of the test's own, and the open dialogs
    answered: what folder each dialog started in, and the file it "chose"."""
    from ui.widgets import open_dialogs

    ini = tmp_path / "open.ini"
    monkeypatch.setattr(open_dialogs, "_settings",
                        lambda: QSettings(str(ini), QSettings.Format.IniFormat))
    seen = {"started": [], "answer": ""}

    def get_one(_parent, _caption, folder, _filter):
        seen["started"].append(folder)
        return seen["answer"], ""

    def get_many(_parent, _caption, folder, _filter):
        seen["started"].append(folder)
        return [seen["answer"]], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(get_one))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(get_many))
    return seen


def png(path: Path) -> Path:
    from PySide6.QtGui import QImage

    path.parent.mkdir(parents=True, exist_ok=True)
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    assert image.save(str(path))
    return path


def test_each_chooser_of_the_settings_starts_where_its_kind_was_last_found(
        qtbot, settings_page, open_folders, tmp_path):
    from ui.widgets.open_dialogs import documents_folder

    logos, signatures = tmp_path / "logos", tmp_path / "seals"
    open_folders["answer"] = str(png(logos / "logo.png"))
    settings_page.logo.choose()
    assert settings_page.logo.path.endswith("logo.png")
    open_folders["answer"] = str(png(signatures / "seal.png"))
    settings_page.signature.choose()
    open_folders["answer"] = ""  # cancel the next ones: only where they start matters
    settings_page.logo.choose()
    settings_page.signature.choose()
    settings_page.letterhead.choose()
    started = open_folders["started"]
    assert started[2] == str(logos)
    assert started[3] == str(signatures)
    assert started[4] == str(documents_folder())  # no letterhead chosen yet


def test_photos_report_and_key_backup_dialogs_remember_their_kind(
        qtbot, parent, open_folders, tmp_path):
    from ui import export
    from ui.pages import settings_certificates

    reports = tmp_path / "reports"
    reports.mkdir()
    open_folders["answer"] = str(reports / "monthly.docx")
    assert export.ask_report_path(parent, "x", tmp_path) == reports / "monthly.docx"
    keys = tmp_path / "usb"
    keys.mkdir()
    open_folders["answer"] = str(keys / "key.ittisal-key")
    settings_certificates.ask_restore_path(parent)
    open_folders["answer"] = ""
    export.ask_report_path(parent, "x", tmp_path)
    settings_certificates.ask_restore_path(parent)
    assert open_folders["started"][0] == str(tmp_path)  # a first report: the export folder
    assert open_folders["started"][2:] == [str(reports), str(keys)]


def test_the_photos_dialog_starts_where_the_last_photos_were(qtbot, ctx, open_folders,
                                                              tmp_path):
    from ui.widgets.photos import PhotosEditor

    editor = PhotosEditor(ctx)
    qtbot.addWidget(editor)
    open_folders["answer"] = str(png(tmp_path / "camera" / "p1.png"))
    editor.choose_files()
    open_folders["answer"] = ""
    editor.choose_files()
    assert open_folders["started"][1] == str(tmp_path / "camera")


def test_a_folder_on_a_removed_usb_stick_starts_in_the_documents_instead(
        qtbot, ctx, workshop, open_folders, tmp_path):
    import shutil

    from tests.test_importer import ATTENDEES, HEADER, write_xlsx
    from tests.test_ui_date_edit import answer_modal
    from ui.forms.attendees_editor import AttendeesEditor
    from ui.forms.import_dialog import ImportDialog
    from ui.widgets.open_dialogs import documents_folder

    stick = tmp_path / "usb"
    stick.mkdir()
    open_folders["answer"] = str(write_xlsx(stick / "list.xlsx", [HEADER, *ATTENDEES]))
    editor = AttendeesEditor(ctx, workshop.id)
    qtbot.addWidget(editor)
    answer_modal(lambda importer: importer.reject(), ImportDialog)
    editor.import_file()
    shutil.rmtree(stick)  # the stick is taken out
    open_folders["answer"] = ""
    editor.import_file()
    assert open_folders["started"][1] == str(documents_folder())


# --- the unexpected-error box says where the log is ---------------------------------------

def answer_bug_box(button: str, seen: list[str], *, tries: int = 250) -> None:
    """Note the text of the next message box that opens and click ``button`` on it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    def look(left: int = tries) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            seen.append(box.text())
            seen.append(" | ".join(b.text() for b in box.buttons()))
            # Without the button asked for, close the box anyway: the test then fails on
            # what it saw instead of waiting for ever.
            next((b for b in box.buttons() if b.text() == button), box.buttons()[0]).click()
            return
        if left:
            QTimer.singleShot(20, lambda: look(left - 1))
    QTimer.singleShot(0, look)


def test_a_background_tasks_bug_box_gives_the_log_and_opens_its_folder(qtbot, parent,
                                                                       desktop):
    from ui.tasks import log_file, run_task

    def work(_progress):
        raise RuntimeError("a bug")

    seen: list[str] = []
    answer_bug_box("فتح مجلد السجل", seen)
    task = run_task(parent, work, on_done=lambda _r: None, show_progress=False)
    qtbot.waitUntil(lambda: bool(desktop.opened), timeout=5000)
    assert not task.running
    assert str(log_file()) in seen[0]
    assert "خطأ غير متوقع" in seen[0]
    assert desktop.opened == [str(log_file().parent)]
    assert log_file().parent.is_dir()


def test_closing_the_bug_box_opens_nothing(qtbot, parent, desktop):
    from ui.tasks import show_error

    seen: list[str] = []
    answer_bug_box("إغلاق", seen)
    show_error(parent, KeyError("x"))
    assert "فتح مجلد السجل" in seen[1]
    assert desktop.opened == []


def test_a_users_error_box_has_no_log_button(qtbot, parent, desktop):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from models.errors import ValidationError
    from ui.tasks import show_error

    seen: list[str] = []

    def look(left: int = 250) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            seen.append(box.text())
            seen.extend(b.text() for b in box.buttons())
            box.buttons()[0].click()
        elif left:
            QTimer.singleShot(20, lambda: look(left - 1))
    QTimer.singleShot(0, look)
    show_error(parent, ValidationError("title", "العنوان مطلوب", "title is required"))
    assert seen[0] == "العنوان مطلوب"
    assert "فتح مجلد السجل" not in seen


def test_the_apps_own_bug_box_names_the_log_it_writes(qtbot, desktop, monkeypatch,
                                                      tmp_path):
    import sys

    from ui import launch

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    log_path = tmp_path / "logs" / "ittisal.log"
    launch._install_excepthook(str(log_path))
    seen: list[str] = []
    answer_bug_box("فتح مجلد السجل", seen)
    try:
        raise ZeroDivisionError("a slot's bug")
    except ZeroDivisionError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert str(log_path) in seen[0]
    assert desktop.opened == [str(log_path.parent)]


# --- the empty dashboard says where to begin ------------------------------------------------

def open_main_window(qtbot, ctx, window_settings):
    from ui.main_window import MainWindow

    window = MainWindow(ctx, settings=window_settings)
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    qtbot.waitExposed(window)
    dashboard = window.show_page("dashboard")
    qtbot.waitUntil(lambda: dashboard.summary is not None and not dashboard.loading,
                    timeout=10_000)
    return window, dashboard


def close_next_form(found: list, *, tries: int = 250) -> None:
    """Note and cancel the next modal dialog (not a message box) that opens."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    def look(left: int = tries) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and not isinstance(dialog, QMessageBox) \
                and dialog.isVisible():
            found.append(type(dialog).__name__)
            dialog.done(QDialog.DialogCode.Rejected)
            return
        if left:
            QTimer.singleShot(20, lambda: look(left - 1))
    QTimer.singleShot(0, look)


def test_a_new_units_dashboard_shows_where_to_begin(qtbot, ctx, window_settings):
    window, dashboard = open_main_window(qtbot, ctx, window_settings)
    panel = dashboard.start_here
    assert panel.isVisible()
    assert [b.text() for b in dashboard.start_buttons.values()] == [
        "نشاط جديد", "استيراد قائمة حضور", "هوية الوحدة"]

    dashboard.start_buttons["identity"].click()
    assert window.current_page().key == "settings"
    assert QApplication.focusWidget() is window.current_page().identity.edits["name"]

    for name in ("activity", "import"):
        window.show_page("dashboard")
        found: list[str] = []
        close_next_form(found)
        dashboard.start_buttons[name].click()
        assert found == ["ActivityDialog"]
        assert window.current_page().key == "activities"


def test_the_start_here_panel_goes_once_there_is_an_activity(qtbot, ctx, db, window_settings):
    store.insert(db, records.Activity(title="الاجتماع الأول", start_date="2026-01-10"))
    _window, dashboard = open_main_window(qtbot, ctx, window_settings)
    assert dashboard.isVisible() and not dashboard.start_here.isVisible()


# --- who signs by default, said where the signatories are chosen ------------------------------

def test_settings_say_the_unit_head_signs_certificates_by_default(qtbot, settings_page):
    from tests.test_ui_activities_page import type_text

    hint = settings_page.certificates.default_signer
    assert hint.isVisible() and "لم يُكتب اسمه بعد" in hint.text()
    type_text(settings_page.identity.edits["head_name"], "علي حسين")
    type_text(settings_page.identity.edits["head_title"], "مدير الوحدة")
    assert "«علي حسين، مدير الوحدة»" in hint.text()
    assert "يوقّعها مسؤول الوحدة من الإعدادات" in hint.text()


def test_the_style_editor_names_the_default_signer_and_follows_settings(qtbot, ctx):
    from ui.certificates.style_editor import TAB_SIGNERS, StyleEditor

    ctx.save_unit(dataclasses.replace(ctx.unit, head_name="د. زينب علي",
                                      head_title="رئيسة القسم"))
    holder = QWidget()
    holder.ctx = ctx  # the certificates window, as the editor's parent, keeps the context
    qtbot.addWidget(holder)
    editor = StyleEditor(ctx.db.path, holder)
    editor.setCurrentWidget(editor.pages[TAB_SIGNERS])
    holder.show()
    assert editor.default_signer.isVisible()
    assert "«د. زينب علي، رئيسة القسم»" in editor.default_signer.text()
    ctx.save_unit(dataclasses.replace(ctx.unit, head_name="", head_title=""))
    assert "لم يُكتب اسمه بعد" in editor.default_signer.text()


def test_the_certificates_window_shows_the_default_signer(qtbot, ctx, workshop):
    from ui.certificates.dialog import CertificatesDialog

    ctx.save_unit(dataclasses.replace(ctx.unit, head_name="علي حسين", head_title=""))
    dialog = CertificatesDialog(ctx, workshop.id)
    qtbot.addWidget(dialog)
    assert "«علي حسين»" in dialog.editor.default_signer.text()


def test_the_imports_bug_box_gives_the_log_and_opens_its_folder(qtbot, ctx, workshop, desktop,
                                                                monkeypatch, tmp_path):
    from ui.forms import import_dialog
    from ui.tasks import log_file

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in reading")

    monkeypatch.setattr(import_dialog, "_read", broken)
    sheet = tmp_path / "list.csv"
    sheet.write_text("الاسم\nزينب علي\n", encoding="utf-8")
    seen: list[str] = []
    answer_bug_box("فتح مجلد السجل", seen)
    dialog = import_dialog.ImportDialog(ctx, workshop.id, path=str(sheet))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(desktop.opened), timeout=10_000)
    assert "ولم يتغيّر شيء" in seen[0] and str(log_file()) in seen[0]
    assert desktop.opened == [str(log_file().parent)]
    assert "ولم يتغيّر شيء" in dialog.message.text()


def test_the_start_here_import_opens_a_form_that_chooses_and_imports_the_list(
        qtbot, ctx, db, window_settings, open_folders, tmp_path):
    from tests.test_importer import ATTENDEES, HEADER, write_xlsx
    from tests.test_ui_date_edit import answer_modal, type_text
    from ui.forms.activity_form import TAB_PEOPLE, ActivityDialog
    from ui.forms.import_dialog import ImportDialog

    sheet = write_xlsx(tmp_path / "قائمة الورشة.xlsx", [HEADER, *(list(r) for r in ATTENDEES)])
    open_folders["answer"] = str(sheet)
    _window, dashboard = open_main_window(qtbot, ctx, window_settings)
    seen: dict = {}

    def confirm(importer: ImportDialog) -> None:
        qtbot.waitUntil(lambda: importer.plan is not None, timeout=10_000)
        with qtbot.waitSignal(importer.accepted, timeout=20_000):
            qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)

    def in_form(form: ActivityDialog) -> None:
        try:
            seen["row"] = form.import_row.isVisible()
            type_text(form.title, "ورشة عن الرصد الإعلامي")
            answer_modal(confirm, ImportDialog)
            qtbot.mouseClick(form.import_list_button, Qt.MouseButton.LeftButton)
            seen["tab"] = form.tabs.currentIndex()
            seen["count"] = form.attendees.count()
            seen["row_after"] = form.import_row.isVisible()
        finally:
            form.reject()

    forms = answer_modal(in_form, ActivityDialog)
    dashboard.start_buttons["import"].click()
    qtbot.waitUntil(lambda: bool(forms), timeout=5_000)
    assert seen["row"] and not seen["row_after"]
    assert seen["tab"] == TAB_PEOPLE and seen["count"] == len(ATTENDEES)
    [activity] = store.find(db, records.Activity)
    assert activity.title == "ورشة عن الرصد الإعلامي"
    # The file dialog opened once, and nothing else was asked.
    assert len(open_folders["started"]) == 1
