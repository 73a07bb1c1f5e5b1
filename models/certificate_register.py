"""The certificate register (سجل الشهادات): every certificate issued, searchable, newest first.

One row per certificate with its holder, activity, dates and printing history
(:class:`RegisterRow`). :func:`register` reads a page of them and :func:`count` counts
them, both narrowed the same way: a search (the serial in any case and with Arabic-Indic
digits, part of the holder's name or of the activity's title, spelled with any hamza
form, ة or ه, ى or ي, with or without tashkeel), an activity, a year, and whether
cancelled certificates (moved to the recycle bin) are listed too.

The search folds each row's serial, name and title with :func:`models.arabic.search_key`
inside SQLite (a Python function on the connection), the folded text cached per distinct
row, so that a search over twenty thousand certificates stays well under a tenth of a
second once the keys are made. Every word of the query must occur in the row; a word's
attached prefixes (و، ب، ال …) are stripped first, so "الورشة" finds "ورشة عمل".

The year of a certificate is the year of its serial (``PREFIX-YEAR-NNNN``: the year its
number was taken), else the year of ``issued_at``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from models.arabic import search_key, strip_prefix
from models.db import Database

__all__ = ["RegisterRow", "count", "issued_on", "register", "search_terms", "years"]

# Distinct rows whose folded text is kept: comfortably more than a unit's certificates.
_KEY_CACHE = 65536
_SERIAL_YEAR = re.compile(r"-(\d{4})-\d+$")
_TERMS_SEPARATOR = "\x1f"  # never in a folded query word (whitespace splits them)


@dataclass(frozen=True)
class RegisterRow:
    """One certificate in the register: what was printed on it and how often."""

    id: str
    serial: str
    code: str
    holder_name: str
    person_id: str | None
    activity_id: str | None
    activity_title: str
    start_date: str | None
    end_date: str | None
    issued_at: str
    reprints: int
    revision: int
    cancelled: bool


def issued_on(issued_at: str | None) -> str | None:
    """The local calendar date (ISO) of a stored UTC time such as ``issued_at``; a value
    that is already a date, or cannot be read, is returned as its first ten characters."""
    if not issued_at:
        return None
    try:
        moment = dt.datetime.fromisoformat(issued_at.replace("Z", "+00:00"))
    except ValueError:
        return issued_at[:10]
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.astimezone().date().isoformat()


def search_terms(query: str) -> tuple[str, ...]:
    """The folded words of a register search: :func:`search_key`, split on spaces, each
    with its attached prefixes stripped (a word that strips to nothing is kept whole)."""
    return tuple(strip_prefix(word) or word for word in search_key(query or "").split())


@lru_cache(maxsize=_KEY_CACHE)
def _row_key(serial: str, name: str, title: str) -> str:
    return search_key(f"{serial} {name} {title}")


@lru_cache(maxsize=256)
def _split_terms(terms: str) -> tuple[str, ...]:
    return tuple(terms.split(_TERMS_SEPARATOR))


def _matches(serial: str | None, name: str | None, title: str | None, terms: str) -> int:
    key = _row_key(serial or "", name or "", title or "")
    return int(all(term in key for term in _split_terms(terms)))


def _year_of(serial: str | None, issued_at: str | None) -> int | None:
    match = _SERIAL_YEAR.search(serial or "")
    if match:
        return int(match.group(1))
    day = issued_on(issued_at)
    return int(day[:4]) if day and day[:4].isdigit() else None


def _functions(conn: sqlite3.Connection) -> None:
    # Registered on every call: cheap, and a worker thread's own connection needs them too.
    conn.create_function("register_match", 4, _matches, deterministic=True)
    conn.create_function("register_year", 2, _year_of, deterministic=True)


def _where(query: str, activity_id: str | None, year: int | None,
           include_cancelled: bool) -> tuple[str, list[Any]]:
    clauses: list[str] = [] if include_cancelled else ["c.deleted_at IS NULL"]
    params: list[Any] = []
    if activity_id is not None:
        clauses.append("c.activity_id = ?")
        params.append(activity_id)
    if year is not None:
        clauses.append("register_year(c.serial, c.issued_at) = ?")
        params.append(int(year))
    terms = search_terms(query)
    if terms:
        clauses.append("register_match(c.serial, c.holder_name, a.title, ?)")
        params.append(_TERMS_SEPARATOR.join(terms))
    return " AND ".join(clauses) or "1", params


_FROM = "FROM certificates c LEFT JOIN activities a ON a.id = c.activity_id"


def register(db: Database, query: str = "", *, activity_id: str | None = None,
             year: int | None = None, include_cancelled: bool = False,
             limit: int | None = None, offset: int = 0) -> list[RegisterRow]:
    """The certificates matching the search and filters, newest first (by time of issue,
    then serial), optionally one page of them (``limit`` rows from ``offset``)."""
    _functions(db.conn)
    clause, params = _where(query, activity_id, year, include_cancelled)
    # The page's rowids first, sorting only the sort columns; then its rows (as the
    # persons list does): sorting twenty thousand whole rows costs ten times more.
    sql = f"SELECT c.rowid {_FROM} WHERE {clause} ORDER BY c.issued_at DESC, c.serial DESC"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    rowids = [row[0] for row in db.execute(sql, params)]
    if not rowids:
        return []
    rows = db.execute(
        f"SELECT c.rowid, c.id, c.serial, c.code, c.holder_name, c.person_id, c.activity_id, "
        f"coalesce(a.title, ''), a.start_date, a.end_date, c.issued_at, c.reprints, "
        f"c.revision, c.deleted_at IS NOT NULL {_FROM} "
        f"WHERE c.rowid IN (SELECT value FROM json_each(?))", (json.dumps(rowids),))
    by_rowid = {row[0]: RegisterRow(*row[1:13], cancelled=bool(row[13])) for row in rows}
    return [by_rowid[rowid] for rowid in rowids if rowid in by_rowid]


def count(db: Database, query: str = "", *, activity_id: str | None = None,
          year: int | None = None, include_cancelled: bool = False) -> int:
    """How many certificates :func:`register` would list with the same search and filters."""
    _functions(db.conn)
    clause, params = _where(query, activity_id, year, include_cancelled)
    return int(db.scalar(f"SELECT count(*) {_FROM} WHERE {clause}", params))


def years(db: Database, *, include_cancelled: bool = False) -> list[int]:
    """The years that have certificates, newest first (for a year filter)."""
    _functions(db.conn)
    clause = "1" if include_cancelled else "c.deleted_at IS NULL"
    rows = db.execute(f"SELECT DISTINCT register_year(c.serial, c.issued_at) "
                      f"FROM certificates c WHERE {clause}")
    return sorted((row[0] for row in rows if row[0] is not None), reverse=True)
