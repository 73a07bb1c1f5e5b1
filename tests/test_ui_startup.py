"""Start-up (issue 15): the dashboard's figures computed ahead, on a thread of their own,
and shown by the first page; "ready" once the page is painted with them; nothing heavy
loaded for the first window; pages still built when first shown."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from models import dashboard, recommendations, records, store
from models.version import app_version
from tests.test_ui_window import window_in_a_fresh_process
from ui import application, launch, main_window
from ui.formatting import number_text
from ui.main_window import MainWindow
from ui.pages.dashboard import DashboardPage

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def three_this_month(db):
    today = dt.date.today()
    for title in ("ورشة الإعلام", "ندوة الاتصال", "اجتماع التنسيق"):
        store.insert(db, records.Activity(kind="workshop", title=title,
                                          start_date=today.isoformat(), place="كربلاء"))


def done_future(result=None, error: BaseException | None = None) -> Future:
    future: Future = Future()
    future.set_running_or_notify_cancel()
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
    return future


def open_window(qtbot, ctx, settings) -> MainWindow:
    window = MainWindow(ctx, settings=settings)
    qtbot.addWidget(window)
    return window


def test_the_launcher_reads_the_page_where_the_window_keeps_it():
    assert launch._SETTINGS_NAME == application.APP_NAME
    assert launch._PAGE_SETTING == main_window.SETTING_PAGE
    assert launch._FIRST_PAGE == main_window.DEFAULT_PAGE
    kept = main_window.app_settings()
    assert (kept.organizationName(), kept.applicationName()) == (launch._SETTINGS_NAME,) * 2


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="QSettings' INI file: Unix")
@pytest.mark.parametrize("page", ["activities", "dashboard", None])
def test_the_launcher_reads_the_kept_page_from_qsettings_own_file(tmp_path, page):
    # The window keeps the page with QSettings (its own store, found as Qt finds it);
    # the launcher reads the same file before Qt loads, and asks Qt where it is unsure
    # (no page kept yet: None).
    code = ("from ui import launch, main_window; kept = main_window.app_settings(); "
            "kept.setValue('window/geometry', b'\\x01\\x02'); "
            f"page = {page!r}; "
            "page and kept.setValue(main_window.SETTING_PAGE, page); kept.sync(); "
            "print(launch._kept_page_read())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True,
                         env=dict(_offscreen(), XDG_CONFIG_HOME=str(tmp_path))).stdout
    assert out.strip() == str(page)
    assert (tmp_path / "Ittisal" / "Ittisal.conf").is_file()


def test_no_page_read_from_a_value_qt_wrote_escaped(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = launch._kept_page_file()
    path.parent.mkdir(parents=True)
    path.write_text('[window]\npage="dash board"\n', encoding="utf-8")
    assert launch._kept_page_read() is None  # QtCore is asked instead


def test_figures_ahead_are_the_dashboards_figures(db, db_path, three_this_month, monkeypatch):
    monkeypatch.setattr(launch, "last_page", lambda: "dashboard")
    ahead = launch.figures_ahead(str(db_path))
    assert ahead is not None
    assert ahead.result(timeout=30) == dashboard.summary(db, dt.date.today())
    assert ahead.result().month_total == 3


def test_no_figures_ahead_when_the_window_opens_on_another_page(db_path, three_this_month,
                                                                monkeypatch):
    monkeypatch.setattr(launch, "last_page", lambda: "activities")
    assert launch.figures_ahead(str(db_path)) is None


@pytest.mark.parametrize("page", ["activities", "dashboard"])
def test_where_only_qt_knows_the_page_the_figures_start_before_it_is_asked(
        db, db_path, three_this_month, monkeypatch, page):
    # Windows keeps QSettings in the registry: the queries start at once, and stop if
    # QtCore then says the window opens on another page.
    monkeypatch.setattr(launch, "_kept_page_file", lambda: None)
    monkeypatch.setattr(launch, "last_page", lambda: page)
    ahead = launch.figures_ahead(str(db_path))
    if page == "dashboard":
        assert ahead is not None
        assert ahead.result(timeout=30).month_total == 3
    else:
        assert ahead is None


def test_no_figures_ahead_without_a_database(tmp_path, monkeypatch):
    monkeypatch.setattr(launch, "last_page", lambda: "dashboard")
    assert launch.figures_ahead(str(tmp_path / "none.sqlite3")) is None


def test_unwanted_figures_stop_their_queries(db, db_path, three_this_month, monkeypatch):
    monkeypatch.setattr(dashboard, "STOP_CHECK_STEPS", 1)  # a small file's queries are short
    with pytest.raises(Exception, match="interrupted"):
        dashboard.summary_of_file(db_path, dt.date.today(), stop=lambda: True)


def test_the_first_page_shows_the_figures_computed_ahead(qtbot, ctx, db, settings,
                                                        three_this_month, monkeypatch):
    # A summary that differs from the database's shows that the page took it, not its own.
    ahead = dataclass_replace(dashboard.summary(db, dt.date.today()), month_total=41)
    ctx.ahead["dashboard"] = done_future(ahead)
    monkeypatch.setattr("ui.pages.dashboard.run_task", no_task)
    window = open_window(qtbot, ctx, settings)
    page = window.current_page()
    assert isinstance(page, DashboardPage)
    assert not page.loading
    assert page.cards["month_total"].number.text() == shown(ctx, 41)
    assert ctx.ahead == {}  # taken once


def test_figures_still_coming_show_when_they_arrive(qtbot, ctx, db, settings,
                                                    three_this_month):
    ahead: Future = Future()
    ahead.set_running_or_notify_cancel()
    ctx.ahead["dashboard"] = ahead
    window = open_window(qtbot, ctx, settings)
    window.show()
    page = window.current_page()
    assert page.loading
    assert page.cards["month_total"].number.text() == "…"
    summary = dashboard.summary(db, dt.date.today())
    with qtbot.waitSignal(window.ready, timeout=5000):
        # From another thread, as at start-up.
        threading.Thread(target=ahead.set_result, args=(summary,)).start()
    assert page.cards["month_total"].number.text() == shown(ctx, 3)


def test_failed_figures_ahead_are_computed_again(qtbot, ctx, settings, three_this_month):
    ctx.ahead["dashboard"] = done_future(error=RuntimeError("disk"))
    window = open_window(qtbot, ctx, settings)
    page = window.current_page()
    qtbot.waitUntil(lambda: page.cards["month_total"].number.text() == shown(ctx, 3), timeout=5000)
    assert not page.error.isVisible()


def test_yesterdays_figures_ahead_are_computed_again(qtbot, ctx, db, settings,
                                                     three_this_month):
    stale = dashboard.summary(db, dt.date.today() - dt.timedelta(days=40))
    ctx.ahead["dashboard"] = done_future(stale)
    window = open_window(qtbot, ctx, settings)
    page = window.current_page()
    qtbot.waitUntil(lambda: page.summary is not None
                    and page.summary.today == dt.date.today().isoformat(), timeout=5000)
    assert page.cards["month_total"].number.text() == shown(ctx, 3)


def test_ready_comes_once_the_page_is_painted_with_its_figures(qtbot, ctx, settings,
                                                               three_this_month):
    window = open_window(qtbot, ctx, settings)
    page = window.current_page()
    seen: list[str] = []
    window.ready.connect(lambda: seen.append(page.cards["month_total"].number.text()))
    painted = []
    window.ready.connect(lambda: painted.append(window._first_paints))
    window.show()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [shown(ctx, 3)]
    assert painted[0] >= 1


def test_a_page_built_later_navigates_and_hears_changes(qtbot, ctx, db, settings,
                                                       three_this_month):
    window = open_window(qtbot, ctx, settings)
    window.show()
    assert set(window.pages) == {"dashboard"}
    page = window.show_page("activities", {"kind": "workshop"})
    assert set(window.pages) == {"dashboard", "activities"}
    assert window.current_page() is page
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5000)
    store.insert(db, records.Activity(kind="workshop", title="ورشة رابعة",
                                      start_date=dt.date.today().isoformat()))
    ctx.changed("activities")
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=5000)


def test_the_first_window_loads_no_exporter_nor_heavy_library(tmp_path):
    out = window_in_a_fresh_process(tmp_path, (
        "heavy = ('openpyxl', 'docx', 'numpy', 'matplotlib', 'lxml', 'PIL', "
        "'cryptography', 'importlib.metadata', 'demo', 'exporters.docx_template'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy "
        "or m in heavy))"), show=True)
    assert out == "[]"


def test_the_activities_as_first_page_load_no_export_code(tmp_path):
    # The export menu, the Excel export and the recycle bin load when first used.
    out = window_in_a_fresh_process(tmp_path, (
        "page = w.current_page(); "
        "loaded = sorted(m for m in ('exporters.registry', 'ui.export', 'ui.export_menu', "
        "'ui.recycle_bin', 'models.list_rows') if m in sys.modules); "
        "print(page.key, loaded, len(page.export_menu.actions()) > 0)"),
        settings="s.setValue('window/page', 'activities'); ", show=True)
    assert out == "activities [] True"  # and the menu fills when asked for


def test_the_version_is_the_installed_packages():
    import importlib.metadata

    assert app_version() == importlib.metadata.version("ittisal")


def test_overdue_recommendations_leave_out_those_of_activities_in_the_recycle_bin(db):
    today = dt.date(2026, 5, 10)
    kept = store.insert(db, records.Activity(kind="workshop", title="ورشة",
                                             start_date="2026-04-01"))
    binned = store.insert(db, records.Activity(kind="workshop", title="ندوة",
                                               start_date="2026-04-02"))
    for activity_id, status in ((kept.id, "raised"), (kept.id, "done"), (binned.id, "raised"),
                                (None, "in_progress")):
        store.insert(db, records.Recommendation(activity_id=activity_id, text="توصية",
                                                due_date="2026-05-01", status=status))
    assert recommendations.count_overdue(db, today) == 3
    store.delete(db, records.Activity, binned.id)
    assert recommendations.count_overdue(db, today) == 2
    assert recommendations.count_overdue(db, dt.date(2026, 5, 1)) == 0  # due that day


# --- helpers ---------------------------------------------------------------------------


def shown(ctx, number: int) -> str:
    """A figure as the unit's digit style writes it."""
    return number_text(number, ctx.date_style)


def dataclass_replace(summary, **changes):
    import dataclasses

    return dataclasses.replace(summary, **changes)


def no_task(*_args, **_kwargs):
    raise AssertionError("the page computed its figures again")


def _offscreen() -> dict[str, str]:
    import os

    return dict(os.environ, QT_QPA_PLATFORM="offscreen")
