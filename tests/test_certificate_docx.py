"""Certificates as a Word file, as the user gets it: the .docx read back with python-docx,
converted by LibreOffice and read with poppler (pdfinfo, pdftotext, pdffonts), its QR
pictures read with zbarimg and verified.

One small document per design (a woman, a man, and a 60-letter name at an activity with
a 200-letter title) is converted once for the module; the other checks need no
LibreOffice.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image, ImageDraw

from exporters.certificate_docx import write_docx
from exporters.qr_batch import POOL_FROM
from models import attendance, certificates, records, store
from models.arabic import fold_input
from models.certificate_pages import CertificatePage, prepare
from models.certificate_style import DESIGNS, CertificateStyle, Signatory
from models.db import Database
from tests.conftest import karbala_workshop
from tests.test_exporters_rtl import comparable, needs_soffice, pdf_text, problems, to_pdf

NOTO = "Noto Sans Arabic UI"
# Each design with one of the two fonts, so both fonts are seen.
FONT_OF = {"formal": "Amiri", "modern": NOTO, "minimal": "Amiri"}
WOMAN, MAN = "زينب علي حسين الأسدي", "محمد جاسم كاظم الموسوي"
# Four parts: compound first, father's and grandfather's names, a long family name.
LONG_NAME = "عبد الرحمن عبد الأمير عبد الحسين آل عبد الجبار الموسوي الحلي"
LONG_TITLE = ("ورشة تطويرية موسعة عن أهمية الاتصال الحكومي ودوره في انسيابية المعلومات بين "
              "الدوائر الخدمية والأمنية والمواطنين وبناء الثقة بالمؤسسات العامة من خلال "
              "الإعلام الرقمي والمتحدثين الرسميين والمواقع الرسمية")

needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None,
                                reason="zbarimg (zbar-tools) is not installed")
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdffonts")),
    reason="poppler-utils is not installed")


def test_the_long_texts_are_as_long_as_the_brief_says():
    assert len(LONG_NAME) == 60 and len(LONG_TITLE) == 200


# --- data ---------------------------------------------------------------------------------

def _png(path: Path, size: tuple[int, int], draw) -> Path:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw(ImageDraw.Draw(image))
    image.save(path)
    return path


def make_pages(db: Database, folder: Path, design: str = "formal", font: str = "Amiri",
               ) -> list[CertificatePage]:
    """A woman and a man at the Karbala workshop, then a 60-letter name at an activity
    with a 200-letter title; the unit's issuer lines, two logos and two signatories
    (one with a scanned signature)."""
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(
        unit, ministry="وزارة التعليم العالي والبحث العلمي", directorate="جامعة كربلاء",
        name="شعبة الإعلام والاتصال الحكومي", certificate_prefix="KRB"))
    workshop = store.insert(db, karbala_workshop())
    seminar = store.insert(db, records.Activity(
        kind="seminar", title=LONG_TITLE, start_date="2026-11-24",
        place="قاعة المديرية الكبرى", status="approved"))
    for name, gender, activity in ((WOMAN, "f", workshop), (MAN, "m", workshop),
                                   (LONG_NAME, "m", seminar)):
        person = store.insert(db, records.Person(full_name=name, gender=gender,
                                                 entity="دائرة صحة كربلاء"))
        attendance.add(db, activity.id, person.id)
    logo = _png(folder / "logo.png", (300, 300),
                lambda d: d.ellipse([8, 8, 292, 292], outline=(120, 30, 30, 255), width=16))
    signature = _png(folder / "signature.png", (500, 180), lambda d: d.line(
        [(20 + 30 * i, 90 + (-40 if i % 2 else 40)) for i in range(16)],
        fill=(20, 40, 120, 255), width=5))
    style = CertificateStyle(
        design=design, font=font, logos=[str(logo), str(logo)],
        signatories=[Signatory("أ.د. حسن جبار الشمري", "رئيس الجامعة", str(signature)),
                     Signatory("م. زهراء كاظم عبد الله", "مديرة شعبة الإعلام", "")])
    return prepare(db, workshop.id, style=style) + prepare(db, seminar.id, style=style)


@dataclasses.dataclass
class Written:
    """One design's certificates: the database, the pages, the .docx and its PDF."""

    db: Database
    pages: list[CertificatePage]
    path: Path
    pdf: Path | None = None


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The three-page document of every design, written once for the module."""
    made, opened = {}, []
    for key in DESIGNS:
        folder = tmp_path_factory.mktemp(f"cert-{key}")
        db = Database.open(folder / "ittisal.sqlite3", create=True)
        opened.append(db)
        pages = make_pages(db, folder, key, FONT_OF[key])
        made[key] = Written(db, pages, write_docx(pages, folder / f"{key}.docx"))
    yield made
    for db in opened:
        db.close()


@pytest.fixture(scope="module")
def converted(written):
    """The documents converted by LibreOffice (three small conversions in all)."""
    for item in written.values():
        item.pdf = to_pdf(item.path, item.path.parent)
    return written


def page_text(pdf: Path, number: int) -> str:
    """The page's text as a reader compares it: marks gone, presentation forms folded,
    lam-alef left out (see tests.test_exporters_rtl.comparable)."""
    return comparable(fold_input(pdf_text(pdf, "-f", str(number), "-l", str(number))))


def pdf_info(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                          timeout=60).stdout


# --- what LibreOffice shows ------------------------------------------------------------------

@needs_soffice
@needs_poppler
@pytest.mark.parametrize("key", list(DESIGNS))
def test_one_landscape_a4_page_per_certificate(converted, key):
    info = pdf_info(converted[key].pdf)
    assert re.search(r"^Pages:\s+3$", info, re.M), info
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (842, 595)


@needs_soffice
@needs_poppler
@pytest.mark.parametrize("key", list(DESIGNS))
def test_every_name_is_on_its_own_page_with_its_serial(converted, key):
    item = converted[key]
    names = [p.name for p in item.pages]
    for number, page in enumerate(item.pages, 1):
        text = page_text(item.pdf, number)
        assert comparable(page.name) in text
        assert all(comparable(other) not in text for other in names if other != page.name)
        # The serial and the short code read left to right, as typed.
        assert page.serial in text and page.code in text


@needs_soffice
@needs_poppler
@pytest.mark.parametrize("key", list(DESIGNS))
def test_women_and_men_are_addressed_in_their_own_grammar(converted, key):
    item = converted[key]
    # Whole words, lam and alef kept (these words have no lam-alef ligature to reorder).
    woman, man = (fold_input(pdf_text(item.pdf, "-f", str(n), "-l", str(n))).split()
                  for n in (1, 2))
    assert "السيدة" in woman and "لمشاركتها" in woman
    assert "السيد" not in woman and "لمشاركته" not in woman
    assert "السيد" in man and "لمشاركته" in man
    assert "السيدة" not in man and "لمشاركتها" not in man


@needs_soffice
@needs_poppler
@pytest.mark.parametrize("key", list(DESIGNS))
def test_a_long_name_and_a_long_activity_title_fit_whole_on_one_page(converted, key):
    item = converted[key]
    assert item.pages[2].name == LONG_NAME
    text = page_text(item.pdf, 3)
    # Nothing cut: the whole name and the whole title are on the page (a row that
    # overflowed would lose its last lines), and the page count stayed three.
    assert comparable(LONG_NAME) in text
    assert comparable(LONG_TITLE) in text
    assert "تحرير" in text  # the date line below them is there too
    assert re.search(r"^Pages:\s+3$", pdf_info(item.pdf), re.M)


@needs_soffice
@needs_poppler
def test_the_chosen_font_travels_in_the_file(converted):
    """Noto Sans Arabic UI is not installed here: LibreOffice can only have it from the
    document, as Word will on a machine without it."""
    fonts = subprocess.run(["pdffonts", str(converted["modern"].pdf)], capture_output=True,
                           text=True, check=True, timeout=60).stdout
    assert "NotoSansArabicUI-Regular" in fonts and "NotoSansArabicUI-Bold" in fonts


# --- what the .docx holds ----------------------------------------------------------------------

def page_pictures(path: Path) -> list[list[bytes]]:
    """The pictures of each page (each top-level table of the body is one page), read from
    the saved file."""
    document = docx.Document(path)
    part = document.part
    pages = []
    for tbl in document.element.body.iterchildren(qn("w:tbl")):
        pages.append([part.related_parts[blip.get(qn("r:embed"))].blob
                      for blip in tbl.iter(qn("a:blip"))])
    return pages


def zbar(png: bytes, folder: Path) -> str | None:
    path = folder / "picture.png"
    path.write_bytes(png)
    result = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True,
                            timeout=60)
    return result.stdout.decode("utf-8").rstrip("\n") if result.returncode == 0 else None


@needs_zbar
@pytest.mark.parametrize("key", list(DESIGNS))
def test_each_pages_qr_code_reads_back_and_verifies(written, key, tmp_path):
    item = written[key]
    pictures = page_pictures(item.path)
    assert len(pictures) == len(item.pages)
    for page, images in zip(item.pages, pictures, strict=True):
        decoded = [text for text in (zbar(png, tmp_path) for png in images) if text]
        assert decoded == [page.qr]
        result = certificates.verify(item.db, decoded[0])
        assert result.genuine, result.reason
        assert result.certificate.serial == page.serial


@pytest.mark.parametrize("key", list(DESIGNS))
def test_the_document_is_right_to_left(written, key):
    document = docx.Document(written[key].path)
    assert problems(document) == []
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    runs = {"".join(t.text for t in r.iter(qn("w:t"))): r.find(f"{qn('w:rPr')}/{qn('w:rtl')}")
            for r in document.element.body.iter(qn("w:r"))}
    page = written[key].pages[0]
    assert runs[page.name] is not None          # Arabic: right to left
    assert runs[page.serial] is None            # Latin: left to right


@pytest.mark.parametrize("key", list(DESIGNS))
def test_the_pages_written_as_text_are_the_xml_lxml_writes(written, key, tmp_path):
    """The page tables are joined as text (exporters.certificate_docx._Stencil): read back
    and written again by lxml, the body is byte for byte the same — no character escaped
    otherwise, no namespace declared twice or missing, every drawing id unique — also for
    a name holding the characters XML escapes, and a signatory's title that looks like
    the writer's own marks."""
    from lxml import etree

    title = "رئيس @@القسم@@ و@@id@@"
    pages = [dataclasses.replace(p, name=p.name + ' & <Ali> "R&D"') if n == 1 else p
             for n, p in enumerate(written[key].pages)]
    pages = [dataclasses.replace(p, signers=(dataclasses.replace(p.signers[0], title=title),
                                             *p.signers[1:])) for p in pages]
    path = write_docx(pages, tmp_path / "escaped.docx")
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml")
    root = etree.fromstring(xml)
    assert etree.tostring(root, encoding="UTF-8", standalone=True) == xml
    ids = [d.get("id") for d in root.iter(qn("wp:docPr"))]
    assert len(ids) == len(set(ids)) >= len(pages)
    text = "".join(t.text or "" for t in root.iter(qn("w:t")))
    assert 'Ali> "R&D"' in text and "&amp;" not in text
    assert text.count(title) == len(pages)


