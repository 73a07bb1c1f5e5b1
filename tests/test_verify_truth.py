"""Verification says the truth (issue 9): a signature's text is read strictly, "corrected"
is said only of a correction the register keeps, an activity in the recycle bin is
named, and a certificate verifies only with its own unit's key, valid when it signed."""

from __future__ import annotations

import base64
import dataclasses
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from models import certificates, records, store
from models.db import Database
from models.records import now
from tests.conftest import karbala_workshop
from tests.test_cli import run

NAME = "زينب علي حسين الأسدي"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# Words that would claim a correction or an earlier revision.
CORRECTION_WORDS = ("صُحّح", "صحح", "المراجعة", "نسخة قديمة", "corrected", "revision",
                    "outdated")


def trailing_bit_flips(signature: str) -> list[str]:
    """The signature with each non-zero pattern of its last character's three unused
    bits: 64 bytes are 512 bits, 103 characters carry 515."""
    value = ALPHABET.index(signature[-1])
    assert value & 0b111 == 0  # the text as written has them zero
    return [signature[:-1] + ALPHABET[value ^ mask] for mask in range(1, 8)]


def says_corrected(text: str) -> bool:
    return any(word in text for word in CORRECTION_WORDS)


@pytest.fixture
def cert(db, workshop):
    person = store.insert(db, records.Person(full_name=NAME))
    return certificates.issue(db, person.id, workshop.id)


def line(cert: records.Certificate, signature: str | None = None,
         name: str | None = None) -> str:
    return "|".join((cert.serial, cert.holder_name if name is None else name,
                     cert.signature if signature is None else signature))


def private_key(db: Database) -> Ed25519PrivateKey:
    key = certificates.load_private_key(db)
    assert key is not None
    return key


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


# --- strict reading of the signature ---------------------------------------------------

def test_every_flip_of_the_unused_trailing_bits_is_refused_without_a_word_of_correction(
        db, cert):
    assert certificates.verify(db, line(cert)).genuine
    flips = trailing_bit_flips(cert.signature)
    # The bytes are the same: a lax decoder accepts all seven.
    assert {base64.b32decode(f + "=") for f in flips} == {base64.b32decode(cert.signature
                                                                           + "=")}
    for flipped in flips:
        result = certificates.verify(db, line(cert, flipped))
        assert not result.genuine, flipped
        assert result.status == "tampered"
        assert not says_corrected(result.reason) and not says_corrected(result.reason_en)
        assert "غير صحيحة" in result.reason


def test_a_flipped_print_of_a_corrected_certificate_is_not_called_an_earlier_copy(db, cert):
    corrected = certificates.correct_name(db, cert.id, NAME + " الموسوي")
    assert corrected.revision == 1
    old = certificates.verify(db, line(cert))
    assert old.status == "superseded"  # the genuine earlier print: the register keeps it
    for flipped in trailing_bit_flips(cert.signature):
        result = certificates.verify(db, line(cert, flipped))
        assert not result.genuine and result.status == "tampered"
        assert not says_corrected(result.reason)


def test_a_signature_with_padding_or_a_letter_too_many_is_refused(db, cert):
    for text in (cert.signature + "=", cert.signature + "A", cert.signature[:-1]):
        result = certificates.verify(db, line(cert, text))
        assert not result.genuine and not says_corrected(result.reason), text


def test_a_valid_signature_the_register_never_held_is_not_called_corrected(db, cert,
                                                                          workshop):
    # The unit's own key over a name this certificate never carried: a true signature,
    # but no print of this certificate ever bore it.
    name = "اسم لم يُطبع على الشهادة"
    message = certificates.signed_message(cert.serial, name, workshop.title,
                                          workshop.start_date, workshop.end_date)
    signature = b32(private_key(db).sign(message))
    result = certificates.verify(db, line(cert, signature, name))
    assert not result.genuine and result.status == "unrecorded"
    assert cert.revision == 0 and not says_corrected(result.reason)


