"""What a certificate says and how it is dressed: the unit's (or an activity's) style,
the body sentence with its fields and gender grammar.

A :class:`CertificateStyle` holds the user's choices: the design (one of
:data:`DESIGNS`), the title ("شهادة مشاركة"), the body sentence, up to two logos, up to
three signatories, a background image and the font. The unit's default is stored in the
setting ``certificate_style`` (it is the unit's, like its other settings, not a record);
an activity may have its own, a row of the ``certificate_styles`` table, which goes when
the activity is purged. Image files are stored as references relative to the database's
folder (:func:`models.attachments.reference`).

**The body sentence** is a template:

- ``{name}``, ``{activity}``, ``{kind}``, ``{place}``, ``{start}``, ``{end}``, ``{days}``,
  ``{period}``, ``{entity}`` (the attendee's), ``{organiser}`` (the activity's, or the
  unit's name): see :data:`FIELDS`.
- ``{masculine/feminine}`` — two words split by ``/`` — picks by the attendee's gender:
  ``{السيد/السيدة}``، ``{شارك/شاركت}``، ``{المشارك/المشاركة}``. A person without a recorded
  gender gets the one their first name suggests (:func:`models.arabic.guess_gender`), else
  the masculine, as Arabic does for an unknown person.
- ``[ ... ]`` is an optional part, left out whole when a field inside it is empty
  ("[من {entity}]" disappears for someone with no entity).

The name is shown large on its own line: the rendered sentence is split at ``{name}`` into
the part before (:attr:`Wording.lead`) and after (:attr:`Wording.body`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any

from models import vocab
from models.arabic import apply_digits, fold_input, guess_gender
from models.dates import DateStyle, days_phrase
from models.db import Database
from models.errors import NotFoundError, ValidationError
from models.records import Activity, Person, Unit, now
from models.wording import (
    date_phrase,
    has_quotes,
    period_phrase,
    quote,
    starts_with_preposition,
    tidy_quotes,
    title_names_kind,
)

__all__ = [
    "DEFAULT_BODY",
    "DESIGNS",
    "FIELDS",
    "FONTS",
    "MAX_LOGOS",
    "MAX_SIGNATORIES",
    "TITLES",
    "CertificateStyle",
    "Signatory",
    "Wording",
    "Wordings",
    "clear_activity_style",
    "field_values",
    "gender_of",
    "has_activity_style",
    "load_style",
    "render",
    "save_style",
    "signatories_for",
    "style_problems",
    "wording",
]

# Built-in designs, by key, with the name the user sees.
DESIGNS: dict[str, str] = {
    "formal": "رسمي بإطار مزخرف",
    "modern": "حديث بشريط ملوّن",
    "minimal": "بسيط",
}
TITLES: tuple[str, ...] = ("شهادة مشاركة", "شهادة تقدير", "شهادة حضور")
# Fonts shipped in resources/fonts, by family name, with the name the user sees.
FONTS: dict[str, str] = {"Amiri": "أميري (نسخ)", "Noto Sans Arabic UI": "نوتو (حديث)"}
MAX_LOGOS = 2
MAX_SIGNATORIES = 3
MAX_TITLE = 60
MAX_BODY = 1000

DEFAULT_BODY = (
    "تُمنح هذه الشهادة إلى {السيد/السيدة} {name}[ من {entity}] تقديراً "
    "{لمشاركته/لمشاركتها} في {kind} «{activity}»[ في {place}] "
    "{period}."
)

# The fields a template may name, with what each holds (shown in the style editor).
FIELDS: dict[str, str] = {
    "name": "اسم المشارك",
    "activity": "عنوان النشاط",
    "kind": "نوع النشاط",
    "place": "المكان",
    "start": "تاريخ البدء",
    "end": "تاريخ الانتهاء",
    "days": "المدة بالأيام",
    "period": "يوم كذا، أو للمدة ٢٢–٢٣ تشرين الثاني …",
    "entity": "جهة المشارك",
    "organiser": "الجهة المنظمة",
}

STYLE_SETTING = "certificate_style"

MSG = {
    "design": ("التصميم «{value}» غير معروف.", "Unknown design {value!r}."),
    "font": ("الخط «{value}» غير متوفر.", "Font {value!r} is not available."),
    "title_empty": ("عنوان الشهادة فارغ.", "The certificate title is empty."),
    "title_long": ("عنوان الشهادة أطول من {n} حرفاً.", "The title is longer than {n} letters."),
    "body_empty": ("نص الشهادة فارغ.", "The certificate text is empty."),
    "body_long": ("نص الشهادة أطول من {n} حرف.", "The text is longer than {n} letters."),
    "unknown_field": ("الحقل {{{value}}} غير معروف. الحقول المتاحة: {known}.",
                      "Unknown field {{{value}}}. Known fields: {known}."),
    "braces": ("في نص الشهادة قوس {{ أو }} بلا مقابل.",
               "The text has a {{ or }} without its pair."),
    "brackets": ("في نص الشهادة قوس [ أو ] بلا مقابل.",
                 "The text has a [ or ] without its pair."),
    "logos": ("يمكن وضع شعارين على الأكثر.", "At most two logos."),
    "signatories": ("يمكن وضع ثلاثة موقّعين على الأكثر.", "At most three signatories."),
    "signatory_name": ("الموقّع رقم {n} بلا اسم.", "Signatory {n} has no name."),
    "no_activity": ("النشاط المطلوب غير موجود (ربما حُذف نهائياً)، فلم يُحفظ تنسيق شهادته.",
                    "No activity {value}: perhaps purged; its certificate style was not "
                    "saved."),
}


def _problem(field_name: str, key: str, **values: Any) -> ValidationError:
    arabic, english = MSG[key]
    return ValidationError(field_name, arabic.format(**values), english.format(**values))


@dataclass
class Signatory:
    """Someone who signs: name, title, and an optional scanned signature (a reference)."""

    name: str = ""
    title: str = ""
    signature: str = ""


def signatories_for(style_signatories: list[Signatory], unit: Unit | None
                    ) -> tuple[list[Signatory], bool]:
    """Who signs a certificate: the style's signatories, or, when it has none, the unit's
    head from Settings (name, title and the unit's signature or seal image) — a
    certificate with nobody to sign over is not issued. The flag says whether the head
    was put in by default (its image is then the unit's signature setting's)."""
    if style_signatories or unit is None or not unit.head_name.strip():
        return list(style_signatories), False
    return [Signatory(unit.head_name.strip(), unit.head_title.strip(),
                      unit.signature_path)], True


def logos_for(style_logos: list[str], unit: Unit | None) -> tuple[list[str], bool]:
    """The logos on a certificate: the style's, or, when it has none, the unit's logo
    from Settings (as the unit's head signs when the style names nobody). The flag says
    whether the unit's logo was put in by default."""
    if style_logos or unit is None or not unit.logo_path.strip():
        return list(style_logos), False
    return [unit.logo_path], True


@dataclass
class CertificateStyle:
    """The choices behind every certificate of an activity (or of the unit by default)."""

    design: str = "formal"
    title: str = TITLES[0]
    body: str = DEFAULT_BODY
    logos: list[str] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    background: str = ""
    font: str = "Amiri"

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> CertificateStyle:
        """The style a stored value describes; unknown or broken parts fall back to the
        defaults (a damaged setting must not stop printing)."""
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        style = cls()
        for name in ("design", "title", "body", "background", "font"):
            if isinstance(data.get(name), str):
                setattr(style, name, data[name])
        if isinstance(data.get("logos"), list):
            style.logos = [x for x in data["logos"] if isinstance(x, str) and x][:MAX_LOGOS]
        if isinstance(data.get("signatories"), list):
            style.signatories = [
                Signatory(**{k: str(v) for k, v in s.items() if k in ("name", "title",
                                                                       "signature")})
                for s in data["signatories"] if isinstance(s, dict)][:MAX_SIGNATORIES]
        # A stored value is trusted no more than typed text: too long is cut to size.
        style.title = style.title[:MAX_TITLE] or TITLES[0]
        style.body = style.body[:MAX_BODY] if style.body.strip() else DEFAULT_BODY
        if _template_problems(style.body):
            style.body = DEFAULT_BODY
        if style.design not in DESIGNS:
            style.design = "formal"
        if style.font not in FONTS:
            style.font = "Amiri"
        return style

    def cleaned(self) -> CertificateStyle:
        """The style with its text folded (presentation forms, bidi marks) and trimmed,
        and signatories without a name or title dropped."""
        return dataclasses.replace(
            self,
            title=fold_input(self.title),
            body=" ".join(fold_input(self.body, multiline=True).split()),
            logos=[x for x in self.logos if x],
            signatories=[Signatory(fold_input(s.name), fold_input(s.title), s.signature)
                         for s in self.signatories
                         if fold_input(s.name) or fold_input(s.title) or s.signature],
            background=self.background or "",
        )


# --- the template -----------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


def style_problems(style: CertificateStyle) -> list[ValidationError]:
    """Everything wrong with a style, each with an Arabic message; empty when it is fine."""
    found: list[ValidationError] = []
    if style.design not in DESIGNS:
        found.append(_problem("design", "design", value=style.design))
    if style.font not in FONTS:
        found.append(_problem("font", "font", value=style.font))
    title = fold_input(style.title)
    if not title:
        found.append(_problem("title", "title_empty"))
    elif len(title) > MAX_TITLE:
        found.append(_problem("title", "title_long", n=MAX_TITLE))
    body = fold_input(style.body, multiline=True)
    if not body.strip():
        found.append(_problem("body", "body_empty"))
    elif len(body) > MAX_BODY:
        found.append(_problem("body", "body_long", n=MAX_BODY))
    else:
        found.extend(_template_problems(body))
    if len([x for x in style.logos if x]) > MAX_LOGOS:
        found.append(_problem("logos", "logos"))
    if len(style.signatories) > MAX_SIGNATORIES:
        found.append(_problem("signatories", "signatories"))
    for n, s in enumerate(style.signatories, 1):
        if not fold_input(s.name) and (fold_input(s.title) or s.signature):
            found.append(_problem("signatories", "signatory_name", n=n))
    return found


def _template_problems(body: str) -> list[ValidationError]:
    found = []
    if _PLACEHOLDER.sub("", body).count("{") or _PLACEHOLDER.sub("", body).count("}"):
        found.append(_problem("body", "braces"))
    if _OPTIONAL.sub("", body).count("[") or _OPTIONAL.sub("", body).count("]"):
        found.append(_problem("body", "brackets"))
    for inner in _PLACEHOLDER.findall(body):
        name = inner.strip()
        if "/" not in name and name not in FIELDS:
            found.append(_problem("body", "unknown_field", value=name,
                                  known="، ".join(f"{{{k}}}" for k in FIELDS)))
    return found


def gender_of(person: Person) -> str:
    """``"f"`` or ``"m"``: the recorded gender, else the first name's, else masculine."""
    if person.gender in ("m", "f"):
        return person.gender
    return guess_gender(person.full_name) or "m"


def field_values(person: Person, activity: Activity, unit: Unit | None,
                 date_style: DateStyle) -> dict[str, str]:
    """What each field of :data:`FIELDS` says for this person at this activity."""
    start = activity.start_date or ""
    end = activity.end_date or start
    start_text = date_phrase(start, date_style) if start else ""
    end_text = date_phrase(end, date_style) if end else ""
    period = period_phrase(start, end, date_style, "certificate") if start else ""
    organiser = activity.organiser or (unit.name if unit else "") or (
        unit.directorate if unit else "")
    return {
        "name": person.full_name,  # exactly as signed and carried by the QR
        "activity": apply_digits(activity.title, date_style.digits),
        "kind": vocab.ACTIVITY_KINDS.get(activity.kind, ""),
        "place": activity.place,
        "start": start_text,
        "end": end_text,
        "days": days_phrase(activity.days, date_style.digits) if start else "",
        "period": period,
        "entity": person.entity,
        "organiser": organiser,
        # Not a field of its own: what "من {start} إلى {end}" becomes (see render).
        _SPAN: period_phrase(start, end, date_style) if start else "",
    }


_SPAN = "@span"
# "في {place}" with a place that brings its own preposition ("عبر الاتصال المرئي").
_PLACE_AFTER_FI = re.compile(r"(?<![^\s\[])في\s+(?=\{\s*place\s*\})")
# "{kind} «{activity}»" (or "{kind} بعنوان «{activity}»") with a title that begins with
# the kind: the kind is said by the title.
_KIND_BEFORE_TITLE = re.compile(r"\{\s*kind\s*\}\s*(?:بعنوان\s*)?(?=[«\"]?\{\s*activity\s*\})")
# "«{activity}»": the template's own quotes around the title (see _settle).
_QUOTED_TITLE = re.compile(r"[«\"]\s*\{\s*activity\s*\}\s*[»\"]")
_TITLE_QUOTED = "@quoted"
# "من {start} إلى {end}": one span, "٢٢–٢٣ تشرين الثاني ٢٠٢٦", not the month said twice.
_FROM_TO = re.compile(r"(?<![^\s\[])من\s+\{\s*start\s*\}\s+(?:إلى|الى|ولغاية|لغاية|حتى)\s+"
                      r"\{\s*end\s*\}")
# Spaces to tidy: every white space but the no-break space that holds a date together.
_SPACES = re.compile(r"[^\S\u00a0]+")


def _settle(template: str, values: dict[str, str]) -> str:
    """The template with the phrases that depend on the values put right (see
    :mod:`models.wording`): no "في" before a place that has its own preposition, no
    kind before a title that begins with it, one span for two dates."""
    if starts_with_preposition(values.get("place", "")):
        template = _PLACE_AFTER_FI.sub("", template)
    title = values.get("activity", "")
    names_kind = title_names_kind(values.get("kind", ""), title)
    if names_kind:
        template = _KIND_BEFORE_TITLE.sub("", template)
    if has_quotes(title):
        # A title with quotes of its own is never put in a second «»: one that names its
        # kind ("ورشة عمل بعنوان «…»") stands as typed, another is quoted once
        # (models.wording.quote).
        template = _QUOTED_TITLE.sub("{activity}" if names_kind else "{" + _TITLE_QUOTED + "}",
                                     template)
    if values.get(_SPAN) and values.get("start") != values.get("end"):
        template = _FROM_TO.sub("{" + _SPAN + "}", template)
    return template


def render(template: str, values: dict[str, str], gender: str) -> str:
    """The template with fields filled, gender pairs chosen and empty optional parts
    dropped; spaces tidied (one space, none before punctuation; a date's no-break spaces
    stay). The phrases are settled first (:func:`_settle`): «في عبر …» and «ورشة عمل
    «ورشة …»» are never written."""
    # The title as the sentence shows it, its odd quotation marks made whole (the signed
    # message keeps the title as stored: models.certificates).
    title = tidy_quotes(values.get("activity", ""))
    values = {**values, "activity": title, _TITLE_QUOTED: quote(title)}
    template = _settle(template, values)

    def fill(match: re.Match[str]) -> str:
        inner = match.group(1)
        if "/" in inner:
            masculine, _, feminine = inner.partition("/")
            return (feminine if gender == "f" else masculine).strip()
        return values.get(inner.strip(), "")

    def optional(match: re.Match[str]) -> str:
        part = match.group(1)
        names = [n.strip() for n in _PLACEHOLDER.findall(part) if "/" not in n]
        if any(not values.get(n, "") for n in names):
            return ""
        return part

    text = _OPTIONAL.sub(optional, template)
    text = _PLACEHOLDER.sub(fill, text)
    text = _SPACES.sub(" ", text).strip(" ")
    return re.sub(r" +([.,،؛:!؟)»])", r"\1", text)


@dataclass(frozen=True)
class Wording:
    """A certificate's words for one person: the sentence before the name, the name, the
    sentence after it."""

    lead: str
    name: str
    body: str

    @property
    def text(self) -> str:
        return " ".join(p for p in (self.lead, self.name, self.body) if p)


_NAME_MARK = "\x00"


def wording(style: CertificateStyle, person: Person, activity: Activity, unit: Unit | None,
            date_style: DateStyle) -> Wording:
    """The body sentence for this person, split at the name."""
    return _split(_sentence(style, person, activity, unit, date_style), person.full_name)


def _sentence(style: CertificateStyle, person: Person, activity: Activity,
              unit: Unit | None, date_style: DateStyle) -> str:
    """The body sentence with :data:`_NAME_MARK` where the name goes."""
    values = field_values(person, activity, unit, date_style)
    return render(style.body, {**values, "name": _NAME_MARK}, gender_of(person))


def _split(text: str, name: str) -> Wording:
    if _NAME_MARK in text:
        lead, _, body = text.partition(_NAME_MARK)
        return Wording(lead.strip(), name, body.replace(_NAME_MARK, name).strip())
    return Wording("", name, text)


class Wordings:
    """:func:`wording` for the many persons of one activity: a person's sentence differs
    from another's only by the name, the gender and the entity, so it is rendered once
    per gender and entity (500 certificates render it a few times, not 500)."""

    def __init__(self, style: CertificateStyle, activity: Activity, unit: Unit | None,
                 date_style: DateStyle) -> None:
        self._args = (style, activity, unit, date_style)
        self._sentences: dict[tuple[str, str], str] = {}

    def __call__(self, person: Person) -> Wording:
        key = (gender_of(person), person.entity)
        text = self._sentences.get(key)
        if text is None:
            style, activity, unit, date_style = self._args
            text = self._sentences[key] = _sentence(style, person, activity, unit,
                                                    date_style)
        return _split(text, person.full_name)


# --- storage ----------------------------------------------------------------------------

def _own_style(db: Database, activity_id: str) -> str | None:
    return db.scalar("SELECT style FROM certificate_styles WHERE activity_id = ?",
                     (activity_id,))


def has_activity_style(db: Database, activity_id: str) -> bool:
    """Whether the activity has a style of its own (else it uses the unit's)."""
    return bool(_own_style(db, activity_id))


def load_style(db: Database, activity_id: str | None = None) -> CertificateStyle:
    """The activity's own style, else the unit's default, else the built-in one."""
    if activity_id and (own := _own_style(db, activity_id)):
        return CertificateStyle.from_json(own)
    return CertificateStyle.from_json(db.setting(STYLE_SETTING))


def save_style(db: Database, style: CertificateStyle, activity_id: str | None = None
               ) -> CertificateStyle:
    """Store the style as the activity's own (or, without ``activity_id``, the unit's
    default). Raises the first :class:`ValidationError` and stores nothing when the style
    has a problem, and :class:`NotFoundError` for an activity that does not exist."""
    style = style.cleaned()
    if problems := style_problems(style):
        raise problems[0]
    if not activity_id:
        db.set_setting(STYLE_SETTING, style.to_json())
        return style
    with db.atomic():
        # A binned activity keeps its style (a restore brings both back); a purged one
        # has none to keep.
        if db.scalar("SELECT 1 FROM activities WHERE id = ?", (activity_id,)) is None:
            arabic, english = MSG["no_activity"]
            raise NotFoundError(arabic, english.format(value=activity_id))
        db.execute("INSERT INTO certificate_styles (activity_id, style, updated_at) "
                   "VALUES (?, ?, ?) ON CONFLICT(activity_id) DO UPDATE SET "
                   "style = excluded.style, updated_at = excluded.updated_at",
                   (activity_id, style.to_json(), now()))
    return style


def clear_activity_style(db: Database, activity_id: str) -> None:
    """Let the activity use the unit's default style again."""
    with db.atomic():
        db.execute("DELETE FROM certificate_styles WHERE activity_id = ?", (activity_id,))
