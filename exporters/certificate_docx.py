"""Certificates of participation as one Word file: one landscape A4 page per certificate,
right to left, editable in Word (:func:`write_docx`).

**Layout.** What every page shares is written once, in the section header: the issuer
lines between the logos, the design's frame (a page border with corner ornaments, or a
coloured band and rule) and the background image, both behind the text. What changes from
page to page is in the body: one borderless right-to-left table per page whose rows have
exact heights taken from :mod:`exporters.certificate_designs` — title, the sentence before
the name, the name, the sentence after it, the date, then the signatories beside the QR
code with its serial and short code. Exact rows keep every page in place whatever the
text, so a certificate can never push the next one onto a second page.

**Fitting.** Each text is measured with the real font (:mod:`exporters.text_fit`)
against its box, less a safety margin: the title and the name shrink from the design's largest size
towards its smallest on one line, then wrap; the two sentences around the name take the
largest common size at which both fit their boxes. Lines have an exact height (a
multiple of the size), so the same count of lines takes the same room in Word and in
LibreOffice. The font is embedded in the file, so Word on a machine without it shows
what was measured.

**Speed.** The page table is built once and deep-copied per page, its text runs, sizes
and the QR picture's relationship filled in; image parts are added directly, not through
python-docx's per-image search. The QR PNGs (a few milliseconds each) are made by
:class:`exporters.qr_batch.QrBatch`, in worker processes for large batches, while the
pages are built.
"""

from __future__ import annotations

import copy
import functools
import io
import math
import os
import re
import uuid
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
from PIL import Image as PILImage
from PIL import ImageDraw

from exporters import rtl
from exporters.attendance_sheet import save_atomically
from exporters.certificate_designs import PAGE_HEIGHT_MM, PAGE_WIDTH_MM, Box, Design, design
from exporters.qr_batch import QrBatch
from exporters.text_fit import (
    FONT_FILES,
    FONTS_DIR,
    PT_MM,
    SIZE_FLOOR,
    WIDTH_SAFETY,
    Fit,
    fitter,
    largest_size,
)
from models.certificate_pages import CertificatePage, Signer

__all__ = ["build_document", "write_docx"]

# Latin letters (the serial, the short code, a Latin word in a name) in a font that has
# them: Noto Sans Arabic UI has none; Arial is on every Windows machine and LibreOffice
# maps it to the metric-compatible Liberation Sans.
LATIN_FONT = {"Amiri": "Amiri", "Noto Sans Arabic UI": "Arial"}

TWIPS_PER_MM = 1440 / 25.4
EMU_PER_MM = 36000

# The body table's edges (mm from the page's left): symmetric about the page's middle so
# that "left" and "right" cell margins never need telling apart in a right-to-left table.
BODY_LEFT = 28.0
BODY_RIGHT = PAGE_WIDTH_MM - BODY_LEFT
BOTTOM_MARGIN = 12.0     # leaves room below the table for the page-break paragraph
QR_MM = 30.0             # the QR picture (quiet zone included)
SIGNATURE_MM = 15.0      # the signature image's height at most
TINY_PT = 1.0            # the page-break paragraph after each table

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

