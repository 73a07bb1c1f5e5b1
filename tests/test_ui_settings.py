"""The settings page, as a user edits it: identity, logo, letterhead, addressee, date style."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from models import attachments, records, store
from models.attachments import keep_file
from models.errors import IttisalError
from models.paths import attachments_dir
from tests.conftest import SETTINGS_TODAY

TODAY = SETTINGS_TODAY


def type_text(widget: QWidget, text: str) -> None:
    """Type like a user. (qtbot.keyClicks aborts the process on Arabic: it sends Latin-1.)"""
    for char in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char,
                           Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def page(settings_page):
    return settings_page


def stored(db) -> records.Unit:
    return store.get(db, records.Unit, db.local_unit_id)


def png(path, color: str = "#1f7a74"):
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path))
    return path


def test_the_page_is_right_to_left_and_shows_the_stored_unit(qtbot, page, db):
    assert page.isRightToLeft()
    assert page.title == "الإعدادات" and page.key == "settings"
    assert page.addressee.text() == "مركز المعلومات الموحد"
    assert page.identity.edits["name"].text() == ""
    assert not page.save_button.isEnabled()  # nothing changed yet


def test_typing_the_identity_and_saving_stores_it(qtbot, page, ctx, db):
    type_text(page.identity.edits["ministry"], "وزارة التعليم العالي والبحث العلمي")
    type_text(page.identity.edits["name"], "شعبة الإعلام والاتصال الحكومي")
    type_text(page.identity.edits["head_name"], "عبد الأمير جبار الربيعي")
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(ctx.settings_changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    unit = stored(db)
    assert (unit.ministry, unit.name, unit.head_name) == (
        "وزارة التعليم العالي والبحث العلمي", "شعبة الإعلام والاتصال الحكومي",
        "عبد الأمير جبار الربيعي")
    assert page.status.text() == "حُفظت الإعدادات."
    assert not page.save_button.isEnabled()


def test_ctrl_s_saves(qtbot, page, db):
    field = page.identity.edits["city"]
    field.setFocus()
    type_text(field, "كربلاء")
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert stored(db).city == "كربلاء"


def test_a_too_long_field_shows_the_models_message_and_blocks_save(qtbot, page, db):
    field = page.identity.edits["directorate"]
    field.setText("م" * 301)
    field.textEdited.emit(field.text())
    error = page.identity.errors["directorate"]
    assert error.isVisible()
    expected = records.problems(records.Unit(directorate="م" * 301))[0]
    assert error.text() == str(expected) and "المديرية" in error.text()
    assert not page.save_button.isEnabled()
    assert not page.save()
    assert stored(db).directorate == ""
    field.setText("مديرية تربية كربلاء")
    field.textEdited.emit(field.text())
    assert not error.isVisible() and page.save_button.isEnabled()


def test_the_date_example_follows_the_style_live(qtbot, page, db):
    assert page.example.text() == "مثال: ٢٣ تشرين الثاني ٢٠٢٦"
    page.digits.setCurrentIndex(page.digits.findData("western"))
    assert page.example.text() == "مثال: 23 تشرين الثاني 2026"
    page.months.setCurrentIndex(page.months.findData("egyptian"))
    assert page.example.text() == "مثال: 23 نوفمبر 2026"
    page.hijri.setFocus()
    qtbot.keyClick(page.hijri, Qt.Key.Key_Space)
    assert page.example.text().startswith("مثال: 23 نوفمبر 2026 (")
    assert page.example.text().endswith("هـ)")
    assert stored(db).digits == "arabic"  # nothing stored until Save
    page.save()
    unit = stored(db)
    assert (unit.digits, unit.months, unit.hijri) == ("western", "egyptian", True)


def test_the_saved_style_reaches_the_context(qtbot, page, ctx):
    page.digits.setCurrentIndex(page.digits.findData("western"))
    page.save()
    assert ctx.date_style.digits == "western"


def test_the_default_addressee_can_change(qtbot, page, db):
    page.addressee.clear()
    type_text(page.addressee, "دائرة الاتصال الحكومي")
    page.save()
    assert stored(db).default_addressee == "دائرة الاتصال الحكومي"


def test_a_logo_is_previewed_and_copied_into_the_data_folder(qtbot, page, db, tmp_path):
    source = png(tmp_path / "شعار.png")
    assert page.logo.take(str(source))
    assert page.logo.preview.pixmap() is not None and not page.logo.preview.pixmap().isNull()
    assert page.logo.name.text() == "شعار.png"
    assert page.save()
    kept = stored(db).logo_path
    # Named relative to the database's folder, so the reference travels with the data.
    assert kept.startswith("attachments/") and not Path(kept).is_absolute()
    file = attachments.resolve(db.path, kept)
    assert str(file).startswith(str(attachments_dir(db.path)))
    source.unlink()  # the original may vanish: the unit keeps its copy
    with open(file, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    page.load()
    assert page.logo.preview.pixmap() is not None and not page.logo.preview.pixmap().isNull()


def test_a_file_that_is_not_an_image_is_refused_with_a_message(qtbot, page, tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_text("ليست صورة", encoding="utf-8")
    assert not page.logo.take(str(fake))
    with pytest.raises(IttisalError) as expected:
        attachments.check_image(fake)
    assert page.logo.error.isVisible() and page.logo.error.text() == str(expected.value)
    assert page.logo.path == "" and not page.save_button.isEnabled()


def test_the_logo_can_be_removed(qtbot, page, db, tmp_path):
    page.logo.take(str(png(tmp_path / "a.png")))
    page.save()
    qtbot.mouseClick(page.logo.remove_button, Qt.MouseButton.LeftButton)
    assert page.save()
    assert stored(db).logo_path == ""


def test_a_letterhead_must_be_a_docx(qtbot, page, db, tmp_path):
    wrong = tmp_path / "ترويسة.pdf"
    wrong.write_bytes(b"%PDF-1.4")
    assert not page.letterhead.take(str(wrong))
    assert page.letterhead.error.isVisible()
    hollow = tmp_path / "مجوّفة.docx"  # a zip, but not a Word document
    with zipfile.ZipFile(hollow, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
    assert not page.letterhead.take(str(hollow))
    assert "تالف" in page.letterhead.error.text()
    good = tmp_path / "ترويسة.docx"
    Document().save(good)
    assert page.letterhead.take(str(good))
    assert not page.letterhead.error.isVisible()
    page.save()
    assert stored(db).letterhead_path.endswith(".docx")
    assert stored(db).letterhead_path != str(good)


def test_keep_file_stores_one_copy_per_content(db, tmp_path):
    first = png(tmp_path / "one.png")
    second = tmp_path / "two.png"
    second.write_bytes(first.read_bytes())
    assert keep_file(db.path, first) == keep_file(db.path, second)
    other = keep_file(db.path, png(tmp_path / "three.png", "#f2c14e"))
    assert other != keep_file(db.path, first)
    assert len(list(attachments_dir(db.path).rglob("*.png"))) == 2


def test_unsaved_edits_survive_a_change_made_elsewhere(qtbot, page, ctx):
    type_text(page.identity.edits["name"], "قسم الإعلام")
    ctx.settings_changed.emit()
    assert page.identity.edits["name"].text() == "قسم الإعلام"
