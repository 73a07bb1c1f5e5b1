"""What every window and page of the app shares: the database, the unit's preferences,
and the notices that keep views in step (data changed, go to a list, undo offered)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from models import records, store
from models.dates import DateStyle
from models.db import Database

# How long a user's action on the app's own connection waits for another writer (another
# program, a background task) before it says the database is busy: the window must not
# freeze longer than this without a word.
UI_BUSY_TIMEOUT_MS = 1_000


class AppContext(QObject):
    """The open database and app-wide notices. One per main window."""

    #: A table's records changed (the table name, e.g. "activities"); views refresh.
    data_changed = Signal(str)
    #: The unit's identity or date/digit style changed.
    settings_changed = Signal()
    #: Show a page, optionally narrowed: (page key, filters such as {"status": "draft"}).
    navigate_requested = Signal(str, dict)
    #: Offer to undo what was just done: (message, the function that undoes it).
    undo_offered = Signal(str, object)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._unit: records.Unit | None = None
        #: What start-up computed ahead for the first page, by page key (the dashboard's
        #: figures: ui.launch); the page takes it once, and the launcher drops the rest
        #: once the first page is built.
        self.ahead: dict[str, object] = {}

    @property
    def unit(self) -> records.Unit:
        """The local unit (identity and preferences), cached until settings change."""
        if self._unit is None:
            self._unit = store.get(self.db, records.Unit, self.db.local_unit_id)
        return self._unit

    @property
    def date_style(self) -> DateStyle:
        """How dates and digits are shown, from the unit's settings."""
        unit = self.unit
        return DateStyle(months=unit.months, digits=unit.digits, hijri=unit.hijri)

    def save_unit(self, unit: records.Unit) -> records.Unit:
        """Store the unit's settings and tell every view."""
        return self.unit_saved(store.update(self.db, unit))

    def unit_saved(self, unit: records.Unit) -> records.Unit:
        """Take the unit as a models function stored it, and tell every view."""
        self._unit = unit
        self.settings_changed.emit()
        return unit

    def changed(self, table: str) -> None:
        """Announce that records of ``table`` changed."""
        self.data_changed.emit(table)

    def navigate(self, page: str, **filters: object) -> None:
        """Ask the main window to show a page, narrowed by ``filters``."""
        self.navigate_requested.emit(page, dict(filters))

    def offer_undo(self, message: str, undo: Callable[[], None]) -> None:
        """Show the undo bar for an action just done."""
        self.undo_offered.emit(message, undo)
