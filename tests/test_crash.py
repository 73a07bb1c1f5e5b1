"""A writer killed with SIGKILL mid-stream loses nothing it reported as committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models import backup, records, store
from models.db import Database

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys
from models import records, store
from models.db import Database

db = Database.open(sys.argv[1])
i = 0
while True:
    i += 1
    with db.atomic():
        person = store.insert(db, records.Person(full_name=f"مشارك رقم {i} علي حسين"))
        activity = store.insert(db, records.Activity(
            title=f"ورشة رقم {i}", start_date="2026-11-22", end_date="2026-11-23",
            summary="نص " * 500))
        store.insert(db, records.Attendance(activity_id=activity.id, person_id=person.id,
                                            days=[1, 2]))
    print(activity.id, flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_write_keeps_every_committed_record(db_path):
    Database.open(db_path, create=True).close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    committed: list[str] = []
    deadline = time.monotonic() + 60
    while len(committed) < 150 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed.append(line.strip())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert len(committed) >= 150, "the writer did not get going"

    with Database.open(db_path) as db:
        report = backup.check_connection(db.conn, db.path)
        assert report.ok, report
        stored = {a.id for a in store.find(db, records.Activity)}
        assert set(committed) <= stored
        # Whatever landed landed whole: each activity has its person and attendance.
        assert store.count(db, records.Attendance) == len(stored)
        assert store.count(db, records.Person) == len(stored)
        assert db.scalar("SELECT count(*) FROM search_docs") == 2 * len(stored)
