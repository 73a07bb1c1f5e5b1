"""Letter numbers and the outbox: a per-year sequence the unit can start where it wants,
taken under the write lock so two processes never share a number, and a log whose SHA-256
is the file's."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from models import letters, store
from models.db import Database
from models.letters import Letter, LetterError

ROOT = Path(__file__).resolve().parent.parent


def letter(day: str = "2026-11-23", subject: str = "التقرير الشهري") -> Letter:
    return Letter(date=day, subject=subject, addressee="مركز المعلومات الموحد")


def test_first_letter_of_a_year_is_number_one(db):
    assert letters.next_number(db, 2026) == 1
    recorded = letters.record_letter(db, letter())
    assert (recorded.year, recorded.number) == (2026, 1)
    assert recorded.unit_id == db.local_unit_id
    assert store.get(db, Letter, recorded.id) == recorded


def test_numbers_follow_in_each_year_separately(db):
    numbers = [letters.record_letter(db, letter(day)).number
               for day in ("2026-01-05", "2026-03-01", "2027-01-02", "2026-12-31",
                           "2027-02-01")]
    assert numbers == [1, 2, 1, 3, 2]
    assert letters.next_number(db, 2026) == 4
    assert letters.next_number(db, 2027) == 3
    assert letters.next_number(db, 2028) == 1


def test_deleted_letters_keep_their_numbers(db):
    first = letters.record_letter(db, letter())
    store.delete(db, Letter, first.id)
    assert letters.record_letter(db, letter()).number == 2


def test_start_number_set_by_the_unit(db):
    letters.set_start(db, 2026, 345)
    assert db.setting("letter_start_2026") == "345"
    assert letters.next_number(db, 2026) == 345
    assert letters.next_number(db, 2027) == 1  # other years are untouched
    assert [letters.record_letter(db, letter()).number for _ in range(2)] == [345, 346]


def test_start_number_below_a_used_number_is_refused(db):
    for _ in range(3):
        letters.record_letter(db, letter())
    with pytest.raises(LetterError) as err:
        letters.set_start(db, 2026, 2)
    assert "٣" in err.value.arabic or "3" in err.value.arabic
    assert "letter 3" in err.value.english
    with pytest.raises(LetterError):
        letters.set_start(db, 2026, 0)
    with pytest.raises(LetterError):
        letters.set_start(db, 1800, 5)
    letters.set_start(db, 2026, 10)
    assert letters.next_number(db, 2026) == 10


def test_a_failure_before_commit_uses_no_number(db):
    def fail(_numbered):
        raise OSError("disk full")

    with pytest.raises(OSError):
        letters.record_letter(db, letter(), before_commit=fail)
    assert letters.outbox(db) == []
    assert letters.next_number(db, 2026) == 1


def test_a_letter_without_subject_is_refused(db):
    with pytest.raises(Exception) as err:
        letters.record_letter(db, letter(subject=""))
    assert err.value.field == "subject"
    assert letters.next_number(db, 2026) == 1


def test_outbox_lists_by_year_and_number_with_the_files_sha256(db, tmp_path):
    files = []

    def write(numbered: Letter) -> Letter:
        path = tmp_path / f"letter-{numbered.year}-{numbered.number}.docx"
        path.write_bytes(f"letter {numbered.number}".encode())
        files.append(path)
        return Letter(**{**vars(numbered), "file_name": path.name,
                         "sha256": letters.fingerprint(path)})

    for day in ("2027-01-02", "2026-05-01", "2026-06-01"):
        letters.record_letter(db, letter(day), before_commit=write)
    sent = letters.outbox(db)
    assert [(x.year, x.number) for x in sent] == [(2026, 1), (2026, 2), (2027, 1)]
    assert [(x.year, x.number) for x in letters.outbox(db, 2026)] == [(2026, 1), (2026, 2)]
    for x in sent:
        path = tmp_path / x.file_name
        assert x.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert len(x.sha256) == 64


def test_fingerprint_is_sha256(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00" * 200_000 + "عربي".encode())
    assert letters.fingerprint(path) == hashlib.sha256(path.read_bytes()).hexdigest()


_WORKER = """
import sys, time
sys.path.insert(0, {root!r})
from models import letters
from models.db import Database
from models.letters import Letter

def slow(numbered):
    time.sleep(0.01)  # between taking the number and storing it: where a race would hit
    return numbered

with Database.open({db!r}) as db:
    for _ in range({count}):
        got = letters.record_letter(
            db, Letter(date="2026-11-23", subject="كتاب"), before_commit=slow)
        print(got.number, flush=True)
"""


def test_two_processes_never_share_a_number(db_path):
    Database.open(db_path, create=True).close()  # created and migrated before the race
    count = 25
    script = _WORKER.format(root=str(ROOT), db=str(db_path), count=count)
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    numbers = [int(n) for out, _ in outputs for n in out.split()]
    assert sorted(numbers) == list(range(1, 2 * count + 1))
    with Database.open(db_path) as db:
        assert sorted(x.number for x in letters.outbox(db, 2026)) == sorted(numbers)
