"""Every validation rule: a wrong value gives its Arabic message and changes nothing."""

from __future__ import annotations

import dataclasses

import pytest

from models import records, store
from models.errors import ValidationError

BASE = records.Activity(title="ورشة", start_date="2026-11-22", end_date="2026-11-23")

CASES = [
    # (field, bad value, words the Arabic message must contain)
    ("title", "", "مطلوب"),
    ("title", "   \u200f ", "مطلوب"),
    ("title", "ت" * 501, "أطول"),
    ("kind", "party", "غير معروفة"),
    ("status", "published", "غير معروفة"),
    ("start_date", "2026-02-30", "غير صحيح"),
    ("start_date", "أمس", "غير صحيح"),
    ("start_date", "1949-12-31", "1950"),
    ("end_date", "2101-01-01", "2100"),
    ("end_date", "2026-11-21", "يسبق"),
    ("participants_count", -1, "سالب"),
    ("participants_count", "عشرة", "عدداً صحيحاً"),
    ("participants_count", 10**9, "أكبر"),
    ("summary", "ن" * 20_001, "أطول"),
    ("partners", ["جهة"] * 101, "تتجاوز"),
]


@pytest.mark.parametrize(("field", "value", "words"), CASES)
def test_rule_gives_its_message_and_changes_nothing(db, workshop, field, value, words):
    before = db.rows("SELECT * FROM activities")
    docs_before = db.scalar("SELECT count(*) FROM search_docs")
    bad = dataclasses.replace(BASE, **{field: value})
    with pytest.raises(ValidationError) as caught:
        store.insert(db, bad)
    error = caught.value
    expected_field = "end_date" if words == "يسبق" else field
    assert error.field == expected_field
    assert words in str(error)
    assert error.english and error.english.isascii()
    # The same bad value as an update of an existing record changes nothing either.
    with pytest.raises(ValidationError):
        store.update(db, dataclasses.replace(workshop, **{field: value}))
    assert db.rows("SELECT * FROM activities") == before
    assert db.scalar("SELECT count(*) FROM search_docs") == docs_before


@pytest.mark.parametrize(("record", "field"), [
    (records.Person(full_name=""), "full_name"),
    (records.Person(full_name="علي", phone="07701234567 ext"), "phone"),
    (records.Person(full_name="علي", email="not-an-email"), "email"),
    (records.Person(full_name="علي", gender="x"), "gender"),
    (records.CoverageItem(date="2026-11-23", title="خبر", link="javascript:alert(1)"), "link"),
    (records.CoverageItem(date="2026-11-23", title="خبر", tone="angry"), "tone"),
    (records.Plan(title="مخطط", period_start="2026-12-01", period_end="2026-11-01"),
     "period_end"),
    (records.Recommendation(text=""), "text"),
])
def test_other_records_have_their_rules(db, record, field):
    with pytest.raises(ValidationError) as caught:
        store.insert(db, record)
    assert caught.value.field == field
    assert store.count(db, type(record)) == 0


def test_problems_lists_every_broken_field_for_a_form():
    bad = records.Activity(title="", start_date="2026-99-01", kind="?")
    fields = [p.field for p in records.problems(records.clean(bad))]
    assert fields == ["kind", "title", "start_date"]


def test_huge_hostile_text_is_refused_without_harm(db):
    hostile = "'); DROP TABLE activities; --" + "\x00" * 10 + "ا" * 1_000_000
    with pytest.raises(ValidationError):
        store.insert(db, records.Activity(title=hostile, start_date="2026-01-01"))
    assert db.scalar("SELECT count(*) FROM activities") == 0


def test_sql_looking_text_is_stored_as_text(db):
    title = "'); DROP TABLE activities; --"
    saved = store.insert(db, records.Activity(title=title, start_date="2026-01-01"))
    assert store.get(db, records.Activity, saved.id).title == title
