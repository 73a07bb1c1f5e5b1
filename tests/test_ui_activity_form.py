"""The activity form, used as a coordinator would: typing the seed's workshop in, rules
next to the fields, duplicating, photos, closing with unsaved changes, drafts that survive
a crash."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from models import activity_bundle, attachments, attendance, drafts, records, store
from models.paths import attachments_dir
from tests.conftest import karbala_workshop
from tests.test_ui_date_edit import (
    answer_modal,
    click_button,
    show_active,
    type_text,
)
from ui.forms import activity_form, form_base
from ui.forms.activity_form import (
    TAB_MAIN,
    TAB_PEOPLE,
    TAB_PHOTOS,
    TAB_RECS,
    TAB_TEXT,
    ActivityDialog,
    offer_recovered_drafts,
)
from ui.forms.recommendations_editor import RecommendationsModel

ROOT = Path(__file__).resolve().parent.parent
REAL_ASK_UNSAVED = form_base.ask_unsaved
RECOMMENDATIONS = [
    ("إعطاء المساحة الأكبر للعمل والتواصل وتذليل العقبات أمام منسق الاتصال الحكومي",
     "المسؤولون كلٌّ حسب دائرته", "2027-01-31"),
    ("تنظيم مؤتمر موسع يناقش مفهوم الاتصال الحكومي وكيفية الارتقاء به",
     "وزارة التعليم العالي والبحث العلمي", None),
]

# Completion popups and the calendar: offscreen cannot raise them or grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def discard_when_closed(monkeypatch):
    """Closing a changed form at the end of a test discards (instead of a blocking question)."""
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")


def open_form(qtbot, ctx, *args, **kwargs) -> ActivityDialog:
    dialog = ActivityDialog(ctx, *args, **kwargs)
    show_active(qtbot, dialog)
    return dialog


def click_tab(qtbot, dialog: ActivityDialog, index: int) -> None:
    bar = dialog.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert dialog.tabs.currentIndex() == index


def click_row(qtbot, table, row: int, column: int = 1) -> None:
    """Click a cell of a table view, as a user picks a row."""
    rect = table.visualRect(table.model().index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def retype(widget: QWidget, text: str) -> None:
    widget.selectAll()
    type_text(widget, text)


def enter_karbala_workshop(qtbot, dialog: ActivityDialog) -> None:
    """Type the seed's workshop into the form, field by field."""
    w = karbala_workshop()
    type_text(dialog.title, w.title)
    retype(dialog.start_date.line, "22/11/2026")
    assert dialog.end_date.value() == "2026-11-22"  # the end follows the start
    retype(dialog.end_date.line, "23/11/2026")
    type_text(dialog.place, w.place)
    type_text(dialog.organiser, w.organiser)
    for partner in w.partners:
        type_text(dialog.partners.line, partner + "\n")
    for lecturer in w.lecturers:
        type_text(dialog.lecturers.line, lecturer + "\n")
    click_tab(qtbot, dialog, TAB_TEXT)
    type_text(dialog.summary, w.summary)
    click_tab(qtbot, dialog, TAB_RECS)
    editor = dialog.recommendations
    for text, addressed_to, due in RECOMMENDATIONS:
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
        type_text(editor.text, text)
        type_text(editor.addressed_to, addressed_to)
        if due:
            type_text(editor.due_date.line, due)


