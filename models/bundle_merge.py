"""Merging received data bundles into a database (the ministry centre's side).

:func:`import_bundle` checks a bundle (:func:`models.data_bundle.open_bundle`: signature
and every part's hash, before any record is read), decides whether its key is the
unit's (trust on first use), then merges its records by UUID in one transaction:

* a record not here is added; a higher ``row_version`` replaces a lower one; a lower one
  is ignored (and the conflicts kept for versions below the new one are dropped: the
  newer revision settled them);
* the same version with the same content changes nothing; with different content the
  payload whose canonical JSON has the smaller SHA-256 is kept as the record and the
  other goes to ``bundle_conflicts``, so any order of imports ends the same;
* rows keep the sender's ``row_version`` (the trigger does not raise it) and their
  origin ``unit_id``; a bundle may only carry rows of its own unit, pointing to records
  of its own unit (or to ones not received yet);
* two rows of one unit with the same unique key (attendance, certificates) but other
  ids: the later ``updated_at`` stays, the other goes to ``bundle_conflicts``.

Only the unit's current trusted key (raw bytes) signs its bundles; a new one is taken
only with ``expect_fingerprint``. A database error met while merging refuses the bundle.

A database that is not a centre (settings ``mode`` is not ``ministry``) accepts only
bundles of its own unit; a new, empty database becomes a centre with its first import.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import arabic, attachments, certificates, data_bundle, files, records, search, store
from models.data_bundle import BundleError, Opened, canonical, row_hash
from models.db import Database
from models.records import new_id, now

# Their home is models.unit_mode (light, for the pages that only ask); still here for callers.
from models.unit_mode import CENTRE, MODE_SETTING, is_centre

_MSG = {
    "not_centre": ("قاعدة البيانات هذه لوحدة وليست مركز الوزارة، فلا تقبل حزم الوحدات الأخرى "
                   "(الحزمة «{name}» من «{unit}»). استورد الحزم في قاعدة بيانات جديدة للمركز. "
                   "لم يتغير شيء.",
                   "This database belongs to a unit, not to the ministry centre, so it does "
                   "not take other units' bundles ({name} is from {unit}). Import bundles "
                   "into a new database for the centre. Nothing was changed."),
    "fingerprint": ("بصمة مفتاح الحزمة «{name}» هي {found} وليست {expected} كما طُلب. رُفضت "
                    "ولم يتغير شيء.",
                    "The bundle {name} is signed by the key {found}, not {expected} as "
                    "expected. Refused; nothing was changed."),
    "other_key": ("الحزمة «{name}» موقّعة بمفتاح ({found}) غير مفتاح الوحدة «{unit}» المعروف "
                  "هنا ({known}). رُفضت ولم يتغير شيء. إن كانت الوحدة قد استبدلت مفتاحها "
                  "فتأكد من البصمة معها ثم استوردها مع --expect-fingerprint.",
                  "The bundle {name} is signed by a key ({found}) that is not the key known "
                  "here for the unit {unit} ({known}). Refused; nothing was changed. If the "
                  "unit replaced its key, confirm the fingerprint with it, then import with "
                  "--expect-fingerprint."),
    "foreign_rows": ("الحزمة «{name}» تحمل سجلاً ({table} {id}) ليس من وحدتها. رُفضت ولم يتغير "
                     "شيء.",
                     "The bundle {name} carries a record ({table} {id}) that is not its "
                     "unit's. Refused; nothing was changed."),
    "bad_row": ("سجل غير صحيح في الجدول «{table}» من الحزمة «{name}»: {reason}. رُفضت ولم "
                "يتغير شيء.",
                "A record of the table {table} in the bundle {name} is not valid: {reason}. "
                "Refused; nothing was changed."),
    "foreign_parent": ("الحزمة «{name}» تربط سجلاً ({table} {id}) بسجل لوحدة أخرى ({column}). "
                       "رُفضت ولم يتغير شيء.",
                       "The bundle {name} links a record ({table} {id}) to another unit's "
                       "record ({column}). Refused; nothing was changed."),
    "failed": ("تعذر دمج الحزمة «{name}»: {detail}. رُفضت ولم يتغير شيء.",
               "The bundle {name} could not be merged: {detail}. Refused; nothing was "
               "changed."),
}

# The columns naming a parent record, and its table: a row may point only to its own
# unit's records (or to one not received yet).
_PARENTS = {"activity_id": "activities", "person_id": "persons",
            "recommendation_id": "recommendations", "plan_id": "plans"}
# One row per key in these tables; a unit may hard-delete one row and move another onto
# its key (models.persons.merge), so the centre may hold the loser under another id.
_UNIQUE_KEYS = {"attendance": (("activity_id", "person_id"),),
                "certificates": (("activity_id", "person_id"), ("unit_id", "serial"))}
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _error(key: str, **values: Any) -> BundleError:
    arabic, english = _MSG[key]
    return BundleError(arabic.format(**values), english.format(**values))


@dataclass
class Imported:
    """What one import did: the unit, its key, counts per table and outcome."""

    name: str
    unit_id: str
    unit_name: str
    fingerprint: str
    first_key: bool = False
    already: bool = False
    became_centre: bool = False
    added: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    older: int = 0
    conflicts: int = 0

    def as_json(self) -> dict[str, Any]:
        """For ``--json``."""
        return dict(vars(self))


def _is_empty(db: Database) -> bool:
    return not any(db.scalar(f"SELECT 1 FROM {t} LIMIT 1") for t in data_bundle.TABLES) \
        and not db.scalar("SELECT 1 FROM bundles WHERE json_extract(counts, '$.refused') "
                          "IS NULL LIMIT 1")


def _clean_fp(text: str) -> str:
    return "".join(text.split()).lower()


def _columns(db: Database, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


@contextlib.contextmanager
def _no_foreign_keys(db: Database) -> Iterator[None]:
    # A bundle may name records the centre has not received yet (a plan item's activity
    # still a draft at its unit, a bundle imported before an older one): references are
    # kept as sent and resolve when their record arrives.
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute("PRAGMA foreign_keys = ON")


def _log_refusal(db: Database, path: Path, exc: BundleError, unit_id: str = "") -> None:
    """Only the inbox log records a refused bundle."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO bundles (id, unit_id, direction, created_at, "
                   "logged_at, file_name, sha256, counts) VALUES (?, ?, 'in', ?, ?, ?, ?, ?)",
                   (new_id(), unit_id, now(), now(), path.name, digest,
                    json.dumps({"refused": exc.english}, ensure_ascii=False)))


