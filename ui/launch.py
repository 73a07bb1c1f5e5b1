"""Starting the desktop app: checks, the database, the welcome, the window, then the rest.

Order matters for start-up time: only what the first screen needs runs before the
window shows, and the dashboard's figures are computed on a thread of their own from the
first milliseconds (:func:`figures_ahead`), while Qt loads and the window is built.
Once the first page shows its data (``MainWindow.ready``), the day's backup is copied and
the recycle bin purged in the background (a big file takes seconds, and another
program's long write must not freeze the window), and the offer of forms kept across a
crash runs.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent import futures
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Qt and the window load only when the app starts (after preflight)
    from PySide6.QtCore import QSettings

    from models.db import Database
    from ui.context import AppContext
    from ui.main_window import MainWindow

MSG = {
    "cannot_open": "تعذّر فتح قاعدة البيانات",
    "bug_title": "خطأ غير متوقع",
    "backup_failed": "تعذّر أخذ النسخة الاحتياطية اليومية: {error}",
    "error_title": "تعذّر إكمال العملية",
    "read_only": ("قاعدة البيانات مفتوحة للقراءة فقط: يمكن التصفح والبحث والتصدير، أما "
                  "الحفظ فلا."),
    "upgrading_title": "تحديث قاعدة البيانات",
    "upgrading": ("يُحدَّث ملف قاعدة البيانات ليلائم هذا الإصدار من البرنامج، بعد أخذ نسخة "
                  "احتياطية منه. قد يستغرق ذلك دقيقة أو أكثر لملف كبير؛ لا تغلق البرنامج."),
}

#: Python's thread switch interval until the first page is ready (see launch).
STARTUP_SWITCH_INTERVAL_S = 0.0005
#: How long the window waits before it shows for the figures computed ahead (see launch).
AHEAD_WAIT_S = 0.05

log = logging.getLogger("ittisal")

#: Names a file: the app writes there what its first window shows (JSON, and a PNG of the
#: window beside it), then closes it. `make dist-check` checks the frozen bundle this way,
#: as the bundle has no Python to ask (tools/dist_check.py, step bundle-window).
SMOKE_REPORT_ENV = "ITTISAL_SMOKE_REPORT"

def _log_to_data_folder() -> str:
    """Send warnings and errors (background-task bugs too) to the log in the data folder
    (:func:`ui.tasks.log_file`, which the error boxes name)."""
    from ui.tasks import log_file

    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        return str(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger().addHandler(handler)
    return str(path)


def _install_excepthook(log_path: str) -> None:
    """A bug in a slot: logged with its traceback (in ``log_path``), and a short apology on
    screen that says where the log is, with a button to its folder (:func:`ui.tasks.show_bug`)."""
    from PySide6.QtWidgets import QMessageBox

    def hook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        from ui.tasks import show_bug, user_error

        known = user_error(exc)
        if known is not None:  # busy, read-only, disk full: the environment, not a bug
            QMessageBox.warning(None, MSG["error_title"], str(known))
            return
        log.error("unexpected error", exc_info=(kind, exc, tb))
        show_bug(None, title=MSG["bug_title"], log_path=Path(log_path))

    sys.excepthook = hook


_SQLITE_HEADER = b"SQLite format 3\x00"


def needs_upgrade(path: Path) -> bool:
    """Whether ``path`` is an existing file of an older schema, read from its header
    bytes (nothing is opened, nothing made beside it). Anything unusual (missing, empty,
    not SQLite) is False: :meth:`Database.open` says what is wrong with it."""
    from models import schema

    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(_SQLITE_HEADER):
        return False
    version = int.from_bytes(header[60:64], "big")  # PRAGMA user_version
    return 0 < version < schema.SCHEMA_VERSION


def upgrade_in_background(path: Path) -> None:
    """Bring an older file up to date on a thread of its own, with a message on screen
    while it runs. A big file's upgrade (the backup before it, the new tables, the search
    index rebuilt) takes seconds to minutes: on the UI thread the app would look dead,
    with nothing on screen. Its error, if any, is raised here, on the UI thread."""
    import threading

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QProgressDialog

    from models.db import Database

    failed: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            # A connection of this thread's own (SQLite's are tied to their thread):
            # the UI thread opens the upgraded file afresh, at once.
            Database.open(path).close()
        except BaseException as exc:  # handed to the UI thread below
            failed.append(exc)
        finally:
            done.set()

    dialog = QProgressDialog(MSG["upgrading"], "", 0, 0)
    dialog.setWindowTitle(MSG["upgrading_title"])
    dialog.setCancelButton(None)  # stopping half-way would only mean starting again
    dialog.setMinimumDuration(0)
    dialog.show()
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(lambda: loop.quit() if done.is_set() else None)
    worker = threading.Thread(target=work, name="ittisal-upgrade")
    worker.start()
    poll.start()
    loop.exec()
    poll.stop()
    worker.join()
    dialog.close()
    dialog.deleteLater()
    if failed:
        raise failed[0]


def _key_and_backup(_progress: object, db: Database, folders: Sequence[Path] = ()) -> object:
    """Make the unit's certificate key pair on its first start (so the day's backup keeps
    it from the first day), then take the day's backup. First, put in place the files a
    killed run left between its commit and their rename (certificates, letters), and
    delete the drafts of killed runs (also in ``folders``, where documents were saved)."""
    from models import backup, certificates, pending_files
    from models.errors import IttisalError

    pending_files.recover(db, folders)
    try:
        certificates.ensure_key(db)
    except IttisalError:
        log.warning("could not make the certificate signing key", exc_info=True)
    return backup.daily(db)


def after_shown(ctx: AppContext, window: MainWindow) -> None:
    """What runs once the window is ready: the unit's signing key and the day's backup
    (background), and the hooks."""
    from ui.tasks import run_task

    def backup_failed(error: BaseException) -> None:
        window.statusBar().showMessage(MSG["backup_failed"].format(error=error))

    from ui.forms.activity_form import offer_recovered_drafts

    if ctx.db.read_only:  # nothing to back up into, nothing to purge: say why once
        window.statusBar().showMessage(MSG["read_only"])
        offer_recovered_drafts(ctx, window)
        return
    from ui.export import last_folder

    run_task(window, functools.partial(_key_and_backup, folders=[last_folder()]),
             db_path=ctx.db.path, show_progress=False, on_done=lambda _path: None,
             on_failed=backup_failed)

    def purged(count: object) -> None:
        if count:
            ctx.changed("activities")
            ctx.changed("persons")

    # The recycle bin keeps items 30 days. Purging writes: on a connection of its own in
    # the background, so that another program's long write never freezes the window.
    run_task(window, _purge, db_path=ctx.db.path, show_progress=False, on_done=purged,
             on_failed=lambda exc: _say_failed(window, exc))
    offer_recovered_drafts(ctx, window)  # forms being edited when the app stopped


def _say_failed(window: MainWindow, error: BaseException) -> None:
    from ui.tasks import TEXT, user_error

    known = user_error(error)
    window.statusBar().showMessage(str(known) if known is not None else TEXT["bug"])


def _purge(_progress: object, db: Database) -> int:
    """Background work: empty the recycle bin of what it kept long enough."""
    from models import recycle

    return recycle.purge_expired(db)


# Where ui.main_window keeps the last page (QSettings(APP_NAME, APP_NAME), SETTING_PAGE,
# DEFAULT_PAGE), read here before QtWidgets loads (tests/test_ui_startup.py checks they
# agree).
_SETTINGS_NAME = "Ittisal"
_PAGE_SETTING = "window/page"
_FIRST_PAGE = "dashboard"


def _kept_page_file() -> Path | None:
    """The file where QSettings keeps the window's state on Linux and the BSDs (its
    native format there is this INI file); None elsewhere (the registry, a plist)."""
    if sys.platform in ("win32", "darwin"):
        return None
    config = os.environ.get("XDG_CONFIG_HOME", "")
    folder = Path(config) if os.path.isabs(config) else Path.home() / ".config"
    return folder / _SETTINGS_NAME / f"{_SETTINGS_NAME}.conf"


def _kept_page_read() -> str | None:
    """The last page as kept in :func:`_kept_page_file`, read without Qt; None when
    unsure (no file, no such key, a value Qt may have escaped): QtCore is asked then."""
    path = _kept_page_file()
    if path is None:
        return None
    group, _, key = _PAGE_SETTING.partition("/")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return None
    section = ""
    for line in lines:
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == group and line.partition("=")[0].strip() == key:
            value = line.partition("=")[2].strip()
            return value if value.isascii() and value.replace("_", "").isalpha() else None
    return None


def last_page() -> str | None:
    """The page the window will open on (ui.main_window keeps it); None where QtCore
    cannot load (preflight says why). Where QSettings keeps it in a plain file, read
    from there: Qt loads 50 ms later, and the dashboard's figures must start first."""
    page = _kept_page_read()
    if page is not None:
        return page
    try:
        from PySide6.QtCore import QSettings
    except ImportError:
        return None
    return str(QSettings(_SETTINGS_NAME, _SETTINGS_NAME).value(_PAGE_SETTING, _FIRST_PAGE))


