"""The news report's text, shown for editing before it is exported.

``NewsEditorDialog(ctx, activity_id, parent)`` shows the text the news report will print —
the edited text kept with the activity, else a draft from its fields (:mod:`models.news`),
in the unit's digits — in a right-to-left editor. "حفظ" keeps the text in
``activity.news_text`` (an unedited draft is not kept, so it follows later changes to the
activity), "إعادة الصياغة" drafts it again from the fields, "تصدير" saves and then exports
the news report through :func:`ui.export.export_document` (and closes the editor).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from models import activity_bundle, attendance, news
from models.errors import IttisalError
from ui import export
from ui.context import AppContext
from ui.forms.form_base import TextArea, ask, ask_unsaved
from ui.tasks import Task, show_error

TEXT = {
    "title": "التقرير الخبري — {title}",
    "hint": "هذا نص التقرير كما سيُطبع. عدّله كما تشاء: السطر الأول العنوان، ويليه سطر "
            "المكان والتاريخ، وبين الفقرات سطر فارغ، والتوصيات أسطر مرقّمة.",
    "save": "حفظ",
    "save_tip": "حفظ النص مع النشاط (Ctrl+S)",
    "redraft": "إعادة الصياغة",
    "redraft_tip": "صياغة النص من جديد من بيانات النشاط",
    "export": "تصدير",
    "export_tip": "حفظ النص ثم تصدير التقرير الخبري إلى ملف Word",
    "close": "إغلاق",
    "redraft_title": "إعادة الصياغة",
    "redraft_question": "سيُستبدل النص الحالي بصياغة جديدة من بيانات النشاط، وتضيع "
                        "تعديلاتك عليه. هل تريد المتابعة؟",
    "yes": "نعم، أعد الصياغة",
    "no": "لا",
}


class NewsEditorDialog(QDialog):
    """Edit an activity's news text, keep it with the activity, export the report."""

    def __init__(self, ctx: AppContext, activity_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.activity_id = activity_id
        self.export_task: Task | None = None
        self.setObjectName("newsEditor")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setSizeGripEnabled(True)
        bundle = activity_bundle.load(ctx.db, activity_id)
        self.setWindowTitle(TEXT["title"].format(title=bundle.activity.title))

        hint = QLabel(TEXT["hint"], self)
        hint.setWordWrap(True)
        hint.setObjectName("newsHint")
        self.editor = TextArea(self)
        self.editor.setObjectName("newsText")
        self.editor.setTabChangesFocus(False)
        buttons = QDialogButtonBox(self)
        role = QDialogButtonBox.ButtonRole
        self.redraft_button = buttons.addButton(TEXT["redraft"], role.ResetRole)
        self.save_button = buttons.addButton(TEXT["save"], role.ApplyRole)
        self.export_button = buttons.addButton(TEXT["export"], role.ActionRole)
        self.close_button = buttons.addButton(TEXT["close"], role.RejectRole)
        for name, button in (("save", self.save_button), ("redraft", self.redraft_button),
                             ("export", self.export_button)):
            button.setToolTip(TEXT[f"{name}_tip"])
        for button in (self.save_button, self.redraft_button, self.export_button,
                       self.close_button):
            button.setAutoDefault(False)
            button.setMinimumWidth(90)
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.redraft_button.clicked.connect(self.redraft)
        self.export_button.clicked.connect(self.export)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        line = self.fontMetrics().lineSpacing()
        self.resize(line * 38, line * 30)

        self._stored = news.news_for(bundle, ctx.unit, ctx.date_style,
                                     attendees=self._attendees()).to_plain(self._digits)
        self.editor.setPlainText(self._stored)

    @property
    def _digits(self) -> str:
        return self.ctx.date_style.digits

    def _attendees(self) -> int | None:
        return attendance.count(self.ctx.db, self.activity_id) or None

    def _draft(self) -> str:
        bundle = activity_bundle.load(self.ctx.db, self.activity_id)
        return news.draft_news(bundle, self.ctx.unit, self.ctx.date_style,
                               attendees=self._attendees()).to_plain(self._digits)

    def text(self) -> str:
        """The text as the editor shows it."""
        return self.editor.toPlainText()

    def is_dirty(self) -> bool:
        """Whether the text differs from what is kept (or drafted)."""
        return self.text().strip() != self._stored.strip()

    def save(self) -> bool:
        """Keep the text with the activity; True when kept."""
        text = self.text()
        # An unedited draft is not kept: the report then follows the activity's fields.
        kept = "" if text.strip() == self._draft().strip() else text
        try:
            news.save_news_text(self.ctx.db, self.activity_id, kept)
        except IttisalError as exc:
            show_error(self, exc)
            return False
        self._stored = text
        self.ctx.changed("activities")
        return True

    def redraft(self) -> None:
        """Draft the text again from the activity's fields (asking before losing edits)."""
        drafted = self._draft()
        if self.text().strip() == drafted.strip():
            return
        if self.is_dirty() or self._stored.strip() != drafted.strip():
            if not ask(self, TEXT["redraft_title"], TEXT["redraft_question"],
                       yes=TEXT["yes"], no=TEXT["no"]):
                return
        self.editor.setPlainText(drafted)

    def export(self) -> Task | None:
        """Save the text, then export the news report (asking where) and close: the export
        goes on under the editor's parent, which outlives the editor."""
        if not self.save():
            return None
        self.export_task = export.export_document(self.parentWidget() or self, self.ctx,
                                                  "news", activity_id=self.activity_id)
        if self.export_task is not None and self.parentWidget() is not None:
            self.accept()
        return self.export_task

    def reject(self) -> None:
        """Close; ask first when the text was edited and not saved."""
        if self.is_dirty():
            choice = ask_unsaved(self)
            if choice == "cancel":
                return
            if choice == "save" and not self.save():
                return
        super().reject()
