"""What the record forms share: Save/Cancel, Ctrl+S, asking before losing changes, drafts.

:class:`FormDialog` is a right-to-left dialog whose Save button (and Ctrl+S) is enabled
only while the form is valid, that asks "save / discard / cancel" when closed with unsaved
changes (Esc, Cancel, the window's ×) — «إغلاق» once the form has saved, since
closing then undoes nothing —, and that keeps a draft of its state in the
database about a second after each change, so that a crash loses nothing. Subclasses
say what their state is, whether it is valid, and how to save it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextEdit,
    QWidget,
)

from models import drafts
from models.arabic import apply_digits
from models.dates import DateStyle
from models.errors import DatabaseBusyError, DatabaseReadOnlyError
from models.records import new_id
from ui.context import AppContext
from ui.formatting import date_text

TEXT = {
    "save": "حفظ",
    "cancel": "إلغاء",
    "close": "إغلاق",
    "unsaved_title": "تغييرات غير محفوظة",
    "unsaved": "في النموذج تغييرات لم تُحفظ. هل تريد حفظها قبل الإغلاق؟",
    "discard": "تجاهل التغييرات",
    "yes": "نعم",
    "no": "لا",
    "at": "{date} الساعة {time}",
    "busy": "البرنامج مشغول بمهمة أخرى… سيُعاد الحفظ تلقائياً.",
}

DRAFT_DELAY_MS = 1000
# A draft is kept on the UI thread: it waits at most this long for another writer (another
# program, a background task) and, if the database is still busy, is simply kept at the
# next tick. The window never freezes for a draft.
DRAFT_WAIT_MS = 20
# A Save that found the database busy tries again this often, saying so in the form.
SAVE_RETRY_MS = 1000


class TextArea(QTextEdit):
    """A multi-line plain-text field. Not QPlainTextEdit: that one puts Arabic paragraphs
    against the left edge; QTextEdit aligns each paragraph by its own direction."""

    def __init__(self, parent: QWidget | None = None, *, lines: int = 0) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)  # pasted Word text arrives as plain text
        self.setTabChangesFocus(True)
        if lines:
            self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 14)


def ask(parent: QWidget | None, title: str, text: str, *, yes: str = TEXT["yes"],
        no: str = TEXT["no"]) -> bool:
    """A yes/no question in Arabic; True for yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    box.addButton(no, QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def ask_unsaved(parent: QWidget | None) -> str:
    """Ask what to do with unsaved changes: "save", "discard" or "cancel"."""
    box = QMessageBox(QMessageBox.Icon.Warning, TEXT["unsaved_title"], TEXT["unsaved"],
                      QMessageBox.StandardButton.NoButton, parent)
    save = box.addButton(TEXT["save"], QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(TEXT["discard"], QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(TEXT["cancel"], QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def moment_text(stamp: str, style: DateStyle) -> str:
    """A stored UTC time stamp as local date and time, the unit's way."""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    return TEXT["at"].format(date=date_text(moment.date(), style),
                             time=apply_digits(moment.strftime("%H:%M"), style.digits))


class FormDialog(QDialog):
    """A record form: valid-only Save, ask before losing changes, crash-proof drafts.

    Subclasses implement :meth:`form_state`, :meth:`form_valid` and :meth:`save_form`, call
    :meth:`form_changed` whenever an editor changes, and :meth:`mark_clean` once loaded.
    """

    record_type = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 draft_key: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setSizeGripEnabled(True)
        self.draft_key = draft_key or f"{self.record_type}:{new_id()}"
        self.saved_once = False
        self.draft_exists = False  # a draft of this form is in the database
        self._baseline: Any = None
        self._loading = True
        # Not a QDialogButtonBox: it makes Save the default button, and then Enter in any
        # field (adding a partner, say) would save and close the form.
        self.buttons = QWidget(self)
        self.save_button = QPushButton(TEXT["save"], self.buttons)
        self.cancel_button = QPushButton(TEXT["cancel"], self.buttons)
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        # Said here, not in a box to click away: a Save waiting for another writer.
        self.busy_label = QLabel(TEXT["busy"], self.buttons)
        self.busy_label.setObjectName("busy_notice")
        self.busy_label.hide()
        row.addWidget(self.busy_label)
        row.addStretch(1)
        for button in (self.save_button, self.cancel_button):
            button.setAutoDefault(False)
            button.setMinimumWidth(90)
            row.addWidget(button)
        self.save_button.clicked.connect(self.save_and_close)
        self.cancel_button.clicked.connect(self.reject)
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.activated.connect(self.save_and_close)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(SAVE_RETRY_MS)
        self._retry_timer.timeout.connect(self._retry_save)
        self._saving_closes = False

    # --- for subclasses ---------------------------------------------------------------------

    def form_state(self) -> dict[str, Any]:
        """The form's whole state as JSON-able data (a draft, and what "changed" compares)."""
        raise NotImplementedError

    def form_valid(self) -> bool:
        """Whether the form can be saved as it is (and show why not, next to the fields)."""
        raise NotImplementedError

    def save_form(self) -> bool:
        """Write the record(s); True on success (on failure, say why and return False)."""
        raise NotImplementedError

    def draft_record_id(self) -> str | None:
        """The id of the record being edited, None for a new one."""
        return None

    # --- state ------------------------------------------------------------------------------

    def mark_clean(self) -> None:
        """The form now shows what is stored: no unsaved changes."""
        self._loading = False
        self._baseline = self.form_state()
        self.form_changed()

    def is_dirty(self) -> bool:
        """Whether there are unsaved changes."""
        return self._baseline is not None and self.form_state() != self._baseline

    def form_changed(self) -> None:
        """An editor changed: validate, enable Save accordingly, and keep a draft soon."""
        if self._loading:
            return
        valid = self.form_valid()
        self.save_button.setEnabled(valid)
        self.save_shortcut.setEnabled(valid)
        self._draft_timer.start()

    def keep_draft(self) -> None:
        """Store the form's state as a draft now (or forget the draft if nothing changed).

        Never waits on another writer: when the database is busy the draft is kept at the
        next tick instead; a read-only database keeps no drafts.
        """
        self._draft_timer.stop()
        db = self.ctx.db
        dirty = self.is_dirty()
        if db.read_only or not (dirty or self.draft_exists):
            return
        try:
            with db.busy_timeout(DRAFT_WAIT_MS):
                if dirty:
                    drafts.save(db, self.draft_key, self.record_type,
                                self.draft_record_id(), self.form_state())
                    self.draft_exists = True
                else:
                    drafts.delete(db, self.draft_key)
                    self.draft_exists = False
        except DatabaseBusyError:
            self._draft_timer.start()

    def forget_draft(self) -> None:
        """The form was saved or its changes discarded: its draft goes (later, in the
        background of the event loop, if another writer holds the database now)."""
        self._draft_timer.stop()
        forget_draft_soon(self.ctx.db, self.draft_key)
        self.draft_exists = False

    # --- saving and closing -------------------------------------------------------------------

    def save(self) -> bool:
        """Save if the form is valid, keeping it open; True when saved."""
        self._retry_timer.stop()
        if not self.form_valid() or not self.save_form():
            return False
        self.busy_label.hide()
        self.saved_once = True
        # Stored now (a new activity is, by its first attendee): closing cancels nothing
        # of it, and the button must not promise that it does.
        self.cancel_button.setText(TEXT["close"])
        self._baseline = self.form_state()
        self.forget_draft()
        self.form_changed()
        self._draft_timer.stop()
        return True

    def save_and_close(self) -> None:
        """Save (when valid) and close with Accepted."""
        self._saving_closes = True
        if self.save():
            self._finish(QDialog.DialogCode.Accepted)
        elif not self._retry_timer.isActive():  # invalid or refused: nothing pending
            self._saving_closes = False

    def retry_when_free(self, _error: DatabaseBusyError) -> bool:
        """The Save found the database busy (another program or task is writing): say
        so in the form, without a box to click away, and save again in a moment.
        Called by :func:`ui.tasks.show_error`; True when the retry is taken care of."""
        if not self.isVisible():
            return False
        self.busy_label.show()
        self._retry_timer.start()
        return True

    def _retry_save(self) -> None:
        if self._saving_closes:
            self.save_and_close()
        else:
            self.save()

    def reject(self) -> None:
        """Esc, Cancel or ×: ask first when there are unsaved changes."""
        if self.is_dirty():
            choice = ask_unsaved(self)
            if choice == "cancel":
                return
            if choice == "save":
                self.save_and_close()
                return
        self.forget_draft()
        self._finish(QDialog.DialogCode.Accepted if self.saved_once
                     else QDialog.DialogCode.Rejected)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Enter belongs to the field it was pressed in (add a partner, pick a person); a
        # form is saved with the Save button or Ctrl+S only.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def _finish(self, code: QDialog.DialogCode) -> None:
        self.done(code)

    def done(self, code: int) -> None:
        """Close with ``code``; nothing of the form's is written after it closed, however
        it was closed (its owner may close the database next)."""
        self._draft_timer.stop()
        self._retry_timer.stop()
        super().done(code)


def forget_draft_soon(db: Any, key: str, *, attempts: int = 30) -> None:
    """Delete the draft under ``key`` now if the database is free, else a second later
    (up to ``attempts`` times): the form that asks may already be closed."""
    if db.read_only:
        return
    try:
        with db.busy_timeout(DRAFT_WAIT_MS):
            drafts.delete(db, key)
    except DatabaseBusyError:
        if attempts > 1:
            QTimer.singleShot(SAVE_RETRY_MS,
                              lambda: forget_draft_soon(db, key, attempts=attempts - 1))
    except DatabaseReadOnlyError:
        pass


def run_modal(dialog: QDialog) -> int:
    """Run a dialog modally, then let Qt delete it.

    A dialog parented to a long-lived window would otherwise live on after it closed, its
    slots still connected to the app's notices (a deleted record then breaks them).
    Results read from it right after this returns are still there: deletion waits for
    the event loop.
    """
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()
