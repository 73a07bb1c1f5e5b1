"""The right-to-left Word layer every Ittisal document is built with (python-docx + oxml).

python-docx has no API for paragraph ``w:bidi``, ``w:rFonts/@w:cs``, ``w:szCs``,
``w:lang/@w:bidi`` or section ``w:bidi``; this module adds them through the oxml layer, in
schema order (``insert_element_before`` with each element's successors, never ``append``).
Direction is set once, in the styles: Normal carries ``w:bidi`` and the complex-script
font, size and language, and every other style (headings, table text, header, footer,
caption, lists) is based on it. Helpers never write ``w:jc="right"``: in a ``w:bidi``
paragraph that means the *left* edge; right-aligned Arabic is simply unaligned.
Runs that hold Arabic carry ``w:rtl``; runs of only Latin letters and digits never do.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_DIRECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Emu, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from exporters import docx_template
from models import attachments, file_checks
from models.arabic import apply_digits
from models.dates import DateStyle
from models.db import Database
from models.file_checks import FileCheckError
from models.records import Unit

__all__ = [
    "CENTER",
    "JUSTIFY",
    "TABLE_TEXT_STYLE",
    "TITLE_STYLE",
    "DocumentOptions",
    "add_text",
    "check_letterhead",
    "has_arabic",
    "letterhead_table",
    "new_document",
    "page_number_footer",
    "paragraph",
    "picture",
    "rtl_table",
    "set_bidi",
    "word_image",
]

# "Simplified Arabic" ships with Office on Windows, so the file looks right where it is
# read. LibreOffice elsewhere substitutes through fontconfig (DejaVu Sans, which has
# Arabic, on a bare Linux); installing Amiri or passing font="Amiri" gives a closer look.
DEFAULT_FONT = "Simplified Arabic"
BIDI_LANG = "ar-IQ"
TABLE_TEXT_STYLE = "Table Text"
# A document's own title: python-docx's built-in "Title" carries letter spacing and a blue
# rule under it, which LibreOffice draws through the Arabic text (it reads as struck out).
TITLE_STYLE = "Document Title"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
_ALLOWED_ALIGN = (None, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY,
                  WD_ALIGN_PARAGRAPH.DISTRIBUTE)

# --- schema order (ECMA-376 Part 1, §17.3.1.26 pPr, §17.3.2.28 rPr, §17.6.17 sectPr) --------

_PPR_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)
_SECTPR_AFTER_BIDI = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
_TRPR_AFTER_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del",
                      "w:trPrChange")
_TRPR_AFTER_CANTSPLIT = ("w:trHeight", "w:tblHeader") + _TRPR_AFTER_HEADER
_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                        "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_STYLE_AFTER_PPR = ("w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")
_STYLE_AFTER_RPR = ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")

_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Arabic letters and digits (Arabic, Supplement, Extended-A, presentation forms).
# What XML 1.0 cannot hold (controls other than tab and line ends, lone surrogates, the
# two non-characters): lxml refuses the whole document for one of them. Text saved through
# the models never has them, but a database written by other means (an old version, a
# copy edited by hand) may, and one such character must not cost the user the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# A stretch of Latin script inside Arabic text: starts and ends on a Latin letter or digit,
# may hold spaces and common punctuation between, but no Arabic.
_LATIN_STRETCH = re.compile(
    r"[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f .,:;/@_+&'\-]*[A-Za-z0-9\u00c0-\u024f]"
    r"|[A-Za-z\u00c0-\u024f]"
)


def has_arabic(text: str) -> bool:
    """True when ``text`` holds at least one Arabic letter or Arabic-Indic digit."""
    return _ARABIC.search(text) is not None


# --- options ------------------------------------------------------------------------------

#: The top margin a page needs below the built-in letterhead.
LETTERHEAD_TOP_CM = 4.2


@dataclass
class DocumentOptions:
    """How a document looks: font, size, dates and digits, and whose letterhead it carries.

    ``letterhead`` is a ``.docx`` to start from (its header, footer, margins and styles are
    kept); without one, the built-in letterhead shows ``ministry``/``directorate``/``unit``
    on the right and ``logo`` (when given) in the middle of the page header.
    """

    font: str = DEFAULT_FONT
    size: float = 14.0
    date_style: DateStyle = field(default_factory=DateStyle)
    letterhead: Path | None = None
    ministry: str = ""
    directorate: str = ""
    unit: str = ""
    logo: Path | None = None
    country: str = "جمهورية العراق"
    margins_cm: tuple[float, float, float, float] = (2.0, 2.0, 2.0, 2.0)  # top right bottom left
    landscape: bool = False
    #: The file's core properties (Word's File > Info): its title, and its author (the
    #: unit's name when empty). Without a title, :func:`page_number_footer` takes the
    #: document's first line.
    title: str = ""
    author: str = ""

    @property
    def digits(self) -> str:
        """The digit style ("arabic" or "western") the unit asks for."""
        return self.date_style.digits

    @classmethod
    def from_unit(cls, unit: Unit, db: Database | Path | str | None = None,
                  **overrides) -> DocumentOptions:
        """Options from the unit's identity and preferences (letterhead, logo, dates).

        With ``db`` (the database, or its file's path) the stored letterhead and logo are
        found through :func:`models.attachments.resolve`, relative to the database's
        folder whatever the current directory; a file that is set but missing raises
        :class:`~models.file_checks.FileCheckError` naming the setting (a document never
        quietly leaves the unit's letterhead or logo out). Their contents are checked when
        the document is made (:func:`new_document`). Without ``db`` the references are
        taken as they are (absolute paths)."""
        def stored(ref: str, setting: str) -> Path | None:
            if db is None:
                return Path(ref) if ref else None
            return attachments.stored(db, ref, setting, check=None)

        values = {
            "date_style": DateStyle(months=unit.months or "iraqi",
                                    digits=unit.digits or "arabic", hijri=bool(unit.hijri)),
            "country": unit.state,  # the state line; "" prints none
            "ministry": unit.ministry,
            "directorate": unit.directorate,
            "unit": unit.name,
        }
        if "letterhead" not in overrides:
            values["letterhead"] = stored(unit.letterhead_path, "letterhead")
        if "logo" not in overrides:
            values["logo"] = stored(unit.logo_path, "logo")
        values.update(overrides)
        return cls(**values)


# --- low-level oxml helpers ---------------------------------------------------------------

def _child(parent, tag: str, successors: Sequence[str]):
    """The ``tag`` child of ``parent``, created in schema order when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.insert_element_before(found, *successors)
    return found


def _rpr_child(rpr, tag: str):
    return _child(rpr, tag, _RPR_ORDER[_RPR_ORDER.index(tag) + 1:])


def _on(rpr, tag: str) -> None:
    """Switch a toggle property (``w:b``, ``w:bCs``…) on."""
    el = _rpr_child(rpr, tag)
    if el.get(qn("w:val")) is not None:
        del el.attrib[qn("w:val")]


def _set_fonts(rpr, font: str) -> None:
    fonts = _rpr_child(rpr, "w:rFonts")
    for attr in _THEME_FONT_ATTRS:  # a theme font would win over the named one
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), font)


