"""Backup files: writing a consistent copy of an open database, naming and rotating them.

The lowest layer of backups, below :mod:`models.db` (which takes a copy before every
migration) and :mod:`models.backup` (restore, checks, the daily backup). It knows only
SQLite connections and paths, never an open :class:`~models.db.Database`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from pathlib import Path

from models.errors import DatabaseError
from models.files import copy_file, write_file_at
from models.paths import backups_dir, keys_dir

KEEP_LAST = 10
#: The reason in the name of a damaged database a restore moved aside.
DAMAGED = "damaged"
STAMP = "%Y%m%d-%H%M%S-%f"

_MSG = {
    "write": ("تعذّرت كتابة النسخة الاحتياطية في «{path}»: {reason}",
              "Cannot write the backup to {path}: {reason}"),
}


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(db_path.stem) + r"-(\d{8}-\d{6}-\d{6})(?:-[\w-]+)?\.sqlite3$")


def copy_database(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy a live database into a new file through the one file writer
    (:func:`models.files.write_file_at`): a synced draft beside it, renamed over it."""
    def backup_into(path: Path) -> None:
        target = sqlite3.connect(str(path))
        try:
            source.backup(target)
            # A backup is one self-contained file: no WAL beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()

    write_file_at(target_path, backup_into)


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
    # The private key is never copied beside a backup; clear copies of it that earlier
    # versions left there are taken out now.
    take_out_clear_keys(db_path, to)
    if rotate_after:
        rotate(db_path)
    return to


def clear_key_folders(db_path: Path, backup: Path) -> list[Path]:
    """The folders where earlier versions copied the private signing keys in clear beside
    a backup: ``backups/keys`` and ``<backup file>.keys``."""
    folders = [backups_dir(db_path) / "keys", backup.with_name(backup.name + ".keys")]
    if backup.parent.name == "backups":
        folders.append(backup.parent / "keys")
    return list(dict.fromkeys(folders))


# The name an earlier version gave a unit's key: the unit's id (a UUID) and ".key".
_KEY_NAME = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.key$")


def _unit_key(path: Path) -> bytes | None:
    """The raw Ed25519 private key a clear copy holds (None: not one of our key files,
    say another program's ``server.key`` that happens to sit in a ``keys`` folder)."""
    if not _KEY_NAME.match(path.name):
        return None
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        if path.stat().st_size > 4096:
            return None
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(key, Ed25519PrivateKey):
        return None
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def take_out_clear_keys(db_path: Path, backup: Path) -> list[Path]:
    """Take the private keys out of the clear copies earlier versions left beside backups
    (``backups/keys/``, ``<file>.keys/``); return the copies removed.

    A backup never carries the private key in clear (anyone holding a copy could sign
    certificates that verify); the head of unit keeps an encrypted copy instead
    (:mod:`models.key_backup`). Only files an earlier version wrote are touched (named
    after a unit's id, holding an Ed25519 key): anything else of the user's stays. A copy
    whose key the data folder holds too is deleted; a copy of a key the data folder lacks
    is moved into ``keys/`` rather than deleted, so the unit's only copy of its key is
    not destroyed. A copy that differs from the data folder's file of the same name (a
    damaged or replaced key there) is left where it is: it may be the only good copy.
    Called by every backup (daily, ``backup``, ``backup --to``, before a migration or a
    restore): a failure here never fails the backup.
    """
    live = keys_dir(db_path)
    removed = []
    for folder in clear_key_folders(db_path, backup):
        if not folder.is_dir():
            continue
        for copy in sorted(folder.glob("*.key")):
            try:
                held = _unit_key(copy)
                if held is None:
                    continue
                target = live / copy.name
                if not target.exists():
                    live.mkdir(parents=True, exist_ok=True, mode=0o700)
                    copy_file(copy, target, private=True)
                if _unit_key(target) != held:
                    continue  # not the same key: keep this copy, never destroy a key
                copy.unlink()
                removed.append(copy)
            except OSError:
                continue
        for leftover in folder.glob(".incoming-*"):  # a copy interrupted in those days
            with contextlib.suppress(OSError):
                leftover.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if it is now empty: nothing else of the user's goes
    return removed


def backups(db_path: Path) -> list[tuple[dt.datetime, Path]]:
    """This database's backups in ``backups/``, oldest first. A damaged file a restore
    set aside there (``…-damaged.sqlite3``) is not one: it is neither the day's backup
    nor one to restore, and rotation leaves it for whoever wants to rescue it."""
    folder, pattern = backups_dir(db_path), _name_pattern(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match and not path.name.endswith(f"-{DAMAGED}.sqlite3"):
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


