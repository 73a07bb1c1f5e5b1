"""The news report (تقرير خبري) of one activity, as a Word document.

Headline (bold, centred), dateline, lead and body (justified), the recommendations as a
numbered list, the activity's photos scaled to the text width with their captions, and the
closing mark "انتهى". The text is the edited one kept with the activity when there is one,
else a draft (:mod:`models.news`). Built only through :mod:`exporters.rtl`.

The recommendations are numbered in the text itself ("١. ", in the unit's digits), not by
Word list numbering: the numbers then stand to the right of their items in Word and in
LibreOffice alike, in the digits the unit chose, whatever either program's numbering and
digit options do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.shared import Pt

from exporters import rtl
from exporters.attendance_sheet import save_atomically
from models import activity_bundle, attachments, attendance, store
from models.db import Database
from models.news import NewsText, news_for, photo_caption
from models.records import Unit

__all__ = ["NewsReportOptions", "build_news_report", "write_news_report"]


@dataclass
class NewsReportOptions:
    """``document`` overrides the look (font, digits, letterhead), which otherwise comes
    from the unit's settings; ``photos`` puts the activity's photos in the report."""

    document: rtl.DocumentOptions | None = None
    photos: bool = True


def _space_after(par, points: float) -> None:
    par.paragraph_format.space_after = Pt(points)


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
        for number, photo in enumerate(bundle.photos, start=1):
            path = attachments.photo_file(db, photo, number)
            rtl.picture(doc, path, photo.caption or photo_caption(bundle.activity))
    if news.closing:
        rtl.paragraph(doc, news.closing, bold=True)
    rtl.page_number_footer(doc.sections[-1], doc_options.digits)
    return doc, news


def write_news_report(db: Database, activity_id: str, path: str | os.PathLike,
                      options: NewsReportOptions | None = None) -> Path:
    """Write the activity's news report to ``path`` (a .docx), atomically; return the path."""
    doc, _ = build_news_report(db, activity_id, options)
    return save_atomically(doc, Path(path))
