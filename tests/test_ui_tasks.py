"""Background work: results, errors and cancel come back on the UI thread."""

from __future__ import annotations

import threading
import time

from models import records, store
from models.errors import ValidationError
from ui.tasks import Progress, Task, run_task


def test_work_runs_off_the_ui_thread_with_its_own_connection(qtbot, db, workshop):
    seen = {}

    def work(progress: Progress, own_db):
        seen["thread"] = threading.current_thread()
        seen["same_connection"] = own_db.conn is db.conn
        return store.count(own_db, records.Activity)

    results = []
    task = run_task(None, work, on_done=results.append, db_path=db.path)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert results == [1]
    assert seen["thread"] is not threading.main_thread()
    assert seen["same_connection"] is False


def test_cancel_stops_the_work_and_keeps_nothing(qtbot, db):
    started = threading.Event()

    def work(progress: Progress, own_db):
        with own_db.atomic():
            for i in range(1000):
                store.insert(own_db, records.Activity(title=f"نشاط {i}", start_date="2026-01-01"))
                progress.step(i + 1, 1000)
                started.set()
                time.sleep(0.005)

    task = Task(None, work, db_path=db.path, show_progress=False)
    task.start()
    assert started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=10000):
        task.cancel()
    assert store.count(db, records.Activity) == 0


def test_a_users_error_comes_back_as_itself(qtbot):
    def work(progress):
        raise ValidationError("title", "العنوان مطلوب", "title is required")

    errors = []
    task = run_task(None, work, on_done=lambda _: None, on_failed=errors.append,
                    show_progress=False)
    with qtbot.waitSignal(task.failed, timeout=5000):
        pass
    assert isinstance(errors[0], ValidationError) and str(errors[0]) == "العنوان مطلوب"


def test_progress_dialog_appears_for_long_work_and_cancels(qtbot):
    gate = threading.Event()

    def work(progress):
        progress.step(0, 10, "جارٍ الاستيراد")
        while not gate.wait(0.01):
            progress.step(3)
        return "done"

    task = Task(None, work, title="استيراد")
    task.start()
    # The label follows the work's first step by a poll: waited for, not assumed.
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible()
                    and task.dialog.labelText() == "جارٍ الاستيراد", timeout=5000)
    assert task.dialog.maximum() == 10
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    button = task.dialog.findChild(QPushButton)
    assert button.text() == "إلغاء"
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    gate.set()


def test_progress_step_without_cancel_does_not_raise():
    p = Progress()
    p.step(1, 2, "x")
    assert (p.done, p.total, p.label) == (1, 2, "x")