def _set_size(rpr, half_points: int) -> None:
    _rpr_child(rpr, "w:sz").set(qn("w:val"), str(half_points))
    _rpr_child(rpr, "w:szCs").set(qn("w:val"), str(half_points))


def _complete_rpr(rpr) -> None:
    """Complex-script twins: ``w:bCs`` beside ``w:b``, ``w:iCs`` beside ``w:i``, ``w:szCs``
    equal to ``w:sz``."""
    for plain, cs in (("w:b", "w:bCs"), ("w:i", "w:iCs")):
        el = rpr.find(qn(plain))
        if el is not None:
            twin = _rpr_child(rpr, cs)
            val = el.get(qn("w:val"))
            if val is None:
                twin.attrib.pop(qn("w:val"), None)
            else:
                twin.set(qn("w:val"), val)
    sz = rpr.find(qn("w:sz"))
    if sz is not None:
        _rpr_child(rpr, "w:szCs").set(qn("w:val"), sz.get(qn("w:val")))


def set_bidi(ppr) -> None:
    """Put ``w:bidi`` in a paragraph-properties element, in schema order."""
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_PPR_AFTER_BIDI)


def _style_ppr(style_el):
    return _child(style_el, "w:pPr", _STYLE_AFTER_PPR)


def _style_rpr(style_el):
    return _child(style_el, "w:rPr", _STYLE_AFTER_RPR)


