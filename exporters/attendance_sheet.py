"""The attendance sheet (كشف الحضور) of an activity, printed for attendees to sign.

Title, the activity's title, dates and place, then a table — ت، الاسم الرباعي، العنوان
الوظيفي، الجهة، الهاتف and one signature column per day — whose header row repeats on each
page, with blank rows at the end for walk-ins. Built on :mod:`exporters.rtl`.

A signature needs room, so the signature columns are the widest of the table; each day's
column is headed with its date ("التوقيع" over "الأحد ٢٢ تشرين الثاني", in the unit's
month names and digits); from two days on the page is landscape, so that the columns keep
their width.

The other columns are sized to what they hold (:func:`column_widths`), measured like the
periodic report's tables: the number and the phone on one line, the name, the job title
and the entity as wide as three in four of their cells need (the longest wrap to a second
line, never to a third or fourth), but never wider than a signature column. When that
leaves the names and entities cramped (a narrow page, many days), the table's text is a
point smaller (not below :data:`SMALLEST_PT`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document

from exporters import rtl, text_fit
from models import attendance, files, store, wording
from models.arabic import apply_digits, isolate
from models.dates import DateStyle, parse_date
from models.db import Database
from models.records import Activity, Unit

__all__ = ["AttendanceSheetOptions", "build_attendance_sheet", "column_widths",
           "write_attendance_sheet"]

TITLE = "كشف الحضور"
#: What a covering letter lists the sheet as (the file's core "title" and "subject").
DESCRIPTION = "كشف حضور المشاركين في {title}"  # the title in «» (models.wording.quote)
COLUMNS = ("ت", "الاسم الرباعي", "العنوان الوظيفي", "الجهة", "الهاتف")
SIGNATURE = "التوقيع"
DAY = "اليوم"
DATES_LABEL = "التاريخ"
PLACE_LABEL = "المكان"
# The share of the name, job title and entity cells that should fit on one line: the
# longer quarter wraps (to two lines, at the widths this gives) rather than leaving less
# room to sign.
_ONE_LINE_SHARE = 0.75
#: The smallest table text (points) the sheet steps down to when its columns are cramped.
SMALLEST_PT = 10.0
#: The least width of a signature column (cm) before the other columns give way to it.
SIGNATURE_MIN_CM = 3.0
# A column other than a signature is at most this share of a signature column's width.
_NARROWER = 0.95
# The widest a single word may make its column (cm): an Arabic word of a name or an entity
# is well under it at the table's size; a longer "word" (an entity pasted with underscores
# for spaces, a long e-mail) breaks inside its cell instead of leaving no room to sign.
_LONGEST_WORD_CM = 3.0
NBSP = wording.NBSP  # inside a date: never apart on two lines


@dataclass
class AttendanceSheetOptions:
    """What the sheet holds: ``blank_rows`` for walk-ins; ``document`` overrides the look
    (font, digits, letterhead), which otherwise comes from the unit's settings; the page
    turns landscape when the activity has ``landscape_from_days`` days or more."""

    blank_rows: int = 5
    document: rtl.DocumentOptions | None = None
    landscape_from_days: int = 2
    row_height_cm: float = 0.9


def day_heading(day: dt.date, style: DateStyle) -> str:
    """A day as a column heading: weekday, day and month ("الأحد ٢٢ تشرين الثاني"), the
    month in the unit's naming, the day in its digits, day and month held together
    (:mod:`models.wording`)."""
    return f"{wording.weekday_name(day)} {wording.day_month_phrase(day, style)}"


def signature_headers(days: int, style: DateStyle | str, start: str | None = None
                      ) -> list[str]:
    """"التوقيع" for a one-day activity; else one heading per day, "التوقيع" over the
    day's date when the activity has a start date ("التوقيع – اليوم ١" … without one)."""
    if days <= 1:
        return [SIGNATURE]
    style = style if isinstance(style, DateStyle) else DateStyle(digits=style)
    if start:
        first = parse_date(start)
        return [f"{SIGNATURE}\n{day_heading(first + dt.timedelta(days=d), style)}"
                for d in range(days)]
    return [f"{SIGNATURE} – {DAY} {apply_digits(str(d), style.digits)}"
            for d in range(1, days + 1)]


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def _cramped(rows: list[list[str]], widths: list[float], size: float) -> bool:
    """Whether the name or the entity column is narrower than three in four of its cells
    need on one line."""
    pad = text_fit.CELL_PADDING_CM
    return any(_quantile([text_fit.text_width_cm(row[c], size) for row in rows if row[c]],
                         _ONE_LINE_SHARE) + pad > widths[c] + 0.01 for c in (1, 3))


