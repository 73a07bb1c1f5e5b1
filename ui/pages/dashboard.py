"""The dashboard: this month's activities by kind, attendees, drafts, what is coming, what
changed lately. Every figure and row opens the list behind it through ``ctx.navigate``.

The figures come from :func:`models.dashboard.summary`, computed off the UI thread
(:func:`ui.tasks.run_task`, with its own connection) whenever the page is shown or the
data change while it is visible; the old figures stay on screen until the new ones arrive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import dashboard, vocab
from models.dashboard import DashboardSummary, RecentChange, UpcomingActivity
from models.dates import DateStyle, format_month
from ui.context import AppContext
from ui.formatting import date_text, digits_text, number_text, range_text
from ui.pages.base import Page
from ui.tasks import Task, run_task

TEXT = {
    "title": "لوحة المتابعة",
    "heading": "لوحة المتابعة — {month}",
    "month_total": "أنشطة هذا الشهر",
    "persons": "مشاركون حضروا هذا الشهر",
    "attendance": "سجلات الحضور هذا الشهر",
    "drafts": "مسودات بانتظار الاعتماد",
    "by_kind": "أنشطة هذا الشهر حسب النوع",
    "kind_button": "{label}: {count}",
    "no_month": "لا أنشطة في هذا الشهر بعد.",
    "upcoming": "الأنشطة القادمة",
    "all_upcoming": "عرض كل القادمة",
    "no_upcoming": "لا أنشطة قادمة.",
    "recent": "آخر التعديلات",
    "no_recent": "لم يُسجَّل شيء بعد.",
    "failed": "تعذّر حساب أرقام لوحة المتابعة: {error}",
    "col_date": "التاريخ",
    "col_title": "النشاط",
    "col_kind": "النوع",
    "col_place": "المكان",
    "col_type": "السجل",
    "col_record": "العنوان",
    "col_when": "آخر تعديل",
    # export (issue 4)
    "export_month": "تصدير تقرير الشهر",
    "export_month_tip": "تصدير التقرير الدوري للشهر المعروض مستندَ Word",
}

KIND_COLUMNS = 5
CARD_STYLE = """
QPushButton[card="true"] {
    background: palette(base); border: 1px solid #cfd9dc; border-radius: 8px;
    padding: 8px 12px;
}
QPushButton[card="true"]:hover, QPushButton[card="true"]:focus { border-color: #1f7a74; }
"""
LEADING = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
ROW_ROLE = Qt.ItemDataRole.UserRole
NO_PARENT = QModelIndex()


def _local_stamp(stamp: str, style: DateStyle) -> str:
    """A stored UTC time as the local date and hour: "٢٣ تشرين الثاني ٢٠٢٦ ١٠:٤٢"."""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    return f"{date_text(moment.date(), style)} {digits_text(moment.strftime('%H:%M'), style)}"


class _RowsModel(QAbstractTableModel):
    """A read-only table over a short list of dataclasses (the dashboard's lists)."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self.style = DateStyle()

    def set_rows(self, rows: Sequence[Any], style: DateStyle) -> None:
        """Show these rows, formatted the unit's way."""
        self.beginResetModel()
        self._rows, self.style = list(rows), style
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        """The dataclass behind a row."""
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(LEADING)
        if role == ROW_ROLE:
            return row
        return None

    def text(self, row: Any, column: int) -> str:
        """The text of one cell."""
        raise NotImplementedError


class UpcomingModel(_RowsModel):
    """The next activities: date, title, kind, place."""

    COL_DATE, COL_TITLE, COL_KIND, COL_PLACE = range(4)
    HEADERS = (TEXT["col_date"], TEXT["col_title"], TEXT["col_kind"], TEXT["col_place"])

    def text(self, row: UpcomingActivity, column: int) -> str:
        if column == self.COL_DATE:
            return range_text(row.start_date, row.end_date, self.style)
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_KIND:
            return vocab.ACTIVITY_KINDS.get(row.kind, row.kind)
        return row.place


class RecentModel(_RowsModel):
    """The records changed last: their type, what they are called, when."""

    COL_TYPE, COL_TITLE, COL_WHEN = range(3)
    HEADERS = (TEXT["col_type"], TEXT["col_record"], TEXT["col_when"])

    def text(self, row: RecentChange, column: int) -> str:
        if column == self.COL_TYPE:
            return row.type_label
        if column == self.COL_TITLE:
            return " ".join(row.title.split())  # a recommendation may span lines
        return _local_stamp(row.updated_at, self.style)


class Card(QPushButton):
    """A big number with its caption; clicking opens the list behind the number."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        # Buttons never shrink below their size hint; a card may, down to its minimum.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        self.number = QLabel("…", self)
        font = QFont(self.number.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(caption, self)
        self.caption.setWordWrap(True)  # narrow windows: the caption takes two lines
        for label in (self.number, self.caption):
            label.setAlignment(LEADING)
            # Clicks go through the labels to the button.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(label)
        self.setAccessibleName(caption)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # QPushButton sizes itself by its own (empty) text; the labels decide here.
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.layout().minimumSize()


class DashboardPage(Page):
    """This month at a glance; each figure is a way into the lists."""

    key = "dashboard"
    title = TEXT["title"]

    #: New figures are on screen.
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.today = dt.date.today
        self.summary: DashboardSummary | None = None
        self.task: Task | None = None
        self._again = False
        self.setStyleSheet(CARD_STYLE)

        self.heading = QLabel(TEXT["title"], self)
        self.heading.setObjectName("dashboardHeading")
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAlignment(LEADING)
        # export (issue 4): the periodic report of the month shown
        self.export_button = QPushButton(TEXT["export_month"], self)
        self.export_button.setObjectName("exportMonth")
        self.export_button.setToolTip(TEXT["export_month_tip"])
        self.export_button.setEnabled(False)  # until the month's figures are in
        self.export_button.clicked.connect(self.export_month)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.hide()

        cards = QHBoxLayout()
        self.cards: dict[str, Card] = {}
        for name in ("month_total", "persons", "attendance", "drafts"):
            card = Card(TEXT[name], self)
            card.setObjectName(f"card_{name}")
            card.clicked.connect(lambda _=False, n=name: self.open_card(n))
            self.cards[name] = card
            cards.addWidget(card)
        cards.addStretch(1)

        kinds = QGroupBox(TEXT["by_kind"], self)
        self.kinds_grid = QGridLayout(kinds)
        self.kind_buttons: dict[str, QPushButton] = {}
        self.no_month = QLabel(TEXT["no_month"], kinds)
        self.no_month.setAlignment(LEADING)
        self.kinds_grid.addWidget(self.no_month, 0, 0, 1, KIND_COLUMNS)

        self.upcoming_model = UpcomingModel(self)
        self.recent_model = RecentModel(self)
        upcoming = QGroupBox(TEXT["upcoming"], self)
        self.upcoming_view = self._table(self.upcoming_model, upcoming, "upcomingView",
                                         (UpcomingModel.COL_TITLE, UpcomingModel.COL_PLACE))
        self.upcoming_view.clicked.connect(self.open_upcoming)
        self.upcoming_view.activated.connect(self.open_upcoming)
        self.no_upcoming = QLabel(TEXT["no_upcoming"], upcoming)
        all_upcoming = QPushButton(TEXT["all_upcoming"], upcoming)
        all_upcoming.setObjectName("allUpcoming")
        all_upcoming.clicked.connect(self.open_all_upcoming)
        box = QVBoxLayout(upcoming)
        box.addWidget(self.upcoming_view)
        box.addWidget(self.no_upcoming)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(all_upcoming)
        box.addLayout(row)

        recent = QGroupBox(TEXT["recent"], self)
        self.recent_view = self._table(self.recent_model, recent, "recentView",
                                       (RecentModel.COL_TITLE,))
        self.recent_view.clicked.connect(self.open_recent)
        self.recent_view.activated.connect(self.open_recent)
        self.no_recent = QLabel(TEXT["no_recent"], recent)
        box = QVBoxLayout(recent)
        box.addWidget(self.recent_view)
        box.addWidget(self.no_recent)
        for label in (self.no_upcoming, self.no_recent):
            label.setAlignment(LEADING)
            label.hide()

        lists = QHBoxLayout()
        lists.addWidget(upcoming, 1)
        lists.addWidget(recent, 1)

        column = QVBoxLayout(self)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.export_button)  # export (issue 4)
        column.addLayout(heading_row)
        column.addWidget(self.error)
        column.addLayout(cards)
        column.addWidget(kinds)
        column.addLayout(lists, 1)

        ctx.data_changed.connect(self._data_changed)
        ctx.settings_changed.connect(self._render)

    def _table(self, model: _RowsModel, parent: QWidget, name: str,
               stretch: tuple[int, ...]) -> QTableView:
        view = QTableView(parent)
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setCursor(Qt.CursorShape.PointingHandCursor)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in stretch:  # long texts share the room left and elide
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(LEADING)
        return view

    # --- loading --------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """True while new figures are being computed."""
        return self.task is not None and self.task.running

    def refresh(self) -> None:
        """Recompute the figures in the background; they show when ready."""
        if self.loading:
            self._again = True
            return
        today = self.today()
        self.task = run_task(self, lambda _progress, db: dashboard.summary(db, today),
                             db_path=self.ctx.db.path, show_progress=False,
                             on_done=self._loaded, on_failed=self._failed)

    def _loaded(self, summary: DashboardSummary) -> None:
        self.summary = summary
        self.error.hide()
        self._render()
        self._finished()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(TEXT["failed"].format(error=error))
        self.error.show()
        self._finished()

    def _finished(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
        else:
            self.loaded.emit()

    def _data_changed(self, _table: str) -> None:
        if self.isVisible():  # a hidden dashboard refreshes when it is shown again
            self.refresh()

    # --- showing --------------------------------------------------------------------

    def _render(self) -> None:
        summary = self.summary
        if summary is None:
            return
        style = self.ctx.date_style
        month = dt.date.fromisoformat(summary.month_start)
        self.heading.setText(TEXT["heading"].format(
            month=format_month(month.year, month.month, style)))
        self.export_button.setEnabled(True)  # export (issue 4)
        for name, value in (("month_total", summary.month_total),
                            ("persons", summary.month_persons),
                            ("attendance", summary.month_attendance),
                            ("drafts", summary.drafts)):
            self.cards[name].number.setText(number_text(value, style))

        for button in self.kind_buttons.values():
            self.kinds_grid.removeWidget(button)
            button.deleteLater()
        self.kind_buttons.clear()
        self.no_month.setVisible(not summary.by_kind)
        for position, item in enumerate(summary.by_kind):
            button = QPushButton(TEXT["kind_button"].format(
                label=item.label, count=number_text(item.count, style)), self)
            button.setObjectName(f"kind_{item.kind}")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, k=item.kind: self.open_kind(k))
            self.kind_buttons[item.kind] = button
            self.kinds_grid.addWidget(button, 1 + position // KIND_COLUMNS,
                                      position % KIND_COLUMNS)

        self.upcoming_model.set_rows(summary.upcoming, style)
        self.recent_model.set_rows(summary.recent, style)
        self.upcoming_view.setVisible(bool(summary.upcoming))
        self.no_upcoming.setVisible(not summary.upcoming)
        self.recent_view.setVisible(bool(summary.recent))
        self.no_recent.setVisible(not summary.recent)

    # --- the lists behind the figures -------------------------------------------------

    def _month(self) -> dict[str, str]:
        assert self.summary is not None
        return {"date_from": self.summary.month_start, "date_to": self.summary.month_end}

    def open_card(self, name: str) -> None:
        """A card was clicked: show the list its number counts."""
        if self.summary is None:
            return
        if name == "month_total":
            self.ctx.navigate("activities", **self._month())
        elif name in ("persons", "attendance"):
            self.ctx.navigate("persons", **self._month())
        elif name == "drafts":
            self.ctx.navigate("activities", status="draft")

    def open_kind(self, kind: str) -> None:
        """This month's activities of one kind."""
        if self.summary is not None:
            self.ctx.navigate("activities", kind=kind, **self._month())

    def open_all_upcoming(self) -> None:
        """Every activity that starts after today."""
        if self.summary is not None:
            tomorrow = dt.date.fromisoformat(self.summary.today) + dt.timedelta(days=1)
            self.ctx.navigate("activities", date_from=tomorrow.isoformat())

    def open_upcoming(self, index: QModelIndex) -> None:
        """An upcoming activity: the activities of its day."""
        if not index.isValid() or not self.isVisible():
            return  # a double click's second signal, after the page has gone
        row: UpcomingActivity = self.upcoming_model.row_at(index.row())
        self.ctx.navigate("activities", date_from=row.start_date, date_to=row.start_date)

    def open_recent(self, index: QModelIndex) -> None:
        """A changed record: its activity's day, or the person by name."""
        if not index.isValid() or not self.isVisible():
            return
        row: RecentChange = self.recent_model.row_at(index.row())
        if row.activity_date:
            self.ctx.navigate("activities", date_from=row.activity_date,
                              date_to=row.activity_date)
        elif row.type == "person":
            self.ctx.navigate("persons", search=row.title)

    # --- export (issue 4) ---------------------------------------------------------------

    def export_month(self) -> None:
        """Export the periodic report of the month the dashboard shows."""
        if self.summary is None:
            return
        from ui import export

        export.export_document(self, self.ctx, "periodic", **self._month())

    # --- page hooks -----------------------------------------------------------------

    def activated(self) -> None:
        self.refresh()
