"""The dashboard's plan items due in the next two weeks and this month's coverage by tone:
the figures are the database's, the page shows them, and each opens the list behind it."""

from __future__ import annotations

import datetime as dt

import pytest

from models import dashboard, store
from models.records import Activity, CoverageItem, Plan, PlanItem
from ui.pages.dashboard import TEXT, DashboardPage

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def data(db):
    """A plan with items around TODAY (due in two weeks: two planned, one postponed; one
    due on the day after the fortnight, one done, one cancelled, one past; an item of a
    plan in the recycle bin) and coverage this month (two positive, one negative; one last
    month, one in the recycle bin)."""
    plan = store.insert(db, Plan(title="مخطط تشرين الثاني وكانون الأول",
                                 period_start="2026-11-01", period_end="2026-12-31"))
    for title, date, status, owner in (
            ("ندوة اليوم", "2026-11-20", "planned", "شعبة الإعلام"),
            ("حملة التسجيل", "2026-12-03", "planned", ""),
            ("مؤتمر مؤجل", "2026-11-25", "postponed", "قسم العلاقات"),
            ("بعد الأسبوعين", "2026-12-04", "planned", ""),
            ("ورشة منفذة", "2026-11-22", "done", ""),
            ("لقاء ملغى", "2026-11-23", "cancelled", ""),
            ("فاتت", "2026-11-19", "planned", "")):
        store.insert(db, PlanItem(plan_id=plan.id, title=title, date=date, status=status,
                                  owner=owner))
    gone = store.insert(db, Plan(title="مخطط محذوف", period_start="2026-11-01",
                                 period_end="2026-11-30"))
    store.insert(db, PlanItem(plan_id=gone.id, title="من مخطط محذوف", date="2026-11-21"))
    store.delete(db, Plan, gone.id)
    for date, tone in (("2026-11-02", "positive"), ("2026-11-18", "positive"),
                       ("2026-11-19", "negative"), ("2026-10-30", "neutral")):
        store.insert(db, CoverageItem(date=date, tone=tone, title=f"مادة {date}"))
    deleted = store.insert(db, CoverageItem(date="2026-11-10", tone="neutral",
                                            title="مادة محذوفة"))
    store.delete(db, CoverageItem, deleted.id)
    store.insert(db, Activity(kind="workshop", title="ورشة", start_date="2026-11-03",
                              status="approved"))
    return plan


@pytest.fixture
def page(qtbot, ctx, data):
    widget = DashboardPage(ctx)
    widget.today = lambda: TODAY
    qtbot.addWidget(widget)
    widget.resize(1100, 820)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.activated()
    return widget


def test_the_summary_holds_the_items_due_in_two_weeks_and_the_months_tones(db, data):
    summary = dashboard.summary(db, TODAY)
    assert [i.title for i in summary.plan_due] == ["ندوة اليوم", "مؤتمر مؤجل",
                                                   "حملة التسجيل"]
    assert summary.plan_due_total == 3
    assert summary.plan_due_until == "2026-12-03"
    assert summary.plan_due[1].status_label == "مؤجل"
    assert summary.coverage_by_tone == {"positive": 2, "neutral": 0, "negative": 1}


def test_a_long_list_of_due_items_is_cut_and_counts_the_rest(db, data, monkeypatch):
    monkeypatch.setattr(dashboard, "PLAN_DUE_LIMIT", 2)
    summary = dashboard.summary(db, TODAY)
    assert len(summary.plan_due) == 2 and summary.plan_due_total == 3


def test_the_page_shows_them_and_each_opens_its_list(page, data, ctx, qtbot):
    texts = [b.text() for b in page.plan_due_buttons]
    assert texts == ["٢٠ تشرين الثاني ٢٠٢٦ — ندوة اليوم (شعبة الإعلام)",
                     "٢٥ تشرين الثاني ٢٠٢٦ — مؤتمر مؤجل (قسم العلاقات)",
                     "٣ كانون الأول ٢٠٢٦ — حملة التسجيل"]
    assert page.no_plan_due.isHidden() and page.plan_due_more.isHidden()
    assert {t: b.text() for t, b in page.tone_buttons.items()} == {
        "positive": "إيجابي: ٢", "neutral": "محايد: ٠", "negative": "سلبي: ١"}
    assert page.no_coverage.isHidden()
    with qtbot.waitSignal(ctx.navigate_requested) as asked:
        page.plan_due_buttons[0].click()
    assert asked.args == ["plans", {"plan_id": data.id}]
    with qtbot.waitSignal(ctx.navigate_requested) as asked:
        page.tone_buttons["negative"].click()
    assert asked.args == ["coverage", {"tone": "negative", "date_from": "2026-11-01",
                                       "date_to": "2026-11-30"}]


def test_the_page_says_so_when_nothing_is_due_and_nothing_was_covered(qtbot, ctx, db):
    widget = DashboardPage(ctx)
    widget.today = lambda: TODAY
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.activated()
    assert widget.plan_due_buttons == []
    assert widget.no_plan_due.isVisible()
    assert widget.no_plan_due.text() == TEXT["no_plan_due"]
    assert widget.no_coverage.isVisible()


def test_more_items_than_shown_are_counted_on_the_page(qtbot, ctx, data, monkeypatch):
    monkeypatch.setattr(dashboard, "PLAN_DUE_LIMIT", 2)
    widget = DashboardPage(ctx)
    widget.today = lambda: TODAY
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.activated()
    assert len(widget.plan_due_buttons) == 2
    assert widget.plan_due_more.isVisible()
    assert widget.plan_due_more.text() == "و١ غيرها حتى ٣ كانون الأول ٢٠٢٦"
