"""Backup files: writing a consistent copy of an open database, naming and rotating them.

The lowest layer of backups, below :mod:`models.db` (which takes a copy before every
migration) and :mod:`models.backup` (restore, checks, the daily backup). It knows only
SQLite connections and paths, never an open :class:`~models.db.Database`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from pathlib import Path

from models.errors import DatabaseError
from models.files import copy_file
from models.paths import backups_dir, keys_dir

KEEP_LAST = 10
STAMP = "%Y%m%d-%H%M%S-%f"

_MSG = {
    "write": ("تعذّرت كتابة النسخة الاحتياطية في «{path}»: {reason}",
              "Cannot write the backup to {path}: {reason}"),
}


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(db_path.stem) + r"-(\d{8}-\d{6}-\d{6})(?:-[\w-]+)?\.sqlite3$")


def copy_database(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy a live database into a new file, atomically (temp file, fsync, rename)."""
    tmp = target_path.with_name(f".{target_path.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        target = sqlite3.connect(str(tmp))
        try:
            source.backup(target)
            # A backup is one self-contained file: no WAL beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def take(conn: sqlite3.Connection, db_path: Path, *, reason: str = "manual",
         to: Path | None = None) -> Path:
    """Back up the database open on ``conn`` (whose file is ``db_path``); return the copy.

    Without ``to`` the copy goes to ``backups/`` beside the database under a dated name
    and old backups are rotated.
    """
    if to is None:
        folder = backups_dir(db_path)
        stamp = dt.datetime.now().strftime(STAMP)
        slug = re.sub(r"[^\w-]+", "-", reason).strip("-")
        to = folder / f"{db_path.stem}-{stamp}{'-' + slug if slug else ''}.sqlite3"
        rotate_after = True
    else:
        to, rotate_after = Path(to), False
    try:
        to.parent.mkdir(parents=True, exist_ok=True)
        copy_database(conn, to)
    except (OSError, sqlite3.Error) as exc:
        arabic, english = _MSG["write"]
        raise DatabaseError(arabic.format(path=to, reason=exc),
                            english.format(path=to, reason=exc)) from exc
    keys_backup(db_path, to)
    if rotate_after:
        rotate(db_path)
    return to


def keys_folder_of(backup: Path) -> Path:
    """Where a backup keeps the unit's private keys: ``backups/keys`` for the dated ones,
    ``<file>.keys`` beside a backup written elsewhere (a USB stick)."""
    if backup.parent.name == "backups":
        return backup.parent / "keys"
    return backup.with_name(backup.name + ".keys")


def keys_backup(db_path: Path, backup: Path) -> Path | None:
    """Copy the private signing keys beside a backup (they are never inside a database, so
    that no export carries them; a backup must, or a restored unit could not sign)."""
    source = keys_dir(db_path)
    keys = sorted(source.glob("*.key")) if source.is_dir() else []
    if not keys:
        return None
    target = keys_folder_of(backup)
    try:
        target.mkdir(parents=True, exist_ok=True)
        os.chmod(target, 0o700)
        for key in keys:
            copy_file(key, target / key.name, private=True)
    except OSError as exc:
        arabic, english = _MSG["write"]
        raise DatabaseError(arabic.format(path=target, reason=exc),
                            english.format(path=target, reason=exc)) from exc
    return target


def keys_restore(db_path: Path, backup: Path) -> list[Path]:
    """Bring back private keys kept beside a backup that the data folder no longer has."""
    source, target = keys_folder_of(backup), keys_dir(db_path)
    restored = []
    for key in sorted(source.glob("*.key")) if source.is_dir() else []:
        if not (target / key.name).exists():
            target.mkdir(parents=True, exist_ok=True)
            copy_file(key, target / key.name, private=True)
            restored.append(target / key.name)
    return restored


def backups(db_path: Path) -> list[tuple[dt.datetime, Path]]:
    """This database's backups in ``backups/``, oldest first."""
    folder, pattern = backups_dir(db_path), _name_pattern(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match:
            found.append((dt.datetime.strptime(match.group(1), STAMP), path))
    return sorted(found)


def rotate(db_path: Path, *, keep_last: int = KEEP_LAST) -> list[Path]:
    """Delete old backups, keeping the last ``keep_last`` and the newest of each month."""
    found = backups(db_path)
    keep = {path for _, path in found[-keep_last:]}
    newest_of_month: dict[tuple[int, int], Path] = {}
    for stamp, path in found:
        newest_of_month[(stamp.year, stamp.month)] = path
    keep.update(newest_of_month.values())
    removed = []
    for _, path in found:
        if path not in keep:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


