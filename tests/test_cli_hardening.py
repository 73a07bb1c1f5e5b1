"""The command line against careless or hostile input, run as a user types it (a
subprocess of ``main.py``, from another working directory): output paths that would
destroy the database, its files, backups or keys are refused before any work; bad numbers,
dates, names and folders get their own message and exit code; a reader that goes away
(``| head``) ends the command quietly. None of it is an "unexpected error": the log of
those stays absent."""

from __future__ import annotations

import hashlib
import inspect
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import main
from models import backup, paths
from models.db import Database
from models.protected_paths import ProtectedPathError, refuse_protected_output
from tests.test_cli import ROOT

KINDS = ("news", "attendance", "certificates", "periodic", "letter")
APOLOGY = "غير متوقع"
PEM = (b"-----BEGIN PRIVATE KEY-----\n"
       b"MC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
       b"-----END PRIVATE KEY-----\n")


def run(*args: str, db: Path | None = None, cwd: Path | None = None, **popen):
    """``python main.py [--db DB] ARGS`` from ``cwd`` (another folder than the project's)."""
    env = {**os.environ}
    env.pop("PYTHONIOENCODING", None)
    cmd = [sys.executable, str(ROOT / "main.py")]
    if db is not None:
        cmd += ["--db", str(db)]
    popen.setdefault("capture_output", True)
    return subprocess.run(cmd + list(args), text=True, encoding="utf-8", env=env,
                          timeout=120, cwd=cwd or (db.parent if db else None), **popen)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(db_path: Path) -> dict[str, int]:
    """Rows of every table, read without changing the file or making a -wal beside it (a
    cleanly closed database has everything in the file itself)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro&immutable=1", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search_fts%'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def no_bug_logged() -> None:
    assert not main.log_path().exists(), main.log_path().read_text(encoding="utf-8")


def fails(result, code: int, *texts: str) -> None:
    """Exit ``code``; stderr has each text and no apology; nothing went to the bug log."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    for text in texts:
        assert text in result.stderr, result.stderr
    assert APOLOGY not in result.stderr and "Traceback" not in result.stderr
    no_bug_logged()


def export_args(kind: str, activity_id: str, report: Path) -> list[str]:
    return {"news": ["--activity", activity_id], "attendance": ["--activity", activity_id],
            "certificates": ["--activity", activity_id],
            "periodic": ["--from", "2026-01-01", "--to", "2026-12-31"],
            "letter": ["--report", str(report), "--subject", "تقرير"]}[kind]


@pytest.fixture
def data_folder(cli_db, tmp_path):
    """The command-line database with a backup in ``backups/``, a key in ``keys/``, a link
    to the database, a report to enclose, and a folder: what a careless --out may name."""
    db_path, workshop = cli_db
    with Database.open(db_path) as db:
        taken = backup.take(db)
    keys = paths.keys_dir(db_path)
    keys.mkdir()
    (keys / "unit.key").write_bytes(PEM)
    link = tmp_path / "report-link.docx"
    link.symlink_to(db_path)
    report = tmp_path / "report.docx"
    report.write_bytes(b"the report")
    folder = tmp_path / "out"
    folder.mkdir()
    targets = {"database": db_path, "wal": db_path.with_name(db_path.name + "-wal"),
               "backup": taken, "key": keys / "unit.key", "link": link, "folder": folder}
    return db_path, workshop, report, targets


REFUSED = {  # what each target's refusal says, in Arabic and in English
    "database": ("ملف قاعدة البيانات نفسه", "the database itself"),
    "wal": ("من ملفات قاعدة البيانات نفسها (-wal)", "the database's own files (-wal)"),
    "backup": ("يحفظ فيه البرنامج النسخ الاحتياطية", "where Ittisal keeps its backups"),
    "key": ("يحفظ فيه البرنامج مفاتيح التوقيع", "where Ittisal keeps the signing keys"),
    "link": ("ملف قاعدة البيانات نفسه", "the database itself"),
    "folder": ("مجلد وليس ملفاً", "is a folder, not a file"),
}


@pytest.mark.parametrize("target", list(REFUSED))
@pytest.mark.parametrize("kind", KINDS)
def test_an_output_that_would_destroy_data_is_refused(data_folder, kind, target):
    db_path, workshop, report, targets = data_folder
    out = targets[target]
    before = {p: digest(p) for p in (db_path, targets["backup"], targets["key"], report)}
    rows = counts(db_path)
    result = run("export", kind, *export_args(kind, workshop.id, report), "--out", str(out),
                 db=db_path)
    arabic, english = REFUSED[target]
    fails(result, 1, arabic, english)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and arabic in lines[0] and english in lines[1]
    assert {p: digest(p) for p in before} == before
    assert counts(db_path) == rows  # no certificate issued, no letter numbered
    assert not targets["wal"].exists()
    assert list(targets["folder"].iterdir()) == []
    with Database.open(db_path) as db:  # and it still opens, as sound as before
        assert backup.check_connection(db.conn, db.path).ok