def import_bundle(db: Database, path: Path, *,
                  expect_fingerprint: str | None = None) -> Imported:
    """Check and merge one bundle file (see the module's docstring); a refused bundle
    raises :class:`BundleError`, changes no record and is logged in ``bundles``."""
    unit_id = ""
    try:
        opened = data_bundle.open_bundle(path)
        unit_id = opened.unit_id
        try:
            with _no_foreign_keys(db), db.atomic():
                return _merge(db, opened, expect_fingerprint)
        except (sqlite3.Error, TypeError, ValueError, KeyError) as exc:
            # A bundle whose rows this database cannot take (a key clash, a wrong type)
            # is refused like any other bad bundle: logged, rolled back, explained.
            raise _error("failed", name=path.name,
                         detail=f"{type(exc).__name__}: {exc}") from exc
    except BundleError as exc:
        _log_refusal(db, path, exc, unit_id)
        raise


def _trust(db: Database, opened: Opened, expect: str | None) -> bool:
    """Whether the bundle's key may speak for its unit; True when it is the unit's first.

    Only the unit's current trusted key (``replaced_at`` IS NULL), compared by its raw
    public key bytes, signs its bundles: a key the unit replaced, or one a bundle merely
    listed, never does. A new key is taken only with ``expect`` (the fingerprint the
    operator confirmed with the unit); the key it replaces is then marked replaced."""
    kid = opened.key_id
    found = certificates.fingerprint({"id": kid})
    if expect is not None and _clean_fp(expect) != kid:
        raise _error("fingerprint", name=opened.name, found=found,
                     expected=certificates.fingerprint({"id": _clean_fp(expect)}))
    raw = _signing_raw(opened)
    rows = db.rows("SELECT id, public_key, replaced_at FROM signing_keys WHERE unit_id = ? "
                   "ORDER BY rowid", (opened.unit_id,))
    current = [r for r in rows if r["replaced_at"] is None]
    if any(bytes(r["public_key"]) == raw for r in current):
        return False
    if rows and expect is None:
        known = (current or rows)[-1]["id"]
        raise _error("other_key", name=opened.name, found=found, unit=_unit_label(opened),
                     known=certificates.fingerprint({"id": known}))
    # The first key of a unit, or a new one the operator confirmed: it alone is trusted.
    stamp = now()
    listed = next((k for k in opened.rows("signing_keys") if k.get("id") == kid), {})
    created = listed.get("created_at") or opened.manifest.get("created_at") or stamp
    db.execute("UPDATE signing_keys SET replaced_at = ? WHERE unit_id = ? AND "
               "replaced_at IS NULL AND public_key != ?", (stamp, opened.unit_id, raw))
    db.execute("INSERT OR IGNORE INTO signing_keys (id, unit_id, public_key, created_at, "
               "replaced_at) VALUES (?, ?, ?, ?, NULL)",
               (kid, opened.unit_id, raw, created))
    db.execute("UPDATE signing_keys SET replaced_at = NULL WHERE id = ? AND unit_id = ? "
               "AND public_key = ?", (kid, opened.unit_id, raw))
    if not db.scalar("SELECT 1 FROM signing_keys WHERE id = ? AND unit_id = ? AND "
                     "public_key = ?", (kid, opened.unit_id, raw)):
        raise _error("bad_row", table="signing_keys", name=opened.name, reason=kid)
    return not rows