# --- document and styles ------------------------------------------------------------------

def _rtl_styles(doc: Document, options: DocumentOptions) -> None:
    styles = doc.styles
    half_points = round(options.size * 2)
    # Document defaults: drop theme fonts, give the complex-script slot our font.
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            _set_fonts(rpr, options.font)
            _complete_rpr(rpr)
            _rpr_child(rpr, "w:lang").set(qn("w:bidi"), BIDI_LANG)

    normal = styles["Normal"].element
    set_bidi(_style_ppr(normal))
    rpr = _style_rpr(normal)
    _set_fonts(rpr, options.font)
    _set_size(rpr, half_points)
    _rpr_child(rpr, "w:lang").set(qn("w:bidi"), BIDI_LANG)

    for name, size in (("Heading 1", options.size + 4), ("Heading 2", options.size + 2),
                       ("Heading 3", options.size + 1), ("Title", options.size + 8),
                       ("Caption", options.size - 3)):
        try:
            style_el = styles[name].element
        except KeyError:
            continue
        srpr = _style_rpr(style_el)
        _set_fonts(srpr, options.font)
        _set_size(srpr, round(size * 2))
        color = srpr.find(qn("w:color"))
        if color is not None:  # theme blues read as Word's default, not an official paper
            srpr.remove(color)
        if name.startswith("Heading") or name == "Title":
            _on(srpr, "w:b")
        _complete_rpr(srpr)
    # Every other style keeps its own look but gets the complex-script twins.
    for style_el in styles.element.iterchildren(qn("w:style")):
        srpr = style_el.find(qn("w:rPr"))
        if srpr is not None:
            _complete_rpr(srpr)

    if TABLE_TEXT_STYLE not in [s.name for s in styles]:
        table_text = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = styles["Normal"]
        table_text.paragraph_format.space_before = Pt(0)
        table_text.paragraph_format.space_after = Pt(0)
        table_text.paragraph_format.line_spacing = 1.0
        _set_size(_style_rpr(table_text.element), round((options.size - 3) * 2))
    if TITLE_STYLE not in [s.name for s in styles]:
        title = styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        title.base_style = styles["Normal"]
        title.next_paragraph_style = styles["Normal"]
        title.paragraph_format.alignment = CENTER
        title.paragraph_format.space_before = Pt(0)
        title.paragraph_format.space_after = Pt(6)
        title.paragraph_format.keep_with_next = True
        title_rpr = _style_rpr(title.element)
        _set_size(title_rpr, round((options.size + 4) * 2))
        _on(title_rpr, "w:b")
        _complete_rpr(title_rpr)
    for name in ("Header", "Footer"):
        if name not in [s.name for s in styles]:
            added = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            added.base_style = styles["Normal"]


def _rtl_section(section: Section) -> None:
    sect_pr = section._sectPr
    if sect_pr.find(qn("w:bidi")) is None:
        sect_pr.insert_element_before(OxmlElement("w:bidi"), *_SECTPR_AFTER_BIDI)


def _clear_body(doc: Document) -> None:
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def check_letterhead(path: Path | str) -> None:
    """Raise :class:`~models.file_checks.FileCheckError` unless ``path`` is a letterhead
    documents can be built on: :func:`models.file_checks.check_letterhead` (safe to read),
    then python-docx opens it and reads its sections, headers and footers."""
    path = Path(path)
    file_checks.check_letterhead(path)
    try:
        doc = docx.Document(str(path))
        for section in doc.sections:
            for part in (section.header, section.footer, section.first_page_header,
                         section.first_page_footer, section.even_page_header,
                         section.even_page_footer):
                if not part.is_linked_to_previous:
                    part.paragraphs  # noqa: B018 - reads the part, as a document will
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a bad file
        arabic, english = _LETTERHEAD_MSG["cannot_open"]
        raise FileCheckError(arabic.format(name=path.name), english.format(name=path.name),
                             _LETTERHEAD_MSG["cannot_open_short"]) from exc


_LETTERHEAD_MSG = {
    "cannot_open": ("تعذّر فتح الملف «{name}» مستندَ Word؛ قد يكون تالفاً. افتحه في Word "
                    "واحفظه من جديد.",
                    "{name} cannot be opened as a Word document; it may be damaged. Open it "
                    "in Word and save it again."),
    "cannot_open_short": ("تعذّر فتحه مستندَ Word، فقد يكون تالفاً",
                          "it cannot be opened as a Word document; it may be damaged"),
}


