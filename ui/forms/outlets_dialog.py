"""The directory of media outlets (دليل الوسائل الإعلامية), opened from the monitoring page.

A table of the outlets (name, medium, level, domain, how many coverage items name it),
narrowed by what is typed in the search field; «إضافة…» and «تعديل…» (or Enter, or a
double click) open :class:`OutletForm`, «حذف» asks first. Every change goes through
:mod:`models.outlets` and is announced as a change of the ``outlets`` table, so the
coverage form offers the new names at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import coverage, outlets, records, vocab
from models.arabic import search_key
from models.errors import IttisalError, ValidationError
from models.records import Outlet
from ui.context import AppContext
from ui.formatting import number_text
from ui.recycle_bin import confirm
from ui.table_models import RowListModel
from ui.tasks import show_error
from ui.widgets.choice_box import choice_box
from ui.widgets.field_errors import FieldErrors
from ui.widgets.record_table import record_table

TEXT = {
    "title": "دليل الوسائل الإعلامية",
    "search": "بحث:",
    "search_placeholder": "اكتب جزءاً من اسم الوسيلة أو نطاقها…",
    "headers": ("الوسيلة", "نوعها", "المستوى", "النطاق", "مواد الرصد"),
    "add": "إضافة…",
    "edit": "تعديل…",
    "delete": "حذف",
    "close": "إغلاق",
    "count": "عدد الوسائل في الدليل: {n}",
    "count_shown": "عدد الوسائل في الدليل: {n} (المعروض: {shown})",
    "form_new": "إضافة وسيلة إلى الدليل",
    "form_edit": "تعديل الوسيلة",
    "name": "اسم الوسيلة:",
    "medium": "نوع الوسيلة:",
    "level": "المستوى:",
    "domain": "النطاق:",
    "domain_placeholder": "مثل alsumaria.tv، أو الصق رابطاً من الموقع",
    "notes": "ملاحظات:",
    "save": "حفظ",
    "cancel": "إلغاء",
    "confirm_title": "حذف وسيلة",
    "confirm": "هل تريد حذف «{name}» من دليل الوسائل؟\n"
               "تبقى مواد الرصد التي تذكرها كما هي.",
    "yes_delete": "نعم، احذف",
    "no": "لا",
}

__all__ = ["TEXT", "OutletForm", "OutletsDialog", "OutletsModel"]

COL_NAME, COL_MEDIUM, COL_LEVEL, COL_DOMAIN, COL_ITEMS = range(5)
Index = QModelIndex | QPersistentModelIndex


class OutletsModel(RowListModel):
    """The outlets of the directory, each with how many coverage items name it."""

    HEADERS = TEXT["headers"]

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: dict[str, int] = {}

    def text(self, row: int, column: int) -> str:
        """What a cell shows."""
        outlet: Outlet = self.rows[row]
        if column == COL_NAME:
            return outlet.name
        if column == COL_MEDIUM:
            return vocab.MEDIA.get(outlet.medium, outlet.medium)
        if column == COL_LEVEL:
            return vocab.LEVELS.get(outlet.level, outlet.level)
        if column == COL_DOMAIN:
            return outlet.domain
        if column == COL_ITEMS:
            return number_text(self.items.get(search_key(outlet.name), 0),
                               self.ctx.date_style)
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_NAME:
            return self.rows[index.row()].notes or None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_ITEMS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class OutletForm(QDialog):
    """Add an outlet to the directory, or edit one (``outlet``)."""

    def __init__(self, ctx: AppContext, outlet: Outlet | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("outletForm")
        self.setWindowTitle(TEXT["form_edit" if outlet else "form_new"])
        self.outlet = outlet
        self.saved: Outlet | None = None
        self.errors = FieldErrors()
        self.name = QLineEdit(self)
        self.name.setObjectName("outletName")
        self.medium = choice_box(self, "outletMedium", vocab.MEDIA)
        self.level = choice_box(self, "outletLevel", vocab.LEVELS)
        self.domain = QLineEdit(self)
        self.domain.setObjectName("outletDomain")
        self.domain.setPlaceholderText(TEXT["domain_placeholder"])
        self.domain.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("outletNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        form = QFormLayout()
        form.addRow(TEXT["name"], self.errors.add("name", self.name))
        form.addRow(TEXT["medium"], self.errors.add("medium", self.medium))
        form.addRow(TEXT["level"], self.errors.add("level", self.level))
        form.addRow(TEXT["domain"], self.errors.add("domain", self.domain))
        form.addRow(TEXT["notes"], self.errors.add("notes", self.notes))
        self.save_button = QPushButton(TEXT["save"], self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(TEXT["cancel"], self)
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        base = outlet or Outlet(name="")
        self.name.setText(base.name)
        self.medium.setCurrentIndex(max(self.medium.findData(base.medium), 0))
        self.level.setCurrentIndex(max(self.level.findData(base.level), 0))
        self.domain.setText(base.domain)
        self.notes.setPlainText(base.notes)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.name.setFocus()

    def record(self) -> Outlet:
        """The outlet the fields describe (not checked)."""
        base = self.outlet or Outlet(name="")
        return records.clean(Outlet(**{
            **{f: getattr(base, f) for f in ("id", "unit_id", "created_at", "updated_at",
                                             "deleted_at")},
            "name": self.name.text(), "medium": self.medium.currentData(),
            "level": self.level.currentData(), "domain": self.domain.text(),
            "notes": self.notes.toPlainText()}))

    def save(self) -> bool:
        """Check and store the outlet; problems show under their fields."""
        outlet = self.record()
        problems = records.problems(outlet)
        if not problems:
            try:
                self.saved = outlets.save(self.ctx.db, outlet)
            except ValidationError as error:
                problems = [error]
            except IttisalError as error:
                show_error(self, error)
                return False
        unplaced = self.errors.show(problems)
        if problems:
            widget = self.errors.widgets.get(problems[0].field)
            if widget is not None:
                widget.setFocus()
            if unplaced:
                show_error(self, unplaced[0])
            return False
        self.ctx.changed(Outlet.table)
        self.accept()
        return True


class OutletsDialog(QDialog):
    """The directory as a table, with add, edit and delete."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("outletsDialog")
        self.setWindowTitle(TEXT["title"])
        self.model = OutletsModel(ctx, self)
        self.search = QLineEdit(self)
        self.search.setObjectName("outletSearch")
        self.search.setPlaceholderText(TEXT["search_placeholder"])
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.refresh())
        top = QHBoxLayout()
        top.addWidget(QLabel(TEXT["search"], self))
        top.addWidget(self.search, 1)

        self.table = record_table(self, "outletsTable", self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        width = self.fontMetrics().horizontalAdvance
        pad = 2 * width("_")
        for column, sample in ((COL_MEDIUM, "موقع إلكتروني"), (COL_LEVEL, "إقليمي_"),
                               (COL_DOMAIN, "alzawraapaper.com"), (COL_ITEMS, "مواد الرصد")):
            header.resizeSection(column, width(sample) + pad)
        self.table.activated.connect(lambda _index: self.edit_selected())

        self.count_label = QLabel(self)
        self.count_label.setObjectName("outletsCount")
        self.add_button = QPushButton(TEXT["add"], self)
        self.add_button.setObjectName("addOutlet")
        self.add_button.clicked.connect(self.add_outlet)
        self.edit_button = QPushButton(TEXT["edit"], self)
        self.edit_button.setObjectName("editOutlet")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(TEXT["delete"], self)
        self.delete_button.setObjectName("deleteOutlet")
        self.delete_button.clicked.connect(self.delete_selected)
        close = QPushButton(TEXT["close"], self)
        close.setObjectName("closeButton")
        close.clicked.connect(self.accept)
        for button in (self.add_button, self.edit_button, self.delete_button, close):
            button.setAutoDefault(False)  # Enter in the table edits, not closes
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        # Fits a 1280×720 screen with room for the window's frame and the taskbar.
        self.resize(min(self.fontMetrics().averageCharWidth() * 85, 900),
                    min(self.fontMetrics().lineSpacing() * 28, 620))
        self.refresh()
        self.search.setFocus()

    def refresh(self) -> None:
        """Read the directory again, narrowed by the search text, keeping the selection."""
        selected = self.current_id()
        every = outlets.list_outlets(self.ctx.db)
        self.model.items = {search_key(o.name): o.items
                            for o in coverage.known_outlets(self.ctx.db)}
        wanted = search_key(self.search.text())
        shown = [o for o in every if not wanted or wanted in search_key(o.name)
                 or wanted in o.domain]
        self.model.set_rows(shown)
        style = self.ctx.date_style
        self.count_label.setText(
            TEXT["count"].format(n=number_text(len(every), style)) if len(shown) == len(every)
            else TEXT["count_shown"].format(n=number_text(len(every), style),
                                            shown=number_text(len(shown), style)))
        if selected:
            self.select(selected)

    def current(self) -> Outlet | None:
        """The selected outlet."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def current_id(self) -> str | None:
        """The selected outlet's id."""
        outlet = self.current()
        return outlet.id if outlet else None

    def select(self, outlet_id: str) -> bool:
        """Select the outlet with this id, if listed."""
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        for number, outlet in enumerate(self.model.rows):
            if outlet.id == outlet_id:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(number, COL_NAME), flags)
                return True
        return False

    def _selection_changed(self, *_args: object) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _form(self, outlet: Outlet | None) -> Outlet | None:
        from ui.forms.form_base import run_modal

        form = OutletForm(self.ctx, outlet, self)
        run_modal(form)
        return form.saved

    def add_outlet(self) -> Outlet | None:
        """A new outlet, in its form."""
        saved = self._form(None)
        if saved is not None:
            self.search.clear()
            self.refresh()
            self.select(saved.id)
        return saved

    def edit_selected(self) -> Outlet | None:
        """The selected outlet, in its form."""
        outlet = self.current()
        if outlet is None:
            return None
        saved = self._form(outlet)
        if saved is not None:
            self.refresh()
            self.select(saved.id)
        return saved

    def delete_selected(self) -> bool:
        """Take the selected outlet out of the directory, after asking."""
        outlet = self.current()
        if outlet is None:
            return False
        if not confirm(self, TEXT["confirm_title"], TEXT["confirm"].format(name=outlet.name),
                       TEXT["yes_delete"], TEXT["no"]):
            return False
        try:
            outlets.delete(self.ctx.db, outlet.id)
        except IttisalError as error:
            show_error(self, error)
            return False
        self.ctx.changed(Outlet.table)
        self.refresh()
        return True