def _signing_raw(opened: Opened) -> bytes:
    import base64

    try:
        raw = base64.b64decode(opened.manifest["key"]["public_key"], validate=True)
    except (ValueError, TypeError, KeyError) as exc:
        raise _error("bad_row", table="signing_keys", name=opened.name,
                     reason="public key") from exc
    if len(raw) != 32 or hashlib.sha256(raw).hexdigest()[:16] != opened.key_id:
        raise _error("bad_row", table="signing_keys", name=opened.name, reason="public key")
    return raw


def _unit_label(opened: Opened) -> str:
    unit = opened.manifest.get("unit", {})
    return unit.get("name") or unit.get("directorate") or opened.unit_id


def _merge(db: Database, opened: Opened, expect: str | None) -> Imported:
    result = Imported(opened.name, opened.unit_id, _unit_label(opened),
                      certificates.fingerprint({"id": opened.key_id}))
    done = db.rows("SELECT counts FROM bundles WHERE direction = 'in' AND sha256 = ?",
                   (opened.sha256,))
    if done and "refused" not in json.loads(done[0]["counts"] or "{}"):
        result.already = True
        return result
    if not is_centre(db) and opened.unit_id != db.local_unit_id:
        if not _is_empty(db):
            raise _error("not_centre", name=opened.name, unit=_unit_label(opened))
        db.set_setting(MODE_SETTING, CENTRE)
        result.became_centre = True
    result.first_key = _trust(db, opened, expect)
    _merge_unit(db, opened)
    _merge_keys(db, opened)
    touched: dict[str, list[str]] = {}
    moved: set[str] = set()  # activities an updated attendance row belonged to before
    with _bulk(db, opened):
        for table in data_bundle.TABLES:
            if table == "certificate_revisions":
                _merge_revisions(db, opened)
                continue
            touched[table] = _merge_table(db, opened, table, result,
                                          moved if table == "attendance" else None)
        _refresh(db, touched, moved)
    _keep_files(db, opened)
    counts = {t: n for t, n in opened.manifest.get("counts", {}).items()}
    db.execute("DELETE FROM bundles WHERE direction = 'in' AND sha256 = ?", (opened.sha256,))
    period = opened.manifest.get("period") or {}
    db.execute("INSERT INTO bundles (id, unit_id, direction, created_at, logged_at, "
               "file_name, sha256, full, period_start, period_end, counts, key_id) "
               "VALUES (?, ?, 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (new_id(), opened.unit_id, str(opened.manifest.get("created_at", "")), now(),
                opened.name, opened.sha256, int(bool(opened.manifest.get("full"))),
                period.get("start"), period.get("end"), json.dumps(counts), opened.key_id))
    return result


