"""The news report's text (التقرير الخبري), drafted from an activity in editorial Arabic.

:func:`draft_news` writes a headline (the title), a dateline ("كربلاء – ٢٣ تشرين الثاني
٢٠٢٦"), a lead that says who did what, where and when, the summary as the body, the
recommendations with their introduction, and the closing mark "انتهى". The lead's grammar
follows the facts: the kind of activity (its noun, gender and verb), whether the unit took
part in someone else's activity or organised it, no organiser at all (passive voice), one
partner or several, the place, one day or several ("لمدة يومين"، "لمدة ثلاثة أيام"), the
lecturers and the number of participants.

:class:`NewsText` turns into plain text for editing (:meth:`NewsText.to_plain`) and back
(:meth:`NewsText.from_plain`); the edited text is kept in ``activity.news_text`` and
:func:`news_for` prefers it to a fresh draft. No Qt and no Word here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.activity_bundle import ActivityBundle
from models.arabic import apply_digits, words
from models.dates import DateStyle
from models.records import Activity, Unit
from models.wording import (
    hold_dates,
    is_definite,
    kind_and_title,
    period_phrase,
    place_phrase,
    plain,
    title_names_kind,
)

__all__ = [
    "CLOSING",
    "NewsText",
    "draft_news",
    "join_names",
    "news_for",
    "photo_caption",
]

CLOSING = "انتهى"
DASH = " – "  # between the city and the date in the dateline
QUOTE_OPEN, QUOTE_CLOSE = "«", "»"


@dataclass(frozen=True)
class _Kind:
    """How a kind of activity is named and what it is done with."""

    noun: str            # indefinite, after a preposition or as subject: "ورشة عمل"
    accusative: str      # indefinite object: "اجتماعاً دورياً"
    definite: str        # "الورشة"
    feminine: bool
    verb: str            # what an organiser does with it, past masculine: "أقام"
    passive_m: str       # "أقيم"
    passive_f: str       # "أقيمت"
    speaker: str = "حاضر"  # "وحاضر فيها" / "وتحدث فيه"
    place_prep: str = "في"


_KINDS: dict[str, _Kind] = {
    "workshop": _Kind("ورشة عمل", "ورشة عمل", "الورشة", True, "أقام", "أقيم", "أقيمت"),
    "course": _Kind("دورة تدريبية", "دورة تدريبية", "الدورة", True, "أقام", "أقيم", "أقيمت"),
    "meeting": _Kind("اجتماع دوري", "اجتماعاً دورياً", "الاجتماع", False, "عقد", "عقد",
                     "عقدت", speaker="تحدث"),
    "conference": _Kind("مؤتمر", "مؤتمراً", "المؤتمر", False, "أقام", "أقيم", "أقيمت",
                        speaker="تحدث"),
    "seminar": _Kind("ندوة", "ندوة", "الندوة", True, "أقام", "أقيم", "أقيمت"),
    "field_visit": _Kind("زيارة ميدانية", "زيارة ميدانية", "الزيارة", True, "نظم", "نظم",
                         "نظمت", speaker="تحدث", place_prep="إلى"),
    "campaign": _Kind("حملة توعوية", "حملة توعوية", "الحملة", True, "أطلق", "أطلق", "أطلقت",
                      speaker="تحدث"),
    "press_release": _Kind("بيان صحفي", "بياناً صحفياً", "البيان", False, "أصدر", "صدر",
                           "صدرت", speaker="تحدث"),
    "coverage": _Kind("فعالية", "فعالية", "الفعالية", True, "أقام", "أقيم", "أقيمت",
                      speaker="تحدث"),
    "other": _Kind("نشاط", "نشاطاً", "النشاط", False, "نظم", "نظم", "نظمت", speaker="تحدث"),
}

# "لمدة ..." for 2–10 days (يوم is masculine: the numeral takes the feminine form).
_NUMBERED = re.compile(r"^\s*([0-9\u0660-\u0669\u06f0-\u06f9]+)\s*[.)\-–]\s*")


@dataclass
class NewsText:
    """A news report's text, part by part, as the document lays it out."""

    headline: str
    dateline: str
    lead: str
    body: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    closing: str = CLOSING
    recommendations_intro: str = ""

    def numbered(self, digits: str = "arabic") -> list[str]:
        """The recommendations as "١. ..." lines in the given digits."""
        return [f"{apply_digits(str(i), digits)}. {text}"
                for i, text in enumerate(self.recommendations, start=1)]

    def to_plain(self, digits: str = "arabic") -> str:
        """The text for editing: headline and dateline, then one block per paragraph (blank
        lines between), the recommendations numbered under their introduction, the closing.
        Dates have ordinary spaces here (a text editor drops no-break spaces, and an
        unedited draft must compare equal to itself); :meth:`from_plain` puts them back."""
        blocks = ["\n".join(line for line in (self.headline, self.dateline) if line)]
        blocks += [p for p in (self.lead, *self.body) if p]
        if self.recommendations:
            blocks.append("\n".join(line for line in (self.recommendations_intro,
                                                      *self.numbered(digits)) if line))
        if self.closing:
            blocks.append(self.closing)
        # plain(): the word joiner after "٢٢–" too, or it would be kept with the edited text.
        return plain("\n\n".join(b for b in blocks if b))

    @classmethod
    def from_plain(cls, text: str) -> NewsText:
        """Read back :meth:`to_plain`'s text, after a person edited it: the first block is
        the headline (and the dateline under it), the next the lead, a block of numbered
        lines (with an optional introduction ending in ":") the recommendations, a last
        block beginning with "انتهى" the closing, every other line a body paragraph. The
        dates in the dateline, the lead, the body and the recommendations get their no-break
        spaces back
        (:func:`models.wording.hold_dates`)."""
        blocks = [[line.strip() for line in block.splitlines() if line.strip()]
                  for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
        blocks = [b for b in blocks if b]
        if not blocks:
            return cls(headline="", dateline="", lead="", closing="")
        first = blocks.pop(0)
        headline = first[0]
        dateline = first[1] if len(first) > 1 else ""
        rest = [[line] for line in first[2:]] + blocks
        closing = ""
        if rest and len(rest[-1]) == 1 and rest[-1][0].startswith(CLOSING):
            closing = rest.pop()[0]
        intro, recommendations, paragraphs = "", [], []
        for block in rest:
            items = block[1:] if not _NUMBERED.match(block[0]) else block
            if not recommendations and items and all(_NUMBERED.match(x) for x in items):
                intro = block[0] if items is not block else ""
                recommendations = [_NUMBERED.sub("", x, count=1).strip() for x in items]
            else:
                paragraphs += block
        # The dates typed or kept hold together as drafted ones do, in the dateline and
        # the recommendations too.
        paragraphs = [hold_dates(p) for p in paragraphs]
        dateline = hold_dates(dateline)
        recommendations = [hold_dates(r) for r in recommendations]
        lead = paragraphs.pop(0) if paragraphs else ""
        return cls(headline=headline, dateline=dateline, lead=lead, body=paragraphs,
                   recommendations=recommendations, closing=closing,
                   recommendations_intro=intro)


# --- grammar helpers ------------------------------------------------------------------------

def _first_word(text: str) -> str:
    words = text.split()
    return words[0] if words else ""


def _is_feminine(name: str) -> bool:
    """Whether a body's name takes a feminine verb: its head noun ends in ta marbuta
    (جامعة، دائرة، مديرية، وزارة، شعبة، وحدة، الأمانة) — not قسم، مركز، مكتب، مجلس."""
    return _first_word(name).endswith("ة")


def _and(word: str) -> str:
    """"و" joined to an Arabic word; before Latin or digits, with a space."""
    return f"و{word}" if word[:1] and "\u0600" <= word[0] <= "\u06ff" else f"و {word}"


def join_names(names: list[str]) -> str:
    """"أ" / "أ وب" / "أ، وب، وج": several names joined the way editorial Arabic lists them."""
    names = [n.strip() for n in names if n and n.strip()]
    if len(names) <= 1:
        return names[0] if names else ""
    if len(names) == 2:
        return f"{names[0]} {_and(names[1])}"
    return "، ".join([names[0], *(_and(n) for n in names[1:])])


def _past(verb: str, feminine_subject: bool, feminine_object: bool | None = None) -> str:
    """"أقام" + ت for a feminine subject + ها/ه for the object: "أقامتها"، "عقده"."""
    word = verb + ("ت" if feminine_subject else "")
    if feminine_object is None:
        return word
    return word + ("ها" if feminine_object else "ه")


def _count_phrase(count: int, digits: str) -> str:
    """The number of participants with the counted noun in the case it needs after
    "بلغ عدد المشاركين ..." (object: ٣٥ مشاركاً، ٧ مشاركين، ١٠٠ مشارك)."""
    if count == 1:
        return "مشاركاً واحداً"
    if count == 2:
        return "مشاركَين اثنين"
    n = apply_digits(str(count), digits)
    tail = count % 100
    if 3 <= tail <= 10:
        return f"{n} مشاركين"
    if 11 <= tail <= 99:
        return f"{n} مشاركاً"
    return f"{n} مشارك"


def _when(activity: Activity, style: DateStyle) -> str:
    """"يوم الأحد الموافق ٢٢ تشرين الثاني ٢٠٢٦" or "لمدة يومين، ٢٢–٢٣ تشرين الثاني ٢٠٢٦"
    (:func:`models.wording.period_phrase`: the month and year said once when both days
    share them, no-break spaces inside each date)."""
    if not activity.start_date:
        return ""
    end = activity.end_date or activity.start_date
    if end < activity.start_date:
        end = activity.start_date
    return period_phrase(activity.start_date, end, style, "news")


def _names_activity(activity: Activity, kind: _Kind) -> tuple[str, str, bool]:
    """The activity as a phrase after a preposition and as an object, and whether it is
    headed by its own title ("ورشة تطويرية عن ..."، "الاجتماع الدوري ...") rather than
    "ورشة عمل بعنوان «...»" (:func:`models.wording.kind_and_title`)."""
    title = activity.title.strip().rstrip(".")
    if title_names_kind(kind.noun, title):
        # An indefinite masculine head would need the accusative ending the title lacks
        # ("مؤتمراً دولياً"): as an object it is named in quotes instead.
        plain = kind.feminine or is_definite(title)
        return title, (title if plain else kind_and_title("", title)), True
    return (kind_and_title(kind.noun, title, linker="بعنوان"),
            kind_and_title(kind.accusative, title, linker="بعنوان"), False)


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip() == b.strip()


def _lead(activity: Activity, unit: Unit, style: DateStyle, attendees: int | None) -> str:
    kind = _KINDS.get(activity.kind, _KINDS["other"])
    pron = "ها" if kind.feminine else "ه"
    organiser = activity.organiser.strip()
    unit_name = unit.name.strip()
    place = activity.place.strip()
    as_genitive, as_object, _ = _names_activity(activity, kind)
    unit_organised = bool(organiser) and (_same(organiser, unit_name)
                                          or _same(organiser, unit.directorate))
    if activity.kind == "press_release" and not organiser:
        organiser = unit_name  # a statement is always somebody's

    parts: list[str] = []
    if activity.kind == "coverage":
        subject = unit_name
        event = kind_and_title(kind.noun, activity.title.strip().rstrip("."))
        if subject:
            parts.append(f"{'غطت' if _is_feminine(subject) else 'غطى'} {subject} إعلامياً {event}")
        else:
            parts.append(f"جرت تغطية إعلامية ل{event}")
        if organiser:
            parts.append(f"التي {_past(kind.verb, _is_feminine(organiser))}{pron} {organiser}")
        place_owner = organiser
    elif organiser and unit_name and not unit_organised and activity.kind != "press_release":
        verb = "شاركت" if _is_feminine(unit_name) else "شارك"
        parts.append(f"{verb} {unit_name} في {as_genitive}")
        parts.append(f"{_past(kind.verb, _is_feminine(organiser), kind.feminine)} {organiser}")
        place_owner = organiser
    elif organiser:
        parts.append(f"{_past(kind.verb, _is_feminine(organiser))} {organiser} {as_object}")
        place_owner = organiser
    else:
        passive = kind.passive_f if kind.feminine else kind.passive_m
        parts.append(f"{passive} {as_genitive}")
        place_owner = ""

    partners = join_names(activity.partners)
    if partners:
        parts.append(f"بالتعاون مع {partners}")
    if place:
        if _same(place, place_owner) and kind.place_prep == "في":
            parts.append("في رحابها" if _is_feminine(place_owner) else "في رحابه")
        else:
            parts.append(place_phrase(place, kind.place_prep))
    when = _when(activity, style)
    if when:
        parts.append(when)
    sentence = " ".join(parts)

    clauses = [sentence]
    lecturers = [x.strip() for x in activity.lecturers if x and x.strip()]
    if lecturers:
        who = lecturers[0] if len(lecturers) == 1 else f"كل من {join_names(lecturers)}"
        clauses.append(f"و{kind.speaker} في{pron} {who}")
    count = attendees if attendees is not None else activity.participants_count
    if count:
        clauses.append(f"وبلغ عدد المشاركين في{pron} {_count_phrase(count, style.digits)}")
    return "، ".join(clauses) + "."


def _recommendations_intro(activity: Activity, count: int) -> str:
    kind = _KINDS.get(activity.kind, _KINDS["other"])
    if activity.kind == "press_release":
        return "وتضمن البيان التوصية الآتية:" if count == 1 else \
            "وتضمن البيان عدداً من التوصيات، أبرزها:"
    verb = "خرجت" if kind.feminine else "خرج"
    what = "بالتوصية الآتية:" if count == 1 else "بعدد من التوصيات، أبرزها:"
    return f"و{verb} {kind.definite} {what}"


def _dateline(activity: Activity, unit: Unit, style: DateStyle) -> str:
    """"كربلاء – ٢٣ تشرين الثاني ٢٠٢٦": the city and the last day, the date held
    together (:func:`models.wording.period_phrase`)."""
    day = activity.end_date or activity.start_date
    date = period_phrase(day, day, style) if day else ""
    city = unit.city.strip()
    # The dash stays with the date it leads to, as an edited dateline is held again
    # (hold_dates), so that a draft and its edited text read back alike.
    return hold_dates(DASH.join(x for x in (city, date) if x))


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- the summary after the lead --------------------------------------------------------------

#: A summary sentence whose content words are at least this share of the lead's words says
#: nothing the lead has not said: it is left out of the draft.
REPEAT_SHARE = 0.75
# Function words that say no fact (folded and stripped as models.arabic.words leaves them).
_NOT_FACTS = frozenset(words(
    "في من الى إلى على عن مع ما لا ان أن إن او أو ثم قد تم كان كانت التي الذي الذين هذا "
    "هذه ذلك تلك حيث خلال بعد قبل بين عند كل كما وقد ايضا أيضاً فيها فيه لها له به بها "
    "منها منه عليها عليه"))
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")


def _facts(text: str) -> set[str]:
    """The content words of ``text``, folded (spelling variants, digits, prefixes alike)."""
    return {w for w in words(text) if w not in _NOT_FACTS and len(w) > 1}


def repeats(sentence: str, lead: str) -> bool:
    """Whether ``sentence`` only repeats facts of ``lead``: at least :data:`REPEAT_SHARE`
    of its content words are in the lead, after Arabic folding (:func:`models.arabic.words`:
    أ/ا، ة/ه، digits in any script, the article and attached prepositions)."""
    facts = _facts(sentence)
    if not facts:
        return False
    return len(facts & _facts(lead)) / len(facts) >= REPEAT_SHARE


def beyond_lead(paragraphs: list[str], lead: str) -> list[str]:
    """The summary's paragraphs with every sentence that repeats the lead left out (a
    paragraph left with nothing is dropped): the summary follows the lead only where it
    adds something."""
    kept: list[str] = []
    for paragraph in paragraphs:
        sentences = [s for s in _SENTENCE_END.split(paragraph) if s.strip()]
        new = [s for s in sentences if not repeats(s, lead)]
        if new:
            kept.append(paragraph if len(new) == len(sentences) else " ".join(new))
    return kept


def draft_news(bundle: ActivityBundle, unit: Unit, style: DateStyle | None = None, *,
               attendees: int | None = None) -> NewsText:
    """The news report drafted from the activity's fields. ``attendees`` (the length of
    the attendance list) wins over the activity's typed participants count."""
    style = style or DateStyle(months=unit.months or "iraqi", digits=unit.digits or "arabic",
                               hijri=bool(unit.hijri))
    activity = bundle.activity
    recs = [r.text.strip() for r in bundle.recommendations if r.text and r.text.strip()]
    return NewsText(
        headline=activity.title.strip(),
        dateline=_dateline(activity, unit, style),
        lead=(lead := _lead(activity, unit, style, attendees)),
        # typed text: its dates held together as the drafted ones (and as from_plain does)
        body=[hold_dates(p) for p in beyond_lead(_paragraphs(activity.summary), lead)],
        recommendations=[hold_dates(r) for r in recs],
        closing=CLOSING,
        recommendations_intro=_recommendations_intro(activity, len(recs)) if recs else "",
    )


def news_for(bundle: ActivityBundle, unit: Unit, style: DateStyle | None = None, *,
             attendees: int | None = None) -> NewsText:
    """The text to print: the edited text kept in ``activity.news_text`` when there is
    one, else a fresh draft."""
    if bundle.activity.news_text.strip():
        return NewsText.from_plain(bundle.activity.news_text)
    return draft_news(bundle, unit, style, attendees=attendees)


def photo_caption(activity: Activity) -> str:
    """A caption for a photo that has none: "جانب من الورشة"."""
    return f"جانب من {_KINDS.get(activity.kind, _KINDS['other']).definite}"


def save_news_text(db, activity_id: str, text: str) -> Activity:
    """Keep an edited news text with the activity ("" goes back to fresh drafts); return
    the activity as stored."""
    import dataclasses

    from models import store

    activity = store.get(db, Activity, activity_id)
    return store.update(db, dataclasses.replace(activity, news_text=text.strip()))
