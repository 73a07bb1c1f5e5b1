"""The painted certificate: one drawing routine for the PDF, the printer and the live
preview, so that what the user sees before printing is what leaves.

:func:`paint_page` draws one landscape certificate (297 × 210 mm) into any rectangle of any
paint device: a :class:`QPdfWriter` page (:mod:`exporters.certificate_pdf`), a
:class:`QPrinter` sheet (:func:`print_pages`) or an image (:func:`render_image`). The
design's colours, frame, sizes and boxes come from :mod:`exporters.certificate_designs`
through the page plan, the words from :class:`models.certificate_pages.CertificatePage`.

How it draws:

- Coordinates are tenths of a millimetre of the page, scaled onto the target, so the
  layout is the same at 60 dpi on screen and 1200 dpi on paper. Fonts are sized for the
  device's resolution so that one point stays 1/72 inch of the page, and unhinted, so
  lines break at the same words whatever the device.
- What goes where, at what size and with which line breaks, is the page plan's
  (:func:`exporters.certificate_plan.plan_page`), which the Word file follows too: each
  line of each text is laid out with :class:`QTextLayout` at the plan's size, right to
  left (Qt shapes Arabic itself), centred on its slot with its baseline where the plan
  puts it, and drawn glyph run by glyph run; a :class:`GlyphLog` given to
  :func:`paint_page` notes each glyph drawn with the characters it stands for, so that
  :mod:`exporters.certificate_pdf` can make the PDF's text searchable. The frame, band and
  rules are the plan's shapes, drawn as vectors.
- The QR code is vector squares from :func:`models.certificates.qr_matrix` inside its
  white quiet zone, crisp at any resolution; the serial and the short code under it are
  Latin, left to right.
- Images (logos, signatures, the background) are read once, scaled down to what print
  needs and reused, so a 500-page PDF holds each image once.
"""

from __future__ import annotations

import math
import os
import re
import struct
import sys
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, QLineF, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGlyphRun,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPen,
    QPolygonF,
    QRawFont,
    QTextLayout,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter

import resources
from exporters.certificate_designs import LINE_PITCH, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, Box, Design
from exporters.certificate_plan import Block, Shape, plan_page
from exporters.certificate_plan import Plan as PagePlan
from models.certificate_pages import CertificatePage
from models.certificates import QR_BORDER, qr_matrix
from models.errors import IttisalError

__all__ = [
    "FONT_FILES",
    "MSG",
    "GlyphLog",
    "GlyphText",
    "Placed",
    "ensure_fonts",
    "ensure_gui_app",
    "layout_page",
    "page_layout_a4",
    "paint_page",
    "print_pages",
    "render_image",
]

Progress = Callable[[int, int], None]

MSG = {
    "printer": ("تعذّر بدء الطباعة: تأكد من الطابعة ثم أعد المحاولة.",
                "The printer could not be started."),
}

FONT_FILES = tuple(name for files in resources.FONT_FILES.values() for name in files)
DEFAULT_FAMILY = "Amiri"
# Latin (the serial, the short code, a Latin name) falls back to Amiri, which has it, so
# every certificate uses bundled fonts only and looks the same on every machine.
FALLBACK_FAMILIES = ("Amiri",)

UNITS = 10.0                          # logical units per millimetre
PAGE_W = PAGE_WIDTH_MM * UNITS
PAGE_H = PAGE_HEIGHT_MM * UNITS
POINT = 25.4 / 72.0 * UNITS           # one typographic point in logical units
# Line pitch: the designs' one constant, which the page plan follows.
PITCH = LINE_PITCH
# The ink of a line reaches this high above and this deep below its baseline (ems),
# measured once per font on letters with stacked marks and deep tails.
_INK_SAMPLE = "إِّلآ أُّ ـّٰ ًًٌّ لله جِيم عِينٍ قٌ سَنِي ؤ ۝ KQjgy()|"
# Background images are faded this much towards white, so text over them stays legible.
BACKGROUND_STRENGTH = 0.16
# Images are scaled down to about this many pixels across their box's longer side's
# millimetre (12 ≈ 300 dpi): enough for print, small enough for a 500-page file.
IMAGE_PX_PER_MM = 12

_DARK_RUN = re.compile(b"\x01+")

