"""The pieces of the coordinator's everyday path (issue 11), each on its own: Ctrl+N on
every page, the activity form opening in its title, attendees added to an activity not yet
saved (saving it, with its checks), an Excel list dropped on the form, certificates
offered by the form and the list, and the new activity selected once the form closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog

from models import attendance, records, store
from models.arabic import FSI, PDI
from tests.conftest import karbala_workshop
from tests.test_importer import ATTENDEES, HEADER, write_xlsx
from tests.test_ui_activity_form import open_form
from tests.test_ui_date_edit import answer_modal, show_active, type_text
from ui.certificates.dialog import CertificatesDialog
from ui.forms import form_base
from ui.forms.activity_form import TAB_MAIN, TAB_PEOPLE, ActivityDialog
from ui.forms.import_dialog import ImportDialog
from ui.forms.person_form import PersonDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def discard_when_closed(monkeypatch):
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")


@pytest.fixture
def window(qtbot, ctx, tmp_path) -> MainWindow:
    main = MainWindow(ctx, settings=QSettings(str(tmp_path / "w.ini"),
                                              QSettings.Format.IniFormat))
    show_active(qtbot, main)
    return main


@pytest.mark.parametrize(("page", "form"), [
    ("dashboard", ActivityDialog), ("activities", ActivityDialog),
    ("persons", PersonDialog), ("certificates", ActivityDialog),
    ("settings", ActivityDialog)])
def test_ctrl_n_works_on_every_page(qtbot, window, page, form):
    window.show_page(page)
    opened = answer_modal(lambda dialog: dialog.reject(), QDialog)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert type(opened[0]) is form
    # A new person is made where persons are listed; an activity everywhere else, on the
    # activities page (where it shows once saved).
    assert window.current_page().key == ("persons" if form is PersonDialog else "activities")


def test_the_form_opens_with_the_cursor_in_the_title(qtbot, ctx):
    dialog = open_form(qtbot, ctx)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert QApplication.focusWidget() is dialog.title
    type_text(QApplication.focusWidget(), "ورشة")
    assert dialog.title.text() == "ورشة"


def drop_file(widget, path) -> QDropEvent:
    """What a file manager's drag of ``path`` onto ``widget`` delivers: enter, then drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = widget.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(QPoint(centre)), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    assert drop.isAccepted()
    return drop


def test_a_list_dropped_on_a_new_form_saves_it_and_imports(qtbot, ctx, db, tmp_path):
    sheet = write_xlsx(tmp_path / "مشاركو الورشة.xlsx", [HEADER, *(list(r) for r in ATTENDEES)])
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, karbala_workshop().title)

    def confirm(importer: ImportDialog) -> None:
        qtbot.waitUntil(lambda: importer.plan is not None, timeout=10000)
        with qtbot.waitSignal(importer.accepted, timeout=20000):
            qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)

    imported = answer_modal(confirm, ImportDialog)
    drop_file(dialog.place, sheet)  # on a line edit, which would otherwise take it as text
    qtbot.waitUntil(lambda: bool(imported) and not imported[0].isVisible(), timeout=20000)
    [saved] = store.find(db, records.Activity)
    assert dialog.activity_id == saved.id and dialog.place.text() == ""
    assert dialog.tabs.currentIndex() == TAB_PEOPLE
    assert attendance.count(db, saved.id) == len(ATTENDEES) == dialog.attendees.count()
    line = dialog.attendees.message.text().replace(FSI, "").replace(PDI, "")
    assert line == ("استُورد «مشاركو الورشة.xlsx»: أُضيف مشاركون جدد: ٧، "
                    "طوبقوا مع مشاركين موجودين: ٠، تُجووزوا: ٠")
    assert not dialog.is_dirty()


def test_a_list_dropped_on_a_form_without_a_title_imports_nothing(qtbot, ctx, db, tmp_path):
    sheet = write_xlsx(tmp_path / "قائمة.xlsx", [HEADER, *(list(r) for r in ATTENDEES)])
    dialog = open_form(qtbot, ctx)
    dialog.tabs.setCurrentIndex(TAB_PEOPLE)
    drop_file(dialog.attendees.table.viewport(), sheet)
    qtbot.waitUntil(lambda: dialog.tabs.currentIndex() == TAB_MAIN, timeout=5000)
    # The form's own check: said next to the title, and nothing stored.
    assert dialog.errors.message("title") == \
        "الحقل «عنوان النشاط» مطلوب ولا يمكن أن يكون فارغاً."
    assert store.count(db, records.Activity) == 0 and store.count(db, records.Person) == 0


def test_other_drops_are_left_to_the_field(qtbot, ctx, tmp_path):
    dialog = open_form(qtbot, ctx)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "صورة.png"))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(dialog.title, enter)
    assert not enter.isAccepted()


