"""The one way Ittisal writes a file, so that a crash, a kill or a full disk never leaves
half of one behind: into a draft beside the target, flushed and synced, renamed over the
target, then the folder synced (POSIX), so the rename itself survives a power cut.

Drafts have recognisable names, ``.~ittisal-<pid>-<hex>.<name>.part``: hidden, marked as
unfinished, and carrying the id of the process writing them, so that
:mod:`models.pending_files` can tell a draft left by a killed run (to delete) from one
being written right now by another program (to leave alone).

Documents are made readable by others (0644), private files (keys) 0600, whatever the
umask. :func:`write_file` writes and places in one go; :func:`write_draft` stops before
the rename, for callers that must record something first (certificates and letters,
whose draft is placed only once its transaction committed).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from models.errors import IttisalError

__all__ = [
    "DOCUMENT_MODE",
    "DRAFT_PREFIX",
    "PRIVATE_MODE",
    "Draft",
    "FileWriteError",
    "Staged",
    "check_writable",
    "copy_file",
    "draft_owner",
    "draft_path",
    "fsync_folder",
    "is_draft",
    "is_draft_of",
    "recorded_by",
    "process_alive",
    "staged",
    "write_draft",
    "write_file",
]

DOCUMENT_MODE = 0o644
PRIVATE_MODE = 0o600
DRAFT_PREFIX = ".~ittisal-"
DRAFT_SUFFIX = ".part"
_RECORDED_TAIL = re.compile(r"\.rec-([0-9a-f]{8})\.part$")
# The target's name inside a draft's name is cut to this many UTF-8 bytes: a 255-byte
# name plus the prefix would be refused by the file system.
_NAME_BYTES = 120
_DRAFT_NAME = re.compile(r"^\.~ittisal-(\d+)-([0-9a-f]{8})\.(.*)\.part$", re.DOTALL)

Writer = Callable[[BinaryIO], object]

_MSG = {
    "no_folder": ("تعذّر حفظ الملف «{path}»: المجلد «{folder}» غير موجود.",
                  "Cannot save {path}: the folder {folder} does not exist."),
    "is_folder": ("تعذّر حفظ الملف «{path}»: هذا مجلد، لا ملف. اختر اسم ملف.",
                  "Cannot save {path}: it is a folder, not a file. Choose a file name."),
    "not_file": ("تعذّر حفظ الملف «{path}»: هذا الاسم لشيء غير الملفات العادية (جهاز أو "
                 "قناة). اختر اسم ملف.",
                 "Cannot save {path}: that name is not an ordinary file (a device or a "
                 "pipe). Choose a file name."),
    "folder_read_only": ("تعذّر حفظ الملف «{path}»: المجلد «{folder}» للقراءة فقط.",
                         "Cannot save {path}: the folder {folder} is read-only."),
    "file_read_only": ("تعذّر حفظ الملف «{path}»: الملف للقراءة فقط أو مفتوح في برنامج "
                       "آخر. أغلقه أو اختر اسماً آخر.",
                       "Cannot save {path}: the file is read-only or open in another "
                       "program. Close it or choose another name."),
    "cannot_write": ("تعذّر حفظ الملف «{path}»: {reason}",
                     "Cannot save the file {path}: {reason}"),
}


class FileWriteError(IttisalError):
    """A file cannot be written where the user asked (a missing or read-only folder, a
    folder named as the file, a file open elsewhere)."""


def _error(key: str, **values: object) -> FileWriteError:
    arabic, english = _MSG[key]
    return FileWriteError(arabic.format(**values), english.format(**values))


def write_error(path: Path, exc: OSError) -> FileWriteError:
    """The user's message for an operating-system error writing ``path``."""
    return _error("cannot_write", path=path, reason=exc.strerror or exc.__class__.__name__)


# --- names ------------------------------------------------------------------------------

