"""The bundle's and the installer's recipes, read without building anything: the
PyInstaller spec keeps WebEngine and QML/Quick out, the Inno Setup script installs per
user with its shortcuts, the Windows workflow builds with the spec. (`make dist-check`
builds the Linux bundle and runs it; nothing here can run the Windows parts.)"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "ittisal.spec"
ISS = ROOT / "packaging" / "ittisal.iss"
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def spec_names(*names: str) -> dict:
    """The spec's module-level assignments and functions called ``names``, run on their
    own (the rest of the spec needs PyInstaller's build to run)."""
    tree = ast.parse(SPEC.read_text("utf-8"))
    wanted = [node for node in tree.body
              if (isinstance(node, ast.Assign) and any(
                  isinstance(t, ast.Name) and t.id in names for t in node.targets))
              or (isinstance(node, ast.FunctionDef) and node.name in names)]
    namespace: dict = {"re": re, "sys": sys, "Path": Path}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)
    missing = [n for n in names if n not in namespace]
    assert not missing, f"the spec no longer defines {missing}"
    return namespace


def test_spec_excludes_webengine_and_qml_modules():
    excludes = spec_names("QT_EXCLUDES")["QT_EXCLUDES"]
    for module in ("QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtQml",
                   "QtQuick", "QtQuickWidgets", "Qt3DCore", "QtMultimedia"):
        assert f"PySide6.{module}" in excludes
    # …but none of the modules the app imports.
    used = {m for path in ROOT.glob("[emu]*/**/*.py") if "screenshots" not in path.name
            for m in re.findall(r"PySide6\.(Qt\w+)", path.read_text("utf-8"))}
    used |= set(re.findall(r"PySide6\.(Qt\w+)", (ROOT / "main.py").read_text("utf-8")))
    assert used >= {"QtCore", "QtGui", "QtWidgets"}
    assert not {f"PySide6.{m}" for m in used} & set(excludes)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/lib/libQt6WebEngineCore.so.6", "libQt6WebEngineCore.so.6",
    "PySide6/Qt/lib/libQt6Qml.so.6", "PySide6/Qt/lib/libQt6QmlModels.so.6",
    "PySide6/Qt/lib/libQt6Quick.so.6", "libQt6QuickControls2.so.6",
    "PySide6/Qt6WebEngineCore.dll", "PySide6\\Qt6Qml.dll", "PySide6/Qt6Quick.dll",
    "PySide6/QtWebEngineProcess.exe", "PySide6/Qt/qml/QtQuick/Controls/qmldir",
    "PySide6/Qt/lib/libQt63DCore.so.6", "PySide6/Qt/lib/libQt6Multimedia.so.6",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/translations/qtbase_de.qm", "PySide6/translations/qt_help_ar.qm",
    "ittisal.egg-info/PKG-INFO", "PySide6/opengl32sw.dll",
])
def test_spec_prunes(dest):
    pruned = spec_names("PRUNE", "KEEP_TRANSLATION", "pruned")["pruned"]
    assert pruned([(dest, "/src/" + dest, "BINARY")]) == []


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6Gui.so.6",
    "PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/lib/libQt6PrintSupport.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6", "PySide6/Qt6Core.dll", "PySide6/Qt6Widgets.dll",
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/plugins/platforms/qwindows.dll", "PySide6/plugins/imageformats/qsvg.dll",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "PySide6/Qt/translations/qtbase_ar.qm", "PySide6/translations/qtbase_ar.qm",
    "docx/templates/default.docx", "resources/fonts/Amiri-Regular.ttf",
    "ittisal-0.1.0.dist-info/METADATA", "matplotlib/mpl-data/matplotlibrc",
    "PySide6/msvcp140.dll", "PySide6/plugins/platforms/qoffscreen.dll",
])
def test_spec_keeps(dest):
    pruned = spec_names("PRUNE", "KEEP_TRANSLATION", "pruned")["pruned"]
    assert pruned([(dest, "/src/" + dest, "BINARY")]) == [(dest, "/src/" + dest, "BINARY")]


