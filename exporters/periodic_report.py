"""The periodic report of a month, two months, a quarter, a year or any range, named by
its period (التقرير الشهري، تقرير الشهرين، التقرير الفصلي، التقرير السنوي، else التقرير
الدوري: :func:`models.periodic.report_name`).

Title with the unit and the period, a summary table (activities by kind, attendance,
persons, certificates), two charts (activities by kind, by month), the table of all
activities (ت، النشاط، النوع، التاريخ، المكان، عدد المشاركين; a draft's title and a typed
count carry their mark in their own cell), optionally a section per activity,
the recommendations raised at the period's activities (their status, due date and last
note, and how many are overdue on the report's day), the media coverage of the period
(counts by medium, level and tone, charts by tone and by level, and the items — the oldest
:data:`COVERAGE_TABLE_LIMIT` when there are more; no advertising-value figure), plan
against actual of each plan whose period overlaps the report's (items per outcome,
activities outside the plan, the items not done), and the signature block of the unit's
head. Data comes from :func:`models.periodic.gather`:
approved and sent activities, drafts only when asked for, each then marked «مسودة». Every
element is made through :mod:`exporters.rtl` with its own styles; the file is saved
atomically.

At a ministry centre (:attr:`models.periodic.PeriodicData.centre`) the report is the
consolidated one: its title says so, the summary counts the directorates, the charts add
the activities per directorate, and the table of all activities gives way to the
activities by directorate: a table of every directorate's figures with their totals, then
per directorate its counts by kind and participants and the table of its activities.
``PeriodicReportOptions.unit`` restricts a centre's report to the units a text names
(:func:`models.periodic.units_named`). On a unit's database nothing of this shows.

Table columns are sized to their content (:func:`fit_widths`): text is measured with the
bundled fonts (and DejaVu Sans where installed), so the serial column holds its widest
number on one line.

The report is a list of section writers (:data:`SECTIONS`): later issues (coverage,
plan against actual) add theirs with :func:`add_section` before the
signature block. ``progress(done, total)`` is called as sections are written; raising from
it cancels the export and leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document

import resources
from exporters import rtl
from exporters.attendance_sheet import save_atomically
from exporters.text_fit import CELL_PADDING_CM, text_width_cm
from models import periodic, plans, vocab, wording
from models.arabic import apply_digits
from models.dates import month_name
from models.db import Database
from models.periodic import PeriodicActivity, PeriodicData
from models.recommendations import OVERDUE_WORD

__all__ = [
    "SECTIONS",
    "PeriodicReportOptions",
    "ReportContext",
    "add_section",
    "build_periodic_report",
    "COLUMN_FITS",
    "fit_widths",
    "report_title",
    "text_width_cm",
    "write_periodic_report",
]

# The charts' font: the bundled Amiri (a missing file is an error that names it).
FONT_PATH = resources.font_path("Amiri-Regular.ttf")
_CELL_PADDING_CM = CELL_PADDING_CM

TITLE = "{name} لنشاطات {unit} — {period}"
CENTRE_TITLE = "{name} الموحد لنشاطات {unit} — {period}"
ALL_DIRECTORATES = "المديريات"
DIRECTORATES_COUNT = "المديريات المشمولة"
DIRECTORATES_REPORTING = "منها مديريات لها نشاطات في هذه المدة"
CHART_BY_DIRECTORATE = "النشاطات بحسب المديرية"
DIRECTORATES_HEADING = "ثالثاً: النشاطات بحسب المديرية"
DIRECTORATE_COLUMNS = ("ت", "المديرية", "النشاطات", "الحضور", "الأشخاص", "المشاركون")
DIRECTORATE_FITS = ("whole", "flex", "whole", "whole", "whole", "whole")
TOTAL_ROW = "المجموع"
DIRECTORATE_ACTIVITIES = "عدد النشاطات"
DIRECTORATE_LINE = "نشاطات المديرية في هذه المدة:"
UNIT_FALLBACK = "الوحدة"
DRAFTS_LINE = ("يشمل هذا التقرير نشاطات لم تُعتمد بعد، مؤشَّرة بكلمة «{draft}» "
               "(عددها {count}).")
DRAFT = vocab.ACTIVITY_STATUSES[periodic.DRAFT]  # «مسودة»
SUMMARY_HEADING = "أولاً: ملخص النشاطات"
SUMMARY_COLUMNS = ("ت", "البند", "العدد")
ALL_ACTIVITIES = "مجموع النشاطات"
OF_THEM_DRAFTS = "منها مسودات غير معتمدة"
ATTENDANCE_ROWS = "الحضور (مجموع المشاركات في قوائم الحضور)"
PERSONS = "عدد الأشخاص المشاركين (دون تكرار)"
PARTICIPANTS = "عدد المشاركين (مع الأعداد المدخلة للنشاطات بلا قائمة حضور)"
CERTIFICATES = "شهادات المشاركة الصادرة"
CHARTS_HEADING = "ثانياً: المخططات البيانية"
CHART_BY_KIND = "النشاطات بحسب النوع"
CHART_BY_MONTH = "النشاطات بحسب الشهر"
TABLE_HEADING = "ثالثاً: جدول النشاطات"
# No «ملاحظات» column: its two notes qualify one cell each, and say so there (the title of
# a draft, the typed count of an activity without a list), which leaves the width to the
# titles on a portrait page.
TABLE_COLUMNS = ("ت", "النشاط", "النوع", "التاريخ", "المكان", "عدد المشاركين")
TABLE_FITS = ("whole", "flex", "words", "dates", "flex", "whole")
TYPED_MARK = "(تقديري)"
DRAFT_MARK = f"({DRAFT})"
DETAILS_HEADING = "رابعاً: تفاصيل النشاطات"
DATES_LABEL = "التاريخ"
PLACE_LABEL = "المكان"
ORGANISER_LABEL = "الجهة المنظمة"
PARTICIPANTS_LABEL = "عدد المشاركين"
NO_ACTIVITIES = "لم تُسجَّل نشاطات في هذه المدة."
HEAD_TITLE_FALLBACK = "مدير الوحدة"
# Headings are numbered in order; a section whose place varies (the activities' details
# are optional) takes the number after the last one written.
ORDINALS = ("أولاً", "ثانياً", "ثالثاً", "رابعاً", "خامساً", "سادساً", "سابعاً", "ثامناً",
            "تاسعاً", "عاشراً")
RECOMMENDATIONS_HEADING = "متابعة التوصيات"
RECOMMENDATIONS_COUNTS = ("التوصيات المرفوعة في نشاطات هذه المدة: {total}، "
                          "المتأخرة منها عن موعدها في {date}: {overdue}.")
NO_RECOMMENDATIONS = "لم تُرفع توصيات في نشاطات هذه المدة."
RECOMMENDATION_COLUMNS = ("ت", "التوصية", "النشاط", "موعد التنفيذ", "الحالة", "آخر متابعة")
# To whom it was raised goes under the recommendation: a seventh column on a portrait page
# left every text about 2 cm, a few words a line.
ADDRESSED_TO = "{text}\nإلى: {addressed_to}"
# How the three texts (the recommendation, its activity, the last note) share what the
# number, the due date and the status leave.
RECOMMENDATION_SHARES = {1: 4.0, 2: 2.5, 5: 3.5}
NOTE_DATED = "{date}:\n{note}"
COVERAGE_HEADING = "الرصد الإعلامي"
COVERAGE_MEASURES = ("تُعرض هنا أعداد المواد الإعلامية المنشورة في هذه المدة واتجاهها "
                     "(إيجابي، محايد، سلبي)، ولا تُحسب لها قيمة إعلانية مكافئة.")
COVERAGE_TOTAL = "مجموع المواد المرصودة: {total}"
NO_COVERAGE = "لم تُرصد مواد إعلامية في هذه المدة."
COVERAGE_COUNT_COLUMNS = ("ت", "البند", "العدد")
BY_MEDIUM = "نوع الوسيلة: {label}"
BY_LEVEL = "المستوى: {label}"
BY_TONE = "الاتجاه: {label}"
COVERAGE_CHART_BY_TONE = "المواد المرصودة بحسب الاتجاه"
COVERAGE_CHART_BY_LEVEL = "المواد المرصودة بحسب المستوى"
# Three bars each: narrower than the activity charts, so a bar does not fill the page.
COVERAGE_CHART_SIZE = (4.7, 2.6)
COVERAGE_COLUMNS = ("ت", "التاريخ", "الوسيلة", "النوع", "المستوى", "الاتجاه", "العنوان")
COVERAGE_FITS = ("whole", "dates", "words", "words", "words", "words", "flex")
#: At most this many items are listed (the monitoring report lists them all).
COVERAGE_TABLE_LIMIT = 30
COVERAGE_ITEMS_LINE = "المواد المرصودة بحسب تاريخ النشر:"
COVERAGE_FIRST = ("يعرض الجدول أقدم {shown} مادة من {total}؛ تقرير الرصد الإعلامي "
                  "يعرضها كلها.")
PLANS_HEADING = "المخطط والمنفذ"
PLANS_AS_OF = "كما هو في {date}، لكل مخطط اتصال تتداخل مدته مع مدة هذا التقرير."
NO_PLANS = "لا يوجد مخطط اتصال تتداخل مدته مع مدة هذا التقرير."
PLAN_PERIOD = "مدة المخطط: {period}"
PLAN_COUNT_COLUMNS = ("ت", "البند", "العدد")
PLAN_ITEMS_ALL = "مجموع فقرات المخطط"
PLAN_UNPLANNED = "نشاطات نُفذت من خارج المخطط"
NOT_DONE_LINE = "الفقرات التي لم تُنفذ:"
ALL_DONE = "لا فقرات فات موعدها دون تنفيذ."
NOT_DONE_COLUMNS = ("ت", "الفعالية", "التاريخ المخطط", "الجهة المسؤولة", "الحالة")
NOT_DONE_FITS = ("whole", "flex", "dates", "words", "words")
UNDATED = "—"


@dataclass
class PeriodicReportOptions:
    """What the report holds. ``document`` overrides the look (font, digits, letterhead),
    which otherwise comes from the unit's settings."""

    document: rtl.DocumentOptions | None = None
    charts: bool = True
    #: A section per activity; None: by the period (:func:`models.periodic.sections_by_default`,
    #: on up to a quarter, off beyond).
    sections_per_activity: bool | None = None
    #: Count and list draft activities too, each marked «مسودة» (a report sent out
    #: counts approved and sent activities only).
    include_drafts: bool = False
    #: The report's day, on which a recommendation is overdue or not (None: today).
    today: dt.date | None = None
    #: At a centre: only the units this text names (an id's beginning or a word of the
    #: directorate or name; None: every unit).
    unit: str | None = None


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

    def dates(self, start: str, end: str | None, form: str = "plain") -> str:
        """The activity's dates in the one wording (:mod:`models.wording`), held together;
        ``form="cell"`` lets a table cell put the year on a line of its own."""
        return wording.period_phrase(start, end, self.doc_options.date_style, form)


