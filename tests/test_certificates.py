"""Certificates: serials, Ed25519 signatures, the QR line, the short code, verification."""

from __future__ import annotations

import dataclasses
import re
import shutil
import stat
import subprocess
import sys

import pytest

from models import certificates, records, store
from models.arabic import to_arabic_digits
from models.db import Database
from tests.conftest import ROOT

NAMES = ["زينب علي حسين الأسدي", "محمد جاسم كاظم الموسوي", "فاطمة عباس عبد الحسين الجبوري"]


def person(db: Database, name: str) -> records.Person:
    return store.insert(db, records.Person(full_name=name))


def set_prefix(db: Database, prefix: str) -> None:
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, certificate_prefix=prefix))


@pytest.fixture
def cert(db, workshop):
    return certificates.issue(db, person(db, NAMES[0]).id, workshop.id)


# --- serials --------------------------------------------------------------------------

def test_serials_follow_the_units_prefix_and_a_per_year_sequence(db, workshop):
    set_prefix(db, "krb")
    people = [person(db, n) for n in NAMES]
    first = certificates.issue(db, people[0].id, workshop.id, year=2026)
    second = certificates.issue(db, people[1].id, workshop.id, year=2026)
    next_year = certificates.issue(db, people[2].id, workshop.id, year=2027)
    assert (first.serial, second.serial) == ("KRB-2026-0001", "KRB-2026-0002")
    assert next_year.serial == "KRB-2027-0001"
    assert certificates.next_serial(db, 2026) == "KRB-2026-0003"


def test_a_unit_without_a_prefix_gets_the_default(db, workshop):
    c = certificates.issue(db, person(db, NAMES[0]).id, workshop.id, year=2026)
    assert c.serial == f"{certificates.DEFAULT_PREFIX}-2026-0001"


def test_a_changed_prefix_continues_the_years_numbers(db, workshop):
    people = [person(db, n) for n in NAMES[:2]]
    certificates.issue(db, people[0].id, workshop.id, year=2026)
    set_prefix(db, "KRB")
    assert certificates.issue(db, people[1].id, workshop.id, year=2026).serial == \
        "KRB-2026-0002"


def test_reprinting_keeps_the_serial_and_counts(db, workshop, cert):
    again = certificates.issue(db, cert.person_id, workshop.id)
    third = certificates.issue(db, cert.person_id, workshop.id)
    assert (again.serial, again.signature, again.id) == (cert.serial, cert.signature, cert.id)
    assert (again.reprints, third.reprints) == (1, 2)
    assert store.count(db, records.Certificate) == 1


def test_a_deleted_certificates_serial_is_not_given_again(db, workshop, cert):
    store.delete(db, records.Certificate, cert.id)
    other = certificates.issue(db, person(db, NAMES[1]).id, workshop.id)
    assert other.serial != cert.serial and other.serial.endswith("-0002")


def test_a_purged_certificates_serial_is_not_given_again(db, workshop, cert):
    from models import recycle

    other = store.insert(db, records.Activity(title="نشاط آخر", start_date="2026-11-01"))
    second = certificates.issue(db, person(db, NAMES[1]).id, other.id)
    store.delete(db, records.Activity, other.id)
    recycle.purge(db, "activity", other.id)
    assert certificates.find(db, second.person_id, other.id) is None
    third = certificates.issue(db, person(db, NAMES[2]).id, workshop.id)
    assert third.serial.endswith("-0003"), "0002 was printed once; it stays taken"
    assert not certificates.verify(db, certificates.qr_payload(second)).genuine


def test_a_name_corrected_in_the_register_survives_other_edits_of_the_person(db, workshop,
                                                                              cert):
    corrected = certificates.correct_name(db, cert.id, "زينب علي حسين الأسدي الموسوي")
    holder = store.get(db, records.Person, cert.person_id)
    store.update(db, dataclasses.replace(holder, phone="07701234567"))
    again = certificates.issue(db, holder.id, workshop.id)
    assert again.holder_name == "زينب علي حسين الأسدي الموسوي"
    assert again.signature == corrected.signature
    assert certificates.verify(db, certificates.qr_payload(again)).genuine


def test_each_resigning_keeps_the_state_it_replaces(db, workshop, cert):
    certificates.correct_name(db, cert.id, "زينب علي حسين الأسدي الموسوي")
    holder = store.get(db, records.Person, cert.person_id)
    store.update(db, dataclasses.replace(holder, full_name="زينب علي حسين كاظم"))
    latest = certificates.issue(db, holder.id, workshop.id)
    history = certificates.revisions(db, cert.id)
    assert [(h["revision"], h["holder_name"], h["reason"]) for h in history] == [
        (0, cert.holder_name, "name"), (1, "زينب علي حسين الأسدي الموسوي", "person")]
    assert history[0]["signature"] == cert.signature
    assert (latest.revision, latest.holder_name) == (2, "زينب علي حسين كاظم")


