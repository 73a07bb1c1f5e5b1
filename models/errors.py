"""Errors the data core raises, each carrying an Arabic message and its English twin.

The Arabic text is what a user sees; the English line helps whoever reads a log or
a bug report. Callers show ``str(error)`` (Arabic) or ``error.english``.
"""

from __future__ import annotations


class IttisalError(Exception):
    """Base of every error that has a message meant for the user."""

    def __init__(self, arabic: str, english: str) -> None:
        super().__init__(arabic)
        self.arabic = arabic
        self.english = english

    def __str__(self) -> str:
        return self.arabic


class ValidationError(IttisalError):
    """A record breaks a rule; ``field`` names the field at fault."""

    def __init__(self, field: str, arabic: str, english: str) -> None:
        super().__init__(arabic, english)
        self.field = field


class NotFoundError(IttisalError):
    """No record has the given id (or id prefix)."""


class AmbiguousIdError(IttisalError):
    """An id prefix matches more than one record."""


class DatabaseError(IttisalError):
    """The database file cannot be used: the environment's fault, not a bug."""


class SchemaTooNewError(DatabaseError):
    """The file was written by a newer Ittisal; it is refused and left untouched."""


class NotADatabaseError(DatabaseError):
    """The file is not an Ittisal database (or is damaged)."""


class NoDatabaseError(DatabaseError):
    """No database file where one was expected (a mistyped path): none is created."""


class EmptyDatabaseFileError(NotADatabaseError):
    """The file is 0 bytes (a copy that failed): reported, never initialised."""


class DatabaseBusyError(DatabaseError):
    """Another program or task holds the write lock; trying again later will do."""


class DatabaseReadOnlyError(DatabaseError):
    """The file (or its folder) cannot be written; reading still works."""


class DiskFullError(DatabaseError):
    """The disk is full; the transaction was rolled back, nothing was lost."""


class DatabaseIOError(DatabaseError):
    """The operating system failed to read or write the file (a removed stick, a bad
    disk)."""


# What SQLite's primary result codes mean to a user: (class, message key). Only the
# environment's faults are here; a constraint or syntax error stays a bug.
_SQLITE_CODES: dict[int, tuple[type[DatabaseError], str]] = {
    5: (DatabaseBusyError, "busy"),          # SQLITE_BUSY
    6: (DatabaseBusyError, "busy"),          # SQLITE_LOCKED
    8: (DatabaseReadOnlyError, "read_only"),  # SQLITE_READONLY
    10: (DatabaseIOError, "io"),             # SQLITE_IOERR
    11: (NotADatabaseError, "corrupt"),      # SQLITE_CORRUPT
    13: (DiskFullError, "full"),             # SQLITE_FULL
    14: (DatabaseError, "cannot_open"),      # SQLITE_CANTOPEN
    26: (NotADatabaseError, "not_db"),       # SQLITE_NOTADB
}

_SQLITE_MSG = {
    "busy": (
        "قاعدة البيانات{where} مشغولة: برنامج آخر أو مهمة أخرى تكتب فيها الآن. لم يُغيَّر "
        "شيء؛ أعد المحاولة بعد لحظات.",
        "The database{where} is busy: another program or task is writing to it. Nothing "
        "was changed; try again in a moment.",
    ),
    "check_busy": (
        "تعذّر فحص قاعدة البيانات{where} الآن: برنامج آخر أو مهمة أخرى تكتب فيها. لم يُعثر "
        "فيها على تلف؛ أعد الفحص بعد لحظات.",
        "Could not check the database{where} now: another program or task is writing to "
        "it. No damage was found; check again in a moment.",
    ),
    "read_only": (
        "قاعدة البيانات{where} للقراءة فقط، فلا يمكن الكتابة فيها. انسخ الملف إلى مجلد "
        "يمكن الكتابة فيه، أو غيّر صلاحياته (أو صلاحيات مجلده).",
        "The database{where} is read-only and cannot be written to. Copy the file to a "
        "writable folder, or change its permissions (or its folder's).",
    ),
    "full": (
        "القرص ممتلئ، فلم يُحفظ التغيير الأخير{where}. لم يضِع شيء مما حُفظ قبله؛ أفرغ "
        "مساحة على القرص ثم أعد المحاولة.",
        "The disk is full, so the last change was not saved{where}. Nothing saved before "
        "it was lost; free some space and try again.",
    ),
    "io": (
        "تعذّرت قراءة قاعدة البيانات{where} أو الكتابة فيها (خطأ في القرص أو وحدة تخزين "
        "نُزعت). لم يُحفظ التغيير الأخير؛ تأكد من القرص ثم أعد المحاولة.",
        "The database{where} could not be read or written (a disk error, or a drive that "
        "was removed). The last change was not saved; check the drive and try again.",
    ),
    "corrupt": (
        "قاعدة البيانات{where} تالفة. استرجع نسخة احتياطية (الأمر restore).",
        "The database{where} is damaged. Restore a backup (the restore command).",
    ),
    "cannot_open": (
        "تعذّر فتح ملف قاعدة البيانات{where}. تأكد من أنه موجود وأن مجلده يمكن قراءته.",
        "Cannot open the database file{where}. Check that it exists and that its folder "
        "can be read.",
    ),
    "not_db": (
        "الملف{where} ليس قاعدة بيانات لبرنامج اتصال أو أنه تالف.",
        "The file{where} is not an Ittisal database, or it is damaged.",
    ),
}


def sqlite_message(key: str, path: object = None) -> tuple[str, str]:
    """The (Arabic, English) text of one of SQLite's environment errors, naming the file."""
    arabic, english = _SQLITE_MSG[key]
    return (arabic.format(where=f" «{path}»" if path else ""),
            english.format(where=f" {path}" if path else ""))


def sqlite_error(cls: type[DatabaseError], key: str, path: object = None) -> DatabaseError:
    """An error of class ``cls`` with the message ``key`` of :func:`sqlite_message`."""
    return cls(*sqlite_message(key, path))


def translate_sqlite_error(exc: BaseException, path: object = None) -> DatabaseError | None:
    """The project's error for one of SQLite's environment errors (busy, locked,
    read-only, disk full, I/O, cannot open, damaged, not a database); None for anything
    else (a constraint or a bug), which the caller re-raises as it is.

    Uses ``sqlite_errorcode`` (Python 3.11) and falls back on the message's text for
    errors raised without one.
    """
    import sqlite3

    if isinstance(exc, IttisalError) or not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        text = str(exc).lower()
        code = next((c for c, needle in _SQLITE_TEXTS if needle in text), None)
        if code is None:
            return None
    found = _SQLITE_CODES.get(code & 0xFF)
    if found is None:
        return None
    cls, key = found
    error = sqlite_error(cls, key, path)
    error.__cause__ = exc
    return error


_SQLITE_TEXTS = (
    (5, "database is locked"), (6, "database table is locked"),
    (8, "readonly database"), (13, "database or disk is full"), (10, "disk i/o error"),
    (14, "unable to open database file"), (26, "file is not a database"),
    (11, "database disk image is malformed"),
)
