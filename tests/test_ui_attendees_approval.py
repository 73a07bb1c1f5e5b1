"""The attendance list of an approved or sent activity (issue 13): an edit asks first, in
the activity form's words, and makes the activity a new revision (a draft, its row version
raised) in the same transaction."""

from __future__ import annotations

import dataclasses
import sys
import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from test_ui_activities_page import answer_box
from test_ui_activity_form import click_tab, open_form

from models import approval, attendance, importer, records, store
from models.records import Activity, Unit
from ui.forms import form_base
from ui.forms.activity_form import TAB_PEOPLE
from ui.forms.attendees_editor import AttendeesEditor
from ui.table_models.attendees import AttendeesModel

HEAD = "أحمد عبيد هادي الأسدي"
QUESTION = "هذا النشاط {state}. تعديله يُنشئ نسخة جديدة يجب اعتمادها وإرسالها من جديد. متابعة؟"

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def discard_when_closed(monkeypatch):
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")


@pytest.fixture
def person(db) -> records.Person:
    return store.insert(db, records.Person(full_name="زينب علي حسين الأسدي", gender="f"))


def approved_activity(db, *, sent: bool = False) -> Activity:
    unit = store.get(db, Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, head_name=HEAD))
    activity = store.insert(db, Activity(title="ورشة الاتصال الحكومي", start_date="2026-11-10",
                                         end_date="2026-11-11", place="قاعة المحافظة"))
    approval.approve(db, "activity", [activity.id])
    if sent:
        approval.mark_sent(db, "activity", [activity.id], "2026-12-01T10:00:00.000Z")
    return activity


def version(db, activity_id: str) -> int:
    return db.scalar("SELECT row_version FROM activities WHERE id = ?", (activity_id,))


