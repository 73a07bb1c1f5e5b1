"""The form of one item of a communication plan, in the OASIS shape: the event or
campaign, its objective, audience and what is known of it, the key message, strategy and
tactic, the channels (several), the owner and partners, the planned date, priority and
status, and the measure of success.

The measure of success keeps the three OASIS texts (outputs, outtakes, outcomes) and adds
its level (المستوى: which of the three the item is judged by, or none yet) and its target
(المستهدف). One text for the chosen level alone would hide what items entered before the
level existed (and copies of them) hold in the other two, and OASIS plans all three; the
level says which one the target belongs to. Two columns keep the form within 1280×720.

The rules are the models' (:func:`models.records.problems`): every broken one is shown
under its field at once and nothing is written; saving goes through
:func:`models.plans.save_item` (one transaction). Linking the activity that carried an
item out is the page's business («ربط بنشاط…»), so the form only names it.

An item of an approved or sent plan opens read-only under a line saying so, with
«تعديل», which asks first (:func:`ask_to_revise`, in the activity form's words); every
save goes through :func:`models.approval.revision`, so the plan becomes a new revision
(a draft to approve and send again) in the item's transaction.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
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

from models import approval, plans, records, store, vocab
from models.errors import IttisalError, ValidationError
from models.records import Activity, PlanItem
from ui.context import AppContext
from ui.formatting import date_text, digits_text
from ui.forms.form_base import TextArea, ask, moment_text
from ui.widgets.approval_banner import ApprovalBanner
from ui.widgets.choice_box import choice_box
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
    "key_message": "الرسالة الرئيسية",
    "strategy": "الاستراتيجية",
    "tactic": "التكتيك (كيف تُنفذ)",
    "partners": "الشركاء",
    "partners_placeholder": "جهات تشارك في التنفيذ",
    "channels": "القنوات",
    "owner": "الجهة المسؤولة",
    "date": "التاريخ المخطط",
    "priority": "الأولوية",
    "status": "الحالة",
    "outputs": "المخرجات (ما يُنتج)",
    "outtakes": "الأثر المباشر (ما يفهمه الجمهور)",
    "outcomes": "النتائج (ما يتغير)",
    "measures": "مقياس النجاح",
    "measure_kind": "المستوى",
    "no_measure_kind": "— لم يُحدد —",
    "measure_target": "المستهدف",
    "target_placeholder": "مثل: ٥٠٠ مشاهدة، أو ٧٠٪ يعرفون موعد التسجيل",
    "activity": "النشاط المنفذ: {title}",
    "activity_dated": "النشاط المنفذ: {title}، {date}",
    "no_activity": "النشاط المنفذ: لم يُربط بعد (من زر «ربط بنشاط…» في الصفحة)",
    "save": "حفظ",
    "cancel": "إلغاء",
    "close": "إغلاق",
    # Approval (issue 13): the activity form's words, for a plan.
    "unlock": "تعديل",
    "unlock_tip": "تعديل بند في مخطط معتمد أو مرسل (نسخة جديدة من المخطط)",
    "unlock_title": "تعديل مخطط معتمد",
    "unlock_question": "هذا المخطط {state}. تعديله يُنشئ نسخة جديدة يجب اعتمادها "
                       "وإرسالها من جديد. متابعة؟",
    "state_approved": "معتمد",
    "state_sent": "مرسل",
    "yes_unlock": "نعم، عدّل",
    "no": "لا",
    "locked_banner": "هذا البند من مخطط {state}؛ لا يُعدَّل إلا بنسخة جديدة من المخطط.",
    "locked_by": "هذا البند من مخطط {state} (اعتمده {by} في {when})؛ لا يُعدَّل إلا بنسخة "
                 "جديدة من المخطط.",
    "revising_banner": "تعديل نسخة جديدة: بعد الحفظ يعود المخطط مسودة يجب اعتمادها "
                       "وإرسالها من جديد.",
}

#: The channels a plan item can use, in the order the form offers them: the media of
#: the vocabulary that a unit plans for, and a meeting (a channel of a plan only).
CHANNELS: dict[str, str] = {
    **{key: vocab.MEDIA[key] for key in ("tv", "radio", "press", "website", "facebook", "x",
                                         "instagram", "telegram", "youtube")},
    "meeting": "اجتماع",
}
CHANNEL_COLUMNS = 5

__all__ = ["CHANNELS", "TEXT", "PlanItemDialog", "ask_to_revise", "channel_label"]


def channel_label(key: str) -> str:
    """A channel's Arabic name (an unknown key as stored)."""
    return CHANNELS.get(key) or vocab.MEDIA.get(key, key)


