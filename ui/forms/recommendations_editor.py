"""The recommendations of an activity: a table of them, and the selected one's fields under it.

Each row is a :class:`~models.records.Recommendation` (text, addressed to, due date,
status — "raised" for a new one). The table shows them in order; the panel under it
edits the selected one, with the models' messages next to its fields and a line for
the other rows' problems. Nothing is written here; the activity form saves them with
the activity.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from models import vocab
from models.dates import DateStyle
from models.errors import ValidationError
from models.records import Recommendation, label
from ui.context import AppContext
from ui.formatting import date_text, index_text
from ui.forms.form_base import TextArea
from ui.widgets.date_edit import DateEdit
from ui.widgets.field_errors import FieldErrors, FieldMessage
from ui.widgets.list_editor import FoldingCompleter, completion_values

TEXT = {
    "number": "ت",
    "add": "إضافة توصية",
    "remove": "حذف التوصية",
    "up": "تقديم",
    "down": "تأخير",
    "row_problem": "التوصية {n}: {message}",
    "text_placeholder": "نص التوصية كما رُفعت",
}

Index = QModelIndex | QPersistentModelIndex


class RecommendationsModel(QAbstractTableModel):
    """An activity's recommendations in order (read-only: the panel edits them)."""

    COL_NUMBER, COL_TEXT, COL_ADDRESSED_TO, COL_DUE, COL_STATUS = range(5)
    HEADERS = (TEXT["number"], label(Recommendation, "text"),
               label(Recommendation, "addressed_to"), label(Recommendation, "due_date"),
               label(Recommendation, "status"))

    def __init__(self, style: DateStyle | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Recommendation] = []
        self.style = style or DateStyle()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rec, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NUMBER:
                return index_text(index.row() + 1, self.style)
            if col == self.COL_TEXT:
                return " ".join(rec.text.split())
            if col == self.COL_ADDRESSED_TO:
                return rec.addressed_to
            if col == self.COL_DUE:
                return date_text(rec.due_date, self.style)
            if col == self.COL_STATUS:
                return vocab.RECOMMENDATION_STATUSES.get(rec.status, rec.status)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_TEXT:
            return rec.text
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_NUMBER:
            return Qt.AlignmentFlag.AlignCenter
        return None

    # --- editing from code ----------------------------------------------------------------

    def rows(self) -> list[Recommendation]:
        """The recommendations, in order."""
        return list(self._rows)

    def set_rows(self, rows: Iterable[Recommendation]) -> None:
        """Show these recommendations."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_style(self, style: DateStyle) -> None:
        """Redraw numbers and dates in another style."""
        self.style = style
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1,
                                                               self.COL_STATUS))

    def replace(self, row: int, rec: Recommendation) -> None:
        """Put an edited recommendation in its row."""
        self._rows[row] = rec
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.COL_STATUS))

    def append(self, rec: Recommendation) -> int:
        """Add a recommendation at the end; return its row."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(rec)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        """Take a row out."""
        # A reset, not beginRemoveRows: the numbers of all later rows change with it.
        self.set_rows(self._rows[:row] + self._rows[row + 1:])

    def move(self, row: int, target: int) -> None:
        """Move a row to ``target`` (its index after the move)."""
        rows = list(self._rows)
        rows.insert(target, rows.pop(row))
        self.set_rows(rows)


class RecommendationsEditor(QWidget):
    """Add, remove, order and edit an activity's recommendations."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loading = False
        self._problems: dict[int, list[ValidationError]] = {}
        self.model = RecommendationsModel(ctx.date_style, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Qt's default minimum is the font's widest glyph: ~100 px with Arabic fonts.
        header.setMinimumSectionSize(28)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RecommendationsModel.COL_NUMBER,
                                    QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RecommendationsModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(RecommendationsModel.COL_ADDRESSED_TO, 200)
        header.resizeSection(RecommendationsModel.COL_DUE, 130)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.text = TextArea(self, lines=3)
        self.text.setPlaceholderText(TEXT["text_placeholder"])
        self.addressed_to = QLineEdit(self)
        self.addressed_to.setCompleter(FoldingCompleter(
            completion_values(ctx.db, "addressed_to"), self.addressed_to))
        self.due_date = DateEdit(ctx, self)
        self.status = QComboBox(self)
        for key, text in vocab.RECOMMENDATION_STATUSES.items():
            self.status.addItem(text, key)
        self.errors = FieldErrors()
        self.others = FieldMessage(self)  # problems of rows not selected

        self.panel = QWidget(self)
        form = QFormLayout(self.panel)
        form.setContentsMargins(0, 0, 0, 0)
        for name, widget in (("text", self.text), ("addressed_to", self.addressed_to),
                             ("due_date", self.due_date), ("status", self.status)):
            form.addRow(label(Recommendation, name), self.errors.add(name, widget))
        self.text.textChanged.connect(self._edited)
        self.addressed_to.textChanged.connect(self._edited)
        self.due_date.changed.connect(self._edited)
        self.status.currentIndexChanged.connect(self._edited)

        self.add_button = self._button(TEXT["add"], self.add)
        self.remove_button = self._button(TEXT["remove"], self.remove_current)
        self.up_button = self._button(TEXT["up"], lambda: self._move(-1))
        self.down_button = self._button(TEXT["down"], lambda: self._move(1))
        layout = QGridLayout(self)
        layout.addWidget(self.table, 0, 0, 1, 5)
        layout.addWidget(self.add_button, 1, 0)
        layout.addWidget(self.remove_button, 1, 1)
        layout.addWidget(self.up_button, 1, 2)
        layout.addWidget(self.down_button, 1, 3)
        layout.setColumnStretch(4, 1)
        layout.addWidget(self.panel, 2, 0, 1, 5)
        layout.addWidget(self.others, 3, 0, 1, 5)
        layout.setRowStretch(0, 1)
        # A bound method, not a lambda: Qt drops it when this editor is destroyed.
        ctx.settings_changed.connect(self._settings_changed)
        self._row_changed(QModelIndex())

    def _settings_changed(self) -> None:
        self.model.set_style(self.ctx.date_style)

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # --- values -------------------------------------------------------------------------

    def recommendations(self) -> list[Recommendation]:
        """The recommendations as edited, in order (not yet cleaned)."""
        return self.model.rows()

    def set_recommendations(self, rows: Iterable[Recommendation]) -> None:
        """Show these recommendations and select the first."""
        self.model.set_rows(rows)
        self._select(0 if self.model.rowCount() else -1)

    def current_row(self) -> int:
        """The selected row, or -1."""
        index = self.table.selectionModel().currentIndex()
        return index.row() if index.isValid() else -1

    def show_problems(self, problems: dict[int, list[ValidationError]]) -> None:
        """Show the models' messages: the selected row's under its fields, the others'
        in a line under the panel."""
        self._problems = problems
        row = self.current_row()
        self.errors.show(problems.get(row, []))
        lines = [TEXT["row_problem"].format(n=index_text(i + 1, self.ctx.date_style),
                                            message=errors[0])
                 for i, errors in sorted(problems.items()) if i != row and errors]
        self.others.set_message("\n".join(lines))

    # --- editing ------------------------------------------------------------------------

    def add(self) -> None:
        """Start a new recommendation (status "raised") and put the cursor in its text."""
        row = self.model.append(Recommendation())
        self._select(row)
        self.text.setFocus()
        self.changed.emit()

    def remove_current(self) -> None:
        """Take the selected recommendation out."""
        row = self.current_row()
        if row < 0:
            return
        self.model.remove(row)
        self._select(min(row, self.model.rowCount() - 1))
        self.changed.emit()

    def _move(self, step: int) -> None:
        row = self.current_row()
        target = row + step
        if row < 0 or not 0 <= target < self.model.rowCount():
            return
        self.model.move(row, target)
        self._select(target)
        self.changed.emit()

    def _select(self, row: int) -> None:
        if row < 0:
            self.table.selectionModel().clearCurrentIndex()
            self.table.clearSelection()
            self._row_changed(QModelIndex())
        else:
            # Not QTableView.selectRow: right to left, it picks the column at a pixel past
            # the viewport's edge and sets no current row.
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, RecommendationsModel.COL_TEXT),
                QItemSelectionModel.SelectionFlag.ClearAndSelect |
                QItemSelectionModel.SelectionFlag.Rows)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = current.row() if current.isValid() else -1
        self._loading = True
        try:
            rec = self.model.rows()[row] if row >= 0 else Recommendation()
            self.text.setPlainText(rec.text)
            self.addressed_to.setText(rec.addressed_to)
            self.due_date.setValue(rec.due_date)
            status = self.status.findData(rec.status)
            self.status.setCurrentIndex(max(status, 0))
        finally:
            self._loading = False
        self.panel.setEnabled(row >= 0)
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(row >= 0)
        self.show_problems(self._problems)

    def _edited(self) -> None:
        row = self.current_row()
        if self._loading or row < 0:
            return
        rec = dataclasses.replace(self.model.rows()[row], text=self.text.toPlainText(),
                                  addressed_to=self.addressed_to.text(),
                                  due_date=self.due_date.raw(),
                                  status=self.status.currentData())
        self.model.replace(row, rec)
        self.changed.emit()
