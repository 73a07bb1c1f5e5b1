"""The phrases every document builds its sentences from: the activity named by its kind
and title, the place after its preposition, the date and the period. Certificates
(:mod:`models.certificate_style`) and the news lead (:mod:`models.news`) both go through
here, so a rule of Arabic written once holds in every document.

- :func:`kind_and_title`: «ورشة عمل «الاتصال الحكومي»», but a title that already begins
  with its kind («ورشة تطويرية عن …»، «الاجتماع الدوري …») is not given the kind again.
- :func:`place_phrase`: «في قاعة الإمام الحسين», but a place that begins with its own
  preposition («عبر الاتصال المرئي»، «ضمن …»، «بمقر الوزارة») stands as typed.
- :func:`date_phrase` and :func:`period_phrase`: «٢٢–٢٣ تشرين الثاني ٢٠٢٦», «٣٠ حزيران –
  ٢ تموز ٢٠٢٦», two full dates across years; the spaces inside a date are no-break
  spaces (U+00A0), so a line never ends between a day and its month.

Pure Python: no Qt, no Word.
"""

from __future__ import annotations

import datetime as dt
import re

from models.dates import (
    EGYPTIAN_MONTHS,
    HIJRI_MONTHS,
    HIJRI_SUFFIX,
    IRAQI_MONTHS,
    RANGE_DASH,
    RANGE_SEPARATOR,
    DateStyle,
    days_phrase,
    format_date,
    format_range,
    hijri_date,
    parse_date,
)

__all__ = [
    "NBSP",
    "date_phrase",
    "hold_dates",
    "is_definite",
    "kind_and_title",
    "period_phrase",
    "place_phrase",
    "starts_with_preposition",
    "title_names_kind",
]

NBSP = "\u00a0"
QUOTE_OPEN, QUOTE_CLOSE = "«", "»"
# Between two dates that do not share their month: spaced, the space after the dash
# no-break so that a dash never ends a line apart from the date it leads to.
_RANGE_JOIN = f" {RANGE_DASH}{NBSP}"

# Words a place may begin with that are already its preposition: "في" before them says it
# twice («في عبر الاتصال المرئي»).
PREPOSITIONS: frozenset[str] = frozenset({
    "في", "عبر", "ضمن", "داخل", "خارج", "خلال", "على", "من", "إلى", "الى", "لدى", "عند",
    "عن", "بين", "أمام", "امام", "قرب", "بقرب", "جنب", "بجانب", "بجوار", "حول", "تحت",
    "فوق", "مع", "وسط", "بواسطة", "باستخدام", "أونلاين", "اونلاين",
})
# A place written with the attached بـ («بمقر الوزارة»، «بالقاعة الكبرى»): the usual
# nouns of a place, so that a name beginning with ب (بغداد، بيت الحكمة، بلدية …) still
# gets its "في".
_BA_NOUNS = frozenset({
    "مقر", "قاعة", "مبنى", "بناية", "مركز", "مدينة", "محافظة", "جامعة", "كلية", "ديوان",
    "وزارة", "مديرية", "دائرة", "مكتب", "مجلس", "قصر", "فندق", "مسرح", "منتدى", "نادي",
    "معهد", "مستشفى", "مدرسة", "مكتبة", "متحف", "حديقة", "ساحة", "مجمع", "قسم", "شعبة",
})
# A one-word adverb of manner, written with its tanween («افتراضياً»، «إلكترونياً»): no
# preposition. Without the tanween it may be a name (تركيا، سوريا), which takes "في".
_ADVERB = re.compile("^\\S+(?:اً|ًا)$")
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")


def _plain(word: str) -> str:
    """A word without harakat and tatweel, for comparing."""
    return _DIACRITICS.sub("", word)


def _head(word: str) -> str:
    """A noun without the article or the conjunction glued to it: "الورشة" → "ورشة"."""
    word = _plain(word).strip("«»\"'()")
    for prefix in ("وال", "ال"):
        if word.startswith(prefix) and len(word) > len(prefix) + 1:
            return word[len(prefix):]
    return word


def title_names_kind(kind: str, title: str) -> bool:
    """Whether the title already begins with the kind's noun ("ورشة تطويرية عن …" for
    "ورشة عمل", "الاجتماع الدوري للشبكة" for "اجتماع دوري"). A one-word title ("بيان")
    names nothing more than the kind: it is a title, given with its kind."""
    kind_words, title_words = kind.split(), title.split()
    if not kind_words or len(title_words) < 2:
        return False
    return _head(title_words[0]) == _head(kind_words[0])


def kind_and_title(kind: str, title: str, *, quoted: bool = True, linker: str = "") -> str:
    """The activity named by its kind and its title: "ورشة عمل «الاتصال الحكومي»" (with
    ``linker="بعنوان"``: "ورشة عمل بعنوان «…»"). A title that already begins with the
    kind is the name on its own, quoted or (``quoted=False``) as the noun phrase it is:
    "«ورشة تطويرية عن …»" / "ورشة تطويرية عن …". No kind: the quoted title."""
    title = title.strip()
    if not title:
        return kind.strip()
    in_quotes = f"{QUOTE_OPEN}{title}{QUOTE_CLOSE}"
    if title_names_kind(kind, title):
        return in_quotes if quoted else title
    parts = [p for p in (kind.strip(), linker.strip(), in_quotes) if p]
    return " ".join(parts)


def is_definite(title: str) -> bool:
    """Whether the title's first word carries the article ("الاجتماع الدوري …")."""
    words = title.split()
    return bool(words) and _head(words[0]) != _plain(words[0]).strip("«»\"'()")


