"""Certificates of participation: serials, Ed25519 signatures, QR text and verification.

**Serials.** A certificate gets its serial once per (person, activity): ``PREFIX-YEAR-NNNN``
(e.g. ``KRB-2026-0001``), the prefix the unit set (:attr:`Unit.certificate_prefix`, or
:data:`DEFAULT_PREFIX`), the year of issue, and the next number of the unit's counter for
that year in ``certificate_serials`` (at least four digits). :func:`issue_many` (and
:func:`issue`, one person's case) reads and signs outside the write lock, then in one
short transaction (``BEGIN IMMEDIATE``) takes all the batch's numbers with one statement
that raises the counter and returns it, and writes the rows: two processes issuing at
once queue for that transaction, and one that finds the counter moved numbers its batch
again there, so serials are never shared nor skipped. Deleted and purged certificates
keep their numbers taken; a number once given is never given again. Issuing again (a
reprint) keeps the serial and counts the reprint.

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

**Keys.** Each public key belongs to a unit (table ``signing_keys``: id, unit, the 32
raw bytes, created and replaced times). A certificate verifies only with a key of the
unit that issued it (its ``unit_id``) that was that unit's signing key when the signature
was made (at issue, or at its last re-signing, kept in ``certificate_revisions``). The
unit's first key is made on first need; the private key is a PEM file in
``keys/<unit_id>.key`` beside the database (mode 0600, written atomically), never in the
database, so it never leaves in an export, a bundle or a backup. :func:`replace_key`
makes a new pair and keeps the old public keys, so the certificates they signed still
verify.

Ordinary backups carry the public keys (inside the database) and never the private key:
the head of unit keeps an encrypted copy of it (:mod:`models.key_backup`, ``main.py key
backup``). A unit whose keys are registered but whose private key is not on this computer
(a database restored on a new PC) is refused when it signs, with a message pointing to the
key's restore or replacement (:func:`key_state`), rather than given a new key in silence.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import json
import operator
import os
import re
import sqlite3
import struct
import time
import weakref
import zlib
from collections.abc import Callable, Iterator, Sequence
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
from models.files import write_file
from models.records import Activity, Certificate, Person, Unit, now, validate

__all__ = [
    "CODE_LENGTH",
    "DEFAULT_PREFIX",
    "MSG",
    "CertificateError",
    "Verification",
    "clean_prefix",
    "correct_name",
    "KeyState",
    "ensure_key",
    "find",
    "fingerprint",
    "install_key",
    "install_key_file",
    "issue",
    "issue_many",
    "key_id",
    "key_state",
    "load_private_key",
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
    "activity_deleted": (
        "توقيع الشهادة «{serial}» صحيح، لكن نشاطها «{title}» محذوف (في سلة المحذوفات منذ "
        "{date}). لا تُعتمد الشهادة قبل أن تسأل الوحدة عن سبب حذف النشاط.",
        "The signature of certificate {serial} is genuine, but its activity {title!r} was "
        "deleted (in the recycle bin since {date}). Do not accept it before asking the "
        "unit why the activity was deleted."),
    "unrecorded": (
        "التوقيع على الشهادة «{serial}» ليس التوقيع المسجّل لها ولا توقيع نسخة سابقة منها "
        "في سجل الشهادات. الشهادة غير مؤكدة.",
        "The signature on certificate {serial} is neither the one the register holds for "
        "it nor that of an earlier copy. Not verified."),
    "foreign_key": (
        "الشهادة غير صحيحة: وُقّعت بمفتاح وحدة أخرى، لا بمفتاح الوحدة التي أصدرت الرقم "
        "«{serial}».",
        "Not genuine: it was signed with another unit's key, not with the key of the unit "
        "that issued {serial}."),
    "key_out_of_time": (
        "الشهادة «{serial}» موقّعة بمفتاح للوحدة لم يكن مفتاحها المعتمد في وقت توقيعها "
        "(استُبدل قبله أو أُنشئ بعده)؛ ربما وُقّعت بمفتاح مسرَّب. الشهادة غير مؤكدة.",
        "Certificate {serial} is signed with a key of the unit that was not its signing "
        "key when it was signed (replaced before, or made after); it may have been signed "
        "with a leaked key. Not verified."),
    "key_missing": (
        "مفتاح التوقيع الخاص بالوحدة (البصمة {fingerprint}) غير موجود على هذا الحاسوب، "
        "فلا يمكن إصدار شهادات: النسخ الاحتياطية العادية لا تحمل المفتاح. استرجعه من نسخته "
        "الاحتياطية المشفّرة (الإعدادات ← الشهادات ← «استرجاع المفتاح…»، أو الأمر key "
        "restore)، أو استبدله بمفتاح جديد (الإعدادات ← الشهادات ← «استبدال المفتاح…»، أو "
        "الأمر key replace)؛ تبقى الشهادات السابقة قابلة للتحقق في الحالتين.",
        "This unit's private signing key (fingerprint {fingerprint}) is not on this "
        "computer, so no certificate can be issued: ordinary backups do not carry the key. "
        "Restore it from its encrypted key backup (Settings → Certificates → Restore key…, "
        "or the command key restore), or replace it with a new key (Settings → Certificates "
        "→ Replace key…, or key replace); earlier certificates keep verifying either way."),
    "key_unreadable": (
        "ملف مفتاح التوقيع الخاص بالوحدة لا يمكن قراءته (تالف أو ليس مفتاحاً)، فلا يمكن "
        "إصدار شهادات. استرجع المفتاح من نسخته الاحتياطية المشفّرة (الأمر key restore أو "
        "الإعدادات ← الشهادات) أو استبدله.",
        "The unit's private key file cannot be read (damaged, or not a key), so no "
        "certificate can be issued. Restore the key from its encrypted backup (key restore, "
        "or Settings → Certificates) or replace it."),
    "key_foreign": (
        "ملف مفتاح التوقيع على هذا الحاسوب ليس من مفاتيح الوحدة المسجّلة في قاعدة البيانات "
        "(المفتاح الحالي للوحدة: {fingerprint})، فلا يوقَّع به. استرجع مفتاح الوحدة من "
        "نسخته الاحتياطية المشفّرة، أو استبدل المفتاح.",
        "The signing key file on this computer is not one of the unit's keys registered in "
        "the database (the unit's current key: {fingerprint}), so it does not sign. Restore "
        "the unit's key from its encrypted backup, or replace the key."),
    "key_replaced": (
        "ملف مفتاح التوقيع على هذا الحاسوب مفتاح قديم استبدلته الوحدة، فلا يوقَّع به "
        "(المفتاح الحالي: {fingerprint}). استرجع المفتاح الحالي من نسخته الاحتياطية "
        "المشفّرة، أو استبدل المفتاح.",
        "The signing key file on this computer holds a key the unit replaced, so it does "
        "not sign (the current key: {fingerprint}). Restore the current key from its "
        "encrypted backup, or replace the key."),
    "restore_not_units": (
        "المفتاح في هذه النسخة (البصمة {fingerprint}) ليس من مفاتيح هذه الوحدة في قاعدة "
        "البيانات (مفتاحها الحالي: {current}). ربما النسخة الاحتياطية لقاعدة البيانات أقدم "
        "من المفتاح: استرجع نسخة أحدث، أو استبدل المفتاح.",
        "The key in this backup (fingerprint {fingerprint}) is not one of this unit's keys "
        "in the database (its current key: {current}). The database backup may be older "
        "than the key: restore a newer one, or replace the key."),
    "restore_no_keys": (
        "لا مفتاح مسجّلاً لهذه الوحدة في قاعدة البيانات، فلا يمكن التأكد من أن المفتاح "
        "(البصمة {fingerprint}) مفتاحها. إن كان هذا حاسوباً جديداً فاسترجع أولاً نسخة قاعدة "
        "البيانات الاحتياطية ثم المفتاح، أو أعد الأمر مع --new-pc لاعتماده مفتاحاً للوحدة.",
        "This unit has no key registered in the database, so the key (fingerprint "
        "{fingerprint}) cannot be checked as its own. On a new computer restore the "
        "database backup first and then the key, or run the command again with --new-pc "
        "to adopt it as the unit's key."),
    "restore_replaced": (
        "المفتاح في هذه النسخة (البصمة {fingerprint}) استبدلته الوحدة في {date}؛ لا يُسترجع "
        "مفتاح قديم للتوقيع به. استرجع نسخة المفتاح الحالي.",
        "The key in this backup (fingerprint {fingerprint}) was replaced by the unit on "
        "{date}; an old key is not restored to sign with. Restore the current key's backup."),
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


def private_key_path(db: Database, unit_id: str | None = None) -> Path:
    """The file of a unit's private key (default: this database's unit)."""
    return keys_dir(db) / f"{unit_id or db.local_unit_id}.key"


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def key_id(key: Ed25519PrivateKey) -> str:
    """The id of a private key's public half (as ``signing_keys.id`` stores it)."""
    return _key_id(_raw_public(key.public_key()))