def _open_letterhead(path: Path) -> Document:
    """The unit's letterhead, checked first: a damaged or hostile file (it may have changed
    since it was chosen) gives a message naming the setting, not a broken document."""
    try:
        check_letterhead(path)
    except FileCheckError as exc:
        if not path.is_file():
            raise file_checks.stored_error("letterhead", path=path) from exc
        raise file_checks.stored_error("letterhead", exc, path=path) from exc
    return docx.Document(str(path))


def new_document(options: DocumentOptions | None = None) -> Document:
    """A blank A4 right-to-left document with the RTL styles, on the unit's letterhead.

    With ``options.letterhead`` the document starts from that file (its body is emptied;
    header, footer, margins and styles stay) and the RTL styles are added on top; the file
    is checked first (:func:`check_letterhead`). Without one it starts from the project's
    template (:func:`exporters.docx_template.template_document`). Either way the file is
    made Word-clean (:func:`exporters.docx_template.word_clean`): current compatibility
    mode, Arabic theme languages, our fonts in the font table, no thumbnail, and the title,
    author, dates and app version in its properties.
    """
    options = options or DocumentOptions()
    if options.letterhead is not None:
        doc = _open_letterhead(Path(options.letterhead))
        _clear_body(doc)
        if not doc.sections:  # a body without section properties: give it Word's default
            doc.element.body.get_or_add_sectPr()
        for section in doc.sections:
            # A section without a page size or margins is drawn as A4 (LibreOffice) or
            # Letter (Word): write A4 and the default margins so layouts can measure them.
            if section.page_width is None or section.page_height is None:
                section.page_width, section.page_height = Cm(21.0), Cm(29.7)
            for side, cm in zip(("top_margin", "right_margin", "bottom_margin",
                                 "left_margin"), options.margins_cm, strict=True):
                if getattr(section, side) is None:
                    setattr(section, side, Cm(cm))
            # A wide document (a sheet of many days) turns the unit's page as it is, its
            # header and margins kept.
            if options.landscape and section.page_width < section.page_height:
                section.orientation = WD_ORIENT.LANDSCAPE
                section.page_width, section.page_height = (section.page_height,
                                                           section.page_width)
    else:
        doc = docx_template.template_document()
    docx_template.word_clean(doc, title=xml_safe(options.title),
                             author=xml_safe(options.author or options.unit),
                             font=options.font, bidi_lang=BIDI_LANG)
    _rtl_styles(doc, options)
    for section in doc.sections:
        _rtl_section(section)
        if options.letterhead is None:
            width, height = Cm(21.0), Cm(29.7)
            if options.landscape:
                section.orientation = WD_ORIENT.LANDSCAPE
                width, height = height, width
            section.page_width, section.page_height = width, height
            top, right, bottom, left = (Cm(v) for v in options.margins_cm)
            # The built-in letterhead (four lines and a logo) stands in the header: the
            # body must start below it. Word pushes the body down by itself; LibreOffice
            # lets the two overlap.
            top = max(top, Cm(LETTERHEAD_TOP_CM))
            section.top_margin, section.right_margin = top, right
            section.bottom_margin, section.left_margin = bottom, left
            section.header_distance = section.footer_distance = Cm(1.0)
    if options.letterhead is None:
        letterhead_table(doc.sections[0], options)
    return doc


# --- text ---------------------------------------------------------------------------------

def _format_run(run, *, rtl: bool, bold: bool, size: float | None) -> None:
    rpr = run._r.get_or_add_rPr()
    if bold:
        _on(rpr, "w:b")
        _on(rpr, "w:bCs")
    if size is not None:
        _set_size(rpr, round(size * 2))
    if rtl:
        _on(rpr, "w:rtl")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (see ``_NOT_XML``)."""
    return _NOT_XML.sub("", text)


def add_text(par: Paragraph, text: str, *, bold: bool = False,
             size: float | None = None) -> None:
    """Append ``text`` to ``par`` as runs: Arabic stretches with ``w:rtl``, Latin stretches
    (letters, digits) without it, both with complex-script bold and size. Characters XML
    cannot hold are left out."""
    for stretch, rtl in _stretches(xml_safe(text)):
        _format_run(par.add_run(stretch), rtl=rtl, bold=bold, size=size)


def _stretches(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (stretch, right to left) pairs, as :func:`add_text` writes them."""
    if not has_arabic(text):
        return [(text, False)]
    found, pos = [], 0
    for m in _LATIN_STRETCH.finditer(text):
        if m.start() > pos:
            found.append((text[pos:m.start()], True))
        found.append((m.group(), False))
        pos = m.end()
    if pos < len(text):
        found.append((text[pos:], True))
    return found


