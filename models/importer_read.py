"""Reading a list of attendees from a file or a paste into a plain table of text cells.

:func:`read_table` reads ``.xlsx`` (openpyxl), old ``.xls`` (xlrd) and ``.csv``/``.txt``
(UTF-8 with or without BOM, UTF-16 as Excel saves "Unicode text", Windows-1256 as Arabic
Windows saves CSV; comma, semicolon or tab). :func:`parse_text` reads what Excel puts on the
clipboard (tab-separated). Both give a :class:`Table` of ``str`` cells: numbers without a
trailing ``.0``, dates as ISO text, formula cells as their last computed value (never the
formula). What the cells *mean* is decided later, in :mod:`models.importer`.

The file's kind is told from its first bytes, not its name, so an ``.xlsx`` saved with a
``.csv`` name still reads; a PDF, a damaged or password-protected workbook, an empty file or
binary garbage raise :class:`ImportFileError` with a message for the user.

Files come from anywhere, so every reader is bounded: the file is at most :data:`MAX_BYTES`
on disk, only cells that hold something are kept (never a grid padded to the sheet's used
range), and a file whose data reaches beyond :data:`MAX_COLUMNS` columns or row
:data:`MAX_SPAN`, holds more than :data:`MAX_CELLS` cells or :data:`MAX_TEXT` characters,
is a zip bomb or carries XML entity declarations is refused with a message as soon as it
is seen (the ``.xlsx`` reader, :mod:`models.importer_xlsx`, streams the sheet's XML).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from models.errors import IttisalError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000  # rows that hold something
# The last row and column a value may be in: far beyond any list of attendees, and what
# keeps a stray value at XFD1 or A1048576 from becoming a grid of millions of cells.
MAX_SPAN = 50_000
MAX_COLUMNS = 200
# What the kept cells may add up to: 10,000 rows of 30 columns, a third of a million
# characters a row. At these limits a read peaks under 200 MB.
MAX_CELLS = 300_000
MAX_TEXT = 10_000_000  # characters
# A CSV row split into more cells than this is refused before it is split.
MAX_FIELDS = 10_000
_BLOCK = 1 << 20  # characters of a CSV's text turned into lines at a time

# (Arabic, English); {name} is the file's name.
MSG = {
    "not_found": ("تعذّر فتح الملف «{name}»: غير موجود أو لا يمكن قراءته.",
                  "Cannot open {name}: it does not exist or cannot be read."),
    "too_big": ("الملف «{name}» أكبر من {limit} ميغابايت؛ قسّمه إلى ملفات أصغر.",
                "{name} is larger than {limit} MB; split it into smaller files."),
    "empty": ("الملف «{name}» فارغ.", "{name} is empty."),
    "no_rows": ("لا توجد بيانات في «{name}».", "{name} holds no data."),
    "too_many_rows": ("في «{name}» أكثر من {limit} صف؛ قسّمه إلى ملفات أصغر.",
                      "{name} has more than {limit} rows; split it into smaller files."),
    "bad_excel": ("تعذّرت قراءة «{name}» كملف Excel: الملف تالف أو ليس بصيغة xlsx أو xls. "
                  "افتحه في Excel واحفظه بصيغة xlsx أو csv ثم أعد المحاولة.",
                  "Cannot read {name} as an Excel file: it is damaged or not xlsx/xls. "
                  "Open it in Excel, save it as xlsx or csv and try again."),
    "encrypted": ("الملف «{name}» محمي بكلمة مرور؛ احفظه في Excel دون كلمة مرور ثم أعد المحاولة.",
                  "{name} is protected by a password; save it without one and try again."),
    "pdf": ("الملف «{name}» ملف PDF وليس جدول بيانات؛ استورد ملف Excel أو CSV.",
            "{name} is a PDF, not a spreadsheet; import an Excel or CSV file."),
    "not_text": ("الملف «{name}» لا يحوي نصاً مقروءاً؛ يبدو أنه ليس ملف CSV أو أنه تالف.",
                 "{name} holds no readable text; it is not a CSV file, or it is damaged."),
    "long_cell": ("في «{name}» خلية فيها أكثر من {limit} حرف، ولا يكون اسم أو هاتف بهذا الطول؛ "
                  "احذفها أو انسخ القائمة وحدها إلى ملف جديد ثم أعد المحاولة.",
                  "{name} has a cell of more than {limit} characters, longer than any name "
                  "or phone; delete it, or copy the list alone into a new file, and try "
                  "again."),
    "bad_csv": ("تعذّرت قراءة «{name}» كملف CSV: تنسيقه غير صحيح.",
                "Cannot read {name} as CSV: it is malformed."),
    "far_cell": ("في «{name}» قيمة في الخلية {cell}، بعيداً عن أي قائمة (بعد العمود {columns} "
                 "أو الصف {rows})؛ احذفها أو انسخ القائمة وحدها إلى ملف جديد ثم أعد المحاولة.",
                 "{name} has a value in cell {cell}, far from any list (beyond column "
                 "{columns} or row {rows}); delete it, or copy the list alone into a new file, "
                 "and try again."),
    "too_many_columns": ("في «{name}» صفوف فيها أكثر من {limit} خلية؛ احذف الأعمدة الزائدة أو "
                         "انسخ القائمة وحدها إلى ملف جديد ثم أعد المحاولة.",
                         "{name} has rows of more than {limit} cells; delete the extra columns "
                         "or copy the list alone into a new file, and try again."),
    "too_much_data": ("في «{name}» بيانات أكثر بكثير مما تحويه قائمة مشاركين (أكثر من {cells} "
                      "خلية أو {chars} حرف)؛ انسخ القائمة وحدها إلى ملف جديد ثم أعد المحاولة.",
                      "{name} holds far more than a list of attendees (more than {cells} cells "
                      "or {chars} characters); copy the list alone into a new file and try "
                      "again."),
    "too_big_inside": ("«{name}» أكبر بكثير من الداخل مما تكونه قائمة مشاركين: فيه ملايين الخلايا، "
                       "ومنها خلايا فارغة لا تحمل إلا تنسيقاً. انسخ القائمة وحدها إلى ملف جديد "
                       "(أو امسح تنسيق الصفوف والأعمدة غير المستعملة) ثم أعد المحاولة.",
                       "{name} is far bigger inside than a list of attendees: it has millions "
                       "of cells (over {limit} million tags), empty ones that only carry "
                       "formatting included. Copy the list alone into a new file (or clear "
                       "the formatting of unused rows and columns) and try again."),
    "zip_bomb": ("الملف «{name}» ليس جدول بيانات عادياً: يتضخم عند فك ضغطه إلى أكثر مما يحويه "
                 "أي جدول (أكثر من {limit} ميغابايت أو بنسبة ضغط غير معقولة)، فقد يكون مصنوعاً "
                 "لإيقاف الحاسوب أو تالفاً؛ لم يُقرأ. افتحه في Excel واحفظه من جديد إن كنت تثق "
                 "بمصدره.",
                 "{name} is not an ordinary spreadsheet: it inflates when unpacked to more than "
                 "any spreadsheet holds (over {limit} MB, or packed implausibly tight); it may "
                 "be made to stall the computer, or be damaged, and was not read. Open it in "
                 "Excel and save it again if you trust where it came from."),
    "unsafe_xml": ("الملف «{name}» يحوي تعريفات XML (DOCTYPE أو ENTITY) لا يكتبها Excel، وقد "
                   "يكون مصنوعاً لإيقاف الحاسوب؛ لم يُقرأ. افتحه في Excel واحفظه من جديد إن كنت "
                   "تثق بمصدره.",
                   "{name} holds XML declarations (DOCTYPE or ENTITY) that Excel never writes; "
                   "it may be made to stall the computer and was not read. Open it in Excel and "
                   "save it again if you trust where it came from."),
}

CLIPBOARD_NAME = "الحافظة"

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF = b"%PDF"
# A password-protected .xlsx is an OLE2 file holding this stream (its name in UTF-16).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_DELIMITERS = ("\t", ";", ",")
# Control characters (Unicode category Cc) other than tab and line ends: many of them mean
# the "text" is binary.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What Excel shows in a cell whose formula failed: a value that means nothing.
_EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                           "#GETTING_DATA", "#SPILL!", "#CALC!"})


class ImportFileError(IttisalError):
    """A file (or paste) that cannot be imported: unreadable, damaged, too big or empty."""


def file_error(key: str, name: str, **values: object) -> ImportFileError:
    """The error for ``key`` about the file called ``name``."""
    arabic, english = MSG[key]
    return ImportFileError(arabic.format(name=name, **values),
                           english.format(name=name, **values))


@dataclass(frozen=True)
class Table:
    """The cells of one sheet (or a CSV, or a paste) as text, row by row.

    ``rows[i]`` is the file's row ``i + 1``; every row has ``width`` cells. Leading empty
    rows are kept (so row numbers match what the user sees in Excel); trailing ones are not.
    """

    rows: list[list[str]]
    source: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        """The number of columns."""
        return len(self.rows[0]) if self.rows else 0


# --- cells ----------------------------------------------------------------------------

def cell_text(value: object) -> str:
    """One cell's value as text: ``7701234567.0`` → ``"7701234567"``, a date → ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    return "" if text.strip() in _EXCEL_ERRORS else text


