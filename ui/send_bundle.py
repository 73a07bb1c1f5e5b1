"""«إرسال إلى الوزارة»: the unit's data bundle, from what will go to the file on a USB stick.

:func:`send_to_ministry` opens :class:`SendDialog`, which says what a bundle made now
carries (:func:`models.outbox.pending`, in counted Arabic nouns: «١٢ نشاطاً، ٣ مخططات»)
or that nothing is approved yet (then no file can be made, unless «نسخة كاملة» — every
record of the unit, ``bundle export --all`` — is ticked). On «إرسال…» it asks where to
save (:func:`ask_bundle_path`, which tests replace, starting in the folder used last for
bundles, the name ``ittisal-<unit>-<date>.ittisal``), writes the bundle with
:func:`models.data_bundle.export` through :func:`ui.tasks.run_task` (its own
connection, a progress dialog whose Cancel stops before anything is written), announces
the activities and plans it marked sent, and offers to open the folder
(:class:`SentDialog`).

The bundles log keeps a file's name, not its folder: the path of each bundle sent from
here is remembered in the user's settings (:func:`ui.export.remember_place`), so the
outbox can open its folder later.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from exporters.registry import safe_file_name
from models import data_bundle, outbox
from models.dates import DateStyle
from models.errors import IttisalError
from ui import export
from ui.context import AppContext
from ui.formatting import number_text
from ui.tasks import Progress, Task, run_task, show_error
from ui.widgets import open_dialogs, theme

TEXT = {
    "title": "إرسال إلى الوزارة",
    "intro": "ستُرسل في حزمة بيانات واحدة السجلات المعتمدة أو المعدّلة منذ آخر حزمة:",
    "intro_full": "ستُنسخ في الحزمة كل سجلات الوحدة أياً كانت حالتها:",
    "first": "هذه أول حزمة من هذا الحاسوب.",
    "last": "آخر حزمة أُرسلت: {when}.",
    "nothing": "لا توجد أنشطة ولا مخططات معتمدة لم تُرسل بعد، فلا حاجة إلى حزمة الآن.\n"
               "اعتمد السجلات أولاً (من قائمة الأنشطة أو المخططات)، أو اختر «نسخة كاملة».",
    "empty_full": "لا توجد سجلات في قاعدة البيانات لتُنسخ.",
    "counting": "يُحصى ما ستحمله الحزمة…",
    "marks": "ستُعلَّم {what} «مرسلة» بعد كتابة الملف.",
    "full": "نسخة كاملة (كل السجلات أياً كانت حالتها)",
    "full_tip": "لنقل البيانات إلى حاسوب جديد أو لأول تسليم إلى الوزارة. لا تحمل المفتاح "
                "الخاص أبداً؛ يُنقل المفتاح بالنسخ الاحتياطي للمفتاح.",
    "send": "إرسال…",
    "cancel": "إلغاء",
    "save_title": "حفظ حزمة البيانات",
    "filter": "حزمة بيانات اتصال (*.ittisal)",
    "writing": "جارٍ كتابة الحزمة «{name}»…",
    "done_title": "أُرسلت الحزمة",
    "done": "حُفظت الحزمة «{name}» في المجلد:\n{folder}\n\nتحمل: {summary}.\n{marked}"
            "\nسلّم الملف إلى مركز الوزارة (على قرص محمول أو بالبريد).",
    "marked": "عُلّم {what} «مرسلة».",
    "open_folder": "فتح المجلد",
    "open_folder_tip": "فتح المجلد الذي حُفظت فيه الحزمة",
    "close": "إغلاق",
    "cant_open": "تعذّر فتح المجلد «{folder}».",
    "none": "لا شيء",
    "and": "، ",
}

#: The counted Arabic nouns of a bundle's tables: one, two, 3–10, 11–99, and 100, 200…
#: (the hundred's tamyiz); ``{n}`` is the number in the unit's digits.
NOUNS: dict[str, tuple[str, str, str, str, str]] = {
    "activities": ("نشاط واحد", "نشاطان", "{n} أنشطة", "{n} نشاطاً", "{n} نشاط"),
    "plans": ("مخطط واحد", "مخططان", "{n} مخططات", "{n} مخططاً", "{n} مخطط"),
    "plan_items": ("بند مخطط واحد", "بندا مخطط", "{n} بنود مخطط", "{n} بند مخطط",
                   "{n} بند مخطط"),
    "persons": ("مشارك واحد", "مشاركان", "{n} مشاركين", "{n} مشاركاً", "{n} مشارك"),
    "attendance": ("سجل حضور واحد", "سجلا حضور", "{n} سجلات حضور", "{n} سجل حضور",
                   "{n} سجل حضور"),
    "recommendations": ("توصية واحدة", "توصيتان", "{n} توصيات", "{n} توصية", "{n} توصية"),
    "recommendation_notes": ("ملاحظة متابعة واحدة", "ملاحظتا متابعة", "{n} ملاحظات متابعة",
                             "{n} ملاحظة متابعة", "{n} ملاحظة متابعة"),
    "coverage_items": ("مادة رصد واحدة", "مادتا رصد", "{n} مواد رصد", "{n} مادة رصد",
                       "{n} مادة رصد"),
    "outlets": ("وسيلة إعلامية واحدة", "وسيلتان إعلاميتان", "{n} وسائل إعلامية",
                "{n} وسيلة إعلامية", "{n} وسيلة إعلامية"),
    "attachments": ("مرفق واحد", "مرفقان", "{n} مرفقات", "{n} مرفقاً", "{n} مرفق"),
    "certificates": ("شهادة واحدة", "شهادتان", "{n} شهادات", "{n} شهادة", "{n} شهادة"),
}

SETTINGS_FOLDER = "bundle/folder"


def counted(n: int, table: str, style: DateStyle) -> str:
    """``n`` records of ``table`` as Arabic counts them («نشاطان»، «٣ مخططات»،
    «١٢ نشاطاً»، «١٠٠ نشاط»)."""
    one, two, few, many, hundred = NOUNS[table]
    rest = n % 100
    if n == 1:
        form = one
    elif n == 2:
        form = two
    elif 3 <= rest <= 10:
        form = few
    elif 11 <= rest <= 99:
        form = many
    else:
        form = hundred
    return form.format(n=number_text(n, style))


def counts_text(counts: dict[str, int], style: DateStyle) -> str:
    """A bundle's counts in words, in the order of :data:`NOUNS` (activities and plans
    first), the tables with rows only («٣ أنشطة، مشاركان، ١٢ سجل حضور»); «لا شيء» when
    empty. Certificates' earlier revisions (history) are not counted."""
    parts = [counted(counts[t], t, style) for t in NOUNS if counts.get(t)]
    return TEXT["and"].join(parts) or TEXT["none"]


