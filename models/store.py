"""Saving and loading records: one small API over every table.

``insert``, ``update``, ``get``, ``delete`` (to the recycle bin), ``restore`` and
``purge`` work for any record type in :mod:`models.records`. Each write validates
first (bad input changes nothing), stamps ``updated_at``, and keeps the search index in
step inside the same transaction.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TypeVar

from models import search
from models.db import Database
from models.errors import AmbiguousIdError, NotFoundError
from models.records import Record, UnitRecord, now, validate

R = TypeVar("R", bound=Record)

_MSG = {
    "not_found": ("لا يوجد سجل بالمعرّف «{id}».", "No record has the id {id!r}."),
    "ambiguous": ("المعرّف «{id}» يطابق أكثر من سجل؛ اكتب أحرفاً أكثر منه.",
                  "The id {id!r} matches more than one record; give more of it."),
}

_JSON_TYPES = ("list", "days")

# Records that hide from search while their parent is in the recycle bin.
_SEARCH_CHILDREN = {"activities": ("recommendations", "activity_id")}


def to_row(record: Record) -> dict[str, Any]:
    """The record as a row for its table: lists as JSON text, flags as 0/1."""
    row: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        kind = f.metadata.get("type")
        if kind in _JSON_TYPES:
            value = json.dumps(value, ensure_ascii=False)
        elif kind == "flag":
            value = int(bool(value))
        row[f.name] = value
    row.update(record.derived())
    return row


def from_row(record_type: type[R], row: dict[str, Any]) -> R:
    """Build a record from a row (ignoring columns the record does not know)."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(record_type):
        if f.name not in row:
            continue
        value = row[f.name]
        kind = f.metadata.get("type")
        if kind in _JSON_TYPES:
            value = json.loads(value) if value else []
        elif kind == "flag":
            value = bool(value)
        values[f.name] = value
    return record_type(**values)


def _not_found(record_id: str) -> NotFoundError:
    arabic, english = _MSG["not_found"]
    return NotFoundError(arabic.format(id=record_id), english.format(id=record_id))


def insert(db: Database, record: R) -> R:
    """Validate and add a new record; return it as stored."""
    record = validate(record)
    stamp = now()
    changes: dict[str, Any] = {"created_at": stamp, "updated_at": stamp}
    if isinstance(record, UnitRecord) and not record.unit_id:
        changes["unit_id"] = db.local_unit_id
    record = dataclasses.replace(record, **changes)
    with db.atomic():
        db.utils[record.table].insert(to_row(record))
        search.index_record(db.conn, record)
    return record


def update(db: Database, record: R) -> R:
    """Validate and store the new state of an existing record; return it as stored."""
    record = validate(record)
    record = dataclasses.replace(record, updated_at=now())
    row = to_row(record)
    row.pop("created_at")
    with db.atomic():
        if not db.scalar(f"SELECT 1 FROM {record.table} WHERE id = ?", (record.id,)):
            raise _not_found(record.id)
        db.utils[record.table].update(record.id, row)
        search.index_record(db.conn, record)
    return record


def save(db: Database, record: R) -> R:
    """Insert a record the first time, update it afterwards."""
    exists = db.scalar(f"SELECT 1 FROM {record.table} WHERE id = ?", (record.id,))
    return update(db, record) if exists else insert(db, record)


def get(db: Database, record_type: type[R], record_id: str, *,
        include_deleted: bool = False) -> R:
    """The record with this id; deleted ones only when asked for."""
    rows = db.rows(f"SELECT * FROM {record_type.table} WHERE id = ?", (record_id,))
    if not rows or (not include_deleted and rows[0].get("deleted_at")):
        raise _not_found(record_id)
    return from_row(record_type, rows[0])


def find(db: Database, record_type: type[R], where: str = "1", params: Any = (), *,
         order_by: str = "rowid", include_deleted: bool = False) -> list[R]:
    """Records matching a SQL condition on their own table (for the data layer)."""
    if issubclass(record_type, UnitRecord) and not include_deleted:
        where = f"({where}) AND deleted_at IS NULL"
    rows = db.rows(f"SELECT * FROM {record_type.table} WHERE {where} ORDER BY {order_by}",
                   params)
    return [from_row(record_type, row) for row in rows]


def resolve_id(db: Database, record_type: type[Record], text: str) -> str:
    """The full id for a full id or a unique prefix of one."""
    text = text.strip().lower()
    if not text:
        raise _not_found(text)
    ids = [r[0] for r in db.execute(
        f"SELECT id FROM {record_type.table} WHERE id >= ? AND id < ? LIMIT 2",
        (text, text + "\uffff"))]
    if not ids:
        raise _not_found(text)
    if len(ids) > 1 and text not in ids:
        arabic, english = _MSG["ambiguous"]
        raise AmbiguousIdError(arabic.format(id=text), english.format(id=text))
    return text if text in ids else ids[0]


def delete(db: Database, record_type: type[UnitRecord], record_id: str) -> None:
    """Move a record to the recycle bin: it disappears from lists and search."""
    with db.atomic():
        record = get(db, record_type, record_id)
        stamp = now()
        db.execute(f"UPDATE {record_type.table} SET deleted_at = ?, updated_at = ? "
                   "WHERE id = ?", (stamp, stamp, record_id))
        search.remove(db.conn, record.id)
        for child in _children(db, record_type, record_id):
            search.remove(db.conn, child["id"])


def restore(db: Database, record_type: type[UnitRecord], record_id: str) -> R:
    """Bring a record back from the recycle bin."""
    with db.atomic():
        record = get(db, record_type, record_id, include_deleted=True)
        record = dataclasses.replace(record, deleted_at=None, updated_at=now())
        db.execute(f"UPDATE {record_type.table} SET deleted_at = NULL, updated_at = ? "
                   "WHERE id = ?", (record.updated_at, record_id))
        search.index_record(db.conn, record)
        for child in _children(db, record_type, record_id):
            search.index_row(db.conn, search.TYPE_OF_TABLE[child["_table"]], child)
    return record


def _children(db: Database, record_type: type[Record], record_id: str) -> list[dict[str, Any]]:
    if record_type.table not in _SEARCH_CHILDREN:
        return []
    table, key = _SEARCH_CHILDREN[record_type.table]
    return db.rows(f"SELECT *, '{table}' AS _table FROM {table} "
                   f"WHERE {key} = ? AND deleted_at IS NULL", (record_id,))


def purge(db: Database, record_type: type[Record], record_id: str) -> None:
    """Remove a record for good (emptying the recycle bin)."""
    with db.atomic():
        search.remove(db.conn, record_id)
        for child in _children(db, record_type, record_id):
            search.remove(db.conn, child["id"])
        db.execute(f"DELETE FROM {record_type.table} WHERE id = ?", (record_id,))


def count(db: Database, record_type: type[Record], *, include_deleted: bool = False) -> int:
    """How many records of a type there are (not counting the recycle bin)."""
    where = ""
    if issubclass(record_type, UnitRecord) and not include_deleted:
        where = " WHERE deleted_at IS NULL"
    return db.scalar(f"SELECT count(*) FROM {record_type.table}{where}")
