"""The periodic report (تقرير دوري): its content against the database, the RTL checks,
its charts, progress and cancelling, and one LibreOffice rendering."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from test_exporters_rtl import (
    comparable,
    needs_soffice,
    pdf_text,
    pdf_words,
    problems,
    to_pdf,
)
from test_periodic import HEAD, UNIT_NAME, build_known_data

from exporters import charts
from exporters import periodic_report as report
from models import periodic, vocab
from models.arabic import has_presentation_forms
from models.db import Database

ROOT = Path(__file__).resolve().parent.parent
NOV_DEC = ("2026-11-01", "2026-12-31")
FONT = ROOT / "resources" / "fonts" / "Amiri-Regular.ttf"


def png_info(path: Path) -> tuple[int, int, float | None]:
    """Width, height and dots per inch (from pHYs) of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    dpi = None
    at = data.find(b"pHYs")
    if at > 0:
        ppm_x, _ppm_y, unit = struct.unpack(">IIB", data[at + 4:at + 13])
        if unit == 1:
            dpi = ppm_x * 0.0254
    return width, height, dpi


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.fixture
def written(db, tmp_path):
    build_known_data(db)
    path = report.write_periodic_report(db, *NOV_DEC, tmp_path / "التقرير الدوري.docx")
    return docx.Document(path), periodic.gather(db, *NOV_DEC)


def test_report_passes_the_rtl_checks(written):
    doc, _ = written
    assert problems(doc) == []


def test_title_names_the_unit_and_the_period(written):
    doc, _ = written
    assert doc.paragraphs[0].text == (
        f"التقرير الدوري لنشاطات {UNIT_NAME} — تشرين الثاني – كانون الأول ٢٠٢٦")
    assert doc.paragraphs[0].style.name == "Title"
    assert "للمدة من ١ تشرين الثاني ٢٠٢٦ إلى ٣١ كانون الأول ٢٠٢٦" in doc.paragraphs[1].text


def test_summary_table_equals_the_database_totals(written):
    doc, data = written
    summary = {row.cells[1].text: row.cells[2].text for row in doc.tables[0].rows[1:]}
    totals = data.totals
    assert summary[report.ALL_ACTIVITIES] == "٣"
    assert summary[vocab.ACTIVITY_KINDS["workshop"]] == "٢"
    assert summary[vocab.ACTIVITY_KINDS["meeting"]] == "١"
    assert summary[report.ATTENDANCE_ROWS] == "٥" == str(totals.attendance).translate(
        str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert summary[report.PERSONS] == "٤"
    assert summary[report.PARTICIPANTS] == "٤٥"
    assert summary[report.CERTIFICATES] == "٢"
    assert [c.text for c in doc.tables[0].rows[0].cells] == list(report.SUMMARY_COLUMNS)


def test_activity_table_lists_every_activity_in_order(written):
    doc, data = written
    table = doc.tables[1]
    assert [c.text for c in table.rows[0].cells] == list(report.TABLE_COLUMNS)
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[1] for r in rows] == [a.title for a in data.activities]
    assert [r[0] for r in rows] == ["١", "٢", "٣"]
    assert rows[0][2] == "٥–٦ تشرين الثاني ٢٠٢٦"
    assert rows[0][3] == "قاعة المديرية"
    assert [r[4] for r in rows] == ["٣", "٢", "٤٠"]
    assert report.TYPED_COUNT in rows[2][5] and vocab.ACTIVITY_KINDS["meeting"] in rows[2][5]
    tbl = table._tbl
    assert tbl.find(f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None
    assert tbl.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_a_section_per_activity_and_the_signature(written):
    doc, data = written
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"{n}. {a.title}" for n, a in zip("١٢٣", data.activities,
                                                             strict=True)]
    text = all_text(doc)
    for a in data.activities:
        assert a.summary in text
    assert "المكان: قاعة المديرية" in text and "الجهة المنظمة: جامعة كربلاء" in text
    signature = doc.tables[-1]
    assert signature.rows[0].cells[1].text == "\n".join(HEAD)
    assert signature.rows[0].cells[0].text == ""
    footer = doc.sections[0].footer._element
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]


def test_report_carries_two_charts_passed_raw_arabic(db, tmp_path, monkeypatch):
    build_known_data(db)
    calls = []
    real = charts.bar_chart

    def spy(labels, values, title, path, **kw):
        calls.append((list(labels), list(values), title, kw))
        return real(labels, values, title, path, **kw)

    monkeypatch.setattr(charts, "bar_chart", spy)
    out = tmp_path / "out"
    out.mkdir()
    path = report.write_periodic_report(db, *NOV_DEC, out / "r.docx")
    doc = docx.Document(path)
    assert len(doc.inline_shapes) == 2
    assert [c[2] for c in calls] == [report.CHART_BY_KIND, report.CHART_BY_MONTH]
    assert calls[0][:2] == (["ورشة عمل", "اجتماع دوري"], [2, 1])
    assert calls[1][:2] == (["تشرين الثاني", "كانون الأول"], [2, 1])
    for labels, _values, title, kw in calls:
        assert not any(has_presentation_forms(s) for s in [*labels, title])
        assert Path(kw["font_path"]).name == "Amiri-Regular.ttf"
        assert kw["digits"] == "arabic"
    usable = doc.sections[0].page_width - doc.sections[0].left_margin \
        - doc.sections[0].right_margin
    assert all(shape.width <= usable for shape in doc.inline_shapes)
    assert list(out.iterdir()) == [path]  # chart images stay in a scratch folder


