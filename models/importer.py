"""Importing an activity's attendees from a spreadsheet, a CSV file or a paste from Excel.

Three steps, each usable alone (the mapping dialog shows the result of each):

1. :func:`read_table` / :func:`parse_text` (in :mod:`models.importer_read`) turn the file
   into text cells; :func:`guess_mapping` (in :mod:`models.importer_map`) finds the header
   row and what each column holds.
2. :func:`plan` decides, row by row, what would happen: a new person, a match with someone
   already known (the same folded name, compound names joined or apart alike, or the same
   phone once digits, spaces and dashes are folded — within the file too), already on the
   list, a row with a problem, or empty. A new person whose name is a known one's with
   more or fewer parts after the first three (``علي حسين كاظم`` beside ``علي حسين كاظم
   الموسوي``) of the same entity is offered as a possible duplicate: still new, unless the
   caller says it is that person (``same_as``). Nothing is written.
3. :func:`apply` does it in one transaction: new persons are inserted and everyone is put
   on the activity's list for all its days. A ``progress`` callback that raises (the
   user pressed Cancel) rolls everything back.

Cell values that look like spreadsheet formulas (``=HYPERLINK(…)``, ``@SUM(…)``, ``-2+3``)
are never stored as such: the leading trigger is removed and the row carries a note.
Phone numbers stay phone numbers (``+964 770 …``), and a 10-digit number starting with 7 —
an Iraqi mobile whose leading 0 Excel dropped when it took the cell for a number — gets
its 0 back (``7701234567`` → ``07701234567``). No other number is touched.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, field

from models import approval, attendance, persons, records, store
from models.arabic import fold_input, guess_gender, name_key, phone_key, search_key
from models.db import Database
from models.importer_map import (
    FIELDS,
    MULTI_COLUMN_FIELDS,
    Mapping,
    field_label,
    guess_mapping,
    mapping_for_header,
)
from models.importer_read import ImportFileError, Table, parse_text, read_table
from models.records import Person

__all__ = [
    "FIELDS", "Duplicate", "ImportFileError", "ImportPlan", "ImportResult", "Mapping",
    "PlanRow", "RowNote", "RowProblem", "Table", "apply", "field_label", "guess_mapping",
    "import_file", "mapping_for_header", "parse_text", "plan", "read_table",
]

# Row outcomes.
NEW, MATCHED, ON_LIST, PROBLEM, EMPTY = "new", "matched", "on_list", "problem", "empty"

TEXT = {
    "same_name": "الاسم نفسه",
    "same_phone": "رقم الهاتف نفسه",
    "longer_phone": "بداية الاسم نفسها ورقم الهاتف نفسه",
    "longer_entity": "بداية الاسم نفسها والجهة نفسها",
    "formula": "أُزيلت «{trigger}» من بداية «{label}» لأنها تبدو صيغة جدول بيانات.",
    "unknown_gender": "قيمة الجنس «{value}» غير معروفة؛ خُمّن الجنس من الاسم.",
    "no_name_column": ("لم يُعرف عمود الأسماء في «{name}»؛ اجعل فوق الأسماء عنواناً مثل "
                       "«الاسم الرباعي» أو اختر العمود بنفسك.",
                       "No column of names was found in {name}; put a header such as "
                       "\"full name\" above the names, or choose the column."),
}

# A formula starts with one of these (tab and CR too: spreadsheets act on them as well).
_TRIGGERS = "=+-@\t\r"
_NUMBER = re.compile(r"^[+-]?[0-9٠-٩۰-۹]+([.,][0-9٠-٩۰-۹]+)?$")
_PHONE = re.compile(r"^\+?[0-9٠-٩۰-۹][0-9٠-٩۰-۹ \-]{2,30}$")
_LOST_ZERO = re.compile(r"^[7٧][0-9٠-٩]{9}$")
_FLOAT_TEXT = re.compile(r"^[0-9]{6,15}\.0$")
# Cells that mean "nothing here" in hand-made lists.
_PLACEHOLDERS = frozenset(search_key(v) for v in (
    "-", "--", "---", "—", "–", ".", "/", "لا يوجد", "لايوجد", "لا توجد", "n/a", "na", "none",
    "nil", "null"))
_GENDERS = {
    **{search_key(v): "m" for v in ("ذكر", "م", "m", "male", "man", "رجل")},
    **{search_key(v): "f" for v in ("أنثى", "انثى", "ف", "f", "female", "woman", "امرأة")},
}
PROGRESS_EVERY = 50
_BATCH = 500  # keys per query when looking up existing persons


@dataclass(frozen=True)
class RowProblem:
    """A rule a row breaks; the row is skipped (nothing of it is written). ``row`` is the
    file's row number. Shared by the attendee and coverage imports."""

    row: int
    field: str
    message: str


