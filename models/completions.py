"""Earlier values of a field, offered as completions while a form is filled in.

Places, organisers, partners, lecturers, entities, job titles and addressees repeat from
one record to the next; offering what was typed before saves typing and keeps one
spelling. Values come most frequent first; what was typed so far is matched in its
search form (:func:`models.arabic.search_key`), at the start of the value or of any word
in it, so "الإ" offers "الاتصال الحكومي" and "دائرة الاتصال الحكومي" alike.
"""

from __future__ import annotations

import heapq
import weakref

from models.arabic import search_key
from models.db import Database

# Each field: (table, column, whether the column holds a JSON list).
FIELDS: dict[str, tuple[str, str, bool]] = {
    "place": ("activities", "place", False),
    "organiser": ("activities", "organiser", False),
    "partners": ("activities", "partners", True),
    "lecturers": ("activities", "lecturers", True),
    "entity": ("persons", "entity", False),
    "job_title": ("persons", "job_title", False),
    "addressed_to": ("recommendations", "addressed_to", False),
}


# Counting reads a whole table (0.1–0.5 s at 100,000 activities), too slow for every
# keystroke: the counts are kept per open database until it changes. A connection's
# total_changes moves with each of its own writes, PRAGMA data_version with each commit
# of another connection, so together they say whether the file changed since.
_CACHE: weakref.WeakKeyDictionary[Database, dict[str, tuple[tuple[int, int], list[
    tuple[str, int, str]]]]] = weakref.WeakKeyDictionary()


def _stamp(db: Database) -> tuple[int, int]:
    return db.conn.total_changes, db.scalar("PRAGMA data_version")


def _counted(db: Database, field: str) -> list[tuple[str, int, str]]:
    """(value, how often, " " + its search form) for each distinct value of the field."""
    cached = _CACHE.setdefault(db, {})
    stamp = _stamp(db)
    if field in cached and cached[field][0] == stamp:
        return cached[field][1]
    # Most frequent first, then alphabetical; the search form padded with a space in front
    # so that " " + key finds the start of the value and of each word in one search.
    found = sorted(((value, n, " " + search_key(value)) for value, n in _count(db, field)),
                   key=lambda item: (-item[1], item[0]))
    cached[field] = (stamp, found)
    return found


def _count(db: Database, field: str) -> list[tuple[str, int]]:
    try:
        table, column, is_list = FIELDS[field]
    except KeyError:
        raise ValueError(f"no completions for {field!r}; known: {', '.join(FIELDS)}") from None
    if is_list:
        sql = (f"SELECT j.value, count(*) FROM {table} r, json_each(r.{column}) j "
               f"WHERE r.deleted_at IS NULL AND j.type = 'text' AND j.value != '' "
               f"GROUP BY j.value")
    else:
        sql = (f"SELECT {column}, count(*) FROM {table} WHERE deleted_at IS NULL "
               f"AND {column} != '' GROUP BY {column}")
    return [(value, n) for value, n in db.execute(sql)]


def values(db: Database, field: str, prefix: str = "", limit: int = 50) -> list[str]:
    """Distinct earlier values of ``field`` that match ``prefix``, most frequent first.

    ``field`` is one of :data:`FIELDS`: place, organiser, partners, lecturers (activities),
    entity, job_title (persons), addressed_to (recommendations). Records in the recycle bin
    do not count.
    """
    counted = _counted(db, field)
    limit = max(limit, 0)
    key = search_key(prefix)
    if not key:
        return [value for value, _n, _padded in counted[:limit]]
    word = " " + key
    matched = [(-n, not padded.startswith(word), value)
               for value, n, padded in counted if word in padded]
    # Ties: values that begin with what was typed before those where a later word does.
    return [value for _n, _later, value in heapq.nsmallest(limit, matched)]
