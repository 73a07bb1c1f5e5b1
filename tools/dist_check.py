"""`make dist-check`: what gets installed works away from the checkout.

Each check is a step (a function in :data:`STEPS`) run in order in one temporary folder
outside the checkout; a step that fails stops the run with its reason and exit 1. Steps
share what they made through :class:`Work`. To add a check (the PyInstaller bundle), write
its step and append it to :data:`STEPS`.

The wheel steps:

1. ``build``: the wheel, built by ``pip wheel --no-deps --no-build-isolation`` from a
   copy of the checkout's files (tracked and new, not ignored ones), so a stale
   ``build/`` folder cannot slip old files in and the checkout is not written to. No
   build isolation: the venv's setuptools (a test dependency) builds it, nothing is
   fetched.
2. ``contents``: the wheel holds every file of ``resources/`` and every module of the
   app's packages, ``main.py``, and the ``ittisal`` command.
3. ``install``: a fresh venv (``--without-pip``) in the temporary folder; the wheel is
   installed into it by this venv's pip (``--python``, ``--no-deps --no-index``). Its
   third-party dependencies are the ones `make test` installed: a ``.pth`` file adds this
   venv's site-packages to its path (a plain path entry: the editable install's own
   ``.pth`` there, which leads to the checkout, is not read). Offline throughout.
4. ``isolated``: the installed interpreter, run from a folder outside the checkout, finds
   every app package in its own site-packages and has nothing of the checkout on its path.
5. ``certificate``: the installed ``ittisal`` command makes a demo database and exports a
   certificate PDF, with fontconfig pointed at an empty configuration so that no system
   font can be found at all; ``pdffonts`` lists only the bundled fonts, all embedded.
6. ``documents``: the installed command exports a news report, the year's periodic report
   (charts drawn in the bundled Amiri) and the certificates as Word, which embeds the
   bundled fonts; each file is a Word package.
7. ``window``: the installed app's window, offscreen: right to left, in the bundled UI
   font, with its icons.
8. ``missing-font``: with a font taken out of the installed package, the export fails
   with the error that names it and writes no file (the font is put back afterwards).

The bundle steps (PyInstaller, packaging/ittisal.spec):

9. ``bundle-build``: ``dist/ittisal`` as `make dist` left it, if it is newer than every
   file of the checkout; else the bundle built by PyInstaller from the copy of step 1.
   Either way it is copied into the temporary folder and run from there.
10. ``bundle-contents``: no WebEngine, QML or Quick library (nor a ``qml`` folder) in the
    bundle, and every file of ``resources/``.
11. ``bundle-documents``: with the checkout (and its .venv) hidden under an empty folder
    mounted over it in a mount namespace of the command's own (``unshare``; where that
    is refused, the note says so), no Python path, no system font, the bundle's command
    line makes a demo database, exports a certificate PDF whose fonts are only the
    bundled ones, embedded, and a news report with the activity's title and the app's
    version.
12. ``bundle-window``: the bundled app started offscreen on that database with
    ``ITTISAL_SMOKE_REPORT`` (ui/launch.py) shows its window right to left, in the
    bundled UI font, with its icons, writes what it shows and closes: exit 0 and nothing
    on stderr but Qt's offscreen notices.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import sysconfig
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
PACKAGES = ("models", "ui", "exporters", "demo", "resources")
FONTS = ("Amiri-Regular.ttf", "Amiri-Bold.ttf", "NotoSansArabicUI-Regular.ttf",
         "NotoSansArabicUI-Bold.ttf")


class CheckFailed(Exception):
    """A step found the distribution wrong; the message says what."""


@dataclass
class Work:
    """What the steps share: the temporary folder and what earlier steps made there."""

    tmp: Path
    wheel: Path | None = None
    venv: Path | None = None
    site: Path | None = None
    db: Path | None = None
    activity: str | None = None
    bundle: Path | None = None
    hide: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def python(self) -> Path:
        assert self.venv is not None
        return self.venv / "bin" / "python"

    @property
    def command(self) -> Path:
        assert self.venv is not None
        return self.venv / "bin" / "ittisal"

    def env(self) -> dict[str, str]:
        """The installed app's environment: its own data and settings folders, no system
        fonts, no path into the checkout."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "PYTHONHOME", "ITTISAL_DB", "VIRTUAL_ENV")}
        fonts_conf = self.tmp / "no-fonts.conf"
        if not fonts_conf.exists():
            fonts_conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM '
                                  '"fonts.dtd">\n<fontconfig></fontconfig>\n', "utf-8")
        env.update(XDG_DATA_HOME=str(self.tmp / "home" / "data"),
                   XDG_CONFIG_HOME=str(self.tmp / "home" / "config"),
                   XDG_CACHE_HOME=str(self.tmp / "home" / "cache"),
                   FONTCONFIG_FILE=str(fonts_conf), QT_QPA_PLATFORM="offscreen",
                   PATH=f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
        return env

    def run_app(self, *args: str | Path, check: bool = True) -> subprocess.CompletedProcess:
        """The installed ``ittisal`` command, run from a folder outside the checkout."""
        return run([self.command, *args], cwd=self.tmp / "run", env=self.env(), check=check)


def run(cmd: list, *, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                            encoding="utf-8", errors="replace", **kwargs)
    if check and result.returncode != 0:
        raise CheckFailed(f"{' '.join(str(c) for c in cmd)} exited {result.returncode}\n"
                          f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result


def checkout_files() -> list[str]:
    """The checkout's files as a fresh clone would have them, plus new ones not ignored."""
    out = run(["git", "-C", CHECKOUT, "ls-files", "-co", "--exclude-standard", "-z"]).stdout
    return sorted(name for name in out.split("\0") if name and (CHECKOUT / name).is_file())


# --- steps -----------------------------------------------------------------------------

def build(work: Work) -> None:
    source = work.tmp / "source"
    for name in checkout_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(CHECKOUT / name, target)
    out = work.tmp / "wheel"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "-w", out, source])
    wheels = sorted(out.glob("ittisal-*.whl"))
    if len(wheels) != 1:
        raise CheckFailed(f"expected one wheel, found {[w.name for w in wheels]}")
    work.wheel = wheels[0]
    work.notes.append(f"{work.wheel.name}: {work.wheel.stat().st_size / 1e6:.1f} MB")


