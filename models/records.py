"""The records Ittisal keeps, as plain dataclasses, and the rules each must satisfy.

Every record has a UUID ``id`` (so the ministry can merge many directorates' data),
``created_at`` and ``updated_at``; records that belong to a unit also carry the origin
``unit_id`` and a ``deleted_at`` tombstone (the recycle bin, and deletions that travel).

Field rules live in each field's metadata (label, type, limits); :func:`clean` folds the
text a user typed, normalises dates to ISO, and :func:`problems` lists every broken rule
as a :class:`ValidationError` naming the field. The widgets show these; they never
re-implement them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from models import vocab
from models.arabic import fold_input, name_key, phone_key
from models.dates import parse_date
from models.errors import ValidationError

MIN_YEAR, MAX_YEAR = 1950, 2100
SHORT, MEDIUM, LONG, HUGE = 300, 2_000, 20_000, 200_000
MAX_COUNT = 1_000_000
MAX_LIST_ITEMS = 100

# The messages shown to users, in one place. {label} is the field's Arabic label.
_AR = {
    "required": "الحقل «{label}» مطلوب ولا يمكن أن يكون فارغاً.",
    "too_long": "الحقل «{label}» أطول من المسموح ({limit} حرفاً).",
    "bad_date": "التاريخ في «{label}» غير صحيح؛ اكتبه بالشكل سنة-شهر-يوم، مثل 2026-11-23.",
    "date_range": "التاريخ في «{label}» يجب أن يقع بين سنة {lo} وسنة {hi}.",
    "end_before_start": "تاريخ الانتهاء لا يمكن أن يسبق تاريخ البدء.",
    "unknown_choice": "القيمة «{value}» غير معروفة في «{label}».",
    "negative": "الحقل «{label}» لا يقبل عدداً سالباً.",
    "too_big": "العدد في «{label}» أكبر من المعقول.",
    "not_number": "الحقل «{label}» يجب أن يكون عدداً صحيحاً.",
    "too_many": "القائمة «{label}» تتجاوز {limit} عنصراً.",
    "bad_phone": "رقم الهاتف في «{label}» يجب أن يحوي أرقاماً فقط (مع + أو - أو مسافات).",
    "short_phone": "رقم الهاتف في «{label}» قصير جداً؛ اكتبه كاملاً (ثلاثة أرقام في الأقل)، "
                   "مثل 07701234567.",
    "bad_email": "البريد الإلكتروني في «{label}» غير صحيح.",
    "bad_link": "الرابط في «{label}» يجب أن يبدأ بـ http:// أو https://.",
    "bad_code": "«{label}» يُكتب بحروف لاتينية وأرقام وشَرطة فقط، مثل KRB أو KRB-EDU.",
}
_EN = {
    "required": "{name} is required and cannot be empty.",
    "too_long": "{name} is longer than {limit} characters.",
    "bad_date": "{name} is not a valid date; use YYYY-MM-DD, e.g. 2026-11-23.",
    "date_range": "{name} must fall between {lo} and {hi}.",
    "end_before_start": "The end date cannot be before the start date.",
    "unknown_choice": "{value!r} is not a known value for {name}.",
    "negative": "{name} cannot be negative.",
    "too_big": "{name} is unreasonably large.",
    "not_number": "{name} must be a whole number.",
    "too_many": "{name} has more than {limit} items.",
    "bad_phone": "{name} may hold only digits, +, - and spaces.",
    "short_phone": "{name} is too short; write the whole number (at least three digits), "
                   "e.g. 07701234567.",
    "bad_email": "{name} is not a valid e-mail address.",
    "bad_link": "{name} must start with http:// or https://.",
    "bad_code": "{name} takes Latin letters, digits and dashes only, e.g. KRB.",
}

# Digits in any script with the separators people type: spaces, dashes, dots, brackets,
# and / or a comma between two numbers ("07701234567 / 07801234567"); a space may follow
# the plus ("+ 964 …").
_PHONE = re.compile(r"^\+? ?[0-9٠-٩۰-۹(][0-9٠-٩۰-۹ ()./،,\-]*$")
# Fewer digits than this is a number cut short, not a phone (the shortest real ones are
# three-digit services such as 104 or 911).
MIN_PHONE_DIGITS = 3
_PHONE_DIGIT = re.compile(r"[0-9٠-٩۰-۹]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def new_id() -> str:
    """A fresh random UUID, as text."""
    import uuid  # at the first new record: uuid loads platform, 2.5 ms a start need not pay

    return str(uuid.uuid4())


def now() -> str:
    """The current UTC time as ISO 8601 text, to the millisecond."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- field declarations ---------------------------------------------------------------

