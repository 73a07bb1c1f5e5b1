"""The private signing key stays out of ordinary backups, and comes back only from its
encrypted key backup (issue 9), through the command line as a user types it."""

from __future__ import annotations

import base64
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from models import attendance, backup, certificates, key_backup, paths, records, store
from models.db import Database
from tests.conftest import karbala_workshop
from tests.test_cli import run

PASSPHRASE = "كلمة-سر-الوحدة 2026"
NAMES = ["زينب علي حسين الأسدي", "محمد جاسم كاظم الموسوي"]


class Secret:
    """The unit's private key as bytes a clear copy would hold."""

    def __init__(self, key_file: Path) -> None:
        self.pem = key_file.read_bytes()
        key = serialization.load_pem_private_key(self.pem, None)
        self.raw = key.private_bytes(serialization.Encoding.Raw,
                                     serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())
        self.body = b"".join(self.pem.splitlines()[1:-1])
        self.der = key.private_bytes(serialization.Encoding.DER,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())

    def assert_absent(self, *folders: Path) -> int:
        """No file under the folders holds the key in clear, and none is a key file;
        returns how many files were read."""
        seen = 0
        for folder in folders:
            for path in folder.rglob("*"):
                assert not path.name.endswith((".key", ".keys")), path
                assert path.name != "keys", path
                if path.is_file():
                    data = path.read_bytes()
                    seen += 1
                    assert b"BEGIN PRIVATE KEY" not in data, path
                    for secret in (self.raw, self.body[:24], self.der):
                        assert secret not in data, path
        return seen


def passphrase_file(folder: Path, text: str = PASSPHRASE) -> Path:
    path = folder / f"pass-{len(list(folder.glob('pass-*')))}.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.fixture
def unit(tmp_path):
    """The first computer: a database with one certificate issued and a second attendee
    not yet given one. Returns (db path, workshop, certificate, the second person)."""
    db_path = tmp_path / "pc1" / "ittisal.sqlite3"
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
        people = [store.insert(db, records.Person(full_name=n)) for n in NAMES]
        for person in people:
            attendance.add(db, workshop.id, person.id)
        cert = certificates.issue(db, people[0].id, workshop.id)
    return db_path, workshop, cert, people[1]


def key_file(db_path: Path) -> Path:
    [found] = paths.keys_dir(db_path).glob("*.key")
    return found


# --- no ordinary backup carries the key ------------------------------------------------

def test_no_backup_of_any_kind_carries_the_private_key(unit, tmp_path):
    db_path, *_ = unit
    secret = Secret(key_file(db_path))
    usb = tmp_path / "usb"
    assert run("backup", db=db_path).returncode == 0
    result = run("backup", "--to", str(usb / "copy.sqlite3"), db=db_path)
    assert result.returncode == 0, result.stderr
    assert "key backup" in result.stdout  # the user is told the key is not in it
    with Database.open(db_path) as db:
        assert backup.daily(db) is None  # today's was taken by the command above
        backup.take(db, reason="daily")
    result = run("restore", str(usb / "copy.sqlite3"), db=db_path)  # before-restore
    assert result.returncode == 0, result.stderr
    backups = paths.backups_dir(db_path)
    assert len(list(backups.glob("*.sqlite3"))) == 3
    assert secret.assert_absent(backups, usb) == 4
    assert key_file(db_path).read_bytes() == secret.pem  # the live key is untouched


def test_the_backup_before_a_migration_carries_no_key_and_old_clear_copies_go(tmp_path):
    """A v6 data folder as the earlier version left it: its key in keys/ and clear copies
    in backups/keys/ and beside a backup on a stick. Opening it migrates (and backs up)."""
    db_path = tmp_path / "ittisal.sqlite3"
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    with Database.open(db_path, create=True, target_version=6) as old:
        unit_id = old.local_unit_id
        public = certificates._raw_public(key.public_key())
        with old.atomic():
            old.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (
                "certificate_public_keys", json.dumps([{
                    "id": certificates._key_id(public), "unit_id": unit_id,
                    "public_key": base64.b64encode(public).decode("ascii"),
                    "created_at": "2026-01-01T00:00:00.000Z", "replaced_at": None}])))
    live = paths.keys_dir(db_path) / f"{unit_id}.key"
    live.parent.mkdir()
    live.write_bytes(pem)
    backups = paths.backups_dir(db_path)
    (backups / "keys").mkdir(parents=True)
    (backups / "keys" / live.name).write_bytes(pem)
    secret = Secret(live)

    with Database.open(db_path) as db:  # migrates to v7, backing up first
        assert certificates.key_state(db).status == "ok"
        assert certificates.public_keys(db)[0]["unit_id"] == unit_id
    assert [p.name for p in backups.glob("*before-v*.sqlite3")]
    assert secret.assert_absent(backups) >= 1
    assert live.read_bytes() == pem

    # A stick written by the earlier version: the next backup there takes the copy out.
    usb = tmp_path / "usb"
    (usb / "copy.sqlite3.keys").mkdir(parents=True)
    (usb / "copy.sqlite3.keys" / live.name).write_bytes(pem)
    assert run("backup", "--to", str(usb / "copy.sqlite3"), db=db_path).returncode == 0
    secret.assert_absent(usb)


