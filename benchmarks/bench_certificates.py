"""Certificates benchmark: 500 certificates of one activity written as one Word file and
as one PDF.

    python benchmarks/bench_certificates.py [--pages N]

Builds a temporary database with one activity and N attendees (four- and five-part names
as the demo draws them, every other one a woman), issues their certificates with
:func:`models.certificate_pages.prepare`, then times each output on its own line with
its goal and PASS/MISS; the exit status is 1 when a goal is missed.

- ``docx``: :func:`exporters.certificate_docx.write_docx` for the N pages.
- ``pdf``: :func:`exporters.certificate_pdf.write_pdf` (Qt draws it, offscreen).
- ``recipe``: the usual way, measured in the same run: docxtpl renders one certificate
  per attendee from a template .docx (made here with python-docx; Jinja fields for the
  title, the sentences, the name, the date, the serial and code, and the QR picture),
  then docxcompose's Composer joins them into one file with a page break between. It
  gets the same text and the same QR PNGs (made as it goes, as it would). Skipped, with
  a note, when docxtpl or docxcompose is not installed (``pip install -e '.[bench]'``).

Each measured thing is one function returning seconds (``time_*``); :func:`main` runs
them and prints each figure with :func:`figure`.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from demo import words as demo_words  # noqa: E402
from models import attendance, certificates, records, store  # noqa: E402
from models.certificate_pages import CertificatePage, prepare  # noqa: E402
from models.db import Database  # noqa: E402

PAGES = 500
GOAL_DOCX_SECONDS = 3.0
GOAL_DOCX_SPEEDUP = 5.0  # at least this many times faster than the recipe
GOAL_PDF_SECONDS = 10.0


# --- the data ------------------------------------------------------------------------

def _name(rng: random.Random, female: bool) -> str:
    first = rng.choice(demo_words.FEMALE_FIRST if female else demo_words.MALE_FIRST)[0]
    elders = [rng.choice(demo_words.ELDER_NAMES) if rng.random() < 0.45
              else rng.choice(demo_words.MALE_FIRST)[0]
              for _ in range(rng.choice((3, 3, 3, 4)))]
    elders[-1] = rng.choice(demo_words.FAMILIES)[0]
    return " ".join([first, *elders])


def build_pages(db_path: Path, count: int) -> list[CertificatePage]:
    """A database with one two-day workshop and ``count`` attendees, every other one a
    woman; their certificates issued, their pages returned."""
    rng = random.Random(5)
    db = Database.open(db_path, create=True)
    try:
        activity = store.insert(db, records.Activity(
            kind="workshop",
            title="ورشة تطويرية عن أهمية الاتصال الحكومي ودوره في انسيابية المعلومات",
            start_date="2026-11-22", end_date="2026-11-23", place="جامعة كربلاء",
            organiser="جامعة كربلاء", status="approved"))
        with db.atomic():
            for i in range(count):
                female = i % 2 == 1
                person = store.insert(db, records.Person(
                    full_name=_name(rng, female), gender="f" if female else "m",
                    entity=rng.choice(("دائرة صحة كربلاء", "مديرية تربية كربلاء",
                                       "جامعة كربلاء", ""))))
                attendance.add(db, activity.id, person.id)
        return prepare(db, activity.id)
    finally:
        db.close()


# --- what is measured --------------------------------------------------------------------

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


def figure(label: str, value: float, unit: str, goal: str = "",
           ok: bool | None = None) -> bool:
    """Print one figure on its line, with its goal and PASS/MISS when it has one; True
    unless the goal is missed."""
    line = f"{label + ':':<36}{value:7.2f} {unit:<3}"
    if goal:
        line += f"  goal {goal:<9} {'PASS' if ok else 'MISS'}"
    print(line, flush=True)
    return ok is not False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--skip-recipe", action="store_true",
                        help="leave out the docxtpl + docxcompose baseline (about 30 s)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        pages = build_pages(out / "bench.sqlite3", args.pages)
        print(f"{len(pages)} certificates issued in {time.perf_counter() - started:.1f} s")

        docx_s = time_docx(pages, out)
        results.append(figure("write_docx (ours)", docx_s, "s",
                              f"<= {GOAL_DOCX_SECONDS:.1f} s", docx_s <= GOAL_DOCX_SECONDS))
        # After the Word file: its QR workers fork only while Qt is not loaded.
        pdf_s = time_pdf(pages, out)
        results.append(figure("write_pdf (ours)", pdf_s, "s",
                              f"<= {GOAL_PDF_SECONDS:.1f} s", pdf_s <= GOAL_PDF_SECONDS))
        recipe_s = None if args.skip_recipe else time_recipe(pages, out)
        if recipe_s is None:
            why = "--skip-recipe" if args.skip_recipe else (
                "docxtpl or docxcompose is not installed (pip install -e '.[bench]')")
            print(f"{'docxtpl + docxcompose (recipe):':<36}skipped: {why}")
        else:
            figure("docxtpl + docxcompose (recipe)", recipe_s, "s")
            ratio = recipe_s / docx_s
            results.append(figure("speed-up, recipe / ours (Word)", ratio, "x",
                                  f">= {GOAL_DOCX_SPEEDUP:.0f}x", ratio >= GOAL_DOCX_SPEEDUP))
            figure("speed-up, recipe / ours (PDF)", recipe_s / pdf_s, "x")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
