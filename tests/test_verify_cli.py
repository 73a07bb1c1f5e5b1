"""``main.py verify``, run as a user types it (through a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from models import certificates, records, store
from models.db import Database
from tests.conftest import karbala_workshop
from tests.test_cli import ROOT, run

NAME = "زينب علي حسين الأسدي"


@pytest.fixture
def issued(db_path):
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
        person = store.insert(db, records.Person(full_name=NAME, gender="f"))
        cert = certificates.issue(db, person.id, workshop.id)
    return db_path, workshop, cert


def test_qr_line_is_genuine(issued):
    db_path, workshop, cert = issued
    result = run("verify", certificates.qr_payload(cert), db=db_path)
    assert result.returncode == 0, result.stderr
    assert NAME in result.stdout and cert.serial in result.stdout
    assert workshop.title in result.stdout and "2026-11-22" in result.stdout


def test_short_code_typed_in_pieces_is_genuine(issued):
    db_path, _, cert = issued
    code = cert.code.lower()
    result = run("verify", code[:5], code[5:], db=db_path)
    assert result.returncode == 0, result.stderr
    assert NAME in result.stdout


def test_json(issued):
    db_path, workshop, cert = issued
    result = run("verify", cert.code, "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["genuine"] is True
    assert (data["serial"], data["holder_name"], data["activity_id"]) == \
        (cert.serial, NAME, workshop.id)
    assert (data["start_date"], data["end_date"]) == ("2026-11-22", "2026-11-23")


@pytest.mark.parametrize("change", ["name", "serial", "signature", "random"])
def test_not_genuine_exits_1_with_both_messages(issued, change):
    db_path, _, cert = issued
    serial, name, sig = cert.serial, cert.holder_name, cert.signature
    text = {
        "name": f"{serial}|{name} الثانية|{sig}",
        "serial": f"{serial[:-1]}9|{name}|{sig}",
        "signature": f"{serial}|{name}|{sig[:30]}{'A' if sig[30] != 'A' else 'B'}{sig[31:]}",
        "random": "QWERTYUIOP",
    }[change]
    result = run("verify", text, db=db_path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert any("\u0600" <= ch <= "\u06ff" for ch in lines[0])
    assert lines[1].isascii() or "«" not in lines[1]


def test_not_genuine_json_exits_1(issued):
    db_path, _, _ = issued
    result = run("verify", "QWERTYUIOP", "--json", db=db_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["genuine"] is False and data["reason"] and data["reason_en"]


def test_missing_database_exits_1(tmp_path):
    result = run("verify", "QWERTYUIOP", db=tmp_path / "none.sqlite3")
    assert result.returncode == 1
    assert not (tmp_path / "none.sqlite3").exists()


def test_verify_does_not_import_qt(issued):
    db_path, _, cert = issued
    commands = [["verify", cert.code], ["verify", "QWERTYUIOP", "--json"]]
    probe = (
        "import sys, main\n"
        f"codes = [main.main(['--db', {str(db_path)!r}, *c]) for c in {commands!r}]\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken')))\n"
        "sys.stderr.write('\\nRESULT ' + repr((codes, qt)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            encoding="utf-8", cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.rsplit("RESULT ", 1)[1] == repr(([0, 1], []))
