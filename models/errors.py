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
