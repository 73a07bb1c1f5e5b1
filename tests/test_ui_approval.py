"""Approval in the app (issue 13): the form's lock, «تعديل» and «اعتماد», the list's
approval column, filters and action, the dashboard's counts and the approver setting."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGroupBox
from test_ui_activities_page import answer_box
from test_ui_activity_form import open_form, retype

from models import approval, store
from models.records import Activity, Unit
from ui.forms import form_base
from ui.pages.activities import ActivitiesPage
from ui.pages.dashboard import DashboardPage
from ui.table_models.activities import COL_STATUS, COL_TITLE

HEAD = "أحمد عبيد هادي الأسدي"

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def discard_when_closed(monkeypatch):
    """Closing a changed form at the end of a test discards (instead of a blocking question)."""
    monkeypatch.setattr(form_base, "ask_unsaved", lambda parent: "discard")


def set_head(db, name: str = HEAD) -> None:
    unit = store.get(db, Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, head_name=name))


def new(db, title: str, start: str = "2026-11-10") -> Activity:
    return store.insert(db, Activity(title=title, start_date=start, place="قاعة المحافظة"))


def shoot(widget, name: str, tmp_path) -> None:
    """Grab the window offscreen, as a person would see it (in $ITTISAL_SHOTS when set, to
    look at after the run)."""
    folder = Path(os.environ.get("ITTISAL_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()  # the layouts follow what just changed
    assert widget.grab().save(str(folder / f"approval_{name}.png"))


@pytest.fixture
def sent(db):
    """An activity approved by the head and sent on 1 December."""
    set_head(db)
    activity = new(db, "ورشة الاتصال الحكومي")
    approval.approve(db, "activity", [activity.id])
    approval.mark_sent(db, "activity", [activity.id], "2026-12-01T10:00:00.000Z")
    return activity


def test_an_approved_activity_opens_read_only_with_who_and_when(qtbot, ctx, db, tmp_path):
    set_head(db)
    activity = new(db, "ندوة عن الشائعات")
    approval.approve(db, "activity", [activity.id])
    dialog = open_form(qtbot, ctx, activity.id)
    shoot(dialog, "approved_form", tmp_path)
    assert dialog.locked and dialog.banner.isVisible()
    assert dialog.banner_text.text().startswith(f"هذا النشاط معتمد: اعتمده {HEAD} في ")
    assert dialog.status.text() == "معتمد"
    assert not dialog.save_button.isEnabled() and not dialog.title.isEnabled()
    assert not dialog.approve_button.isEnabled() and dialog.unlock_button.isVisible()
    # Every tab can still be read.
    assert all(dialog.tabs.isTabEnabled(t) for t in range(dialog.tabs.count()))

    seen: list[str] = []
    answer_box("لا", seen)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert seen[0] == ("هذا النشاط معتمد. تعديله يُنشئ نسخة جديدة يجب اعتمادها وإرسالها "
                       "من جديد. متابعة؟")
    assert dialog.locked and not dialog.title.isEnabled()

    answer_box("نعم، عدّل", seen)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert not dialog.locked and dialog.title.isEnabled()
    retype(dialog.place, "قاعة جديدة")
    dialog.save_and_close()
    stored = store.get(db, Activity, activity.id)
    assert (stored.place, stored.status) == ("قاعة جديدة", "draft")


def test_editing_a_sent_activity_marks_it_changed_since_sent(qtbot, ctx, db, sent, tmp_path):
    dialog = open_form(qtbot, ctx, sent.id)
    assert dialog.locked and "أُرسل في" in dialog.banner_text.text()
    assert dialog.status.text() == "مرسل"
    seen: list[str] = []
    answer_box("نعم، عدّل", seen)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert seen[0].startswith("هذا النشاط مرسل.")
    retype(dialog.place, "قاعة جديدة")
    assert dialog.save()
    shoot(dialog, "revised_form", tmp_path)
    assert dialog.status.text() == "عُدّل بعد الإرسال" and not dialog.locked
    assert dialog.banner.isVisible() and not dialog.unlock_button.isVisible()
    assert "عُدّل بعد الإرسال" in dialog.banner_text.text()
    state = approval.state(db, "activity", sent.id)
    assert state.changed_since_sent and state.sent_at == "2026-12-01T10:00:00.000Z"
    dialog.close()

    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    page.refresh()
    shoot(page, "list_changed", tmp_path)
    row = page.model.row_of(sent.id)
    assert page.model.index(row, COL_STATUS).data() == "عُدّل بعد الإرسال"
    page.apply_filters({"approval": "pending"})
    assert page.status_combo.currentText() == "بانتظار الاعتماد"
    assert page.model.row_of(sent.id) >= 0


def test_approve_in_the_form_saves_then_locks(qtbot, ctx, db):
    set_head(db)
    dialog = open_form(qtbot, ctx)
    retype(dialog.title, "حملة توعوية عن المياه")
    assert dialog.approve_button.isEnabled()
    seen: list[str] = []
    answer_box("نعم، اعتمد", seen)
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert seen[0] == f"اعتماد النشاط «حملة توعوية عن المياه» باسم {HEAD}؟"
    [stored] = store.find(db, Activity)
    assert stored.status == "approved"
    assert approval.state(db, "activity", stored.id).approved_by == HEAD
    assert dialog.locked and dialog.status.text() == "معتمد"


def test_approving_without_an_approver_is_refused_in_the_form(qtbot, ctx, db):
    activity = new(db, "ندوة بلا معتمِد")
    dialog = open_form(qtbot, ctx, activity.id)
    seen: list[str] = []
    answer_box(None, seen)
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert "لم يُحدَّد من يعتمد السجلات" in seen[0]
    assert store.get(db, Activity, activity.id).status == "draft" and not dialog.locked


def test_the_list_approves_several_at_once_and_filters(qtbot, ctx, db, tmp_path):
    set_head(db)
    first, second, third = (new(db, t, d) for t, d in (
        ("ورشة أولى", "2026-11-01"), ("ورشة ثانية", "2026-11-02"), ("ورشة ثالثة", "2026-11-03")))
    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    page.refresh()
    page._select([first.id, second.id])
    assert page.approve_action.isEnabled()
    seen: list[str] = []
    answer_box("نعم، اعتمد", seen)
    page.approve_action.trigger()
    assert seen[0] == f"اعتماد ٢ من الأنشطة المحددة باسم {HEAD}؟"
    assert [store.get(db, Activity, a.id).status for a in (first, second, third)] == [
        "approved", "approved", "draft"]
    page.refresh()
    shoot(page, "list_approved", tmp_path)
    statuses = {page.model.index(r, COL_TITLE).data(): page.model.index(r, COL_STATUS).data()
                for r in range(page.model.rowCount())}
    assert statuses == {"ورشة أولى": "معتمد", "ورشة ثانية": "معتمد", "ورشة ثالثة": "مسودة"}
    tip = page.model.index(page.model.row_of(first.id), COL_STATUS).data(
        Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"اعتمده {HEAD} في ")

    page.status_combo.setCurrentIndex(page.status_combo.findText("لم يُرسل بعد"))
    assert {page.model.row_at(r).id for r in range(page.model.rowCount())} == {
        first.id, second.id}
    page.status_combo.setCurrentIndex(page.status_combo.findText("بانتظار الاعتماد"))
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [third.id]


def test_the_dashboard_counts_are_clickable(qtbot, ctx, db, sent, tmp_path):
    waiting = [new(db, f"مسودة {n}") for n in range(3)]
    unsent = new(db, "معتمد لم يُرسل")
    approval.approve(db, "activity", [unsent.id])
    assert waiting
    page = DashboardPage(ctx)
    page.today = lambda: dt.date(2026, 11, 20)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activated()
    shoot(page, "dashboard", tmp_path)
    assert page.cards["drafts"].number.text() == "٣"
    assert page.cards["approved_unsent"].number.text() == "١"
    for card, expected in (("drafts", {"approval": "pending"}),
                           ("approved_unsent", {"approval": "unsent"})):
        with qtbot.waitSignal(ctx.navigate_requested) as asked:
            qtbot.mouseClick(page.cards[card], Qt.MouseButton.LeftButton)
        assert tuple(asked.args) == ("activities", expected)


def test_the_approver_is_chosen_in_settings(qtbot, settings_page, ctx, db, tmp_path):
    set_head(db)
    ctx.unit_saved(store.get(db, Unit, db.local_unit_id))
    page = settings_page
    page.load()
    assert page.approver.text() == ""
    assert page.approver.placeholderText() == f"مدير الوحدة: {HEAD}"
    page.approver.setFocus()
    retype(page.approver, "علي حسن الموسوي")
    assert page.save_button.isEnabled()
    assert page.save()
    assert approval.approver(db) == "علي حسن الموسوي"
    group = page.findChild(QGroupBox, "approvalSettings")
    page.approver.setText("")  # the head's name shows as the placeholder
    shoot(group, "settings", tmp_path)
