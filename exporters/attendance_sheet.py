"""The attendance sheet (كشف الحضور) of an activity, printed for attendees to sign.

Title, the activity's title, dates and place, then a table — ت، الاسم الرباعي، العنوان
الوظيفي، الجهة، الهاتف and one signature column per day — whose header row repeats on each
page, with blank rows at the end for walk-ins. Built on :mod:`exporters.rtl`.

A signature needs room, so the signature columns are the widest of the table; each day's
column is headed with its date ("التوقيع" over "الأحد ٢٢ تشرين الثاني", in the unit's
month names and digits); from two days on the page is landscape, so that the columns keep
their width.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document

from exporters import rtl
from models import attendance, files, store
from models.arabic import apply_digits, isolate
from models.dates import DateStyle, format_range, month_name, parse_date
from models.db import Database
from models.records import Activity, Unit

__all__ = ["AttendanceSheetOptions", "build_attendance_sheet", "write_attendance_sheet"]

TITLE = "كشف الحضور"
COLUMNS = ("ت", "الاسم الرباعي", "العنوان الوظيفي", "الجهة", "الهاتف")
SIGNATURE = "التوقيع"
DAY = "اليوم"
DATES_LABEL = "التاريخ"
PLACE_LABEL = "المكان"
# Relative column widths (about cm on a portrait page): ت, name, job title, entity, phone;
# then each signature column, the widest of all whatever the number of days.
_WIDTHS = (0.9, 3.9, 2.2, 2.2, 3.4)
_SIGNATURE_WIDTH = 4.2
_WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
NBSP = "\u00a0"  # between a day's number and its month: never apart on two lines


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
    month in the unit's naming, the day in its digits."""
    number = apply_digits(str(day.day), style.digits)
    return f"{_WEEKDAYS[day.weekday()]} {number}{NBSP}{month_name(day.month, style)}"


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
