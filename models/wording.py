"""The phrases every document builds its sentences from: the activity named by its kind
and title, the place after its preposition, the date and the period. Certificates
(:mod:`models.certificate_style`) and the news lead (:mod:`models.news`) both go through
here, so a rule of Arabic written once holds in every document.

- :func:`kind_and_title`: «ورشة عمل «الاتصال الحكومي»», but a title that already begins
  with its kind («ورشة تطويرية عن …»، «الاجتماع الدوري …») is not given the kind again,
  and a title that carries its own quotes («ورشة عمل بعنوان «…»») is never put inside a
  second pair of «» (:func:`quote`).
- :func:`place_phrase`: «في قاعة الإمام الحسين», but a place that begins with its own
  preposition («عبر الاتصال المرئي»، «ضمن …»، «بمقر الوزارة») stands as typed.
- :func:`date_phrase` and :func:`period_phrase`: «٢٢–٢٣ تشرين الثاني ٢٠٢٦», «٣٠ حزيران –
  ٢ تموز ٢٠٢٦», two full dates across years; the spaces inside a date are no-break
  spaces (U+00A0) and a word joiner follows the dash between two days, so a line never
  ends between a day and its month, nor after «٢٢–»; in a narrow table
  cell (``form="cell"``) the year may go to the next line, never the month.
- :func:`day_month_phrase` and :func:`weekday_name`: a column heading's «الأحد ٢٢ تشرين
  الثاني», the day and month held together.

Pure Python: no Qt, no Word.
"""

from __future__ import annotations

import datetime as dt
import re

from models.arabic import apply_digits
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
    month_name,
    parse_date,
)

__all__ = [
    "NBSP",
    "WORD_JOINER",
    "date_phrase",
    "day_month_phrase",
    "has_quotes",
    "hold_dates",
    "is_definite",
    "kind_and_title",
    "period_phrase",
    "place_phrase",
    "plain",
    "quote",
    "starts_with_preposition",
    "tidy_quotes",
    "title_names_kind",
    "weekday_name",
]

NBSP = "\u00a0"
QUOTE_OPEN, QUOTE_CLOSE = "«", "»"
# Inside «…», a quotation of its own is written with plain double quotes, as Arabic
# typesetting nests them: «حملة بعنوان "…"», never «حملة بعنوان «…»». The straight mark
# is the same at either end, so it cannot face the wrong way in a right-to-left line.
INNER_QUOTE = '"'
# Between two dates that do not share their month: spaced, the space after the dash
# no-break so that a dash never ends a line apart from the date it leads to.
_RANGE_JOIN = f" {RANGE_DASH}{NBSP}"
#: Between the dash and the second day of "٢٢–٢٣": a line may end after an en dash, which
#: would leave "٢٢–" alone at a line's end; the word joiner (U+2060, no width) forbids it
#: by Unicode's line-breaking rules (Qt, and the programs that follow them). LibreOffice
#: (7.x) ignores it and may still break there: only a non-breaking hyphen (U+2011) or a
#: no-break space holds in LibreOffice, and neither is the en dash the date is written with.
WORD_JOINER = "\u2060"

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


def tidy_quotes(title: str) -> str:
    """The title with its quotation marks made whole: a title wholly in straight quotes
    ('"لا للشائعات"', typed on a Latin keyboard) in «» instead; a » with no « before it
    dropped, a « left open closed at the end ("ورشة عمل بعنوان «الإعلام" → "… «الإعلام»");
    "" when no letter or digit is left (a title of quotation marks only says nothing)."""
    title = title.strip()
    if not any(ch.isalnum() for ch in title):
        return ""
    if len(title) > 1 and title[0] == title[-1] == '"' and '"' not in title[1:-1]:
        title = f"{QUOTE_OPEN}{title[1:-1].strip()}{QUOTE_CLOSE}"
    kept: list[str] = []
    depth = 0
    for ch in title:
        if ch == QUOTE_OPEN:
            depth += 1
        elif ch == QUOTE_CLOSE:
            if not depth:
                continue
            depth -= 1
        kept.append(ch)
    return "".join(kept).strip() + QUOTE_CLOSE * depth


def has_quotes(title: str) -> bool:
    """Whether the title carries quotation marks of its own ("حملة بعنوان «لا للشائعات»")."""
    return any(mark in title for mark in (QUOTE_OPEN, QUOTE_CLOSE, '"'))


def quote(title: str) -> str:
    """The title in «»: as it is when the whole of it is quoted already ("«لا للشائعات»"),
    its own «» turned to plain double quotes when only a part is ("«حملة بعنوان
    "لا للشائعات"»"), so that no «» ever stands inside another (odd marks tidied first:
    :func:`tidy_quotes`)."""
    title = tidy_quotes(title)
    if not title:
        return ""
    whole = title.startswith(QUOTE_OPEN) and title.endswith(QUOTE_CLOSE) and \
        QUOTE_OPEN not in title[1:-1] and QUOTE_CLOSE not in title[1:-1]
    if whole:
        return title
    inner = title.replace(QUOTE_OPEN, INNER_QUOTE).replace(QUOTE_CLOSE, INNER_QUOTE)
    return f"{QUOTE_OPEN}{inner}{QUOTE_CLOSE}"