def column_widths(header: list[str], rows: list[list[str]], signatures: int,
                  total_cm: float, *, size: float) -> list[float]:
    """The sheet's column widths in cm, summing to ``total_cm``.

    ت is as wide as its widest number; the phone as its widest number; the name, job title
    and entity as three in four of their cells need (:data:`_ONE_LINE_SHARE`; at least
    their longest word and their header's words). Each signature column gets what is left,
    shared evenly, and is the widest of the table: a column that would be as wide is
    narrowed to a little less (the texts wrap first, the phone at its spaces only), and
    when even that leaves a signature less than :data:`SIGNATURE_MIN_CM`, the name, job
    title, entity and phone give way down to their longest word, a phone number typed
    without spaces whole (five days and more on a page: the signatures may then be
    narrower than a text column). A "word" wider than :data:`_LONGEST_WORD_CM` breaks
    inside its cell rather than take the signatures' room."""
    pad = text_fit.CELL_PADDING_CM

    def width(text: str, bold: bool = False) -> float:
        return text_fit.text_width_cm(text, size, bold=bold)

    def header_words(c: int) -> float:
        return max(width(w, True) for w in header[c].split())

    def longest_word(c: int) -> float:
        longest = max([width(w) for row in rows for w in row[c].split()], default=0.0)
        return max(min(longest, _LONGEST_WORD_CM), header_words(c))

    number = max([width(row[0]) for row in rows] + [header_words(0)]) + pad
    wants = {c: max(_quantile([width(row[c]) for row in rows if row[c]], _ONE_LINE_SHARE),
                    longest_word(c)) + pad for c in (1, 2, 3)}
    wants[4] = max([width(row[4]) for row in rows] + [header_words(4)]) + pad
    floors = {c: longest_word(c) + pad for c in (1, 2, 3)}
    # A phone number never breaks inside its digits (it may at its spaces, "0770 123 4567").
    floors[4] = max([width(w) for row in rows for w in row[4].split()]
                    + [header_words(4)]) + pad
    rest = total_cm - number
    if not signatures:  # no signature column: the texts share the line by what they want
        scale = rest / sum(wants.values())
        return [number, *(wants[c] * scale for c in (1, 2, 3, 4))]

    def others(sig: float) -> dict[int, float]:
        cap = sig * _NARROWER
        return {c: min(w, max(cap, floors[c])) for c, w in wants.items()}

    # The signature width that fills the line: the least S with S·n + others(S) >= rest.
    low, high = 0.0, rest
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if signatures * mid + sum(others(mid).values()) < rest \
            else (low, mid)
    sig, texts = high, others(high)
    if sig < SIGNATURE_MIN_CM:
        # Many days on one page: the other columns give way to the signatures, down to
        # their longest word (below it a word would break inside).
        least = {c: min(floors[c], w) for c, w in texts.items()}
        sig = max(sig, min(SIGNATURE_MIN_CM, (rest - sum(least.values())) / signatures))
        extra = rest - signatures * sig - sum(least.values())
        give = {c: texts[c] - least[c] for c in texts}
        texts = {c: least[c] + (extra * give[c] / sum(give.values())
                                if sum(give.values()) > 0 else 0.0) for c in texts}
    # Every other column has what it wants: the signatures get what is left.
    sig += max(rest - signatures * sig - sum(texts.values()), 0.0) / signatures
    return [number, texts[1], texts[2], texts[3], texts[4], *([sig] * signatures)]


