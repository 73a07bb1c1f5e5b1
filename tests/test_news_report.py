"""The news report document: every fact of the activity in it, the RTL checks, photos,
and what LibreOffice makes of it."""

from __future__ import annotations

import dataclasses
import os
import re

import docx
import pytest
from conftest import karbala_workshop
from docx.oxml.ns import qn
from test_exporters_rtl import comparable, needs_soffice, pdf_text, pdf_words, png, problems, to_pdf

from exporters import news_report, rtl
from models import attachments, attendance, records, store
from models.db import Database
from models.news import NewsText

RECS = ["إنشاء وحدات اتصال حكومي في جميع دوائر المحافظة",
        "تنظيم مؤتمر موسع يناقش مفهوم الاتصال الحكومي وكيفية الارتقاء به"]
SUMMARY = ("وأكد المحاضرون أهمية تبادل المعلومات بين الدوائر الحكومية وتنظيم التقارير الخبرية "
           "وإرسالها إلى مركز المعلومات الموحد في الوزارة بالسرعة المطلوبة، بما يسهم في "
           "التخطيط للأنشطة المقبلة على أساس من الدقة في تنفيذ البرنامج الحكومي.\n"
           "وفي ختام الورشة وزعت شهادات المشاركة على الحاضرين بعد أن استمرت يومين.")
CAPTION = "المحاضرون خلال الورشة"


def setup(db: Database, tmp, *, photo=True, **changes) -> records.Activity:
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(
        unit, ministry="وزارة التربية", directorate="مديرية تربية كربلاء",
        name="شعبة الإعلام والاتصال الحكومي", city="كربلاء"))
    activity = store.insert(db, dataclasses.replace(
        karbala_workshop(), participants_count=35, summary=SUMMARY,
        partners=["دائرة الاتصال الحكومي في وزارة التعليم العالي", "نقابة الصحفيين"],
        **changes))
    for text in RECS:
        store.insert(db, records.Recommendation(activity_id=activity.id, text=text))
    if photo:
        attachments.attach(db, "activity", activity.id, png(tmp / "wide.png", 3000, 1200),
                           caption=CAPTION)
    return activity


def all_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


@pytest.fixture
def report(db, tmp_path):
    activity = setup(db, tmp_path)
    path = news_report.write_news_report(db, activity.id, tmp_path / "خبر.docx")
    return activity, docx.Document(path)


def test_every_fact_of_the_activity_is_in_the_report(report):
    activity, doc = report
    text = all_text(doc)
    day = "٢٣\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦"  # held together (no-break spaces)
    for fact in (activity.title, activity.place, activity.organiser, *activity.partners,
                 *activity.lecturers, *RECS, "٢٢", day, "لمدة يومين", "٣٥ مشاركاً",
                 f"كربلاء –\u00a0{day}", CAPTION, "انتهى"):
        assert fact in text, fact
    for line in SUMMARY.splitlines():
        assert line in text


def test_layout_of_the_parts(report):
    _, doc = report
    pars = [p for p in doc.paragraphs if p.text]
    headline = pars[0]
    assert headline.alignment == rtl.CENTER and all(r.bold for r in headline.runs)
    assert pars[1].text.startswith("كربلاء –\u00a0")
    assert pars[2].text.startswith("شاركت شعبة الإعلام") and pars[2].alignment == rtl.JUSTIFY
    numbered = [p.text for p in pars if p.text[:2] in ("١.", "٢.")]
    assert numbered == [f"١. {RECS[0]}", f"٢. {RECS[1]}"]
    assert pars[-1].text == "انتهى"
    assert doc.sections[0].footer.paragraphs[0].text.startswith("صفحة")


def test_rtl_checks_hold(report):
    _, doc = report
    assert problems(doc) == []


def test_photo_is_embedded_no_wider_than_the_text(report):
    _, doc = report
    section = doc.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    shapes = doc.inline_shapes
    assert len(shapes) == 1 and 0 < shapes[0].width <= usable
    assert doc.part.related_parts  # the image part is in the package
    assert list(doc.element.body.iter(qn("w:drawing")))


def test_without_photos_and_default_caption(db, tmp_path):
    activity = setup(db, tmp_path)
    path = news_report.write_news_report(db, activity.id, tmp_path / "a.docx",
                                         news_report.NewsReportOptions(photos=False))
    assert not docx.Document(path).inline_shapes
    other = store.insert(db, karbala_workshop())
    attachments.attach(db, "activity", other.id, png(tmp_path / "p.png", 100, 80))
    doc = docx.Document(news_report.write_news_report(db, other.id, tmp_path / "b.docx"))
    assert "جانب من الورشة" in all_text(doc)
    assert doc.inline_shapes[0].width <= doc.sections[0].page_width


