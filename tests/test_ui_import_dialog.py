"""The import dialog as a user meets it: a real file, the guessed columns, a change of
mind, the counts, Import, the summary; a broken file; Cancel during the import."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton

from models import attendance, importer, records, store
from models.arabic import FSI, PDI
from tests.test_importer import ATTENDEES, HEADER, table_dump, write_xlsx
from ui.forms.import_dialog import (
    DUPLICATE_COLOUR,
    PROBLEM_COLOUR,
    TEXT,
    ImportDialog,
    ImportPreviewModel,
)


@pytest.fixture
def workshop_file(tmp_path):
    """The seed workshop's list: a title row, a blank row, Arabic headers, seven people,
    a second row for one of them (a spelling variant), and a row with a bad phone."""
    rows = [HEADER, *(list(r) for r in ATTENDEES),
            ["8", "حيدر عباس كاظم الموسوى", "", "", "", ""],
            ["9", "سجاد محمد رضا", "", "", "هاتف المكتب", ""]]
    return write_xlsx(tmp_path / "مشاركو الورشة.xlsx", rows)


def open_dialog(qtbot, ctx, activity_id, **kwargs) -> ImportDialog:
    dialog = ImportDialog(ctx, activity_id, **kwargs)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planned, timeout=10000):
        dialog.show()
    return dialog


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry the way a keyboard user does: arrow keys on the focused combo."""
    target = combo.findText(text)
    assert target >= 0, text
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(abs(target - combo.currentIndex())):
        qtbot.keyClick(combo, key)
    assert combo.currentText() == text


def plain(text: str | None) -> str:
    return (text or "").replace(FSI, "").replace(PDI, "")


# --- the dialog -----------------------------------------------------------------------

def test_import_the_workshop_list_as_a_user(qtbot, ctx, db, workshop, workshop_file):
    changes: list[str] = []
    ctx.data_changed.connect(changes.append)
    dialog = open_dialog(qtbot, ctx, workshop.id, path=str(workshop_file))
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.windowTitle() == "استيراد المشاركين"
    assert dialog.source_label.text() == "الملف: مشاركو الورشة.xlsx — الورقة: المشاركون"
    assert dialog.header_spin.value() == 3
    assert [c.currentText() for c in dialog.combos] == [
        "تجاهل", "الاسم الرباعي", "العنوان الوظيفي", "الجهة", "الهاتف", "الجنس"]
    assert dialog.counts_label.text() == "سيُضاف ٧، يُطابَق ١، يُتجاوَز ١"
    model = dialog.model
    assert model.rowCount() == 9
    assert plain(model.index(0, model.COL_FIRST_CELL + 1).data()) == "زينب علي حسين الأسدي"
    assert model.index(7, model.COL_STATUS).data() == "مطابق"
    assert "الصف ٥" in model.index(7, model.COL_STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(8, model.COL_STATUS).data() == "فيه مشكلة"
    assert "رقم الهاتف" in model.index(8, 3).data(Qt.ItemDataRole.ToolTipRole)

    # The phone column is ignored after all: Sajjad's row is no longer a problem.
    choose(qtbot, dialog.combos[4], "تجاهل")
    qtbot.waitUntil(lambda: dialog.counts_label.text() == "سيُضاف ٨، يُطابَق ١، يُتجاوَز ٠",
                    timeout=10000)
    assert dialog.import_button.isEnabled()

    # One click: the dialog closes on its own, leaving its summary for the attendees tab.
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.summary_text == ("أُضيف مشاركون جدد: ٨، طوبقوا مع مشاركين موجودين: ١، "
                                   "تُجووزوا: ٠")
    assert "الصف ١١: حيدر عباس كاظم الموسوى ← حيدر عباس كاظم الموسوي (الاسم نفسه)" in \
        dialog.summary_details
    assert {"persons", "attendance"} <= set(changes)
    assert not dialog.isVisible()

    names = [a.person.full_name for a in attendance.attendees(db, workshop.id)]
    assert names == [r[1] for r in ATTENDEES] + ["سجاد محمد رضا"]
    zainab = store.find(db, records.Person, "full_name = ?", ("زينب علي حسين الأسدي",))[0]
    assert zainab.phone == ""  # the phone column was set to be ignored
    assert (zainab.job_title, zainab.entity) == ("مسؤولة شعبة الإعلام", "مديرية تربية كربلاء")


def test_choosing_other_columns(qtbot, ctx, db, workshop, tmp_path):
    store.insert(db, records.Person(full_name="شخص آخر", phone="07701234567"))
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, *ATTENDEES[:3]], title=None)
    dialog = open_dialog(qtbot, ctx, workshop.id, path=str(path))
    assert dialog.counts_label.text() == "سيُضاف ٢، يُطابَق ١، يُتجاوَز ٠"
    # Names from the entity column instead: arrowing over other fields on the way to it
    # takes nothing from the columns that hold them.
    choose(qtbot, dialog.combos[3], "الاسم الرباعي")
    choose(qtbot, dialog.combos[1], "تجاهل")
    qtbot.waitUntil(lambda: dialog.plan is not None
                    and dialog.plan.mapping.columns_of("full_name") == [3], timeout=10000)
    assert [c.currentText() for c in dialog.combos] == [
        "تجاهل", "تجاهل", "العنوان الوظيفي", "الاسم الرباعي", "الهاتف", "الجنس"]
    assert dialog.plan.rows[0].person.full_name == "مديرية تربية كربلاء"
    assert dialog.model.index(0, dialog.model.COL_STATUS).data() == "مطابق"
    # The phone chosen for a second column: a message says so and Import waits.
    choose(qtbot, dialog.combos[2], "الهاتف")
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10000)
    assert dialog.message.text() == TEXT["conflict"].format(field="الهاتف")
    assert not dialog.import_button.isEnabled()
    choose(qtbot, dialog.combos[2], "تجاهل")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10000)
    assert not dialog.message.isVisible()
    assert dialog.counts_label.text() == "سيُضاف ٢، يُطابَق ١، يُتجاوَز ٠"


