"""The one owner of the SQLite connection: opening, pragmas, migrations, transactions.

Everything else in ``models/`` goes through :class:`Database`. A file is opened in WAL
mode with foreign keys on and ``synchronous=FULL``, so that a committed transaction
survives a crash or a power cut. Writes go through :meth:`Database.atomic`, which
takes the write lock up front (``BEGIN IMMEDIATE``) so two processes queue instead of
failing half-way.

The file is never created by accident: :meth:`Database.open` refuses a missing file unless
``create=True`` (``demo``, the app's first start) and always refuses a 0-byte one (a copy
that failed). A file or folder that cannot be written is opened read-only
(:attr:`Database.read_only`): reading works, and any write says the file is read-only.
SQLite's environment errors (busy, read-only, disk full, I/O) become the project's own
errors here (:func:`models.errors.translate_sqlite_error`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models import schema
from models.errors import (
    DatabaseBusyError,
    DatabaseError,
    DatabaseReadOnlyError,
    EmptyDatabaseFileError,
    NoDatabaseError,
    NotADatabaseError,
    SchemaTooNewError,
    sqlite_error,
    translate_sqlite_error,
)

if TYPE_CHECKING:
    import sqlite_utils

# How long a write waits for another writer before it says the database is busy. The
# command line waits this long; ITTISAL_BUSY_TIMEOUT_MS overrides it (a script that would
# rather fail at once; the tests). The app's own connection waits far less (see
# ``Database.busy_timeout``), so that its window never freezes behind another writer.
BUSY_TIMEOUT_MS = 10_000
_SQLITE_HEADER = b"SQLite format 3\x00"
# After this long behind another writer, a user is told what the wait is for.
WAIT_NOTICE_MS = 1_000

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
    "missing": (
        "لا توجد قاعدة بيانات في «{path}». شغّل البرنامج أو الأمر demo لإنشائها، أو صحّح "
        "المسار بعد --db.",
        "There is no database at {path}. Start the app or run demo to create one, or "
        "correct the path after --db.",
    ),
    "folder": (
        "«{path}» مجلد وليس ملف قاعدة بيانات؛ اكتب مسار الملف نفسه (مثل {path}/ittisal.sqlite3).",
        "{path} is a folder, not a database file; give the file's own path (such as "
        "{path}/ittisal.sqlite3).",
    ),
    "empty": (
        "ملف قاعدة البيانات «{path}» فارغ (0 بايت) — ربما فشل نسخه. لم يُغيَّر فيه شيء؛ "
        "استرجع نسخة احتياطية: {restore}",
        "The database file {path} is empty (0 bytes) — perhaps a copy failed. It was left "
        "as it is; restore a backup: {restore_en}",
    ),
    "empty_restore": (
        "python main.py --db «{path}» restore «{backup}»",
        "python main.py --db {path} restore {backup}",
    ),
    "empty_no_backup": (
        "انسخ آخر نسخة احتياطية لديك مكانه، أو استعمل الأمر restore.",
        "copy your latest backup over it, or use the restore command.",
    ),
    "ro_migrate": (
        "قاعدة البيانات «{path}» من إصدار أقدم (المخطط {found}) وتحتاج إلى تحديث، لكنها "
        "للقراءة فقط. انسخها إلى مجلد يمكن الكتابة فيه أو غيّر صلاحياتها ثم افتحها.",
        "The database {path} is from an older version (schema {found}) and needs an update, "
        "but it is read-only. Copy it to a writable folder or change its permissions, then "
        "open it.",
    ),
    "ro_wal": (
        "قاعدة البيانات «{path}» للقراءة فقط، وبجانبها تغييرات لم تُدمج بعد (الملف -wal) "
        "لا يمكن قراءتها من مجلد للقراءة فقط. انسخ المجلد كله إلى مكان يمكن الكتابة فيه.",
        "The database {path} is read-only and has changes not yet merged into it (its "
        "-wal file), which cannot be read in a read-only folder. Copy the whole folder "
        "somewhere writable.",
    ),
    "ro_journal": (
        "قاعدة البيانات «{path}» للقراءة فقط، وبجانبها تعديل لم يكتمل (الملف -journal) "
        "يجب التراجع عنه قبل قراءتها، ولا يمكن ذلك في مجلد للقراءة فقط. انسخ المجلد كله "
        "إلى مكان يمكن الكتابة فيه ثم افتحها.",
        "The database {path} is read-only and has an unfinished change beside it (its "
        "-journal file) that must be rolled back before it can be read, which a read-only "
        "folder does not allow. Copy the whole folder somewhere writable, then open it.",
    ),
}


def _error(cls: type[DatabaseError], key: str, **values: Any) -> DatabaseError:
    arabic, english = _MSG[key]
    return cls(arabic.format(**values), english.format(**values))


def _looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == _SQLITE_HEADER


def default_busy_timeout_ms() -> int:
    """How long a write waits for another writer: ``ITTISAL_BUSY_TIMEOUT_MS`` or 10 s."""
    try:
        return max(0, int(os.environ.get("ITTISAL_BUSY_TIMEOUT_MS", BUSY_TIMEOUT_MS)))
    except ValueError:
        return BUSY_TIMEOUT_MS


def connect(path: Path | str, *, read_only: bool = False,
            immutable: bool = False) -> sqlite3.Connection:
    """A raw connection with our pragmas, for the file as it is (no migration).

    ``read_only`` opens it with SQLite's ``mode=ro``; ``immutable`` also tells SQLite that
    nobody changes the file while it is open, which is the only way to read a WAL-mode
    file in a folder where its ``-shm`` cannot be made.
    """
    timeout_ms = default_busy_timeout_ms()
    if read_only:
        uri = Path(path).absolute().as_uri() + "?mode=ro" + ("&immutable=1" if immutable
                                                              else "")
        conn = sqlite3.connect(uri, uri=True, timeout=timeout_ms / 1000,
                               isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=timeout_ms / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _writable(path: Path) -> bool:
    """Whether this process can write the file and whatever WAL mode must make beside it
    (the ``-wal`` and ``-shm`` files, in its folder)."""
    try:
        # Opening it for writing (and closing it at once) asks exactly what SQLite will
        # ask; os.access answers for the real user id, which can differ.
        os.close(os.open(path, os.O_RDWR))
    except OSError:
        return False
    if os.access(path.parent, os.W_OK):
        return True
    sides = [_side(path, "-wal"), _side(path, "-shm")]
    return all(side.exists() and os.access(side, os.W_OK) for side in sides)


def _is(exc: BaseException, *codes: int) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in codes


_SQLITE_READONLY, _SQLITE_CANTOPEN = 8, 14


def read_header(conn: sqlite3.Connection) -> tuple[int, int, bool]:
    """The file's ``user_version``, ``application_id`` and whether it has any table."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    has_tables = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
    return version, app_id, has_tables


