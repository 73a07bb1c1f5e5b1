"""The activities list query: filters, every sort, pages, a search's ranking, and the kept
attendee count of the proposed migration giving the same answers."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from models import attendance, records, recycle, store
from models.activities import (
    SORTABLE,
    ActivityFilter,
    count_activities,
    list_activities,
)
from tests.conftest import karbala_workshop

KINDS = ("workshop", "meeting", "course", "seminar", "press_release")
STATUSES = ("draft", "approved", "sent")
PLACES = ("جامعة كربلاء", "قاعة الشهداء", "ديوان المحافظة", "")


@pytest.fixture
def filled(db):
    """Twenty-four activities of several kinds, statuses, dates and sizes, with lists."""
    rng = random.Random(4)
    people = [store.insert(db, records.Person(full_name=f"مشارك رقم {i} علي حسين"))
              for i in range(12)]
    made = []
    for i in range(24):
        start = f"2026-{1 + i % 12:02d}-{1 + (i * 7) % 27:02d}"
        activity = store.insert(db, records.Activity(
            kind=KINDS[i % len(KINDS)], status=STATUSES[i % len(STATUSES)],
            title=f"نشاط {rng.choice('أبتثجحخدذرزس')}{i:02d}", start_date=start,
            end_date=start if i % 3 else None, place=PLACES[i % len(PLACES)],
            participants_count=(i * 5 if i % 4 == 0 else None)))
        for person in people[: i % 7]:
            attendance.add(db, activity.id, person.id)
        made.append(activity)
    return made


SORT_VALUE = {
    "start_date": lambda r: (r.start_date,),
    "end_date": lambda r: (r.end_date or r.start_date,),
    "title": lambda r: (r.title,),
    "kind": lambda r: (r.kind, r.start_date),
    "place": lambda r: (r.place,),
    "status": lambda r: (r.status, r.start_date),
    "attendees": lambda r: (r.attendees,),
    "participants": lambda r: (r.participants,),
    "updated_at": lambda r: (r.updated_at,),
}


@pytest.mark.parametrize("order_by", sorted(SORT_VALUE))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_orders_by_its_key(db, filled, order_by, descending):
    rows = list_activities(db, order_by=order_by, descending=descending)
    assert len(rows) == 24
    values = [SORT_VALUE[order_by](r) for r in rows]
    assert values == sorted(values, reverse=descending)
    assert len(set(values)) > 3  # the data really differ in this column


def test_every_sortable_key_is_tested():
    assert set(SORTABLE) == set(SORT_VALUE) | {"rank"}


def test_pages_put_together_are_the_whole_list(db, filled):
    for order_by in ("title", "participants", "kind"):
        whole = [r.id for r in list_activities(db, order_by=order_by)]
        paged = []
        for offset in range(0, 30, 5):
            paged += [r.id for r in list_activities(db, order_by=order_by, limit=5,
                                                    offset=offset)]
        assert paged == whole
        assert len(set(whole)) == 24


def test_rows_carry_attendees_and_participants(db, filled):
    rows = {r.id: r for r in list_activities(db)}
    for i, activity in enumerate(filled):
        row = rows[activity.id]
        assert row.attendees == i % 7
        assert row.participants == (i % 7 or (i * 5 if i % 4 == 0 else 0))
        assert (row.title, row.kind, row.place) == (activity.title, activity.kind,
                                                    activity.place)


def test_filters_narrow_and_count_agrees(db, filled):
    cases = {
        ActivityFilter(kind="meeting"): lambda a: a.kind == "meeting",
        ActivityFilter(status="sent"): lambda a: a.status == "sent",
        ActivityFilter(date_from="2026-03-01", date_to="2026-06-30"):
            lambda a: "2026-03-01" <= a.start_date <= "2026-06-30",
        ActivityFilter(kind="workshop", status="draft"):
            lambda a: a.kind == "workshop" and a.status == "draft",
    }
    for where, keep in cases.items():
        want = {a.id for a in filled if keep(a)}
        assert want, where
        assert {r.id for r in list_activities(db, where)} == want
        assert count_activities(db, where) == len(want)


def test_binned_activities_leave_the_list_and_show_in_the_deleted_one(db, filled):
    store.delete(db, records.Activity, filled[0].id)
    assert filled[0].id not in {r.id for r in list_activities(db)}
    assert count_activities(db) == 23
    assert [r.id for r in list_activities(db, ActivityFilter(deleted=True))] == [filled[0].id]


def test_search_ids_keep_their_rank_and_combine_with_filters(db, filled):
    ranked = (filled[5].id, filled[0].id, filled[17].id, "no-such-id", filled[2].id)
    where = ActivityFilter(ids=ranked)
    assert [r.id for r in list_activities(db, where, order_by="rank", descending=False)] == \
        [filled[5].id, filled[0].id, filled[17].id, filled[2].id]
    assert count_activities(db, where) == 4
    assert [r.id for r in list_activities(db, where, order_by="rank", limit=2, offset=1,
                                          descending=False)] == [filled[0].id, filled[17].id]
    titles = [r.title for r in list_activities(db, where, order_by="title", descending=False)]
    assert titles == sorted(titles)
    narrowed = dataclasses.replace(where, kind=filled[5].kind)
    assert filled[5].kind == filled[0].kind != filled[17].kind
    assert [r.id for r in list_activities(db, narrowed, order_by="rank", descending=False)] \
        == [filled[5].id, filled[0].id]
    assert list_activities(db, ActivityFilter(ids=())) == []
    assert count_activities(db, ActivityFilter(ids=())) == 0


def test_many_ids_are_one_parameter(db, filled):
    ids = tuple(f"missing-{i}" for i in range(40_000)) + (filled[3].id,)
    assert [r.id for r in list_activities(db, ActivityFilter(ids=ids), order_by="rank")] == \
        [filled[3].id]


def test_rank_without_ids_falls_back_to_newest_first(db, filled):
    assert [r.id for r in list_activities(db, order_by="rank")] == \
        [r.id for r in list_activities(db)]


def test_unknown_sort_is_refused(db):
    with pytest.raises(ValueError):
        list_activities(db, order_by="title; DROP TABLE activities")


def test_the_kept_attendee_count_follows_every_change(db, filled):

    # The triggers keep the count through every way attendance changes.
    workshop = store.insert(db, karbala_workshop())
    person = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي"))
    other = store.insert(db, records.Person(full_name="علي حسين كاظم"))
    row = attendance.add(db, workshop.id, person.id)
    attendance.add(db, workshop.id, other.id)
    count = lambda: next(r.attendees for r in list_activities(db) if r.id == workshop.id)  # noqa: E731
    assert count() == 2
    attendance.remove(db, row.id)
    assert count() == 1
    attendance.add(db, workshop.id, person.id)  # the same row, brought back
    assert count() == 2
    store.delete(db, records.Person, other.id)  # a binned person stays on the list
    assert count() == 2
    # Purging an activity cascades its attendance: the other activities' counts hold.
    target = filled[6]
    store.delete(db, records.Activity, target.id)
    recycle.purge(db, "activity", target.id)
    check = {r.id: r.attendees for r in list_activities(db)}
    truth = dict(db.execute(
        "SELECT a.id, (SELECT count(*) FROM attendance t WHERE t.activity_id = a.id "
        "AND t.deleted_at IS NULL) FROM activities a WHERE a.deleted_at IS NULL"))
    assert check == truth


def test_ids_filter_is_json_safe(db, filled):
    odd = ('"; DROP TABLE activities; --', filled[1].id)
    assert [r.id for r in list_activities(db, ActivityFilter(ids=odd))] == [filled[1].id]
    assert json.loads(json.dumps(odd))
