"""The recommendations follow-up report: what it says (read back from the file), the RTL
XML checks, the Open XML audit, and LibreOffice's rendering."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import docx
import pytest
from conftest import karbala_workshop
from test_exporters_rtl import comparable, needs_soffice, pdf_text, problems, to_pdf

from exporters import recommendations_report as report
from models import recommendations, records, store
from models.db import Database

TODAY = dt.date(2026, 12, 4)


def seed(db: Database) -> dict[str, str]:
    workshop = store.insert(db, karbala_workshop())
    meeting = store.insert(db, records.Activity(
        kind="meeting", title="الاجتماع الدوري لشبكة الاتصال", start_date="2026-10-05"))
    ids = {}
    for key, activity, text, to, due, status in (
            ("late", workshop, "تفعيل الصفحات الرسمية للدوائر", "مديرية التربية",
             "2026-12-01", "raised"),
            ("done", workshop, "توحيد الهوية البصرية", "مديرية التربية", "2026-11-01",
             "raised"),
            ("impossible", meeting, "إنشاء استوديو إذاعي", "وزارة المالية", "2026-10-20",
             "raised")):
        ids[key] = store.insert(db, records.Recommendation(
            activity_id=activity.id, text=text, addressed_to=to, due_date=due,
            status=status)).id
    recommendations.add_note(db, ids["done"], "2026-10-20", "خوطبت المديرية.")
    recommendations.add_note(db, ids["done"], "2026-10-28", "نُفذت وعُممت على الأقسام.",
                             status="done")
    recommendations.add_note(db, ids["impossible"], "2026-10-25",
                             "اعتذرت الوزارة لعدم توفر التخصيصات.", status="rejected")
    return ids


@pytest.fixture
def written(db, tmp_path):
    seed(db)
    path = report.write_recommendations_report(
        db, tmp_path / "recommendations.docx",
        report.RecommendationsReportOptions(today=TODAY))
    return path


def table_rows(path) -> list[list[str]]:
    table = docx.Document(str(path)).tables[-1]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_each_recommendation_with_its_source_status_and_last_note(written):
    rows = table_rows(written)
    assert rows[0] == list(report.COLUMNS)
    body = {row[1]: row for row in rows[1:]}
    assert list(body) == ["إنشاء استوديو إذاعي", "توحيد الهوية البصرية",
                          "تفعيل الصفحات الرسمية للدوائر"]  # by due date
    late = body["تفعيل الصفحات الرسمية للدوائر"]
    assert late[0] == "٣"
    assert late[2].startswith(karbala_workshop().title)
    assert "٢٢\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦" in late[2]
    assert late[3] == "مديرية التربية"
    assert late[5] == "مرفوعة\nمتأخرة"  # overdue: said in words
    assert late[6] == ""
    done = body["توحيد الهوية البصرية"]
    assert done[5] == "منفذة"
    # Only the last note, with its date.
    assert done[6] == "٢٨\u00a0تشرين\u00a0الأول\u00a0٢٠٢٦:\nنُفذت وعُممت على الأقسام."
    impossible = body["إنشاء استوديو إذاعي"]
    assert impossible[2].startswith("الاجتماع الدوري لشبكة الاتصال")
    assert impossible[5] == "متعذرة"
    text = "\n".join(p.text for p in docx.Document(str(written)).paragraphs)
    assert report.TITLE in text
    assert "عدد التوصيات: ٣، مرفوعة: ١، منفذة: ١، متعذرة: ١، المتأخرة عن موعدها: ١." in text


LONG = ("تشكيل فريق عمل مشترك بين أقسام الإعلام في الدوائر الحكومية لمتابعة الشائعات والرد "
        "عليها خلال أربع وعشرين ساعة من ظهورها، ورفع تقرير شهري بذلك إلى مكتب المحافظ")


def test_the_columns_are_sized_to_their_content(db, tmp_path):
    from docx.enum.section import WD_ORIENT

    from exporters import text_fit

    seed(db)
    activity = store.insert(db, records.Activity(
        kind="workshop", title="ورشة عن التحول الرقمي في المؤسسات الحكومية ودور الإعلام",
        start_date="2026-09-14"))
    rec = store.insert(db, records.Recommendation(
        activity_id=activity.id, text=LONG, addressed_to="مكتب المحافظ",
        due_date="2026-11-30", status="in_progress"))
    recommendations.add_note(db, rec.id, "2026-11-15", "عُقد الاجتماع الأول للفريق وحُددت "
                             "نقاط الاتصال في الدوائر، وما زال انتظار موافقة المحافظ.")
    path = report.write_recommendations_report(
        db, tmp_path / "r.docx", report.RecommendationsReportOptions(today=TODAY))
    document = docx.Document(str(path))
    section = document.sections[-1]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    text_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    widths = [column.width / 360000 for column in document.tables[-1].columns]
    assert sum(widths) == pytest.approx(text_cm, abs=0.05)
    number, text, source, addressee, due, status, note = widths
    # The recommendation has the most room; the number, the date and the status the least.
    assert text == max(widths) and text > 1.3 * max(source, note)
    assert number == min(widths) and max(due, status) < text / 1.4
    # A short addressee stays on one line; the due date is never broken.
    size = document.styles["Normal"].font.size.pt - 3
    pad = text_fit.CELL_PADDING_CM
    for name in ("مديرية التربية", "مكتب المحافظ", "وزارة المالية"):
        assert addressee + 0.01 >= text_fit.text_width_cm(name, size) + pad, name
    rows = table_rows(path)  # (widths are stored in twentieths of a point: 0.01 cm)
    assert due + 0.01 >= max(text_fit.text_width_cm(row[4], size) for row in rows[1:]) + pad


def test_a_status_limits_the_report_and_says_so(db, tmp_path):
    seed(db)
    path = report.write_recommendations_report(
        db, tmp_path / "done.docx",
        report.RecommendationsReportOptions(status="done", today=TODAY))
    assert [row[1] for row in table_rows(path)[1:]] == ["توحيد الهوية البصرية"]
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "التوصيات «منفذة» وحدها" in text


def test_no_recommendation_is_said_in_words(db, tmp_path):
    path = report.write_recommendations_report(
        db, tmp_path / "none.docx", report.RecommendationsReportOptions(today=TODAY))
    document = docx.Document(str(path))
    assert document.tables == []
    assert report.NONE in "\n".join(p.text for p in document.paragraphs)


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
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        report.write_recommendations_report(db, tmp_path / "r.docx", progress=cancel)
    assert list(tmp_path.glob("r*.docx")) == []


@needs_soffice
def test_libreoffice_renders_every_recommendation(written, tmp_path):
    text = comparable(pdf_text(to_pdf(written, tmp_path)))
    for words in ("تقرير متابعة التوصيات", "إنشاء استوديو إذاعي", "توحيد الهوية البصرية",
                  "متأخرة", "متعذرة", "نُفذت وعُممت على الأقسام."):
        assert comparable(words) in text, words
