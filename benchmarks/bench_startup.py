"""Start-up benchmark: process start to the main window showing its first page of data.

    python benchmarks/bench_startup.py [--activities N] [--runs R] [--rebuild]

Opens Ittisal on a demo database of N activities (default 100,000, about ten times as many
attendance rows; the file cached in ``.bench/`` by :mod:`benchmarks.bench_search` is
reused, or built the same way) and, started the same way, a bare PySide6 ``QMainWindow``.
Each start is a fresh ``python`` process on the offscreen platform; the clock runs from
just before the process is spawned until it prints "ready": for Ittisal when
``MainWindow.ready`` fires (the window is shown and its page has been painted with its
data), for the bare window once its label has been painted. At that moment the Ittisal
child saves a grab of its window (``.bench/startup-<page>.png``, after the clock has
stopped): a window shown early, without its figures, would show there. Runs alternate
between the two; one warm-up start of each is not counted; the medians and their ratio
are printed (goal ≤ 1.5×), for the dashboard as the first page (a first start) and for
the activities list (the last page kept in QSettings).

Before them it measures the floor under the goal, against the same bare window: Qt alone
building what the activities page shows (:data:`QT_FLOOR_CHILD`: the app's font and
icons, navigation, toolbar, filters, a table of Arabic rows; no app code, no database).
The app's own Python has to fit between that figure and the goal.

The children run with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE`` dropped):
the warm-up start writes it, as an installed app's first start does; without it every
start would compile the app's own modules again, which no user's start does.

Window settings and logs go to a temporary folder, never the user's. The work Ittisal
does after ``ready`` (the day's backup, the recycle-bin purge, recovered drafts) is left
out of the child process: it happens after the figure, and a 1 GB daily backup per run
would only fill the disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_search import demo_database  # noqa: E402
from models import dashboard, records, store  # noqa: E402

GOAL_RATIO = 1.5
RUNS = 7
TIMEOUT_S = 120

# The app as main.py starts it, stopping at "ready".
APP_CHILD = """
import sys
sys.path.insert(0, {root!r})
from ui import launch
launch.after_shown = lambda ctx, window: None  # after the figure; see the module docstring
def ready(window):
    print("ready", flush=True)
    window.grab().save({png!r})  # the moment measured, on screen
    window.close()
sys.exit(launch.launch({db!r}, on_ready=ready))
"""

# The end of both Qt-only children: show the window, print "ready" once WATCHED has been
# painted, and close (no braces: the floor child is formatted after).
_READY_ON_PAINT = """
def ready():
    print("ready", flush=True)
    window.close()
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            WATCHED.removeEventFilter(self)
            QTimer.singleShot(0, ready)
        return False
painted = Painted()
WATCHED.installEventFilter(painted)
window.show()
sys.exit(app.exec())
"""


def _ready_on_paint(watched: str) -> str:
    return _READY_ON_PAINT.replace("WATCHED", watched)


# A bare window, started the same way, "ready" once its label has been painted.
BARE_CHILD = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
label = QLabel("اتصال")
window.setCentralWidget(label)
window.resize(1200, 760)
""" + _ready_on_paint("label")


# The floor under the goal: Qt alone building what the activities page shows (the app's
# font and icons, the navigation, a toolbar, the filters, a table of Arabic rows, the
# status and menu bars; right to left), with none of the app's code and no database,
# "ready" once the table has been painted. What the app adds on top of this is its own
# Python: models, database, query, page logic.
QT_FLOOR_CHILD = """
import sys
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMainWindow, QTableView,
                               QToolBar, QVBoxLayout, QWidget)
app = QApplication(sys.argv[:1])
app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
font = QFontDatabase.addApplicationFont({font!r})
app.setFont(QFont(QFontDatabase.applicationFontFamilies(font)[0], 10))
window = QMainWindow()
central = QWidget()
row = QHBoxLayout(central)
nav = QListWidget()
nav.setFixedWidth(200)
nav.setIconSize(QSize(24, 24))
for icon, text in {nav!r}:
    nav.addItem(QListWidgetItem(QIcon(icon), text))
row.addWidget(nav)
page = QWidget()
column = QVBoxLayout(page)
toolbar = QToolBar()
for text in ("جديد", "تعديل", "نسخ", "حذف", "اعتماد", "سلة المحذوفات", "تصدير", "شهادات"):
    toolbar.addAction(text)
column.addWidget(toolbar)
filters = QHBoxLayout()
for widget in (QLineEdit(), QComboBox(), QComboBox(), QLineEdit(), QLineEdit()):
    filters.addWidget(widget)
column.addLayout(filters)
model = QStandardItemModel(40, 6)
for r in range(40):
    for c, text in enumerate(("ورشة تطويرية عن الأرشفة الإلكترونية للوثائق", "ورشة عمل",
                              "٣١ كانون الأول ٢٠٢٦", "كلية التربية للعلوم الإنسانية", "١٥",
                              "مسودة")):
        model.setItem(r, c, QStandardItem(text))
view = QTableView()
view.setModel(model)
column.addWidget(view)
column.addWidget(QLabel("عدد الأنشطة: ١٠٠٠٠٠"))
row.addWidget(page, 1)
window.setCentralWidget(central)
window.statusBar().showMessage("قاعدة البيانات: ittisal.sqlite3")
window.menuBar().addMenu("مساعدة")
window.resize(1200, 760)
""" + _ready_on_paint("view.viewport()")


