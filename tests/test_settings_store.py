"""The saves that used to open transactions in the UI, now in models: the settings page's
(the unit, its files, the letters' first number and copy list) and the recycle bin's
restore of several records."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from models import letters, records, recycle, store
from models.errors import NotFoundError
from models.settings_store import SettingsChange, kept_file, save_settings


def unit_of(db) -> records.Unit:
    return store.get(db, records.Unit, db.local_unit_id)


def logo_file(path):
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGreen)
    assert image.save(str(path))
    return path


def test_the_unit_the_first_number_and_the_copies_land_together(db):
    unit = dataclasses.replace(unit_of(db), name="وحدة الاتصال الحكومي", head_name="علي")
    saved = save_settings(db, SettingsChange(unit=unit, year=2026, start=40,
                                             copies=["الحفظ", "الصادرة"]),
                          stored=unit_of(db))
    assert saved is not None and saved.name == "وحدة الاتصال الحكومي"
    assert unit_of(db).head_name == "علي"
    assert letters.start_number(db, 2026) == 40
    assert letters.default_copies(db) == ["الحفظ", "الصادرة"]


def test_a_refused_first_number_saves_nothing_of_the_page(db):
    letters.record_letter(db, letters.Letter(date="2026-03-01", subject="كتاب"))
    before = unit_of(db)
    unit = dataclasses.replace(before, name="اسم جديد")
    with pytest.raises(letters.LetterError):  # letter 1 of 2026 went out already
        save_settings(db, SettingsChange(unit=unit, year=2026, start=1, copies=["أ"]),
                      stored=before)
    assert unit_of(db).name == before.name
    assert letters.default_copies(db) == list(letters.DEFAULT_COPIES)


def test_nothing_asked_nothing_changed(db):
    assert save_settings(db, SettingsChange()) is None
    assert letters.default_copies(db) == list(letters.DEFAULT_COPIES)


def test_a_chosen_logo_is_kept_in_the_data_folder_and_kept_as_is_when_unchanged(db,
                                                                               tmp_path):
    (tmp_path / "outside").mkdir()
    source = logo_file(tmp_path / "outside" / "logo.png")
    unit = dataclasses.replace(unit_of(db), logo_path=str(source))
    saved = save_settings(db, SettingsChange(unit=unit), stored=unit_of(db))
    assert saved.logo_path and not saved.logo_path.startswith(str(tmp_path / "outside"))
    kept = db.path.parent / saved.logo_path
    assert kept.is_file() and kept.read_bytes() == source.read_bytes()
    # The page shows the kept copy; saving again keeps the reference as stored.
    assert kept_file(db, str(kept), saved.logo_path, image=True) == saved.logo_path
    assert kept_file(db, "", saved.logo_path, image=True) == ""


def test_restoring_several_from_the_bin_is_all_or_nothing(db):
    first = store.insert(db, records.Activity(title="الأول", start_date="2026-01-01"))
    second = store.insert(db, records.Activity(title="الثاني", start_date="2026-01-02"))
    for activity in (first, second):
        store.delete(db, records.Activity, activity.id)
    items = recycle.items(db)
    assert len(items) == 2
    ghost = dataclasses.replace(items[1], id="no-such-id")
    with pytest.raises(NotFoundError):
        recycle.restore_items(db, [items[0], ghost])
    assert len(recycle.items(db)) == 2  # the first came back, then went again
    recycle.restore_items(db, items)
    assert recycle.items(db) == []
