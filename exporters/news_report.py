"""The news report (تقرير خبري) of one activity, as a Word document.

Headline (bold, centred), dateline, lead and body (justified), the recommendations as a
numbered list, the activity's photos with their captions, and the closing mark "انتهى".

Photos are sized by their shape, not just the text width: none is taller than a third of
the page (:data:`PHOTO_HEIGHT_SHARE`), so a portrait photo never fills a page alone; its
caption is kept on its page (``keepNext`` on the picture, ``keepLines`` on both); and two
small photos that follow each other (portrait ones, or ones narrower than half the text)
stand side by side in a borderless right-to-left table, each with its caption under it.

The text is the edited one kept with the activity when there is one, else a draft
(:mod:`models.news`). Built only through :mod:`exporters.rtl`. The file's core
properties (title and subject) describe it as a covering letter lists it
(:func:`description`).

The recommendations are numbered in the text itself ("١. ", in the unit's digits), not by
Word list numbering: the numbers then stand to the right of their items in Word and in
LibreOffice alike, in the digits the unit chose, whatever either program's numbering and
digit options do.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.image.image import Image
from docx.shared import Emu, Pt

from exporters import rtl
from exporters.attendance_sheet import save_atomically
from models import activity_bundle, attachments, attendance, store, wording
from models.db import Database
from models.news import NewsText, news_for, photo_caption
from models.records import Unit

__all__ = ["NewsReportOptions", "build_news_report", "description", "write_news_report"]

#: What a covering letter lists this report as (also the file's core "title").
DESCRIPTION = "التقرير الخبري عن {title}"  # the title in «» (models.wording.quote)


@dataclass
class NewsReportOptions:
    """``document`` overrides the look (font, digits, letterhead), which otherwise comes
    from the unit's settings; ``photos`` puts the activity's photos in the report."""

    document: rtl.DocumentOptions | None = None
    photos: bool = True


def _space_after(par, points: float) -> None:
    par.paragraph_format.space_after = Pt(points)


#: The tallest a photo may be, as a share of the page's height.
PHOTO_HEIGHT_SHARE = 1 / 3
#: The gap between two photos side by side, in EMU (0.5 cm).
_PAIR_GAP = Emu(180000)


@dataclass
class _Photo:
    source: str | io.BytesIO   # what python-docx places (the file or a PNG copy)
    width: int                 # natural size in EMU, at the image's own dpi
    height: int
    caption: str


def _load_photo(path: Path, caption: str) -> _Photo:
    source = rtl.word_image(path)
    image = Image.from_file(source) if isinstance(source, str) else Image.from_blob(
        source.getvalue())
    emu = 914400
    width = int(image.px_width / max(image.horz_dpi or 72, 1) * emu)
    height = int(image.px_height / max(image.vert_dpi or 72, 1) * emu)
    return _Photo(source, max(width, 1), max(height, 1), caption)


def _fit(photo: _Photo, max_width: int, max_height: int) -> tuple[int, int]:
    """The photo's size within the box, keeping its shape and never enlarging it."""
    scale = min(1.0, max_width / photo.width, max_height / photo.height)
    return int(photo.width * scale), int(photo.height * scale)


def _is_small(photo: _Photo, text_width: int) -> bool:
    """Whether the photo can share a line with another: portrait, or narrower than half
    the text width as it would be printed."""
    return photo.height > photo.width or photo.width <= text_width // 2


def _place(container, photo: _Photo, size: tuple[int, int], par=None) -> None:
    """The picture, centred, in ``par`` (default: a new paragraph of ``container``), and
    its caption under it, kept together on one page."""
    par = par if par is not None else container.add_paragraph()
    par.alignment = rtl.CENTER
    par.paragraph_format.keep_with_next = True
    par.paragraph_format.keep_together = True
    # python-docx reads a BytesIO to its end: hand each placement a fresh copy.
    source = photo.source if isinstance(photo.source, str) else io.BytesIO(
        photo.source.getvalue())
    par.add_run().add_picture(source, width=Emu(size[0]), height=Emu(size[1]))
    caption = rtl.paragraph(container, photo.caption, style="Caption", align=rtl.CENTER)
    caption.paragraph_format.keep_together = True
    _space_after(caption, 10)