SectionWriter = Callable[[ReportContext], None]


def report_title(data: PeriodicData, doc_options: rtl.DocumentOptions) -> str:
    """"<name> لنشاطات <unit> — <period>", the name by the period ("التقرير الشهري
    لنشاطات … — تشرين الثاني ٢٠٢٦")."""
    unit = doc_options.unit or data.unit.name or UNIT_FALLBACK
    # The label has ordinary spaces (it names files too): on the page its dates hold.
    period = wording.hold_dates(
        periodic.period_label(data.date_from, data.date_to, doc_options.date_style))
    name = periodic.report_name(data.date_from, data.date_to)
    if data.centre and data.units is not None and len(data.directorates) == 1:
        return TITLE.format(name=name, unit=data.directorates[0].label, period=period)
    if data.centre:
        return CENTRE_TITLE.format(name=name, unit=ALL_DIRECTORATES, period=period)
    return TITLE.format(name=name, unit=unit, period=period)


# --- sizing columns to their content ----------------------------------------------------

#: How :func:`fit_widths` sizes a column: "whole" keeps each cell on one line (numbers),
#: "words" may wrap each cell at its spaces (short labels), "dates" wraps only where the
#: wording lets a date wrap (its ordinary spaces: before a year, between two dates; never
#: at the no-break spaces between a day and its month), "flex" is long text sharing the
#: rest.
COLUMN_FITS = ("whole", "words", "dates", "flex")
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0]+")


