"""Date and number editors that write dates and digits the unit's way.

:class:`DateEdit` is a line edit with a calendar popup. It shows "٢٢ تشرين الثاني ٢٠٢٦" (or
"22 نوفمبر 2026", per the unit's :class:`~models.dates.DateStyle`) and reads what people
type: that same form, ``2026-11-22``, ``22/11/2026``, in either kind of digits. Empty means
"no date". Text it cannot read is handed on as typed, so the models' rules say what is
wrong with it. :class:`CountSpinBox` is a spin box whose digits follow the unit's style,
without group separators. Both follow ``ctx.settings_changed``.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QTableView,
    QToolButton,
    QWidget,
)

from models.arabic import apply_digits, search_key, to_western_digits
from models.dates import EGYPTIAN_MONTHS, IRAQI_MONTHS, DateStyle, format_date, parse_date
from models.records import MAX_COUNT
from ui.context import AppContext

TEXT = {
    "calendar": "اختر التاريخ من التقويم (Alt+↓)",
    "placeholder": "مثل ٢٢/١١/٢٠٢٦",
    "unknown": "غير محدد",
}

# Folded month names of both namings, so either is read whatever the unit's setting.
_MONTHS = {search_key(name): i for names in (IRAQI_MONTHS, EGYPTIAN_MONTHS)
           for i, name in enumerate(names, start=1)}
_SPELLED = re.compile(r"(\d{1,2})\s+(.+?)\s+(\d{4})")


def number_locale(style: DateStyle) -> QLocale:
    """An Arabic locale whose digits are the unit's: Arabic-Indic (Iraq) or Western (UAE)."""
    territory = QLocale.Country.Iraq if style.digits == "arabic" else \
        QLocale.Country.UnitedArabEmirates
    locale = QLocale(QLocale.Language.Arabic, territory)
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale


def calendar_locale(style: DateStyle) -> QLocale:
    """An Arabic locale with the unit's month names (Iraqi or Egyptian)."""
    territory = QLocale.Country.Iraq if style.months == "iraqi" else QLocale.Country.Egypt
    return QLocale(QLocale.Language.Arabic, territory)


def read_date(text: str) -> dt.date | None:
    """The date in what was typed (ISO, day/month/year, or day month-name year), or None."""
    text = text.strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        pass
    match = _SPELLED.fullmatch(" ".join(to_western_digits(text).split()))
    if not match or (month := _MONTHS.get(search_key(match[2]))) is None:
        return None
    try:
        return dt.date(int(match[3]), month, int(match[1]))
    except ValueError:
        return None


def align_leading(widget: QLineEdit | QSpinBox) -> None:
    """Keep text at the layout's leading edge whatever it starts with. Qt aligns a line
    edit by its text's direction, so "22/11/2026" or "6" would sit on the left of an
    Arabic form; the side is therefore set absolutely, from the layout direction."""
    side = Qt.AlignmentFlag.AlignRight if widget.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
    widget.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)


def _plain(style: DateStyle) -> DateStyle:
    # An editor holds one date; the Hijri date beside it would only get in the way of typing.
    return DateStyle(months=style.months, digits=style.digits, hijri=False)


class Calendar(QCalendarWidget):
    """A calendar whose month names and digits are the unit's (Qt would take the digits from
    the locale, and no Arabic locale pairs Iraqi months with Western digits)."""

    def __init__(self, style: DateStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setGridVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        view = self.findChild(QTableView, "qt_calendar_calendarview")
        if view is not None:
            # Qt's default minimum column is the font's widest glyph (~100 px for Arabic
            # fonts), which made the month seven times that wide and cut it.
            view.horizontalHeader().setMinimumSectionSize(0)
            view.verticalHeader().setMinimumSectionSize(0)
        self.set_style(style)

    def set_style(self, style: DateStyle) -> None:
        """Use the unit's month names and digits."""
        self._digits = style.digits
        self.setLocale(calendar_locale(style))
        year = self.findChild(QSpinBox, "qt_calendar_yearedit")
        button = self.findChild(QToolButton, "qt_calendar_yearbutton")
        if year is not None and button is not None:
            # Qt copies this spin box's text into the year button when the page changes.
            year.setLocale(number_locale(style))
            button.setText(year.text())
        self.update()

    def paintCell(self, painter: QPainter, rect: QRect, date: QDate) -> None:  # noqa: N802
        painter.save()
        palette = self.palette()
        if date == self.selectedDate():
            painter.fillRect(rect, palette.highlight())
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        elif date.month() != self.monthShown():
            painter.setPen(palette.color(QPalette.ColorGroup.Disabled,
                                         QPalette.ColorRole.Text))
        else:
            painter.setPen(palette.color(QPalette.ColorRole.Text))
        if date == QDate.currentDate():
            font = QFont(painter.font())
            font.setBold(True)
            painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                         apply_digits(str(date.day()), self._digits))
        painter.restore()


