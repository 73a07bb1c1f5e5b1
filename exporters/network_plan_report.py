"""The network's two-month plan as a Word document (مخطط الشبكة), for the network's
periodic meeting at the ministry centre.

On a landscape page: the title with the period in the unit's wording, the day it stands
on, then «أولاً» a table of every listed item by date (ت، التاريخ، المديرية، الفعالية،
الجمهور، القنوات، الرسالة، الجهة المسؤولة، ملاحظة — the note says in words what is
wrong: a clash and with whom, no key message, no owner, and that an item is done,
postponed or has no day yet), «ثانياً» the clashes, each with both items and what they
share, and «ثالثاً» the counts per directorate with their total. On a unit's own
database the table alone, without its heading and the directorate column: the clashes
and the counts are left out (one unit clashes with nobody).

Data comes from :mod:`models.network_plan`; the look, the tables and the letterhead are
those of :mod:`exporters.plan_report` (every element through :mod:`exporters.rtl`, page
numbers at the foot); files are saved atomically, and raising from ``progress`` cancels
the export and leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document

from exporters import plan_report, rtl
from exporters.attendance_sheet import save_atomically
from models import network_plan as network
from models import vocab, wording
from models.arabic import apply_digits
from models.db import Database
from models.periodic import period_label

__all__ = ["NetworkPlanReportOptions", "build_network_plan", "clash_rows", "count_rows",
           "item_rows", "note_text", "write_network_plan"]

Progress = Callable[[int, int], None]

TITLE = "المخطط الموحد لشبكة الاتصال"
UNIT_TITLE = "مخطط الاتصال الموحد للوحدة"
PERIOD_LINE = "للمدة {period}"
AS_OF = "كما هو في {date}"
ITEMS_HEADING = "أولاً: الفقرات بحسب التاريخ"
ITEMS_COLUMNS = ("ت", "التاريخ", "المديرية", "الفعالية", "الجمهور", "القنوات", "الرسالة",
                 "الجهة المسؤولة", "ملاحظة")
DIRECTORATE = "المديرية"
ITEMS_FITS = ("whole", "dates", "flex", "flex", "flex", "words", "flex", "flex", "flex")
NO_ITEMS = "لا فقرات مخططة في هذه المدة."
CLASHES_HEADING = "ثانياً: التعارضات"
CLASH_RULE = ("التعارض: فقرتان ذواتا أولوية عالية لوحدتين مختلفتين في اليوم نفسه أو بفارق "
              "يوم واحد، لهما جمهور مشترك أو قناة مشتركة.")
CLASHES_COLUMNS = ("ت", "الفقرة الأولى", "الفقرة الثانية", "الفارق", "المشترك بينهما")
CLASHES_FITS = ("whole", "flex", "flex", "words", "flex")
NO_CLASHES = "لا تعارض بين فقرات الوحدات في هذه المدة."
COUNTS_HEADING = "ثالثاً: الأعداد بحسب المديرية"
COUNTS_COLUMNS = ("ت", "المديرية", "الفقرات", "ذات الأولوية العالية", "التعارضات",
                  "بلا رسالة", "بلا جهة مسؤولة")
# No "flex": the spare width goes where a line is cut most (a long directorate, a header).
COUNTS_FITS = ("whole", "words", "words", "words", "words", "words", "words")
TOTAL = "المجموع"
SAME_DAY = "اليوم نفسه"
ONE_DAY = "يوم واحد"
CLASH_ITEM = "{directorate}: {title}\n{date}"
SHARED_AUDIENCE = "الجمهور: {audiences}"
SHARED_CHANNELS = "القنوات: {channels}"
NOTE_CLASH = "تعارض ({number}) مع {directorate}"
NOTE_NO_MESSAGE = "بلا رسالة"
NOTE_NO_OWNER = "بلا جهة مسؤولة"
NOTE_UNDATED = "بلا تاريخ"
#: What the note says of an item that is not simply planned.
NOTE_STATUS = {"done": "نُفذت", "postponed": "مؤجلة"}
SEPARATOR = "، "


@dataclass
class NetworkPlanReportOptions:
    """What the document is made from: the period (None, None: this month and the next),
    the day it stands on (None: the day it is written); ``document`` overrides the look,
    else the unit's settings."""

    date_from: str | None = None
    date_to: str | None = None
    today: dt.date | None = None
    document: rtl.DocumentOptions | None = None


def _number(n: int, look: rtl.DocumentOptions) -> str:
    return apply_digits(str(n), look.digits)


def note_text(plan: network.NetworkPlan, entry: network.NetworkItem,
              look: rtl.DocumentOptions) -> str:
    """The note of an item, in words, one thing a line: its clashes (by number, and with
    whom), no key message, no owner, done or postponed, no day yet."""
    lines = []
    for number, clash in plan.clashes_of(entry):
        other = clash.second if clash.first.item.id == entry.item.id else clash.first
        lines.append(NOTE_CLASH.format(number=_number(number, look),
                                       directorate=other.directorate))
    if entry.no_message:
        lines.append(NOTE_NO_MESSAGE)
    if entry.no_owner:
        lines.append(NOTE_NO_OWNER)
    if entry.item.status in NOTE_STATUS:
        lines.append(NOTE_STATUS[entry.item.status])
    if not entry.item.date:
        lines.append(NOTE_UNDATED)
    return "\n".join(lines)


