"""Checks of the files a user picks (letterheads, logos, signatures, backgrounds, photos)
before they are kept, and again before a document is made from them.

A file is refused when it is chosen, with a message saying why, so that a document never
fails later on a file the user cannot see. The same checks run at export on the stored
copy (a file may be damaged or replaced after it was accepted); then the message names
the setting that holds it (:func:`stored_error`), so the user knows where to fix it.

- :func:`check_image` decodes the whole picture with Pillow (a photo cut short by a
  failed copy has a perfect header and is refused only when its pixels are read), bounds
  its size and pixel count, and takes JPEG, PNG, GIF, WEBP and BMP.
- :func:`check_letterhead` treats a ``.docx`` as untrusted input: the zip must open, its
  uncompressed size is bounded (a zip bomb), every XML part must parse with a parser that
  resolves no entity and loads nothing from the network, and no part may carry a DOCTYPE
  (entity expansion, external entities); the package must hold what a Word reader needs
  (content types, the main document part with a body, every internal relationship's
  target). ``models`` imports no python-docx (the layering rule), so the last step,
  opening it with python-docx, is :func:`exporters.rtl.check_letterhead`, which calls this
  first.
"""

from __future__ import annotations

import posixpath
import threading
import warnings
import zipfile
import zlib
from collections import OrderedDict
from pathlib import Path
from urllib.parse import unquote

from lxml import etree
from PIL import Image

from models.errors import IttisalError

__all__ = [
    "IMAGE_FORMATS",
    "MAX_IMAGE_BYTES",
    "MAX_LETTERHEAD_BYTES",
    "MAX_LETTERHEAD_UNPACKED",
    "MAX_PIXELS",
    "FileCheckError",
    "check_image",
    "check_letterhead",
    "sniff_image",
    "stored_error",
]

MAX_IMAGE_BYTES = 15 * 1024 * 1024
#: Pixels of the largest image taken: a 60-megapixel camera's photo; decoding one takes
#: about 180 MB, and nothing in a report needs more.
MAX_PIXELS = 64_000_000
MAX_LETTERHEAD_BYTES = 20 * 1024 * 1024
#: The letterhead's unpacked size: Word letterheads are a few hundred kB, images included.
MAX_LETTERHEAD_UNPACKED = 50 * 1024 * 1024
_MAX_PARTS = 2000

#: Pillow's format name -> MIME type, for the formats Ittisal takes.
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
                 "WEBP": "image/webp", "BMP": "image/bmp"}
# The sizes a BMP's DIB header can have; "BM" alone is too weak a signature.
_BMP_HEADERS = {12, 16, 40, 52, 56, 64, 108, 124}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "officeDocument")
_MAIN_TYPES = {  # what python-docx opens as a document (it refuses templates)
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}

