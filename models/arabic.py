"""Arabic text rules: what is stored, what is searched, digits and bidi isolation.

Two normalisers with different jobs:

- :func:`fold_input` decides what is *stored* when a user types or pastes. It keeps the text as
  typed (hamza, tashkeel, ة/ه all untouched) and only removes what breaks storage and Word:
  presentation forms pasted from PDFs, bidi control marks and control characters.
- :func:`search_key` decides what is *compared* when searching. It folds every spelling variant
  of a word to one key (see docs "Search (SQLite FTS5)"). Its output is for indexes and
  queries only; never display or store it as the record's text.

:func:`words` turns text into the search tokens (keys with their attached prefixes stripped)
that go into the FTS5 index and into every query; :func:`index_words` adds what the index
needs besides (longer forms, and compound names such as ``عبد الله``/``عبدالله`` both
joined and apart). :func:`name_key` is a person's name folded for spotting duplicates,
compound names joined.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "FEMALE_FIRST_NAMES",
    "apply_digits",
    "fold_input",
    "guess_gender",
    "has_presentation_forms",
    "index_words",
    "IndexWordsCache",
    "isolate",
    "name_key",
    "name_parts",
    "phone_key",
    "query_words",
    "search_key",
    "strip_prefix",
    "to_arabic_digits",
    "to_western_digits",
    "words",
]

# ---------------------------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------------------------

WESTERN_DIGITS = "0123456789"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # U+0660–U+0669, Arabic-Indic
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0–U+06F9, Extended Arabic-Indic

FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE

# LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, ALM and the BOM.
_BIDI_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff"
# Search also drops invisible joiners and breaks: they are never part of what is meant.
_INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad"

_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_NEWLINES_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

# Characters of the presentation-form blocks that NFKC leaves in place. The religious
# ligatures (Unicode 14) are written out as the words they stand for; the ornate parentheses
# become plain ones (in logical order U+FD3F opens and U+FD3E closes); everything else (dot symbols,
# the tail fragment, unassigned code points, the BOM) is dropped.
_PRESENTATION_LEFTOVERS: dict[str, str] = {
    "\ufd3e": ")",
    "\ufd3f": "(",
    "\ufd40": "رحمه الله",
    "\ufd41": "رضي الله عنه",
    "\ufd42": "رضي الله عنها",
    "\ufd43": "رضي الله عنهم",
    "\ufd44": "رضي الله عنهما",
    "\ufd45": "رضي الله عنهن",
    "\ufd46": "صلى الله عليه وآله",
    "\ufd47": "عليه السلام",
    "\ufd48": "عليهم السلام",
    "\ufd49": "عليهما السلام",
    "\ufd4a": "عليه الصلاة والسلام",
    "\ufd4b": "قدس سره",
    "\ufd4c": "صلى الله عليه وآله وسلم",
    "\ufd4d": "عليها السلام",
    "\ufd4e": "تبارك وتعالى",
    "\ufd4f": "رحمهم الله",
    "\ufdcf": "سلامه علينا",
    "\ufdfd": "بسم الله الرحمن الرحيم",
    "\ufdfe": "سبحانه وتعالى",
    "\ufdff": "عز وجل",
}


def _is_presentation_form(ch: str) -> bool:
    return "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff"


def _fold_one_presentation_form(match: re.Match[str]) -> str:
    ch = match.group()
    folded = unicodedata.normalize("NFKC", ch)
    if any(_is_presentation_form(c) for c in folded):
        return _PRESENTATION_LEFTOVERS.get(ch, "")
    return folded


def _fold_presentation_forms(text: str) -> str:
    """NFKC each presentation-form character on its own; leave all other text untouched."""
    return _PRESENTATION_RE.sub(_fold_one_presentation_form, text)


def has_presentation_forms(s: str) -> bool:
    """True if ``s`` holds any character of U+FB50–U+FDFF or U+FE70–U+FEFF."""
    return _PRESENTATION_RE.search(s) is not None


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------

_DROP_BIDI = str.maketrans(dict.fromkeys(_BIDI_MARKS))


def fold_input(text: str, *, multiline: bool = False) -> str:
    """Return what is stored when a user types or pastes ``text``.

    Presentation forms become normal letters (NFKC on those characters only), bidi control
    marks, the BOM and control characters are removed, line ends become ``\\n``. A single-line
    value has every whitespace run collapsed to one space; a multiline value keeps ``\\n`` and
    ``\\t``. Both ends are stripped. Idempotent.
    """
    text = _fold_presentation_forms(text)
    text = text.translate(_DROP_BIDI)
    text = _NEWLINES_RE.sub("\n", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    if multiline:
        return text.strip()
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------

_SEARCH_MAP: dict[int, str | None] = {
    **{ord(c): "ا" for c in "أإآٱ"},
    ord("ة"): "ه",
    ord("ى"): "ي",
    ord("ؤ"): "و",
    ord("ئ"): "ي",
    ord("\u06cc"): "ي",  # Persian yeh ی
    ord("\u06a9"): "ك",  # keheh ک
    ord("\u0640"): None,  # tatweel
    ord("\u0670"): None,  # superscript alef
    **{cp: None for cp in range(0x064B, 0x0653)},  # tanween, harakat, shadda, sukun
    **{cp: None for cp in range(0x06D6, 0x06EE)},  # Quranic annotation marks
    **{ord(c): None for c in _BIDI_MARKS + _INVISIBLE},
    **{ord(a): w for a, w in zip(ARABIC_DIGITS, WESTERN_DIGITS, strict=True)},
    **{ord(p): w for p, w in zip(PERSIAN_DIGITS, WESTERN_DIGITS, strict=True)},
}

_MAX_PASSES = 8


def _search_pass(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _fold_presentation_forms(text)  # what NFKC leaves in those blocks
    text = text.casefold()
    text = text.translate(_SEARCH_MAP)
    return " ".join(text.split())


def search_key(text: str) -> str:
    """Fold ``text`` to its search form: every spelling variant of a word gives the same key.

    NFKC, casefold, أ إ آ ٱ → ا, ة → ه, ى ی → ي, ؤ → و, ئ → ي, ک → ك, tashkeel, Quranic marks,
    tatweel, bidi and zero-width marks removed, Arabic-Indic and Persian digits → 0–9,
    whitespace collapsed. Punctuation is kept. ``search_key(search_key(t)) == search_key(t)``.
    """
    # One pass is not always enough: NFKC can expand a ligature, and removing a haraka can
    # bring a letter and a hamza/madda mark together that NFKC then composes (ا + U+064E +
    # U+0653 → آ → آ). Repeating to a fixed point makes the key idempotent by construction.
    for _ in range(_MAX_PASSES):
        folded = _search_pass(text)
        if folded == text:
            break
        text = folded
    return text


# Light stemming after Lucene's ArabicStemmer (prefixes only): the article forms first, longest
# first, each leaving at least two letters; then a one-letter conjunction or preposition,
# leaving at least three. The length limits keep short words (بيت، ولد، كتب) whole.
#
# Why strip to a fixed point rather than once, as Lucene does: a word's own first letter often
# looks like a prefix. Stripped once, ورشة → رشه but الورشة → ورشه, so a search for ورشة would
# miss الورشة (and برنامج/البرنامج/وبرنامج, كتاب/الكتاب, بغداد/ببغداد the same way). Repeating
# until nothing more comes off gives a word and every prefixed form of it the same token.
# The price is precision: unrelated words can meet (وزير → زير, كتاب → تاب, لبنان → نان).
# For a unit's own few thousand records a missed hit costs more than an extra one, and index
# and query go through the same function, so the conflations are at least symmetric.
_ARTICLE_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_LETTER_PREFIXES = ("و", "ف", "ب", "ك", "ل")


def _strip_once(word: str) -> str:
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    for prefix in _LETTER_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


def strip_prefix(word: str) -> str:
    """Remove attached prefixes (article, conjunction, preposition) from a normalised word.

    ``strip_prefix("والاتصال") == strip_prefix("الاتصال") == "اتصال"``; short words stay whole.
    Idempotent.
    """
    while (shorter := _strip_once(word)) != word:
        word = shorter
    return word


def _is_word_char(ch: str) -> bool:
    # Letters, digits and combining marks of any script; a mark that survives search_key
    # (e.g. U+0654 on a letter it does not compose with) must not split its word.
    return unicodedata.category(ch)[0] in "LNM"


def _spans(key: str) -> list[tuple[int, int]]:
    """The (start, end) of each run of word characters in an already folded key."""
    spans: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate(key):
        if _is_word_char(ch):
            if start is None:
                start = i
        elif start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(key)))
    return [(a, b) for a, b in spans
            if any(unicodedata.category(c)[0] in "LN" for c in key[a:b])]


def _tokens(key: str) -> list[str]:
    """Split an already folded key into runs of word characters."""
    return [key[a:b] for a, b in _spans(key)]


def _spaced_tokens(key: str) -> list[tuple[str, bool]]:
    """Each token of a folded key, and whether only spaces part it from the one before
    (``عبد الله`` may be one name written apart; ``عبد، الله`` never is)."""
    found: list[tuple[str, bool]] = []
    end = None
    for a, b in _spans(key):
        found.append((key[a:b], end is not None and key[end:a].isspace()))
        end = b
    return found


# ---------------------------------------------------------------------------------------------
# Compound names
# ---------------------------------------------------------------------------------------------

# Names of two words that people write joined or apart alike: عبد الله / عبدالله, أبو بكر /
# أبوبكر, نور الدين / نورالدين, فتح الله / فتحالله. A head joins the word after it, a tail
# the word before it (search keys: أبو is ابو). «بن»/«ابن» ("son of") are neither: in a name
# chain they stand apart (محمد بن علي) and nobody writes them joined, so joining would only
# hide a part of the chain; «ابن» is folded to «بن» in the name key instead.
COMPOUND_HEADS = frozenset({"عبد", "ابو"})
# نور الهدى and زين العابدين are as often written joined (نورالهدى) as any of these.
COMPOUND_TAILS = frozenset({"الله", "الدين", "الهدي", "العابدين"})
_SON_OF = {"ابن": "بن"}
_SON_OF_BOTH = {"ابن": "بن", "بن": "ابن"}  # the index holds both, so either finds the other
# A joined word splits into head + rest only when the rest is a word of its own (عبده,
# عبدون, أبوه, أبواب are not compounds), and into first + tail only when the first part
# is a name (not the و of الوالدين).
_MIN_REST = 3
_MIN_FIRST = 2


def _split_compound(token: str) -> list[str]:
    """A joined compound's parts: ``عبدالزهره`` → ``عبد``, ``الزهره``; ``ابوعبدالله`` →
    ``ابو``, ``عبد``, ``الله``; any other token alone."""
    for head in COMPOUND_HEADS:
        if token.startswith(head) and len(token) - len(head) >= _MIN_REST:
            return [head, *_split_compound(token[len(head):])]
    for tail in COMPOUND_TAILS:
        first = token[:-len(tail)]
        if (token.endswith(tail) and len(first) >= _MIN_FIRST
                and not first.endswith("و")):
            return [*_split_compound(first), tail]
    return [token]


def _links(tokens: list[tuple[str, bool]], heads: list[bool]) -> list[bool]:
    """For each token, whether it joins the one before into one compound name."""
    return [i > 0 and spaced and (heads[i - 1] or token in COMPOUND_TAILS)
            for i, (token, spaced) in enumerate(tokens)]


def name_parts(full_name: str) -> list[str]:
    """A person's name as the parts that count in comparing names: folded words, each
    compound one part (``عبد الزهرة`` and ``عبدالزهرة`` are ``عبدالزهره``), «ابن» as «بن»."""
    tokens = [(_SON_OF.get(t, t), spaced) for t, spaced in _spaced_tokens(search_key(full_name))]
    links = _links(tokens, [t in COMPOUND_HEADS for t, _spaced in tokens])
    parts: list[str] = []
    for (token, _spaced), joined in zip(tokens, links, strict=True):
        if joined:
            parts[-1] += token
        else:
            parts.append(token)
    return parts


def words(text: str) -> list[str]:
    """The search tokens of ``text``: folded with :func:`search_key`, split, prefixes stripped.

    ``words("والاتصال الحكومي") == ["اتصال", "حكومي"]``.
    """
    return [strip_prefix(t) for t in _tokens(search_key(text))]


def _chain(token: str) -> list[str]:
    """A token and every shorter form on the way to its stripped form, longest first."""
    chain = [token]
    while (shorter := _strip_once(chain[-1])) != chain[-1]:
        chain.append(shorter)
    return chain


@functools.lru_cache(maxsize=100_000)
def _token_forms(token: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """A token's index forms (stripped form first), its compound parts if it is a joined
    compound (else none), and whether it opens a compound. A prefixed head (وعبد) still
    opens one: its stripped form is the head."""
    chain = _chain(token)
    split = next((p for form in chain if len(p := _split_compound(form)) > 1), [])
    return (tuple(reversed(chain)), tuple(split),
            any(form in COMPOUND_HEADS for form in chain))


def _head_form(part: str) -> str:
    """A compound's first part as it joins the next (وعبد → عبد)."""
    forms, _split, _is_head = _token_forms(part)
    return next((f for f in forms if f in COMPOUND_HEADS), part)


