"""The media monitoring report: its counts equal the data, its charts are embedded as
pictures, it says it gives no advertising-value-equivalent figure, it passes the RTL XML
checks and the Open XML audit, LibreOffice renders it, and ``export monitoring`` writes
it from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import docx
import pytest
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
    assert [row[6] for row in items[1:]] == [i[5] for i in ITEMS[:4]]  # December left out
    assert [row[5] for row in items[1:]] == ["إيجابي", "محايد", "سلبي", "إيجابي"]
    assert "مجموع المواد المرصودة: ٤" in text(written)


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
