"""The media monitoring page and its entry form, with real widgets on a real file."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from models import coverage, records, store
from ui.formatting import number_text
from ui.forms.coverage_form import CoverageDialog
from ui.forms.import_dialog import ImportDialog
from ui.pages import coverage as coverage_page
from ui.pages.coverage import COL_NUMBER, COL_TITLE, CoveragePage
from ui.widgets import open_dialogs
from ui.widgets.undo_bar import UndoBar

TODAY = dt.date(2026, 11, 24)


def press(widget, char: str) -> None:
    """One key that types ``char`` (QTest's own keyClicks knows Latin-1 only)."""
    if char.isascii():
        QTest.keyClick(widget, char)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                 char))


def type_into(widget, text: str) -> None:
    """Type ``text`` into ``widget``, key by key."""
    for char in text:
        press(widget, char)


class Keyboard:
    """Key presses sent where the focus is, and counted: the form is used without the
    mouse (nothing here clicks)."""

    def __init__(self) -> None:
        self.presses = 0

    @staticmethod
    def target():
        # Keys go to an open popup (a completer's list) first, as the desktop sends them.
        widget = QApplication.activePopupWidget() or QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type(self, text: str) -> None:
        for char in text:
            press(self.target(), char)
            self.presses += 1

    def key(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1
            ) -> None:
        for _ in range(times):
            QTest.keyClick(self.target(), key, modifier)
            self.presses += 1


def add(db, **values) -> records.CoverageItem:
    fields = {"date": "2026-11-22", "outlet": "قناة العراقية", "medium": "tv",
              "level": "local", "tone": "positive", "title": "مادة"} | values
    return store.insert(db, records.CoverageItem(**fields))


@pytest.fixture
def page(qtbot, ctx):
    widget = CoveragePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def seeded(ctx):
    db = ctx.db
    return {
        "a": add(db, date="2026-11-02", outlet="قناة العراقية", medium="tv",
                 tone="positive", title="افتتاح الورشة في جامعة كربلاء"),
        "b": add(db, date="2026-11-10", outlet="جريدة الصباح", medium="press",
                 level="local", tone="neutral", title="الورشة في الصحافة"),
        "c": add(db, date="2026-11-20", outlet="السومرية نيوز", medium="website",
                 level="regional", tone="negative", title="انتقاد تأخر التوصيات",
                 link="https://www.alsumaria.tv/news/77"),
        "d": add(db, date="2026-11-23", outlet="قناة العراقية", medium="tv",
                 tone="positive", title="لقاء مع منسق الاتصال"),
    }


def titles(page: CoveragePage) -> list[str]:
    return [page.model.text(r, COL_TITLE) for r in range(page.model.rowCount())]


