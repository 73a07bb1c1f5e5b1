"""Table models for the list pages, and the paged base they share.

A list can hold 100,000 records: a :class:`PagedTableModel` reads the first page when it
is reset and the next ones as the view scrolls (``canFetchMore``/``fetchMore``), so a
view never waits for more than a page. Sorting and filtering happen in the database:
``sort`` re-queries from the first page.

For «تصدير إلى Excel…» a filtered model also gives an :data:`ExcelReader`: what reads
every row it shows (its filter and order as they are now) in another thread's
connection, as an :class:`ExcelTable` of typed columns and plain values.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from exporters.xlsx_list import Column
from models.dates import DateStyle
from models.db import Database

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
ALIGN = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
DEFAULT_STYLE = DateStyle()

Index = QModelIndex | QPersistentModelIndex


@dataclasses.dataclass(frozen=True)
class ExcelTable:
    """A list as its Excel export writes it: the columns (the table's Arabic headers, each
    with the kind of its cells) and one row of plain values per record, in list order."""

    columns: tuple[Column, ...]
    rows: Sequence[Sequence[object]]


#: Reads what a list shows, given a connection of the thread it runs in (the export's).
ExcelReader = Callable[[Database], ExcelTable]


class UnitColumn:
    """A centre's directorate column, last, for a model listed over several units.

    Mixed in before the Qt model base. Subclasses set ``BASE_HEADERS`` (the columns at a
    unit), ``UNIT_HEADER`` and ``units = {}`` in ``__init__``; the directorate column is
    there only while :attr:`units` holds labels.
    """

    BASE_HEADERS: tuple[str, ...] = ()
    UNIT_HEADER = ""
    units: dict[str, str]

    def set_units(self, labels: dict[str, str]) -> None:
        """At a centre: each unit's label by id, shown in a last directorate column (none:
        no such column, as at a unit)."""
        if labels == self.units:
            return
        self.beginResetModel()  # type: ignore[attr-defined]
        self.units = dict(labels)
        self.HEADERS = self.BASE_HEADERS + ((self.UNIT_HEADER,) if labels else ())
        self.endResetModel()  # type: ignore[attr-defined]


class RowListModel(QAbstractTableModel):
    """Rows read whole by their page (a plan's items, a filtered list of recommendations or
    coverage) under one Arabic header per column: the Qt interface they answer alike.
    Subclasses set ``HEADERS`` and answer :meth:`data`."""

    HEADERS: Sequence[str] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        """Show these rows."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class RowsTableModel(QAbstractTableModel):
    """Rows held in a list under one Arabic header per column; subclasses say what shows.

    The one place for the Qt model interface every list table here answers the same way:
    display text, tooltip, alignment, the row's id (:data:`ID_ROLE`) and the row itself
    (:data:`ROW_ROLE`). Subclasses set ``HEADERS`` and implement :meth:`text`; they may
    override :meth:`tooltip` and :meth:`record_id`.
    """

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def text(self, row: Any, column: int) -> str:
        """What a cell shows."""
        raise NotImplementedError

    def tooltip(self, row: Any, column: int) -> str | None:
        """A cell's tooltip (by default its text, so cut-off text can be read)."""
        return self.text(row, column) or None

    def record_id(self, row: Any) -> str:
        """The id :data:`ID_ROLE` gives for a row (by default the row's ``id``)."""
        return row.id

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
            return self.record_id(row)
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


class PagedTableModel(RowsTableModel):
    """Rows read a page at a time from a query; subclasses say how to count, read and show.

    Subclasses set ``HEADERS`` (one Arabic label per column) and implement
    :meth:`count_rows`, :meth:`read_rows` and :meth:`text`; each row object has an ``id``.
    """

    PAGE_SIZE = 200

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._total = 0

    # --- what subclasses provide ------------------------------------------------------

    def count_rows(self) -> int:
        """How many rows the current filter matches."""
        raise NotImplementedError

    def read_rows(self, limit: int, offset: int) -> list[Any]:
        """One page of rows, in the current order."""
        raise NotImplementedError

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


