"""A drop-down of the words of a vocabulary (:mod:`models.vocab`): the user sees the
Arabic label, the form reads the stored key (``currentData()``)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox, QWidget


def choice_box(parent: QWidget, name: str, options: Mapping[str, str],
               first: tuple[str, object] | None = None) -> QComboBox:
    """A combo box (object name ``name``) of ``options`` (key → label), in their order,
    after ``first`` (label, data) when given: "all", "none" and the like."""
    box = QComboBox(parent)
    box.setObjectName(name)
    if first is not None:
        box.addItem(*first)
    for key, label in options.items():
        box.addItem(label, key)
    return box