@dataclass(frozen=True)
class RowNote:
    """Something changed or decided on the way in (a formula trigger removed, a guess
    made, a default or a value taken from the outlet)."""

    row: int
    field: str
    message: str


@dataclass(frozen=True)
class Duplicate:
    """A row that is someone already known: in the database, or an earlier row."""

    row: int
    name: str
    matched_id: str
    matched_name: str
    reason: str  # Arabic: الاسم نفسه / رقم الهاتف نفسه
    matched_row: int | None = None  # the earlier row of the file it repeats, if any


@dataclass(frozen=True)
class PlanRow:
    """What happens to one data row of the file."""

    row: int
    status: str
    person: Person | None = None  # the row's values, cleaned (inserted when status is NEW)
    person_id: str | None = None  # who goes on the list: the new or the matched person
    problems: tuple[RowProblem, ...] = ()
    notes: tuple[RowNote, ...] = ()
    duplicate: Duplicate | None = None
    # A new row that may be someone known (a shorter or longer name of the same entity):
    # offered, not decided; apply's ``same_as`` makes it a match.
    possible: Duplicate | None = None


@dataclass(frozen=True)
class ImportPlan:
    """Every data row's fate, before anything is written."""

    activity_id: str
    table: Table
    mapping: Mapping
    rows: list[PlanRow] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def added(self) -> int:
        """New persons to create (and put on the list)."""
        return self._count(NEW)

    @property
    def matched(self) -> int:
        """Rows that are someone already known (or an earlier row), put on the list."""
        return self._count(MATCHED)

    @property
    def on_list(self) -> int:
        """Rows whose person is already on the activity's list (skipped)."""
        return self._count(ON_LIST)

    @property
    def empty(self) -> int:
        """Empty rows between the header and the last person (skipped silently)."""
        return self._count(EMPTY)

    @property
    def problem_rows(self) -> int:
        """Rows skipped because a value breaks a rule."""
        return self._count(PROBLEM)

    @property
    def skipped(self) -> int:
        """Rows that add nobody: empty, with problems, or already on the list."""
        return self.empty + self.problem_rows + self.on_list

    @property
    def problems(self) -> list[RowProblem]:
        """Every problem, in row order."""
        return [p for r in self.rows for p in r.problems]

    @property
    def notes(self) -> list[RowNote]:
        """Every note, in row order."""
        return [n for r in self.rows for n in r.notes]

    @property
    def duplicates(self) -> list[Duplicate]:
        """Every row matched to someone known, in row order."""
        return [r.duplicate for r in self.rows if r.duplicate is not None]

    @property
    def possible_duplicates(self) -> list[Duplicate]:
        """Every new row that may be someone known, in row order (see :class:`PlanRow`)."""
        return [r.possible for r in self.rows if r.possible is not None]


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    added: int
    matched: int
    skipped: int
    empty: int
    on_list: int
    problems: list[RowProblem]
    duplicates: list[Duplicate]
    notes: list[RowNote]
    person_ids: list[str]  # everyone put on the list, in file order
    # New persons added who may be someone known: to look at, and merge if they are.
    possible_duplicates: list[Duplicate] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The result as plain JSON values (the command line's ``--json``)."""
        return {
            "added": self.added, "matched": self.matched, "skipped": self.skipped,
            "empty": self.empty, "already_on_list": self.on_list,
            "problems": [{"row": p.row, "field": p.field, "message": p.message}
                         for p in self.problems],
            "duplicates": [_duplicate_json(d) for d in self.duplicates],
            "notes": [{"row": n.row, "field": n.field, "message": n.message}
                      for n in self.notes],
            "possible_duplicates": [_duplicate_json(d) for d in self.possible_duplicates],
        }


def _duplicate_json(d: Duplicate) -> dict[str, object]:
    return {"row": d.row, "name": d.name, "matched_id": d.matched_id,
            "matched_name": d.matched_name, "reason": d.reason, "matched_row": d.matched_row}


# --- one row --------------------------------------------------------------------------

def defuse(text: str) -> tuple[str, str]:
    """``text`` without a leading formula trigger, and the trigger removed ("" if none).

    ``=1+2`` → ``1+2``; ``@SUM(A1)`` → ``SUM(A1)``; ``-2+3`` → ``2+3``; but a phone number
    (``+964 770 123 4567``) or a plain number (``-5``) is left alone.
    """
    text = fold_input(text)
    removed = ""
    while text and text[0] in _TRIGGERS and not (_PHONE.match(text) or _NUMBER.match(text)):
        removed += text[0]
        text = fold_input(text[1:])
    return text, removed


def _fix_phone(phone: str) -> str:
    if _FLOAT_TEXT.match(phone):  # a number written out by a tool as 7701234567.0
        phone = phone[:-2]
    if _LOST_ZERO.match(phone):
        return ("٠" if phone[0] == "٧" else "0") + phone
    return phone


def _values(row: list[str], mapping: Mapping, number: int
            ) -> tuple[dict[str, str], list[RowNote]]:
    values: dict[str, str] = {}
    notes: list[RowNote] = []
    for name in FIELDS:
        parts = []
        for column in mapping.columns_of(name):
            raw = fold_input(row[column] if column < len(row) else "")
            if search_key(raw) in _PLACEHOLDERS:
                continue
            text, trigger = defuse(raw)
            if trigger:
                notes.append(RowNote(number, name, TEXT["formula"].format(
                    trigger=trigger.strip() or trigger, label=field_label(name))))
            if text:
                parts.append(text)
        if parts:
            values[name] = " ".join(parts) if name in MULTI_COLUMN_FIELDS else parts[0]
    return values, notes


def _person(values: dict[str, str], number: int, notes: list[RowNote]) -> Person:
    gender_text = values.pop("gender", "")
    gender = _GENDERS.get(search_key(gender_text), "")
    if gender_text and not gender:
        notes.append(RowNote(number, "gender",
                             TEXT["unknown_gender"].format(value=gender_text)))
    guessed = False
    if not gender:
        gender = guess_gender(values.get("full_name", "")) or ""
        guessed = bool(gender)
    if "phone" in values:
        values["phone"] = _fix_phone(values["phone"])
    return records.clean(Person(gender=gender, gender_guessed=guessed, **values))


# --- matching -------------------------------------------------------------------------

@dataclass
class _Known:
    """Existing persons by name key and by phone key, oldest first (as persons.matches)."""

    by_name: dict[str, list[Person]] = field(default_factory=dict)
    by_phone: dict[str, list[Person]] = field(default_factory=dict)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _known(db: Database, names: set[str], phones: set[str]) -> _Known:
    """The persons who could match: fetched in batches, not one query per row."""
    known = _Known()
    for column, keys, into in (("name_key", names, known.by_name),
                               ("phone_key", phones - {""}, known.by_phone)):
        for chunk in _chunks(sorted(keys), _BATCH):
            marks = ", ".join("?" * len(chunk))
            for row in db.rows(f"SELECT * FROM persons WHERE deleted_at IS NULL AND "
                               f"{column} IN ({marks}) ORDER BY created_at, rowid", chunk):
                into.setdefault(row[column], []).append(store.from_row(Person, row))
    return known


def _on_list(db: Database, activity_id: str) -> set[str]:
    return {r[0] for r in db.execute("SELECT person_id FROM attendance WHERE activity_id = ? "
                                     "AND deleted_at IS NULL", (activity_id,))}


@dataclass
class _Seen:
    """Rows already planned, by name key and phone key: (row, person id, name, status)."""

    by_name: dict[str, tuple[int, str, str, str]] = field(default_factory=dict)
    by_phone: dict[str, tuple[int, str, str, str]] = field(default_factory=dict)

    def remember(self, nkey: str, pkey: str, entry: tuple[int, str, str, str]) -> None:
        self.by_name.setdefault(nkey, entry)
        if pkey:
            self.by_phone.setdefault(pkey, entry)


def _match(nkey: str, pkey: str, known: _Known, seen: _Seen
           ) -> tuple[Person | None, tuple[int, str, str, str] | None, str]:
    """The existing person or earlier row this one is, and why; the name goes first."""
    by_name = known.by_name.get(nkey, [])
    if by_name:
        both = [p for p in by_name if pkey and phone_key(p.phone) == pkey]
        return (both or by_name)[0], None, TEXT["same_name"]
    if nkey in seen.by_name:
        return None, seen.by_name[nkey], TEXT["same_name"]
    if pkey and known.by_phone.get(pkey):
        return known.by_phone[pkey][0], None, TEXT["same_phone"]
    if pkey and pkey in seen.by_phone:
        return None, seen.by_phone[pkey], TEXT["same_phone"]
    return None, None, ""


# An earlier row of the file, for the possible-duplicate check: (row, person id, name,
# status, name key, phone key, entity key).
_Earlier = tuple[int, str, str, str, str, str, str]


def _possible(row: int, name: str, keys: tuple[str, str, str], related: list[Person],
              earlier: list[_Earlier]) -> Duplicate | None:
    """The known person, or else the earlier row, whose name is this one's with more or
    fewer parts after the first three, with the same phone or entity; oldest first."""
    nkey, pkey, ekey = keys
    for person in related:
        why = persons.same_contact(person, pkey, ekey)
        if why and persons.is_longer_or_shorter(nkey, name_key(person.full_name)):
            return Duplicate(row, name, person.id, person.full_name, TEXT[f"longer_{why}"])
    for number, person_id, other, _status, okey, opkey, oekey in earlier:
        why = ("phone" if pkey and pkey == opkey else
               "entity" if ekey and ekey == oekey else "")
        if why and persons.is_longer_or_shorter(nkey, okey):
            return Duplicate(row, name, person_id, other, TEXT[f"longer_{why}"], number)
    return None


# --- planning -------------------------------------------------------------------------

def plan(db: Database, table: Table, mapping: Mapping, activity_id: str, *,
         same_as: MappingOf[int, str] | None = None) -> ImportPlan:
    """What importing ``table`` with ``mapping`` into the activity would do; writes nothing.

    ``same_as`` maps file rows offered as possible duplicates to the person (or earlier
    row's person) the user said they are: those rows are matched to them.
    Raises :class:`ImportFileError` when no column gives the names, and
    :class:`~models.errors.NotFoundError` when the activity does not exist.
    """
    store.get(db, records.Activity, activity_id)
    if not mapping.has_name:
        arabic, english = TEXT["no_name_column"]
        raise ImportFileError(arabic.format(name=table.source),
                              english.format(name=table.source))
    first = mapping.first_data_row + 1  # row numbers as the user sees them in Excel
    staged = [_stage(first + offset, cells, mapping)
              for offset, cells in enumerate(table.rows[mapping.first_data_row:])]
    return ImportPlan(activity_id, table, mapping,
                      _match_rows(db, activity_id, staged, same_as or {}))


def _stage(number: int, cells: list[str], mapping: Mapping) -> PlanRow:
    """A row's values, cleaned and checked; its status is NEW until matching says more."""
    values, notes = _values(cells, mapping, number)
    if not values:
        return PlanRow(number, EMPTY, notes=tuple(notes))
    person = _person(values, number, notes)
    found = records.problems(person)
    if found:
        problems = tuple(RowProblem(number, p.field, str(p)) for p in found)
        return PlanRow(number, PROBLEM, person, problems=problems, notes=tuple(notes))
    return PlanRow(number, NEW, person, person.id, notes=tuple(notes))


def _match_rows(db: Database, activity_id: str, staged: list[PlanRow],
                same_as: MappingOf[int, str]) -> list[PlanRow]:
    """Match the valid rows against the database, the activity's list and each other."""
    keys = {r.row: (name_key(r.person.full_name), phone_key(r.person.phone),
                    persons.entity_key(r.person.entity))
            for r in staged if r.status in (NEW, MATCHED, ON_LIST)}
    known = _known(db, {k[0] for k in keys.values()}, {k[1] for k in keys.values()})
    related = persons.related_names(db, {persons.first_parts_key(k[0])
                                         for k in keys.values()})
    listed = _on_list(db, activity_id)
    seen = _Seen()
    earlier: dict[str, list[_Earlier]] = {}  # by the first three parts of the name
    rows = []
    for row in staged:
        if row.row not in keys:
            rows.append(row)
            continue
        nkey, pkey, ekey = keys[row.row]
        person = row.person
        existing, before, reason = _match(nkey, pkey, known, seen)
        possible = None
        if existing is not None:
            status = ON_LIST if existing.id in listed else MATCHED
            entry = (row.row, existing.id, existing.full_name, status)
            duplicate = Duplicate(row.row, person.full_name, existing.id, existing.full_name,
                                  reason)
        elif before is not None:
            entry = before
            status = ON_LIST if before[3] == ON_LIST else MATCHED
            duplicate = Duplicate(row.row, person.full_name, before[1], before[2], reason,
                                  before[0])
        else:
            status, duplicate = NEW, None
            entry = (row.row, person.id, person.full_name, NEW)
            first = persons.first_parts_key(nkey)
            possible = _possible(row.row, person.full_name, keys[row.row],
                                 related.get(first, []), earlier.get(first, []))
            if possible is not None and same_as.get(row.row) == possible.matched_id:
                status = ON_LIST if possible.matched_id in listed else MATCHED
                entry = (row.row, possible.matched_id, possible.matched_name, status)
                duplicate, possible = possible, None
        seen.remember(nkey, pkey, entry)
        if first_key := persons.first_parts_key(nkey):
            earlier.setdefault(first_key, []).append((*entry, nkey, pkey, ekey))
        rows.append(dataclasses.replace(row, status=status, person_id=entry[1],
                                        duplicate=duplicate, possible=possible))
    return rows


# --- applying -------------------------------------------------------------------------

def apply(db: Database, import_plan: ImportPlan, activity_id: str | None = None,
          progress: Callable[[int, int], None] | None = None, *,
          same_as: MappingOf[int, str] | None = None) -> ImportResult:
    """Carry out an import in one transaction and say what it did.

    The rows are matched again inside the transaction, so persons added since the
    preview are matched, not duplicated. ``progress(done, total)`` is called every
    :data:`PROGRESS_EVERY` rows; if it raises, nothing of the import is kept.
    ``same_as``: rows offered as possible duplicates that are that person (see
    :func:`plan`); the other offered rows are added as new persons and reported.
    """
    activity_id = activity_id or import_plan.activity_id
    with db.atomic():
        store.get(db, records.Activity, activity_id)
        fresh = dataclasses.replace(import_plan, activity_id=activity_id, rows=_match_rows(
            db, activity_id, import_plan.rows, same_as or {}))
        todo = [r for r in fresh.rows if r.status in (NEW, MATCHED)]
        total = len(todo)
        if progress is not None:
            progress(0, total)
        person_ids: dict[str, None] = {}  # ordered, without repeats
        for done, row in enumerate(todo, start=1):
            if row.status == NEW:
                store.insert(db, row.person)
            if row.person_id not in person_ids:
                attendance.add(db, activity_id, row.person_id)
                person_ids[row.person_id] = None
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
        if person_ids:  # the list changed: an approved or sent activity is a new revision
            approval.touched(db, "activity", activity_id)
    return ImportResult(added=fresh.added, matched=fresh.matched, skipped=fresh.skipped,
                        empty=fresh.empty, on_list=fresh.on_list, problems=fresh.problems,
                        duplicates=fresh.duplicates, notes=fresh.notes,
                        person_ids=list(person_ids),
                        possible_duplicates=fresh.possible_duplicates)


def import_file(db: Database, path: str, activity_id: str, *,
                progress: Callable[[int, int], None] | None = None
                ) -> tuple[ImportResult, Table, Mapping]:
    """Read, guess the columns, and import in one go (the command line's way)."""
    table = read_table(path)
    mapping = guess_mapping(table)
    return apply(db, plan(db, table, mapping, activity_id), activity_id, progress), \
        table, mapping


def describe_mapping(table: Table, mapping: Mapping) -> list[tuple[str, str]]:
    """(field label, header text or column number) for every mapped column, in order."""
    header = table.rows[mapping.header_row] if mapping.header_row is not None else []
    out = []
    for column in sorted(mapping.columns):
        text = header[column].strip() if column < len(header) else ""
        out.append((field_label(mapping.columns[column]), text or str(column + 1)))
    return out

