"""One layout whichever way a certificate leaves: for every design, the Word file as
LibreOffice renders it and the PDF put the holder's name, the activity's title, the QR
code and the signatories in the same places (within :data:`TOLERANCE_MM`), and draw the
same frame.

Where the words land is read with ``pdftotext -bbox-layout`` from both PDFs (the Word
file converted by LibreOffice, the PDF as written); the QR code and the frame are found
on both pages rasterised at :data:`DPI` (the QR as its black modules, the frame as the
pixels of the design's frame colour near the page's edges).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from exporters.certificate_designs import design
from exporters.certificate_docx import write_docx
from exporters.certificate_paint import ensure_fonts
from exporters.certificate_pdf import write_pdf
from models.certificate_style import DESIGNS
from models.db import Database
from tests.test_certificate_docx import FONT_OF, make_pages
from tests.test_exporters_rtl import needs_soffice, to_pdf

TOLERANCE_MM = 3.0
DPI = 50
MM = 72 / 25.4                     # PDF points a millimetre
PX_MM = DPI / 25.4                 # pixels a millimetre
# The frame lives in the page's margins: this far from an edge at most.
FRAME_ZONE_MM = 24.0

pytestmark = [needs_soffice, pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftoppm", "pdftotext")),
    reason="needs poppler-utils (pdftoppm, pdftotext)")]


@pytest.fixture(autouse=True)
def _app(qapp):
    ensure_fonts()
    return qapp


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Per design: the pages, the Word file as LibreOffice's PDF, and the PDF."""
    made, opened = {}, []
    for key in DESIGNS:
        folder = tmp_path_factory.mktemp(f"layout-{key}")
        db = Database.open(folder / "ittisal.sqlite3", create=True)
        opened.append(db)
        pages = make_pages(db, folder, key, FONT_OF[key])
        word = to_pdf(write_docx(pages, folder / f"{key}.docx"), folder)
        pdf = write_pdf(pages, folder / f"{key}-qt.pdf")
        made[key] = (pages, word, pdf, folder)
    yield made
    for db in opened:
        db.close()


_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")


def _fold(word: str) -> str:
    """A word as both PDFs give it back: presentation forms folded, no vowels, no
    tatweel, no bidi controls, lam-alef and alefs left out (pdftotext may give the
    ligature's letters in either order)."""
    word = unicodedata.normalize("NFKC", word)
    word = "".join(ch for ch in word if unicodedata.category(ch) != "Cf")
    return re.sub("[لاأإآ]", "", _MARKS.sub("", word))


_WORDS: dict[Path, list[dict]] = {}


def pdf_words(pdf: Path) -> list[dict]:
    """Every word of the PDF with its page and box (points), read once per file."""
    found = _WORDS.get(pdf)
    if found is None:
        from lxml import etree

        out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                             capture_output=True, timeout=60).stdout
        root = etree.fromstring(out, etree.HTMLParser(encoding="utf-8"))
        found = _WORDS[pdf] = [
            {"page": n, "text": w.text or "",
             **{k: float(w.get(k.lower())) for k in ("xMin", "yMin", "xMax", "yMax")}}
            for n, page in enumerate(root.iter("page"), 1) for w in page.iter("word")]
    return found


def _words_of(text: str) -> set[str]:
    return {w for w in (_fold(x) for x in text.split()) if w}


def _box(pdf: Path, page: int, text: str, others: list[str]) -> tuple[float, ...]:
    """The box (left, top, right, bottom, mm) of the words of ``text`` on the page that no
    other text of the page has."""
    mine = _words_of(text) - set().union(*(_words_of(o) for o in others))
    assert mine, text
    # pdftotext gives a word's letters in visual or logical order depending on the
    # PDF's writer: either will do.
    boxes = [w for w in pdf_words(pdf) if w["page"] == page
             and (_fold(w["text"]) in mine or _fold(w["text"])[::-1] in mine)]
    assert boxes, f"{text!r} not found on page {page} of {pdf.name}"
    return (min(w["xMin"] for w in boxes) / MM, min(w["yMin"] for w in boxes) / MM,
            max(w["xMax"] for w in boxes) / MM, max(w["yMax"] for w in boxes) / MM)


def _raster(pdf: Path, folder: Path, tag: str) -> list[Image.Image]:
    stem = folder / f"{tag}-{DPI}"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(stem)], check=True,
                   capture_output=True, timeout=120)
    return [Image.open(p).convert("RGB") for p in sorted(folder.glob(f"{stem.name}-*.png"))]


def _extent(image: Image.Image, keep, region: tuple[float, float, float, float] | None = None
            ) -> tuple[tuple[float, ...], int]:
    """The box (mm) of the pixels ``keep`` accepts (inside ``region``, mm, when given),
    and their count."""
    width, height = image.size
    pixels = image.load()
    xs, ys = [], []
    x0, y0, x1, y1 = ((0, 0, width, height) if region is None else
                      (round(v * PX_MM) for v in region))
    for y in range(max(y0, 0), min(y1, height)):
        for x in range(max(x0, 0), min(x1, width)):
            if keep(x, y, pixels[x, y]):
                xs.append(x)
                ys.append(y)
    assert xs, "nothing found"
    return ((min(xs) / PX_MM, min(ys) / PX_MM, (max(xs) + 1) / PX_MM, (max(ys) + 1) / PX_MM),
            len(xs))