def draft_path(target: Path, *, record: str = "") -> Path:
    """A new draft's path beside ``target``, named after it and this process.

    ``record``: for the draft of a file whose record a database keeps (a pending file:
    certificates, letters), a short tag of that database, which the name carries. Only
    that database may delete such a draft: once its transaction committed, the draft
    holds issued certificates, and another database's start sweeping the same folder
    cannot know that (see :func:`recorded_by`)."""
    name = _short_name(target)
    tail = f".rec-{record}{DRAFT_SUFFIX}" if record else DRAFT_SUFFIX
    return target.with_name(
        f"{DRAFT_PREFIX}{os.getpid()}-{os.urandom(4).hex()}.{name}{tail}")


def _short_name(target: Path) -> str:
    return target.name.encode("utf-8")[:_NAME_BYTES].decode("utf-8", "ignore")


def is_draft_of(draft: Path, target: Path) -> bool:
    """Whether ``draft`` is named as a draft of ``target``: beside it, carrying its name."""
    match = _DRAFT_NAME.match(draft.name)
    if match is None or draft.parent != target.parent:
        return False
    return re.sub(r"\.rec-[0-9a-f]{8}$", "", match.group(3)) == _short_name(target)


def recorded_by(path: Path) -> str | None:
    """The tag of the database that recorded the draft ``path`` (None: an ordinary
    draft, or not a draft at all)."""
    if not is_draft(path):
        return None
    match = _RECORDED_TAIL.search(path.name)
    return match.group(1) if match else None


def is_draft(path: Path) -> bool:
    """Whether ``path`` is named as one of this module's drafts."""
    return _DRAFT_NAME.match(path.name) is not None


def draft_owner(path: Path) -> int | None:
    """The id of the process that made the draft ``path`` (None: not a draft's name)."""
    match = _DRAFT_NAME.match(path.name)
    return int(match.group(1)) if match else None


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs now (this one included). When that cannot be
    told, True: a live writer's draft must never be taken for a dead one's."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: nothing is sent, only the existence is checked
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by somebody else
        return True
    return True


def _windows_alive(pid: int) -> bool:
    # os.kill(pid, 0) would send CTRL_C_EVENT on Windows: ask the kernel instead.
    import ctypes

    query_limited, still_active = 0x1000, 259
    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel.OpenProcess(query_limited, False, pid)
    if not handle:
        return ctypes.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel.CloseHandle(handle)


# --- syncing ----------------------------------------------------------------------------

def fsync_folder(folder: Path) -> None:
    """Sync a folder's entries (a rename lands on disk only then). POSIX only: Windows
    cannot open a folder as a file, and NTFS journals renames itself."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems (certain network and FUSE ones) cannot sync a folder at all.
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _set_mode(fd: int, path: Path, mode: int) -> None:
    # Explicitly, not through os.open's mode: the umask must not make a shared
    # document private, or a private key readable.
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:
        os.chmod(path, mode)


def _create(path: Path, private: bool) -> int:
    mode = PRIVATE_MODE if private else DOCUMENT_MODE
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, mode)
    try:
        _set_mode(fd, path, mode)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    return fd


# --- drafts -----------------------------------------------------------------------------

class Draft:
    """A file written and synced under a draft name beside its target, not yet in place."""

    def __init__(self, path: Path, target: Path) -> None:
        self.path = path
        self.target = target

    def place(self) -> Path:
        """Rename the draft over the target (replacing an older file) and sync the folder."""
        os.replace(self.path, self.target)
        fsync_folder(self.target.parent)
        return self.target

    def discard(self) -> None:
        """Delete the draft (nothing happens when it is gone already)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def write_draft(target: str | os.PathLike[str], content: bytes | Writer, *,
                private: bool = False, draft: Path | None = None) -> Draft:
    """Write ``content`` (bytes, or a callable writing into a binary file object) into a
    draft beside ``target`` (or at ``draft``), flushed and synced; the caller places or
    discards it. On any failure the draft is deleted and the error goes on."""
    target = Path(target)
    path = draft or draft_path(target)
    fd = _create(path, private)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(content, bytes | bytearray | memoryview):
                fh.write(content)
            else:
                content(fh)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Draft(path, target)


