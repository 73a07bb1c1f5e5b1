"""Photos attached to records: checked, kept by content hash in the data folder, listed.

A file is accepted only if its first bytes say it is a JPEG, PNG, GIF, WEBP or BMP image
(the extension proves nothing) and it is at most :data:`MAX_BYTES`. Accepted files are
copied to ``attachments/<sha[:2]>/<sha256>.<ext>`` beside the database: written to a
temporary file in the same folder, flushed, then renamed, so a crash never leaves half a
photo under its final name, and the same photo added twice is stored once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from models import store
from models.db import Database
from models.errors import IttisalError
from models.files import copy_file, staged
from models.paths import attachments_dir
from models.records import Attachment

MAX_BYTES = 15 * 1024 * 1024
_CHUNK = 1024 * 1024
_MAX_FILENAME = 255

_MSG = {
    "too_big": ("الملف «{name}» حجمه {size} ميغابايت، وهو أكبر من المسموح ({limit} ميغابايت).",
                "{name} is {size} MB, more than the {limit} MB allowed."),
    "not_image": ("الملف «{name}» ليس صورة؛ المقبول صور JPEG أو PNG أو GIF أو WEBP أو BMP.",
                  "{name} is not an image; JPEG, PNG, GIF, WEBP or BMP images are accepted."),
    "unreadable": ("تعذّرت قراءة الملف «{name}»: {reason}",
                   "Cannot read {name}: {reason}"),
    "changed": ("تغيّر الملف «{name}» أثناء نسخه؛ أعد إضافته.",
                "{name} changed while it was being copied; add it again."),
}

# Extension and MIME type of each accepted image format.
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif",
              "image/webp": "webp", "image/bmp": "bmp"}
# The sizes a BMP's DIB header can have; "BM" alone is too weak a signature.
_BMP_HEADERS = {12, 16, 40, 52, 56, 64, 108, 124}


class AttachmentError(IttisalError):
    """A file cannot be attached (too big, not an image, unreadable)."""


def _error(key: str, **values: object) -> AttachmentError:
    arabic, english = _MSG[key]
    return AttachmentError(arabic.format(**values), english.format(**values))


def sniff_image(head: bytes) -> str | None:
    """The MIME type of an image from its first 32 bytes, or None if it is not one we take."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in \
            _BMP_HEADERS:
        return "image/bmp"
    return None


@dataclass(frozen=True)
class StoredFile:
    """A checked image, copied into the data folder: what an Attachment record needs."""

    path: Path
    filename: str
    sha256: str
    mime: str
    size: int

    def record(self, owner_type: str, owner_id: str | None, *, caption: str = "",
               position: int | None = None) -> Attachment:
        """A new (not yet saved) Attachment for this file."""
        return Attachment(owner_type=owner_type, owner_id=owner_id, sha256=self.sha256,
                          filename=self.filename, mime=self.mime, size=self.size,
                          caption=caption, position=position)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _short_name(name: str) -> str:
    if len(name) <= _MAX_FILENAME:
        return name
    stem, dot, ext = name.rpartition(".")
    ext = ext[:20] if dot else ""
    return stem[:_MAX_FILENAME - len(ext) - 1] + "." + ext if ext else name[:_MAX_FILENAME]


def check_image(path: Path | str) -> str:
    """The MIME type of the image at ``path``; raise :class:`AttachmentError` if it is too
    big, not an image or unreadable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(32)
    except OSError as exc:
        raise _error("unreadable", name=path.name, reason=exc.strerror or exc) from exc
    if size > MAX_BYTES:
        raise _error("too_big", name=path.name, size=_megabytes(size),
                     limit=_megabytes(MAX_BYTES))
    mime = sniff_image(head)
    if mime is None:
        raise _error("not_image", name=path.name)
    return mime


def file_path(db_path: Path, sha256: str, mime: str) -> Path:
    """Where the file with this hash is kept."""
    return attachments_dir(db_path) / sha256[:2] / f"{sha256}.{EXTENSIONS.get(mime, 'bin')}"


def path_of(db_path: Path, attachment: Attachment) -> Path:
    """The stored file of an attachment."""
    return file_path(db_path, attachment.sha256, attachment.mime)


def store_image(db_path: Path, source: Path | str) -> StoredFile:
    """Check ``source`` and copy it into the data folder (once per content); nothing is
    written to the database."""
    source = Path(source)
    mime = check_image(source)
    folder = attachments_dir(db_path)
    digest = hashlib.sha256()
    try:
        with staged(folder) as stage, source.open("rb") as src:
            size = 0
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:  # it grew since it was checked
                    raise _error("changed", name=source.name)
                digest.update(chunk)
                stage.file.write(chunk)
            sha = digest.hexdigest()
            target = stage.commit(file_path(db_path, sha, mime))
    except OSError as exc:
        raise _error("unreadable", name=source.name, reason=exc.strerror or exc) from exc
    return StoredFile(target, _short_name(source.name), sha, mime, size)


def for_owner(db: Database, owner_type: str, owner_id: str) -> list[Attachment]:
    """A record's attachments in their order."""
    return store.find(db, Attachment, "owner_type = ? AND owner_id = ?", (owner_type, owner_id),
                      order_by="position, rowid")


def attach(db: Database, owner_type: str, owner_id: str, source: Path | str, *,
           caption: str = "") -> Attachment:
    """Store an image and add it after the record's other attachments."""
    stored = store_image(db.path, source)
    position = len(for_owner(db, owner_type, owner_id)) + 1
    return store.insert(db, stored.record(owner_type, owner_id, caption=caption,
                                          position=position))


def keep_file(db_path: Path, source: Path | str) -> Path:
    """Copy any file (a letterhead .docx) into the data folder by its content hash, like
    images; return the copy's path. The same file chosen twice is stored once."""
    source = Path(source)
    digest = hashlib.sha256()
    with source.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    sha = digest.hexdigest()
    target = attachments_dir(db_path) / sha[:2] / f"{sha}{source.suffix.lower()}"
    if not target.exists():
        copy_file(source, target)
    return target


def reference(db_path: Path, path: Path | str) -> str:
    """How a kept file is named in the database: relative to the database's folder when it
    is inside it, so the reference still holds after the folder is moved or restored."""
    path = Path(path)
    try:
        return path.resolve().relative_to(db_path.resolve().parent).as_posix()
    except ValueError:
        return str(path)


def resolve(db_path: Path, stored: str) -> Path:
    """The file a stored reference names (see :func:`reference`)."""
    path = Path(stored)
    return path if path.is_absolute() else db_path.resolve().parent / path