def kind_and_title(kind: str, title: str, *, quoted: bool = True, linker: str = "") -> str:
    """The activity named by its kind and its title: "ورشة عمل «الاتصال الحكومي»" (with
    ``linker="بعنوان"``: "ورشة عمل بعنوان «…»"). A title that already begins with the
    kind is the name on its own, quoted or (``quoted=False``) as the noun phrase it is:
    "«ورشة تطويرية عن …»" / "ورشة تطويرية عن …"; when such a title quotes its own name
    ("ورشة عمل بعنوان «…»") it is never quoted again. No kind: the quoted title
    (:func:`quote`)."""
    title = tidy_quotes(title)
    if not title:
        return kind.strip()
    in_quotes = quote(title)
    if title_names_kind(kind, title):
        return in_quotes if quoted and not has_quotes(title) else title
    if linker.strip() and linker.strip() in title.split():
        linker = ""  # «ندوة «محاضرة بعنوان …»», not «ندوة بعنوان «محاضرة بعنوان …»»
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
    """Spaces made no-break and a dash between two days joined: a date is one unit on a
    line."""
    return _DASH_BETWEEN_DAYS.sub(rf"\1{RANGE_DASH}{WORD_JOINER}", text.replace(" ", NBSP))


def plain(text: str) -> str:
    """``text`` with ordinary spaces for no-break ones and no word joiners: for a file
    name, a document's properties, a field the user edits."""
    return text.replace(NBSP, " ").replace(WORD_JOINER, "")


def date_phrase(d: dt.date | str, style: DateStyle) -> str:
    """One date, "٢٣ تشرين الثاني ٢٠٢٦", with no-break spaces (the Hijri date is not
    added: :func:`period_phrase` places it)."""
    return _nb(format_date(d, DateStyle(months=style.months, digits=style.digits)))


def _range(start: dt.date, end: dt.date, style: DateStyle) -> str:
    """:func:`models.dates.format_range` (Gregorian only), each date held together."""
    plain = DateStyle(months=style.months, digits=style.digits)
    return _RANGE_JOIN.join(_nb(part) for part in
                            format_range(start, end, plain).split(RANGE_SEPARATOR))


_DASH_BETWEEN_DAYS = re.compile(f"([0-9\u0660-\u0669]){RANGE_DASH}(?=[0-9\u0660-\u0669])")
_ALL_MONTHS = sorted({*IRAQI_MONTHS, *EGYPTIAN_MONTHS, *HIJRI_MONTHS}, key=len, reverse=True)
_SP = "[ \u00a0]"
_DIGIT = "[0-9\u0660-\u0669]"
_MONTH_WORDS = "|".join(m.replace(" ", _SP) for m in _ALL_MONTHS)
# A date as the documents write it: a day and a month, the year (and "هـ") when there.
_DATE_IN_TEXT = re.compile(
    rf"(?<!{_DIGIT}){_DIGIT}{{1,2}}{_SP}(?:{_MONTH_WORDS})"
    rf"(?:{_SP}{_DIGIT}{{4}}(?:{_SP}{HIJRI_SUFFIX})?)?")
# A month and its year without a day ("تشرين الثاني ٢٠٢٦", a monthly report's period).
# A month whose name is two words ("كانون الأول"), wherever it stands.
_TWO_WORD_MONTH = re.compile("|".join(m for m in _ALL_MONTHS if " " in m))
_MONTH_YEAR_IN_TEXT = re.compile(rf"(?<!\w)(?:{_MONTH_WORDS}){_SP}{_DIGIT}{{4}}(?!{_DIGIT})")


def hold_dates(text: str) -> str:
    """``text`` with the spaces inside each date (and each month with its year) made
    no-break: what a person typed or edited (a news text kept from the editor, where
    no-break spaces do not survive), or a label that also names files, is held together
    like a drafted date."""
    text = _DATE_IN_TEXT.sub(lambda m: _nb(m.group(0)), text)
    text = _MONTH_YEAR_IN_TEXT.sub(lambda m: _nb(m.group(0)), text)
    text = _TWO_WORD_MONTH.sub(lambda m: _nb(m.group(0)), text)
    text = _DASH_BETWEEN_DAYS.sub(rf"\1{RANGE_DASH}{WORD_JOINER}", text)
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


def weekday_name(d: dt.date | str) -> str:
    """The day of the week, "الأحد"."""
    return _WEEKDAYS[parse_date(d).weekday()]


def day_month_phrase(d: dt.date | str, style: DateStyle) -> str:
    """A day and its month without the year, "٢٢ تشرين الثاني", held together (a column
    heading's date)."""
    d = parse_date(d)
    return _nb(apply_digits(f"{d.day} {month_name(d.month, style)}", style.digits))


def _year_apart(text: str) -> str:
    """A held date or range whose year (and Hijri part) may go to the next line: the
    no-break space before a four-digit year made an ordinary one."""
    return re.sub(f"{NBSP}(?={_DIGIT}{{4}}(?!{_DIGIT}))", " ", text)


def period_phrase(start: dt.date | str, end: dt.date | str | None, style: DateStyle,
                  form: str = "plain") -> str:
    """When an activity took place, written as one piece of a sentence.

    ``form``:

    - ``"plain"``: the dates alone, "٢٢–٢٣ تشرين الثاني ٢٠٢٦" (the certificate's
      ``{start}``…``{end}`` span);
    - ``"cell"``: the same for a narrow table column, where the year may go to the next
      line (never the month: "٢٢–٢٣ تشرين الثاني" / "٢٠٢٦");
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
            text = f"يوم {weekday_name(first)} الموافق {dates}"
            return f"{text} ({hijri})" if hijri else text
        # The dates in apposition after a comma, not in parentheses: brackets beside
        # Arabic-Indic digits are the first thing a right-to-left line gets wrong.
        text = f"لمدة {days_phrase((last - first).days + 1, style.digits)}، {dates}"
        return f"{text} ({hijri})" if hijri else text
    text = f"{dates} ({hijri})" if hijri else dates
    if form == "certificate":
        return f"يوم {text}" if first == last else f"للمدة {text}"
    if form == "cell":
        return _year_apart(text)
    if form != "plain":
        raise ValueError(f"unknown period form {form!r}")
    return text
