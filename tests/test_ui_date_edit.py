"""The date and number editors: the unit's month names and digits, typing, the calendar.

Also home to the helpers the other form tests import: :func:`type_text`, because
QTest.keyClicks aborts on characters outside Latin-1 (an assertion in Qt's qasciikey.cpp),
so Arabic is typed here as key events carrying the text, which is what a keyboard sends;
and :func:`answer_modal`, which acts on a modal dialog once it shows (as a user would).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QSpinBox, QToolButton, QWidget

from models.dates import DateStyle
from ui.application import create_application
from ui.context import AppContext
from ui.widgets.date_edit import CountSpinBox, DateEdit, read_date


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key, Arabic included ("\\n" presses Enter)."""
    for ch in text:
        if ch == "\n":
            key, sent = Qt.Key.Key_Return, "\r"
        elif ch.isascii() and ch.isalnum():
            key, sent = Qt.Key(ord(ch.upper())), ch
        elif ch == " ":
            key, sent = Qt.Key.Key_Space, ch
        else:
            key, sent = Qt.Key.Key_unknown, ch
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     sent))


def answer_modal(handler: Callable[[QWidget], None], kind: type = QWidget,
                 tries: int = 200) -> list[QWidget]:
    """Once a modal dialog of ``kind`` shows, call ``handler`` with it (it should close it).
    Returns a list that will hold the dialog, to check that it appeared."""
    seen: list[QWidget] = []

    def poll(left: int = tries) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible() and widget not in seen:
            seen.append(widget)
            handler(widget)
        elif left > 0:
            QTimer.singleShot(20, lambda: poll(left - 1))

    QTimer.singleShot(0, poll)
    return seen


def show_active(qtbot, widget: QWidget) -> None:
    """Show a window and make it the active one (shortcuts such as Ctrl+S need that)."""
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def click_button(box: QWidget, text: str) -> None:
    """Click the button of a dialog whose text is ``text``."""
    from PySide6.QtWidgets import QAbstractButton

    button = next(b for b in box.findChildren(QAbstractButton) if b.text() == text)
    button.click()


def select_all_and_type(widget: QWidget, text: str) -> None:
    """Replace what a field holds by typing over it."""
    if isinstance(widget, QSpinBox):
        widget.lineEdit().selectAll()
    else:
        widget.selectAll()
    type_text(widget, text)


def make_ctx(db) -> AppContext:
    """The app set up as at start (right to left, Arabic) and a context on ``db``."""
    create_application()
    return AppContext(db)


def set_style(ctx: AppContext, **changes: object) -> None:
    ctx.save_unit(dataclasses.replace(ctx.unit, **changes))


def test_typed_dates_are_read_and_shown_the_units_way(qtbot, ctx):
    edit = DateEdit(ctx)
    qtbot.addWidget(edit)
    edit.show()
    type_text(edit.line, "22/11/2026")
    assert edit.value() == "2026-11-22"
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)  # editing finished: written out in full
    assert edit.text() == "٢٢ تشرين الثاني ٢٠٢٦"
    assert edit.value() == "2026-11-22"


@pytest.mark.parametrize(("typed", "iso"), [
    ("2026-11-23", "2026-11-23"),
    ("٢٠٢٦/١١/٢٣", "2026-11-23"),
    ("٢٣ تشرين الثاني ٢٠٢٦", "2026-11-23"),
    ("23 نوفمبر 2026", "2026-11-23"),
    ("3 اذار 2026", "2026-03-03"),  # without the hamza's madda
])
def test_every_usual_way_of_writing_a_date_is_read(qtbot, ctx, typed, iso):
    edit = DateEdit(ctx)
    qtbot.addWidget(edit)
    type_text(edit.line, typed)
    assert edit.value() == iso == edit.raw()


