"""Exporting a document with one click: where to save it, the work off the UI thread, and
what to do with the file afterwards.

:func:`export_document` asks where to save (the folder used last, kept in QSettings
under ``export/folder``, and an Arabic file name made from the activity or the period),
runs the exporter through :func:`ui.tasks.run_task` with its own database connection and
a progress dialog that can cancel, then shows :class:`ExportResultDialog` with "فتح"
(open the file) and "فتح المجلد" (open its folder). A folder that cannot be written or a
file held open by Word gets a clear Arabic message naming the file; the exporters write
to a temporary file and rename it, so no half-written file is ever left.

:class:`PeriodDialog` chooses the period of a periodic report (this month, last month,
two months, a quarter, a year, or any dates), whether drafts are counted (off: a report
goes to the ministry with approved and sent activities; it says how many drafts it leaves
out) and whether each activity gets a section (on up to three months, off beyond, until
the user chooses). The save dialog, the desktop opener and the
warning box go through :func:`ask_save_path`, :func:`open_url` and :func:`warn`, which
tests replace.

The official letter ("كتاب رسمي") that carries a report: after a news or periodic report is
written, the result dialog offers "كتاب رسمي يرافقه…"; :class:`LetterDialog` asks for the
addressee, subject and body, and ``export_document(..., "letter", report=...)`` writes the
covering letter next to the report (numbered and recorded in the outbox by
:func:`exporters.letter.write_letter`), then shows its number. :func:`offer_letter` does
the whole of it for a report file; :func:`ask_report_path` (which tests replace) picks one.

The document kinds are declared once, in :mod:`exporters.registry`: this module asks
for what a kind needs (an activity, a period through :class:`PeriodDialog`, a report for
a letter), builds the kind's options and hands them to the kind's writer.
:mod:`ui.export_menu` makes an export menu's entries from the registry (it opens the
windows some kinds need, which themselves use this module).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exporters import registry
from exporters.registry import plain_subject, safe_file_name, short_title
from models.dates import PERIODS as NAMED_PERIODS
from models.dates import parse_date, period_range
from models.errors import IttisalError
from models.letters import Letter
from models.periodic import count_drafts, period_label, report_name, sections_by_default
from models.protected_paths import ProtectedPathError, refuse_protected_output
from ui import desktop
from ui.application import APP_NAME
from ui.context import AppContext
from ui.formatting import digits_text, number_text
from ui.tasks import Progress, Task, run_task, show_error
from ui.widgets import open_dialogs, theme
from ui.widgets.date_edit import DateEdit

__all__ = [
    "KINDS",
    "PERIODS",
    "TEXT",
    "ExportResultDialog",
    "LetterDialog",
    "PeriodDialog",
    "ask_report_path",
    "ask_save_path",
    "default_name",
    "export_document",
    "export_options",
    "last_folder",
    "offer_letter",
    "open_url",
    "period_range",
    "isolate_paths",
    "refuse_output",
    "remember_folder",
    "report_description",
    "safe_file_name",
    "settings",
    "short_title",
    "warn",
]

TEXT = {
    # document kinds: each kind's name (the progress dialog's title) and its menu entry
    # ("news_menu"), from exporters.registry
    **{kind.key: kind.name for kind in registry.KINDS.values()},
    **{f"{kind.key}_menu": kind.menu for kind in registry.KINDS.values()},
    # the save dialog
    "save_title": "حفظ {kind}",
    "filter": "مستند Word (*.docx)",
    # progress
    "writing": "جارٍ كتابة «{name}»…",
    # the result
    "done_title": "اكتمل التصدير",
    "done": "حُفظ الملف «{name}» في المجلد:\n{folder}",
    "open": "فتح",
    "open_tip": "فتح الملف في البرنامج المعتاد (Word مثلاً)",
    "open_folder": "فتح المجلد",
    "open_folder_tip": "فتح المجلد الذي حُفظ فيه الملف",
    "close": "إغلاق",
    "cant_open": "تعذّر فتح «{name}». افتحه من المجلد «{folder}».",
    "letter_button": "كتاب رسمي يرافقه…",
    "letter_button_tip": "كتابة كتاب رسمي يُرسَل معه هذا التقرير مرفقاً",
    "letter_number": "رقم الكتاب: {number}",
    # the official letter
    "letter_title": "كتاب رسمي يرافق التقرير",
    "addressee": "إلى:",
    "subject": "الموضوع:",
    "body": "نص الكتاب:",
    "body_placeholder": "اتركه فارغاً لنص الإرفاق المعتاد:\n{body}",
    "enclosure": "المرفق:",
    "write": "كتابة الكتاب",
    "file_subject": "م/ {name}",
    "no_subject": "اكتب موضوع الكتاب.",
    "choose_report": "اختر التقرير الذي يرافقه الكتاب",
    # errors: the environment's fault, said plainly with the file's name
    "error_title": "تعذّر حفظ الملف",
    "locked": "تعذّر حفظ الملف «{name}»: الملف مفتوح في برنامج آخر (Word مثلاً) أو محمي "
              "من الكتابة.\nأغلقه ثم أعد المحاولة، أو احفظ باسم آخر.",
    "no_permission": "تعذّر حفظ الملف «{name}»: لا تملك صلاحية الكتابة في المجلد "
                     "«{folder}».\nاختر مجلداً آخر، مثل «المستندات».",
    "no_folder": "تعذّر حفظ الملف «{name}»: المجلد «{folder}» غير موجود.\nاختر مجلداً آخر.",
    "disk_full": "تعذّر حفظ الملف «{name}»: لا توجد مساحة كافية في القرص.",
    "os_error": "تعذّر حفظ الملف «{name}» في المجلد «{folder}».\nتأكد من أن المجلد موجود "
                "وقابل للكتابة ثم أعد المحاولة.",
    "over_report": "لا يُكتب الكتاب فوق التقرير الذي يرافقه «{name}».\nاحفظ الكتاب باسم آخر.",
    # the period dialog
    "period_title": "التقرير الدوري",
    "period": "المدة:",
    "from": "من:",
    "to": "إلى:",
    "export": "تصدير",
    "cancel": "إلغاء",
    "bad_dates": "اكتب تاريخي البداية والنهاية، والنهاية بعد البداية.",
    "report_label": "{name} — {period}",
    "include_drafts": "تضمين المسودات (تُعلَّم «مسودة»)",
    "include_drafts_tip": "يُرسَل التقرير إلى الوزارة بالنشاطات المعتمدة والمرسلة فقط؛ "
                          "اختر هذا لتُعدّ المسودات وتُدرَج معها، وتُعلَّم كل منها بكلمة «مسودة».",
    "drafts_left_out": "لا يشمل التقرير مسودات هذه المدة (عددها {count}).",
    "sections": "قسم لكل نشاط (تفاصيل النشاطات)",
    "sections_tip": "يضيف لكل نشاط قسماً بتاريخه ومكانه وملخصه. يُختار تلقائياً للمدد حتى "
                    "ثلاثة أشهر؛ تقرير السنة بدونه أقصر بكثير.",
    "periods": {  # the names of models.dates.PERIODS, and "custom"
        "this_month": "هذا الشهر",
        "last_month": "الشهر الماضي",
        "two_months": "الشهران الأخيران (الماضي والحالي)",
        "this_quarter": "الربع الحالي",
        "last_quarter": "الربع الماضي",
        "this_year": "هذه السنة",
        "last_year": "السنة الماضية",
        "custom": "مدة أخرى…",
    },
}

#: The document kinds, in the order of the menus (:data:`exporters.registry.KINDS`).
KINDS = tuple(registry.KINDS)
#: The kinds whose result dialog offers a covering letter.
LETTER_REPORTS = tuple(k.key for k in registry.KINDS.values() if k.offers_letter)
#: The choices :class:`PeriodDialog` offers, in order: the named periods of
#: :data:`models.dates.PERIODS`, then any dates ("custom").
PERIODS = (*NAMED_PERIODS, "custom")

SETTINGS_KEY = "export/folder"
# The key is the bundles' older one: places remembered before letters had any still count.
SETTINGS_PLACES = "outbox/places/{sha256}"
# What a save dialog lists, by the suggested file's suffix.
FILE_FILTERS = {".docx": "مستند Word (*.docx)", ".pdf": "مستند PDF (*.pdf)",
                ".xlsx": "جدول Excel (*.xlsx)"}


# --- what tests replace ---------------------------------------------------------------------

def ask_save_path(parent: QWidget | None, title: str, suggested: Path) -> Path | None:
    """Ask where to save (a native save dialog, showing files of the suggested name's
    kind); None when the user cancels."""
    file_filter = FILE_FILTERS.get(suggested.suffix.lower(), TEXT["filter"])
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return Path(chosen) if chosen else None


def open_url(url: QUrl) -> bool:
    """Hand a file or folder to the desktop (Word, the file manager)."""
    return desktop.open_url(url)


def ask_report_path(parent: QWidget | None, title: str, folder: Path) -> Path | None:
    """Ask which report (a .docx) a letter carries (a native open dialog, starting where
    the last report was chosen, else in ``folder``); None on cancel."""
    chosen = open_dialogs.open_file_name(parent, "report", title, TEXT["filter"], folder)
    return Path(chosen) if chosen else None


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """Show a warning and wait for the user to read it."""
    QMessageBox.warning(parent, title, text)


def settings() -> QSettings:
    """The user's QSettings (the same store as the window's state)."""
    return QSettings(APP_NAME, APP_NAME)


# --- names and folders ----------------------------------------------------------------------

def default_name(ctx: AppContext, kind: str, *, activity_id: str | None = None,
                 date_from: str | None = None, date_to: str | None = None,
                 subject: str | None = None, **values: Any) -> str:
    """The file name offered for a document (with its suffix), from the kind's needs (a
    letter's needs ``subject`` and ``report``; a missing report is not looked at)."""
    values.setdefault("report", Path())
    options = registry.make_options(kind, activity_id=activity_id, date_from=date_from,
                                    date_to=date_to, subject=subject or "", **values)
    return registry.get(kind).file_name(ctx.db, options, ctx.date_style)


