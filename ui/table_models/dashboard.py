"""The dashboard's two short lists: the next activities and the records changed last.

Plain :class:`~ui.table_models.RowsTableModel` subclasses over the dataclasses of
:func:`models.dashboard.summary`, formatted the unit's way; no widget needed to test them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject

from models import vocab
from models.dashboard import RecentChange, UpcomingActivity
from models.dates import DateStyle
from ui.formatting import date_text, digits_text, range_text
from ui.table_models import DEFAULT_STYLE, RowsTableModel

TEXT = {
    "col_date": "التاريخ",
    "col_title": "النشاط",
    "col_kind": "النوع",
    "col_place": "المكان",
    "col_type": "السجل",
    "col_record": "العنوان",
    "col_when": "آخر تعديل",
}


def local_stamp(stamp: str, style: DateStyle) -> str:
    """A stored UTC time as the local date and hour: "٢٣ تشرين الثاني ٢٠٢٦ ١٠:٤٢"."""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    return f"{date_text(moment.date(), style)} {digits_text(moment.strftime('%H:%M'), style)}"


class SummaryRowsModel(RowsTableModel):
    """A read-only table over a short list of the dashboard's dataclasses."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.style = DEFAULT_STYLE

    def set_rows(self, rows: Sequence[Any], style: DateStyle) -> None:
        """Show these rows, formatted the unit's way."""
        self.beginResetModel()
        self._rows, self.style = list(rows), style
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        """The dataclass behind a row."""
        return self._rows[row]

    def tooltip(self, row: Any, column: int) -> str | None:
        return self.text(row, column)


class UpcomingModel(SummaryRowsModel):
    """The next activities: date, title, kind, place."""

    COL_DATE, COL_TITLE, COL_KIND, COL_PLACE = range(4)
    HEADERS = (TEXT["col_date"], TEXT["col_title"], TEXT["col_kind"], TEXT["col_place"])

    def text(self, row: UpcomingActivity, column: int) -> str:
        if column == self.COL_DATE:
            return range_text(row.start_date, row.end_date, self.style)
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_KIND:
            return vocab.ACTIVITY_KINDS.get(row.kind, row.kind)
        return row.place


class RecentModel(SummaryRowsModel):
    """The records changed last: their type, what they are called, when."""

    COL_TYPE, COL_TITLE, COL_WHEN = range(3)
    HEADERS = (TEXT["col_type"], TEXT["col_record"], TEXT["col_when"])

    def text(self, row: RecentChange, column: int) -> str:
        if column == self.COL_TYPE:
            return row.type_label
        if column == self.COL_TITLE:
            return " ".join(row.title.split())  # a recommendation may span lines
        return local_stamp(row.updated_at, self.style)
