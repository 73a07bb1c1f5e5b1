"""Output paths that would destroy Ittisal's own data, refused before anything is written.

A document, a backup or an export is written where the user says. Said carelessly (or
with a database that happens to be named ``data.docx``), that place can be the database
itself, one of SQLite's files beside it (``-wal``, ``-shm``, ``-journal``), a file in the
folders Ittisal keeps beside the database (:func:`models.paths.protected_dirs`: backups,
keys, attachments), a backup or another database anywhere, a signing key, or a device
(written atomically, ``/dev/null`` itself would be replaced). Writing a Word file there
loses records, a backup or the unit's key. :func:`refuse_protected_output`
raises :class:`ProtectedPathError` for any of them, and for a folder given where a file is
meant, before any work is done; the command line and the app's save dialogs call it.

Paths are compared as the file system will see them: symbolic links and ``..`` resolved,
without regard to case where the folder ignores case (Windows, macOS, a FAT stick), and a
file that exists is also compared by identity (:func:`os.path.samefile`), which catches
hard links.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from pathlib import Path

from models.errors import IttisalError
from models.paths import protected_dirs

__all__ = ["SIDE_SUFFIXES", "ProtectedPathError", "refuse_protected_output"]

#: SQLite's own files beside a database.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")

_SQLITE_MAGIC = b"SQLite format 3\x00"
_HEAD_BYTES = 4096  # enough to recognise a database, a PEM key or a key backup

_MSG = {
    "refused": ("لا يُكتب الملف في «{path}»: {reason}. اختر اسماً آخر أو مجلداً آخر؛ لم "
                "يُغيَّر شيء.",
                "Not writing to {path}: {reason}. Choose another name or folder; nothing "
                "was changed."),
    "folder": ("«{path}» مجلد وليس ملفاً؛ اكتب اسم الملف المراد كتابته، داخل هذا المجلد أو "
               "في غيره. لم يُغيَّر شيء.",
               "{path} is a folder, not a file; give the name of the file to write, in this "
               "folder or elsewhere. Nothing was changed."),
    "database": ("هذا ملف قاعدة البيانات نفسه، وفيه كل السجلات",
                 "that is the database itself, which holds every record"),
    "side": ("هذا من ملفات قاعدة البيانات نفسها ({suffix})، ولا تُقرأ السجلات بدونه",
             "that is one of the database's own files ({suffix}), without which its records "
             "cannot be read"),
    "inside": ("هذا داخل المجلد «{folder}» الذي يحفظ فيه البرنامج {what}",
               "that is inside {folder}, where Ittisal keeps {what_en}"),
    "sqlite": ("في هذا الملف قاعدة بيانات أو نسخة احتياطية منها",
               "that file holds a database or a backup of one"),
    "other_db": ("في هذا الملف قاعدة بيانات لوحدة أخرى أو نسخة احتياطية منها، لا نسخة من "
                 "قاعدة البيانات هذه",
                 "that file holds the database of another unit, or a backup of one, not a "
                 "copy of this database"),
    "key": ("في هذا الملف مفتاح توقيع أو نسخة منه",
            "that file holds a signing key or a copy of one"),
    "special": ("هذا ليس ملفاً عادياً (جهاز أو قناة)", "that is not an ordinary file (a "
                "device or a pipe)"),
}

# What each data folder holds, for the message; a folder added later without a word
# here is still protected, and named by its name alone.
_WHAT = {
    "backups": ("النسخ الاحتياطية", "its backups"),
    "keys": ("مفاتيح التوقيع", "the signing keys"),
    "attachments": ("المرفقات", "the attachments"),
}


class ProtectedPathError(IttisalError):
    """The chosen output path would overwrite Ittisal's data, or it is a folder.

    ``paths`` holds the paths the message names (each between « and »), so that the app
    can set them left to right inside the Arabic sentence."""

    paths: tuple[str, ...] = ()


def refuse_protected_output(db_path: str | os.PathLike[str], out_path: str | os.PathLike[str],
                            *, purpose: str = "document") -> Path:
    """Raise :class:`ProtectedPathError` if writing ``out_path`` could destroy data of the
    database at ``db_path``; return ``out_path`` (as a :class:`Path`) otherwise.

    Refused: an existing folder; the database, its ``-wal``/``-shm``/``-journal``; any
    path inside the data folders beside it; a device or a pipe; an existing file holding
    a signing key; and, unless ``purpose`` is ``"backup"`` (which may replace an earlier
    backup of its own), an existing file holding an SQLite database (another database, or
    a backup).
    """
    out, db = Path(out_path), Path(db_path)
    if _is_dir(out):
        raise _error("folder", path=out)
    fold = _ignores_case(db) or _ignores_case(out)
    target = _key(out, fold)
    db_key = _key(db, fold)
    if target == db_key or _same_file(out, db):
        raise _refused(out, "database")
    for suffix in SIDE_SUFFIXES:
        side = db.with_name(db.name + suffix)
        if target == _key(side, fold) or _same_file(out, side):
            raise _refused(out, "side", suffix=suffix)
    for folder in protected_dirs(db):
        if _inside(target, _key(folder, fold)) or _linked_into(out, folder):
            arabic, english = _WHAT.get(folder.name, (folder.name, folder.name))
            raise _refused(out, "inside", folder=folder, what=arabic, what_en=english)
    if _special(out):
        # Written atomically, a document would replace the device itself (/dev/null).
        raise _refused(out, "special")
    head = _head(out)
    if _holds_key(head):
        raise _refused(out, "key")
    if head.startswith(_SQLITE_MAGIC):
        if purpose != "backup":
            raise _refused(out, "sqlite")
        # A backup may replace an earlier copy of this database, never another unit's
        # database (a live one on a shared stick) or its backup.
        mine = _unit_of(db)
        if mine is None or _unit_of(out) != mine:
            raise _refused(out, "other_db")
    return out


def _error(key: str, **values: object) -> ProtectedPathError:
    arabic, english = _MSG[key]
    error = ProtectedPathError(arabic.format(**values), english.format(**values))
    error.paths = (str(values["path"]),)
    return error


def _refused(out: Path, reason: str, **values: object) -> ProtectedPathError:
    if "folder" in values:
        # The folder as a user would write it: ``--db ../x.sqlite3`` makes it
        # ``/work/../backups``, which is the same folder but reads as another.
        values["folder"] = os.path.normpath(values["folder"])
    arabic, english = _MSG[reason]
    head_ar, head_en = _MSG["refused"]
    error = ProtectedPathError(head_ar.format(path=out, reason=arabic.format(**values)),
                               head_en.format(path=out, reason=english.format(**values)))
    error.paths = tuple(str(v) for v in (out, values.get("folder")) if v is not None)
    return error


def _key(path: Path, fold: bool) -> str:
    """The path as the file system sees it: absolute, links and ``..`` resolved (also in
    the parts that do not exist yet), case folded where case does not count."""
    real = os.path.realpath(os.path.abspath(path))
    return os.path.normcase(real).casefold() if fold else real


def _inside(path_key: str, folder_key: str) -> bool:
    return path_key == folder_key or path_key.startswith(folder_key.rstrip(os.sep) + os.sep)


# Each look at the disk below treats an error (a name too long, a folder that cannot be
# read) as "nothing there": the refusal is about what exists, and writing there will fail
# with its own message.

def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return _exists(a) and _exists(b) and os.path.samefile(a, b)
    except OSError:
        return False


def _ignores_case(path: Path) -> bool:
    """Whether the folder of ``path`` (or the nearest one that exists) ignores case."""
    if sys.platform in ("win32", "darwin"):
        return True  # the usual file systems there ignore case; refusing more is safe
    probe = Path(os.path.abspath(path))
    while not _exists(probe):
        if probe.parent == probe:
            return False
        probe = probe.parent
    while probe.parent != probe:
        swapped = probe.with_name(probe.name.swapcase())
        if swapped.name != probe.name:
            try:
                return _exists(swapped) and os.path.samefile(swapped, probe)
            except OSError:
                return False
        probe = probe.parent
    return False


def _special(path: Path) -> bool:
    """Whether ``path`` exists and is neither a file nor a folder (a device, a FIFO)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _linked_into(out: Path, folder: Path) -> bool:
    """Whether ``out`` is a hard link of a file inside ``folder`` (its name says nothing
    then). Only a file with more than one link is looked for, so this is rarely a scan."""
    try:
        stat = out.stat()
    except OSError:
        return False
    if stat.st_nlink < 2 or not _is_dir(folder):
        return False
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                other = os.stat(os.path.join(root, name))
            except OSError:
                continue
            if (other.st_ino, other.st_dev) == (stat.st_ino, stat.st_dev):
                return True
    return False


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(_HEAD_BYTES)
    except OSError:  # none yet, or unreadable: the write itself will say
        return b""


def _unit_of(path: Path) -> str | None:
    """The local unit of the Ittisal database at ``path``, read without changing it; None
    when it cannot be read (then nothing is replaced: an unknown database is not ours)."""
    try:
        conn = sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, ValueError):
        return None
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'local_unit_id'").fetchone()
        return str(row[0]) if row and row[0] else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _holds_key(head: bytes) -> bool:
    pem = b"-----BEGIN" in head and b"PRIVATE KEY-----" in head
    return pem or b"ittisal-signing-key" in head
