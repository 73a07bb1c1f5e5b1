"""The periodic report (تقرير دوري): its content against the database, the RTL checks,
its charts, progress and cancelling, and one LibreOffice rendering."""

from __future__ import annotations

import datetime as dt
import re
import struct
import subprocess
import sys
import zipfile
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
from test_periodic import DRAFT_TITLE, HEAD, UNIT_NAME, build_known_data

from exporters import charts
from exporters import periodic_report as report
from models import periodic, records, store, vocab
from models.arabic import has_presentation_forms
from models.db import Database
from tests.test_cli import run

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
    assert doc.paragraphs[0].text == (  # its months held together (no-break spaces)
        f"تقرير الشهرين لنشاطات {UNIT_NAME} — تشرين\u00a0الثاني – كانون\u00a0الأول\u00a0٢٠٢٦")
    assert doc.paragraphs[0].style.name == report.rtl.TITLE_STYLE
    # One wording of a period everywhere (models.wording), its dates held together.
    period = doc.paragraphs[1].text
    assert "للمدة ١ تشرين الثاني – ٣١ كانون الأول ٢٠٢٦" in period.replace("\xa0", " ")
    assert "١\xa0تشرين\xa0الثاني" in period


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
    assert [r[2] for r in rows] == ["ورشة عمل", "ورشة عمل", "اجتماع دوري"]
    # day and month held together; in a table cell the year may take the next line
    assert rows[0][3] == "٥–\u2060٦\u00a0تشرين\u00a0الثاني ٢٠٢٦"
    assert rows[0][4] == "قاعة المديرية"
    assert [r[5] for r in rows] == ["٣", "٢", f"٤٠\n{report.TYPED_MARK}"]
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
    assert "حزيران\u00a0٢٠٢٦" in doc.paragraphs[0].text
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


# --- issue 10: drafts, the title's style, the table's columns, sections ---------------------

def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def every_text(path: Path) -> str:
    """All the text a reader of the file can reach: body, headers, footers, properties."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(name).decode("utf-8") for name in z.namelist()
                         if name.endswith(".xml"))


def test_a_draft_appears_nowhere_by_default(db, tmp_path):
    build_known_data(db)
    data = periodic.gather(db, *NOV_DEC)
    assert DRAFT_TITLE not in [a.title for a in data.activities]
    assert (data.totals.activities, data.totals.persons, data.totals.certificates) == (3, 4, 2)
    path = report.write_periodic_report(db, *NOV_DEC, tmp_path / "r.docx")
    text = every_text(path)
    assert DRAFT_TITLE not in text and "جهة لم تؤكد بعد" not in text
    assert "مسودة" not in text
    summary = {row.cells[1].text: row.cells[2].text for row in docx.Document(path).tables[0].rows}
    assert summary[report.ALL_ACTIVITIES] == "٣"
    assert vocab.ACTIVITY_KINDS["seminar"] not in summary


def test_with_drafts_each_is_counted_and_marked(db, tmp_path):
    build_known_data(db)
    data = periodic.gather(db, *NOV_DEC, include_drafts=True)
    assert DRAFT_TITLE in [a.title for a in data.activities]
    assert (data.totals.activities, data.totals.drafts, data.totals.persons,
            data.totals.certificates) == (4, 1, 5, 3)
    options = report.PeriodicReportOptions(include_drafts=True, charts=False)
    doc = docx.Document(report.write_periodic_report(db, *NOV_DEC, tmp_path / "r.docx",
                                                     options))
    summary = {row.cells[1].text: row.cells[2].text for row in doc.tables[0].rows}
    assert summary[report.ALL_ACTIVITIES] == "٤" and summary[report.OF_THEM_DRAFTS] == "١"
    titles = [row.cells[1].text for row in doc.tables[1].rows[1:]]
    assert titles.count(f"{DRAFT_TITLE}\n(مسودة)") == 1
    assert [t for t in titles if "مسودة" in t] == [f"{DRAFT_TITLE}\n(مسودة)"]
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert f"٣. {DRAFT_TITLE} (مسودة)" in headings
    assert problems(doc) == []


@pytest.fixture
def known_file(db_path):
    with Database.open(db_path, create=True) as database:
        build_known_data(database)
    return db_path


def test_command_line_leaves_drafts_out_unless_asked(known_file, tmp_path):
    plain, drafts = tmp_path / "plain.docx", tmp_path / "drafts.docx"
    result = run("export", "periodic", "--from", NOV_DEC[0], "--to", NOV_DEC[1], "--out",
                 str(plain), db=known_file)
    assert result.returncode == 0, result.stderr
    assert DRAFT_TITLE not in every_text(plain)
    result = run("export", "periodic", "--from", NOV_DEC[0], "--to", NOV_DEC[1], "--out",
                 str(drafts), "--include-drafts", db=known_file)
    assert result.returncode == 0, result.stderr
    assert f"{DRAFT_TITLE}\n(مسودة)" in [row.cells[1].text
                                         for row in docx.Document(drafts).tables[1].rows]


def test_no_builtin_title_style_is_used(written, tmp_path):
    doc, _ = written
    path = next(tmp_path.glob("*.docx"))
    used = set(re.findall(r'<w:pStyle w:val="([^"]+)"', document_xml(path)))
    assert "Title" not in used
    names = {style.name for style in doc.styles if style.style_id in used}
    # The RTL layer's styles only (its own title style among them).
    assert names <= {report.rtl.TITLE_STYLE, report.rtl.TABLE_TEXT_STYLE, "Normal",
                     "Heading 1", "Heading 2", "Caption"}
    assert doc.paragraphs[0].style.name == report.rtl.TITLE_STYLE
    title_style = doc.styles[report.rtl.TITLE_STYLE].element
    assert title_style.find(f".//{qn('w:pBdr')}") is None  # no rule under it
    assert title_style.find(f"{qn('w:rPr')}/{qn('w:spacing')}") is None  # no letter spacing


def hundred_activities(db) -> None:
    """101 approved activities in November 2026: row numbers reach ١٠١."""
    build_known_data(db)
    with db.atomic():
        for i in range(99):
            store.insert(db, records.Activity(
                kind="meeting", title=f"اجتماع تنسيقي رقم {i + 1}", start_date="2026-11-10",
                place="قاعة المديرية", status="sent"))


def cell_margin_twips() -> int:
    return 2 * 108  # Word's default left and right cell margins (0.19 cm)


def widest(text: str, points: float, *, bold: bool = False) -> float:
    """``text``'s width in twips, the widest of Amiri and (where installed) DejaVu Sans,
    LibreOffice's stand-in for Simplified Arabic."""
    from PIL import ImageFont

    fonts = [ROOT / "resources" / "fonts" / ("Amiri-Bold.ttf" if bold else "Amiri-Regular.ttf"),
             Path("/usr/share/fonts/truetype/dejavu") / (
                 "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")]
    return max(ImageFont.truetype(str(f), 200).getlength(text) / 200 * points * 20
               for f in fonts if f.is_file())