def _check_align(align) -> None:
    if align not in _ALLOWED_ALIGN:
        raise ValueError("right-aligned Arabic needs no alignment (jc=right means LEFT in a "
                         "bidi paragraph); use None, CENTER or JUSTIFY")


def set_style(par: Paragraph, name: str | None) -> None:
    """Give a paragraph a style by name, looking each name up once per document part.

    python-docx's ``par.style = name`` scans every style of the document on each call:
    three quarters of a yearly report's time went there (12,000 table cells).
    """
    if name is None:
        return
    par._p.style = _style_id(par.part, name)


def _new_paragraph(container, text: str, style, bold, size, align) -> Paragraph:
    _check_align(align)
    par = container.add_paragraph()
    set_style(par, style)
    if text:
        add_text(par, text, bold=bold, size=size)
    if align is not None:
        par.alignment = align
    return par


def paragraph(doc, text: str = "", *, style: str | None = None, bold: bool = False,
              size: float | None = None, align=None) -> Paragraph:
    """Add a paragraph to ``doc`` (a document, cell, header or footer). Alignment stays
    unset for right-aligned Arabic; CENTER and JUSTIFY are allowed, left/right are not."""
    return _new_paragraph(doc, text, style, bold, size, align)


def _style_id(part, name: str) -> str:
    """The id of a paragraph style by name, looked up once per document part."""
    cache = part.__dict__.setdefault("_ittisal_style_ids", {})
    if name not in cache:
        cache[name] = part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
    return cache[name]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TYPE, _WIDTH = f"{_W}type", f"{_W}w"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters python-docx turns into elements of their own (w:tab, w:br), and so does
# _table_cell.
_RUN_BREAKS = re.compile(r"([\t\r\n])")


def _table_cell(cell, text: str, *, bold: bool, center: bool, style_id: str) -> None:
    """A table cell's content, vertically centred: what :func:`_cell_text` writes, its
    elements made directly (in schema order) rather than through python-docx's generic
    setters, which cost most of a yearly report's tables (23,000 cells)."""
    text = xml_safe(text)
    tc = cell._tc
    p = tc.p_lst[0]

    def w(tag: str, val: str | None = None):
        el = p.makeelement(f"{_W}{tag}")
        if val is not None:
            el.set(f"{_W}val", val)
        return el

    tc.tcPr.append(w("vAlign", "center"))  # after w:tcW, its only property so far
    ppr = w("pPr")
    ppr.append(w("pStyle", style_id))
    if center:
        ppr.append(w("jc", "center"))
    p.append(ppr)
    for stretch, rtl in _stretches(text) if text else ():
        rpr = w("rPr")
        if bold:
            rpr.extend((w("b"), w("bCs")))
        if rtl:
            rpr.append(w("rtl"))
        run = w("r")
        run.append(rpr)
        # As python-docx writes a run's text: a tab is w:tab, a line break w:br.
        for piece in _RUN_BREAKS.split(stretch):
            if piece == "\t":
                run.append(w("tab"))
            elif piece in ("\n", "\r"):
                run.append(w("br"))
            elif piece:
                t = w("t")
                if len(piece.strip()) < len(piece):
                    t.set(_XML_SPACE, "preserve")
                t.text = piece
                run.append(t)
        p.append(run)


def _cell_text(cell, text: str, *, bold: bool = False, align=None, style=TABLE_TEXT_STYLE):
    par = cell.paragraphs[0]
    set_style(par, style)
    _check_align(align)
    if text:
        add_text(par, text, bold=bold)
    if align is not None:
        par.alignment = align


# --- tables -------------------------------------------------------------------------------

