"""Certificates into a file (exporters.certificates): nothing is issued until the file is
written, and the file in place is either the old one or the issued certificates."""

from __future__ import annotations

import stat

import pytest

from exporters.certificates import export_certificates
from models import attendance, records, store
from models.errors import IttisalError

NAMES = ("زينب علي حسين الأسدي", "أحمد كريم عبد الله الزبيدي")


@pytest.fixture
def listed(db, workshop):
    for name in NAMES:
        person = store.insert(db, records.Person(full_name=name))
        attendance.add(db, workshop.id, person.id)
    return workshop


def test_a_cancel_while_writing_keeps_the_old_file_and_issues_nothing(db, listed, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "شهادات.docx"
    out.write_bytes(b"the file from last week")

    class Stop(Exception):
        pass

    def progress(done, total):
        if done == total:  # the very last page written
            raise Stop

    with pytest.raises(Stop):
        export_certificates(db, listed.id, out, progress=progress)
    assert out.read_bytes() == b"the file from last week"
    assert [p.name for p in folder.iterdir()] == ["شهادات.docx"]  # no draft left
    assert store.count(db, records.Certificate) == 0


def test_the_written_file_is_readable_by_others_and_the_serials_are_issued(db, listed,
                                                                          tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = export_certificates(db, listed.id, folder / "شهادات.docx")
    assert stat.S_IMODE(out.stat().st_mode) & 0o044 == 0o044
    assert [p.name for p in folder.iterdir()] == ["شهادات.docx"]
    assert store.count(db, records.Certificate) == 2


def test_an_activity_in_the_recycle_bin_says_so(db, listed, tmp_path):
    store.delete(db, records.Activity, listed.id)
    with pytest.raises(IttisalError, match="سلة المحذوفات"):
        export_certificates(db, listed.id, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
