"""Settings → Certificates: the signing key's encrypted backup and restore, through the
buttons, the passphrase dialog and the message boxes a user sees."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox

from models import attendance, certificates, key_backup, records, store
from tests.test_ui_date_edit import answer_modal
from ui.pages import settings_certificates
from ui.pages.settings_certificates import PassphraseDialog

PASSPHRASE = "سر الوحدة 2026"


@pytest.fixture
def group(settings_page, db, workshop):
    person = store.insert(db, records.Person(full_name="زينب علي حسين"))
    attendance.add(db, workshop.id, person.id)
    certificates.issue(db, person.id, workshop.id)
    settings_page.certificates.refresh()
    return settings_page.certificates


def type_into(field: QLineEdit, text: str) -> None:
    field.clear()
    field.insert(text)


def ok_button(dialog: PassphraseDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_backup_asks_the_passphrase_twice_hidden_and_writes_it_encrypted(
        qtbot, group, db, tmp_path, monkeypatch):
    target = tmp_path / "usb" / "مفتاح.ittisal-key"
    monkeypatch.setattr(settings_certificates, "ask_backup_path", lambda _p, _s: target)
    seen: dict[str, object] = {}

    def answer(dialog: PassphraseDialog) -> None:
        seen["modes"] = (dialog.first.echoMode(), dialog.second.echoMode())
        seen["second_shown"] = dialog.second.isVisible()
        type_into(dialog.first, "قصير")
        seen["short"] = (ok_button(dialog).isEnabled(), dialog.problem.text())
        type_into(dialog.first, PASSPHRASE)
        type_into(dialog.second, PASSPHRASE + "x")
        seen["mismatch"] = (ok_button(dialog).isEnabled(), dialog.problem.text())
        type_into(dialog.second, PASSPHRASE)
        seen["ok"] = ok_button(dialog).isEnabled()
        answer_modal(lambda box: (seen.setdefault("done", box.text()), box.accept()),
                     QMessageBox)
        ok_button(dialog).click()

    answer_modal(answer, PassphraseDialog)
    qtbot.mouseClick(group.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "done" in seen)
    assert seen["modes"] == (QLineEdit.EchoMode.Password, QLineEdit.EchoMode.Password)
    assert seen["second_shown"]
    assert seen["short"][0] is False and "قصيرة" in seen["short"][1]
    assert seen["mismatch"] == (False, "كلمتا المرور غير متطابقتين.")
    assert seen["ok"] is True
    assert str(target) in seen["done"]
    read = key_backup.read_backup(target, PASSPHRASE)
    assert read.key_id == certificates.key_state(db).current["id"]
    assert b"BEGIN PRIVATE KEY" not in target.read_bytes()


def test_restore_brings_back_a_missing_key_and_a_wrong_passphrase_says_so(
        qtbot, group, db, tmp_path, monkeypatch):
    written = key_backup.write_backup(db, tmp_path / "k.ittisal-key", PASSPHRASE)
    certificates.private_key_path(db).unlink()  # a database restored on a new computer
    group.refresh()
    assert "غير موجود على هذا الحاسوب" in group.key.text()
    assert not group.backup_button.isEnabled()
    monkeypatch.setattr(settings_certificates, "ask_restore_path", lambda _p: written)
    seen: list[str] = []

    def answer_with(passphrase: str):
        def answer(dialog: PassphraseDialog) -> None:
            assert not dialog.second.isVisible()  # asked once for a restore
            assert dialog.first.echoMode() == QLineEdit.EchoMode.Password
            type_into(dialog.first, passphrase)
            answer_modal(lambda box: (seen.append(box.text()), box.accept()), QMessageBox)
            ok_button(dialog).click()
        return answer

    answer_modal(answer_with(PASSPHRASE + " خطأ"), PassphraseDialog)
    qtbot.mouseClick(group.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert "كلمة المرور غير صحيحة" in seen[0]
    assert certificates.key_state(db).status == "missing"

    answer_modal(answer_with(PASSPHRASE), PassphraseDialog)
    qtbot.mouseClick(group.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert "اُسترجع المفتاح" in seen[1]
    assert certificates.key_state(db).status == "ok"
    assert "غير موجود" not in group.key.text() and group.backup_button.isEnabled()
