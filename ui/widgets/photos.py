"""An activity's photos: add by dialog or drag and drop, thumbnails, a caption for each.

Each file is checked and copied into the data folder as it is added
(:func:`models.attachments.store_image`: images only, by their bytes, at most 15 MB, and
decoded in full, so a photo cut short by a failed copy is refused now rather than breaking
every news report of the activity later); what is refused is said in Arabic under the
thumbnails and nothing of it is kept. The
editor holds the photos' :class:`~models.records.Attachment` records; the form saves them
with the activity.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QImageReader,
    QPainter,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from models import attachments
from models.errors import IttisalError, ValidationError
from models.records import Attachment
from ui.context import AppContext
from ui.formatting import number_text
from ui.widgets import open_dialogs
from ui.widgets.field_errors import FieldMessage

TEXT = {
    "add": "إضافة صور…",
    "remove": "حذف الصورة",
    "earlier": "تقديم",
    "later": "تأخير",
    "caption": "تعليق الصورة:",
    "caption_placeholder": "اكتب تعليقاً يظهر تحت الصورة في التقرير",
    "dialog": "اختيار صور النشاط",
    "filter": "الصور (*.jpg *.jpeg *.png *.gif *.webp *.bmp);;كل الملفات (*)",
    "empty": "اسحب الصور إلى هنا أو اضغط «إضافة صور…»",
    "already": "الصورة «{name}» مضافة من قبل.",
    "photo_problem": "الصورة {n}: {message}",
}

THUMB = QSize(160, 120)


def thumbnail(path: Path, size: QSize = THUMB) -> QIcon:
    """A small picture of an image file, read at thumbnail size (fast for big photos)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid():
        reader.setScaledSize(full.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return QIcon(QPixmap.fromImage(image)) if not image.isNull() else QIcon()


class PhotoList(QListWidget):
    """Thumbnails that accept image files dropped from the file manager."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(THUMB)
        self.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 44))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setMinimumHeight(THUMB.height() + 60)

    def _has_files(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return event.mimeData().hasUrls() and any(u.isLocalFile()
                                                  for u in event.mimeData().urls())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._has_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self._has_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if not self._has_files(event):
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit([u.toLocalFile() for u in event.mimeData().urls()
                                 if u.isLocalFile()])

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.count() == 0:  # say what to do instead of showing a blank box
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter |
                             Qt.TextFlag.TextWordWrap, TEXT["empty"])


class PhotosEditor(QWidget):
    """The photos of one record, in order, each with a caption."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._photos: list[Attachment] = []
        self._icons: dict[str, QIcon] = {}
        self.list = PhotoList(self)
        self.list.files_dropped.connect(self.add_files)
        self.list.currentRowChanged.connect(self._selected)
        self.add_button = self._button(TEXT["add"], self.choose_files)
        self.remove_button = self._button(TEXT["remove"], self.remove_current)
        self.earlier_button = self._button(TEXT["earlier"], lambda: self._move(-1))
        self.later_button = self._button(TEXT["later"], lambda: self._move(1))
        self.caption = QLineEdit(self)
        self.caption.setPlaceholderText(TEXT["caption_placeholder"])
        self.caption.textEdited.connect(self._caption_edited)
        self.message = FieldMessage(self)  # files refused when adding
        self.problems = FieldMessage(self)  # broken rules of the photos' records
        layout = QGridLayout(self)
        layout.addWidget(self.list, 0, 0, 1, 5)
        layout.addWidget(QLabel(TEXT["caption"], self), 1, 0)
        layout.addWidget(self.caption, 1, 1, 1, 4)
        layout.addWidget(self.problems, 2, 0, 1, 5)
        layout.addWidget(self.message, 3, 0, 1, 5)
        layout.addWidget(self.add_button, 4, 0)
        layout.addWidget(self.remove_button, 4, 1)
        layout.addWidget(self.earlier_button, 4, 2)
        layout.addWidget(self.later_button, 4, 3)
        layout.setColumnStretch(4, 1)
        layout.setRowStretch(0, 1)
        self._selected(-1)

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # --- values -------------------------------------------------------------------------

    def photos(self) -> list[Attachment]:
        """The photos' records in order, with their captions."""
        return list(self._photos)

    def set_photos(self, photos: Iterable[Attachment]) -> None:
        """Show these photos (their files must be in the data folder)."""
        self._photos = list(photos)
        self.message.set_message("")
        self._rebuild(0 if self._photos else -1)

    def show_problems(self, problems: dict[int, list[ValidationError]]) -> None:
        """Say which photo breaks which rule (from the models)."""
        lines = [TEXT["photo_problem"].format(n=number_text(i + 1, self.ctx.date_style),
                                              message=errors[0])
                 for i, errors in sorted(problems.items())]
        self.problems.set_message("\n".join(lines))

    # --- adding -------------------------------------------------------------------------

    def choose_files(self) -> None:
        """Ask for image files and add them."""
        paths = open_dialogs.open_file_names(self, "photos", TEXT["dialog"], TEXT["filter"])
        if paths:
            self.add_files(paths)

    def add_files(self, paths: Iterable[str | Path]) -> list[str]:
        """Check, copy and add image files; refused ones are said under the thumbnails.
        Returns the messages (empty when all were added)."""
        refused: list[str] = []
        known = {p.sha256 for p in self._photos}
        added = 0
        for path in paths:
            try:
                stored = attachments.store_image(self.ctx.db.path, path)
            except IttisalError as exc:
                refused.append(str(exc))
                continue
            if stored.sha256 in known:
                refused.append(TEXT["already"].format(name=Path(path).name))
                continue
            known.add(stored.sha256)
            self._photos.append(stored.record("activity", None))
            added += 1
        self.message.set_message("\n".join(refused))
        if added:
            self._rebuild(len(self._photos) - 1)
            self.changed.emit()
        return refused

    # --- editing ------------------------------------------------------------------------

    def remove_current(self) -> None:
        """Take the selected photo off (its file stays until the record is purged)."""
        row = self.list.currentRow()
        if row < 0:
            return
        del self._photos[row]
        self._rebuild(min(row, len(self._photos) - 1))
        self.changed.emit()

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(self._photos):
            return
        self._photos.insert(target, self._photos.pop(row))
        self._rebuild(target)
        self.changed.emit()

    def _caption_edited(self, text: str) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self._photos[row] = dataclasses.replace(self._photos[row], caption=text)
        self.list.item(row).setText(self._label(self._photos[row]))
        self.changed.emit()

    def _selected(self, row: int) -> None:
        has = row >= 0
        for widget in (self.caption, self.remove_button, self.earlier_button,
                       self.later_button):
            widget.setEnabled(has)
        self.caption.setText(self._photos[row].caption if has else "")

    # --- display ------------------------------------------------------------------------

    @staticmethod
    def _label(photo: Attachment) -> str:
        return photo.caption or photo.filename

    def _icon(self, photo: Attachment) -> QIcon:
        if photo.sha256 not in self._icons:
            self._icons[photo.sha256] = thumbnail(attachments.path_of(self.ctx.db.path, photo))
        return self._icons[photo.sha256]

    def _rebuild(self, current: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for photo in self._photos:
            item = QListWidgetItem(self._icon(photo), self._label(photo))
            item.setToolTip(photo.filename)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(current)
        self._selected(current)