def test_three_items_in_a_row_with_the_keyboard_only(qtbot, ctx):
    add(ctx.db, date="2026-10-01", outlet="جريدة الصباح", medium="press", title="قديمة")
    dialog = CoverageDialog(ctx, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # Offscreen, a new window is not activated by a window manager; and a window left
    # by an earlier test may still hold the focus: wait for the form's own field.
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.outlet.lineEdit().hasFocus())
    keys = Keyboard()

    # First item: a new outlet, its medium chosen from the list (Home: تلفزيون).
    keys.type("قناة العراقية")
    keys.key(Qt.Key.Key_Tab)
    keys.key(Qt.Key.Key_Home)           # medium: the first, تلفزيون
    keys.key(Qt.Key.Key_Tab)
    keys.key(Qt.Key.Key_Tab)            # level: محلي as it is
    keys.type("افتتاح الورشة")
    keys.key(Qt.Key.Key_Tab)
    keys.type("imn.iq/1")
    keys.key(Qt.Key.Key_Tab)
    keys.type("1")                      # tone: إيجابي
    keys.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.title_edit.hasFocus() and dialog.title_edit.text() == ""
    assert dialog.outlet.currentText() == "قناة العراقية"
    assert dialog.date.value() == TODAY.isoformat()

    # Second: the same outlet and date, straight from the title.
    keys.type("تغطية اليوم الثاني")
    keys.key(Qt.Key.Key_Tab)
    keys.key(Qt.Key.Key_Tab)            # no link
    keys.type("3")                      # tone: سلبي
    keys.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    # Third: back to the date (Shift+Tab four times) for the day before, then a known
    # outlet from its first word (its medium comes with it); tone left محايد.
    keys.key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier, times=4)
    assert dialog.date.line.hasFocus()
    keys.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keys.type("2026-11-23")
    keys.key(Qt.Key.Key_Tab)
    keys.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keys.type("جريدة")
    keys.key(Qt.Key.Key_Down)           # the completer's first: جريدة الصباح
    keys.key(Qt.Key.Key_Return)
    assert dialog.medium.currentData() == "press"
    keys.key(Qt.Key.Key_Tab, times=3)
    keys.type("لقاء مع منسق الاتصال")
    keys.key(Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    keys.key(Qt.Key.Key_Escape)

    assert not dialog.isVisible()
    stored = coverage.list_items(ctx.db, coverage.CoverageFilter(date_from="2026-11-01"))
    assert [(i.date, i.outlet, i.medium, i.level, i.tone, i.title, i.link) for i in stored] == [
        ("2026-11-23", "جريدة الصباح", "press", "local", "neutral", "لقاء مع منسق الاتصال",
         ""),
        ("2026-11-24", "قناة العراقية", "tv", "local", "positive", "افتتاح الورشة",
         "https://imn.iq/1"),
        ("2026-11-24", "قناة العراقية", "tv", "local", "negative", "تغطية اليوم الثاني", ""),
    ]
    # Every key counted: the text typed, and 24 keys to move, choose, save and close.
    typed = sum(len(t) for t in ("قناة العراقية", "افتتاح الورشة", "imn.iq/1", "1",
                                 "تغطية اليوم الثاني", "3", "2026-11-23", "جريدة",
                                 "لقاء مع منسق الاتصال"))
    assert keys.presses == typed + 24


def test_enter_alone_moves_on_and_saves_nothing(qtbot, ctx):
    dialog = CoverageDialog(ctx, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.title_edit.setFocus()
    qtbot.waitUntil(dialog.title_edit.hasFocus)
    type_into(dialog.title_edit, "عنوان")
    QTest.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.link.hasFocus()
    assert coverage.list_items(ctx.db) == []


def test_a_missing_title_shows_under_the_field(qtbot, ctx):
    dialog = CoverageDialog(ctx, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_and_next()
    assert dialog.errors.message("title")
    assert dialog.errors.message("date") == ""
    assert coverage.list_items(ctx.db) == []


def test_choosing_a_known_outlet_fills_its_medium_and_level(qtbot, ctx, seeded):
    dialog = CoverageDialog(ctx, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.medium.currentData() == "website"
    type_into(dialog.outlet.lineEdit(), "جريدة الصباح")
    assert dialog.medium.currentData() == "press"
    assert dialog.level.currentData() == "local"
    assert "صحافة" in dialog.outlet_hint.text()


def test_a_pasted_link_proposes_the_outlet_by_its_domain(qtbot, ctx, seeded):
    dialog = CoverageDialog(ctx, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.link.setFocus()
    QGuiApplication.clipboard().setText("https://alsumaria.tv/news/901")
    QTest.keyClick(dialog.link, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dialog.link.text() == "https://alsumaria.tv/news/901"
    assert dialog.outlet.currentText() == "السومرية نيوز"
    assert dialog.medium.currentData() == "website"
    assert dialog.level.currentData() == "regional"
    assert "alsumaria.tv" in dialog.outlet_hint.text()


def test_a_pasted_link_leaves_a_typed_outlet_alone(qtbot, ctx, seeded):
    dialog = CoverageDialog(ctx, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.outlet.setEditText("قناة الفرات")
    dialog.link.setText("https://www.alsumaria.tv/news/902")
    assert dialog.outlet.currentText() == "قناة الفرات"


def test_filters_narrow_the_list(qtbot, seeded, page):
    assert len(titles(page)) == 4
    page.medium.setCurrentIndex(page.medium.findData("tv"))
    # Newest first.
    assert titles(page) == ["لقاء مع منسق الاتصال", "افتتاح الورشة في جامعة كربلاء"]
    page.date_from.setValue("2026-11-15")
    assert titles(page) == ["لقاء مع منسق الاتصال"]
    page.clear_filters()
    page.level.setCurrentIndex(page.level.findData("regional"))
    assert titles(page) == ["انتقاد تأخر التوصيات"]
    page.clear_filters()
    page.tone.setCurrentIndex(page.tone.findData("neutral"))
    page.date_to.setValue("2026-11-09")
    assert titles(page) == []


def test_the_tone_counts_line_follows_the_filters(qtbot, seeded, page, ctx):
    n = lambda value: number_text(value, ctx.date_style)  # noqa: E731
    text = page.count_label.text()
    assert f"عدد المواد: {n(4)}" in text
    assert f"إيجابي: {n(2)}" in text and f"محايد: {n(1)}" in text and f"سلبي: {n(1)}" in text
    page.date_from.setValue("2026-11-15")
    text = page.count_label.text()
    assert f"عدد المواد: {n(2)}" in text
    assert f"إيجابي: {n(1)}" in text and f"محايد: {n(0)}" in text and f"سلبي: {n(1)}" in text


def test_a_saved_item_appears_in_the_list(qtbot, seeded, page, ctx):
    add(ctx.db, title="مادة جديدة")
    ctx.changed("coverage_items")
    assert "مادة جديدة" in titles(page)


def test_import_of_an_xlsx_with_arabic_headers_through_the_page(qtbot, page, ctx, tmp_path,
                                                                monkeypatch):
    path = tmp_path / "رصد تشرين الثاني.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ت", "التاريخ", "الوسيلة", "نوع الوسيلة", "المستوى", "الاتجاه",
                  "العنوان", "الرابط"])
    sheet.append([1, dt.date(2026, 11, 22), "قناة العراقية", "قناة فضائية", "محلي",
                  "ايجابي", "افتتاح الورشة", "https://imn.iq/1"])
    sheet.append([2, "2026-11-23", "جريدة الصباح", "جريدة", "محلي", "محايد",
                  "الورشة في الصحافة", ""])
    sheet.append([3, "2026-11-23", "وكالة الأنباء العراقية", "وكالة أنباء", "دولي",
                  "ممتاز", "خبر بلا اتجاه صحيح", ""])
    sheet.append([4, "2026-11-24", "الشرقية", "تلفزيون", "إقليمي", "سلبي",
                  "انتقاد", "alsharqiya.com/x"])
    book.save(path)
    ini = tmp_path / "dialogs.ini"
    monkeypatch.setattr(open_dialogs, "_settings",
                        lambda: QSettings(str(ini), QSettings.Format.IniFormat))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *_args, **_kw: (str(path), ""))

    page.import_action.trigger()
    dialog = page.import_dialog
    assert dialog is not None
    # The attendees' mapping dialog, its column combos offering the coverage's fields.
    assert isinstance(dialog, ImportDialog) and dialog.windowTitle() == "استيراد مواد الرصد"
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    assert [c.currentData() for c in dialog.combos] == [
        None, "date", "outlet", "medium", "level", "tone", "title", "link"]
    assert "الوصول" in [dialog.combos[0].itemText(i) for i in range(dialog.combos[0].count())]
    n = lambda value: number_text(value, ctx.date_style)  # noqa: E731
    counts = dialog.counts_label.text()
    assert f"ستُضاف {n(3)} من المواد" in counts and f"يُترك {n(1)} من الصفوف" in counts
    statuses = [dialog.model.index(r, dialog.model.COL_STATUS).data()
                for r in range(dialog.model.rowCount())]
    assert statuses == ["جديدة", "جديدة", "فيها مشكلة", "جديدة"]
    tip = dialog.model.index(2, dialog.model.COL_STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert "الاتجاه" in tip and "ممتاز" in tip
    assert coverage.list_items(ctx.db) == []  # nothing before the click
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert f"استُورد {n(3)}" in page.import_note.text()
    assert f"الصف {n(4)}: الاتجاه" in page.import_note.toolTip()
    stored = coverage.list_items(ctx.db)
    assert [(i.outlet, i.medium, i.level, i.tone) for i in stored] == [
        ("قناة العراقية", "tv", "local", "positive"),
        ("جريدة الصباح", "press", "local", "neutral"),
        ("الشرقية", "tv", "regional", "negative")]
    assert sorted(titles(page)) == sorted(i.title for i in stored)
    assert ini.exists() and str(tmp_path) in ini.read_text(encoding="utf-8")


def test_delete_asks_and_can_be_undone(qtbot, seeded, page, ctx, monkeypatch):
    asked = []

    def answer(_parent, _title, text, _yes, _no):
        asked.append(text)
        return len(asked) > 1  # no the first time, yes the second

    monkeypatch.setattr(coverage_page, "confirm", answer)
    bar = UndoBar(ctx)
    qtbot.addWidget(bar)
    assert page.select(seeded["b"].id)
    page.delete_action.trigger()
    assert "الورشة في الصحافة" in asked[0]
    assert len(titles(page)) == 4
    page.delete_action.trigger()
    assert len(asked) == 2
    assert "الورشة في الصحافة" not in titles(page)
    assert "الورشة في الصحافة" in bar.message.text()
    bar.button.click()
    assert "الورشة في الصحافة" in titles(page)


def test_the_page_reads_right_to_left(qtbot, seeded, page):
    assert page.layoutDirection() == Qt.LayoutDirection.RightToLeft
    header = page.table.horizontalHeader()
    # The number column is the rightmost, the title left of it.
    assert header.sectionViewportPosition(COL_NUMBER) > \
        header.sectionViewportPosition(COL_TITLE)
    toolbar = page.toolbar
    first = toolbar.widgetForAction(page.new_action).geometry()
    later = toolbar.widgetForAction(page.import_action).geometry()
    assert first.x() > later.x()


def test_tab_leaves_the_table(qtbot, seeded, page):
    page.table.setFocus()
    page.select(seeded["a"].id)
    assert page.table.hasFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Tab)
    assert not page.table.hasFocus()
    assert page.current_id() == seeded["a"].id


def test_the_window_lists_the_page(qtbot, ctx, tmp_path):
    from ui.main_window import MainWindow

    window = MainWindow(ctx, settings=QSettings(str(tmp_path / "w.ini"),
                                                QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    page = window.show_page("coverage")
    assert isinstance(page, CoveragePage)
    assert window.nav.currentItem().text() == "الرصد الإعلامي"


def test_excel_exports_the_filtered_list(qtbot, seeded, page, desktop, tmp_path):
    from ui.export import ExportResultDialog

    page.medium.setCurrentIndex(page.medium.findData("tv"))
    desktop.answer = tmp_path / "الرصد"
    page.excel_action.trigger()
    qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None, timeout=20000)
    path = page.findChild(ExportResultDialog).path
    assert path == tmp_path / "الرصد.xlsx"
    sheet = openpyxl.load_workbook(path).active
    assert sheet.sheet_view.rightToLeft and sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["التاريخ", "الوسيلة", "نوع الوسيلة", "المستوى", "الاتجاه", "العنوان",
                       "الموضوع", "الرابط", "النشاط", "الوصول", "ملاحظات"]
    assert [r[:6] for r in rows[1:]] == [  # as the page lists them: newest first
        [dt.datetime(2026, 11, 23), "قناة العراقية", "تلفزيون", "محلي", "إيجابي",
         "لقاء مع منسق الاتصال"],
        [dt.datetime(2026, 11, 2), "قناة العراقية", "تلفزيون", "محلي", "إيجابي",
         "افتتاح الورشة في جامعة كربلاء"]]


def test_editing_an_item_with_the_keyboard(qtbot, seeded, page, ctx):
    from PySide6.QtCore import QTimer

    assert page.select(seeded["b"].id)
    seen = {}

    def edit() -> None:
        dialog = page.findChild(CoverageDialog)
        seen["tries"] = seen.get("tries", 0) + 1
        if dialog is not None and dialog.isVisible() and not dialog.isActiveWindow():
            dialog.activateWindow()  # shortcuts answer in the active window only
        if (dialog is None or not dialog.isActiveWindow()) and seen["tries"] < 100:
            QTimer.singleShot(20, edit)
            return
        seen["dialog"] = dialog
        try:
            seen["title"] = dialog.title_edit.text()
            seen["next_shown"] = dialog.next_button.isVisible()
            dialog.tone.setFocus()
            QTest.keyClick(dialog.tone, Qt.Key.Key_Minus)      # tone: سلبي
            QTest.keyClick(dialog.tone, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        finally:
            if dialog.isVisible():  # never leave the test waiting on a modal dialog
                seen["left_open"] = True
                dialog.reject()

    QTimer.singleShot(0, edit)
    page.edit_action.trigger()
    assert seen["title"] == "الورشة في الصحافة"
    assert "left_open" not in seen and not seen["next_shown"]
    item = store.get(ctx.db, records.CoverageItem, seeded["b"].id)
    assert item.tone == "negative" and item.title == "الورشة في الصحافة"
    assert page.current_id() == seeded["b"].id
    assert "سلبي: " in page.count_label.text()
    assert len(coverage.list_items(ctx.db)) == 4  # edited, not added


def choose_period(first: str, last: str):
    """A stand-in for running the period dialog: the user picks ``first``–``last``."""
    def choose(dialog) -> bool:
        dialog.set_period("custom")
        dialog.date_from.setValue(first)
        dialog.date_to.setValue(last)
        return True
    return choose


def test_the_report_button_writes_the_monitoring_report_of_the_period(
        qtbot, seeded, page, desktop, tmp_path, monkeypatch):
    import docx

    from ui.export import ExportResultDialog
    from ui.forms import form_base

    monkeypatch.setattr(form_base, "run_modal", choose_period("2026-11-01", "2026-11-15"))
    desktop.answer = tmp_path / "رصد.docx"
    page.report_action.trigger()
    qtbot.waitUntil(lambda: page.findChild(ExportResultDialog) is not None, timeout=20000)
    document = docx.Document(desktop.answer)
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "افتتاح الورشة في جامعة كربلاء" in text and "الورشة في الصحافة" in text
    assert "انتقاد تأخر التوصيات" not in text  # 20 November: outside the period