def _meta(label: str, type_: str, **rules: Any) -> dict[str, Any]:
    return {"label": label, "type": type_, **rules}


def text_field(label: str, *, limit: int = SHORT, required: bool = False,
         multiline: bool = False) -> Any:
    """A text field: folded on input, bounded in length."""
    return field(default="", metadata=_meta(label, "text", limit=limit, required=required,
                                            multiline=multiline))


def choice_field(label: str, options: dict[str, str], default: str, *,
           optional: bool = False) -> Any:
    """A field whose value is one key of a vocabulary."""
    return field(default=default, metadata=_meta(label, "choice", options=options,
                                                 optional=optional))


def date_field(label: str, *, required: bool = False) -> Any:
    """A date, stored as ISO ``YYYY-MM-DD`` text, or None."""
    return field(default=None, metadata=_meta(label, "date", required=required))


def count_field(label: str, default: int | None = None) -> Any:
    """A non-negative whole number, or None when unknown."""
    return field(default=default, metadata=_meta(label, "count"))


def text_list_field(label: str, *, limit: int = SHORT) -> Any:
    """A list of short texts (partners, lecturers, channels)."""
    return field(default_factory=list, metadata=_meta(label, "list", limit=limit))


def ref_field(label: str) -> Any:
    """The id of another record, or None."""
    return field(default=None, metadata=_meta(label, "ref"))


def flag_field(label: str) -> Any:
    """A yes/no value."""
    return field(default=False, metadata=_meta(label, "flag"))


def code_field(label: str, limit: int) -> Any:
    """A short code people type and compare (a serial's prefix): Latin letters, digits
    and dashes, so it reads the same on paper, on screen and in a verifier."""
    return field(default="", metadata=_meta(label, "code", limit=limit))


def phone_field(label: str) -> Any:
    """A phone number as typed (kept as text so it never shows as 1٬234)."""
    return field(default="", metadata=_meta(label, "phone", limit=60))


def email_field(label: str) -> Any:
    """An e-mail address."""
    return field(default="", metadata=_meta(label, "email", limit=200))


def link_field(label: str) -> Any:
    """A web address."""
    return field(default="", metadata=_meta(label, "link", limit=MEDIUM))


def system_field(default: Any = None, factory: Any = None) -> Any:
    """A field the data layer fills (ids, timestamps); never validated as input."""
    if factory is not None:
        return field(default_factory=factory, metadata={"type": "system"})
    return field(default=default, metadata={"type": "system"})


# --- records --------------------------------------------------------------------------

@dataclass(kw_only=True)
class Record:
    """Fields every record has."""

    table: ClassVar[str] = ""
    id: str = system_field(factory=new_id)
    created_at: str = system_field("")
    updated_at: str = system_field("")

    def derived(self) -> dict[str, Any]:
        """Columns stored beside the fields, computed from them (lookup keys)."""
        return {}


@dataclass(kw_only=True)
class UnitRecord(Record):
    """A record that belongs to (and came from) a unit, and can be deleted softly."""

    unit_id: str = system_field("")
    deleted_at: str | None = system_field(None)


