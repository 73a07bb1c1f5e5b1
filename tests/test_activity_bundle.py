"""Saving an activity with its recommendations and photos in one transaction."""

from __future__ import annotations

import dataclasses

import pytest

from models import activity_bundle, attachments, attendance, records, store
from models.activity_bundle import ActivityBundle
from models.errors import ValidationError
from tests.conftest import karbala_workshop
from tests.test_attachments import png_bytes


def recommendations() -> list[records.Recommendation]:
    return [
        records.Recommendation(text="تفعيل دور منسقي الاتصال الحكومي في الدوائر",
                               addressed_to="وزارة التعليم العالي والبحث العلمي"),
        records.Recommendation(text="إقامة ورش دورية لممثلي شعب الإعلام",
                               addressed_to="جامعة كربلاء", due_date="2027-01-31"),
    ]


def photo(db, tmp_path) -> records.Attachment:
    (tmp_path / "p.png").write_bytes(png_bytes())
    return attachments.store_image(db.path, tmp_path / "p.png").record("activity", None,
                                                                      caption="الافتتاح")


def test_save_writes_the_activity_recommendations_and_photos(db, tmp_path):
    saved = activity_bundle.save(db, ActivityBundle(karbala_workshop(), recommendations(),
                                                    [photo(db, tmp_path)]))
    again = activity_bundle.load(db, saved.activity.id)
    assert again.activity.title == karbala_workshop().title
    assert [(r.text, r.position, r.status, r.activity_id) for r in again.recommendations] == [
        ("تفعيل دور منسقي الاتصال الحكومي في الدوائر", 1, "raised", saved.activity.id),
        ("إقامة ورش دورية لممثلي شعب الإعلام", 2, "raised", saved.activity.id)]
    assert [(p.caption, p.owner_type, p.owner_id, p.position) for p in again.photos] == [
        ("الافتتاح", "activity", saved.activity.id, 1)]


def test_reordering_and_removing_updates_in_place(db, tmp_path):
    saved = activity_bundle.save(db, ActivityBundle(karbala_workshop(), recommendations(),
                                                    [photo(db, tmp_path)]))
    first, second = saved.recommendations
    changed = activity_bundle.save(db, ActivityBundle(saved.activity, [second], []))
    assert [(r.id, r.position) for r in changed.recommendations] == [(second.id, 1)]
    assert changed.photos == []
    # What was taken out is in the recycle bin, not gone.
    assert store.get(db, records.Recommendation, first.id, include_deleted=True).deleted_at


def test_a_broken_recommendation_changes_nothing(db):
    bad = [*recommendations(), records.Recommendation(text="")]
    with pytest.raises(ValidationError) as caught:
        activity_bundle.save(db, ActivityBundle(karbala_workshop(), bad))
    assert caught.value.field == "text"
    assert store.count(db, records.Activity) == 0
    assert store.count(db, records.Recommendation) == 0


def test_a_failure_half_way_rolls_everything_back(db, monkeypatch):
    real_save = store.save

    def failing_save(database, record):
        if isinstance(record, records.Recommendation) and record.position == 2:
            raise OSError("disk full")
        return real_save(database, record)

    monkeypatch.setattr(store, "save", failing_save)
    with pytest.raises(OSError):
        activity_bundle.save(db, ActivityBundle(karbala_workshop(), recommendations()))
    assert store.count(db, records.Activity) == 0
    assert store.count(db, records.Recommendation) == 0


def test_check_reports_problems_by_place(db):
    bundle = activity_bundle.clean_bundle(ActivityBundle(
        dataclasses.replace(karbala_workshop(), end_date="2026-11-20"),
        [records.Recommendation(text="حسن"), records.Recommendation(text="  ")]))
    found = activity_bundle.check(bundle)
    assert [e.field for e in found.activity] == ["end_date"]
    assert str(found.activity[0]) == "تاريخ الانتهاء لا يمكن أن يسبق تاريخ البدء."
    assert list(found.recommendations) == [1]


def test_duplicate_copies_fields_and_recommendations_but_not_people_or_photos(db, tmp_path):
    saved = activity_bundle.save(db, ActivityBundle(karbala_workshop(), recommendations(),
                                                    [photo(db, tmp_path)]))
    person = store.insert(db, records.Person(full_name="علي حسين كاظم"))
    attendance.add(db, saved.activity.id, person.id)
    copy = activity_bundle.duplicate(db, saved.activity.id)
    assert copy.activity.id != saved.activity.id
    assert copy.activity.title == karbala_workshop().title + " (نسخة)"
    assert copy.activity.status == "draft"
    assert (copy.activity.partners, copy.activity.start_date, copy.activity.place) == (
        saved.activity.partners, "2026-11-22", "جامعة كربلاء")
    assert [r.text for r in copy.recommendations] == [r.text for r in saved.recommendations]
    assert {r.id for r in copy.recommendations}.isdisjoint(
        {r.id for r in saved.recommendations})
    assert copy.photos == [] and copy.activity.participants_count is None
    stored = activity_bundle.save(db, copy)
    assert attendance.count(db, stored.activity.id) == 0
    assert len(activity_bundle.load(db, saved.activity.id).recommendations) == 2


def test_the_count_follows_the_list(db, workshop):
    person = store.insert(db, records.Person(full_name="علي حسين كاظم"))
    attendance.add(db, workshop.id, person.id)
    assert activity_bundle.sync_participants_count(db, workshop.id) == 1
    assert store.get(db, records.Activity, workshop.id).participants_count == 1
    typed = dataclasses.replace(store.get(db, records.Activity, workshop.id),
                                participants_count=40)
    assert activity_bundle.save(db, ActivityBundle(typed)).activity.participants_count == 1


def test_payload_round_trip(db, tmp_path):
    bundle = ActivityBundle(karbala_workshop(), recommendations(), [photo(db, tmp_path)])
    payload = activity_bundle.to_payload(bundle)
    import json

    assert activity_bundle.from_payload(json.loads(json.dumps(payload))) == bundle


def test_the_count_mirrors_the_list_and_is_cleared_when_it_empties(db, workshop):
    from models import activity_bundle, attendance, records, store

    person = store.insert(db, records.Person(full_name="علي حسين كاظم"))
    row = attendance.add(db, workshop.id, person.id)
    assert activity_bundle.sync_participants_count(db, workshop.id) == 1
    assert store.get(db, records.Activity, workshop.id).participants_count == 1
    attendance.remove(db, row.id)
    assert activity_bundle.sync_participants_count(db, workshop.id) == 0
    assert store.get(db, records.Activity, workshop.id).participants_count is None
