"""Certificate PDFs are searchable: in every bundled font and every design, ``pdftotext``
gives back each holder's full name and the activity's title, letter for letter and in
reading order, so a name can be found and copied from the PDF.

The text is compared after folding (presentation forms to letters, bidi marks out, white
space collapsed), as a reader's search does; lam and alef are kept, so a lam-alef read
back in visual order («ال» for «لا») fails too.
"""

from __future__ import annotations

import re
import shutil

import pytest

from exporters.certificate_paint import GlyphLog, ensure_fonts
from exporters.certificate_pdf import searchable, write_pdf
from models import attendance, records, store
from models.arabic import fold_input
from models.certificate_pages import prepare
from models.certificate_style import DESIGNS, CertificateStyle
from tests.test_exporters_rtl import pdf_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs poppler-utils (pdftotext)")

FONTS = ("Amiri", "Noto Sans Arabic UI")
# The seed's workshop attendees (as tests/test_certificate_pdf.py), one name with «عبد»
# and lam-alefs, one with «آل» and a hamza on alef.
PEOPLE = [("زينب علي حسين الأسدي", "f"), ("محمد جاسم كاظم الموسوي", "m"),
          ("فاطمة عباس عبد الحسين الجبوري", "f"), ("عبد الله آل إبراهيم العلاق", "m")]
# Arabic short vowels pdftotext may set apart from their letter (none is in the names).
_VOWELS = dict.fromkeys(range(0x064B, 0x0653))


@pytest.fixture(autouse=True)
def _app(qapp):
    ensure_fonts()
    return qapp


def folded(text: str) -> str:
    """``text`` as a search compares it: letters folded, marks out, one space between
    words."""
    return " ".join(fold_input(text, multiline=True).translate(_VOWELS).split())


def arabic_letters(text: str) -> int:
    return len(re.findall(r"[\u0621-\u064A]", text))


@pytest.mark.parametrize("design", sorted(DESIGNS))
@pytest.mark.parametrize("font", FONTS)
def test_every_holders_name_and_the_title_read_back_from_the_pdf(db, workshop, tmp_path,
                                                                 font, design):
    for name, gender in PEOPLE:
        person = store.insert(db, records.Person(full_name=name, gender=gender))
        attendance.add(db, workshop.id, person.id)
    pages = prepare(db, workshop.id, style=CertificateStyle(font=font, design=design))
    pdf = write_pdf(pages, tmp_path / "certificates.pdf", activity=workshop.title)
    assert len(pages) == len(PEOPLE)
    for n, page in enumerate(pages, 1):
        found = folded(pdf_text(pdf, "-f", str(n), "-l", str(n)))
        assert folded(page.name) in found, (page.name, found)
        assert folded(workshop.title) in found, (workshop.title, found)
        assert page.serial in found
        # Every letter drawn comes back, not only the name's: nothing on the page is
        # lost to a glyph without a character.
        drawn = [page.title, page.lead, page.name, page.body, page.date_line,
                 *page.issuer, *(s.name for s in page.signers),
                 *(s.title for s in page.signers)]
        assert arabic_letters(found) == sum(arabic_letters(folded(t)) for t in drawn)


def test_a_log_that_does_not_pair_leaves_qts_file_as_it_is(db, workshop, tmp_path):
    person = store.insert(db, records.Person(full_name=PEOPLE[0][0], gender="f"))
    attendance.add(db, workshop.id, person.id)
    pdf = write_pdf(prepare(db, workshop.id), tmp_path / "c.pdf").read_bytes()
    assert pdf.count(b"%%EOF") == 2          # Qt's file, then the text layer's update
    qt_file = pdf[:pdf.index(b"%%EOF") + len(b"%%EOF\n")]
    assert searchable(qt_file, GlyphLog()) == qt_file