def test_certificates_to_a_database_named_like_a_document_are_refused(cli_db, tmp_path):
    """The issue's case: a suffix check alone lets ``data.docx`` be replaced."""
    db_path, workshop = cli_db
    data = tmp_path / "data.docx"
    db_path.rename(data)
    before = digest(data)
    result = run("export", "certificates", "--activity", workshop.id, "--out", str(data),
                 db=data)
    fails(result, 1, "ملف قاعدة البيانات نفسه", "the database itself")
    assert digest(data) == before and counts(data)["certificates"] == 0


def test_another_database_or_a_copied_backup_is_not_overwritten(cli_db, tmp_path):
    db_path, workshop = cli_db
    stick = tmp_path / "stick"
    result = run("backup", "--to", str(stick / "ittisal-backup.sqlite3"), db=db_path)
    assert result.returncode == 0, result.stderr
    copy = stick / "ittisal-backup.sqlite3"
    before = digest(copy)
    result = run("export", "news", "--activity", workshop.id, "--out", str(copy), db=db_path)
    fails(result, 1, "قاعدة بيانات أو نسخة احتياطية", "holds a database or a backup")
    assert digest(copy) == before
    # ... while a backup may replace the earlier backup on the stick
    assert run("backup", "--to", str(copy), db=db_path).returncode == 0


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_backup_to_the_database_or_its_files_is_refused(data_folder, suffix):
    db_path, _, _, targets = data_folder
    before, rows = digest(db_path), counts(db_path)
    out = db_path.with_name(db_path.name + suffix)
    result = run("backup", "--to", str(out), db=db_path)
    fails(result, 1, "لا يُكتب الملف في", "Not writing to")
    assert digest(db_path) == before and counts(db_path) == rows
    assert suffix == "" or not out.exists()


def test_backup_to_a_folder_is_refused_before_any_work(data_folder):
    db_path, _, _, targets = data_folder
    result = run("backup", "--to", str(targets["folder"]), db=db_path)
    fails(result, 1, "مجلد وليس ملفاً", "is a folder, not a file")
    assert list(targets["folder"].iterdir()) == []


def test_a_letter_is_not_written_over_its_report(data_folder):
    db_path, _, report, _ = data_folder
    rows = counts(db_path)
    result = run("export", "letter", "--report", str(report), "--subject", "تقرير", "--out",
                 str(report.parent / "." / report.name), db=db_path)
    fails(result, 1, "فوق التقرير الذي يرافقه", "not written over the report")
    assert report.read_bytes() == b"the report" and counts(db_path) == rows


# --- the protected paths themselves ---------------------------------------------------------

def test_every_data_folder_of_models_paths_is_protected(tmp_path):
    """A folder added to models.paths later is covered: every ``*_dir(db_path)`` there."""
    db_path = tmp_path / "ittisal.sqlite3"
    folders = [fn(db_path) for name, fn in vars(paths).items()
               if name.endswith("_dir") and inspect.isfunction(fn)
               and list(inspect.signature(fn).parameters) == ["db_path"]]
    assert len(folders) >= 3
    assert set(paths.protected_dirs(db_path)) == set(folders)
    for folder in folders:
        with pytest.raises(ProtectedPathError):
            refuse_protected_output(db_path, folder / "sub" / "x.docx")


def test_links_dots_case_and_content_are_seen_through(tmp_path, monkeypatch):
    db_path = tmp_path / "ittisal.sqlite3"
    Database.open(db_path, create=True).close()
    keys = paths.keys_dir(db_path)
    keys.mkdir()
    (keys / "u.key").write_bytes(PEM)
    (tmp_path / "sub").mkdir()
    os.link(keys / "u.key", tmp_path / "hard.docx")  # a hard link says nothing by its name
    os.link(db_path, tmp_path / "hard-db.docx")
    for out in (tmp_path / "sub" / ".." / "ittisal.sqlite3", tmp_path / "hard.docx",
                tmp_path / "hard-db.docx", tmp_path / "ittisal.sqlite3-journal"):
        with pytest.raises(ProtectedPathError):
            refuse_protected_output(db_path, out)
    pem_elsewhere = tmp_path / "sub" / "key-copy.docx"
    pem_elsewhere.write_bytes(PEM)
    with pytest.raises(ProtectedPathError):
        refuse_protected_output(db_path, pem_elsewhere)
    # Case counts on this file system: another name is another file.
    assert refuse_protected_output(db_path, tmp_path / "ITTISAL.SQLITE3")
    # Where it does not (Windows, macOS, a FAT stick), the same name in capitals is refused.
    import models.protected_paths as protected

    monkeypatch.setattr(protected, "_ignores_case", lambda _path: True)
    with pytest.raises(ProtectedPathError):
        refuse_protected_output(db_path, tmp_path / "ITTISAL.SQLITE3")
    with pytest.raises(ProtectedPathError):
        refuse_protected_output(db_path, tmp_path / "KEYS" / "new.docx")
    assert refuse_protected_output(db_path, tmp_path / "report.docx") == \
        tmp_path / "report.docx"


