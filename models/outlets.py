"""The directory of media outlets (دليل الوسائل الإعلامية): each outlet's name, medium, level
and web domain.

The directory is what the coverage form offers and what a pasted link is matched against
(:func:`find_by_domain`). Names are told apart by their Arabic search key
(:func:`models.arabic.search_key`), so «قناة الفرات» and «قناه الفرات» are one outlet and
the directory never holds both. An outlet a monitor types for the first time is added in
place when its coverage item is saved (:func:`ensure`, called by
:func:`models.coverage.save_item` in the item's own transaction). Deleting moves an outlet
to the recycle bin's side of the table (``deleted_at``): the coverage that names it keeps
its text.
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

from models import records, store
from models.arabic import fold_input, search_key
from models.db import Database
from models.errors import IttisalError, ValidationError
from models.records import Outlet

__all__ = ["OutletError", "delete", "domain_of", "ensure", "find_by_domain",
           "find_by_name", "get", "list_outlets", "normalise_domain", "save"]

_MSG = {
    "duplicate": ("الوسيلة «{name}» موجودة في الدليل من قبل باسم «{other}».",
                  "The outlet {name!r} is already in the directory as {other!r}."),
    "bad_domain": ("«{value}» ليس نطاقاً؛ اكتبه مثل alsumaria.tv أو الصق رابطاً من الموقع.",
                   "{value!r} is not a domain; write it like alsumaria.tv or paste a link "
                   "from the site."),
    "domain_taken": ("النطاق «{domain}» لوسيلة أخرى في الدليل: «{other}».",
                     "The domain {domain!r} belongs to another outlet: {other!r}."),
}

_DOMAIN = re.compile(r"^[a-z0-9\u0600-\u06ff-]+(\.[a-z0-9\u0600-\u06ff-]+)+$")


class OutletError(ValidationError):
    """An outlet the directory cannot take as it is (its ``field`` names the culprit)."""


def _error(field: str, key: str, **values: object) -> OutletError:
    arabic, english = _MSG[key]
    return OutletError(field, arabic.format(**values), english.format(**values))


def domain_of(link: str) -> str:
    """The host a link points at, lower case and without ``www.`` ('' for no link):
    ``https://www.Alsumaria.tv/news/1`` → ``alsumaria.tv``. A pasted link without a scheme
    (``ina.iq/123``) reads too."""
    text = (link or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host.removeprefix("www.") if "." in host else ""


def normalise_domain(text: str) -> str:
    """A typed domain or pasted link as the directory stores it (``alsumaria.tv``); ''
    for nothing. Raises :class:`OutletError` for text that names no host."""
    raw = fold_input(text or "")
    if not raw:
        return ""
    domain = domain_of(raw)
    if not domain or not _DOMAIN.match(domain):
        raise _error("domain", "bad_domain", value=raw)
    return domain


def list_outlets(db: Database) -> list[Outlet]:
    """The directory, by name (deleted outlets left out)."""
    outlets = store.find(db, Outlet)
    return sorted(outlets, key=lambda o: (search_key(o.name), o.name))


def get(db: Database, outlet_id: str) -> Outlet:
    """One outlet by its id (:class:`~models.errors.NotFoundError` when there is none)."""
    return store.get(db, Outlet, outlet_id)


def find_by_name(db: Database, name: str) -> Outlet | None:
    """The outlet whose name reads as ``name`` (same search key), or None."""
    key = search_key(name or "")
    if not key:
        return None
    # The directory is small (tens to a few hundred names): the key is computed here
    # rather than stored in a column the schema does not have.
    return next((o for o in store.find(db, Outlet) if search_key(o.name) == key), None)


def find_by_domain(db: Database, link: str) -> Outlet | None:
    """The outlet whose domain is a link's (or a domain's) host, or None. Sub-domains
    are told apart (``m.facebook.com`` is not ``facebook.com``)."""
    domain = domain_of(link)
    if not domain:
        return None
    found = store.find(db, Outlet, "domain = ?", (domain,), order_by="created_at, rowid")
    return found[0] if found else None


def save(db: Database, outlet: Outlet) -> Outlet:
    """Store a new outlet or an edited one, after cleaning and checking it: the record's
    own rules, a domain that reads as one (stored without ``www.`` or a path), a name no
    other outlet of the directory has (written alike) and a domain no other outlet has.
    Raises :class:`~models.errors.ValidationError` (Arabic and English)."""
    cleaned = records.validate(outlet)
    cleaned = dataclasses.replace(cleaned, domain=normalise_domain(cleaned.domain))
    with db.atomic():
        same = find_by_name(db, cleaned.name)
        if same is not None and same.id != cleaned.id:
            raise _error("name", "duplicate", name=cleaned.name, other=same.name)
        if cleaned.domain:
            owner = find_by_domain(db, cleaned.domain)
            if owner is not None and owner.id != cleaned.id:
                raise _error("domain", "domain_taken", domain=cleaned.domain,
                             other=owner.name)
        return store.save(db, cleaned)


def delete(db: Database, outlet_id: str) -> None:
    """Take an outlet out of the directory (coverage naming it keeps the name)."""
    store.delete(db, Outlet, outlet_id)


def ensure(db: Database, name: str, medium: str, level: str, link: str = "") -> Outlet | None:
    """The directory's outlet for ``name``, added with ``medium``, ``level`` and the
    domain of ``link`` when no outlet reads as that name; None for an empty name. The
    domain is left empty when another outlet already has it (a shared host such as
    facebook.com is not one outlet's)."""
    clean_name = fold_input(name or "")
    if not clean_name:
        return None
    with db.atomic():
        known = find_by_name(db, clean_name)
        if known is not None:
            return known
        domain = domain_of(link)
        if domain and (not _DOMAIN.match(domain) or find_by_domain(db, domain) is not None):
            domain = ""
        try:
            return save(db, Outlet(name=clean_name, medium=medium, level=level,
                                   domain=domain))
        except IttisalError:
            # A medium or level outside the vocabulary (an older row): the item is saved
            # anyway, and the directory takes the outlet with its defaults.
            return save(db, Outlet(name=clean_name, domain=domain))