def _close(a: tuple[float, ...], b: tuple[float, ...], what: str) -> None:
    far = max(abs(p - q) for p, q in zip(a, b, strict=True))
    assert far <= TOLERANCE_MM, (
        f"{what}: Word {tuple(round(v, 1) for v in a)} vs PDF "
        f"{tuple(round(v, 1) for v in b)} mm ({far:.1f} mm apart)")


def _ink_rows(image: Image.Image, box: tuple[float, ...]) -> tuple[float, float]:
    """The top and bottom (mm) of the ink inside ``box`` (left, top, right, bottom, mm)."""
    top, bottom = _extent(image, lambda _x, _y, rgb: min(rgb) < 150, box)[0][1::2]
    return top, bottom


@pytest.mark.parametrize("key", sorted(DESIGNS))
def test_name_title_and_signatories_land_in_the_same_places(rendered, key):
    """Across, by the words' boxes; down, by their ink (the two PDFs give their fonts
    different ascents and descents, so the words' boxes differ in height)."""
    pages, word, pdf, folder = rendered[key]
    rasters = (_raster(word, folder, "word"), _raster(pdf, folder, "pdf"))
    for n, page in enumerate(pages, 1):
        texts = {"name": page.name, "title": page.title}
        texts.update({f"signer {i}": s.name for i, s in enumerate(page.signers)})
        everything = [page.name, page.title, page.lead, page.body, page.date_line,
                      *page.issuer, *(s.name for s in page.signers),
                      *(s.title for s in page.signers)]
        for what, text in texts.items():
            others = list(everything)
            others.remove(text)
            a, b = _box(word, n, text, others), _box(pdf, n, text, others)
            # Where to look for the ink: across and down both boxes.
            window = (min(a[0], b[0]) - 1, min(a[1], b[1]), max(a[2], b[2]) + 1,
                      max(a[3], b[3]))
            ink_a = _ink_rows(rasters[0][n - 1], window)
            ink_b = _ink_rows(rasters[1][n - 1], window)
            _close((a[0], a[2]), (b[0], b[2]), f"page {n}, {what} across")
            _close(ink_a, ink_b, f"page {n}, {what} down")


def _is_black(_x, _y, rgb) -> bool:
    return max(rgb) < 60


@pytest.mark.parametrize("key", sorted(DESIGNS))
def test_the_qr_code_lands_in_the_same_place(rendered, key):
    _pages, word, pdf, folder = rendered[key]
    qr = design(key).qr
    # The QR's corner of the page, wide of the design's box, where nothing else is black.
    region = (qr.left - 8, qr.top - 8, qr.right + 6, qr.bottom + 6)
    for n, (a, b) in enumerate(zip(_raster(word, folder, "word"), _raster(pdf, folder, "pdf"),
                                   strict=True), 1):
        _close(_extent(a, _is_black, region)[0], _extent(b, _is_black, region)[0],
               f"page {n}, QR code")


@pytest.mark.parametrize("key", [k for k in sorted(DESIGNS) if design(k).frame != "none"])
def test_the_frame_is_the_same_in_word_and_pdf(rendered, key):
    _pages, word, pdf, folder = rendered[key]
    target = Image.new("RGB", (1, 1), design(key).frame_color).getpixel((0, 0))
    width_mm, height_mm = 297.0, 210.0

    def frame(x, y, rgb) -> bool:
        near_edge = min(x / PX_MM, y / PX_MM, width_mm - x / PX_MM,
                        height_mm - y / PX_MM) <= FRAME_ZONE_MM
        if not near_edge:
            return False
        # The frame's colour, or a thin rule of it blended with the white page: on the
        # way from white to the colour, at least a fifth of the way.
        way = [255 - q for q in target]
        got = [255 - p for p in rgb]
        t = sum(w * g for w, g in zip(way, got, strict=True)) / sum(w * w for w in way)
        off = sum(abs(g - t * w) for w, g in zip(way, got, strict=True))
        return t >= 0.2 and off < 40

    a, b = _raster(word, folder, "word")[0], _raster(pdf, folder, "pdf")[0]
    if design(key).frame == "ornate":  # all round the page: its outline
        _close(_extent(a, frame)[0], _extent(b, frame)[0], "frame")
    # The same rules, not only the same outline: across each side, a quarter of the way
    # along it, where the frame's colour starts and ends.
    for side, region in (("right", (width_mm - FRAME_ZONE_MM, 52, width_mm, 54)),
                         ("left", (0, 52, FRAME_ZONE_MM, 54)),
                         ("top", (73, 0, 75, FRAME_ZONE_MM)),
                         ("bottom", (73, height_mm - FRAME_ZONE_MM, 75, height_mm))):
        if key == "modern" and side != "right":
            continue  # the band and its rule are on the right only
        (across_a, _), (across_b, _) = _extent(a, frame, region), _extent(b, frame, region)
        _close(across_a, across_b, f"frame's {side} side")
