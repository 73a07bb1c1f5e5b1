"""``main.py bundle export|import``, ``keys export`` and ``list --unit``, run as a user
types them (subprocesses on real files)."""

from __future__ import annotations

import json
import zipfile

import pytest

from models import certificates, records, store
from models.db import Database
from tests.test_cli import run
from tests.test_data_bundle import dump, make_unit


@pytest.fixture
def units(tmp_path):
    a = make_unit(tmp_path / "a", "مديرية تربية كربلاء", "ورشة الإعلام التربوي")
    b = make_unit(tmp_path / "b", "مديرية صحة بابل", "ندوة التوعية الصحية")
    return a, b


def fingerprint_of(path) -> str:
    with Database.open(path) as db:
        return certificates.fingerprint(certificates.key_state(db).current)


def test_export_marks_sent_and_logs_the_bundle(units, tmp_path):
    a, _ = units
    out = tmp_path / "send.ittisal"
    result = run("bundle", "export", "--out", str(out), db=a)
    assert result.returncode == 0, result.stderr
    assert "كُتبت حزمة البيانات" in result.stdout and str(out.name) in result.stdout
    assert zipfile.ZipFile(out).namelist()[:2] == ["manifest.json", "manifest.sig"]
    with Database.open(a) as db:
        assert db.scalar("SELECT status FROM activities WHERE kind = 'workshop'") == "sent"
        assert db.scalar("SELECT status FROM activities WHERE kind = 'meeting'") == "draft"
        assert db.rows("SELECT file_name, direction FROM bundles") == [
            {"file_name": "send.ittisal", "direction": "out"}]


def test_centre_imports_two_units_lists_by_unit_and_verifies(units, tmp_path):
    a, b = units
    files = []
    for unit, name in ((a, "a.ittisal"), (b, "b.ittisal")):
        assert run("bundle", "export", "--out", str(tmp_path / name), db=unit).returncode == 0
        files.append(str(tmp_path / name))
    centre = tmp_path / "centre.sqlite3"
    result = run("bundle", "import", *files, db=centre)
    assert result.returncode == 0, result.stderr
    assert "مركز معلومات الوزارة" in result.stdout
    assert fingerprint_of(a) in result.stdout and fingerprint_of(b) in result.stdout
    every = run("list", "activities", "--json", db=centre)
    assert {r["title"] for r in json.loads(every.stdout)} == {"ورشة الإعلام التربوي",
                                                              "ندوة التوعية الصحية"}
    babil = run("list", "activities", "--unit", "بابل", db=centre)
    assert "ندوة التوعية الصحية" in babil.stdout
    assert "ورشة الإعلام التربوي" not in babil.stdout
    coverage = run("list", "coverage", "--unit", "كربلاء", db=centre)
    assert "ورشة الإعلام التربوي" in coverage.stdout
    assert "ندوة التوعية الصحية" not in coverage.stdout
    nobody = run("list", "plans", "--unit", "نينوى", db=centre)
    assert nobody.returncode == 2 and "No unit matches" in nobody.stderr
    with Database.open(b) as db:
        cert = store.find(db, records.Certificate)[0]
    verified = run("verify", certificates.qr_payload(cert), db=centre)
    assert verified.returncode == 0, verified.stderr
    assert "شهادة صحيحة" in verified.stdout
    again = run("bundle", "import", *files, db=centre)
    assert again.returncode == 0 and "استُوردت من قبل" in again.stdout


def test_expect_fingerprint(units, tmp_path):
    a, _ = units
    bundle = tmp_path / "a.ittisal"
    run("bundle", "export", "--out", str(bundle), db=a)
    centre = tmp_path / "centre.sqlite3"
    wrong = run("bundle", "import", "--expect-fingerprint", "abcd abcd abcd abcd",
                str(bundle), db=centre)
    assert wrong.returncode == 1
    arabic, english = wrong.stderr.strip().splitlines()[-2:]
    assert "بصمة مفتاح الحزمة" in arabic and "not abcd abcd abcd abcd" in english
    with Database.open(centre) as db:
        assert db.scalar("SELECT count(*) FROM activities") == 0
    right = run("bundle", "import", "--expect-fingerprint", fingerprint_of(a), str(bundle),
                db=centre)
    assert right.returncode == 0, right.stderr


def test_tampered_bundle_refused_with_both_languages_and_no_change(units, tmp_path):
    a, _ = units
    bundle = tmp_path / "a.ittisal"
    run("bundle", "export", "--out", str(bundle), db=a)
    centre = tmp_path / "centre.sqlite3"
    assert run("bundle", "import", str(bundle), db=centre).returncode == 0
    before = dump(centre)
    data = bytearray(bundle.read_bytes())
    bad = tmp_path / "bad.ittisal"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == "tables/persons.jsonl":
                body = body.replace("زينب".encode(), "فاطمة".encode())
            zout.writestr(info.filename, body)
    result = run("bundle", "import", str(bad), db=centre)
    assert result.returncode == 1
    assert "لا يطابق بصمته" in result.stderr and "does not match its hash" in result.stderr
    assert dump(centre) == before
    assert data  # the good file itself is untouched


def test_keys_export_is_the_public_key_alone(units, tmp_path):
    a, _ = units
    out = tmp_path / "key.json"
    result = run("keys", "export", "--out", str(out), db=a)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["fingerprint"] == fingerprint_of(a) and data["fingerprint"] in result.stdout
    assert "BEGIN PUBLIC KEY" in data["pem"] and "PRIVATE" not in out.read_text()
