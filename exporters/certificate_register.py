"""The certificate register (سجل الشهادات) as an Excel workbook (.xlsx, openpyxl).

One right-to-left sheet: a bold header row, frozen and filterable, then one row per
certificate, newest first, as :func:`models.certificate_register.register` lists them
(the same search and filters the register page shows). Dates are real date cells (so
Excel sorts and filters them), counts are numbers, serials text. Columns are sized to
their contents; the sheet prints landscape, one page wide, the header on every page.
The file is written to a temporary file beside the target and renamed over it, so a
failure or a cancel never leaves half a workbook.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from models import certificate_register
from models.certificate_register import RegisterRow
from models.db import Database
from models.files import staged

__all__ = ["HEADERS", "TEXT", "build_workbook", "write_register"]

TEXT = {
    "sheet": "سجل الشهادات",
    "valid": "سارية",
    "cancelled": "ملغاة",
}
HEADERS = ("الرقم التسلسلي", "اسم حامل الشهادة", "النشاط", "بداية النشاط", "نهاية النشاط",
           "تاريخ الإصدار", "إعادة الطباعة", "المراجعة", "الحالة")
_DATE_COLUMNS = (3, 4, 5)  # zero-based: start, end, issued
_WRAPPED_COLUMNS = (1, 2)  # the holder's name and the activity's title
_DATE_FORMAT = "yyyy-mm-dd"
_MIN_WIDTH, _MAX_WIDTH, _DATE_WIDTH = 9, 60, 13
_HEADER_FILL = PatternFill("solid", fgColor="D3EBE8")
_PROGRESS_EVERY = 500


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text(value: str) -> str:
    # openpyxl refuses control characters; stored text has none, but a file must not fail.
    return ILLEGAL_CHARACTERS_RE.sub("", value or "")


def _values(row: RegisterRow) -> list[object]:
    return [_text(row.serial), _text(row.holder_name), _text(row.activity_title),
            _date(row.start_date), _date(row.end_date or row.start_date),
            _date(certificate_register.issued_on(row.issued_at)), row.reprints, row.revision,
            TEXT["cancelled"] if row.cancelled else TEXT["valid"]]


def _widths(rows: Sequence[list[object]]) -> list[float]:
    widths = []
    for column, header in enumerate(HEADERS):
        if column in _DATE_COLUMNS:
            widths.append(max(_DATE_WIDTH, len(header) + 3))
            continue
        longest = max([len(header)] + [len(str(r[column])) for r in rows if r[column] is not None])
        # +3: the filter arrow in the header, and a margin.
        widths.append(min(_MAX_WIDTH, max(_MIN_WIDTH, longest + 3)))
    return widths


def build_workbook(rows: Sequence[RegisterRow],
                   progress: Callable[[int, int], None] | None = None) -> Workbook:
    """The register's workbook (not yet saved) for ``rows``, in their order."""
    book = Workbook()
    sheet = book.active
    sheet.title = TEXT["sheet"]
    sheet.sheet_view.rightToLeft = True
    book.properties.title = TEXT["sheet"]

    values = [_values(row) for row in rows]
    total = len(values)
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    # A title longer than its (capped) column wraps instead of being cut at the next cell.
    wrapped = Alignment(vertical="top", wrap_text=True)
    for column, text in enumerate(HEADERS, 1):
        cell = sheet.cell(row=1, column=column, value=text)
        cell.font, cell.fill, cell.alignment = bold, _HEADER_FILL, centred
    for done, line in enumerate(values, 1):
        for column, value in enumerate(line):
            cell = sheet.cell(row=done + 1, column=column + 1, value=value)
            if column in _DATE_COLUMNS and value is not None:
                cell.number_format = _DATE_FORMAT
            elif column in _WRAPPED_COLUMNS:
                cell.alignment = wrapped
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # a name is never a formula
        if progress is not None and (done % _PROGRESS_EVERY == 0 or done == total):
            progress(done, total)

    for column, width in enumerate(_widths(values), 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{max(1, total + 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return book


def write_register(db: Database, path: str | os.PathLike[str], *, query: str = "",
                   activity_id: str | None = None, year: int | None = None,
                   include_cancelled: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the register (narrowed like :func:`models.certificate_register.register`) to
    ``path`` (.xlsx) atomically and return the path. ``progress(done, total)`` may raise
    to stop; nothing is left behind then."""
    path = Path(path)
    rows = certificate_register.register(db, query, activity_id=activity_id, year=year,
                                         include_cancelled=include_cancelled)
    book = build_workbook(rows, progress)
    with staged(path.parent, prefix=f".{path.stem}-") as stage:
        book.save(stage.file)
        return stage.commit(path)
