"""The ministry centre's consolidated activities list: filtered by directorate in the data
core and on the activities page (a directorate filter and column at a centre only), and
the dashboard's month per directorate, on a real centre database made by importing two
units' real bundles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from models import bundle_merge, dashboard
from models.activities import ActivityFilter, activity_units, count_activities, list_activities
from models.db import Database
from tests.test_data_bundle import export, make_unit, receive
from ui.pages.activities import TEXT, ActivitiesPage
from ui.table_models.activities import COL_DIRECTORATE, COL_TITLE

EDUCATION = "مديرية تربية كربلاء"
HEALTH = "دائرة صحة بابل"


@pytest.fixture
def centre(tmp_path) -> Path:
    """A centre holding two units' full bundles: each unit has two activities."""
    a = make_unit(tmp_path / "a", EDUCATION, "ورشة الإعلام التربوي")
    b = make_unit(tmp_path / "b", HEALTH, "ندوة التوعية الصحية")
    path = tmp_path / "centre" / "centre.sqlite3"
    path.parent.mkdir()
    receive(path, export(a, tmp_path / "a.ittisal", full=True),
            export(b, tmp_path / "b.ittisal", full=True))
    return path


def unit_of(db: Database, directorate: str) -> str:
    return db.scalar("SELECT id FROM units WHERE directorate = ?", (directorate,))


def test_model_filters_activities_by_their_origin_unit(centre):
    with Database.open(centre) as db:
        assert bundle_merge.is_centre(db)
        choices = activity_units(db)
        assert [(c.label, c.activities) for c in choices] == [(HEALTH, 2), (EDUCATION, 2)]
        health = unit_of(db, HEALTH)
        rows = list_activities(db, ActivityFilter(unit_id=health), order_by="title")
        assert sorted(r.title for r in rows) == sorted(["مسودة لم تعتمد", "ندوة التوعية الصحية"])
        assert {r.unit_id for r in rows} == {health}
        assert count_activities(db, ActivityFilter(unit_id=health)) == 2
        assert count_activities(db, ActivityFilter()) == 4
        assert count_activities(db, ActivityFilter(unit_id=health, kind="meeting")) == 1


def open_page(qtbot, path: Path) -> tuple[ActivitiesPage, Database]:
    from ui.application import create_application
    from ui.context import AppContext

    create_application()
    db = Database.open(path)
    page = ActivitiesPage(AppContext(db))
    qtbot.addWidget(page)
    page.resize(1200, 500)
    page.show()
    page.refresh()
    return page, db


def shown(page: ActivitiesPage, column: int) -> list[str]:
    model = page.model
    return sorted(model.index(r, column).data() for r in range(model.rowCount()))


def test_page_at_a_centre_filters_by_directorate_and_shows_it(qtbot, centre):
    page, db = open_page(qtbot, centre)
    try:
        combo = page.unit_combo
        assert combo.isVisible() and page.unit_label.text() == TEXT["directorate"]
        assert [combo.itemText(i) for i in range(combo.count())] == \
            [TEXT["all_directorates"], HEALTH, EDUCATION]
        assert page.model.columnCount() == COL_DIRECTORATE + 1
        assert page.model.headerData(COL_DIRECTORATE, Qt.Orientation.Horizontal) == "المديرية"
        assert shown(page, COL_DIRECTORATE) == sorted([HEALTH, HEALTH, EDUCATION, EDUCATION])
        combo.setCurrentIndex(combo.findText(EDUCATION))
        assert shown(page, COL_TITLE) == sorted(["ورشة الإعلام التربوي", "مسودة لم تعتمد"])
        assert shown(page, COL_DIRECTORATE) == [EDUCATION, EDUCATION]
        assert "٢" in page.count_label.text() or "2" in page.count_label.text()
        page.grab().save(str(centre.parent / "centre-page.png"))
        # The filter stays through a reload, and goes with «كل المديريات».
        page.refresh()
        assert combo.currentText() == EDUCATION and len(shown(page, COL_TITLE)) == 2
        page.apply_filters({})
        assert combo.currentIndex() == 0 and len(shown(page, COL_TITLE)) == 4
        page.apply_filters({"unit_id": unit_of(db, HEALTH)})
        assert shown(page, COL_DIRECTORATE) == [HEALTH, HEALTH]
        # «تصدير إلى Excel» writes the list as shown: the directorate column too.
        sheet = page.model.excel_reader()(db)
        assert sheet.columns[-1].header == "المديرية"
        assert [row[-1] for row in sheet.rows] == [HEALTH, HEALTH]
    finally:
        db.close()


def test_page_at_a_unit_has_no_directorate_filter_or_column(qtbot, tmp_path):
    path = make_unit(tmp_path / "a", EDUCATION, "ورشة الإعلام التربوي")
    page, db = open_page(qtbot, path)
    try:
        assert not page.unit_combo.isVisible() and not page.unit_label.isVisible()
        assert page.model.columnCount() == COL_DIRECTORATE
        assert len(shown(page, COL_TITLE)) == 2
    finally:
        db.close()


NOVEMBER_DAY = dt.date(2026, 11, 25)


def test_dashboard_at_a_centre_counts_the_month_per_directorate(qtbot, centre, tmp_path):
    from ui.application import create_application
    from ui.context import AppContext
    from ui.pages.dashboard import DashboardPage

    with Database.open(centre) as db:
        figures = dashboard.summary(db, NOVEMBER_DAY).by_directorate
        # Each unit has two November activities (one a draft: the dashboard counts it).
        assert [(f.label, f.count) for f in figures] == [(HEALTH, 2), (EDUCATION, 2)]
        assert dashboard.summary(db, dt.date(2026, 9, 1)).by_directorate[0].count == 0
        education = unit_of(db, EDUCATION)
    create_application()
    db = Database.open(centre)
    ctx = AppContext(db)
    try:
        page = DashboardPage(ctx)
        page.today = lambda: NOVEMBER_DAY
        qtbot.addWidget(page)
        page.resize(1100, 760)
        page.show()
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            page.activated()
        assert page.directorates.isVisible()
        texts = [b.text() for b in page.directorate_buttons.values()]
        assert texts == [f"{HEALTH}: ٢", f"{EDUCATION}: ٢"]
        qtbot.wait(50)  # the new buttons laid out before the picture
        page.grab().save(str(tmp_path / "dashboard.png"))
        with qtbot.waitSignal(ctx.navigate_requested) as asked:
            page.directorate_buttons[education].click()
        assert asked.args == ["activities", {"unit_id": education, "date_from": "2026-11-01",
                                             "date_to": "2026-11-30"}]
    finally:
        db.close()


def test_dashboard_at_a_unit_has_no_directorates(qtbot, tmp_path):
    path = make_unit(tmp_path / "a", EDUCATION, "ورشة الإعلام التربوي")
    with Database.open(path) as db:
        assert dashboard.summary(db, NOVEMBER_DAY).by_directorate == []