def _run_words(tokens: list[str], parts: list[str]) -> list[str]:
    """What one compound name adds to the index after its tokens' own forms: each joined
    token's parts, every stretch of two parts or more joined (ابو عبد الله gives ابوعبد,
    ابوعبدالله and عبدالله), «بن» for «ابن» and the other way round."""
    extra: dict[str, None] = {}
    for token in tokens:
        if token in _SON_OF_BOTH:
            extra[_SON_OF_BOTH[token]] = None
        for part in _token_forms(token)[1]:
            extra.update(dict.fromkeys(_token_forms(part)[0]))
    for i in range(len(parts) - 1):
        joined = _head_form(parts[i])
        for part in parts[i + 1:]:
            joined += part
            extra.update(dict.fromkeys(_token_forms(joined)[0]))
    have = {form for token in tokens for form in _token_forms(token)[0]}
    return [word for word in extra if word not in have]


def _index_tokens(tokens: list[tuple[str, bool]]) -> list[str]:
    """The index words of a folded token sequence (see :func:`index_words`): each
    token's forms, and after each compound name the words it adds. What a compound adds
    depends on its own tokens only, so text parted by punctuation gives the words of its
    pieces one after the other (what :class:`IndexWordsCache` relies on)."""
    found: list[str] = []
    run: list[str] = []  # the tokens of the current compound name (or the one token)
    parts: list[str] = []  # … with joined compounds split
    special = False  # the run adds words: a compound, or «ابن»/«بن»
    last_head = False
    for token, spaced in tokens:
        forms, split, is_head = _token_forms(token)
        first = split[0] if split else token
        if not (spaced and run and (last_head or first in COMPOUND_TAILS)):
            if special:
                found += _run_words(run, parts)
            run, parts, special = [], [], False
        elif run:
            special = True
        found += forms
        run.append(token)
        if split:
            parts += split
            last_head = split[-1] in COMPOUND_HEADS
            special = True
        else:
            parts.append(token)
            last_head = is_head
            special = special or token in _SON_OF_BOTH
    if special:
        found += _run_words(run, parts)
    return found


