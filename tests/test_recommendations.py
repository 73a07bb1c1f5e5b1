"""Following up recommendations: overdue on a fixed day, filters, dated notes that change
the status, and schema v10 keeping the old free-text follow-up as the first note."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from models import recommendations, schema, store, vocab
from models.db import Database
from models.errors import ValidationError
from models.recommendations import RecommendationFilter, RecommendationQueryError
from models.records import Activity, Recommendation, RecommendationNote
from tests.conftest import karbala_workshop

TODAY = dt.date(2026, 12, 4)
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "v1.sqlite3"
V1_RECOMMENDATION = "3e4f5061-7283-494a-9b5c-6d7e8f901234"


@pytest.fixture
def followed(db):
    """The Karbala workshop (22 Nov) with four recommendations, and a meeting (5 Oct)
    with one, in every state a follow-up meets."""
    workshop = store.insert(db, karbala_workshop())
    meeting = store.insert(db, Activity(kind="meeting", title="الاجتماع الدوري لشبكة الاتصال",
                                        start_date="2026-10-05"))
    recs = {}
    for key, activity, text, to, due, status in (
            ("late", workshop, "تفعيل الصفحات الرسمية للدوائر", "مديرية التربية",
             "2026-12-01", "raised"),
            ("late_going", workshop, "تدريب الناطقين الإعلاميين", "وزارة التعليم العالي",
             "2026-11-30", "in_progress"),
            ("done", workshop, "توحيد الهوية البصرية", "مديرية التربية", "2026-11-01", "done"),
            ("due_today", workshop, "إصدار نشرة شهرية", "محافظة كربلاء", "2026-12-04",
             "raised"),
            ("impossible", meeting, "إنشاء استوديو إذاعي", "وزارة المالية", "2026-10-20",
             "rejected")):
        recs[key] = store.insert(db, Recommendation(
            activity_id=activity.id, text=text, addressed_to=to, due_date=due, status=status))
    return workshop, meeting, recs


def texts(rows):
    return [r.text for r in rows]


def test_overdue_is_a_passed_due_date_and_an_open_status_on_the_given_day(db, followed):
    _, _, recs = followed
    rows = {r.id: r for r in recommendations.list_recommendations(db, today=TODAY)}
    assert {key for key, rec in recs.items() if rows[rec.id].overdue} == {"late", "late_going"}
    # The next day the one due today is overdue too; a month earlier none is.
    later = recommendations.overdue(db, TODAY + dt.timedelta(days=1))
    assert texts(later) == ["تدريب الناطقين الإعلاميين", "تفعيل الصفحات الرسمية للدوائر",
                            "إصدار نشرة شهرية"]
    assert recommendations.overdue(db, dt.date(2026, 10, 1)) == []
    assert recommendations.count_overdue(db, TODAY) == 2


def test_the_list_filters_by_status_addressee_activity_and_the_activitys_date(db, followed):
    workshop, meeting, recs = followed

    def listed(**filters):
        return texts(recommendations.list_recommendations(
            db, RecommendationFilter(**filters), today=TODAY))

    assert listed(status="done") == ["توحيد الهوية البصرية"]
    assert listed(overdue=True) == ["تدريب الناطقين الإعلاميين",
                                    "تفعيل الصفحات الرسمية للدوائر"]
    assert listed(addressed_to="التربية") == ["توحيد الهوية البصرية",
                                              "تفعيل الصفحات الرسمية للدوائر"]
    assert listed(activity_id=meeting.id) == ["إنشاء استوديو إذاعي"]
    assert listed(date_from="2026-10-01", date_to="2026-10-31") == ["إنشاء استوديو إذاعي"]
    assert len(listed(date_from="2026-11-01")) == 4
    row = recommendations.list_recommendations(
        db, RecommendationFilter(activity_id=meeting.id), today=TODAY)[0]
    assert (row.activity_title, row.activity_date, row.status_label) == (
        "الاجتماع الدوري لشبكة الاتصال", "2026-10-05", "متعذرة")
    with pytest.raises(RecommendationQueryError) as caught:
        listed(status="closed")
    assert "غير معروفة" in str(caught.value) and "closed" in caught.value.english
    # An activity in the recycle bin takes its recommendations out of the list.
    store.delete(db, Activity, workshop.id)
    assert listed() == ["إنشاء استوديو إذاعي"]


@pytest.mark.parametrize(("typed", "found"), [
    ("التربيه", ["توحيد الهوية البصرية", "تفعيل الصفحات الرسمية للدوائر"]),  # ة/ه
    ("مديريه التربيه", ["توحيد الهوية البصرية", "تفعيل الصفحات الرسمية للدوائر"]),
    ("وزاره التعليم العالى", ["تدريب الناطقين الإعلاميين"]),  # ى/ي
    ("محافظة كربلاء", ["إصدار نشرة شهرية"]),
    ("الماليّة", ["إنشاء استوديو إذاعي"]),  # a shadda typed
    ("  ", None),  # blank: no filter
])
def test_the_addressee_filter_folds_spelling_variants(db, followed, typed, found):
    rows = recommendations.list_recommendations(
        db, RecommendationFilter(addressed_to=typed), today=TODAY)
    assert texts(rows) == (found if found is not None else texts(
        recommendations.list_recommendations(db, today=TODAY)))


def test_the_addressee_filter_folds_hamza_on_alef_both_ways(db):
    workshop = store.insert(db, karbala_workshop())
    for to in ("الأمانة العامة لمجلس الوزراء", "الامانة العامة لمجلس الوزراء",
               "مديرية إعلام المحافظة", "مديرية اعلام المحافظة"):
        store.insert(db, Recommendation(activity_id=workshop.id, text=to, addressed_to=to))

    def listed(typed):
        return sorted(texts(recommendations.list_recommendations(
            db, RecommendationFilter(addressed_to=typed), today=TODAY)))

    assert listed("الأمانة") == listed("الامانة") == listed("الإمانة") == [
        "الأمانة العامة لمجلس الوزراء", "الامانة العامة لمجلس الوزراء"]
    assert listed("اعلام") == listed("إعلام") == [
        "مديرية إعلام المحافظة", "مديرية اعلام المحافظة"]


def test_a_note_changes_the_status_and_joins_the_history(db, followed):
    _, _, recs = followed
    rid = recs["late"].id
    recommendations.add_note(db, rid, "2026-11-25", "خوطبت المديرية بكتاب رسمي.")
    recommendations.add_note(db, rid, dt.date(2026, 12, 2), "نُفذت التوصية وعُممت.",
                             status="done")
    row = recommendations.get(db, rid, today=TODAY)
    assert row.status == "done" and not row.overdue
    assert [(n.date, n.note, n.status) for n in row.notes] == [
        ("2026-11-25", "خوطبت المديرية بكتاب رسمي.", ""),
        ("2026-12-02", "نُفذت التوصية وعُممت.", "done")]
    assert (row.last_note, row.last_note_date) == ("نُفذت التوصية وعُممت.", "2026-12-02")
    assert store.get(db, Recommendation, rid).status == "done"


def test_a_bad_note_changes_neither_the_history_nor_the_status(db, followed):
    _, _, recs = followed
    rid = recs["late"].id
    with pytest.raises(ValidationError) as caught:
        recommendations.add_note(db, rid, "2026-12-02", "   ", status="done")
    assert caught.value.field == "note"
    with pytest.raises(ValidationError):
        recommendations.add_note(db, rid, "2026-02-30", "نص", status="done")
    assert store.get(db, Recommendation, rid).status == "raised"
    assert store.count(db, RecommendationNote) == 0


def test_not_done_is_now_called_impossible_and_keeps_its_key():
    assert vocab.RECOMMENDATION_STATUSES == {
        "raised": "مرفوعة", "in_progress": "قيد التنفيذ", "done": "منفذة",
        "rejected": "متعذرة"}


def test_version_10_upgrades_the_version_1_fixture(tmp_path):
    copy = tmp_path / "ittisal.sqlite3"
    shutil.copyfile(FIXTURE, copy)
    with Database.open(copy) as db:
        assert db.schema_version == schema.SCHEMA_VERSION
        # The fixture's recommendation had no follow-up text: no note is made up.
        assert db.scalar("SELECT count(*) FROM recommendation_notes") == 0
        row = recommendations.get(db, V1_RECOMMENDATION, today=dt.date(2025, 4, 2))
        assert row.overdue and row.status_label == "مرفوعة" and row.notes == []
        recommendations.add_note(db, V1_RECOMMENDATION, "2025-04-03", "قيد المتابعة.",
                                 status="in_progress")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_version_10_keeps_a_version_9_follow_up_as_the_first_note(db_path):
    old = Database.open(db_path, create=True, target_version=9)
    unit = old.local_unit_id
    with old.atomic():
        old.execute("INSERT INTO activities (id, unit_id, created_at, updated_at, kind, title, "
                    "start_date) VALUES ('a1', ?, 'x', 'x', 'workshop', 'ورشة', "
                    "'2026-05-01')", (unit,))
        for rid, follow_up, updated, deleted in (
                ("r1", "خوطبت الجهة المعنية وننتظر الرد.", "2026-06-10T09:00:00.000Z", None),
                ("r2", "", "2026-06-11T09:00:00.000Z", None),
                ("r3", "أنجزت.", "2026-06-12T09:00:00.000Z", "2026-07-01T00:00:00.000Z")):
            old.execute("INSERT INTO recommendations (id, unit_id, created_at, updated_at, "
                        "deleted_at, activity_id, text, due_date, status, follow_up) VALUES "
                        "(?, ?, '2026-05-01T00:00:00.000Z', ?, ?, 'a1', 'توصية', "
                        "'2026-06-01', 'in_progress', ?)", (rid, unit, updated, deleted,
                                                           follow_up))
    old.close()
    with Database.open(db_path) as db:
        assert db.schema_version == schema.SCHEMA_VERSION
        notes = db.rows("SELECT recommendation_id, unit_id, date, note, status, deleted_at "
                        "FROM recommendation_notes ORDER BY recommendation_id")
        assert notes == [
            {"recommendation_id": "r1", "unit_id": unit, "date": "2026-06-10",
             "note": "خوطبت الجهة المعنية وننتظر الرد.", "status": "", "deleted_at": None},
            {"recommendation_id": "r3", "unit_id": unit, "date": "2026-06-12",
             "note": "أنجزت.", "status": "", "deleted_at": "2026-07-01T00:00:00.000Z"}]
        # The old text is kept where it was too: the upgrade loses nothing.
        assert db.scalar("SELECT follow_up FROM recommendations WHERE id = 'r1'") == (
            "خوطبت الجهة المعنية وننتظر الرد.")
        row = recommendations.get(db, "r1", today=dt.date(2026, 7, 1))
        assert [(n.date, n.note) for n in row.notes] == [
            ("2026-06-10", "خوطبت الجهة المعنية وننتظر الرد.")]
        assert row.last_note == "خوطبت الجهة المعنية وننتظر الرد." and row.overdue
        # The note is a record like any other: it reads back through the store.
        note_id = db.scalar("SELECT id FROM recommendation_notes WHERE "
                            "recommendation_id = 'r1'")
        assert len(note_id) == 36 and note_id[14] == "4"
        assert store.get(db, RecommendationNote, note_id).note.startswith("خوطبت")


def test_purging_an_activity_takes_its_recommendations_notes_with_it(db, followed):
    from models import recycle

    workshop, _, recs = followed
    recommendations.add_note(db, recs["late"].id, "2026-12-01", "متابعة")
    store.delete(db, Activity, workshop.id)
    recycle.purge(db, "activity", workshop.id)
    assert store.count(db, RecommendationNote, include_deleted=True) == 0
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
