"""The QApplication: right to left, Arabic (Iraq) locale, Qt's own Arabic translation, the
bundled Arabic font, the icon, and Tab that leaves every table (:func:`tab_leaves_views`).

The UI font: Ittisal always uses the bundled Noto Sans Arabic UI (OFL, in
``resources/fonts/``) for Arabic, whatever the system has. Machines in the field often
lack a good Arabic UI font (a bare Linux has none; old Windows images fall back to a
Tahoma that sits too small), and one font everywhere keeps screenshots, line heights and
column widths the same on every machine. Latin text falls through to the system's own UI
family, listed second. Amiri, also bundled, is for documents, not for the screen.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

import resources

log = logging.getLogger(__name__)

APP_NAME = "Ittisal"
DISPLAY_NAME = "اتصال"

UI_FONTS = resources.FONT_FILES["Noto Sans Arabic UI"]
ICON = ("icons", "ittisal.svg")
ICON_PNG = ("icons", "ittisal-256.png")
# The UI font is never smaller than this: Arabic letters and dots need the room.
MIN_POINT_SIZE = 10.0


def resource_path(*parts: str) -> Path:
    """A file under ``resources/`` (fonts, icons), wherever the app is installed
    (:func:`resources.file_path`: a missing one raises an error that names it)."""
    return resources.file_path(*parts)


@cache
def _load_fonts() -> tuple[str, ...]:
    """Register the bundled UI fonts once; return the families Qt gave them. A missing
    or damaged file raises :class:`resources.MissingResourceError` (never a quiet
    system font)."""
    families: list[str] = []
    for name in UI_FONTS:
        path = resources.font_path(name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id == -1:
            raise resources.DamagedResourceError(f"fonts/{name}")
        for family in QFontDatabase.applicationFontFamilies(font_id)[:1]:
            if family not in families:
                families.append(family)
    return tuple(families)


def ui_font_family() -> str | None:
    """The bundled Arabic UI family once loaded ("Noto Sans Arabic UI"), else None."""
    families = _load_fonts()
    return families[0] if families else None


def _apply_font(app: QApplication) -> None:
    family = ui_font_family()
    if family is None:
        return
    font = QFont(app.font())
    if family in font.families():  # already set up by an earlier call
        return
    system_family = font.family()
    font.setFamilies([family] + ([system_family] if system_family != family else []))
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    app.setFont(font)


def app_icon() -> QIcon:
    """The app's own icon (the speech bubble with an alif)."""
    icon = QIcon(str(resource_path(*ICON)))
    icon.addFile(str(resource_path(*ICON_PNG)))  # for platforms without the SVG engine
    return icon


def _install_qt_arabic(app: QApplication) -> None:
    """Qt's own words in Arabic: the print preview's toolbar, the print and file
    dialogs, the standard buttons (نعم، لا، إلغاء). The translation ships with PySide6."""
    if app.property("ittisal_qt_arabic"):
        return
    translator = QTranslator(app)  # parented: lives as long as the application
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Arabic), "qtbase", "_", folder):
        app.installTranslator(translator)
        app.setProperty("ittisal_qt_arabic", True)
    else:
        log.warning("Qt's Arabic translation was not found in %s", folder)


def tab_leaves_views(_old: QWidget | None, new: QWidget | None) -> None:
    """Tab leaves every table and list: Qt's ``tabKeyNavigation`` (on by default in a
    QTableView) makes Tab walk the cells, so a keyboard user never gets out of a list of a
    hundred rows. Connected to the application's ``focusChanged``, it turns that off for
    any item view the moment it takes the focus, before its first Tab, so no view can
    bring the trap back by being forgotten (or by turning it on again); the arrow keys
    still move inside. A signal on focus changes costs nothing between them, where an
    application-wide event filter would run Python for every event of every widget."""
    if isinstance(new, QAbstractItemView) and new.tabKeyNavigation():
        new.setTabKeyNavigation(False)


def _install_tab_escape(app: QApplication) -> None:
    if app.property("ittisal_tab_escape"):
        return
    app.focusChanged.connect(tab_leaves_views)
    app.setProperty("ittisal_tab_escape", True)


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The application object, set up for Arabic; reuses one that already exists.

    No ``applicationDisplayName`` is set: Qt would append it to every window title,
    and the main window's title already starts with the app's name ("اتصال — …").
    """
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    QLocale.setDefault(QLocale(QLocale.Language.Arabic, QLocale.Country.Iraq))
    _install_qt_arabic(app)
    _install_tab_escape(app)
    _apply_font(app)
    app.setWindowIcon(app_icon())
    return app
