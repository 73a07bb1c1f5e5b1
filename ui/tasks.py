"""The one way the app does long work: off the UI thread, with progress and cancel.

``run_task(parent, work, on_done=...)`` runs ``work(progress)`` — or
``work(progress, db)`` with a database connection of its own, opened in the worker
thread — on Qt's thread pool. ``on_done`` gets the result back on the UI thread. The
work reports through a small :class:`Progress` object that a timer polls; after half a
second a progress dialog appears whose Cancel button sets ``progress.cancelled``, and
the work stops at its next :meth:`Progress.step` by raising :class:`Cancelled` (inside a
transaction, so nothing of it is kept). Errors come back too: the environment's fault
(an :class:`~models.errors.IttisalError`) as an Arabic message, a bug logged with its
traceback and an apology. Never call widgets from ``work``.

:func:`show_error` is also the app's one "unexpected error" box (:func:`show_bug`): it says
where the log file is and has a button that opens the log's folder, so that the user can
send the file to whoever supports the app.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, QUrl, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from models.db import Database
from models.errors import DatabaseBusyError, IttisalError, translate_sqlite_error
from ui import desktop

log = logging.getLogger(__name__)

TEXT = {
    "working": "جارٍ العمل…",
    "cancel": "إلغاء",
    "error_title": "تعذّر إكمال العملية",
    "bug": "حدث خطأ غير متوقع، نعتذر. سُجّلت التفاصيل في ملف السجل.",
    "bug_title": "خطأ غير متوقع",
    "bug_log": "حدث خطأ غير متوقع، نعتذر. سُجّلت التفاصيل في ملف السجل:\n\u2066{log}\u2069",
    "open_log": "فتح مجلد السجل",
    "close": "إغلاق",
}

LOG_NAME = "ittisal.log"

SHOW_AFTER_MS = 500
POLL_MS = 100

# Tasks without a parent widget stay alive here until they finish.
_RUNNING: set[Task] = set()


class Cancelled(Exception):
    """Raised inside work when the user pressed Cancel."""


@dataclass
class Progress:
    """Shared between the work and the UI: the work writes, a timer reads."""

    done: int = 0
    total: int = 0
    label: str = ""
    cancelled: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def step(self, done: int | None = None, total: int | None = None,
             label: str | None = None) -> None:
        """Report progress, and stop here if the user cancelled."""
        with self._lock:
            if done is not None:
                self.done = done
            if total is not None:
                self.total = total
            if label is not None:
                self.label = label
        if self.cancelled:
            raise Cancelled


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object, str)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[..., Any], progress: Progress, db_path: Path | None,
                 signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.work, self.progress, self.db_path, self.signals = work, progress, db_path, signals

    def run(self) -> None:
        try:
            if self.db_path is None:
                result = self.work(self.progress)
            else:
                with Database.open(self.db_path) as db:
                    result = self.work(self.progress, db)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI
            self.signals.failed.emit(exc, "".join(traceback.format_exception(exc)))
        else:
            self.signals.succeeded.emit(result)


class Task(QObject):
    """One piece of background work, from start to its result on the UI thread."""

    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None, work: Callable[..., Any], *,
                 title: str = "", db_path: Path | None = None,
                 show_progress: bool = True) -> None:
        super().__init__(parent)
        self.progress = Progress()
        self.running = False
        self._work, self._db_path, self._title = work, db_path, title
        self._signals = _Signals()
        self._signals.succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.dialog: QProgressDialog | None = None
        if show_progress:
            self.dialog = QProgressDialog(TEXT["working"], TEXT["cancel"], 0, 0, parent)
            self.dialog.setWindowTitle(title or TEXT["working"])
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.canceled.connect(self.cancel)
            self.dialog.hide()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._shown_timer = QTimer(self)
        self._shown_timer.setSingleShot(True)
        self._shown_timer.timeout.connect(self._show_dialog)

    def start(self) -> Task:
        """Queue the work on the thread pool."""
        self.running = True
        _RUNNING.add(self)
        QThreadPool.globalInstance().start(
            _Runnable(self._work, self.progress, self._db_path, self._signals))
        self._timer.start()
        if self.dialog is not None:
            self._shown_timer.start(SHOW_AFTER_MS)
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next progress step."""
        self.progress.cancelled = True

    def _show_dialog(self) -> None:
        if self.running and self.dialog is not None:
            self.dialog.show()

    def _poll(self) -> None:
        if self.dialog is None:
            return
        p = self.progress
        self.dialog.setMaximum(p.total if p.total > 0 else 0)
        self.dialog.setValue(min(p.done, p.total) if p.total > 0 else 0)
        if p.label:
            self.dialog.setLabelText(p.label)

    def _finish(self) -> None:
        self.running = False
        _RUNNING.discard(self)
        self._timer.stop()
        self._shown_timer.stop()
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _on_succeeded(self, result: object) -> None:
        # Work that returned normally has finished (and committed), even if Cancel was
        # pressed after its last progress step: report what really happened.
        self._finish()
        self.done.emit(result)

    def _on_failed(self, error: BaseException, details: str) -> None:
        self._finish()
        if isinstance(error, Cancelled):
            self.cancelled.emit()
            return
        # A raw SQLite error that is the environment's fault (busy, read-only, disk full)
        # reaches the caller as the project's own error, with its message, and no log.
        error = user_error(error) or error
        if not isinstance(error, IttisalError):
            log.error("background task failed:\n%s", details)
        self.failed.emit(error)


