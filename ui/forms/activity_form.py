"""The activity form: every field of an activity, its recommendations, attendees and photos.

``ActivityDialog(ctx, activity_id=None, parent=None, *, duplicate_of=None)`` edits a stored
activity, makes a new one, or (``duplicate_of``) a new draft prefilled from another. Save
(and Ctrl+S) stays disabled while the models find a broken rule, whose message shows next
to its field as the user types; saving writes the activity with its recommendations and
photos in one transaction and announces ``ctx.changed("activities")``. The form opens
with the cursor in the title. The attendees tab writes through at once (a new activity is
saved, with the form's checks, when its first attendee is added or a list is chosen — a save that
found the database busy is retried, and then what was asked is done); an Excel or CSV list
dropped anywhere on the form is imported there. «شهادات المشاركين…» opens the
certificates window of the activity, saving the form first. Opened with
``import_list=True`` (to import a list), the form says so under its tabs, with a button
that chooses the file. While the user types, the
form's state is kept as a draft; :func:`offer_recovered_drafts` offers leftover drafts
back at the next start.

Approval (:mod:`models.approval`): the status is shown, never chosen; «اعتماد» approves
the activity in the approver's name (saving the form first). An approved or sent activity
opens read-only under a banner (who approved it and when, when it was sent) with a
«تعديل» button that asks first; saved after that, it is a new revision and goes back to
draft (:func:`models.approval.status_after_edit`), a sent one showing «عُدّل بعد
الإرسال» until sent again. An approval that recorded no one (from before schema v12)
does not lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import activity_bundle, approval, attachments, drafts, store, vocab
from models.activity_bundle import ActivityBundle
from models.drafts import Draft
from models.errors import IttisalError, NotFoundError
from models.records import Activity, Person, label, new_id
from ui.context import AppContext
from ui.formatting import number_text
from ui.forms import form_base
from ui.forms.attendees_editor import AttendeesEditor
from ui.forms.form_base import FormDialog, TextArea, ask, moment_text, run_modal
from ui.forms.person_form import PersonDialog
from ui.forms.plan_link import PlanLink
from ui.forms.recommendations_editor import RecommendationsEditor
from ui.forms.revise import ask_to_revise_activity
from ui.tasks import show_error
from ui.widgets.approval_banner import ApprovalBanner
from ui.widgets.date_edit import CountSpinBox, DateEdit
from ui.widgets.field_errors import FieldErrors, FieldMessage
from ui.widgets.list_editor import FoldingCompleter, ListEditor, completion_values
from ui.widgets.photos import PhotosEditor
from ui.widgets.theme import ERROR_COLOUR

TEXT = {
    "new": "نشاط جديد",
    "copy": "نشاط جديد (نسخة)",
    "edit": "النشاط — {title}",
    "tab_main": "البيانات الأساسية",
    "tab_text": "الملخص والأهداف",
    "tab_recs": "التوصيات",
    "tab_people": "المشاركون",
    "tab_photos": "الصور",
    "tab_count": "{tab} ({n})",
    "title_placeholder": "مثل: ورشة عن أهمية الاتصال الحكومي",
    "end_placeholder": "يوم واحد إن تُرك فارغاً",
    "partners_placeholder": "جهة متعاونة، ثم Enter",
    "lecturers_placeholder": "اسم المحاضر أو صفته، ثم Enter",
    "counted": "يُحسب من قائمة الحضور",
    "incomplete": "للحفظ أكمل: {fields}",
    "recover_title": "استعادة مسودة",
    "recover_activity": "وُجدت مسودة غير محفوظة للنشاط «{title}» من {time}. استعادتها؟",
    "recover_person": "وُجدت مسودة غير محفوظة للمشارك «{title}» من {time}. استعادتها؟",
    "untitled": "بلا عنوان",
    "restore": "استعادة",
    "drop": "تجاهل",
    # export (issue 4)
    "export": "تصدير",
    "export_tip": "تصدير مستند Word للنشاط (يُحفظ النشاط أولاً)",
    "certificates": "شهادات المشاركين…",
    "certificates_tip": "طباعة شهادات المشاركين أو حفظها (يُحفظ النشاط أولاً)",
    # Opened to import a list (the dashboard's «استيراد قائمة حضور»).
    "import_list_note": "اكتب عنوان النشاط وتاريخه، ثم اختر ملف قائمة الحضور (Excel أو CSV) "
                        "أو اسحبه إلى النموذج.",
    "import_list": "اختيار ملف القائمة…",
    "one_list": "اسحب ملف قائمة واحداً في كل مرة (Excel أو CSV)؛ لم يُستورد شيء.",
    # Approval (issue 13)
    "approve": "اعتماد",
    "approve_tip": "اعتماد النشاط باسم المعتمِد المختار في الإعدادات (يُحفظ النشاط أولاً)",
    "approve_question": "اعتماد النشاط «{title}» باسم {by}؟",
    "yes_approve": "نعم، اعتمد",
    "no": "لا",
    "approved_banner": "هذا النشاط معتمد: اعتمده {by} في {when}.",
    "approved_banner_unknown": "هذا النشاط معتمد.",
    "sent_banner": " أُرسل في {when}.",
    "changed_banner": " عُدّل بعد الإرسال.",
    "changed_draft_banner": "أُرسل هذا النشاط في {when} ثم عُدّل بعد الإرسال: يجب اعتماده "
                            "وإرساله من جديد.",
    "locked_note": " لا يمكن تعديله إلا بنسخة جديدة.",
    "revising_banner": "تعديل نسخة جديدة: بعد الحفظ يعود النشاط مسودة يجب اعتمادها "
                       "وإرسالها من جديد.",
    "unlock": "تعديل",
    "unlock_tip": "تعديل النشاط المعتمد أو المرسل (نسخة جديدة)",
}

ERROR_TAB_COLOUR = ERROR_COLOUR
# The main tab's editors, by the Activity field each edits.
MAIN_FIELDS = ("kind", "title", "start_date", "end_date", "place", "organiser", "partners",
               "lecturers", "participants_count", "status")
TEXT_FIELDS = ("summary", "objectives")
TAB_MAIN, TAB_TEXT, TAB_RECS, TAB_PEOPLE, TAB_PHOTOS = range(5)
#: The files a drop on the form imports as attendees.
IMPORT_SUFFIXES = (".xlsx", ".xls", ".csv")


class ActivityDialog(FormDialog):
    """Add, edit or duplicate an activity."""

    record_type = "activity"

    def __init__(self, ctx: AppContext, activity_id: str | None = None,
                 parent: QWidget | None = None, *, duplicate_of: str | None = None,
                 draft: Draft | None = None, import_list: bool = False) -> None:
        super().__init__(ctx, parent, draft_key=draft.key if draft else
                         f"activity:{activity_id}" if activity_id else None)
        self._import_list = import_list
        if draft is not None:
            bundle = self._restorable(draft, activity_id)
        elif activity_id:
            bundle = activity_bundle.load(ctx.db, activity_id)
        elif duplicate_of:
            bundle = activity_bundle.duplicate(ctx.db, duplicate_of)
        else:
            bundle = ActivityBundle(Activity(start_date=dt.date.today().isoformat()))
        self._record = bundle.activity
        self._is_new = activity_id is None
        # Approved or sent: shown read-only until «تعديل» (a recovered draft was already
        # being revised); saved after that, it is a new revision.
        self._locked = False
        self._revising = False
        self._bad_tabs: set[int] = set()
        self._touched: set[str] = set()
        self._attendee_count = 0
        # What the attendees tab asked for while a save waits for a busy database.
        self._after_retry: Callable[[], None] | None = None
        self._build()
        self._show_bundle(bundle)
        if draft is not None:  # the plan item chosen before the crash, if still listed
            self.plan_link.choose(draft.payload.get("plan_item"))
        if self._is_new and draft is None:
            self._touched = {"start_date"} if duplicate_of is None else set(MAIN_FIELDS)
        self.mark_clean()
        if draft is not None:  # what was recovered is not stored yet
            self.draft_exists = True
            self._baseline = {"recovered": True}
            self.form_changed()
        self._set_title(duplicate=duplicate_of is not None and draft is None)
        self._show_approval(recovered=draft is not None)
        # The title is what every activity is typed in by; without this the first button
        # (Cancel, Save being disabled on an empty form) would take the keyboard.
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)
        self._catch_drops()

    @property
    def activity_id(self) -> str | None:
        """The stored activity's id (None until a new one is saved)."""
        return None if self._is_new else self._record.id

    def _restorable(self, draft: Draft, activity_id: str | None) -> ActivityBundle:
        bundle = activity_bundle.from_payload(draft.payload)
        # Photos whose files are gone cannot come back; the rest can.
        bundle.photos = [p for p in bundle.photos
                         if attachments.path_of(self.ctx.db.path, p).exists()]
        if activity_id is None and draft.record_id is not None:
            # The activity was deleted since: what was typed comes back as a new one.
            bundle.activity = dataclasses.replace(bundle.activity, id=new_id(), created_at="",
                                                  updated_at="", unit_id="", deleted_at=None)
            bundle.recommendations = [dataclasses.replace(r, id=new_id(), activity_id=None)
                                      for r in bundle.recommendations]
            bundle.photos = [dataclasses.replace(p, id=new_id(), owner_id=None)
                             for p in bundle.photos]
        return bundle

    def _set_title(self, *, duplicate: bool = False) -> None:
        if self._is_new:
            self.setWindowTitle(TEXT["copy"] if duplicate else TEXT["new"])
        else:
            self.setWindowTitle(TEXT["edit"].format(title=self._record.title))

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.errors = FieldErrors()
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_main(), TEXT["tab_main"])
        self.tabs.addTab(self._build_text(), TEXT["tab_text"])
        self.recommendations = RecommendationsEditor(self.ctx, self)
        self.recommendations.changed.connect(self._edited_list)
        self.tabs.addTab(self.recommendations, TEXT["tab_recs"])
        self.attendees = AttendeesEditor(self.ctx, None, self, save_first=self._save_first,
                                         ready_to_save=self._ready_to_save)
        self.attendees.count_changed.connect(self._attendees_counted)
        self.tabs.addTab(self.attendees, TEXT["tab_people"])
        self.photos = PhotosEditor(self.ctx, self)
        self.photos.changed.connect(self._edited_list)
        self.tabs.addTab(self.photos, TEXT["tab_photos"])
        self.incomplete = FieldMessage(self, hint=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_banner())
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.incomplete)
        if self._import_list:
            layout.addWidget(self._build_import_row())
        layout.addWidget(self.buttons)
        self._add_export_button()  # export (issue 4)
        self.certificates_button = QPushButton(TEXT["certificates"], self.buttons)
        self.certificates_button.setObjectName("certificatesButton")
        self.certificates_button.setToolTip(TEXT["certificates_tip"])
        self.certificates_button.setAutoDefault(False)
        self.certificates_button.clicked.connect(self.open_certificates)
        self.buttons.layout().insertWidget(1, self.certificates_button)
        self.resize(920, 700)
        self.ctx.settings_changed.connect(self._update_tab_titles)

    def _build_import_row(self) -> QWidget:
        """What to do to import the list the form was opened for, with its button; gone
        once a list is imported."""
        self.import_row = QWidget(self)
        self.import_row.setObjectName("importListRow")
        row = QHBoxLayout(self.import_row)
        row.setContentsMargins(0, 0, 0, 0)
        note = QLabel(TEXT["import_list_note"], self.import_row)
        note.setWordWrap(True)
        self.import_list_button = QPushButton(TEXT["import_list"], self.import_row)
        self.import_list_button.setObjectName("importListButton")
        self.import_list_button.setAutoDefault(False)
        self.import_list_button.clicked.connect(self.choose_list)
        row.addWidget(note, 1)
        row.addWidget(self.import_list_button)
        self.attendees.count_changed.connect(
            lambda n: self.import_row.setVisible(self.import_row.isVisibleTo(self) and not n))
        return self.import_row

    def choose_list(self) -> None:
        """Choose the attendees' list in the file dialog and import it (the activity is
        saved once the file is chosen; what is missing for that is said first)."""
        self.tabs.setCurrentIndex(TAB_PEOPLE)
        self.attendees.import_file()

    def _line(self, field: str, suggestions: str | None = None) -> QLineEdit:
        edit = QLineEdit(self)
        if suggestions:
            edit.setCompleter(FoldingCompleter(completion_values(self.ctx.db, suggestions), edit))
        edit.textChanged.connect(lambda _t: self._edited(field))
        return edit

    def _build_main(self) -> QWidget:
        db = self.ctx.db
        self.kind = QComboBox(self)
        for key, text in vocab.ACTIVITY_KINDS.items():
            self.kind.addItem(text, key)
        self.kind.currentIndexChanged.connect(lambda _i: self._edited("kind"))
        self.title = self._line("title")
        self.title.setPlaceholderText(TEXT["title_placeholder"])
        self.start_date = DateEdit(self.ctx, self)
        self.start_date.changed.connect(self._start_changed)
        self.end_date = DateEdit(self.ctx, self, placeholder=TEXT["end_placeholder"])
        self.end_date.changed.connect(lambda: self._edited("end_date"))
        self._previous_start: str | None = None
        self.place = self._line("place", "place")
        self.organiser = self._line("organiser", "organiser")
        self.partners = ListEditor(self, suggestions=completion_values(db, "partners"),
                                   placeholder=TEXT["partners_placeholder"])
        self.partners.changed.connect(lambda: self._edited("partners"))
        self.lecturers = ListEditor(self, suggestions=completion_values(db, "lecturers"),
                                    placeholder=TEXT["lecturers_placeholder"])
        self.lecturers.changed.connect(lambda: self._edited("lecturers"))
        self.participants_count = CountSpinBox(self.ctx, self)
        self.participants_count.valueChanged.connect(lambda _v: self._edited(
            "participants_count"))
        self.counted_hint = QLabel(TEXT["counted"], self)
        self.counted_hint.setObjectName("countedHint")
        # The status is set by approving and sending, never typed (models.approval).
        self.status = QLabel(self)
        self.status.setObjectName("approvalState")
        self.approve_button = QPushButton(TEXT["approve"], self)
        self.approve_button.setObjectName("approveButton")
        self.approve_button.setToolTip(TEXT["approve_tip"])
        self.approve_button.setAutoDefault(False)
        self.approve_button.clicked.connect(self.approve)
        status_row = QWidget(self)
        row = QHBoxLayout(status_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.status)
        row.addWidget(self.approve_button)
        row.addStretch(1)

        count_row = QWidget(self)
        row = QHBoxLayout(count_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.participants_count)
        row.addWidget(self.counted_hint)
        row.addStretch(1)
        self._count_row = count_row

        page = QWidget(self)
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        editors: dict[str, QWidget] = {
            "kind": self.kind, "title": self.title, "start_date": self.start_date,
            "end_date": self.end_date, "place": self.place, "organiser": self.organiser,
            "partners": self.partners, "lecturers": self.lecturers,
            "participants_count": count_row, "status": status_row}
        for field in MAIN_FIELDS:
            form.addRow(label(Activity, field), self.errors.add(field, editors[field]))
        self.plan_link = PlanLink(self.ctx, self.start_date, self)  # plan item (issue 12)
        self.plan_link.changed.connect(self.form_changed)
        form.addRow(PlanLink.LABEL, self.plan_link)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _build_text(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        for field in TEXT_FIELDS:
            edit = TextArea(page)
            edit.textChanged.connect(lambda f=field: self._edited(f))
            setattr(self, field, edit)
            layout.addWidget(QLabel(label(Activity, field), page))
            layout.addWidget(self.errors.add(field, edit), 1)
        return page

    # --- showing --------------------------------------------------------------------------

    def _state(self) -> approval.ApprovalState | None:
        """The stored activity's approval state (None for a new one)."""
        if self._is_new:
            return None
        try:
            return approval.state(self.ctx.db, "activity", self._record.id)
        except IttisalError:  # deleted meanwhile: what was typed saves as a new one
            return None

    def _show_bundle(self, bundle: ActivityBundle) -> None:
        self._loading = True
        try:
            a = bundle.activity
            self.kind.setCurrentIndex(max(self.kind.findData(a.kind), 0))
            self.title.setText(a.title)
            self.start_date.setValue(a.start_date)
            self.end_date.setValue(a.end_date or a.start_date)
            self._previous_start = self.start_date.raw()
            self.place.setText(a.place)
            self.organiser.setText(a.organiser)
            self.partners.set_values(a.partners)
            self.lecturers.set_values(a.lecturers)
            self.participants_count.set_count(a.participants_count)
            self.status.setText(approval.approval_label(a.status, False))
            self.summary.setPlainText(a.summary)
            self.objectives.setPlainText(a.objectives)
            self.recommendations.set_recommendations(bundle.recommendations)
            self.photos.set_photos(bundle.photos)
            self.attendees.set_activity(self.activity_id)
            self.plan_link.load(self.activity_id)
        finally:
            self._loading = False
        self._touched = set(MAIN_FIELDS + TEXT_FIELDS)
        self._update_tab_titles()

    def _update_tab_titles(self) -> None:
        style = self.ctx.date_style
        for tab, name, n in ((TAB_RECS, "tab_recs", self.recommendations.model.rowCount()),
                             (TAB_PEOPLE, "tab_people", self._attendee_count),
                             (TAB_PHOTOS, "tab_photos", len(self.photos.photos()))):
            self.tabs.setTabText(tab, TEXT["tab_count"].format(
                tab=TEXT[name], n=number_text(n, style)) if n else TEXT[name])

    # --- editing --------------------------------------------------------------------------

    def _edited(self, field: str) -> None:
        if self._loading:
            return
        self._touched.add(field)
        self.form_changed()

    def _edited_list(self) -> None:
        self._update_tab_titles()
        self.form_changed()

    def _start_changed(self) -> None:
        # The end follows the start while it was empty or the same day (one-day activities).
        start, end = self.start_date.raw(), self.end_date.raw()
        if not self._loading and start and self.start_date.value() and (
                end is None or end == self._previous_start):
            self.end_date.setValue(start)
        if self.start_date.value() or not start:
            self._previous_start = start
        self._edited("start_date")

    def _attendees_counted(self, n: int) -> None:
        emptied = n == 0 and self._attendee_count > 0
        self._attendee_count = n
        counted = n > 0
        self.participants_count.setReadOnly(counted)
        self.participants_count.setButtonSymbols(
            QAbstractSpinBox.ButtonSymbols.NoButtons if counted
            else QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.counted_hint.setVisible(counted)
        if (counted and self.participants_count.count() != n) or emptied:
            loading, self._loading = self._loading, True
            self.participants_count.set_count(n or None)
            self._loading = loading
            if isinstance(self._baseline, dict) and "activity" in self._baseline:
                # The list is written through and the stored count follows it already.
                self._baseline["activity"]["participants_count"] = n or None
            self.form_changed()
        self._update_tab_titles()

    # --- the record -----------------------------------------------------------------------

    def bundle(self) -> ActivityBundle:
        """The activity with its recommendations and photos as the form shows them (raw)."""
        activity = dataclasses.replace(
            self._record, kind=self.kind.currentData(), title=self.title.text(),
            start_date=self.start_date.raw(), end_date=self.end_date.raw(),
            place=self.place.text(), organiser=self.organiser.text(),
            partners=self.partners.values(), lecturers=self.lecturers.values(),
            summary=self.summary.toPlainText(), objectives=self.objectives.toPlainText(),
            participants_count=self._attendee_count or self.participants_count.count())
        return ActivityBundle(activity, self.recommendations.recommendations(),
                              self.photos.photos())

    def form_state(self) -> dict[str, Any]:
        return {**activity_bundle.to_payload(self.bundle()), **self.plan_link.state()}

    def form_valid(self) -> bool:
        found = activity_bundle.check(activity_bundle.clean_bundle(self.bundle()))
        self.errors.show(found.activity, self._touched)
        hidden = [e for e in found.activity if e.field not in self._touched]
        self.incomplete.set_message(TEXT["incomplete"].format(
            fields="، ".join(label(Activity, e.field) for e in hidden)) if hidden else "")
        self.recommendations.show_problems(found.recommendations)
        self.photos.show_problems(found.photos)
        shown = {e.field for e in found.activity if e.field in self._touched}
        bad_tabs = {TAB_MAIN: bool(shown & set(MAIN_FIELDS)),
                    TAB_TEXT: bool(shown & set(TEXT_FIELDS)),
                    TAB_RECS: bool(found.recommendations), TAB_PHOTOS: bool(found.photos)}
        for tab, bad in bad_tabs.items():
            self.tabs.tabBar().setTabTextColor(tab, ERROR_TAB_COLOUR if bad else QColor())
        self._bad_tabs = {tab for tab, bad in bad_tabs.items() if bad}
        return not found

    def draft_record_id(self) -> str | None:
        return self.activity_id

    def save_form(self) -> bool:
        self.partners.add_pending()
        self.lecturers.add_pending()
        bundle = self.bundle()
        if self._revising:  # an approved or sent activity edited: a draft to approve again
            bundle.activity = dataclasses.replace(bundle.activity, status=approval.
                                                  status_after_edit(bundle.activity.status))
        try:
            saved = self.plan_link.saving(  # the plan item's link in the same transaction
                lambda: activity_bundle.save(self.ctx.db, bundle),
                lambda stored: stored.activity.id)
        except IttisalError as exc:
            show_error(self, exc)
            return False
        self._revising = False
        self._record = saved.activity
        self._is_new = False
        self.export_button.setEnabled(True)  # export (issue 4)
        current = self.tabs.currentIndex()
        self._show_bundle(saved)
        self.tabs.setCurrentIndex(current)
        self._set_title()
        self._show_approval()
        self.ctx.changed("activities")
        self.ctx.changed("recommendations")
        return True

    # --- approval (issue 13) ------------------------------------------------------------------

    def _build_banner(self) -> QWidget:
        """Who approved the activity and when, when it was sent, and «تعديل»; hidden for
        a draft."""
        self.banner = ApprovalBanner(self, TEXT["unlock"], TEXT["unlock_tip"], self.unlock)
        self.banner_text, self.unlock_button = self.banner.text, self.banner.unlock_button
        return self.banner

    def _show_approval(self, *, recovered: bool = False) -> None:
        """Show the stored approval state: the status, the banner, and the lock."""
        state = self._state()
        if state is not None:
            self.status.setText(state.label)
        # Only a recorded approval locks: one chosen in the old status box named no one.
        locked = state is not None and state.locked and bool(state.approved_at or
                                                              state.sent_at)
        if recovered and locked:  # the draft was typed after «تعديل»
            self._revising, locked = True, False
        self._locked = locked
        style = self.ctx.date_style
        if self._revising:
            self.banner_text.setText(TEXT["revising_banner"])
        elif state is not None and not locked and state.changed_since_sent and state.sent_at:
            self.banner_text.setText(TEXT["changed_draft_banner"].format(
                when=moment_text(state.sent_at, style)))
        elif state is not None and locked:
            text = (TEXT["approved_banner"].format(
                by=state.approved_by, when=moment_text(state.approved_at, style))
                if state.approved_by and state.approved_at
                else TEXT["approved_banner_unknown"])
            if state.sent_at:
                text += TEXT["sent_banner"].format(when=moment_text(state.sent_at, style))
            if state.changed_since_sent:
                text += TEXT["changed_banner"]
            self.banner_text.setText(text + TEXT["locked_note"])
        self.banner.setVisible(self._revising or locked or bool(
            state is not None and state.changed_since_sent))
        self.unlock_button.setVisible(locked)
        self._set_editable(not locked)
        self.approve_button.setEnabled(not locked)
        if locked:  # nothing to cancel in a form that cannot be edited
            self.cancel_button.setText(form_base.TEXT["close"])

    def _set_editable(self, editable: bool) -> None:
        # The pages are disabled, not the tabs: every tab can still be read.
        for tab in range(self.tabs.count()):
            page = self.tabs.widget(tab)
            if isinstance(page, QScrollArea) and page.widget() is not None:
                page = page.widget()
            page.setEnabled(editable)
        if editable:
            self.form_changed()
        else:
            self.save_button.setEnabled(False)
        self.save_shortcut.setEnabled(editable)

    @property
    def locked(self) -> bool:
        """Whether the form shows an approved or sent activity read-only."""
        return self._locked

    def form_changed(self) -> None:
        super().form_changed()
        # A write-through (the attendees' count) must not offer Save on a locked form.
        if getattr(self, "_locked", False):
            self.save_button.setEnabled(False)
            self.save_shortcut.setEnabled(False)

    def unlock(self) -> None:
        """«تعديل»: after the user agrees, the approved or sent activity can be edited; its
        next save makes it a new revision (a draft to approve and send again)."""
        if not self._locked:
            return
        if not ask_to_revise_activity(self, self._record.status):
            return
        self._locked, self._revising = False, True
        self.attendees.agreed_to_revise = True  # asked once: the list's edits ask no more
        self.banner_text.setText(TEXT["revising_banner"])
        self.unlock_button.hide()
        self.approve_button.setEnabled(True)
        self._set_editable(True)
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)

    def approve(self) -> None:
        """«اعتماد»: approve the activity in the approver's name, after asking (saving the
        form first when it changed); then it shows locked."""
        try:
            by = approval.require_approver(self.ctx.db)
        except IttisalError as exc:
            show_error(self, exc)
            return
        title = self.title.text().strip() or TEXT["untitled"]
        if not ask(self, TEXT["approve"], TEXT["approve_question"].format(title=title, by=by),
                   yes=TEXT["yes_approve"], no=TEXT["no"]):
            return
        if (self.is_dirty() or self._is_new or self._revising) and not self._save_first():
            return
        try:
            approval.approve(self.ctx.db, "activity", [self._record.id], by=by)
        except IttisalError as exc:
            show_error(self, exc)
            return
        stored = store.get(self.ctx.db, Activity, self._record.id)
        # The form's record follows the stored one, so a later save keeps the approval.
        self._record = dataclasses.replace(self._record, status=stored.status,
                                           updated_at=stored.updated_at)
        self._revising = False
        self._baseline = self.form_state()
        self._show_approval()
        self.ctx.changed("activities")

    # --- export (issue 4) -------------------------------------------------------------------

    def _add_export_button(self) -> None:
        """"تصدير" (news report via its editor, attendance sheet), for a saved activity."""
        from ui import export

        self.export_button = QPushButton(TEXT["export"], self.buttons)
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip(TEXT["export_tip"])
        self.export_button.setAutoDefault(False)
        self.export_button.setMinimumWidth(90)
        menu = QMenu(self.export_button)
        menu.setObjectName("exportMenu")
        menu.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        for kind in ("news", "attendance"):  # document kinds of one activity ("letter" later)
            action = menu.addAction(export.TEXT[f"{kind}_menu"])
            action.setObjectName(f"export_{kind}")
            action.triggered.connect(lambda _c=False, k=kind: self.export_document(k))
        self.export_button.setMenu(menu)
        self.export_button.setEnabled(not self._is_new)
        self.buttons.layout().insertWidget(0, self.export_button)

    def export_document(self, kind: str) -> None:
        """Export a document of this activity, saving the form first when it changed."""
        from ui import export
        from ui.forms.news_editor import NewsEditorDialog

        if (self.is_dirty() or self._is_new) and \
                not self._save_first(lambda: self.export_document(kind)):
            return
        if kind != "news":
            export.export_document(self, self.ctx, kind, activity_id=self.activity_id)
            return
        run_modal(NewsEditorDialog(self.ctx, self.activity_id, self))
        # The editor kept its text with the activity: the form's record follows it, so a
        # later save keeps the text.
        stored = store.get(self.ctx.db, Activity, self._record.id)
        self._record = dataclasses.replace(self._record, news_text=stored.news_text,
                                           updated_at=stored.updated_at)
        self._baseline = self.form_state()

    def open_certificates(self) -> None:
        """The certificates window of this activity, saving the form first when it changed
        (the certificates show what is stored)."""
        if (self.is_dirty() or self._is_new) and not self._save_first(self.open_certificates):
            return
        from ui.certificates.dialog import CertificatesDialog

        run_modal(CertificatesDialog(self.ctx, self.activity_id, self))

    # --- a list dropped on the form ---------------------------------------------------------

    def _catch_drops(self) -> None:
        # Qt gives a drag to the innermost widget that accepts drops (a line edit, the
        # photos tab), which would refuse a spreadsheet or take its path as text: the form
        # watches each of them, and itself for the rest.
        self.setAcceptDrops(True)
        for widget in [self, *self.findChildren(QWidget)]:
            if widget.acceptDrops():
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop) and \
                isinstance(watched, QWidget) and watched.window() is self:
            mime = event.mimeData()  # type: ignore[attr-defined]
            path = importable_path(mime)
            several = path is None and several_lists(mime)
            if path is not None or several:
                event.setDropAction(Qt.DropAction.CopyAction)  # type: ignore[attr-defined]
                event.accept()
                if kind == QEvent.Type.Drop:
                    # After the drop returns: the file manager must not wait for the import.
                    QTimer.singleShot(0, lambda: self.import_attendees(path) if path
                                      else self._one_list_at_a_time())
                return True
        return super().eventFilter(watched, event)

    def import_attendees(self, path: str) -> None:
        """Import the attendees listed in ``path`` (Excel or CSV), on the attendees tab."""
        self.tabs.setCurrentIndex(TAB_PEOPLE)
        self.attendees.import_path(path)

    def _one_list_at_a_time(self) -> None:
        # Several files with a list among them: which one is meant is not guessed.
        self.tabs.setCurrentIndex(TAB_PEOPLE)
        self.attendees.say(TEXT["one_list"])

    def _ready_to_save(self) -> bool:
        """Whether the form could save the new activity as it is; if not, what is missing
        is said next to its field, on its tab (before a file or person dialog opens, so
        that nothing is chosen for a save that cannot happen)."""
        self._touched = set(MAIN_FIELDS + TEXT_FIELDS)  # say everything that is missing
        if self.form_valid():
            return True
        if self._bad_tabs:
            self.tabs.setCurrentIndex(min(self._bad_tabs))
        return False

    def _save_first(self, then: Callable[[], None] | None = None) -> str | None:
        """The attendees tab needs a stored activity: save now if the form allows it. When
        the database is busy the form saves again by itself; ``then`` (what the tab was
        asked to do) is done once that save has gone through."""
        self._touched = set(MAIN_FIELDS + TEXT_FIELDS)  # say everything that is missing
        self._after_retry = None
        if self.save():
            return self.activity_id
        if then is not None and self._retry_timer.isActive():
            self._after_retry = then
        if self._bad_tabs:
            self.tabs.setCurrentIndex(min(self._bad_tabs))
        return None

    def _retry_save(self) -> None:
        super()._retry_save()
        then, self._after_retry = self._after_retry, None
        if then is None:
            return
        if self._retry_timer.isActive():  # still busy: keep waiting
            self._after_retry = then
        elif self.activity_id is not None and self.isVisible():
            # After this timer's slot: the import or person dialog then runs as if asked now.
            QTimer.singleShot(0, then)


