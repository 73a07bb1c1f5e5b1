"""Certificates of an activity into one file: issue (or reprint) them and write them as
Word or PDF, by the file's suffix.

The rule: a certificate is issued only if its file is in place, and a file in place has
its certificates issued. The document is drawn from a dry run into a draft beside the
target (recorded in ``pending_files`` before it is written, synced once it is), the target
is checked writable, then one transaction issues the certificates and marks the draft as
committed; the draft is renamed onto the target after the commit. A kill in between is
finished by :func:`models.pending_files.recover` at the next start; a rename that fails
in this run withdraws the issue. A cancel or a failure before the commit issues nothing
and leaves no draft.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from models import files, pending_files
from models.certificate_pages import (
    CertificatePage,
    IssueState,
    activity_for_certificates,
    prepare,
    snapshot,
    withdraw,
)
from models.certificate_style import CertificateStyle
from models.db import Database
from models.errors import IttisalError

__all__ = ["FORMATS", "MSG", "export_certificates", "write_pages"]

FORMATS = (".docx", ".pdf")

MSG = {
    "format": ("لا يمكن حفظ الشهادات بصيغة «{suffix}»: اختر ملف ‎.docx‎ أو ‎.pdf‎.",
               "Certificates cannot be saved as {suffix!r}: choose a .docx or .pdf file."),
    "not_placed": ("تعذّر وضع ملف الشهادات في «{path}»: {reason}. لم تُصدر أي شهادة.",
                   "Cannot put the certificates file in place at {path}: {reason}. No "
                   "certificate was issued."),
}

# Drawn afresh outside the write lock this many times when another program issued
# serials meanwhile; then drawn inside the transaction, which always settles it.
_OPTIMISTIC_DRAWS = 2

Progress = Callable[[int, int], None]


def _check_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        arabic, english = MSG["format"]
        raise IttisalError(arabic.format(suffix=suffix or path.name),
                           english.format(suffix=suffix or path.name))
    return suffix


def write_pages(pages: Sequence[CertificatePage], path: str | os.PathLike[str],
                progress: Progress | None = None, *, activity: str = "",
                suffix: str | None = None) -> Path:
    """Write ready pages to ``path`` as .docx or .pdf (by ``suffix``, default the path's;
    ``activity``: the title the PDF's properties carry)."""
    path = Path(path)
    kind = suffix or _check_format(path)
    if kind == ".docx":
        from exporters.certificate_docx import write_docx

        return write_docx(pages, path, progress)
    from exporters.certificate_pdf import write_pdf

    return write_pdf(pages, path, progress, activity=activity)


def export_certificates(db: Database, activity_id: str, path: str | os.PathLike[str],
                        person_ids: Sequence[str] | None = None,
                        style: CertificateStyle | None = None,
                        progress: Progress | None = None) -> Path:
    """Issue the certificates of ``person_ids`` (default: everyone who attended) and write
    them to ``path``. ``progress(done, total)`` counts made pages, then written ones
    (``total`` is twice the number of certificates); it may raise to cancel.

    The pages are made in a dry run and drawn into a synced draft first, so the
    transaction that issues stays short (the database is not locked while a long
    document is drawn). Should the issued pages differ from the drawn ones — another
    program issued serials in between — the draft is drawn again. A cancel or a failure
    leaves no new file (an older one stays as it was) and no certificate issued.
    """
    path = Path(path)
    suffix = _check_format(path)
    title = activity_for_certificates(db, activity_id).title
    files.check_writable(path)

    def made(done: int, total: int) -> None:
        if progress is not None:
            progress(done, 2 * total)

    pages = prepare(db, activity_id, person_ids, style, progress=made, dry_run=True)
    total = len(pages)

    def written(done: int, _total: int) -> None:
        if progress is not None:
            progress(total + done, 2 * total)

    pending = pending_files.reserve(db, path)
    committed = False
    try:
        write_pages(pages, pending.draft, written, activity=title, suffix=suffix)
        chosen, drawn = [p.person_id for p in pages], pages
        for attempt in range(_OPTIMISTIC_DRAWS + 1):
            files.check_writable(path)
            try:
                with db.atomic():
                    before = snapshot(db, activity_id)
                    issued = prepare(db, activity_id, chosen, style)
                    if issued != drawn:
                        if attempt < _OPTIMISTIC_DRAWS:
                            raise _Drawn(issued)
                        # Holding the lock this time: nobody can issue in between again.
                        write_pages(issued, pending.draft, activity=title, suffix=suffix)
                    after = snapshot(db, activity_id)
                    pending_files.commit_in(db, pending)
            except _Drawn as redraw:
                drawn = redraw.pages
                write_pages(drawn, pending.draft, activity=title, suffix=suffix)
                continue
            committed = True
            break
        _place(db, pending, before, after)
    finally:
        if not committed:
            pending_files.discard(db, pending)
    return path


class _Drawn(Exception):
    """Rolls back an issue whose pages differ from the draft's, to draw them again."""

    def __init__(self, pages: list[CertificatePage]) -> None:
        super().__init__()
        self.pages = pages


def _place(db: Database, pending: pending_files.PendingFile,
           before: IssueState, after: IssueState) -> None:
    """Rename the committed draft onto its target; if that fails, withdraw the issue."""
    try:
        pending_files.place(db, pending)
    except OSError as exc:
        # The certificates are issued but their file cannot land: undo the issue, so
        # the register never lists a certificate nobody has. Killed before this ends,
        # the pending row makes the next start put the file in place instead.
        with db.atomic():
            withdraw(db, before, after)
            db.execute("DELETE FROM pending_files WHERE id = ?", (pending.id,))
        pending.draft.unlink(missing_ok=True)
        reason = exc.strerror or exc.__class__.__name__
        arabic, english = MSG["not_placed"]
        raise IttisalError(arabic.format(path=pending.target, reason=reason),
                           english.format(path=pending.target, reason=reason)) from exc
