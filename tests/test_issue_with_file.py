"""A certificate is issued (a letter numbered) only if its file is in place, and a file in
place has its certificates issued (its number taken): through the command line as a user
runs it, with the rename failing or the process killed on either side of the commit.

The failures are made in a real subprocess of ``main.py``: :data:`HOOK` stands in for
``python main.py``, first replacing ``os.replace`` (for the target only) or
``pending_files.commit_in`` (inside the issuing transaction, just before it commits) by
a SIGKILL of the process or a "permission denied"; nothing of it ships in the product.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from exporters.certificates import export_certificates
from exporters.letter import write_letter
from models import attendance, files, letters, pending_files, records, store
from models.db import Database
from models.errors import IttisalError
from tests.conftest import ROOT, karbala_workshop
from tests.test_cli import run

NAMES = ("زينب علي حسين الأسدي", "أحمد كريم عبد الله الزبيدي", "فاطمة جاسم محمد علي")

HOOK = r"""
import os, signal, sys
sys.path.insert(0, os.getcwd())
how, where = os.environ["HOOK_HOW"], os.environ["HOOK_AT"]

def stop():
    if how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise PermissionError(13, "Permission denied")

if where == "rename":
    target = os.path.abspath(os.environ["HOOK_TARGET"])
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if os.path.abspath(os.fspath(dst)) == target:
            stop()
        return real_replace(src, dst, *args, **kwargs)

    os.replace = replace
else:
    from models import pending_files
    real_commit_in = pending_files.commit_in

    def commit_in(db, pending):
        real_commit_in(db, pending)
        stop()

    pending_files.commit_in = commit_in