def figures_ahead(db_arg: str | None) -> Future | None:
    """The dashboard's figures (:func:`models.dashboard.summary_of_file`), started now on
    a thread of their own, when the window will open on the dashboard: computed while
    the models and Qt load and the window is built, they are on its first paint. None
    when the window opens on another page (nothing of the dashboard is then imported),
    or the file is missing or to be upgraded (the launcher says what is wrong, as
    before)."""
    # Where QSettings keeps the page in a plain file (Linux), it is read first; elsewhere
    # (the registry, a plist) only QtCore can read it: the queries start meanwhile, and
    # stop if the page is another.
    speculative = _kept_page_file() is None
    if not speculative and last_page() != _FIRST_PAGE:
        return None
    # The models load first, here (the window needs them too): on the thread, they would
    # share Python's lock with QtCore's loading and its queries would start 100 ms later.
    from models import dashboard
    from models.paths import resolve_db_path

    try:
        path = resolve_db_path(db_arg)
        if not path.is_file() or needs_upgrade(path):
            return None
    except Exception:  # noqa: BLE001 - the launcher meets it again and says it
        return None
    future: Future = Future()
    future.set_running_or_notify_cancel()
    unwanted = threading.Event()  # set if the first page is not the dashboard after all

    def work() -> None:
        try:
            future.set_result(dashboard.summary_of_file(path, dt.date.today(),
                                                        stop=unwanted.is_set))
        except BaseException as exc:  # the page computes them again, and says why
            future.set_exception(exc)

    threading.Thread(target=work, name="ittisal-figures-ahead", daemon=True).start()
    if speculative and last_page() != _FIRST_PAGE:
        unwanted.set()
        return None
    return future


