"""The files Ittisal ships beside its code (fonts, icons): the one way to find them.

They are package data of this package (pyproject.toml), found through
:mod:`importlib.resources`, so they travel with the code wherever it is installed: the
checkout, an editable install, a wheel in a venv, a frozen bundle. A path built from some
module's ``__file__`` holds only in the checkout; a wheel built without the files would
then fall back, silently, to whatever font the system has.

A file that is missing raises :class:`MissingResourceError`, which names it: a
certificate set in a system font looks right to nobody until it is printed. Callers that
need a file on disk (Qt, Pillow and matplotlib open fonts by path) get a real path; where
the package is not a folder (a zip import) the file is copied out once and kept until
the process exits.

This package imports nothing from the app but :mod:`models.errors`, and no Qt, so every
layer (models, exporters, ui) may use it.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from importlib import resources as _resources
from importlib.resources.abc import Traversable
from pathlib import Path

from models.errors import IttisalError

__all__ = ["FONT_FILES", "DamagedResourceError", "MissingResourceError", "file_path",
           "font_path", "icon_path", "read_bytes", "shipped_files"]

_MSG = {
    "missing": ("ملف من ملفات البرنامج مفقود: {name}. أعِد تثبيت البرنامج.",
                "A file that comes with the program is missing: {name}. "
                "Reinstall the program."),
    "damaged": ("ملف من ملفات البرنامج تالف: {name}. أعِد تثبيت البرنامج.",
                "A file that comes with the program is damaged: {name}. "
                "Reinstall the program."),
}

#: The font files shipped for each family the documents and the screen use (regular,
#: bold). Every font the app draws with is one of these: none comes from the system.
FONT_FILES: dict[str, tuple[str, str]] = {
    "Amiri": ("Amiri-Regular.ttf", "Amiri-Bold.ttf"),
    "Noto Sans Arabic UI": ("NotoSansArabicUI-Regular.ttf", "NotoSansArabicUI-Bold.ttf"),
}


class MissingResourceError(IttisalError):
    """A file the program ships (``name``, such as ``fonts/Amiri-Regular.ttf``) is not
    where the installed program keeps it: the installation is damaged or incomplete."""

    _key = "missing"

    def __init__(self, name: str) -> None:
        arabic, english = _MSG[self._key]
        super().__init__(arabic.format(name=name), english.format(name=name))
        self.name = name


class DamagedResourceError(MissingResourceError):
    """A shipped file is there but cannot be read as what it is (a font Qt refuses)."""

    _key = "damaged"


def _root() -> Traversable:
    """Where the shipped files are: this package's folder (tests point it elsewhere)."""
    return _resources.files(__name__)


# Files copied out of a package that is not a folder, kept for the process's lifetime
# (Qt and Pillow keep reading a font file after opening it).
_copies = contextlib.ExitStack()
atexit.register(_copies.close)
_copied: dict[str, Path] = {}
_lock = threading.Lock()


def _find(parts: tuple[str, ...]) -> Traversable:
    node = _root()
    for part in parts:
        node = node / part
    if not node.is_file():
        raise MissingResourceError("/".join(parts))
    return node


def file_path(*parts: str) -> Path:
    """The file ``resources/<parts...>`` as a real path, e.g. ``file_path("icons",
    "ittisal.svg")``. Raises :class:`MissingResourceError` when it is not there."""
    node = _find(parts)
    if isinstance(node, Path):  # installed as files (always, but for a zip import)
        return node
    key = str(node)
    with _lock:
        if key not in _copied:
            _copied[key] = _copies.enter_context(_resources.as_file(node))
        return _copied[key]


def read_bytes(*parts: str) -> bytes:
    """The content of ``resources/<parts...>``; :class:`MissingResourceError` when absent."""
    return _find(parts).read_bytes()


def font_path(name: str) -> Path:
    """A shipped font file by its file name, e.g. ``font_path("Amiri-Regular.ttf")``."""
    return file_path("fonts", name)


def icon_path(name: str) -> Path:
    """A shipped icon by its file name, e.g. ``icon_path("ittisal.svg")``."""
    return file_path("icons", name)


def shipped_files() -> list[str]:
    """Every file shipped, as ``folder/name`` paths, sorted (the code of this package is
    not among them)."""
    found: list[str] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, f"{prefix}{child.name}/")
            elif prefix:  # files at the top are this package's own code
                found.append(prefix + child.name)

    walk(_root(), "")
    return sorted(found)
