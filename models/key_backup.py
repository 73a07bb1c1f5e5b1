"""The unit's private signing key, backed up encrypted and restored.

Ordinary backups never carry the private key (whoever holds one could sign certificates
that verify). The head of unit keeps the key apart, encrypted with a passphrase of their
own choosing: ``python main.py key backup --to FILE`` or Settings → Certificates.

**The file** is UTF-8 JSON::

    {"format": "ittisal-signing-key", "version": 1, "unit_id": "...", "unit_name": "...",
     "key_id": "1a2b3c4d5e6f7a8b", "written_at": "...Z",
     "private_key": "-----BEGIN ENCRYPTED PRIVATE KEY-----\\n..."}

``private_key`` is the Ed25519 key as PKCS#8 PEM, encrypted with the passphrase by
``cryptography``'s ``BestAvailableEncryption`` (today PBES2: AES-256-CBC under a key
derived by PBKDF2-HMAC-SHA256). ``unit_id`` says whose key it is; ``key_id`` (the public
key's id, as ``signing_keys.id``) is checked against the key once it is decrypted.

**Restoring** (``key restore FILE``) checks the key against the open database: its unit
must be the database's unit and its public half one of the unit's registered keys, not a
replaced one. On a new computer, the unit's database is restored first (from an ordinary
backup, which holds the public keys) and then the key. ``new_pc`` lets the key in without
that check: before the database is restored (the key waits in ``keys/`` for its unit), or
into a database that holds no key of the unit at all (it is then registered as the
unit's key).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from models import certificates, store
from models.db import Database
from models.errors import IttisalError, NotFoundError
from models.files import write_file
from models.protected_paths import refuse_protected_output
from models.records import Unit, now

__all__ = [
    "FORMAT",
    "MIN_PASSPHRASE",
    "KeyBackup",
    "KeyBackupError",
    "Restored",
    "check_passphrase",
    "read_backup",
    "restore",
    "restore_without_database",
    "write_backup",
]

FORMAT = "ittisal-signing-key"
VERSION = 1
MIN_PASSPHRASE = 8
# Larger than any key backup; a file past it is not one (and is not read whole).
MAX_FILE_BYTES = 64 * 1024

_MSG = {
    "short": ("كلمة المرور قصيرة: يجب ألا تقل عن {n} أحرف.",
              "The passphrase is too short: it must have at least {n} characters."),
    "mismatch": ("كلمتا المرور غير متطابقتين.", "The two passphrases differ."),
    "no_key": ("لا يوجد مفتاح توقيع على هذا الحاسوب لنسخه: {reason}",
               "There is no signing key on this computer to back up: {reason}"),
    "none_yet": ("لم يُنشأ مفتاح التوقيع بعد؛ يُنشأ عند إصدار أول شهادة.",
                 "The signing key has not been made yet; the first certificate makes it."),
    "cannot_write": ("تعذّرت كتابة نسخة المفتاح في «{path}»: {reason}",
                     "Cannot write the key backup to {path}: {reason}"),
    "missing": ("الملف «{path}» غير موجود.", "{path} does not exist."),
    "not_backup": ("الملف «{path}» ليس نسخة احتياطية لمفتاح التوقيع من برنامج اتصال.",
                   "{path} is not an Ittisal signing key backup."),
    "too_new": ("نسخة المفتاح «{path}» من إصدار أحدث من برنامج اتصال؛ حدّث البرنامج.",
                "The key backup {path} was written by a newer Ittisal; update the program."),
    "wrong_passphrase": ("كلمة المرور غير صحيحة: تعذّر فتح نسخة المفتاح «{path}» بها. "
                         "اكتب كلمة المرور التي وُضعت عند نسخ المفتاح.",
                         "Wrong passphrase: the key backup {path} does not open with it. "
                         "Give the passphrase set when the key was backed up."),
    "damaged": ("نسخة المفتاح «{path}» تالفة: المفتاح فيها لا يطابق بصمتها.",
                "The key backup {path} is damaged: its key does not match its fingerprint."),
    "other_unit": ("نسخة المفتاح هذه لوحدة أخرى (المعرّف {unit}) وقاعدة البيانات هذه للوحدة "
                   "{local}. على حاسوب جديد استرجع أولاً النسخة الاحتياطية لقاعدة بيانات "
                   "الوحدة ثم المفتاح، أو أعد الأمر مع --new-pc ليُحفظ المفتاح بانتظار "
                   "قاعدة بياناتها.",
                   "This key backup is another unit's (id {unit}); this database is unit "
                   "{local}'s. On a new computer restore the unit's database backup first "
                   "and then the key, or run the command again with --new-pc to keep the "
                   "key until its database is restored."),
}


class KeyBackupError(IttisalError):
    """A key backup cannot be written, read or restored."""


def _error(key: str, **values: Any) -> KeyBackupError:
    arabic, english = _MSG[key]
    return KeyBackupError(arabic.format(**values), english.format(**values))


def check_passphrase(passphrase: str, again: str | None = None) -> str:
    """The passphrase, if it is long enough (and typed the same twice, when ``again``
    is given); else :class:`KeyBackupError`."""
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise _error("short", n=MIN_PASSPHRASE)
    if again is not None and again != passphrase:
        raise _error("mismatch")
    return passphrase


@dataclass(frozen=True)
class KeyBackup:
    """What a key backup file holds, decrypted."""

    unit_id: str
    unit_name: str
    key_id: str
    key: Ed25519PrivateKey


def _unit_name(db: Database) -> str:
    try:
        return store.get(db, Unit, db.local_unit_id).name
    except NotFoundError:
        return ""


def _check_target(db: Database, target: Path) -> None:
    """The one output check every writer uses (the database, its side files, the data
    folder's own folders, a key, another database): a key backup may replace none."""
    refuse_protected_output(db.path, target)


def write_backup(db: Database, target: str | Path, passphrase: str) -> Path:
    """Write the unit's current private key, encrypted with ``passphrase``, to
    ``target`` (written whole or not at all); return the file."""
    target = Path(target)
    check_passphrase(passphrase)
    _check_target(db, target)
    state = certificates.key_state(db)
    if state.status != "ok":
        reason = (_MSG["none_yet"] if state.status == "none"
                  else certificates.MSG[f"key_{state.status}"])
        fingerprint = certificates.fingerprint(state.current or {}) or "—"
        raise KeyBackupError(
            _MSG["no_key"][0].format(reason=reason[0].format(fingerprint=fingerprint)),
            _MSG["no_key"][1].format(reason=reason[1].format(fingerprint=fingerprint)))
    key = certificates.load_private_key(db)
    assert key is not None  # key_state read it just now
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    document = {"format": FORMAT, "version": VERSION, "unit_id": db.local_unit_id,
                "unit_name": _unit_name(db), "key_id": certificates.key_id(key),
                "written_at": now(), "private_key": pem.decode("ascii")}
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, data, private=True)
    except OSError as exc:
        raise _error("cannot_write", path=target,
                     reason=exc.strerror or exc.__class__.__name__) from exc
    return target


