"""The welcome dialog on first start: enter the unit's identity, or try the app on demo data.

Shown by the launcher only for a brand-new database (:func:`models.unit_mode.is_fresh`).
The identity page (the state line, the names, the head of the unit who signs by default)
can be saved at once, or followed by an optional page of what certificates and letters
need besides: the logo, the head's scanned signature or seal, and the certificate serial
prefix — saved like the settings page saves them (:func:`models.settings_store.save_settings`:
the files copied into the data folder). Everything there can be left for later.

The demo data are generated off the UI thread (:func:`ui.tasks.run_task`) with a progress
dialog that can cancel; a cancelled or failed generation adds nothing. They are marked
(:func:`demo.removal.generate_marked`) so that «حذف البيانات التجريبية» in the Help menu can
take them out again, as the button promises.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from demo import generator as demo
from demo import removal
from models import records, settings_store, store
from models.db import Database
from models.errors import IttisalError
from ui.context import AppContext
from ui.formatting import number_text
from ui.tasks import Progress, Task, run_task, show_error
from ui.widgets.field_errors import FieldMessage, with_message
from ui.widgets.file_choosers import LogoChooser
from ui.widgets.identity_form import UnitIdentityForm

TEXT = {
    "title": "مرحباً بك في اتصال",
    "heading": "مرحباً بك في اتصال",
    "intro": ("اتصال يحفظ أنشطة وحدتك ومشاركيها وتوصياتها، ويعدّ منها التقارير والكتب "
              "الرسمية والشهادات. قاعدة البيانات فارغة الآن؛ كيف تحب أن تبدأ؟"),
    "identity": "إدخال هوية الوحدة",
    "identity_note": "ابدأ بسجلات فارغة: اكتب اسم الوزارة والمديرية والوحدة ومسؤوليها.",
    "demo": "تحميل بيانات تجريبية",
    "demo_note": ("جرّب البرنامج على {count} نشاط تجريبي لوحدة في كربلاء مع مشاركيها "
                  "وتوصياتها (يمكن حذفها لاحقاً)."),
    "identity_heading": "هوية الوحدة",
    "identity_hint": "اكتب اسم الوحدة أو المديرية أو الوزارة على الأقل.",
    "back": "رجوع",
    "start": "حفظ والبدء",
    "later": "لاحقاً",
    "demo_task": "تحميل البيانات التجريبية",
    "next": "التالي: الشعار والتوقيع…",
    "next_tip": "خطوة اختيارية: ما تحتاجه الشهادات والكتب الرسمية",
    "extras_heading": "الشهادات والكتب الرسمية (اختياري)",
    "extras_intro": ("تحتاج الشهادات والكتب إلى شعار الوحدة وتوقيع من يوقّعها وبادئة لأرقام "
                     "الشهادات. يمكن تركها الآن وإكمالها لاحقاً من «الإعدادات»."),
    "signer": "يوقّع الشهادات والكتب افتراضياً مدير الوحدة: {name}",
    "no_signer": ("لم يُكتب اسم مدير الوحدة في الخطوة السابقة: لن يكون للشهادات موقّع "
                  "حتى يُكتب هنا أو في «الإعدادات»."),
    "choose_signature": "اختيار صورة توقيع مدير الوحدة أو ختمها",
    "no_signature": "لا يوجد توقيع أو ختم",
    "prefix_hint": "مثل KRB؛ تتبعه السنة ثم الرقم",
    "save_failed": "تعذّر الحفظ",
}

DEMO_ACTIVITIES = 300
DEMO_SEED = 1
# Everything the demo fills, announced once it is in.
DEMO_TABLES = ("activities", "persons", "attendance", "recommendations", "coverage_items",
               "plans", "plan_items")


def generate_demo(progress: Progress, db: Database,
                  activities: int = DEMO_ACTIVITIES) -> demo.DemoSummary:
    """Background work: the demo data, reporting each chunk to ``progress``."""
    return removal.generate_marked(db, activities=activities, seed=DEMO_SEED,
                                   progress=lambda done, total: progress.step(done, total))


class WelcomeDialog(QDialog):
    """First start: two ways in, the unit's identity or demo data."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choice: str | None = None
        self.task: Task | None = None
        self.setWindowTitle(TEXT["title"])
        self.setObjectName("welcome")
        self.setMinimumWidth(560)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._choice_page())
        self.pages.addWidget(self._identity_page())
        self.pages.addWidget(self._extras_page())
        QVBoxLayout(self).addWidget(self.pages)

    # --- pages ----------------------------------------------------------------------

    def _choice_page(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        heading = QLabel(TEXT["heading"], page)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(TEXT["intro"], page)
        intro.setWordWrap(True)
        for label in (heading, intro):
            label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.identity_button = QCommandLinkButton(TEXT["identity"], TEXT["identity_note"], page)
        self.identity_button.setObjectName("chooseIdentity")
        self.identity_button.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        self.demo_button = QCommandLinkButton(
            TEXT["demo"], TEXT["demo_note"].format(
                count=number_text(DEMO_ACTIVITIES, self.ctx.date_style)), page)
        self.demo_button.setObjectName("chooseDemo")
        self.demo_button.clicked.connect(self.load_demo)
        later = QPushButton(TEXT["later"], page)
        later.clicked.connect(self.reject)
        column.addWidget(heading)
        column.addWidget(intro)
        column.addSpacing(8)
        column.addWidget(self.identity_button)
        column.addWidget(self.demo_button)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(later)
        column.addLayout(row)
        return page

    def _identity_page(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        heading = QLabel(TEXT["identity_heading"], page)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        self.identity = UnitIdentityForm(page)
        self.identity.set_unit(self.ctx.unit)
        self.identity.edited.connect(self._identity_edited)
        self.hint = QLabel(TEXT["identity_hint"], page)
        self.hint.setWordWrap(True)
        for label in (heading, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        back = QPushButton(TEXT["back"], page)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.start_button = QPushButton(TEXT["start"], page)
        self.start_button.setObjectName("startWithIdentity")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.save_identity)
        self.next_button = QPushButton(TEXT["next"], page)
        self.next_button.setObjectName("nextOptional")
        self.next_button.setToolTip(TEXT["next_tip"])
        self.next_button.clicked.connect(self.show_extras)
        column.addWidget(heading)
        column.addWidget(self.identity)
        column.addWidget(self.hint)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(back)
        row.addWidget(self.next_button)
        row.addWidget(self.start_button)
        column.addLayout(row)
        self._identity_edited()
        return page

    def _extras_page(self) -> QWidget:
        """The optional step: logo, the head's signature image, the serial prefix."""
        page = QWidget(self)
        column = QVBoxLayout(page)
        heading = QLabel(TEXT["extras_heading"], page)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(TEXT["extras_intro"], page)
        intro.setWordWrap(True)
        self.signer = QLabel(page)
        self.signer.setObjectName("welcomeSigner")
        self.signer.setWordWrap(True)
        self.extras_error = QLabel(page)
        self.extras_error.setWordWrap(True)
        self.extras_error.hide()
        for label in (heading, intro, self.signer, self.extras_error):
            label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.logo = LogoChooser(page)
        self.signature = LogoChooser(page, caption=TEXT["choose_signature"],
                                     empty=TEXT["no_signature"],
                                     preview_name="signaturePreview", kind="signature")
        self.prefix = QLineEdit(page)
        self.prefix.setObjectName("unit_certificate_prefix")
        self.prefix.setPlaceholderText(TEXT["prefix_hint"])
        self.prefix.setMaximumWidth(220)
        self.prefix_error = FieldMessage(page)
        self.prefix.textEdited.connect(self._extras_edited)
        form.addRow(records.label(records.Unit, "logo_path"), self.logo.with_error())
        form.addRow(records.label(records.Unit, "signature_path"), self.signature.with_error())
        form.addRow(records.label(records.Unit, "certificate_prefix"),
                    with_message(self.prefix, self.prefix_error))
        back = QPushButton(TEXT["back"], page)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        self.finish_button = QPushButton(TEXT["start"], page)
        self.finish_button.setObjectName("startWithExtras")
        self.finish_button.setDefault(True)
        self.finish_button.clicked.connect(self.save_extras)
        column.addWidget(heading)
        column.addWidget(intro)
        column.addLayout(form)
        column.addWidget(self.signer)
        column.addWidget(self.extras_error)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(back)
        row.addWidget(self.finish_button)
        column.addLayout(row)
        return page

    # --- identity -------------------------------------------------------------------

    def _candidate(self) -> records.Unit:
        return records.clean(dataclasses.replace(self.ctx.unit, **self.identity.values()))

    def _identity_edited(self) -> None:
        unit = self._candidate()
        found = records.problems(unit)
        self.identity.show_problems(found)
        self.hint.setVisible(unit.is_blank)
        self.start_button.setEnabled(not found and not unit.is_blank)
        self.next_button.setEnabled(self.start_button.isEnabled())

    def save_identity(self) -> None:
        """Store the identity typed and close."""
        self._identity_edited()
        if not self.start_button.isEnabled():
            return
        try:
            self.ctx.save_unit(self._candidate())
        except IttisalError as exc:
            self.hint.setText(str(exc))
            self.hint.show()
            return
        self.choice = "identity"
        self.accept()

    # --- the optional step -----------------------------------------------------------

    def show_extras(self) -> None:
        """Go on to the optional page (the identity is saved with it, at the end)."""
        self._identity_edited()
        if not self.next_button.isEnabled():
            return
        unit = self._candidate()
        head = " ".join(part for part in (unit.head_title, unit.head_name) if part)
        self.signer.setText(TEXT["signer"].format(name=head) if unit.head_name
                            else TEXT["no_signer"])
        self.pages.setCurrentIndex(2)

    def _extras_candidate(self) -> records.Unit:
        return records.clean(dataclasses.replace(
            self._candidate(), logo_path=self.logo.path, signature_path=self.signature.path,
            certificate_prefix=self.prefix.text()))

    def _extras_edited(self) -> None:
        found = [p for p in records.problems(self._extras_candidate())
                 if p.field == "certificate_prefix"]
        self.prefix_error.set_message(str(found[0]) if found else "")
        self.finish_button.setEnabled(not found)

    def save_extras(self) -> None:
        """Store the identity with the logo, signature and prefix chosen, and close."""
        self._extras_edited()
        if not self.finish_button.isEnabled():
            return
        change = settings_store.SettingsChange(unit=self._extras_candidate())
        try:
            saved = settings_store.save_settings(self.ctx.db, change, stored=self.ctx.unit)
        except (IttisalError, OSError) as exc:
            QMessageBox.warning(self, TEXT["save_failed"], str(exc))
            return
        assert saved is not None
        self.ctx.unit_saved(saved)
        self.choice = "identity"
        self.accept()

    # --- demo -----------------------------------------------------------------------

    def load_demo(self) -> None:
        """Generate the demo data in the background; close when they are in."""
        self._busy(True)
        self.task = run_task(self, generate_demo, db_path=self.ctx.db.path,
                             title=TEXT["demo_task"], on_done=self._demo_done,
                             on_failed=self._demo_failed, on_cancelled=lambda: self._busy(False))

    def _busy(self, busy: bool) -> None:
        for button in (self.identity_button, self.demo_button):
            button.setEnabled(not busy)

    def _demo_failed(self, error: BaseException) -> None:
        self._busy(False)
        show_error(self, error)

    def _demo_done(self, _summary: demo.DemoSummary) -> None:
        # The demo gave the unit an identity in another connection: store.get reads it
        # and save_unit puts it in the context (and tells every view).
        self.ctx.save_unit(store.get(self.ctx.db, records.Unit, self.ctx.db.local_unit_id))
        for table in DEMO_TABLES:
            self.ctx.changed(table)
        self.choice = "demo"
        self.accept()

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            return  # the progress dialog's Cancel stops the work; Esc here does not
        super().reject()