def last_folder() -> Path:
    """The folder a document was last saved in (else the user's documents folder)."""
    stored = settings().value(SETTINGS_KEY, "", str)
    if stored and Path(stored).is_dir():
        return Path(stored)
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def remember_folder(folder: Path) -> None:
    """Start the next save dialog in ``folder``."""
    store_ = settings()
    store_.setValue(SETTINGS_KEY, str(folder))
    store_.sync()


def remember_place(path: Path, sha256: str) -> None:
    """Remember where the file with this hash (a letter, a bundle) was written: the
    database keeps its name and hash, not its folder, and the outbox opens it from here."""
    store_ = settings()
    store_.setValue(SETTINGS_PLACES.format(sha256=sha256), str(path))
    store_.sync()


def place_of(sha256: str) -> Path | None:
    """Where the file with this hash was written on this computer, if it was remembered
    (:func:`remember_place`)."""
    stored = settings().value(SETTINGS_PLACES.format(sha256=sha256), "", str)
    return Path(stored) if stored else None


def letter_subject(ctx: AppContext, kind: str, *, activity_id: str | None = None,
                   date_from: str | None = None, date_to: str | None = None,
                   report: Path | None = None) -> str:
    """The subject offered for the letter that carries a report ("م/ …"): the kind's,
    else one made from the report's file name."""
    options = _report_options(kind, activity_id=activity_id, date_from=date_from,
                              date_to=date_to)
    if options is not None:
        return registry.get(kind).letter_subject(ctx.db, options, ctx.date_style)
    return TEXT["file_subject"].format(name=report.stem if report else "")


