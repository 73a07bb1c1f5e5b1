"""The activities page: the list of every activity, its filters and search, and its actions.

The table is an :class:`~ui.table_models.activities.ActivitiesModel` (paged, sorted and
filtered by the database). Typing in the search box runs the data core's Arabic search
a quarter of a second after the last key; its hits, best first, become the list's
filter. New, edit and duplicate open the activity form; delete moves activities to the
recycle bin, with an undo offer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from models import recycle, search, vocab
from models.activities import ActivityFilter
from models.errors import IttisalError
from models.records import Activity
from ui.context import AppContext
from ui.formatting import number_text
from ui.forms.form_base import run_modal
from ui.pages.base import Page
from ui.recycle_bin import RecycleBinDialog, confirm
from ui.table_models.activities import (
    COL_DATES,
    COL_KIND,
    COL_PARTICIPANTS,
    COL_PLACE,
    COL_STATUS,
    COL_TITLE,
    ActivitiesModel,
)
from ui.tasks import show_error
from ui.widgets.date_edit import DateEdit

TEXT = {
    "title": "الأنشطة",
    "new": "جديد",
    "new_tip": "نشاط جديد (Ctrl+N)",
    "edit": "تعديل",
    "edit_tip": "تعديل النشاط المحدد (Enter)",
    "duplicate": "نسخ",
    "duplicate_tip": "نشاط جديد على مثال النشاط المحدد",
    "delete": "حذف",
    "delete_tip": "نقل المحدد إلى سلة المحذوفات (Delete)",
    "bin": "سلة المحذوفات",
    "bin_tip": "الأنشطة والمشاركون المحذوفون: استعادتهم أو حذفهم نهائياً",
    "kind": "النوع:",
    "status": "الحالة:",
    "all_kinds": "كل الأنواع",
    "all_statuses": "كل الحالات",
    "from": "من:",
    "to": "إلى:",
    "any_date": "أي تاريخ",
    "search": "ابحث في الأنشطة… (Ctrl+F)",
    "count": "عدد الأنشطة: {n}",
    # Column widths, as the width of a typical value (with room for the sort arrow).
    "widths": {COL_KIND: "زيارة ميدانية____", COL_DATES: "٢٢–٢٣ تشرين الثاني ٢٠٢٦____",
               COL_PLACE: "قاعة الاجتماعات في الجامعة", COL_PARTICIPANTS: "المشاركون____",
               COL_STATUS: "معتمد______"},
    "capped": " (أفضل {n} نتيجة للبحث)",
    "confirm_title": "حذف",
    "confirm_one": "هل تريد نقل النشاط «{title}» إلى سلة المحذوفات؟\n"
                   "يمكن استعادته من السلة خلال ٣٠ يوماً.",
    "confirm_many": "هل تريد نقل {n} من الأنشطة المحددة إلى سلة المحذوفات؟\n"
                    "يمكن استعادتها من السلة خلال ٣٠ يوماً.",
    "yes_delete": "نعم، انقل إلى السلة",
    "no": "لا",
    "deleted_one": "نُقل النشاط «{title}» إلى سلة المحذوفات",
    "deleted_many": "نُقل {n} من الأنشطة إلى سلة المحذوفات",
}

SEARCH_DELAY_MS = 250
SEARCH_LIMIT = 500
# Tables whose changes the list shows (attendance: the participants column).
WATCHED = ("activities", "attendance")


def search_text(query: str) -> str:
    """What the search box's text asks of the index: as typed, the last word as a word
    beginning (so the list narrows while a word is still being typed)."""
    query = query.strip()
    return f"{query}*" if query else ""


class ActivitiesPage(Page):
    """Every activity, filtered by kind, status, dates and a search, with its actions."""

    key = "activities"
    title = TEXT["title"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stale = False
        self._query = ""
        self._hits: tuple[str, ...] | None = None
        self.model = ActivitiesModel(ctx.db, ctx.date_style, self)

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = self._action("new", self.new_record)
        self.edit_action = self._action("edit", self.edit_selected)
        self.duplicate_action = self._action("duplicate", self.duplicate_selected)
        self.delete_action = self._action("delete", self.delete_selected)
        self.toolbar.addSeparator()
        self.bin_action = self._action("bin", self.open_recycle_bin)

        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindFilter")
        self.kind_combo.addItem(TEXT["all_kinds"], None)
        for kind, label in vocab.ACTIVITY_KINDS.items():
            self.kind_combo.addItem(label, kind)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusFilter")
        self.status_combo.addItem(TEXT["all_statuses"], None)
        for status, label in vocab.ACTIVITY_STATUSES.items():
            self.status_combo.addItem(label, status)
        self.date_from = DateEdit(ctx, self, placeholder=TEXT["any_date"])
        self.date_from.setObjectName("dateFrom")
        self.date_to = DateEdit(ctx, self, placeholder=TEXT["any_date"])
        self.date_to.setObjectName("dateTo")
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText(TEXT["search"])
        self.search_box.setClearButtonEnabled(True)

        filters = QHBoxLayout()
        for caption, widget in ((TEXT["kind"], self.kind_combo),
                                (TEXT["status"], self.status_combo),
                                (TEXT["from"], self.date_from), (TEXT["to"], self.date_to)):
            label = QLabel(caption, self)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addSpacing(12)
        filters.addWidget(self.search_box, 1)

        self.table = QTableView(self)
        self.table.setObjectName("activitiesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        width = self.fontMetrics().horizontalAdvance
        for column, sample in TEXT["widths"].items():
            header.resizeSection(column, width(sample))
        # The model already holds newest-first: show that, then let clicks re-sort.
        header.setSortIndicator(COL_DATES, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply)
        self.search_box.textChanged.connect(self.search_timer.start)
        self.search_box.returnPressed.connect(self._search_now)
        self.kind_combo.currentIndexChanged.connect(self.apply)
        self.status_combo.currentIndexChanged.connect(self.apply)
        self.date_from.changed.connect(self.search_timer.start)
        self.date_to.changed.connect(self.search_timer.start)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_count)
        self.model.modelReset.connect(self._update_actions)
        ctx.data_changed.connect(self._data_changed)
        ctx.settings_changed.connect(self._settings_changed)
        self._update_count()
        self._update_actions()

    def _action(self, name: str, slot: Callable[[], None]) -> QAction:
        action = self.toolbar.addAction(TEXT[name])
        action.setObjectName(f"{name}Action")
        action.setToolTip(TEXT[f"{name}_tip"])
        action.triggered.connect(slot)
        return action

    # --- filters and search ---------------------------------------------------------

    def current_filter(self) -> ActivityFilter:
        """The filter the widgets describe (without the search's hits)."""
        return ActivityFilter(date_from=self.date_from.value(), date_to=self.date_to.value(),
                              kind=self.kind_combo.currentData(),
                              status=self.status_combo.currentData())

    def _wanted_filter(self) -> ActivityFilter:
        """The filter the widgets and the search box describe (running the search)."""
        where = self.current_filter()
        self._hits = None
        if self._query:
            found = search.search(self.ctx.db.conn, self._query, limit=SEARCH_LIMIT,
                                  where=search.SearchFilter(
                                      types=("activity",), kind=where.kind, status=where.status,
                                      date_from=where.date_from, date_to=where.date_to))
            self._hits = tuple(hit.id for hit in found)
        return dataclasses.replace(where, ids=self._hits)

    def apply(self) -> None:
        """Narrow the list to what the filters and the search box say."""
        self.search_timer.stop()
        before, self._query = self._query, search_text(self.search_box.text())
        started, stopped = bool(self._query and not before), bool(before and not self._query)
        selected = self.selected_ids()
        where = self._wanted_filter()
        if started or stopped:
            # A new search shows its best hits first; without one, the newest first. The
            # header shows that without asking the view to sort (the model does it).
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(-1 if started else COL_DATES,
                                    Qt.SortOrder.AscendingOrder if started
                                    else Qt.SortOrder.DescendingOrder)
            header.blockSignals(False)
            header.viewport().update()
        self.model.set_filter(where, natural_order=started or stopped)
        self._update_count()
        self._select(selected)

    def _search_now(self) -> None:
        if self.search_timer.isActive():
            self.apply()

    def apply_filters(self, filters: dict) -> None:
        """Show what ``filters`` describe (kind, status, date_from, date_to, query); what
        they do not mention is cleared, so the list is exactly the one asked for."""
        widgets = (self.kind_combo, self.status_combo, self.date_from, self.date_to,
                   self.search_box)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            for combo, value in ((self.kind_combo, filters.get("kind")),
                                 (self.status_combo, filters.get("status"))):
                combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)
            self.date_from.setValue(filters.get("date_from"))
            self.date_to.setValue(filters.get("date_to"))
            self.search_box.setText(str(filters.get("query") or filters.get("search") or ""))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.apply()

    # --- selection --------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        """The ids of the selected activities, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.id_at(row) for row in rows]

    def current_id(self) -> str | None:
        """The activity under the cursor, else the first selected one."""
        index = self.table.currentIndex()
        selected = self.selected_ids()
        if index.isValid() and self.model.id_at(index.row()) in selected:
            return self.model.id_at(index.row())
        return selected[0] if selected else None

    def _select(self, ids: list[str]) -> None:
        selection = self.table.selectionModel()
        first = True
        for record_id in ids:
            row = self.model.row_of(record_id)
            if row < 0:
                continue
            flags = QItemSelectionModel.SelectionFlag.Select | \
                QItemSelectionModel.SelectionFlag.Rows
            if first:
                selection.setCurrentIndex(self.model.index(row, COL_TITLE), flags)
                first = False
            else:
                selection.select(self.model.index(row, COL_TITLE), flags)

    def _update_actions(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.edit_action.setEnabled(count >= 1)
        self.duplicate_action.setEnabled(count >= 1)
        self.delete_action.setEnabled(count >= 1)

    def _update_count(self) -> None:
        style = self.ctx.date_style
        text = TEXT["count"].format(n=number_text(self.model.total, style))
        if self._hits is not None and len(self._hits) >= SEARCH_LIMIT:
            text += TEXT["capped"].format(n=number_text(SEARCH_LIMIT, style))
        self.count_label.setText(text)

    # --- actions ----------------------------------------------------------------------

    def _open_form(self, activity_id: str | None = None, duplicate_of: str | None = None) -> None:
        # Imported here: the form is heavy, and only needed when a form is opened.
        from ui.forms.activity_form import ActivityDialog

        dialog = ActivityDialog(self.ctx, activity_id, self, duplicate_of=duplicate_of)
        run_modal(dialog)
        dialog.deleteLater()

    def new_record(self) -> None:
        """A new activity, in the activity form."""
        self._open_form()

    def edit_selected(self) -> None:
        """The selected activity, in the activity form."""
        activity_id = self.current_id()
        if activity_id:
            self._open_form(activity_id)

    def duplicate_selected(self) -> None:
        """A new activity that starts as a copy of the selected one."""
        activity_id = self.current_id()
        if activity_id:
            self._open_form(duplicate_of=activity_id)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():  # Enter or a double click
            self._open_form(self.model.id_at(index.row()))

    def delete_selected(self) -> None:
        """Move the selected activities to the recycle bin, after asking; offer undo."""
        ids = self.selected_ids()
        if not ids:
            return
        first = self.model.row_at(self.model.row_of(ids[0]))
        text = (TEXT["confirm_one"].format(title=first.title) if len(ids) == 1 else
                TEXT["confirm_many"].format(n=number_text(len(ids), self.ctx.date_style)))
        if not confirm(self, TEXT["confirm_title"], text, TEXT["yes_delete"], TEXT["no"]):
            return
        db = self.ctx.db
        try:
            recycle.delete_many(db, Activity, ids)
        except IttisalError as exc:
            show_error(self, exc)
            return

        def undo() -> str:
            recycle.restore_many(db, Activity, ids)
            return "activities"

        message = (TEXT["deleted_one"].format(title=first.title) if len(ids) == 1 else
                   TEXT["deleted_many"].format(n=number_text(len(ids), self.ctx.date_style)))
        self.ctx.offer_undo(message, undo)
        self.ctx.changed("activities")

    def open_recycle_bin(self) -> None:
        """The recycle bin, to restore or remove deleted records."""
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
        if table not in WATCHED:
            return
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
