"""The activities list as a paged table model: sorted and filtered by the database."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from exporters.xlsx_list import Column
from models import vocab
from models.activities import ActivityFilter, ActivityRow, count_activities, list_activities
from models.dates import DateStyle
from models.db import Database
from ui.formatting import date_text, number_text, range_text
from ui.table_models import (
    DEFAULT_STYLE,
    ID_ROLE,
    ROW_ROLE,
    ExcelReader,
    ExcelTable,
    FilteredTableModel,
    UnitColumn,
)

__all__ = ["ID_ROLE", "ROW_ROLE", "ActivitiesModel"]

COL_TITLE, COL_KIND, COL_DATES, COL_PLACE, COL_PARTICIPANTS, COL_STATUS = range(6)
# At a ministry centre only: the directorate each activity came from (after the others, so
# that their numbers stay the same at a unit and at a centre).
COL_DIRECTORATE = 6

TEXT = {
    "headers": ("عنوان النشاط", "النوع", "التاريخ", "المكان", "المشاركون", "الحالة"),
    # Excel: the date range is two date cells, the table's "التاريخ" (the first day) and this
    "end_date": "تاريخ الانتهاء",
    "approved_tip": "اعتمده {by} في {when}",
    "directorate": "المديرية",
}

# The models.activities sort key behind each column.
SORT_KEYS = {
    COL_TITLE: "title",
    COL_KIND: "kind",
    COL_DATES: "start_date",
    COL_PLACE: "place",
    COL_PARTICIPANTS: "participants",
    COL_STATUS: "status",
}


def excel_columns() -> tuple[Column, ...]:
    """The list's columns in its Excel export (the dates as two date columns)."""
    title, kind, dates, place, participants, status = TEXT["headers"]
    return (Column(title), Column(kind), Column(dates, "date"), Column(TEXT["end_date"], "date"),
            Column(place), Column(participants, "number"), Column(status))


def excel_values(row: ActivityRow) -> tuple[object, ...]:
    """One activity's cells in the Excel export, as the list shows them."""
    participants = None if not row.attendees and row.participants_count is None \
        else row.participants
    return (row.title, vocab.ACTIVITY_KINDS.get(row.kind, row.kind), row.start_date,
            row.end_date or row.start_date, row.place, participants,
            row.approval_label)


class ActivitiesModel(UnitColumn, FilteredTableModel):
    """Activities matching an :class:`ActivityFilter`, a page of 200 at a time.

    ``sort(column, order)`` re-queries in that order; column -1 means the natural order:
    a search's ranking while ``filter.ids`` holds hits, else newest first.
    """

    HEADERS = BASE_HEADERS = TEXT["headers"]
    UNIT_HEADER = TEXT["directorate"]
    SORT_KEYS = SORT_KEYS
    DEFAULT_ORDER = ("start_date", True)  # newest first
    # Dates and participant counts change style; the tooltips show the same text.
    STYLE_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)

    def __init__(self, db: Database, style: DateStyle = DEFAULT_STYLE,
                 parent: QObject | None = None) -> None:
        super().__init__(db, ActivityFilter(), style, parent)
        self.units: dict[str, str] = {}

    # --- FilteredTableModel ------------------------------------------------------------

    def count_rows(self) -> int:
        return count_activities(self.db, self._filter)

    def read_rows(self, limit: int, offset: int) -> list[ActivityRow]:
        return list_activities(self.db, self._filter, order_by=self._order_by,
                               descending=self._descending, limit=limit, offset=offset)

    def excel_reader(self) -> ExcelReader:
        where, (order_by, descending) = self._filter, self.order

        units = dict(self.units)

        def read(db: Database) -> ExcelTable:
            from models import list_rows  # with the persons' and register's lists: on export

            rows = list_rows.activity_rows(db, where, order_by=order_by, descending=descending)
            if not units:
                return ExcelTable(excel_columns(), [excel_values(row) for row in rows])
            return ExcelTable((*excel_columns(), Column(TEXT["directorate"])),
                              [(*excel_values(row), units.get(row.unit_id, row.unit_id[:8]))
                               for row in rows])

        return read

    def text(self, row: ActivityRow, column: int) -> str:
        if column == COL_TITLE:
            return row.title
        if column == COL_KIND:
            return vocab.ACTIVITY_KINDS.get(row.kind, row.kind)
        if column == COL_DATES:
            return range_text(row.start_date, row.end_date, self._style)
        if column == COL_PLACE:
            return row.place
        if column == COL_PARTICIPANTS:
            # Blank when nobody was listed or counted (a press release), not a misleading 0.
            if not row.attendees and row.participants_count is None:
                return ""
            return number_text(row.participants, self._style)
        if column == COL_STATUS:
            # The approval state: «عُدّل بعد الإرسال» for a sent activity edited since.
            return row.approval_label
        if column == COL_DIRECTORATE and self.units:
            return self.units.get(row.unit_id, row.unit_id[:8])
        return ""

    def tooltip(self, row: ActivityRow, column: int) -> str | None:
        if column in (COL_TITLE, COL_PLACE):
            return self.text(row, column) or None
        if column == COL_STATUS and row.approved_by:
            return TEXT["approved_tip"].format(by=row.approved_by,
                                               when=date_text((row.approved_at or "")[:10] or None,
                                                              self._style))
        return None
