"""Certificates as one PDF: a landscape A4 page each, drawn by
:func:`exporters.certificate_paint.paint_page` (the same drawing as the printer and the
preview) on a :class:`QPdfWriter`.

Qt shapes the Arabic and embeds a subset of each font used, so the file shows the same on
any machine. The PDF is built in memory and then written atomically (a temporary file
beside the target, renamed over it): a cancel or an error leaves no file behind, and an
older file of that name stays as it was.

The text stays searchable and copyable in every font. Qt's ToUnicode map (which glyph
stands for which characters) holds only the glyphs the font's character map reaches:
enough for Noto Sans Arabic UI, whose contextual forms are the Unicode presentation
forms, but Amiri reaches most of its forms and ligatures through shaping alone, so an
Amiri page read back as a quarter of its letters. The painter notes every glyph it draws
with the characters it stands for (:class:`exporters.certificate_paint.GlyphLog`); once
the document is made, :func:`searchable` pairs that log with the glyphs of the page
contents, in the same order, and appends complete ToUnicode maps as an incremental update
(the file Qt wrote is left byte for byte in front of it), with glyph widths that let a
reader keep Amiri's kerned letters in one word. Should the pairing not match, the file
stays as Qt wrote it.
"""

from __future__ import annotations

import math
import os
import re
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
from PySide6.QtGui import QPainter, QPdfWriter

from exporters.certificate_paint import GlyphLog, ensure_fonts, page_layout_a4, paint_page
from models.certificate_pages import CertificatePage
from models.errors import IttisalError
from models.files import staged

__all__ = ["MSG", "RESOLUTION", "searchable", "write_pdf"]

# Dots an inch of the PDF's coordinate space: text and vectors stay vectors, this only
# sets how finely positions are written.
RESOLUTION = 300
CREATOR = "Ittisal"

MSG = {
    "empty": ("لا توجد شهادات لكتابتها.", "There are no certificates to write."),
    "painter": ("تعذّر إنشاء ملف PDF.", "The PDF could not be started."),
}


def _document_title(pages: Sequence[CertificatePage], activity: str) -> str:
    first = pages[0].title.strip()
    return f"{first} — {activity.strip()}" if activity.strip() and first else (
        first or activity.strip())


def write_pdf(pages: Sequence[CertificatePage], path: str | os.PathLike[str],
              progress: Callable[[int, int], None] | None = None, *,
              activity: str = "") -> Path:
    """Write the certificates to ``path`` as one PDF, a landscape A4 page each; return
    the path. The document's title is the first page's title and ``activity`` (the
    activity's title, when the caller has it). ``progress(done, total)`` is called after
    each page; if it raises, nothing is written and the error goes on."""
    if not pages:
        raise IttisalError(*MSG["empty"])
    path = Path(path)
    ensure_fonts()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(page_layout_a4())
    writer.setTitle(_document_title(pages, activity))
    writer.setCreator(CREATOR)
    painter = QPainter()
    if not painter.begin(writer):
        raise IttisalError(*MSG["painter"])
    glyphs = GlyphLog()
    try:
        target = QRectF(0, 0, writer.width(), writer.height())
        total = len(pages)
        for done, page in enumerate(pages, 1):
            if done > 1:
                writer.newPage()
            paint_page(painter, page, target, glyphs)
            if progress is not None:
                progress(done, total)
    finally:
        # Ends the document in memory (also after an error: a painter left active is a
        # Qt warning); nothing has reached the disk yet.
        painter.end()
        buffer.close()
    pdf = searchable(data.data(), glyphs)
    with staged(path.parent, prefix=f".{path.name}.") as stage:
        stage.file.write(pdf)
        return stage.commit(path)


# --- the text layer ----------------------------------------------------------------------

class _Unexpected(Exception):
    """The PDF is not laid out as Qt writes it, or its glyphs do not pair with the log."""


