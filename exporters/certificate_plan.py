"""The page plan of one certificate, independent of what draws it: every text's size and
line breaks, every box, picture and ornament placed in millimetres on the landscape A4
page (:func:`plan_page`).

Both writers draw from it — the Word file (:mod:`exporters.certificate_docx`, rows of
exact heights and explicit line breaks) and the painted page for PDF, print and preview
(:mod:`exporters.certificate_paint`, Qt drawing each line at the plan's size and place) —
so a certificate is laid out once, and the two cannot drift apart.

Text is measured by one measurer, :class:`exporters.text_fit.TextFitter` (Pillow over
the bundled fonts, shaped by libraqm): it needs no Qt, so the command line lays out a
Word file without a display. A text block is centred in its slot across and (or, for a
signatory's title, from the top) down, line after line at the font's line pitch; a
line's baseline sits at :attr:`TextFitter.baseline` of its height, halfway between
where Word and LibreOffice put it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from exporters import certificate_designs as cd
from exporters.certificate_designs import PAGE_HEIGHT_MM, PAGE_WIDTH_MM, Box, Design, design
from exporters.text_fit import WIDTH_SAFETY, TextFitter, fitter, largest_size, words_of
from models.certificate_pages import CertificatePage

__all__ = ["Block", "Picture", "Plan", "Shape", "plan_page", "split_lines"]


@dataclass(frozen=True)
class Block:
    """One text as set: its lines (in reading order, broken where the plan broke them),
    size, weight, colour and direction, in ``slot``; ``valign`` 0.5 centres the lines
    in the slot, 0 sets them from its top."""

    role: str
    text: str
    lines: tuple[str, ...]
    size: float                  # points
    bold: bool
    color: str
    slot: Box
    pitch: float                 # mm from one baseline to the next
    baseline: float              # mm from a line's top to its baseline
    ink: tuple[float, float]     # mm the ink reaches above and below a baseline
    widths: tuple[float, ...]    # each line's width, mm
    valign: float = 0.5
    rtl: bool = True

    @property
    def top(self) -> float:
        """The first line's top."""
        return self.slot.top + (self.slot.height - len(self.lines) * self.pitch) * self.valign

    def baselines(self) -> list[float]:
        """Each line's baseline, mm from the page's top."""
        return [self.top + i * self.pitch + self.baseline for i in range(len(self.lines))]

    @property
    def ink_box(self) -> Box:
        """The rectangle the lines' ink takes."""
        first = self.baselines()
        width = max(self.widths, default=0.0)
        top = first[0] - self.ink[0]
        return Box(self.slot.left + (self.slot.width - width) / 2, top, width,
                   first[-1] + self.ink[1] - top)


@dataclass(frozen=True)
class Picture:
    """An image file drawn at ``box`` (already of the image's shape)."""

    role: str                    # logo, signature
    path: Path
    box: Box


@dataclass(frozen=True)
class Shape:
    """One stroke or fill of an ornament, in mm. ``kind``: "rect" (points: the two
    corners), "polygon", "ellipse" (points: the centre; ``radius``), "dots" (a row of
    round dots ``radius`` wide every ``step`` from the first point to the second)."""

    kind: str
    points: tuple[tuple[float, float], ...]
    fill: str | None = None
    stroke: str | None = None
    width: float = 0.0
    radius: float = 0.0
    step: float = 0.0


@dataclass(frozen=True)
class Plan:
    """Everything placed on one page."""

    design: Design
    blocks: tuple[Block, ...]
    pictures: tuple[Picture, ...]
    qr: Box
    ornaments: tuple[Shape, ...]

    def block(self, role: str) -> Block | None:
        """The first block of that role."""
        return next((b for b in self.blocks if b.role == role), None)


# --- line breaking -----------------------------------------------------------------------