_lock = threading.Lock()
_app: QGuiApplication | None = None
_fonts_loaded = False


# --- application and fonts -------------------------------------------------------------

def ensure_gui_app() -> QGuiApplication:
    """The running QGuiApplication (a QApplication counts); one is made when there is none
    — with the offscreen platform when there is no display, as on a server or in the
    command line — so fonts and paint devices work. Never makes a second one."""
    global _app
    with _lock:
        app = QCoreApplication.instance()
        if app is None:
            if _no_display():
                # Only when nothing chose a platform: a user's choice stands.
                os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            app = QGuiApplication(sys.argv[:1] or ["ittisal"])
            _app = app  # keep a reference: the application must outlive every painter
        if not isinstance(app, QGuiApplication):
            raise RuntimeError("A QCoreApplication is running; certificates need a "
                               "QGuiApplication for fonts and painting.")
        return app


def _no_display() -> bool:
    if not sys.platform.startswith("linux"):
        return False  # Windows and macOS always have their window system
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def ensure_fonts() -> None:
    """Register the bundled fonts (families "Amiri" and "Noto Sans Arabic UI") with Qt,
    once per process; makes the QGuiApplication first if needed. A missing or damaged
    font file raises :class:`resources.MissingResourceError`."""
    global _fonts_loaded
    if _fonts_loaded:
        return
    ensure_gui_app()
    with _lock:
        if _fonts_loaded:
            return
        for name in FONT_FILES:
            # A face Qt lacks would be drawn in a system font: refused, named.
            if QFontDatabase.addApplicationFont(str(resources.font_path(name))) == -1:
                raise resources.DamagedResourceError(f"fonts/{name}")
        _fonts_loaded = True


def _family(name: str) -> str:
    return name if name in PITCH else DEFAULT_FAMILY


def _font(family: str, pt: float, dpi: float, *, bold: bool = False) -> QFont:
    """A font of ``pt`` points of the page, for a device of ``dpi`` logical dots an inch
    drawn at :data:`UNITS` units a millimetre."""
    font = QFont()
    font.setFamilies([family, *(f for f in FALLBACK_FAMILIES if f != family)])
    font.setPointSizeF(pt * POINT * 72.0 / dpi)
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


@lru_cache(maxsize=16)
def _ink(family: str, bold: bool, dpi: float) -> tuple[float, float]:
    """How far ink reaches above and below the baseline, per point of size (units)."""
    reference = 100.0
    metrics = QFontMetricsF(_font(family, reference, dpi, bold=bold))
    rect = metrics.tightBoundingRect(_INK_SAMPLE)
    return -rect.top() / reference, rect.bottom() / reference


# --- text fitting ----------------------------------------------------------------------

@dataclass(frozen=True)
class _Style:
    """How one line is set: font, size and direction (the page plan chose the size)."""

    family: str
    bold: bool
    pt: float
    rtl: bool = True


@dataclass
class _Lines:
    """One line laid out by Qt, its glyph runs worked out once."""

    layout: QTextLayout
    pt: float
    width: float                         # the line's own width
    _runs: list[tuple[QGlyphRun, tuple[GlyphText, ...]]] | None = field(
        default=None, repr=False, compare=False)

    def runs(self) -> list[tuple[QGlyphRun, tuple[GlyphText, ...]]]:
        """The glyph runs to draw, each with the characters every glyph stands for
        (worked out once: a laid-out line is drawn on many pages)."""
        if self._runs is None:
            self._runs = _readable_runs(self.layout)
        return self._runs


def _lay(text: str, style: _Style, width: float, dpi: float, device) -> _Lines:
    """One line, never wrapped, centred across ``width``, its baseline at the ink's top
    (:func:`_ink`) below the layout's origin."""
    font = _font(style.family, style.pt, dpi, bold=style.bold)
    layout = QTextLayout(text, font, device) if device is not None else QTextLayout(text, font)
    option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
    option.setTextDirection(Qt.LayoutDirection.RightToLeft if style.rtl
                            else Qt.LayoutDirection.LeftToRight)
    option.setWrapMode(QTextOption.WrapMode.NoWrap)
    layout.setTextOption(option)
    above = _ink(style.family, style.bold, dpi)[0] * style.pt
    layout.beginLayout()
    widest = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0.0, above - line.ascent()))
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return _Lines(layout, style.pt, widest)