ISSUER = """
import sys
from models import certificates
from models.db import Database
db = Database.open(sys.argv[1])
activity, people = sys.argv[2], sys.argv[3].split(",")
for p in people:
    certificates.issue(db, p, activity, year=2026)
db.close()
"""


def test_two_processes_never_share_a_serial(db, db_path, workshop):
    people = [person(db, f"مشارك رقم {i} الحسيني") for i in range(50)]
    ids = [p.id for p in people]
    db.close()
    procs = [subprocess.Popen([sys.executable, "-c", ISSUER, str(db_path), workshop.id,
                               ",".join(chunk)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for chunk in (ids[:25], ids[25:])]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with Database.open(db_path) as again:
        serials = [c.serial for c in store.find(again, records.Certificate)]
        assert len(certificates.public_keys(again)) == 1  # one key, made once
    assert len(serials) == len(set(serials)) == 50
    numbers = sorted(int(re.search(r"-(\d+)$", s).group(1)) for s in serials)
    assert numbers == list(range(1, 51))


# --- signing and verification -----------------------------------------------------------

def test_code_and_signature_shape(cert):
    assert re.fullmatch(r"[A-Z2-7]{103}", cert.signature)
    assert cert.code == cert.signature[:10]
    assert certificates.qr_payload(cert) == f"{cert.serial}|{cert.holder_name}|{cert.signature}"


def test_qr_line_verifies(db, workshop, cert):
    result = certificates.verify(db, certificates.qr_payload(cert))
    assert result.genuine, result.reason
    assert result.certificate.holder_name == NAMES[0]
    assert result.activity.title == workshop.title
    assert result.as_json()["serial"] == cert.serial


@pytest.mark.parametrize("typed", [
    lambda code: code,
    lambda code: code.lower(),
    lambda code: f" {code[:5]}-{code[5:]} ",
    lambda code: " ".join(code[i:i + 2] for i in range(0, 10, 2)),
    lambda code: to_arabic_digits(code.lower()),
])
def test_short_code_verifies_however_typed(db, cert, typed):
    result = certificates.verify(db, typed(cert.code))
    assert result.genuine, result.reason
    assert result.certificate.serial == cert.serial


def _tamper(payload: str, part: int, value) -> str:
    parts = payload.split("|")
    parts[part] = value(parts[part])
    return "|".join(parts)


@pytest.mark.parametrize(("part", "change"), [
    (1, lambda name: name.replace("زينب", "زينة")),
    (1, lambda name: name + " الثاني"),
    (2, lambda sig: ("B" if sig[20] != "B" else "C").join((sig[:20], sig[21:]))),
    (2, lambda sig: sig[:-1]),
])
def test_a_changed_name_or_signature_fails(db, cert, part, change):
    result = certificates.verify(db, _tamper(certificates.qr_payload(cert), part, change))
    assert not result.genuine
    assert result.reason and result.reason_en


def test_a_changed_serial_fails(db, workshop, cert):
    other = certificates.issue(db, person(db, NAMES[1]).id, workshop.id)
    for serial in (other.serial, cert.serial.replace("0001", "0009")):
        result = certificates.verify(db, _tamper(certificates.qr_payload(cert), 0,
                                                 lambda _, s=serial: s))
        assert not result.genuine, serial
        assert result.reason


@pytest.mark.parametrize("text", ["ABCDEFGHIJ", "QWERTYUIOP", "", "ABC", "x|y",
                                  "CERT-2026-0001|زينب|" + "A" * 103])
def test_random_text_fails(db, cert, text):
    result = certificates.verify(db, text)
    assert not result.genuine
    assert result.reason and result.reason_en


def test_a_record_edited_in_the_database_fails_by_code(db, cert):
    db.execute("UPDATE certificates SET holder_name = 'اسم آخر' WHERE id = ?", (cert.id,))
    assert not certificates.verify(db, cert.code).genuine


def test_correcting_a_name_resigns_under_the_same_serial(db, cert):
    fixed = certificates.correct_name(db, cert.id, "زينب علي حسين الأسديّة")
    assert (fixed.serial, fixed.revision) == (cert.serial, 1)
    assert fixed.signature != cert.signature
    assert certificates.verify(db, certificates.qr_payload(fixed)).genuine
    assert certificates.verify(db, fixed.code).genuine
    old = certificates.verify(db, certificates.qr_payload(cert))
    assert not old.genuine and "المراجعة" in old.reason
    assert not certificates.verify(db, cert.code).genuine


def test_a_changed_activity_title_is_resigned_on_reprint(db, workshop, cert):
    store.update(db, dataclasses.replace(workshop, title="ورشة الاتصال الحكومي"))
    assert not certificates.verify(db, cert.code).genuine
    again = certificates.issue(db, cert.person_id, workshop.id)
    assert (again.serial, again.revision, again.reprints) == (cert.serial, 1, 1)
    assert certificates.verify(db, again.code).genuine


def test_a_deleted_certificate_is_cancelled(db, cert):
    store.delete(db, records.Certificate, cert.id)
    result = certificates.verify(db, certificates.qr_payload(cert))
    assert not result.genuine and "ملغاة" in result.reason


# --- keys -----------------------------------------------------------------------------

def test_key_replacement_keeps_old_certificates_verifiable(db, workshop, cert):
    old_key = certificates.private_key_path(db).read_bytes()
    new_id = certificates.replace_key(db)
    assert certificates.private_key_path(db).read_bytes() != old_key
    keys = certificates.public_keys(db)
    assert [k["id"] for k in keys][-1] == new_id and len(keys) == 2
    assert keys[0]["replaced_at"] and not keys[1]["replaced_at"]
    newer = certificates.issue(db, person(db, NAMES[1]).id, workshop.id)
    for c in (cert, newer):
        assert certificates.verify(db, certificates.qr_payload(c)).genuine
        assert certificates.verify(db, c.code).genuine


def test_a_lost_private_key_is_refused_then_replaced_and_old_certificates_still_verify(
        db, workshop, cert):
    certificates.private_key_path(db).unlink()
    with pytest.raises(certificates.CertificateError, match="key restore"):
        certificates.issue(db, person(db, NAMES[1]).id, workshop.id)
    assert len(certificates.public_keys(db)) == 1  # no new key made in silence
    certificates.replace_key(db)
    newer = certificates.issue(db, person(db, NAMES[1]).id, workshop.id)
    assert len(certificates.public_keys(db)) == 2
    assert certificates.verify(db, cert.code).genuine
    assert certificates.verify(db, newer.code).genuine


def test_private_key_is_0600_and_never_in_the_database(db, db_path, cert):
    path = certificates.private_key_path(db)
    assert path.parent == db_path.parent / "keys"
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pem = path.read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    body = b"".join(pem.splitlines()[1:-1])
    from cryptography.hazmat.primitives import serialization

    raw = serialization.load_pem_private_key(pem, None).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption())
    db.close()
    for file in db_path.parent.glob(db_path.name + "*"):  # the file, its WAL and SHM
        data = file.read_bytes()
        assert body[:20] not in data and raw not in data
    assert not list(path.parent.glob(".tmp-*"))


def test_verification_without_public_keys_fails(db, cert):
    with db.atomic():
        db.execute("DELETE FROM signing_keys")
    assert not certificates.verify(db, certificates.qr_payload(cert)).genuine
    assert not certificates.verify(db, cert.code).genuine


# --- QR -------------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) missing")
def test_qr_png_decodes_to_the_payload(db, cert, tmp_path):
    payload = certificates.qr_payload(cert)
    png = certificates.qr_png(payload, tmp_path / "qr.png", scale=4)
    result = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").rstrip("\n") == payload
    assert certificates.verify(db, result.stdout.decode("utf-8")).genuine


def test_every_earlier_print_reads_as_outdated_not_forged(db, workshop, cert):
    first_line, first_code = certificates.qr_payload(cert), cert.code
    corrected = certificates.correct_name(db, cert.id, "زينب علي حسين الأسدي الموسوي")
    for text in (first_line, first_code):
        result = certificates.verify(db, text)
        assert not result.genuine and "نسخة قديمة" in result.reason, text
    # The activity's title is edited: the print in hand is ours, the record moved on.
    store.update(db, dataclasses.replace(workshop, title="ورشة معدّلة العنوان"))
    result = certificates.verify(db, certificates.qr_payload(corrected))
    assert not result.genuine and "أعد إصدارها" in result.reason
    reprinted = certificates.issue(db, cert.person_id, workshop.id)
    assert certificates.verify(db, certificates.qr_payload(reprinted)).genuine
    for text in (first_line, first_code, certificates.qr_payload(corrected), corrected.code):
        result = certificates.verify(db, text)
        assert not result.genuine and "نسخة قديمة" in result.reason, text
    forged = certificates.qr_payload(corrected).replace("الموسوي", "الحسيني")
    assert "غير صحيحة" in certificates.verify(db, forged).reason


def test_correcting_to_the_same_name_changes_nothing(db, cert):
    again = certificates.correct_name(db, cert.id, cert.holder_name)
    assert (again.revision, again.signature) == (cert.revision, cert.signature)
    assert certificates.revisions(db, cert.id) == []
