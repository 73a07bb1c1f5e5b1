"""Arabic full-text search over activities, persons, recommendations and coverage.

Words are normalised and lightly stripped of prefixes in Python (:func:`arabic.words`)
before FTS5 sees them, on both sides: FTS5's own tokenizer knows nothing of Arabic
spelling variants. ``search_docs`` holds, per record, those words plus what a hit list
shows; ``search_fts`` indexes the words. The data layer calls :func:`index_record` in
the same transaction as every write, so the index never drifts from the records. A
recommendation's document holds the text of its follow-up notes: writing a note
re-indexes the recommendation (:func:`reindex_recommendation`).

A compound name is indexed both joined and as its parts (:func:`arabic.index_words`), so a
query for either spelling finds both, with queries built as before. A bulk load may give
:func:`rebuild` and :func:`index_row` a faster function giving the same words.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from models import vocab
from models.arabic import index_words, phone_key, query_words

DEFAULT_LIMIT = 50

# A word found in most records (كربلاء in a Karbala unit's files) would have every one of
# its matches scored before the best 50 are known: over 100 ms on 100,000 activities. Only
# the newest RANK_NEWEST matches (by index order, which is date order: see rebuild) are
# ranked; a query with fewer matches, as in any unit's real files, is ranked in full.
RANK_NEWEST = 2_000
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0

# The source table of each searchable type, and how one of its rows becomes a document:
# (title field, date field, subtype field, status field, body fields).
_SOURCES: dict[str, tuple[str, str, str | None, str | None, str | None, tuple[str, ...]]] = {
    "activity": ("activities", "title", "start_date", "kind", "status",
                 ("kind_label", "place", "organiser", "partners", "lecturers", "summary",
                  "objectives")),
    "person": ("persons", "full_name", None, None, None,
               ("job_title", "entity", "phone", "email")),
    # A recommendation's body holds its follow-up notes (``notes_text``, read from
    # recommendation_notes: see _NOTES), so a word of any note finds it.
    "recommendation": ("recommendations", "text", "due_date", None, "status",
                       ("addressed_to", "notes_text")),
    "coverage": ("coverage_items", "title", "date", "medium", "tone",
                 ("outlet", "medium_label", "topic", "notes")),
}
TYPE_OF_TABLE = {source[0]: doc_type for doc_type, source in _SOURCES.items()}
# A note is not a search result of its own: writing one re-indexes its recommendation.
NOTES_TABLE = "recommendation_notes"
_NOTES = ("SELECT recommendation_id, note FROM recommendation_notes "
          "WHERE deleted_at IS NULL AND recommendation_id IN (SELECT value FROM json_each(?)) "
          "ORDER BY recommendation_id, date, created_at, rowid")

# Records that leave search while their activity is in the recycle bin (store.delete takes
# them out; a rebuild must not bring them back).
_HIDDEN_WITH_PARENT = {
    "recommendation": "AND (activity_id IS NULL OR activity_id NOT IN "
                      "(SELECT id FROM activities WHERE deleted_at IS NOT NULL))",
}


@dataclass(frozen=True)
class Hit:
    """One search result: which record, what to show, and how well it matched."""

    type: str
    id: str
    title: str
    date: str | None
    subtype: str
    status: str
    score: float


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith("["):
        try:
            return " ".join(str(v) for v in json.loads(value))
        except ValueError:
            return value
    return str(value)


#: What turns a text into the words the index holds (:func:`models.arabic.index_words`,
#: or a function giving the same words faster, such as an ``arabic.IndexWordsCache``).
Words = Callable[[str], list[str]]


def document(doc_type: str, row: Mapping[str, Any], *,
             words: Words = index_words) -> tuple[Any, ...]:
    """The search_docs row (without rowid) for one record given as a mapping."""
    _table, title_f, date_f, subtype_f, status_f, body_fs = _SOURCES[doc_type]
    values = dict(row)
    values["kind_label"] = vocab.ACTIVITY_KINDS.get(values.get("kind", ""), "")
    values["medium_label"] = vocab.MEDIA.get(values.get("medium", ""), "")
    if doc_type == "recommendation" and not values.get("notes_text"):
        # Before notes existed (or with all of them deleted) the free text is the last
        # note, as models.recommendations shows it.
        values["notes_text"] = values.get("follow_up") or ""
    title = _flat(values.get(title_f))
    body = " ".join(_flat(values.get(f)) for f in body_fs)
    if values.get("phone"):
        # The phone's digits as one word too, so 07701234567 finds "0770-123-4567".
        body += " " + phone_key(values["phone"])
    return (
        doc_type,
        values["id"],
        title[:300],
        values.get(date_f) if date_f else None,
        values.get(subtype_f) or "" if subtype_f else "",
        values.get(status_f) or "" if status_f else "",
        " ".join(words(title)),
        " ".join(words(body)),
    )


_INSERT_DOC = ("INSERT INTO search_docs (type, ref_id, title, date, subtype, status, "
               "title_words, body_words) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def remove(conn: sqlite3.Connection, ref_id: str) -> None:
    """Take one record out of the index (no-op when it is not there)."""
    row = conn.execute("SELECT rowid, title_words, body_words FROM search_docs "
                       "WHERE ref_id = ?", (ref_id,)).fetchone()
    if row is None:
        return
    conn.execute("INSERT INTO search_fts (search_fts, rowid, title_words, body_words) "
                 "VALUES ('delete', ?, ?, ?)", row)
    conn.execute("DELETE FROM search_docs WHERE rowid = ?", (row[0],))


def _notes_text(conn: sqlite3.Connection, ids: list[str]) -> dict[str, str]:
    """The live follow-up notes of these recommendations, each one's joined, oldest first
    (recommendations without notes left out)."""
    texts: dict[str, list[str]] = {}
    for rid, note in conn.execute(_NOTES, (json.dumps(ids),)):
        texts.setdefault(rid, []).append(note)
    return {rid: "\n".join(notes) for rid, notes in texts.items()}


def index_row(conn: sqlite3.Connection, doc_type: str, row: Mapping[str, Any], *,
              words: Words = index_words) -> None:
    """(Re)index one record given as a mapping of its fields (a recommendation's notes
    are read here when the mapping has no ``notes_text``)."""
    remove(conn, row["id"])
    if row.get("deleted_at"):
        return
    if doc_type == "recommendation" and "notes_text" not in row:
        row = {**row, "notes_text": _notes_text(conn, [row["id"]]).get(row["id"], "")}
    doc = document(doc_type, row, words=words)
    cur = conn.execute(_INSERT_DOC, doc)
    conn.execute("INSERT INTO search_fts (rowid, title_words, body_words) VALUES (?, ?, ?)",
                 (cur.lastrowid, doc[-2], doc[-1]))


def reindex_recommendation(conn: sqlite3.Connection, recommendation_id: str, *,
                           words: Words = index_words) -> None:
    """(Re)index a recommendation with its notes as they now are; one that is deleted or
    whose activity is in the recycle bin stays out of the index."""
    cur = conn.execute(f"SELECT * FROM recommendations WHERE id = ? AND deleted_at IS NULL "
                       f"{_HIDDEN_WITH_PARENT['recommendation']}", (recommendation_id,))
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    if row is None:
        remove(conn, recommendation_id)
    else:
        index_row(conn, "recommendation", dict(zip(names, row, strict=True)), words=words)


def index_record(conn: sqlite3.Connection, record: Any) -> None:
    """(Re)index a record after a write; records of unsearched types are ignored, and a
    follow-up note re-indexes its recommendation."""
    table = getattr(record, "table", "")
    if table == NOTES_TABLE:
        reindex_recommendation(conn, record.recommendation_id)
        return
    doc_type = TYPE_OF_TABLE.get(table)
    if doc_type is not None:
        index_row(conn, doc_type, vars(record))


def _ordered(conn: sqlite3.Connection,
             only: Mapping[str, Iterable[str]] | None = None) -> list[tuple[str, str, int]]:
    """Every live searchable record (or, with ``only``, those of its ids per type) as
    (date key, type, rowid), in date order.

    Sorting only these small tuples, then fetching the rows by rowid, is much cheaper than
    sorting whole rows (summaries included) in SQL; a bulk load runs this without indexes.
    """
    parts, params = [], []
    for doc_type, (table, _title, date_field, *_rest) in _SOURCES.items():
        key = (f"coalesce({date_field}, substr(created_at, 1, 10), '')" if date_field
               else "coalesce(substr(created_at, 1, 10), '')")
        hidden = _HIDDEN_WITH_PARENT.get(doc_type, "")
        chosen = ""
        if only is not None:
            ids = sorted(set(only.get(doc_type, ())))
            if not ids:
                continue
            chosen = "AND id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(ids))
        parts.append(f"SELECT {key}, '{doc_type}', rowid FROM {table} "
                     f"WHERE deleted_at IS NULL {hidden} {chosen}")
    if not parts:
        return []
    ordered = conn.execute(" UNION ALL ".join(parts), params).fetchall()
    ordered.sort()
    return ordered


def _documents(conn: sqlite3.Connection, words: Words, chunk: int = 2_000,
               ordered: list[tuple[str, str, int]] | None = None
               ) -> Iterator[tuple[Any, ...]]:
    if ordered is None:
        ordered = _ordered(conn)
    for start in range(0, len(ordered), chunk):
        part = ordered[start:start + chunk]
        rows: dict[tuple[str, int], dict[str, Any]] = {}
        for doc_type in {doc_type for _key, doc_type, _rowid in part}:
            wanted = [rowid for _key, t, rowid in part if t == doc_type]
            cur = conn.execute(f"SELECT rowid AS _rowid, * FROM {_SOURCES[doc_type][0]} "
                               "WHERE rowid IN (SELECT value FROM json_each(?))",
                               (json.dumps(wanted),))
            names = [d[0] for d in cur.description]
            for row in cur:
                values = dict(zip(names, row, strict=True))
                rows[(doc_type, values.pop("_rowid"))] = values
            if doc_type == "recommendation":
                got = [v for (t, _r), v in rows.items() if t == doc_type]
                texts = _notes_text(conn, [v["id"] for v in got])
                for values in got:
                    values["notes_text"] = texts.get(values["id"], "")
        for _key, doc_type, rowid in part:
            yield document(doc_type, rows[(doc_type, rowid)], words=words)


def rebuild(conn: sqlite3.Connection, *, words: Words = index_words) -> int:
    """Rebuild the whole index from the records (bulk loads, repairs); return its size.

    Documents go in in date order across all types, so that rowid order is date order:
    :func:`search` ranks the newest matches of a very common word (see
    :data:`RANK_NEWEST`), and edits made later get higher rowids anyway. ``words`` must
    give what :func:`~models.arabic.index_words` gives; a bulk load passes a faster one.
    """
    conn.execute("DELETE FROM search_docs")
    conn.executemany(_INSERT_DOC, _documents(conn, words))
    conn.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")
    return conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]


def reindex(conn: sqlite3.Connection, ids: Mapping[str, Iterable[str]], *,
            words: Words = index_words) -> int:
    """(Re)index many records at once (a merged data bundle); return how many are indexed.

    ``ids`` maps a document type to record ids. Their documents leave the index; the live
    ones (not deleted, not hidden with their activity) come back in the order
    :func:`rebuild` gives them, and the full-text index takes each side in one statement,
    so thousands of records cost a set-based pass instead of one per record. A recommendation's
    notes are read here. Into an empty index the result is :func:`rebuild`'s, row for row.
    """
    every = json.dumps(sorted({i for type_ids in ids.values() for i in type_ids}))
    gone = "ref_id IN (SELECT value FROM json_each(?))"
    conn.execute("INSERT INTO search_fts (search_fts, rowid, title_words, body_words) "
                 f"SELECT 'delete', rowid, title_words, body_words FROM search_docs "
                 f"WHERE {gone}", (every,))
    conn.execute(f"DELETE FROM search_docs WHERE {gone}", (every,))
    start = conn.execute("SELECT coalesce(max(rowid), 0) FROM search_docs").fetchone()[0]
    conn.executemany(_INSERT_DOC, _documents(conn, words, ordered=_ordered(conn, ids)))
    conn.execute("INSERT INTO search_fts (rowid, title_words, body_words) SELECT rowid, "
                 "title_words, body_words FROM search_docs WHERE rowid > ?", (start,))
    return conn.execute("SELECT count(*) FROM search_docs WHERE rowid > ?",
                        (start,)).fetchone()[0]


# What a typed phone number looks like: digits in any script and the usual separators.
_PHONE_QUERY = re.compile(r"\+?[0-9٠-٩۰-۹][0-9٠-٩۰-۹ ()./\-]*[0-9٠-٩۰-۹]")


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH text for what a user typed, or None when nothing is searchable.

    Every word must appear (AND); each is quoted, so FTS5 syntax typed by a user is
    plain text. A trailing ``*`` on a word matches words that begin with it.
    """
    stripped_query = query.strip()
    if _PHONE_QUERY.fullmatch(stripped_query.rstrip("*")):
        key = phone_key(stripped_query.rstrip("*"))
        if len(key) >= 4:
            return f'"{key}"' + ("*" if stripped_query.endswith("*") else "")
    terms: list[str] = []
    for chunk in query.split():
        prefix = chunk.endswith("*")
        chunk_words = query_words(chunk.rstrip("*"))
        for i, (stripped, whole) in enumerate(chunk_words):
            if prefix and i == len(chunk_words) - 1:
                # The index holds whole forms beside stripped ones; a word's beginning
                # may be found in either.
                forms = dict.fromkeys((stripped, whole))
                terms.append("(" + " OR ".join(f'"{form}"*' for form in forms) + ")")
            else:
                terms.append(f'"{stripped}"')
    return " AND ".join(terms) or None