_RUN_FLAGS = (QTextLayout.GlyphRunRetrievalFlag.RetrieveGlyphIndexes
              | QTextLayout.GlyphRunRetrievalFlag.RetrieveGlyphPositions)


def _glyph_key(raw: QRawFont, glyph: int, at: QPointF) -> tuple:
    return (raw.familyName(), raw.styleName(), raw.pixelSize(), glyph,
            round(at.x(), 3), round(at.y(), 3))


def _readable_runs(layout: QTextLayout) -> list[tuple[QGlyphRun, tuple[GlyphText, ...]]]:
    """The layout's glyph runs, each with its glyphs from left to right (as a reader's
    eye meets them: PDF text tools join the letters of a word when they come in that
    order, and may cut Amiri's kerned words apart otherwise), and the characters each
    glyph stands for.

    Which characters a glyph stands for is asked character by character (the string
    indexes Qt gives for a whole layout are wrong after a fallback font): each character
    goes to the first of its glyphs no other character has taken (a letter and its vowel
    drawn apart each get theirs), or joins the glyph it shares (a ligature stands for all
    its letters, as the Unicode presentation form of that ligature when there is one: PDF
    readers reverse a multi-letter glyph of right-to-left text)."""
    text = layout.text()
    taken: dict[tuple, str] = {}
    owner: dict[int, tuple] = {}          # character → the glyph that took it
    for i in range(len(text)):
        keys = [_glyph_key(run.rawFont(), glyph, at)
                for run in layout.glyphRuns(i, 1, _RUN_FLAGS)
                for glyph, at in zip(run.glyphIndexes(), run.positions(), strict=True)]
        free = [key for key in keys if key not in taken]
        if free:
            taken[free[0]] = text[i]
            owner[i] = free[0]
        elif keys:
            taken[keys[-1]] += text[i]
    text_of = {key: _readable(chars) for key, chars in taken.items()}
    first_char = {key: i for i, key in owner.items()}

    def place(key: tuple) -> tuple[float, float, int]:
        """Where a reader meets the glyph: a vowel right after its letter, so that a
        PDF reader sets the two together."""
        line, x = round(key[5], 1), key[4]
        if _is_mark(text_of.get(key, "")) and key in first_char:
            i = first_char[key] - 1
            while i >= 0 and (i not in owner or _is_mark(text_of.get(owner[i], ""))):
                i -= 1
            if i >= 0 and round(owner[i][5], 1) == line:
                return line, owner[i][4], 1
        return line, x, 0

    found = []
    for run in layout.glyphRuns(-1, -1, _RUN_FLAGS):
        raw = run.rawFont()
        keys = sorted((_glyph_key(raw, glyph, at) for glyph, at in
                       zip(run.glyphIndexes(), run.positions(), strict=True)), key=place)
        ordered = QGlyphRun()
        ordered.setRawFont(raw)
        ordered.setGlyphIndexes([key[3] for key in keys])
        ordered.setPositions([QPointF(key[4], key[5]) for key in keys])
        texts = [text_of.get(key, "") for key in keys]
        found.append((ordered, _spans(keys, texts, raw)))
    return found


# PDF readers end a word where the next letter starts more than 0.1 em past the end of
# the one before (by its advance width). Amiri's kerning leaves gaps of up to 0.12 em
# inside words (a yeh after a reh); a word's gap must stay this wide (thousandths of an
# em) after a glyph's box is widened; a gap wider than KERN_GAP is between words.
WORD_GAP = 150.0
KERN_GAP = 250.0


class GlyphText(NamedTuple):
    """What a glyph stands for, and how wide its box may be in a PDF's text layer
    (thousandths of an em): ``reach`` covers the gap to the next letter of its word,
    ``room`` keeps the gap to the next word."""

    text: str
    reach: float = 0.0
    room: float = math.inf