_MSG = {
    "missing": ("تعذّرت قراءة الملف «{name}»: لا يوجد ملف بهذا الاسم.",
                "Cannot read {name}: there is no such file."),
    "unreadable": ("تعذّرت قراءة الملف «{name}»: {reason}", "Cannot read {name}: {reason}"),
    "too_big": ("الملف «{name}» حجمه {size} ميغابايت، وهو أكبر من المسموح ({limit} ميغابايت).",
                "{name} is {size} MB, more than the {limit} MB allowed."),
    "not_image": ("الملف «{name}» ليس صورة؛ المقبول صور JPEG أو PNG أو GIF أو WEBP أو BMP.",
                  "{name} is not an image; JPEG, PNG, GIF, WEBP or BMP images are accepted."),
    "broken_image": ("الصورة «{name}» تالفة أو ناقصة (ربما انقطع نسخها)، فلا يمكن قراءتها "
                     "كاملة. افتحها في برنامج صور واحفظها من جديد، أو اختر غيرها.",
                     "The image {name} is damaged or cut short (perhaps an interrupted "
                     "copy) and cannot be read in full. Open and save it again in an image "
                     "program, or choose another."),
    "too_many_pixels": ("أبعاد الصورة «{name}» كبيرة جداً ({width}×{height} نقطة)؛ الحد "
                        "{limit} مليون نقطة. صغّرها ثم اخترها من جديد.",
                        "The image {name} is too large ({width}×{height} pixels); the limit "
                        "is {limit} million pixels. Make it smaller and choose it again."),
    "not_docx": ("الملف «{name}» ليس مستند Word بصيغة docx (قد يكون تالفاً، أو بالصيغة القديمة "
                 "doc: افتحه في Word واحفظه بصيغة docx).",
                 "{name} is not a Word .docx document (it may be damaged, or an old .doc: "
                 "open it in Word and save it as .docx)."),
    "docx_too_big": ("الملف «{name}» كبير جداً على ترويسة: حجمه بعد فك الضغط يتجاوز {limit} "
                     "ميغابايت.",
                     "{name} is too big for a letterhead: unpacked it is more than {limit} MB."),
    "doctype": ("الملف «{name}» يحوي تعريفات XML (DOCTYPE أو ENTITY) في الجزء {part}، ولا "
                "يكتبها Word، وقد تكون ملفاً مصنوعاً للإضرار؛ لا يُقبل.",
                "{name} holds XML declarations (DOCTYPE or ENTITY) in {part}, which Word never "
                "writes and which may be made to do harm; it is refused."),
    "external": ("الملف «{name}» يجلب عند فتحه محتوى من خارجه ({target})؛ لا تفعل ذلك ترويسة "
                 "عادية، وقد يكون مصنوعاً للإضرار (كشف كلمة مرور الحاسوب لجهاز آخر)؛ لا يُقبل. "
                 "انسخ الترويسة إلى مستند جديد واحفظه.",
                 "{name} fetches content from outside itself when opened ({target}); an "
                 "ordinary letterhead does not, and this may be made to do harm (leaking the "
                 "computer's password to another machine); it is refused. Copy the letterhead "
                 "into a new document and save that."),
    "bad_xml": ("الملف «{name}» تالف: الجزء {part} منه ليس XML سليماً. افتحه في Word واحفظه "
                "من جديد.",
                "{name} is damaged: its part {part} is not well-formed XML. Open it in Word "
                "and save it again."),
    "damaged_docx": ("الملف «{name}» تالف: {what}. افتحه في Word واحفظه من جديد.",
                     "{name} is damaged: {what_en}. Open it in Word and save it again."),
    "stored_missing": ("{setting}: الملف المحفوظ غير موجود ({path}). {fix}",
                       "{setting}: the stored file is missing ({path}). {fix}"),
    "stored_bad": ("{setting}: {reason}. {fix}", "{setting}: {reason}. {fix}"),
}

# The same reasons without the file's name or advice on choosing: for a stored file, whose
# kept copy is named by its hash, the message names the setting instead.
_SHORT = {
    "missing": ("الملف غير موجود", "the file is missing"),
    "unreadable": ("تعذّرت قراءته: {reason}", "it cannot be read: {reason}"),
    "too_big": ("حجمه {size} ميغابايت، أكبر من المسموح ({limit} ميغابايت)",
                "it is {size} MB, more than the {limit} MB allowed"),
    "not_image": ("ليس صورة JPEG أو PNG أو GIF أو WEBP أو BMP",
                  "it is not a JPEG, PNG, GIF, WEBP or BMP image"),
    "broken_image": ("الصورة تالفة أو ناقصة، فلا يمكن قراءتها كاملة",
                     "the image is damaged or cut short and cannot be read in full"),
    "too_many_pixels": ("أبعاد الصورة كبيرة جداً ({width}×{height} نقطة)",
                        "the image is too large ({width}×{height} pixels)"),
    "not_docx": ("ليس مستند Word بصيغة docx", "it is not a Word .docx document"),
    "docx_too_big": ("كبير جداً على ترويسة: حجمه بعد فك الضغط يتجاوز {limit} ميغابايت",
                     "too big for a letterhead: unpacked it is more than {limit} MB"),
    "doctype": ("يحوي تعريفات XML (DOCTYPE أو ENTITY) في الجزء {part}، لا يكتبها Word وقد "
                "تكون للإضرار",
                "it holds XML declarations (DOCTYPE or ENTITY) in {part}, which Word never "
                "writes and which may be made to do harm"),
    "external": ("يجلب عند فتحه محتوى من خارجه ({target})، وقد يكون مصنوعاً للإضرار",
                 "it fetches content from outside itself when opened ({target}), which may "
                 "be made to do harm"),
    "bad_xml": ("الملف تالف: الجزء {part} منه ليس XML سليماً",
                "it is damaged: its part {part} is not well-formed XML"),
    "damaged_docx": ("الملف تالف: {what}", "it is damaged: {what_en}"),
}

# What is missing from a damaged .docx, in both languages.
_DAMAGE = {
    "content_types": ("لا يحوي قائمة أنواع أجزائه ([Content_Types].xml)",
                      "it has no [Content_Types].xml"),
    "no_document": ("لا يحوي نص المستند (word/document.xml)",
                    "it has no main document part (word/document.xml)"),
    "not_document": ("جزؤه الرئيسي ليس مستنداً (قد يكون قالباً dotx أو ملفاً بماكرو)",
                     "its main part is not a document (a .dotx template or a macro file?)"),
    "no_body": ("لا يحوي متن المستند", "its document part has no body"),
    "dangling": ("يشير إلى جزء غير موجود فيه ({part})", "it refers to a missing part ({part})"),
}

