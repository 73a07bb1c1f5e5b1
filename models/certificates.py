"""Certificates of participation: serials, Ed25519 signatures, QR text and verification.

**Serials.** A certificate gets its serial once per (person, activity): ``PREFIX-YEAR-NNNN``
(e.g. ``KRB-2026-0001``), the prefix the unit set (:attr:`Unit.certificate_prefix`, or
:data:`DEFAULT_PREFIX`), the year of issue, and the year's largest number plus one (at
least four digits). :func:`issue` takes the number and stores the certificate in one
transaction, which holds SQLite's write lock from its first statement (``BEGIN
IMMEDIATE``): two processes issuing at once queue and never share a serial. Deleted
certificates keep their serials; a number once given is never given again. Issuing
again (a reprint) keeps the serial and counts the reprint.

**Signature.** Each certificate is signed with the unit's Ed25519 key over a canonical
message (:func:`signed_message`): the UTF-8 bytes of these lines, each ended by ``\\n``::

    ittisal-certificate-v1
    <serial>
    <holder's name, folded as stored>
    <activity title, folded as stored>
    <start date, YYYY-MM-DD>
    <end date, YYYY-MM-DD (the start date for a one-day activity)>

Stored text never holds a line break (single-line fields are folded), so the lines cannot
be confused. The 64-byte signature is kept as base32 without padding (103 characters of
``A-Z2-7``) in ``signature``; ``code`` is its first 10 characters, the short code printed
under the QR for people to type.

**QR text.** One line, ``SERIAL|NAME|SIGNATURE`` (:func:`qr_payload`). ``|`` never occurs
in a serial (the prefix is cleaned) or in base32, so a name holding one is still read
right (the name is everything between the first and the last ``|``).

**Keys.** On first need the unit gets an Ed25519 key pair. The private key is a PEM file
in ``keys/<unit_id>.key`` beside the database (mode 0600, written atomically), never in
the database, so it never leaves in an export or a bundle. The public keys live in the
database (setting ``certificate_public_keys``: a JSON list of key id, unit id, public key,
created and replaced times); :func:`replace_key` makes a new pair and keeps the old
public key, so the certificates it signed still verify.

Backups carry every public key (inside the database) and a copy of the private keys
beside the backup file (``backups/keys/`` or ``<file>.keys/``, see
:mod:`models.backup_files`); a restore brings back keys the data folder lost. Losing
``keys/`` with no backup loses no verification, only the ability to sign with the old
key: the next certificate makes a new pair, and old certificates keep verifying by their
stored public keys.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from models import paths, store
from models.arabic import fold_input, to_western_digits
from models.db import Database
from models.errors import IttisalError, NotFoundError
from models.files import staged
from models.records import Activity, Certificate, Person, Unit, now, validate

__all__ = [
    "CODE_LENGTH",
    "DEFAULT_PREFIX",
    "MSG",
    "CertificateError",
    "Verification",
    "clean_prefix",
    "correct_name",
    "ensure_key",
    "find",
    "fingerprint",
    "issue",
    "next_serial",
    "private_key_path",
    "public_keys",
    "qr_payload",
    "qr_matrix",
    "qr_png",
    "qr_png_bytes",
    "replace_key",
    "revisions",
    "serial_prefix",
    "signed_message",
    "verify",
]

DEFAULT_PREFIX = "CERT"
CODE_LENGTH = 10
SEPARATOR = "|"
KEYS_SETTING = "certificate_public_keys"
MESSAGE_TAG = "ittisal-certificate-v1"

# User-facing messages: (Arabic, English).
MSG = {
    "empty": ("لم يُكتب نص للتحقق منه. اكتب رمز التحقق المطبوع تحت رمز QR أو النص الذي "
              "يقرؤه الهاتف منه.",
              "Nothing to verify. Give the short code printed under the QR code, or the "
              "text a phone reads from it."),
    "malformed": ("النص «{text}» ليس نص شهادة: يجب أن يكون بالشكل «الرقم|الاسم|التوقيع».",
                  "{text!r} is not certificate text: it must read SERIAL|NAME|SIGNATURE."),
    "short_code": ("رمز التحقق «{code}» قصير؛ يتألف الرمز من {n} حروف وأرقام.",
                   "The code {code!r} is too short; a code has {n} letters and digits."),
    "unknown_serial": ("لا توجد في السجل شهادة بالرقم «{serial}»: الرقم مغيَّر، أو الشهادة "
                       "صادرة عن جهة أخرى. الشهادة غير مؤكدة.",
                       "No certificate in the register has the serial {serial!r}: the "
                       "serial was changed, or another unit issued it. Not verified."),
    "tampered": ("الشهادة غير صحيحة: الاسم أو الرقم أو التوقيع لا يطابق التوقيع الرقمي "
                 "للشهادة ذات الرقم «{serial}».",
                 "Not genuine: the name, serial or signature does not match the digital "
                 "signature of certificate {serial}."),
    "superseded": ("هذه نسخة قديمة من الشهادة «{serial}» صُحّحت بعد طباعتها (المراجعة "
                   "{revision})؛ الشهادة الصحيحة باسم «{name}».",
                   "This is an outdated copy of certificate {serial}, corrected after it "
                   "was printed (revision {revision}); the valid one is in the name of "
                   "{name!r}."),
    "unknown_code": ("رمز التحقق «{code}» لا يطابق أي شهادة في السجل. الشهادة غير مؤكدة.",
                     "The code {code!r} matches no certificate in the register. Not "
                     "verified."),
    "cancelled": ("الشهادة «{serial}» ملغاة (نُقلت إلى سلة المحذوفات).",
                  "Certificate {serial} was cancelled (moved to the recycle bin)."),
    "record_broken": ("سجل الشهادة «{serial}» لا يطابق توقيعها الرقمي: غُيّر الاسم أو "
                      "عنوان النشاط أو تاريخه بعد إصدارها. أعد إصدارها.",
                      "The record of certificate {serial} no longer matches its signature: "
                      "the name, activity title or dates changed after it was issued. "
                      "Issue it again."),
    "no_key": ("لا يوجد مفتاح عام للتحقق من الشهادات في قاعدة البيانات هذه.",
               "This database holds no public key to verify certificates with."),
    "no_activity": ("لا يمكن إصدار شهادة لنشاط بلا تاريخ بدء.",
                    "A certificate needs an activity with a start date."),
    "cannot_write_key": ("تعذّر حفظ مفتاح التوقيع في «{path}»: {reason}.",
                         "Cannot save the signing key to {path}: {reason}."),
    "bad_year": ("السنة «{year}» غير صحيحة.", "The year {year!r} is not valid."),
}


class CertificateError(IttisalError):
    """A certificate cannot be issued, signed or read."""


def _error(key: str, **values: Any) -> CertificateError:
    arabic, english = MSG[key]
    return CertificateError(arabic.format(**values), english.format(**values))


# --- keys -----------------------------------------------------------------------------

def keys_dir(db: Database) -> Path:
    """The folder beside the database that holds the unit's private signing keys."""
    return paths.keys_dir(db.path)


