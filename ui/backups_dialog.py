"""«النسخ الاحتياطية»: the database's backups listed (date, kind, size), a backup taken now,
and a restore from one of them (or from a file elsewhere, a USB stick), from the Help menu.

The work is :mod:`models.backup`'s, as on the command line (``backup``, ``restore``): a
restore checks the file first (an empty, foreign or damaged file is refused before
anything changes) and backs up the current state before it overwrites it. Both run off the
UI thread (:func:`ui.tasks.run_task`) with a progress dialog. A restore is asked for first;
once done, the app reopens the database (a new connection on the restored file, every
view told to reload) and says where the previous state was kept, and, as the command line
does, whether the unit's signing key still matches the restored file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import backup, certificates, records, store
from models.db import Database
from models.errors import IttisalError
from ui.context import AppContext
from ui.formatting import date_text, digits_text, number_text
from ui.tasks import Progress, Task, run_task, show_error
from ui.widgets import open_dialogs

TEXT = {
    "title": "النسخ الاحتياطية",
    "intro": ("يأخذ البرنامج نسخة احتياطية من قاعدة البيانات كل يوم عند بدء تشغيله، ويحتفظ "
              "بآخر عشر نسخ وبأحدث نسخة من كل شهر، في المجلد: {folder}"),
    "date": "التاريخ",
    "time": "الوقت",
    "kind": "النوع",
    "size": "الحجم",
    "none": "لا توجد نسخ احتياطية بعد.",
    "back_up": "نسخ احتياطي الآن",
    "restore": "استعادة هذه",
    "restore_file": "استعادة من ملف…",
    "close": "إغلاق",
    "backing_up": "أخذ نسخة احتياطية",
    "backed_up": "أُخذت نسخة احتياطية: {name}",
    "restoring": "استعادة نسخة احتياطية",
    "confirm_title": "استعادة نسخة احتياطية",
    "confirm": ("ستحلّ النسخة «{name}» محلّ قاعدة البيانات الحالية، وكل ما أُدخل بعدها "
                "يزول منها.\n\nتُحفظ الحالة الحالية نسخةً احتياطية أولاً (يمكن الرجوع إليها "
                "من هذه القائمة)، ثم يُعاد فتح قاعدة البيانات في البرنامج. هل تريد المتابعة؟"),
    "restore_yes": "استعادة",
    "cancel": "إلغاء",
    "restored": ("اُسترجعت قاعدة البيانات من «{name}»، وأُعيد فتحها في البرنامج.\n"
                 "الحالة السابقة محفوظة في: {safety}"),
    "choose": "اختيار ملف نسخة احتياطية",
    "filter": "قواعد بيانات اتصال (*.sqlite3 *.sqlite *.db);;كل الملفات (*)",
    "folder": "«{path}» مجلد وليس ملف نسخة احتياطية.",
    "kb": "{n} ك.ب",
    "mb": "{n} م.ب",
    "kinds": {"daily": "يومية", "manual": "يدوية", "before-restore": "قبل استعادة"},
}

FOLDER_ENGLISH = "{path} is a folder, not a backup file."
# Every table a restore may have changed: each view reloads (see ui.welcome.DEMO_TABLES).
TABLES = ("activities", "persons", "attendance", "recommendations", "coverage_items",
          "plans", "plan_items", "certificates", "letters", "outlets", "attachments")


def size_text(size: int, style) -> str:
    """A file size in KB below a megabyte, else in MB with one decimal."""
    if size < 1024 * 1024:
        return TEXT["kb"].format(n=number_text(max(1, round(size / 1024)), style))
    return TEXT["mb"].format(n=digits_text(f"{size / 1024 / 1024:.1f}", style))


def backup_kind(path: Path, stamp_end: str) -> str:
    """The reason in a backup's name («يومية», «يدوية»…), or ""."""
    reason = path.stem.split(stamp_end, 1)[-1].lstrip("-") if stamp_end in path.stem else ""
    return TEXT["kinds"].get(reason, reason)


def _back_up(_progress: Progress, db: Database) -> Path:
    return backup.take(db)