#: Each stored file the user chose, as the message names it, and where to fix it.
SETTINGS = {
    "letterhead": ("الترويسة المختارة في «الإعدادات»", "The letterhead chosen in Settings",
                   "اختر الترويسة من جديد في «الإعدادات» أو أزِلها، ثم أعد المحاولة.",
                   "Choose the letterhead again in Settings, or remove it, and try again."),
    "logo": ("شعار الوحدة المختار في «الإعدادات»", "The unit's logo chosen in Settings",
             "اختر الشعار من جديد في «الإعدادات» أو أزِله، ثم أعد المحاولة.",
             "Choose the logo again in Settings, or remove it, and try again."),
    "signature": ("صورة التوقيع أو الختم المختارة في «الإعدادات»",
                  "The signature or seal image chosen in Settings",
                  "اخترها من جديد في «الإعدادات» أو أزِلها، ثم أعد المحاولة.",
                  "Choose it again in Settings, or remove it, and try again."),
    "certificate_image": ("صورة في تصميم شهادات النشاط (شعار أو خلفية أو توقيع)",
                          "An image of the activity's certificate design (a logo, the "
                          "background or a signature)",
                          "اختر صور التصميم من جديد في نافذة الشهادات أو أزِلها، ثم أعد "
                          "المحاولة.",
                          "Choose the design's images again in the certificates window, or "
                          "remove them, and try again."),
    "photo": ("الصورة {n} («{name}») من صور النشاط", "Photo {n} ({name}) of the activity",
              "احذفها من صور النشاط في نموذج النشاط وأضفها من جديد، ثم أعد المحاولة.",
              "Remove it from the activity's photos and add it again, then try again."),
}


class FileCheckError(IttisalError):
    """A chosen or stored file cannot be used (missing, damaged, hostile, too big).

    ``reason`` is the (Arabic, English) cause alone, without the file's name or advice,
    for a message that names the setting instead (:func:`stored_error`)."""

    def __init__(self, arabic: str, english: str,
                 reason: tuple[str, str] | None = None) -> None:
        super().__init__(arabic, english)
        self.reason = reason or (arabic, english)


def _error(key: str, **values: object) -> FileCheckError:
    arabic, english = _MSG[key]
    short_ar, short_en = _SHORT.get(key, _MSG[key])
    return FileCheckError(arabic.format(**values), english.format(**values),
                          (short_ar.format(**values), short_en.format(**values)))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def stored_error(setting: str, problem: FileCheckError | None = None, *, path: Path | str = "",
                 **names: object) -> FileCheckError:
    """The error for a stored file that is missing (``problem`` None) or no longer passes
    its check, naming the setting that holds it (a key of :data:`SETTINGS`; ``names``
    fill its blanks, e.g. a photo's number and name)."""
    name_ar, name_en, fix_ar, fix_en = SETTINGS[setting]
    setting_ar, setting_en = name_ar.format(**names), name_en.format(**names)
    if problem is None:
        arabic, english = _MSG["stored_missing"]
        return FileCheckError(arabic.format(setting=setting_ar, path=path, fix=fix_ar),
                              english.format(setting=setting_en, path=path, fix=fix_en))
    arabic, english = _MSG["stored_bad"]
    reason_ar, reason_en = problem.reason
    return FileCheckError(arabic.format(setting=setting_ar, reason=reason_ar, fix=fix_ar),
                          english.format(setting=setting_en, reason=reason_en, fix=fix_en),
                          problem.reason)


# --- images -------------------------------------------------------------------------------