def read_backup(source: str | Path, passphrase: str) -> KeyBackup:
    """Open a key backup with its passphrase. A missing or foreign file, a wrong
    passphrase and a damaged file each get their own message."""
    source = Path(source)
    try:
        with source.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise _error("missing", path=source) from None
    except OSError as exc:
        raise _error("not_backup", path=source) from exc
    try:
        document = json.loads(data.decode("utf-8")) if len(data) <= MAX_FILE_BYTES else None
    except (UnicodeDecodeError, ValueError):
        document = None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _error("not_backup", path=source)
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise _error("too_new", path=source)
    pem, unit_id = document.get("private_key"), document.get("unit_id")
    if not (isinstance(pem, str) and isinstance(unit_id, str) and unit_id
            and pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")):
        raise _error("not_backup", path=source)
    pem_bytes = pem.encode("ascii", "replace")
    try:
        # Without a passphrase, a whole encrypted PKCS#8 key says so (TypeError); a
        # damaged one fails to parse. This tells the two apart before decrypting.
        serialization.load_pem_private_key(pem_bytes, password=None)
    except TypeError:
        pass
    except ValueError:
        raise _error("not_backup", path=source) from None
    else:
        raise _error("not_backup", path=source)  # a clear key under an encrypted label
    try:
        key = serialization.load_pem_private_key(pem_bytes,
                                                 password=passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        # Usually "Incorrect password"; but AES-CBC under a wrong key also ends in valid
        # padding about once in a few hundred passphrases, and the garbage then fails
        # to parse as a key. The file parsed whole above, so either way it is the
        # passphrase.
        raise _error("wrong_passphrase", path=source) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise _error("not_backup", path=source)
    kid = certificates.key_id(key)
    if document.get("key_id") not in (None, kid):
        raise _error("damaged", path=source)
    return KeyBackup(unit_id, str(document.get("unit_name") or ""), kid, key)


@dataclass(frozen=True)
class Restored:
    """What a key restore did: ``key_id``, the ``unit_id`` it belongs to, and ``waiting``
    (True when it was put in place for a unit whose database is not the open one)."""

    key_id: str
    unit_id: str
    waiting: bool = False


def restore(db: Database, source: str | Path, passphrase: str, *,
            new_pc: bool = False) -> Restored:
    """Put the key from a key backup in place for the database's unit (see the module's
    doc for the checks and ``new_pc``)."""
    backup = read_backup(source, passphrase)
    if backup.unit_id != db.local_unit_id:
        if not new_pc:
            raise _error("other_unit", unit=backup.unit_id, local=db.local_unit_id)
        certificates.install_key_file(db.path, backup.unit_id, backup.key)
        return Restored(backup.key_id, backup.unit_id, waiting=True)
    kid = certificates.install_key(db, backup.key, adopt=new_pc)
    return Restored(kid, backup.unit_id)


def restore_without_database(db_path: str | Path, source: str | Path,
                             passphrase: str) -> Restored:
    """A new computer with no database yet: put the key in ``keys/`` beside where the
    database will be, for its unit; it is checked when the unit's database is restored
    and first signs."""
    backup = read_backup(source, passphrase)
    certificates.install_key_file(Path(db_path), backup.unit_id, backup.key)
    return Restored(backup.key_id, backup.unit_id, waiting=True)
