"""Import benchmark: untrusted spreadsheets read within 300 MB and about 10 s, or refused.

    python benchmarks/bench_import.py [--quick]

Each file is measured twice, each time in a fresh process: the *read* (what the import
dialog does first: :func:`models.importer.read_table` and the guess of the columns) and
the *import* (``main.py import attendees --activity ID FILE --json`` against a temporary
database: the read, the plan and the one transaction, as a user runs it). Seconds are the
wall time of the process, memory its own peak resident set (taken by the tests' launcher,
``tests.test_import_bombs.measure_child``, so that this process's memory is not counted).
The files:

- a floor: a CSV of two rows (the start-up of a process and a trivial read);
- a list of 9,999 attendees under a header (the 10,000 rows an import takes at most) as
  ``.xlsx`` and as CSV;
- the widest list accepted: 10,000 rows of 30 text columns (300,000 cells, the limit);
- a realistic ``.xlsx`` of 360,000 attendees written as Excel writes them (shared
  strings), 19 MB, just under the size limit; it is refused at its 10,001st row;
- the slowest files: sheets of formatted empty cells, which must be parsed to the end to
  learn that they hold nothing: one just under the budget of tags a read may parse
  (:data:`models.importer_xlsx.MAX_TAGS`), and one of 1.2 times as many;
- every hostile file of ``tests/test_import_bombs.py``.

Baselines measured in the same run, in a process of their own the same way: openpyxl's
own read-only load of the same file (``load_workbook(read_only=True)`` and every row of
``iter_rows(values_only=True)``, as the importer read before) for the ``.xlsx`` lists, and
the floor for the others (how far above a two-row read each one costs); the ratio is the
read's to the baseline's. A baseline that goes past 3 GB of address space is stopped and
said so. Goals: every read at most 10 s and 300 MB, every import at most 300 MB (its time
beyond the read is the writing of up to 10,000 persons, printed but not a goal here); the
exit status is 1 when one is missed. ``--quick`` leaves out the realistic 20 MB file and
the sheets of empty cells (the slow ones to build and to read with openpyxl).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models import store  # noqa: E402
from models.db import Database  # noqa: E402
from models.importer_read import MAX_CELLS, column_letters  # noqa: E402
from models.importer_xlsx import MAX_TAGS  # noqa: E402
from tests import test_import_bombs as bombs  # noqa: E402
from tests.conftest import karbala_workshop  # noqa: E402

GOAL_MB = 300.0
GOAL_S = 10.0
LIMIT_BYTES = bombs.CHILD_ADDRESS_SPACE  # a baseline that needs more is stopped
TIMEOUT_S = 600
REALISTIC = 360_000  # attendees: as Excel writes them, 19 MB
HEADER = ["ت", "الاسم الرباعي", "العنوان الوظيفي", "الجهة", "رقم الهاتف", "الجنس",
          "البريد الإلكتروني", "ملاحظات"]
_FIRST = ("محمد علي حسين زينب فاطمة حيدر عباس كاظم جعفر مريم نور سجاد مصطفى أحمد حسن "
          "زهراء رقية عبدالله كرار منتظر ياسر هدى سارة إسراء").split()
_FAMILY = "الأسدي الموسوي الخفاجي الطائي الجبوري الشمري الحسيني الربيعي العبيدي".split()
_JOBS = ("مسؤول شعبة الإعلام", "منسق الاتصال الحكومي", "مدير قسم العلاقات العامة",
         "إعلامي", "مصور", "محرر", "مهندس", "موظف")
_PLACES = ("مديرية تربية كربلاء", "دائرة صحة كربلاء", "قيادة شرطة كربلاء",
           "مديرية بلدية كربلاء", "مديرية ماء كربلاء", "جامعة كربلاء")


# --- measuring a child ----------------------------------------------------------------

@dataclass
class Figure:
    """One process: wall seconds, peak resident MB, exit code, last line of stderr."""

    seconds: float
    peak_mb: float
    returncode: int
    said: str

    @property
    def stopped(self) -> bool:
        return self.returncode > 128 or "MemoryError" in self.said


def measure(cmd: list[str]) -> Figure:
    """Run ``cmd`` in a fresh process and take its wall time and its own peak memory
    (through the tests' launcher, so that this process's memory is not counted)."""
    started = time.perf_counter()
    run = bombs.measure_child(cmd, timeout=TIMEOUT_S)
    seconds = time.perf_counter() - started
    lines = run.stderr.strip().splitlines()
    return Figure(seconds, run.peak_mb, run.returncode, lines[-1] if lines else "")


def import_cmd(db: Path, activity: str, path: Path) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), "--db", str(db), "import", "attendees",
            "--activity", activity, str(path), "--json"]


OPENPYXL_CHILD = """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
ws = book.active
ws.reset_dimensions()
rows = [list(values) for values in ws.iter_rows(values_only=True)]
print(len(rows))
"""


READ_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from models.importer import ImportFileError, guess_mapping, read_table
try:
    guess_mapping(read_table(sys.argv[2]))
except ImportFileError as exc:
    sys.exit(exc.english)
"""


