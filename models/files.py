"""Writing files so that a crash, a kill or a full disk never leaves half of one behind:
into a temporary file beside the target, synced, then renamed over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class Staged:
    """A temporary file being written; :meth:`commit` puts it in place."""

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
        os.replace(self.name, target)
        self.committed = True
        return target


@contextlib.contextmanager
def staged(folder: Path, *, prefix: str = ".incoming-", private: bool = False) -> Iterator[Staged]:
    """A temporary file in ``folder`` (mode 0600 when ``private``, else the usual mode);
    removed again unless the block committed it."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    fd, name = tempfile.mkstemp(prefix=prefix, dir=folder)
    if not private:  # mkstemp makes 0600; an ordinary file is readable as usual
        os.chmod(name, 0o644)
    stage = Staged(os.fdopen(fd, "wb"), name)
    try:
        yield stage
    finally:
        if not stage.committed:
            stage.file.close()
            Path(name).unlink(missing_ok=True)


def copy_file(source: Path, target: Path, *, private: bool = False) -> Path:
    """Copy ``source`` to ``target`` atomically."""
    with staged(target.parent, private=private) as stage, source.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            stage.file.write(block)
        return stage.commit(target)