def test_shared_parts_are_written_once_in_the_header(written):
    """Issuer lines sit in the header, not repeated on each page; every page has its own
    name in the body."""
    document = docx.Document(written["formal"].path)
    header = "".join(t.text for t in document.sections[0].header._element.iter(qn("w:t")))
    body = "".join(t.text for t in document.element.body.iter(qn("w:t")))
    assert "جامعة كربلاء" in header and "شعبة الإعلام والاتصال الحكومي" in header
    assert "شعبة الإعلام والاتصال الحكومي" not in body
    assert body.count(WOMAN) == 1 and body.count(MAN) == 1


# --- many pages, progress and cancel -------------------------------------------------------------

@pytest.fixture
def many_pages(db, tmp_path) -> list[CertificatePage]:
    """Enough attendees for the QR codes to be made in worker processes."""
    activity = store.insert(db, karbala_workshop())
    for i in range(POOL_FROM + 5):
        person = store.insert(db, records.Person(full_name=f"مشارك رقم {i} بن علي الحسيني",
                                                 gender="f" if i % 2 else "m"))
        attendance.add(db, activity.id, person.id)
    return prepare(db, activity.id)


def test_a_large_batch_keeps_every_qr_code_on_its_own_page(many_pages, tmp_path):
    calls = []
    path = write_docx(many_pages, tmp_path / "many.docx",
                      progress=lambda done, total: calls.append((done, total)))
    total = len(many_pages)
    assert calls == [(n, total) for n in range(1, total + 1)]
    pictures = page_pictures(path)
    assert [images for images in pictures] == [[certificates.qr_png_bytes(p.qr)]
                                               for p in many_pages]
    with zipfile.ZipFile(path) as z:  # one QR picture each, nothing shared by mistake
        assert len([n for n in z.namelist() if n.startswith("word/media/qr")]) == total