def test_a_clear_copy_of_a_key_the_data_folder_lost_is_put_back_not_destroyed(unit):
    db_path, *_ = unit
    live = key_file(db_path)
    pem = live.read_bytes()
    old_copies = paths.backups_dir(db_path) / "keys"
    old_copies.mkdir(parents=True)
    (old_copies / live.name).write_bytes(pem)
    live.unlink()
    assert run("backup", db=db_path).returncode == 0
    assert live.read_bytes() == pem
    assert not old_copies.exists()
    if sys.platform != "win32":
        assert stat.S_IMODE(live.stat().st_mode) == 0o600


# --- the encrypted key backup ----------------------------------------------------------

def test_key_backup_is_encrypted_and_restores_on_a_new_pc_after_the_database(unit,
                                                                             tmp_path):
    db_path, workshop, cert, second = unit
    secret = Secret(key_file(db_path))
    usb = tmp_path / "usb"
    result = run("key", "backup", "--to", str(usb / "unit.ittisal-key"),
                 "--passphrase-file", str(passphrase_file(tmp_path)), db=db_path)
    assert result.returncode == 0, result.stderr
    written = usb / "unit.ittisal-key"
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["private_key"].startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with Database.open(db_path) as db:
        assert document["unit_id"] == db.local_unit_id
    assert run("backup", "--to", str(usb / "ittisal.sqlite3"), db=db_path).returncode == 0
    secret.assert_absent(usb)  # the stick holds the key only encrypted

    # The new computer: the database first, from the ordinary backup.
    new = tmp_path / "pc2" / "ittisal.sqlite3"
    result = run("restore", str(usb / "ittisal.sqlite3"), db=new)
    assert result.returncode == 0, result.stderr
    assert "key restore" in result.stdout  # the key is missing, and said so at once
    out = tmp_path / "out"
    out.mkdir()
    result = run("export", "certificates", "--activity", workshop.id, "--out",
                 str(out / "before.docx"), db=new)
    assert result.returncode == 1
    assert "غير موجود على هذا الحاسوب" in result.stderr and "key restore" in result.stderr
    assert "unexpected" not in result.stderr
    assert not (out / "before.docx").exists()
    with Database.open(new) as db:
        assert certificates.find(db, second.id, workshop.id) is None  # nothing issued
        assert len(certificates.public_keys(db)) == 1  # no new key made in silence

    result = run("key", "restore", str(written), "--passphrase-file",
                 str(passphrase_file(tmp_path, "كلمة سر خاطئة تماماً")), db=new)
    assert result.returncode == 1
    assert "كلمة المرور غير صحيحة" in result.stderr and "Wrong passphrase" in result.stderr
    assert not list(paths.keys_dir(new).glob("*.key"))

    result = run("key", "restore", str(written), "--passphrase-file",
                 str(passphrase_file(tmp_path)), db=new)
    assert result.returncode == 0, result.stderr
    result = run("export", "certificates", "--activity", workshop.id, "--out",
                 str(out / "after.docx"), db=new)
    assert result.returncode == 0, result.stderr
    assert run("verify", certificates.qr_payload(cert), db=new).returncode == 0
    with Database.open(new) as db:
        newer = certificates.find(db, second.id, workshop.id)
        assert newer is not None
        keys = certificates.public_keys(db)
        assert len(keys) == 1  # the same key signs on
        assert certificates.load_private_key(db).private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption()) == secret.raw
    assert run("verify", newer.code, db=new).returncode == 0
    with Database.open(db_path) as db:  # the first computer's public key verifies it too
        public = certificates._verifiers(db, db.local_unit_id)[0][1]
        public.verify(certificates._unb32(newer.signature), certificates.signed_message(
            newer.serial, newer.holder_name, workshop.title, workshop.start_date,
            workshop.end_date))


