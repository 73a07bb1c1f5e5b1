"""The official covering letter: every part in its place (Iraqi practice, domain.md), the
right-to-left checks, numbering and the outbox, and LibreOffice's rendering of it."""

from __future__ import annotations

import dataclasses
import hashlib

import docx
import pytest
from docx.oxml.ns import qn

from exporters import letter as letter_export
from models import letters, records, store
from models.letters import LetterError
from tests.privileges import can_act_as_user, without_root_powers
from tests.test_exporters_rtl import (
    comparable,
    needs_soffice,
    pdf_text,
    pdf_words,
    png,
    problems,
    to_pdf,
)

HEAD = "د. علي حسين الموسوي"
TITLE = "مدير الشعبة"
SUBJECT = "التقرير الدوري لشهر تشرين الثاني"
REPORT = "التقرير الدوري لشهر تشرين الثاني.docx"


def held(text: str) -> str:
    """A month name of two words as the letter prints it: held by a no-break space."""
    return text.replace("تشرين الثاني", "تشرين\u00a0الثاني")
COPY = "قسم الإعلام والعلاقات العامة / للتفضل بالاطلاع مع الأوليات"


@pytest.fixture
def unit(db, tmp_path):
    current = store.get(db, records.Unit, db.local_unit_id)
    return store.update(db, dataclasses.replace(
        current, ministry="وزارة التعليم العالي والبحث العلمي", directorate="جامعة كربلاء",
        name="شعبة الإعلام والاتصال الحكومي", head_name=HEAD, head_title=TITLE,
        hijri=True, signature_path=str(png(tmp_path / "seal.png", 200, 120))))


def write(db, path, **kw):
    values = dict(subject=SUBJECT, enclosures=[REPORT], date="2026-11-23")
    values.update(kw)
    return letter_export.write_letter(db, path, **values)


def paragraphs_in_order(doc) -> list[str]:
    """The text of every paragraph, header first, then the body, in document order."""
    texts = []
    for part in (doc.sections[0].header._element, doc.element.body):
        for p in part.iter(qn("w:p")):
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            if text.strip():
                texts.append(text)
    return texts


def index_of(texts: list[str], needle: str) -> int:
    return next(i for i, t in enumerate(texts) if needle in t)


def test_every_part_in_the_order_of_the_layout(db, unit, tmp_path):
    path = tmp_path / "letter.docx"
    sent = write(db, path, copies=[COPY, "الحفظ"])
    doc = docx.Document(path)
    texts = paragraphs_in_order(doc)
    parts = ["جمهورية العراق", unit.ministry, unit.directorate, unit.name,
             "العدد: ١", "التاريخ: ٢٣\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦", "الموافق:", "هـ",
             "إلى / مركز المعلومات الموحد", f"م/ {held(SUBJECT)}", "تحية طيبة",
             "نرفق لكم طياً", HEAD, TITLE, "المرفقات:", f"١. {held(REPORT)}",
             "نسخة منه إلى:", f"- {COPY}", "- الحفظ"]
    positions = [index_of(texts, part) for part in parts]
    assert positions == sorted(positions), list(zip(parts, positions, strict=True))
    body = next(t for t in texts if "نرفق لكم طياً" in t)
    assert "للتفضل بالاطلاع" in body and body.endswith("مع التقدير.")
    assert sent.body == body


def test_subject_is_bold_and_underlined(db, unit, tmp_path):
    path = tmp_path / "letter.docx"
    write(db, path)
    doc = docx.Document(path)
    subject = next(p for p in doc.paragraphs if p.text.startswith("م/"))
    for run in subject.runs:
        rpr = run._r.rPr
        assert rpr.find(qn("w:b")) is not None and rpr.find(qn("w:bCs")) is not None
        assert run.font.underline is True


def test_number_and_date_sit_in_the_letterheads_left_cell(db, unit, tmp_path):
    path = tmp_path / "letter.docx"
    write(db, path)
    table = docx.Document(path).sections[0].header.tables[0]
    right, _middle, left = table.rows[0].cells
    assert table._tbl.tblPr.find(qn("w:bidiVisual")) is not None  # third cell is the left
    assert "العدد: ١" in left.text and "التاريخ:" in left.text and "هـ" in left.text
    assert "جمهورية العراق" in right.text


