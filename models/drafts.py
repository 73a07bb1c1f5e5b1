"""Drafts of forms being edited, kept while the user types so that a crash loses nothing.

A form saves its whole state under a key of its own (one per open form) every second or
so while it is dirty, and deletes the draft when it is saved or discarded. Whatever is
left at the next start was interrupted, and is offered back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from models.db import Database
from models.records import now


@dataclass(frozen=True)
class Draft:
    """The unsaved state of one form."""

    key: str
    record_type: str
    record_id: str | None
    payload: dict[str, Any]
    saved_at: str


def save(db: Database, key: str, record_type: str, record_id: str | None,
         payload: dict[str, Any]) -> Draft:
    """Keep (or replace) the draft under ``key``."""
    draft = Draft(key, record_type, record_id, payload, now())
    with db.atomic():
        db.execute("INSERT INTO drafts (key, record_type, record_id, payload, saved_at) "
                   "VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                   "record_type = excluded.record_type, record_id = excluded.record_id, "
                   "payload = excluded.payload, saved_at = excluded.saved_at",
                   (key, record_type, record_id, json.dumps(payload, ensure_ascii=False),
                    draft.saved_at))
    return draft


def _from_row(row: dict[str, Any]) -> Draft | None:
    try:
        payload = json.loads(row["payload"])
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    return Draft(row["key"], row["record_type"], row["record_id"], payload, row["saved_at"])


def get(db: Database, key: str) -> Draft | None:
    """The draft under ``key``, if there is one."""
    rows = db.rows("SELECT * FROM drafts WHERE key = ?", (key,))
    return _from_row(rows[0]) if rows else None


def delete(db: Database, key: str) -> None:
    """Forget the draft under ``key`` (after saving or discarding the form)."""
    with db.atomic():
        db.execute("DELETE FROM drafts WHERE key = ?", (key,))


def all_drafts(db: Database, record_type: str | None = None) -> list[Draft]:
    """Every draft left (of one record type if given), oldest first; unreadable ones are
    skipped."""
    where, params = ("WHERE record_type = ?", (record_type,)) if record_type else ("", ())
    rows = db.rows(f"SELECT * FROM drafts {where} ORDER BY saved_at, key", params)
    return [d for row in rows if (d := _from_row(row)) is not None]
