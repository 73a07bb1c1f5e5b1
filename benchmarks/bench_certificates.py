"""Certificates benchmark: 500 certificates of one activity, the whole command line
against the usual Python recipe, on an empty year and with 20,000 certificates already
issued that year.

    python benchmarks/bench_certificates.py [--pages N] [--history N] [--runs N]
                                            [--skip-pdf] [--skip-recipe]

Builds a temporary database with the unit's signing key, one two-day workshop and N
attendees (four- and five-part names as the demo draws them, every other one a woman).
A second copy also holds ``--history`` certificates issued this year for 40 other
activities (their serials counted in ``certificate_serials``, as issuing leaves them).
Each figure is printed beside its baseline and its goal, with MET or MISSED; the exit
status is 1 when a goal is missed.

- ``command``: ``python main.py export certificates --activity … --out F.docx`` run as a
  user runs it, timed from the process's start to its exit with the file in place, on a
  fresh copy of the database each run (``--runs`` times; the median counts). Nothing is
  warmed up for it but the operating system's file cache.
- ``recipe`` (the baseline, measured in the same run): docxtpl renders one certificate per
  attendee from a template .docx (made here with python-docx; Jinja fields for the title,
  the sentences, the name, the date, the serial and code, and the QR picture), then
  docxcompose's Composer joins them into one file with a page break between. It gets the
  same text and the same QR PNGs (made as it goes), in this process with its modules
  already imported: its figure leaves out the start-up ours includes.
- ``write_docx`` and ``write_pdf``: our two writers alone, in this process, for pages
  already issued (``--skip-pdf`` leaves the PDF out).

``--profile`` runs the command once more under cProfile (on the history database) and
prints where its time goes: the functions with the most time, themselves and below.

docxtpl and docxcompose come with the ``bench`` extra (``make bench`` installs it); without
them the ratios cannot be measured and count as missed.
"""

from __future__ import annotations

import argparse
import base64
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from demo import words as demo_words  # noqa: E402
from models import attendance, certificates, records, store  # noqa: E402
from models.certificate_pages import CertificatePage, prepare  # noqa: E402
from models.db import Database  # noqa: E402

PAGES = 500
HISTORY = 20_000
RUNS = 3
GOAL_SPEEDUP = 20.0      # the whole command, at least this many times faster than the recipe
GOAL_DOCX_SECONDS = 3.0  # write_docx alone
GOAL_PDF_SECONDS = 10.0  # write_pdf alone
TITLE = "ورشة تطويرية عن أهمية الاتصال الحكومي ودوره في انسيابية المعلومات"


# --- the data ------------------------------------------------------------------------

def _name(rng: random.Random, female: bool) -> str:
    first = rng.choice(demo_words.FEMALE_FIRST if female else demo_words.MALE_FIRST)[0]
    elders = [rng.choice(demo_words.ELDER_NAMES) if rng.random() < 0.45
              else rng.choice(demo_words.MALE_FIRST)[0]
              for _ in range(rng.choice((3, 3, 3, 4)))]
    elders[-1] = rng.choice(demo_words.FAMILIES)[0]
    return " ".join([first, *elders])


def build_database(db_path: Path, count: int) -> str:
    """A database with the unit's key, one two-day workshop and ``count`` attendees, every
    other one a woman, nothing issued; return the workshop's id."""
    rng = random.Random(5)
    db = Database.open(db_path, create=True)
    try:
        certificates.ensure_key(db)  # as the app's first start makes it
        activity = store.insert(db, records.Activity(
            kind="workshop", title=TITLE, start_date="2026-11-22", end_date="2026-11-23",
            place="جامعة كربلاء", organiser="جامعة كربلاء", status="approved"))
        with db.atomic():
            for i in range(count):
                female = i % 2 == 1
                person = store.insert(db, records.Person(
                    full_name=_name(rng, female), gender="f" if female else "m",
                    entity=rng.choice(("دائرة صحة كربلاء", "مديرية تربية كربلاء",
                                       "جامعة كربلاء", ""))))
                attendance.add(db, activity.id, person.id)
        return activity.id
    finally:
        db.close()


