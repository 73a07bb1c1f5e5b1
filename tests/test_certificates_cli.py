"""``main.py export certificates``, run as a user types it (through a subprocess): the
file, one page per attendee, serials kept on reprint and never shared between two
processes, clear messages for bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from models import attendance, certificates, records, store
from models.db import Database
from tests.conftest import karbala_workshop
from tests.test_cli import run

NAMES = [("زينب علي حسين الأسدي", "f"), ("أحمد كريم عبد الله الزبيدي", "m"),
         ("فاطمة جاسم محمد علي", "f")]


@pytest.fixture
def listed(db_path):
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
        persons = []
        for name, gender in NAMES:
            person = store.insert(db, records.Person(full_name=name, gender=gender))
            attendance.add(db, workshop.id, person.id)
            persons.append(person)
    return db_path, workshop, persons


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def serials(db_path, activity_id) -> dict[str, str]:
    with Database.open(db_path) as db:
        return {c.person_id: c.serial for c in store.find(
            db, records.Certificate, "activity_id = ?", (activity_id,))}


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils is not installed")
def test_pdf_for_every_attendee_then_a_reprint_keeps_the_serials(listed, tmp_path):
    db_path, workshop, persons = listed
    out = tmp_path / "شهادات.pdf"
    result = run("export", "certificates", "--activity", workshop.id[:8], "--design",
                 "modern", "--out", str(out), "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"file": str(out), "certificates": 3}
    assert pdf_pages(out) == 3
    first = serials(db_path, workshop.id)
    assert len(set(first.values())) == 3

    again = tmp_path / "شهادة واحدة.docx"
    result = run("export", "certificates", "--activity", workshop.id, "--person",
                 persons[1].id, "--out", str(again), db=db_path)
    assert result.returncode == 0, result.stderr
    assert again.is_file()
    assert serials(db_path, workshop.id) == first
    with Database.open(db_path) as db:
        cert = certificates.find(db, persons[1].id, workshop.id)
        assert cert.reprints == 1
        assert certificates.find(db, persons[0].id, workshop.id).reprints == 0


def test_two_processes_printing_at_once_never_share_a_serial(db_path, tmp_path):
    with Database.open(db_path, create=True) as db:
        activities = [store.insert(db, karbala_workshop()) for _ in range(2)]
        for i, activity in enumerate(activities):
            for n in range(4):
                person = store.insert(db, records.Person(full_name=f"مشارك رقم {n} {i}"))
                attendance.add(db, activity.id, person.id)

    def export(activity):
        return run("export", "certificates", "--activity", activity.id, "--out",
                   str(tmp_path / f"{activity.id}.docx"), db=db_path)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(export, activities))
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    every = [s for a in activities for s in serials(db_path, a.id).values()]
    assert len(every) == 8 and len(set(every)) == 8


def test_a_wrong_suffix_or_unknown_design_is_refused_in_arabic(listed, tmp_path):
    db_path, workshop, _ = listed
    result = run("export", "certificates", "--activity", workshop.id, "--out",
                 str(tmp_path / "x.txt"), db=db_path)
    assert result.returncode == 1
    assert ".docx" in result.stderr and "لا يمكن حفظ الشهادات" in result.stderr
    result = run("export", "certificates", "--activity", workshop.id, "--design", "gothic",
                 "--out", str(tmp_path / "x.docx"), db=db_path)
    assert result.returncode == 2
    assert "غير معروفة" in result.stderr
    assert serials(db_path, workshop.id) == {}


def test_nobody_attended_says_so_and_issues_nothing(db_path, tmp_path):
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
    out = tmp_path / "x.docx"
    result = run("export", "certificates", "--activity", workshop.id, "--out", str(out),
                 db=db_path)
    assert result.returncode == 1
    assert "لم يُسجَّل حضور أحد" in result.stderr
    assert not out.exists()