@dataclass(frozen=True)
class SearchFilter:
    """What narrows a search besides its words."""

    types: tuple[str, ...] = ()
    kind: str | None = None
    status: str | None = None
    date_from: str | None = None
    date_to: str | None = None


def search(conn: sqlite3.Connection, query: str, *, limit: int = DEFAULT_LIMIT,
           where: SearchFilter = SearchFilter()) -> list[Hit]:
    """The best ``limit`` records for the query, best first."""
    expression = match_expression(query)
    if expression is None or limit <= 0:
        return []
    conditions, params = ["search_fts MATCH ?"], [expression]
    if where.types:
        conditions.append(f"d.type IN ({', '.join('?' * len(where.types))})")
        params.extend(where.types)
    if where.kind:
        conditions.append("d.subtype = ?")
        params.append(where.kind)
    if where.status:
        conditions.append("d.status = ?")
        params.append(where.status)
    if where.date_from:
        conditions.append("d.date >= ?")
        params.append(where.date_from)
    if where.date_to:
        conditions.append("d.date <= ?")
        params.append(where.date_to)
    # Innermost: the newest matches, which FTS5 reads from the end of its lists and stops;
    # then rank those on the index alone; only the best ``limit`` rows fetch what is shown
    # (joining search_docs before the sort read the big row of every match). search_docs
    # is joined inside only to filter.
    join = "JOIN search_docs d ON d.rowid = search_fts.rowid " if len(conditions) > 1 else ""
    sql = (
        "SELECT doc.type, doc.ref_id, doc.title, doc.date, doc.subtype, doc.status, "
        "best.score FROM ("
        "SELECT rowid, score FROM ("
        "SELECT search_fts.rowid AS rowid, "
        f"bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
        f"FROM search_fts {join}WHERE {' AND '.join(conditions)} "
        "ORDER BY search_fts.rowid DESC LIMIT ?) "
        "ORDER BY score LIMIT ?) AS best "
        "JOIN search_docs doc ON doc.rowid = best.rowid ORDER BY best.score"
    )
    params += [RANK_NEWEST, limit]
    return [Hit(*row) for row in conn.execute(sql, params)]