def public_keys(db: Database, unit_id: str | None = None) -> list[dict[str, Any]]:
    """A unit's public keys (default: this database's unit), oldest first: ``id``,
    ``unit_id``, ``public_key`` (base64 of the 32 raw bytes), ``created_at``,
    ``replaced_at`` (None while the unit signs with it)."""
    rows = db.execute("SELECT id, unit_id, public_key, created_at, replaced_at FROM "
                      "signing_keys WHERE unit_id = ? ORDER BY rowid",
                      (unit_id or db.local_unit_id,)).fetchall()
    return [{"id": kid, "unit_id": unit, "public_key": base64.b64encode(raw).decode("ascii"),
             "created_at": created, "replaced_at": replaced}
            for kid, unit, raw, created, replaced in rows]


def _write_private(path: Path, key: Ed25519PrivateKey) -> None:
    """Write the PEM atomically: a 0600 temporary file beside it, synced, then renamed."""
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_file(path, pem, private=True)
    except OSError as exc:
        raise _error("cannot_write_key", path=path,
                     reason=exc.strerror or exc.__class__.__name__) from exc


def _load_private(path: Path) -> Ed25519PrivateKey | None:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PrivateKey) else None


def load_private_key(db: Database) -> Ed25519PrivateKey | None:
    """The unit's private key as this computer has it (None: missing or unreadable)."""
    return _load_private(private_key_path(db))


def _register(db: Database, key: Ed25519PrivateKey, stamp: str | None = None) -> str:
    """Record the key's public half as this unit's current key (once); return its id."""
    public = _raw_public(key.public_key())
    kid = _key_id(public)
    db.execute("INSERT OR IGNORE INTO signing_keys (id, unit_id, public_key, created_at, "
               "replaced_at) VALUES (?, ?, ?, ?, NULL)",
               (kid, db.local_unit_id, public, stamp or now()))
    return kid


@dataclass(frozen=True)
class KeyState:
    """Whether this computer can sign for the database's unit.

    ``status``: ``"ok"`` (the key file holds the unit's current key), ``"none"`` (the
    unit has no key yet: the first certificate makes one), ``"missing"`` (the unit has
    keys but its private key is not on this computer: a database restored from an
    ordinary backup), ``"unreadable"`` (the key file cannot be read), ``"foreign"`` (the
    key file holds a key that is not one of the unit's) or ``"replaced"`` (it holds a key
    the unit replaced). ``current`` is the unit's current public key (see
    :func:`public_keys`), if it has one.
    """

    status: str
    current: dict[str, Any] | None = None
    keys: int = 0


