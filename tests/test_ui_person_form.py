"""The person form, used as a coordinator would: typing a name guesses the gender, rules
show next to the fields, possible duplicates are asked about."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from models import records, store
from tests.test_ui_date_edit import (
    answer_modal,
    click_button,
    show_active,
    type_text,
)
from ui.forms import form_base
from ui.forms.person_form import DuplicateDialog, PersonDialog

# Completion popups: the offscreen platform cannot raise them or grab the keyboard, and says so.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def discard_when_closed(monkeypatch):
    """Closing a changed form at the end of a test discards (instead of a blocking question)."""
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")


def open_form(qtbot, ctx, *args, **kwargs) -> PersonDialog:
    dialog = PersonDialog(ctx, *args, **kwargs)
    show_active(qtbot, dialog)
    return dialog


def test_a_new_person_typed_in_with_a_guessed_female_gender(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    assert dialog.isRightToLeft() and dialog.windowTitle() == "مشارك جديد"
    assert not dialog.save_button.isEnabled()
    assert dialog.errors.message("full_name") == ""  # nothing typed yet: no scolding
    assert "الاسم الرباعي" in dialog.incomplete.text()
    type_text(dialog.full_name, "زينب علي حسين الأسدي")
    assert dialog.gender.currentText() == "أنثى"
    assert dialog.guessed.isVisibleTo(dialog) and dialog.guessed.text() == "مخمّن"
    type_text(dialog.job_title, "مسؤولة شعبة الإعلام")
    type_text(dialog.entity, "مديرية تربية كربلاء")
    type_text(dialog.phone, "0780 123 4567")
    type_text(dialog.email, "zainab@example.iq")
    assert dialog.save_button.isEnabled() and dialog.incomplete.text() == ""
    with qtbot.waitSignal(ctx.data_changed) as changed:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert changed.args == ["persons"]
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = store.get(db, records.Person, dialog.person.id)
    assert (stored.full_name, stored.gender, stored.gender_guessed, stored.job_title,
            stored.entity, stored.phone, stored.email) == (
        "زينب علي حسين الأسدي", "f", True, "مسؤولة شعبة الإعلام", "مديرية تربية كربلاء",
        "0780 123 4567", "zainab@example.iq")


def test_a_gender_chosen_by_the_user_is_not_a_guess(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.full_name, "حمزة")
    assert dialog.gender.currentText() == "ذكر" and dialog.guessed.isVisibleTo(dialog)
    # The user opens the list and picks: from now on the name no longer decides.
    dialog.gender.setFocus()
    qtbot.keyClick(dialog.gender, Qt.Key.Key_Down)
    dialog.gender.activated.emit(dialog.gender.currentIndex())
    assert dialog.gender.currentText() == "أنثى" and not dialog.guessed.isVisibleTo(dialog)
    type_text(dialog.full_name, " علي محمد")
    assert dialog.gender.currentText() == "أنثى"
    dialog.save_and_close()
    stored = store.get(db, records.Person, dialog.person.id)
    assert (stored.gender, stored.gender_guessed) == ("f", False)


def test_the_guess_follows_the_name_until_the_user_chooses(qtbot, ctx):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.full_name, "مريم")
    assert dialog.gender.currentText() == "أنثى"
    dialog.full_name.clear()
    type_text(dialog.full_name, "محمد")
    assert dialog.gender.currentText() == "ذكر"
    dialog.full_name.clear()
    type_text(dialog.full_name, "John Smith")  # nothing to go by
    assert dialog.gender.currentText() == "غير محدد" and not dialog.guessed.isVisibleTo(dialog)


def test_a_short_name_gets_a_gentle_hint_not_an_error(qtbot, ctx):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.full_name, "زينب علي")
    assert "رباعي" in dialog.name_hint.text() and dialog.name_hint.isVisibleTo(dialog)
    assert dialog.save_button.isEnabled()
    type_text(dialog.full_name, " حسين")
    assert not dialog.name_hint.isVisibleTo(dialog)
    type_text(dialog.full_name, " الأسدي الكربلائي البغدادي")  # six words
    assert dialog.name_hint.isVisibleTo(dialog)


def test_broken_rules_show_next_to_the_field_and_block_saving(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.full_name, "علي حسين كاظم")
    type_text(dialog.phone, "هاتفي")
    assert dialog.errors.message("phone") == records.problems(
        records.Person(full_name="x", phone="هاتفي"))[0].arabic
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and store.count(db, records.Person) == 0
    dialog.phone.clear()
    assert dialog.errors.message("phone") == "" and dialog.save_button.isEnabled()
    dialog.full_name.clear()
    assert dialog.errors.message("full_name") == (
        "الحقل «الاسم الرباعي» مطلوب ولا يمكن أن يكون فارغاً.")


def test_a_possible_duplicate_can_be_the_same_person(qtbot, ctx, db):
    existing = store.insert(db, records.Person(full_name="زينب علي حسين الاسدي",
                                               entity="جامعة كربلاء"))
    dialog = open_form(qtbot, ctx)
    type_text(dialog.full_name, "زينب علي حسين الأسدي")  # the same name with a hamza
    asked = answer_modal(lambda box: click_button(box, "نعم، هو الشخص المختار"), DuplicateDialog)
    dialog.save_and_close()
    assert asked and asked[0].isRightToLeft()
    assert "جامعة كربلاء" in asked[0].list.item(0).text()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.person.id == existing.id
    assert store.count(db, records.Person) == 1


def test_a_possible_duplicate_can_be_someone_else(qtbot, ctx, db):
    store.insert(db, records.Person(full_name="أحمد جاسم محمد", phone="07801234567"))
    dialog = open_form(qtbot, ctx)
    type_text(dialog.full_name, "علي جاسم محمد")
    type_text(dialog.phone, "٠٧٨٠-١٢٣-٤٥٦٧")  # the same number, written otherwise
    asked = answer_modal(lambda box: click_button(box, "لا، شخص آخر"), DuplicateDialog)
    dialog.save_and_close()
    assert asked
    assert store.count(db, records.Person) == 2
    assert dialog.person.full_name == "علي جاسم محمد"


def test_cancelling_the_duplicate_question_keeps_the_form_open(qtbot, ctx, db):
    store.insert(db, records.Person(full_name="علي حسين كاظم"))
    dialog = open_form(qtbot, ctx)
    type_text(dialog.full_name, "علي حسين كاظم")
    asked = answer_modal(lambda box: click_button(box, "إلغاء"), DuplicateDialog)
    dialog.save_and_close()
    assert asked and dialog.isVisible()
    assert store.count(db, records.Person) == 1


def test_editing_a_stored_person(qtbot, ctx, db):
    person = store.insert(db, records.Person(full_name="فاطمة كريم عباس", gender="f",
                                             job_title="مبرمجة"))
    dialog = open_form(qtbot, ctx, person.id)
    assert dialog.windowTitle() == "بيانات المشارك — فاطمة كريم عباس"
    assert (dialog.full_name.text(), dialog.gender.currentText(), dialog.job_title.text()) == (
        "فاطمة كريم عباس", "أنثى", "مبرمجة")
    assert not dialog.guessed.isVisibleTo(dialog) and not dialog.is_dirty()
    dialog.job_title.selectAll()
    type_text(dialog.job_title, "مديرة قسم تقنية المعلومات")
    assert dialog.is_dirty()
    dialog.save_and_close()
    again = store.get(db, records.Person, person.id)
    assert again.job_title == "مديرة قسم تقنية المعلومات" and again.gender == "f"
    assert store.count(db, records.Person) == 1


def test_initial_values_prefill_a_new_person(qtbot, ctx):
    dialog = open_form(qtbot, ctx, initial=records.Person(full_name="سارة عبد الله حسن"))
    assert dialog.full_name.text() == "سارة عبد الله حسن"
    assert dialog.gender.currentText() == "أنثى" and dialog.guessed.isVisibleTo(dialog)
    assert dialog.save_button.isEnabled()
