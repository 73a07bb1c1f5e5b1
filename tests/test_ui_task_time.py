"""The coordinator's everyday path, counted (issue 11): a workshop has happened, the
organiser hands over an Excel list of 40 attendees, and the certificates must be printed.

From the main window of a new database whose unit identity has been entered (the welcome
is not counted), every user action goes through ONE helper, :func:`act`, which counts it
and says what it was. What is counted: each click, shortcut, menu choice and dialog step.
What is not: typing the activity's own fields (and moving between them), as the issue
counts. A file dialog is one action when it opens in the folder the file is in (the user
double-clicks the file); the test checks that it does. The system print dialog is
replaced by one that accepts with the printer set to a PDF file — its OK is one action.
Closing the two windows afterwards is not part of the job and is not counted.

The test prints ``task-time: N actions`` and the steps, and fails above 10 (it was 21).
With ``ITTISAL_PATH_SHOTS=docs/screenshots`` it also saves each step's window there as
``path-NN-….png`` (the README's pictures of the path).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from models import attendance, records, store
from models.arabic import FSI, PDI
from tests.test_exporters_rtl import pdf_text
from tests.test_ui_date_edit import answer_modal, make_ctx, show_active, type_text
from ui.certificates.dialog import CertificatesDialog
from ui.forms import form_base
from ui.forms.activity_form import TAB_PEOPLE, ActivityDialog
from ui.forms.import_dialog import ImportDialog
from ui.main_window import MainWindow
from ui.widgets import open_dialogs

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support"),
    pytest.mark.skipif(shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
                       reason="needs poppler-utils (pdfinfo, pdftotext)"),
]

MAX_ACTIONS = 10
SHOTS = Path(os.environ["ITTISAL_PATH_SHOTS"]) if os.environ.get("ITTISAL_PATH_SHOTS") \
    else None
WORKSHOP = {
    "title": "ورشة تطويرية عن أهمية الاتصال الحكومي ودوره في انسيابية المعلومات",
    "start": "22/11/2026",
    "end": "23/11/2026",
    "place": "جامعة كربلاء",
}
FIRST = ["زينب", "حيدر", "مصطفى", "فاطمة", "أحمد", "نور الهدى", "علي", "مريم", "حسين",
         "سجاد"]
FATHER = ["علي", "عباس", "جواد", "حسن"]
FAMILY = ["الأسدي", "الموسوي", "الخفاجي", "الطائي", "الجبوري", "الشمري", "الحسيني",
          "العلاق", "الكعبي", "الزبيدي"]
FEMALE = {"زينب", "فاطمة", "نور الهدى", "مريم"}


def forty_attendees() -> list[list[str]]:
    """Forty different four-part names, with job, entity, phone and gender: a clean list."""
    rows = []
    for n in range(40):
        first, father = FIRST[n % 10], FATHER[n // 10]
        name = f"{first} {father} كاظم {FAMILY[(n * 3) % 10]}"
        rows.append([str(n + 1), name, "مسؤول شعبة الإعلام", "مديرية تربية كربلاء",
                     f"0770{1000000 + n:07d}", "أنثى" if first in FEMALE else "ذكر"])
    assert len({r[1] for r in rows}) == 40
    return rows


def write_list(path: Path, rows: list[list[str]]) -> Path:
    """The organiser's workbook, written by openpyxl: a title row, Arabic headers, rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "المشاركون"
    sheet.sheet_view.rightToLeft = True
    sheet.append(["كشف بأسماء المشاركين في الورشة"])
    sheet.append(["ت", "الاسم الرباعي", "العنوان الوظيفي", "الجهة", "رقم الهاتف", "الجنس"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


class Counter:
    """The one way the test acts as the user: each call is one counted action."""

    def __init__(self) -> None:
        self.steps: list[str] = []

    def act(self, description: str, fn: Callable[[], Any]) -> Any:
        """Count one user action, described, then do it (``fn``) and return its result."""
        self.steps.append(description)
        return fn()

    def report(self) -> str:
        lines = [f"task-time: {len(self.steps)} actions"]
        lines += [f"  {n}. {step}" for n, step in enumerate(self.steps, 1)]
        return "\n".join(lines)


def click(qtbot, widget) -> Callable[[], None]:
    return lambda: qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def shot(widget, name: str) -> None:
    """Save what ``widget`` shows as ``path-<name>.png`` when ITTISAL_PATH_SHOTS is set."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        widget.grab().save(str(SHOTS / f"path-{name}.png"))


def activate(qtbot, window) -> None:
    """What the window manager does for a new window on a desktop (the offscreen platform
    leaves it to the program): make it the active one."""
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def type_field(widget, text: str) -> None:
    """Type into a field of the activity (not counted: the activity's own content)."""
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    widget.selectAll()  # what is there (today's date) is typed over
    type_text(widget, text)


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    """The user's documents folder (XDG's, in the test's own config folder)."""
    folder = tmp_path / "المستندات"
    folder.mkdir()
    config = Path(os.environ["XDG_CONFIG_HOME"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "user-dirs.dirs").write_text(f'XDG_DOCUMENTS_DIR="{folder}"\n', encoding="utf-8")
    monkeypatch.setattr(open_dialogs, "_settings", lambda: QSettings(
        str(tmp_path / "folders.ini"), QSettings.Format.IniFormat))
    assert open_dialogs.start_folder("attendees") == folder
    return folder


def test_from_an_excel_list_to_printed_certificates(qtbot, tmp_path, monkeypatch, documents):
    from models.db import Database

    db = Database.open(tmp_path / "new-unit.sqlite3", create=True)
    ctx = make_ctx(db)
    # The welcome's part (not counted): the unit's identity.
    ctx.save_unit(dataclasses.replace(
        ctx.unit, ministry="وزارة التعليم العالي والبحث العلمي", name="وحدة الاتصال الحكومي",
        directorate="جامعة كربلاء", city="كربلاء"))
    people = forty_attendees()
    sheet = write_list(documents / "مشاركو الورشة.xlsx", people)
    pdf = tmp_path / "مطبوع" / "الشهادات.pdf"
    pdf.parent.mkdir()
    counter = Counter()
    act = counter.act
    seen: dict[str, Any] = {}

    # The file dialog: the user double-clicks the list in the folder it opens in.
    def file_dialog(_parent, _caption, folder, _filter):
        seen["dialog_folder"] = Path(folder)
        return act(f"double-click «{sheet.name}» in the file dialog (it opened in "
                   f"{Path(folder).name})",
                   lambda: (str(sheet) if Path(folder) == sheet.parent else "", ""))

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(file_dialog))

    # The system print dialog: the user chose the PDF printer and presses OK.
    def print_dialog_exec(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        seen["print_title"] = dialog.windowTitle()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf))
        return act("OK in the system print dialog (printer: PDF)",
                   lambda: QDialog.DialogCode.Accepted)

    monkeypatch.setattr(QPrintDialog, "exec", print_dialog_exec)
    # Closing the form must not ask about unsaved changes (everything was saved on the way).
    asked: list[str] = []
    monkeypatch.setattr(form_base, "ask_unsaved",
                        lambda _parent: asked.append("unsaved") or "discard")

    window = MainWindow(ctx, settings=QSettings(str(tmp_path / "window.ini"),
                                                QSettings.Format.IniFormat))
    show_active(qtbot, window)
    assert window.current_page().key == "dashboard"
    qtbot.waitUntil(lambda: not getattr(window.current_page(), "loading", False), timeout=10000)
    shot(window, "01-dashboard")

    # Each window is closed whatever happens in it, so that a failure fails the test
    # instead of leaving a modal window waiting for ever.
    def in_certificates(certs: CertificatesDialog) -> None:
        try:
            activate(qtbot, certs)
            seen["checked"] = len(certs.attendees.checked_ids())
            shot(certs, "06-certificates")
            act("«طباعة…» in the certificates window", click(qtbot, certs.print_button))
            qtbot.waitUntil(lambda: store.count(db, records.Certificate) == 40, timeout=60000)
            qtbot.waitUntil(lambda: certs.task is None or not certs.task.running,
                            timeout=30000)
            seen["printed"] = certs.message.text()
            shot(certs, "07-printed")
        finally:
            certs.reject()  # closing it afterwards: not counted

    def in_import(importer: ImportDialog) -> None:
        try:
            qtbot.waitUntil(lambda: importer.plan is not None, timeout=20000)
            seen["plan"] = (importer.plan.added, importer.plan.matched, importer.plan.skipped)
            shot(importer, "04-import-preview")
            with qtbot.waitSignal(importer.accepted, timeout=60000):
                act("«استيراد» in the import preview", click(qtbot, importer.import_button))
        finally:
            if importer.isVisible():
                importer.reject()

    def in_form(form: ActivityDialog) -> None:
        try:
            fill_in_and_go(form)
        finally:
            form.reject()  # closing it afterwards: not counted (nothing is left unsaved)
            seen["closed_clean"] = form.result() == QDialog.DialogCode.Accepted

    def fill_in_and_go(form: ActivityDialog) -> None:
        activate(qtbot, form)
        seen["focus"] = QApplication.focusWidget() is form.title
        # Typing the workshop in (not counted): the title where the cursor already is.
        type_text(QApplication.focusWidget(), WORKSHOP["title"])
        type_field(form.start_date.line, WORKSHOP["start"])
        type_field(form.end_date.line, WORKSHOP["end"])
        type_field(form.place, WORKSHOP["place"])
        shot(form, "02-new-activity")
        bar = form.tabs.tabBar()
        act("the «المشاركون» tab of the form",
            lambda: qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                                     pos=bar.tabRect(TAB_PEOPLE).center()))
        shot(form, "03-attendees-tab")
        answer_modal(in_import, ImportDialog)
        act("«استيراد من ملف…» (the activity is saved with it)",
            click(qtbot, form.attendees.import_button))
        seen["summary"] = form.attendees.message.text()
        shot(form, "05-imported")
        answer_modal(in_certificates, CertificatesDialog)
        act("«شهادات المشاركين…» in the form", click(qtbot, form.certificates_button))

    forms = answer_modal(in_form, ActivityDialog)
    act("Ctrl+N on the dashboard (a new activity)",
        lambda: qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier))
    qtbot.waitUntil(lambda: bool(forms) and not forms[0].isVisible(), timeout=60000)

    print(counter.report())
    assert asked == []
    # What the user got.
    assert seen["focus"], "the form opens with the cursor in the title"
    assert seen["dialog_folder"] == documents
    assert seen["plan"] == (40, 0, 0)
    assert seen["summary"].replace(FSI, "").replace(PDI, "").startswith(
        "استُورد «مشاركو الورشة.xlsx»: أُضيف مشاركون جدد: ٤٠")
    assert seen["checked"] == 40 and seen["closed_clean"]
    assert seen["printed"].startswith("أُرسلت الشهادات (٤٠) إلى الطابعة")
    [workshop] = store.find(db, records.Activity)
    assert (workshop.title, workshop.start_date, workshop.end_date, workshop.place) == (
        WORKSHOP["title"], "2026-11-22", "2026-11-23", WORKSHOP["place"])
    assert attendance.count(db, workshop.id) == 40
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert "Pages:           40" in info
    # Qt's printer writes the shaped Arabic glyphs without their letters (pdftotext cannot
    # give a printed name back), so each attendee's page is found by its certificate's
    # serial, which the register ties to the name.
    text = pdf_text(pdf)
    register = {c.serial: c.holder_name for c in store.find(db, records.Certificate)}
    assert sorted(register.values()) == sorted(row[1] for row in people)
    assert [serial for serial in register if serial in text] == list(register)
    zainab = next(s for s, name in register.items() if name == people[0][1])
    assert zainab in text
    # Back in the window: the new activity is listed and selected, ready for what's next.
    page = window.current_page()
    shot(window, "08-listed")
    assert page.key == "activities" and page.selected_ids() == [workshop.id]
    assert len(counter.steps) <= MAX_ACTIONS, counter.report()
    db.close()
