"""The directory of outlets: an outlet added in place when a coverage item is saved (once,
however its name is written), the directory first when a pasted link proposes an outlet,
the directory's own rules in Arabic, the reach of an item kept and checked, and the v11
upgrade that fills the directory from an older file's coverage."""

from __future__ import annotations

import dataclasses

import pytest

from models import coverage, outlets, records, store
from models.db import Database
from models.errors import ValidationError
from models.records import CoverageItem, Outlet


def item(**values) -> CoverageItem:
    fields = {"date": "2026-11-22", "outlet": "قناة الفرات الفضائية", "medium": "tv",
              "level": "local", "tone": "positive", "title": "افتتاح الورشة"} | values
    return CoverageItem(**fields)


def test_saving_an_item_adds_its_new_outlet_in_place(db):
    assert outlets.list_outlets(db) == []
    coverage.save_item(db, item(link="https://www.alforattv.net/news/12"))
    [added] = outlets.list_outlets(db)
    assert (added.name, added.medium, added.level, added.domain) == (
        "قناة الفرات الفضائية", "tv", "local", "alforattv.net")


def test_the_same_outlet_written_differently_is_not_added_twice(db):
    coverage.save_item(db, item(outlet="إذاعة كربلاء", medium="radio"))
    # Hamza, ta marbuta and spacing as people type them: the same outlet.
    coverage.save_item(db, item(outlet="  اذاعه كربلاء ", medium="radio", title="ثانية"))
    coverage.save_item(db, item(outlet="قناة العراقية", title="ثالثة"))
    assert [o.name for o in outlets.list_outlets(db)] == ["إذاعة كربلاء", "قناة العراقية"]


def test_an_outlet_is_added_in_the_items_transaction(db):
    with pytest.raises(ValidationError):  # no title: nothing is stored, not even the outlet
        coverage.save_item(db, item(title="", outlet="جريدة المدى"))
    assert outlets.list_outlets(db) == []
    assert coverage.list_items(db) == []


def test_a_pasted_link_proposes_the_directorys_outlet_by_its_domain(db):
    # In the directory only: no stored item has ever linked to this site.
    outlets.save(db, Outlet(name="السومرية نيوز", medium="website", level="regional",
                            domain="https://www.alsumaria.tv/news/1"))
    proposed = coverage.propose_outlet(db, "alsumaria.tv/news/901")
    assert (proposed.name, proposed.medium, proposed.level, proposed.in_directory) == (
        "السومرية نيوز", "website", "regional", True)
    assert coverage.propose_outlet(db, "https://m.alsumaria.tv/x") is None  # another host


def test_the_directory_comes_before_what_stored_coverage_says(db):
    store.insert(db, item(outlet="قناة دجلة", medium="website", level="regional"))
    outlets.save(db, Outlet(name="قناة دجلة", medium="tv", level="local"))
    known = {o.name: o for o in coverage.known_outlets(db)}
    assert (known["قناة دجلة"].medium, known["قناة دجلة"].level) == ("tv", "local")
    assert known["قناة دجلة"].items == 1 and known["قناة دجلة"].in_directory


def test_the_directory_refuses_a_second_outlet_of_a_name_in_arabic(db):
    outlets.save(db, Outlet(name="جريدة الصباح", medium="press", domain="alsabaah.iq"))
    with pytest.raises(ValidationError) as caught:
        outlets.save(db, Outlet(name="جريده الصباح", medium="press"))
    assert caught.value.field == "name" and "موجودة في الدليل" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        outlets.save(db, Outlet(name="الصباح الجديد", domain="alsabaah.iq"))
    assert caught.value.field == "domain" and "جريدة الصباح" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        outlets.save(db, Outlet(name="موقع", domain="ليس نطاقاً"))
    assert caught.value.field == "domain" and "ليس نطاقاً" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        outlets.save(db, Outlet(name="   "))
    assert caught.value.field == "name"


def test_an_outlet_is_edited_found_and_deleted(db):
    saved = outlets.save(db, Outlet(name="قناة العراقية", medium="tv"))
    outlets.save(db, dataclasses.replace(saved, level="regional", domain="imn.iq"))
    assert outlets.find_by_name(db, "قناه العراقيه").level == "regional"
    assert outlets.find_by_domain(db, "https://www.imn.iq/news/1").id == saved.id
    outlets.delete(db, saved.id)
    assert outlets.list_outlets(db) == []
    assert outlets.find_by_name(db, "قناة العراقية") is None


def test_the_reach_is_kept_and_a_bad_reach_is_refused_in_arabic(db):
    saved = coverage.save_item(db, item(reach="١٢٥٠٠"))
    assert store.get(db, CoverageItem, saved.id).reach == 12_500
    assert coverage.list_items(db)[0].reach == 12_500
    assert coverage.list_items(db)[0].as_json()["reach"] == 12_500
    for bad, words in (("كثير", "عدداً صحيحاً"), (-3, "سالب")):
        with pytest.raises(ValidationError) as caught:
            coverage.save_item(db, item(reach=bad, title="أخرى"))
        assert caught.value.field == "reach" and words in str(caught.value), str(caught.value)
    cleared = coverage.save_item(db, dataclasses.replace(saved, reach=""))
    assert store.get(db, CoverageItem, cleared.id).reach is None


def test_the_v11_upgrade_fills_the_directory_from_an_older_files_coverage(db_path):
    old = Database.open(db_path, create=True, target_version=10)
    unit = old.local_unit_id
    rows = (
        # id, outlet, medium, level, link, deleted
        ("c1", "قناة الفرات", "tv", "local", "https://www.alforattv.net/a", None),
        ("c2", " قناة الفرات ", "tv", "regional", "https://alforattv.net/b", None),
        ("c3", "قناة الفرات", "website", "local", "https://alforattv.net/c", None),
        ("c4", "جريدة الصباح", "press", "local", "", None),
        ("c5", "وسيلة محذوفة", "tv", "local", "", "2026-11-30T08:00:00.000Z"),
        ("c6", "", "tv", "local", "", None),
    )
    with old.atomic():
        for cid, outlet, medium, level, link, deleted in rows:
            old.execute(
                "INSERT INTO coverage_items (id, unit_id, created_at, updated_at, deleted_at, "
                "date, outlet, medium, level, tone, title, link) VALUES (?, ?, ?, ?, ?, "
                "'2026-11-02', ?, ?, ?, 'neutral', 'خبر', ?)",
                (cid, unit, f"2026-11-02T0{cid[1]}:00:00.000Z",
                 f"2026-11-02T0{cid[1]}:00:00.000Z", deleted, outlet, medium, level, link))
    old.close()
    with Database.open(db_path) as db:
        found = {o.name: (o.medium, o.level, o.domain) for o in outlets.list_outlets(db)}
        assert found == {"قناة الفرات": ("tv", "local", "alforattv.net"),
                         "جريدة الصباح": ("press", "local", "")}
        # Saving more coverage of a migrated outlet adds nothing.
        coverage.save_item(db, item(outlet="قناه الفرات", medium="tv"))
        assert len(outlets.list_outlets(db)) == 2
        assert store.count(db, records.Outlet) == 2
