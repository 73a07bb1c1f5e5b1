"""The document kinds, each declared once: what the command line, the app's export menus
and the tests iterate over.

A :class:`DocumentKind` says what a document needs (an activity, a period, a report to
enclose, a plan: :data:`NEEDS`), its Arabic name and menu entry, the file name offered
for it, its options dataclass and ``write(db, options, path, progress)``. The options
dataclass holds everything the document is made from — the needs under the names of
:data:`NEED_FIELDS` and the kind's own choices — so that an exporter is handed values,
never widgets or parsed arguments. The kind's own choices that the command line offers
are its :class:`Option` list; ``main.py`` turns them into arguments.

Adding a kind is one :func:`register` call (see the end of this module): its options
dataclass, its writer, its file name and its texts. The exporters themselves are
imported inside the writers, so that listing the kinds (``--help``) loads neither Word
nor Qt.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models import store
from models.dates import DateStyle, format_date, parse_date
from models.db import Database
from models.records import Activity, Person, Plan

if TYPE_CHECKING:
    from models.letters import Letter

__all__ = [
    "ACTIVITY",
    "KINDS",
    "NEEDS",
    "NEED_FIELDS",
    "NEED_RECORDS",
    "PERIOD",
    "PLAN",
    "REPORT",
    "AttendanceOptions",
    "CertificatesOptions",
    "CoveringLetterOptions",
    "DocumentKind",
    "NewsOptions",
    "Option",
    "PeriodicOptions",
    "Progress",
    "Written",
    "get",
    "kinds_needing",
    "make_options",
    "plain_subject",
    "register",
    "safe_file_name",
    "short_title",
]

#: What a kind may need, as the app asks for it and the command line takes it.
ACTIVITY = "activity"  # one activity: --activity ID
PERIOD = "period"      # a period: --from DATE --to DATE, or --period NAME
REPORT = "report"      # a report file a letter carries: --report FILE
PLAN = "plan"          # a communication plan: --plan ID
NEEDS = (ACTIVITY, PERIOD, REPORT, PLAN)
#: The options dataclass fields a need fills.
NEED_FIELDS: dict[str, tuple[str, ...]] = {
    ACTIVITY: ("activity_id",), PERIOD: ("date_from", "date_to"), REPORT: ("report",),
    PLAN: ("plan_id",)}
#: The record a need's id (or a unique beginning of it) names.
NEED_RECORDS: dict[str, type] = {ACTIVITY: Activity, PLAN: Plan}

#: ``progress(done, total)``; it may raise to cancel.
Progress = Callable[[int, int], None]

TEXT = {
    "news_name": "تقرير خبري - {title} - {date}",
    "attendance_name": "كشف الحضور - {title}",
    "periodic_name": "{name} - {period}",
    "letter_name": "كتاب رسمي - {subject}",
    "certificates_name": "شهادات - {title}",
    "untitled": "نشاط",
    "subject_prefix": "م/",
    "news_subject": "م/ التقرير الخبري عن {title}",
    "month_subject": "م/ التقرير الدوري لشهر {period}",
    "periodic_subject": "م/ التقرير الدوري عن {period}",
}

# Characters Windows refuses in file names (and control characters), and its reserved names.
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\u200e\u200f\u202a-\u202e\u2066-\u2069]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
MAX_TITLE = 80  # characters of a title in a file name


# --- the declarations -------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """A choice of a kind that the command line offers beyond its needs, filling the
    options dataclass field ``field``. ``kind``: "text", "texts" (repeatable), "flag"
    (off unless given), "switch" (``--x``/``--no-x``, None unless given) or "choice"
    (one of ``choices()``' keys). ``record``: values are ids, or unique beginnings, of
    this record type."""

    flag: str
    field: str
    help: tuple[str, str]
    kind: str = "text"
    metavar: str | None = None
    required: bool = False
    choices: Callable[[], dict[str, str]] | None = None
    record: type | None = None


@dataclass(frozen=True)
class Written:
    """What writing a document gave: the file, what ``--json`` adds to ``{"file": …}``,
    and the recorded letter when the document is one."""

    path: Path
    details: dict[str, Any] = field(default_factory=dict)
    letter: Letter | None = None


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document, declared once (see the module's docstring).

    ``file_name(db, options, style)`` is the name offered for the file, suffix
    included. ``letter_subject``/``enclosure`` (db, options, style), on a report a
    covering letter can carry, are the subject offered for that letter and how it lists
    the report; a kind without them is not offered a letter.
    """

    key: str
    name: str                      # Arabic: the progress dialog's and save dialog's title
    menu: str                      # the app's menu entry ("…" when a dialog follows)
    help: tuple[str, str]          # the command line's help (Arabic, English)
    needs: tuple[str, ...]
    options: type
    write: Callable[[Database, Any, Path, Progress | None], Written]
    file_name: Callable[[Database, Any, DateStyle], str]
    suffixes: tuple[str, ...] = (".docx",)
    arguments: tuple[Option, ...] = ()
    letter_subject: Callable[[Database, Any, DateStyle], str] | None = None
    enclosure: Callable[[Database, Any, DateStyle], str] | None = None
    # False for a kind asked for from one page only (the network's plan, from the plans
    # page at a ministry centre), not from the export menus of every list.
    in_general_menu: bool = True

    @property
    def offers_letter(self) -> bool:
        """Whether the app offers a covering letter once this document is written."""
        return self.letter_subject is not None


#: Every kind, by key, in the order the app's menus list them.
KINDS: dict[str, DocumentKind] = {}


def general_menu_kinds() -> list[DocumentKind]:
    """The kinds the export menus of the list pages offer: all but a plan's documents
    (asked for from a plan) and the kinds one page asks for itself."""
    return [k for k in KINDS.values() if k.in_general_menu and PLAN not in k.needs]


def register(kind: DocumentKind) -> DocumentKind:
    """Add ``kind`` to :data:`KINDS` (once: a key is never declared twice)."""
    if kind.key in KINDS:
        raise ValueError(f"document kind declared twice: {kind.key}")
    unknown = set(kind.needs) - set(NEEDS)
    if unknown:
        raise ValueError(f"unknown needs of {kind.key}: {sorted(unknown)}")
    fields = {f.name for f in dataclasses.fields(kind.options)}
    missing = {name for need in kind.needs for name in NEED_FIELDS[need]} - fields
    missing |= {option.field for option in kind.arguments} - fields
    if missing:
        raise ValueError(f"{kind.options.__name__} lacks {sorted(missing)}")
    KINDS[kind.key] = kind
    return kind


def get(key: str) -> DocumentKind:
    """The kind called ``key``; ``ValueError`` for an unknown one."""
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"unknown document kind: {key}") from None


