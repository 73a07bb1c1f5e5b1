"""Drafts of forms: kept, replaced, listed and forgotten."""

from __future__ import annotations

from models import drafts
from models.db import Database


def test_a_draft_is_kept_replaced_and_deleted(db):
    drafts.save(db, "activity:1", "activity", None, {"title": "ورشة"})
    drafts.save(db, "activity:1", "activity", None, {"title": "ورشة عمل"})
    drafts.save(db, "person:2", "person", "p2", {"full_name": "زينب"})
    assert drafts.get(db, "activity:1").payload == {"title": "ورشة عمل"}
    assert [d.key for d in drafts.all_drafts(db)] == ["activity:1", "person:2"]
    assert [d.record_id for d in drafts.all_drafts(db, "person")] == ["p2"]
    drafts.delete(db, "activity:1")
    assert drafts.get(db, "activity:1") is None
    assert [d.key for d in drafts.all_drafts(db)] == ["person:2"]


def test_drafts_survive_closing_the_file(db_path):
    with Database.open(db_path, create=True) as db:
        drafts.save(db, "activity:x", "activity", None, {"summary": "سطر\nسطر ثانٍ"})
    with Database.open(db_path) as db:
        assert drafts.get(db, "activity:x").payload == {"summary": "سطر\nسطر ثانٍ"}


def test_an_unreadable_draft_is_skipped(db):
    drafts.save(db, "ok", "activity", None, {})
    db.execute("INSERT INTO drafts VALUES ('bad', 'activity', NULL, '{not json', 'z')")
    assert [d.key for d in drafts.all_drafts(db)] == ["ok"]
    assert drafts.get(db, "bad") is None