def _merge_unit(db: Database, opened: Opened) -> None:
    rows = list(opened.rows("units"))
    if len(rows) != 1 or rows[0].get("id") != opened.unit_id:
        raise _error("bad_row", table="units", name=opened.name, reason="not one unit row")
    row = rows[0]
    if row["id"] == db.local_unit_id:
        return  # a unit's own row is its settings', never overwritten by a bundle
    columns = _columns(db, "units")
    row = {k: v for k, v in row.items() if k in columns}
    existing = db.rows("SELECT * FROM units WHERE id = ?", (row["id"],))
    if existing:
        old = {k: existing[0][k] for k in row}
        newer = (row["updated_at"], _negated(row_hash(row))) > \
            (old["updated_at"], _negated(row_hash(old)))
        if old == row or not newer:
            return
        sets = ", ".join(f"{k} = ?" for k in row if k != "id")
        db.execute(f"UPDATE units SET {sets} WHERE id = ?",
                   [row[k] for k in row if k != "id"] + [row["id"]])
    else:
        db.utils["units"].insert(row)


def _negated(digest: str) -> str:
    """A key that sorts the smaller hash last, so that it wins a tie of updated_at."""
    return digest.translate(str.maketrans("0123456789abcdef", "fedcba9876543210"))


def _merge_keys(db: Database, opened: Opened) -> None:
    """Store the unit's keys the bundle lists, for verifying its certificates only: a key
    already here is left as it is, and a new one is stored as replaced (its listed date,
    or the import's), so that it never signs a bundle (see :func:`_trust`)."""
    import base64

    stamp = now()
    for key in opened.rows("signing_keys"):
        try:
            raw = base64.b64decode(key["public_key"], validate=True)
        except (ValueError, TypeError, KeyError) as exc:
            raise _error("bad_row", table="signing_keys", name=opened.name,
                         reason="public key") from exc
        if key.get("unit_id") != opened.unit_id or len(raw) != 32 \
                or hashlib.sha256(raw).hexdigest()[:16] != key.get("id"):
            raise _error("bad_row", table="signing_keys", name=opened.name,
                         reason=str(key.get("id"))[:20])
        db.execute("INSERT OR IGNORE INTO signing_keys (id, unit_id, public_key, created_at, "
                   "replaced_at) VALUES (?, ?, ?, ?, ?)",
                   (key["id"], key["unit_id"], raw, key.get("created_at") or stamp,
                    key.get("replaced_at") or stamp))