def kinds_needing(need: str) -> list[DocumentKind]:
    """The kinds that need ``need``, in :data:`KINDS` order."""
    return [kind for kind in KINDS.values() if need in kind.needs]


def make_options(key: str, **values: Any) -> Any:
    """The options of kind ``key`` from ``values`` (those the dataclass has no field for
    are left out; a need that is missing raises ``ValueError``)."""
    kind = get(key)
    names = {f.name for f in dataclasses.fields(kind.options)}
    for need in kind.needs:
        for name in NEED_FIELDS[need]:
            if not values.get(name):
                raise ValueError(f"a {key} document needs {name}")
    return kind.options(**{k: v for k, v in values.items() if k in names})


# --- file names -------------------------------------------------------------------------

def safe_file_name(name: str) -> str:
    """``name`` usable as a file name on Windows, Linux and macOS: illegal characters become
    "-", runs of spaces one space, no trailing dots or spaces, never empty or reserved."""
    name = _ILLEGAL.sub("-", name)
    name = re.sub(r"\s+", " ", name).strip().rstrip(". ")
    if not name or name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}" if name else "_"
    return name


def short_title(title: str) -> str:
    """A title cut at a word to fit a file name or a window title."""
    title = " ".join(title.split()) or TEXT["untitled"]
    if len(title) <= MAX_TITLE:
        return title
    cut = title[:MAX_TITLE]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip("،,. ") + "…"


def plain_subject(subject: str) -> str:
    """The subject without the "م/" the letter puts before it."""
    subject = " ".join(subject.split())
    prefix = TEXT["subject_prefix"]
    return subject.removeprefix(prefix).strip() if subject.startswith(prefix) else subject


def _date_text(value: str | None, style: DateStyle) -> str:
    if not value:
        return ""
    try:
        return format_date(value, style)
    except ValueError:
        return str(value)


