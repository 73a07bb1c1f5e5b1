"""The activities list as a paged table model: sorted and filtered by the database."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, Qt

from models import vocab
from models.activities import ActivityFilter, ActivityRow, count_activities, list_activities
from models.dates import DateStyle
from models.db import Database
from ui.formatting import number_text, range_text
from ui.table_models import DEFAULT_STYLE, ID_ROLE, ROW_ROLE, PagedTableModel

__all__ = ["ID_ROLE", "ROW_ROLE", "ActivitiesModel"]

COL_TITLE, COL_KIND, COL_DATES, COL_PLACE, COL_PARTICIPANTS, COL_STATUS = range(6)

TEXT = {
    "headers": ("عنوان النشاط", "النوع", "التاريخ", "المكان", "المشاركون", "الحالة"),
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


class ActivitiesModel(PagedTableModel):
    """Activities matching an :class:`ActivityFilter`, a page of 200 at a time.

    ``sort(column, order)`` re-queries in that order; column -1 means the natural order:
    a search's ranking while ``filter.ids`` holds hits, else newest first.
    """

    HEADERS = TEXT["headers"]

    def __init__(self, db: Database, style: DateStyle = DEFAULT_STYLE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._style = style
        self._filter = ActivityFilter()
        self._order_by, self._descending = "start_date", True
        self.refresh()

    # --- what is shown ------------------------------------------------------------------

    @property
    def filter(self) -> ActivityFilter:
        """The filter in force."""
        return self._filter

    def set_filter(self, where: ActivityFilter, *, natural_order: bool = False) -> None:
        """Show only the activities ``where`` describes (from the first page).

        ``natural_order`` also returns to the natural order (see :meth:`sort`), as when a
        search starts or ends.
        """
        if natural_order:
            self._order_by, self._descending = self._natural_order(where)
        elif self._order_by == "rank" and where.ids is None:  # the search was cleared
            self._order_by, self._descending = self._natural_order(where)
        elif where == self._filter:
            return
        self._filter = where
        self.refresh()

    @staticmethod
    def _natural_order(where: ActivityFilter) -> tuple[str, bool]:
        return ("rank", False) if where.ids is not None else ("start_date", True)

    def update_filter(self, **changes: object) -> None:
        """Change some of the filter's fields, keeping the others."""
        self.set_filter(dataclasses.replace(self._filter, **changes))

    @property
    def order(self) -> tuple[str, bool]:
        """The sort key (see models.activities.SORTABLE) and whether it is descending."""
        return self._order_by, self._descending

    def set_style(self, style: DateStyle) -> None:
        """Show dates and numbers in another style (after a settings change)."""
        self._style = style
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.HEADERS) - 1),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column in SORT_KEYS:
            wanted = SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
        elif column < 0:
            wanted = self._natural_order(self._filter)
        else:
            return
        if wanted != (self._order_by, self._descending):
            self._order_by, self._descending = wanted
            self.refresh(recount=False)

    # --- PagedTableModel ----------------------------------------------------------------

    def count_rows(self) -> int:
        return count_activities(self.db, self._filter)

    def read_rows(self, limit: int, offset: int) -> list[ActivityRow]:
        return list_activities(self.db, self._filter, order_by=self._order_by,
                               descending=self._descending, limit=limit, offset=offset)

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
            return vocab.ACTIVITY_STATUSES.get(row.status, row.status)
        return ""

    def tooltip(self, row: ActivityRow, column: int) -> str | None:
        if column in (COL_TITLE, COL_PLACE):
            return self.text(row, column) or None
        return None
