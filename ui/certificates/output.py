"""Word, PDF and printing from the certificates window: :class:`OutputsMixin`, the part
of :class:`~ui.certificates.dialog.CertificatesDialog` that issues certificates and sends
them somewhere.

Every output first checks the style and the choice of attendees (nothing is asked or
issued while either is wrong), keeps the style as the activity's own, then works in the
background through :func:`ui.tasks.run_task`: Word and PDF through
:func:`exporters.certificates.export_certificates` (a cancel or a failure leaves no file and
no certificate); printing through a dry run of :func:`models.certificate_pages.prepare`,
then straight to the system's print dialog (or, when asked for, Qt's print preview, whose
every repaint and print button paint those same pages), and the real issue once a printer
has printed them. The save dialog is
:func:`ui.export.ask_save_path` (tests replace it), offered in the folder used last, under
the activity's name.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEngine
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog

from models.certificate_pages import CertificatePage, prepare
from models.certificate_style import CertificateStyle
from models.errors import IttisalError
from models.records import Activity
from ui import export
from ui.formatting import number_text
from ui.missing_settings import confirm_certificates
from ui.tasks import Cancelled, Progress, Task, run_task, show_error

__all__ = ["FORMATS", "TEXT", "OutputsMixin", "file_name"]

TEXT = {
    "cancelled": "أُلغي الإصدار، ولم تُصدر أي شهادة.",
    "file_name": "شهادات - {title}",
    "save_title": {"docx": "حفظ الشهادات بصيغة Word", "pdf": "حفظ الشهادات بصيغة PDF"},
    "task": "شهادات المشاركين",
    "writing": "جارٍ إصدار الشهادات وكتابة «{name}»…",
    "preparing": "جارٍ إصدار الشهادات للطباعة…",
    "print_title": "طباعة الشهادات",
    "print_failed": "تعذّر بدء الطباعة. تأكد من أن الطابعة متصلة ومشغّلة ثم أعد المحاولة.",
    "painting": "جارٍ تجهيز صفحات الطباعة…",
    "printed": "أُرسلت الشهادات ({n}) إلى الطابعة وسُجّلت أرقامها في سجل الشهادات.",
    "stop": "إيقاف",
    "reprint": ("أصدر برنامج آخر شهادات في أثناء الطباعة فتغيّرت أرقام بعض الشهادات المطبوعة. "
                "أعد طباعتها لتطابق السجل."),
}

PROGRESS_FROM = 20  # pages: fewer paint too quickly to need a progress dialog
#: The files the window writes, by the button's key.
FORMATS = ("docx", "pdf")


def file_name(activity: Activity, fmt: str) -> str:
    """The name offered for the certificates' file: "شهادات - <short title>.docx"."""
    name = TEXT["file_name"].format(title=export.short_title(activity.title))
    return f"{export.safe_file_name(name)}.{fmt}"


def _is_preview(printer: QPrinter) -> bool:
    """Whether Qt's print preview is drawing (into pictures), not a printer or a file."""
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


def _printed_face(page: CertificatePage) -> tuple[str, str, str]:
    """What must match between a printed sheet and the register: serial, QR and name
    (not the date line, which passes midnight harmlessly)."""
    return page.serial, page.qr, page.name


