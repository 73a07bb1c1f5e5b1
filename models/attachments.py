"""Files kept for records and settings: checked, kept by content hash in the data folder,
named in the database relative to it, and found again through one resolver.

A photo (or logo, signature, certificate image) is accepted only if it is a JPEG, PNG,
GIF, WEBP or BMP image by its bytes (the extension proves nothing), at most
:data:`MAX_BYTES`, and decodes in full (:func:`models.file_checks.check_image`); a
letterhead only if it passes :func:`models.file_checks.check_letterhead`. Accepted files
are copied to ``attachments/<sha[:2]>/<sha256>.<ext>`` beside the database: written to a
temporary file in the same folder, flushed, then renamed, so a crash never leaves half a
file under its final name, and the same file added twice is stored once.

Every stored reference (the unit's letterhead, logo and signature, a certificate design's
images, a photo) becomes a path through :func:`resolve` only: relative references are
read against the database's folder, never the current directory, so documents come out
the same whichever folder the app or the command line was started from. At export,
:func:`stored` and :func:`photo_file` also check the file again and raise an error naming
the setting when it is missing or damaged: a document never silently drops a picture.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models import file_checks, store
from models.db import Database
from models.file_checks import FileCheckError, sniff_image
from models.files import copy_file, staged
from models.paths import attachments_dir
from models.records import Attachment

__all__ = [
    "MAX_BYTES",
    "AttachmentError",
    "StoredFile",
    "attach",
    "check_image",
    "file_path",
    "for_owner",
    "keep_file",
    "keep_image",
    "keep_letterhead",
    "path_of",
    "photo_file",
    "reference",
    "resolve",
    "sniff_image",
    "store_image",
    "stored",
]

MAX_BYTES = file_checks.MAX_IMAGE_BYTES
_CHUNK = 1024 * 1024
_MAX_FILENAME = 255

_MSG = {
    "changed": ("تغيّر الملف «{name}» أثناء نسخه؛ أعد إضافته.",
                "{name} changed while it was being copied; add it again."),
    "unreadable": ("تعذّرت قراءة الملف «{name}»: {reason}",
                   "Cannot read {name}: {reason}"),
}

# The kept files' folder, as references name it ("attachments/…").
_KEPT = attachments_dir(Path("ittisal.sqlite3")).name

# Extension and MIME type of each accepted image format.
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif",
              "image/webp": "webp", "image/bmp": "bmp"}

#: A file cannot be attached or kept (too big, not an image, damaged, unreadable): the
#: checks' own error, so one ``except`` catches a refusal from either module.
AttachmentError = FileCheckError


def _error(key: str, **values: object) -> AttachmentError:
    arabic, english = _MSG[key]
    return AttachmentError(arabic.format(**values), english.format(**values))


def _folder(db: Database | Path | str) -> Path:
    """The folder stored references are relative to: the database's."""
    return Path(getattr(db, "path", db)).absolute().parent


def resolve(db: Database | Path | str, stored: str) -> Path | None:
    """The file a stored reference names (None for ""): a relative reference is read
    against the database's folder (see :func:`reference`), an absolute one as it is.
    ``db`` is the database or its file's path. The only place a stored reference becomes
    a path."""
    if not stored:
        return None
    path = Path(stored)
    return path if path.is_absolute() else _folder(db) / path


def reference(db: Database | Path | str, path: Path | str) -> str:
    """How a kept file is named in the database: relative to the database's folder when it
    is inside it, so the reference still holds after the folder is moved or restored."""
    path = Path(path).absolute()
    folder = _folder(db)
    for inside, base in ((path, folder), (path.resolve(), folder.resolve())):
        try:
            return inside.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


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


def _short_name(name: str) -> str:
    if len(name) <= _MAX_FILENAME:
        return name
    stem, dot, ext = name.rpartition(".")
    ext = ext[:20] if dot else ""
    return stem[:_MAX_FILENAME - len(ext) - 1] + "." + ext if ext else name[:_MAX_FILENAME]


