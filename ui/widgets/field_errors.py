"""How a validation message shows next to its field: a small red line right under it.

The one "editor with an error line" helper of the app: :class:`FieldMessage` is the line,
:func:`with_message` puts it under its editor in a form row.

A form registers each field's widget with :class:`FieldErrors` under the record's field
name; :meth:`FieldErrors.show` then puts each :class:`~models.errors.ValidationError`
(from ``records.problems``) under the widget of ``error.field``. The messages are the
models'; this module only places them.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from models.errors import ValidationError
from ui.widgets.theme import ERROR_COLOUR, MUTED_COLOUR

HINT_COLOUR = MUTED_COLOUR


class FieldMessage(QLabel):
    """One line under a field, hidden while empty: an error (red) or a gentle hint (grey)."""

    def __init__(self, parent: QWidget | None = None, *, hint: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("fieldHint" if hint else "fieldError")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self.setTextFormat(Qt.TextFormat.PlainText)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, HINT_COLOUR if hint else ERROR_COLOUR)
        self.setPalette(palette)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 0.92)
        self.setFont(font)
        self.hide()

    def set_message(self, text: str) -> None:
        """Show ``text``, or hide when it is empty."""
        if text != self.text():
            self.setText(text)
        self.setVisible(bool(text))


def with_message(widget: QWidget, message: FieldMessage) -> QWidget:
    """A container holding ``widget`` with ``message`` under it (for form rows)."""
    box = QWidget(widget.parentWidget())
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    layout.addWidget(widget)
    layout.addWidget(message)
    return box


class FieldErrors:
    """The error lines of one form, by the record field each belongs to."""

    def __init__(self) -> None:
        self.labels: dict[str, FieldMessage] = {}
        self.widgets: dict[str, QWidget] = {}

    def add(self, field: str, widget: QWidget) -> QWidget:
        """Register ``widget`` as the editor of ``field``; return it with its error line
        under it, to put in the layout."""
        message = FieldMessage(widget.parentWidget())
        self.labels[field] = message
        self.widgets[field] = widget
        return with_message(widget, message)

    def add_label(self, field: str, message: FieldMessage, widget: QWidget) -> None:
        """Register an error line placed by the caller."""
        self.labels[field] = message
        self.widgets[field] = widget

    def show(self, errors: Iterable[ValidationError],
             shown_fields: set[str] | None = None) -> list[ValidationError]:
        """Put each error under its field (only for ``shown_fields`` when given) and clear
        the others; return the errors that have no place on screen."""
        texts: dict[str, str] = {}
        unplaced: list[ValidationError] = []
        for error in errors:
            if error.field in self.labels and (shown_fields is None or
                                               error.field in shown_fields):
                texts.setdefault(error.field, str(error))
            else:
                unplaced.append(error)
        for field, label in self.labels.items():
            label.set_message(texts.get(field, ""))
            self.widgets[field].setAccessibleDescription(texts.get(field, ""))
        return unplaced

    def message(self, field: str) -> str:
        """The message shown under ``field`` ("" when none)."""
        label = self.labels[field]
        return label.text() if not label.isHidden() else ""
