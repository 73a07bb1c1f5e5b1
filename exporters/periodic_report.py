"""The periodic report (تقرير دوري) of a month, two months, a quarter, a year or any range.

Title with the unit and the period, a summary table (activities by kind, attendance,
persons, certificates), two charts (activities by kind, by month), the table of all
activities (ت، النشاط، التاريخ، المكان، عدد المشاركين، ملاحظات), a section per activity and
the signature block of the unit's head. Data comes from :func:`models.periodic.gather`;
every element is made through :mod:`exporters.rtl`; the file is saved atomically.

The report is a list of section writers (:data:`SECTIONS`): later issues (coverage,
recommendations, plan against actual) add theirs with :func:`add_section` before the
signature block. ``progress(done, total)`` is called as sections are written; raising from
it cancels the export and leaves no file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document

from exporters import rtl
from exporters.attendance_sheet import save_atomically
from models import periodic, vocab
from models.arabic import apply_digits
from models.dates import format_date, format_range, month_name
from models.db import Database
from models.periodic import PeriodicActivity, PeriodicData

__all__ = [
    "SECTIONS",
    "PeriodicReportOptions",
    "ReportContext",
    "add_section",
    "build_periodic_report",
    "report_title",
    "write_periodic_report",
]

FONT_PATH = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "Amiri-Regular.ttf"

TITLE = "التقرير الدوري لنشاطات {unit} — {period}"
UNIT_FALLBACK = "الوحدة"
PERIOD_LINE = "للمدة من {start} إلى {end}"
SUMMARY_HEADING = "أولاً: ملخص النشاطات"
SUMMARY_COLUMNS = ("ت", "البند", "العدد")
ALL_ACTIVITIES = "مجموع النشاطات"
ATTENDANCE_ROWS = "الحضور (مجموع المشاركات في قوائم الحضور)"
PERSONS = "عدد الأشخاص المشاركين (دون تكرار)"
PARTICIPANTS = "عدد المشاركين (مع الأعداد المدخلة للنشاطات بلا قائمة حضور)"
CERTIFICATES = "شهادات المشاركة الصادرة"
CHARTS_HEADING = "ثانياً: المخططات البيانية"
CHART_BY_KIND = "النشاطات بحسب النوع"
CHART_BY_MONTH = "النشاطات بحسب الشهر"
TABLE_HEADING = "ثالثاً: جدول النشاطات"
TABLE_COLUMNS = ("ت", "النشاط", "التاريخ", "المكان", "عدد المشاركين", "ملاحظات")
TABLE_WIDTHS = (0.6, 3.4, 2.0, 2.1, 1.8, 1.7)
TYPED_COUNT = "عدد تقديري"
DETAILS_HEADING = "رابعاً: تفاصيل النشاطات"
DATES_LABEL = "التاريخ"
PLACE_LABEL = "المكان"
ORGANISER_LABEL = "الجهة المنظمة"
PARTICIPANTS_LABEL = "عدد المشاركين"
NO_ACTIVITIES = "لم تُسجَّل نشاطات في هذه المدة."
HEAD_TITLE_FALLBACK = "مدير الوحدة"


@dataclass
class PeriodicReportOptions:
    """What the report holds. ``document`` overrides the look (font, digits, letterhead),
    which otherwise comes from the unit's settings."""

    document: rtl.DocumentOptions | None = None
    charts: bool = True
    sections_per_activity: bool = True


@dataclass
class ReportContext:
    """What a section writer gets: the document, the data, the options, a scratch folder
    for images, and the unit's digit style."""

    doc: Document
    data: PeriodicData
    options: PeriodicReportOptions
    doc_options: rtl.DocumentOptions
    scratch: Path
    extra: dict = field(default_factory=dict)

    @property
    def digits(self) -> str:
        return self.doc_options.digits

    def number(self, value: int) -> str:
        return apply_digits(str(value), self.digits)

    def dates(self, start: str, end: str | None) -> str:
        return format_range(start, end, self.doc_options.date_style)


