"""The network's two-month plan as a Word document: its table by date, its clashes and its
counts read back from the file, the RTL XML checks and the Open XML audit, the command
line, and the plans page's «مخطط الشبكة…» at a centre."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import docx
import pytest
from test_cli import run
from test_exporters_rtl import problems
from test_network_plan import BABIL, KARBALA, NAJAF, PERIOD, TODAY, seed_centre
from test_word_clean import UNIT, unit_letterhead

from exporters import network_plan_report as report
from exporters import registry, rtl
from models import bundle_merge, network_plan, records, store
from models.dates import DateStyle
from models.db import Database

OPTIONS = report.NetworkPlanReportOptions(*PERIOD, today=TODAY)


@pytest.fixture
def centre(db):
    return seed_centre(db)


@pytest.fixture
def written(db, centre, tmp_path):
    return report.write_network_plan(db, tmp_path / "network.docx", OPTIONS)


def tables(path) -> list[list[list[str]]]:
    """Each table's cells, a date's no-break spaces read as spaces."""
    return [[[cell.text.replace("\u00a0", " ") for cell in row.cells] for row in table.rows]
            for table in docx.Document(str(path)).tables]


def paragraphs(path) -> list[str]:
    return [p.text.replace("\u00a0", " ") for p in docx.Document(str(path)).paragraphs]


def test_the_title_says_the_period_and_the_day_in_the_units_wording(written):
    assert paragraphs(written)[:3] == [
        report.TITLE, "للمدة كانون الأول ٢٠٢٦ – كانون الثاني ٢٠٢٧", "كما هو في ٤ كانون الأول ٢٠٢٦"]
    assert [p for p in paragraphs(written) if p.startswith(("أولاً", "ثانياً", "ثالثاً"))] == [
        report.ITEMS_HEADING, report.CLASHES_HEADING, report.COUNTS_HEADING]


def test_the_table_lists_every_units_items_by_date_with_notes_in_words(written):
    items, _clashes, _counts = tables(written)
    assert items[0] == list(report.ITEMS_COLUMNS)
    rows = {row[3]: row for row in items[1:]}
    assert [row[0] for row in items[1:]] == ["١", "٢", "٣", "٤", "٥", "٦", "٧", "٨", "٩",
                                             "١٠", "١١"]
    assert rows["ملتقى الشباب التربوي"] == [
        "٣", "١٠ كانون الأول ٢٠٢٦", KARBALA, "ملتقى الشباب التربوي",
        "طلبة الجامعات، الشباب", "فيسبوك", "رسالة", "شعبة الإعلام", f"تعارض (١) مع {BABIL}"]
    assert rows["حملة صحة الشباب"][8] == f"تعارض (١) مع {KARBALA}"
    assert rows["ورشة موظفي البلدية"][2] == NAJAF and rows["ورشة موظفي البلدية"][8] == ""
    assert rows["ندوة المعلمين"][8] == rows["مسابقة المعلمين"][8] == ""  # one unit
    assert rows["يوم التلقيح الوطني"][8] == "بلا رسالة"
    assert rows["حملة النظافة"][8] == "بلا جهة مسؤولة"
    assert rows["مهرجان الشباب"][8] == "نُفذت"
    assert rows["لقاء مع الصحفيين"][1:3] == ["—", BABIL]
    assert rows["لقاء مع الصحفيين"][8] == "بلا تاريخ"
    assert rows["الاجتماع الدوري لشبكة الاتصال"][2] == network_plan.UNNAMED_CENTRE
    for left_out in ("مؤتمر ملغى", "فقرة محذوفة", "فقرة شباط", "فقرة مخطط محذوف"):
        assert left_out not in rows


def test_the_clashes_have_a_section_of_their_own(written):
    _items, clashes, _counts = tables(written)
    assert report.CLASH_RULE in paragraphs(written)
    assert clashes == [list(report.CLASHES_COLUMNS), [
        "١", f"{KARBALA}: ملتقى الشباب التربوي\n١٠ كانون الأول ٢٠٢٦",
        f"{BABIL}: حملة صحة الشباب\n١١ كانون الأول ٢٠٢٦", "يوم واحد",
        "الجمهور: الشباب"]]


def test_the_counts_per_directorate_and_their_total(written):
    _items, _clashes, counts = tables(written)
    assert counts[0] == list(report.COUNTS_COLUMNS)
    assert counts[1:] == [
        ["١", NAJAF, "٣", "٢", "٠", "٠", "١"],
        ["٢", KARBALA, "٣", "٣", "١", "٠", "٠"],
        ["٣", BABIL, "٤", "١", "١", "١", "٠"],
        ["٤", network_plan.UNNAMED_CENTRE, "١", "١", "٠", "٠", "٠"],
        ["", report.TOTAL, "١١", "٧", "١", "١", "١"]]


def test_no_clash_says_so(db, centre, tmp_path):
    path = report.write_network_plan(
        db, tmp_path / "december.docx",
        report.NetworkPlanReportOptions("2027-01-01", "2027-01-31", today=TODAY))
    assert len(tables(path)) == 2  # the items and the counts
    assert report.NO_CLASHES in paragraphs(path)


def test_on_a_unit_database_its_own_items_without_clashes_or_counts(db, centre, tmp_path):
    db.set_setting(bundle_merge.MODE_SETTING, "unit")
    path = report.write_network_plan(db, tmp_path / "unit.docx", OPTIONS)
    assert paragraphs(path)[0] == report.UNIT_TITLE
    (items,) = tables(path)
    assert items[0] == [c for c in report.ITEMS_COLUMNS if c != "المديرية"]
    assert [row[2] for row in items[1:]] == ["الاجتماع الدوري لشبكة الاتصال"]
    assert not {report.ITEMS_HEADING, report.CLASHES_HEADING, report.COUNTS_HEADING} \
        & set(paragraphs(path))


def test_an_empty_period_says_so_in_words(db, tmp_path):
    db.set_setting(bundle_merge.MODE_SETTING, bundle_merge.CENTRE)
    path = report.write_network_plan(db, tmp_path / "empty.docx", OPTIONS)
    assert report.NO_ITEMS in paragraphs(path) and report.NO_CLASHES in paragraphs(path)


@pytest.fixture(params=["plain", "letterhead"])
def either(request, db, centre, tmp_path):
    """The document on the project's page, and on the centre's own letterhead."""
    if request.param == "plain":
        return report.write_network_plan(db, tmp_path / "plain.docx", OPTIONS)
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, directorate="مركز المعلومات الموحد",
                                         name=UNIT))
    look = rtl.DocumentOptions.from_unit(store.get(db, records.Unit, db.local_unit_id), db,
                                         letterhead=unit_letterhead(tmp_path), landscape=True)
    return report.write_network_plan(db, tmp_path / "letterhead.docx",
                                     dataclasses.replace(OPTIONS, document=look))


def test_the_rtl_xml_checks_hold(either):
    assert problems(docx.Document(str(either))) == []


def test_openxml_audit_finds_nothing(either):
    result = subprocess.run([sys.executable, "-m", "openxml_audit", str(either)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout


def test_on_the_letterhead_the_centre_is_the_author(db, centre, tmp_path):
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, directorate="مركز المعلومات الموحد",
                                         name=UNIT))
    look = rtl.DocumentOptions.from_unit(store.get(db, records.Unit, db.local_unit_id), db,
                                         letterhead=unit_letterhead(tmp_path), landscape=True)
    path = report.write_network_plan(db, tmp_path / "letterhead.docx",
                                     dataclasses.replace(OPTIONS, document=look))
    document = docx.Document(str(path))
    header = [p.text for p in document.sections[0].header.paragraphs]
    assert "ترويسة المديرية العامة للتربية" in header
    assert document.core_properties.author == UNIT
    assert document.core_properties.title == report.TITLE
    section = document.sections[-1]
    assert section.page_width > section.page_height
    items, _clashes, counts = tables(path)
    assert "مركز المعلومات الموحد" in [row[1] for row in counts]


def test_landscape_with_page_numbers(written):
    section = docx.Document(str(written)).sections[0]
    assert section.page_width > section.page_height
    footer = "".join(p._p.xml for p in section.footer.paragraphs)
    assert "PAGE" in footer


def test_cancelling_leaves_no_file(db, centre, tmp_path):
    def cancel(done, total):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        report.write_network_plan(db, tmp_path / "n.docx", OPTIONS, progress=cancel)
    assert list(tmp_path.glob("n*.docx")) == []


def test_the_registry_declares_it_with_its_period_as_a_choice(db, centre, tmp_path):
    kind = registry.get("network-plan")
    assert kind.needs == () and [o.flag for o in kind.arguments] == ["--from", "--to"]
    options = registry.make_options("network-plan", date_from=PERIOD[0], date_to=PERIOD[1],
                                    today=TODAY.isoformat())
    assert kind.file_name(db, options, DateStyle()) == \
        "مخطط الشبكة - كانون الأول ٢٠٢٦ – كانون الثاني ٢٠٢٧.docx"
    written = kind.write(db, options, tmp_path / "r.docx", None)
    assert written.details == {"from": PERIOD[0], "to": PERIOD[1], "items": 11,
                               "clashes": 1, "without_message": 1, "without_owner": 1}


@pytest.fixture
def centre_file(db_path):
    with Database.open(db_path, create=True) as db:
        seed_centre(db)
    return db_path


def test_the_command_line_writes_the_file(centre_file, tmp_path):
    out = tmp_path / "الشبكة.docx"
    result = run("export", "network-plan", "--from", PERIOD[0], "--to", PERIOD[1],
                 "--out", str(out), "--json", db=centre_file)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["clashes"] == 1
    items, clashes, _counts = tables(out)
    assert len(items) == 12 and clashes[1][4] == "الجمهور: الشباب"


def test_the_command_line_refuses_half_a_period_and_writes_nothing(centre_file, tmp_path):
    out = tmp_path / "half.docx"
    result = run("export", "network-plan", "--from", PERIOD[0], "--out", str(out),
                 db=centre_file)
    assert result.returncode == 1
    assert "اذكر بداية المدة ونهايتها معاً" in result.stderr and "Give both" in result.stderr
    assert not out.exists()


# --- the plans page ------------------------------------------------------------------------

def test_the_plans_page_offers_it_at_a_centre_only(qtbot, ctx):
    from ui.pages.plans import PlansPage

    page = PlansPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    assert page.network_action.text() == "مخطط الشبكة…"
    assert not page.network_action.isVisible()
    ctx.db.set_setting(bundle_merge.MODE_SETTING, bundle_merge.CENTRE)
    page.refresh()
    assert page.network_action.isVisible()


def test_the_plans_page_exports_it_through_the_export_machinery(qtbot, ctx, desktop,
                                                               tmp_path):
    from ui.export import ExportResultDialog
    from ui.pages.plans import PlansPage

    seed_centre(ctx.db)
    page = PlansPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    desktop.answer = tmp_path / "الشبكة"
    page.network_action.trigger()
    qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None, timeout=20000)
    path = page.findChild(ExportResultDialog).path
    assert path == tmp_path / "الشبكة.docx"
    assert desktop.suggested[0].name == \
        "مخطط الشبكة - كانون الأول ٢٠٢٦ – كانون الثاني ٢٠٢٧.docx"
    items, clashes, _counts = tables(path)
    assert len(items) == 12 and len(clashes) == 2
