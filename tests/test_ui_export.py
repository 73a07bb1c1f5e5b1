"""Exporting from the app: real documents written in the background, the result dialog,
the remembered folder, cancel and errors that leave no file, and the news text editor."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton, QWidget

from models import attendance, records, store
from tests.conftest import karbala_workshop
from tests.privileges import can_act_as_user, without_root_powers
from tests.test_ui_date_edit import type_text
from ui import export
from ui.export import ExportResultDialog, PeriodDialog, export_document, period_range
from ui.forms.news_editor import NewsEditorDialog

SHOTS = Path(os.environ.get("ITTISAL_SHOTS", "")) if os.environ.get("ITTISAL_SHOTS") else None


def shot(widget: QWidget, name: str) -> None:
    """Save a screenshot when ITTISAL_SHOTS names a folder (to look at them)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def workshop_with_list(db):
    workshop = store.insert(db, karbala_workshop())
    for name in ("زينب علي حسين الأسدي", "علي كاظم جواد"):
        attendance.add(db, workshop.id, store.insert(db, records.Person(full_name=name)).id)
    return workshop


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def result_dialog(qtbot, parent: QWidget) -> ExportResultDialog:
    qtbot.waitUntil(lambda: parent.findChild(ExportResultDialog) is not None, timeout=20000)
    return parent.findChild(ExportResultDialog)


def test_news_report_is_written_and_offered_to_open(qtbot, ctx, parent, desktop, tmp_path,
                                                    workshop_with_list):
    out = tmp_path / "out"
    out.mkdir()
    desktop.answer = out / "خبر.docx"
    task = export_document(parent, ctx, "news", activity_id=workshop_with_list.id)
    assert task is not None
    dialog = result_dialog(qtbot, parent)
    assert workshop_with_list.title in docx_text(desktop.answer)
    assert sorted(p.name for p in out.iterdir()) == ["خبر.docx"]  # no temporary file left
    # The name offered: Arabic, the title and the date, in the documents folder at first.
    suggested = desktop.suggested[0]
    assert suggested.name.startswith("تقرير خبري - ورشة تطويرية")
    assert suggested.name.endswith(" - ٢٢ تشرين الثاني ٢٠٢٦.docx")
    # The result: open, open folder, close; right to left.
    assert dialog.isRightToLeft()
    assert [dialog.open_button.text(), dialog.folder_button.text(),
            dialog.close_button.text()] == ["فتح", "فتح المجلد", "إغلاق"]
    assert "«\u2068خبر.docx\u2069»" in dialog.message.text()
    shot(dialog, "export_result")
    dialog.open_button.click()
    assert desktop.opened == [str(desktop.answer)]
    assert not dialog.isVisible()


def test_attendance_sheet_and_the_folder_is_remembered(qtbot, ctx, parent, desktop, tmp_path,
                                                       workshop_with_list):
    out = tmp_path / "sheets"
    out.mkdir()
    desktop.answer = out / "كشف"  # no extension typed: .docx is added
    export_document(parent, ctx, "attendance", activity_id=workshop_with_list.id)
    dialog = result_dialog(qtbot, parent)
    written = out / "كشف.docx"
    text = docx_text(written)
    assert workshop_with_list.title in text and "زينب علي حسين الأسدي" in text
    dialog.folder_button.click()
    assert desktop.opened == [str(out)]
    # Next time the save dialog starts in that folder, with the sheet's Arabic name.
    desktop.answer = None
    assert export_document(parent, ctx, "attendance", activity_id=workshop_with_list.id) is None
    assert desktop.suggested[-1].parent == out
    assert desktop.suggested[-1].name.startswith("كشف الحضور - ورشة تطويرية")


def test_cancel_during_a_periodic_export_leaves_no_file(qtbot, ctx, parent, desktop, tmp_path,
                                                        db):
    for i in range(30):
        store.insert(db, records.Activity(kind="seminar", title=f"ندوة رقم {i}",
                                          start_date="2026-11-05", place="كربلاء",
                                          status="approved"))
    out = tmp_path / "periodic"
    out.mkdir()
    desktop.answer = out / "دوري.docx"
    task = export_document(parent, ctx, "periodic", date_from="2026-11-01",
                           date_to="2026-11-30")
    assert desktop.suggested[0].name == "التقرير الشهري - تشرين الثاني ٢٠٢٦.docx"
    with qtbot.waitSignal(task.cancelled, timeout=20000):
        task.dialog.findChild(QPushButton).click()  # the progress dialog's Cancel button
    qtbot.wait(50)
    assert list(out.iterdir()) == []
    assert parent.findChild(ExportResultDialog) is None
    assert desktop.warnings == []


