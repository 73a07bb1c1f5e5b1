"""Issuing certificates in batches (models.certificates.issue_many): serials taken from
the serials table, set-based reads, two processes at once, and the Word file unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from models import attendance, certificates, records, store
from models.certificate_pages import prepare
from models.db import Database
from tests.conftest import ROOT

YEAR = 2026
FIXTURE = Path(__file__).parent / "fixtures" / "certificates_document.xml"


def people(db: Database, count: int, label: str = "مشارك") -> list[records.Person]:
    with db.atomic():
        return [store.insert(db, records.Person(full_name=f"{label} رقم {n} الحسيني"))
                for n in range(count)]


def numbers(serials: list[str]) -> list[int]:
    return [int(re.search(r"-(\d+)$", s).group(1)) for s in serials]


def set_last(db: Database, last: int) -> None:
    db.execute("INSERT INTO certificate_serials (unit_id, year, last) VALUES (?, ?, ?) "
               "ON CONFLICT(unit_id, year) DO UPDATE SET last = excluded.last",
               (db.local_unit_id, YEAR, last))


# --- serials --------------------------------------------------------------------------

def test_a_batch_gets_consecutive_serials_after_the_serials_table(db, workshop):
    set_last(db, 41)  # numbers taken before (some since purged): never given again
    batch = certificates.issue_many(db, workshop.id, [p.id for p in people(db, 5)],
                                    year=YEAR)
    assert [c.serial for c in batch] == [f"CERT-{YEAR}-{n:04d}" for n in range(42, 47)]
    assert db.scalar("SELECT last FROM certificate_serials WHERE year = ?", (YEAR,)) == 46
    assert certificates.next_serial(db, YEAR) == f"CERT-{YEAR}-0047"


def test_a_batch_keeps_reprinted_serials_and_numbers_only_the_new(db, workshop):
    persons = people(db, 5)
    first = certificates.issue_many(db, workshop.id, [p.id for p in persons[:3]], year=YEAR)
    again = certificates.issue_many(db, workshop.id, [p.id for p in reversed(persons)],
                                    year=YEAR)
    by_person = {c.person_id: c for c in again}
    assert [by_person[c.person_id].serial for c in first] == [c.serial for c in first]
    assert [by_person[c.person_id].reprints for c in first] == [1, 1, 1]
    assert numbers([by_person[p.id].serial for p in (persons[4], persons[3])]) == [4, 5]
    stored = store.find(db, records.Certificate)
    assert sorted(numbers([c.serial for c in stored])) == [1, 2, 3, 4, 5]
    assert all(certificates.verify(db, certificates.qr_payload(c)).genuine for c in stored)


def test_a_dry_run_issues_nothing_and_the_issue_after_it_matches(db, workshop):
    certificates.ensure_key(db)
    ids = [p.id for p in people(db, 4)]
    dry = certificates.issue_many(db, workshop.id, ids, year=YEAR, dry_run=True)
    assert store.count(db, records.Certificate) == 0
    assert not db.scalar("SELECT last FROM certificate_serials")
    issued = certificates.issue_many(db, workshop.id, ids, year=YEAR)
    assert [(c.id, c.serial, c.signature) for c in issued] == \
        [(c.id, c.serial, c.signature) for c in dry]


def test_serials_taken_by_someone_else_after_a_dry_run_are_not_reused(db, workshop):
    certificates.ensure_key(db)
    ids = [p.id for p in people(db, 3)]
    dry = certificates.issue_many(db, workshop.id, ids, year=YEAR, dry_run=True)
    set_last(db, 10)  # another program issued ten meanwhile
    issued = certificates.issue_many(db, workshop.id, ids, year=YEAR)
    assert numbers([c.serial for c in dry]) == [1, 2, 3]
    assert numbers([c.serial for c in issued]) == [11, 12, 13]
    assert all(certificates.verify(db, certificates.qr_payload(c)).genuine for c in issued)


def test_a_name_edited_after_a_dry_run_is_signed_as_it_is_now(db, workshop):
    certificates.ensure_key(db)
    persons = people(db, 2)
    ids = [p.id for p in persons]
    certificates.issue_many(db, workshop.id, ids, year=YEAR, dry_run=True)
    store.update(db, dataclasses.replace(persons[1], full_name="سارة محمود"))
    issued = certificates.issue_many(db, workshop.id, ids, year=YEAR)
    assert issued[1].holder_name == "سارة محمود"
    assert certificates.verify(db, certificates.qr_payload(issued[1])).genuine


# --- two processes ---------------------------------------------------------------------

BATCH_ISSUER = """
import sys
from models import certificates
from models.db import Database
db = Database.open(sys.argv[1])
activities, people = sys.argv[2].split(","), sys.argv[3].split(",")
for activity in activities:
    for start in range(0, len(people), 5):
        chunk = people[start:start + 5]
        if start % 10:
            certificates.issue_many(db, activity, chunk, year=2026, dry_run=True)
        certificates.issue_many(db, activity, chunk, year=2026)
