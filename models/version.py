"""The app's version, for the window's title, «حول البرنامج» and the documents' properties.

A module of its own, importing nothing heavy: the window's title needs it at start-up,
where importing the Word exporters (python-docx, lxml) for it would cost more than the
window itself, and even ``importlib.metadata`` (the email package under it) costs 20 ms.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

DISTRIBUTION = "ittisal"


def _from_dist_info() -> str | None:
    """The version in the first ``ittisal-*.dist-info/METADATA`` on ``sys.path`` (where
    ``importlib.metadata`` finds it too), or None."""
    prefix = f"{DISTRIBUTION}-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not (name.lower().startswith(prefix) and name.endswith(".dist-info")):
                continue
            try:
                text = Path(entry or ".", name, "METADATA").read_text("utf-8")
            except OSError:
                continue
            for line in text.splitlines():
                if not line:  # the headers end at the first blank line
                    break
                if line.startswith("Version:"):
                    return line.partition(":")[2].strip()
    return None


@functools.cache
def app_version() -> str:
    """The app's version: from the installed package, else from pyproject.toml beside it."""
    found = _from_dist_info()
    if found:
        return found
    import importlib.metadata

    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0"
