"""Approving a plan on the plans page (issue 13): its state shown, «اعتماد المخطط», and the
lock of an approved or sent plan (its items, its title) with the revision an edit makes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from test_ui_activities_page import answer_box

from models import approval, plans, records, store
from models.records import Unit
from ui.forms.plan_item_form import PlanItemDialog
from ui.pages.plans import COL_TITLE, PlanDialog, PlansPage

TODAY = dt.date(2026, 12, 4)
HEAD = "أحمد عبيد هادي الأسدي"
ITEM = "حملة التوعية بموسم الأمطار"
QUESTION = "هذا المخطط {state}. تعديله يُنشئ نسخة جديدة يجب اعتمادها وإرسالها من جديد. متابعة؟"

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def set_head(db, name: str = HEAD) -> None:
    unit = store.get(db, Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, head_name=name))


def version(db, plan_id: str) -> int:
    return db.scalar("SELECT row_version FROM plans WHERE id = ?", (plan_id,))


def on_dialog(kind: type, act) -> list:
    """Run ``act(dialog)`` on the next modal dialog of type ``kind`` (message boxes asked
    before it are answered by answer_box); what it returned."""
    seen: list = []

    def run(left: int = 250) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            seen.append(act(dialog))
        elif left:
            QTimer.singleShot(20, lambda: run(left - 1))

    QTimer.singleShot(0, run)
    return seen


def shoot(widget, name: str, tmp_path) -> Path:
    folder = Path(os.environ.get("ITTISAL_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    path = folder / f"plans_approval_{name}.png"
    assert widget.grab().save(str(path))
    return path


@pytest.fixture
def plan(ctx):
    made = plans.new_plan(ctx.db, today=TODAY)
    plans.save_item(ctx.db, records.PlanItem(plan_id=made.id, title=ITEM, date="2026-12-15",
                                             owner="قسم الإعلام", channels=["tv"]))
    return made


@pytest.fixture
def page(qtbot, ctx, plan):
    widget = PlansPage(ctx, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1280, 700)
    widget.show()
    assert widget.select_plan(plan.id)
    return widget


def approved(ctx, plan_id: str, *, sent: bool = False) -> None:
    set_head(ctx.db)
    approval.approve(ctx.db, "plan", [plan_id])
    if sent:
        approval.mark_sent(ctx.db, "plan", [plan_id], "2026-12-02T09:00:00.000Z")
    ctx.changed("plans")


def test_approving_a_plan_asks_naming_the_approver_and_shows_who_and_when(
        page, qtbot, ctx, plan, tmp_path):
    assert page.approval_line.text() == "الحالة: مسودة — لم يُعتمد بعد"
    assert page.approve_plan_action.isEnabled()
    seen: list[str] = []
    answer_box(None, seen)  # no approver yet: the model's reason, nothing approved
    assert page.approve_plan() is False
    assert "لم يُحدَّد من يعتمد السجلات" in seen[0]
    assert approval.state(ctx.db, "plan", plan.id).status == "draft"

    set_head(ctx.db)
    seen.clear()
    answer_box("لا", seen)
    assert page.approve_plan() is False
    assert seen[0] == f"اعتماد المخطط «{plan.title}» باسم {HEAD}؟"
    assert approval.state(ctx.db, "plan", plan.id).status == "draft"

    answer_box("نعم، اعتمد", seen)
    assert page.approve_plan() is True
    state = approval.state(ctx.db, "plan", plan.id)
    assert (state.status, state.approved_by) == ("approved", HEAD)
    line = page.approval_line.text()
    assert line.startswith(f"الحالة: معتمد — اعتمده {HEAD} في ")
    assert "\nالبنود: ١ · معتمد" in page.plan_list.item(0).text()
    assert HEAD in page.plan_list.item(0).toolTip()
    assert not page.approve_plan_action.isEnabled()
    shoot(page, "approved", tmp_path)


def test_an_item_of_an_approved_plan_opens_read_only_and_editing_it_makes_a_new_revision(
        page, qtbot, ctx, plan, tmp_path):
    approved(ctx, plan.id)
    before = version(ctx.db, plan.id)
    [item] = plans.plan_items(ctx.db, plan.id)
    assert page.select_item(item.id)
    seen: list[str] = []

    def look_then_edit(dialog: PlanItemDialog) -> bool:
        assert dialog.locked and dialog.banner.isVisible()
        assert dialog.banner_text.text().startswith(f"هذا البند من مخطط معتمد (اعتمده {HEAD}")
        assert not dialog.save_button.isEnabled() and dialog.cancel_button.text() == "إغلاق"
        assert not any(field.isEnabled() for field in dialog._fields)
        shoot(dialog, "item_locked", tmp_path)
        answer_box("لا", seen)
        assert dialog.unlock() is False and dialog.locked
        answer_box("نعم، عدّل", seen)
        assert dialog.unlock() is True and not dialog.locked
        assert all(field.isEnabled() for field in dialog._fields)
        assert dialog.save_button.isEnabled() and dialog.cancel_button.text() == "إلغاء"
        dialog.owner.setText("شعبة الإعلام")
        return dialog.save()

    done = on_dialog(PlanItemDialog, look_then_edit)
    assert page.edit_item() == item.id
    assert done == [True]
    assert seen[0] == seen[3] == QUESTION.format(state="معتمد")
    assert store.get(ctx.db, records.PlanItem, item.id).owner == "شعبة الإعلام"
    assert approval.state(ctx.db, "plan", plan.id).status == "draft"
    assert version(ctx.db, plan.id) > before
    assert page.approval_line.text().startswith("الحالة: مسودة")
    assert page.approve_plan_action.isEnabled()


def test_adding_an_item_to_a_sent_plan_asks_first_then_shows_it_changed_since_sent(
        page, qtbot, ctx, plan, tmp_path):
    approved(ctx, plan.id, sent=True)
    assert page.approval_line.text().startswith(f"الحالة: مرسل — اعتمده {HEAD} في ")
    assert "أُرسل في" in page.approval_line.text()
    before = version(ctx.db, plan.id)
    seen: list[str] = []
    answer_box("لا", seen)
    assert page.new_item() is None
    assert seen[0] == QUESTION.format(state="مرسل")
    assert len(plans.plan_items(ctx.db, plan.id)) == 1
    assert approval.state(ctx.db, "plan", plan.id).status == "sent"

    def fill(dialog: PlanItemDialog) -> bool:
        assert not dialog.locked and dialog.banner_text.text().startswith("تعديل نسخة جديدة")
        dialog.title.setText("مؤتمر صحفي")
        return dialog.save()

    answer_box("نعم، عدّل", seen)
    done = on_dialog(PlanItemDialog, fill)
    assert page.new_item()
    assert done == [True] and len(plans.plan_items(ctx.db, plan.id)) == 2
    state = approval.state(ctx.db, "plan", plan.id)
    assert state.status == "draft" and state.changed_since_sent
    assert state.sent_at == "2026-12-02T09:00:00.000Z" and version(ctx.db, plan.id) > before
    assert page.approval_line.text().startswith("الحالة: عُدّل بعد الإرسال — أُرسل في ")
    assert page.approval_line.text().endswith(" ثم عُدّل: يُعتمد ويُرسل من جديد")
    assert "عُدّل بعد الإرسال" in page.plan_list.item(0).text()
    shoot(page, "changed_since_sent", tmp_path)


def test_deleting_an_item_of_an_approved_plan_asks_first_and_makes_it_a_draft(
        page, qtbot, ctx, plan):
    approved(ctx, plan.id)
    [item] = plans.plan_items(ctx.db, plan.id)
    assert page.select_item(item.id)
    seen: list[str] = []
    answer_box("لا", seen)
    page.delete_selected()
    assert seen[0] == QUESTION.format(state="معتمد")
    assert len(plans.plan_items(ctx.db, plan.id)) == 1
    assert approval.state(ctx.db, "plan", plan.id).status == "approved"

    before = version(ctx.db, plan.id)
    answer_box("نعم، عدّل", seen)
    answer_box("نعم، انقل إلى السلة", seen)  # then the usual question of the recycle bin
    page.delete_selected()
    assert "سلة المحذوفات" in seen[6]
    assert plans.plan_items(ctx.db, plan.id) == []
    assert approval.state(ctx.db, "plan", plan.id).status == "draft"
    assert version(ctx.db, plan.id) > before
    assert [page.model.data(page.model.index(r, COL_TITLE))
            for r in range(page.model.rowCount())] == []


def test_renaming_an_approved_plan_asks_first_and_makes_it_a_draft(page, qtbot, ctx, plan):
    approved(ctx, plan.id)
    seen: list[str] = []
    answer_box("لا", seen)
    assert page.edit_plan() is None
    assert seen[0] == QUESTION.format(state="معتمد")
    assert approval.state(ctx.db, "plan", plan.id).status == "approved"

    before = version(ctx.db, plan.id)

    def rename(dialog: PlanDialog) -> bool:
        dialog.name.setText("مخطط الاتصال للشتاء")
        return dialog.save()

    answer_box("نعم، عدّل", seen)
    done = on_dialog(PlanDialog, rename)
    assert page.edit_plan() == plan.id
    assert done == [True]
    assert plans.get_plan(ctx.db, plan.id).title == "مخطط الاتصال للشتاء"
    assert approval.state(ctx.db, "plan", plan.id).status == "draft"
    assert version(ctx.db, plan.id) > before


def test_an_item_of_a_draft_plan_edits_at_once_and_the_plan_follows(qtbot, ctx, plan):
    [item] = plans.plan_items(ctx.db, plan.id)
    before = version(ctx.db, plan.id)
    dialog = PlanItemDialog(ctx, plan.id, item.id)
    qtbot.addWidget(dialog)
    assert not dialog.locked and not dialog.banner.isVisible()
    dialog.owner.setText("شعبة الإعلام")
    assert dialog.save() is True
    # The plan's row changes with its item: its revision counts its items' edits.
    assert version(ctx.db, plan.id) == before + 1
    assert approval.state(ctx.db, "plan", plan.id).status == "draft"


def test_linking_an_item_of_an_approved_plan_neither_asks_nor_revises_it(page, qtbot, ctx,
                                                                          plan):
    # Linking records what was carried out, not what was planned.
    approved(ctx, plan.id)
    activity = store.insert(ctx.db, records.Activity(title="حملة الأمطار",
                                                     start_date="2026-12-15"))
    [item] = plans.plan_items(ctx.db, plan.id)
    plans.link_activity(ctx.db, item.id, activity.id)
    ctx.changed("plan_items")
    assert page.select_item(item.id) and page.unlink_item() is True
    assert store.get(ctx.db, records.PlanItem, item.id).activity_id is None
    assert approval.state(ctx.db, "plan", plan.id).status == "approved"
