"""QR codes of many certificates at once, as PNGs, in order (:class:`QrBatch`). Each code
takes a few milliseconds of pure Python; a large batch is made by two worker processes
while the caller builds its pages, a small one (or where processes cannot start) here.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from models import certificates

__all__ = ["POOL_FROM", "QrBatch"]

POOL_FROM = 60           # codes: make them in worker processes from this many
POOL_CHUNK = 20

def _pool_context() -> multiprocessing.context.BaseContext | None:
    """How to start QR workers here, or None to make the codes in this process.

    fork where it is safe and cheap (no Qt in the process: the command line, tests);
    forkserver or spawn otherwise — they run ``__main__`` again in each worker, so it must
    be a file; a frozen app would need ``multiprocessing.freeze_support()`` first."""
    if getattr(sys, "frozen", False):
        return None
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and not any(name.startswith("PySide6") for name in sys.modules):
        return multiprocessing.get_context("fork")
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None)
    if main_file is None or not Path(main_file).is_file():
        return None
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class QrBatch:
    """The QR PNGs of the pages, in order. For a large batch two worker processes make
    them while the pages are built here (each takes a few milliseconds, pure Python);
    a small batch, or one where processes cannot start, is made here."""

    def __init__(self, payloads: Sequence[Any],
                 make: Callable[[Any], Any] = certificates.qr_png_bytes) -> None:
        # ``make``: what a worker makes of each payload (default: its QR PNG); a
        # module-level function, so that it can be sent to the workers.
        self.payloads = list(payloads)
        self.make = make
        self.pool: ProcessPoolExecutor | None = None
        self.results: Iterator[bytes] | None = None
        self.finished = False
        workers = min(2, os.cpu_count() or 1)
        if len(self.payloads) < POOL_FROM or workers < 2:
            return
        context = _pool_context()
        if context is None:
            return
        if context.get_start_method() == "fork":
            # Imported once here rather than once per forked worker (segno's package
            # brings its writers along: 40 ms or more each).
            import segno  # noqa: F401
        try:
            self.pool = ProcessPoolExecutor(workers, mp_context=context)
            self.results = self.pool.map(make, self.payloads, chunksize=POOL_CHUNK)
        except (OSError, ValueError, RuntimeError, BrokenProcessPool):
            self.close()

    def __iter__(self) -> Iterator[Any]:
        done = 0
        if self.results is not None:
            try:
                for png in self.results:
                    done += 1
                    yield png
            except (BrokenProcessPool, OSError):
                pass  # the rest are made here
        for payload in self.payloads[done:]:
            yield self.make(payload)
        self.finished = True

    def close(self) -> None:
        """Stop the workers; chunks not started yet are dropped (a cancel). After a
        batch made to the end, the idle workers are waited for (a moment), so that the
        process holds no thread of theirs when it ends."""
        if self.pool is not None:
            self.pool.shutdown(wait=self.finished, cancel_futures=True)
            self.pool, self.results = None, None