def column_letters(column: int) -> str:
    """Excel's name of the 0-based ``column``: 0 → ``A``, 25 → ``Z``, 16383 → ``XFD``."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class Cells:
    """The cells of one sheet that hold something, kept sparsely, checked as they arrive.

    Readers call :meth:`add` for every cell with a value (0-based row and column); a value
    beyond :data:`MAX_COLUMNS` or :data:`MAX_SPAN`, the :data:`MAX_ROWS` + 1st row with a
    value, or more than :data:`MAX_CELLS` cells or :data:`MAX_TEXT` characters raise
    :class:`ImportFileError` at once. An ``int`` value stands for a shared string not read
    yet (see :meth:`resolve`); until then it counts as a value.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: dict[int, dict[int, str | int]] = {}
        self.filled: set[int] = set()
        self.cells = 0
        self.chars = 0
        self.shared = 0

    def add(self, row: int, column: int, value: str | int) -> None:
        """Keep one cell; ``value`` is its text, or the index of its shared string."""
        if isinstance(value, str):
            if not value:
                return
            blank = not value.strip()
            self.chars += len(value)
        else:
            blank = False
            self.shared += 1
        if column >= MAX_COLUMNS or row >= MAX_SPAN:
            if blank:  # a stray space far away changes nothing the user sees
                return
            raise file_error("far_cell", self.name, cell=f"{column_letters(column)}{row + 1}",
                             columns=MAX_COLUMNS, rows=MAX_SPAN)
        self.cells += 1
        if self.cells > MAX_CELLS or self.chars > MAX_TEXT:
            raise self.too_much()
        self.rows.setdefault(row, {})[column] = value
        if not blank and row not in self.filled:
            self.filled.add(row)
            if len(self.filled) > MAX_ROWS:
                raise file_error("too_many_rows", self.name, limit=MAX_ROWS)

    def too_much(self) -> ImportFileError:
        """The error for a sheet over :data:`MAX_CELLS` or :data:`MAX_TEXT`."""
        return file_error("too_much_data", self.name, cells=f"{MAX_CELLS:,}",
                          chars=f"{MAX_TEXT:,}")

    def shared_indexes(self) -> set[int]:
        """The shared strings the kept cells refer to."""
        return {v for cells in self.rows.values() for v in cells.values() if isinstance(v, int)}

    def resolve(self, strings: dict[int, str]) -> None:
        """Put each shared string's text in place of its index (``strings`` has them all)."""
        if not self.shared:
            return
        self.chars += sum(len(text) for text in strings.values())
        if self.chars > MAX_TEXT:
            raise self.too_much()
        for cells in self.rows.values():
            for column, value in cells.items():
                if isinstance(value, int):
                    cells[column] = strings[value]
        self.shared = 0

    def table(self, sheet: str = "", sheets: list[str] | None = None) -> Table:
        """The kept cells as a :class:`Table`: trailing empty rows and columns dropped.

        Rows without a value share one list of empty cells (a few bytes each, however
        many there are between the header and a last row far below).
        """
        filled: list[int] = []
        width = 0
        for row, cells in self.rows.items():
            used = [column for column, text in cells.items() if text.strip()]
            if used:
                filled.append(row)
                width = max(width, max(used) + 1)
        if len(filled) > MAX_ROWS:
            raise file_error("too_many_rows", self.name, limit=MAX_ROWS)
        if not filled:
            raise file_error("no_rows", self.name)
        empty = [""] * width
        rows: list[list[str]] = []
        for row in range(max(filled) + 1):
            cells = self.rows.get(row)
            if not cells:
                rows.append(empty)
                continue
            values = list(empty)
            for column, text in cells.items():
                if column < width:
                    values[column] = text
            rows.append(values)
        return Table(rows, source=self.name, sheet=sheet,
                     sheets=sheets or ([sheet] if sheet else []))