def test_the_karbala_workshop_typed_in_and_saved(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    assert dialog.isRightToLeft() and dialog.windowTitle() == "نشاط جديد"
    assert not dialog.save_button.isEnabled()
    enter_karbala_workshop(qtbot, dialog)
    assert dialog.save_button.isEnabled()
    assert dialog.tabs.tabText(TAB_RECS) == "التوصيات (٢)"
    with qtbot.waitSignal(ctx.data_changed, check_params_cb=lambda t: t == "activities"):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

    [saved] = store.find(db, records.Activity)
    w = karbala_workshop()
    fields = ("kind", "title", "start_date", "end_date", "place", "organiser", "partners",
              "lecturers", "summary")
    assert {f: getattr(saved, f) for f in fields} == {f: getattr(w, f) for f in fields}
    assert saved.status == "draft"  # approved by «اعتماد» only (issue 13)
    assert saved.days == 2
    again = activity_bundle.load(db, saved.id)
    assert [(r.text, r.addressed_to, r.due_date, r.status) for r in again.recommendations] == [
        (t, a, d, "raised") for t, a, d in RECOMMENDATIONS]
    assert drafts.all_drafts(db) == []


def test_a_bad_date_range_is_said_next_to_the_end_date_and_blocks_saving(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, "اجتماع دوري")
    retype(dialog.start_date.line, "23/11/2026")
    retype(dialog.end_date.line, "22/11/2026")
    assert dialog.errors.message("end_date") == "تاريخ الانتهاء لا يمكن أن يسبق تاريخ البدء."
    assert dialog.errors.labels["end_date"].isVisibleTo(dialog)
    assert dialog.errors.message("start_date") == ""
    assert not dialog.save_button.isEnabled()
    assert dialog.tabs.tabBar().tabTextColor(TAB_MAIN) == QColor("#b3261e")
    qtbot.keyClick(dialog.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and store.count(db, records.Activity) == 0
    retype(dialog.end_date.line, "24/11/2026")
    assert dialog.errors.message("end_date") == "" and dialog.save_button.isEnabled()


def test_messages_come_as_the_user_types(qtbot, ctx):
    dialog = open_form(qtbot, ctx)
    # A new form does not scold for what was not typed yet; it says what is missing.
    assert dialog.errors.message("title") == ""
    assert dialog.incomplete.text() == "للحفظ أكمل: عنوان النشاط"
    type_text(dialog.title, "ندوة")
    assert dialog.incomplete.text() == "" and dialog.save_button.isEnabled()
    dialog.title.clear()
    assert dialog.errors.message("title") == "الحقل «عنوان النشاط» مطلوب ولا يمكن أن يكون فارغاً."
    retype(dialog.start_date.line, "31/02/2026")
    assert "التاريخ في «تاريخ البدء» غير صحيح" in dialog.errors.message("start_date")
    click_tab(qtbot, dialog, TAB_RECS)
    qtbot.mouseClick(dialog.recommendations.add_button, Qt.MouseButton.LeftButton)
    assert dialog.recommendations.errors.message("text") == (
        "الحقل «نص التوصية» مطلوب ولا يمكن أن يكون فارغاً.")


def test_a_one_day_activity_keeps_its_end_with_its_start(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, "بيان صحفي عن الورشة")
    retype(dialog.start_date.line, "2026-11-24")
    assert dialog.end_date.value() == "2026-11-24"
    retype(dialog.start_date.line, "2026-11-25")
    assert dialog.end_date.value() == "2026-11-25"
    dialog.save_and_close()
    [saved] = store.find(db, records.Activity)
    assert (saved.start_date, saved.end_date, saved.days) == ("2026-11-25", "2026-11-25", 1)


def test_editing_shows_the_stored_activity_and_saves_changes(qtbot, ctx, db, workshop):
    dialog = open_form(qtbot, ctx, workshop.id)
    assert dialog.windowTitle() == "النشاط — " + workshop.title
    assert dialog.start_date.text() == "٢٢ تشرين الثاني ٢٠٢٦"
    assert dialog.end_date.text() == "٢٣ تشرين الثاني ٢٠٢٦"
    assert dialog.partners.items() == workshop.partners
    assert dialog.status.text() == "معتمد"
    assert not dialog.is_dirty() and dialog.save_button.isEnabled()
    retype(dialog.place, "قاعة المؤتمرات في جامعة كربلاء")
    qtbot.keyClick(dialog.place, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert store.get(db, records.Activity, workshop.id).place == "قاعة المؤتمرات في جامعة كربلاء"


def test_choosing_a_kind(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    dialog.kind.setFocus()
    for _ in range(2):
        qtbot.keyClick(dialog.kind, Qt.Key.Key_Down)
    assert dialog.kind.currentText() == "اجتماع دوري"
    type_text(dialog.title, "الاجتماع الدوري لشبكة الاتصال")
    dialog.save_and_close()
    assert store.find(db, records.Activity)[0].kind == "meeting"


def test_the_participants_count_is_typed_when_there_is_no_list(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, "حملة توعوية")
    assert not dialog.participants_count.isReadOnly()
    dialog.participants_count.lineEdit().selectAll()
    type_text(dialog.participants_count, "٤٠")
    dialog.save_and_close()
    assert store.find(db, records.Activity)[0].participants_count == 40


def test_duplicate_copies_fields_and_recommendations_not_people(qtbot, ctx, db):
    source = activity_bundle.save(db, activity_bundle.ActivityBundle(
        karbala_workshop(), [records.Recommendation(text=t, addressed_to=a, due_date=d)
                             for t, a, d in RECOMMENDATIONS]))
    person = store.insert(db, records.Person(full_name="علي حسين كاظم"))
    attendance.add(db, source.activity.id, person.id)
    dialog = open_form(qtbot, ctx, duplicate_of=source.activity.id)
    assert dialog.windowTitle() == "نشاط جديد (نسخة)"
    assert dialog.title.text() == karbala_workshop().title + " (نسخة)"
    assert dialog.status.text() == "مسودة"
    assert dialog.partners.items() == karbala_workshop().partners
    assert dialog.recommendations.model.rowCount() == 2
    # A new activity: no one on its list (it is saved with the first one added).
    assert dialog.attendees.activity_id is None and dialog.attendees.count() == 0
    assert dialog.photos.photos() == []
    dialog.save_and_close()
    assert store.count(db, records.Activity) == 2
    copy = next(a for a in store.find(db, records.Activity) if a.id != source.activity.id)
    assert copy.status == "draft" and copy.start_date == "2026-11-22"
    assert [r.text for r in activity_bundle.load(db, copy.id).recommendations] == [
        t for t, _a, _d in RECOMMENDATIONS]
    assert attendance.count(db, copy.id) == 0


def test_recommendations_can_be_reordered_and_removed(qtbot, ctx, db):
    saved = activity_bundle.save(db, activity_bundle.ActivityBundle(
        karbala_workshop(), [records.Recommendation(text=t) for t, _a, _d in RECOMMENDATIONS]))
    dialog = open_form(qtbot, ctx, saved.activity.id)
    click_tab(qtbot, dialog, TAB_RECS)
    editor = dialog.recommendations
    click_row(qtbot, editor.table, 1)
    assert editor.text.toPlainText() == RECOMMENDATIONS[1][0]
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert editor.model.data(editor.model.index(0, RecommendationsModel.COL_TEXT)) == (
        RECOMMENDATIONS[1][0])
    assert editor.model.data(editor.model.index(0, RecommendationsModel.COL_NUMBER)) == "١"
    assert editor.text.toPlainText() == RECOMMENDATIONS[1][0]
    click_row(qtbot, editor.table, 1)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    dialog.save_and_close()
    assert [r.text for r in activity_bundle.load(db, saved.activity.id).recommendations] == [
        RECOMMENDATIONS[1][0]]


def test_the_recommendations_model(qtmodeltester):
    model = RecommendationsModel()
    model.set_rows([records.Recommendation(text=t, addressed_to=a, due_date=d)
                    for t, a, d in RECOMMENDATIONS])
    qtmodeltester.check(model)
    assert model.data(model.index(0, model.COL_DUE)) == "٣١ كانون الثاني ٢٠٢٧"
    assert model.data(model.index(1, model.COL_STATUS)) == "مرفوعة"
    model.move(0, 1)
    model.remove(0)
    qtmodeltester.check(model)


# --- photos ----------------------------------------------------------------------------------

def make_png(path: Path) -> Path:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a7f62"))
    assert image.save(str(path), "PNG")
    return path


def stored_files(db) -> list[Path]:
    folder = attachments_dir(db.path)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_photo_added_by_the_file_dialog(qtbot, ctx, db, workshop, tmp_path, monkeypatch):
    png = make_png(tmp_path / "افتتاح الورشة.png")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *args, **kwargs: ([str(png)], "")))
    dialog = open_form(qtbot, ctx, workshop.id)
    click_tab(qtbot, dialog, TAB_PHOTOS)
    qtbot.mouseClick(dialog.photos.add_button, Qt.MouseButton.LeftButton)
    assert dialog.photos.list.count() == 1
    assert not dialog.photos.list.item(0).icon().isNull()  # the thumbnail
    assert dialog.photos.message.text() == ""
    assert dialog.tabs.tabText(TAB_PHOTOS) == "الصور (١)"
    type_text(dialog.photos.caption, "جانب من افتتاح الورشة")
    dialog.save_and_close()
    [photo] = attachments.for_owner(db, "activity", workshop.id)
    assert (photo.filename, photo.mime, photo.caption, photo.position) == (
        "افتتاح الورشة.png", "image/png", "جانب من افتتاح الورشة", 1)
    assert stored_files(db) == [attachments.path_of(db.path, photo)]
    assert attachments.path_of(db.path, photo).read_bytes() == png.read_bytes()


def test_a_photo_dropped_from_the_file_manager(qtbot, ctx, db, workshop, tmp_path):
    png = make_png(tmp_path / "صورة.png")
    dialog = open_form(qtbot, ctx, workshop.id)
    click_tab(qtbot, dialog, TAB_PHOTOS)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(png))])
    # Qt delivers drag events only from a real drag (QApplication drops synthetic ones), so
    # the list's handlers get the events the drop would bring.
    target = dialog.photos.list
    assert target.acceptDrops()
    centre = target.viewport().rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.setAccepted(False)
    target.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    target.dropEvent(drop)
    assert drop.isAccepted()
    assert dialog.photos.list.count() == 1
    dialog.save_and_close()
    assert len(attachments.for_owner(db, "activity", workshop.id)) == 1


