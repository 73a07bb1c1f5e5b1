"""The settings page's official-letter section: the signature or seal, the year's first
letter number, and the default copy list, as a user edits them."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGroupBox

from exporters.letter import write_letter
from models import attachments, letters
from models.letters import Letter
from models.paths import attachments_dir
from tests.conftest import SETTINGS_TODAY
from tests.test_ui_date_edit import type_text
from tests.test_ui_settings import stored

TODAY = SETTINGS_TODAY
YEAR = TODAY.year


@pytest.fixture
def page(settings_page):
    return settings_page


def png(path, color: str = "#1f3a7a"):
    image = QImage(60, 60, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path))
    return path


def send(db, number_hint: str = "") -> Letter:
    return letters.record_letter(db, Letter(date=TODAY.isoformat(),
                                            subject=f"كتاب {number_hint}".strip()))


def set_start_text(page, digits: str) -> None:
    page.start.setFocus()
    page.start.selectAll()
    type_text(page.start, digits)


def test_the_section_is_right_to_left_and_shows_the_stored_values(qtbot, page, db):
    assert page.isRightToLeft()
    section = page.findChild(QGroupBox, "officialLetters")
    assert section is not None and section.title() == "الكتب الرسمية"
    assert section.isRightToLeft()
    assert page.start_label.text() == "رقم أول كتاب لسنة ٢٠٢٦"
    assert page.start.value() == 1 and page.start.text() == "١"
    assert page.copies.toPlainText() == "الحفظ"
    assert page.signature.name.text() == "لا يوجد توقيع أو ختم"
    assert not page.save_button.isEnabled()


def test_a_seal_is_stored_relative_to_the_database_folder(qtbot, page, db, tmp_path):
    source = png(tmp_path / "ختم.png")
    assert page.signature.take(str(source))
    assert not page.signature.preview.pixmap().isNull()
    assert page.signature.name.text() == "ختم.png"
    assert page.save_button.isEnabled()
    qtbot.keyClick(page.signature.choose_button, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier)
    kept = stored(db).signature_path
    assert kept.startswith("attachments/") and not Path(kept).is_absolute()
    assert stored(db).logo_path == ""
    file = attachments.resolve(db.path, kept)
    assert str(file).startswith(str(attachments_dir(db.path)))
    source.unlink()
    assert file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.load()
    assert page.signature.path == str(file)
    assert not page.signature.preview.pixmap().isNull()
    # The letter carries the seal.
    letter = write_letter(db, tmp_path / "كتاب.docx", subject="دعوة", enclosures=[],
                          date=TODAY)
    assert Document(str(tmp_path / letter.file_name)).inline_shapes
    qtbot.mouseClick(page.signature.remove_button, Qt.MouseButton.LeftButton)
    assert page.save()
    assert stored(db).signature_path == ""


def test_a_seal_that_is_not_an_image_is_refused(qtbot, page, tmp_path):
    fake = tmp_path / "ختم.png"
    fake.write_text("ليست صورة", encoding="utf-8")
    assert not page.signature.take(str(fake))
    assert page.signature.error.isVisible() and page.signature.error.text()
    assert page.signature.path == "" and not page.save_button.isEnabled()


def test_a_changed_start_number_numbers_the_next_letter(qtbot, page, db):
    set_start_text(page, "250")
    assert page.start.value() == 250 and page.save_button.isEnabled()
    assert page.save()
    assert letters.start_number(db, YEAR) == 250
    assert letters.next_number(db, YEAR) == 250
    assert send(db).number == 250
    assert letters.next_number(db, YEAR) == 251
    assert not page.start_error.isVisible()
    assert page.status.text() == "حُفظت الإعدادات."


def test_a_start_at_or_below_a_used_number_is_refused_and_nothing_is_saved(qtbot, page, db):
    for _ in range(3):
        send(db)
    assert letters.next_number(db, YEAR) == 4
    set_start_text(page, "3")
    type_text(page.identity.edits["city"], "كربلاء")
    page.copies.selectAll()
    type_text(page.copies, "الأرشيف")
    assert not page.save()
    with pytest.raises(letters.LetterError) as expected:
        letters.set_start(db, YEAR, 3)
    assert page.start_error.isVisible()
    assert page.start_error.text() == str(expected.value)
    # Nothing at all was saved: not the number, not the unit, not the copy list.
    assert letters.start_number(db, YEAR) == 1 and letters.next_number(db, YEAR) == 4
    assert stored(db).city == ""
    assert letters.default_copies(db) == ["الحفظ"]
    assert page.is_dirty() and page.save_button.isEnabled()
    # Fixing the number clears the message, and Save then takes everything.
    set_start_text(page, "10")
    assert not page.start_error.isVisible()
    assert page.save()
    assert letters.next_number(db, YEAR) == 10
    assert stored(db).city == "كربلاء"
    assert letters.default_copies(db) == ["الأرشيف"]


def test_the_copy_list_round_trips_and_the_letter_uses_it(qtbot, page, db, tmp_path):
    page.copies.setFocus()
    page.copies.selectAll()
    type_text(page.copies, "مكتب المدير العام\n\nقسم الإعلام\nالحفظ\n")
    assert page.copy_list() == ["مكتب المدير العام", "قسم الإعلام", "الحفظ"]
    qtbot.keyClick(page.copies, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert letters.default_copies(db) == ["مكتب المدير العام", "قسم الإعلام", "الحفظ"]
    assert not page.save_button.isEnabled()
    page.load()
    assert page.copies.toPlainText() == "مكتب المدير العام\nقسم الإعلام\nالحفظ"
    letter = write_letter(db, tmp_path / "كتاب.docx", subject="دعوة", enclosures=[],
                          date=TODAY)
    assert letter.copies == ["مكتب المدير العام", "قسم الإعلام", "الحفظ"]
    text = "\n".join(p.text for p in Document(str(tmp_path / "كتاب.docx")).paragraphs)
    assert "مكتب المدير العام" in text and "قسم الإعلام" in text


def test_set_default_copies_drops_blanks_and_empty_brings_back_the_default(db):
    letters.set_default_copies(db, [" قسم التخطيط ", "", "الحفظ"])
    assert letters.default_copies(db) == ["قسم التخطيط", "الحفظ"]
    letters.set_default_copies(db, [])
    assert letters.default_copies(db) == ["الحفظ"]


def test_the_section_grab(qtbot, page, tmp_path):
    page.signature.take(str(png(tmp_path / "ختم.png")))
    section = page.findChild(QGroupBox, "officialLetters")
    section.ensurePolished()
    image = section.grab()
    assert not image.isNull() and image.width() > 200
    image.save(str(tmp_path / "section.png"))