def starts_with_preposition(place: str) -> bool:
    """Whether the place as typed already begins with its preposition: «عبر الاتصال
    المرئي»، «ضمن فعاليات …»، «بمقر الوزارة»، «بالقاعة الكبرى»، «افتراضياً»."""
    words = _plain(place).split()
    if not words:
        return False
    first = words[0].strip("«»\"'()")
    if first in PREPOSITIONS:
        return True
    if first.startswith("بال") and len(first) > 4:
        return True
    if first.startswith("ب") and first[1:] in _BA_NOUNS:
        return True
    return len(words) == 1 and bool(_ADVERB.match(place.strip()))


def place_phrase(place: str, preposition: str = "في") -> str:
    """The place after its preposition: "في قاعة الإمام الحسين"; a place that brings its
    own ("عبر الاتصال المرئي") as typed; "" for no place."""
    place = " ".join(place.split())
    if not place:
        return ""
    if starts_with_preposition(place) or not preposition:
        return place
    return f"{preposition} {place}"


def _nb(text: str) -> str:
    """Spaces made no-break: a date is one unit on a line."""
    return text.replace(" ", NBSP)


def date_phrase(d: dt.date | str, style: DateStyle) -> str:
    """One date, "٢٣ تشرين الثاني ٢٠٢٦", with no-break spaces (the Hijri date is not
    added: :func:`period_phrase` places it)."""
    return _nb(format_date(d, DateStyle(months=style.months, digits=style.digits)))


def _range(start: dt.date, end: dt.date, style: DateStyle) -> str:
    """:func:`models.dates.format_range` (Gregorian only), each date held together."""
    plain = DateStyle(months=style.months, digits=style.digits)
    return _RANGE_JOIN.join(_nb(part) for part in
                            format_range(start, end, plain).split(RANGE_SEPARATOR))


_ALL_MONTHS = sorted({*IRAQI_MONTHS, *EGYPTIAN_MONTHS, *HIJRI_MONTHS}, key=len, reverse=True)
_SP = "[ \u00a0]"
_DIGIT = "[0-9\u0660-\u0669]"
_MONTH_WORDS = "|".join(m.replace(" ", _SP) for m in _ALL_MONTHS)
# A date as the documents write it: a day and a month, the year (and "هـ") when there.
_DATE_IN_TEXT = re.compile(
    rf"(?<!{_DIGIT}){_DIGIT}{{1,2}}{_SP}(?:{_MONTH_WORDS})"
    rf"(?:{_SP}{_DIGIT}{{4}}(?:{_SP}{HIJRI_SUFFIX})?)?")


def hold_dates(text: str) -> str:
    """``text`` with the spaces inside each date made no-break: what a person typed or
    edited (a news text kept from the editor, where no-break spaces do not survive) is
    held together like a drafted date."""
    text = _DATE_IN_TEXT.sub(lambda m: _nb(m.group(0)), text)
    return re.sub(rf" {RANGE_DASH} (?={_DIGIT})", _RANGE_JOIN, text)


def _hijri(start: dt.date, end: dt.date, style: DateStyle) -> str:
    """The Hijri date or dates, no-break inside each, "" when not asked or not known."""
    if not style.hijri:
        return ""
    first, last = hijri_date(start, style), hijri_date(end, style)
    if not first or not last:
        return ""
    return _nb(first) if start == end else _nb(first) + _RANGE_JOIN + _nb(last)


_WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


def period_phrase(start: dt.date | str, end: dt.date | str | None, style: DateStyle,
                  form: str = "plain") -> str:
    """When an activity took place, written as one piece of a sentence.

    ``form``:

    - ``"plain"``: the dates alone, "٢٢–٢٣ تشرين الثاني ٢٠٢٦" (the certificate's
      ``{start}``…``{end}`` span);
    - ``"certificate"``: "يوم ٢٢ تشرين الثاني ٢٠٢٦" / "للمدة ٢٢–٢٣ تشرين الثاني ٢٠٢٦";
    - ``"news"``: "يوم الأحد الموافق ٢٢ تشرين الثاني ٢٠٢٦" / "لمدة يومين، ٢٢–٢٣ تشرين
      الثاني ٢٠٢٦".

    Within a month the days share it ("٢٢–٢٣ تشرين الثاني ٢٠٢٦"), within a year the year
    ("٣٠ حزيران – ٢ تموز ٢٠٢٦"), otherwise two full dates. With the unit's Hijri setting
    the Hijri dates follow in parentheses. ``end`` before ``start`` raises ``ValueError``.
    """
    first = parse_date(start)
    last = first if end is None else parse_date(end)
    if last < first:
        raise ValueError(f"range ends before it starts: {first} – {last}")
    dates = _range(first, last, style)
    hijri = _hijri(first, last, style)
    if form == "news":
        if first == last:
            text = f"يوم {_WEEKDAYS[first.weekday()]} الموافق {dates}"
            return f"{text} ({hijri})" if hijri else text
        # The dates in apposition after a comma, not in parentheses: brackets beside
        # Arabic-Indic digits are the first thing a right-to-left line gets wrong.
        text = f"لمدة {days_phrase((last - first).days + 1, style.digits)}، {dates}"
        return f"{text} ({hijri})" if hijri else text
    text = f"{dates} ({hijri})" if hijri else dates
    if form == "certificate":
        return f"يوم {text}" if first == last else f"للمدة {text}"
    if form != "plain":
        raise ValueError(f"unknown period form {form!r}")
    return text
