"""The read-only list of records that a page or dialog shows beside its form: one row
chosen at a time, never edited in place, Tab leaving it (as in every list of the app)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def record_table(parent: QWidget, name: str, model: QAbstractItemModel) -> QTableView:
    """A table over ``model`` (object name ``name``) that selects whole rows, one at a
    time, with alternating rows, no wrapping, no row numbers, and columns the user may
    widen. Stretching and widths are the caller's."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table, as in every list
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table