SectionWriter = Callable[[ReportContext], None]


def report_title(data: PeriodicData, doc_options: rtl.DocumentOptions) -> str:
    """"التقرير الدوري لنشاطات <unit> — <period>"."""
    unit = doc_options.unit or data.unit.name or UNIT_FALLBACK
    period = periodic.period_label(data.date_from, data.date_to, doc_options.date_style)
    return TITLE.format(unit=unit, period=period)


# --- sections ---------------------------------------------------------------------------

def title_section(ctx: ReportContext) -> None:
    rtl.paragraph(ctx.doc, report_title(ctx.data, ctx.doc_options), style="Title",
                  align=rtl.CENTER)
    style = ctx.doc_options.date_style
    rtl.paragraph(ctx.doc, PERIOD_LINE.format(start=format_date(ctx.data.date_from, style),
                                              end=format_date(ctx.data.date_to, style)),
                  align=rtl.CENTER)


def summary_section(ctx: ReportContext) -> None:
    totals = ctx.data.totals
    rtl.paragraph(ctx.doc, SUMMARY_HEADING, style="Heading 1")
    items = [(ALL_ACTIVITIES, totals.activities)]
    items += [(vocab.ACTIVITY_KINDS.get(kind, kind), n)
              for kind, n in totals.by_kind.items()]
    items += [(ATTENDANCE_ROWS, totals.attendance), (PERSONS, totals.persons),
              (PARTICIPANTS, totals.participants), (CERTIFICATES, totals.certificates)]
    rows = [[ctx.number(i), label, ctx.number(n)]
            for i, (label, n) in enumerate(items, start=1)]
    rtl.rtl_table(ctx.doc, list(SUMMARY_COLUMNS), rows, widths=(0.6, 5.0, 1.4),
                  center_columns=(0, 2))


def _month_labels(data: PeriodicData, ctx: ReportContext) -> list[str]:
    years = {m.year for m in data.by_month}
    style = ctx.doc_options.date_style
    if len(years) == 1:
        return [month_name(m.month, style) for m in data.by_month]
    return [apply_digits(f"{month_name(m.month, style)} {m.year}", ctx.digits)
            for m in data.by_month]


def charts_section(ctx: ReportContext) -> None:
    if not ctx.options.charts or not ctx.data.activities:
        return
    from exporters import charts  # matplotlib only when a chart is drawn

    data = ctx.data
    rtl.paragraph(ctx.doc, CHARTS_HEADING, style="Heading 1")
    kinds = list(data.totals.by_kind.items())
    by_kind = charts.bar_chart(
        [vocab.ACTIVITY_KINDS.get(k, k) for k, _ in kinds], [n for _, n in kinds],
        CHART_BY_KIND, ctx.scratch / "by-kind.png", font_path=FONT_PATH, digits=ctx.digits)
    rtl.picture(ctx.doc, by_kind, CHART_BY_KIND)
    by_month = charts.bar_chart(
        _month_labels(data, ctx), [m.activities for m in data.by_month], CHART_BY_MONTH,
        ctx.scratch / "by-month.png", font_path=FONT_PATH, digits=ctx.digits)
    rtl.picture(ctx.doc, by_month, CHART_BY_MONTH)


def _notes(activity: PeriodicActivity) -> str:
    notes = activity.kind_label
    if activity.typed_count:
        notes += f"، {TYPED_COUNT}"
    return notes


def table_section(ctx: ReportContext) -> None:
    rtl.paragraph(ctx.doc, TABLE_HEADING, style="Heading 1")
    if not ctx.data.activities:
        rtl.paragraph(ctx.doc, NO_ACTIVITIES)
        return
    rows = [[ctx.number(i), a.title, ctx.dates(a.start_date, a.end_date), a.place,
             ctx.number(a.participants), _notes(a)]
            for i, a in enumerate(ctx.data.activities, start=1)]
    rtl.rtl_table(ctx.doc, list(TABLE_COLUMNS), rows, widths=TABLE_WIDTHS,
                  center_columns=(0, 4))


