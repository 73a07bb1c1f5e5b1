"""The activities page: the list of every activity, its filters and search, and its actions.

The table is an :class:`~ui.table_models.activities.ActivitiesModel` (paged, sorted and
filtered by the database). Typing in the search box runs the data core's Arabic search
a quarter of a second after the last key; its hits, best first, become the list's
filter. New, edit and duplicate open the activity form (a new activity is selected in
the list once its form closes); «شهادات المشاركين» opens the selected activity's
certificates window; delete moves activities to the recycle bin, with an undo offer.
«اعتماد» approves the selected activities (several at once) in the approver's name
(:mod:`models.approval`), after asking; the status filter also offers «بانتظار الاعتماد»
and «لم يُرسل بعد» (``apply_filters({"approval": "pending" | "unsent"})``).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import approval, search, vocab
from models.activities import APPROVAL_FILTERS, ActivityFilter, ActivityRow
from models.errors import IttisalError
from models.records import Activity
from ui.context import AppContext
from ui.formatting import number_text
from ui.forms.form_base import ask, run_modal
from ui.pages.list_page import SEARCH_DELAY_MS, SEARCH_LIMIT, ListPage, search_text
from ui.table_models.activities import (
    COL_DATES,
    COL_DIRECTORATE,
    COL_KIND,
    COL_PARTICIPANTS,
    COL_PLACE,
    COL_STATUS,
    COL_TITLE,
    ActivitiesModel,
)
from ui.tasks import show_error
from ui.widgets.date_edit import DateEdit
from ui.widgets.unit_filter import TEXT as UNIT_TEXT
from ui.widgets.unit_filter import UnitFilter

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
    # At a ministry centre only: which unit's activities the list shows (the words are
    # ui.widgets.unit_filter's; kept here for the tests and screenshots that read them).
    "directorate": UNIT_TEXT["directorate"],
    "all_directorates": UNIT_TEXT["all_directorates"],
    # Approval filters, after the statuses (models.activities.APPROVAL_FILTERS).
    "pending": "بانتظار الاعتماد",
    "unsent": "لم يُرسل بعد",
    "approve": "اعتماد",
    "approve_tip": "اعتماد الأنشطة المحددة باسم المعتمِد المختار في الإعدادات",
    "approve_title": "اعتماد",
    "approve_one": "اعتماد النشاط «{title}» باسم {by}؟",
    "approve_many": "اعتماد {n} من الأنشطة المحددة باسم {by}؟",
    "yes_approve": "نعم، اعتمد",
    "from": "من:",
    "to": "إلى:",
    "any_date": "أي تاريخ",
    "search": "ابحث في الأنشطة… (Ctrl+F)",
    "count": "عدد الأنشطة: {n}",
    # Column widths, as the width of a typical value (with room for the sort arrow).
    "widths": {COL_KIND: "زيارة ميدانية____", COL_DATES: "٢٢–٢٣ تشرين الثاني ٢٠٢٦____",
               COL_PLACE: "قاعة الاجتماعات في الجامعة", COL_PARTICIPANTS: "المشاركون____",
               COL_STATUS: "عُدّل بعد الإرسال___"},
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
    # export (issue 4); the menu entries' names are ui.export's
    "export": "تصدير",
    "export_tip": ("تصدير: تقرير خبري أو كشف حضور أو شهادات المشاركين للنشاط المحدد، "
                   "أو تقرير دوري أو كتاب رسمي"),
    "certificates": "شهادات المشاركين…",
    "certificates_button": "شهادات المشاركين",
    "certificates_button_tip": "شهادات المشاركين في النشاط المحدد: اختيارهم وطباعتها أو حفظها",
}

__all__ = ["SEARCH_DELAY_MS", "SEARCH_LIMIT", "TEXT", "WATCHED", "ActivitiesPage",
           "search_text"]

# Tables whose changes the list shows (attendance: the participants column).
WATCHED = ("activities", "attendance")


class ActivitiesPage(ListPage):
    """Every activity, filtered by kind, status, dates and a search, with its actions."""

    key = "activities"
    title = TEXT["title"]
    TEXT = TEXT
    RECORD = Activity
    TABLE = "activities"
    WATCHED = WATCHED
    SELECT_COLUMN = COL_TITLE
    NATURAL_SORT = (COL_DATES, Qt.SortOrder.DescendingOrder)  # newest first

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = ActivitiesModel(ctx.db, ctx.date_style, self)

        self._make_toolbar()
        self.new_action = self._action("new", self.new_record)
        self.edit_action = self._action("edit", self.edit_selected)
        self.duplicate_action = self._action("duplicate", self.duplicate_selected)
        self.delete_action = self._action("delete", self.delete_selected)
        self.approve_action = self._action("approve", self.approve_selected)
        self.toolbar.addSeparator()
        self.bin_action = self._action("bin", self.open_recycle_bin)
        self.toolbar.addSeparator()
        self._make_export_menu()  # export (issue 4)
        # The commonest job after a workshop: one click from the list, not in a menu.
        self.certificates_action = self._action("certificates_button", self.open_certificates)

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
        self.status_combo.insertSeparator(self.status_combo.count())
        for state in APPROVAL_FILTERS:
            self.status_combo.addItem(TEXT[state], state)
        # At a ministry centre only: which unit's activities the list shows.
        self.unit_filter = UnitFilter("activities", self)
        self.unit_combo, self.unit_label = self.unit_filter.combo, self.unit_filter.label
        self.date_from = DateEdit(ctx, self, placeholder=TEXT["any_date"])
        self.date_from.setObjectName("dateFrom")
        self.date_to = DateEdit(ctx, self, placeholder=TEXT["any_date"])
        self.date_to.setObjectName("dateTo")
        self._make_search_box()

        filters = QHBoxLayout()
        for caption, widget in ((TEXT["kind"], self.kind_combo),
                                (TEXT["status"], self.status_combo),
                                (TEXT["from"], self.date_from), (TEXT["to"], self.date_to)):
            label = QLabel(caption, self)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self.unit_filter)
        filters.addSpacing(12)
        filters.addWidget(self.search_box, 1)

        self.table = self._table("activitiesTable", self.model, TEXT["widths"], COL_TITLE)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        # The model already holds newest-first: show that, then let clicks re-sort.
        header.setSortIndicator(COL_DATES, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)

        self._make_count_label()

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._connect_list()
        self.kind_combo.currentIndexChanged.connect(self.apply)
        self.status_combo.currentIndexChanged.connect(self.apply)
        self.unit_filter.changed.connect(self.apply)
        self._load_units()
        self.date_from.changed.connect(self.search_timer.start)
        self.date_to.changed.connect(self.search_timer.start)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_count)
        self.model.modelReset.connect(self._update_actions)
        self._update_count()
        self._update_actions()

    # --- filters and search ---------------------------------------------------------

    def current_filter(self) -> ActivityFilter:
        """The filter the widgets describe (without the search's hits)."""
        chosen = self.status_combo.currentData()
        state = chosen if chosen in APPROVAL_FILTERS else None
        return ActivityFilter(date_from=self.date_from.value(), date_to=self.date_to.value(),
                              kind=self.kind_combo.currentData(),
                              status=None if state else chosen, approval=state,
                              unit_id=self.unit_combo.currentData())

    def _load_units(self) -> None:
        """At a ministry centre, offer each unit whose activities it holds (by directorate)
        and show the directorate column; at a unit, neither. The choice made stays while
        its unit is still offered."""
        before = self.model.columnCount()
        self.model.set_units(self.unit_filter.load(self.ctx.db))
        if self.model.columnCount() > before:
            self.table.horizontalHeader().resizeSection(COL_DIRECTORATE,
                                                        self.unit_filter.column_width())

    def refresh(self) -> None:
        """Read the list again; at a centre, the units offered too (a bundle may have
        brought a new one)."""
        self._load_units()
        super().refresh()

    def _wanted_filter(self) -> ActivityFilter:
        """The filter the widgets and the search box describe (running the search)."""
        where = self.current_filter()
        self._hits = None
        # The search knows statuses, not approval states: the list's filter narrows its hits.
        if self._query:
            found = search.search(self.ctx.db.conn, self._query, limit=SEARCH_LIMIT,
                                  where=search.SearchFilter(
                                      types=("activity",), kind=where.kind, status=where.status,
                                      date_from=where.date_from, date_to=where.date_to))
            self._hits = tuple(hit.id for hit in found)
        return dataclasses.replace(where, ids=self._hits)

    def apply_filters(self, filters: dict) -> None:
        """Show what ``filters`` describe (kind, status or approval, unit_id at a centre,
        date_from, date_to, query); what they do not mention is cleared, so the list is
        exactly the one asked for."""
        widgets = (self.kind_combo, self.status_combo, self.unit_combo, self.date_from,
                   self.date_to, self.search_box)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            for combo, value in ((self.kind_combo, filters.get("kind")),
                                 (self.status_combo,
                                  filters.get("approval") or filters.get("status")),
                                 (self.unit_combo, filters.get("unit_id"))):
                combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)
            self.date_from.setValue(filters.get("date_from"))
            self.date_to.setValue(filters.get("date_to"))
            self.search_box.setText(str(filters.get("query") or filters.get("search") or ""))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.apply()

    # --- selection --------------------------------------------------------------------

    def _update_actions(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.edit_action.setEnabled(count >= 1)
        self.duplicate_action.setEnabled(count >= 1)
        self.delete_action.setEnabled(count >= 1)
        self.approve_action.setEnabled(count >= 1)
        for action in self._activity_exports or ():  # export (issue 4), once filled
            action.setEnabled(count >= 1)
        self.certificates_action.setEnabled(count >= 1)

    # --- actions ----------------------------------------------------------------------

    def _open_form(self, activity_id: str | None = None, duplicate_of: str | None = None,
                   *, import_list: bool = False) -> None:
        # Imported here: the form is heavy, and only needed when a form is opened.
        from ui.forms.activity_form import ActivityDialog

        dialog = ActivityDialog(self.ctx, activity_id, self, duplicate_of=duplicate_of,
                                import_list=import_list)
        run_modal(dialog)
        saved = dialog.activity_id  # read before Qt deletes the dialog
        dialog.deleteLater()
        if saved and activity_id is None:
            self.show_activity(saved)

    def new_with_list(self) -> None:
        """A new activity whose form offers to choose its attendees' list (the dashboard's
        «استيراد قائمة حضور»)."""
        self._open_form(import_list=True)

    def show_activity(self, activity_id: str) -> None:
        """Select ``activity_id`` in the list (the one just made: what the user does next,
        certificates or a report, is about it), scrolled into view. Filters or a search
        left from earlier that hide it are cleared: a new activity missing from the list
        would look unsaved."""
        if self._stale or self.model.row_of(activity_id) < 0:
            self.refresh()
        if self.model.row_of(activity_id) < 0:
            self.apply_filters({})
        row = self.model.row_of(activity_id)
        if row < 0:  # binned meanwhile
            return
        self.table.selectionModel().clearSelection()
        self._select([activity_id])
        self.table.scrollTo(self.model.index(row, COL_TITLE))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def approve_selected(self) -> None:
        """Approve the selected activities in the approver's name, after asking (no
        approver set: the refusal says where to set one)."""
        ids = self.selected_ids()
        if not ids:
            return
        try:
            by = approval.require_approver(self.ctx.db)
        except IttisalError as exc:
            show_error(self, exc)
            return
        rows = [self.model.row_at(self.model.row_of(i)) for i in ids]
        question = (TEXT["approve_one"].format(title=rows[0].title, by=by) if len(ids) == 1
                    else TEXT["approve_many"].format(
                        n=number_text(len(ids), self.ctx.date_style), by=by))
        if not ask(self, TEXT["approve_title"], question, yes=TEXT["yes_approve"],
                   no=TEXT["no"]):
            return
        try:
            approval.approve(self.ctx.db, "activity", ids, by=by)
        except IttisalError as exc:
            show_error(self, exc)
            return
        self.ctx.changed("activities")

    def duplicate_selected(self) -> None:
        """A new activity that starts as a copy of the selected one."""
        activity_id = self.current_id()
        if activity_id:
            self._open_form(duplicate_of=activity_id)

    # --- export (issue 4) ---------------------------------------------------------------

    def _make_export_menu(self) -> None:
        """"تصدير" with the document kinds: the selected activity's, or a period's. The
        menu fills when first opened (:meth:`_fill_export_menu`)."""
        self.export_action = self._action("export", lambda: None)
        self._export_menu = QMenu(self)
        self._export_menu.setObjectName("exportMenu")
        self._export_menu.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.export_action.setMenu(self._export_menu)
        button = self.toolbar.widgetForAction(self.export_action)
        if isinstance(button, QToolButton):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._activity_exports: list[QAction] | None = None
        self._export_menu.aboutToShow.connect(self._fill_export_menu)

    def _fill_export_menu(self) -> list[QAction]:
        """Fill the menu with the document kinds of exporters.registry, once: the
        selected activity's, then the others; returns the activity's entries. Loading the
        registry (every kind's module and declarations) waits until the menu is first
        wanted: the first window shows sooner without it."""
        if self._activity_exports is None:
            from ui import export_menu

            self._activity_exports = export_menu.fill_menu(self._export_menu, self,
                                                           self.ctx, self.current_id)
            chosen = bool(self.table.selectionModel().selectedRows())
            for action in self._activity_exports:
                action.setEnabled(chosen)
        return self._activity_exports

    @property
    def export_menu(self) -> QMenu:
        """The "تصدير" menu, filled."""
        self._fill_export_menu()
        return self._export_menu

    @property
    def activity_exports(self) -> list[QAction]:
        """The export menu's entries for the selected activity (enabled while one is)."""
        return self._fill_export_menu()

    def export_selected(self, kind: str) -> None:
        """Export a document of the selected activity (the news report via its editor)."""
        activity_id = self.current_id()
        if not activity_id:
            return
        if kind == "news":
            from ui.forms.news_editor import NewsEditorDialog

            run_modal(NewsEditorDialog(self.ctx, activity_id, self))
        else:
            from ui import export

            export.export_document(self, self.ctx, kind, activity_id=activity_id)

    def open_certificates(self) -> None:
        """The certificates window of the selected activity."""
        activity_id = self.current_id()
        if activity_id:
            from ui.certificates.dialog import CertificatesDialog

            run_modal(CertificatesDialog(self.ctx, activity_id, self))

    def export_periodic(self) -> None:
        """Choose a period, then export its periodic report."""
        from ui import export

        dialog = export.PeriodDialog(self.ctx, self)
        period = dialog.period() if run_modal(dialog) else None
        if period:
            export.export_document(self, self.ctx, "periodic", date_from=period[0],
                                   date_to=period[1], **dialog.options())

    def _record_fields(self, row: ActivityRow) -> dict[str, str]:
        return {"title": row.title}