def item_rows(plan: network.NetworkPlan, look: rtl.DocumentOptions) -> list[list[str]]:
    """The rows (without the header) of the items' table, in :data:`ITEMS_COLUMNS`
    order."""
    return [[_number(i, look), plan_report._date(e.item.date, look), e.directorate,
             e.item.title, e.item.audience, plan_report._channels(e.item),
             e.item.key_message, e.item.owner, note_text(plan, e, look)]
            for i, e in enumerate(plan.items, start=1)]


def _clash_item(entry: network.NetworkItem, look: rtl.DocumentOptions) -> str:
    return CLASH_ITEM.format(directorate=entry.directorate, title=entry.item.title,
                             date=plan_report._date(entry.item.date, look))


def _channel_names(keys: tuple[str, ...]) -> str:
    return SEPARATOR.join(plan_report.CHANNEL_NAMES.get(c, vocab.MEDIA.get(c, c)) for c in keys)


def clash_rows(plan: network.NetworkPlan, look: rtl.DocumentOptions) -> list[list[str]]:
    """The rows (without the header) of the clashes' table, in :data:`CLASHES_COLUMNS`
    order."""
    rows = []
    for i, clash in enumerate(plan.clashes, start=1):
        shared = []
        if clash.audiences:
            shared.append(SHARED_AUDIENCE.format(audiences=SEPARATOR.join(clash.audiences)))
        if clash.channels:
            shared.append(SHARED_CHANNELS.format(channels=_channel_names(clash.channels)))
        rows.append([_number(i, look), _clash_item(clash.first, look),
                     _clash_item(clash.second, look), SAME_DAY if clash.days == 0 else ONE_DAY,
                     "\n".join(shared)])
    return rows


def count_rows(plan: network.NetworkPlan, look: rtl.DocumentOptions) -> list[list[str]]:
    """The rows (without the header) of the counts per directorate, and their total (the
    clashes counted once each, though each concerns two directorates)."""
    counts = plan.counts()
    rows = [[_number(i, look), c.directorate, *(_number(n, look) for n in (
        c.items, c.major, c.clashes, c.no_message, c.no_owner))]
        for i, c in enumerate(counts, start=1)]
    totals = (len(plan.items), sum(c.major for c in counts), len(plan.clashes),
              plan.no_message, plan.no_owner)
    rows.append(["", TOTAL, *(_number(n, look) for n in totals)])
    return rows


def build_network_plan(db: Database, options: NetworkPlanReportOptions | None = None, *,
                       progress: Progress | None = None) -> Document:
    """The network plan as a python-docx document (not yet saved)."""
    options = options or NetworkPlanReportOptions()
    today = options.today or dt.date.today()
    plan = network.network_plan(db, options.date_from, options.date_to, today=today)
    total = 5 if plan.centre else 3
    plan_report._step(progress, 1, total)
    # Nine columns: the page lies on its side, as the unit's own plan does.
    look = plan_report._look(db, options, landscape=True)  # type: ignore[arg-type]
    doc = rtl.new_document(look)
    title = TITLE if plan.centre else UNIT_TITLE
    period = wording.hold_dates(period_label(plan.start, plan.end, look.date_style))
    as_of = AS_OF.format(date=wording.date_phrase(today, look.date_style))
    doc.core_properties.title = rtl.xml_safe(wording.plain(title))
    doc.core_properties.subject = rtl.xml_safe(
        wording.plain(f"{title} {PERIOD_LINE.format(period=period)}"))
    rtl.paragraph(doc, title, style=rtl.TITLE_STYLE, align=rtl.CENTER)
    rtl.paragraph(doc, PERIOD_LINE.format(period=period), align=rtl.CENTER)
    rtl.paragraph(doc, as_of, align=rtl.CENTER)
    plan_report._step(progress, 2, total)

    if plan.centre:
        rtl.paragraph(doc, ITEMS_HEADING, style="Heading 1")
    if plan.items:
        # A unit's own plan has one section and one directorate: neither is said.
        keep = [c for c, column in enumerate(ITEMS_COLUMNS)
                if plan.centre or column != DIRECTORATE]
        rows = [[row[c] for c in keep] for row in item_rows(plan, look)]
        plan_report._table(doc, look, tuple(ITEMS_COLUMNS[c] for c in keep), rows,
                           tuple(ITEMS_FITS[c] for c in keep), (0, 1))
    else:
        rtl.paragraph(doc, NO_ITEMS)
    if plan.centre:
        plan_report._step(progress, 3, total)
        rtl.paragraph(doc, CLASHES_HEADING, style="Heading 1")
        rtl.paragraph(doc, CLASH_RULE)
        if plan.clashes:
            plan_report._table(doc, look, CLASHES_COLUMNS, clash_rows(plan, look),
                               CLASHES_FITS, (0, 3))
        else:
            rtl.paragraph(doc, NO_CLASHES)
        plan_report._step(progress, 4, total)
        rtl.paragraph(doc, COUNTS_HEADING, style="Heading 1")
        plan_report._table(doc, look, COUNTS_COLUMNS, count_rows(plan, look), COUNTS_FITS,
                           (0, 2, 3, 4, 5, 6))
    rtl.page_number_footer(doc.sections[-1], look.digits)
    plan_report._step(progress, total, total)
    return doc


def write_network_plan(db: Database, path: str | os.PathLike,
                       options: NetworkPlanReportOptions | None = None,
                       progress: Progress | None = None) -> Path:
    """Write the network plan to ``path`` (a .docx) and return the path."""
    return save_atomically(build_network_plan(db, options, progress=progress), Path(path))
