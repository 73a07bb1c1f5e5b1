"""What every page of the main window offers the window around it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.context import AppContext


class Page(QWidget):
    """A page in the navigation bar.

    Subclasses set ``key`` (used by ``AppContext.navigate`` and QSettings) and ``title``
    (the Arabic label in the navigation bar), and override the hooks they support; the
    main window routes its shortcuts (Ctrl+N, Ctrl+F, Delete) to the page on show.
    """

    key = ""
    title = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"page_{self.key}")

    def activated(self) -> None:
        """The page was just shown: bring what it displays up to date."""

    def new_record(self) -> None:
        """Ctrl+N: start a new record of the page's kind. The main window sends Ctrl+N
        only to the pages listed in ``ui.main_window.NEW_RECORD_PAGES``; on the others it
        starts a new activity on the activities page."""

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the page's search box, if it has one."""

    def delete_selected(self) -> None:
        """Delete: delete what is selected (after asking), if the page allows it."""

    def apply_filters(self, filters: dict) -> None:
        """Show only what ``filters`` describe (from a dashboard number, say)."""