def index_words(text: str) -> list[str]:
    """The tokens an index stores for ``text``: each stripped word, then every longer form
    on the way to it (``الورشه``, ``ورشه`` for ``رشه``); for a compound name, its joined
    form and its parts as well (``عبدالله``, ``عبد``, ``الله`` for either spelling).

    The stripped form serves whole-word queries; the longer forms let a prefix query that
    is too short to strip (``ورش*``) still reach ``الورشة`` and ``ورشة``, whose stripped
    form (``رشه``) it could never match. The compound forms let ``عبد الله`` and
    ``عبدالله`` each find the other, typed whole or as it is being typed.
    """
    return _index_tokens(_spaced_tokens(search_key(text)))


class IndexWordsCache:
    """:func:`index_words` that remembers the folding of each space-separated piece of text:
    the same words, several times faster on text that repeats its words (a bulk load).

    Folding works within a piece (NFKC, casefold and the folding table act per character
    and never join across a space; tokens and prefixes are per token); only the compound
    names look across a space, and they are worked out afresh for every text.
    """

    def __init__(self, size: int = 200_000) -> None:
        self._size = size
        self._pieces: dict[str, _Piece | None] = {}
        self._sentences: dict[str, list[str]] = {}

    def _piece(self, piece: str) -> _Piece | None:
        cached = self._pieces.get(piece, False)
        if cached is not False:
            return cached
        key = search_key(piece)
        spaced = _spaced_tokens(key)
        folded = None
        if key:
            forms = [form for token, _spaced in spaced for form in _token_forms(token)[0]]
            plain = not any(_token_forms(token)[1] or _token_forms(token)[2]
                            or token in COMPOUND_TAILS or token in _SON_OF_BOTH
                            for token, _spaced in spaced)
            folded = _Piece(spaced, bool(spaced) and key.startswith(spaced[0][0]),
                            bool(spaced) and key.endswith(spaced[-1][0]), forms, plain)
        if len(self._pieces) < self._size:
            self._pieces[piece] = folded
        return folded

    def __call__(self, text: str) -> list[str]:
        # A full stop and a space part two runs of words: each sentence's words are its
        # own, and a sentence met before is not worked out again.
        found: list[str] = []
        for sentence in text.split(". "):
            cached = self._sentences.get(sentence)
            if cached is None:
                cached = self._words(sentence)
                if len(self._sentences) < self._size // 4:
                    self._sentences[sentence] = cached
            found += cached
        return found

    def _words(self, text: str) -> list[str]:
        pieces = [folded for piece in text.split() if (folded := self._piece(piece))]
        if all(piece.plain for piece in pieces):
            # No compound can start, end or be split here: the words are the pieces'.
            return [form for piece in pieces for form in piece.forms]
        tokens: list[tuple[str, bool]] = []
        open_end = False
        for piece in pieces:
            if piece.tokens:
                tokens.append((piece.tokens[0][0], open_end and piece.starts_open))
                tokens.extend(piece.tokens[1:])
            open_end = piece.ends_open
        return _index_tokens(tokens)


