"""«استيراد حزم المديريات»: the ministry centre takes the units' bundles, several at once.

Files come by «إضافة ملفات…» (:func:`ui.widgets.open_dialogs.open_file_names`, kind
``bundles``) or by dropping them on the dialog (or on the outbox page, which opens the
dialog with them). «استيراد» runs two background tasks (:func:`ui.tasks.run_task`):

1. each file is checked (:func:`models.outbox.check_bundle`: names, sizes, signature,
   every part's hash) without writing anything;
2. for a unit whose key this database does not know yet, the key's fingerprint is shown
   for a person to confirm (:func:`confirm_fingerprint`; «لا» leaves that unit's files
   out); a second key for a unit whose key was confirmed in the same batch is asked as a
   key replacement (:func:`confirm_replacement`, «لا» by default); then every file is
   imported in turn (:func:`models.bundle_merge.import_bundle`, one transaction each,
   the confirmed fingerprint required), a refused one logged with its
   reason. Cancel stops between two files; the files already imported stay.

The results table says, per file, what was added and replaced, «مستوردة من قبل», or the
Arabic reason of a refusal; the conflicts waiting for a person are counted under it, and
«عرض التعارضات…» lists them (:class:`ConflictsDialog`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import bundle_conflicts, bundle_merge, data_bundle, outbox
from models.data_bundle import BundleError
from ui.context import AppContext
from ui.formatting import date_text, index_text, number_text
from ui.forms.form_base import run_modal
from ui.tasks import Cancelled, Progress, Task, run_task
from ui.widgets import open_dialogs, theme

TEXT = {
    "title": "استيراد حزم المديريات",
    "hint": "اسحب ملفات الحزم (‎.ittisal) إلى هنا، أو اخترها بزر «إضافة ملفات…». تُفحص "
            "كل حزمة (التوقيع وبصمة كل جزء) قبل قراءة أي سجل منها.",
    "add": "إضافة ملفات…",
    "add_caption": "اختر حزم البيانات",
    "filter": "حزم بيانات اتصال (*.ittisal);;كل الملفات (*)",
    "remove": "إزالة من القائمة",
    "import": "استيراد",
    "close": "إغلاق",
    "checking": "جارٍ فحص الحزم…",
    "checking_one": "جارٍ فحص «{name}»…",
    "importing": "جارٍ استيراد «{name}» ({i} من {n})…",
    "headers": ("الملف", "الوحدة", "النتيجة"),
    "added": "استُوردت: أضيف {added} من السجلات، واستُبدل {replaced}، وبقي {unchanged} كما هو",
    "older": "، وتُرك {older} أقدم مما هنا",
    "conflicts_in": "، و{n} تعارض",
    "already": "مستوردة من قبل؛ لم يتغير شيء",
    "refused": "رُفضت: {reason}",
    "declined": "لم تُستورد: لم تُؤكَّد بصمة مفتاح الوحدة",
    "cancelled": "لم تُستورد: أُلغي الاستيراد قبلها",
    "centre": "صارت قاعدة البيانات هذه مركز الوزارة.",
    "summary": "استُوردت {ok} من {n}، ورُفضت {refused}.",
    "conflicts": "تعارضات تنتظر المراجعة: {n}",
    "no_conflicts": "لا تعارضات تنتظر المراجعة.",
    "show_conflicts": "عرض التعارضات…",
    "confirm_title": "مفتاح وحدة جديدة",
    "confirm": "هذه أول حزمة من «{unit}». بصمة مفتاحها:\n\n{fingerprint}\n\n"
               "تأكد من البصمة مع الوحدة نفسها (بالهاتف أو بكتاب رسمي) قبل الاستيراد: "
               "ستُرفض بعدها كل حزمة لهذه الوحدة موقّعة بمفتاح آخر.\n\nهل تطابق البصمة؟",
    "yes": "نعم، تطابق — استورد",
    "no": "لا، لا تستورد",
    "replace_title": "مفتاح بديل لوحدة",
    "replace": "تنبيه: للوحدة «{unit}» مفتاح موثوق أكّدته الآن ببصمة:\n\n{trusted}\n\n"
               "أما هذه الحزمة فموقّعة بمفتاح آخر بصمته:\n\n{fingerprint}\n\n"
               "لا تقبلها إلا إذا أبلغتك الوحدة نفسها (بالهاتف أو بكتاب رسمي) أنها استبدلت "
               "مفتاحها. إن قبلتها صار هذا المفتاح مفتاح الوحدة.\n\nهل استبدلت الوحدة "
               "مفتاحها؟",
    "replace_yes": "نعم، استبدلت الوحدة مفتاحها — استورد",
    "declined_replace": "لم تُستورد: موقّعة بمفتاح غير المفتاح الذي أُكّد للوحدة",
    # the conflicts list
    "conflicts_title": "التعارضات",
    "conflicts_intro": "سجلات وصلت بنسختين مختلفتين من التعديل نفسه؛ حُفظت إحداهما والأخرى "
                       "جانباً لمراجعة شخص مع الوحدة.",
    "conflict_headers": ("الجدول", "السجل", "الوحدة", "النسخة", "وصل في"),
    "keep_current": "إبقاء الحالي",
    "keep_other": "اعتماد النسخة الأخرى",
    "adopt_title": "اعتماد النسخة الأخرى",
    "adopt": "سيُستبدل السجل الحالي بالنسخة الأخرى، وتُحفظ النسخة الحالية جانباً.\n\n"
             "الحالي: {current}\nالأخرى: {other}\n\nهل تعتمد النسخة الأخرى؟",
    "adopt_yes": "نعم، اعتمد النسخة الأخرى",
    "resolve_failed": "تعذر حل التعارض",
    "tables": {"activities": "الأنشطة", "plans": "المخططات", "plan_items": "بنود المخطط",
               "persons": "المشاركون", "attendance": "الحضور", "recommendations": "التوصيات",
               "recommendation_notes": "متابعة التوصيات", "coverage_items": "الرصد",
               "outlets": "الوسائل الإعلامية", "attachments": "المرفقات",
               "certificates": "الشهادات"},
}

KIND = "bundles"


@dataclass
class FileResult:
    """What became of one file: imported (``imported``) or not, and why (``error``)."""

    path: Path
    unit: str = ""
    imported: bundle_merge.Imported | None = None
    error: str = ""
    refused: bool = False


# --- what tests replace ---------------------------------------------------------------

def confirm_fingerprint(parent: QWidget | None, unit: str, fingerprint: str) -> bool:
    """Ask a person whether a new unit's key fingerprint is the one the unit gave."""
    box = QMessageBox(QMessageBox.Icon.Question, TEXT["confirm_title"],
                      TEXT["confirm"].format(unit=unit, fingerprint=f"\u2066{fingerprint}\u2069"),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("fingerprintConfirm")
    box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    yes = box.addButton(TEXT["yes"], QMessageBox.ButtonRole.YesRole)
    no = box.addButton(TEXT["no"], QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    run_modal(box)
    return box.clickedButton() is yes


def confirm_replacement(parent: QWidget | None, unit: str, trusted: str,
                        fingerprint: str) -> bool:
    """Ask a person whether a unit whose key was just confirmed really replaced it by
    the other key a second bundle is signed with (default: no)."""
    box = QMessageBox(QMessageBox.Icon.Warning, TEXT["replace_title"],
                      TEXT["replace"].format(unit=unit, trusted=f"\u2066{trusted}\u2069",
                                             fingerprint=f"\u2066{fingerprint}\u2069"),
                      QMessageBox.StandardButton.NoButton, parent)
    # The same name as the first-bundle question: whatever answers those answers this.
    box.setObjectName("fingerprintConfirm")
    box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    yes = box.addButton(TEXT["replace_yes"], QMessageBox.ButtonRole.YesRole)
    no = box.addButton(TEXT["no"], QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    run_modal(box)
    return box.clickedButton() is yes


def bundle_paths(urls) -> list[Path]:
    """The local files among dropped URLs."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile()]


# --- the dialog -----------------------------------------------------------------------

class BundleImportDialog(QDialog):
    """The files to import, «استيراد», and the result of each."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 paths: list[Path] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
        self.results: list[FileResult] = []
        self.setObjectName("bundleImport")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["title"])
        self.setAcceptDrops(True)
        hint = QLabel(TEXT["hint"], self)
        hint.setWordWrap(True)
        self.files = QListWidget(self)
        self.files.setObjectName("bundleFiles")
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.add_button = QPushButton(TEXT["add"], self)
        self.add_button.setObjectName("addBundles")
        self.remove_button = QPushButton(TEXT["remove"], self)
        self.import_button = QPushButton(TEXT["import"], self)
        self.import_button.setObjectName("importBundles")
        self.import_button.setDefault(True)
        self.table = QTableWidget(0, len(TEXT["headers"]), self)
        self.table.setObjectName("bundleResults")
        self.table.setHorizontalHeaderLabels(list(TEXT["headers"]))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.summary.setObjectName("bundleSummary")
        self.summary.setWordWrap(True)
        self.conflicts_label = QLabel(self)
        self.conflicts_label.setObjectName("conflictsCount")
        self.conflicts_button = QPushButton(TEXT["show_conflicts"], self)
        self.conflicts_button.setObjectName("showConflicts")
        buttons = QDialogButtonBox(self)
        self.close_button = buttons.addButton(TEXT["close"],
                                              QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.import_button)
        conflicts = QHBoxLayout()
        conflicts.addWidget(self.conflicts_label)
        conflicts.addWidget(self.conflicts_button)
        conflicts.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.files, 1)
        layout.addLayout(row)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.summary)
        layout.addLayout(conflicts)
        layout.addWidget(buttons)
        self.resize(760, 540)

        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self._remove_selected)
        self.import_button.clicked.connect(self.start)
        self.conflicts_button.clicked.connect(self.show_conflicts)
        self.add_paths(paths or [])
        self._show_conflict_count()

    # --- the list of files ------------------------------------------------------------

    def paths(self) -> list[Path]:
        """The files listed for import."""
        return [Path(self.files.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.files.count())]

    def add_paths(self, paths: list[Path]) -> None:
        """List these files (each once)."""
        known = set(self.paths())
        for path in paths:
            path = Path(path)
            if path in known:
                continue
            known.add(path)
            self.files.addItem(path.name)
            item = self.files.item(self.files.count() - 1)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(f"\u2066{path}\u2069")
        self._update_buttons()

    def choose_files(self) -> None:
        """«إضافة ملفات…»: bundles chosen in an open dialog."""
        chosen = open_dialogs.open_file_names(self, KIND, TEXT["add_caption"], TEXT["filter"])
        self.add_paths([Path(p) for p in chosen])

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.task is not None and self.task.running
        self.import_button.setEnabled(bool(self.files.count()) and not busy)
        self.add_button.setEnabled(not busy)
        self.remove_button.setEnabled(not busy)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if bundle_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        self.add_paths(bundle_paths(event.mimeData().urls()))
        event.acceptProposedAction()

    # --- importing ----------------------------------------------------------------------

    def start(self) -> Task | None:
        """«استيراد»: check every listed file, then confirm new keys and import."""
        paths = self.paths()
        if not paths or (self.task is not None and self.task.running):
            return None

        def check(progress: Progress, db) -> list[outbox.BundleCheck | BundleError]:
            found: list[outbox.BundleCheck | BundleError] = []
            for i, path in enumerate(paths):
                progress.step(i, len(paths), TEXT["checking_one"].format(name=path.name))
                try:
                    found.append(outbox.check_bundle(db, path))
                except BundleError as exc:
                    found.append(exc)
            return found

        self.task = run_task(self, check, on_done=lambda found: self._checked(paths, found),
                             on_cancelled=self._update_buttons, title=TEXT["title"],
                             db_path=self.ctx.db.path)
        self._update_buttons()
        return self.task

    def _checked(self, paths: list[Path],
                 found: list[outbox.BundleCheck | BundleError]) -> None:
        trusted: dict[tuple[str, str], bool] = {}
        # The key first confirmed for each new unit in this batch: a bundle signed by
        # another key for it is a key replacement, asked as such, not a second "first".
        first: dict[str, str] = {}
        plan: list[tuple[Path, str, str | None, str]] = []  # path, unit, expect, refusal
        for path, item in zip(paths, found, strict=True):
            if isinstance(item, BundleError):
                plan.append((path, "", None, ""))  # the import refuses and logs it
                continue
            expect = None
            if item.first_key:
                key = (item.unit_id, item.key_id)
                known = first.get(item.unit_id)
                replacing = known is not None and known != item.fingerprint
                if key not in trusted:
                    if replacing:
                        trusted[key] = confirm_replacement(self, item.unit_name, known,
                                                           item.fingerprint)
                    else:
                        trusted[key] = confirm_fingerprint(self, item.unit_name,
                                                           item.fingerprint)
                    if trusted[key] and known is None:
                        first[item.unit_id] = item.fingerprint
                if not trusted[key]:
                    why = TEXT["declined_replace"] if replacing else TEXT["declined"]
                    plan.append((path, item.unit_name, None, why))
                    continue
                expect = item.key_id
            plan.append((path, item.unit_name, expect, ""))

        def work(progress: Progress, db) -> list[FileResult]:
            results: list[FileResult] = []
            todo = [p for p in plan if not p[3]]
            n = 0
            for path, unit, expect, refusal in plan:
                result = FileResult(path, unit)
                results.append(result)
                if refusal:
                    result.error = refusal
                    continue
                try:
                    progress.step(n, len(todo), TEXT["importing"].format(
                        name=path.name, i=n + 1, n=len(todo)))
                except Cancelled:
                    result.error = TEXT["cancelled"]
                    continue
                n += 1
                try:
                    result.imported = bundle_merge.import_bundle(db, path,
                                                                 expect_fingerprint=expect)
                    result.unit = result.imported.unit_name
                except BundleError as exc:
                    result.error = TEXT["refused"].format(reason=exc.arabic)
                    result.refused = True
            return results

        # Cancel stops between files: the work checks the flag itself and says which
        # files it left, rather than losing the results of those imported already.
        self.task = run_task(self, work, on_done=self._imported, title=TEXT["title"],
                             db_path=self.ctx.db.path)
        self._update_buttons()

    def _imported(self, results: list[FileResult]) -> None:
        self.results = results
        self.table.setRowCount(len(results))
        style = self.ctx.date_style
        became_centre = False
        for row, result in enumerate(results):
            text = self.result_text(result)
            cells = (f"\u2068{result.path.name}\u2069", result.unit, text)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(str(result.path) if column == 0 else value)
                if result.error:
                    item.setForeground(theme.ERROR_COLOUR)
                self.table.setItem(row, column, item)
            if result.imported is not None and result.imported.became_centre:
                became_centre = True
        self.table.resizeRowsToContents()
        ok = sum(1 for r in results if r.imported is not None)
        refused = sum(1 for r in results if r.refused)
        summary = TEXT["summary"].format(ok=number_text(ok, style),
                                         n=number_text(len(results), style),
                                         refused=number_text(refused, style))
        if became_centre:
            summary = f"{TEXT['centre']} {summary}"
        self.summary.setText(summary)
        self._show_conflict_count()
        self._update_buttons()
        for table in (*data_bundle.TABLES, "bundles"):
            self.ctx.changed(table)
        if became_centre:
            self.ctx.settings_changed.emit()

    def result_text(self, result: FileResult) -> str:
        """What became of one file, in a sentence."""
        if result.error:
            return result.error
        done = result.imported
        assert done is not None
        if done.already:
            return TEXT["already"]
        style = self.ctx.date_style
        text = TEXT["added"].format(added=number_text(sum(done.added.values()), style),
                                    replaced=number_text(sum(done.replaced.values()), style),
                                    unchanged=number_text(done.unchanged, style))
        if done.older:
            text += TEXT["older"].format(older=number_text(done.older, style))
        if done.conflicts:
            text += TEXT["conflicts_in"].format(n=number_text(done.conflicts, style))
        return text

    def _show_conflict_count(self) -> None:
        n = len(outbox.conflicts(self.ctx.db))
        self.conflicts_label.setText(
            TEXT["conflicts"].format(n=number_text(n, self.ctx.date_style)) if n
            else TEXT["no_conflicts"])
        self.conflicts_label.setStyleSheet(theme.ERROR_STYLE if n else "")
        self.conflicts_button.setVisible(bool(n))

    def show_conflicts(self) -> ConflictsDialog:
        """«عرض التعارضات…»."""
        dialog = ConflictsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._show_conflict_count())
        dialog.open()
        return dialog


