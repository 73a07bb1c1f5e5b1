"""Every document's wording, read back from the files a user gets: the seed's two-day
workshop (tests/conftest.py ``karbala_workshop``, ../shared/seeds) held online («عبر الاتصال
المرئي») and in a hall, exported as the news report, the certificates (Word and PDF), the
attendance sheet, the periodic report and the covering letter.

In each: the kind is not said twice before a title that begins with it, no «في» before a
place that brings its own preposition, the two days written «٢٢–٢٣ تشرين الثاني ٢٠٢٦» with
no-break spaces (nowhere can a line end between a day and its month), and a title that
carries its own «» (as the demo's «ورشة عمل بعنوان «…»» do) is never put in a second pair.
Every file is readable by others (0644) and numbers its pages in the unit's digits.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from conftest import karbala_workshop
from lxml import etree

from exporters import attendance_sheet, news_report, periodic_report
from exporters.certificates import export_certificates
from exporters.letter import enclosure_description, write_letter
from models import attendance, records, store
from models.arabic import fold_input

NBSP = "\u00a0"
ONLINE = "عبر الاتصال المرئي"
HALL = "قاعة الإمام الحسين في جامعة كربلاء"
SEED_TITLE = karbala_workshop().title  # begins with its kind: «ورشة تطويرية عن …»
QUOTED_TITLE = "ورشة عمل بعنوان «الإعلام الرقمي وصناعة المحتوى»"  # as the demo's titles
# a word joiner after the dash: no line ends at «٢٢–»
TWO_DAYS = f"٢٢–\u2060٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦"
# A certificate's lines are broken by its page plan, at spaces only: no word joiner.
TWO_DAYS_CERTIFICATE = TWO_DAYS.replace("\u2060", "")
# In a table cell the year may take a line of its own, never the month.
TWO_DAYS_CELL = f"٢٢–\u2060٢٣{NBSP}تشرين{NBSP}الثاني ٢٠٢٦"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MONTHS = ("كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|"
           "تشرين الثاني|كانون الأول")
_MONTH = "|".join(m.replace(" ", "[ \u00a0]") for m in _MONTHS.split("|"))
# A line may end between a day and its month, or inside a month's name.
DAY_MONTH_BREAK = re.compile(rf"[٠-٩0-9]+ (?:{_MONTH})|تشرين (?:الأول|الثاني)|"
                             rf"كانون (?:الأول|الثاني)")
# ... or between a month and its year (allowed in a table cell only).
MONTH_YEAR_BREAK = re.compile(rf"(?:{_MONTH}) [٠-٩0-9]{{4}}")
NESTED_QUOTES = re.compile("«[^»]*«")
_VOWELS = dict.fromkeys(range(0x064B, 0x0653))  # harakat, which pdftotext sets apart


def docx_paragraphs(path: Path) -> tuple[list[str], list[str]]:
    """The text of each paragraph of the document's body, outside and inside tables (an
    explicit line break as a new line)."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    outside, inside = [], []
    for par in root.iter(f"{{{W}}}p"):
        # an explicit line break (the certificate's lines) read as a new line
        text = "".join(el.text or "" if el.tag == f"{{{W}}}t" else "\n"
                       for el in par.iter(f"{{{W}}}t", f"{{{W}}}br"))
        if text.strip():
            in_table = any(a.tag == f"{{{W}}}tc" for a in par.iterancestors())
            (inside if in_table else outside).append(text)
    return outside, inside


def check_wording(text: str, place: str, title: str) -> None:
    """What a document never says about the workshop, wherever it says it."""
    assert "في عبر" not in text, text
    assert not NESTED_QUOTES.search(text), text
    assert "ورشة عمل «ورشة" not in text and "ورشة عمل بعنوان «ورشة" not in text, text
    assert "«ورشة عمل بعنوان" not in text, text  # a quoted title is not quoted again
    assert "من ٢٢" not in text and "إلى ٢٣" not in text, text


def check_sentence(sentence: str, place: str, title: str, two_days: str = TWO_DAYS) -> None:
    """The sentence that names the workshop, its place and its period (its explicit line
    breaks, a certificate's, never inside the period)."""
    check_wording(sentence, place, title)
    assert two_days in sentence, sentence
    sentence = sentence.replace("\n", " ")
    assert not DAY_MONTH_BREAK.search(sentence), sentence
    assert not MONTH_YEAR_BREAK.search(sentence), sentence
    assert f"في {HALL}" in sentence if place == HALL else ONLINE in sentence, sentence
    if title == SEED_TITLE:
        assert sentence.count("ورشة") == 1, sentence  # the title's own word, said once
        assert f"«{SEED_TITLE}»" in sentence or SEED_TITLE in sentence
    else:
        assert sentence.count(QUOTED_TITLE) == 1, sentence