class DateEdit(QWidget):
    """A date field: type it or pick it; ``value()`` is ISO text or None."""

    #: The text changed (typing, picking, or set from code).
    changed = Signal()

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None, *,
                 placeholder: str = "") -> None:
        super().__init__(parent)
        self._style = _plain(ctx.date_style if ctx is not None else DateStyle())
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(placeholder or TEXT["placeholder"])
        self.line.setClearButtonEnabled(True)
        align_leading(self.line)
        self.line.textChanged.connect(self.changed)
        self.line.editingFinished.connect(self._tidy)
        self.line.installEventFilter(self)
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip(TEXT["calendar"])
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.show_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self._calendar: Calendar | None = None  # made when first opened (see calendar)
        self._ctx = ctx
        if ctx is not None:  # a bound method: Qt drops it when this widget is destroyed
            ctx.settings_changed.connect(self._settings_changed)

    @property
    def calendar(self) -> Calendar:
        """The calendar popup, made on first use: a page's date fields open it rarely,
        and a QCalendarWidget is heavier to build than the field itself."""
        if self._calendar is None:
            self._calendar = Calendar(self._style, self)
            self._calendar.setWindowFlags(Qt.WindowType.Popup)
            self._calendar.clicked.connect(self._picked)
            self._calendar.activated.connect(self._picked)
        return self._calendar

    # --- value -------------------------------------------------------------------------

    def value(self) -> str | None:
        """The date as ISO ``YYYY-MM-DD``, or None when empty or unreadable."""
        day = read_date(self.line.text())
        return day.isoformat() if day else None

    def raw(self) -> str | None:
        """What a record gets: ISO if readable, None if empty, else the text as typed (so
        the models' rules can say what is wrong with it)."""
        text = self.line.text().strip()
        if not text:
            return None
        day = read_date(text)
        return day.isoformat() if day else text

    def setValue(self, value: str | dt.date | None) -> None:  # noqa: N802 - Qt naming
        """Show a date (ISO text or a date); None or "" clears; unreadable text is kept."""
        if value in (None, ""):
            self.line.setText("")
            return
        day = read_date(value) if isinstance(value, str) else value
        self.line.setText(format_date(day, self._style) if day else str(value))

    def text(self) -> str:
        """The text as shown."""
        return self.line.text()

    def _settings_changed(self) -> None:
        if self._ctx is not None:
            self.set_date_style(self._ctx.date_style)

    def set_date_style(self, style: DateStyle) -> None:
        """Rewrite the shown date (and the calendar) in another style."""
        current = self.value()
        self._style = _plain(style)
        if self._calendar is not None:  # else made in this style when first opened
            self._calendar.set_style(self._style)
        if current:
            self.setValue(current)

    # --- interaction -------------------------------------------------------------------

    def _tidy(self) -> None:
        # After typing 22/11/2026, show it as the unit writes dates.
        day = read_date(self.line.text())
        if day is not None:
            shown = format_date(day, self._style)
            if shown != self.line.text():
                self.line.setText(shown)

    def show_calendar(self) -> None:
        """Open the calendar under the field, on the current date (or today)."""
        day = read_date(self.line.text()) or dt.date.today()
        qdate = QDate(day.year, day.month, day.day)
        self.calendar.setSelectedDate(qdate)
        self.calendar.setCurrentPage(day.year, day.month)
        self.calendar.adjustSize()
        below = self.mapToGlobal(QPoint(0, self.height()))
        if self.isRightToLeft():  # line the popup up with the field's right edge
            below.setX(below.x() + self.width() - self.calendar.width())
        self.calendar.move(below)
        self.calendar.show()
        self.calendar.setFocus()

    def _picked(self, qdate: QDate) -> None:
        self.setValue(dt.date(qdate.year(), qdate.month(), qdate.day()))
        self.calendar.hide()
        self.line.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.line and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, mods = event.key(), event.modifiers()
            if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and
                                        mods & Qt.KeyboardModifier.AltModifier):
                self.show_calendar()
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not mods:
                # Arrow keys step the day, as in Qt's own date editors.
                day = read_date(self.line.text())
                if day is not None:
                    step = 1 if key == Qt.Key.Key_Up else -1
                    self.setValue(day + dt.timedelta(days=step))
                    return True
        return super().eventFilter(watched, event)


class CountSpinBox(QSpinBox):
    """A whole number in the unit's digits, no group separators; 0 shows as "unknown"
    (:meth:`count` is then None), since a count of nobody is never typed on purpose."""

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, MAX_COUNT)
        self.setSpecialValueText(TEXT["unknown"])
        self.setGroupSeparatorShown(False)
        align_leading(self)
        self.set_date_style(ctx.date_style if ctx is not None else DateStyle())
        self._ctx = ctx
        if ctx is not None:  # a bound method: Qt drops it when this widget is destroyed
            ctx.settings_changed.connect(self._settings_changed)

    def _settings_changed(self) -> None:
        if self._ctx is not None:
            self.set_date_style(self._ctx.date_style)

    def set_date_style(self, style: DateStyle) -> None:
        """Show digits the unit's way."""
        self.setLocale(number_locale(style))

    def count(self) -> int | None:
        """The number, or None when unknown."""
        return self.value() or None

    def set_count(self, value: int | None) -> None:
        """Show a number (None for unknown)."""
        self.setValue(value or 0)