def test_periodic_report_is_written(qtbot, ctx, parent, desktop, tmp_path, workshop_with_list):
    desktop.answer = tmp_path / "دوري.docx"
    export_document(parent, ctx, "periodic", date_from="2026-10-01", date_to="2026-12-31")
    result_dialog(qtbot, parent)
    assert workshop_with_list.title in docx_text(desktop.answer)
    assert desktop.suggested[0].name == "التقرير الفصلي - الربع الرابع ٢٠٢٦.docx"


def test_a_folder_that_is_not_there_gets_an_arabic_message_and_no_file(
        qtbot, ctx, parent, desktop, tmp_path, workshop_with_list):
    blocker = tmp_path / "ملف"
    blocker.write_text("not a folder")
    desktop.answer = blocker / "خبر.docx"
    task = export_document(parent, ctx, "news", activity_id=workshop_with_list.id)
    with qtbot.waitSignal(task.failed, timeout=20000):
        pass
    assert len(desktop.warnings) == 1
    assert "تعذّر حفظ الملف «\u2068خبر.docx\u2069»" in desktop.warnings[0]
    assert blocker.read_text() == "not a folder"
    assert not any(".docx" in p.name for p in tmp_path.rglob("*"))
    assert not (tmp_path / "settings.ini").exists()  # a failed folder is not remembered


def test_a_file_open_in_word_is_kept_and_named(qtbot, ctx, parent, desktop, tmp_path,
                                               workshop_with_list, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "كشف الحضور.docx"
    target.write_bytes(b"the old sheet")
    import exporters.attendance_sheet as sheet

    def locked(_src, _dst):  # what Windows says when Word holds the file
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(sheet.os, "replace", locked)
    desktop.answer = target
    task = export_document(parent, ctx, "attendance", activity_id=workshop_with_list.id)
    with qtbot.waitSignal(task.failed, timeout=20000):
        pass
    assert desktop.warnings and "«\u2068كشف الحضور.docx\u2069»" in desktop.warnings[0]
    assert "مفتوح في برنامج آخر" in desktop.warnings[0]
    assert target.read_bytes() == b"the old sheet"
    assert [p.name for p in out.iterdir()] == ["كشف الحضور.docx"]


@pytest.mark.skipif(not can_act_as_user(), reason="permission bits as root: Linux only")
def test_an_unwritable_folder_gets_an_arabic_message(qtbot, ctx, parent, desktop, tmp_path,
                                                     workshop_with_list):
    from PySide6.QtCore import QThreadPool

    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o500)
    pool = QThreadPool.globalInstance()
    try:
        desktop.answer = out / "خبر.docx"
        # Root obeys the bits too: in this thread, and in the export's worker thread,
        # made afresh from it (waitForDone removes the pool's idle threads).
        pool.waitForDone()
        with without_root_powers():
            task = export_document(parent, ctx, "news", activity_id=workshop_with_list.id)
            with qtbot.waitSignal(task.failed, timeout=20000):
                pass
            pool.waitForDone()  # that worker thread goes with its reduced powers
        assert "لا تملك صلاحية الكتابة" in desktop.warnings[0]
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o700)


def test_illegal_characters_leave_the_file_name():
    assert export.safe_file_name('ورشة: "الاتصال" / الحكومي؟ <١>*|') == \
        "ورشة- -الاتصال- - الحكومي؟ -١---"
    assert export.safe_file_name("CON") == "_CON"
    assert export.safe_file_name(" . ") == "_"


def test_periods():
    today = dt.date(2026, 11, 17)
    assert period_range("this_month", today) == ("2026-11-01", "2026-11-30")
    assert period_range("last_month", today) == ("2026-10-01", "2026-10-31")
    assert period_range("two_months", today) == ("2026-10-01", "2026-11-30")
    assert period_range("this_quarter", today) == ("2026-10-01", "2026-12-31")
    assert period_range("last_quarter", today) == ("2026-07-01", "2026-09-30")
    assert period_range("this_year", today) == ("2026-01-01", "2026-12-31")
    assert period_range("last_year", dt.date(2026, 1, 3)) == ("2025-01-01", "2025-12-31")
    assert period_range("last_month", dt.date(2026, 1, 3)) == ("2025-12-01", "2025-12-31")


def test_period_dialog(qtbot, ctx, parent):
    dialog = PeriodDialog(ctx, parent, today=dt.date(2026, 11, 17))
    qtbot.addWidget(dialog)
    assert dialog.isRightToLeft()
    assert dialog.choice.currentData() == "this_month"
    assert dialog.period() == ("2026-11-01", "2026-11-30")
    assert dialog.label.text() == "التقرير الشهري — تشرين الثاني ٢٠٢٦"
    assert not dialog.date_from.isEnabled()
    dialog.set_period("this_quarter")
    assert dialog.label.text() == "التقرير الفصلي — الربع الرابع ٢٠٢٦"
    dialog.set_period("custom")
    assert dialog.date_from.isEnabled()
    dialog.date_from.setValue("2026-11-10")
    dialog.date_to.setValue("2026-11-05")
    assert dialog.period() is None and not dialog.export_button.isEnabled()
    dialog.date_to.setValue("2026-11-20")
    assert dialog.period() == ("2026-11-10", "2026-11-20")
    assert dialog.export_button.isEnabled()
    dialog.show()
    shot(dialog, "period_dialog")