def add_history(db_path: Path, count: int, year: int) -> None:
    """``count`` certificates issued in ``year`` for 40 other activities (to persons of
    their own), written straight into the tables as the issuing leaves them."""
    rng = random.Random(7)
    db = Database.open(db_path)
    try:
        unit, stamp = db.local_unit_id, records.now()
        prefix = certificates.serial_prefix(db)
        per = -(-count // 40)
        with db.atomic():
            activities = [records.new_id() for _ in range(40)]
            db.conn.executemany(
                "INSERT INTO activities (id, unit_id, created_at, updated_at, kind, title, "
                "start_date, end_date, status) VALUES (?, ?, ?, ?, 'workshop', ?, ?, ?, "
                "'done')", [(a, unit, stamp, stamp, f"نشاط سابق رقم {n}", f"{year}-01-10",
                             f"{year}-01-11") for n, a in enumerate(activities)])
            persons = [records.new_id() for _ in range(per)]
            db.conn.executemany(
                "INSERT INTO persons (id, unit_id, created_at, updated_at, full_name, gender) "
                "VALUES (?, ?, ?, ?, ?, 'm')",
                [(p, unit, stamp, stamp, _name(rng, False)) for p in persons])
            rows = []
            for n in range(count):
                signature = base64.b32encode(rng.randbytes(64)).decode().rstrip("=")
                rows.append((records.new_id(), unit, stamp, stamp, persons[n % per],
                             activities[n // per], f"{prefix}-{year}-{n + 1:04d}",
                             signature[:certificates.CODE_LENGTH], "مشارك سابق", signature,
                             stamp, "مشارك سابق"))
            db.conn.executemany(
                "INSERT INTO certificates (id, unit_id, created_at, updated_at, person_id, "
                "activity_id, serial, code, holder_name, signature, issued_at, person_name) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.execute("INSERT INTO certificate_serials (unit_id, year, last) VALUES (?, ?, ?) "
                       "ON CONFLICT(unit_id, year) DO UPDATE SET last = excluded.last",
                       (unit, year, count))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def copy_database(source: Path, target: Path) -> None:
    """A copy of a closed database with its keys folder beside it (a fresh one per run)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target / source.name)
    keys = source.parent / "keys"
    if keys.is_dir():
        shutil.copytree(keys, target / "keys", dirs_exist_ok=True)


def dry_pages(db_path: Path, activity_id: str) -> list[CertificatePage]:
    """The pages of the attendees as they would be issued now (nothing is kept)."""
    db = Database.open(db_path)
    try:
        return prepare(db, activity_id, dry_run=True)
    finally:
        db.close()


# --- what is measured --------------------------------------------------------------------

@dataclass
class Runs:
    """The wall times of one scenario's runs, in seconds."""

    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self) -> str:
        return ", ".join(f"{s:.2f}" for s in self.seconds)


def time_command(db_path: Path, activity_id: str, work: Path, runs: int) -> Runs:
    """Wall seconds of ``main.py export certificates`` from its start to its exit, each
    run on a fresh copy of the database; the file must be there afterwards."""
    times = []
    for n in range(runs):
        folder = work / f"run-{db_path.stem}-{n}"
        copy_database(db_path, folder)
        out = folder / "certificates.docx"
        command = [sys.executable, str(ROOT / "main.py"), "export", "certificates",
                   "--db", str(folder / db_path.name), "--activity", activity_id,
                   "--out", str(out)]
        started = time.perf_counter()
        result = subprocess.run(command, cwd=folder, capture_output=True,
                                text=True, check=False)
        elapsed = time.perf_counter() - started
        if result.returncode != 0 or not out.is_file():
            raise SystemExit(f"the command failed ({result.returncode}):\n{result.stderr}")
        times.append(elapsed)
        shutil.rmtree(folder, ignore_errors=True)
    return Runs(times)


# The command, its phases timed by the wall clock: each function below is wrapped so
# that its calls add up (nested phases count in their callers too).
_PHASES = (("main", "build_parser"), ("exporters.certificates", "prepare"),
           ("exporters.certificates", "write_pages"),
           ("exporters.certificate_docx", "build_document"),
           ("exporters.certificate_docx", "QrBatch.__init__"),
           ("exporters.rtl", "new_document"), ("exporters.certificate_docx", "plan_page"),
           ("exporters.certificate_docx", "_PageBuilder.page"),
           ("exporters.certificate_docx", "_save"), ("exporters.certificates", "_place"))
_TIMELINE_CHILD = """
import functools, importlib, sys, time
started = time.perf_counter()
sys.path.insert(0, {root!r})
sys.argv = ["main.py", *{argv!r}]
import main
import exporters.certificates, exporters.certificate_docx, exporters.rtl
imported = time.perf_counter()
spent = {{}}
def wrap(module, name):
    owner, label = importlib.import_module(module), name
    if "." in name:
        cls, name = name.split(".")
        owner = getattr(owner, cls)
    inner = getattr(owner, name)
    @functools.wraps(inner)
    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
    setattr(owner, name, timed)
for module, name in {phases!r}:
    wrap(module, name)
main.main()
done = time.perf_counter()
print(f"  {{'imports (main, the exporters)':<34}}{{1000 * (imported - started):6.0f}} ms")
for name, seconds in spent.items():
    print(f"  {{name:<34}}{{1000 * seconds:6.0f}} ms")
print(f"  {{'the command, after the imports':<34}}{{1000 * (done - imported):6.0f}} ms")
"""


def profile_command(db_path: Path, activity_id: str, work: Path, top: int = 25) -> None:
    """Where one run of the command spends its time: a wall-clock timeline of its phases
    (no profiler), then cProfile's costliest functions (the profiler slows Python code
    down, small functions most: read those as shares, not as times)."""
    import pstats

    folder = work / "profile"
    copy_database(db_path, folder)
    argv = ["export", "certificates", "--db", str(folder / db_path.name),
            "--activity", activity_id, "--out", str(folder / "timeline.docx")]
    code = _TIMELINE_CHILD.format(root=str(ROOT), argv=argv, phases=_PHASES)
    print("\nThe command's phases, wall clock (nested ones count in their callers too; "
          "Python's own start and exit not included):")
    timeline = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                              text=True, check=True)
    print("\n".join(line for line in timeline.stdout.splitlines() if line.startswith("  ")))
    copy_database(db_path, folder)  # the first run issued them: start again
    stats = folder / "command.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats), str(ROOT / "main.py"),
                    *argv[:-1], str(folder / "c.docx")],
                   cwd=folder, capture_output=True, check=True)
    print(f"\ncProfile, the {top} costliest by cumulative time (the QR workers run beside "
          "the main process and are not in it):")
    pstats.Stats(str(stats)).strip_dirs().sort_stats("cumulative").print_stats(top)