class _Detached:
    """A list model's Python state (its filter, order and style) over another thread's
    connection, with none of its Qt object: the model class's own Python methods
    (``count_rows``, ``read_rows``, ``text`` and what they call) run on it as on the model.

    The model's connection and Qt object belong to the UI thread; an export's task has
    its own connection and must not touch the model, which may even be gone (its page
    closed) before the task ends. A method that needs Qt fails here loudly (a Qt method
    does not bind to this object) rather than racing the UI thread."""

    def __init__(self, model_type: type, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._model_type = model_type

    def __getattr__(self, name: str) -> Any:
        found = inspect.getattr_static(self._model_type, name)
        if hasattr(found, "__get__"):  # a method, property, class or static method
            return found.__get__(self, self._model_type)
        return found


class FilteredTableModel(PagedTableModel):
    """A paged list narrowed by a filter dataclass and sorted by the database.

    What the activities and persons lists share. Subclasses set ``SORT_KEYS`` (the data
    core's sort key behind each sortable column), ``DEFAULT_ORDER`` (the order without a
    search) and ``STYLE_ROLES`` (what a change of date style redraws), and implement
    :meth:`count_rows`/:meth:`read_rows` from ``self.db``, ``self.filter`` and
    :attr:`order`. The filter has an ``ids`` field: a search's hits, or None.
    ``sort(column, order)`` with column -1 gives the natural order: a search's ranking
    while ``filter.ids`` holds hits, else ``DEFAULT_ORDER``.
    """

    SORT_KEYS: dict[int, str] = {}
    DEFAULT_ORDER: tuple[str, bool] = ("", False)
    STYLE_ROLES: tuple[Qt.ItemDataRole, ...] = (Qt.ItemDataRole.DisplayRole,)

    def __init__(self, db: Database, where: Any, style: DateStyle = DEFAULT_STYLE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._style = style
        self._filter = where
        self._order_by, self._descending = self.DEFAULT_ORDER
        self.refresh()

    @property
    def filter(self) -> Any:
        """The filter in force."""
        return self._filter

    def set_filter(self, where: Any, *, natural_order: bool = False) -> None:
        """Show only the records ``where`` describes (from the first page).

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

    def _natural_order(self, where: Any) -> tuple[str, bool]:
        return ("rank", False) if where.ids is not None else self.DEFAULT_ORDER

    def update_filter(self, **changes: object) -> None:
        """Change some of the filter's fields, keeping the others."""
        self.set_filter(dataclasses.replace(self._filter, **changes))

    @property
    def order(self) -> tuple[str, bool]:
        """The sort key (one of ``SORT_KEYS``' values, or "rank") and whether descending."""
        return self._order_by, self._descending

    def set_style(self, style: DateStyle) -> None:
        """Show dates and numbers in another style (after a settings change)."""
        self._style = style
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.HEADERS) - 1),
                                  list(self.STYLE_ROLES))

    def excel_reader(self) -> ExcelReader:
        """What reads every row this list shows now (its filter, search and order, not
        only the pages loaded) for an Excel export; it runs off the UI thread.

        By default (a list that does not say how its cells are typed) the rows are read
        in the export's thread, by this model's own :meth:`count_rows`/:meth:`read_rows`
        run on a :class:`_Detached` copy of its state over the task's connection, and
        written as the texts the table shows; a list overrides this to write real dates
        and numbers. Nothing is read here, on the UI thread: only the filter, order and
        style of now are kept.
        """
        model_type = type(self)
        state = {name: value for name, value in vars(self).items() if name != "_rows"}
        columns = tuple(Column(header) for header in self.HEADERS)

        def read(db: Database) -> ExcelTable:
            reader = _Detached(model_type, {**state, "db": db})
            total = reader.count_rows()
            rows = reader.read_rows(total, 0) if total else []
            return ExcelTable(columns, [tuple(reader.text(row, col)
                                              for col in range(len(columns)))
                                        for row in rows])

        return read

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column of ``SORT_KEYS`` (others keep the order), or -1: naturally."""
        if column in self.SORT_KEYS:
            wanted = self.SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
        elif column < 0:
            wanted = self._natural_order(self._filter)
        else:
            return
        if wanted != (self._order_by, self._descending):
            self._order_by, self._descending = wanted
            self.refresh(recount=False)
