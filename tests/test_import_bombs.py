"""Hostile spreadsheets imported through the command line: a grid of millions of cells
around two values, deflate bombs, a sheet as wide as Excel allows, billion laughs, a CSV
of a million commas. Each is built here, imported by ``main.py import attendees`` in a
subprocess, and must be read within 300 MB (the child's peak resident memory) — the real
cells imported, or the file refused with an Arabic and English message, exit 1, the
database untouched and nothing in the log of unexpected errors.

The builders are plain functions: ``benchmarks/bench_import.py`` times the same files.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from models import attendance, records, store
from models.db import Database
from models.importer_read import MAX_COLUMNS, MAX_FIELDS, MAX_SPAN, column_letters
from models.paths import data_dir
from tests.conftest import karbala_workshop

resource = pytest.importorskip("resource")  # peak memory of a child: POSIX only

ROOT = Path(__file__).resolve().parent.parent
MAX_PEAK_MB = 300
# A reader that regresses must fail this test, not take the shared machine's memory.
CHILD_ADDRESS_SPACE = 3 * 1024 ** 3
CHILD_TIMEOUT_S = 300

HEADER = "الاسم الرباعي"
NAME = "زينب علي حسين الأسدي"
OTHER = "حيدر عباس كاظم الموسوي"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


# --- building .xlsx files by hand -----------------------------------------------------

def _content_types(shared: bool) -> str:
    parts = [("/xl/workbook.xml", "sheet.main"), ("/xl/worksheets/sheet1.xml", "worksheet"),
             ("/xl/styles.xml", "styles")] + ([("/xl/sharedStrings.xml", "sharedStrings")]
                                              if shared else [])
    overrides = "".join(
        f'<Override PartName="{name}" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.{kind}+xml"/>' for name, kind in parts)
    return ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'{overrides}</Types>')


def write_xlsx(path: Path, sheet: Callable[[Callable[[bytes], object]], None], *,
               shared: str | None = None) -> Path:
    """An .xlsx whose one sheet's XML is written, in pieces, by ``sheet(write)``; the
    sheet part is streamed into the zip, so a gigabyte of it costs no memory here."""
    rels = (f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/>')
    if shared is not None:
        rels += (f'<Relationship Id="rId3" Type="{REL_NS}/sharedStrings" '
                 'Target="sharedStrings.xml"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(shared is not None))
        archive.writestr("_rels/.rels", (
            f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
            '<sheet name="المشاركون" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels",
                         f'<Relationships xmlns="{PKG_REL_NS}">{rels}</Relationships>')
        archive.writestr("xl/styles.xml", (
            f'<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/>'
            '<name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill/>'
            '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
            '<diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2">'
            '<xf numFmtId="0"/><xf numFmtId="49" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            '</cellStyles></styleSheet>'))
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            sheet(part.write)
    return path


def _text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet_xml(write: Callable[[bytes], object], rows: str | Iterator[str],
               dimension: str = "A1") -> None:
    write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
          f'xmlns="{MAIN_NS}"><dimension ref="{dimension}"/><sheetData>'.encode())
    for piece in [rows] if isinstance(rows, str) else rows:
        write(piece.encode())
    write(b"</sheetData></worksheet>")


def _list_rows() -> str:
    """The real data: a header and one attendee, in A1 and A2."""
    return f'<row r="1">{_text("A1", HEADER)}</row><row r="2">{_text("A2", NAME)}</row>'


def sparse_values(path: Path) -> Path:
    """The issue's 5 kB file: values at XFD1 and A1048576 around a list in A1:A2."""
    rows = (f'<row r="1">{_text("A1", HEADER)}{_text("XFD1", "ملاحظة")}</row>'
            f'<row r="2">{_text("A2", NAME)}</row>'
            f'<row r="1048576">{_text("A1048576", OTHER)}</row>')
    return write_xlsx(path, lambda w: _sheet_xml(w, rows, "A1:XFD1048576"))


def sparse_far_down(path: Path) -> Path:
    """A list in A1:A2 and one value a million rows below it."""
    rows = _list_rows() + f'<row r="1048576">{_text("A1048576", OTHER)}</row>'
    return write_xlsx(path, lambda w: _sheet_xml(w, rows, "A1:A1048576"))