def editor_of(qtbot, ctx, activity_id: str) -> AttendeesEditor:
    editor = AttendeesEditor(ctx, activity_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_an_attendee_added_to_an_approved_activity_asks_then_the_activity_is_a_draft(
        qtbot, ctx, db, person):
    activity = approved_activity(db)
    before = version(db, activity.id)
    editor = editor_of(qtbot, ctx, activity.id)
    seen: list[str] = []
    answer_box("لا", seen)
    assert editor.add_person(person.id) is False
    assert seen[0] == QUESTION.format(state="معتمد")
    assert attendance.count(db, activity.id) == 0
    assert approval.state(db, "activity", activity.id).status == "approved"
    assert version(db, activity.id) == before

    answer_box("نعم، عدّل", seen)
    assert editor.add_person(person.id) is True
    assert attendance.count(db, activity.id) == 1 and editor.count() == 1
    assert approval.state(db, "activity", activity.id).status == "draft"
    assert version(db, activity.id) > before
    # A draft now: the next edit asks nothing.
    seen.clear()
    index = editor.model.index(0, AttendeesModel.COL_FIRST_DAY + 1)
    assert editor.model.setData(index, Qt.CheckState.Unchecked.value,
                                Qt.ItemDataRole.CheckStateRole)
    assert seen == [] and attendance.attendees(db, activity.id)[0].days == [1]


def test_unticking_a_day_of_a_sent_activity_asks_and_shows_it_changed_since_sent(
        qtbot, ctx, db, person):
    activity = approved_activity(db)
    attendance.add(db, activity.id, person.id)
    approval.approve(db, "activity", [activity.id])
    approval.mark_sent(db, "activity", [activity.id], "2026-12-01T10:00:00.000Z")
    before = version(db, activity.id)
    editor = editor_of(qtbot, ctx, activity.id)
    index = editor.model.index(0, AttendeesModel.COL_FIRST_DAY + 1)
    seen: list[str] = []
    answer_box("لا", seen)
    editor.model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert seen[0] == QUESTION.format(state="مرسل")
    assert attendance.attendees(db, activity.id)[0].days == [1, 2]
    assert editor.model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert approval.state(db, "activity", activity.id).status == "sent"

    answer_box("نعم، عدّل", seen)
    editor.model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert attendance.attendees(db, activity.id)[0].days == [1]
    state = approval.state(db, "activity", activity.id)
    assert state.status == "draft" and state.changed_since_sent
    assert state.label == "عُدّل بعد الإرسال" and version(db, activity.id) > before


def test_removing_an_attendee_of_an_approved_activity_asks_first(qtbot, ctx, db, person):
    activity = approved_activity(db)
    attendance.add(db, activity.id, person.id)
    approval.approve(db, "activity", [activity.id])
    editor = editor_of(qtbot, ctx, activity.id)
    editor._select_row(0)
    seen: list[str] = []
    answer_box("لا", seen)
    editor.remove_selected()
    assert seen[0] == QUESTION.format(state="معتمد") and len(seen) == 3  # nothing more asked
    assert attendance.count(db, activity.id) == 1

    answer_box("نعم، عدّل", seen)
    answer_box("حذف", seen)  # then the list's own question
    editor.remove_selected()
    assert "حذف «زينب علي حسين الأسدي»" in seen[6]
    assert attendance.count(db, activity.id) == 0
    assert approval.state(db, "activity", activity.id).status == "draft"


def test_after_the_forms_tadil_the_list_asks_no_more_and_the_draft_stays_if_cancelled(
        qtbot, ctx, db, person):
    activity = approved_activity(db)
    dialog = open_form(qtbot, ctx, activity.id)
    assert dialog.locked and not dialog.attendees.isEnabled()  # read-only while locked
    seen: list[str] = []
    answer_box("نعم، عدّل", seen)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    click_tab(qtbot, dialog, TAB_PEOPLE)
    assert dialog.attendees.add_person(person.id) is True
    assert len(seen) == 3  # the form's one question only
    # Written through at once: the activity is a draft even if the form is not saved.
    dialog.reject()
    assert attendance.count(db, activity.id) == 1
    assert approval.state(db, "activity", activity.id).status == "draft"


class ImportingDialog(QDialog):
    """Stands in for ui.forms.import_dialog.ImportDialog: imports the file at once, through
    the models' import (no columns to confirm)."""

    calls: list[str] = []

    def __init__(self, ctx, activity_id, parent=None, *, path=None, text=None):
        super().__init__(parent)
        self.ctx, self.activity_id, self.path = ctx, activity_id, path
        ImportingDialog.calls.append(path)

    def exec(self) -> int:
        self.result, _table, _mapping = importer.import_file(self.ctx.db, self.path,
                                                             self.activity_id)
        return QDialog.DialogCode.Accepted


def test_a_list_dropped_on_the_locked_form_of_an_approved_activity_asks_first(
        qtbot, ctx, db, monkeypatch, tmp_path):
    calls = ImportingDialog.calls = []
    module = types.ModuleType("ui.forms.import_dialog")
    module.ImportDialog = ImportingDialog
    monkeypatch.setitem(sys.modules, "ui.forms.import_dialog", module)
    activity = approved_activity(db)
    before = version(db, activity.id)
    dialog = open_form(qtbot, ctx, activity.id)
    assert dialog.locked
    sheet = tmp_path / "المشاركون.csv"
    sheet.write_text("الاسم,الجهة\nحسن عباس فاضل,جامعة كربلاء\n", encoding="utf-8")
    seen: list[str] = []
    answer_box("لا", seen)
    dialog.import_attendees(str(sheet))  # what a drop on the form does
    assert seen[0] == QUESTION.format(state="معتمد") and calls == []
    assert approval.state(db, "activity", activity.id).status == "approved"

    answer_box("نعم، عدّل", seen)
    dialog.import_attendees(str(sheet))
    assert calls == [str(sheet)]
    assert [a.person.full_name for a in attendance.attendees(db, activity.id)] == [
        "حسن عباس فاضل"]
    assert approval.state(db, "activity", activity.id).status == "draft"
    assert version(db, activity.id) > before