class Cancelled(Exception):
    pass


def test_a_cancel_writes_nothing(many_pages, tmp_path):
    """A progress callback that raises (the user pressed cancel) leaves no file and no
    temporary file, and an older file of that name as it was."""
    target = tmp_path / "out" / "certificates.docx"
    target.parent.mkdir()

    def cancel_at(page: int):
        def progress(done: int, total: int) -> None:
            if done == page:
                raise Cancelled
        return progress

    with pytest.raises(Cancelled):  # while the worker processes make QR codes
        write_docx(many_pages, target, progress=cancel_at(5))
    assert list(target.parent.iterdir()) == []

    target.write_bytes(b"the file from before")
    with pytest.raises(Cancelled):  # at the very last page
        write_docx(many_pages[:3], target, progress=cancel_at(3))
    assert target.read_bytes() == b"the file from before"
    assert list(target.parent.iterdir()) == [target]


def test_a_bad_picture_is_left_out_not_fatal(db, tmp_path):
    """A logo or signature file that is not an image (renamed, damaged) does not stop
    the certificates; the page is written without it."""
    pages = make_pages(db, tmp_path, "minimal")  # no frame pictures in the header
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    pages = [dataclasses.replace(p, logos=(broken,), background=broken) for p in pages]
    path = write_docx(pages, tmp_path / "c.docx")
    document = docx.Document(path)
    assert len(list(document.element.body.iterchildren(qn("w:tbl")))) == len(pages)
    assert not list(document.sections[0].header._element.iter(qn("a:blip")))
    assert problems(document) == []