def searchable(pdf: bytes, glyphs: GlyphLog) -> bytes:
    """``pdf`` (as QPdfWriter wrote it, ``glyphs`` noted while painting it) with a
    ToUnicode map for every font that gives each glyph drawn the characters it stands
    for; ``pdf`` unchanged when the two do not pair up glyph for glyph."""
    try:
        return _with_maps(pdf, glyphs)
    except (_Unexpected, KeyError, ValueError, IndexError, zlib.error):
        return pdf


_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_REF = rb"(\d+) 0 R"


class _Pdf:
    """Just enough of a PDF reader for the files QPdfWriter writes: one cross-reference
    table, direct objects, one content stream a page."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        starts = re.findall(rb"startxref\s+(\d+)", data[-64:])
        if not starts:
            raise _Unexpected("no startxref")
        self.xref = int(starts[-1])
        head = re.compile(rb"xref\s+").match(data, self.xref)
        if head is None:
            raise _Unexpected("no cross-reference table")
        self.offsets: dict[int, int] = {}
        at = head.end()
        while section := re.compile(rb"(\d+) (\d+)\s+").match(data, at):
            first, count = int(section.group(1)), int(section.group(2))
            at = section.end()
            for k in range(count):
                entry = _XREF_ENTRY.match(data, at)
                if entry is None:
                    raise _Unexpected("bad cross-reference entry")
                if entry.group(3) == b"n":
                    self.offsets[first + k] = int(entry.group(1))
                at = entry.end()
                while data[at:at + 1] in b" \r\n":
                    at += 1
        trailer = re.compile(rb"trailer\s*<<(.*?)>>", re.S).match(data, at)
        if trailer is None:
            raise _Unexpected("no trailer")
        self.trailer = trailer.group(1)

    def obj(self, number: int) -> bytes:
        """The object's text up to its stream or its end."""
        start = self.offsets[number]
        head = re.compile(rb"%d 0 obj\s*" % number).match(self.data, start)
        if head is None:
            raise _Unexpected(f"object {number} is not where the table says")
        end = re.compile(rb"\bstream\r?\n|\bendobj").search(self.data, head.end())
        if end is None:
            raise _Unexpected(f"object {number} has no end")
        return self.data[head.end():end.start()]

    def stream(self, number: int) -> bytes:
        """The object's stream, inflated."""
        body = self.obj(number)
        length = re.search(rb"/Length\s+(\d+)(\s+0\s+R)?", body)
        if length is None:
            raise _Unexpected(f"stream {number} without a length")
        size = int(length.group(1))
        if length.group(2):
            size = int(self.obj(size).strip())
        start = self.offsets[number]
        begin = re.compile(rb"\bstream\r?\n").search(self.data, start)
        if begin is None:
            raise _Unexpected(f"stream {number} has no data")
        raw = self.data[begin.end():begin.end() + size]
        return zlib.decompress(raw) if b"/FlateDecode" in body else raw

    def ref(self, body: bytes, key: bytes) -> int:
        found = re.search(rb"/" + key + rb"\s+" + _REF, body)
        if found is None:
            raise _Unexpected(f"no /{key.decode()}")
        return int(found.group(1))


_TEXT_OPS = re.compile(rb"/(\w+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj")