def private_key_path(db: Database) -> Path:
    """The file of this unit's current private key."""
    return keys_dir(db) / f"{db.local_unit_id}.key"


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def public_keys(db: Database) -> list[dict[str, Any]]:
    """Every public key this database knows, oldest first: ``id``, ``unit_id``,
    ``public_key`` (base64 of the 32 raw bytes), ``created_at``, ``replaced_at``."""
    value = db.setting(KEYS_SETTING)
    try:
        keys = json.loads(value) if value else []
    except ValueError:
        return []
    return [k for k in keys if isinstance(k, dict) and k.get("public_key")]


def _save_public_keys(db: Database, keys: list[dict[str, Any]]) -> None:
    db.set_setting(KEYS_SETTING, json.dumps(keys, ensure_ascii=False))


def _write_private(path: Path, key: Ed25519PrivateKey) -> None:
    """Write the PEM atomically: a 0600 temporary file beside it, synced, then renamed."""
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        with staged(path.parent, private=True) as stage:
            stage.file.write(pem)
            stage.commit(path)
    except OSError as exc:
        raise _error("cannot_write_key", path=path,
                     reason=exc.strerror or exc.__class__.__name__) from exc


def _load_private(path: Path) -> Ed25519PrivateKey | None:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PrivateKey) else None


