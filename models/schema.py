"""The database schema, as forward migrations.

Migration N takes a database at ``user_version`` N-1 to N. Each runs inside one
transaction together with the version bump, so a crash leaves the old version intact.
Never edit a migration that has shipped: add a new one.

A migration holds only its own frozen SQL (and standard-library Python): it never calls
today's code, whose rules change, so a file upgraded step by step ends exactly like a
new one. Data derived by today's code (the search index, the persons' name and phone
keys, the attendee counts) is filled once, after the last step, by
:func:`rebuild_derived`.
"""

from __future__ import annotations

import base64
import binascii
import re
import sqlite3
from collections.abc import Callable

# Written into the file header so a restore can tell our files from any other SQLite file.
APPLICATION_ID = 0x49545331  # "ITS1"

# Columns every unit-owned table has. Ids are UUID text so that the ministry can merge
# many directorates' records without clashes; deleted_at is a tombstone, not a removal.
_COMMON = """
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT"""

_V1 = f"""
CREATE TABLE units (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    ministry TEXT NOT NULL DEFAULT '',
    directorate TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    head_name TEXT NOT NULL DEFAULT '',
    head_title TEXT NOT NULL DEFAULT '',
    coordinator_name TEXT NOT NULL DEFAULT '',
    coordinator_title TEXT NOT NULL DEFAULT '',
    logo_path TEXT NOT NULL DEFAULT '',
    letterhead_path TEXT NOT NULL DEFAULT '',
    signature_path TEXT NOT NULL DEFAULT '',
    default_addressee TEXT NOT NULL DEFAULT '',
    months TEXT NOT NULL DEFAULT 'iraqi',
    digits TEXT NOT NULL DEFAULT 'arabic',
    hijri INTEGER NOT NULL DEFAULT 0,
    certificate_prefix TEXT NOT NULL DEFAULT ''
);

-- Small facts about this file: which unit is local, sequences, and so on.
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE activities ({_COMMON},
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    place TEXT NOT NULL DEFAULT '',
    organiser TEXT NOT NULL DEFAULT '',
    partners TEXT NOT NULL DEFAULT '[]',
    lecturers TEXT NOT NULL DEFAULT '[]',
    summary TEXT NOT NULL DEFAULT '',
    objectives TEXT NOT NULL DEFAULT '',
    participants_count INTEGER CHECK (participants_count >= 0),
    status TEXT NOT NULL DEFAULT 'draft',
    news_text TEXT NOT NULL DEFAULT '',
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX activities_start ON activities(start_date);
CREATE INDEX activities_kind ON activities(kind, start_date);
CREATE INDEX activities_status ON activities(status, start_date);
CREATE INDEX activities_updated ON activities(updated_at);

CREATE TABLE persons ({_COMMON},
    full_name TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    gender_guessed INTEGER NOT NULL DEFAULT 0,
    job_title TEXT NOT NULL DEFAULT '',
    entity TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX persons_name ON persons(full_name);

CREATE TABLE attendance ({_COMMON},
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id),
    days TEXT NOT NULL DEFAULT '[]',
    UNIQUE (activity_id, person_id)
);
CREATE INDEX attendance_person ON attendance(person_id);

CREATE TABLE recommendations ({_COMMON},
    activity_id TEXT REFERENCES activities(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    addressed_to TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'raised',
    follow_up TEXT NOT NULL DEFAULT '',
    position INTEGER
);
CREATE INDEX recommendations_activity ON recommendations(activity_id);

CREATE TABLE plans ({_COMMON},
    title TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE plan_items ({_COMMON},
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    objective TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT '',
    insight TEXT NOT NULL DEFAULT '',
    strategy TEXT NOT NULL DEFAULT '',
    channels TEXT NOT NULL DEFAULT '[]',
    date TEXT,
    owner TEXT NOT NULL DEFAULT '',
    priority TEXT NOT NULL DEFAULT 'medium',
    status TEXT NOT NULL DEFAULT 'planned',
    outputs TEXT NOT NULL DEFAULT '',
    outtakes TEXT NOT NULL DEFAULT '',
    outcomes TEXT NOT NULL DEFAULT '',
    activity_id TEXT REFERENCES activities(id) ON DELETE SET NULL
);
CREATE INDEX plan_items_plan ON plan_items(plan_id);

CREATE TABLE coverage_items ({_COMMON},
    date TEXT NOT NULL,
    outlet TEXT NOT NULL DEFAULT '',
    medium TEXT NOT NULL,
    level TEXT NOT NULL,
    tone TEXT NOT NULL,
    title TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    activity_id TEXT REFERENCES activities(id) ON DELETE SET NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX coverage_date ON coverage_items(date);
CREATE INDEX coverage_activity ON coverage_items(activity_id);

CREATE TABLE attachments ({_COMMON},
    owner_type TEXT NOT NULL DEFAULT '',
    owner_id TEXT,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL DEFAULT '',
    size INTEGER,
    caption TEXT NOT NULL DEFAULT '',
    position INTEGER
);
CREATE INDEX attachments_owner ON attachments(owner_type, owner_id);

CREATE TABLE certificates ({_COMMON},
    person_id TEXT NOT NULL REFERENCES persons(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    serial TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    holder_name TEXT NOT NULL DEFAULT '',
    signature TEXT NOT NULL DEFAULT '',
    issued_at TEXT NOT NULL,
    reprints INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 0,
    UNIQUE (unit_id, serial),
    UNIQUE (activity_id, person_id)
);
"""

