"""The persons page: everyone who attended, a search, each person's history, edit, merge.

The list is a paged :class:`~ui.table_models.persons.PersonsModel`; the search box runs
the Arabic search a quarter of a second after the last key. Under the list, the selected
person's participation history (activities and certificate serials). Two selected rows
can be merged into one person (:mod:`ui.merge_dialog`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from models import recycle, search
from models.errors import IttisalError
from models.person_list import PersonFilter
from models.records import Person
from ui.context import AppContext
from ui.formatting import date_text, number_text
from ui.forms.form_base import run_modal
from ui.pages.base import Page
from ui.recycle_bin import RecycleBinDialog, confirm
from ui.table_models.persons import (
    COL_ACTIVITIES,
    COL_GENDER,
    COL_JOB,
    COL_NAME,
    COL_PHONE,
    H_DATES,
    H_DAYS,
    H_KIND,
    H_TITLE,
    SORT_KEYS,
    HistoryModel,
    PersonsModel,
)
from ui.tasks import show_error

TEXT = {
    "title": "المشاركون",
    "new": "جديد",
    "new_tip": "مشارك جديد (Ctrl+N)",
    "edit": "تعديل",
    "edit_tip": "تعديل بيانات المشارك المحدد (Enter)",
    "delete": "حذف",
    "delete_tip": "نقل المحدد إلى سلة المحذوفات (Delete)",
    "merge": "دمج",
    "merge_tip": "حدد سجلين لشخص واحد لدمجهما في سجل واحد",
    "bin": "سلة المحذوفات",
    "bin_tip": "الأنشطة والمشاركون المحذوفون: استعادتهم أو حذفهم نهائياً",
    "search": "ابحث بالاسم أو الجهة أو الهاتف… (Ctrl+F)",
    "count": "عدد المشاركين: {n}",
    "period": " — من حضروا أنشطة {period}",
    "from": "من {date}",
    "to": "حتى {date}",
    "capped": " (أفضل {n} نتيجة للبحث)",
    "history": "المشاركات",
    "history_of": "مشاركات {name}: {n}",
    "no_history": "حدّد مشاركاً لترى الأنشطة التي حضرها.",
    "confirm_title": "حذف",
    "confirm_one": "هل تريد نقل «{name}» إلى سلة المحذوفات؟",
    "confirm_many": "هل تريد نقل {n} من المشاركين المحددين إلى سلة المحذوفات؟",
    "on_lists": "\n\nتنبيه: {who} في قوائم حضور {n} من الأنشطة. يبقى الاسم في تلك القوائم "
                "وفي شهاداتها، ولا يُحذف نهائياً من السلة ما دام فيها.",
    "on_lists_one": "هذا المشارك مسجّل",
    "on_lists_many": "المشاركون المحددون مسجّلون",
    "yes_delete": "نعم، انقل إلى السلة",
    "no": "لا",
    "deleted_one": "نُقل «{name}» إلى سلة المحذوفات",
    "deleted_many": "نُقل {n} من المشاركين إلى سلة المحذوفات",
    "widths": {COL_NAME: "زينب علي حسين عبد الرضا الأسدي", COL_GENDER: "أنثى (مخمّن)__",
               COL_JOB: "منسق الاتصال الحكومي", COL_PHONE: "+964 770 000 0000__",
               COL_ACTIVITIES: "الأنشطة____"},
    "history_widths": {H_KIND: "زيارة ميدانية____", H_DATES: "٢٢–٢٣ تشرين الثاني ٢٠٢٦__",
                       H_DAYS: "أيام الحضور__"},
}

SEARCH_DELAY_MS = 250
SEARCH_LIMIT = 500
# Tables whose changes the list shows (activities: binned ones stop counting).
WATCHED = ("persons", "attendance", "activities", "certificates")


class PersonsPage(Page):
    """Every person, searchable, with the selected one's participation history."""

    key = "persons"
    title = TEXT["title"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stale = False
        self._query = ""
        self._hits: tuple[str, ...] | None = None
        self._period: tuple[str | None, str | None] = (None, None)
        style = ctx.date_style
        self.model = PersonsModel(ctx.db, style, self)
        self.history_model = HistoryModel(ctx.db, style, self)

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = self._action("new", self.new_record)
        self.edit_action = self._action("edit", self.edit_selected)
        self.delete_action = self._action("delete", self.delete_selected)
        self.merge_action = self._action("merge", self.merge_selected)
        self.toolbar.addSeparator()
        self.bin_action = self._action("bin", self.open_recycle_bin)

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText(TEXT["search"])
        self.search_box.setClearButtonEnabled(True)
        top = QHBoxLayout()
        top.addWidget(self.toolbar)
        top.addWidget(self.search_box, 1)

        self.table = self._table("personsTable", self.model, TEXT["widths"], COL_NAME)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # Counting every person's activities to sort by them takes seconds on a large
        # file: that column does not sort (a click keeps the order and its arrow).
        self._sorted = (COL_NAME, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)

        self.history_label = QLabel(TEXT["no_history"], self)
        self.history_label.setObjectName("historyLabel")
        self.history = self._table("historyTable", self.history_model,
                                   TEXT["history_widths"], H_TITLE)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        below = QWidget(self)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.history_label)
        below_layout.addWidget(self.history, 1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply)
        self.search_box.textChanged.connect(self.search_timer.start)
        self.search_box.returnPressed.connect(self._search_now)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.history.activated.connect(self._history_activated)
        self.model.modelReset.connect(self._selection_changed)
        ctx.data_changed.connect(self._data_changed)
        ctx.settings_changed.connect(self._settings_changed)
        self._update_count()
        self._selection_changed()

    def _action(self, name: str, slot: Callable[[], None]) -> QAction:
        action = self.toolbar.addAction(TEXT[name])
        action.setObjectName(f"{name}Action")
        action.setToolTip(TEXT[f"{name}_tip"])
        action.triggered.connect(slot)
        return action

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

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column in SORT_KEYS or column < 0:
            self._sorted = (column, order)
            return
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(*self._sorted)
        header.blockSignals(False)

    # --- search -----------------------------------------------------------------------

    def _wanted_filter(self) -> PersonFilter:
        self._hits = None
        if self._query:
            found = search.search(self.ctx.db.conn, self._query, limit=SEARCH_LIMIT,
                                  where=search.SearchFilter(types=("person",)))
            self._hits = tuple(hit.id for hit in found)
        return PersonFilter(ids=self._hits, date_from=self._period[0], date_to=self._period[1])

    def apply(self) -> None:
        """Narrow the list to what the search box says."""
        self.search_timer.stop()
        text = self.search_box.text().strip()
        before, self._query = self._query, f"{text}*" if text else ""
        started, stopped = bool(self._query and not before), bool(before and not self._query)
        selected = self.selected_ids()
        where = self._wanted_filter()
        if started or stopped:
            # A new search shows its best hits first; without one, by name. The header
            # shows that without asking the view to sort (the model does it).
            self._sorted = (-1, Qt.SortOrder.AscendingOrder) if started else \
                (COL_NAME, Qt.SortOrder.AscendingOrder)
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(*self._sorted)
            header.blockSignals(False)
            header.viewport().update()
        self.model.set_filter(where, natural_order=started or stopped)
        self._update_count()
        self._select(selected)

    def _search_now(self) -> None:
        if self.search_timer.isActive():
            self.apply()

    def apply_filters(self, filters: dict) -> None:
        """Show what ``filters`` describe: ``query`` (or ``search``) for the search box,
        ``date_from``/``date_to`` for those who attended activities in that period."""
        self._period = (filters.get("date_from"), filters.get("date_to"))
        self.search_box.blockSignals(True)
        self.search_box.setText(str(filters.get("query") or filters.get("search") or ""))
        self.search_box.blockSignals(False)
        self.apply()

    # --- selection and history --------------------------------------------------------

    def selected_ids(self) -> list[str]:
        """The ids of the selected persons, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.id_at(row) for row in rows]

    def current_id(self) -> str | None:
        """The person under the cursor, else the first selected one."""
        index = self.table.currentIndex()
        selected = self.selected_ids()
        if index.isValid() and self.model.id_at(index.row()) in selected:
            return self.model.id_at(index.row())
        return selected[0] if selected else None

    def _select(self, ids: list[str]) -> None:
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for number, record_id in enumerate(i for i in ids if self.model.row_of(i) >= 0):
            index = self.model.index(self.model.row_of(record_id), COL_NAME)
            if number == 0:
                selection.setCurrentIndex(index, flags)
            else:
                selection.select(index, flags)

    def _selection_changed(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.edit_action.setEnabled(count >= 1)
        self.delete_action.setEnabled(count >= 1)
        self.merge_action.setEnabled(count == 2)
        person_id = self.current_id() if count == 1 else None
        if person_id != self.history_model.person_id:
            self.history_model.set_person(person_id)
        self._update_history_label()

    def _update_history_label(self) -> None:
        person_id = self.history_model.person_id
        if person_id is None:
            self.history_label.setText(TEXT["no_history"])
            return
        row = self.model.row_at(self.model.row_of(person_id)) \
            if self.model.row_of(person_id) >= 0 else None
        name = row.full_name if row else ""
        self.history_label.setText(TEXT["history_of"].format(
            name=name, n=number_text(self.history_model.rowCount(), self.ctx.date_style)))

    def _update_count(self) -> None:
        style = self.ctx.date_style
        text = TEXT["count"].format(n=number_text(self.model.total, style))
        start, end = self._period
        if start or end:
            parts = [TEXT["from"].format(date=date_text(start, style)) if start else "",
                     TEXT["to"].format(date=date_text(end, style)) if end else ""]
            text += TEXT["period"].format(period=" ".join(p for p in parts if p))
        if self._hits is not None and len(self._hits) >= SEARCH_LIMIT:
            text += TEXT["capped"].format(n=number_text(SEARCH_LIMIT, style))
        self.count_label.setText(text)

    # --- actions ----------------------------------------------------------------------

    def _open_form(self, person_id: str | None) -> None:
        # Imported here: the form is only needed when it is opened.
        from ui.forms.person_form import PersonDialog

        dialog = PersonDialog(self.ctx, person_id, self)
        run_modal(dialog)
        dialog.deleteLater()

    def new_record(self) -> None:
        """A new person, in the person form."""
        self._open_form(None)

    def edit_selected(self) -> None:
        """The selected person, in the person form."""
        person_id = self.current_id()
        if person_id:
            self._open_form(person_id)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open_form(self.model.id_at(index.row()))

    def _history_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        from ui.forms.activity_form import ActivityDialog

        dialog = ActivityDialog(self.ctx, self.history_model.participation_at(index.row())
                                .activity_id, self)
        run_modal(dialog)
        dialog.deleteLater()

    def delete_selected(self) -> None:
        """Move the selected persons to the recycle bin, after asking; offer undo."""
        ids = self.selected_ids()
        if not ids:
            return
        style = self.ctx.date_style
        rows = [self.model.row_at(self.model.row_of(i)) for i in ids]
        text = (TEXT["confirm_one"].format(name=rows[0].full_name) if len(rows) == 1 else
                TEXT["confirm_many"].format(n=number_text(len(rows), style)))
        on_lists = sum(row.activities for row in rows)
        if on_lists:
            who = TEXT["on_lists_one"] if len(rows) == 1 else TEXT["on_lists_many"]
            text += TEXT["on_lists"].format(who=who, n=number_text(on_lists, style))
        if not confirm(self, TEXT["confirm_title"], text, TEXT["yes_delete"], TEXT["no"]):
            return
        db = self.ctx.db
        try:
            recycle.delete_many(db, Person, ids)
        except IttisalError as exc:
            show_error(self, exc)
            return

        def undo() -> str:
            recycle.restore_many(db, Person, ids)
            return "persons"

        message = (TEXT["deleted_one"].format(name=rows[0].full_name) if len(rows) == 1 else
                   TEXT["deleted_many"].format(n=number_text(len(rows), style)))
        self.ctx.offer_undo(message, undo)
        self.ctx.changed("persons")

    def merge_selected(self) -> None:
        """Merge the two selected persons into one, in the merge dialog."""
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        from ui.merge_dialog import MergeDialog

        dialog = MergeDialog(self.ctx, ids[0], ids[1], self)
        if run_modal(dialog) and dialog.kept is not None:
            self._select([dialog.kept.id])
        dialog.deleteLater()

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
        """Read the list (re-running the search) and the history again."""
        self._stale = False
        selected = self.selected_ids()
        where = self._wanted_filter()
        if where == self.model.filter:
            self.model.refresh()
        else:
            self.model.set_filter(where)
        self._update_count()
        self._select(selected)
        self.history_model.refresh()
        self._update_history_label()

    def _data_changed(self, table: str) -> None:
        if table not in WATCHED:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _settings_changed(self) -> None:
        style = self.ctx.date_style
        self.model.set_style(style)
        self.history_model.set_style(style)
        self._update_count()
        self._update_history_label()

    def activated(self) -> None:
        if self._stale:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.matches(QKeySequence.StandardKey.Cancel) and self.search_box.hasFocus() \
                and self.search_box.text():
            self.search_box.clear()
            self.apply()
            return
        super().keyPressEvent(event)