def contents(work: Work) -> None:
    assert work.wheel is not None
    with zipfile.ZipFile(work.wheel) as wheel:
        names = set(wheel.namelist())
        entry_points = next((wheel.read(n).decode() for n in names
                             if n.endswith(".dist-info/entry_points.txt")), "")
    files = checkout_files()
    wanted = {n for n in files if n.startswith("resources/") and "__pycache__" not in n}
    wanted |= {n for n in files if n.endswith(".py") and n.split("/")[0] in PACKAGES}
    wanted.add("main.py")
    missing = sorted(wanted - names)
    if missing:
        raise CheckFailed("the wheel lacks:\n  " + "\n  ".join(missing))
    if "ittisal = main:run" not in entry_points:
        raise CheckFailed(f"no `ittisal` command in the wheel's entry points:\n{entry_points}")
    fonts = sorted(n for n in names if n.startswith("resources/fonts/"))
    work.notes.append(f"wheel: {len(names)} files, fonts: {', '.join(fonts)}")


def install(work: Work) -> None:
    assert work.wheel is not None
    work.venv = work.tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", work.venv])
    work.site = Path(run([work.python, "-c", "import sysconfig; "
                          "print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # The dependencies `make test` installed, read where they are; nothing is downloaded.
    ours = sysconfig.get_paths()["purelib"]
    (work.site / "dist_check_deps.pth").write_text(ours + "\n", "utf-8")
    run([sys.executable, "-m", "pip", "--python", work.python, "install", "--no-deps",
         "--no-index", "--quiet", work.wheel])
    if not work.command.is_file():
        raise CheckFailed(f"installing the wheel made no {work.command}")


def isolated(work: Work) -> None:
    (work.tmp / "run").mkdir(exist_ok=True)
    probe = ("import json, sys, importlib.metadata as md, main, " + ", ".join(PACKAGES) +
             "; print(json.dumps({'path': sys.path, 'version': md.version('ittisal'), "
             "'files': {m: sys.modules[m].__file__ for m in ['main', " +
             ", ".join(repr(p) for p in PACKAGES) + "]}}))")
    found = json.loads(run([work.python, "-c", probe], cwd=work.tmp / "run",
                           env=work.env()).stdout)
    assert work.site is not None
    strays = {m: f for m, f in found["files"].items()
              if not Path(f).resolve().is_relative_to(work.site.resolve())}
    if strays:
        raise CheckFailed(f"modules not from the installed wheel: {strays}")
    inside = [p for p in found["path"] if p and Path(p).resolve().is_relative_to(CHECKOUT)
              and not Path(p).resolve().is_relative_to(CHECKOUT / ".venv")]
    if inside:
        raise CheckFailed(f"the checkout is on the installed app's path: {inside}")
    work.notes.append(f"installed version {found['version']}, modules from {work.site}")


def certificate(work: Work) -> None:
    work.db = work.tmp / "run" / "demo.sqlite3"
    work.run_app("--db", work.db, "demo")
    listed = json.loads(work.run_app("--db", work.db, "list", "activities", "--status",
                                     "sent", "--json").stdout)
    pdf = work.tmp / "run" / "certificates.pdf"
    for activity in [a["id"] for a in listed if a["attendees"]][:5]:
        result = work.run_app("--db", work.db, "export", "certificates", "--activity",
                              activity, "--out", pdf, "--json", check=False)
        if result.returncode == 0:
            work.activity = activity
            break
    else:
        raise CheckFailed(f"no certificate PDF could be exported:\n{result.stderr}")
    count = json.loads(result.stdout)["certificates"]
    fonts = pdf_fonts(pdf)
    assert work.site is not None
    bundled = {postscript_name(work.site / "resources" / "fonts" / name) for name in FONTS}
    strangers = [f for f in fonts if f["name"].split("+")[-1] not in bundled]
    unembedded = [f["name"] for f in fonts if f["emb"] != "yes"]
    if not fonts or strangers or unembedded:
        raise CheckFailed(f"the certificate PDF's fonts are not the bundled ones, embedded: "
                          f"{fonts} (bundled: {sorted(bundled)})")
    work.notes.append(f"{count} certificates, {pdf.stat().st_size // 1024} KB; pdffonts: "
                      + ", ".join(f"{f['name']} ({f['type']}, embedded)" for f in fonts))


def documents(work: Work) -> None:
    assert work.db is not None and work.activity is not None and work.site is not None
    run_dir = work.tmp / "run"
    exports = {
        "news.docx": ("news", "--activity", work.activity),
        "periodic.docx": ("periodic", "--from", "2000-01-01", "--to", "2100-12-31"),
        "certificates.docx": ("certificates", "--activity", work.activity),
    }
    sizes = []
    for name, args in exports.items():
        work.run_app("--db", work.db, "export", *args, "--out", run_dir / name, "--json")
        try:
            with zipfile.ZipFile(run_dir / name) as docx:
                parts = {n: docx.read(n) for n in docx.namelist()
                         if n == "word/document.xml" or n.startswith("word/fonts/")}
        except (OSError, zipfile.BadZipFile) as exc:
            raise CheckFailed(f"{name} is not a Word file: {exc}") from exc
        if "word/document.xml" not in parts:
            raise CheckFailed(f"{name} has no word/document.xml")
        sizes.append(f"{name} {(run_dir / name).stat().st_size // 1024} KB")
    # The certificates' Word file embeds the fonts (obfuscated): as long as the shipped ones.
    embedded = sorted(len(data) for n, data in parts.items() if n.startswith("word/fonts/"))
    shipped = sorted((work.site / "resources" / "fonts" / f).stat().st_size
                     for f in ("Amiri-Regular.ttf", "Amiri-Bold.ttf"))
    if embedded != shipped:
        raise CheckFailed(f"certificates.docx embeds fonts of {embedded} bytes, "
                          f"the bundled Amiri has {shipped}")
    work.notes.append(", ".join(sizes) + "; certificates.docx embeds the bundled Amiri")


def window(work: Work) -> None:
    assert work.db is not None
    probe = """
import json, sys, resources
from PySide6.QtCore import Qt
from models.db import Database
from ui.application import create_application, ui_font_family
from ui.context import AppContext
from ui.main_window import MainWindow
app = create_application()
db = Database.open(sys.argv[1])
win = MainWindow(AppContext(db))
icons = [win.nav.item(i).icon().isNull() for i in range(win.nav.count())]
print(json.dumps({"rtl": app.layoutDirection() == Qt.LayoutDirection.RightToLeft,
                  "family": ui_font_family(), "font": app.font().families()[0],
                  "icons": len(icons), "empty_icons": sum(icons),
                  "app_icon": not app.windowIcon().isNull(),
                  "font_file": str(resources.font_path("NotoSansArabicUI-Regular.ttf"))}))
win.close()
db.close()
"""
    found = json.loads(run([work.python, "-c", probe, work.db], cwd=work.tmp / "run",
                           env=work.env()).stdout.strip().splitlines()[-1])
    assert work.site is not None
    if not (found["rtl"] and found["family"] == found["font"] == "Noto Sans Arabic UI"
            and found["icons"] and not found["empty_icons"] and found["app_icon"]
            and Path(found["font_file"]).resolve().is_relative_to(work.site.resolve())):
        raise CheckFailed(f"the installed app's window is not as it should be: {found}")
    work.notes.append(f"window: right to left, {found['family']}, {found['icons']} icons")


def missing_font(work: Work) -> None:
    assert work.site is not None and work.db is not None and work.activity is not None
    font = work.site / "resources" / "fonts" / "Amiri-Bold.ttf"
    aside = work.tmp / font.name
    pdf = work.tmp / "run" / "without-font.pdf"
    shutil.move(font, aside)
    try:
        result = work.run_app("--db", work.db, "export", "certificates", "--activity",
                              work.activity, "--out", pdf, check=False)
    finally:
        shutil.move(aside, font)
    if (result.returncode != 1 or "fonts/Amiri-Bold.ttf" not in result.stderr
            or "مفقود" not in result.stderr or pdf.exists()):
        raise CheckFailed(f"a missing font was not refused by name (exit "
                          f"{result.returncode}, file written: {pdf.exists()}):\n"
                          f"{result.stdout}{result.stderr}")
    work.notes.append("missing font: " + " / ".join(result.stderr.strip().splitlines()))


# --- the PyInstaller bundle (`make dist`, packaging/ittisal.spec) -----------------------

BUNDLE = "ittisal"
#: Libraries of Qt modules the app does not use; none may be in the bundle.
UNWANTED_QT = ("Qt6WebEngine", "Qt6Qml", "Qt6Quick", "QtWebEngine", "QtQml", "QtQuick")
#: What Qt says for every window on the offscreen platform: not a problem of the app.
OFFSCREEN_NOISE = "This plugin does not support"


def bundle_build(work: Work) -> None:
    made = CHECKOUT / "dist" / BUNDLE
    files = checkout_files()
    newest = max((CHECKOUT / name).stat().st_mtime for name in files)
    if (made / BUNDLE).is_file() and (made / BUNDLE).stat().st_mtime >= newest:
        built, how = made, "reused dist/ittisal (made by `make dist` after the last change)"
    else:
        source = work.tmp / "source"
        if not source.is_dir():
            build(work)
        begun = time.monotonic()
        run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
             "--distpath", work.tmp / "bundle-dist", "--workpath", work.tmp / "bundle-build",
             source / "packaging" / "ittisal.spec"], cwd=source)
        built = work.tmp / "bundle-dist" / BUNDLE
        how = f"built from a copy of the checkout in {time.monotonic() - begun:.0f} s"
    # Run from a copy elsewhere: nothing may depend on where it was built.
    work.bundle = work.tmp / "installed" / BUNDLE
    shutil.copytree(built, work.bundle, symlinks=True)
    if not os.access(work.bundle / BUNDLE, os.X_OK):
        raise CheckFailed(f"the bundle has no executable {BUNDLE}: {sorted(os.listdir(built))}")
    size = sum(f.stat().st_size for f in work.bundle.rglob("*")
               if f.is_file() and not f.is_symlink())
    count = sum(1 for f in work.bundle.rglob("*") if f.is_file() and not f.is_symlink())
    work.notes.append(f"{how}; {size / 2**20:.0f} MiB in {count} files")


def bundle_contents(work: Work) -> None:
    assert work.bundle is not None
    names = [f.relative_to(work.bundle).as_posix() for f in work.bundle.rglob("*")]
    unwanted = sorted(n for n in names if any(u.lower() in n.rsplit("/", 1)[-1].lower()
                                              for u in UNWANTED_QT) or "/qml/" in f"/{n}/")
    if unwanted:
        raise CheckFailed("the bundle holds WebEngine or QML/Quick files:\n  "
                          + "\n  ".join(unwanted[:20]))
    shipped = {n for n in checkout_files() if n.startswith("resources/")
               and not n.endswith(".py")}
    inside = {n.split("/", 1)[1] for n in names if n.startswith("_internal/resources/")}
    missing = sorted(shipped - inside)
    if missing:
        raise CheckFailed("the bundle lacks:\n  " + "\n  ".join(missing))
    qt = sorted({n.rsplit("/", 1)[-1].split(".")[0] for n in names
                 if n.rsplit("/", 1)[-1].startswith("libQt6")})
    work.notes.append(f"no WebEngine, QML or Quick library; Qt libraries: {', '.join(qt)}")


def _hidden_checkout() -> list[str]:
    """A command prefix that runs a command with the checkout (and its .venv) out of
    sight: an empty folder mounted over it in a mount namespace of its own (root, or
    user namespaces, needed); [] where that cannot be done."""
    prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
              'mount -t tmpfs -o size=1m ittisal-hidden "$0" && exec "$@"', str(CHECKOUT)]
    try:
        probe = subprocess.run([*prefix, "test", "!", "-e", str(CHECKOUT / "main.py")],
                               capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return []
    return prefix if probe.returncode == 0 else []


def run_bundle(work: Work, *args: str | Path, check: bool = True,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The copied bundle's ``ittisal``, from a folder outside the checkout, with no
    Python path and, where possible, the checkout hidden."""
    assert work.bundle is not None
    environment = {**work.env(), "PYTHONPATH": "", **(env or {})}
    environment["PATH"] = os.pathsep.join(
        p for p in environment["PATH"].split(os.pathsep)
        if p and not Path(p).resolve().is_relative_to(CHECKOUT))
    folder = work.tmp / "bundle-run"
    folder.mkdir(exist_ok=True)
    try:
        return run([*work.hide, work.bundle / BUNDLE, *args], cwd=folder, env=environment,
                   check=check, timeout=300)
    except subprocess.TimeoutExpired as exc:  # a window that never closes, say
        raise CheckFailed(f"the bundle's `ittisal {' '.join(map(str, args))}` was still "
                          f"running after {exc.timeout:.0f} s") from exc


def bundle_documents(work: Work) -> None:
    assert work.bundle is not None
    work.hide = _hidden_checkout()
    folder = work.tmp / "bundle-run"
    db = folder / "demo.sqlite3"
    run_bundle(work, "--db", db, "demo", "--activities", "40")
    listed = json.loads(run_bundle(work, "--db", db, "list", "activities", "--status", "sent",
                                   "--json").stdout)
    pdf, news = folder / "certificates.pdf", folder / "news.docx"
    for activity in [a["id"] for a in listed if a["attendees"]][:5]:
        result = run_bundle(work, "--db", db, "export", "certificates", "--activity",
                            activity, "--out", pdf, "--json", check=False)
        if result.returncode == 0:
            break
    else:
        raise CheckFailed(f"the bundle exported no certificate PDF:\n{result.stderr}")
    run_bundle(work, "--db", db, "export", "news", "--activity", activity, "--out", news)
    fonts = pdf_fonts(pdf)
    bundled = {postscript_name(work.bundle / "_internal" / "resources" / "fonts" / name)
               for name in FONTS}
    strangers = [f for f in fonts if f["name"].split("+")[-1] not in bundled]
    if not fonts or strangers or any(f["emb"] != "yes" for f in fonts):
        raise CheckFailed(f"the bundle's certificate PDF is not in the bundled fonts, "
                          f"embedded: {fonts}")
    with zipfile.ZipFile(news) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
        app_xml = docx.read("docProps/app.xml").decode("utf-8")
    title = next(a["title"] for a in listed if a["id"] == activity)
    version = tomllib.loads((CHECKOUT / "pyproject.toml").read_text("utf-8"))["project"][
        "version"]
    if title not in body or f"Ittisal {version}" not in app_xml:
        raise CheckFailed(f"the bundle's news report lacks the activity's title "
                          f"({title in body}) or the version {version} ({app_xml[-300:]})")
    hidden = "checkout hidden by a mount namespace" if work.hide else (
        "checkout NOT hidden (unshare unavailable): run from a copy, elsewhere")
    work.notes.append(f"{hidden}; certificates.pdf {pdf.stat().st_size // 1024} KB ("
                      + ", ".join(f["name"] for f in fonts) + f"), news.docx "
                      f"{news.stat().st_size // 1024} KB, version {version}")


def bundle_window(work: Work) -> None:
    report = work.tmp / "bundle-run" / "window.json"
    result = run_bundle(work, "--db", work.tmp / "bundle-run" / "demo.sqlite3", check=False,
                        env={"ITTISAL_SMOKE_REPORT": str(report)})
    noise = [line for line in result.stderr.splitlines()
             if line.strip() and OFFSCREEN_NOISE not in line]
    if result.returncode != 0 or noise or not report.is_file():
        raise CheckFailed(f"the bundled app did not start and close cleanly (exit "
                          f"{result.returncode}, report written: {report.is_file()}):\n"
                          f"{result.stdout}{result.stderr}")
    found = json.loads(report.read_text("utf-8"))
    if not (found["rtl"] and found["visible"] and found["frozen"] and found["pages"]
            and not found["blank_icons"] and found["app_icon"]
            and found["font"] == "Noto Sans Arabic UI"):
        raise CheckFailed(f"the bundled app's window is not as it should be: {found}")
    work.notes.append(f"window: right to left, {found['font']}, {found['pages']} pages with "
                      f"icons, «{found['title']}», closed with exit 0 "
                      f"(picture: {report.with_suffix('.png').name})")


STEPS: list[tuple[str, Callable[[Work], None]]] = [
    ("build", build), ("contents", contents), ("install", install), ("isolated", isolated),
    ("certificate", certificate), ("documents", documents), ("window", window),
    ("missing-font", missing_font), ("bundle-build", bundle_build),
    ("bundle-contents", bundle_contents), ("bundle-documents", bundle_documents),
    ("bundle-window", bundle_window),
]


# --- helpers ---------------------------------------------------------------------------

def pdf_fonts(pdf: Path) -> list[dict[str, str]]:
    """``pdffonts``' table as rows: name, type, emb."""
    lines = run(["pdffonts", pdf]).stdout.splitlines()[2:]
    rows = []
    for line in lines:
        # The type has spaces ("CID TrueType"); the columns after it do not.
        parts = line.split()
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5]})
    return rows


