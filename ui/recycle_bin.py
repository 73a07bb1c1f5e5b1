"""The recycle bin dialog (سلة المحذوفات): restore deleted records, or remove them for good.

Lists what :func:`models.recycle.items` holds, with the days left before each is removed
automatically; what has been there :data:`models.recycle.KEEP_DAYS` days is removed when
the dialog opens. Removing for good asks first; a person still on attendance lists stays
(the data core refuses), and the dialog says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import recycle, vocab
from models.dates import DateStyle
from models.errors import IttisalError
from ui.context import AppContext
from ui.formatting import date_text, number_text
from ui.table_models import DEFAULT_STYLE, RowsTableModel
from ui.tasks import show_error

TEXT = {
    "title": "سلة المحذوفات",
    "intro": "تبقى الأنشطة والمشاركون المحذوفون هنا {days} يوماً ثم يُحذفون نهائياً.",
    "headers": ("النوع", "العنوان", "تاريخ الحذف", "يُحذف نهائياً بعد"),
    "restore": "استعادة",
    "purge": "حذف نهائي",
    "empty": "إفراغ السلة",
    "close": "إغلاق",
    "empty_bin": "السلة فارغة.",
    "count": "في السلة: {n}",
    "in_use": "لا يُحذف ما دام في قوائم الحضور",
    "today": "عند الإفراغ التالي",
    "one_day": "يوم واحد",
    "two_days": "يومين",
    "few_days": "{n} أيام",
    "many_days": "{n} يوماً",
    "confirm_title": "حذف نهائي",
    "confirm_purge": "سيُحذف {what} نهائياً ولا يمكن التراجع عن ذلك. هل تريد المتابعة؟",
    "one_item": "«{title}»",
    "many_items": "{n} من السجلات المحددة",
    "confirm_empty": "ستُحذف كل السجلات في السلة ({n}) نهائياً ولا يمكن التراجع عن ذلك. "
                     "هل تريد المتابعة؟",
    "yes_purge": "نعم، احذف نهائياً",
    "no": "لا",
    "kept_title": "بقيت سجلات في السلة",
    "kept": "بقي {n} من المشاركين في السلة لأنهم ما زالوا في قوائم حضور أنشطة أو يحملون "
            "شهادات مشاركة:\n{names}",
    "kept_unsent": "بقي {n} من السجلات في السلة لأنها أُرسلت إلى الوزارة ولم يصلها حذفها بعد؛ "
                   "أرسل حزمة بيانات ثم احذفها:\n{names}",
}

COL_TYPE, COL_TITLE, COL_DELETED, COL_LEFT = range(4)
# The table each type of record lives in, announced when records come back or go.
TABLES = {"activity": "activities", "person": "persons", "plan_item": "plan_items",
          "coverage": "coverage_items", "plan": "plans"}
# The types vocab.RECORD_TYPES (also the search's types) does not name.
TYPE_NAMES = {**vocab.RECORD_TYPES, "plan": "مخطط اتصال"}

def confirm(parent: QWidget, title: str, text: str, yes: str, no: str) -> bool:
    """Ask before something is deleted; the default answer (Enter, Esc) is No."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def days_text(days: int, style: DateStyle) -> str:
    """A number of days in Arabic, with the noun in the form the number asks for."""
    if days <= 0:
        return TEXT["today"]
    if days == 1:
        return TEXT["one_day"]
    if days == 2:
        return TEXT["two_days"]
    key = "few_days" if days <= 10 else "many_days"
    return TEXT[key].format(n=number_text(days, style))