import main
sys.exit(main.main(sys.argv[1:]))
"""


def run_hooked(how: str, where: str, target: Path, db_path: Path, *args: str):
    """``main.py --db DB ARGS`` with the failure ``how`` ("kill" or "fail") at ``where``
    ("rename": renaming onto ``target``; "commit": just before the commit)."""
    env = {**os.environ, "HOOK_HOW": how, "HOOK_AT": where, "HOOK_TARGET": str(target)}
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run([sys.executable, "-c", HOOK, "--db", str(db_path), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120, cwd=ROOT)


@pytest.fixture
def listed(db_path):
    """A database with the workshop and three attendees; returns (path, activity id)."""
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
        for name in NAMES:
            person = store.insert(db, records.Person(full_name=name))
            attendance.add(db, workshop.id, person.id)
    return db_path, workshop.id


def table(db_path: Path, sql: str) -> list[tuple]:
    with Database.open(db_path) as db:
        return db.execute(sql).fetchall()


def issued(db_path: Path) -> list[tuple]:
    return table(db_path, "SELECT * FROM certificates ORDER BY serial")


def pending_rows(db_path: Path) -> list[tuple]:
    return table(db_path, "SELECT draft, target FROM pending_files")


def drafts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def export(db_path: Path, activity_id: str, out: Path, *, how: str | None = None,
           where: str = "rename"):
    args = ("export", "certificates", "--activity", activity_id, "--out", str(out))
    if how is None:
        return run(*args, db=db_path)
    return run_hooked(how, where, out, db_path, *args)


# --- certificates ---------------------------------------------------------------------

def test_out_naming_an_existing_folder_issues_nothing(listed, tmp_path):
    db_path, activity_id = listed
    folder = tmp_path / "out" / "شهادات.docx"
    folder.mkdir(parents=True)
    result = export(db_path, activity_id, folder)
    assert result.returncode == 1
    arabic, english = result.stderr.strip().splitlines()
    assert "مجلد" in arabic and "folder" in english
    assert issued(db_path) == []
    assert pending_rows(db_path) == []
    assert list(folder.iterdir()) == [] and drafts(folder.parent) == []


def test_a_failing_rename_issues_nothing_and_leaves_no_draft(listed, tmp_path):
    db_path, activity_id = listed
    out = tmp_path / "شهادات.docx"
    out.write_bytes(b"last week's file")
    result = export(db_path, activity_id, out, how="fail")
    assert result.returncode == 1, result.stderr
    arabic, english = result.stderr.strip().splitlines()
    assert "لم تُصدر أي شهادة" in arabic and "No certificate was issued" in english
    assert issued(db_path) == []
    assert pending_rows(db_path) == []
    assert out.read_bytes() == b"last week's file"
    assert drafts(tmp_path) == []
    # Nothing was taken either: the next run gives the serials a first run would.
    assert export(db_path, activity_id, tmp_path / "again.docx").returncode == 0
    serials = table(db_path, "SELECT serial FROM certificates ORDER BY serial")
    assert [serial[-4:] for (serial,) in serials] == ["0001", "0002", "0003"]


def test_a_failing_rename_of_a_reprint_leaves_the_certificates_as_they_were(listed,
                                                                          tmp_path):
    db_path, activity_id = listed
    assert export(db_path, activity_id, tmp_path / "first.docx").returncode == 0
    before = issued(db_path)
    assert len(before) == 3
    result = export(db_path, activity_id, tmp_path / "again.docx", how="fail")
    assert result.returncode == 1
    assert issued(db_path) == before  # no reprint counted, nothing re-signed
    assert not (tmp_path / "again.docx").exists() and drafts(tmp_path) == []


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_a_kill_between_commit_and_rename_is_put_in_place_at_the_next_start(
        listed, tmp_path, suffix):
    db_path, activity_id = listed
    out = tmp_path / f"شهادات{suffix}"
    result = export(db_path, activity_id, out, how="kill")
    assert result.returncode == -signal.SIGKILL
    # The window itself: issued, no file yet, the synced draft waiting under its row.
    assert len(issued(db_path)) == 3 and not out.exists()
    [(draft, target)] = pending_rows(db_path)
    assert target == str(out) and Path(draft).is_file()

    nxt = run("list", "activities", db=db_path)  # any command opens the database
    assert nxt.returncode == 0 and nxt.stderr == ""
    assert out.is_file() and pending_rows(db_path) == [] and drafts(tmp_path) == []
    serials = [row[0] for row in table(db_path, "SELECT serial FROM certificates")]
    assert len(serials) == 3
    if suffix == ".docx":
        text = docx_text(out)
        assert all(serial in text for serial in serials)
    else:
        data = out.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_a_kill_before_the_commit_issues_nothing_and_its_draft_goes_at_the_next_start(
        listed, tmp_path):
    db_path, activity_id = listed
    out = tmp_path / "شهادات.docx"
    result = export(db_path, activity_id, out, how="kill", where="commit")
    assert result.returncode == -signal.SIGKILL
    assert issued(db_path) == [] and not out.exists()
    [left] = drafts(tmp_path)  # the draft, full of signatures, and its row
    assert left.startswith(files.DRAFT_PREFIX) and left.endswith(".part")
    assert len(pending_rows(db_path)) == 1

    assert run("list", "activities", db=db_path).returncode == 0
    assert drafts(tmp_path) == [] and pending_rows(db_path) == []
    assert issued(db_path) == [] and not out.exists()


def test_the_app_start_recovers_too(listed, tmp_path):
    from ui.launch import _key_and_backup

    db_path, activity_id = listed
    out = tmp_path / "شهادات.docx"
    assert export(db_path, activity_id, out, how="kill").returncode == -signal.SIGKILL
    with Database.open(db_path) as db:
        _key_and_backup(None, db)  # the start's background work
    assert out.is_file() and pending_rows(db_path) == [] and drafts(tmp_path) == []


def test_in_process_a_failing_rename_withdraws_the_issue(db, tmp_path, monkeypatch):
    workshop = store.insert(db, karbala_workshop())
    for name in NAMES[:2]:
        attendance.add(db, workshop.id, store.insert(db, records.Person(full_name=name)).id)
    out = tmp_path / "شهادات.docx"
    real = os.replace

    def replace(src, dst):
        if Path(dst) == out:
            raise OSError(5, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(IttisalError, match="لم تُصدر أي شهادة"):
        export_certificates(db, workshop.id, out)
    assert store.count(db, records.Certificate) == 0
    assert not db.scalar("SELECT max(last) FROM certificate_serials")  # numbers free again
    assert list(tmp_path.glob(".*")) == [] and pending_rows(db.path) == []


# --- letters ----------------------------------------------------------------------------

@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "التقرير.docx"
    path.write_bytes(b"the report")
    return path


def letter(db_path: Path, report: Path, out: Path, *, how: str | None = None,
           where: str = "rename"):
    args = ("export", "letter", "--report", str(report), "--subject", "تقرير الشهر",
            "--out", str(out))
    if how is None:
        return run(*args, db=db_path)
    return run_hooked(how, where, out, db_path, *args)


def outbox(db_path: Path) -> list[tuple[int, str, str]]:
    with Database.open(db_path) as db:
        return [(x.number, x.file_name, x.sha256) for x in letters.outbox(db)]


def test_a_letter_whose_rename_fails_takes_no_number(listed, report, tmp_path):
    db_path, _ = listed
    out = tmp_path / "كتاب.docx"
    result = letter(db_path, report, out, how="fail")
    assert result.returncode == 1
    assert "لم يُستهلك رقم" in result.stderr and "No number was used" in result.stderr
    assert outbox(db_path) == [] and not out.exists()
    assert pending_rows(db_path) == [] and drafts(tmp_path) == []
    assert letter(db_path, report, out).returncode == 0
    assert [number for number, _, _ in outbox(db_path)] == [1]


def test_a_letter_killed_between_commit_and_rename_lands_at_the_next_start(listed, report,
                                                                        tmp_path):
    db_path, _ = listed
    out = tmp_path / "كتاب.docx"
    assert letter(db_path, report, out, how="kill").returncode == -signal.SIGKILL
    assert [n for n, _, _ in outbox(db_path)] == [1] and not out.exists()

    assert run("list", "activities", db=db_path).returncode == 0
    [(number, name, sha256)] = outbox(db_path)
    assert (number, name) == (1, "كتاب.docx")
    assert hashlib.sha256(out.read_bytes()).hexdigest() == sha256
    assert pending_rows(db_path) == [] and drafts(tmp_path) == []


def test_a_letter_killed_before_the_commit_takes_no_number(listed, report, tmp_path):
    db_path, _ = listed
    out = tmp_path / "كتاب.docx"
    assert letter(db_path, report, out, how="kill",
                  where="commit").returncode == -signal.SIGKILL
    assert outbox(db_path) == [] and len(drafts(tmp_path)) == 1

    assert run("list", "activities", db=db_path).returncode == 0
    assert drafts(tmp_path) == [] and pending_rows(db_path) == [] and not out.exists()
    assert letter(db_path, report, out).returncode == 0
    assert [n for n, _, _ in outbox(db_path)] == [1]


def test_in_process_a_letter_whose_rename_fails_gives_its_number_back(db, tmp_path,
                                                                     monkeypatch):
    out = tmp_path / "كتاب.docx"
    real = os.replace

    def replace(src, dst):
        if Path(dst) == out:
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(letters.LetterError, match="لم يُستهلك رقم"):
        write_letter(db, out, subject="دعوة", enclosures=[], date="2026-11-23")
    assert letters.outbox(db) == [] and letters.next_number(db, 2026) == 1
    assert list(tmp_path.glob(".*")) == [] and pending_rows(db.path) == []


# --- recovery on its own ---------------------------------------------------------------------

def test_a_draft_of_a_live_process_is_left_alone(db, tmp_path):
    target = tmp_path / "شهادات.docx"
    mine = pending_files.reserve(db, target)
    mine.draft.write_bytes(b"being written by this process")
    other = files.draft_path(target)
    other.write_bytes(b"a temporary file of this process")
    pending_files.recover(db)
    assert mine.draft.is_file() and other.is_file()
    assert len(pending_rows(db.path)) == 1


def test_a_draft_of_a_dead_process_is_deleted(db, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    orphan = db.path.parent / f"{files.DRAFT_PREFIX}{pid}-0123abcd.report.docx.part"
    orphan.write_bytes(b"left by a killed run")
    keep = db.path.parent / ".hidden-but-not-ours.part"
    keep.write_bytes(b"somebody else's")
    done = pending_files.recover(db)
    assert not orphan.exists() and keep.exists()
    assert done.deleted == [orphan]


def test_drafts_of_earlier_versions_go_once_an_hour_old(db, tmp_path):
    from ui.launch import _key_and_backup

    saved = tmp_path / "documents"  # where the app last saved a document
    saved.mkdir()
    old = [saved / ".شهادات.1a2b3c4d.tmp.docx", saved / ".شهادات.pdf.k2j4h5g6",
           saved / ".كشف-ab_d1234.docx.tmp"]
    fresh = saved / ".شهادات.9f8e7d6c.tmp.docx"  # maybe still being written
    mine = [saved / ".hidden", saved / "notes.docx.tmp"]  # the user's own files
    two_hours_ago = time.time() - 7200
    for path in [*old, fresh, *mine]:
        path.write_bytes(b"x")
        if path is not fresh:
            os.utime(path, (two_hours_ago, two_hours_ago))
    _key_and_backup(None, db, [saved])  # the app's start, told the last save folder
    assert sorted(p.name for p in saved.iterdir()) == sorted(
        p.name for p in (fresh, *mine))


def test_a_kill_before_the_rename_onto_a_stick_taken_out_lands_once_it_is_back(
        listed, tmp_path):
    """Killed between the commit and the rename of a file going to a USB stick; the next
    start runs with the stick out. The certificates are issued: their file must land
    when the stick is back, not stay a hidden draft for ever."""
    db_path, activity_id = listed
    stick = tmp_path / "stick"
    stick.mkdir()
    out = stick / "شهادات.docx"
    assert export(db_path, activity_id, out, how="kill").returncode == -signal.SIGKILL
    away = tmp_path / "unplugged"
    stick.rename(away)

    assert run("list", "activities", db=db_path).returncode == 0  # the stick is out
    assert len(pending_rows(db_path)) == 1 and len(issued(db_path)) == 3

    away.rename(stick)
    assert run("list", "activities", db=db_path).returncode == 0
    assert out.is_file() and drafts(stick) == [] and pending_rows(db_path) == []
    text = docx_text(out)
    assert all(row[0] in text for row in table(db_path, "SELECT serial FROM certificates"))


def test_another_database_in_the_same_folder_leaves_a_committed_draft_alone(listed,
                                                                            tmp_path):
    """Two databases in one folder: the first is killed between its commit and its
    rename. Opening the second first must not delete the draft (it holds the first's
    issued certificates); the first's next start puts it in place."""
    db_path, activity_id = listed
    other = db_path.parent / "other.sqlite3"
    assert run("demo", "--activities", "1", db=other).returncode == 0
    out = db_path.parent / "شهادات.docx"
    assert export(db_path, activity_id, out, how="kill").returncode == -signal.SIGKILL
    [left] = drafts(db_path.parent)

    assert run("list", "activities", db=other).returncode == 0
    assert (db_path.parent / left).is_file()

    assert run("list", "activities", db=db_path).returncode == 0
    assert out.is_file() and not (db_path.parent / left).exists()
    assert pending_rows(db_path) == [] and len(issued(db_path)) == 3