def qt_floor_code() -> str:
    """:data:`QT_FLOOR_CHILD` with the app's own font and navigation icons."""
    import resources
    from ui.main_window import PAGES, TEXT  # the labels only; the child imports none of it

    nav = [(str(resources.file_path("icons", f"{key}.svg")), TEXT[key])
           for key, _module, _class in PAGES]
    return QT_FLOOR_CHILD.format(font=str(resources.font_path(
        resources.FONT_FILES["Noto Sans Arabic UI"][0])), nav=nav)


def start_once(code: str, env: dict[str, str]) -> float:
    """Seconds from spawning ``python -c code`` to its "ready" line."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=errors, text=True)
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = time.perf_counter() - started
        try:
            child.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if line.strip() != "ready":
            errors.seek(0)
            raise RuntimeError(f"the child did not get ready:\n{errors.read().decode()}")
        return elapsed


def child_env(home: Path, page: str | None) -> dict[str, str]:
    """A private config and data folder; ``page`` is the last page the window keeps."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"))
    env.pop("ITTISAL_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # see the module docstring
    conf = home / "config" / "Ittisal" / "Ittisal.conf"  # QSettings("Ittisal", "Ittisal")
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(f"[window]\npage={page}\n" if page else "", encoding="utf-8")
    return env


def screenshot_path(page: str) -> Path:
    """Where the app's window is saved at the moment measured, first page ``page``."""
    return ROOT / ".bench" / f"startup-{page}.png"


def measure(db_path: Path, page: str, runs: int) -> tuple[list[float], list[float]]:
    """Start times of the app and of the bare window, alternating, after one warm-up."""
    app_code = APP_CHILD.format(root=str(ROOT), db=str(db_path),
                                png=str(screenshot_path(page)))
    return measure_pair(app_code, runs, page)


def measure_pair(code: str, runs: int, page: str | None = None
                 ) -> tuple[list[float], list[float]]:
    """Start times of ``code`` and of the bare window, alternating, after one warm-up
    pair (it warms the file cache and writes the bytecode cache); ``page``: the last page
    the app's window keeps."""
    times: list[float] = []
    bare_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ittisal-bench-") as tmp:
        home = Path(tmp)
        for run in range(runs + 1):
            env = child_env(home, page)
            this, bare = start_once(code, env), start_once(BARE_CHILD, env)
            if run:
                times.append(this)
                bare_times.append(bare)
    return times, bare_times


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def background_work(db_path: Path) -> tuple[float, float]:
    """What the window has computed off the UI thread, timed here: the dashboard's
    figures (part of the figure when the dashboard is the first page) and the status
    bar's counts (after ``ready``)."""
    from models.db import Database

    with Database.open(db_path, create=True) as db:
        started = time.perf_counter()
        dashboard.summary(db, dt.date.today())
        figures = time.perf_counter() - started
        started = time.perf_counter()
        dashboard.record_counts(db)
        counts = time.perf_counter() - started
    return figures, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    args = parser.parse_args(argv)

    db, seconds, built = demo_database(args.activities, args.rebuild)
    db_path = db.path
    total = store.count(db, records.Activity)
    attendance = store.count(db, records.Attendance)
    db.close()
    print(f"database: {db_path.relative_to(ROOT)} ({total:,} activities, {attendance:,} "
          f"attendance rows; {'built now in' if built else 'cached, built in'} {seconds:.1f} s)")
    figures, counts = background_work(db_path)
    print(f"dashboard figures, off the UI thread: {_ms(figures)}")
    print(f"status-bar counts, off the UI thread: {_ms(counts)}")

    floor_times, floor_bare = measure_pair(qt_floor_code(), args.runs)
    floor = statistics.median(floor_times) / statistics.median(floor_bare)
    print(f"Qt alone, the activities page's widgets without the app (the floor under the "
          f"goal), median of {len(floor_times)}: {_ms(statistics.median(floor_times))}, "
          f"{floor:.2f}× the bare window ({_ms(statistics.median(floor_bare))}) measured "
          f"beside it")

    missed = False
    for page in ("dashboard", "activities"):
        app_times, bare_times = measure(db_path, page, args.runs)
        app, bare = statistics.median(app_times), statistics.median(bare_times)
        ratio = app / bare
        print(f"bare PySide6 window, median of {len(bare_times)}: {_ms(bare)} "
              f"(runs: {', '.join(_ms(t) for t in bare_times)})")
        print(f"Ittisal, first page {page}, median of {len(app_times)}: {_ms(app)} "
              f"(runs: {', '.join(_ms(t) for t in app_times)})")
        print(f"ratio, first page {page}: {ratio:.2f}× (goal ≤ {GOAL_RATIO}×: "
              f"{'met' if ratio <= GOAL_RATIO else 'NOT met'}); the window at that moment: "
              f"{screenshot_path(page).relative_to(ROOT)}")
        missed = missed or ratio > GOAL_RATIO
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