def _date_pieces(text: str) -> list[str]:
    """A cell of dates cut where it may wrap (:func:`models.wording.period_phrase`'s
    ``"cell"`` form): at its ordinary spaces only."""
    return [p for p in _BREAKABLE_SPACE.split(text) if p]


def fit_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total_cm: float, *,
               size: float, fits: Sequence[str]) -> list[float]:
    """Column widths (cm, summing to ``total_cm``) sized to the content.

    A column's least width is its longest unbreakable piece by its fit (:data:`COLUMN_FITS`;
    a header wraps at its spaces and is measured bold); its most width its longest cell on
    one line. Columns other than "flex" get their least width ("whole" columns: their
    widest cell); the "flex" columns share what is left in proportion to their longest
    cell. When that leaves a "flex" column less than its longest word, every column gets
    its least and the rest is shared in proportion to what each lacks of its most (the
    way a browser lays out a table)."""
    count = len(header)
    least, most = [0.0] * count, [0.0] * count
    for r, row in enumerate([list(header), *rows]):
        bold = r == 0
        for c in range(count):
            text = row[c] if c < len(row) else ""
            if not text.strip():
                continue
            lines = text.split("\n")
            most[c] = max([most[c], *(text_width_cm(line, size, bold=bold) for line in lines)])
            if r > 0 and fits[c] == "whole":
                pieces = lines
            elif r > 0 and fits[c] == "dates":
                pieces = [p for line in lines for p in _date_pieces(line)]
            else:
                pieces = text.split()
            least[c] = max([least[c], *(text_width_cm(p.strip(), size, bold=bold)
                                        for p in pieces)])
    least = [w + _CELL_PADDING_CM for w in least]
    most = [max(m + _CELL_PADDING_CM, lo) for m, lo in zip(most, least, strict=True)]
    flexible = [c for c in range(count) if fits[c] == "flex"]
    if flexible and sum(least) <= total_cm:
        spare = total_cm - sum(least)
        weight = sum(most[c] for c in flexible)
        return [w + (spare * most[c] / weight if c in flexible else 0.0)
                for c, w in enumerate(least)]
    if sum(least) <= total_cm:
        spare = total_cm - sum(least)
        stretch = [m - lo for m, lo in zip(most, least, strict=True)]
        if sum(stretch) <= 0:
            return [lo + spare / count for lo in least]
        return [lo + spare * s / sum(stretch) for lo, s in zip(least, stretch, strict=True)]
    # Even the longest words do not fit: numbers keep their width, words will break.
    kept = sum(lo for c, lo in enumerate(least) if fits[c] == "whole")
    rest = sum(least) - kept
    if kept >= total_cm or rest <= 0:
        return [lo * total_cm / sum(least) for lo in least]
    return [lo if fits[c] == "whole" else lo * (total_cm - kept) / rest
            for c, lo in enumerate(least)]


