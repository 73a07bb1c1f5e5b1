"""Every certificate's QR code reads and verifies, in every design and both formats, as a
person checking a printed certificate would: the Word file rendered by LibreOffice and
the PDF, each page rasterised at 150 dpi (a plain office scan) and read with ``zbarimg``;
each code decoded is verified against the database and names its page's holder.

The Word check is the one that caught the modern design's QR picture (30 mm) in a 26 mm
table column: LibreOffice clipped its left finder patterns and no page decoded.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from exporters.certificate_docx import write_docx
from exporters.certificate_paint import ensure_fonts
from exporters.certificate_pdf import write_pdf
from models import certificates
from models.certificate_style import DESIGNS
from models.db import Database
from tests.test_certificate_docx import FONT_OF, make_pages
from tests.test_exporters_rtl import BIDI_MARKS, needs_soffice, to_pdf

DPI = 150

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("zbarimg", "pdftoppm", "pdftotext")),
    reason="needs zbar-tools (zbarimg) and poppler-utils (pdftoppm, pdftotext)")


@pytest.fixture(autouse=True)
def _app(qapp):
    ensure_fonts()
    return qapp


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """Per design: the database and the pages (a woman and a man at the Karbala
    workshop, a 60-letter name at a seminar with a 200-letter title, logos and
    signatories), issued once for the module."""
    made, opened = {}, []
    for key in DESIGNS:
        folder = tmp_path_factory.mktemp(f"qr-{key}")
        db = Database.open(folder / "ittisal.sqlite3", create=True)
        opened.append(db)
        made[key] = (db, make_pages(db, folder, key, FONT_OF[key]), folder)
    yield made
    for db in opened:
        db.close()


def decoded_pages(pdf: Path, folder: Path) -> list[list[str]]:
    """What zbarimg reads on each page of ``pdf`` rasterised at :data:`DPI`."""
    stem = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(stem)], check=True,
                   capture_output=True, timeout=300)
    found = []
    for png in sorted(folder.glob(f"{pdf.stem}-*.png")):
        result = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable",
                                 str(png)], capture_output=True, timeout=120)
        text = result.stdout.decode("utf-8") if result.returncode == 0 else ""
        found.append([line for line in text.split("\n") if line])
    return found


def pdf_text_lines(pdf: Path, page: int) -> list[str]:
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, timeout=60).stdout.decode()
    return [line.translate(BIDI_MARKS).strip() for line in out.splitlines()]


def check(db: Database, pages, decoded: list[list[str]], pdf: Path) -> None:
    assert len(decoded) == len(pages)
    for n, (page, codes) in enumerate(zip(pages, decoded, strict=True), 1):
        assert codes == [page.qr], f"page {n}: {codes}"
        # The serial and the short code under the QR each stay on one line.
        lines = pdf_text_lines(pdf, n)
        assert page.serial in lines and page.code in lines, (n, lines)
        result = certificates.verify(db, codes[0])
        assert result.genuine, (n, result.reason_en)
        assert result.certificate.serial == page.serial
        assert result.certificate.holder_name == page.name


@needs_soffice
@pytest.mark.parametrize("key", list(DESIGNS))
def test_every_qr_of_the_word_file_reads_and_verifies(issued, key, tmp_path):
    db, pages, _ = issued[key]
    docx_path = write_docx(pages, tmp_path / f"{key}.docx")
    pdf = to_pdf(docx_path, tmp_path)
    check(db, pages, decoded_pages(pdf, tmp_path), pdf)


@pytest.mark.parametrize("key", list(DESIGNS))
def test_every_qr_of_the_pdf_reads_and_verifies(issued, key, tmp_path):
    db, pages, _ = issued[key]
    pdf = write_pdf(pages, tmp_path / f"{key}.pdf")
    check(db, pages, decoded_pages(pdf, tmp_path), pdf)
