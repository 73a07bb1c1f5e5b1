"""The official letter (كتاب رسمي) that carries a report up the chain, as a Word document.

Laid out as Iraqi official letters are (``domain.md``): the letterhead, with the number
and date (العدد / التاريخ, the Hijri date under it when the unit wants it) at the top
left; "إلى / <addressee>"; the subject "م/ …" bold and underlined; the greeting; the body
ending "… مع التقدير"; the signature block on the left (the scanned signature or seal,
the head's name, the title under it); "المرفقات:" numbered; "نسخة منه إلى:" one per line.

With the built-in letterhead the number and date go in its free left cell; with the
unit's letterhead file, in a borderless two-cell table at the top of the body. Either way
that left cell is as narrow as the block's longest line (measured with a bundled font, see
:func:`block_width_cm`), so the block stands in the page's top-left corner rather than in
the middle of a wide cell.

The enclosures are listed by what they are («التقرير الشهري لشهر تشرين الثاني ٢٠٢٥»), not
by file name: :func:`enclosure_description` reads the description a report made by
Ittisal carries in its core properties (subject, else title). The digits typed in the
subject are written in the unit's digits.

The letter is numbered and recorded in the outbox (:mod:`models.letters`) in the one transaction
that writes its draft: a number is taken only if the file is in place. The draft is
recorded in ``pending_files`` (:mod:`models.pending_files`) and renamed onto the target
after the commit; a kill in between is finished at the next start, a rename that fails
now gives the number back.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from docx.document import Document
from docx.oxml import parse_xml
from docx.shared import Cm, Emu, Pt
from lxml import etree
from PIL import ImageFont

import resources
from exporters import rtl
from models import attachments, files, letters, pending_files, store, wording
from models.arabic import apply_digits
from models.dates import hijri_date, parse_date
from models.db import Database
from models.letters import Letter
from models.records import Unit

__all__ = ["LetterOptions", "block_width_cm", "build_letter", "default_body",
           "enclosure_description", "write_letter"]

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


#: Share of the built-in letterhead's width given to its middle (logo) cell in a letter;
#: the left cell is as wide as the number block, the right cell takes the rest.
LOGO_SHARE = 0.14
#: The widest the number block's cell may be, as a share of the text width.
BLOCK_SHARE_MAX = 0.45
# The block is measured with a bundled face and, where it is installed, DejaVu Sans (what
# LibreOffice sets on Linux in place of a missing Arabic face, and wider than most), the
# widest result taken: a line that wrapped would push the block off the corner.
_MEASURE_FONTS = {False: ("NotoSansArabicUI-Regular.ttf", "DejaVuSans.ttf"),
                  True: ("NotoSansArabicUI-Bold.ttf", "DejaVuSans-Bold.ttf")}
_CELL_PADDING_CM = 0.4  # the cell's own margins (0.19 cm each side) and a little air


@functools.cache
def _measuring_fonts(bold: bool) -> tuple[ImageFont.FreeTypeFont, ...]:
    bundled, system = _MEASURE_FONTS[bold]
    found = [ImageFont.truetype(str(resources.font_path(bundled)), size=100)]
    try:  # Pillow looks a bare file name up in the system's font folders
        found.append(ImageFont.truetype(system, size=100))
    except OSError:
        pass
    return tuple(found)


def _text_width_em(text: str, bold: bool) -> float:
    """The width of ``text`` in ems (its width at 1 pt, in points): the widest face's."""
    fonts = _measuring_fonts(bold)
    if not fonts:  # no face at all: a generous estimate per character
        return len(text) * 0.6
    return max(font.getlength(text) for font in fonts) / 100


def block_width_cm(lines: list[str], size_pt: float, *, bold_values: bool = True) -> float:
    """The width the number block needs: its longest line at ``size_pt`` (labels bold,
    the values after "label: " bold or not), measured with the widest of the measuring
    faces, plus the cell's margins."""
    widest = 0.0
    for line in lines:
        label, sep, value = line.partition(": ")
        em = _text_width_em(label + sep, True) + _text_width_em(value, bold_values)
        widest = max(widest, em)
    return widest * size_pt / 72 * 2.54 + _CELL_PADDING_CM


def _share_header(table, section, block_cm: float) -> None:
    width = section.page_width - section.left_margin - section.right_margin
    left = min(int(Cm(block_cm)), int(width * BLOCK_SHARE_MAX))
    middle = int(width * LOGO_SHARE)
    for column, share in zip(table.columns, (width - middle - left, middle, left),
                             strict=True):
        column.width = Emu(share)
        for cell in column.cells:
            cell.width = Emu(share)