def test_a_text_file_named_png_is_refused(qtbot, ctx, db, workshop, tmp_path, monkeypatch):
    fake = tmp_path / "صورة الورشة.png"
    fake.write_text("ليست صورة بل نص", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *args, **kwargs: ([str(fake)], "")))
    dialog = open_form(qtbot, ctx, workshop.id)
    click_tab(qtbot, dialog, TAB_PHOTOS)
    qtbot.mouseClick(dialog.photos.add_button, Qt.MouseButton.LeftButton)
    assert dialog.photos.list.count() == 0
    assert dialog.photos.message.isVisibleTo(dialog)
    assert dialog.photos.message.text() == (
        "الملف «صورة الورشة.png» ليس صورة؛ المقبول صور JPEG أو PNG أو GIF أو WEBP أو BMP.")
    assert not dialog.is_dirty()
    dialog.reject()
    assert store.count(db, records.Attachment) == 0 and stored_files(db) == []


def test_removing_a_photo(qtbot, ctx, db, workshop, tmp_path):
    attachments.attach(db, "activity", workshop.id, make_png(tmp_path / "a.png"))
    dialog = open_form(qtbot, ctx, workshop.id)
    click_tab(qtbot, dialog, TAB_PHOTOS)
    assert dialog.photos.list.count() == 1
    qtbot.mouseClick(dialog.photos.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.is_dirty()
    dialog.save_and_close()
    assert attachments.for_owner(db, "activity", workshop.id) == []


# --- closing -------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_closing_with_unsaved_changes_asks(qtbot, ctx, db, workshop, monkeypatch, answer):
    asked = []
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: asked.append(1) or answer)
    dialog = open_form(qtbot, ctx, workshop.id)
    retype(dialog.title, "عنوان معدّل")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert asked == [1]
    title = store.get(db, records.Activity, workshop.id).title
    if answer == "cancel":
        assert dialog.isVisible() and title == workshop.title
    elif answer == "discard":
        assert not dialog.isVisible() and title == workshop.title
        assert dialog.result() == QDialog.DialogCode.Rejected
    else:
        assert not dialog.isVisible() and title == "عنوان معدّل"
        assert dialog.result() == QDialog.DialogCode.Accepted
    assert drafts.all_drafts(db) == [] or answer == "cancel"


