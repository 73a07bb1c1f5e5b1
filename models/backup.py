"""Backups of the database file: taking, rotating, checking and restoring them.

Backups are whole copies made with SQLite's online backup API (consistent even while
the app writes), written to a temporary name and renamed, into ``backups/`` beside the
database. Each database keeps its last :data:`KEEP_LAST` backups plus the newest of
every month. A restore checks the file first and backs up the current state before it
overwrites anything.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from models import backup_files, schema
from models.backup_files import (  # noqa: F401 - KEEP_LAST, backups, rotate: this API
    KEEP_LAST,
    STAMP,
    backups,
    copy_database,
    rotate,
)
from models.db import Database, check_header, connect
from models.errors import (
    DatabaseBusyError,
    DatabaseError,
    DatabaseReadOnlyError,
    IttisalError,
    NotADatabaseError,
    sqlite_error,
    translate_sqlite_error,
)
from models.paths import backups_dir

_MSG = {
    "damaged": ("ملف النسخة الاحتياطية «{path}» تالف ولا يمكن الاسترجاع منه: {detail}",
                "The backup {path} is damaged and cannot be restored: {detail}"),
    "missing": ("الملف «{path}» غير موجود.", "{path} does not exist."),
    "same": ("لا يمكن الاسترجاع من قاعدة البيانات نفسها.",
             "Cannot restore a database from itself."),
    "not_backup": ("الملف «{path}» ليس نسخة احتياطية لبرنامج اتصال (فارغ أو لبرنامج آخر).",
                   "{path} is not an Ittisal backup (it is empty or another program's)."),
}


def _error(cls: type[IttisalError], key: str, **values: object) -> IttisalError:
    arabic, english = _MSG[key]
    return cls(arabic.format(**values), english.format(**values))


def take(db: Database, *, reason: str = "manual", to: Path | None = None) -> Path:
    """Back up the open database; return the backup's path (see :func:`backup_files.take`)."""
    return backup_files.take(db.conn, db.path, reason=reason, to=to)


def daily(db: Database, today: dt.date | None = None) -> Path | None:
    """Take the day's backup unless one was already taken today (the app's first start)."""
    today = today or dt.date.today()
    if any(stamp.date() == today for stamp, _ in backups(db.path)):
        return None
    return take(db, reason="daily")


@dataclass
class CheckReport:
    """What ``check`` found in a database file."""

    path: Path
    schema_version: int
    known_version: int
    integrity: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)
    search_index: str = "ok"

    @property
    def ok(self) -> bool:
        """True when the file is sound in every way checked."""
        return (self.integrity == ["ok"] and not self.foreign_keys
                and self.search_index == "ok")


def check_connection(conn: sqlite3.Connection, path: Path) -> CheckReport:
    """Integrity, foreign keys, search index and schema version of an open file."""
    version = check_header(path, conn)
    report = CheckReport(path=path, schema_version=version,
                         known_version=schema.SCHEMA_VERSION)
    report.integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    report.foreign_keys = [
        f"{table} rowid {rowid} → {parent}"
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
        if not _awaited_at_centre(conn, table, rowid, parent)
    ]
    has_index = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'search_fts'").fetchone()
    if has_index:
        try:
            report.search_index = _check_search_index(conn, path)
        except DatabaseBusyError as exc:
            if report.integrity == ["ok"] and not report.foreign_keys:
                raise  # nothing found, the rest could not be checked: "busy", not "damaged"
            report.search_index = str(exc)  # the problems found are what the user needs
    return report


def _awaited_at_centre(conn: sqlite3.Connection, table: str, rowid: int | None,
                       parent: str) -> bool:
    """Whether a dangling reference is a centre's record not received yet, not damage.

    A ministry centre merges units' bundles with foreign keys off (models.bundle_merge):
    a unit's row may point to its record that is not sent yet (a draft activity), so
    at a centre a row of another unit than the local one may dangle. A unit's own
    database, and the centre's own unit, keep every reference whole."""
    try:
        mode = conn.execute("SELECT value FROM settings WHERE key = 'mode'").fetchone()
        if not mode or mode[0] != "ministry":
            return False
        local = conn.execute(
            "SELECT value FROM settings WHERE key = 'local_unit_id'").fetchone()
        columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        if "unit_id" in columns and rowid is not None:
            owner = conn.execute(f'SELECT unit_id FROM "{table}" WHERE rowid = ?',
                                 (rowid,)).fetchone()
            return bool(owner) and (not local or owner[0] != local[0])
        # A row without its own unit (a certificate's revision): awaited when what it
        # points to is a unit's record.
        return "unit_id" in {r[1] for r in conn.execute(f'PRAGMA table_info("{parent}")')}
    except sqlite3.Error:
        return False


# How long the search index check waits for another writer before it says "busy".
CHECK_WAIT_MS = 2_000


