"""The media monitoring page (الرصد الإعلامي): the coverage items, filtered by date range,
medium, level and tone, with the counts by tone of what is listed under the table.

Its toolbar enters items (:class:`~ui.forms.coverage_form.CoverageDialog`, many in a
row), edits and deletes them (to the recycle bin, after asking, with an undo offer),
imports a spreadsheet (:class:`CoverageImportDialog`: the plan's counts and problems by
row, then one confirmation; both steps off the UI thread), writes the monitoring report
of a period (:func:`ui.export_menu.start`) and the list as filtered to Excel
(:func:`ui.pages.list_page.export_list`). The list is read through
:func:`models.coverage.list_items`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from exporters.xlsx_list import Column
from models import coverage, coverage_import, records, recycle, vocab
from models.coverage import CoverageFilter, CoverageRow
from models.errors import IttisalError
from ui.context import AppContext
from ui.formatting import date_text, number_text
from ui.forms.form_base import run_modal
from ui.pages.base import Page
from ui.pages.list_page import TEXT as LIST_TEXT
from ui.pages.list_page import excel_file_name, export_list
from ui.recycle_bin import confirm
from ui.table_models import ExcelTable, RowListModel
from ui.tasks import Task, run_task, show_error
from ui.widgets import open_dialogs
from ui.widgets.date_edit import DateEdit

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
    "report_tip": "تقرير الرصد الإعلامي لمدة تختارها (ملف Word)",
    "from": "من:",
    "to": "إلى:",
    "medium": "الوسيلة:",
    "level": "المستوى:",
    "tone": "الاتجاه:",
    "all": "الكل",
    "clear": "مسح التصفية",
    "headers": ("ت", "التاريخ", "الوسيلة", "نوعها", "المستوى", "الاتجاه", "العنوان",
                "الموضوع", "النشاط"),
    "excel_headers": ("التاريخ", "الوسيلة", "نوع الوسيلة", "المستوى", "الاتجاه",
                      "العنوان", "الموضوع", "الرابط", "النشاط", "ملاحظات"),
    "count": "عدد المواد: {n}",
    "tones": " — {parts}",
    "tone_part": "{tone}: {n}",
    "confirm_title": "حذف",
    "confirm_one": "هل تريد نقل مادة الرصد «{title}» إلى سلة المحذوفات؟\n"
                   "يمكنك استعادتها من السلة.",
    "yes_delete": "نعم، انقل إلى السلة",
    "no": "لا",
    "deleted_one": "نُقلت مادة الرصد «{title}» إلى سلة المحذوفات",
    # The import dialog.
    "import_title": "استيراد الرصد من «{name}»",
    "reading": "جارٍ قراءة الملف…",
    "importing": "جارٍ الاستيراد…",
    "plan": "ستُضاف {added} من المواد. يُترك {problems} من الصفوف لمشكلات فيها، "
            "و{duplicates} مكررة، و{empty} فارغة.",
    "columns": "الأعمدة: {columns}",
    "problem": "الصف {row}: {label}: {message}",
    "note": "الصف {row}: {message}",
    "problems_head": "المشكلات:",
    "notes_head": "ملاحظات:",
    "nothing": "لا جديد للاستيراد في هذا الملف.",
    "do_import": "استيراد {n} من المواد",
    "cancel": "إلغاء",
    "close": "إغلاق",
    "done": "استُورد {added} من المواد، وتُرك {skipped} من الصفوف.",
    "widths": {1: "٢٢ تشرين الثاني ٢٠٢٦_", 2: "قناة العراقية الإخبارية__",
               3: "موقع إلكتروني", 4: "إقليمي_", 5: "إيجابي_",
               6: "افتتاح ورشة تطويرية عن أهمية الاتصال الحكومي", 7: "الاتصال الحكومي"},
}

__all__ = ["TEXT", "WATCHED", "CoverageImportDialog", "CoverageModel", "CoveragePage",
           "excel_table"]

WATCHED = ("coverage_items", "activities")
COL_NUMBER, COL_DATE, COL_OUTLET, COL_MEDIUM, COL_LEVEL, COL_TONE, COL_TITLE, COL_TOPIC, \
    COL_ACTIVITY = range(9)
Index = QModelIndex | QPersistentModelIndex
_EXCEL_KINDS = ("date", "text", "text", "text", "text", "text", "text", "text", "text",
                "text")


def excel_table(rows: list[CoverageRow]) -> ExcelTable:
    """The list as its workbook holds it (dates as dates), in the list's order."""
    columns = tuple(Column(header, kind) for header, kind
                    in zip(TEXT["excel_headers"], _EXCEL_KINDS, strict=True))
    return ExcelTable(columns, [
        (r.date, r.outlet, r.medium_label, r.level_label, r.tone_label, r.title, r.topic,
         r.link, r.activity_title, r.notes) for r in rows])