def _png(image: PILImage.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def _solid_png(hex_color: str) -> bytes:
    """One pixel of a colour: stretched, a crisp rectangle in Word and LibreOffice."""
    return _png(PILImage.new("RGB", (1, 1), hex_color))


@functools.lru_cache(maxsize=8)
def _corner_png(hex_color: str, size_mm: float, dpi: int = 600) -> bytes:
    """The formal design's ornament for the top-right corner (its corner at the image's
    top right): two nested rules along the edges with a dot at each end, and an
    eight-pointed star on the diagonal; drawn four times larger and scaled down for
    smooth edges."""
    px = round(size_mm / 25.4 * dpi)
    big = px * 4
    unit = big / size_mm  # pixels a millimetre at the drawing size
    image = PILImage.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    color = PILImage.new("RGB", (1, 1), hex_color).getpixel((0, 0))

    def at(x_mm: float, y_mm: float) -> tuple[float, float]:
        return (big - x_mm * unit, y_mm * unit)  # x measured from the right edge

    for offset, length, width_mm in ((1.0, size_mm - 1.0, 0.5), (2.8, size_mm * 0.62, 0.3)):
        width = max(1, round(width_mm * unit))
        draw.line([at(length, offset), at(offset, offset), at(offset, length)], fill=color,
                  width=width, joint="curve")
    dot = 0.75 * unit
    for x, y in ((size_mm - 1.0, 1.0), (1.0, size_mm - 1.0)):
        cx, cy = at(x, y)
        draw.ellipse([cx - dot, cy - dot, cx + dot, cy + dot], fill=color)
    # The star: two squares turned 45° to each other, as in Islamic geometric ornament.
    cx, cy = at(7.6, 7.6)
    outer, inner = 3.3 * unit, 3.3 * unit * 0.7654
    points = []
    for k in range(16):
        radius = outer if k % 2 == 0 else inner
        angle = math.pi / 8 * k
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=color)
    hole = 0.9 * unit
    draw.ellipse([cx - hole, cy - hole, cx + hole, cy + hole], fill=(0, 0, 0, 0))
    return _png(image.resize((px, px), PILImage.LANCZOS))


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


def _contain(size: tuple[int, int], width_mm: float, height_mm: float) -> tuple[float, float]:
    """The largest size of that aspect inside width × height."""
    w, h = size
    scale = min(width_mm / w, height_mm / h)
    return w * scale, h * scale


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
        data = _obfuscate((FONTS_DIR / name).read_bytes(), key)
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


def _page_borders(doc: Document, look: Design) -> None:
    """The formal design's double frame, as a page border (Word and LibreOffice draw it)."""
    sect = doc.sections[0]._sectPr
    edge = {"w:val": "thinThickSmallGap", "w:sz": "24", "w:space": "22",
            "w:color": _color(look.frame_color)}
    borders = _el("w:pgBorders", {"w:offsetFrom": "page"},
                  *(_el(f"w:{side}", edge) for side in ("top", "left", "bottom", "right")))
    sect.insert_element_before(borders, "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt",
                               "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                               "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
                               "w:sectPrChange")


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


def _header(doc: Document, page: CertificatePage, look: Design, ids: _Ids,
            counter: list[int]) -> None:
    """The section header: issuer lines between the logos, and the frame, band and
    background behind the page."""
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
    # Spacer columns put the box where the design wants it: a table indent would be
    # measured from the left by LibreOffice and from the right by Word.
    right_gap = max(BODY_RIGHT - box.right, 0.0)
    left_gap = max(box.left - BODY_LEFT, 0.0)
    middle = BODY_RIGHT - BODY_LEFT - right_gap - left_gap - 2 * logo
    widths = [right_gap, logo, middle, logo, left_gap]
    tbl = _table([w for w in widths if w > 0])
    tr = _row(tbl, box.height)
    cells = [_cell(tr, w) if w > 0 else None for w in widths]
    issuer, logo_cells = cells[2], (cells[1], cells[3])
    lines = list(page.issuer)
    line_box = box.height / max(len(lines), 1)
    for i, line in enumerate(lines):
        measure = fitter(page.font, i == 0)
        fit = measure.fit(line, middle, line_box, look.issuer_pt, look.small_pt)
        par = _para(measure.line_mm(fit.size))
        runs.fill(par, line, fit.size, bold=(i == 0), color=look.muted)
        issuer.append(par)
    logos = [d for d in (_read(p) for p in page.logos) if d][:2]
    for data, cell in zip(logos, logo_cells, strict=False):
        w, h = _contain(_image_size(data), logo - 4, logo - 4)
        par = _para()
        rid = _add_image(part, data, "logo", counter)
        par.append(_drawing_run(_inline(rid, ids(), "logo", w, h)))
        cell.append(par)
    for cell in cells:
        if cell is not None and cell.find(qn("w:p")) is None:
            cell.append(_para())
    root.append(tbl)

    # Pictures behind everything, anchored to the header's last paragraph.
    last = _para(TINY_PT * PT_MM, mark_pt=TINY_PT)
    z = 1
    pictures: list[tuple[bytes, str, Box, tuple | None]] = []
    background = _read(page.background)
    if background is not None:
        w, h = _image_size(background)
        page_ratio = PAGE_WIDTH_MM / PAGE_HEIGHT_MM
        if w / h > page_ratio:  # wider than the page: cut the sides
            cut = (1 - page_ratio * h / w) / 2
            crop = (cut, 0.0, cut, 0.0)
        else:
            cut = (1 - w / (page_ratio * h)) / 2
            crop = (0.0, cut, 0.0, cut)
        pictures.append((background, "background", Box(0, 0, PAGE_WIDTH_MM, PAGE_HEIGHT_MM),
                         crop))
    pictures += _frame_pictures(look)
    for data, name, where, crop in pictures:
        rid = _add_image(part, data, name, counter)
        run = _drawing_run(_anchor(rid, ids(), name, where, z=z, crop=crop))
        z += 1
        last.append(run)
    root.append(last)
    if look.frame == "ornate":
        _page_borders(doc, look)