def _empty_file_error(path: Path) -> DatabaseError:
    """The message for a 0-byte file, naming the newest backup to restore if any."""
    from models import backup_files  # its file and folder helpers: not on every open

    found = backup_files.backups(path)
    if found:
        backup = found[-1][1]
        restore = _MSG["empty_restore"][0].format(path=path, backup=backup)
        restore_en = _MSG["empty_restore"][1].format(path=path, backup=backup)
    else:
        restore, restore_en = _MSG["empty_no_backup"]
    return _error(EmptyDatabaseFileError, "empty", path=path, restore=restore,
                  restore_en=restore_en)


def check_header(path: Path, conn: sqlite3.Connection) -> int:
    """Refuse files that are not ours or are too new; return the schema version."""
    try:
        version, app_id, has_tables = read_header(conn)
    except sqlite3.DatabaseError as exc:
        # Busy, read-only, I/O: said as such; only a file SQLite cannot read as a
        # database is "not an Ittisal database, or damaged".
        known = translate_sqlite_error(exc, path)
        if known is not None and not isinstance(known, NotADatabaseError):
            raise known from exc
        raise _error(NotADatabaseError, "not_db", path=path) from exc
    if version == 0 and has_tables:
        raise _error(NotADatabaseError, "not_db", path=path)
    if version > 0 and app_id != schema.APPLICATION_ID:
        raise _error(NotADatabaseError, "not_db", path=path)
    if version > schema.SCHEMA_VERSION:
        raise _error(SchemaTooNewError, "too_new", path=path, found=version,
                     known=schema.SCHEMA_VERSION)
    return version