def key_state(db: Database) -> KeyState:
    """What :func:`issue` would find when it needs to sign (see :class:`KeyState`)."""
    keys = public_keys(db)
    live = [k for k in keys if not k["replaced_at"]]
    current = live[-1] if live else None
    path = private_key_path(db)
    key = _load_private(path)
    if key is None:
        if not keys:
            return KeyState("none", None, 0)
        return KeyState("unreadable" if path.exists() else "missing", current, len(keys))
    kid = key_id(key)
    found = next((k for k in keys if k["id"] == kid), None)
    if found is None:
        # A key file and a database that knows no key of the unit (a database backup
        # older than the unit's first certificate): the key is adopted when it first signs.
        return KeyState("ok" if not keys else "foreign", current, len(keys))
    if found["replaced_at"]:
        return KeyState("replaced", current, len(keys))
    return KeyState("ok", found, len(keys))


def _key_error(state: KeyState) -> CertificateError:
    current = state.current or {}
    return _error(f"key_{state.status}", fingerprint=fingerprint(current) or "—")


def _signing_key(db: Database) -> tuple[Ed25519PrivateKey, str]:
    """The unit's private key (call inside ``db.atomic()``, so two processes never make
    two keys at once).

    A new pair is made only for a unit that has no key at all. A unit whose keys are
    registered but whose private key is not here (a database restored on a new computer
    from an ordinary backup, which never carries the key) is refused with a message
    pointing to the key's restore or replacement: a silent new key would hide that the
    key was left behind.
    """
    state = key_state(db)
    if state.status == "none":
        key = Ed25519PrivateKey.generate()
        _write_private(private_key_path(db), key)
        return key, _register(db, key)
    if state.status != "ok":
        raise _key_error(state)
    key = _load_private(private_key_path(db))
    assert key is not None  # key_state read it just now
    return key, _register(db, key)  # adopts a key the database did not know yet


def ensure_key(db: Database) -> str:
    """Make the unit's key pair if it has no key at all (the app's first start); return
    the id of the unit's current key. A unit whose private key is not on this computer
    is not given a new one here: :func:`key_state` says so, and issuing refuses."""
    with db.atomic():
        state = key_state(db)
        if state.status in ("none", "ok"):
            return _signing_key(db)[1]
        return str((state.current or {}).get("id", ""))


def replace_key(db: Database) -> str:
    """Make a new key pair for the unit and sign with it from now on; every earlier key
    of the unit is marked replaced and stays, so the certificates it signed still verify.
    Works without the old private key (the way out when it is lost). The old private key
    file is overwritten. Returns the new key's id."""
    with db.atomic():
        stamp = now()
        db.execute("UPDATE signing_keys SET replaced_at = ? WHERE unit_id = ? AND "
                   "replaced_at IS NULL", (stamp, db.local_unit_id))
        key = Ed25519PrivateKey.generate()
        _write_private(private_key_path(db), key)  # replaces the old file atomically
        return _register(db, key, stamp)


def install_key(db: Database, key: Ed25519PrivateKey, *, adopt: bool = False) -> str:
    """Put a restored private key in place for this database's unit; return its id.

    The key must be one of the unit's registered keys, and not a replaced one; with
    ``adopt`` a unit that has no key at all takes it as its key. A key file already
    holding the unit's current key is left as it is.
    """
    with db.atomic():
        kid = key_id(key)
        keys = public_keys(db)
        found = next((k for k in keys if k["id"] == kid), None)
        if found is None:
            if keys:
                current = [k for k in keys if not k["replaced_at"]]
                raise _error("restore_not_units", fingerprint=fingerprint({"id": kid}),
                             current=fingerprint(current[-1]) if current else "—")
            if not adopt:
                raise _error("restore_no_keys", fingerprint=fingerprint({"id": kid}))
            _register(db, key)
        elif found["replaced_at"]:
            raise _error("restore_replaced", fingerprint=fingerprint(found),
                         date=str(found["replaced_at"])[:10])
        path = private_key_path(db)
        existing = _load_private(path)
        if existing is None or key_id(existing) != kid:
            _write_private(path, key)
        return kid


def install_key_file(db_path: Path, unit_id: str, key: Ed25519PrivateKey) -> Path:
    """Put a private key in place for ``unit_id`` beside a database that is not open (a
    new computer whose unit database is restored afterwards); return the file."""
    path = paths.keys_dir(db_path) / f"{unit_id}.key"
    _write_private(path, key)
    return path


def fingerprint(key: dict[str, Any]) -> str:
    """A public key's id as people compare it by eye: "1a2b 3c4d 5e6f 7a8b"."""
    kid = str(key.get("id", ""))
    return " ".join(kid[i:i + 4] for i in range(0, len(kid), 4))


def _verifiers(db: Database, unit_id: str) -> list[tuple[dict[str, Any], Ed25519PublicKey]]:
    """A unit's public keys, oldest first, each with its row."""
    result = []
    for k in public_keys(db, unit_id):
        try:
            result.append((k, Ed25519PublicKey.from_public_bytes(
                base64.b64decode(k["public_key"]))))
        except (ValueError, TypeError):
            continue
    return result


def _other_units_verify(db: Database, unit_id: str, raw: bytes, message: bytes) -> bool:
    """Whether a key of another unit than ``unit_id`` made this signature."""
    for (public,) in db.execute("SELECT public_key FROM signing_keys WHERE unit_id != ?",
                                (unit_id,)):
        try:
            Ed25519PublicKey.from_public_bytes(bytes(public)).verify(raw, message)
        except (InvalidSignature, ValueError, TypeError):
            continue
        return True
    return False


def _when(stamp: Any) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# A key's created_at is written a moment after the first certificate it signs (the key
# is made while that certificate is being issued): that much earlier still counts.
_KEY_CLOCK_SLACK = dt.timedelta(minutes=1)


def _signed_when(db: Database, cert: Certificate) -> tuple[dt.datetime | None, bool]:
    """When the certificate's current signature was made, and whether that is exact: its
    issue, or its last re-signing (the earlier state's ``replaced_at``, kept in
    ``certificate_revisions``), which signs with the key current then."""
    issued = _when(cert.issued_at)
    if not cert.revision:
        return issued, True
    stamp = db.scalar("SELECT replaced_at FROM certificate_revisions WHERE certificate_id = ? "
                      "AND revision = ?", (cert.id, cert.revision - 1))
    resigned = _when(stamp) if stamp else None
    if resigned is None:
        return issued, False  # re-signed at some time after its issue, not recorded
    return (max(issued, resigned) if issued else resigned), True


