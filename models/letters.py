"""Official letters (كتب رسمية) and the outbox: numbers from a per-year sequence, and a log
of every letter sent (number, date, subject, file name, SHA-256 of the file).

A letter's number is the year's largest number plus one, or the starting number the unit
set for that year (:func:`set_start`) when that is higher. :func:`record_letter` takes the
number and stores the letter in one transaction, which holds SQLite's write lock from its
first statement (``BEGIN IMMEDIATE``): two processes recording letters at once queue, and
never share a number. The document itself is written by :mod:`exporters.letter`, inside
that same transaction (``before_commit``), so a file that cannot be written uses no number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from models import store
from models.db import Database
from models.errors import IttisalError
from models.records import (
    LONG,
    MAX_YEAR,
    MEDIUM,
    MIN_YEAR,
    UnitRecord,
    date_field,
    system_field,
    text_field,
    text_list_field,
    validate,
)

__all__ = [
    "DEFAULT_COPIES",
    "MSG",
    "Letter",
    "LetterError",
    "default_copies",
    "fingerprint",
    "next_number",
    "outbox",
    "record_letter",
    "set_start",
    "start_number",
]

# User-facing messages of letters and the outbox: (Arabic, English).
MSG = {
    "bad_year": ("السنة «{year}» غير صحيحة؛ يجب أن تقع بين {lo} و{hi}.",
                 "The year {year!r} is not valid; it must fall between {lo} and {hi}."),
    "bad_start": ("رقم البداية يجب أن يكون عدداً صحيحاً أكبر من صفر، لا «{value}».",
                  "The starting number must be a whole number above zero, not {value!r}."),
    "start_used": ("لا يمكن أن يبدأ تسلسل كتب سنة {year} من {start}: صدر فيها الكتاب ذو "
                   "العدد {last}. اختر عدداً أكبر منه.",
                   "The {year} letter numbers cannot start at {start}: letter {last} was "
                   "already sent that year. Choose a larger number."),
    "number_taken": ("العدد {number} لسنة {year} مستعمل لكتاب آخر.",
                     "Number {number} of {year} is already used by another letter."),
    "cannot_write": ("تعذّر حفظ الكتاب في «{path}»: {reason}. تأكد من أن المجلد موجود "
                     "ويمكن الكتابة فيه، وأن الملف غير مفتوح في برنامج آخر. لم يُستهلك رقم.",
                     "Cannot save the letter to {path}: {reason}. Check that the folder "
                     "exists and is writable and that the file is not open elsewhere. No "
                     "number was used."),
}

#: Where the unit's default copy list lives in the settings (one entry a line).
COPIES_SETTING = "letter_copies"
DEFAULT_COPIES = ("الحفظ",)


class LetterError(IttisalError):
    """A letter cannot be numbered, recorded or written."""


def _error(key: str, **values: Any) -> LetterError:
    arabic, english = MSG[key]
    return LetterError(arabic.format(**values), english.format(**values))


@dataclass(kw_only=True)
class Letter(UnitRecord):
    """An official letter in the outbox. ``year`` and ``number`` are given by
    :func:`record_letter`; ``file_name`` and ``sha256`` describe the file that went out."""

    table: ClassVar[str] = "letters"
    year: int = system_field(0)
    number: int = system_field(0)
    date: str | None = date_field("التاريخ", required=True)
    addressee: str = text_field("إلى")
    subject: str = text_field("الموضوع", limit=500, required=True)
    body: str = text_field("نص الكتاب", limit=LONG, multiline=True)
    enclosures: list[str] = text_list_field("المرفقات", limit=MEDIUM)
    copies: list[str] = text_list_field("نسخة منه إلى", limit=MEDIUM)
    file_name: str = text_field("اسم الملف", limit=MEDIUM)
    sha256: str = text_field("البصمة (SHA-256)", limit=64)


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise _error("bad_year", year=year, lo=MIN_YEAR, hi=MAX_YEAR)
    return year


def _start_key(year: int) -> str:
    return f"letter_start_{year}"


def _last_number(db: Database, year: int) -> int:
    # Deleted letters keep their numbers: a number once sent is never given again.
    return db.scalar("SELECT coalesce(max(number), 0) FROM letters "
                     "WHERE unit_id = ? AND year = ?", (db.local_unit_id, year))


def start_number(db: Database, year: int) -> int:
    """The number the unit set for the year's first letter (1 when none was set)."""
    value = db.setting(_start_key(_check_year(year)))
    try:
        return max(int(value), 1) if value is not None else 1
    except ValueError:
        return 1


def next_number(db: Database, year: int) -> int:
    """The number the year's next letter gets: the year's largest number plus one, or the
    starting number set for the year when that is higher."""
    _check_year(year)
    return max(_last_number(db, year) + 1, start_number(db, year))


def set_start(db: Database, year: int, n: int) -> None:
    """Start the year's sequence at ``n`` (e.g. continuing a paper register). Refused when
    a letter of that year already has ``n`` or a larger number."""
    _check_year(year)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise _error("bad_start", value=n)
    with db.atomic():
        last = _last_number(db, year)
        if last >= n:
            raise _error("start_used", year=year, start=n, last=last)
        db.set_setting(_start_key(year), str(n))


def default_copies(db: Database) -> list[str]:
    """The unit's default copy list ("نسخة منه إلى"), or just "الحفظ"."""
    value = db.setting(COPIES_SETTING)
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    return lines or list(DEFAULT_COPIES)


def record_letter(db: Database, letter: Letter, *,
                  before_commit: Callable[[Letter], Letter] | None = None) -> Letter:
    """Give the letter the next number of its date's year and store it in the outbox, in
    one transaction; return it as stored.

    ``before_commit(letter)`` runs inside the transaction, after the number is taken (the
    exporter writes the file there and returns the letter with ``file_name`` and
    ``sha256``); when it raises, nothing is stored and the number stays free.
    """
    if not letter.date:
        letter = dataclasses.replace(letter, date=dt.date.today().isoformat())
    letter = validate(letter)
    year = _check_year(int(letter.date[:4]))
    try:
        with db.atomic():
            letter = dataclasses.replace(letter, year=year, number=next_number(db, year))
            if before_commit is not None:
                letter = before_commit(letter)
            return store.insert(db, letter)
    except sqlite3.IntegrityError as exc:
        raise _error("number_taken", number=letter.number, year=year) from exc


def outbox(db: Database, year: int | None = None) -> list[Letter]:
    """The letters sent, by year and number (all years, or one)."""
    if year is None:
        return store.find(db, Letter, order_by="year, number")
    return store.find(db, Letter, "year = ?", (_check_year(year),), order_by="number")


def fingerprint(path: str | os.PathLike) -> str:
    """The SHA-256 of a file, as 64 hex digits."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def set_default_copies(db: Database, copies: list[str]) -> None:
    """Store the unit's default copy list ("نسخة منه إلى"), one entry a line; blank
    entries are dropped, and an empty list brings back the default ("الحفظ")."""
    lines = [line.strip() for item in copies for line in str(item).splitlines()
             if line.strip()]
    db.set_setting(COPIES_SETTING, "\n".join(lines))
