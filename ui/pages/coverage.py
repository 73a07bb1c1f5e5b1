"""The media monitoring page (الرصد الإعلامي): the coverage items, filtered by date range,
medium, level and tone, with the counts by tone of what is listed under the table.

Its toolbar enters items (:class:`~ui.forms.coverage_form.CoverageDialog`, many in a
row), edits and deletes them (to the recycle bin, after asking, with an undo offer),
imports a spreadsheet in the attendees' mapping dialog
(:class:`~ui.forms.import_dialog.ImportDialog` with :class:`CoverageTarget`: a combo per
column, the header row, a preview of each row's fate, then one click), writes the monitoring report
of a period (the page's dates and filters are the export's defaults) and the list as
filtered to Excel (:func:`ui.pages.list_page.export_list`), and opens the directory of
outlets (:class:`~ui.forms.outlets_dialog.OutletsDialog`). The list is read through
:func:`models.coverage.list_items`, newest first; the title column takes the width the
others leave, so the table fits the window without a horizontal scroll bar.
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
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from exporters.xlsx_list import Column
from models import coverage, coverage_import, records, recycle, vocab
from models.coverage import CoverageFilter, CoverageRow
from models.dates import DateStyle
from models.errors import IttisalError
from models.importer_read import Table
from ui.context import AppContext
from ui.formatting import date_text, index_text, number_text
from ui.forms.form_base import run_modal
from ui.forms.import_dialog import (
    DUPLICATE_COLOUR,
    NOTE_COLOUR,
    PROBLEM_COLOUR,
    ImportDialog,
    ImportTarget,
)
from ui.pages.base import Page
from ui.pages.list_page import TEXT as LIST_TEXT
from ui.pages.list_page import excel_file_name, export_list
from ui.recycle_bin import confirm
from ui.table_models import ExcelTable, RowListModel, UnitColumn
from ui.tasks import Task, show_error
from ui.widgets import open_dialogs
from ui.widgets.date_edit import DateEdit
from ui.widgets.record_table import record_table
from ui.widgets.toolbar import toolbar_action
from ui.widgets.unit_filter import TEXT as UNIT_TEXT
from ui.widgets.unit_filter import UnitFilter

TEXT = {
    "title": "الرصد الإعلامي",
    "new": "إدخال رصد…",
    "new_tip": "إدخال مواد الرصد واحدة بعد أخرى من لوحة المفاتيح (Ctrl+N)",
    "edit": "تعديل…",
    "edit_tip": "تعديل المادة المحددة (Enter)",
    "delete": "حذف",
    "delete_tip": "نقل المادة المحددة إلى سلة المحذوفات (Delete)",
    "import": "استيراد من ملف…",
    "import_tip": "استيراد مواد الرصد من ملف Excel أو CSV",
    "import_caption": "اختر ملف الرصد",
    "import_filter": "جداول (*.xlsx *.csv *.txt);;كل الملفات (*)",
    "report": "تقرير الرصد…",
    "report_tip": "تقرير الرصد الإعلامي لمدة تختارها (ملف Word)؛ تبدأ بمدة الصفحة "
                  "وتصفيتها",
    "outlets": "دليل الوسائل…",
    "outlets_tip": "الوسائل الإعلامية بأنواعها ومستوياتها ونطاقات مواقعها: إضافة وتعديل "
                   "وحذف",
    "from": "من:",
    "to": "إلى:",
    "medium": "الوسيلة:",
    "level": "المستوى:",
    "tone": "الاتجاه:",
    "all": "الكل",
    "clear": "مسح التصفية",
    "headers": ("ت", "التاريخ", "الوسيلة", "نوعها", "المستوى", "الاتجاه", "العنوان",
                "الموضوع", "النشاط", "الوصول"),
    "excel_headers": ("التاريخ", "الوسيلة", "نوع الوسيلة", "المستوى", "الاتجاه",
                      "العنوان", "الموضوع", "الرابط", "النشاط", "الوصول", "ملاحظات"),
    "count": "عدد المواد: {n}",
    "tones": " — {parts}",
    "tone_part": "{tone}: {n}",
    "confirm_title": "حذف",
    "confirm_one": "هل تريد نقل مادة الرصد «{title}» إلى سلة المحذوفات؟\n"
                   "يمكنك استعادتها من السلة.",
    "yes_delete": "نعم، انقل إلى السلة",
    "no": "لا",
    "deleted_one": "نُقلت مادة الرصد «{title}» إلى سلة المحذوفات",
    # The import (the attendees' mapping dialog, with the coverage's fields).
    "import_title": "استيراد مواد الرصد",
    "importing": "جارٍ استيراد مواد الرصد…",
    "import_need": "اختر العمود الذي فيه تاريخ النشر والعمود الذي فيه العنوان.",
    "plan": "ستُضاف {added} من المواد، ويُترك {problems} من الصفوف لمشكلات فيها و{duplicates} "
            "مسجلة من قبل أو مكررة",
    "statuses": {coverage_import.NEW: "جديدة", coverage_import.DUPLICATE: "مسجلة من قبل",
                 coverage_import.PROBLEM: "فيها مشكلة", coverage_import.EMPTY: "فارغة"},
    "problem_tip": "{label}: {message}",
    "problem": "الصف {row}: {label}: {message}",
    "note": "الصف {row}: {message}",
    "problems_head": "صفوف فيها مشكلات لم تُستورد:",
    "notes_head": "ملاحظات:",
    "done": "استُورد {added} من المواد، وتُرك {skipped} من الصفوف.",
    # Sample texts for the columns' widths; the title takes what is left.
    "widths": {1: "٢٢ تشرين الثاني ٢٠٢٦", 2: "قناة العراقية الإخبارية",
               3: "موقع إلكتروني", 4: "إقليمي_", 5: "إيجابي_", 7: "الاتصال الحكومي",
               8: "ورشة الاتصال الحكومي", 9: "٠٠٠٬٠٠٠٬٠"},
}

__all__ = ["TEXT", "WATCHED", "CoverageModel", "CoveragePage", "CoverageTarget",
           "excel_table"]

WATCHED = ("coverage_items", "activities", "outlets")
COL_NUMBER, COL_DATE, COL_OUTLET, COL_MEDIUM, COL_LEVEL, COL_TONE, COL_TITLE, COL_TOPIC, \
    COL_ACTIVITY, COL_REACH, COL_DIRECTORATE = range(11)
Index = QModelIndex | QPersistentModelIndex
_EXCEL_KINDS = ("date", "text", "text", "text", "text", "text", "text", "text", "text",
                "number", "text")


def excel_table(rows: list[CoverageRow], units: dict[str, str] | None = None) -> ExcelTable:
    """The list as its workbook holds it (dates as dates), in the list's order; with
    ``units`` (a centre's labels by unit id) a last column of each item's directorate."""
    columns = tuple(Column(header, kind) for header, kind
                    in zip(TEXT["excel_headers"], _EXCEL_KINDS, strict=True))
    extra: tuple[Column, ...] = (Column(UNIT_TEXT["column"], "text"),) if units else ()
    return ExcelTable(columns + extra, [
        (r.date, r.outlet, r.medium_label, r.level_label, r.tone_label, r.title, r.topic,
         r.link, r.activity_title, r.reach, r.notes)
        + ((units.get(r.unit_id, r.unit_id[:8]),) if units else ()) for r in rows])


class CoverageModel(UnitColumn, RowListModel):
    """The coverage items as the page lists them (read-only)."""

    HEADERS = BASE_HEADERS = TEXT["headers"]
    UNIT_HEADER = UNIT_TEXT["column"]

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[CoverageRow] = []
        self.units: dict[str, str] = {}

    def text(self, row: int, column: int) -> str:
        """What a cell shows."""
        item = self.rows[row]
        style = self.ctx.date_style
        return {
            COL_NUMBER: lambda: index_text(row + 1, style),
            COL_DATE: lambda: date_text(item.date, style) if item.date else "",
            COL_OUTLET: lambda: item.outlet,
            COL_MEDIUM: lambda: item.medium_label,
            COL_LEVEL: lambda: item.level_label,
            COL_TONE: lambda: item.tone_label,
            COL_TITLE: lambda: " ".join(item.title.split()),
            COL_TOPIC: lambda: item.topic,
            COL_ACTIVITY: lambda: item.activity_title,
            COL_REACH: lambda: "" if item.reach is None else number_text(item.reach, style),
            COL_DIRECTORATE: lambda: self.units.get(item.unit_id, item.unit_id[:8])
            if self.units else "",
        }.get(column, lambda: "")()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (
                COL_OUTLET, COL_TITLE, COL_TOPIC, COL_ACTIVITY):
            # Long texts are elided in their cells: the tooltip shows them whole.
            item = self.rows[index.row()]
            return {COL_OUTLET: item.outlet, COL_TOPIC: item.topic,
                    COL_ACTIVITY: item.activity_title,
                    COL_TITLE: "\n".join(x for x in (item.title, item.link) if x),
                    }[index.column()] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (COL_NUMBER,
                                                                             COL_REACH):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class CoverageTarget(ImportTarget):
    """Coverage items, for the attendees' mapping dialog
    (:class:`~ui.forms.import_dialog.ImportDialog`): its combos offer the coverage fields,
    its preview shows each row's fate (new, already stored, a problem), and the import is
    :func:`models.coverage_import.apply` (new outlets join the directory)."""

    title = TEXT["import_title"]
    importing = TEXT["importing"]
    need = TEXT["import_need"]
    changed_tables = (records.CoverageItem.table, records.Outlet.table)
    fields = coverage_import.FIELDS

    def field_label(self, name: str) -> str:
        return coverage_import.field_label(name)

    def guess(self, table: Table) -> coverage_import.CoverageMapping:
        return coverage_import.guess_mapping(table)

    def for_header(self, table: Table, header_row: int | None
                   ) -> coverage_import.CoverageMapping:
        return coverage_import.mapping_for_header(table, header_row)

    def ready(self, mapping: coverage_import.CoverageMapping) -> bool:
        return mapping.ready

    def plan(self, db: Any, table: Table, mapping: coverage_import.CoverageMapping
             ) -> coverage_import.CoverageImportPlan:
        return coverage_import.plan(db, table, mapping)

    def apply(self, db: Any, plan: coverage_import.CoverageImportPlan, progress: Any
              ) -> coverage_import.CoverageImportResult:
        return coverage_import.apply(db, plan, progress)

    def counts(self, plan: coverage_import.CoverageImportPlan, style: DateStyle) -> str:
        return TEXT["plan"].format(
            added=number_text(plan.added, style),
            problems=number_text(plan.problem_rows, style),
            duplicates=number_text(plan.duplicates, style))

    def importable(self, plan: coverage_import.CoverageImportPlan) -> bool:
        return plan.added > 0

    def status_text(self, status: str) -> str:
        return TEXT["statuses"].get(status, "")

    def colour(self, row: coverage_import.PlanRow) -> QColor | None:
        if row.status == coverage_import.PROBLEM:
            return PROBLEM_COLOUR
        if row.status == coverage_import.DUPLICATE:
            return DUPLICATE_COLOUR
        return NOTE_COLOUR if row.notes else None

    def row_tip(self, row: coverage_import.PlanRow, style: DateStyle) -> str:
        lines = [TEXT["problem_tip"].format(label=coverage_import.field_label(p.field),
                                            message=p.message) for p in row.problems]
        return "\n".join(lines + [n.message for n in row.notes])

    def summary(self, result: coverage_import.CoverageImportResult, style: DateStyle) -> str:
        return TEXT["done"].format(added=number_text(result.added, style),
                                   skipped=number_text(result.skipped, style))

    def details(self, result: coverage_import.CoverageImportResult, style: DateStyle
                ) -> list[str]:
        lines: list[str] = []
        if result.problems:
            lines.append(TEXT["problems_head"])
            lines += [TEXT["problem"].format(row=index_text(p.row, style),
                                             label=coverage_import.field_label(p.field),
                                             message=p.message) for p in result.problems]
        if result.notes:
            lines.append(TEXT["notes_head"])
            lines += [TEXT["note"].format(row=index_text(n.row, style), message=n.message)
                      for n in result.notes]
        return lines


class CoveragePage(Page):
    """The coverage items, filtered, with the counts by tone and the monitoring actions."""

    key = "coverage"
    title = TEXT["title"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stale = False
        self.import_dialog: ImportDialog | None = None
        self.model = CoverageModel(ctx, self)

        self.toolbar = QToolBar(self)
        add = partial(toolbar_action, self.toolbar, TEXT)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = add("new", self.new_record)
        self.edit_action = add("edit", self.edit_selected)
        self.delete_action = add("delete", self.delete_selected)
        self.toolbar.addSeparator()
        self.import_action = add("import", self.import_file)
        self.report_action = add("report", self.export_report)
        self.outlets_action = add("outlets", self.open_outlets)
        self.toolbar.addSeparator()
        self.excel_action = self.toolbar.addAction(LIST_TEXT["excel"])
        self.excel_action.setObjectName("excelAction")
        self.excel_action.setToolTip(LIST_TEXT["excel_tip"])
        self.excel_action.triggered.connect(self.export_excel)

        self.date_from = DateEdit(ctx, self)
        self.date_from.setObjectName("fromFilter")
        self.date_to = DateEdit(ctx, self)
        self.date_to.setObjectName("toFilter")
        self.medium = self._choices("mediumFilter", vocab.MEDIA)
        self.level = self._choices("levelFilter", vocab.LEVELS)
        self.tone = self._choices("toneFilter", vocab.TONES)
        self.unit_filter = UnitFilter("coverage_items", self)
        self.clear_button = self.toolbar.addAction(TEXT["clear"])
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.triggered.connect(self.clear_filters)
        filters = QHBoxLayout()
        for label, widget in (("from", self.date_from), ("to", self.date_to),
                              ("medium", self.medium), ("level", self.level),
                              ("tone", self.tone)):
            filters.addWidget(QLabel(TEXT[label], self))
            filters.addWidget(widget)
        filters.addWidget(self.unit_filter)
        filters.addStretch(1)

        self.table = record_table(self, "coverageTable", self.model)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        # The title takes the width the other columns leave: no horizontal scroll bar at
        # 1280 pixels, and a wider window widens the titles.
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("٠٠٠"))
        width = self.fontMetrics().horizontalAdvance
        padding = 2 * width("_")
        header.resizeSection(COL_NUMBER, width("٠٠٠") + padding)
        for column, sample in TEXT["widths"].items():
            header.resizeSection(column, width(sample) + padding)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        # What the last import did, said in place (its rows' problems in the tooltip).
        self.import_note = QLabel(self)
        self.import_note.setObjectName("importNote")
        self.import_note.setWordWrap(True)
        self.import_note.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.import_note)

        for combo in (self.medium, self.level, self.tone):
            combo.currentIndexChanged.connect(self.refresh)
        self.unit_filter.changed.connect(self.refresh)
        self.date_from.changed.connect(self.refresh)
        self.date_to.changed.connect(self.refresh)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        ctx.data_changed.connect(self._data_changed)
        ctx.settings_changed.connect(self.refresh)
        self.refresh()

    def _choices(self, name: str, options: dict[str, str]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(TEXT["all"], None)
        for key, label in options.items():
            combo.addItem(label, key)
        return combo

    # --- the list ---------------------------------------------------------------------

    def wanted_filter(self) -> CoverageFilter:
        """The filter the widgets describe (half-typed dates read as none)."""
        return CoverageFilter(date_from=self.date_from.value(), date_to=self.date_to.value(),
                              medium=self.medium.currentData(),
                              level=self.level.currentData(), tone=self.tone.currentData(),
                              unit_id=self.unit_filter.unit_id())

    def refresh(self) -> None:
        """Read the list and its counts again for the filters, keeping the selection."""
        self._stale = False
        selected = self.current_id()
        # At a centre, the units offered too (a bundle may have brought a new one).
        before = self.model.columnCount()
        self.model.set_units(self.unit_filter.load(self.ctx.db))
        if self.model.columnCount() > before:
            self.table.horizontalHeader().resizeSection(COL_DIRECTORATE,
                                                        self.unit_filter.column_width())
        where = self.wanted_filter()
        try:
            rows = coverage.list_items(self.ctx.db, where, newest_first=True)
            found = coverage.counts(self.ctx.db, where)
        except IttisalError as error:  # a reversed range: an empty list says why
            self.model.set_rows([])
            self.count_label.setText(str(error).split("\n")[0])
            return
        self.model.set_rows(rows)
        style = self.ctx.date_style
        parts = "، ".join(TEXT["tone_part"].format(tone=vocab.TONES.get(k, k),
                                                  n=number_text(n, style))
                         for k, n in found.by_tone.items())
        self.count_label.setText(TEXT["count"].format(n=number_text(found.total, style))
                                 + TEXT["tones"].format(parts=parts))
        if selected:
            self.select(selected)

    def clear_filters(self) -> None:
        """Show every item."""
        for widget in (self.medium, self.level, self.tone, self.date_from, self.date_to):
            widget.blockSignals(True)
        for combo in (self.medium, self.level, self.tone):
            combo.setCurrentIndex(0)
        self.date_from.setValue(None)
        self.date_to.setValue(None)
        self.unit_filter.set_unit_id(None, signal=False)
        for widget in (self.medium, self.level, self.tone, self.date_from, self.date_to):
            widget.blockSignals(False)
        self.refresh()

    def apply_filters(self, filters: dict) -> None:
        """Show what ``filters`` describe: ``date_from``/``date_to``, ``medium``,
        ``level``, ``tone`` (vocabulary keys), ``unit_id`` (at a centre)."""
        self.clear_filters()
        self.unit_filter.set_unit_id(filters.get("unit_id"), signal=False)
        widgets = (self.medium, self.level, self.tone, self.date_from, self.date_to)
        for widget in widgets:
            widget.blockSignals(True)
        for name, combo in (("medium", self.medium), ("level", self.level),
                            ("tone", self.tone)):
            if filters.get(name):
                combo.setCurrentIndex(max(combo.findData(filters[name]), 0))
        self.date_from.setValue(filters.get("date_from"))
        self.date_to.setValue(filters.get("date_to"))
        for widget in widgets:
            widget.blockSignals(False)
        self.refresh()

    # --- selection --------------------------------------------------------------------

    def current_row(self) -> CoverageRow | None:
        """The selected item."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def current_id(self) -> str | None:
        """The selected item's id."""
        row = self.current_row()
        return row.id if row else None

    def select(self, item_id: str) -> bool:
        """Select the item with this id, if listed."""
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        for number, row in enumerate(self.model.rows):
            if row.id == item_id:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(number, COL_TITLE), flags)
                return True
        return False

    def _selection_changed(self, *_args: object) -> None:
        selected = self.current_row() is not None
        self.edit_action.setEnabled(selected)
        self.delete_action.setEnabled(selected)
        self.excel_action.setEnabled(bool(self.model.rows))

    # --- actions ----------------------------------------------------------------------

    def new_record(self) -> Any:
        """The entry form, for as many items as the monitor enters in a row."""
        from ui.forms.coverage_form import CoverageDialog

        # Each save announces itself (ctx.changed), which refreshes the list behind the form.
        dialog = CoverageDialog(self.ctx, None, self)
        result = run_modal(dialog)
        if dialog.saved_ids:
            self.select(dialog.saved_ids[-1])
        return result

    def edit_selected(self) -> Any:
        """The selected item in the form."""
        from ui.forms.coverage_form import CoverageDialog

        item_id = self.current_id()
        if item_id is None:
            return None
        try:
            dialog = CoverageDialog(self.ctx, item_id, self)
        except IttisalError as error:
            show_error(self, error)
            return None
        result = run_modal(dialog)
        if dialog.saved_ids:
            self.refresh()
            self.select(item_id)
        return result

    def delete_selected(self) -> None:
        """Move the selected item to the recycle bin, after asking; offer undo."""
        row = self.current_row()
        if row is None:
            return
        if not confirm(self, TEXT["confirm_title"],
                       TEXT["confirm_one"].format(title=row.title),
                       TEXT["yes_delete"], TEXT["no"]):
            return
        db, ids, table = self.ctx.db, [row.id], records.CoverageItem.table
        try:
            recycle.delete_many(db, records.CoverageItem, ids)
        except IttisalError as error:
            show_error(self, error)
            return

        def undo() -> str:
            recycle.restore_many(db, records.CoverageItem, ids)
            return table

        self.ctx.offer_undo(TEXT["deleted_one"].format(title=row.title), undo)
        self.ctx.changed(table)

    def import_file(self) -> ImportDialog | None:
        """Choose a spreadsheet and open it in the mapping dialog the attendees' import
        uses (non-modal: the dialog is kept in :attr:`import_dialog`); what it did is
        said under the list."""
        path = open_dialogs.open_file_name(self, "coverage", TEXT["import_caption"],
                                           TEXT["import_filter"])
        if not path:
            return None
        dialog = ImportDialog(self.ctx, None, self, path=path, target=CoverageTarget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._imported(dialog))
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _imported(self, dialog: ImportDialog) -> None:
        self.import_note.setText(dialog.summary_text)
        self.import_note.setToolTip("\n".join(dialog.summary_details))
        self.import_note.show()

    def report_defaults(self) -> tuple[str, str] | None:
        """The period the page shows, as the report's default (from, to): both dates
        when both are set; one date is completed by the start of its month or by today;
        None when the page is not narrowed by date."""
        first, last = self.date_from.value(), self.date_to.value()
        if not first and not last:
            return None
        if not last:
            today = dt.date.today().isoformat()
            last = max(today, first)
        if not first:
            first = last[:8] + "01"
        return (first, last) if first <= last else None

    def export_report(self) -> Any:
        """The monitoring report: the period dialog opens on the page's period (when it
        is narrowed by date), and the page's medium, level, tone and (at a centre)
        directorate filters narrow the report's items."""
        from exporters import registry
        from ui.export import PeriodDialog, export_options
        from ui.forms.form_base import run_modal

        dialog = PeriodDialog(self.ctx, self, kind="monitoring")
        shown = self.report_defaults()
        if shown is not None:
            dialog.set_period("custom")
            dialog.date_from.setValue(shown[0])
            dialog.date_to.setValue(shown[1])
        period = dialog.period() if run_modal(dialog) else None
        if not period:
            return None
        page = self.wanted_filter()
        where = CoverageFilter(medium=page.medium, level=page.level, tone=page.tone,
                               unit_id=page.unit_id)
        return export_options(self, self.ctx, "monitoring", registry.make_options(
            "monitoring", date_from=period[0], date_to=period[1], where=where))

    def open_outlets(self) -> Any:
        """The directory of outlets (modal); the list follows what it changed."""
        from ui.forms import form_base
        from ui.forms.outlets_dialog import OutletsDialog

        return form_base.run_modal(OutletsDialog(self.ctx, self))

    def export_excel(self) -> Task | None:
        """Save the list as filtered here to an Excel workbook, in the background."""
        if not self.model.rows:
            return None
        where, units = self.wanted_filter(), dict(self.model.units)

        def read(db) -> ExcelTable:
            return excel_table(coverage.list_items(db, where, newest_first=True), units)

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
