"""Everything one printed certificate shows, ready for a renderer (DOCX, PDF, printer,
preview): :class:`CertificatePage`.

:func:`prepare` issues (or reprints) the certificates of the chosen attendees in one
transaction — serials and signatures from :mod:`models.certificates` — and returns one
page each. :func:`preview` builds a page without issuing anything, for the live preview.
Renderers get final text only: digits, dates and gender are settled here, so every output
says the same words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import attachments, certificates, store
from models.attendance import attendees
from models.certificate_register import issued_on
from models.certificate_style import (
    CertificateStyle,
    Wordings,
    gender_of,
    load_style,
    logos_for,
    signatories_for,
)
from models.dates import DateStyle
from models.db import Database
from models.errors import IttisalError, NotFoundError
from models.records import Activity, Certificate, Person, Unit
from models.wording import WORD_JOINER, period_phrase

__all__ = [
    "CertificatePage",
    "IssueState",
    "Signer",
    "activity_for_certificates",
    "attended",
    "date_style",
    "prepare",
    "preview",
    "snapshot",
    "withdraw",
]

MSG = {
    "none": ("لم يُختر أحد لإصدار شهادته.", "Nobody was chosen to get a certificate."),
    "nobody_attended": ("لم يُسجَّل حضور أحد في هذا النشاط بعد: سجّل أيام الحضور في قائمة "
                        "المشاركين، أو اختر المشاركين بأسمائهم.",
                        "Nobody's attendance is recorded for this activity yet: record the "
                        "days attended, or choose the attendees by name."),
    "activity_in_bin": ("النشاط «{title}» في سلة المحذوفات؛ استعده منها أولاً.",
                        "The activity {title!r} is in the recycle bin; restore it first."),
    "in_bin": ("«{name}» في سلة المحذوفات؛ استعده منها أولاً.",
               "{name} is in the recycle bin; restore them first."),
    "not_on_list": ("«{name}» ليس في قائمة حضور هذا النشاط.",
                    "{name} is not on this activity's attendance list."),
}

PREVIEW_SERIAL_NUMBER = "0000"
# A stand-in signature for the preview: the right length, and it reads as a sample.
PREVIEW_SIGNATURE = ("PREVIEW" * 15)[:103]


@dataclass(frozen=True)
class Signer:
    """A signatory as printed: name, title, and the signature image if one was given and
    the file is there."""

    name: str
    title: str
    image: Path | None = None


@dataclass(frozen=True)
class CertificatePage:
    """One certificate, every word final."""

    design: str
    font: str
    title: str                      # "شهادة مشاركة"
    issuer: tuple[str, ...]         # state, ministry, directorate, unit: the lines set
    lead: str                       # the sentence before the name
    name: str                       # the holder's name, digits as the unit writes them
    body: str                       # the sentence after the name
    date_line: str                  # "تحريراً في ٢٣ تشرين الثاني ٢٠٢٦"
    signers: tuple[Signer, ...]
    logos: tuple[Path, ...]
    background: Path | None
    serial: str                     # "KRB-2026-0001", Latin digits (it is typed and verified)
    code: str                       # the short code printed under the QR
    qr: str                         # the one line the QR carries
    gender: str                     # "m" or "f"
    person_id: str = ""
    # "" for a preview; a dry run's new certificates get ids that are never stored, so
    # pages compare equal without it.
    certificate_id: str = field(default="", compare=False)


def date_style(unit: Unit | None) -> DateStyle:
    """How the unit writes dates and digits."""
    if unit is None:
        return DateStyle()
    return DateStyle(months=unit.months or "iraqi", digits=unit.digits or "arabic",
                     hijri=bool(unit.hijri))


def _unit(db: Database) -> Unit | None:
    try:
        return store.get(db, Unit, db.local_unit_id)
    except NotFoundError:
        return None


def _file(db: Database, stored: str, setting: str = "certificate_image") -> Path | None:
    """A design's image (None when none is set), found relative to the database's folder
    and checked again: a missing or damaged one raises an error naming the design's
    images, rather than a certificate printed without its logo or signature."""
    return attachments.stored(db, stored, setting)


def _issuer(unit: Unit | None) -> tuple[str, ...]:
    """The lines a certificate opens with: the state (a unit setting, none when empty),
    the ministry, the directorate, the unit."""
    if unit is None:
        return ()
    return tuple(x for x in (unit.state, unit.ministry, unit.directorate, unit.name) if x)


def attended(db: Database, activity_id: str) -> list[Person]:
    """The persons on the activity's list who attended at least one day (the default
    choice for certificates), in list order; persons in the recycle bin are left out."""
    return [a.person for a in attendees(db, activity_id)
            if a.days and a.person.deleted_at is None]


class _Shared:
    """What every page of one activity shares, worked out once."""

    def __init__(self, db: Database, activity: Activity, style: CertificateStyle) -> None:
        self.activity = activity
        self.style = style
        self.unit = _unit(db)
        self.dates = date_style(self.unit)
        self.issuer = _issuer(self.unit)
        signatories, by_default = signatories_for(style.signatories, self.unit)
        # The head's image is the unit's signature setting, and is named so if it breaks.
        setting = "signature" if by_default else "certificate_image"
        self.signers = tuple(Signer(s.name, s.title, _file(db, s.signature, setting))
                             for s in signatories)
        logos, unit_logo = logos_for(style.logos, self.unit)
        self.logos = tuple(p for p in (_file(db, x, "logo" if unit_logo else "certificate_image")
                                       for x in logos) if p)
        self.background = _file(db, style.background)
        self._wordings = Wordings(style, activity, self.unit, self.dates)
        self._date_lines: dict[str, str] = {}

    def inputs(self) -> tuple[Any, ...]:
        """Everything a page takes from here (equal inputs make equal pages)."""
        # The style is the caller's and may change in place: its values are kept.
        return (self.activity, dataclasses.astuple(self.style), self.unit, self.dates,
                self.issuer, self.signers, self.logos, self.background)

    def page(self, person: Person, *, serial: str, code: str, qr: str, issued: str,
             certificate_id: str = "") -> CertificatePage:
        words = self._wordings(person)
        date_line = self._date_lines.get(issued)
        if date_line is None:
            # The one wording of a date (models.wording), held together.
            date_line = self._date_lines[issued] = _unjoined(
                f"تحريراً في {period_phrase(issued, issued, self.dates)}")
        return CertificatePage(
            design=self.style.design, font=self.style.font, title=self.style.title,
            issuer=self.issuer, lead=_unjoined(words.lead), name=words.name,
            body=_unjoined(words.body), date_line=date_line,
            signers=self.signers, logos=self.logos, background=self.background,
            serial=serial, code=code, qr=qr, gender=gender_of(person),
            person_id=person.id, certificate_id=certificate_id)


def _unjoined(text: str) -> str:
    """``text`` without word joiners: the page plan breaks a certificate's lines itself,
    at spaces only (a date's no-break spaces stay), and a zero-width format character has
    no glyph in the fonts a PDF embeds."""
    return text.replace(WORD_JOINER, "")


def activity_for_certificates(db: Database, activity_id: str) -> Activity:
    """The activity, or why it cannot have certificates now (it is in the bin)."""
    activity = store.get(db, Activity, activity_id, include_deleted=True)
    if activity.deleted_at:
        arabic, english = MSG["activity_in_bin"]
        raise IttisalError(arabic.format(title=activity.title),
                           english.format(title=activity.title))
    return activity


def _refuse(db: Database, person_id: str) -> Person:
    """Raise why this person cannot get a certificate of the activity."""
    try:
        person = store.get(db, Person, person_id, include_deleted=True)
    except NotFoundError:
        person = None
    key = "in_bin" if person is not None and person.deleted_at else "not_on_list"
    name = person.full_name if person is not None else person_id
    arabic, english = MSG[key]
    raise IttisalError(arabic.format(name=name), english.format(name=name))


def prepare(db: Database, activity_id: str, person_ids: Sequence[str] | None = None,
            style: CertificateStyle | None = None, *,
            progress: Callable[[int, int], None] | None = None,
            dry_run: bool = False) -> list[CertificatePage]:
    """Issue (first time) or reprint (again) the certificates of ``person_ids`` — default:
    everyone who attended — and return their pages in that order.

    All are issued in one transaction (:func:`models.certificates.issue_many`, which
    holds the write lock only to write): an error (say a person not on the list) issues
    none. With ``dry_run`` nothing is kept: the pages are those a real run would make
    now (Ed25519 signatures are deterministic), so a document can be drawn before anything
    is issued, and the real run that follows, if nothing changed meanwhile, stores the
    certificates worked out then. ``style`` defaults to the activity's
    (:func:`load_style`). ``progress(done, total)`` is called as pages are made.
    """
    activity = activity_for_certificates(db, activity_id)
    listed = {a.person.id: a.person for a in attendees(db, activity.id)
              if a.person.deleted_at is None}
    if person_ids is None:
        persons = attended(db, activity.id)
    else:
        persons = [listed.get(pid) or _refuse(db, pid) for pid in person_ids]
    persons = list({p.id: p for p in persons}.values())  # each once, in order
    if not persons:
        raise IttisalError(*MSG["none" if person_ids is not None else "nobody_attended"])
    shared = _Shared(db, activity, style or load_style(db, activity.id))
    ids = [p.id for p in persons]
    # Worked out and made into pages without writing (a cancel from ``progress`` leaves
    # nothing issued), then written in one short transaction.
    planned = certificates.issue_many(db, activity.id, ids, dry_run=True)
    key = (shared.inputs(), tuple(persons), tuple(_face(c) for c in planned))
    made = _MADE.get(db)
    if made is not None and made[0] == key:
        pages = list(made[1])  # the same pages a moment ago (the draft's, drawn first)
        if progress is not None:
            progress(len(pages), len(pages))
    else:
        pages = _pages(shared, persons, planned, progress)
        _MADE[db] = (key, tuple(pages))
    if dry_run:
        return pages
    issued = certificates.issue_many(db, activity.id, ids)
    if [_face(c) for c in issued] != [_face(c) for c in planned]:
        pages = _pages(shared, persons, issued, None)  # another program issued meanwhile
    return pages


# The pages :func:`prepare` made last, per database, with what they were made from: the
# dry run that draws a document and the issue that follows make the same pages.
_MADE: weakref.WeakKeyDictionary[Database, tuple[Any, tuple[CertificatePage, ...]]] = (
    weakref.WeakKeyDictionary())


def _face(cert: Certificate) -> tuple[str, ...]:
    """What a certificate's page is made from."""
    return (cert.id, cert.serial, cert.code, cert.holder_name, cert.signature, cert.issued_at)


def _pages(shared: _Shared, persons: Sequence[Person], issued: Sequence[Certificate],
           progress: Callable[[int, int], None] | None) -> list[CertificatePage]:
    pages = []
    total = len(persons)
    for done, (person, cert) in enumerate(zip(persons, issued, strict=True), 1):
        # The page says exactly what the signature covers.
        holder = dataclasses.replace(person, full_name=cert.holder_name)
        pages.append(shared.page(holder, serial=cert.serial, code=cert.code,
                                 qr=certificates.qr_payload(cert),
                                 issued=issued_on(cert.issued_at) or "",
                                 certificate_id=cert.id))
        if progress is not None:
            progress(done, total)
    return pages


@dataclass(frozen=True)
class IssueState:
    """What an issue changes, as stored at one moment (:func:`snapshot`)."""

    certificates: dict[str, dict[str, Any]]   # the activity's certificates, by id
    serials: dict[tuple[str, int], int]       # each unit and year's last serial number


def snapshot(db: Database, activity_id: str) -> IssueState:
    """The activity's certificates and the serial counters as stored now: taken in the
    transaction that issues, before and after, so that :func:`withdraw` can undo it."""
    return IssueState(
        {row["id"]: row for row in db.rows(
            "SELECT * FROM certificates WHERE activity_id = ?", (activity_id,))},
        {(unit, year): last for unit, year, last in db.execute(
            "SELECT unit_id, year, last FROM certificate_serials")})


def withdraw(db: Database, before: IssueState, after: IssueState) -> None:
    """Undo a committed issue whose file could not be put in place, given the
    :func:`snapshot` taken just before and just after it (in its transaction):
    certificates new in it are deleted, reprinted ones get back their earlier state and
    lose the revisions it added, and the serial numbers it took are free again. Whatever
    another program changed since (a certificate, a later serial) is left as it is: a
    number never goes to two holders."""
    with db.atomic():
        for cert_id, issued in after.certificates.items():
            old = before.certificates.get(cert_id)
            if issued == old:
                continue
            now = db.rows("SELECT * FROM certificates WHERE id = ?", (cert_id,))
            if not now or now[0] != issued:
                continue
            if old is None:
                db.execute("DELETE FROM certificates WHERE id = ?", (cert_id,))
                continue
            columns = [c for c in old if c != "id"]
            db.execute(f"UPDATE certificates SET {', '.join(f'{c} = ?' for c in columns)} "
                       "WHERE id = ?", [old[c] for c in columns] + [cert_id])
            db.execute("DELETE FROM certificate_revisions WHERE certificate_id = ? "
                       "AND revision >= ?", (cert_id, old["revision"]))
        for (unit, year), last in after.serials.items():
            if before.serials.get((unit, year)) == last:
                continue
            # Only while no later serial was taken: then none of ours went anywhere.
            db.execute("UPDATE certificate_serials SET last = ? WHERE unit_id = ? AND "
                       "year = ? AND last = ?",
                       (before.serials.get((unit, year), 0), unit, year, last))


def preview(db: Database, activity_id: str, person: Person | None = None,
            style: CertificateStyle | None = None) -> CertificatePage:
    """A page for the live preview: a real attendee (the first who attended, unless
    ``person`` is given), their serial if they already have one, nothing issued."""
    activity = store.get(db, Activity, activity_id)
    if person is None:
        people = attended(db, activity.id) or [a.person for a in attendees(db, activity.id)]
        person = people[0] if people else Person(full_name="محمد عبد الله حسن علي")
    existing = certificates.find(db, person.id, activity.id) if person.id else None
    shared = _Shared(db, activity, style or load_style(db, activity.id))
    today = dt.date.today()
    if existing is not None and existing.signature:
        serial, signature = existing.serial, existing.signature
        person = dataclasses.replace(person, full_name=existing.holder_name)
    else:
        serial = f"{certificates.serial_prefix(db)}-{today.year}-{PREVIEW_SERIAL_NUMBER}"
        signature = PREVIEW_SIGNATURE
    qr = certificates.SEPARATOR.join((serial, person.full_name, signature))
    return shared.page(person, serial=serial, code=signature[:certificates.CODE_LENGTH],
                       qr=qr, issued=today.isoformat())

