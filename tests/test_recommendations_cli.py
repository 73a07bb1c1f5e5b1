"""``list recommendations`` and ``export recommendations``, run as a user types them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import docx
import pytest
from conftest import karbala_workshop
from test_cli import run

from models import recommendations, records, store
from models.db import Database

TODAY = dt.date.today()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def recs_db(db_path):
    """Two activities (last month's workshop, a meeting a year ago), three
    recommendations: one overdue, one due later, one done long ago."""
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, dataclasses.replace(karbala_workshop(),
                                                           start_date=day(-30), end_date=None))
        meeting = store.insert(db, records.Activity(
            kind="meeting", title="الاجتماع الدوري لشبكة الاتصال", start_date=day(-365)))
        late = store.insert(db, records.Recommendation(
            activity_id=workshop.id, text="تفعيل الصفحات الرسمية للدوائر",
            addressed_to="مديرية التربية", due_date=day(-3)))
        later = store.insert(db, records.Recommendation(
            activity_id=workshop.id, text="إصدار نشرة شهرية", addressed_to="محافظة كربلاء",
            due_date=day(20), status="in_progress"))
        done = store.insert(db, records.Recommendation(
            activity_id=meeting.id, text="توحيد الهوية البصرية", due_date=day(-300)))
        recommendations.add_note(db, done.id, day(-310), "نُفذت.", status="done")
    return db_path, workshop, meeting, {"late": late, "later": later, "done": done}


def test_list_recommendations_as_json(recs_db):
    db_path, workshop, meeting, recs = recs_db
    result = run("list", "recommendations", "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows == [
        {"id": recs["done"].id, "text": "توحيد الهوية البصرية", "activity_id": meeting.id,
         "addressed_to": "", "due_date": day(-300), "status": "done", "overdue": False},
        {"id": recs["late"].id, "text": "تفعيل الصفحات الرسمية للدوائر",
         "activity_id": workshop.id, "addressed_to": "مديرية التربية",
         "due_date": day(-3), "status": "raised", "overdue": True},
        {"id": recs["later"].id, "text": "إصدار نشرة شهرية", "activity_id": workshop.id,
         "addressed_to": "محافظة كربلاء", "due_date": day(20), "status": "in_progress",
         "overdue": False}]


def test_list_recommendations_filters_by_the_activitys_date_and_status(recs_db):
    db_path, *_ = recs_db

    def texts(*args):
        result = run("list", "recommendations", "--json", *args, db=db_path)
        assert result.returncode == 0, result.stderr
        return [r["text"] for r in json.loads(result.stdout)]

    assert texts("--from", day(-60)) == ["تفعيل الصفحات الرسمية للدوائر", "إصدار نشرة شهرية"]
    assert texts("--to", day(-60)) == ["توحيد الهوية البصرية"]
    assert texts("--status", "in_progress") == ["إصدار نشرة شهرية"]
    assert texts("--overdue") == ["تفعيل الصفحات الرسمية للدوائر"]
    bad = run("list", "recommendations", "--status", "closed", db=db_path)
    assert bad.returncode == 2 and "closed" in bad.stderr


def test_list_recommendations_as_lines_marks_the_overdue_in_words(recs_db):
    db_path, *_ = recs_db
    result = run("list", "recommendations", db=db_path)
    assert result.returncode == 0, result.stderr
    late = next(line for line in result.stdout.splitlines() if "الصفحات" in line)
    assert "مرفوعة (متأخرة)" in late
    done = next(line for line in result.stdout.splitlines() if "الهوية" in line)
    assert "منفذة" in done and "متأخرة" not in done


def test_export_recommendations_writes_the_follow_up_report(recs_db, tmp_path):
    db_path, *_ = recs_db
    out = tmp_path / "متابعة.docx"
    result = run("export", "recommendations", "--status", "done", "--out", str(out),
                 "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"file": str(out)}
    rows = [[c.text for c in row.cells] for row in docx.Document(str(out)).tables[-1].rows]
    assert [row[1] for row in rows[1:]] == ["توحيد الهوية البصرية"]
    assert rows[1][6].endswith("نُفذت.")
    every = tmp_path / "all.docx"
    assert run("export", "recommendations", "--out", str(every), db=db_path).returncode == 0
    assert len(docx.Document(str(every)).tables[-1].rows) == 4
