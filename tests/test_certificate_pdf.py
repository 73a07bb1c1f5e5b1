"""The painted certificate as the user gets it: the PDF read back with poppler (pdfinfo,
pdftotext, pdffonts, pdftoppm), its QR code read with zbarimg and verified, a real
QPrinter run, and the live preview image.

Most word checks here read Noto pages (their line boxes are measured with Noto's
metrics); that Amiri pages read back as well, in every design, is
tests/test_certificate_pdf_text.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from exporters.certificate_designs import design
from exporters.certificate_paint import (
    ensure_fonts,
    ensure_gui_app,
    layout_page,
    paint_page,
    print_pages,
    render_image,
)
from exporters.certificate_pdf import write_pdf
from models import attendance, certificates, records, store
from models.arabic import fold_input
from models.certificate_pages import prepare
from models.certificate_style import DESIGNS, CertificateStyle, Signatory
from tests.conftest import ROOT, karbala_workshop

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm",
                                      "zbarimg")),
    reason="needs poppler-utils and zbar-tools")

NOTO = "Noto Sans Arabic UI"
PEOPLE = [("زينب علي حسين الأسدي", "f"), ("محمد جاسم كاظم الموسوي", "m"),
          ("فاطمة عباس عبد الحسين الجبوري", "f")]
LONG_NAME = "عبد الرحمن عبد الأمير عبد الحسين عبد الزهرة آل محمد الموسوي الكربلائيين"
LONG_TITLE = ("ورشة تطويرية موسعة عن أهمية الاتصال الحكومي ودوره في انسيابية المعلومات بين "
              "الدوائر الخدمية والأمنية والمواطنين وبناء الثقة بالمؤسسات العامة من خلال "
              "الإعلام الرقمي والمتحدثين الرسميين والتنسيق مع وسائل الإعلام المحلية")[:200]
MM = 72 / 25.4          # PDF points a millimetre
# Bidi marks pdftotext wraps around runs, and Arabic short vowels (pdftotext may set a
# vowel apart from its letter): neither changes which words are on the page.
_MARKS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F,
                        *range(0x064B, 0x0653)])


@pytest.fixture(autouse=True)
def _app(qapp):
    """pytest-qt's QApplication first: the code under test must use it, not make one."""
    ensure_fonts()
    return qapp


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold_input(text, multiline=True).translate(_MARKS))


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True,
                          timeout=120).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))


def page_words(pdf: Path, n: int) -> list[str]:
    return words(run("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"))


def in_order(needle: list[str], haystack: list[str]) -> bool:
    """Whether ``needle`` occurs in ``haystack`` word after word."""
    k = len(needle)
    return any(haystack[i:i + k] == needle for i in range(len(haystack) - k + 1))


def qr_text(pdf: Path, n: int, tmp: Path) -> str:
    stem = tmp / f"qr-{n}"
    run("pdftoppm", "-r", "200", "-png", "-f", str(n), "-l", str(n), "-singlefile",
        str(pdf), str(stem))
    return run("zbarimg", "--raw", "-q", f"{stem}.png").rstrip("\n")


def make_pages(db, activity, people, style):
    for name, gender in people:
        person = store.insert(db, records.Person(full_name=name, gender=gender))
        attendance.add(db, activity.id, person.id)
    return prepare(db, activity.id, style=style)


# --- pages, names, grammar ------------------------------------------------------------

def test_each_attendee_gets_one_page_with_their_name_and_grammar(db, workshop, tmp_path):
    pages = make_pages(db, workshop, PEOPLE, CertificateStyle(font=NOTO))
    pdf = write_pdf(pages, tmp_path / "certificates.pdf")
    assert page_count(pdf) == len(PEOPLE)
    for n, ((name, gender), page) in enumerate(zip(PEOPLE, pages, strict=True), 1):
        found = page_words(pdf, n)
        assert in_order(words(name), found), (name, found)
        raw = run("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-").translate(_MARKS)
        assert page.serial in raw and page.code in raw
        others = [p for p, _ in PEOPLE if p != name]
        assert not any(in_order(words(o), found) for o in others)
        if gender == "f":
            assert "السيدة" in found and "لمشاركتها" in found
            assert "السيد" not in found and "لمشاركته" not in found
        else:
            assert "السيد" in found and "لمشاركته" in found
            assert "السيدة" not in found and "لمشاركتها" not in found


