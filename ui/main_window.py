"""The main window: the navigation bar of pages, the undo bar and the status bar.

Pages are listed once, in :data:`PAGES`; each page's module is imported and the page
built the first time it is shown, so start-up pays only for the page the user sees. The
window routes its shortcuts to the current page (Ctrl+N new — an activity on the pages
that make no record of their own —, Ctrl+F search, Delete delete), answers
``ctx.navigate`` by showing a page narrowed by filters, and keeps its geometry and last
page in QSettings.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.arabic import isolate
from ui.application import APP_NAME, resource_path
from ui.context import AppContext
from ui.formatting import number_text
from ui.pages.base import Page
from ui.tasks import Task, run_task
from ui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QShowEvent

    from models.dashboard import RecordCounts

log = logging.getLogger(__name__)

TEXT = {
    # The navigation bar, by page key (each page class carries the same title).
    "dashboard": "لوحة المتابعة",
    "activities": "الأنشطة",
    "persons": "المشاركون",
    "plans": "مخطط الاتصال",
    "recommendations": "التوصيات",
    "coverage": "الرصد الإعلامي",
    "certificates": "سجل الشهادات",
    "outbox": "الصادر",
    "settings": "الإعدادات",
    "send": "إرسال إلى الوزارة…",
    "send_tip": "حزمة بيانات بالسجلات المعتمدة لم تُرسل بعد، تُحفظ ملفاً يُسلَّم إلى مركز "
                "الوزارة (Ctrl+Shift+M)",
    "title": "اتصال {version} — {unit}",
    "no_unit": "لم تُدخل هوية الوحدة بعد",
    "database": "قاعدة البيانات: {path}",
    "counts": "الأنشطة: {activities}، المشاركون: {persons}",
}

#: The pages of the navigation bar, in order: (key, module, class name).
PAGES: tuple[tuple[str, str, str], ...] = (
    ("dashboard", "ui.pages.dashboard", "DashboardPage"),
    ("activities", "ui.pages.activities", "ActivitiesPage"),
    ("persons", "ui.pages.persons", "PersonsPage"),
    ("plans", "ui.pages.plans", "PlansPage"),
    ("recommendations", "ui.pages.recommendations", "RecommendationsPage"),
    ("coverage", "ui.pages.coverage", "CoveragePage"),
    ("certificates", "ui.pages.certificates", "CertificatesPage"),
    ("outbox", "ui.pages.outbox", "OutboxPage"),
    ("settings", "ui.pages.settings", "SettingsPage"),
)
DEFAULT_PAGE = "dashboard"
#: The pages whose Ctrl+N makes a record of their own kind; on every other page (the
#: dashboard, the register of certificates, the settings) Ctrl+N starts a new activity,
#: the record a unit makes most, on the activities page (where it is listed once saved).
NEW_RECORD_PAGES = ("activities", "persons", "plans", "coverage")
NEW_RECORD_DEFAULT = "activities"

SETTING_GEOMETRY = "window/geometry"
SETTING_PAGE = "window/page"
DEFAULT_SIZE = QSize(1200, 760)
NAV_WIDTH = 200
COUNTS_DELAY_MS = 300
READY_PAINT_WAIT_MS = 1_000
DB_LABEL_MIN_WIDTH = 120

NAV_STYLE = """
QListWidget#navigation { border: none; background: palette(window); padding-top: 8px; }
QListWidget#navigation::item { padding: 10px 8px; border-radius: 6px; margin: 2px 6px; }
QListWidget#navigation::item:selected { background: #d3ebe8; color: #0f4c5c; }
"""


def app_settings() -> QSettings:
    """The user's QSettings for window state (never the unit's data: that is in the DB)."""
    return QSettings(APP_NAME, APP_NAME)


def page_keys() -> list[str]:
    """The keys of :data:`PAGES`, in order (nothing is imported)."""
    return [key for key, _module, _class in PAGES]


def page_class(key: str) -> type[Page]:
    """The page class for ``key``, its module imported now if it was not yet."""
    _key, module_name, class_name = next(page for page in PAGES if page[0] == key)
    return getattr(importlib.import_module(module_name), class_name)


def typing_in_text() -> bool:
    """True when the keyboard focus is in a field that takes text (Delete is theirs)."""
    # Loaded here, at the first Delete: each Qt class costs its first use, before the paint.
    from PySide6.QtWidgets import QAbstractSpinBox, QPlainTextEdit, QTextEdit

    widget = QApplication.focusWidget()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox)


class MainWindow(QMainWindow):
    """The app's window: navigation on the leading (right) side, the page beside it."""

    #: The window is on screen and its first page shows its data (start-up is over).
    ready = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings if settings is not None else app_settings()
        self.setObjectName("mainWindow")
        self._ready_sent = False
        # The first page painted (counted until "ready"), and whether "ready" waits for it.
        self._first_paints = 0
        self._ready_on_paint = False
        self.keys: list[str] = page_keys()
        self.pages: dict[str, Page] = {}

        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet(NAV_STYLE)
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setIconSize(QSize(24, 24))
        self.nav.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        for key in self.keys:
            item = QListWidgetItem(QIcon(str(resource_path("icons", f"{key}.svg"))), TEXT[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._nav_row_changed)

        self.stack = QStackedWidget(self)
        self.undo_bar = UndoBar(ctx, self)

        central = QWidget(self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)  # first in a right-to-left row: on the right
        row.addWidget(self.stack, 1)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 6)
        column.addLayout(row, 1)
        undo_row = QHBoxLayout()
        undo_row.setContentsMargins(8, 0, 8, 0)
        undo_row.addWidget(self.undo_bar)
        column.addLayout(undo_row)
        self.setCentralWidget(central)

        self.db_label = QLabel(TEXT["database"].format(path=isolate(str(ctx.db.path))), self)
        self.db_label.setObjectName("databasePath")
        self.db_label.setToolTip(str(ctx.db.path))
        # A long path must not hold the window wide: below its width it is clipped.
        self.db_label.setMinimumWidth(DB_LABEL_MIN_WIDTH)
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("recordCounts")
        self.statusBar().addWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.db_label)
        # «إرسال إلى الوزارة» from any page: the outbox page shows the bundle go out.
        self.send_action = QAction(TEXT["send"], self)
        self.send_action.setObjectName("sendToMinistry")
        self.send_action.setToolTip(TEXT["send_tip"])
        self.send_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.send_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.send_action.triggered.connect(self.send_to_ministry)
        self.addAction(self.send_action)
        send_button = QToolButton(self)
        send_button.setObjectName("sendToMinistryButton")
        send_button.setDefaultAction(self.send_action)
        send_button.setAutoRaise(True)
        self.statusBar().addPermanentWidget(send_button)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.timeout.connect(self.update_counts)
        self._counts_task: Task | None = None

        self._shortcut(QKeySequence.StandardKey.New, self._new_record)
        self._shortcut(QKeySequence.StandardKey.Find, lambda page: page.focus_search())
        self._shortcut(QKeySequence(Qt.Key.Key_Delete), self._delete)

        ctx.navigate_requested.connect(self.show_page)
        ctx.settings_changed.connect(self.update_title)
        ctx.settings_changed.connect(lambda: self._counts_timer.start(0))  # digit style
        ctx.data_changed.connect(lambda _table: self._counts_timer.start(COUNTS_DELAY_MS))

        # «مساعدة»: the guide, backups, removing the demo data, folders, about.
        from ui import help_menu

        self.help_menu = help_menu.install(self, ctx)
        self.update_title()
        if not self.restoreGeometry(QByteArray(self.settings.value(SETTING_GEOMETRY,
                                                                   QByteArray()))):
            self.resize(DEFAULT_SIZE)
        last = str(self.settings.value(SETTING_PAGE, DEFAULT_PAGE))
        self.show_page(last if last in self.keys else DEFAULT_PAGE)

    # --- pages ----------------------------------------------------------------------

    def page(self, key: str) -> Page:
        """The page for ``key``, built the first time it is asked for."""
        if key not in self.pages:
            page = page_class(key)(self.ctx, self.stack)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def current_page(self) -> Page | None:
        """The page on screen."""
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def show_page(self, key: str, filters: dict | None = None) -> Page | None:
        """Show a page (activating it) and narrow it by ``filters`` if given."""
        if key not in self.keys:
            log.warning("no page %r to show", key)
            return None
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(self.keys.index(key))
        self.nav.blockSignals(False)
        self.settings.setValue(SETTING_PAGE, key)
        page.activated()
        if filters:
            page.apply_filters(dict(filters))
        return page

    def send_to_ministry(self) -> object:
        """«إرسال إلى الوزارة…»: the outbox page, and its send dialog."""
        page = self.show_page("outbox")
        return page.send() if page is not None else None

    def _nav_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.keys):
            self.show_page(self.keys[row])

    # --- shortcuts ------------------------------------------------------------------

    def _shortcut(self, keys: QKeySequence | QKeySequence.StandardKey, action) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda: self._to_page(action))
        return shortcut

    def _to_page(self, action) -> None:
        page = self.current_page()
        if page is not None:
            action(page)

    def _new_record(self, page: Page) -> None:
        if page.key not in NEW_RECORD_PAGES:
            page = self.show_page(NEW_RECORD_DEFAULT) or page
        page.new_record()

    @staticmethod
    def _delete(page: Page) -> None:
        if not typing_in_text():
            page.delete_selected()

    # --- title, status bar, start-up ------------------------------------------------

    def update_title(self) -> None:
        """"اتصال <version> — <the unit>"; the unit's name, else its directorate or
        ministry."""
        from ui.help_menu import version

        unit = self.ctx.unit
        name = unit.name or unit.directorate or unit.ministry or TEXT["no_unit"]
        self.setWindowTitle(TEXT["title"].format(version=version(), unit=name))

    def update_counts(self) -> None:
        """Recount activities and persons for the status bar, off the UI thread (on a big
        file each count scans its table)."""
        if self._counts_task is not None and self._counts_task.running:
            self._counts_timer.start(COUNTS_DELAY_MS)  # once this one is done
            return
        from models import dashboard  # after "ready" (see _first_shown): not for the paint

        self._counts_task = run_task(
            self, lambda _progress, db: dashboard.record_counts(db), db_path=self.ctx.db.path,
            show_progress=False, on_done=self._show_counts,
            on_failed=lambda error: log.warning("counting records failed: %s", error))

    def _show_counts(self, counts: RecordCounts) -> None:
        style = self.ctx.date_style
        self.counts_label.setText(TEXT["counts"].format(
            activities=number_text(counts.activities, style),
            persons=number_text(counts.persons, style)))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._ready_sent:
            page = self.current_page()
            if page is not None and not self._first_paints:
                page.installEventFilter(self)  # counts its paints until "ready"
            # After the first paint: "ready" once the page has its data, then the counts.
            QTimer.singleShot(0, self._first_shown)

    def _first_shown(self) -> None:
        if self._ready_sent:
            return
        page = self.current_page()
        if page is not None and getattr(page, "loading", False):
            page.loaded.connect(self._data_in, Qt.ConnectionType.SingleShotConnection)
        else:
            self._data_in(painted=self._first_paints > 0)

    def _data_in(self, *, painted: bool = False) -> None:
        """The first page has its data: "ready" once they are painted (at once when they
        were in before its first paint)."""
        page = self.current_page()
        if painted or page is None:
            self._send_ready()
            return
        self._ready_on_paint = True
        page.update()
        # A window that is not painted (minimised at once) still gets its housekeeping.
        QTimer.singleShot(READY_PAINT_WAIT_MS, self._send_ready)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and watched is self.current_page():
            self._first_paints += 1
            if self._ready_on_paint:
                # Its children paint next, in the same pass: "ready" right after it.
                QTimer.singleShot(0, self._send_ready)
        return super().eventFilter(watched, event)

    def _send_ready(self) -> None:
        if not self._ready_sent:
            self._ready_sent = True
            page = self.current_page()
            if page is not None:
                page.removeEventFilter(self)
            # The status bar's counts: after the first page's data, not before them.
            self._counts_timer.start(0)
            self.ready.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.settings.setValue(SETTING_GEOMETRY, self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