def build_attendance_sheet(db: Database, activity_id: str,
                           options: AttendanceSheetOptions | None = None) -> Document:
    """The attendance sheet of the activity, as a python-docx document (not yet saved)."""
    options = options or AttendanceSheetOptions()
    activity = store.get(db, Activity, activity_id)
    doc_options = options.document
    days = activity.days
    if doc_options is None:
        unit = store.get(db, Unit, db.local_unit_id)
        doc_options = rtl.DocumentOptions.from_unit(
            unit, db, landscape=days >= options.landscape_from_days)
    digits = doc_options.digits

    doc = rtl.new_document(doc_options)
    # Named by its activity: a letter that encloses it lists it so (exporters.letter).
    described = rtl.xml_safe(DESCRIPTION.format(
        title=wording.quote(" ".join(activity.title.split()).rstrip("."))))
    doc.core_properties.title = doc.core_properties.subject = described
    rtl.paragraph(doc, TITLE, style="Heading 1", align=rtl.CENTER)
    rtl.paragraph(doc, activity.title, bold=True, align=rtl.CENTER)
    facts = []
    if activity.start_date:
        dates = wording.period_phrase(activity.start_date, activity.end_date,
                                      doc_options.date_style)
        facts.append(f"{DATES_LABEL}: {dates}")
    if activity.place:
        facts.append(f"{PLACE_LABEL}: {activity.place}")
    if facts:
        rtl.paragraph(doc, "    ".join(facts), align=rtl.CENTER)

    people = attendance.attendees(db, activity_id)
    signatures = signature_headers(days, doc_options.date_style, activity.start_date)
    blank_signatures = [""] * len(signatures)
    rows = [
        [apply_digits(str(i), digits), a.person.full_name, a.person.job_title,
         a.person.entity, isolate(a.person.phone), *blank_signatures]
        for i, a in enumerate(people, start=1)
    ]
    first_blank = len(rows) + 1
    rows += [[apply_digits(str(i), digits), "", "", "", "", *blank_signatures]
             for i in range(first_blank, first_blank + max(options.blank_rows, 0))]
    section = doc.sections[-1]
    text_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    header = [*COLUMNS, *signatures]
    size = doc_options.size - 3  # rtl's table text size
    widths = column_widths(header, rows, len(signatures), text_cm, size=size)
    if _cramped(rows, widths, size) and size - 1 >= SMALLEST_PT:
        # Names and entities would mostly wrap (a narrow page, many days): a point
        # smaller keeps more of them on one line than a wider column could.
        size -= 1
        widths = column_widths(header, rows, len(signatures), text_cm, size=size)
    signatures = [_month_apart(h, w, size) for h, w in zip(signatures, widths[len(COLUMNS):],
                                                           strict=True)]
    header = [*COLUMNS, *signatures]
    table = rtl.rtl_table(doc, header, rows, widths=widths, center_columns=(0, 4),
                          row_height_cm=options.row_height_cm)
    if size != doc_options.size - 3:
        for run in (r for row in table.rows for cell in row.cells
                    for par in cell.paragraphs for r in par.runs):
            rtl._set_size(run._r.get_or_add_rPr(), round(size * 2))
    _fit_day_headings(table, signatures, widths[len(COLUMNS):], size)
    rtl.page_number_footer(doc.sections[-1], digits)
    return doc


#: The smallest size (points) a day's heading steps down to so that its date fits.
SMALLEST_HEADING_PT = 7.0


def _widest_piece(heading: str, size: float) -> float:
    """The width (cm, bold) of the heading's widest piece a line may not break."""
    return max((text_fit.text_width_cm(piece, size, bold=True)
                for piece in re.split(r"[^\S\u00a0]+", heading) if piece), default=0.0)


def _month_apart(heading: str, width: float, size: float) -> str:
    """The heading with a two-word month free to go over two lines ("٢٢ تشرين" over
    "الثاني", the day still with its month) when the whole date, held, would not fit the
    column even at :data:`SMALLEST_HEADING_PT` (a week and more on one page): better than a
    word broken inside."""
    room = width - text_fit.CELL_PADDING_CM
    if _widest_piece(heading, SMALLEST_HEADING_PT) <= room:
        return heading
    return re.sub(r"(?<=[^\d\s])\u00a0(?=[^\d\s])", " ", heading)


def _fit_day_headings(table, headings: list[str], widths: list[float], size: float) -> None:
    """Set each signature column's heading smaller where its date, held together by its
    no-break spaces ("٢٢ تشرين الثاني"), is wider than the column: a word processor would
    otherwise break the month name inside ("الثا" over "ني") (five days and more)."""
    for c, (heading, width) in enumerate(zip(headings, widths, strict=True), start=len(COLUMNS)):
        room = width - text_fit.CELL_PADDING_CM
        widest = _widest_piece(heading, size)
        if widest <= room:
            continue
        smaller = max(SMALLEST_HEADING_PT, math.floor(size * room / widest * 2) / 2)
        for par in table.rows[0].cells[c].paragraphs:
            for run in par.runs:
                rtl._set_size(run._r.get_or_add_rPr(), round(smaller * 2))


def save_atomically(doc: Document, path: Path) -> Path:
    """Save through the one file writer (:func:`models.files.write_file_at`): a synced
    draft beside ``path``, renamed over it, so a failed or interrupted save never leaves
    a half-written document (nor a draft). Readable by others, as a document is for
    sharing."""
    return files.write_file_at(Path(path), doc.save)


def write_attendance_sheet(db: Database, activity_id: str, path: str | os.PathLike,
                           options: AttendanceSheetOptions | None = None) -> Path:
    """Write the activity's attendance sheet to ``path`` (a .docx) and return the path."""
    doc = build_attendance_sheet(db, activity_id, options)
    return save_atomically(doc, Path(path))
