"""``list plans`` and ``export plan`` / ``export plan-vs-actual``, run as a user types them."""

from __future__ import annotations

import json

import docx
import pytest
from test_cli import run
from test_plans import seed

from models import plans
from models.db import Database


@pytest.fixture
def plans_db(db_path):
    """The seeded November–December plan, and an empty September–October one."""
    with Database.open(db_path, create=True) as db:
        ids = seed(db)
        ids["older"] = plans.new_plan(db, period=("2026-09-01", "2026-10-31"),
                                      title="مخطط أيلول وتشرين الأول").id
    return db_path, ids


def test_list_plans_as_json(plans_db):
    db_path, ids = plans_db
    result = run("list", "plans", "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows == [
        {"id": ids["plan"], "title": "مخطط الاتصال ١ تشرين الثاني – ٣١ كانون الأول ٢٠٢٦",
         "period_start": "2026-11-01", "period_end": "2026-12-31",
         "items": {"planned": 1, "done": 3, "postponed": 1, "cancelled": 1}},
        {"id": ids["older"], "title": "مخطط أيلول وتشرين الأول",
         "period_start": "2026-09-01", "period_end": "2026-10-31",
         "items": {"planned": 0, "done": 0, "postponed": 0, "cancelled": 0}}]


def test_list_plans_filters_by_period(plans_db):
    db_path, ids = plans_db
    later = run("list", "plans", "--from", "2026-11-15", "--json", db=db_path)
    assert [r["id"] for r in json.loads(later.stdout)] == [ids["plan"]]
    earlier = run("list", "plans", "--to", "2026-10-31", "--json", db=db_path)
    assert [r["id"] for r in json.loads(earlier.stdout)] == [ids["older"]]
    none = run("list", "plans", "--from", "2027-03-01", db=db_path)
    assert none.returncode == 0 and "لا توجد نتائج." in none.stdout
    reversed_ = run("list", "plans", "--from", "2026-12-01", "--to", "2026-11-01", db=db_path)
    assert reversed_.returncode == 1
    assert "بعد نهايتها" in reversed_.stderr + reversed_.stdout


def test_list_plans_as_lines(plans_db):
    db_path, ids = plans_db
    result = run("list", "plans", db=db_path)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(ids["plan"][:8])
    assert "مخطط 1، منفذ 3، مؤجل 1، ملغى 1" in first


def test_export_plan_and_plan_against_actual(plans_db, tmp_path):
    db_path, ids = plans_db
    out = tmp_path / "plan.docx"
    result = run("export", "plan", "--plan", ids["plan"][:8], "--out", str(out), db=db_path)
    assert result.returncode == 0, result.stderr
    table = docx.Document(str(out)).tables[0]
    assert len(table.rows) == 7 and table.rows[4].cells[1].text == "ورشة الإعلام الرقمي"
    vs = tmp_path / "vs.docx"
    result = run("export", "plan-vs-actual", "--plan", ids["plan"], "--out", str(vs),
                 "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["file"] == str(vs)
    # Counted on the real today: the seeded dates are all before it or in December 2026.
    counts = answer["counts"]
    assert (counts["on_time"], counts["late"], counts["cancelled"], counts["unplanned"]) == (
        1, 1, 1, 1)
    assert counts["not_done"] + counts["to_come"] == 3
    assert "المخطط والمنفذ" in "\n".join(p.text for p in docx.Document(str(vs)).paragraphs)


def test_export_needs_a_plan_that_exists(plans_db, tmp_path):
    db_path, _ids = plans_db
    missing = run("export", "plan", "--out", str(tmp_path / "p.docx"), db=db_path)
    assert missing.returncode == 2 and "--plan" in missing.stderr
    unknown = run("export", "plan-vs-actual", "--plan", "zzzz", "--out",
                  str(tmp_path / "p.docx"), db=db_path)
    assert unknown.returncode == 1 and "zzzz" in unknown.stderr + unknown.stdout
    assert not (tmp_path / "p.docx").exists()
