"""The certificates window, used as a unit would: who is chosen, the live preview, the
style with its checks, Word and PDF files written in the background and read back, cancel,
printing through the preview's own paint path, and the unit's default style."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QPushButton, QWidget

from models import attendance, certificates, records, store
from models.certificate_style import has_activity_style, load_style
from tests.conftest import Desktop, karbala_workshop
from tests.test_exporters_rtl import needs_soffice, png, to_pdf
from tests.test_ui_activities_page import click_title
from tests.test_ui_date_edit import answer_modal, type_text
from ui.certificates.attendees import count_text
from ui.certificates.dialog import CertificatesDialog
from ui.certificates.style_editor import TAB_TEXT
from ui.export import ExportResultDialog

SHOTS = Path(os.environ.get("ITTISAL_SHOTS", "")) if os.environ.get("ITTISAL_SHOTS") else None
needs_pdfinfo = pytest.mark.skipif(shutil.which("pdfinfo") is None,
                                   reason="poppler-utils (pdfinfo) is not installed")

ZAINAB, ALI, FATIMA = "زينب علي حسين الأسدي", "علي كاظم جواد الموسوي", "فاطمة جاسم محمد"


def shot(widget: QWidget, name: str) -> None:
    """Save a screenshot when ITTISAL_SHOTS names a folder (to look at them)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))




@pytest.fixture
def workshop(db) -> records.Activity:
    """The Karbala workshop: Zainab and Ali attended, Fatima is listed but did not come."""
    activity = store.insert(db, karbala_workshop())
    for name, gender, days in ((ZAINAB, "f", None), (ALI, "m", None), (FATIMA, "f", [])):
        person = store.insert(db, records.Person(full_name=name, gender=gender))
        attendance.add(db, activity.id, person.id, days=days)
    return activity


def person_id(db, name: str) -> str:
    return store.find(db, records.Person, "full_name = ?", (name,), include_deleted=True)[0].id


@pytest.fixture
def dialog(qtbot, ctx, workshop) -> CertificatesDialog:
    window = CertificatesDialog(ctx, workshop.id)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.refresh_preview()
    return window


def issued(db) -> list[records.Certificate]:
    return store.find(db, records.Certificate)


LANDSCAPE_A4 = (842, 595)  # points, rounded