def test_the_question_is_a_real_arabic_message_box(qtbot, ctx, db, workshop, monkeypatch):
    monkeypatch.setattr(form_base, "ask_unsaved", REAL_ASK_UNSAVED)
    dialog = open_form(qtbot, ctx, workshop.id)
    retype(dialog.title, "عنوان معدّل")
    texts = []

    def discard(box: QWidget) -> None:
        texts.append((box.text(), box.isRightToLeft()))
        click_button(box, "تجاهل التغييرات")

    answer_modal(discard, QMessageBox)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert texts == [("في النموذج تغييرات لم تُحفظ. هل تريد حفظها قبل الإغلاق؟", True)]
    assert not dialog.isVisible()


def test_an_unchanged_form_closes_without_asking(qtbot, ctx, workshop, monkeypatch):
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: pytest.fail("asked"))
    dialog = open_form(qtbot, ctx, workshop.id)
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


# --- drafts ----------------------------------------------------------------------------------

def wait_for_draft(qtbot, db, key: str) -> drafts.Draft:
    qtbot.waitUntil(lambda: drafts.get(db, key) is not None, timeout=4000)
    return drafts.get(db, key)


def test_typing_keeps_a_draft_and_saving_forgets_it(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, "ورشة عن الرصد الإعلامي")
    draft = wait_for_draft(qtbot, db, dialog.draft_key)
    assert draft.record_type == "activity" and draft.record_id is None
    assert draft.payload["activity"]["title"] == "ورشة عن الرصد الإعلامي"
    dialog.save_and_close()
    assert drafts.all_drafts(db) == []


