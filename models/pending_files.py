"""Files whose content is recorded in the database: placed only once the record
committed, and put in place after a kill by the next start (:func:`recover`).

The rule, for certificates (issued) and letters (numbered): a record exists only if its
file is in place, and a file in place has its record. A file and a database cannot change
in one step, so the file goes through a draft beside its target and a ``pending_files``
row:

1. :func:`reserve` records the draft's path (``target`` empty: nothing committed yet) in
   its own short transaction, before the draft is written; so every draft that may ever
   hold issued certificates has a row, whatever folder it is in.
2. The draft is written and synced (:func:`models.files.write_draft`).
3. In the transaction that issues or numbers, :func:`commit_in` sets the row's target.
4. :func:`place` renames the draft onto the target, syncs the folder, deletes the row.

A kill before 3 leaves a row without target: :func:`recover` deletes the draft. A kill
between 3 and 4 leaves a row with its target: :func:`recover` renames the draft into
place (its transaction committed, so the file must land). Drafts of a live process (this
one, or another program at work on the same database) are left alone, and so are the
drafts another database recorded (their names carry a tag of the database file): only
the database whose transaction may have committed one can tell whether it holds issued
certificates. A committed row whose folder is not reachable (a USB stick taken out) waits
for a start where it is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import logging
import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from models import files
from models.db import Database
from models.errors import IttisalError
from models.paths import backups_dir, keys_dir

__all__ = ["PendingFile", "Recovery", "commit_in", "discard", "place", "recover", "recovered",
           "reserve"]

log = logging.getLogger("ittisal")

# A row whose transaction committed is placed by its own process within milliseconds:
# older than this, its process id is taken to have been reused by another program.
_COMMITTED_GRACE = dt.timedelta(minutes=2)
# A draft still being written (a long document, a wait for the database) is left alone
# this long while its process lives.
_WRITING_GRACE = dt.timedelta(days=1)


@dataclass(frozen=True)
class PendingFile:
    """A draft recorded in ``pending_files`` and the file it becomes."""

    id: int
    draft: Path
    target: Path


@dataclass
class Recovery:
    """What :func:`recover` did: drafts placed, drafts deleted, rows whose file was gone
    (reported in the log)."""

    placed: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)
    lost: list[Path] = field(default_factory=list)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _tag(db: Database) -> str:
    """A short tag of this database file, carried by the names of its drafts (so that
    another database never deletes them: :func:`models.files.draft_path`)."""
    where = os.path.normcase(os.path.realpath(db.path))
    return hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def reserve(db: Database, target: str | os.PathLike[str]) -> PendingFile:
    """Choose a draft beside ``target`` and record it (committed) before it is written."""
    target = Path(target).absolute()
    draft = files.draft_path(target, record=_tag(db))
    with db.atomic():
        cur = db.execute("INSERT INTO pending_files (draft, target, created_at) "
                         "VALUES (?, '', ?)", (str(draft), _now().isoformat()))
    return PendingFile(int(cur.lastrowid), draft, target)


# The draft each committed row of this process holds (device, inode, size), so that
# :func:`place` knows its own file when another program's recovery renamed it first.
_committed: dict[str, tuple[int, int, int]] = {}


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_dev, stat.st_ino, stat.st_size


def commit_in(db: Database, pending: PendingFile) -> None:
    """Inside the caller's transaction: the draft becomes the target once it commits.
    Raises (so the transaction issues nothing) when the draft or its row is gone: a
    recovery took this run for a dead one."""
    cur = db.execute("UPDATE pending_files SET target = ?, created_at = ? WHERE id = ?",
                     (str(pending.target), _now().isoformat(), pending.id))
    identity = _identity(os.stat(pending.draft))  # FileNotFoundError: the draft is gone
    if cur.rowcount != 1:
        raise FileNotFoundError(errno.ENOENT, "the draft's record is gone", str(pending.draft))
    _committed[str(pending.draft)] = identity


def _landed(pending: PendingFile) -> bool:
    """Whether the committed draft is at its target already: another program's recovery
    (which took this slow run for a dead one) renamed it there."""
    identity = _committed.get(str(pending.draft))
    try:
        return identity is not None and _identity(pending.target.stat()) == identity
    except OSError:
        return False


def _forget(db: Database, row_id: int) -> None:
    with db.atomic():
        db.execute("DELETE FROM pending_files WHERE id = ?", (row_id,))


def place(db: Database, pending: PendingFile) -> Path:
    """After the commit: rename the draft onto its target, sync the folder, drop the row.
    A failure of the rename raises (the caller decides); one of dropping the row only
    leaves it for :func:`recover`, which finds the file in place and drops it."""
    try:
        os.replace(pending.draft, pending.target)
    except FileNotFoundError:
        if not _landed(pending):
            raise
    finally:
        _committed.pop(str(pending.draft), None)
    # From here the file is in place: whatever fails now must not undo its records.
    try:
        files.fsync_folder(pending.target.parent)
    except OSError as exc:
        _report(logging.WARNING, "the folder of %s could not be synced: %s",
                pending.target, exc)
    try:
        _forget(db, pending.id)
    except (sqlite3.Error, IttisalError):
        _report(logging.WARNING, "%s is in place; its pending row stays for the next "
                "start", pending.target)
    return pending.target


def discard(db: Database, pending: PendingFile) -> None:
    """Nothing was committed: delete the draft and its row. Never raises: what cannot be
    cleaned now is cleaned by the next :func:`recover`."""
    with contextlib.suppress(OSError):
        pending.draft.unlink(missing_ok=True)
    try:
        if db.conn.in_transaction:
            # Never commit half of somebody's transaction: the row (its draft deleted
            # now) is dropped by the next recover().
            return
        _forget(db, pending.id)
    except (sqlite3.Error, IttisalError):
        _report(logging.WARNING, "could not drop the pending row of %s", pending.draft)


# --- recovery -----------------------------------------------------------------------------

def _has_table(db: Database) -> bool:
    return bool(db.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                          "AND name = 'pending_files'"))


def _age(created_at: str) -> dt.timedelta:
    try:
        stamp = dt.datetime.fromisoformat(created_at)
    except (TypeError, ValueError):
        return dt.timedelta.max
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return _now() - stamp


def _busy(draft: Path, age: dt.timedelta, grace: dt.timedelta) -> bool:
    """Whether a live process may still be at work on ``draft``."""
    owner = files.draft_owner(draft)
    return owner is not None and age < grace and files.process_alive(owner)


def _place_committed(db: Database, row_id: int, draft: Path, target: Path,
                     done: Recovery) -> None:
    if not (draft.parent.is_dir() and target.parent.is_dir()):
        # A USB stick taken out, a network folder not mounted: the draft may be there
        # again at the next start. Forgetting the row now would leave its certificates
        # issued and their file a hidden draft for ever.
        _report(logging.WARNING, "a file whose records were committed cannot be put in "
                "place now (its folder is not reachable): %s -> %s; it will be tried "
                "again at the next start", draft, target)
        return
    try:
        files.Draft(draft, target).place()
    except FileNotFoundError:
        pass  # placed meanwhile by another program recovering too: checked below
    except OSError as exc:
        _report(logging.ERROR, "a file whose records were committed could not be put in "
                "place: %s -> %s: %s; it will be tried again at the next start",
                draft, target, exc)
        return
    if draft.exists():
        return
    if target.exists():
        done.placed.append(target)
    else:
        _report(logging.ERROR, "a file whose records were committed is missing: %s (its "
                "draft %s is gone); the records stay", target, draft)
        done.lost.append(target)
    _forget(db, row_id)


# Drafts of versions before the one writer, which carry no process id: certificates
# (".NAME.<hex>.tmp.docx" and ".NAME.pdf.XXXXXXXX", full of signed certificates), other
# documents (".STEM-XXXXXXXX.docx.tmp"), database copies (".NAME.sqlite3.tmp"), attachments
# and keys (".incoming-XXXXXXXX"). Deleted only once older than this: no run takes so long.
_LEGACY = re.compile(r"^\.(?:.+\.[0-9a-f]{8}\.tmp\.(?:docx|pdf)|.+\.pdf\.[\w]{8}"
                     r"|.+-[\w]{8}\.docx\.tmp|.+\.sqlite3\.tmp|incoming-[\w]{8})$",
                     re.DOTALL)
_LEGACY_GRACE = dt.timedelta(hours=1)


def _leftover(path: Path, pending: set[Path], tag: str) -> bool:
    """Whether ``path`` is a draft no row names that no live process writes."""
    legacy = _LEGACY.match(path.name) is not None
    if not (legacy or files.is_draft(path)) or path.absolute() in pending:
        return False
    if not path.is_file():
        return False
    if files.recorded_by(path) not in (None, tag):
        # Recorded in another database (two databases in one folder, or saving to the
        # same one): committed, it holds issued certificates, which that database's
        # own start puts in place. Only the database that recorded it deletes it.
        return False
    age = _now() - dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    if legacy:
        return age >= _LEGACY_GRACE
    return not _busy(path, age, _WRITING_GRACE)


def _sweep(folder: Path, pending: set[Path], tag: str, done: Recovery) -> None:
    """Delete the drafts a killed run left behind in ``folder``."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for path in entries:
        try:
            if not _leftover(path, pending, tag):
                continue
            path.unlink()
        except OSError:
            continue
        done.deleted.append(path)


