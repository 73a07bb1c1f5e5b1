"""The official letter (كتاب رسمي) that carries a report up the chain, as a Word document.

Laid out as Iraqi official letters are (``domain.md``): the letterhead, with the number
and date (العدد / التاريخ, the Hijri date under it when the unit wants it) at the top
left; "إلى / <addressee>"; the subject "م/ …" bold and underlined; the greeting; the body
ending "… مع التقدير"; the signature block on the left (the scanned signature or seal,
the head's name, the title under it); "المرفقات:" numbered; "نسخة منه إلى:" one per line.

With the built-in letterhead the number and date go in its free left cell; with the
unit's letterhead file, in a borderless two-cell table at the top of the body. The letter
is numbered and recorded in the outbox (:mod:`models.letters`) in the one transaction
that writes its draft: a number is taken only if the file is in place. The draft is
recorded in ``pending_files`` (:mod:`models.pending_files`) and renamed onto the target
after the commit; a kill in between is finished at the next start, a rename that fails
now gives the number back.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path

from docx.document import Document
from docx.shared import Cm, Emu, Pt

from exporters import rtl
from models import attachments, files, letters, pending_files, store
from models.arabic import apply_digits
from models.dates import DateStyle, format_date, hijri_date, parse_date
from models.db import Database
from models.letters import Letter
from models.records import Unit

__all__ = ["LetterOptions", "build_letter", "default_body", "write_letter"]

NUMBER_LABEL = "العدد"
DATE_LABEL = "التاريخ"
HIJRI_LABEL = "الموافق"
TO_LABEL = "إلى"
SUBJECT_PREFIX = "م/"
GREETING = "تحية طيبة ..."
ENCLOSURES_LABEL = "المرفقات:"
COPIES_LABEL = "نسخة منه إلى:"
HEAD_TITLE_FALLBACK = "مدير الوحدة"
BODY_ONE = ("نرفق لكم طياً {what} المبيّن في الموضوع أعلاه، للتفضل بالاطلاع واتخاذ ما "
            "ترونه مناسباً ... مع التقدير.")
BODY_MANY = ("نرفق لكم طياً {what} المبيّنة في الموضوع أعلاه، للتفضل بالاطلاع واتخاذ ما "
             "ترونه مناسباً ... مع التقدير.")
BODY_NONE = "للتفضل بالاطلاع واتخاذ ما ترونه مناسباً ... مع التقدير."
REPORT_ONE, REPORT_MANY = "التقرير", "التقارير"


@dataclass
class LetterOptions:
    """How the letter looks. ``document`` overrides the look (font, digits, letterhead),
    which otherwise comes from the unit's settings; ``number_format`` writes the number
    ("{number}", or e.g. "ش إ/{number}"); ``hijri`` puts the Hijri date under the date
    (None: as the unit chose); ``signature_image`` puts the unit's scanned signature or
    seal over the name when it has one."""

    document: rtl.DocumentOptions | None = None
    number_format: str = "{number}"
    hijri: bool | None = None
    signature_image: bool = True
    signature_height_cm: float = 2.5


def default_body(enclosures: list[str]) -> str:
    """The sentence presenting the enclosed report(s), closing "… مع التقدير"."""
    if not enclosures:
        return BODY_NONE
    if len(enclosures) == 1:
        return BODY_ONE.format(what=REPORT_ONE)
    return BODY_MANY.format(what=REPORT_MANY)


def _document_options(db: Database, unit: Unit) -> rtl.DocumentOptions:
    """The unit's options, with its stored logo and letterhead references resolved (a
    missing one raises an error naming the setting rather than dropping out)."""
    return rtl.DocumentOptions.from_unit(unit, db)


#: Shares of the built-in letterhead's width (right, middle, left) in a letter: the left
#: cell holds the number and the dates, which need more room than other documents give it.
HEADER_SHARES = (0.46, 0.14, 0.40)


def _share_header(table, section) -> None:
    width = section.page_width - section.left_margin - section.right_margin
    for column, share in zip(table.columns, HEADER_SHARES, strict=True):
        column.width = Emu(int(width * share))
        for cell in column.cells:
            cell.width = Emu(int(width * share))


def _space_after(par, points: float) -> None:
    par.paragraph_format.space_after = Pt(points)


def _borderless_pair(doc: Document, widths=(1.2, 1.0)):
    """A borderless two-cell RTL table; returns (right cell, left cell)."""
    table = rtl.rtl_table(doc, ["", ""], [], widths=widths, repeat_header=False)
    rtl._borders(table._tbl, "nil")
    right, left = table.rows[0].cells
    for cell in (right, left):
        cell.paragraphs[0].alignment = None
    return right, left


def _fill(cell, lines: list[tuple[str, bool]], *, align=None) -> None:
    """Write (text, bold) lines into a cell, one paragraph each."""
    for i, (text, bold) in enumerate(lines):
        par = cell.paragraphs[0] if i == 0 and not cell.paragraphs[0].runs else \
            cell.add_paragraph()
        rtl.set_style(par, rtl.TABLE_TEXT_STYLE)
        rtl.add_text(par, text, bold=bold)
        par.alignment = align


def number_lines(letter: Letter, options: LetterOptions,
                 doc_options: rtl.DocumentOptions) -> list[str]:
    """"العدد: …", "التاريخ: …" and, when wanted, "الموافق: <Hijri date>"."""
    style = doc_options.date_style
    number = apply_digits(options.number_format.format(number=letter.number, year=letter.year),
                          style.digits)
    plain = DateStyle(months=style.months, digits=style.digits, hijri=False)
    lines = [f"{NUMBER_LABEL}: {number}", f"{DATE_LABEL}: {format_date(letter.date, plain)}"]
    wants_hijri = style.hijri if options.hijri is None else options.hijri
    if wants_hijri and (hijri := hijri_date(letter.date, style)):
        lines.append(f"{HIJRI_LABEL}: {hijri}")
    return lines


def build_letter(db: Database, letter: Letter, options: LetterOptions | None = None
                 ) -> Document:
    """The letter as a python-docx document (not yet saved); ``letter`` has its number."""
    options = options or LetterOptions()
    unit = store.get(db, Unit, db.local_unit_id)
    doc_options = options.document or _document_options(db, unit)
    digits = doc_options.digits
    doc = rtl.new_document(doc_options)

    block = number_lines(letter, options, doc_options)
    header = doc.sections[0].header
    if doc_options.letterhead is None and header.tables:
        table = header.tables[0]
        _share_header(table, doc.sections[0])
        left = table.rows[0].cells[2]  # right to left: the third cell is the left one
        for i, line in enumerate(block):
            par = left.paragraphs[0] if i == 0 else left.add_paragraph()
            par.style = "Header"
            label, _, value = line.partition(": ")
            rtl.add_text(par, label + ": ", bold=True, size=doc_options.size - 3)
            rtl.add_text(par, value, size=doc_options.size - 3)
    else:
        _right, left = _borderless_pair(doc, widths=(1.6, 1.0))
        _fill(left, [(line, True) for line in block])

    if letter.addressee:
        to_line = rtl.paragraph(doc, f"{TO_LABEL} / {letter.addressee}", bold=True)
        to_line.paragraph_format.space_before = Pt(12)
        _space_after(to_line, 6)
    subject = rtl.paragraph(doc, f"{SUBJECT_PREFIX} {letter.subject}", bold=True,
                            align=rtl.CENTER)
    for run in subject.runs:
        run.font.underline = True
    _space_after(subject, 10)
    rtl.paragraph(doc, GREETING)
    for line in (letter.body or default_body(letter.enclosures)).splitlines():
        if line.strip():
            _space_after(rtl.paragraph(doc, line.strip(), align=rtl.JUSTIFY), 6)

    rtl.paragraph(doc, "")
    _right, left = _borderless_pair(doc)
    if options.signature_image and unit.signature_path:
        image = attachments.stored(db, unit.signature_path, "signature")
        par = left.paragraphs[0]
        par.alignment = rtl.CENTER
        par.add_run().add_picture(rtl.word_image(image), height=Cm(options.signature_height_cm))
    names = [(unit.head_name, True), (unit.head_title or HEAD_TITLE_FALLBACK, False)]
    _fill(left, [(text, bold) for text, bold in names if text], align=rtl.CENTER)

    rtl.paragraph(doc, "")
    if letter.enclosures:
        rtl.paragraph(doc, ENCLOSURES_LABEL, bold=True)
        for i, item in enumerate(letter.enclosures, start=1):
            rtl.paragraph(doc, f"{apply_digits(str(i), digits)}. {item}")
    if letter.copies:
        rtl.paragraph(doc, COPIES_LABEL, bold=True)
        for item in letter.copies:
            rtl.paragraph(doc, f"- {item}")
    return doc


def write_letter(db: Database, path: str | os.PathLike, *, subject: str,
                 body: str | None = None, addressee: str | None = None,
                 enclosures: list[str], copies: list[str] | None = None,
                 date: str | dt.date | None = None,
                 options: LetterOptions | None = None) -> Letter:
    """Write the letter to ``path`` (a .docx), atomically, numbered and recorded in the
    outbox with the file's name and SHA-256; return the recorded letter.

    ``addressee`` defaults to the unit's default addressee, ``copies`` to the unit's
    default copy list ("الحفظ"), ``date`` to today, ``body`` to a sentence presenting the
    enclosures. When the file cannot be written, :class:`models.letters.LetterError` is
    raised and no number is used.
    """
    path = Path(path)
    unit = store.get(db, Unit, db.local_unit_id)
    day = parse_date(date).isoformat() if date else dt.date.today().isoformat()
    letter = Letter(
        date=day, subject=subject, body=body or default_body(list(enclosures)),
        addressee=unit.default_addressee if addressee is None else addressee,
        enclosures=list(enclosures),
        copies=letters.default_copies(db) if copies is None else list(copies))

    pending = pending_files.reserve(db, path)
    recorded: Letter | None = None
    try:
        def write(numbered: Letter) -> Letter:
            try:
                files.check_writable(path)
                files.write_draft_at(path, build_letter(db, numbered, options).save,
                                     draft=pending.draft)
                digest = letters.fingerprint(pending.draft)
            except files.FileWriteError as exc:
                raise letters.LetterError(f"{exc.arabic} {_NO_NUMBER[0]}",
                                          f"{exc.english} {_NO_NUMBER[1]}") from exc
            except OSError as exc:
                raise _cannot_write(path, exc) from exc
            pending_files.commit_in(db, pending)
            return replace(numbered, file_name=path.name, sha256=digest)

        recorded = letters.record_letter(db, letter, before_commit=write)
        try:
            pending_files.place(db, pending)
        except OSError as exc:
            # Numbered, but the file cannot land: give the number back, so the outbox
            # never lists a letter that does not exist. Killed before this ends, the
            # pending row makes the next start put the file in place instead.
            with db.atomic():
                db.execute("DELETE FROM letters WHERE id = ?", (recorded.id,))
                db.execute("DELETE FROM pending_files WHERE id = ?", (pending.id,))
            pending.draft.unlink(missing_ok=True)
            raise _cannot_write(path, exc) from exc
    finally:
        if recorded is None:
            pending_files.discard(db, pending)
    return recorded


_NO_NUMBER = ("لم يُستهلك رقم.", "No number was used.")


def _cannot_write(path: Path, exc: OSError) -> letters.LetterError:
    reason = exc.strerror or exc.__class__.__name__
    arabic, english = letters.MSG["cannot_write"]
    return letters.LetterError(arabic.format(path=path, reason=reason),
                               english.format(path=path, reason=reason))