class OutputsMixin:
    """Save as Word or PDF, or print; mixed into the certificates window, which provides
    ``ctx``, ``activity_id``, ``activity``, ``say``, ``_ready_style``, ``_chosen``,
    ``_keep_style`` and ``_issued``."""

    task: Task | None = None
    pages: list[CertificatePage]  # what the print preview paints
    print_preview: QPrintPreviewDialog | None = None
    printer: QPrinter | None = None
    _print_style: CertificateStyle | None = None  # the style the preview's pages show
    _printed_pages: list[CertificatePage] = []  # what the last real print run printed

    # --- Word and PDF -----------------------------------------------------------------

    def save_file(self, fmt: str) -> Task | None:
        """Ask where, then issue the checked attendees' certificates and write them as
        Word (``"docx"``) or PDF (``"pdf"``) in the background. None when nothing ran."""
        style = self._ready_style()
        ids = self._chosen() if style is not None else None
        if style is None or ids is None or not confirm_certificates(self, self.ctx, style):
            return None
        chosen = export.ask_save_path(self, TEXT["save_title"][fmt],
                                      export.last_folder() / file_name(self.activity, fmt))
        if chosen is None:
            return None
        path = chosen if chosen.suffix.lower() == f".{fmt}" else chosen.with_name(
            f"{chosen.name}.{fmt}")
        if export.refuse_output(self, self.ctx.db.path, path):
            return None  # said why; nothing kept, nothing issued
        if not self._keep_style(style):
            return None
        self.say("")
        label = TEXT["writing"].format(name=path.name)
        activity_id = self.activity_id

        def work(progress: Progress, db) -> Path:
            from exporters.certificates import export_certificates

            progress.step(0, 2 * len(ids), label)
            return export_certificates(db, activity_id, path, ids, style,
                                       progress=lambda done, total:
                                       progress.step(done, total, label))

        self.task = run_task(self, work, on_done=self._written,
                             on_failed=lambda error: self._failed(path, error),
                             on_cancelled=lambda: self.say(TEXT["cancelled"]),
                             title=TEXT["task"], db_path=self.ctx.db.path)
        return self.task

    def _written(self, result: Path) -> None:
        written = Path(result)
        export.remember_folder(written.parent)
        self._issued()
        export.ExportResultDialog(written, self).open()

    def _failed(self, path: Path, error: BaseException) -> None:
        if isinstance(error, OSError) and not isinstance(error, IttisalError):
            export.warn(self, export.TEXT["error_title"], export.error_message(error, path))
        else:
            show_error(self, error)

    # --- printing ---------------------------------------------------------------------

    def print_certificates(self, only_current: bool = False, *,
                           preview: bool = False) -> Task | None:
        """Make the checked attendees' pages (or only the selected one's) in the
        background, as a dry run, then open the system's print dialog on them (``preview``:
        Qt's print preview instead). The certificates are issued only once a printer has
        printed them."""
        style = self._ready_style()
        ids = self._chosen(only_current) if style is not None else None
        if style is None or ids is None or not confirm_certificates(self, self.ctx, style):
            return None
        if not self._keep_style(style):
            return None
        self.say("")
        activity_id = self.activity_id

        def work(progress: Progress, db) -> list[CertificatePage]:
            progress.step(0, len(ids), TEXT["preparing"])
            return prepare(db, activity_id, ids, style, dry_run=True,
                           progress=lambda done, total: progress.step(done, total))

        self._print_style = style
        then = self._prepared_for_preview if preview else self._prepared
        self.task = run_task(self, work, on_done=then,
                             on_cancelled=lambda: self.say(TEXT["cancelled"]),
                             title=TEXT["print_title"], db_path=self.ctx.db.path)
        return self.task

    def _prepared(self, pages: list[CertificatePage]) -> None:
        self.pages = list(pages)
        self.open_print_dialog()

    def _prepared_for_preview(self, pages: list[CertificatePage]) -> None:
        self.pages = list(pages)
        self.open_print_preview()

    def open_print_dialog(self) -> bool:
        """The system's print dialog for the prepared pages (a page range may be chosen
        there); on its OK they are printed, then issued. True when it was accepted."""
        self.printer = self.make_printer()
        self._printed_pages = []
        dialog = QPrintDialog(self.printer, self)
        dialog.setObjectName("certPrintDialog")
        dialog.setWindowTitle(TEXT["print_title"])
        dialog.setMinMax(1, max(1, len(self.pages)))
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if accepted:
            self.paint_requested(self.printer)
            self.printed()
        return accepted

    def make_printer(self) -> QPrinter:
        """A printer set up for certificates: landscape A4, named after the activity."""
        from exporters.certificate_paint import page_layout_a4

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)  # the certificate is drawn to the paper's edges
        printer.setPageLayout(page_layout_a4())
        printer.setDocName(file_name(self.activity, "pdf").removesuffix(".pdf"))
        return printer

    def open_print_preview(self) -> QPrintPreviewDialog:
        """Qt's print preview of the prepared pages; its print button prints them, and
        then (the dialog accepted) they are issued."""
        self.printer = self.make_printer()
        self._printed_pages = []
        dialog = QPrintPreviewDialog(self.printer, self)
        dialog.setObjectName("certPrintPreview")
        dialog.setWindowTitle(TEXT["print_title"])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.paintRequested.connect(self.paint_requested)
        dialog.accepted.connect(self.printed)
        dialog.destroyed.connect(lambda: setattr(self, "print_preview", None))
        self.print_preview = dialog
        dialog.open()
        return dialog

    def paint_requested(self, printer: QPrinter) -> None:
        """Paint the prepared pages: for the preview (it asks again on every repaint), or
        for the printer — then only the pages in the print dialog's range, which are the
        ones :meth:`printed` issues. Many pages show a progress dialog whose Cancel stops
        the run."""
        from exporters.certificate_paint import print_pages

        real = not _is_preview(printer)
        pages = self.pages
        if real:
            self._printed_pages = []  # until this run has finished
            ranges = printer.pageRanges()
            if not ranges.isEmpty():
                # Part of the pages: their serials are those issuing just them gives (a
                # new certificate takes the next free number), so draw them anew.
                ids = [p.person_id for n, p in enumerate(self.pages, 1) if ranges.contains(n)]
                pages = prepare(self.ctx.db, self.activity_id, ids, self._print_style,
                                dry_run=True) if ids else []
        progress = None
        if len(pages) > PROGRESS_FROM:
            progress = QProgressDialog(TEXT["painting"], TEXT["stop"], 0, len(pages), self)
            progress.setWindowTitle(TEXT["print_title"])
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(0)

        def step(done: int, _total: int) -> None:
            if progress is not None:
                progress.setValue(done)  # modal: also lets Qt handle the Cancel click
                if progress.wasCanceled():
                    raise Cancelled

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            print_pages(printer, pages, step)
            if real:
                self._printed_pages = list(pages)
        except Cancelled:
            pass
        except (OSError, IttisalError):
            export.warn(self, TEXT["print_title"], TEXT["print_failed"])
        finally:
            QApplication.restoreOverrideCursor()
            if progress is not None:
                progress.close()

    def printed(self) -> Task | None:
        """The preview was accepted: issue the certificates a printer really printed
        (serials, reprints) — none when the print was cancelled, failed, or only ever
        reached the preview (Qt also accepts when its "save as PDF" box is cancelled).
        Should the issue give other serials than those printed (another program took
        serials meanwhile), say so: the printed sheets must be printed again."""
        pages, self._printed_pages = self._printed_pages, []
        if not pages:
            return None
        ids = [p.person_id for p in pages]
        printed = [_printed_face(p) for p in pages]
        activity_id, style = self.activity_id, self._print_style

        def work(_progress: Progress, db) -> bool:
            return [_printed_face(p) for p in prepare(db, activity_id, ids, style)] == printed

        def done(same: bool) -> None:
            self._issued()
            self.say(TEXT["printed"].format(n=number_text(len(ids), self.ctx.date_style)))
            if not same:
                export.warn(self, TEXT["print_title"], TEXT["reprint"])

        self.task = run_task(self, work, on_done=done, title=TEXT["print_title"],
                             db_path=self.ctx.db.path, show_progress=False)
        return self.task
