"""The demo data generator: deterministic, valid, indexed, in the shape the brief asks for."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest

from demo import generator as demo
from models import arabic, records, search, store, vocab
from models.db import Database
from models.errors import IttisalError

N = 300
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
TABLES = ("activities", "persons", "attendance", "recommendations", "recommendation_notes",
          "coverage_items", "plans", "plan_items")
TYPES = {t.table: t for t in records.RECORD_TYPES}


def _open(path: Path) -> Database:
    return Database.open(path, create=True)


@pytest.fixture
def demo_db(tmp_path: Path):
    db = _open(tmp_path / "t.sqlite3")
    summary = demo.generate(db, activities=N, seed=1)
    yield db, summary
    db.close()


def _table(db: Database, table: str) -> list[tuple]:
    """Every row but the unit id (each new file gets its own), in id order."""
    cur = db.execute(f"SELECT * FROM {table} ORDER BY id")
    names = [d[0] for d in cur.description]
    return [tuple(v for n, v in zip(names, row, strict=True) if n != "unit_id") for row in cur]


def _text_values(db: Database) -> list[str]:
    values = []
    for table in (*TABLES, "units", "search_docs"):
        for row in db.execute(f"SELECT * FROM {table}"):
            values.extend(v for v in row if isinstance(v, str))
    return values


# --- determinism -----------------------------------------------------------------------

def test_same_seed_gives_the_same_data(tmp_path: Path):
    first, second = _open(tmp_path / "a" / "t.sqlite3"), _open(tmp_path / "b" / "t.sqlite3")
    try:
        demo.generate(first, activities=N, seed=3)
        demo.generate(second, activities=N, seed=3)
        for table in TABLES:
            assert _table(first, table) == _table(second, table), table
    finally:
        first.close()
        second.close()


def test_another_seed_gives_other_data(tmp_path: Path):
    first, second = _open(tmp_path / "a" / "t.sqlite3"), _open(tmp_path / "b" / "t.sqlite3")
    try:
        demo.generate(first, activities=N, seed=1)
        demo.generate(second, activities=N, seed=2)
        assert _table(first, "activities") != _table(second, "activities")
        assert _table(first, "persons") != _table(second, "persons")
    finally:
        first.close()
        second.close()


def test_ids_are_the_rngs_version_4_uuids():
    import random

    gen = demo._Generator(random.Random(9), "unit")
    rng = random.Random(9)
    rng.choice(demo.W.IDENTITIES)  # the generator's first draw
    for _ in range(1000):
        assert gen.new_id() == str(uuid.UUID(int=rng.getrandbits(128), version=4))


# --- counts and shape ------------------------------------------------------------------

def test_counts_match_the_summary_and_the_brief(demo_db):
    db, summary = demo_db
    assert summary.activities == N == store.count(db, records.Activity)
    assert summary.persons == N // 2 + 50 == store.count(db, records.Person)
    for table, counted in (("attendance", summary.attendance),
                           ("recommendations", summary.recommendations),
                           ("recommendation_notes", summary.recommendation_notes),
                           ("coverage_items", summary.coverage_items),
                           ("plans", summary.plans), ("plan_items", summary.plan_items)):
        assert db.scalar(f"SELECT count(*) FROM {table}") == counted, table
    assert 5 <= summary.attendance / N <= 15
    assert 0.3 <= summary.coverage_items / N <= 0.8
    assert summary.plans == 12  # two years, one plan per two months
    assert 4 * summary.plans <= summary.plan_items <= 8 * summary.plans
    assert summary.seconds > 0
    assert db.scalar("SELECT count(*) FROM certificates") == 0
    assert db.scalar("SELECT count(*) FROM attachments") == 0


def test_activities_look_like_the_units_work(demo_db):
    db, _ = demo_db
    kinds = dict(db.execute("SELECT kind, count(*) FROM activities GROUP BY kind").fetchall())
    assert set(kinds) <= set(vocab.ACTIVITY_KINDS)
    top = sorted(kinds, key=kinds.get, reverse=True)[:3]
    assert set(top) == {"workshop", "meeting", "course"}
    assert db.scalar("SELECT min(start_date) FROM activities") >= "2025-01-01"
    assert db.scalar("SELECT max(start_date) FROM activities") >= "2026-11-01"
    assert db.scalar("SELECT count(*) FROM activities WHERE end_date > start_date") > 0
    assert db.scalar("SELECT count(*) FROM activities WHERE title LIKE 'ورشة عمل%'") > 0
    assert db.scalar("SELECT count(DISTINCT title) FROM activities") > N // 2
    # Some have a typed count and no attendance list.
    assert db.scalar("SELECT count(*) FROM activities a WHERE participants_count > 0 AND NOT "
                     "EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = a.id)") > 0
    # Past ones are mostly approved or sent, future ones drafts.
    assert db.scalar("SELECT count(*) FROM activities WHERE start_date > ? AND "
                     "status != 'draft'", (demo.AS_OF.isoformat(),)) == 0
    past = dict(db.execute("SELECT status, count(*) FROM activities WHERE start_date < "
                           "'2026-10-01' GROUP BY status").fetchall())
    assert past.get("draft", 0) < (past.get("approved", 0) + past.get("sent", 0)) / 5
    # Recommendations only at workshops, courses, conferences and seminars; at most four.
    assert {r[0] for r in db.execute(
        "SELECT DISTINCT a.kind FROM recommendations r JOIN activities a "
        "ON a.id = r.activity_id")} <= {"workshop", "course", "conference", "seminar"}
    assert db.scalar("SELECT max(n) FROM (SELECT count(*) n FROM recommendations "
                     "GROUP BY activity_id)") <= 4


def test_attendance_is_distinct_and_days_fall_within_the_activity(demo_db):
    db, _ = demo_db
    sizes = [n for (n,) in db.execute("SELECT count(*) FROM attendance GROUP BY activity_id")]
    assert min(sizes) >= 3 and max(sizes) <= 25
    rows = db.execute(
        "SELECT t.days, julianday(coalesce(a.end_date, a.start_date)) - "
        "julianday(a.start_date) + 1 FROM attendance t JOIN activities a "
        "ON a.id = t.activity_id").fetchall()
    for days_text, length in rows:
        days = json.loads(days_text)
        assert days == sorted(set(days))
        assert all(1 <= day <= length for day in days)


def test_persons_have_consistent_gender_and_iraqi_phones(demo_db):
    db, _ = demo_db
    people = db.rows("SELECT full_name, gender, phone, email FROM persons")
    for person in people:
        assert arabic.guess_gender(person["full_name"]) == person["gender"], person
        assert 3 <= len(person["full_name"].split()) <= 7
        assert person["phone"] == "" or re.fullmatch(r"07[5-9][0-9]{8}", person["phone"])
    assert sum(p["gender"] == "f" for p in people) > len(people) // 5
    assert any(p["email"] for p in people)


def test_plans_use_media_keys_and_cover_two_months(demo_db):
    db, _ = demo_db
    for row in db.rows("SELECT channels FROM plan_items"):
        channels = json.loads(row["channels"])
        assert channels and set(channels) <= set(vocab.MEDIA)
    for row in db.rows("SELECT period_start, period_end FROM plans"):
        assert row["period_start"].endswith("-01")
        assert row["period_start"] < row["period_end"]


def test_local_unit_gets_an_identity(demo_db):
    db, _ = demo_db
    unit = store.get(db, records.Unit, db.local_unit_id)
    assert unit.ministry.startswith("وزارة")
    assert "كربلاء" in unit.directorate
    assert unit.city == "كربلاء"
    assert unit.head_name and unit.coordinator_name and unit.certificate_prefix


def test_an_entered_identity_is_kept(tmp_path: Path):
    db = _open(tmp_path / "t.sqlite3")
    try:
        db.execute("UPDATE units SET name = 'وحدة الاتصال الحكومي' WHERE id = ?",
                   (db.local_unit_id,))
        demo.generate(db, activities=20, seed=1)
        unit = store.get(db, records.Unit, db.local_unit_id)
        assert (unit.name, unit.ministry) == ("وحدة الاتصال الحكومي", "")
    finally:
        db.close()


# --- validity --------------------------------------------------------------------------

@pytest.mark.parametrize("table", TABLES)
def test_sample_of_records_passes_validation(demo_db, table):
    db, _ = demo_db
    record_type = TYPES[table]
    rows = db.rows(f"SELECT * FROM {table} WHERE rowid % 3 = 0")
    assert rows
    for row in rows:
        record = store.from_row(record_type, row)
        assert records.problems(record) == [], (table, row)
        # Stored as the app itself would store what a user typed.
        assert records.clean(record) == record, (table, row)
        assert record.unit_id == db.local_unit_id
        assert record.deleted_at is None
        assert STAMP.match(record.created_at) and STAMP.match(record.updated_at)
        assert record.created_at <= record.updated_at
        uuid.UUID(record.id)
        assert store.to_row(record) == {k: v for k, v in row.items()
                                         if k in store.to_row(record)}


def _schema(db: Database) -> list[tuple]:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                      "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()


def test_constraints_hold(demo_db):
    db, _ = demo_db
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_indexes_triggers_and_cache_are_all_back(demo_db, tmp_path: Path):
    """The bulk load drops secondary indexes and the attendee-count triggers and enlarges
    the page cache, for speed; afterwards the file is as the migrations made it."""
    db, _ = demo_db
    fresh = _open(tmp_path / "fresh" / "t.sqlite3")
    try:
        assert _schema(db) == _schema(fresh)
        assert db.scalar("PRAGMA cache_size") == fresh.scalar("PRAGMA cache_size")
    finally:
        fresh.close()


def test_attendee_counts_match_the_attendance(demo_db):
    db, _ = demo_db
    wrong = db.scalar("SELECT count(*) FROM activities a WHERE attendees != (SELECT count(*) "
                      "FROM attendance t WHERE t.activity_id = a.id AND t.deleted_at IS NULL)")
    assert wrong == 0
    assert db.scalar("SELECT sum(attendees) FROM activities") == db.scalar(
        "SELECT count(*) FROM attendance")
    # The triggers count again after the load.
    statement = store.find(db, records.Activity, "kind = 'press_release'")[0]
    person = store.find(db, records.Person)[0]
    store.insert(db, records.Attendance(activity_id=statement.id, person_id=person.id,
                                        days=[1]))
    assert db.scalar("SELECT attendees FROM activities WHERE id = ?", (statement.id,)) == 1


def test_no_presentation_forms_anywhere(demo_db):
    db, _ = demo_db
    assert [v for v in _text_values(db) if PRESENTATION_FORMS.search(v)] == []


def test_a_seed_cannot_be_added_twice(tmp_path: Path):
    db = _open(tmp_path / "t.sqlite3")
    try:
        demo.generate(db, activities=30, seed=5)
        before = db.scalar("SELECT count(*) FROM activities")
        with pytest.raises(IttisalError, match="--seed 6"):
            demo.generate(db, activities=30, seed=5)
        assert db.scalar("SELECT count(*) FROM activities") == before
        demo.generate(db, activities=30, seed=6)  # another seed adds to it
        assert db.scalar("SELECT count(*) FROM activities") == before + 30
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()


def test_progress_is_reported_per_chunk(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK", 40)
    calls: list[tuple[int, int]] = []
    db = _open(tmp_path / "t.sqlite3")
    try:
        demo.generate(db, activities=100, seed=1, progress=lambda d, t: calls.append((d, t)))
    finally:
        db.close()
    assert calls == [(40, 100), (80, 100), (100, 100)]


# --- search ----------------------------------------------------------------------------

def test_search_finds_activities(demo_db):
    db, _ = demo_db
    hits = search.search(db.conn, "ورشة")
    assert hits and all(isinstance(h, search.Hit) for h in hits)
    assert "activity" in {h.type for h in hits}
    assert search.search(db.conn, "كربلاء")


def test_index_equals_a_plain_rebuild(demo_db):
    """The demo rebuilds with the search words of each piece of text remembered
    (arabic.IndexWordsCache, given to search.rebuild); the index must not differ."""
    db, _ = demo_db
    query = ("SELECT type, ref_id, title, date, subtype, status, title_words, body_words "
             "FROM search_docs ORDER BY ref_id")
    built = db.execute(query).fetchall()
    with db.atomic():
        search.rebuild(db.conn)
    assert db.execute(query).fetchall() == built
    searchable = sum(db.scalar(f"SELECT count(*) FROM {t}") for t in
                     ("activities", "persons", "recommendations", "coverage_items"))
    assert len(built) == searchable


def test_a_larger_run_of_a_seed_already_used_adds_nothing(tmp_path: Path, monkeypatch):
    """A small run of seed 1, then a larger one of the same seed into the same file: its
    persons are sorted, so the earlier ones collide in a later step. It must be refused
    before the first step commits, with the seed message, not add half its persons."""
    db = _open(tmp_path / "t.sqlite3")
    try:
        demo.generate(db, activities=10, seed=1)
        before = [db.scalar(f"SELECT count(*) FROM {table}")
                  for table in ("persons", "activities", "search_docs")]
        monkeypatch.setattr(demo, "COMMIT_ROWS", 20)  # steps as small as a big run's
        with pytest.raises(IttisalError, match="--seed 2"):
            demo.generate(db, activities=2_000, seed=1)
        assert [db.scalar(f"SELECT count(*) FROM {table}")
                for table in ("persons", "activities", "search_docs")] == before
    finally:
        db.close()


# --- recommendations followed up (issue 12) ----------------------------------------------

def _histories(db: Database) -> dict[str, list[tuple[str, str, str]]]:
    histories: dict[str, list[tuple[str, str, str]]] = {}
    for rid, date, note, status in db.execute(
            "SELECT recommendation_id, date, note, status FROM recommendation_notes "
            "ORDER BY recommendation_id, date, created_at, rowid"):
        histories.setdefault(rid, []).append((date, note, status))
    return histories


def test_recommendations_have_a_dated_history_that_leads_to_their_status(demo_db):
    db, _ = demo_db
    histories = _histories(db)
    recs = db.execute(
        "SELECT r.id, r.status, r.follow_up, r.updated_at, a.end_date, a.start_date "
        "FROM recommendations r JOIN activities a ON a.id = r.activity_id").fetchall()
    assert recs and set(histories) == {r[0] for r in recs}  # every one has notes
    seen_statuses = set()
    for rid, status, follow_up, updated, end, start in recs:
        history = histories[rid]
        assert 1 <= len(history) <= 3
        dates = [d for d, _n, _s in history]
        # Distinct days, oldest first, after the activity and by the demo's today.
        assert dates == sorted(set(dates))
        assert (end or start) < dates[0] and dates[-1] <= demo.AS_OF.isoformat()
        assert all(note.strip() and "{" not in note for _d, note, _s in history)
        changes = [s for _d, _n, s in history if s]
        # The recommendation stands where its last status-giving note left it.
        assert (changes[-1] if changes else "raised") == status, history
        if status in ("done", "rejected") and len(history) > 1:
            assert changes[-2:] == ["in_progress", status]
        assert follow_up == ""  # the history is in the notes, not the old free text
        assert updated[:10] == dates[-1]
        seen_statuses.add(status)
    assert seen_statuses == set(vocab.RECOMMENDATION_STATUSES)
    assert {len(h) for h in histories.values()} == {1, 2, 3}


def test_the_page_shows_the_last_note_and_search_finds_a_notes_words(demo_db):
    from models import recommendations

    db, _ = demo_db
    histories = _histories(db)
    rows = recommendations.list_recommendations(db, today=demo.AS_OF)
    assert rows
    for row in rows:
        assert (row.last_note_date, row.last_note) == histories[row.id][-1][:2]
    hits = search.search(db.conn, "هاتفياً", limit=10_000,
                         where=search.SearchFilter(types=("recommendation",)))
    chased = {rid for rid, h in histories.items()
              if any("هاتفياً" in note for _d, note, _s in h)}
    assert chased and {h.id for h in hits} == chased


def test_notes_are_indexed_when_the_demo_goes_into_a_file_in_use(tmp_path: Path):
    db = _open(tmp_path / "t.sqlite3")
    try:
        store.insert(db, records.Person(full_name="علي حسين كاظم"))  # a file in use
        demo.generate(db, activities=60, seed=4)
        assert db.scalar("SELECT count(*) FROM recommendation_notes") > 0
        query = ("SELECT type, ref_id, title_words, body_words FROM search_docs "
                 "ORDER BY ref_id")
        built = db.execute(query).fetchall()
        with db.atomic():
            search.rebuild(db.conn)
        assert db.execute(query).fetchall() == built
    finally:
        db.close()


# --- outside the data core (issue 11) ---------------------------------------------------

def test_the_generator_lives_outside_the_data_core():
    root = Path(__file__).resolve().parent.parent
    assert not (root / "models" / "demo.py").exists()
    assert not (root / "models" / "demo_words.py").exists()
    assert demo.__name__ == "demo.generator" and demo.W.__name__ == "demo.words"


@pytest.mark.parametrize("in_use", [False, True])
def test_the_demo_gives_search_its_words_and_never_swaps_them(tmp_path: Path, monkeypatch,
                                                              in_use):
    """The faster words go to search as an argument: the search module's own function
    stays in place all along (another thread, such as the app's, may be indexing)."""
    seen: list[tuple[bool, str]] = []
    rebuild, index_row = search.rebuild, search.index_row

    def spy_rebuild(conn, **kwargs):
        seen.append((search.index_words is arabic.index_words,
                     type(kwargs.get("words")).__name__))
        return rebuild(conn, **kwargs)

    def spy_index_row(conn, doc_type, row, **kwargs):
        seen.append((search.index_words is arabic.index_words,
                     type(kwargs.get("words")).__name__))
        return index_row(conn, doc_type, row, **kwargs)

    db = _open(tmp_path / "t.sqlite3")
    try:
        if in_use:
            store.insert(db, records.Person(full_name="زينب علي حسين الأسدي"))
        monkeypatch.setattr(search, "rebuild", spy_rebuild)
        monkeypatch.setattr(search, "index_row", spy_index_row)
        demo.generate(db, activities=5, seed=1)
        assert db.scalar("SELECT count(*) FROM search_docs") > 5
    finally:
        db.close()
    assert seen and set(seen) == {(True, "IndexWordsCache")}
