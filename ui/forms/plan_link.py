"""The activity form's «فقرة المخطط» chooser: which item of a communication plan the
activity carried out.

It lists the open (planned or postponed) items of the plans whose period covers the
activity's start date, and the item already linked, from :func:`models.plans.item_choices`;
the list follows the date as it is typed (a chosen item whose plan no longer covers the
date is let go). The form saves through :meth:`PlanLink.saving`, which wraps its own save
so that the activity and the link land in one transaction
(:func:`models.plans.save_with_item`): the chosen item is linked and marked done; choosing
none (or another item) sets the item linked before back to planned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from models import plans, vocab
from models.records import PlanItem
from ui.context import AppContext
from ui.formatting import date_text
from ui.widgets.date_edit import DateEdit

TEXT = {
    "label": "فقرة المخطط",
    "none": "— ليست من فقرات المخطط —",
    "none_open": "— لا فقرات مفتوحة في مخطط يشمل هذا التاريخ —",
    "line": "{title} ({date})",
    "undated": "بلا تاريخ",
    "tip": "{plan}\nالحالة: {status}",
    "help": "اختر فقرة مخطط الاتصال التي نفّذها هذا النشاط؛ تصير «منفذ» عند الحفظ.",
}

__all__ = ["TEXT", "PlanLink"]

T = TypeVar("T")


class PlanLink(QComboBox):
    """The plan item an activity carried out (none: the first choice); ``changed`` is
    emitted when the user picks another."""

    changed = Signal()
    LABEL = TEXT["label"]

    def __init__(self, ctx: AppContext, date: DateEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._date = date
        self._activity_id: str | None = None
        #: The item the stored activity is linked to (what a save replaces).
        self.linked_id: str | None = None
        self._filling = False
        self.setObjectName("planItemChooser")
        self.setToolTip(TEXT["help"])
        self.setAccessibleName(TEXT["label"])
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(30)
        date.changed.connect(self._date_changed)
        self.currentIndexChanged.connect(self._picked)

    # --- showing --------------------------------------------------------------------------

    def load(self, activity_id: str | None) -> None:
        """Show the items for the stored activity (None: a new one) and its date, with the
        item it is linked to chosen."""
        self._activity_id = activity_id
        linked = plans.linked_item(self.ctx.db, activity_id)
        self.linked_id = linked.id if linked else None
        self._fill(self.linked_id)

    def _day(self) -> str | None:
        return self._date.value()

    def _fill(self, chosen: str | None) -> None:
        self._filling = True
        try:
            self.clear()
            choices = plans.item_choices(self.ctx.db, self._day(), self._activity_id)
            self.addItem(TEXT["none"] if choices else TEXT["none_open"], None)
            style = self.ctx.date_style
            for choice in choices:
                item = choice.item
                self.addItem(TEXT["line"].format(
                    title=" ".join(item.title.split()),
                    date=date_text(item.date, style) if item.date else TEXT["undated"]),
                    item.id)
                self.setItemData(self.count() - 1, TEXT["tip"].format(
                    plan=choice.plan_title,
                    status=vocab.PLAN_ITEM_STATUSES.get(item.status, item.status)),
                    Qt.ItemDataRole.ToolTipRole)
            self.setCurrentIndex(max(self.findData(chosen), 0) if chosen else 0)
        finally:
            self._filling = False

    def _date_changed(self) -> None:
        before = self.chosen_id()
        self._fill(before)
        if self.chosen_id() != before:
            self.changed.emit()

    def _picked(self, _index: int) -> None:
        if not self._filling:
            self.changed.emit()

    # --- the choice -------------------------------------------------------------------------

    def chosen_id(self) -> str | None:
        """The chosen item's id, None for none."""
        return self.currentData()

    def choose(self, item_id: str | None) -> bool:
        """Choose the listed item with this id (None: none); False when it is not listed."""
        index = 0 if item_id is None else self.findData(item_id)
        if index < 0:
            return False
        self.setCurrentIndex(index)
        return True

    def state(self) -> dict[str, Any]:
        """The choice as the form's state holds it (for "changed?" and drafts)."""
        return {"plan_item": self.chosen_id()}

    def saving(self, save: Callable[[], T], activity_id: Callable[[T], str]) -> T:
        """Run the form's ``save`` and link the chosen item in the same transaction; on
        success the choice is what is stored, and the plans page is told."""
        chosen, before = self.chosen_id(), self.linked_id
        saved = plans.save_with_item(self.ctx.db, save, activity_id, chosen, before)
        self.linked_id = chosen
        if chosen != before:
            self.ctx.changed(PlanItem.table)
        return saved
