"""The welcome dialog of a fresh database: the unit's identity, or demo data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QWidget

from models import records, store
from models.unit_mode import is_fresh
from ui.welcome import DEMO_ACTIVITIES, WelcomeDialog


def type_text(widget: QWidget, text: str) -> None:
    """Type like a user. (qtbot.keyClicks aborts the process on Arabic: it sends Latin-1.)"""
    for char in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char,
                           Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def dialog(qtbot, ctx):
    welcome = WelcomeDialog(ctx)
    qtbot.addWidget(welcome)
    welcome.show()
    qtbot.waitExposed(welcome)
    return welcome


def test_the_welcome_is_right_to_left_and_offers_two_ways_in(dialog):
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.windowTitle() == "مرحباً بك في اتصال"
    assert dialog.identity_button.text() == "إدخال هوية الوحدة"
    assert dialog.demo_button.text() == "تحميل بيانات تجريبية"
    assert "٣٠٠ نشاط" in dialog.demo_button.description() and DEMO_ACTIVITIES == 300


def test_entering_the_identity_stores_it(qtbot, dialog, ctx, db):
    qtbot.mouseClick(dialog.identity_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1
    assert not dialog.start_button.isEnabled() and dialog.hint.isVisible()
    type_text(dialog.identity.edits["directorate"], "مديرية تربية كربلاء")
    type_text(dialog.identity.edits["name"], "شعبة الإعلام")
    assert dialog.start_button.isEnabled() and not dialog.hint.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    unit = store.get(db, records.Unit, db.local_unit_id)
    assert (unit.directorate, unit.name) == ("مديرية تربية كربلاء", "شعبة الإعلام")
    assert dialog.choice == "identity" and dialog.result() == QDialog.DialogCode.Accepted
    assert not is_fresh(db)


def test_back_returns_to_the_choice(qtbot, dialog):
    qtbot.mouseClick(dialog.identity_button, Qt.MouseButton.LeftButton)
    back = next(b for b in dialog.pages.widget(1).findChildren(type(dialog.start_button))
                if b.text() == "رجوع")
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 0


def test_a_too_long_name_shows_the_models_message(qtbot, dialog):
    qtbot.mouseClick(dialog.identity_button, Qt.MouseButton.LeftButton)
    field = dialog.identity.edits["name"]
    field.setText("ش" * 301)
    field.textEdited.emit(field.text())
    assert dialog.identity.errors["name"].isVisible()
    assert "الوحدة" in dialog.identity.errors["name"].text()
    assert not dialog.start_button.isEnabled()


def test_demo_data_fill_the_database(qtbot, dialog, ctx, db):
    changed: list[str] = []
    ctx.data_changed.connect(changed.append)
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert store.count(db, records.Activity) == DEMO_ACTIVITIES
    assert store.count(db, records.Person) > 0
    assert not ctx.unit.is_blank  # the demo unit's identity reached the context
    assert dialog.choice == "demo"
    assert "activities" in changed and "persons" in changed
    assert not is_fresh(db)


def test_cancelling_the_demo_adds_nothing(qtbot, dialog, db):
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert not dialog.demo_button.isEnabled()
    dialog.task.cancel()
    with qtbot.waitSignal(dialog.task.cancelled, timeout=60_000):
        pass
    assert store.count(db, records.Activity) == 0
    assert dialog.demo_button.isEnabled() and dialog.isVisible()
    assert is_fresh(db)
