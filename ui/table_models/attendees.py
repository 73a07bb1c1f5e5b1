"""The table model of an activity's attendance list, with a tick box per day of the activity.

Rows are :class:`models.attendance.Attendee` in the order they were added. A multi-day
activity gets one checkable column per day (اليوم ١، اليوم ٢ …); ticking one calls the
``write_days`` function the editor gives (which writes through to the database) and shows
the days it returns. IDs and phone numbers go to the view as text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from exporters.xlsx_list import Column
from models import list_rows, vocab
from models.attendance import Attendee
from models.dates import DateStyle
from models.db import Database
from models.records import Person, label
from ui.formatting import index_text, number_text
from ui.table_models import ExcelReader, ExcelTable

TEXT = {
    "number": "ت",
    "day": "اليوم {n}",
    "guessed": "{gender} (مخمّن)",
    "guessed_tip": "خُمّن الجنس من الاسم الأول؛ عدّله من بيانات المشارك إن لم يكن صحيحاً.",
    "attended": "✓",  # Excel: a ticked day
}

Index = QModelIndex | QPersistentModelIndex
WriteDays = Callable[[str, list[int]], list[int]]


def person_text(person: Person, col: int) -> str:
    """What a person's cell in column ``col`` (name to phone) shows."""
    if col == AttendeesModel.COL_NAME:
        return person.full_name
    if col == AttendeesModel.COL_GENDER:
        gender = vocab.GENDERS.get(person.gender, "")
        return TEXT["guessed"].format(gender=gender) if gender and person.gender_guessed \
            else gender
    if col == AttendeesModel.COL_JOB:
        return person.job_title
    if col == AttendeesModel.COL_ENTITY:
        return person.entity
    if col == AttendeesModel.COL_PHONE:
        return str(person.phone)
    return ""


class AttendeesModel(QAbstractTableModel):
    """Who attended an activity, and on which of its days."""

    COL_NUMBER, COL_NAME, COL_GENDER, COL_JOB, COL_ENTITY, COL_PHONE = range(6)
    COL_FIRST_DAY = 6
    ATTENDANCE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
    PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 2
    HEADERS = (TEXT["number"], label(Person, "full_name"), label(Person, "gender"),
               label(Person, "job_title"), label(Person, "entity"), label(Person, "phone"))

    #: Writing the days failed (the error, to show).
    write_failed = Signal(object)

    def __init__(self, style: DateStyle | None = None, write_days: WriteDays | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.style = style or DateStyle()
        self._write_days = write_days
        self._rows: list[Attendee] = []
        self._days = 1

    # --- shape --------------------------------------------------------------------------

    @property
    def day_columns(self) -> int:
        """How many day columns there are (none for a one-day activity)."""
        return self._days if self._days > 1 else 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.COL_FIRST_DAY + self.day_columns

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if 0 <= section < self.COL_FIRST_DAY:
            return self.HEADERS[section]
        if self.COL_FIRST_DAY <= section < self.columnCount():
            day = section - self.COL_FIRST_DAY + 1
            return TEXT["day"].format(n=number_text(day, self.style))
        return None

    # --- reading ------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == self.ATTENDANCE_ID_ROLE:
            return row.attendance_id
        if role == self.PERSON_ID_ROLE:
            return row.person.id
        if col >= self.COL_FIRST_DAY:
            day = col - self.COL_FIRST_DAY + 1
            if role == Qt.ItemDataRole.CheckStateRole:
                return (Qt.CheckState.Checked if day in row.days
                        else Qt.CheckState.Unchecked)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), row.person, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_GENDER and \
                row.person.gender_guessed:
            return TEXT["guessed_tip"]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_NUMBER:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def _text(self, number: int, person: Person, col: int) -> str:
        if col == self.COL_NUMBER:
            return index_text(number + 1, self.style)
        return person_text(person, col)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() >= self.COL_FIRST_DAY:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    # --- ticking days -------------------------------------------------------------------

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.CheckStateRole or not index.isValid()
                or index.column() < self.COL_FIRST_DAY or index.column() >= self.columnCount()):
            return False
        row = self._rows[index.row()]
        day = index.column() - self.COL_FIRST_DAY + 1
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        days = set(row.days)
        if state == Qt.CheckState.Checked.value:
            days.add(day)
        else:
            days.discard(day)
        wanted = sorted(days)
        if self._write_days is not None:
            try:
                wanted = self._write_days(row.attendance_id, wanted)
            except Exception as exc:  # noqa: BLE001 - shown to the user by the editor
                self.write_failed.emit(exc)
                return False
        self._rows[index.row()] = dataclasses.replace(row, days=list(wanted))
        first = self.index(index.row(), self.COL_FIRST_DAY)
        last = self.index(index.row(), self.columnCount() - 1)
        self.dataChanged.emit(first, last, [Qt.ItemDataRole.CheckStateRole])
        return True

    # --- loading ------------------------------------------------------------------------

    def set_attendees(self, rows: Iterable[Attendee], days: int) -> None:
        """Show this list for an activity of ``days`` days."""
        self.beginResetModel()
        self._rows = list(rows)
        self._days = max(1, days)
        self.endResetModel()

    def attendees(self) -> list[Attendee]:
        """The rows, in order."""
        return list(self._rows)

    def set_style(self, style: DateStyle) -> None:
        """Redraw numbers in the unit's digits."""
        self.style = style
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def row_of(self, attendance_id: str) -> int:
        """The row of an attendance record, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.attendance_id == attendance_id),
                    -1)


def excel_reader(activity_id: str, style: DateStyle | None = None) -> ExcelReader:
    """What reads an activity's attendance list as its attendees tab shows it, for an
    Excel export: the tab's columns (a day column per day of a multi-day activity, a tick
    where the person came), in the order people were added."""
    style = style or DateStyle()
    people = range(AttendeesModel.COL_NAME, AttendeesModel.COL_FIRST_DAY)

    def read(db: Database) -> ExcelTable:
        found = list_rows.attendee_rows(db, activity_id)
        days = found.days if found.days > 1 else 0
        columns = (Column(AttendeesModel.HEADERS[0], "number"),
                   *(Column(header) for header in AttendeesModel.HEADERS[1:]),
                   *(Column(TEXT["day"].format(n=number_text(day, style)))
                     for day in range(1, days + 1)))
        rows = [(number, *(person_text(row.person, col) for col in people),
                 *(TEXT["attended"] if day in row.days else None for day in range(1, days + 1)))
                for number, row in enumerate(found.rows, 1)]
        return ExcelTable(columns, rows)

    return read
