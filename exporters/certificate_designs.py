"""The built-in certificate designs, as data both renderers read (the Word one in
:mod:`exporters.certificate_docx`, the painted one for PDF, printing and the preview in
:mod:`exporters.certificate_paint`), so a design looks the same whichever way it leaves.

Geometry is in millimetres on a landscape A4 page (297 × 210), measured from the page's
top-left corner; "right" in a box means where Arabic lines start. Font sizes are points:
each text has its largest size and the smallest it may shrink to before it wraps.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.certificate_style import DESIGNS

__all__ = ["LINE_PITCH", "PAGE_HEIGHT_MM", "PAGE_WIDTH_MM", "PT_MM", "SIGNATURE_MM",
           "SIZE_FLOOR", "Box", "Design", "design"]

PAGE_WIDTH_MM = 297.0
PAGE_HEIGHT_MM = 210.0
PT_MM = 25.4 / 72

# The one set of constants every rendering follows (the page plan in
# exporters.certificate_plan reads them; neither writer has its own).
# Distance between the baselines of a text's lines, in ems of its size: the same in
# Word, LibreOffice and Qt (each would use the font's own, Amiri's being 4.2 em in Word).
# Amiri's unvocalised ink spans 1.6 em (tall alef with hamza, deep final yeh), Noto's 1.4.
LINE_PITCH = {"Amiri": 1.65, "Noto Sans Arabic UI": 1.45}
SIZE_FLOOR = 6.0         # points: below a design's smallest size only when nothing fits
# The signatories: up to three columns from the right, each the signature image, then
# the name, then the title (mm).
SIGNER_COLUMNS = 3
SIGNATURE_MM = 15.0
SIGNER_NAME_MM = 8.0
SIGNER_PAD_MM = 3.0
QR_TEXT_MM = 5.0         # each of the serial and the short code under the QR
# The formal frame, mm from the page's edge: a heavy outer rule, a thin inner one, beads
# between them and a star over each corner.
FRAME_OUTER_MM = 8.0
FRAME_INNER_MM = 12.5
FRAME_STAR_MM = 6.5
# The modern design's band on the right (where Arabic starts), the rule beside it and
# the short rule under the title.
BAND_MM = 12.0
BAND_RULE_GAP_MM = 3.0
BAND_RULE_MM = 0.7
TITLE_RULE_MM = 60.0


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in millimetres."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Design:
    """One design's look: colours (``#rrggbb``), frame, text sizes and where things go."""

    key: str
    label: str
    ink: str             # body text
    accent: str          # title and the holder's name
    muted: str           # issuer lines, serial, date
    frame: str           # "ornate" (double rule with corner marks), "band" (coloured side
                         # band and rule), "none"
    frame_color: str
    band_color: str
    # Largest and smallest sizes, points.
    title_pt: float
    title_min_pt: float
    name_pt: float
    name_min_pt: float
    body_pt: float
    body_min_pt: float
    issuer_pt: float
    small_pt: float      # signatory titles, date, serial, short code
    # Where things go.
    header: Box          # issuer lines, centred; logos at its two ends
    title: Box
    lead: Box
    name: Box            # up to two lines
    body: Box
    date: Box
    signers: Box         # up to three columns, from the right
    qr: Box              # the QR square (its size is min(width, height)), code under it
    logo_mm: float       # each logo fits a square this size


_COMMON = {
    "header": Box(30, 18, 237, 26),
    "title": Box(40, 46, 217, 20),
    "lead": Box(40, 68, 217, 10),
    "name": Box(40, 79, 217, 22),
    "body": Box(40, 103, 217, 36),
    "date": Box(40, 140, 217, 7),
    "signers": Box(70, 150, 197, 40),
    "qr": Box(28, 150, 34, 34),
    "logo_mm": 24.0,
}

_DESIGNS = {
    "formal": Design(
        key="formal", label=DESIGNS["formal"],
        ink="#1f1f1f", accent="#7a1f1f", muted="#555555",
        frame="ornate", frame_color="#9c7a2f", band_color="#9c7a2f",
        title_pt=40, title_min_pt=24, name_pt=30, name_min_pt=16,
        body_pt=16, body_min_pt=10, issuer_pt=12, small_pt=10, **_COMMON),
    "modern": Design(
        key="modern", label=DESIGNS["modern"],
        ink="#22313f", accent="#0b6e6e", muted="#5b6b78",
        frame="band", frame_color="#0b6e6e", band_color="#0b6e6e",
        title_pt=38, title_min_pt=22, name_pt=30, name_min_pt=16,
        body_pt=15, body_min_pt=10, issuer_pt=12, small_pt=10,
        # Everything moves 10 mm left, off the band on the right, so the text is centred
        # in the white part of the page.
        **{**_COMMON, "header": Box(28, 14, 221, 26), "title": Box(30, 46, 217, 20),
           "lead": Box(30, 68, 217, 10), "name": Box(30, 79, 217, 22),
           "body": Box(30, 103, 217, 36), "date": Box(30, 140, 217, 7),
           "signers": Box(60, 150, 197, 40), "qr": Box(22, 152, 32, 32)}),
    "minimal": Design(
        key="minimal", label=DESIGNS["minimal"],
        ink="#000000", accent="#000000", muted="#444444",
        frame="none", frame_color="#000000", band_color="#000000",
        title_pt=34, title_min_pt=20, name_pt=28, name_min_pt=16,
        body_pt=15, body_min_pt=10, issuer_pt=11, small_pt=9, **_COMMON),
}


def design(key: str) -> Design:
    """The design of that key; the formal one for a key no longer known."""
    return _DESIGNS.get(key, _DESIGNS["formal"])
