"""Approval and sending (issue 13): draft → approved → sent, who approved and when, a sent
record edited since, the list's filters, the dashboard's counts and the command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from test_cli import run

from models import activity_bundle, approval, dashboard, plans, search, store
from models.activities import ActivityFilter, count_activities, list_activities
from models.db import Database
from models.records import Activity, Unit, now

HEAD = "أحمد عبيد هادي الأسدي"


def set_head(db: Database, name: str = HEAD) -> None:
    unit = store.get(db, Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, head_name=name))


def draft(db: Database, title: str = "ندوة عن الشائعات", **fields) -> Activity:
    return store.insert(db, Activity(title=title, start_date="2026-11-10", **fields))


def column(db: Database, record_id: str, name: str):
    return db.scalar(f"SELECT {name} FROM activities WHERE id = ?", (record_id,))


def test_approve_records_the_unit_head_and_when(db):
    set_head(db)
    activity = draft(db)
    before = approval.state(db, "activity", activity.id)
    assert (before.status, before.approved_by, before.approved_at, before.label) == (
        "draft", "", None, "مسودة")
    asked = now()
    assert approval.approve(db, "activity", [activity.id]) == 1
    state = approval.state(db, "activity", activity.id)
    assert state.status == "approved" and state.approved_by == HEAD
    assert asked <= state.approved_at <= now()  # ISO UTC stamps sort as times
    assert state.label == "معتمد" and not state.changed_since_sent
    # The approval is a change the ministry must receive: the record's version moved.
    assert column(db, activity.id, "row_version") == 2
    assert store.get(db, Activity, activity.id).status == "approved"


def test_the_approver_chosen_in_settings_wins_over_the_head(db):
    set_head(db)
    approval.set_approver(db, "  علي   حسن  ")
    assert approval.approver(db) == "علي حسن"
    activity = draft(db)
    approval.approve(db, "activity", [activity.id])
    assert approval.state(db, "activity", activity.id).approved_by == "علي حسن"
    approval.set_approver(db, "")  # back to the head
    assert approval.approver(db) == HEAD


def test_approving_without_an_approver_is_refused_and_changes_nothing(db):
    activity = draft(db)
    with pytest.raises(approval.ApprovalError) as refused:
        approval.approve(db, "activity", [activity.id])
    assert "الإعدادات" in str(refused.value) and "settings" in refused.value.english
    assert approval.state(db, "activity", activity.id).status == "draft"
    assert column(db, activity.id, "row_version") == 1


def test_a_missing_or_binned_record_refuses_the_whole_approval(db):
    set_head(db)
    kept, binned = draft(db), draft(db, "ورشة محذوفة")
    store.delete(db, Activity, binned.id)
    for ids in ([kept.id, binned.id], [kept.id, "no-such-id"]):
        with pytest.raises(approval.ApprovalError) as refused:
            approval.approve(db, "activity", ids)
        assert "لا يوجد نشاط" in str(refused.value)
        assert approval.state(db, "activity", kept.id).status == "draft"


def test_mark_sent_keeps_updated_at_and_remembers_the_version(db):
    set_head(db)
    activity = draft(db)
    approval.approve(db, "activity", [activity.id])
    updated = column(db, activity.id, "updated_at")
    assert approval.mark_sent(db, "activity", [activity.id, "no-such-id"],
                              "2026-12-01T10:00:00.000Z") == 1
    state = approval.state(db, "activity", activity.id)
    assert (state.status, state.sent_at, state.changed_since_sent, state.label) == (
        "sent", "2026-12-01T10:00:00.000Z", False, "مرسل")
    assert column(db, activity.id, "updated_at") == updated
    assert column(db, activity.id, "sent_version") == column(db, activity.id, "row_version") == 2


def test_editing_a_sent_activity_shows_it_changed_since_it_was_sent(db):
    set_head(db)
    activity = draft(db)
    approval.approve(db, "activity", [activity.id])
    approval.mark_sent(db, "activity", [activity.id], "2026-12-01T10:00:00.000Z")
    # The form's rule: an edited approved or sent record is a new revision, a draft.
    stored = store.get(db, Activity, activity.id)
    activity_bundle.save(db, activity_bundle.ActivityBundle(dataclasses.replace(
        stored, place="قاعة جديدة", status=approval.status_after_edit(stored.status))))
    state = approval.state(db, "activity", activity.id)
    assert (state.status, state.sent_at, state.changed_since_sent, state.label) == (
        "draft", "2026-12-01T10:00:00.000Z", True, "عُدّل بعد الإرسال")
    [row] = list_activities(db)
    assert row.changed_since_sent and row.approval_label == "عُدّل بعد الإرسال"
    assert row.sent_at == "2026-12-01T10:00:00.000Z" and row.approved_by == HEAD
    # Approved again, it is waiting to be sent; sent again, it is no longer changed.
    approval.approve(db, "activity", [activity.id])
    assert approval.state(db, "activity", activity.id).label == "معتمد"
    approval.mark_sent(db, "activity", [activity.id], "2026-12-02T10:00:00.000Z")
    assert approval.state(db, "activity", activity.id).label == "مرسل"


def test_the_search_filters_by_the_new_status(db):
    set_head(db)
    activity = draft(db)

    def found(status: str) -> list[str]:
        return [hit.id for hit in search.search(db.conn, "الشائعات",
                                                where=search.SearchFilter(status=status))]

    assert found("draft") == [activity.id]
    approval.approve(db, "activity", [activity.id])
    assert (found("draft"), found("approved")) == ([], [activity.id])
    approval.mark_sent(db, "activity", [activity.id], "2026-12-01T10:00:00.000Z")
    assert (found("approved"), found("sent")) == ([], [activity.id])


def test_status_after_edit():
    assert [approval.status_after_edit(s) for s in ("draft", "approved", "sent")] == [
        "draft", "draft", "draft"]


def test_plans_are_approved_and_sent_too(db):
    set_head(db)
    plan = plans.new_plan(db, period=("2026-11-01", "2026-12-31"))
    approval.approve(db, "plan", [plan.id], by="مدير المديرية")
    state = approval.state(db, "plan", plan.id)
    assert (state.status, state.approved_by) == ("approved", "مدير المديرية")
    approval.mark_sent(db, "plan", [plan.id], "2026-12-01T10:00:00.000Z")
    assert approval.state(db, "plan", plan.id).status == "sent"
    with pytest.raises(approval.ApprovalError):
        approval.approve(db, "person", [plan.id])


def test_the_list_filters_waiting_for_approval_and_not_sent(db):
    set_head(db)
    waiting = draft(db, "مسودة")
    approved = draft(db, "معتمد")
    sent = draft(db, "مرسل")
    edited = draft(db, "عُدّل بعد إرساله")
    approval.approve(db, "activity", [approved.id, sent.id, edited.id])
    approval.mark_sent(db, "activity", [sent.id, edited.id], "2026-12-01T10:00:00.000Z")
    # Edited outside the form (the status stays 'sent'): still waits for approval.
    store.update(db, dataclasses.replace(store.get(db, Activity, edited.id), place="هنا"))

    def titles(approval_filter: str) -> set[str]:
        where = ActivityFilter(approval=approval_filter)
        assert count_activities(db, where) == len(list_activities(db, where))
        return {row.title for row in list_activities(db, where)}

    assert titles("pending") == {waiting.title, edited.title}
    assert titles("unsent") == {approved.title}
    labels = {row.title: row.approval_label for row in list_activities(db)}
    assert labels == {"مسودة": "مسودة", "معتمد": "معتمد", "مرسل": "مرسل",
                      "عُدّل بعد إرساله": "عُدّل بعد الإرسال"}


def test_the_dashboard_counts_what_waits_for_approval_and_sending(db):
    set_head(db)
    ids = [draft(db, f"نشاط {n}").id for n in range(5)]
    binned = draft(db, "في السلة")
    store.delete(db, Activity, binned.id)
    approval.approve(db, "activity", ids[:3])
    approval.mark_sent(db, "activity", ids[:1], "2026-12-01T10:00:00.000Z")
    summary = dashboard.summary(db, dt.date(2026, 11, 15))
    assert (summary.awaiting_approval, summary.approved_unsent) == (2, 2)


# --- the command line -----------------------------------------------------------------

@pytest.fixture
def approval_db(db_path):
    """Two drafts and a plan, the unit's head named."""
    with Database.open(db_path, create=True) as db:
        set_head(db)
        first = draft(db, "ورشة الاتصال الحكومي")
        second = draft(db, "ندوة الشائعات")
        plan = plans.new_plan(db, period=("2026-11-01", "2026-12-31"))
    return db_path, first, second, plan


