"""The import dialog: attendees from an Excel or CSV file, or cells pasted from Excel.

It reads the file off the UI thread, guesses what each column holds, and shows a combo per
column (الاسم الرباعي، الجهة … or تجاهل), the header row (changeable), a preview of the
first rows with problems in red and duplicates in yellow, and the counts ("سيُضاف ١٢،
يُطابَق ٣، يُتجاوَز ٢") that follow every change. Import runs off the UI thread in one
transaction with a progress dialog whose Cancel keeps nothing; then the dialog closes,
leaving its summary (the counts, the duplicates and problems by row) for the attendees tab
to show in place. A clean list with recognised headers needs one click: «استيراد». The data work is
:mod:`models.importer`'s; this module only shows it.

The same dialog imports other records from a sheet: what it imports into is an
:class:`ImportTarget` (its fields for the column combos, how it guesses, plans and applies,
and how it words its counts and rows). :class:`AttendeesTarget`, the default, is an
activity's attendees; the monitoring page passes its own target for coverage items.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import importer
from models.arabic import isolate
from models.dates import DateStyle
from models.errors import IttisalError
from models.importer import FIELDS, ImportPlan, ImportResult, Mapping, Table
from models.importer_map import field_label, mapping_for_header
from ui.context import AppContext
from ui.formatting import index_text, number_text
from ui.tasks import Progress, Task, run_task, show_bug
from ui.widgets.field_errors import FieldMessage

TEXT = {
    "title": "استيراد المشاركين",
    "file": "الملف: {name}",
    "file_sheet": "الملف: {name} — الورقة: {sheet}",
    "clipboard": "من الحافظة: خلايا منسوخة من Excel",
    "sheet": "الورقة:",
    "header_row": "صف العناوين:",
    "no_header": "بلا عناوين",
    "columns": "ماذا يحوي كل عمود؟",
    "column": "العمود {n}",
    "ignore": "تجاهل",
    "preview": "معاينة أول {n} صفاً من البيانات:",
    "counts": "سيُضاف {added}، يُطابَق {matched}، يُتجاوَز {skipped}",
    "counting": "جارٍ فحص الصفوف…",
    "reading": "جارٍ قراءة الملف…",
    "need_name": "اختر العمود الذي فيه أسماء المشاركين.",
    "conflict": "اختير «{field}» لأكثر من عمود؛ اجعله لعمود واحد واختر «تجاهل» للآخر.",
    "import": "استيراد",
    "cancel": "إلغاء",
    "importing": "جارٍ استيراد المشاركين…",
    "cancelled": "أُلغي الاستيراد ولم يتغيّر شيء.",
    "failed": "تعذّر الاستيراد، ولم يتغيّر شيء: {message}",
    "bug": "حدث خطأ غير متوقع، ولم يتغيّر شيء. سُجّلت التفاصيل في ملف السجل.",
    "done": "أُضيف مشاركون جدد: {added}، طوبقوا مع مشاركين موجودين: {matched}، "
            "تُجووزوا: {skipped}",
    "duplicates": "المكررات المحتملة (لم تُضف مرتين):",
    "duplicate": "الصف {row}: {name} ← {matched} ({reason})",
    "problems": "صفوف فيها مشكلات لم تُستورد:",
    "problem": "الصف {row}: {message}",
    "row": "الصف",
    "status": "الحالة",
    "new": "جديد",
    "matched": "مطابق",
    "on_list": "في القائمة",
    "problem_status": "فيه مشكلة",
    "empty": "فارغ",
    "matched_tip": "يطابق «{name}» ({reason})",
    "matched_row_tip": "يطابق «{name}» في الصف {row} ({reason})",
    "possible_tip": "قد يكون «{name}» المسجَّل من قبل ({reason})؛ سيُضاف شخصاً جديداً، "
                    "ويمكن دمجهما بعد الاستيراد من صفحة المشاركين.",
    "possibles": "قد يكونون مسجلين من قبل (أُضيفوا؛ ادمجهم من صفحة المشاركين إن كانوا هم):",
}

PREVIEW_ROWS = 50
PROBLEM_COLOUR = QColor("#f9d6d5")
DUPLICATE_COLOUR = QColor("#fdf0c2")
NOTE_COLOUR = QColor("#e3eefb")

Index = QModelIndex | QPersistentModelIndex


class ImportPreviewModel(QAbstractTableModel):
    """The first rows of the file as they are, with what will happen to each.

    Columns: the file's row number, its status (جديد / مطابق / في القائمة / فيه مشكلة),
    then the file's own columns. Problem rows are red with their messages as tooltip;
    rows matched to someone known are yellow.
    """

    COL_ROW, COL_STATUS, COL_FIRST_CELL = 0, 1, 2
    STATUS_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, style: DateStyle | None = None, parent: Any = None,
                 target: ImportTarget | None = None) -> None:
        super().__init__(parent)
        self.style = style or DateStyle()
        self.target = target or AttendeesTarget(None)
        self._headers: list[str] = []
        self._rows: list[tuple[int, list[str], Any]] = []

    def set_preview(self, table: Table | None, mapping: Any,
                    plan: Any, limit: int = PREVIEW_ROWS) -> None:
        """Show the first ``limit`` non-empty data rows of ``table`` (with ``plan``'s
        outcome for each, when there is a plan)."""
        self.beginResetModel()
        self._headers, self._rows = [], []
        if table is not None and mapping is not None:
            header = table.rows[mapping.header_row] if mapping.header_row is not None else []
            self._headers = [
                (header[c].strip() if c < len(header) else "")
                or TEXT["column"].format(n=index_text(c + 1, self.style))
                for c in range(table.width)]
            planned = {r.row: r for r in plan.rows} if plan is not None else {}
            first = mapping.first_data_row
            for index, cells in enumerate(table.rows[first:], start=first + 1):
                if len(self._rows) >= limit:
                    break
                if not any(c.strip() for c in cells):
                    continue
                row = planned.get(index)
                if row is not None and row.status == importer.EMPTY:
                    continue
                self._rows.append((index, cells, row))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.COL_FIRST_CELL + len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == self.COL_ROW:
            return TEXT["row"]
        if section == self.COL_STATUS:
            return TEXT["status"]
        if 0 <= section - self.COL_FIRST_CELL < len(self._headers):
            return self._headers[section - self.COL_FIRST_CELL]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        number, cells, planned = self._rows[index.row()]
        column = index.column()
        status = planned.status if planned is not None else ""
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_ROW:
                return index_text(number, self.style)
            if column == self.COL_STATUS:
                return self.target.status_text(status)
            cell = column - self.COL_FIRST_CELL
            # Isolated, so that a phone number (digits and spaces, no strong letter) reads
            # left to right in the right-to-left table instead of coming out as 4567 123 0780.
            return isolate(cells[cell]) if 0 <= cell < len(cells) else None
        if role == self.STATUS_ROLE:
            return status
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.target.colour(planned) if planned is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and planned is not None:
            return self.target.row_tip(planned, self.style) or None
        return None


def _status_text(status: str) -> str:
    return {importer.NEW: TEXT["new"], importer.MATCHED: TEXT["matched"],
            importer.ON_LIST: TEXT["on_list"], importer.PROBLEM: TEXT["problem_status"],
            importer.EMPTY: TEXT["empty"]}.get(status, "")


def _duplicate_text(d: importer.Duplicate, style: DateStyle) -> str:
    if d.matched_row is not None:
        return TEXT["matched_row_tip"].format(name=d.matched_name, reason=d.reason,
                                              row=index_text(d.matched_row, style))
    return TEXT["matched_tip"].format(name=d.matched_name, reason=d.reason)


def _row_tip(row: importer.PlanRow, style: DateStyle) -> str:
    lines = [p.message for p in row.problems]
    if row.duplicate is not None:
        lines.append(_duplicate_text(row.duplicate, style))
    if row.possible is not None:
        lines.append(TEXT["possible_tip"].format(name=row.possible.matched_name,
                                                 reason=row.possible.reason))
    lines += [n.message for n in row.notes]
    return "\n".join(lines)


class ImportTarget:
    """What the mapping dialog imports into. Subclasses say which fields a column can
    feed, how the columns are guessed, how a plan is made and applied, and how the counts,
    rows and summary are worded; :class:`AttendeesTarget` is the attendees'."""

    #: The window's title, the progress line while writing, the message shown while the
    #: mapping lacks what the import needs, and the tables an import changes.
    title = ""
    importing = ""
    need = ""
    changed_tables: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()

    def field_label(self, name: str) -> str:
        """A field's Arabic name in the column combos."""
        raise NotImplementedError

    def guess(self, table: Table) -> Any:
        """The mapping guessed from the table (header row and columns)."""
        raise NotImplementedError

    def for_header(self, table: Table, header_row: int | None) -> Any:
        """The mapping guessed from a header row the user chose."""
        raise NotImplementedError

    def ready(self, mapping: Any) -> bool:
        """True when the mapping gives what the import needs to plan."""
        raise NotImplementedError

    def plan(self, db: Any, table: Table, mapping: Any) -> Any:
        """What the import would do (runs off the UI thread)."""
        raise NotImplementedError

    def apply(self, db: Any, plan: Any, progress: Any) -> Any:
        """Write the plan (runs off the UI thread); ``progress(done, total)``."""
        raise NotImplementedError

    def counts(self, plan: Any, style: DateStyle) -> str:
        """The counts line under the preview."""
        raise NotImplementedError

    def importable(self, plan: Any) -> bool:
        """True when the plan writes something."""
        raise NotImplementedError

    def status_text(self, status: str) -> str:
        """A row's status in the preview."""
        raise NotImplementedError

    def colour(self, row: Any) -> QColor | None:
        """A planned row's background in the preview."""
        raise NotImplementedError

    def row_tip(self, row: Any, style: DateStyle) -> str:
        """A planned row's tooltip: its problems, duplicate and notes."""
        raise NotImplementedError

    def summary(self, result: Any, style: DateStyle) -> str:
        """What an import did, in one line."""
        raise NotImplementedError

    def details(self, result: Any, style: DateStyle) -> list[str]:
        """What an import did, by row (duplicates, problems)."""
        raise NotImplementedError


