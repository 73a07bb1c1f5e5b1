"""The persons page, used as a coordinator would: search, history, delete, merge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from models import attendance, store
from models.person_list import PersonFilter, list_persons
from models.records import Activity, Certificate, Person, now
from tests.conftest import karbala_workshop
from tests.test_ui_activities_page import answer_box, close_next_dialog, type_text
from ui.pages.persons import SEARCH_DELAY_MS, PersonsPage
from ui.table_models.persons import (
    COL_ACTIVITIES,
    COL_GENDER,
    COL_NAME,
    COL_PHONE,
    H_CERTIFICATE,
    H_DATES,
    H_TITLE,
    HistoryModel,
    PersonsModel,
)


@pytest.fixture
def world(db):
    """Two activities; Zainab on both (with a certificate), a second record of her on one,
    and two others."""
    workshop = store.insert(db, karbala_workshop())
    meeting = store.insert(db, Activity(kind="meeting", title="الاجتماع الدوري للمنسقين",
                                        start_date="2026-10-05", status="sent"))
    zainab = store.insert(db, Person(full_name="زينب علي حسين الأسدي", gender="f",
                                     job_title="منسقة الاتصال الحكومي",
                                     entity="مديرية تربية كربلاء", phone="+964 770 123 4567"))
    twin = store.insert(db, Person(full_name="زينب علي حسين الاسدي", gender="f",
                                   gender_guessed=True, email="zainab@example.iq"))
    ali = store.insert(db, Person(full_name="علي كاظم جواد", gender="m", entity="جامعة كربلاء"))
    huda = store.insert(db, Person(full_name="هدى عباس محمد", gender="f", gender_guessed=True))
    attendance.add(db, workshop.id, zainab.id)
    attendance.add(db, meeting.id, twin.id)
    attendance.add(db, workshop.id, ali.id)
    store.insert(db, Certificate(person_id=zainab.id, activity_id=workshop.id,
                                 serial="KRB-2026-0007", issued_at=now()))
    return {"workshop": workshop, "meeting": meeting, "zainab": zainab, "twin": twin,
            "ali": ali, "huda": huda}


@pytest.fixture
def page(qtbot, ctx, world):
    page = PersonsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def names(page: PersonsPage) -> list[str]:
    model = page.table.model()
    return [model.index(r, COL_NAME).data() for r in range(model.rowCount())]


def click_name(qtbot, page: PersonsPage, name: str, *, control: bool = False) -> None:
    index = page.table.model().index(names(page).index(name), COL_NAME)
    modifier = Qt.KeyboardModifier.ControlModifier if control else \
        Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, modifier,
                     page.table.visualRect(index).center())


def test_models_pass_qtmodeltester(qtmodeltester, db, world):
    qtmodeltester.check(PersonsModel(db))
    # One tester per model: a second one would see the first fetch rows mid-reset.
    paged = PersonsModel(db)
    paged.PAGE_SIZE = 2
    paged.refresh()
    qtmodeltester.check(paged)
    history = HistoryModel(db)
    qtmodeltester.check(history)
    history.set_person(world["zainab"].id)
    qtmodeltester.check(history)


def test_the_list_shows_everyone_the_arabic_way(page, world):
    assert page.key == "persons" and page.title == "المشاركون"
    assert page.isRightToLeft() and page.table.isRightToLeft()
    assert len(names(page)) == 4 and names(page) == sorted(names(page))
    model = page.table.model()
    row = names(page).index(world["zainab"].full_name)
    assert model.index(row, COL_GENDER).data() == "أنثى"
    assert model.index(row, COL_PHONE).data() == "\u2068+964 770 123 4567\u2069"
    assert model.index(row, COL_ACTIVITIES).data() == "١"
    twin_row = names(page).index(world["twin"].full_name)
    assert model.index(twin_row, COL_GENDER).data() == "أنثى (مخمّن)"
    assert page.count_label.text() == "عدد المشاركين: ٤"


def test_searching_a_spelling_variant(qtbot, page, world):
    type_text(page.search_box, "الاسدى")  # ى for ي, no hamza
    assert len(names(page)) == 4  # waits for the pause
    qtbot.waitUntil(lambda: len(names(page)) == 2, timeout=SEARCH_DELAY_MS * 8)
    assert set(names(page)) == {world["zainab"].full_name, world["twin"].full_name}
    page.search_box.clear()
    type_text(page.search_box, "جامعة")  # the entity is searched too
    qtbot.waitUntil(lambda: names(page) == [world["ali"].full_name],
                    timeout=SEARCH_DELAY_MS * 8)
    page.apply_filters({"query": "هدى"})
    assert names(page) == [world["huda"].full_name]
    page.apply_filters({})
    assert len(names(page)) == 4


def test_the_dashboard_opens_this_months_attendees(page, world):
    page.apply_filters({"date_from": "2026-11-01", "date_to": "2026-11-30"})
    assert set(names(page)) == {world["zainab"].full_name, world["ali"].full_name}
    assert "من حضروا أنشطة" in page.count_label.text()
    assert "تشرين الثاني" in page.count_label.text()


def test_selecting_a_person_shows_their_history(qtbot, page, world):
    assert page.history.model().rowCount() == 0
    click_name(qtbot, page, world["zainab"].full_name)
    history = page.history.model()
    assert history.rowCount() == 1
    assert history.index(0, H_TITLE).data() == world["workshop"].title
    assert history.index(0, H_DATES).data() == "٢٢–٢٣ تشرين الثاني ٢٠٢٦"
    assert history.index(0, H_CERTIFICATE).data() == "\u2068KRB-2026-0007\u2069"
    assert page.history_label.text() == f"مشاركات {world['zainab'].full_name}: ١"
    click_name(qtbot, page, world["huda"].full_name)
    assert history.rowCount() == 0


def test_merging_two_records_leaves_one_with_both_histories(qtbot, page, ctx, world, db):
    from ui.merge_dialog import MergeDialog

    click_name(qtbot, page, world["zainab"].full_name)
    assert not page.merge_action.isEnabled()
    click_name(qtbot, page, world["twin"].full_name, control=True)
    assert page.merge_action.isEnabled()
    found: list[QDialog] = []

    def choose_and_merge() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MergeDialog)
        found.append(dialog)
        assert dialog.isRightToLeft()
        # Both records side by side, in the order they were selected.
        texts = [[cell.text() for cell in row] for row in dialog.cells]
        assert texts[0] == [world["zainab"].full_name, world["twin"].full_name]
        assert texts[-1] == ["١", "١"]  # activities attended
        dialog.keep_buttons[0].click()
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, choose_and_merge)
    with qtbot.waitSignals([ctx.data_changed, ctx.data_changed]):
        page.merge_action.trigger()
    assert found and found[0].result() == QDialog.DialogCode.Accepted
    assert world["twin"].full_name not in names(page)
    assert len(names(page)) == 3
    kept = store.get(db, Person, world["zainab"].id)
    assert kept.email == "zainab@example.iq"  # an empty field filled from the other
    click_name(qtbot, page, kept.full_name)
    history = page.history.model()
    assert {history.index(r, H_TITLE).data() for r in range(history.rowCount())} == {
        world["workshop"].title, world["meeting"].title}
    assert store.get(db, Person, world["twin"].id, include_deleted=True).deleted_at


def test_deleting_a_person_on_lists_says_so_and_undo_restores(qtbot, page, ctx, world, db):
    click_name(qtbot, page, world["ali"].full_name)
    seen: list[str] = []
    answer_box("نعم، انقل إلى السلة", seen)
    with qtbot.waitSignal(ctx.undo_offered) as offer:
        page.delete_selected()
    assert "قوائم حضور ١ من الأنشطة" in seen[0]
    assert seen[1] == "لا"
    assert world["ali"].full_name not in names(page)
    message, undo = offer.args
    assert message == f"نُقل «{world['ali'].full_name}» إلى سلة المحذوفات"
    assert undo() == "persons"
    ctx.changed("persons")
    assert world["ali"].full_name in names(page)


def test_deleting_a_person_on_no_list_asks_plainly(qtbot, page, world):
    click_name(qtbot, page, world["huda"].full_name)
    seen: list[str] = []
    answer_box("لا", seen)
    page.delete_selected()
    assert seen[0] == f"هل تريد نقل «{world['huda'].full_name}» إلى سلة المحذوفات؟"
    assert world["huda"].full_name in names(page)


def test_the_activities_column_does_not_sort(qtbot, page):
    header = page.table.horizontalHeader()
    before = names(page)
    header.setSortIndicator(COL_ACTIVITIES, Qt.SortOrder.DescendingOrder)
    assert names(page) == before
    assert header.sortIndicatorSection() == COL_NAME
    header.setSortIndicator(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert names(page) == sorted(before, reverse=True)


def test_list_persons_pages_and_filters(db, world):
    everyone = [r.full_name for r in list_persons(db)]
    assert everyone == sorted(everyone)
    two = list_persons(db, limit=2) + list_persons(db, limit=2, offset=2)
    assert [r.full_name for r in two] == everyone
    ranked = (world["huda"].id, world["ali"].id)
    assert [r.id for r in list_persons(db, PersonFilter(ids=ranked), order_by="rank")] == \
        list(ranked)
    most = list_persons(db, order_by="activities", descending=True)
    assert most[-1].activities == 0 and most[0].activities == 1
    store.delete(db, Activity, world["meeting"].id)  # a binned activity stops counting
    assert {r.id: r.activities for r in list_persons(db)}[world["twin"].id] == 0


def test_double_click_opens_the_person_form(qtbot, page, world):
    from ui.forms.person_form import PersonDialog

    index = page.table.model().index(names(page).index(world["ali"].full_name), COL_NAME)
    rect = page.table.visualRect(index)
    found: list[QDialog] = []
    close_next_dialog(found)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(found) == 1 and isinstance(found[0], PersonDialog)
    assert found[0].isRightToLeft()
    close_next_dialog(found)
    page.new_record()
    assert len(found) == 2 and isinstance(found[1], PersonDialog)


def test_history_model_without_a_person_is_empty(db):
    model = HistoryModel(db)
    assert model.rowCount(QModelIndex()) == 0 and model.person_id is None
