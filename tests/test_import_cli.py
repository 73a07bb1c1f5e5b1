"""``python main.py import attendees --activity ID FILE``, run as a user types it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from models import attendance, records, store
from models.db import Database
from tests.conftest import karbala_workshop
from tests.test_cli import ROOT, run
from tests.test_importer import ATTENDEES, HEADER, table_dump, write_xlsx


@pytest.fixture
def setup(db_path, tmp_path):
    """A database with the seed workshop and one person already known; the workshop's
    list as an .xlsx with a title row, a repeated person and a row with a bad phone."""
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
        known = store.insert(db, records.Person(full_name="زينب علي حسين الاسدي",
                                                phone="07701234567", gender="f"))
    rows = [HEADER, *(list(r) for r in ATTENDEES),
            ["8", "حيدر عباس كاظم الموسوى", "", "", "", ""],
            ["9", "سجاد محمد رضا", "", "", "هاتف المكتب", ""]]
    path = write_xlsx(tmp_path / "مشاركو الورشة.xlsx", rows)
    return db_path, workshop, known, path


def test_import_as_json(setup):
    db_path, workshop, known, path = setup
    result = run("import", "attendees", "--activity", workshop.id[:8], str(path), "--json",
                 db=db_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["added"], out["matched"], out["skipped"]) == (6, 2, 1)
    assert out["activity_id"] == workshop.id
    assert out["sheet"] == "المشاركون"
    assert out["problems"] == [{"row": 12, "field": "phone", "message": (
        "رقم الهاتف في «الهاتف» يجب أن يحوي أرقاماً فقط (مع + أو - أو مسافات).")}]
    dups = {d["row"]: d for d in out["duplicates"]}
    assert set(dups) == {4, 11}
    assert (dups[4]["matched_id"], dups[4]["reason"], dups[4]["name"]) == (
        known.id, "الاسم نفسه", "زينب علي حسين الأسدي")
    assert (dups[11]["reason"], dups[11]["matched_row"]) == ("الاسم نفسه", 5)
    with Database.open(db_path) as db:
        names = [a.person.full_name for a in attendance.attendees(db, workshop.id)]
        assert names == ["زينب علي حسين الاسدي"] + [r[1] for r in ATTENDEES[1:]]
        assert dups[11]["matched_id"] == store.find(
            db, records.Person, "full_name = ?", ("حيدر عباس كاظم الموسوي",))[0].id
        assert store.count(db, records.Person) == 7


def test_import_prints_a_summary_in_arabic(setup):
    db_path, workshop, known, path = setup
    result = run("import", "attendees", str(path), "--activity", workshop.id, db=db_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (f"استيراد المشاركين إلى «{workshop.title}» من «مشاركو الورشة.xlsx» "
                        "(الورقة «المشاركون»)")
    assert "الاسم الرباعي ← «الاسم الرباعي»" in lines[1]
    assert lines[2:5] == ["أُضيف مشاركون جدد: 6", "طوبقوا مع مشاركين موجودين: 2",
                          "تُجووزوا: 1 (صفوف فارغة: 0، فيها مشكلات: 1، في القائمة أصلاً: 0)"]
    assert "الصفوف التي فيها مشكلات (لم تُستورد):" in lines
    assert "  الصف 12 — الهاتف: رقم الهاتف في «الهاتف» يجب أن يحوي أرقاماً فقط (مع + أو - أو " \
        "مسافات)." in lines
    assert "  الصف 4 — زينب علي حسين الأسدي ← زينب علي حسين الاسدي (الاسم نفسه)" in lines
    assert "  الصف 11 — حيدر عباس كاظم الموسوى ← حيدر عباس كاظم الموسوي (الاسم نفسه)، " \
        "الصف 5" in lines
    again = run("import", "attendees", str(path), "--activity", workshop.id, "--json",
                db=db_path)
    out = json.loads(again.stdout)
    assert (out["added"], out["matched"], out["skipped"], out["already_on_list"]) == (
        0, 0, 9, 8)


def test_a_windows_arabic_csv(setup, tmp_path):
    db_path, workshop, _, _ = setup
    path = tmp_path / "list.csv"
    rows = [HEADER, *ATTENDEES[1:3]]
    path.write_bytes("\r\n".join(";".join(r) for r in rows).encode("cp1256"))
    out = json.loads(run("import", "attendees", "--activity", workshop.id, str(path),
                         "--json", db=db_path).stdout)
    assert (out["added"], out["matched"]) == (2, 0)


@pytest.mark.parametrize(("name", "data", "arabic"), [
    ("report.xlsx", b"%PDF-1.7\n1 0 obj\n", "ملف PDF وليس جدول بيانات"),
    ("cut.xlsx", None, "تعذّرت قراءة «cut.xlsx» كملف Excel"),
    ("empty.csv", b"", "الملف «empty.csv» فارغ."),
    ("noise.csv", bytes(range(256)) * 8, "لا يحوي نصاً مقروءاً"),
])
def test_a_broken_file_exits_1_and_changes_nothing(setup, name, data, arabic):
    db_path, workshop, _, good = setup
    path = good.parent / name
    path.write_bytes(data if data is not None else good.read_bytes()[:2000])
    with Database.open(db_path) as db:
        before = table_dump(db)
    result = run("import", "attendees", "--activity", workshop.id, str(path), "--json",
                 db=db_path)
    assert result.returncode == 1
    assert result.stdout == ""
    arabic_line, english_line = result.stderr.splitlines()
    assert arabic in arabic_line
    assert name in english_line and english_line.isascii()
    with Database.open(db_path) as db:
        assert table_dump(db) == before


def test_unknown_activity_and_missing_file(setup):
    db_path, workshop, _, path = setup
    result = run("import", "attendees", "--activity", "ffffffff", str(path), db=db_path)
    assert result.returncode == 1
    assert "لا يوجد سجل بالمعرّف" in result.stderr
    missing = run("import", "attendees", "--activity", workshop.id, "nothere.xlsx",
                  db=db_path)
    assert missing.returncode == 1
    assert "تعذّر فتح الملف «nothere.xlsx»" in missing.stderr
    usage = run("import", "attendees", str(path), db=db_path)
    assert usage.returncode == 2
    assert "--activity" in usage.stderr


def test_the_command_does_not_load_qt(setup):
    db_path, workshop, _, path = setup
    code = ("import sys, main\n"
            f"rc = main.main(['--db', {str(db_path)!r}, 'import', 'attendees', '--activity', "
            f"{workshop.id!r}, {str(path)!r}, '--json'])\n"
            "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
            "print(rc, qt, file=sys.stderr)\n"
            "sys.exit(1 if qt or rc else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            encoding="utf-8", cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 6