def test_without_hijri_there_is_no_hijri_line(db, unit, tmp_path):
    store.update(db, dataclasses.replace(unit, hijri=False))
    path = tmp_path / "letter.docx"
    write(db, path)
    assert "الموافق" not in "\n".join(paragraphs_in_order(docx.Document(path)))


def test_signature_image_sits_in_the_signature_block(db, unit, tmp_path):
    path = tmp_path / "letter.docx"
    write(db, path)
    doc = docx.Document(path)
    signature = next(t for t in doc.tables if HEAD in t._tbl.xml)
    assert signature._tbl.find(".//" + qn("w:drawing")) is not None
    right, left = signature.rows[0].cells
    assert HEAD in left.text and TITLE in left.text and not right.text.strip()


def test_all_right_to_left_checks_hold(db, unit, tmp_path):
    path = tmp_path / "letter.docx"
    write(db, path, copies=[COPY])
    assert problems(docx.Document(path)) == []


def test_addressee_and_copies_can_be_given(db, unit, tmp_path):
    path = tmp_path / "letter.docx"
    sent = write(db, path, addressee="دائرة الاتصال الحكومي", copies=["الحفظ", "الصادرة"],
                 body="نص مكتوب باليد.")
    texts = paragraphs_in_order(docx.Document(path))
    assert "إلى / دائرة الاتصال الحكومي" in texts and "نص مكتوب باليد." in texts
    assert "- الصادرة" in texts
    assert (sent.addressee, sent.copies) == ("دائرة الاتصال الحكومي", ["الحفظ", "الصادرة"])


def test_default_copy_list_is_the_units_or_hifz(db, unit, tmp_path):
    assert write(db, tmp_path / "a.docx").copies == ["الحفظ"]
    db.set_setting(letters.COPIES_SETTING, "مكتب المدير العام\nالحفظ\n")
    assert write(db, tmp_path / "b.docx").copies == ["مكتب المدير العام", "الحفظ"]


def test_recorded_in_the_outbox_with_the_files_sha256(db, unit, tmp_path):
    first = write(db, tmp_path / "first.docx")
    second = write(db, tmp_path / "second.docx")
    assert (first.number, second.number) == (1, 2)
    sent = letters.outbox(db, 2026)
    assert [(x.number, x.file_name, x.subject) for x in sent] == [
        (1, "first.docx", SUBJECT), (2, "second.docx", SUBJECT)]
    for x in sent:
        assert x.sha256 == hashlib.sha256((tmp_path / x.file_name).read_bytes()).hexdigest()
    assert "العدد: ٢" in paragraphs_in_order(docx.Document(tmp_path / "second.docx"))


def test_a_file_that_cannot_be_written_uses_no_number(db, unit, tmp_path):
    with pytest.raises(LetterError) as err:
        write(db, tmp_path / "missing-folder" / "letter.docx")
    assert "لم يُستهلك رقم" in err.value.arabic and "No number" in err.value.english
    assert letters.outbox(db) == [] and letters.next_number(db, 2026) == 1
    assert list(tmp_path.glob("**/*.tmp")) == []


@pytest.mark.skipif(not can_act_as_user(), reason="permission bits as root: Linux only")
def test_an_unwritable_folder_leaves_nothing_behind(db, unit, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(LetterError), without_root_powers():  # root obeys the bits too
            write(db, folder / "letter.docx")
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == [] and letters.next_number(db, 2026) == 1


def test_the_units_letterhead_file_gets_a_number_block_in_the_body(db, unit, tmp_path):
    head = docx.Document()
    head.sections[0].header.paragraphs[0].text = "HEADER OF THE UNIT"
    letterhead = tmp_path / "letterhead.docx"
    head.save(letterhead)
    store.update(db, dataclasses.replace(unit, letterhead_path=str(letterhead)))
    path = tmp_path / "letter.docx"
    write(db, path)
    doc = docx.Document(path)
    assert "HEADER OF THE UNIT" in doc.sections[0].header.paragraphs[0].text
    first = doc.tables[0]
    assert "العدد: ١" in first.rows[0].cells[1].text  # the left cell
    texts = paragraphs_in_order(doc)
    assert index_of(texts, "العدد:") < index_of(texts, "إلى /") < index_of(texts, "م/")
    assert problems(doc) == []


@needs_soffice
def test_rendered_to_line_at_the_right_margin_and_signature_on_the_left(db, unit, tmp_path):
    path = tmp_path / "letter.docx"
    write(db, path, copies=[COPY])
    doc = docx.Document(path)
    pdf = to_pdf(path, tmp_path)
    section = doc.sections[0]
    right_edge = (section.page_width - section.right_margin) / 12700
    half = section.page_width / 12700 / 2
    words = pdf_words(pdf)
    to_word = next(w for w in words if w["text"] == "إلى")
    line = [w for w in words if w["line"] == to_word["line"]]
    assert abs(max(w["xMax"] for w in line) - right_edge) < 3
    assert max(line, key=lambda w: w["xMax"])["text"] == "إلى"
    head_words = [w for w in words if w["text"] in HEAD.split() or w["text"] in TITLE.split()]
    assert head_words and all(w["xMax"] < half for w in head_words)
    text = comparable(pdf_text(pdf))
    for source in ("مركز المعلومات الموحد", SUBJECT, HEAD[3:], TITLE, "المرفقات", REPORT[:-5]):
        assert comparable(source) in text
    assert max(w["page"] for w in words) == 1


def test_digits_typed_in_the_subject_follow_the_units_digits(db, unit, tmp_path):
    write(db, tmp_path / "a.docx", subject="التقرير الشهري لشهر 11 سنة 2026")
    texts = paragraphs_in_order(docx.Document(tmp_path / "a.docx"))
    assert "م/ التقرير الشهري لشهر ١١ سنة ٢٠٢٦" in texts
    store.update(db, dataclasses.replace(unit, digits="western"))
    write(db, tmp_path / "b.docx", subject="التقرير الشهري لشهر ١١ سنة ٢٠٢٦")
    texts = paragraphs_in_order(docx.Document(tmp_path / "b.docx"))
    assert "م/ التقرير الشهري لشهر 11 سنة 2026" in texts


def test_the_number_blocks_cell_is_only_as_wide_as_the_block(db, unit, tmp_path):
    store.update(db, dataclasses.replace(unit, hijri=False))
    path = tmp_path / "letter.docx"
    write(db, path)
    doc = docx.Document(path)
    table = doc.sections[0].header.tables[0]
    grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    section = doc.sections[0]
    text_twips = (section.page_width - section.left_margin - section.right_margin) / 635
    # the left (third, in a bidiVisual table) cell: far narrower than the 40 % it had
    assert grid[2] < 0.33 * text_twips
    assert abs(sum(grid) - text_twips) < 5
    assert [c.width for c in table.rows[0].cells] == [g * 635 for g in grid]


def _with_letterhead_file(db, unit, tmp_path):
    head = docx.Document()
    head.sections[0].header.paragraphs[0].text = "HEADER OF THE UNIT"
    letterhead = tmp_path / "letterhead.docx"
    head.save(letterhead)
    store.update(db, dataclasses.replace(unit, letterhead_path=str(letterhead)))


@needs_soffice
@pytest.mark.parametrize("letterhead", [False, True], ids=["built-in", "unit-file"])
def test_rendered_number_block_stands_in_the_top_left_corner(db, unit, tmp_path,
                                                             letterhead):
    unit = store.update(db, dataclasses.replace(unit, hijri=False))
    if letterhead:
        _with_letterhead_file(db, unit, tmp_path)
    path = tmp_path / "letter.docx"
    write(db, path)
    section = docx.Document(path).sections[0]
    left_margin = section.left_margin / 12700  # EMU → pt
    words = [w for w in pdf_words(to_pdf(path, tmp_path)) if w["page"] == 1]
    half = words[0]["page_width"] / 2
    labels = {comparable(x) for x in ("العدد", "التاريخ")}
    lines = {w["line"] for w in words
             if comparable(w["text"].strip(":")) in labels and w["xMax"] < half}
    assert len(lines) == 2  # number, date
    block = [w for w in words if w["line"] in lines and w["xMax"] < half]
    # The block's longest line starts at the left margin: within the cell's own margin
    # (0.19 cm) and what measuring with a wider face adds (the cell was 6.8 cm wide and
    # the block stood 1.7 cm off the margin).
    assert -1 < min(w["xMin"] for w in block) - left_margin < 18
    to_word = next(w for w in words if w["text"] == "إلى")
    assert max(w["yMin"] for w in block) < to_word["yMin"]  # at the top of the page
