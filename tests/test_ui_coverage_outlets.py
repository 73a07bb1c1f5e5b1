"""The monitoring page's remaining pieces as a user meets them: a new outlet announced in
the form and added to the directory on save, the reach in the form (a bad one refused in
Arabic) and in the list, the newest items first in a table that fits 1280 pixels, the
report defaulting to the page's period and filters, the directory of outlets (add, edit,
delete after asking), and a sheet with Arabic headers imported through the attendees'
mapping dialog with a column mapped by hand."""

from __future__ import annotations

import datetime as dt

import docx
import openpyxl
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog
from test_ui_coverage import TODAY, add, seeded, titles  # noqa: F401 - fixtures

from models import coverage, outlets, records, store
from models.records import Outlet
from ui.forms import outlets_dialog
from ui.forms.coverage_form import CoverageDialog
from ui.forms.outlets_dialog import OutletForm, OutletsDialog
from ui.pages.coverage import COL_REACH, COL_TITLE, CoveragePage
from ui.widgets import open_dialogs


@pytest.fixture
def page(qtbot, ctx):
    widget = CoveragePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280 - 200, 660)  # the window at 1280 less the navigation bar
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def form(qtbot, ctx) -> CoverageDialog:
    dialog = CoverageDialog(ctx, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_new_outlet_is_announced_and_added_to_the_directory_on_save(qtbot, ctx):
    outlets.save(ctx.db, Outlet(name="قناة العراقية", medium="tv"))
    dialog = form(qtbot, ctx)
    dialog.outlet.setEditText("قناة دجلة")
    dialog.outlet.lineEdit().textEdited.emit("قناة دجلة")
    assert dialog.is_new_outlet()
    dialog.medium.setCurrentIndex(dialog.medium.findData("tv"))
    dialog.level.setCurrentIndex(dialog.level.findData("regional"))
    hint = dialog.outlet_hint.text()
    assert "ستُضاف إلى دليل الوسائل" in hint and "«تلفزيون»" in hint and "«إقليمي»" in hint
    dialog.title_edit.setText("تقرير عن الورشة")
    dialog.link.setText("https://www.dijlah.tv/news/5")
    assert dialog.save_and_next()
    added = outlets.find_by_name(ctx.db, "قناة دجلة")
    assert (added.medium, added.level, added.domain) == ("tv", "regional", "dijlah.tv")
    # Now known: the hint says so, not "new".
    dialog.outlet.lineEdit().textEdited.emit("قناة دجلة")
    assert not dialog.is_new_outlet() and "ستُضاف" not in dialog.outlet_hint.text()
    dialog.outlet.setEditText("قناة العراقية")
    dialog.outlet.lineEdit().textEdited.emit("قناة العراقية")
    assert "ستُضاف" not in dialog.outlet_hint.text()


def test_the_reach_is_optional_a_whole_number_and_refused_in_arabic_otherwise(qtbot, ctx):
    dialog = form(qtbot, ctx)
    dialog.outlet.setEditText("جريدة الصباح")
    dialog.title_edit.setText("خبر")
    dialog.reach.setText("ألف")
    assert not dialog.save()
    assert "عدداً صحيحاً" in dialog.errors.message("reach")
    assert coverage.list_items(ctx.db) == []
    dialog.reach.setText("١٢٬٥٠٠")
    assert dialog.save_and_next()
    assert dialog.reach.text() == ""  # cleared for the next item
    assert [i.reach for i in coverage.list_items(ctx.db)] == [12_500]
    dialog.title_edit.setText("خبر آخر")
    assert dialog.save()  # no reach: none stored
    assert [i.reach for i in coverage.list_items(ctx.db)] == [12_500, None]


def test_the_list_is_newest_first_shows_the_reach_and_fits_without_scrolling(
        qtbot, ctx, seeded, page):  # noqa: F811 - the fixture
    store.update(ctx.db, records.CoverageItem(**{
        **seeded["b"].__dict__, "reach": 4200}))
    add(ctx.db, date="2026-11-24", title="عنوان طويل جداً " * 12)
    ctx.changed("coverage_items")
    assert titles(page)[1:] == ["لقاء مع منسق الاتصال", "انتقاد تأخر التوصيات",
                                "الورشة في الصحافة", "افتتاح الورشة في جامعة كربلاء"]
    row = titles(page).index("الورشة في الصحافة")
    assert page.model.index(row, COL_REACH).data() in ("4200", "٤٢٠٠")
    qtbot.wait(10)
    assert page.table.horizontalScrollBar().maximum() == 0
    header = page.table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count())) <= \
        page.table.viewport().width()
    assert header.sectionSize(COL_TITLE) > 150  # the titles keep a readable width


def test_the_report_starts_from_the_pages_period_and_filters(
        qtbot, ctx, seeded, page, desktop, tmp_path, monkeypatch):  # noqa: F811
    from ui.export import ExportResultDialog, PeriodDialog
    from ui.forms import form_base

    seen = {}

    def accept(dialog: PeriodDialog) -> bool:
        seen["period"] = dialog.period()
        seen["choice"] = dialog.choice.currentData()
        return True

    monkeypatch.setattr(form_base, "run_modal", accept)
    page.date_from.setValue("2026-11-01")
    page.date_to.setValue("2026-11-15")
    page.medium.setCurrentIndex(page.medium.findData("tv"))
    desktop.answer = tmp_path / "رصد.docx"
    page.report_action.trigger()
    qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None, timeout=20000)
    assert seen == {"period": ("2026-11-01", "2026-11-15"), "choice": "custom"}
    document = docx.Document(desktop.answer)
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "افتتاح الورشة في جامعة كربلاء" in text  # 2 November, television
    assert "الورشة في الصحافة" not in text  # in the period, but the press


