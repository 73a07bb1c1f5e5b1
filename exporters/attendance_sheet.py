"""The attendance sheet (كشف الحضور) of an activity, printed for attendees to sign.

Title, the activity's title, dates and place, then a table — ت، الاسم الرباعي، العنوان
الوظيفي، الجهة، الهاتف and one signature column per day — whose header row repeats on each
page, with blank rows at the end for walk-ins. Built on :mod:`exporters.rtl`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document

from exporters import rtl
from models import attendance, files, store
from models.arabic import apply_digits, isolate
from models.dates import format_range
from models.db import Database
from models.records import Activity, Unit

__all__ = ["AttendanceSheetOptions", "build_attendance_sheet", "write_attendance_sheet"]

TITLE = "كشف الحضور"
COLUMNS = ("ت", "الاسم الرباعي", "العنوان الوظيفي", "الجهة", "الهاتف")
SIGNATURE = "التوقيع"
DAY = "اليوم"
DATES_LABEL = "التاريخ"
PLACE_LABEL = "المكان"
# Relative column widths: ت, name, job title, entity, phone; then each signature column.
_WIDTHS = (0.8, 3.2, 2.0, 2.0, 2.8)
_SIGNATURE_WIDTH = 1.5


@dataclass
class AttendanceSheetOptions:
    """What the sheet holds: ``blank_rows`` for walk-ins; ``document`` overrides the look
    (font, digits, letterhead), which otherwise comes from the unit's settings; the page
    turns landscape when the activity has ``landscape_from_days`` days or more."""

    blank_rows: int = 5
    document: rtl.DocumentOptions | None = None
    landscape_from_days: int = 3
    row_height_cm: float = 0.9


def signature_headers(days: int, digits: str) -> list[str]:
    """"التوقيع" for a one-day activity, else "التوقيع – اليوم ١" … one per day."""
    if days <= 1:
        return [SIGNATURE]
    return [f"{SIGNATURE} – {DAY} {apply_digits(str(d), digits)}" for d in range(1, days + 1)]


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
    rtl.paragraph(doc, TITLE, style="Heading 1", align=rtl.CENTER)
    rtl.paragraph(doc, activity.title, bold=True, align=rtl.CENTER)
    facts = []
    if activity.start_date:
        dates = format_range(activity.start_date, activity.end_date, doc_options.date_style)
        facts.append(f"{DATES_LABEL}: {dates}")
    if activity.place:
        facts.append(f"{PLACE_LABEL}: {activity.place}")
    if facts:
        rtl.paragraph(doc, "    ".join(facts), align=rtl.CENTER)

    people = attendance.attendees(db, activity_id)
    signatures = signature_headers(days, digits)
    blank_signatures = [""] * len(signatures)
    rows = [
        [apply_digits(str(i), digits), a.person.full_name, a.person.job_title,
         a.person.entity, isolate(a.person.phone), *blank_signatures]
        for i, a in enumerate(people, start=1)
    ]
    first_blank = len(rows) + 1
    rows += [[apply_digits(str(i), digits), "", "", "", "", *blank_signatures]
             for i in range(first_blank, first_blank + max(options.blank_rows, 0))]
    rtl.rtl_table(doc, [*COLUMNS, *signatures], rows,
                  widths=[*_WIDTHS, *([_SIGNATURE_WIDTH] * len(signatures))],
                  center_columns=(0, 4), row_height_cm=options.row_height_cm)
    rtl.page_number_footer(doc.sections[-1], digits)
    return doc


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
