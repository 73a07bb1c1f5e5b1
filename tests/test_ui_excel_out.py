"""«تصدير إلى Excel…» on the list pages and the attendees tab, used as a coordinator would:
narrow the list (a filter, a search), export, answer the save dialog, open the file. The
workbook holds what the list showed — only the filtered rows, every one of them (not just
the pages loaded), in the list's order, under its headers — and a database whose name
ends in .xlsx cannot be overwritten by it."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from models import attendance, store
from models.records import Activity, Person
from tests.conftest import karbala_workshop
from tests.test_ui_activities_page import type_text
from ui.export import ExportResultDialog
from ui.pages.activities import ActivitiesPage
from ui.pages.certificates import CertificatesPage
from ui.pages.persons import PersonsPage
from ui.table_models.activities import COL_TITLE
from ui.table_models.persons import COL_NAME

HYPERLINK = '=HYPERLINK("http://x")'
LISTED = ("زينب علي حسين الأسدي", "علي كاظم جواد", "-5")
EXCEL = "تصدير إلى Excel…"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database whose name ends in .xlsx: a suffix check alone would let it be replaced."""
    return tmp_path / "data.xlsx"


@pytest.fixture
def world(db):
    """The Karbala workshop (two days) with three on its list, five other activities, and
    230 more persons than a page of the list holds."""
    workshop = store.insert(db, karbala_workshop())
    listed = [store.insert(db, Person(full_name=name, gender="f" if n == 0 else "m",
                                      phone=f"+964 770 000 000{n}"))
              for n, name in enumerate(LISTED)]
    for person in listed:
        attendance.add(db, workshop.id, person.id)
    attendance.set_days(db, attendance.attendees(db, workshop.id)[1].attendance_id, [2])
    store.insert(db, Person(full_name=HYPERLINK, entity="@SUM(A1)"))
    for n in range(230):
        store.insert(db, Person(full_name=f"مشارك رقم {n:03d}", entity="جامعة كربلاء"))
    for activity in (
            Activity(kind="meeting", title="الاجتماع الدوري لمنسقي الاتصال الحكومي",
                     start_date="2026-10-05", status="sent", place="ديوان المحافظة"),
            Activity(kind="course", title="دورة تدريبية في التصوير الصحفي",
                     start_date="2026-09-14", end_date="2026-09-16", status="draft",
                     place="قاعة الشهداء", participants_count=18),
            Activity(kind="workshop", title="ورشة عن أخلاقيات العمل الإعلامي",
                     start_date="2025-12-01", status="draft", place="قاعة الشهداء"),
            Activity(kind="workshop", title="ورشة الاتصال الحكومي في الأزمات",
                     start_date="2026-03-10", status="approved", place="ديوان المحافظة"),
            Activity(kind="seminar", title="ندوة عن الأمن الغذائي", start_date="2026-06-02",
                     status="approved", place="جامعة كربلاء")):
        store.insert(db, activity)
    return workshop


def on_screen(qtbot, page: QWidget) -> QWidget:
    qtbot.addWidget(page)
    page.resize(1100, 650)
    page.show()
    qtbot.waitExposed(page)
    return page


def exported(qtbot, parent: QWidget, desktop, answer: Path, trigger) -> tuple[Path, list]:
    """Trigger an export, answer the save dialog with ``answer``, open the file from the
    result dialog; the file and its sheet's rows (values)."""
    desktop.answer = answer
    trigger()
    qtbot.waitUntil(lambda: parent.findChild(ExportResultDialog) is not None, timeout=20000)
    dialog = parent.findChild(ExportResultDialog)
    dialog.open_button.click()  # one click opens the file
    assert desktop.opened == [str(dialog.path)]
    sheet = load_workbook(dialog.path).active
    assert sheet.sheet_view.rightToLeft and sheet.freeze_panes == "A2"
    return dialog.path, [[c.value for c in row] for row in sheet.iter_rows()]


def column(model, col: int) -> list[str]:
    while model.canFetchMore():
        model.fetchMore()
    return [model.index(r, col).data() for r in range(model.rowCount())]


# --- activities -----------------------------------------------------------------------