#: Where a .docx keeps its core properties, and the largest we read (a hostile file's
#: part could be anything).
_CORE_PART = "docProps/core.xml"
_CORE_MAX_BYTES = 1 << 20
_DC = "{http://purl.org/dc/elements/1.1/}"


def _core_texts(path: Path) -> list[str]:
    """The subject and title from the file's core properties part, read alone (a yearly
    report is not parsed whole to learn its name); [] for a file that has none."""
    try:
        with zipfile.ZipFile(path) as package:
            info = package.getinfo(_CORE_PART)
            if info.file_size > _CORE_MAX_BYTES:
                return []
            root = parse_xml(package.read(info))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return []
    return [el.text or "" for tag in ("subject", "title")
            for el in root.iter(f"{_DC}{tag}")]


def enclosure_description(report: str | os.PathLike) -> str:
    """How a letter lists the report in ``report`` (a .docx): the description Ittisal
    wrote in its core properties — the subject («التقرير الشهري لشهر تشرين الثاني
    ٢٠٢٦»), else the title — or, for a file that has neither, its name without
    ``.docx``."""
    path = Path(report)
    for text in _core_texts(path):
        if text := " ".join(rtl.xml_safe(text).split()):
            return text
    return path.stem


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
    # The one wording of a date (models.wording), held together; the Hijri date on a
    # line of its own.
    lines = [f"{NUMBER_LABEL}: {number}",
             f"{DATE_LABEL}: {wording.date_phrase(letter.date, style)}"]
    wants_hijri = style.hijri if options.hijri is None else options.hijri
    if wants_hijri and (hijri := hijri_date(letter.date, style)):
        lines.append(f"{HIJRI_LABEL}: {wording.hold_dates(hijri)}")
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
        block_cm = block_width_cm(block, doc_options.size - 3, bold_values=False)
        _share_header(table, doc.sections[0], block_cm)
        left = table.rows[0].cells[2]  # right to left: the third cell is the left one
        for i, line in enumerate(block):
            par = left.paragraphs[0] if i == 0 else left.add_paragraph()
            par.style = "Header"
            label, _, value = line.partition(": ")
            rtl.add_text(par, label + ": ", bold=True, size=doc_options.size - 3)
            rtl.add_text(par, value, size=doc_options.size - 3)
    else:
        section = doc.sections[-1]
        text_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
        block_cm = min(block_width_cm(block, doc_options.size - 3),  # Table Text size
                       text_cm * BLOCK_SHARE_MAX)
        _right, left = _borderless_pair(doc, widths=(text_cm - block_cm, block_cm))
        _fill(left, [(line, True) for line in block])

    if letter.addressee:
        to_line = rtl.paragraph(doc, f"{TO_LABEL} / {letter.addressee}", bold=True)
        to_line.paragraph_format.space_before = Pt(12)
        _space_after(to_line, 6)
    # The subject is typed; its digits follow the unit's choice like every other number,
    # and a date in it holds together like the drafted ones.
    subject_text = wording.hold_dates(apply_digits(letter.subject, digits))
    subject = rtl.paragraph(doc, f"{SUBJECT_PREFIX} {subject_text}", bold=True,
                            align=rtl.CENTER)
    for run in subject.runs:
        run.font.underline = True
    # Word's File > Info and the file's properties name the letter by its subject line
    # (ordinary spaces there: a search finds "تشرين الثاني").
    doc.core_properties.title = rtl.xml_safe(wording.plain(subject.text))
    _space_after(subject, 10)
    rtl.paragraph(doc, GREETING)
    for line in (letter.body or default_body(letter.enclosures)).splitlines():
        if line.strip():
            _space_after(rtl.paragraph(doc, wording.hold_dates(line.strip()),
                                       align=rtl.JUSTIFY), 6)

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
            rtl.paragraph(doc, f"{apply_digits(str(i), digits)}. {wording.hold_dates(item)}")
    if letter.copies:
        rtl.paragraph(doc, COPIES_LABEL, bold=True)
        for item in letter.copies:
            rtl.paragraph(doc, f"- {item}")
    # Every page numbered in the unit's digits, as the reports are.
    rtl.page_number_footer(doc.sections[-1], digits)
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
