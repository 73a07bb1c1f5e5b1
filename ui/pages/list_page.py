"""What the list pages (activities, persons) share: a searched, paged table and its actions.

A :class:`ListPage` holds a :class:`~ui.table_models.FilteredTableModel` in a table, a
search box that runs the data core's Arabic search a quarter of a second after the last
key, a count under the table, and the actions every list has: open a record, move the
selection to the recycle bin (with an undo offer), open the recycle bin, and «تصدير إلى
Excel…»: the list as shown (filters, search and order, every row, not only those loaded)
to an .xlsx workbook (:mod:`exporters.xlsx_list`), written off the UI thread, then the
one-click open dialog. :func:`export_list` is that export for any list (the attendees tab
uses it too). It keeps the list up to date when its tables change, at once if shown,
else when next shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolBar,
    QWidget,
)

from models import recycle
from models.db import Database
from models.errors import IttisalError
from ui.context import AppContext
from ui.formatting import number_text
from ui.forms.form_base import run_modal
from ui.pages.base import Page
from ui.table_models import ExcelReader, FilteredTableModel
from ui.tasks import Progress, Task, run_task, show_error
from ui.widgets.toolbar import toolbar_action

TEXT = {
    "excel": "تصدير إلى Excel…",
    "excel_tip": "حفظ القائمة كما تظهر (بالتصفية والبحث والترتيب) في ملف Excel",
    "excel_save_title": "تصدير «{title}» إلى Excel",
    "excel_file_name": "{title} - {date}",
    "excel_reading": "جارٍ قراءة القائمة…",
    "excel_writing": "جارٍ كتابة «{name}»…",
    "excel_open_tip": "فتح الملف في البرنامج المعتاد (Excel مثلاً)",
}

SEARCH_DELAY_MS = 250
SEARCH_LIMIT = 500


def export_list(parent: QWidget, ctx: AppContext, *, title: str, file_name: str,
                read: ExcelReader) -> Task | None:
    """Export a list to Excel: ask where (``file_name`` suggested, without its suffix, in
    the last export folder), refuse the database's own files, then read (``read``, with
    the task's own connection) and write the workbook in the background with progress
    and cancel, and offer to open it. Returns the running task, or None if the user
    cancelled or the path was refused."""
    from ui import export  # with the exporters' registry: not needed for the first paint

    suggested = export.last_folder() / (export.safe_file_name(file_name) + ".xlsx")
    chosen = export.ask_save_path(parent, TEXT["excel_save_title"].format(title=title),
                                  suggested)
    if chosen is None:
        return None
    path = chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_name(chosen.name + ".xlsx")
    if export.refuse_output(parent, ctx.db.path, path):
        return None
    label = TEXT["excel_writing"].format(name=path.name)

    def work(progress: Progress, db: Database) -> Path:
        from exporters.xlsx_list import write_list

        progress.step(0, 0, TEXT["excel_reading"])
        table = read(db)
        progress.step(0, len(table.rows), label)
        return write_list(path, title, table.columns, table.rows,
                          progress=lambda done, total: progress.step(done, total))

    def done(result: Path) -> None:
        written = Path(result)
        export.remember_folder(written.parent)
        dialog = export.ExportResultDialog(written, parent)
        dialog.open_button.setToolTip(TEXT["excel_open_tip"])
        dialog.open()

    def failed(error: BaseException) -> None:
        if isinstance(error, OSError) and not isinstance(error, IttisalError):
            export.warn(parent, export.TEXT["error_title"], export.error_message(error, path))
        else:
            show_error(parent, error)

    return run_task(parent, work, on_done=done, on_failed=failed, title=title,
                    db_path=ctx.db.path)


def excel_file_name(title: str) -> str:
    """The name offered for a list's workbook: its title and today's date."""
    return TEXT["excel_file_name"].format(title=title, date=dt.date.today().isoformat())


def search_text(query: str) -> str:
    """What the search box's text asks of the index: as typed, the last word as a word
    beginning (so the list narrows while a word is still being typed)."""
    query = query.strip()
    return f"{query}*" if query else ""


class ListPage(Page):
    """A page listing one type of record, searchable, with new/edit/delete actions.

    Subclasses set ``TEXT`` (their module's Arabic texts: the action names and tips,
    ``count``, ``capped``, and the ``confirm_*``/``deleted_*`` texts of a deletion),
    ``RECORD`` (the record class the recycle bin moves), ``TABLE`` (the table announced
    when records go or come back), ``WATCHED`` (the tables whose changes the list shows),
    ``SELECT_COLUMN`` (the column a selection's current index is on) and
    ``NATURAL_SORT`` (the header's sort indicator without a search). They build their
    widgets with the ``_make_*`` helpers, call :meth:`_connect_list` once ``model``,
    ``table``, ``search_box`` and ``count_label`` exist, and implement
    :meth:`_wanted_filter`, :meth:`_open_form` and :meth:`_record_fields`.
    """

    TEXT: ClassVar[dict[str, Any]] = {}
    RECORD: ClassVar[type] = object
    TABLE = ""
    WATCHED: ClassVar[tuple[str, ...]] = ()
    SELECT_COLUMN = 0
    NATURAL_SORT: ClassVar[tuple[int, Qt.SortOrder]] = (0, Qt.SortOrder.AscendingOrder)

    model: FilteredTableModel
    table: QTableView
    toolbar: QToolBar
    excel_action: QAction
    search_box: QLineEdit
    count_label: QLabel
    search_timer: QTimer

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stale = False
        self._query = ""
        self._hits: tuple[str, ...] | None = None

    # --- what subclasses provide ------------------------------------------------------

    def _wanted_filter(self) -> Any:
        """The filter the page's widgets and search box describe (running the search,
        its hits in ``self._hits``)."""
        raise NotImplementedError

    def _open_form(self, record_id: str | None = None) -> None:
        """The record (None: a new one) in its form."""
        raise NotImplementedError

    def _record_fields(self, row: Any) -> dict[str, str]:
        """What the ``confirm_one``/``deleted_one`` texts name a record by."""
        raise NotImplementedError

    def _count_detail(self) -> str:
        """Text the count adds before a capped search's note (by default none)."""
        return ""

    def _excel_file_name(self) -> str:
        """The name offered for the list's workbook (without ".xlsx")."""
        return excel_file_name(self.title)

    # --- building -----------------------------------------------------------------------

    def _make_toolbar(self) -> QToolBar:
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return self.toolbar

    def _action(self, name: str, slot: Callable[[], None]) -> QAction:
        return toolbar_action(self.toolbar, self.TEXT, name, slot)

    def _make_search_box(self) -> QLineEdit:
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText(self.TEXT["search"])
        self.search_box.setClearButtonEnabled(True)
        return self.search_box

    def _table(self, name: str, model, widths: dict[int, str], stretch: int) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        width = self.fontMetrics().horizontalAdvance
        for column, sample in widths.items():
            header.resizeSection(column, width(sample))
        return table

    def _make_count_label(self) -> QLabel:
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        return self.count_label

    def _make_excel_action(self) -> QAction:
        # At the toolbar's end, after the page's own actions: every list has it.
        self.toolbar.addSeparator()
        self.excel_action = self.toolbar.addAction(TEXT["excel"])
        self.excel_action.setObjectName("excelAction")
        self.excel_action.setToolTip(TEXT["excel_tip"])
        self.excel_action.triggered.connect(self.export_excel)
        return self.excel_action

    def _connect_list(self) -> None:
        """Wire the search box's delay, opening a row, keeping up to date, and add
        «تصدير إلى Excel…» to the toolbar."""
        self._make_excel_action()
        self.model.modelReset.connect(self._update_excel_action)
        self._update_excel_action()
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply)
        self.search_box.textChanged.connect(self.search_timer.start)
        self.search_box.returnPressed.connect(self._search_now)
        self.table.activated.connect(self._activated)
        self.ctx.data_changed.connect(self._data_changed)
        self.ctx.settings_changed.connect(self._settings_changed)

    # --- search -------------------------------------------------------------------------

    def apply(self) -> None:
        """Narrow the list to what the filters and the search box say."""
        self.search_timer.stop()
        before, self._query = self._query, search_text(self.search_box.text())
        started, stopped = bool(self._query and not before), bool(before and not self._query)
        selected = self.selected_ids()
        where = self._wanted_filter()
        if started or stopped:
            # A new search shows its best hits first; without one, the natural order.
            self._show_sort((-1, Qt.SortOrder.AscendingOrder) if started else self.NATURAL_SORT)
        self.model.set_filter(where, natural_order=started or stopped)
        self._update_count()
        self._select(selected)

    def _show_sort(self, indicator: tuple[int, Qt.SortOrder]) -> None:
        # The header shows the order without asking the view to sort (the model does it).
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(*indicator)
        header.blockSignals(False)
        header.viewport().update()

    def _search_now(self) -> None:
        if self.search_timer.isActive():
            self.apply()

    # --- selection ----------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        """The ids of the selected records, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.id_at(row) for row in rows]

    def current_id(self) -> str | None:
        """The record under the cursor, else the first selected one."""
        index = self.table.currentIndex()
        selected = self.selected_ids()
        if index.isValid() and self.model.id_at(index.row()) in selected:
            return self.model.id_at(index.row())
        return selected[0] if selected else None

    def _select(self, ids: list[str]) -> None:
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for number, record_id in enumerate(i for i in ids if self.model.row_of(i) >= 0):
            index = self.model.index(self.model.row_of(record_id), self.SELECT_COLUMN)
            if number == 0:
                selection.setCurrentIndex(index, flags)
            else:
                selection.select(index, flags)

    def _update_count(self) -> None:
        style = self.ctx.date_style
        text = self.TEXT["count"].format(n=number_text(self.model.total, style))
        text += self._count_detail()
        if self._hits is not None and len(self._hits) >= SEARCH_LIMIT:
            text += self.TEXT["capped"].format(n=number_text(SEARCH_LIMIT, style))
        self.count_label.setText(text)

    # --- actions ------------------------------------------------------------------------

    def new_record(self) -> None:
        """A new record, in its form."""
        self._open_form(None)

    def edit_selected(self) -> None:
        """The selected record, in its form."""
        record_id = self.current_id()
        if record_id:
            self._open_form(record_id)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():  # Enter or a double click
            self._open_form(self.model.id_at(index.row()))

    def _confirm_text(self, rows: list[Any]) -> str:
        """The question asked before ``rows`` go to the recycle bin."""
        if len(rows) == 1:
            return self.TEXT["confirm_one"].format(**self._record_fields(rows[0]))
        return self.TEXT["confirm_many"].format(n=number_text(len(rows), self.ctx.date_style))

    def delete_selected(self) -> None:
        """Move the selected records to the recycle bin, after asking; offer undo."""
        ids = self.selected_ids()
        if not ids:
            return
        text = self.TEXT
        rows = [self.model.row_at(self.model.row_of(i)) for i in ids]
        from ui.recycle_bin import confirm  # loaded on first use, not for the first paint

        if not confirm(self, text["confirm_title"], self._confirm_text(rows),
                       text["yes_delete"], text["no"]):
            return
        db, record, table = self.ctx.db, self.RECORD, self.TABLE
        try:
            recycle.delete_many(db, record, ids)
        except IttisalError as exc:
            show_error(self, exc)
            return

        def undo() -> str:
            recycle.restore_many(db, record, ids)
            return table

        message = (text["deleted_one"].format(**self._record_fields(rows[0])) if len(rows) == 1
                   else text["deleted_many"].format(n=number_text(len(rows),
                                                                  self.ctx.date_style)))
        self.ctx.offer_undo(message, undo)
        self.ctx.changed(table)

    def _update_excel_action(self) -> None:
        self.excel_action.setEnabled(self.model.total > 0)

    def export_excel(self) -> Task | None:
        """Save the list as shown (filters, search, order; every row) to an Excel
        workbook, in the background, then offer to open it. None if not started."""
        self._search_now()  # what was just typed, not the list of a moment ago
        if self.model.total <= 0:
            return None
        return export_list(self, self.ctx, title=self.title,
                           file_name=self._excel_file_name(), read=self.model.excel_reader())

    def open_recycle_bin(self) -> None:
        """The recycle bin, to restore or remove deleted records."""
        from ui.recycle_bin import RecycleBinDialog

        dialog = RecycleBinDialog(self.ctx, self)
        run_modal(dialog)
        dialog.deleteLater()

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # --- keeping up to date -------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again (re-running the search), keeping the order and selection."""
        self._stale = False
        selected = self.selected_ids()
        where = self._wanted_filter()
        if where == self.model.filter:
            self.model.refresh()
        else:
            self.model.set_filter(where)
        self._update_count()
        self._select(selected)

    def _data_changed(self, table: str) -> None:
        if table not in self.WATCHED:
            return
        # A hidden page would re-read for nothing: it does so when next shown.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _settings_changed(self) -> None:
        self.model.set_style(self.ctx.date_style)
        self._update_count()

    def activated(self) -> None:
        if self._stale:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # Esc in the search box clears the search.
        if event.matches(QKeySequence.StandardKey.Cancel) and self.search_box.hasFocus() \
                and self.search_box.text():
            self.search_box.clear()
            self.apply()
            return
        super().keyPressEvent(event)