def test_charts_off_and_no_sections_per_activity(db, tmp_path):
    build_known_data(db)
    options = report.PeriodicReportOptions(charts=False, sections_per_activity=False)
    doc = docx.Document(report.write_periodic_report(db, *NOV_DEC, tmp_path / "r.docx",
                                                     options))
    assert len(doc.inline_shapes) == 0
    assert not [p for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert problems(doc) == []


def test_an_empty_period_says_so(db, tmp_path):
    build_known_data(db)
    doc = docx.Document(report.write_periodic_report(db, "2026-06-01", "2026-06-30",
                                                     tmp_path / "r.docx"))
    assert report.NO_ACTIVITIES in all_text(doc)
    assert len(doc.inline_shapes) == 0
    assert "حزيران ٢٠٢٦" in doc.paragraphs[0].text
    assert problems(doc) == []


def test_progress_reaches_the_total_and_cancelling_leaves_no_file(db, tmp_path):
    build_known_data(db)
    seen = []
    report.write_periodic_report(db, *NOV_DEC, tmp_path / "r.docx",
                                 progress=lambda done, total: seen.append((done, total)))
    totals = {t for _, t in seen}
    assert len(totals) == 1
    total = totals.pop()
    assert [d for d, _ in seen] == list(range(1, total + 1))
    assert total >= len(report.SECTIONS) + 3  # a step per activity too

    class Cancelled(Exception):
        pass

    def cancel(done, _total):
        if done == 3:
            raise Cancelled

    out = tmp_path / "cancelled"
    out.mkdir()
    with pytest.raises(Cancelled):
        report.write_periodic_report(db, *NOV_DEC, out / "r.docx", progress=cancel)
    assert list(out.iterdir()) == []


def test_western_digits_from_the_document_options(db, tmp_path):
    build_known_data(db)
    options = report.PeriodicReportOptions(document=report.rtl.DocumentOptions(
        unit=UNIT_NAME, date_style=report.rtl.DateStyle(digits="western")), charts=False)
    doc = docx.Document(report.write_periodic_report(db, *NOV_DEC, tmp_path / "r.docx",
                                                     options))
    assert doc.paragraphs[0].text.endswith("2026")
    summary = {row.cells[1].text: row.cells[2].text for row in doc.tables[0].rows[1:]}
    assert summary[report.PARTICIPANTS] == "45"


def test_importing_the_report_does_not_import_matplotlib():
    code = ("import sys; import exporters.periodic_report; "
            "sys.exit('matplotlib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=120,
                            check=False)
    assert result.returncode == 0


# --- the chart itself ------------------------------------------------------------------

def test_bar_chart_is_a_200_dpi_png(tmp_path):
    path = charts.bar_chart(["ورشة عمل", "ندوة", "مؤتمر"], [3, 1, 2], "النشاطات بحسب النوع",
                            tmp_path / "c.png", font_path=FONT)
    width, height, dpi = png_info(path)
    assert (width, height) == (round(charts.SIZE_INCHES[0] * 200),
                               round(charts.SIZE_INCHES[1] * 200))
    assert dpi == pytest.approx(200, abs=0.5)


def test_bar_chart_puts_the_first_category_at_the_right_with_unit_digits(tmp_path):
    from matplotlib.figure import Figure

    drawn = {}
    real_savefig = Figure.savefig

    def keep(fig, *args, **kwargs):
        drawn["fig"] = fig
        return real_savefig(fig, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Figure, "savefig", keep)
        charts.bar_chart(["أول", "ثان", "ثالث"], [5, 7, 9], "عنوان", tmp_path / "c.png",
                         font_path=FONT)
    ax = drawn["fig"].axes[0]
    ticks = {t.get_text(): t.get_position()[0] for t in ax.get_xticklabels()}
    assert ticks["أول"] > ticks["ثان"] > ticks["ثالث"]
    assert not any(has_presentation_forms(t) for t in ticks)  # raw strings reach matplotlib
    values = [t.get_text() for t in ax.texts]
    assert values == ["٥", "٧", "٩"]
    assert ax.get_title() == "عنوان"


def test_bar_chart_rejects_mismatched_lengths(tmp_path):
    with pytest.raises(ValueError):
        charts.bar_chart(["أ"], [1, 2], "ع", tmp_path / "c.png", font_path=FONT)


# --- LibreOffice ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("periodic-render")
    db = Database.open(tmp / "db.sqlite3", create=True)
    try:
        build_known_data(db)
        data = periodic.gather(db, *NOV_DEC)
        path = report.write_periodic_report(db, *NOV_DEC, tmp / "periodic.docx")
    finally:
        db.close()
    return data, to_pdf(path, tmp)


@needs_soffice
def test_rendered_activity_table_starts_from_the_right(rendered):
    _, pdf = rendered
    words = pdf_words(pdf)
    header = next(w for w in words if comparable(w["text"]) == comparable("النشاط"))

    def beside(text: str) -> dict:
        """The word ``text`` in the header row (same page, about the same height)."""
        return min((w for w in words if w["page"] == header["page"]
                    and comparable(w["text"]) == comparable(text)
                    and abs(w["yMin"] - header["yMin"]) < 20),
                   key=lambda w: abs(w["yMin"] - header["yMin"]))

    number, place = beside("ت"), beside("المكان")
    assert number["xMin"] > header["xMax"] > place["xMax"]


@needs_soffice
def test_rendered_report_holds_the_titles(rendered):
    data, pdf = rendered
    text = comparable(pdf_text(pdf))
    for a in data.activities:
        assert comparable(a.title) in text
    assert comparable(UNIT_NAME) in text and comparable(HEAD[0]) in text
