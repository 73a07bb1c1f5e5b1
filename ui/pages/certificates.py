"""The certificate register page (سجل الشهادات): every certificate issued, searchable.

The list is a paged :class:`~ui.table_models.certificates.CertificatesModel`, newest
first; the search box narrows it a quarter of a second after the last key (by serial,
holder's name or activity title, spelled any way :func:`models.arabic.search_key`
folds), and a year filter and "الملغاة أيضاً" narrow or widen it. The toolbar verifies a
certificate (:class:`~ui.certificates.verify_dialog.VerifyDialog`), exports the list as
shown to an Excel workbook (the list pages' «تصدير إلى Excel…», with the activity's dates
and each certificate's status as columns of their own), and
corrects the holder's name on the selected certificate (re-signed under the same serial:
copies printed before stop verifying, so it must be printed again). Enter or a double
click opens the certificate's activity.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import certificate_register, certificates, store
from models.arabic import fold_input
from models.certificate_register import RegisterRow
from models.errors import IttisalError, NotFoundError
from models.records import Activity
from ui import export
from ui.context import AppContext
from ui.formatting import number_text
from ui.forms.form_base import run_modal
from ui.pages.list_page import SEARCH_DELAY_MS, ListPage, excel_file_name
from ui.table_models.certificates import (
    COL_ACTIVITY,
    COL_ISSUED,
    COL_NAME,
    COL_REPRINTS,
    COL_REVISION,
    COL_SERIAL,
    CertificatesModel,
    RegisterFilter,
    serial_text,
)
from ui.tasks import Task, show_error

__all__ = ["SEARCH_DELAY_MS", "TEXT", "WATCHED", "CertificatesPage"]

TEXT = {
    "title": "سجل الشهادات",
    "verify": "التحقق من شهادة…",
    "verify_tip": "التحقق من شهادة بنص رمز QR المطبوع عليها أو برمز التحقق",
    "correct": "تصحيح الاسم…",
    "correct_tip": "تصحيح اسم حامل الشهادة المحددة (تُعاد طباعتها بعده)",
    "year": "السنة:",
    "all_years": "كل السنوات",
    "cancelled": "الملغاة أيضاً",
    "cancelled_tip": "إظهار الشهادات الملغاة (المنقولة إلى سلة المحذوفات)",
    "search": "ابحث بالرقم التسلسلي أو الاسم أو عنوان النشاط… (Ctrl+F)",
    "count": "عدد الشهادات: {n}",
    "capped": "",
    "activity_filter": "شهادات النشاط «{title}» فقط",
    "clear_activity": "عرض كل الشهادات",
    # column widths, as the width of a typical value
    "widths": {COL_SERIAL: "KRB-2026-00001____", COL_NAME: "زينب علي حسين عبد الرضا الأسدي",
               COL_ISSUED: "٢٢ تشرين الثاني ٢٠٢٦__", COL_REPRINTS: "إعادة الطباعة__",
               COL_REVISION: "المراجعة__"},
    # the export: the file name offered
    "file_name_year": "سجل الشهادات {year}",
    # correcting a name
    "correct_title": "تصحيح اسم حامل الشهادة",
    "correct_label": "الاسم الصحيح لحامل الشهادة {serial}:\n\n"
                     "بعد التصحيح تُوقَّع الشهادة من جديد بالرقم نفسه، ولا تُقبل عند التحقق "
                     "النسخ المطبوعة قبل التصحيح (تظهر نسخةً قديمة). أعد طباعة الشهادة "
                     "وسلّمها بدل القديمة.\n"
                     "يُصحَّح الاسم في هذه الشهادة وحدها، لا في بيانات المشارك.",
    "correct_ok": "تصحيح الاسم",
    "cancel": "إلغاء",
    "empty_name": "لم يُكتب اسم. لم يُغيَّر شيء في الشهادة.",
    "activity_binned": "نشاط هذه الشهادة في سلة المحذوفات؛ استعده من السلة لفتحه.",
}

# Tables whose changes the register shows (activities: their titles and dates).
WATCHED = ("certificates", "activities")


class CertificatesPage(ListPage):
    """The register of certificates, searchable, with verify, export and name correction."""

    key = "certificates"
    title = TEXT["title"]
    TEXT = TEXT
    TABLE = "certificates"
    WATCHED = WATCHED
    SELECT_COLUMN = COL_NAME
    NATURAL_SORT = (-1, Qt.SortOrder.DescendingOrder)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._activity_id: str | None = None
        self.model = CertificatesModel(ctx.db, ctx.date_style, self)

        self._make_toolbar()
        self.verify_action = self._action("verify", self.open_verify)
        self.toolbar.addSeparator()
        self.correct_action = self._action("correct", self.correct_selected_name)

        self.year_combo = QComboBox(self)
        self.year_combo.setObjectName("yearFilter")
        self.cancelled_box = QCheckBox(TEXT["cancelled"], self)
        self.cancelled_box.setObjectName("includeCancelled")
        self.cancelled_box.setToolTip(TEXT["cancelled_tip"])
        self._make_search_box()
        filters = QHBoxLayout()
        year_label = QLabel(TEXT["year"], self)
        year_label.setBuddy(self.year_combo)
        filters.addWidget(year_label)
        filters.addWidget(self.year_combo)
        filters.addWidget(self.cancelled_box)
        filters.addSpacing(12)
        filters.addWidget(self.search_box, 1)

        self.activity_label = QLabel(self)
        self.activity_label.setObjectName("activityFilter")
        self.clear_activity = QToolButton(self)
        self.clear_activity.setText(TEXT["clear_activity"])
        self.clear_activity.clicked.connect(self.show_all_activities)
        activity_row = QHBoxLayout()
        activity_row.addWidget(self.activity_label)
        activity_row.addWidget(self.clear_activity)
        activity_row.addStretch(1)

        self.table = self._table("certificatesTable", self.model, TEXT["widths"], COL_ACTIVITY)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._make_count_label()

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addLayout(activity_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._fill_years()
        self._show_activity_filter()
        self._connect_list()
        self.export_action = self.excel_action  # the register's export is the list's
        self.year_combo.currentIndexChanged.connect(self.apply)
        self.cancelled_box.toggled.connect(self._cancelled_toggled)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self._update_count()
        self._update_actions()

    # --- filters ----------------------------------------------------------------------

    def _wanted_filter(self) -> RegisterFilter:
        self._hits = None  # the register filters itself: no search hits to cap
        return RegisterFilter(query=self.search_box.text().strip(),
                              year=self.year_combo.currentData(),
                              activity_id=self._activity_id,
                              include_cancelled=self.cancelled_box.isChecked())

    def _fill_years(self) -> None:
        """The years that have certificates, keeping the chosen one."""
        chosen = self.year_combo.currentData()
        found = certificate_register.years(self.ctx.db,
                                           include_cancelled=self.cancelled_box.isChecked())
        if chosen is not None and chosen not in found:
            found = sorted([*found, chosen], reverse=True)
        style = self.ctx.date_style
        self.year_combo.blockSignals(True)
        try:
            self.year_combo.clear()
            self.year_combo.addItem(TEXT["all_years"], None)
            for year in found:
                self.year_combo.addItem(number_text(year, style), year)
            self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(chosen))
                                            if chosen is not None else 0)
        finally:
            self.year_combo.blockSignals(False)

    def _cancelled_toggled(self) -> None:
        self._fill_years()
        self.apply()

    def _show_activity_filter(self) -> None:
        title = ""
        if self._activity_id:
            try:
                title = store.get(self.ctx.db, Activity, self._activity_id,
                                  include_deleted=True).title
            except NotFoundError:
                title = ""
        self.activity_label.setText(TEXT["activity_filter"].format(title=title))
        self.activity_label.setVisible(bool(self._activity_id))
        self.clear_activity.setVisible(bool(self._activity_id))

    def show_all_activities(self) -> None:
        """Drop the one-activity filter."""
        self._activity_id = None
        self._show_activity_filter()
        self.apply()

    def apply_filters(self, filters: dict) -> None:
        """Show what ``filters`` describe: ``query`` (or ``search``), ``year``, and
        ``activity_id`` (one activity's certificates); the rest is cleared."""
        self._activity_id = filters.get("activity_id") or None
        self._show_activity_filter()
        self.search_box.blockSignals(True)
        self.search_box.setText(str(filters.get("query") or filters.get("search") or ""))
        self.search_box.blockSignals(False)
        year = filters.get("year")
        self.year_combo.blockSignals(True)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(int(year)))
                                        if year else 0)
        self.year_combo.blockSignals(False)
        self.apply()

    # --- selection --------------------------------------------------------------------

    def selected_row(self) -> RegisterRow | None:
        """The certificate selected in the list."""
        record_id = self.current_id()
        if record_id is None:
            return None
        row = self.model.row_of(record_id)
        return self.model.row_at(row) if row >= 0 else None

    def _update_actions(self) -> None:
        row = self.selected_row() if self.table.selectionModel().hasSelection() else None
        self.correct_action.setEnabled(row is not None and not row.cancelled)

    # --- actions ----------------------------------------------------------------------

    def new_record(self) -> None:
        """Certificates are issued from an activity, never typed in here."""

    def delete_selected(self) -> None:
        """The register keeps every certificate: nothing is deleted from here."""

    def _record_fields(self, row: RegisterRow) -> dict[str, str]:
        return {"name": row.holder_name, "serial": row.serial}

    def _open_form(self, record_id: str | None = None) -> None:
        """Open the activity of the certificate ``record_id`` in its form."""
        if record_id is None or self.model.row_of(record_id) < 0:
            return
        row = self.model.row_at(self.model.row_of(record_id))
        try:
            store.get(self.ctx.db, Activity, row.activity_id or "")
        except NotFoundError:
            export.warn(self, TEXT["title"], TEXT["activity_binned"])
            return
        from ui.forms.activity_form import ActivityDialog

        run_modal(ActivityDialog(self.ctx, row.activity_id, self))

    def open_verify(self) -> None:
        """The verify dialog (التحقق من شهادة)."""
        from ui.certificates.verify_dialog import VerifyDialog

        run_modal(VerifyDialog(self.ctx, self))

    def correct_selected_name(self) -> None:
        """Ask for the corrected name of the selected certificate's holder and re-sign it."""
        row = self.selected_row()
        if row is None or row.cancelled:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("correctNameDialog")
        dialog.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        dialog.setWindowTitle(TEXT["correct_title"])
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setLabelText(TEXT["correct_label"].format(serial=serial_text(row.serial)))
        dialog.setTextValue(row.holder_name)
        dialog.setOkButtonText(TEXT["correct_ok"])
        dialog.setCancelButtonText(TEXT["cancel"])
        dialog.setMinimumWidth(self.fontMetrics().horizontalAdvance("م") * 44)
        for label in dialog.findChildren(QLabel):
            label.setWordWrap(True)
        for line in dialog.findChildren(QLineEdit):
            line.setMaxLength(200)
        if not run_modal(dialog):
            return
        name = fold_input(dialog.textValue())
        if not name:
            export.warn(self, TEXT["correct_title"], TEXT["empty_name"])
            return
        if name == row.holder_name:
            return
        try:
            certificates.correct_name(self.ctx.db, row.id, name)
        except IttisalError as exc:
            show_error(self, exc)
            return
        self.ctx.changed(self.TABLE)
        if self._stale:  # not on screen: the change still shows when asked
            self.refresh()

    # --- export -------------------------------------------------------------------------

    def _excel_file_name(self) -> str:
        year = self.model.filter.year
        return excel_file_name(TEXT["file_name_year"].format(year=year) if year is not None
                               else TEXT["title"])

    def export_register(self) -> Task | None:
        """Save the certificates shown (search and filters as they are) to an Excel
        workbook in the background, then offer to open it. None if the user cancelled."""
        return self.export_excel()

    # --- keeping up to date -------------------------------------------------------------

    def refresh(self) -> None:
        """Read the register (and its years) again, keeping the selection."""
        self._fill_years()
        self._show_activity_filter()
        super().refresh()
        self._update_actions()

    def _settings_changed(self) -> None:
        super()._settings_changed()
        self._fill_years()  # the years in the unit's digits
