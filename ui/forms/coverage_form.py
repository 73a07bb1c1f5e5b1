"""The entry form of a coverage item (الرصد الإعلامي), made for the keyboard.

A monitor enters many items in a row: «حفظ وإدخال التالي» (Ctrl+Enter) saves, clears
the item's own fields and keeps the date, the outlet (with its medium and level) for the
next one, the cursor back on the title. The outlet is an editable list of the directory
of outlets and the names stored coverage uses (:func:`models.coverage.known_outlets`):
choosing a known one fills its medium and level; a new name is simply typed, and a hint
under it says it will be added to the directory with the medium and level chosen (it is,
when the item is saved). Pasting a link proposes its outlet by the link's domain
(:func:`models.coverage.propose_outlet`) while the outlet field is still empty. The
reach, when the outlet gives it, is a whole number or nothing. The tone
takes one key: 1 or + إيجابي, 2 or 0 محايد, 3 or - سلبي (arrows move too). Problems show
under their fields (:mod:`ui.widgets.field_errors`); the item is stored through
:func:`models.coverage.save_item`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPainter, QPalette, QPen, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import activities, coverage, records, store, vocab
from models.arabic import search_key
from models.errors import IttisalError
from ui.context import AppContext
from ui.formatting import number_text
from ui.tasks import show_error
from ui.widgets.choice_box import choice_box
from ui.widgets.date_edit import DateEdit
from ui.widgets.field_errors import FieldErrors, FieldMessage

TEXT = {
    "title_new": "إدخال رصد",
    "title_edit": "تعديل مادة الرصد",
    "date": "تاريخ النشر:",
    "outlet": "الوسيلة الإعلامية:",
    "outlet_placeholder": "اسم القناة أو الصحيفة أو الصفحة…",
    "medium": "نوع الوسيلة:",
    "level": "المستوى:",
    "item_title": "العنوان:",
    "link": "الرابط:",
    "link_placeholder": "https://…",
    "tone": "الاتجاه:",
    "tone_tip": "مفتاح واحد: 1 أو + إيجابي، 2 أو 0 محايد، 3 أو - سلبي",
    "topic": "الموضوع:",
    "activity": "النشاط:",
    "no_activity": "— لا نشاط —",
    "notes": "ملاحظات:",
    "reach": "الوصول:",
    "reach_placeholder": "اختياري: عدد المشاهدات أو القراء إن عُرف",
    "save_next": "حفظ وإدخال التالي",
    "save_next_tip": "حفظ المادة وإفراغ الحقول للمادة التالية مع إبقاء التاريخ والوسيلة "
                     "(Ctrl+Enter)",
    "save_close": "حفظ وإغلاق",
    "save": "حفظ",
    "close": "إغلاق",
    "proposed": "اقتُرحت الوسيلة «{outlet}» من نطاق الرابط ({domain}).",
    "known": "وسيلة معروفة: {medium}، {level}.",
    "new_outlet": "وسيلة جديدة: ستُضاف إلى دليل الوسائل عند الحفظ بنوع «{medium}» "
                  "ومستوى «{level}».",
    "saved": "حُفظت {n} من المواد في هذه الجلسة؛ آخرها «{title}».",
}

#: The tone keys, each with the keys that choose it.
TONE_KEYS: dict[str, tuple[int, ...]] = {
    "positive": (Qt.Key.Key_1, Qt.Key.Key_Plus, 0x0661),  # ١
    "neutral": (Qt.Key.Key_2, Qt.Key.Key_0, 0x0662),  # ٢
    "negative": (Qt.Key.Key_3, Qt.Key.Key_Minus, 0x0663),  # ٣
}
ACTIVITY_CHOICES = 200
_SEPARATORS = str.maketrans("", "", ",٬ \u00a0\u202f")

__all__ = ["TEXT", "TONE_KEYS", "CoverageDialog", "ToneField"]


class ToneField(QWidget):
    """The three tones as one focusable field: one key chooses, the arrows move."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(TEXT["tone_tip"])
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for number, (key, label) in enumerate(vocab.TONES.items(), start=1):
            button = QToolButton(self)
            button.setText(f"{label} ({number})")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setObjectName(f"tone_{key}")
            button.toggled.connect(lambda on: on and self.changed.emit())
            self.group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.set_value("neutral")

    def value(self) -> str:
        """The chosen tone's key."""
        return next((k for k, b in self.buttons.items() if b.isChecked()), "neutral")

    def set_value(self, key: str) -> None:
        """Choose a tone by its key."""
        self.buttons.get(key, self.buttons["neutral"]).setChecked(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        for tone, keys in TONE_KEYS.items():
            if key in keys:
                self.set_value(tone)
                return
        order = list(self.buttons)
        at = order.index(self.value())
        # Right to left: the next tone (to the left) is Key_Left.
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            self.set_value(order[min(at + 1, len(order) - 1)])
            return
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            self.set_value(order[max(at - 1, 0)])
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.hasFocus():  # the buttons take no focus: the field shows it has it
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
            painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 4, 4)
            painter.end()


