"""Importing coverage items (الرصد الإعلامي) from a spreadsheet, a CSV file or a paste.

The file is read as the attendees' lists are (:func:`models.importer_read.read_table` /
:func:`~models.importer_read.parse_text`: the same formats, limits and messages), and
its header row is found the way :mod:`models.importer_map` finds it: the first of the
first rows whose cells read as two or more known headers, compared through
:func:`models.arabic.words` (so التاريخ، تاريخ and تأريخ read alike). The mapping here is
the coverage's own: date, outlet, medium, level, tone, title, link, topic, notes, reach.

Values are read as a monitor writes them: a medium, level or tone by its key, its Arabic
name or a common synonym (قناة فضائية is TV, جريدة is press, ايجابي is إيجابي); a date in
any form :func:`models.dates.parse_date` reads; a link without ``https://`` gets it; a
reach as a whole number, with or without thousands separators (12,500 or ١٢٬٥٠٠). An
empty medium or level is taken from the directory of outlets or the outlet's earlier items
(:func:`models.coverage.known_outlets`), else the record's default; an empty tone is
محايد. Each such choice is a note on the row. An outlet the directory lacks is added to it
as its first item is written (:func:`models.outlets.ensure`).

:func:`plan` decides each row's fate and writes nothing; :func:`apply` writes the new
items in one transaction, after deciding again inside it. A row with a problem (no title,
a date that is no date, a tone that is none of the three…) is reported by its row number
in Arabic and nothing of it is written; a row already stored (same date, outlet and
title, or the same link) or repeating an earlier row is skipped and reported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models import coverage, outlets, records, store, vocab
from models.arabic import fold_input, search_key, words
from models.db import Database
from models.importer import RowNote, RowProblem, defuse
from models.importer_map import assign_column, match_header
from models.importer_read import ImportFileError, Table, parse_text, read_table
from models.records import CoverageItem

__all__ = [
    "FIELDS", "CoverageImportPlan", "CoverageImportResult", "CoverageMapping",
    "ImportFileError", "RowNote", "RowProblem", "apply", "describe_mapping", "field_label",
    "find_header_row", "guess_mapping", "import_file", "mapping_for_header", "parse_text",
    "plan", "read_table", "result_lines",
]

#: The CoverageItem fields an import fills, in the order a mapping lists them.
FIELDS: tuple[str, ...] = ("date", "outlet", "medium", "level", "tone", "title", "link",
                           "topic", "notes", "reach")
REQUIRED: tuple[str, ...] = ("date", "title")
HEADER_SEARCH_ROWS = 10
SKIP = "skip"
NEW, DUPLICATE, PROBLEM, EMPTY = "new", "duplicate", "problem", "empty"
PROGRESS_EVERY = 50

_EXACT = {
    "date": "التاريخ، تاريخ النشر، تاريخ البث، تاريخ المادة، تاريخ الخبر، اليوم، date، "
            "publication date، published، date published",
    "outlet": "الوسيلة، الوسيلة الإعلامية، اسم الوسيلة، اسم الوسيلة الإعلامية، المؤسسة "
              "الإعلامية، القناة، الصحيفة، المصدر، الجهة الناشرة، الناشر، outlet، "
              "media outlet، source، channel، publisher",
    "medium": "نوع الوسيلة، نوع الوسيلة الإعلامية، النوع، الوسط، نوع الوسط، نوع الإعلام، "
              "medium، media، media type، type",
    "level": "المستوى، النطاق، مستوى التغطية، level، scope",
    "tone": "الاتجاه، الطابع، التوجه، النبرة، اتجاه التغطية، اتجاه المادة، tone، sentiment",
    "title": "العنوان، عنوان المادة، عنوان الخبر، عنوان التقرير، الخبر، المادة، title، "
             "headline",
    "link": "الرابط، رابط المادة، الرابط الإلكتروني، رابط الخبر، link، url، web link",
    "topic": "الموضوع، المحور، موضوع المادة، topic، subject",
    "notes": "ملاحظات، الملاحظات، ملاحظة، notes، remarks، comments",
    "reach": "الوصول، مدى الوصول، عدد المشاهدات، المشاهدات، عدد المشاهدين، عدد القراء، "
             "الانتشار، الجمهور المتحقق، reach، views، audience، impressions",
    SKIP: "ت، تسلسل، التسلسل، الرقم، رقم، م، no، no.، seq، sn، s/n، serial، #",
}
# Words that give a longer header away, in the order they are tried (نوع الوسيلة is the
# medium before وسيلة makes it the outlet).
_KEYWORDS = (
    ("date", "تاريخ date"),
    ("link", "رابط link url"),
    ("tone", "اتجاه طابع توجه tone sentiment"),
    ("level", "مستوى نطاق level"),
    ("medium", "نوع medium type"),
    ("outlet", "وسيلة قناة صحيفة outlet channel"),
    ("title", "عنوان title headline"),
    ("topic", "موضوع محور topic"),
    ("notes", "ملاحظات ملاحظة notes"),
    ("reach", "وصول مشاهدات مشاهدين انتشار reach views"),
)

# Values as monitors write them, beyond each key and its Arabic label.
_MEDIUM_WORDS = {
    "tv": "تلفاز، تلفزيوني، قناة، قناة فضائية، فضائية، قناة تلفزيونية، television",
    "radio": "اذاعة، راديو، إذاعي",
    "press": "صحيفة، جريدة، مجلة، صحافة ورقية، صحف، newspaper، print",
    "news_agency": "وكالة، وكالة انباء، agency، news agency",
    "website": "موقع، موقع الكتروني، موقع إخباري، موقع اخباري، موقع إلكتروني إخباري، web، "
               "site، news site، online",
    "facebook": "فيس بوك، فيس، fb",
    "x": "اكس، تويتر، twitter",
    "instagram": "انستغرام، انستكرام، انستقرام، insta",
    "telegram": "تلغرام، تليكرام، تلكرام، تليجرام",
    "youtube": "يوتوب، yt",
    "other": "اخرى، غير ذلك",
}
_LEVEL_WORDS = {
    "local": "محلية، وطني، وطنية، national",
    "regional": "اقليمي، إقليمية، عربي، عربية",
    "international": "دولية، عالمي، عالمية، اجنبي، أجنبية، global",
}
_TONE_WORDS = {
    "positive": "ايجابي، إيجابية، ايجابية، positive",
    "neutral": "محايدة، حيادي، حيادية، neutral",
    "negative": "سلبية، negative",
}
# Cells that mean "nothing here" in hand-made lists.
_PLACEHOLDERS = frozenset(search_key(v) for v in (
    "-", "--", "—", "–", ".", "/", "لا يوجد", "لايوجد", "n/a", "na", "none"))

TEXT = {
    "bad_medium": "نوع الوسيلة «{value}» غير معروف؛ الأنواع: {options}.",
    "bad_level": "المستوى «{value}» غير معروف؛ المستويات: {options}.",
    "bad_tone": "الاتجاه «{value}» غير معروف؛ اكتب إيجابي أو محايد أو سلبي.",
    "bad_date": "التاريخ «{value}» غير مفهوم؛ اكتبه مثل 2026-11-23 أو 23/11/2026.",
    "bad_reach": "الوصول «{value}» ليس عدداً صحيحاً؛ اكتبه أرقاماً مثل 12500 أو اتركه فارغاً.",
    "no_date": "تاريخ النشر فارغ.",
    "no_title": "العنوان فارغ.",
    "from_outlet": "أُخذ {label} «{value}» من مواد سابقة للوسيلة «{outlet}».",
    "default": "لم يُذكر {label}؛ عُدّ «{value}».",
    "https": "أُضيفت «https://» إلى بداية الرابط.",
    "formula": "أُزيلت «{trigger}» من بداية «{label}» لأنها تبدو صيغة جدول بيانات.",
    "stored": "المادة مسجلة من قبل ({why}).",
    "earlier": "تكرر الصف {row} ({why}).",
    "same_link": "الرابط نفسه",
    "same_item": "التاريخ والوسيلة والعنوان نفسها",
    "no_columns": ("لم يُعرف في «{name}» عمود {missing}؛ اجعل فوق الأعمدة عناوين مثل "
                   "«التاريخ» و«الوسيلة» و«العنوان» و«الاتجاه».",
                   "No {missing_en} column was found in {name}; put headers such as "
                   "\"date\", \"outlet\", \"title\" and \"tone\" above the columns."),
    # The command line's lines
    "head": "استيراد مواد الرصد الإعلامي من «{file}»{sheet}",
    "sheet": " (الورقة «{sheet}»)",
    "columns": "الأعمدة: {columns}",
    "added": "المواد المضافة: {n}.",
    "skipped": "الصفوف المتروكة: {n} (فارغة: {empty}، فيها مشكلات: {problems}، مكررة: "
               "{duplicates}).",
    "problems": "صفوف فيها مشكلات (لم يُكتب منها شيء):",
    "problem": "  الصف {row} — {label}: {message}",
    "notes": "ملاحظات:",
    "note": "  الصف {row}: {message}",
}


def _key(text: str) -> str:
    return " ".join(words(text))


_EXACT_KEYS: dict[str, str] = {
    _key(s): name for name, synonyms in _EXACT.items() for s in synonyms.split("،")
    if _key(s)
}
_KEYWORD_KEYS = tuple((name, frozenset(words(text))) for name, text in _KEYWORDS)


def _value_table(labels: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    table = {search_key(k): k for k in labels}
    table.update({search_key(v): k for k, v in labels.items()})
    for key, synonyms in extra.items():
        table.update({search_key(s): key for s in synonyms.split("،") if s.strip()})
    return table


_MEDIA = _value_table(vocab.MEDIA, _MEDIUM_WORDS)
_LEVELS = _value_table(vocab.LEVELS, _LEVEL_WORDS)
_TONES = _value_table(vocab.TONES, _TONE_WORDS)


def field_label(name: str) -> str:
    """The Arabic label of an importable field (the CoverageItem field's own label)."""
    return records.label(CoverageItem, name)


# --- the mapping ------------------------------------------------------------------------

def header_field(text: str) -> str | None:
    """The field a header cell names (or ``"skip"``), or None if it is not a header."""
    return match_header(fold_input(text), _EXACT_KEYS, _KEYWORD_KEYS)


@dataclass(frozen=True)
class CoverageMapping:
    """Where the header is (an index into ``Table.rows``) and which column feeds which
    field of :data:`FIELDS`; other columns are ignored."""

    header_row: int | None
    columns: dict[int, str] = field(default_factory=dict)

    @property
    def first_data_row(self) -> int:
        """Index of the first row that holds items."""
        return 0 if self.header_row is None else self.header_row + 1

    def column_of(self, name: str) -> int | None:
        """The (first) column that feeds a field, or None."""
        found = sorted(c for c, f in self.columns.items() if f == name)
        return found[0] if found else None

    def field_of(self, column: int) -> str | None:
        """The field a column feeds, or None when it is ignored."""
        return self.columns.get(column)

    @property
    def conflicts(self) -> list[str]:
        """Fields that more than one column feeds (the first would win)."""
        fed = list(self.columns.values())
        return [n for n in FIELDS if fed.count(n) > 1]

    @property
    def ready(self) -> bool:
        """True when columns give the dates and the titles (without them nothing imports)."""
        return not self.missing

    def assign(self, column: int, name: str | None) -> CoverageMapping:
        """A copy with ``column`` feeding ``name`` (None: ignored)."""
        return dataclasses.replace(self, columns=assign_column(self.columns, column, name,
                                                               FIELDS))

    @property
    def missing(self) -> list[str]:
        """Required fields no column feeds."""
        return [name for name in REQUIRED if name not in self.columns.values()]


def find_header_row(table: Table) -> int | None:
    """The first row among the first few whose cells read as two or more known headers;
    None if none does."""
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        found = {f for f in map(header_field, row) if f is not None and f != SKIP}
        if len(found) >= 2:
            return index
    return None


def guess_mapping(table: Table) -> CoverageMapping:
    """Find the header row and guess what each column holds (the first column of a field
    wins; a table without a header row maps nothing)."""
    return mapping_for_header(table, find_header_row(table))


def mapping_for_header(table: Table, header_row: int | None) -> CoverageMapping:
    """The columns guessed from the given header row (none without one: the mapping
    dialog lets the user say)."""
    if header_row is None or not 0 <= header_row < len(table.rows):
        return CoverageMapping(None)
    columns: dict[int, str] = {}
    for column, name in enumerate(map(header_field, table.rows[header_row])):
        if name is not None and name != SKIP and name not in columns.values():
            columns[column] = name
    return CoverageMapping(header_row, columns)


def describe_mapping(table: Table, mapping: CoverageMapping) -> list[tuple[str, str]]:
    """(field label, header text or column number) for every mapped column, in order."""
    header = table.rows[mapping.header_row] if mapping.header_row is not None else []
    out = []
    for column in sorted(mapping.columns):
        text = header[column].strip() if column < len(header) else ""
        out.append((field_label(mapping.columns[column]), text or str(column + 1)))
    return out


# --- the plan ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanRow:
    """What happens to one data row of the file."""

    row: int
    status: str
    item: CoverageItem | None = None
    problems: tuple[RowProblem, ...] = ()
    notes: tuple[RowNote, ...] = ()
    duplicate_of: str = ""  # why it is a duplicate, in Arabic


@dataclass(frozen=True)
class CoverageImportPlan:
    """Every data row's fate, before anything is written."""

    table: Table
    mapping: CoverageMapping
    activity_id: str | None = None
    rows: list[PlanRow] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def added(self) -> int:
        """Items to write."""
        return self._count(NEW)

    @property
    def problem_rows(self) -> int:
        """Rows left out because a value breaks a rule."""
        return self._count(PROBLEM)

    @property
    def duplicates(self) -> int:
        """Rows left out as already stored or repeating an earlier row."""
        return self._count(DUPLICATE)

    @property
    def empty(self) -> int:
        """Empty rows (skipped silently)."""
        return self._count(EMPTY)

    @property
    def problems(self) -> list[RowProblem]:
        """Every problem, in row order."""
        return [p for r in self.rows for p in r.problems]

    @property
    def notes(self) -> list[RowNote]:
        """Every note, in row order (a duplicate's reason among them)."""
        return [n for r in self.rows for n in r.notes]


@dataclass(frozen=True)
class CoverageImportResult:
    """What an import did."""

    added: int
    skipped: int
    empty: int
    duplicates: int
    problems: list[RowProblem]
    notes: list[RowNote]
    item_ids: list[str]

    def as_json(self) -> dict[str, object]:
        """The result as plain JSON values (the command line's ``--json``)."""
        return {"added": self.added, "skipped": self.skipped, "empty": self.empty,
                "duplicates": self.duplicates,
                "problems": [dataclasses.asdict(p) for p in self.problems],
                "notes": [dataclasses.asdict(n) for n in self.notes],
                "item_ids": self.item_ids}


def _cells(row: list[str], mapping: CoverageMapping, number: int
           ) -> tuple[dict[str, str], list[RowNote]]:
    values: dict[str, str] = {}
    notes: list[RowNote] = []
    for name in FIELDS:
        column = mapping.column_of(name)
        if column is None:
            continue
        raw = fold_input(row[column] if column < len(row) else "")
        if search_key(raw) in _PLACEHOLDERS:
            continue
        text, trigger = defuse(raw)
        if trigger:
            notes.append(RowNote(number, name, TEXT["formula"].format(
                trigger=trigger.strip() or trigger, label=field_label(name))))
        if text:
            values[name] = text
    return values, notes


def _choice(values: dict[str, str], name: str, table: dict[str, str],
            options: dict[str, str], number: int, problems: list[RowProblem]) -> str | None:
    text = values.get(name, "")
    if not text:
        return None
    key = table.get(search_key(text))
    if key is None:
        problems.append(RowProblem(number, name, TEXT[f"bad_{name}"].format(
            value=text, options="، ".join(options.values()))))
    return key


_THOUSANDS = str.maketrans("", "", ",،٬' \u00a0\u202f")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _reach(text: str, number: int, problems: list[RowProblem]) -> int | None:
    """A reach cell as a whole number (thousands separators dropped, a spreadsheet's
    ``12500.0`` read as 12500); a problem on the row for anything else."""
    if not text:
        return None
    digits = text.translate(_DIGITS).translate(_THOUSANDS)
    if digits.endswith(".0"):
        digits = digits[:-2]
    if digits.isascii() and digits.isdigit():
        return int(digits)
    problems.append(RowProblem(number, "reach", TEXT["bad_reach"].format(value=text)))
    return None


def _stage(number: int, cells: list[str], mapping: CoverageMapping,
           outlets: dict[str, coverage.KnownOutlet], activity_id: str | None) -> PlanRow:
    values, notes = _cells(cells, mapping, number)
    if not values:
        return PlanRow(number, EMPTY)
    problems: list[RowProblem] = []
    medium = _choice(values, "medium", _MEDIA, vocab.MEDIA, number, problems)
    level = _choice(values, "level", _LEVELS, vocab.LEVELS, number, problems)
    tone = _choice(values, "tone", _TONES, vocab.TONES, number, problems)
    outlet = values.get("outlet", "")
    known = outlets.get(search_key(outlet)) if outlet else None
    for name, value, options, fallback in (
            ("medium", medium, vocab.MEDIA, "website"),
            ("level", level, vocab.LEVELS, "local"),
            ("tone", tone, vocab.TONES, "neutral")):
        if value is not None or name in values:
            continue  # given (or given wrong: a problem already)
        if known is not None and name != "tone":
            chosen = getattr(known, name)
            notes.append(RowNote(number, name, TEXT["from_outlet"].format(
                label=field_label(name), value=options.get(chosen, chosen),
                outlet=known.name)))
        else:
            chosen = fallback
            notes.append(RowNote(number, name, TEXT["default"].format(
                label=field_label(name), value=options[chosen])))
        if name == "medium":
            medium = chosen
        elif name == "level":
            level = chosen
        else:
            tone = chosen
    link = values.get("link", "")
    if link and "://" not in link and coverage.domain_of(link):
        link = "https://" + link
        notes.append(RowNote(number, "link", TEXT["https"]))
    date_text = values.get("date", "")
    if not date_text:
        problems.append(RowProblem(number, "date", TEXT["no_date"]))
    if not values.get("title"):
        problems.append(RowProblem(number, "title", TEXT["no_title"]))
    reach = _reach(values.get("reach", ""), number, problems)
    item = records.clean(CoverageItem(
        date=date_text or None, outlet=outlet, medium=medium or "website",
        level=level or "local", tone=tone or "neutral", title=values.get("title", ""),
        topic=values.get("topic", ""), link=link, notes=values.get("notes", ""),
        activity_id=activity_id, reach=reach))
    known_fields = {p.field for p in problems}
    for found in records.problems(item):
        if found.field in known_fields:
            continue
        message = (TEXT["bad_date"].format(value=date_text) if found.field == "date"
                   else str(found))
        problems.append(RowProblem(number, found.field, message))
    if problems:
        order = {name: i for i, name in enumerate(FIELDS)}
        problems.sort(key=lambda p: order.get(p.field, len(order)))
        return PlanRow(number, PROBLEM, item, tuple(problems), tuple(notes))
    return PlanRow(number, NEW, item, notes=tuple(notes))


def _item_key(item: CoverageItem) -> tuple[str, str, str]:
    return (item.date or "", search_key(item.outlet), search_key(item.title))


def _mark_duplicates(db: Database, staged: list[PlanRow]) -> list[PlanRow]:
    """Rows already stored, or repeating an earlier row of the file, become duplicates."""
    dates = sorted({r.item.date for r in staged if r.status == NEW and r.item.date})
    stored_keys: set[tuple[str, str, str]] = set()
    stored_links: set[str] = set()
    for start in range(0, len(dates), 500):
        chunk = dates[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for date, outlet, title in db.execute(
                "SELECT date, outlet, title FROM coverage_items WHERE deleted_at IS NULL "
                f"AND date IN ({marks})", chunk):
            stored_keys.add((date, search_key(outlet), search_key(title)))
    links = sorted({r.item.link for r in staged if r.status == NEW and r.item.link})
    for start in range(0, len(links), 500):
        chunk = links[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        stored_links |= {link for (link,) in db.execute(
            "SELECT link FROM coverage_items WHERE deleted_at IS NULL "
            f"AND link IN ({marks})", chunk)}
    seen_keys: dict[tuple[str, str, str], int] = {}
    seen_links: dict[str, int] = {}
    out = []
    for row in staged:
        if row.status != NEW:
            out.append(row)
            continue
        key, link = _item_key(row.item), row.item.link
        if link and link in stored_links:
            why = TEXT["stored"].format(why=TEXT["same_link"])
        elif key in stored_keys:
            why = TEXT["stored"].format(why=TEXT["same_item"])
        elif link and link in seen_links:
            why = TEXT["earlier"].format(row=seen_links[link], why=TEXT["same_link"])
        elif key in seen_keys:
            why = TEXT["earlier"].format(row=seen_keys[key], why=TEXT["same_item"])
        else:
            seen_keys[key] = row.row
            if link:
                seen_links[link] = row.row
            out.append(row)
            continue
        out.append(dataclasses.replace(
            row, status=DUPLICATE, duplicate_of=why,
            notes=(*row.notes, RowNote(row.row, "title", why))))
    return out


def plan(db: Database, table: Table, mapping: CoverageMapping | None = None, *,
         activity_id: str | None = None) -> CoverageImportPlan:
    """What importing ``table`` (with ``mapping``, else the guessed one) would do, each
    item covering ``activity_id`` when given; writes nothing. Raises
    :class:`ImportFileError` when no column gives the dates or the titles, and
    :class:`~models.errors.NotFoundError` for an unknown activity."""
    mapping = mapping or guess_mapping(table)
    if activity_id is not None:
        store.get(db, records.Activity, activity_id)
    if mapping.missing:
        arabic, english = TEXT["no_columns"]
        missing = " و".join(f"«{field_label(n)}»" for n in mapping.missing)
        raise ImportFileError(
            arabic.format(name=table.source, missing=missing),
            english.format(name=table.source, missing_en=" and ".join(mapping.missing)))
    outlets = {search_key(o.name): o for o in coverage.known_outlets(db)}
    first = mapping.first_data_row + 1  # row numbers as the user sees them in Excel
    staged = [_stage(first + offset, cells, mapping, outlets, activity_id)
              for offset, cells in enumerate(table.rows[mapping.first_data_row:])]
    return CoverageImportPlan(table, mapping, activity_id, _mark_duplicates(db, staged))


def apply(db: Database, import_plan: CoverageImportPlan,
          progress: Callable[[int, int], None] | None = None) -> CoverageImportResult:
    """Write the plan's new items in one transaction and say what was done. The rows are
    planned again inside the transaction (items stored since the preview are duplicates,
    not written twice). If ``progress(done, total)`` raises, nothing is kept."""
    with db.atomic():
        fresh = plan(db, import_plan.table, import_plan.mapping,
                     activity_id=import_plan.activity_id)
        todo = [r for r in fresh.rows if r.status == NEW]
        total = len(todo)
        if progress is not None:
            progress(0, total)
        ids = []
        for done, row in enumerate(todo, start=1):
            stored = store.insert(db, row.item)
            outlets.ensure(db, stored.outlet, stored.medium, stored.level, stored.link)
            ids.append(stored.id)
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
    return CoverageImportResult(
        added=fresh.added, skipped=fresh.empty + fresh.problem_rows + fresh.duplicates,
        empty=fresh.empty, duplicates=fresh.duplicates, problems=fresh.problems,
        notes=fresh.notes, item_ids=ids)


def import_file(db: Database, path: str | Path, *, activity_id: str | None = None,
                progress: Callable[[int, int], None] | None = None
                ) -> tuple[CoverageImportResult, Table, CoverageMapping]:
    """Read, guess the columns, and import in one go (the command line's way)."""
    table = read_table(path)
    import_plan = plan(db, table, activity_id=activity_id)
    return apply(db, import_plan, progress), table, import_plan.mapping


def result_lines(result: CoverageImportResult, table: Table,
                 mapping: CoverageMapping) -> list[str]:
    """What the command line prints of an import, in Arabic, line by line."""
    sheet = TEXT["sheet"].format(sheet=table.sheet) if table.sheet else ""
    lines = [TEXT["head"].format(file=table.source, sheet=sheet),
             TEXT["columns"].format(columns="، ".join(
                 f"{name} ← «{header}»" for name, header in describe_mapping(table, mapping))),
             TEXT["added"].format(n=result.added),
             TEXT["skipped"].format(n=result.skipped, empty=result.empty,
                                    problems=len({p.row for p in result.problems}),
                                    duplicates=result.duplicates)]
    if result.problems:
        lines.append(TEXT["problems"])
        lines += [TEXT["problem"].format(row=p.row, label=field_label(p.field),
                                         message=p.message) for p in result.problems]
    if result.notes:
        lines.append(TEXT["notes"])
        lines += [TEXT["note"].format(row=n.row, message=n.message) for n in result.notes]
    return lines
