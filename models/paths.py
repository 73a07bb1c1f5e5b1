"""Where Ittisal keeps its files: the database, its backups and attachments."""

from __future__ import annotations

import os
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


def backups_dir(db_path: Path) -> Path:
    """Backups live in ``backups/`` beside the database they copy."""
    return db_path.parent / "backups"


def attachments_dir(db_path: Path) -> Path:
    """Attached files, stored by content hash beside the database."""
    return db_path.parent / "attachments"


def keys_dir(db_path: Path) -> Path:
    """The unit's private signing keys, beside the database (never inside it)."""
    return db_path.parent / "keys"
