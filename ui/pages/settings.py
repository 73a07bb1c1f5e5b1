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
the default copy list) are saved with the unit in one transaction, on the same Save
(:func:`models.settings_store.save_settings`): a starting number the outbox refuses shows
its message under the field, and nothing is saved. The reusable pieces (the identity form,
the file choosers) live in :mod:`ui.widgets`.

«الاعتماد» names who approves activities and plans (:mod:`models.approval`); left empty,
the unit's head does, and the field says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from models import approval, attachments, letters, records, settings_store, vocab
from models.dates import DateStyle
from models.errors import IttisalError
from ui.context import AppContext
from ui.formatting import date_text, digits_text
from ui.pages.base import Page
from ui.pages.settings_certificates import CertificateSettings
from ui.widgets.date_edit import CountSpinBox
from ui.widgets.field_errors import FieldMessage, with_message
from ui.widgets.file_choosers import LetterheadChooser, LogoChooser
from ui.widgets.identity_form import UnitIdentityForm

TEXT = {
    "title": "الإعدادات",
    "identity": "هوية الوحدة",
    "files": "الشعار والترويسة",
    "letters": "المراسلات",
    "official": "الكتب الرسمية",
    "dates": "التاريخ والأرقام",
    "no_signature": "لا يوجد توقيع أو ختم",
    "choose_signature": "اختيار صورة التوقيع أو الختم",
    "start": "رقم أول كتاب لسنة {year}",
    "copies": "نسخة منه إلى",
    "copies_hint": "جهة في كل سطر",
    "example": "مثال: {date}",
    "hijri": "يُكتب بجانب التاريخ الميلادي",
    "save": "حفظ",
    "saved": "حُفظت الإعدادات.",
    "save_failed": "تعذّر حفظ الإعدادات",
    "copy_failed": "تعذّر نسخ الملف إلى مجلد البيانات: {reason}",
    "approval": "الاعتماد",
    "approver": "المعتمِد",
    "approver_head": "مدير الوحدة: {name}",
    "approver_none": "اكتب اسم المعتمِد، أو اسم مدير الوحدة في «هوية الوحدة»",
    "approver_note": "يُسجَّل اسمه مع كل نشاط أو مخطط يعتمده، دون كلمة مرور.",
}