def _text_width(ctx: ReportContext) -> float:
    section = ctx.doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def _table_size(ctx: ReportContext) -> float:
    return ctx.doc_options.size - 3  # the size of rtl's table text style


# --- sections ---------------------------------------------------------------------------

def title_section(ctx: ReportContext) -> None:
    rtl.paragraph(ctx.doc, report_title(ctx.data, ctx.doc_options), style=rtl.TITLE_STYLE,
                  align=rtl.CENTER)
    style = ctx.doc_options.date_style
    # The one wording of a period (models.wording): "١–٣٠ حزيران ٢٠٢٦", dates unbroken.
    rtl.paragraph(ctx.doc, wording.period_phrase(ctx.data.date_from, ctx.data.date_to, style,
                                                 "certificate"), align=rtl.CENTER)
    if ctx.data.totals.drafts:
        rtl.paragraph(ctx.doc, DRAFTS_LINE.format(draft=DRAFT,
                                                  count=ctx.number(ctx.data.totals.drafts)),
                      align=rtl.CENTER)


def summary_section(ctx: ReportContext) -> None:
    totals = ctx.data.totals
    rtl.paragraph(ctx.doc, SUMMARY_HEADING, style="Heading 1")
    items = []
    if ctx.data.centre:
        items += [(DIRECTORATES_COUNT, len(ctx.data.directorates)),
                  (DIRECTORATES_REPORTING, sum(1 for d in ctx.data.directorates
                                               if d.activities))]
    items.append((ALL_ACTIVITIES, totals.activities))
    if totals.drafts:
        items.append((OF_THEM_DRAFTS, totals.drafts))
    items += [(vocab.ACTIVITY_KINDS.get(kind, kind), n)
              for kind, n in totals.by_kind.items()]
    items += [(ATTENDANCE_ROWS, totals.attendance), (PERSONS, totals.persons),
              (PARTICIPANTS, totals.participants), (CERTIFICATES, totals.certificates)]
    rows = [[ctx.number(i), label, ctx.number(n)]
            for i, (label, n) in enumerate(items, start=1)]
    widths = fit_widths(SUMMARY_COLUMNS, rows, _text_width(ctx), size=_table_size(ctx),
                        fits=("whole", "flex", "whole"))
    rtl.rtl_table(ctx.doc, list(SUMMARY_COLUMNS), rows, widths=widths,
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
    if len(data.directorates) > 1:
        shown = data.directorates
        by_unit = charts.bar_chart(
            [_chart_label(d.label, len(shown)) for d in shown],
            [len(d.activities) for d in shown], CHART_BY_DIRECTORATE,
            ctx.scratch / "by-directorate.png", font_path=FONT_PATH, digits=ctx.digits)
        rtl.picture(ctx.doc, by_unit, CHART_BY_DIRECTORATE)
    by_month = charts.bar_chart(
        _month_labels(data, ctx), [m.activities for m in data.by_month], CHART_BY_MONTH,
        ctx.scratch / "by-month.png", font_path=FONT_PATH, digits=ctx.digits)
    rtl.picture(ctx.doc, by_month, CHART_BY_MONTH)


def _title_cell(activity: PeriodicActivity) -> str:
    return f"{activity.title}\n{DRAFT_MARK}" if activity.is_draft else activity.title


def _participants_cell(ctx: ReportContext, activity: PeriodicActivity) -> str:
    number = ctx.number(activity.participants)
    return f"{number}\n{TYPED_MARK}" if activity.typed_count else number


def _chart_label(label: str, bars: int) -> str:
    """A directorate's name on a chart: on two lines when several share the width."""
    words = label.split()
    if bars < 3 or len(words) < 3:
        return label
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "\n" + " ".join(words[half:])


def table_section(ctx: ReportContext) -> None:
    """The table of all activities, its columns sized to their content (at a centre, the
    activities by directorate instead: :func:`directorates_section`)."""
    if ctx.data.centre:
        directorates_section(ctx)
        return
    rtl.paragraph(ctx.doc, TABLE_HEADING, style="Heading 1")
    if not ctx.data.activities:
        rtl.paragraph(ctx.doc, NO_ACTIVITIES)
        return
    _activities_table(ctx, ctx.data.activities)


def _activities_table(ctx: ReportContext, activities: Sequence[PeriodicActivity]) -> None:
    rows = [[ctx.number(i), _title_cell(a), a.kind_label,
             ctx.dates(a.start_date, a.end_date, "cell"), a.place, _participants_cell(ctx, a)]
            for i, a in enumerate(activities, start=1)]
    widths = fit_widths(TABLE_COLUMNS, rows, _text_width(ctx), size=_table_size(ctx),
                        fits=TABLE_FITS)
    rtl.rtl_table(ctx.doc, list(TABLE_COLUMNS), rows, widths=widths, center_columns=(0, 5))


def directorates_section(ctx: ReportContext) -> None:
    """A centre's activities by directorate: every directorate's figures in one table with
    their totals (bold, last row), then per directorate its counts by kind and
    participants and the table of its activities."""
    data = ctx.data
    rtl.paragraph(ctx.doc, DIRECTORATES_HEADING, style="Heading 1")
    if not data.directorates:
        rtl.paragraph(ctx.doc, NO_ACTIVITIES)
        return
    rows = [[ctx.number(i), d.label, ctx.number(len(d.activities)), ctx.number(d.attendance),
             ctx.number(d.persons), ctx.number(d.participants)]
            for i, d in enumerate(data.directorates, start=1)]
    totals = data.totals
    # Persons are counted once across all: one person at two directorates' activities is
    # one person, so the total is not the column's sum.
    rows.append(["", TOTAL_ROW, ctx.number(totals.activities), ctx.number(totals.attendance),
                 ctx.number(totals.persons), ctx.number(totals.participants)])
    widths = fit_widths(DIRECTORATE_COLUMNS, rows, _text_width(ctx), size=_table_size(ctx),
                        fits=DIRECTORATE_FITS)
    table = rtl.rtl_table(ctx.doc, list(DIRECTORATE_COLUMNS), rows, widths=widths,
                          center_columns=(0, 2, 3, 4, 5))
    _bold_row(table.rows[-1], rows[-1])
    for i, figures in enumerate(data.directorates, start=1):
        rtl.paragraph(ctx.doc, f"{ctx.number(i)}. {figures.label}", style="Heading 2")
        if not figures.activities:
            rtl.paragraph(ctx.doc, NO_ACTIVITIES)
            continue
        items = [(DIRECTORATE_ACTIVITIES, len(figures.activities))]
        items += [(vocab.ACTIVITY_KINDS.get(k, k), n) for k, n in figures.by_kind.items()]
        items += [(ATTENDANCE_ROWS, figures.attendance), (PERSONS, figures.persons),
                  (PARTICIPANTS, figures.participants)]
        _count_table(ctx, SUMMARY_COLUMNS, items)
        rtl.paragraph(ctx.doc, DIRECTORATE_LINE)
        _activities_table(ctx, figures.activities)


def _bold_row(row, values: Sequence[str]) -> None:
    """Write a table row's cells again in bold (a totals row)."""
    for cell, text in zip(row.cells, values, strict=True):
        par = cell.paragraphs[0]
        for run in list(par.runs):
            run._r.getparent().remove(run._r)
        if text:
            rtl.add_text(par, text, bold=True)


def activity_section(ctx: ReportContext, index: int, activity: PeriodicActivity) -> None:
    doc = ctx.doc
    heading = f"{ctx.number(index)}. {activity.title}"
    if activity.is_draft:
        heading += f" {DRAFT_MARK}"
    rtl.paragraph(doc, heading, style="Heading 2")
    facts = [f"{DATES_LABEL}: {ctx.dates(activity.start_date, activity.end_date)}"]
    if activity.place:
        facts.append(f"{PLACE_LABEL}: {activity.place}")
    if activity.organiser:
        facts.append(f"{ORGANISER_LABEL}: {activity.organiser}")
    if activity.participants:
        facts.append(f"{PARTICIPANTS_LABEL}: {ctx.number(activity.participants)}")
    rtl.paragraph(doc, "\n".join(facts))  # one fact a line (line breaks, one paragraph)
    for line in activity.summary.splitlines():
        if line.strip():  # typed text: its dates held together as the drafted ones
            rtl.paragraph(doc, wording.hold_dates(line.strip()), align=rtl.JUSTIFY)


def next_heading(ctx: ReportContext, title: str) -> str:
    """``title`` numbered after the last numbered heading already in the document
    ("خامساً: متابعة التوصيات" after "رابعاً: …", "رابعاً: …" when no details came)."""
    last = -1
    for paragraph in ctx.doc.paragraphs:
        if paragraph.style is not None and paragraph.style.name == "Heading 1":
            for i, ordinal in enumerate(ORDINALS):
                if paragraph.text.startswith(f"{ordinal}:"):
                    last = max(last, i)
    return f"{ORDINALS[min(last + 1, len(ORDINALS) - 1)]}: {title}"


def _recommendation_rows(ctx: ReportContext) -> list[list[str]]:
    drafts = {a.id for a in ctx.data.activities if a.is_draft}
    rows = []
    for i, rec in enumerate(ctx.data.recommendations, start=1):
        source = rec.activity_title
        if rec.activity_id in drafts:
            source = f"{source}\n{DRAFT_MARK}"
        status = rec.status_label
        if rec.overdue:
            status = f"{status}\n{OVERDUE_WORD}"
        note = rec.last_note
        if note and rec.last_note_date:
            # The date on its own line: run into the note's last line, the paragraph's
            # direction would reorder it where the line wraps.
            note = NOTE_DATED.format(date=ctx.dates(rec.last_note_date, None, "cell"),
                                     note=note)
        # The "cell" form may put the year on a line of its own: six columns share a
        # portrait page.
        due = ctx.dates(rec.due_date, None, "cell") if rec.due_date else ""
        text = (ADDRESSED_TO.format(text=rec.text, addressed_to=rec.addressed_to)
                if rec.addressed_to else rec.text)
        rows.append([ctx.number(i), text, source, due, status, note])
    return rows


def recommendation_widths(rows: Sequence[Sequence[str]], total_cm: float,
                          size: float) -> list[float]:
    """The recommendations table's widths (cm, summing to ``total_cm``): the number, the
    due date and the status as wide as their widest line (a header wraps at its spaces);
    the texts get their longest word and share the rest (:data:`RECOMMENDATION_SHARES`)."""
    widths = [0.0] * len(RECOMMENDATION_COLUMNS)
    for c in (0, 3, 4):
        pieces = [(word, True) for word in RECOMMENDATION_COLUMNS[c].split()]
        # A due date may wrap before its year (the "cell" form's ordinary space).
        pieces += [(piece, False) for row in rows for line in row[c].split("\n")
                   for piece in (_date_pieces(line) if c == 3 else [line])]
        widths[c] = max(text_width_cm(p, size, bold=bold) for p, bold in pieces if p)
        widths[c] += _CELL_PADDING_CM
    # Each text at least its longest word (a word Word cannot break breaks mid-letter),
    # then what is left by the shares.
    least = {c: max([text_width_cm(w, size, bold=True)
                     for w in RECOMMENDATION_COLUMNS[c].split()]
                    + [text_width_cm(w, size) for row in rows
                       for w in _BREAKABLE_SPACE.split(row[c]) if w.strip()])
             + _CELL_PADDING_CM for c in RECOMMENDATION_SHARES}
    rest = max(total_cm - sum(widths), 1.0)
    spare = rest - sum(least.values())
    shares = sum(RECOMMENDATION_SHARES.values())
    for c, share in RECOMMENDATION_SHARES.items():
        widths[c] = (least[c] + spare * share / shares if spare >= 0
                     else rest * least[c] / sum(least.values()))
    return widths


def recommendations_section(ctx: ReportContext) -> None:
    """The recommendations raised at the period's activities: how many, how many overdue
    on the report's day, and a table of each with its status and last note."""
    data = ctx.data
    rtl.paragraph(ctx.doc, next_heading(ctx, RECOMMENDATIONS_HEADING), style="Heading 1")
    if not data.recommendations:
        rtl.paragraph(ctx.doc, NO_RECOMMENDATIONS)
        return
    rtl.paragraph(ctx.doc, RECOMMENDATIONS_COUNTS.format(
        total=ctx.number(len(data.recommendations)),
        date=wording.date_phrase(data.as_of, ctx.doc_options.date_style),
        overdue=ctx.number(data.overdue_recommendations)))
    rows = _recommendation_rows(ctx)
    widths = recommendation_widths(rows, _text_width(ctx), _table_size(ctx))
    rtl.rtl_table(ctx.doc, list(RECOMMENDATION_COLUMNS), rows, widths=widths,
                  center_columns=(0, 3, 4))


def _count_rows(ctx: ReportContext, items: Sequence[tuple[str, int]]) -> list[list[str]]:
    return [[ctx.number(i), label, ctx.number(n)]
            for i, (label, n) in enumerate(items, start=1)]


def _count_table(ctx: ReportContext, header: Sequence[str],
                 items: Sequence[tuple[str, int]]) -> None:
    rows = _count_rows(ctx, items)
    widths = fit_widths(header, rows, _text_width(ctx), size=_table_size(ctx),
                        fits=("whole", "flex", "whole"))
    rtl.rtl_table(ctx.doc, list(header), rows, widths=widths, center_columns=(0, 2))


def coverage_section(ctx: ReportContext) -> None:
    """The media coverage published in the period: the total, the counts by medium and
    level (those with items) and by tone (all three, a zero included), and the items, the
    oldest :data:`COVERAGE_TABLE_LIMIT` when there are more. Counts and tone only."""
    data = ctx.data
    rtl.paragraph(ctx.doc, next_heading(ctx, COVERAGE_HEADING), style="Heading 1")
    counts = data.coverage
    if counts is None or not counts.total:
        rtl.paragraph(ctx.doc, NO_COVERAGE)
        return
    rtl.paragraph(ctx.doc, COVERAGE_MEASURES, align=rtl.JUSTIFY)
    rtl.paragraph(ctx.doc, COVERAGE_TOTAL.format(total=ctx.number(counts.total)))
    # Every tone, a zero included: "no negative coverage" is a finding; media and
    # levels without items would only lengthen the table.
    items = [(BY_MEDIUM.format(label=vocab.MEDIA.get(k, k)), n)
             for k, n in counts.by_medium.items() if n]
    items += [(BY_LEVEL.format(label=vocab.LEVELS.get(k, k)), n)
              for k, n in counts.by_level.items() if n]
    items += [(BY_TONE.format(label=vocab.TONES.get(k, k)), n)
              for k, n in counts.by_tone.items()]
    _count_table(ctx, COVERAGE_COUNT_COLUMNS, items)
    coverage_charts(ctx)
    shown = data.coverage_items[:COVERAGE_TABLE_LIMIT]
    # A line between the two tables, which would otherwise read as one.
    if len(shown) < len(data.coverage_items):
        rtl.paragraph(ctx.doc, COVERAGE_FIRST.format(
            shown=ctx.number(len(shown)), total=ctx.number(len(data.coverage_items))))
    else:
        rtl.paragraph(ctx.doc, COVERAGE_ITEMS_LINE)
    rows = [[ctx.number(i), ctx.dates(c.date, None, "cell"), c.outlet, c.medium_label,
             c.level_label, c.tone_label, c.title]
            for i, c in enumerate(shown, start=1)]
    widths = fit_widths(COVERAGE_COLUMNS, rows, _text_width(ctx), size=_table_size(ctx),
                        fits=COVERAGE_FITS)
    rtl.rtl_table(ctx.doc, list(COVERAGE_COLUMNS), rows, widths=widths,
                  center_columns=(0,))


def coverage_charts(ctx: ReportContext) -> None:
    """The period's coverage by tone and by level as two bar charts (pictures, with their
    captions), when the report has charts: every tone and level, a zero included, in the
    vocabulary's order. By medium is left to the monitoring report: eleven bars, most of
    them empty in a month, would say less here than the table above."""
    counts = ctx.data.coverage
    if not ctx.options.charts or counts is None or not counts.total:
        return
    from exporters import charts  # matplotlib only when a chart is drawn

    for name, title, numbers, labels in (
            ("tone", COVERAGE_CHART_BY_TONE, counts.by_tone, vocab.TONES),
            ("level", COVERAGE_CHART_BY_LEVEL, counts.by_level, vocab.LEVELS)):
        keys = list(labels)
        image = charts.bar_chart([labels[k] for k in keys], [numbers.get(k, 0) for k in keys],
                                 title, ctx.scratch / f"coverage-by-{name}.png",
                                 font_path=FONT_PATH, digits=ctx.digits,
                                 size=COVERAGE_CHART_SIZE)
        rtl.picture(ctx.doc, image, title)


def plans_section(ctx: ReportContext) -> None:
    """Plan against actual of each plan overlapping the period, on the report's day: the
    count of items per outcome and of activities outside the plan, and the items not
    done."""
    data = ctx.data
    style = ctx.doc_options.date_style
    rtl.paragraph(ctx.doc, next_heading(ctx, PLANS_HEADING), style="Heading 1")
    if not data.plans:
        rtl.paragraph(ctx.doc, NO_PLANS)
        return
    rtl.paragraph(ctx.doc, PLANS_AS_OF.format(date=wording.date_phrase(data.as_of, style)))
    for against in data.plans:
        plan = against.plan
        # The period on a line of its own: in brackets after a long title it would wrap
        # with its bracket stranded at the line's end.
        # A year typed into the title ("… 2026") follows the unit's digits like the rest.
        rtl.paragraph(ctx.doc, apply_digits(plan.title, ctx.digits), style="Heading 2")
        rtl.paragraph(ctx.doc, PLAN_PERIOD.format(
            period=ctx.dates(plan.period_start, plan.period_end)))
        counts = against.counts
        items = [(PLAN_ITEMS_ALL, len(against.items))]
        items += [(label, counts[key]) for key, label in plans.OUTCOMES.items()]
        items.append((PLAN_UNPLANNED, counts["unplanned"]))
        _count_table(ctx, PLAN_COUNT_COLUMNS, items)
        missed = against.rows(plans.NOT_DONE)
        if not missed:
            rtl.paragraph(ctx.doc, ALL_DONE)
            continue
        rtl.paragraph(ctx.doc, NOT_DONE_LINE)
        rows = [[ctx.number(i), row.item.title,
                 ctx.dates(row.item.date, None, "cell") if row.item.date else UNDATED,
                 row.item.owner, vocab.PLAN_ITEM_STATUSES.get(row.item.status,
                                                              row.item.status)]
                for i, row in enumerate(missed, start=1)]
        widths = fit_widths(NOT_DONE_COLUMNS, rows, _text_width(ctx),
                            size=_table_size(ctx), fits=NOT_DONE_FITS)
        rtl.rtl_table(ctx.doc, list(NOT_DONE_COLUMNS), rows, widths=widths,
                      center_columns=(0,))


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
    ("recommendations", recommendations_section),
    ("coverage", coverage_section),
    ("plans", plans_section),
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
    units = periodic.units_named(db, options.unit) if options.unit else None
    data = periodic.gather(db, date_from, date_to, include_drafts=options.include_drafts,
                           today=options.today, units=units)
    doc_options = options.document or rtl.DocumentOptions.from_unit(data.unit, db)
    doc = rtl.new_document(doc_options)
    # What a letter that encloses the file can name it by (and Word's file properties).
    # (the unit's name comes from the database: a character XML cannot hold is left out)
    doc.core_properties.title = rtl.xml_safe(
        wording.plain(report_title(data, doc_options)))
    doc.core_properties.subject = rtl.xml_safe(periodic.report_description(
        data.date_from, data.date_to, doc_options.date_style))
    ctx = ReportContext(doc, data, options, doc_options, Path(scratch))
    sections = options.sections_per_activity
    if sections is None:
        sections = periodic.sections_by_default(data.date_from, data.date_to)
    per_activity = sections and bool(data.activities)
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