@dataclass(frozen=True)
class _Piece:
    """One space-separated piece of text as :class:`IndexWordsCache` keeps it."""

    tokens: list[tuple[str, bool]]
    starts_open: bool  # its first token begins the piece (nothing before it but a space)
    ends_open: bool  # its last token ends the piece
    forms: list[str]  # its tokens' index forms
    plain: bool  # no token of it opens, closes or is a compound, or is «ابن»/«بن»


def name_key(full_name: str) -> str:
    """A person's name reduced for spotting duplicates: spelling variants, marks and
    spacing folded, and a compound name one word however it is written (``عبد الله`` and
    ``عبدالله``, ``نور الدين`` and ``نورالدين``): see :func:`name_parts`."""
    return " ".join(name_parts(full_name))


def phone_key(phone: str) -> str:
    """A phone number reduced to its digits, with Iraq's +964/00964 written as a leading 0,
    so ``+964 770-123-4567``, ``+964 0770 123 4567``, ``٠٧٧٠١٢٣٤٥٦٧`` and ``07701234567``
    compare equal. Of two numbers in one field ("… / …"), the first is the key."""
    first = re.split(r"[/،,;]", to_western_digits(search_key(phone)), maxsplit=1)[0]
    digits = "".join(ch for ch in first if ch.isdigit())
    for country in ("00964", "964"):
        if digits.startswith(country):
            rest = digits[len(country):]
            if len(rest) == 10:
                return "0" + rest
            if len(rest) == 11 and rest.startswith("0"):
                return rest
    return digits


