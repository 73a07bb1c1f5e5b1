"""The communication plan's two documents: the plan (مخطط الاتصال) and plan against
actual (المخطط والمنفذ).

The plan: its title, its period, and one table on a landscape page (ت، الفعالية، الهدف،
الجمهور المستهدف، القناة، التاريخ، الجهة المسؤولة، الأولوية، الحالة, as
``../shared/domain.md`` lays it out), then the plan's notes. Two columns join the table
only when some item fills them, so that a plan without them keeps its nine readable
columns: the key message (الرسالة الرئيسية, after the audience) and the measure of
success (مقياس النجاح, last: its level, that level's measure and the target).

Plan against actual: the title, the period and the day it stands on, a table of counts
(done on time, done late, not done, cancelled, still to come, and activities not in the
plan), a bar chart of the same counts, then a table of items for each outcome that has
any (ت، الفعالية، التاريخ المخطط، النشاط المنفذ، تاريخ التنفيذ، الجهة المسؤولة) and the
table of activities not in the plan. Data comes from :mod:`models.plans`; every element
is made through :mod:`exporters.rtl`; files are saved atomically. ``progress(done,
total)`` is called as the document is built; raising from it cancels the export and
leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document

from exporters import rtl
from exporters.attendance_sheet import save_atomically
from exporters.periodic_report import FONT_PATH, fit_widths
from models import plans, store, vocab, wording
from models.arabic import apply_digits
from models.db import Database
from models.records import Plan, PlanItem, Unit

__all__ = ["PlanReportOptions", "build_plan", "build_plan_vs_actual", "plan_columns",
           "plan_rows", "write_plan", "write_plan_vs_actual"]

Progress = Callable[[int, int], None]

PLAN_HEADING = "مخطط الاتصال"
PLAN_COLUMNS = ("ت", "الفعالية", "الهدف", "الجمهور المستهدف", "القناة", "التاريخ",
                "الجهة المسؤولة", "الأولوية", "الحالة")
PLAN_FITS = ("whole", "flex", "flex", "flex", "words", "dates", "words", "words", "words")
# The columns centred (row number, date, priority, status).
PLAN_CENTRE = ("ت", "التاريخ", "الأولوية", "الحالة")
KEY_MESSAGE_COLUMN = "الرسالة الرئيسية"
MEASURE_COLUMN = "مقياس النجاح"
MEASURE_LINE = "{level}: {measure}"
TARGET_LINE = "المستهدف: {target}"
#: A measure level's short name in a cell (the vocabulary's, without its explanation).
MEASURE_LEVELS = {key: label.split(" (")[0] for key, label in vocab.MEASURE_KINDS.items()}
#: The item field holding each level's measure.
MEASURE_FIELDS = {"output": "outputs", "outtake": "outtakes", "outcome": "outcomes"}
PERIOD_LINE = "للمدة {period}"
NO_ITEMS = "لا فقرات في هذا المخطط بعد."
NOTES = "ملاحظات: {notes}"
UNDATED = "—"
#: Channels the vocabulary of media does not name (a meeting is a channel of a plan).
CHANNEL_NAMES = {"meeting": "اجتماع"}

VS_TITLE = "المخطط والمنفذ"
AS_OF = "كما هو في {date}"
COUNTS_HEADING = "أولاً: الخلاصة"
COUNTS_COLUMNS = ("ت", "البند", "العدد")
ALL_ITEMS = "مجموع فقرات المخطط"
UNPLANNED = "نشاطات نُفذت من خارج المخطط"
CHART_HEADING = "ثانياً: المخطط البياني"
CHART_TITLE = "فقرات المخطط بحسب ما آلت إليه"
ITEMS_HEADING = "ثالثاً: فقرات المخطط"
DONE_COLUMNS = ("ت", "الفعالية", "التاريخ المخطط", "النشاط المنفذ", "تاريخ التنفيذ",
                "الجهة المسؤولة")
DONE_FITS = ("whole", "flex", "dates", "flex", "dates", "words")
# Items no activity carried out: their status and owner instead of an empty activity.
OPEN_COLUMNS = ("ت", "الفعالية", "التاريخ المخطط", "الجهة المسؤولة", "الحالة")
OPEN_FITS = ("whole", "flex", "dates", "words", "words")
UNPLANNED_HEADING = "رابعاً: نشاطات من خارج المخطط"
UNPLANNED_COLUMNS = ("ت", "النشاط", "النوع", "التاريخ")
UNPLANNED_FITS = ("whole", "flex", "words", "dates")
NO_UNPLANNED = "لم تُنفذ في مدة المخطط نشاطات من خارجه."
#: Short labels under the chart's bars (the counts table has the full ones).
CHART_LABELS = {plans.DONE_ON_TIME: "في موعدها", plans.DONE_LATE: "متأخرة",
                plans.NOT_DONE: "لم تُنفذ", plans.CANCELLED: "ملغاة",
                plans.TO_COME: "لم يحن موعدها", "unplanned": "من خارج المخطط"}


@dataclass
class PlanReportOptions:
    """What either document is made from: the plan, the day plan against actual stands
    on (None: the day it is written), whether it draws its chart; ``document`` overrides
    the look, else the unit's settings."""

    today: dt.date | None = None
    charts: bool = True
    document: rtl.DocumentOptions | None = None


