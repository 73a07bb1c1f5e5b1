"""The recycle bin: what it lists, restoring, removing for good without breaking a
reference, emptying, and the 30-day limit."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from models import attendance, recycle, search, store
from models.activities import list_activities
from models.errors import NotFoundError
from models.records import Activity, Certificate, Person, Recommendation, now
from tests.conftest import karbala_workshop


def backdate(db, table: str, record_id: str, days: int) -> None:
    """Pretend a record went to the bin ``days`` days ago."""
    stamp = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")
    with db.atomic():
        db.execute(f"UPDATE {table} SET deleted_at = ? WHERE id = ?", (stamp, record_id))


def foreign_keys_hold(db) -> bool:
    return db.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.fixture
def zainab(db):
    return store.insert(db, Person(full_name="زينب علي حسين الأسدي", gender="f"))


def test_the_bin_lists_deleted_activities_and_persons_newest_first(db, workshop, zainab):
    assert recycle.items(db) == []
    store.delete(db, Activity, workshop.id)
    time.sleep(0.002)  # deletion times are kept to the millisecond
    store.delete(db, Person, zainab.id)
    items = recycle.items(db)
    assert [(i.type, i.id, i.title) for i in items] == [
        ("person", zainab.id, zainab.full_name), ("activity", workshop.id, workshop.title)]
    assert all(i.deleted_on == dt.datetime.now(dt.UTC).date() for i in items)
    assert items[0].days_left(items[0].deleted_on) == recycle.KEEP_DAYS
    assert recycle.count(db) == 2


def test_deleted_plan_items_and_coverage_wait_in_the_bin_like_the_rest(db, workshop):
    from models.records import CoverageItem, Plan, PlanItem

    plan = store.insert(db, Plan(title="مخطط الاتصال", period_start="2026-11-01",
                                 period_end="2026-12-31"))
    item = store.insert(db, PlanItem(plan_id=plan.id, title="مؤتمر صحفي",
                                     activity_id=workshop.id))
    story = store.insert(db, CoverageItem(date="2026-11-22", title="افتتاح الورشة"))
    recycle.delete_many(db, PlanItem, [item.id])
    recycle.delete_many(db, CoverageItem, [story.id])
    listed = {(i.type, i.title) for i in recycle.items(db)}
    assert listed == {("plan_item", "مؤتمر صحفي"), ("coverage", "افتتاح الورشة")}
    assert recycle.count(db) == 2
    recycle.restore(db, "plan_item", item.id)
    assert store.get(db, PlanItem, item.id).deleted_at is None
    assert recycle.empty(db) == 1
    with pytest.raises(NotFoundError):
        store.get(db, CoverageItem, story.id, include_deleted=True)
    assert foreign_keys_hold(db)


def test_attendance_rows_taken_off_a_list_are_not_listed(db, workshop, zainab):
    row = attendance.add(db, workshop.id, zainab.id)
    attendance.remove(db, row.id)
    assert recycle.items(db) == []


def test_restore_brings_a_record_back_into_lists_and_search(db, workshop):
    store.insert(db, Recommendation(activity_id=workshop.id, text="تفعيل منصات التواصل"))
    store.delete(db, Activity, workshop.id)
    assert search.search(db.conn, "الإتصال") == []
    restored = recycle.restore(db, "activity", workshop.id)
    assert restored.deleted_at is None
    assert [r.id for r in list_activities(db)] == [workshop.id]
    assert [h.id for h in search.search(db.conn, "الإتصال")] == [workshop.id]
    assert [h.type for h in search.search(db.conn, "منصات")] == ["recommendation"]
    assert recycle.items(db) == []


def test_purging_an_activity_takes_its_lists_recommendations_and_certificates(db, workshop,
                                                                               zainab):
    row = attendance.add(db, workshop.id, zainab.id)
    store.insert(db, Recommendation(activity_id=workshop.id, text="تفعيل منصات التواصل"))
    store.insert(db, Certificate(person_id=zainab.id, activity_id=workshop.id, serial="1",
                                 issued_at=now()))
    with db.atomic():
        db.execute("INSERT INTO drafts (key, record_type, record_id, payload, saved_at) "
                   "VALUES ('k', 'activity', ?, '{}', ?)", (workshop.id, now()))
    store.delete(db, Activity, workshop.id)
    recycle.purge(db, "activity", workshop.id)
    assert db.scalar("SELECT count(*) FROM drafts") == 0
    with pytest.raises(NotFoundError):
        store.get(db, Activity, workshop.id, include_deleted=True)
    for table in ("attendance", "recommendations", "certificates"):
        assert db.scalar(f"SELECT count(*) FROM {table}") == 0, table
    assert db.scalar("SELECT count(*) FROM attendance WHERE id = ?", (row.id,)) == 0
    assert search.search(db.conn, "منصات") == []
    assert store.get(db, Person, zainab.id).full_name == zainab.full_name  # people stay
    assert foreign_keys_hold(db)


def test_only_binned_records_can_be_purged(db, workshop):
    with pytest.raises(recycle.NotInBinError) as error:
        recycle.purge(db, "activity", workshop.id)
    assert "ليس في سلة المحذوفات" in str(error.value)
    assert store.get(db, Activity, workshop.id)
    with pytest.raises(NotFoundError):
        recycle.purge(db, "activity", "no-such-id")
    with pytest.raises(ValueError):
        recycle.purge(db, "attendance", workshop.id)


def test_a_person_still_on_a_list_is_kept(db, workshop, zainab):
    attendance.add(db, workshop.id, zainab.id)
    store.delete(db, Person, zainab.id)
    [item] = recycle.items(db)
    assert item.in_use
    with pytest.raises(recycle.InUseError) as error:
        recycle.purge(db, "person", zainab.id)
    assert "قوائم حضور" in str(error.value)
    assert store.get(db, Person, zainab.id, include_deleted=True)
    assert recycle.empty(db) == 0
    assert [i.id for i in recycle.items(db)] == [zainab.id]
    assert recycle.purge_expired(db, today=recycle.utc_today() + dt.timedelta(days=90)) == 0
    assert foreign_keys_hold(db)


def test_a_person_with_a_certificate_is_kept(db, workshop, zainab):
    store.insert(db, Certificate(person_id=zainab.id, activity_id=workshop.id, serial="7",
                                 issued_at=now()))
    store.delete(db, Person, zainab.id)
    assert recycle.in_use(db, zainab.id)
    with pytest.raises(recycle.InUseError):
        recycle.purge(db, "person", zainab.id)


def test_a_person_only_taken_off_lists_is_purged_with_those_rows(db, workshop, zainab):
    row = attendance.add(db, workshop.id, zainab.id)
    attendance.remove(db, row.id)
    store.delete(db, Person, zainab.id)
    assert not recycle.items(db)[0].in_use
    recycle.purge(db, "person", zainab.id)
    assert db.scalar("SELECT count(*) FROM persons") == 0
    assert db.scalar("SELECT count(*) FROM attendance") == 0
    assert store.get(db, Activity, workshop.id)  # the activity is untouched
    assert foreign_keys_hold(db)


def test_a_person_on_a_binned_activity_waits_for_it_and_emptying_frees_them(db, workshop,
                                                                          zainab):
    attendance.add(db, workshop.id, zainab.id)
    store.delete(db, Activity, workshop.id)
    store.delete(db, Person, zainab.id)
    # The activity may still be restored: its list must keep her.
    with pytest.raises(recycle.InUseError):
        recycle.purge(db, "person", zainab.id)
    # Emptying removes the activity first, its list with it, then her.
    assert recycle.empty(db) == 2
    assert recycle.items(db) == []
    assert db.scalar("SELECT count(*) FROM persons") == 0
    assert foreign_keys_hold(db)


def test_purge_expired_removes_only_what_has_been_there_30_days(db, zainab):
    ages = {"old": 45, "exact": 30, "recent": 29, "fresh": 0}
    made = {}
    for name, age in ages.items():
        activity = store.insert(db, Activity(title=f"نشاط {name}", start_date="2026-01-10"))
        store.delete(db, Activity, activity.id)
        backdate(db, "activities", activity.id, age)
        made[name] = activity.id
    store.delete(db, Person, zainab.id)
    backdate(db, "persons", zainab.id, 31)
    live = store.insert(db, karbala_workshop())

    by_id = {i.id: i for i in recycle.items(db)}
    assert by_id[made["recent"]].days_left() == 1
    assert by_id[made["exact"]].days_left() == 0
    assert by_id[made["fresh"]].days_left() == 30

    assert recycle.purge_expired(db) == 3  # old, exact and the person
    left = {i.id for i in recycle.items(db)}
    assert left == {made["recent"], made["fresh"]}
    assert store.get(db, Activity, live.id)  # nothing outside the bin is touched
    assert recycle.purge_expired(db) == 0
    # A month later, the rest goes too.
    assert recycle.purge_expired(db, today=recycle.utc_today() + dt.timedelta(days=30)) == 2
    assert recycle.count(db) == 0


def test_days_left_counts_down_to_zero():
    item = recycle.BinItem("activity", "x", "t", "2026-11-01T08:00:00.000Z")
    assert item.days_left(dt.date(2026, 11, 1)) == 30
    assert item.days_left(dt.date(2026, 11, 21)) == 10
    assert item.days_left(dt.date(2026, 12, 1)) == 0
    assert item.days_left(dt.date(2027, 1, 1)) == 0