class CoverageModel(RowListModel):
    """The coverage items as the page lists them (read-only)."""

    HEADERS = TEXT["headers"]

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[CoverageRow] = []

    def text(self, row: int, column: int) -> str:
        """What a cell shows."""
        item = self.rows[row]
        style = self.ctx.date_style
        return {
            COL_NUMBER: lambda: number_text(row + 1, style),
            COL_DATE: lambda: date_text(item.date, style) if item.date else "",
            COL_OUTLET: lambda: item.outlet,
            COL_MEDIUM: lambda: item.medium_label,
            COL_LEVEL: lambda: item.level_label,
            COL_TONE: lambda: item.tone_label,
            COL_TITLE: lambda: " ".join(item.title.split()),
            COL_TOPIC: lambda: item.topic,
            COL_ACTIVITY: lambda: item.activity_title,
        }.get(column, lambda: "")()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (COL_TITLE, COL_ACTIVITY):
            item = self.rows[index.row()]
            return "\n".join(x for x in (item.title, item.link) if x) \
                if index.column() == COL_TITLE else item.activity_title
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_NUMBER:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class CoverageImportDialog(QDialog):
    """What importing a file would do (counts, problems by row), then the import on one
    confirmation. Reading, planning and writing run off the UI thread."""

    def __init__(self, ctx: AppContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from pathlib import Path

        self.ctx = ctx
        self.path = path
        self.plan: coverage_import.CoverageImportPlan | None = None
        self.result: coverage_import.CoverageImportResult | None = None
        self.task: Task | None = None
        self.setObjectName("coverageImportDialog")
        self.setWindowTitle(TEXT["import_title"].format(name=Path(path).name))
        self.summary = QLabel(TEXT["reading"], self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("importDetails")
        self.details.setReadOnly(True)
        self.import_button = QPushButton(TEXT["do_import"].format(n="…"), self)
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button = QPushButton(TEXT["cancel"], self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("م") * 60,
                    self.fontMetrics().lineSpacing() * 24)

    def start(self) -> Task:
        """Read and plan the file in the background."""
        path = self.path

        def work(_progress, db) -> coverage_import.CoverageImportPlan:
            return coverage_import.plan(db, coverage_import.read_table(path))

        self.task = run_task(self, work, on_done=self._planned, on_failed=self._failed,
                             db_path=self.ctx.db.path, show_progress=False)
        return self.task

    def _failed(self, error: BaseException) -> None:
        self.summary.setText(str(error).split("\n")[0])
        show_error(self, error)
        self.import_button.setEnabled(False)
        self.cancel_button.setText(TEXT["close"])

    def _planned(self, plan: coverage_import.CoverageImportPlan) -> None:
        self.plan = plan
        table = plan.table
        lines = [TEXT["columns"].format(columns="، ".join(
            f"{name} ← «{header}»"
            for name, header in coverage_import.describe_mapping(table, plan.mapping)))]
        if plan.problems:
            lines += ["", TEXT["problems_head"]]
            lines += [TEXT["problem"].format(row=p.row,
                                             label=coverage_import.field_label(p.field),
                                             message=p.message) for p in plan.problems]
        if plan.notes:
            lines += ["", TEXT["notes_head"]]
            lines += [TEXT["note"].format(row=n.row, message=n.message) for n in plan.notes]
        self.details.setPlainText("\n".join(lines))
        self.summary.setText(TEXT["plan"].format(
            added=plan.added, problems=plan.problem_rows, duplicates=plan.duplicates,
            empty=plan.empty) if plan.added or plan.problem_rows or plan.duplicates
            else TEXT["nothing"])
        self.import_button.setText(TEXT["do_import"].format(n=plan.added))
        self.import_button.setEnabled(plan.added > 0)
        if plan.added:
            self.import_button.setDefault(True)
            self.import_button.setFocus()

    def run_import(self) -> Task | None:
        """Write the planned items (planned again inside the transaction)."""
        if self.plan is None or not self.plan.added:
            return None
        plan = self.plan
        self.import_button.setEnabled(False)
        self.summary.setText(TEXT["importing"])

        def work(progress, db) -> coverage_import.CoverageImportResult:
            return coverage_import.apply(db, plan,
                                         lambda done, total: progress.step(done, total))

        self.task = run_task(self, work, on_done=self._imported, on_failed=self._failed,
                             db_path=self.ctx.db.path, title=self.windowTitle())
        return self.task

    def _imported(self, result: coverage_import.CoverageImportResult) -> None:
        self.result = result
        self.summary.setText(TEXT["done"].format(added=result.added, skipped=result.skipped))
        self.cancel_button.setText(TEXT["close"])
        self.cancel_button.setFocus()
        self.ctx.changed(records.CoverageItem.table)


class CoveragePage(Page):
    """The coverage items, filtered, with the counts by tone and the monitoring actions."""

    key = "coverage"
    title = TEXT["title"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stale = False
        self.import_dialog: CoverageImportDialog | None = None
        self.model = CoverageModel(ctx, self)

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = self._action("new", self.new_record)
        self.edit_action = self._action("edit", self.edit_selected)
        self.delete_action = self._action("delete", self.delete_selected)
        self.toolbar.addSeparator()
        self.import_action = self._action("import", self.import_file)
        self.report_action = self._action("report", self.export_report)
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
        self.clear_button = self.toolbar.addAction(TEXT["clear"])
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.triggered.connect(self.clear_filters)
        filters = QHBoxLayout()
        for label, widget in (("from", self.date_from), ("to", self.date_to),
                              ("medium", self.medium), ("level", self.level),
                              ("tone", self.tone)):
            filters.addWidget(QLabel(TEXT[label], self))
            filters.addWidget(widget)
        filters.addStretch(1)

        self.table = QTableView(self)
        self.table.setObjectName("coverageTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in every list
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

        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        for combo in (self.medium, self.level, self.tone):
            combo.currentIndexChanged.connect(self.refresh)
        self.date_from.changed.connect(self.refresh)
        self.date_to.changed.connect(self.refresh)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        ctx.data_changed.connect(self._data_changed)
        ctx.settings_changed.connect(self.refresh)
        self.refresh()

    def _action(self, name: str, slot) -> Any:
        action = self.toolbar.addAction(TEXT[name])
        action.setObjectName(f"{name}Action")
        action.setToolTip(TEXT[f"{name}_tip"])
        action.triggered.connect(slot)
        return action

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
                              level=self.level.currentData(), tone=self.tone.currentData())

    def refresh(self) -> None:
        """Read the list and its counts again for the filters, keeping the selection."""
        self._stale = False
        selected = self.current_id()
        where = self.wanted_filter()
        try:
            rows = coverage.list_items(self.ctx.db, where)
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
        for widget in (self.medium, self.level, self.tone, self.date_from, self.date_to):
            widget.blockSignals(False)
        self.refresh()

    def apply_filters(self, filters: dict) -> None:
        """Show what ``filters`` describe: ``date_from``/``date_to``, ``medium``,
        ``level``, ``tone`` (vocabulary keys)."""
        self.clear_filters()
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

    def import_file(self) -> CoverageImportDialog | None:
        """Choose a spreadsheet and show what importing it would do (non-modal: the
        dialog is kept in :attr:`import_dialog`)."""
        path = open_dialogs.open_file_name(self, "coverage", TEXT["import_caption"],
                                           TEXT["import_filter"])
        if not path:
            return None
        dialog = CoverageImportDialog(self.ctx, path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.import_dialog = dialog
        dialog.start()
        dialog.open()
        return dialog

    def export_report(self) -> Any:
        """The monitoring report of a period chosen in the period dialog."""
        from ui import export_menu

        return export_menu.start(self, self.ctx, "monitoring")

    def export_excel(self) -> Task | None:
        """Save the list as filtered here to an Excel workbook, in the background."""
        if not self.model.rows:
            return None
        where = self.wanted_filter()

        def read(db) -> ExcelTable:
            return excel_table(coverage.list_items(db, where))

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
