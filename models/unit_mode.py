"""Whether a database is a unit's or a ministry centre's (the ``mode`` setting).

Apart from :mod:`models.bundle_merge`, which sets it, so that the pages and figures that
only ask (the dashboard's count by directorate, the activities list's unit column) do
not load the bundle code, its signatures and attachments, at start-up.
"""

from __future__ import annotations

from models.db import Database

MODE_SETTING = "mode"
CENTRE = "ministry"


def is_centre(db: Database) -> bool:
    """Whether this database is a ministry centre."""
    return db.setting(MODE_SETTING) == CENTRE
