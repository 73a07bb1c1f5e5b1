"""Resolving a conflict a merge kept aside (``bundle_conflicts``) at the ministry centre.

:func:`resolve_conflict` settles one conflict by a person's choice: keep the record as it
is here (``current``), or adopt the version set aside (``other``). Adopting writes the
other payload at the same ``row_version`` (the trigger does not raise it), keeps the
replaced row as an already-resolved conflict so nothing is lost, and refreshes the
record's derived columns and search entry, all in one transaction.

A resolved entry is what a later import of either version meets: the merge takes a
same-version row equal to a resolved entry's payload as already decided
(:mod:`models.bundle_merge`), so the choice stays; a newer revision still replaces it.
"""

from __future__ import annotations

import json
from typing import Any

from models import bundle_merge, data_bundle
from models.data_bundle import canonical
from models.db import Database
from models.errors import IttisalError
from models.records import now

KEEP = ("current", "other")

_MSG = {
    "unknown": ("لا يوجد تعارض برقم {id}.", "There is no conflict number {id}."),
    "resolved": ("التعارض رقم {id} حُلّ من قبل؛ لم يتغير شيء.",
                 "The conflict {id} was already resolved; nothing was changed."),
    "keep": ("الاختيار «{keep}» غير معروف: current أو other.",
             "Unknown choice {keep}: current or other."),
    "changed": ("السجل الذي يخصه التعارض رقم {id} لم يعد بنسخته ({version}) هنا، فلا يمكن "
                "اعتماد النسخة الأخرى. أبقِ الحالي. لم يتغير شيء.",
                "The record of the conflict {id} is no longer at its revision ({version}) "
                "here, so the other version cannot be adopted. Keep the current one. "
                "Nothing was changed."),
}


class ConflictError(IttisalError):
    """A conflict that cannot be resolved as asked (unknown, already resolved, stale)."""


def _error(key: str, **values: Any) -> ConflictError:
    arabic, english = _MSG[key]
    return ConflictError(arabic.format(**values), english.format(**values))


def sides(db: Database, conflict_id: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The conflict's row (``payload`` decoded under ``other``) and the record as it is
    here (None when it is not), for showing both before choosing."""
    rows = db.rows("SELECT * FROM bundle_conflicts WHERE id = ?", (conflict_id,))
    if not rows:
        raise _error("unknown", id=conflict_id)
    conflict = dict(rows[0])
    conflict["other"] = json.loads(conflict["payload"])
    if conflict["table_name"] not in data_bundle.TABLES:
        return conflict, None
    current = db.rows(f"SELECT * FROM {conflict['table_name']} WHERE id = ?",
                      (conflict["record_id"],))
    return conflict, (dict(current[0]) if current else None)


def titles(db: Database, conflict_id: int) -> tuple[str, str]:
    """The record's title here and in the version set aside ('' where it has none)."""
    from models.outbox import _TITLES

    conflict, current = sides(db, conflict_id)
    column = _TITLES.get(conflict["table_name"])
    if not column:
        return "", ""
    return (str((current or {}).get(column) or ""),
            str(conflict["other"].get(column) or ""))


def resolve_conflict(db: Database, conflict_id: int, keep: str) -> None:
    """Settle the conflict ``conflict_id``: ``keep='current'`` leaves the record as it is,
    ``keep='other'`` makes the set-aside version the record (see the module's docstring).
    Raises :class:`ConflictError` for an unknown or already-resolved conflict, or when
    the record has moved past the conflict's revision."""
    if keep not in KEEP:
        raise _error("keep", keep=keep)
    with bundle_merge._no_foreign_keys(db), db.atomic():
        conflict, current = sides(db, conflict_id)
        if conflict["resolved_at"] is not None:
            raise _error("resolved", id=conflict_id)
        stamp = now()
        if keep == "other":
            _adopt(db, conflict, current, stamp)
        db.execute("UPDATE bundle_conflicts SET resolved_at = ? WHERE id = ?",
                   (stamp, conflict_id))


def _adopt(db: Database, conflict: dict[str, Any], current: dict[str, Any] | None,
           stamp: str) -> None:
    table, version = conflict["table_name"], conflict["row_version"]
    if current is None or current.get("row_version") != version:
        raise _error("changed", id=conflict["id"], version=version)
    columns = bundle_merge._columns(db, table)
    other = {k: v for k, v in conflict["other"].items() if k in columns}
    if other.get("id") != conflict["record_id"]:
        # A unique-key clash keeps another id aside: not a version of this record.
        raise _error("changed", id=conflict["id"], version=version)
    replaced = {k: current[k] for k in conflict["other"] if k in current}
    payload = canonical(replaced).decode("utf-8")
    db.execute("INSERT OR IGNORE INTO bundle_conflicts (table_name, record_id, row_version, "
               "unit_id, payload, bundle_sha256, received_at, resolved_at) VALUES "
               "(?, ?, ?, ?, ?, ?, ?, ?)",
               (table, conflict["record_id"], version, conflict["unit_id"], payload,
                conflict["bundle_sha256"], stamp, stamp))
    # Already listed (adopted, then adopted back): it is decided now too.
    db.execute("UPDATE bundle_conflicts SET resolved_at = ? WHERE table_name = ? AND "
               "record_id = ? AND row_version = ? AND payload = ? AND resolved_at IS NULL",
               (stamp, table, conflict["record_id"], version, payload))
    bundle_merge._write(db, table, other, same_version=True)
    moved = {current["activity_id"]} if table == "attendance" and current.get("activity_id") \
        else set()
    bundle_merge._refresh(db, {table: [conflict["record_id"]]}, moved)