@dataclass(kw_only=True)
class Unit(Record):
    """The identity and preferences of a communication unit."""

    table: ClassVar[str] = "units"
    # The line every document opens with; empty prints none (a unit of no state line).
    state: str = field(default="جمهورية العراق",
                       metadata=_meta("الدولة", "text", limit=SHORT, required=False,
                                      multiline=False))
    ministry: str = text_field("الوزارة")
    directorate: str = text_field("المديرية")
    name: str = text_field("الوحدة")
    city: str = text_field("المدينة")
    head_name: str = text_field("اسم مدير الوحدة")
    head_title: str = text_field("عنوان مدير الوحدة")
    coordinator_name: str = text_field("اسم منسق الاتصال")
    coordinator_title: str = text_field("عنوان منسق الاتصال")
    logo_path: str = text_field("الشعار", limit=MEDIUM)
    letterhead_path: str = text_field("الترويسة", limit=MEDIUM)
    signature_path: str = text_field("التوقيع أو الختم", limit=MEDIUM)
    default_addressee: str = field(default="مركز المعلومات الموحد",
                                   metadata=_meta("الجهة المرسل إليها", "text", limit=SHORT,
                                                  required=False, multiline=False))
    months: str = choice_field("أسماء الأشهر", vocab.MONTH_STYLES, "iraqi")
    digits: str = choice_field("شكل الأرقام", vocab.DIGIT_STYLES, "arabic")
    hijri: bool = flag_field("التاريخ الهجري")
    certificate_prefix: str = code_field("بادئة أرقام الشهادات", limit=20)

    @property
    def is_blank(self) -> bool:
        """True until someone has entered the unit's identity."""
        return not (self.name or self.directorate or self.ministry)


@dataclass(kw_only=True)
class Activity(UnitRecord):
    """A workshop, course, meeting, coverage… that the unit organised or attended."""

    table: ClassVar[str] = "activities"
    kind: str = choice_field("نوع النشاط", vocab.ACTIVITY_KINDS, "workshop")
    title: str = text_field("عنوان النشاط", limit=500, required=True)
    start_date: str | None = date_field("تاريخ البدء", required=True)
    end_date: str | None = date_field("تاريخ الانتهاء")
    place: str = text_field("المكان")
    organiser: str = text_field("الجهة المنظمة")
    partners: list[str] = text_list_field("بالتعاون مع")
    lecturers: list[str] = text_list_field("المحاضرون")
    summary: str = text_field("الملخص", limit=LONG, multiline=True)
    objectives: str = text_field("الأهداف", limit=LONG, multiline=True)
    participants_count: int | None = count_field("عدد المشاركين")
    status: str = choice_field("الحالة", vocab.ACTIVITY_STATUSES, "draft")
    news_text: str = text_field("نص التقرير الخبري", limit=HUGE, multiline=True)

    @property
    def days(self) -> int:
        """How many calendar days the activity spans (1 for a one-day activity)."""
        if not self.start_date:
            return 1
        end = self.end_date or self.start_date
        return (dt.date.fromisoformat(end) - dt.date.fromisoformat(self.start_date)).days + 1


@dataclass(kw_only=True)
class Person(UnitRecord):
    """Someone who attends activities: the four-part name and where they come from."""

    table: ClassVar[str] = "persons"
    full_name: str = text_field("الاسم الرباعي", limit=200, required=True)
    gender: str = choice_field("الجنس", vocab.GENDERS, "", optional=True)
    gender_guessed: bool = flag_field("الجنس مخمّن")
    job_title: str = text_field("العنوان الوظيفي")
    entity: str = text_field("الجهة")
    phone: str = phone_field("الهاتف")
    email: str = email_field("البريد الإلكتروني")
    notes: str = text_field("ملاحظات", limit=MEDIUM, multiline=True)

    def derived(self) -> dict[str, Any]:
        return {"name_key": name_key(self.full_name), "phone_key": phone_key(self.phone)}


@dataclass(kw_only=True)
class Attendance(UnitRecord):
    """A person on an activity's attendance list, with the days they came (1-based)."""

    table: ClassVar[str] = "attendance"
    activity_id: str | None = ref_field("النشاط")
    person_id: str | None = ref_field("المشارك")
    days: list[int] = field(default_factory=list, metadata=_meta("أيام الحضور", "days"))