# --- bad input that used to end in the apology ----------------------------------------------

def test_db_that_is_a_folder(tmp_path):
    result = run("list", "activities", db=tmp_path)
    fails(result, 1, "مجلد وليس ملف قاعدة بيانات", "is a folder, not a database file")
    result = run("demo", "--activities", "1", db=tmp_path)
    fails(result, 1, "مجلد وليس ملف قاعدة بيانات")


@pytest.mark.parametrize(("date_from", "date_to", "arabic", "english"), [
    ("2026-12-01", "2026-01-01", "بداية المدة (2026-12-01) بعد نهايتها (2026-01-01)",
     "starts (2026-12-01) after it ends (2026-01-01)"),
    ("0001-01-01", "2026-12-31", "السنة 1 خارج المدى", "the year 1 is outside"),
    ("2026-01-01", "9999-12-31", "السنة 9999 خارج المدى", "the year 9999 is outside"),
])
def test_a_periodic_report_of_an_impossible_period(cli_db, tmp_path, date_from, date_to,
                                                    arabic, english):
    db_path, _ = cli_db
    out = tmp_path / "p.docx"
    result = run("export", "periodic", "--from", date_from, "--to", date_to, "--out", str(out),
                 db=db_path)
    fails(result, 2, arabic, english)
    assert not out.exists()


def test_a_periodic_report_of_one_day_and_of_the_range_edges_is_written(cli_db, tmp_path):
    db_path, _ = cli_db
    for date_from, date_to in (("2026-11-22", "2026-11-22"), ("1900-01-01", "1900-12-31"),
                               ("2200-01-01", "2200-12-31")):
        out = tmp_path / f"{date_from}.docx"
        result = run("export", "periodic", "--from", date_from, "--to", date_to, "--out",
                     str(out), db=db_path)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    no_bug_logged()


LONG = "ن" * 300  # 600 bytes: longer than any file system's name


@pytest.mark.parametrize("kind", KINDS)
def test_a_300_character_file_name_cannot_be_written(data_folder, tmp_path, kind):
    db_path, workshop, report, _ = data_folder
    rows = counts(db_path)
    suffix = ".pdf" if kind == "certificates" else ".docx"
    result = run("export", kind, *export_args(kind, workshop.id, report), "--out",
                 str(tmp_path / f"{LONG}{suffix}"), db=db_path)
    fails(result, 1, "تعذّر حفظ", "Cannot save")
    assert counts(db_path) == rows


def test_a_300_character_backup_name_cannot_be_written(cli_db, tmp_path):
    db_path, _ = cli_db
    result = run("backup", "--to", str(tmp_path / f"{LONG}.sqlite3"), db=db_path)
    fails(result, 1, "تعذّر حفظ الملف", "Cannot save")
    assert LONG not in result.stderr and "…" in result.stderr  # the name is cut
    assert list(tmp_path.iterdir()) == [db_path]  # no draft left behind


@pytest.mark.parametrize("args", [
    ["restore", str(Path("/tmp") / f"{LONG}.sqlite3")],
    ["import", "attendees", "--activity", "x", f"{LONG}.xlsx"],
    ["export", "letter", "--report", f"{LONG}.docx", "--subject", "s", "--out", "l.docx"],
])
def test_a_300_character_name_to_read_is_said_so(cli_db, args):
    db_path, _ = cli_db
    fails(run(*args, db=db_path), 1, "تعذّرت قراءة الملف", "Cannot read")


def test_a_300_character_database_name(tmp_path):
    fails(run("list", "activities", db=tmp_path / LONG), 1, "تعذّرت قراءة الملف",
          "Cannot read")