def report_description(ctx: AppContext, kind: str, *, activity_id: str | None = None,
                       date_from: str | None = None, date_to: str | None = None
                       ) -> str | None:
    """How a covering letter lists the report the app just exported («التقرير الشهري
    لشهر تشرين الثاني ٢٠٢٦»), from what was exported; None for other kinds."""
    options = _report_options(kind, activity_id=activity_id, date_from=date_from,
                              date_to=date_to)
    if options is None:
        return None
    return registry.get(kind).enclosure(ctx.db, options, ctx.date_style)


def _report_options(kind: str, **values: Any) -> Any:
    """The options of a report a letter can carry, or None (another kind, or a need
    missing)."""
    if kind not in LETTER_REPORTS:
        return None
    try:
        return registry.make_options(kind, **values)
    except ValueError:
        return None


# --- periods ---------------------------------------------------------------------------------

class PeriodDialog(QDialog):
    """Choose the period of a document of ``kind`` (default: the periodic report);
    :meth:`period` is (from, to) as ISO dates. The drafts and sections choices are shown
    when the kind's options have them."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 today: dt.date | None = None, kind: str = "periodic") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = registry.get(kind)
        self._fields = {f.name for f in dataclasses.fields(self.kind.options)}
        self._today = today or dt.date.today()
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["period_title"] if kind == "periodic" else self.kind.name)
        self.choice = QComboBox(self)
        self.choice.setObjectName("periodChoice")
        for key in PERIODS:
            self.choice.addItem(TEXT["periods"][key], key)
        self.date_from = DateEdit(ctx, self)
        self.date_from.setObjectName("periodFrom")
        self.date_to = DateEdit(ctx, self)
        self.date_to.setObjectName("periodTo")
        self.label = QLabel(self)
        self.label.setObjectName("periodLabel")
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.drafts_note = QLabel(self)
        self.drafts_note.setObjectName("periodDraftsNote")
        self.drafts_note.setWordWrap(True)
        self.include_drafts = QCheckBox(TEXT["include_drafts"], self)
        self.include_drafts.setObjectName("periodIncludeDrafts")
        self.include_drafts.setToolTip(TEXT["include_drafts_tip"])
        self.sections = QCheckBox(TEXT["sections"], self)
        self.sections.setObjectName("periodSections")
        self.sections.setToolTip(TEXT["sections_tip"])
        # Follows the period until the user decides (a click), then keeps the choice.
        self._sections_chosen = False
        self.sections.clicked.connect(lambda: setattr(self, "_sections_chosen", True))
        buttons = QDialogButtonBox(self)
        self.export_button = buttons.addButton(TEXT["export"],
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.cancel_button = buttons.addButton(TEXT["cancel"],
                                               QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(TEXT["period"], self.choice)
        form.addRow(TEXT["from"], self.date_from)
        form.addRow(TEXT["to"], self.date_to)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.label)
        layout.addWidget(self.drafts_note)
        layout.addWidget(self.include_drafts)
        layout.addWidget(self.sections)
        self.include_drafts.setVisible("include_drafts" in self._fields)
        self.sections.setVisible("sections" in self._fields)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("م") * 40)
        self.include_drafts.toggled.connect(self._update)

        self.choice.currentIndexChanged.connect(self._chosen)
        self.date_from.changed.connect(self._update)
        self.date_to.changed.connect(self._update)
        self._chosen()

    def _chosen(self) -> None:
        key = self.choice.currentData()
        custom = key == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            first, last = period_range(key, self._today)
            for edit, value in ((self.date_from, first), (self.date_to, last)):
                edit.blockSignals(True)
                edit.setValue(value)
                edit.blockSignals(False)
        self._update()

    def period(self) -> tuple[str, str] | None:
        """The chosen (from, to), or None while the dates are missing or reversed."""
        first, last = self.date_from.value(), self.date_to.value()
        if not first or not last or parse_date(last) < parse_date(first):
            return None
        return first, last

    def _update(self) -> None:
        period = self.period()
        self.export_button.setEnabled(period is not None)
        self.label.setText(TEXT["report_label"].format(
            name=report_name(*period), period=period_label(*period, self.ctx.date_style))
            if period else TEXT["bad_dates"])
        drafts = count_drafts(self.ctx.db, *period) if period else 0
        self.drafts_note.setText(TEXT["drafts_left_out"].format(
            count=number_text(drafts, self.ctx.date_style)))
        self.drafts_note.setVisible(bool(drafts) and not self.include_drafts.isChecked()
                                    and "include_drafts" in self._fields)
        if period and not self._sections_chosen:
            self.sections.setChecked(sections_by_default(*period))

    def options(self) -> dict[str, bool]:
        """The report's options for :func:`export_document` (``include_drafts``,
        ``sections``, those the kind has)."""
        chosen = {"include_drafts": self.include_drafts.isChecked(),
                  "sections": self.sections.isChecked()}
        return {name: value for name, value in chosen.items() if name in self._fields}

    def set_period(self, key: str) -> None:
        """Choose one of :data:`PERIODS`."""
        self.choice.setCurrentIndex(max(0, self.choice.findData(key)))


# --- the result -----------------------------------------------------------------------------

class ExportResultDialog(QDialog):
    """The file is saved: open it, open its folder, or close. A report's dialog also offers
    "كتاب رسمي يرافقه…" (``on_letter``); a letter's shows its number (``number``)."""

    def __init__(self, path: Path, parent: QWidget | None = None, *,
                 number: str | None = None,
                 on_letter: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self._on_letter = on_letter
        self.setObjectName("exportResult")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["done_title"])
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = QLabel(TEXT["done"].format(**shown_names(self.path)), self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number_label: QLabel | None = None
        if number is not None:
            self.number_label = QLabel(TEXT["letter_number"].format(number=number), self)
            self.number_label.setObjectName("letterNumber")
            font = self.number_label.font()
            font.setBold(True)
            self.number_label.setFont(font)
            self.number_label.setAlignment(Qt.AlignmentFlag.AlignLeading
                                           | Qt.AlignmentFlag.AlignVCenter)
            self.number_label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(self)
        action = QDialogButtonBox.ButtonRole.ActionRole
        self.open_button = buttons.addButton(TEXT["open"], action)
        self.open_button.setToolTip(TEXT["open_tip"])
        self.open_button.setDefault(True)
        self.folder_button = buttons.addButton(TEXT["open_folder"], action)
        self.folder_button.setToolTip(TEXT["open_folder_tip"])
        self.letter_button: QPushButton | None = None
        if on_letter is not None:
            self.letter_button = buttons.addButton(TEXT["letter_button"], action)
            self.letter_button.setObjectName("letterButton")
            self.letter_button.setToolTip(TEXT["letter_button_tip"])
            self.letter_button.clicked.connect(self.write_letter)
        # Closing after a successful export is accepting it (the caller reads the result).
        self.close_button = buttons.addButton(TEXT["close"],
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.clicked.connect(self.open_file)
        self.folder_button.clicked.connect(self.open_folder)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        if self.number_label is not None:
            layout.addWidget(self.number_label)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        # The button box lays its buttons out (and orders their focus) by role: Enter opens
        # the file, as the default button says, whatever button comes first.
        self.open_button.setFocus()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("م") * 36)

    def _open(self, target: Path) -> None:
        if not open_url(QUrl.fromLocalFile(str(target))):
            warn(self, TEXT["done_title"], TEXT["cant_open"].format(**shown_names(self.path)))
            return
        self.accept()

    def open_file(self) -> None:
        """Open the document in the program the desktop uses for .docx."""
        self._open(self.path)

    def open_folder(self) -> None:
        """Open the folder the document was saved in."""
        self._open(self.path.parent)

    def write_letter(self) -> None:
        """Write the official letter that carries this report."""
        self.accept()
        if self._on_letter is not None:
            self._on_letter()


# --- the official letter --------------------------------------------------------------------

class LetterDialog(QDialog):
    """The covering letter of a report: addressee, subject ("م/ …") and an optional body."""

    def __init__(self, ctx: AppContext, report: Path, subject: str,
                 parent: QWidget | None = None, *, enclosure: str | None = None) -> None:
        super().__init__(parent)
        from exporters.letter import default_body, enclosure_description

        self.ctx = ctx
        self.report = Path(report)
        self.setObjectName("letterDialog")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["letter_title"])
        self.addressee = QLineEdit(ctx.unit.default_addressee, self)
        self.addressee.setObjectName("letterAddressee")
        self.subject = QLineEdit(subject, self)
        self.subject.setObjectName("letterSubject")
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("letterBody")
        self.body.setPlaceholderText(TEXT["body_placeholder"].format(
            body=default_body([self.report.stem])))
        self.body.setTabChangesFocus(True)
        # The enclosure as the letter lists it: what the report is, not its file name (the
        # report just exported says it; a chosen file by its own description). Editable.
        self.enclosure = QLineEdit(
            enclosure or enclosure_description(self.report), self)
        self.enclosure.setObjectName("letterEnclosure")
        self.enclosure.setCursorPosition(0)  # a long description shows its beginning
        self.enclosure.setToolTip(f"\u2068{self.report.name}\u2069")
        self.hint = QLabel(TEXT["no_subject"], self)
        self.hint.setStyleSheet(theme.ERROR_STYLE)
        buttons = QDialogButtonBox(self)
        self.write_button = buttons.addButton(TEXT["write"],
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.write_button.setDefault(True)
        self.cancel_button = buttons.addButton(TEXT["cancel"],
                                               QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(TEXT["addressee"], self.addressee)
        form.addRow(TEXT["subject"], self.subject)
        form.addRow(TEXT["body"], self.body)
        form.addRow(TEXT["enclosure"], self.enclosure)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("م") * 48)
        self.subject.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        ok = bool(plain_subject(self.subject.text()))
        self.write_button.setEnabled(ok)
        self.hint.setVisible(not ok)

    def values(self) -> dict[str, Any]:
        """The letter's fields for :func:`export_document` (kind "letter")."""
        return {"report": self.report, "subject": plain_subject(self.subject.text()),
                "addressee": " ".join(self.addressee.text().split()),
                "body": self.body.toPlainText().strip() or None,
                "enclosure": " ".join(self.enclosure.text().split()) or None}


def offer_letter(parent: QWidget | None, ctx: AppContext, report: Path, *,
                 subject: str | None = None, enclosure: str | None = None) -> LetterDialog:
    """Open :class:`LetterDialog` for ``report``; when the user writes, export the letter.
    ``enclosure`` is how the letter lists the report (default: the file's description)."""
    dialog = LetterDialog(ctx, report, subject or letter_subject(ctx, "", report=report),
                          parent, enclosure=enclosure)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(
        lambda: setattr(dialog, "task", export_document(parent, ctx, "letter",
                                                        **dialog.values())))
    dialog.task = None
    dialog.open()
    return dialog


def choose_report_for_letter(parent: QWidget | None, ctx: AppContext) -> LetterDialog | None:
    """Ask which report file to enclose, then :func:`offer_letter` for it."""
    report = ask_report_path(parent, TEXT["choose_report"], last_folder())
    if report is None:
        return None
    return offer_letter(parent, ctx, report)


# --- errors ---------------------------------------------------------------------------------

def shown_names(path: Path) -> dict[str, str]:
    """The file's name and folder for Arabic text: the name in a first-strong isolate, the
    folder (a left-to-right path) in a left-to-right isolate, so neither is scrambled."""
    folder = QDir.toNativeSeparators(str(path.parent))
    return {"name": f"\u2068{path.name}\u2069", "folder": f"\u2066{folder}\u2069"}


def error_message(error: OSError, path: Path) -> str:
    """The Arabic message for a file-system error while saving ``path``."""
    names = shown_names(path)
    if error.errno == errno.ENOSPC:
        return TEXT["disk_full"].format(**names)
    if error.errno in (errno.ENOENT, errno.ENOTDIR) or not path.parent.is_dir():
        return TEXT["no_folder"].format(**names)
    if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM,
                                                             errno.EROFS, errno.EBUSY):
        # Word holds the file it has open: the rename over it fails (Windows error 32/5).
        return TEXT["locked" if path.exists() else "no_permission"].format(**names)
    return TEXT["os_error"].format(**names)


