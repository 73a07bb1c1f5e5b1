"""The project's own Word template: python-docx's default, cleared of its leftovers.

python-docx's ``default.docx`` was saved by Word 2010 for Mac in 2013: Word opens a file
made from it in compatibility mode (``compatibilityMode`` 14), its author is
"python-docx", its Explorer preview is a blank thumbnail, its theme knows no Arabic, its
font table lists Japanese fonts, and its ``stylesWithEffects.xml`` (a Word 2010 copy of the
styles) falls out of step as soon as a style is added, which Word's validator reports.

The template is built at run time by :func:`template_document` (nothing hand-made is
committed); :func:`word_clean` applies the same settings to any document, so a unit's own
letterhead ``.docx`` keeps its header, footer, margins and styles and still leaves the app
Word-clean.
"""

from __future__ import annotations

import datetime as dt

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

# Here since the documents' properties name it; its home is models.version, light enough
# for the window's title at start-up.
from models.version import app_version

__all__ = ["APP_NAME", "OUR_FONTS", "app_version", "template_document", "word_clean"]

APP_NAME = "Ittisal"
#: The fonts the app ships (resources/fonts): a font table that names them lets Word
#: substitute sensibly where they are not installed.
OUR_FONTS = ("Amiri", "Noto Sans Arabic UI")

# Word 2013 and later: a file without it opens "[Compatibility Mode]".
COMPATIBILITY_MODE = "15"
_WORD_URI = "http://schemas.microsoft.com/office/word"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

# w:settings children in schema order (ECMA-376 Part 1, §17.15.1.78), from w:compat on:
# a created element goes before the first of these that exists.
_SETTINGS_AFTER_COMPAT = (
    "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
    "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
    "w:listSeparator",
)
_SETTINGS_AFTER_THEMEFONTLANG = _SETTINGS_AFTER_COMPAT[5:]


def template_document() -> Document:
    """A new, empty document from python-docx's default with its leftovers removed (see the
    module docstring); :func:`word_clean` still has to set its properties."""
    doc = docx.Document()
    fonts = _part(doc, RT.FONT_TABLE)
    if fonts is not None:  # the default's Japanese fonts and Mac-only ones: none are ours
        root = etree.fromstring(fonts.blob)
        for font in root.findall(qn("w:font")):
            charset = font.find(qn("w:charset"))
            if charset is not None and charset.get(qn("w:val")) == "80":  # Shift-JIS
                root.remove(font)
        fonts._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids"):  # preview on save; Word 2010's edit ids
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    compat = settings.find(qn("w:compat"))
    if compat is not None:  # East Asian line breaking rules: not an Arabic document's
        for el in compat.findall(qn("w:useFELayout")):
            compat.remove(el)
    return doc


def word_clean(doc: Document, *, title: str, author: str, font: str,
               bidi_lang: str = "ar-IQ", now: dt.datetime | None = None) -> Document:
    """Make ``doc`` (the template's or a unit's letterhead) a current, Arabic Word document.

    Word 2013 compatibility mode; no thumbnail and no ``stylesWithEffects`` part; theme
    languages and the theme's Arabic script fonts set (``bidi_lang``, ``font``); ``font``
    and :data:`OUR_FONTS` in the font table; core properties (``title``, ``author``,
    created = modified = ``now``, the app's version) and the app properties naming the app.
    Returns ``doc``.
    """
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0, tzinfo=None)
    _drop_part(doc.part.package.rels, RT.THUMBNAIL)
    # Word 2010 reads stylesWithEffects instead of styles.xml when both exist; later Word
    # rebuilds it. A stale copy is worse than none, so it goes.
    _drop_part(doc.part.rels, _STYLES_WITH_EFFECTS)
    _settings(doc, bidi_lang)
    _theme(doc, font)
    _font_table(doc, (font, *OUR_FONTS))
    _core_properties(doc, title=title, author=author, now=now)
    _app_properties(doc)
    return doc


# --- parts --------------------------------------------------------------------------------

def _part(doc: Document, reltype: str):
    for rel in doc.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def _drop_part(rels, reltype: str) -> None:
    """Remove the relationships of ``reltype``: python-docx saves only parts it can reach,
    so the part and its content type go too."""
    for rid in [rid for rid, rel in rels.items() if rel.reltype == reltype]:
        rels.pop(rid)


def _settings(doc: Document, bidi_lang: str) -> None:
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        settings.insert_element_before(compat, *_SETTINGS_AFTER_COMPAT)
    mode = None
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            mode = setting
    if mode is None:
        mode = OxmlElement("w:compatSetting")
        mode.set(qn("w:name"), "compatibilityMode")
        mode.set(qn("w:uri"), _WORD_URI)
        first = compat.find(qn("w:compatSetting"))
        if first is None:
            compat.append(mode)  # compatSetting elements come last in w:compat
        else:
            first.addprevious(mode)
    mode.set(qn("w:val"), COMPATIBILITY_MODE)

    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.insert_element_before(lang, *_SETTINGS_AFTER_THEMEFONTLANG)
    if lang.get(qn("w:eastAsia"), "").startswith("ja"):
        del lang.attrib[qn("w:eastAsia")]
    if lang.get(qn("w:val")) is None:
        lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:bidi"), bidi_lang)


def _theme(doc: Document, font: str) -> None:
    theme = _part(doc, RT.THEME)
    if theme is None:
        return
    root = etree.fromstring(theme.blob)
    for group in root.iter(f"{{{_A}}}majorFont", f"{{{_A}}}minorFont"):
        arab = [f for f in group.findall(f"{{{_A}}}font") if f.get("script") == "Arab"]
        if arab:
            arab[0].set("typeface", font)
        else:
            el = etree.SubElement(group, f"{{{_A}}}font")
            el.set("script", "Arab")
            el.set("typeface", font)
            extra = group.find(f"{{{_A}}}extLst")  # a:font entries come before extLst
            if extra is not None:
                extra.addprevious(el)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                 standalone=True)


def _font_table(doc: Document, names) -> None:
    part = _part(doc, RT.FONT_TABLE)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name in dict.fromkeys(names):
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        # In schema order (charset, family, pitch); B2 is the Arabic character set.
        for tag, value in (("w:charset", "B2"), ("w:family", "auto"), ("w:pitch", "variable")):
            child = etree.SubElement(font, qn(tag))
            child.set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core_properties(doc: Document, *, title: str, author: str, now: dt.datetime) -> None:
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = props.modified = now
    for printed in props._element.findall(qn("cp:lastPrinted")):  # the letterhead's
        props._element.remove(printed)
    props.revision = 1
    props.version = f"{APP_NAME} {app_version()}"
    if "python-docx" in (props.comments or ""):
        props.comments = ""
    for name in ("subject", "keywords", "category"):  # a letterhead's are its own document's
        if getattr(props, name):
            setattr(props, name, "")


def _app_properties(doc: Document) -> None:
    parts = [rel.target_part for rel in doc.part.package.rels.values()
             if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external]
    if not parts:
        return
    part = parts[0]
    root = etree.fromstring(part.blob)
    app = root.find(f"{{{_EP}}}Application")
    if app is None:
        app = etree.SubElement(root, f"{{{_EP}}}Application")
    app.text = f"{APP_NAME} {app_version()}"
    # AppVersion says which Word wrote the file (14.0000 is Word 2010): Word did not.
    for tag in ("AppVersion", "Template", "TotalTime", "Pages", "Words", "Characters",
                "Lines", "Paragraphs", "CharactersWithSpaces"):
        for el in root.findall(f"{{{_EP}}}{tag}"):
            root.remove(el)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
