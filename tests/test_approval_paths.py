"""Paths that change an approved or sent activity's attendance outside its form: the
command line's ``attendance remove`` and ``persons merge`` (which cannot ask, so they
apply the status rule and say so) and the persons page's merge (which asks first)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from test_cli import run
from test_ui_activities_page import answer_box

from models import approval, persons, store
from models.db import Database
from models.records import Activity, Attendance, Person

HEAD = "د. سعاد كريم"
TITLE = "ورشة الاتصال الحكومي في كربلاء"
DRAFT_LINE = f"أصبح النشاط «{TITLE}» مسودة: عُدّل بعد اعتماده، فيُعتمد من جديد."
DRAFT_EN = f"The activity “{TITLE}” is a draft again"


def build(db: Database) -> dict[str, str]:
    """An approved workshop attended by Zainab and by a second record of her, and a
    draft meeting the second record attended."""
    workshop = store.insert(db, Activity(kind="workshop", title=TITLE,
                                         start_date="2026-11-10"))
    meeting = store.insert(db, Activity(kind="meeting", title="الاجتماع الدوري",
                                        start_date="2026-11-12"))
    zainab = store.insert(db, Person(full_name="زينب علي حسين الأسدي", gender="f"))
    twin = store.insert(db, Person(full_name="زينب علي حسين الاسدي", gender="f"))
    for person, activity in ((zainab, workshop), (twin, workshop), (twin, meeting)):
        store.insert(db, Attendance(activity_id=activity.id, person_id=person.id))
    approval.approve(db, "activity", [workshop.id], by=HEAD)
    return {"workshop": workshop.id, "meeting": meeting.id, "zainab": zainab.id,
            "twin": twin.id}


def version(db: Database, activity_id: str) -> int:
    return db.scalar("SELECT row_version FROM activities WHERE id = ?", (activity_id,))


@pytest.fixture
def world(db_path):
    """The ids of :func:`build`, in a database file the command line can open."""
    with Database.open(db_path, create=True) as db:
        return build(db)


def test_cli_attendance_removal_makes_an_approved_activity_a_draft(db_path, world):
    with Database.open(db_path) as db:
        before = version(db, world["workshop"])
    done = run("attendance", "remove", "--activity", world["workshop"][:8],
               world["twin"], db=db_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert DRAFT_LINE in lines
    assert lines[lines.index(DRAFT_LINE) + 1].startswith(DRAFT_EN)
    with Database.open(db_path) as db:
        assert approval.state(db, "activity", world["workshop"]).status == "draft"
        assert version(db, world["workshop"]) > before
        assert db.scalar("SELECT count(*) FROM attendance WHERE activity_id = ? AND "
                         "deleted_at IS NULL", (world["workshop"],)) == 1


def test_cli_attendance_removal_on_a_draft_says_nothing_of_drafts(db_path, world):
    done = run("attendance", "remove", "--activity", world["meeting"], world["twin"],
               db=db_path)
    assert done.returncode == 0, done.stderr
    assert "مسودة" not in done.stdout


def test_merge_moving_an_approved_activitys_attendance_makes_it_a_draft(db):
    ids = build(db)
    before = version(db, ids["workshop"])
    meeting_before = version(db, ids["meeting"])
    locked = persons.locked_by_merge(db, ids["twin"])
    assert [(a.title, a.status, a.asks) for a in locked] == [(TITLE, "approved", True)]
    _kept, revised = persons.merge_revising(db, ids["zainab"], ids["twin"])
    assert [a.id for a in revised] == [ids["workshop"]]
    assert approval.state(db, "activity", ids["workshop"]).status == "draft"
    assert version(db, ids["workshop"]) > before
    assert version(db, ids["meeting"]) == meeting_before  # a draft: no new revision


def test_cli_persons_merge_says_which_activities_became_drafts(db_path, world):
    done = run("persons", "merge", world["zainab"], world["twin"], db=db_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines.count(DRAFT_LINE) == 1
    assert lines[lines.index(DRAFT_LINE) + 1].startswith(DRAFT_EN)
    with Database.open(db_path) as db:
        assert approval.state(db, "activity", world["workshop"]).status == "draft"
        assert store.get(db, Person, world["twin"], include_deleted=True).deleted_at


@pytest.mark.parametrize("answer", ["نعم، ادمج", "لا"])
def test_the_apps_merge_asks_first(qtbot, ctx, db, answer, tmp_path):
    from ui.merge_dialog import MergeDialog

    ids = build(db)
    before = version(db, ids["workshop"])
    dialog = MergeDialog(ctx, ids["zainab"], ids["twin"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.keep_buttons[0].click()
    seen: list[str] = []
    answer_box(answer, seen)
    dialog.accept()
    assert seen and seen[0].startswith("الدمج يغيّر قائمة حضور نشاط معتمد")
    assert TITLE in seen[0] and "نسخة جديدة" in seen[0]
    if answer == "لا":
        assert dialog.result() != QDialog.DialogCode.Accepted and dialog.kept is None
        assert approval.state(db, "activity", ids["workshop"]).status == "approved"
        assert version(db, ids["workshop"]) == before
        assert store.get(db, Person, ids["twin"]).deleted_at is None
        assert QApplication.activeModalWidget() is None
    else:
        dialog.grab().save(str(tmp_path / "merge.png"))
        assert dialog.kept is not None and dialog.kept.id == ids["zainab"]
        assert approval.state(db, "activity", ids["workshop"]).status == "draft"
        assert version(db, ids["workshop"]) > before


def test_the_apps_merge_asks_once_for_several_activities(qtbot, ctx, db):
    from ui.merge_dialog import MergeDialog

    ids = build(db)
    approval.approve(db, "activity", [ids["meeting"]], by=HEAD)
    approval.mark_sent(db, "activity", [ids["meeting"]], "2026-12-01T10:00:00.000Z")
    dialog = MergeDialog(ctx, ids["zainab"], ids["twin"])
    qtbot.addWidget(dialog)
    dialog.keep_buttons[0].click()
    seen: list[str] = []
    answer_box("لا", seen)
    dialog.accept()
    assert len(seen) == 3  # one question (text, default button, direction)
    assert "أنشطة معتمدة أو مرسلة، عددها ٢" in seen[0]
    assert approval.state(db, "activity", ids["meeting"]).status == "sent"


def test_cli_removing_someone_not_on_the_list_is_refused(db_path, world):
    run("attendance", "remove", "--activity", world["meeting"], world["zainab"], db=db_path)
    with Database.open(db_path) as db:
        before = version(db, world["workshop"])
    done = run("attendance", "remove", "--activity", world["meeting"], world["zainab"],
               db=db_path)
    assert done.returncode == 1
    assert "ليس في قائمة حضور" in done.stderr and "Nothing changed" in done.stderr
    with Database.open(db_path) as db:
        assert version(db, world["workshop"]) == before
