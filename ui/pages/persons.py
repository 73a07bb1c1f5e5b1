"""The persons page: everyone who attended, a search, each person's history, edit, merge.

The list is a paged :class:`~ui.table_models.persons.PersonsModel`; the search box runs
the Arabic search a quarter of a second after the last key. Under the list, the selected
person's participation history (activities and certificate serials). Two selected rows
can be merged into one person (:mod:`ui.merge_dialog`).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models import search
from models.person_list import PersonFilter, PersonRow
from models.records import Person
from ui.context import AppContext
from ui.formatting import date_text, number_text
from ui.forms.form_base import run_modal
from ui.pages.list_page import SEARCH_DELAY_MS, SEARCH_LIMIT, ListPage
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

__all__ = ["SEARCH_DELAY_MS", "SEARCH_LIMIT", "TEXT", "WATCHED", "PersonsPage"]

# Tables whose changes the list shows (activities: binned ones stop counting).
WATCHED = ("persons", "attendance", "activities", "certificates")


class PersonsPage(ListPage):
    """Every person, searchable, with the selected one's participation history."""

    key = "persons"
    title = TEXT["title"]
    TEXT = TEXT
    RECORD = Person
    TABLE = "persons"
    WATCHED = WATCHED
    SELECT_COLUMN = COL_NAME
    NATURAL_SORT = (COL_NAME, Qt.SortOrder.AscendingOrder)  # by name

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._period: tuple[str | None, str | None] = (None, None)
        style = ctx.date_style
        self.model = PersonsModel(ctx.db, style, self)
        self.history_model = HistoryModel(ctx.db, style, self)

        self._make_toolbar()
        self.new_action = self._action("new", self.new_record)
        self.edit_action = self._action("edit", self.edit_selected)
        self.delete_action = self._action("delete", self.delete_selected)
        self.merge_action = self._action("merge", self.merge_selected)
        self.toolbar.addSeparator()
        self.bin_action = self._action("bin", self.open_recycle_bin)

        self._make_search_box()
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

        self._make_count_label()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self._connect_list()
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.history.activated.connect(self._history_activated)
        self.model.modelReset.connect(self._selection_changed)
        self._update_count()
        self._selection_changed()

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

    def _show_sort(self, indicator: tuple[int, Qt.SortOrder]) -> None:
        # Remembered, so that a click on the activities column can put it back.
        self._sorted = indicator
        super()._show_sort(indicator)

    def apply_filters(self, filters: dict) -> None:
        """Show what ``filters`` describe: ``query`` (or ``search``) for the search box,
        ``date_from``/``date_to`` for those who attended activities in that period."""
        self._period = (filters.get("date_from"), filters.get("date_to"))
        self.search_box.blockSignals(True)
        self.search_box.setText(str(filters.get("query") or filters.get("search") or ""))
        self.search_box.blockSignals(False)
        self.apply()

    # --- selection and history --------------------------------------------------------

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

    def _count_detail(self) -> str:
        start, end = self._period
        if not (start or end):
            return ""
        style = self.ctx.date_style
        parts = [TEXT["from"].format(date=date_text(start, style)) if start else "",
                 TEXT["to"].format(date=date_text(end, style)) if end else ""]
        return TEXT["period"].format(period=" ".join(p for p in parts if p))

    # --- actions ----------------------------------------------------------------------

    def _open_form(self, person_id: str | None) -> None:
        # Imported here: the form is only needed when it is opened.
        from ui.forms.person_form import PersonDialog

        dialog = PersonDialog(self.ctx, person_id, self)
        run_modal(dialog)
        dialog.deleteLater()

    def _history_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        from ui.forms.activity_form import ActivityDialog

        dialog = ActivityDialog(self.ctx, self.history_model.participation_at(index.row())
                                .activity_id, self)
        run_modal(dialog)
        dialog.deleteLater()

    def _record_fields(self, row: PersonRow) -> dict[str, str]:
        return {"name": row.full_name}

    def _confirm_text(self, rows: list[PersonRow]) -> str:
        # A person still on attendance lists stays there: say so before deleting.
        text = super()._confirm_text(rows)
        on_lists = sum(row.activities for row in rows)
        if on_lists:
            who = TEXT["on_lists_one"] if len(rows) == 1 else TEXT["on_lists_many"]
            text += TEXT["on_lists"].format(who=who, n=number_text(on_lists,
                                                                   self.ctx.date_style))
        return text

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

    # --- keeping up to date -------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list (re-running the search) and the history again."""
        super().refresh()
        self.history_model.refresh()
        self._update_history_label()

    def _settings_changed(self) -> None:
        super()._settings_changed()
        self.history_model.set_style(self.ctx.date_style)
        self._update_history_label()