CORNER_MM = 16.0
FRAME_INSET_MM = 11.5    # the page border's inner edge (22 pt from the page + its width)
BAND_MM = 12.0
STRIP_DPI = 400


@functools.lru_cache(maxsize=8)
def _corner_strip(hex_color: str, bottom: bool) -> bytes:
    """The page's width, one corner ornament at each end (mirrored), clear between."""
    corner = PILImage.open(io.BytesIO(_corner_png(hex_color, CORNER_MM, STRIP_DPI)))
    if bottom:
        corner = corner.transpose(PILImage.Transpose.FLIP_TOP_BOTTOM)
    per_mm = STRIP_DPI / 25.4
    strip = PILImage.new("RGBA", (round(PAGE_WIDTH_MM * per_mm), corner.height), (0, 0, 0, 0))
    inset = round(FRAME_INSET_MM * per_mm)
    strip.paste(corner, (strip.width - inset - corner.width, 0))
    strip.paste(corner.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT), (inset, 0))
    return _png(strip)


@functools.lru_cache(maxsize=8)
def _band_strip(hex_color: str) -> bytes:
    """One row a tenth of a millimetre a pixel across the page: the band at the right
    edge and a rule beside it, clear elsewhere; stretched down the page's height."""
    per_mm = 10
    row = PILImage.new("RGBA", (round(PAGE_WIDTH_MM * per_mm), 1), (0, 0, 0, 0))
    color = PILImage.new("RGB", (1, 1), hex_color).getpixel((0, 0)) + (255,)
    right = row.width
    for start, width in ((PAGE_WIDTH_MM - BAND_MM, BAND_MM),
                         (PAGE_WIDTH_MM - BAND_MM - 3.0, 0.7)):
        for x in range(round(start * per_mm), min(right, round((start + width) * per_mm))):
            row.putpixel((x, 0), color)
    return _png(row)


def _frame_pictures(look: Design) -> list[tuple[bytes, str, Box, None]]:
    """The design's decoration as pictures behind the text. Each spans the page's whole
    width: LibreOffice (and, it seems, Word) measures a picture's offset from the right
    edge when its anchor paragraph is right to left, and a full-width picture lands in
    the same place either way."""
    if look.frame == "ornate":
        top = FRAME_INSET_MM
        bottom = PAGE_HEIGHT_MM - FRAME_INSET_MM - CORNER_MM
        return [
            (_corner_strip(look.frame_color, False), "corners",
             Box(0, top, PAGE_WIDTH_MM, CORNER_MM), None),
            (_corner_strip(look.frame_color, True), "corners",
             Box(0, bottom, PAGE_WIDTH_MM, CORNER_MM), None),
        ]
    if look.frame == "band":
        rule_w = 50.0
        return [
            (_band_strip(look.band_color), "band", Box(0, 0, PAGE_WIDTH_MM, PAGE_HEIGHT_MM),
             None),
            # A short rule between the title and the sentence under it, centred (the
            # same from either edge).
            (_solid_png(look.band_color), "rule",
             Box((PAGE_WIDTH_MM - rule_w) / 2, look.lead.top + 0.3, rule_w, 0.7), None),
        ]
    return []