def test_one_date_on_the_page_is_completed_for_the_report(qtbot, ctx, page):
    page.date_to.setValue("2026-11-15")
    assert page.report_defaults() == ("2026-11-01", "2026-11-15")
    page.clear_filters()
    assert page.report_defaults() is None


def test_the_directory_adds_edits_and_deletes_after_asking(qtbot, ctx, monkeypatch):
    from ui.forms import form_base

    store.insert(ctx.db, records.CoverageItem(date="2026-11-02", outlet="جريدة الصباح",
                                              medium="press", title="خبر"))
    outlets.save(ctx.db, Outlet(name="جريدة الصباح", medium="press", domain="alsabaah.iq"))
    dialog = OutletsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 1
    assert dialog.model.text(0, outlets_dialog.COL_DOMAIN) == "alsabaah.iq"
    assert dialog.model.text(0, outlets_dialog.COL_ITEMS) in ("1", "١")

    def fill(form: OutletForm) -> int:
        if form.outlet is None:
            form.name.setText("جريدة الصباح")  # taken: refused under the field
            assert not form.save()
            assert "موجودة في الدليل" in form.errors.message("name")
            form.name.setText("السومرية نيوز")
            form.medium.setCurrentIndex(form.medium.findData("website"))
            form.level.setCurrentIndex(form.level.findData("regional"))
            form.domain.setText("https://www.alsumaria.tv/news/1")
        else:
            form.level.setCurrentIndex(form.level.findData("international"))
        return int(form.save())

    monkeypatch.setattr(form_base, "run_modal", fill)
    added = dialog.add_outlet()
    assert (added.name, added.medium, added.level, added.domain) == (
        "السومرية نيوز", "website", "regional", "alsumaria.tv")
    assert dialog.current_id() == added.id
    assert dialog.edit_selected().level == "international"
    asked = []

    def answer(_parent, _title, text, _yes, _no):
        asked.append(text)
        return len(asked) > 1

    monkeypatch.setattr(outlets_dialog, "confirm", answer)
    assert not dialog.delete_selected()
    assert len(outlets.list_outlets(ctx.db)) == 2
    assert dialog.delete_selected()
    assert "السومرية نيوز" in asked[0]
    assert [o.name for o in outlets.list_outlets(ctx.db)] == ["جريدة الصباح"]
    dialog.search.setText("sabaah")
    assert dialog.model.rowCount() == 1
    dialog.search.setText("الفرات")
    assert dialog.model.rowCount() == 0


def test_the_page_opens_the_directory(qtbot, ctx, page, monkeypatch):
    from ui.forms import form_base

    opened = []
    monkeypatch.setattr(form_base, "run_modal", lambda d: opened.append(d) or 0)
    page.outlets_action.trigger()
    assert isinstance(opened[0], OutletsDialog)


def test_an_import_with_arabic_headers_through_the_mapping_dialog(
        qtbot, ctx, page, tmp_path, monkeypatch):
    path = tmp_path / "رصد.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["كشف الرصد الإعلامي"])
    sheet.append(["ت", "تاريخ النشر", "اسم الوسيلة", "نوع الوسيلة", "المستوى",
                  "اتجاه المادة", "عنوان الخبر", "عدد المشاهدات", "المحافظة"])
    sheet.append([1, dt.date(2026, 11, 22), "قناة العراقية", "قناة فضائية", "محلي",
                  "ايجابي", "افتتاح الورشة", 15000, "كربلاء"])
    sheet.append([2, "2026-11-23", "جريدة الصباح", "جريدة", "محلي", "محايد",
                  "الورشة في الصحافة", "٢٬٥٠٠", "بغداد"])
    sheet.append([3, "2026-11-24", "إذاعة كربلاء", "إذاعة", "محلي", "سلبي",
                  "انتقاد", "كثيرة", "كربلاء"])
    book.save(path)
    ini = tmp_path / "dialogs.ini"
    monkeypatch.setattr(open_dialogs, "_settings",
                        lambda: QSettings(str(ini), QSettings.Format.IniFormat))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *_args, **_kw: (str(path), ""))
    page.import_action.trigger()
    dialog = page.import_dialog
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    assert dialog.header_spin.value() == 2
    assert [c.currentData() for c in dialog.combos] == [
        None, "date", "outlet", "medium", "level", "tone", "title", "reach", None]
    assert dialog.plan.added == 2 and dialog.plan.problem_rows == 1  # "كثيرة" is no number
    # The province column is mapped by hand to the topic, as a user would in the combo.
    combo = dialog.combos[8]
    combo.setCurrentIndex(combo.findData("topic"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: dialog.plan.mapping.field_of(8) == "topic", timeout=10_000)
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    stored = coverage.list_items(ctx.db)
    assert [(i.outlet, i.medium, i.tone, i.reach, i.topic) for i in stored] == [
        ("قناة العراقية", "tv", "positive", 15_000, "كربلاء"),
        ("جريدة الصباح", "press", "neutral", 2_500, "بغداد")]
    # The new outlets joined the directory in the import's transaction.
    assert {o.name for o in outlets.list_outlets(ctx.db)} == {"قناة العراقية", "جريدة الصباح"}
    assert "الوصول" in page.import_note.toolTip() and "كثيرة" in page.import_note.toolTip()
