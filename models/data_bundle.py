"""Data bundles (``.ittisal``): a unit's records sent up to the ministry's centre.

Not :mod:`models.activity_bundle` (the activity form's in-memory bundle): this module
writes and checks the signed file a unit sends, :mod:`models.bundle_merge` merges it
into a centre's database. The format is described in ``docs/bundle-format.md``.

A bundle is a zip holding ``manifest.json``, ``manifest.sig`` (the Ed25519 signature of
the manifest's exact bytes, base64), one JSON Lines file per table under ``tables/`` and
the attached files under ``files/<sha256>``. The manifest names every other part with its
SHA-256, so the one signature covers everything. It is signed with the unit's
certificate key (:mod:`models.certificates`): one key to keep and back up, and the
centre that trusts it for bundles can verify the unit's certificates with it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from models import approval, attachments, certificates, files
from models.db import Database
from models.errors import IttisalError
from models.records import new_id, now
from models.schema import SCHEMA_VERSION

FORMAT = "ittisal-bundle"
FORMAT_VERSION = 1
EXTENSION = ".ittisal"

#: The tables a bundle carries, in the order a merge writes them (parents first).
TABLES = ("persons", "activities", "attendance", "recommendations", "recommendation_notes",
          "plans", "plan_items", "coverage_items", "outlets", "attachments", "certificates",
          "certificate_revisions")

#: Columns never sent: derived here from the others (a person's name and phone keys, the
#: attendee count kept by triggers), so a centre recomputes them with its own rules.
DERIVED = {"persons": ("name_key", "phone_key"), "activities": ("attendees",)}

#: The units row's references to files on the unit's own computer mean nothing elsewhere.
UNIT_LOCAL = ("logo_path", "letterhead_path", "signature_path")

# Limits a received file is held to before anything in it is believed.
MAX_ENTRIES = 200_000
MAX_PART = 1 << 30           # one part, uncompressed
MAX_TOTAL = 4 << 30          # every part together, uncompressed
MAX_MANIFEST = 4 << 20
MAX_RATIO = 100              # uncompressed / compressed, for parts above 1 MiB
_PART_NAME = re.compile(r"(?:manifest\.json|manifest\.sig|tables/[a-z_]+\.jsonl|"
                        r"files/[0-9a-f]{64})")

_MSG = {
    "no_key": ("لا يوجد مفتاح توقيع للوحدة على هذا الحاسوب، فلا يمكن توقيع الحزمة. {detail}",
               "There is no signing key of the unit on this computer, so the bundle cannot "
               "be signed. {detail}"),
    "missing_file": ("الملف المرفق «{name}» غير موجود في مجلد المرفقات؛ لم تُكتب الحزمة.",
                     "The attached file {name} is missing from the attachments folder; the "
                     "bundle was not written."),
    "unreadable": ("تعذّرت قراءة الحزمة «{name}»: {reason}. لم يتغير شيء.",
                   "Cannot read the bundle {name}: {reason}. Nothing was changed."),
    "not_zip": ("الملف «{name}» ليس حزمة بيانات سليمة (ملفاً مضغوطاً): قد يكون مقطوعاً أو "
                "تالفاً. لم يتغير شيء.",
                "{name} is not a sound data bundle (zip): it may be truncated or damaged. "
                "Nothing was changed."),
    "bad_entry": ("في الحزمة «{name}» جزء غير مقبول «{entry}» (اسم يخرج من مجلده أو غير "
                  "معروف). رُفضت الحزمة ولم يتغير شيء.",
                  "The bundle {name} holds an entry that is not accepted, {entry!r} (a name "
                  "that climbs out of its folder, or unknown). Refused; nothing was changed."),
    "duplicate": ("في الحزمة «{name}» الجزء «{entry}» مكرر. رُفضت الحزمة ولم يتغير شيء.",
                  "The bundle {name} holds {entry!r} twice. Refused; nothing was changed."),
    "too_big": ("الجزء «{entry}» في الحزمة «{name}» أكبر من المقبول أو مضغوط ضغطاً مريباً "
                "(قنبلة ضغط). رُفضت الحزمة ولم يتغير شيء.",
                "The entry {entry!r} of the bundle {name} is too large or suspiciously "
                "compressed (a zip bomb). Refused; nothing was changed."),
    "no_manifest": ("الحزمة «{name}» بلا بيان (manifest) أو توقيع. رُفضت ولم يتغير شيء.",
                    "The bundle {name} has no manifest or signature. Refused; nothing was "
                    "changed."),
    "bad_manifest": ("بيان الحزمة «{name}» غير مقروء: {reason}. رُفضت ولم يتغير شيء.",
                     "The manifest of the bundle {name} cannot be read: {reason}. Refused; "
                     "nothing was changed."),
    "newer_format": ("الحزمة «{name}» من إصدار أحدث من البرنامج (صيغة {found}، مخطط {schema})؛ "
                     "حدّث البرنامج ثم استوردها. لم يتغير شيء.",
                     "The bundle {name} comes from a newer version of the app (format "
                     "{found}, schema {schema}); update the app, then import it. Nothing "
                     "was changed."),
    "bad_signature": ("توقيع الحزمة «{name}» غير صحيح: عُدّلت بعد توقيعها أو ليست من الوحدة "
                      "التي تذكرها. رُفضت ولم يتغير شيء.",
                      "The signature of the bundle {name} is not valid: it was changed after "
                      "it was signed, or it is not from the unit it names. Refused; nothing "
                      "was changed."),
    "bad_hash": ("الجزء «{entry}» في الحزمة «{name}» لا يطابق بصمته في البيان: عُدّل أو تلف. "
                 "رُفضت الحزمة ولم يتغير شيء.",
                 "The part {entry!r} of the bundle {name} does not match its hash in the "
                 "manifest: it was changed or damaged. Refused; nothing was changed."),
    "missing_part": ("الجزء «{entry}» المذكور في بيان الحزمة «{name}» غير موجود فيها. رُفضت "
                     "ولم يتغير شيء.",
                     "The part {entry!r} named in the manifest of the bundle {name} is not in "
                     "it. Refused; nothing was changed."),
    "bad_rows": ("الجدول «{entry}» في الحزمة «{name}» غير مقروء: {reason}. رُفضت ولم يتغير "
                 "شيء.",
                 "The table {entry!r} of the bundle {name} cannot be read: {reason}. "
                 "Refused; nothing was changed."),
    "no_public_key": ("لا يوجد مفتاح عام للوحدة بعد؛ يُنشأ مع أول شهادة أو حزمة.",
                      "The unit has no public key yet; it is made with its first certificate "
                      "or bundle."),
}


class BundleError(IttisalError):
    """A bundle cannot be written, or a received one is refused (nothing was changed)."""


def _error(key: str, **values: Any) -> BundleError:
    arabic, english = _MSG[key]
    return BundleError(arabic.format(**values), english.format(**values))


def canonical(row: dict[str, Any]) -> bytes:
    """A row as one JSON line's bytes: keys sorted, UTF-8, no spaces (what the hashes of a
    record and the conflict rule compare)."""
    return json.dumps(row, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def row_hash(row: dict[str, Any]) -> str:
    """The SHA-256 of a row's canonical JSON (see :func:`canonical`)."""
    return hashlib.sha256(canonical(row)).hexdigest()