db.close()
"""


def test_two_processes_issuing_batches_never_share_or_skip_a_serial(db, db_path):
    certificates.ensure_key(db)
    activities = [store.insert(db, records.Activity(kind="workshop", title=f"ورشة {n}",
                                                    start_date="2026-03-01"))
                  for n in range(4)]
    persons = people(db, 30)
    ids = [p.id for p in persons]
    db.close()
    procs = [subprocess.Popen([sys.executable, "-c", BATCH_ISSUER, str(db_path),
                               ",".join(a.id for a in activities), ",".join(chunk)],
                              cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for chunk in (ids[:15], ids[15:])]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    with Database.open(db_path) as again:
        serials = [c.serial for c in store.find(again, records.Certificate)]
        last = again.scalar("SELECT last FROM certificate_serials WHERE year = 2026")
    assert len(serials) == len(set(serials)) == 120
    assert sorted(numbers(serials)) == list(range(1, 121))
    assert last == 120


# --- set-based --------------------------------------------------------------------------

_ROWS = ("INSERT INTO certificates ", "UPDATE certificates SET",
         "INSERT INTO certificate_revisions")


def statements(db: Database, work) -> list[str]:
    """The statements ``work`` runs, the rows of an executemany left out."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        work()
    finally:
        db.conn.set_trace_callback(None)
    rows = [s for s in seen if s.startswith(_ROWS)]
    kinds = {s.split("(")[0].split(" SET")[0] for s in rows}
    return [s for s in seen if not s.startswith(_ROWS)] + sorted(kinds)


def test_issuing_runs_the_same_few_statements_for_20_or_200(db, workshop):
    certificates.ensure_key(db)
    small = [p.id for p in people(db, 20, "أول")]
    large = [p.id for p in people(db, 200, "ثان")]
    few = statements(db, lambda: certificates.issue_many(db, workshop.id, small))
    many = statements(db, lambda: certificates.issue_many(db, workshop.id, large))
    assert len(many) == len(few) < 30, many
    reprints = statements(db, lambda: certificates.issue_many(db, workshop.id, large))
    assert len(reprints) < 30, reprints
    assert store.count(db, records.Certificate) == 220


def test_preparing_200_pages_runs_a_bounded_number_of_statements(db, workshop):
    certificates.ensure_key(db)
    with db.atomic():
        for p in people(db, 200):
            attendance.add(db, workshop.id, p.id)
    seen = statements(db, lambda: prepare(db, workshop.id))
    assert len(seen) < 60, seen
    assert store.count(db, records.Certificate) == 200


# --- the Word file --------------------------------------------------------------------------

class _Date(dt.date):
    @classmethod
    def today(cls) -> dt.date:
        return dt.date(2026, 11, 23)


