"""The recommendations page (التوصيات): every recommendation raised at an activity, where
its follow-up stands, filters, and the selected one's history of notes.

Filters: status, overdue only, part of the addressee (applied a quarter of a second
after the last key, or at Enter), the activity's date range (and an activity, when
another page sends one). An overdue recommendation (its due date passed,
neither done nor impossible) says «متأخرة» in its status cell and is painted in the
error colour of :mod:`ui.widgets.theme`: a word, not a colour only. «إضافة متابعة…»
opens :class:`~ui.forms.recommendation_followup.FollowUpDialog`; «تقرير المتابعة…»
writes the follow-up report of the list as filtered (:mod:`exporters.registry`), and
«تصدير إلى Excel…» the list as filtered to a workbook, as every list page does
(:func:`ui.pages.list_page.export_list`; dates as dates).
The list is read through :func:`models.recommendations.list_recommendations`.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from exporters.xlsx_list import Column
from models import recommendations, vocab
from models.errors import IttisalError
from models.recommendations import RecommendationFilter, RecommendationRow
from ui.context import AppContext
from ui.formatting import date_text, index_text, number_text
from ui.forms.form_base import run_modal
from ui.pages.base import Page
from ui.pages.list_page import SEARCH_DELAY_MS, excel_file_name, export_list
from ui.pages.list_page import TEXT as LIST_TEXT
from ui.table_models import ExcelTable, RowListModel, UnitColumn
from ui.tasks import Task, show_error
from ui.widgets import theme
from ui.widgets.choice_box import choice_box
from ui.widgets.date_edit import DateEdit
from ui.widgets.toolbar import toolbar_action
from ui.widgets.unit_filter import TEXT as UNIT_TEXT
from ui.widgets.unit_filter import UnitFilter

TEXT = {
    "title": "التوصيات",
    "follow_up": "إضافة متابعة…",
    "follow_up_tip": "إضافة ملاحظة متابعة مؤرخة للتوصية المحددة وتغيير حالتها (Enter)",
    "report": "تقرير المتابعة…",
    "report_tip": "تقرير متابعة التوصيات الظاهرة في القائمة (ملف Word)",
    "open_activity": "فتح النشاط",
    "open_activity_tip": "فتح النشاط الذي رُفعت فيه التوصية المحددة",
    "all_statuses": "كل الحالات",
    "status": "الحالة:",
    "overdue_only": "المتأخرة فقط",
    "addressed_to": "الجهة:",
    "addressed_placeholder": "جزء من اسم الجهة…",
    "from": "من:",
    "to": "إلى:",
    "activity_only": "توصيات نشاط واحد",
    "clear": "مسح التصفية",
    "count": "عدد التوصيات: {n}",
    "overdue_count": "، المتأخرة منها: {n}",
    "headers": ("ت", "التوصية", "مصدرها", "تاريخ النشاط", "الجهة المرفوعة إليها",
                "تاريخ الاستحقاق", "الحالة", "آخر متابعة"),
    "overdue_status": "{status} — {word}",
    "overdue_tip": "مضى تاريخ استحقاقها ولم تُنفذ بعد",
    "history": "سجل المتابعة",
    "history_of": "سجل متابعة التوصية {n}: {count}",
    "no_selection": "حدّد توصية لترى سجل متابعتها.",
    "no_history": "لا توجد ملاحظات متابعة لهذه التوصية بعد.",
    "h_date": "التاريخ",
    "h_status": "الحالة بعدها",
    "h_note": "الملاحظة",
    "unchanged": "—",
    # The workbook's columns: the page's, with the overdue mark and the last note's date
    # in columns of their own (so that Excel filters and sorts on them).
    "excel_headers": ("التوصية", "مصدرها", "تاريخ النشاط", "الجهة المرفوعة إليها",
                      "تاريخ الاستحقاق", "الحالة", "متأخرة", "آخر متابعة",
                      "تاريخ آخر متابعة"),
    "excel_overdue": "نعم",
    "widths": {1: "تفعيل الصفحات الرسمية للدوائر على مواقع",
               2: "ورشة تطويرية عن أهمية الاتصال",
               3: "٢٢ تشرين الثاني ٢٠٢٦_", 4: "وزارة التعليم العالي__",
               5: "٢٢ تشرين الثاني ٢٠٢٦_", 6: "قيد التنفيذ — متأخرة__"},
}

__all__ = ["TEXT", "WATCHED", "RecommendationsModel", "RecommendationsPage", "excel_table"]

# Tables whose changes the list shows (activities: their titles, dates and the bin).
WATCHED = ("recommendations", "recommendation_notes", "activities")

COL_NUMBER, COL_TEXT, COL_SOURCE, COL_SOURCE_DATE, COL_ADDRESSED, COL_DUE, COL_STATUS, \
    COL_LAST, COL_DIRECTORATE = range(9)

Index = QModelIndex | QPersistentModelIndex
_EXCEL_KINDS = ("text", "text", "date", "text", "date", "text", "text", "text", "date")


def excel_table(rows: list[RecommendationRow], units: dict[str, str] | None = None
                ) -> ExcelTable:
    """The list as its workbook holds it: typed columns (dates as dates), one row of
    plain values per recommendation, in the list's order; with ``units`` (a centre's
    labels by unit id) a last column of each one's directorate, as the page shows."""
    columns = tuple(Column(header, kind) for header, kind
                    in zip(TEXT["excel_headers"], _EXCEL_KINDS, strict=True))
    extra: tuple[Column, ...] = (Column(UNIT_TEXT["column"], "text"),) if units else ()
    return ExcelTable(columns + extra, [
        (rec.text, rec.activity_title, rec.activity_date, rec.addressed_to, rec.due_date,
         rec.status_label, TEXT["excel_overdue"] if rec.overdue else "", rec.last_note,
         rec.last_note_date)
        + ((units.get(rec.unit_id, rec.unit_id[:8]),) if units else ()) for rec in rows])


