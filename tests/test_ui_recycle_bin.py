"""The recycle bin dialog: what it lists, restoring, removing for good, emptying."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from models import attendance, recycle, store
from models.records import Activity, Person
from tests.conftest import karbala_workshop
from tests.test_recycle import backdate
from tests.test_ui_activities_page import answer_box
from ui.recycle_bin import (
    COL_DELETED,
    COL_LEFT,
    COL_TITLE,
    COL_TYPE,
    BinModel,
    RecycleBinDialog,
    days_text,
)


@pytest.fixture
def binned(db):
    """A deleted workshop, a deleted meeting (12 days ago), and two deleted persons: one
    still on a list, one not."""
    workshop = store.insert(db, karbala_workshop())
    meeting = store.insert(db, Activity(kind="meeting", title="الاجتماع الدوري للمنسقين",
                                        start_date="2026-10-05"))
    kept_list = store.insert(db, Activity(title="ورشة باقية", start_date="2026-09-01"))
    on_list = store.insert(db, Person(full_name="علي كاظم جواد"))
    loose = store.insert(db, Person(full_name="هدى عباس محمد"))
    attendance.add(db, kept_list.id, on_list.id)
    for record_type, record in ((Activity, workshop), (Activity, meeting),
                                (Person, on_list), (Person, loose)):
        store.delete(db, record_type, record.id)
    backdate(db, "activities", meeting.id, 12)
    return {"workshop": workshop, "meeting": meeting, "on_list": on_list, "loose": loose,
            "kept_list": kept_list}


@pytest.fixture
def dialog(qtbot, ctx, binned):
    dialog = RecycleBinDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def rows(dialog: RecycleBinDialog) -> list[list[str]]:
    model = dialog.table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def click_title(qtbot, dialog: RecycleBinDialog, title: str, *, control: bool = False) -> None:
    titles = [row[COL_TITLE] for row in rows(dialog)]
    index = dialog.table.model().index(titles.index(title), COL_TITLE)
    modifier = Qt.KeyboardModifier.ControlModifier if control else \
        Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, modifier,
                     dialog.table.visualRect(index).center())


def test_model_passes_qtmodeltester(qtmodeltester, db, binned):
    model = BinModel()
    model.set_items(recycle.items(db))
    qtmodeltester.check(model)


def test_the_bin_lists_what_was_deleted_right_to_left(dialog, binned):
    assert dialog.isRightToLeft() and dialog.windowTitle() == "سلة المحذوفات"
    listed = {row[COL_TITLE]: row for row in rows(dialog)}
    assert set(listed) == {binned["workshop"].title, binned["meeting"].title,
                           binned["on_list"].full_name, binned["loose"].full_name}
    assert listed[binned["workshop"].title][COL_TYPE] == "نشاط"
    assert listed[binned["loose"].full_name][COL_TYPE] == "مشارك"
    assert listed[binned["workshop"].title][COL_LEFT] == "٣٠ يوماً"
    assert listed[binned["meeting"].title][COL_LEFT] == "١٨ يوماً"
    assert listed[binned["on_list"].full_name][COL_LEFT] == "لا يُحذف ما دام في قوائم الحضور"
    assert "٢٠" in listed[binned["workshop"].title][COL_DELETED]  # an Arabic-Indic date
    assert dialog.count_label.text() == "في السلة: ٤"
    assert not dialog.restore_button.isEnabled() and dialog.empty_button.isEnabled()


def test_restore_brings_an_activity_back(qtbot, dialog, ctx, binned, db):
    click_title(qtbot, dialog, binned["workshop"].title)
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(ctx.data_changed) as changed:
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert changed.args == ["activities"]
    assert store.get(db, Activity, binned["workshop"].id).deleted_at is None
    assert binned["workshop"].title not in [row[COL_TITLE] for row in rows(dialog)]


def test_delete_for_good_asks_and_removes(qtbot, dialog, binned, db):
    click_title(qtbot, dialog, binned["meeting"].title)
    click_title(qtbot, dialog, binned["loose"].full_name, control=True)
    seen: list[str] = []
    answer_box("لا", seen)
    qtbot.mouseClick(dialog.purge_button, Qt.MouseButton.LeftButton)
    assert "٢ من السجلات" in seen[0] and "لا يمكن التراجع" in seen[0]
    assert seen[1] == "لا"  # the default answer
    assert len(rows(dialog)) == 4
    answer_box("نعم، احذف نهائياً", seen)
    qtbot.mouseClick(dialog.purge_button, Qt.MouseButton.LeftButton)
    assert {row[COL_TITLE] for row in rows(dialog)} == {binned["workshop"].title,
                                                       binned["on_list"].full_name}
    assert db.scalar("SELECT count(*) FROM activities WHERE id = ?",
                     (binned["meeting"].id,)) == 0


def test_a_person_on_a_list_is_kept_and_the_user_told(qtbot, dialog, binned):
    click_title(qtbot, dialog, binned["on_list"].full_name)
    seen: list[str] = []
    answer_box("نعم، احذف نهائياً", seen)
    answer_box(None, seen)  # the notice that one was kept
    qtbot.mouseClick(dialog.purge_button, Qt.MouseButton.LeftButton)
    assert any("ما زالوا في قوائم حضور" in text and binned["on_list"].full_name in text
               for text in seen)
    assert binned["on_list"].full_name in [row[COL_TITLE] for row in rows(dialog)]


def test_emptying_the_bin(qtbot, dialog, ctx, binned, db):
    seen: list[str] = []
    answer_box("نعم، احذف نهائياً", seen)
    answer_box(None, seen)
    with qtbot.waitSignals([ctx.data_changed, ctx.data_changed]):
        qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    assert "(٤)" in seen[0]
    # Only the person still on a list stays.
    assert [row[COL_TITLE] for row in rows(dialog)] == [binned["on_list"].full_name]
    assert store.get(db, Activity, binned["kept_list"].id)


def test_what_is_older_than_30_days_goes_when_the_bin_opens(qtbot, ctx, binned, db):
    backdate(db, "activities", binned["workshop"].id, 31)
    dialog = RecycleBinDialog(ctx)
    qtbot.addWidget(dialog)
    assert binned["workshop"].title not in [row[COL_TITLE] for row in rows(dialog)]
    assert len(rows(dialog)) == 3


def test_days_are_counted_in_arabic():
    from models.dates import DateStyle

    style = DateStyle()
    assert [days_text(n, style) for n in (0, 1, 2, 3, 10, 11, 30)] == [
        "عند الإفراغ التالي", "يوم واحد", "يومين", "٣ أيام", "١٠ أيام", "١١ يوماً",
        "٣٠ يوماً"]
    assert days_text(5, DateStyle(digits="western")) == "5 أيام"
