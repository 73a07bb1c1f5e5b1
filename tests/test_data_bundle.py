"""Data bundles: export, checks before reading, merge rules (models.data_bundle,
models.bundle_merge), on real database and zip files."""

from __future__ import annotations

import base64
import dataclasses
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from models import attachments, bundle_merge, certificates, data_bundle, records, store
from models.data_bundle import BundleError
from models.db import Database

RECORD_TABLES = ("units", "signing_keys", *data_bundle.TABLES)


def make_unit(folder: Path, directorate: str, title: str) -> Path:
    """A unit database in its own folder (its own keys/ and attachments/): one approved
    activity with an attendee, a certificate and a photo, one draft activity, an approved
    plan with an item, and a coverage item."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "unit.sqlite3"
    with Database.open(path, create=True) as db:
        with db.atomic():
            db.execute("UPDATE units SET directorate = ?, name = ?", (directorate, directorate))
        act = store.insert(db, records.Activity(kind="workshop", title=title,
                                                start_date="2026-11-22", status="approved"))
        person = store.insert(db, records.Person(full_name="زينب علي حسين", gender="f"))
        store.insert(db, records.Attendance(activity_id=act.id, person_id=person.id,
                                            days=[1]))
        certificates.issue(db, person.id, act.id)
        photo = folder / "photo.png"
        photo.write_bytes(certificates.qr_png_bytes(title))
        attachments.attach(db, "activity", act.id, photo)
        store.insert(db, records.Activity(kind="meeting", title="مسودة لم تعتمد",
                                          start_date="2026-11-01"))
        plan = store.insert(db, records.Plan(title="خطة كانون الأول", period_start="2026-12-01",
                                             period_end="2026-12-31", status="approved"))
        store.insert(db, records.PlanItem(plan_id=plan.id, title="مؤتمر صحفي",
                                          date="2026-12-05"))
        store.insert(db, records.CoverageItem(date="2026-11-23", outlet="الفرات", medium="tv",
                                              level="local", tone="positive",
                                              title="تغطية " + title))
    return path


def export(path: Path, out: Path, *, full: bool = False) -> Path:
    with Database.open(path) as db:
        return data_bundle.export(db, out, full=full).path


def receive(centre: Path, *bundles: Path, **options) -> list[bundle_merge.Imported]:
    with Database.open(centre, create=True) as db:
        return [bundle_merge.import_bundle(db, b, **options) for b in bundles]


def dump(path: Path) -> dict[str, list]:
    """Every record of a database, comparable across files (the centre's own unit and
    the times a conflict was found aside)."""
    with Database.open(path) as db:
        local = db.local_unit_id
        out = {}
        for table in (*RECORD_TABLES, "bundle_conflicts", "search_docs"):
            rows = db.rows(f"SELECT * FROM {table}")
            for row in rows:
                for column in ("rowid", "received_at", "bundle_sha256"):
                    row.pop(column, None)
                if table == "bundle_conflicts":
                    row.pop("id")
            out[table] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows
                                 if r.get("id") != local)
        return out


def title_of(path: Path, record_id: str) -> str:
    with Database.open(path) as db:
        return db.scalar("SELECT title FROM activities WHERE id = ?", (record_id,))


def approved_id(path: Path) -> str:
    with Database.open(path) as db:
        return db.scalar("SELECT id FROM activities WHERE kind = 'workshop'")


def edit(path: Path, record_id: str, title: str) -> None:
    with Database.open(path) as db:
        act = store.get(db, records.Activity, record_id)
        store.update(db, dataclasses.replace(act, title=title))


@pytest.fixture
def two_units(tmp_path):
    a = make_unit(tmp_path / "a", "مديرية تربية كربلاء", "ورشة الإعلام التربوي")
    b = make_unit(tmp_path / "b", "مديرية صحة بابل", "ندوة التوعية الصحية")
    return a, b


def test_round_trip_two_units_every_record_and_file(two_units, tmp_path):
    a, b = two_units
    bundles = [export(a, tmp_path / "a.ittisal"), export(b, tmp_path / "b.ittisal")]
    centre = tmp_path / "centre" / "centre.sqlite3"
    centre.parent.mkdir()
    receive(centre, *bundles)
    with Database.open(centre) as db:
        assert bundle_merge.is_centre(db)
        titles = {r["title"] for r in db.rows("SELECT title FROM activities")}
        assert titles == {"ورشة الإعلام التربوي", "ندوة التوعية الصحية"}  # no drafts
        for unit in (a, b):
            with Database.open(unit) as src:
                uid = src.local_unit_id
                for table in ("attendance", "certificates", "attachments", "plan_items",
                              "coverage_items", "persons"):
                    sent = src.rows(f"SELECT id, row_version FROM {table} ORDER BY id")
                    got = db.rows(f"SELECT id, row_version FROM {table} WHERE unit_id = ? "
                                  "ORDER BY id", (uid,))
                    assert got == sent, table
                photo = src.rows("SELECT * FROM attachments")[0]
                kept = attachments.file_path(db, photo["sha256"], photo["mime"])
                assert kept.read_bytes() == attachments.file_path(
                    src, photo["sha256"], photo["mime"]).read_bytes()
                assert db.scalar("SELECT attendees FROM activities WHERE unit_id = ? AND "
                                 "kind = 'workshop'", (uid,)) == 1
                assert db.scalar("SELECT name_key FROM persons WHERE unit_id = ?", (uid,))


def test_export_marks_sent_and_logs_outbox_then_nothing_is_due(two_units, tmp_path):
    a, _ = two_units
    export(a, tmp_path / "a.ittisal")
    with Database.open(a) as db:
        rows = db.rows("SELECT kind, status, sent_version, row_version FROM activities "
                       "ORDER BY kind")
        assert [(r["kind"], r["status"]) for r in rows] == [("meeting", "draft"),
                                                            ("workshop", "sent")]
        assert rows[1]["sent_version"] == rows[1]["row_version"]
        assert db.scalar("SELECT status FROM plans") == "sent"
        log = db.rows("SELECT * FROM bundles WHERE direction = 'out'")
        assert len(log) == 1 and log[0]["file_name"] == "a.ittisal"
        assert json.loads(log[0]["counts"])["activities"] == 1
    again = export(a, tmp_path / "a2.ittisal")
    manifest = json.loads(zipfile.ZipFile(again).read("manifest.json"))
    assert manifest["counts"]["activities"] == 0 and manifest["counts"]["persons"] == 0


def test_all_carries_every_record_and_no_private_key(two_units, tmp_path):
    a, _ = two_units
    full = export(a, tmp_path / "all.ittisal", full=True)
    zf = zipfile.ZipFile(full)
    rows = [json.loads(x) for x in zf.read("tables/activities.jsonl").splitlines()]
    assert {r["status"] for r in rows} == {"draft", "sent"}
    manifest = json.loads(zf.read("manifest.json"))
    with Database.open(a) as db:
        for table in data_bundle.TABLES:
            assert manifest["counts"][table] == db.scalar(f"SELECT count(*) FROM {table}")
            assert manifest["counts"][table] == len(zf.read(f"tables/{table}.jsonl")
                                                    .splitlines())
    key_pem = (a.parent / "keys").glob("*.key").__next__().read_bytes()
    raw_private = certificates.load_private_key(Database.open(a)).private_bytes_raw()
    for name in zf.namelist():
        data = zf.read(name)
        assert b"PRIVATE KEY" not in data and key_pem not in data
        assert base64.b64encode(raw_private) not in data and raw_private not in data


def test_import_twice_changes_nothing(two_units, tmp_path):
    a, _ = two_units
    bundle = export(a, tmp_path / "a.ittisal")
    centre = tmp_path / "c.sqlite3"
    receive(centre, bundle)
    before = dump(centre)
    assert receive(centre, bundle)[0].already
    assert dump(centre) == before


def _conflicting_bundles(a: Path, tmp_path: Path) -> tuple[Path, Path, Path, str]:
    """A first bundle, then two bundles holding two different edits of one revision (the
    unit's database copied, as a restored backup is, and edited on both sides)."""
    first = export(a, tmp_path / "first.ittisal")
    copy_dir = tmp_path / "copy"
    shutil.copytree(a.parent, copy_dir)
    record = approved_id(a)
    edit(a, record, "ورشة الإعلام التربوي — الجلسة الأولى")
    edit(copy_dir / a.name, record, "ورشة الإعلام التربوي — الجلسة الثانية")
    return (first, export(a, tmp_path / "x.ittisal"),
            export(copy_dir / a.name, tmp_path / "y.ittisal"), record)


def test_order_of_imports_does_not_change_the_result(two_units, tmp_path):
    a, b = two_units
    first, x, y, record = _conflicting_bundles(a, tmp_path)
    other = export(b, tmp_path / "b.ittisal")
    orders = [(first, x, y, other), (y, other, x, first), (other, y, first, x, y)]
    dumps = []
    for number, order in enumerate(orders):
        centre = tmp_path / f"centre{number}.sqlite3"
        receive(centre, *order)
        dumps.append(dump(centre))
    assert dumps[0] == dumps[1] == dumps[2]
    assert len(dumps[0]["bundle_conflicts"]) == 1


def test_same_revision_different_edit_is_a_conflict(two_units, tmp_path):
    a, _ = two_units
    first, x, y, record = _conflicting_bundles(a, tmp_path)
    centre = tmp_path / "c.sqlite3"
    results = receive(centre, first, x, y)
    assert results[2].conflicts == 1
    with Database.open(centre) as db:
        conflict = db.rows("SELECT * FROM bundle_conflicts")
        assert len(conflict) == 1 and conflict[0]["record_id"] == record
        kept = db.scalar("SELECT title FROM activities WHERE id = ?", (record,))
        other = json.loads(conflict[0]["payload"])["title"]
        assert {kept, other} == {"ورشة الإعلام التربوي — الجلسة الأولى",
                                 "ورشة الإعلام التربوي — الجلسة الثانية"}


def test_newer_revision_replaces_older_and_keeps_its_version(two_units, tmp_path):
    a, _ = two_units
    centre = tmp_path / "c.sqlite3"
    receive(centre, export(a, tmp_path / "1.ittisal"))
    record = approved_id(a)
    edit(a, record, "ورشة معدلة")
    newer = export(a, tmp_path / "2.ittisal")
    receive(centre, newer)
    assert title_of(centre, record) == "ورشة معدلة"
    with Database.open(a) as unit, Database.open(centre) as db:
        sql = "SELECT row_version, unit_id FROM activities WHERE id = ?"
        assert db.rows(sql, (record,)) == unit.rows(sql, (record,))
    receive(centre, tmp_path / "1.ittisal")  # an older bundle again: nothing goes back
    assert title_of(centre, record) == "ورشة معدلة"


# --- bad bundles ----------------------------------------------------------------------

def rewrite(source: Path, target: Path, change) -> Path:
    """Copy a bundle's entries through ``change(name, data) -> [(name, data), ...]``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            for name, data in change(info.filename, zin.read(info)):
                zout.writestr(name, data)
    return target


def resign(source: Path, target: Path, unit_db: Path, mutate) -> Path:
    """A bundle whose manifest was changed and signed again with the unit's own key."""
    manifest = json.loads(zipfile.ZipFile(source).read("manifest.json"))
    mutate(manifest)
    body = json.dumps(manifest).encode()
    with Database.open(unit_db) as db:
        sig = base64.b64encode(certificates.load_private_key(db).sign(body))

    def change(name, data):
        return [(name, {"manifest.json": body, "manifest.sig": sig}.get(name, data))]

    return rewrite(source, target, change)


@pytest.fixture
def centre_with_a(two_units, tmp_path):
    a, b = two_units
    good = export(a, tmp_path / "good.ittisal")
    centre = tmp_path / "c.sqlite3"
    receive(centre, good)
    record = approved_id(a)
    edit(a, record, "تعديل لاحق")
    later = export(a, tmp_path / "later.ittisal")
    return a, b, centre, later


def refused(centre: Path, bundle: Path, words: str, **options) -> None:
    before = dump(centre)
    with pytest.raises(BundleError) as caught:
        receive(centre, bundle, **options)
    assert words in caught.value.english
    assert dump(centre) == before
    with Database.open(centre) as db:  # only the inbox log records the refusal
        assert db.scalar("SELECT count(*) FROM bundles WHERE counts LIKE '%refused%'") >= 1


def test_tampered_part_is_refused(centre_with_a, tmp_path):
    _, _, centre, later = centre_with_a
    bad = rewrite(later, tmp_path / "bad.ittisal", lambda n, d: [
        (n, d.replace("تعديل لاحق".encode(), "تعديل مزور".encode())
         if n == "tables/activities.jsonl" else d)])
    refused(centre, bad, "does not match its hash")


def test_tampered_manifest_is_refused(centre_with_a, tmp_path):
    _, _, centre, later = centre_with_a
    bad = rewrite(later, tmp_path / "bad.ittisal", lambda n, d: [
        (n, d.replace(b'"full": false', b'"full": true') if n == "manifest.json" else d)])
    refused(centre, bad, "signature")


def test_flipped_byte_and_truncated_file_are_refused(centre_with_a, tmp_path):
    _, _, centre, later = centre_with_a
    data = bytearray(later.read_bytes())
    (tmp_path / "cut.ittisal").write_bytes(bytes(data[:len(data) // 2]))
    refused(centre, tmp_path / "cut.ittisal", "not a sound data bundle")
    info = zipfile.ZipFile(later).getinfo("tables/activities.jsonl")
    start = info.header_offset + 30 + int.from_bytes(
        data[info.header_offset + 26:info.header_offset + 28], "little") + int.from_bytes(
        data[info.header_offset + 28:info.header_offset + 30], "little")
    data[start + info.compress_size // 2] ^= 0x01  # inside the part's compressed bytes
    (tmp_path / "flip.ittisal").write_bytes(bytes(data))
    refused(centre, tmp_path / "flip.ittisal", "activities.jsonl")


def test_bundle_of_known_unit_signed_by_another_key_is_refused(centre_with_a, tmp_path):
    a, _, centre, _ = centre_with_a
    thief = tmp_path / "thief"
    shutil.copytree(a.parent, thief)
    with Database.open(thief / a.name) as db:
        certificates.replace_key(db)
        with db.atomic():  # the other key only: the unit's real ones are not known here
            db.execute("DELETE FROM signing_keys WHERE replaced_at IS NOT NULL")
    edit(thief / a.name, approved_id(a), "سجل مزور")
    forged = export(thief / a.name, tmp_path / "forged.ittisal")
    refused(centre, forged, "not the key known here")


def test_expected_fingerprint_mismatch_is_refused(centre_with_a, tmp_path):
    _, _, centre, later = centre_with_a
    refused(centre, later, "not 0000 0000 0000 0000",
            expect_fingerprint="0000 0000 0000 0000")


def test_climbing_path_duplicate_and_bomb_are_refused(centre_with_a, tmp_path):
    _, _, centre, later = centre_with_a
    climb = rewrite(later, tmp_path / "climb.ittisal",
                    lambda n, d: [(n, d)] + ([("../evil.txt", b"x")] if n == "manifest.sig"
                                             else []))
    refused(centre, climb, "climbs out")
    assert not (tmp_path / "evil.txt").exists()
    with pytest.warns(UserWarning):  # zipfile warns of the duplicate name it writes
        dup = rewrite(later, tmp_path / "dup.ittisal", lambda n, d: [(n, d)] * (
            2 if n == "tables/persons.jsonl" else 1))
    refused(centre, dup, "twice")
    bomb = rewrite(later, tmp_path / "bomb.ittisal", lambda n, d: [
        (n, b"\n" * (8 << 20) if n == "tables/persons.jsonl" else d)])
    refused(centre, bomb, "zip bomb")


def test_newer_schema_is_refused(centre_with_a, tmp_path):
    a, _, centre, later = centre_with_a
    newer = resign(later, tmp_path / "newer.ittisal", a,
                   lambda m: m.update(schema_version=m["schema_version"] + 1))
    refused(centre, newer, "newer version of the app")


def test_unit_database_refuses_another_units_bundle(two_units, tmp_path):
    a, b = two_units
    bundle = export(b, tmp_path / "b.ittisal")
    with pytest.raises(BundleError) as caught:
        receive(a, bundle)
    assert "not to the ministry centre" in caught.value.english


def test_centre_verifies_a_units_certificate_from_the_bundle_key(two_units, tmp_path):
    a, _ = two_units
    centre = tmp_path / "c.sqlite3"
    receive(centre, export(a, tmp_path / "a.ittisal"))
    with Database.open(a) as db:
        cert = store.find(db, records.Certificate)[0]
    with Database.open(centre) as db:
        result = certificates.verify(db, certificates.qr_payload(cert))
    assert result.genuine, result.reason_en


def test_any_order_and_repeats_of_three_units_end_the_same(tmp_path):
    """A property over random orders with repeats (seeded, so a failure can be replayed):
    three units, one with two different edits of one revision, one with a newer one."""
    import random

    a = make_unit(tmp_path / "a", "مديرية تربية كربلاء", "ورشة الإعلام التربوي")
    b = make_unit(tmp_path / "b", "مديرية صحة بابل", "ندوة التوعية الصحية")
    c = make_unit(tmp_path / "c", "مديرية زراعة النجف", "يوم حقلي للمزارعين")
    first, x, y, _ = _conflicting_bundles(a, tmp_path)
    b1 = export(b, tmp_path / "b1.ittisal")
    edit(b, approved_id(b), "ندوة التوعية الصحية — موسعة")
    b2 = export(b, tmp_path / "b2.ittisal")
    c1 = export(c, tmp_path / "c1.ittisal", full=True)
    bundles = [first, x, y, b1, b2, c1]
    reference = tmp_path / "reference.sqlite3"
    receive(reference, *bundles)
    expected = dump(reference)
    assert title_of(reference, approved_id(b)) == "ندوة التوعية الصحية — موسعة"
    for seed in range(6):
        rng = random.Random(seed)
        order = bundles + rng.choices(bundles, k=3)
        rng.shuffle(order)
        centre = tmp_path / f"centre{seed}.sqlite3"
        receive(centre, *order)
        assert dump(centre) == expected, [p.name for p in order]