def refuse_output(parent: QWidget | None, db_path: Path, path: Path, *,
                  report: Path | None = None) -> bool:
    """Whether ``path``, chosen in a save dialog, must not be written: the database, one
    of its files or folders, a backup or a key (:mod:`models.protected_paths`), or the
    ``report`` a letter carries. If so the user is told why, and nothing is done."""
    try:
        refuse_protected_output(db_path, path)
    except ProtectedPathError as error:
        warn(parent, TEXT["error_title"], isolate_paths(error.arabic, error.paths))
        return True
    if report is not None and _same_path(Path(report), path):
        warn(parent, TEXT["error_title"], TEXT["over_report"].format(**shown_names(path)))
        return True
    return False


def isolate_paths(text: str, paths: Sequence[str]) -> str:
    """``text`` with each of ``paths`` (written «path» in it) in a left-to-right isolate,
    so that a path's slashes and dots stay where they are inside the Arabic sentence."""
    for shown in sorted(paths, key=len, reverse=True):
        text = text.replace(f"«{shown}»", f"«\u2066{QDir.toNativeSeparators(shown)}\u2069»")
    return text


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def _failed(parent: QWidget | None, path: Path, error: BaseException) -> None:
    if isinstance(error, OSError) and not isinstance(error, IttisalError):
        warn(parent, TEXT["error_title"], error_message(error, path))
    else:
        show_error(parent, error)


