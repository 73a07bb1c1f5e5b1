"""A merged bundle leaves the centre's derived columns, attendee counts and search index as
a full rebuild would (models.bundle_merge sets them for the changed rows only), on demo
units of a few thousand rows, real database files and real bundles."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from demo import generator as demo
from models import bundle_merge, data_bundle, records, schema, search, store
from models.db import Database
from models.schema import rebuild_derived
from tests.test_data_bundle import resign, rewrite

QUERIES = ("ورشة", "كربلاء", "الإعلام", "تدريب*", "محمد", "توصية", "0770")


def demo_unit(folder: Path, activities: int, seed: int) -> Path:
    folder.mkdir(parents=True)
    path = folder / "unit.sqlite3"
    with Database.open(path, create=True) as db:
        demo.generate(db, activities=activities, seed=seed)
    return path


def bundle(unit: Path, out: Path) -> Path:
    with Database.open(unit) as db:
        return data_bundle.export(db, out, full=True).path


def derived_state(db: Database) -> dict[str, object]:
    """What a rebuild would recompute: search documents (without their row numbers),
    persons' keys and activities' attendee counts."""
    return {
        "docs": sorted(tuple(r) for r in db.execute(
            "SELECT type, ref_id, title, date, subtype, status, title_words, body_words "
            "FROM search_docs")),
        "keys": sorted(tuple(r) for r in db.execute(
            "SELECT id, name_key, phone_key FROM persons")),
        "attendees": sorted(tuple(r) for r in db.execute(
            "SELECT id, attendees FROM activities")),
        "hits": {q: sorted((h.type, h.id) for h in search.search(db.conn, q, limit=500))
                 for q in QUERIES},
    }


def rebuilt_state(centre: Path, tmp_path: Path) -> dict[str, object]:
    """The same centre after a full rebuild, on a copy of its file."""
    copy = tmp_path / f"rebuilt-{len(list(tmp_path.glob('rebuilt-*')))}.sqlite3"
    shutil.copy(centre, copy)
    with Database.open(copy) as db:
        with db.atomic():
            db.execute("UPDATE persons SET name_key = '', phone_key = ''")
            db.execute("UPDATE activities SET attendees = -1")
            rebuild_derived(db.conn)
        return derived_state(db)


@pytest.fixture(scope="module")
def units(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("units")
    unit_b = demo_unit(base / "b", 120, seed=12)
    with Database.open(unit_b) as db, db.atomic():
        # The demo's outlets have the same ids in every demo file (fixed by their names):
        # two demo units would send the same outlet records.
        db.execute("DELETE FROM outlets")
    return demo_unit(base / "a", 300, seed=11), unit_b


def test_first_import_is_a_full_rebuild_row_for_row(units, tmp_path):
    unit_a, _unit_b = units
    out = bundle(unit_a, tmp_path / "a.ittisal")
    centre = tmp_path / "centre.sqlite3"
    with Database.open(centre, create=True) as db:
        done = bundle_merge.import_bundle(db, out)
        assert sum(done.added.values()) > 3_000  # past the old row-by-row limit
        ours = derived_state(db)
        docs = db.rows("SELECT * FROM search_docs ORDER BY rowid")
    assert ours["docs"] and all(ours["hits"][q] for q in ("ورشة", "محمد"))
    assert all(name_key for _id, name_key, _phone in ours["keys"])
    assert ours == rebuilt_state(centre, tmp_path)
    copy = tmp_path / "rowids.sqlite3"
    shutil.copy(centre, copy)
    with Database.open(copy) as db:
        with db.atomic():
            search.rebuild(db.conn)
        # Date order across types, as a rebuild writes them: the newest matches rank.
        assert db.rows("SELECT * FROM search_docs ORDER BY rowid") == docs
        fts = db.scalar("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'ورشة'")
    with Database.open(centre) as db:
        assert db.scalar("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'ورشة'") \
            == fts


def test_second_unit_and_edits_after_deletes_match_a_rebuild(units, tmp_path):
    unit_a, unit_b = units
    work = tmp_path / "a"
    shutil.copytree(unit_a.parent, work)
    unit_a = work / "unit.sqlite3"
    centre = tmp_path / "centre.sqlite3"
    with Database.open(centre, create=True) as db:
        bundle_merge.import_bundle(db, bundle(unit_a, tmp_path / "a1.ittisal"))
        bundle_merge.import_bundle(db, bundle(unit_b, tmp_path / "b1.ittisal"))
    with Database.open(unit_a) as db:
        acts = [r["id"] for r in db.rows(
            "SELECT a.id FROM activities a WHERE EXISTS (SELECT 1 FROM recommendations r "
            "WHERE r.activity_id = a.id) AND a.attendees > 0 ORDER BY a.id LIMIT 4")]
        store.delete(db, records.Activity, acts[0])  # its recommendations leave search
        renamed = store.get(db, records.Activity, acts[1])
        store.update(db, dataclasses.replace(renamed, title="ملتقى الزوارق النهرية"))
        person = db.rows("SELECT id FROM persons ORDER BY id LIMIT 1")[0]["id"]
        somebody = store.get(db, records.Person, person)
        store.update(db, dataclasses.replace(somebody, full_name="عبد الله جاسم الخفاجي",
                                             phone="07801234567"))
        gone = db.rows("SELECT id FROM attendance WHERE activity_id = ?", (acts[2],))[0]["id"]
        store.delete(db, records.Attendance, gone)
    with Database.open(centre) as db:
        done = bundle_merge.import_bundle(db, bundle(unit_a, tmp_path / "a2.ittisal"))
        assert done.replaced
        ours = derived_state(db)
        assert [h.id for h in search.search(db.conn, "الزوارق النهرية")] == [acts[1]]
        assert person in [h.id for h in search.search(db.conn, "عبدالله جاسم الخفاجي")]
        assert db.scalar("SELECT phone_key FROM persons WHERE id = ?", (person,)) \
            == "07801234567"
        assert db.scalar("SELECT attendees FROM activities WHERE id = ?", (acts[2],)) == \
            db.scalar("SELECT count(*) FROM attendance WHERE activity_id = ? AND "
                      "deleted_at IS NULL", (acts[2],))
        hidden = {r["id"] for r in db.rows(
            "SELECT id FROM recommendations WHERE activity_id = ?", (acts[0],))}
        assert hidden and not hidden & {d[1] for d in ours["docs"]}
    assert ours == rebuilt_state(centre, tmp_path)


def test_a_big_bundle_refused_midway_leaves_nothing_and_the_triggers(units, tmp_path):
    """The attendee-count triggers are off while a big bundle merges: a bundle refused at
    its last tables (a row with an unknown column, signed by its unit) leaves the centre
    as it was, triggers included."""
    unit_a, _unit_b = units
    good = bundle(unit_a, tmp_path / "a.ittisal")
    part = "tables/coverage_items.jsonl"
    content = zipfile.ZipFile(good).read(part)
    first, rest = content.split(b"\n", 1)
    bad_part = first[:-1] + b', "spare_column": 1}\n' + rest

    def mutate(manifest):
        manifest["parts"][part] = {"sha256": hashlib.sha256(bad_part).hexdigest(),
                                   "size": len(bad_part)}

    signed = resign(good, tmp_path / "signed.ittisal", unit_a, mutate)
    bad = rewrite(signed, tmp_path / "bad.ittisal",
                  lambda n, d: [(n, bad_part if n == part else d)])
    centre = tmp_path / "centre.sqlite3"
    with Database.open(centre, create=True) as db:
        with pytest.raises(data_bundle.BundleError) as caught:
            bundle_merge.import_bundle(db, bad)
        assert "spare_column" in caught.value.english
        assert db.scalar("SELECT count(*) FROM attendance") == 0
        assert db.scalar("SELECT count(*) FROM search_docs") == 0
        assert len(schema.count_trigger_sql(db.conn)) == len(schema.ATTENDEE_COUNT_TRIGGERS)
        act = store.insert(db, records.Activity(title="ورشة بعد الرفض", start_date="2026-11-02"))
        person = store.insert(db, records.Person(full_name="حسين علي"))
        store.insert(db, records.Attendance(activity_id=act.id, person_id=person.id, days=[1]))
        assert db.scalar("SELECT attendees FROM activities WHERE id = ?", (act.id,)) == 1
