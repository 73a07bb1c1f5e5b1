"""The undo bar: "حُذف النشاط … [تراجع]" along the bottom of the main window for a while.

It answers :attr:`AppContext.undo_offered`. Clicking تراجع runs the undo function and
announces what came back: the function may return the changed table's name, or the
record it restored (``store.restore`` returns it), and the bar emits
``ctx.changed(table)`` so the lists refresh. The bar hides itself after
:attr:`UndoBar.HIDE_AFTER_MS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from models.errors import IttisalError
from models.records import Record
from ui.context import AppContext
from ui.tasks import show_error
from ui.widgets import theme

log = logging.getLogger(__name__)

TEXT = {
    "undo": "تراجع",
    "close": "إغلاق",
}

STYLE = f"""
QFrame#undoBar {{ background: {theme.NOTICE_BACKGROUND}; border: 1px solid {theme.NOTICE_BORDER};
                 border-radius: 6px; }}
QFrame#undoBar QLabel {{ color: {theme.NOTICE}; }}
"""


def changed_table(result: object) -> str | None:
    """The table an undo touched, from what the undo function returned."""
    if isinstance(result, str) and result:
        return result
    if isinstance(result, Record):
        return result.table
    return None


class UndoBar(QFrame):
    """A message with an undo button, shown after a destructive action."""

    HIDE_AFTER_MS = 10_000

    #: The undo ran; carries what the undo function returned.
    undone = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("undoBar")
        self.setStyleSheet(STYLE)
        self._undo: Callable[[], object] | None = None

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        self.message = QLabel(self)
        self.message.setObjectName("undoMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.button = QPushButton(TEXT["undo"], self)
        self.button.setObjectName("undoButton")
        self.button.clicked.connect(self.run_undo)
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setToolTip(TEXT["close"])
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.dismiss)
        ctx.undo_offered.connect(self.offer)
        self.hide()

    def offer(self, message: str, undo: Callable[[], object]) -> None:
        """Show ``message`` with an undo button (replacing any earlier offer)."""
        self._undo = undo
        self.message.setText(message)
        self.show()
        self.timer.start(self.HIDE_AFTER_MS)

    def dismiss(self) -> None:
        """Hide the bar; the offer lapses."""
        self.timer.stop()
        self._undo = None
        self.hide()

    def run_undo(self) -> None:
        """Undo what was offered, then let the views refresh."""
        undo = self._undo
        self.dismiss()
        if undo is None:
            return
        try:
            result = undo()
        except IttisalError as exc:
            show_error(self.window(), exc)
            return
        except Exception as exc:  # noqa: BLE001 - a bug: logged, the user gets an apology
            log.exception("undo failed")
            show_error(self.window(), exc)
            return
        table = changed_table(result)
        if table:
            self.ctx.changed(table)
        self.undone.emit(result)