# --- Excel ----------------------------------------------------------------------------

def _read_xlsx(data: bytes, name: str, sheet: str | None) -> Table:
    from models.importer_xlsx import read_xlsx

    return read_xlsx(data, name, sheet)


def _read_xls(data: bytes, name: str, sheet: str | None) -> Table:
    import xlrd

    if _ENCRYPTED_STREAM in data[:65536] or _ENCRYPTED_STREAM in data[-65536:]:
        raise file_error("encrypted", name)
    try:
        # ragged_rows: a row is as long as its last cell, never padded to the widest row
        # (one value at IV1 would otherwise give every one of 65,536 rows 256 cells).
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    except xlrd.XLRDError as exc:
        key = "encrypted" if "encrypt" in str(exc).lower() else "bad_excel"
        raise file_error(key, name) from exc
    except Exception as exc:  # noqa: BLE001 - xlrd fails variously on damaged files
        raise file_error("bad_excel", name) from exc
    try:
        names = book.sheet_names()
        order = [sheet] if sheet in names else names
        for title in order:
            ws = book.sheet_by_name(title)
            cells = Cells(name)
            for r in range(ws.nrows):
                for c in range(ws.row_len(r)):
                    cells.add(r, c, _xls_cell(book, ws.cell(r, c)))
            if cells.filled or title == order[-1]:
                return cells.table(title, names)
            book.unload_sheet(title)
        raise file_error("no_rows", name)
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet
        raise file_error("bad_excel", name) from exc
    finally:
        book.release_resources()


