"""Certificates as one PDF: a landscape A4 page each, drawn by
:func:`exporters.certificate_paint.paint_page` (the same drawing as the printer and the
preview) on a :class:`QPdfWriter`.

Qt shapes the Arabic and embeds a subset of each font used, so the file shows the same on
any machine. The PDF is built in memory and then written atomically (a temporary file
beside the target, renamed over it): a cancel or an error leaves no file behind, and an
older file of that name stays as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
from PySide6.QtGui import QPainter, QPdfWriter

from exporters.certificate_paint import ensure_fonts, page_layout_a4, paint_page
from models.certificate_pages import CertificatePage
from models.errors import IttisalError
from models.files import staged

__all__ = ["MSG", "RESOLUTION", "write_pdf"]

# Dots an inch of the PDF's coordinate space: text and vectors stay vectors, this only
# sets how finely positions are written.
RESOLUTION = 300
CREATOR = "Ittisal"

MSG = {
    "empty": ("لا توجد شهادات لكتابتها.", "There are no certificates to write."),
    "painter": ("تعذّر إنشاء ملف PDF.", "The PDF could not be started."),
}


def _document_title(pages: Sequence[CertificatePage], activity: str) -> str:
    first = pages[0].title.strip()
    return f"{first} — {activity.strip()}" if activity.strip() and first else (
        first or activity.strip())


def write_pdf(pages: Sequence[CertificatePage], path: str | os.PathLike[str],
              progress: Callable[[int, int], None] | None = None, *,
              activity: str = "") -> Path:
    """Write the certificates to ``path`` as one PDF, a landscape A4 page each; return
    the path. The document's title is the first page's title and ``activity`` (the
    activity's title, when the caller has it). ``progress(done, total)`` is called after
    each page; if it raises, nothing is written and the error goes on."""
    if not pages:
        raise IttisalError(*MSG["empty"])
    path = Path(path)
    ensure_fonts()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(page_layout_a4())
    writer.setTitle(_document_title(pages, activity))
    writer.setCreator(CREATOR)
    painter = QPainter()
    if not painter.begin(writer):
        raise IttisalError(*MSG["painter"])
    try:
        target = QRectF(0, 0, writer.width(), writer.height())
        total = len(pages)
        for done, page in enumerate(pages, 1):
            if done > 1:
                writer.newPage()
            paint_page(painter, page, target)
            if progress is not None:
                progress(done, total)
    finally:
        # Ends the document in memory (also after an error: a painter left active is a
        # Qt warning); nothing has reached the disk yet.
        painter.end()
        buffer.close()
    with staged(path.parent, prefix=f".{path.name}.") as stage:
        stage.file.write(data.data())
        return stage.commit(path)
