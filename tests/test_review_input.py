"""Input found wanting in the review of issue 9, tried as a user would: a database whose
stored text holds characters XML cannot carry, a spreadsheet cell longer than the CSV
reader takes, and a damaged ``.xls``. Each ends in its own message or a document, never in
the "unexpected error" apology."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import docx
import pytest

from models import paths
from models.db import Database
from models.importer_read import ImportFileError, read_table
from tests.test_cli_hardening import APOLOGY, run


@pytest.mark.parametrize("kind", [
    "news", "attendance", "periodic", "certificates",
])
def test_a_stored_title_with_control_characters_still_exports(cli_db, tmp_path, kind):
    # Text saved through the models is cleaned, but a database edited by other means may
    # hold a NUL or a bell: the document is written without them.
    db_path, workshop = cli_db
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE activities SET title = ? WHERE id = ?",
                 ("ورشة\x00 الإعلام\x07 الحكومي\x1b", workshop.id))
    conn.commit()
    conn.close()
    out = tmp_path / "elsewhere" / f"{kind}.docx"
    out.parent.mkdir()
    args = (["--from", "2026-01-01", "--to", "2026-12-31"] if kind == "periodic"
            else ["--activity", workshop.id])
    done = run("export", kind, *args, "--out", str(out), db=db_path, cwd=out.parent)
    assert done.returncode == 0, done.stderr
    assert APOLOGY not in done.stderr
    text = "".join(t.text or "" for t in docx.Document(str(out)).element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    # A certificate breaks its sentence into lines of its own: every word, no control.
    assert all(word in text for word in ("ورشة", "الإعلام", "الحكومي")), text
    assert not any(ord(ch) < 0x20 for ch in text)
    if kind != "certificates":
        assert "ورشة الإعلام الحكومي" in text


def test_a_cell_longer_than_the_csv_reader_takes_is_named_as_such(tmp_path):
    # Python's csv module stops at 131,072 characters in a field: that is one absurdly
    # long cell, not a malformed file, and the user is told which.
    path = tmp_path / "names.csv"
    path.write_text("الاسم,الهاتف\n" + "ع" * 200_000 + ",07701234567\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_table(path)
    assert "131,072" in caught.value.arabic
    assert "تنسيقه غير صحيح" not in caught.value.arabic


def test_a_damaged_xls_is_called_a_damaged_excel_file_not_a_csv(tmp_path):
    path = tmp_path / "list.xls"
    path.write_bytes(bytes(range(256)) * 20)  # binary, and not the OLE2 of a real .xls
    with pytest.raises(ImportFileError) as caught:
        read_table(path)
    assert "Excel" in caught.value.arabic
    assert "CSV" not in caught.value.english


def test_the_command_line_says_the_long_cell(cli_db, tmp_path):
    db_path, workshop = cli_db
    path = tmp_path / "names.csv"
    path.write_text("الاسم,الهاتف\n" + "ع" * 200_000 + ",07701234567\n", encoding="utf-8")
    done = run("import", "attendees", "--activity", workshop.id, str(path), db=db_path,
               cwd=tmp_path)
    assert done.returncode == 1
    assert "131,072" in done.stderr and APOLOGY not in done.stderr


def test_a_refusal_names_the_data_folder_without_dot_dot(cli_db, tmp_path):
    # ``--db ../x.sqlite3`` from a sibling folder: the folder is named as the user knows
    # it, not as ``…/cwd/../backups``.
    db_path, workshop = cli_db
    here = tmp_path / "here"
    here.mkdir()
    relative = os.path.relpath(db_path, here)
    done = run("--db", relative, "export", "news", "--activity", workshop.id, "--out",
               os.path.join(os.path.dirname(relative), "backups", "n.docx"), cwd=here)
    assert done.returncode == 1
    assert f"«{db_path.parent / 'backups'}»" in done.stderr
    assert ".." + os.sep + "backups»" not in done.stderr


def test_the_apps_refusal_sets_the_paths_left_to_right(qtbot, ctx, db, workshop, parent,
                                                       monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from models import paths
    from tests.test_ui_date_edit import answer_modal
    from ui import export

    target = paths.backups_dir(db.path) / "خبر.docx"
    monkeypatch.setattr(export, "ask_save_path", lambda *_: target)
    shown: list[str] = []
    answer_modal(lambda box: (shown.append(box.text()), box.accept()), QMessageBox)
    assert export.export_document(parent, ctx, "news", activity_id=workshop.id) is None
    assert f"«\u2066{target}\u2069»" in shown[0]
    assert f"«\u2066{target.parent}\u2069»" in shown[0]
    assert "النسخ الاحتياطية" in shown[0]


@pytest.mark.parametrize("args", [
    ("export", "letter", "--report", "REPORT", "--subject", "\udcff", "--out", "l.docx"),
    ("export", "letter", "--report", "REPORT", "--subject", "م", "--to", "\udcff", "--out",
     "l.docx"),
    ("export", "news", "--activity", "\udcff", "--out", "n.docx"),
    ("export", "certificates", "--activity", "ID", "--person", "\udcff", "--out", "c.docx"),
    ("import", "attendees", "--activity", "\udcff", "names.csv"),
], ids=["subject", "addressee", "activity", "person", "import"])
def test_text_in_another_code_page_is_a_usage_error(cli_db, tmp_path, args):
    # Bytes that are not UTF-8 (a name typed in a cp1256 terminal) reach Python as lone
    # surrogates, which SQLite cannot take: said at once, not apologised for later.
    db_path, workshop = cli_db
    report = tmp_path / "تقرير.docx"
    report.write_bytes(b"PK")
    (tmp_path / "names.csv").write_text("الاسم\nزينب\n", encoding="utf-8")
    args = [str(report) if a == "REPORT" else workshop.id if a == "ID" else a for a in args]
    done = run(*args, db=db_path, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "ليست نصاً صالحاً" in done.stderr and APOLOGY not in done.stderr
    assert not (tmp_path / "l.docx").exists() and not (tmp_path / "n.docx").exists()


def test_a_report_named_in_another_code_page_is_refused_before_numbering(cli_db, tmp_path):
    db_path, _ = cli_db
    report = Path(os.fsdecode(bytes(tmp_path) + b"/\xff.docx"))
    report.write_bytes(b"PK")
    done = run("export", "letter", "--report", str(report), "--subject", "م", "--out",
               "l.docx", db=db_path, cwd=tmp_path)
    assert done.returncode == 1
    assert "ليست نصاً صالحاً" in done.stderr and APOLOGY not in done.stderr
    assert not (tmp_path / "l.docx").exists()


def test_backup_to_an_empty_name_is_refused_not_taken_as_no_name(cli_db, tmp_path):
    db_path, _ = cli_db
    done = run("backup", "--to", "", db=db_path, cwd=tmp_path)
    assert done.returncode == 1
    assert "مجلد وليس ملفاً" in done.stderr
    assert not paths.backups_dir(db_path).exists()


def test_a_stored_letterhead_name_too_long_is_blamed_on_the_setting_not_the_output(
        cli_db, tmp_path):
    # The file system refuses to even look at a 300-character name: that is the stored
    # letterhead's fault, not the document's, which could be written.
    db_path, workshop = cli_db
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE units SET letterhead_path = ?", ("c" * 300 + ".docx",))
    conn.commit()
    conn.close()
    done = run("export", "news", "--activity", workshop.id, "--out", "n.docx", db=db_path,
               cwd=tmp_path)
    assert done.returncode == 1
    assert "الترويسة المختارة في «الإعدادات»" in done.stderr
    assert "تعذّر حفظ الملف" not in done.stderr and APOLOGY not in done.stderr


@pytest.mark.parametrize("command", [("export", "news", "--activity", "ID", "--out"),
                                     ("backup", "--to")], ids=["export", "backup"])
def test_an_output_ending_in_a_slash_that_is_no_folder_is_refused(cli_db, tmp_path, command):
    # pathlib drops the slash: ``--out reports/`` would become a file called "reports".
    db_path, workshop = cli_db
    args = [workshop.id if a == "ID" else a for a in command]
    done = run(*args, "reports/", db=db_path, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "فهو اسم مجلد" in done.stderr and APOLOGY not in done.stderr
    assert not (tmp_path / "reports").exists()


def test_backup_to_another_units_database_is_refused_and_an_own_copy_replaced(
        cli_db, tmp_path):
    # ``backup --to`` may refresh an earlier copy of this database on a stick, but a file
    # there that is another unit's database (live, or its backup) is not replaced.
    db_path, _ = cli_db
    stick = tmp_path / "stick"
    stick.mkdir()
    other = stick / "other.sqlite3"
    Database.open(other, create=True).close()
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    done = run("backup", "--to", str(other), db=db_path, cwd=tmp_path)
    assert done.returncode == 1, done.stdout
    assert "لوحدة أخرى" in done.stderr and APOLOGY not in done.stderr
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    own = stick / "ours.sqlite3"
    assert run("backup", "--to", str(own), db=db_path, cwd=tmp_path).returncode == 0
    again = run("backup", "--to", str(own), db=db_path, cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def _png_of(width: int, height: int, path: Path) -> Path:
    """A black-and-white PNG of ``width``×``height`` pixels, all zero: tiny on disk."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
                     + chunk(b"IEND", b""))
    return path