def _valid_then(key: dict[str, Any], first: bool, when: dt.datetime | None,
                exact: bool) -> bool:
    """Whether the unit signed with ``key`` at ``when`` (created before, not yet
    replaced). The unit's first key counts from the beginning (nothing was signed before
    it); a time not known exactly (``exact`` False: ``when`` is only the earliest) is
    held to the replacement only."""
    if when is None:
        return True
    replaced = _when(key["replaced_at"]) if key["replaced_at"] else None
    if replaced is not None and when > replaced:
        return False
    created = _when(key["created_at"])
    if not exact or first or created is None:
        return True
    return created - _KEY_CLOCK_SLACK <= when


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
    # certificate_serials is the year's high-water mark: every issue raises it in the
    # transaction that stores the certificates (schema v6 filled it from the serials
    # stored then), and purged certificates leave their numbers taken.
    return db.scalar("SELECT last FROM certificate_serials WHERE unit_id = ? AND year = ?",
                     (db.local_unit_id, year)) or 0


def _take_numbers(db: Database, year: int, count: int) -> int:
    """Take the year's next ``count`` numbers in one statement (call inside the issuing
    transaction, which holds the write lock); return the last number taken before them."""
    row = db.execute("INSERT INTO certificate_serials (unit_id, year, last) VALUES (?, ?, ?) "
                     "ON CONFLICT(unit_id, year) DO UPDATE SET last = last + excluded.last "
                     "RETURNING last", (db.local_unit_id, year, count)).fetchall()
    return int(row[0][0]) - count


def _check_year(year: Any) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1950 <= year <= 2100:
        raise _error("bad_year", year=year)
    return year


def next_serial(db: Database, year: int) -> str:
    """The serial the year's next certificate gets (taken only by :func:`issue`)."""
    return f"{serial_prefix(db)}-{_check_year(year)}-{_last_number(db, year) + 1:04d}"


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


SIGNATURE_LENGTH = 103  # a 64-byte signature in base32, without padding
_SIGNATURE_TEXT = re.compile(rf"[A-Z2-7]{{{SIGNATURE_LENGTH}}}")


def _unb32(text: str) -> bytes | None:
    """The 64 bytes of a signature's text, read strictly: exactly 103 letters of
    ``A-Z2-7`` whose last one leaves its three unused bits zero. Decoders ignore those
    bits, so eight texts would give the same bytes; only the one :func:`_b32` writes is
    accepted (re-encoded and compared), so that a changed print never passes as ours."""
    if not _SIGNATURE_TEXT.fullmatch(text):
        return None
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:
        return None
    return raw if len(raw) == 64 and _b32(raw) == text else None


def _check(db: Database, cert: Certificate, signature: str, message: bytes) -> str:
    """Whether ``signature`` signs ``message`` with a key of the certificate's own unit
    that it used when this signature was made: ``"ok"``; ``"out_of_time"`` (a key of the
    unit, but one not in use then: made later, or replaced before); ``"foreign"`` (a key
    of another unit); ``"bad"`` (no key this database knows)."""
    raw = _unb32(signature)
    if raw is None:
        return "bad"
    when, exact = _signed_when(db, cert)
    out_of_time = False
    for number, (row, key) in enumerate(_verifiers(db, cert.unit_id)):
        try:
            key.verify(raw, message)
        except InvalidSignature:
            continue
        if _valid_then(row, number == 0, when, exact):
            return "ok"
        out_of_time = True
    if out_of_time:
        return "out_of_time"
    return "foreign" if _other_units_verify(db, cert.unit_id, raw, message) else "bad"