@pytest.fixture(params=[ONLINE, HALL], ids=["online", "hall"])
def place(request) -> str:
    return request.param


@pytest.fixture(params=[SEED_TITLE, QUOTED_TITLE], ids=["seed-title", "quoted-title"])
def title(request) -> str:
    return request.param


@pytest.fixture
def workshop_at(db, place, title) -> records.Activity:
    """The seed's workshop in the given place under the given title, organised by the
    unit, with three attendees."""
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(
        unit, ministry="وزارة التعليم العالي والبحث العلمي", directorate="جامعة كربلاء",
        name="شعبة الإعلام والاتصال الحكومي", city="كربلاء",
        head_name="علي حسين الكعبي", head_title="مدير الشعبة"))
    activity = store.insert(db, dataclasses.replace(
        karbala_workshop(), place=place, title=title,
        organiser="شعبة الإعلام والاتصال الحكومي"))
    for name, gender, entity in (("زينب علي حسين الأسدي", "f", "مديرية تربية كربلاء"),
                                 ("محمد جاسم كاظم الموسوي", "m", "مديرية صحة كربلاء"),
                                 ("عبد الله آل إبراهيم العلاق", "m", "جامعة كربلاء")):
        person = store.insert(db, records.Person(full_name=name, gender=gender,
                                                 entity=entity, job_title="موظف"))
        attendance.add(db, activity.id, person.id)
    return activity


def test_the_news_report(db, tmp_path, workshop_at, place, title):
    path = news_report.write_news_report(db, workshop_at.id, tmp_path / "خبر.docx")
    paragraphs, _ = docx_paragraphs(path)
    check_wording("\n".join(paragraphs), place, title)
    lead = next(p for p in paragraphs if p.startswith("أقامت "))
    check_sentence(lead, place, title)
    assert f"لمدة يومين، {TWO_DAYS}" in lead
    dateline = paragraphs[1]
    assert dateline == f"كربلاء –{NBSP}٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦"


def test_the_certificates_in_word(db, tmp_path, workshop_at, place, title):
    path = export_certificates(db, workshop_at.id, tmp_path / "شهادات.docx")
    paragraphs, cells = docx_paragraphs(path)
    text = "\n".join(paragraphs + cells)
    check_wording(text, place, title)
    sentences = [t for t in paragraphs + cells if "لمشارك" in t]
    assert len(sentences) == 3  # one a certificate
    for sentence in sentences:
        check_sentence(sentence, place, title, TWO_DAYS_CERTIFICATE)
    issued = [t for t in paragraphs + cells if t.startswith("تحريراً في ")]
    assert issued and not any(DAY_MONTH_BREAK.search(t) for t in issued), issued


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_certificates_in_pdf(db, tmp_path, qapp, workshop_at, place, title):
    from tests.test_exporters_rtl import pdf_text

    path = export_certificates(db, workshop_at.id, tmp_path / "شهادات.pdf")
    # pdftotext gives the words in reading order but a run of digits in visual order
    # ("٢٣–٢٢"), spaces around numbers its own way, and harakat apart: compared folded,
    # without harakat, as a search does.
    found = " ".join(fold_input(pdf_text(path), multiline=True).translate(_VOWELS).split())
    assert found.count("تقديرا لمشارك") == 3, found
    check_wording(found, place, title)
    assert found.count("للمدة ٢٣–٢٢تشرين الثاني .٢٠٢٦") == 3, found
    assert found.count(f"في {HALL}" if place == HALL else ONLINE) == 3, found
    if title == SEED_TITLE:
        assert found.count("ورشة") == 3  # one a page: the title's own word
    else:
        assert found.count(QUOTED_TITLE) == 3, found


def test_the_attendance_sheet(db, tmp_path, workshop_at, place, title):
    path = attendance_sheet.write_attendance_sheet(db, workshop_at.id, tmp_path / "كشف.docx")
    paragraphs, cells = docx_paragraphs(path)
    check_wording("\n".join(paragraphs + cells), place, title)
    facts = next(p for p in paragraphs if p.startswith("التاريخ: "))
    assert facts.startswith(f"التاريخ: {TWO_DAYS} ")
    assert f"المكان: {place}" in facts  # a label: the place as typed
    assert not DAY_MONTH_BREAK.search(facts) and not MONTH_YEAR_BREAK.search(facts)
    headings = [c for c in cells if c.startswith("التوقيع")]
    assert headings == [f"التوقيع\nالأحد ٢٢{NBSP}تشرين{NBSP}الثاني",
                        f"التوقيع\nالاثنين ٢٣{NBSP}تشرين{NBSP}الثاني"]