# --- exporting ------------------------------------------------------------------------------

def _work_for(kind: str, path: Path, options: Any) -> Callable[[Progress, Any], Path | Letter]:
    """The background work that writes one document of ``kind`` with ``options`` through
    the registry; a letter's returns the recorded :class:`~models.letters.Letter`."""
    label = TEXT["writing"].format(name=path.name)
    write = registry.get(kind).write

    def work(progress: Progress, db) -> Path | Letter:
        progress.step(0, 0, label)
        written = write(db, options, path, lambda done, total: progress.step(done, total))
        return written.letter if written.letter is not None else written.path
    return work


def export_document(parent: QWidget | None, ctx: AppContext, kind: str, *,
                    activity_id: str | None = None, date_from: str | None = None,
                    date_to: str | None = None, report: Path | None = None,
                    subject: str | None = None, addressee: str | None = None,
                    body: str | None = None, enclosure: str | None = None,
                    include_drafts: bool = False, sections: bool | None = None,
                    **values: Any) -> Task | None:
    """Export one document: ask where, write it in the background, offer to open it.

    ``kind`` is one of :data:`KINDS`; what it needs is given by name: ``activity_id``
    (news, attendance), ``date_from`` and ``date_to`` (ISO; periodic), ``report`` (the
    enclosed report's file, next to which a letter is offered) with ``subject`` (without
    "م/"), ``addressee`` (default: the unit's), ``body`` (default: the usual sentence)
    and ``enclosure`` (how the letter lists the report; default: the report file's own
    description). A periodic report takes ``include_drafts`` (drafts counted and marked
    «مسودة») and ``sections`` (a section per activity; None: by the period). Other
    fields of a kind's options go in ``values``. Returns the running task, or None when
    the user cancelled the save dialog.
    """
    if kind == "letter":
        subject = plain_subject(subject or "")
        if not (report and subject):
            raise ValueError("a letter needs report and subject")
        values["enclosures"] = (enclosure,) if enclosure else ()
    options = registry.make_options(
        kind, activity_id=activity_id, date_from=date_from, date_to=date_to,
        report=Path(report) if report else None, subject=subject, addressee=addressee or None,
        body=body or None, include_drafts=include_drafts, sections=sections, **values)
    return export_options(parent, ctx, kind, options)