def grid(table) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]


def test_row_number_100_fits_its_column_and_the_kind_has_its_own(db, tmp_path):
    hundred_activities(db)
    options = report.PeriodicReportOptions(charts=False, sections_per_activity=False)
    path = report.write_periodic_report(db, "2026-11-01", "2026-11-30", tmp_path / "r.docx",
                                        options)
    doc = docx.Document(path)
    table = doc.tables[1]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["ت", "النشاط", "النوع", "التاريخ", "المكان", "عدد المشاركين"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[99][0] == "١٠٠" and rows[-1][0] == "١٠١"
    data = periodic.gather(db, "2026-11-01", "2026-11-30")
    assert [r[2] for r in rows] == [a.kind_label for a in data.activities]
    assert all(r[2] not in r[1] for r in rows)  # the kind is not tucked into another cell
    size = 14 - 3  # the table text size of the default document
    widths = grid(table)
    assert widths[0] >= widest("١٠١", size) + cell_margin_twips()
    assert widths[5] >= widest("المشاركين", size, bold=True) + cell_margin_twips()
    # Sized to content: a three-row table's serial column is narrower.
    small = docx.Document(report.write_periodic_report(
        db, "2026-12-01", "2026-12-31", tmp_path / "small.docx", options))
    assert grid(small.tables[1])[0] < widths[0]
    assert sum(widths) == pytest.approx(sum(grid(small.tables[1])), abs=10)


@needs_soffice
def test_rendered_row_number_100_stays_on_one_line(db, tmp_path):
    hundred_activities(db)
    options = report.PeriodicReportOptions(charts=False, sections_per_activity=False)
    path = report.write_periodic_report(db, "2026-11-01", "2026-11-30", tmp_path / "r.docx",
                                        options)
    words = pdf_words(to_pdf(path, tmp_path))

    def serial(number: str) -> list[dict]:
        """The word ``number`` whole, in the serial column (the rightmost quarter)."""
        return [w for w in words if w["text"] in (number, number[::-1])
                and w["xMin"] > w["page_width"] * 0.75]

    # Cut over two lines, "١٠٠" would come back as "١٠" and "٠" on lines of their own.
    assert len(serial("١٠٠")) == 1
    assert len(serial("١٠١")) == 1
    assert len(serial("٩٩")) == 1


def test_sections_off_for_a_year_on_for_a_month_by_default(db, tmp_path):
    build_known_data(db)

    def headings(start: str, end: str, **kw) -> list[str]:
        options = report.PeriodicReportOptions(charts=False, **kw)
        doc = docx.Document(report.write_periodic_report(db, start, end, tmp_path / "r.docx",
                                                         options))
        return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]

    year = headings("2026-01-01", "2026-12-31")
    assert report.DETAILS_HEADING not in year and report.TABLE_HEADING in year
    # summary, table, details (a heading and two activities), recommendations, coverage,
    # plan against actual
    assert len(headings("2026-11-01", "2026-11-30")) == 2 + 1 + 2 + 1 + 1 + 1
    assert report.DETAILS_HEADING in headings("2026-10-01", "2026-12-31")  # a quarter
    assert report.DETAILS_HEADING not in headings("2026-09-01", "2026-12-31")  # four months
    assert report.DETAILS_HEADING in headings("2026-01-01", "2026-12-31",
                                              sections_per_activity=True)
    assert report.DETAILS_HEADING not in headings("2026-11-01", "2026-11-30",
                                                  sections_per_activity=False)