def _pair(doc: Document, photos: tuple[_Photo, _Photo], text_width: int,
          max_height: int) -> None:
    """Two photos side by side: a borderless RTL table of two cells, the first photo in
    the right cell."""
    table = rtl.rtl_table(doc, ["", ""], [], widths=(1.0, 1.0), repeat_header=False)
    rtl._borders(table._tbl, "nil")
    cell_width = (text_width - _PAIR_GAP) // 2
    for cell, photo in zip(table.rows[0].cells, photos, strict=True):
        _place(cell, photo, _fit(photo, cell_width, max_height), par=cell.paragraphs[0])


def _add_photos(doc: Document, photos: list[_Photo]) -> None:
    """Lay the photos out in order: each no wider than the text and no taller than a third
    of the page; two small ones in a row side by side."""
    section = doc.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    # A third of the page, but leave room for the caption on a short text area.
    max_height = int(min(section.page_height * PHOTO_HEIGHT_SHARE, text_height * 0.8))
    i = 0
    while i < len(photos):
        photo = photos[i]
        following = photos[i + 1] if i + 1 < len(photos) else None
        if following is not None and _is_small(photo, text_width) and \
                _is_small(following, text_width):
            _pair(doc, (photo, following), text_width, max_height)
            i += 2
            continue
        _place(doc, photo, _fit(photo, text_width, max_height))
        i += 1


def build_news_report(db: Database, activity_id: str,
                      options: NewsReportOptions | None = None) -> tuple[Document, NewsText]:
    """The news report as a python-docx document (not yet saved), with the text it holds."""
    options = options or NewsReportOptions()
    unit = store.get(db, Unit, db.local_unit_id)
    doc_options = options.document or rtl.DocumentOptions.from_unit(unit, db)
    bundle = activity_bundle.load(db, activity_id)
    listed = attendance.count(db, activity_id)
    news = news_for(bundle, unit, doc_options.date_style, attendees=listed or None)

    doc = rtl.new_document(doc_options)
    _space_after(rtl.paragraph(doc, news.headline, bold=True, size=doc_options.size + 4,
                               align=rtl.CENTER), 12)
    if news.dateline:
        rtl.paragraph(doc, news.dateline, bold=True)
    for text in (news.lead, *news.body):
        if text:
            _space_after(rtl.paragraph(doc, text, align=rtl.JUSTIFY), 8)
    if news.recommendations:
        if news.recommendations_intro:
            rtl.paragraph(doc, news.recommendations_intro, bold=True)
        for line in news.numbered(doc_options.digits):
            rtl.paragraph(doc, line)
    if options.photos:
        # Each photo is checked again: one damaged since it was added (or gone) stops the
        # export with a message naming it, rather than a report without it.
        placed = [_load_photo(attachments.photo_file(db, photo, number),
                              photo.caption or photo_caption(bundle.activity))
                  for number, photo in enumerate(bundle.photos, start=1)]
        _add_photos(doc, placed)
    if news.closing:
        rtl.paragraph(doc, news.closing, bold=True)
    rtl.page_number_footer(doc.sections[-1], doc_options.digits)
    # A covering letter lists the report by this description, read back from the file
    # (the activity's title, as the app's letter flow names it, whatever the headline).
    described = description(bundle.activity.title)
    doc.core_properties.title = rtl.xml_safe(described)
    doc.core_properties.subject = rtl.xml_safe(described)
    return doc, news


def description(title: str) -> str:
    """How a letter lists the news report of the activity titled ``title``."""
    title = wording.tidy_quotes(" ".join(title.split()).rstrip("."))
    # A title quoting its own name ("ورشة عمل بعنوان «…»") is named as it is.
    return DESCRIPTION.format(title=title if wording.has_quotes(title) else wording.quote(title))


def write_news_report(db: Database, activity_id: str, path: str | os.PathLike,
                      options: NewsReportOptions | None = None) -> Path:
    """Write the activity's news report to ``path`` (a .docx), atomically; return the path."""
    doc, _ = build_news_report(db, activity_id, options)
    return save_atomically(doc, Path(path))
