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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document

from exporters import rtl, text_fit
from exporters.attendance_sheet import save_atomically
from models import recommendations, store, vocab, wording
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
# share what the number, the due date and the status leave.
_TEXT_SHARES = {1: 4.5, 2: 3.5, 3: 2.5, 6: 4.5}
AS_OF = "كما هي في {date}"
STATUS_ONLY = "التوصيات «{status}» وحدها"
COUNTS = "عدد التوصيات: {total}"
OVERDUE_COUNT = "المتأخرة عن موعدها: {count}"
OVERDUE = recommendations.OVERDUE_WORD
NONE = "لا توجد توصيات تطابق هذا الاختيار."
NOTE_DATED = "{date}:\n{note}"


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
    """The table's column widths in cm, summing to ``total_cm``: the number, the due date
    and the status as wide as their widest cell on one line (a date is held together by
    no-break spaces: narrower, it would break inside a month name); the texts share the
    rest."""
    pad = text_fit.CELL_PADDING_CM

    def widest(c: int) -> float:
        pieces = [COLUMNS[c]] + [line for row in rows for line in row[c].split("\n")]
        return max(text_fit.text_width_cm(p, size, bold=(p == COLUMNS[c]))
                   for p in pieces) + pad

    widths = [0.0] * len(COLUMNS)
    for c in (0, 4, 5):
        widths[c] = widest(c)
    rest = max(total_cm - sum(widths), 1.0)
    shares = sum(_TEXT_SHARES.values())
    for c, share in _TEXT_SHARES.items():
        widths[c] = rest * share / shares
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
    doc.core_properties.title = doc.core_properties.subject = rtl.xml_safe(
        wording.plain(DESCRIPTION.format(date=as_of)))
    rtl.paragraph(doc, TITLE, style="Heading 1", align=rtl.CENTER)
    rtl.paragraph(doc, AS_OF.format(date=as_of), align=rtl.CENTER)
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
