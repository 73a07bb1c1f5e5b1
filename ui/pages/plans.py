"""The communication plan page (مخطط الاتصال): the plans, latest first, and the chosen
plan's items with what came of them.

«مخطط جديد…» asks for the period (this month and the next by default) and offers to
start from the last plan's open items (:func:`models.plans.copy_open_items`). «بند
جديد…» and «تعديل البند…» open :class:`~ui.forms.plan_item_form.PlanItemDialog`. «ربط
بنشاط…» picks an activity of the plan's period in a searchable list and marks the item
done (:func:`models.plans.link_activity`); «فك الربط» undoes it. «تصدير المخطط…» and
«المخطط والمنفذ…» write the plan's documents through :func:`ui.export.export_options`
(in the background, then the result dialog), and so, at a ministry centre only, does
«مخطط الشبكة…» (every unit's items of this month and the next, their clashes and what
they lack: :mod:`exporters.network_plan_report`); «تصدير إلى Excel…» saves the chosen plan's
items as the table shows them (:func:`ui.pages.list_page.export_list`). «حذف البند» (and
Delete) moves the selected item to the recycle bin after asking, with an undo offer.
Under the table, plan against actual on
today: how many items were done on time, late, not at all, and the activities of the
period that were not in the plan. «تعديل المخطط…» renames the chosen plan or moves its
period (:class:`PlanDialog`, :func:`models.plans.update_plan`); «حذف المخطط» moves it,
with its items, to the recycle bin after asking, with an undo offer.

Approval (:mod:`models.approval`): the chosen plan's state shows under its title (مسودة،
معتمد، مرسل، عُدّل بعد الإرسال, with who approved it and when, and when it was sent), and
in the list of plans. «اعتماد المخطط» approves it in the approver's name after asking. An
approved or sent plan is locked like an activity: adding, editing or deleting its items,
or renaming it, asks first in the activity form's words
(:func:`ui.forms.plan_item_form.ask_to_revise`), and the edit goes through
:func:`models.approval.revision`, so the plan becomes a new revision, a draft to approve
(and send) again. Linking an item to the activity that carried it out («ربط بنشاط…», or
from the activity form) records what was done, not what was planned: it neither asks nor
revises the plan.
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
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from exporters.xlsx_list import Column
from models import approval, bundle_merge, plans, records, recycle, vocab
from models.activities import ActivityFilter, ActivityRow, list_activities
from models.arabic import search_key
from models.errors import IttisalError
from models.plans import ItemOutcome, PlanSummary, PlanVsActual
from ui.context import AppContext
from ui.formatting import date_text, digits_text, index_text, number_text
from ui.forms.form_base import ask, moment_text, run_modal
from ui.forms.plan_item_form import ask_to_revise, channel_label
from ui.pages.base import Page
from ui.pages.list_page import TEXT as LIST_TEXT
from ui.pages.list_page import excel_file_name, export_list
from ui.recycle_bin import confirm
from ui.table_models import ExcelTable, RowListModel
from ui.tasks import Task, show_error
from ui.widgets.date_edit import DateEdit
from ui.widgets.field_errors import FieldMessage
from ui.widgets.record_table import record_table
from ui.widgets.toolbar import toolbar_action
from ui.widgets.unit_filter import UnitFilter

TEXT = {
    "title": "مخطط الاتصال",
    "new_plan": "مخطط جديد…",
    "new_plan_tip": "مخطط لمدة جديدة (هذا الشهر والذي يليه)، فارغ أو بنسخة من البنود "
                    "المفتوحة في المخطط السابق",
    "new_item": "بند جديد…",
    "new_item_tip": "إضافة بند إلى المخطط المحدد (Ctrl+N)",
    "edit_item": "تعديل البند…",
    "edit_item_tip": "تعديل البند المحدد (Enter)",
    "link": "ربط بنشاط…",
    "link_tip": "ربط البند المحدد بالنشاط الذي نفّذه؛ يصير البند «منفذ»",
    "unlink": "فك الربط",
    "unlink_tip": "فك ربط البند المحدد بنشاطه وإعادته إلى «مخطط»",
    "export_plan": "تصدير المخطط…",
    "export_plan_tip": "المخطط المحدد جدولاً في ملف Word",
    "export_vs": "المخطط والمنفذ…",
    "export_vs_tip": "المخطط مقابل المنفذ: الأعداد والمخطط البياني (ملف Word)",
    "network": "مخطط الشبكة…",
    "network_tip": "فقرات مخططات الوحدات لهذا الشهر والذي يليه بحسب التاريخ، والتعارض بينها، "
                   "والفقرات بلا رسالة أو جهة مسؤولة (ملف Word لاجتماع الشبكة)",
    "edit_plan": "تعديل المخطط…",
    "edit_plan_tip": "تغيير عنوان المخطط المحدد أو مدته",
    "delete_plan": "حذف المخطط",
    "delete_plan_tip": "نقل المخطط المحدد وبنوده إلى سلة المحذوفات",
    "confirm_plan": "هل تريد نقل المخطط «{title}» وبنوده ({n}) إلى سلة المحذوفات؟\n"
                    "يمكنك استعادته من السلة.",
    "deleted_plan": "نُقل المخطط «{title}» إلى سلة المحذوفات",
    "approve_plan": "اعتماد المخطط",
    "approve_plan_tip": "اعتماد المخطط المحدد باسم المعتمِد المختار في الإعدادات",
    "approve_question": "اعتماد المخطط «{title}» باسم {by}؟",
    "yes_approve": "نعم، اعتمد",
    "state": "الحالة: {label}",
    "state_by": "اعتمده {by} في {when}",
    "state_sent": "أُرسل في {when}",
    "state_changed": "أُرسل في {when} ثم عُدّل: يُعتمد ويُرسل من جديد",
    "state_draft": "لم يُعتمد بعد",
    "state_sep": " — ",
    "state_tip": "تعديل بنود المخطط المعتمد أو المرسل أو عنوانه يُنشئ نسخة جديدة تعود مسودة",
    "delete": "حذف البند",
    "delete_tip": "نقل البند المحدد إلى سلة المحذوفات (Delete)",
    "excel_tip": "حفظ بنود المخطط المحدد كما تظهر في الجدول في ملف Excel",
    "confirm_title": "حذف",
    "confirm_one": "هل تريد نقل البند «{title}» إلى سلة المحذوفات؟\n"
                   "يمكنك استعادته من السلة.",
    "yes_delete": "نعم، انقل إلى السلة",
    "no": "لا",
    "deleted_one": "نُقل البند «{title}» إلى سلة المحذوفات",
    "plans": "المخططات",
    "plan_line": "{title}\n{period}\nالبنود: {count} · {state}",
    # At a ministry centre, each plan's directorate first.
    "plan_unit_line": "{unit}\n{line}",
    "no_plans": "لا توجد مخططات بعد. ابدأ بزر «مخطط جديد…».",
    "no_items": "لا بنود في هذا المخطط بعد. أضفها بزر «بند جديد…».",
    "headers": ("ت", "الفعالية", "التاريخ", "القنوات", "الجهة المسؤولة", "الأولوية",
                "الحالة", "النشاط المنفذ", "ما آل إليه"),
    "summary": "المخطط والمنفذ حتى {date}: ",
    "summary_part": "{label} {n}",
    "unplanned": "نشاطات من خارج المخطط {n}",
    "separator": "، ",
    # Samples that fit the whole table in a window of 1280 beside the list of plans.
    "widths": {1: "حملة التوعية بموسم", 2: "٢٢ تشرين الثاني ٢٠٢٦",
               3: "تلفزيون، إذاعة", 4: "قسم الإشراف التربوي", 5: "متوسطة",
               6: "مخطط", 7: "ورشة تطويرية عن أهمية"},
}

NEW_PLAN_TEXT = {
    "title": "مخطط جديد",
    "name": "عنوان المخطط",
    "name_placeholder": "يُترك فارغاً: «مخطط الاتصال» والمدة",
    "from": "بداية المدة",
    "to": "نهاية المدة",
    "copy": "ابدأ بنسخة من البنود المفتوحة في المخطط السابق ({n})",
    "source": "المخطط السابق: {title}",
    "no_copy": "لا يوجد مخطط سابق تُنسخ بنوده.",
    "required": "اكتب التاريخ بالشكل سنة-شهر-يوم، مثل 2026-11-23.",
    "create": "إنشاء المخطط",
    "cancel": "إلغاء",
}

EDIT_PLAN_TEXT = {
    "title": "تعديل المخطط",
    "name": "عنوان المخطط",
    "name_placeholder": "يُترك فارغاً: «مخطط الاتصال» والمدة",
    "from": "بداية المدة",
    "to": "نهاية المدة",
    "required": "اكتب التاريخ بالشكل سنة-شهر-يوم، مثل 2026-11-23.",
    "outside": "تنبيه: {n} من البنود مؤرخة خارج هذه المدة؛ عدّل تواريخها بعد الحفظ.",
    "save": "حفظ",
    "cancel": "إلغاء",
}

PICK_TEXT = {
    "title": "ربط البند بنشاط",
    "item": "البند: {title}",
    "search": "ابحث في نشاطات المدة {period}…",
    "none": "لا توجد نشاطات في مدة المخطط.",
    "line": "{title} — {date} — {kind}",
    "link": "ربط",
    "cancel": "إلغاء",
}

__all__ = ["TEXT", "ActivityPicker", "NewPlanDialog", "PlanDialog", "PlanItemsModel",
           "PlansPage", "excel_table"]

# Tables whose changes the page shows (activities: titles, dates, the recycle bin).
WATCHED = ("plans", "plan_items", "activities")

COL_NUMBER, COL_TITLE, COL_DATE, COL_CHANNELS, COL_OWNER, COL_PRIORITY, COL_STATUS, \
    COL_ACTIVITY, COL_OUTCOME = range(9)

Index = QModelIndex | QPersistentModelIndex
CELL_MARGIN = 18
# The table's columns but its row number (the sheet numbers its rows itself).
_EXCEL_KINDS = ("text", "date", "text", "text", "text", "text", "text", "text")


def excel_table(result: PlanVsActual) -> ExcelTable:
    """A plan's items as its workbook holds them (dates as dates), in the table's order."""
    columns = tuple(Column(header, kind) for header, kind
                    in zip(TEXT["headers"][COL_TITLE:], _EXCEL_KINDS, strict=True))
    return ExcelTable(columns, [
        (" ".join(o.item.title.split()), o.item.date,
         TEXT["separator"].join(channel_label(c) for c in o.item.channels), o.item.owner,
         vocab.PRIORITIES.get(o.item.priority, o.item.priority),
         vocab.PLAN_ITEM_STATUSES.get(o.item.status, o.item.status),
         o.activity_title, o.outcome_label) for o in result.items])


class PlanItemsModel(RowListModel):
    """A plan's items with their outcome on today (read-only)."""

    HEADERS = TEXT["headers"]

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[ItemOutcome] = []

    def text(self, row: int, column: int) -> str:
        """What a cell shows."""
        outcome = self.rows[row]
        item = outcome.item
        style = self.ctx.date_style
        if column == COL_NUMBER:
            return index_text(row + 1, style)
        if column == COL_TITLE:
            return " ".join(item.title.split())
        if column == COL_DATE:
            return date_text(item.date, style) if item.date else ""
        if column == COL_CHANNELS:
            return TEXT["separator"].join(channel_label(c) for c in item.channels)
        if column == COL_OWNER:
            return item.owner
        if column == COL_PRIORITY:
            return vocab.PRIORITIES.get(item.priority, item.priority)
        if column == COL_STATUS:
            return vocab.PLAN_ITEM_STATUSES.get(item.status, item.status)
        if column == COL_ACTIVITY:
            return outcome.activity_title
        if column == COL_OUTCOME:
            return outcome.outcome_label
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (
                COL_TITLE, COL_CHANNELS, COL_ACTIVITY):
            return self.text(index.row(), index.column())
        return None


