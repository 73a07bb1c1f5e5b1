"""The settings page's "الشهادات" group: the serial prefix (a unit field, saved with the
page), the next serial it gives, and the unit's signing key: its fingerprint, and
replacing it (which keeps the old public key, so certificates already printed still
verify).

The design and wording of certificates are chosen where they are printed (the activity's
certificates window), which can also save them as the unit's default.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import certificates, records
from models.errors import IttisalError, ValidationError
from ui.context import AppContext

TEXT = {
    "group": "الشهادات",
    "next": "رقم أول شهادة تُصدر الآن: {serial}",
    "prefix_hint": "مثل KRB؛ تتبعه السنة ثم الرقم",
    "key": "مفتاح التوقيع الرقمي",
    "fingerprint": "البصمة: {fingerprint}",
    "old_keys": " (ومعه {n} مفتاح سابق للتحقق من الشهادات القديمة)",
    "no_key": "لم يُنشأ بعد؛ يُنشأ عند إصدار أول شهادة.",
    "replace": "استبدال المفتاح…",
    "replace_title": "استبدال مفتاح التوقيع",
    "replace_question": (
        "يُنشأ مفتاح توقيع جديد للوحدة وتوقَّع به الشهادات من الآن. تبقى الشهادات المطبوعة "
        "سابقاً قابلة للتحقق، لأن المفتاح العام القديم يُحفظ.\n\nاستبدل المفتاح إذا ظننت أن "
        "ملف المفتاح الخاص نُسخ أو سُرّب. هل تريد المتابعة؟"),
    "replaced": "أُنشئ مفتاح جديد، بصمته: {fingerprint}",
    "failed": "تعذّر استبدال المفتاح",
}

PREFIX_WIDTH = 160
ERROR_STYLE = "color: #b3261e;"


class CertificateSettings(QGroupBox):
    """Prefix, next serial, and the signing key, for the settings page."""

    #: The prefix was edited (the page re-validates and enables Save).
    edited = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(TEXT["group"], parent)
        self.ctx = ctx
        self.setObjectName("certificateSettings")
        form = QFormLayout(self)
        self.prefix = QLineEdit(self)
        self.prefix.setObjectName("unit_certificate_prefix")
        self.prefix.setPlaceholderText(TEXT["prefix_hint"])
        self.prefix.setMaximumWidth(PREFIX_WIDTH)
        self.prefix.textEdited.connect(self.edited)
        self.next_serial = QLabel(self)
        self.next_serial.setObjectName("nextSerial")
        prefix_row = QWidget(self)
        row = QHBoxLayout(prefix_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.prefix)
        row.addWidget(self.next_serial, 1)
        self.prefix_error = QLabel(self)
        self.prefix_error.setObjectName("prefixError")
        self.prefix_error.setStyleSheet(ERROR_STYLE)
        self.prefix_error.hide()
        cell = QWidget(self)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(prefix_row)
        column.addWidget(self.prefix_error)
        form.addRow(records.label(records.Unit, "certificate_prefix"), cell)

        self.key = QLabel(self)
        self.key.setObjectName("keyFingerprint")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.replace_button = QPushButton(TEXT["replace"], self)
        self.replace_button.setObjectName("replaceKey")
        self.replace_button.clicked.connect(self.replace_key)
        key_row = QWidget(self)
        row = QHBoxLayout(key_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.key, 1)
        row.addWidget(self.replace_button)
        form.addRow(TEXT["key"], key_row)

    def show_problems(self, found: list[ValidationError]) -> None:
        """Show the prefix's message, if the page's validation found one."""
        problem = next((p for p in found if p.field == "certificate_prefix"), None)
        self.prefix_error.setText(str(problem) if problem else "")
        self.prefix_error.setVisible(problem is not None)

    def set_prefix(self, prefix: str) -> None:
        """Show the stored prefix (without signalling an edit)."""
        self.prefix.setText(prefix)
        self.refresh()

    def refresh(self, candidate_prefix: str | None = None) -> None:
        """Show the serial the next certificate would get with the typed prefix, and the
        key's fingerprint."""
        prefix = self.prefix.text() if candidate_prefix is None else candidate_prefix
        serial = certificates.next_serial(self.ctx.db, dt.date.today().year)
        number = serial.rsplit("-", 2)
        shown_prefix = certificates.clean_prefix(prefix)
        self.next_serial.setText(TEXT["next"].format(
            serial=f"\u2066{shown_prefix}-{number[-2]}-{number[-1]}\u2069"))
        keys = certificates.public_keys(self.ctx.db)
        current = [k for k in keys if not k.get("replaced_at")]
        if not current:
            self.key.setText(TEXT["no_key"])
            return
        text = TEXT["fingerprint"].format(
            fingerprint=f"\u2066{certificates.fingerprint(current[-1])}\u2069")
        if len(keys) > 1:
            text += TEXT["old_keys"].format(n=len(keys) - 1)
        self.key.setText(text)

    def replace_key(self) -> None:
        """Ask, then make a new key pair (the old public key stays for verification)."""
        answer = QMessageBox.question(self, TEXT["replace_title"], TEXT["replace_question"],
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            certificates.replace_key(self.ctx.db)
        except IttisalError as exc:
            QMessageBox.warning(self, TEXT["failed"], str(exc))
            return
        self.refresh()
        current = [k for k in certificates.public_keys(self.ctx.db) if not k.get("replaced_at")]
        QMessageBox.information(self, TEXT["replace_title"], TEXT["replaced"].format(
            fingerprint=certificates.fingerprint(current[-1])))
