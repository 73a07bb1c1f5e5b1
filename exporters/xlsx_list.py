"""A list as it is shown on screen, written to an Excel workbook (.xlsx, openpyxl).

What every list page's «تصدير إلى Excel…» writes: one right-to-left sheet, a bold header
row (the Arabic headers the table shows) frozen and filterable, then one row per record
in the list's order. Each column has a kind: ``text`` cells are always text, ``date``
cells real dates with a date format (so Excel sorts and filters them), ``number`` cells
numbers. No cell ever holds a formula: a text that Excel or LibreOffice would read as one
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break — a name typed as
«=HYPERLINK(…)» or «-5») is stored as a string and marked "quote prefix", so that even
editing the cell keeps it text. Columns are sized to their contents. The file is written
through :func:`models.files.write_file`: a failure or a cancel never leaves half a
workbook, and an old file of the same name stays whole until the new one is complete.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from models import files

# openpyxl (and numpy under it, a quarter of a second) loads when a workbook is written,
# not when a list page imports :class:`Column`: every page does, the first one at start-up.
if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["DATE_FORMAT", "KINDS", "Column", "build_workbook", "cell_text", "write_list"]

KINDS = ("text", "date", "number")
DATE_FORMAT = "yyyy-mm-dd"
# What makes Excel (or LibreOffice, or a CSV made from the sheet) take a text for a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_SHEET_TITLE_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})
_MAX_SHEET_TITLE = 31  # Excel's limit
_MIN_WIDTH, _MAX_WIDTH, _DATE_WIDTH = 8, 60, 12
_HEADER_COLOUR = "D3EBE8"
# The characters openpyxl refuses in a cell (its cell.ILLEGAL_CHARACTERS_RE, the same).
_ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_PROGRESS_EVERY = 500

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Column:
    """One column of the sheet: its Arabic header and the kind of its cells ("text",
    "date" — an ISO date string or a date —, or "number")."""

    header: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind: {self.kind!r}")


def cell_text(value: object) -> str:
    """A value as a text cell holds it: openpyxl refuses control characters, which a
    stored text should not have but an imported one might."""
    return _ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _number(value: object) -> int | float | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    return None


def _sheet_title(title: str) -> str:
    cleaned = " ".join(cell_text(title).translate(_SHEET_TITLE_BAD).split()).strip("'")
    return cleaned[:_MAX_SHEET_TITLE] or "Sheet"


def _width(text: str) -> int:
    # The longest line, not the whole text: a cell with line breaks is as wide as its lines.
    return max((len(line) for line in text.splitlines()), default=0)


def build_workbook(title: str, columns: Sequence[Column], rows: Sequence[Sequence[object]],
                   progress: Progress | None = None) -> Workbook:
    """The workbook (not yet saved) of a list: ``columns``, then ``rows`` in their order
    (one value per column; None is an empty cell). ``progress(done, total)`` is called
    every few hundred rows and may raise to stop."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(title)
    sheet.sheet_view.rightToLeft = True
    book.properties.title = cell_text(title)

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=_HEADER_COLOUR)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [_width(column.header) + 3 for column in columns]  # +3: the filter arrow
    for number, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=number, value=cell_text(column.header))
        cell.font, cell.fill, cell.alignment = bold, header_fill, centred

    total, done = len(rows), 0
    for done, values in enumerate(rows, 1):
        for number, (column, value) in enumerate(zip(columns, values, strict=False), 1):
            shown = _write(sheet.cell(row=done + 1, column=number), column.kind, value)
            widths[number - 1] = max(widths[number - 1], shown)
        if progress is not None and done % _PROGRESS_EVERY == 0:
            progress(done, total)
    if progress is not None:
        progress(done, total)

    for number, (column, width) in enumerate(zip(columns, widths, strict=True), 1):
        floor = _DATE_WIDTH if column.kind == "date" else _MIN_WIDTH
        sheet.column_dimensions[get_column_letter(number)].width = \
            min(_MAX_WIDTH, max(floor, width + 2))
    last = get_column_letter(max(1, len(columns)))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(1, done + 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return book


def _write(cell, kind: str, value: object) -> int:
    """Put ``value`` in ``cell`` as a ``kind`` cell; return how wide it shows."""
    if value is None or value == "":
        return 0
    if kind == "date":
        day = _date(value)
        if day is not None:
            cell.value = day
            cell.number_format = DATE_FORMAT
            return _DATE_WIDTH
    elif kind == "number":
        number = _number(value)
        if number is not None:
            cell.value = number
            return len(str(number))
    # Text, or a date or number that is not one: as text, never a formula.
    text = cell_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl makes a formula of "=…": undo that
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # Excel shows it as typed and keeps it text when edited
    return _width(text)


def write_list(path: str | os.PathLike[str], title: str, columns: Sequence[Column],
               rows: Sequence[Sequence[object]], progress: Progress | None = None) -> Path:
    """Write a list to ``path`` (.xlsx) atomically and return the path (see
    :func:`build_workbook`). ``progress`` may raise to stop; nothing is left behind then."""
    path = Path(path)
    book = build_workbook(title, columns, rows, progress)
    return files.write_file(path, book.save)