def test_unreadable_and_empty_dates(qtbot, ctx):
    edit = DateEdit(ctx)
    qtbot.addWidget(edit)
    assert edit.value() is None and edit.raw() is None
    type_text(edit.line, "31/02/2026")
    assert edit.value() is None
    assert edit.raw() == "31/02/2026"  # handed on as typed, for the models to judge
    assert read_date("٣٢ شباط ٢٠٢٦") is None


def test_the_style_follows_the_settings(qtbot, ctx):
    edit = DateEdit(ctx)
    spin = CountSpinBox(ctx)
    qtbot.addWidget(edit)
    qtbot.addWidget(spin)
    edit.setValue("2026-11-22")
    spin.set_count(1234)
    assert (edit.text(), spin.text()) == ("٢٢ تشرين الثاني ٢٠٢٦", "١٢٣٤")
    set_style(ctx, months="egyptian", digits="western")
    assert (edit.text(), spin.text()) == ("22 نوفمبر 2026", "1234")
    assert edit.value() == "2026-11-22"
    set_style(ctx, months="iraqi", digits="arabic", hijri=True)
    assert edit.text() == "٢٢ تشرين الثاني ٢٠٢٦"  # the Hijri date is for display, not here


# The offscreen platform cannot raise a popup or grab the keyboard for it, and says so.
POPUP = pytest.mark.qt_log_ignore("This plugin does not support")


@POPUP
def test_the_calendar_popup_picks_a_date(qtbot, ctx):
    edit = DateEdit(ctx)
    qtbot.addWidget(edit)
    edit.show()
    edit.setValue("2026-11-22")
    qtbot.keyClick(edit.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert edit.calendar.isVisible()
    assert edit.calendar.selectedDate().toString("yyyy-MM-dd") == "2026-11-22"
    view = edit.calendar.findChild(QWidget, "qt_calendar_calendarview")
    qtbot.keyClick(view, Qt.Key.Key_Down)  # a week later
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not edit.calendar.isVisible()
    assert edit.value() == "2026-11-29"
    assert edit.text() == "٢٩ تشرين الثاني ٢٠٢٦"


@POPUP
def test_the_calendar_writes_the_units_digits_and_months(qtbot, ctx):
    edit = DateEdit(ctx)
    qtbot.addWidget(edit)
    edit.setValue("2026-11-22")
    edit.show_calendar()
    year = edit.calendar.findChild(QToolButton, "qt_calendar_yearbutton")
    month = edit.calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    assert (year.text(), month.text()) == ("٢٠٢٦", "تشرين الثاني")
    set_style(ctx, months="egyptian", digits="western")
    edit.show_calendar()
    assert (year.text(), month.text()) == ("2026", "نوفمبر")
    edit.calendar.hide()


def test_arrow_keys_step_the_day(qtbot, ctx):
    edit = DateEdit(ctx)
    qtbot.addWidget(edit)
    edit.setValue("2026-11-30")
    qtbot.keyClick(edit.line, Qt.Key.Key_Up)
    assert edit.value() == "2026-12-01"
    qtbot.keyClick(edit.line, Qt.Key.Key_Down)
    qtbot.keyClick(edit.line, Qt.Key.Key_Down)
    assert edit.value() == "2026-11-29"


def test_the_count_box_reads_both_kinds_of_digits(qtbot, ctx):
    spin = CountSpinBox(ctx)
    qtbot.addWidget(spin)
    assert spin.count() is None and spin.text() == "غير محدد"
    select_all_and_type(spin, "٤٧")
    assert spin.count() == 47 and spin.text() == "٤٧"
    select_all_and_type(spin, "35")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.count() == 35 and spin.text() == "٣٥"
    spin.set_count(1500)
    assert spin.text() == "١٥٠٠"  # no group separator: never ١٬٥٠٠


def test_number_locale_has_no_group_separator():
    from ui.widgets.date_edit import number_locale

    assert number_locale(DateStyle()).toString(1500) == "١٥٠٠"
    assert number_locale(DateStyle(digits="western")).toString(1500) == "1500"
