"""Choosing one file for a setting: a name with Choose and Remove buttons, the file checked
the moment it is chosen, and why it was refused said under it.

:class:`FileChooser` is the plain one; :class:`LogoChooser` takes an image with a preview
(the unit's logo, the scanned signature or seal, and through a subclass the certificate's
images); :class:`LetterheadChooser` a Word letterhead. Each open dialog starts where the
last file of its *kind* was found (:mod:`ui.widgets.open_dialogs`): a logo where the last
logo was, a signature where the last signature was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from models import attachments
from models.errors import IttisalError
from ui.widgets import open_dialogs
from ui.widgets.field_errors import FieldMessage, with_message

TEXT = {
    "choose": "اختيار…",
    "remove": "إزالة",
    "no_logo": "لا يوجد شعار",
    "no_letterhead": "لا توجد ترويسة؛ تُكتب الترويسة من هوية الوحدة.",
    "choose_logo": "اختيار شعار الوحدة",
    "choose_letterhead": "اختيار ملف الترويسة",
    "image_filter": "صور (*.png *.jpg *.jpeg *.bmp *.gif *.webp)",
    "docx_filter": "مستند Word (*.docx)",
    "bad_docx": "الملف «{name}» ليس مستند Word من نوع docx.",
    "missing": "الملف غير موجود: {path}",
}

LOGO_PREVIEW = 96


class FileChooser(QWidget):
    """A chosen file's name with Choose and Remove buttons (logo, letterhead).

    ``kind`` names the open dialog's remembered folder (see :mod:`ui.widgets.open_dialogs`).
    """

    changed = Signal()

    def __init__(self, caption: str, file_filter: str, empty: str,
                 parent: QWidget | None = None, *, kind: str = "file") -> None:
        super().__init__(parent)
        self.caption, self.file_filter, self.empty, self.kind = caption, file_filter, empty, kind
        self.path = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.name = QLabel(empty, self)
        self.name.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.choose_button = QPushButton(TEXT["choose"], self)
        self.remove_button = QPushButton(TEXT["remove"], self)
        self.choose_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(lambda: self.set_path(""))
        row.addWidget(self.name)
        row.addWidget(self.choose_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.error = FieldMessage(self)

    def with_error(self) -> QWidget:
        """The chooser with its message line under it, as one form cell."""
        return with_message(self, self.error)

    def set_path(self, path: str, *, quiet: bool = False) -> None:
        """Show ``path`` ("" for none)."""
        self.path = path
        self.name.setText(Path(path).name if path else self.empty)
        self.name.setToolTip(path)
        self.remove_button.setEnabled(bool(path))
        self.error.set_message("")
        if not quiet:
            self.changed.emit()

    def choose(self) -> None:
        """Ask for a file, check it, and take it."""
        path = open_dialogs.open_file_name(self, self.kind, self.caption, self.file_filter)
        if path:
            self.take(path)

    def take(self, path: str) -> bool:
        """Take ``path`` if it is acceptable; otherwise show why under the field."""
        problem = self.problem(Path(path))
        if problem:
            self.error.set_message(problem)
            return False
        self.set_path(path)
        return True

    def problem(self, path: Path) -> str | None:
        """Why ``path`` cannot be used, or None."""
        if not path.is_file():
            return TEXT["missing"].format(path=path)
        return None


class LogoChooser(FileChooser):
    """An image of the unit, not too big, with a preview: the logo, or (with its own
    caption, empty text, preview name and kind) the scanned signature or seal."""

    def __init__(self, parent: QWidget | None = None, *, caption: str = TEXT["choose_logo"],
                 empty: str = TEXT["no_logo"], preview_name: str = "logoPreview",
                 kind: str = "logo") -> None:
        super().__init__(caption, TEXT["image_filter"], empty, parent, kind=kind)
        self.preview = QLabel(self)
        self.preview.setObjectName(preview_name)
        self.preview.setFixedSize(LOGO_PREVIEW, LOGO_PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.layout().insertWidget(0, self.preview)

    def set_path(self, path: str, *, quiet: bool = False) -> None:
        super().set_path(path, quiet=quiet)
        pixmap = QPixmap(path) if path and Path(path).is_file() else QPixmap()
        if pixmap.isNull():
            self.preview.clear()
        else:
            self.preview.setPixmap(pixmap.scaled(
                LOGO_PREVIEW - 4, LOGO_PREVIEW - 4, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def problem(self, path: Path) -> str | None:
        found = super().problem(path)
        if found:
            return found
        try:  # the photos' rules: an image by its first bytes, not too big
            attachments.check_image(path)
        except IttisalError as exc:
            return str(exc)
        return None


class LetterheadChooser(FileChooser):
    """An optional letterhead: a .docx whose header the letters reuse."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(TEXT["choose_letterhead"], TEXT["docx_filter"], TEXT["no_letterhead"],
                         parent, kind="letterhead")

    def problem(self, path: Path) -> str | None:
        found = super().problem(path)
        if found:
            return found
        if path.suffix.lower() != ".docx":
            return TEXT["bad_docx"].format(name=path.name)
        from exporters.rtl import check_letterhead

        try:  # a damaged or hostile file is refused now, not at the next export
            check_letterhead(path)
        except IttisalError as exc:
            return str(exc)
        return None