def _title(db: Database, options: Any) -> str:
    return short_title(store.get(db, Activity, options.activity_id).title)


def _docx(name: str) -> str:
    return safe_file_name(name) + ".docx"


def _path(written: str | os.PathLike) -> Written:
    return Written(Path(written))


# --- the news report ----------------------------------------------------------------------

@dataclass(frozen=True)
class NewsOptions:
    """The news report of one activity (its text is the activity's, edited or drafted)."""

    activity_id: str


def _write_news(db: Database, options: NewsOptions, path: Path,
                progress: Progress | None) -> Written:
    from exporters.news_report import write_news_report

    return _path(write_news_report(db, options.activity_id, path))


def _news_name(db: Database, options: NewsOptions, style: DateStyle) -> str:
    activity = store.get(db, Activity, options.activity_id)
    name = TEXT["news_name"].format(title=short_title(activity.title),
                                    date=_date_text(activity.start_date, style))
    return _docx(name.removesuffix(" - "))


def _news_subject(db: Database, options: NewsOptions, style: DateStyle) -> str:
    title = " ".join(store.get(db, Activity, options.activity_id).title.split())
    return TEXT["news_subject"].format(title=title)


def _news_enclosure(db: Database, options: NewsOptions, style: DateStyle) -> str:
    from exporters.news_report import description

    return description(store.get(db, Activity, options.activity_id).title)


# --- the attendance sheet -----------------------------------------------------------------

@dataclass(frozen=True)
class AttendanceOptions:
    """The attendance sheet of one activity, to be signed."""

    activity_id: str


def _write_attendance(db: Database, options: AttendanceOptions, path: Path,
                      progress: Progress | None) -> Written:
    from exporters.attendance_sheet import write_attendance_sheet

    return _path(write_attendance_sheet(db, options.activity_id, path))


def _attendance_name(db: Database, options: AttendanceOptions, style: DateStyle) -> str:
    return _docx(TEXT["attendance_name"].format(title=_title(db, options)))


# --- the certificates ---------------------------------------------------------------------

def _designs() -> dict[str, str]:
    from models.certificate_style import DESIGNS

    return DESIGNS


@dataclass(frozen=True)
class CertificatesOptions:
    """The certificates of an activity's attendees: ``person_ids`` (default: everyone
    who attended) in ``design`` (default: the activity's, else the unit's). Writing
    issues the serials of those printed for the first time."""

    activity_id: str
    person_ids: tuple[str, ...] | None = None
    design: str | None = None


def _write_certificates(db: Database, options: CertificatesOptions, path: Path,
                        progress: Progress | None) -> Written:
    from exporters.certificates import export_certificates
    from models.certificate_pages import attended
    from models.certificate_style import load_style

    style = load_style(db, options.activity_id)
    if options.design:
        style = dataclasses.replace(style, design=options.design)
    if path.suffix.lower() == ".pdf":
        from exporters.certificate_paint import ensure_gui_app

        ensure_gui_app()  # Qt draws the PDF; no window is shown
    persons = list(options.person_ids) if options.person_ids else None
    written = export_certificates(db, options.activity_id, path, persons, style, progress)
    count = (len(dict.fromkeys(persons)) if persons
             else len(attended(db, options.activity_id)))
    return Written(Path(written), {"certificates": count})


def _certificates_name(db: Database, options: CertificatesOptions, style: DateStyle) -> str:
    return _docx(TEXT["certificates_name"].format(title=_title(db, options)))


# --- the periodic report ------------------------------------------------------------------

#: At a ministry centre, a report narrowed to the units a text names.
UNIT_OPTION = Option("--unit", "unit", metavar="UNIT", help=(
    "في مركز الوزارة: تقرير الوحدات التي يسمّيها هذا النص وحدها (بداية معرّف الوحدة أو كلمة "
    "من اسم مديريتها)",
    "at a ministry centre: the report of the units this text names only (a unit id's "
    "beginning or a word of its directorate)"))


def _narrowed_to_units(db: Database, where: Any, unit: str | None) -> Any:
    """``where`` (a list page's filter) with ``unit_id`` set to the units ``unit`` names
    (``--unit``); unchanged when it names none."""
    if not unit:
        return where
    from models.periodic import units_named

    return dataclasses.replace(where, unit_id=units_named(db, unit))