def test_attendance_list_gives_the_count_and_western_digits(db, tmp_path):
    activity = setup(db, tmp_path, photo=False)
    for i in range(12):
        person = store.insert(db, records.Person(full_name=f"مشارك رقم {i} محمد علي"))
        attendance.add(db, activity.id, person.id)
    options = news_report.NewsReportOptions(document=rtl.DocumentOptions(
        date_style=dataclasses.replace(rtl.DocumentOptions().date_style, digits="western")))
    doc = docx.Document(news_report.write_news_report(db, activity.id, tmp_path / "c.docx",
                                                      options))
    text = all_text(doc)
    assert "12 مشاركاً" in text and f"1. {RECS[0]}" in text
    assert "23\u00a0تشرين\u00a0الثاني\u00a02026" in text
    assert problems(doc) == []


def test_edited_text_kept_with_the_activity_is_printed(db, tmp_path):
    activity = setup(db, tmp_path, photo=False)
    edited = NewsText("عنوان حرره المنسق", "كربلاء", "مقدمة حررها المنسق.", ["فقرة."],
                      ["توصية محررة"], "انتهى", "وأوصى المشاركون بما يأتي:")
    store.update(db, dataclasses.replace(store.get(db, records.Activity, activity.id),
                                         news_text=edited.to_plain()))
    doc = docx.Document(news_report.write_news_report(db, activity.id, tmp_path / "d.docx"))
    assert [p.text for p in doc.paragraphs if p.text] == [
        "عنوان حرره المنسق", "كربلاء", "مقدمة حررها المنسق.", "فقرة.",
        "وأوصى المشاركون بما يأتي:", "١. توصية محررة", "انتهى"]


def test_failed_write_leaves_nothing_behind(db, tmp_path, full_disk_on_save):
    activity = setup(db, tmp_path, photo=False)
    target = tmp_path / "out.docx"
    target.write_bytes(b"the previous report")

    with pytest.raises(OSError):
        news_report.write_news_report(db, activity.id, target)
    assert target.read_bytes() == b"the previous report"
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


# --- LibreOffice: one conversion for the module ----------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("news-render")
    db = Database.open(tmp / "ittisal.sqlite3", create=True)
    try:
        activity = setup(db, tmp)
        doc, news = news_report.build_news_report(db, activity.id)
        path = news_report.write_news_report(db, activity.id, tmp / "news.docx")
        yield activity, doc, news, to_pdf(path, tmp)
    finally:
        db.close()


@needs_soffice
def test_rendered_body_lines_end_at_the_right_margin(rendered):
    _, doc, news, pdf = rendered
    section = doc.sections[0]
    right_edge = (section.page_width - section.right_margin) / 12700  # EMU → pt
    words = [w for w in pdf_words(pdf) if w["page"] == 1]
    dateline = next(w for w in words if w["text"] == "–")
    caption = next(w for w in words if w["text"] == CAPTION.split()[0])
    # every line from the lead to the last recommendation (justified text, the intro and
    # the numbered list)
    lines = sorted({w["line"] for w in words
                    if dateline["yMin"] + 5 < w["yMin"] < caption["yMin"] - 5})
    assert len(lines) >= 12
    for line in lines:
        on_line = [w for w in words if w["line"] == line]
        assert abs(max(w["xMax"] for w in on_line) - right_edge) < 3, on_line
    # the lead's first word opens its first line on the right (justification may split
    # the word into pieces in pdftotext's output)
    first_line = [w for w in words if w["line"] == lines[0]]
    assert news.lead.startswith(max(first_line, key=lambda w: w["xMax"])["text"])


@needs_soffice
def test_rendered_list_numbers_stand_to_the_right(rendered):
    _, _, _, pdf = rendered
    words = pdf_words(pdf)
    for number, rec in (("١.", RECS[0]), ("٢.", RECS[1])):
        first = next(w for w in words if w["text"] == rec.split()[0])
        line = [w for w in words if w["line"] == first["line"]]
        rightmost = max(line, key=lambda w: w["xMax"])
        assert number.rstrip(".") in rightmost["text"]
        assert rightmost["xMin"] >= first["xMax"] - 1


@needs_soffice
def test_rendered_text_holds_the_source(rendered):
    activity, _, news, pdf = rendered
    # Justified lines come back with spaces inside words, and pdftotext puts a comma or a
    # full stop next to Arabic-Indic digits on the wrong side of them: compare the letters
    # and digits in order, without white space and that punctuation.
    # A range of days (٢٢–٢٣) comes back from pdftotext with its numbers swapped: each
    # range is compared as its set of numbers.
    # The word joiner after a range's dash has no glyph: pdftotext gives nothing for it.
    def letters(text: str) -> str:
        text = text.replace("\u2060", "")
        text = re.sub(r"([٠-٩]+)\s*–\s*([٠-٩]+)",
                      lambda m: "–".join(sorted(m.groups())), comparable(text))
        return re.sub(r"[\s،.:]", "", text)

    text = letters(pdf_text(pdf))
    for source in (news.headline, news.dateline, news.lead, *news.body,
                   news.recommendations_intro, *RECS, CAPTION, "انتهى", activity.place):
        assert letters(source) in text, source
