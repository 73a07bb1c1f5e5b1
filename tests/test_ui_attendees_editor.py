"""The attendees tab, used as a coordinator would: completion over persons, a new person
with a guessed gender, ticking days, removing, importing; and its table model."""

from __future__ import annotations

import sys
import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from models import attendance, records, store
from models.attendance import Attendee
from models.dates import DateStyle
from tests.conftest import karbala_workshop
from tests.test_ui_activity_form import click_row, click_tab, open_form
from tests.test_ui_date_edit import (
    answer_modal,
    click_button,
    type_text,
)
from ui.forms import form_base
from ui.forms.activity_form import TAB_MAIN, TAB_PEOPLE
from ui.forms.person_form import PersonDialog
from ui.table_models.attendees import AttendeesModel

# Completion popups: the offscreen platform cannot raise them or grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def discard_when_closed(monkeypatch):
    """Closing a changed form at the end of a test discards (instead of a blocking question)."""
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")


DAY_1, DAY_2 = AttendeesModel.COL_FIRST_DAY, AttendeesModel.COL_FIRST_DAY + 1


@pytest.fixture
def people(db) -> list[records.Person]:
    return [store.insert(db, records.Person(full_name=name, gender=gender, job_title=job,
                                            entity=entity, phone=phone))
            for name, gender, job, entity, phone in [
                ("علي حسين كاظم الجبوري", "m", "مسؤول شعبة الإعلام", "مديرية تربية كربلاء",
                 "07801234567"),
                ("زينب علي حسين الأسدي", "f", "منسقة الاتصال الحكومي", "دائرة صحة كربلاء",
                 "07711112222"),
            ]]


def attendees_tab(qtbot, ctx, activity_id=None):
    dialog = open_form(qtbot, ctx, activity_id)
    click_tab(qtbot, dialog, TAB_PEOPLE)
    return dialog, dialog.attendees


def cell(editor, row: int, col: int):
    return editor.model.data(editor.model.index(row, col))


def test_a_new_activity_is_saved_with_its_first_attendee(qtbot, ctx, db, people):
    dialog, editor = attendees_tab(qtbot, ctx)
    assert editor.message.text().startswith("يُحفظ النشاط تلقائياً عند إضافة أول مشارك")
    editor.add_line.setFocus()
    type_text(editor.add_line, "الأسدي")
    editor.completer.popup().hide()
    type_text(editor.add_line, "\n")
    # Nothing can be saved yet: the form says what is missing, next to the field, and
    # nobody is added.
    assert store.count(db, records.Activity) == 0 and store.count(db, records.Attendance) == 0
    assert dialog.tabs.currentIndex() == TAB_MAIN
    assert dialog.errors.message("title") == "الحقل «عنوان النشاط» مطلوب ولا يمكن أن يكون فارغاً."
    type_text(dialog.title, karbala_workshop().title)
    click_tab(qtbot, dialog, TAB_PEOPLE)
    editor.add_line.setFocus()
    editor.completer.popup().hide()
    type_text(editor.add_line, "\n")  # what was typed is still there
    [saved] = store.find(db, records.Activity)
    assert dialog.isVisible() and dialog.activity_id == saved.id == editor.activity_id
    assert [a.person.id for a in attendance.attendees(db, saved.id)] == [people[1].id]
    assert editor.message.text() == "أُضيف «زينب علي حسين الأسدي»."
    assert not dialog.is_dirty() and dialog.saved_once
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Accepted  # something was saved


