"""The official letter from the app (issue 4): offered after a report is written and from the
activities page's export menu, written next to the report, numbered and recorded in the
outbox; and the dashboard's "تصدير تقرير الشهر"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from models import letters, records, store
from tests.conftest import karbala_workshop
from tests.test_ui_date_edit import type_text
from ui import export
from ui.export import ExportResultDialog, LetterDialog, export_document


@pytest.fixture
def desktop(desktop):
    """The save dialog takes the name it offers unless a test gives another."""
    desktop.default_to_suggested = True
    return desktop


@pytest.fixture
def workshop(db):
    return store.insert(db, karbala_workshop())


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        for table in section.header.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
    # a date's no-break spaces (models.wording) read as spaces here
    return "\n".join(parts).replace("\u00a0", " ")


def report_result(qtbot, parent: QWidget) -> ExportResultDialog:
    def found():
        return [d for d in parent.findChildren(ExportResultDialog)
                if d.number_label is None and d.isVisible()]
    qtbot.waitUntil(lambda: bool(found()), timeout=20000)
    return found()[0]


def letter_result(qtbot, parent: QWidget) -> ExportResultDialog:
    def found():
        return [d for d in parent.findChildren(ExportResultDialog)
                if d.number_label is not None]
    qtbot.waitUntil(lambda: bool(found()), timeout=20000)
    return found()[0]


def letter_dialog(qtbot, parent: QWidget) -> LetterDialog:
    qtbot.waitUntil(lambda: parent.findChild(LetterDialog) is not None, timeout=5000)
    return parent.findChild(LetterDialog)


def test_after_a_news_report_the_letter_is_offered_written_and_recorded(
        qtbot, ctx, parent, desktop, tmp_path, workshop, db):
    out = tmp_path / "reports"
    out.mkdir()
    desktop.answer = out / "خبر.docx"
    export_document(parent, ctx, "news", activity_id=workshop.id)
    report = report_result(qtbot, parent)
    assert report.letter_button is not None
    assert report.letter_button.text() == "كتاب رسمي يرافقه…"
    report.letter_button.click()

    dialog = letter_dialog(qtbot, parent)
    assert dialog.isRightToLeft() and dialog.isVisible()
    assert dialog.addressee.text() == "مركز المعلومات الموحد"
    title = " ".join(workshop.title.split())
    assert dialog.subject.text() == f"م/ التقرير الخبري عن {title}"
    assert dialog.body.toPlainText() == ""
    # listed by what it is, not by its file name
    described = f"التقرير الخبري عن «{title}»"
    assert dialog.enclosure.text() == described

    desktop.answer = None  # accept the name offered, next to the report
    dialog.write_button.click()
    result = letter_result(qtbot, parent)
    offered = desktop.suggested[-1]
    assert offered.parent == out
    assert offered.name.startswith("كتاب رسمي - التقرير الخبري عن ")
    assert offered.name.endswith(".docx")
    assert offered.is_file()
    assert sorted(p.name for p in out.iterdir()) == sorted(["خبر.docx", offered.name])

    sent = letters.outbox(db)
    assert len(sent) == 1
    letter = sent[0]
    assert letter.sha256 == letters.fingerprint(offered)
    assert letter.file_name == offered.name
    assert letter.subject == f"التقرير الخبري عن {title}"
    assert letter.addressee == "مركز المعلومات الموحد"
    assert letter.enclosures == [described]
    assert result.isRightToLeft()
    assert result.number_label.text() == "رقم الكتاب: ١"
    assert result.letter_button is None  # a letter does not offer a letter
    text = docx_text(offered)
    assert f"م/ التقرير الخبري عن {title}" in text and f"١. {described}" in text
    assert "خبر.docx" not in text
    assert desktop.warnings == []
    # Where it was written is remembered, for the outbox to open it later.
    assert export.place_of(letter.sha256) == offered


def test_a_periodic_report_letter_takes_the_years_number_and_the_typed_body(
        qtbot, ctx, parent, desktop, tmp_path, workshop, db):
    letters.set_start(db, dt.date.today().year, 12)
    desktop.answer = tmp_path / "دوري.docx"
    export_document(parent, ctx, "periodic", date_from="2026-11-01", date_to="2026-11-30")
    report_result(qtbot, parent).letter_button.click()
    dialog = letter_dialog(qtbot, parent)
    assert dialog.subject.text() == "م/ التقرير الدوري لشهر تشرين الثاني ٢٠٢٦"
    dialog.addressee.clear()
    dialog.addressee.setFocus()
    type_text(dialog.addressee, "دائرة الإعلام")
    dialog.body.setFocus()
    type_text(dialog.body, "نرفق لكم التقرير الدوري لوحدتنا.")
    desktop.answer = None
    dialog.write_button.click()
    result = letter_result(qtbot, parent)
    assert result.number_label.text() == "رقم الكتاب: ١٢"
    written = desktop.suggested[-1]
    assert written == tmp_path / "كتاب رسمي - التقرير الدوري لشهر تشرين الثاني ٢٠٢٦.docx"
    (letter,) = letters.outbox(db)
    assert (letter.number, letter.addressee) == (12, "دائرة الإعلام")
    assert letter.body == "نرفق لكم التقرير الدوري لوحدتنا."
    assert letter.sha256 == letters.fingerprint(written)
    assert "نرفق لكم التقرير الدوري لوحدتنا." in docx_text(written)
    # the month's report, as the app that made it describes it
    assert letter.enclosures == ["التقرير الشهري لشهر تشرين الثاني ٢٠٢٦"]
    assert "١. التقرير الشهري لشهر تشرين الثاني ٢٠٢٦" in docx_text(written)


def test_the_editor_can_reword_the_enclosure(qtbot, ctx, parent, desktop, tmp_path, workshop,
                                            db):
    desktop.answer = tmp_path / "خبر.docx"
    export_document(parent, ctx, "news", activity_id=workshop.id)
    report_result(qtbot, parent).letter_button.click()
    dialog = letter_dialog(qtbot, parent)
    dialog.enclosure.clear()
    dialog.enclosure.setFocus()
    type_text(dialog.enclosure, "تقرير خبري مع ٣ صور")
    desktop.answer = None
    dialog.write_button.click()
    letter_result(qtbot, parent)
    (letter,) = letters.outbox(db)
    assert letter.enclosures == ["تقرير خبري مع ٣ صور"]


def test_a_letter_needs_a_subject(qtbot, ctx, parent, tmp_path):
    dialog = LetterDialog(ctx, tmp_path / "تقرير.docx", "م/ تقرير", parent)
    qtbot.addWidget(dialog)
    assert dialog.write_button.isEnabled()
    dialog.subject.setText("م/ ")
    assert not dialog.write_button.isEnabled()


def test_the_activities_menu_writes_a_letter_for_a_chosen_report(
        qtbot, ctx, desktop, tmp_path, workshop, db):
    from ui.pages.activities import ActivitiesPage

    report = tmp_path / "التقرير الدوري - الربع الرابع ٢٠٢٦.docx"
    docx.Document().save(str(report))
    desktop.report = report
    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.export_menu.aboutToShow.emit()  # the user opens «تصدير»: the menu fills
    entry = page.findChild(type(page.export_action), "export_letter")
    assert entry is not None and entry.text() == "كتاب رسمي…"
    entry.trigger()
    dialog = letter_dialog(qtbot, page)
    assert dialog.isRightToLeft()
    assert dialog.subject.text() == "م/ التقرير الدوري - الربع الرابع ٢٠٢٦"
    dialog.write_button.click()
    letter_result(qtbot, page)
    (letter,) = letters.outbox(db)
    written = tmp_path / letter.file_name
    assert written.parent == report.parent and written.is_file()
    # a file Ittisal did not describe is listed by its name, without ".docx"
    assert letter.enclosures == [report.stem]
    assert letter.sha256 == letters.fingerprint(written)


def test_a_chosen_report_made_by_ittisal_is_listed_by_its_description(
        qtbot, ctx, desktop, tmp_path, workshop, db):
    from exporters.news_report import write_news_report
    from ui.pages.activities import ActivitiesPage

    report = write_news_report(db, workshop.id, tmp_path / "news_report.docx")
    desktop.report = report
    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.export_menu.aboutToShow.emit()  # the user opens «تصدير»
    page.findChild(type(page.export_action), "export_letter").trigger()
    dialog = letter_dialog(qtbot, page)
    title = " ".join(workshop.title.split())
    assert dialog.enclosure.text() == f"التقرير الخبري عن «{title}»"


def test_the_activities_menu_letter_cancelled(qtbot, ctx, desktop, workshop, db):
    from ui.pages.activities import ActivitiesPage

    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    desktop.report = None
    assert export.choose_report_for_letter(page, ctx) is None
    assert page.findChild(LetterDialog) is None
    assert letters.outbox(db) == []


def test_the_dashboard_exports_the_months_periodic_report(qtbot, ctx, desktop, tmp_path,
                                                          db):
    from ui.pages.dashboard import DashboardPage

    store.insert(db, records.Activity(kind="workshop", title="ورشة الاتصال الحكومي",
                                      start_date="2026-11-03", status="approved"))
    page = DashboardPage(ctx)
    page.today = lambda: dt.date(2026, 11, 20)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    qtbot.waitExposed(page)
    button = page.export_button
    assert button.text() == "تصدير تقرير الشهر"
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activated()
    assert button.isEnabled()
    desktop.answer = tmp_path / "شهر.docx"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    report_result(qtbot, page)
    assert desktop.suggested[0].name == "التقرير الشهري - تشرين الثاني ٢٠٢٦.docx"
    document = docx.Document(str(desktop.answer))
    titles = [p.text.replace("\u00a0", " ") for p in document.paragraphs
              if p.style.name.startswith(("Document Title", "Title", "Heading"))
              and p.text.strip()]
    assert titles and "تشرين الثاني" in titles[0]
    assert "ورشة الاتصال الحكومي" in docx_text(desktop.answer)