def _signature_ok(db: Database, signature: str, message: bytes) -> bool:
    """Whether one of this unit's keys made the signature (whatever its dates: a reprint
    only asks whether the record still matches what was signed)."""
    raw = _unb32(signature)
    if raw is None:
        return False
    for _row, key in _verifiers(db, db.local_unit_id):
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
    One person's case of :func:`issue_many`.
    """
    return issue_many(db, activity_id, [person_id], year=year)[0]


@dataclass(frozen=True)
class _State:
    """What a batch's certificates are made from, as read at one moment: compared again
    under the write lock, so that what was signed before it is still what is stored."""

    activity: Activity
    persons: tuple[Person, ...]             # in the order asked, each once
    existing: tuple[Certificate, ...]       # the activity's certificates of those persons
    prefix: str
    key_id: str                             # "" while the unit has no key yet
    verifiers: tuple[tuple[str, bytes], ...]  # the unit's public keys: (id, raw bytes)


@dataclass(frozen=True)
class _Batch:
    """A batch worked out and signed, ready to be written."""

    state: _State
    year: int
    base: int                               # the number before the first new serial
    certificates: tuple[Certificate, ...]   # in the order asked
    new: tuple[int, ...]                    # positions of the first issues
    revisions: tuple[tuple[Any, ...], ...]  # certificate_revisions rows to add


# The batch a dry run worked out, per database: issuing the same persons again while
# nothing they depend on changed writes it as it is (signed outside the write lock).
# Only soon after: its certificates carry the time it was worked out as their issue.
_PLANNED: weakref.WeakKeyDictionary[Database, tuple[Any, float, _Batch]] = (
    weakref.WeakKeyDictionary())
_PLAN_FRESH_S = 300.0


def _read_state(db: Database, activity_id: str, person_ids: list[str]) -> _State:
    """Everything a batch needs, in one statement per table whatever its size."""
    activity = store.get(db, Activity, activity_id)
    if not activity.start_date:
        raise _error("no_activity")
    ids = json.dumps(person_ids)
    found = {p.id: p for p in store.find(
        db, Person, "id IN (SELECT value FROM json_each(?))", (ids,))}
    for pid in person_ids:
        if pid not in found:
            store.get(db, Person, pid)  # raises: not found, or in the recycle bin
    existing = store.find(db, Certificate, "activity_id = ? AND person_id IN (SELECT value "
                          "FROM json_each(?))", (activity.id, ids), include_deleted=True)
    rows = db.execute("SELECT id, public_key, replaced_at FROM signing_keys WHERE unit_id = ? "
                      "ORDER BY rowid", (db.local_unit_id,)).fetchall()
    live = [kid for kid, _raw, replaced in rows if not replaced]
    return _State(activity, tuple(found[pid] for pid in person_ids), tuple(existing),
                  serial_prefix(db), live[-1] if live else "",
                  tuple((kid, bytes(raw)) for kid, raw, _replaced in rows))


def _unit_signed(state: _State, signature: str, message: bytes) -> bool:
    """:func:`_signature_ok` over the keys already read."""
    raw = _unb32(signature)
    if raw is None:
        return False
    for _kid, public in state.verifiers:
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(raw, message)
        except (InvalidSignature, ValueError, TypeError):
            continue
        return True
    return False


def _work_out(state: _State, key: Ed25519PrivateKey, year: int, base: int) -> _Batch:
    """The batch's certificates signed with ``key``, new serials counted from ``base``:
    no statement runs here."""
    activity = state.activity
    existing = {c.person_id: c for c in state.existing}
    stamp = now()

    def signed(cert: Certificate) -> Certificate:
        signature = _b32(key.sign(_message(cert, activity)))
        return dataclasses.replace(cert, signature=signature, code=signature[:CODE_LENGTH])

    made: list[Certificate] = []
    new: list[int] = []
    revisions: list[tuple[Any, ...]] = []
    for person in state.persons:
        old = existing.get(person.id)
        if old is None:
            new.append(len(made))
            serial = f"{state.prefix}-{year}-{base + len(new):04d}"
            made.append(signed(validate(Certificate(
                person_id=person.id, activity_id=activity.id, serial=serial,
                holder_name=person.full_name, person_name=person.full_name,
                issued_at=stamp))))
            continue
        cert = dataclasses.replace(old, reprints=old.reprints + 1, deleted_at=None)
        reason = ""
        if person.full_name != old.person_name:
            # The person's record was corrected since this certificate was signed.
            cert = dataclasses.replace(cert, holder_name=person.full_name,
                                       person_name=person.full_name)
            reason = "person"
        else:
            message = _message(cert, activity)
            # Signatures are deterministic: the current key signing the same message
            # again proves it without the slower check against every key of the unit.
            if (_b32(key.sign(message)) != cert.signature
                    and not _unit_signed(state, cert.signature, message)):
                reason = "activity"
        if reason:
            revisions.append((old.id, old.revision, old.holder_name, old.signature, reason,
                              stamp))
            cert = signed(dataclasses.replace(cert, revision=old.revision + 1))
        made.append(validate(cert))
    return _Batch(state, year, base, tuple(made), tuple(new), tuple(revisions))


def _renumbered(batch: _Batch, key: Ed25519PrivateKey, base: int) -> _Batch:
    """The batch with its new serials counted from ``base`` instead (another program
    issued meanwhile), signed again."""
    return _work_out(batch.state, key, batch.year, base)


_COLUMNS = ("id", "unit_id", "created_at", "updated_at", "deleted_at", "person_id",
            "activity_id", "serial", "code", "holder_name", "signature", "issued_at",
            "reprints", "revision", "person_name")


def _write(db: Database, batch: _Batch, key: Ed25519PrivateKey) -> list[Certificate]:
    """Store the batch (inside the transaction holding the write lock): the serials taken
    in one statement, then one statement per table for all the rows."""
    if batch.new:
        base = _take_numbers(db, batch.year, len(batch.new))
        if base != batch.base:
            batch = _renumbered(batch, key, base)
    if batch.certificates:
        _register(db, key)  # adopts a key the database did not know yet
    stamp = now()
    unit = db.local_unit_id
    stored = []
    for cert in batch.certificates:
        changes: dict[str, Any] = {"updated_at": stamp}
        if not cert.created_at:
            changes["created_at"] = stamp
        if not cert.unit_id:
            changes["unit_id"] = unit
        stored.append(dataclasses.replace(cert, **changes))
    new = set(batch.new)
    if batch.revisions:
        db.conn.executemany(
            "INSERT INTO certificate_revisions (certificate_id, revision, holder_name, "
            "signature, reason, replaced_at) VALUES (?, ?, ?, ?, ?, ?)", batch.revisions)
    if new:
        db.conn.executemany(
            f"INSERT INTO certificates ({', '.join(_COLUMNS)}) VALUES "
            f"({', '.join('?' * len(_COLUMNS))})",
            [[getattr(c, name) for name in _COLUMNS] for n, c in enumerate(stored)
             if n in new])
    if len(new) < len(stored):
        changed = _COLUMNS[2:]
        db.conn.executemany(
            f"UPDATE certificates SET {', '.join(f'{c} = ?' for c in changed)} WHERE id = ?",
            [[getattr(c, name) for name in changed] + [c.id] for n, c in enumerate(stored)
             if n not in new])
    return stored


def _usable_key(db: Database, state: _State) -> Ed25519PrivateKey | None:
    """The unit's private key when it can sign without writing anything (None: the unit
    has no key yet, made under the write lock); refused as :func:`_signing_key` does."""
    if not state.key_id and not state.verifiers:
        key = _load_private(private_key_path(db))
        return key  # None: no key at all yet; a key file alone is adopted on writing
    status = key_state(db)
    if status.status != "ok":
        raise _key_error(status)
    return _load_private(private_key_path(db))


def issue_many(db: Database, activity_id: str, person_ids: Sequence[str], *,
               year: int | None = None, dry_run: bool = False) -> list[Certificate]:
    """The certificates of these persons (each once, in this order) for the activity,
    issued or reprinted as :func:`issue` does one; return them as stored.

    Set-based: the activity, the persons, their certificates of the activity and the
    unit's keys are read with one statement each, the signatures are made outside the
    write lock, and the transaction that holds it reads them again (still a handful of
    statements), takes the new serials in one statement from ``certificate_serials`` and
    writes every row with one statement per table. Should anything have changed in
    between (another program issued, a name was edited), the batch is worked out again
    under the lock. With ``dry_run`` nothing is written: the certificates are those a
    real issue would store now, and that issue, if nothing changed meanwhile, writes
    them as they are (same ids, serials and signatures).
    """
    year = dt.date.today().year if year is None else _check_year(year)
    ids = list(dict.fromkeys(person_ids))
    plan_key = (activity_id, tuple(ids), year)
    if dry_run:
        state = _read_state(db, activity_id, ids)
        planned = _PLANNED.get(db)
        if (planned is not None and planned[0] == plan_key and planned[2].state == state
                and time.monotonic() - planned[1] < _PLAN_FRESH_S
                and planned[2].base == _last_number(db, year)):
            return list(planned[2].certificates)  # worked out already, still so
        key = _usable_key(db, state)
        if key is None:
            # No key yet: it is made (and its file written) in a transaction rolled back.
            made: list[Certificate] = []
            try:
                with db.atomic():
                    made = issue_many(db, activity_id, ids, year=year)
                    raise _RollBack
            except _RollBack:
                pass
            return made
        batch = _work_out(state, key, year, _last_number(db, year))
        _PLANNED[db] = (plan_key, time.monotonic(), batch)
        return list(batch.certificates)
    planned = _PLANNED.pop(db, None)
    batch = None
    if (planned is not None and planned[0] == plan_key
            and time.monotonic() - planned[1] < _PLAN_FRESH_S):
        batch = planned[2]
    key = None
    if batch is None and not db.conn.in_transaction:
        state = _read_state(db, activity_id, ids)
        key = _usable_key(db, state)
        if key is not None:
            batch = _work_out(state, key, year, _last_number(db, year))
    with _transaction(db):
        state = _read_state(db, activity_id, ids)
        if batch is None or batch.state != state:
            key, _kid = _signing_key(db)
            batch = _work_out(state, key, year, _last_number(db, year))
        elif key is None:
            key = _usable_key(db, state)
        assert key is not None
        return _write(db, batch, key)


class _RollBack(Exception):
    """Ends a dry run's transaction without keeping anything."""


