"""The periodic report's media coverage and plan-against-actual sections: the data
gathered for the period, and what the .docx says, read back."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from test_exporters_rtl import comparable, needs_soffice, pdf_text, to_pdf
from test_periodic import DRAFT_TITLE, build_known_data
from test_periodic_recommendations import cells

from exporters import periodic_report as report
from models import periodic, plans, store
from models.records import Activity, CoverageItem, Plan, PlanItem

REPORT_DAY = dt.date(2026, 12, 10)
NOVEMBER = ("2026-11-01", "2026-11-30")
NOT_DONE_TITLE = "حملة توعية بموعد التسجيل"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture
def known(db):
    """The known November/December activities, with coverage and plans around them.

    Coverage in November: three items (tv regional positive, facebook local positive,
    website local neutral, none negative); one in October, one in the recycle bin and one
    covering an activity in the recycle bin, all left out.

    The November–December plan, on REPORT_DAY: one item on time (w1), one late (w2), one
    not done, one cancelled, one to come; the draft and the December meeting are not in it
    (two activities outside the plan). A January plan does not overlap November."""
    acts = build_known_data(db)
    for date, outlet, medium, level, tone, title, act in (
            ("2026-11-05", "قناة العراقية", "tv", "regional", "positive",
             "تغطية ورشة الاتصال الحكومي", "w1"),
            ("2026-11-21", "صفحة الجامعة", "facebook", "local", "positive",
             "ورشة كتابة التقارير", "w2"),
            ("2026-11-28", "موقع كربلاء اليوم", "website", "local", "neutral",
             "خبر عن نشاطات الجامعة", None),
            ("2026-10-31", "قناة كربلاء", "tv", "local", "negative", "خبر تشرين الأول",
             None)):
        store.insert(db, CoverageItem(date=date, outlet=outlet, medium=medium, level=level,
                                      tone=tone, title=title,
                                      activity_id=acts[act].id if act else None))
    gone = store.insert(db, CoverageItem(date="2026-11-10", outlet="جريدة", medium="press",
                                         tone="negative", title="مادة محذوفة"))
    store.delete(db, CoverageItem, gone.id)
    # Its activity is in the recycle bin: the item goes with it.
    store.insert(db, CoverageItem(date="2026-11-16", outlet="إذاعة", medium="radio",
                                  tone="negative", title="مادة عن ورشة محذوفة",
                                  activity_id=acts["w_deleted"].id))
    plan = store.insert(db, Plan(title="مخطط تشرين الثاني وكانون الأول",
                                 period_start="2026-11-01", period_end="2026-12-31"))
    for title, date, status, act in (
            ("ورشة الاتصال", "2026-11-06", "planned", "w1"),
            ("ورشة التقارير", "2026-11-10", "planned", "w2"),
            (NOT_DONE_TITLE, "2026-11-15", "planned", None),
            ("مؤتمر ملغى", "2026-11-18", "cancelled", None),
            ("ندوة كانون الأول", "2026-12-20", "planned", None)):
        item = store.insert(db, PlanItem(plan_id=plan.id, title=title, date=date,
                                         status=status, owner="شعبة الإعلام"))
        if act:
            plans.link_activity(db, item.id, acts[act].id)
    store.insert(db, Plan(title="مخطط كانون الثاني", period_start="2027-01-01",
                          period_end="2027-02-28"))
    return acts, plan


def write(db, tmp_path, **kw):
    options = report.PeriodicReportOptions(charts=False, today=REPORT_DAY, **kw)
    return docx.Document(report.write_periodic_report(db, *NOVEMBER, tmp_path / "r.docx",
                                                      options))


def paragraphs_from(doc, heading: str) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    at = next(i for i, t in enumerate(texts) if t.endswith(heading))
    return texts[at:]


def table_after(doc, header: tuple[str, ...], nth: int = 0) -> list[list[str]]:
    found = [t for t in doc.tables if tuple(c.text for c in t.rows[0].cells) == header]
    return [[c.text for c in row.cells] for row in found[nth].rows[1:]]


def test_the_data_holds_the_periods_coverage_and_the_overlapping_plans(db, known):
    _, plan = known
    data = periodic.gather(db, *NOVEMBER, today=REPORT_DAY)
    assert data.coverage.total == 3
    assert data.coverage.by_tone == {"positive": 2, "neutral": 1, "negative": 0}
    assert data.coverage.by_level == {"local": 2, "regional": 1, "international": 0}
    assert data.coverage.by_medium["tv"] == 1 and data.coverage.by_medium["press"] == 0
    assert [c.title for c in data.coverage_items] == [
        "تغطية ورشة الاتصال الحكومي", "ورشة كتابة التقارير", "خبر عن نشاطات الجامعة"]
    assert [p.plan.id for p in data.plans] == [plan.id]
    assert data.plans[0].counts == {plans.DONE_ON_TIME: 1, plans.DONE_LATE: 1,
                                    plans.NOT_DONE: 1, plans.CANCELLED: 1,
                                    plans.TO_COME: 1, "unplanned": 2}
    # A month earlier the November item was not yet due.
    early = periodic.gather(db, *NOVEMBER, today=dt.date(2026, 11, 12)).plans[0].counts
    assert early[plans.NOT_DONE] == 0 and early[plans.TO_COME] == 2


def test_the_coverage_section_counts_by_medium_level_and_tone(db, known, tmp_path):
    doc = write(db, tmp_path)
    text = "\n".join(paragraphs_from(doc, report.COVERAGE_HEADING))
    assert "مجموع المواد المرصودة: ٣" in text
    assert report.COVERAGE_MEASURES in text and report.COVERAGE_ITEMS_LINE in text
    counts = {row[1]: row[2] for row in table_after(doc, report.COVERAGE_COUNT_COLUMNS, nth=1)}
    assert counts == {"نوع الوسيلة: تلفزيون": "١", "نوع الوسيلة: فيسبوك": "١",
                      "نوع الوسيلة: موقع إلكتروني": "١", "المستوى: محلي": "٢",
                      "المستوى: إقليمي": "١", "الاتجاه: إيجابي": "٢",
                      "الاتجاه: محايد": "١", "الاتجاه: سلبي": "٠"}
    rows = table_after(doc, report.COVERAGE_COLUMNS)
    assert [r[6] for r in rows] == ["تغطية ورشة الاتصال الحكومي", "ورشة كتابة التقارير",
                                    "خبر عن نشاطات الجامعة"]
    assert rows[0][1:6] == ["٥\u00a0تشرين\u00a0الثاني ٢٠٢٦", "قناة العراقية", "تلفزيون",
                            "إقليمي", "إيجابي"]
    everything = text + "\n".join("\n".join(r) for r in cells(doc))
    for elsewhere in ("خبر تشرين الأول", "مادة محذوفة", "مادة عن ورشة محذوفة"):
        assert elsewhere not in everything


def coverage_pictures(doc) -> list[tuple[bytes, str]]:
    """The pictures of the coverage section, in order: each image's bytes and the caption
    under it."""
    body = list(doc.element.body.iterchildren())
    texts = ["".join(t.text or "" for t in el.iter(f"{{{W}}}t")) for el in body]
    start = next(i for i, t in enumerate(texts) if t.endswith(report.COVERAGE_HEADING))
    end = next(i for i, t in enumerate(texts) if t.endswith(report.PLANS_HEADING))
    found = []
    for i in range(start, end):
        for blip in body[i].iter(f"{{{A}}}blip"):
            image = doc.part.related_parts[blip.get(f"{{{R}}}embed")]
            found.append((image.blob, texts[i + 1]))
    return found


def test_the_coverage_section_charts_tone_and_level_from_the_data(db, known, tmp_path,
                                                                  monkeypatch):
    from exporters import charts

    drawn = []
    real_chart = charts.bar_chart

    def bar_chart(labels, values, title, path, **kw):
        made = real_chart(labels, values, title, path, **kw)
        drawn.append((title, dict(zip(labels, values, strict=True)), made.read_bytes()))
        return made

    monkeypatch.setattr(charts, "bar_chart", bar_chart)
    options = report.PeriodicReportOptions(charts=True, today=REPORT_DAY)
    doc = docx.Document(report.write_periodic_report(db, *NOVEMBER, tmp_path / "r.docx",
                                                     options))
    coverage = {title: (figures, image) for title, figures, image in drawn
                if title in (report.COVERAGE_CHART_BY_TONE, report.COVERAGE_CHART_BY_LEVEL)}
    # The figures drawn are the period's counts (every tone and level, a zero included).
    assert coverage[report.COVERAGE_CHART_BY_TONE][0] == {"إيجابي": 2, "محايد": 1, "سلبي": 0}
    assert coverage[report.COVERAGE_CHART_BY_LEVEL][0] == {"محلي": 2, "إقليمي": 1,
                                                           "دولي": 0}
    # ... and those very pictures are embedded in the coverage section, each captioned.
    assert coverage_pictures(doc) == [
        (coverage[report.COVERAGE_CHART_BY_TONE][1], report.COVERAGE_CHART_BY_TONE),
        (coverage[report.COVERAGE_CHART_BY_LEVEL][1], report.COVERAGE_CHART_BY_LEVEL)]
    # Without charts, the section has none.
    assert coverage_pictures(write(db, tmp_path)) == []


def test_a_long_coverage_list_shows_its_first_items_and_says_so(db, known, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setattr(report, "COVERAGE_TABLE_LIMIT", 2)
    doc = write(db, tmp_path)
    assert len(table_after(doc, report.COVERAGE_COLUMNS)) == 2
    text = "\n".join(paragraphs_from(doc, report.COVERAGE_HEADING))
    assert "يعرض الجدول أقدم ٢ مادة من ٣" in text
    assert report.COVERAGE_ITEMS_LINE not in text
    # The counts are still of all three.
    assert "مجموع المواد المرصودة: ٣" in text


def test_the_plan_section_counts_outcomes_and_lists_what_was_not_done(db, known, tmp_path):
    doc = write(db, tmp_path)
    text = "\n".join(paragraphs_from(doc, report.PLANS_HEADING))
    assert "مخطط تشرين الثاني وكانون الأول" in text
    assert "مخطط كانون الثاني" not in text
    assert "كما هو في ١٠ كانون الأول ٢٠٢٦" in text.replace("\u00a0", " ")
    counts = {row[1]: row[2] for row in table_after(doc, report.PLAN_COUNT_COLUMNS, nth=-1)}
    assert counts == {report.PLAN_ITEMS_ALL: "٥", "نُفذت في موعدها": "١",
                      "نُفذت متأخرة": "١", "لم تُنفذ": "١", "أُلغيت": "١",
                      "لم يحن موعدها": "١", report.PLAN_UNPLANNED: "٢"}
    missed = table_after(doc, report.NOT_DONE_COLUMNS)
    assert [r[1] for r in missed] == [NOT_DONE_TITLE]
    assert missed[0][3:] == ["شعبة الإعلام", "مخطط"]


def test_the_sections_follow_the_recommendations_and_say_when_empty(db, tmp_path):
    build_known_data(db)
    doc = write(db, tmp_path)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[-3:] == [f"خامساً: {report.RECOMMENDATIONS_HEADING}",
                             f"سادساً: {report.COVERAGE_HEADING}",
                             f"سابعاً: {report.PLANS_HEADING}"]
    assert report.NO_COVERAGE in paragraphs_from(doc, report.COVERAGE_HEADING)
    assert report.NO_PLANS in paragraphs_from(doc, report.PLANS_HEADING)


def test_a_report_with_every_section_passes_the_rtl_and_open_xml_checks(db, known, tmp_path):
    import subprocess
    import sys

    from test_exporters_rtl import problems

    acts, _ = known
    assert store.get(db, Activity, acts["draft"].id).title == DRAFT_TITLE
    options = report.PeriodicReportOptions(charts=True, today=REPORT_DAY,
                                           include_drafts=True, sections_per_activity=True)
    path = report.write_periodic_report(db, *NOVEMBER, tmp_path / "r.docx", options)
    doc = docx.Document(str(path))
    assert table_after(doc, report.COVERAGE_COLUMNS)
    assert table_after(doc, report.NOT_DONE_COLUMNS)
    assert problems(doc) == []
    result = subprocess.run([sys.executable, "-m", "openxml_audit", str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout


@needs_soffice
def test_libreoffice_renders_the_new_sections(db, known, tmp_path):
    path = report.write_periodic_report(
        db, *NOVEMBER, tmp_path / "r.docx",
        report.PeriodicReportOptions(charts=False, today=REPORT_DAY))
    def plain(text: str) -> str:
        # pdftotext puts the colon of "الاتجاه: سلبي" before the space (visual order).
        return " ".join(comparable(text).replace(":", " ").split())

    rendered = plain(pdf_text(to_pdf(path, tmp_path)))
    for words in (report.COVERAGE_HEADING, "تغطية ورشة الاتصال الحكومي",
                  "الاتجاه: سلبي", "ولا تُحسب لها قيمة إعلانية مكافئة", report.PLANS_HEADING,
                  "مخطط تشرين الثاني وكانون الأول", NOT_DONE_TITLE,
                  report.PLAN_UNPLANNED):
        assert plain(words) in rendered, words


def test_a_year_typed_in_a_plans_title_follows_the_units_digits(db, known, tmp_path):
    _, plan = known
    plan.title = "مخطط الاتصال لشهري تشرين الثاني وكانون الأول 2026"
    store.update(db, plan)
    text = "\n".join(paragraphs_from(write(db, tmp_path), report.PLANS_HEADING))
    assert "مخطط الاتصال لشهري تشرين الثاني وكانون الأول ٢٠٢٦" in text
    assert "2026" not in text