def pdf_pages(path: Path) -> tuple[int, tuple[int, int]]:
    """The page count and the (first) page's size in whole points, as pdfinfo reports."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups()
    return pages, (round(float(width)), round(float(height)))


def result_dialog(qtbot, parent: QWidget) -> ExportResultDialog:
    qtbot.waitUntil(lambda: parent.findChild(ExportResultDialog) is not None, timeout=30000)
    return parent.findChild(ExportResultDialog)


def preview_changes(qtbot, dialog: CertificatesDialog, before: QImage) -> QImage:
    """Wait for the debounced preview to show something other than ``before``."""
    qtbot.waitUntil(lambda: dialog.preview_image is not None
                    and dialog.preview_image != before, timeout=3000)
    return dialog.preview_image


# --- choosing -------------------------------------------------------------------------------

def test_the_window_is_right_to_left_and_checks_who_attended(qtbot, ctx, db, dialog):
    assert dialog.isRightToLeft()
    assert dialog.windowTitle().startswith("شهادات المشاركين — ورشة تطويرية")
    chooser = dialog.attendees
    assert [item.text(0) for item in chooser.items()] == [ZAINAB, ALI, FATIMA]
    assert chooser.checked_ids() == [person_id(db, ZAINAB), person_id(db, ALI)]
    assert [item.text(1) for item in chooser.items()] == ["٢ من ٢", "٢ من ٢", "لم يحضر"]
    assert chooser.count_label.text() == "سيُصدر شهادتين (من ٣ في القائمة)"
    assert [a.text() for a in dialog.print_menu.actions()] == [
        "طباعة شهادات المختارين (٢)…", f"طباعة شهادة المحدد فقط ({ZAINAB})…", "",
        "معاينة قبل الطباعة…"]
    # The choices sit on the leading (right) side, the preview on the other.
    assert dialog.editor.mapTo(dialog, dialog.editor.rect().center()).x() > \
        dialog.preview_label.mapTo(dialog, dialog.preview_label.rect().center()).x()
    qtbot.mouseClick(chooser.all_button, Qt.MouseButton.LeftButton)
    assert chooser.count_label.text() == "سيُصدر ٣ شهادات"
    qtbot.mouseClick(chooser.none_button, Qt.MouseButton.LeftButton)
    assert chooser.count_label.text() == "لم يُختر أحد بعد (من ٣ في القائمة)"
    assert not dialog.word_button.isEnabled() and not dialog.pdf_button.isEnabled()
    # The search narrows the list, whatever the spelling of hamza and ta marbuta.
    type_text(chooser.search, "فاطمه")
    assert [i.text(0) for i in chooser.items() if not i.isHidden()] == [FATIMA]
    shot(dialog, "certificates_dialog")


@needs_pdfinfo
def test_someone_in_the_recycle_bin_cannot_be_chosen(qtbot, ctx, db, workshop, desktop,
                                                     tmp_path):
    from models import recycle

    recycle.delete_many(db, records.Person, [person_id(db, ALI)])
    window = CertificatesDialog(ctx, workshop.id)
    qtbot.addWidget(window)
    window.show()
    chooser = window.attendees
    [ali] = [item for item in chooser.items() if item.text(0) == ALI]
    assert ali.text(1) == "في سلة المحذوفات" and not ali.flags() & Qt.ItemFlag.ItemIsEnabled
    chooser.set_all(True)
    assert person_id(db, ALI) not in chooser.checked_ids()
    desktop.answer = tmp_path / "شهادات.pdf"
    window.save_file("pdf")
    result_dialog(qtbot, window)
    assert pdf_pages(desktop.answer)[0] == 2  # Zainab and Fatima
    assert [c.person_id for c in issued(db)] == [person_id(db, ZAINAB),
                                                 person_id(db, FATIMA)]


def test_the_count_agrees_with_the_number():
    assert [count_text(n, "arabic") for n in (1, 2, 3, 10, 11, 32, 100, 103)] == [
        "سيُصدر شهادة واحدة", "سيُصدر شهادتين", "سيُصدر ٣ شهادات", "سيُصدر ١٠ شهادات",
        "سيُصدر ١١ شهادة", "سيُصدر ٣٢ شهادة", "سيُصدر ١٠٠ شهادة", "سيُصدر ١٠٣ شهادات"]
    assert count_text(32, "western") == "سيُصدر 32 شهادة"


def test_nobody_chosen_says_so_and_issues_nothing(qtbot, db, dialog, desktop, tmp_path):
    dialog.attendees.set_all(False)
    desktop.answer = tmp_path / "شهادات.pdf"
    assert dialog.save_file("pdf") is None
    assert dialog.print_certificates() is None
    assert "لم تختر أحداً" in dialog.message.text()
    assert dialog.editor.currentWidget() is dialog.attendees
    assert desktop.suggested == [] and issued(db) == [] and list(tmp_path.glob("*.pdf")) == []


# --- the preview ----------------------------------------------------------------------------

def test_the_preview_shows_the_selected_attendee_and_follows_the_design(qtbot, db, dialog):
    pixmap = dialog.preview_label.pixmap()
    assert not pixmap.isNull() and pixmap.width() > pixmap.height()  # landscape
    assert dialog.preview_caption.text() == f"معاينة شهادة: {ZAINAB}"
    first = dialog.preview_image
    assert first.width() >= 400
    dialog.attendees.set_current(person_id(db, ALI))
    second = preview_changes(qtbot, dialog, first)
    assert dialog.preview_caption.text() == f"معاينة شهادة: {ALI}"
    dialog.editor.design.setCurrentIndex(dialog.editor.design.findData("modern"))
    third = preview_changes(qtbot, dialog, second)
    assert third != first
    # Nothing was issued for a preview.
    assert issued(db) == []


def test_a_logo_is_kept_in_the_data_folder_and_shown(qtbot, db, dialog, tmp_path):
    before = dialog.preview_image
    source = png(tmp_path / "شعار.png", 300, 300)
    dialog.editor.setCurrentWidget(dialog.editor.pages[1])
    assert dialog.editor.logos[0].take(str(source))
    style = dialog.editor.style()
    [logo] = style.logos
    assert not Path(logo).is_absolute() and logo.startswith("attachments/")
    assert (db.path.parent / logo).read_bytes() == source.read_bytes()
    preview_changes(qtbot, dialog, before)
    shot(dialog, "certificates_images")


def test_a_broken_template_shows_its_message_and_blocks_every_output(qtbot, db, dialog,
                                                                     desktop, tmp_path):
    editor = dialog.editor
    editor.setCurrentWidget(editor.pages[TAB_TEXT])
    editor.body.clear()
    type_text(editor.body, "تُمنح إلى {foo} ")
    qtbot.waitUntil(lambda: editor.errors.message("body") != "", timeout=3000)
    assert editor.errors.message("body").startswith("الحقل {foo} غير معروف.")
    assert not dialog.word_button.isEnabled() and not dialog.pdf_button.isEnabled()
    shot(dialog, "certificates_broken_template")
    desktop.answer = tmp_path / "شهادات.docx"
    qtbot.mouseClick(dialog.word_button, Qt.MouseButton.LeftButton)  # disabled: nothing
    assert dialog.save_file("docx") is None  # and asked directly: refused with a message
    assert dialog.print_certificates() is None
    assert dialog.message.text() == "صحّح ما في إعداد الشهادة أولاً؛ الرسالة بجانب الحقل."
    assert desktop.suggested == [] and issued(db) == []
    assert list(tmp_path.glob("*.docx")) == []
    assert not has_activity_style(db, dialog.activity_id)  # a broken style is not kept
    # Fixed, the message goes and the outputs come back.
    editor.body.clear()
    type_text(editor.body, "تُمنح إلى {name} ")
    qtbot.waitUntil(lambda: editor.errors.message("body") == "", timeout=3000)
    assert dialog.word_button.isEnabled()


def test_the_field_menu_inserts_fields_that_are_stored_without_marks(qtbot, dialog):
    editor = dialog.editor
    editor.body.clear()
    type_text(editor.body, "شكراً ")
    editor.field_menu.actions()[0].trigger()  # {name}
    editor.gender_menu.actions()[1].trigger()  # {شارك/شاركت}
    assert editor.style().body == "شكراً {name}{شارك/شاركت}"
    assert editor.problems() == []


# --- Word and PDF ---------------------------------------------------------------------------

@needs_pdfinfo
def test_pdf_has_a_page_per_checked_attendee_and_they_are_registered(
        qtbot, ctx, db, dialog, desktop, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    desktop.answer = out / "شهادات"  # typed without an extension: .pdf is added
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    done = result_dialog(qtbot, dialog)
    written = out / "شهادات.pdf"
    assert done.path == written and sorted(p.name for p in out.iterdir()) == ["شهادات.pdf"]
    assert pdf_pages(written) == (2, LANDSCAPE_A4)
    chosen = [person_id(db, ZAINAB), person_id(db, ALI)]
    serials = [certificates.find(db, pid, dialog.activity_id).serial for pid in chosen]
    assert all(re.fullmatch(r"[A-Z]+-\d{4}-\d{4}", s) for s in serials)
    assert certificates.find(db, person_id(db, FATIMA), dialog.activity_id) is None
    # The list shows the serials now; the style became the activity's own.
    assert [dialog.attendees.serial_of(pid) for pid in chosen] == serials
    assert has_activity_style(db, dialog.activity_id)
    assert dialog.restore_button.isEnabled()
    # Offered under the activity's name, in the folder used last time.
    assert desktop.suggested[0].name.startswith("شهادات - ورشة تطويرية")
    assert desktop.suggested[0].suffix == ".pdf"
    done.close()
    desktop.answer = None
    dialog.save_file("docx")
    assert desktop.suggested[-1].parent == out and desktop.suggested[-1].suffix == ".docx"


def export_word(qtbot, dialog: CertificatesDialog, desktop: Desktop, path: Path) -> Path:
    desktop.answer = path
    qtbot.mouseClick(dialog.word_button, Qt.MouseButton.LeftButton)
    result_dialog(qtbot, dialog)
    return path


def test_word_has_a_page_per_checked_attendee(qtbot, ctx, db, dialog, desktop, tmp_path):
    dialog.attendees.set_all(True)
    written = export_word(qtbot, dialog, desktop, tmp_path / "شهادات.docx")
    with zipfile.ZipFile(written) as docx_zip:
        xml = docx_zip.read("word/document.xml").decode("utf-8")
    # Each name on its own page: a page break between one certificate and the next.
    pages = xml.split('w:type="page"')
    assert len(pages) == 3
    assert [[n for n in (ZAINAB, ALI, FATIMA) if n in page] for page in pages] == [
        [ZAINAB], [ALI], [FATIMA]]
    assert sorted(c.person_id for c in issued(db)) == sorted(
        person_id(db, n) for n in (ZAINAB, ALI, FATIMA))


@needs_soffice
@needs_pdfinfo
def test_word_renders_a_page_per_attendee_in_libreoffice(qtbot, ctx, db, dialog, desktop,
                                                        tmp_path):
    written = export_word(qtbot, dialog, desktop, tmp_path / "شهادات.docx")
    pdf = to_pdf(written, tmp_path / "lo")
    assert pdf_pages(pdf) == (2, LANDSCAPE_A4)


def test_cancel_during_export_leaves_no_file_and_no_certificate(qtbot, ctx, db, desktop,
                                                                tmp_path):
    activity = store.insert(db, karbala_workshop())
    for n in range(40):
        person = store.insert(db, records.Person(full_name=f"مشارك رقم {n} حسن علي"))
        attendance.add(db, activity.id, person.id)
    window = CertificatesDialog(ctx, activity.id)
    qtbot.addWidget(window)
    window.show()
    out = tmp_path / "out"
    out.mkdir()
    desktop.answer = out / "شهادات.pdf"
    task = window.save_file("pdf")
    with qtbot.waitSignal(task.cancelled, timeout=30000):
        task.dialog.findChild(QPushButton).click()  # the progress dialog's Cancel button
    assert list(out.iterdir()) == []
    assert issued(db) == []
    assert window.message.text() == "أُلغي الإصدار، ولم تُصدر أي شهادة."
    assert window.findChild(ExportResultDialog) is None and desktop.warnings == []


# --- printing -------------------------------------------------------------------------------

def open_preview(qtbot, dialog: CertificatesDialog, *, only_current: bool = False) -> None:
    """Choose «معاينة قبل الطباعة…» and wait for Qt's preview of the pages made for it."""
    task = dialog.print_certificates(only_current=only_current, preview=True)
    with qtbot.waitSignal(task.done, timeout=30000):
        pass
    qtbot.waitUntil(lambda: dialog.print_preview is not None, timeout=5000)