def _check_search_index(conn: sqlite3.Connection, path: Path) -> str:
    """FTS5's own integrity check: "ok" or what is wrong with the index.

    The check is an INSERT command, so it needs the write lock although it writes
    nothing: it runs in a savepoint that is always rolled back, waiting at most
    :data:`CHECK_WAIT_MS`. Another program writing (busy, locked) is not damage: it
    raises :class:`DatabaseBusyError`. A read-only file is checked on a copy in memory.
    """
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {min(timeout, CHECK_WAIT_MS)}")
    try:
        conn.execute("SAVEPOINT check_search_index")
        try:
            conn.execute("INSERT INTO search_fts (search_fts, rank) "
                         "VALUES ('integrity-check', 1)")
        finally:
            _undo_savepoint(conn, "check_search_index")
    except sqlite3.DatabaseError as exc:
        known = translate_sqlite_error(exc, path)
        if isinstance(known, DatabaseBusyError):
            raise sqlite_error(DatabaseBusyError, "check_busy", path) from exc
        if isinstance(known, DatabaseReadOnlyError):
            return _check_search_index_copy(conn, path)
        if known is not None and not isinstance(known, NotADatabaseError):
            raise known from exc  # disk or I/O trouble is not the index's fault
        return str(exc)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {timeout}")
    return "ok"


def _undo_savepoint(conn: sqlite3.Connection, name: str) -> None:
    try:
        conn.execute(f"ROLLBACK TO {name}")
        conn.execute(f"RELEASE {name}")
    except sqlite3.Error:  # SQLite already rolled it all back (a full disk, say)
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _check_search_index_copy(conn: sqlite3.Connection, path: Path) -> str:
    """The search index check of a read-only file, on its copy in memory."""
    memory = sqlite3.connect(":memory:")
    try:
        conn.backup(memory)
        return _check_search_index(memory, path)
    finally:
        memory.close()


def check_file(path: Path) -> CheckReport:
    """Check a file that may not be open (a backup before restoring it).

    The file is opened read-only and copied page by page into memory, where the checks
    run: the search index check is an INSERT, which a read-only file (a backup on a
    write-protected stick) would refuse, and the file itself must not change.
    """
    path = Path(path)
    if not path.is_file():
        raise _error(DatabaseError, "missing", path=path)
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        memory = sqlite3.connect(":memory:")
        try:
            version = check_header(path, source)
            if version < 1:  # an empty file passes the header check: it has nothing to give
                raise _error(NotADatabaseError, "not_backup", path=path)
            source.backup(memory)
            return check_connection(memory, path)
        finally:
            source.close()
            memory.close()
    except sqlite3.DatabaseError as exc:
        raise _error(NotADatabaseError, "damaged", path=path, detail=exc) from exc


def _set_aside(db_path: Path) -> Path:
    """Move a damaged database (with its WAL files) into ``backups/``; return where."""
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime(STAMP)
    target = folder / f"{db_path.stem}-{stamp}-{backup_files.DAMAGED}.sqlite3"
    os.replace(db_path, target)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def _copy_file_in(source: Path, db_path: Path) -> None:
    """Put a checked backup where the database was (temp file, fsync, rename)."""
    src = connect(source)
    try:
        copy_database(src, db_path)
    finally:
        src.close()


def restore(db_path: Path, source: Path) -> Path:
    """Replace the database at ``db_path`` with the backup ``source``.

    The source is checked first (an empty, foreign or damaged file is refused before
    anything changes). The current state is backed up (and its path returned) before it
    is overwritten; a current file too damaged to open is moved aside whole instead, so a
    restore can rescue it. A source from an older schema is brought up to date.
    """
    source, db_path = Path(source), Path(db_path)
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise _error(DatabaseError, "same")
    report = check_file(source)
    if not report.ok:
        detail = "; ".join(report.integrity[:3] + report.foreign_keys[:3]) or report.search_index
        raise _error(NotADatabaseError, "damaged", path=source, detail=detail)
    try:
        # A restore onto a new PC makes the file; a 0-byte one is set aside like a damaged one.
        current = Database.open(db_path, create=not db_path.exists())
    except NotADatabaseError:
        safety = _set_aside(db_path)
        _copy_file_in(source, db_path)
    else:
        # Copied into the open connection page by page (SQLite's backup API), so the WAL
        # and any other connection see one consistent change.
        with current:
            safety = take(current, reason="before-restore")
            src = connect(source)
            try:
                src.backup(current.conn)
            finally:
                src.close()
    Database.open(db_path).close()  # brings an older backup up to today's schema
    # A backup holds no private key: the unit's key comes back only from its encrypted
    # key backup (models.key_backup). A clear copy that an earlier version left beside
    # this backup is taken out of it (into keys/ if this data folder lacks that key).
    backup_files.take_out_clear_keys(db_path, source)
    return safety