class RecommendationsModel(UnitColumn, RowListModel):
    """The recommendations as the page lists them (read-only)."""

    HEADERS = BASE_HEADERS = TEXT["headers"]
    UNIT_HEADER = UNIT_TEXT["column"]

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[RecommendationRow] = []
        self._error = QBrush(QColor(theme.ERROR))
        self._error_background = QBrush(QColor(theme.ERROR_BACKGROUND))
        self.units: dict[str, str] = {}

    def text(self, row: int, column: int) -> str:
        """What a cell shows."""
        rec = self.rows[row]
        style = self.ctx.date_style
        if column == COL_NUMBER:
            return index_text(row + 1, style)
        if column == COL_TEXT:
            return " ".join(rec.text.split())
        if column == COL_SOURCE:
            return rec.activity_title
        if column == COL_SOURCE_DATE:
            return date_text(rec.activity_date, style) if rec.activity_date else ""
        if column == COL_ADDRESSED:
            return rec.addressed_to
        if column == COL_DUE:
            return date_text(rec.due_date, style) if rec.due_date else ""
        if column == COL_STATUS:
            if rec.overdue:
                return TEXT["overdue_status"].format(status=rec.status_label,
                                                     word=recommendations.OVERDUE_WORD)
            return rec.status_label
        if column == COL_LAST:
            return " ".join(rec.last_note.split())
        if column == COL_DIRECTORATE and self.units:
            return self.units.get(rec.unit_id, rec.unit_id[:8])
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rec = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (COL_TEXT, COL_LAST, COL_SOURCE):
                return self.text(index.row(), column)
            if rec.overdue and column in (COL_DUE, COL_STATUS):
                return TEXT["overdue_tip"]
        if rec.overdue and column in (COL_DUE, COL_STATUS):
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._error
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._error_background
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_NUMBER,):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class RecommendationsPage(Page):
    """Every recommendation, filtered, the overdue marked, with the selected one's
    history and the follow-up dialog."""

    key = "recommendations"
    title = TEXT["title"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ctx, parent)
        # A fixed day for tests and screenshots; else the day the list is read.
        self._today = today
        self._activity_id: str | None = None
        self._stale = False
        self.model = RecommendationsModel(ctx, self)

        self.toolbar = QToolBar(self)
        add = partial(toolbar_action, self.toolbar, TEXT)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.follow_up_action = add("follow_up", self.follow_up_selected)
        self.open_activity_action = add("open_activity", self.open_activity)
        self.toolbar.addSeparator()
        self.report_action = add("report", self.export_report)
        # At the toolbar's end, as on every list page.
        self.toolbar.addSeparator()
        self.excel_action = self.toolbar.addAction(LIST_TEXT["excel"])
        self.excel_action.setObjectName("excelAction")
        self.excel_action.setToolTip(LIST_TEXT["excel_tip"])
        self.excel_action.triggered.connect(self.export_excel)

        self.status = choice_box(self, "statusFilter", vocab.RECOMMENDATION_STATUSES,
                                 first=(TEXT["all_statuses"], None))
        self.overdue = QCheckBox(TEXT["overdue_only"], self)
        self.overdue.setObjectName("overdueFilter")
        self.addressed_to = QLineEdit(self)
        self.addressed_to.setObjectName("addressedFilter")
        self.addressed_to.setPlaceholderText(TEXT["addressed_placeholder"])
        self.addressed_to.setClearButtonEnabled(True)
        self.date_from = DateEdit(ctx, self)
        self.date_from.setObjectName("fromFilter")
        self.date_to = DateEdit(ctx, self)
        self.date_to.setObjectName("toFilter")
        self.activity_only = QCheckBox(TEXT["activity_only"], self)
        self.activity_only.setObjectName("activityFilter")
        self.activity_only.setVisible(False)
        self.unit_filter = UnitFilter("recommendations", self)
        self.clear_button = self.toolbar.addAction(TEXT["clear"])
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.triggered.connect(self.clear_filters)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(TEXT["status"], self))
        filters.addWidget(self.status)
        filters.addWidget(self.overdue)
        filters.addWidget(QLabel(TEXT["addressed_to"], self))
        filters.addWidget(self.addressed_to, 1)
        filters.addWidget(QLabel(TEXT["from"], self))
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel(TEXT["to"], self))
        filters.addWidget(self.date_to)
        filters.addWidget(self.activity_only)
        filters.addWidget(self.unit_filter)

        self.table = QTableView(self)
        self.table.setObjectName("recommendationsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        width = self.fontMetrics().horizontalAdvance
        header.resizeSection(COL_NUMBER, width("٠٠٠__"))
        for column, sample in TEXT["widths"].items():
            header.resizeSection(column, width(sample))

        self.history_label = QLabel(TEXT["no_selection"], self)
        self.history_label.setObjectName("historyLabel")
        self.history = QTableWidget(0, 3, self)
        self.history.setObjectName("historyTable")
        self.history.setHorizontalHeaderLabels([TEXT["h_date"], TEXT["h_status"],
                                                TEXT["h_note"]])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        history_header = self.history.horizontalHeader()
        history_header.resizeSection(0, width("٢٢ تشرين الثاني ٢٠٢٦__"))
        history_header.resizeSection(1, width("قيد التنفيذ____"))
        history_header.setStretchLastSection(True)
        below = QWidget(self)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.history_label)
        below_layout.addWidget(self.history, 1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self.status.currentIndexChanged.connect(self.refresh)
        self.overdue.toggled.connect(self.refresh)
        self.unit_filter.changed.connect(self.refresh)
        # Typed text filters a moment after the last key, as the list pages' search boxes
        # do: a name typed is one reload, not one a letter. Enter filters at once.
        self.addressed_timer = QTimer(self)
        self.addressed_timer.setSingleShot(True)
        self.addressed_timer.setInterval(SEARCH_DELAY_MS)
        self.addressed_timer.timeout.connect(self.refresh)
        self.addressed_to.textChanged.connect(self.addressed_timer.start)
        self.addressed_to.returnPressed.connect(self.filter_now)
        self.date_from.changed.connect(self._date_changed)
        self.date_to.changed.connect(self._date_changed)
        self.activity_only.toggled.connect(self._activity_toggled)
        self.table.activated.connect(lambda _index: self.follow_up_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        ctx.data_changed.connect(self._data_changed)
        ctx.settings_changed.connect(self.refresh)
        self.refresh()

    # --- the list ---------------------------------------------------------------------

    def today(self) -> dt.date:
        """The day "overdue" is measured on."""
        return self._today or dt.date.today()

    def wanted_filter(self) -> RecommendationFilter:
        """The filter the widgets describe."""
        return RecommendationFilter(
            status=self.status.currentData(), overdue=self.overdue.isChecked(),
            addressed_to=self.addressed_to.text().strip() or None,
            activity_id=self._activity_id if self.activity_only.isChecked() else None,
            date_from=self.date_from.value(), date_to=self.date_to.value(),
            unit_id=self.unit_filter.unit_id())

    def filter_now(self) -> None:
        """Apply the addressee typed a moment ago without waiting for the pause (Enter, or
        before an export: what was typed is what is written)."""
        if self.addressed_timer.isActive():
            self.refresh()

    def refresh(self) -> None:
        """Read the list again for the filters, keeping the selection."""
        self.addressed_timer.stop()  # this reading already has what was typed
        self._stale = False
        selected = self.current_id()
        # At a centre, the units offered too (a bundle may have brought a new one).
        before = self.model.columnCount()
        self.model.set_units(self.unit_filter.load(self.ctx.db))
        if self.model.columnCount() > before:
            # The directorate, last, takes the stretch: the last note keeps some room.
            self.table.horizontalHeader().resizeSection(COL_LAST,
                                                        self.unit_filter.column_width())
        try:
            rows = recommendations.list_recommendations(self.ctx.db, self.wanted_filter(),
                                                        today=self.today())
        except IttisalError as error:  # a reversed range: an empty list says why
            rows = []
            self.count_label.setText(str(error))
            self.model.set_rows(rows)
            return
        self.model.set_rows(rows)
        style = self.ctx.date_style
        text = TEXT["count"].format(n=number_text(len(rows), style))
        late = sum(1 for r in rows if r.overdue)
        if late:
            text += TEXT["overdue_count"].format(n=number_text(late, style))
        self.count_label.setText(text)
        if selected:
            self.select(selected)

    def _date_changed(self) -> None:
        # Half-typed dates read as none: the list follows once a date is whole.
        self.refresh()

    def _activity_toggled(self, on: bool) -> None:
        if not on:
            self._activity_id = None
            self.activity_only.setVisible(False)
        self.refresh()

    def clear_filters(self) -> None:
        """Show every recommendation."""
        for widget in (self.status, self.overdue, self.addressed_to, self.activity_only):
            widget.blockSignals(True)
        self.status.setCurrentIndex(0)
        self.overdue.setChecked(False)
        self.addressed_to.clear()
        self.activity_only.setChecked(False)
        self.activity_only.setVisible(False)
        self._activity_id = None
        self.unit_filter.set_unit_id(None, signal=False)
        for widget in (self.status, self.overdue, self.addressed_to, self.activity_only):
            widget.blockSignals(False)
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(True)
            edit.setValue(None)
            edit.blockSignals(False)
        self.refresh()

    def apply_filters(self, filters: dict) -> None:
        """Show what ``filters`` describe: ``overdue`` (True), ``status``,
        ``addressed_to``, ``activity_id``, ``date_from``/``date_to``, ``unit_id`` (at a
        centre)."""
        self.clear_filters()
        self.unit_filter.set_unit_id(filters.get("unit_id"), signal=False)
        for widget in (self.status, self.overdue, self.addressed_to, self.activity_only):
            widget.blockSignals(True)
        if filters.get("status"):
            self.status.setCurrentIndex(max(self.status.findData(filters["status"]), 0))
        self.overdue.setChecked(bool(filters.get("overdue")))
        self.addressed_to.setText(str(filters.get("addressed_to") or ""))
        if filters.get("activity_id"):
            self._activity_id = str(filters["activity_id"])
            self.activity_only.setVisible(True)
            self.activity_only.setChecked(True)
        for widget in (self.status, self.overdue, self.addressed_to, self.activity_only):
            widget.blockSignals(False)
        for name, edit in (("date_from", self.date_from), ("date_to", self.date_to)):
            edit.blockSignals(True)
            edit.setValue(filters.get(name))
            edit.blockSignals(False)
        self.refresh()

    # --- selection and history --------------------------------------------------------

    def current_id(self) -> str | None:
        """The selected recommendation's id."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()].id if rows else None

    def current_row(self) -> RecommendationRow | None:
        """The selected recommendation."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select(self, recommendation_id: str) -> bool:
        """Select the recommendation with this id, if listed."""
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        for number, row in enumerate(self.model.rows):
            if row.id == recommendation_id:
                # (not selectRow: right to left, it finds no column at the viewport's edge)
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(number, COL_TEXT), flags)
                return True
        return False

    def _selection_changed(self, *_args: object) -> None:
        rec = self.current_row()
        self.follow_up_action.setEnabled(rec is not None)
        self.open_activity_action.setEnabled(rec is not None and bool(rec.activity_id))
        self.report_action.setEnabled(bool(self.model.rows))
        self.excel_action.setEnabled(bool(self.model.rows))
        self.history.setRowCount(0)
        if rec is None:
            self.history_label.setText(TEXT["no_selection"])
            return
        style = self.ctx.date_style
        number = self.model.rows.index(rec) + 1
        if not rec.notes:
            self.history_label.setText(TEXT["no_history"])
            return
        self.history_label.setText(TEXT["history_of"].format(
            n=index_text(number, style), count=number_text(len(rec.notes), style)))
        for note in reversed(rec.notes):  # the latest first
            r = self.history.rowCount()
            self.history.insertRow(r)
            for c, value in enumerate((date_text(note.date, style),
                                       note.status_label or TEXT["unchanged"],
                                       " ".join(note.note.split()))):
                item = QTableWidgetItem(value)
                if c == 2:
                    item.setToolTip(note.note)
                self.history.setItem(r, c, item)

    # --- actions ----------------------------------------------------------------------

    def follow_up_selected(self) -> bool:
        """The follow-up dialog of the selected recommendation; True when a note was
        saved."""
        from ui.forms.recommendation_followup import FollowUpDialog

        rec_id = self.current_id()
        if rec_id is None:
            return False
        try:
            dialog = FollowUpDialog(self.ctx, rec_id, self, today=self._today)
        except IttisalError as error:
            show_error(self, error)
            return False
        saved = bool(run_modal(dialog))
        if saved:  # the dialog's ctx.changed has refreshed the list
            self.select(rec_id)
        return saved

    def open_activity(self) -> None:
        """The activity the selected recommendation came from, in its form (where its
        recommendations are edited)."""
        from ui.forms.activity_form import ActivityDialog

        rec = self.current_row()
        if rec is None or not rec.activity_id:
            return
        dialog = ActivityDialog(self.ctx, rec.activity_id, self)
        run_modal(dialog)
        dialog.deleteLater()

    def export_report(self) -> Any:
        """The follow-up report of the recommendations as filtered here."""
        from exporters import registry
        from ui import export

        self.filter_now()
        where = self.wanted_filter()
        options = registry.make_options("recommendations", status=where.status,
                                        today=self.today().isoformat(), where=where)
        return export.export_options(self, self.ctx, "recommendations", options)

    def export_excel(self) -> Task | None:
        """Save the list as filtered here (every row, in its order) to an Excel workbook,
        in the background, then offer to open it. None if not started."""
        self.filter_now()
        if not self.model.rows:
            return None
        # Read again by the task's own connection, with the filters and the day of now.
        where, today, units = self.wanted_filter(), self.today(), dict(self.model.units)

        def read(db) -> ExcelTable:
            return excel_table(recommendations.list_recommendations(db, where, today=today),
                               units)

        return export_list(self, self.ctx, title=self.title,
                           file_name=excel_file_name(self.title), read=read)

    # --- keeping up to date -------------------------------------------------------------

    def _data_changed(self, table: str) -> None:
        if table not in WATCHED:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def activated(self) -> None:
        if self._stale:
            self.refresh()
