"""The one file writer (models.files): a kill or a failure mid-write leaves the old file
whole, what is written is synced (file, then folder) before and after the rename, the
modes are those of a document (0644) or a private file (0600) whatever the umask, and
every module that writes a file goes through it."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from models import attendance, files, pending_files, records, store
from tests.conftest import ROOT, karbala_workshop

KILL_MID_WRITE = r"""
import os, signal, sys
sys.path.insert(0, os.getcwd())
from models import files

def half(fh):
    fh.write(b"the new version, " * 1000)
    fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)

files.write_file(sys.argv[1], half)
"""


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_kill_mid_write_leaves_the_old_file_whole_and_the_next_start_cleans_up(
        db, tmp_path):
    target = tmp_path / "تقرير.docx"
    target.write_bytes(b"the old version")
    result = subprocess.run([sys.executable, "-c", KILL_MID_WRITE, str(target)], cwd=ROOT,
                            capture_output=True, timeout=60)
    assert result.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"the old version"
    [left] = hidden(tmp_path)
    assert left.startswith(files.DRAFT_PREFIX) and "تقرير.docx" in left
    pending_files.recover(db)  # the data folder is where this database lives
    assert hidden(tmp_path) == [] and target.read_bytes() == b"the old version"


def test_a_failing_writer_leaves_the_old_file_and_no_draft(tmp_path):
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")

    def broken(fh):
        fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        files.write_file(target, broken)
    assert target.read_bytes() == b"old" and hidden(tmp_path) == []


@pytest.fixture
def synced(monkeypatch):
    """Every os.fsync: (is a folder, inode) of what was synced, at the time."""
    calls: list[tuple[bool, int]] = []
    real = os.fsync

    def fsync(fd):
        info = os.fstat(fd)
        calls.append((stat.S_ISDIR(info.st_mode), info.st_ino))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


def assert_synced(calls: list[tuple[bool, int]], target: Path) -> None:
    """The file now at ``target`` was synced, and its folder after the rename."""
    assert (False, target.stat().st_ino) in calls, "the file was not synced"
    folder = (True, target.parent.stat().st_ino)
    assert folder in calls, "the folder was not synced after the rename"
    assert calls.index(folder) > calls.index((False, target.stat().st_ino))


@pytest.mark.skipif(sys.platform == "win32", reason="folders are synced on POSIX only")
def test_the_file_then_its_folder_are_synced(tmp_path, synced):
    target = files.write_file(tmp_path / "a.docx", b"content")
    assert target.read_bytes() == b"content"
    assert_synced(synced, target)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
@pytest.mark.parametrize(("umask", "private", "mode"), [
    (0o077, False, 0o644),   # a document stays readable by others under a strict umask
    (0o000, True, 0o600),    # a key stays private under a lax one
    (0o022, False, 0o644),
])
def test_modes_whatever_the_umask(tmp_path, umask, private, mode):
    old = os.umask(umask)
    try:
        written = files.write_file(tmp_path / "f", b"x", private=private)
        copied = files.copy_file(written, tmp_path / "g", private=private)
        path_written = files.write_file_at(tmp_path / "h",
                                           lambda p: Path(p).write_bytes(b"y"),
                                           private=private)
    finally:
        os.umask(old)
    for path in (written, copied, path_written):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


def test_a_long_name_still_gets_a_draft(tmp_path):
    name = "تقرير " * 40 + ".docx"  # 240 characters, 440 bytes: too long with a prefix
    name = name.encode()[:250].decode("utf-8", "ignore")
    target = files.write_file(tmp_path / name, b"x")
    assert target.read_bytes() == b"x" and hidden(tmp_path) == []


def test_a_folder_or_a_missing_folder_is_refused_before_anything_is_written(tmp_path):
    folder = tmp_path / "x.docx"
    folder.mkdir()
    with pytest.raises(files.FileWriteError, match="مجلد") as err:
        files.check_writable(folder)
    assert "folder" in err.value.english
    with pytest.raises(files.FileWriteError, match="غير موجود"):
        files.check_writable(tmp_path / "missing" / "x.docx")
    assert files.check_writable(tmp_path / "new.docx") == tmp_path / "new.docx"


def test_a_file_another_program_holds_is_refused(tmp_path, monkeypatch):
    target = tmp_path / "x.docx"
    target.write_bytes(b"open in Word")
    real_open = Path.open

    def locked(self, mode="r", *args, **kwargs):
        if self == target and "+" in mode:  # Windows' sharing lock, as Word holds it
            raise PermissionError(13, "The process cannot access the file")
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    with pytest.raises(files.FileWriteError, match="مفتوح في برنامج آخر"):
        files.check_writable(target)


# --- every writer goes through it -----------------------------------------------------------

@pytest.fixture
def activity(db):
    workshop = store.insert(db, karbala_workshop())
    person = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي"))
    attendance.add(db, workshop.id, person.id, days=[1, 2])
    return workshop


def _attendance(db, activity, out):
    from exporters.attendance_sheet import write_attendance_sheet

    return write_attendance_sheet(db, activity.id, out / "كشف.docx")


def _news(db, activity, out):
    from exporters.news_report import write_news_report

    return write_news_report(db, activity.id, out / "خبر.docx")


def _letter(db, activity, out):
    from exporters.letter import write_letter

    write_letter(db, out / "كتاب.docx", subject="دعوة", enclosures=[])
    return out / "كتاب.docx"


def _certificates(db, activity, out):
    from exporters.certificates import export_certificates

    return export_certificates(db, activity.id, out / "شهادات.docx")


def _register(db, activity, out):
    from exporters.certificate_register import write_register

    return write_register(db, out / "السجل.xlsx")


def _backup(db, activity, out):
    from models import backup

    return backup.take(db, to=out / "نسخة.sqlite3")


def _copy(db, activity, out):
    source = out.parent / "source.bin"
    source.write_bytes(b"attachment")
    return files.copy_file(source, out / "copy.bin")


@pytest.mark.skipif(sys.platform == "win32", reason="folders are synced on POSIX only")
@pytest.mark.parametrize("write", [_attendance, _news, _letter, _certificates, _register,
                                   _backup, _copy], ids=lambda f: f.__name__.strip("_"))
def test_every_writer_syncs_and_leaves_no_draft(db, activity, tmp_path, synced, write):
    out = tmp_path / "out"
    out.mkdir()
    target = Path(write(db, activity, out))
    assert target.is_file()
    assert_synced(synced, target)
    assert hidden(out) == []
    assert db.scalar("SELECT count(*) FROM pending_files") == 0
