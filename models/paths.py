"""Where Ittisal keeps its files: the database, its backups and attachments."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import platformdirs

APP_NAME = "Ittisal"
DB_FILENAME = "ittisal.sqlite3"
ENV_DB = "ITTISAL_DB"


def data_dir() -> Path:
    """The platform's per-user data folder for Ittisal (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database to open: ``--db``, else ``$ITTISAL_DB``, else the data folder's."""
    if explicit:
        return Path(explicit).expanduser().absolute()
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser().absolute()
    return data_dir() / DB_FILENAME


# The folders Ittisal keeps its own files in beside the database. Every ``*_dir(db_path)``
# below is registered here, so that a new one is protected from exports (see
# :func:`protected_dirs`) the day it is added.
_DATA_FOLDERS: list[Callable[[Path], Path]] = []


def _data_folder(folder: Callable[[Path], Path]) -> Callable[[Path], Path]:
    _DATA_FOLDERS.append(folder)
    return folder


@_data_folder
def backups_dir(db_path: Path) -> Path:
    """Backups live in ``backups/`` beside the database they copy."""
    return db_path.parent / "backups"


@_data_folder
def attachments_dir(db_path: Path) -> Path:
    """Attached files, stored by content hash beside the database."""
    return db_path.parent / "attachments"


@_data_folder
def keys_dir(db_path: Path) -> Path:
    """The unit's private signing keys, beside the database (never inside it)."""
    return db_path.parent / "keys"


def protected_dirs(db_path: Path) -> list[Path]:
    """Every folder beside the database that holds Ittisal's own files (backups, keys,
    attachments, and any added later): no document, backup or export is written there."""
    return [folder(db_path) for folder in _DATA_FOLDERS]