def test_news_editor_keeps_the_edited_text_and_exports_it(qtbot, ctx, parent, desktop,
                                                          tmp_path, workshop_with_list, db):
    dialog = NewsEditorDialog(ctx, workshop_with_list.id, parent)
    qtbot.addWidget(dialog)
    assert dialog.isRightToLeft()
    assert [b.text() for b in (dialog.save_button, dialog.redraft_button,
                               dialog.export_button)] == ["حفظ", "إعادة الصياغة", "تصدير"]
    drafted = dialog.text()
    assert drafted.startswith(workshop_with_list.title)
    assert "٢٢" in drafted  # the unit's digits
    dialog.show()
    shot(dialog, "news_editor")
    # Type a sentence at the end of the lead (the second block).
    cursor = dialog.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
    cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
    cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    dialog.editor.setTextCursor(cursor)
    dialog.editor.setFocus()
    sentence = "وأشاد الحاضرون بالتنظيم."
    type_text(dialog.editor, " " + sentence)
    assert sentence in dialog.text()
    assert dialog.is_dirty()
    dialog.save_button.click()
    stored = store.get(db, records.Activity, workshop_with_list.id)
    assert sentence in stored.news_text
    assert not dialog.is_dirty()
    # Reopened, the editor shows the kept text.
    again = NewsEditorDialog(ctx, workshop_with_list.id, parent)
    qtbot.addWidget(again)
    assert sentence in again.text()
    # Export: saved, then written; the report holds the edited sentence.
    desktop.answer = tmp_path / "خبر.docx"
    task = again.export()
    assert task is not None
    result_dialog(qtbot, parent)
    assert sentence in docx_text(desktop.answer)


def test_news_editor_redrafts_and_an_unedited_draft_is_not_kept(qtbot, ctx, parent, db,
                                                                workshop_with_list,
                                                                monkeypatch):
    import ui.forms.news_editor as editor_module

    asked = []
    monkeypatch.setattr(editor_module, "ask", lambda *a, **k: asked.append(a) or True)
    dialog = NewsEditorDialog(ctx, workshop_with_list.id, parent)
    qtbot.addWidget(dialog)
    drafted = dialog.text()
    dialog.editor.setPlainText("نص آخر تماماً")
    dialog.redraft_button.click()
    assert asked and dialog.text() == drafted
    dialog.save_button.click()
    assert store.get(db, records.Activity, workshop_with_list.id).news_text == ""


def test_activities_page_export_menu(qtbot, ctx, desktop, tmp_path, workshop_with_list):
    from ui.pages.activities import ActivitiesPage

    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    assert page.export_action.text() == "تصدير"
    menu = page.export_menu
    assert menu.isRightToLeft()
    from exporters import registry

    entries = [a.text() for a in menu.actions() if a.text()]
    assert entries[:5] == [
        "تقرير خبري…", "كشف الحضور", "شهادات المشاركين…", "تقرير دوري…", "كتاب رسمي…"]
    # Later kinds too, but not a plan's documents (asked for from a plan, not from here).
    assert entries == [kind.menu for kind in registry.general_menu_kinds()]
    assert "مخطط الشبكة" not in entries  # asked for from the plans page at a centre
    assert not any(a.isEnabled() for a in page.activity_exports)  # nothing selected
    index = page.model.index(0, 1)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.table.visualRect(index).center())
    assert page.selected_ids() == [workshop_with_list.id]
    assert all(a.isEnabled() for a in page.activity_exports)
    menu.popup(page.mapToGlobal(page.rect().center()))
    qtbot.waitUntil(menu.isVisible)
    shot(menu, "export_menu")
    menu.hide()
    desktop.answer = tmp_path / "كشف.docx"
    page.activity_exports[1].trigger()
    result_dialog(qtbot, page)
    assert workshop_with_list.title in docx_text(desktop.answer)


def test_activity_form_export_button(qtbot, ctx, workshop_with_list):
    from ui.forms.activity_form import ActivityDialog

    form = ActivityDialog(ctx, workshop_with_list.id)
    qtbot.addWidget(form)
    assert form.export_button.text() == "تصدير" and form.export_button.isEnabled()
    assert form.export_button.menu().isRightToLeft()
    assert [a.text() for a in form.export_button.menu().actions()] == [
        "تقرير خبري…", "كشف الحضور"]
    new = ActivityDialog(ctx)
    qtbot.addWidget(new)
    assert not new.export_button.isEnabled()