def _register(db: Database, key: Ed25519PrivateKey) -> str:
    """Add the key's public half to the stored list (once); return its id."""
    public = _raw_public(key.public_key())
    kid = _key_id(public)
    keys = public_keys(db)
    if not any(k.get("id") == kid for k in keys):
        keys.append({"id": kid, "unit_id": db.local_unit_id,
                     "public_key": base64.b64encode(public).decode("ascii"),
                     "created_at": now(), "replaced_at": None})
        _save_public_keys(db, keys)
    return kid


def _signing_key(db: Database) -> tuple[Ed25519PrivateKey, str]:
    """The unit's private key, made on first need (call inside ``db.atomic()``, so two
    processes never make two keys at once)."""
    path = private_key_path(db)
    key = _load_private(path)
    if key is None:
        key = Ed25519PrivateKey.generate()
        _write_private(path, key)
    # Also registers a key whose public half is missing (a database restored from a
    # backup older than the key).
    return key, _register(db, key)


def ensure_key(db: Database) -> str:
    """Make the unit's key pair if it has none; return the current key's id."""
    with db.atomic():
        return _signing_key(db)[1]


def replace_key(db: Database) -> str:
    """Make a new key pair for the unit; the old public key stays, so certificates
    signed with it still verify. The old private key file is removed. Returns the new
    key's id."""
    with db.atomic():
        path = private_key_path(db)
        old = _load_private(path)
        stamp = now()
        keys = public_keys(db)
        if old is not None:
            old_id = _key_id(_raw_public(old.public_key()))
            for k in keys:
                if k.get("id") == old_id and not k.get("replaced_at"):
                    k["replaced_at"] = stamp
            _save_public_keys(db, keys)
        key = Ed25519PrivateKey.generate()
        _write_private(path, key)  # replaces the old file atomically
        return _register(db, key)


def fingerprint(key: dict[str, Any]) -> str:
    """A public key's id as people compare it by eye: "1a2b 3c4d 5e6f 7a8b"."""
    kid = str(key.get("id", ""))
    return " ".join(kid[i:i + 4] for i in range(0, len(kid), 4))


def _verifiers(db: Database) -> list[Ed25519PublicKey]:
    result = []
    for k in public_keys(db):
        try:
            result.append(Ed25519PublicKey.from_public_bytes(base64.b64decode(k["public_key"])))
        except (ValueError, TypeError):
            continue
    return result


# --- serials --------------------------------------------------------------------------

def serial_prefix(db: Database) -> str:
    """The unit's prefix, cleaned (no spaces or ``|``; Latin letters upper-case), or
    :data:`DEFAULT_PREFIX`."""
    try:
        raw = store.get(db, Unit, db.local_unit_id).certificate_prefix
    except NotFoundError:
        raw = ""
    return clean_prefix(raw)


def clean_prefix(raw: str) -> str:
    """A prefix as serials carry it: folded, Western digits, Latin letters upper-case,
    spaces and ``|`` turned to dashes; :data:`DEFAULT_PREFIX` when nothing is left."""
    prefix = to_western_digits(fold_input(raw or "")).upper()
    prefix = re.sub(r"[\s|]+", "-", prefix).strip("-")
    return prefix or DEFAULT_PREFIX


def _last_number(db: Database, year: int) -> int:
    # The year's high-water mark (purged certificates leave no row behind, but their
    # numbers stay taken), and every serial still stored, whatever the prefix was then:
    # the number after "-YEAR-" never repeats within a unit and year.
    pattern = re.compile(rf"-{year}-(\d+)$")
    last = db.scalar("SELECT last FROM certificate_serials WHERE unit_id = ? AND year = ?",
                     (db.local_unit_id, year)) or 0
    for (serial,) in db.execute("SELECT serial FROM certificates WHERE unit_id = ? "
                                "AND serial LIKE ?", (db.local_unit_id, f"%-{year}-%")):
        match = pattern.search(serial)
        if match:
            last = max(last, int(match.group(1)))
    return last


def _take_number(db: Database, year: int, number: int) -> None:
    db.execute("INSERT INTO certificate_serials (unit_id, year, last) VALUES (?, ?, ?) "
               "ON CONFLICT(unit_id, year) DO UPDATE SET last = max(last, excluded.last)",
               (db.local_unit_id, year, number))