def test_an_image_too_big_for_pillow_to_open_is_refused_with_its_size(tmp_path):
    # 400 million pixels in 60 kB: Pillow refuses to open it at all, so the size comes
    # from the header rather than being shown as "?×?".
    from models.file_checks import FileCheckError, check_image

    bomb = _png_of(20_000, 20_000, tmp_path / "صورة.png")
    with pytest.raises(FileCheckError) as caught:
        check_image(bomb)
    assert "20000×20000" in caught.value.arabic and "?" not in caught.value.arabic


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _letterhead_with(tmp_path: Path, name: str, relations: list[tuple[str, str]]) -> Path:
    """A letterhead whose document part has these external relationships (type, target)."""
    import zipfile

    base = tmp_path / "base.docx"
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "وزارة الثقافة — شعبة الإعلام"
    doc.save(str(base))
    extra = "".join(f'<Relationship Id="rIdR{i}" Type="{_REL}{kind}" Target="{target}" '
                    f'TargetMode="External"/>' for i, (kind, target) in enumerate(relations))
    out = tmp_path / name
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", extra.encode() + b"</Relationships>")
            dst.writestr(item, data)
    return out


@pytest.mark.parametrize("target", ["http://tracker.example/p.png",
                                    "\\\\server\\share\\p.png",
                                    "file://server/share/p.png"])