def read_cmd(path: Path) -> list[str]:
    """Reading alone, as the import dialog does: the table and the guess of its columns."""
    return [sys.executable, "-c", READ_CHILD, str(ROOT), str(path)]


def openpyxl_cmd(path: Path) -> list[str]:
    return [sys.executable, "-c", OPENPYXL_CHILD, str(path)]


# --- the files ------------------------------------------------------------------------

def _attendees(count: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(1, count + 1):
        name = " ".join(rng.choice(_FIRST) for _ in range(3)) + " " + rng.choice(_FAMILY)
        rows.append([str(i), f"{name} {i}", rng.choice(_JOBS), rng.choice(_PLACES),
                     f"07{rng.choice('789')}{rng.randrange(10 ** 8):08d}",
                     rng.choice(("ذكر", "أنثى")), f"user{i}@example.iq",
                     rng.choice(("", "", "", "حضر اليوم الأول فقط", "ممثل الدائرة"))])
    return rows


def excel_like_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """``rows`` (the first a header) as Excel saves them: every text in the shared
    strings table, numbers as numbers."""
    index: dict[str, int] = {}
    strings: list[str] = []

    def ref(text: str) -> int:
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    def sheet(write: Callable[[bytes], object]) -> None:
        write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
              f'xmlns="{bombs.MAIN_NS}"><dimension ref="A1:{column_letters(len(rows[0]) - 1)}'
              f'{len(rows)}"/><sheetData>'.encode())
        out = []
        for r, row in enumerate(rows, start=1):
            cells = []
            for c, value in enumerate(row):
                where = f"{column_letters(c)}{r}"
                if not value:
                    continue
                if value.isdigit() and not value.startswith("0") and r > 1:
                    cells.append(f'<c r="{where}"><v>{value}</v></c>')
                else:
                    cells.append(f'<c r="{where}" t="s"><v>{ref(value)}</v></c>')
            out.append(f'<row r="{r}" spans="1:{len(row)}">{"".join(cells)}</row>')
            if len(out) >= 2000:
                write("".join(out).encode())
                out = []
        write("".join(out).encode())
        write(b"</sheetData></worksheet>")

    # The sheet is written first so that the table of strings is complete; it goes into
    # the zip after the sheet, as a second part (part order does not matter).
    tmp = path.with_suffix(".sheet.xml")
    with tmp.open("wb") as fh:
        sheet(fh.write)
    shared = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
              f'"{bombs.MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")

    def copy(write: Callable[[bytes], object]) -> None:
        with tmp.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                write(chunk)

    bombs.write_xlsx(path, copy, shared=shared)
    tmp.unlink()
    return path