def next_serial(db: Database, year: int) -> str:
    """The serial the year's next certificate gets (taken only by :func:`issue`)."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1950 <= year <= 2100:
        raise _error("bad_year", year=year)
    return f"{serial_prefix(db)}-{year}-{_last_number(db, year) + 1:04d}"


# --- signing --------------------------------------------------------------------------

def signed_message(serial: str, holder_name: str, activity_title: str, start_date: str,
                   end_date: str | None) -> bytes:
    """The canonical bytes a certificate's signature covers (see the module's doc)."""
    lines = (MESSAGE_TAG, serial, holder_name, activity_title, start_date,
             end_date or start_date)
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def _message(cert: Certificate, activity: Activity, holder_name: str | None = None) -> bytes:
    return signed_message(cert.serial, cert.holder_name if holder_name is None else holder_name,
                          activity.title, activity.start_date or "", activity.end_date)


def _b32(signature: bytes) -> str:
    return base64.b32encode(signature).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes | None:
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:
        return None


def _signature_ok(db: Database, signature: str, message: bytes) -> bool:
    raw = _unb32(signature)
    if raw is None or len(raw) != 64:
        return False
    for key in _verifiers(db):
        try:
            key.verify(raw, message)
        except InvalidSignature:
            continue
        return True
    return False


def _sign(db: Database, cert: Certificate, activity: Activity) -> Certificate:
    key, _ = _signing_key(db)
    signature = _b32(key.sign(_message(cert, activity)))
    return dataclasses.replace(cert, signature=signature, code=signature[:CODE_LENGTH])


# --- issuing --------------------------------------------------------------------------

def find(db: Database, person_id: str, activity_id: str) -> Certificate | None:
    """The person's certificate of the activity, if one was issued (deleted ones too)."""
    found = store.find(db, Certificate, "person_id = ? AND activity_id = ?",
                       (person_id, activity_id), include_deleted=True)
    return found[0] if found else None


def issue(db: Database, person_id: str, activity_id: str, *,
          year: int | None = None) -> Certificate:
    """The person's certificate of the activity, signed; return it as stored.

    The first time, it gets the next serial of the year (``year``, default: this year)
    in the same transaction that stores it. Again (a reprint), the serial stays and
    ``reprints`` grows; if the activity's title or dates changed since it was signed, it
    is signed anew and its ``revision`` grows. The name printed is the certificate's
    (``holder_name``): a name corrected in the register stays; a person's record edited
    after the certificate was last signed carries its new name into it (re-signed too).
    """
    with db.atomic():
        person = store.get(db, Person, person_id)
        activity = store.get(db, Activity, activity_id)
        if not activity.start_date:
            raise _error("no_activity")
        existing = find(db, person.id, activity.id)
        if existing is not None:
            cert = dataclasses.replace(existing, reprints=existing.reprints + 1,
                                       deleted_at=None)
            if person.full_name != existing.person_name:
                # The person's record was corrected since this certificate was signed.
                cert = dataclasses.replace(cert, holder_name=person.full_name,
                                           person_name=person.full_name)
                cert = _resign(db, existing, cert, activity, "person")
            elif not _signature_ok(db, cert.signature, _message(cert, activity)):
                cert = _resign(db, existing, cert, activity, "activity")
            return store.update(db, cert)
        year = dt.date.today().year if year is None else year
        serial = next_serial(db, year)
        _take_number(db, year, _last_number(db, year) + 1)
        cert = validate(Certificate(person_id=person.id, activity_id=activity.id,
                                    serial=serial, holder_name=person.full_name,
                                    person_name=person.full_name, issued_at=now()))
        return store.insert(db, _sign(db, cert, activity))


def _resign(db: Database, old: Certificate, cert: Certificate, activity: Activity,
            reason: str) -> Certificate:
    """``cert`` signed anew as the next revision; the signed state it replaces is kept
    in ``certificate_revisions`` (``reason``: "name", "person" or "activity")."""
    db.execute("INSERT INTO certificate_revisions (certificate_id, revision, holder_name, "
               "signature, reason, replaced_at) VALUES (?, ?, ?, ?, ?, ?)",
               (old.id, old.revision, old.holder_name, old.signature, reason, now()))
    return _sign(db, dataclasses.replace(cert, revision=old.revision + 1), activity)


