"""The main window's «مساعدة» menu: the user guide, backups, removing the demo data, the
data folder, the log, and «حول البرنامج» (version, data folder, database size, last backup).

The guide is ``docs/user-guide.md``, shipped with the app as ``resources/guide/`` (its copy
and the screenshots it shows, made by ``python -m ui.guide_screenshots``) so that the
installed bundle has it too; it is shown in a window of its own (Qt renders the Markdown,
no browser needed).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QImageReader, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import resources
from models.version import app_version
from ui import desktop
from ui.application import DISPLAY_NAME
from ui.context import AppContext
from ui.formatting import date_text, digits_text, number_text
from ui.tasks import Progress, Task, log_file, open_log_folder, run_task

# The demo's removal, the backups and their dialog load when their action is chosen: the
# menu is built at start-up, before the first page shows (benchmarks/bench_startup.py).
if TYPE_CHECKING:
    from demo import removal
    from ui.backups_dialog import BackupsDialog

log = logging.getLogger(__name__)

TEXT = {
    "menu": "مساعدة",
    "guide": "دليل المستخدم",
    "backups": "النسخ الاحتياطية…",
    "remove_demo": "حذف البيانات التجريبية…",
    "data_folder": "فتح مجلد البيانات",
    "log": "فتح السجل",
    "about": "حول البرنامج",
    "about_title": "حول {name}",
    "about_heading": "{name} — الاتصال الحكومي للوحدات",
    "version": "الإصدار",
    "folder": "مجلد البيانات",
    "database": "قاعدة البيانات",
    "db_size": "حجم قاعدة البيانات",
    "last_backup": "آخر نسخة احتياطية",
    "log_file": "ملف السجل",
    "no_backup": "لا توجد بعد",
    "unknown": "غير معروف",
    "no_guide": "تعذّر العثور على دليل المستخدم في ملفات البرنامج: {name}",
    "remove_title": "حذف البيانات التجريبية",
    "remove_ask": ("ستُحذف نهائياً كل السجلات التجريبية (الأنشطة والمشاركون والحضور "
                   "والتوصيات والرصد والمخططات التجريبية، وما طُبع عليها من شهادات)، "
                   "وتُفرَّغ هوية الوحدة التجريبية إن لم تُغيَّر. تبقى سجلاتك أنت كما هي.\n\n"
                   "هل تريد المتابعة؟"),
    "remove_yes": "حذف",
    "cancel": "إلغاء",
    "removing": "حذف البيانات التجريبية",
    "removed": "حُذفت البيانات التجريبية: {count} سجل.",
    "kept": " بقي {kept} مشارك تجريبي أُضيف إلى أنشطتك.",
    "no_demo": "لا توجد بيانات تجريبية معروفة في قاعدة البيانات.",
}

GUIDE = ("guide", "user-guide.md")
GUIDE_IMAGE_WIDTH = 820  # the guide window's text width, less a margin


def version() -> str:
    """The app's version (the installed package's, else pyproject's)."""
    return app_version()


def guide_path() -> Path:
    """The user guide shipped with the app (resources/guide/user-guide.md)."""
    return resources.file_path(*GUIDE)


def database_size(db_path: Path) -> int:
    """The database's bytes on disk, its write-ahead log included."""
    total = 0
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


def last_backup(db_path: Path) -> dt.datetime | None:
    """When the newest backup of the database was taken, or None."""
    from models import backup

    found = backup.backups(db_path)
    return found[-1][0] if found else None


class GuideWindow(QDialog):
    """The user guide, rendered from its Markdown, with its screenshots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle(TEXT["guide"])
        self.resize(900, 700)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        path = guide_path()
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setMarkdown(path.read_text("utf-8"))
        fit_images(self.browser.document(), path.parent, GUIDE_IMAGE_WIDTH)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.browser)
        column.addWidget(buttons)


def fit_images(document: QTextDocument, folder: Path, width: int) -> int:
    """Scale the document's images wider than ``width`` down to it (a 1280-pixel
    screenshot would otherwise widen the page past the window, and Arabic lines, set from
    the right, would start out of sight); how many were scaled."""
    scaled = 0
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            fragments += 1
            form = fragment.charFormat()
            if not form.isImageFormat():
                continue
            image_format = form.toImageFormat()
            size = QImageReader(str(folder / image_format.name())).size()
            if not size.isValid() or size.width() <= width:
                continue
            image_format.setWidth(width)
            image_format.setHeight(size.height() * width / size.width())
            cursor = QTextCursor(document)
            cursor.setPosition(fragment.position())
            cursor.setPosition(fragment.position() + fragment.length(),
                               QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(image_format)
            scaled += 1
        block = block.next()
    return scaled


class AboutDialog(QDialog):
    """Version, data folder, database, its size, the last backup and the log file."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(TEXT["about_title"].format(name=DISPLAY_NAME))
        self.setMinimumWidth(560)  # a data folder's path on one or two lines, not four
        from ui.backups_dialog import size_text

        style = ctx.date_style
        db_path = ctx.db.path
        when = last_backup(db_path)
        self.values = {
            "version": version(),
            "folder": str(db_path.parent),
            "database": db_path.name,
            "db_size": size_text(database_size(db_path), style),
            "last_backup": (f"{date_text(when.date(), style)} "
                            f"{digits_text(when.strftime('%H:%M'), style)}"
                            if when else TEXT["no_backup"]),
            "log_file": str(log_file()),
        }
        column = QVBoxLayout(self)
        heading = QLabel(TEXT["about_heading"].format(name=DISPLAY_NAME), self)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        heading.setFont(font)
        column.addWidget(heading)
        form = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        for key, value in self.values.items():
            # Paths and the version read left to right inside the Arabic form.
            shown = f"\u2066{value}\u2069" if key in ("version", "folder", "database",
                                                        "log_file") else value
            label = QLabel(shown, self)
            label.setObjectName(f"about_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[key] = label
            form.addRow(TEXT[key], label)
        column.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)


