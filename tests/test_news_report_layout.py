"""The news report as an editor would send it back: a summary that only repeats the lead is
not printed twice, and photos of every shape fit the page with their captions (a third of
the page at most, the caption on the photo's page, two small photos side by side)."""

from __future__ import annotations

import dataclasses
import subprocess

import docx
import pytest
from conftest import karbala_workshop
from docx.oxml.ns import qn
from test_exporters_rtl import comparable, needs_soffice, pdf_words, png, problems, to_pdf

from exporters import news_report
from models import attachments, records, store
from models.db import Database
from models.news import draft_news

A_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/main}graphic"
# Says again what the drafted lead says: who, what, with whom, where and when.
REPEATED = ("أقامت جامعة كربلاء ورشة تطويرية عن أهمية الاتصال الحكومي ودوره في انسيابية "
            "المعلومات بالتعاون مع دائرة الاتصال الحكومي في وزارة التعليم العالي والبحث "
            "العلمي يومي 22 و23 تشرين الثاني 2026.")
NEW = "وأكد المحاضرون ضرورة تبادل التقارير الخبرية بين الدوائر بالسرعة المطلوبة."


def identity(db: Database) -> None:
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(
        unit, ministry="وزارة التعليم العالي والبحث العلمي", directorate="جامعة كربلاء",
        name="شعبة الإعلام والاتصال الحكومي", city="كربلاء"))


def workshop_with(db: Database, tmp, shapes, **changes) -> records.Activity:
    """The seed's two-day Karbala workshop with photos of the given (name, w, h) shapes,
    each captioned «صورة <name>»."""
    identity(db)
    activity = store.insert(db, dataclasses.replace(karbala_workshop(), **changes))
    for name, width, height in shapes:
        attachments.attach(db, "activity", activity.id, png(tmp / f"{name}.png", width, height),
                           caption=f"صورة {name}")
    return activity


def body_paragraph_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


# --- the summary after the lead -------------------------------------------------------------

def test_a_summary_sentence_that_repeats_the_lead_is_left_out(db, tmp_path):
    activity = workshop_with(db, tmp_path, [], summary=f"{REPEATED} {NEW}")
    doc = docx.Document(news_report.write_news_report(db, activity.id, tmp_path / "n.docx"))
    texts = body_paragraph_texts(doc)
    lead = next(t for t in texts if t.startswith("أقامت جامعة كربلاء"))
    assert NEW in texts  # what the summary adds follows the lead
    assert REPEATED not in "\n".join(texts)
    assert sum("انسيابية المعلومات" in t for t in texts) == 2  # headline and lead only
    assert texts.index(NEW) == texts.index(lead) + 1


def test_a_summary_paragraph_that_only_repeats_the_lead_is_dropped_whole(db, tmp_path):
    activity = workshop_with(db, tmp_path, [], summary=f"{REPEATED}\n{NEW}")
    bundle_news = news_report.build_news_report(db, activity.id)[1]
    assert bundle_news.body == [NEW]


def test_a_summary_that_adds_facts_is_kept_whole(db, tmp_path):
    # The seed's summary names who took part (the lead does not): it is printed as typed.
    activity = workshop_with(db, tmp_path, [])
    _, news = news_report.build_news_report(db, activity.id)
    assert news.body == [karbala_workshop().summary]


def test_repetition_is_judged_after_arabic_folding():
    from models.news import beyond_lead, repeats

    lead = "أقامت جامعة كربلاء ورشة عن الاتصال الحكومي يوم ٢٢ تشرين الثاني ٢٠٢٦."
    # other spellings (ا for أ، ه for ة), western digits, attached prepositions
    assert repeats("اقامت جامعه كربلاء ورشه عن الاتصال الحكومي في 22 تشرين الثاني 2026.", lead)
    assert not repeats("وزعت الشهادات على المشاركين في ختام الورشة.", lead)
    assert beyond_lead(["", "..."], lead) == ["..."]  # no words: nothing to judge, kept


def test_an_edited_text_is_printed_as_the_editor_wrote_it(db, tmp_path):
    # The editor chooses: a text edited and kept with the activity is not filtered.
    activity = workshop_with(db, tmp_path, [], summary=REPEATED)
    unit = store.get(db, records.Unit, db.local_unit_id)
    from models import activity_bundle

    draft = draft_news(activity_bundle.load(db, activity.id), unit)
    assert draft.body == []
    kept = f"{draft.headline}\n{draft.dateline}\n\n{draft.lead}\n\n{REPEATED}\n\nانتهى"
    store.update(db, dataclasses.replace(activity, news_text=kept))
    _, news = news_report.build_news_report(db, activity.id)
    # (dates in it may come back with no-break spaces: the wording keeps them together)
    assert [t.replace("\u00a0", " ") for t in news.body] == [REPEATED]


# --- photos ---------------------------------------------------------------------------------

SHAPES = [("عريضة", 3000, 1200), ("طولية", 900, 1400), ("قائمة", 1000, 1500),
          ("نحيلة", 800, 3000), ("مربعة", 1600, 1600)]