def test_words_read_right_to_left_and_the_serial_left_to_right(db, workshop, tmp_path):
    pages = make_pages(db, workshop, PEOPLE[:1], CertificateStyle(font=NOTO))
    pdf = write_pdf(pages, tmp_path / "c.pdf")
    found = page_words(pdf, 1)
    # pdftotext turns the drawn glyphs back into reading order: words drawn left to
    # right would come back reversed.
    assert in_order(words(pages[0].lead), found)
    assert in_order(words(workshop.title), found)
    raw = run("pdftotext", "-f", "1", "-l", "1", str(pdf), "-")
    assert pages[0].serial in raw.translate(_MARKS)
    # The sentence's full stop ends its last line on the LEFT, as Arabic does (a
    # left-to-right paragraph would put it at the right end).
    assert pages[0].body.endswith(".")
    d = design(pages[0].design)
    last = _lines_in(pdf, 1, d.body.top, d.body.bottom)[-1]
    glyphs = [(float(w.get("xMin")), w.text) for w in last]
    assert min(glyphs)[1].startswith("."), glyphs


def test_the_qr_code_decodes_to_its_line_and_verifies(db, workshop, tmp_path):
    pages = make_pages(db, workshop, PEOPLE[:2], CertificateStyle())  # Amiri, formal
    pdf = write_pdf(pages, tmp_path / "c.pdf")
    for n, page in enumerate(pages, 1):
        line = qr_text(pdf, n, tmp_path)
        assert line == page.qr
        assert page.name in line
        result = certificates.verify(db, line)
        assert result.genuine and result.certificate.serial == page.serial
        found = run("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-").translate(_MARKS)
        assert page.serial in found and page.code in found
        assert certificates.verify(db, page.code).genuine


def test_fonts_are_embedded(db, workshop, tmp_path):
    for font in ("Amiri", NOTO):
        pages = make_pages(db, store.insert(db, karbala_workshop()), PEOPLE[:1],
                           CertificateStyle(font=font))
        pdf = write_pdf(pages, tmp_path / f"{font}.pdf")
        rows = run("pdffonts", str(pdf)).splitlines()[2:]
        assert rows, "no fonts in the PDF"
        for row in rows:
            assert row.split()[-5] == "yes", row   # the "emb" column
        expected = "Amiri" if font == "Amiri" else "NotoSansArabicUI"
        assert any(expected in row for row in rows)


def test_the_document_title_names_the_certificate_and_activity(db, workshop, tmp_path):
    pages = make_pages(db, workshop, PEOPLE[:1], CertificateStyle())
    pdf = write_pdf(pages, tmp_path / "c.pdf", activity=workshop.title)
    info = run("pdfinfo", str(pdf))
    assert re.search(r"^Title:\s+شهادة مشاركة — " + re.escape(workshop.title), info, re.M)
    assert re.search(r"^Page size:\s+842 x 595 pts \(A4\)", info, re.M)


# --- long names and titles --------------------------------------------------------------

def _lines_in(pdf: Path, page: int, top_mm: float, bottom_mm: float) -> list[ET.Element]:
    """The text lines of the page whose middle lies between the two heights (mm)."""
    html = run("pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-")
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", html))
    found = []
    for line in root.iter("{http://www.w3.org/1999/xhtml}line"):
        middle = (float(line.get("yMin")) + float(line.get("yMax"))) / 2
        if top_mm * MM <= middle <= bottom_mm * MM:
            found.append(line)
    return found


