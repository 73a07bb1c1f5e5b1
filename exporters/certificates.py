"""Certificates of an activity into one file: issue (or reprint) them and write them as
Word or PDF, by the file's suffix.

The document is drawn from a dry run and the certificates are issued after it is
written: if writing fails or the user cancels, no serial is taken and no reprint is
counted, so the register only ever lists certificates that were really produced.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from models.certificate_pages import CertificatePage, activity_for_certificates, prepare
from models.certificate_style import CertificateStyle
from models.db import Database
from models.errors import IttisalError

__all__ = ["FORMATS", "MSG", "export_certificates", "write_pages"]

FORMATS = (".docx", ".pdf")

MSG = {
    "format": ("لا يمكن حفظ الشهادات بصيغة «{suffix}»: اختر ملف ‎.docx‎ أو ‎.pdf‎.",
               "Certificates cannot be saved as {suffix!r}: choose a .docx or .pdf file."),
}

Progress = Callable[[int, int], None]


def _check_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        arabic, english = MSG["format"]
        raise IttisalError(arabic.format(suffix=suffix or path.name),
                           english.format(suffix=suffix or path.name))
    return suffix


def write_pages(pages: Sequence[CertificatePage], path: str | os.PathLike[str],
                progress: Progress | None = None, *, activity: str = "") -> Path:
    """Write ready pages to ``path`` as .docx or .pdf (``activity``: the title the PDF's
    properties carry)."""
    path = Path(path)
    if _check_format(path) == ".docx":
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

    The pages are made in a dry run and drawn first; only then are the certificates
    issued, in a short transaction (the database is not locked while a long document is
    drawn). Should the issued pages differ from the drawn ones — another program issued
    serials in between — the file is drawn again from the issued pages. The file goes
    to ``path`` only after the issue: a cancel or a failure leaves no new file (an older
    one stays as it was) and, before the issue, no certificate.
    """
    path = Path(path)
    _check_format(path)
    title = activity_for_certificates(db, activity_id).title

    def made(done: int, total: int) -> None:
        if progress is not None:
            progress(done, 2 * total)

    pages = prepare(db, activity_id, person_ids, style, progress=made, dry_run=True)
    total = len(pages)

    def written(done: int, _total: int) -> None:
        if progress is not None:
            progress(total + done, 2 * total)

    # Drawn beside the target and moved onto it only once the certificates are issued:
    # whatever fails, the target holds either its old file or the issued certificates.
    draft = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    try:
        write_pages(pages, draft, written, activity=title)
        issued = prepare(db, activity_id, [p.person_id for p in pages], style)
        if issued != pages:
            write_pages(issued, draft, activity=title)
        os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)
    return path