class BinModel(RowsTableModel):
    """The records in the recycle bin."""

    HEADERS = TEXT["headers"]

    def __init__(self, style: DateStyle = DEFAULT_STYLE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._style = style
        self.today = recycle.utc_today()

    def set_items(self, items: list[recycle.BinItem]) -> None:
        """Show these records."""
        self.beginResetModel()
        self._rows = list(items)
        self.today = recycle.utc_today()
        self.endResetModel()

    def item_at(self, row: int) -> recycle.BinItem:
        """The record shown on a row."""
        return self._rows[row]

    def text(self, item: recycle.BinItem, column: int) -> str:
        """What a cell shows."""
        if column == COL_TYPE:
            return TYPE_NAMES.get(item.type, item.type)
        if column == COL_TITLE:
            return item.title
        if column == COL_DELETED:
            return date_text(item.deleted_on, self._style)
        if column == COL_LEFT:
            if item.in_use:
                return TEXT["in_use"]
            return days_text(item.days_left(self.today), self._style)
        return ""

    def tooltip(self, item: recycle.BinItem, column: int) -> str:
        # Every cell's text, even an empty one (the base gives None for that).
        return self.text(item, column)


class RecycleBinDialog(QDialog):
    """Restore, remove for good, or empty the recycle bin."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("recycleBin")
        self.setWindowTitle(TEXT["title"])
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        style = ctx.date_style
        self.model = BinModel(style, self)

        intro = QLabel(TEXT["intro"].format(days=number_text(recycle.KEEP_DAYS, style)), self)
        intro.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("binTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("binCount")

        buttons = QDialogButtonBox(self)
        self.restore_button = self._button(buttons, "restore", self.restore_selected)
        self.purge_button = self._button(buttons, "purge", self.purge_selected)
        self.empty_button = self._button(buttons, "empty", self.empty_bin)
        close = buttons.addButton(TEXT["close"], QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("closeButton")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self.resize(760, 460)

        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        # The bin keeps records KEEP_DAYS days: what is older goes before it is listed.
        try:
            if recycle.purge_expired(ctx.db):
                self._announce(("activity", "person"))
        except IttisalError as exc:  # a locked file, say: list what is there anyway
            show_error(self, exc)
        self.reload()

    def _button(self, box: QDialogButtonBox, name: str, slot: Callable[[], None]) -> QPushButton:
        button = box.addButton(TEXT[name], QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(f"{name}Button")
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def reload(self) -> None:
        """List the bin again."""
        self.model.set_items(recycle.items(self.ctx.db))
        n = self.model.rowCount()
        self.count_label.setText(TEXT["count"].format(n=number_text(n, self.ctx.date_style))
                                 if n else TEXT["empty_bin"])

    def selected_items(self) -> list[recycle.BinItem]:
        """The selected records, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.item_at(row) for row in rows]

    def _update_buttons(self) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.restore_button.setEnabled(selected)
        self.purge_button.setEnabled(selected)
        self.empty_button.setEnabled(self.model.rowCount() > 0)

    def _announce(self, types: Iterable[str]) -> None:
        for table in dict.fromkeys(TABLES[t] for t in types):
            self.ctx.changed(table)

    def restore_selected(self) -> None:
        """Bring the selected records back into their lists."""
        items = self.selected_items()
        if not items:
            return
        try:
            recycle.restore_items(self.ctx.db, items)
        except IttisalError as exc:
            show_error(self, exc)
        self.reload()
        self._announce(item.type for item in items)

    def purge_selected(self) -> None:
        """Remove the selected records for good, after asking."""
        items = self.selected_items()
        if not items:
            return
        what = (TEXT["one_item"].format(title=items[0].title) if len(items) == 1 else
                TEXT["many_items"].format(n=number_text(len(items), self.ctx.date_style)))
        if not confirm(self, TEXT["confirm_title"], TEXT["confirm_purge"].format(what=what),
                       TEXT["yes_purge"], TEXT["no"]):
            return
        kept: list[recycle.BinItem] = []
        # Activities first: their going may free a person selected with them.
        for item in sorted(items, key=lambda i: i.type != "activity"):
            try:
                recycle.purge(self.ctx.db, item.type, item.id)
            except (recycle.InUseError, recycle.UnsentDeletionError):
                kept.append(item)
            except IttisalError as exc:
                show_error(self, exc)
                break
        self.reload()
        self._announce(item.type for item in items)
        self._tell_kept(kept)

    def empty_bin(self) -> None:
        """Remove everything in the bin for good, after asking."""
        n = self.model.rowCount()
        if not n:
            return
        if not confirm(self, TEXT["confirm_title"],
                       TEXT["confirm_empty"].format(n=number_text(n, self.ctx.date_style)),
                       TEXT["yes_purge"], TEXT["no"]):
            return
        try:
            recycle.empty(self.ctx.db)
        except IttisalError as exc:
            show_error(self, exc)
        self.reload()
        self._announce(("activity", "person"))
        self._tell_kept([self.model.item_at(row) for row in range(self.model.rowCount())])

    def _tell_kept(self, kept: list[recycle.BinItem]) -> None:
        # Persons stay for their lists; activities and plans until their deletion is sent.
        for key, group in (("kept", [i for i in kept if i.type == "person"]),
                           ("kept_unsent", [i for i in kept if i.type != "person"])):
            if not group:
                continue
            names = "\n".join(f"• {item.title}" for item in group[:10])
            QMessageBox.information(self, TEXT["kept_title"], TEXT[key].format(
                n=number_text(len(group), self.ctx.date_style), names=names))