BODY_WIDTH = 760  # a form wider than this is hard to read across
START_WIDTH = 160  # a letter number is a few digits, not a line of text


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
        self._loaded_approver = ""

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
        files_form.addRow(records.label(records.Unit, "logo_path"), self.logo.with_error())
        files_form.addRow(records.label(records.Unit, "letterhead_path"),
                          self.letterhead.with_error())
        column.addWidget(files)

        letters = QGroupBox(TEXT["letters"], body)
        letters_form = QFormLayout(letters)
        self.addressee = QLineEdit(letters)
        self.addressee.setObjectName("unit_default_addressee")
        self.addressee_error = FieldMessage(letters)
        letters_form.addRow(records.label(records.Unit, "default_addressee"),
                            with_message(self.addressee, self.addressee_error))
        column.addWidget(letters)

        official = QGroupBox(TEXT["official"], body)
        official.setObjectName("officialLetters")
        official_form = QFormLayout(official)
        self.signature = LogoChooser(official, caption=TEXT["choose_signature"],
                                     empty=TEXT["no_signature"],
                                     preview_name="signaturePreview", kind="signature")
        official_form.addRow(records.label(records.Unit, "signature_path"),
                             self.signature.with_error())
        self.start = CountSpinBox(ctx, official)
        self.start.setObjectName("letterStart")
        self.start.setMinimum(1)
        self.start.setSpecialValueText("")  # every number is a real one here
        self.start.setMaximumWidth(START_WIDTH)
        self.start_label = QLabel(official)
        self.start_error = FieldMessage(official)
        self.start_error.setObjectName("letterStartError")
        official_form.addRow(self.start_label, with_message(self.start, self.start_error))
        self.copies = QPlainTextEdit(official)
        self.copies.setObjectName("letterCopies")
        self.copies.setPlaceholderText(TEXT["copies_hint"])
        self.copies.setTabChangesFocus(True)
        self.copies.setFixedHeight(self.copies.fontMetrics().lineSpacing() * 5 + 12)
        official_form.addRow(TEXT["copies"], self.copies)
        column.addWidget(official)

        approvals = QGroupBox(TEXT["approval"], body)
        approvals.setObjectName("approvalSettings")
        approvals_form = QFormLayout(approvals)
        self.approver = QLineEdit(approvals)
        self.approver.setObjectName("approver")
        self.approver.setMaxLength(200)
        approvals_form.addRow(TEXT["approver"], self.approver)
        note = QLabel(TEXT["approver_note"], approvals)
        note.setWordWrap(True)
        approvals_form.addRow("", note)
        column.addWidget(approvals)

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
        self.approver.textEdited.connect(self._edited)
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
        self._loaded_approver = approval.chosen_approver(self.ctx.db)
        widgets = (self.identity, self.addressee, self.logo, self.letterhead, self.signature,
                   self.start, self.copies, self.approver, self.months, self.digits,
                   self.hijri, self.certificates)
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
            self.approver.setText(self._loaded_approver)
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

    def approver_name(self) -> str:
        """The approver as typed ('' leaves it to the unit's head)."""
        return " ".join(self.approver.text().split())

    def _approver_dirty(self) -> bool:
        return self.approver_name() != self._loaded_approver

    def _unit_dirty(self) -> bool:
        return self._candidate is not None and self._candidate != records.clean(self._loaded)

    def _start_dirty(self) -> bool:
        return self.start.value() != self._loaded_start

    def _copies_dirty(self) -> bool:
        return self.copy_list() != self._loaded_copies

    def is_dirty(self) -> bool:
        """True when the fields differ from what is stored."""
        return (self._unit_dirty() or self._start_dirty() or self._copies_dirty()
                or self._approver_dirty())

    def _start_edited(self) -> None:
        self.start_error.hide()
        self._edited()

    def _edited(self) -> None:
        self._candidate = self.candidate()
        found = records.problems(self._candidate)
        self.identity.show_problems(found)
        self.certificates.show_problems(found)
        self.certificates.show_default_signer(self._candidate)
        self.certificates.refresh()
        addressee = next((p for p in found if p.field == "default_addressee"), None)
        self.addressee_error.set_message(str(addressee) if addressee else "")
        head = self._candidate.head_name.strip()
        self.approver.setPlaceholderText(TEXT["approver_head"].format(name=head) if head
                                         else TEXT["approver_none"])
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
        assert self._candidate is not None and self._loaded is not None
        change = settings_store.SettingsChange(
            unit=self._candidate if self._unit_dirty() else None,
            year=self._year, start=self.start.value() if self._start_dirty() else None,
            copies=self.copy_list() if self._copies_dirty() else None,
            approver=self.approver_name() if self._approver_dirty() else None)
        try:
            saved = settings_store.save_settings(self.ctx.db, change, stored=self._loaded)
        except letters.LetterError as exc:
            self.start_error.set_message(str(exc))
            self.start.setFocus()
            return False
        except OSError as exc:
            QMessageBox.warning(self, TEXT["save_failed"], TEXT["copy_failed"].format(reason=exc))
            return False
        except IttisalError as exc:
            QMessageBox.warning(self, TEXT["save_failed"], str(exc))
            return False
        if saved is not None:
            self.ctx.unit_saved(saved)
        else:
            self.ctx.settings_changed.emit()
        self.load()
        self.status.setText(TEXT["saved"])
        self.saved.emit()
        return True

    def _file(self, stored: str) -> str:
        """The file a stored reference names, for the pickers ("" for none)."""
        return str(attachments.resolve(self.ctx.db.path, stored)) if stored else ""

    # --- page hooks -----------------------------------------------------------------

    def activated(self) -> None:
        if not self.is_dirty():
            self.load()