def split_lines(f: TextFitter, text: str, size: float, width_mm: float) -> tuple[str, ...]:
    """``text`` broken between words as :meth:`TextFitter.lines` counts them, then the
    lines evened out (the narrowest width that keeps their number), so a centred text
    does not end on one lonely word."""
    words = words_of(text)
    if not words:
        return ("",)

    def greedy(limit_mm: float) -> list[list[str]]:
        limit = limit_mm / (size * cd.PT_MM)
        lines: list[list[str]] = []
        used = None
        for w in words:
            width = f.word(w)
            if used is not None and used + f.space + width <= limit:
                lines[-1].append(w)
                used += f.space + width
            else:
                lines.append([w])
                used = width
        return lines

    best = greedy(width_mm)
    if len(best) > 1:
        lo, hi = width_mm * 0.4, width_mm
        while hi - lo > 1.0:
            mid = (lo + hi) / 2
            tried = greedy(mid)
            if len(tried) == len(best) and all(
                    f.width_mm(" ".join(line), size) <= mid for line in tried):
                best, hi = tried, mid
            else:
                lo = mid
    return tuple(" ".join(line) for line in best)


# --- the plan ----------------------------------------------------------------------------

def _block(role: str, text: str, f: TextFitter, size: float, slot: Box, color: str, *,
           bold: bool, lines: tuple[str, ...] | None = None, valign: float = 0.5,
           rtl: bool = True) -> Block:
    em = size * cd.PT_MM
    if lines is None:
        lines = split_lines(f, text, size, slot.width * WIDTH_SAFETY)
    above, below = f.ink(text)
    return Block(role, text, lines, size, bold, color, slot, f.line_height * em,
                 f.baseline * em, (above * em, below * em),
                 tuple(f.width_mm(line, size) for line in lines), valign, rtl)


def _fit(role: str, text: str, f: TextFitter, slot: Box, largest: float, smallest: float,
         color: str, *, bold: bool, one_line: bool = False, valign: float = 0.5,
         rtl: bool = True) -> Block:
    if one_line:  # never wrapped (a serial): shrink until it fits the width
        usable = slot.width * WIDTH_SAFETY
        size = largest_size(lambda s: 1 if f.width_mm(text, s) <= usable else None,
                            largest, cd.SIZE_FLOOR) or cd.SIZE_FLOOR
        return _block(role, text, f, size, slot, color, bold=bold, lines=(text,),
                      valign=valign, rtl=rtl)
    fit = f.fit(text, slot.width, slot.height, largest, smallest)
    return _block(role, text, f, fit.size, slot, color, bold=bold, valign=valign, rtl=rtl)


@functools.lru_cache(maxsize=64)
def _image_shape(path: str, _stamp: int) -> tuple[int, int] | None:
    try:
        with Image.open(path) as image:
            return image.size if image.width > 0 and image.height > 0 else None
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _contain(path: Path | None, box: Box, *, bottom: bool = False) -> Picture | None:
    """The image's largest rectangle inside ``box``, centred (or standing on its
    bottom); None when the file is gone or is no image."""
    if path is None:
        return None
    try:
        stamp = Path(path).stat().st_mtime_ns
    except OSError:
        return None
    shape = _image_shape(str(path), stamp)
    if shape is None:
        return None
    scale = min(box.width / shape[0], box.height / shape[1])
    w, h = shape[0] * scale, shape[1] * scale
    top = box.bottom - h if bottom else box.top + (box.height - h) / 2
    return Picture("", Path(path), Box(box.left + (box.width - w) / 2, top, w, h))


def text_slots(d: Design) -> dict[str, Box]:
    """The slot of each text row: from its box's top to the next box's top (the Word
    file's rows), across its box's width."""
    kinds = ("title", "lead", "name", "body", "date")
    tops = [getattr(d, k).top for k in kinds] + [d.signers.top]
    return {k: Box(getattr(d, k).left, top, getattr(d, k).width, below - top)
            for k, top, below in zip(kinds, tops, tops[1:], strict=False)}


def signer_columns(d: Design) -> list[Box]:
    """The signatories' columns, from the right (where Arabic starts)."""
    col = d.signers.width / cd.SIGNER_COLUMNS
    return [Box(d.signers.right - (n + 1) * col, d.signers.top, col, d.signers.height)
            for n in range(cd.SIGNER_COLUMNS)]


def qr_square(d: Design) -> Box:
    """The QR picture's square, quiet zone included."""
    side = min(d.qr.width, d.qr.height)
    return Box(d.qr.left, d.qr.top, side, side)


