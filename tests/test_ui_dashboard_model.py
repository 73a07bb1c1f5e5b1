"""The dashboard's list models, without widgets: what each cell shows, in the unit's
digits, and the row behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from models.dashboard import RecentChange, UpcomingActivity
from models.dates import DateStyle
from ui.table_models import ID_ROLE, ROW_ROLE
from ui.table_models.dashboard import RecentModel, UpcomingModel

SEMINAR = UpcomingActivity(id="a1", kind="seminar", title="ندوة انسيابية المعلومات",
                           start_date="2026-11-25", end_date="2026-11-26",
                           place="جامعة كربلاء")
CHANGE = RecentChange(type="recommendation", id="r1",
                      title="تفعيل  منصات\nالتواصل", updated_at="2026-11-20T07:42:00Z",
                      activity_id="a1", activity_date="2026-11-03")


def test_the_upcoming_list_shows_date_range_title_kind_and_place():
    model = UpcomingModel()
    model.set_rows([SEMINAR], DateStyle())
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells[UpcomingModel.COL_TITLE] == "ندوة انسيابية المعلومات"
    assert cells[UpcomingModel.COL_KIND] == "ندوة"
    assert cells[UpcomingModel.COL_PLACE] == "جامعة كربلاء"
    assert "٢٥" in cells[UpcomingModel.COL_DATE] and "٢٦" in cells[UpcomingModel.COL_DATE]
    assert model.index(0, 0).data(ROW_ROLE) is SEMINAR
    assert model.index(0, 0).data(ID_ROLE) == "a1"
    assert model.row_at(0) is SEMINAR
    assert model.headerData(UpcomingModel.COL_DATE, Qt.Orientation.Horizontal) == "التاريخ"


def test_the_unit_digit_style_is_used_and_long_titles_read_in_one_line():
    model = RecentModel()
    model.set_rows([CHANGE], DateStyle(digits="western"))
    assert model.index(0, RecentModel.COL_TITLE).data() == "تفعيل منصات التواصل"
    assert model.index(0, RecentModel.COL_TYPE).data() == CHANGE.type_label
    when = model.index(0, RecentModel.COL_WHEN).data()
    assert "2026" in when and "٢" not in when
    # Cut-off text can be read in the tooltip.
    assert model.index(0, RecentModel.COL_TITLE).data(Qt.ItemDataRole.ToolTipRole) == \
        "تفعيل منصات التواصل"


def test_new_rows_replace_the_old_ones():
    model = UpcomingModel()
    model.set_rows([SEMINAR, SEMINAR], DateStyle())
    assert model.rowCount() == 2
    model.set_rows([], DateStyle())
    assert model.rowCount() == 0 and model.index(0, 0).data() is None
