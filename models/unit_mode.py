"""Whether a database is a unit's or a ministry centre's (the ``mode`` setting).

Apart from :mod:`models.bundle_merge`, which sets it, so that the pages and figures that
only ask (the dashboard's count by directorate, the activities list's unit column) do
not load the bundle code, its signatures and attachments, at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import records, store
from models.db import Database

MODE_SETTING = "mode"
CENTRE = "ministry"

#: Under the title of a centre's report narrowed to some directorates (:func:`units_label`).
DIRECTORATE_LINE = "المديرية: {label}"
#: The title and description of such a report: the report's own, then the directorates.
_NARROWED = "{text} ({label})"
_LABELS_JOINED = "، "


def is_centre(db: Database) -> bool:
    """Whether this database is a ministry centre."""
    return db.setting(MODE_SETTING) == CENTRE


#: The unit-owned tables whose lists a centre filters by unit (:func:`unit_choices`).
UNIT_TABLES = ("activities", "recommendations", "coverage_items", "plans")


@dataclass(frozen=True)
class UnitLabel:
    """A unit whose records a centre holds, as a list's directorate filter offers it."""

    id: str
    label: str
    #: How many live records of the table asked about the unit has.
    records: int


def unit_choices(db: Database, table: str = "activities") -> list[UnitLabel]:
    """The units whose live records of ``table`` (one of :data:`UNIT_TABLES`) this
    database holds, by directorate then name: at a centre, one per directorate that sent
    a bundle. The label is the directorate (the unit's name when it has none, both when
    two units share a directorate); every list labels a unit the same way."""
    if table not in UNIT_TABLES:
        raise ValueError(f"no unit filter for {table!r}")
    rows = db.rows("SELECT u.id, u.directorate, u.name, count(t.id) AS n FROM units u "
                   f"JOIN {table} t ON t.unit_id = u.id AND t.deleted_at IS NULL "
                   "GROUP BY u.id ORDER BY u.directorate, u.name, u.id")
    shared = _shared_directorates(db)
    return [UnitLabel(row["id"], _label(row, shared), row["n"]) for row in rows]


def _shared_directorates(db: Database) -> dict[str, int]:
    # Shared directorates are counted over every unit, so that one unit's label is the
    # same on every page whichever records it has.
    shared: dict[str, int] = {}
    for row in db.rows("SELECT directorate FROM units"):
        shared[row["directorate"]] = shared.get(row["directorate"], 0) + 1
    return shared


def _label(row: dict, shared: dict[str, int]) -> str:
    if row["directorate"] and row["name"] and shared.get(row["directorate"], 0) > 1 \
            and row["name"] != row["directorate"]:
        return f"{row['directorate']} — {row['name']}"
    return row["directorate"] or row["name"] or row["id"][:8]


def units_label(db: Database, unit_id: str | tuple[str, ...] | None) -> str | None:
    """The directorates a report narrowed to ``unit_id`` (one id or several) is about,
    labelled as the lists' filter labels them and joined; None when it is not
    narrowed or this database is not a centre (a unit's own report is about itself)."""
    if not unit_id or not is_centre(db):
        return None
    clause, params = unit_condition("id", unit_id)
    found = {row["id"]: row for row in db.rows(
        f"SELECT id, directorate, name FROM units WHERE {clause}", params)}
    shared = _shared_directorates(db)
    return _LABELS_JOINED.join(_label(found[i], shared) if i in found else i[:8]
                               for i in params)


def narrowed(text: str, label: str | None) -> str:
    """A report's title or description, followed by the directorates ``label`` (from
    :func:`units_label`) when it is narrowed to some: a letter lists the report by it."""
    return _NARROWED.format(text=text, label=label) if label else text


def unit_condition(column: str, unit_id: str | tuple[str, ...] | None
                   ) -> tuple[str | None, list[str]]:
    """The SQL condition keeping the rows whose ``column`` is ``unit_id`` (one id, or any
    of several: ``list --unit`` may name more than one), with its parameters; None for
    no unit."""
    if not unit_id:
        return None, []
    ids = (unit_id,) if isinstance(unit_id, str) else tuple(unit_id)
    return f"{column} IN ({', '.join('?' * len(ids))})", list(ids)


def is_fresh(db: Database) -> bool:
    """True for a new database: no unit identity yet and no activities or persons."""
    unit = store.get(db, records.Unit, db.local_unit_id)
    if not unit.is_blank:
        return False
    return not (db.scalar("SELECT 1 FROM activities LIMIT 1")
                or db.scalar("SELECT 1 FROM persons LIMIT 1"))
