"""The communication plan page and the item form, with real widgets on a real file."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from models import plans, records, store
from ui.forms.plan_item_form import PlanItemDialog
from ui.pages.plans import (
    COL_ACTIVITY,
    COL_CHANNELS,
    COL_OUTCOME,
    COL_STATUS,
    COL_TITLE,
    ActivityPicker,
    NewPlanDialog,
    PlansPage,
)

TODAY = dt.date(2026, 12, 4)
ITEM = "حملة التوعية بموسم الأمطار"


@pytest.fixture
def page(qtbot, ctx):
    widget = PlansPage(ctx, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1280, 700)
    widget.show()
    return widget


@pytest.fixture
def meeting(ctx):
    return store.insert(ctx.db, records.Activity(
        kind="meeting", title="الاجتماع الدوري لشبكة الاتصال", start_date="2026-12-10"))


def answer_modal(qtbot, act) -> list:
    """Run ``act(dialog)`` on the modal dialog the next call opens; what it returned."""
    seen: list = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        seen.append(act(dialog))

    QTimer.singleShot(0, run)
    return seen


def shown(page, column=COL_TITLE) -> list[str]:
    model = page.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def make_plan_on_page(page, qtbot, *, copy: bool | None = None) -> str:
    def create(dialog):
        assert isinstance(dialog, NewPlanDialog)
        assert (dialog.period_start.value(), dialog.period_end.value()) == (
            "2026-12-01", "2027-01-31")  # this month and the next
        if copy is not None:
            dialog.copy.setChecked(copy)
        return dialog.create()

    answered = answer_modal(qtbot, create)
    plan_id = page.new_plan()
    assert answered == [True] and plan_id
    return plan_id


def add_item_through_form(page, qtbot) -> str:
    def fill(dialog):
        assert isinstance(dialog, PlanItemDialog)
        assert dialog.save() is False  # no title: said under the field, nothing written
        assert "مطلوب" in dialog.errors.message("title")
        dialog.date.line.setText("2026-13-45")
        assert dialog.save() is False
        assert "التاريخ" in dialog.errors.message("date")  # every broken rule at once
        assert dialog.errors.message("title")
        dialog.title.setText(ITEM)
        dialog.date.setValue("2026-12-15")
        dialog.owner.setText("قسم الإعلام")
        dialog.channels["tv"].setChecked(True)
        dialog.channels["meeting"].setChecked(True)
        dialog.priority.setCurrentIndex(dialog.priority.findData("high"))
        return dialog.save()

    answered = answer_modal(qtbot, fill)
    item_id = page.new_item()
    assert answered == [True] and item_id
    return item_id


def test_a_plan_an_item_through_the_form_and_linking_it_to_an_activity(page, qtbot, meeting):
    assert page.plan_list.count() == 0 and not page.new_item_action.isEnabled()
    plan_id = make_plan_on_page(page, qtbot)
    assert page.current_plan_id() == plan_id
    assert page.plan_heading.text() == plans.get_plan(page.ctx.db, plan_id).title
    assert page.plan_list.count() == 1
    item_id = add_item_through_form(page, qtbot)
    assert shown(page) == [ITEM]
    assert shown(page, COL_CHANNELS) == ["تلفزيون، اجتماع"]
    assert shown(page, COL_STATUS) == ["مخطط"]
    assert shown(page, COL_OUTCOME) == ["لم يحن موعدها"]
    stored = store.get(page.ctx.db, records.PlanItem, item_id)
    assert (stored.plan_id, stored.date, stored.channels, stored.priority) == (
        plan_id, "2026-12-15", ["tv", "meeting"], "high")
    before = page.summary_label.text()
    assert "لم يحن موعدها ١" in before and "نشاطات من خارج المخطط ١" in before
    assert "نُفذت في موعدها ٠" in before

    # Link the item to the meeting, picking it by a word of its title.
    assert page.current_item_id() == item_id and not page.unlink_action.isEnabled()

    def pick(dialog):
        assert isinstance(dialog, ActivityPicker)
        dialog.search.setText("كلمة لا توجد")
        assert not dialog.link_button.isEnabled()
        dialog.search.setText("شبكه الاتصال")  # folded: ة or ه alike
        dialog.pick()
        return dialog.chosen

    answered = answer_modal(qtbot, pick)
    assert page.link_item() == meeting.id and answered == [meeting.id]
    assert shown(page, COL_STATUS) == ["منفذ"]
    assert shown(page, COL_ACTIVITY) == [meeting.title]
    assert shown(page, COL_OUTCOME) == ["نُفذت في موعدها"]
    after = page.summary_label.text()
    assert "نُفذت في موعدها ١" in after and "لم يحن موعدها ٠" in after
    assert "نشاطات من خارج المخطط ٠" in after
    assert store.get(page.ctx.db, records.PlanItem, item_id).activity_id == meeting.id

    assert page.unlink_item() is True
    assert shown(page, COL_STATUS) == ["مخطط"] and shown(page, COL_ACTIVITY) == [""]
    assert "نشاطات من خارج المخطط ١" in page.summary_label.text()


def test_editing_an_item_keeps_it_and_shows_its_activity(page, qtbot, ctx, meeting):
    plan = plans.new_plan(ctx.db, today=TODAY)
    item = plans.save_item(ctx.db, records.PlanItem(plan_id=plan.id, title=ITEM,
                                                    channels=["radio", "old"]))
    plans.link_activity(ctx.db, item.id, meeting.id)
    dialog = PlanItemDialog(ctx, plan.id, item.id)
    qtbot.addWidget(dialog)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.channels["radio"].isChecked() and not dialog.channels["tv"].isChecked()
    assert meeting.title in dialog.activity_label.text()
    dialog.owner.setText("شعبة الإعلام")
    assert dialog.save() is True
    saved = store.get(ctx.db, records.PlanItem, item.id)
    assert saved.owner == "شعبة الإعلام" and saved.channels == ["radio", "old"]
    assert saved.activity_id == meeting.id and saved.status == "done"
    assert store.count(ctx.db, records.PlanItem) == 1


def test_save_item_refuses_an_item_of_no_plan(ctx):
    from models.errors import IttisalError

    with pytest.raises(IttisalError):
        plans.save_item(ctx.db, records.PlanItem(plan_id=None, title=ITEM))
    assert store.count(ctx.db, records.PlanItem) == 0


def test_a_new_plan_starts_as_a_copy_of_the_last_ones_open_items(page, qtbot, ctx):
    last = plans.new_plan(ctx.db, period=("2026-10-01", "2026-11-30"))
    for title, status in (("مؤتمر صحفي", "planned"), ("نشرة", "done"),
                          ("زيارة ميدانية", "postponed"), ("ندوة", "cancelled")):
        plans.save_item(ctx.db, records.PlanItem(plan_id=last.id, title=title,
                                                 status=status, date="2026-11-10"))
    page.refresh()
    assert page.current_plan_id() == last.id

    def create(dialog):
        assert "(٢)" in dialog.copy.text() and dialog.copy.isChecked()
        assert last.title in dialog.source_label.text()
        return dialog.create()

    answered = answer_modal(qtbot, create)
    new_id = page.new_plan()
    assert answered == [True] and new_id != last.id
    assert page.current_plan_id() == new_id  # the new plan is listed first and chosen
    assert page.plan_list.currentRow() == 0
    assert sorted(shown(page)) == ["زيارة ميدانية", "مؤتمر صحفي"]
    assert set(shown(page, COL_STATUS)) == {"مخطط"}
    assert len(plans.plan_items(ctx.db, last.id)) == 4  # the old plan is untouched


def test_the_plan_exports_through_the_pages_button(page, qtbot, ctx, desktop, tmp_path):
    from docx import Document

    from ui.export import ExportResultDialog

    plan = plans.new_plan(ctx.db, today=TODAY)
    plans.save_item(ctx.db, records.PlanItem(plan_id=plan.id, title=ITEM, channels=["tv"]))
    page.refresh()
    assert page.export_plan_action.text() == "تصدير المخطط…"
    assert page.export_plan_action.isEnabled()
    desktop.answer = tmp_path / "المخطط"
    page.export_plan_action.trigger()
    qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None, timeout=20000)
    path = page.findChild(ExportResultDialog).path
    assert path == tmp_path / "المخطط.docx" and path.exists()
    cells = [c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells]
    assert ITEM in cells


def test_plan_against_actual_exports_through_the_pages_button(page, qtbot, ctx, desktop,
                                                              tmp_path):
    from docx import Document

    from ui.export import ExportResultDialog

    plan = plans.new_plan(ctx.db, today=TODAY)
    plans.save_item(ctx.db, records.PlanItem(plan_id=plan.id, title=ITEM))
    page.refresh()
    desktop.answer = tmp_path / "المنفذ"
    page.export_vs_action.trigger()
    qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None, timeout=20000)
    path = page.findChild(ExportResultDialog).path
    assert path == tmp_path / "المنفذ.docx"
    assert desktop.suggested[0].name.startswith("المخطط والمنفذ")
    document = Document(str(path))
    assert "أولاً: الخلاصة" in [p.text for p in document.paragraphs]  # its counts
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "لم يحن موعدها" in cells and ITEM in cells


def test_right_to_left_and_tab_leaves_the_table(page, qtbot, ctx):
    plan = plans.new_plan(ctx.db, today=TODAY)
    for title in (ITEM, "مؤتمر صحفي"):
        plans.save_item(ctx.db, records.PlanItem(plan_id=plan.id, title=title))
    page.refresh()
    assert page.isRightToLeft() and page.table.isRightToLeft()
    assert page.plan_list.isRightToLeft()
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert not page.table.hasFocus()
    assert QApplication.focusWidget() is not None


def test_the_page_is_in_the_navigation_bar():
    from ui import main_window

    assert main_window.page_class("plans") is PlansPage
    assert main_window.TEXT["plans"] == PlansPage.title == "مخطط الاتصال"
    keys = main_window.page_keys()
    assert keys.index("plans") == keys.index("persons") + 1


def test_a_reversed_period_is_refused_and_no_plan_is_made(qtbot, ctx):
    dialog = NewPlanDialog(ctx, today=TODAY)
    qtbot.addWidget(dialog)
    assert not dialog.copy.isEnabled()  # no earlier plan to copy from
    dialog.period_end.setValue("2026-11-01")
    assert dialog.create() is False
    assert "بعد نهايتها" in dialog.error.text() and not dialog.error.isHidden()
    dialog.period_end.line.setText("")
    assert dialog.create() is False and "سنة-شهر-يوم" in dialog.error.text()
    assert plans.list_plans(ctx.db) == []


def test_the_plans_items_export_to_excel_as_the_table_shows_them(page, qtbot, ctx, desktop,
                                                                 tmp_path, meeting):
    import openpyxl

    from ui.export import ExportResultDialog

    plan = plans.new_plan(ctx.db, today=TODAY)
    item = plans.save_item(ctx.db, records.PlanItem(
        plan_id=plan.id, title=ITEM, date="2026-12-15", channels=["tv", "radio"],
        owner="قسم الإعلام", priority="high"))
    plans.link_activity(ctx.db, item.id, meeting.id)
    plans.save_item(ctx.db, records.PlanItem(plan_id=plan.id, title="=مؤتمر صحفي"))
    page.refresh()
    assert page.excel_action.text() == "تصدير إلى Excel…" and page.excel_action.isEnabled()
    desktop.answer = tmp_path / "البنود"
    page.excel_action.trigger()
    qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None, timeout=20000)
    path = page.findChild(ExportResultDialog).path
    assert path == tmp_path / "البنود.xlsx"
    sheet = openpyxl.load_workbook(path).active
    assert sheet.sheet_view.rightToLeft and sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["الفعالية", "التاريخ", "القنوات", "الجهة المسؤولة", "الأولوية",
                       "الحالة", "النشاط المنفذ", "ما آل إليه"]
    assert rows[1] == [ITEM, dt.datetime(2026, 12, 15), "تلفزيون، إذاعة", "قسم الإعلام",
                       shown(page, 5)[0], "منفذ", meeting.title, "نُفذت في موعدها"]
    assert rows[2][0] == "=مؤتمر صحفي" and sheet.cell(3, 1).data_type == "s"  # no formula
    assert len(rows) == 3


def test_deleting_an_item_asks_no_by_default_and_can_be_undone(page, qtbot, ctx):
    from ui.widgets.undo_bar import UndoBar

    plan = plans.new_plan(ctx.db, today=TODAY)
    item = plans.save_item(ctx.db, records.PlanItem(plan_id=plan.id, title=ITEM))
    plans.save_item(ctx.db, records.PlanItem(plan_id=plan.id, title="مؤتمر صحفي"))
    page.refresh()
    bar = UndoBar(ctx)
    qtbot.addWidget(bar)
    assert page.select_item(item.id) and page.delete_action.text() == "حذف البند"
    asked: list[str] = []

    def press_enter(dialog):  # Enter takes the default answer: No
        asked.append(dialog.text())
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    answer_modal(qtbot, press_enter)
    page.delete_action.trigger()
    qtbot.waitUntil(lambda: bool(asked))
    assert ITEM in asked[0] and "سلة المحذوفات" in asked[0]
    assert shown(page) == [ITEM, "مؤتمر صحفي"]
    assert len(plans.plan_items(ctx.db, plan.id)) == 2

    def say_yes(dialog):
        [yes] = [b for b in dialog.buttons() if b.text() == "نعم، انقل إلى السلة"]
        yes.click()

    answer_modal(qtbot, say_yes)
    page.delete_action.trigger()
    assert shown(page) == ["مؤتمر صحفي"]
    assert [i.title for i in plans.plan_items(ctx.db, plan.id)] == ["مؤتمر صحفي"]
    assert ITEM in bar.message.text()
    bar.button.click()
    assert sorted(shown(page)) == sorted([ITEM, "مؤتمر صحفي"])
    assert len(plans.plan_items(ctx.db, plan.id)) == 2


def test_the_delete_key_in_the_table_deletes_the_selected_item(qtbot, ctx, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    plan = plans.new_plan(ctx.db, today=TODAY)
    item = plans.save_item(ctx.db, records.PlanItem(plan_id=plan.id, title=ITEM))
    window = MainWindow(ctx, settings=QSettings(str(tmp_path / "w.ini"),
                                                QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.show_page("plans")
    assert page.select_item(item.id)
    page.table.setFocus()

    def say_yes(dialog):
        [yes] = [b for b in dialog.buttons() if b.text() == "نعم، انقل إلى السلة"]
        yes.click()

    answer_modal(qtbot, say_yes)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert plans.plan_items(ctx.db, plan.id) == []
    assert shown(page) == []