# The search index: one row per searchable record, holding the normalised, prefix-
# stripped words (never shown), plus what a hit list needs without touching the records.
# FTS5 reads its text from search_docs (external content), so the words are stored once.
_V2 = """
CREATE TABLE search_docs (
    rowid INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    ref_id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    date TEXT,
    subtype TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    title_words TEXT NOT NULL,
    body_words TEXT NOT NULL
);
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_words, body_words,
    content='search_docs', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 0'
);
"""


# Duplicate-spotting keys for persons, and drafts of forms being edited (kept while the
# user types so that a crash loses nothing).
_V3 = """
ALTER TABLE persons ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN phone_key TEXT NOT NULL DEFAULT '';
CREATE INDEX persons_name_key ON persons(name_key);
CREATE INDEX persons_phone_key ON persons(phone_key) WHERE phone_key != '';
CREATE TABLE drafts (
    key TEXT PRIMARY KEY NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT,
    payload TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
"""


# The attendee count kept on each activity by triggers, and indexes that let every sort
# and filter of the activities list be read from an index on 100,000 activities
# (measured by benchmarks/bench_activity_model.py). Indexes lead with deleted_at so that
# "not in the recycle bin" is an equality the index serves (SQLite 3.40 does not treat a
# partial index as covering when the query names its condition column); the sort indexes
# also hold the filter columns, so a filtered, sorted list is read from the index alone.
# ``attendees`` is derived: exports and merges do not carry it as data.
ATTENDEE_COUNT_TRIGGERS = ("attendance_count_insert", "attendance_count_delete",
                           "attendance_count_update")
_V4 = """
ALTER TABLE activities ADD COLUMN attendees INTEGER NOT NULL DEFAULT 0;
UPDATE activities SET attendees = (SELECT count(*) FROM attendance t
    WHERE t.activity_id = activities.id AND t.deleted_at IS NULL);
CREATE TRIGGER attendance_count_insert AFTER INSERT ON attendance
    WHEN NEW.deleted_at IS NULL
BEGIN
    UPDATE activities SET attendees = attendees + 1 WHERE id = NEW.activity_id;
END;
CREATE TRIGGER attendance_count_delete AFTER DELETE ON attendance
    WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE activities SET attendees = attendees - 1 WHERE id = OLD.activity_id;
END;
CREATE TRIGGER attendance_count_update AFTER UPDATE OF deleted_at, activity_id ON attendance
BEGIN
    UPDATE activities SET attendees = attendees - 1
        WHERE id = OLD.activity_id AND OLD.deleted_at IS NULL;
    UPDATE activities SET attendees = attendees + 1
        WHERE id = NEW.activity_id AND NEW.deleted_at IS NULL;
END;
CREATE INDEX activities_list_start ON activities(deleted_at, start_date);
CREATE INDEX activities_list_kind ON activities(deleted_at, kind, start_date);
CREATE INDEX activities_list_status ON activities(deleted_at, status, start_date);
CREATE INDEX activities_list_title ON activities(deleted_at, title, kind, status, start_date);
CREATE INDEX activities_list_place ON activities(deleted_at, place, kind, status, start_date);
CREATE INDEX activities_list_participants ON activities(deleted_at,
    (CASE WHEN attendees > 0 THEN attendees ELSE coalesce(participants_count, 0) END),
    kind, status, start_date);
CREATE INDEX attendance_activity_live ON attendance(activity_id, deleted_at, person_id);
CREATE INDEX persons_updated ON persons(updated_at);
CREATE INDEX recommendations_updated ON recommendations(updated_at);
CREATE INDEX coverage_updated ON coverage_items(updated_at);
"""


