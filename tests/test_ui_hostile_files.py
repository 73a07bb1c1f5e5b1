"""Hostile and damaged files chosen in the app: refused as they are chosen, with the
message under the field (Settings, certificate design) or under the photos, and nothing
kept; a bad file already stored gives its message when exporting, not the apology."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from models import attachments, records, store
from models.paths import attachments_dir
from tests.test_hostile_files import KINDS, REASONS, hostile, store_anyway, truncated
from tests.test_stored_files import (
    LETTERHEAD_SETTING,
    make_jpeg,
    make_letterhead,
    make_png,
)
from tests.test_ui_activity_form import click_tab, open_form
from ui.forms.activity_form import TAB_PHOTOS


def stored_files(db) -> list[Path]:
    folder = attachments_dir(db.path)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def unit_of(db) -> records.Unit:
    return store.get(db, records.Unit, db.local_unit_id)


def dialog_answers(monkeypatch, path: Path) -> None:
    """The open dialog answers ``path`` (one file, or a list of one)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *args, **kwargs: ([str(path)], "")))


@pytest.fixture
def good_letterhead(tmp_path) -> Path:
    return make_letterhead(tmp_path / "ترويسة.docx", make_png(tmp_path / "صورة الترويسة.png"))


@pytest.mark.parametrize("kind", KINDS)
def test_settings_refuses_a_hostile_letterhead_as_it_is_chosen(
        qtbot, settings_page, db, tmp_path, monkeypatch, good_letterhead, kind):
    page = settings_page
    bad = hostile(kind, good_letterhead, tmp_path)
    before = unit_of(db)
    dialog_answers(monkeypatch, bad)
    qtbot.mouseClick(page.letterhead.choose_button, Qt.MouseButton.LeftButton)
    assert page.letterhead.error.isVisible()
    message = page.letterhead.error.text()
    assert f"«{bad.name}»" in message and REASONS[kind] in message
    assert page.letterhead.path == "" and not page.save_button.isEnabled()
    assert unit_of(db) == before and stored_files(db) == []


def test_settings_takes_the_good_letterhead_after_a_bad_one(
        qtbot, settings_page, db, tmp_path, monkeypatch, good_letterhead):
    page = settings_page
    dialog_answers(monkeypatch, hostile("entity", good_letterhead, tmp_path))
    qtbot.mouseClick(page.letterhead.choose_button, Qt.MouseButton.LeftButton)
    assert page.letterhead.error.isVisible()
    dialog_answers(monkeypatch, good_letterhead)
    qtbot.mouseClick(page.letterhead.choose_button, Qt.MouseButton.LeftButton)
    assert not page.letterhead.error.isVisible()
    assert page.save()
    ref = unit_of(db).letterhead_path
    assert ref.startswith("attachments/") and attachments.resolve(db, ref).read_bytes() == \
        good_letterhead.read_bytes()


def test_settings_refuses_a_truncated_logo(qtbot, settings_page, db, tmp_path, monkeypatch):
    page = settings_page
    bad = truncated(make_jpeg(tmp_path / "full.jpg"), tmp_path / "شعار مقطوع.jpg")
    dialog_answers(monkeypatch, bad)
    qtbot.mouseClick(page.logo.choose_button, Qt.MouseButton.LeftButton)
    assert page.logo.error.isVisible()
    assert page.logo.error.text().startswith("الصورة «شعار مقطوع.jpg» تالفة أو ناقصة")
    assert page.logo.path == "" and unit_of(db).logo_path == "" and stored_files(db) == []


def test_the_photos_editor_refuses_a_truncated_photo(qtbot, ctx, db, workshop, tmp_path,
                                                     monkeypatch):
    bad = truncated(make_jpeg(tmp_path / "full.jpg"), tmp_path / "صورة مقطوعة.jpg")
    dialog_answers(monkeypatch, bad)
    dialog = open_form(qtbot, ctx, workshop.id)
    click_tab(qtbot, dialog, TAB_PHOTOS)
    qtbot.mouseClick(dialog.photos.add_button, Qt.MouseButton.LeftButton)
    assert dialog.photos.list.count() == 0
    assert dialog.photos.message.isVisibleTo(dialog)
    assert dialog.photos.message.text() == (
        "الصورة «صورة مقطوعة.jpg» تالفة أو ناقصة (ربما انقطع نسخها)، فلا يمكن قراءتها "
        "كاملة. افتحها في برنامج صور واحفظها من جديد، أو اختر غيرها.")
    assert not dialog.is_dirty()
    dialog.reject()
    assert store.count(db, records.Attachment) == 0 and stored_files(db) == []


def test_the_certificate_design_refuses_a_truncated_logo(qtbot, db, tmp_path, monkeypatch):
    from ui.certificates.style_editor import StyleEditor

    editor = StyleEditor(db.path)
    qtbot.addWidget(editor)
    editor.show()
    bad = truncated(make_png(tmp_path / "full.png", size=(400, 300)), tmp_path / "شعار.png")
    dialog_answers(monkeypatch, bad)
    chooser = editor.logos[0]
    qtbot.mouseClick(chooser.choose_button, Qt.MouseButton.LeftButton)
    assert chooser.error.text().startswith("الصورة «شعار.png» تالفة أو ناقصة")
    assert chooser.path == "" and editor.style().logos == [] and stored_files(db) == []


# --- exporting with a bad file already stored ---------------------------------------------

@pytest.fixture
def warnings_shown(monkeypatch) -> list[str]:
    from ui import tasks

    shown: list[str] = []
    monkeypatch.setattr(tasks.QMessageBox, "warning",
                        staticmethod(lambda _parent, _title, text: shown.append(text)))
    return shown


def test_exporting_on_a_stored_hostile_letterhead_says_which_setting(
        qtbot, ctx, db, workshop, parent, desktop, tmp_path, good_letterhead, warnings_shown):
    from ui.export import export_document

    store_anyway(db, hostile("broken_header", good_letterhead, tmp_path))
    ctx.save_unit(unit_of(db))
    out = tmp_path / "out"
    out.mkdir()
    desktop.answer = out / "خبر.docx"
    assert export_document(parent, ctx, "news", activity_id=workshop.id) is not None
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=20000)
    [text] = warnings_shown
    assert text.startswith(LETTERHEAD_SETTING + ": ")
    assert "word/header1.xml" in text and "اختر الترويسة من جديد" in text
    assert list(out.iterdir()) == []


def test_exporting_with_a_photo_damaged_since_it_was_added_names_the_photo(
        qtbot, ctx, db, workshop, parent, desktop, tmp_path, warnings_shown):
    from ui.export import export_document

    photo = attachments.attach(db, "activity", workshop.id,
                               make_jpeg(tmp_path / "افتتاح الورشة.jpg"))
    kept = attachments.path_of(db, photo)
    kept.write_bytes(kept.read_bytes()[:1000])
    desktop.answer = tmp_path / "خبر.docx"
    assert export_document(parent, ctx, "news", activity_id=workshop.id) is not None
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=20000)
    [text] = warnings_shown
    assert text.startswith("الصورة 1 («افتتاح الورشة.jpg») من صور النشاط: ")
    assert not desktop.answer.exists()
