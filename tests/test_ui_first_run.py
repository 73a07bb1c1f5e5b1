"""First run: the welcome (identity, then the optional logo, signature and prefix; or demo
data, marked so that they can be removed), and the question asked before certificates or
letters whose settings are missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox, QPushButton

from demo import removal
from models import attachments, attendance, records, store
from models.unit_mode import is_fresh
from tests.conftest import karbala_workshop
from tests.test_ui_date_edit import answer_modal
from tests.test_ui_welcome import type_text
from ui import missing_settings
from ui.certificates.dialog import CertificatesDialog
from ui.welcome import DEMO_ACTIVITIES, WelcomeDialog

REAL_ASK = missing_settings.ask  # as imported, before tests/conftest.py answers for it


def image(path: Path, color: str) -> Path:
    picture = QImage(240, 120, QImage.Format.Format_RGB32)
    picture.fill(QColor(color))
    assert picture.save(str(path))
    return path


@pytest.fixture
def welcome(qtbot, ctx):
    dialog = WelcomeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_identity_then_logo_signature_and_prefix_are_saved(qtbot, welcome, ctx, db, tmp_path):
    qtbot.mouseClick(welcome.identity_button, Qt.MouseButton.LeftButton)
    assert not welcome.next_button.isEnabled()
    type_text(welcome.identity.edits["directorate"], "مديرية تربية كربلاء")
    type_text(welcome.identity.edits["name"], "شعبة الإعلام")
    type_text(welcome.identity.edits["head_name"], "علي حسين الموسوي")
    type_text(welcome.identity.edits["head_title"], "مدير الشعبة")
    assert welcome.identity.edits["state"].text() == "جمهورية العراق"  # the state line
    qtbot.mouseClick(welcome.next_button, Qt.MouseButton.LeftButton)
    assert welcome.pages.currentIndex() == 2
    assert welcome.signer.text() == ("يوقّع الشهادات والكتب افتراضياً مدير الوحدة: "
                                     "مدير الشعبة علي حسين الموسوي")
    assert welcome.logo.take(str(image(tmp_path / "logo.png", "#0f4c5c")))
    assert welcome.signature.take(str(image(tmp_path / "sig.png", "#1a1a1a")))
    type_text(welcome.prefix, "KRB")
    with qtbot.waitSignal(welcome.accepted):
        qtbot.mouseClick(welcome.finish_button, Qt.MouseButton.LeftButton)

    unit = store.get(db, records.Unit, db.local_unit_id)
    assert (unit.name, unit.head_name, unit.certificate_prefix) == (
        "شعبة الإعلام", "علي حسين الموسوي", "KRB")
    # The images are kept in the data folder, not where they were chosen.
    for stored, original in ((unit.logo_path, "logo.png"), (unit.signature_path, "sig.png")):
        kept = attachments.resolve(db.path, stored)
        assert kept.is_file() and kept.parent != tmp_path
        assert kept.read_bytes() == (tmp_path / original).read_bytes()
    assert ctx.unit == unit and welcome.choice == "identity" and not is_fresh(db)
    assert missing_settings.missing_for_certificates(unit) == []


def test_the_optional_step_can_be_left_empty(qtbot, welcome, db):
    qtbot.mouseClick(welcome.identity_button, Qt.MouseButton.LeftButton)
    type_text(welcome.identity.edits["name"], "شعبة الإعلام")
    qtbot.mouseClick(welcome.next_button, Qt.MouseButton.LeftButton)
    assert "لم يُكتب اسم مدير الوحدة" in welcome.signer.text()
    with qtbot.waitSignal(welcome.accepted):
        qtbot.mouseClick(welcome.finish_button, Qt.MouseButton.LeftButton)
    unit = store.get(db, records.Unit, db.local_unit_id)
    assert unit.name == "شعبة الإعلام" and not unit.logo_path and not unit.certificate_prefix


def test_a_bad_prefix_is_said_under_it_and_blocks_saving(qtbot, welcome):
    qtbot.mouseClick(welcome.identity_button, Qt.MouseButton.LeftButton)
    type_text(welcome.identity.edits["name"], "شعبة الإعلام")
    qtbot.mouseClick(welcome.next_button, Qt.MouseButton.LeftButton)
    welcome.prefix.setText("K" * 21)
    welcome.prefix.textEdited.emit(welcome.prefix.text())
    assert welcome.prefix_error.text() and not welcome.finish_button.isEnabled()


def test_demo_data_from_the_welcome_can_be_removed(qtbot, welcome, ctx, db):
    with qtbot.waitSignal(welcome.accepted, timeout=60_000):
        qtbot.mouseClick(welcome.demo_button, Qt.MouseButton.LeftButton)
    assert store.count(db, records.Activity) == DEMO_ACTIVITIES
    assert len(removal.demo_ids(db)["activities"]) == DEMO_ACTIVITIES
    removal.remove_demo(db)
    assert store.count(db, records.Activity) == 0 and store.count(db, records.Person) == 0


# --- the question before certificates and letters -----------------------------------------

@pytest.fixture
def certificates_window(qtbot, ctx, db):
    activity = store.insert(db, karbala_workshop())
    person = store.insert(db, records.Person(full_name="زينب علي حسين", gender="f"))
    attendance.add(db, activity.id, person.id)
    window = CertificatesDialog(ctx, activity.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_certificates_without_signatory_ask_first(qtbot, ctx, db, certificates_window,
                                                  desktop, tmp_path, monkeypatch):
    asked: list[list[str]] = []

    def answer(_parent, missing):
        asked.append(missing)
        return missing_settings.SETTINGS

    monkeypatch.setattr(missing_settings, "ask", answer)
    shown: list[str] = []
    ctx.navigate_requested.connect(lambda page, _filters: shown.append(page))
    desktop.answer = tmp_path / "شهادات.pdf"
    assert certificates_window.save_file("pdf") is None
    assert certificates_window.print_certificates() is None
    assert asked[0] == [missing_settings.TEXT["issuer"], missing_settings.TEXT["signatory"],
                        missing_settings.TEXT["prefix"]]
    assert shown == ["settings", "settings"]
    assert desktop.suggested == [] and store.count(db, records.Certificate) == 0


def test_the_question_names_what_is_missing_and_opens_the_settings(qtbot, ctx, monkeypatch):
    monkeypatch.setattr(missing_settings, "ask", REAL_ASK)  # the real box this time
    unit = ctx.save_unit(records.clean(records.Unit(**{
        **ctx.unit.__dict__, "name": "شعبة الإعلام", "certificate_prefix": "KRB"})))
    assert missing_settings.missing_for_certificates(unit) == [
        missing_settings.TEXT["signatory"]]
    seen: list[str] = []

    def click_settings(box: QMessageBox) -> None:
        seen.append(box.text())
        [button] = [b for b in box.findChildren(QPushButton) if b.text() == "فتح الإعدادات"]
        button.click()

    shown: list[str] = []
    ctx.navigate_requested.connect(lambda page, _filters: shown.append(page))
    answer_modal(click_settings, QMessageBox)
    assert not missing_settings.confirm_certificates(None, ctx, None)
    assert seen == ["ينقص الموقّع (اسم مدير الوحدة أو موقّعو الشهادة) — المتابعة على أي حال؟"]
    assert shown == ["settings"]

    answer_modal(lambda box: next(b for b in box.findChildren(QPushButton)
                                  if b.text() == "المتابعة").click(), QMessageBox)
    assert missing_settings.confirm_letter(None, ctx) is True  # «المتابعة»


def test_a_letter_without_signatory_asks_first(qtbot, ctx, parent, desktop, tmp_path,
                                               monkeypatch):
    from ui import export

    report = tmp_path / "تقرير.docx"
    report.write_bytes(b"")
    desktop.answer = tmp_path / "كتاب.docx"
    asked = []

    def cancel(_parent, missing):
        asked.append(missing)
        return missing_settings.CANCEL

    monkeypatch.setattr(missing_settings, "ask", cancel)
    assert export.export_document(parent, ctx, "letter", report=report,
                                  subject="التقرير الشهري") is None
    assert asked == [[missing_settings.TEXT["issuer"],
                      missing_settings.TEXT["letter_signatory"]]]
    assert desktop.suggested == []  # not even asked where to save
