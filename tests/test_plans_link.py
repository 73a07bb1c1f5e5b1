"""Linking a plan item from the activity form («فقرة المخطط»), renaming and deleting a
plan, the item form's OASIS fields, and a new plan copying them: real widgets on a real
file, checked in what the stored records and plan against actual say."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from models import plans, records, recycle, store
from models.errors import IttisalError
from tests.test_ui_date_edit import answer_modal, show_active, type_text
from ui.forms import form_base
from ui.forms.activity_form import ActivityDialog
from ui.forms.plan_item_form import PlanItemDialog
from ui.pages.plans import PlanDialog, PlansPage

TODAY = dt.date(2026, 12, 4)
CAMPAIGN = "حملة التوعية بموسم الأمطار"
MEETING = "الاجتماع الدوري لشبكة الاتصال"


@pytest.fixture(autouse=True)
def discard_when_closed(monkeypatch):
    """A changed form closed at the end of a test discards instead of asking."""
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")


@pytest.fixture
def plan(ctx):
    return plans.new_plan(ctx.db, period=("2026-11-01", "2026-12-31"))


def add_item(db, plan, title: str, date: str | None, status: str = "planned",
             **more) -> records.PlanItem:
    return plans.save_item(db, records.PlanItem(plan_id=plan.id, title=title, date=date,
                                                status=status, **more))


def add_activity(db, title: str, start: str) -> records.Activity:
    return store.insert(db, records.Activity(kind="campaign", title=title, start_date=start))


def retype(widget, text: str) -> None:
    widget.selectAll()
    type_text(widget, text)


def open_form(qtbot, ctx, activity_id: str | None = None) -> ActivityDialog:
    dialog = ActivityDialog(ctx, activity_id)
    show_active(qtbot, dialog)
    return dialog


def listed(dialog: ActivityDialog) -> list[str]:
    chooser = dialog.plan_link
    return [chooser.itemText(i) for i in range(chooser.count())]


def save(qtbot, dialog: ActivityDialog) -> None:
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


# --- the chooser in the activity form --------------------------------------------------------

def test_the_chooser_lists_open_items_of_plans_covering_the_date(qtbot, ctx, plan):
    db = ctx.db
    add_item(db, plan, CAMPAIGN, "2026-11-20")
    add_item(db, plan, MEETING, None, status="postponed")
    add_item(db, plan, "مؤتمر صحفي", "2026-11-15", status="cancelled")
    add_item(db, plan, "ندوة منفذة", "2026-11-05", status="done")
    later = plans.new_plan(db, period=("2027-01-01", "2027-02-28"))
    add_item(db, later, "ورشة كانون الثاني", "2027-01-10")
    gone = plans.new_plan(db, period=("2026-11-01", "2026-11-30"), title="مخطط محذوف")
    add_item(db, gone, "بند في مخطط محذوف", "2026-11-20")
    store.delete(db, records.Plan, gone.id)

    dialog = open_form(qtbot, ctx, add_activity(db, "حملة الأمطار", "2026-11-21").id)
    assert listed(dialog) == ["— ليست من فقرات المخطط —",
                              f"{CAMPAIGN} (٢٠ تشرين الثاني ٢٠٢٦)", f"{MEETING} (بلا تاريخ)"]
    assert dialog.plan_link.chosen_id() is None
    # Another date, another plan's items.
    retype(dialog.start_date.line, "12/01/2027")
    assert listed(dialog)[1:] == ["ورشة كانون الثاني (١٠ كانون الثاني ٢٠٢٧)"]
    retype(dialog.start_date.line, "12/03/2027")
    assert listed(dialog) == ["— لا فقرات مفتوحة في مخطط يشمل هذا التاريخ —"]


def test_saving_the_activity_links_the_item_and_plan_against_actual_counts_it(
        qtbot, ctx, plan):
    db = ctx.db
    on_time = add_item(db, plan, CAMPAIGN, "2026-11-20")
    late = add_item(db, plan, MEETING, "2026-11-10")
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, "حملة الأمطار في الأحياء المنخفضة")
    retype(dialog.start_date.line, "18/11/2026")
    assert dialog.plan_link.choose(on_time.id)
    with qtbot.waitSignal(ctx.data_changed, check_params_cb=lambda t: t == "plan_items"):
        save(qtbot, dialog)
    [activity] = store.find(db, records.Activity)
    stored = store.get(db, records.PlanItem, on_time.id)
    assert (stored.status, stored.activity_id) == ("done", activity.id)

    # A second activity, after the meeting's planned day: done late.
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, MEETING)
    retype(dialog.start_date.line, "12/11/2026")
    assert listed(dialog)[1:] == [f"{MEETING} (١٠ تشرين الثاني ٢٠٢٦)"]  # the done one is not
    dialog.plan_link.choose(late.id)
    save(qtbot, dialog)

    result = plans.plan_vs_actual(db, plan.id, today=TODAY)
    outcomes = {row.item.id: row.outcome for row in result.items}
    assert outcomes == {on_time.id: plans.DONE_ON_TIME, late.id: plans.DONE_LATE}
    assert result.counts["unplanned"] == 0


def test_the_linked_item_is_shown_and_choosing_none_unlinks_it(qtbot, ctx, plan):
    db = ctx.db
    item = add_item(db, plan, CAMPAIGN, "2026-11-20")
    activity = add_activity(db, "حملة الأمطار", "2026-11-21")
    plans.link_activity(db, item.id, activity.id)
    dialog = open_form(qtbot, ctx, activity.id)
    # Done, so no longer open, but listed and chosen: it is this activity's.
    assert dialog.plan_link.chosen_id() == item.id
    assert not dialog.is_dirty()
    dialog.plan_link.choose(None)
    assert dialog.is_dirty()
    save(qtbot, dialog)
    stored = store.get(db, records.PlanItem, item.id)
    assert (stored.status, stored.activity_id) == ("planned", None)
    result = plans.plan_vs_actual(db, plan.id, today=TODAY)
    assert result.counts["unplanned"] == 1 and result.counts["on_time"] == 0


def test_a_date_outside_the_plan_lets_the_choice_go(qtbot, ctx, plan):
    item = add_item(ctx.db, plan, CAMPAIGN, "2026-11-20")
    dialog = open_form(qtbot, ctx, add_activity(ctx.db, "حملة الأمطار", "2026-11-21").id)
    dialog.plan_link.choose(item.id)
    retype(dialog.start_date.line, "05/01/2027")
    assert dialog.plan_link.chosen_id() is None
    save(qtbot, dialog)
    assert store.get(ctx.db, records.PlanItem, item.id).status == "planned"


def test_a_refused_link_saves_nothing(ctx, plan):
    db = ctx.db
    item = add_item(db, plan, CAMPAIGN, "2026-11-20")
    outside = records.Activity(kind="campaign", title="حملة متأخرة جداً",
                               start_date="2027-01-05")

    def save_activity():
        return store.save(db, outside)

    with pytest.raises(IttisalError) as refused:
        plans.save_with_item(db, save_activity, lambda a: a.id, item.id)
    assert "خارج مدة المخطط" in refused.value.arabic
    assert store.find(db, records.Activity) == []  # the activity's save went back too
    assert store.get(db, records.PlanItem, item.id).status == "planned"

    # An item another (live) activity carried out is not taken over.
    first = add_activity(db, "حملة الأمطار", "2026-11-21")
    plans.link_activity(db, item.id, first.id)
    second = add_activity(db, "حملة ثانية", "2026-11-22")
    with pytest.raises(IttisalError) as taken:
        plans.relink_activity(db, second.id, item.id)
    assert "مربوطة بنشاط آخر" in taken.value.arabic
    assert store.get(db, records.PlanItem, item.id).activity_id == first.id


# --- the item form ------------------------------------------------------------------------

def test_the_item_form_round_trips_the_oasis_fields(qtbot, ctx, plan):
    dialog = PlanItemDialog(ctx, plan.id)
    show_active(qtbot, dialog)
    type_text(dialog.title, CAMPAIGN)
    type_text(dialog.texts["key_message"], "السلامة أولاً")
    type_text(dialog.texts["tactic"], "بث مباشر")
    type_text(dialog.partners, "الدفاع المدني")
    dialog.measure_kind.setCurrentIndex(dialog.measure_kind.findData("outtake"))
    type_text(dialog.texts["outtakes"], "يعرف السكان رقم الطوارئ")
    type_text(dialog.measure_target, "70 بالمئة")
    assert dialog.save()
    stored = store.get(ctx.db, records.PlanItem, dialog.item.id)
    assert (stored.key_message, stored.tactic, stored.partners, stored.measure_kind,
            stored.outtakes, stored.measure_target) == (
        "السلامة أولاً", "بث مباشر", "الدفاع المدني", "outtake", "يعرف السكان رقم الطوارئ",
        "70 بالمئة")

    again = PlanItemDialog(ctx, plan.id, stored.id)
    qtbot.addWidget(again)
    assert again.texts["key_message"].toPlainText() == "السلامة أولاً"
    assert again.measure_kind.currentData() == "outtake"
    assert again.measure_target.text() == "70 بالمئة"
    assert again.measure_kind.itemText(0) == "— لم يُحدد —"
    again.measure_kind.setCurrentIndex(0)  # the empty level is a choice
    assert again.save()
    assert store.get(ctx.db, records.PlanItem, stored.id).measure_kind == ""


def test_the_item_form_fits_a_1280_by_720_screen(qtbot, ctx, plan):
    dialog = PlanItemDialog(ctx, plan.id)
    show_active(qtbot, dialog)
    hint = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
    assert hint.width() <= 1280 and hint.height() <= 680  # room for a title bar and panel


def test_a_new_plan_copies_the_new_fields(ctx, plan):
    add_item(ctx.db, plan, CAMPAIGN, "2026-12-20", key_message="السلامة أولاً",
             tactic="بث مباشر", partners="الدفاع المدني", measure_kind="outcome",
             measure_target="زيادة المراجعين")
    new = plans.copy_open_items(ctx.db, period=("2027-01-01", "2027-02-28"))
    [copy] = plans.plan_items(ctx.db, new.id)
    assert (copy.key_message, copy.tactic, copy.partners, copy.measure_kind,
            copy.measure_target) == ("السلامة أولاً", "بث مباشر", "الدفاع المدني", "outcome",
                                     "زيادة المراجعين")


# --- renaming and deleting a plan ------------------------------------------------------------

def test_renaming_a_plan_and_moving_its_period(qtbot, ctx, plan):
    dialog = PlanDialog(ctx, plan.id)
    show_active(qtbot, dialog)
    assert dialog.name.text() == ""  # the default title follows the period
    type_text(dialog.name, "مخطط الشتاء")
    retype(dialog.period_end.line, "31/01/2027")
    assert dialog.save()
    stored = plans.get_plan(ctx.db, plan.id)
    assert (stored.title, stored.period_start, stored.period_end) == (
        "مخطط الشتاء", "2026-11-01", "2027-01-31")


def test_a_reversed_or_missing_period_is_refused_in_arabic_and_nothing_changes(
        qtbot, ctx, plan):
    dialog = PlanDialog(ctx, plan.id)
    show_active(qtbot, dialog)
    type_text(dialog.name, "مخطط الشتاء")
    retype(dialog.period_start.line, "01/02/2027")
    assert not dialog.save()
    assert "بعد نهايتها" in dialog.error.text()
    assert dialog.isVisible()
    retype(dialog.period_start.line, "31/02/2027")  # no such day
    assert not dialog.save()
    assert "سنة-شهر-يوم" in dialog.error.text()
    stored = plans.get_plan(ctx.db, plan.id)
    assert (stored.title, stored.period_start, stored.period_end) == (
        plan.title, "2026-11-01", "2026-12-31")
    with pytest.raises(IttisalError) as refused:
        plans.update_plan(ctx.db, plan.id, title="x", period=("2026-12-01", None))
    assert "بداية المدة ونهايتها" in refused.value.arabic


def test_deleting_a_plan_asks_goes_to_the_bin_and_can_be_undone(qtbot, ctx, plan):
    from ui.recycle_bin import BinModel
    from ui.widgets.undo_bar import UndoBar

    add_item(ctx.db, plan, CAMPAIGN, "2026-11-20")
    other = plans.new_plan(ctx.db, period=("2027-01-01", "2027-02-28"), title="مخطط الشتاء")
    page = PlansPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    bar = UndoBar(ctx)
    qtbot.addWidget(bar)
    assert page.select_plan(plan.id) and page.delete_plan_action.isEnabled()
    asked: list[str] = []

    def say_no(dialog):
        asked.append(dialog.text())
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the default answer: No

    answer_modal(say_no)
    page.delete_plan_action.trigger()
    qtbot.waitUntil(lambda: bool(asked))
    assert plan.title in asked[0] and "وبنوده (١)" in asked[0]
    assert len(plans.list_plans(ctx.db)) == 2

    def say_yes(dialog):
        [yes] = [b for b in dialog.buttons() if b.text() == "نعم، انقل إلى السلة"]
        yes.click()

    answer_modal(say_yes)
    page.delete_plan_action.trigger()
    assert [s.id for s in page.summaries] == [other.id]
    assert [s.id for s in plans.list_plans(ctx.db)] == [other.id]
    binned = recycle.items(ctx.db)
    assert [(i.type, i.title) for i in binned] == [("plan", plan.title)]
    model = BinModel()
    model.set_items(binned)
    assert model.data(model.index(0, 0)) == "مخطط اتصال"
    assert plan.title in bar.message.text()
    bar.button.click()
    assert {s.id for s in page.summaries} == {plan.id, other.id}
    assert [i.title for i in plans.plan_items(ctx.db, plan.id)] == [CAMPAIGN]
    assert recycle.items(ctx.db) == []


def test_a_plan_restored_from_the_bin_comes_back_and_a_purged_one_takes_its_items(ctx, plan):
    item = add_item(ctx.db, plan, CAMPAIGN, "2026-11-20")
    recycle.delete_many(ctx.db, records.Plan, [plan.id])
    recycle.restore(ctx.db, "plan", plan.id)
    assert plans.get_plan(ctx.db, plan.id).title == plan.title
    recycle.delete_many(ctx.db, records.Plan, [plan.id])
    recycle.purge(ctx.db, "plan", plan.id)
    assert ctx.db.scalar("SELECT count(*) FROM plan_items WHERE id = ?", (item.id,)) == 0


def test_restoring_a_plan_item_in_the_bin_window_announces_its_table(qtbot, ctx, plan):
    from ui.recycle_bin import RecycleBinDialog

    item = add_item(ctx.db, plan, CAMPAIGN, "2026-11-20")
    recycle.delete_many(ctx.db, records.PlanItem, [item.id])
    dialog = RecycleBinDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    with qtbot.waitSignal(ctx.data_changed, check_params_cb=lambda t: t == "plan_items"):
        dialog.restore_selected()
    assert [i.id for i in plans.plan_items(ctx.db, plan.id)] == [item.id]
    QApplication.processEvents()


def test_the_pages_edit_button_renames_the_chosen_plan(qtbot, ctx, plan):
    page = PlansPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    assert page.edit_plan_action.text() == "تعديل المخطط…"

    def rename(dialog):
        type_text(dialog.name, "مخطط الشتاء")
        dialog.save_button.click()

    seen = answer_modal(rename)
    page.edit_plan_action.trigger()
    assert seen and page.plan_heading.text() == "مخطط الشتاء"
    assert page.plan_list.currentItem().text().startswith("مخطط الشتاء\n")


def test_a_recovered_draft_keeps_the_chosen_item(qtbot, ctx, plan):
    from models import drafts

    item = add_item(ctx.db, plan, CAMPAIGN, "2026-11-20")
    dialog = open_form(qtbot, ctx)
    type_text(dialog.title, "حملة الأمطار")
    retype(dialog.start_date.line, "21/11/2026")
    dialog.plan_link.choose(item.id)
    dialog.keep_draft()
    [draft] = drafts.all_drafts(ctx.db)
    assert draft.payload["plan_item"] == item.id
    again = ActivityDialog(ctx, None, draft=draft)
    qtbot.addWidget(again)
    assert again.plan_link.chosen_id() == item.id
    assert store.get(ctx.db, records.PlanItem, item.id).status == "planned"  # not saved yet
    # Both forms still hold unsaved changes: closed without asking, so that none of them
    # keeps a draft after the test's database is closed.
    for form in (dialog, again):
        form.done(0)