def user_error(error: BaseException) -> IttisalError | None:
    """The error as the user should read it: an :class:`IttisalError` as it is, SQLite's
    busy, read-only, full-disk and I/O errors translated; None for a bug."""
    if isinstance(error, IttisalError):
        return error
    return translate_sqlite_error(error)


def log_file() -> Path:
    """The app's log file (warnings, errors and every bug's traceback): ``ittisal.log`` in
    the data folder (:func:`models.paths.data_dir`)."""
    from models.paths import data_dir

    return data_dir() / LOG_NAME


def bug_box(parent: QWidget | None, *, title: str = TEXT["bug_title"],
            text: str | None = None, log_path: Path | None = None) -> QMessageBox:
    """The "unexpected error" box, not shown yet: an apology, where the log file is (the
    path can be selected and copied), and «فتح مجلد السجل», which opens the log's folder in
    the file manager (:func:`ui.desktop.open_url`). ``text`` replaces the apology; the log's
    path (``log_path``, by default :func:`log_file`) is written under it."""
    log_path = log_path or log_file()
    message = TEXT["bug_log"].format(log=log_path)
    if text is not None:
        message = f"{text}\n\u2066{log_path}\u2069"
    box = QMessageBox(QMessageBox.Icon.Critical, title, message,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("bugBox")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    open_button = box.addButton(TEXT["open_log"], QMessageBox.ButtonRole.ActionRole)
    open_button.setObjectName("openLogFolder")
    close = box.addButton(TEXT["close"], QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    return box


def open_log_folder(log_path: Path | None = None) -> bool:
    """Show the log's folder in the file manager (made first if the log is not written
    yet, so there is a folder to show)."""
    folder = (log_path or log_file()).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        log.warning("could not make the log's folder %s", folder, exc_info=True)
    return desktop.open_url(QUrl.fromLocalFile(str(folder)))


def show_bug(parent: QWidget | None, *, title: str = TEXT["bug_title"],
             text: str | None = None, log_path: Path | None = None) -> None:
    """Apologise for a bug in a :func:`bug_box`; open the log's folder if asked."""
    box = bug_box(parent, title=title, text=text, log_path=log_path)
    box.exec()
    clicked = box.clickedButton()
    if clicked is not None and clicked.objectName() == "openLogFolder":
        open_log_folder(log_path)
    box.deleteLater()


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Tell the user what went wrong: the message for their fault, an apology for ours
    (with the log's path and a button to its folder, :func:`show_bug`).

    A form that can save again by itself (``retry_when_free``) takes a busy database
    quietly: it says so in the form and tries again, instead of a box to click away.
    """
    known = user_error(error)
    if isinstance(known, DatabaseBusyError):
        retry = getattr(parent, "retry_when_free", None)
        if callable(retry) and retry(known):
            return
    if known is None:
        show_bug(parent)
        return
    QMessageBox.warning(parent, TEXT["error_title"], str(known))


def run_task(parent: QWidget | None, work: Callable[..., Any], *,
             on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None] | None
             = None, on_cancelled: Callable[[], None] | None = None, title: str = "",
             db_path: Path | None = None, show_progress: bool = True) -> Task:
    """Run ``work`` in the background and hand its result to ``on_done`` on the UI thread.

    Failures go to ``on_failed`` (default: a message box via :func:`show_error`).
    """
    task = Task(parent, work, title=title, db_path=db_path, show_progress=show_progress)
    task.done.connect(on_done)
    task.failed.connect(on_failed or (lambda error: show_error(parent, error)))
    if on_cancelled is not None:
        task.cancelled.connect(on_cancelled)
    return task.start()