def revisions(db: Database, certificate_id: str) -> list[dict[str, Any]]:
    """The earlier signed states of a certificate, oldest first: ``revision``,
    ``holder_name``, ``signature``, ``reason`` and ``replaced_at``."""
    rows = db.execute("SELECT revision, holder_name, signature, reason, replaced_at FROM "
                      "certificate_revisions WHERE certificate_id = ? ORDER BY revision",
                      (certificate_id,))
    keys = ("revision", "holder_name", "signature", "reason", "replaced_at")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def correct_name(db: Database, certificate_id: str, new_name: str) -> Certificate:
    """Correct the holder's name: re-signed under the same serial, ``revision`` + 1, the
    state before kept in :func:`revisions`. Copies printed before no longer verify (they
    are reported as outdated). The person's record is not changed."""
    with db.atomic():
        old = store.get(db, Certificate, certificate_id)
        activity = store.get(db, Activity, old.activity_id)
        cert = validate(dataclasses.replace(old, holder_name=new_name))
        if cert.holder_name == old.holder_name:
            return old  # nothing to correct: no new revision
        return store.update(db, _resign(db, old, cert, activity, "name"))


# --- QR -------------------------------------------------------------------------------

def qr_payload(cert: Certificate) -> str:
    """The one line the QR code carries: ``SERIAL|NAME|SIGNATURE``."""
    return SEPARATOR.join((cert.serial, cert.holder_name, cert.signature))


# segno scores all eight masks unless told one (about 12 ms a code against 3 ms); any
# mask is valid QR and readers take it from the format bits, so certificates use one.
QR_MASK = 2
QR_BORDER = 4


def qr_matrix(payload: str) -> list[bytes]:
    """The QR code's modules, row by row (1 = dark), without the quiet zone: UTF-8 byte
    mode, error correction M."""
    import segno

    code = segno.make(payload, error="m", encoding="utf-8", micro=False, mask=QR_MASK,
                      boost_error=False)
    return [bytes(row) for row in code.matrix]


def qr_png_bytes(payload: str, scale: int = 4, border: int = QR_BORDER) -> bytes:
    """The QR code as a black-and-white PNG (1 bit a pixel, ``scale`` pixels a module,
    ``border`` modules of quiet zone), written directly: segno's own PNG writer takes
    longer than the code itself, which counts for 500 certificates."""
    rows = qr_matrix(payload)
    size = len(rows) + 2 * border
    width = size * scale
    blank = b"\x00" + bytes([0xFF]) * ((width + 7) // 8)
    lines = [blank] * (border * scale)
    for row in rows:
        bits = "1" * (border * scale) + "".join("0" * scale if m else "1" * scale
                                                 for m in row) + "1" * (border * scale)
        bits += "1" * (-len(bits) % 8)
        line = b"\x00" + int(bits, 2).to_bytes(len(bits) // 8, "big")
        lines.extend([line] * scale)
    lines.extend([blank] * (border * scale))
    raw = zlib.compress(b"".join(lines), 6)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, width, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw)
            + chunk(b"IEND", b""))


def qr_png(payload: str, path: str | os.PathLike[str], scale: int = 4) -> Path:
    """Draw the payload as a QR code into a PNG file (see :func:`qr_png_bytes`)."""
    path = Path(path)
    path.write_bytes(qr_png_bytes(payload, scale))
    return path


