"""Files chosen in Settings (letterhead, logo) and in a certificate design are found
relative to the database's folder, whatever folder the command line or the app runs from:
every document kind carries them, and a stored file that has gone missing stops the export
with a message naming the setting, never quietly drops out."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from lxml import etree
from PIL import Image

from models import attachments, records, store
from models.certificate_style import load_style, save_style
from models.db import Database
from models.file_checks import FileCheckError
from models.paths import attachments_dir
from tests.conftest import karbala_workshop

ROOT = Path(__file__).resolve().parent.parent

HEADER_TEXT = "وزارة التعليم العالي — ترويسة شعبة الإعلام"
FOOTER_TEXT = "كربلاء المقدسة — هاتف ٠٧٨٠"
UNIT_NAME = "شعبة الإعلام والاتصال الحكومي"
LETTERHEAD_SETTING = "الترويسة المختارة في «الإعدادات»"
LOGO_SETTING = "شعار الوحدة المختار في «الإعدادات»"
DOC_KINDS = ("news", "attendance", "periodic", "letter")


# --- files a user would pick ------------------------------------------------------------

def make_png(path: Path, color=(31, 122, 116), size=(160, 120)) -> Path:
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 8):  # not one flat colour: a real picture's bytes
        image.putpixel((x, x * size[1] // size[0]), (250, 200, 60))
    image.save(path, "PNG")
    return path


def make_jpeg(path: Path, size=(640, 480)) -> Path:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.save(path, "JPEG", quality=90)
    return path


def make_letterhead(path: Path, picture: Path) -> Path:
    """A unit's letterhead as Word makes it: Arabic text and a picture in the header, a
    footer line, and a body line (which documents drop)."""
    document = docx.Document()
    header = document.sections[0].header
    header.paragraphs[0].text = HEADER_TEXT
    header.add_paragraph().add_run().add_picture(str(picture), height=Cm(1.5))
    document.sections[0].footer.paragraphs[0].text = FOOTER_TEXT
    document.add_paragraph("نص المتن في ملف الترويسة")
    document.save(path)
    return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- reading a written .docx back ---------------------------------------------------------

def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def assert_well_formed(path: Path) -> None:
    """Every XML part parses with a strict, entity-free parser, and none has a DOCTYPE."""
    for name, data in parts(path).items():
        if name.endswith((".xml", ".rels")):
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            tree = etree.fromstring(data, parser).getroottree()
            assert not tree.docinfo.doctype, name
            assert b"<!ENTITY" not in data, name


def header_text(path: Path) -> str:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    texts = []
    for name, data in sorted(parts(path).items()):
        if name.startswith("word/header") and name.endswith(".xml"):
            texts.append("".join(t.text or "" for t in etree.fromstring(data).iter(w)))
    return "\n".join(texts)


def media(path: Path) -> set[str]:
    return {sha(data) for name, data in parts(path).items() if name.startswith("word/media/")}


def body_text(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join([p.text for p in document.paragraphs] +
                     [c.text for t in document.tables for r in t.rows for c in r.cells])


# --- the data folder ----------------------------------------------------------------------

@dataclasses.dataclass
class Data:
    """A database in its own folder, with the files the user picked (outside it)."""

    db_path: Path
    workshop: records.Activity
    letterhead: Path      # the .docx the user picked
    header_picture: Path  # the picture inside its header
    logo: Path            # the PNG the user picked as the logo
    elsewhere: Path       # the folder the command line or app runs from

    def open(self) -> Database:
        return Database.open(self.db_path)


def set_unit_files(db: Database, *, letterhead: Path | None = None,
                   logo: Path | None = None) -> records.Unit:
    """What the Settings page does on Save: keep each chosen file, store its reference."""
    unit = store.get(db, records.Unit, db.local_unit_id)
    changes = {}
    if letterhead is not None:
        changes["letterhead_path"] = attachments.keep_letterhead(db.path, letterhead)
    if logo is not None:
        changes["logo_path"] = attachments.keep_image(db.path, logo)
    return store.update(db, dataclasses.replace(unit, **changes))


@pytest.fixture
def data(tmp_path: Path) -> Data:
    folder = tmp_path / "بيانات"
    folder.mkdir()
    picked = tmp_path / "مختارة"
    picked.mkdir()
    elsewhere = tmp_path / "مكان آخر"
    elsewhere.mkdir()
    db_path = folder / "ittisal.sqlite3"
    header_picture = make_png(picked / "شعار الترويسة.png", color=(120, 30, 40))
    with Database.open(db_path, create=True) as db:
        unit = store.get(db, records.Unit, db.local_unit_id)
        store.update(db, dataclasses.replace(unit, name=UNIT_NAME, ministry="وزارة التعليم"))
        workshop = store.insert(db, karbala_workshop())
        person = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي", gender="f"))
        store.insert(db, records.Attendance(activity_id=workshop.id, person_id=person.id,
                                            days=[1, 2]))
    return Data(db_path, workshop, make_letterhead(picked / "ترويسة.docx", header_picture),
                header_picture, make_png(picked / "شعار.png"), elsewhere)


def run_cli(*args: str, db: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=180, cwd=cwd)


def export_args(kind: str, data: Data, out: Path) -> list[str]:
    if kind in ("news", "attendance"):
        return ["export", kind, "--activity", data.workshop.id, "--out", str(out)]
    if kind == "periodic":
        return ["export", "periodic", "--from", "2026-11-01", "--to", "2026-11-30",
                "--out", str(out)]
    report = data.elsewhere / "تقرير.docx"
    report.write_bytes(b"report")
    return ["export", "letter", "--report", str(report), "--subject", "تقرير الورشة",
            "--out", str(out)]


def log_file() -> Path:
    from models.paths import data_dir

    return data_dir() / "ittisal.log"


# --- the resolver -------------------------------------------------------------------------

def test_references_are_relative_to_the_database_folder_not_the_current_one(
        data, monkeypatch):
    monkeypatch.chdir(data.elsewhere)
    with data.open() as db:
        unit = set_unit_files(db, letterhead=data.letterhead, logo=data.logo)
        for ref in (unit.letterhead_path, unit.logo_path):
            assert ref.startswith("attachments/") and not Path(ref).is_absolute()
            found = attachments.resolve(db, ref)
            assert found == data.db_path.parent / ref and found.is_file()
            assert attachments.resolve(db.path, ref) == found  # the path works as well
        assert attachments.resolve(db, "") is None
        absolute = str(data.logo)
        assert attachments.resolve(db, absolute) == data.logo  # kept as it is


def test_the_same_file_chosen_twice_is_kept_once(data):
    with data.open() as db:
        first = attachments.keep_letterhead(db.path, data.letterhead)
        copy = data.elsewhere / "نسخة.docx"
        copy.write_bytes(data.letterhead.read_bytes())
        assert attachments.keep_letterhead(db.path, copy) == first
        assert len([p for p in attachments_dir(db.path).rglob("*.docx")]) == 1


# --- the command line, from another folder -------------------------------------------------

@pytest.mark.parametrize("kind", DOC_KINDS)
def test_cli_documents_carry_the_letterhead_from_another_folder(data, kind):
    with data.open() as db:
        set_unit_files(db, letterhead=data.letterhead, logo=data.logo)
    out = data.elsewhere / f"{kind}.docx"
    result = run_cli(*export_args(kind, data, out), db=data.db_path, cwd=data.elsewhere)
    assert result.returncode == 0, result.stderr
    assert_well_formed(out)
    assert HEADER_TEXT in header_text(out)
    assert sha(data.header_picture.read_bytes()) in media(out)
    assert "نص المتن في ملف الترويسة" not in body_text(out)
    assert not log_file().exists()


@pytest.mark.parametrize("kind", DOC_KINDS)
def test_cli_documents_carry_the_logo_from_another_folder(data, kind):
    with data.open() as db:
        set_unit_files(db, logo=data.logo)
    out = data.elsewhere / f"{kind}.docx"
    result = run_cli(*export_args(kind, data, out), db=data.db_path, cwd=data.elsewhere)
    assert result.returncode == 0, result.stderr
    assert_well_formed(out)
    assert UNIT_NAME in header_text(out)  # the built-in letterhead, with the logo
    assert sha(data.logo.read_bytes()) in media(out)


def set_certificate_logo(db: Database, activity_id: str, image: Path) -> None:
    """What the certificate design's image chooser does: keep the image, store the style."""
    style = load_style(db, activity_id)
    save_style(db, dataclasses.replace(style, logos=[attachments.keep_image(db.path, image)]),
               activity_id)


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_cli_certificates_carry_their_logo_from_another_folder(data, suffix):
    with data.open() as db:
        set_unit_files(db, letterhead=data.letterhead, logo=data.logo)
        set_certificate_logo(db, data.workshop.id, data.logo)
    out = data.elsewhere / f"شهادات{suffix}"
    result = run_cli("export", "certificates", "--activity", data.workshop.id, "--out",
                     str(out), db=data.db_path, cwd=data.elsewhere)
    assert result.returncode == 0, result.stderr
    if suffix == ".docx":
        assert_well_formed(out)
        assert sha(data.logo.read_bytes()) in media(out)
    else:
        # The QR code is drawn as squares: the only picture on the page is the logo.
        assert b"/Subtype /Image" in out.read_bytes()


