"""The recommendations follow-up report (تقرير متابعة التوصيات).

Title, the day it stands on (and the status it is limited to, when it is), a line of
counts (how many in each status, how many overdue), then one table: ت، التوصية، مصدرها
(the activity's title and date)، الجهة المرفوعة إليها، تاريخ الاستحقاق، الحالة (an
overdue one says «متأخرة» under its status: a word, not a colour)، آخر متابعة (the last
note, with its date). Data comes from :func:`models.recommendations.list_recommendations`;
every element is made through :mod:`exporters.rtl`; the file is saved atomically.

``progress(done, total)`` is called as the document is built; raising from it cancels the
export and leaves no file behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document

from exporters import rtl, text_fit
from exporters.attendance_sheet import save_atomically
from models import recommendations, store, unit_mode, vocab, wording
from models.arabic import apply_digits
from models.dates import DateStyle
from models.db import Database
from models.recommendations import RecommendationFilter, RecommendationRow
from models.records import Unit

__all__ = ["RecommendationsReportOptions", "build_recommendations_report",
           "report_rows", "write_recommendations_report"]

TITLE = "تقرير متابعة التوصيات"
#: What a covering letter lists the report as (the file's core "title" and "subject").
DESCRIPTION = "تقرير متابعة التوصيات كما هي في {date}"
COLUMNS = ("ت", "التوصية", "مصدرها", "الجهة المرفوعة إليها", "تاريخ الاستحقاق", "الحالة",
           "آخر متابعة")
# How the text columns (the recommendation, its source, the addressee, the last note)
# share what the number, the due date and the status leave, each up to its longest line.
_TEXT_SHARES = {1: 5.0, 2: 2.5, 3: 1.5, 6: 3.5}
# At most this part of the texts' room keeps an addressee on one line.
_NAME_ON_ONE_LINE = 0.2
AS_OF = "كما هي في {date}"
STATUS_ONLY = "التوصيات «{status}» وحدها"
COUNTS = "عدد التوصيات: {total}"
OVERDUE_COUNT = "المتأخرة عن موعدها: {count}"
OVERDUE = recommendations.OVERDUE_WORD
NONE = "لا توجد توصيات تطابق هذا الاختيار."
NOTE_DATED = "{date}:\n{note}"
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0]+")


@dataclass
class RecommendationsReportOptions:
    """What the report holds: the recommendations of ``status`` only (None: all), as they
    stand on ``today`` (None: the day it is written); ``where`` narrows further (the
    page's filters); ``document`` overrides the look, else the unit's settings."""

    status: str | None = None
    today: dt.date | None = None
    where: RecommendationFilter = field(default_factory=RecommendationFilter)
    document: rtl.DocumentOptions | None = None


def _today(options: RecommendationsReportOptions) -> dt.date:
    return options.today or dt.date.today()


def report_rows(rows: list[RecommendationRow], style: DateStyle) -> list[list[str]]:
    """The table's rows (without the header), in the unit's digits and month names."""
    digits = style.digits
    out = []
    for i, row in enumerate(rows, start=1):
        source = row.activity_title
        if row.activity_date:
            source = f"{source}\n{wording.date_phrase(row.activity_date, style)}"
        status = row.status_label
        if row.overdue:
            status = f"{status}\n{OVERDUE}"
        note = row.last_note
        if note and row.last_note_date:
            # The date on a line of its own: a date run into the note's last line would
            # be reordered by the paragraph's direction where the line wraps.
            note = NOTE_DATED.format(note=note,
                                     date=wording.date_phrase(row.last_note_date, style))
        out.append([apply_digits(str(i), digits), row.text, source, row.addressed_to,
                    wording.date_phrase(row.due_date, style) if row.due_date else "",
                    status, note])
    return out


def column_widths(rows: list[list[str]], total_cm: float, size: float) -> list[float]:
    """The table's column widths in cm, summing to ``total_cm``, sized to the content.

    The number, the due date and the status are as wide as their widest line (a date is
    held together by no-break spaces: narrower, it would break inside a month name; a
    header wraps at its spaces). Each text (the recommendation, its source, the
    addressee, the last note) shares the rest by :data:`_TEXT_SHARES` — the
    recommendation the largest — held between its longest unbreakable piece (a word, a
    held date; an addressee's whole name when short) and its longest line: what a short
    addressee does not need goes to the others, and what none needs to the
    recommendation."""
    pad = text_fit.CELL_PADDING_CM

    def width(text: str, bold: bool = False) -> float:
        return text_fit.text_width_cm(text, size, bold=bold)

    def header_least(c: int) -> float:
        return max(width(word, True) for word in COLUMNS[c].split())

    lines = {c: [line for row in rows for line in row[c].split("\n") if line.strip()]
             for c in range(len(COLUMNS))}
    widths = [0.0] * len(COLUMNS)
    for c in (0, 4, 5):
        widths[c] = max([header_least(c), *(width(line) for line in lines[c])]) + pad
    least, most = {}, {}
    for c in _TEXT_SHARES:
        # Word wraps at ordinary spaces only: a date held by no-break spaces is one piece.
        pieces = [piece for line in lines[c] for piece in _BREAKABLE_SPACE.split(line)
                  if piece]
        least[c] = max([header_least(c), *(width(p) for p in pieces)]) + pad
        most[c] = max([least[c] - pad, *(width(line) for line in lines[c])]) + pad
    rest = max(total_cm - sum(widths), 1.0)
    # An addressee is a name ("مديرية التربية"): broken over lines it reads worse than a
    # sentence does, so it keeps one line while that is a small part of the room.
    least[3] = max(least[3], min(most[3], rest * _NAME_ON_ONE_LINE))
    if sum(least.values()) >= rest:  # even the longest words crowd: in proportion
        for c, lo in least.items():
            widths[c] = rest * lo / sum(least.values())
        return widths
    # Each text's width is its share of a common measure, held between its least and its
    # most; the measure is found by halving (the sum only grows with it).
    def shared(measure: float) -> dict[int, float]:
        return {c: min(max(measure * share, least[c]), most[c])
                for c, share in _TEXT_SHARES.items()}

    low, high = 0.0, max(most[c] / share for c, share in _TEXT_SHARES.items())
    given = shared(high)
    if sum(given.values()) <= rest:  # every text on one line: the recommendation
        given[1] += rest - sum(given.values())  # takes what is left
    else:
        for _ in range(60):
            middle = (low + high) / 2
            low, high = (middle, high) if sum(shared(middle).values()) < rest \
                else (low, middle)
        given = shared(high)
        given[1] += rest - sum(given.values())  # the halving's last crumb
    for c, w in given.items():
        widths[c] = w
    return widths


def build_recommendations_report(
        db: Database, options: RecommendationsReportOptions | None = None, *,
        progress: Callable[[int, int], None] | None = None) -> Document:
    """The report as a python-docx document (not yet saved)."""
    options = options or RecommendationsReportOptions()
    today = _today(options)
    where = options.where
    if options.status is not None:
        where = dataclasses.replace(where, status=options.status)
    rows = recommendations.list_recommendations(db, where, today=today)
    if progress is not None:
        progress(1, 3)
    # Seven columns, three of them long texts: the page lies on its side.
    doc_options = options.document or rtl.DocumentOptions.from_unit(
        store.get(db, Unit, db.local_unit_id), db, landscape=True)
    style = doc_options.date_style
    digits = doc_options.digits
    doc = rtl.new_document(doc_options)
    as_of = wording.date_phrase(today, style)
    directorates = unit_mode.units_label(db, where.unit_id)
    doc.core_properties.title = doc.core_properties.subject = rtl.xml_safe(
        unit_mode.narrowed(wording.plain(DESCRIPTION.format(date=as_of)), directorates))
    rtl.paragraph(doc, TITLE, style="Heading 1", align=rtl.CENTER)
    rtl.paragraph(doc, AS_OF.format(date=as_of), align=rtl.CENTER)
    if directorates:
        rtl.paragraph(doc, unit_mode.DIRECTORATE_LINE.format(label=directorates), bold=True,
                      align=rtl.CENTER)
    if where.status:
        rtl.paragraph(doc, STATUS_ONLY.format(
            status=vocab.RECOMMENDATION_STATUSES[where.status]), align=rtl.CENTER)
    counts = [COUNTS.format(total=apply_digits(str(len(rows)), digits))]
    for key, label in vocab.RECOMMENDATION_STATUSES.items():
        number = sum(1 for r in rows if r.status == key)
        if number:
            counts.append(f"{label}: {apply_digits(str(number), digits)}")
    counts.append(OVERDUE_COUNT.format(
        count=apply_digits(str(sum(1 for r in rows if r.overdue)), digits)))
    rtl.paragraph(doc, "، ".join(counts) + ".")
    if progress is not None:
        progress(2, 3)
    if rows:
        body = report_rows(rows, style)
        section = doc.sections[-1]
        text_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
        rtl.rtl_table(doc, list(COLUMNS), body,
                      widths=column_widths(body, text_cm, doc_options.size - 3),
                      center_columns=(0, 4, 5))
    else:
        rtl.paragraph(doc, NONE)
    rtl.page_number_footer(doc.sections[-1], digits)
    if progress is not None:
        progress(3, 3)
    return doc


def write_recommendations_report(
        db: Database, path: str | os.PathLike,
        options: RecommendationsReportOptions | None = None,
        progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the follow-up report to ``path`` (a .docx) and return the path."""
    doc = build_recommendations_report(db, options, progress=progress)
    return save_atomically(doc, Path(path))