# The outbox: every official letter the unit sends, with its number in the year's
# sequence and a fingerprint of the file that went out.
_V5 = """
CREATE TABLE letters (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    year INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number > 0),
    date TEXT NOT NULL,
    addressee TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    enclosures TEXT NOT NULL DEFAULT '[]',
    copies TEXT NOT NULL DEFAULT '[]',
    file_name TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_id, year, number)
);
CREATE INDEX letters_date ON letters(date);
"""


# Certificates: the person's name as it was when the certificate was last signed (so a
# later edit of the person, not of anything else, carries into a reprint); the highest
# serial number each unit and year has given (purging a certificate must not free its
# number); and every earlier signed state of a certificate (name corrections, changed
# activities), which verification and the register can show.
_V6 = """
ALTER TABLE certificates ADD COLUMN person_name TEXT NOT NULL DEFAULT '';
-- The person's name when last signed. A person edited after the certificate (the old
-- rule for carrying a new name into a reprint) gets the certificate's name, so the next
-- reprint still carries theirs; otherwise the person's own name, so a name corrected on
-- the certificate alone stays.
UPDATE certificates SET person_name = coalesce((
    SELECT CASE WHEN p.updated_at > certificates.updated_at THEN certificates.holder_name
                ELSE p.full_name END
    FROM persons p WHERE p.id = certificates.person_id), holder_name);
CREATE TABLE certificate_serials (
    unit_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL CHECK (last >= 0),
    PRIMARY KEY (unit_id, year)
);
CREATE TABLE certificate_revisions (
    certificate_id TEXT NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    holder_name TEXT NOT NULL,
    signature TEXT NOT NULL,
    reason TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    PRIMARY KEY (certificate_id, revision)
);
"""


def _statements(script: str) -> list[str]:
    """A script as single statements, to run inside one transaction (``executescript``
    would commit on its own). Trigger bodies hold semicolons, so split where SQLite says
    a statement is complete."""
    statements, current = [], ""
    for line in script.strip().splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


# A random UUID (version 4) as text, the form models.records.new_id gives
# (str(uuid.uuid4())): 8-4-4-4-12 lower-case hex digits, "4" leading the third group and
# one of 8, 9, a, b leading the fourth. ``random() & 3`` is never negative.
_SQL_NEW_ID = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || "
    "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)
# The time now, as models.records.now writes it: UTC, ISO 8601, to the millisecond.
_SQL_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in _V1.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(
        "INSERT INTO units (id, created_at, updated_at, default_addressee) "
        "SELECT id, stamp, stamp, 'مركز المعلومات الموحد' "
        f"FROM (SELECT {_SQL_NEW_ID} AS id, {_SQL_NOW} AS stamp)")
    conn.execute("INSERT INTO settings (key, value) SELECT 'local_unit_id', id FROM units")


def _v2(conn: sqlite3.Connection) -> None:
    # The index is derived data: rebuild_derived fills it after the last step.
    for statement in _V2.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _v3(conn: sqlite3.Connection) -> None:
    # The keys are derived data: rebuild_derived fills them after the last step.
    for statement in _V3.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _v4(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V4):
        conn.execute(statement)


def count_trigger_sql(conn: sqlite3.Connection) -> list[str]:
    """The CREATE statements of the attendee-count triggers, as the file holds them."""
    names = ", ".join("?" * len(ATTENDEE_COUNT_TRIGGERS))
    return [row[0] for row in conn.execute(
        f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})",
        ATTENDEE_COUNT_TRIGGERS)]