def test_the_form_offers_the_certificates_saving_first(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, karbala_workshop().title)
    seen = answer_modal(lambda window: window.reject(), CertificatesDialog)
    qtbot.mouseClick(dialog.certificates_button, Qt.MouseButton.LeftButton)
    [saved] = store.find(db, records.Activity)
    assert len(seen) == 1 and seen[0].activity_id == saved.id
    assert dialog.certificates_button.text() == "شهادات المشاركين…"


def test_a_new_activity_is_selected_in_the_list_once_its_form_closes(qtbot, window, db):
    store.insert(db, records.Activity(kind="meeting", title="الاجتماع الدوري لشبكة الاتصال",
                                      start_date="2026-10-05"))
    page = window.show_page("activities")
    page.refresh()

    def fill(form: ActivityDialog) -> None:
        type_text(form.title, "ورشة عن الرصد الإعلامي")
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    forms = answer_modal(fill, ActivityDialog)
    qtbot.mouseClick(page.toolbar.widgetForAction(page.new_action), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(forms), timeout=5000)
    [new] = store.find(db, records.Activity, "title = ?", ("ورشة عن الرصد الإعلامي",))
    assert page.selected_ids() == [new.id]
    assert page.certificates_action.isEnabled()
    seen = answer_modal(lambda certs: certs.reject(), CertificatesDialog)
    qtbot.mouseClick(page.toolbar.widgetForAction(page.certificates_action),
                     Qt.MouseButton.LeftButton)
    assert len(seen) == 1 and seen[0].activity_id == new.id


# --- the review of the path: cancelling saves nothing, a busy database loses nothing ------

@pytest.fixture
def file_dialog(monkeypatch, tmp_path):
    """The open dialogs answered with ``answer["path"]`` ("" is Cancel); the folders they
    remember kept in the test's own ini file. ``answer["opened"]`` counts them."""
    from PySide6.QtWidgets import QFileDialog

    from ui.widgets import open_dialogs

    monkeypatch.setattr(open_dialogs, "_settings", lambda: QSettings(
        str(tmp_path / "folders.ini"), QSettings.Format.IniFormat))
    answer = {"path": "", "opened": 0}

    def get_one(*_args):
        answer["opened"] += 1
        return answer["path"], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(get_one))
    return answer


def test_a_cancelled_file_dialog_leaves_the_new_activity_unsaved(qtbot, ctx, db, file_dialog):
    dialog = open_form(qtbot, ctx)
    dialog.tabs.setCurrentIndex(TAB_PEOPLE)
    qtbot.mouseClick(dialog.attendees.import_button, Qt.MouseButton.LeftButton)
    # Without a title the dialog does not even open: the title is asked for first.
    assert file_dialog["opened"] == 0 and dialog.tabs.currentIndex() == TAB_MAIN
    assert dialog.errors.message("title")
    type_text(dialog.title, karbala_workshop().title)
    dialog.tabs.setCurrentIndex(TAB_PEOPLE)
    qtbot.mouseClick(dialog.attendees.import_button, Qt.MouseButton.LeftButton)
    assert file_dialog["opened"] == 1
    assert store.count(db, records.Activity) == 0 and dialog.activity_id is None
    assert dialog.cancel_button.text() == "إلغاء"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert store.count(db, records.Activity) == 0


def test_a_cancelled_person_form_leaves_the_new_activity_unsaved(qtbot, ctx, db):
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, karbala_workshop().title)
    dialog.tabs.setCurrentIndex(TAB_PEOPLE)
    seen = answer_modal(lambda person: person.reject(), PersonDialog)
    qtbot.mouseClick(dialog.attendees.new_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert store.count(db, records.Activity) == 0 and dialog.activity_id is None


def test_once_the_first_attendee_saved_it_the_form_says_so_and_closes(qtbot, ctx, db):
    person = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي"))
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, karbala_workshop().title)
    assert dialog.attendees.add_person(person.id)
    [saved] = store.find(db, records.Activity)
    assert dialog.activity_id == saved.id
    # The button no longer promises to cancel what is stored.
    assert dialog.cancel_button.text() == "إغلاق"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert attendance.count(db, saved.id) == 1


def test_a_list_dropped_while_the_database_is_busy_is_imported_once_saved(
        qtbot, ctx, db, db_path, tmp_path):
    import sqlite3

    sheet = write_xlsx(tmp_path / "قائمة.xlsx", [HEADER, *(list(r) for r in ATTENDEES)])
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, karbala_workshop().title)
    other = sqlite3.connect(db_path, timeout=0)  # another program, writing
    other.execute("BEGIN IMMEDIATE")
    try:
        drop_file(dialog.summary.viewport(), sheet)
        qtbot.waitUntil(dialog.busy_label.isVisible, timeout=5000)
        assert store.count(db, records.Activity) == 0
    finally:
        other.rollback()
        other.close()

    def confirm(importer: ImportDialog) -> None:
        qtbot.waitUntil(lambda: importer.plan is not None, timeout=10000)
        with qtbot.waitSignal(importer.accepted, timeout=20000):
            qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)

    imported = answer_modal(confirm, ImportDialog, tries=400)
    qtbot.waitUntil(lambda: bool(imported) and not imported[0].isVisible(), timeout=20000)
    [saved] = store.find(db, records.Activity)
    assert attendance.count(db, saved.id) == len(ATTENDEES) == dialog.attendees.count()
    assert not dialog.busy_label.isVisible()


