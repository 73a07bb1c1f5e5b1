"""The certificate register as a paged table model: serial, holder, activity, issue date,
reprints and revision, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush

from exporters.xlsx_list import Column
from models import certificate_register, list_rows
from models.certificate_register import RegisterRow
from models.dates import DateStyle
from models.db import Database
from ui.formatting import date_text, index_text, number_text, range_text
from ui.table_models import (
    DEFAULT_STYLE,
    ID_ROLE,
    ROW_ROLE,
    ExcelReader,
    ExcelTable,
    FilteredTableModel,
    Index,
)
from ui.widgets.theme import CANCELLED_COLOUR

__all__ = ["COL_ACTIVITY", "COL_ISSUED", "COL_NAME", "COL_REPRINTS", "COL_REVISION",
           "COL_SERIAL", "ID_ROLE", "ROW_ROLE", "CertificatesModel", "RegisterFilter",
           "serial_text"]

COL_SERIAL, COL_NAME, COL_ACTIVITY, COL_ISSUED, COL_REPRINTS, COL_REVISION = range(6)

TEXT = {
    "headers": ("الرقم التسلسلي", "حامل الشهادة", "النشاط", "تاريخ الإصدار",
                "إعادة الطباعة", "المراجعة"),
    "cancelled": "{name} (ملغاة)",
    "activity_tip": "{title}\n{dates}",
    "issued_tip": "أُصدرت في {date}",
    "reprints_tip": "طُبعت بعد إصدارها {n} مرة أخرى بالرقم نفسه",
    "revision_tip": "صُحّحت {n} مرة؛ النسخ المطبوعة قبل آخر تصحيح لا تُقبل عند التحقق",
    "original": "لم تُصحّح",
    # Excel: what the table shows in a tooltip or a colour gets a column of its own
    "start_date": "بداية النشاط",
    "end_date": "نهاية النشاط",
    "status": "الحالة",
    "valid": "سارية",
    "cancelled_status": "ملغاة",
}

LRI, PDI = "\u2066", "\u2069"
_CANCELLED = CANCELLED_COLOUR


def serial_text(serial: str) -> str:
    """A serial as shown: a left-to-right isolate, so "KRB-2026-0001" reads as printed
    even inside right-to-left text or with an Arabic prefix."""
    return f"{LRI}{serial}{PDI}" if serial else ""


@dataclass(frozen=True)
class RegisterFilter:
    """Which certificates the register shows (see :func:`models.certificate_register.register`)."""

    query: str = ""
    year: int | None = None
    activity_id: str | None = None
    include_cancelled: bool = False


def excel_columns() -> tuple[Column, ...]:
    """The register's columns in its Excel export: the table's, with the activity's dates
    (its tooltip) and the status (its colour) as columns of their own."""
    serial, name, activity, issued, reprints, revision = TEXT["headers"]
    return (Column(serial), Column(name), Column(activity), Column(TEXT["start_date"], "date"),
            Column(TEXT["end_date"], "date"), Column(issued, "date"),
            Column(reprints, "number"), Column(revision, "number"), Column(TEXT["status"]))


def excel_values(row: RegisterRow) -> tuple[object, ...]:
    """One certificate's cells in the Excel export (the serial without its isolates)."""
    return (row.serial, row.holder_name, row.activity_title, row.start_date,
            row.end_date or row.start_date, certificate_register.issued_on(row.issued_at),
            row.reprints, row.revision,
            TEXT["cancelled_status"] if row.cancelled else TEXT["valid"])


class CertificatesModel(FilteredTableModel):
    """The register's certificates, a page at a time, newest first (not re-sortable: the
    order of issue is the register's order)."""

    HEADERS = TEXT["headers"]
    DEFAULT_ORDER = ("issued_at", True)
    STYLE_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)

    def __init__(self, db: Database, style: DateStyle = DEFAULT_STYLE,
                 parent: QObject | None = None) -> None:
        super().__init__(db, RegisterFilter(), style, parent)

    def _natural_order(self, where: Any) -> tuple[str, bool]:
        # No search ranking: a search keeps the register's order.
        return self.DEFAULT_ORDER

    def _arguments(self) -> dict[str, Any]:
        where: RegisterFilter = self._filter
        return {"activity_id": where.activity_id, "year": where.year,
                "include_cancelled": where.include_cancelled}

    def count_rows(self) -> int:
        return certificate_register.count(self.db, self._filter.query, **self._arguments())

    def read_rows(self, limit: int, offset: int) -> list[RegisterRow]:
        return certificate_register.register(self.db, self._filter.query, limit=limit,
                                             offset=offset, **self._arguments())

    def excel_reader(self) -> ExcelReader:
        where: RegisterFilter = self._filter

        def read(db: Database) -> ExcelTable:
            rows = list_rows.certificate_rows(db, where.query, activity_id=where.activity_id,
                                              year=where.year,
                                              include_cancelled=where.include_cancelled)
            return ExcelTable(excel_columns(), [excel_values(row) for row in rows])

        return read

    def text(self, row: RegisterRow, column: int) -> str:
        if column == COL_SERIAL:
            return serial_text(row.serial)
        if column == COL_NAME:
            return TEXT["cancelled"].format(name=row.holder_name) if row.cancelled \
                else row.holder_name
        if column == COL_ACTIVITY:
            return row.activity_title
        if column == COL_ISSUED:
            return date_text(certificate_register.issued_on(row.issued_at), self._style)
        if column == COL_REPRINTS:
            return number_text(row.reprints, self._style)
        if column == COL_REVISION:
            return index_text(row.revision, self._style)
        return ""

    def tooltip(self, row: RegisterRow, column: int) -> str | None:
        style = self._style
        if column == COL_ACTIVITY:
            dates = range_text(row.start_date, row.end_date, style)
            return TEXT["activity_tip"].format(title=row.activity_title, dates=dates).strip()
        if column == COL_ISSUED:
            return TEXT["issued_tip"].format(date=self.text(row, column))
        if column == COL_REPRINTS:
            return TEXT["reprints_tip"].format(n=number_text(row.reprints, style))
        if column == COL_REVISION:
            if not row.revision:
                return TEXT["original"]
            return TEXT["revision_tip"].format(n=index_text(row.revision, style))
        return self.text(row, column) or None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() \
                and 0 <= index.row() < len(self._rows) and self._rows[index.row()].cancelled:
            return QBrush(_CANCELLED)
        return super().data(index, role)
