"""PDF certificates benchmark: 500 attendees of one activity into one PDF.

    python benchmarks/bench_certificate_pdf.py [--attendees N]

Builds a temporary database with one two-day activity and N attendees (through
:mod:`models.store` and :mod:`models.attendance`), issues their certificates with
:func:`models.certificate_pages.prepare`, then times
:func:`exporters.certificate_pdf.write_pdf` — drawing, Arabic shaping, QR codes and font
embedding included. The figure is printed beside its goal with PASS/MISS; the exit status
is 1 on a miss.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from exporters.certificate_paint import ensure_fonts  # noqa: E402
from exporters.certificate_pdf import write_pdf  # noqa: E402
from models import attendance, records, store  # noqa: E402
from models.certificate_pages import prepare  # noqa: E402
from models.db import Database  # noqa: E402

GOAL_SECONDS = 10.0
ATTENDEES = 500
FIRST = ("محمد", "علي", "حسين", "زينب", "فاطمة", "عباس", "مريم", "حيدر", "نور", "كاظم")
FATHERS = ("جاسم", "كريم", "عبد الأمير", "حسن", "عبد الله", "صادق", "مهدي", "جواد")
FAMILIES = ("الموسوي", "الأسدي", "الجبوري", "الخفاجي", "الحسيني", "الربيعي", "التميمي")


def build_database(path: Path, attendees: int) -> str:
    """A database with one activity and ``attendees`` persons on its list; its id."""
    db = Database.open(path)
    try:
        with db.atomic():
            activity = store.insert(db, records.Activity(
                kind="workshop", status="approved", place="جامعة كربلاء",
                title="ورشة تطويرية عن أهمية الاتصال الحكومي ودوره في انسيابية المعلومات",
                start_date="2026-11-22", end_date="2026-11-23", organiser="جامعة كربلاء"))
            for n in range(attendees):
                name = " ".join((FIRST[n % len(FIRST)], FATHERS[n // 3 % len(FATHERS)],
                                 FIRST[n // 7 % len(FIRST)], FAMILIES[n % len(FAMILIES)]))
                person = store.insert(db, records.Person(
                    full_name=name, gender="f" if FIRST[n % len(FIRST)] in
                    ("زينب", "فاطمة", "مريم", "نور") else "m", entity="مديرية الشرطة"))
                attendance.add(db, activity.id, person.id)
        return activity.id
    finally:
        db.close()


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=ATTENDEES)
    args = parser.parse_args()
    ensure_fonts()
    with tempfile.TemporaryDirectory(prefix="bench-certificate-pdf-") as tmp:
        tmp_path = Path(tmp)
        activity_id = build_database(tmp_path / "bench.sqlite3", args.attendees)
        db = Database.open(tmp_path / "bench.sqlite3")
        try:
            started = time.perf_counter()
            pages = prepare(db, activity_id)
            issued = time.perf_counter() - started
        finally:
            db.close()
        out = tmp_path / "certificates.pdf"
        started = time.perf_counter()
        write_pdf(pages, out)
        seconds = time.perf_counter() - started
        size = out.stat().st_size
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True,
                              check=False).stdout
    count = next((line.split()[-1] for line in info.splitlines()
                  if line.startswith("Pages:")), "?")
    ok = seconds <= GOAL_SECONDS
    print(f"issued {len(pages)} certificates in {issued:.2f} s (not timed below)")
    print(f"PDF: {count} pages, {size / 1e6:.1f} MB, {len(pages) / seconds:.0f} pages/s")
    print(f"write_pdf, {len(pages)} certificates: {seconds:.2f} s  "
          f"goal <= {GOAL_SECONDS:.1f} s  {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