def _with_directorates(name: str, db: Database, where: Any, unit: str | None) -> str:
    """``name`` followed by the directorates a centre's report is narrowed to, so that
    one directorate's report does not take the name of another's (or of the whole)."""
    from models.periodic import units_named
    from models.unit_mode import units_label

    label = units_label(db, units_named(db, unit) if unit else getattr(where, "unit_id", None))
    return f"{name} - {short_title(label)}" if label else name


@dataclass(frozen=True)
class PeriodicOptions:
    """The periodic report of ``date_from``–``date_to`` (ISO): ``include_drafts`` counts
    drafts and marks them «مسودة»; ``sections`` gives each activity a section (None:
    by the period's length)."""

    date_from: str
    date_to: str
    include_drafts: bool = False
    sections: bool | None = None
    unit: str | None = None  # at a ministry centre: only the units this text names


def _write_periodic(db: Database, options: PeriodicOptions, path: Path,
                    progress: Progress | None) -> Written:
    from exporters.periodic_report import PeriodicReportOptions, write_periodic_report

    report = PeriodicReportOptions(include_drafts=bool(options.include_drafts),
                                   sections_per_activity=options.sections, unit=options.unit)
    return _path(write_periodic_report(db, options.date_from, options.date_to, path, report,
                                       progress=progress))


def _periodic_name(db: Database, options: PeriodicOptions, style: DateStyle) -> str:
    from models.periodic import period_label, report_name

    return _docx(_with_directorates(TEXT["periodic_name"].format(
        name=report_name(options.date_from, options.date_to),
        period=period_label(options.date_from, options.date_to, style)),
        db, None, options.unit))


def _periodic_subject(db: Database, options: PeriodicOptions, style: DateStyle) -> str:
    import datetime as dt

    from models.periodic import period_label

    period = period_label(options.date_from, options.date_to, style)
    first, last = parse_date(options.date_from), parse_date(options.date_to)
    one_month = (first.day == 1 and (first.year, first.month) == (last.year, last.month)
                 and (last + dt.timedelta(days=1)).day == 1)
    return TEXT["month_subject" if one_month else "periodic_subject"].format(period=period)


def _periodic_enclosure(db: Database, options: PeriodicOptions, style: DateStyle) -> str:
    from models.periodic import report_description

    return report_description(options.date_from, options.date_to, style)


# --- the covering letter ------------------------------------------------------------------

@dataclass(frozen=True)
class CoveringLetterOptions:
    """The official letter that carries ``report``: ``subject`` (without "م/"),
    ``addressee`` (None: the unit's), ``body`` (None: the usual sentence) and
    ``enclosures`` as the letter lists them (none: the report's own description).
    Writing numbers the letter and records it in the outbox."""

    report: Path
    subject: str
    addressee: str | None = None
    body: str | None = None
    enclosures: tuple[str, ...] = ()


def _write_letter(db: Database, options: CoveringLetterOptions, path: Path,
                  progress: Progress | None) -> Written:
    from exporters.letter import enclosure_description, write_letter

    # Typed enclosures are listed as typed; else the report's own description.
    enclosures = [e for e in options.enclosures if e.strip()] or \
        [enclosure_description(Path(options.report))]
    letter = write_letter(db, path, subject=options.subject, body=options.body,
                          addressee=options.addressee, enclosures=enclosures)
    return Written(path, {"number": letter.number, "year": letter.year,
                          "date": letter.date, "sha256": letter.sha256}, letter)


def _letter_name(db: Database, options: CoveringLetterOptions, style: DateStyle) -> str:
    return _docx(TEXT["letter_name"].format(
        subject=short_title(plain_subject(options.subject or ""))))


# --- the kinds, in the order of the app's menus ---------------------------------------------

register(DocumentKind(
    key="news", name="تقرير خبري", menu="تقرير خبري…",
    help=("التقرير الخبري لنشاط", "the news report of an activity"),
    needs=(ACTIVITY,), options=NewsOptions, write=_write_news, file_name=_news_name,
    letter_subject=_news_subject, enclosure=_news_enclosure))

register(DocumentKind(
    key="attendance", name="كشف الحضور", menu="كشف الحضور",
    help=("استمارة حضور نشاط", "the attendance sheet of an activity"),
    needs=(ACTIVITY,), options=AttendanceOptions, write=_write_attendance,
    file_name=_attendance_name))

