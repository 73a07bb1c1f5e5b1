"""The periodic report's recommendations section: the recommendations of the period's
activities with their status and last note, the overdue count on the report's day, and a
draft activity's recommendations only in a report with drafts; read back from the .docx."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from test_periodic import DRAFT_TITLE, build_known_data

from exporters import periodic_report as report
from models import periodic, recommendations, store
from models.records import Recommendation

REPORT_DAY = dt.date(2026, 12, 10)
NOVEMBER = ("2026-11-01", "2026-11-30")


@pytest.fixture
def raised(db):
    """The known November/December data with recommendations on its activities: two
    at the first workshop (one overdue on REPORT_DAY, with notes), one done at the second,
    one overdue at the November draft, and ones outside the period or deleted."""
    acts = build_known_data(db)
    recs = {}
    for key, act, text, to, due, status in (
            ("late", "w1", "تفعيل الصفحات الرسمية للدوائر", "مديرية التربية",
             "2026-12-01", "in_progress"),
            ("open", "w1", "إصدار نشرة شهرية", "محافظة كربلاء", "2027-01-15", "raised"),
            ("done", "w2", "توحيد الهوية البصرية", "وزارة التعليم العالي", "2026-11-28",
             "raised"),
            ("draft", "draft", "إنشاء منصة للأخبار", "جامعة كربلاء", "2026-12-05",
             "raised"),
            ("before", "s_before", "توصية ندوة تشرين الأول", "مديرية الصحة", "2026-11-01",
             "raised"),
            ("december", "m1", "توصية اجتماع كانون الأول", "مديرية الصحة", "2026-12-05",
             "raised")):
        recs[key] = store.insert(db, Recommendation(
            activity_id=acts[act].id, text=text, addressed_to=to, due_date=due,
            status=status))
    recommendations.add_note(db, recs["late"].id, "2026-11-10", "خوطبت المديرية بكتاب رسمي.",
                             "in_progress")
    recommendations.add_note(db, recs["late"].id, "2026-11-25", "وعدت المديرية بالرد قريباً.")
    recommendations.add_note(db, recs["done"].id, "2026-11-27", "نفذت وعممت على الأقسام.",
                             "done")
    return acts, recs


def cells(doc) -> list[list[str]]:
    return [[c.text for c in row.cells] for t in doc.tables for row in t.rows]


def section_text(doc) -> str:
    """The paragraphs from the recommendations heading to the end."""
    texts = [p.text for p in doc.paragraphs]
    at = next(i for i, t in enumerate(texts) if t.endswith(report.RECOMMENDATIONS_HEADING))
    return "\n".join(texts[at:])


def recommendation_rows(doc) -> list[list[str]]:
    table = next(t for t in doc.tables
                 if [c.text for c in t.rows[0].cells] == list(report.RECOMMENDATION_COLUMNS))
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def write(db, tmp_path, **kw):
    options = report.PeriodicReportOptions(charts=False, today=REPORT_DAY, **kw)
    return docx.Document(report.write_periodic_report(db, *NOVEMBER, tmp_path / "r.docx",
                                                      options))


def test_the_data_holds_the_periods_recommendations_as_on_the_report_day(db, raised):
    _, recs = raised
    data = periodic.gather(db, *NOVEMBER, today=REPORT_DAY)
    assert [r.id for r in data.recommendations] == [
        recs["done"].id, recs["late"].id, recs["open"].id]
    assert data.overdue_recommendations == 1
    assert data.as_of == "2026-12-10"
    with_drafts = periodic.gather(db, *NOVEMBER, include_drafts=True, today=REPORT_DAY)
    assert recs["draft"].id in [r.id for r in with_drafts.recommendations]
    assert with_drafts.overdue_recommendations == 2
    # A month earlier nothing was overdue yet.
    assert periodic.gather(db, *NOVEMBER, today=dt.date(2026, 11, 15)
                           ).overdue_recommendations == 0


def test_the_report_lists_each_with_status_last_note_and_the_overdue_count(db, raised,
                                                                            tmp_path):
    doc = write(db, tmp_path)
    text = section_text(doc)
    assert "التوصيات المرفوعة في نشاطات هذه المدة: ٣" in text
    assert "المتأخرة منها عن موعدها في ١٠ كانون الأول ٢٠٢٦: ١" in text.replace("\u00a0", " ")
    rows = {row[1].split("\n")[0]: row for row in recommendation_rows(doc)}
    assert set(rows) == {"تفعيل الصفحات الرسمية للدوائر", "إصدار نشرة شهرية",
                         "توحيد الهوية البصرية"}
    late = rows["تفعيل الصفحات الرسمية للدوائر"]
    # To whom it was raised, under the recommendation itself.
    assert late[1].split("\n") == ["تفعيل الصفحات الرسمية للدوائر", "إلى: مديرية التربية"]
    assert late[2] == "ورشة عن الاتصال الحكومي"
    assert late[4].split("\n") == ["قيد التنفيذ", recommendations.OVERDUE_WORD]
    # The last note with its date, not the first.
    assert late[5].replace("\u00a0", " ").split("\n") == [
        "٢٥ تشرين الثاني ٢٠٢٦:", "وعدت المديرية بالرد قريباً."]
    assert rows["توحيد الهوية البصرية"][4] == "منفذة"
    assert rows["إصدار نشرة شهرية"][4] == "مرفوعة" and rows["إصدار نشرة شهرية"][5] == ""
    everything = text + "\n".join("\n".join(r) for r in cells(doc))
    for elsewhere in ("إنشاء منصة للأخبار", "توصية ندوة تشرين الأول", "توصية اجتماع كانون الأول"):
        assert elsewhere not in everything


def test_a_draft_activitys_recommendations_only_in_a_report_with_drafts(db, raised, tmp_path):
    without = write(db, tmp_path)
    assert "إنشاء منصة للأخبار" not in "\n".join("\n".join(r) for r in cells(without))
    with_drafts = write(db, tmp_path, include_drafts=True)
    rows = {row[1].split("\n")[0]: row for row in recommendation_rows(with_drafts)}
    draft = rows["إنشاء منصة للأخبار"]
    assert draft[2].split("\n") == [DRAFT_TITLE, report.DRAFT_MARK]
    assert recommendations.OVERDUE_WORD in draft[4]
    assert "المتأخرة منها عن موعدها في ١٠ كانون الأول ٢٠٢٦: ٢" in section_text(
        with_drafts).replace("\u00a0", " ")


def test_the_section_is_numbered_after_the_last_heading_and_says_when_there_are_none(
        db, tmp_path):
    build_known_data(db)
    month = write(db, tmp_path)
    headings = [p.text for p in month.paragraphs if p.style.name == "Heading 1"]
    assert f"خامساً: {report.RECOMMENDATIONS_HEADING}" in headings
    assert report.NO_RECOMMENDATIONS in section_text(month)
    without_details = write(db, tmp_path, sections_per_activity=False)
    headings = [p.text for p in without_details.paragraphs if p.style.name == "Heading 1"]
    assert f"رابعاً: {report.RECOMMENDATIONS_HEADING}" in headings


def test_the_section_passes_the_rtl_and_open_xml_checks(db, raised, tmp_path):
    import subprocess
    import sys

    from test_exporters_rtl import problems

    options = report.PeriodicReportOptions(charts=False, today=REPORT_DAY,
                                           include_drafts=True)
    path = report.write_periodic_report(db, *NOVEMBER, tmp_path / "r.docx", options)
    doc = docx.Document(str(path))
    assert recommendation_rows(doc)
    assert problems(doc) == []
    result = subprocess.run([sys.executable, "-m", "openxml_audit", str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout
