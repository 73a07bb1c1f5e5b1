"""The RTL Word layer: the XML checks of a right-to-left document, letterheads, and what
LibreOffice makes of it (skipped only when ``soffice`` is missing)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from exporters import rtl

BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                    "\u2066\u2067\u2068\u2069"))
LATIN_ONLY = re.compile(r"^[A-Za-z0-9\s.,:;/@_+&'()\-]+$")
# pdftotext gives the lam-alef ligature (لا، لأ، لإ، لآ) back in visual order (ال، أل…):
# text is compared with lam and the alefs left out, every other letter in its place.
_LAM_ALEF = re.compile("[لاأإآ]")


def comparable(text: str) -> str:
    """``text`` without lam and alefs and with white space collapsed, for comparing
    rendered text with its source."""
    return " ".join(_LAM_ALEF.sub("", text.translate(BIDI_MARKS)).split())


ARABIC_LINE = "تعقد شعبة الإعلام والاتصال الحكومي ورشتها الشهرية في قاعة المديرية الكبرى"


# --- XML checks (arabic.md, "Checks a test suite can make", 1–7) ---------------------------

def xml_parts(doc) -> dict[str, object]:
    """document, header and footer elements of a python-docx document, by name."""
    parts = {"document": doc.element}
    for i, section in enumerate(doc.sections):
        for kind in ("header", "footer", "first_page_header", "first_page_footer",
                     "even_page_header", "even_page_footer"):
            hf = getattr(section, kind)
            if not hf.is_linked_to_previous:
                parts[f"{kind}{i}"] = hf._element
    return parts


def _styles(doc) -> dict[str, object]:
    return {s.get(qn("w:styleId")): s for s in doc.styles.element.iterchildren(qn("w:style"))}


def _default_paragraph_style(doc) -> str:
    for s in doc.styles.element.iterchildren(qn("w:style")):
        if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true"):
            return s.get(qn("w:styleId"))
    return "Normal"


def resolves_bidi(p, doc) -> bool:
    """Check 1 for one paragraph: w:bidi directly or through its style chain."""
    ppr = p.find(qn("w:pPr"))
    if ppr is not None and ppr.find(qn("w:bidi")) is not None:
        return ppr.find(qn("w:bidi")).get(qn("w:val")) not in ("0", "false")
    styles = _styles(doc)
    style_id = _default_paragraph_style(doc)
    if ppr is not None and ppr.find(qn("w:pStyle")) is not None:
        style_id = ppr.find(qn("w:pStyle")).get(qn("w:val"))
    seen = set()
    while style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        style = styles[style_id]
        bidi = style.find(f"{qn('w:pPr')}/{qn('w:bidi')}")
        if bidi is not None:
            return bidi.get(qn("w:val")) not in ("0", "false")
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    return False


def problems(doc) -> list[str]:
    """Every breach of checks 1–7 in ``doc``, as readable lines (empty: all hold)."""
    found: list[str] = []
    for name, el in xml_parts(doc).items():
        for p in el.iter(qn("w:p")):
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            if not resolves_bidi(p, doc):
                found.append(f"1: {name} paragraph without bidi: {text!r}")
            jc = p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
            if jc is not None and jc.get(qn("w:val")) in ("right", "left", "end", "start"):
                found.append(f"4: {name} bidi paragraph with jc={jc.get(qn('w:val'))}: {text!r}")
        for r in el.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            rpr = r.find(qn("w:rPr"))
            if rpr is None:
                continue
            found += _rpr_problems(rpr, f"{name} run {text!r}")
            if text and LATIN_ONLY.match(text) and rpr.find(qn("w:rtl")) is not None:
                found.append(f"5: {name} Latin-only run with rtl: {text!r}")
        for tbl in el.iter(qn("w:tbl")):
            text = "".join(t.text or "" for t in tbl.iter(qn("w:t")))
            has_bidi_visual = tbl.find(f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None
            if rtl.has_arabic(text) and not has_bidi_visual:
                found.append(f"6: {name} Arabic table without bidiVisual")
    for style in doc.styles.element.iter(qn("w:rPr")):
        found += _rpr_problems(style, "style")
    normal = _styles(doc)["Normal"].find(qn("w:rPr"))
    if normal is None or normal.find(qn("w:rFonts")) is None or \
            not normal.find(qn("w:rFonts")).get(qn("w:cs")):
        found.append("2: Normal has no rFonts/@w:cs")
    if normal is None or normal.find(qn("w:szCs")) is None:
        found.append("2: Normal has no szCs")
    if normal is None or normal.find(qn("w:lang")) is None or \
            not normal.find(qn("w:lang")).get(qn("w:bidi")):
        found.append("2: Normal has no lang/@w:bidi")
    body_sect = doc.element.body.find(qn("w:sectPr"))
    if body_sect is None or body_sect.find(qn("w:bidi")) is None:
        found.append("7: body sectPr without bidi")
    return found


def _rpr_problems(rpr, where: str) -> list[str]:
    found = []
    b = rpr.find(qn("w:b"))
    if b is not None and b.get(qn("w:val")) not in ("0", "false") and \
            rpr.find(qn("w:bCs")) is None:
        found.append(f"3: {where}: b without bCs")
    sz, sz_cs = rpr.find(qn("w:sz")), rpr.find(qn("w:szCs"))
    if sz is not None and (sz_cs is None or sz_cs.get(qn("w:val")) != sz.get(qn("w:val"))):
        found.append(f"3: {where}: sz without an equal szCs")
    return found


def in_schema_order(parent, order: tuple[str, ...]) -> bool:
    """The children of ``parent`` that ``order`` names appear in that order."""
    tags = [qn(t) for t in order]
    seen = [tags.index(c.tag) for c in parent if c.tag in tags]
    return seen == sorted(seen)


# --- fixtures --------------------------------------------------------------------------------

def png(path: Path, width: int, height: int) -> Path:
    """A plain grey PNG of the given size (72 dpi), written without Pillow."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


OPTIONS = dict(ministry="وزارة التعليم العالي والبحث العلمي", directorate="جامعة كربلاء",
               unit="شعبة الإعلام والاتصال الحكومي")


def sample(tmp: Path, **overrides):
    """A document using every helper."""
    logo = png(tmp / "logo.png", 120, 120)
    doc = rtl.new_document(rtl.DocumentOptions(**{**OPTIONS, "logo": logo, **overrides}))
    rtl.paragraph(doc, "التقرير الشهري", style="Heading 1", align=rtl.CENTER)
    rtl.paragraph(doc, ARABIC_LINE + " " + ARABIC_LINE)
    rtl.paragraph(doc, "برنامج ICT Skills 2026 للموظفين", bold=True, size=16)
    rtl.paragraph(doc, "ICT 2026")
    rtl.paragraph(doc, "فقرة مضبوطة", align=rtl.JUSTIFY)
    rtl.rtl_table(doc, ["ت", "الاسم", "الجهة"],
                  [["١", "علي حسين كاظم", "دائرة الصحة"], ["٢", "زينب محمد", "ICT"]],
                  widths=[1, 4, 3])
    rtl.picture(doc, png(tmp / "wide.png", 3000, 600), "صورة من الورشة")
    rtl.page_number_footer(doc.sections[0], "arabic")
    return doc


@pytest.fixture
def doc(tmp_path):
    built = sample(tmp_path)
    out = tmp_path / "sample.docx"
    built.save(out)
    return docx.Document(out)  # what a reader opens, not the object in memory


# --- XML tests -------------------------------------------------------------------------------

def test_all_seven_checks_hold(doc):
    assert problems(doc) == []


def test_every_paragraph_resolves_to_bidi(doc):  # check 1
    paragraphs = [p for el in xml_parts(doc).values() for p in el.iter(qn("w:p"))]
    assert len(paragraphs) > 10
    assert all(resolves_bidi(p, doc) for p in paragraphs)
    assert any(name.startswith("header") for name in xml_parts(doc))
    assert any(name.startswith("footer") for name in xml_parts(doc))


def test_normal_style_carries_the_complex_script_slots(doc):  # check 2
    normal = doc.styles["Normal"].element
    rpr = normal.find(qn("w:rPr"))
    assert rpr.find(qn("w:rFonts")).get(qn("w:cs")) == rtl.DEFAULT_FONT
    assert rpr.find(qn("w:rFonts")).get(qn("w:ascii")) == rtl.DEFAULT_FONT
    assert rpr.find(qn("w:szCs")).get(qn("w:val")) == rpr.find(qn("w:sz")).get(qn("w:val"))
    assert rpr.find(qn("w:lang")).get(qn("w:bidi")) == "ar-IQ"
    assert normal.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None


def test_font_is_an_option(tmp_path):
    built = sample(tmp_path, font="Amiri")
    fonts = built.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:cs")) == "Amiri"


def test_bold_and_size_have_complex_script_twins(doc):  # check 3
    bold_runs = [r for r in doc.element.iter(qn("w:r"))
                 if r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None]
    assert bold_runs
    assert all(r.find(f"{qn('w:rPr')}/{qn('w:bCs')}") is not None for r in bold_runs)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        rpr = doc.styles[name].element.find(qn("w:rPr"))
        assert rpr.find(qn("w:bCs")) is not None
        assert rpr.find(qn("w:rFonts")).get(qn("w:cs")) == rtl.DEFAULT_FONT
        assert rpr.find(qn("w:rFonts")).get(qn("w:cstheme")) is None


def test_no_right_justification_and_no_right_alignment_allowed(doc):  # check 4
    jcs = [jc.get(qn("w:val")) for jc in doc.element.iter(qn("w:jc"))]
    assert "right" not in jcs and "left" not in jcs
    assert "center" in jcs and "both" in jcs
    with pytest.raises(ValueError):
        rtl.paragraph(doc, "نص", align=WD_ALIGN_PARAGRAPH.RIGHT)


def test_latin_runs_carry_no_rtl_and_arabic_runs_do(doc):  # check 5
    runs = {}
    for r in doc.element.body.iter(qn("w:r")):
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        runs.setdefault(text, []).append(r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None)
    assert runs["ICT 2026"] == [False]
    assert runs["ICT Skills 2026"] == [False]
    assert runs["برنامج "] == [True]
    assert runs["ICT"] == [False]  # the table cell


def test_tables_are_visual_right_to_left_with_repeated_header(doc):  # check 6
    body_tables = list(doc.element.body.iter(qn("w:tbl")))
    assert body_tables
    for tbl in body_tables:
        assert tbl.find(f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None
    first_row = body_tables[0].find(qn("w:tr"))
    assert first_row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    header_tables = list(doc.sections[0].header._element.iter(qn("w:tbl")))
    assert header_tables and header_tables[0].find(
        f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None


def test_table_cells_leave_air_above_and_below_their_text(doc):
    # Without it the tall Arabic letters touch the border above (seen in LibreOffice).
    for tbl in doc.element.body.iter(qn("w:tbl")):
        margins = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
        assert margins is not None
        for side in ("top", "bottom"):
            edge = margins.find(qn(f"w:{side}"))
            assert edge.get(qn("w:type")) == "dxa"
            assert int(edge.get(qn("w:w"))) >= 28  # 0.05 cm


def test_body_section_is_right_to_left_a4(doc):  # check 7
    sect = doc.element.body.find(qn("w:sectPr"))
    assert sect.find(qn("w:bidi")) is not None
    assert abs(doc.sections[0].page_width - Cm(21)) < Cm(0.01)
    assert abs(doc.sections[0].page_height - Cm(29.7)) < Cm(0.01)


def test_elements_are_in_schema_order(doc):
    assert in_schema_order(doc.element.body.find(qn("w:sectPr")), (
        "w:headerReference", "w:footerReference", "w:pgSz", "w:pgMar", "w:cols",
        "w:bidi", "w:docGrid"))
    for rpr in doc.styles.element.iter(qn("w:rPr")):
        assert in_schema_order(rpr, rtl._RPR_ORDER)
    for rpr in doc.element.iter(qn("w:rPr")):
        assert in_schema_order(rpr, rtl._RPR_ORDER)
    for ppr in doc.styles.element.iter(qn("w:pPr")):
        assert in_schema_order(ppr, ("w:pStyle", "w:keepNext", "w:keepLines", "w:numPr",
                                     "w:pBdr", "w:tabs", "w:bidi", "w:spacing", "w:ind",
                                     "w:contextualSpacing", "w:jc", "w:outlineLvl", "w:rPr"))
    for tr_pr in doc.element.iter(qn("w:trPr")):
        assert in_schema_order(tr_pr, ("w:cantSplit", "w:trHeight", "w:tblHeader"))
    for tbl_pr in doc.element.iter(qn("w:tblPr")):
        assert in_schema_order(tbl_pr, ("w:tblStyle", "w:bidiVisual", "w:tblW", "w:jc",
                                        "w:tblInd", "w:tblBorders", "w:tblLayout",
                                        "w:tblCellMar", "w:tblLook"))


def test_built_in_letterhead_names_the_unit(doc):
    header = doc.sections[0].header
    text = "\n".join(p.text for t in header.tables for c in t._cells for p in c.paragraphs)
    for line in ("جمهورية العراق", *OPTIONS.values()):
        assert line in text
    assert header._element.findall(f".//{qn('w:drawing')}")  # the logo


def test_page_number_footer_has_fields(doc):
    footer = doc.sections[0].footer._element
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    text = "".join(t.text for t in footer.iter(qn("w:t")))
    assert text == "صفحة ١ من ١"


def test_picture_is_scaled_to_the_text_width(doc):
    section = doc.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    shapes = doc.inline_shapes
    assert shapes and shapes[0].width <= usable
    assert "صورة من الورشة" in [p.text for p in doc.paragraphs]


def test_letterhead_file_keeps_its_header_footer_and_margins(tmp_path):
    plain = docx.Document()
    section = plain.sections[0]
    section.left_margin = section.right_margin = Cm(3.1)
    section.header.paragraphs[0].text = "ترويسة المديرية العامة للتربية"
    section.footer.paragraphs[0].text = "العنوان: كربلاء – شارع الإمام علي"
    plain.add_paragraph("نص في متن الترويسة يُحذف")
    letterhead = tmp_path / "letterhead.docx"
    plain.save(letterhead)

    built = rtl.new_document(rtl.DocumentOptions(letterhead=letterhead, **OPTIONS))
    rtl.paragraph(built, ARABIC_LINE)
    out = tmp_path / "out.docx"
    built.save(out)
    reopened = docx.Document(out)
    sec = reopened.sections[0]
    assert "ترويسة المديرية العامة للتربية" in [p.text for p in sec.header.paragraphs]
    assert "العنوان: كربلاء – شارع الإمام علي" in [p.text for p in sec.footer.paragraphs]
    assert abs(sec.left_margin - Cm(3.1)) < Cm(0.01)
    assert not sec.header.tables  # no built-in letterhead on top of the unit's own
    assert [p.text for p in reopened.paragraphs] == [ARABIC_LINE]
    assert problems(reopened) == []


# --- LibreOffice -----------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


def to_pdf(docx_path: Path, outdir: Path) -> Path:
    """Convert with LibreOffice headless, a throw-away profile and a timeout."""
    profile = outdir / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 0
    return pdf


def pdf_words(pdf: Path) -> list[dict]:
    """Every word with its page and box, text put back in logical order (pdftotext -bbox
    gives Arabic glyph runs in visual order)."""
    from lxml import etree

    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, timeout=60).stdout
    root = etree.fromstring(out, etree.HTMLParser(encoding="utf-8"))
    words = []
    for page_no, page in enumerate(root.iter("page"), start=1):
        for line_no, line in enumerate(page.iter("line")):
            for w in line.iter("word"):
                text = w.text or ""
                logical = text[::-1] if rtl.has_arabic(text) else text
                words.append({"page": page_no, "line": (page_no, line_no), "text": logical,
                              "xMin": float(w.get("xmin")), "xMax": float(w.get("xmax")),
                              "yMin": float(w.get("ymin")),
                              "page_width": float(page.get("width"))})
    return words


def pdf_text(pdf: Path, *args: str) -> str:
    """Plain pdftotext output with bidi marks stripped and white space collapsed."""
    out = subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True,
                         timeout=60).stdout.decode()
    return " ".join(out.translate(BIDI_MARKS).split())


def embedded_arabic_fonts(pdf: Path) -> list[str]:
    """Embedded fonts of the PDF whose family fontconfig says covers Arabic."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                         timeout=60).stdout.decode().splitlines()[2:]
    arabic = subprocess.run(["fc-list", ":lang=ar", "family"], capture_output=True,
                            text=True, timeout=60).stdout
    families = {f.replace(" ", "").lower() for line in arabic.splitlines()
                for f in line.split(",")}
    found = []
    for line in out:
        parts = line.split()
        name = parts[0].split("+")[-1].split("-")[0].lower()
        embedded = len(parts) >= 5 and parts[-5] == "yes"
        if embedded and name in families:
            found.append(name)
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rtl-render")
    built = sample(tmp)
    path = tmp / "sample.docx"
    built.save(path)
    return built, to_pdf(path, tmp)


@needs_soffice
def test_rendered_arabic_lines_end_at_the_right_margin(rendered):
    built, pdf = rendered
    section = built.sections[0]
    right_edge = (section.page_width - section.right_margin) / 12700  # EMU → pt
    words = pdf_words(pdf)
    first_word = ARABIC_LINE.split()[0]
    lines = {w["line"] for w in words if w["text"] == first_word}
    assert lines
    for line in lines:
        line_words = [w for w in words if w["line"] == line]
        assert abs(max(w["xMax"] for w in line_words) - right_edge) < 3
        # and the first word of the sentence is the rightmost of its line
        assert max(line_words, key=lambda w: w["xMax"])["text"] == first_word


@needs_soffice
def test_rendered_table_starts_from_the_right(rendered):
    _, pdf = rendered
    words = pdf_words(pdf)
    number = next(w for w in words if w["text"] == "ت")
    name = next(w for w in words if comparable(w["text"]) == comparable("الاسم"))
    entity = next(w for w in words if comparable(w["text"]) == comparable("الجهة"))
    assert number["xMin"] > name["xMax"] > entity["xMax"]


@needs_soffice
def test_rendered_text_equals_the_source(rendered):
    _, pdf = rendered
    text = comparable(pdf_text(pdf))
    for source in (ARABIC_LINE, "التقرير الشهري", "علي حسين كاظم", "ICT Skills 2026",
                   "جمهورية العراق", OPTIONS["ministry"], OPTIONS["unit"]):
        assert comparable(source) in text


@needs_soffice
def test_rendered_pdf_embeds_an_arabic_font(rendered):
    _, pdf = rendered
    assert embedded_arabic_fonts(pdf)


def test_table_cells_written_directly_are_python_docxs_own():
    """rtl_table writes its cells' XML itself (a yearly report has 23,000 of them): for
    every kind of text (Arabic, Latin, mixed, escaped characters, spaces at the ends,
    empty, a line break) the table is byte for byte what python-docx's setters make."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from lxml import etree

    header = ["ت", "Name", "الملاحظات"]
    rows = [["١", "Ali 2", "علي & <حسن> Ali"], ["٢", "", " سارة "], ["٣", "x\ny", "نص\tمفصول"]]
    doc = rtl.new_document(rtl.DocumentOptions())
    table = rtl.rtl_table(doc, header, rows, center_columns=(0,))
    made = etree.tostring(table._tbl)

    # The same table with empty cells, then each cell's content made again through
    # python-docx's API (its width kept).
    reference = rtl.new_document(rtl.DocumentOptions())
    expected = rtl.rtl_table(reference, header, [[""] * len(header)] * len(rows))
    for r, row in enumerate(expected.rows):
        for c, cell in enumerate(row.cells):
            tc = cell._tc
            for child in list(tc.tcPr)[1:] + list(tc)[1:]:
                child.getparent().remove(child)
            tc.append(tc.makeelement(qn("w:p")))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            rtl._cell_text(cell, (header if r == 0 else rows[r - 1])[c], bold=r == 0,
                           align=rtl.CENTER if r == 0 or c == 0 else None)
    assert made == etree.tostring(expected._tbl)