def write_draft_at(target: str | os.PathLike[str], make: Callable[[Path], object], *,
                   private: bool = False, draft: Path | None = None) -> Draft:
    """Like :func:`write_draft` for writers that need a path, not a file object (SQLite's
    backup, Qt's PDF writer): ``make(path)`` fills the draft, which exists already (empty,
    with the right mode); it is then synced."""
    target = Path(target)
    path = draft or draft_path(target)
    os.close(_create(path, private))
    try:
        make(path)
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            _set_mode(fd, path, PRIVATE_MODE if private else DOCUMENT_MODE)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Draft(path, target)


def _place(draft: Draft) -> Path:
    try:
        return draft.place()
    except BaseException:
        draft.discard()
        raise


def write_file(target: str | os.PathLike[str], content: bytes | Writer, *,
               private: bool = False) -> Path:
    """Write ``content`` (bytes, or a callable writing into a binary file object) to
    ``target`` atomically: the old file stays whole until the new one is complete and
    synced. Returns the target."""
    return _place(write_draft(target, content, private=private))


def write_file_at(target: str | os.PathLike[str], make: Callable[[Path], object], *,
                  private: bool = False) -> Path:
    """:func:`write_file` for writers that need a path (see :func:`write_draft_at`)."""
    return _place(write_draft_at(target, make, private=private))


def copy_file(source: Path, target: Path, *, private: bool = False) -> Path:
    """Copy ``source`` to ``target`` atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)

    def copy(fh: BinaryIO) -> None:
        with source.open("rb") as src:
            for block in iter(lambda: src.read(1 << 16), b""):
                fh.write(block)

    return write_file(target, copy, private=private)


# --- the older interface: a file object first, the target at the end ----------------------

class Staged:
    """A draft being written whose target is named only at :meth:`commit`."""

    def __init__(self, file: BinaryIO, name: str) -> None:
        self.file = file
        self.name = name
        self.committed = False

    def commit(self, target: Path) -> Path:
        """Sync what was written and rename it to ``target`` (replacing any old file)."""
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        Draft(Path(self.name), target).place()
        self.committed = True
        return target


@contextlib.contextmanager
def staged(folder: Path, *, prefix: str = ".incoming-", private: bool = False) -> Iterator[Staged]:
    """A draft in ``folder`` (mode 0600 when ``private``, else 0644), named after
    ``prefix``; removed again unless the block committed it."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    path = draft_path(folder / (prefix.strip(".-") or "incoming"))
    stage = Staged(os.fdopen(_create(path, private), "wb"), str(path))
    try:
        yield stage
    finally:
        if not stage.committed:
            stage.file.close()
            path.unlink(missing_ok=True)


# --- before writing ---------------------------------------------------------------------

def check_writable(target: str | os.PathLike[str]) -> Path:
    """Refuse, with the user's message, a target that cannot take a new file: its folder
    is missing or read-only, it is a folder, or it is a read-only file or one another
    program holds open (Word keeps its document locked on Windows)."""
    target = Path(target)
    folder = target.parent
    if target.is_dir():
        raise _error("is_folder", path=target)
    if not folder.is_dir():
        raise _error("no_folder", path=target, folder=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _error("folder_read_only", path=target, folder=folder)
    if target.exists():
        if not target.is_file():
            raise _error("not_file", path=target)
        if not os.access(target, os.W_OK):
            raise _error("file_read_only", path=target)
        try:
            # Opening for writing changes nothing, but fails where a rename over the
            # file would (a sharing lock on Windows).
            with target.open("r+b"):
                pass
        except PermissionError as exc:
            raise _error("file_read_only", path=target) from exc
        except OSError as exc:
            raise write_error(target, exc) from exc
    return target
