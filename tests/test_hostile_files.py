"""Hostile and damaged files a user picks are refused when chosen, with a message, and
nothing of them is kept; one that got into the data folder anyway (stored by an older
version, or damaged since) stops the export with a message naming the setting, never the
apology and never a document that is not well-formed XML."""

from __future__ import annotations

import dataclasses
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from exporters import rtl
from exporters.attendance_sheet import write_attendance_sheet
from exporters.letter import write_letter
from exporters.news_report import write_news_report
from exporters.periodic_report import write_periodic_report
from models import attachments, file_checks, records, store
from models.db import Database
from models.file_checks import FileCheckError
from models.paths import attachments_dir
from tests import test_stored_files
from tests.test_stored_files import (
    LETTERHEAD_SETTING,
    Data,
    assert_well_formed,
    export_args,
    header_text,
    log_file,
    make_jpeg,
    make_png,
    run_cli,
    set_unit_files,
)

data = test_stored_files.data  # the fixture: a database in its own folder, files picked

# --- hostile letterheads ----------------------------------------------------------------

XXE = (b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
       b'<!ENTITY name "\xd8\xa7\xd8\xb3\xd9\x85">]>')
LAUGHS = b"<!DOCTYPE w:hdr [<!ENTITY lol0 \"lol\">" + b"".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'.encode() for i in range(1, 10)) + b"]>"