def _borders(tbl, val: str = "single") -> None:
    tbl_pr = tbl.tblPr
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), val)
        if val != "nil":
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        borders.append(edge)  # a fresh element: its children in schema order by construction
    tbl_pr.insert_element_before(borders, *_TBLPR_AFTER_BORDERS)


def _mark_header_row(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.insert_element_before(OxmlElement("w:tblHeader"), *_TRPR_AFTER_HEADER)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert_element_before(OxmlElement("w:cantSplit"), *_TRPR_AFTER_CANTSPLIT)


def _usable_width(section: Section) -> Emu:
    return Emu(section.page_width - section.left_margin - section.right_margin)


#: Air above and below a cell's text (twips, 0.05 cm). Word's default is none, and the
#: tall Arabic letters then touch the border above them.
CELL_MARGIN_TWIPS = 28


def _vertical_cell_margins(tbl) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "bottom"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl.tblPr.insert_element_before(margins, *_TBLPR_AFTER_BORDERS[3:])


def rtl_table(doc: Document, header: list[str], rows: list[list[str]], *,
              widths: Sequence[float] | None = None, repeat_header: bool = True,
              center_columns: Sequence[int] = (), row_height_cm: float | None = None) -> Table:
    """A bordered right-to-left table (``w:bidiVisual``: the first column is the rightmost).

    ``header`` is bold and centred and, with ``repeat_header``, repeats on each page
    (``w:tblHeader``); rows never split across pages. ``widths`` are relative weights of
    the columns over the text width; ``center_columns`` are centred (numbers, serials).
    """
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.table_direction = WD_TABLE_DIRECTION.RTL
    table.autofit = False
    _borders(table._tbl)
    _vertical_cell_margins(table._tbl)
    total = _usable_width(doc.sections[-1])
    weights = list(widths) if widths else [1.0] * len(header)
    col_widths = [Emu(int(total * w / sum(weights))) for w in weights]
    for i, column in enumerate(table.columns):
        column.width = col_widths[i]
    style_id = _style_id(table._parent.part, TABLE_TEXT_STYLE)
    # Each cell's w:tcW (python-docx's cell.width, set directly: 23,000 cells a report).
    twips = [str(Emu(width).twips) for width in col_widths]
    for r, row in enumerate(table.rows):
        _cant_split(row)
        if row_height_cm is not None and r > 0:
            row.height = Cm(row_height_cm)
        values = header if r == 0 else rows[r - 1]
        for c, tc in enumerate(row._tr.tc_lst):
            tc_w = tc.tcPr[0]  # a new table's cell: its width is its one property
            tc_w.set(_TYPE, "dxa")
            tc_w.set(_WIDTH, twips[c])
            text = values[c] if c < len(values) else ""
            _table_cell(_Cell(tc, table), text, bold=(r == 0),
                        center=r == 0 or c in center_columns, style_id=style_id)
    if repeat_header:
        _mark_header_row(table.rows[0])
    return table


# --- letterhead, footer, pictures ---------------------------------------------------------

def letterhead_table(section: Section, options: DocumentOptions) -> Table:
    """The built-in letterhead: a borderless RTL table in the page header, the country,
    ministry, directorate and unit on the right, the logo in the middle, the left cell
    free (a letter puts its number and date there)."""
    header = section.header
    header.is_linked_to_previous = False
    width = _usable_width(section)
    table = header.add_table(rows=1, cols=3, width=width)
    table.table_direction = WD_TABLE_DIRECTION.RTL
    table.autofit = False
    _borders(table._tbl, "nil")
    for column, share in zip(table.columns, (0.5, 0.2, 0.3), strict=True):
        column.width = Emu(int(width * share))
    right, middle, _left = table.rows[0].cells
    lines = [line for line in (options.country, options.ministry, options.directorate,
                               options.unit) if line]
    for i, line in enumerate(lines):
        par = right.paragraphs[0] if i == 0 else right.add_paragraph()
        par.style = "Header"
        add_text(par, line, bold=True, size=options.size - 2)
    for cell in table.rows[0].cells:
        cell.paragraphs[0].style = "Header"
    if options.logo is not None:
        logo = Path(options.logo)
        try:
            file_checks.check_image(logo)
        except FileCheckError as exc:
            found = exc if logo.is_file() else None
            raise file_checks.stored_error("logo", found, path=logo) from exc
        par = middle.paragraphs[0]
        par.alignment = CENTER
        par.add_run().add_picture(word_image(logo), height=Cm(2.2))
    # The empty paragraph python-docx's header starts with stays after the table (a header
    # must end with a paragraph); give it the header style so it is bidi too.
    header.paragraphs[0].style = "Header"
    return table


def _field(par: Paragraph, instruction: str, shown: str, *, rtl: bool = False) -> None:
    """A complex field (begin, instruction, separate, cached result, end); with ``rtl``
    every run of it is a right-to-left complex-script run (see :func:`page_number_footer`)."""
    def run_with(el):
        run = par.add_run()
        run._r.append(el)  # a new, empty run: fldChar/instrText is its only content
        if rtl:
            _complex_script(run)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    result = par.add_run(shown)
    if rtl:
        _complex_script(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _complex_script(run) -> None:
    rpr = run._r.get_or_add_rPr()
    _on(rpr, "w:rtl")
    _on(rpr, "w:cs")


def page_number_footer(section: Section, style: DateStyle | str = "arabic") -> Paragraph:
    """"صفحة ١ من ٤" centred in the section's footer, with PAGE and NUMPAGES fields.

    No field switch or page-number format of WordprocessingML means Arabic-Indic digits
    (``hindiNumbers`` is Devanagari; LibreOffice maps no format switch and no
    ``w:pgNumType/@w:fmt`` to its Arabic-Indic numbering). Word shapes field digits by its
    "Numeral" option, which in its usual Arabic setting ("Context") follows the run: with
    Arabic-Indic digits the fields are right-to-left complex-script runs in the Arabic
    language, with Western digits plain left-to-right runs. The cached results are in the
    unit's digits. LibreOffice draws page numbers in Western digits whatever the file says
    (its own "Numerals" option decides).
    """
    digits = style.digits if isinstance(style, DateStyle) else style
    footer = section.footer
    footer.is_linked_to_previous = False
    par = footer.paragraphs[0]
    if par.runs or footer.tables:  # the unit's letterhead has a footer: go on a line below
        par = footer.add_paragraph()
    par.style = "Footer"
    par.alignment = CENTER
    props = section.part.core_properties
    if not props.title:  # the document is written by now: its first line names it
        first = next((p.text for p in section.part.document.paragraphs if p.text.strip()), "")
        props.title = " ".join(first.split())[:255]
    indic = digits == "arabic"
    add_text(par, "صفحة ")
    _field(par, "PAGE", apply_digits("1", digits), rtl=indic)
    add_text(par, " من ")
    _field(par, "NUMPAGES", apply_digits("1", digits), rtl=indic)
    return par


def word_image(path: str | Path) -> str | io.BytesIO:
    """The image at ``path`` as python-docx can place it: the file itself, or, for a
    format Word files do not take (WEBP) or a header python-docx cannot read, a PNG copy
    made with Pillow (the file was checked to decode in full when it was chosen)."""
    try:
        Image.from_file(str(path))
        return str(path)
    except Exception:  # noqa: BLE001 - python-docx's header parsers raise many kinds
        from PIL import Image as Pillow

        with Pillow.open(path) as source:
            converted = source.convert("RGBA" if "A" in source.getbands() or
                                       "transparency" in source.info else "RGB")
        data = io.BytesIO()
        converted.save(data, "PNG", dpi=(96, 96))
        data.seek(0)
        return data


def picture(doc: Document, path: str | Path, caption: str = "", max_width: float | None = None,
            ) -> Paragraph:
    """A centred picture no wider than the text (or ``max_width`` cm) and never enlarged,
    with its caption under it. Returns the picture's paragraph."""
    source = word_image(path)
    image = Image.from_file(source) if isinstance(source, str) else Image.from_blob(
        source.getvalue())
    natural = Emu(int(image.px_width / max(image.horz_dpi or 72, 1) * 914400))
    limit = _usable_width(doc.sections[-1])
    if max_width is not None:
        limit = min(limit, Cm(max_width))
    width = min(natural, limit)
    par = doc.add_paragraph()
    par.alignment = CENTER
    par.paragraph_format.keep_with_next = bool(caption)
    par.add_run().add_picture(source, width=Emu(width))
    if caption:
        _new_paragraph(doc, caption, "Caption", False, None, CENTER)
    return par