def _merge_table(db: Database, opened: Opened, table: str, result: Imported,
                 moved: set[str] | None = None) -> list[str]:
    """Merge one table's rows; return the ids whose stored row changed (and add to
    ``moved``, when given, the ``activity_id`` each replaced row had)."""
    columns = _columns(db, table)
    changed: list[str] = []
    incoming = list(opened.rows(table))
    for row in incoming:
        unknown = set(row) - columns
        version = row.get("row_version")
        if unknown or not isinstance(row.get("id"), str) or not isinstance(version, int) \
                or isinstance(version, bool) or version < 1:
            raise _error("bad_row", table=table, name=opened.name,
                         reason=", ".join(sorted(unknown)) or "id / row_version")
        if row.get("unit_id") != opened.unit_id:
            raise _error("foreign_rows", name=opened.name, table=table, id=row["id"][:8])
        if table == "attachments" and not (isinstance(row.get("sha256"), str)
                                           and _SHA256.fullmatch(row["sha256"])):
            raise _error("bad_row", table=table, name=opened.name, reason="sha256")
    ids = [row["id"] for row in incoming]
    if len(set(ids)) != len(ids):
        raise _error("bad_row", table=table, name=opened.name, reason="id twice")
    _check_parents(db, opened, table, incoming, columns)
    stored: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 20_000):
        for found in db.rows(f"SELECT * FROM {table} WHERE id IN (SELECT value FROM "
                             f"json_each(?))", (json.dumps(ids[start:start + 20_000]),)):
            stored[found["id"]] = found
    inserts: dict[tuple[str, ...], list[list[Any]]] = {}
    by_id = {row["id"]: row for row in incoming}
    for row in incoming:
        version = row["row_version"]
        names = list(row)
        found = stored.get(row["id"])
        if table in _UNIQUE_KEYS and not _wins_unique(db, opened, table, row, by_id, result,
                                                      moved):
            continue
        if found is None:
            inserts.setdefault(tuple(names), []).append([row[n] for n in names])
            result.added[table] = result.added.get(table, 0) + 1
            changed.append(row["id"])
            continue
        old = {n: found[n] for n in names}
        if old["unit_id"] != opened.unit_id:
            raise _error("foreign_rows", name=opened.name, table=table, id=row["id"][:8])
        if old == row:
            result.unchanged += 1
            continue
        if version < old["row_version"]:
            result.older += 1
            continue
        if version == old["row_version"]:
            if db.scalar("SELECT 1 FROM bundle_conflicts WHERE table_name = ? AND "
                         "record_id = ? AND row_version = ? AND payload = ? AND "
                         "resolved_at IS NOT NULL", (table, row["id"], version,
                                                     canonical(row).decode("utf-8"))):
                # A person set this version aside (models.bundle_conflicts): decided.
                result.unchanged += 1
                continue
            mine, theirs = row_hash(old), row_hash(row)
            loser = row if theirs > mine else old
            db.execute("INSERT OR IGNORE INTO bundle_conflicts (table_name, record_id, "
                       "row_version, unit_id, payload, bundle_sha256, received_at) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?)",
                       (table, row["id"], version, opened.unit_id,
                        canonical(loser).decode("utf-8"), opened.sha256, now()))
            result.conflicts += 1
            if theirs > mine:
                continue
        else:
            db.execute("DELETE FROM bundle_conflicts WHERE table_name = ? AND record_id = ? "
                       "AND row_version < ?", (table, row["id"], version))
        _write(db, table, row, same_version=version == old["row_version"])
        if moved is not None and found.get("activity_id"):
            moved.add(found["activity_id"])
        result.replaced[table] = result.replaced.get(table, 0) + 1
        changed.append(row["id"])
    for names, values in inserts.items():
        db.conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                            f"({', '.join('?' for _ in names)})", values)
    return changed


def _check_parents(db: Database, opened: Opened, table: str,
                   incoming: list[dict[str, Any]], columns: set[str]) -> None:
    """Refuse a row that points to another unit's record (a parent not here yet is fine:
    it may come in a later bundle, and then only from its own unit)."""
    for column, parent in _PARENTS.items():
        if column not in columns:
            continue
        wanted = sorted({r[column] for r in incoming if isinstance(r.get(column), str)})
        for start in range(0, len(wanted), 20_000):
            chunk = json.dumps(wanted[start:start + 20_000])
            other = db.scalar(f"SELECT id FROM {parent} WHERE id IN (SELECT value FROM "
                              f"json_each(?)) AND unit_id != ? LIMIT 1",
                              (chunk, opened.unit_id))
            if other is not None:
                row = next(r for r in incoming if r.get(column) == other)
                raise _error("foreign_parent", name=opened.name, table=table,
                             id=row["id"][:8], column=column)


def _wins_unique(db: Database, opened: Opened, table: str, row: dict[str, Any],
                 incoming: dict[str, dict[str, Any]], result: Imported,
                 moved: set[str] | None) -> bool:
    """Settle a clash of ``row`` with a stored row of another id and the same unique key
    (a person merge at the unit deletes one row and moves another onto its key): the
    row with the later ``updated_at`` (then the smaller hash) stays, whatever the order
    of imports; the other goes to ``bundle_conflicts``. False when ``row`` lost."""
    for key in _UNIQUE_KEYS[table]:
        if any(row.get(c) is None for c in key):
            continue
        where = " AND ".join(f"{c} = ?" for c in key)
        for other in db.rows(f"SELECT * FROM {table} WHERE {where} AND id != ?",
                             [*(row[c] for c in key), row["id"]]):
            if other["unit_id"] != opened.unit_id:
                raise _error("foreign_rows", name=opened.name, table=table,
                             id=row["id"][:8])
            theirs_now = incoming.get(other["id"])
            if theirs_now is not None and theirs_now.get("row_version", 0) > \
                    other["row_version"] and any(theirs_now.get(c) != other[c] for c in key):
                continue  # the bundle moves it off this key: its newer version decides
            old = {n: other.get(n) for n in row}
            ours = (row.get("updated_at") or "", _negated(row_hash(row)))
            theirs = (old.get("updated_at") or "", _negated(row_hash(old)))
            loser = old if ours > theirs else row
            db.execute("INSERT OR IGNORE INTO bundle_conflicts (table_name, record_id, "
                       "row_version, unit_id, payload, bundle_sha256, received_at) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?)",
                       (table, loser["id"], loser.get("row_version"), opened.unit_id,
                        canonical(loser).decode("utf-8"), opened.sha256, now()))
            result.conflicts += 1
            if loser is row:
                return False
            db.execute(f"DELETE FROM {table} WHERE id = ?", (other["id"],))
            if moved is not None and other.get("activity_id"):
                moved.add(other["activity_id"])
    return True


