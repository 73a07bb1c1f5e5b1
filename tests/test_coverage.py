"""Media monitoring's data: the coverage list and its filters, the counts by medium, level
and tone, the timeline, the outlets known from stored coverage, the outlet a pasted link
proposes, and ``list coverage`` on the command line."""

from __future__ import annotations

import json

import pytest
from test_cli import run

from models import coverage, records, store
from models.coverage import CoverageFilter
from models.db import Database

ITEMS = (
    # date, outlet, medium, level, tone, title, link
    ("2026-11-02", "قناة العراقية", "tv", "local", "positive", "انطلاق ورشة الاتصال الحكومي",
     "https://www.imn.iq/news/1"),
    ("2026-11-03", "وكالة الأنباء العراقية", "news_agency", "local", "neutral",
     "وزارة التخطيط تعلن نتائج المسح", "https://ina.iq/2"),
    ("2026-11-09", "الشرق الأوسط", "press", "regional", "negative",
     "انتقادات لبطء الإجراءات", ""),
    ("2026-11-10", "قناة العراقية", "tv", "local", "positive", "لقاء مع مدير الوحدة",
     "https://imn.iq/news/7"),
    ("2026-12-01", "بي بي سي عربي", "website", "international", "neutral",
     "العراق يطلق منصة للشكاوى", "https://www.bbc.com/arabic/x"),
)


def seed(db: Database) -> list[records.CoverageItem]:
    return [store.insert(db, records.CoverageItem(
        date=date, outlet=outlet, medium=medium, level=level, tone=tone, title=title,
        link=link)) for date, outlet, medium, level, tone, title, link in ITEMS]


def test_the_list_filters_by_date_medium_level_and_tone(db):
    seed(db)
    november = CoverageFilter(date_from="2026-11-01", date_to="2026-11-30")
    assert [r.title for r in coverage.list_items(db, november)] == [
        i[5] for i in ITEMS[:4]]
    assert [r.outlet for r in coverage.list_items(
        db, CoverageFilter(medium="tv"))] == ["قناة العراقية"] * 2
    assert [r.title for r in coverage.list_items(
        db, CoverageFilter(tone="negative"))] == ["انتقادات لبطء الإجراءات"]
    assert [r.level_label for r in coverage.list_items(
        db, CoverageFilter(level="international"))] == ["دولي"]
    with pytest.raises(coverage.CoverageQueryError):
        coverage.list_items(db, CoverageFilter(tone="happy"))
    with pytest.raises(coverage.CoverageQueryError):
        coverage.list_items(db, CoverageFilter(date_from="2026-12-01",
                                               date_to="2026-11-01"))


def test_items_of_an_activity_in_the_recycle_bin_are_left_out(db, workshop):
    items = seed(db)
    store.update(db, records.CoverageItem(**{**vars(items[0]), "activity_id": workshop.id}))
    assert len(coverage.list_items(db, CoverageFilter(activity_id=workshop.id))) == 1
    store.delete(db, records.Activity, workshop.id)
    assert len(coverage.list_items(db)) == len(ITEMS) - 1
    assert coverage.counts(db).total == len(ITEMS) - 1


def test_counts_by_medium_level_and_tone(db):
    seed(db)
    counts = coverage.counts(db, CoverageFilter(date_from="2026-11-01",
                                                date_to="2026-11-30"))
    assert counts.total == 4
    assert {k: n for k, n in counts.by_medium.items() if n} == {
        "tv": 2, "press": 1, "news_agency": 1}
    assert list(counts.by_medium) == list(coverage.vocab.MEDIA)  # every bar, in order
    assert counts.by_level == {"local": 3, "regional": 1, "international": 0}
    assert counts.by_tone == {"positive": 2, "neutral": 1, "negative": 1}


def test_the_timeline_counts_per_day_or_week(db):
    seed(db)
    days = coverage.timeline(db, "2026-11-01", "2026-11-30")
    assert len(days) == 30 and sum(p.count for p in days) == 4
    assert [(p.start, p.count) for p in days if p.count] == [
        ("2026-11-02", 1), ("2026-11-03", 1), ("2026-11-09", 1), ("2026-11-10", 1)]
    weeks = coverage.timeline(db, "2026-10-01", "2026-12-31")
    assert coverage.timeline_step("2026-10-01", "2026-12-31") == coverage.WEEK
    # Weeks start on Sunday; the first and last are clipped to the range.
    assert (weeks[0].start, weeks[0].end) == ("2026-10-01", "2026-10-03")
    assert weeks[-1].end == "2026-12-31"
    assert [(p.start, p.end, p.count) for p in weeks if p.count] == [
        ("2026-11-01", "2026-11-07", 2), ("2026-11-08", "2026-11-14", 2),
        ("2026-11-29", "2026-12-05", 1)]
    months = coverage.timeline(db, "2026-01-01", "2026-12-31")
    assert [p.count for p in months] == [0] * 10 + [4, 1]


def test_known_outlets_come_from_stored_coverage(db):
    seed(db)
    outlets = coverage.known_outlets(db)
    assert outlets[0] == coverage.KnownOutlet("قناة العراقية", "tv", "local", 2)
    assert {o.name for o in outlets} == {i[1] for i in ITEMS}


def test_a_pasted_link_proposes_the_outlet_of_an_earlier_item_of_its_domain(db):
    assert coverage.propose_outlet(db, "https://imn.iq/news/99") is None  # nothing yet
    seed(db)
    proposed = coverage.propose_outlet(db, "imn.iq/news/99")
    assert (proposed.name, proposed.medium, proposed.level) == ("قناة العراقية", "tv",
                                                               "local")
    assert coverage.propose_outlet(db, "https://WWW.BBC.com/news").name == "بي بي سي عربي"
    assert coverage.propose_outlet(db, "https://alsumaria.tv/1") is None
    assert coverage.propose_outlet(db, "https://news.imn.iq/1") is None  # another host
    assert coverage.domain_of("https://www.Alsumaria.tv/news/1") == "alsumaria.tv"
    assert coverage.domain_of("ليس رابطاً") == ""


def test_list_coverage_json_on_the_command_line(db_path):
    with Database.open(db_path, create=True) as db:
        items = seed(db)
    result = run("list", "coverage", "--from", "2026-11-03", "--to", "2026-11-30", "--json",
                 db=db_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows == [{"id": i.id, "date": i.date, "outlet": i.outlet, "medium": i.medium,
                     "level": i.level, "tone": i.tone, "title": i.title,
                     "activity_id": None, "reach": None} for i in items[1:4]]
    plain = run("list", "coverage", db=db_path)
    assert plain.returncode == 0 and "بي بي سي عربي" in plain.stdout
    bad = run("list", "coverage", "--from", "أمس", db=db_path)
    assert bad.returncode == 2