def start_window(ctx: AppContext, *, settings: QSettings | None = None) -> MainWindow:
    """The main window for ``ctx`` (not shown yet), after the welcome on a fresh database.
    What start-up computed ahead (``ctx.ahead``) is for the first page only: dropped
    once it is built, and before a welcome that may fill the database."""
    from models.unit_mode import is_fresh
    from ui.main_window import MainWindow

    if is_fresh(ctx.db):
        ctx.ahead.clear()
        from ui.welcome import WelcomeDialog

        # Whatever the choice ("later" too), the main window opens next.
        WelcomeDialog(ctx).exec()
    window = MainWindow(ctx, settings=settings)
    ctx.ahead.clear()
    return window


def _smoke_report(path: Path, window: MainWindow) -> None:
    """What the ready window shows, written to ``path`` (see :data:`SMOKE_REPORT_ENV`);
    the window is then closed, as a user would close it."""
    import json

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    blank = [window.nav.item(i).icon().isNull() for i in range(window.nav.count())]
    path.write_text(json.dumps({
        "rtl": window.isRightToLeft()
        and app.layoutDirection() == Qt.LayoutDirection.RightToLeft,
        "visible": window.isVisible(), "title": window.windowTitle(),
        "font": app.font().families()[0], "pages": len(blank), "blank_icons": sum(blank),
        "app_icon": not app.windowIcon().isNull(), "frozen": bool(getattr(sys, "frozen", 0)),
    }, ensure_ascii=False), "utf-8")
    window.grab().save(str(path.with_suffix(".png")))
    QTimer.singleShot(0, window.close)


def launch(db_arg: str | None = None, *,
           on_ready: Callable[[MainWindow], None] | None = None) -> int:
    """Start the app on the database named by ``--db``/``ITTISAL_DB``/the default.

    ``on_ready(window)`` is called once the window shows its first page with data (the
    start-up benchmark stops its clock there).
    """
    from ui import preflight

    # Before preflight loads QtWidgets, the longest wait of the start: see figures_ahead.
    # Its thread takes Python's lock back after each SQLite step; by default it would wait
    # up to 5 ms each time for the imports of this one, 40 ms over the figures' queries.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(STARTUP_SWITCH_INTERVAL_S)
    ahead = figures_ahead(db_arg)
    problem = preflight.problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1

    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QMessageBox

    from models.db import Database
    from models.errors import IttisalError
    from models.paths import resolve_db_path
    from ui.application import create_application
    from ui.context import UI_BUSY_TIMEOUT_MS, AppContext

    if on_ready is None and os.environ.get(SMOKE_REPORT_ENV):
        on_ready = functools.partial(_smoke_report, Path(os.environ[SMOKE_REPORT_ENV]))
    app = create_application(sys.argv[:1])
    _install_excepthook(_log_to_data_folder())
    path = resolve_db_path(db_arg)
    try:
        if needs_upgrade(path):
            upgrade_in_background(path)
        # The app makes its database on first start (only where no file exists at all).
        db = Database.open(path, create=True)
    except IttisalError as exc:
        QMessageBox.critical(None, MSG["cannot_open"], str(exc))
        print(f"{exc.arabic}\n{exc.english}", file=sys.stderr)
        return 1
    db.set_busy_timeout(UI_BUSY_TIMEOUT_MS)
    try:
        ctx = AppContext(db)
        if ahead is not None:
            ctx.ahead["dashboard"] = ahead
        window = start_window(ctx)
        window.ready.connect(lambda: sys.setswitchinterval(switch_interval))
        # Housekeeping waits until the first page shows its data, so it never slows that.
        window.ready.connect(lambda: after_shown(window.ctx, window))
        if on_ready is not None:
            window.ready.connect(lambda: on_ready(window))
        if ahead is not None:
            # Figures a few milliseconds away are worth the wait: the first frame then
            # has them, rather than a frame of dots painted again when they come.
            futures.wait([ahead], timeout=AHEAD_WAIT_S)
        window.show()
        return app.exec()
    finally:
        # Let a backup in progress finish before its connection's file goes away.
        QThreadPool.globalInstance().waitForDone()
        db.close()