def _folders(db: Database) -> list[Path]:
    """The folders the app writes to on its own: the data folder and its subfolders."""
    base = db.path.absolute().parent
    return [base, base / "attachments", backups_dir(db.path), keys_dir(db.path)]


def recover(db: Database, folders: Iterable[Path] = ()) -> Recovery:
    """Finish what a killed run left between a commit and its file, and delete the drafts
    of runs that never committed — in the folders the rows name, the data folder's and
    ``folders`` (say, where the app last saved a document). Run wherever a database is
    opened for work; never raises (a read-only or busy database is logged and left for
    the next start)."""
    done = Recovery()
    try:
        _recover(db, done, folders)
    except (OSError, sqlite3.Error, IttisalError) as exc:
        _report(logging.WARNING, "recovering the pending files of %s failed: %r",
                db.path, exc)
    if done.placed or done.deleted:
        _report(logging.WARNING, "after an interrupted run: put in place %s; deleted "
                "drafts %s", [str(p) for p in done.placed], [str(p) for p in done.deleted])
    return done


def recovered(db: Database) -> Database:
    """``db``, after :func:`recover` (for the places that open a database for work)."""
    recover(db)
    return db


def _report(level: int, message: str, *args: object) -> None:
    """Into the log: the app's handlers, or — the command line sets none up — the log
    file in the data folder, where its bug reports go too (never the user's terminal)."""
    if log.hasHandlers():
        log.log(level, message, *args)
        return
    from models.paths import data_dir

    try:
        path = data_dir() / "ittisal.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            stamp = dt.datetime.now().isoformat(timespec="seconds")
            fh.write(f"{stamp} {logging.getLevelName(level)} {message % args}\n")
    except OSError:
        pass