def _remove(_progress: Progress, db) -> removal.RemovalSummary:
    from demo import removal

    return removal.remove_demo(db)


class HelpMenu(QMenu):
    """The «مساعدة» menu of a main window; each action also a method tests can call."""

    def __init__(self, ctx: AppContext, window: QMainWindow) -> None:
        super().__init__(TEXT["menu"], window)
        self.ctx, self.window = ctx, window
        self.setObjectName("helpMenu")
        self.task: Task | None = None
        self.actions_by_key: dict[str, QAction] = {}
        for key, slot in (("guide", self.show_guide), ("backups", self.show_backups),
                          ("remove_demo", self.remove_demo), (None, None),
                          ("data_folder", self.open_data_folder), ("log", self.open_log),
                          (None, None), ("about", self.show_about)):
            if key is None:
                self.addSeparator()
                continue
            action = self.addAction(TEXT[key])
            action.setObjectName(f"help_{key}")
            action.triggered.connect(slot)
            self.actions_by_key[key] = action
        self.aboutToShow.connect(self._update)

    def _update(self) -> None:
        from demo import removal

        self.actions_by_key["remove_demo"].setEnabled(
            not self.ctx.db.read_only and removal.has_demo(self.ctx.db))

    # --- the actions ----------------------------------------------------------------

    def show_guide(self) -> QDialog | None:
        """The user guide in a window of its own."""
        try:
            guide = GuideWindow(self.window)
        except (resources.MissingResourceError, OSError) as exc:
            log.warning("no user guide: %s", exc)
            QMessageBox.warning(self.window, TEXT["guide"],
                                TEXT["no_guide"].format(name="/".join(GUIDE)))
            return None
        guide.open()
        return guide

    def show_backups(self) -> BackupsDialog:
        """The backups dialog (list, back up now, restore)."""
        from ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.ctx, self.window)
        dialog.open()
        return dialog

    def show_about(self) -> AboutDialog:
        """«حول البرنامج»."""
        dialog = AboutDialog(self.ctx, self.window)
        dialog.open()
        return dialog

    def open_data_folder(self) -> bool:
        """The database's folder (backups, attachments beside it) in the file manager."""
        return desktop.open_url(QUrl.fromLocalFile(str(self.ctx.db.path.parent)))

    def open_log(self) -> bool:
        """The log file in the system's text viewer (its folder while nothing is logged)."""
        path = log_file()
        if path.is_file():
            return desktop.open_url(QUrl.fromLocalFile(str(path)))
        return open_log_folder(path)

    def confirm_removal(self) -> bool:
        """Ask before removing the demo data (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Warning, TEXT["remove_title"], TEXT["remove_ask"],
                          QMessageBox.StandardButton.NoButton, self.window)
        yes = box.addButton(TEXT["remove_yes"], QMessageBox.ButtonRole.DestructiveRole)
        no = box.addButton(TEXT["cancel"], QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        answer = box.clickedButton() is yes
        box.deleteLater()
        return answer

    def remove_demo(self) -> Task | None:
        """«حذف البيانات التجريبية»: asked, then done in the background."""
        from demo import removal

        if not removal.has_demo(self.ctx.db):
            self._say(TEXT["no_demo"])
            return None
        if not self.confirm_removal():
            return None
        self.task = run_task(self.window, _remove, db_path=self.ctx.db.path,
                             title=TEXT["removing"], on_done=self._removed)
        return self.task

    def _removed(self, summary: removal.RemovalSummary) -> None:
        style = self.ctx.date_style
        text = TEXT["removed"].format(count=number_text(summary.total, style))
        if summary.kept_persons:
            text += TEXT["kept"].format(kept=number_text(summary.kept_persons, style))
        from models import records, store
        from ui.backups_dialog import TABLES

        self.ctx.unit_saved(store.get(self.ctx.db, records.Unit, self.ctx.db.local_unit_id))
        for table in TABLES:
            self.ctx.changed(table)
        self._say(text)

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text)


def install(window: QMainWindow, ctx: AppContext) -> HelpMenu:
    """Add the «مساعدة» menu to ``window``'s menu bar."""
    menu = HelpMenu(ctx, window)
    window.menuBar().addMenu(menu)
    return menu
