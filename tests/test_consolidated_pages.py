"""A ministry centre's recommendations, media monitoring and plans pages, filtered by
directorate: the data core's unit filters, a «المديرية:» combo and a directorate column
(a line in the plan list) at a centre only, and ``list … --unit`` giving the page's rows;
on a real centre database made by importing two units' real bundles."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from models import coverage, plans, recommendations, records, store
from models.db import Database
from models.unit_mode import unit_choices
from tests.test_cli import run
from tests.test_consolidated_views import EDUCATION, HEALTH, unit_of
from tests.test_data_bundle import export, make_unit, receive
from ui.widgets.unit_filter import TEXT as UNIT_TEXT

TODAY = dt.date(2026, 12, 1)


def with_recommendation(path: Path, text: str) -> Path:
    """``make_unit``'s unit with a recommendation raised at its approved activity."""
    with Database.open(path) as db:
        activity = db.scalar("SELECT id FROM activities WHERE status = 'approved'")
        store.insert(db, records.Recommendation(activity_id=activity, text=text,
                                                addressed_to="وزارة الصحة",
                                                due_date="2026-12-20"))
    return path


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> tuple[Path, Path]:
    """A centre holding two units' full bundles (each: a recommendation, a coverage item
    and a plan), and the first unit's own database."""
    tmp = tmp_path_factory.mktemp("consolidated")
    a = with_recommendation(make_unit(tmp / "a", EDUCATION, "ورشة الإعلام التربوي"),
                            "توصية التربية")
    b = with_recommendation(make_unit(tmp / "b", HEALTH, "ندوة التوعية الصحية"),
                            "توصية الصحة")
    centre = tmp / "centre" / "centre.sqlite3"
    centre.parent.mkdir()
    receive(centre, export(a, tmp / "a.ittisal", full=True),
            export(b, tmp / "b.ittisal", full=True))
    return centre, a


# --- the data core ------------------------------------------------------------------------

def test_models_filter_each_list_by_its_origin_unit(places):
    centre, _ = places
    with Database.open(centre) as db:
        health, education = unit_of(db, HEALTH), unit_of(db, EDUCATION)
        for table in ("recommendations", "coverage_items", "plans", "activities"):
            assert [c.label for c in unit_choices(db, table)] == [HEALTH, EDUCATION], table
        recs = recommendations.list_recommendations(
            db, recommendations.RecommendationFilter(unit_id=health), today=TODAY)
        assert [(r.text, r.unit_id) for r in recs] == [("توصية الصحة", health)]
        assert len(recommendations.list_recommendations(db, today=TODAY)) == 2
        both = recommendations.RecommendationFilter(unit_id=(health, education))
        assert len(recommendations.list_recommendations(db, both, today=TODAY)) == 2
        items = coverage.list_items(db, coverage.CoverageFilter(unit_id=education))
        assert [(i.title, i.unit_id) for i in items] == [("تغطية ورشة الإعلام التربوي",
                                                          education)]
        assert coverage.counts(db, coverage.CoverageFilter(unit_id=education)).total == 1
        # The monitoring report's timeline counts what its tables count.
        points = coverage.timeline(db, "2026-11-01", "2026-11-30",
                                   where=coverage.CoverageFilter(unit_id=education))
        assert sum(p.count for p in points) == 1
        assert len(coverage.list_items(db)) == 2
        assert [p.unit_id for p in plans.list_plans(db, unit_id=health)] == [health]
        assert len(plans.list_plans(db)) == 2


# --- the pages ------------------------------------------------------------------------------

def open_page(qtbot, path: Path, key: str):
    from ui.application import create_application
    from ui.context import AppContext
    from ui.pages.coverage import CoveragePage
    from ui.pages.plans import PlansPage
    from ui.pages.recommendations import RecommendationsPage

    create_application()
    db = Database.open(path)
    ctx = AppContext(db)
    page = {"recommendations": lambda: RecommendationsPage(ctx, today=TODAY),
            "coverage": lambda: CoveragePage(ctx),
            "plans": lambda: PlansPage(ctx, today=TODAY)}[key]()
    qtbot.addWidget(page)
    page.resize(1280, 600)
    page.show()
    page.refresh()
    return page, db


def page_rows(page, key: str) -> list[tuple[str, str]]:
    """(id, directorate shown) of each row the page lists ('' when none is shown)."""
    if key == "plans":
        out = []
        for row, summary in enumerate(page.summaries):
            lines = page.plan_list.item(row).text().split("\n")
            out.append((summary.id, lines[0] if len(lines) == 4 else ""))
        return out
    model = page.model
    last = model.columnCount() - 1
    has_column = model.headerData(last, Qt.Orientation.Horizontal) == UNIT_TEXT["column"]
    return [(row.id, model.index(n, last).data() if has_column else "")
            for n, row in enumerate(model.rows)]


PAGES = ("recommendations", "coverage", "plans")


@pytest.mark.parametrize("key", PAGES)
def test_page_at_a_centre_filters_by_directorate_and_shows_it(qtbot, places, key):
    centre, _ = places
    page, db = open_page(qtbot, centre, key)
    try:
        combo = page.unit_filter.combo
        assert combo.isVisible() and page.unit_filter.label.text() == UNIT_TEXT["directorate"]
        assert [combo.itemText(i) for i in range(combo.count())] == [
            UNIT_TEXT["all_directorates"], HEALTH, EDUCATION]
        assert sorted(d for _, d in page_rows(page, key)) == sorted([HEALTH, EDUCATION])
        combo.setCurrentIndex(combo.findText(HEALTH))
        shown = page_rows(page, key)
        assert len(shown) == 1 and shown[0][1] == HEALTH
        table = {"coverage": "coverage_items"}.get(key, key)
        assert db.scalar(f"SELECT unit_id FROM {table} WHERE id = ?",
                         (shown[0][0],)) == unit_of(db, HEALTH)
        combo.setCurrentIndex(0)
        assert len(page_rows(page, key)) == 2
    finally:
        db.close()