def sniff_image(head: bytes) -> str | None:
    """The MIME type of an image from its first 32 bytes, or None if it is not one we take."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in \
            _BMP_HEADERS:
        return "image/bmp"
    return None


# Images already decoded in full, by (path, size, modification time): an export that puts
# the same logo on every page, or a preview that repaints, decodes it once.
_checked: OrderedDict[tuple[str, int, int], str] = OrderedDict()
_checked_lock = threading.Lock()
_CACHE = 64


def check_image(path: Path | str) -> str:
    """The MIME type of the image at ``path``, decoded in full; raise
    :class:`FileCheckError` if it is missing, unreadable, bigger than
    :data:`MAX_IMAGE_BYTES` or :data:`MAX_PIXELS`, not a JPEG/PNG/GIF/WEBP/BMP image, or
    damaged anywhere (a truncated photo is refused, not just a bad header)."""
    path = Path(path)
    try:
        stat = path.stat()
        if not path.is_file():
            raise _error("missing", name=path.name)
        with path.open("rb") as fh:
            head = fh.read(32)
    except FileNotFoundError as exc:
        raise _error("missing", name=path.name) from exc
    except OSError as exc:
        raise _error("unreadable", name=path.name, reason=exc.strerror or exc) from exc
    if stat.st_size > MAX_IMAGE_BYTES:
        raise _error("too_big", name=path.name, size=_megabytes(stat.st_size),
                     limit=_megabytes(MAX_IMAGE_BYTES))
    sniffed = sniff_image(head)
    if sniffed is None:
        raise _error("not_image", name=path.name)
    key = (str(path.absolute()), stat.st_size, stat.st_mtime_ns)
    with _checked_lock:
        if key in _checked:
            _checked.move_to_end(key)
            return _checked[key]
    mime = _decode(path)
    with _checked_lock:
        _checked[key] = mime
        while len(_checked) > _CACHE:
            _checked.popitem(last=False)
    return mime


def _header_size(path: Path) -> tuple[int | str, int | str]:
    """Width and height as a PNG, GIF or BMP header states them (Pillow refuses to open
    an image of hundreds of millions of pixels, so it cannot say); "?" for other kinds."""
    try:
        with path.open("rb") as fh:
            head = fh.read(32)
    except OSError:
        return "?", "?"
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return int.from_bytes(head[6:8], "little"), int.from_bytes(head[8:10], "little")
    if head[:2] == b"BM" and len(head) >= 26:
        return (abs(int.from_bytes(head[18:22], "little", signed=True)),
                abs(int.from_bytes(head[22:26], "little", signed=True)))
    return "?", "?"


def _decode(path: Path) -> str:
    try:
        with warnings.catch_warnings():
            # The pixel count is bounded below; Pillow's own warning is not for users.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in IMAGE_FORMATS:
                    raise _error("not_image", name=path.name)
                width, height = image.size
                if width <= 0 or height <= 0:
                    raise _error("broken_image", name=path.name)
                if width * height > MAX_PIXELS:
                    raise _error("too_many_pixels", name=path.name, width=width,
                                 height=height, limit=MAX_PIXELS // 1_000_000)
                image.load()  # every pixel: a truncated file fails here, not its header
                return IMAGE_FORMATS[image.format]
    except FileCheckError:
        raise
    except Image.DecompressionBombError as exc:
        width, height = _header_size(path)
        raise _error("too_many_pixels", name=path.name, width=width, height=height,
                     limit=MAX_PIXELS // 1_000_000) from exc
    except FileNotFoundError as exc:
        raise _error("missing", name=path.name) from exc
    except MemoryError as exc:
        raise _error("broken_image", name=path.name) from exc
    except Exception as exc:  # noqa: BLE001 - Pillow's decoders raise many kinds (OSError,
        # SyntaxError, ValueError, struct.error, EOFError…) for a bad file
        raise _error("broken_image", name=path.name) from exc


# --- letterheads --------------------------------------------------------------------------

def _parser() -> etree.XMLParser:
    # A parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False)


def _parse(name: str, part: str, data: bytes) -> etree._Element:
    """The part's root element; no DOCTYPE, no entity, nothing fetched."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _error("doctype", name=name, part=part)
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise _error("bad_xml", name=name, part=part) from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _error("doctype", name=name, part=part)  # in another encoding than UTF-8
    return tree.getroot()


_HYPERLINK = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
              "hyperlink")


def _remote(target: str) -> bool:
    """Whether an external relationship's target is on another machine (a URL, a UNC
    path, file://host/…), rather than a path on this one."""
    text = unquote(target.strip()).replace("\\", "/")
    if text.startswith("//"):
        return True
    scheme, sep, rest = text.partition(":")
    if not sep or len(scheme) == 1:  # a relative path, or a drive letter (C:/…)
        return False
    if scheme.lower() == "file":
        return not rest.startswith("///") and rest.startswith("//")
    return True


def _damaged(name: str, what: str, **values: object) -> FileCheckError:
    arabic, english = _DAMAGE[what]
    return _error("damaged_docx", name=name, what=arabic.format(**values),
                  what_en=english.format(**values))