def recount_attendees(conn: sqlite3.Connection) -> None:
    """Set every activity's kept attendee count from its attendance rows."""
    conn.execute("UPDATE activities SET attendees = (SELECT count(*) FROM attendance t "
                 "WHERE t.activity_id = activities.id AND t.deleted_at IS NULL)")


def _v5(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V5):
        conn.execute(statement)


def _v6(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V6):
        conn.execute(statement)
    pattern = re.compile(r"-(\d{4})-(\d+)$")
    last: dict[tuple[str, int], int] = {}
    for unit_id, serial in conn.execute("SELECT unit_id, serial FROM certificates"):
        if match := pattern.search(serial):
            key = (unit_id, int(match.group(1)))
            last[key] = max(last.get(key, 0), int(match.group(2)))
    conn.executemany("INSERT INTO certificate_serials (unit_id, year, last) VALUES (?, ?, ?)",
                     [(unit, year, n) for (unit, year), n in last.items()])
    # Serial prefixes became Latin-only (a code read alike on paper and screen): a prefix
    # that is not would stop the unit's settings from saving. Numbers go on regardless.
    for unit_id, prefix in conn.execute("SELECT id, certificate_prefix FROM units").fetchall():
        if prefix and not re.fullmatch(r"[A-Za-z0-9-]+", prefix):
            conn.execute("UPDATE units SET certificate_prefix = '' WHERE id = ?", (unit_id,))


# Records get tables of their own, where foreign keys hold them: files being written (a
# draft renamed onto its target once its transaction commits), each activity's
# certificate style (gone with the activity; before, a settings row outlived it) and the
# units' public signing keys (before, one settings row held them all as a JSON list).
_V7 = """
CREATE TABLE pending_files (
    id INTEGER PRIMARY KEY,
    draft TEXT NOT NULL,        -- absolute path of a written, fsynced draft file
    target TEXT NOT NULL,       -- absolute path it is renamed to once its transaction commits
    created_at TEXT NOT NULL
);
CREATE TABLE certificate_styles (
    activity_id TEXT PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    style TEXT NOT NULL,        -- the style's JSON, exactly as the settings row
                                -- 'certificate_style:<activity id>' held it
    updated_at TEXT NOT NULL
);
CREATE TABLE signing_keys (
    id TEXT PRIMARY KEY,        -- sha256(raw public key).hexdigest()[:16]
    unit_id TEXT NOT NULL REFERENCES units(id),
    public_key BLOB NOT NULL,   -- the 32 raw bytes of the Ed25519 public key
    created_at TEXT NOT NULL,
    replaced_at TEXT            -- NULL while the unit signs with it
);
"""
# The settings rows v7 moves, as v6 wrote them: 'certificate_style:<activity id>' holds a
# style's JSON; 'certificate_public_keys' a JSON list of {id, unit_id, public_key (base64
# of the 32 raw bytes), created_at, replaced_at}.
_V7_STYLE_PREFIX = "certificate_style:"
_V7_KEYS_SETTING = "certificate_public_keys"
# An empty value meant "no style of its own"; a style of an activity that no longer
# exists has nothing to dress. The time a style was saved was never kept: it gets the
# time of the move.
_V7_MOVE_STYLES = f"""
INSERT INTO certificate_styles (activity_id, style, updated_at)
SELECT a.id, s.value, {_SQL_NOW}
FROM settings s JOIN activities a ON a.id = substr(s.key, {len(_V7_STYLE_PREFIX) + 1})
WHERE substr(s.key, 1, {len(_V7_STYLE_PREFIX)}) = '{_V7_STYLE_PREFIX}' AND s.value != ''
"""


