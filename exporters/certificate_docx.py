"""Certificates of participation as one Word file: one landscape A4 page per certificate,
right to left, editable in Word (:func:`write_docx`).

**Layout.** Every size, line break and place comes from the page plan
(:func:`exporters.certificate_plan.plan_page`), which the PDF, the printer and the preview
draw from too, so a certificate lands in the same places whichever way it leaves. What
every page shares is written once, in the section header: the issuer lines between the
logos, and behind the text the background image and the design's ornaments (the plan's
frame, band and rules, drawn by Pillow into one full-page picture: the same shapes the
painter draws as vectors). What changes from page to page is in the body: one borderless
right-to-left table per page whose rows have the exact heights of the plan's slots —
title, the sentence before the name, the name, the sentence after it, the date, then the
signatories beside the QR code with its serial and short code. Cells are placed by
their edges on a grid of the plan's boundaries, never by indents or unequal margins
(which Word and LibreOffice measure from different sides in a right-to-left table).
Exact rows keep every page in place whatever the text, so a certificate can never push
the next one onto a second page.

**Text.** Each block is written at the plan's size with the plan's line breaks (an
explicit break between lines) and an exact line height (the plan's pitch), centred in
its row as the plan centres it in its slot; the plan measured with a safety margin, so
neither Word nor LibreOffice breaks a line again. The font is embedded in the file, so
Word on a machine without it shows what was measured.

**Speed.** The page table is built once with lxml and kept as text with holes
(:class:`_Stencil`); each page is that text with its runs, row heights, QR relationship
and drawing ids put in the holes, joined as strings, and the pages go into the body's
XML when the package is written (:func:`_save`): the same bytes lxml writes for the same
tree. Image parts are added directly, not through python-docx's per-image search, and
stored in the zip as they are. The QR PNGs are made by
:class:`exporters.qr_batch.QrBatch`, in worker processes for large batches, while the
pages are built; the same workers measure the words only one page has (its serial, code
and name), which is most of what planning a page costs. The design's ornaments picture
is kept in the user's data folder once drawn (``cache/``, named by what draws it).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import os
import re
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Emu, Mm
from docx.text.paragraph import Paragraph
from lxml import etree

import resources
from exporters import rtl
from exporters.certificate_designs import (
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    QR_TEXT_MM,
    SIGNATURE_MM,
    SIGNER_COLUMNS,
    SIGNER_NAME_MM,
    SIGNER_PAD_MM,
    Box,
    Design,
    design,
)
from exporters.certificate_plan import (
    Block,
    Plan,
    blocks_of,
    draw_ornaments_png,
    plan_page,
    qr_square,
    signer_columns,
    text_slots,
)
from exporters.qr_batch import QrBatch
from exporters.text_fit import FONT_FILES, PT_MM, fitter, words_of
from models import certificates, paths
from models.certificate_pages import CertificatePage, Signer
from models.files import write_file, write_file_at

__all__ = ["write_docx"]

# Latin letters (the serial, the short code, a Latin word in a name) in a font that has
# them: Noto Sans Arabic UI has none; Arial is on every Windows machine and LibreOffice
# maps it to the metric-compatible Liberation Sans.
LATIN_FONT = {"Amiri": "Amiri", "Noto Sans Arabic UI": "Arial"}

TWIPS_PER_MM = 1440 / 25.4
EMU_PER_MM = 36000

# The body table's edges (mm from the page's left): symmetric about the page's middle so
# that "left" and "right" cell margins never need telling apart in a right-to-left table.
BODY_LEFT = 20.0
BODY_RIGHT = PAGE_WIDTH_MM - BODY_LEFT
BOTTOM_MARGIN = 12.0     # leaves room below the table for the page-break paragraph
TINY_PT = 1.0            # the page-break paragraph after each table
ORNAMENT_DPI = 300       # the frame's picture (the PDF draws it as vectors)

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_EMBED = qn("r:embed")
_VAL = qn("w:val")
_DOC_PR = qn("wp:docPr")
_OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"


# --- small XML builders ------------------------------------------------------------------

def _mm_twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


def _el(tag: str, attrs: dict[str, str] | None = None, *children) -> etree._Element:
    el = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        el.set(_XML_SPACE if key == "xml:space" else qn(key) if ":" in key else key, value)
    for child in children:
        if child is not None:
            el.append(child)
    return el


def _color(hex_color: str) -> str:
    return hex_color.lstrip("#").upper()


_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


class _Runs:
    """Text runs: Arabic stretches right to left, Latin ones not (the split is
    :func:`exporters.rtl.add_text`'s), each with its size, weight and colour, bold and size
    in both the Latin and the complex-script slots. The fonts come from the Normal style
    (:func:`_style_fonts`)."""

    def __init__(self) -> None:
        self._scratch = Paragraph(OxmlElement("w:p"), None)
        self._segments: dict[str, list[tuple[str, bool]]] = {}
        self._protos: dict[tuple, etree._Element] = {}
        self._texts: dict[tuple, tuple[str, str]] = {}

    def segments(self, text: str) -> list[tuple[str, bool]]:
        """``text`` cut into (stretch, right to left) pairs."""
        found = self._segments.get(text)
        if found is None:
            text = rtl.xml_safe(text)  # stored text may hold characters XML cannot
            if not rtl.has_arabic(text):
                found = [(text, False)]
            elif not _LATIN_LETTER.search(text):  # all Arabic (digits go with it)
                found = [(text, True)]
            else:
                p = self._scratch._p
                for child in list(p):
                    p.remove(child)
                rtl.add_text(self._scratch, text)
                found = [("".join(t.text or "" for t in r.iter(qn("w:t"))),
                          r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None)
                         for r in p.iter(qn("w:r"))]
            self._segments[text] = found
        return found

    def _proto(self, size: float, bold: bool, color: str, is_rtl: bool) -> etree._Element:
        key = (size, bold, color, is_rtl)
        found = self._protos.get(key)
        if found is None:
            half = str(round(size * 2))
            rpr = _el("w:rPr", None,
                      _el("w:b") if bold else None, _el("w:bCs") if bold else None,
                      _el("w:color", {"w:val": _color(color)}),
                      _el("w:sz", {"w:val": half}), _el("w:szCs", {"w:val": half}),
                      _el("w:rtl") if is_rtl else None)
            found = _el("w:r", None, rpr, _el("w:t", {"xml:space": "preserve"}))
            self._protos[key] = found
        return found

    def fill(self, par, text: str, size: float, *, bold: bool = False,
             color: str = "#000000") -> None:
        """Append ``text`` to the ``w:p`` element ``par`` as runs."""
        for segment, is_rtl in self.segments(text):
            r = copy.deepcopy(self._proto(size, bold, color, is_rtl))
            r[1].text = segment
            par.append(r)

    def xml(self, text: str, size: float, *, bold: bool = False,
            color: str = "#000000") -> str:
        """``text`` as the runs :meth:`fill` appends, written out as XML text."""
        key = (size, bold, color)
        protos = self._texts.get(key)
        if protos is None:
            protos = self._texts[key] = tuple(
                _fragment(self._proto(size, bold, color, is_rtl)).split("/></w:r>")[0]
                for is_rtl in (False, True))
        return "".join(f"{protos[is_rtl]}>{_escape(segment)}</w:t></w:r>"
                       for segment, is_rtl in self.segments(text))


def _style_fonts(doc: Document, font: str) -> None:
    """The Normal style's fonts: ``font`` for Arabic, and for Latin letters the same
    font or, when it has none, :data:`LATIN_FONT`'s."""
    latin = LATIN_FONT.get(font, font)
    fonts = doc.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), font)


