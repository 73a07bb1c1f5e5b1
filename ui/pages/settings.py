"""The settings page: the unit's identity, logo and letterhead, addressee, official
letters (signature or seal, the year's first number, the default copy list), date style.

Everything here is stored in the database (``ctx.save_unit``), so it travels with the
data. Validation messages come from :func:`models.records.problems` and sit under their
field; Save stays disabled while anything is wrong or nothing changed; Ctrl+S saves.

The logo and the letterhead are copied into the data folder (``attachments/`` beside
the database, named by their SHA-256) when saved, so the unit keeps them even if the
original file is moved or the USB stick is gone; the unit stores the copy's path. The
logo goes through :func:`models.attachments.keep_image` (checked like any photo, decoded in
full); the letterhead, not an image, through :func:`models.attachments.keep_letterhead`
(checked as untrusted input; :func:`exporters.rtl.check_letterhead` when it is chosen). A
refused file is said under its field as soon as it is chosen, and nothing of it is kept.
Both are stored relative to the database's folder, so they travel with it. The scanned
signature or seal is an image kept like the logo.

The official-letter settings that are not part of the unit (the year's first number and
the default copy list) go through :mod:`models.letters` in the same transaction as the
unit, on the same Save: a starting number the outbox refuses shows its message under the
field, and nothing is saved.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models import attachments, letters, records, vocab
from models.dates import DateStyle
from models.errors import IttisalError, ValidationError
from ui.context import AppContext
from ui.formatting import date_text, digits_text
from ui.pages.base import Page
from ui.pages.settings_certificates import CertificateSettings
from ui.widgets.date_edit import CountSpinBox

TEXT = {
    "title": "الإعدادات",
    "identity": "هوية الوحدة",
    "state_hint": "السطر الأول في كل وثيقة (الترويسة والكتب والشهادات)، مثل «جمهورية العراق» "
                  "أو «مملكة البحرين». اتركه فارغاً إن لم يكن للوثائق سطر دولة.",
    "state_empty": "بلا سطر للدولة",
    "files": "الشعار والترويسة",
    "letters": "المراسلات",
    "official": "الكتب الرسمية",
    "dates": "التاريخ والأرقام",
    "choose": "اختيار…",
    "remove": "إزالة",
    "no_logo": "لا يوجد شعار",
    "no_letterhead": "لا توجد ترويسة؛ تُكتب الترويسة من هوية الوحدة.",
    "choose_logo": "اختيار شعار الوحدة",
    "choose_letterhead": "اختيار ملف الترويسة",
    "no_signature": "لا يوجد توقيع أو ختم",
    "choose_signature": "اختيار صورة التوقيع أو الختم",
    "start": "رقم أول كتاب لسنة {year}",
    "copies": "نسخة منه إلى",
    "copies_hint": "جهة في كل سطر",
    "image_filter": "صور (*.png *.jpg *.jpeg *.bmp *.gif *.webp)",
    "docx_filter": "مستند Word (*.docx)",
    "bad_docx": "الملف «{name}» ليس مستند Word من نوع docx.",
    "missing": "الملف غير موجود: {path}",
    "example": "مثال: {date}",
    "hijri": "يُكتب بجانب التاريخ الميلادي",
    "save": "حفظ",
    "saved": "حُفظت الإعدادات.",
    "save_failed": "تعذّر حفظ الإعدادات",
    "copy_failed": "تعذّر نسخ الملف إلى مجلد البيانات: {reason}",
}

# The identity fields, in the order a letterhead reads them: the state line first.
IDENTITY_FIELDS = ("state", "ministry", "directorate", "name", "city", "head_name", "head_title",
                   "coordinator_name", "coordinator_title")
LOGO_PREVIEW = 96
BODY_WIDTH = 760  # a form wider than this is hard to read across
ERROR_STYLE = "color: #b3261e;"
START_WIDTH = 160  # a letter number is a few digits, not a line of text


def error_label(parent: QWidget) -> QLabel:
    """A red message line under a field, hidden while the field is fine."""
    label = QLabel(parent)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
    label.hide()
    return label


def with_error(editor: QWidget, error: QLabel) -> QWidget:
    """The editor with its message line under it, as one form cell."""
    cell = QWidget(editor.parentWidget())
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(editor)
    box.addWidget(error)
    return cell


class UnitIdentityForm(QWidget):
    """The unit's names and titles, one line each, with their validation messages.

    Used by the settings page and by the welcome dialog.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for name in IDENTITY_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"unit_{name}")
            edit.textEdited.connect(self.edited)
            self.edits[name] = edit
            self.errors[name] = error_label(self)
            if name == "state":
                edit.setToolTip(TEXT["state_hint"])
                edit.setPlaceholderText(TEXT["state_empty"])
            form.addRow(records.label(records.Unit, name), with_error(edit, self.errors[name]))

    def set_unit(self, unit: records.Unit) -> None:
        """Show a unit's identity."""
        for name, edit in self.edits.items():
            edit.setText(getattr(unit, name))

    def values(self) -> dict[str, str]:
        """What the fields hold, by field name."""
        return {name: edit.text() for name, edit in self.edits.items()}

    def show_problems(self, found: list[ValidationError]) -> None:
        """Put each message under its field; clear the others."""
        messages = {p.field: str(p) for p in found}
        for name, label in self.errors.items():
            label.setText(messages.get(name, ""))
            label.setVisible(name in messages)


