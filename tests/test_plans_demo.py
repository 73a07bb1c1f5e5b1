"""The demo data's communication plans: every item marked done is carried out by a real
activity of its plan's period, so plan against actual counts it as done; some items show
the key message and measure of success."""

from __future__ import annotations

import datetime as dt

from demo.generator import generate
from models import plans


def test_demo_done_items_link_an_activity_of_their_period_and_count_as_done(db):
    generate(db, activities=200, seed=7)
    rows = db.rows(
        "SELECT i.status, i.activity_id, a.start_date, a.deleted_at, p.period_start, "
        "p.period_end FROM plan_items i JOIN plans p ON p.id = i.plan_id "
        "LEFT JOIN activities a ON a.id = i.activity_id")
    done = [r for r in rows if r["status"] == "done"]
    assert done and len(done) < len(rows)
    for row in done:
        assert row["start_date"] is not None and row["deleted_at"] is None
        assert row["period_start"] <= row["start_date"] <= row["period_end"]
    assert all(r["activity_id"] is None for r in rows if r["status"] != "done")
    outcomes = []
    for summary in plans.list_plans(db):
        outcomes += [o.outcome for o in plans.plan_vs_actual(
            db, summary.id, today=dt.date(2030, 1, 1)).items if o.item.status == "done"]
    assert len(outcomes) == len(done)
    assert set(outcomes) <= {plans.DONE_ON_TIME, plans.DONE_LATE}
    assert plans.DONE_LATE in outcomes  # some were planned a few days before they ran


def test_some_demo_items_have_a_key_message_and_a_measure_with_its_target(db):
    generate(db, activities=200, seed=7)
    shaped = db.rows("SELECT key_message, tactic, partners, measure_kind, measure_target "
                     "FROM plan_items WHERE key_message != ''")
    total = db.scalar("SELECT count(*) FROM plan_items")
    assert 0 < len(shaped) < total
    assert all(r["measure_kind"] in ("output", "outtake", "outcome") and r["measure_target"]
               and r["tactic"] and r["partners"] for r in shaped)
