"""Fitting text to a box in a Word document, measured with the real font: widths of words
(Pillow over the bundled TTF, shaped by libraqm, or by arabic-reshaper where Pillow has
no libraqm), the ink above and below the baseline, and the largest size at which a text
fits a table row (:class:`TextFitter`). Word documents cannot measure themselves; this
is the one measurer of the certificate page plan (:mod:`exporters.certificate_plan`),
which the Word file and the painted PDF, print and preview both follow. It needs no Qt.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont, features

import resources
from exporters import rtl
from exporters.certificate_designs import LINE_PITCH, PT_MM, SIZE_FLOOR

__all__ = ["CELL_PADDING_CM", "FONT_FILES", "LINE_HEIGHT", "PT_MM", "SIZE_FLOOR",
           "WIDTH_SAFETY", "Fit", "TextFitter", "fitter", "largest_size", "text_width_cm"]

# The bundled files of each font the style offers (regular, bold).
FONT_FILES: dict[str, tuple[str, str]] = resources.FONT_FILES
# Exact line height as a multiple of the size (the certificate designs' line pitch).
LINE_HEIGHT = LINE_PITCH
# Share of a box's width the text may fill by our measure: Word and LibreOffice shape and
# space words a little differently, and a word too wide for its line would wrap.
WIDTH_SAFETY = 0.9
SIZE_STEP = 0.5          # points


_BREAKS = re.compile(r"[ \t\r\n]+")


def words_of(text: str) -> list[str]:
    """The words a line may break between. Only ordinary white space separates them: a
    no-break space (inside «٢٢ تشرين الثاني ٢٠٢٦») holds its date together."""
    return [w for w in _BREAKS.split(text) if w]


@dataclass(frozen=True)
class Fit:
    """How a text is set: its size in points and how many lines it takes."""

    size: float
    lines: int


class TextFitter:
    """Widths and ink of words in one of the bundled fonts, and the size a text needs to
    fit a box.

    Words are measured once each (in em) and cached, so fitting 500 names costs little.
    A text fits a table row when its lines fit the width and its ink (from the tallest
    mark to the deepest tail) stays inside the row wherever the renderer puts the
    baseline in an exact line: LibreOffice keeps the font's descent below it, Word puts
    it at 0.8 of the line's height (measured by others from Word's PDFs). Amiri's
    descent makes the two differ by a third of an em.
    """

    def __init__(self, family: str, bold: bool = False) -> None:
        files = FONT_FILES.get(family, FONT_FILES["Amiri"])
        path = resources.font_path(files[1 if bold else 0])
        self._raqm = features.check("raqm")
        engine = ImageFont.Layout.RAQM if self._raqm else ImageFont.Layout.BASIC
        # At 1000 px one pixel is one font unit (every bundled font has 1000 units an em).
        self._font = ImageFont.truetype(str(path), 1000, layout_engine=engine)
        self._words: dict[str, tuple[float, float, float]] = {}
        self.line_height = height = LINE_HEIGHT.get(family, 1.5)
        descent = self._font.getmetrics()[1] / 1000
        self._baselines = (min(height - descent, 0.8 * height),
                           max(height - descent, 0.8 * height))
        self.space = self._measure(" ")[0]

    @property
    def baseline(self) -> float:
        """Where a line's baseline sits below its top, in em: halfway between Word's
        place and LibreOffice's, so that a painted page is within a sixth of an em of
        either."""
        return sum(self._baselines) / 2

    def _measure(self, word: str) -> tuple[float, float, float]:
        """Advance, ink above and ink below the baseline, in em."""
        if self._raqm:
            options = {"direction": "rtl" if rtl.has_arabic(word) else "ltr"}
        else:
            import arabic_reshaper  # only where Pillow cannot shape

            word, options = arabic_reshaper.reshape(word), {}
        advance = self._font.getlength(word, **options) / 1000
        if not word.strip():
            return advance, 0.0, 0.0
        _left, top, _right, bottom = self._font.getbbox(word, anchor="ls", **options)
        return advance, -top / 1000, bottom / 1000

    def _word(self, word: str) -> tuple[float, float, float]:
        found = self._words.get(word)
        if found is None:
            found = self._words[word] = self._measure(word)
        return found

    def word(self, word: str) -> float:
        """The word's width in em."""
        return self._word(word)[0]

    def measured(self, words: Iterable[str]) -> dict[str, tuple[float, float, float]]:
        """The metrics of ``words`` (measured now if new), for :meth:`learn` in another
        process: a worker measures the words only its pages have."""
        return {w: self._word(w) for w in words}

    def learn(self, measured: Mapping[str, tuple[float, float, float]]) -> None:
        """Take words measured by :meth:`measured` of a fitter of the same font (the
        same files and Pillow: the same numbers)."""
        for word, metrics in measured.items():
            self._words.setdefault(word, metrics)

    def ink(self, text: str) -> tuple[float, float]:
        """How far the text's ink reaches above and below the baseline, in em."""
        measured = [self._word(w) for w in words_of(text)] or [(0.0, 0.0, 0.0)]
        return max(m[1] for m in measured), max(m[2] for m in measured)

    def width_mm(self, text: str, size: float) -> float:
        """The width of ``text`` on one line at ``size`` points."""
        words = words_of(text)
        em = sum(self.word(w) for w in words) + self.space * max(len(words) - 1, 0)
        return em * size * PT_MM

    def lines(self, text: str, size: float, width_mm: float) -> int:
        """How many lines ``text`` takes at ``size`` in a column ``width_mm`` wide, broken
        between words as Word does (a word wider than the column gets a line of its own)."""
        limit = width_mm / (size * PT_MM)
        count, used = 0, None
        for w in words_of(text):
            width = self.word(w)
            if used is not None and used + self.space + width <= limit:
                used += self.space + width
            else:
                count += 1
                used = width
        return max(count, 1)

    def line_mm(self, size: float) -> float:
        """The exact height of one line at ``size``."""
        return size * self.line_height * PT_MM

    def row_mm(self, text: str, size: float, lines: int) -> float:
        """The least height of a row, its text centred, that holds ``lines`` lines of
        ``text`` with all their ink in both renderers."""
        em = size * PT_MM
        above, below = self.ink(text)
        low, high = self._baselines
        spare = max(0.0, above - low, high + below - self.line_height)
        return (lines * self.line_height + 2 * spare) * em

    def fits(self, text: str, size: float, width_mm: float, height_mm: float,
             one_line: bool = False) -> int | None:
        """The line count at ``size`` if ``text`` fits a row of that size, else None."""
        usable = width_mm * WIDTH_SAFETY
        if one_line:
            n = 1 if self.width_mm(text, size) <= usable else 0
        else:
            n = self.lines(text, size, usable)
        if n and self.row_mm(text, size, n) <= height_mm:
            return n
        return None

    def fit(self, text: str, width_mm: float, height_mm: float, largest: float,
            smallest: float, *, one_line_first: bool = True) -> Fit:
        """The largest size from ``largest`` down at which ``text`` fits the row: on one
        line down to ``smallest`` first (when ``one_line_first``), then wrapped; below
        ``smallest`` only when even that does not fit (never cut, never overflow)."""
        if one_line_first:
            size = largest_size(lambda s: self.fits(text, s, width_mm, height_mm, True),
                            largest, smallest)
            if size is not None:
                return Fit(size, 1)
        size = largest_size(lambda s: self.fits(text, s, width_mm, height_mm), largest,
                        SIZE_FLOOR)
        if size is None:
            size = SIZE_FLOOR
        return Fit(size, self.lines(text, size, width_mm * WIDTH_SAFETY))