def check_image(path: Path | str) -> str:
    """The MIME type of the image at ``path``; raise :class:`AttachmentError` if it is
    missing, too big, not an image or damaged (:func:`models.file_checks.check_image`)."""
    return file_checks.check_image(path)


def _kept(db: Database | Path | str, name: str = "") -> Path:
    """A file (or, without ``name``, the folder) of the kept files beside the database."""
    return resolve(db, f"{_KEPT}/{name}" if name else _KEPT)


def file_path(db: Database | Path | str, sha256: str, mime: str) -> Path:
    """Where the file with this hash is kept."""
    return _kept(db, f"{sha256[:2]}/{sha256}.{EXTENSIONS.get(mime, 'bin')}")


def path_of(db: Database | Path | str, attachment: Attachment) -> Path:
    """The stored file of an attachment."""
    return file_path(db, attachment.sha256, attachment.mime)


def store_image(db_path: Database | Path | str, source: Path | str) -> StoredFile:
    """Check ``source`` and copy it into the data folder (once per content); nothing is
    written to the database."""
    source = Path(source)
    mime = check_image(source)
    digest = hashlib.sha256()
    try:
        with staged(_kept(db_path)) as stage, source.open("rb") as src:
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


def keep_file(db_path: Database | Path | str, source: Path | str) -> Path:
    """Copy a file into the data folder by its content hash, like images; return the
    copy's path. The same file chosen twice is stored once. Nothing is checked: use
    :func:`keep_letterhead` or :func:`keep_image` for what a user chose."""
    source = Path(source)
    digest = hashlib.sha256()
    try:
        with source.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 16), b""):
                digest.update(block)
        sha = digest.hexdigest()
        target = _kept(db_path, f"{sha[:2]}/{sha}{source.suffix.lower()}")
        if not target.exists():
            copy_file(source, target)
    except OSError as exc:
        raise _error("unreadable", name=source.name, reason=exc.strerror or exc) from exc
    return target


def keep_letterhead(db_path: Database | Path | str, source: Path | str) -> str:
    """Check a letterhead the user chose (:func:`models.file_checks.check_letterhead`),
    keep a copy in the data folder and return the reference the unit stores; a refused
    file raises :class:`AttachmentError` and nothing is copied."""
    file_checks.check_letterhead(source)
    return reference(db_path, keep_file(db_path, source))


def keep_image(db_path: Database | Path | str, source: Path | str) -> str:
    """Check an image the user chose (a logo, a signature), keep a copy in the data folder
    and return the reference to store; a refused file raises :class:`AttachmentError` and
    nothing is copied."""
    return reference(db_path, store_image(db_path, source).path)


def stored(db: Database | Path | str, ref: str, setting: str, *,
           check: Callable[[Path], object] | None = file_checks.check_image,
           **names: object) -> Path | None:
    """The file a setting stores (None when none is set), checked again before a
    document is made from it: a missing or damaged file raises
    :class:`~models.file_checks.FileCheckError` naming the setting (a key of
    :data:`models.file_checks.SETTINGS`), never drops silently out of the document.
    ``check`` is run on the file (None: only that it exists)."""
    path = resolve(db, ref)
    if path is None:
        return None
    if not _is_file(path):
        raise file_checks.stored_error(setting, path=path, **names)
    if check is not None:
        try:
            check(path)
        except FileCheckError as exc:
            raise file_checks.stored_error(setting, exc, path=path, **names) from exc
    return path


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name that cannot even be looked at (too long, a folder
    without access) is no file either, rather than an error the caller would blame on the
    document being written."""
    try:
        return path.is_file()
    except OSError:
        return False


def photo_file(db: Database | Path | str, photo: Attachment, number: int) -> Path:
    """A photo's kept file, checked again (it may have been damaged since it was added);
    a missing or damaged one raises an error naming photo ``number`` of the record."""
    path = path_of(db, photo)
    names = {"n": number, "name": photo.filename or path.name}
    if not _is_file(path):
        raise file_checks.stored_error("photo", path=path, **names)
    try:
        check_image(path)
    except FileCheckError as exc:
        raise file_checks.stored_error("photo", exc, path=path, **names) from exc
    return path