def test_the_activities_page_exports_only_its_filtered_rows_in_its_order(qtbot, ctx, world,
                                                                         desktop, tmp_path):
    page = on_screen(qtbot, ActivitiesPage(ctx))
    assert page.excel_action.text() == EXCEL and page.excel_action.isEnabled()
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("workshop"))
    page.table.sortByColumn(COL_TITLE, page.table.horizontalHeader().sortIndicatorOrder())
    titles = column(page.model, COL_TITLE)
    assert len(titles) == 3

    path, rows = exported(qtbot, page, desktop, tmp_path / "الورش",
                          page.excel_action.trigger)
    assert path == tmp_path / "الورش.xlsx"  # the suffix is added
    assert desktop.suggested[0].name.startswith(f"الأنشطة - {dt.date.today().isoformat()}")
    assert rows[0] == ["عنوان النشاط", "النوع", "التاريخ", "تاريخ الانتهاء", "المكان",
                       "المشاركون", "الحالة"]
    assert [r[0] for r in rows[1:]] == titles
    assert {r[1] for r in rows[1:]} == {"ورشة عمل"}
    karbala = next(r for r in rows if r[0] == world.title)
    assert karbala[2:] == [dt.datetime(2026, 11, 22), dt.datetime(2026, 11, 23),
                           "جامعة كربلاء", 3, "معتمد"]


def test_a_search_typed_just_before_exporting_is_what_is_exported(qtbot, ctx, world,
                                                                  desktop, tmp_path):
    page = on_screen(qtbot, ActivitiesPage(ctx))
    type_text(page.search_box, "الإتصال")  # a hamza variant; exported before the pause ends
    _path, rows = exported(qtbot, page, desktop, tmp_path / "بحث.xlsx",
                           page.excel_action.trigger)
    titles = [r[0] for r in rows[1:]]
    assert sorted(titles) == sorted([world.title, "الاجتماع الدوري لمنسقي الاتصال الحكومي",
                                     "ورشة الاتصال الحكومي في الأزمات"])
    assert titles == column(page.model, COL_TITLE)  # the search's order, as shown


# --- persons ----------------------------------------------------------------------------