def _write(db: Database, table: str, row: dict[str, Any], *, same_version: bool) -> None:
    """Overwrite a stored row with the sender's, keeping the sender's row_version: the
    trigger raises the version only when updated_at changes and row_version does not, so a
    same-version write passes through a version no row has (-1) first."""
    names = [n for n in row if n != "id"]
    values = [(-1 if n == "row_version" and same_version else row[n]) for n in names]
    db.execute(f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
               [*values, row["id"]])
    if same_version:
        db.execute(f"UPDATE {table} SET row_version = ? WHERE id = ?",
                   (row["row_version"], row["id"]))


def _keep_files(db: Database, opened: Opened) -> None:
    """Put the bundle's attached files where this database keeps them (by content hash:
    a file already there is the same file). Written before the transaction commits: a
    file left by a rolled-back import is only an unused copy."""
    mimes = {r.get("sha256"): r.get("mime", "") for r in opened.rows("attachments")}
    for name, content in opened.parts.items():
        if not name.startswith("files/"):
            continue
        digest = name.removeprefix("files/")
        if hashlib.sha256(content).hexdigest() != digest:
            raise _error("bad_row", table="files", name=opened.name, reason=digest[:12])
        target = attachments.file_path(db, digest, mimes.get(digest, ""))
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            files.write_file(target, content)


def _merge_revisions(db: Database, opened: Opened) -> None:
    """Certificate revisions are history: added once, never changed."""
    for row in opened.rows("certificate_revisions"):
        cert = row.get("certificate_id")
        owner = db.scalar("SELECT unit_id FROM certificates WHERE id = ?", (cert,))
        if owner != opened.unit_id:
            raise _error("foreign_rows", name=opened.name, table="certificate_revisions",
                         id=str(cert)[:8])
        try:
            db.execute("INSERT OR IGNORE INTO certificate_revisions (certificate_id, revision, "
                       "holder_name, signature, reason, replaced_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (cert, row["revision"], row["holder_name"], row["signature"],
                        row["reason"], row["replaced_at"]))
        except KeyError as exc:
            raise _error("bad_row", table="certificate_revisions", name=opened.name,
                         reason=str(exc)) from exc


_TYPES = {t.table: t for t in records.RECORD_TYPES}
# FTS5 keeps this many bytes of new index data in memory before writing a segment (the
# default is 1 MiB): a large bundle's documents go in as a few big segments, not hundreds.
_FTS_HASH = 64 * 1024 * 1024


# From this many attendance rows in a bundle, the attendee-count triggers (one UPDATE of
# an activity per attendance row) are off during the merge, and the counts of the
# activities concerned are set in one statement after it.
BULK_ATTENDANCE = 500
# The page cache during a merge (KiB; only what is used is allocated): rows keyed by
# random UUIDs are written all over the tables and indexes.
_MERGE_CACHE_KIB = 256 * 1024


@contextlib.contextmanager
def _bulk(db: Database, opened: Opened) -> Iterator[None]:
    """Inside the merge's transaction: a large page cache and, for a bundle with many
    attendance rows, the attendee-count triggers dropped and put back from their own SQL
    (:func:`_refresh` recounts). On an error the caller's rollback brings them back."""
    from models import schema

    conn = db.conn
    attendance = opened.manifest.get("counts", {}).get("attendance", 0)
    triggers = schema.count_trigger_sql(conn) \
        if isinstance(attendance, int) and attendance >= BULK_ATTENDANCE else []
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-_MERGE_CACHE_KIB}")
    try:
        for name in schema.ATTENDEE_COUNT_TRIGGERS if triggers else ():
            conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        yield
        for sql in triggers:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")


