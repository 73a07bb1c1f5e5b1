"""The dashboard page: its numbers are the database's, and each opens the list behind it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from models import attendance, dashboard, records, store
from models.dates import DateStyle
from ui.pages.dashboard import DashboardPage, RecentModel, UpcomingModel

TODAY = dt.date(2026, 11, 20)
MONTH = {"date_from": "2026-11-01", "date_to": "2026-11-30"}


def activity(db, title: str, start: str, *, kind: str = "workshop",
             status: str = "approved") -> records.Activity:
    return store.insert(db, records.Activity(kind=kind, title=title, start_date=start,
                                             status=status))


@pytest.fixture
def data(db):
    """Known figures: 4 activities this month (2 workshops, a meeting, a seminar still to
    come), two drafts, two persons on three attendance rows, two activities to come."""
    w1 = activity(db, "ورشة الاتصال الحكومي", "2026-11-03")
    w2 = activity(db, "ورشة الإعلام الرقمي", "2026-11-12", status="draft")
    m1 = activity(db, "الاجتماع الدوري", "2026-11-05", kind="meeting")
    activity(db, "دورة الإعلام الأمني", "2026-12-02", kind="course", status="draft")
    activity(db, "ندوة انسيابية المعلومات", "2026-11-25", kind="seminar")
    zainab = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي"))
    ali = store.insert(db, records.Person(full_name="علي كاظم جواد الموسوي"))
    for a, p in ((w1, zainab), (w1, ali), (m1, zainab)):
        attendance.add(db, a.id, p.id)
    return {"w1": w1, "w2": w2, "m1": m1}


@pytest.fixture
def page(qtbot, ctx):
    widget = DashboardPage(ctx)
    widget.today = lambda: TODAY
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.activated()
    return widget


def number(page, card: str) -> str:
    return page.cards[card].number.text()


def test_the_numbers_are_what_the_database_holds(data, page, db):
    expected = dashboard.summary(db, TODAY)
    assert (expected.month_total, expected.month_persons, expected.month_attendance,
            expected.drafts) == (4, 2, 3, 2)
    assert [number(page, c) for c in ("month_total", "persons", "attendance", "drafts")] == [
        "٤", "٢", "٣", "٢"]
    assert page.heading.text() == "لوحة المتابعة — تشرين الثاني ٢٠٢٦"
    assert {k: b.text() for k, b in page.kind_buttons.items()} == {
        "workshop": "ورشة عمل: ٢", "meeting": "اجتماع دوري: ١", "seminar": "ندوة: ١"}
    assert page.upcoming_model.rowCount() == 2
    first = page.upcoming_model.index(0, UpcomingModel.COL_TITLE)
    assert first.data() == "ندوة انسيابية المعلومات"
    assert page.upcoming_model.index(0, UpcomingModel.COL_DATE).data() == "٢٥ تشرين الثاني ٢٠٢٦"


def test_the_page_is_right_to_left(page):
    assert page.isRightToLeft()
    cards = [page.cards[c] for c in ("month_total", "persons", "attendance", "drafts")]
    xs = [c.mapTo(page, c.rect().center()).x() for c in cards]
    assert xs == sorted(xs, reverse=True)  # the first card is the rightmost


def test_clicking_a_card_opens_its_list(qtbot, data, page, ctx):
    for card, expected in (("month_total", ("activities", MONTH)),
                           ("drafts", ("activities", {"approval": "pending"})),
                           ("persons", ("persons", MONTH)),
                           ("attendance", ("persons", MONTH))):
        with qtbot.waitSignal(ctx.navigate_requested) as asked:
            qtbot.mouseClick(page.cards[card], Qt.MouseButton.LeftButton)
        assert tuple(asked.args) == expected, card


def test_clicking_a_kind_opens_that_kind_this_month(qtbot, data, page, ctx):
    with qtbot.waitSignal(ctx.navigate_requested) as asked:
        qtbot.mouseClick(page.kind_buttons["meeting"], Qt.MouseButton.LeftButton)
    assert asked.args == ["activities", {"kind": "meeting", **MONTH}]


def test_clicking_an_upcoming_activity_opens_its_day(qtbot, data, page, ctx):
    view = page.upcoming_view
    rect = view.visualRect(page.upcoming_model.index(1, UpcomingModel.COL_TITLE))
    with qtbot.waitSignal(ctx.navigate_requested) as asked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked.args == ["activities", {"date_from": "2026-12-02", "date_to": "2026-12-02"}]
    with qtbot.waitSignal(ctx.navigate_requested) as asked:
        qtbot.mouseClick(page.findChild(QPushButton, "allUpcoming"),
                         Qt.MouseButton.LeftButton)
    assert asked.args == ["activities", {"date_from": "2026-11-21"}]


def test_clicking_a_recent_change_opens_the_list_behind_it(qtbot, data, page, ctx, db):
    rows = [page.recent_model.row_at(r) for r in range(page.recent_model.rowCount())]
    person_row = next(i for i, r in enumerate(rows) if r.type == "person")
    activity_row = next(i for i, r in enumerate(rows) if r.type == "activity")
    view = page.recent_view
    for row, expected in (
            (person_row, ["persons", {"search": rows[person_row].title}]),
            (activity_row, ["activities", {"date_from": rows[activity_row].activity_date,
                                           "date_to": rows[activity_row].activity_date}])):
        rect = view.visualRect(page.recent_model.index(row, RecentModel.COL_TITLE))
        with qtbot.waitSignal(ctx.navigate_requested) as asked:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert asked.args == expected


def test_a_change_while_visible_refreshes_the_numbers(qtbot, data, page, ctx, db):
    assert number(page, "drafts") == "٢"
    store.update(db, dataclasses.replace(data["w2"], status="approved"))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        ctx.changed("activities")
    assert number(page, "drafts") == "١"
    assert page.recent_model.index(0, RecentModel.COL_TITLE).data() == "ورشة الإعلام الرقمي"


def test_a_hidden_dashboard_waits_until_it_is_shown(qtbot, data, page, ctx, db):
    page.hide()
    store.delete(db, records.Activity, data["m1"].id)
    with qtbot.assertNotEmitted(page.loaded, wait=200):
        ctx.changed("activities")
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activated()
    assert number(page, "month_total") == "٣"
    assert "meeting" not in page.kind_buttons


def test_the_unit_digit_style_applies(qtbot, data, page, ctx):
    ctx.save_unit(dataclasses.replace(ctx.unit, digits="western", months="egyptian"))
    assert number(page, "month_total") == "4"
    assert page.heading.text() == "لوحة المتابعة — نوفمبر 2026"


def test_an_empty_month_says_so(qtbot, page):
    assert page.no_month.isVisible() and page.no_upcoming.isVisible()
    assert number(page, "month_total") == "٠"
    assert page.kind_buttons == {}


def test_the_list_models_pass_the_model_tester(qtmodeltester, db, data):
    summary = dashboard.summary(db, TODAY)
    upcoming, recent = UpcomingModel(), RecentModel()
    upcoming.set_rows(summary.upcoming, DateStyle())
    recent.set_rows(summary.recent, DateStyle(digits="western"))
    qtmodeltester.check(upcoming)
    qtmodeltester.check(recent)
    assert recent.rowCount() == len(summary.recent) > 0
    assert recent.index(0, RecentModel.COL_TYPE).data() == summary.recent[0].type_label
    assert upcoming.headerData(UpcomingModel.COL_PLACE, Qt.Orientation.Horizontal) == "المكان"