@dataclass(kw_only=True)
class Recommendation(UnitRecord):
    """A recommendation raised at an activity, to whom, and how far it has gone."""

    table: ClassVar[str] = "recommendations"
    activity_id: str | None = ref_field("النشاط")
    text: str = text_field("نص التوصية", limit=MEDIUM, required=True, multiline=True)
    addressed_to: str = text_field("الجهة المرفوعة إليها")
    due_date: str | None = date_field("تاريخ الاستحقاق")
    status: str = choice_field("حالة التنفيذ", vocab.RECOMMENDATION_STATUSES, "raised")
    # Free text from before follow-up notes (RecommendationNote) existed: schema v10
    # copied it into each recommendation's first note. Kept so an older writer's text
    # still shows as the last note of a recommendation that has none.
    follow_up: str = text_field("ملاحظات المتابعة", limit=LONG, multiline=True)
    position: int | None = count_field("الترتيب")


@dataclass(kw_only=True)
class RecommendationNote(UnitRecord):
    """One dated follow-up note of a recommendation, and the status it was given then
    ('' when the note left the status as it was)."""

    table: ClassVar[str] = "recommendation_notes"
    recommendation_id: str | None = ref_field("التوصية")
    date: str | None = date_field("تاريخ المتابعة", required=True)
    note: str = text_field("ملاحظة المتابعة", limit=LONG, required=True, multiline=True)
    status: str = choice_field("حالة التنفيذ", vocab.RECOMMENDATION_STATUSES, "",
                               optional=True)


@dataclass(kw_only=True)
class Plan(UnitRecord):
    """A communication plan for a period, usually the current and the next month."""

    table: ClassVar[str] = "plans"
    title: str = text_field("عنوان المخطط", limit=500, required=True)
    period_start: str | None = date_field("بداية المدة", required=True)
    period_end: str | None = date_field("نهاية المدة", required=True)
    status: str = choice_field("الحالة", vocab.PLAN_STATUSES, "draft")
    notes: str = text_field("ملاحظات", limit=LONG, multiline=True)


@dataclass(kw_only=True)
class PlanItem(UnitRecord):
    """One planned event or campaign, in the OASIS shape, and what came of it."""

    table: ClassVar[str] = "plan_items"
    plan_id: str | None = ref_field("المخطط")
    title: str = text_field("الفعالية", limit=500, required=True)
    objective: str = text_field("الهدف", limit=MEDIUM, multiline=True)
    audience: str = text_field("الجمهور المستهدف", limit=MEDIUM)
    insight: str = text_field("فهم الجمهور", limit=MEDIUM, multiline=True)
    strategy: str = text_field("الاستراتيجية", limit=MEDIUM, multiline=True)
    channels: list[str] = text_list_field("القنوات")
    date: str | None = date_field("التاريخ")
    owner: str = text_field("الجهة المسؤولة")
    priority: str = choice_field("الأولوية", vocab.PRIORITIES, "medium")
    status: str = choice_field("الحالة", vocab.PLAN_ITEM_STATUSES, "planned")
    outputs: str = text_field("المخرجات", limit=MEDIUM, multiline=True)
    outtakes: str = text_field("الأثر المباشر", limit=MEDIUM, multiline=True)
    outcomes: str = text_field("النتائج", limit=MEDIUM, multiline=True)
    activity_id: str | None = ref_field("النشاط المنفذ")
    key_message: str = text_field("الرسالة الرئيسية", limit=MEDIUM, multiline=True)
    tactic: str = text_field("التكتيك", limit=MEDIUM, multiline=True)
    partners: str = text_field("الشركاء", limit=MEDIUM)
    measure_kind: str = choice_field("مستوى مقياس النجاح", vocab.MEASURE_KINDS, "",
                                     optional=True)
    measure_target: str = text_field("المستهدف", limit=MEDIUM)


