"""The settings page's "الشهادات" group: the serial prefix (a unit field, saved with the
page), the next serial it gives, and the unit's signing key: its fingerprint (and a
warning when its private key is not on this computer), replacing it (which keeps the old
public key, so certificates already printed still verify), and its encrypted backup and
restore («نسخ المفتاح احتياطياً…», «استرجاع المفتاح…»): ordinary backups never carry the
private key, so the head of unit keeps it this way, under a passphrase of their own
(:mod:`models.key_backup`).

The design and wording of certificates are chosen where they are printed (the activity's
certificates window), which can also save them as the unit's default.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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

from models import certificates, key_backup, records
from models.errors import IttisalError, ValidationError
from ui.certificates.style_editor import default_signer_hint
from ui.context import AppContext
from ui.widgets import open_dialogs
from ui.widgets.field_errors import FieldMessage, with_message
from ui.widgets.theme import ERROR_STYLE

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
    "missing": " — المفتاح الخاص غير موجود على هذا الحاسوب: استرجعه أو استبدله",
    "unusable": " — ملف المفتاح الخاص على هذا الحاسوب لا يصلح للتوقيع: استرجع المفتاح أو "
                "استبدله",
    "backup": "نسخ المفتاح احتياطياً…",
    "backup_tip": "حفظ المفتاح الخاص مشفّراً بكلمة مرور في ملف (على ذاكرة USB مثلاً). "
                  "النسخ الاحتياطية العادية لا تحمله.",
    "backup_title": "نسخ مفتاح التوقيع احتياطياً",
    "backup_intro": ("اختر كلمة مرور لا تقل عن {n} أحرف يُشفَّر بها المفتاح. احفظ الملف وكلمة "
                     "المرور في مكانين منفصلين: لا يمكن استرجاع المفتاح بدون كلمة المرور."),
    "backup_file": "حفظ نسخة مفتاح التوقيع",
    "backup_name": "مفتاح التوقيع.ittisal-key",
    "backup_done": "نُسخ المفتاح (البصمة {fingerprint}) مشفّراً في:\n{path}",
    "backup_failed": "تعذّر نسخ المفتاح",
    "restore": "استرجاع المفتاح…",
    "restore_tip": "إرجاع المفتاح الخاص من نسخته المشفّرة (بعد استرجاع قاعدة البيانات على "
                   "حاسوب جديد مثلاً)",
    "restore_title": "استرجاع مفتاح التوقيع",
    "restore_intro": "اكتب كلمة المرور التي وُضعت عند نسخ المفتاح.",
    "restore_file": "اختيار نسخة مفتاح التوقيع",
    "restore_done": "اُسترجع المفتاح (البصمة {fingerprint})؛ يمكن إصدار الشهادات به الآن.",
    "restore_failed": "تعذّر استرجاع المفتاح",
    "adopt": ("لا مفتاح مسجّلاً لهذه الوحدة في قاعدة البيانات هذه (ربما نسختها الاحتياطية أقدم "
              "من أول شهادة)، فلا يمكن التأكد من أن المفتاح مفتاحها.\n\nهل تعتمده مفتاحاً "
              "للوحدة؟"),
    "file_filter": "نسخة مفتاح اتصال (*.ittisal-key);;كل الملفات (*)",
    "passphrase": "كلمة المرور:",
    "again": "أعد كتابتها:",
}

PREFIX_WIDTH = 160


class PassphraseDialog(QDialog):
    """Asks for a key backup's passphrase, hidden as typed; with ``confirm`` (a backup)
    twice, and OK only once both agree and are long enough."""

    def __init__(self, parent: QWidget | None, title: str, intro: str, *,
                 confirm: bool) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(title)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.confirm = confirm
        text = QLabel(intro, self)
        text.setWordWrap(True)
        self.first = QLineEdit(self)
        self.first.setObjectName("passphrase")
        self.second = QLineEdit(self)
        self.second.setObjectName("passphraseAgain")
        for field in (self.first, self.second):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self._check)
        self.problem = FieldMessage(self)
        self.problem.setObjectName("passphraseProblem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(TEXT["passphrase"], self.first)
        if confirm:
            form.addRow(TEXT["again"], self.second)
        else:
            self.second.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("م") * 36)
        self._check()

    def _check(self) -> None:
        problem = ""
        try:
            key_backup.check_passphrase(self.first.text(),
                                        self.second.text() if self.confirm else None)
        except IttisalError as exc:
            # Said only once something is typed: an empty form is not a mistake yet.
            problem = str(exc) if self.first.text() else ""
            ok = False
        else:
            ok = True
        self.problem.set_message(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def passphrase(self) -> str:
        """What was typed (checked by the OK button)."""
        return self.first.text()


def ask_passphrase(parent: QWidget, title: str, intro: str, *, confirm: bool) -> str | None:
    """The passphrase typed in a :class:`PassphraseDialog`, or None if cancelled."""
    dialog = PassphraseDialog(parent, title, intro, confirm=confirm)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    value = dialog.passphrase() if accepted else None
    dialog.deleteLater()
    return value


def ask_backup_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to write the key backup (the save dialog), or None."""
    name, _ = QFileDialog.getSaveFileName(parent, TEXT["backup_file"], str(suggested),
                                          TEXT["file_filter"])
    return Path(name) if name else None


