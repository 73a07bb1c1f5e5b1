"""Photos: accepted by their bytes (not their names), stored once by content hash."""

from __future__ import annotations

import hashlib
import struct
import zlib

import pytest

from models import attachments, store
from models.attachments import AttachmentError
from models.paths import attachments_dir
from models.records import Attachment


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG (red pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                           0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.mark.parametrize(("head", "mime"), [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
    (b"GIF89a\x01\x00", "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00", "image/bmp"),
    (b"BM but only a text that starts with BM", None),
    (b"%PDF-1.7", None),
    ("نص عادي".encode(), None),
    (b"", None),
])
def test_images_are_recognised_by_their_first_bytes(head, mime):
    assert attachments.sniff_image(head) == mime


def test_a_png_is_copied_by_hash_and_recorded(db, workshop, tmp_path):
    source = tmp_path / "صورة الورشة.png"
    source.write_bytes(png_bytes())
    row = attachments.attach(db, "activity", workshop.id, source, caption="افتتاح الورشة")
    sha = hashlib.sha256(png_bytes()).hexdigest()
    stored = attachments_dir(db.path) / sha[:2] / f"{sha}.png"
    assert stored.read_bytes() == png_bytes()
    assert attachments.path_of(db.path, row) == stored
    again = store.get(db, Attachment, row.id)
    assert (again.sha256, again.filename, again.mime, again.size, again.caption,
            again.position) == (sha, "صورة الورشة.png", "image/png", len(png_bytes()),
                                "افتتاح الورشة", 1)
    # No temporary files are left behind.
    assert [p.name for p in attachments_dir(db.path).rglob(".incoming-*")] == []


def test_the_same_photo_twice_is_stored_once(db, workshop, tmp_path):
    (tmp_path / "a.png").write_bytes(png_bytes())
    (tmp_path / "b.png").write_bytes(png_bytes())
    first = attachments.attach(db, "activity", workshop.id, tmp_path / "a.png")
    second = attachments.attach(db, "activity", workshop.id, tmp_path / "b.png")
    assert first.sha256 == second.sha256 and second.position == 2
    assert len([p for p in attachments_dir(db.path).rglob("*") if p.is_file()]) == 1
    assert [a.filename for a in attachments.for_owner(db, "activity", workshop.id)] == [
        "a.png", "b.png"]


def test_a_text_file_named_png_is_refused_and_nothing_is_kept(db, workshop, tmp_path):
    fake = tmp_path / "صورة.png"
    fake.write_text("هذا ليس صورة", encoding="utf-8")
    with pytest.raises(AttachmentError) as caught:
        attachments.attach(db, "activity", workshop.id, fake)
    assert "ليس صورة" in str(caught.value) and "صورة.png" in str(caught.value)
    assert store.count(db, Attachment) == 0
    assert not attachments_dir(db.path).exists()


def test_a_file_over_15_mb_is_refused(db, workshop, tmp_path):
    big = tmp_path / "كبيرة.jpg"
    with big.open("wb") as fh:
        fh.write(b"\xff\xd8\xff\xe0")
        fh.truncate(attachments.MAX_BYTES + 1)
    with pytest.raises(AttachmentError) as caught:
        attachments.attach(db, "activity", workshop.id, big)
    assert "أكبر من المسموح" in str(caught.value) and "15" in str(caught.value)
    assert store.count(db, Attachment) == 0


def test_a_file_of_exactly_15_mb_is_accepted(db, workshop, tmp_path):
    # A real picture (it is decoded in full), padded to the limit with a private chunk.
    small = png_bytes()
    iend = small.index(b"IEND") - 4
    pad = b"\x00" * (attachments.MAX_BYTES - len(small) - 12)
    body = b"prVt" + pad
    chunk = struct.pack(">I", len(pad)) + body + struct.pack(">I", zlib.crc32(body))
    edge = tmp_path / "edge.png"
    edge.write_bytes(small[:iend] + chunk + small[iend:])
    assert edge.stat().st_size == attachments.MAX_BYTES
    assert attachments.store_image(db.path, edge).size == attachments.MAX_BYTES


def test_a_missing_file_gives_a_message(db, tmp_path):
    with pytest.raises(AttachmentError) as caught:
        attachments.store_image(db.path, tmp_path / "غير موجود.png")
    assert "تعذّرت قراءة الملف" in str(caught.value)
