"""Checks made before Qt is loaded, so a missing display or library is one clear line.

Without them Qt aborts the process with a long message about platform plugins, which
a newcomer cannot act on. This module imports no Qt at import time.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

MSG = {
    "no_display": (
        "لا توجد شاشة لعرض واجهة اتصال (المتغير DISPLAY غير مضبوط). شغّل البرنامج من سطح "
        "المكتب، أو استعمل أوامر سطر الأوامر. / No display is available (DISPLAY is not set): "
        "start Ittisal from a desktop session, or use its command-line commands."),
    "missing_libs": (
        "تحتاج واجهة Qt إلى مكتبات نظام غير مثبتة؛ ثبّتها بالأمر: sudo apt-get install -y "
        "{packages} / Qt needs system libraries that are missing: sudo apt-get install -y "
        "{packages}"),
}

# Shared objects Qt asks for, and the Debian/Ubuntu package that carries each.
_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
}


def package_for(soname: str) -> str:
    """The Debian package that provides a shared object (a guess for unknown ones)."""
    if soname in _PACKAGES:
        return _PACKAGES[soname]
    match = re.match(r"lib(.+)\.so\.(\d+)", soname)
    if not match:
        return soname
    name, major = match.groups()
    name = name.lower()
    return f"lib{name}-{major}" if name[-1].isdigit() else f"lib{name}{major}"


def _missing_from_import_error(exc: ImportError) -> list[str]:
    return re.findall(r"(lib[\w.+-]+\.so(?:\.\d+)*)", str(exc))


def _xcb_plugin() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(list(spec.submodule_search_locations)[0]) / "Qt/plugins/platforms/libqxcb.so"
    return plugin if plugin.exists() else None


def _missing_from_ldd(path: Path) -> list[str]:
    import subprocess  # only where Qt failed to load: not on every start

    try:
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=10,
                                check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return re.findall(r"^\s*(\S+) => not found", result.stdout, re.MULTILINE)


def problem() -> str | None:
    """One line explaining why the desktop app cannot start here, or None if it can."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not platform and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return MSG["no_display"]
    missing: list[str] = []
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:
        missing = _missing_from_import_error(exc)
        if not missing:
            raise
    if not missing and platform in ("", "xcb") and not os.environ.get("WAYLAND_DISPLAY"):
        plugin = _xcb_plugin()
        if plugin is not None:
            missing = _missing_from_ldd(plugin)
    if missing:
        packages = " ".join(sorted({package_for(name) for name in missing}))
        return MSG["missing_libs"].format(packages=packages)
    return None