@contextlib.contextmanager
def _transaction(db: Database) -> Iterator[None]:
    """:meth:`Database.atomic`, or within a caller's transaction a savepoint of our own
    (``atomic`` nests through sqlite-utils, a tenth of a second to import on the command
    line's path)."""
    if not db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.execute("SAVEPOINT issue_many")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.conn.execute("ROLLBACK TO issue_many")
            db.conn.execute("RELEASE issue_many")
        raise
    db.execute("RELEASE issue_many")


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
    mode, error correction M, mask :data:`QR_MASK`: the matrix segno makes, made here
    about four times faster for the certificates' lines (:func:`_qr_message`; the
    places of the bits, the mask and the function patterns are segno's, worked out once
    per QR version by :func:`_qr_layout`)."""
    message = _qr_message(payload)
    if message is None:
        return _segno_matrix(payload)
    version, value, count = message
    places, mask, template, width = _qr_layout(version)
    if count != len(places):  # never for QR versions 1-40; segno's own way then
        return _segno_matrix(payload)
    bits = format(value ^ mask, f"0{count}b").encode("ascii").translate(_BIT_VALUES)
    flat = bytes(_qr_gather(version)(bits + template))
    return [flat[i:i + width] for i in range(0, width * width, width)]


@functools.cache
def _qr_gather(version: int) -> Callable[[bytes], tuple[int, ...]]:
    """Picks a version's matrix, row by row, out of its message bits (in placement
    order) followed by :func:`_qr_layout`'s template: each module is a bit where the
    message goes, else the template's. One C call instead of a loop over the bits."""
    places, _mask, template, _width = _qr_layout(version)
    count = len(places)
    source = [count + n for n in range(len(template))]
    for n, place in enumerate(places):
        source[place] = n
    return operator.itemgetter(*source)


_BIT_VALUES = bytes.maketrans(b"01", b"\x00\x01")


def _segno_matrix(payload: str) -> list[bytes]:
    import segno

    code = segno.make(payload, error="m", encoding="utf-8", micro=False, mask=QR_MASK,
                      boost_error=False)
    return [bytes(row) for row in code.matrix]