def rewrite(source: Path, target: Path, changes: dict[str, bytes | None],
            extra: dict[str, bytes] | None = None) -> Path:
    """A copy of a .docx with some parts replaced (None: left out) or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = changes.get(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


def with_declaration(xml: bytes, declaration: bytes, text: bytes, entity: bytes) -> bytes:
    """The part with a DOCTYPE after its XML declaration and ``text`` replaced by an
    entity reference."""
    head, sep, rest = xml.partition(b"?>")
    assert text in rest
    return head + sep + declaration + rest.replace(text, entity, 1)


def hostile(kind: str, good: Path, folder: Path) -> Path:
    """A letterhead of one hostile kind, made from the good one."""
    with zipfile.ZipFile(good) as archive:
        document = archive.read("word/document.xml")
        header = archive.read("word/header1.xml")
    target = folder / f"ترويسة-{kind}.docx"
    if kind == "random":
        target.write_bytes(random.Random(9).randbytes(20_000))
    elif kind == "entity":
        rewrite(good, target, {"word/document.xml": with_declaration(
            document, XXE, "نص المتن في ملف الترويسة".encode(), b"&xxe;&name;")})
    elif kind == "laughs":
        rewrite(good, target, {"word/header1.xml": with_declaration(
            header, LAUGHS, "وزارة".encode(), b"&lol9;")})
    elif kind == "broken_header":
        rewrite(good, target, {"word/header1.xml": header.replace(b"</w:hdr>", b"</w:hd")})
    elif kind == "no_document":
        rewrite(good, target, {"word/document.xml": None})
    elif kind == "zip_bomb":
        zeros = b"\0" * (1 << 20)
        rewrite(good, target, {})
        with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive, \
                archive.open("word/media/filler.bin", "w", force_zip64=True) as member:
            for _ in range(file_checks.MAX_LETTERHEAD_UNPACKED // len(zeros) + 2):
                member.write(zeros)
        assert target.stat().st_size < 1 << 20  # small on disk, 52 MB unpacked
    else:
        raise ValueError(kind)
    return target


# What the message says for each kind, when it is chosen.
REASONS = {
    "random": "ليس مستند Word بصيغة docx",
    "entity": "DOCTYPE أو ENTITY",
    "laughs": "DOCTYPE أو ENTITY",
    "broken_header": "الجزء word/header1.xml منه ليس XML سليماً",
    "no_document": "لا يحوي نص المستند",
    "zip_bomb": "كبير جداً على ترويسة",
}
KINDS = list(REASONS)


def stored_files(db_path: Path) -> list[Path]:
    folder = attachments_dir(db_path)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def unit_of(db: Database) -> records.Unit:
    return store.get(db, records.Unit, db.local_unit_id)


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_letterhead_is_refused_when_chosen_and_nothing_is_kept(data, kind):
    bad = hostile(kind, data.letterhead, data.elsewhere)
    with data.open() as db:
        before = unit_of(db)
        with pytest.raises(FileCheckError) as caught:
            set_unit_files(db, letterhead=bad)  # the Settings page's Save
        assert REASONS[kind] in str(caught.value)
        assert f"«{bad.name}»" in str(caught.value)
        assert caught.value.english and caught.value.english != caught.value.arabic
        assert unit_of(db) == before and unit_of(db).letterhead_path == ""
        assert stored_files(db.path) == []
    # The check the Settings page runs as the file is chosen (python-docx opens it too).
    with pytest.raises(FileCheckError) as caught:
        rtl.check_letterhead(bad)
    assert REASONS[kind] in str(caught.value)


def test_the_good_letterhead_is_taken(data):
    rtl.check_letterhead(data.letterhead)
    with data.open() as db:
        ref = set_unit_files(db, letterhead=data.letterhead).letterhead_path
        assert ref.startswith("attachments/") and len(stored_files(db.path)) == 1


def store_anyway(db: Database, bad: Path) -> Path:
    """Put a file in the data folder and name it as the unit's letterhead, past the checks
    (an older version stored it, or it was damaged there afterwards)."""
    kept = attachments.keep_file(db.path, bad)
    store.update(db, dataclasses.replace(unit_of(db), letterhead_path=attachments.reference(
        db.path, kept)))
    return kept


def export_each(db: Database, data: Data, folder: Path) -> dict[str, Callable[[], object]]:
    return {
        "news": lambda: write_news_report(db, data.workshop.id, folder / "news.docx"),
        "attendance": lambda: write_attendance_sheet(db, data.workshop.id,
                                                     folder / "attendance.docx"),
        "periodic": lambda: write_periodic_report(db, "2026-11-01", "2026-11-30",
                                                  folder / "periodic.docx"),
        "letter": lambda: write_letter(db, folder / "letter.docx", subject="تقرير",
                                       enclosures=["تقرير"]),
    }


@pytest.mark.parametrize("kind", KINDS)
def test_a_stored_hostile_letterhead_stops_every_export_naming_the_setting(data, kind):
    bad = hostile(kind, data.letterhead, data.elsewhere)
    out = data.elsewhere / "out"
    out.mkdir()
    with data.open() as db:
        store_anyway(db, bad)
        for name, export in export_each(db, data, out).items():
            with pytest.raises(FileCheckError) as caught:
                export()
            message = str(caught.value)
            assert message.startswith(LETTERHEAD_SETTING + ": "), name
            assert REASONS[kind] in message and "اختر الترويسة من جديد" in message, name
            assert caught.value.english.startswith("The letterhead chosen in Settings")
        assert list(out.iterdir()) == []
        assert db.scalar("SELECT COUNT(*) FROM letters") == 0  # no number was used


@pytest.mark.parametrize("kind", KINDS)
def test_cli_a_stored_hostile_letterhead_gives_its_message_not_the_apology(data, kind):
    bad = hostile(kind, data.letterhead, data.elsewhere)
    with data.open() as db:
        store_anyway(db, bad)
    out = data.elsewhere / "خبر.docx"
    result = run_cli(*export_args("news", data, out), db=data.db_path, cwd=data.elsewhere)
    assert result.returncode == 1
    arabic, english = result.stderr.splitlines()[:2]
    assert arabic.startswith(LETTERHEAD_SETTING) and REASONS[kind] in arabic
    assert english.startswith("The letterhead chosen in Settings")
    assert not out.exists() and not log_file().exists()


def test_every_document_on_the_good_letterhead_is_well_formed(data, tmp_path):
    with data.open() as db:
        set_unit_files(db, letterhead=data.letterhead)
        for export in export_each(db, data, tmp_path).values():
            export()
    for name in ("news", "attendance", "periodic", "letter"):
        assert_well_formed(tmp_path / f"{name}.docx")
        assert "وزارة التعليم العالي" in header_text(tmp_path / f"{name}.docx")


def test_a_letterhead_without_section_properties_still_makes_documents(data, tmp_path):
    with zipfile.ZipFile(data.letterhead) as archive:
        document = archive.read("word/document.xml")
    start = document.index(b"<w:sectPr")
    end = document.index(b"</w:sectPr>") + len(b"</w:sectPr>")
    bare = rewrite(data.letterhead, tmp_path / "بلا أقسام.docx",
                   {"word/document.xml": document[:start] + document[end:]})
    with data.open() as db:
        set_unit_files(db, letterhead=bare)
        out = write_news_report(db, data.workshop.id, tmp_path / "خبر.docx")
    assert_well_formed(out)


# --- damaged and oversized images -------------------------------------------------------

def truncated(source: Path, target: Path, keep: float = 0.6) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[:int(len(data) * keep)])
    return target


def huge_png(path: Path, width: int = 9000, height: int = 8000) -> Path:
    """A grey PNG of 72 million pixels that is a few kB on disk (a pixel bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))
    packer = zlib.compressobj(9)
    row = b"\0" * (width + 1)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