def importable_path(mime: QMimeData | None) -> str | None:
    """The one Excel or CSV file a drag carries, else None (other drags are not ours)."""
    if mime is None or not mime.hasUrls():
        return None
    files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    if len(files) != 1 or Path(files[0]).suffix.lower() not in IMPORT_SUFFIXES:
        return None
    return files[0]


def several_lists(mime: QMimeData | None) -> bool:
    """Whether a drag carries several files, an Excel or CSV list among them (the form
    takes it to say that one list is imported at a time)."""
    if mime is None or not mime.hasUrls():
        return False
    files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    return len(files) > 1 and any(Path(f).suffix.lower() in IMPORT_SUFFIXES for f in files)


def _draft_title(draft: Draft) -> str:
    payload = draft.payload
    if draft.record_type == "activity":
        title = payload.get("activity", {}).get("title", "")
    else:
        title = payload.get("full_name", "")
    return " ".join(str(title).split()) or TEXT["untitled"]


def _still_there(ctx: AppContext, record_type: type, record_id: str | None) -> str | None:
    if record_id is None:
        return None
    try:
        store.get(ctx.db, record_type, record_id)
    except NotFoundError:
        return None
    return record_id


def offer_recovered_drafts(ctx: AppContext, parent: QWidget | None = None) -> int:
    """At start: offer each form left unsaved by a crash back, and open the ones the user
    wants in their form. Returns how many were opened."""
    opened = 0
    for draft in drafts.all_drafts(ctx.db):
        if draft.record_type not in ("activity", "person"):
            continue
        question = TEXT[f"recover_{draft.record_type}"].format(
            title=_draft_title(draft), time=moment_text(draft.saved_at, ctx.date_style))
        if not ask(parent, TEXT["recover_title"], question, yes=TEXT["restore"],
                   no=TEXT["drop"]):
            drafts.delete(ctx.db, draft.key)
            continue
        if draft.record_type == "activity":
            dialog: FormDialog = ActivityDialog(
                ctx, _still_there(ctx, Activity, draft.record_id), parent, draft=draft)
        else:
            dialog = PersonDialog(ctx, _still_there(ctx, Person, draft.record_id), parent,
                                  draft=draft)
        opened += 1
        run_modal(dialog)
    return opened