def test_the_periodic_report(db, tmp_path, workshop_at, place, title):
    options = periodic_report.PeriodicReportOptions(charts=False)
    path = periodic_report.write_periodic_report(db, "2026-11-01", "2026-11-30",
                                                 tmp_path / "شهري.docx", options)
    paragraphs, cells = docx_paragraphs(path)
    check_wording("\n".join(paragraphs + cells), place, title)
    for text in paragraphs:
        assert not DAY_MONTH_BREAK.search(text), text
        assert not MONTH_YEAR_BREAK.search(text), text
    for text in cells:
        assert not DAY_MONTH_BREAK.search(text), text
    assert TWO_DAYS_CELL in cells  # the table's date cell
    assert place in cells
    facts = next(p for p in paragraphs if p.startswith("التاريخ: "))
    assert facts.startswith(f"التاريخ: {TWO_DAYS}\n")
    assert f"المكان: {place}" in facts
    # The title as typed, once per mention, its own quotes kept and never doubled.
    assert sum(title in t for t in paragraphs + cells) == 2  # the table, the section


def test_the_covering_letter(db, tmp_path, workshop_at, place, title):
    news = news_report.write_news_report(db, workshop_at.id, tmp_path / "خبر.docx")
    path = tmp_path / "كتاب.docx"
    write_letter(db, path, subject="التقرير الخبري عن ورشة يومي 22–23 تشرين الثاني 2026",
                 enclosures=[enclosure_description(news)], date="2026-11-24")
    paragraphs, cells = docx_paragraphs(path)
    text = "\n".join(paragraphs + cells)
    check_wording(text, place, title)
    subject = next(p for p in paragraphs if p.startswith("م/ "))
    assert subject == f"م/ التقرير الخبري عن ورشة يومي {TWO_DAYS}"  # digits as the unit's
    enclosure = next(p for p in paragraphs if p.startswith("١. "))
    quoted = f"«{SEED_TITLE}»" if title == SEED_TITLE else QUOTED_TITLE
    assert enclosure == f"١. التقرير الخبري عن {quoted}"
    with zipfile.ZipFile(path) as package:
        header = "".join(etree.fromstring(package.read(name)).xpath(
            "string(.)") for name in package.namelist() if name.startswith("word/header"))
    assert f"التاريخ: ٢٤{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦" in header


# --- every kind of document: its file and its pages ------------------------------------------

def every_document(db, activity: records.Activity, folder: Path) -> dict[str, Path]:
    """Each kind of document the app exports, written into ``folder``."""
    news = news_report.write_news_report(db, activity.id, folder / "news.docx")
    out = {
        "news": news,
        "attendance": attendance_sheet.write_attendance_sheet(db, activity.id,
                                                              folder / "attendance.docx"),
        "periodic": periodic_report.write_periodic_report(
            db, "2026-11-01", "2026-11-30", folder / "periodic.docx",
            periodic_report.PeriodicReportOptions(charts=False)),
        "certificates.docx": export_certificates(db, activity.id, folder / "c.docx"),
        "certificates.pdf": export_certificates(db, activity.id, folder / "c.pdf"),
    }
    out["letter"] = folder / "letter.docx"
    write_letter(db, out["letter"], subject="تقرير", enclosures=[enclosure_description(news)])
    return out


@pytest.mark.parametrize("place", [HALL], ids=["hall"], indirect=True)
@pytest.mark.parametrize("title", [SEED_TITLE], ids=["seed-title"], indirect=True)
def test_every_document_is_readable_by_others_whatever_the_umask(db, tmp_path, qapp,
                                                                  workshop_at):
    # A strict umask must not make a document private: a letter was once written with
    # mode 0600 (a temporary file renamed into place) while the others were 0644.
    old = os.umask(0o077)
    try:
        written = every_document(db, workshop_at, tmp_path)
    finally:
        os.umask(old)
    modes = {kind: oct(stat.S_IMODE(path.stat().st_mode)) for kind, path in written.items()}
    assert modes == dict.fromkeys(written, oct(0o644))


@pytest.mark.parametrize("place", [HALL], ids=["hall"], indirect=True)
@pytest.mark.parametrize("title", [SEED_TITLE], ids=["seed-title"], indirect=True)
@pytest.mark.parametrize(("digits", "one"), [("arabic", "١"), ("western", "1")])
def test_every_report_and_the_letter_number_their_pages_in_the_units_digits(
        db, tmp_path, qapp, workshop_at, digits, one):
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, digits=digits))
    written = every_document(db, workshop_at, tmp_path)
    for kind in ("news", "attendance", "periodic", "letter"):
        with zipfile.ZipFile(written[kind]) as package:
            footers = [etree.fromstring(package.read(n)) for n in package.namelist()
                       if n.startswith("word/footer")]
        instructions = [t.text.strip() for f in footers for t in f.iter(f"{{{W}}}instrText")]
        assert instructions == ["PAGE", "NUMPAGES"], kind
        text = "".join(t.text or "" for f in footers for t in f.iter(f"{{{W}}}t"))
        assert text == f"صفحة {one} من {one}", (kind, text)
