"""Busy, read-only and full databases: what the user is told, and what is kept.

Another process holds the write lock (``BEGIN IMMEDIATE``) while a command runs: the
command says the database is busy, never "damaged", never the apology. A read-only file
or folder opens for what writes nothing and says "read-only" for what must write; those
tests run the command line without root's power to write anywhere (the capability
bounding set is emptied before the command starts, so root obeys permission bits like any
user). SQLite's full-disk error is real too (``PRAGMA max_page_count``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import attendance, certificates, drafts, records, store
from models.db import Database
from models.errors import (
    DatabaseBusyError,
    DatabaseError,
    DatabaseIOError,
    DatabaseReadOnlyError,
    DiskFullError,
    NotADatabaseError,
    translate_sqlite_error,
)
from tests.conftest import karbala_workshop
from tests.privileges import can_act_as_user, drop_for_child, without_root_powers
from tests.test_cli import ROOT, run

# The command line gives up on another writer after this long in these tests (10 s for a
# user); long enough for nothing here, short enough not to slow the suite.
FAST = {"ITTISAL_BUSY_TIMEOUT_MS": "300"}

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE settings SET value = value WHERE key = 'local_unit_id'")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
"""


@contextlib.contextmanager
def another_process_writing(db_path: Path) -> Iterator[None]:
    """A second process that holds the database's write lock until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield
    finally:
        proc.communicate("\n", timeout=30)
    assert proc.returncode == 0


def bug_log() -> Path:
    import main

    return main.log_path()


# --- a second writer -----------------------------------------------------------------------

def test_check_during_another_write_says_busy_not_damaged(cli_db):
    db_path, _ = cli_db
    with another_process_writing(db_path):
        result = run("check", db=db_path, env=FAST)
    assert result.returncode == 1
    arabic, english = result.stderr.splitlines()
    assert "تكتب فيها" in arabic and "لم يُعثر فيها على تلف" in arabic
    assert "another program or task is writing" in english
    assert "مشكلات" not in result.stdout + result.stderr
    assert "damaged" not in english and "locked" not in result.stderr
    assert not bug_log().exists()
    after = run("check", db=db_path)  # the same file, once the other writer is done
    assert after.returncode == 0, after.stderr
    assert "قاعدة البيانات سليمة" in after.stdout


def test_import_during_another_write_says_busy_and_adds_nothing(cli_db, tmp_path):
    db_path, workshop = cli_db
    sheet = tmp_path / "list.csv"
    sheet.write_text("الاسم الكامل\nعلي حسن كاظم\nمريم جواد عباس\n", encoding="utf-8")
    with another_process_writing(db_path):
        result = run("import", "attendees", "--activity", workshop.id[:8], str(sheet),
                     db=db_path, env=FAST)
    assert result.returncode == 1
    assert result.stdout == ""
    arabic, english = result.stderr.splitlines()
    assert "مشغولة" in arabic and "أعد المحاولة بعد لحظات" in arabic
    assert "is busy" in english and "try again in a moment" in english
    assert not bug_log().exists()
    with Database.open(db_path) as db:
        assert attendance.count(db, workshop.id) == 1  # only the seed's


def test_a_command_behind_another_writer_says_it_is_waiting_then_finishes(cli_db, tmp_path):
    db_path, workshop = cli_db
    sheet = tmp_path / "list.csv"
    sheet.write_text("الاسم الكامل\nعلي حسن كاظم\n", encoding="utf-8")
    env = {**os.environ, "ITTISAL_BUSY_TIMEOUT_MS": "120000"}
    env.pop("PYTHONIOENCODING", None)
    with another_process_writing(db_path):
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(db_path),
                                 "import", "attendees", "--activity", workshop.id, str(sheet),
                                 "--json"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8")
        # Said after a second of waiting, while the other program still holds the lock.
        assert "بانتظار انتهائه" in proc.stderr.readline()
        assert "waiting for it to finish" in proc.stderr.readline()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert '"added": 1' in out
    with Database.open(db_path) as db:
        assert attendance.count(db, workshop.id) == 2


def test_a_write_that_waits_too_long_raises_busy_and_the_reader_still_reads(db, db_path):
    store.insert(db, karbala_workshop())
    db.set_busy_timeout(0)
    with another_process_writing(db_path):
        with pytest.raises(DatabaseBusyError) as caught:
            store.insert(db, records.Person(full_name="علي حسن كاظم"))
        assert isinstance(caught.value, DatabaseError)
        assert str(db_path) in caught.value.english
        assert store.count(db, records.Activity) == 1  # reading never waits in WAL mode
        assert not db.conn.in_transaction
    store.insert(db, records.Person(full_name="علي حسن كاظم"))  # free again: it works
    assert store.count(db, records.Person) == 1


def test_a_write_waits_for_a_short_write_to_finish(db, db_path):
    """Within the busy timeout, the second writer simply queues."""
    other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(0.2, lambda: other.execute("COMMIT"))
    timer.start()
    try:
        db.set_busy_timeout(5_000)
        store.insert(db, karbala_workshop())
    finally:
        timer.join()
        other.close()
    assert store.count(db, records.Activity) == 1


# --- SQLite's errors, translated --------------------------------------------------------

def test_a_full_disk_is_said_and_loses_nothing(db):
    kept = store.insert(db, karbala_workshop())
    pages = db.scalar("PRAGMA page_count")
    db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL
    big = records.Activity(title="نشاط كبير", start_date="2026-11-01", summary="كلام " * 3_000)
    with pytest.raises(DiskFullError) as caught:
        store.insert(db, big)
    assert "القرص ممتلئ" in caught.value.arabic and "لم يضِع شيء" in caught.value.arabic
    assert "disk is full" in caught.value.english and "Nothing" in caught.value.english
    assert not db.conn.in_transaction
    assert [a.id for a in store.find(db, records.Activity)] == [kept.id]
    db.execute("PRAGMA max_page_count = 1073741823")  # space freed: the same save works
    store.insert(db, big)
    assert store.count(db, records.Activity) == 2


def test_a_full_disk_during_an_import_is_said_on_the_command_line(cli_db, tmp_path,
                                                                 monkeypatch, capsys):
    import main
    from models import db as db_module

    db_path, workshop = cli_db
    sheet = tmp_path / "list.csv"
    names = [f"مشارك رقم {i} من دائرة صحة كربلاء" for i in range(300)]
    sheet.write_text("الاسم الكامل\n" + "\n".join(names) + "\n", encoding="utf-8")
    real_connect = db_module.connect

    def full_disk_connect(path, **kwargs):
        conn = real_connect(path, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # not one page more: SQLITE_FULL
        return conn

    monkeypatch.setattr(db_module, "connect", full_disk_connect)
    code = main.main(["--db", str(db_path), "import", "attendees", "--activity",
                      workshop.id, str(sheet)])
    assert code == 1
    arabic, english = capsys.readouterr().err.splitlines()
    assert "القرص ممتلئ" in arabic and "أفرغ مساحة" in arabic
    assert "The disk is full" in english and "Nothing saved before it was lost" in english
    assert not bug_log().exists()
    monkeypatch.undo()
    with Database.open(db_path) as db:
        assert attendance.count(db, workshop.id) == 1  # all or nothing: nothing


def _raised(action) -> sqlite3.Error:
    try:
        action()
    except sqlite3.Error as exc:
        return exc
    raise AssertionError("no error")


def test_sqlite_errors_become_the_projects_own(tmp_path, db, db_path):
    not_db = tmp_path / "notes.sqlite3"
    not_db.write_text("just some text, long enough to be read as a header " * 20)
    readonly = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    cases = {
        DatabaseReadOnlyError: _raised(lambda: readonly.execute(
            "INSERT INTO settings (key, value) VALUES ('x', 'y')")),
        NotADatabaseError: _raised(lambda: sqlite3.connect(not_db).execute(
            "SELECT * FROM sqlite_master")),
        DatabaseError: _raised(lambda: sqlite3.connect(tmp_path / "none" / "x.sqlite3")),
    }
    readonly.close()
    io_error = sqlite3.OperationalError("disk I/O error")
    io_error.sqlite_errorcode = 10 | (4 << 8)  # SQLITE_IOERR_WRITE, as a dying stick gives
    cases[DatabaseIOError] = io_error
    for cls, raw in cases.items():
        mine = translate_sqlite_error(raw, db_path)
        assert type(mine) is cls, (raw, mine)
        assert mine.arabic and mine.english
        assert str(db_path) in mine.english
    assert translate_sqlite_error(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
    assert translate_sqlite_error(ValueError("x")) is None


# --- read-only files and folders, without root's powers ----------------------------------

def run_powerless(*args: str, db: Path):
    env = {**os.environ}
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120, cwd=ROOT, preexec_fn=drop_for_child)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(params=["file", "folder"])
def read_only_db(request, tmp_path):
    """A database with a workshop, an attendee and an issued certificate, then made
    read-only: the file itself (0444), or its folder (0555, so no -wal or -shm can be
    made). Returns the path, the workshop and the certificate."""
    if not can_act_as_user():
        pytest.skip("drops Linux capabilities to act as an ordinary user")
    folder = tmp_path / "data"
    folder.mkdir()
    db_path = folder / "ittisal.sqlite3"
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
        person = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي", gender="f"))
        store.insert(db, records.Attendance(activity_id=workshop.id, person_id=person.id,
                                            days=[1, 2]))
        cert = certificates.issue(db, person.id, workshop.id)
    if request.param == "file":
        db_path.chmod(0o444)
    else:
        folder.chmod(0o555)
    probe = run_powerless("check", "--help", db=db_path)
    assert probe.returncode == 0, probe.stderr
    yield db_path, workshop, cert
    folder.chmod(0o755)
    db_path.chmod(0o644)


def test_a_read_only_database_still_lists_searches_verifies_and_reports(read_only_db,
                                                                        tmp_path):
    db_path, workshop, cert = read_only_db
    before = _digest(db_path)
    listed = run_powerless("list", "activities", db=db_path)
    assert listed.returncode == 0, listed.stderr
    assert workshop.title in listed.stdout
    found = run_powerless("search", "كربلاء", db=db_path)
    assert found.returncode == 0, found.stderr
    assert workshop.id[:8] in found.stdout
    verified = run_powerless("verify", cert.code, db=db_path)
    assert verified.returncode == 0, verified.stderr
    assert cert.serial in verified.stdout
    checked = run_powerless("check", db=db_path)
    assert checked.returncode == 0, checked.stderr
    assert "قاعدة البيانات سليمة" in checked.stdout
    for what, extra in (("news", ["--activity", workshop.id]),
                        ("attendance", ["--activity", workshop.id]),
                        ("periodic", ["--from", "2026-11-01", "--to", "2026-11-30"])):
        out = tmp_path / f"{what}.docx"
        result = run_powerless("export", what, *extra, "--out", str(out), db=db_path)
        assert result.returncode == 0, (what, result.stderr)
        assert out.stat().st_size > 0
    assert _digest(db_path) == before
    assert "read-only" not in listed.stderr + found.stderr


def test_what_must_write_says_the_database_is_read_only(read_only_db, tmp_path):
    db_path, workshop, _ = read_only_db
    before = _digest(db_path)
    sheet = tmp_path / "list.csv"
    sheet.write_text("الاسم الكامل\nعلي حسن كاظم\n", encoding="utf-8")
    report = tmp_path / "report.docx"
    report.write_bytes(b"a report")
    commands = {
        "import": ["import", "attendees", "--activity", workshop.id, str(sheet)],
        "letter": ["export", "letter", "--report", str(report), "--subject", "تقرير",
                   "--out", str(tmp_path / "letter.docx")],
        "certificates": ["export", "certificates", "--activity", workshop.id,
                         "--out", str(tmp_path / "certificates.docx")],
        "demo": ["demo", "--activities", "3", "--seed", "7"],
    }
    for name, args in commands.items():
        result = run_powerless(*args, db=db_path)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        arabic, english = result.stderr.splitlines()
        assert "للقراءة فقط" in arabic and "انسخ الملف" in arabic, name
        assert "is read-only" in english, name
        assert "not an Ittisal database" not in english and "damaged" not in english
    assert not (tmp_path / "letter.docx").exists()
    assert not (tmp_path / "certificates.docx").exists()
    assert _digest(db_path) == before
    assert not bug_log().exists()


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_says_so_in_process(db, db_path, what):
    """What the app sees: ``read_only`` set, reading works, each write says why not."""
    if not can_act_as_user():
        pytest.skip("drops Linux capabilities to act as an ordinary user")
    store.insert(db, karbala_workshop())
    db.close()
    locked = db_path if what == "file" else db_path.parent
    mode = locked.stat().st_mode
    locked.chmod(0o444 if what == "file" else 0o555)
    try:
        with without_root_powers(), Database.open(db_path) as readonly:
            assert readonly.read_only
            assert store.count(readonly, records.Activity) == 1
            with pytest.raises(DatabaseReadOnlyError) as caught:
                drafts.save(readonly, "k", "activity", None, {"title": "x"})
            assert "للقراءة فقط" in caught.value.arabic
            assert "is read-only" in caught.value.english
    finally:
        locked.chmod(mode)
    with Database.open(db_path) as writable:  # permissions back: writable again
        assert not writable.read_only
        drafts.save(writable, "k", "activity", None, {"title": "x"})


# --- long writes leave room for others ------------------------------------------------------

DEMO_TABLES = ("activities", "persons", "attendance", "recommendations", "coverage_items",
               "plans", "plan_items")


def _rows(db: Database, table: str, skip_id: str = "") -> list[tuple]:
    cur = db.execute(f"SELECT * FROM {table} WHERE id != ? ORDER BY id", (skip_id,))
    names = [d[0] for d in cur.description]
    return [tuple(v for n, v in zip(names, row, strict=True) if n != "unit_id") for row in cur]


def _index(db: Database, skip_id: str = "") -> set[tuple]:
    return set(db.execute("SELECT type, ref_id, title, date, subtype, status, title_words, "
                          "body_words FROM search_docs WHERE ref_id != ?", (skip_id,)))


def test_demo_into_a_database_in_use_commits_in_steps_and_gives_the_same_data(
        tmp_path, monkeypatch):
    from demo import generator as demo
    from models import search

    fresh = Database.open(tmp_path / "fresh.sqlite3", create=True)
    used = Database.open(tmp_path / "used.sqlite3", create=True)
    try:
        demo.generate(fresh, activities=120, seed=3)  # a new file: one transaction
        someone = store.insert(used, records.Person(full_name="موظف يعمل في البرنامج"))
        monkeypatch.setattr(demo, "COMMIT_ROWS", 25)
        monkeypatch.setattr(demo, "_STEP_PAUSE", 0)
        grown: list[int] = []
        real_atomic = Database.atomic

        @contextlib.contextmanager
        def counting_atomic(self):
            outermost = not self.conn.in_transaction
            before = self.scalar("SELECT count(*) FROM activities") if outermost else 0
            with real_atomic(self):
                yield self
                if outermost:
                    grown.append(self.scalar("SELECT count(*) FROM activities") - before)

        monkeypatch.setattr(Database, "atomic", counting_atomic)
        summary = demo.generate(used, activities=120, seed=3)
        monkeypatch.setattr(Database, "atomic", real_atomic)
        assert summary.activities == 120
        assert sum(grown) == 120 and max(grown) == 25  # nobody waits for the whole demo
        assert len(grown) > 120 // 25
        for table in DEMO_TABLES:
            assert _rows(used, table, someone.id) == _rows(fresh, table), table
        assert _index(used, someone.id) == _index(fresh)
        word = fresh.scalar("SELECT title FROM activities ORDER BY id LIMIT 1").split()[-1]
        assert {h.id for h in search.search(used.conn, word, limit=500)} - {someone.id} == \
            {h.id for h in search.search(fresh.conn, word, limit=500)}
    finally:
        fresh.close()
        used.close()


def test_demo_with_a_used_seed_into_a_database_in_use_adds_nothing(db):
    from demo import generator as demo
    from models.errors import IttisalError

    demo.generate(db, activities=30, seed=4)
    counts = {table: db.scalar(f"SELECT count(*) FROM {table}") for table in DEMO_TABLES}
    with pytest.raises(IttisalError) as caught:
        demo.generate(db, activities=30, seed=4)
    assert "demo --seed 5" in caught.value.arabic
    assert {table: db.scalar(f"SELECT count(*) FROM {table}") for table in DEMO_TABLES} == \
        counts


def test_a_read_only_folder_with_unmerged_changes_says_so(tmp_path):
    """A copy of a file and its -wal (changes not yet folded in) on a read-only medium:
    SQLite cannot read the -wal there; refused with what to do, never misread."""
    if not can_act_as_user():
        pytest.skip("drops Linux capabilities to act as an ordinary user")
    source = tmp_path / "live" / "ittisal.sqlite3"
    source.parent.mkdir()
    live = Database.open(source, create=True)
    try:
        live.conn.execute("PRAGMA wal_autocheckpoint = 0")
        store.insert(live, karbala_workshop())
        copy = tmp_path / "stick" / "ittisal.sqlite3"
        copy.parent.mkdir()
        for suffix in ("", "-wal"):
            Path(str(copy) + suffix).write_bytes(Path(str(source) + suffix).read_bytes())
    finally:
        live.close()
    assert Path(str(copy) + "-wal").stat().st_size > 0
    copy.parent.chmod(0o555)
    try:
        result = run_powerless("list", "activities", db=copy)
    finally:
        copy.parent.chmod(0o755)
    assert result.returncode == 1
    arabic, english = result.stderr.splitlines()
    assert "للقراءة فقط" in arabic and "-wal" in arabic
    assert "read-only" in english and "Copy the whole folder" in english
    assert not bug_log().exists()


def test_a_read_only_folder_with_a_half_done_change_in_its_journal_says_so(tmp_path):
    """A file in the older journal mode (a backup someone opened and wrote to) whose
    writer stopped mid-transaction, on a read-only medium: its -journal must be rolled
    back first. Read as it is, it would show changes never committed and check would
    call it damaged: refused with what to do instead."""
    if not can_act_as_user():
        pytest.skip("drops Linux capabilities to act as an ordinary user")
    stick = tmp_path / "stick"
    stick.mkdir()
    copy = stick / "ittisal.sqlite3"
    with Database.open(tmp_path / "live.sqlite3", create=True) as live:
        store.insert(live, karbala_workshop())
        live.conn.execute(f"VACUUM INTO '{copy}'")
    writer = subprocess.run([sys.executable, "-c", f"""
