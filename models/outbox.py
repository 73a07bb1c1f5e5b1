"""Reading the outbox and the inbox log for the app: the letters sent, the data bundles
made here or received (``bundles``), the conflicts a merge kept aside, what a bundle made
now would carry, and a received bundle's identity before it is imported.

Nothing here writes: bundles are written by :mod:`models.data_bundle` and merged by
:mod:`models.bundle_merge`, letters recorded by :mod:`models.letters`. The tables keep a
file's name and fingerprint, not its folder, so :func:`find_file` looks for a file by
name in the folders the caller knows and believes it only when its SHA-256 matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from models import bundle_merge, certificates, data_bundle
from models.db import Database
from models.records import now

__all__ = ["BundleCheck", "BundleRow", "ConflictRow", "LetterRow", "Pending", "bundles",
           "check_bundle", "conflicts", "find_file", "import_offered", "letters", "pending"]


@dataclass(frozen=True)
class LetterRow:
    """One letter of the outbox, as its list shows it."""

    id: str
    year: int
    number: int
    date: str
    addressee: str
    subject: str
    file_name: str
    sha256: str


@dataclass(frozen=True)
class BundleRow:
    """One line of the bundles log: a bundle made here ('out') or received ('in').
    ``refused`` is the refusal's reason (English, as logged) for a refused import."""

    id: str
    direction: str
    unit_id: str
    unit_name: str
    created_at: str
    logged_at: str
    file_name: str
    sha256: str
    full: bool
    period_start: str | None
    period_end: str | None
    counts: dict[str, int]
    refused: str | None


@dataclass(frozen=True)
class ConflictRow:
    """A record received in two different versions of one revision (the other kept
    aside in ``bundle_conflicts``), waiting for a person."""

    id: int
    table: str
    record_id: str
    row_version: int
    unit_id: str
    unit_name: str
    received_at: str
    title: str


@dataclass(frozen=True)
class Pending:
    """What a bundle made now would carry: rows per table, and the activities and plans
    it would mark sent."""

    counts: dict[str, int]
    activities: int
    plans: int

    @property
    def empty(self) -> bool:
        """No row at all to send."""
        return not any(self.counts.values())

    @property
    def nothing_approved(self) -> bool:
        """No activity or plan approved (or approved again) since the last bundle: an
        incremental bundle is not worth making for the people and coverage alone."""
        return not (self.activities or self.plans)


@dataclass
class BundleCheck:
    """A received bundle checked (signature and hashes) but not imported: who sent it,
    its key, and whether that key is new to this database for the unit."""

    path: Path
    unit_id: str
    unit_name: str
    key_id: str
    fingerprint: str
    sha256: str
    first_key: bool
    other_key: bool
    counts: dict[str, int] = field(default_factory=dict)


def letters(db: Database) -> list[LetterRow]:
    """The letters sent, newest first (by date, then number); deleted ones left out."""
    rows = db.rows("SELECT id, year, number, date, addressee, subject, file_name, sha256 "
                   "FROM letters WHERE deleted_at IS NULL "
                   "ORDER BY date DESC, year DESC, number DESC")
    return [LetterRow(**row) for row in rows]


def _counts(text: str | None) -> tuple[dict[str, int], str | None]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}, None
    if not isinstance(data, dict):
        return {}, None
    refused = data.pop("refused", None)
    return {k: v for k, v in data.items() if isinstance(v, int)}, refused


def bundles(db: Database, direction: str | None = None) -> list[BundleRow]:
    """The bundles log, newest first: made here ('out'), received ('in'), or both."""
    where, params = ("WHERE b.direction = ?", (direction,)) if direction else ("", ())
    rows = db.rows("SELECT b.*, coalesce(nullif(u.name, ''), nullif(u.directorate, ''), '') "
                   "AS unit_name FROM bundles b LEFT JOIN units u ON u.id = b.unit_id "
                   f"{where} ORDER BY b.logged_at DESC, b.created_at DESC", params)
    result = []
    for row in rows:
        counts, refused = _counts(row["counts"])
        result.append(BundleRow(
            id=row["id"], direction=row["direction"], unit_id=row["unit_id"],
            unit_name=row["unit_name"], created_at=row["created_at"],
            logged_at=row["logged_at"], file_name=row["file_name"], sha256=row["sha256"],
            full=bool(row["full"]), period_start=row["period_start"],
            period_end=row["period_end"], counts=counts, refused=refused))
    return result