# --- one page ----------------------------------------------------------------------------

# The text rows of a page, top to bottom.
_TEXT_ROWS = ("title", "lead", "name", "body", "date")


@dataclass
class _Slots:
    """Where, inside a copy of the page table, each changing part sits (child indexes)."""

    title: tuple[int, ...]
    lead: tuple[int, ...]
    name: tuple[int, ...]
    body: tuple[int, ...]
    date: tuple[int, ...]
    signers: tuple[int, ...]   # the cell
    qr: tuple[int, ...]        # the QR picture's a:blip
    serial: tuple[int, ...]
    code: tuple[int, ...]
    lead_height: tuple[int, ...]  # the w:trHeight of the lead's row
    body_height: tuple[int, ...]


def _path(root, el) -> tuple[int, ...]:
    steps = []
    while el is not root:
        parent = el.getparent()
        steps.append(parent.index(el))
        el = parent
    return tuple(reversed(steps))


def _at(root, path: tuple[int, ...]):
    for i in path:
        root = root[i]
    return root


class _PageBuilder:
    """Builds each page's table from one template, with text fitted to the design."""

    def __init__(self, doc: Document, first: CertificatePage, look: Design, ids: _Ids,
                 counter: list[int]) -> None:
        self.doc, self.look, self.ids, self.counter = doc, look, ids, counter
        self.runs = _Runs()
        self.regular = fitter(first.font, False)
        self.bold = fitter(first.font, True)
        self.text_width = BODY_RIGHT - BODY_LEFT
        self.pad = (self.text_width - look.title.width) / 2
        self.width = look.title.width
        tops = [getattr(look, kind).top for kind in _TEXT_ROWS] + [look.signers.top]
        self.rows = {kind: below - top for kind, top, below in
                     zip(_TEXT_ROWS, tops, tops[1:], strict=False)}
        self._fits: dict[tuple, Fit] = {}
        self._sentence_fits: dict[tuple[str, str], tuple[float, float, float]] = {}
        self._signers: dict[tuple[Signer, ...], etree._Element] = {}
        self._cell_end = _para(TINY_PT * PT_MM, mark_pt=TINY_PT)
        self.template, self.slots = self._template()

    def _template(self) -> tuple[etree._Element, _Slots]:
        """The page table with empty paragraphs where the text goes. Each text row
        reaches from its box's top to the next box's top, so the text has the design's
        place and any room the design leaves below it."""
        look = self.look
        signers_w = BODY_RIGHT - look.signers.left
        # Never narrower than the QR picture: a clipped finder pattern reads as no code.
        qr_w = max(look.qr.right - BODY_LEFT, QR_MM + 2.0)
        gap = self.text_width - signers_w - qr_w
        widths = (signers_w, gap, qr_w)  # from the right
        tbl = _table(widths)
        cells = []
        for kind in _TEXT_ROWS:
            tc = _cell(_row(tbl, self.rows[kind]), self.text_width, span=3, pad_mm=self.pad)
            tc.append(_para(1.0))
            cells.append(tc)
        bottom_h = max(look.signers.bottom, look.qr.bottom + 11.0) - look.signers.top
        tr = _row(tbl, bottom_h)
        signers = _cell(tr, signers_w, valign="top")
        signers.append(_para(1.0))
        _cell(tr, gap).append(_para(1.0))
        qr_cell = _cell(tr, qr_w, valign="top")
        qr_par, serial, code = _para(), _para(1.0), _para(1.0)
        qr_par.append(_drawing_run(_inline("rIdQR", 0, "qr", QR_MM, QR_MM)))
        qr_cell.extend([qr_par, serial, code])
        blip = qr_par.find(f".//{qn('a:blip')}")
        heights = {kind: _path(tbl, tc.getparent().find(f"{qn('w:trPr')}/{qn('w:trHeight')}"))
                   for kind, tc in zip(_TEXT_ROWS, cells, strict=True)}
        slots = _Slots(*(_path(tbl, c.find(qn("w:p"))) for c in cells),
                       signers=_path(tbl, signers), qr=_path(tbl, blip),
                       serial=_path(tbl, serial), code=_path(tbl, code),
                       lead_height=heights["lead"], body_height=heights["body"])
        return tbl, slots

    def _fit(self, kind: str, text: str, largest: float, smallest: float, *,
             bold: bool) -> Fit:
        key = (kind, text)
        found = self._fits.get(key)
        if found is None:
            fitter = self.bold if bold else self.regular
            found = fitter.fit(text, self.width, self.rows[kind], largest, smallest)
            self._fits[key] = found
        return found

    def _sentences(self, lead: str, body: str) -> tuple[float, float, float]:
        """One size for the sentence before the name and the one after it, the largest
        at which both fit; with the heights of their rows. The lead's row grows into the
        body's when a template puts a long sentence before the name."""
        key = (lead, body)
        found = self._sentence_fits.get(key)
        if found is not None:
            return found
        f, usable = self.regular, self.width * WIDTH_SAFETY
        lead_row, total = self.rows["lead"], self.rows["lead"] + self.rows["body"]

        def need(text: str, size: float) -> float:
            return f.row_mm(text, size, f.lines(text, size, usable)) if text else 0.0

        def ok(size: float) -> int | None:
            lead_h = max(lead_row, need(lead, size))
            return 1 if need(body, size) <= total - lead_h else None

        size = (largest_size(ok, self.look.body_pt, self.look.body_min_pt)
                or largest_size(ok, self.look.body_min_pt, SIZE_FLOOR) or SIZE_FLOOR)
        lead_h = max(lead_row, need(lead, size))
        found = self._sentence_fits[key] = (size, lead_h, total - lead_h)
        return found

    def _signers_block(self, signers: tuple[Signer, ...]) -> etree._Element | None:
        if not signers:
            return None
        found = self._signers.get(signers)
        if found is not None:
            return found
        look = self.look
        n = len(signers)
        box = look.signers
        width = (BODY_RIGHT - box.left) / max(n, 1)
        tbl = _table([width] * n)
        image_row = _row(tbl, SIGNATURE_MM + 2)
        text_row = _row(tbl, box.height - SIGNATURE_MM - 2)
        part = self.doc.part
        for signer in signers:
            image_cell = _cell(image_row, width, valign="bottom", pad_mm=3)
            par = _para()
            data = _read(signer.image)
            if data is not None:
                w, h = _contain(_image_size(data), width - 10, SIGNATURE_MM)
                rid = _add_image(part, data, "signature", self.counter)
                par.append(_drawing_run(_inline(rid, self.ids(), "signature", w, h)))
            image_cell.append(par)
            text_cell = _cell(text_row, width, valign="top", pad_mm=3)
            half = (box.height - SIGNATURE_MM - 2) / 2
            inner = Box(0, 0, width - 6, half)
            for text, bold, color, size in ((signer.name, True, look.ink, look.small_pt + 1),
                                            (signer.title, False, look.muted, look.small_pt)):
                if not text:
                    continue
                fitter = self.bold if bold else self.regular
                fit = fitter.fit(text, inner.width, inner.height, size, look.small_pt - 1)
                par = _para(fitter.line_mm(fit.size))
                self.runs.fill(par, text, fit.size, bold=bold, color=color)
                text_cell.append(par)
            if text_cell.find(qn("w:p")) is None:
                text_cell.append(_para())
        self._signers[signers] = tbl
        return tbl

    def page(self, page: CertificatePage, qr_rid: str) -> etree._Element:
        """The page's table, text fitted, the QR picture pointing at ``qr_rid``."""
        look, slots, runs = self.look, self.slots, self.runs
        tbl = copy.deepcopy(self.template)

        def put(path, text, fit, fitter, *, bold, color):
            par = _at(tbl, path)
            _set_line(par, fitter.line_mm(fit.size))
            runs.fill(par, text, fit.size, bold=bold, color=color)

        fit = self._fit("title", page.title, look.title_pt, look.title_min_pt, bold=True)
        put(slots.title, page.title, fit, self.bold, bold=True, color=look.accent)
        fit = self._fit("name", page.name, look.name_pt, look.name_min_pt, bold=True)
        put(slots.name, page.name, fit, self.bold, bold=True, color=look.accent)
        size, lead_h, body_h = self._sentences(page.lead, page.body)
        if lead_h != self.rows["lead"]:
            _at(tbl, slots.lead_height).set(_VAL, _mm_twips(lead_h))
            _at(tbl, slots.body_height).set(_VAL, _mm_twips(body_h))
        if page.lead:
            put(slots.lead, page.lead, Fit(size, 1), self.regular, bold=False, color=look.ink)
        if page.body:
            put(slots.body, page.body, Fit(size, 1), self.regular, bold=False, color=look.ink)
        fit = self._fit("date", page.date_line, look.small_pt + 1, look.small_pt - 1,
                        bold=False)
        put(slots.date, page.date_line, fit, self.regular, bold=False, color=look.muted)

        block = self._signers_block(page.signers)
        if block is not None:
            cell = _at(tbl, slots.signers)
            cell.remove(cell.find(qn("w:p")))
            cell.append(copy.deepcopy(block))
            cell.append(copy.deepcopy(self._cell_end))  # a cell ends with a <w:p>

        _at(tbl, slots.qr).set(_EMBED, qr_rid)
        small = self.regular.line_mm(look.small_pt)
        for path, text in ((slots.serial, page.serial), (slots.code, page.code)):
            par = _at(tbl, path)
            _set_line(par, small)
            runs.fill(par, text, look.small_pt, color=look.muted)
        for doc_pr in tbl.iter(_DOC_PR):  # Word wants every drawing's id unique
            doc_pr.set("id", str(self.ids()))
        return tbl


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