def _spans(keys: list[tuple], texts: list[str], raw: QRawFont) -> tuple[GlyphText, ...]:
    found = [GlyphText(t) for t in texts]
    size = raw.pixelSize()
    if size <= 0:
        return tuple(found)
    em = 1000 / size
    advances = raw.advancesForGlyphIndexes([key[3] for key in keys])
    spacing = [n for n, t in enumerate(texts) if t and not _is_mark(t)]
    for a, b in zip(spacing, spacing[1:], strict=False):
        if texts[a] == " " or round(keys[a][5], 1) != round(keys[b][5], 1):
            continue
        if texts[b] != " ":
            gap = (keys[b][4] - keys[a][4] - advances[a].x()) * em
            if 0 < gap <= KERN_GAP:   # a kerned pair inside a word, not two words
                found[a] = found[a]._replace(reach=(keys[b][4] - keys[a][4]) * em)
            continue
        after = [c for c in spacing if c > b and texts[c] != " "]
        if after and round(keys[after[0]][5], 1) == round(keys[a][5], 1):
            found[a] = found[a]._replace(
                room=(keys[after[0]][4] - keys[a][4]) * em - WORD_GAP)
    return tuple(found)


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(ch) == "Mn" for ch in text)


def _readable(cluster: str) -> str:
    """A cluster as a reader copies it: bidi and other invisible controls out, a space
    the line broke at not glued to the letter before it, a ligature as its presentation
    form."""
    kept = "".join(ch for ch in cluster
                   if not unicodedata.category(ch).startswith(("C", "Z")) and not ch.isspace())
    if len(kept) > 1:
        return _LIGATURES.get(kept, kept)
    if kept:
        return kept
    return " " if any(ch.isspace() for ch in cluster) else ""


def _ligature_forms() -> dict[str, str]:
    """Letters → the Arabic presentation form of their ligature (لا → U+FEFB), the first of
    its forms: each folds back to the letters (NFKC)."""
    forms: dict[str, str] = {}
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)):
        ch = chr(code)
        letters = unicodedata.normalize("NFKC", ch)
        if (len(letters) > 1 and " " not in letters
                and unicodedata.name(ch, "").startswith("ARABIC LIGATURE")):
            forms.setdefault(letters, ch)
    return forms


_LIGATURES = _ligature_forms()


class GlyphLog:
    """The glyphs a painter drew, font by font (by PostScript name) in the order drawn,
    each with the characters it stands for.

    Qt's PDF maps a glyph back to text only when the font's character map reaches it;
    Amiri reaches its contextual forms and ligatures through shaping alone, so most of an
    Amiri page would read back as nothing. :func:`exporters.certificate_pdf.write_pdf`
    writes this log into the PDF's ToUnicode maps instead."""

    def __init__(self) -> None:
        self.fonts: dict[str, list[tuple[int, GlyphText]]] = {}
        self._names: dict[tuple[str, str, int, int], str] = {}

    def add(self, run: QGlyphRun, glyphs: Sequence[GlyphText]) -> None:
        """Note a run as drawn: its glyphs and what each stands for."""
        raw = run.rawFont()
        key = (raw.familyName(), raw.styleName(), raw.weight(), int(raw.style().value))
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = postscript_name(raw)
        self.fonts.setdefault(name, []).extend(
            zip(run.glyphIndexes(), glyphs, strict=True))


def postscript_name(raw: QRawFont) -> str:
    """The font's PostScript name (its 'name' table, name 6): what Qt writes as the
    PDF font's /BaseFont."""
    table = bytes(raw.fontTable("name"))
    try:
        count, strings = struct.unpack_from(">2xHH", table)
        found = {}
        for k in range(count):
            platform, _enc, _lang, name_id, length, offset = struct.unpack_from(
                ">6H", table, 6 + 12 * k)
            if name_id == 6:
                data = table[strings + offset:strings + offset + length]
                found[platform] = (data.decode("utf-16-be") if platform in (0, 3)
                                   else data.decode("latin-1"))
        name = found.get(3) or found.get(1) or found.get(0) or ""
    except (struct.error, UnicodeDecodeError):
        name = ""
    return name or raw.familyName().replace(" ", "")


# Fitted texts by what decides their layout. The title, the issuer, the signatories and
# the lead repeat on every page of a run: they are fitted once. Layouts belong to their
# device's kind and to one thread (the preview on the UI thread, a PDF in a worker).
_FITTED: OrderedDict[tuple, _Lines] = OrderedDict()
_FITTED_MAX = 256


