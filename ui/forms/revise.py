"""The question asked before an approved or sent activity is edited (in its form, or in
its attendees list): the edit makes a new revision, to be approved and sent again.

Kept apart from the activity form so that the attendees editor, which the form holds,
asks in the same words without importing the form.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.forms.form_base import ask

TEXT = {
    "title": "تعديل نشاط معتمد",
    "question": "هذا النشاط {state}. تعديله يُنشئ نسخة جديدة يجب اعتمادها "
                "وإرسالها من جديد. متابعة؟",
    "approved": "معتمد",
    "sent": "مرسل",
    "yes": "نعم، عدّل",
    "no": "لا",
}


def ask_to_revise_activity(parent: QWidget | None, status: str) -> bool:
    """Ask before an activity whose status is ``status`` ('approved' or 'sent') is
    edited; True when the user agrees that it becomes a new revision."""
    state = TEXT["sent" if status == "sent" else "approved"]
    return ask(parent, TEXT["title"], TEXT["question"].format(state=state),
               yes=TEXT["yes"], no=TEXT["no"])
