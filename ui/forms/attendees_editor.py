"""The attendees tab of the activity form: who came, and on which days.

Every change writes through to the database at once (add, remove, tick a day), so it
needs a saved activity: for a new one, the first person added (or list imported) saves
the activity first through the form — with every check of the form, a broken rule shown
next to its field and nothing added. A file or person dialog cancelled saves nothing
(the form's checks run before the dialog opens, the save once something was chosen), and
a save that found the database busy does what was asked once the form has saved.
People are added by typing part of a name (completion over existing persons in any
Arabic spelling), as a new person (the person form), or in bulk from a file or from
cells copied in Excel (``ui.forms.import_dialog.ImportDialog``); what an import did is
said on the tab itself.

The list belongs to the activity: adding, removing, ticking a day or importing on an
approved or sent activity asks first, in the activity form's words (unless the form's
«تعديل» already asked: :attr:`AttendeesEditor.agreed_to_revise`), and the write goes
through :func:`models.approval.revision`, which makes the activity a new revision, a draft
to approve (and send) again, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import activity_bundle, approval, attendance, persons, store
from models.arabic import isolate
from models.errors import IttisalError, NotFoundError
from models.records import Activity, Person
from ui.context import AppContext
from ui.formatting import number_text
from ui.forms.form_base import ask, run_modal
from ui.forms.person_form import PersonDialog, person_line
from ui.forms.revise import ask_to_revise_activity
from ui.table_models.attendees import AttendeesModel
from ui.tasks import show_error
from ui.widgets.field_errors import FieldMessage
from ui.widgets.open_dialogs import open_file_name

TEXT = {
    "saved_with_first": "يُحفظ النشاط تلقائياً عند إضافة أول مشارك أو استيراد قائمة "
                        "(Excel أو CSV: اختر «استيراد من ملف…» أو اسحب الملف إلى النموذج).",
    "add_placeholder": "أضف مشاركاً: اكتب جزءاً من اسمه أو جهته أو هاتفه…",
    "new_person": "مشارك جديد…",
    "remove": "حذف من القائمة",
    "import": "استيراد من ملف…",
    "paste": "لصق من Excel",
    "excel": "تصدير إلى Excel…",
    "excel_tip": "حفظ قائمة المشاركين كما تظهر هنا في ملف Excel",
    "excel_title": "المشاركون",
    "excel_file_name": "المشاركون - {title}",
    "count": "عدد المشاركين: {n}",
    "already": "«{name}» في القائمة من قبل.",
    "added": "أُضيف «{name}».",
    "remove_title": "حذف من قائمة الحضور",
    "remove_one": "حذف «{name}» من قائمة حضور هذا النشاط؟",
    "remove_many": "حذف {n} من المشاركين من قائمة حضور هذا النشاط؟",
    "remove_yes": "حذف",
    "remove_no": "تراجع",
    "import_title": "استيراد قائمة الحضور",
    "import_filter": "جداول (*.xlsx *.xls *.csv);;كل الملفات (*)",
    "empty_clipboard": "الحافظة فارغة؛ انسخ خلايا الجدول من Excel ثم اضغط «لصق من Excel».",
    "imported": "استُورد {source}: {summary}",
    "clipboard": "ما في الحافظة",
    "more": "… و{n} غيرها",
    "saved_now": "حُفظ النشاط ليُضاف إليه المشاركون.",
}

DETAIL_LINES = 6
# The tooltip with all of an import's details: a list of thousands of bad rows must not
# make a tooltip taller than the screen.
TIP_LINES = 40

MIN_SECTION = 28
PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2


class PersonCompleter(QCompleter):
    """Completion over existing persons: the data core finds them in any spelling variant,
    so the popup shows its hits as they are (no filtering of its own)."""

    def __init__(self, ctx: AppContext, parent: QLineEdit) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setMaxVisibleItems(12)
        # Fill the list before the line edit asks for the popup (textEdited comes first).
        parent.textEdited.connect(self.refresh)

    def refresh(self, text: str) -> list[Person]:
        """Look up persons for what was typed."""
        found = persons.complete(self.ctx.db, text) if text.strip() else []
        self._model.clear()
        for person in found:
            item = QStandardItem(person_line(person))
            item.setData(person.id, PERSON_ROLE)
            item.setData(person.full_name, NAME_ROLE)
            item.setEditable(False)
            self._model.appendRow(item)
        return found

    def pathFromIndex(self, index: QModelIndex) -> str:  # noqa: N802 - Qt override
        # The line edit is cleared once a person is added; show just the name meanwhile.
        return index.data(NAME_ROLE) or ""


class AttendeesEditor(QWidget):
    """The attendance list of one activity, written through to the database."""

    #: How many persons are on the list now.
    count_changed = Signal(int)

    def __init__(self, ctx: AppContext, activity_id: str | None = None,
                 parent: QWidget | None = None, *,
                 save_first: Callable[[Callable[[], None]], str | None] | None = None,
                 ready_to_save: Callable[[], bool] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.activity_id: str | None = None
        self._save_first = save_first
        self._ready_to_save = ready_to_save
        self._writing = False  # our own change notices must not reload under our feet
        #: Set by the activity form once its «تعديل» asked: the list's edits ask no more.
        self.agreed_to_revise = False
        self.model = AttendeesModel(ctx.date_style, self._write_days, self)
        self.model.write_failed.connect(lambda exc: show_error(self, exc))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_list())
        ctx.data_changed.connect(self._data_changed)
        # Bound methods, not lambdas: Qt drops them when this editor is destroyed.
        ctx.settings_changed.connect(self._settings_changed)
        self.set_activity(activity_id)

    # --- layout ---------------------------------------------------------------------------

    def _button(self, text: str, slot: object, parent: QWidget) -> QPushButton:
        button = QPushButton(text, parent)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _build_list(self) -> QWidget:
        page = QWidget(self)
        self.add_line = QLineEdit(page)
        self.add_line.setPlaceholderText(TEXT["add_placeholder"])
        self.add_line.setClearButtonEnabled(True)
        self.completer = PersonCompleter(self.ctx, self.add_line)
        self.add_line.setCompleter(self.completer)
        self.completer.activated[QModelIndex].connect(self._completion_chosen)
        self.add_line.returnPressed.connect(self._return_pressed)
        self.new_button = self._button(TEXT["new_person"], self.add_new_person, page)
        self.remove_button = self._button(TEXT["remove"], self.remove_selected, page)
        self.import_button = self._button(TEXT["import"], self.import_file, page)
        self.paste_button = self._button(TEXT["paste"], self.paste_from_excel, page)
        self.excel_button = self._button(TEXT["excel"], self.export_excel, page)
        self.excel_button.setObjectName("attendeesExcel")
        self.excel_button.setToolTip(TEXT["excel_tip"])
        self.count_changed.connect(lambda n: self.excel_button.setEnabled(n > 0))

        self.table = QTableView(page)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(self._edit_person)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._fit_columns)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)

        self.count_label = QLabel(page)
        self.count_label.setObjectName("attendeesCount")
        self.message = FieldMessage(page, hint=True)
        # What an import left out or matched, under its summary line (no box to dismiss).
        self.details = FieldMessage(page, hint=True)
        self.details.setObjectName("importDetails")

        top = QHBoxLayout()
        top.addWidget(self.add_line, 1)
        top.addWidget(self.new_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.paste_button)
        bottom.addWidget(self.excel_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.details)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        return page

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        # Qt's default minimum is the font's widest glyph: ~100 px with Arabic fonts.
        header.setMinimumSectionSize(MIN_SECTION)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col in (AttendeesModel.COL_NUMBER, AttendeesModel.COL_GENDER,
                    AttendeesModel.COL_PHONE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for col in range(AttendeesModel.COL_FIRST_DAY, self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AttendeesModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(AttendeesModel.COL_JOB, 150)
        header.resizeSection(AttendeesModel.COL_ENTITY, 170)

    # --- loading --------------------------------------------------------------------------

    def set_activity(self, activity_id: str | None) -> None:
        """Show the list of a saved activity, or an empty one for a new activity (saved
        with its first attendee)."""
        was_new, self.activity_id = self.activity_id is None, activity_id
        self.agreed_to_revise = False
        if activity_id is None:
            self.say(TEXT["saved_with_first"])
        elif was_new and self.message.text() == TEXT["saved_with_first"]:
            self.say("")
        self.reload()

    def reload(self) -> None:
        """Read the list again from the database."""
        if not self.activity_id:
            self.model.set_attendees([], 1)
            self._show_count()
            return
        try:
            activity = store.get(self.ctx.db, Activity, self.activity_id)
        except NotFoundError:  # binned elsewhere while this form was open
            self.model.set_attendees([], 1)
            self._show_count()
            return
        self.model.set_attendees(attendance.attendees(self.ctx.db, self.activity_id),
                                 activity.days)
        self._show_count()
        self._selection_changed()

    def say(self, text: str) -> None:
        """The tab's line, without an earlier import's details under it."""
        self.message.set_message(text)
        self.details.set_message("")
        self.details.setToolTip("")

    def count(self) -> int:
        """How many persons are on the list."""
        return self.model.rowCount()

    def _show_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(TEXT["count"].format(n=number_text(n, self.ctx.date_style)))
        self.count_changed.emit(n)

    def _settings_changed(self) -> None:
        self.model.set_style(self.ctx.date_style)
        self._show_count()

    def _data_changed(self, table: str) -> None:
        if table in ("attendance", "persons") and not self._writing:
            self.reload()

    def _selection_changed(self, *_args: object) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    # --- writing --------------------------------------------------------------------------

    def _announce(self) -> None:
        """Tell the rest of the app; the count follows the list in the stored activity."""
        assert self.activity_id is not None
        self._writing = True
        try:
            activity_bundle.sync_participants_count(self.ctx.db, self.activity_id)
            self.ctx.changed("attendance")
            self.ctx.changed("activities")
        finally:
            self._writing = False

    def may_edit(self) -> bool:
        """True when the list may change now: the activity is a draft, or the user agreed
        (here, or in the form's «تعديل») that an approved or sent activity becomes a new
        revision."""
        if not self.activity_id or self.agreed_to_revise:
            return True
        found = approval.guard(self.ctx.db, "activity", self.activity_id)
        if found is None:
            return True
        return ask_to_revise_activity(self, found.status)

    def _revision(self) -> AbstractContextManager[None]:
        assert self.activity_id is not None
        return approval.revision(self.ctx.db, "activity", self.activity_id)

    def _write_days(self, attendance_id: str, days: list[int]) -> list[int]:
        if not self.may_edit():  # the ticks stay as stored
            return next((a.days for a in self.model.attendees()
                         if a.attendance_id == attendance_id), days)
        with self._revision():
            row = attendance.set_days(self.ctx.db, attendance_id, days)
        self._announce()
        return row.days

    def _select_row(self, row: int) -> None:
        # Not QTableView.selectRow: right to left, it misses the row (a Qt quirk).
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, AttendeesModel.COL_NAME),
            QItemSelectionModel.SelectionFlag.ClearAndSelect |
            QItemSelectionModel.SelectionFlag.Rows)

    def add_person(self, person_id: str) -> bool:
        """Put a person on the list (all days ticked); False if they were already there
        (or the new activity could not be saved first)."""
        if not self.ensure_saved(lambda: self.add_person(person_id)):
            return False
        existing = next((a for a in self.model.attendees() if a.person.id == person_id), None)
        if existing is not None:
            self.say(TEXT["already"].format(name=existing.person.full_name))
            self._select_row(self.model.row_of(existing.attendance_id))
            return False
        if not self.may_edit():
            return False
        try:
            with self._revision():
                row = attendance.add(self.ctx.db, self.activity_id, person_id)
        except IttisalError as exc:
            show_error(self, exc)
            return False
        self._announce()
        self.reload()
        added = self.model.row_of(row.id)
        self._select_row(added)
        self.table.scrollTo(self.model.index(added, 0))
        name = self.model.attendees()[added].person.full_name
        self.say(TEXT["added"].format(name=name))
        return True

    def _completion_chosen(self, index: QModelIndex) -> None:
        person_id = index.data(PERSON_ROLE)
        if person_id:
            self.add_person(person_id)
        # The completer writes the chosen text after this signal; clear once it has.
        QTimer.singleShot(0, self.add_line.clear)

    def _return_pressed(self) -> None:
        text = self.add_line.text().strip()
        if not text or self.completer.popup().isVisible():
            return
        found = self.completer.refresh(text)
        if len(found) == 1:
            self.add_person(found[0].id)
            if self.activity_id:  # else the activity could not be saved: keep what was typed
                self.add_line.clear()
        elif found:
            self.completer.complete()
        else:
            self.add_new_person()

    def add_new_person(self) -> None:
        """Open the person form (with what is typed as the name) and add whoever it saves
        (a new activity is saved then, not when the person form opens)."""
        if not self.can_save():
            return
        typed = self.add_line.text().strip()
        dialog = PersonDialog(self.ctx, None, self, initial=Person(full_name=typed))
        if run_modal(dialog) == QDialog.DialogCode.Accepted and dialog.person is not None:
            self.add_line.clear()
            self.add_person(dialog.person.id)

    def _edit_person(self, index: QModelIndex) -> None:
        person_id = index.data(AttendeesModel.PERSON_ID_ROLE)
        if index.column() >= AttendeesModel.COL_FIRST_DAY or not person_id:
            return
        run_modal(PersonDialog(self.ctx, person_id, self))

    def remove_selected(self) -> None:
        """Take the selected persons off the list, after asking."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows or not self.activity_id:
            return
        if not self.may_edit():
            return
        people = [self.model.attendees()[r] for r in rows]
        text = (TEXT["remove_one"].format(name=people[0].person.full_name) if len(people) == 1
                else TEXT["remove_many"].format(n=number_text(len(people), self.ctx.date_style)))
        if not ask(self, TEXT["remove_title"], text, yes=TEXT["remove_yes"],
                   no=TEXT["remove_no"]):
            return
        try:
            with self._revision():
                for person in people:
                    attendance.remove(self.ctx.db, person.attendance_id)
        except IttisalError as exc:
            show_error(self, exc)
            return
        self._announce()
        self.say("")
        self.reload()

    def export_excel(self) -> None:
        """Save the list as shown here to an Excel workbook (in the background), then
        offer to open it."""
        if not self.activity_id or not self.model.rowCount():
            return
        from ui.export import short_title
        from ui.pages.list_page import excel_file_name, export_list
        from ui.table_models.attendees import excel_reader

        title = short_title(store.get(self.ctx.db, Activity, self.activity_id).title)
        export_list(self, self.ctx, title=TEXT["excel_title"],
                    file_name=excel_file_name(TEXT["excel_file_name"].format(title=title)),
                    read=excel_reader(self.activity_id, self.ctx.date_style))

    # --- saving the activity first, importing -------------------------------------------------

    def can_save(self) -> bool:
        """True when the list belongs to a stored activity or the form could save the new
        one as it is (else the form says what is missing, where it is missing)."""
        if self.activity_id:
            return True
        return self._ready_to_save is not None and self._ready_to_save()

    def ensure_saved(self, then: Callable[[], None] | None = None) -> bool:
        """True when the list belongs to a stored activity, saving a new one first through
        the form (which shows what is missing, and keeps the user there, if it cannot).
        ``then`` is what was asked: the form does it once a save that found the database
        busy has gone through."""
        if self.activity_id:
            return True
        activity_id = self._save_first(then or (lambda: None)) \
            if self._save_first is not None else None
        if activity_id:
            self.set_activity(activity_id)
            self.say(TEXT["saved_now"])
        return bool(activity_id)

    def import_file(self) -> None:
        """Import attendees from an Excel or CSV file, chosen in a dialog that opens in the
        folder the last list came from (a new activity is saved once a file is chosen)."""
        if not self.can_save():
            return
        path = open_file_name(self, "attendees", TEXT["import_title"], TEXT["import_filter"])
        if path:
            self.import_path(path)

    def import_path(self, path: str) -> None:
        """Import attendees from ``path`` (chosen, or a file dropped on the form)."""
        if self.ensure_saved(lambda: self.import_path(path)):
            self._import(path=path)

    def paste_from_excel(self) -> None:
        """Import attendees from cells copied in Excel (tab-separated on the clipboard)."""
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.say(TEXT["empty_clipboard"])
            return
        self._paste(text)

    def _paste(self, text: str) -> None:
        if self.ensure_saved(lambda: self._paste(text)):
            self._import(text=text)

    def _import(self, *, path: str | None = None, text: str | None = None) -> None:
        if not self.activity_id or not self.may_edit():
            return
        # Written alongside this editor; loaded only when an import starts.
        from ui.forms.import_dialog import ImportDialog

        dialog = ImportDialog(self.ctx, self.activity_id, self, path=path, text=text)
        if run_modal(dialog) == QDialog.DialogCode.Accepted:
            # (the import made the activity a new revision in its own transaction:
            # models.importer.apply)
            self._announce()
            self.reload()
            self._show_import(dialog, path)

    def _show_import(self, dialog: QDialog, path: str | None) -> None:
        """Say what the import did on the tab: its counts, then what it left out or
        matched (the first lines; all of them in the tooltip)."""
        summary = getattr(dialog, "summary_text", "")
        details: list[str] = list(getattr(dialog, "summary_details", []))
        source = f"«{isolate(Path(path).name)}»" if path else TEXT["clipboard"]
        self.message.set_message(TEXT["imported"].format(source=source, summary=summary)
                                 if summary else "")
        shown = details[:DETAIL_LINES]
        if len(details) > DETAIL_LINES:
            shown.append(TEXT["more"].format(
                n=number_text(len(details) - DETAIL_LINES, self.ctx.date_style)))
        self.details.set_message("\n".join(shown))
        tip = details[:TIP_LINES]
        if len(details) > TIP_LINES:
            tip.append(TEXT["more"].format(
                n=number_text(len(details) - TIP_LINES, self.ctx.date_style)))
        self.details.setToolTip("\n".join(tip))