def test_without_a_name_column_nothing_can_be_imported(qtbot, ctx, workshop, workshop_file):
    dialog = open_dialog(qtbot, ctx, workshop.id, path=str(workshop_file))
    for _ in range(2):  # the title row as header: no column reads as names
        qtbot.keyClick(dialog.header_spin, Qt.Key.Key_Down)
    assert dialog.header_spin.value() == 1
    qtbot.waitUntil(lambda: dialog.message.text() == TEXT["need_name"], timeout=5000)
    assert dialog.message.isVisible()
    assert not dialog.import_button.isEnabled()
    assert all(c.currentText() == "تجاهل" for c in dialog.combos)
    choose(qtbot, dialog.combos[1], "الاسم الرباعي")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10000)
    assert not dialog.message.isVisible()
    for _ in range(2):
        qtbot.keyClick(dialog.header_spin, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: dialog.counts_label.text() == "سيُضاف ٧، يُطابَق ١، يُتجاوَز ١",
                    timeout=10000)
    assert dialog.combos[5].currentText() == "الجنس"


def test_paste_from_excel(qtbot, ctx, db, workshop):
    text = "\r\n".join("\t".join(r) for r in [HEADER, *ATTENDEES[:2]]) + "\r\n"
    dialog = open_dialog(qtbot, ctx, workshop.id, text=text)
    assert dialog.source_label.text() == TEXT["clipboard"]
    assert not dialog.sheet_combo.isVisible()
    assert dialog.counts_label.text() == "سيُضاف ٢، يُطابَق ٠، يُتجاوَز ٠"
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        qtbot.keyClick(dialog.import_button, Qt.Key.Key_Return)
    assert dialog.summary_text.startswith("أُضيف مشاركون جدد: ٢")
    assert attendance.count(db, workshop.id) == 2