def _v7_keys(conn: sqlite3.Connection) -> list[tuple[str, str, bytes, str, str | None]]:
    """The signing_keys rows for the key list v6 kept in settings, oldest first. Entries
    that v6's code could not read either (no valid 32-byte key) are left out; a key of a
    unit this file does not hold is the local unit's (only the local unit ever signed)."""
    import hashlib  # this old file's upgrade only: not loaded on every start
    import json

    row = conn.execute("SELECT value FROM settings WHERE key = ?",
                       (_V7_KEYS_SETTING,)).fetchone()
    try:
        entries = json.loads(row[0]) if row and row[0] else []
    except ValueError:
        entries = []
    if not isinstance(entries, list):
        return []
    units = {unit_id for (unit_id,) in conn.execute("SELECT id FROM units")}
    local = conn.execute(
        "SELECT value FROM settings WHERE key = 'local_unit_id'").fetchone()
    stamp = conn.execute(f"SELECT {_SQL_NOW}").fetchone()[0]
    rows = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("public_key"), str):
            continue
        try:
            raw = base64.b64decode(entry["public_key"], validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(raw) != 32:
            continue
        unit_id = entry.get("unit_id")
        if unit_id not in units:
            unit_id = local[0] if local and local[0] in units else None
        if unit_id is None:
            continue
        created = entry.get("created_at")
        replaced = entry.get("replaced_at")
        rows.append((hashlib.sha256(raw).hexdigest()[:16], unit_id, raw,
                     created if isinstance(created, str) and created else stamp,
                     replaced if isinstance(replaced, str) and replaced else None))
    return rows


def _v7(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V7):
        conn.execute(statement)
    conn.execute(_V7_MOVE_STYLES)
    conn.execute("DELETE FROM settings WHERE substr(key, 1, ?) = ?",
                 (len(_V7_STYLE_PREFIX), _V7_STYLE_PREFIX))
    # The same key listed twice (a restore merging lists) is kept once, as first listed.
    conn.executemany("INSERT OR IGNORE INTO signing_keys (id, unit_id, public_key, "
                     "created_at, replaced_at) VALUES (?, ?, ?, ?, ?)", _v7_keys(conn))
    conn.execute("DELETE FROM settings WHERE key = ?", (_V7_KEYS_SETTING,))


# The state a unit's documents open with («جمهورية العراق»): a setting, so that a unit of
# another state (or a region) prints its own; an empty value prints no state line.
_V8 = """
ALTER TABLE units ADD COLUMN state TEXT NOT NULL DEFAULT 'جمهورية العراق';
"""


def _v8(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V8):
        conn.execute(statement)


# Compound names written joined or apart (عبد الله / عبدالله, نور الدين / نورالدين) became
# one in the persons' name keys and in the search words: every stored key and the whole
# index are stale. The step itself changes nothing (a migration never runs today's rules);
# its being the last step makes rebuild_derived recompute both, in its transaction.
def _v9(conn: sqlite3.Connection) -> None:
    del conn


# Recommendations are followed up: each dated note of what came of one (and the status it
# was given then, '' when the note left it as it was) is a row of its own, so that the
# history is kept rather than overwritten. The free-text ``follow_up`` each recommendation
# had becomes its first note, dated the day the recommendation was last changed (the
# only date it ever had); the column stays, untouched, so the upgrade loses nothing.
_V10 = f"""
CREATE TABLE recommendation_notes ({_COMMON},
    recommendation_id TEXT NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    note TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recommendation_notes_recommendation
    ON recommendation_notes(recommendation_id, date);
CREATE INDEX recommendations_due ON recommendations(deleted_at, status, due_date);
INSERT INTO recommendation_notes (id, unit_id, created_at, updated_at, deleted_at,
    recommendation_id, date, note, status)
SELECT {_SQL_NEW_ID}, unit_id, updated_at, updated_at, deleted_at, id,
    substr(updated_at, 1, 10), follow_up, ''
FROM recommendations WHERE trim(follow_up) != '' ORDER BY rowid;
"""


def _v10(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V10):
        conn.execute(statement)


# The plan item's full OASIS shape (key message, tactic, partners, and which measure of
# success it is judged by with its target), the reach of a coverage item when known, and
# a directory of outlets with their medium, level and web domain. The directory starts
# with every outlet stored coverage names, with the medium and level it was most often
# given (ties: the first in the medium's and level's own order), and the domain of its
# most frequent link.
_V11 = f"""
ALTER TABLE plan_items ADD COLUMN key_message TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_items ADD COLUMN tactic TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_items ADD COLUMN partners TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_items ADD COLUMN measure_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_items ADD COLUMN measure_target TEXT NOT NULL DEFAULT '';
ALTER TABLE coverage_items ADD COLUMN reach INTEGER;
CREATE TABLE outlets ({_COMMON},
    name TEXT NOT NULL,
    medium TEXT NOT NULL DEFAULT 'website',
    level TEXT NOT NULL DEFAULT 'local',
    domain TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outlets_name ON outlets(deleted_at, name);
CREATE INDEX outlets_domain ON outlets(domain) WHERE domain != '';
"""

_V11_MEDIUM_ORDER = ("tv", "radio", "press", "news_agency", "website", "facebook", "x",
                     "instagram", "telegram", "youtube", "other")
_V11_LEVEL_ORDER = ("local", "regional", "international")


def _v11_domain(link: str) -> str:
    """The host of a link without ``www.``, lower case ('' for no host)."""
    match = re.match(r"^\s*(?:[a-z][a-z0-9+.-]*://)?([^/?#:\s]+)", link.lower())
    host = match.group(1) if match else ""
    return host[4:] if host.startswith("www.") else host


def _v11(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V11):
        conn.execute(statement)
    groups: dict[tuple[str, str], dict[str, object]] = {}
    rows = conn.execute(
        "SELECT unit_id, trim(outlet), medium, level, link, min(created_at) "
        "FROM coverage_items WHERE deleted_at IS NULL AND trim(outlet) != '' "
        "GROUP BY unit_id, trim(outlet), medium, level, link ORDER BY min(rowid)")
    for unit_id, name, medium, level, link, created in rows:
        group = groups.setdefault((unit_id, name.casefold()), {
            "unit_id": unit_id, "name": name, "created": created,
            "medium": {}, "level": {}, "domain": {}})
        for key, value in (("medium", medium), ("level", level),
                           ("domain", _v11_domain(link or ""))):
            counts = group[key]
            assert isinstance(counts, dict)
            if value:
                counts[value] = counts.get(value, 0) + 1

    def most(counts: dict[str, int], order: tuple[str, ...]) -> str:
        ranked = sorted(counts, key=lambda v: (-counts[v],
                                               order.index(v) if v in order else len(order), v))
        return ranked[0] if ranked else ""

    for group in groups.values():
        conn.execute(
            f"INSERT INTO outlets (id, unit_id, created_at, updated_at, name, medium, level, "
            f"domain) VALUES ({_SQL_NEW_ID}, ?, ?, ?, ?, ?, ?, ?)",
            (group["unit_id"], group["created"], group["created"], group["name"],
             most(group["medium"], _V11_MEDIUM_ORDER) or "website",  # type: ignore[arg-type]
             most(group["level"], _V11_LEVEL_ORDER) or "local",  # type: ignore[arg-type]
             most(group["domain"], ())))  # type: ignore[arg-type]


# Sending up the chain. Every record a unit owns carries a row version, raised by a
# trigger whenever the record is saved (an UPDATE that sets updated_at, even to the same
# millisecond as the save before) unless the writer set the version itself (a merge at the
# ministry keeps the sender's): a newer version replaces an older one, two different
# records of one version are a conflict. Activities and plans are approved (by whom, when)
# and sent (when, at which version: a later version is a change since it was sent).
# ``bundles`` logs every data bundle sent or received, ``bundle_conflicts`` keeps the
# other side of a conflict for a person to resolve.
_V12_TABLES = ("activities", "persons", "attendance", "recommendations",
               "recommendation_notes", "plans", "plan_items", "coverage_items",
               "attachments", "certificates", "outlets")
_V12 = """
ALTER TABLE activities ADD COLUMN approved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN approved_at TEXT;
ALTER TABLE activities ADD COLUMN sent_at TEXT;
ALTER TABLE activities ADD COLUMN sent_version INTEGER;
ALTER TABLE plans ADD COLUMN approved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN approved_at TEXT;
ALTER TABLE plans ADD COLUMN sent_at TEXT;
ALTER TABLE plans ADD COLUMN sent_version INTEGER;
CREATE TABLE bundles (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL,          -- the unit that made the bundle
    direction TEXT NOT NULL,        -- 'out' (made here) or 'in' (imported here)
    created_at TEXT NOT NULL,       -- when it was made (from its manifest for 'in')
    logged_at TEXT NOT NULL,        -- when this database logged it
    file_name TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,           -- of the whole file
    full INTEGER NOT NULL DEFAULT 0,
    period_start TEXT,
    period_end TEXT,
    counts TEXT NOT NULL DEFAULT '{}',   -- JSON {table: rows}
    key_id TEXT NOT NULL DEFAULT '',
    UNIQUE (direction, sha256)
);
CREATE INDEX bundles_logged ON bundles(direction, logged_at);
CREATE TABLE bundle_conflicts (
    id INTEGER PRIMARY KEY,
    table_name TEXT NOT NULL,
    record_id TEXT NOT NULL,
    row_version INTEGER NOT NULL,
    unit_id TEXT NOT NULL,          -- the record's origin unit
    payload TEXT NOT NULL,          -- the other record, as JSON of its columns
    bundle_sha256 TEXT NOT NULL,
    received_at TEXT NOT NULL,
    resolved_at TEXT,
    UNIQUE (table_name, record_id, row_version, payload)
);
"""


def _v12(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V12):
        conn.execute(statement)
    for table in _V12_TABLES:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1")
        conn.execute(
            f"CREATE TRIGGER {table}_row_version AFTER UPDATE OF updated_at ON {table} "
            f"WHEN NEW.row_version = OLD.row_version "
            f"BEGIN UPDATE {table} SET row_version = OLD.row_version + 1 "
            f"WHERE rowid = NEW.rowid; END")
        conn.execute(f"CREATE INDEX {table}_updated_version ON {table}(updated_at, row_version)")


# The dashboard's two costly figures, answered from indexes (it is the first page, its
# figures are on the first frame): the activities waiting for approval are the drafts
# (activities_list_status) and the sent ones edited since, found by this index's second
# column, a handful, instead of a scan of every sent activity (an expression, not a partial
# index: an empty partial index has no statistics, and SQLite 3.40's PRAGMA optimize then
# analyses the table at every close); and this month's persons go from the month's
# activities to their lists, the activity's id now in the start-date index so that no
# activity row is read on the way.
CHANGED_SINCE_SENT = ("status = 'sent' AND sent_at IS NOT NULL "
                      "AND row_version > coalesce(sent_version, 0)")
_V13 = f"""
CREATE INDEX activities_changed_since_sent ON activities(deleted_at, ({CHANGED_SINCE_SENT}));
DROP INDEX activities_list_start;
CREATE INDEX activities_list_start ON activities(deleted_at, start_date, id);
"""


def _v13(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V13):
        conn.execute(statement)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10, _v11, _v12, _v13)
