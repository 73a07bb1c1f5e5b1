"""The communication plan's data layer: plan against actual on a fixed day, linking an
item to its activity, a new plan from the last one's open items, the list of plans."""

from __future__ import annotations

import datetime as dt

import pytest

from models import plans, records, store
from models.db import Database

TODAY = dt.date(2026, 12, 4)


def activity(db: Database, title: str, start: str, **more) -> records.Activity:
    return store.insert(db, records.Activity(kind=more.pop("kind", "workshop"), title=title,
                                             start_date=start, **more))


def item(db: Database, plan: records.Plan, title: str, date: str | None,
         status: str = "planned", **more) -> records.PlanItem:
    return store.insert(db, records.PlanItem(plan_id=plan.id, title=title, date=date,
                                             status=status, **more))


def seed(db: Database) -> dict[str, str]:
    """The plan of November–December 2026, seen on 4 December: one item done on time, one
    done late, one not done, one cancelled, one still to come, a done item whose activity
    went to the recycle bin, and an activity of the period that was not in the plan."""
    plan = plans.new_plan(db, period=("2026-11-01", "2026-12-31"))
    ids = {"plan": plan.id}
    on_time = item(db, plan, "ورشة الإعلام الرقمي", "2026-11-22", channels=["facebook"])
    late = item(db, plan, "الاجتماع الدوري لشبكة الاتصال", "2026-11-10")
    missed = item(db, plan, "حملة التوعية بالانتخابات", "2026-11-25", status="postponed")
    cancelled = item(db, plan, "مؤتمر صحفي", "2026-11-15", status="cancelled")
    coming = item(db, plan, "ندوة اليوم العالمي للغة العربية", "2026-12-18")
    gone = item(db, plan, "زيارة ميدانية", "2026-11-05")
    ids.update(on_time=on_time.id, late=late.id, missed=missed.id, cancelled=cancelled.id,
               coming=coming.id, gone=gone.id)
    workshop = activity(db, "ورشة الإعلام الرقمي في جامعة كربلاء", "2026-11-22",
                        end_date="2026-11-23")
    meeting = activity(db, "الاجتماع الدوري لشبكة الاتصال", "2026-11-12", kind="meeting")
    visit = activity(db, "زيارة ميدانية إلى المدارس", "2026-11-05", kind="field_visit")
    plans.link_activity(db, on_time.id, workshop.id)
    plans.link_activity(db, late.id, meeting.id)
    plans.link_activity(db, gone.id, visit.id)
    store.delete(db, records.Activity, visit.id)
    ids["unplanned"] = activity(db, "بيان صحفي عن موسم الأمطار", "2026-12-01",
                                kind="press_release").id
    # Outside the period: neither in the plan nor "not in the plan".
    activity(db, "ورشة سابقة", "2026-10-30")
    ids.update(workshop=workshop.id, meeting=meeting.id)
    return ids


def test_plan_against_actual_counts_and_rows(db):
    ids = seed(db)
    result = plans.plan_vs_actual(db, ids["plan"], today=TODAY)
    assert result.counts == {"on_time": 1, "late": 1, "not_done": 2, "cancelled": 1,
                             "to_come": 1, "unplanned": 1}
    by_item = {row.item.id: row for row in result.items}
    assert by_item[ids["on_time"]].outcome == plans.DONE_ON_TIME
    assert by_item[ids["on_time"]].activity_date == "2026-11-22"
    assert by_item[ids["late"]].outcome == plans.DONE_LATE
    assert by_item[ids["late"]].activity_title == "الاجتماع الدوري لشبكة الاتصال"
    assert by_item[ids["missed"]].outcome == plans.NOT_DONE
    # Marked done, but its activity is in the recycle bin: nothing shows it was done.
    assert by_item[ids["gone"]].outcome == plans.NOT_DONE
    assert by_item[ids["gone"]].activity_id is None
    assert by_item[ids["cancelled"]].outcome == plans.CANCELLED
    assert by_item[ids["coming"]].outcome == plans.TO_COME
    assert [a.id for a in result.unplanned] == [ids["unplanned"]]
    assert [r.item.id for r in result.rows(plans.NOT_DONE)] == [ids["gone"], ids["missed"]]


def test_the_day_decides_what_is_still_to_come(db):
    ids = seed(db)
    before = plans.plan_vs_actual(db, ids["plan"], today=dt.date(2026, 11, 20))
    assert before.counts["not_done"] == 1  # only the done item without its activity
    assert before.counts["to_come"] == 2
    # Before any planned day: a "done" item with no activity is not done all the same.
    first = plans.plan_vs_actual(db, ids["plan"], today=dt.date(2026, 11, 1))
    assert [r.item.id for r in first.rows(plans.NOT_DONE)] == [ids["gone"]]
    after = plans.plan_vs_actual(db, ids["plan"], today=dt.date(2027, 1, 5))
    assert after.counts["not_done"] == 3 and after.counts["to_come"] == 0