def _qr_message(payload: str) -> tuple[int, int, int] | None:
    """The final message segno would place for a certificate's QR line (one byte-mode
    segment: the line always holds ``|``, which only byte mode carries), as (version,
    bits as one integer, how many bits); None for any other text (segno then makes it).
    Step by step as segno's encoder does, on whole integers and bytes."""
    from segno import consts, encoder

    if SEPARATOR not in payload:
        return None
    data = payload.encode("utf-8")
    error, mode = consts.ERROR_LEVEL_M, consts.MODE_BYTE
    for version in range(1, 41):
        count_bits = consts.CHAR_COUNT_INDICATOR_LENGTH[mode][encoder.version_range(version)]
        length = 4 + count_bits + 8 * len(data)
        if consts.SYMBOL_CAPACITY[version][error] >= length:
            break
    else:
        return None
    capacity = consts.SYMBOL_CAPACITY[version][error]
    value = (((mode << count_bits) | len(data)) << 8 * len(data)) | int.from_bytes(data, "big")
    terminator = min(capacity - length, consts.TERMINATOR_LENGTH[None])
    # segno pads to the next byte with 1 to 8 zero bits (8 when already on a byte).
    padding = 8 - (length + terminator) % 8
    value <<= terminator + padding
    length += terminator + padding
    pads = bytes((0xEC, 0x11)[i % 2] for i in range(capacity // 8 - length // 8))
    codewords = value.to_bytes(length // 8, "big") + pads
    data_blocks, error_blocks, start = [], [], 0
    for info in consts.ECC[version][error]:
        table = _rs_table(info.num_total - info.num_data)
        for _ in range(info.num_blocks):
            block = codewords[start:start + info.num_data]
            start += info.num_data
            data_blocks.append(block)
            error_blocks.append(_rs_remainder(block, table, info.num_total - info.num_data))
    message = bytes(b for column in itertools.zip_longest(*data_blocks) for b in column
                    if b is not None)
    message += bytes(b for column in itertools.zip_longest(*error_blocks) for b in column
                     if b is not None)
    remainder = (7 if version in (2, 3, 4, 5, 6) else 3 if version in range(14, 21)
                 or version in range(28, 35) else 4 if version in range(21, 28) else 0)
    return version, int.from_bytes(message, "big") << remainder, 8 * len(message) + remainder


@functools.cache
def _rs_table(errors: int) -> tuple[int, ...]:
    """For each byte value, the generator polynomial times it (segno's), as an integer
    of ``errors`` bytes: a Reed-Solomon step is then one exclusive or."""
    from segno import consts

    gen, log, exp = consts.GEN_POLY[errors], consts.GALIOS_LOG, consts.GALIOS_EXP
    rows = [0]
    for coef in range(1, 256):
        rows.append(int.from_bytes(bytes(exp[log[coef] + g] for g in gen), "big"))
    return tuple(rows)


def _rs_remainder(block: bytes, table: tuple[int, ...], errors: int) -> bytes:
    """The error correction codewords of a data block (segno's synthetic division)."""
    mask = (1 << 8 * errors) - 1
    rest = 0  # the next ``errors`` bytes of the running remainder
    for byte in block:
        coef = (rest >> 8 * (errors - 1)) ^ byte
        rest = ((rest << 8) & mask) ^ table[coef]
    return rest.to_bytes(errors, "big")


@functools.cache
def _qr_layout(version: int) -> tuple[tuple[int, ...], int, bytes, int]:
    """What every code of a version shares, as segno builds it (error correction M, mask
    :data:`QR_MASK`): the flat places of the message's bits in placement order, the mask
    over those places as one integer (first place, highest bit), the matrix with its
    function patterns, format and version information, and the width."""
    from segno import consts, encoder

    width = encoder.calc_matrix_size(version)
    matrix = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(matrix, width, width)
    encoder.add_alignment_patterns(matrix, width, width)
    places = []
    # The order of segno's add_codewords: two-module columns from the right, up and
    # down in turn, the vertical timing column skipped.
    for right in range(width - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(width):
            for z in range(2):
                j = right - z
                upwards = (((right & 2) == 0) ^ (j < 6))
                i = (width - 1 - vertical) if upwards else vertical
                if matrix[i][j] == 0x2:
                    places.append(i * width + j)
    pattern = encoder.get_data_mask_functions(False)[QR_MASK]
    mask = int("".join("1" if pattern(p // width, p % width) else "0" for p in places) or "0",
               2)
    encoder.add_format_info(matrix, version, consts.ERROR_LEVEL_M, QR_MASK)
    encoder.add_version_info(matrix, version)
    return tuple(places), mask, b"".join(bytes(row) for row in matrix), width


# A module of a PNG row at 4 pixels a module (1 bit a pixel, white = 1) as a hex digit:
# a row of modules is then one translate and one bytes.fromhex, both in C.
_NIBBLE = bytes.maketrans(b"\x00\x01", b"f0")


def qr_png_bytes(payload: str, scale: int = 4, border: int = QR_BORDER) -> bytes:
    """The QR code as a black-and-white PNG (1 bit a pixel, ``scale`` pixels a module,
    ``border`` modules of quiet zone), written directly: segno's own PNG writer takes
    longer than the code itself, which counts for 500 certificates."""
    rows = qr_matrix(payload)
    size = len(rows) + 2 * border
    width = size * scale
    blank = b"\x00" + bytes([0xFF]) * ((width + 7) // 8)
    lines = [blank] * (border * scale)
    if scale == 4:
        quiet = bytes(border)
        for row in rows:
            modules = quiet + row + quiet + (b"\x00" if size % 2 else b"")
            line = b"\x00" + bytes.fromhex(modules.translate(_NIBBLE).decode("ascii"))
            lines.extend([line] * scale)
    else:
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
    return write_file(path, qr_png_bytes(payload, scale))


# --- verification ---------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found. ``genuine`` with the certificate's details, or not,
    with the reason in Arabic and English.

    ``status`` names the finding: ``"genuine"``, or the key of the reason in :data:`MSG`
    (``"activity_deleted"``: the signature is the unit's and the certificate stands, but
    its activity is in the recycle bin; ``"superseded"``: an earlier print of a corrected
    certificate; ``"tampered"``, ``"cancelled"`` and so on). ``signature_valid`` says
    whether the text carries a signature of the certificate's unit (true for a genuine
    certificate, an activity in the bin, a cancelled one and an earlier print)."""

    genuine: bool
    reason: str = ""
    reason_en: str = ""
    certificate: Certificate | None = None
    activity: Activity | None = None
    status: str = ""
    signature_valid: bool = False

    def as_json(self) -> dict[str, Any]:
        cert, act = self.certificate, self.activity
        return {
            "genuine": self.genuine,
            "status": self.status or ("genuine" if self.genuine else ""),
            "signature_valid": self.signature_valid,
            "reason": self.reason, "reason_en": self.reason_en,
            "serial": cert.serial if cert else None,
            "holder_name": cert.holder_name if cert else None,
            "issued_at": cert.issued_at if cert else None,
            "revision": cert.revision if cert else None,
            "activity_id": act.id if act else None,
            "activity_title": act.title if act else None,
            "activity_deleted": bool(act.deleted_at) if act else None,
            "start_date": act.start_date if act else None,
            "end_date": (act.end_date or act.start_date) if act else None,
        }


def _fail(key: str, cert: Certificate | None = None, activity: Activity | None = None,
          *, signature_valid: bool = False, **values: Any) -> Verification:
    arabic, english = MSG[key]
    return Verification(False, arabic.format(**values), english.format(**values),
                        cert, activity, key, signature_valid)


# Letters people confuse with digits base32 never uses (it has only 2–7).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
# How much of what was typed a message repeats (a pasted page must not fill the screen).
_ECHO = 40


def _echo(text: str) -> str:
    return text if len(text) <= _ECHO else text[:_ECHO] + "…"


def _clean_code(text: str) -> str:
    text = to_western_digits(fold_input(text)).upper()
    return re.sub(r"[\s\-_\u2010-\u2015\u2212]+", "", text).translate(_LOOKALIKES)


def verify(db: Database, text: str) -> Verification:
    """Check a certificate from the QR code's full line or the short code.

    The short code is read without regard to case, spaces or dashes, with Arabic-Indic
    digits folded. A signature counts only if one of the keys of the unit that issued the
    certificate made it, and that key was the unit's signing key when it was made; its
    text must be exactly as written (see :func:`_unb32`). A certificate whose activity is
    in the recycle bin is reported as such (``status`` ``"activity_deleted"``), never as
    plainly genuine; an earlier print is called corrected only when the register keeps
    the correction.
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


def _standing(cert: Certificate, activity: Activity) -> Verification:
    """The answer for the certificate's current signature, found valid."""
    if cert.deleted_at:
        return _fail("cancelled", cert, activity, signature_valid=True, serial=cert.serial)
    if activity.deleted_at:
        return _fail("activity_deleted", cert, activity, signature_valid=True,
                     serial=cert.serial, title=activity.title,
                     date=str(activity.deleted_at)[:10])
    return Verification(True, certificate=cert, activity=activity, status="genuine",
                        signature_valid=True)


def _key_problem(state: str, cert: Certificate, activity: Activity | None) -> Verification:
    return _fail("foreign_key" if state == "foreign" else "key_out_of_time", cert, activity,
                 serial=cert.serial)


def _verify_line(db: Database, text: str) -> Verification:
    serial, _, rest = text.partition(SEPARATOR)
    name, sep, signature = rest.rpartition(SEPARATOR)
    serial = to_western_digits(serial.strip()).upper()
    name, signature = fold_input(name), _clean_code(signature)
    if not (sep and serial and name and signature):
        return _fail("malformed", text=_echo(text))
    if not db.scalar("SELECT 1 FROM signing_keys LIMIT 1"):
        return _fail("no_key")
    certs = store.find(db, Certificate, "serial = ?", (serial,), include_deleted=True)
    if not certs:
        return _fail("unknown_serial", serial=_echo(serial))
    for cert in certs:
        activity = _activity(db, cert)
        if activity is None:
            continue
        if signature != cert.signature:
            # A print of an earlier state that the register keeps (a correction), to the
            # letter: its name and its signature as they were signed then.
            earlier = _earlier(db, cert, signature)
            if earlier is not None and earlier[1] == name:
                return _superseded(cert, activity)
        state = _check(db, cert, signature, _message(cert, activity, name))
        if state == "ok":
            if signature == cert.signature:
                return _standing(cert, activity)
            # The unit's signature, but neither the certificate's current one nor one
            # the register kept: no print of this certificate carried it.
            return _fail("unrecorded", cert, activity, serial=cert.serial)
        if state in ("foreign", "out_of_time"):
            return _key_problem(state, cert, activity)
        if signature == cert.signature and name == cert.holder_name:
            # Printed as issued, but the activity's title or dates were edited since.
            return _fail("record_broken", cert, activity, serial=cert.serial)
    return _fail("tampered", certs[0], serial=serial)


def _superseded(cert: Certificate, activity: Activity | None) -> Verification:
    return _fail("superseded", cert, activity, signature_valid=True, serial=cert.serial,
                 revision=cert.revision, name=cert.holder_name)


def _earlier(db: Database, cert: Certificate, signature: str) -> tuple[int, str] | None:
    """The earlier signed state of ``cert`` (a correction the register keeps) whose
    signature is exactly this one, or begins with it for a short code of at least
    :data:`CODE_LENGTH` characters: its revision and name; None if there is none."""
    if len(signature) < CODE_LENGTH:
        return None
    if len(signature) >= SIGNATURE_LENGTH:
        row = db.execute("SELECT revision, holder_name FROM certificate_revisions WHERE "
                         "certificate_id = ? AND signature = ? ORDER BY revision DESC "
                         "LIMIT 1", (cert.id, signature)).fetchone()
    else:
        row = db.execute("SELECT revision, holder_name FROM certificate_revisions WHERE "
                         "certificate_id = ? AND substr(signature, 1, ?) = ? ORDER BY "
                         "revision DESC LIMIT 1",
                         (cert.id, len(signature), signature)).fetchone()
    return (row[0], row[1]) if row else None


def _verify_code(db: Database, text: str) -> Verification:
    code = _clean_code(text)
    if len(code) < CODE_LENGTH:
        return _fail("short_code", code=_echo(code), n=CODE_LENGTH)
    if len(code) > SIGNATURE_LENGTH:
        return _fail("unknown_code", code=_echo(code))
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
        return _fail("unknown_code", code=_echo(code))
    cert = certs[0]
    activity = _activity(db, cert)
    if activity is None:
        return _fail("record_broken", cert, activity, serial=cert.serial)
    state = _check(db, cert, cert.signature, _message(cert, activity))
    if state in ("foreign", "out_of_time"):
        return _key_problem(state, cert, activity)
    if state != "ok":
        if not public_keys(db, cert.unit_id):
            return _fail("no_key")
        return _fail("record_broken", cert, activity, serial=cert.serial)
    return _standing(cert, activity)