@dataclass(kw_only=True)
class CoverageItem(UnitRecord):
    """One item of media coverage: where it ran, at what level, in what tone."""

    table: ClassVar[str] = "coverage_items"
    date: str | None = date_field("تاريخ النشر", required=True)
    outlet: str = text_field("الوسيلة الإعلامية")
    medium: str = choice_field("نوع الوسيلة", vocab.MEDIA, "website")
    level: str = choice_field("المستوى", vocab.LEVELS, "local")
    tone: str = choice_field("الاتجاه", vocab.TONES, "neutral")
    title: str = text_field("العنوان", limit=500, required=True)
    topic: str = text_field("الموضوع")
    link: str = link_field("الرابط")
    activity_id: str | None = ref_field("النشاط")
    notes: str = text_field("ملاحظات", limit=MEDIUM, multiline=True)
    reach: int | None = count_field("الوصول")


@dataclass(kw_only=True)
class Outlet(UnitRecord):
    """A media outlet in the unit's directory: its medium, level and web domain."""

    table: ClassVar[str] = "outlets"
    name: str = text_field("الوسيلة الإعلامية", required=True)
    medium: str = choice_field("نوع الوسيلة", vocab.MEDIA, "website")
    level: str = choice_field("المستوى", vocab.LEVELS, "local")
    domain: str = text_field("النطاق", limit=253)
    notes: str = text_field("ملاحظات", limit=MEDIUM, multiline=True)


@dataclass(kw_only=True)
class Attachment(UnitRecord):
    """A file (a photo, a scan) kept by its content hash in the data folder."""

    table: ClassVar[str] = "attachments"
    owner_type: str = text_field("نوع السجل", limit=40)
    owner_id: str | None = ref_field("السجل")
    sha256: str = text_field("البصمة", limit=64, required=True)
    filename: str = text_field("اسم الملف", limit=255, required=True)
    mime: str = text_field("نوع الملف", limit=100)
    size: int | None = count_field("الحجم")
    caption: str = text_field("التعليق", limit=MEDIUM)
    position: int | None = count_field("الترتيب")


@dataclass(kw_only=True)
class Certificate(UnitRecord):
    """A certificate of participation: its serial, code and printing history."""

    table: ClassVar[str] = "certificates"
    person_id: str | None = ref_field("المشارك")
    activity_id: str | None = ref_field("النشاط")
    serial: str = text_field("الرقم التسلسلي", limit=60, required=True)
    code: str = text_field("رمز التحقق", limit=200)
    holder_name: str = text_field("اسم حامل الشهادة", limit=200)
    signature: str = text_field("التوقيع الرقمي", limit=500)
    issued_at: str = system_field("")
    reprints: int = count_field("مرات إعادة الطباعة", 0)
    revision: int = count_field("المراجعة", 0)
    # The person's name when the certificate was last signed (see models.certificates).
    person_name: str = system_field("")


RECORD_TYPES: tuple[type[Record], ...] = (
    Unit, Activity, Person, Attendance, Recommendation, RecommendationNote, Plan, PlanItem,
    CoverageItem, Outlet, Attachment, Certificate,
)


# --- cleaning and validation ----------------------------------------------------------

def input_fields(record_type: type[Record]) -> list[dataclasses.Field]:
    """The fields a user fills, in declaration order."""
    return [f for f in dataclasses.fields(record_type) if f.metadata.get("type") != "system"]


def label(record_type: type[Record], name: str) -> str:
    """The Arabic label of a field."""
    for f in dataclasses.fields(record_type):
        if f.name == name:
            return f.metadata.get("label", name)
    raise KeyError(name)


def _error(f: dataclasses.Field, key: str, **values: Any) -> ValidationError:
    values.setdefault("label", f.metadata.get("label", f.name))
    values.setdefault("name", f.name)
    return ValidationError(f.name, _AR[key].format(**values), _EN[key].format(**values))


