"""The "التحقق من شهادة" dialog: is a certificate someone shows genuine?

A person pastes the line a phone reads from the certificate's QR code, or types the short
code printed under it, and presses "تحقق" (or Enter). :func:`models.certificates.verify`
checks it against the register and the unit's public keys, offline. The answer is shown
plainly: a green box with whose certificate it is (name, serial, activity and its dates,
date of issue, revision), or a red box with the reason it is not accepted, in Arabic. A
certificate whose signature is genuine but whose activity is in the recycle bin gets an
amber box of its own: the details, and that the activity was deleted. Serials and codes
are shown left to right.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import certificate_register, certificates
from models.certificates import Verification
from ui.context import AppContext
from ui.formatting import date_text, number_text, range_text
from ui.widgets import theme

__all__ = ["TEXT", "VerifyDialog"]

TEXT = {
    "title": "التحقق من شهادة",
    "intro": "الصق النص الذي يقرؤه الهاتف من رمز QR المطبوع على الشهادة، أو اكتب رمز "
             "التحقق المطبوع تحته (١٠ حروف وأرقام).",
    "placeholder": "نص رمز QR أو رمز التحقق، مثل: ABCDE23456",
    "verify": "تحقق",
    "verify_tip": "التحقق من الشهادة بالتوقيع الرقمي للوحدة (Enter)",
    "close": "إغلاق",
    "genuine": "شهادة صحيحة",
    "genuine_note": "التوقيع الرقمي صحيح، والشهادة مسجّلة في سجل الشهادات.",
    "not_genuine": "الشهادة غير مقبولة",
    "reserved": "التوقيع صحيح، لكن نشاط الشهادة محذوف",
    "holder": "حامل الشهادة:",
    "serial": "الرقم التسلسلي:",
    "activity": "النشاط:",
    "dates": "تاريخ النشاط:",
    "issued": "تاريخ الإصدار:",
    "revision": "المراجعة:",
    "code": "رمز التحقق:",
    "original": "الأصلية، لم يُصحَّح فيها شيء",
    "revised": "{n} (صُحّح الاسم بعد الإصدار؛ هذه هي النسخة السارية)",
}

RLM, LRI, PDI = "\u200f", "\u2066", "\u2069"
MARKS = {True: "✔", False: "✘"}
RESERVED_MARK = "⚠"
GOOD_STYLE = theme.result_style(theme.GOOD, theme.GOOD_BACKGROUND)
BAD_STYLE = theme.result_style(theme.ERROR, theme.ERROR_BACKGROUND)
RESERVED_STYLE = theme.result_style(theme.WARNING, theme.WARNING_BACKGROUND)
DETAILS = ("holder", "serial", "activity", "dates", "issued", "revision", "code")


def _ltr(text: str) -> str:
    """Serials and codes in a label: a left-to-right isolate, read as printed, after a
    right-to-left mark, so the label still counts as right-to-left text and keeps to the
    right like the other values (Qt aligns a label by its text's direction)."""
    return f"{RLM}{LRI}{text}{PDI}" if text else ""


class VerifyDialog(QDialog):
    """Verify a certificate from its QR text or short code; :attr:`result` holds the last
    :class:`~models.certificates.Verification`."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: Verification | None = None
        self.setObjectName("verifyDialog")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["title"])

        intro = QLabel(TEXT["intro"], self)
        intro.setWordWrap(True)
        self.input = QLineEdit(self)
        self.input.setObjectName("verifyInput")
        self.input.setPlaceholderText(TEXT["placeholder"])
        self.input.setClearButtonEnabled(True)
        self.verify_button = QPushButton(TEXT["verify"], self)
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.setToolTip(TEXT["verify_tip"])
        buttons = QDialogButtonBox(self)
        self.close_button = buttons.addButton(TEXT["close"],
                                              QDialogButtonBox.ButtonRole.RejectRole)
        # Enter belongs to the line edit (returnPressed); no button takes it as default.
        for button in (self.verify_button, self.close_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.verify_button.clicked.connect(self.verify)
        self.input.returnPressed.connect(self.verify)
        buttons.rejected.connect(self.reject)

        self.frame = QFrame(self)
        self.frame.setObjectName("verifyResult")
        self.headline = QLabel(self.frame)
        self.headline.setObjectName("verifyHeadline")
        font = QFont(self.headline.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.headline.setFont(font)
        # The mark has a label of its own: first in the row, it stands on the right.
        self.mark = QLabel(self.frame)
        self.mark.setObjectName("verifyMark")
        self.mark.setFont(font)
        self.reason = QLabel(self.frame)
        self.reason.setObjectName("verifyReason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QFormLayout()
        self.details.setLabelAlignment(Qt.AlignmentFlag.AlignLeading)
        self.values: dict[str, QLabel] = {}
        for key in DETAILS:
            value = QLabel(self.frame)
            value.setObjectName(f"verify_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.details.addRow(TEXT[key], value)
        inner = QVBoxLayout(self.frame)
        inner.setContentsMargins(14, 12, 14, 12)
        top = QHBoxLayout()
        top.addWidget(self.mark)
        top.addWidget(self.headline, 1)
        inner.addLayout(top)
        inner.addWidget(self.reason)
        inner.addLayout(self.details)
        self.frame.hide()

        entry = QHBoxLayout()
        entry.addWidget(self.input, 1)
        entry.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(entry)
        layout.addWidget(self.frame)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("م") * 46)
        self.input.setFocus()

    # --- checking -----------------------------------------------------------------------

    def verify(self) -> Verification:
        """Check what the line edit holds and show the answer."""
        self.result = certificates.verify(self.ctx.db, self.input.text())
        self._show(self.result)
        self.input.selectAll()  # the next paste replaces it
        return self.result

    def _show(self, result: Verification) -> None:
        # Genuine signature, activity in the recycle bin: neither the green "genuine" nor
        # the red "forged", and the details stay, so the reader sees which certificate.
        reserved = result.status == "activity_deleted"
        if reserved:
            self.frame.setStyleSheet(RESERVED_STYLE)
            self.headline.setText(TEXT["reserved"])
            self.mark.setText(RESERVED_MARK)
        else:
            self.frame.setStyleSheet(GOOD_STYLE if result.genuine else BAD_STYLE)
            self.headline.setText(TEXT["genuine"] if result.genuine else TEXT["not_genuine"])
            self.mark.setText(MARKS[result.genuine])
        self.reason.setText(TEXT["genuine_note"] if result.genuine else result.reason)
        show = (result.genuine or reserved) and result.certificate is not None
        for key, label in self.values.items():
            label.setText(self._detail(result, key) if show else "")
            label.setVisible(show)
            self.details.labelForField(label).setVisible(show)
        self.frame.show()
        # As tall as the answer needs: a short refusal after a long genuine answer shrinks.
        self.layout().activate()
        self.adjustSize()

    def _detail(self, result: Verification, key: str) -> str:
        cert, activity, style = result.certificate, result.activity, self.ctx.date_style
        if cert is None:
            return ""
        if key == "holder":
            return cert.holder_name
        if key == "serial":
            return _ltr(cert.serial)
        if key == "activity":
            return activity.title if activity else ""
        if key == "dates":
            return range_text(activity.start_date, activity.end_date, style) if activity else ""
        if key == "issued":
            return date_text(certificate_register.issued_on(cert.issued_at), style)
        if key == "revision":
            if not cert.revision:
                return TEXT["original"]
            return TEXT["revised"].format(n=number_text(cert.revision, style))
        if key == "code":
            return _ltr(cert.code)
        return ""