def query_words(chunk: str) -> list[tuple[str, str]]:
    """For one typed word: each token's (stripped form, whole form), for building queries."""
    return [(strip_prefix(t), t) for t in _tokens(search_key(chunk))]


# ---------------------------------------------------------------------------------------------
# Digits and direction
# ---------------------------------------------------------------------------------------------

_TO_ARABIC = str.maketrans(WESTERN_DIGITS + PERSIAN_DIGITS, ARABIC_DIGITS * 2)
_TO_WESTERN = str.maketrans(ARABIC_DIGITS + PERSIAN_DIGITS, WESTERN_DIGITS * 2)

DIGIT_STYLES = ("arabic", "western")


def to_arabic_digits(s: str) -> str:
    """Western (and Persian) digits → Arabic-Indic ٠–٩."""
    return s.translate(_TO_ARABIC)


def to_western_digits(s: str) -> str:
    """Arabic-Indic and Persian digits → 0–9."""
    return s.translate(_TO_WESTERN)


def apply_digits(s: str, style: str) -> str:
    """Write the digits of ``s`` in ``style``: ``"arabic"`` (٠–٩) or ``"western"`` (0–9)."""
    if style == "arabic":
        return to_arabic_digits(s)
    if style == "western":
        return to_western_digits(s)
    raise ValueError(f"unknown digit style {style!r}; expected one of {DIGIT_STYLES}")


def isolate(s: str) -> str:
    """Wrap ``s`` in a first-strong isolate (U+2068 … U+2069).

    For phone numbers, codes and Latin inside Arabic text in documents, so that their
    punctuation and the surrounding parentheses stay in place. The empty string stays empty.
    """
    return f"{FSI}{s}{PDI}" if s else s


# ---------------------------------------------------------------------------------------------
# Gender from a first name (certificate grammar: السيد/السيدة، شارك/شاركت)
# ---------------------------------------------------------------------------------------------