def _sentences(f: TextFitter, d: Design, slots: dict[str, Box], lead: str, body: str
               ) -> tuple[float, float]:
    """One size for the sentence before the name and the one after it, the largest at
    which both fit; and the lead's row height (it grows into the body's when a template
    puts a long sentence before the name)."""
    usable = slots["lead"].width * WIDTH_SAFETY
    lead_row, total = slots["lead"].height, slots["lead"].height + slots["body"].height

    def need(text: str, size: float) -> float:
        return f.row_mm(text, size, f.lines(text, size, usable)) if text else 0.0

    def ok(size: float) -> int | None:
        lead_h = max(lead_row, need(lead, size))
        return 1 if need(body, size) <= total - lead_h else None

    size = (largest_size(ok, d.body_pt, d.body_min_pt)
            or largest_size(ok, d.body_min_pt, cd.SIZE_FLOOR) or cd.SIZE_FLOOR)
    return size, max(lead_row, need(lead, size))


@functools.lru_cache(maxsize=256)
def _shared(d: Design, font: str, issuer: tuple[str, ...], title: str, lead: str,
            body: str, date_line: str, signers: tuple[tuple[str, str], ...]
            ) -> tuple[tuple[Block, ...], float]:
    """The blocks that repeat on the pages of one run, made once; and how far the lead's
    row grew (the name's row moves down that much, the body's row shrinks)."""
    regular, bold = fitter(font, False), fitter(font, True)
    blocks: list[Block] = []
    # Issuer lines: one block of lines of their own sizes, centred in the header
    # between the logos.
    inner = Box(d.header.left + d.logo_mm, d.header.top, d.header.width - 2 * d.logo_mm,
                d.header.height)
    lines = [line for line in issuer if line.strip()][:4]
    fitted = []
    for n, line in enumerate(lines):
        f = bold if n == 0 else regular
        fit = f.fit(line, inner.width, inner.height / max(len(lines), 1),
                    d.issuer_pt + (1 if n == 0 else 0), d.small_pt, one_line_first=True)
        fitted.append((line, f, fit.size))
    total = sum(f.line_mm(size) * len(split_lines(f, line, size, inner.width * WIDTH_SAFETY))
                for line, f, size in fitted)
    top = d.header.top + (d.header.height - total) / 2
    for n, (line, f, size) in enumerate(fitted):
        lines_of = split_lines(f, line, size, inner.width * WIDTH_SAFETY)
        height = f.line_mm(size) * len(lines_of)
        blocks.append(_block("issuer", line, f, size, Box(inner.left, top, inner.width, height),
                             d.ink if n == 0 else d.muted, bold=n == 0, lines=lines_of))
        top += height

    slots = text_slots(d)
    if title.strip():
        blocks.append(_fit("title", title, bold, slots["title"], d.title_pt, d.title_min_pt,
                           d.accent, bold=True))
    size, lead_h = _sentences(regular, d, slots, lead, body)
    lead_slot = Box(slots["lead"].left, slots["lead"].top, slots["lead"].width, lead_h)
    growth = lead_h - slots["lead"].height
    body_slot = Box(slots["body"].left, slots["body"].top + growth, slots["body"].width,
                    slots["body"].height - growth)
    if lead.strip():
        blocks.append(_block("lead", lead, regular, size, lead_slot, d.ink, bold=False))
    if body.strip():
        blocks.append(_block("body", body, regular, size, body_slot, d.ink, bold=False))
    if date_line.strip():
        blocks.append(_fit("date", date_line, regular, slots["date"], d.small_pt + 1,
                           d.small_pt - 1, d.muted, bold=False))
    # Signatories, in columns from the right: signature, name, title.
    for (name, title_of), col in zip(signers, signer_columns(d), strict=False):
        inner_col = Box(col.left + cd.SIGNER_PAD_MM, col.top, col.width - 2 * cd.SIGNER_PAD_MM,
                        col.height)
        name_slot = Box(inner_col.left, col.top + cd.SIGNATURE_MM, inner_col.width,
                        cd.SIGNER_NAME_MM)
        title_slot = Box(inner_col.left, name_slot.bottom, inner_col.width,
                         col.bottom - name_slot.bottom)
        if name.strip():
            blocks.append(_fit("signer", name, bold, name_slot, d.small_pt + 1,
                               d.small_pt - 1, d.ink, bold=True))
        if title_of.strip():
            blocks.append(_fit("signer_title", title_of, regular, title_slot, d.small_pt,
                               d.small_pt - 1, d.muted, bold=False, valign=0.0))
    return tuple(blocks), growth