def test_adding_an_existing_person_by_completion(qtbot, ctx, db, workshop, people):
    dialog, editor = attendees_tab(qtbot, ctx, workshop.id)
    editor.add_line.setFocus()
    type_text(editor.add_line, "زينب الاسدي")  # no hamza, two of the four names
    popup = editor.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    assert popup.model().index(0, 0).data() == (
        "زينب علي حسين الأسدي — منسقة الاتصال الحكومي — دائرة صحة كربلاء — 07711112222")
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert [a.person.id for a in attendance.attendees(db, workshop.id)] == [people[1].id]
    assert cell(editor, 0, AttendeesModel.COL_NUMBER) == "١"
    assert cell(editor, 0, AttendeesModel.COL_NAME) == "زينب علي حسين الأسدي"
    assert cell(editor, 0, AttendeesModel.COL_GENDER) == "أنثى"
    assert cell(editor, 0, AttendeesModel.COL_PHONE) == "07711112222"
    assert editor.model.headerData(DAY_2, Qt.Orientation.Horizontal) == "اليوم ٢"
    assert editor.model.data(editor.model.index(0, DAY_1), Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Checked
    qtbot.waitUntil(lambda: editor.add_line.text() == "")
    # The count on the main tab follows the list, and cannot be typed over.
    assert dialog.participants_count.count() == 1 and dialog.participants_count.isReadOnly()
    assert dialog.tabs.tabText(TAB_PEOPLE) == "المشاركون (١)"
    assert editor.count_label.text() == "عدد المشاركين: ١"
    assert store.get(db, records.Activity, workshop.id).participants_count == 1
    assert not dialog.is_dirty()


def test_enter_adds_the_only_match(qtbot, ctx, db, workshop, people):
    _dialog, editor = attendees_tab(qtbot, ctx, workshop.id)
    editor.add_line.setFocus()
    type_text(editor.add_line, "الجبوري")
    editor.completer.popup().hide()
    type_text(editor.add_line, "\n")
    assert [a.person.id for a in attendance.attendees(db, workshop.id)] == [people[0].id]
    # The same person again is not added twice.
    type_text(editor.add_line, "الجبوري")
    editor.completer.popup().hide()
    type_text(editor.add_line, "\n")
    assert attendance.count(db, workshop.id) == 1
    assert editor.message.text() == "«علي حسين كاظم الجبوري» في القائمة من قبل."


def test_a_new_person_with_a_guessed_gender(qtbot, ctx, db, workshop):
    _dialog, editor = attendees_tab(qtbot, ctx, workshop.id)
    type_text(editor.add_line, "زينب محمد جواد الحسيني")
    seen = {}

    def fill_and_save(form: PersonDialog) -> None:
        seen.update(name=form.full_name.text(), gender=form.gender.currentText(),
                    guessed=form.guessed.isVisible(), rtl=form.isRightToLeft())
        type_text(form.entity, "جامعة كربلاء")
        type_text(form.phone, "07901234567")
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    answer_modal(fill_and_save, PersonDialog)
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    assert seen == {"name": "زينب محمد جواد الحسيني", "gender": "أنثى", "guessed": True,
                    "rtl": True}
    [added] = attendance.attendees(db, workshop.id)
    assert (added.person.full_name, added.person.gender, added.person.gender_guessed,
            added.person.entity, added.days) == (
        "زينب محمد جواد الحسيني", "f", True, "جامعة كربلاء", [1, 2])
    assert cell(editor, 0, AttendeesModel.COL_GENDER) == "أنثى (مخمّن)"


def test_ticking_days(qtbot, ctx, db, workshop, people):
    row = attendance.add(db, workshop.id, people[0].id)
    _dialog, editor = attendees_tab(qtbot, ctx, workshop.id)
    assert editor.model.columnCount() == AttendeesModel.COL_FIRST_DAY + 2
    # Untick day 2 with the keyboard (Space on the cell), then tick it with the mouse.
    editor.table.setFocus()
    editor.table.setCurrentIndex(editor.model.index(0, DAY_2))
    qtbot.keyClick(editor.table, Qt.Key.Key_Space)
    assert store.get(db, records.Attendance, row.id).days == [1]
    index = editor.model.index(0, DAY_2)
    with qtbot.waitSignal(ctx.data_changed, check_params_cb=lambda t: t == "attendance"):
        assert editor.model.setData(index, Qt.CheckState.Checked.value,
                                    Qt.ItemDataRole.CheckStateRole)
    assert store.get(db, records.Attendance, row.id).days == [1, 2]


def test_a_one_day_activity_has_no_day_columns(qtbot, ctx, db, people):
    one_day = store.insert(db, records.Activity(title="ندوة", start_date="2026-12-01"))
    attendance.add(db, one_day.id, people[0].id)
    _dialog, editor = attendees_tab(qtbot, ctx, one_day.id)
    assert editor.model.columnCount() == AttendeesModel.COL_FIRST_DAY


def test_removing_asks_first(qtbot, ctx, db, workshop, people):
    for person in people:
        attendance.add(db, workshop.id, person.id)
    dialog, editor = attendees_tab(qtbot, ctx, workshop.id)
    click_row(qtbot, editor.table, 0)
    asked = []

    def answer(box: QMessageBox) -> None:
        asked.append((box.text(), box.isRightToLeft()))
        click_button(box, "تراجع" if len(asked) == 1 else "حذف")

    answer_modal(answer, QMessageBox)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert attendance.count(db, workshop.id) == 2
    answer_modal(answer, QMessageBox)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert asked[0] == ("حذف «علي حسين كاظم الجبوري» من قائمة حضور هذا النشاط؟", True)
    assert [a.person.id for a in attendance.attendees(db, workshop.id)] == [people[1].id]
    assert cell(editor, 0, AttendeesModel.COL_NUMBER) == "١"
    assert dialog.participants_count.count() == 1


class FakeImportDialog(QDialog):
    """Stands in for ui.forms.import_dialog.ImportDialog (written alongside)."""

    calls: list[dict] = []

    def __init__(self, ctx, activity_id, parent=None, *, path=None, text=None):
        super().__init__(parent)
        FakeImportDialog.calls.append({"activity_id": activity_id, "path": path, "text": text,
                                       "parent": parent})
        self.ctx, self.activity_id = ctx, activity_id

    def exec(self) -> int:
        person = store.insert(self.ctx.db, records.Person(full_name="حسن عباس فاضل"))
        attendance.add(self.ctx.db, self.activity_id, person.id)
        self.ctx.changed("attendance")
        self.ctx.changed("persons")
        return QDialog.DialogCode.Accepted


@pytest.fixture
def fake_import(monkeypatch):
    FakeImportDialog.calls = []
    module = types.ModuleType("ui.forms.import_dialog")
    module.ImportDialog = FakeImportDialog
    monkeypatch.setitem(sys.modules, "ui.forms.import_dialog", module)
    return FakeImportDialog.calls


def test_importing_from_a_file(qtbot, ctx, db, workshop, fake_import, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.widgets import open_dialogs

    monkeypatch.setattr(open_dialogs, "_settings", lambda: QSettings(
        str(tmp_path / "folders.ini"), QSettings.Format.IniFormat))
    sheet = tmp_path / "المشاركون.xlsx"
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(sheet), "")))
    dialog, editor = attendees_tab(qtbot, ctx, workshop.id)
    qtbot.mouseClick(editor.import_button, Qt.MouseButton.LeftButton)
    assert [(c["activity_id"], c["path"], c["text"], c["parent"]) for c in fake_import] == [
        (workshop.id, str(sheet), None, editor)]
    assert cell(editor, 0, AttendeesModel.COL_NAME) == "حسن عباس فاضل"
    assert dialog.participants_count.count() == 1


