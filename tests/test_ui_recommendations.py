"""The recommendations page and the follow-up dialog, with real widgets on a real file."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import karbala_workshop
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from models import recommendations, records, store
from ui.forms.recommendation_followup import FollowUpDialog
from ui.pages.recommendations import (
    COL_DUE,
    COL_LAST,
    COL_STATUS,
    COL_TEXT,
    RecommendationsPage,
)
from ui.widgets import theme

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def seeded(ctx):
    db = ctx.db
    workshop = store.insert(db, karbala_workshop())
    meeting = store.insert(db, records.Activity(
        kind="meeting", title="الاجتماع الدوري لشبكة الاتصال", start_date="2026-10-05"))
    ids = {}
    for key, activity, text, to, due, status in (
            ("late", workshop, "تفعيل الصفحات الرسمية للدوائر", "مديرية التربية",
             "2026-12-01", "raised"),
            ("later", workshop, "إصدار نشرة شهرية", "محافظة كربلاء", "2027-01-15",
             "in_progress"),
            ("done", meeting, "توحيد الهوية البصرية", "مديرية التربية", "2026-10-20",
             "raised")):
        ids[key] = store.insert(db, records.Recommendation(
            activity_id=activity.id, text=text, addressed_to=to, due_date=due,
            status=status)).id
    recommendations.add_note(db, ids["done"], "2026-10-18", "نُفذت وعُممت.", status="done")
    return workshop, meeting, ids


@pytest.fixture
def page(qtbot, ctx, seeded):
    widget = RecommendationsPage(ctx, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1280, 700)
    widget.show()
    return widget


def shown(page, column=COL_TEXT) -> list[str]:
    model = page.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_the_page_lists_every_recommendation_and_marks_the_overdue(page):
    assert page.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert shown(page) == ["توحيد الهوية البصرية", "تفعيل الصفحات الرسمية للدوائر",
                           "إصدار نشرة شهرية"]
    assert shown(page, COL_STATUS) == ["منفذة", "مرفوعة — متأخرة", "قيد التنفيذ"]
    assert shown(page, COL_LAST) == ["نُفذت وعُممت.", "", ""]
    model = page.model
    late = model.index(1, COL_STATUS)
    assert model.data(late, Qt.ItemDataRole.ForegroundRole).color() == QColor(theme.ERROR)
    assert model.data(model.index(1, COL_DUE), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(2, COL_STATUS), Qt.ItemDataRole.ForegroundRole) is None
    assert page.count_label.text() == "عدد التوصيات: ٣، المتأخرة منها: ١"


def test_the_filters_narrow_the_list(page, qtbot):
    page.overdue.setChecked(True)
    assert shown(page) == ["تفعيل الصفحات الرسمية للدوائر"]
    page.overdue.setChecked(False)
    page.status.setCurrentIndex(page.status.findData("in_progress"))
    assert shown(page) == ["إصدار نشرة شهرية"]
    page.status.setCurrentIndex(0)
    page.addressed_to.setText("التربية")  # (keyClicks cannot type Arabic)
    page.filter_now()  # as Enter does, without the pause after the last key
    assert shown(page) == ["توحيد الهوية البصرية", "تفعيل الصفحات الرسمية للدوائر"]
    page.addressed_to.clear()
    page.filter_now()
    page.date_from.setValue("2026-11-01")
    assert shown(page) == ["تفعيل الصفحات الرسمية للدوائر", "إصدار نشرة شهرية"]
    page.clear_filters()
    assert len(shown(page)) == 3
    # As the dashboard's card asks for it.
    page.apply_filters({"overdue": True})
    assert page.overdue.isChecked() and shown(page) == ["تفعيل الصفحات الرسمية للدوائر"]


def test_typing_an_addressee_reloads_the_list_once(page, qtbot):
    from test_ui_activities_page import type_text

    resets = []
    page.model.modelReset.connect(lambda: resets.append(page.addressed_to.text()))
    page.addressed_to.setFocus()
    type_text(page.addressed_to, "تربية")  # five keys, ة folded to ه by the filter
    assert page.addressed_to.text() == "تربية"
    qtbot.waitUntil(lambda: bool(resets))
    assert resets == ["تربية"]  # one reading, with the whole word
    assert not page.addressed_timer.isActive()
    assert shown(page) == ["توحيد الهوية البصرية", "تفعيل الصفحات الرسمية للدوائر"]
    assert page.count_label.text() == "عدد التوصيات: ٢، المتأخرة منها: ١"


def test_enter_filters_at_once(page):
    from test_ui_activities_page import type_text

    type_text(page.addressed_to, "محافظة")
    assert len(shown(page)) == 3  # not yet: the pause after the last key has not passed
    QTest.keyClick(page.addressed_to, Qt.Key.Key_Return)
    assert shown(page) == ["إصدار نشرة شهرية"]


def test_the_history_of_the_selected_recommendation(page):
    assert page.history_label.text() == "حدّد توصية لترى سجل متابعتها."
    page.select(page.model.rows[0].id)
    assert page.history.rowCount() == 1
    assert page.history.item(0, 2).text() == "نُفذت وعُممت."
    assert page.history.item(0, 1).text() == "منفذة"
    page.select(page.model.rows[1].id)
    assert page.history.rowCount() == 0
    assert page.history_label.text() == "لا توجد ملاحظات متابعة لهذه التوصية بعد."


def test_a_follow_up_note_from_the_dialog_changes_the_status_and_the_list(page, seeded,
                                                                          qtbot):
    _, _, ids = seeded
    page.select(ids["late"])
    answered = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FollowUpDialog)
        assert dialog.row.text == "تفعيل الصفحات الرسمية للدوائر"
        assert dialog.status_label.text() == "الحالة: مرفوعة — متأخرة عن موعدها"
        dialog.date.setValue("2026-12-03")
        dialog.status.setCurrentIndex(dialog.status.findData("done"))
        dialog.note.insertPlainText("فُعّلت الصفحات وأُبلغت المديرية.")
        answered.append(dialog.save())

    QTimer.singleShot(0, fill)
    assert page.follow_up_selected() is True
    assert answered == [True]
    assert store.get(page.ctx.db, records.Recommendation, ids["late"]).status == "done"
    assert shown(page, COL_STATUS)[1] == "منفذة"
    assert page.count_label.text() == "عدد التوصيات: ٣"
    assert page.current_id() == ids["late"]
    assert page.history.item(0, 2).text() == "فُعّلت الصفحات وأُبلغت المديرية."
    assert page.history.item(0, 1).text() == "منفذة"


def test_an_empty_note_is_refused_in_the_dialog_and_nothing_is_written(ctx, seeded, qtbot):
    _, _, ids = seeded
    dialog = FollowUpDialog(ctx, ids["late"], today=TODAY)
    qtbot.addWidget(dialog)
    dialog.status.setCurrentIndex(dialog.status.findData("done"))
    assert dialog.save() is False
    assert "مطلوب" in dialog.errors["note"].text() and not dialog.errors["note"].isHidden()
    assert store.get(ctx.db, records.Recommendation, ids["late"]).status == "raised"
    assert store.count(ctx.db, records.RecommendationNote) == 1  # the seed's only


def test_the_page_is_in_the_navigation_bar(qtbot, ctx, seeded):
    from ui import main_window

    assert "recommendations" in main_window.page_keys()
    assert main_window.page_class("recommendations") is RecommendationsPage
    assert main_window.TEXT["recommendations"] == RecommendationsPage.title == "التوصيات"


def test_the_dashboard_counts_the_overdue_and_opens_them(qtbot, ctx, seeded):
    from PySide6.QtCore import QSettings

    from models import dashboard
    from ui.main_window import MainWindow
    from ui.pages.dashboard import DashboardPage

    assert dashboard.summary(ctx.db, TODAY).overdue_recommendations == 1
    assert dashboard.summary(ctx.db, dt.date(2026, 10, 1)).overdue_recommendations == 0
    page = DashboardPage(ctx)
    page.today = lambda: TODAY
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activated()
    card = page.cards["overdue_recommendations"]
    assert (card.number.text(), card.caption.text()) == ("١", "توصيات متأخرة عن موعدها")
    with qtbot.waitSignal(ctx.navigate_requested) as asked:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert asked.args == ["recommendations", {"overdue": True}]
    # The window shows the recommendations page narrowed to the overdue.
    window = MainWindow(ctx, settings=QSettings(str(ctx.db.path.with_suffix(".ini")),
                                                QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    ctx.navigate("recommendations", overdue=True)
    shown_page = window.current_page()
    assert isinstance(shown_page, RecommendationsPage) and shown_page.overdue.isChecked()
    # (the window's page measures "overdue" on the real today: every one after 2026-12-01)
    rows = shown_page.model.rows
    assert "تفعيل الصفحات الرسمية للدوائر" in [r.text for r in rows]
    assert all(r.overdue for r in rows)


def test_excel_exports_the_filtered_list_with_dates_as_dates(page, seeded, qtbot, desktop,
                                                             tmp_path):
    from openpyxl import load_workbook

    from ui.export import ExportResultDialog

    _, _, ids = seeded
    recommendations.add_note(page.ctx.db, ids["late"], "2026-11-28", "=خوطبت المديرية")
    page.addressed_to.setText("مديريه التربيه")  # spelt without ة: the filter folds it
    qtbot.waitUntil(lambda: len(shown(page)) == 2)  # a moment after the last key
    assert shown(page) == ["توحيد الهوية البصرية", "تفعيل الصفحات الرسمية للدوائر"]
    action = page.excel_action
    assert action.text() == "تصدير إلى Excel…" and action.isEnabled()
    desktop.answer = tmp_path / "التوصيات"
    action.trigger()
    qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None, timeout=20000)
    path = page.findChild(ExportResultDialog).path
    assert path == tmp_path / "التوصيات.xlsx"
    sheet = load_workbook(path).active
    assert sheet.sheet_view.rightToLeft and sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["التوصية", "مصدرها", "تاريخ النشاط", "الجهة المرفوعة إليها",
                       "تاريخ الاستحقاق", "الحالة", "متأخرة", "آخر متابعة",
                       "تاريخ آخر متابعة"]
    assert rows[1:] == [
        ["توحيد الهوية البصرية", "الاجتماع الدوري لشبكة الاتصال", dt.datetime(2026, 10, 5),
         "مديرية التربية", dt.datetime(2026, 10, 20), "منفذة", None, "نُفذت وعُممت.",
         dt.datetime(2026, 10, 18)],
        ["تفعيل الصفحات الرسمية للدوائر", seeded[0].title,
         dt.datetime(2026, 11, 22), "مديرية التربية", dt.datetime(2026, 12, 1), "مرفوعة",
         "نعم", "=خوطبت المديرية", dt.datetime(2026, 11, 28)]]
    assert sheet["H3"].data_type == "s"  # a note that starts like a formula stays text
    # An empty list has nothing to export.
    # (exporting at once, before the pause: what was typed is what counts)
    page.addressed_to.setText("وزارة لا توجد")
    assert page.export_excel() is None and not page.excel_action.isEnabled()