def test_the_persons_page_exports_every_row_and_hostile_names_stay_text(qtbot, ctx, world,
                                                                        desktop, tmp_path):
    page = on_screen(qtbot, PersonsPage(ctx))
    assert page.model.rowCount() < page.model.total  # not every row is loaded yet
    path, rows = exported(qtbot, page, desktop, tmp_path / "المشاركون.xlsx",
                          page.excel_action.trigger)
    assert rows[0] == ["الاسم", "الجنس", "العنوان الوظيفي", "الجهة", "الهاتف", "الأنشطة"]
    assert len(rows) - 1 == page.model.total == 234
    assert [r[0] for r in rows[1:]] == column(page.model, COL_NAME)
    zainab = next(r for r in rows if r[0] == LISTED[0])
    assert zainab[1] == "أنثى" and zainab[4] == "+964 770 000 0000" and zainab[5] == 1
    sheet = load_workbook(path).active
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row}
    for text in (HYPERLINK, "-5", "@SUM(A1)", "+964 770 000 0000"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text


def test_the_persons_search_exports_its_hits_only(qtbot, ctx, world, desktop, tmp_path):
    page = on_screen(qtbot, PersonsPage(ctx))
    type_text(page.search_box, "زينب")
    page.apply()
    assert page.model.total == 1
    _path, rows = exported(qtbot, page, desktop, tmp_path / "زينب.xlsx",
                           page.excel_action.trigger)
    assert [r[0] for r in rows[1:]] == [LISTED[0]]


def test_the_database_itself_is_never_the_workbook(qtbot, ctx, db, world, desktop):
    page = on_screen(qtbot, PersonsPage(ctx))
    before = hashlib.sha256(db.path.read_bytes()).hexdigest()
    desktop.answer = db.path
    assert page.export_excel() is None
    assert desktop.warnings and "ملف قاعدة البيانات نفسه" in desktop.warnings[0]
    assert hashlib.sha256(db.path.read_bytes()).hexdigest() == before


def test_cancelling_the_save_dialog_writes_nothing(qtbot, ctx, world, desktop, tmp_path):
    page = on_screen(qtbot, PersonsPage(ctx))
    desktop.answer = None
    assert page.export_excel() is None
    assert page.findChild(ExportResultDialog) is None
    assert [p.name for p in tmp_path.rglob("*.xlsx")] == ["data.xlsx"]  # the database


# --- the certificate register -----------------------------------------------------------

def test_the_register_export_is_the_lists_and_waits_for_certificates(qtbot, ctx, world):
    page = on_screen(qtbot, CertificatesPage(ctx))
    assert page.export_action is page.excel_action
    assert page.excel_action.text() == EXCEL
    assert not page.excel_action.isEnabled()  # nothing issued yet: nothing to export


# --- the attendees tab ------------------------------------------------------------------

def test_the_attendees_tab_exports_its_list_with_its_days(qtbot, ctx, world, desktop,
                                                          tmp_path):
    from ui.forms.activity_form import ActivityDialog

    form = ActivityDialog(ctx, world.id)
    qtbot.addWidget(form)
    form.show()
    editor = form.attendees
    assert editor.excel_button.text() == EXCEL and editor.excel_button.isEnabled()
    _path, rows = exported(qtbot, editor, desktop, tmp_path / "الحضور.xlsx",
                           editor.excel_button.click)
    assert desktop.suggested[0].name.startswith("المشاركون - ورشة تطويرية")
    assert rows[0] == [editor.model.headerData(c, Qt.Orientation.Horizontal)
                       for c in range(editor.model.columnCount())]
    assert rows[0][-2:] == ["اليوم ١", "اليوم ٢"]
    assert [r[:2] for r in rows[1:]] == [[1, LISTED[0]], [2, LISTED[1]], [3, LISTED[2]]]
    assert [r[-2:] for r in rows[1:]] == [["✓", "✓"], [None, "✓"], ["✓", "✓"]]
    assert rows[3][1] == "-5"  # a name, not minus five


def test_a_new_activity_has_no_list_to_export(qtbot, ctx, world):
    from ui.forms.activity_form import ActivityDialog

    form = ActivityDialog(ctx)
    qtbot.addWidget(form)
    assert not form.attendees.excel_button.isEnabled()


def test_a_list_without_typed_columns_exports_the_texts_it_shows(qtbot, ctx, db, world):
    from ui.table_models import FilteredTableModel
    from ui.table_models.persons import PersonsModel

    class PlainModel(PersonsModel):
        """A list page's model as a new page might first write it: no excel_reader."""

        excel_reader = FilteredTableModel.excel_reader

    model = PlainModel(db, ctx.date_style)
    table = model.excel_reader()(db)
    assert [c.header for c in table.columns] == list(model.HEADERS)
    assert {c.kind for c in table.columns} == {"text"}
    assert len(table.rows) == model.total == 234 > model.rowCount()
    assert [list(r) for r in table.rows[:3]] == [
        [model.index(r, c).data() for c in range(model.columnCount())] for r in range(3)]


def test_a_list_without_typed_columns_is_read_in_the_export_task(qtbot, ctx, world, desktop,
                                                                 tmp_path, monkeypatch):
    """The default reader reads nothing on the UI thread: the export's task reads every
    row, by its own connection, with the filter of the moment the export started."""
    import threading

    from ui.table_models import FilteredTableModel
    from ui.table_models.persons import PersonsModel

    monkeypatch.setattr(PersonsModel, "excel_reader", FilteredTableModel.excel_reader)
    page = on_screen(qtbot, PersonsPage(ctx))
    type_text(page.search_box, "مشارك")
    page.apply()
    assert page.model.total == 230
    reads = []
    real_read = PersonsModel.read_rows

    def read_rows(self, limit: int, offset: int):
        reads.append((threading.current_thread() is threading.main_thread(), self.db,
                      limit, offset))
        return real_read(self, limit, offset)

    monkeypatch.setattr(PersonsModel, "read_rows", read_rows)
    _path, rows = exported(qtbot, page, desktop, tmp_path / "المشاركون.xlsx",
                           page.excel_action.trigger)
    assert len(reads) == 1
    on_ui_thread, connection, limit, offset = reads[0]
    assert not on_ui_thread and connection is not ctx.db
    assert (limit, offset) == (230, 0)
    assert rows[0] == list(page.model.HEADERS)
    assert [r[0] for r in rows[1:]] == column(page.model, COL_NAME)
    assert len(rows) - 1 == 230 and rows[1][3] == "جامعة كربلاء"