def test_the_word_files_text_is_as_before_batch_issuing(db, tmp_path, monkeypatch):
    """The document XML of six certificates (a fixed key, a fixed day) is byte for byte
    the one the one-at-a-time issuing wrote (tests/fixtures/certificates_document.xml,
    made before issue 15's change), first print and reprint alike."""
    from exporters.certificates import export_certificates

    monkeypatch.setattr(certificates, "dt", types.SimpleNamespace(
        date=_Date, datetime=dt.datetime, UTC=dt.UTC, timedelta=dt.timedelta))
    monkeypatch.setattr(certificates, "now", lambda: "2026-11-23T09:00:00.000Z")
    certificates.install_key(db, Ed25519PrivateKey.from_private_bytes(bytes(range(32))),
                             adopt=True)
    activity = store.insert(db, records.Activity(
        kind="workshop",
        title="ورشة تطويرية عن أهمية الاتصال الحكومي ودوره في انسيابية المعلومات",
        start_date="2026-11-22", end_date="2026-11-23", place="جامعة كربلاء",
        organiser="جامعة كربلاء", status="approved"))
    for name, gender in (("زينب علي حسين الأسدي", "f"), ("محمد جاسم كاظم الموسوي", "m"),
                         ("فاطمة عباس عبد الحسين الجبوري", "f"), ("علي حسن", "m"),
                         ("عبد الرحمن محمد صالح عبد الكريم الخزرجي", "m"),
                         ("نور الهدى كريم", "f")):
        person = store.insert(db, records.Person(full_name=name, gender=gender))
        attendance.add(db, activity.id, person.id)
    expected = FIXTURE.read_bytes()
    for name in ("first.docx", "reprint.docx"):
        export_certificates(db, activity.id, tmp_path / name)
        with zipfile.ZipFile(tmp_path / name) as docx:
            assert docx.read("word/document.xml") == expected, name
    assert certificates.next_serial(db, 2026) == "CERT-2026-0007"


@pytest.fixture(autouse=True)
def _no_plans_between_tests():
    yield
    certificates._PLANNED.clear()


# --- the ornaments picture, kept once drawn ------------------------------------------------

def test_the_ornaments_picture_is_drawn_once_and_a_damaged_copy_is_drawn_again(
        db, workshop, tmp_path):
    from exporters import certificate_docx
    from exporters.certificate_designs import design
    from exporters.certificate_plan import draw_ornaments_png

    certificates.ensure_key(db)
    for p in people(db, 2):
        attendance.add(db, workshop.id, p.id)
    pages = prepare(db, workshop.id)
    look = design(pages[0].design)
    drawn = draw_ornaments_png(look, certificate_docx.ORNAMENT_DPI)
    assert drawn is not None  # the default design has ornaments

    def media(path: Path) -> list[bytes]:
        with zipfile.ZipFile(path) as docx:
            return [docx.read(n) for n in docx.namelist() if n.startswith("word/media/")]

    certificate_docx._ornaments_png.cache_clear()
    certificate_docx.write_docx(pages, tmp_path / "a.docx")
    cached = certificate_docx._ornaments_file(look)
    assert cached is not None and cached.read_bytes() == drawn
    cached.write_bytes(b"not a picture")
    certificate_docx._ornaments_png.cache_clear()
    certificate_docx.write_docx(pages, tmp_path / "b.docx")
    assert drawn in media(tmp_path / "a.docx") and drawn in media(tmp_path / "b.docx")
    assert cached.read_bytes() == drawn


# --- the QR code, made faster ----------------------------------------------------------------

def test_qr_codes_are_segnos_to_the_module_for_every_size_of_line():
    import random

    import segno

    rng = random.Random(15)
    letters = ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ةىءأإآ",
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -'")
    sizes = set()
    for n in range(300):
        name = "".join(rng.choice(letters[n % 2])
                       for _ in range(rng.choice((1, 5, 20, 60, 150, 400))))
        signature = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(103))
        line = f"KRB-2026-{rng.randint(1, 99999):04d}|{name}|{signature}"
        code = segno.make(line, error="m", encoding="utf-8", micro=False,
                          mask=certificates.QR_MASK, boost_error=False)
        assert certificates.qr_matrix(line) == [bytes(row) for row in code.matrix], line
        sizes.add(len(code.matrix))
    assert len(sizes) >= 8  # many versions, small to large
    assert certificates.qr_matrix("no separator") == [
        bytes(row) for row in segno.make("no separator", error="m", encoding="utf-8",
                                         micro=False, mask=certificates.QR_MASK,
                                         boost_error=False).matrix]