@pytest.fixture
def bad_images(tmp_path: Path) -> dict[str, Path]:
    return {
        "jpeg": truncated(make_jpeg(tmp_path / "full.jpg"), tmp_path / "مقطوعة.jpg"),
        "png": truncated(make_png(tmp_path / "full.png", size=(400, 300)),
                         tmp_path / "مقطوعة.png"),
    }


@pytest.mark.parametrize("which", ["jpeg", "png"])
def test_a_truncated_photo_is_refused_and_nothing_is_kept(db, workshop, bad_images, which):
    bad = bad_images[which]
    with pytest.raises(FileCheckError) as caught:
        attachments.attach(db, "activity", workshop.id, bad)  # the photos editor's check
    assert str(caught.value).startswith(f"الصورة «{bad.name}» تالفة أو ناقصة")
    assert store.count(db, records.Attachment) == 0 and stored_files(db.path) == []


@pytest.mark.parametrize("which", ["jpeg", "png"])
def test_a_truncated_logo_is_refused_and_the_unit_is_unchanged(db, bad_images, which):
    before = unit_of(db)
    with pytest.raises(FileCheckError):
        set_unit_files(db, logo=bad_images[which])
    assert unit_of(db) == before and stored_files(db.path) == []


def test_a_pixel_bomb_is_refused_before_it_is_decoded(db, tmp_path):
    bomb = huge_png(tmp_path / "ضخمة.png")
    assert bomb.stat().st_size < 200_000
    with pytest.raises(FileCheckError) as caught:
        attachments.store_image(db.path, bomb)
    assert "9000×8000" in str(caught.value) and "64 مليون" in str(caught.value)
    assert stored_files(db.path) == []


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "WEBP"])
def test_every_format_the_app_offers_is_taken(tmp_path, fmt):
    from PIL import Image

    path = tmp_path / f"صورة.{fmt.lower()}"
    Image.new("RGB", (30, 20), (200, 40, 40)).save(path, fmt)
    assert file_checks.check_image(path) == file_checks.IMAGE_FORMATS[fmt]


def test_a_tiff_is_not_taken(tmp_path):
    from PIL import Image

    path = tmp_path / "صورة.tif"
    Image.new("RGB", (30, 20)).save(path, "TIFF")
    with pytest.raises(FileCheckError, match="ليس صورة"):
        file_checks.check_image(path)


def test_cli_a_photo_damaged_after_it_was_added_stops_the_news_report(data):
    with data.open() as db:
        photo = attachments.attach(db, "activity", data.workshop.id,
                                   make_jpeg(data.elsewhere / "افتتاح الورشة.jpg"))
        kept = attachments.path_of(db, photo)
    kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])  # a failed copy
    out = data.elsewhere / "خبر.docx"
    result = run_cli(*export_args("news", data, out), db=data.db_path, cwd=data.elsewhere)
    assert result.returncode == 1
    arabic, english = result.stderr.splitlines()[:2]
    assert arabic.startswith("الصورة 1 («افتتاح الورشة.jpg») من صور النشاط: الصورة")
    assert "تالفة أو ناقصة" in arabic and "احذفها من صور النشاط" in arabic
    assert english.startswith("Photo 1 (افتتاح الورشة.jpg) of the activity")
    assert not out.exists() and not log_file().exists()