def test_cli_a_certificate_without_images_has_no_picture(data):
    """The PDF check above can fail: without a logo the page holds no image."""
    out = data.elsewhere / "شهادات.pdf"
    result = run_cli("export", "certificates", "--activity", data.workshop.id, "--out",
                     str(out), db=data.db_path, cwd=data.elsewhere)
    assert result.returncode == 0, result.stderr
    assert b"/Subtype /Image" not in out.read_bytes()


# --- the app, from another folder ----------------------------------------------------------

@pytest.fixture
def app_ctx(qapp, data, monkeypatch):
    from ui.application import create_application
    from ui.context import AppContext

    create_application()
    monkeypatch.chdir(data.elsewhere)
    db = data.open()
    yield AppContext(db)
    db.close()


def app_export(qtbot, parent, ctx, desktop, kind: str, data: Data, out: Path) -> Path:
    from ui.export import ExportResultDialog, export_document

    desktop.answer = out
    if kind == "letter":
        report = data.elsewhere / "تقرير.docx"
        report.write_bytes(b"report")
        task = export_document(parent, ctx, "letter", report=report, subject="تقرير الورشة")
    elif kind == "periodic":
        task = export_document(parent, ctx, "periodic", date_from="2026-11-01",
                               date_to="2026-11-30")
    else:
        task = export_document(parent, ctx, kind, activity_id=data.workshop.id)
    assert task is not None
    qtbot.waitUntil(lambda: parent.findChild(ExportResultDialog) is not None, timeout=30000)
    dialog = parent.findChild(ExportResultDialog)
    dialog.close()
    dialog.setParent(None)  # the next export's dialog is the only one
    return out