def test_the_command_line_refuses_a_flipped_bit_without_a_word_of_correction(db_path):
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
        person = store.insert(db, records.Person(full_name=NAME))
        cert = certificates.issue(db, person.id, workshop.id)
    flipped = trailing_bit_flips(cert.signature)[0]
    result = run("verify", line(cert, flipped), db=db_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "غير صحيحة" in result.stderr and "Not genuine" in result.stderr
    assert not says_corrected(result.stderr)


# --- the activity in the recycle bin ----------------------------------------------------

def test_a_certificate_of_an_activity_in_the_bin_says_so(db, cert, workshop):
    store.delete(db, records.Activity, workshop.id)
    for text in (line(cert), cert.code):
        result = certificates.verify(db, text)
        assert not result.genuine, text
        assert result.status == "activity_deleted" and result.signature_valid
        assert "توقيع الشهادة" in result.reason and "صحيح" in result.reason
        assert "محذوف" in result.reason and "سلة المحذوفات" in result.reason
        assert "was deleted" in result.reason_en
        assert result.certificate.serial == cert.serial
        assert result.as_json()["activity_deleted"] is True
    store.restore(db, records.Activity, workshop.id)
    assert certificates.verify(db, line(cert)).genuine


def test_the_command_line_exits_3_for_an_activity_in_the_bin(db_path):
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
        person = store.insert(db, records.Person(full_name=NAME))
        cert = certificates.issue(db, person.id, workshop.id)
        store.delete(db, records.Activity, workshop.id)
    result = run("verify", line(cert), db=db_path)
    assert result.returncode == 3, result.stderr
    assert "التوقيع صحيح، لكن" in result.stdout and NAME in result.stdout
    assert cert.serial in result.stdout and workshop.title in result.stdout
    assert "شهادة صحيحة." not in result.stdout
    assert "سلة المحذوفات" in result.stderr and "recycle bin" in result.stderr
    data = run("verify", cert.code, "--json", db=db_path)
    assert data.returncode == 3
    answer = json.loads(data.stdout)
    assert (answer["genuine"], answer["status"], answer["signature_valid"]) == \
        (False, "activity_deleted", True)


def test_the_dialog_says_the_activity_was_deleted(qtbot, ctx, db, cert, workshop):
    from ui.certificates.verify_dialog import TEXT, VerifyDialog

    store.delete(db, records.Activity, workshop.id)
    dialog = VerifyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.input.setText(line(cert))
    result = dialog.verify()
    assert result.status == "activity_deleted"
    assert dialog.headline.text() == TEXT["reserved"]
    assert dialog.headline.text() not in (TEXT["genuine"], TEXT["not_genuine"])
    assert "سلة المحذوفات" in dialog.reason.text()
    assert dialog.values["holder"].isVisible() and dialog.values["holder"].text() == NAME
    dialog.input.setText(line(cert, trailing_bit_flips(cert.signature)[0]))
    dialog.verify()
    assert dialog.headline.text() == TEXT["not_genuine"]
    assert not dialog.values["holder"].isVisible()


# --- a unit's keys verify only that unit's certificates ---------------------------------

@pytest.fixture
def other_unit(db):
    """A second unit in the same database, with a signing key of its own (as a ministry
    database holding several directorates' records would)."""
    unit = store.insert(db, records.Unit(name="وحدة أخرى"))
    key = Ed25519PrivateKey.generate()
    public = certificates._raw_public(key.public_key())
    with db.atomic():
        db.execute("INSERT INTO signing_keys (id, unit_id, public_key, created_at) "
                   "VALUES (?, ?, ?, ?)", (certificates._key_id(public), unit.id, public,
                                            "2020-01-01T00:00:00.000Z"))
    return unit, key


def test_another_units_key_does_not_verify_this_units_serial(db, cert, workshop, other_unit):
    _, key = other_unit
    forged = b32(key.sign(certificates.signed_message(
        cert.serial, cert.holder_name, workshop.title, workshop.start_date,
        workshop.end_date)))
    result = certificates.verify(db, line(cert, forged))
    assert not result.genuine and result.status == "foreign_key"
    assert "وحدة أخرى" in result.reason and not says_corrected(result.reason)
    assert certificates.verify(db, line(cert)).genuine  # the unit's own still verifies


def test_a_certificate_claiming_another_unit_is_refused_when_this_unit_signed_it(
        db, workshop, other_unit):
    unit, _ = other_unit
    person = store.insert(db, records.Person(full_name=NAME))
    serial = "OTHER-2026-0001"
    # Signed with the local unit's key, but its origin says the other unit.
    certificates.ensure_key(db)
    key = private_key(db)
    signature = b32(key.sign(certificates.signed_message(
        serial, NAME, workshop.title, workshop.start_date, workshop.end_date)))
    claimed = store.insert(db, records.Certificate(
        unit_id=unit.id, person_id=person.id, activity_id=workshop.id, serial=serial,
        holder_name=NAME, person_name=NAME, signature=signature,
        code=signature[:certificates.CODE_LENGTH], issued_at=now()))
    for text in (line(claimed), claimed.code):
        result = certificates.verify(db, text)
        assert not result.genuine and result.status == "foreign_key", text


def test_a_certificate_of_the_other_unit_verifies_with_that_units_key(db, workshop,
                                                                     other_unit):
    unit, key = other_unit
    person = store.insert(db, records.Person(full_name=NAME))
    serial = "OTHER-2026-0002"
    signature = b32(key.sign(certificates.signed_message(
        serial, NAME, workshop.title, workshop.start_date, workshop.end_date)))
    theirs = store.insert(db, records.Certificate(
        unit_id=unit.id, person_id=person.id, activity_id=workshop.id, serial=serial,
        holder_name=NAME, person_name=NAME, signature=signature,
        code=signature[:certificates.CODE_LENGTH], issued_at=now()))
    assert certificates.verify(db, line(theirs)).genuine
    assert certificates.public_keys(db, unit.id)[0]["unit_id"] == unit.id
    assert all(k["unit_id"] == db.local_unit_id for k in certificates.public_keys(db))


# --- keys valid when they signed --------------------------------------------------------

def test_a_replaced_key_does_not_verify_a_certificate_signed_after_its_replacement(
        db, cert, workshop):
    old_key = private_key(db)
    certificates.replace_key(db)
    person = store.insert(db, records.Person(full_name="محمد جاسم كاظم"))
    serial = certificates.next_serial(db, 2026)
    signature = b32(old_key.sign(certificates.signed_message(
        serial, person.full_name, workshop.title, workshop.start_date, workshop.end_date)))
    late = store.insert(db, records.Certificate(
        person_id=person.id, activity_id=workshop.id, serial=serial,
        holder_name=person.full_name, person_name=person.full_name, signature=signature,
        code=signature[:certificates.CODE_LENGTH], issued_at=now()))
    result = certificates.verify(db, line(late))
    assert not result.genuine and result.status == "key_out_of_time"
    assert "مسرَّب" in result.reason
    assert certificates.verify(db, line(cert)).genuine  # signed before: still genuine


def test_a_name_corrected_after_a_key_replacement_is_signed_and_verified_with_the_new_key(
        db, cert):
    certificates.replace_key(db)
    corrected = certificates.correct_name(db, cert.id, NAME + " الموسوي")
    assert certificates.verify(db, line(corrected)).genuine
    assert certificates.verify(db, corrected.code).genuine
    assert certificates.verify(db, line(cert)).status == "superseded"


def test_a_first_key_registered_a_moment_after_its_first_certificate_still_verifies(db,
                                                                                    cert):
    # v6 registered the key after the certificate's issue time was taken; v7 moved the
    # time as it was.
    with db.atomic():
        db.execute("UPDATE signing_keys SET created_at = '2099-01-01T00:00:00.000Z'")
    assert certificates.verify(db, line(cert)).genuine


def test_an_edited_activity_is_still_reported_as_edited(db, cert, workshop):
    store.update(db, dataclasses.replace(workshop, title="عنوان آخر"))
    result = certificates.verify(db, line(cert))
    assert not result.genuine and result.status == "record_broken"


def test_a_pasted_page_is_not_echoed_whole(db, cert):
    text = "Q" * 10_000
    result = certificates.verify(db, text)
    assert not result.genuine and len(result.reason) < 300
    result = certificates.verify(db, "X" * 10_000 + "|name|" + cert.signature)
    assert not result.genuine and len(result.reason) < 300