def _para(line_mm: float | None = None, *, mark_pt: float | None = None) -> etree._Element:
    """A right-to-left paragraph without space around it, centred, with an exact line
    height (or single spacing for a picture's line)."""
    spacing = {"w:before": "0", "w:after": "0"}
    if line_mm is None:
        spacing.update({"w:line": "240", "w:lineRule": "auto"})
    else:
        spacing.update({"w:line": _mm_twips(line_mm), "w:lineRule": "exact"})
    mark = None
    if mark_pt is not None:
        half = str(round(mark_pt * 2))
        mark = _el("w:rPr", None, _el("w:sz", {"w:val": half}), _el("w:szCs", {"w:val": half}))
    ppr = _el("w:pPr", None, _el("w:bidi"), _el("w:spacing", spacing),
              _el("w:jc", {"w:val": "center"}), mark)
    return _el("w:p", None, ppr)


_LINE = qn("w:line")


def _set_line(par, line_mm: float) -> None:
    """Change the exact line height of a :func:`_para` paragraph (pPr: bidi, spacing)."""
    par[0][1].set(_LINE, _mm_twips(line_mm))


def _table(widths_mm: Sequence[float]) -> etree._Element:
    """A borderless right-to-left table, fixed layout, no cell margins; ``widths_mm`` from
    the right."""
    zero = {"w:w": "0", "w:type": "dxa"}
    borders = _el("w:tblBorders", None, *(
        _el(f"w:{side}", {"w:val": "nil"})
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")))
    tbl_pr = _el("w:tblPr", None,
                 _el("w:bidiVisual"),
                 _el("w:tblW", {"w:w": _mm_twips(sum(widths_mm)), "w:type": "dxa"}),
                 borders,
                 _el("w:tblLayout", {"w:type": "fixed"}),
                 _el("w:tblCellMar", None, *(_el(f"w:{side}", zero)
                                             for side in ("top", "left", "bottom", "right"))),
                 _el("w:tblLook", {"w:val": "0000", "w:firstRow": "0", "w:lastRow": "0",
                                   "w:firstColumn": "0", "w:lastColumn": "0",
                                   "w:noHBand": "1", "w:noVBand": "1"}))
    grid = _el("w:tblGrid", None, *(_el("w:gridCol", {"w:w": _mm_twips(w)})
                                    for w in widths_mm))
    return _el("w:tbl", None, tbl_pr, grid)


def _row(tbl, height_mm: float) -> etree._Element:
    tr = _el("w:tr", None, _el("w:trPr", None, _el("w:cantSplit"), _el(
        "w:trHeight", {"w:val": _mm_twips(height_mm), "w:hRule": "exact"})))
    tbl.append(tr)
    return tr


def _cell(tr, width_mm: float, *, span: int = 1, valign: str = "center",
          pad_mm: float = 0.0) -> etree._Element:
    """A cell; ``pad_mm`` on both sides (equal, so the bidi meaning of left and right does
    not matter)."""
    mar = None
    if pad_mm:
        side = {"w:w": _mm_twips(pad_mm), "w:type": "dxa"}
        mar = _el("w:tcMar", None, _el("w:left", side), _el("w:right", side))
    tc_pr = _el("w:tcPr", None, _el("w:tcW", {"w:w": _mm_twips(width_mm), "w:type": "dxa"}),
                _el("w:gridSpan", {"w:val": str(span)}) if span > 1 else None, mar,
                _el("w:vAlign", {"w:val": valign}))
    tc = _el("w:tc", None, tc_pr)
    tr.append(tc)
    return tc


def _inline(rid: str, shape_id: int, name: str, width_mm: float, height_mm: float):
    return CT_Inline.new_pic_inline(shape_id, rid, name, Emu(round(width_mm * EMU_PER_MM)),
                                    Emu(round(height_mm * EMU_PER_MM)))


def _anchor(rid: str, shape_id: int, name: str, box: Box, *, z: int,
            crop: tuple[float, float, float, float] | None = None):
    """A picture placed at ``box`` on the page, behind the text, not moving it."""
    inline = _inline(rid, shape_id, name, box.width, box.height)
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp", "a", "pic", "r")} distT="0" distB="0" distL="0" '
        f'distR="0" simplePos="0" relativeHeight="{z}" behindDoc="1" locked="1" '
        'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{round(box.left * EMU_PER_MM)}'
        '</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{round(box.top * EMU_PER_MM)}'
        '</wp:posOffset></wp:positionV></wp:anchor>')
    extent, doc_pr, frame_pr, graphic = (inline.find(qn(t)) for t in (
        "wp:extent", "wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"))
    anchor.append(extent)
    anchor.append(_el("wp:effectExtent", {"l": "0", "t": "0", "r": "0", "b": "0"}))
    anchor.append(OxmlElement("wp:wrapNone"))
    for part in (doc_pr, frame_pr, graphic):
        anchor.append(part)
    if crop is not None:  # fractions cut off left, top, right, bottom
        blip_fill = anchor.find(f".//{qn('pic:blipFill')}")
        src = _el("a:srcRect", None)
        for key, value in zip("ltrb", crop, strict=True):
            if value > 0:
                src.set(key, str(round(value * 100000)))
        blip_fill.insert(1, src)
    return anchor


def _drawing_run(drawing) -> etree._Element:
    return _el("w:r", None, _el("w:drawing", None, drawing))


# --- pictures ----------------------------------------------------------------------------

def _image_size(data: bytes) -> tuple[int, int] | None:
    """Pixel size of an image file's bytes, or None when it is not a picture Word takes."""
    try:
        from docx.image.image import Image

        image = Image.from_blob(data)
    except (UnrecognizedImageError, OSError, ValueError, IndexError, KeyError):
        return None
    if image.px_width <= 0 or image.px_height <= 0:
        return None
    return image.px_width, image.px_height


def _read(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return data if _image_size(data) else None


# --- the document ------------------------------------------------------------------------

def _obfuscate(font: bytes, key: uuid.UUID) -> bytes:
    """ECMA-376 Part 1 §17.8.1: the font's first 32 bytes XOR-ed with the key's bytes in
    reverse order."""
    mask = bytes(reversed(key.bytes))
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def _embed_font(doc: Document, family: str) -> None:
    """Embed the bundled font (regular and bold) so Word shows the measured letters on a
    machine that lacks it; LibreOffice reads embedded fonts too."""
    files = FONT_FILES.get(family)
    if files is None:
        return
    table_part = next((rel.target_part for rel in doc.part.rels.values()
                       if rel.reltype == RT.FONT_TABLE), None)
    if table_part is None:
        return
    fonts = etree.fromstring(table_part.blob)
    entry = fonts.find(f"{qn('w:font')}[@{qn('w:name')}='{family}']")
    if entry is None:
        entry = etree.SubElement(fonts, qn("w:font"))
        entry.set(qn("w:name"), family)
        for tag, value in (("w:charset", "00"), ("w:family", "auto"), ("w:pitch", "variable")):
            etree.SubElement(entry, qn(tag)).set(qn("w:val"), value)
    for n, (tag, name) in enumerate(zip(("w:embedRegular", "w:embedBold"), files,
                                        strict=True), 1):
        key = uuid.uuid4()
        data = _obfuscate(resources.read_bytes("fonts", name), key)
        part = Part(PackURI(f"/word/fonts/font{n}.odttf"), _OBFUSCATED_FONT, data,
                    doc.part.package)
        rid = table_part.relate_to(part, RT.FONT)
        embed = etree.SubElement(entry, qn(tag))
        embed.set(qn("r:id"), rid)
        embed.set(qn("w:fontKey"), "{" + str(key).upper() + "}")
    table_part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
    settings = doc.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        zoom = settings.find(qn("w:zoom"))
        flag = OxmlElement("w:embedTrueTypeFonts")
        if zoom is not None:
            zoom.addnext(flag)
        else:
            settings.insert(0, flag)


class _Ids:
    """Drawing ids, unique in the document."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> int:
        self.n += 1
        return self.n


def _add_image(part, data: bytes, name: str, counter: list[int]) -> str:
    """Add an image part related from ``part`` and return the relationship id; bypasses
    python-docx's image lookup, which is quadratic in the number of images."""
    counter[0] += 1
    ext = "png" if data[:4] == b"\x89PNG" else "jpeg" if data[:2] == b"\xff\xd8" else "bin"
    content_type = {"png": "image/png", "jpeg": "image/jpeg"}.get(ext)
    if content_type is None:  # other formats through python-docx, which knows them
        rid, _image = part.get_or_add_image(io.BytesIO(data))
        return rid
    image = ImagePart(PackURI(f"/word/media/{name}{counter[0]}.{ext}"), content_type, data)
    rid = f"rIdImg{counter[0]}"
    part.rels.add_relationship(RT.IMAGE, image, rid)
    return rid


def _header(doc: Document, plan: Plan, background_path: Path | None, ids: _Ids,
            counter: list[int]) -> None:
    """The section header: the plan's issuer lines between its logos, and the
    background and the design's ornaments behind the page."""
    look = plan.design
    section = doc.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    part, root = header.part, header._element
    for child in list(root):  # new_document's letterhead is not a certificate's
        root.remove(child)
    section.header_distance = Mm(look.header.top)
    runs = _Runs()
    box = look.header
    logo = look.logo_mm
    grid = _Grid([BODY_LEFT, BODY_RIGHT, box.left, box.left + logo, box.right - logo,
                  box.right])
    tbl = grid.table()
    logo_right, issuer, logo_left = grid.row(tbl, box.height, [
        (box.right - logo, box.right, {}), (box.left + logo, box.right - logo, {}),
        (box.left, box.left + logo, {})])
    for block in blocks_of(plan, ("issuer",)):
        par = _para(1.0)
        _fill_block(runs, par, block)
        issuer.append(par)
    for picture in (p for p in plan.pictures if p.role == "logo"):
        data = _read(picture.path)
        if data is None:
            continue
        cell = logo_right if picture.box.left >= box.left + logo else logo_left
        par = _para(mark_pt=TINY_PT)
        rid = _add_image(part, data, "logo", counter)
        par.append(_drawing_run(_inline(rid, ids(), "logo", picture.box.width,
                                        picture.box.height)))
        cell.append(par)
    for cell in (logo_right, issuer, logo_left):
        if cell.find(qn("w:p")) is None:
            cell.append(_para())
    root.append(tbl)

    # Pictures behind everything, anchored to the header's last paragraph. Each spans the
    # page: LibreOffice (and, it seems, Word) measures a picture's offset from the right
    # edge when its anchor paragraph is right to left, and a full-page picture lands in
    # the same place either way.
    last = _para(TINY_PT * PT_MM, mark_pt=TINY_PT)
    z = 1
    pictures: list[tuple[bytes, str, tuple | None]] = []
    background = _read(background_path)
    if background is not None:
        w, h = _image_size(background)
        page_ratio = PAGE_WIDTH_MM / PAGE_HEIGHT_MM
        if w / h > page_ratio:  # wider than the page: cut the sides
            cut = (1 - page_ratio * h / w) / 2
            crop = (cut, 0.0, cut, 0.0)
        else:
            cut = (1 - w / (page_ratio * h)) / 2
            crop = (0.0, cut, 0.0, cut)
        pictures.append((background, "background", crop))
    ornaments = _ornaments_png(look)
    if ornaments is not None:
        # The painter's own shapes, drawn by Pillow: the same frame in Word and in PDF.
        pictures.append((ornaments, "ornaments", None))
    for data, name, crop in pictures:
        rid = _add_image(part, data, name, counter)
        run = _drawing_run(_anchor(rid, ids(), name, Box(0, 0, PAGE_WIDTH_MM, PAGE_HEIGHT_MM),
                                   z=z, crop=crop))
        z += 1
        last.append(run)
    root.append(last)


@functools.lru_cache(maxsize=8)
def _ornaments_png(look: Design) -> bytes | None:
    # Encoding the full-page picture takes 0.2-0.4 s, a fifth of a 500-page export: it
    # is kept in the user's cache once drawn, named by everything that draws it.
    cached = _ornaments_file(look)
    if cached is not None:
        try:
            data = cached.read_bytes()
        except OSError:
            data = b""
        if data.startswith(_PNG_SIGNATURE):
            return data
    data = draw_ornaments_png(look, ORNAMENT_DPI)
    if data is not None and cached is not None:
        with contextlib.suppress(OSError):
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_file(cached, data)
    return data


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _ornaments_file(look: Design) -> Path | None:
    """Where the design's ornaments picture is cached: named by the design, the
    resolution, Pillow's version and the source of the modules that draw it (None where
    that source cannot be read, as in a frozen app: then it is drawn every time)."""
    import hashlib

    import PIL

    from exporters import certificate_designs, certificate_plan

    digest = hashlib.sha256(repr((look, ORNAMENT_DPI, PIL.__version__)).encode())
    try:
        for module in (certificate_plan, certificate_designs):
            digest.update(Path(module.__file__ or "").read_bytes())
    except OSError:
        return None
    return paths.data_dir() / "cache" / f"ornaments-{digest.hexdigest()[:32]}.png"


# --- one page ----------------------------------------------------------------------------

# The text rows of a page, top to bottom.
_TEXT_ROWS = ("title", "lead", "name", "body", "date")

# A hole in a stencil: @@<this process's random mark><name>@@. The signatories' block holds
# user text (names, titles), which could hold "@@id@@" but never a mark drawn at random.
_HOLE_MARK = uuid.uuid4().hex
_HOLE = re.compile(f"@@{_HOLE_MARK}(\\w+)@@")
_ID_HOLE = "id"           # takes the next drawing id, in document order
_PAGES_MARK = "ittisal-pages"  # the comment in the body where the pages' XML goes


def _hole(name: str) -> str:
    return f"@@{_HOLE_MARK}{name}@@"


def _escape(text: str) -> str:
    """Character data as lxml writes it."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _fragment(element, nsmap: dict[str, str] | None = None) -> str:
    """``element`` as XML text to stand inside the document's body, written as lxml
    writes it there: the namespaces of ``nsmap`` (the document root's; default: w:)
    are not declared again."""
    wrapper = etree.Element(qn("w:body"), nsmap=nsmap or {"w": _W_NS})
    wrapper.append(copy.deepcopy(element))
    text = etree.tostring(wrapper, encoding="unicode")
    return text[text.index(">") + 1:text.rindex("<")]


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class _Stencil:
    """XML elements kept as text with holes (:func:`_hole`), filled by joining strings:
    a page costs no copy of a tree. A hole ``id`` takes the next drawing id; a hole's
    value may itself be a stencil, filled in its place (the ids stay in document order)."""

    def __init__(self, elements: Sequence[etree._Element],
                 nsmap: dict[str, str] | None = None) -> None:
        parts = _HOLE.split("".join(_fragment(el, nsmap) for el in elements))
        self.chunks, self.holes = parts[0::2], parts[1::2]

    def fill(self, values: dict[str, str | _Stencil], ids: _Ids, out: list[str]) -> None:
        """Append the XML, holes filled from ``values``, to ``out``."""
        chunks = self.chunks
        out.append(chunks[0])
        for n, hole in enumerate(self.holes, 1):
            if hole == _ID_HOLE:
                out.append(str(ids()))
            else:
                value = values[hole]
                if isinstance(value, _Stencil):
                    value.fill({}, ids, out)
                else:
                    out.append(value)
            out.append(chunks[n])


class _Grid:
    """A table's columns from boundaries (mm from the page's left), so that a cell can
    be placed by its left and right edges: a table indent or unequal cell margins would
    be measured from the left by LibreOffice and from the right by Word."""

    def __init__(self, edges) -> None:
        self.edges = sorted({round(e, 3) for e in edges})

    def table(self) -> etree._Element:
        widths = [b - a for a, b in zip(self.edges, self.edges[1:], strict=False)]
        return _table(list(reversed(widths)))  # from the right

    def row(self, tbl, height_mm: float, cells: Sequence[tuple[float, float, dict]]
            ) -> list[etree._Element]:
        """The row's cells, from the right: each (left, right, _cell options); the gaps
        between them filled with empty cells."""
        tr = _row(tbl, height_mm)
        made = []
        edge = self.edges[-1]
        for left, right, options in sorted(cells, key=lambda c: -c[1]) + [
                (self.edges[0], self.edges[0], None)]:
            if right < edge - 1e-6:   # a gap: an empty cell
                self._cell(tr, right, edge, {}).append(_para(1.0))
            if options is not None:
                made.append(self._cell(tr, left, right, options))
            edge = left
        return made

    def _cell(self, tr, left: float, right: float, options: dict) -> etree._Element:
        span = self.edges.index(round(right, 3)) - self.edges.index(round(left, 3))
        return _cell(tr, right - left, span=span, **options)


def _fill_block(runs: _Runs, par, block: Block) -> None:
    """The block's lines into the paragraph, at its size, an explicit break between
    lines (the plan broke them; Word and LibreOffice must not break them again)."""
    _set_line(par, block.pitch)
    for n, line in enumerate(block.lines):
        if n:
            par.append(_el("w:r", None, _el("w:br")))
        runs.fill(par, line, block.size, bold=block.bold, color=block.color)


class _PageBuilder:
    """Writes each page's table as XML text from one stencil, with the sizes, line breaks
    and places of the page plan (:func:`exporters.certificate_plan.plan_page`)."""

    def __init__(self, doc: Document, look: Design, ids: _Ids, counter: list[int]) -> None:
        self.doc, self.look, self.ids, self.counter = doc, look, ids, counter
        self.runs = _Runs()
        self.slots_mm = text_slots(look)
        self.qr = qr_square(look)
        qr_mid = self.qr.left + self.qr.width / 2
        # The QR's cell is centred on the QR (its picture is centred in it).
        self.qr_cell = (BODY_LEFT, 2 * qr_mid - BODY_LEFT)
        edges = [BODY_LEFT, BODY_RIGHT, look.signers.left, look.signers.right,
                 *self.qr_cell]
        for kind in _TEXT_ROWS:
            box = self.slots_mm[kind]
            edges += [box.left, box.right]
        self.grid = _Grid(edges)
        self._signers: dict[tuple[Signer, ...], etree._Element] = {}
        self._cell_end = _para(TINY_PT * PT_MM, mark_pt=TINY_PT)
        self.nsmap = dict(doc.element.nsmap)
        self._signer_stencils: dict[tuple[Signer, ...], _Stencil] = {}
        self._heads: dict[str, str] = {}
        self.empty = _fragment(_para(1.0))
        self.heights = {kind: _mm_twips(self.slots_mm[kind].height) for kind in _TEXT_ROWS}
        self.stencil = self._stencil()

    def _stencil(self) -> _Stencil:
        """The page table with holes where each page differs: a row per text from its
        slot's top to the next slot's top (its height and paragraph), then the
        signatories beside the QR (its picture, serial and short code)."""
        look, grid = self.look, self.grid
        tbl = grid.table()
        for kind in _TEXT_ROWS:
            box = self.slots_mm[kind]
            (tc,) = grid.row(tbl, box.height, [(box.left, box.right, {})])
            tc[0].tail = _hole(f"p_{kind}")  # after the cell's properties: its paragraph
            tc.getparent().find(f"{qn('w:trPr')}/{qn('w:trHeight')}").set(
                _VAL, _hole(f"h_{kind}"))
        qr = self.qr
        below = max(look.signers.bottom, qr.bottom + 2 * QR_TEXT_MM) - look.signers.top
        signers, qr_cell = grid.row(tbl, below, [
            (look.signers.left, look.signers.right, {"valign": "top"}),
            (*self.qr_cell, {"valign": "top"})])
        signers[0].tail = _hole("signers")
        # The QR, its serial and its short code: rows of exact heights in the QR's cell.
        width = self.qr_cell[1] - self.qr_cell[0]
        inner = _table([width])
        if qr.top > look.signers.top:
            _cell(_row(inner, qr.top - look.signers.top), width).append(_para(1.0))
        qr_par = _para(mark_pt=TINY_PT)
        qr_par.append(_drawing_run(_inline(_hole("qr"), 0, "qr", qr.width, qr.width)))
        _cell(_row(inner, qr.width), width, valign="top").append(qr_par)
        for role in ("serial", "code"):
            _cell(_row(inner, QR_TEXT_MM), width)[0].tail = _hole(f"p_{role}")
        qr_cell.extend([inner, copy.deepcopy(self._cell_end)])
        for doc_pr in tbl.iter(_DOC_PR):  # Word wants every drawing's id unique
            doc_pr.set("id", _hole(_ID_HOLE))
        return _Stencil([tbl], self.nsmap)

    def _paragraph(self, block: Block | None) -> str:
        """The XML of a text row's paragraph: the block's lines at its size, an explicit
        break between them, an exact line height (as :func:`_fill_block` makes it)."""
        if block is None:
            return self.empty
        line = _mm_twips(block.pitch)
        head = self._heads.get(line)
        if head is None:
            head = self._heads[line] = _fragment(_para(block.pitch))[:-len("</w:p>")]
        parts = [head]
        for n, text in enumerate(block.lines):
            if n:
                parts.append("<w:r><w:br/></w:r>")
            parts.append(self.runs.xml(text, block.size, bold=block.bold, color=block.color))
        parts.append("</w:p>")
        return "".join(parts)

    def _signers_stencil(self, signers: tuple[Signer, ...], plan: Plan) -> _Stencil | None:
        """:meth:`_signers_block` and the cell's closing paragraph, as a stencil (its
        signature pictures' ids are holes); made once per list of signatories."""
        found = self._signer_stencils.get(signers)
        if found is None:
            block = self._signers_block(signers, plan)
            if block is None:
                return None
            block = copy.deepcopy(block)
            for doc_pr in block.iter(_DOC_PR):
                doc_pr.set("id", _hole(_ID_HOLE))
            found = self._signer_stencils[signers] = _Stencil([block, self._cell_end],
                                                              self.nsmap)
        return found

    def _signers_block(self, signers: tuple[Signer, ...], plan: Plan) -> etree._Element | None:
        """The signatories as a table of the plan's columns, from the right: signature,
        name, title; made once per list of signatories."""
        if not signers:
            return None
        found = self._signers.get(signers)
        if found is not None:
            return found
        look = self.look
        columns = signer_columns(look)
        tbl = _table([c.width for c in columns])
        image_row = _row(tbl, SIGNATURE_MM)
        name_row = _row(tbl, SIGNER_NAME_MM)
        title_row = _row(tbl, look.signers.height - SIGNATURE_MM - SIGNER_NAME_MM)
        names = blocks_of(plan, ("signer",))
        titles = blocks_of(plan, ("signer_title",))
        pictures = [p for p in plan.pictures if p.role == "signature"]
        part = self.doc.part
        for n, col in enumerate(columns):
            signer = signers[n] if n < len(signers) else None
            image_cell = _cell(image_row, col.width, valign="bottom", pad_mm=SIGNER_PAD_MM)
            par = _para(mark_pt=TINY_PT)
            picture = next((p for p in pictures if col.left <= p.box.left < col.right), None)
            data = _read(picture.path) if picture is not None else None
            if data is not None:
                rid = _add_image(part, data, "signature", self.counter)
                par.append(_drawing_run(_inline(rid, self.ids(), "signature",
                                                picture.box.width, picture.box.height)))
            image_cell.append(par)
            for row, blocks, valign in ((name_row, names, "center"),
                                        (title_row, titles, "top")):
                cell = _cell(row, col.width, valign=valign, pad_mm=SIGNER_PAD_MM)
                block = next((b for b in blocks if col.left <= b.slot.left < col.right),
                             None)
                par = _para(1.0)
                if signer is not None and block is not None:
                    _fill_block(self.runs, par, block)
                cell.append(par)
        self._signers[signers] = tbl
        return tbl

    def page(self, page: CertificatePage, qr_rid: str, out: list[str]) -> None:
        """Append the page's table to ``out`` as XML text: text as planned, the QR
        picture pointing at ``qr_rid``."""
        plan = plan_page(page)  # its own words measured by a worker (_page_parts)
        blocks = {b.role: b for b in plan.blocks}
        values: dict[str, str | _Stencil] = {"qr": qr_rid}
        for kind in _TEXT_ROWS:
            block = blocks.get(kind)
            height = self.heights[kind]
            if block is not None and abs(block.slot.height
                                         - self.slots_mm[kind].height) > 1e-6:
                height = _mm_twips(block.slot.height)
            values[f"h_{kind}"] = height
            values[f"p_{kind}"] = self._paragraph(block)
        for role in ("serial", "code"):
            values[f"p_{role}"] = self._paragraph(blocks.get(role))
        signers = self._signers_stencil(tuple(page.signers[:SIGNER_COLUMNS]), plan)
        values["signers"] = self.empty if signers is None else signers
        self.stencil.fill(values, self.ids, out)


def _page_break() -> etree._Element:
    """The paragraph after each page's table: one point high, a page break in it."""
    par = _para(TINY_PT * PT_MM, mark_pt=TINY_PT)
    par.append(_el("w:r", None, _el("w:br", {"w:type": "page"})))
    return par


# --- the public function -----------------------------------------------------------------

_SHARED = ("design", "font", "issuer", "logos", "background")


def _check_shared(pages: Sequence[CertificatePage]) -> None:
    first = pages[0]
    for page in pages[1:]:
        for name in _SHARED:
            if getattr(page, name) != getattr(first, name):
                raise ValueError(f"certificate pages differ in {name}: one file holds one "
                                 "activity's look")


@dataclass
class _Built:
    """The document of every page but the pages' tables, and those as XML text (they go
    where the body's :data:`_PAGES_MARK` comment stands, see :func:`_save`)."""

    doc: Document
    pages: list[str]


def build_document(pages: Sequence[CertificatePage],
                   progress: Callable[[int, int], None] | None = None) -> _Built:
    """The certificates, not yet saved (see :func:`write_docx`)."""
    if not pages:
        raise ValueError("no certificate pages to write")
    _check_shared(pages)
    first = pages[0]
    look = design(first.design)
    # The workers start first.
    qr_codes = QrBatch([(p.qr, p.font, p.name, p.serial, p.code) for p in pages],
                       _page_parts)
    try:
        return _build(pages, first, look, qr_codes, progress)
    finally:
        qr_codes.close()


def _build(pages: Sequence[CertificatePage], first: CertificatePage, look: Design,
           qr_codes: QrBatch, progress: Callable[[int, int], None] | None) -> _Built:
    builder_size = look.body_pt
    first_plan = plan_page(first)
    doc = rtl.new_document(rtl.DocumentOptions(font=first.font, size=builder_size,
                                               landscape=True, title=first.title,
                                               author=(first.issuer or ("",))[-1]))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.left_margin = section.right_margin = Mm(BODY_LEFT)
    section.top_margin = Mm(text_slots(look)["title"].top)
    section.bottom_margin = Mm(BOTTOM_MARGIN)
    ids = _Ids()
    counter = [0]
    _style_fonts(doc, first.font)
    _header(doc, first_plan, first.background, ids, counter)
    _embed_font(doc, first.font)

    builder = _PageBuilder(doc, look, ids, counter)
    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    sect_pr.addprevious(etree.Comment(_PAGES_MARK))
    total = len(pages)
    doc_part = doc.part
    page_break = _fragment(_page_break())
    # No break after the last page: it would start an empty one.
    last = _fragment(_para(TINY_PT * PT_MM, mark_pt=TINY_PT))
    regular, bold = fitter(first.font, False), fitter(first.font, True)
    out: list[str] = []
    for done, (page, (png, serials, name)) in enumerate(zip(pages, qr_codes, strict=True),
                                                        1):
        regular.learn(serials)
        bold.learn(name)
        rid = _add_image(doc_part, png, "qr", counter)
        builder.page(page, rid, out)
        out.append(page_break if done < total else last)
        if progress is not None:
            progress(done, total)
    return _Built(doc, out)


# Parts already compressed (pictures) are stored as they are: deflating them again gains
# almost nothing and costs a tenth of a 500-page file's saving. The embedded fonts are
# deflated quickly: the best deflate takes three times as long for 3 % less.
_STORED = (".png", ".jpeg", ".jpg")
_QUICK = (".odttf",)


def _save(built: _Built, path: Path) -> None:
    """Write the package to ``path`` as python-docx writes it (content types, package
    relationships, then every part reachable from them, each with its relationships),
    the pages' XML put in at the body's mark, and pictures stored, not deflated."""
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    package = built.doc.part.package
    parts = _parts(package)
    for part in parts:
        part.before_marshal()
    main = built.doc.part
    head, mark, tail = main.blob.partition(f"<!--{_PAGES_MARK}-->".encode())
    if not mark:  # _build puts it there; without it the pages would land outside the body
        raise ValueError("the document's body has no place marked for the pages")
    document_xml = b"".join((head, "".join(built.pages).encode(), tail))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        z.writestr(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            name = part.partname.membername
            blob = document_xml if part is main else part.blob
            if name.endswith(_STORED):
                z.writestr(name, blob, zipfile.ZIP_STORED)
            else:
                z.writestr(name, blob, compresslevel=1 if name.endswith(_QUICK) else None)
            if len(part.rels):
                z.writestr(part.partname.rels_uri.membername, part.rels.xml)


def _parts(package) -> list:
    """The package's parts in python-docx's order (depth first along the relationships),
    found with a set: its own search is quadratic in the number of pictures."""
    found: list = []
    seen: set[int] = set()

    def walk(source) -> None:
        for rel in source.rels.values():
            if rel.is_external:
                continue
            part = rel.target_part
            if id(part) in seen:
                continue
            seen.add(id(part))
            found.append(part)
            walk(part)

    walk(package)
    return found


def _page_parts(part: tuple[str, str, str, str, str]
                ) -> tuple[bytes, dict[str, tuple[float, float, float]],
                           dict[str, tuple[float, float, float]]]:
    """In a worker (:class:`QrBatch`): a page's QR picture, and the words only that page
    has (its serial and code, its holder's name) measured, which is most of what planning
    a page costs: the page is then planned here without measuring them again."""
    qr, font, name, serial, code = part
    return (certificates.qr_png_bytes(qr),
            fitter(font, False).measured([*words_of(serial), *words_of(code)]),
            fitter(font, True).measured(words_of(name)))


def write_docx(pages: Sequence[CertificatePage], path: str | os.PathLike[str],
               progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the certificates to ``path`` (a .docx): one landscape A4 page each, in order.

    ``progress(done, total)`` is called after each page; if it raises (a cancel), the
    exception propagates and nothing is written. The file is saved beside ``path`` and
    renamed over it, so a failure never leaves half a file. All pages must share the
    design, font, issuer, logos and background (as :func:`models.certificate_pages.prepare`
    makes them).
    """
    built = build_document(pages, progress)
    return write_file_at(Path(path), functools.partial(_save, built))
