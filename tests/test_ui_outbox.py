"""The outbox page and «إرسال إلى الوزارة»: letters and bundles listed from a real database,
a bundle sent from the app that a centre imports, and nothing sent when nothing is
approved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from exporters.letter import write_letter
from models import approval, bundle_merge, data_bundle, records, store
from models.db import Database
from tests.conftest import karbala_workshop
from ui import export, send_bundle
from ui.formatting import number_text
from ui.pages.activities import ActivitiesPage
from ui.pages.outbox import (
    COL_B_COUNTS,
    COL_B_DIR,
    COL_B_FILE,
    COL_B_KIND,
    COL_L_FILE,
    COL_L_NUMBER,
    COL_L_SUBJECT,
    OutboxPage,
)
from ui.send_bundle import SendDialog, SentDialog

SHOTS = Path(os.environ["ITTISAL_SHOTS"]) if os.environ.get("ITTISAL_SHOTS") else None


def shot(widget: QWidget, name: str) -> None:
    """Save a screenshot when ITTISAL_SHOTS names a folder (to look at them)."""
    if SHOTS is not None:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


def cells(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


@pytest.fixture
def page(qtbot, ctx):
    widget = OutboxPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1080, 640)  # the page's share of a 1280×720 window
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def usb(tmp_path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def saved_to(monkeypatch, usb):
    """The bundle save dialog answers a file on the USB stick; what it was offered."""
    offered: list[Path] = []

    def ask(_parent, _title, suggested):
        offered.append(suggested)
        return usb / "to-ministry"  # no suffix typed: the app adds .ittisal

    monkeypatch.setattr(send_bundle, "ask_bundle_path", ask)
    return offered


def test_the_outbox_lists_a_recorded_letter_and_a_sent_bundle_and_opens_them(
        qtbot, ctx, db, page, desktop, usb, tmp_path):
    store.insert(db, karbala_workshop())
    report = usb / "report.docx"
    report.write_bytes(b"report")
    letter = write_letter(db, usb / "كتاب.docx", subject="التقرير الشهري",
                          addressee="وزارة التعليم العالي", enclosures=["التقرير الشهري"])
    sent = data_bundle.export(db, usb / "first.ittisal")
    export.remember_folder(usb)  # where the export saved its last document
    page.refresh()
    style = ctx.date_style

    assert cells(page.letters_model, COL_L_NUMBER) == [
        f"{number_text(letter.number, style)}/{number_text(letter.year, style)}"]
    # A letter's number is its name: a five-digit one is not grouped like a count.
    db.execute("UPDATE letters SET number = 12345 WHERE id = ?", (letter.id,))
    page.refresh()
    assert cells(page.letters_model, COL_L_NUMBER) == [
        f"١٢٣٤٥/{number_text(letter.year, style)}"]
    assert cells(page.letters_model, COL_L_SUBJECT) == ["التقرير الشهري"]
    assert cells(page.letters_model, COL_L_FILE) == ["\u2068كتاب.docx\u2069"]
    assert page.tabs.tabText(0) == f"الكتب الرسمية ({number_text(1, style)})"
    assert cells(page.bundles_model, COL_B_DIR) == ["صادرة"]
    assert cells(page.bundles_model, COL_B_FILE) == ["\u2068first.ittisal\u2069"]
    assert cells(page.bundles_model, COL_B_COUNTS) == ["نشاط واحد"]
    assert cells(page.bundles_model, COL_B_KIND) == ["تزايدية"]
    assert sent.counts["activities"] == 1
    assert not page.import_action.isVisible()  # a unit with records is no centre
    shot(page, "outbox_letters")

    page.letters.setCurrentIndex(page.letters_model.index(0, 0))
    assert page.open_selected() == usb / "كتاب.docx"
    assert desktop.opened == [str(usb / "كتاب.docx")]

    page.show_bundles()
    page.bundles.setCurrentIndex(page.bundles_model.index(0, 0))
    assert page.open_selected() == usb
    shot(page, "outbox_bundles")

    # Moved away: a clear message, nothing opened.
    (usb / "كتاب.docx").rename(tmp_path / "elsewhere.docx")
    page.tabs.setCurrentIndex(0)
    page.letters.setCurrentIndex(page.letters_model.index(0, 0))
    assert page.open_selected() is None
    assert len(desktop.opened) == 2
    assert desktop.warnings and desktop.warnings[-1].startswith(
        "لم يُعثر على الملف «\u2068كتاب.docx\u2069» كما كُتب")


def test_a_letter_written_here_opens_from_its_folder_even_one_the_app_never_searches(
        qtbot, ctx, db, page, desktop, tmp_path):
    hidden = tmp_path / "قرص خارجي" / "كتب ٢٠٢٦"
    hidden.mkdir(parents=True)
    letter = write_letter(db, hidden / "كتاب.docx", subject="التقرير الشهري",
                          addressee="مركز المعلومات الموحد", enclosures=["التقرير الشهري"])
    page.refresh()
    page.letters.setCurrentIndex(page.letters_model.index(0, 0))
    assert page.open_selected() is None  # not in any folder the app knows
    export.remember_place(hidden / "كتاب.docx", letter.sha256)  # as the app's export does
    assert page.open_selected() == hidden / "كتاب.docx"
    assert desktop.opened == [str(hidden / "كتاب.docx")]


def test_sending_from_the_app_writes_a_bundle_the_centre_imports_and_marks_sent(
        qtbot, ctx, db, page, desktop, usb, saved_to, tmp_path):
    workshop = store.insert(db, karbala_workshop())  # approved
    draft = store.insert(db, records.Activity(kind="meeting", title="اجتماع لم يعتمد",
                                              start_date="2026-11-01"))
    activities = ActivitiesPage(ctx)
    qtbot.addWidget(activities)
    activities.refresh()

    dialog = page.send()
    assert isinstance(dialog, SendDialog)
    # Counted in the background (a big file's records take seconds): nothing to send yet.
    assert dialog.summary.text() == "يُحصى ما ستحمله الحزمة…"
    assert not dialog.send_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.counted)
    assert dialog.summary.text() == "نشاط واحد"
    assert dialog.marks.text() == "ستُعلَّم نشاط واحد «مرسلة» بعد كتابة الملف."
    assert dialog.send_button.isEnabled() and not dialog.message.isVisible()
    shot(dialog, "send_dialog")
    dialog.send_button.click()

    qtbot.waitUntil(lambda: page.findChild(SentDialog) is not None, timeout=20000)
    result = page.findChild(SentDialog)
    written = usb / "to-ministry.ittisal"
    assert result.path == written and written.is_file()
    assert saved_to[0].name.startswith("ittisal-") and saved_to[0].suffix == ".ittisal"
    assert "عُلّم نشاط واحد «مرسلة»." in result.message.text()
    shot(result, "sent_dialog")
    result.folder_button.click()
    assert desktop.opened == [str(usb)]

    assert approval.state(db, "activity", workshop.id).status == "sent"
    assert approval.state(db, "activity", draft.id).status == "draft"
    assert cells(page.bundles_model, COL_B_FILE) == ["\u2068to-ministry.ittisal\u2069"]
    assert page.tabs.currentIndex() == 1
    # The activities list was told (a hidden list re-reads when shown): the workshop sent.
    activities.show()
    qtbot.waitUntil(lambda: "مرسل" in [
        activities.model.index(r, 5).data() for r in range(activities.model.rowCount())])

    with Database.open(tmp_path / "centre.sqlite3", create=True) as centre:
        imported = bundle_merge.import_bundle(centre, written)
        assert imported.added["activities"] == 1
        assert centre.scalar("SELECT status FROM activities WHERE id = ?",
                             (workshop.id,)) == "sent"

    # The bundle's folder is remembered for the next one, and for the outbox's «فتح».
    page.bundles.setCurrentIndex(page.bundles_model.index(0, 0))
    assert page.open_selected() == usb


def test_with_nothing_approved_nothing_can_be_sent(qtbot, ctx, db, page, usb, saved_to):
    store.insert(db, records.Activity(kind="meeting", title="مسودة", start_date="2026-11-01"))
    dialog = page.send()
    qtbot.waitUntil(lambda: dialog.counted)
    assert not dialog.send_button.isEnabled()
    assert dialog.message.isVisible()
    assert dialog.message.text().startswith("لا توجد أنشطة ولا مخططات معتمدة لم تُرسل بعد")
    shot(dialog, "send_nothing")
    dialog.accept()  # as if Enter were forced: still nothing may be written
    assert dialog.isVisible()
    assert saved_to == [] and not any(usb.iterdir())
    assert db.scalar("SELECT count(*) FROM bundles") == 0

    # A full copy is possible: the draft goes, marked nothing.
    dialog = page.send()
    dialog.full.setChecked(True)
    qtbot.waitUntil(lambda: dialog.counted)
    assert dialog.send_button.isEnabled()
    assert dialog.summary.text() == "نشاط واحد"


def test_the_main_window_action_opens_the_send_dialog(qtbot, ctx, db, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    window = MainWindow(ctx, settings=QSettings(str(tmp_path / "w.ini"),
                                                QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.send_action.trigger()
    assert window.current_page().key == "outbox"
    qtbot.waitUntil(lambda: window.findChild(SendDialog) is not None)
    dialog = window.findChild(SendDialog)
    assert dialog.windowTitle() == "إرسال إلى الوزارة"
    dialog.reject()


def test_counted_nouns():
    from models.dates import DateStyle

    style = DateStyle(digits="arabic")
    assert send_bundle.counts_text({"activities": 12, "plans": 3, "persons": 2,
                                    "attendance": 100}, style) == (
        "١٢ نشاطاً، ٣ مخططات، مشاركان، ١٠٠ سجل حضور")
    assert send_bundle.counts_text({}, style) == "لا شيء"
    assert send_bundle.counted(1, "certificates", style) == "شهادة واحدة"
    # A big count is grouped by thousands, in the unit's digits; a four-digit one is not.
    assert send_bundle.counted(37666, "activities", style) == "٣٧٬٦٦٦ نشاطاً"
    assert send_bundle.counted(1649, "activities", style) == "١٦٤٩ نشاطاً"
    assert send_bundle.counted(37666, "activities", DateStyle(digits="western")) == (
        "37,666 نشاطاً")
    # A number that names (an Excel row, a list's «ت») is never grouped.
    from ui.formatting import index_text

    assert index_text(12345, style) == "١٢٣٤٥"


def test_a_cancelled_send_writes_nothing_and_marks_nothing(qtbot, ctx, db, usb):
    from ui.tasks import Cancelled

    workshop = store.insert(db, karbala_workshop())

    def cancel(done, total):
        if done == total - 1:  # the last step, just before the file is written
            raise Cancelled

    with pytest.raises(Cancelled):
        data_bundle.export(db, usb / "x.ittisal", progress=cancel)
    assert not any(usb.iterdir())
    assert approval.state(db, "activity", workshop.id).status == "approved"
    assert db.scalar("SELECT count(*) FROM bundles") == 0