def test_a_letterhead_that_fetches_from_another_machine_is_refused(tmp_path, target):
    # Word fetches an external picture by itself when the document opens: a beacon, or
    # (\\server) the user's password hash handed to that server, in every document.
    from exporters.rtl import check_letterhead
    from models.file_checks import FileCheckError

    bad = _letterhead_with(tmp_path, "ترويسة.docx", [("image", target)])
    with pytest.raises(FileCheckError) as caught:
        check_letterhead(bad)
    assert "من خارجه" in caught.value.arabic


def test_a_letterhead_with_a_web_link_and_a_local_template_is_accepted(tmp_path):
    from exporters.rtl import check_letterhead

    good = _letterhead_with(tmp_path, "ترويسة.docx", [
        ("hyperlink", "https://culture.gov.iq"),
        ("attachedTemplate", "file:///C:/Users/unit/AppData/Roaming/Microsoft/Normal.dotm"),
    ])
    check_letterhead(good)  # raises if refused


@pytest.mark.parametrize("name", ["stick/", "\udcff.ittisal-key"], ids=["slash", "code-page"])
def test_key_backup_checks_its_file_name_like_every_output(cli_db, tmp_path, name):
    # Before: "stick/" wrote a key backup called "stick"; a name in another code page
    # ended in the apology from the atomic writer.
    db_path, workshop = cli_db
    work = tmp_path / "work"
    work.mkdir()
    issued = run("export", "certificates", "--activity", workshop.id, "--out", "c.docx",
                 db=db_path, cwd=work)
    assert issued.returncode == 0, issued.stderr  # the first certificate makes the key
    secret = work / "secret.txt"
    secret.write_text("كلمة مرور طويلة 2026\n", encoding="utf-8")
    done = run("key", "backup", "--to", name, "--passphrase-file", str(secret), db=db_path,
               cwd=work)
    assert done.returncode == 1, done.stdout
    assert APOLOGY not in done.stderr
    assert ("فهو اسم مجلد" in done.stderr) or ("ليست نصاً صالحاً" in done.stderr)
    assert sorted(p.name for p in work.iterdir()) == ["c.docx", "secret.txt"]
