"""«استيراد حزم المديريات» in the app: two units' real bundles imported into an empty
database that becomes the centre (each new key's fingerprint confirmed by a person), the
results per file, the conflicts list, and a tampered bundle refused with its Arabic
reason and nothing changed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from models import bundle_merge, certificates, data_bundle
from models.db import Database
from tests.test_data_bundle import dump, export, make_unit, rewrite
from ui.formatting import number_text
from ui.forms.bundle_import_dialog import BundleImportDialog, ConflictsDialog
from ui.pages.outbox import COL_B_COUNTS, COL_B_DIR, COL_B_UNIT, OutboxPage

SHOTS = Path(os.environ["ITTISAL_SHOTS"]) if os.environ.get("ITTISAL_SHOTS") else None


def shot(widget: QWidget, name: str) -> None:
    """Save a screenshot when ITTISAL_SHOTS names a folder (to look at them)."""
    if SHOTS is not None:
        QApplication.processEvents()
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def answer_boxes():
    """``answer_boxes(handler)``: answer every fingerprint question that shows with
    ``handler`` until the test ends; returns the texts asked."""
    stopped = False

    def start(handler: Callable[[QMessageBox], None]) -> list[str]:
        asked: list[str] = []

        def poll() -> None:
            if stopped:
                return
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox) and box.objectName() == "fingerprintConfirm" \
                    and box.isVisible() and not box.property("answered"):
                box.setProperty("answered", True)
                asked.append(box.text())
                handler(box)
            QTimer.singleShot(20, poll)

        QTimer.singleShot(0, poll)
        return asked

    yield start
    stopped = True


def click(label: str) -> Callable[[QMessageBox], None]:
    def handler(box: QMessageBox) -> None:
        next(b for b in box.buttons() if b.text() == label).click()
    return handler


YES, NO = "نعم، تطابق — استورد", "لا، لا تستورد"


@pytest.fixture(scope="module")
def units(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Two units' databases and their first bundles: {name: (unit database, bundle)}."""
    folder = tmp_path_factory.mktemp("units")
    made = {}
    for key, directorate, title in (("karbala", "مديرية كربلاء", "ورشة كربلاء"),
                                    ("basra", "مديرية البصرة", "ندوة البصرة")):
        unit_db = make_unit(folder / key, directorate, title)
        made[key] = (unit_db, export(unit_db, folder / f"{key}.ittisal"))
    return made


def fingerprint_of(unit_db: Path) -> str:
    with Database.open(unit_db) as db:
        return certificates.fingerprint(certificates.key_state(db).current)


def results(dialog: BundleImportDialog) -> list[tuple[str, str, str]]:
    table = dialog.table
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def run_import(qtbot, dialog: BundleImportDialog) -> None:
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == len(dialog.paths()), timeout=30000)


@pytest.fixture
def page(qtbot, ctx):
    widget = OutboxPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1080, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_two_units_bundles_imported_with_their_fingerprints_confirmed(
        answer_boxes, qtbot, ctx, db, page, units):
    assert page.import_action.isVisible()  # an empty database may become the centre
    karbala, basra = units["karbala"][1], units["basra"][1]
    dialog = page.import_bundles([karbala, basra])
    assert isinstance(dialog, BundleImportDialog)
    assert dialog.paths() == [karbala, basra]
    shot(dialog, "import_listed")
    asked = answer_boxes(click(YES))
    run_import(qtbot, dialog)

    assert len(asked) == 2
    assert "هذه أول حزمة من «مديرية كربلاء»" in asked[0]
    assert fingerprint_of(units["karbala"][0]) in asked[0]
    assert fingerprint_of(units["basra"][0]) in asked[1]
    rows = results(dialog)
    assert [r[1] for r in rows] == ["مديرية كربلاء", "مديرية البصرة"]
    assert all(r[2].startswith("استُوردت: أضيف ") for r in rows), rows
    assert dialog.summary.text().startswith("صارت قاعدة البيانات هذه مركز الوزارة.")
    assert bundle_merge.is_centre(db)
    titles = {r["title"] for r in db.rows("SELECT title FROM activities")}
    assert {"ورشة كربلاء", "ندوة البصرة"} <= titles
    assert dialog.conflicts_label.text() == "لا تعارضات تنتظر المراجعة."
    shot(dialog, "import_done")

    # The inbox log on the outbox page, newest first, with the senders.
    dialog.close()
    qtbot.waitUntil(lambda: page.bundles_model.rowCount() == 2)
    model = page.bundles_model
    assert {model.index(r, COL_B_UNIT).data() for r in range(2)} == {
        "مديرية كربلاء", "مديرية البصرة"}
    assert {model.index(r, COL_B_DIR).data() for r in range(2)} == {"واردة"}
    shot(page, "outbox_centre")

    # Again: nothing changes, and no key is asked about (the keys are known now).
    before = dump(db.path)
    again = page.import_bundles([karbala])
    asked_again = answer_boxes(click(YES))
    run_import(qtbot, again)
    assert asked_again == []
    assert results(again)[0][2] == "مستوردة من قبل؛ لم يتغير شيء"
    assert dump(db.path) == before