import os, signal, sqlite3
conn = sqlite3.connect({str(copy)!r}, isolation_level=None)
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA cache_size = 1")
conn.execute("BEGIN")
conn.execute("UPDATE activities SET title = 'NEVER COMMITTED'")
conn.execute("CREATE TABLE filler (x)")  # enough to spill the change into the file
conn.execute("INSERT INTO filler SELECT randomblob(2000) FROM "
             "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 2000) "
             "SELECT i FROM n)")
os.kill(os.getpid(), signal.SIGKILL)
"""], capture_output=True)
    assert writer.returncode == -signal.SIGKILL
    assert Path(str(copy) + "-journal").stat().st_size > 0
    stick.chmod(0o555)
    try:
        listed = run_powerless("list", "activities", db=copy)
        checked = run_powerless("check", db=copy)
    finally:
        stick.chmod(0o755)
    for result in (listed, checked):
        assert result.returncode == 1, result.stdout
        assert "NEVER COMMITTED" not in result.stdout
        arabic, english = result.stderr.splitlines()
        assert "للقراءة فقط" in arabic and "-journal" in arabic
        assert "read-only" in english and "damaged" not in english
    assert not bug_log().exists()
    # Writable again, the journal is rolled back and the file is whole.
    with Database.open(copy) as db:
        assert db.scalar("SELECT title FROM activities") == karbala_workshop().title
