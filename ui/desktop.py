"""Handing files and folders to the desktop (Word, the file manager).

One function, so that tests replace it in one place (the ``desktop`` fixture) and every
caller — the export result dialog, the bug box's «فتح مجلد السجل» — goes through it.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_url(url: QUrl) -> bool:
    """Open ``url`` (a file or a folder) with the desktop's program for it."""
    return QDesktopServices.openUrl(url)