def test_a_possible_duplicate_is_pointed_out_before_and_after(qtbot, ctx, db, workshop):
    store.insert(db, records.Person(full_name="علي عبد الزهرة كاظم الموسوي",
                                    entity="مديرية تربية كربلاء"))
    rows = [["الاسم", "الجهة"], ["علي عبدالزهرة كاظم", "مديرية تربية كربلاء"]]
    dialog = open_dialog(qtbot, ctx, workshop.id, text="\n".join("\t".join(r) for r in rows))
    model = dialog.model
    tip = model.index(0, model.COL_STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert "قد يكون «علي عبد الزهرة كاظم الموسوي»" in tip
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        qtbot.keyClick(dialog.import_button, Qt.Key.Key_Return)
    assert "الصف ٢: علي عبدالزهرة كاظم ← علي عبد الزهرة كاظم الموسوي" in \
        "\n".join(dialog.summary_details)


def test_a_workbook_with_several_sheets_offers_them(qtbot, ctx, workshop, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "الأول"
    book.active.append(["الاسم"])
    book.active.append(["زينب علي حسين"])
    second = book.create_sheet("اليوم الثاني")
    second.append(["الاسم"])
    second.append(["حيدر عباس"])
    second.append(["مصطفى جواد"])
    book.save(tmp_path / "s.xlsx")
    dialog = open_dialog(qtbot, ctx, workshop.id, path=str(tmp_path / "s.xlsx"))
    assert dialog.sheet_combo.isVisible()
    assert dialog.source_label.text() == "الملف: s.xlsx"
    assert dialog.counts_label.text() == "سيُضاف ١، يُطابَق ٠، يُتجاوَز ٠"
    with qtbot.waitSignal(dialog.planned, timeout=10000):
        qtbot.keyClick(dialog.sheet_combo, Qt.Key.Key_Down)
    assert dialog.table.sheet == "اليوم الثاني"
    assert dialog.counts_label.text() == "سيُضاف ٢، يُطابَق ٠، يُتجاوَز ٠"


@pytest.mark.parametrize(("name", "data", "words"), [
    ("report.xlsx", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n", "PDF"),
    ("empty.csv", b"", "فارغ"),
    ("garbage.csv", bytes(range(256)) * 16, "نصاً مقروءاً"),
])
def test_a_broken_file_says_why_and_changes_nothing(qtbot, ctx, db, workshop, tmp_path, name,
                                                    data, words):
    path = tmp_path / name
    path.write_bytes(data)
    before = table_dump(db)
    dialog = ImportDialog(ctx, workshop.id, path=str(path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10000)
    assert words in dialog.message.text() and name in dialog.message.text()
    assert not dialog.import_button.isEnabled() and not dialog.header_spin.isEnabled()
    assert dialog.isVisible()  # still usable: the user closes it
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert table_dump(db) == before


def test_cancel_during_the_import_keeps_nothing(qtbot, ctx, db, workshop, monkeypatch):
    rows = [["الاسم الرباعي", "الهاتف"]] + [[f"مشارك رقم {i} كاظم", f"0770{i:07d}"]
                                              for i in range(400)]
    real_apply = importer.apply

    def slow_apply(db, plan, activity_id, progress=None):
        def slow(done: int, total: int) -> None:
            progress(done, total)
            time.sleep(0.2)  # long enough for the progress dialog to show

        return real_apply(db, plan, activity_id, slow)

    monkeypatch.setattr(importer, "apply", slow_apply)
    dialog = open_dialog(qtbot, ctx, workshop.id,
                         text="\n".join("\t".join(r) for r in rows))
    assert dialog.counts_label.text() == "سيُضاف ٤٠٠، يُطابَق ٠، يُتجاوَز ٠"
    before = table_dump(db)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is not None and dialog.task.dialog is not None
                    and dialog.task.dialog.isVisible(), timeout=10000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc does not walk away from a running import
    assert dialog.isVisible()
    cancel = dialog.task.dialog.findChild(QPushButton)
    assert cancel.text() == "إلغاء"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text() == TEXT["cancelled"], timeout=20000)
    assert table_dump(db) == before
    assert dialog.isVisible() and dialog.import_button.isEnabled()


# --- the preview model ----------------------------------------------------------------

def test_preview_model(qtmodeltester, db, workshop):
    store.insert(db, records.Person(full_name="زينب علي حسين الأسدي"))
    table = importer.parse_text(
        "كشف المشاركين\n\nت\tالاسم\tالهاتف\n1\tزينب علي حسين الاسدي\t0770 123 4567\n"
        "2\t\t\n3\tحيدر عباس\tهاتف المكتب\n4\tمصطفى جواد\t\n")
    mapping = importer.guess_mapping(table)
    plan = importer.plan(db, table, mapping, workshop.id)
    model = ImportPreviewModel()
    model.set_preview(table, mapping, plan)
    qtmodeltester.check(model)
    assert model.columnCount() == 2 + 3
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "الصف", "الحالة", "ت", "الاسم", "الهاتف"]
    assert model.rowCount() == 3  # the empty numbered row is left out
    assert [model.index(r, model.COL_ROW).data() for r in range(3)] == ["٤", "٦", "٧"]
    assert [model.index(r, model.COL_STATUS).data(model.STATUS_ROLE) for r in range(3)] == [
        "matched", "problem", "new"]
    phone = model.index(0, 4).data()
    assert phone == f"{FSI}0770 123 4567{PDI}"  # reads left to right in an RTL view
    assert model.index(0, 3).data(Qt.ItemDataRole.BackgroundRole) == DUPLICATE_COLOUR
    assert model.index(1, 3).data(Qt.ItemDataRole.BackgroundRole) == PROBLEM_COLOUR
    assert model.index(2, 3).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "الاسم نفسه" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    model.set_preview(table, mapping, plan, limit=2)
    assert model.rowCount() == 2
    model.set_preview(None, None, None)
    assert (model.rowCount(), model.columnCount()) == (0, 2)
    qtmodeltester.check(model)
