"""Acting as an ordinary user in tests that run as root (CI, containers).

Root writes into read-only files and folders because of two capabilities
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), not because of its user id: without them, root
obeys permission bits on what it owns, like any user. :func:`without_root_powers` drops
them from the calling thread for a block; :func:`drop_for_child` empties the capability
bounding set in a child process before it runs a command (``preexec_fn``).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Iterator

_CAPABILITY_VERSION_3 = 0x20080522
_DAC_BITS = (1 << 1) | (1 << 2) | (1 << 3)  # DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER
_PR_CAPBSET_DROP = 24


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def can_act_as_user() -> bool:
    """True where permission bits can be made to hold for this process (Linux)."""
    return sys.platform == "linux"


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


@contextlib.contextmanager
def without_root_powers() -> Iterator[None]:
    """Inside the block, this thread obeys permission bits even as root (other threads
    keep theirs). Does nothing for a process that is not root."""
    if not is_root():
        yield
        return
    libc = _libc()
    header = _Header(_CAPABILITY_VERSION_3, 0)
    data = (_Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget failed")
    before = data[0].effective
    data[0].effective = before & ~_DAC_BITS
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")
    try:
        yield
    finally:
        data[0].effective = before
        libc.capset(ctypes.byref(header), data)


def drop_for_child() -> None:
    """``preexec_fn``: the command that follows runs with no capability at all, so root
    obeys permission bits in it (the bounding set limits what exec grants)."""
    libc = _libc()
    for cap in range(64):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break
