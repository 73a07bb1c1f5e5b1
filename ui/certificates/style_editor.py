"""The certificate's look and words, edited: a :class:`StyleEditor` holds one
:class:`~models.certificate_style.CertificateStyle`.

Three tabs: the text and design (design, title, font, the body sentence with buttons that
insert its fields and gender pairs, and a hint on the template's rules), the images (two
logos and a background) and the signatories (up to three, each with an optional scanned
signature). Images are checked and copied into the data folder the moment they are chosen
(:func:`models.attachments.store_image`, the same rules as the unit's logo in the
settings), so the style only ever names files the data folder keeps, relative to the
database's folder (:func:`models.attachments.reference`). Problems
(:func:`~models.certificate_style.style_problems`) show in red beside their field.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import attachments
from models.certificate_style import (
    DEFAULT_BODY,
    DESIGNS,
    FIELDS,
    FONTS,
    MAX_SIGNATORIES,
    TITLES,
    CertificateStyle,
    Signatory,
    signatories_for,
    style_problems,
)
from models.errors import IttisalError, ValidationError
from models.records import Unit
from ui.widgets.field_errors import FieldErrors, FieldMessage
from ui.widgets.file_choosers import LogoChooser

__all__ = ["GENDER_PAIRS", "TAB_IMAGES", "TAB_SIGNERS", "TAB_TEXT", "TEXT", "ImageChooser",
           "StyleEditor", "default_signer_hint", "isolated"]

TEXT = {
    "tab_text": "النص والتصميم",
    "tab_images": "الشعارات والخلفية",
    "tab_signers": "الموقّعون",
    "design": "التصميم:",
    "title": "عنوان الشهادة:",
    "font": "الخط:",
    "body": "نص الشهادة:",
    "insert_field": "إدراج حقل",
    "insert_field_tip": "إدراج حقل يُملأ من بيانات النشاط أو المشارك حيث المؤشر",
    "insert_gender": "إدراج صيغة مذكر/مؤنث",
    "insert_gender_tip": "كلمة تتغير بحسب جنس المشارك",
    "default_body": "النص المعتاد",
    "default_body_tip": "إعادة نص الشهادة إلى النص المعتاد",
    "hint": "ما بين { } يُملأ عند الطباعة: \u2068{name}\u2069 اسم المشارك، "
            "\u2068{activity}\u2069 عنوان النشاط… "
            "و{مذكر/مؤنث} يختار الكلمة بحسب جنس المشارك، مثل {شارك/شاركت}. "
            "وما بين [ ] جزء اختياري يُحذف كله إذا كان حقل فيه فارغاً، "
            "مثل [من \u2068{entity}\u2069] لمن لا جهة له.",
    "logo_1": "الشعار الأول:",
    "logo_2": "الشعار الثاني:",
    "background": "صورة الخلفية:",
    "images_hint": "يظهر الشعاران أعلى الشهادة. صورة الخلفية تملأ الصفحة خلف النص، "
                   "فاختر صورة فاتحة لا تُضعف قراءة النص.",
    "kept_image": "صورة محفوظة",
    "choose_logo": "اختيار شعار للشهادة",
    "no_logo": "لا يوجد شعار",
    "choose_background": "اختيار صورة خلفية للشهادة",
    "no_background": "بلا خلفية",
    "signer": ("الموقّع الأول", "الموقّع الثاني", "الموقّع الثالث"),
    "signer_name": "الاسم:",
    "signer_title": "المنصب:",
    "signer_image": "التوقيع:",
    "signer_name_placeholder": "مثل: د. علي حسين كاظم",
    "signer_title_placeholder": "مثل: مدير الوحدة",
    "choose_signature": "اختيار صورة التوقيع",
    "no_signature": "بلا صورة توقيع",
    "signers_hint": "اترك الاسم فارغاً لمن لا يوقّع. صورة التوقيع اختيارية "
                    "(صورة ممسوحة على خلفية بيضاء).",
    "default_signer": "إن لم يُحدَّد موقّع للشهادة، يوقّعها مسؤول الوحدة من الإعدادات: "
                      "«{signer}».",
    "no_default_signer": "إن لم يُحدَّد موقّع للشهادة، يوقّعها مسؤول الوحدة من الإعدادات، "
                         "ولم يُكتب اسمه بعد في «هوية الوحدة».",
}

# The gender pairs offered for the body: {masculine/feminine}.
GENDER_PAIRS = ("{السيد/السيدة}", "{شارك/شاركت}", "{المشارك/المشاركة}",
                "{لمشاركته/لمشاركتها}")

TAB_TEXT, TAB_IMAGES, TAB_SIGNERS = range(3)
# Which tab shows a style field's problem.
FIELD_TABS = {"design": TAB_TEXT, "title": TAB_TEXT, "font": TAB_TEXT, "body": TAB_TEXT,
              "logos": TAB_IMAGES, "signatories": TAB_SIGNERS}
IMAGE_PREVIEW = 56
NAME_WIDTH = 170  # pixels of a chosen image's file name before it is shortened
BODY_LINES = 6
_LATIN_FIELD = re.compile(r"\u2068?(\{[A-Za-z_ ]+\})\u2069?")


def default_signer_hint(unit: Unit | None) -> str:
    """The line that says who signs when no signatory is set: the unit's head from Settings
    (:func:`models.certificate_style.signatories_for` decides), by name and title."""
    signers, by_default = signatories_for([], unit)
    if not by_default:
        return TEXT["no_default_signer"]
    head = signers[0]
    signer = "، ".join(part for part in (head.name, head.title) if part)
    return TEXT["default_signer"].format(signer=signer)


def isolated(body: str) -> str:
    """The body as the editor shows it: each ``{field}`` in a first-strong isolate, so its
    Latin name and braces stay together inside the Arabic line. The marks are dropped
    again when the style is tidied (:meth:`CertificateStyle.cleaned`)."""
    return _LATIN_FIELD.sub("\u2068\\1\u2069", body)


class ImageChooser(LogoChooser):
    """The settings page's image picker (checked like the unit's logo: an image by its
    bytes, decoded in full, so a damaged file is refused when chosen), smaller, and
    copying the chosen image into the data folder at once."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, *, caption: str,
                 empty: str, preview_name: str, kind: str = "image") -> None:
        super().__init__(parent, caption=caption, empty=empty, preview_name=preview_name,
                         kind=kind)
        self._shown_name = ""  # the chosen file's own name, shown instead of the copy's
        self.db_path = db_path
        self.preview.setFixedSize(IMAGE_PREVIEW, IMAGE_PREVIEW)

    def set_path(self, path: str, *, quiet: bool = False) -> None:
        super().set_path(path, quiet=quiet)
        # The kept copy is named by its hash: show the name the user knows, shortened.
        if path:
            shown = self._shown_name or TEXT["kept_image"]
            self.name.setText(self.name.fontMetrics().elidedText(
                shown, Qt.TextElideMode.ElideMiddle, NAME_WIDTH))
            self.name.setToolTip(shown)
        self._shown_name = ""
        pixmap = QPixmap(path) if path and Path(path).is_file() else QPixmap()
        if not pixmap.isNull():
            self.preview.setPixmap(pixmap.scaled(
                IMAGE_PREVIEW - 4, IMAGE_PREVIEW - 4, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def take(self, path: str) -> bool:
        """Check ``path``, keep a copy in the data folder and show it; else say why."""
        problem = self.problem(Path(path))
        if not problem:
            try:
                kept = attachments.store_image(self.db_path, path)
            except IttisalError as exc:
                problem = str(exc)
        if problem:
            self.error.set_message(problem)
            return False
        self._shown_name = Path(path).name
        self.set_path(str(kept.path))
        return True

    def reference(self) -> str:
        """The chosen image as a style stores it ("" for none)."""
        return attachments.reference(self.db_path, self.path) if self.path else ""

    def set_reference(self, stored: str) -> None:
        """Show the image a style names, without announcing a change."""
        path = attachments.resolve(self.db_path, stored) if stored else None
        self.set_path(str(path) if path else "", quiet=True)


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


class StyleEditor(QTabWidget):
    """Edits a :class:`CertificateStyle`; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("styleEditor")
        self.db_path = db_path
        self.errors = FieldErrors()
        self._loading = False
        # The tabs' pages by TAB_*, so a problem finds its tab even when the dialog puts
        # a tab of its own in front.
        self.pages = [_scrolled(self._text_tab()), _scrolled(self._images_tab()),
                      _scrolled(self._signers_tab())]
        for page, caption in zip(self.pages, ("tab_text", "tab_images", "tab_signers"),
                                 strict=True):
            self.addTab(page, TEXT[caption])
        # The certificates window keeps the app's context: its unit's head signs by default.
        self._ctx = getattr(parent, "ctx", None)
        self.set_unit(self._ctx.unit if self._ctx is not None else None)
        if self._ctx is not None:
            self._ctx.settings_changed.connect(self._settings_changed)

    def set_unit(self, unit: Unit | None) -> None:
        """Say who signs when no signatory is set (the unit's head from Settings)."""
        self.default_signer.set_message(default_signer_hint(unit))

    def _settings_changed(self) -> None:
        self.set_unit(self._ctx.unit)

    # --- building ---------------------------------------------------------------------

    def _text_tab(self) -> QWidget:
        page = QWidget()
        self.design = QComboBox(page)
        self.design.setObjectName("certDesign")
        for key, label in DESIGNS.items():
            self.design.addItem(label, key)
        self.title_box = QComboBox(page)
        self.title_box.setObjectName("certTitle")
        self.title_box.setEditable(True)
        self.title_box.addItems(TITLES)
        self.font_box = QComboBox(page)
        self.font_box.setObjectName("certFont")
        for family, label in FONTS.items():
            self.font_box.addItem(label, family)
        self.body = QPlainTextEdit(page)
        self.body.setObjectName("certBody")
        self.body.setTabChangesFocus(True)
        lines = self.body.fontMetrics().lineSpacing()
        self.body.setMinimumHeight(lines * BODY_LINES + 12)

        self.field_button = QPushButton(TEXT["insert_field"], page)
        self.field_button.setToolTip(TEXT["insert_field_tip"])
        self.field_menu = QMenu(self.field_button)
        for key, label in FIELDS.items():
            action = self.field_menu.addAction(f"{label}\u2003\u2068{{{key}}}\u2069")
            action.setObjectName(f"field_{key}")
            action.triggered.connect(lambda _c=False, k=key: self.insert(isolated(f"{{{k}}}")))
        self.field_button.setMenu(self.field_menu)
        self.gender_button = QPushButton(TEXT["insert_gender"], page)
        self.gender_button.setToolTip(TEXT["insert_gender_tip"])
        self.gender_menu = QMenu(self.gender_button)
        for pair in GENDER_PAIRS:
            action = self.gender_menu.addAction(pair)
            action.triggered.connect(lambda _c=False, p=pair: self.insert(p))
        self.gender_button.setMenu(self.gender_menu)
        self.default_button = QPushButton(TEXT["default_body"], page)
        self.default_button.setToolTip(TEXT["default_body_tip"])
        self.default_button.clicked.connect(
            lambda: self.body.setPlainText(isolated(DEFAULT_BODY)))
        self.hint = FieldMessage(page, hint=True)
        self.hint.setObjectName("certBodyHint")
        self.hint.set_message(TEXT["hint"])

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(TEXT["design"], self.errors.add("design", self.design))
        form.addRow(TEXT["title"], self.errors.add("title", self.title_box))
        form.addRow(TEXT["font"], self.errors.add("font", self.font_box))
        inserts = QHBoxLayout()
        inserts.addWidget(self.field_button)
        inserts.addWidget(self.gender_button)
        inserts.addStretch(1)
        inserts.addWidget(self.default_button)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addSpacing(4)
        layout.addWidget(QLabel(TEXT["body"], page))
        layout.addWidget(self.errors.add("body", self.body), 1)
        layout.addLayout(inserts)
        layout.addWidget(self.hint)

        self.design.currentIndexChanged.connect(self._edited)
        self.font_box.currentIndexChanged.connect(self._edited)
        self.title_box.currentTextChanged.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        return page

    def _image(self, page: QWidget, name: str, caption: str, empty: str, *,
               kind: str = "image") -> ImageChooser:
        chooser = ImageChooser(self.db_path, page, caption=caption, empty=empty,
                               preview_name=f"{name}Preview", kind=kind)
        chooser.setObjectName(name)
        chooser.changed.connect(self._edited)
        return chooser

    def _images_tab(self) -> QWidget:
        page = QWidget()
        self.logos = [self._image(page, f"certLogo{n}", TEXT["choose_logo"], TEXT["no_logo"])
                      for n in (1, 2)]
        self.background = self._image(page, "certBackground", TEXT["choose_background"],
                                      TEXT["no_background"])
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(TEXT["logo_1"], self.logos[0].with_error())
        form.addRow(TEXT["logo_2"], self.logos[1].with_error())
        form.addRow(TEXT["background"], self.background.with_error())
        hint = FieldMessage(page, hint=True)
        hint.set_message(TEXT["images_hint"])
        logos_error = FieldMessage(page)
        self.errors.add_label("logos", logos_error, self.logos[0])
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(logos_error)
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    def _signers_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = FieldMessage(page, hint=True)
        hint.set_message(TEXT["signers_hint"])
        layout.addWidget(hint)
        self.default_signer = FieldMessage(page, hint=True)
        self.default_signer.setObjectName("defaultSignerHint")
        layout.addWidget(self.default_signer)
        signers_error = FieldMessage(page)
        layout.addWidget(signers_error)
        self.signers: list[tuple[QLineEdit, QLineEdit, ImageChooser]] = []
        for n in range(MAX_SIGNATORIES):
            box = QGroupBox(TEXT["signer"][n], page)
            name = QLineEdit(box)
            name.setObjectName(f"signerName{n + 1}")
            name.setPlaceholderText(TEXT["signer_name_placeholder"])
            title = QLineEdit(box)
            title.setObjectName(f"signerTitle{n + 1}")
            title.setPlaceholderText(TEXT["signer_title_placeholder"])
            image = self._image(box, f"signerImage{n + 1}", TEXT["choose_signature"],
                                TEXT["no_signature"], kind="signature")
            name.textChanged.connect(self._edited)
            title.textChanged.connect(self._edited)
            form = QFormLayout(box)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading |
                                   Qt.AlignmentFlag.AlignVCenter)
            form.addRow(TEXT["signer_name"], name)
            form.addRow(TEXT["signer_title"], title)
            form.addRow(TEXT["signer_image"], image.with_error())
            layout.addWidget(box)
            self.signers.append((name, title, image))
        self.errors.add_label("signatories", signers_error, self.signers[0][0])
        layout.addStretch(1)
        return page

    # --- editing ----------------------------------------------------------------------

    def _edited(self) -> None:
        if not self._loading:
            self.changed.emit()

    def insert(self, text: str) -> None:
        """Put ``text`` into the body where the cursor is."""
        self.body.insertPlainText(text)
        self.body.setFocus()

    def set_style(self, style: CertificateStyle) -> None:
        """Show ``style`` (no ``changed`` signal)."""
        self._loading = True
        try:
            self.design.setCurrentIndex(max(0, self.design.findData(style.design)))
            self.font_box.setCurrentIndex(max(0, self.font_box.findData(style.font)))
            self.title_box.setCurrentText(style.title)
            self.body.setPlainText(isolated(style.body))
            for n, chooser in enumerate(self.logos):
                chooser.set_reference(style.logos[n] if n < len(style.logos) else "")
            self.background.set_reference(style.background)
            for n, (name, title, image) in enumerate(self.signers):
                signer = style.signatories[n] if n < len(style.signatories) else Signatory()
                name.setText(signer.name)
                title.setText(signer.title)
                image.set_reference(signer.signature)
        finally:
            self._loading = False
        self.show_problems()

    def _raw_style(self) -> CertificateStyle:
        # Every signatory row in its place, so a problem's number is the row's on screen.
        return CertificateStyle(
            design=self.design.currentData(), title=self.title_box.currentText(),
            body=self.body.toPlainText(),
            logos=[x for x in (c.reference() for c in self.logos) if x],
            signatories=[Signatory(name.text(), title.text(), image.reference())
                         for name, title, image in self.signers],
            background=self.background.reference(), font=self.font_box.currentData())

    def style(self) -> CertificateStyle:
        """The style as edited, tidied (empty signatory rows dropped)."""
        return self._raw_style().cleaned()

    def problems(self) -> list[ValidationError]:
        """What is wrong with the style as edited (empty when nothing)."""
        return style_problems(self._raw_style())

    def show_problems(self) -> list[ValidationError]:
        """Show each problem beside its field; return them."""
        found = self.problems()
        self.errors.show(found)
        return found

    def show_first_problem(self, found: list[ValidationError]) -> None:
        """Bring the tab with the first problem forward."""
        if found:
            self.setCurrentWidget(self.pages[FIELD_TABS.get(found[0].field, TAB_TEXT)])

