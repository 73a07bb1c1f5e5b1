"""Demo data carry their approval (issue 13): approved and sent activities and plans name
the demo unit's head and when, sent ones when and at which version, so they open locked
like records approved in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo import generator as demo
from models import approval, store
from models.db import Database
from models.records import Unit
from ui.forms import form_base
from ui.forms.plan_item_form import PlanItemDialog

N = 200

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def discard_when_closed(monkeypatch):
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")


@pytest.fixture
def demo_db(tmp_path: Path):
    db = Database.open(tmp_path / "demo.sqlite3", create=True)
    demo.generate(db, activities=N, seed=1)
    yield db
    db.close()


def check_approvals(db: Database, table: str, kind: str) -> dict[str, int]:
    head = store.get(db, Unit, db.local_unit_id).head_name
    assert head
    seen: dict[str, int] = {}
    for record_id, status, updated_at in db.execute(
            f"SELECT id, status, updated_at FROM {table}").fetchall():
        state = approval.state(db, kind, record_id)
        seen[status] = seen.get(status, 0) + 1
        if status == "draft":
            assert (state.approved_by, state.approved_at, state.sent_at) == ("", None, None)
            continue
        assert state.approved_by == head and state.approved_at == updated_at
        assert state.asks_before_edit and not state.changed_since_sent
        if status == "sent":
            assert state.sent_at is not None and state.sent_at >= state.approved_at
        else:
            assert state.sent_at is None
    return seen


def test_approved_and_sent_demo_records_name_the_head_and_when(demo_db):
    activities = check_approvals(demo_db, "activities", "activity")
    plans = check_approvals(demo_db, "plans", "plan")
    assert activities["approved"] and activities["sent"] and activities["draft"]
    assert plans["approved"] and plans["sent"]


def test_a_second_seed_into_a_database_in_use_carries_them_too(demo_db):
    demo.generate(demo_db, activities=50, seed=2)
    assert check_approvals(demo_db, "activities", "activity")["sent"]
    assert check_approvals(demo_db, "plans", "plan")["sent"]


def test_demo_approved_records_open_locked(qtbot, qapp, demo_db):
    from ui.application import create_application
    from ui.context import AppContext

    create_application()
    ctx = AppContext(demo_db)
    activity_id = demo_db.scalar("SELECT id FROM activities WHERE status = 'approved' "
                                 "ORDER BY id LIMIT 1")
    from test_ui_activity_form import open_form

    dialog = open_form(qtbot, ctx, activity_id)
    assert dialog.locked and dialog.banner.isVisible()
    assert dialog.banner_text.text().startswith("هذا النشاط معتمد: اعتمده ")
    assert not dialog.title.isEnabled() and not dialog.attendees.isEnabled()

    plan_id, item_id = demo_db.execute(
        "SELECT p.id, i.id FROM plans p JOIN plan_items i ON i.plan_id = p.id "
        "WHERE p.status = 'sent' ORDER BY p.period_start LIMIT 1").fetchone()
    item = PlanItemDialog(ctx, plan_id, item_id)
    qtbot.addWidget(item)
    assert item.locked and not item.save_button.isEnabled()
    assert item.banner_text.text().startswith("هذا البند من مخطط مرسل (اعتمده ")