SCHEMA_VERSION = len(MIGRATIONS)


def rebuild_derived(conn: sqlite3.Connection) -> None:
    """Recompute, with today's code, everything derived from the records: the columns
    each record type computes from its fields (``Record.derived``: a person's name and
    phone keys), the activities' attendee counts and the search index.

    Called once after the last migration step (in its transaction), on a file at
    :data:`SCHEMA_VERSION`: today's rules apply to today's schema only. Rows already
    right are not rewritten.
    """
    # Imported here: they import records, which must not import schema at load time.
    from models import records, search, store

    for record_type in records.RECORD_TYPES:
        if record_type.derived is records.Record.derived:
            continue
        cur = conn.execute(f"SELECT * FROM {record_type.table}")
        names = [d[0] for d in cur.description]
        changed: list[dict[str, object]] = []
        for row in cur.fetchall():
            values = dict(zip(names, row, strict=True))
            keys = store.from_row(record_type, values).derived()
            if any(values.get(column) != value for column, value in keys.items()):
                changed.append({**keys, "id": values["id"]})
        if changed:
            columns = ", ".join(f"{column} = :{column}" for column in changed[0]
                                if column != "id")
            conn.executemany(f"UPDATE {record_type.table} SET {columns} WHERE id = :id",
                             changed)
    counted = ("(SELECT count(*) FROM attendance t "
               "WHERE t.activity_id = activities.id AND t.deleted_at IS NULL)")
    conn.execute(f"UPDATE activities SET attendees = {counted} WHERE attendees != {counted}")
    search.rebuild(conn)
