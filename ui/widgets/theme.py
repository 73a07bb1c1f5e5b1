"""The app's few colours, named once: what an error, a hint, a good or doubtful result and
the dashboard's cards are painted in.

Widgets take a :class:`QColor` (palettes, item models) or a style-sheet fragment from here
rather than writing the hex themselves, so the red of an error is the same red in a field's
message line, a form's tab, the certificates window and the verify dialog.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

# An error: a field's message, a refused file, a tab holding a problem, a forged certificate.
ERROR = "#b3261e"
ERROR_BACKGROUND = "#fce8e6"
# A gentle hint under a field, a cancelled certificate, a muted row.
MUTED = "#6b6b6b"
# A good result (a genuine certificate) and a note that all is well.
GOOD = "#1b7f3b"
GOOD_BACKGROUND = "#e6f4ea"
INFO = "#1b5e20"
# Neither good nor bad (a reserved serial).
WARNING = "#b06000"
WARNING_BACKGROUND = "#fef7e0"
# A cancelled certificate in the register: greyer than a hint.
CANCELLED = "#8a8a8a"
# A notice to act on (the undo bar).
NOTICE = "#3d3000"
NOTICE_BACKGROUND = "#fdf1c7"
NOTICE_BORDER = "#e2c46b"
# The dashboard's cards.
ACCENT = "#1f7a74"
CARD_BORDER = "#cfd9dc"

ERROR_COLOUR = QColor(ERROR)
MUTED_COLOUR = QColor(MUTED)
INFO_COLOUR = QColor(INFO)
CANCELLED_COLOUR = QColor(CANCELLED)

#: A style sheet for a label that says what is wrong.
ERROR_STYLE = f"color: {ERROR};"


def result_style(colour: str, background: str) -> str:
    """The verify dialog's result frame in one colour: tinted background, border, and the
    headline and mark in the colour itself."""
    return (f"QFrame#verifyResult {{ background: {background}; border: 1px solid {colour}; "
            f"border-radius: 6px; }} QLabel#verifyHeadline, QLabel#verifyMark "
            f"{{ color: {colour}; }}")