def sparse_formatting(path: Path) -> Path:
    """A list in A1:A2 in a sheet formatted out to XFD1048576: the corners are cells
    with a style and no value, and the used range is the whole sheet."""
    rows = (f'<row r="1">{_text("A1", HEADER)}<c r="XFD1" s="1"/></row>'
            f'<row r="2">{_text("A2", NAME)}</row>'
            '<row r="1048576"><c r="A1048576" s="1"/><c r="XFD1048576" s="1"/></row>')
    return write_xlsx(path, lambda w: _sheet_xml(w, rows, "A1:XFD1048576"))


def width_bomb(path: Path, rows: int = 10_000) -> Path:
    """About 79 kB: a list in A1:A2, then rows that each reach column XFD."""
    def more() -> Iterator[str]:
        yield _list_rows()
        for number in range(3, rows + 3):
            yield f'<row r="{number}"><c r="XFD{number}"><v>1</v></c></row>'
    return write_xlsx(path, lambda w: _sheet_xml(w, more(), f"A1:XFD{rows + 2}"))


def wide_row(path: Path) -> Path:
    """A list in A1:A2 whose first row holds a value in every column up to XFD."""
    def more() -> Iterator[str]:
        yield f'<row r="1">{_text("A1", HEADER)}'
        yield "".join(f'<c r="{column_letters(c)}1"><v>{c}</v></c>' for c in range(1, 16384))
        yield f'</row><row r="2">{_text("A2", NAME)}</row>'
    return write_xlsx(path, lambda w: _sheet_xml(w, more(), "A1:XFD2"))


def deflate_bomb(path: Path, size: int = 1 << 30) -> Path:
    """About ``size`` bytes of sheet XML (identical rows, each followed by a run of
    blanks, which deflate packs a thousand to one) in a file of about size / 1000."""
    row = f'<row><c t="inlineStr"><is><t>{OTHER}</t></is></c></row>' + " " * 4000
    block = (row * ((1 << 20) // len(row.encode()))).encode()

    def more(write: Callable[[bytes], object]) -> None:
        write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
              f'{_list_rows()}'.encode())
        written = 0
        while written < size:
            write(block)
            written += len(block)
        write(b"</sheetData></worksheet>")
    return write_xlsx(path, more)


def lying_deflate_bomb(path: Path) -> Path:
    """A gigabyte deflate bomb whose zip directory says the sheet is 1 MB."""
    deflate_bomb(path)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    entry = data.rfind(b"PK\x01\x02")  # the sheet is the last part written
    assert data[entry + 46:entry + 46 + len(name)] == name
    struct.pack_into("<I", data, entry + 24, 1 << 20)
    path.write_bytes(bytes(data))
    return path


def _laughs() -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10))
    return f"<!DOCTYPE lolz [{entities}]>"


def laughs_in_shared_strings(path: Path) -> Path:
    """Billion laughs: a shared string that expands to 10⁹ "lol"s, used by A2."""
    shared = (f'<?xml version="1.0"?>{_laughs().replace("lolz", "sst")}<sst xmlns='
              f'"{MAIN_NS}"><si><t>{HEADER}</t></si><si><t>&lol9;</t></si></sst>')
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>1</v></c></row>')
    return write_xlsx(path, lambda w: _sheet_xml(w, rows), shared=shared)


def laughs_in_sheet(path: Path) -> Path:
    """Billion laughs in the sheet itself, in an inline string."""
    def sheet(write: Callable[[bytes], object]) -> None:
        write(f'<?xml version="1.0"?>{_laughs().replace("lolz", "worksheet")}<worksheet '
              f'xmlns="{MAIN_NS}"><sheetData><row r="1">{_text("A1", HEADER)}</row>'
              f'<row r="2">{_text("A2", "&lol9;")}</row></sheetData></worksheet>'.encode())
    return write_xlsx(path, sheet)


# --- other kinds ----------------------------------------------------------------------

def csv_commas(path: Path) -> Path:
    """A CSV list, then a line of a million commas."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f"{HEADER}\n{NAME}\n")
        fh.write("," * 1_000_000 + "\n")
    return path


def csv_long_line(path: Path) -> Path:
    """A CSV list, then one line of 19 MB with no delimiter at all."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f"{HEADER}\n{NAME}\n")
        for _ in range(19):
            fh.write("x" * (1 << 20))
        fh.write("\n")
    return path


