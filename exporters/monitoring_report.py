"""The media monitoring report (تقرير الرصد الإعلامي) of a period.

Title with the period, a line saying what is measured, then: the counts by medium, level
and tone (a table each, with the share of the whole, narrower than the page and centred so
that its few columns read easily), the total of the reach that is known and how many items
it covers, their bar charts, a timeline (items per day, week or month by the period's
length: :func:`models.coverage.timeline_step`), and the table of items (ت، التاريخ،
الوسيلة، النوع والمستوى، الاتجاه، العنوان with the topic under it، الوصول). It reports
counts, tone and reach as the outlets gave it, as the Barcelona Principles ask: no
advertising-value-equivalent figure is computed, and the report says so.

Data comes from :mod:`models.coverage`; every element is made through
:mod:`exporters.rtl`, charts by :mod:`exporters.charts` (pictures); the file is saved
atomically. ``progress(done, total)`` is called as parts are written; raising from it
cancels the export and leaves no file behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table

from exporters import rtl
from exporters.attendance_sheet import save_atomically
from exporters.periodic_report import FONT_PATH, fit_widths
from exporters.text_fit import CELL_PADDING_CM, text_width_cm
from models import coverage, store, unit_mode, vocab, wording
from models.arabic import apply_digits
from models.coverage import CoverageCounts, CoverageFilter, TimelinePoint
from models.dates import DateStyle, month_name, parse_date
from models.db import Database
from models.periodic import period_label
from models.records import Unit

__all__ = ["MonitoringReportOptions", "build_monitoring_report", "description",
           "reach_text", "write_monitoring_report"]

TITLE = "تقرير الرصد الإعلامي — {period}"
#: What a covering letter lists the report as (the file's core "title" and "subject").
DESCRIPTION = "تقرير الرصد الإعلامي للمدة {period}"
MEASURES = ("يعرض هذا التقرير أعداد المواد الإعلامية واتجاهها (إيجابي، محايد، سلبي) كما "
            "توصي مبادئ برشلونة لقياس الاتصال، ولا يحسب لها قيمةً إعلانية مكافئة.")
TOTAL = "مجموع المواد المرصودة: {total}"
REACH_TOTAL = ("مجموع الوصول المعروف: {reach} (ذكرت الوسائل وصول {known} من {items} من "
               "المواد: مشاهدات أو قراء أو متابعين؛ ولا يُقدَّر وصول الباقي).")
REACH_NONE = "لم يُعرف وصول أي مادة من مواد هذه المدة."
COUNTS_HEADING = "أولاً: أعداد المواد"
BY_MEDIUM = "المواد بحسب نوع الوسيلة"
BY_LEVEL = "المواد بحسب المستوى"
BY_TONE = "المواد بحسب الاتجاه"
COUNT_COLUMNS = {BY_MEDIUM: ("نوع الوسيلة", "العدد", "النسبة"),
                 BY_LEVEL: ("المستوى", "العدد", "النسبة"),
                 BY_TONE: ("الاتجاه", "العدد", "النسبة")}
CHARTS_HEADING = "ثانياً: المخططات البيانية"
TIMELINE_HEADING = "ثالثاً: الخط الزمني"
TIMELINE_TITLES = {coverage.DAY: "المواد بحسب اليوم", coverage.WEEK: "المواد بحسب الأسبوع",
                   coverage.MONTH: "المواد بحسب الشهر"}
WEEK_NOTE = "يبدأ كل أسبوع بيوم الأحد، ويُسمّى بتاريخ أول يوم منه في المدة."
TABLE_HEADING = "رابعاً: جدول المواد"
# The topic goes under the title in its cell: a column of its own would leave the titles
# too narrow on a portrait page.
# The medium and the level share a column (one under the other) to leave the width to the
# titles now that the reach has a column of its own.
TABLE_COLUMNS = ("ت", "التاريخ", "الوسيلة", "النوع والمستوى", "الاتجاه", "العنوان",
                 "الوصول")
TABLE_FITS = ("whole", "dates", "words", "words", "words", "flex", "whole")
MEDIUM_LEVEL = "{medium}\n{level}"
# The count tables: the number and share columns at least this wide (cm), the label
# column at least COUNT_LABEL_CM, and their rows this high, so that three short columns
# neither stretch over the page nor crowd their numbers.
COUNT_NUMBER_CM = 2.6
COUNT_LABEL_CM = 4.5
COUNT_ROW_CM = 0.75
TOPIC_LINE = "{title}\n(الموضوع: {topic})"
NONE = "لم تُرصد مواد إعلامية في هذه المدة."
PERCENT = "{n}٪"


@dataclass
class MonitoringReportOptions:
    """What the report holds: ``where`` narrows the items further (medium, level, tone,
    activity, and at a centre the units, which the report then names; its dates are the
    period's); ``charts`` draws the pictures; ``document``
    overrides the look, else the unit's settings."""

    where: CoverageFilter | None = None
    charts: bool = True
    document: rtl.DocumentOptions | None = None


def description(date_from: str, date_to: str, style: DateStyle | None = None) -> str:
    """The report and its period in a sentence, as a letter lists its enclosure."""
    period = period_label(date_from, date_to, *(() if style is None else (style,)))
    return DESCRIPTION.format(period=period)


def reach_text(n: int, digits: str) -> str:
    """A reach with its thousands grouped (12,500; ١٢٬٥٠٠ in Arabic digits)."""
    grouped = f"{n:,}"
    shown = apply_digits(grouped, digits)
    return shown.replace(",", "٬") if shown != grouped else shown


def _count_widths(header: tuple[str, ...], rows: list[list[str]], size: float
                  ) -> list[float]:
    """The count table's column widths (cm): the label as wide as its longest label, the
    number and share columns wide enough to read at a glance."""
    widths = []
    for c, least in enumerate((COUNT_LABEL_CM, COUNT_NUMBER_CM, COUNT_NUMBER_CM)):
        texts = [header[c], *(row[c] for row in rows)]
        widths.append(max(least, max(text_width_cm(t, size, bold=True) for t in texts)
                          + CELL_PADDING_CM))
    return widths


def _narrow(table: Table, widths_cm: list[float]) -> None:
    """Give ``table`` these column widths (cm) instead of the page's whole width, and
    centre it."""
    total_twips = 0
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        total_twips += int(Cm(width).twips)
        for cell in column.cells:
            cell.width = Cm(width)
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(total_twips))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.rows[0].height = Cm(COUNT_ROW_CM)
    # A table of a few rows is read whole: it moves to the next page rather than split.
    for row in list(table.rows)[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _share(n: int, total: int, digits: str) -> str:
    return apply_digits(PERCENT.format(n=round(100 * n / total) if total else 0), digits)


def _count_rows(counts: dict[str, int], labels: dict[str, str], total: int, digits: str,
                *, skip_zero: bool) -> list[list[str]]:
    return [[labels.get(key, key), apply_digits(str(n), digits), _share(n, total, digits)]
            for key, n in counts.items() if n or not skip_zero]


def _point_label(point: TimelinePoint, step: str, years: int, months: int,
                 style: DateStyle) -> str:
    day = parse_date(point.start)
    if step == coverage.MONTH:
        name = month_name(day.month, style)
        return name if years == 1 else f"{name} {day.year}"
    if step == coverage.DAY and months == 1:
        return str(day.day)
    return f"{day.day}/{day.month}"


def _timeline_labels(points: list[TimelinePoint], step: str, style: DateStyle,
                     digits: str) -> list[str]:
    years = len({p.start[:4] for p in points})
    months = len({p.start[:7] for p in points})
    return [apply_digits(_point_label(p, step, years, months, style), digits) for p in points]


def build_monitoring_report(db: Database, date_from: str, date_to: str,
                            options: MonitoringReportOptions | None = None, *,
                            scratch: Path,
                            progress: Callable[[int, int], None] | None = None
                            ) -> Document:
    """The report of ``date_from``–``date_to`` as a python-docx document (not saved);
    chart images go to ``scratch``."""
    options = options or MonitoringReportOptions()
    where = dataclasses.replace(options.where or CoverageFilter(), date_from=date_from,
                                date_to=date_to)
    items = coverage.list_items(db, where)
    counts: CoverageCounts = coverage.counts(db, where)
    total_steps = 5

    def step(done: int) -> None:
        if progress is not None:
            progress(done, total_steps)

    step(1)
    doc_options = options.document or rtl.DocumentOptions.from_unit(
        store.get(db, Unit, db.local_unit_id), db)
    style, digits = doc_options.date_style, doc_options.digits
    doc = rtl.new_document(doc_options)
    period = period_label(date_from, date_to, style)
    directorates = unit_mode.units_label(db, where.unit_id)
    doc.core_properties.title = rtl.xml_safe(unit_mode.narrowed(TITLE.format(period=period),
                                                                directorates))
    doc.core_properties.subject = rtl.xml_safe(unit_mode.narrowed(
        description(date_from, date_to, style), directorates))
    rtl.paragraph(doc, wording.hold_dates(TITLE.format(period=period)),
                  style=rtl.TITLE_STYLE, align=rtl.CENTER)
    rtl.paragraph(doc, wording.period_phrase(date_from, date_to, style, "certificate"),
                  align=rtl.CENTER)
    if directorates:
        rtl.paragraph(doc, unit_mode.DIRECTORATE_LINE.format(label=directorates), bold=True,
                      align=rtl.CENTER)
    rtl.paragraph(doc, MEASURES, align=rtl.JUSTIFY)
    section = doc.sections[-1]
    text_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    size = doc_options.size - 3  # the size of rtl's table text style

    # Counts
    rtl.paragraph(doc, COUNTS_HEADING, style="Heading 1")
    rtl.paragraph(doc, TOTAL.format(total=apply_digits(str(counts.total), digits)),
                  bold=True)
    if not items:
        rtl.paragraph(doc, NONE)
    else:
        reach = coverage.reach_total(db, where)
        rtl.paragraph(doc, REACH_TOTAL.format(
            reach=reach_text(reach.total, digits), known=apply_digits(str(reach.known), digits),
            items=apply_digits(str(reach.items), digits)) if reach.known else REACH_NONE)
    groups = ((BY_MEDIUM, counts.by_medium, vocab.MEDIA),
              (BY_LEVEL, counts.by_level, vocab.LEVELS),
              (BY_TONE, counts.by_tone, vocab.TONES))
    if items:
        for title, numbers, labels in groups:
            rtl.paragraph(doc, title, style="Heading 2")
            # Media no item ran in are left out: eleven rows of zeros say nothing.
            rows = _count_rows(numbers, labels, counts.total, digits,
                               skip_zero=labels is vocab.MEDIA)
            header = COUNT_COLUMNS[title]
            widths = _count_widths(header, rows, size)
            table = rtl.rtl_table(doc, list(header), rows, widths=widths,
                                  center_columns=(1, 2), row_height_cm=COUNT_ROW_CM)
            _narrow(table, widths)
    step(2)

    # Charts
    if items and options.charts:
        from exporters import charts  # matplotlib only when a chart is drawn

        rtl.paragraph(doc, CHARTS_HEADING, style="Heading 1")
        for name, (title, numbers, labels) in zip(("medium", "level", "tone"), groups,
                                                  strict=True):
            shown = [(k, n) for k, n in numbers.items() if n or labels is not vocab.MEDIA]
            image = charts.bar_chart([labels.get(k, k) for k, _ in shown],
                                     [n for _, n in shown], title,
                                     scratch / f"by-{name}.png", font_path=FONT_PATH,
                                     digits=digits)
            rtl.picture(doc, image, title)
    step(3)

    # Timeline
    if items:
        rtl.paragraph(doc, TIMELINE_HEADING, style="Heading 1")
        points = coverage.timeline(db, date_from, date_to, where=where)
        kind = coverage.timeline_step(date_from, date_to)
        title = TIMELINE_TITLES[kind]
        if options.charts:
            from exporters import charts

            image = charts.bar_chart(_timeline_labels(points, kind, style, digits),
                                     [p.count for p in points], title,
                                     scratch / "timeline.png", font_path=FONT_PATH,
                                     digits=digits)
            rtl.picture(doc, image, title)
        if kind == coverage.WEEK:
            rtl.paragraph(doc, WEEK_NOTE)
    step(4)

    # The items
    if items:
        rtl.paragraph(doc, TABLE_HEADING, style="Heading 1")
        # The year may go to a line of its own: the titles need the width more.
        rows = [[apply_digits(str(i), digits),
                 wording.period_phrase(item.date, None, style, "cell"),
                 item.outlet,
                 MEDIUM_LEVEL.format(medium=item.medium_label, level=item.level_label),
                 item.tone_label,
                 TOPIC_LINE.format(title=item.title, topic=item.topic) if item.topic
                 else item.title,
                 "" if item.reach is None else reach_text(item.reach, digits)]
                for i, item in enumerate(items, start=1)]
        widths = fit_widths(TABLE_COLUMNS, rows, text_cm, size=size, fits=TABLE_FITS)
        rtl.rtl_table(doc, list(TABLE_COLUMNS), rows, widths=widths,
                      center_columns=(0, 3, 4, 6))
    rtl.page_number_footer(doc.sections[-1], digits)
    step(5)
    return doc


def write_monitoring_report(db: Database, date_from: str | dt.date, date_to: str | dt.date,
                            path: str | os.PathLike,
                            options: MonitoringReportOptions | None = None,
                            progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the monitoring report of ``date_from``–``date_to`` to ``path`` (a .docx)."""
    start, end = parse_date(date_from).isoformat(), parse_date(date_to).isoformat()
    with tempfile.TemporaryDirectory(prefix="ittisal-monitoring-") as scratch:
        doc = build_monitoring_report(db, start, end, options, scratch=Path(scratch),
                                      progress=progress)
        return save_atomically(doc, Path(path))
