"""Reading one sheet of an ``.xlsx`` file by streaming its XML, every size bounded.

An ``.xlsx`` is a zip of XML parts; a hostile one can be a zip bomb (a 1 MB file that
inflates to gigabytes), declare a used range of 16,384 columns by 1,048,576 rows around two
cells, or carry entity declarations that expand without end. :func:`read_xlsx` therefore
never builds the sheet as a grid nor the XML as a tree:

* the zip's directory is checked first (how many parts, each part's declared size and
  compression ratio), and the bytes actually inflated are counted while reading, against
  the part's declared size and a budget for the whole file;
* every part is parsed with expat, fed a megabyte at a time; a DOCTYPE (and so any ENTITY)
  is refused as soon as it is met, and so is a run of more than :data:`MAX_TOKEN` bytes
  without a ``>`` (expat holds a whole tag, attributes included, in memory);
* the sheet's cells with a value go to a sparse :class:`~models.importer_read.Cells`,
  which refuses a value beyond the limits the moment it arrives; shared strings are read
  after the sheet, and only those its cells use.

Cell values come out as openpyxl's read-only reader gives them (numbers, dates by the
cell's number format and the workbook's 1900/1904 epoch, booleans, cached formula results,
inline and rich text without phonetic runs), then through
:func:`~models.importer_read.cell_text`, so the table is the one openpyxl would give.
"""

from __future__ import annotations

import io
import posixpath
import pyexpat
import struct
import zipfile
from array import array
from collections.abc import Callable
from typing import IO

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from models.importer_read import Cells, ImportFileError, Table, cell_text, file_error

MB = 1024 * 1024
MAX_PARTS = 10_000  # zip members; a workbook has tens
MAX_PART = 200 * MB  # one part, inflated
MAX_META = 20 * MB  # the workbook, its relationships and styles: small in any real file
MAX_INFLATED = 300 * MB  # all the parts read, together
MAX_RATIO = 100  # sheets deflate 5 to 20 times; deflate's own limit is about 1,000
BIG_PART = 10 * MB  # the ratio is checked on parts bigger than this
MAX_TOKEN = MB  # bytes without a ">": no real tag or cell text comes near it
# Tags parsed, in all the parts read, a self-closing one (<c r="B7" s="3"/>) counted twice:
# what the time to read a file grows with, since a handler runs for each opening and each
# closing. A list at the limits (10,000 rows of 30 text cells) has about 2.5 million; 10
# million of the cheapest (empty cells that only carry formatting) take 6 to 7 s here.
MAX_TAGS = 10_000_000
MAX_SHEETS = 1_000  # names kept for the sheet chooser
MAX_CELL_CHARS = 100_000  # one cell's text; Excel's own limit is 32,767
_CHUNK = MB

_OFFICE_DOCUMENT = "/officeDocument"
_WORKSHEET = "/worksheet"
_SHARED_STRINGS = "/sharedStrings"
_STYLES = "/styles"


class _Stop(Exception):
    """Raised by a handler when the rest of the part is not needed."""


_LOCAL: dict[str, str] = {}


def _local(name: str) -> str:
    """``"{namespace} row"`` (expat's namespace form) or ``"row"`` → ``"row"``."""
    local = _LOCAL.get(name)
    if local is None:
        local = name.rpartition(" ")[2]
        if len(_LOCAL) < 1000:  # a hostile part can use millions of distinct names
            _LOCAL[name] = local
    return local


def _column(ref: str) -> int:
    """The 0-based column of a cell reference: ``"B3"`` → 1, ``"XFD1"`` → 16383."""
    column = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            column = column * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            column = column * 26 + ord(ch) - 96
        else:
            break
        if column > 1 << 40:  # a reference no sheet has; refused as far away, not parsed on
            break
    if column == 0:
        raise ValueError(f"bad cell reference {ref[:20]!r}")
    return column - 1


def _row_number(text: str) -> int:
    """openpyxl's reading of ``<row r="…">``: an integer, possibly written as ``"3.0"``."""
    try:
        number = int(text)
    except ValueError:
        value = float(text)
        if not value.is_integer():
            raise
        number = int(value)
    if number < 1:
        raise ValueError(f"bad row number {text[:20]!r}")
    return number


def _cast_number(text: str) -> int | float:
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


# --- the zip --------------------------------------------------------------------------