@pytest.mark.parametrize("key", PAGES)
def test_page_at_a_unit_has_no_directorate_filter_nor_column(qtbot, places, key):
    _, unit = places
    page, db = open_page(qtbot, unit, key)
    try:
        assert not page.unit_filter.isVisible()
        assert [d for _, d in page_rows(page, key)] == [""]
    finally:
        db.close()


def test_excel_lists_carry_the_directorate_column(places):
    from ui.pages import coverage as coverage_page
    from ui.pages import recommendations as recommendations_page

    centre, _ = places
    with Database.open(centre) as db:
        labels = {c.id: c.label for c in unit_choices(db, "recommendations")}
        table = recommendations_page.excel_table(
            recommendations.list_recommendations(db, today=TODAY), labels)
        assert table.columns[-1].header == UNIT_TEXT["column"]
        assert sorted(row[-1] for row in table.rows) == sorted([HEALTH, EDUCATION])
        table = coverage_page.excel_table(coverage.list_items(db), labels)
        assert table.columns[-1].header == UNIT_TEXT["column"]
        assert sorted(row[-1] for row in table.rows) == sorted([HEALTH, EDUCATION])
        # At a unit (no labels) the workbook is as before.
        assert coverage_page.excel_table(coverage.list_items(db)).columns[-1].header \
            != UNIT_TEXT["column"]


@pytest.mark.parametrize("key", PAGES)
def test_cli_list_by_unit_gives_the_pages_rows(qtbot, places, key):
    centre, _ = places
    listed = run("list", key, "--unit", "بابل", "--json", db=centre)
    assert listed.returncode == 0, listed.stderr
    ids = sorted(row["id"] for row in json.loads(listed.stdout))
    page, db = open_page(qtbot, centre, key)
    try:
        page.unit_filter.combo.setCurrentIndex(page.unit_filter.combo.findText(HEALTH))
        assert ids == sorted(i for i, _ in page_rows(page, key))
        assert len(ids) == 1
    finally:
        db.close()


# --- the reports of a page narrowed to one directorate ---------------------------------------

def document_text(path: Path) -> str:
    import docx

    document = docx.Document(path)
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_monitoring_report_of_a_page_narrowed_to_a_directorate_is_that_directorates(
        qtbot, places, desktop, tmp_path, monkeypatch):
    from tests.test_ui_coverage import choose_period
    from ui.export import ExportResultDialog
    from ui.forms import form_base

    monkeypatch.setattr(form_base, "run_modal", choose_period("2026-11-01", "2026-11-30"))
    centre, _ = places
    page, db = open_page(qtbot, centre, "coverage")
    try:
        page.unit_filter.combo.setCurrentIndex(page.unit_filter.combo.findText(EDUCATION))
        desktop.answer = tmp_path / "رصد التربية.docx"
        page.report_action.trigger()
        qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None,
                        timeout=20000)
    finally:
        db.close()
    text = document_text(desktop.answer)
    assert f"المديرية: {EDUCATION}" in text
    assert "تغطية ورشة الإعلام التربوي" in text
    assert "تغطية ندوة التوعية الصحية" not in text
    assert "مجموع المواد المرصودة: ١" in text


@pytest.mark.parametrize("kind, arguments, ours, theirs", [
    ("monitoring", ("--from", "2026-11-01", "--to", "2026-11-30"),
     "تغطية ندوة التوعية الصحية", "تغطية ورشة الإعلام التربوي"),
    ("recommendations", (), "توصية الصحة", "توصية التربية"),
])
def test_cli_report_of_one_unit_names_its_directorate_and_holds_only_its_records(
        places, tmp_path, kind, arguments, ours, theirs):
    centre, unit = places
    whole = tmp_path / "whole.docx"
    done = run("export", kind, *arguments, "--out", str(whole), db=centre)
    assert done.returncode == 0, done.stderr
    assert ours in document_text(whole) and theirs in document_text(whole)
    assert "المديرية:" not in document_text(whole)
    one = tmp_path / "one.docx"
    done = run("export", kind, *arguments, "--unit", "بابل", "--out", str(one), db=centre)
    assert done.returncode == 0, done.stderr
    text = document_text(one)
    assert f"المديرية: {HEALTH}" in text and ours in text and theirs not in text
    # A letter carrying it lists it by its subject, which names the directorate too.
    import docx

    assert docx.Document(one).core_properties.subject.endswith(f"({HEALTH})")
    assert "(" not in docx.Document(whole).core_properties.subject
    # The name offered for the file says whose report it is.
    from exporters import registry
    from models.dates import DateStyle

    period = dict(zip(("date_from", "date_to"), arguments[1::2], strict=True)) if arguments else {}
    with Database.open(centre) as db:
        named = registry.get(kind).file_name(
            db, registry.make_options(kind, unit="بابل", **period), DateStyle())
        whole_name = registry.get(kind).file_name(db, registry.make_options(kind, **period),
                                                  DateStyle())
    assert named.endswith(f" - {HEALTH}.docx") and HEALTH not in whole_name
    # A unit's own report is about the unit: no directorate line.
    own = tmp_path / "own.docx"
    assert run("export", kind, *arguments, "--out", str(own), db=unit).returncode == 0
    assert "المديرية:" not in document_text(own)
