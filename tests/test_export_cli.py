"""The export commands, run as a user types them (through a subprocess)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import docx
import pytest

from models import letters
from models.db import Database
from tests.test_cli import ROOT, run


def opens(path) -> str:
    """The document's text, as python-docx reads it back (header and body)."""
    doc = docx.Document(path)
    header = "\n".join(c.text for t in doc.sections[0].header.tables
                       for c in t.rows[0].cells)
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    # a date's no-break spaces (models.wording) read as spaces here
    return "\n".join((header, body, cells)).replace("\u00a0", " ")


def test_export_news(cli_db, tmp_path):
    db_path, workshop = cli_db
    out = tmp_path / "خبر.docx"
    result = run("export", "news", "--activity", workshop.id[:8], "--out", str(out),
                 db=db_path)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    assert workshop.place in opens(out)


def test_export_attendance_as_json(cli_db, tmp_path):
    db_path, workshop = cli_db
    out = tmp_path / "كشف الحضور.docx"
    result = run("export", "attendance", "--activity", workshop.id, "--out", str(out),
                 "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"file": str(out)}
    assert "زينب علي حسين الأسدي" in opens(out)


def test_export_periodic(cli_db, tmp_path):
    db_path, workshop = cli_db
    out = tmp_path / "تقرير.docx"
    result = run("export", "periodic", "--from", "2026-10-01", "--to", "٢٠٢٦-١١-٣٠",
                 "--out", str(out), "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["file"] == str(out)
    assert workshop.title in opens(out)


def test_export_letter_carries_the_report(cli_db, tmp_path):
    db_path, _ = cli_db
    report = tmp_path / "التقرير الدوري.docx"
    assert run("export", "periodic", "--from", "2026-10-01", "--to", "2026-11-30",
               "--out", str(report), db=db_path).returncode == 0
    out = tmp_path / "كتاب.docx"
    result = run("export", "letter", "--report", str(report), "--subject",
                 "التقرير الدوري لشهري تشرين الأول وتشرين الثاني", "--out", str(out),
                 "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["file"] == str(out) and answer["number"] == 1
    assert answer["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    text = opens(out)
    assert "إلى / مركز المعلومات الموحد" in text
    # the enclosure is listed by the report's own description, not by its file name
    from exporters.letter import enclosure_description

    described = enclosure_description(report)  # what the periodic report says it is
    assert "تشرين الأول" in described and f"١. {described}" in text
    assert report.name not in text
    assert "م/ التقرير الدوري لشهري تشرين الأول وتشرين الثاني" in text

    second = run("export", "letter", "--report", str(report), "--subject", "تقرير",
                 "--to", "دائرة الاتصال الحكومي", "--out", str(tmp_path / "2.docx"),
                 db=db_path)
    assert second.returncode == 0, second.stderr
    assert str(tmp_path / "2.docx") in second.stdout
    assert "إلى / دائرة الاتصال الحكومي" in opens(tmp_path / "2.docx")
    with Database.open(db_path) as db:
        assert [x.file_name for x in letters.outbox(db)] == ["كتاب.docx", "2.docx"]


def assert_fails_in_two_languages(result, arabic: str, english: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and arabic in lines[0] and english in lines[1], lines


@pytest.mark.parametrize("kind", ["news", "attendance"])
def test_unknown_activity_fails_with_exit_1(cli_db, tmp_path, kind):
    db_path, _ = cli_db
    out = tmp_path / "x.docx"
    result = run("export", kind, "--activity", "zzzz", "--out", str(out), db=db_path)
    assert_fails_in_two_languages(result, "لا يوجد سجل", "No record")
    assert not out.exists()


@pytest.mark.parametrize("kind", ["news", "periodic", "attendance", "letter"])
def test_missing_folder_fails_with_exit_1(cli_db, tmp_path, kind):
    db_path, workshop = cli_db
    report = tmp_path / "report.docx"
    report.write_bytes(b"x")
    args = {"news": ["--activity", workshop.id], "attendance": ["--activity", workshop.id],
            "periodic": ["--from", "2026-01-01", "--to", "2026-12-31"],
            "letter": ["--report", str(report), "--subject", "تقرير"]}[kind]
    out = tmp_path / "no-such-folder" / "x.docx"
    result = run("export", kind, *args, "--out", str(out), db=db_path)
    assert_fails_in_two_languages(result, "تعذّر حفظ", "Cannot save")
    if kind == "letter":
        with Database.open(db_path) as db:
            assert letters.outbox(db) == []


def test_letter_without_its_report_fails_with_exit_1(cli_db, tmp_path):
    db_path, _ = cli_db
    result = run("export", "letter", "--report", str(tmp_path / "nothing.docx"),
                 "--subject", "تقرير", "--out", str(tmp_path / "l.docx"), db=db_path)
    assert_fails_in_two_languages(result, "لا يوجد ملف التقرير", "does not exist")


def test_usage_errors_exit_2(cli_db, tmp_path):
    db_path, _ = cli_db
    assert run("export", "news", "--out", str(tmp_path / "x.docx"), db=db_path).returncode == 2
    assert run("export", "periodic", "--from", "أمس", "--to", "2026-01-01", "--out",
               str(tmp_path / "x.docx"), db=db_path).returncode == 2
    assert run("export", "letter", "--report", "r.docx", "--out", "x.docx",
               db=db_path).returncode == 2  # no subject
    assert run("export", db=db_path).returncode == 2


def test_missing_database_is_refused(tmp_path):
    result = run("export", "periodic", "--from", "2026-01-01", "--to", "2026-12-31",
                 "--out", str(tmp_path / "x.docx"), db=tmp_path / "none.sqlite3")
    assert result.returncode == 1
    assert not (tmp_path / "none.sqlite3").exists() and not (tmp_path / "x.docx").exists()


def test_export_commands_do_not_import_qt(cli_db, tmp_path):
    db_path, workshop = cli_db
    report = tmp_path / "report.docx"
    report.write_bytes(b"x")
    commands = [
        ["export", "news", "--activity", workshop.id, "--out", str(tmp_path / "n.docx")],
        ["export", "attendance", "--activity", workshop.id, "--out",
         str(tmp_path / "a.docx")],
        ["export", "periodic", "--from", "2026-01-01", "--to", "2026-12-31", "--out",
         str(tmp_path / "p.docx")],
        ["export", "letter", "--report", str(report), "--subject", "تقرير", "--out",
         str(tmp_path / "l.docx"), "--json"],
    ]
    probe = (
        "import sys, main\n"
        f"codes = [main.main(['--db', {str(db_path)!r}, *c]) for c in {commands!r}]\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken')))\n"
        "sys.stderr.write(repr((codes, qt)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == repr(([0, 0, 0, 0], []))