# --- verification ---------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found. ``genuine`` with the certificate's details, or not,
    with the reason in Arabic and English."""

    genuine: bool
    reason: str = ""
    reason_en: str = ""
    certificate: Certificate | None = None
    activity: Activity | None = None

    def as_json(self) -> dict[str, Any]:
        cert, act = self.certificate, self.activity
        return {
            "genuine": self.genuine,
            "reason": self.reason, "reason_en": self.reason_en,
            "serial": cert.serial if cert else None,
            "holder_name": cert.holder_name if cert else None,
            "issued_at": cert.issued_at if cert else None,
            "revision": cert.revision if cert else None,
            "activity_id": act.id if act else None,
            "activity_title": act.title if act else None,
            "start_date": act.start_date if act else None,
            "end_date": (act.end_date or act.start_date) if act else None,
        }


def _fail(key: str, cert: Certificate | None = None, activity: Activity | None = None,
          **values: Any) -> Verification:
    arabic, english = MSG[key]
    return Verification(False, arabic.format(**values), english.format(**values),
                        cert, activity)


# Letters people confuse with digits base32 never uses (it has only 2–7).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def _clean_code(text: str) -> str:
    text = to_western_digits(fold_input(text)).upper()
    return re.sub(r"[\s\-_\u2010-\u2015\u2212]+", "", text).translate(_LOOKALIKES)


def verify(db: Database, text: str) -> Verification:
    """Check a certificate from the QR code's full line or the short code.

    The short code is read without regard to case, spaces or dashes, with Arabic-Indic
    digits folded. Every public key the database holds is tried (old keys too).
    """
    text = fold_input(text or "")
    if not text:
        return _fail("empty")
    if SEPARATOR in text:
        return _verify_line(db, text)
    return _verify_code(db, text)


def _activity(db: Database, cert: Certificate) -> Activity | None:
    try:
        return store.get(db, Activity, cert.activity_id, include_deleted=True)
    except NotFoundError:
        return None


def _verify_line(db: Database, text: str) -> Verification:
    serial, _, rest = text.partition(SEPARATOR)
    name, sep, signature = rest.rpartition(SEPARATOR)
    serial = to_western_digits(serial.strip()).upper()
    name, signature = fold_input(name), _clean_code(signature)
    if not (sep and serial and name and signature):
        return _fail("malformed", text=text[:80])
    if not _verifiers(db):
        return _fail("no_key")
    certs = store.find(db, Certificate, "serial = ?", (serial,), include_deleted=True)
    if not certs:
        return _fail("unknown_serial", serial=serial)
    for cert in certs:
        activity = _activity(db, cert)
        if activity is None:
            continue
        if _signature_ok(db, signature, _message(cert, activity, name)):
            if signature != cert.signature:
                return _superseded(cert, activity)
            if cert.deleted_at:
                return _fail("cancelled", cert, activity, serial=cert.serial)
            return Verification(True, certificate=cert, activity=activity)
        if signature == cert.signature and name == cert.holder_name:
            # Printed as issued, but the activity's title or dates were edited since.
            return _fail("record_broken", cert, activity, serial=cert.serial)
        earlier = _earlier(db, cert, signature)
        if earlier is not None and earlier[1] == name:
            return _superseded(cert, activity)
    return _fail("tampered", certs[0], serial=serial)


def _superseded(cert: Certificate, activity: Activity | None) -> Verification:
    return _fail("superseded", cert, activity, serial=cert.serial, revision=cert.revision,
                 name=cert.holder_name)


def _earlier(db: Database, cert: Certificate, signature: str) -> tuple[int, str] | None:
    """The earlier signed state of ``cert`` with this signature (a whole one, or the
    beginning a short code gives): its revision and name; None if there is none."""
    row = db.execute("SELECT revision, holder_name FROM certificate_revisions WHERE "
                     "certificate_id = ? AND substr(signature, 1, ?) = ? ORDER BY revision "
                     "DESC LIMIT 1", (cert.id, len(signature), signature)).fetchone()
    return (row[0], row[1]) if row else None


def _verify_code(db: Database, text: str) -> Verification:
    code = _clean_code(text)
    if len(code) < CODE_LENGTH:
        return _fail("short_code", code=code, n=CODE_LENGTH)
    certs = [c for c in store.find(db, Certificate, "code = ?", (code[:CODE_LENGTH],),
                                   include_deleted=True)
             if c.signature.startswith(code)]
    if not certs:
        ids = [row[0] for row in db.execute(
            "SELECT certificate_id FROM certificate_revisions WHERE substr(signature, 1, ?) "
            "= ? LIMIT 1", (len(code), code))]
        if ids:  # the code of an earlier print, since re-signed
            cert = store.get(db, Certificate, ids[0], include_deleted=True)
            return _superseded(cert, _activity(db, cert))
        return _fail("unknown_code", code=code)
    cert = certs[0]
    activity = _activity(db, cert)
    if activity is None or not _signature_ok(db, cert.signature, _message(cert, activity)):
        return _fail("record_broken", cert, activity, serial=cert.serial)
    if cert.deleted_at:
        return _fail("cancelled", cert, activity, serial=cert.serial)
    return Verification(True, certificate=cert, activity=activity)