def _fit(text: str, style: _Style, box: QRectF, dpi: float, device) -> _Lines:
    """Lay ``text`` out in ``box`` (see :func:`_fit_new`), reusing an identical layout."""
    key = (text, style, box.getRect(), dpi, type(device).__name__, threading.get_ident())
    with _lock:
        found = _FITTED.get(key)
        if found is not None:
            _FITTED.move_to_end(key)
            return found
    lines = _fit_new(text, style, box, dpi, device)
    with _lock:
        _FITTED[key] = lines
        while len(_FITTED) > _FITTED_MAX:
            _FITTED.popitem(last=False)
    return lines


def _fit_new(text: str, style: _Style, box: QRectF, dpi: float, device) -> _Lines:
    """One line of the page plan at its size, centred across ``box``'s width (the plan
    chose the size and the line breaks; Qt only shapes and draws)."""
    return _lay(text, style, box.width(), dpi, device)


# --- the plan of one page ----------------------------------------------------------------

@dataclass(frozen=True)
class Placed:
    """One text as it lands on the page: its size in points, its lines, the rectangle its
    ink takes and the box it had to stay in (millimetres from the top-left corner)."""

    role: str
    text: str
    pt: float
    lines: int
    rect: tuple[float, float, float, float]   # left, top, width, height
    box: tuple[float, float, float, float]

    @property
    def inside(self) -> bool:
        """Whether the ink stays inside the box."""
        left, top, width, height = self.rect
        bl, bt, bw, bh = self.box
        eps = 0.05
        return (left >= bl - eps and top >= bt - eps and left + width <= bl + bw + eps
                and top + height <= bt + bh + eps)


@dataclass
class _Text:
    """One line of a block of the page plan, laid out by Qt at the plan's size."""

    lines: _Lines
    origin: QPointF
    color: str


def _rect(box: Box) -> QRectF:
    return QRectF(box.left * UNITS, box.top * UNITS, box.width * UNITS, box.height * UNITS)


@dataclass
class _Plan:
    """Everything placed on one page, before drawing."""

    design: Design
    texts: list[_Text]
    logos: list[tuple[QImage, QRectF]]
    signatures: list[tuple[QImage, QRectF]]
    qr: QRectF
    page: PagePlan


def _placed(block: Block) -> Placed:
    ink, slot = block.ink_box, block.slot
    return Placed(block.role, block.text, block.size, len(block.lines),
                  (ink.left, ink.top, ink.width, ink.height),
                  (slot.left, slot.top, slot.width, slot.height))


def _plan(page: CertificatePage, dpi: float, device) -> _Plan:
    """The page plan (:func:`exporters.certificate_plan.plan_page`), each line of each
    text laid out by Qt at the plan's size, centred on its slot, on the plan's
    baseline: Qt draws, it does not choose sizes or line breaks."""
    plan = plan_page(page)
    family = _family(page.font)
    texts: list[_Text] = []
    for block in plan.blocks:
        style = _Style(family, block.bold, block.size, block.rtl)
        slot = _rect(block.slot)
        above = _ink(family, block.bold, dpi)[0] * block.size
        for line, baseline in zip(block.lines, block.baselines(), strict=True):
            if not line.strip():
                continue
            lines = _fit(line, style, slot, dpi, device)
            texts.append(_Text(lines, QPointF(slot.left(), baseline * UNITS - above),
                               block.color))
    logos, signatures = [], []
    for picture in plan.pictures:
        size = max(picture.box.width, picture.box.height)
        image = _image(picture.path, size * (2 if picture.role == "signature" else 1))
        if image is not None:
            (logos if picture.role == "logo" else signatures).append(
                (image, _rect(picture.box)))
    return _Plan(plan.design, texts, logos, signatures, _rect(plan.qr), plan)


def layout_page(page: CertificatePage, dpi: float = 300.0) -> list[Placed]:
    """Where each text of the page lands and at what size (for checks and for the style
    editor's warnings): the page plan's, which every rendering follows."""
    del dpi  # the plan is the same on every device
    return [_placed(b) for b in plan_page(page).blocks]


# --- images --------------------------------------------------------------------------

def _stamp(path: Path | None) -> int | None:
    """The file's modification time (the image caches' key), None when it is gone."""
    if path is None:
        return None
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return None


