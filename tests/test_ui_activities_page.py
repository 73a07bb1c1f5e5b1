"""The activities page, used as a coordinator would: search, filters, sorting, delete, undo."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from models import attendance, store
from models.records import Activity, Person
from tests.conftest import karbala_workshop
from ui.pages.activities import SEARCH_DELAY_MS, ActivitiesPage
from ui.table_models.activities import COL_DATES, COL_KIND, COL_STATUS, COL_TITLE


def type_text(widget: QWidget, text: str) -> None:
    """Type like a user. (qtbot.keyClicks aborts the process on Arabic: it sends Latin-1.)"""
    for char in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char,
                           Qt.KeyboardModifier.NoModifier)


def answer_box(button: str | None, seen: list[str], *, tries: int = 250) -> None:
    """Click ``button`` (None: the default one) on the next message box that opens, noting
    its text, its default button's text and its direction in ``seen`` (a user reading the
    question, then answering)."""
    def look(left: int = tries) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and not box.property("answered"):
            box.setProperty("answered", True)  # for a second answer_box waiting its turn
            seen.append(box.text())
            default = box.defaultButton()
            seen.append(default.text() if default else "")
            seen.append("rtl" if box.isRightToLeft() else "ltr")
            if button is None:
                (default or box.buttons()[0]).click()
                return
            for candidate in box.buttons():
                if candidate.text() == button:
                    candidate.click()
                    return
            raise AssertionError(f"no button {button!r} in {[b.text() for b in box.buttons()]}")
        if left:
            QTimer.singleShot(20, lambda: look(left - 1))
    QTimer.singleShot(0, look)


def close_next_dialog(found: list[QDialog], *, tries: int = 250) -> None:
    """Note and close (Esc-like reject) the next modal dialog that opens."""
    def look(left: int = tries) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and not isinstance(dialog, QMessageBox) \
                and dialog.isVisible():
            found.append(dialog)
            dialog.done(QDialog.DialogCode.Rejected)
            return
        if left:
            QTimer.singleShot(20, lambda: look(left - 1))
    QTimer.singleShot(0, look)


@pytest.fixture
def activities(db):
    """The Karbala workshop with its list, and five others of several kinds and months."""
    workshop = store.insert(db, karbala_workshop())
    for name in ("زينب علي حسين الأسدي", "علي كاظم جواد"):
        attendance.add(db, workshop.id, store.insert(db, Person(full_name=name)).id)
    others = [
        Activity(kind="meeting", title="الاجتماع الدوري لمنسقي الاتصال الحكومي",
                 start_date="2026-10-05", status="sent", place="ديوان المحافظة"),
        Activity(kind="course", title="دورة تدريبية في التصوير الصحفي",
                 start_date="2026-09-14", end_date="2026-09-16", status="draft",
                 place="قاعة الشهداء", participants_count=18),
        Activity(kind="seminar", title="ندوة عن الأمن الغذائي", start_date="2026-06-02",
                 status="approved", place="جامعة كربلاء"),
        Activity(kind="press_release", title="بيان صحفي بشأن مواعيد الامتحانات",
                 start_date="2026-05-20", status="sent"),
        Activity(kind="workshop", title="ورشة عن أخلاقيات العمل الإعلامي",
                 start_date="2025-12-01", status="draft", place="قاعة الشهداء"),
    ]
    return [workshop] + [store.insert(db, a) for a in others]


@pytest.fixture
def page(qtbot, ctx, activities):
    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def titles(page: ActivitiesPage) -> list[str]:
    model = page.table.model()
    return [model.index(r, COL_TITLE).data() for r in range(model.rowCount())]


def test_the_page_is_right_to_left_and_arabic(page):
    assert page.key == "activities" and page.title == "الأنشطة"
    assert page.isRightToLeft() and page.table.isRightToLeft()
    assert [a.text() for a in page.toolbar.actions() if a.text()] == [
        "جديد", "تعديل", "نسخ", "حذف", "اعتماد", "سلة المحذوفات", "تصدير",
        "شهادات المشاركين", "تصدير إلى Excel…"]
    assert page.count_label.text() == "عدد الأنشطة: ٦"
    # Newest first, and the header says so.
    assert titles(page)[0] == karbala_workshop().title
    header = page.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        COL_DATES, Qt.SortOrder.DescendingOrder)
    assert page.table.model().index(0, COL_DATES).data() == "٢٢–٢٣ تشرين الثاني ٢٠٢٦"


def test_typing_a_hamza_variant_finds_the_workshop_after_a_pause(qtbot, page, activities):
    type_text(page.search_box, "الإتصال")
    # Not on every key: the list waits for the typing to pause.
    assert len(titles(page)) == 6
    qtbot.waitUntil(lambda: len(titles(page)) == 2, timeout=SEARCH_DELAY_MS * 8)
    assert set(titles(page)) == {activities[0].title, activities[1].title}
    assert page.count_label.text() == "عدد الأنشطة: ٢"
    # Ranked, so no column claims the order.
    assert page.table.horizontalHeader().sortIndicatorSection() == -1
    # A word still being typed already narrows the list.
    page.search_box.clear()
    type_text(page.search_box, "الأخلاق")
    qtbot.waitUntil(lambda: titles(page) == ["ورشة عن أخلاقيات العمل الإعلامي"],
                    timeout=SEARCH_DELAY_MS * 8)
    # Clearing the search brings everything back, newest first.
    page.search_box.clear()
    qtbot.waitUntil(lambda: len(titles(page)) == 6, timeout=SEARCH_DELAY_MS * 8)
    assert titles(page)[0] == activities[0].title
    assert page.table.horizontalHeader().sortIndicatorSection() == COL_DATES


def test_filters_narrow_the_table(qtbot, page, activities):
    page.kind_combo.setCurrentIndex(page.kind_combo.findText("ورشة عمل"))
    assert set(page.table.model().index(r, COL_KIND).data()
               for r in range(page.table.model().rowCount())) == {"ورشة عمل"}
    assert len(titles(page)) == 2
    page.status_combo.setCurrentIndex(page.status_combo.findText("مسودة"))
    assert titles(page) == ["ورشة عن أخلاقيات العمل الإعلامي"]
    assert page.table.model().index(0, COL_STATUS).data() == "مسودة"
    page.kind_combo.setCurrentIndex(0)
    page.status_combo.setCurrentIndex(0)
    assert len(titles(page)) == 6
    # A date range, typed as a user types dates.
    type_text(page.date_from.line, "1/9/2026")
    type_text(page.date_to.line, "٣٠/١٠/٢٠٢٦")
    qtbot.waitUntil(lambda: len(titles(page)) == 2, timeout=SEARCH_DELAY_MS * 8)
    assert titles(page) == [activities[1].title, activities[2].title]
    assert page.count_label.text() == "عدد الأنشطة: ٢"


def test_escape_in_the_search_box_clears_the_search(qtbot, page):
    page.focus_search()
    type_text(page.search_box, "التصوير")
    qtbot.waitUntil(lambda: len(titles(page)) == 1, timeout=SEARCH_DELAY_MS * 8)
    qtbot.keyClick(page.search_box, Qt.Key.Key_Escape)
    assert page.search_box.text() == ""
    assert len(titles(page)) == 6


def test_search_and_filters_combine(qtbot, page, activities):
    page.status_combo.setCurrentIndex(page.status_combo.findText("مرسل"))
    type_text(page.search_box, "الاتصال")
    qtbot.waitUntil(lambda: titles(page) == [activities[1].title], timeout=SEARCH_DELAY_MS * 8)


def test_clicking_a_header_sorts(qtbot, page):
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_TITLE) + header.sectionSize(COL_TITLE) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    first = titles(page)
    assert first in (sorted(first), sorted(first, reverse=True))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    assert titles(page) == list(reversed(first))
    assert header.sortIndicatorSection() == COL_TITLE


def click_title(qtbot, page: ActivitiesPage, title: str, *, control: bool = False) -> None:
    """Click the row of an activity (with Ctrl: add it to the selection)."""
    index = page.table.model().index(titles(page).index(title), COL_TITLE)
    page.table.scrollTo(index)
    modifier = Qt.KeyboardModifier.ControlModifier if control else \
        Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, modifier,
                     page.table.visualRect(index).center())


def test_delete_asks_and_no_keeps_the_activity(qtbot, page, activities, db):
    click_title(qtbot, page, activities[3].title)
    seen: list[str] = []
    answer_box("لا", seen)
    page.delete_selected()
    assert activities[3].title in seen[0] and "سلة المحذوفات" in seen[0]
    assert seen[1:] == ["لا", "rtl"]  # No is the default answer
    assert len(titles(page)) == 6
    assert store.get(db, Activity, activities[3].id)


def test_delete_moves_to_the_bin_and_undo_restores(qtbot, page, ctx, activities, db):
    click_title(qtbot, page, activities[3].title)
    seen: list[str] = []
    answer_box("نعم، انقل إلى السلة", seen)
    with qtbot.waitSignal(ctx.undo_offered) as offer:
        page.delete_selected()
    message, undo = offer.args
    assert message == f"نُقل النشاط «{activities[3].title}» إلى سلة المحذوفات"
    assert activities[3].title not in titles(page)
    assert page.count_label.text() == "عدد الأنشطة: ٥"
    assert store.get(db, Activity, activities[3].id, include_deleted=True).deleted_at
    # The undo bar runs the function and announces the table it names.
    assert undo() == "activities"
    ctx.changed("activities")
    assert activities[3].title in titles(page)
    assert store.get(db, Activity, activities[3].id).deleted_at is None


def test_deleting_several_at_once(qtbot, page, ctx, activities, db):
    click_title(qtbot, page, activities[4].title)
    click_title(qtbot, page, activities[5].title, control=True)
    assert page.selected_ids() == [activities[4].id, activities[5].id]
    seen: list[str] = []
    answer_box("نعم، انقل إلى السلة", seen)
    with qtbot.waitSignal(ctx.undo_offered) as offer:
        page.delete_selected()
    assert "٢ من الأنشطة" in seen[0]
    assert offer.args[0] == "نُقل ٢ من الأنشطة إلى سلة المحذوفات"
    assert len(titles(page)) == 4
    offer.args[1]()
    ctx.changed("activities")
    assert len(titles(page)) == 6


def test_nothing_selected_nothing_asked(page):
    page.table.clearSelection()
    page.delete_selected()  # no box opens: the test would hang on exec() otherwise
    assert not page.delete_action.isEnabled()
    assert not page.edit_action.isEnabled()


def test_the_dashboard_opens_a_narrowed_list(qtbot, page, activities):
    page.apply_filters({"status": "draft", "date_from": "2026-01-01"})
    assert titles(page) == [activities[2].title]
    assert page.status_combo.currentText() == "مسودة"
    assert page.date_from.value() == "2026-01-01"
    page.apply_filters({"kind": "workshop"})
    assert set(titles(page)) == {activities[0].title, activities[5].title}
    assert page.status_combo.currentIndex() == 0 and page.date_from.value() is None
    page.apply_filters({"query": "التصوير"})
    assert titles(page) == [activities[2].title]
    assert page.search_box.text() == "التصوير"


def test_other_windows_changes_show(qtbot, page, ctx, db, activities):
    store.insert(db, Activity(title="حملة توعوية للنظافة", kind="campaign",
                              start_date="2026-12-01"))
    ctx.changed("persons")  # not ours: nothing to do
    assert len(titles(page)) == 6
    ctx.changed("activities")
    assert titles(page)[0] == "حملة توعوية للنظافة"
    # Attendance changes the participants column.
    click_title(qtbot, page, activities[1].title)
    attendance.add(db, activities[1].id, store.insert(db, Person(full_name="سعاد علي")).id)
    ctx.changed("attendance")
    assert page.selected_ids() == [activities[1].id]  # the selection survives
    row = titles(page).index(activities[1].title)
    assert page.table.model().index(row, 4).data() == "١"


def test_a_hidden_page_refreshes_when_shown(qtbot, page, ctx, db):
    page.hide()
    store.insert(db, Activity(title="زيارة ميدانية للمدارس", kind="field_visit",
                              start_date="2026-12-05"))
    ctx.changed("activities")
    assert "زيارة ميدانية للمدارس" not in titles(page)
    page.show()
    assert titles(page)[0] == "زيارة ميدانية للمدارس"


def test_a_new_date_style_shows_at_once(page, ctx):
    unit = ctx.unit
    ctx.save_unit(dataclasses.replace(unit, digits="western", months="egyptian"))
    assert page.count_label.text() == "عدد الأنشطة: 6"
    assert page.table.model().index(0, COL_DATES).data() == "22–23 نوفمبر 2026"


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot, page):
    page.search_box.setText("ورشة")
    page.table.setFocus()
    page.focus_search()
    qtbot.waitUntil(page.search_box.hasFocus)
    assert page.search_box.selectedText() == "ورشة"


def test_double_click_and_enter_open_the_activity_form(qtbot, page, activities):
    from ui.forms.activity_form import ActivityDialog

    row = titles(page).index(activities[2].title)
    index = page.table.model().index(row, COL_TITLE)
    rect = page.table.visualRect(index)
    found: list[QDialog] = []
    close_next_dialog(found)
    # A double click is a press and release, then the double click (QTest sends only it).
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(found) == 1 and isinstance(found[0], ActivityDialog)
    assert found[0].isRightToLeft()
    page.table.setFocus()
    close_next_dialog(found)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert len(found) == 2 and isinstance(found[1], ActivityDialog)
    close_next_dialog(found)
    page.new_record()
    assert len(found) == 3 and isinstance(found[2], ActivityDialog)
    close_next_dialog(found)
    page.duplicate_selected()
    assert len(found) == 4 and isinstance(found[3], ActivityDialog)


def test_the_recycle_bin_opens_from_the_toolbar(qtbot, page, db, activities):
    store.delete(db, Activity, activities[4].id)
    found: list[QDialog] = []
    close_next_dialog(found)
    page.bin_action.trigger()
    assert len(found) == 1
    assert found[0].windowTitle() == "سلة المحذوفات" and found[0].isRightToLeft()