def _xls_cell(book: object, cell: object) -> str:
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind == xlrd.XL_CELL_EMPTY or kind == xlrd.XL_CELL_BLANK:
        return ""
    if kind == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(value))
    if kind == xlrd.XL_CELL_ERROR:
        return ""
    return cell_text(value)


# --- text -----------------------------------------------------------------------------

def decode(data: bytes, name: str) -> str:
    """The text of a CSV file: BOMs first, then UTF-8 strictly, then Windows-1256."""
    text = _decode(data, name)
    text = text.rstrip("\x1a")  # DOS end-of-file marker written by old tools
    if not text or text.isspace():  # not text.strip(), which would copy 20 MB
        raise file_error("no_rows", name)
    limit = len(text) // 100
    # Counting stops past the limit: garbage stops at once, text is one C-speed scan.
    controls = sum(1 for _ in islice(_CONTROLS.finditer(text), limit + 1))
    if "\x00" in text or "\ufffd" in text or controls > limit:
        raise file_error("not_text", name)
    return text


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise file_error("not_text", name) from exc
    guess = _bomless_utf16(data)
    if guess:
        try:
            return data.decode(guess)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1256")
    except UnicodeDecodeError as exc:
        raise file_error("not_text", name) from exc


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as every other byte zero (for Latin text and digits)."""
    sample = data[:4000]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _lines(text: str, delimiter: str, name: str, fed: list[int]) -> Iterator[str]:
    """The lines of ``text`` with their ends, a block at a time (a copy of the whole text
    would cost four bytes a character). ``fed[0]`` counts the delimiters handed to the
    CSV reader since its last row: a row of more than :data:`MAX_FIELDS` cells is refused
    before the reader makes a list of them (a line of a million commas)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + _BLOCK)
        if end < 0:  # no LF further on, so no CR LF pair can be cut by a lone CR
            end = text.find("\r", start + _BLOCK)
        end = len(text) if end < 0 else end + 1
        if end - start > 2 * _BLOCK:
            # A line of over a million characters: no list has one, and splitting it
            # would take several copies of it.
            raise file_error("bad_csv", name)
        for line in io.StringIO(text[start:end], newline=""):
            fed[0] += line.count(delimiter)
            if fed[0] > MAX_FIELDS:
                raise file_error("too_many_columns", name, limit=f"{MAX_FIELDS:,}")
            yield line
        start = end