def plan_page(page: CertificatePage) -> Plan:
    """Where everything of ``page`` goes, and at what size."""
    d = design(page.design)
    regular, bold = fitter(page.font, False), fitter(page.font, True)
    shared, growth = _shared(d, page.font, tuple(page.issuer), page.title, page.lead,
                          page.body, page.date_line,
                          tuple((s.name, s.title) for s in page.signers[:cd.SIGNER_COLUMNS]))
    blocks = list(shared)
    slot = text_slots(d)["name"]
    if page.name.strip():
        blocks.append(_fit("name", page.name, bold, Box(slot.left, slot.top + growth,
                                                          slot.width, slot.height),
                           d.name_pt, d.name_min_pt, d.accent, bold=True))
    qr = qr_square(d)
    under = Box(qr.left - 4, qr.bottom, qr.width + 8, cd.QR_TEXT_MM)
    for role, text in (("serial", page.serial), ("code", page.code)):
        if text.strip():
            blocks.append(_fit(role, text, regular, under, d.small_pt, d.small_pt - 3,
                               d.muted, bold=False, one_line=True, rtl=False))
        under = Box(under.left, under.bottom, under.width, under.height)

    pictures: list[Picture] = []
    logo = d.logo_mm
    for n, path in enumerate(page.logos[:2]):
        slot = Box(d.header.right - logo if n == 0 else d.header.left,
                   d.header.top + (d.header.height - logo) / 2, logo, logo)
        found = _contain(path, Box(slot.left + 2, slot.top + 2, logo - 4, logo - 4))
        if found is not None:
            pictures.append(Picture("logo", found.path, found.box))
    for signer, col in zip(page.signers[:cd.SIGNER_COLUMNS], signer_columns(d), strict=False):
        box = Box(col.left + cd.SIGNER_PAD_MM + 2, col.top + 1,
                  col.width - 2 * cd.SIGNER_PAD_MM - 4, cd.SIGNATURE_MM - 1)
        found = _contain(signer.image, box, bottom=True)
        if found is not None:
            pictures.append(Picture("signature", found.path, found.box))
    return Plan(d, tuple(blocks), tuple(pictures), qr, ornaments(d))


# --- ornaments ---------------------------------------------------------------------------

def mix(color: str, amount: float) -> str:
    """``color`` mixed with white: 1 is the colour, 0 is white."""
    c = color.lstrip("#")
    rgb = [int(c[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - v) * amount):02x}" for v in rgb)


def _star(cx: float, cy: float, radius: float) -> tuple[tuple[float, float], ...]:
    """An eight-pointed star (two squares, one turned by 45°), as one outline."""
    inner = radius * math.cos(math.pi / 4) / math.cos(math.pi / 8)
    return tuple((cx + (radius if k % 2 == 0 else inner) * math.cos(math.pi / 8 * k),
                  cy + (radius if k % 2 == 0 else inner) * math.sin(math.pi / 8 * k))
                 for k in range(16))


def _diamond(cx: float, cy: float, rx: float, ry: float) -> tuple[tuple[float, float], ...]:
    return ((cx + rx, cy), (cx, cy - ry), (cx - rx, cy), (cx, cy + ry))