def test_command_line_sections_option(known_file, tmp_path):
    def headings(*args: str) -> list[str]:
        out = tmp_path / "r.docx"
        result = run("export", "periodic", *args, "--out", str(out), db=known_file)
        assert result.returncode == 0, result.stderr
        return [p.text for p in docx.Document(out).paragraphs
                if p.style.name == "Heading 1"]

    assert report.DETAILS_HEADING not in headings("--from", "2026-01-01", "--to", "2026-12-31")
    assert report.DETAILS_HEADING in headings("--from", "2026-01-01", "--to", "2026-12-31",
                                              "--sections")
    assert report.DETAILS_HEADING not in headings("--from", "2026-11-01", "--to",
                                                  "2026-11-30", "--no-sections")


# --- the app's dialog --------------------------------------------------------------------

def test_period_dialog_offers_drafts_and_sections(qtbot, ctx, parent, db):
    from ui.export import PeriodDialog

    build_known_data(db)
    dialog = PeriodDialog(ctx, parent, today=dt.date(2026, 11, 17))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.options() == {"include_drafts": False, "sections": True}  # this month
    assert dialog.drafts_note.isVisible()
    assert dialog.drafts_note.text() == "لا يشمل التقرير مسودات هذه المدة (عددها ١)."
    dialog.set_period("this_year")
    assert dialog.options() == {"include_drafts": False, "sections": False}
    dialog.include_drafts.click()
    assert not dialog.drafts_note.isVisible()
    dialog.sections.click()  # the user's choice now stands whatever the period
    dialog.set_period("last_year")
    assert dialog.options() == {"include_drafts": True, "sections": True}


def test_app_export_with_drafts_marks_them(qtbot, ctx, parent, desktop, db, tmp_path):
    from ui.export import ExportResultDialog, export_document

    build_known_data(db)
    desktop.answer = tmp_path / "r.docx"
    export_document(parent, ctx, "periodic", date_from="2026-11-01", date_to="2026-11-30",
                    include_drafts=True, sections=False)
    qtbot.waitUntil(lambda: parent.findChild(ExportResultDialog) is not None, timeout=20000)
    doc = docx.Document(desktop.answer)
    assert f"{DRAFT_TITLE}\n(مسودة)" in [row.cells[1].text for row in doc.tables[1].rows]
    assert report.DETAILS_HEADING not in [p.text for p in doc.paragraphs]
    assert desktop.suggested[0].name == "التقرير الشهري - تشرين الثاني ٢٠٢٦.docx"


def test_activities_page_passes_the_dialogs_choices(qtbot, ctx, desktop, db, tmp_path,
                                                    monkeypatch):
    from ui.export import ExportResultDialog, PeriodDialog
    from ui.pages import activities as activities_page

    build_known_data(db)

    def choose(dialog: PeriodDialog) -> bool:
        dialog.set_period("custom")
        dialog.date_from.setValue("2026-11-01")
        dialog.date_to.setValue("2026-11-30")
        dialog.include_drafts.click()
        dialog.sections.click()  # off for a month
        return True

    monkeypatch.setattr(activities_page, "run_modal", choose)
    page = activities_page.ActivitiesPage(ctx)
    qtbot.addWidget(page)
    desktop.answer = tmp_path / "r.docx"
    page.export_periodic()
    qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None, timeout=20000)
    doc = docx.Document(desktop.answer)
    assert f"{DRAFT_TITLE}\n(مسودة)" in [row.cells[1].text for row in doc.tables[1].rows]
    assert report.DETAILS_HEADING not in [p.text for p in doc.paragraphs]