class CoverageDialog(QDialog):
    """Enter coverage items one after another, or edit one (``item_id``)."""

    #: An item was stored; carries its id.
    saved = Signal(str)

    def __init__(self, ctx: AppContext, item_id: str | None = None,
                 parent: QWidget | None = None, *, today: dt.date | None = None,
                 activity_id: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("coverageDialog")
        self.item_id = item_id
        self.saved_ids: list[str] = []
        self._today = today or dt.date.today()
        self._item: records.CoverageItem | None = (
            store.get(ctx.db, records.CoverageItem, item_id) if item_id else None)
        self.setWindowTitle(TEXT["title_edit" if item_id else "title_new"])
        self.errors = FieldErrors()
        self._outlets: dict[str, coverage.KnownOutlet] = {}

        self.date = DateEdit(ctx, self)
        self.date.setObjectName("dateField")
        self.outlet = QComboBox(self)
        self.outlet.setObjectName("outletField")
        self.outlet.setEditable(True)
        self.outlet.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.outlet.lineEdit().setPlaceholderText(TEXT["outlet_placeholder"])
        self.medium = choice_box(self, "mediumField", vocab.MEDIA)
        self.level = choice_box(self, "levelField", vocab.LEVELS)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("titleField")
        self.link = QLineEdit(self)
        self.link.setObjectName("linkField")
        self.link.setPlaceholderText(TEXT["link_placeholder"])
        self.link.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.tone = ToneField(self)
        self.tone.setObjectName("toneField")
        self.topic = QLineEdit(self)
        self.topic.setObjectName("topicField")
        self.activity = QComboBox(self)
        self.activity.setObjectName("activityField")
        self.activity.addItem(TEXT["no_activity"], None)
        for row in activities.list_activities(ctx.db, limit=ACTIVITY_CHOICES):
            self.activity.addItem(row.title, row.id)
        self.reach = QLineEdit(self)
        self.reach.setObjectName("reachField")
        self.reach.setPlaceholderText(TEXT["reach_placeholder"])
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notesField")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.outlet_hint = FieldMessage(self, hint=True)
        self.outlet_hint.setObjectName("outletHint")

        form = QFormLayout()
        form.addRow(TEXT["date"], self.errors.add("date", self.date))
        outlet_box = self.errors.add("outlet", self.outlet)
        outlet_box.layout().addWidget(self.outlet_hint)
        form.addRow(TEXT["outlet"], outlet_box)
        form.addRow(TEXT["medium"], self.errors.add("medium", self.medium))
        form.addRow(TEXT["level"], self.errors.add("level", self.level))
        form.addRow(TEXT["item_title"], self.errors.add("title", self.title_edit))
        form.addRow(TEXT["link"], self.errors.add("link", self.link))
        form.addRow(TEXT["tone"], self.errors.add("tone", self.tone))
        form.addRow(TEXT["topic"], self.errors.add("topic", self.topic))
        form.addRow(TEXT["activity"], self.errors.add("activity_id", self.activity))
        form.addRow(TEXT["reach"], self.errors.add("reach", self.reach))
        form.addRow(TEXT["notes"], self.errors.add("notes", self.notes))

        self.status = QLabel(self)
        self.status.setObjectName("savedStatus")
        self.status.setWordWrap(True)
        self.next_button = QPushButton(TEXT["save_next"], self)
        self.next_button.setObjectName("saveNextButton")
        self.next_button.setToolTip(TEXT["save_next_tip"])
        self.next_button.clicked.connect(self.save_and_next)
        self.close_save_button = QPushButton(
            TEXT["save" if item_id else "save_close"], self)
        self.close_save_button.setObjectName("saveCloseButton")
        self.close_save_button.clicked.connect(self.save_and_close)
        self.close_button = QPushButton(TEXT["close"], self)
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.reject)
        for button in (self.next_button, self.close_save_button, self.close_button):
            # Enter in a field must not save half an item: saving is Ctrl+Enter.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.next_button.setVisible(item_id is None)
        buttons = QHBoxLayout()
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.close_save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        fields = (self.date.line, self.outlet, self.medium, self.level, self.title_edit,
                  self.link, self.tone, self.topic, self.activity, self.reach, self.notes,
                  self.next_button, self.close_save_button, self.close_button)
        for first, second in zip(fields, fields[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.save_and_next if item_id is None
                                       else self.save_and_close)

        self.load_outlets()
        self.outlet.lineEdit().textEdited.connect(self._outlet_typed)
        self.outlet.activated.connect(lambda _i: self._outlet_typed(self.outlet.currentText()))
        self.link.textChanged.connect(self._link_changed)
        self.medium.currentIndexChanged.connect(self._choice_changed)
        self.level.currentIndexChanged.connect(self._choice_changed)
        if self._item is not None:
            self._show(self._item)
        else:
            self.date.setValue(self._today)
            blank = records.CoverageItem(date=None)
            self._set_choice(self.medium, blank.medium)
            self._set_choice(self.level, blank.level)
            if activity_id:
                self.activity.setCurrentIndex(max(self.activity.findData(activity_id), 0))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.outlet.setFocus() if self._item is None else self.title_edit.setFocus()

    # --- outlets ---------------------------------------------------------------------

    def load_outlets(self) -> None:
        """Offer the outlets named in stored coverage."""
        known = coverage.known_outlets(self.ctx.db)
        self._outlets = {search_key(o.name): o for o in known}
        text = self.outlet.currentText()
        self.outlet.blockSignals(True)
        self.outlet.clear()
        self.outlet.addItems([o.name for o in known])
        self.outlet.setEditText(text)
        self.outlet.blockSignals(False)
        completer = QCompleter([o.name for o in known], self.outlet)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._outlet_typed)
        self.outlet.setCompleter(completer)

    def _outlet_typed(self, text: str) -> None:
        known = self._outlets.get(search_key(text)) if text.strip() else None
        if known is None:
            self._hint_new_outlet()
            return
        self._set_choice(self.medium, known.medium)
        self._set_choice(self.level, known.level)
        self.outlet_hint.set_message(TEXT["known"].format(
            medium=vocab.MEDIA.get(known.medium, known.medium),
            level=vocab.LEVELS.get(known.level, known.level)))

    def is_new_outlet(self) -> bool:
        """True when the outlet typed is in neither the directory nor stored coverage."""
        text = self.outlet.currentText()
        return bool(text.strip()) and search_key(text) not in self._outlets

    def _hint_new_outlet(self) -> None:
        self.outlet_hint.set_message(TEXT["new_outlet"].format(
            medium=self.medium.currentText(), level=self.level.currentText())
            if self.is_new_outlet() else "")

    def _choice_changed(self, _index: int) -> None:
        if self.is_new_outlet():  # the hint says which medium and level the directory gets
            self._hint_new_outlet()

    @staticmethod
    def _set_choice(combo: QComboBox, key: str) -> None:
        at = combo.findData(key)
        if at >= 0:
            combo.setCurrentIndex(at)

    def _link_changed(self, text: str) -> None:
        if self.outlet.currentText().strip():
            return  # the monitor's outlet stands
        proposed = coverage.propose_outlet(self.ctx.db, text)
        if proposed is None:
            return
        self.outlet.setEditText(proposed.name)
        self._outlet_typed(proposed.name)
        self.outlet_hint.set_message(TEXT["proposed"].format(
            outlet=proposed.name, domain=coverage.domain_of(text)))

    # --- the item --------------------------------------------------------------------

    def _show(self, item: records.CoverageItem) -> None:
        self.date.setValue(item.date)
        self.outlet.setEditText(item.outlet)
        self._set_choice(self.medium, item.medium)
        self._set_choice(self.level, item.level)
        self.title_edit.setText(item.title)
        self.link.blockSignals(True)
        self.link.setText(item.link)
        self.link.blockSignals(False)
        self.tone.set_value(item.tone)
        self.topic.setText(item.topic)
        if item.activity_id:
            at = self.activity.findData(item.activity_id)
            if at < 0:  # an older activity than the list offers
                self.activity.addItem(item.activity_id, item.activity_id)
                at = self.activity.count() - 1
            self.activity.setCurrentIndex(at)
        self.notes.setPlainText(item.notes)
        self.reach.setText("" if item.reach is None else str(item.reach))

    def item(self) -> records.CoverageItem:
        """The item the fields describe (cleaned, not checked)."""
        values: dict[str, Any] = {
            "date": self.date.raw(), "outlet": self.outlet.currentText(),
            "medium": self.medium.currentData(), "level": self.level.currentData(),
            "title": self.title_edit.text(), "link": self.link.text(),
            "tone": self.tone.value(), "topic": self.topic.text(),
            "activity_id": self.activity.currentData(), "notes": self.notes.toPlainText(),
            # Thousands separators as people write them (12,500 or ١٢٬٥٠٠) are no error.
            "reach": self.reach.text().translate(_SEPARATORS)}
        link = values["link"].strip()
        if link and "://" not in link and coverage.domain_of(link):
            # A link copied from the address bar often lacks its scheme (as on import).
            values["link"] = "https://" + link
        base = self._item if self._item is not None else records.CoverageItem(date=None)
        return records.clean(dataclasses.replace(base, **values))

    def save(self) -> bool:
        """Check and store the item; problems show under their fields."""
        item = self.item()
        problems = records.problems(item)
        unplaced = self.errors.show(problems)
        if problems:
            widget = self.errors.widgets.get(problems[0].field)
            if widget is not None:
                widget.setFocus()
            if unplaced:
                show_error(self, unplaced[0])
            return False
        try:
            stored = coverage.save_item(self.ctx.db, item)
        except IttisalError as error:
            show_error(self, error)
            return False
        self._item = stored if self.item_id else None
        self.saved_ids.append(stored.id)
        self.ctx.changed(records.CoverageItem.table)
        self.saved.emit(stored.id)
        return True

    def save_and_next(self) -> bool:
        """Save, then clear the item's own fields for the next one (date and outlet
        stay); the cursor goes to the title."""
        title = self.title_edit.text().strip()
        if not self.save():
            return False
        for edit in (self.title_edit, self.topic, self.reach):
            edit.clear()
        self.link.blockSignals(True)
        self.link.clear()
        self.link.blockSignals(False)
        self.notes.clear()
        self.tone.set_value("neutral")
        self.load_outlets()
        self.status.setText(TEXT["saved"].format(
            n=number_text(len(self.saved_ids), self.ctx.date_style), title=title))
        self.title_edit.setFocus()
        return True

    def save_and_close(self) -> None:
        """Save, and close when saved."""
        if self.save():
            self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        # Enter in a field moves on, as Tab does: a dialog would close on it.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.focusNextChild()
            return
        super().keyPressEvent(event)