def _look(db: Database, options: PlanReportOptions, *, landscape: bool) -> rtl.DocumentOptions:
    return options.document or rtl.DocumentOptions.from_unit(
        store.get(db, Unit, db.local_unit_id), db, landscape=landscape)


def _text_width(doc: Document) -> float:
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def _period(plan: Plan, look: rtl.DocumentOptions) -> str:
    return wording.period_phrase(plan.period_start, plan.period_end, look.date_style)


def _date(value: str | None, look: rtl.DocumentOptions) -> str:
    # The "cell" form: in a narrow column the year may go to the next line, never the month.
    return wording.period_phrase(value, None, look.date_style, "cell") if value else UNDATED


def _title_lines(plan: Plan, look: rtl.DocumentOptions) -> list[str]:
    """The plan's title, and its period on a line of its own unless the title (the one
    :func:`models.plans.default_title` gives) already says it."""
    period = _period(plan, look)
    # A year typed into the title ("… 2026") follows the unit's digits like the rest.
    title = apply_digits(plan.title, look.digits)
    if wording.plain(period) in wording.plain(title) or \
            plan.title == plans.default_title(plan.period_start, plan.period_end,
                                              look.date_style):
        return [title]
    return [title, PERIOD_LINE.format(period=period)]


def _channels(item: PlanItem) -> str:
    return "، ".join(CHANNEL_NAMES.get(c, vocab.MEDIA.get(c, c)) for c in item.channels)


