"""The form of one item of a communication plan, in the OASIS shape: the event or
campaign, its objective, audience and what is known of it, the message and strategy, the
channels (several), the owner, the planned date, priority and status, and the measures of
success (outputs, outtakes, outcomes).

The rules are the models' (:func:`models.records.problems`): every broken one is shown
under its field at once and nothing is written; saving goes through
:func:`models.plans.save_item` (one transaction). Linking the activity that carried an
item out is the page's business («ربط بنشاط…»), so the form only names it.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models import plans, records, store, vocab
from models.errors import IttisalError, ValidationError
from models.records import Activity, PlanItem
from ui.context import AppContext
from ui.formatting import date_text
from ui.forms.form_base import TextArea
from ui.widgets.date_edit import DateEdit
from ui.widgets.field_errors import FieldErrors, FieldMessage

TEXT = {
    "new_title": "بند جديد في المخطط",
    "edit_title": "تعديل بند المخطط",
    "plan": "المخطط: {title}",
    "title": "الفعالية أو الحملة",
    "title_placeholder": "مثل: حملة التوعية بموسم الأمطار",
    "objective": "الهدف",
    "audience": "الجمهور المستهدف",
    "insight": "ما نعرفه عن الجمهور",
    "strategy": "الرسالة والاستراتيجية",
    "channels": "القنوات",
    "owner": "الجهة المسؤولة",
    "date": "التاريخ المخطط",
    "priority": "الأولوية",
    "status": "الحالة",
    "outputs": "المخرجات (ما يُنتج)",
    "outtakes": "الأثر المباشر (ما يفهمه الجمهور)",
    "outcomes": "النتائج (ما يتغير)",
    "measures": "مقاييس النجاح",
    "activity": "النشاط المنفذ: {title}",
    "activity_dated": "النشاط المنفذ: {title}، {date}",
    "no_activity": "النشاط المنفذ: لم يُربط بعد (من زر «ربط بنشاط…» في الصفحة)",
    "save": "حفظ",
    "cancel": "إلغاء",
}

#: The channels a plan item can use, in the order the form offers them: the media of
#: the vocabulary that a unit plans for, and a meeting (a channel of a plan only).
CHANNELS: dict[str, str] = {
    **{key: vocab.MEDIA[key] for key in ("tv", "radio", "press", "website", "facebook", "x",
                                         "instagram", "telegram", "youtube")},
    "meeting": "اجتماع",
}
CHANNEL_COLUMNS = 5

__all__ = ["CHANNELS", "TEXT", "PlanItemDialog", "channel_label"]


def channel_label(key: str) -> str:
    """A channel's Arabic name (an unknown key as stored)."""
    return CHANNELS.get(key) or vocab.MEDIA.get(key, key)