def _refresh(db: Database, touched: dict[str, list[str]], moved: set[str] = frozenset()
             ) -> None:
    """Derived columns, attendee counts and the search index of the rows that changed, in
    passes over those rows only (however many: a centre's other units are not read).
    ``moved``: activities whose attendance rows may have left them."""
    for table, ids in touched.items():
        record_type = _TYPES.get(table)
        if ids and record_type is not None and record_type.derived is not records.Record.derived:
            _derive(db, record_type, ids)
    acts = set(touched.get("activities", [])) | set(moved)
    attended = touched.get("attendance", [])
    sub = "(SELECT value FROM json_each(?))"
    if attended:
        acts.update(r[0] for r in db.execute(
            f"SELECT DISTINCT activity_id FROM attendance WHERE id IN {sub}",
            (json.dumps(attended),)))
    if acts:
        db.execute("UPDATE activities SET attendees = (SELECT count(*) FROM attendance t "
                   "WHERE t.activity_id = activities.id AND t.deleted_at IS NULL) "
                   f"WHERE id IN {sub}", (json.dumps(sorted(acts)),))
    wanted: dict[str, set[str]] = {}
    for table, ids in touched.items():
        doc_type = search.TYPE_OF_TABLE.get(table)
        if doc_type is not None and ids:
            wanted.setdefault(doc_type, set()).update(ids)
    recs = wanted.setdefault("recommendation", set())
    if touched.get(search.NOTES_TABLE):
        # A note is found through its recommendation's document.
        recs.update(r[0] for r in db.execute(
            f"SELECT DISTINCT recommendation_id FROM recommendation_notes WHERE id IN {sub}",
            (json.dumps(touched[search.NOTES_TABLE]),)))
    if acts:
        # A recommendation leaves search while its activity is in the recycle bin.
        recs.update(r[0] for r in db.execute(
            f"SELECT id FROM recommendations WHERE activity_id IN {sub}",
            (json.dumps(sorted(acts)),)))
    if any(wanted.values()):
        with _fts_hash(db):
            search.reindex(db.conn, wanted, words=arabic.IndexWordsCache())


def _derive(db: Database, record_type: type[records.Record], ids: list[str]) -> None:
    """Set the derived columns (a person's name and phone keys) of these rows."""
    changed: list[dict[str, Any]] = []
    for start in range(0, len(ids), 20_000):
        cur = db.execute(f"SELECT * FROM {record_type.table} WHERE id IN "
                         f"(SELECT value FROM json_each(?))",
                         (json.dumps(ids[start:start + 20_000]),))
        names = [d[0] for d in cur.description]
        for row in cur.fetchall():
            values = dict(zip(names, row, strict=True))
            keys = store.from_row(record_type, values).derived()
            if any(values.get(column) != value for column, value in keys.items()):
                changed.append({**keys, "id": values["id"]})
    if changed:
        columns = ", ".join(f"{c} = :{c}" for c in changed[0] if c != "id")
        db.conn.executemany(f"UPDATE {record_type.table} SET {columns} WHERE id = :id", changed)


@contextlib.contextmanager
def _fts_hash(db: Database) -> Iterator[None]:
    setting = "INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', ?)"
    try:
        row = db.conn.execute("SELECT v FROM search_fts_config WHERE k = 'hashsize'").fetchone()
        db.conn.execute(setting, (_FTS_HASH,))
    except sqlite3.OperationalError:  # an SQLite without the setting: nothing changes
        yield
        return
    try:
        yield
    finally:
        db.conn.execute(setting, (row[0] if row else 1024 * 1024,))


def units(db: Database, text: str) -> list[str]:
    """The ids of the units ``text`` names: an id prefix, or a word of a unit's
    directorate or name (for ``list --unit``)."""
    text = text.strip()
    rows = db.rows("SELECT id, directorate, name FROM units")
    return [r["id"] for r in rows
            if r["id"].startswith(text.lower())
            or (text and (text in r["directorate"] or text in r["name"]))]