def _clean_value(f: dataclasses.Field, value: Any) -> Any:
    kind = f.metadata.get("type")
    if kind in ("text", "phone", "email", "link") and isinstance(value, str):
        return fold_input(value, multiline=f.metadata.get("multiline", False))
    if kind == "code" and isinstance(value, str):
        return fold_input(value).translate(_DIGITS)
    if kind == "list" and isinstance(value, list | tuple):
        items = (fold_input(v) if isinstance(v, str) else v for v in value)
        return [v for v in items if v != ""]
    if kind == "date" and isinstance(value, str | dt.date):
        if isinstance(value, str) and not fold_input(value):
            return None
        try:
            return parse_date(value).isoformat()
        except ValueError:
            return fold_input(value) if isinstance(value, str) else value
    if kind == "count" and isinstance(value, str):
        stripped = fold_input(value)
        if stripped == "":
            return None
        try:
            return int(stripped.translate(_DIGITS))
        except ValueError:
            return stripped
    return value


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def clean(record: Record) -> Record:
    """A copy with text folded (presentation forms, controls, spaces) and dates in ISO."""
    changes = {f.name: _clean_value(f, getattr(record, f.name)) for f in input_fields(
        type(record))}
    return dataclasses.replace(record, **changes)


def _field_problem(f: dataclasses.Field, value: Any) -> ValidationError | None:
    meta = f.metadata
    kind = meta.get("type")
    empty = value is None or value == "" or value == []
    if meta.get("required") and empty:
        return _error(f, "required")
    if empty:
        return None
    if kind in ("text", "phone", "email", "link", "code"):
        if not isinstance(value, str):
            return _error(f, "required")
        if len(value) > meta["limit"]:
            return _error(f, "too_long", limit=meta["limit"])
        if kind == "phone" and not _PHONE.match(value):
            return _error(f, "bad_phone")
        if kind == "phone" and len(_PHONE_DIGIT.findall(value)) < MIN_PHONE_DIGITS:
            return _error(f, "short_phone")
        if kind == "email" and not _EMAIL.match(value):
            return _error(f, "bad_email")
        if kind == "code" and not re.fullmatch(r"[A-Za-z0-9-]+", value):
            return _error(f, "bad_code")
        if kind == "link" and not re.match(r"^https?://\S+$", value, re.IGNORECASE):
            return _error(f, "bad_link")
    elif kind == "choice":
        if value not in meta["options"]:
            return _error(f, "unknown_choice", value=value)
    elif kind == "date":
        try:
            day = dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None or len(value) != 10:
            return _error(f, "bad_date")
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            return _error(f, "date_range", lo=MIN_YEAR, hi=MAX_YEAR)
    elif kind == "count":
        if isinstance(value, bool) or not isinstance(value, int):
            return _error(f, "not_number")
        if value < 0:
            return _error(f, "negative")
        if value > MAX_COUNT:
            return _error(f, "too_big")
    elif kind == "list":
        if len(value) > MAX_LIST_ITEMS:
            return _error(f, "too_many", limit=MAX_LIST_ITEMS)
        for item in value:
            if not isinstance(item, str) or len(item) > meta["limit"]:
                return _error(f, "too_long", limit=meta["limit"])
    elif kind == "days":
        if (len(value) > 366 or
                any(isinstance(d, bool) or not isinstance(d, int) or d < 1 for d in value)):
            return _error(f, "negative")
    return None


def problems(record: Record) -> list[ValidationError]:
    """Every rule the (cleaned) record breaks, one error per field, in field order."""
    found = [p for f in input_fields(type(record))
             if (p := _field_problem(f, getattr(record, f.name))) is not None]
    start, end = getattr(record, "start_date", None), getattr(record, "end_date", None)
    if start is None and isinstance(record, Plan):
        start, end = record.period_start, record.period_end
    bad = {p.field for p in found}
    if start and end and not bad & {"start_date", "end_date", "period_start", "period_end"}:
        if end < start:
            end_field = "end_date" if isinstance(record, Activity) else "period_end"
            f = next(f for f in dataclasses.fields(record) if f.name == end_field)
            found.append(_error(f, "end_before_start"))
    return found


def validate(record: Record) -> Record:
    """Clean the record and raise the first broken rule; return the cleaned record."""
    cleaned = clean(record)
    found = problems(cleaned)
    if found:
        raise found[0]
    return cleaned
