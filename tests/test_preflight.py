"""The checks before Qt loads turn a missing display or library into one line."""

from __future__ import annotations

import sys

import pytest

from ui import preflight


@pytest.mark.parametrize(("soname", "package"), [
    ("libEGL.so.1", "libegl1"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libfoo.so.3", "libfoo3"),
    ("libbar2.so.1", "libbar2-1"),
])
def test_package_names(soname, package):
    assert preflight.package_for(soname) == package


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_no_display_is_reported(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    message = preflight.problem()
    assert message and "DISPLAY" in message and "\n" not in message


def test_offscreen_counts_as_a_display(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert preflight.problem() is None


def test_missing_libraries_from_an_import_error():
    exc = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    assert preflight._missing_from_import_error(exc) == ["libEGL.so.1"]
