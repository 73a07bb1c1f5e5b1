"""The question asked before certificates are issued or an official letter is written
while the settings they rely on are missing: «ينقص … — المتابعة على أي حال؟».

A unit that skipped the welcome's identity and optional steps would otherwise print
certificates with no issuer, nobody signing and the serial prefix ``CERT``, or letters with
no unit and no signatory, without a word. The question lists what is missing and offers
to go on, to open the settings page (the action stops), or to cancel.

:func:`ask` shows the box; tests replace it (tests/conftest.py answers "continue").
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from models import records
from models.certificate_style import CertificateStyle, signatories_for
from ui.context import AppContext

TEXT = {
    "title": "إعدادات ناقصة",
    "question": "ينقص {missing} — المتابعة على أي حال؟",
    "details": "يمكن إكمالها في «الإعدادات» (هوية الوحدة، والكتب الرسمية، والشهادات).",
    "issuer": "اسم الجهة المصدرة (الوزارة أو المديرية أو الوحدة)",
    "signatory": "الموقّع (اسم مدير الوحدة أو موقّعو الشهادة)",
    "letter_signatory": "الموقّع (اسم مدير الوحدة)",
    "prefix": "بادئة أرقام الشهادات (ستُرقَّم CERT-…)",
    "continue": "المتابعة",
    "settings": "فتح الإعدادات",
    "cancel": "إلغاء",
    "and": "، و",
}

CONTINUE, SETTINGS, CANCEL = "continue", "settings", "cancel"


def missing_for_certificates(unit: records.Unit,
                             style: CertificateStyle | None = None) -> list[str]:
    """What certificates of ``unit`` (in ``style``) lack, as the question names it."""
    missing = []
    if unit.is_blank:
        missing.append(TEXT["issuer"])
    signers, _by_default = signatories_for(style.signatories if style else [], unit)
    if not signers:
        missing.append(TEXT["signatory"])
    if not unit.certificate_prefix.strip():
        missing.append(TEXT["prefix"])
    return missing


def missing_for_letters(unit: records.Unit) -> list[str]:
    """What an official letter of ``unit`` lacks."""
    missing = []
    if unit.is_blank:
        missing.append(TEXT["issuer"])
    if not unit.head_name.strip():
        missing.append(TEXT["letter_signatory"])
    return missing


def question_box(parent: QWidget | None, missing: list[str]) -> QMessageBox:
    """The question, not shown yet (its buttons named missingContinue,
    missingOpenSettings and the escape button, «إلغاء»)."""
    box = QMessageBox(QMessageBox.Icon.Warning, TEXT["title"],
                      TEXT["question"].format(missing=TEXT["and"].join(missing)),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("missingSettings")
    box.setInformativeText(TEXT["details"])
    go_on = box.addButton(TEXT["continue"], QMessageBox.ButtonRole.AcceptRole)
    go_on.setObjectName("missingContinue")
    settings = box.addButton(TEXT["settings"], QMessageBox.ButtonRole.ActionRole)
    settings.setObjectName("missingOpenSettings")
    cancel = box.addButton(TEXT["cancel"], QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(settings)
    box.setEscapeButton(cancel)
    return box


def ask(parent: QWidget | None, missing: list[str]) -> str:
    """The question box: :data:`CONTINUE`, :data:`SETTINGS` or :data:`CANCEL`."""
    box = question_box(parent, missing)
    box.exec()
    clicked = box.clickedButton()
    name = clicked.objectName() if clicked is not None else ""
    box.deleteLater()
    return {"missingContinue": CONTINUE, "missingOpenSettings": SETTINGS}.get(name, CANCEL)


def confirm(parent: QWidget | None, ctx: AppContext, missing: list[str]) -> bool:
    """True to go on: nothing is missing, or the user chose to go on anyway. «فتح
    الإعدادات» closes ``parent`` if it is a dialog and shows the settings page."""
    if not missing:
        return True
    answer = ask(parent, missing)
    if answer == SETTINGS:
        close = getattr(parent, "reject", None)
        if callable(close) and hasattr(parent, "exec"):
            close()
        ctx.navigate("settings")
    return answer == CONTINUE


def confirm_certificates(parent: QWidget | None, ctx: AppContext,
                         style: CertificateStyle | None) -> bool:
    """Ask before issuing certificates that lack an issuer, a signatory or a prefix."""
    return confirm(parent, ctx, missing_for_certificates(ctx.unit, style))


def confirm_letter(parent: QWidget | None, ctx: AppContext) -> bool:
    """Ask before writing an official letter that lacks the unit or its signatory."""
    return confirm(parent, ctx, missing_for_letters(ctx.unit))
