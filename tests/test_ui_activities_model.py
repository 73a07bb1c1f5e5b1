"""The activities table model, without widgets: what cells show, pages, sorting, filters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from models import attendance, store
from models.activities import ActivityFilter
from models.dates import DateStyle
from models.records import Activity, Person
from tests.conftest import karbala_workshop
from ui.table_models import ALIGN
from ui.table_models.activities import (
    COL_DATES,
    COL_KIND,
    COL_PARTICIPANTS,
    COL_PLACE,
    COL_STATUS,
    COL_TITLE,
    ID_ROLE,
    ActivitiesModel,
)

Display = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def workshop_with_list(db):
    workshop = store.insert(db, karbala_workshop())
    for name in ("زينب علي حسين الأسدي", "علي كاظم جواد", "حسين عباس محمد"):
        person = store.insert(db, Person(full_name=name))
        attendance.add(db, workshop.id, person.id)
    return workshop


@pytest.fixture
def twelve(db):
    """Twelve more activities, one a month in 2025, of three kinds."""
    kinds = ("meeting", "course", "press_release")
    return [store.insert(db, Activity(
        kind=kinds[m % 3], title=f"نشاط الشهر {m + 1:02d}", start_date=f"2025-{m + 1:02d}-10",
        status="sent" if m % 2 else "draft", place=f"قاعة {12 - m:02d}",
        participants_count=m * 10 if m % 3 != 2 else None)) for m in range(12)]


def cell(model: ActivitiesModel, row: int, column: int, role=Display):
    return model.data(model.index(row, column), role)


def column(model: ActivitiesModel, col: int) -> list[str]:
    return [cell(model, row, col) for row in range(model.rowCount())]


def test_qtmodeltester_empty_and_full(qtmodeltester, db, workshop_with_list, twelve):
    qtmodeltester.check(ActivitiesModel(db))
    model = ActivitiesModel(db)
    model.PAGE_SIZE = 5
    model.refresh()
    qtmodeltester.check(model)


def test_qtmodeltester_on_an_empty_file(qtmodeltester, db):
    model = ActivitiesModel(db)
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())


def test_cells_show_arabic_labels_dates_and_counts(db, workshop_with_list):
    model = ActivitiesModel(db)
    assert model.rowCount() == 1
    assert cell(model, 0, COL_TITLE) == workshop_with_list.title
    assert cell(model, 0, COL_KIND) == "ورشة عمل"
    assert cell(model, 0, COL_DATES) == "٢٢–٢٣ تشرين الثاني ٢٠٢٦"
    assert cell(model, 0, COL_PLACE) == "جامعة كربلاء"
    assert cell(model, 0, COL_PARTICIPANTS) == "٣"
    assert cell(model, 0, COL_STATUS) == "معتمد"
    assert cell(model, 0, COL_TITLE, ID_ROLE) == workshop_with_list.id
    assert model.id_at(0) == workshop_with_list.id
    assert cell(model, 0, COL_DATES, Qt.ItemDataRole.TextAlignmentRole) == ALIGN
    assert model.headerData(COL_TITLE, Qt.Orientation.Horizontal) == "عنوان النشاط"
    assert model.headerData(COL_PARTICIPANTS, Qt.Orientation.Horizontal) == "المشاركون"


def test_typed_count_without_a_list_and_blank_without_either(db, twelve):
    model = ActivitiesModel(db)
    model.set_filter(ActivityFilter(date_from="2025-05-01", date_to="2025-05-31"))
    assert column(model, COL_PARTICIPANTS) == ["٤٠"]  # typed, no list
    model.set_filter(ActivityFilter(date_from="2025-03-01", date_to="2025-03-31"))
    assert column(model, COL_KIND) == ["بيان صحفي"]
    assert column(model, COL_PARTICIPANTS) == [""]  # neither a list nor a count


def test_the_unit_style_changes_digits_and_months(qtbot, db, workshop_with_list):
    model = ActivitiesModel(db)
    with qtbot.waitSignal(model.dataChanged):
        model.set_style(DateStyle(months="egyptian", digits="western"))
    assert cell(model, 0, COL_DATES) == "22–23 نوفمبر 2026"
    assert cell(model, 0, COL_PARTICIPANTS) == "3"


def test_rows_arrive_a_page_at_a_time(db, workshop_with_list, twelve):
    model = ActivitiesModel(db)
    model.PAGE_SIZE = 5
    model.refresh()
    assert (model.rowCount(), model.total) == (5, 13)
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 10
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 13
    assert not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 13
    ids = [model.id_at(r) for r in range(13)]
    assert len(set(ids)) == 13
    # Newest first.
    assert ids[0] == workshop_with_list.id


def test_sorting_by_each_column(db, workshop_with_list, twelve):
    model = ActivitiesModel(db)
    model.sort(COL_TITLE, Qt.SortOrder.AscendingOrder)
    titles = column(model, COL_TITLE)
    assert titles == sorted(titles)
    model.sort(COL_TITLE, Qt.SortOrder.DescendingOrder)
    assert column(model, COL_TITLE) == sorted(titles, reverse=True)
    model.sort(COL_PLACE, Qt.SortOrder.AscendingOrder)
    places = column(model, COL_PLACE)
    assert places == sorted(places)
    model.sort(COL_DATES, Qt.SortOrder.AscendingOrder)
    assert cell(model, 0, COL_TITLE) == "نشاط الشهر 01"
    assert model.id_at(model.rowCount() - 1) == workshop_with_list.id
    model.sort(COL_PARTICIPANTS, Qt.SortOrder.DescendingOrder)
    assert column(model, COL_PARTICIPANTS)[:3] == ["١٠٠", "٩٠", "٧٠"]
    model.sort(COL_KIND, Qt.SortOrder.AscendingOrder)
    kinds = [model.row_at(r).kind for r in range(model.rowCount())]
    assert kinds == sorted(kinds)
    model.sort(COL_STATUS, Qt.SortOrder.DescendingOrder)
    statuses = [model.row_at(r).status for r in range(model.rowCount())]
    assert statuses == sorted(statuses, reverse=True)
    assert model.order == ("status", True)


def test_sort_resets_to_the_first_page(qtbot, db, twelve):
    model = ActivitiesModel(db)
    model.PAGE_SIZE = 4
    model.refresh()
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 8
    with qtbot.waitSignal(model.modelReset):
        model.sort(COL_TITLE, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 4
    assert column(model, COL_TITLE) == [f"نشاط الشهر {m:02d}" for m in range(1, 5)]


def test_filters_narrow_the_rows(db, workshop_with_list, twelve):
    model = ActivitiesModel(db)
    model.update_filter(kind="meeting")
    assert set(column(model, COL_KIND)) == {"اجتماع دوري"} and model.total == 4
    model.update_filter(status="sent")
    assert set(column(model, COL_STATUS)) == {"مرسل"} and model.total == 2
    model.set_filter(ActivityFilter(date_from="2025-06-01", date_to="2025-08-31"))
    assert column(model, COL_TITLE) == ["نشاط الشهر 08", "نشاط الشهر 07", "نشاط الشهر 06"]


def test_search_hits_keep_their_rank_until_a_column_is_sorted(db, twelve):
    model = ActivitiesModel(db)
    hits = (twelve[4].id, twelve[9].id, twelve[1].id)
    model.set_filter(ActivityFilter(ids=hits), natural_order=True)
    assert [model.id_at(r) for r in range(3)] == list(hits)
    model.sort(COL_TITLE, Qt.SortOrder.AscendingOrder)
    assert column(model, COL_TITLE) == ["نشاط الشهر 02", "نشاط الشهر 05", "نشاط الشهر 10"]
    model.sort(-1)
    assert [model.id_at(r) for r in range(3)] == list(hits)
    # The search cleared: back to newest first, not "rank" of nothing.
    model.set_filter(ActivityFilter())
    assert model.order == ("start_date", True)
    assert model.id_at(0) == twelve[-1].id


def test_refresh_shows_new_records(db, twelve):
    model = ActivitiesModel(db)
    assert model.total == 12
    store.insert(db, karbala_workshop())
    model.refresh()
    assert model.total == 13
    assert model.row_of(twelve[0].id) >= 0
    assert model.row_of("nope") == -1
