"""Toolbar helpers shared by the pages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar


def toolbar_action(
    toolbar: QToolBar, text: dict[str, str], name: str, slot: Callable[[], None]
) -> QAction:
    """Add the action `name` to `toolbar`: label text[name], tooltip text[name_tip].

    The object name `{name}Action` is what tests and the page's own code find it by.
    """
    action = toolbar.addAction(text[name])
    action.setObjectName(f"{name}Action")
    action.setToolTip(text[f"{name}_tip"])
    action.triggered.connect(slot)
    return action
