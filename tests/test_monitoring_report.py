"""The media monitoring report: its counts equal the data, its charts are embedded as
pictures, it says it gives no advertising-value-equivalent figure, it passes the RTL XML
checks and the Open XML audit, LibreOffice renders it, and ``export monitoring`` writes
it from the command line."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from test_cli import run
from test_coverage import ITEMS, seed
from test_exporters_rtl import comparable, needs_soffice, pdf_text, problems, to_pdf

from exporters import monitoring_report as report
from exporters import registry
from models import coverage, records, store
from models.db import Database

NOVEMBER = ("2026-11-01", "2026-11-30")


@pytest.fixture
def written(db, tmp_path):
    seed(db)
    return report.write_monitoring_report(db, *NOVEMBER, tmp_path / "monitoring.docx")


def tables(path) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in docx.Document(str(path)).tables]


def text(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_the_counts_equal_the_data(db, written):
    counts = coverage.counts(db, coverage.CoverageFilter(*NOVEMBER))
    assert counts.total == 4
    found = tables(written)
    by_medium, by_level, by_tone, items = found[-4:]
    assert by_medium == [["نوع الوسيلة", "العدد", "النسبة"], ["تلفزيون", "٢", "٥٠٪"],
                         ["صحافة", "١", "٢٥٪"], ["وكالة أنباء", "١", "٢٥٪"]]
    assert by_level[1:] == [["محلي", "٣", "٧٥٪"], ["إقليمي", "١", "٢٥٪"],
                            ["دولي", "٠", "٠٪"]]
    assert by_tone[1:] == [["إيجابي", "٢", "٥٠٪"], ["محايد", "١", "٢٥٪"],
                           ["سلبي", "١", "٢٥٪"]]
    assert items[0] == list(report.TABLE_COLUMNS)
    assert [row[5] for row in items[1:]] == [i[5] for i in ITEMS[:4]]  # December left out
    assert [row[4] for row in items[1:]] == ["إيجابي", "محايد", "سلبي", "إيجابي"]
    assert [row[3] for row in items[1:]] == ["تلفزيون\nمحلي", "وكالة أنباء\nمحلي",
                                             "صحافة\nإقليمي", "تلفزيون\nمحلي"]
    assert "مجموع المواد المرصودة: ٤" in text(written)
    assert report.REACH_NONE in text(written)  # no item of the seed gives a reach


def test_the_reach_is_in_the_table_and_its_known_total_is_said(db, tmp_path):
    items = seed(db)
    for item, reach in ((items[0], 12_500), (items[2], 800), (items[4], 99_000)):
        store.update(db, dataclasses.replace(item, reach=reach))
    path = report.write_monitoring_report(db, *NOVEMBER, tmp_path / "reach.docx")
    rows = tables(path)[-1]
    assert rows[0][-1] == "الوصول"
    assert [row[-1] for row in rows[1:]] == ["١٢٬٥٠٠", "", "٨٠٠", ""]
    # December's 99,000 is outside the period; two of the four items gave their reach.
    total = coverage.reach_total(db, coverage.CoverageFilter(*NOVEMBER))
    assert (total.total, total.known, total.items) == (13_300, 2, 4)
    assert report.REACH_TOTAL.format(reach="١٣٬٣٠٠", known="٢", items="٤") in text(path)
    body = text(path) + "".join(c for t in tables(path) for r in t for c in r)
    assert "دينار" not in body and "دولار" not in body and "قيمة إعلانية مكافئة" not in body


def test_the_count_tables_are_narrower_than_the_page_and_readable(written):
    document = docx.Document(str(written))
    section = document.sections[-1]
    page_twips = (section.page_width - section.left_margin - section.right_margin) / 635
    for table in document.tables[-4:-1]:
        width = table._tbl.tblPr.find(qn("w:tblW"))
        assert width.get(qn("w:type")) == "dxa"
        assert int(width.get(qn("w:w"))) < 0.8 * page_twips
        assert table._tbl.tblPr.find(qn("w:jc")).get(qn("w:val")) == "center"
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        # The number and share columns are wide enough to read (2.6 cm and more).
        assert min(grid[1:]) >= 2.5 * 567


def test_its_charts_are_embedded_as_pictures(written):
    with zipfile.ZipFile(written) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        body = package.read("word/document.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    # In the body: medium, level, tone and the timeline, each a PNG part of its own.
    assert body.count("<a:blip ") == 4
    assert len([n for n in media if n.endswith(".png")]) == 4
    assert rels.count("relationships/image") == 4
    captions = text(written)
    for caption in (report.BY_MEDIUM, report.BY_LEVEL, report.BY_TONE,
                    report.TIMELINE_TITLES[coverage.DAY]):
        assert caption in captions


def test_it_reports_counts_and_tone_and_no_advertising_value(written):
    body = text(written)
    assert "مبادئ برشلونة" in body and "لا يحسب لها قيمةً إعلانية مكافئة" in body
    assert "دينار" not in body and "دولار" not in body


def test_a_period_without_coverage_is_said_in_words(db, tmp_path):
    path = report.write_monitoring_report(db, *NOVEMBER, tmp_path / "empty.docx")
    assert report.NONE in text(path)
    with zipfile.ZipFile(path) as package:
        assert "<a:blip " not in package.read("word/document.xml").decode()  # no chart


def test_the_filter_narrows_the_report(db, tmp_path):
    seed(db)
    path = report.write_monitoring_report(
        db, *NOVEMBER, tmp_path / "tv.docx",
        report.MonitoringReportOptions(where=coverage.CoverageFilter(medium="tv")))
    assert "مجموع المواد المرصودة: ٢" in text(path)


def test_the_rtl_xml_checks_hold(written):
    assert problems(docx.Document(str(written))) == []


def test_openxml_audit_finds_nothing(written):
    result = subprocess.run([sys.executable, "-m", "openxml_audit", str(written)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout


def test_cancelling_leaves_no_file(db, tmp_path):
    seed(db)

    def cancel(done, total):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        report.write_monitoring_report(db, *NOVEMBER, tmp_path / "m.docx", progress=cancel)
    assert list(tmp_path.glob("m*.docx")) == []


def test_declared_once_in_the_registry_needing_a_period():
    kind = registry.get("monitoring")
    assert kind.needs == (registry.PERIOD,)
    assert kind.file_name(None, registry.MonitoringOptions(*NOVEMBER), report_style()) == \
        "الرصد الإعلامي - تشرين الثاني ٢٠٢٦.docx"


def report_style():
    from models.dates import DateStyle

    return DateStyle()


def test_export_monitoring_on_the_command_line(db_path, tmp_path):
    with Database.open(db_path, create=True) as db:
        seed(db)
        store.insert(db, records.CoverageItem(date="2026-11-15", outlet="قناة دجلة",
                                              medium="tv", tone="negative", title="خبر"))
    out = tmp_path / "رصد.docx"
    result = run("export", "monitoring", "--from", NOVEMBER[0], "--to", NOVEMBER[1],
                 "--out", str(out), "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"file": str(out)}
    by_tone = tables(out)[-2]
    assert by_tone[1:] == [["إيجابي", "٢", "٤٠٪"], ["محايد", "١", "٢٠٪"],
                           ["سلبي", "٢", "٤٠٪"]]
    missing = run("export", "monitoring", "--out", str(tmp_path / "x.docx"), db=db_path)
    assert missing.returncode == 2


@needs_soffice
def test_libreoffice_renders_the_counts_and_the_items(written, tmp_path):
    rendered = comparable(pdf_text(to_pdf(written, tmp_path)))
    for words in ("تقرير الرصد الإعلامي", "المواد بحسب الاتجاه", "انتقادات لبطء الإجراءات",
                  "وكالة الأنباء العراقية", "مبادئ برشلونة"):
        assert comparable(words) in rendered, words