register(DocumentKind(
    key="certificates", name="شهادات المشاركين", menu="شهادات المشاركين…",
    help=("شهادات مشاركي نشاط (‎.docx أو ‎.pdf)، وتُعطى أرقامها عند أول طباعة",
          "the certificates of an activity's attendees (.docx or .pdf), issuing serials on "
          "first print"),
    needs=(ACTIVITY,), options=CertificatesOptions, write=_write_certificates,
    file_name=_certificates_name, suffixes=(".docx", ".pdf"),
    arguments=(
        Option("--design", "design", kind="choice", choices=_designs, metavar="NAME",
               help=("التصميم: {choices} (إن لم يُذكر: تصميم النشاط أو الوحدة)",
                     "design: {choices} (default: the activity's or the unit's)")),
        Option("--person", "person_ids", kind="texts", metavar="ID", record=Person,
               help=("هذا المشارك وحده (يتكرر؛ إن لم يُذكر: كل من حضر)",
                     "only this attendee (repeatable; default: all who attended)")),
    )))

register(DocumentKind(
    key="periodic", name="تقرير دوري", menu="تقرير دوري…",
    help=("التقرير الدوري لمدة", "the periodic report of a period"),
    needs=(PERIOD,), options=PeriodicOptions, write=_write_periodic,
    file_name=_periodic_name, letter_subject=_periodic_subject,
    enclosure=_periodic_enclosure,
    arguments=(
        Option("--include-drafts", "include_drafts", kind="flag", help=(
            "عُدّ المسودات واذكرها أيضاً، كلٌّ معلَّمة «مسودة» (إن لم يُذكر: الأنشطة المعتمدة "
            "والمرسلة فقط)",
            "count and list draft activities too, each marked «مسودة» (default: approved "
            "and sent activities only)")),
        Option("--sections", "sections", kind="switch", help=(
            "قسم لكل نشاط (إن لم يُذكر: نعم لمدة ثلاثة أشهر فأقل، ولا لأطول منها)",
            "a section per activity (default: on for up to three months, off beyond)")),
        UNIT_OPTION,
    )))

register(DocumentKind(
    key="letter", name="كتاب رسمي", menu="كتاب رسمي…",
    help=("الكتاب الرسمي المرافق لتقرير", "the official covering letter of a report"),
    needs=(REPORT,), options=CoveringLetterOptions, write=_write_letter,
    file_name=_letter_name,
    arguments=(
        Option("--subject", "subject", required=True, metavar="TEXT",
               help=("الموضوع، يُكتب بعد «م/»", 'the subject, written after "م/"')),
        Option("--to", "addressee", metavar="ADDRESSEE", help=(
            "الجهة المرسل إليها (إن لم تُذكر: الجهة المعتادة للوحدة)",
            "the addressee (default: the unit's default addressee)")),
        Option("--enclosure", "enclosures", kind="texts", metavar="TEXT", help=(
            "مرفق كما يذكره الكتاب (يتكرر؛ إن لم يُذكر: وصف التقرير، أو اسم ملفه)",
            "an enclosure as the letter lists it (repeatable; default: the report's "
            "description, or its file name)")),
    )))


# --- the recommendations follow-up report -------------------------------------------------

@dataclass(frozen=True)
class RecommendationsOptions:
    """The follow-up report of the recommendations: those of ``status`` only (None: all),
    as they stand on ``today`` (ISO; None: the day it is written), narrowed by ``where``
    (a :class:`models.recommendations.RecommendationFilter`, the page's filters)."""

    status: str | None = None
    today: str | None = None
    where: Any = None
    unit: str | None = None  # at a ministry centre: only the units this text names


def _write_recommendations(db: Database, options: RecommendationsOptions, path: Path,
                           progress: Progress | None) -> Written:
    from exporters.recommendations_report import (
        RecommendationsReportOptions,
        write_recommendations_report,
    )
    from models.recommendations import RecommendationFilter

    report = RecommendationsReportOptions(
        status=options.status, today=parse_date(options.today) if options.today else None,
        where=_narrowed_to_units(db, options.where or RecommendationFilter(), options.unit))
    return _path(write_recommendations_report(db, path, report, progress))