def test_a_fingerprint_not_confirmed_imports_nothing_of_that_unit(
        answer_boxes, qtbot, ctx, db, units):
    dialog = BundleImportDialog(ctx, None, [units["karbala"][1]])
    qtbot.addWidget(dialog)
    before = dump(db.path)
    answer_boxes(click(NO))
    run_import(qtbot, dialog)
    assert results(dialog)[0][2] == "لم تُستورد: لم تُؤكَّد بصمة مفتاح الوحدة"
    assert dump(db.path) == before
    assert not bundle_merge.is_centre(db)


def test_a_tampered_bundle_is_refused_with_its_reason_and_changes_nothing(
        answer_boxes, qtbot, ctx, db, page, units, tmp_path):
    good = units["karbala"][1]

    def change(name, data):
        if name == "tables/activities.jsonl":
            data = data.replace("ورشة كربلاء".encode(), "ورشة مزورة".encode())
        return [(name, data)]

    tampered = rewrite(good, tmp_path / "tampered.ittisal", change)
    before = dump(db.path)
    dialog = page.import_bundles([tampered])
    asked = answer_boxes(click(YES))
    run_import(qtbot, dialog)
    assert asked == []  # refused before any key is trusted
    (name, unit, text), = results(dialog)
    assert text.startswith("رُفضت: الجزء «tables/activities.jsonl» في الحزمة "
                           "«tampered.ittisal» لا يطابق بصمته في البيان")
    assert dialog.table.item(0, 2).foreground().color().name() == "#b3261e"
    assert dialog.summary.text() == "استُوردت ٠ من ١، ورُفضت ١."
    assert dump(db.path) == before
    shot(dialog, "import_refused")
    dialog.close()
    # Only the inbox log records the refusal, and the page shows it as refused.
    qtbot.waitUntil(lambda: page.bundles_model.rowCount() == 1)
    assert page.bundles_model.index(0, COL_B_COUNTS).data() == "رُفضت"


def test_conflicts_are_counted_and_listed(
        answer_boxes, qtbot, ctx, db, tmp_path):
    # One unit's workshop edited two ways at the same revision: two bundles from two
    # copies of the unit's database.
    unit_db = make_unit(tmp_path / "unit", "مديرية النجف", "ورشة النجف")
    copy = tmp_path / "copy"
    copy.mkdir()
    import shutil

    shutil.copytree(unit_db.parent, copy, dirs_exist_ok=True)
    bundles = []
    for folder, title in ((unit_db.parent, "ورشة النجف الأولى"), (copy, "ورشة النجف الثانية")):
        with Database.open(folder / "unit.sqlite3") as unit:
            with unit.atomic():
                unit.execute("UPDATE activities SET title = ?, updated_at = ? WHERE title = ?",
                             (title, "2026-12-01T00:00:00.000Z", "ورشة النجف"))
            bundles.append(data_bundle.export(unit, folder / f"{folder.name}.ittisal",
                                              full=True).path)
    dialog = BundleImportDialog(ctx, None, bundles)
    qtbot.addWidget(dialog)
    answer_boxes(click(YES))
    run_import(qtbot, dialog)
    assert "تعارض" in results(dialog)[1][2]
    kept = db.rows("SELECT table_name FROM bundle_conflicts")
    assert "activities" in [r["table_name"] for r in kept]
    count = number_text(len(kept), ctx.date_style)
    assert dialog.conflicts_label.text() == f"تعارضات تنتظر المراجعة: {count}"
    assert dialog.conflicts_button.isVisibleTo(dialog)
    listed = dialog.show_conflicts()
    assert isinstance(listed, ConflictsDialog)
    rows = [[listed.table.item(r, c).text() for c in range(5)]
            for r in range(listed.table.rowCount())]
    assert len(rows) == len(kept)
    activity = next(row for row in rows if row[0] == "الأنشطة")
    assert activity[2] == "مديرية النجف"
    assert activity[1].startswith("ورشة النجف ال")
    shot(listed, "conflicts")


def test_files_dropped_on_the_dialog_are_listed(qtbot, ctx, units):
    dialog = BundleImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for _db, p in units.values()])
    event = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    dialog.dropEvent(event)
    assert dialog.paths() == [p for _db, p in units.values()]
    assert dialog.import_button.isEnabled()


def test_files_dropped_on_the_outbox_page_open_the_import_dialog(qtbot, ctx, page, units):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(units["basra"][1]))])
    event = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    dialog = page.findChild(BundleImportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.paths() == [units["basra"][1]]
    assert page.tabs.currentIndex() == 1