class PlanItemDialog(QDialog):
    """Add an item to a plan, or edit one; ``item`` is the item as saved."""

    def __init__(self, ctx: AppContext, plan_id: str, item_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plans.get_plan(ctx.db, plan_id)
        self.item: PlanItem = (store.get(ctx.db, PlanItem, item_id) if item_id
                               else PlanItem(plan_id=self.plan.id))
        self.setObjectName("planItemDialog")
        self.setWindowTitle(TEXT["edit_title"] if item_id else TEXT["new_title"])
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setMinimumWidth(900)
        self.errors = FieldErrors()

        self.title = QLineEdit(self)
        self.title.setObjectName("title")
        self.title.setPlaceholderText(TEXT["title_placeholder"])
        self.date = DateEdit(ctx, self)
        self.date.setObjectName("date")
        self.owner = QLineEdit(self)
        self.owner.setObjectName("owner")
        self.priority = QComboBox(self)
        self.priority.setObjectName("priority")
        for key, label in vocab.PRIORITIES.items():
            self.priority.addItem(label, key)
        self.status = QComboBox(self)
        self.status.setObjectName("status")
        for key, label in vocab.PLAN_ITEM_STATUSES.items():
            self.status.addItem(label, key)
        self.audience = QLineEdit(self)
        self.audience.setObjectName("audience")
        self.texts: dict[str, TextArea] = {}
        for name in ("objective", "insight", "strategy", "outputs", "outtakes", "outcomes"):
            area = TextArea(self, lines=2)
            area.setObjectName(name)
            self.texts[name] = area

        self.channels: dict[str, QCheckBox] = {}
        channel_box = QWidget(self)
        grid = QGridLayout(channel_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for number, (key, label) in enumerate(CHANNELS.items()):
            box = QCheckBox(label, channel_box)
            box.setObjectName(f"channel_{key}")
            self.channels[key] = box
            grid.addWidget(box, number // CHANNEL_COLUMNS, number % CHANNEL_COLUMNS)

        self.activity_label = QLabel(self)
        self.activity_label.setObjectName("activityLabel")
        self.activity_label.setWordWrap(True)
        self.general_error = FieldMessage(self)

        heading = QLabel(TEXT["plan"].format(title=self.plan.title), self)
        bold = heading.font()
        bold.setBold(True)
        heading.setFont(bold)

        left = QFormLayout()
        left.addRow(TEXT["title"], self.errors.add("title", self.title))
        left.addRow(TEXT["objective"], self.errors.add("objective", self.texts["objective"]))
        left.addRow(TEXT["audience"], self.errors.add("audience", self.audience))
        left.addRow(TEXT["insight"], self.errors.add("insight", self.texts["insight"]))
        left.addRow(TEXT["strategy"], self.errors.add("strategy", self.texts["strategy"]))
        right = QFormLayout()
        right.addRow(TEXT["date"], self.errors.add("date", self.date))
        right.addRow(TEXT["owner"], self.errors.add("owner", self.owner))
        right.addRow(TEXT["priority"], self.errors.add("priority", self.priority))
        right.addRow(TEXT["status"], self.errors.add("status", self.status))
        right.addRow(TEXT["outputs"], self.errors.add("outputs", self.texts["outputs"]))
        right.addRow(TEXT["outtakes"], self.errors.add("outtakes", self.texts["outtakes"]))
        right.addRow(TEXT["outcomes"], self.errors.add("outcomes", self.texts["outcomes"]))
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addSpacing(16)
        columns.addLayout(right, 2)
        # The channels under both columns: ten choices need the form's whole width.
        channels = QFormLayout()
        channels.addRow(TEXT["channels"], self.errors.add("channels", channel_box))

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(TEXT["save"],
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveItem")
        self.save_button.setDefault(True)
        buttons.addButton(TEXT["cancel"], QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(columns)
        layout.addLayout(channels)
        layout.addWidget(self.activity_label)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self._show(self.item)
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show(self, item: PlanItem) -> None:
        self.title.setText(item.title)
        self.date.setValue(item.date)
        self.owner.setText(item.owner)
        self.audience.setText(item.audience)
        self.priority.setCurrentIndex(max(self.priority.findData(item.priority), 0))
        self.status.setCurrentIndex(max(self.status.findData(item.status), 0))
        for name, area in self.texts.items():
            area.setPlainText(getattr(item, name))
        for key, box in self.channels.items():
            box.setChecked(key in item.channels)
        self.activity_label.setText(self._activity_text(item.activity_id))

    def _activity_text(self, activity_id: str | None) -> str:
        if not activity_id:
            return TEXT["no_activity"]
        try:
            activity = store.get(self.ctx.db, Activity, activity_id)
        except IttisalError:
            return TEXT["no_activity"]
        if not activity.start_date:
            return TEXT["activity"].format(title=activity.title)
        return TEXT["activity_dated"].format(
            title=activity.title, date=date_text(activity.start_date, self.ctx.date_style))

    def wanted(self) -> PlanItem:
        """The item as the fields describe it (not yet cleaned or checked)."""
        # Channels the form does not offer (from an import, say) are kept as they were.
        others = [c for c in self.item.channels if c not in self.channels]
        return dataclasses.replace(
            self.item, title=self.title.text(), date=self.date.raw(),
            owner=self.owner.text(), audience=self.audience.text(),
            priority=self.priority.currentData(), status=self.status.currentData(),
            channels=[key for key, box in self.channels.items() if box.isChecked()] + others,
            **{name: area.toPlainText() for name, area in self.texts.items()})

    def save(self) -> bool:
        """Check every rule, show what is broken under its field, and save the item when
        nothing is; close on success."""
        self.general_error.set_message("")
        wanted = records.clean(self.wanted())
        found = records.problems(wanted)
        unplaced = self.errors.show(found)
        if found:
            self.general_error.set_message("\n".join(str(e) for e in unplaced))
            first = next((e.field for e in found if e.field in self.errors.widgets), None)
            if first:
                self.errors.widgets[first].setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        try:
            self.item = plans.save_item(self.ctx.db, wanted)
        except ValidationError as error:
            if self.errors.show([error]):
                self.general_error.set_message(str(error))
            return False
        except IttisalError as error:
            self.general_error.set_message(str(error))
            return False
        self.ctx.changed("plan_items")
        self.accept()
        return True
