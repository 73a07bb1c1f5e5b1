"""Merging two records of one person: both side by side, the user picks the one to keep.

The kept record keeps its own values and takes the other's where its own are empty; the
other's attendance and certificates move to it, and the other goes to the recycle bin
(:func:`models.persons.merge`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models import persons, store
from models.arabic import isolate
from models.errors import IttisalError
from models.person_list import PersonFilter, list_persons
from models.records import Person, label
from ui.context import AppContext
from ui.formatting import number_text
from ui.forms.revise import ask_to_revise_activities
from ui.table_models.persons import gender_text
from ui.tasks import show_error

TEXT = {
    "title": "دمج سجلين لشخص واحد",
    "intro": "اختر السجل الذي يبقى. تنتقل إليه مشاركات السجل الآخر وشهاداته، وتُملأ حقوله "
             "الفارغة من السجل الآخر، ثم يُنقل السجل الآخر إلى سلة المحذوفات.",
    "keep": "إبقاء هذا السجل",
    "activities": "الأنشطة",
    "merge": "دمج",
    "merge_action": "الدمج",
    "merge_yes": "نعم، ادمج",
    "cancel": "إلغاء",
}

# The fields compared, in order (their labels come from the records' metadata).
FIELDS = ("full_name", "gender", "job_title", "entity", "phone", "email", "notes")


class MergeDialog(QDialog):
    """Two person records side by side; accepting merges them into the one chosen."""

    def __init__(self, ctx: AppContext, first_id: str, second_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mergeDialog")
        self.setWindowTitle(TEXT["title"])
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.people = [store.get(ctx.db, Person, first_id), store.get(ctx.db, Person, second_id)]
        counts = {row.id: row.activities for row in list_persons(
            ctx.db, PersonFilter(ids=(first_id, second_id)))}
        self.kept: Person | None = None

        intro = QLabel(TEXT["intro"], self)
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.choice = QButtonGroup(self)
        self.keep_buttons: list[QRadioButton] = []
        for column in (1, 2):
            button = QRadioButton(TEXT["keep"], self)
            button.setObjectName(f"keep{column}")
            self.choice.addButton(button, column - 1)
            self.keep_buttons.append(button)
            grid.addWidget(button, 0, column)
        # By default keep the record with more history (ties: the older record).
        more = counts.get(self.people[1].id, 0) > counts.get(self.people[0].id, 0)
        self.keep_buttons[1 if more else 0].setChecked(True)

        style = ctx.date_style
        rows = [(label(Person, name), [self._value(p, name) for p in self.people])
                for name in FIELDS]
        rows.append((TEXT["activities"],
                     [number_text(counts.get(p.id, 0), style) for p in self.people]))
        self.cells: list[list[QLabel]] = []
        for row, (caption, values) in enumerate(rows, start=1):
            heading = QLabel(caption, self)
            heading.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(heading, row, 0)
            differ = values[0] != values[1] and all(values)
            cells = []
            for column, value in enumerate(values, start=1):
                cell = QLabel(value, self)
                cell.setWordWrap(True)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
                if differ:  # where the two disagree, the choice matters: make it visible
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                grid.addWidget(cell, row, column)
                cells.append(cell)
            self.cells.append(cells)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

        buttons = QDialogButtonBox(self)
        self.merge_button = buttons.addButton(TEXT["merge"],
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("mergeButton")
        buttons.addButton(TEXT["cancel"], QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(720, 0)

    @staticmethod
    def _value(person: Person, name: str) -> str:
        value = getattr(person, name)
        if name == "gender":
            return gender_text(value, person.gender_guessed)
        if name in ("phone", "email"):
            return isolate(value)
        return str(value or "")

    @property
    def keep_id(self) -> str:
        """The id of the record chosen to stay."""
        return self.people[self.choice.checkedId()].id

    @property
    def drop_id(self) -> str:
        """The id of the record that goes to the bin."""
        return self.people[1 - self.choice.checkedId()].id

    def accept(self) -> None:
        """Merge, tell every list, and close; first ask when the merge changes the
        attendance of approved or sent activities (each becomes a new revision)."""
        try:
            locked = [a for a in persons.locked_by_merge(self.ctx.db, self.drop_id) if a.asks]
        except IttisalError as exc:
            show_error(self, exc)
            return
        if locked and not ask_to_revise_activities(
                self, TEXT["merge_action"], [(a.title, a.status) for a in locked],
                number_text(len(locked), self.ctx.date_style), TEXT["merge_yes"]):
            return
        try:
            self.kept = persons.merge(self.ctx.db, self.keep_id, self.drop_id)
        except IttisalError as exc:
            show_error(self, exc)
            return
        self.ctx.changed("persons")
        self.ctx.changed("attendance")
        super().accept()