def _image(path: Path | None, size_mm: float) -> QImage | None:
    stamp = _stamp(path)
    if stamp is None:
        return None
    return _load_image(str(path), stamp, round(size_mm * IMAGE_PX_PER_MM))


@lru_cache(maxsize=32)
def _load_image(path: str, _stamp: int, max_px: int) -> QImage | None:
    """The image, scaled down to ``max_px`` on its longer side; None when unreadable.
    Cached (the stamp is the file's modification time, so an edited file is read again)
    so that every page draws the same QImage and the PDF stores it once."""
    image = QImage(path)
    if image.isNull():
        return None
    if max(image.width(), image.height()) > max_px:
        image = image.scaled(max_px, max_px, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


@lru_cache(maxsize=4)
def _faded(path: str, stamp: int) -> QImage | None:
    """The background image faded towards white (pre-blended: printers and PDF viewers
    then need no transparency)."""
    image = _load_image(path, stamp, round(PAGE_WIDTH_MM * IMAGE_PX_PER_MM * 0.7))
    if image is None:
        return None
    faded = QImage(image.size(), QImage.Format.Format_RGB32)
    faded.fill(QColor("white"))
    painter = QPainter(faded)
    painter.setOpacity(BACKGROUND_STRENGTH)
    painter.drawImage(0, 0, image)
    painter.end()
    return faded


def _background(path: Path | None) -> QImage | None:
    stamp = _stamp(path)
    return None if stamp is None else _faded(str(path), stamp)


# --- drawing -------------------------------------------------------------------------

def _pen(color: QColor | str, width_mm: float) -> QPen:
    pen = QPen(QColor(color))
    pen.setWidthF(width_mm * UNITS)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


def _point(xy: tuple[float, float]) -> QPointF:
    return QPointF(xy[0] * UNITS, xy[1] * UNITS)


def _draw_shape(painter: QPainter, shape: Shape) -> None:
    """One ornament of the page plan, as vectors."""
    painter.setPen(_pen(shape.stroke, shape.width) if shape.stroke else Qt.PenStyle.NoPen)
    painter.setBrush(QColor(shape.fill) if shape.fill and shape.kind != "dots"
                     else Qt.BrushStyle.NoBrush)
    if shape.kind == "rect":
        a, b = (_point(p) for p in shape.points)
        painter.drawRect(QRectF(a, b))
    elif shape.kind == "polygon":
        painter.drawPolygon(QPolygonF([_point(p) for p in shape.points]))
    elif shape.kind == "ellipse":
        r = shape.radius * UNITS
        painter.drawEllipse(_point(shape.points[0]), r, r)
    elif shape.kind == "dots":
        # A dashed line of round caps: a few bytes a side in the PDF whatever the number
        # of dots (a dash of exactly 0 draws nothing in Qt).
        pen = QPen(QColor(shape.fill))
        pen.setWidthF(2 * shape.radius * UNITS)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setDashPattern([0.01, shape.step / (2 * shape.radius) - 0.01])
        painter.setPen(pen)
        a, b = (_point(p) for p in shape.points)
        ux, uy = b.x() - a.x(), b.y() - a.y()
        length = math.hypot(ux, uy) or 1.0
        hair = shape.step * UNITS * 0.01   # a hair past the last dot, so it is drawn
        painter.drawLine(QLineF(a, QPointF(b.x() + ux / length * hair,
                                           b.y() + uy / length * hair)))


def _draw_qr(painter: QPainter, payload: str, box: QRectF) -> None:
    """The QR code in ``box`` (a square, quiet zone included): each row's runs of dark
    modules as one rectangle, and a run repeated in the rows below as one taller
    rectangle — fewer shapes, a smaller file, no hairline seams inside a run."""
    rows = qr_matrix(payload)
    count = len(rows) + 2 * QR_BORDER
    module = box.width() / count
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("white"))
    painter.drawRect(box)
    open_runs: dict[tuple[int, int], int] = {}   # (start, end) → first row
    rects: list[QRectF] = []

    def close(run: tuple[int, int], first: int, last: int) -> None:
        rects.append(QRectF(box.left() + (run[0] + QR_BORDER) * module,
                            box.top() + (first + QR_BORDER) * module,
                            (run[1] - run[0]) * module, (last - first) * module))

    for y, row in enumerate([*rows, b""]):
        runs = {m.span() for m in _DARK_RUN.finditer(row)}
        for run in [r for r in open_runs if r not in runs]:
            close(run, open_runs.pop(run), y)
        for run in runs:
            open_runs.setdefault(run, y)
    painter.save()
    # Whole pixels on screen: antialiased edges of rectangles that touch leave faint
    # seams in the preview (a PDF or a printer has no pixels and ignores this).
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setBrush(QColor("black"))
    painter.drawRects(rects)
    painter.restore()