def _with_maps(data: bytes, glyphs: GlyphLog) -> bytes:
    pdf = _Pdf(data)
    root = pdf.ref(pdf.trailer, b"Root")
    pages = pdf.ref(pdf.obj(root), b"Pages")
    kids = re.search(rb"/Kids\s*\[([^\]]*)\]", pdf.obj(pages))
    if kids is None:
        raise _Unexpected("no page list")
    # The glyphs of every font in the order the pages show them: the order painted.
    shown: dict[int, list[int]] = {}
    for page in (int(n) for n in re.findall(_REF, kids.group(1))):
        body = pdf.obj(page)
        fonts = dict(re.findall(rb"/(\w+)\s+" + _REF,
                                _font_dict(pdf.obj(pdf.ref(body, b"Resources")))))
        current: list[int] | None = None
        for op in _TEXT_OPS.finditer(pdf.stream(pdf.ref(body, b"Contents"))):
            if op.group(1) is not None:
                current = shown.setdefault(int(fonts[op.group(1)]), [])
            elif current is None:
                raise _Unexpected("text before a font")
            else:
                codes = op.group(2)
                current.extend(int(codes[k:k + 4], 16) for k in range(0, len(codes), 4))
    replaced: dict[int, bytes] = {}
    for font, cids in shown.items():
        body = pdf.obj(font)
        name = re.search(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", body)
        drawn = glyphs.fonts.get(name.group(1).decode("latin-1")) if name else None
        if drawn is None or len(drawn) != len(cids):
            raise _Unexpected("the page glyphs do not pair with the log")
        glyph_of: dict[int, int] = {}
        text_of: dict[int, str] = {}
        reach: dict[int, float] = {}
        room: dict[int, float] = {}
        for cid, (glyph, drawn_as) in zip(cids, drawn, strict=True):
            if glyph_of.setdefault(cid, glyph) != glyph:
                raise _Unexpected("one code for two glyphs")
            if drawn_as.text and not text_of.get(cid):
                text_of[cid] = drawn_as.text
            reach[cid] = max(reach.get(cid, 0.0), drawn_as.reach)
            room[cid] = min(room.get(cid, math.inf), drawn_as.room)
        replaced[pdf.ref(body, b"ToUnicode")] = _stream(_cmap(text_of))
        descendant = re.search(rb"/DescendantFonts\s*\[\s*" + _REF, body)
        if descendant is None:
            raise _Unexpected("no CID font")
        number = int(descendant.group(1))
        replaced[number] = _widened(pdf.obj(number), reach, room)
    return _append(pdf, replaced)


def _widened(cid_font: bytes, reach: dict[int, float], room: dict[int, float]) -> bytes:
    """The CID font's dictionary with glyph widths (/W) widened to cover the gaps kerning
    leaves inside a word, never so far as to close the gap to the next word. Only text
    tools read these widths: Qt places every glyph by its own position, so the page
    looks the same."""
    found = re.search(rb"/W\s*\[\s*0\s*\[([^\]]*)\]\s*\]", cid_font)
    if found is None:
        raise _Unexpected("no glyph widths")
    widths = [float(w) for w in found.group(1).split()]
    for cid, wanted in reach.items():
        if cid < len(widths) and wanted > widths[cid]:
            widths[cid] = max(widths[cid], min(wanted, room.get(cid, math.inf)))
    text = b" ".join(b"%d" % round(w) for w in widths)
    return cid_font[:found.start()] + b"/W [0 [" + text + b" ]]" + cid_font[found.end():]


def _stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return (b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
            + b"\nendstream")


def _font_dict(resources: bytes) -> bytes:
    found = re.search(rb"/Font\s*<<(.*?)>>", resources, re.S)
    return found.group(1) if found else b""


def _cmap(text_of: dict[int, str]) -> bytes:
    """A ToUnicode CMap giving each code its characters."""
    lines = []
    items = sorted(text_of.items())
    for k in range(0, len(items), 100):   # at most 100 entries a block
        chunk = items[k:k + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>"
                  for cid, text in chunk]
        lines.append("endbfchar")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange", *lines,
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end", ""],
    ).encode("ascii")


def _append(pdf: _Pdf, objects: dict[int, bytes]) -> bytes:
    """``pdf`` with ``objects`` (number → new body) replaced by an incremental update."""
    if not objects:
        return pdf.data
    out = bytearray(pdf.data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body.strip() + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for number, offset in offsets.items():
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    trailer = re.sub(rb"/Prev\s+\d+", b"", pdf.trailer).strip()
    out += b"trailer\n<< %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        trailer, pdf.xref, xref)
    return bytes(out)