def _portable(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


# --- choosing what to send -------------------------------------------------------------

@dataclass
class Selection:
    """The rows of one bundle, per table, and the activities and plans it marks sent
    (id → the ``row_version`` the bundle carries, which :func:`approval.mark_sent` marks
    only if the record is still at it)."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sent: dict[str, dict[str, int]] = field(default_factory=lambda: {"activity": {},
                                                                      "plan": {}})


def _columns(db: Database, table: str) -> list[str]:
    skip = set(DERIVED.get(table, ()))
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[1] not in skip]


def _select(db: Database, table: str, where: str, params: Iterable[Any] = ()) -> list[dict]:
    cols = _columns(db, table)
    cur = db.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where} ORDER BY "
                     f"{'certificate_id, revision' if table == 'certificate_revisions' else 'id'}",
                     tuple(params))
    return [{c: _portable(v) for c, v in zip(cols, row, strict=True)} for row in cur]


def last_out(db: Database) -> str | None:
    """When this database last made a bundle (its manifest's created_at), or None."""
    return db.scalar("SELECT max(created_at) FROM bundles WHERE direction = 'out' AND "
                     "unit_id = ?", (db.local_unit_id,))


def _in(ids: Iterable[str]) -> tuple[str, list[str]]:
    ids = sorted(set(ids))
    return "(SELECT value FROM json_each(?))", [json.dumps(ids)]


def select(db: Database, *, full: bool, stamp: str) -> Selection:
    """The rows a bundle made now carries (see ``docs/bundle-format.md``, "What a bundle
    carries"). Approved activities and plans go out as they will be once marked sent
    (status ``sent``, ``sent_at`` the bundle's time, ``sent_version`` their row version),
    so the unit's rows and the centre's stay equal. Tombstones of records sent before go
    whatever their status (a draft keeps it), without their children."""
    unit = db.local_unit_id
    since = None if full else last_out(db)
    sel = Selection()
    mine = "unit_id = ?"
    changed = "(? IS NULL OR updated_at > ?)"
    ready = "status IN ('approved', 'sent')"
    unsent = "row_version > coalesce(sent_version, 0)"
    # A record the centre has had and that is now in the bin goes as a tombstone whatever
    # its status: edited (a draft) and then deleted, it would otherwise never be sent and
    # the centre would keep it. Its row goes as it is (a draft keeps its status).
    tomb = f"sent_at IS NOT NULL AND deleted_at IS NOT NULL AND {unsent}"
    parents: dict[str, list[str]] = {}
    for table, kind in (("activities", "activity"), ("plans", "plan")):
        where = f"{mine}" if full else f"{mine} AND (({ready} AND {unsent}) OR ({tomb}))"
        rows = _select(db, table, where, [unit])
        for row in rows:
            later = row["row_version"] > (row["sent_version"] or 0)
            if row["status"] in ("approved", "sent") and later:
                row.update(status="sent", sent_at=stamp, sent_version=row["row_version"])
            elif not (later and row["sent_at"] and row["deleted_at"]):
                continue
            else:
                row.update(sent_at=stamp, sent_version=row["row_version"])
            sel.sent[kind][row["id"]] = row["row_version"]
        sel.rows[table] = rows
        # Children travel with an approved parent only, not with a draft's tombstone (its
        # children's unapproved edits stay home; the centre hides them with the parent).
        parents[table] = [r["id"] for r in rows if r["status"] == "sent"]
    if full:
        for table in TABLES:
            if table == "certificate_revisions":
                sel.rows[table] = _select(db, table, "certificate_id IN (SELECT id FROM "
                                          "certificates WHERE unit_id = ?)", [unit])
            elif table not in sel.rows:
                sel.rows[table] = _select(db, table, mine, [unit])
        return sel
    acts, plans = parents["activities"], parents["plans"]
    # Children travel with a parent that goes, or on their own when they changed since
    # the last bundle and their parent was approved or sent already.
    ready_acts = f"activity_id IN (SELECT id FROM activities WHERE {mine} AND {ready})"
    sub, ids = _in(acts)
    with_acts = f"{mine} AND (activity_id IN {sub} OR ({ready_acts} AND {changed}))"
    act_params = [unit, *ids, unit, since, since]
    for table in ("attendance", "recommendations", "certificates"):
        sel.rows[table] = _select(db, table, with_acts, act_params)
    recs = [r["id"] for r in sel.rows["recommendations"]]
    sub_r, ids_r = _in(recs)
    sel.rows["recommendation_notes"] = _select(
        db, "recommendation_notes",
        f"{mine} AND (recommendation_id IN {sub_r} OR (recommendation_id IN (SELECT id FROM "
        f"recommendations WHERE {ready_acts}) AND {changed}))",
        [unit, *ids_r, unit, since, since])
    sub_p, ids_p = _in(plans)
    sel.rows["plan_items"] = _select(
        db, "plan_items",
        f"{mine} AND (plan_id IN {sub_p} OR (plan_id IN (SELECT id FROM plans WHERE {mine} "
        f"AND {ready}) AND {changed}))", [unit, *ids_p, unit, since, since])
    sel.rows["attachments"] = _select(
        db, "attachments",
        f"{mine} AND owner_type = 'activity' AND (owner_id IN {sub} OR (owner_id IN (SELECT "
        f"id FROM activities WHERE {mine} AND {ready}) AND {changed}))",
        [unit, *ids, unit, since, since])
    certs = [r["id"] for r in sel.rows["certificates"]]
    sub_c, ids_c = _in(certs)
    sel.rows["certificate_revisions"] = _select(db, "certificate_revisions",
                                                f"certificate_id IN {sub_c}", ids_c)
    people = {r["person_id"] for r in sel.rows["attendance"] + sel.rows["certificates"]}
    sub_x, ids_x = _in(people)
    sel.rows["persons"] = _select(db, "persons", f"{mine} AND (id IN {sub_x} OR {changed})",
                                  [unit, *ids_x, since, since])
    for table in ("coverage_items", "outlets"):
        sel.rows[table] = _select(db, table, f"{mine} AND {changed}", [unit, since, since])
    return sel


# --- writing ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Exported:
    """A bundle written: its file, hash, counts and the activities and plans it sent."""

    path: Path
    sha256: str
    counts: dict[str, int]
    full: bool
    key_id: str
    period: tuple[str | None, str | None]
    sent: dict[str, int]


def _unit_row(db: Database) -> dict[str, Any]:
    cur = db.execute("SELECT * FROM units WHERE id = ?", (db.local_unit_id,))
    names = [d[0] for d in cur.description]
    row = dict(zip(names, cur.fetchone(), strict=True))
    row.update({name: "" for name in UNIT_LOCAL if name in row})
    return row


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(canonical(row) + b"\n" for row in rows)


def export(db: Database, target: Path, *, full: bool = False,
           progress: Callable[[int, int], None] | None = None) -> Exported:
    """Write a signed bundle of this unit's records to ``target`` (atomically), then, in
    one transaction, mark its activities and plans sent and log it in ``bundles``.

    ``progress(done, total)`` is called as the attached files are read and before the
    file is written; an exception it raises (the app's Cancel) stops the export with
    nothing written and nothing marked sent."""
    certificates.ensure_key(db)
    key = certificates.load_private_key(db)
    state = certificates.key_state(db)
    if key is None or state.status != "ok":
        detail = certificates.MSG.get(f"key_{state.status}", ("", ""))
        fp = certificates.fingerprint(state.current or {}) or "—"
        arabic, english = _MSG["no_key"]
        raise BundleError(arabic.format(detail=detail[0].format(fingerprint=fp)),
                          english.format(detail=detail[1].format(fingerprint=fp)))
    kid = certificates.key_id(key)
    public = key.public_key().public_bytes_raw()
    stamp = now()
    with db.atomic():  # one consistent reading of the records
        sel = select(db, full=full, stamp=stamp)
        unit = _unit_row(db)
        keys = certificates.public_keys(db)
    parts: dict[str, bytes] = {"tables/units.jsonl": _jsonl([unit]),
                               "tables/signing_keys.jsonl": _jsonl(keys)}
    for table in TABLES:
        parts[f"tables/{table}.jsonl"] = _jsonl(sel.rows[table])
    total = len(sel.rows["attachments"]) + 1
    for done, att in enumerate(sel.rows["attachments"]):
        if progress is not None:
            progress(done, total)
        name = f"files/{att['sha256']}"
        if name in parts or att["deleted_at"]:
            continue
        path = attachments.file_path(db, att["sha256"], att["mime"])
        try:
            parts[name] = path.read_bytes()
        except OSError as exc:
            raise _error("missing_file", name=att["filename"]) from exc
    dates = [d for r in sel.rows["activities"] for d in (r["start_date"], r["end_date"]) if d]
    counts = {table: len(sel.rows[table]) for table in TABLES}
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": SCHEMA_VERSION,
        "bundle_id": new_id(), "created_at": stamp, "full": full,
        "unit": {"id": unit["id"], "ministry": unit["ministry"],
                 "directorate": unit["directorate"], "name": unit["name"]},
        "key": {"id": kid, "public_key": base64.b64encode(public).decode("ascii")},
        "since": None if full else last_out(db),
        "period": {"start": min(dates) if dates else None, "end": max(dates) if dates else None},
        "counts": counts,
        "parts": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for name, data in sorted(parts.items())},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1,
                                sort_keys=True).encode("utf-8")
    signature = base64.b64encode(key.sign(manifest_bytes)) + b"\n"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("manifest.sig", signature)
        for name, data in sorted(parts.items()):
            # Attached images are compressed already.
            kind = zipfile.ZIP_STORED if name.startswith("files/") else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=kind)
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    if progress is not None:
        progress(total - 1, total)  # the last moment to stop: nothing is written yet
    placed = files.write_file(target, content)
    with db.atomic():
        sent = {kind: approval.mark_sent(db, kind, ids, stamp) if ids else 0
                for kind, ids in sel.sent.items()}
        db.execute("INSERT OR IGNORE INTO bundles (id, unit_id, direction, created_at, "
                   "logged_at, file_name, sha256, full, period_start, period_end, counts, "
                   "key_id) VALUES (?, ?, 'out', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (manifest["bundle_id"], unit["id"], stamp, now(), placed.name, digest,
                    int(full), manifest["period"]["start"], manifest["period"]["end"],
                    json.dumps(counts), kid))
    return Exported(placed, digest, counts, full, kid,
                    (manifest["period"]["start"], manifest["period"]["end"]), sent)


