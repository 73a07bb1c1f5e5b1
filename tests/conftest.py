"""Shared test set-up: offscreen Qt, a fresh real database per test, the seed's workshop."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

# Before anything imports Qt: tests never need a screen, and never use the user's data.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("ITTISAL_DB", None)

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hypothesis import settings as hypothesis_settings  # noqa: E402

from models import records, store  # noqa: E402
from models.db import Database  # noqa: E402

# Property tests: a stall of this loaded 2-core machine is not a slow function (no
# deadline). CI starts from a clean clone and could never replay a failure it met by
# chance, so there the examples are fixed (derandomize); local runs keep exploring.
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Point the platform data folder (default database, log) at a temporary one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("ITTISAL_DB", raising=False)


@pytest.fixture(autouse=True)
def missing_settings_answers(monkeypatch) -> list[list[str]]:
    """The question asked before certificates or letters whose settings are missing
    (ui.missing_settings.ask) is answered "continue", and what it listed is kept here: a
    test's blank unit must not wait on a box nobody clicks."""
    from ui import missing_settings

    asked: list[list[str]] = []

    def answer(_parent, missing):
        asked.append(list(missing))
        return missing_settings.CONTINUE

    monkeypatch.setattr(missing_settings, "ask", answer)
    return asked


@pytest.fixture(autouse=True, scope="session")
def _widgets_application(qapp):
    """One QApplication for the whole run, made first: the certificate painter makes a
    bare QGuiApplication when none exists (for the command line), and widget tests after
    it would then fail."""
    return qapp


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ittisal.sqlite3"


@pytest.fixture
def db(db_path: Path):
    """A fresh database built by the real migrations."""
    database = Database.open(db_path, create=True)
    yield database
    database.close()


def karbala_workshop() -> records.Activity:
    """The two-day workshop on government communication held at a university in Karbala,
    with the ministry's government communication department as partner."""
    return records.Activity(
        kind="workshop",
        title="ورشة تطويرية عن أهمية الاتصال الحكومي ودوره في انسيابية المعلومات",
        start_date="2026-11-22",
        end_date="2026-11-23",
        place="جامعة كربلاء",
        organiser="جامعة كربلاء",
        partners=["دائرة الاتصال الحكومي في وزارة التعليم العالي والبحث العلمي"],
        lecturers=["ممثل قسم الإعلام والعلاقات العامة", "منسق الاتصال الحكومي في الوزارة"],
        summary="شارك ممثلو شعب الإعلام في الدوائر الخدمية والأمنية في ورشة لمدة يومين.",
        status="approved",
    )


@pytest.fixture
def ctx(qapp, db):
    """The app set up as at start (right to left, Arabic) and a context on the ``db``."""
    from ui.application import create_application
    from ui.context import AppContext

    create_application()
    return AppContext(db)


@pytest.fixture
def workshop(db: Database) -> records.Activity:
    return store.insert(db, karbala_workshop())


class Desktop:
    """What the user answers in save and open dialogs, and what the app shows or hands to
    the desktop: the export tests' stand-in for the parts of ``ui.export`` that would
    wait for a person."""

    def __init__(self) -> None:
        self.answer: Path | None = None        # the save dialog's answer (None: cancel)
        self.default_to_suggested = False      # answer with the suggested path instead
        self.suggested: list[Path] = []
        self.report: Path | None = None        # the open dialog's answer (a report)
        self.opened: list[str] = []
        self.warnings: list[str] = []


@pytest.fixture
def desktop(monkeypatch, tmp_path) -> Desktop:
    from PySide6.QtCore import QSettings

    from ui import desktop, export

    seen = Desktop()
    ini = tmp_path / "settings.ini"

    def ask(_parent, _title, suggested):
        seen.suggested.append(suggested)
        return seen.answer or (suggested if seen.default_to_suggested else None)

    def open_url(url):
        seen.opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(export, "ask_save_path", ask)
    monkeypatch.setattr(export, "ask_report_path", lambda _p, _t, _folder: seen.report)
    monkeypatch.setattr(desktop, "open_url", open_url)
    monkeypatch.setattr(export, "warn", lambda _p, _t, text: seen.warnings.append(text))
    monkeypatch.setattr(export, "settings",
                        lambda: QSettings(str(ini), QSettings.Format.IniFormat))
    return seen


@pytest.fixture
def parent(qtbot):
    """A right-to-left window for dialogs to belong to."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    widget.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    qtbot.addWidget(widget)
    return widget


SETTINGS_TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def settings_page(qtbot, ctx):
    """The settings page on screen, its "today" fixed at :data:`SETTINGS_TODAY`."""
    from ui.pages.settings import SettingsPage

    widget = SettingsPage(ctx)
    widget.today = lambda: SETTINGS_TODAY
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activated()
    return widget


@pytest.fixture
def full_disk_on_save(monkeypatch):
    """python-docx's save writes half a file, then the disk is full."""
    import docx.document

    def broken_save(self, path):
        with open(path, "wb") as f:
            f.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)


@pytest.fixture
def cli_db(db_path):
    """A database file for the command-line tests: the seed's workshop with one attendee,
    and a meeting in October. Returns the path and the workshop."""
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
        person = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي", gender="f"))
        store.insert(db, records.Attendance(activity_id=workshop.id, person_id=person.id,
                                            days=[1, 2]))
        store.insert(db, records.Activity(kind="meeting", title="الاجتماع الدوري لشبكة الاتصال",
                                          start_date="2026-10-05", status="sent"))
    return db_path, workshop