def test_a_draft_survives_a_crash_and_is_offered_back(qtbot, ctx, db):
    dialog = ActivityDialog(ctx)
    dialog.show()
    type_text(dialog.title, "ورشة عن الرصد الإعلامي")
    click_tab(qtbot, dialog, TAB_TEXT)
    type_text(dialog.summary, "سطر أول\nسطر ثانٍ")
    click_tab(qtbot, dialog, TAB_RECS)
    qtbot.mouseClick(dialog.recommendations.add_button, Qt.MouseButton.LeftButton)
    type_text(dialog.recommendations.text, "متابعة التغطية الإعلامية")
    wait_for_draft(qtbot, db, dialog.draft_key)
    qtbot.wait(1200)  # the last keystrokes are in too
    shiboken6.delete(dialog)  # the "crash": gone without closing, saving or discarding

    parent = QWidget()
    qtbot.addWidget(parent)
    seen: dict[str, object] = {}

    def restore(box: QWidget) -> None:
        seen["question"] = box.text()
        seen["rtl"] = box.isRightToLeft()
        answer_modal(check_and_save, ActivityDialog)
        click_button(box, "استعادة")

    def check_and_save(form: ActivityDialog) -> None:
        seen["title"] = form.title.text()
        seen["summary"] = form.summary.toPlainText()
        seen["recs"] = [r.text for r in form.recommendations.recommendations()]
        seen["dirty"] = form.is_dirty()
        form.save_and_close()

    answer_modal(restore, QMessageBox)
    assert offer_recovered_drafts(ctx, parent) == 1
    question = str(seen["question"])
    assert question.startswith("وُجدت مسودة غير محفوظة للنشاط «ورشة عن الرصد الإعلامي» من ")
    assert question.endswith(". استعادتها؟") and "الساعة" in question
    assert seen["rtl"] is True
    assert (seen["title"], seen["summary"], seen["recs"], seen["dirty"]) == (
        "ورشة عن الرصد الإعلامي", "سطر أول\nسطر ثانٍ", ["متابعة التغطية الإعلامية"], True)
    [saved] = store.find(db, records.Activity)
    assert saved.title == "ورشة عن الرصد الإعلامي" and saved.summary == "سطر أول\nسطر ثانٍ"
    assert drafts.all_drafts(db) == []


def test_a_draft_of_a_stored_activity_comes_back_to_it(qtbot, ctx, db, workshop, monkeypatch):
    dialog = ActivityDialog(ctx, workshop.id)
    dialog.show()
    retype(dialog.place, "قاعة الحسين")
    dialog.keep_draft()  # what the timer does a second after typing
    shiboken6.delete(dialog)
    monkeypatch.setattr(activity_form, "ask", lambda *args, **kwargs: True)
    opened: list[ActivityDialog] = []
    monkeypatch.setattr(ActivityDialog, "exec", lambda self: opened.append(self) or 0)
    assert offer_recovered_drafts(ctx) == 1
    form = opened[0]
    qtbot.addWidget(form)
    assert form.activity_id == workshop.id and form.place.text() == "قاعة الحسين"
    form.save_and_close()
    assert store.get(db, records.Activity, workshop.id).place == "قاعة الحسين"
    assert store.count(db, records.Activity) == 1


def test_a_refused_draft_is_forgotten(qtbot, ctx, db, monkeypatch):
    drafts.save(db, "activity:x", "activity", None, {"activity": {"title": "ندوة"}})
    monkeypatch.setattr(activity_form, "ask", lambda *args, **kwargs: False)
    assert offer_recovered_drafts(ctx) == 0
    assert drafts.all_drafts(db) == []


def test_a_draft_survives_a_killed_process(qtbot, ctx, db, db_path):
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QTimer
        from models.db import Database
        from ui.application import create_application
        from ui.context import AppContext
        from ui.forms.activity_form import ActivityDialog
        from tests.test_ui_date_edit import type_text
        app = create_application()
        ctx = AppContext(Database.open({str(db_path)!r}))
        dialog = ActivityDialog(ctx)
        dialog.show()
        type_text(dialog.title, "ندوة عن الاتصال الحكومي")
        QTimer.singleShot(2500, lambda: os._exit(9))  # killed mid-edit, no clean-up at all
        app.exec()
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, timeout=60,
                          capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    [draft] = drafts.all_drafts(db)
    assert draft.payload["activity"]["title"] == "ندوة عن الاتصال الحكومي"
    opened: list[ActivityDialog] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(activity_form, "ask", lambda *args, **kwargs: True)
        patch.setattr(ActivityDialog, "exec", lambda self: opened.append(self) or 0)
        assert offer_recovered_drafts(ctx) == 1
    qtbot.addWidget(opened[0])
    assert opened[0].title.text() == "ندوة عن الاتصال الحكومي"


