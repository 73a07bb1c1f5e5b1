"""An activity together with its recommendations and photos, as the activity form edits it.

:func:`save` writes the three in one transaction (the activity, then its recommendations
and photos in their order; those taken out of the form go to the recycle bin), so the
form's Save either lands whole or not at all. :func:`to_payload` and :func:`from_payload`
turn a bundle into plain JSON for drafts. Photo files are copied into the data folder
when they are added (:func:`models.attachments.store_image`); the bundle holds only their
records.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from models import attachments, attendance, store
from models.db import Database
from models.errors import ValidationError
from models.records import Activity, Attachment, Recommendation, clean, new_id, problems

OWNER_TYPE = "activity"
COPY_SUFFIX = " (نسخة)"


@dataclass
class ActivityBundle:
    """What the activity form shows and saves."""

    activity: Activity
    recommendations: list[Recommendation] = field(default_factory=list)
    photos: list[Attachment] = field(default_factory=list)


@dataclass
class BundleProblems:
    """Every broken rule of a bundle: the activity's, and each recommendation's and photo's
    by its index in the bundle."""

    activity: list[ValidationError] = field(default_factory=list)
    recommendations: dict[int, list[ValidationError]] = field(default_factory=dict)
    photos: dict[int, list[ValidationError]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.activity or self.recommendations or self.photos)

    def first(self) -> ValidationError | None:
        """The first problem, in form order."""
        for group in (self.activity, *self.recommendations.values(), *self.photos.values()):
            if group:
                return group[0]
        return None


def load(db: Database, activity_id: str) -> ActivityBundle:
    """The activity with its recommendations and photos in their order."""
    activity = store.get(db, Activity, activity_id)
    recs = store.find(db, Recommendation, "activity_id = ?", (activity_id,),
                      order_by="position, rowid")
    return ActivityBundle(activity, recs, attachments.for_owner(db, OWNER_TYPE, activity_id))


def copy_title(title: str) -> str:
    """The title of a copy: the original's with " (نسخة)", within the title's limit."""
    limit = next(f.metadata["limit"] for f in dataclasses.fields(Activity) if f.name == "title")
    return title[:limit - len(COPY_SUFFIX)] + COPY_SUFFIX


def duplicate(db: Database, activity_id: str) -> ActivityBundle:
    """A new, unsaved draft activity like an existing one: same fields and recommendations,
    no attendees or photos. Its news text is left out (it told of the other activity); the
    participants count is kept only when it was typed, not counted from a list."""
    source = load(db, activity_id)
    counted = attendance.count(db, activity_id) > 0
    activity = dataclasses.replace(
        source.activity, id=new_id(), created_at="", updated_at="", unit_id="",
        deleted_at=None, title=copy_title(source.activity.title), status="draft",
        news_text="", participants_count=None if counted else source.activity.participants_count)
    recs = [Recommendation(text=r.text, addressed_to=r.addressed_to, due_date=r.due_date,
                           position=r.position) for r in source.recommendations]
    return ActivityBundle(activity, recs, [])


def clean_bundle(bundle: ActivityBundle) -> ActivityBundle:
    """The bundle with every record cleaned (:func:`models.records.clean`)."""
    return ActivityBundle(clean(bundle.activity), [clean(r) for r in bundle.recommendations],
                          [clean(p) for p in bundle.photos])


def check(bundle: ActivityBundle) -> BundleProblems:
    """Every rule the (cleaned) bundle breaks."""
    found = BundleProblems(activity=problems(bundle.activity))
    for i, rec in enumerate(bundle.recommendations):
        if errors := problems(rec):
            found.recommendations[i] = errors
    for i, photo in enumerate(bundle.photos):
        if errors := problems(photo):
            found.photos[i] = errors
    return found


def save(db: Database, bundle: ActivityBundle) -> ActivityBundle:
    """Write the activity, its recommendations and its photos in one transaction and return
    them as stored. A broken rule raises its :class:`ValidationError` and changes nothing."""
    bundle = clean_bundle(bundle)
    if (first := check(bundle).first()) is not None:
        raise first
    with db.atomic():
        activity = bundle.activity
        listed = attendance.count(db, activity.id)
        if listed:  # the list is the truth; a typed count is only for activities without one
            activity = dataclasses.replace(activity, participants_count=listed)
        activity = store.save(db, activity)
        kept = {r.id for r in bundle.recommendations}
        for old in store.find(db, Recommendation, "activity_id = ?", (activity.id,)):
            if old.id not in kept:
                store.delete(db, Recommendation, old.id)
        for position, rec in enumerate(bundle.recommendations, start=1):
            store.save(db, dataclasses.replace(rec, activity_id=activity.id, position=position))
        kept = {p.id for p in bundle.photos}
        for old in attachments.for_owner(db, OWNER_TYPE, activity.id):
            if old.id not in kept:
                store.delete(db, Attachment, old.id)
        for position, photo in enumerate(bundle.photos, start=1):
            store.save(db, dataclasses.replace(photo, owner_type=OWNER_TYPE,
                                               owner_id=activity.id, position=position))
    return load(db, activity.id)


def sync_participants_count(db: Database, activity_id: str) -> int:
    """Make the stored participants count follow the attendance list after it changed;
    return the list's length.

    While the list has people the count mirrors it; when the last one is taken off, the
    mirrored number means nothing any more and is cleared (a typed count is for
    activities that never had a list).
    """
    listed = attendance.count(db, activity_id)
    with db.atomic():
        activity = store.get(db, Activity, activity_id)
        wanted = listed or None
        if activity.participants_count != wanted:
            store.update(db, dataclasses.replace(activity, participants_count=wanted))
    return listed


# --- drafts ------------------------------------------------------------------------------

def _as_dict(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def _from_dict(record_type: type, values: dict[str, Any]) -> Any:
    names = {f.name for f in dataclasses.fields(record_type)}
    return record_type(**{k: v for k, v in values.items() if k in names})


def to_payload(bundle: ActivityBundle) -> dict[str, Any]:
    """The bundle as plain JSON-able data (for drafts, and to tell whether a form changed)."""
    return {"activity": _as_dict(bundle.activity),
            "recommendations": [_as_dict(r) for r in bundle.recommendations],
            "photos": [_as_dict(p) for p in bundle.photos]}


def from_payload(payload: dict[str, Any]) -> ActivityBundle:
    """A bundle back from :func:`to_payload`'s data (unknown keys are ignored)."""
    return ActivityBundle(_from_dict(Activity, payload.get("activity", {})),
                          [_from_dict(Recommendation, r) for r in payload.get(
                              "recommendations", [])],
                          [_from_dict(Attachment, p) for p in payload.get("photos", [])])