def _recommendations_name(db: Database, options: RecommendationsOptions,
                          style: DateStyle) -> str:
    import datetime as dt

    from models.vocab import RECOMMENDATION_STATUSES

    name = TEXT["recommendations_name"].format(
        date=_date_text(options.today or dt.date.today().isoformat(), style))
    if options.status:
        name += f" - {RECOMMENDATION_STATUSES.get(options.status, options.status)}"
    return _docx(_with_directorates(name, db, options.where, options.unit))


def _recommendation_statuses() -> dict[str, str]:
    from models.vocab import RECOMMENDATION_STATUSES

    return RECOMMENDATION_STATUSES


TEXT["recommendations_name"] = "متابعة التوصيات - {date}"

register(DocumentKind(
    key="recommendations", name="تقرير متابعة التوصيات", menu="تقرير متابعة التوصيات",
    help=("تقرير متابعة التوصيات: كل توصية ومصدرها وحالتها وآخر متابعة لها",
          "the recommendations follow-up report: each one, where it came from, its status "
          "and its last note"),
    needs=(), options=RecommendationsOptions, write=_write_recommendations,
    file_name=_recommendations_name,
    arguments=(
        Option("--status", "status", kind="choice", choices=_recommendation_statuses,
               metavar="S", help=("التوصيات بهذه الحالة وحدها: {choices} (إن لم تُذكر: كلها)",
                                  "only the recommendations in this status: {choices} "
                                  "(default: all)")),
        UNIT_OPTION,
    )))


# --- the media monitoring report ----------------------------------------------------------

@dataclass(frozen=True)
class MonitoringOptions:
    """The media monitoring report of ``date_from``–``date_to`` (ISO): counts by medium,
    level and tone, their charts, a timeline and the items; ``where`` (a
    :class:`models.coverage.CoverageFilter`, the page's filters) narrows the items."""

    date_from: str
    date_to: str
    where: Any = None
    unit: str | None = None  # at a ministry centre: only the units this text names


def _write_monitoring(db: Database, options: MonitoringOptions, path: Path,
                      progress: Progress | None) -> Written:
    from exporters.monitoring_report import MonitoringReportOptions, write_monitoring_report
    from models.coverage import CoverageFilter

    where = _narrowed_to_units(db, options.where or CoverageFilter(), options.unit)
    return _path(write_monitoring_report(db, options.date_from, options.date_to, path,
                                         MonitoringReportOptions(where=where), progress))


def _monitoring_name(db: Database, options: MonitoringOptions, style: DateStyle) -> str:
    from models.periodic import period_label

    return _docx(_with_directorates(TEXT["monitoring_name"].format(
        period=period_label(options.date_from, options.date_to, style)),
        db, options.where, options.unit))


TEXT["monitoring_name"] = "الرصد الإعلامي - {period}"

register(DocumentKind(
    key="monitoring", name="تقرير الرصد الإعلامي", menu="تقرير الرصد الإعلامي…",
    help=("تقرير الرصد الإعلامي لمدة: الأعداد بحسب الوسيلة والمستوى والاتجاه ومخططاتها",
          "the media monitoring report of a period: counts by medium, level and tone, "
          "with charts"),
    needs=(PERIOD,), options=MonitoringOptions, write=_write_monitoring,
    file_name=_monitoring_name, arguments=(UNIT_OPTION,)))


# --- the communication plan and plan against actual ---------------------------------------

@dataclass(frozen=True)
class PlanOptions:
    """A communication plan's documents: the plan ``plan_id``, and for plan against
    actual the day it stands on, ``today`` (ISO; None: the day it is written)."""

    plan_id: str
    today: str | None = None


def _plan_report_options(options: PlanOptions) -> Any:
    from exporters.plan_report import PlanReportOptions

    return PlanReportOptions(today=parse_date(options.today) if options.today else None)


def _write_plan(db: Database, options: PlanOptions, path: Path,
                progress: Progress | None) -> Written:
    from exporters.plan_report import write_plan

    return _path(write_plan(db, options.plan_id, path, _plan_report_options(options),
                            progress))


