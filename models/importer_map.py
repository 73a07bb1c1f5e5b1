"""Which column of an imported table holds what: finding the header row and guessing fields.

Lists of attendees come with a title or two above the table ("كشف بأسماء المشاركين في ورشة
…", a merged cell, a blank row), then a header row in Arabic or English, then the people.
:func:`guess_mapping` finds the header as the first of the first rows whose cells read as
known headers, and maps each column to a :class:`~models.records.Person` field from its
header. Headers are compared through the search key with prefixes stripped
(:func:`models.arabic.words`), so الاسم، الأسم، اسم all read the same. A table without a
header row is guessed from its contents (phones, e-mails, four-part names). The caller
(the mapping dialog) can change any of it with :meth:`Mapping.assign`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from models.arabic import search_key, words
from models.importer_read import Table
from models.records import Person, label

# The Person fields an import can fill, in the order the dialog offers them.
FIELDS: tuple[str, ...] = ("full_name", "gender", "job_title", "entity", "phone", "email",
                           "notes")
# Fields that several columns may share, joined with a space in column order (a name split
# into الاسم / اسم الأب / اسم الجد / اللقب).
MULTI_COLUMN_FIELDS = frozenset({"full_name", "notes"})
# Header rows are looked for among the first rows only.
HEADER_SEARCH_ROWS = 10
# Pseudo-field of a column recognised as a header but never imported (ت، التوقيع).
SKIP = "skip"

_EXACT = {
    "full_name": "الاسم، الاسم الرباعي، الاسم الثلاثي، اسم المشارك، الاسم الكامل، الاسم واللقب، "
                 "الاسم الثلاثي واللقب، الاسم الرباعي واللقب، اسم المشارك الرباعي، اسم الموظف، "
                 "اسم المتدرب، المشارك، اسم الأب، اسم الجد، اللقب، name، full name، "
                 "participant، participant name، attendee، first name، last name، surname",
    "gender": "الجنس، gender، sex",
    "job_title": "العنوان الوظيفي، الوظيفة، المنصب، المسمى الوظيفي، الدرجة الوظيفية، "
                 "job title، position، title، job",
    "entity": "الجهة، الدائرة، المؤسسة، جهة العمل، الوزارة، مكان العمل، الجهة المشاركة، "
              "القسم، المديرية، الشعبة، organisation، organization، entity، department، "
              "ministry، institution، agency، employer",
    "phone": "الهاتف، رقم الهاتف، الموبايل، رقم الموبايل، الجوال، رقم الجوال، النقال، "
             "الهاتف النقال، رقم الهاتف النقال، التلفون، رقم التلفون، phone، mobile، tel، "
             "telephone، phone number، mobile number، phone no",
    "email": "البريد، البريد الإلكتروني، الايميل، الإيميل، email، e-mail، mail، "
             "email address",
    "notes": "ملاحظات، الملاحظات، ملاحظة، notes، remarks، comments",
    SKIP: "ت، تسلسل، التسلسل، الرقم، رقم، م، ن، no، no.، nr، seq، sn، s/n، serial، "
          "التوقيع، توقيع، signature، sign، الرقم الوظيفي، رقم الهوية، الرقم الإحصائي",
}
_RAW_SKIP = frozenset({"#", "№", "ت.", "م."})
# Words that give a longer header away, in the order they are tried: اسم الجهة is an entity.
_KEYWORDS = (
    ("email", "بريد ايميل إيميل email mail"),
    ("phone", "هاتف موبايل جوال تلفون تليفون نقال phone mobile tel telephone"),
    ("gender", "جنس gender sex"),
    ("job_title", "وظيفة وظيفي وظيفية منصب job position"),
    ("entity", "جهة دائرة مؤسسة وزارة مديرية entity organisation organization department "
               "ministry"),
    ("notes", "ملاحظات ملاحظة notes remarks"),
    ("full_name", "اسم name"),
)
# A name column that is not the person's own name (اسم الأم is asked on Iraqi forms).
_NOT_OWN_NAME = frozenset(words("الأم الام والدة mother"))
_KEYWORD_MAX_WORDS = 4


def _key(text: str) -> str:
    return " ".join(words(text))


_EXACT_KEYS: dict[str, str] = {
    _key(s): name for name, synonyms in _EXACT.items() for s in synonyms.split("،")
    if _key(s)
}
_KEYWORD_KEYS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (name, frozenset(words(text))) for name, text in _KEYWORDS)


def field_label(name: str) -> str:
    """The Arabic label of an importable field (the Person field's own label)."""
    return label(Person, name)


def assign_column(columns: dict[int, str], column: int, name: str | None,
                  fields: tuple[str, ...]) -> dict[int, str]:
    """A copy of ``columns`` with ``column`` feeding ``name`` (None: ignored); every
    importer's mapping uses it, each with its own ``fields``."""
    out = dict(columns)
    if name is None:
        out.pop(column, None)
    else:
        if name not in fields:
            raise ValueError(f"unknown field {name!r}")
        out[column] = name
    return out


def match_header(raw: str, exact_keys: dict[str, str],
                 keyword_keys: tuple[tuple[str, frozenset[str]], ...], *,
                 vetoes: dict[str, frozenset[str]] | None = None) -> str | None:
    """The field a cleaned header cell ``raw`` names (or :data:`SKIP`), or None.

    Shared by every importer (attendees, coverage): a whole-header synonym in
    ``exact_keys`` wins; otherwise a short header is matched by its first keyword set in
    ``keyword_keys``, unless a word of ``vetoes[field]`` is also there (then the column
    is skipped). ``raw`` is already trimmed/folded by the caller's own rule.
    """
    if not raw:
        return None
    if raw in _RAW_SKIP:
        return SKIP
    tokens = words(raw)
    if not tokens:
        return None
    exact = exact_keys.get(" ".join(tokens))
    if exact:
        return exact
    if len(tokens) > _KEYWORD_MAX_WORDS:
        return None  # a sentence (a title row), not a header
    present = set(tokens)
    for name, keys in keyword_keys:
        if present & keys:
            if vetoes and present & vetoes.get(name, frozenset()):
                return SKIP
            return name
    return None


def header_field(text: str) -> str | None:
    """The field a header cell names (or :data:`SKIP`), or None if it is not a header."""
    return match_header(text.strip(), _EXACT_KEYS, _KEYWORD_KEYS,
                        vetoes={"full_name": _NOT_OWN_NAME})


@dataclass(frozen=True)
class Mapping:
    """Where the header is and which column feeds which Person field.

    ``header_row`` is an index into ``Table.rows`` (None: no header, data from the first
    row); ``columns`` maps a column index to a field in :data:`FIELDS`; other columns are
    ignored.
    """

    header_row: int | None
    columns: dict[int, str] = field(default_factory=dict)

    @property
    def first_data_row(self) -> int:
        """Index of the first row that holds people."""
        return 0 if self.header_row is None else self.header_row + 1

    def columns_of(self, name: str) -> list[int]:
        """The columns that feed a field, left to right."""
        return sorted(c for c, f in self.columns.items() if f == name)

    def field_of(self, column: int) -> str | None:
        """The field a column feeds, or None when it is ignored."""
        return self.columns.get(column)

    def assign(self, column: int, name: str | None) -> Mapping:
        """A copy with ``column`` feeding ``name`` (None: ignored).

        Other columns are left alone, even when they feed the same single-column field
        (see :attr:`conflicts`): a keyboard user arrowing through a combo passes over
        every field on the way, and must not strip them from their columns as they go.
        """
        return dataclasses.replace(self, columns=assign_column(self.columns, column, name,
                                                               FIELDS))

    @property
    def conflicts(self) -> list[str]:
        """Single-column fields that more than one column feeds (the first would win)."""
        counts: dict[str, int] = {}
        for name in self.columns.values():
            counts[name] = counts.get(name, 0) + 1
        return [n for n in FIELDS if counts.get(n, 0) > 1 and n not in MULTI_COLUMN_FIELDS]

    @property
    def has_name(self) -> bool:
        """True when some column gives the person's name (without it nothing imports)."""
        return "full_name" in self.columns.values()


def _row_fields(row: list[str]) -> list[str | None]:
    return [header_field(cell) for cell in row]


def find_header_row(table: Table) -> int | None:
    """The first row among the first few whose cells read as two or more known headers
    (or, failing that, the first that names at least the name column); None if none does."""
    fallback = None
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        found = {f for f in _row_fields(row) if f is not None}
        if len(found) >= 2 and found != {SKIP}:
            return index
        if fallback is None and "full_name" in found:
            fallback = index
    return fallback


def mapping_for_header(table: Table, header_row: int | None) -> Mapping:
    """The columns guessed from the given header row (or from the data, without one)."""
    if header_row is None:
        return Mapping(None, _guess_from_contents(table))
    columns: dict[int, str] = {}
    for column, name in enumerate(_row_fields(table.rows[header_row])):
        if name is None or name == SKIP:
            continue
        if name in MULTI_COLUMN_FIELDS or name not in columns.values():
            columns[column] = name
    return Mapping(header_row, columns)


def guess_mapping(table: Table) -> Mapping:
    """Find the header row and guess what each column holds."""
    return mapping_for_header(table, find_header_row(table))


# --- a table without headers ----------------------------------------------------------

_PHONE_LIKE = re.compile(r"^\+?[0-9٠-٩۰-۹][0-9٠-٩۰-۹ \-]{6,30}$")
_EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_GENDER_VALUES = frozenset(search_key(v) for v in "ذكر أنثى انثى م ف male female m f".split())
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2,}")


def _guess_from_contents(table: Table, sample: int = 200) -> dict[int, str]:
    rows = [r for r in table.rows[:sample] if any(c.strip() for c in r)]
    columns: dict[int, str] = {}
    tests = (
        ("email", lambda v: bool(_EMAIL_LIKE.match(v))),
        ("phone", lambda v: bool(_PHONE_LIKE.match(v))),
        ("gender", lambda v: search_key(v) in _GENDER_VALUES),
        ("full_name", lambda v: len(_ARABIC_WORD.findall(v)) >= 3),
    )
    for column in range(table.width):
        values = [r[column].strip() for r in rows if r[column].strip()]
        if not values:
            continue
        for name, test in tests:
            if name in columns.values():
                continue
            if sum(1 for v in values if test(v)) >= 0.6 * len(values):
                columns[column] = name
                break
    return columns
