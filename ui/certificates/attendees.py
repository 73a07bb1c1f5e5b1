"""Who gets a certificate: the activity's attendance list with a check box each.

Everyone on the list (:func:`models.attendance.attendees`) is shown, with the days they
attended and the serial of a certificate already issued (:func:`models.certificates.find`;
a reprint keeps it). Those who attended at least one day are checked at first; someone
moved to the recycle bin is shown greyed and cannot be chosen. A search
box narrows a long list; "تحديد الكل" and "إلغاء التحديد" act on the rows shown; a line
says how many certificates will be issued, in the unit's digits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import certificates, store
from models.arabic import search_key
from models.attendance import attendees
from models.records import Activity, Person
from ui.context import AppContext
from ui.formatting import number_text
from ui.widgets.theme import MUTED_COLOUR

__all__ = ["COL_DAYS", "COL_NAME", "COL_SERIAL", "TEXT", "AttendeeChooser", "count_text"]

TEXT = {
    "search": "ابحث عن اسم…",
    "all": "تحديد الكل",
    "none": "إلغاء التحديد",
    "headers": ("الاسم", "الحضور", "رقم الشهادة"),
    "days": "{n} من {total}",
    "absent": "لم يحضر",
    "deleted": "في سلة المحذوفات",
    "no_serial": "—",
    "serial_tip": "صدرت شهادته من قبل؛ تُعاد طباعتها بالرقم نفسه",
    "empty": "لا أحد في قائمة حضور هذا النشاط. أضف المشاركين من نموذج النشاط "
             "(تبويب «المشاركون») ثم عد إلى هنا.",
    # the count, by Arabic number agreement
    "count_0": "لم يُختر أحد بعد",
    "count_1": "سيُصدر شهادة واحدة",
    "count_2": "سيُصدر شهادتين",
    "count_few": "سيُصدر {n} شهادات",
    "count_many": "سيُصدر {n} شهادة",
    "count_of": "{count} (من {total} في القائمة)",
}

COL_NAME, COL_DAYS, COL_SERIAL = range(3)
PERSON_ROLE = Qt.ItemDataRole.UserRole
MUTED = MUTED_COLOUR


def count_text(n: int, digits: str) -> str:
    """"سيُصدر ٣٢ شهادة", with the counted noun agreeing with the number."""
    from models.arabic import apply_digits

    if n <= 2:
        return TEXT[f"count_{n}"]
    tail = n % 100
    key = "count_few" if 3 <= tail <= 10 else "count_many"
    return TEXT[key].format(n=apply_digits(str(n), digits))


class AttendeeChooser(QWidget):
    """The activity's attendees, checkable; the current row is the preview's person."""

    #: The checked set changed.
    checked_changed = Signal()
    #: Another attendee became the current row.
    current_changed = Signal()

    def __init__(self, ctx: AppContext, activity_id: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.activity_id = activity_id
        self.persons: dict[str, Person] = {}
        self.search = QLineEdit(self)
        self.search.setObjectName("certSearch")
        self.search.setPlaceholderText(TEXT["search"])
        self.search.setClearButtonEnabled(True)
        self.all_button = QPushButton(TEXT["all"], self)
        self.all_button.setObjectName("certCheckAll")
        self.none_button = QPushButton(TEXT["none"], self)
        self.none_button.setObjectName("certCheckNone")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("certAttendees")
        self.tree.setHeaderLabels(list(TEXT["headers"]))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_DAYS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SERIAL, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel(TEXT["empty"], self)
        self.empty.setObjectName("certNoAttendees")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("certCount")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.all_button)
        top.addWidget(self.none_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.count_label)

        self.load()
        self.all_button.clicked.connect(lambda: self.set_all(True))
        self.none_button.clicked.connect(lambda: self.set_all(False))
        self.search.textChanged.connect(self._filter)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self.current_changed.emit())

    # --- the list ---------------------------------------------------------------------

    def load(self) -> None:
        """Read the attendance list; the attended ones checked, the first of them current."""
        style = self.ctx.date_style
        activity = store.get(self.ctx.db, Activity, self.activity_id)
        total = max(1, activity.days)
        self.tree.blockSignals(True)
        self.tree.clear()
        first: QTreeWidgetItem | None = None
        for attendee in attendees(self.ctx.db, self.activity_id):
            person = attendee.person
            self.persons[person.id] = person
            item = QTreeWidgetItem(self.tree)
            item.setData(COL_NAME, PERSON_ROLE, person.id)
            item.setText(COL_NAME, person.full_name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            came = bool(attendee.days) and not person.deleted_at
            item.setCheckState(COL_NAME, Qt.CheckState.Checked if came
                               else Qt.CheckState.Unchecked)
            if person.deleted_at:
                # In the recycle bin: no certificate can be issued, so it cannot be chosen.
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setText(COL_DAYS, TEXT["deleted"])
            elif came:
                item.setText(COL_DAYS, TEXT["days"].format(
                    n=number_text(len(attendee.days), style), total=number_text(total, style)))
            else:
                item.setText(COL_DAYS, TEXT["absent"])
                item.setForeground(COL_DAYS, QBrush(MUTED))
            if first is None and came:
                first = item
        self.refresh_serials()
        self.tree.blockSignals(False)
        if first is None:
            first = next((i for i in self.items() if i.flags() & Qt.ItemFlag.ItemIsEnabled),
                         None)
        if first is not None:
            self.tree.setCurrentItem(first)
        has_any = self.tree.topLevelItemCount() > 0
        self.tree.setVisible(has_any)
        self.empty.setVisible(not has_any)
        for widget in (self.search, self.all_button, self.none_button):
            widget.setEnabled(has_any)
        self._update_count()

    def refresh_serials(self) -> None:
        """Show each attendee's certificate serial, if one was issued."""
        blocked = self.tree.blockSignals(True)
        for item in self.items():
            cert = certificates.find(self.ctx.db, item.data(COL_NAME, PERSON_ROLE),
                                     self.activity_id)
            serial = cert.serial if cert is not None and cert.deleted_at is None else ""
            # A Latin serial reads left to right inside the Arabic row.
            item.setText(COL_SERIAL, f"\u2066{serial}\u2069" if serial else TEXT["no_serial"])
            item.setToolTip(COL_SERIAL, TEXT["serial_tip"] if serial else "")
            item.setData(COL_SERIAL, PERSON_ROLE, serial)
        self.tree.blockSignals(blocked)

    def items(self) -> list[QTreeWidgetItem]:
        """Every row, in list order."""
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def item_of(self, person_id: str) -> QTreeWidgetItem | None:
        """The row of a person."""
        return next((i for i in self.items() if i.data(COL_NAME, PERSON_ROLE) == person_id),
                    None)

    def serial_of(self, person_id: str) -> str:
        """The serial shown for a person ("" when none was issued)."""
        item = self.item_of(person_id)
        return item.data(COL_SERIAL, PERSON_ROLE) or "" if item is not None else ""

    # --- choosing ---------------------------------------------------------------------

    def checked_ids(self) -> list[str]:
        """The checked persons' ids, in list order."""
        return [i.data(COL_NAME, PERSON_ROLE) for i in self.items()
                if i.checkState(COL_NAME) == Qt.CheckState.Checked]

    def set_checked(self, person_id: str, checked: bool) -> None:
        """Check or uncheck one person."""
        item = self.item_of(person_id)
        if item is not None:
            item.setCheckState(COL_NAME, Qt.CheckState.Checked if checked
                               else Qt.CheckState.Unchecked)

    def set_all(self, checked: bool) -> None:
        """Check (or uncheck) every row the search shows."""
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.tree.blockSignals(True)
        for item in self.items():
            if not item.isHidden() and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                item.setCheckState(COL_NAME, state)
        self.tree.blockSignals(False)
        self._update_count()
        self.checked_changed.emit()

    def current_person(self) -> Person | None:
        """The attendee on the current row (the preview's)."""
        item = self.tree.currentItem()
        return self.persons.get(item.data(COL_NAME, PERSON_ROLE)) if item else None

    def set_current(self, person_id: str) -> None:
        """Make a person's row the current one."""
        item = self.item_of(person_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _item_changed(self, _item: QTreeWidgetItem, column: int) -> None:
        if column == COL_NAME:
            self._update_count()
            self.checked_changed.emit()

    def _filter(self, text: str) -> None:
        key = search_key(text)
        for item in self.items():
            item.setHidden(bool(key) and key not in search_key(item.text(COL_NAME)))

    def _update_count(self) -> None:
        n = len(self.checked_ids())
        total = self.tree.topLevelItemCount()
        text = count_text(n, self.ctx.date_style.digits)
        if n != total and total:
            text = TEXT["count_of"].format(count=text,
                                           total=number_text(total, self.ctx.date_style))
        self.count_label.setText(text)
