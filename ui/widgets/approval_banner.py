"""The band over an approved or sent record's form: who approved it and when, and the
«تعديل» button that opens it for a new revision (models.approval). The words are the
form's: an activity and a plan item say different things."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ApprovalBanner(QFrame):
    """A framed line of ``text`` (word-wrapped) and an unlock button, hidden at first."""

    def __init__(self, parent: QWidget, unlock_label: str, unlock_tip: str,
                 on_unlock: Callable[[], object]) -> None:
        super().__init__(parent)
        self.setObjectName("approvalBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        self.text = QLabel(self)
        self.text.setObjectName("approvalBannerText")
        self.text.setWordWrap(True)
        self.unlock_button = QPushButton(unlock_label, self)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setToolTip(unlock_tip)
        self.unlock_button.setAutoDefault(False)
        self.unlock_button.clicked.connect(on_unlock)
        row.addWidget(self.text, 1)
        row.addWidget(self.unlock_button)
        self.hide()