@pytest.mark.parametrize("kind", DOC_KINDS)
def test_app_documents_carry_the_letterhead_and_logo_from_another_folder(
        qtbot, app_ctx, parent, desktop, data, kind):
    set_unit_files(app_ctx.db, letterhead=data.letterhead, logo=data.logo)
    out = app_export(qtbot, parent, app_ctx, desktop, kind, data,
                     data.elsewhere / f"{kind}-ترويسة.docx")
    assert_well_formed(out)
    assert HEADER_TEXT in header_text(out)
    assert sha(data.header_picture.read_bytes()) in media(out)
    # The logo alone: the built-in letterhead shows it.
    store.update(app_ctx.db, dataclasses.replace(app_ctx.unit, letterhead_path=""))
    out = app_export(qtbot, parent, app_ctx, desktop, kind, data,
                     data.elsewhere / f"{kind}-شعار.docx")
    assert_well_formed(out)
    assert UNIT_NAME in header_text(out)
    assert sha(data.logo.read_bytes()) in media(out)


def test_app_certificates_carry_their_logo_from_another_folder(app_ctx, data):
    from exporters.certificates import export_certificates

    set_certificate_logo(app_ctx.db, data.workshop.id, data.logo)
    out = export_certificates(app_ctx.db, data.workshop.id, data.elsewhere / "شهادات.docx")
    assert_well_formed(out)
    assert sha(data.logo.read_bytes()) in media(out)
    pdf = export_certificates(app_ctx.db, data.workshop.id, data.elsewhere / "شهادات.pdf")
    assert b"/Subtype /Image" in pdf.read_bytes()


# --- a stored file that has gone missing ---------------------------------------------------