def ask_restore_path(parent: QWidget) -> Path | None:
    """Which key backup to restore (the open dialog), or None."""
    name = open_dialogs.open_file_name(parent, "backup", TEXT["restore_file"],
                                       TEXT["file_filter"])
    return Path(name) if name else None


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
        self.prefix_error = FieldMessage(self)
        self.prefix_error.setObjectName("prefixError")
        form.addRow(records.label(records.Unit, "certificate_prefix"),
                    with_message(prefix_row, self.prefix_error))
        self.default_signer = FieldMessage(self, hint=True)
        self.default_signer.setObjectName("defaultSignerHint")
        form.addRow("", self.default_signer)

        self.key = QLabel(self)
        self.key.setObjectName("keyFingerprint")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.replace_button = QPushButton(TEXT["replace"], self)
        self.replace_button.setObjectName("replaceKey")
        self.replace_button.clicked.connect(self.replace_key)
        self.backup_button = QPushButton(TEXT["backup"], self)
        self.backup_button.setObjectName("backupKey")
        self.backup_button.setToolTip(TEXT["backup_tip"])
        self.backup_button.clicked.connect(self.backup_key)
        self.restore_button = QPushButton(TEXT["restore"], self)
        self.restore_button.setObjectName("restoreKey")
        self.restore_button.setToolTip(TEXT["restore_tip"])
        self.restore_button.clicked.connect(self.restore_key)
        key_row = QWidget(self)
        column = QVBoxLayout(key_row)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.key)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addWidget(self.replace_button)
        row.addStretch(1)
        column.addLayout(row)
        form.addRow(TEXT["key"], key_row)

    def show_problems(self, found: list[ValidationError]) -> None:
        """Show the prefix's message, if the page's validation found one."""
        problem = next((p for p in found if p.field == "certificate_prefix"), None)
        self.prefix_error.set_message(str(problem) if problem else "")

    def show_default_signer(self, unit: records.Unit) -> None:
        """Say who signs certificates that set no signatory: the head as typed above."""
        self.default_signer.set_message(default_signer_hint(unit))

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
        state = certificates.key_state(self.ctx.db)
        self.backup_button.setEnabled(state.status == "ok")
        if state.current is None:
            self.key.setText(TEXT["no_key"])
            self.key.setStyleSheet("")
            return
        text = TEXT["fingerprint"].format(
            fingerprint=f"\u2066{certificates.fingerprint(state.current)}\u2069")
        if state.keys > 1:
            text += TEXT["old_keys"].format(n=state.keys - 1)
        if state.status != "ok":
            text += TEXT["missing" if state.status == "missing" else "unusable"]
        self.key.setText(text)
        self.key.setStyleSheet("" if state.status == "ok" else ERROR_STYLE)

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

    def backup_key(self) -> Path | None:
        """Ask for a passphrase (twice) and a file; write the key there, encrypted."""
        passphrase = ask_passphrase(self, TEXT["backup_title"], TEXT["backup_intro"].format(
            n=key_backup.MIN_PASSPHRASE), confirm=True)
        if passphrase is None:
            return None
        target = ask_backup_path(self, Path.home() / TEXT["backup_name"])
        if target is None:
            return None
        try:
            written = key_backup.write_backup(self.ctx.db, target, passphrase)
        except IttisalError as exc:
            QMessageBox.warning(self, TEXT["backup_failed"], str(exc))
            return None
        state = certificates.key_state(self.ctx.db)
        QMessageBox.information(self, TEXT["backup_title"], TEXT["backup_done"].format(
            fingerprint=certificates.fingerprint(state.current or {}), path=written))
        return written

    def restore_key(self) -> bool:
        """Ask for a key backup and its passphrase; put the key back for the unit."""
        source = ask_restore_path(self)
        if source is None:
            return False
        passphrase = ask_passphrase(self, TEXT["restore_title"], TEXT["restore_intro"],
                                    confirm=False)
        if passphrase is None:
            return False
        # A database that knows no key of its unit cannot check the key: the user says.
        adopt = certificates.key_state(self.ctx.db).status == "none"
        if adopt and QMessageBox.question(
                self, TEXT["restore_title"], TEXT["adopt"],
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return False
        try:
            done = key_backup.restore(self.ctx.db, source, passphrase, new_pc=adopt)
        except IttisalError as exc:
            QMessageBox.warning(self, TEXT["restore_failed"], str(exc))
            return False
        self.refresh()
        QMessageBox.information(self, TEXT["restore_title"], TEXT["restore_done"].format(
            fingerprint=certificates.fingerprint({"id": done.key_id})))
        return True