@pytest.mark.parametrize("font", ["Amiri", NOTO])
@pytest.mark.parametrize("key", sorted(DESIGNS))
def test_a_long_name_and_title_fit_every_design(db, tmp_path, key, font):
    assert len(LONG_NAME.replace(" ", "")) >= 60 and len(LONG_TITLE) == 200
    activity = store.insert(db, records.Activity(
        kind="workshop", title=LONG_TITLE, start_date="2026-11-22", end_date="2026-11-24",
        place="قاعة المؤتمرات الكبرى في رئاسة جامعة كربلاء", organiser="جامعة كربلاء"))
    style = CertificateStyle(design=key, font=font, signatories=[
        Signatory("أ.د. حسن علي الشمري", "رئيس الجامعة"),
        Signatory("د. سعاد كريم العبيدي", "عميدة كلية الإعلام والاتصال"),
        Signatory("م. علي حسين الربيعي", "مدير شعبة الإعلام والاتصال الحكومي في الجامعة")])
    pages = make_pages(db, activity, [(LONG_NAME, "m"), (PEOPLE[0][0], "f")], style)
    pdf = write_pdf(pages, tmp_path / "long.pdf")
    assert page_count(pdf) == 2   # nothing spilled onto a page of its own

    d = design(key)
    placed = {p.role: p for p in layout_page(pages[0])}
    assert placed["name"].pt >= d.name_min_pt and placed["name"].lines <= 2
    assert placed["body"].pt >= d.body_min_pt
    outside = [p for p in layout_page(pages[0]) if not p.inside]
    assert outside == []
    # The longest QR line (a long Arabic name) still reads.
    assert qr_text(pdf, 1, tmp_path) == pages[0].qr

    if font == NOTO:  # the words can be read back: every one is there, none cut
        found = page_words(pdf, 1)
        assert in_order(words(LONG_NAME), found)
        assert in_order(words(LONG_TITLE), found)
        # The name's lines: in its box, at no less than the design's smallest size
        # (a line's height is the font's ascent + descent times its size).
        lines = _lines_in(pdf, 1, d.name.top, d.name.bottom)
        assert 1 <= len(lines) <= 2
        metrics = QFontMetricsF(_pixel_font(NOTO))
        em = (metrics.ascent() + metrics.descent()) / 1000
        left, top = d.name.left * MM, d.name.top * MM
        right, bottom = d.name.right * MM, d.name.bottom * MM
        for line in lines:
            x0, y0, x1, y1 = (float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            assert (y1 - y0) / em >= d.name_min_pt - 0.1
            assert left - 1 <= x0 and x1 <= right + 1
            assert top - 6 <= y0 and y1 <= bottom + 6   # ascent/descent, not ink


def _pixel_font(family: str) -> QFont:
    font = QFont(family)
    font.setBold(True)
    font.setPixelSize(1000)
    return font


# --- printing, the preview -----------------------------------------------------------

def test_printing_through_a_real_qprinter_gives_one_sheet_each(db, workshop, tmp_path):
    pages = make_pages(db, workshop, PEOPLE, CertificateStyle(font=NOTO))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    done = []
    print_pages(printer, pages, lambda n, total: done.append((n, total)))
    assert done == [(1, 3), (2, 3), (3, 3)]
    assert page_count(out) == 3
    assert re.search(r"^Page size:\s+842 x 595 pts \(A4\)", run("pdfinfo", str(out)), re.M)
    for n, (name, _) in enumerate(PEOPLE, 1):
        assert in_order(words(name), page_words(out, n))


def _dark_columns(image: QImage, top: int, bottom: int, left: int, right: int) -> list[int]:
    """The x of every column from left to right that has a dark pixel between rows top
    and bottom."""
    xs = []
    for x in range(left, right):
        for y in range(top, bottom, 2):
            if QColor(image.pixel(x, y)).lightness() < 110:
                xs.append(x)
                break
    return xs


def test_the_preview_image_is_a_landscape_certificate(db, workshop):
    pages = make_pages(db, workshop, PEOPLE[:1], CertificateStyle())
    image = render_image(pages[0], 600)
    assert (image.width(), image.height()) == (600, round(600 * 210 / 297))
    d = design(pages[0].design)
    per_mm = image.width() / 297
    # The body's rows, and its box with 8 mm to spare on each side (the frame is farther).
    body = _dark_columns(image, round(d.body.top * per_mm), round(d.body.bottom * per_mm),
                         round((d.body.left - 8) * per_mm), round((d.body.right + 8) * per_mm))
    assert len(body) > 150, "the body sentence is missing"
    # Centred in its box: as much room on its right as on its left.
    centre = (d.body.left + d.body.width / 2) * per_mm
    assert abs((body[0] + body[-1]) / 2 - centre) < 6
    assert body[-1] <= d.body.right * per_mm + 1 and body[0] >= d.body.left * per_mm - 1
    # The name in the accent colour.
    accent = QColor(d.accent)
    y0, y1 = round(d.name.top * per_mm), round(d.name.bottom * per_mm)
    assert any(_near(QColor(image.pixel(x, y)), accent)
               for x in range(image.width()) for y in range(y0, y1, 2))


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 40


def test_the_preview_matches_the_pdf_page(db, workshop, tmp_path):
    """One drawing routine: the preview and the PDF page show the same things in the
    same places."""
    pages = make_pages(db, workshop, PEOPLE[:1], CertificateStyle(design="modern"))
    pdf = write_pdf(pages, tmp_path / "c.pdf")
    run("pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(tmp_path / "p"))
    from_pdf = QImage(str(tmp_path / "p.png"))
    preview = render_image(pages[0], from_pdf.width())
    assert abs(preview.height() - from_pdf.height()) <= 1
    differ = sum(1 for x in range(0, preview.width(), 3) for y in range(0, preview.height() - 1, 3)
                 if abs(QColor(preview.pixel(x, y)).lightness()
                        - QColor(from_pdf.pixel(x, y)).lightness()) > 100)
    assert differ < 0.02 * (preview.width() // 3) * (preview.height() // 3)


def test_paint_page_fills_any_target(db, workshop):
    pages = make_pages(db, workshop, PEOPLE[:1], CertificateStyle(design="modern"))
    image = QImage(400, 400, QImage.Format.Format_RGB32)   # square: the page is centred
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_page(painter, pages[0], QRectF(0, 0, 400, 400))
    painter.end()
    band = QColor(design("modern").band_color)
    assert _near(QColor(image.pixel(395, 200)), band)     # the band on the right edge
    assert QColor(image.pixel(200, 10)) == QColor(Qt.GlobalColor.white)  # above the page


# --- atomic writes, the application ---------------------------------------------------

class Stop(Exception):
    pass


def test_a_progress_that_raises_leaves_nothing(db, workshop, tmp_path):
    pages = make_pages(db, workshop, PEOPLE, CertificateStyle())
    target = tmp_path / "out" / "c.pdf"
    target.parent.mkdir()
    seen = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        write_pdf(pages, target, progress)
    assert seen == [(1, 3), (2, 3)]
    assert list(target.parent.iterdir()) == []
    target.write_bytes(b"an older file")
    with pytest.raises(Stop):
        write_pdf(pages, target, progress)
    assert target.read_bytes() == b"an older file"
    assert list(target.parent.iterdir()) == [target]


def test_the_running_application_is_used(qapp):
    assert ensure_gui_app() is qapp


CLI = """
import sys
from PySide6.QtCore import QCoreApplication
from exporters.certificate_pdf import write_pdf
from models import attendance, records, store
from models.certificate_pages import prepare
from models.db import Database
db = Database.open(sys.argv[1], create=True)
a = store.insert(db, records.Activity(kind="workshop", title="ندوة", start_date="2026-01-05"))
p = store.insert(db, records.Person(full_name="زينب علي حسين"))
attendance.add(db, a.id, p.id)
assert QCoreApplication.instance() is None
write_pdf(prepare(db, a.id), sys.argv[2])
print(type(QCoreApplication.instance()).__name__, QCoreApplication.instance().platformName())
"""


def test_the_command_line_gets_an_offscreen_application(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "cli.pdf"
    result = subprocess.run([sys.executable, "-c", CLI, str(tmp_path / "db.sqlite3"),
                             str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["QGuiApplication", "offscreen"]
    assert page_count(out) == 1


def test_a_cancelled_print_run_is_aborted(db, workshop, tmp_path):
    pages = make_pages(db, workshop, PEOPLE, CertificateStyle())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    folder = tmp_path / "out"
    folder.mkdir()
    printer.setOutputFileName(str(folder / "printed.pdf"))

    def progress(done: int, total: int) -> None:
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        print_pages(printer, pages, progress)
    assert list(folder.iterdir()) == []   # no half-printed file


def test_the_unit_head_signs_a_certificate_whose_style_names_nobody(db, workshop, tmp_path):
    import dataclasses

    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, head_name="د. علي حسين الربيعي",
                                         head_title="مدير شعبة الإعلام والاتصال الحكومي"))
    pages = make_pages(db, workshop, PEOPLE[:1], CertificateStyle())
    pdf = write_pdf(pages, tmp_path / "head.pdf")
    found = page_words(pdf, 1)
    assert in_order(words("د. علي حسين الربيعي"), found)
    assert in_order(words("مدير شعبة الإعلام والاتصال الحكومي"), found)
    # Where a signatory goes: the signatories' box, the first column from the right.
    (signer,) = [p for p in layout_page(pages[0]) if p.role == "signer"]
    box = design(pages[0].design).signers
    left, top, width, _height = signer.rect
    assert box.right - box.width / 3 - 0.5 <= left and left + width <= box.right
    assert box.top <= top <= box.bottom
