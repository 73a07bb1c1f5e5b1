"""The certificate register page, its table model, its export, name correction, and the
"التحقق من شهادة" dialog, used as a clerk would."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QWidget

from models import attendance, certificates, records, store
from models.arabic import to_arabic_digits
from models.certificate_register import issued_on
from tests.conftest import karbala_workshop
from tests.test_ui_date_edit import answer_modal, type_text
from ui import export
from ui.certificates.verify_dialog import TEXT as VERIFY_TEXT
from ui.certificates.verify_dialog import VerifyDialog
from ui.formatting import date_text, number_text
from ui.pages import certificates as page_module
from ui.pages.certificates import SEARCH_DELAY_MS, CertificatesPage
from ui.table_models.certificates import (
    COL_ACTIVITY,
    COL_ISSUED,
    COL_NAME,
    COL_REPRINTS,
    COL_REVISION,
    COL_SERIAL,
    CertificatesModel,
    RegisterFilter,
)

NAMES = ["زينب علي حسين الأسدي", "فاطمة عباس عبد الحسين الجبوري", "أحمد إبراهيم خليل الموسوي",
         "مصطفى كاظم جواد"]
MEETING = "الاجتماع الدوري لمنسقي الإعلام"
LRI, PDI = "\u2066", "\u2069"


@pytest.fixture
def world(db):
    """The Karbala workshop with four certificates (2026), a meeting with one (2025)."""
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, certificate_prefix="KRB"))
    workshop = store.insert(db, karbala_workshop())
    meeting = store.insert(db, records.Activity(kind="meeting", title=MEETING,
                                                start_date="2025-12-28", status="sent"))
    certs = []
    for name in NAMES:
        person = store.insert(db, records.Person(full_name=name))
        attendance.add(db, workshop.id, person.id)
        certs.append(certificates.issue(db, person.id, workshop.id, year=2026))
    attendance.add(db, meeting.id, person.id)
    certs.append(certificates.issue(db, person.id, meeting.id, year=2025))
    return {"workshop": workshop, "meeting": meeting, "certs": certs}


@pytest.fixture
def page(qtbot, ctx, world):
    page = CertificatesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def column(page: CertificatesPage, col: int) -> list[str]:
    model = page.table.model()
    return [model.index(r, col).data() for r in range(model.rowCount())]


def search(qtbot, page: CertificatesPage, text: str) -> None:
    page.search_box.clear()
    type_text(page.search_box, text)
    qtbot.wait(SEARCH_DELAY_MS + 50)


def select_serial(qtbot, page: CertificatesPage, serial: str) -> None:
    row = column(page, COL_SERIAL).index(f"{LRI}{serial}{PDI}")
    rect = page.table.visualRect(page.table.model().index(row, COL_NAME))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# --- the table model ------------------------------------------------------------------

def test_model_passes_qtmodeltester(qtmodeltester, db, world):
    qtmodeltester.check(CertificatesModel(db))


def test_paged_model_passes_qtmodeltester(qtmodeltester, db, world):
    paged = CertificatesModel(db)
    paged.PAGE_SIZE = 2
    paged.refresh()
    assert paged.rowCount() == 2 and paged.canFetchMore()
    qtmodeltester.check(paged)


def test_model_shows_serial_left_to_right_and_dates_the_units_way(ctx, world):
    model = CertificatesModel(ctx.db, ctx.date_style)
    cert = world["certs"][0]
    certificates.issue(ctx.db, cert.person_id, cert.activity_id)  # one reprint
    model.refresh()
    row = next(r for r in range(model.rowCount())
               if model.index(r, COL_NAME).data() == NAMES[0])
    cell = {c: model.index(row, c).data() for c in range(model.columnCount())}
    style = ctx.date_style
    assert cell[COL_SERIAL] == f"{LRI}KRB-2026-0001{PDI}"
    assert cell[COL_ACTIVITY] == world["workshop"].title
    assert cell[COL_ISSUED] == date_text(issued_on(cert.issued_at), style)
    assert cell[COL_REPRINTS] == number_text(1, style)
    assert cell[COL_REVISION] == number_text(0, style)
    assert model.headerData(COL_SERIAL, Qt.Orientation.Horizontal) == "الرقم التسلسلي"


def test_model_greys_cancelled_certificates(ctx, world):
    cert = world["certs"][1]
    store.delete(ctx.db, records.Certificate, cert.id)
    model = CertificatesModel(ctx.db, ctx.date_style)
    assert NAMES[1] not in [model.index(r, COL_NAME).data() for r in range(model.rowCount())]
    model.set_filter(RegisterFilter(include_cancelled=True))
    row = next(r for r in range(model.rowCount())
               if NAMES[1] in model.index(r, COL_NAME).data())
    assert model.index(row, COL_NAME).data() == f"{NAMES[1]} (ملغاة)"
    assert model.index(row, COL_NAME).data(Qt.ItemDataRole.ForegroundRole) is not None


# --- the page -------------------------------------------------------------------------

def test_page_lists_every_certificate_newest_first(page):
    assert column(page, COL_SERIAL) == [f"{LRI}{s}{PDI}" for s in (
        "KRB-2025-0001", "KRB-2026-0004", "KRB-2026-0003", "KRB-2026-0002", "KRB-2026-0001")]
    assert page.count_label.text() == f"عدد الشهادات: {number_text(5, page.ctx.date_style)}"
    assert page.isRightToLeft()


def test_typing_a_search_narrows_the_list(qtbot, page):
    search(qtbot, page, "فاطمه")  # ة typed as ه
    assert column(page, COL_NAME) == [NAMES[1]]
    search(qtbot, page, "الاسدي")  # أ typed as ا
    assert column(page, COL_NAME) == [NAMES[0]]
    search(qtbot, page, to_arabic_digits("2026-0003"))
    assert column(page, COL_NAME) == [NAMES[2]]
    search(qtbot, page, "الاجتماع")
    assert column(page, COL_ACTIVITY) == [MEETING]
    page.search_box.clear()
    qtbot.wait(SEARCH_DELAY_MS + 50)
    assert len(column(page, COL_NAME)) == 5


def test_year_filter_narrows_the_list(page):
    combo = page.year_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [None, 2026, 2025]
    combo.setCurrentIndex(combo.findData(2025))
    assert column(page, COL_NAME) == [NAMES[3]]
    combo.setCurrentIndex(combo.findData(2026))
    assert len(column(page, COL_NAME)) == 4


def test_the_page_follows_new_certificates(qtbot, page, world, ctx):
    person = store.insert(ctx.db, records.Person(full_name="هدى سلمان داود"))
    attendance.add(ctx.db, world["workshop"].id, person.id)
    certificates.issue(ctx.db, person.id, world["workshop"].id, year=2027)
    ctx.changed("certificates")
    assert column(page, COL_NAME)[0] == "هدى سلمان داود"
    assert page.year_combo.findData(2027) > 0


def test_double_click_opens_the_certificates_activity(qtbot, page, world):
    from ui.forms.activity_form import ActivityDialog

    seen = answer_modal(lambda dialog: dialog.reject(), ActivityDialog)
    row = column(page, COL_ACTIVITY).index(MEETING)
    rect = page.table.visualRect(page.table.model().index(row, COL_ACTIVITY))
    # A double click is a press and release, then the double click (QTest sends only it).
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(seen) == 1 and seen[0].activity_id == world["meeting"].id
    assert seen[0].isRightToLeft()
    page.table.setFocus()
    seen = answer_modal(lambda dialog: dialog.reject(), ActivityDialog)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter opens it too
    assert len(seen) == 1 and seen[0].activity_id == world["meeting"].id


# --- export ---------------------------------------------------------------------------

def test_export_writes_the_shown_register_and_offers_to_open_it(qtbot, page, tmp_path,
                                                               monkeypatch):
    asked: list[Path] = []
    opened: list[str] = []
    out = tmp_path / "out"
    out.mkdir()

    def ask(_parent, _title, suggested: Path) -> Path:
        asked.append(suggested)
        return out / "السجل"  # no suffix: .xlsx is added

    monkeypatch.setattr(export, "ask_save_path", ask)
    monkeypatch.setattr(export, "open_url", lambda url: opened.append(url.toLocalFile())
                        or True)
    page.year_combo.setCurrentIndex(page.year_combo.findData(2026))
    page.export_action.trigger()
    qtbot.waitUntil(lambda: page.findChild(export.ExportResultDialog) is not None,
                    timeout=20000)
    result = page.findChild(export.ExportResultDialog)
    assert asked[0].name.startswith("سجل الشهادات 2026") and asked[0].suffix == ".xlsx"
    written = out / "السجل.xlsx"
    assert result.path == written
    result.open_button.click()  # one click opens the file
    assert opened == [str(written)]
    sheet = load_workbook(written).active
    assert sheet.sheet_view.rightToLeft is True
    assert sorted(row[1].value for row in sheet.iter_rows(min_row=2)) == sorted(NAMES)


# --- correcting a name ----------------------------------------------------------------

def correct(qtbot, page: CertificatesPage, serial: str, new_name: str) -> list[QWidget]:
    select_serial(qtbot, page, serial)
    assert page.correct_action.isEnabled()

    def answer(dialog: QInputDialog) -> None:
        assert "النسخ المطبوعة قبل التصحيح" in dialog.labelText()
        assert dialog.textValue() == NAMES[0]
        dialog.setTextValue(new_name)
        dialog.accept()

    seen = answer_modal(answer, QInputDialog)
    page.correct_action.trigger()
    assert seen
    return seen


def test_correcting_the_name_shows_the_revision_and_the_old_qr_is_outdated(qtbot, page,
                                                                           world, ctx):
    old_line = certificates.qr_payload(world["certs"][0])
    correct(qtbot, page, "KRB-2026-0001", "زينب علي حسين الأسديّة")
    row = column(page, COL_SERIAL).index(f"{LRI}KRB-2026-0001{PDI}")
    assert column(page, COL_NAME)[row] == "زينب علي حسين الأسديّة"
    assert column(page, COL_REVISION)[row] == number_text(1, ctx.date_style)
    assert page.table.currentIndex().row() == row  # still selected

    dialog = VerifyDialog(ctx, page)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.input, old_line + "\n")
    assert not dialog.result.genuine
    assert dialog.headline.text() == VERIFY_TEXT["not_genuine"]
    assert "نسخة قديمة" in dialog.reason.text()
    assert "زينب علي حسين الأسديّة" in dialog.reason.text()


def test_an_empty_correction_changes_nothing(qtbot, page, world, monkeypatch):
    warned: list[str] = []
    monkeypatch.setattr(export, "warn", lambda _p, _t, text: warned.append(text))
    correct(qtbot, page, "KRB-2026-0001", "   ")
    assert warned == [page_module.TEXT["empty_name"]]
    cert = store.get(page.ctx.db, records.Certificate, world["certs"][0].id)
    assert (cert.holder_name, cert.revision) == (NAMES[0], 0)


# --- the verify dialog ----------------------------------------------------------------

@pytest.fixture
def dialog(qtbot, ctx, world):
    dialog = VerifyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def check(dialog: VerifyDialog, text: str) -> None:
    dialog.input.clear()
    type_text(dialog.input, text + "\n")  # Enter verifies


def test_verify_accepts_the_qr_line(dialog, world, ctx):
    cert = world["certs"][0]
    check(dialog, certificates.qr_payload(cert))
    assert dialog.result.genuine
    assert dialog.headline.text() == VERIFY_TEXT["genuine"]
    assert dialog.isRightToLeft() and dialog.frame.isVisible()
    values = {key: label.text() for key, label in dialog.values.items()}
    style = ctx.date_style
    assert values["holder"] == NAMES[0]
    assert values["serial"] == f"\u200f{LRI}KRB-2026-0001{PDI}"
    assert values["activity"] == world["workshop"].title
    assert values["dates"] == "٢٢–٢٣ تشرين الثاني ٢٠٢٦"
    assert values["issued"] == date_text(issued_on(cert.issued_at), style)
    assert values["code"] == f"\u200f{LRI}{cert.code}{PDI}"
    assert all(label.isVisible() for label in dialog.values.values())


def test_verify_accepts_the_short_code_typed_with_spaces_and_lower_case(dialog, world, qtbot):
    cert = world["certs"][4]
    code = cert.code.lower()
    dialog.input.clear()
    type_text(dialog.input, f"{code[:5]} {code[5:]}")
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    assert dialog.result.genuine
    assert dialog.values["holder"].text() == NAMES[3]
    assert dialog.values["activity"].text() == MEETING


def _changed_signature(signature: str) -> str:
    middle = len(signature) // 2
    return signature[:middle] + ("A" if signature[middle] != "A" else "B") + \
        signature[middle + 1:]


@pytest.mark.parametrize("change", ["name", "serial", "signature", "random"])
def test_verify_refuses_a_changed_certificate_with_the_reason_in_arabic(dialog, world,
                                                                        change):
    cert = world["certs"][0]
    if change == "name":
        text = "|".join((cert.serial, "زينب علي حسن الأسدي", cert.signature))
        expected = "الشهادة غير صحيحة"
    elif change == "serial":
        text = "|".join(("KRB-2026-0002", cert.holder_name, cert.signature))
        expected = "الشهادة غير صحيحة"
    elif change == "signature":
        text = "|".join((cert.serial, cert.holder_name, _changed_signature(cert.signature)))
        expected = "الشهادة غير صحيحة"
    else:
        text = "QWERTY2345"
        expected = "لا يطابق أي شهادة في السجل"
    check(dialog, text)
    assert not dialog.result.genuine
    assert dialog.headline.text() == VERIFY_TEXT["not_genuine"]
    assert dialog.reason.text() == dialog.result.reason
    assert expected in dialog.reason.text()
    assert not any(label.isVisible() for label in dialog.values.values())
    assert "#b3261e" in dialog.frame.styleSheet()


def test_verify_from_the_page_toolbar(qtbot, page, world):
    def answer(dialog: VerifyDialog) -> None:
        type_text(dialog.input, world["certs"][2].code + "\n")
        answered.append(dialog.values["holder"].text())
        dialog.reject()

    answered: list[str] = []
    seen = answer_modal(answer, VerifyDialog)
    page.verify_action.trigger()
    assert seen and answered == [NAMES[2]]