def pdf_printer(dialog: CertificatesDialog, path: Path) -> QPrinter:
    """The window's printer, printing into a PDF file (Qt's print support, no device)."""
    printer = dialog.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer

@needs_pdfinfo
def test_printing_prepares_once_and_prints_a_page_each(qtbot, db, dialog, tmp_path):
    open_preview(qtbot, dialog)
    preview = dialog.print_preview
    assert isinstance(preview, QPrintPreviewDialog)
    assert dialog.printer.pageLayout().orientation().name == "Landscape"
    assert len(dialog.pages) == 2
    shown = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: shown.pageCount() == 2, timeout=10000)
    shot(preview, "certificates_print_preview")
    # The preview paints (and may repaint) without issuing again; the same paint path
    # printing to a PDF printer gives a landscape A4 page each.
    printer = pdf_printer(dialog, tmp_path / "مطبوع.pdf")
    dialog.paint_requested(printer)
    dialog.paint_requested(printer)  # a repaint prints the same pages again
    assert pdf_pages(tmp_path / "مطبوع.pdf") == (2, LANDSCAPE_A4)
    assert issued(db) == [], "looking at the preview issues nothing"
    with qtbot.waitSignal(dialog.printed().done, timeout=10000):
        pass  # what the preview's print button ends with (the dialog accepted)
    assert sorted(c.reprints for c in issued(db)) == [0, 0]
    assert sorted(c.serial for c in issued(db)) == sorted(p.serial for p in dialog.pages)
    preview.close()


