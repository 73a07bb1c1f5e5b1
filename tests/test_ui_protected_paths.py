"""The app's save dialogs refuse a place that would destroy data: the database (here named
``data.docx``, so that a suffix check alone would let it be replaced), a file in the data
folder's own subfolders, or the report a letter carries. The Arabic reason is shown in a
message box, and nothing is written, issued or kept."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from models import attendance, letters, paths, records, store
from models.certificate_style import has_activity_style
from tests.conftest import karbala_workshop
from tests.test_ui_date_edit import answer_modal
from ui import export
from ui.certificates.dialog import CertificatesDialog


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The issue's case: a database whose name ends in .docx."""
    return tmp_path / "data.docx"


@pytest.fixture
def workshop(db) -> records.Activity:
    activity = store.insert(db, karbala_workshop())
    person = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي", gender="f"))
    attendance.add(db, activity.id, person.id)
    return activity


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_certificates_saved_over_the_database_are_refused(qtbot, ctx, db, workshop, desktop):
    window = CertificatesDialog(ctx, workshop.id)
    qtbot.addWidget(window)
    window.show()
    before = digest(db.path)
    desktop.answer = db.path
    assert window.save_file("docx") is None
    assert len(desktop.warnings) == 1
    assert "لا يُكتب الملف في" in desktop.warnings[0]
    assert "ملف قاعدة البيانات نفسه" in desktop.warnings[0]
    assert digest(db.path) == before
    assert store.find(db, records.Certificate) == []
    assert not has_activity_style(db, workshop.id)  # the style was not kept either


def test_a_report_into_the_keys_folder_is_refused_in_a_message_box(qtbot, ctx, db, workshop,
                                                                   parent, monkeypatch):
    keys = paths.keys_dir(db.path)
    monkeypatch.setattr(export, "ask_save_path",
                        lambda _parent, _title, _suggested: keys / "خبر.docx")
    shown: list[str] = []

    def read_and_close(box: QMessageBox) -> None:
        shown.extend((box.windowTitle(), box.text()))
        box.accept()

    boxes = answer_modal(read_and_close, QMessageBox)
    assert export.export_document(parent, ctx, "news", activity_id=workshop.id) is None
    assert len(boxes) == 1 and shown[0] == export.TEXT["error_title"]
    assert "يحفظ فيه البرنامج مفاتيح التوقيع" in shown[1]
    assert not keys.exists()


def test_news_over_the_database_is_refused(qtbot, ctx, db, workshop, parent, desktop):
    before = digest(db.path)
    desktop.answer = db.path
    assert export.export_document(parent, ctx, "news", activity_id=workshop.id) is None
    assert desktop.warnings and "ملف قاعدة البيانات نفسه" in desktop.warnings[0]
    assert digest(db.path) == before


def test_a_letter_is_not_written_over_its_report(qtbot, ctx, db, parent, desktop, tmp_path):
    report = tmp_path / "تقرير.docx"
    report.write_bytes(b"the report")
    desktop.answer = report
    assert export.export_document(parent, ctx, "letter", report=report,
                                  subject="التقرير") is None
    assert desktop.warnings and "فوق التقرير الذي يرافقه" in desktop.warnings[0]
    assert report.read_bytes() == b"the report"
    assert letters.outbox(db) == []  # no number taken