class FileChooser(QWidget):
    """A chosen file's name with Choose and Remove buttons (logo, letterhead)."""

    changed = Signal()

    def __init__(self, caption: str, file_filter: str, empty: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption, self.file_filter, self.empty = caption, file_filter, empty
        self.path = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.name = QLabel(empty, self)
        self.name.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.choose_button = QPushButton(TEXT["choose"], self)
        self.remove_button = QPushButton(TEXT["remove"], self)
        self.choose_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(lambda: self.set_path(""))
        row.addWidget(self.name)
        row.addWidget(self.choose_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.error = error_label(self)

    def set_path(self, path: str, *, quiet: bool = False) -> None:
        """Show ``path`` ("" for none)."""
        self.path = path
        self.name.setText(Path(path).name if path else self.empty)
        self.name.setToolTip(path)
        self.remove_button.setEnabled(bool(path))
        self.error.hide()
        if not quiet:
            self.changed.emit()

    def choose(self) -> None:
        """Ask for a file, check it, and take it."""
        path, _ = QFileDialog.getOpenFileName(self, self.caption, "", self.file_filter)
        if path:
            self.take(path)

    def take(self, path: str) -> bool:
        """Take ``path`` if it is acceptable; otherwise show why under the field."""
        problem = self.problem(Path(path))
        if problem:
            self.error.setText(problem)
            self.error.show()
            return False
        self.set_path(path)
        return True

    def problem(self, path: Path) -> str | None:
        """Why ``path`` cannot be used, or None."""
        if not path.is_file():
            return TEXT["missing"].format(path=path)
        return None


class LogoChooser(FileChooser):
    """An image of the unit, not too big, with a preview: the logo, or (with its own
    caption, empty text and preview name) the scanned signature or seal."""

    def __init__(self, parent: QWidget | None = None, *, caption: str = TEXT["choose_logo"],
                 empty: str = TEXT["no_logo"], preview_name: str = "logoPreview") -> None:
        super().__init__(caption, TEXT["image_filter"], empty, parent)
        self.preview = QLabel(self)
        self.preview.setObjectName(preview_name)
        self.preview.setFixedSize(LOGO_PREVIEW, LOGO_PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.layout().insertWidget(0, self.preview)

    def set_path(self, path: str, *, quiet: bool = False) -> None:
        super().set_path(path, quiet=quiet)
        pixmap = QPixmap(path) if path and Path(path).is_file() else QPixmap()
        if pixmap.isNull():
            self.preview.clear()
        else:
            self.preview.setPixmap(pixmap.scaled(
                LOGO_PREVIEW - 4, LOGO_PREVIEW - 4, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def problem(self, path: Path) -> str | None:
        found = super().problem(path)
        if found:
            return found
        try:  # the photos' rules: an image by its first bytes, not too big
            attachments.check_image(path)
        except IttisalError as exc:
            return str(exc)
        return None


class LetterheadChooser(FileChooser):
    """An optional letterhead: a .docx whose header the letters reuse."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(TEXT["choose_letterhead"], TEXT["docx_filter"], TEXT["no_letterhead"],
                         parent)

    def problem(self, path: Path) -> str | None:
        found = super().problem(path)
        if found:
            return found
        if path.suffix.lower() != ".docx":
            return TEXT["bad_docx"].format(name=path.name)
        from exporters.rtl import check_letterhead

        try:  # a damaged or hostile file is refused now, not at the next export
            check_letterhead(path)
        except IttisalError as exc:
            return str(exc)
        return None


class SettingsPage(Page):
    """The unit's identity and preferences, edited and saved in the database."""

    key = "settings"
    title = TEXT["title"]

    #: The settings were saved.
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.today = dt.date.today
        self._loaded: records.Unit | None = None
        self._candidate: records.Unit | None = None
        self._year = self.today().year
        self._loaded_start = 1
        self._loaded_copies: list[str] = []

        body = QWidget(self)
        column = QVBoxLayout(body)

        identity = QGroupBox(TEXT["identity"], body)
        self.identity = UnitIdentityForm(identity)
        QVBoxLayout(identity).addWidget(self.identity)
        column.addWidget(identity)

        files = QGroupBox(TEXT["files"], body)
        files_form = QFormLayout(files)
        self.logo = LogoChooser(files)
        self.letterhead = LetterheadChooser(files)
        files_form.addRow(records.label(records.Unit, "logo_path"),
                          with_error(self.logo, self.logo.error))
        files_form.addRow(records.label(records.Unit, "letterhead_path"),
                          with_error(self.letterhead, self.letterhead.error))
        column.addWidget(files)

        letters = QGroupBox(TEXT["letters"], body)
        letters_form = QFormLayout(letters)
        self.addressee = QLineEdit(letters)
        self.addressee.setObjectName("unit_default_addressee")
        self.addressee_error = error_label(letters)
        letters_form.addRow(records.label(records.Unit, "default_addressee"),
                            with_error(self.addressee, self.addressee_error))
        column.addWidget(letters)

        official = QGroupBox(TEXT["official"], body)
        official.setObjectName("officialLetters")
        official_form = QFormLayout(official)
        self.signature = LogoChooser(official, caption=TEXT["choose_signature"],
                                     empty=TEXT["no_signature"],
                                     preview_name="signaturePreview")
        official_form.addRow(records.label(records.Unit, "signature_path"),
                             with_error(self.signature, self.signature.error))
        self.start = CountSpinBox(ctx, official)
        self.start.setObjectName("letterStart")
        self.start.setMinimum(1)
        self.start.setSpecialValueText("")  # every number is a real one here
        self.start.setMaximumWidth(START_WIDTH)
        self.start_label = QLabel(official)
        self.start_error = error_label(official)
        self.start_error.setObjectName("letterStartError")
        official_form.addRow(self.start_label, with_error(self.start, self.start_error))
        self.copies = QPlainTextEdit(official)
        self.copies.setObjectName("letterCopies")
        self.copies.setPlaceholderText(TEXT["copies_hint"])
        self.copies.setTabChangesFocus(True)
        self.copies.setFixedHeight(self.copies.fontMetrics().lineSpacing() * 5 + 12)
        official_form.addRow(TEXT["copies"], self.copies)
        column.addWidget(official)

        self.certificates = CertificateSettings(ctx, body)
        column.addWidget(self.certificates)

        dates = QGroupBox(TEXT["dates"], body)
        dates_form = QFormLayout(dates)
        self.months = self._combo(vocab.MONTH_STYLES, dates, "months")
        self.digits = self._combo(vocab.DIGIT_STYLES, dates, "digits")
        self.hijri = QCheckBox(TEXT["hijri"], dates)
        self.hijri.setObjectName("unit_hijri")
        self.example = QLabel(dates)
        self.example.setObjectName("dateExample")
        dates_form.addRow(records.label(records.Unit, "months"), self.months)
        dates_form.addRow(records.label(records.Unit, "digits"), self.digits)
        dates_form.addRow(records.label(records.Unit, "hijri"), self.hijri)
        dates_form.addRow("", self.example)
        column.addWidget(dates)
        column.addStretch(1)

        body.setMaximumWidth(BODY_WIDTH)
        holder = QWidget(self)
        holder_row = QHBoxLayout(holder)
        holder_row.addWidget(body)
        holder_row.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(holder)

        buttons = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("settingsStatus")
        self.save_button = QPushButton(TEXT["save"], self)
        self.save_button.setObjectName("saveSettings")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)

        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)

        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)

        self.identity.edited.connect(self._edited)
        self.addressee.textEdited.connect(self._edited)
        self.logo.changed.connect(self._edited)
        self.letterhead.changed.connect(self._edited)
        self.signature.changed.connect(self._edited)
        self.start.valueChanged.connect(self._start_edited)
        self.copies.textChanged.connect(self._edited)
        self.months.currentIndexChanged.connect(self._edited)
        self.digits.currentIndexChanged.connect(self._edited)
        self.hijri.toggled.connect(self._edited)
        self.certificates.edited.connect(self._edited)
        ctx.settings_changed.connect(self._settings_changed)
        self.load()

    def _combo(self, options: dict[str, str], parent: QWidget, name: str) -> QComboBox:
        combo = QComboBox(parent)
        combo.setObjectName(f"unit_{name}")
        for key, label in options.items():
            combo.addItem(label, key)
        return combo

    # --- state ----------------------------------------------------------------------

    def load(self) -> None:
        """Show the stored settings, dropping unsaved edits."""
        unit = self.ctx.unit
        self._loaded = unit
        self._year = self.today().year
        self._loaded_start = letters.start_number(self.ctx.db, self._year)
        self._loaded_copies = letters.default_copies(self.ctx.db)
        widgets = (self.identity, self.addressee, self.logo, self.letterhead, self.signature,
                   self.start, self.copies, self.months, self.digits, self.hijri,
                   self.certificates)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.identity.set_unit(unit)
            self.addressee.setText(unit.default_addressee)
            self.logo.set_path(self._file(unit.logo_path), quiet=True)
            self.letterhead.set_path(self._file(unit.letterhead_path), quiet=True)
            self.signature.set_path(self._file(unit.signature_path), quiet=True)
            self.start.setValue(self._loaded_start)
            self.copies.setPlainText("\n".join(self._loaded_copies))
            self.months.setCurrentIndex(max(0, self.months.findData(unit.months)))
            self.digits.setCurrentIndex(max(0, self.digits.findData(unit.digits)))
            self.hijri.setChecked(unit.hijri)
            self.certificates.set_prefix(unit.certificate_prefix)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.start_label.setText(TEXT["start"].format(
            year=digits_text(str(self._year), self.ctx.date_style)))
        self.start_error.hide()
        self._edited()
        self.status.clear()

    def candidate(self) -> records.Unit:
        """The unit as the page's fields describe it (cleaned, not yet saved)."""
        assert self._loaded is not None
        values = self.identity.values()
        values.update(
            default_addressee=self.addressee.text(),
            logo_path=self.logo.path,
            letterhead_path=self.letterhead.path,
            signature_path=self.signature.path,
            months=self.months.currentData(),
            digits=self.digits.currentData(),
            hijri=self.hijri.isChecked(),
            certificate_prefix=self.certificates.prefix.text(),
        )
        return records.clean(dataclasses.replace(self._loaded, **values))

    def copy_list(self) -> list[str]:
        """The default copy list as typed, one entry a line, blank lines dropped."""
        return [line.strip() for line in self.copies.toPlainText().splitlines()
                if line.strip()]

    def _unit_dirty(self) -> bool:
        return self._candidate is not None and self._candidate != records.clean(self._loaded)

    def _start_dirty(self) -> bool:
        return self.start.value() != self._loaded_start

    def _copies_dirty(self) -> bool:
        return self.copy_list() != self._loaded_copies

    def is_dirty(self) -> bool:
        """True when the fields differ from what is stored."""
        return self._unit_dirty() or self._start_dirty() or self._copies_dirty()

    def _start_edited(self) -> None:
        self.start_error.hide()
        self._edited()

    def _edited(self) -> None:
        self._candidate = self.candidate()
        found = records.problems(self._candidate)
        self.identity.show_problems(found)
        self.certificates.show_problems(found)
        self.certificates.refresh()
        addressee = next((p for p in found if p.field == "default_addressee"), None)
        self.addressee_error.setText(str(addressee) if addressee else "")
        self.addressee_error.setVisible(addressee is not None)
        self.save_button.setEnabled(not found and self.is_dirty())
        self.example.setText(TEXT["example"].format(date=date_text(self.today(), DateStyle(
            months=self._candidate.months, digits=self._candidate.digits,
            hijri=self._candidate.hijri))))
        if self.is_dirty():
            self.status.clear()

    def _settings_changed(self) -> None:
        if not self.is_dirty():
            self.load()

    # --- actions --------------------------------------------------------------------

    def save(self) -> bool:
        """Store the settings (Ctrl+S); True when they were saved."""
        self._edited()
        if not self.save_button.isEnabled():
            return False
        unit = self._candidate
        assert unit is not None and self._loaded is not None
        db = self.ctx.db
        try:
            unit = dataclasses.replace(
                unit, logo_path=self._kept(unit.logo_path, self._loaded.logo_path, image=True),
                letterhead_path=self._kept(unit.letterhead_path, self._loaded.letterhead_path,
                                           image=False),
                signature_path=self._kept(unit.signature_path, self._loaded.signature_path,
                                          image=True))
            with db.atomic():  # all of the page lands, or none of it
                if self._start_dirty():
                    try:
                        letters.set_start(db, self._year, self.start.value())
                    except letters.LetterError as exc:
                        self.start_error.setText(str(exc))
                        self.start_error.show()
                        raise
                if self._copies_dirty():
                    letters.set_default_copies(db, self.copy_list())
                if self._unit_dirty():
                    self.ctx.save_unit(unit)
                else:
                    self.ctx.settings_changed.emit()
        except letters.LetterError:
            self.start.setFocus()
            return False
        except OSError as exc:
            QMessageBox.warning(self, TEXT["save_failed"], TEXT["copy_failed"].format(reason=exc))
            return False
        except IttisalError as exc:
            QMessageBox.warning(self, TEXT["save_failed"], str(exc))
            return False
        self.load()
        self.status.setText(TEXT["saved"])
        self.saved.emit()
        return True

    def _file(self, stored: str) -> str:
        """The file a stored reference names, for the pickers ("" for none)."""
        return str(attachments.resolve(self.ctx.db.path, stored)) if stored else ""

    def _kept(self, path: str, stored: str, *, image: bool) -> str:
        """A newly chosen file, copied into the data folder, as the database names it
        (relative to the database's folder); unchanged files as they were stored."""
        if not path:
            return ""
        if path == self._file(stored):
            return stored
        keep = attachments.keep_image if image else attachments.keep_letterhead
        return keep(self.ctx.db.path, path)

    # --- page hooks -----------------------------------------------------------------

    def activated(self) -> None:
        if not self.is_dirty():
            self.load()
