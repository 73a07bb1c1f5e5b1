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
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from models.errors import IttisalError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000

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
    "bad_csv": ("تعذّرت قراءة «{name}» كملف CSV: تنسيقه غير صحيح.",
                "Cannot read {name} as CSV: it is malformed."),
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


def _finish(rows: list[list[str]], name: str, sheet: str = "",
            sheets: list[str] | None = None) -> Table:
    """Drop trailing empty rows and columns, pad rows to one width, apply the row limit."""
    filled = 0
    width = 0
    for row in rows:
        if any(c.strip() for c in row):
            filled += 1
            width = max(width, max(i + 1 for i, c in enumerate(row) if c.strip()))
    if filled > MAX_ROWS:
        raise file_error("too_many_rows", name, limit=MAX_ROWS)
    if filled == 0:
        raise file_error("no_rows", name)
    while not any(c.strip() for c in rows[-1]):
        rows.pop()
    table = [(row + [""] * width)[:width] for row in rows]
    return Table(table, source=name, sheet=sheet, sheets=sheets or ([sheet] if sheet else []))


class _Counter:
    """Counts non-empty rows while a reader runs, to stop early on a huge sheet."""

    def __init__(self, name: str) -> None:
        self.name, self.filled = name, 0

    def add(self, row: list[str]) -> list[str]:
        if any(c.strip() for c in row):
            self.filled += 1
            if self.filled > MAX_ROWS:
                raise file_error("too_many_rows", self.name, limit=MAX_ROWS)
        return row


# --- Excel ----------------------------------------------------------------------------

def _read_xlsx(data: bytes, name: str, sheet: str | None) -> Table:
    import openpyxl

    # openpyxl can fail in many ways on a damaged or foreign zip (BadZipFile, KeyError,
    # zlib and XML errors, ValueError…): any of them means the user's file is unreadable.
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - see above
        raise file_error("bad_excel", name) from exc
    try:
        names = list(book.sheetnames)
        order = [sheet] if sheet in names else _sheet_order(names, book.active)
        for title in order:
            ws = book[title]
            if not hasattr(ws, "iter_rows"):  # a chart sheet
                continue
            # Some writers store a wrong used range; forget it and read every row there is.
            ws.reset_dimensions()
            count = _Counter(name)
            rows = [count.add([cell_text(v) for v in values])
                    for values in ws.iter_rows(min_row=1, values_only=True)]
            if count.filled or title == order[-1]:
                return _finish(rows or [[]], name, title, names)
        raise file_error("no_rows", name)
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a readable zip
        raise file_error("bad_excel", name) from exc
    finally:
        book.close()


def _sheet_order(names: list[str], active: object) -> list[str]:
    """The active sheet first, then the others: the first one with data is read."""
    first = getattr(active, "title", None)
    return ([first] if first in names else []) + [n for n in names if n != first]


def _read_xls(data: bytes, name: str, sheet: str | None) -> Table:
    import xlrd

    if _ENCRYPTED_STREAM in data[:65536] or _ENCRYPTED_STREAM in data[-65536:]:
        raise file_error("encrypted", name)
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
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
            count = _Counter(name)
            rows = [count.add([_xls_cell(book, ws.cell(r, c)) for c in range(ws.ncols)])
                    for r in range(ws.nrows)]
            if count.filled or title == order[-1]:
                return _finish(rows or [[]], name, title, names)
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
    if not text.strip():
        raise file_error("no_rows", name)
    controls = sum(1 for ch in text if ch not in "\t\r\n" and unicodedata.category(ch) == "Cc")
    if "\x00" in text or "\ufffd" in text or controls > len(text) / 100:
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


def _split(text: str, name: str, prefer: str | None = None) -> list[list[str]]:
    delimiter = choose_delimiter(text, prefer)
    count = _Counter(name)
    try:
        return [count.add(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                        delimiter=delimiter)]
    except csv.Error as exc:
        raise file_error("bad_csv", name) from exc


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


def _read_text(data: bytes, name: str) -> Table:
    return _finish(_split(decode(data, name), name), name)


def parse_text(text: str, *, source: str = CLIPBOARD_NAME) -> Table:
    """A table pasted from Excel: tab-separated lines (a comma or semicolon list works too)."""
    if len(text) > MAX_BYTES:
        raise file_error("too_big", source, limit=MAX_BYTES // (1024 * 1024))
    if not text.strip():
        raise file_error("no_rows", source)
    return _finish(_split(text, source, prefer="\t"), source)


# --- any file -------------------------------------------------------------------------

def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """Read a spreadsheet or CSV file into a :class:`Table` (of ``sheet``, or the first
    sheet that has data). Raises :class:`ImportFileError` for a file that cannot be used."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise file_error("too_big", name, limit=MAX_BYTES // (1024 * 1024))
        data = path.read_bytes()
    except OSError as exc:
        raise file_error("not_found", name) from exc
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
    return _read_text(data, name)