@needs_pdfinfo
def test_a_preview_accepted_without_printing_issues_nothing(qtbot, db, dialog, desktop):
    open_preview(qtbot, dialog)
    shown = dialog.print_preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: shown.pageCount() == 2, timeout=10000)
    # What Qt does when its "save as PDF" box is cancelled: it accepts all the same.
    dialog.print_preview.accept()
    assert issued(db) == []


@needs_pdfinfo
def test_printing_a_page_range_issues_only_those_pages(qtbot, db, dialog, desktop, tmp_path):
    from PySide6.QtGui import QPageRanges

    open_preview(qtbot, dialog)
    printer = pdf_printer(dialog, tmp_path / "الثانية.pdf")
    ranges = QPageRanges()
    ranges.addPage(2)
    printer.setPageRanges(ranges)
    dialog.paint_requested(printer)
    assert pdf_pages(tmp_path / "الثانية.pdf")[0] == 1
    with qtbot.waitSignal(dialog.printed().done, timeout=10000):
        pass
    assert [c.person_id for c in issued(db)] == [dialog.pages[1].person_id]
    assert desktop.warnings == []  # the sheet printed carries the serial issued
    dialog.print_preview.close()


@pytest.mark.qt_log_ignore("QPainter::begin")  # Qt's own word on the printer it could not open
def test_a_printer_that_cannot_start_gets_a_message_and_issues_nothing(qtbot, db, dialog,
                                                                        desktop, tmp_path):
    open_preview(qtbot, dialog)
    printer = pdf_printer(dialog, tmp_path / "لا يوجد" / "x.pdf")
    dialog.paint_requested(printer)
    assert desktop.warnings == ["تعذّر بدء الطباعة. تأكد من أن الطابعة متصلة ومشغّلة ثم أعد "
                                "المحاولة."]
    assert dialog.printed() is None
    assert issued(db) == []
    dialog.print_preview.close()