def test_new_pc_key_first_then_database(unit, tmp_path):
    db_path, workshop, cert, second = unit
    key_out = tmp_path / "unit.ittisal-key"
    pass_file = passphrase_file(tmp_path)
    assert run("key", "backup", "--to", str(key_out), "--passphrase-file", str(pass_file),
               db=db_path).returncode == 0
    copy = tmp_path / "copy.sqlite3"
    assert run("backup", "--to", str(copy), db=db_path).returncode == 0
    new = tmp_path / "pc2" / "ittisal.sqlite3"
    result = run("key", "restore", str(key_out), "--passphrase-file", str(pass_file), db=new)
    assert result.returncode == 1 and "--new-pc" in result.stderr
    assert not new.exists() and not paths.keys_dir(new).exists()
    result = run("key", "restore", str(key_out), "--new-pc", "--passphrase-file",
                 str(pass_file), db=new)
    assert result.returncode == 0, result.stderr
    assert "restore" in result.stdout
    result = run("restore", str(copy), db=new)
    assert result.returncode == 0 and "key restore" not in result.stdout
    shown = run("key", "show", "--json", db=new)
    assert json.loads(shown.stdout)["status"] == "ok"
    with Database.open(new) as db:
        assert certificates.issue(db, second.id, workshop.id).serial


def test_a_short_passphrase_is_refused_and_nothing_is_written(unit, tmp_path):
    db_path, *_ = unit
    target = tmp_path / "unit.ittisal-key"
    result = run("key", "backup", "--to", str(target), "--passphrase-file",
                 str(passphrase_file(tmp_path, "1234567")), db=db_path)
    assert result.returncode == 1
    assert "8" in result.stderr and "قصيرة" in result.stderr
    assert not target.exists()


def test_without_a_terminal_or_passphrase_file_the_command_says_how(unit, tmp_path):
    db_path, *_ = unit
    result = run("key", "backup", "--to", str(tmp_path / "k"), db=db_path)
    assert result.returncode == 2
    assert "--passphrase-file" in result.stderr
    assert not (tmp_path / "k").exists()


def test_the_backup_is_not_written_over_the_database(unit, tmp_path):
    db_path, *_ = unit
    before = db_path.read_bytes()
    result = run("key", "backup", "--to", str(db_path), "--passphrase-file",
                 str(passphrase_file(tmp_path)), db=db_path)
    assert result.returncode == 1
    assert db_path.read_bytes() == before


def test_another_units_key_and_a_replaced_key_are_refused(unit, tmp_path):
    db_path, *_ = unit
    pass_file = passphrase_file(tmp_path)
    old_key = tmp_path / "old.ittisal-key"
    assert run("key", "backup", "--to", str(old_key), "--passphrase-file", str(pass_file),
               db=db_path).returncode == 0
    result = run("key", "replace", db=db_path)
    assert result.returncode == 0, result.stderr
    result = run("key", "restore", str(old_key), "--passphrase-file", str(pass_file),
                 db=db_path)
    assert result.returncode == 1 and "استبدلته الوحدة" in result.stderr

    other = tmp_path / "other" / "ittisal.sqlite3"
    with Database.open(other, create=True) as db:
        certificates.ensure_key(db)
    result = run("key", "restore", str(old_key), "--passphrase-file", str(pass_file),
                 db=other)
    assert result.returncode == 1 and "لوحدة أخرى" in result.stderr
    with Database.open(other) as db:
        assert certificates.key_state(db).status == "ok"  # its own key is untouched


def test_a_damaged_or_foreign_file_is_not_called_a_wrong_passphrase(unit, tmp_path):
    db_path, *_ = unit
    pass_file = passphrase_file(tmp_path)
    for content in (b"", b"not json", json.dumps({"format": "other"}).encode(),
                    os.urandom(200)):
        source = tmp_path / "bad.ittisal-key"
        source.write_bytes(content)
        result = run("key", "restore", str(source), "--passphrase-file", str(pass_file),
                     db=db_path)
        assert result.returncode == 1
        assert "ليس نسخة احتياطية لمفتاح" in result.stderr
        assert "unexpected" not in result.stderr


def test_the_model_round_trip(db, tmp_path):
    certificates.ensure_key(db)
    written = key_backup.write_backup(db, tmp_path / "k.ittisal-key", PASSPHRASE)
    if sys.platform != "win32":
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    read = key_backup.read_backup(written, PASSPHRASE)
    assert read.unit_id == db.local_unit_id
    assert read.key_id == certificates.public_keys(db)[0]["id"]
    with pytest.raises(key_backup.KeyBackupError, match="كلمة المرور غير صحيحة"):
        key_backup.read_backup(written, PASSPHRASE + "x")
    with pytest.raises(key_backup.KeyBackupError):
        key_backup.check_passphrase("abcdefgh", "abcdefgX")