def build_document(pages: Sequence[CertificatePage],
                   progress: Callable[[int, int], None] | None = None) -> Document:
    """The certificates as a python-docx document, not yet saved (see :func:`write_docx`)."""
    if not pages:
        raise ValueError("no certificate pages to write")
    _check_shared(pages)
    first = pages[0]
    look = design(first.design)
    qr_codes = QrBatch([p.qr for p in pages])  # the workers start first
    try:
        return _build(pages, first, look, qr_codes, progress)
    finally:
        qr_codes.close()


def _build(pages: Sequence[CertificatePage], first: CertificatePage, look: Design,
           qr_codes: QrBatch, progress: Callable[[int, int], None] | None) -> Document:
    builder_size = look.body_pt
    doc = rtl.new_document(rtl.DocumentOptions(font=first.font, size=builder_size,
                                               landscape=True))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.left_margin = section.right_margin = Mm(BODY_LEFT)
    section.top_margin = Mm(look.title.top)
    section.bottom_margin = Mm(BOTTOM_MARGIN)
    ids = _Ids()
    counter = [0]
    _style_fonts(doc, first.font)
    _header(doc, first, look, ids, counter)
    _embed_font(doc, first.font)

    builder = _PageBuilder(doc, first, look, ids, counter)
    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    total = len(pages)
    doc_part = doc.part
    page_break = _page_break()
    for done, (page, png) in enumerate(zip(pages, qr_codes, strict=True), 1):
        rid = _add_image(doc_part, png, "qr", counter)
        sect_pr.addprevious(builder.page(page, rid))
        # No break after the last page: it would start an empty one.
        sect_pr.addprevious(copy.deepcopy(page_break) if done < total
                            else _para(TINY_PT * PT_MM, mark_pt=TINY_PT))
        if progress is not None:
            progress(done, total)
    return doc


def write_docx(pages: Sequence[CertificatePage], path: str | os.PathLike[str],
               progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the certificates to ``path`` (a .docx): one landscape A4 page each, in order.

    ``progress(done, total)`` is called after each page; if it raises (a cancel), the
    exception propagates and nothing is written. The file is saved beside ``path`` and
    renamed over it, so a failure never leaves half a file. All pages must share the
    design, font, issuer, logos and background (as :func:`models.certificate_pages.prepare`
    makes them).
    """
    doc = build_document(pages, progress)
    return save_atomically(doc, Path(path))
