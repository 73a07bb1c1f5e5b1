"""The dashboard: this month's activities by kind, attendees, what waits for approval and
what is approved but not sent, what is coming, what
changed lately, the plan items due in the next two weeks and this month's coverage by
tone. Every figure and row opens the list behind it through ``ctx.navigate``.

The figures come from :func:`models.dashboard.summary`, computed off the UI thread
(:func:`ui.tasks.run_task`, with its own connection) whenever the page is shown or the
data change while it is visible; the old figures stay on screen until the new ones arrive.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCommandLinkButton,
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
from models.dates import format_date, format_month
from ui.context import AppContext
from ui.formatting import number_text
from ui.pages.base import Page
from ui.table_models.dashboard import RecentModel, SummaryRowsModel, UpcomingModel
from ui.tasks import Task, run_task
from ui.widgets import theme
from ui.widgets.record_table import record_table

TEXT = {
    "title": "لوحة المتابعة",
    "heading": "لوحة المتابعة — {month}",
    "month_total": "أنشطة هذا الشهر",
    "persons": "مشاركون حضروا هذا الشهر",
    "attendance": "سجلات الحضور هذا الشهر",
    # Drafts, and sent activities edited since (models.activities.APPROVAL_FILTERS).
    "drafts": "أنشطة بانتظار الاعتماد",
    "approved_unsent": "معتمدة لم تُرسل بعد",
    "overdue_recommendations": "توصيات متأخرة عن موعدها",
    "by_kind": "أنشطة هذا الشهر حسب النوع",
    # At a ministry centre only.
    "by_directorate": "أنشطة هذا الشهر حسب المديرية",
    "kind_button": "{label}: {count}",
    "no_month": "لا أنشطة في هذا الشهر بعد.",
    "upcoming": "الأنشطة القادمة",
    "all_upcoming": "عرض كل القادمة",
    "no_upcoming": "لا أنشطة قادمة.",
    "plan_due": "فقرات المخطط المستحقة خلال أسبوعين",
    "plan_due_item": "{date} — {title}",
    "plan_due_owner": "{date} — {title} ({owner})",
    "plan_due_more": "و{count} غيرها حتى {date}",
    "no_plan_due": "لا فقرات مخطط مستحقة خلال الأسبوعين القادمين.",
    "coverage": "اتجاه التغطية هذا الشهر",
    "tone_button": "{label}: {count}",
    "no_coverage": "لم تُرصد مواد إعلامية هذا الشهر بعد.",
    "recent": "آخر التعديلات",
    "no_recent": "لم يُسجَّل شيء بعد.",
    "failed": "تعذّر حساب أرقام لوحة المتابعة: {error}",
    "start_here": "ابدأ من هنا",
    "start_intro": "لم يُسجَّل أي نشاط بعد. من هنا تبدأ:",
    "start_activity": "نشاط جديد",
    "start_activity_note": "ورشة أو ندوة أو اجتماع: عنوانه وتاريخه ومكانه (Ctrl+N).",
    "start_import": "استيراد قائمة حضور",
    "start_import_note": "اكتب عنوان النشاط، ثم اختر ملف Excel أو CSV بأسماء مشاركيه.",
    "start_identity": "هوية الوحدة",
    "start_identity_note": "اسم الوحدة ومسؤولها الذي يوقّع الشهادات، والشعار والترويسة.",
    # export (issue 4)
    "export_month": "تصدير تقرير الشهر",
    "export_month_tip": "تصدير التقرير الدوري للشهر المعروض مستندَ Word",
}

KIND_COLUMNS = 5
CARD_STYLE = f"""
QPushButton[card="true"] {{
    background: palette(base); border: 1px solid {theme.CARD_BORDER}; border-radius: 8px;
    padding: 8px 12px;
}}
QPushButton[card="true"]:hover, QPushButton[card="true"]:focus {{
    border-color: {theme.ACCENT};
}}
"""
LEADING = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter


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
    #: The figures computed ahead at start-up are in (emitted from their thread).
    _ahead_in = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.today = dt.date.today
        self.summary: DashboardSummary | None = None
        self.task: Task | None = None
        self._ahead: Future[DashboardSummary] | None = None
        self._again = False
        self._ahead_in.connect(self._take_ahead, Qt.ConnectionType.QueuedConnection)
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
        self.error.setStyleSheet(theme.ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

        self.start_here = self._start_here()

        cards = QHBoxLayout()
        self.cards: dict[str, Card] = {}
        for name in ("month_total", "persons", "attendance", "drafts", "approved_unsent",
                     "overdue_recommendations"):
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

        # At a ministry centre: this month's activities per directorate, each a way to
        # its list (hidden at a unit).
        self.directorates = QGroupBox(TEXT["by_directorate"], self)
        self.directorates.setObjectName("byDirectorate")
        self.directorates_grid = QGridLayout(self.directorates)
        self.directorate_buttons: dict[str, QPushButton] = {}
        self.directorates.hide()

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

        plan_box = QGroupBox(TEXT["plan_due"], self)
        plan_box.setObjectName("planDue")
        self.plan_due_box = QVBoxLayout(plan_box)
        self.plan_due_buttons: list[QPushButton] = []
        self.no_plan_due = QLabel(TEXT["no_plan_due"], plan_box)
        self.no_plan_due.setAlignment(LEADING)
        self.no_plan_due.setWordWrap(True)  # a narrow window: two lines, not a wider page
        self.plan_due_more = QLabel(plan_box)
        self.plan_due_more.setObjectName("planDueMore")
        self.plan_due_more.setAlignment(LEADING)
        self.plan_due_more.setWordWrap(True)
        self.plan_due_more.hide()
        self.plan_due_box.addWidget(self.no_plan_due)
        self.plan_due_box.addWidget(self.plan_due_more)

        # Three small figures, a tone each: a count, never a value in money.
        tones = QGroupBox(TEXT["coverage"], self)
        tones.setObjectName("coverageTones")
        tone_row = QHBoxLayout()
        self.tone_buttons: dict[str, QPushButton] = {}
        for tone, label in vocab.TONES.items():
            button = QPushButton(TEXT["tone_button"].format(label=label, count=""), tones)
            button.setObjectName(f"tone_{tone}")
            # The style's 80 px least width × 3 kept a 720 px window from fitting.
            button.setMinimumWidth(56)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, t=tone: self.open_tone(t))
            self.tone_buttons[tone] = button
            tone_row.addWidget(button)
        self.no_coverage = QLabel(TEXT["no_coverage"], tones)
        self.no_coverage.setAlignment(LEADING)
        self.no_coverage.setWordWrap(True)
        self.no_coverage.hide()
        box = QVBoxLayout(tones)
        box.addLayout(tone_row)
        box.addWidget(self.no_coverage)
        box.addStretch(1)

        plan_row = QHBoxLayout()
        plan_row.addWidget(plan_box, 3)
        plan_row.addWidget(tones, 2)

        lists = QHBoxLayout()
        lists.addWidget(upcoming, 1)
        lists.addWidget(recent, 1)

        column = QVBoxLayout(self)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.export_button)  # export (issue 4)
        column.addLayout(heading_row)
        column.addWidget(self.error)
        column.addWidget(self.start_here)
        column.addLayout(cards)
        column.addWidget(kinds)
        column.addWidget(self.directorates)
        column.addLayout(plan_row)
        column.addLayout(lists, 1)

        ctx.data_changed.connect(self._data_changed)
        ctx.settings_changed.connect(self._render)

    def _start_here(self) -> QGroupBox:
        """Where a new unit begins: three ways in, shown until the first activity."""
        panel = QGroupBox(TEXT["start_here"], self)
        panel.setObjectName("startHere")
        intro = QLabel(TEXT["start_intro"], panel)
        intro.setAlignment(LEADING)
        row = QHBoxLayout()
        self.start_buttons: dict[str, QCommandLinkButton] = {}
        for name, slot in (("activity", self.start_activity), ("import", self.start_import),
                           ("identity", self.start_identity)):
            button = QCommandLinkButton(TEXT[f"start_{name}"], TEXT[f"start_{name}_note"],
                                        panel)
            button.setObjectName(f"start_{name}")
            button.clicked.connect(slot)
            self.start_buttons[name] = button
            row.addWidget(button, 1)
        box = QVBoxLayout(panel)
        box.addWidget(intro)
        box.addLayout(row)
        panel.hide()  # until the figures say the unit has no activity yet
        return panel

    def _table(self, model: SummaryRowsModel, parent: QWidget, name: str,
               stretch: tuple[int, ...]) -> QTableView:
        view = record_table(parent, name, model)
        view.setCursor(Qt.CursorShape.PointingHandCursor)
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
        return self._ahead is not None or (self.task is not None and self.task.running)

    def refresh(self) -> None:
        """Recompute the figures in the background; they show when ready. The first time,
        the figures start-up computed ahead are taken instead (``ctx.ahead``): on screen
        at once when they are in, as soon as they are otherwise."""
        if self.loading:
            self._again = True
            return
        ahead = self.ctx.ahead.pop(self.key, None)
        if isinstance(ahead, Future):
            self._ahead = ahead
            if ahead.done():
                self._take_ahead()
            else:
                ahead.add_done_callback(self._ahead_done)
            return
        today = self.today()
        self.task = run_task(self, lambda _progress, db: dashboard.summary(db, today),
                             db_path=self.ctx.db.path, show_progress=False,
                             on_done=self._loaded, on_failed=self._failed)

    def _ahead_done(self, _future: Future) -> None:
        # On the thread that computed them: queued to the UI thread's _take_ahead.
        try:
            self._ahead_in.emit()
        except RuntimeError:  # the page is gone (a window closed while starting)
            pass

    def _take_ahead(self) -> None:
        future, self._ahead = self._ahead, None
        if future is None:
            return
        if future.exception() is not None or future.result().today != self.today().isoformat():
            self.refresh()  # computed again here, where a failure is shown
            return
        self._loaded(future.result())

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
        self.start_here.setVisible(not summary.has_activities)
        for name, value in (("month_total", summary.month_total),
                            ("persons", summary.month_persons),
                            ("attendance", summary.month_attendance),
                            ("drafts", summary.awaiting_approval),
                            ("approved_unsent", summary.approved_unsent),
                            ("overdue_recommendations", summary.overdue_recommendations)):
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

        self._render_directorates(summary)
        self._render_plan_due(summary)
        tone_total = sum(summary.coverage_by_tone.values())
        for tone, button in self.tone_buttons.items():
            button.setText(TEXT["tone_button"].format(
                label=vocab.TONES[tone],
                count=number_text(summary.coverage_by_tone.get(tone, 0), style)))
        self.no_coverage.setVisible(not tone_total)

        self.upcoming_model.set_rows(summary.upcoming, style)
        self.recent_model.set_rows(summary.recent, style)
        self.upcoming_view.setVisible(bool(summary.upcoming))
        self.no_upcoming.setVisible(not summary.upcoming)
        self.recent_view.setVisible(bool(summary.recent))
        self.no_recent.setVisible(not summary.recent)

    def _render_directorates(self, summary: DashboardSummary) -> None:
        style = self.ctx.date_style
        for button in self.directorate_buttons.values():
            self.directorates_grid.removeWidget(button)
            button.deleteLater()
        self.directorate_buttons.clear()
        self.directorates.setVisible(bool(summary.by_directorate))
        for position, item in enumerate(summary.by_directorate):
            button = QPushButton(TEXT["kind_button"].format(
                label=item.label, count=number_text(item.count, style)), self.directorates)
            button.setObjectName(f"directorate_{position}")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, u=item.unit_id: self.open_directorate(u))
            self.directorate_buttons[item.unit_id] = button
            self.directorates_grid.addWidget(button, position // KIND_COLUMNS,
                                             position % KIND_COLUMNS)

    def open_directorate(self, unit_id: str) -> None:
        """This month's activities of one unit (at a centre)."""
        if self.summary is not None:
            self.ctx.navigate("activities", unit_id=unit_id, **self._month())

    def _render_plan_due(self, summary: DashboardSummary) -> None:
        style = self.ctx.date_style
        for button in self.plan_due_buttons:
            self.plan_due_box.removeWidget(button)
            button.deleteLater()
        self.plan_due_buttons.clear()
        for position, item in enumerate(summary.plan_due):
            date = format_date(item.date, style)
            text = (TEXT["plan_due_owner"].format(date=date, title=item.title,
                                                  owner=item.owner) if item.owner
                    else TEXT["plan_due_item"].format(date=date, title=item.title))
            button = QPushButton(text, self)
            button.setObjectName(f"planDue_{position}")
            button.setFlat(True)
            # A long title is cut in a narrow window (whole in its tooltip) rather than
            # widening the page past the window.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setToolTip(text)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("text-align: right;" if self.isRightToLeft()
                                 else "text-align: left;")
            button.clicked.connect(lambda _=False, p=item.plan_id: self.open_plan(p))
            self.plan_due_buttons.append(button)
            self.plan_due_box.insertWidget(position, button)
        self.no_plan_due.setVisible(not summary.plan_due)
        more = summary.plan_due_total - len(summary.plan_due)
        self.plan_due_more.setVisible(more > 0)
        if more > 0:
            self.plan_due_more.setText(TEXT["plan_due_more"].format(
                count=number_text(more, style),
                date=format_date(summary.plan_due_until, style)))

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
            self.ctx.navigate("activities", approval="pending")
        elif name == "approved_unsent":
            self.ctx.navigate("activities", approval="unsent")
        elif name == "overdue_recommendations":
            self.ctx.navigate("recommendations", overdue=True)

    def open_plan(self, plan_id: str) -> None:
        """A plan item due soon: the page of plans, on its plan."""
        self.ctx.navigate("plans", plan_id=plan_id)

    def open_tone(self, tone: str) -> None:
        """A tone's figure: this month's coverage of that tone."""
        if self.summary is None:
            return
        self.ctx.navigate("coverage", tone=tone, **self._month())

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

    # --- start here -------------------------------------------------------------------

    def _activities_page(self) -> Page | None:
        """The activities page, brought forward (through the main window)."""
        self.ctx.navigate("activities")
        current = getattr(self.window(), "current_page", None)
        page = current() if callable(current) else None
        return page if page is not None and page.key == "activities" else None

    def start_activity(self) -> None:
        """A new activity in its form, on the activities page (where it is listed once
        saved)."""
        page = self._activities_page()
        if page is not None:
            page.new_record()

    def start_import(self) -> None:
        """A list of attendees comes with an activity: a new one, whose form says to type
        its title and has the button that chooses the list (and imports it)."""
        page = self._activities_page()
        if page is not None:
            page.new_with_list()

    def start_identity(self) -> None:
        """The settings page, at the unit's identity."""
        self.ctx.navigate("settings")
        current = getattr(self.window(), "current_page", None)
        page = current() if callable(current) else None
        identity = getattr(page, "identity", None)
        if identity is not None:
            identity.edits["name"].setFocus(Qt.FocusReason.OtherFocusReason)

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
