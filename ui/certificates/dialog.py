"""The window where a unit makes the certificates of one activity.

On the leading side (the right, in Arabic) the choices: who gets a certificate
(:class:`~ui.certificates.attendees.AttendeeChooser`) and how it looks and reads
(:class:`~ui.certificates.style_editor.StyleEditor`); on the other side a live preview of
the certificate of the attendee selected in the list, redrawn a moment after each change
(:func:`models.certificate_pages.preview` painted by
:func:`exporters.certificate_paint.render_image`; nothing is issued for it).

The outputs — Word, PDF, printing (:class:`~ui.certificates.output.OutputsMixin`) — issue
the certificates in the background with progress and cancel; a cancel or a failure issues
nothing. On each output the style is kept as the activity's own; it can also be made the
unit's default, or dropped for the unit's. What blocks an output (a broken template,
nobody chosen) is said beside the output buttons, and nothing is issued.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QPalette, QPixmap, QResizeEvent
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.certificate_pages import CertificatePage, preview
from models.certificate_style import (
    CertificateStyle,
    clear_activity_style,
    has_activity_style,
    load_style,
    save_style,
)
from models.errors import IttisalError
from models.records import Activity
from ui import export
from ui.certificates.attendees import AttendeeChooser
from ui.certificates.output import OutputsMixin
from ui.certificates.style_editor import StyleEditor
from ui.context import AppContext
from ui.formatting import number_text
from ui.tasks import Task
from ui.widgets.theme import ERROR_COLOUR, INFO_COLOUR

__all__ = ["TEXT", "CertificatesDialog"]

TEXT = {
    "title": "شهادات المشاركين — {activity}",
    "tab_people": "المشاركون",
    "preview_of": "معاينة شهادة: {name}",
    "preview_sample": "معاينة باسم للتجربة: {name}",
    "preview_note": "معاينة فقط: لا تُصدر الشهادة ولا يُحجز رقمها إلا عند الحفظ أو الطباعة.",
    "preview_failed": "تعذّرت المعاينة: {reason}",
    "own_style": "لهذا النشاط إعداد شهادات خاص به.",
    "unit_style": "يستخدم هذا النشاط إعداد الوحدة الافتراضي.",
    "save_default": "حفظ كإعداد افتراضي للوحدة",
    "save_default_tip": "تستخدم الأنشطة التي ليس لها إعداد خاص هذا التصميم والنص والصور",
    "restore": "استعادة إعداد الوحدة",
    "restore_tip": "حذف إعداد هذا النشاط الخاص والعودة إلى إعداد الوحدة الافتراضي",
    "saved_default": "حُفظ الإعداد افتراضياً للوحدة.",
    "restored": "عاد هذا النشاط إلى إعداد الوحدة.",
    "save_word": "حفظ Word…",
    "save_word_tip": "ملف Word واحد، صفحة لكل مشارك، يمكن تعديله",
    "save_pdf": "حفظ PDF…",
    "save_pdf_tip": "ملف PDF واحد، صفحة لكل مشارك، جاهز للطباعة أو الإرسال",
    "print": "طباعة…",
    "print_tip": "طباعة شهادات المختارين مباشرةً؛ السهم: شهادة المحدد فقط أو المعاينة",
    "print_checked": "طباعة شهادات المختارين ({n})…",
    "print_current": "طباعة شهادة المحدد فقط ({name})…",
    "print_preview": "معاينة قبل الطباعة…",
    "close": "إغلاق",
    "fix_style": "صحّح ما في إعداد الشهادة أولاً؛ الرسالة بجانب الحقل.",
    "nobody": "لم تختر أحداً: ضع علامة أمام من تُصدر لهم الشهادات، أو اضغط «تحديد الكل».",
    "no_current": "حدد مشاركاً في القائمة أولاً.",
}

PREVIEW_DELAY_MS = 200
PREVIEW_MIN = (420, 297)
CHOICES_WIDTH = 500
PAGE_RATIO = 297 / 210  # landscape A4
DEFAULT_SIZE = (1240, 760)


class CertificatesDialog(OutputsMixin, QDialog):
    """Choose the attendees and the style, see the certificate, and save or print."""

    def __init__(self, ctx: AppContext, activity_id: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.activity_id = activity_id
        self.activity = store.get(ctx.db, Activity, activity_id)
        self.task: Task | None = None
        self.pages: list[CertificatePage] = []  # what the print preview paints
        self.print_preview: QPrintPreviewDialog | None = None
        self.printer: QPrinter | None = None
        self.preview_image = None  # the QImage shown, for a look from tests
        self.setObjectName("certificatesDialog")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["title"].format(activity=export.short_title(self.activity.title)))

        self.attendees = AttendeeChooser(ctx, activity_id, self)
        self.editor = StyleEditor(ctx.db.path, self)
        self.editor.insertTab(0, self.attendees, TEXT["tab_people"])
        self.editor.setCurrentIndex(0)
        self.style_state = QLabel(self)
        self.style_state.setObjectName("certStyleState")
        self.style_state.setWordWrap(True)
        self.default_button = self._button(TEXT["save_default"], "certSaveDefault",
                                           self.save_as_default, TEXT["save_default_tip"])
        self.restore_button = self._button(TEXT["restore"], "certRestore",
                                           self.restore_unit_style, TEXT["restore_tip"])
        choices = QWidget(self)
        choices.setMinimumWidth(CHOICES_WIDTH)
        choices.setMaximumWidth(int(CHOICES_WIDTH * 1.3))
        style_row = QHBoxLayout()
        style_row.addWidget(self.default_button)
        style_row.addWidget(self.restore_button)
        style_row.addStretch(1)
        choices_layout = QVBoxLayout(choices)
        choices_layout.setContentsMargins(0, 0, 0, 0)
        choices_layout.addWidget(self.editor, 1)
        choices_layout.addWidget(self.style_state)
        choices_layout.addLayout(style_row)

        preview_panel = self._preview_panel()
        body = QHBoxLayout()
        body.addWidget(choices)  # first: the leading (right) side
        body.addWidget(preview_panel, 1)

        self.message = QLabel(self)
        self.message.setObjectName("certMessage")
        self.message.setWordWrap(True)
        self.word_button = self._button(TEXT["save_word"], "certSaveWord",
                                        lambda: self.save_file("docx"), TEXT["save_word_tip"])
        self.pdf_button = self._button(TEXT["save_pdf"], "certSavePdf",
                                       lambda: self.save_file("pdf"), TEXT["save_pdf_tip"])
        # Print goes straight to the system's print dialog with the checked attendees; the
        # button's arrow holds the other ways (only the selected one, the preview first).
        self.print_button = QToolButton(self)
        self.print_button.setObjectName("certPrint")
        self.print_button.setText(TEXT["print"])
        self.print_button.setToolTip(TEXT["print_tip"])
        self.print_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.print_button.setSizePolicy(QSizePolicy.Policy.Preferred,
                                        self.word_button.sizePolicy().verticalPolicy())
        self.print_button.setMinimumHeight(self.word_button.sizeHint().height())
        self.print_button.clicked.connect(lambda: self.print_certificates())
        self.print_menu = QMenu(self.print_button)
        self.print_menu.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.print_checked_action = self.print_menu.addAction(TEXT["print_checked"])
        self.print_checked_action.triggered.connect(lambda: self.print_certificates())
        self.print_current_action = self.print_menu.addAction(TEXT["print_current"])
        self.print_current_action.triggered.connect(
            lambda: self.print_certificates(only_current=True))
        self.print_menu.addSeparator()
        self.print_preview_action = self.print_menu.addAction(TEXT["print_preview"])
        self.print_preview_action.setObjectName("certPrintPreviewAction")
        self.print_preview_action.triggered.connect(
            lambda: self.print_certificates(preview=True))
        self.print_button.setMenu(self.print_menu)
        self.close_button = self._button(TEXT["close"], "certClose", self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        for button in (self.word_button, self.pdf_button, self.print_button):
            bottom.addWidget(button)
        bottom.addSpacing(12)
        bottom.addWidget(self.close_button)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(rule)
        layout.addLayout(bottom)

        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self._refresh_if_shown)
        self.editor.changed.connect(self._style_edited)
        self.attendees.current_changed.connect(self.preview_timer.start)
        self.attendees.current_changed.connect(self._update_actions)
        self.attendees.checked_changed.connect(self._update_actions)

        self.editor.set_style(load_style(ctx.db, activity_id))
        self._update_style_state()
        self._update_actions()
        # Roomy by default, but never taller or wider than the screen (a 1366×768 laptop).
        screen = self.screen().availableGeometry()
        self.resize(min(DEFAULT_SIZE[0], screen.width() - 40),
                    min(DEFAULT_SIZE[1], screen.height() - 40))
        self.refresh_preview()

    def _button(self, text: str, name: str, slot, tip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)  # Enter in the search box must not export
        button.setToolTip(tip)
        if slot is not None:
            button.clicked.connect(slot)
        return button

    def _preview_panel(self) -> QWidget:
        panel = QFrame(self)
        panel.setObjectName("certPreviewPanel")
        panel.setStyleSheet("#certPreviewPanel { background: #e3e6ea; border-radius: 6px; }")
        self.preview_caption = QLabel(panel)
        self.preview_caption.setObjectName("certPreviewCaption")
        font = self.preview_caption.font()
        font.setBold(True)
        self.preview_caption.setFont(font)
        self.preview_label = QLabel(panel)
        self.preview_label.setObjectName("certPreview")
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_label.setMinimumSize(*PREVIEW_MIN)
        # The picture follows the panel's size, never the other way round.
        self.preview_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                         QSizePolicy.Policy.Ignored)
        shadow = QGraphicsDropShadowEffect(self.preview_label)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.preview_label.setGraphicsEffect(shadow)  # the page lies on the grey panel
        self.preview_note = QLabel(TEXT["preview_note"], panel)
        self.preview_note.setWordWrap(True)
        palette = self.preview_note.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#555b63"))
        self.preview_note.setPalette(palette)
        layout = QVBoxLayout(panel)
        layout.addWidget(self.preview_caption)
        layout.addWidget(self.preview_label, 1)
        layout.addWidget(self.preview_note)
        return panel

    # --- the preview ------------------------------------------------------------------

    def _style_edited(self) -> None:
        self.say("")
        self.preview_timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.preview_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self.preview_timer.stop()  # a closed window draws nothing (its database may go)
        super().hideEvent(event)

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """Validate the style, then draw the selected attendee's certificate (quick: one
        page, on the UI thread)."""
        from exporters.certificate_paint import render_image

        self.editor.show_problems()
        self._update_actions()
        person = self.attendees.current_person()
        try:
            page = preview(self.ctx.db, self.activity_id, person, self.editor.style())
        except IttisalError as exc:
            self.preview_caption.setText(TEXT["preview_failed"].format(reason=exc))
            return
        ratio = self.devicePixelRatioF()
        width = min(self.preview_label.width(), int(self.preview_label.height() * PAGE_RATIO))
        width = max(width, PREVIEW_MIN[0])
        image = render_image(page, int(width * ratio))
        image.setDevicePixelRatio(ratio)
        self.preview_image = image
        self.preview_label.setPixmap(QPixmap.fromImage(image))
        self.preview_caption.setText(TEXT["preview_of" if person else "preview_sample"]
                                     .format(name=page.name))

    # --- the style --------------------------------------------------------------------

    def _update_style_state(self) -> None:
        own = has_activity_style(self.ctx.db, self.activity_id)
        self.style_state.setText(TEXT["own_style" if own else "unit_style"])
        self.restore_button.setEnabled(own)

    def _ready_style(self) -> CertificateStyle | None:
        """The style to use, or None (with the messages shown) when it has a problem."""
        found = self.editor.show_problems()
        self._update_actions()
        if found:
            self.editor.show_first_problem(found)
            self.say(TEXT["fix_style"], error=True)
            return None
        return self.editor.style()

    def save_as_default(self) -> None:
        """Make the style the unit's default (activities without their own use it)."""
        style = self._ready_style()
        if style is None:
            return
        save_style(self.ctx.db, style)
        self.say(TEXT["saved_default"])

    def restore_unit_style(self) -> None:
        """Drop the activity's own style and show the unit's."""
        clear_activity_style(self.ctx.db, self.activity_id)
        self.editor.set_style(load_style(self.ctx.db, self.activity_id))
        self._update_style_state()
        self.say(TEXT["restored"])
        self.preview_timer.start()

    def _keep_style(self, style: CertificateStyle) -> bool:
        """Save the style as the activity's own (every output does)."""
        try:
            save_style(self.ctx.db, style, self.activity_id)
        except IttisalError as exc:
            self.say(str(exc), error=True)
            return False
        self._update_style_state()
        return True

    # --- choosing ---------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        """Show a line beside the output buttons (red for what blocks an output)."""
        palette = self.message.palette()
        palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOUR if error else INFO_COLOUR)
        self.message.setPalette(palette)
        self.message.setText(text)

    def _update_actions(self) -> None:
        ok = not self.editor.problems()
        anyone = bool(self.attendees.checked_ids())
        for button in (self.word_button, self.pdf_button):
            button.setEnabled(ok and anyone)
        self.print_button.setEnabled(ok and self.attendees.tree.topLevelItemCount() > 0)
        self.print_checked_action.setEnabled(anyone)
        self.print_preview_action.setEnabled(anyone)
        self.print_checked_action.setText(TEXT["print_checked"].format(
            n=number_text(len(self.attendees.checked_ids()), self.ctx.date_style)))
        current = self.attendees.current_person()
        self.print_current_action.setEnabled(current is not None)
        self.print_current_action.setText(TEXT["print_current"].format(
            name=current.full_name if current else "—"))

    def _chosen(self, only_current: bool = False) -> list[str] | None:
        if only_current:
            person = self.attendees.current_person()
            if person is None:
                self.say(TEXT["no_current"], error=True)
                return None
            return [person.id]
        ids = self.attendees.checked_ids()
        if not ids:
            self.editor.setCurrentWidget(self.attendees)
            self.say(TEXT["nobody"], error=True)
            return None
        return ids

    def _issued(self) -> None:
        """Certificates were issued: show their serials, tell the other views."""
        self.attendees.refresh_serials()
        self.ctx.changed("certificates")
        self.preview_timer.start()