class ConflictsDialog(QDialog):
    """The conflicts waiting for a person (:func:`models.outbox.conflicts`): table,
    record, unit, revision, when received; «إبقاء الحالي» and «اعتماد النسخة الأخرى»
    resolve the selected one (:func:`models.bundle_conflicts.resolve_conflict`)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("bundleConflicts")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowTitle(TEXT["conflicts_title"])
        intro = QLabel(TEXT["conflicts_intro"], self)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(TEXT["conflict_headers"]), self)
        self.table.setObjectName("conflictsTable")
        self.table.setHorizontalHeaderLabels(list(TEXT["conflict_headers"]))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.keep_current_button = QPushButton(TEXT["keep_current"], self)
        self.keep_current_button.setObjectName("keepCurrent")
        self.keep_other_button = QPushButton(TEXT["keep_other"], self)
        self.keep_other_button.setObjectName("keepOther")
        self.keep_current_button.clicked.connect(lambda: self.resolve("current"))
        self.keep_other_button.clicked.connect(lambda: self.resolve("other"))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        actions = QHBoxLayout()
        actions.addWidget(self.keep_current_button)
        actions.addWidget(self.keep_other_button)
        actions.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(TEXT["close"])
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self.reload()

    def reload(self) -> None:
        """List the unresolved conflicts again (a resolved one leaves the list)."""
        self.rows = outbox.conflicts(self.ctx.db)
        self.table.clearSelection()
        self.table.setRowCount(len(self.rows))
        style = self.ctx.date_style
        for r, row in enumerate(self.rows):
            record = f"{row.title} ({row.record_id[:8]})" if row.title else row.record_id[:8]
            cells = (TEXT["tables"].get(row.table, row.table), record,
                     row.unit_name or row.unit_id[:8], index_text(row.row_version, style),
                     date_text(row.received_at[:10], style))
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(row.record_id if c == 1 else value)
                self.table.setItem(r, c, item)
        self._update_buttons()

    def _selected(self) -> outbox.ConflictRow | None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return self.rows[rows[0]] if rows else None

    def _update_buttons(self) -> None:
        chosen = self._selected() is not None
        self.keep_current_button.setEnabled(chosen)
        self.keep_other_button.setEnabled(chosen)

    def resolve(self, keep: str) -> bool:
        """Resolve the selected conflict (``other`` asks first); True when resolved."""
        row = self._selected()
        if row is None:
            return False
        if keep == "other" and not self._confirm_adopt(row):
            return False
        try:
            bundle_conflicts.resolve_conflict(self.ctx.db, row.id, keep)
        except bundle_conflicts.ConflictError as exc:
            QMessageBox.warning(self, TEXT["resolve_failed"], exc.arabic)
            self.reload()
            return False
        self.reload()
        return True

    def _confirm_adopt(self, row: outbox.ConflictRow) -> bool:
        mine, theirs = bundle_conflicts.titles(self.ctx.db, row.id)
        box = QMessageBox(QMessageBox.Icon.Question, TEXT["adopt_title"],
                          TEXT["adopt"].format(current=mine or row.record_id[:8],
                                               other=theirs or row.record_id[:8]),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("adoptConfirm")
        box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        yes = box.addButton(TEXT["adopt_yes"], QMessageBox.ButtonRole.YesRole)
        no = box.addButton(TEXT["no"], QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(no)
        box.exec()
        return box.clickedButton() is yes
