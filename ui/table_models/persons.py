"""The persons list as a paged table model, and a person's participation history."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from models import persons, vocab
from models.arabic import isolate
from models.dates import DateStyle
from models.db import Database
from models.person_list import PersonFilter, PersonRow, count_persons, list_persons
from ui.formatting import number_text, range_text
from ui.table_models import ALIGN, DEFAULT_STYLE, ID_ROLE, ROW_ROLE, PagedTableModel

__all__ = ["ID_ROLE", "ROW_ROLE", "HistoryModel", "PersonsModel"]

COL_NAME, COL_GENDER, COL_JOB, COL_ENTITY, COL_PHONE, COL_ACTIVITIES = range(6)
H_TITLE, H_KIND, H_DATES, H_DAYS, H_CERTIFICATE = range(5)

TEXT = {
    "headers": ("الاسم", "الجنس", "العنوان الوظيفي", "الجهة", "الهاتف", "الأنشطة"),
    "history_headers": ("النشاط", "النوع", "التاريخ", "أيام الحضور", "رقم الشهادة"),
    "guessed": "{label} (مخمّن)",
    "guessed_tip": "خُمّن الجنس من الاسم الأول؛ صحّحه من نافذة التعديل إن لزم.",
}

# The models.person_list sort key behind each column. Not the activities column: counting
# every person's activities to sort by them takes seconds on a large file.
SORT_KEYS = {
    COL_NAME: "full_name",
    COL_GENDER: "gender",
    COL_JOB: "job_title",
    COL_ENTITY: "entity",
    COL_PHONE: "phone",
}

Index = QModelIndex | QPersistentModelIndex


def gender_text(gender: str, guessed: bool) -> str:
    """The gender's label, marked when it was guessed from the first name."""
    label = vocab.GENDERS.get(gender, "")
    return TEXT["guessed"].format(label=label) if label and guessed else label


class PersonsModel(PagedTableModel):
    """Persons (all, or a search's hits), a page at a time, sortable by most columns.

    ``sort`` with column -1 gives the natural order: a search's ranking while
    ``filter.ids`` holds hits, else by name.
    """

    HEADERS = TEXT["headers"]

    def __init__(self, db: Database, style: DateStyle = DEFAULT_STYLE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._style = style
        self._filter = PersonFilter()
        self._order_by, self._descending = "full_name", False
        self.refresh()

    @property
    def filter(self) -> PersonFilter:
        """The filter in force."""
        return self._filter

    def set_filter(self, where: PersonFilter, *, natural_order: bool = False) -> None:
        """Show only the persons ``where`` describes (from the first page).

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
    def _natural_order(where: PersonFilter) -> tuple[str, bool]:
        return ("rank", False) if where.ids is not None else ("full_name", False)

    def update_filter(self, **changes: object) -> None:
        """Change some of the filter's fields, keeping the others."""
        self.set_filter(dataclasses.replace(self._filter, **changes))

    def set_style(self, style: DateStyle) -> None:
        """Show numbers in another digit style."""
        self._style = style
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.HEADERS) - 1),
                                  [Qt.ItemDataRole.DisplayRole])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column of :data:`SORT_KEYS` (others keep the order), or -1: naturally."""
        if column in SORT_KEYS:
            wanted = SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
        elif column < 0:
            wanted = self._natural_order(self._filter)
        else:
            return
        if wanted != (self._order_by, self._descending):
            self._order_by, self._descending = wanted
            self.refresh(recount=False)

    def count_rows(self) -> int:
        return count_persons(self.db, self._filter)

    def read_rows(self, limit: int, offset: int) -> list[PersonRow]:
        return list_persons(self.db, self._filter, order_by=self._order_by,
                            descending=self._descending, limit=limit, offset=offset)

    def text(self, row: PersonRow, column: int) -> str:
        if column == COL_NAME:
            return row.full_name
        if column == COL_GENDER:
            return gender_text(row.gender, row.gender_guessed)
        if column == COL_JOB:
            return row.job_title
        if column == COL_ENTITY:
            return row.entity
        if column == COL_PHONE:
            # As typed, isolated so that a leading + stays before the digits.
            return isolate(row.phone)
        if column == COL_ACTIVITIES:
            return number_text(row.activities, self._style)
        return ""

    def tooltip(self, row: PersonRow, column: int) -> str | None:
        if column == COL_GENDER and row.gender and row.gender_guessed:
            return TEXT["guessed_tip"]
        if column in (COL_NAME, COL_JOB, COL_ENTITY):
            return self.text(row, column) or None
        return None


class HistoryModel(QAbstractTableModel):
    """The activities one person attended, newest first, with their certificates."""

    HEADERS = TEXT["history_headers"]

    def __init__(self, db: Database, style: DateStyle = DEFAULT_STYLE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._style = style
        self._person_id: str | None = None
        self._rows: list[persons.Participation] = []

    @property
    def person_id(self) -> str | None:
        """Whose history is shown."""
        return self._person_id

    def set_person(self, person_id: str | None) -> None:
        """Show this person's history (None: nobody's)."""
        self.beginResetModel()
        self._person_id = person_id
        self._rows = persons.history(self.db, person_id) if person_id else []
        self.endResetModel()

    def refresh(self) -> None:
        """Read the history again."""
        self.set_person(self._person_id)

    def set_style(self, style: DateStyle) -> None:
        """Show dates and numbers in another style."""
        self.beginResetModel()
        self._style = style
        self.endResetModel()

    def participation_at(self, row: int) -> persons.Participation:
        """The participation shown on a row."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt idiom
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt idiom
        return 0 if parent.isValid() else len(self.HEADERS)

    def _text(self, row: persons.Participation, column: int) -> str:
        if column == H_TITLE:
            return row.title
        if column == H_KIND:
            return vocab.ACTIVITY_KINDS.get(row.kind, row.kind)
        if column == H_DATES:
            return range_text(row.start_date, row.end_date, self._style)
        if column == H_DAYS:
            return number_text(len(row.days), self._style)
        if column == H_CERTIFICATE:
            return isolate(row.certificate_serial or "")
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == H_TITLE:
            return row.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN
        if role == ID_ROLE:
            return row.activity_id
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