def ask_to_revise(parent: QWidget | None, state: approval.ApprovalState) -> bool:
    """Ask before an approved or sent plan is edited (its items, its title or period);
    True when the user agrees that it becomes a new revision."""
    word = TEXT["state_sent" if state.status == "sent" else "state_approved"]
    return ask(parent, TEXT["unlock_title"], TEXT["unlock_question"].format(state=word),
               yes=TEXT["yes_unlock"], no=TEXT["no"])


class PlanItemDialog(QDialog):
    """Add an item to a plan, or edit one; ``item`` is the item as saved.

    An item of an approved or sent plan opens read-only (:attr:`locked`) unless
    ``revising`` says the user already agreed to a new revision of the plan."""

    def __init__(self, ctx: AppContext, plan_id: str, item_id: str | None = None,
                 parent: QWidget | None = None, *, revising: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plans.get_plan(ctx.db, plan_id)
        self._guard = None if revising else approval.guard(ctx.db, "plan", self.plan.id)
        self.item: PlanItem = (store.get(ctx.db, PlanItem, item_id) if item_id
                               else PlanItem(plan_id=self.plan.id))
        self.setObjectName("planItemDialog")
        self.setWindowTitle(TEXT["edit_title"] if item_id else TEXT["new_title"])
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setMinimumWidth(1000)
        self.errors = FieldErrors()

        self.title = QLineEdit(self)
        self.title.setObjectName("title")
        self.title.setPlaceholderText(TEXT["title_placeholder"])
        self.date = DateEdit(ctx, self)
        self.date.setObjectName("date")
        self.owner = QLineEdit(self)
        self.owner.setObjectName("owner")
        self.priority = choice_box(self, "priority", vocab.PRIORITIES)
        self.status = choice_box(self, "status", vocab.PLAN_ITEM_STATUSES)
        self.audience = QLineEdit(self)
        self.audience.setObjectName("audience")
        self.partners = QLineEdit(self)
        self.partners.setObjectName("partners")
        self.partners.setPlaceholderText(TEXT["partners_placeholder"])
        self.measure_kind = choice_box(self, "measure_kind", vocab.MEASURE_KINDS,
                                       first=(TEXT["no_measure_kind"], ""))
        self.measure_target = QLineEdit(self)
        self.measure_target.setObjectName("measure_target")
        self.measure_target.setPlaceholderText(TEXT["target_placeholder"])
        self.texts: dict[str, TextArea] = {}
        for name in ("objective", "insight", "key_message", "strategy", "tactic", "outputs",
                     "outtakes", "outcomes"):
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

        heading = QLabel(TEXT["plan"].format(
            title=digits_text(self.plan.title, self.ctx.date_style)), self)
        bold = heading.font()
        bold.setBold(True)
        heading.setFont(bold)

        left = QFormLayout()
        left.addRow(TEXT["title"], self.errors.add("title", self.title))
        left.addRow(TEXT["objective"], self.errors.add("objective", self.texts["objective"]))
        left.addRow(TEXT["audience"], self.errors.add("audience", self.audience))
        left.addRow(TEXT["insight"], self.errors.add("insight", self.texts["insight"]))
        for name in ("key_message", "strategy", "tactic"):
            left.addRow(TEXT[name], self.errors.add(name, self.texts[name]))
        right = QFormLayout()
        right.addRow(TEXT["date"], self.errors.add("date", self.date))
        right.addRow(TEXT["owner"], self.errors.add("owner", self.owner))
        right.addRow(TEXT["partners"], self.errors.add("partners", self.partners))
        right.addRow(TEXT["priority"], self.errors.add("priority", self.priority))
        right.addRow(TEXT["status"], self.errors.add("status", self.status))
        measures = QLabel(TEXT["measures"], self)
        measures.setFont(bold)
        right.addRow(measures)
        right.addRow(TEXT["measure_kind"],
                     self.errors.add("measure_kind", self.measure_kind))
        right.addRow(TEXT["outputs"], self.errors.add("outputs", self.texts["outputs"]))
        right.addRow(TEXT["outtakes"], self.errors.add("outtakes", self.texts["outtakes"]))
        right.addRow(TEXT["outcomes"], self.errors.add("outcomes", self.texts["outcomes"]))
        right.addRow(TEXT["measure_target"],
                     self.errors.add("measure_target", self.measure_target))
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        # The channels under both columns: ten choices need the form's whole width.
        channels = QFormLayout()
        channels.addRow(TEXT["channels"], self.errors.add("channels", channel_box))

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(TEXT["save"],
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveItem")
        self.save_button.setDefault(True)
        self.cancel_button = buttons.addButton(TEXT["cancel"],
                                               QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self._build_banner(revising))
        layout.addLayout(columns)
        layout.addLayout(channels)
        layout.addWidget(self.activity_label)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self._show(self.item)
        self._fields = [self.title, self.date, self.owner, self.priority, self.status,
                        self.audience, self.partners, self.measure_kind,
                        self.measure_target, channel_box, *self.texts.values()]
        self._set_editable(self._guard is None)
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- approval (issue 13) ------------------------------------------------------------------

    def _build_banner(self, revising: bool) -> QWidget:
        """The plan's approval over the fields, with «تعديل»; hidden for a draft plan."""
        self.banner = ApprovalBanner(self, TEXT["unlock"], TEXT["unlock_tip"], self.unlock)
        self.banner_text, self.unlock_button = self.banner.text, self.banner.unlock_button
        state = self._guard
        if revising:
            self.banner_text.setText(TEXT["revising_banner"])
        elif state is not None:
            word = TEXT["state_sent" if state.status == "sent" else "state_approved"]
            self.banner_text.setText(
                TEXT["locked_by"].format(state=word, by=state.approved_by,
                                         when=moment_text(state.approved_at,
                                                          self.ctx.date_style))
                if state.approved_by and state.approved_at
                else TEXT["locked_banner"].format(state=word))
        self.unlock_button.setVisible(state is not None)
        self.banner.setVisible(revising or state is not None)
        return self.banner

    def _set_editable(self, editable: bool) -> None:
        for widget in self._fields:
            widget.setEnabled(editable)
        self.save_button.setEnabled(editable)
        # Nothing to cancel in a form that cannot be edited.
        self.cancel_button.setText(TEXT["cancel" if editable else "close"])

    @property
    def locked(self) -> bool:
        """Whether the item is shown read-only (its plan is approved or sent)."""
        return self._guard is not None

    def unlock(self) -> bool:
        """«تعديل»: after the user agrees, the item can be edited; saving it makes the plan
        a new revision. True when unlocked."""
        if self._guard is None:
            return True
        if not ask_to_revise(self, self._guard):
            return False
        self._guard = None
        self.banner_text.setText(TEXT["revising_banner"])
        self.unlock_button.hide()
        self._set_editable(True)
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _show(self, item: PlanItem) -> None:
        self.title.setText(item.title)
        self.date.setValue(item.date)
        self.owner.setText(item.owner)
        self.audience.setText(item.audience)
        self.partners.setText(item.partners)
        self.measure_target.setText(item.measure_target)
        # (an unknown stored level shows as none rather than as another one)
        self.measure_kind.setCurrentIndex(max(self.measure_kind.findData(item.measure_kind), 0))
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
            partners=self.partners.text(), measure_target=self.measure_target.text(),
            measure_kind=self.measure_kind.currentData() or "",
            priority=self.priority.currentData(), status=self.status.currentData(),
            channels=[key for key, box in self.channels.items() if box.isChecked()] + others,
            **{name: area.toPlainText() for name, area in self.texts.items()})

    def save(self) -> bool:
        """Check every rule, show what is broken under its field, and save the item when
        nothing is; close on success."""
        self.general_error.set_message("")
        if self._guard is not None:  # read-only until «تعديل»
            return False
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
            # The plan follows its item: a new revision, in the item's transaction.
            with approval.revision(self.ctx.db, "plan", self.plan.id):
                self.item = plans.save_item(self.ctx.db, wanted)
        except ValidationError as error:
            if self.errors.show([error]):
                self.general_error.set_message(str(error))
            return False
        except IttisalError as error:
            self.general_error.set_message(str(error))
            return False
        self.ctx.changed("plan_items")
        self.ctx.changed("plans")
        self.accept()
        return True