def largest_size(ok: Callable[[float], int | None], largest: float,
             smallest: float) -> float | None:
    """The largest size on the SIZE_STEP grid in [smallest, largest] where ``ok`` holds,
    by bisection (a smaller size never needs more room)."""
    steps = int(round((largest - smallest) / SIZE_STEP))
    if ok(smallest) is None:
        return None
    if ok(largest) is not None:
        return largest
    lo, hi = 0, steps  # ok at smallest + lo*step; not ok at smallest + hi*step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(smallest + mid * SIZE_STEP) is not None:
            lo = mid
        else:
            hi = mid
    return smallest + lo * SIZE_STEP


@functools.lru_cache(maxsize=8)
def fitter(family: str, bold: bool) -> TextFitter:
    """The fitter of a bundled font, made once."""
    return TextFitter(family, bold)


# --- table cells of the reports -----------------------------------------------------------

# The fonts a report's text is measured with, regular and bold; the widest of them counts.
# The document names Simplified Arabic (Windows); the bundled fonts stand for it, and
# DejaVu Sans, where installed, for LibreOffice's usual substitute (up to 15 % wider).
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_CELL_FONTS = {
    False: ("Amiri-Regular.ttf", "NotoSansArabicUI-Regular.ttf"),
    True: ("Amiri-Bold.ttf", "NotoSansArabicUI-Bold.ttf"),
}
_CELL_SYSTEM_FONTS = {False: _DEJAVU / "DejaVuSans.ttf", True: _DEJAVU / "DejaVuSans-Bold.ttf"}
# A column a little wide costs less than a number or a heading broken over two lines.
_CELL_SLACK = 1.1
#: Word's default cell margins (0.19 cm each side) and the borders, in cm.
CELL_PADDING_CM = 2 * 0.19 + 0.06


@functools.lru_cache(maxsize=8)
def _cell_fonts(bold: bool, size: float) -> tuple[ImageFont.FreeTypeFont, ...]:
    # The bundled fonts must be there (a missing one is an error that names it); the
    # system's DejaVu only widens the measure where it is installed.
    paths = [resources.font_path(name) for name in _CELL_FONTS[bold]]
    if _CELL_SYSTEM_FONTS[bold].is_file():
        paths.append(_CELL_SYSTEM_FONTS[bold])
    return tuple(ImageFont.truetype(str(path), round(size * 10)) for path in paths)


def text_width_cm(text: str, size: float, *, bold: bool = False) -> float:
    """How wide ``text`` is on one line of a table cell at ``size`` points, in cm (the
    widest of the measuring fonts, with some slack)."""
    if not text:
        return 0.0
    return _text_width_cm(text, size, bold)


# A report's columns are fitted by measuring every cell, line and word, and the same
# words come back thousands of times (a yearly report measured 300,000 of them, 9 s):
# each is measured once.
@functools.lru_cache(maxsize=1 << 16)
def _text_width_cm(text: str, size: float, bold: bool) -> float:
    fonts = _cell_fonts(bold, size)
    if not fonts:  # no font to measure with: a generous average advance
        return len(text) * size * 0.6 / 72 * 2.54
    tenth_points = max(font.getlength(text) for font in fonts)
    return tenth_points / 10 / 72 * 2.54 * _CELL_SLACK