def export_options(parent: QWidget | None, ctx: AppContext, kind: str,
                   options: Any) -> Task | None:
    """Export the document of ``kind`` made from ``options`` (the kind's options
    dataclass): ask where, write it in the background, offer to open it (and, for a
    report a letter can carry, to write that letter). None when the user cancelled."""
    declared = registry.get(kind)
    if kind == "letter":
        from ui.missing_settings import confirm_letter

        if not confirm_letter(parent, ctx):  # no unit or nobody to sign: asked first
            return None
    report = getattr(options, "report", None) if registry.REPORT in declared.needs else None
    name = declared.file_name(ctx.db, options, ctx.date_style)
    folder = Path(report).parent if report else last_folder()
    chosen = ask_save_path(parent, TEXT["save_title"].format(kind=declared.name),
                           folder / name)
    if chosen is None:
        return None
    suffixes = declared.suffixes
    path = chosen if chosen.suffix.lower() in suffixes else chosen.with_name(
        chosen.name + Path(name).suffix)
    if refuse_output(parent, ctx.db.path, path, report=report):
        return None
    work = _work_for(kind, path, options)

    def done(result: Path | Letter) -> None:
        written = path if isinstance(result, Letter) else Path(result)
        remember_folder(written.parent)
        number = on_letter = None
        if isinstance(result, Letter):
            number = digits_text(str(result.number), ctx.date_style)  # a name: not grouped
            remember_place(written, result.sha256)
        elif declared.offers_letter:
            offered = declared.letter_subject(ctx.db, options, ctx.date_style)
            described = declared.enclosure(ctx.db, options, ctx.date_style)

            def on_letter() -> None:
                offer_letter(parent, ctx, written, subject=offered, enclosure=described)
        dialog = ExportResultDialog(written, parent, number=number, on_letter=on_letter)
        dialog.open()

    return run_task(parent, work, on_done=done,
                    on_failed=lambda error: _failed(parent, path, error),
                    title=declared.name, db_path=ctx.db.path)