def _write_plan_vs_actual(db: Database, options: PlanOptions, path: Path,
                          progress: Progress | None) -> Written:
    import datetime as dt

    from exporters.plan_report import PlanReportOptions, write_plan_vs_actual
    from models.plans import plan_vs_actual

    # One "today" for the document and the counts ``--json`` adds.
    today = parse_date(options.today) if options.today else dt.date.today()
    written = write_plan_vs_actual(db, options.plan_id, path,
                                   PlanReportOptions(today=today), progress)
    counts = plan_vs_actual(db, options.plan_id, today=today).counts
    return Written(Path(written), {"counts": counts})


def _plan_name(db: Database, options: PlanOptions, style: DateStyle) -> str:
    return _docx(short_title(store.get(db, Plan, options.plan_id).title))


def _plan_vs_actual_name(db: Database, options: PlanOptions, style: DateStyle) -> str:
    title = short_title(store.get(db, Plan, options.plan_id).title)
    return _docx(TEXT["plan_vs_actual_name"].format(title=title))


TEXT["plan_vs_actual_name"] = "المخطط والمنفذ - {title}"

register(DocumentKind(
    key="plan", name="مخطط الاتصال", menu="مخطط الاتصال",
    help=("مخطط الاتصال: فقراته في جدول", "the communication plan: its items in a table"),
    needs=(PLAN,), options=PlanOptions, write=_write_plan, file_name=_plan_name))

register(DocumentKind(
    key="plan-vs-actual", name="المخطط والمنفذ", menu="المخطط والمنفذ",
    help=("المخطط والمنفذ: ما نُفذ في موعده ومتأخراً وما لم يُنفذ، والنشاطات من خارج المخطط",
          "plan against actual: items done on time, late, not done, and the activities "
          "that were not in the plan"),
    needs=(PLAN,), options=PlanOptions, write=_write_plan_vs_actual,
    file_name=_plan_vs_actual_name))


# --- the network's two-month plan (at a ministry centre) ----------------------------------

@dataclass(frozen=True)
class NetworkPlanOptions:
    """The network's plan of ``date_from``–``date_to`` (ISO; both None: this month and the
    next) as it stands on ``today`` (ISO; None: the day it is written). Its period is a
    choice, not a need: without one it is the network's two-month cycle."""

    date_from: str | None = None
    date_to: str | None = None
    today: str | None = None


def _write_network_plan(db: Database, options: NetworkPlanOptions, path: Path,
                        progress: Progress | None) -> Written:
    from exporters.network_plan_report import NetworkPlanReportOptions, write_network_plan
    from models.network_plan import network_plan

    today = parse_date(options.today) if options.today else None
    written = write_network_plan(db, path, NetworkPlanReportOptions(
        date_from=options.date_from, date_to=options.date_to, today=today), progress)
    plan = network_plan(db, options.date_from, options.date_to, today=today)
    return Written(Path(written), {
        "from": plan.start, "to": plan.end, "items": len(plan.items),
        "clashes": len(plan.clashes), "without_message": plan.no_message,
        "without_owner": plan.no_owner})


def _network_plan_name(db: Database, options: NetworkPlanOptions, style: DateStyle) -> str:
    from models.network_plan import period_of
    from models.periodic import period_label

    today = parse_date(options.today) if options.today else None
    start, end = period_of(options.date_from, options.date_to, today=today)
    return _docx(TEXT["network_plan_name"].format(period=period_label(start, end, style)))


TEXT["network_plan_name"] = "مخطط الشبكة - {period}"

register(DocumentKind(
    key="network-plan", name="مخطط الشبكة", menu="مخطط الشبكة", in_general_menu=False,
    help=("مخطط الشبكة: فقرات مخططات الوحدات بحسب التاريخ، والتعارض بينها، والفقرات بلا "
          "رسالة أو جهة مسؤولة (في مركز الوزارة)",
          "the network's plan: the units' plan items by date, the clashes between them, "
          "and the items without a key message or an owner (at a ministry centre)"),
    needs=(), options=NetworkPlanOptions, write=_write_network_plan,
    file_name=_network_plan_name,
    arguments=(
        Option("--from", "date_from", metavar="DATE", help=(
            "أول يوم في المدة (مع --to؛ إن لم يُذكرا: هذا الشهر والذي يليه)",
            "the period's first day (with --to; default: this month and the next)")),
        Option("--to", "date_to", metavar="DATE", help=(
            "آخر يوم في المدة (مع --from)", "the period's last day (with --from)")),
    )))