class _Package:
    """The zip of an ``.xlsx``, its parts parsed by streaming with every size bounded."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        self.inflated = 0
        self.tags = 0
        self._refuse_many_parts(data)
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        # Part names are case-insensitive in OOXML; zip names are not.
        self.parts = {info.filename.lower(): info for info in self.zip.infolist()}

    def bomb(self, limit: int = MAX_PART) -> ImportFileError:
        return file_error("zip_bomb", self.name, limit=limit // MB)

    def _refuse_many_parts(self, data: bytes) -> None:
        """Count the zip's entries from its end record, before zipfile lists them all
        (a 20 MB zip can hold 200,000 empty entries: 100 MB of ZipInfo objects)."""
        tail = data[-(65535 + 22):]
        at = tail.rfind(b"PK\x05\x06")
        if at >= 0 and len(tail) - at >= 22:
            (entries,) = struct.unpack_from("<H", tail, at + 10)
            if entries > MAX_PARTS:  # 0xFFFF (a zip64 count) included
                raise self.bomb()

    def has(self, part: str) -> bool:
        return part.lower() in self.parts

    def open(self, part: str, limit: int) -> IO[bytes]:
        """A part's inflating stream, after its declared size and ratio are checked."""
        info = self.parts[part.lower()]
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Excel writes deflate only; bzip2 and lzma inflate far more per read.
            raise file_error("bad_excel", self.name)
        size = info.file_size
        if size > limit or self.inflated + size > MAX_INFLATED:
            raise self.bomb(min(limit, MAX_INFLATED))
        if size > BIG_PART and size > MAX_RATIO * max(info.compress_size, 1):
            raise self.bomb(min(limit, MAX_INFLATED))
        return self.zip.open(info)

    def parse(self, part: str, start: Callable[[str, dict[str, str]], None],
              end: Callable[[str], None] | None = None,
              text: Callable[[str], None] | None = None, limit: int = MAX_PART) -> None:
        """Feed ``part`` to expat with these handlers, a megabyte at a time."""
        parser = pyexpat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text

        def refuse(*_args: object) -> None:
            raise file_error("unsafe_xml", self.name)

        # Any DOCTYPE is refused where it starts, before an entity in it is declared, let
        # alone expanded (billion laughs); expat never fetches external entities itself.
        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        declared = self.parts[part.lower()].file_size
        run = 0  # bytes since the last ">"
        with self.open(part, limit) as stream:
            try:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    # zipfile stops at the declared size, but count what really came
                    # out: this is the bound that must hold whatever the headers say.
                    self.inflated += len(chunk)
                    declared -= len(chunk)
                    if declared < 0 or self.inflated > MAX_INFLATED:
                        raise self.bomb(min(limit, MAX_INFLATED))
                    self.tags += chunk.count(b"<") + chunk.count(b"/>")
                    if self.tags > MAX_TAGS:
                        raise file_error("too_big_inside", self.name,
                                         limit=f"{MAX_TAGS // 1_000_000:,}")
                    first = chunk.find(b">")
                    if first < 0:
                        run += len(chunk)
                    else:
                        if run + first > MAX_TOKEN:
                            raise file_error("bad_excel", self.name)
                        run = len(chunk) - chunk.rfind(b">") - 1
                    if run > MAX_TOKEN:
                        raise file_error("bad_excel", self.name)
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
            except _Stop:
                pass

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """``{Id: (Type, target part)}`` of ``part`` (``""`` for the package itself)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        found: dict[str, tuple[str, str]] = {}
        if not self.has(rels):
            return found

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) != "Relationship" or len(found) >= MAX_PARTS:
                return
            target = attrs.get("Target", "")
            if attrs.get("TargetMode") == "External" or not target:
                return
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

        self.parse(rels, start, limit=MAX_META)
        return found


# --- the workbook ---------------------------------------------------------------------

class _Workbook:
    """What ``workbook.xml`` and its relationships say: the sheets, in order, with their
    parts and kinds, the active one, the date epoch, and where strings and styles are."""

    def __init__(self, package: _Package) -> None:
        self.sheets: list[tuple[str, str, str]] = []  # (name, kind, part)
        self.active = 0
        self.epoch = WINDOWS_EPOCH
        self.shared_strings: str | None = None
        self.styles: str | None = None
        root = package.relationships("")
        part = next((target for kind, target in root.values()
                     if kind.endswith(_OFFICE_DOCUMENT)), "xl/workbook.xml")
        if not package.has(part):
            raise KeyError(part)
        listed: list[tuple[str, str]] = []
        views: list[int] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "sheet" and len(listed) < MAX_SHEETS:
                rid = next((v for k, v in attrs.items() if _local(k) == "id"
                            and k != "id"), "")
                listed.append((attrs.get("name", ""), rid))
            elif local == "workbookView" and "activeTab" in attrs:
                views.append(int(attrs["activeTab"]))
            elif local == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904

        package.parse(part, start, limit=MAX_META)
        self.active = views[0] if views else 0
        rels = package.relationships(part)
        for kind, target in rels.values():
            if kind.endswith(_SHARED_STRINGS) and package.has(target):
                self.shared_strings = target
            elif kind.endswith(_STYLES) and package.has(target):
                self.styles = target
        for title, rid in listed:
            kind, target = rels.get(rid, ("", ""))
            if target:
                self.sheets.append((title, kind.rpartition("/")[2], target))

    @property
    def names(self) -> list[str]:
        return [title for title, _kind, _part in self.sheets]

    def order(self, wanted: str | None) -> list[tuple[str, str, str]]:
        """``wanted`` alone if the workbook has it, else the active sheet first and then
        the others (the first one with data is read), as before with openpyxl."""
        chosen = [s for s in self.sheets if s[0] == wanted]
        if chosen:
            return chosen[:1]
        if 0 <= self.active < len(self.sheets):
            first = self.sheets[self.active]
            return [first] + [s for s in self.sheets if s[0] != first[0]]
        return list(self.sheets)


class _Dates:
    """Which cell styles show a number as a date or a duration (openpyxl's rule)."""

    DATE, DURATION = 1, 2

    def __init__(self, package: _Package, part: str | None) -> None:
        self.flags = bytearray()
        if part is None:
            return
        custom: dict[int, str] = {}
        formats = array("l")  # the number format of each cell style, in order
        inside: list[str] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local in ("numFmts", "cellXfs"):
                inside.append(local)
            elif local == "numFmt" and inside and inside[-1] == "numFmts":
                if len(custom) < MAX_PARTS:
                    custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
            elif local == "xf" and inside and inside[-1] == "cellXfs":
                formats.append(int(attrs.get("numFmtId", "0")))

        def end(name: str) -> None:
            if inside and _local(name) == inside[-1]:
                inside.pop()

        package.parse(part, start, end, limit=MAX_META)
        verdicts: dict[int, int] = {}
        for number in formats:
            flag = verdicts.get(number)
            if flag is None:
                code = custom[number] if number in custom else BUILTIN_FORMATS.get(number)
                flag = ((self.DATE if is_date_format(code) else 0)
                        | (self.DURATION if is_timedelta_format(code) else 0))
                verdicts[number] = flag
            self.flags.append(flag)

    def flag(self, style: int) -> int:
        return self.flags[style] if 0 <= style < len(self.flags) else 0


# --- a sheet --------------------------------------------------------------------------

class _SheetReader:
    """expat handlers that put each cell of ``<sheetData>`` with a value into ``cells``.

    They run once per tag of the sheet, so a cell without a value (one that only carries
    formatting: a sheet can hold millions) costs a few attribute look-ups and no more; its
    column and style are worked out only for a cell that has a value.
    """

    def __init__(self, cells: Cells, dates: _Dates, epoch: object) -> None:
        self.cells = cells
        self.dates = dates
        self.epoch = epoch
        self.in_data = False
        self.row = 0  # 1-based, as in the file
        # The column: the last reference met in the row, and the cells since it that had
        # none (each is one column further, as openpyxl counts them).
        self.anchor: str | None = None
        self.bare = 0
        self.kind: str | None = None  # the open <c>'s t, None outside a cell
        self.style: str | None = None
        self.value: str | None = None  # its <v>
        self.inline: list[str] | None = None  # the texts of its <is>
        self.phonetic = 0  # depth inside <rPh>, whose text is not the cell's
        self.buffer: list[str] | None = None  # text of the <v> or <t> being read
        self.size = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _LOCAL.get(name) or _local(name)
        if self.kind is not None:
            if local == "v":
                self.buffer, self.size = [], 0
            elif local == "is":
                self.inline = []
            elif local == "rPh":
                self.phonetic += 1
            elif local == "t" and self.inline is not None and not self.phonetic:
                self.buffer, self.size = [], 0
        elif local == "c":
            if self.in_data:
                ref = attrs.get("r")
                if ref:
                    self.anchor, self.bare = ref, 0
                else:
                    self.bare += 1
                self.kind = attrs.get("t", "n")
                self.style = attrs.get("s")
                self.value = self.inline = None
        elif local == "row":
            if self.in_data:
                ref = attrs.get("r")
                self.row = _row_number(ref) if ref else self.row + 1
                self.anchor, self.bare = None, 0
        elif local == "sheetData":
            self.in_data = True

    def text(self, data: str) -> None:
        if self.buffer is not None:
            self.buffer.append(data)
            self.size += len(data)
            if self.size > MAX_CELL_CHARS:
                raise ValueError("a cell longer than Excel allows")  # a damaged file

    def end(self, name: str) -> None:
        local = _LOCAL.get(name) or _local(name)
        if local == "c":
            if self.kind is not None:
                if self.value is not None or self.inline is not None:
                    self._cell()
                self.kind = None
        elif self.buffer is not None and (local == "v" or local == "t"):
            text = "".join(self.buffer)
            self.buffer = None
            if local == "v":
                if self.value is None:  # openpyxl takes the first <v>
                    self.value = text
            elif self.inline is not None:
                self.inline.append(text)
        elif local == "rPh" and self.phonetic:
            self.phonetic -= 1
        elif local == "sheetData":
            raise _Stop  # the rest (merged cells, print settings…) says nothing of values

    def _column(self) -> int:
        if self.anchor is None:
            return self.bare - 1
        return _column(self.anchor) + self.bare

    def _cell(self) -> None:
        kind = self.kind
        if kind == "inlineStr":
            value: object = "".join(self.inline) if self.inline is not None else None
        else:
            value = self.value or None
        if value is None:
            return
        row = self.row - 1
        if row < 0:  # a cell outside any <row>
            raise ValueError("a cell outside a row")
        if kind == "n":
            value = _cast_number(value)
            flag = self.dates.flag(int(self.style)) if self.style else self.dates.flag(0)
            if flag & _Dates.DATE:
                try:
                    value = from_excel(value, self.epoch, timedelta=bool(flag & _Dates.DURATION))
                except (OverflowError, ValueError):
                    value = "#VALUE!"  # what openpyxl makes of a date out of range
        elif kind == "s":
            self.cells.add(row, self._column(), int(value))
            return
        elif kind == "b":
            value = bool(int(value))
        elif kind == "d":
            value = from_ISO8601(value)
        self.cells.add(row, self._column(), cell_text(value))


def _shared_strings(package: _Package, part: str | None, cells: Cells) -> dict[int, str]:
    """The texts of the shared strings the ``cells`` refer to, and no others."""
    found: dict[int, str] = {}
    wanted = cells.shared_indexes()
    if not wanted:
        return found
    if part is None:
        raise file_error("bad_excel", package.name)
    last = max(wanted)
    state = {"index": -1, "phonetic": 0}
    parts: list[str] | None = None
    buffer: list[str] | None = None
    size = [0]

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal parts, buffer
        local = _local(tag)
        if local == "si":
            state["index"] += 1
            if state["index"] > last:
                raise _Stop
            parts = [] if state["index"] in wanted else None
            size[0] = 0
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and parts is not None and not state["phonetic"]:
            buffer = []

    def text(data: str) -> None:
        if buffer is not None:
            buffer.append(data)
            size[0] += len(data)
            if size[0] > MAX_CELL_CHARS:
                raise ValueError("a string longer than Excel allows")  # a damaged file

    def end(tag: str) -> None:
        nonlocal parts, buffer
        local = _local(tag)
        if local == "t" and buffer is not None:
            if parts is not None:
                parts.append("".join(buffer))
            buffer = None
        elif local == "rPh" and state["phonetic"]:
            state["phonetic"] -= 1
        elif local == "si" and parts is not None:
            # openpyxl drops this escape's marker (_x005F_ is how "_" is escaped).
            found[state["index"]] = "".join(parts).replace("x005F_", "")
            parts = None

    package.parse(part, start, end, text)
    if len(found) < len(wanted):  # a cell refers to a string the file does not have
        raise file_error("bad_excel", package.name)
    return found


def read_xlsx(data: bytes, name: str, sheet: str | None = None) -> Table:
    """The table of ``sheet`` (or of the first sheet with data, the active one first) of
    the ``.xlsx`` file ``data`` called ``name``. Raises
    :class:`~models.importer_read.ImportFileError` for a file that is damaged, not a
    workbook, too big, a zip bomb or hostile XML."""
    try:
        package = _Package(data, name)
        book = _Workbook(package)
        dates = _Dates(package, book.styles)
        order = book.order(sheet)
        for index, (title, kind, part) in enumerate(order):
            if kind != "worksheet" or not package.has(part):  # a chart sheet, say
                continue
            cells = Cells(name)
            reader = _SheetReader(cells, dates, book.epoch)
            package.parse(part, reader.start, reader.end, reader.text)
            cells.resolve(_shared_strings(package, book.shared_strings, cells))
            if any(text.strip() for row in cells.rows.values() for text in row.values()) \
                    or index == len(order) - 1:
                return cells.table(title, book.names)
        raise file_error("no_rows", name)
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure on a damaged zip or XML part
        raise file_error("bad_excel", name) from exc