class AttendeesTarget(ImportTarget):
    """An activity's attendees (:mod:`models.importer`)."""

    title = TEXT["title"]
    importing = TEXT["importing"]
    need = TEXT["need_name"]
    changed_tables = ("persons", "attendance")
    fields = FIELDS

    def __init__(self, activity_id: str | None) -> None:
        self.activity_id = activity_id

    def field_label(self, name: str) -> str:
        return field_label(name)

    def guess(self, table: Table) -> Mapping:
        return importer.guess_mapping(table)

    def for_header(self, table: Table, header_row: int | None) -> Mapping:
        return mapping_for_header(table, header_row)

    def ready(self, mapping: Mapping) -> bool:
        return mapping.has_name

    def plan(self, db: Any, table: Table, mapping: Mapping) -> ImportPlan:
        return importer.plan(db, table, mapping, self.activity_id)

    def apply(self, db: Any, plan: ImportPlan, progress: Any) -> ImportResult:
        return importer.apply(db, plan, self.activity_id, progress)

    def counts(self, plan: ImportPlan, style: DateStyle) -> str:
        return TEXT["counts"].format(
            added=number_text(plan.added, style), matched=number_text(plan.matched, style),
            skipped=number_text(plan.skipped, style))

    def importable(self, plan: ImportPlan) -> bool:
        return plan.added + plan.matched > 0

    def status_text(self, status: str) -> str:
        return _status_text(status)

    def colour(self, row: importer.PlanRow) -> QColor | None:
        if row.status == importer.PROBLEM:
            return PROBLEM_COLOUR
        if row.status in (importer.MATCHED, importer.ON_LIST):
            return DUPLICATE_COLOUR
        if row.notes or row.possible is not None:
            return NOTE_COLOUR
        return None

    def row_tip(self, row: importer.PlanRow, style: DateStyle) -> str:
        return _row_tip(row, style)

    def summary(self, result: ImportResult, style: DateStyle) -> str:
        return _summary_text(result, style)

    def details(self, result: ImportResult, style: DateStyle) -> list[str]:
        return _summary_details(result, style)