def _split(text: str, name: str, prefer: str | None = None) -> Cells:
    delimiter = choose_delimiter(text, prefer)
    cells = Cells(name)
    fed = [0]
    try:
        for r, row in enumerate(csv.reader(_lines(text, delimiter, name, fed),
                                           delimiter=delimiter)):
            fed[0] = 0
            for c, value in enumerate(row):
                if value:
                    cells.add(r, c, value)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            # The file is well formed; one cell is beyond what the reader takes.
            raise file_error("long_cell", name, limit=f"{csv.field_size_limit():,}") from exc
        raise file_error("bad_csv", name) from exc
    return cells


def choose_delimiter(text: str, prefer: str | None = None) -> str:
    """Comma, semicolon or tab: the one that splits the most lines into the same number of
    cells (csv.Sniffer breaks ties; it alone is fooled by commas inside names)."""
    sample = text[:64 * 1024]
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    best, best_score = prefer or sniffed or ",", (-1, -1, -1)
    for delimiter in _DELIMITERS:
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
        width, rows = max(widths.items(), key=lambda item: (item[1], item[0]),
                          default=(1, 0))
        if width < 2:
            continue
        score = (rows, delimiter in (prefer, sniffed), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_text(text: str, *, source: str = CLIPBOARD_NAME) -> Table:
    """A table pasted from Excel: tab-separated lines (a comma or semicolon list works too)."""
    if len(text) > MAX_BYTES:
        raise file_error("too_big", source, limit=MAX_BYTES // (1024 * 1024))
    if not text.strip():
        raise file_error("no_rows", source)
    return _split(text, source, prefer="\t").table()


# --- any file -------------------------------------------------------------------------

def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """Read a spreadsheet or CSV file into a :class:`Table` (of ``sheet``, or the first
    sheet that has data). Raises :class:`ImportFileError` for a file that cannot be used."""
    path = Path(path)
    name = path.name
    too_big = file_error("too_big", name, limit=MAX_BYTES // (1024 * 1024))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise too_big
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # it may have grown since stat()
    except OSError as exc:
        raise file_error("not_found", name) from exc
    if len(data) > MAX_BYTES:
        raise too_big
    if not data:
        raise file_error("empty", name)
    if data.startswith(_ZIP):
        return _read_xlsx(data, name, sheet)
    if data.startswith(_OLE2):
        return _read_xls(data, name, sheet)
    if data.lstrip().startswith(_PDF):
        raise file_error("pdf", name)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise file_error("bad_excel", name)
    if path.suffix.lower() == ".xls" and data.lstrip()[:1] == b"<":
        # An HTML or XML page saved with an .xls name (some systems export these).
        raise file_error("bad_excel", name)
    try:
        text = decode(data, name)
    except ImportFileError as exc:
        if path.suffix.lower() == ".xls" and exc.english == MSG["not_text"][1].format(
                name=name):
            # Binary that is no workbook, under an Excel name: a damaged Excel file to the
            # user, not "not a CSV" (a tab-separated text saved as .xls still reads).
            raise file_error("bad_excel", name) from exc
        raise
    del data  # the text is all that is needed now: up to 20 MB less at the peak
    return _split(text, name).table()