def test_pasting_from_excel(qtbot, ctx, db, workshop, fake_import):
    QGuiApplication.clipboard().setText("الاسم\tالجهة\nحسن عباس فاضل\tجامعة كربلاء\n")
    _dialog, editor = attendees_tab(qtbot, ctx, workshop.id)
    qtbot.mouseClick(editor.paste_button, Qt.MouseButton.LeftButton)
    assert fake_import[0]["text"] == "الاسم\tالجهة\nحسن عباس فاضل\tجامعة كربلاء\n"
    assert fake_import[0]["path"] is None
    assert editor.model.rowCount() == 1


def test_pasting_an_empty_clipboard_says_so(qtbot, ctx, workshop, fake_import):
    QGuiApplication.clipboard().setText("")
    _dialog, editor = attendees_tab(qtbot, ctx, workshop.id)
    qtbot.mouseClick(editor.paste_button, Qt.MouseButton.LeftButton)
    assert fake_import == []
    assert "الحافظة فارغة" in editor.message.text()


def test_the_list_follows_changes_made_elsewhere(qtbot, ctx, db, workshop, people):
    attendance.add(db, workshop.id, people[0].id)
    _dialog, editor = attendees_tab(qtbot, ctx, workshop.id)
    import dataclasses

    store.update(db, dataclasses.replace(people[0], full_name="علي حسين كاظم العبيدي"))
    ctx.changed("persons")
    assert cell(editor, 0, AttendeesModel.COL_NAME) == "علي حسين كاظم العبيدي"
    attendance.add(db, workshop.id, people[1].id)
    ctx.changed("attendance")
    assert editor.model.rowCount() == 2


def test_the_attendees_model(qtmodeltester, db, workshop, people):
    rows = [Attendee("a1", people[0], [1, 2]), Attendee("a2", people[1], [2])]
    written = []

    def write(attendance_id, days):
        written.append((attendance_id, days))
        return days

    model = AttendeesModel(DateStyle(digits="western"), write)
    model.set_attendees(rows, 2)
    qtmodeltester.check(model)
    assert model.headerData(DAY_1, Qt.Orientation.Horizontal) == "اليوم 1"
    assert model.data(model.index(1, AttendeesModel.COL_NUMBER)) == "2"
    assert model.data(model.index(1, DAY_1), Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Unchecked
    assert model.flags(model.index(0, DAY_1)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.flags(model.index(0, AttendeesModel.COL_NAME)) & \
        Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(model.index(1, DAY_1), Qt.CheckState.Checked,
                         Qt.ItemDataRole.CheckStateRole)
    assert written == [("a2", [1, 2])]
    assert not model.setData(model.index(1, AttendeesModel.COL_NAME), "x",
                             Qt.ItemDataRole.EditRole)
    model.set_attendees(rows, 1)
    qtmodeltester.check(model)
    assert model.columnCount() == AttendeesModel.COL_FIRST_DAY