def activity_section(ctx: ReportContext, index: int, activity: PeriodicActivity) -> None:
    doc = ctx.doc
    rtl.paragraph(doc, f"{ctx.number(index)}. {activity.title}", style="Heading 2")
    facts = [f"{DATES_LABEL}: {ctx.dates(activity.start_date, activity.end_date)}"]
    if activity.place:
        facts.append(f"{PLACE_LABEL}: {activity.place}")
    if activity.organiser:
        facts.append(f"{ORGANISER_LABEL}: {activity.organiser}")
    if activity.participants:
        facts.append(f"{PARTICIPANTS_LABEL}: {ctx.number(activity.participants)}")
    rtl.paragraph(doc, "\n".join(facts))  # one fact a line (line breaks, one paragraph)
    for line in activity.summary.splitlines():
        if line.strip():
            rtl.paragraph(doc, line.strip(), align=rtl.JUSTIFY)


def signature_section(ctx: ReportContext) -> None:
    """The unit head's name with the title under it, on the left of the page (a
    borderless two-cell table: right to left, the second cell is the left one)."""
    unit = ctx.data.unit
    lines = [line for line in (unit.head_name, unit.head_title or HEAD_TITLE_FALLBACK) if line]
    rtl.paragraph(ctx.doc, "")
    table = rtl.rtl_table(ctx.doc, ["", "\n".join(lines)], [], widths=(1.2, 1.0),
                          repeat_header=False)
    rtl._borders(table._tbl, "nil")


# The report, in order: each writer adds its part. Activity sections come from
# ``sections_per_activity`` between the table and what follows it.
SECTIONS: list[tuple[str, SectionWriter]] = [
    ("title", title_section),
    ("summary", summary_section),
    ("charts", charts_section),
    ("table", table_section),
    ("activities", lambda ctx: None),  # placeholder: one section per activity
    ("signature", signature_section),
]


def add_section(name: str, writer: SectionWriter, *, before: str = "signature") -> None:
    """Insert a section writer (replacing one of the same name) before ``before``."""
    SECTIONS[:] = [s for s in SECTIONS if s[0] != name]
    at = next(i for i, (n, _) in enumerate(SECTIONS) if n == before)
    SECTIONS.insert(at, (name, writer))


# --- building and writing ---------------------------------------------------------------

def build_periodic_report(db: Database, date_from: str, date_to: str,
                          options: PeriodicReportOptions | None = None, *, scratch: Path,
                          progress: Callable[[int, int], None] | None = None) -> Document:
    """The report as a python-docx document (not saved); chart images go to ``scratch``."""
    options = options or PeriodicReportOptions()
    data = periodic.gather(db, date_from, date_to)
    doc_options = options.document or rtl.DocumentOptions.from_unit(data.unit, db)
    doc = rtl.new_document(doc_options)
    ctx = ReportContext(doc, data, options, doc_options, Path(scratch))
    per_activity = options.sections_per_activity and bool(data.activities)
    total = len(SECTIONS) - 1 + (len(data.activities) + 1 if per_activity else 0)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    for name, writer in SECTIONS:
        if name == "activities":
            if per_activity:
                rtl.paragraph(doc, DETAILS_HEADING, style="Heading 1")
                step()
                for i, activity in enumerate(data.activities, start=1):
                    activity_section(ctx, i, activity)
                    step()
            continue
        writer(ctx)
        step()
    rtl.page_number_footer(doc.sections[-1], doc_options.digits)
    return doc


def write_periodic_report(db: Database, date_from: str, date_to: str,
                          path: str | os.PathLike,
                          options: PeriodicReportOptions | None = None,
                          progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the periodic report of ``date_from``–``date_to`` to ``path`` (a .docx)."""
    with tempfile.TemporaryDirectory(prefix="ittisal-report-") as scratch:
        doc = build_periodic_report(db, date_from, date_to, options, scratch=Path(scratch),
                                    progress=progress)
        return save_atomically(doc, Path(path))