def test_an_unchanged_form_keeps_no_draft(qtbot, ctx, db, workshop):
    dialog = open_form(qtbot, ctx, workshop.id)
    qtbot.wait(1300)
    assert drafts.all_drafts(db) == []
    retype(dialog.title, "عنوان")
    wait_for_draft(qtbot, db, dialog.draft_key)
    retype(dialog.title, workshop.title)  # back as stored: nothing to keep
    qtbot.waitUntil(lambda: drafts.all_drafts(db) == [], timeout=4000)


def test_every_dialog_is_right_to_left(qtbot, ctx, workshop):
    dialog = open_form(qtbot, ctx, workshop.id)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for widget in (dialog.tabs, dialog.recommendations, dialog.attendees, dialog.photos,
                   dialog.start_date, dialog.partners):
        assert widget.isRightToLeft()
    assert dialog.tabs.tabBar().tabRect(TAB_MAIN).x() > dialog.tabs.tabBar().tabRect(
        TAB_PEOPLE).x()  # the first tab is on the right
    # Arabic paragraphs start at the right edge of the multi-line fields.
    click_tab(qtbot, dialog, TAB_TEXT)
    cursor = dialog.summary.textCursor()
    cursor.movePosition(cursor.MoveOperation.Start)
    dialog.summary.setTextCursor(cursor)
    assert dialog.summary.cursorRect().x() > dialog.summary.viewport().width() * 0.9


def test_a_closed_form_leaves_nothing_listening(qtbot, ctx, db, workshop):
    dialog = ActivityDialog(ctx, workshop.id)
    dialog.show()
    dialog.reject()
    shiboken6.delete(dialog)
    # Views elsewhere keep announcing changes; a destroyed form must not answer them.
    import dataclasses

    ctx.save_unit(dataclasses.replace(ctx.unit, digits="western"))
    ctx.changed("attendance")
    ctx.changed("persons")


def test_places_and_partners_are_completed_from_earlier_activities(qtbot, ctx, db, workshop):
    dialog = open_form(qtbot, ctx)
    dialog.place.setFocus()
    type_text(dialog.place, "كربلا")  # any part of it, without the hamza
    popup = dialog.place.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    assert popup.model().index(0, 0).data() == "جامعة كربلاء"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.place.text() == "جامعة كربلاء"
    dialog.partners.line.setFocus()
    type_text(dialog.partners.line, "الاتصال الحكومي")
    popup = dialog.partners.line.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # picks it, and Enter adds it to the list
    assert dialog.partners.items() == workshop.partners


def test_the_list_editor_orders_and_removes(qtbot, ctx, db, workshop):
    dialog = open_form(qtbot, ctx, workshop.id)
    lecturers = dialog.lecturers
    assert lecturers.items() == workshop.lecturers
    lecturers.list.setCurrentRow(1)
    qtbot.mouseClick(lecturers.up_button, Qt.MouseButton.LeftButton)
    assert lecturers.items() == workshop.lecturers[::-1]
    type_text(lecturers.line, "د. حسن علي")  # typed but not added: still kept on save
    dialog.save_and_close()
    assert store.get(db, records.Activity, workshop.id).lecturers == [
        *workshop.lecturers[::-1], "د. حسن علي"]


def test_recovered_forms_are_gone_once_closed(qtbot, ctx, db, workshop, monkeypatch):
    from PySide6.QtWidgets import QDialog, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    drafts.save(db, f"activity:{workshop.id}", "activity", workshop.id,
                {"activity": {"title": "ورشة معدلة"}})
    monkeypatch.setattr(activity_form, "ask", lambda *args, **kwargs: True)
    monkeypatch.setattr(ActivityDialog, "exec", lambda self: 0)
    assert offer_recovered_drafts(ctx, parent) == 1
    qtbot.waitUntil(lambda: not parent.findChildren(QDialog), timeout=2000)
    # The activity is binned later and people change: nothing left over answers.
    store.delete(db, records.Activity, workshop.id)
    ctx.changed("persons")
    ctx.changed("attendance")
