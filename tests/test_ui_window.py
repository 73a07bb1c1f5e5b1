"""The application and main window: right to left, Arabic, the bundled font, the pages,
the title, and the window state kept in QSettings (a temporary file, never the user's)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from exporters.docx_template import app_version
from models import records, store
from ui import main_window
from ui.application import create_application, resource_path, ui_font_family
from ui.main_window import MainWindow
from ui.pages.dashboard import DashboardPage
from ui.pages.settings import SettingsPage

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, ctx, settings) -> MainWindow:
    window = MainWindow(ctx, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def name_unit(db, **values) -> None:
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, **values))


def test_application_is_right_to_left_and_arabic(qapp):
    app = create_application()
    assert app is QApplication.instance()
    assert app.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert QLocale().language() == QLocale.Language.Arabic
    assert QLocale().territory() == QLocale.Country.Iraq


def test_the_bundled_arabic_font_is_loaded_and_used(qapp):
    app = create_application()
    family = ui_font_family()
    assert family == "Noto Sans Arabic UI"
    assert family in QFontDatabase.families(QFontDatabase.WritingSystem.Arabic)
    assert app.font().families()[0] == family
    create_application()  # a second call changes nothing
    assert app.font().families().count(family) == 1


def test_the_app_has_its_own_icon(qapp):
    app = create_application()
    assert resource_path("icons", "ittisal.svg").is_file()
    assert not app.windowIcon().isNull()
    assert not app.windowIcon().pixmap(32, 32).isNull()


def test_main_window_is_right_to_left_with_navigation_on_the_right(qtbot, ctx, settings):
    window = open_window(qtbot, ctx, settings)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.isRightToLeft()
    nav_x = window.nav.mapTo(window, window.nav.rect().center()).x()
    stack_x = window.stack.mapTo(window, window.stack.rect().center()).x()
    assert nav_x > stack_x


def test_navigation_lists_the_pages_that_exist_in_order(qtbot, ctx, settings):
    window = open_window(qtbot, ctx, settings)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert window.keys == main_window.page_keys()
    assert labels == [main_window.page_class(key).title for key in window.keys]
    assert labels[0] == "لوحة المتابعة" and labels[-1] == "الإعدادات"
    assert [main_window.page_class(key).key for key in window.keys] == window.keys
    assert all(not window.nav.item(i).icon().isNull() for i in range(window.nav.count()))


def test_clicking_the_navigation_switches_pages(qtbot, ctx, settings):
    window = open_window(qtbot, ctx, settings)
    assert isinstance(window.current_page(), DashboardPage)
    row = window.keys.index("settings")
    rect = window.nav.visualItemRect(window.nav.item(row))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert isinstance(window.current_page(), SettingsPage)
    assert window.stack.currentWidget().isVisible()
    row = window.keys.index("dashboard")
    rect = window.nav.visualItemRect(window.nav.item(row))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert isinstance(window.current_page(), DashboardPage)


def test_pages_are_built_when_first_shown(qtbot, ctx, settings):
    window = open_window(qtbot, ctx, settings)
    assert set(window.pages) == {"dashboard"}
    window.show_page("settings")
    assert set(window.pages) == {"dashboard", "settings"}


def test_geometry_and_last_page_come_back(qtbot, ctx, settings):
    window = open_window(qtbot, ctx, settings)
    window.resize(720, 520)  # the offscreen screen is 800×600; the default size is larger
    size = (window.width(), window.height())
    assert size == (720, 520)
    window.show_page("settings")
    window.close()
    assert settings.value(main_window.SETTING_PAGE) == "settings"

    again = open_window(qtbot, ctx, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    assert isinstance(again.current_page(), SettingsPage)
    assert (again.width(), again.height()) == size
    assert again.nav.currentRow() == again.keys.index("settings")


def test_an_unknown_last_page_falls_back_to_the_dashboard(qtbot, ctx, settings):
    settings.setValue(main_window.SETTING_PAGE, "no-such-page")
    window = open_window(qtbot, ctx, settings)
    assert isinstance(window.current_page(), DashboardPage)


def test_the_title_names_the_unit_and_follows_the_settings(qtbot, ctx, settings, db):
    name_unit(db, name="شعبة الإعلام والاتصال الحكومي", directorate="مديرية تربية كربلاء")
    window = open_window(qtbot, ctx, settings)
    assert window.windowTitle() == f"اتصال {app_version()} — شعبة الإعلام والاتصال الحكومي"
    with qtbot.waitSignal(ctx.settings_changed):
        ctx.save_unit(dataclasses.replace(ctx.unit, name="قسم الإعلام"))
    assert window.windowTitle() == f"اتصال {app_version()} — قسم الإعلام"


def test_a_blank_unit_says_so(qtbot, ctx, settings):
    window = open_window(qtbot, ctx, settings)
    assert window.windowTitle() == f"اتصال {app_version()} — لم تُدخل هوية الوحدة بعد"


def test_the_status_bar_shows_the_database_and_counts(qtbot, ctx, settings, db, workshop):
    window = open_window(qtbot, ctx, settings)
    assert str(db.path) in window.db_label.text()
    qtbot.waitUntil(lambda: window.counts_label.text() != "")
    assert window.counts_label.text() == "الأنشطة: ١، المشاركون: ٠"
    store.insert(db, records.Person(full_name="زينب علي حسين"))
    ctx.changed("persons")
    qtbot.waitUntil(lambda: window.counts_label.text().endswith("المشاركون: ١"))
    ctx.save_unit(dataclasses.replace(ctx.unit, digits="western"))
    qtbot.waitUntil(lambda: window.counts_label.text() == "الأنشطة: 1، المشاركون: 1")


def test_ready_comes_once_the_first_page_has_its_data(qtbot, ctx, settings, workshop):
    window = MainWindow(ctx, settings=settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=5000):
        window.show()
    page = window.current_page()
    assert isinstance(page, DashboardPage) and not page.loading
    assert page.summary is not None


def test_every_page_is_listed_in_order():
    assert main_window.page_keys() == ["dashboard", "activities", "persons", "plans",
                                      "recommendations", "coverage", "certificates",
                                      "outbox", "settings"]


def window_in_a_fresh_process(tmp_path: Path, then: str, *, settings: str = "",
                              show: bool = False) -> str:
    """What a fresh Python process prints after building the main window (``w``) on a new
    database, offscreen: ``settings`` runs on its QSettings (``s``) first, ``then`` after
    the window is built (and shown and painted, with ``show``). What one process loads
    is only seen from a process of its own."""
    code = ("import sys; from PySide6.QtCore import QSettings; "
            "from models.db import Database; from ui.application import create_application; "
            "from ui.context import AppContext; from ui.main_window import MainWindow; "
            "app = create_application(); "
            f"db = Database.open({str(tmp_path / 'x.sqlite3')!r}, create=True); "
            f"s = QSettings({str(tmp_path / 'w.ini')!r}, QSettings.Format.IniFormat); "
            f"{settings}"
            "w = MainWindow(AppContext(db), settings=s); "
            f"{'w.show(); app.processEvents(); ' if show else ''}"
            f"{then}")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True, env=env).stdout.strip()


def test_only_the_first_page_is_imported_at_start(tmp_path):
    out = window_in_a_fresh_process(
        tmp_path, "print(sorted(m for m in sys.modules if m.startswith('ui.pages.')))")
    assert out == "['ui.pages.base', 'ui.pages.dashboard']"