@pytest.mark.parametrize("args", [
    ["list", "activities", "--limit", str(2**64)],
    ["search", "كربلاء", "--limit", str(2**64)],
    ["list", "activities", "--limit", "كثير"],
])
def test_a_limit_beyond_64_bits_is_a_usage_error(cli_db, args):
    db_path, _ = cli_db
    result = run(*args, db=db_path)
    fails(result, 2, "استعمال غير صحيح للأمر: الخيار --limit", "Usage error")
    assert run("list", "activities", "--limit", str(2**63 - 1),
               db=db_path).returncode == 0


def test_demo_refuses_more_than_a_million_activities(tmp_path):
    db_path = tmp_path / "new.sqlite3"
    result = run("demo", "--activities", str(10**20), db=db_path)
    fails(result, 2, "يجب ألا يزيد العدد على 1,000,000", "must not be more than 1,000,000")
    assert not db_path.exists()


@pytest.mark.parametrize("text", ["A" * 10_000, "CERT-" + "7" * 10_000 + "|زينب|ABC",
                                  "|" + "x" * 10_000])
def test_verify_does_not_echo_a_long_text(cli_db, text):
    db_path, _ = cli_db
    result = run("verify", text, db=db_path)
    fails(result, 1)
    assert len(result.stderr) < 600, len(result.stderr)
    assert result.stdout == ""


@pytest.mark.parametrize("command", [["restore"], ["import", "attendees", "--activity", "x"]])
def test_a_folder_given_for_a_file_to_read(cli_db, tmp_path, command):
    db_path, _ = cli_db
    before = digest(db_path)
    result = run(*command, str(tmp_path), db=db_path)
    fails(result, 1, "مجلد وليس ملفاً", "is a folder, not a file")
    assert digest(db_path) == before


def test_a_folder_given_as_the_report_of_a_letter(cli_db, tmp_path):
    db_path, _ = cli_db
    result = run("export", "letter", "--report", str(tmp_path), "--subject", "تقرير", "--out",
                 str(tmp_path / "l.docx"), db=db_path)
    fails(result, 1, "مجلد وليس ملفاً")
    assert not (tmp_path / "l.docx").exists()


# --- a reader that goes away ----------------------------------------------------------------

@pytest.mark.parametrize("args", [["list", "activities"], ["list", "activities", "--json"],
                                  ["search", "كربلاء"]])
def test_a_closed_pipe_ends_quietly(cli_db, args):
    """The reader is gone before anything is written: every write meets a broken pipe."""
    db_path, _ = cli_db
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run(*args, db=db_path, stdout=write_end, stderr=subprocess.PIPE,
                     capture_output=False)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (main.BROKEN_PIPE, "")
    no_bug_logged()


def test_list_piped_into_head_as_a_user_types_it(tmp_path):
    db_path = tmp_path / "demo.sqlite3"
    assert run("demo", "--activities", "1500", db=db_path).returncode == 0
    script = (f'"{sys.executable}" "{ROOT / "main.py"}" --db "{db_path}" list activities '
              '| head -1; echo "status=${PIPESTATUS[0]}" >&2')
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                            encoding="utf-8", cwd=tmp_path, timeout=120)
    assert len(result.stdout.splitlines()) == 1
    # The output is larger than a pipe holds, so the reader has left before the end.
    assert result.stderr == f"status={main.BROKEN_PIPE}\n"
    no_bug_logged()


def test_a_device_or_a_pipe_is_not_replaced(cli_db, tmp_path):
    """Written atomically, a document would replace the node itself (/dev/null, as root)."""
    db_path, workshop = cli_db
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    for args in (["export", "news", "--activity", workshop.id, "--out", str(fifo)],
                 ["backup", "--to", str(fifo)]):
        fails(run(*args, db=db_path), 1, "ليس ملفاً عادياً", "not an ordinary file")
        assert fifo.is_fifo()


@pytest.mark.skipif(sys.platform == "win32", reason="names are not bytes on Windows")
def test_a_name_that_is_not_valid_text(cli_db, tmp_path):
    """Bytes of another code page (Python keeps them as surrogates) are said so, escaped."""
    db_path, workshop = cli_db
    out = os.fsdecode(bytes(tmp_path) + b"/\xff.docx")
    result = run("export", "news", "--activity", workshop.id, "--out", out, db=db_path)
    fails(result, 1, "ليست نصاً صالحاً", "not valid text", "\\udcff.docx")
    assert list(tmp_path.glob("*.docx")) == []
    result = run("list", "activities", "--from", os.fsdecode(b"\xff"), db=db_path)
    fails(result, 2, "غير صحيح؛ اكتبه بالشكل", "\\udcff")
