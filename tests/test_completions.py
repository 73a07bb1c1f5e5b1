"""Completions: earlier values of a field, most frequent first, matched in any spelling."""

from __future__ import annotations

import pytest

from models import completions, store
from models.records import Activity, Person, Recommendation


def activity(db, **fields) -> Activity:
    fields.setdefault("title", "ورشة عمل")
    fields.setdefault("start_date", "2026-11-22")
    return store.insert(db, Activity(**fields))


def test_places_most_frequent_first(db):
    for place in ("جامعة كربلاء", "قاعة الشهداء", "جامعة كربلاء", "ديوان المحافظة",
                  "جامعة كربلاء", "قاعة الشهداء", ""):
        activity(db, place=place)
    assert completions.values(db, "place") == ["جامعة كربلاء", "قاعة الشهداء",
                                               "ديوان المحافظة"]
    assert completions.values(db, "place", limit=1) == ["جامعة كربلاء"]


def test_a_hamza_variant_prefix_finds_the_plain_spelling(db):
    activity(db, organiser="قسم الاتصال الحكومي")
    activity(db, organiser="دائرة الاتصال الحكومي في الوزارة")
    activity(db, organiser="جامعة كربلاء")
    found = completions.values(db, "organiser", "الإ")
    assert set(found) == {"قسم الاتصال الحكومي", "دائرة الاتصال الحكومي في الوزارة"}
    # Equal counts: a value that begins with the prefix comes before one where a later
    # word does.
    activity(db, organiser="الاتصال المرئي")
    assert completions.values(db, "organiser", "الإتص")[0] == "الاتصال المرئي"
    assert completions.values(db, "organiser", "جامعه") == ["جامعة كربلاء"]  # ة ↔ ه
    assert completions.values(db, "organiser", "مستشفى") == []


def test_partners_and_lecturers_come_out_of_their_lists(db):
    activity(db, partners=["شبكة الإعلام العراقي", "هيئة النزاهة"],
             lecturers=["د. علي حسين", "أ. زينب كاظم"])
    activity(db, partners=["هيئة النزاهة"], lecturers=["د. علي حسين"])
    assert completions.values(db, "partners") == ["هيئة النزاهة", "شبكة الإعلام العراقي"]
    assert completions.values(db, "lecturers") == ["د. علي حسين", "أ. زينب كاظم"]
    assert completions.values(db, "lecturers", "زينب") == ["أ. زينب كاظم"]


def test_person_and_recommendation_fields(db):
    for entity, job in (("مديرية تربية كربلاء", "مدرس"), ("مديرية تربية كربلاء", "مشرف"),
                        ("دائرة صحة كربلاء", "مدرس")):
        store.insert(db, Person(full_name="علي حسين كاظم", entity=entity, job_title=job))
    assert completions.values(db, "entity") == ["مديرية تربية كربلاء", "دائرة صحة كربلاء"]
    assert completions.values(db, "job_title") == ["مدرس", "مشرف"]
    workshop = activity(db)
    store.insert(db, Recommendation(activity_id=workshop.id, text="نص",
                                    addressed_to="الأمانة العامة لمجلس الوزراء"))
    assert completions.values(db, "addressed_to", "الامانه") == [
        "الأمانة العامة لمجلس الوزراء"]


def test_the_recycle_bin_does_not_count(db):
    gone = activity(db, place="قاعة محذوفة")
    activity(db, place="جامعة كربلاء")
    assert "قاعة محذوفة" in completions.values(db, "place")
    store.delete(db, Activity, gone.id)
    assert completions.values(db, "place") == ["جامعة كربلاء"]


def test_new_values_show_at_once(db):
    activity(db, place="جامعة كربلاء")
    assert completions.values(db, "place", "قاع") == []
    activity(db, place="قاعة الشهداء")  # the cached counts must notice this write
    assert completions.values(db, "place", "قاع") == ["قاعة الشهداء"]


def test_a_write_by_another_connection_is_seen(db, db_path):
    from models.db import Database

    activity(db, place="جامعة كربلاء")
    assert completions.values(db, "place") == ["جامعة كربلاء"]
    with Database.open(db_path) as other:
        activity(other, place="قاعة الشهداء")
    assert completions.values(db, "place", "قاعة") == ["قاعة الشهداء"]


def test_unknown_fields_are_refused(db):
    with pytest.raises(ValueError):
        completions.values(db, "title")
