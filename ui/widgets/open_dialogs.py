"""Open-file dialogs that start where the user last found a file of the same kind.

Qt's static ``QFileDialog.getOpenFileName`` starts in the process's working directory when
given no folder, which for an installed app is nowhere the user keeps files. Every open
dialog of the app goes through :func:`open_file_name` / :func:`open_file_names` with a
*kind* (``"attendees"``, ``"logo"``, ``"letterhead"``, ``"signature"``, ``"image"``,
``"photos"``, ``"report"``, ``"backup"``…): the folder of the last file chosen for that
kind is remembered in the user's QSettings, and a kind never used starts in the user's
documents folder. Tests replace ``QFileDialog.getOpenFileName(s)`` as before; these
functions call it through the class, so the replacement sees the folder passed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.application import APP_NAME

KEY = "open-folders/{kind}"


def _settings() -> QSettings:
    # Qt computes QSettings' folders once per process, so tests replace this function
    # (a QSettings on a file in tmp_path) rather than the environment.
    return QSettings(APP_NAME, APP_NAME)


def documents_folder() -> Path:
    """The user's documents folder (else the home folder)."""
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def start_folder(kind: str, default: Path | None = None) -> Path:
    """Where an open dialog for ``kind`` starts: the folder of the last file chosen for it,
    if it still exists (a USB stick may be gone), else ``default`` (when it exists), else
    the documents folder."""
    stored = _settings().value(KEY.format(kind=kind), "", str)
    if stored and Path(stored).is_dir():
        return Path(stored)
    if default is not None and Path(default).is_dir():
        return Path(default)
    return documents_folder()


def remember(kind: str, chosen: str | Path) -> None:
    """Start the next ``kind`` dialog in the folder of ``chosen`` (a file or a folder)."""
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    store = _settings()
    store.setValue(KEY.format(kind=kind), str(folder))
    store.sync()


def open_file_name(parent: QWidget | None, kind: str, caption: str, file_filter: str,
                   default: Path | None = None) -> str:
    """One file chosen in a native open dialog ("" on cancel); its folder is remembered.
    ``default`` is where a kind never chosen before starts (else the documents folder)."""
    path, _ = QFileDialog.getOpenFileName(parent, caption, str(start_folder(kind, default)),
                                          file_filter)
    if path:
        remember(kind, path)
    return path


def open_file_names(parent: QWidget | None, kind: str, caption: str,
                    file_filter: str, default: Path | None = None) -> list[str]:
    """Files chosen in a native open dialog ([] on cancel); their folder is remembered."""
    paths, _ = QFileDialog.getOpenFileNames(parent, caption,
                                            str(start_folder(kind, default)), file_filter)
    if paths:
        remember(kind, paths[0])
    return list(paths)
