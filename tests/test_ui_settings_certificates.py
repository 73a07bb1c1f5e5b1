"""The settings page's certificates group: the serial prefix and the signing key."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from models import attendance, certificates, records, store
from tests.test_ui_date_edit import answer_modal
from tests.test_ui_settings import stored, type_text


def this_year() -> int:
    """The app's year now (read in each test: a run may cross New Year's midnight)."""
    return dt.date.today().year


@pytest.fixture
def page(settings_page):
    return settings_page


def test_a_typed_prefix_shows_the_next_serial_and_is_saved(qtbot, page, ctx, db):
    group = page.certificates
    year = this_year()
    assert group.isRightToLeft()
    assert f"CERT-{year}-0001" in group.next_serial.text()
    type_text(group.prefix, "krb ")
    assert f"KRB-{year}-0001" in group.next_serial.text()
    with qtbot.waitSignal(ctx.settings_changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert stored(db).certificate_prefix == "krb"
    assert certificates.next_serial(db, year) == f"KRB-{year}-0001"


def test_a_too_long_prefix_shows_its_message_and_cannot_be_saved(qtbot, page, db):
    type_text(page.certificates.prefix, "ك" * 21)
    assert page.certificates.prefix_error.isVisible()
    assert "20" in page.certificates.prefix_error.text() or "٢٠" in \
        page.certificates.prefix_error.text()
    assert not page.save_button.isEnabled()
    assert stored(db).certificate_prefix == ""


def test_replacing_the_key_keeps_printed_certificates_verifiable(qtbot, page, db, workshop):
    person = store.insert(db, records.Person(full_name="زينب علي حسين"))
    attendance.add(db, workshop.id, person.id)
    cert = certificates.issue(db, person.id, workshop.id)
    page.certificates.refresh()
    before = page.certificates.key.text()
    assert "البصمة" in before

    def yes(box: QMessageBox) -> None:
        box.button(QMessageBox.StandardButton.Yes).click()
        answer_modal(lambda info: info.accept(), QMessageBox)

    answer_modal(yes, QMessageBox)
    qtbot.mouseClick(page.certificates.replace_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.certificates.key.text() != before)
    assert "مفتاح سابق" in page.certificates.key.text()
    assert len(certificates.public_keys(db)) == 2
    assert certificates.verify(db, certificates.qr_payload(cert)).genuine


def test_an_arabic_prefix_is_refused_so_paper_and_screen_read_alike(qtbot, page, db):
    type_text(page.certificates.prefix, "كربلاء")
    assert page.certificates.prefix_error.isVisible()
    assert "حروف لاتينية" in page.certificates.prefix_error.text()
    assert not page.save_button.isEnabled()