class NewPlanDialog(QDialog):
    """The period and title of a new plan, and whether it starts from the last plan's
    open items; ``plan`` is the plan made."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = None
        self.setObjectName("newPlanDialog")
        self.setWindowTitle(NEW_PLAN_TEXT["title"])
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setMinimumWidth(520)
        start, end = plans.default_period(today)
        self.name = QLineEdit(self)
        self.name.setObjectName("planTitle")
        self.name.setPlaceholderText(NEW_PLAN_TEXT["name_placeholder"])
        self.period_start = DateEdit(ctx, self)
        self.period_start.setObjectName("periodStart")
        self.period_start.setValue(start)
        self.period_end = DateEdit(ctx, self)
        self.period_end.setObjectName("periodEnd")
        self.period_end.setValue(end)
        self.copy = QCheckBox(self)
        self.copy.setObjectName("copyOpen")
        self.source_label = QLabel(self)
        self.source_label.setObjectName("copySource")
        self.source_label.setWordWrap(True)
        self.error = FieldMessage(self)
        form = QFormLayout()
        form.addRow(NEW_PLAN_TEXT["name"], self.name)
        form.addRow(NEW_PLAN_TEXT["from"], self.period_start)
        form.addRow(NEW_PLAN_TEXT["to"], self.period_end)
        form.addRow("", self.copy)
        form.addRow("", self.source_label)
        buttons = QDialogButtonBox(self)
        self.create_button = buttons.addButton(NEW_PLAN_TEXT["create"],
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("createPlan")
        self.create_button.setDefault(True)
        buttons.addButton(NEW_PLAN_TEXT["cancel"], QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.period_start.changed.connect(self._offer_copy)
        self._offer_copy()
        self.period_start.setFocus(Qt.FocusReason.OtherFocusReason)

    def _offer_copy(self) -> None:
        # The source is the last plan that starts before the new one: what
        # copy_open_items takes.
        start = self.period_start.value()
        source = plans.last_plan(self.ctx.db, before=start) if start else None
        self.source = source
        if source is None:
            self.copy.setText(NEW_PLAN_TEXT["no_copy"])
            self.copy.setChecked(False)
            self.copy.setEnabled(False)
            self.source_label.setText("")
            return
        items = plans.plan_items(self.ctx.db, source.id)
        count = sum(1 for item in items if item.status in plans.OPEN)
        self.copy.setText(NEW_PLAN_TEXT["copy"].format(
            n=number_text(count, self.ctx.date_style)))
        self.source_label.setText(NEW_PLAN_TEXT["source"].format(title=source.title))
        self.copy.setEnabled(True)
        self.copy.setChecked(count > 0)

    def create(self) -> bool:
        """Make the plan (with the copied items when asked); close on success."""
        start, end = self.period_start.value(), self.period_end.value()
        if not start or not end:
            self.error.set_message(NEW_PLAN_TEXT["required"])
            (self.period_start if not start else self.period_end).setFocus()
            return False
        try:
            if self.copy.isChecked() and self.source is not None:
                self.plan = plans.copy_open_items(self.ctx.db, period=(start, end),
                                                  title=self.name.text(),
                                                  source_id=self.source.id)
            else:
                self.plan = plans.new_plan(self.ctx.db, period=(start, end),
                                           title=self.name.text())
        except IttisalError as error:
            self.error.set_message(str(error))
            return False
        self.ctx.changed("plans")
        self.ctx.changed("plan_items")
        self.accept()
        return True


class PlanDialog(QDialog):
    """Rename a plan or change its period; ``plan`` is the plan as saved (None until)."""

    def __init__(self, ctx: AppContext, plan_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id = plan_id
        self.plan = None
        stored = plans.get_plan(ctx.db, plan_id)
        self.setObjectName("planDialog")
        self.setWindowTitle(EDIT_PLAN_TEXT["title"])
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setMinimumWidth(520)
        self.name = QLineEdit(self)
        self.name.setObjectName("planTitle")
        self.name.setPlaceholderText(EDIT_PLAN_TEXT["name_placeholder"])
        # The default title follows the period: shown empty, it follows a new one too.
        if stored.title != plans.default_title(stored.period_start, stored.period_end,
                                               ctx.date_style):
            self.name.setText(stored.title)
        self.period_start = DateEdit(ctx, self)
        self.period_start.setObjectName("periodStart")
        self.period_start.setValue(stored.period_start)
        self.period_end = DateEdit(ctx, self)
        self.period_end.setObjectName("periodEnd")
        self.period_end.setValue(stored.period_end)
        self.note = QLabel(self)
        self.note.setObjectName("outsideNote")
        self.note.setWordWrap(True)
        self.error = FieldMessage(self)
        form = QFormLayout()
        form.addRow(EDIT_PLAN_TEXT["name"], self.name)
        form.addRow(EDIT_PLAN_TEXT["from"], self.period_start)
        form.addRow(EDIT_PLAN_TEXT["to"], self.period_end)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(EDIT_PLAN_TEXT["save"],
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("savePlan")
        self.save_button.setDefault(True)
        buttons.addButton(EDIT_PLAN_TEXT["cancel"], QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.period_start.changed.connect(self._count_outside)
        self.period_end.changed.connect(self._count_outside)
        self._count_outside()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _count_outside(self) -> None:
        # Said, not refused: moving a period first and the items after is a normal order.
        start, end = self.period_start.value(), self.period_end.value()
        outside = 0
        if start and end:
            outside = sum(1 for item in plans.plan_items(self.ctx.db, self.plan_id)
                          if item.date and not start <= item.date <= end)
        self.note.setText(EDIT_PLAN_TEXT["outside"].format(
            n=number_text(outside, self.ctx.date_style)) if outside else "")
        self.note.setVisible(bool(outside))

    def save(self) -> bool:
        """Store the title and period (the models check the dates); close on success."""
        start, end = self.period_start.value(), self.period_end.value()
        if not start or not end:
            self.error.set_message(EDIT_PLAN_TEXT["required"])
            (self.period_start if not start else self.period_end).setFocus()
            return False
        try:
            # An approved or sent plan renamed is a new revision (the page asked first).
            with approval.revision(self.ctx.db, "plan", self.plan_id):
                self.plan = plans.update_plan(self.ctx.db, self.plan_id,
                                              title=self.name.text(), period=(start, end))
        except IttisalError as error:
            self.error.set_message(str(error))
            return False
        self.ctx.changed("plans")
        self.accept()
        return True


class ActivityPicker(QDialog):
    """Choose one activity of a period, searching by its title; ``chosen`` is its id."""

    def __init__(self, ctx: AppContext, period: tuple[str, str], item_title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chosen: str | None = None
        self.setObjectName("activityPicker")
        self.setWindowTitle(PICK_TEXT["title"])
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setMinimumSize(560, 420)
        style = ctx.date_style
        self.activities: list[ActivityRow] = list_activities(
            ctx.db, ActivityFilter(date_from=period[0], date_to=period[1]),
            order_by="start_date", descending=False)
        self._keys = [search_key(a.title) for a in self.activities]
        self.search = QLineEdit(self)
        self.search.setObjectName("activitySearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(PICK_TEXT["search"].format(
            period=f"{date_text(period[0], style)} – {date_text(period[1], style)}"))
        self.list = QListWidget(self)
        self.list.setObjectName("activityList")
        for activity in self.activities:
            line = QListWidgetItem(PICK_TEXT["line"].format(
                title=activity.title, date=date_text(activity.start_date, style),
                kind=vocab.ACTIVITY_KINDS.get(activity.kind, activity.kind)))
            line.setData(Qt.ItemDataRole.UserRole, activity.id)
            self.list.addItem(line)
        self.empty = QLabel(PICK_TEXT["none"], self)
        self.empty.setVisible(not self.activities)
        buttons = QDialogButtonBox(self)
        self.link_button = buttons.addButton(PICK_TEXT["link"],
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.link_button.setObjectName("linkActivity")
        self.link_button.setDefault(True)
        buttons.addButton(PICK_TEXT["cancel"], QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.pick)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(PICK_TEXT["item"].format(title=item_title), self))
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.list.itemActivated.connect(lambda _item: self.pick())
        self.list.currentRowChanged.connect(self._update_button)
        if self.activities:
            self.list.setCurrentRow(0)
        self._update_button()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _filter(self, text: str) -> None:
        wanted = search_key(text)
        first = None
        for row, key in enumerate(self._keys):
            hidden = bool(wanted) and wanted not in key
            self.list.item(row).setHidden(hidden)
            if not hidden and first is None:
                first = row
        self.list.setCurrentRow(first if first is not None else -1)
        self._update_button()

    def _update_button(self, *_args: object) -> None:
        current = self.list.currentItem()
        self.link_button.setEnabled(current is not None and not current.isHidden())

    def pick(self) -> None:
        """Take the highlighted activity and close."""
        current = self.list.currentItem()
        if current is None or current.isHidden():
            return
        self.chosen = current.data(Qt.ItemDataRole.UserRole)
        self.accept()


class PlansPage(Page):
    """The plans, latest first, the chosen plan's items, and plan against actual."""

    key = "plans"
    title = TEXT["title"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ctx, parent)
        self._today = today
        self._stale = False
        self.summaries: list[PlanSummary] = []
        self.result: PlanVsActual | None = None
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.model = PlanItemsModel(ctx, self)

        self.toolbar = QToolBar(self)
        add = partial(toolbar_action, self.toolbar, TEXT)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_plan_action = add("new_plan", self.new_plan)
        self.edit_plan_action = add("edit_plan", self.edit_plan)
        self.delete_plan_action = add("delete_plan", self.delete_plan)
        self.approve_plan_action = add("approve_plan", self.approve_plan)
        self.toolbar.addSeparator()
        self.new_item_action = add("new_item", self.new_item)
        self.edit_item_action = add("edit_item", self.edit_item)
        self.link_action = add("link", self.link_item)
        self.unlink_action = add("unlink", self.unlink_item)
        self.delete_action = add("delete", self.delete_selected)
        self.toolbar.addSeparator()
        self.export_plan_action = add("export_plan", self.export_plan)
        self.export_vs_action = add("export_vs", self.export_plan_vs_actual)
        # Only a ministry centre holds a network's plans (shown by refresh()).
        self.network_action = add("network", self.export_network_plan)
        self.excel_action = self.toolbar.addAction(LIST_TEXT["excel"])
        self.excel_action.setObjectName("excelAction")
        self.excel_action.setToolTip(TEXT["excel_tip"])
        self.excel_action.triggered.connect(self.export_excel)

        self.plan_list = QListWidget(self)
        self.plan_list.setObjectName("planList")
        self.plan_list.setWordWrap(True)
        self.plan_list.setSpacing(3)
        self.plan_list.setAlternatingRowColors(True)
        self.plan_list.setAccessibleName(TEXT["plans"])
        plans_box = QWidget(self)
        plans_layout = QVBoxLayout(plans_box)
        plans_layout.setContentsMargins(0, 0, 0, 0)
        plans_heading = QLabel(TEXT["plans"], self)
        bold = plans_heading.font()
        bold.setBold(True)
        plans_heading.setFont(bold)
        plans_layout.addWidget(plans_heading)
        # At a ministry centre only: which unit's plans the list shows.
        self.unit_filter = UnitFilter("plans", self)
        plans_layout.addWidget(self.unit_filter)
        plans_layout.addWidget(self.plan_list, 1)

        self.table = record_table(self, "planItemsTable", self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        width = self.fontMetrics().horizontalAdvance
        # (Qt's minimum, near a hundred pixels here, would widen the short columns)
        header.setMinimumSectionSize(width("٠٠٠__"))
        header.resizeSection(COL_NUMBER, width("٠٠٠__"))
        for column, sample in TEXT["widths"].items():
            # room for the header's own word and the cell's margins
            header.resizeSection(column, max(width(sample), width(TEXT["headers"][column]))
                                 + CELL_MARGIN)
        self.plan_heading = QLabel(self)
        self.plan_heading.setObjectName("planHeading")
        self.plan_heading.setFont(bold)
        self.approval_line = QLabel(self)
        self.approval_line.setObjectName("planApproval")
        self.approval_line.setWordWrap(True)
        self.approval_line.setToolTip(TEXT["state_tip"])
        self.plan_state: approval.ApprovalState | None = None
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("emptyLabel")
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("summary")
        self.summary_label.setWordWrap(True)
        items_box = QWidget(self)
        items_layout = QVBoxLayout(items_box)
        items_layout.setContentsMargins(0, 0, 0, 0)
        items_layout.addWidget(self.plan_heading)
        items_layout.addWidget(self.approval_line)
        items_layout.addWidget(self.table, 1)
        items_layout.addWidget(self.empty_label)
        items_layout.addWidget(self.summary_label)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(plans_box)
        splitter.addWidget(items_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([250, 1010])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)

        self.plan_list.currentRowChanged.connect(self._plan_changed)
        self.unit_filter.changed.connect(self.refresh)
        self.table.activated.connect(lambda _index: self.edit_item())
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        ctx.data_changed.connect(self._data_changed)
        ctx.settings_changed.connect(self.refresh)
        self.refresh()

    def today(self) -> dt.date:
        """The day plan against actual is measured on."""
        return self._today or dt.date.today()

    # --- the plans ------------------------------------------------------------------------

    def current_plan_id(self) -> str | None:
        """The chosen plan's id."""
        row = self.plan_list.currentRow()
        return self.summaries[row].id if 0 <= row < len(self.summaries) else None

    def refresh(self) -> None:
        """Read the plans again, keeping the chosen plan (else the latest) and item."""
        self._stale = False
        self.network_action.setVisible(bundle_merge.is_centre(self.ctx.db))
        chosen, item = self.current_plan_id(), self.current_item_id()
        units = self.unit_filter.load(self.ctx.db)
        self.summaries = plans.list_plans(self.ctx.db, unit_id=self.unit_filter.unit_id())
        style = self.ctx.date_style
        self.plan_list.blockSignals(True)
        self.plan_list.clear()
        for summary in self.summaries:
            state = self._state(summary.id)
            text = TEXT["plan_line"].format(
                title=digits_text(summary.title, style),
                period=f"{date_text(summary.period_start, style)} – "
                       f"{date_text(summary.period_end, style)}",
                count=number_text(sum(summary.items.values()), style),
                state=state.label if state else "")
            if units:
                text = TEXT["plan_unit_line"].format(unit=self.unit_filter.label_of(
                    summary.unit_id), line=text)
            line = QListWidgetItem(text)
            line.setData(Qt.ItemDataRole.UserRole, summary.id)
            if state is not None:
                line.setToolTip(self.state_text(state))
            self.plan_list.addItem(line)
        ids = [s.id for s in self.summaries]
        self.plan_list.setCurrentRow(ids.index(chosen) if chosen in ids
                                     else (0 if ids else -1))
        self.plan_list.blockSignals(False)
        self._show_plan()
        if item:
            self.select_item(item)

    def select_plan(self, plan_id: str) -> bool:
        """Choose the plan with this id, if listed."""
        for row, summary in enumerate(self.summaries):
            if summary.id == plan_id:
                self.plan_list.setCurrentRow(row)
                return True
        return False

    def _plan_changed(self, _row: int) -> None:
        self._show_plan()

    def _state(self, plan_id: str | None) -> approval.ApprovalState | None:
        if plan_id is None:
            return None
        try:
            return approval.state(self.ctx.db, "plan", plan_id)
        except IttisalError:  # gone meanwhile
            return None

    def state_text(self, state: approval.ApprovalState) -> str:
        """The plan's approval as its line says it: the state, who approved it and when,
        when it was sent."""
        style = self.ctx.date_style
        parts = [TEXT["state"].format(label=state.label)]
        if state.status in ("approved", "sent") and state.approved_by and state.approved_at:
            parts.append(TEXT["state_by"].format(by=state.approved_by,
                                                 when=moment_text(state.approved_at, style)))
        if state.sent_at:
            key = "state_changed" if state.changed_since_sent else "state_sent"
            parts.append(TEXT[key].format(when=moment_text(state.sent_at, style)))
        elif state.status == "draft":
            parts.append(TEXT["state_draft"])
        return TEXT["state_sep"].join(parts)

    def _show_plan(self) -> None:
        plan_id = self.current_plan_id()
        self.result = None
        self.plan_state = self._state(plan_id)
        self.approval_line.setText(self.state_text(self.plan_state) if self.plan_state
                                   else "")
        self.approval_line.setVisible(self.plan_state is not None)
        if plan_id is not None:
            try:
                self.result = plans.plan_vs_actual(self.ctx.db, plan_id, today=self.today())
            except IttisalError as error:  # gone to the recycle bin meanwhile
                self.summary_label.setText(str(error))
        self.model.set_rows(self.result.items if self.result else [])
        if self.result is None:
            self.plan_heading.setText("")
            self.empty_label.setText(TEXT["no_plans"] if not self.summaries else "")
            self.empty_label.setVisible(not self.summaries)
            if plan_id is None:
                self.summary_label.setText("")
            return
        self.plan_heading.setText(digits_text(self.result.plan.title, self.ctx.date_style))
        self.empty_label.setText(TEXT["no_items"])
        self.empty_label.setVisible(not self.result.items)
        self.summary_label.setText(self.summary_text())

    def summary_text(self) -> str:
        """The line of plan against actual under the table: a count per outcome, and the
        activities not in the plan."""
        if self.result is None:
            return ""
        style = self.ctx.date_style
        counts = self.result.counts
        parts = [TEXT["summary_part"].format(label=label, n=number_text(counts[key], style))
                 for key, label in plans.OUTCOMES.items()]
        parts.append(TEXT["unplanned"].format(n=number_text(counts["unplanned"], style)))
        return (TEXT["summary"].format(date=date_text(self.result.today, style))
                + TEXT["separator"].join(parts))

    # --- the items ------------------------------------------------------------------------

    def current_row(self) -> ItemOutcome | None:
        """The selected item with its outcome."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def current_item_id(self) -> str | None:
        """The selected item's id."""
        row = self.current_row()
        return row.item.id if row else None

    def select_item(self, item_id: str) -> bool:
        """Select the item with this id, if listed."""
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        for number, row in enumerate(self.model.rows):
            if row.item.id == item_id:
                # (not selectRow: right to left, it finds no column at the viewport's edge)
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(number, COL_TITLE), flags)
                return True
        return False

    def _update_actions(self, *_args: object) -> None:
        has_plan = self.current_plan_id() is not None
        row = self.current_row()
        self.new_item_action.setEnabled(has_plan)
        self.edit_plan_action.setEnabled(has_plan)
        self.delete_plan_action.setEnabled(has_plan)
        self.approve_plan_action.setEnabled(
            self.plan_state is not None and self.plan_state.status == "draft")
        self.edit_item_action.setEnabled(row is not None)
        self.link_action.setEnabled(row is not None)
        self.unlink_action.setEnabled(row is not None and bool(row.item.activity_id))
        self.delete_action.setEnabled(row is not None)
        self.excel_action.setEnabled(bool(self.model.rows))
        self.export_plan_action.setEnabled(has_plan)
        self.export_vs_action.setEnabled(has_plan)

    # --- actions --------------------------------------------------------------------------

    def new_plan(self) -> str | None:
        """Ask for a new plan's period; its id once made (and chosen), else None."""
        dialog = NewPlanDialog(self.ctx, self, today=self._today)
        if not run_modal(dialog) or dialog.plan is None:
            return None
        plan_id = dialog.plan.id
        self.refresh()
        self.select_plan(plan_id)
        return plan_id

    def may_edit(self, plan_id: str | None = None) -> bool:
        """True when the (chosen) plan may be edited now: a draft, or an approved or sent
        plan whose new revision the user agreed to."""
        plan_id = plan_id or self.current_plan_id()
        found = approval.guard(self.ctx.db, "plan", plan_id)
        return found is None or ask_to_revise(self, found)

    def approve_plan(self) -> bool:
        """«اعتماد المخطط»: approve the chosen plan in the approver's name, after asking
        (refused, with the reason, when no approver is set). True when approved."""
        plan_id = self.current_plan_id()
        if plan_id is None or self.result is None:
            return False
        try:
            by = approval.require_approver(self.ctx.db)
        except IttisalError as error:
            show_error(self, error)
            return False
        title = " ".join(self.result.plan.title.split())
        if not ask(self, TEXT["approve_plan"],
                   TEXT["approve_question"].format(title=title, by=by),
                   yes=TEXT["yes_approve"], no=TEXT["no"]):
            return False
        try:
            approval.approve(self.ctx.db, "plan", [plan_id], by=by)
        except IttisalError as error:
            show_error(self, error)
            return False
        self.ctx.changed("plans")  # which refreshes this page
        return True

    def edit_plan(self) -> str | None:
        """Rename the chosen plan or change its period (asking first when it is approved
        or sent); its id once saved, else None."""
        plan_id = self.current_plan_id()
        if plan_id is None or not self.may_edit(plan_id):
            return None
        try:
            dialog = PlanDialog(self.ctx, plan_id, self)
        except IttisalError as error:
            show_error(self, error)
            return None
        if not run_modal(dialog) or dialog.plan is None:
            return None
        self.refresh()
        self.select_plan(plan_id)
        return plan_id

    def delete_plan(self) -> bool:
        """Move the chosen plan (its items with it: they are shown only through it) to the
        recycle bin, after asking; offer undo. True when moved."""
        plan_id = self.current_plan_id()
        if plan_id is None or self.result is None:
            return False
        title = " ".join(self.result.plan.title.split())
        question = TEXT["confirm_plan"].format(
            title=title, n=number_text(len(self.result.items), self.ctx.date_style))
        if not confirm(self, TEXT["confirm_title"], question, TEXT["yes_delete"], TEXT["no"]):
            return False
        db, ids, table = self.ctx.db, [plan_id], records.Plan.table
        try:
            recycle.delete_many(db, records.Plan, ids)
        except IttisalError as error:
            show_error(self, error)
            return False

        def undo() -> str:
            recycle.restore_many(db, records.Plan, ids)
            return table

        self.ctx.offer_undo(TEXT["deleted_plan"].format(title=title), undo)
        self.ctx.changed(table)
        return True

    def new_record(self) -> None:
        """Ctrl+N: a new item in the chosen plan (a new plan when there is none)."""
        if self.current_plan_id() is None:
            self.new_plan()
        else:
            self.new_item()

    def _item_dialog(self, item_id: str | None) -> str | None:
        from ui.forms.plan_item_form import PlanItemDialog

        plan_id = self.current_plan_id()
        if plan_id is None:
            return None
        # A new item of an approved plan asks here; an existing one opens read-only, with
        # «تعديل», which asks.
        guarded = approval.guard(self.ctx.db, "plan", plan_id) if item_id is None else None
        if guarded is not None and not ask_to_revise(self, guarded):
            return None
        try:
            dialog = PlanItemDialog(self.ctx, plan_id, item_id, self,
                                    revising=guarded is not None)
        except IttisalError as error:
            show_error(self, error)
            return None
        if not run_modal(dialog):
            return None
        saved = dialog.item.id
        self.refresh()
        self.select_item(saved)
        return saved

    def new_item(self) -> str | None:
        """The form of a new item of the chosen plan; its id once saved."""
        return self._item_dialog(None)

    def edit_item(self) -> str | None:
        """The form of the selected item; its id once saved."""
        item_id = self.current_item_id()
        return self._item_dialog(item_id) if item_id else None

    def link_item(self) -> str | None:
        """Pick the activity (of the plan's period) that carried the selected item out
        and mark the item done; the activity's id, else None."""
        row = self.current_row()
        if row is None or self.result is None:
            return None
        plan = self.result.plan
        dialog = ActivityPicker(self.ctx, (plan.period_start, plan.period_end),
                                row.item.title, self)
        if not run_modal(dialog) or not dialog.chosen:
            return None
        try:
            plans.link_activity(self.ctx.db, row.item.id, dialog.chosen)
        except IttisalError as error:
            show_error(self, error)
            return None
        self.ctx.changed("plan_items")  # which refreshes this page
        self.select_item(row.item.id)
        return dialog.chosen

    def unlink_item(self) -> bool:
        """Unlink the selected item from its activity (it is planned again)."""
        row = self.current_row()
        if row is None or not row.item.activity_id:
            return False
        try:
            plans.unlink_activity(self.ctx.db, row.item.id)
        except IttisalError as error:
            show_error(self, error)
            return False
        self.ctx.changed("plan_items")  # which refreshes this page
        self.select_item(row.item.id)
        return True

    def _export(self, kind: str) -> Task | None:
        from exporters import registry
        from ui import export

        plan_id = self.current_plan_id()
        if plan_id is None:
            return None
        options = registry.make_options(kind, plan_id=plan_id,
                                        today=self.today().isoformat())
        return export.export_options(self, self.ctx, kind, options)

    def export_plan(self) -> Task | None:
        """The chosen plan as a Word table; None when not started."""
        return self._export("plan")

    def export_plan_vs_actual(self) -> Task | None:
        """Plan against actual of the chosen plan on today; None when not started."""
        return self._export("plan-vs-actual")

    def export_network_plan(self) -> Task | None:
        """The network's plan of this month and the next (every unit's items, their
        clashes and what they lack) as a Word document; None when not started."""
        from exporters import registry
        from ui import export

        first, last = plans.default_period(self.today())
        options = registry.make_options("network-plan", date_from=first, date_to=last,
                                        today=self.today().isoformat())
        return export.export_options(self, self.ctx, "network-plan", options)

    def export_excel(self) -> Task | None:
        """Save the chosen plan's items as the table shows them to an Excel workbook, in
        the background; None when not started."""
        plan_id = self.current_plan_id()
        if plan_id is None or not self.model.rows:
            return None
        today = self.today()

        def read(db) -> ExcelTable:
            return excel_table(plans.plan_vs_actual(db, plan_id, today=today))

        title = self.result.plan.title if self.result else self.title
        return export_list(self, self.ctx, title=title, file_name=excel_file_name(title),
                           read=read)

    def delete_selected(self) -> None:
        """Move the selected item to the recycle bin, after asking; offer undo."""
        row = self.current_row()
        if row is None:
            return
        title = " ".join(row.item.title.split())
        plan_id = row.item.plan_id or ""
        if not self.may_edit(plan_id):
            return
        if not confirm(self, TEXT["confirm_title"], TEXT["confirm_one"].format(title=title),
                       TEXT["yes_delete"], TEXT["no"]):
            return
        db, ids, table = self.ctx.db, [row.item.id], records.PlanItem.table
        try:
            # The plan follows its item: a new revision in the same transaction (undo
            # brings the item back, not the approval).
            with approval.revision(db, "plan", plan_id):
                recycle.delete_many(db, records.PlanItem, ids)
        except IttisalError as error:
            show_error(self, error)
            return

        def undo() -> str:
            recycle.restore_many(db, records.PlanItem, ids)
            return table

        self.ctx.offer_undo(TEXT["deleted_one"].format(title=title), undo)
        self.ctx.changed(table)

    # --- keeping up to date ---------------------------------------------------------------

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