def csv_file(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\r\n".join(",".join(row) for row in rows) + "\r\n", encoding="utf-8-sig")
    return path


def wide_list(path: Path, rows: int = 9_999, columns: int = MAX_CELLS // 10_000) -> Path:
    """``rows`` persons of ``columns`` text columns each, and the header: as many cells as
    a read keeps at most (:data:`models.importer_read.MAX_CELLS`)."""
    rng = random.Random(5)
    header = ["الاسم الرباعي"] + [f"حقل {c}" for c in range(2, columns + 1)]
    body = [[" ".join(rng.choice(_FIRST) for _ in range(3)) + f" {r}"]
            + [f"{rng.choice(_JOBS)} {r}-{c}" for c in range(2, columns + 1)]
            for r in range(rows)]
    return excel_like_xlsx(path, [header, *body])


def formatted_emptiness(path: Path, tags: int) -> Path:
    """A sheet with a list in A1:A2 and then rows of 20 cells that have a style and no
    value, about ``tags`` tags in all: the most work a sheet can ask for, since every tag
    must be parsed to learn that it holds nothing."""
    def sheet(write: Callable[[bytes], object]) -> None:
        write(f'<?xml version="1.0"?><worksheet xmlns="{bombs.MAIN_NS}"><sheetData>'
              f'{bombs._list_rows()}'.encode())
        written, r = 21, 3  # the tags of the lines above and below
        while written + 42 * 1000 <= tags:  # a row: 2, and 2 for each empty cell
            write("".join(
                f'<row r="{n}">' + "".join(f'<c r="{column_letters(c)}{n}" s="1"/>'
                                           for c in range(20)) + "</row>"
                for n in range(r, r + 1000)).encode())
            written += 42 * 1000
            r += 1000
        write(b"</sheetData></worksheet>")
    return bombs.write_xlsx(path, sheet)


# --- running --------------------------------------------------------------------------

def _verdict(figure: Figure, seconds: float | None = GOAL_S) -> str:
    ok = figure.peak_mb <= GOAL_MB and not figure.stopped
    ok = ok and (seconds is None or figure.seconds <= seconds)
    return "PASS" if ok else "MISS"


def _outcome(figure: Figure) -> str:
    if figure.returncode == 0:
        return "imported"
    return f"refused: {figure.said[:70]}"


def _base(figure: Figure) -> str:
    if figure.stopped:
        return f"stopped at the {LIMIT_BYTES // 1024 ** 3} GB limit after {figure.seconds:.1f} s"
    return f"{figure.seconds:.2f} s, {figure.peak_mb:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip the realistic 20 MB file and the sheets of empty cells")
    args = parser.parse_args(argv)
    missed = False
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["XDG_DATA_HOME"] = str(tmp / "data")  # the child's log, not the user's
        db_path = tmp / "bench.sqlite3"

        def fresh() -> str:
            db_path.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            with Database.open(db_path, create=True) as db:
                return store.insert(db, karbala_workshop()).id

        def run(label: str, path: Path, baseline: Figure | None, what: str
                ) -> tuple[Figure, Figure]:
            nonlocal missed
            read = measure(read_cmd(path))
            imported = measure(import_cmd(db_path, fresh(), path))
            missed = missed or "MISS" in (_verdict(read), _verdict(imported, None))
            size = path.stat().st_size / 1024
            print(f"{label}: {size:,.0f} kB, {_outcome(imported)}")
            line = (f"    read   {read.seconds:6.2f} s, {read.peak_mb:4.0f} MB "
                    f"(goal ≤ {GOAL_S:.0f} s, ≤ {GOAL_MB:.0f} MB: {_verdict(read)})")
            if baseline is not None:
                line += f"; {what}: {_base(baseline)}"
                if not baseline.stopped:
                    line += (f"; ratio {read.seconds / baseline.seconds:.2f}× time, "
                             f"{read.peak_mb / baseline.peak_mb:.2f}× memory")
            print(line)
            print(f"    import {imported.seconds:6.2f} s, {imported.peak_mb:4.0f} MB "
                  f"(goal ≤ {GOAL_MB:.0f} MB: {_verdict(imported, None)})", flush=True)
            return read, imported

        floor_file = csv_file(tmp / "two.csv", [["الاسم الرباعي"], [bombs.NAME]])
        floor, _ = run("floor: a CSV of two rows", floor_file, None, "")

        rows = [HEADER, *_attendees(9_999)]  # with the header: the 10,000 rows allowed
        started = time.perf_counter()
        listed = excel_like_xlsx(tmp / "list-10000.xlsx", rows)
        print(f"(built the 10,000-row list in {time.perf_counter() - started:.1f} s)")
        run("9,999 attendees and a header, .xlsx", listed, measure(openpyxl_cmd(listed)),
            "openpyxl read-only")
        run("9,999 attendees and a header, CSV", csv_file(tmp / "list-10000.csv", rows),
            floor, "floor")
        wide = wide_list(tmp / "wide.xlsx")
        run(f"10,000 rows × {MAX_CELLS // 10_000} text columns ({MAX_CELLS:,} cells)", wide,
            measure(openpyxl_cmd(wide)), "openpyxl read-only")
        if not args.quick:
            started = time.perf_counter()
            big = excel_like_xlsx(tmp / "realistic.xlsx", [HEADER, *_attendees(REALISTIC)])
            print(f"(built the realistic file in {time.perf_counter() - started:.1f} s)")
            run(f"realistic .xlsx of {REALISTIC:,} attendees", big,
                measure(openpyxl_cmd(big)), "openpyxl read-only")
            big.unlink()
            # Just under the budget of tags (read to the end, the list imported), then
            # over it (refused when the budget runs out; at 1.4 times the sheet is over
            # the 200 MB a part may inflate to, and refused before it is read).
            for label, tags in (("formatted empty cells, just under the tag budget",
                                 MAX_TAGS - 30_000),
                                ("formatted empty cells, 1.2 times the tag budget",
                                 MAX_TAGS * 12 // 10)):
                empty = formatted_emptiness(tmp / f"formatted-{tags}.xlsx", tags)
                run(f"{label} ({tags / 1e6:.1f} million tags)", empty,
                    measure(openpyxl_cmd(empty)), "openpyxl read-only")
                empty.unlink()
        for case, (build, name, _refusal) in sorted(bombs.CASES.items()):
            path = build(tmp / name)
            run(f"hostile: {case}", path, floor, "floor")
            path.unlink()
        log = tmp / "data" / "Ittisal" / "ittisal.log"
        if log.exists():
            print("unexpected errors were logged:\n" + log.read_text(encoding="utf-8"))
            missed = True
    print("\nAll goals met." if not missed else "\nA goal was missed.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