def _dots(a: tuple[float, float], b: tuple[float, float], skip: float, step: float,
          color: str, radius: float) -> Shape:
    """A whole number of dots ``step`` apart, centred between ``skip`` from each end, so
    both ends of a side look alike."""
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    n = int((length - 2 * skip) // step)
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    start = (length - n * step) / 2
    end = start + n * step
    return Shape("dots", ((a[0] + ux * start, a[1] + uy * start),
                          (a[0] + ux * end, a[1] + uy * end)),
                 fill=color, radius=radius, step=step)


@functools.lru_cache(maxsize=8)
def ornaments(d: Design) -> tuple[Shape, ...]:
    """The design's frame, band and rules, in drawing order."""
    shapes: list[Shape] = []
    if d.frame == "ornate":
        color = d.frame_color
        o, i = cd.FRAME_OUTER_MM, cd.FRAME_INNER_MM
        w, h = PAGE_WIDTH_MM, PAGE_HEIGHT_MM

        def rect(inset: float, width: float) -> Shape:
            return Shape("rect", ((inset, inset), (w - inset, h - inset)), stroke=color,
                         width=width)

        shapes += [rect(o, 1.1), rect(i, 0.3), rect(o + 1.3, 0.3)]
        m = (o + i) / 2
        skip = cd.FRAME_STAR_MM + 1.2
        bead = mix(color, 0.8)
        corners = ((m, m), (w - m, m), (m, h - m), (w - m, h - m))
        for a, b in ((corners[0], corners[1]), (corners[2], corners[3]),
                     (corners[0], corners[2]), (corners[1], corners[3])):
            shapes.append(_dots(a, b, skip, 3.9, bead, 0.65))
        for cx, cy in corners:
            shapes.append(Shape("polygon", _star(cx, cy, cd.FRAME_STAR_MM), fill="#ffffff",
                                stroke=color, width=0.35))
            shapes.append(Shape("polygon", _star(cx, cy, cd.FRAME_STAR_MM * 0.55),
                                fill=mix(color, 0.25), stroke=color, width=0.35))
            shapes.append(Shape("ellipse", ((cx, cy),), fill=color, radius=1.1))
        for y in (i, h - i):
            shapes.append(Shape("polygon", _diamond(w / 2, y, 4.0, 1.6), fill="#ffffff",
                                stroke=color, width=0.3))
            shapes.append(Shape("polygon", _diamond(w / 2, y, 1.8, 0.8), fill=color))
    elif d.frame == "band":
        color = d.band_color
        band = cd.BAND_MM
        rule_x = PAGE_WIDTH_MM - band - cd.BAND_RULE_GAP_MM - cd.BAND_RULE_MM
        title = d.title
        shapes += [
            Shape("rect", ((PAGE_WIDTH_MM - band, 0), (PAGE_WIDTH_MM, PAGE_HEIGHT_MM)),
                  fill=color),
            Shape("rect", ((rule_x, 0), (rule_x + cd.BAND_RULE_MM, PAGE_HEIGHT_MM)),
                  fill=color),
            # Between the title's row and the sentence under it, clear of both.
            Shape("rect", ((title.left + (title.width - cd.TITLE_RULE_MM) / 2,
                            d.lead.top + 0.3),
                           (title.left + (title.width + cd.TITLE_RULE_MM) / 2,
                            d.lead.top + 1.1)), fill=color),
        ]
    return tuple(shapes)


def draw_ornaments_png(d: Design, dpi: int = 300) -> bytes | None:
    """The design's ornaments as a transparent full-page PNG (for Word, which cannot
    draw them): the same shapes the painter draws, at ``dpi``."""
    import io

    from PIL import ImageDraw

    shapes = ornaments(d)
    if not shapes:
        return None
    px = dpi / 25.4
    image = Image.new("RGBA", (round(PAGE_WIDTH_MM * px), round(PAGE_HEIGHT_MM * px)),
                      (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def p(x: float, y: float) -> tuple[float, float]:
        return (x * px, y * px)

    for s in shapes:
        width = max(1, round(s.width * px))
        if s.kind == "rect":
            (x0, y0), (x1, y1) = s.points
            if s.fill:
                draw.rectangle([p(x0, y0), p(x1, y1)], fill=s.fill)
            if s.stroke:  # the stroke centred on the outline, as Qt draws it
                half = s.width / 2
                draw.rectangle([p(x0 - half, y0 - half), p(x1 + half, y1 + half)],
                               outline=s.stroke, width=width)
        elif s.kind == "polygon":
            draw.polygon([p(x, y) for x, y in s.points], fill=s.fill,
                         outline=s.stroke, width=width if s.stroke else 0)
        elif s.kind == "ellipse":
            (cx, cy), r = s.points[0], s.radius
            draw.ellipse([p(cx - r, cy - r), p(cx + r, cy + r)], fill=s.fill)
        elif s.kind == "dots":
            (ax, ay), (bx, by) = s.points
            length = math.hypot(bx - ax, by - ay)
            n = round(length / s.step) if s.step else 0
            for k in range(n + 1):
                t = k / n if n else 0.0
                cx, cy, r = ax + (bx - ax) * t, ay + (by - ay) * t, s.radius
                draw.ellipse([p(cx - r, cy - r), p(cx + r, cy + r)], fill=s.fill)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def blocks_of(plan: Plan, roles: Sequence[str]) -> list[Block]:
    """The plan's blocks of those roles, in order."""
    return [b for b in plan.blocks if b.role in roles]