# Common female first names in Iraq, the Gulf and the Levant. Left out on purpose: names given
# to men too in Iraq (نور is kept: overwhelmingly female there; صباح، نجاح، سلام، ولاء، ضياء،
# صفاء، نبراس، رجاء، وئام، براء are not), and names that fold onto a man's name in the search
# key (تقى = تقي, يسرى = يسري). Names ending in ة that are men's (حمزة، أسامة، طلحة، عبيدة،
# معاوية، عطية، قتيبة) are simply absent, so they come out male.
_FEMALE_NAMES_AS_TYPED = """
فاطمة زينب مريم نور هدى سارة سارا رقية زهراء زهرة حوراء بتول كوثر سكينة خديجة عائشة آمنة
أمينة أسماء حفصة صفية سمية رباب ليلى سلمى نجوى بشرى منى نهى ندى مها لمى ريم رنا رشا رغد
رند رهف رزان روان ريام رحاب رحمة رانيا رانية رنين رؤى رسل زينة سجى سحر سعاد سلوى سماح سمر
سميرة سناء سهى سهام سوسن شذى شهد شيماء شيرين ضحى طيبة عبير علياء علا غادة غدير غفران فرح
فردوس فريال فضيلة فوزية قمر كريمة لبنى لمياء لينا ليال مروة ملاك منار منال ميس ميساء ميسون
نادية نادين نبأ نجلاء نرجس نسرين نسيبة نغم نهلة نوال نورا نورة هالة هاجر هبة هديل هيفاء هند
هناء وجدان وداد وسن وعد وفاء ياسمين أمل أنوار إيمان إسراء إخلاص إقبال ابتسام ابتهال أحلام أريج
أسيل أفراح آلاء آيات أنفال بان بيداء تبارك تغريد جنان جميلة جيهان حنان حلا حليمة حميدة حنين
حياة خلود خولة دعاء دنيا دلال ذكرى زكية زبيدة سلسبيل شروق شفاء صبا صابرين عفاف عواطف غصون
فيروز كفاية لقاء ماجدة مديحة منتهى نجاة نعيمة نفيسة هيام وردة أسرار إيناس أنعام بلقيس بشائر
تهاني جمانة حسناء سندس سهيلة عبلة عزيزة فاتن فائزة لطيفة منيرة ميار نازك نوف تسنيم رحيق
غيداء ثناء أروى بسمة دانة ساجدة عالية فدوى ملك بنين زهور أنسام جنة رفل غزل لجين
"""

FEMALE_FIRST_NAMES: frozenset[str] = frozenset(
    search_key(name) for name in _FEMALE_NAMES_AS_TYPED.split()
)

# Leading titles, as search keys. A gendered title decides; initials such as د. م. أ.د. are
# skipped as one-letter tokens.
_FEMALE_TITLES = frozenset(
    search_key(t)
    for t in "السيدة سيدة الست ست الآنسة آنسة الدكتورة دكتورة الأستاذة أستاذة المهندسة مهندسة "
    "الحاجة حاجة المحامية محامية الشيخة شيخة الأخت أخت أم".split()
)
_MALE_TITLES = frozenset(
    search_key(t)
    for t in "السيد سيد الدكتور دكتور الأستاذ أستاذ المهندس مهندس الحاج حاج المحامي محامي "
    "الشيخ شيخ الأخ أخ أبو عبد".split()
)
_MALE_SECOND_WORDS = frozenset({search_key("الدين")})  # نور الدين، عز الدين، صلاح الدين


def _is_arabic_letters(token: str) -> bool:
    return all(
        "\u0600" <= ch <= "\u06ff" and unicodedata.category(ch).startswith("L") for ch in token
    )


def guess_gender(full_name: str) -> str | None:
    """Guess ``"f"`` or ``"m"`` from a full Arabic name, ``None`` when there is nothing to go by.

    A leading title decides (السيدة، الدكتورة … / السيد، الدكتور …). Otherwise the first name:
    ``"f"`` if it is in :data:`FEMALE_FIRST_NAMES`, ``"m"`` if it is any other Arabic word
    (so حمزة and أسامة are male), ``None`` if the name is empty or not written in Arabic.
    It is a default for a form field; the user has the last word.
    """
    tokens = [t for t in _tokens(search_key(full_name)) if len(t) > 1]
    if not tokens:
        return None
    first = tokens[0]
    if first in _FEMALE_TITLES:
        return "f"
    if first in _MALE_TITLES:
        return "m"
    if not _is_arabic_letters(first):
        return None
    if len(tokens) > 1 and tokens[1] in _MALE_SECOND_WORDS:
        return "m"
    return "f" if first in FEMALE_FIRST_NAMES else "m"