def _read_parts(path: Path) -> dict[str, bytes]:
    """Every member of the zip, read with a bound on the total unpacked size (the sizes
    the zip declares are not trusted: a member is read until the bound is passed)."""
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise _error("missing", name=name) from exc
    except OSError as exc:
        raise _error("unreadable", name=name, reason=exc.strerror or exc) from exc
    if not path.is_file():
        raise _error("missing", name=name)
    if size > MAX_LETTERHEAD_BYTES:
        raise _error("too_big", name=name, size=_megabytes(size),
                     limit=_megabytes(MAX_LETTERHEAD_BYTES))
    left = MAX_LETTERHEAD_UNPACKED
    parts: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > _MAX_PARTS:
                raise _error("docx_too_big", name=name,
                             limit=_megabytes(MAX_LETTERHEAD_UNPACKED))
            for info in members:
                if info.is_dir():
                    continue
                if info.file_size > left:
                    raise _error("docx_too_big", name=name,
                                 limit=_megabytes(MAX_LETTERHEAD_UNPACKED))
                with archive.open(info) as member:
                    data = member.read(left + 1)
                if len(data) > left:
                    raise _error("docx_too_big", name=name,
                                 limit=_megabytes(MAX_LETTERHEAD_UNPACKED))
                left -= len(data)
                parts[info.filename] = data
    except FileCheckError:
        raise
    except PermissionError as exc:
        raise _error("unreadable", name=name, reason=exc.strerror or exc) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError,
            ValueError, OSError) as exc:
        # Not a zip, a CRC error, an encrypted member, an unknown compression.
        raise _error("not_docx", name=name) from exc
    return parts


def _target(source: str, target: str) -> str:
    """The zip member a relationship of ``source`` (a part name, "" for the package)
    points to."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def check_letterhead(path: Path | str) -> None:
    """Raise :class:`FileCheckError` unless ``path`` is a ``.docx`` that is safe to build
    documents from: a zip of at most :data:`MAX_LETTERHEAD_BYTES` that unpacks to at most
    :data:`MAX_LETTERHEAD_UNPACKED`; every XML part (headers and footers included) well
    formed, without DOCTYPE or entities; content types, the main document part with its
    body, and every part an internal relationship names, present."""
    path = Path(path)
    name = path.name
    parts = _read_parts(path)
    roots: dict[str, etree._Element] = {}
    for part, data in parts.items():
        if part.lower().endswith((".xml", ".rels")):
            roots[part] = _parse(name, part, data)
    if "[Content_Types].xml" not in roots:
        raise _damaged(name, "content_types")
    types = roots["[Content_Types].xml"]
    overrides = {el.get("PartName", "").lstrip("/"): el.get("ContentType", "")
                 for el in types.iter(f"{{{_CT}}}Override")}
    defaults = {el.get("Extension", "").lower(): el.get("ContentType", "")
                for el in types.iter(f"{{{_CT}}}Default")}

    def content_type(part: str) -> str:
        return overrides.get(part) or defaults.get(posixpath.splitext(part)[1][1:].lower(), "")

    def exists(part: str) -> str | None:
        for candidate in (part, unquote(part)):
            if candidate in parts:
                return candidate
        return None

    main = None
    package_rels = roots.get("_rels/.rels")
    if package_rels is not None:
        for rel in package_rels.iter(f"{{{_RELS}}}Relationship"):
            if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
                main = exists(_target("", rel.get("Target", "")))
    if package_rels is None or main is None:
        raise _damaged(name, "no_document")
    if content_type(main) not in _MAIN_TYPES:
        raise _damaged(name, "not_document")
    document = roots.get(main)
    if document is None or document.tag != f"{{{_W}}}document" or \
            document.find(f"{{{_W}}}body") is None:
        raise _damaged(name, "no_body")
    # Every part reachable from the package, as a Word reader (python-docx too) loads them:
    # one missing is a file that cannot be opened.
    seen: set[str] = set()
    todo = [""]  # the package itself
    while todo:
        source = todo.pop()
        rels = roots.get(_rels_name(source) if source else "_rels/.rels")
        if rels is None:
            continue
        for rel in rels.iter(f"{{{_RELS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                # A link the reader clicks is harmless, and so is the local template
                # Word records (file:///C:/…/Normal.dotm); a picture, template, frame or
                # object Word fetches by itself from another machine is a beacon, and a
                # \\server path hands the user's Windows password hash to that server.
                # The documents built on the letterhead would carry it to every recipient.
                if rel.get("Type") != _HYPERLINK and _remote(rel.get("Target", "")):
                    target = rel.get("Target", "")[:80]
                    raise _error("external", name=name, target=target)
                continue
            wanted = _target(source, rel.get("Target", ""))
            found = exists(wanted)
            if found is None:
                raise _damaged(name, "dangling", part=wanted)
            if found not in seen:
                seen.add(found)
                todo.append(found)
