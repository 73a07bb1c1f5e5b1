"""The question asked before an approved or sent activity is edited (in its form, in
its attendees list, or by merging two persons who attended it): the edit makes a new
revision, to be approved and sent again.

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
    "many_title": "تعديل أنشطة معتمدة",
    "one_changed": "{action} يغيّر قائمة حضور نشاط {state}: «{title}». تعديله يُنشئ نسخة "
                   "جديدة يجب اعتمادها وإرسالها من جديد. متابعة؟",
    "many_changed": "{action} يغيّر قوائم حضور أنشطة معتمدة أو مرسلة، عددها {n}. تعديلها "
                    "يُنشئ لكلٍّ منها نسخة جديدة يجب اعتمادها وإرسالها من جديد. متابعة؟",
}


def ask_to_revise_activity(parent: QWidget | None, status: str) -> bool:
    """Ask before an activity whose status is ``status`` ('approved' or 'sent') is
    edited; True when the user agrees that it becomes a new revision."""
    state = TEXT["sent" if status == "sent" else "approved"]
    return ask(parent, TEXT["title"], TEXT["question"].format(state=state),
               yes=TEXT["yes"], no=TEXT["no"])


def ask_to_revise_activities(parent: QWidget | None, action: str, locked: list[tuple[str, str]],
                             count_text: str, yes: str) -> bool:
    """Ask once before ``action`` (e.g. «الدمج») changes the attendance of the approved or
    sent activities ``locked`` ((title, status) pairs; ``count_text`` their number as the
    unit writes it); True when the user agrees that each becomes a new revision."""
    if len(locked) == 1:
        title, status = locked[0]
        state = TEXT["sent" if status == "sent" else "approved"]
        text = TEXT["one_changed"].format(action=action, state=state, title=title)
    else:
        text = TEXT["many_changed"].format(action=action, n=count_text)
    return ask(parent, TEXT["many_title"] if len(locked) > 1 else TEXT["title"], text,
               yes=yes, no=TEXT["no"])