def inline_sizes(element) -> list[tuple[int, int]]:
    return [(int(e.get("cx")), int(e.get("cy")))
            for e in element.iter(qn("wp:extent"))]


def test_no_photo_is_taller_than_a_third_of_the_page(db, tmp_path):
    activity = workshop_with(db, tmp_path, SHAPES)
    doc = docx.Document(news_report.write_news_report(db, activity.id, tmp_path / "n.docx"))
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    sizes = inline_sizes(doc.element.body)
    assert len(sizes) == len(SHAPES)
    for (cx, cy), (_, w, h) in zip(sizes, SHAPES, strict=True):
        assert cy <= section.page_height / 3 + 1
        assert cx <= text_width
        assert abs(cx / cy - w / h) < 0.01  # the shape is kept


def test_each_photo_keeps_its_caption_with_it(db, tmp_path):
    activity = workshop_with(db, tmp_path, [("عريضة", 3000, 1200)])
    doc = docx.Document(news_report.write_news_report(db, activity.id, tmp_path / "n.docx"))
    paragraphs = doc.paragraphs
    at = [i for i, p in enumerate(paragraphs) if p._p.find(f".//{A_PIC}") is not None]
    assert len(at) == 1
    picture, after = paragraphs[at[0]], paragraphs[at[0] + 1]
    assert after.text == "صورة عريضة" and after.style.name == "Caption"
    ppr = picture._p.pPr
    assert ppr.find(qn("w:keepNext")) is not None
    assert ppr.find(qn("w:keepLines")) is not None
    assert problems(doc) == []


def test_two_small_photos_stand_side_by_side_in_a_borderless_rtl_table(db, tmp_path):
    activity = workshop_with(db, tmp_path, [("عريضة", 3000, 1200), ("طولية", 900, 1400),
                                            ("صغيرة", 200, 150)])
    doc = docx.Document(news_report.write_news_report(db, activity.id, tmp_path / "n.docx"))
    (table,) = doc.tables
    tbl_pr = table._tbl.tblPr
    assert tbl_pr.find(qn("w:bidiVisual")) is not None  # the first photo on the right
    borders = tbl_pr.find(qn("w:tblBorders"))
    assert {e.get(qn("w:val")) for e in borders} == {"nil"}
    right, left = table.rows[0].cells
    for cell, caption in ((right, "صورة طولية"), (left, "صورة صغيرة")):
        assert len(inline_sizes(cell._tc)) == 1
        texts = [p.text for p in cell.paragraphs if p.text]
        assert texts == [caption]
        assert cell.paragraphs[0]._p.pPr.find(qn("w:keepNext")) is not None
    section = doc.sections[0]
    half = (section.page_width - section.left_margin - section.right_margin) / 2
    assert all(cx <= half for cx, _ in inline_sizes(table._tbl))
    # the wide photo stands alone, before the pair, at the width of the text
    assert len(inline_sizes(doc.element.body)) == 3
    assert problems(doc) == []


def test_a_wide_photo_between_two_small_ones_breaks_the_pair(db, tmp_path):
    activity = workshop_with(db, tmp_path, [("طولية", 900, 1400), ("عريضة", 3000, 1200),
                                            ("قائمة", 1000, 1500)])
    doc = docx.Document(news_report.write_news_report(db, activity.id, tmp_path / "n.docx"))
    assert doc.tables == []


# --- LibreOffice ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("news-photos")
    db = Database.open(tmp / "ittisal.sqlite3", create=True)
    try:
        activity = workshop_with(db, tmp, SHAPES)
        path = news_report.write_news_report(db, activity.id, tmp / "news.docx")
        yield docx.Document(path), to_pdf(path, tmp)
    finally:
        db.close()


def image_pages(pdf) -> list[int]:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True,
                         timeout=60, text=True).stdout.splitlines()
    return [int(line.split()[0]) for line in out[2:] if line.split()[2] == "image"]


@needs_soffice
def test_rendered_photos_fit_and_each_caption_is_on_its_photos_page(rendered):
    _, pdf = rendered
    words = pdf_words(pdf)
    pages = image_pages(pdf)
    assert len(pages) == len(SHAPES)
    assert max(w["page"] for w in words) <= 3  # today's report took eight pages
    for (name, _, _), page in zip(SHAPES, pages, strict=True):
        (caption,) = [w for w in words if comparable(w["text"]) == comparable(name)]
        assert caption["page"] == page, name


@needs_soffice
def test_rendered_small_photos_side_by_side_first_on_the_right(rendered):
    _, pdf = rendered
    words = pdf_words(pdf)
    first = next(w for w in words if comparable(w["text"]) == comparable("طولية"))
    second = next(w for w in words if comparable(w["text"]) == comparable("قائمة"))
    assert (first["page"], round(first["yMin"])) == (second["page"], round(second["yMin"]))
    assert first["xMin"] > second["xMax"]