def csv_far_down(path: Path) -> Path:
    """A CSV list, a million empty lines, and one more name."""
    path.write_text(f"{HEADER}\n{NAME}\n" + "\n" * 1_000_000 + f"{OTHER}\n", encoding="utf-8")
    return path


def xls_sparse(path: Path) -> Path:
    """An old .xls with a list in A1:A2 and one value in its last cell, IV65536 (xlrd
    pads every row to the widest unless told not to: 16.7 million cells)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    sheet.write(0, 0, HEADER)
    sheet.write(1, 0, NAME)
    sheet.write(65535, 255, "x")
    book.save(str(path))
    return path


# --- running the command line with its memory measured --------------------------------

@dataclass
class Run:
    """A finished child: exit code, output, and its peak resident memory."""

    returncode: int
    stdout: str
    stderr: str
    peak_mb: float


# The child is started by this small launcher, which reports the child's own peak: a
# process forked from this one (pytest, with Qt loaded) would count this process's
# resident memory as its own, since Linux keeps the high-water mark across exec.
_LAUNCHER = """
import os, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))


def measure_child(cmd: list[str], timeout: float = CHILD_TIMEOUT_S) -> Run:
    """Run ``cmd`` (its first item an absolute path) and return what it printed, its
    exit code and its own peak resident memory. Its address space is capped at
    :data:`CHILD_ADDRESS_SPACE`; past ``timeout`` seconds it is killed."""
    env = dict(os.environ)
    env.pop("PYTHONIOENCODING", None)
    with tempfile.TemporaryDirectory(prefix="ittisal-peak-") as tmp:
        peak = Path(tmp) / "peak"
        child = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(peak), *cmd],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                 cwd=ROOT, preexec_fn=_limit_child, start_new_session=True)
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)  # the launcher and its child
            out, err = child.communicate()
        peak_mb = int(peak.read_text()) / 1024 if peak.exists() else float("inf")
    return Run(child.returncode, out.decode("utf-8", "replace"),
               err.decode("utf-8", "replace"), peak_mb)  # ru_maxrss is in kB on Linux


def run_measured(args: list[str], db: Path) -> Run:
    """``main.py --db DB ARGS``, measured by :func:`measure_child`."""
    return measure_child([sys.executable, str(ROOT / "main.py"), "--db", str(db), *args])


# --- the tests ------------------------------------------------------------------------

@pytest.fixture
def workshop_db(db_path: Path) -> tuple[Path, records.Activity]:
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, karbala_workshop())
    return db_path, workshop


def _unexpected_errors() -> str:
    log = data_dir() / "ittisal.log"
    return log.read_text(encoding="utf-8") if log.exists() else ""