def _open_error(exc: sqlite3.Error, path: Path) -> DatabaseError:
    """What opening ``path`` failed with, as the user reads it: busy, read-only, full or
    damaged when SQLite says so, otherwise "cannot open" with SQLite's reason."""
    return (translate_sqlite_error(exc, path)
            or _error(DatabaseError, "cannot_open", path=path, reason=exc))


class Database:
    """An open Ittisal database file."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *,
                 read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only  # the file or its folder cannot be written
        self._local_unit_id: str | None = None
        #: Called once when a write has waited :data:`WAIT_NOTICE_MS` for another writer
        #: and goes on waiting (the command line says "waiting for…" on stderr).
        self.on_wait: Callable[[], None] | None = None
        #: Facts worth remembering only until the current transaction ends (nobody else
        #: can write meanwhile): emptied when an outermost transaction begins and ends.
        self.transaction_memo: dict[Any, Any] = {}

    @functools.cached_property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection (imported on first use: it costs about
        a tenth of a second, which the app's start-up does not need to pay)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # --- opening ------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, create: bool = False, migrate: bool = True,
             target_version: int | None = None) -> Database:
        """Open an Ittisal database file and bring its schema up to date.

        A missing file is refused unless ``create`` (then a new one is made); a 0-byte
        file is always refused and left as it is (a copy that failed is reported, never
        initialised). A file from a newer Ittisal, or a file that is not ours, is refused
        before any byte of it changes. Before an existing file is migrated, a backup is
        taken. A file this process cannot write is opened read-only (``read_only``).
        ``target_version`` stops migrating early (tests build old files with it).
        """
        path = Path(path)
        if path.is_dir():
            raise _error(DatabaseError, "folder", path=path)
        if not path.exists():
            if not create:
                raise _error(NoDatabaseError, "missing", path=path)
        elif path.stat().st_size == 0:
            raise _empty_file_error(path)
        elif not _looks_like_sqlite(path):
            raise _error(NotADatabaseError, "not_db", path=path)
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _error(DatabaseError, "cannot_open", path=path,
                             reason=exc.strerror or exc) from exc
        read_only = path.exists() and not _writable(path)
        conn = None if read_only else cls._connect_writable(path)
        if conn is None:
            read_only = True
            conn = cls._connect_read_only(path)
        try:
            version = check_header(path, conn)
            db = cls(conn, path, read_only=read_only)
            target = schema.SCHEMA_VERSION if target_version is None else target_version
            if migrate and version < target:
                if read_only:
                    raise _error(DatabaseReadOnlyError, "ro_migrate", path=path,
                                 found=version)
                db._migrate(version, target)
        except sqlite3.Error as exc:
            conn.close()
            raise _open_error(exc, path) from exc
        except BaseException:
            conn.close()
            raise
        return db

    @staticmethod
    def _connect_writable(path: Path) -> sqlite3.Connection | None:
        """A read-write connection in WAL mode; None when SQLite finds the file or its
        folder read-only after all (a read-only mount, a file another user owns)."""
        try:
            conn = connect(path)
        except sqlite3.Error as exc:
            if _is(exc, _SQLITE_READONLY, _SQLITE_CANTOPEN) and path.exists():
                return None
            raise _open_error(exc, path) from exc
        except OSError as exc:
            raise _error(DatabaseError, "cannot_open", path=path,
                         reason=exc.strerror or exc) from exc
        try:
            try:
                read_header(conn)
            except sqlite3.Error as exc:
                if _is(exc, _SQLITE_READONLY, _SQLITE_CANTOPEN) and path.exists():
                    conn.close()
                    return None
            check_header(path, conn)  # a foreign file is refused before the pragma below
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            conn.close()
            if _is(exc, _SQLITE_READONLY, _SQLITE_CANTOPEN) and path.exists():
                return None
            raise _open_error(exc, path) from exc
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _connect_read_only(path: Path) -> sqlite3.Connection:
        """A ``mode=ro`` connection. A WAL file in a read-only folder cannot get its
        ``-shm``: SQLite then reads it only as ``immutable``, which is right as long as
        no ``-wal`` holds changes not yet merged (then the file is refused, not misread).
        """
        try:
            conn = connect(path, read_only=True)
            try:
                read_header(conn)
                return conn
            except sqlite3.Error as exc:
                conn.close()
                if not _is(exc, _SQLITE_READONLY, _SQLITE_CANTOPEN):
                    raise
            wal = _side(path, "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise _error(DatabaseReadOnlyError, "ro_wal", path=path)
            # A rollback journal left by a writer that stopped mid-transaction (a file in
            # the older journal mode, such as a backup someone wrote to): immutable
            # ignores it and would show changes that were never committed, and check
            # would call the file damaged. Only a writable open rolls it back.
            journal = _side(path, "-journal")
            if journal.exists() and journal.stat().st_size > 0:
                raise _error(DatabaseReadOnlyError, "ro_journal", path=path)
            return connect(path, read_only=True, immutable=True)
        except sqlite3.Error as exc:
            raise _open_error(exc, path) from exc

    def _migrate(self, version: int, target: int) -> None:
        if version > 0:
            from models import backup_files

            backup_files.take(self.conn, self.path, reason=f"before-v{target}")
        for number in range(version + 1, target + 1):
            with self.atomic():
                schema.MIGRATIONS[number - 1](self.conn)
                if number == schema.SCHEMA_VERSION:
                    # In the last step's transaction: a crash leaves the step undone, so
                    # the next open runs it again and never sees stale derived data.
                    schema.rebuild_derived(self.conn)
                self.conn.execute(f"PRAGMA user_version = {number}")

    def close(self, *, optimize: bool = True) -> None:
        """Close the connection (a checkpoint folds the WAL back into the file). Unless
        ``optimize`` is false (a reader that only asked a few questions), SQLite first
        refreshes the planner's statistics where they are stale: on a big file that can
        take a tenth of a second."""
        if optimize and not self.read_only:
            with contextlib.suppress(sqlite3.Error):
                self.set_busy_timeout(0)  # optimising is not worth waiting for
                self.conn.execute("PRAGMA optimize")
        self.conn.close()

    # --- waiting for other writers --------------------------------------------------

    def set_busy_timeout(self, ms: int) -> None:
        """How long this connection's writes wait for another writer from now on."""
        self.conn.execute(f"PRAGMA busy_timeout = {max(0, int(ms))}")

    @contextlib.contextmanager
    def busy_timeout(self, ms: int) -> Iterator[Database]:
        """Wait at most ``ms`` for another writer inside the block (the app's own
        background writes: a draft is simply kept at the next tick instead)."""
        before = self.scalar("PRAGMA busy_timeout")
        self.set_busy_timeout(ms)
        try:
            yield self
        finally:
            self.set_busy_timeout(before)

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
        A read-only file refuses at once; another writer that holds the lock longer
        than the busy timeout gives :class:`DatabaseBusyError`; SQLite's other
        environment errors (disk full, I/O) become the project's own too, after the
        rollback.
        """
        if self.conn.in_transaction:
            with self.utils.atomic():
                yield self
            return
        if self.read_only:
            raise sqlite_error(DatabaseReadOnlyError, "read_only", self.path)
        self._begin()
        self.transaction_memo.clear()
        try:
            yield self
        except BaseException as exc:
            self.transaction_memo.clear()
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            translated = translate_sqlite_error(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise
        else:
            self.transaction_memo.clear()
            try:
                self._run("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                raise

    def _begin(self) -> None:
        """Take the write lock; past :data:`WAIT_NOTICE_MS` of waiting, say so through
        ``on_wait`` and wait the rest of the busy timeout."""
        total = self.scalar("PRAGMA busy_timeout")
        if self.on_wait is None or total <= WAIT_NOTICE_MS:
            self._run("BEGIN IMMEDIATE")
            return
        self.set_busy_timeout(WAIT_NOTICE_MS)
        try:
            try:
                self._run("BEGIN IMMEDIATE")
                return
            except DatabaseBusyError:
                self.on_wait()
            self.set_busy_timeout(total - WAIT_NOTICE_MS)
            self._run("BEGIN IMMEDIATE")
        finally:
            self.set_busy_timeout(total)

    def _run(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            translated = translate_sqlite_error(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise

    # --- small helpers --------------------------------------------------------------

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """Run one statement (SQLite's environment errors become the project's own)."""
        return self._run(sql, params)

    def scalar(self, sql: str, params: Any = ()) -> Any:
        """The first column of the first row, or None."""
        row = self._run(sql, params).fetchone()
        return row[0] if row else None

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """All rows as dicts (for the data layer's own use, not for callers)."""
        cur = self._run(sql, params)
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
