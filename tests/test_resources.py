"""The files the app ships (fonts, icons) are found through one module, :mod:`resources`,
wherever the app is installed; a missing one is an error that names it, never a quiet
system font. (The wheel that carries them is checked by `make dist-check`.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import resources
from exporters import certificate_paint, letter, text_fit
from ui import application, main_window

ROOT = Path(__file__).resolve().parent.parent
APP_CODE = [*(p for package in ("models", "ui", "exporters", "demo")
              for p in sorted((ROOT / package).rglob("*.py"))), ROOT / "main.py"]


@pytest.fixture
def empty_root(tmp_path, monkeypatch) -> Path:
    """The shipped files looked for in an empty folder, as in a wheel built without them."""
    (tmp_path / "fonts").mkdir()
    monkeypatch.setattr(resources, "_root", lambda: tmp_path)
    return tmp_path


def test_a_shipped_file_is_found_as_a_real_file():
    path = resources.font_path("Amiri-Regular.ttf")
    assert path.is_file()
    assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert resources.read_bytes("icons", "ittisal.svg").startswith(b"<svg")


def test_a_missing_font_is_an_error_that_names_it(empty_root):
    with pytest.raises(resources.MissingResourceError) as caught:
        resources.font_path("Amiri-Regular.ttf")
    error = caught.value
    assert error.name == "fonts/Amiri-Regular.ttf"
    assert str(error) == ("ملف من ملفات البرنامج مفقود: fonts/Amiri-Regular.ttf. "
                          "أعِد تثبيت البرنامج.")
    assert error.english == ("A file that comes with the program is missing: "
                             "fonts/Amiri-Regular.ttf. Reinstall the program.")
    with pytest.raises(resources.MissingResourceError, match="icons/ittisal.svg"):
        resources.read_bytes("icons", "ittisal.svg")


def test_a_folder_is_not_taken_for_the_file(empty_root):
    (empty_root / "fonts" / "Amiri-Bold.ttf").mkdir()
    with pytest.raises(resources.MissingResourceError, match="fonts/Amiri-Bold.ttf"):
        resources.font_path("Amiri-Bold.ttf")


def test_measuring_text_without_the_bundled_font_fails_instead_of_using_another(empty_root):
    with pytest.raises(resources.MissingResourceError, match="fonts/Amiri-Regular.ttf"):
        text_fit.TextFitter("Amiri")
    with pytest.raises(resources.MissingResourceError, match="NotoSansArabicUI-Bold.ttf"):
        letter._measuring_fonts.__wrapped__(True)


def test_a_damaged_certificate_font_is_an_error_that_names_it(qapp, empty_root, monkeypatch):
    for name in certificate_paint.FONT_FILES:
        (empty_root / "fonts" / name).write_bytes(b"not a font at all")
    monkeypatch.setattr(certificate_paint, "_fonts_loaded", False)
    with pytest.raises(resources.DamagedResourceError) as caught:
        certificate_paint.ensure_fonts()
    assert caught.value.name == "fonts/Amiri-Regular.ttf"
    assert "تالف" in str(caught.value)
    assert "damaged" in caught.value.english


def test_every_file_the_code_names_is_shipped():
    named = [
        *(("fonts", name) for files in resources.FONT_FILES.values() for name in files),
        *(("fonts", name) for name in certificate_paint.FONT_FILES),
        *(("fonts", name) for name in application.UI_FONTS),
        *(("fonts", name) for names in text_fit._CELL_FONTS.values() for name in names),
        *(("fonts", bundled) for bundled, _system in letter._MEASURE_FONTS.values()),
        application.ICON,
        application.ICON_PNG,
        *(("icons", f"{key}.svg") for key in main_window.page_keys()),
    ]
    for parts in named:
        assert resources.file_path(*parts).is_file(), parts
    shipped = resources.shipped_files()
    assert {"/".join(parts) for parts in named} <= set(shipped)
    assert "fonts/OFL.txt" in shipped  # the fonts' licence travels with them


def test_shipped_files_lists_the_folder():
    on_disk = sorted(str(p.relative_to(ROOT / "resources")) for p in
                     (ROOT / "resources").rglob("*")
                     if p.is_file() and p.parent != ROOT / "resources"
                     and "__pycache__" not in p.parts)
    assert resources.shipped_files() == on_disk


def _string_constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_no_module_finds_shipped_files_by_its_own_location():
    # Path(__file__).parent.parent / "resources" holds only in the checkout.
    offenders = [str(path.relative_to(ROOT)) for path in APP_CODE
                 if any(text == "resources" or text.startswith(("resources/", "resources\\"))
                        for text in _string_constants(path))]
    assert offenders == []


def test_the_resources_module_imports_no_qt_and_no_upper_layer():
    tree = ast.parse((ROOT / "resources" / "__init__.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    forbidden = ("PySide6", "shiboken6", "docx", "ui", "exporters", "demo", "main")
    assert not [m for m in imported if m.split(".")[0] in forbidden]
