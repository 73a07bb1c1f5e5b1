"""Table models for the list pages, and the paged base they share.

A list can hold 100,000 records: a :class:`PagedTableModel` reads the first page when it
is reset and the next ones as the view scrolls (``canFetchMore``/``fetchMore``), so a
view never waits for more than a page. Sorting and filtering happen in the database:
``sort`` re-queries from the first page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from models.dates import DateStyle

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
ALIGN = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
DEFAULT_STYLE = DateStyle()

Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel):
    """Rows read a page at a time from a query; subclasses say how to count, read and show.

    Subclasses set ``HEADERS`` (one Arabic label per column) and implement
    :meth:`count_rows`, :meth:`read_rows` and :meth:`text`; each row object has an ``id``.
    """

    PAGE_SIZE = 200
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._total = 0

    # --- what subclasses provide ------------------------------------------------------

    def count_rows(self) -> int:
        """How many rows the current filter matches."""
        raise NotImplementedError

    def read_rows(self, limit: int, offset: int) -> list[Any]:
        """One page of rows, in the current order."""
        raise NotImplementedError

    def text(self, row: Any, column: int) -> str:
        """What a cell shows."""
        raise NotImplementedError

    def tooltip(self, row: Any, column: int) -> str | None:
        """A cell's tooltip (by default its text, so cut-off text can be read)."""
        return self.text(row, column) or None

    # --- reading ------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many rows match, loaded or not."""
        return self._total

    def refresh(self, *, recount: bool = True) -> None:
        """Read again from the first page (after a change of data, filter or order).

        ``recount=False`` keeps the count: a new order has as many rows as the old one,
        and counting can cost as much as reading the page.
        """
        self.beginResetModel()
        if recount:
            self._total = self.count_rows()
        self._rows = self.read_rows(self.PAGE_SIZE, 0) if self._total else []
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt idiom
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt idiom
        if parent.isValid() or len(self._rows) >= self._total:
            return
        page = self.read_rows(self.PAGE_SIZE, len(self._rows))
        if not page:  # rows went away since they were counted: stop asking
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def row_at(self, row: int) -> Any:
        """The record shown on a row."""
        return self._rows[row]

    def id_at(self, row: int) -> str:
        """The id of the record shown on a row."""
        return self._rows[row].id

    def row_of(self, record_id: str) -> int:
        """The row showing a record among those loaded, or -1."""
        for number, row in enumerate(self._rows):
            if row.id == record_id:
                return number
        return -1

    # --- Qt's model interface -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt idiom
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt idiom
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN
        if role == ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN
        return None