def _sound(draft: Path, target_text: str) -> bool:
    """Whether a row is one this module wrote: its draft is absolute and named as a
    recorded draft (a name only :func:`models.files.draft_path` makes), and its target,
    once committed, is the file beside it whose name the draft's carries."""
    if not (draft.is_absolute() and files.recorded_by(draft) is not None):
        return False
    if not target_text:
        return True
    return files.is_draft_of(draft, Path(target_text))


def _recover(db: Database, done: Recovery, extra: Iterable[Path]) -> None:
    rows = (db.execute("SELECT id, draft, target, created_at FROM pending_files "
                       "ORDER BY id").fetchall() if _has_table(db) else [])
    folders: dict[Path, None] = {}
    pending: set[Path] = set()
    for row_id, draft_text, target_text, created_at in rows:
        draft = Path(draft_text)
        if not _sound(draft, target_text):
            # Not a row this program wrote (a database or backup made to harm, or
            # damaged): acting on it could delete or move any file of the user's.
            _report(logging.ERROR, "a pending row that names no draft of Ittisal's was "
                    "dropped, no file touched: %r -> %r", draft_text, target_text)
            _forget(db, row_id)
            continue
        folders[draft.parent.absolute()] = None
        pending.add(draft.absolute())
        committed = bool(target_text)
        grace = _COMMITTED_GRACE if committed else _WRITING_GRACE
        if _busy(draft, _age(created_at), grace):
            continue
        if committed:
            _place_committed(db, row_id, draft, Path(target_text), done)
            continue
        # Its transaction never committed: the draft holds nothing issued.
        with contextlib.suppress(FileNotFoundError):
            draft.unlink()
            done.deleted.append(draft)
        _forget(db, row_id)
    for folder in (*_folders(db), *extra):
        folders.setdefault(Path(folder).absolute(), None)
    for folder in folders:
        _sweep(folder, pending, _tag(db), done)