# (builder, file name, what the refusal says in Arabic — None: the list is imported)
REFUSED_FAR = f"بعد العمود {MAX_COLUMNS} أو الصف {MAX_SPAN}"
CASES = {
    "sparse values at XFD1 and A1048576": (sparse_values, "sparse.xlsx",
                                           f"في الخلية XFD1، بعيداً عن أي قائمة ({REFUSED_FAR})"),
    "a value a million rows down": (sparse_far_down, "far.xlsx", "في الخلية A1048576"),
    "a sheet formatted out to XFD1048576": (sparse_formatting, "formatted.xlsx", None),
    "width bomb": (width_bomb, "wide.xlsx", "في الخلية XFD3،"),
    "a row of 16,384 values": (wide_row, "wide-row.xlsx", f"في الخلية {column_letters(200)}1،"),
    "1 GB deflate bomb": (deflate_bomb, "deflate.xlsx", "ليس جدول بيانات عادياً"),
    "150 MB deflate bomb (under the size limit)": (
        lambda p: deflate_bomb(p, 150 << 20), "deflate150.xlsx", "ليس جدول بيانات عادياً"),
    "deflate bomb with a lying size": (lying_deflate_bomb, "lying.xlsx",
                                       "تعذّرت قراءة «lying.xlsx» كملف Excel"),
    "billion laughs in shared strings": (laughs_in_shared_strings, "laughs.xlsx",
                                         "تعريفات XML (DOCTYPE أو ENTITY)"),
    "billion laughs in the sheet": (laughs_in_sheet, "laughs2.xlsx",
                                    "تعريفات XML (DOCTYPE أو ENTITY)"),
    "a CSV line of a million commas": (csv_commas, "commas.csv",
                                       f"صفوف فيها أكثر من {MAX_FIELDS:,} خلية"),
    "a CSV line of 19 MB": (csv_long_line, "long.csv", "تعذّرت قراءة «long.csv» كملف CSV"),
    "a CSV name a million lines down": (csv_far_down, "far.csv", "في الخلية A1000003"),
    "an .xls with a value in IV65536": (xls_sparse, "sparse.xls", "في الخلية IV65536"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_spreadsheet_is_read_in_bounded_memory(workshop_db, tmp_path, case):
    db_path, workshop = workshop_db
    build, file_name, refusal = CASES[case]
    path = build(tmp_path / file_name)
    assert path.stat().st_size < 20 * 1024 * 1024

    result = run_measured(["import", "attendees", "--activity", workshop.id, str(path),
                           "--json"], db_path)

    assert result.peak_mb < MAX_PEAK_MB, f"{case}: peak {result.peak_mb:.0f} MB"
    assert _unexpected_errors() == ""
    with Database.open(db_path) as db:
        listed = [a.person.full_name for a in attendance.attendees(db, workshop.id)]
    if refusal is None:
        assert result.returncode == 0, result.stderr
        out = json.loads(result.stdout)
        assert (out["added"], out["skipped"], out["problems"]) == (1, 0, [])
        assert listed == [NAME]
        return
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    arabic, english = result.stderr.splitlines()
    assert refusal in arabic and f"«{file_name}»" in arabic
    assert file_name in english and english.isascii()
    assert listed == []


# --- the streaming reader reads what openpyxl reads -----------------------------------

def _as_openpyxl_reads(path: Path, sheet: str | None = None) -> list[list[str]]:
    """The table the importer made with openpyxl's read-only reader before it streamed."""
    import openpyxl

    from models.importer_read import cell_text

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = book[sheet] if sheet else book.active
    ws.reset_dimensions()
    rows = [[cell_text(v) for v in values] for values in ws.iter_rows(values_only=True)]
    book.close()
    width = max((i + 1 for row in rows for i, c in enumerate(row) if c.strip()), default=0)
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return [(row + [""] * width)[:width] for row in rows]


def test_the_streaming_reader_reads_what_openpyxl_reads(tmp_path):
    import datetime as dt

    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    from models.importer_read import read_table

    book = openpyxl.Workbook()
    first = book.active
    first.title = "ملاحظات"
    first["B2"] = "ورقة أخرى"
    ws = book.create_sheet("المشاركون")
    ws.append(["الاسم", "التاريخ", "الوقت", "المدة", "نسبة", "منطقي", "عدد", "نص"])
    ws.append([NAME, dt.datetime(2026, 11, 22), dt.time(9, 30), dt.timedelta(hours=30),
               0.25, True, 1e20, "0770"])
    ws.append(["  ", dt.date(1900, 2, 1), dt.datetime(2026, 1, 1, 10, 0, 5), None, -3.5,
               False, 12345678901234567, "#N/A"])
    ws["B2"].number_format = "dd/mm/yyyy"
    ws["C2"].number_format = "h:mm"
    ws["D2"].number_format = "[h]:mm:ss"
    ws["E2"].number_format = "0%"
    ws["B3"].number_format = 'yyyy"年"m"月"'
    ws["A4"] = CellRichText(["حيدر ", TextBlock(InlineFont(b=True), "عباس")])
    ws["J6"] = "بعيد"
    book.active = 1
    windows = tmp_path / "1900.xlsx"
    book.save(windows)
    book.epoch = CALENDAR_MAC_1904
    mac = tmp_path / "1904.xlsx"
    book.save(mac)

    for path in (windows, mac):
        table = read_table(path)
        assert (table.sheet, table.sheets) == ("المشاركون", ["ملاحظات", "المشاركون"])
        assert table.rows == _as_openpyxl_reads(path)
        assert table.rows[1][:3] == [NAME, "2026-11-22", "09:30:00"]
        assert read_table(path, "ملاحظات").rows == _as_openpyxl_reads(path, "ملاحظات")


def test_hand_written_parts_read_as_openpyxl_reads_them(tmp_path):
    """Cells without references, rich and phonetic runs, a prefixed namespace, the
    x005F escape and formula results: what other writers than Excel produce."""
    from models.importer_read import read_table

    shared = (f'<sst xmlns="{MAIN_NS}"><si><t>first_x005F_x000D_</t></si><si><r><t>ri</t>'
              '</r><r><t>ch</t></r><rPh sb="0" eb="1"><t>phonetic</t></rPh></si></sst>')
    rows = ('<row><c t="inlineStr"><is><r><t>أ</t></r><r><t xml:space="preserve"> ب</t></r>'
            '<rPh sb="0" eb="1"><t>x</t></rPh></is></c><c t="str"><f>A1</f><v>cached</v></c>'
            '<c t="e"><v>#DIV/0!</v></c><c t="b"><v>1</v></c><c><v>3.0</v></c>'
            '<c t="s"><v>1</v></c><c t="s"><v>0</v></c></row>'
            '<row r="4"><c r="C4"><v>1E3</v></c><c><v>5</v></c><c r="G4"><f>1+1</f></c>'
            '<c><v>7</v></c></row>')
    plain = write_xlsx(tmp_path / "plain.xlsx", lambda w: _sheet_xml(w, rows), shared=shared)
    prefixed = write_xlsx(tmp_path / "prefixed.xlsx", lambda w: w(
        f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData><x:row r="2"><x:c r="B2" t="s">'
        '<x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'.encode()), shared=shared)
    for path in (plain, prefixed):
        assert read_table(path).rows == _as_openpyxl_reads(path)
    assert read_table(plain).rows[0] == ["أ ب", "cached", "", "TRUE", "3", "rich",
                                         "first_x000D_", ""]
    # C4, then D4 (no reference: next column), G4 a formula without a value, then H4.
    assert read_table(plain).rows[3][2:] == ["1000", "5", "", "", "", "7"]


# --- each limit, in this process ------------------------------------------------------

def _refusal(path: Path) -> str:
    from models.importer_read import ImportFileError, read_table

    with pytest.raises(ImportFileError) as caught:
        read_table(path)
    assert path.name in caught.value.english and caught.value.english.isascii()
    return str(caught.value)


def test_a_zip_of_too_many_parts_is_refused_before_it_is_listed(tmp_path):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(10_001):
            archive.writestr(f"p{n}", b"")
    assert "ليس جدول بيانات عادياً" in _refusal(path)


def test_a_part_packed_with_bzip2_is_refused(tmp_path):
    path = sparse_formatting(tmp_path / "ok.xlsx")
    repacked = tmp_path / "bzip2.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(repacked, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), zipfile.ZIP_BZIP2)
    assert "تعذّرت قراءة «bzip2.xlsx» كملف Excel" in _refusal(repacked)


def test_a_doctype_in_the_workbook_part_is_refused(tmp_path):
    path = sparse_formatting(tmp_path / "ok.xlsx")
    hostile = tmp_path / "doctype.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE workbook [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data
            target.writestr(info, data)
    assert "DOCTYPE أو ENTITY" in _refusal(hostile)


def test_the_budget_of_tags_cells_and_text(tmp_path, monkeypatch):
    from models import importer_read, importer_xlsx

    formatted = write_xlsx(tmp_path / "formatted.xlsx", lambda w: _sheet_xml(
        w, _list_rows() + "".join(f'<row r="{n}"><c r="B{n}" s="1"/></row>'
                                  for n in range(3, 2000))))
    monkeypatch.setattr(importer_xlsx, "MAX_TAGS", 1000)
    assert "خلايا فارغة لا تحمل إلا تنسيقاً" in _refusal(formatted)
    monkeypatch.setattr(importer_xlsx, "MAX_TAGS", 10_000)
    assert importer_read.read_table(formatted).rows == [[HEADER], [NAME]]

    many = tmp_path / "many.csv"
    many.write_text("\n".join(f"{NAME},{n},{n}" for n in range(100)), encoding="utf-8")
    monkeypatch.setattr(importer_read, "MAX_CELLS", 250)
    assert "أكثر من 250 خلية" in _refusal(many)
    monkeypatch.setattr(importer_read, "MAX_CELLS", 300)
    monkeypatch.setattr(importer_read, "MAX_TEXT", 1000)
    assert "1,000 حرف" in _refusal(many)