def test_cli_a_missing_letterhead_names_the_setting(data):
    with data.open() as db:
        unit = set_unit_files(db, letterhead=data.letterhead)
        attachments.resolve(db, unit.letterhead_path).unlink()
    for kind in DOC_KINDS:
        out = data.elsewhere / f"{kind}.docx"
        result = run_cli(*export_args(kind, data, out), db=data.db_path, cwd=data.elsewhere)
        assert result.returncode == 1, (kind, result.stderr)
        arabic, english = result.stderr.splitlines()[:2]
        assert arabic.startswith(LETTERHEAD_SETTING) and "غير موجود" in arabic, kind
        assert english.startswith("The letterhead chosen in Settings"), kind
        assert not out.exists()
    assert not log_file().exists()


def test_a_missing_logo_names_the_setting(data, monkeypatch):
    from exporters.news_report import write_news_report

    monkeypatch.chdir(data.elsewhere)
    with data.open() as db:
        unit = set_unit_files(db, logo=data.logo)
        attachments.resolve(db, unit.logo_path).unlink()
        with pytest.raises(FileCheckError) as caught:
            write_news_report(db, data.workshop.id, data.elsewhere / "خبر.docx")
    assert str(caught.value).startswith(LOGO_SETTING)
    assert "اختر الشعار من جديد" in str(caught.value)
    assert not (data.elsewhere / "خبر.docx").exists()


def test_a_missing_photo_names_the_photo(data, monkeypatch):
    from exporters.news_report import write_news_report

    monkeypatch.chdir(data.elsewhere)
    with data.open() as db:
        photo = attachments.attach(db, "activity", data.workshop.id,
                                   make_jpeg(data.elsewhere / "افتتاح الورشة.jpg"))
        attachments.path_of(db, photo).unlink()
        with pytest.raises(FileCheckError) as caught:
            write_news_report(db, data.workshop.id, data.elsewhere / "خبر.docx")
    assert str(caught.value).startswith("الصورة 1 («افتتاح الورشة.jpg») من صور النشاط")


def test_photos_are_found_from_another_folder(data, monkeypatch):
    from exporters.news_report import write_news_report

    monkeypatch.chdir(data.elsewhere)
    with data.open() as db:
        jpeg = make_jpeg(data.elsewhere / "افتتاح.jpg")
        attachments.attach(db, "activity", data.workshop.id, jpeg)
        webp = data.elsewhere / "قاعة.webp"
        Image.open(make_png(data.elsewhere / "قاعة.png")).save(webp, "WEBP")
        attachments.attach(db, "activity", data.workshop.id, webp)
        out = write_news_report(db, data.workshop.id, data.elsewhere / "خبر.docx")
    assert_well_formed(out)
    assert sha(jpeg.read_bytes()) in media(out)
    # Word takes no WEBP: the photo goes in as a PNG copy, not left out.
    assert len([n for n in parts(out) if n.startswith("word/media/")]) == 2


def test_the_letterheads_footer_keeps_its_line_and_the_page_number_goes_below(
        data, monkeypatch):
    from exporters.news_report import write_news_report

    monkeypatch.chdir(data.elsewhere)
    with data.open() as db:
        set_unit_files(db, letterhead=data.letterhead)
        out = write_news_report(db, data.workshop.id, data.elsewhere / "خبر.docx")
    lines = [p.text for p in docx.Document(str(out)).sections[-1].footer.paragraphs]
    assert lines[0] == FOOTER_TEXT  # not "…٠٧٨٠صفحة ١ من ١" run together
    assert lines[1].startswith("صفحة ") and FOOTER_TEXT not in lines[1]


def test_a_two_day_sheet_on_the_units_letterhead_turns_the_page(data):
    # The letterhead is portrait; a sheet of two days needs the width, with the unit's own
    # header and footer still on it.
    with data.open() as db:
        set_unit_files(db, letterhead=data.letterhead)
    out = data.elsewhere / "كشف.docx"
    done = run_cli("export", "attendance", "--activity", data.workshop.id, "--out", str(out),
                   db=data.db_path, cwd=data.elsewhere)
    assert done.returncode == 0, done.stderr
    document = docx.Document(str(out))
    section = document.sections[0]
    assert section.page_width > section.page_height
    assert HEADER_TEXT in "".join(p.text for p in section.header.paragraphs)
