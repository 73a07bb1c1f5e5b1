"""Saving the settings page in one go: the unit (its identity, preferences and the files it
names) and the official-letter settings that are not part of the unit (the year's first
letter number, the default copy list).

Everything lands in one transaction or nothing does: a starting number the outbox refuses
(:class:`models.letters.LetterError`) leaves the unit as it was. The files a unit names
(logo, letterhead, scanned signature or seal) are copied into the data folder first
(:func:`kept_file`), so the unit only ever stores references to files the data folder keeps.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from models import approval, attachments, letters, store
from models.db import Database
from models.records import Unit

__all__ = ["SettingsChange", "kept_file", "save_settings"]

# The unit's file settings: True for an image (checked as one), False for the letterhead.
FILE_FIELDS = {"logo_path": True, "letterhead_path": False, "signature_path": True}


@dataclass(frozen=True)
class SettingsChange:
    """What the settings page changes; None leaves a setting as it is."""

    #: The unit as edited, its file fields naming the files chosen (anywhere on disk).
    unit: Unit | None = None
    #: The year whose first letter number ``start`` sets.
    year: int | None = None
    start: int | None = None
    copies: list[str] | None = None
    #: Who approves activities and plans ('' for the unit's head; models.approval).
    approver: str | None = None


def kept_file(db: Database, chosen: str, stored: str, *, image: bool) -> str:
    """The reference the unit stores for a file setting: ``stored`` when ``chosen`` is the
    file it already names, "" for none, else a checked copy of ``chosen`` in the data folder
    (refused files raise :class:`~models.attachments.AttachmentError`, nothing copied)."""
    if not chosen:
        return ""
    if stored and Path(chosen) == attachments.resolve(db.path, stored):
        return stored
    keep = attachments.keep_image if image else attachments.keep_letterhead
    return keep(db.path, chosen)


def save_settings(db: Database, change: SettingsChange, *,
                  stored: Unit | None = None) -> Unit | None:
    """Store ``change`` in one transaction; return the unit as stored (None when the unit
    was not part of the change).

    ``stored`` is the unit as it was loaded: its file references are kept as they are when
    the same files are still chosen. Raises :class:`~models.letters.LetterError` for a
    starting number the outbox refuses, and nothing is saved.
    """
    unit = change.unit
    if unit is not None:
        before = stored or unit
        unit = dataclasses.replace(unit, **{
            name: kept_file(db, getattr(unit, name), getattr(before, name), image=image)
            for name, image in FILE_FIELDS.items()})
    with db.atomic():  # all of the page lands, or none of it
        if change.start is not None:
            assert change.year is not None, "a starting number belongs to a year"
            letters.set_start(db, change.year, change.start)
        if change.copies is not None:
            letters.set_default_copies(db, change.copies)
        if change.approver is not None:
            approval.set_approver(db, change.approver)
        if unit is not None:
            unit = store.update(db, unit)
    return unit