def _marks(activities: int, plans: int, style: DateStyle) -> str:
    parts = [counted(n, t, style) for n, t in ((activities, "activities"), (plans, "plans"))
             if n]
    return TEXT["and"].join(parts)


# --- what tests replace ---------------------------------------------------------------

def ask_bundle_path(parent: QWidget | None, title: str, suggested: Path) -> Path | None:
    """Ask where to save the bundle (a native save dialog); None on cancel."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested),
                                                  TEXT["filter"])
    return Path(chosen) if chosen else None


# --- names, folders, places -----------------------------------------------------------

def last_folder() -> Path:
    """The folder a bundle was last saved in (a USB stick may be gone: then the folder of
    the last document, else the documents folder)."""
    stored = export.settings().value(SETTINGS_FOLDER, "", str)
    if stored and Path(stored).is_dir():
        return Path(stored)
    return export.last_folder()


def remember_sent(path: Path, sha256: str) -> None:
    """Start the next bundle's save dialog in ``path``'s folder, and remember where the
    bundle with this hash was written (the log keeps its name only)."""
    store = export.settings()
    store.setValue(SETTINGS_FOLDER, str(path.parent))
    store.sync()
    export.remember_place(path, sha256)


def searched_folders() -> list[Path]:
    """The folders the outbox looks in for a letter or bundle by name: the bundles' and
    the documents' last folders, the folder of the last report chosen for a letter, and
    the documents folder."""
    folders = [last_folder(), export.last_folder(), open_dialogs.start_folder("report")]
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    if documents:
        folders.append(Path(documents))
    return list(dict.fromkeys(folders))


def default_name(ctx: AppContext, *, full: bool, today: dt.date | None = None) -> str:
    """``ittisal-<unit>-<date>.ittisal`` (``-full`` before the suffix for a full copy)."""
    unit = ctx.unit
    name = unit.name or unit.directorate or unit.ministry or "unit"
    day = (today or dt.date.today()).isoformat()
    extra = "-full" if full else ""
    return safe_file_name(f"ittisal-{name}-{day}{extra}") + data_bundle.EXTENSION


# --- the dialogs ----------------------------------------------------------------------

class SendDialog(QDialog):
    """What a bundle made now carries, the full-copy choice, and «إرسال…» (enabled only
    when there is something to send)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("sendDialog")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["title"])
        self._pending: dict[bool, outbox.Pending] = {}
        self._counting: set[bool] = set()
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("sendSummary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.marks = QLabel(self)
        self.marks.setObjectName("sendMarks")
        self.marks.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("sendNothing")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {theme.WARNING};")
        self.last = QLabel(self)
        self.last.setStyleSheet(f"color: {theme.MUTED};")
        self.full = QCheckBox(TEXT["full"], self)
        self.full.setObjectName("sendFull")
        self.full.setToolTip(TEXT["full_tip"])
        buttons = QDialogButtonBox(self)
        self.send_button = buttons.addButton(TEXT["send"], QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        self.cancel_button = buttons.addButton(TEXT["cancel"],
                                               QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.summary, self.marks, self.message, self.last):
            widget.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
            layout.addWidget(widget)
        layout.addSpacing(6)
        layout.addWidget(self.full)
        layout.addWidget(buttons)
        # As wide as the longest sentence it may show, so that none wraps.
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(
            TEXT["nothing"].split("\n")[0]) + 48)
        self.full.toggled.connect(self._update)
        when = data_bundle.last_out(ctx.db)
        from ui.formatting import date_text

        self.last.setText(TEXT["last"].format(when=date_text(when[:10], ctx.date_style))
                          if when else TEXT["first"])
        self._update()

    @property
    def counted(self) -> bool:
        """Whether what the current choice would carry has been counted."""
        return self.full.isChecked() in self._pending

    def pending(self) -> outbox.Pending | None:
        """What the bundle would carry with the current choice; None while it is being
        counted (in the background: on a big file it reads every record to send, seconds
        the window must not freeze for)."""
        full = self.full.isChecked()
        if full not in self._pending and full not in self._counting:
            self._counting.add(full)
            run_task(self, functools.partial(_count, full=full), db_path=self.ctx.db.path,
                     show_progress=False, on_done=functools.partial(self._counted, full))
        return self._pending.get(full)

    def _counted(self, full: bool, pending: outbox.Pending) -> None:
        self._counting.discard(full)
        self._pending[full] = pending
        self._update()
        # The counts replace a one-line "counting": the wrapped lines need their height.
        self.layout().activate()
        self.adjustSize()

    def can_send(self) -> bool:
        """Whether «إرسال…» is enabled: something approved to send, or a full copy of a
        database with records (not while it is being counted)."""
        pending = self.pending()
        if pending is None:
            return False
        return not pending.empty if self.full.isChecked() else not pending.nothing_approved

    def accept(self) -> None:
        """Send only when there is something to send (Enter on a disabled button too)."""
        if self.can_send():
            super().accept()

    def _update(self) -> None:
        full = self.full.isChecked()
        pending = self.pending()
        style = self.ctx.date_style
        self.intro.setText(TEXT["intro_full" if full else "intro"])
        if pending is None:
            self.summary.setText(TEXT["counting"])
            for label, shown in ((self.intro, True), (self.summary, True),
                                 (self.marks, False), (self.message, False)):
                label.setVisible(shown)
            self.send_button.setEnabled(False)
            return
        ok = self.can_send()
        self.summary.setText(counts_text(pending.counts, style))
        marks = _marks(pending.activities, pending.plans, style)
        self.marks.setText(TEXT["marks"].format(what=marks) if marks else "")
        self.marks.setVisible(bool(marks) and ok)
        self.intro.setVisible(ok)
        self.summary.setVisible(ok)
        self.message.setText(TEXT["empty_full" if full else "nothing"])
        self.message.setVisible(not ok)
        self.send_button.setEnabled(ok)


class SentDialog(QDialog):
    """The bundle is written: what it carries, what was marked sent, «فتح المجلد»."""

    def __init__(self, ctx: AppContext, done: data_bundle.Exported,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(done.path)
        self.setObjectName("sentDialog")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["done_title"])
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        style = ctx.date_style
        marks = _marks(done.sent.get("activity", 0), done.sent.get("plan", 0), style)
        self.message = QLabel(TEXT["done"].format(
            **export.shown_names(self.path), summary=counts_text(done.counts, style),
            marked=TEXT["marked"].format(what=marks) if marks else ""), self)
        self.message.setObjectName("sentMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(self)
        self.folder_button = buttons.addButton(TEXT["open_folder"],
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button.setObjectName("openFolder")
        self.folder_button.setToolTip(TEXT["open_folder_tip"])
        self.folder_button.setDefault(True)
        self.close_button = buttons.addButton(TEXT["close"],
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.folder_button.clicked.connect(self.open_folder)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.folder_button.setFocus()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(
            TEXT["done"].split("\n")[-1]) + 96)

    def open_folder(self) -> None:
        """Show the bundle's folder in the file manager."""
        if not export.open_url(QUrl.fromLocalFile(str(self.path.parent))):
            export.warn(self, TEXT["done_title"],
                        TEXT["cant_open"].format(**export.shown_names(self.path)))
            return
        self.accept()


# --- sending --------------------------------------------------------------------------

def _count(_progress: Progress, db, *, full: bool) -> outbox.Pending:
    """Background work: what a bundle would carry now."""
    return outbox.pending(db, full=full)


def send_to_ministry(parent: QWidget | None, ctx: AppContext) -> SendDialog:
    """Open :class:`SendDialog`; on «إرسال…», ask where and write the bundle
    (:func:`write_bundle`). The dialog's ``task`` is the running export, if any."""
    dialog = SendDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.task = None
    dialog.accepted.connect(lambda: setattr(
        dialog, "task", write_bundle(parent, ctx, full=dialog.full.isChecked())))
    dialog.open()
    return dialog


def _failed(parent: QWidget | None, path: Path, error: BaseException) -> None:
    if isinstance(error, OSError) and not isinstance(error, IttisalError):
        export.warn(parent, export.TEXT["error_title"], export.error_message(error, path))
    else:
        show_error(parent, error)


def write_bundle(parent: QWidget | None, ctx: AppContext, *, full: bool) -> Task | None:
    """Ask where to save, then export the bundle off the UI thread; None when the user
    cancelled the save dialog or the place is refused (the database's own folder…)."""
    name = default_name(ctx, full=full)
    chosen = ask_bundle_path(parent, TEXT["save_title"], last_folder() / name)
    if chosen is None:
        return None
    path = chosen if chosen.suffix.lower() == data_bundle.EXTENSION else chosen.with_name(
        chosen.name + data_bundle.EXTENSION)
    if export.refuse_output(parent, ctx.db.path, path):
        return None
    label = TEXT["writing"].format(name=path.name)

    def work(progress: Progress, db) -> data_bundle.Exported:
        progress.step(0, 0, label)
        return data_bundle.export(db, path, full=full,
                                  progress=lambda done, total: progress.step(done, total))

    def done(result: data_bundle.Exported) -> None:
        remember_sent(Path(result.path), result.sha256)
        for table in ("activities", "plans", "bundles"):
            ctx.changed(table)
        SentDialog(ctx, result, parent).open()

    return run_task(parent, work, on_done=done,
                    on_failed=lambda error: _failed(parent, path, error),
                    title=TEXT["title"], db_path=ctx.db.path)
