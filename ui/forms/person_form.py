"""The person form: a participant's four-part name, gender (guessed from the first name
when not given), job title, entity, phone, e-mail and notes.

``PersonDialog(ctx, person_id=None, parent=None, *, initial=None)`` edits a stored person or
makes a new one (``initial`` pre-fills it, e.g. with the name typed in the attendees box).
Before a new person is saved, possible duplicates (same folded name or phone) are shown
and the user says whether it is one of them. After ``exec()`` returns Accepted,
``dialog.person`` is the saved (or chosen existing) person.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import drafts, persons, store, vocab
from models.arabic import guess_gender
from models.drafts import Draft
from models.errors import IttisalError
from models.records import Person, clean, label, problems
from ui.context import AppContext
from ui.forms.form_base import FormDialog, TextArea, run_modal
from ui.tasks import show_error
from ui.widgets.date_edit import align_leading
from ui.widgets.field_errors import FieldErrors, FieldMessage, with_message
from ui.widgets.list_editor import FoldingCompleter, completion_values

TEXT = {
    "new": "مشارك جديد",
    "edit": "بيانات المشارك — {name}",
    "no_gender": "غير محدد",
    "guessed": "مخمّن",
    "guessed_tip": "خُمّن الجنس من الاسم الأول؛ غيّره إن لم يكن صحيحاً.",
    "name_hint": "الاسم عادةً رباعي (من ثلاثة إلى خمسة أجزاء)؛ تأكد من كتابته كاملاً.",
    "name_placeholder": "الاسم الرباعي، مثل: زينب علي حسين الأسدي",
    "incomplete": "للحفظ أكمل: {fields}",
    "dup_title": "مشارك مسجّل من قبل؟",
    "dup_text": "وُجد من يشبه هذا المشارك بالاسم أو برقم الهاتف. هل هو أحدهم؟",
    "dup_same": "نعم، هو الشخص المختار",
    "dup_other": "لا، شخص آخر",
    "dup_cancel": "إلغاء",
    "separator": " — ",
}

FIELDS = ("full_name", "gender", "job_title", "entity", "phone", "email", "notes")
NAME_WORDS = range(3, 6)


def person_line(person: Person) -> str:
    """A person in one line: name — job — entity — phone."""
    parts = (person.full_name, person.job_title, person.entity, person.phone)
    return TEXT["separator"].join(p for p in parts if p)


class DuplicateDialog(QDialog):
    """Asks whether a new person is one of the existing persons who look like them."""

    NEW = "new"

    def __init__(self, candidates: list[Person], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["dup_title"])
        self.choice: Person | str | None = None
        self.list = QListWidget(self)
        for person in candidates:
            item = QListWidgetItem(person_line(person))
            item.setData(Qt.ItemDataRole.UserRole, person)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self._same())
        buttons = QDialogButtonBox(self)
        self.same_button = buttons.addButton(TEXT["dup_same"], QDialogButtonBox.ButtonRole.YesRole)
        self.other_button = buttons.addButton(TEXT["dup_other"],
                                              QDialogButtonBox.ButtonRole.NoRole)
        cancel = buttons.addButton(TEXT["dup_cancel"], QDialogButtonBox.ButtonRole.RejectRole)
        self.same_button.clicked.connect(self._same)
        self.other_button.clicked.connect(self._other)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        text = QLabel(TEXT["dup_text"], self)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def _same(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.choice = item.data(Qt.ItemDataRole.UserRole)
            self.accept()

    def _other(self) -> None:
        self.choice = self.NEW
        self.accept()


def choose_duplicate(parent: QWidget | None, candidates: list[Person]) -> Person | str | None:
    """Ask about possible duplicates: the existing person, ``"new"``, or None to go back."""
    dialog = DuplicateDialog(candidates, parent)
    run_modal(dialog)
    return dialog.choice


class PersonDialog(FormDialog):
    """Add or edit a participant."""

    record_type = "person"

    def __init__(self, ctx: AppContext, person_id: str | None = None,
                 parent: QWidget | None = None, *, initial: Person | None = None,
                 draft: Draft | None = None) -> None:
        super().__init__(ctx, parent, draft_key=draft.key if draft else
                         f"person:{person_id}" if person_id else None)
        self.person: Person | None = None
        self._record = store.get(ctx.db, Person, person_id) if person_id else (
            initial or Person())
        self._is_new = person_id is None
        self._touched: set[str] = set()
        self._gender_source = "none"  # "user" chose it, "guess" from the name, or "none"
        self._build()
        state = draft.payload if draft else None
        if state is not None:
            self._show_state(state)
        else:
            self._show_record(self._record)
        self.mark_clean()
        if state is not None:  # a recovered draft differs from what is stored
            self.draft_exists = True
            self._baseline = self._record_state(self._record)
            self.form_changed()
        name = self._record.full_name
        self.setWindowTitle(TEXT["edit"].format(name=name) if not self._is_new and name
                            else TEXT["new"])

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        db = self.ctx.db
        self.full_name = QLineEdit(self)
        self.full_name.setPlaceholderText(TEXT["name_placeholder"])
        self.gender = QComboBox(self)
        self.gender.addItem(TEXT["no_gender"], "")
        for key, text in vocab.GENDERS.items():
            self.gender.addItem(text, key)
        self.guessed = FieldMessage(self, hint=True)  # grey: a guess, not a fact
        self.guessed.setObjectName("genderGuessed")
        self.guessed.setText(TEXT["guessed"])
        self.guessed.setToolTip(TEXT["guessed_tip"])
        self.guessed.setWordWrap(False)
        self.guessed.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.job_title = QLineEdit(self)
        self.job_title.setCompleter(FoldingCompleter(completion_values(db, "job_title"),
                                                     self.job_title))
        self.entity = QLineEdit(self)
        self.entity.setCompleter(FoldingCompleter(completion_values(db, "entity"), self.entity))
        self.phone = QLineEdit(self)
        self.email = QLineEdit(self)
        for latin in (self.phone, self.email):  # digits and Latin: kept at the field's start
            align_leading(latin)
        self.notes = TextArea(self, lines=4)

        self.errors = FieldErrors()
        self.name_hint = FieldMessage(self, hint=True)
        name_error = FieldMessage(self)
        self.errors.add_label("full_name", name_error, self.full_name)
        name_box = with_message(self.full_name, name_error)
        name_box.layout().addWidget(self.name_hint)
        gender_row = QWidget(self)
        row = QHBoxLayout(gender_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.gender)
        row.addWidget(self.guessed)
        row.addStretch(1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(label(Person, "full_name"), name_box)
        form.addRow(label(Person, "gender"), self.errors.add("gender", gender_row))
        for name in ("job_title", "entity", "phone", "email", "notes"):
            form.addRow(label(Person, name), self.errors.add(name, getattr(self, name)))
        self.incomplete = FieldMessage(self, hint=True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.incomplete)
        layout.addWidget(self.buttons)
        self.resize(620, 520)

        self.full_name.textChanged.connect(self._name_changed)
        self.gender.activated.connect(self._gender_chosen)
        for name in ("job_title", "entity", "phone", "email"):
            getattr(self, name).textChanged.connect(lambda _t, n=name: self._edited(n))
        self.notes.textChanged.connect(lambda: self._edited("notes"))

    # --- showing --------------------------------------------------------------------------

    def _show_record(self, person: Person) -> None:
        source = "guess" if person.gender_guessed else "user" if person.gender else "none"
        self._show_state({**self._record_state(person), "gender_source": source})

    def _record_state(self, person: Person) -> dict[str, Any]:
        state: dict[str, Any] = {name: getattr(person, name) for name in FIELDS}
        state["gender_source"] = ("guess" if person.gender_guessed else
                                  "user" if person.gender else "none")
        return state

    def _show_state(self, state: dict[str, Any]) -> None:
        self._loading = True
        self._gender_source = "user"  # keep the stored gender while the name is set
        self.full_name.setText(state.get("full_name", ""))
        self._gender_source = state.get("gender_source", "none")
        self._set_gender(state.get("gender", ""))
        if self._gender_source == "none" and (guess := guess_gender(self.full_name.text())):
            self._set_gender(guess)  # e.g. a name typed in the attendees box
            self._gender_source = "guess"
        for name in ("job_title", "entity", "phone", "email"):
            getattr(self, name).setText(state.get(name, ""))
        self.notes.setPlainText(state.get("notes", ""))
        self._touched = {name for name in FIELDS if state.get(name)}
        self._loading = False
        self._update_guess_label()
        self._update_name_hint()

    def _set_gender(self, gender: str) -> None:
        self.gender.setCurrentIndex(max(self.gender.findData(gender), 0))

    def _update_guess_label(self) -> None:
        self.guessed.setVisible(self._gender_source == "guess" and bool(
            self.gender.currentData()))

    def _update_name_hint(self) -> None:
        words = len(self.full_name.text().split())
        self.name_hint.set_message(TEXT["name_hint"] if words and words not in NAME_WORDS
                                   else "")

    # --- editing --------------------------------------------------------------------------

    def _name_changed(self, text: str) -> None:
        if self._gender_source != "user":
            guess = guess_gender(text) or ""
            self._set_gender(guess)
            self._gender_source = "guess" if guess else "none"
        self._update_guess_label()
        self._update_name_hint()
        self._edited("full_name")

    def _gender_chosen(self, _index: int) -> None:
        self._gender_source = "user"
        self._update_guess_label()
        self._edited("gender")

    def _edited(self, name: str) -> None:
        if self._loading:
            return
        self._touched.add(name)
        self.form_changed()

    # --- FormDialog -------------------------------------------------------------------------

    def form_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {name: getattr(self, name).text()
                                 for name in ("full_name", "job_title", "entity", "phone",
                                              "email")}
        state["gender"] = self.gender.currentData()
        state["notes"] = self.notes.toPlainText()
        state["gender_source"] = self._gender_source
        return state

    def candidate(self) -> Person:
        """The person as the form shows it, cleaned."""
        state = self.form_state()
        guessed = state.pop("gender_source") == "guess" and bool(state["gender"])
        return clean(dataclasses.replace(self._record, gender_guessed=guessed, **state))

    def form_valid(self) -> bool:
        found = problems(self.candidate())
        self.errors.show(found, self._touched)
        hidden = [e for e in found if e.field not in self._touched]
        self.incomplete.set_message(TEXT["incomplete"].format(
            fields="، ".join(label(Person, e.field) for e in hidden)) if hidden else "")
        return not found

    def draft_record_id(self) -> str | None:
        return None if self._is_new else self._record.id

    def save_form(self) -> bool:
        person = self.candidate()
        if self._is_new:
            found = [p for p in persons.matches(self.ctx.db, person.full_name, person.phone,
                                                person.entity)
                     if p.id != person.id]
            if found:
                choice = choose_duplicate(self, found)
                if choice is None:
                    return False
                if isinstance(choice, Person):
                    self.person = choice
                    drafts.delete(self.ctx.db, self.draft_key)
                    return True
        try:
            self.person = store.save(self.ctx.db, person)
        except IttisalError as exc:
            show_error(self, exc)
            return False
        self._record = self.person
        self._is_new = False
        self.ctx.changed("persons")
        return True