def test_only_the_database_that_recorded_a_draft_deletes_it(db, tmp_path):
    """A recorded draft left without its row (killed after a withdrawn issue dropped its
    row, before the draft went) is deleted by its own database, never by another."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    target = tmp_path / "شهادات.docx"
    pending = pending_files.reserve(db, target)
    orphan = pending.draft.with_name(pending.draft.name.replace(
        f"{files.DRAFT_PREFIX}{os.getpid()}-", f"{files.DRAFT_PREFIX}{int(dead.stdout)}-"))
    orphan.write_bytes(b"signed pages of a withdrawn issue")
    assert files.recorded_by(orphan) is not None
    assert files.recorded_by(files.draft_path(target)) is None
    with db.atomic():
        db.execute("DELETE FROM pending_files")

    with Database.open(tmp_path / "other.sqlite3", create=True) as other:
        pending_files.recover(other, [tmp_path])
    assert orphan.is_file()
    assert pending_files.recover(db, [tmp_path]).deleted == [orphan]
    assert not orphan.exists()


def test_a_slow_run_whose_file_another_programs_recovery_placed_keeps_its_issue(
        db, tmp_path, monkeypatch):
    """This run stalled past the grace between its commit and its rename (a machine
    put to sleep), and another program's start put its committed draft in place. The
    run must not then withdraw the certificates whose file is in place."""
    workshop = store.insert(db, karbala_workshop())
    for name in NAMES[:2]:
        attendance.add(db, workshop.id, store.insert(db, records.Person(full_name=name)).id)
    out = tmp_path / "شهادات.docx"
    real_place = pending_files.place

    def stalled(db_, pending):
        with Database.open(db.path) as other:  # seen from another program, much later
            with other.atomic():
                other.execute("UPDATE pending_files SET created_at = ?",
                              ("2020-01-01T00:00:00+00:00",))
        assert run("list", "activities", db=db.path).returncode == 0
        assert out.is_file()  # its recovery placed the draft
        return real_place(db_, pending)

    monkeypatch.setattr(pending_files, "place", stalled)
    assert export_certificates(db, workshop.id, out) == out
    serials = [c.serial for c in store.find(db, records.Certificate)]
    assert len(serials) == 2 and all(s in docx_text(out) for s in serials)
    assert pending_rows(db.path) == [] and drafts(tmp_path) == []


def test_rows_no_run_of_ittisal_wrote_touch_no_file(listed, tmp_path):
    """A backup made to harm (or damaged) whose pending rows name the user's own files:
    restoring it, and opening it, must neither delete nor move any of them."""
    db_path, _ = listed
    docs = tmp_path / "documents"
    docs.mkdir()
    thesis, cv = docs / "رسالة.docx", docs / "سيرة.docx"
    thesis.write_bytes(b"my thesis")
    cv.write_bytes(b"my cv")
    hostile = tmp_path / "received" / "backup.sqlite3"
    assert run("backup", "--to", str(hostile), db=db_path).returncode == 0
    with Database.open(hostile) as evil, evil.atomic():
        evil.execute("INSERT INTO pending_files (draft, target, created_at) VALUES "
                     "(?, '', '2020-01-01'), (?, ?, '2020-01-01')",
                     (str(thesis), str(cv), str(docs / "elsewhere.docx")))

    result = run("restore", str(hostile), db=db_path)
    assert result.returncode == 0, result.stderr
    assert run("list", "activities", db=db_path).returncode == 0
    assert thesis.read_bytes() == b"my thesis" and cv.read_bytes() == b"my cv"
    assert sorted(p.name for p in docs.iterdir()) == sorted([thesis.name, cv.name])
    assert pending_rows(db_path) == []