def public_key_export(db: Database, target: Path) -> tuple[Path, str]:
    """Write the unit's current public key (a small JSON: unit, key id, fingerprint,
    base64 raw key, PEM) for a centre that only verifies; return the file and the
    fingerprint. Never a private key."""
    state = certificates.key_state(db)
    current = state.current
    if current is None:
        raise _error("no_public_key")
    raw = base64.b64decode(current["public_key"])
    pem = Ed25519PublicKey.from_public_bytes(raw).public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
    unit = _unit_row(db)
    data = {"format": "ittisal-public-key", "unit_id": unit["id"], "unit_name": unit["name"],
            "directorate": unit["directorate"], "key_id": current["id"],
            "fingerprint": certificates.fingerprint(current),
            "public_key": current["public_key"], "created_at": current["created_at"],
            "pem": pem}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return files.write_file(target, text.encode("utf-8")), data["fingerprint"]


# --- reading ---------------------------------------------------------------------------

@dataclass
class Opened:
    """A received bundle whose signature and every part's hash were checked."""

    name: str
    sha256: str
    manifest: dict[str, Any]
    parts: dict[str, bytes]

    @property
    def unit_id(self) -> str:
        return str(self.manifest["unit"]["id"])

    @property
    def key_id(self) -> str:
        return str(self.manifest["key"]["id"])

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """The rows of one table, as the sender wrote them."""
        data = self.parts.get(f"tables/{table}.jsonl", b"")
        for number, line in enumerate(data.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise _error("bad_rows", name=self.name, entry=table,
                             reason=f"line {number}") from exc
            if not isinstance(row, dict):
                raise _error("bad_rows", name=self.name, entry=table,
                             reason=f"line {number}")
            yield row


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int) -> bytes:
    if info.file_size > limit or (info.file_size > (1 << 20)
                                  and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
        raise _error("too_big", name=name, entry=info.filename)
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit or len(data) != info.file_size:
        raise _error("too_big", name=name, entry=info.filename)
    return data


def open_bundle(path: Path) -> Opened:
    """Read and check a received bundle: safe entry names, sizes, the manifest's
    signature by the key it names, then every part's SHA-256 against the manifest. Whether
    that key is the unit's is the merge's to decide (trust on first use). Raises
    :class:`BundleError`; reads nothing into any database."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _error("unreadable", name=name,
                     reason=exc.strerror or exc.__class__.__name__) from exc
    digest = hashlib.sha256(raw).hexdigest()
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _error("not_zip", name=name) from exc
    if len(infos) > MAX_ENTRIES:
        raise _error("too_big", name=name, entry=f"{len(infos)} entries")
    seen: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        entry = info.filename
        if not _PART_NAME.fullmatch(entry) or info.is_dir():
            raise _error("bad_entry", name=name, entry=entry[:200])
        if entry in seen:
            raise _error("duplicate", name=name, entry=entry)
        seen[entry] = info
        total += info.file_size
        if total > MAX_TOTAL:
            raise _error("too_big", name=name, entry=entry)
    if "manifest.json" not in seen or "manifest.sig" not in seen:
        raise _error("no_manifest", name=name)
    try:
        manifest_bytes = _read(zf, seen["manifest.json"], name, MAX_MANIFEST)
        sig_text = _read(zf, seen["manifest.sig"], name, 4096)
        manifest = json.loads(manifest_bytes)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError("not an Ittisal bundle manifest")
        version, schema = manifest.get("format_version"), manifest.get("schema_version")
        if not isinstance(version, int) or not isinstance(schema, int):
            raise ValueError("no format or schema version")
        if version > FORMAT_VERSION or schema > SCHEMA_VERSION:
            raise _error("newer_format", name=name, found=version, schema=schema)
        public = base64.b64decode(manifest["key"]["public_key"], validate=True)
        signature = base64.b64decode(sig_text.strip(), validate=True)
        unit_id, parts = manifest["unit"]["id"], manifest["parts"]
        if not isinstance(unit_id, str) or not isinstance(parts, dict):
            raise ValueError("no unit or parts")
    except BundleError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, KeyError,
            TypeError) as exc:
        raise _error("bad_manifest", name=name, reason=str(exc)[:200] or "?") from exc
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, manifest_bytes)
    except (InvalidSignature, ValueError) as exc:
        raise _error("bad_signature", name=name) from exc
    if hashlib.sha256(public).hexdigest()[:16] != manifest["key"].get("id"):
        raise _error("bad_signature", name=name)
    listed = set(parts)
    for entry in seen:
        if entry not in ("manifest.json", "manifest.sig") and entry not in listed:
            raise _error("bad_entry", name=name, entry=entry)
    data: dict[str, bytes] = {}
    for entry in sorted(listed):
        if entry not in seen:
            raise _error("missing_part", name=name, entry=entry)
        try:
            content = _read(zf, seen[entry], name, MAX_PART)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise _error("bad_hash", name=name, entry=entry) from exc
        expected = parts[entry].get("sha256") if isinstance(parts[entry], dict) else None
        if hashlib.sha256(content).hexdigest() != expected:
            raise _error("bad_hash", name=name, entry=entry)
        data[entry] = content
    return Opened(name, digest, manifest, data)