def test_every_wrong_passphrase_is_called_wrong_even_when_the_padding_checks_out(db,
                                                                                tmp_path):
    # AES-CBC under a wrong key ends in valid padding about once in a few hundred
    # passphrases; cryptography then fails on the garbage key instead of saying
    # "Incorrect password". CI met such a passphrase once; here one is looked for.
    certificates.ensure_key(db)
    written = key_backup.write_backup(db, tmp_path / "k.ittisal-key", PASSPHRASE)
    pem = json.loads(written.read_text("utf-8"))["private_key"].encode("ascii")
    for n in range(50_000):
        unlucky = f"{PASSPHRASE} {n}"
        try:
            serialization.load_pem_private_key(pem, password=unlucky.encode("utf-8"))
        except ValueError as exc:
            if "password" not in str(exc).lower():
                break
    else:
        pytest.fail("no passphrase found whose padding checks out")
    with pytest.raises(key_backup.KeyBackupError, match="كلمة المرور غير صحيحة"):
        key_backup.read_backup(written, unlucky)


def test_a_damaged_encrypted_key_is_not_called_a_wrong_passphrase(db, tmp_path):
    certificates.ensure_key(db)
    written = key_backup.write_backup(db, tmp_path / "k.ittisal-key", PASSPHRASE)
    document = json.loads(written.read_text("utf-8"))
    lines = document["private_key"].splitlines()
    lines[1] = base64.b64encode(os.urandom(48)).decode("ascii")  # its ASN.1 head
    document["private_key"] = "\n".join(lines) + "\n"
    written.write_text(json.dumps(document), "utf-8")
    with pytest.raises(key_backup.KeyBackupError, match="ليس نسخة احتياطية لمفتاح"):
        key_backup.read_backup(written, PASSPHRASE)


def test_the_apps_first_start_makes_no_new_key_for_a_unit_whose_key_is_missing(unit):
    db_path, *_ = unit
    key_file(db_path).unlink()
    with Database.open(db_path) as db:
        kid = certificates.ensure_key(db)  # what the app runs on each start
        assert kid == certificates.public_keys(db)[0]["id"]
        assert len(certificates.public_keys(db)) == 1
        assert certificates.key_state(db).status == "missing"
        assert not certificates.private_key_path(db).exists()
    shown = run("key", "show", db=db_path)
    assert shown.returncode == 1 and "غير موجود على هذا الحاسوب" in shown.stderr


# --- old clear copies: only ours, and never the only good one --------------------------

def test_a_clear_copy_is_kept_when_the_data_folders_key_of_that_name_is_damaged(unit,
                                                                                 tmp_path):
    """The PC's key file is damaged; the stick still has the good clear copy an earlier
    version wrote beside its backup. Restoring that backup must not delete the stick's
    copy for the damaged file's sake: it is the one good copy of the key."""
    db_path, *_ = unit
    live = key_file(db_path)
    pem = live.read_bytes()
    usb = tmp_path / "usb"
    assert run("backup", "--to", str(usb / "copy.sqlite3"), db=db_path).returncode == 0
    (usb / "copy.sqlite3.keys").mkdir()
    (usb / "copy.sqlite3.keys" / live.name).write_bytes(pem)
    live.write_bytes(b"garbage\n")

    result = run("restore", str(usb / "copy.sqlite3"), db=db_path)
    assert result.returncode == 0, result.stderr
    assert (usb / "copy.sqlite3.keys" / live.name).read_bytes() == pem
    assert run("backup", "--to", str(usb / "again.sqlite3"), db=db_path).returncode == 0
    assert (usb / "copy.sqlite3.keys" / live.name).read_bytes() == pem


def test_another_programs_key_files_in_a_users_backups_keys_folder_stay(unit, tmp_path):
    """``backup --to ~/backups/x.sqlite3`` where ``~/backups/keys/`` holds the user's own
    files (a TLS key, a note): nothing there is moved or deleted."""
    db_path, *_ = unit
    theirs = tmp_path / "home" / "backups" / "keys"
    theirs.mkdir(parents=True)
    tls = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    (theirs / "server.key").write_bytes(tls)
    (theirs / "notes.txt").write_text("mine", encoding="utf-8")

    result = run("backup", "--to", str(theirs.parent / "x.sqlite3"), db=db_path)
    assert result.returncode == 0, result.stderr
    assert (theirs / "server.key").read_bytes() == tls
    assert (theirs / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (paths.keys_dir(db_path) / "server.key").exists()