def _read(progress: Progress, db: Any, path: str | None, text: str | None,
          sheet: str | None, target: ImportTarget) -> tuple[Table, Any, Any]:
    """Background work: read the file (or paste), guess the columns, plan the import."""
    progress.step(label=TEXT["reading"])
    table = importer.read_table(path, sheet) if path is not None else \
        importer.parse_text(text or "")
    progress.step()
    mapping = target.guess(table)
    the_plan = target.plan(db, table, mapping) if target.ready(mapping) else None
    return table, mapping, the_plan


class ImportDialog(QDialog):
    """Import attendees into one activity from a file (``path``) or a paste (``text``);
    or, given a ``target``, other records (the activity is then the target's business)."""

    #: The file was read and its plan worked out (tests and callers may wait for it).
    planned = Signal()

    def __init__(self, ctx: AppContext, activity_id: str | None,
                 parent: QWidget | None = None, *, path: str | None = None,
                 text: str | None = None, target: ImportTarget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.activity_id, self.path, self.text = ctx, activity_id, path, text
        self.target = target or AttendeesTarget(activity_id)
        self.table: Table | None = None
        self.mapping: Any = None
        self.plan: Any = None
        self.result: Any = None
        #: Once imported: the counts in one line, and the duplicates and problems by row.
        self.summary_text = ""
        self.summary_details: list[str] = []
        self.task: Task | None = None
        self._generation = 0
        self._importing = False
        self.combos: list[QComboBox] = []
        self.setWindowTitle(self.target.title)
        self.setObjectName("importDialog")
        self.resize(980, 660)
        self._build()
        self._load(None)

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.source_label = QLabel(self)
        self.source_label.setObjectName("importSource")
        top.addWidget(self.source_label, 1)
        self.sheet_label = QLabel(TEXT["sheet"], self)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("importSheet")
        self.sheet_combo.activated.connect(self._sheet_chosen)
        top.addWidget(self.sheet_label)
        top.addWidget(self.sheet_combo)
        top.addSpacing(16)
        top.addWidget(QLabel(TEXT["header_row"], self))
        self.header_spin = QSpinBox(self)
        self.header_spin.setObjectName("importHeaderRow")
        self.header_spin.setSpecialValueText(TEXT["no_header"])
        self.header_spin.valueChanged.connect(self._header_changed)
        top.addWidget(self.header_spin)
        layout.addLayout(top)

        layout.addWidget(QLabel(TEXT["columns"], self))
        self.columns_area = QScrollArea(self)
        self.columns_area.setWidgetResizable(True)
        self.columns_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.columns_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.columns_widget = QWidget(self.columns_area)
        self.columns_grid = QGridLayout(self.columns_widget)
        self.columns_grid.setContentsMargins(0, 0, 0, 0)
        self.columns_area.setWidget(self.columns_widget)
        layout.addWidget(self.columns_area)

        self.preview_label = QLabel(TEXT["preview"].format(
            n=number_text(PREVIEW_ROWS, self.ctx.date_style)), self)
        layout.addWidget(self.preview_label)
        self.model = ImportPreviewModel(self.ctx.date_style, self, self.target)
        self.view = QTableView(self)
        self.view.setObjectName("importPreview")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.view.setWordWrap(False)
        layout.addWidget(self.view, 1)

        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("importCounts")
        font = self.counts_label.font()
        font.setBold(True)
        self.counts_label.setFont(font)
        layout.addWidget(self.counts_label)
        self.message = FieldMessage(self)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(self)
        self.import_button = QPushButton(TEXT["import"], self)
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton(TEXT["cancel"], self)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        self.source_label.setText(TEXT["file"].format(name=_file_name(self.path))
                                  if self.path is not None else TEXT["clipboard"])
        self.sheet_label.hide()
        self.sheet_combo.hide()
        self.counts_label.setText(TEXT["reading"])

    def _rebuild_columns(self) -> None:
        """One label (the column's header) and one combo (its field) per file column."""
        while self.columns_grid.count():
            item = self.columns_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.combos = []
        for column in range(self.columns_grid.columnCount()):
            self.columns_grid.setColumnStretch(column, 0)
        if self.table is None or self.mapping is None:
            return
        header = (self.table.rows[self.mapping.header_row]
                  if self.mapping.header_row is not None else [])
        style = self.ctx.date_style
        for column in range(self.table.width):
            title = (header[column].strip() if column < len(header) else "") or \
                TEXT["column"].format(n=index_text(column + 1, style))
            caption = QLabel(title, self.columns_widget)
            caption.setToolTip(title)
            caption.setMaximumWidth(220)
            combo = QComboBox(self.columns_widget)
            combo.setObjectName(f"importColumn{column}")
            combo.addItem(TEXT["ignore"], None)
            for name in self.target.fields:
                combo.addItem(self.target.field_label(name), name)
            combo.activated.connect(lambda _=0, c=column: self._column_chosen(c))
            self.columns_grid.addWidget(caption, 0, column)
            self.columns_grid.addWidget(combo, 1, column)
            self.combos.append(combo)
        self.columns_grid.setColumnStretch(self.table.width, 1)
        self.columns_grid.setRowStretch(2, 1)  # spare height goes under the combos
        self._show_mapping()
        if self.combos:
            # The new widgets are not shown yet, so the grid's own size hint leaves them out.
            scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
            self.columns_area.setFixedHeight(
                caption.sizeHint().height() + combo.sizeHint().height()
                + self.columns_grid.verticalSpacing() + scrollbar + 4)

    def _show_mapping(self) -> None:
        assert self.mapping is not None
        for column, combo in enumerate(self.combos):
            combo.setCurrentIndex(max(0, combo.findData(self.mapping.field_of(column))))

    # --- reading ------------------------------------------------------------------------

    def _load(self, sheet: str | None) -> None:
        self._set_busy(True)
        self.counts_label.setText(TEXT["reading"])
        path, text, target = self.path, self.text, self.target
        self.task = run_task(
            self, lambda progress, db: _read(progress, db, path, text, sheet, target),
            on_done=self._loaded, on_failed=self._failed, on_cancelled=self._load_cancelled,
            title=target.title, db_path=self.ctx.db.path)

    def _loaded(self, result: tuple[Table, Any, Any]) -> None:
        self.task = None
        self.table, self.mapping, plan = result
        self.sheet_combo.clear()
        self.sheet_combo.addItems(self.table.sheets)
        self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findText(self.table.sheet)))
        several = len(self.table.sheets) > 1
        self.sheet_label.setVisible(several)
        self.sheet_combo.setVisible(several)
        if self.path is not None and self.table.sheet and not several:
            self.source_label.setText(TEXT["file_sheet"].format(
                name=_file_name(self.path), sheet=self.table.sheet))
        self.header_spin.blockSignals(True)
        self.header_spin.setRange(0, len(self.table.rows))
        self.header_spin.setValue(0 if self.mapping.header_row is None
                                  else self.mapping.header_row + 1)
        self.header_spin.blockSignals(False)
        self._rebuild_columns()
        self._set_busy(False)
        self._show_plan(plan)

    def _load_cancelled(self) -> None:
        self.task = None
        self.reject()

    def _sheet_chosen(self, _index: int) -> None:
        if self.table is not None and self.sheet_combo.currentText() != self.table.sheet:
            self._load(self.sheet_combo.currentText())

    # --- mapping and plan ---------------------------------------------------------------

    def _header_changed(self, value: int) -> None:
        if self.table is None:
            return
        self.mapping = self.target.for_header(self.table, value - 1 if value > 0 else None)
        self._rebuild_columns()
        self._replan()

    def _column_chosen(self, column: int) -> None:
        if self.mapping is None:
            return
        self.mapping = self.mapping.assign(column, self.combos[column].currentData())
        self._replan()

    def _replan(self) -> None:
        """Work out the plan again for the new mapping, off the UI thread; a newer
        request makes an older one's answer moot."""
        assert self.table is not None and self.mapping is not None
        self._generation += 1
        generation = self._generation
        if not self.target.ready(self.mapping):
            self._show_plan(None)
            return
        self.import_button.setEnabled(False)
        self.counts_label.setText(TEXT["counting"])
        table, mapping, target = self.table, self.mapping, self.target
        run_task(self, lambda progress, db: target.plan(db, table, mapping),
                 on_done=lambda plan: self._planned(generation, plan),
                 on_failed=self._failed, db_path=self.ctx.db.path, show_progress=False)

    def _planned(self, generation: int, plan: Any) -> None:
        if generation == self._generation:
            self._show_plan(plan)

    def _show_plan(self, plan: Any) -> None:
        self.plan = plan
        self.model.set_preview(self.table, self.mapping, plan)
        self.view.resizeColumnsToContents()
        style = self.ctx.date_style
        if plan is None:
            self.counts_label.setText("")
            self.message.set_message(self.target.need)
        else:
            self.counts_label.setText(self.target.counts(plan, style))
            conflicts = plan.mapping.conflicts
            self.message.set_message(TEXT["conflict"].format(
                field="»، «".join(self.target.field_label(n) for n in conflicts))
                if conflicts else "")
        self.import_button.setEnabled(self._can_import())
        self.planned.emit()

    def _can_import(self) -> bool:
        plan = self.plan
        return (plan is not None and self.target.importable(plan)
                and not plan.mapping.conflicts and not self._importing)

    # --- importing ----------------------------------------------------------------------

    def start_import(self) -> None:
        """Apply the plan in the background; Cancel on the progress dialog keeps nothing."""
        if self.plan is None or self.task is not None:
            return
        plan, target = self.plan, self.target
        self._set_busy(True)
        self._importing = True

        finished: list[Any] = []

        def work(progress: Progress, db: Any) -> Any:
            def report(done: int, total: int) -> None:
                progress.step(done, total, target.importing)

            result = target.apply(db, plan, report)
            finished.append(result)  # committed: a late Cancel can no longer undo it
            return result

        self.task = run_task(self, work, on_done=self._applied, on_failed=self._failed,
                             on_cancelled=lambda: self._apply_cancelled(finished),
                             title=target.title, db_path=self.ctx.db.path)

    def _applied(self, result: Any) -> None:
        self.task = None
        self._importing = False
        self.result = result
        for table in self.target.changed_tables:
            self.ctx.changed(table)
        # Said by whoever opened the dialog (the attendees tab, the monitoring page) in
        # place, not in a box to dismiss.
        self.summary_text = self.target.summary(result, self.ctx.date_style)
        self.summary_details = self.target.details(result, self.ctx.date_style)
        self.accept()

    def _apply_cancelled(self, finished: list[Any]) -> None:
        if finished:  # Cancel was pressed after the last row, once all was written
            self._applied(finished[0])
            return
        self.task = None
        self._importing = False
        self._set_busy(False)
        self.message.set_message(TEXT["cancelled"])

    def _failed(self, error: BaseException) -> None:
        """A file that cannot be read, or an import that failed: say so; nothing changed."""
        self.task = None
        self._importing = False
        self._set_busy(False)
        if isinstance(error, IttisalError):
            self.message.set_message(str(error))
        else:
            self.message.set_message(TEXT["bug"])
            show_bug(self, text=TEXT["bug"])  # where the log is, and a button to its folder
        if self.plan is None:
            self.counts_label.setText("")
        self.import_button.setEnabled(self._can_import())

    def _set_busy(self, busy: bool) -> None:
        loaded = self.table is not None
        for widget in (self.sheet_combo, self.header_spin, self.columns_area):
            widget.setEnabled(loaded and not busy)
        self.import_button.setEnabled(not busy and self._can_import())

    def reject(self) -> None:
        """Close (Esc, Cancel, ×), except while an import is being written: the progress
        dialog's own Cancel stops that, and nothing of it is kept."""
        if self._importing:
            return
        if self.task is not None:
            self.task.cancel()
        super().reject()


def _file_name(path: str | None) -> str:
    return Path(path).name if path else ""


def _summary_text(result: ImportResult, style: DateStyle) -> str:
    return TEXT["done"].format(added=number_text(result.added, style),
                               matched=number_text(result.matched, style),
                               skipped=number_text(result.skipped, style))


def _summary_details(result: ImportResult, style: DateStyle) -> list[str]:
    lines: list[str] = []
    if result.duplicates:
        lines.append(TEXT["duplicates"])
        lines += [TEXT["duplicate"].format(row=index_text(d.row, style), name=d.name,
                                           matched=d.matched_name, reason=d.reason)
                  for d in result.duplicates]
    if result.possible_duplicates:
        lines.append(TEXT["possibles"])
        lines += [TEXT["duplicate"].format(row=index_text(d.row, style), name=d.name,
                                           matched=d.matched_name, reason=d.reason)
                  for d in result.possible_duplicates]
    if result.problems:
        lines.append(TEXT["problems"])
        lines += [TEXT["problem"].format(row=index_text(p.row, style), message=p.message)
                  for p in result.problems]
    return lines