def time_docx(pages: Sequence[CertificatePage], out: Path) -> float:
    """Seconds for :func:`write_docx` to write every page."""
    from exporters.certificate_docx import write_docx

    started = time.perf_counter()
    write_docx(pages, out / "certificates.docx")
    return time.perf_counter() - started


def time_pdf(pages: Sequence[CertificatePage], out: Path) -> float:
    """Seconds to write the pages as one PDF (after Qt and its fonts are loaded)."""
    from exporters.certificate_paint import ensure_fonts, ensure_gui_app
    from exporters.certificate_pdf import write_pdf

    ensure_gui_app()
    ensure_fonts()
    started = time.perf_counter()
    write_pdf(pages, out / "ours.pdf")
    return time.perf_counter() - started


def _recipe_template(path: Path) -> None:
    """The recipe's template: a landscape A4 page of centred paragraphs with Jinja
    fields, made with python-docx as a user would make it in Word."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for text, size in (("{{ issuer }}", 12), ("{{ title }}", 40), ("{{ lead }}", 16),
                       ("{{ name }}", 30), ("{{ body }}", 16), ("{{ date_line }}", 10),
                       ("{{ qr }}", 10), ("{{ serial }}", 10), ("{{ code }}", 10)):
        par = doc.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = par.add_run(text)
        run.font.size = Pt(size)
        run.font.rtl = True
    doc.save(path)


def time_recipe(pages: Sequence[CertificatePage], out: Path) -> float | None:
    """Seconds for docxtpl + docxcompose to write the same pages; None when either is
    not installed."""
    try:
        from docxcompose.composer import Composer
        from docxtpl import DocxTemplate, InlineImage
    except ImportError:
        return None
    import io

    from docx.shared import Mm

    template = out / "template.docx"
    _recipe_template(template)
    started = time.perf_counter()
    master = composer = None
    for page in pages:
        tpl = DocxTemplate(template)
        qr = InlineImage(tpl, io.BytesIO(certificates.qr_png_bytes(page.qr)), width=Mm(30))
        tpl.render({"issuer": " - ".join(page.issuer), "title": page.title,
                    "lead": page.lead, "name": page.name, "body": page.body,
                    "date_line": page.date_line, "qr": qr, "serial": page.serial,
                    "code": page.code})
        if master is None:
            master, composer = tpl.docx, Composer(tpl.docx)
        else:
            master.add_page_break()
            composer.append(tpl.docx)
    composer.save(out / "recipe.docx")
    return time.perf_counter() - started


# --- the report ----------------------------------------------------------------------------

def figure(label: str, value: float, unit: str, *, baseline: str = "", goal: str = "",
           ok: bool | None = None) -> bool:
    """Print one figure on its line, beside its baseline and its goal with MET or MISSED
    when it has one; True unless the goal is missed."""
    line = f"{label + ':':<44}{value:8.2f} {unit:<2}"
    if baseline:
        line += f"  baseline {baseline:<10}"
    if goal:
        line += f"  goal {goal:<9} {'MET' if ok else 'MISSED'}"
    print(line, flush=True)
    return ok is not False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--history", type=int, default=HISTORY,
                        help="certificates already issued this year in the second scenario")
    parser.add_argument("--runs", type=int, default=RUNS,
                        help="runs of the command per scenario (the median counts)")
    parser.add_argument("--skip-pdf", action="store_true", help="leave out write_pdf")
    parser.add_argument("--profile", action="store_true",
                        help="also print a profile of one run of the command")
    parser.add_argument("--skip-recipe", action="store_true",
                        help="leave out the docxtpl + docxcompose baseline (about 20 s); "
                             "the ratios then count as missed")
    args = parser.parse_args()
    year = time.localtime().tm_year
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as tmp:
        work = Path(tmp)
        empty = work / "empty" / "bench.sqlite3"
        empty.parent.mkdir()
        started = time.perf_counter()
        activity_id = build_database(empty, args.pages)
        history = work / "history" / "bench.sqlite3"
        copy_database(empty, history.parent)
        add_history(history, args.history, year)
        print(f"{args.pages} attendees; {args.history:,} certificates issued in {year} in "
              f"the second database (built in {time.perf_counter() - started:.1f} s)")

        pages = dry_pages(empty, activity_id)
        recipe_s = None if args.skip_recipe else time_recipe(pages, work)
        if recipe_s is None:
            why = "--skip-recipe" if args.skip_recipe else (
                "docxtpl or docxcompose is not installed (pip install -e '.[bench]')")
            print(f"{'docxtpl + docxcompose (recipe):':<44}skipped: {why}")
        else:
            figure("docxtpl + docxcompose (recipe), in process", recipe_s, "s")

        for label, db_path in (("empty year", empty),
                               (f"{args.history:,} issued this year", history)):
            runs = time_command(db_path, activity_id, work, args.runs)
            print(f"  export certificates, {label}: runs {runs.spread()} s")
            figure(f"command, {label} (median)", runs.median, "s")
            if recipe_s is None:
                results.append(figure(f"recipe / command, {label}", 0.0, "x",
                                      baseline="not run", goal=f">= {GOAL_SPEEDUP:.0f}x",
                                      ok=False))
            else:
                ratio = recipe_s / runs.median
                results.append(figure(f"recipe / command, {label}", ratio, "x",
                                      baseline=f"{recipe_s:.2f} s",
                                      goal=f">= {GOAL_SPEEDUP:.0f}x",
                                      ok=ratio >= GOAL_SPEEDUP))

        docx_s = time_docx(pages, work)
        results.append(figure("write_docx alone (in process)", docx_s, "s",
                              baseline=f"{recipe_s:.2f} s" if recipe_s else "",
                              goal=f"<= {GOAL_DOCX_SECONDS:.1f} s",
                              ok=docx_s <= GOAL_DOCX_SECONDS))
        if not args.skip_pdf:
            # After the Word file: its QR workers fork only while Qt is not loaded.
            pdf_s = time_pdf(pages, work)
            results.append(figure("write_pdf alone (in process)", pdf_s, "s",
                                  baseline=f"{recipe_s:.2f} s" if recipe_s else "",
                                  goal=f"<= {GOAL_PDF_SECONDS:.1f} s",
                                  ok=pdf_s <= GOAL_PDF_SECONDS))
        if args.profile:
            profile_command(history, activity_id, work)
    print("All goals met." if all(results) else "A goal was missed.")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