def test_an_imports_details_go_with_the_next_change(qtbot, ctx, db, tmp_path):
    rows = [HEADER, *(list(r) for r in ATTENDEES), ["8", "", "مصور", "مديرية ماء كربلاء"]]
    sheet = write_xlsx(tmp_path / "قائمة.xlsx", rows)
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, karbala_workshop().title)

    def confirm(importer: ImportDialog) -> None:
        qtbot.waitUntil(lambda: importer.plan is not None, timeout=10000)
        with qtbot.waitSignal(importer.accepted, timeout=20000):
            qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)

    answer_modal(confirm, ImportDialog)
    dialog.import_attendees(str(sheet))
    qtbot.waitUntil(lambda: dialog.attendees.count() == len(ATTENDEES), timeout=20000)
    details = dialog.attendees.details
    assert details.isVisibleTo(dialog) and "الصف" in details.text()
    person = store.insert(db, records.Person(full_name="كرار حسن علي الياسري"))
    assert dialog.attendees.add_person(person.id)
    assert dialog.attendees.message.text() == "أُضيف «كرار حسن علي الياسري»."
    assert not details.isVisibleTo(dialog) and details.toolTip() == ""


def test_two_files_dropped_import_nothing_and_say_why(qtbot, ctx, db, tmp_path):
    first = write_xlsx(tmp_path / "اليوم الأول.xlsx", [HEADER, *(list(r) for r in ATTENDEES)])
    second = write_xlsx(tmp_path / "اليوم الثاني.xlsx", [HEADER, *(list(r) for r in ATTENDEES)])
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, karbala_workshop().title)
    opened = answer_modal(lambda importer: importer.reject(), ImportDialog, tries=20)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(first)), QUrl.fromLocalFile(str(second))])
    target = dialog.photos.list  # the photos tab would otherwise refuse them silently
    centre = target.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(QPoint(centre)), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    qtbot.waitUntil(lambda: dialog.tabs.currentIndex() == TAB_PEOPLE, timeout=5000)
    assert dialog.attendees.message.text() == \
        "اسحب ملف قائمة واحداً في كل مرة (Excel أو CSV)؛ لم يُستورد شيء."
    qtbot.wait(600)  # long enough for an import dialog to have shown
    assert opened == [] and store.count(db, records.Activity) == 0


def test_the_details_of_many_problem_rows_stay_short(qtbot, ctx, db, tmp_path):
    bad = [[str(n), "", "مصور", "مديرية ماء كربلاء"] for n in range(60)]
    sheet = write_xlsx(tmp_path / "قائمة.xlsx", [HEADER, *(list(r) for r in ATTENDEES), *bad])
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, karbala_workshop().title)

    def confirm(importer: ImportDialog) -> None:
        qtbot.waitUntil(lambda: importer.plan is not None, timeout=10000)
        with qtbot.waitSignal(importer.accepted, timeout=20000):
            qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)

    answer_modal(confirm, ImportDialog)
    dialog.import_attendees(str(sheet))
    qtbot.waitUntil(lambda: dialog.attendees.count() == len(ATTENDEES), timeout=20000)
    shown = dialog.attendees.details.text().split("\n")
    tip = dialog.attendees.details.toolTip().split("\n")
    assert len(shown) == 7 and shown[-1] == "… و٥٥ غيرها"
    # The tooltip lists more, but no list of thousands of rows: at most 40 and the rest.
    assert len(tip) == 41 and tip[-1] == "… و٢١ غيرها"


def test_a_new_activity_hidden_by_an_old_search_is_shown_and_selected(qtbot, window, db):
    store.insert(db, records.Activity(kind="meeting", title="الاجتماع الدوري لشبكة الاتصال",
                                      start_date="2026-10-05"))
    page = window.show_page("activities")
    page.apply_filters({"query": "الاجتماع", "kind": "meeting"})  # left from yesterday
    assert page.model.rowCount() == 1
    window.show_page("dashboard")

    def fill(form: ActivityDialog) -> None:
        type_text(form.title, "ورشة عن الرصد الإعلامي")
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    forms = answer_modal(fill, ActivityDialog)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(forms), timeout=5000)
    [new] = store.find(db, records.Activity, "title = ?", ("ورشة عن الرصد الإعلامي",))
    assert window.current_page() is page and page.selected_ids() == [new.id]
    assert page.search_box.text() == "" and page.kind_combo.currentData() is None
