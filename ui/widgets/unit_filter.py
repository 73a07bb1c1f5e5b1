"""The «المديرية:» filter of a ministry centre's lists: a label and a combo of the units
whose records the list's table holds (:func:`models.unit_mode.unit_choices`), «كل
المديريات» first. At a unit's own database it stays hidden and filters nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from models.db import Database
from models.unit_mode import is_centre, unit_choices

TEXT = {
    "directorate": "المديرية:",
    "all_directorates": "كل المديريات",
    # A directorate column's width, as a typical value.
    "unit_width": "مديرية تربية كربلاء المقدسة",
    "column": "المديرية",
}


class UnitFilter(QWidget):
    """«المديرية:» and its combo; :meth:`load` fills it for a table and says each unit's
    label (for a directorate column), :meth:`unit_id` is the unit chosen (None: all)."""

    #: The choice changed (by the user, or by :meth:`set_unit_id`).
    changed = Signal()

    def __init__(self, table: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.combo = QComboBox(self)
        self.combo.setObjectName("directorateFilter")
        self.combo.addItem(TEXT["all_directorates"], None)
        self.label = QLabel(TEXT["directorate"], self)
        self.label.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.combo)
        self.combo.currentIndexChanged.connect(self.changed)
        self.labels: dict[str, str] = {}
        self.setVisible(False)

    def load(self, db: Database) -> dict[str, str]:
        """Offer the units whose records of the table ``db`` holds, at a centre (shown),
        or none (hidden); the choice made stays while its unit is still offered. The
        labels by unit id, empty at a unit (no directorate column)."""
        centre = is_centre(db)
        choices = unit_choices(db, self.table) if centre else []
        chosen = self.combo.currentData()
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            self.combo.addItem(TEXT["all_directorates"], None)
            for choice in choices:
                self.combo.addItem(choice.label, choice.id)
            self.combo.setCurrentIndex(max(0, self.combo.findData(chosen)) if chosen else 0)
        finally:
            self.combo.blockSignals(False)
        self.setVisible(centre)
        self.labels = {c.id: c.label for c in choices}
        return self.labels

    def unit_id(self) -> str | None:
        """The unit chosen, or None for every unit."""
        return self.combo.currentData()

    def set_unit_id(self, unit_id: str | None, *, signal: bool = True) -> None:
        """Choose ``unit_id`` (None, or one not offered: every unit)."""
        self.combo.blockSignals(not signal)
        try:
            self.combo.setCurrentIndex(max(0, self.combo.findData(unit_id)) if unit_id else 0)
        finally:
            self.combo.blockSignals(False)

    def label_of(self, unit_id: str) -> str:
        """What a directorate column shows for ``unit_id``."""
        return self.labels.get(unit_id, unit_id[:8])

    def column_width(self) -> int:
        """A directorate column's width in this widget's font."""
        return self.fontMetrics().horizontalAdvance(TEXT["unit_width"])

