"""The outbox page (الصادر): the official letters sent and the data bundles made here or,
at a ministry centre, received — newest first, read through :mod:`models.outbox`.

Two tabs: «الكتب الرسمية» (number/year, date, addressee, subject, file, fingerprint) and
«حزم البيانات» (time, out or in, unit, file, what it carried in Arabic words or «رُفضت»
with the reason, full or incremental, the hash's beginning). «فتح» opens a letter's file,
or a bundle's folder, where it still is unchanged (the tables keep a file's name and
SHA-256, not its folder: a letter or bundle written from this computer has its path
remembered, and the folders the app saved in are searched); else a message says so.
«إرسال إلى الوزارة…» (:func:`ui.send_bundle.send_to_ministry`) is on the toolbar; at a
centre, and on an empty database, so is «استيراد حزم المديريات…»
(:class:`~ui.forms.bundle_import_dialog.BundleImportDialog`), also opened by dropping
bundle files on the page, and «التعارضات…» when a merge kept any aside.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from models import bundle_merge, outbox
from ui import export, send_bundle
from ui.context import AppContext
from ui.formatting import date_text, digits_text, number_text
from ui.forms import bundle_import_dialog
from ui.pages.base import Page
from ui.table_models import RowListModel
from ui.widgets import theme
from ui.widgets.record_table import record_table
from ui.widgets.toolbar import toolbar_action

Index = QModelIndex | QPersistentModelIndex

TEXT = {
    "title": "الصادر",
    "send": "إرسال إلى الوزارة…",
    "send_tip": "حزمة بيانات بالسجلات المعتمدة لم تُرسل بعد، تُحفظ ملفاً يُسلَّم إلى مركز "
                "الوزارة",
    "import": "استيراد حزم المديريات…",
    "import_tip": "استيراد حزم البيانات التي أرسلتها الوحدات (يمكن سحب الملفات إلى هذه "
                  "الصفحة)",
    "open": "فتح",
    "open_tip": "فتح ملف الكتاب المحدد، أو مجلد الحزمة المحددة (أو انقر السطر مرتين)",
    "conflicts": "التعارضات…",
    "conflicts_tip": "السجلات التي وصلت بنسختين مختلفتين لمراجعتها",
    "letters_tab": "الكتب الرسمية ({n})",
    "bundles_tab": "حزم البيانات ({n})",
    "letter_headers": ("العدد", "التاريخ", "إلى", "الموضوع", "الملف", "البصمة"),
    "bundle_headers": ("الوقت", "الاتجاه", "الوحدة", "الملف", "المحتوى", "النوع", "البصمة"),
    "number": "{number}/{year}",
    "out": "صادرة",
    "in": "واردة",
    "full": "كاملة",
    "incremental": "تزايدية",
    "refused": "رُفضت",
    "refused_tip": "رُفضت الحزمة ولم يتغير شيء: {reason}",
    "no_letters": "لم يُسجَّل كتاب رسمي بعد. يُسجَّل الكتاب هنا حين يُكتب مع تقرير "
                  "(«كتاب رسمي يرافقه…» بعد تصدير التقرير).",
    "no_bundles": "لم تُرسل حزمة بيانات بعد.",
    "missing_title": "الملف غير موجود",
    "missing": "لم يُعثر على الملف «{name}» كما كُتب (بالبصمة نفسها) في المجلدات التي حُفظ "
               "فيها: {folders}.\nربما نُقل أو حُذف أو عُدّل؛ ابحث عنه باسمه.",
    "cant_open": "تعذّر فتح «{name}».",
    "folders_and": "، ",
    "time": "{date} {time}",
}

COL_L_NUMBER, COL_L_DATE, COL_L_TO, COL_L_SUBJECT, COL_L_FILE, COL_L_HASH = range(6)
COL_B_TIME, COL_B_DIR, COL_B_UNIT, COL_B_FILE, COL_B_COUNTS, COL_B_KIND, COL_B_HASH = range(7)
HASH_SHOWN = 12


def local_time(stamp: str) -> tuple[str, str]:
    """A stored UTC time as the local (date, HH:MM)."""
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp[:10], ""
    return when.date().isoformat(), when.strftime("%H:%M")


class LettersModel(RowListModel):
    """The letters of the outbox (read-only)."""

    HEADERS = TEXT["letter_headers"]

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[outbox.LetterRow] = []

    def text(self, row: int, column: int) -> str:
        """What a cell shows."""
        item = self.rows[row]
        style = self.ctx.date_style
        if column == COL_L_NUMBER:
            # A letter's number is its name, not a count: never grouped.
            return TEXT["number"].format(number=digits_text(str(item.number), style),
                                         year=digits_text(str(item.year), style))
        if column == COL_L_DATE:
            return date_text(item.date, style)
        if column == COL_L_TO:
            return item.addressee
        if column == COL_L_SUBJECT:
            return " ".join(item.subject.split())
        if column == COL_L_FILE:
            return f"\u2068{item.file_name}\u2069"
        if column == COL_L_HASH:
            return item.sha256[:HASH_SHOWN]
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            item = self.rows[index.row()]
            return item.sha256 if index.column() == COL_L_HASH else (
                self.text(index.row(), index.column()) or None)
        return None


class BundlesModel(RowListModel):
    """The bundles log (read-only); a refused import in red."""

    HEADERS = TEXT["bundle_headers"]

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[outbox.BundleRow] = []

    def text(self, row: int, column: int) -> str:
        """What a cell shows."""
        item = self.rows[row]
        style = self.ctx.date_style
        if column == COL_B_TIME:
            day, time = local_time(item.logged_at)
            return TEXT["time"].format(date=date_text(day, style),
                                       time=digits_text(time, style)).strip()
        if column == COL_B_DIR:
            return TEXT["out" if item.direction == "out" else "in"]
        if column == COL_B_UNIT:  # a bundle made here is this unit's: only «in» names one
            return "" if item.direction == "out" else (item.unit_name or item.unit_id[:8])
        if column == COL_B_FILE:
            return f"\u2068{item.file_name}\u2069"
        if column == COL_B_COUNTS:
            if item.refused is not None:
                return TEXT["refused"]
            return send_bundle.counts_text(item.counts, style)
        if column == COL_B_KIND:
            return "" if item.refused is not None else TEXT[
                "full" if item.full else "incremental"]
        if column == COL_B_HASH:
            return item.sha256[:HASH_SHOWN]
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.refused is not None:
                return TEXT["refused_tip"].format(reason=item.refused)
            if index.column() == COL_B_HASH:
                return item.sha256
            return self.text(index.row(), index.column()) or None
        if role == Qt.ItemDataRole.ForegroundRole and item.refused is not None:
            return theme.ERROR_COLOUR
        return None


def _table(parent: QWidget, name: str, model: RowListModel, stretch: int) -> QTableView:
    view = record_table(parent, name, model)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class OutboxPage(Page):
    """The letters and bundles sent (and, at a centre, received)."""

    key = "outbox"
    title = TEXT["title"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAcceptDrops(True)
        self.toolbar = QToolBar(self)
        add = partial(toolbar_action, self.toolbar, TEXT)
        self.toolbar.setObjectName("outboxToolbar")
        self.send_action = add("send", self.send)
        self.import_action = add("import", lambda: self.import_bundles())
        self.open_action = add("open", self.open_selected)
        self.conflicts_action = add("conflicts", self.show_conflicts)

        self.letters_model = LettersModel(ctx, self)
        self.bundles_model = BundlesModel(ctx, self)
        self.letters = _table(self, "lettersTable", self.letters_model, COL_L_SUBJECT)
        self.bundles = _table(self, "bundlesTable", self.bundles_model, COL_B_COUNTS)
        self.letters_empty = QLabel(TEXT["no_letters"], self)
        self.bundles_empty = QLabel(TEXT["no_bundles"], self)
        for label in (self.letters_empty, self.bundles_empty):
            label.setWordWrap(True)
            label.setStyleSheet(f"color: {theme.MUTED};")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("outboxTabs")
        for view, empty in ((self.letters, self.letters_empty),
                            (self.bundles, self.bundles_empty)):
            holder = QWidget(self.tabs)
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 4, 0, 0)
            column.addWidget(view, 1)
            column.addWidget(empty)
            self.tabs.addTab(holder, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.tabs, 1)

        self.letters.doubleClicked.connect(lambda _index: self.open_selected())
        self.bundles.doubleClicked.connect(lambda _index: self.open_selected())
        self.letters.activated.connect(lambda _index: self.open_selected())
        self.bundles.activated.connect(lambda _index: self.open_selected())
        self.tabs.currentChanged.connect(lambda _i: self._update_actions())
        for view in (self.letters, self.bundles):
            view.selectionModel().currentChanged.connect(lambda *_a: self._update_actions())
        ctx.data_changed.connect(self._data_changed)
        ctx.settings_changed.connect(self.refresh)
        self.refresh()
        if bundle_merge.is_centre(ctx.db):
            self.show_bundles()  # a centre's outbox is mostly its inbox

    # --- the lists ----------------------------------------------------------------------

    def activated(self) -> None:
        """Shown: read the logs again (a letter written from a dialog, a bundle sent)."""
        self.refresh()

    def refresh(self) -> None:
        """Read the letters and the bundles log, newest first."""
        db = self.ctx.db
        letters = outbox.letters(db)
        bundles = outbox.bundles(db)
        self.letters_model.set_rows(letters)
        self.bundles_model.set_rows(bundles)
        style = self.ctx.date_style
        self.tabs.setTabText(0, TEXT["letters_tab"].format(n=number_text(len(letters), style)))
        self.tabs.setTabText(1, TEXT["bundles_tab"].format(n=number_text(len(bundles), style)))
        self.letters_empty.setVisible(not letters)
        self.bundles_empty.setVisible(not bundles)
        self.bundles.setColumnHidden(COL_B_UNIT, not any(b.direction == "in" for b in bundles))
        self.import_action.setVisible(outbox.import_offered(db))
        # A centre receives; it has no unit records of its own to send.
        self.send_action.setVisible(not bundle_merge.is_centre(db))
        self._update_actions()

    def _update_actions(self) -> None:
        self.conflicts_action.setVisible(bundle_merge.is_centre(self.ctx.db)
                                         and bool(outbox.conflicts(self.ctx.db)))
        self.open_action.setEnabled(self._selected() is not None)

    def _data_changed(self, table: str) -> None:
        if table in ("letters", "bundles", "bundle_conflicts"):
            self.refresh()

    def show_bundles(self) -> None:
        """Bring the bundles tab forward."""
        self.tabs.setCurrentIndex(1)

    def _selected(self) -> outbox.LetterRow | outbox.BundleRow | None:
        view, model = ((self.letters, self.letters_model) if self.tabs.currentIndex() == 0
                       else (self.bundles, self.bundles_model))
        index = view.currentIndex()
        if not index.isValid() or index.row() >= len(model.rows):
            return None
        return model.rows[index.row()]

    # --- actions ------------------------------------------------------------------------

    def open_selected(self) -> Path | None:
        """Open the selected letter's file, or the selected bundle's folder; a clear
        message when it is no longer where it was saved. Returns what was opened."""
        item = self._selected()
        if item is None:
            return None
        folders = send_bundle.searched_folders()
        remembered = export.place_of(item.sha256)  # written from this computer
        if remembered is not None:
            folders.insert(0, remembered.parent)
        found = outbox.find_file(item.file_name, item.sha256, folders)
        if found is None:
            shown = TEXT["folders_and"].join(f"«\u2066{f}\u2069»" for f in folders)
            export.warn(self, TEXT["missing_title"], TEXT["missing"].format(
                name=f"\u2068{item.file_name}\u2069", folders=shown))
            return None
        target = found.parent if isinstance(item, outbox.BundleRow) else found
        if not export.open_url(QUrl.fromLocalFile(str(target))):
            export.warn(self, TEXT["missing_title"],
                        TEXT["cant_open"].format(name=f"\u2068{found.name}\u2069"))
            return None
        return target

    def send(self) -> send_bundle.SendDialog:
        """«إرسال إلى الوزارة…»."""
        self.show_bundles()
        return send_bundle.send_to_ministry(self, self.ctx)

    def import_bundles(self, paths: list[Path] | None = None
                       ) -> bundle_import_dialog.BundleImportDialog:
        """«استيراد حزم المديريات…», with ``paths`` listed already (dropped files)."""
        self.show_bundles()
        dialog = bundle_import_dialog.BundleImportDialog(self.ctx, self, paths)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()
        return dialog

    def show_conflicts(self) -> bundle_import_dialog.ConflictsDialog:
        """«التعارضات…»."""
        dialog = bundle_import_dialog.ConflictsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.refresh())  # resolved ones leave the page
        dialog.open()
        return dialog

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if outbox.import_offered(self.ctx.db) and \
                bundle_import_dialog.bundle_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = bundle_import_dialog.bundle_paths(event.mimeData().urls())
        if paths and outbox.import_offered(self.ctx.db):
            event.acceptProposedAction()
            self.import_bundles(paths)