def _step(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _table(doc: Document, look: rtl.DocumentOptions, header: tuple[str, ...],
           rows: list[list[str]], fits: tuple[str, ...], centre: tuple[int, ...]) -> None:
    widths = fit_widths(header, rows, _text_width(doc), size=look.size - 3, fits=fits)
    rtl.rtl_table(doc, list(header), rows, widths=widths, center_columns=centre)


# --- the plan -----------------------------------------------------------------------------

def measure_text(item: PlanItem) -> str:
    """The item's measure of success in one cell: its level with that level's measure,
    and its target, each on a line when filled."""
    lines = []
    if item.measure_kind:
        measure = getattr(item, MEASURE_FIELDS.get(item.measure_kind, ""), "").strip()
        level = MEASURE_LEVELS.get(item.measure_kind, item.measure_kind)
        lines.append(MEASURE_LINE.format(level=level, measure=" ".join(measure.split()))
                     if measure else level)
    if item.measure_target.strip():
        lines.append(TARGET_LINE.format(target=item.measure_target.strip()))
    return "\n".join(lines)


def plan_columns(items: list[PlanItem]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The plan table's header and column fits for these items: the nine of
    ``../shared/domain.md``, with the key message and the measure of success when some
    item fills them."""
    header, fits = list(PLAN_COLUMNS), list(PLAN_FITS)
    if any(item.key_message.strip() for item in items):
        at = header.index("الجمهور المستهدف") + 1
        header.insert(at, KEY_MESSAGE_COLUMN)
        fits.insert(at, "flex")
    if any(measure_text(item) for item in items):
        header.append(MEASURE_COLUMN)
        fits.append("flex")
    return tuple(header), tuple(fits)


def plan_rows(items: list[PlanItem], look: rtl.DocumentOptions,
              header: tuple[str, ...] = PLAN_COLUMNS) -> list[list[str]]:
    """The plan table's rows (without the header) for ``header``'s columns (see
    :func:`plan_columns`), in the unit's digits and dates."""
    rows = []
    for i, item in enumerate(items, start=1):
        cells = {"ت": apply_digits(str(i), look.digits), "الفعالية": item.title,
                 "الهدف": item.objective, "الجمهور المستهدف": item.audience,
                 KEY_MESSAGE_COLUMN: item.key_message, "القناة": _channels(item),
                 "التاريخ": _date(item.date, look), "الجهة المسؤولة": item.owner,
                 "الأولوية": vocab.PRIORITIES.get(item.priority, item.priority),
                 "الحالة": vocab.PLAN_ITEM_STATUSES.get(item.status, item.status),
                 MEASURE_COLUMN: apply_digits(measure_text(item), look.digits)}
        rows.append([cells[column] for column in header])
    return rows


def build_plan(db: Database, plan_id: str, options: PlanReportOptions | None = None, *,
               progress: Progress | None = None) -> Document:
    """The plan as a python-docx document (not yet saved)."""
    options = options or PlanReportOptions()
    plan = plans.get_plan(db, plan_id)
    items = plans.plan_items(db, plan.id)
    _step(progress, 1, 3)
    # Nine to eleven columns: the page lies on its side.
    look = _look(db, options, landscape=True)
    doc = rtl.new_document(look)
    period = _period(plan, look)
    doc.core_properties.title = rtl.xml_safe(wording.plain(plan.title))
    doc.core_properties.subject = rtl.xml_safe(
        wording.plain(f"{PLAN_HEADING} {PERIOD_LINE.format(period=period)}"))
    first, *rest = _title_lines(plan, look)
    rtl.paragraph(doc, first, style=rtl.TITLE_STYLE, align=rtl.CENTER)
    for line in rest:
        rtl.paragraph(doc, line, align=rtl.CENTER)
    _step(progress, 2, 3)
    if items:
        header, fits = plan_columns(items)
        _table(doc, look, header, plan_rows(items, look, header), fits,
               tuple(header.index(column) for column in PLAN_CENTRE))
    else:
        rtl.paragraph(doc, NO_ITEMS)
    if plan.notes.strip():
        rtl.paragraph(doc, "")
        rtl.paragraph(doc, NOTES.format(notes=plan.notes.strip()))
    rtl.page_number_footer(doc.sections[-1], look.digits)
    _step(progress, 3, 3)
    return doc


def write_plan(db: Database, plan_id: str, path: str | os.PathLike,
               options: PlanReportOptions | None = None,
               progress: Progress | None = None) -> Path:
    """Write the plan to ``path`` (a .docx) and return the path."""
    return save_atomically(build_plan(db, plan_id, options, progress=progress), Path(path))


# --- plan against actual ----------------------------------------------------------------------

def _item_rows(rows: list[plans.ItemOutcome], look: rtl.DocumentOptions, *,
               done: bool) -> list[list[str]]:
    out = []
    for i, row in enumerate(rows, start=1):
        cells = [apply_digits(str(i), look.digits), row.item.title, _date(row.item.date, look)]
        if done:
            cells += [row.activity_title, _date(row.activity_date, look), row.item.owner]
        else:
            cells += [row.item.owner,
                      vocab.PLAN_ITEM_STATUSES.get(row.item.status, row.item.status)]
        out.append(cells)
    return out


def _counts(result: plans.PlanVsActual) -> list[tuple[str, str, int]]:
    counts = result.counts
    return ([("items", ALL_ITEMS, len(result.items))]
            + [(key, label, counts[key]) for key, label in plans.OUTCOMES.items()]
            + [("unplanned", UNPLANNED, counts["unplanned"])])


def build_plan_vs_actual(db: Database, plan_id: str,
                         options: PlanReportOptions | None = None, *, scratch: Path,
                         progress: Progress | None = None) -> Document:
    """Plan against actual as a python-docx document (not saved); its chart is drawn in
    ``scratch``."""
    options = options or PlanReportOptions()
    today = options.today or dt.date.today()
    result = plans.plan_vs_actual(db, plan_id, today=today)
    plan = result.plan
    total = 4 + len(plans.OUTCOMES)
    done = 1
    _step(progress, done, total)
    look = _look(db, options, landscape=False)
    doc = rtl.new_document(look)
    number = lambda n: apply_digits(str(n), look.digits)  # noqa: E731
    as_of = AS_OF.format(date=wording.date_phrase(today, look.date_style))
    doc.core_properties.title = rtl.xml_safe(wording.plain(f"{VS_TITLE}: {plan.title}"))
    doc.core_properties.subject = rtl.xml_safe(wording.plain(f"{VS_TITLE} {as_of}"))
    rtl.paragraph(doc, VS_TITLE, style=rtl.TITLE_STYLE, align=rtl.CENTER)
    for line in _title_lines(plan, look):
        rtl.paragraph(doc, line, align=rtl.CENTER)
    rtl.paragraph(doc, as_of, align=rtl.CENTER)

    rtl.paragraph(doc, COUNTS_HEADING, style="Heading 1")
    counts = _counts(result)
    _table(doc, look, COUNTS_COLUMNS,
           [[number(i), label, number(n)] for i, (_k, label, n) in enumerate(counts, 1)],
           ("whole", "flex", "whole"), (0, 2))
    done += 1
    _step(progress, done, total)

    if options.charts and (result.items or result.unplanned):
        from exporters import charts  # matplotlib only when a chart is drawn

        rtl.paragraph(doc, CHART_HEADING, style="Heading 1")
        shown = [(key, n) for key, _label, n in counts[1:]]
        chart = charts.bar_chart([CHART_LABELS[k] for k, _ in shown], [n for _, n in shown],
                                 CHART_TITLE, Path(scratch) / "plan-vs-actual.png",
                                 font_path=FONT_PATH, digits=look.digits)
        rtl.picture(doc, chart, CHART_TITLE)
    done += 1
    _step(progress, done, total)

    rtl.paragraph(doc, ITEMS_HEADING, style="Heading 1")
    if not result.items:
        rtl.paragraph(doc, NO_ITEMS)
    for key, label in plans.OUTCOMES.items():
        rows = result.rows(key)
        if rows:
            rtl.paragraph(doc, f"{label} ({number(len(rows))})", style="Heading 2")
            carried = key in (plans.DONE_ON_TIME, plans.DONE_LATE)
            _table(doc, look, DONE_COLUMNS if carried else OPEN_COLUMNS,
                   _item_rows(rows, look, done=carried), DONE_FITS if carried else OPEN_FITS,
                   (0,))
        done += 1
        _step(progress, done, total)

    rtl.paragraph(doc, UNPLANNED_HEADING, style="Heading 1")
    if result.unplanned:
        _table(doc, look, UNPLANNED_COLUMNS,
               [[number(i), a.title, a.kind_label,
                 wording.period_phrase(a.start_date, a.end_date, look.date_style, "cell")]
                for i, a in enumerate(result.unplanned, start=1)],
               UNPLANNED_FITS, (0,))
    else:
        rtl.paragraph(doc, NO_UNPLANNED)
    rtl.page_number_footer(doc.sections[-1], look.digits)
    _step(progress, total, total)
    return doc


def write_plan_vs_actual(db: Database, plan_id: str, path: str | os.PathLike,
                         options: PlanReportOptions | None = None,
                         progress: Progress | None = None) -> Path:
    """Write plan against actual to ``path`` (a .docx) and return the path."""
    with tempfile.TemporaryDirectory(prefix="ittisal-plan-") as scratch:
        doc = build_plan_vs_actual(db, plan_id, options, scratch=Path(scratch),
                                   progress=progress)
        return save_atomically(doc, Path(path))
