"""The one owner of the SQLite connection: opening, pragmas, migrations, transactions.

Everything else in ``models/`` goes through :class:`Database`. A file is opened in WAL
mode with foreign keys on and ``synchronous=FULL``, so that a committed transaction
survives a crash or a power cut. Writes go through :meth:`Database.atomic`, which
takes the write lock up front (``BEGIN IMMEDIATE``) so two processes queue instead of
failing half-way.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models import backup_files, schema
from models.errors import DatabaseError, NotADatabaseError, SchemaTooNewError

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
_SQLITE_HEADER = b"SQLite format 3\x00"

_MSG = {
    "too_new": (
        "قاعدة البيانات «{path}» أُنشئت بإصدار أحدث من اتصال (المخطط {found}، وهذا الإصدار "
        "يعرف حتى {known}). لم يُغيَّر فيها شيء؛ حدّث البرنامج لفتحها.",
        "The database {path} was written by a newer Ittisal (schema {found}; this version "
        "knows up to {known}). It was left untouched; update Ittisal to open it.",
    ),
    "not_db": (
        "الملف «{path}» ليس قاعدة بيانات لبرنامج اتصال أو أنه تالف.",
        "{path} is not an Ittisal database, or it is damaged.",
    ),
    "cannot_open": (
        "تعذّر فتح قاعدة البيانات «{path}»: {reason}",
        "Cannot open the database {path}: {reason}",
    ),
}


def _error(cls: type[DatabaseError], key: str, **values: Any) -> DatabaseError:
    arabic, english = _MSG[key]
    return cls(arabic.format(**values), english.format(**values))


def _looks_like_sqlite(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with path.open("rb") as fh:
        return fh.read(16) == _SQLITE_HEADER


def connect(path: Path | str) -> sqlite3.Connection:
    """A raw connection with our pragmas, for the file as it is (no migration)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def read_header(conn: sqlite3.Connection) -> tuple[int, int, bool]:
    """The file's ``user_version``, ``application_id`` and whether it has any table."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    has_tables = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
    return version, app_id, has_tables


def check_header(path: Path, conn: sqlite3.Connection) -> int:
    """Refuse files that are not ours or are too new; return the schema version."""
    try:
        version, app_id, has_tables = read_header(conn)
    except sqlite3.DatabaseError as exc:
        raise _error(NotADatabaseError, "not_db", path=path) from exc
    if version == 0 and has_tables:
        raise _error(NotADatabaseError, "not_db", path=path)
    if version > 0 and app_id != schema.APPLICATION_ID:
        raise _error(NotADatabaseError, "not_db", path=path)
    if version > schema.SCHEMA_VERSION:
        raise _error(SchemaTooNewError, "too_new", path=path, found=version,
                     known=schema.SCHEMA_VERSION)
    return version


class Database:
    """An open Ittisal database file."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._local_unit_id: str | None = None

    @functools.cached_property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection (imported on first use: it costs about
        a tenth of a second, which the app's start-up does not need to pay)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # --- opening ------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, migrate: bool = True,
             target_version: int | None = None) -> Database:
        """Open (creating if needed) and bring the schema up to date.

        A file from a newer Ittisal, or a file that is not ours, is refused before any
        byte of it changes. Before an existing file is migrated, a backup is taken.
        ``target_version`` stops migrating early (tests build old files with it).
        """
        path = Path(path)
        if not _looks_like_sqlite(path):
            raise _error(NotADatabaseError, "not_db", path=path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise _error(DatabaseError, "cannot_open", path=path, reason=exc) from exc
        try:
            version = check_header(path, conn)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            db = cls(conn, path)
            target = schema.SCHEMA_VERSION if target_version is None else target_version
            if migrate and version < target:
                db._migrate(version, target)
        except BaseException:
            conn.close()
            raise
        return db

    def _migrate(self, version: int, target: int) -> None:
        if version > 0:
            backup_files.take(self.conn, self.path, reason=f"before-v{target}")
        for number in range(version + 1, target + 1):
            with self.atomic():
                schema.MIGRATIONS[number - 1](self.conn)
                self.conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL back into the file)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA optimize")
        self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions -------------------------------------------------------------

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction: all of the block's writes land, or none do.

        The outermost block takes the write lock at once (``BEGIN IMMEDIATE``); nested
        blocks become savepoints, so helpers can be atomic on their own and compose.
        """
        if self.conn.in_transaction:
            with self.utils.atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    # --- small helpers --------------------------------------------------------------

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """Run one statement."""
        return self.conn.execute(sql, params)

    def scalar(self, sql: str, params: Any = ()) -> Any:
        """The first column of the first row, or None."""
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """All rows as dicts (for the data layer's own use, not for callers)."""
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    @property
    def schema_version(self) -> int:
        """The file's ``PRAGMA user_version``."""
        return self.scalar("PRAGMA user_version")

    @property
    def local_unit_id(self) -> str:
        """The id of the unit that owns this file; new records carry it as origin."""
        if self._local_unit_id is None:
            self._local_unit_id = self.scalar(
                "SELECT value FROM settings WHERE key = 'local_unit_id'")
        return self._local_unit_id

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A value from the settings table."""
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        """Store a value in the settings table."""
        with self.atomic():
            self.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