def _device_dpi(painter: QPainter) -> float:
    device: QPaintDevice = painter.device()
    return float(device.logicalDpiY()) if device is not None else 96.0


def paint_page(painter: QPainter, page: CertificatePage, target: QRectF,
               glyphs: GlyphLog | None = None) -> None:
    """Draw one certificate into ``target`` (landscape 297 : 210; another shape gets the
    page centred in it at the largest size that fits); every glyph drawn is noted in
    ``glyphs`` when given."""
    ensure_fonts()
    scale = min(target.width() / PAGE_W, target.height() / PAGE_H)
    if scale <= 0:
        return
    painter.save()
    try:
        painter.translate(target.left() + (target.width() - PAGE_W * scale) / 2,
                          target.top() + (target.height() - PAGE_H * scale) / 2)
        painter.scale(scale, scale)
        painter.setClipRect(QRectF(0, 0, PAGE_W, PAGE_H))
        plan = _plan(page, _device_dpi(painter), painter.device())
        background = _background(page.background)
        if background is not None:
            # Cover the whole page, keeping the image's shape; the overflow is clipped.
            cover = max(PAGE_W / background.width(), PAGE_H / background.height())
            w, h = background.width() * cover, background.height() * cover
            painter.drawImage(QRectF((PAGE_W - w) / 2, (PAGE_H - h) / 2, w, h), background)
        for shape in plan.page.ornaments:
            _draw_shape(painter, shape)
        for image, rect in plan.logos + plan.signatures:
            painter.drawImage(rect, image)
        for text in plan.texts:
            painter.setPen(QColor(text.color))
            origin = text.origin
            # Run by run rather than QTextLayout.draw: the same glyphs at the same places,
            # and the log sees them in the order the PDF receives them.
            for run, texts in text.lines.runs():
                painter.drawGlyphRun(origin, run)
                if glyphs is not None:
                    glyphs.add(run, texts)
        _draw_qr(painter, page.qr, plan.qr)
    finally:
        painter.restore()


# --- outputs -------------------------------------------------------------------------

def render_image(page: CertificatePage, width_px: int) -> QImage:
    """The certificate as an image ``width_px`` wide (landscape, white, antialiased): the
    live preview."""
    ensure_fonts()
    width = max(int(width_px), 16)
    height = round(width * PAGE_H / PAGE_W)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        paint_page(painter, page, QRectF(0, 0, width, height))
    finally:
        painter.end()
    return image


def page_layout_a4() -> QPageLayout:
    """Landscape A4 without margins: the certificate is drawn to the paper's edges."""
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                       QMarginsF(0, 0, 0, 0))


def print_pages(printer: QPrinter, pages: Sequence[CertificatePage],
                progress: Progress | None = None) -> None:
    """Print the certificates, one landscape A4 sheet each. ``progress(done, total)`` is
    called after each page; if it raises, the print run is aborted (printing to a file:
    the unfinished file is removed) and the error goes on."""
    ensure_fonts()
    printer.setFullPage(True)
    printer.setPageLayout(page_layout_a4())
    painter = QPainter()
    if not painter.begin(printer):
        raise IttisalError(*MSG["printer"])
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
        target.moveTo(0, 0)  # full page: the painter's origin is the paper's corner
        total = len(pages)
        for done, page in enumerate(pages, 1):
            if done > 1:
                printer.newPage()
            paint_page(painter, page, target)
            if progress is not None:
                progress(done, total)
    except BaseException:
        aborted = printer.abort()
        painter.end()
        # Qt cannot abort printing to a file (it finishes the file): remove what it wrote.
        if not aborted and printer.outputFileName():
            Path(printer.outputFileName()).unlink(missing_ok=True)
        raise
    painter.end()
