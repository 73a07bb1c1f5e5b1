"""The persons list as a paged table model, and a person's participation history."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from exporters.xlsx_list import Column
from models import list_rows, persons, vocab
from models.arabic import isolate
from models.dates import DateStyle
from models.db import Database
from models.person_list import PersonFilter, PersonRow, count_persons, list_persons
from ui.formatting import number_text, range_text
from ui.table_models import (
    DEFAULT_STYLE,
    ID_ROLE,
    ROW_ROLE,
    ExcelReader,
    ExcelTable,
    FilteredTableModel,
    RowsTableModel,
)

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

def gender_text(gender: str, guessed: bool) -> str:
    """The gender's label, marked when it was guessed from the first name."""
    label = vocab.GENDERS.get(gender, "")
    return TEXT["guessed"].format(label=label) if label and guessed else label


def excel_columns() -> tuple[Column, ...]:
    """The persons list's columns in its Excel export."""
    name, gender, job, entity, phone, activities = TEXT["headers"]
    return (Column(name), Column(gender), Column(job), Column(entity), Column(phone),
            Column(activities, "number"))


def excel_values(row: PersonRow) -> tuple[object, ...]:
    """One person's cells in the Excel export (the phone as typed, a text)."""
    return (row.full_name, gender_text(row.gender, row.gender_guessed), row.job_title,
            row.entity, row.phone, row.activities)


class PersonsModel(FilteredTableModel):
    """Persons (all, or a search's hits), a page at a time, sortable by most columns.

    ``sort`` with column -1 gives the natural order: a search's ranking while
    ``filter.ids`` holds hits, else by name.
    """

    HEADERS = TEXT["headers"]
    SORT_KEYS = SORT_KEYS
    DEFAULT_ORDER = ("full_name", False)  # by name
    STYLE_ROLES = (Qt.ItemDataRole.DisplayRole,)  # only the activities count changes

    def __init__(self, db: Database, style: DateStyle = DEFAULT_STYLE,
                 parent: QObject | None = None) -> None:
        super().__init__(db, PersonFilter(), style, parent)

    def count_rows(self) -> int:
        return count_persons(self.db, self._filter)

    def read_rows(self, limit: int, offset: int) -> list[PersonRow]:
        return list_persons(self.db, self._filter, order_by=self._order_by,
                            descending=self._descending, limit=limit, offset=offset)

    def excel_reader(self) -> ExcelReader:
        where, (order_by, descending) = self._filter, self.order

        def read(db: Database) -> ExcelTable:
            rows = list_rows.person_rows(db, where, order_by=order_by, descending=descending)
            return ExcelTable(excel_columns(), [excel_values(row) for row in rows])

        return read

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


class HistoryModel(RowsTableModel):
    """The activities one person attended, newest first, with their certificates."""

    HEADERS = TEXT["history_headers"]

    def __init__(self, db: Database, style: DateStyle = DEFAULT_STYLE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._style = style
        self._person_id: str | None = None

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

    def text(self, row: persons.Participation, column: int) -> str:
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

    def tooltip(self, row: persons.Participation, column: int) -> str | None:
        return row.title if column == H_TITLE else None

    def record_id(self, row: persons.Participation) -> str:
        # A history row stands for its activity: that is what opening it shows.
        return row.activity_id