def postscript_name(font: Path) -> str:
    """A TrueType font's PostScript name (its ``name`` table's record 6)."""
    data = font.read_bytes()
    count = struct.unpack_from(">H", data, 4)[0]
    for i in range(count):
        tag, _sum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag != b"name":
            continue
        _fmt, records, strings = struct.unpack_from(">HHH", data, offset)
        for r in range(records):
            platform, _enc, _lang, name_id, length, start = struct.unpack_from(
                ">6H", data, offset + 6 + 12 * r)
            if name_id == 6:
                raw = data[offset + strings + start: offset + strings + start + length]
                return raw.decode("utf-16-be" if platform in (0, 3) else "latin-1")
    raise CheckFailed(f"{font} has no PostScript name")


def main(argv: list[str] | None = None) -> int:
    """Run the steps (all, or those named); print each one's result and time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="ittisal-dist-check-"))
    if tmp.resolve().is_relative_to(CHECKOUT):
        raise SystemExit(f"the temporary folder {tmp} is inside the checkout")
    work = Work(tmp)
    started = time.monotonic()
    try:
        for name, step in STEPS:
            begun = time.monotonic()
            noted = len(work.notes)
            try:
                step(work)
            except CheckFailed as exc:
                print(f"dist-check {name}: FAILED ({time.monotonic() - begun:.1f} s)\n{exc}")
                return 1
            print(f"dist-check {name}: ok ({time.monotonic() - begun:.1f} s)")
            for note in work.notes[noted:]:
                print(f"    {note}")
        print(f"dist-check: {len(STEPS)} steps passed in {time.monotonic() - started:.0f} s")
        return 0
    finally:
        if args.keep:
            print(f"dist-check: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
