"""The unit's identity as a form: its names and titles, one line each, with their
validation messages under them. Used by the settings page and the welcome dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from models import records
from models.errors import ValidationError
from ui.widgets.field_errors import FieldMessage, with_message

TEXT = {
    "state_hint": "السطر الأول في كل وثيقة (الترويسة والكتب والشهادات)، مثل «جمهورية العراق» "
                  "أو «مملكة البحرين». اتركه فارغاً إن لم يكن للوثائق سطر دولة.",
    "state_empty": "بلا سطر للدولة",
}

# The identity fields, in the order a letterhead reads them: the state line first.
IDENTITY_FIELDS = ("state", "ministry", "directorate", "name", "city", "head_name", "head_title",
                   "coordinator_name", "coordinator_title")


class UnitIdentityForm(QWidget):
    """The unit's names and titles, one line each, with their validation messages."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldMessage] = {}
        for name in IDENTITY_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"unit_{name}")
            edit.textEdited.connect(self.edited)
            self.edits[name] = edit
            self.errors[name] = FieldMessage(self)
            if name == "state":
                edit.setToolTip(TEXT["state_hint"])
                edit.setPlaceholderText(TEXT["state_empty"])
            form.addRow(records.label(records.Unit, name),
                        with_message(edit, self.errors[name]))

    def set_unit(self, unit: records.Unit) -> None:
        """Show a unit's identity."""
        for name, edit in self.edits.items():
            edit.setText(getattr(unit, name))

    def values(self) -> dict[str, str]:
        """What the fields hold, by field name."""
        return {name: edit.text() for name, edit in self.edits.items()}

    def show_problems(self, found: list[ValidationError]) -> None:
        """Put each message under its field; clear the others."""
        messages = {p.field: str(p) for p in found}
        for name, label in self.errors.items():
            label.set_message(messages.get(name, ""))