@needs_pdfinfo
def test_printing_only_the_selected_attendee(qtbot, db, dialog, tmp_path):
    dialog.attendees.set_current(person_id(db, FATIMA))  # listed, not checked: still hers
    open_preview(qtbot, dialog, only_current=True)
    printer = pdf_printer(dialog, tmp_path / "واحدة.pdf")
    dialog.paint_requested(printer)
    assert pdf_pages(tmp_path / "واحدة.pdf")[0] == 1
    with qtbot.waitSignal(dialog.printed().done, timeout=10000):
        pass
    assert [c.person_id for c in issued(db)] == [person_id(db, FATIMA)]
    dialog.print_preview.close()


# --- the style's home -----------------------------------------------------------------------

def test_the_unit_default_is_what_another_activity_opens_with(qtbot, ctx, db, dialog):
    editor = dialog.editor
    editor.design.setCurrentIndex(editor.design.findData("modern"))
    editor.title_box.setCurrentText("شهادة تقدير")
    editor.signers[0][0].setText("د. علي حسين كاظم")
    editor.signers[0][1].setText("مدير الوحدة")
    qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "حُفظ الإعداد افتراضياً للوحدة."
    other = store.insert(db, karbala_workshop())
    second = CertificatesDialog(ctx, other.id)
    qtbot.addWidget(second)
    style = second.editor.style()
    assert (style.design, style.title) == ("modern", "شهادة تقدير")
    assert [(s.name, s.title) for s in style.signatories] == [("د. علي حسين كاظم",
                                                               "مدير الوحدة")]
    assert second.style_state.text() == "يستخدم هذا النشاط إعداد الوحدة الافتراضي."
    assert not second.restore_button.isEnabled()
    second.editor.setCurrentIndex(3)
    shot(second, "certificates_signers")


def test_restoring_the_unit_style_drops_the_activity_own(qtbot, ctx, db, dialog):
    from models.certificate_style import CertificateStyle, save_style

    save_style(db, CertificateStyle(design="minimal", title="شهادة حضور"), dialog.activity_id)
    window = CertificatesDialog(ctx, dialog.activity_id)
    qtbot.addWidget(window)
    assert window.editor.style().design == "minimal"
    assert window.style_state.text() == "لهذا النشاط إعداد شهادات خاص به."
    qtbot.mouseClick(window.restore_button, Qt.MouseButton.LeftButton)
    assert not has_activity_style(db, dialog.activity_id)
    assert window.editor.style().design == load_style(db).design == "formal"
    assert not window.restore_button.isEnabled()


# --- from the activities page ---------------------------------------------------------------

def test_the_activities_page_opens_the_window_for_the_selected_activity(qtbot, ctx, workshop):
    from ui.pages.activities import ActivitiesPage

    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    action = page.export_menu.findChild(type(page.export_menu.actions()[0]),
                                        "export_certificates")
    assert action is not None and action.text() == "شهادات المشاركين…"
    assert not action.isEnabled()  # nothing selected yet
    click_title(qtbot, page, workshop.title)
    assert action.isEnabled()
    seen = answer_modal(lambda window: window.reject(), CertificatesDialog)
    action.trigger()
    assert len(seen) == 1 and seen[0].activity_id == workshop.id