def test_cli_approve_by_prefix_prints_what_it_did(approval_db):
    db_path, first, second, plan = approval_db
    result = run("approve", first.id[:8], plan.id[:8], db=db_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{first.id[:8]}  اعتُمد النشاط «ورشة الاتصال الحكومي» باسم {HEAD}.",
        f"{plan.id[:8]}  اعتُمد المخطط «{plan.title}» باسم {HEAD}."]
    result = run("approve", second.id, "--by", "علي حسن", db=db_path)
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in json.loads(run("list", "activities", "--json",
                                               db=db_path).stdout)}
    assert {r["id"]: (r["status"], r["approved_by"]) for r in rows.values()} == {
        first.id: ("approved", HEAD), second.id: ("approved", "علي حسن")}
    assert rows[first.id]["approved_at"] and rows[first.id]["sent_at"] is None
    assert rows[first.id]["changed_since_sent"] is False


def test_cli_list_json_shows_a_change_since_sending(approval_db):
    db_path, first, _second, _plan = approval_db
    with Database.open(db_path) as db:
        approval.approve(db, "activity", [first.id])
        approval.mark_sent(db, "activity", [first.id], "2026-12-01T10:00:00.000Z")
        store.update(db, dataclasses.replace(store.get(db, Activity, first.id), place="هنا"))
    [row] = [r for r in json.loads(run("list", "activities", "--json", db=db_path).stdout)
             if r["id"] == first.id]
    assert (row["sent_at"], row["changed_since_sent"]) == ("2026-12-01T10:00:00.000Z", True)


def test_cli_approve_refuses_an_unknown_id_and_approves_nothing(approval_db):
    db_path, first, _second, _plan = approval_db
    result = run("approve", first.id[:8], "zzzz", db=db_path)
    assert result.returncode == 1
    arabic, english = result.stderr.strip().splitlines()[-2:]
    assert "zzzz" in arabic and "لا يوجد" in arabic and "No record" in english
    with Database.open(db_path) as db:
        assert approval.state(db, "activity", first.id).status == "draft"


def test_cli_approve_without_an_approver_is_refused(db_path):
    with Database.open(db_path, create=True) as db:
        activity = draft(db)
    result = run("approve", activity.id[:8], db=db_path)
    assert result.returncode == 1
    arabic, english = result.stderr.strip().splitlines()[-2:]
    assert "المعتمِد" in arabic and "approver" in english
    with Database.open(db_path) as db:
        assert approval.state(db, "activity", activity.id).status == "draft"

