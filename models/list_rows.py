"""Every row a list page shows, for a given filter and order, read in one go (for export).

The list pages read a page of 200 rows at a time as the view scrolls; an export needs all
of them, in the same order, narrowed by the same filter and search. These functions ask
the very queries the pages' table models use (:func:`models.activities.list_activities`,
:func:`models.person_list.list_persons`, :func:`models.certificate_register.register`,
:func:`models.attendance.attendees`) without a page limit, so what is written is exactly
what the list shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import attendance, certificate_register, store
from models.activities import ActivityFilter, ActivityRow, list_activities
from models.certificate_register import RegisterRow
from models.db import Database
from models.person_list import PersonFilter, PersonRow, list_persons
from models.records import Activity

__all__ = ["AttendeeList", "activity_rows", "attendee_rows", "certificate_rows", "person_rows"]


@dataclass(frozen=True)
class AttendeeList:
    """An activity's attendance list: how many days the activity has, and who came."""

    days: int
    rows: list[attendance.Attendee]


def activity_rows(db: Database, where: ActivityFilter | None = None, *,
                  order_by: str = "start_date", descending: bool = True) -> list[ActivityRow]:
    """All activities the activities list shows for ``where`` in that order (``order_by``
    as :func:`~models.activities.list_activities` takes it, "rank" for a search's)."""
    return list_activities(db, where or ActivityFilter(), order_by=order_by or "start_date",
                           descending=descending)


def person_rows(db: Database, where: PersonFilter | None = None, *,
                order_by: str = "full_name", descending: bool = False) -> list[PersonRow]:
    """All persons the persons list shows for ``where`` in that order (see
    :func:`~models.person_list.list_persons`)."""
    return list_persons(db, where or PersonFilter(), order_by=order_by or "full_name",
                        descending=descending)


def certificate_rows(db: Database, query: str = "", *, activity_id: str | None = None,
                     year: int | None = None, include_cancelled: bool = False,
                     ) -> list[RegisterRow]:
    """All certificates the register shows for this search and these filters, newest
    first (see :func:`~models.certificate_register.register`)."""
    return certificate_register.register(db, query, activity_id=activity_id, year=year,
                                         include_cancelled=include_cancelled)


def attendee_rows(db: Database, activity_id: str) -> AttendeeList:
    """An activity's attendance list as its attendees tab shows it: in the order people
    were added, with the activity's number of days (one tick column per day)."""
    activity = store.get(db, Activity, activity_id)
    return AttendeeList(activity.days, attendance.attendees(db, activity_id))
