"""One coordinator's day in the main window, end to end, as the issue tells it: the seed's
two-day workshop typed into the form, its attendees imported from an Excel sheet with a
title row, the workshop found again by a hamza variant, edited, deleted and brought back
with undo — and every window met on the way is right to left."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QPushButton

from models import activity_bundle, attendance, records, store
from tests.test_importer import ATTENDEES, HEADER, write_xlsx
from tests.test_ui_activities_page import answer_box
from tests.test_ui_activity_form import RECOMMENDATIONS, enter_karbala_workshop, retype
from tests.test_ui_date_edit import answer_modal, make_ctx, show_active, type_text
from ui.forms import form_base
from ui.forms.activity_form import TAB_PEOPLE, ActivityDialog
from ui.forms.import_dialog import ImportDialog
from ui.main_window import MainWindow
from ui.widgets import open_dialogs

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def visible_titles(page) -> list[str]:
    model = page.model
    return [model.row_at(row).title for row in range(model.rowCount())]


def test_a_coordinators_day(qtbot, db, tmp_path, monkeypatch):
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")
    sheet = write_xlsx(tmp_path / "مشاركو الورشة.xlsx", [HEADER, *(list(r) for r in ATTENDEES)])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sheet), ""))
    monkeypatch.setattr(open_dialogs, "_settings", lambda: QSettings(
        str(tmp_path / "folders.ini"), QSettings.Format.IniFormat))
    ctx = make_ctx(db)
    window = MainWindow(ctx, settings=QSettings(str(tmp_path / "w.ini"),
                                                QSettings.Format.IniFormat))
    show_active(qtbot, window)
    page = window.show_page("activities")
    directions: list[bool] = [window.isRightToLeft()]

    # 1. Ctrl+N: the workshop typed in, field by field, and saved.
    def fill(dialog: ActivityDialog) -> None:
        directions.append(dialog.isRightToLeft())
        enter_karbala_workshop(qtbot, dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    forms = answer_modal(fill, ActivityDialog)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(forms), timeout=10000)
    [workshop] = store.find(db, records.Activity)
    assert (workshop.start_date, workshop.end_date, workshop.days) == (
        "2026-11-22", "2026-11-23", 2)
    assert workshop.organiser == "جامعة كربلاء"
    assert workshop.partners == [
        "دائرة الاتصال الحكومي في وزارة التعليم العالي والبحث العلمي"]
    assert [r.text for r in activity_bundle.load(db, workshop.id).recommendations] == [
        text for text, _to, _due in RECOMMENDATIONS]
    assert visible_titles(page) == [workshop.title]

    # 2. Opened again: its attendees imported from the Excel sheet (a title row first).
    def import_people(dialog: ActivityDialog) -> None:
        bar = dialog.tabs.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(TAB_PEOPLE).center())

        def run_import(importer: ImportDialog) -> None:
            directions.append(importer.isRightToLeft())
            qtbot.waitUntil(lambda: importer.plan is not None, timeout=10000)
            assert importer.header_spin.value() == 3  # the title row and a blank row skipped
            with qtbot.waitSignal(importer.accepted, timeout=20000):  # its summary: on the tab
                qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)

        answer_modal(run_import, ImportDialog)
        qtbot.mouseClick(dialog.attendees.import_button, Qt.MouseButton.LeftButton)
        assert dialog.attendees.count() == len(ATTENDEES)
        dialog.reject()

    opened = answer_modal(import_people, ActivityDialog)
    page.table.setFocus()
    page.table.selectionModel().select(
        page.model.index(0, 0),
        page.table.selectionModel().SelectionFlag.ClearAndSelect
        | page.table.selectionModel().SelectionFlag.Rows)
    page.edit_selected()
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    names = [a.person.full_name for a in attendance.attendees(db, workshop.id)]
    assert names == [row[1] for row in ATTENDEES]
    assert page.model.row_at(0).participants == len(ATTENDEES)

    # 3. Found by a spelling variant (hamza under the alef), typed in the search box.
    page.search_box.setFocus()
    type_text(page.search_box, "الإتصال")
    qtbot.waitUntil(lambda: page.model.filter.ids is not None, timeout=5000)
    assert visible_titles(page) == [workshop.title]

    # 4. Edited: the place changes.
    def move(dialog: ActivityDialog) -> None:
        retype(dialog.place, "قاعة الإمام الحسين")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    edits = answer_modal(move, ActivityDialog)
    page.edit_selected()
    qtbot.waitUntil(lambda: bool(edits), timeout=10000)
    assert store.get(db, records.Activity, workshop.id).place == "قاعة الإمام الحسين"

    # 5. Deleted (after the question), then brought back from the undo bar.
    asked: list[str] = []
    answer_box("نعم، انقل إلى السلة", asked)
    page.delete_selected()
    qtbot.waitUntil(lambda: store.count(db, records.Activity) == 0, timeout=5000)
    assert "ورشة تطويرية" in asked[0] and asked[2] == "rtl"
    undo_bar = window.undo_bar
    qtbot.waitUntil(undo_bar.isVisible, timeout=5000)
    undo = next(b for b in undo_bar.findChildren(QPushButton) if b.text() == "تراجع")
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert store.get(db, records.Activity, workshop.id).place == "قاعة الإمام الحسين"
    assert attendance.count(db, workshop.id) == len(ATTENDEES)

    assert directions and all(directions)
    assert all(w.isRightToLeft() for w in QApplication.topLevelWidgets()
               if isinstance(w, QDialog | MainWindow) and w.isVisible())
