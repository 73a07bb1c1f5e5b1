"""The recommendations follow-up report and the periodic report with all its new sections
(recommendations, coverage with its charts, plan against actual) are as clean as the other
documents: the RTL XML checks of :mod:`test_exporters_rtl`, no finding from
``openxml-audit``, and the Word-clean checks of :mod:`test_word_clean` (current
compatibility mode, Arabic theme languages, our fonts, the unit as author, a title) — on
the project's page and on a unit's letterhead."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from test_exporters_rtl import problems
from test_periodic_sections import NOVEMBER, REPORT_DAY, known  # noqa: F401 - a fixture
from test_recommendations_report import seed
from test_word_clean import NS, UNIT, look, part, seeded, unit_letterhead

from exporters import periodic_report, recommendations_report

KINDS = ("recommendations", "periodic")
CASES = [(kind, letterhead) for kind in KINDS for letterhead in (False, True)]
IDS = [f"{kind}-{'letterhead' if lh else 'plain'}" for kind, lh in CASES]


@pytest.fixture
def written(db, known, tmp_path):  # noqa: F811 - the fixture imported above
    """Each report, written as the app does, on the project's page and on a letterhead,
    from a unit with its name, November's activities, coverage and plans, and
    recommendations with notes."""
    seeded(db)
    seed(db)
    letterhead = unit_letterhead(tmp_path)
    made = {}
    for kind, on_letterhead in CASES:
        document = look(db, letterhead if on_letterhead else None)
        path = tmp_path / f"{kind}-{on_letterhead}.docx"
        if kind == "recommendations":
            recommendations_report.write_recommendations_report(
                db, path, recommendations_report.RecommendationsReportOptions(
                    today=dt.date(2026, 12, 4), document=document))
        else:
            periodic_report.write_periodic_report(
                db, *NOVEMBER, path, periodic_report.PeriodicReportOptions(
                    today=REPORT_DAY, charts=True, document=document))
        made[kind, on_letterhead] = path
    return made


def audit(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openxml_audit", str(path)],
                          capture_output=True, text=True, check=False)


def test_every_case_is_rtl_clean_and_word_clean(written):
    for case, path in written.items():
        doc = docx.Document(str(path))
        assert problems(doc) == [], case
        result = audit(path)
        assert result.returncode == 0 and "no findings" in result.stdout, (
            case, result.stdout + result.stderr)
        settings = part(path, "word/settings.xml")
        assert settings.xpath("w:compat/w:compatSetting[@w:name='compatibilityMode']/@w:val",
                              namespaces=NS) == ["15"], case
        assert settings.xpath("w:themeFontLang/@w:bidi", namespaces=NS) == ["ar-IQ"], case
        fonts = part(path, "word/fontTable.xml").xpath("w:font/@w:name", namespaces=NS)
        assert {"Amiri", "Noto Sans Arabic UI"} <= set(fonts), case
        assert doc.core_properties.author == UNIT and doc.core_properties.title.strip(), case


def test_the_cases_hold_what_the_checks_are_for(written):
    """The checks above ran on documents with tables, pictures and a letterhead."""
    for (kind, on_letterhead), path in written.items():
        doc = docx.Document(str(path))
        assert doc.tables
        body = part(path, "word/document.xml")
        pictures = body.xpath("//a:blip", namespaces=NS)
        # The periodic report's charts: by kind, by month, coverage by tone and by level.
        assert len(pictures) == (4 if kind == "periodic" else 0)
        header = [p.text for p in doc.sections[0].header.paragraphs]
        assert ("ترويسة المديرية العامة للتربية" in header) == on_letterhead
