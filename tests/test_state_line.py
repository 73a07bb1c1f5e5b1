"""The state line («جمهورية العراق») every official document opens with is the unit's
setting: edited in Settings, printed by the reports' letterhead, the letter and the
certificates, left out when empty, and given its default to files made before it existed.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from conftest import karbala_workshop
from PySide6.QtCore import Qt

from exporters import letter as letter_export
from exporters import news_report
from models import attendance, records, schema, store
from models.arabic import fold_input
from models.certificate_pages import prepare
from models.db import Database
from tests.test_ui_settings import type_text

IRAQ = "جمهورية العراق"
BAHRAIN = "مملكة البحرين"
NEEDS_PDFTOTEXT = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="needs poppler-utils (pdftotext)")


def unit_of(db: Database) -> records.Unit:
    return store.get(db, records.Unit, db.local_unit_id)


def set_unit(db: Database, **changes) -> records.Unit:
    return store.update(db, dataclasses.replace(
        unit_of(db), ministry="وزارة شؤون الإعلام", directorate="إدارة الاتصال الحكومي",
        name="قسم الاتصال", city="المنامة", **changes))


def docx_text(path: Path, part_prefix: str) -> str:
    """The text of a .docx's parts whose names start with ``part_prefix`` (the headers:
    ``word/header``), read from the XML."""
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                      if n.startswith(part_prefix) and n.endswith(".xml"))
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def issued_pages(db: Database):
    activity = store.insert(db, karbala_workshop())
    person = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي", gender="f"))
    attendance.add(db, activity.id, person.id)
    return activity, prepare(db, activity.id)


# --- Settings -------------------------------------------------------------------------------

def test_the_state_is_edited_in_settings_and_kept(qtbot, settings_page, ctx, db, tmp_path):
    page = settings_page
    edit = page.identity.edits["state"]
    assert edit.text() == IRAQ  # the default, shown for what it is
    assert edit.isRightToLeft()
    page.grab().save(str(tmp_path / "settings_state.png"))
    edit.selectAll()
    edit.del_()
    type_text(edit, BAHRAIN)
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(ctx.settings_changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert unit_of(db).state == BAHRAIN
    page.load()
    assert page.identity.edits["state"].text() == BAHRAIN
    # Empty means no state line: it is stored empty, not put back to the default.
    page.identity.edits["state"].clear()
    page.identity.edits["state"].textEdited.emit("")
    with qtbot.waitSignal(ctx.settings_changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert unit_of(db).state == ""
    page.load()
    assert page.identity.edits["state"].text() == ""


def test_a_too_long_state_is_refused_with_the_models_message(qtbot, settings_page, db):
    page = settings_page
    page.identity.edits["state"].setText("م" * 301)
    page.identity.edits["state"].textEdited.emit("م" * 301)
    assert not page.save_button.isEnabled()
    assert page.identity.errors["state"].isVisibleTo(page)
    assert unit_of(db).state == IRAQ


# --- documents ------------------------------------------------------------------------------

def test_a_bahraini_unit_sees_its_state_on_the_news_report(db, tmp_path):
    set_unit(db, state=BAHRAIN)
    activity = store.insert(db, karbala_workshop())
    path = news_report.write_news_report(db, activity.id, tmp_path / "خبر.docx")
    header = docx_text(path, "word/header")
    assert header.startswith(BAHRAIN), header
    assert IRAQ not in docx_text(path, "word/")


def test_an_iraqi_unit_keeps_the_default_and_an_empty_state_prints_none(db, tmp_path):
    set_unit(db)
    activity = store.insert(db, karbala_workshop())
    path = news_report.write_news_report(db, activity.id, tmp_path / "خبر.docx")
    assert docx_text(path, "word/header").startswith(IRAQ)
    set_unit(db, state="")
    path = news_report.write_news_report(db, activity.id, tmp_path / "خبر2.docx")
    header = docx_text(path, "word/header")
    assert header.startswith("وزارة شؤون الإعلام") and IRAQ not in header


def test_the_letter_opens_with_the_units_state(db, tmp_path):
    set_unit(db, state=BAHRAIN, head_name="أحمد خليل", head_title="مدير الإدارة")
    written = letter_export.write_letter(db, tmp_path / "كتاب.docx", subject="التقرير الشهري",
                                         enclosures=[], date="2026-11-23")
    path = tmp_path / "كتاب.docx"
    assert written is not None and path.is_file()
    header = docx_text(path, "word/header")
    assert header.startswith(BAHRAIN), header
    assert IRAQ not in docx_text(path, "word/")


def test_the_certificate_issuer_opens_with_the_state(db):
    set_unit(db, state=BAHRAIN)
    _, pages = issued_pages(db)
    assert pages[0].issuer == (BAHRAIN, "وزارة شؤون الإعلام", "إدارة الاتصال الحكومي",
                               "قسم الاتصال")
    set_unit(db, state="")
    _, pages = issued_pages(db)
    assert pages[0].issuer[0] == "وزارة شؤون الإعلام"


def test_a_bahraini_units_certificate_word_file_carries_its_state(qapp, db, tmp_path):
    from exporters.certificate_docx import write_docx

    set_unit(db, state=BAHRAIN)
    _, pages = issued_pages(db)
    path = write_docx(pages, tmp_path / "شهادات.docx")
    text = docx_text(path, "word/")
    assert BAHRAIN in text and IRAQ not in text


@NEEDS_PDFTOTEXT
def test_a_bahraini_units_certificate_pdf_says_its_state(qapp, db, tmp_path):
    from exporters.certificate_paint import ensure_fonts
    from exporters.certificate_pdf import write_pdf
    from tests.test_exporters_rtl import pdf_text

    ensure_fonts()
    set_unit(db, state=BAHRAIN)
    activity, pages = issued_pages(db)
    pdf = write_pdf(pages, tmp_path / "شهادات.pdf", activity=activity.title)
    found = " ".join(fold_input(pdf_text(pdf), multiline=True).split())
    assert BAHRAIN in found, found
    assert IRAQ not in found


# --- the database ---------------------------------------------------------------------------

def test_version_8_gives_a_version_7_file_the_default_state(db_path):
    old = Database.open(db_path, create=True, target_version=7)
    old.execute("UPDATE units SET name = 'شعبة الإعلام' WHERE id = ?", (old.local_unit_id,))
    unit_id = old.local_unit_id
    assert "state" not in {row["name"] for row in old.rows("PRAGMA table_info(units)")}
    old.close()
    with Database.open(db_path) as db:
        assert db.schema_version == schema.SCHEMA_VERSION
        unit = store.get(db, records.Unit, unit_id)
        assert (unit.state, unit.name) == (IRAQ, "شعبة الإعلام")
    # A unit row added by anything that does not name the column gets the default too.
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("INSERT INTO units (id, created_at, updated_at) VALUES ('u2', 'x', 'x')")
        assert conn.execute("SELECT state FROM units WHERE id = 'u2'").fetchone() == (IRAQ,)
    finally:
        conn.close()


def test_a_new_unit_record_has_the_default_state():
    assert records.Unit().state == IRAQ
    assert records.label(records.Unit, "state") == "الدولة"
