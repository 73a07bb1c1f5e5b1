"""A list of short texts (partners, lecturers) with add, remove, reorder and completion.

Also home to :class:`FoldingCompleter`, completion that matches Arabic spelling variants
(أ/ا، ة/ه، ى/ي, digits) anywhere in a suggestion, and to :func:`completion_values`, the
one place the forms get earlier values of a field from.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QWidget,
)

from models import completions
from models.arabic import fold_input, search_key
from models.db import Database

TEXT = {
    "add": "إضافة",
    "remove": "حذف",
    "up": "نقل إلى الأعلى",
    "down": "نقل إلى الأسفل",
    "placeholder": "اكتب ثم اضغط Enter للإضافة",
}

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


COMPLETION_LIMIT = 1000


def completion_values(db: Database, field: str) -> list[str]:
    """Earlier values of ``field`` (place, organiser, partners, entity…), most used first.

    The one place the forms ask for them; the completer filters them as the user types.
    """
    return completions.values(db, field, limit=COMPLETION_LIMIT)


class FoldingCompleter(QCompleter):
    """Suggestions that contain what was typed, in any Arabic spelling variant."""

    def __init__(self, values: Iterable[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.setCompletionRole(KEY_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(10)
        self.set_values(values)

    def set_values(self, values: Iterable[str]) -> None:
        """Replace the suggestions."""
        self._model.clear()
        for value in values:
            item = QStandardItem(value)
            item.setData(search_key(value), KEY_ROLE)
            item.setEditable(False)
            self._model.appendRow(item)

    def values(self) -> list[str]:
        """The suggestions, in order."""
        return [self._model.item(r).text() for r in range(self._model.rowCount())]

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt override
        return [search_key(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        return index.data(Qt.ItemDataRole.DisplayRole)


class ListEditor(QWidget):
    """Short texts in an order the user sets; what is typed but not yet added counts too."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, suggestions: Iterable[str] = (),
                 placeholder: str = "") -> None:
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(placeholder or TEXT["placeholder"])
        self.line.setCompleter(FoldingCompleter(suggestions, self.line))
        self.line.returnPressed.connect(self.add_pending)
        self.line.textChanged.connect(self.changed)
        self.add_button = QPushButton(TEXT["add"], self)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_pending)
        self.list = QListWidget(self)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked |
                                  QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setMinimumHeight(64)
        self.list.setMaximumHeight(110)
        model = self.list.model()
        for sig in (model.rowsInserted, model.rowsRemoved, model.rowsMoved, model.dataChanged):
            sig.connect(self.changed)
        self.remove_button = self._tool(TEXT["remove"], self.remove_current)
        self.up_button = self._tool(TEXT["up"], lambda: self._move(-1), Qt.ArrowType.UpArrow)
        self.down_button = self._tool(TEXT["down"], lambda: self._move(1),
                                      Qt.ArrowType.DownArrow)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line, 0, 0)
        layout.addWidget(self.add_button, 0, 1)
        layout.addWidget(self.list, 1, 0, 3, 1)
        layout.addWidget(self.up_button, 1, 1)
        layout.addWidget(self.down_button, 2, 1)
        layout.addWidget(self.remove_button, 3, 1)
        self.setFocusProxy(self.line)

    def _tool(self, tip: str, slot: object, arrow: Qt.ArrowType | None = None) -> QToolButton:
        button = QToolButton(self)
        if arrow is None:
            button.setText(tip)
        else:
            button.setArrowType(arrow)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(slot)
        return button

    # --- values -------------------------------------------------------------------------

    def items(self) -> list[str]:
        """The texts already in the list."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def values(self) -> list[str]:
        """The list, with what is typed in the box (not yet added) at its end."""
        pending = fold_input(self.line.text())
        return self.items() + ([pending] if pending else [])

    def set_values(self, values: Iterable[str]) -> None:
        """Show these texts, and an empty box."""
        self.list.clear()
        for value in values:
            self._append(value)
        self.line.clear()

    def set_suggestions(self, values: Iterable[str]) -> None:
        """Replace the completion suggestions."""
        completer = self.line.completer()
        assert isinstance(completer, FoldingCompleter)
        completer.set_values(values)

    # --- editing ------------------------------------------------------------------------

    def _append(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)

    def add_pending(self) -> None:
        """Move what is typed in the box into the list."""
        text = fold_input(self.line.text())
        if text:
            self._append(text)
            self.list.setCurrentRow(self.list.count() - 1)
        self.line.clear()

    def remove_current(self) -> None:
        """Take the selected text out of the list."""
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