def test_an_undated_item_is_due_by_the_plans_last_day(db):
    plan = plans.new_plan(db, period=("2026-11-01", "2026-12-31"))
    open_item = item(db, plan, "حملة على منصة إكس", None)
    done = item(db, plan, "نشرة شهرية", None)
    plans.link_activity(db, done.id, activity(db, "نشرة تشرين الثاني", "2026-12-30").id)
    during = plans.plan_vs_actual(db, plan.id, today=TODAY)
    assert {r.item.id: r.outcome for r in during.items} == {
        open_item.id: plans.TO_COME, done.id: plans.DONE_ON_TIME}
    later = plans.plan_vs_actual(db, plan.id, today=dt.date(2027, 1, 1))
    assert {r.item.id: r.outcome for r in later.items}[open_item.id] == plans.NOT_DONE


def test_linking_marks_the_item_done_and_unlinking_undoes_it(db):
    plan = plans.new_plan(db, period=("2026-11-01", "2026-12-31"))
    planned = item(db, plan, "ورشة", "2026-11-22")
    workshop = activity(db, "ورشة الإعلام الرقمي", "2026-11-22")
    linked = plans.link_activity(db, planned.id, workshop.id)
    stored = store.get(db, records.PlanItem, planned.id)
    assert (stored.status, stored.activity_id) == ("done", workshop.id) == (
        linked.status, linked.activity_id)
    plans.unlink_activity(db, planned.id, status="postponed")
    stored = store.get(db, records.PlanItem, planned.id)
    assert (stored.status, stored.activity_id) == ("postponed", None)


def test_linking_to_a_missing_activity_changes_nothing(db):
    plan = plans.new_plan(db, period=("2026-11-01", "2026-12-31"))
    planned = item(db, plan, "ورشة", "2026-11-22")
    with pytest.raises(plans.PlanQueryError) as caught:
        plans.link_activity(db, planned.id, "no-such-activity")
    assert "no-such-activity" in caught.value.arabic
    assert store.get(db, records.PlanItem, planned.id).status == "planned"


def test_a_new_plan_copies_the_last_plans_open_items(db):
    ids = seed(db)
    older = plans.new_plan(db, period=("2026-09-01", "2026-10-31"))
    item(db, older, "فقرة من مخطط أقدم", "2026-10-01")
    new = plans.copy_open_items(db, period=("2027-01-01", "2027-02-28"))
    assert new.id != ids["plan"]
    copied = plans.plan_items(db, new.id)
    # Planned and postponed items only; a date outside the new period is cleared.
    assert {c.title: (c.status, c.date, c.activity_id) for c in copied} == {
        "حملة التوعية بالانتخابات": ("planned", None, None),
        "ندوة اليوم العالمي للغة العربية": ("planned", None, None)}
    assert not {c.id for c in copied} & set(ids.values())
    # The source is untouched.
    source = {i.id: i.status for i in plans.plan_items(db, ids["plan"])}
    assert source[ids["missed"]] == "postponed" and len(source) == 6


def test_a_copy_keeps_a_date_inside_the_new_period(db):
    plan = plans.new_plan(db, period=("2026-11-01", "2026-12-31"))
    item(db, plan, "ندوة", "2026-12-18", channels=["tv", "radio"], owner="شعبة الإعلام")
    new = plans.copy_open_items(db, period=("2026-12-01", "2027-01-31"))
    (copy,) = plans.plan_items(db, new.id)
    assert (copy.date, copy.channels, copy.owner) == ("2026-12-18", ["tv", "radio"],
                                                      "شعبة الإعلام")


def test_a_copy_without_an_earlier_plan_says_so(db):
    with pytest.raises(plans.PlanQueryError) as caught:
        plans.copy_open_items(db, period=("2027-01-01", "2027-02-28"))
    assert caught.value.arabic == plans._MSG["no_plan"][0]
    assert plans.list_plans(db) == []


def test_the_default_period_is_this_month_and_the_next(db):
    assert plans.default_period(dt.date(2026, 12, 4)) == ("2026-12-01", "2027-01-31")
    assert plans.default_period(dt.date(2026, 1, 31)) == ("2026-01-01", "2026-02-28")
    plan = plans.new_plan(db, today=dt.date(2026, 11, 3))
    assert (plan.period_start, plan.period_end) == ("2026-11-01", "2026-12-31")
    assert plan.title == "مخطط الاتصال ١ تشرين الثاني – ٣١ كانون الأول ٢٠٢٦"


def test_list_plans_counts_items_per_status_and_filters_by_period(db):
    ids = seed(db)
    plans.new_plan(db, period=("2026-09-01", "2026-10-31"))
    rows = plans.list_plans(db)
    assert [r.id for r in rows][0] == ids["plan"]  # latest first
    assert rows[0].items == {"planned": 1, "done": 3, "postponed": 1, "cancelled": 1}
    assert rows[1].items == {"planned": 0, "done": 0, "postponed": 0, "cancelled": 0}
    assert [r.id for r in plans.list_plans(db, date_from="2026-12-01")] == [ids["plan"]]
    assert len(plans.list_plans(db, date_to="2026-10-15")) == 1
    with pytest.raises(plans.PlanQueryError):
        plans.list_plans(db, date_from="2026-12-01", date_to="2026-11-01")
