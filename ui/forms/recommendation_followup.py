"""The follow-up dialog of one recommendation: what it says and where it came from, its
history of dated notes, and a new note with the status it leaves the recommendation in.

Saving calls :func:`models.recommendations.add_note` (the note and the status together or
not at all); a broken rule (no text, a bad date) is shown under its field and nothing is
written.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import recommendations, vocab
from models.errors import IttisalError, ValidationError
from models.recommendations import RecommendationRow
from ui.context import AppContext
from ui.formatting import date_text
from ui.forms.form_base import TextArea
from ui.widgets import theme
from ui.widgets.choice_box import choice_box
from ui.widgets.date_edit import DateEdit
from ui.widgets.field_errors import FieldMessage

TEXT = {
    "title": "متابعة توصية",
    "source": "مصدرها: {title}، {date}",
    "source_undated": "مصدرها: {title}",
    "no_source": "مصدرها: —",
    "addressed_to": "الجهة المرفوعة إليها: {value}",
    "due": "تاريخ الاستحقاق: {date}",
    "no_due": "تاريخ الاستحقاق: لم يُحدد",
    "status": "الحالة: {status}",
    "overdue": " — {word} عن موعدها",
    "history": "سجل المتابعة",
    "no_history": "لا توجد ملاحظات متابعة بعد.",
    "h_date": "التاريخ",
    "h_status": "الحالة بعدها",
    "h_note": "الملاحظة",
    "unchanged": "—",
    "new_note": "متابعة جديدة",
    "date": "تاريخ المتابعة",
    "new_status": "الحالة",
    "note": "الملاحظة",
    "note_placeholder": "ما الذي جرى: كتاب رسمي، رد الجهة، ما نُفذ…",
    "save": "حفظ المتابعة",
    "cancel": "إلغاء",
}


class FollowUpDialog(QDialog):
    """Add a dated follow-up note to a recommendation, optionally changing its status."""

    def __init__(self, ctx: AppContext, recommendation_id: str,
                 parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.row: RecommendationRow = recommendations.get(ctx.db, recommendation_id,
                                                          today=self.today)
        self.setObjectName("followUpDialog")
        self.setWindowTitle(TEXT["title"])
        self.setMinimumWidth(640)
        style = ctx.date_style
        row = self.row

        self.text_label = QLabel(row.text, self)
        self.text_label.setObjectName("recommendationText")
        self.text_label.setWordWrap(True)
        font = self.text_label.font()
        font.setBold(True)
        self.text_label.setFont(font)
        facts = [self._source(), TEXT["addressed_to"].format(value=row.addressed_to or "—"),
                 TEXT["due"].format(date=date_text(row.due_date, style)) if row.due_date
                 else TEXT["no_due"]]
        status = TEXT["status"].format(status=row.status_label)
        if row.overdue:
            status += TEXT["overdue"].format(word=recommendations.OVERDUE_WORD)
        self.facts_label = QLabel("\n".join(facts), self)
        self.facts_label.setObjectName("recommendationFacts")
        self.facts_label.setWordWrap(True)
        self.status_label = QLabel(status, self)
        self.status_label.setObjectName("recommendationStatus")
        if row.overdue:  # the word says it; the colour only draws the eye
            self.status_label.setStyleSheet(f"color: {theme.ERROR};")

        self.history = QTableWidget(0, 3, self)
        self.history.setObjectName("history")
        self.history.setHorizontalHeaderLabels([TEXT["h_date"], TEXT["h_status"],
                                                TEXT["h_note"]])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setWordWrap(True)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for note in row.notes:
            r = self.history.rowCount()
            self.history.insertRow(r)
            for c, value in enumerate((date_text(note.date, style),
                                       note.status_label or TEXT["unchanged"], note.note)):
                self.history.setItem(r, c, QTableWidgetItem(value))
        self.no_history = QLabel(TEXT["no_history"], self)
        self.no_history.setObjectName("noHistory")
        self.no_history.setVisible(not row.notes)
        self.history.setVisible(bool(row.notes))

        self.date = DateEdit(ctx, self)
        self.date.setObjectName("noteDate")
        self.date.setValue(self.today)
        self.status = choice_box(self, "noteStatus", vocab.RECOMMENDATION_STATUSES)
        self.status.setCurrentIndex(max(self.status.findData(row.status), 0))
        self.note = TextArea(self, lines=3)
        self.note.setObjectName("noteText")
        self.note.setPlaceholderText(TEXT["note_placeholder"])
        self.errors = {"date": FieldMessage(self), "note": FieldMessage(self)}
        self.general_error = FieldMessage(self)

        form = QFormLayout()
        form.addRow(TEXT["date"], self.date)
        form.addRow("", self.errors["date"])
        form.addRow(TEXT["new_status"], self.status)
        form.addRow(TEXT["note"], self.note)
        form.addRow("", self.errors["note"])

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(TEXT["save"],
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveNote")
        self.save_button.setDefault(True)
        buttons.addButton(TEXT["cancel"], QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        heading = QLabel(TEXT["history"], self)
        heading.setObjectName("historyHeading")
        new_heading = QLabel(TEXT["new_note"], self)
        for label in (heading, new_heading):
            bold = label.font()
            bold.setBold(True)
            label.setFont(bold)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.status_label)
        layout.addWidget(heading)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.no_history)
        layout.addWidget(new_heading)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def _source(self) -> str:
        row = self.row
        if not row.activity_title:
            return TEXT["no_source"]
        if not row.activity_date:
            return TEXT["source_undated"].format(title=row.activity_title)
        return TEXT["source"].format(title=row.activity_title,
                                     date=date_text(row.activity_date, self.ctx.date_style))

    def save(self) -> bool:
        """Write the note (and the status, when changed); close on success. A broken rule
        is shown under its field and nothing is written."""
        for label in (*self.errors.values(), self.general_error):
            label.set_message("")
        status = self.status.currentData()
        try:
            recommendations.add_note(self.ctx.db, self.row.id, self.date.raw() or "",
                                     self.note.toPlainText(), status=status)
        except ValidationError as error:
            target = self.errors.get(error.field, self.general_error)
            target.set_message(str(error))
            (self.date if error.field == "date" else self.note).setFocus()
            return False
        except IttisalError as error:
            self.general_error.set_message(str(error))
            return False
        # One announcement: the note may have changed the recommendation's status too,
        # and every list of either reloads on it.
        self.ctx.changed("recommendations")
        self.accept()
        return True