_TITLES = {"activities": "title", "plans": "title", "plan_items": "title",
           "coverage_items": "title", "persons": "full_name", "recommendations": "text",
           "outlets": "name", "attachments": "filename"}


def conflicts(db: Database, *, unresolved: bool = True) -> list[ConflictRow]:
    """The conflicts kept aside by merges, newest first: the table, the record, its
    origin unit, when it was received, and the record's title where it has one."""
    where = "WHERE c.resolved_at IS NULL" if unresolved else ""
    rows = db.rows("SELECT c.id, c.table_name, c.record_id, c.row_version, c.unit_id, "
                   "c.received_at, c.payload, coalesce(nullif(u.name, ''), "
                   "nullif(u.directorate, ''), '') AS unit_name FROM bundle_conflicts c "
                   f"LEFT JOIN units u ON u.id = c.unit_id {where} "
                   "ORDER BY c.received_at DESC, c.id DESC")
    result = []
    for row in rows:
        title = ""
        column = _TITLES.get(row["table_name"])
        if column:
            try:
                title = str(json.loads(row["payload"]).get(column) or "")
            except (ValueError, AttributeError):
                title = ""
        result.append(ConflictRow(row["id"], row["table_name"], row["record_id"],
                                  row["row_version"], row["unit_id"], row["unit_name"],
                                  row["received_at"], title))
    return result


def pending(db: Database, *, full: bool = False) -> Pending:
    """What :func:`models.data_bundle.export` would put in a bundle now (``full``: every
    record of the unit), read without writing anything."""
    selection = data_bundle.select(db, full=full, stamp=now())
    counts = {table: len(rows) for table, rows in selection.rows.items()}
    return Pending(counts, len(selection.sent["activity"]), len(selection.sent["plan"]))


def _has_records(db: Database) -> bool:
    return any(db.scalar(f"SELECT 1 FROM {table} LIMIT 1") for table in data_bundle.TABLES)


def import_offered(db: Database) -> bool:
    """Whether the app offers to import units' bundles: at a ministry centre, and on a
    database with no records yet (its first import makes it a centre)."""
    return bundle_merge.is_centre(db) or not _has_records(db)


def check_bundle(db: Database, path: Path) -> BundleCheck:
    """Check a received bundle (:func:`models.data_bundle.open_bundle`: names, sizes,
    signature, every part's hash) and say who sent it and whether its key is the first
    this database sees for that unit (a person confirms its fingerprint) or another
    than the one it knows. Raises :class:`~models.data_bundle.BundleError`; writes
    nothing (a refusal is logged by the import itself)."""
    opened = data_bundle.open_bundle(Path(path))
    known = [r[0] for r in db.execute("SELECT id FROM signing_keys WHERE unit_id = ?",
                                      (opened.unit_id,))]
    unit = opened.manifest.get("unit", {})
    counts = opened.manifest.get("counts", {})
    return BundleCheck(
        path=Path(path), unit_id=opened.unit_id,
        unit_name=str(unit.get("name") or unit.get("directorate") or opened.unit_id),
        key_id=opened.key_id, fingerprint=certificates.fingerprint({"id": opened.key_id}),
        sha256=opened.sha256, first_key=not known,
        other_key=bool(known) and opened.key_id not in known,
        counts={k: v for k, v in counts.items() if isinstance(v, int)})


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_file(name: str, sha256: str, folders: Iterable[Path]) -> Path | None:
    """The file called ``name`` in the first of ``folders`` that holds it with the
    recorded SHA-256 (the outbox keeps a file's name and fingerprint, not its folder);
    None when no folder has it unchanged."""
    if not name or Path(name).name != name:
        return None
    seen: set[Path] = set()
    for folder in folders:
        candidate = Path(folder) / name
        if candidate in seen:
            continue
        seen.add(candidate)
        try:
            if candidate.is_file() and (not sha256 or _sha256(candidate) == sha256):
                return candidate
        except OSError:
            continue
    return None