def test_spec_names_the_executables_and_ships_the_resources():
    text = SPEC.read_text("utf-8")
    assert 'name="ittisal", console=True' in text  # the command line, ittisal(.exe)
    assert 'name="ittisal-app", console=False' in text  # Windows shortcuts: no console
    assert '(ROOT / "resources").rglob("*")' in text
    assert spec_names("APP_PACKAGES")["APP_PACKAGES"] == (
        "models", "ui", "exporters", "demo", "resources")


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text("ascii").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def test_installer_is_per_user_without_admin_rights():
    setup = iss_sections()["Setup"]
    assert "PrivilegesRequired=lowest" in setup
    assert not any(line.startswith("PrivilegesRequiredOverridesAllowed") for line in setup)
    directory = next(line for line in setup if line.startswith("DefaultDirName="))
    assert directory.startswith(("DefaultDirName={userpf}", "DefaultDirName={localappdata}"))


def test_installer_has_start_menu_entry_desktop_shortcut_and_uninstaller():
    sections = iss_sections()
    icons = sections["Icons"]
    app_exe = '"{app}\\ittisal-app.exe"'
    assert any(line.startswith('Name: "{autoprograms}\\') and app_exe in line
               for line in icons)
    desktop = [line for line in icons if line.startswith('Name: "{autodesktop}\\')]
    assert desktop and app_exe in desktop[0] and "Tasks: desktopicon" in desktop[0]
    task = next(line for line in sections["Tasks"] if 'Name: "desktopicon"' in line)
    assert "unchecked" not in task  # offered checked
    # An uninstaller is made unless switched off.
    assert not any(line.lower().startswith("uninstallable=") and "no" in line.lower()
                   for line in sections["Setup"])
    assert any("ittisal-app.exe" in line for line in sections["Setup"]
               if line.startswith("UninstallDisplayIcon="))


def test_installer_never_puts_data_in_the_install_folder():
    sections = iss_sections()
    files = sections["Files"]
    assert files == ['Source: "..\\dist\\ittisal\\*"; DestDir: "{app}"; '
                     'Flags: ignoreversion recursesubdirs createallsubdirs']
    # Nothing made beside the program for the app's data, nothing of it removed.
    assert "Dirs" not in sections and "UninstallDelete" not in sections
    assert all("{app}" in line for line in sections.get("InstallDelete", []))
    # The app's data folder is the platform's per-user one (models/paths.py).
    paths = (ROOT / "models" / "paths.py").read_text("utf-8")
    assert "platformdirs.user_data_dir(APP_NAME" in paths


def test_installer_offers_arabic_when_the_compiler_has_it():
    text = ISS.read_text("ascii")  # the compiler reads a script without a BOM as ANSI
    assert 'MessagesFile: "compiler:Languages\\Arabic.isl"' in text
    assert 'MessagesFile: "compiler:Default.isl"' in text


def test_windows_workflow_builds_with_the_spec_and_compiles_the_installer():
    text = WORKFLOW.read_text("utf-8")
    assert "runs-on: windows-latest" in text
    assert re.search(r'python-version: "3\.11"', text)
    assert 'pip install ".[build]"' in text
    assert re.search(r"PyInstaller .*packaging\\ittisal\.spec", text)
    assert "choco install innosetup" in text
    assert re.search(r"ISCC.*\n.*packaging\\ittisal\.iss", text)
    assert "dist\\ittisal\\ittisal.exe" in text
    assert text.count("actions/upload-artifact@") == 2


def test_make_dist_and_its_tools_come_with_make_test():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(r"^dist: \$\(VENV\)/\.installed-test\n\t\$\(BIN\)/pyinstaller .*",
                     makefile, re.M)
    assert "packaging/ittisal.spec" in makefile
    assert "-e '.[test,build]'" in makefile
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    (pyinstaller,) = project["optional-dependencies"]["build"]
    assert re.fullmatch(r"pyinstaller>=[\d.]+,<\d+", pyinstaller)


def test_dist_check_runs_the_bundle_steps():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import dist_check
    finally:
        sys.path.remove(str(ROOT / "tools"))
    names = [name for name, _step in dist_check.STEPS]
    assert names[-4:] == ["bundle-build", "bundle-contents", "bundle-documents",
                          "bundle-window"]
    assert names.index("build") < names.index("bundle-build")
