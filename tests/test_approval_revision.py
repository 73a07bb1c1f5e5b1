"""An edit of what belongs to an approved or sent record (issue 13): models.approval's
touched, revision and guard, on a real file."""

from __future__ import annotations

import pytest

from models import approval, attendance, plans, records, store
from models.errors import IttisalError


def version(db, table: str, record_id: str) -> int:
    return db.scalar(f"SELECT row_version FROM {table} WHERE id = ?", (record_id,))


@pytest.fixture
def activity(db) -> records.Activity:
    made = store.insert(db, records.Activity(title="ندوة عن الشائعات",
                                             start_date="2026-11-10"))
    approval.approve(db, "activity", [made.id], by="مدير الشعبة")
    return made


def test_touching_an_approved_activity_makes_it_a_draft_one_version_up(db, activity):
    before = version(db, "activities", activity.id)
    assert approval.touched(db, "activity", activity.id) == "draft"
    state = approval.state(db, "activity", activity.id)
    assert state.status == "draft" and not state.asks_before_edit
    assert version(db, "activities", activity.id) == before + 1
    # The status filter of the search follows.
    assert db.scalar("SELECT status FROM search_docs WHERE ref_id = ?", (activity.id,)) == "draft"


def test_touching_a_sent_record_shows_it_changed_since_sent(db, activity):
    approval.mark_sent(db, "activity", [activity.id], "2026-12-01T10:00:00.000Z")
    assert approval.state(db, "activity", activity.id).label == "مرسل"
    approval.touched(db, "activity", activity.id)
    state = approval.state(db, "activity", activity.id)
    assert state.label == "عُدّل بعد الإرسال" and state.sent_at == "2026-12-01T10:00:00.000Z"


def test_a_refused_edit_in_a_revision_changes_nothing_the_approval_included(db, activity):
    person = store.insert(db, records.Person(full_name="علي حسين كاظم"))
    before = version(db, "activities", activity.id)
    with pytest.raises(IttisalError):
        with approval.revision(db, "activity", activity.id):
            attendance.add(db, activity.id, person.id)
            raise IttisalError("رُفض", "refused")
    assert attendance.count(db, activity.id) == 0
    assert approval.state(db, "activity", activity.id).status == "approved"
    assert version(db, "activities", activity.id) == before


def test_an_items_edit_in_a_revision_makes_the_plan_a_draft(db):
    plan = plans.new_plan(db, period=("2026-12-01", "2027-01-31"))
    item = plans.save_item(db, records.PlanItem(plan_id=plan.id, title="مؤتمر صحفي"))
    approval.approve(db, "plan", [plan.id], by="مدير الشعبة")
    before = version(db, "plans", plan.id)
    with approval.revision(db, "plan", plan.id):
        plans.save_item(db, records.PlanItem(**{**item.__dict__, "owner": "قسم الإعلام"}))
    assert approval.state(db, "plan", plan.id).status == "draft"
    assert version(db, "plans", plan.id) == before + 1


def test_guard_asks_only_for_a_recorded_approval_or_sending(db, activity):
    assert approval.guard(db, "activity", activity.id).status == "approved"
    assert approval.guard(db, "activity", None) is None
    assert approval.guard(db, "activity", "missing") is None
    old = store.insert(db, records.Activity(title="قديم", start_date="2025-01-10",
                                            status="approved"))  # before schema v12
    assert approval.guard(db, "activity", old.id) is None
    approval.touched(db, "activity", activity.id)
    assert approval.guard(db, "activity", activity.id) is None
    assert approval.touched(db, "activity", "missing") == ""


def test_importing_a_list_into_an_approved_activity_makes_it_a_new_revision(db, activity,
                                                                            tmp_path):
    # The app's import dialog and the command line's `import attendees` both come here.
    from models import importer

    sheet = tmp_path / "list.csv"
    sheet.write_text("الاسم,الجهة\nحسن عباس فاضل,جامعة كربلاء\n", encoding="utf-8")
    before = version(db, "activities", activity.id)
    result, _table, _mapping = importer.import_file(db, str(sheet), activity.id)
    assert result.added == 1 and attendance.count(db, activity.id) == 1
    assert approval.state(db, "activity", activity.id).status == "draft"
    assert version(db, "activities", activity.id) > before
    # The same list again puts no one on it: nothing to revise.
    approval.approve(db, "activity", [activity.id], by="مدير الشعبة")
    importer.import_file(db, str(sheet), activity.id)
    assert approval.state(db, "activity", activity.id).status == "approved"