class BackupsDialog(QDialog):
    """The backups of the open database, newest first, with back up now and restore."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
        self.found: list[tuple[dt.datetime, Path]] = []
        self.setObjectName("backupsDialog")
        self.setWindowTitle(TEXT["title"])
        self.resize(640, 420)
        column = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels(
            [TEXT["date"], TEXT["time"], TEXT["kind"], TEXT["size"]])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QLabel(TEXT["none"], self)
        self.status = QLabel(self)
        self.status.setObjectName("backupsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.intro, self.empty, self.status):
            label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.back_up_button = QPushButton(TEXT["back_up"], self)
        self.back_up_button.setObjectName("backUpNow")
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(TEXT["restore"], self)
        self.restore_button.setObjectName("restoreThis")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(TEXT["restore_file"], self)
        self.restore_file_button.setObjectName("restoreFromFile")
        self.restore_file_button.clicked.connect(self.restore_from_file)
        close = QPushButton(TEXT["close"], self)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.back_up_button, self.restore_button, self.restore_file_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        column.addWidget(self.intro)
        column.addWidget(self.table, 1)
        column.addWidget(self.empty)
        column.addWidget(self.status)
        column.addLayout(row)
        self.reload()

    # --- the list -------------------------------------------------------------------

    def reload(self) -> None:
        """List the backups again, newest first (the newest selected)."""
        style = self.ctx.date_style
        db_path = self.ctx.db.path
        self.intro.setText(TEXT["intro"].format(
            folder=f"\u2066{backup.backups_dir(db_path)}\u2069"))
        self.found = list(reversed(backup.backups(db_path)))
        self.table.setRowCount(len(self.found))
        for row, (when, path) in enumerate(self.found):
            try:
                size = size_text(path.stat().st_size, style)
            except OSError:
                size = ""
            stamp = when.strftime(backup.STAMP)
            cells = (date_text(when.date(), style), digits_text(when.strftime("%H:%M"), style),
                     backup_kind(path, stamp), size)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(path))
                self.table.setItem(row, column, item)
        self.empty.setVisible(not self.found)
        self.table.setVisible(bool(self.found))
        if self.found:
            self.table.setCurrentCell(0, 0)
        self._update_buttons()

    def selected(self) -> Path | None:
        """The backup file of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.found[rows[0].row()][1]

    def _update_buttons(self) -> None:
        busy = self.task is not None and self.task.running
        read_only = self.ctx.db.read_only
        self.back_up_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and not read_only and self.selected() is not None)
        self.restore_file_button.setEnabled(not busy and not read_only)

    # --- back up now ----------------------------------------------------------------

    def back_up_now(self) -> Task:
        """Take a backup in the background; list it once it is written."""
        self.status.setText("")
        self.task = run_task(self, _back_up, db_path=self.ctx.db.path,
                             title=TEXT["backing_up"], on_done=self._backed_up,
                             on_failed=self._failed)
        self._update_buttons()
        return self.task

    def _backed_up(self, path: Path) -> None:
        self.reload()
        self.status.setText(TEXT["backed_up"].format(name=Path(path).name))

    def _failed(self, error: BaseException) -> None:
        self._update_buttons()
        show_error(self, error)

    # --- restore --------------------------------------------------------------------

    def confirm_restore(self, source: Path) -> bool:
        """Ask before a restore (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Question, TEXT["confirm_title"],
                          TEXT["confirm"].format(name=source.name),
                          QMessageBox.StandardButton.NoButton, self)
        yes = box.addButton(TEXT["restore_yes"], QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(TEXT["cancel"], QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        answer = box.clickedButton() is yes
        box.deleteLater()
        return answer

    def restore_selected(self) -> Task | None:
        """«استعادة هذه»: restore the selected backup, once the user agrees."""
        source = self.selected()
        return self.restore(source) if source is not None else None

    def restore_from_file(self) -> Task | None:
        """Restore a backup file chosen anywhere (another folder, a USB stick)."""
        chosen = open_dialogs.open_file_name(self, "backup", TEXT["choose"], TEXT["filter"])
        return self.restore(Path(chosen)) if chosen else None

    def restore(self, source: Path) -> Task | None:
        """Restore ``source`` in the background after asking; None when not asked to."""
        if not self.confirm_restore(source):
            return None
        self.status.setText("")
        db_path = self.ctx.db.path

        def work(_progress: Progress) -> Path:
            if source.is_dir():  # the command line's check: a folder is no backup
                raise IttisalError(TEXT["folder"].format(path=source),
                                   FOLDER_ENGLISH.format(path=source))
            return backup.restore(db_path, source)

        self.task = run_task(self, work, title=TEXT["restoring"],
                             on_done=lambda safety: self._restored(source, safety),
                             on_failed=self._failed)
        self._update_buttons()
        return self.task

    def _restored(self, source: Path, safety: Path) -> None:
        reopen(self.ctx)
        lines = [TEXT["restored"].format(name=source.name, safety=f"\u2066{safety}\u2069")]
        state = certificates.key_state(self.ctx.db)
        if state.status not in ("ok", "none"):
            # A backup never carries the private key: said now, not at the next issue.
            fingerprint = certificates.fingerprint(state.current or {}) or "—"
            lines.append(certificates.MSG[f"key_{state.status}"][0].format(
                fingerprint=fingerprint))
        self.reload()
        self.status.setText("\n".join(lines))


def reopen(ctx: AppContext) -> None:
    """Open the database afresh after a restore: a new connection in the context (its
    cached unit and settings read again), the old one closed, every view told."""
    old = ctx.db
    new = Database.open(old.path)
    from ui.context import UI_BUSY_TIMEOUT_MS

    new.set_busy_timeout(UI_BUSY_TIMEOUT_MS)
    ctx.db = new
    old.close()
    ctx.unit_saved(store.get(new, records.Unit, new.local_unit_id))
    for table in TABLES:
        ctx.changed(table)
