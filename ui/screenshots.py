"""Screenshots of the app on demo data, for the README: ``python -m ui.screenshots [--out DIR]``.

Builds a demo database in a temporary folder (the fixed seed, 500 activities, plus the
two-day Karbala workshop of the seed with its attendees and recommendations), opens the
main window offscreen at 1280×800 and saves one PNG per page, of the activity form,
the certificates window and the forms of the plan, monitoring and recommendations
pages. Pages that do not exist yet are skipped with a note. Nothing outside the temporary
folder and the output folder is touched (not even the user's window settings).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)
FORM_SIZE = (1100, 760)
ACTIVITIES = 500
SEED = 64  # fixed: the same pictures every time
SETTLE_SECONDS = 10.0

TEXT = {
    "saved": "حُفظت: {path}",
    "skipped": "تُركت «{name}»: الصفحة غير موجودة بعد ({module}).",
    "no_form": "تُركت صورة استمارة النشاط: ui.forms.activity_form غير موجود بعد.",
    "attendees_tab": "المشاركون",
}

# The workshop of seed 000: two days at the University of Karbala, with the ministry's
# government communication department as partner, and what it recommended.
WORKSHOP = {
    "kind": "workshop",
    "title": "ورشة تطويرية عن أهمية الاتصال الحكومي ودوره في انسيابية المعلومات",
    "start_date": "2026-11-22",
    "end_date": "2026-11-23",
    "place": "جامعة كربلاء",
    "organiser": "جامعة كربلاء",
    "partners": ["دائرة الاتصال الحكومي في وزارة التعليم العالي والبحث العلمي"],
    "lecturers": ["ممثل قسم الإعلام والعلاقات العامة", "منسق الاتصال الحكومي في الوزارة"],
    "summary": ("شارك ممثلو شعب الإعلام في الدوائر الخدمية والأمنية في ورشة لمدة يومين عن "
                "أهمية الاتصال الحكومي ودوره في انسيابية المعلومات."),
    "objectives": "توحيد آليات نشر المعلومة الرسمية وتعزيز التنسيق بين شعب الإعلام.",
    "status": "approved",
}
RECOMMENDATIONS = (
    ("اعتماد دليل موحد لصياغة الأخبار الرسمية في شعب الإعلام.",
     "دائرة الاتصال الحكومي"),
    ("إقامة ورش دورية لمنسقي الاتصال الحكومي في الدوائر.", "مركز المعلومات الموحد"),
    ("اتخاذ الإجراءات المناسبة قبل أي نشاط إعلامي.", "المديرية العامة"),
)
ATTENDEES = 12


def add_workshop(db) -> str:
    """Put the seed's workshop, its recommendations and attendees in ``db``; its id."""
    from models import attendance, records, store

    activity = store.insert(db, records.Activity(**WORKSHOP))
    for position, (text, to) in enumerate(RECOMMENDATIONS, 1):
        store.insert(db, records.Recommendation(activity_id=activity.id, text=text,
                                                addressed_to=to, position=position))
    for person in store.find(db, records.Person, order_by="full_name")[:ATTENDEES]:
        attendance.add(db, activity.id, person.id)
    from models.certificate_pages import prepare

    prepare(db, activity.id)  # its certificates, for the register
    return activity.id


def _settle(widget, page=None) -> None:
    """Let the widget lay out, paint and finish loading its data."""
    from PySide6.QtTest import QTest

    deadline = time.monotonic() + SETTLE_SECONDS
    QTest.qWait(50)
    while page is not None and getattr(page, "loading", False) and time.monotonic() < deadline:
        QTest.qWait(20)
    QTest.qWait(150)


def take(out: Path, *, activities: int = ACTIVITIES) -> list[Path]:
    """Build the demo database and save the screenshots into ``out``; the files saved."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from demo import generator as demo
    from models.db import Database
    from ui.application import create_application
    from ui.context import AppContext
    from ui.main_window import PAGES, MainWindow

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    app = create_application(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="ittisal-shots-") as tmp:
        db = Database.open(Path(tmp) / "ittisal.sqlite3", create=True)
        try:
            demo.generate(db, activities=activities, seed=SEED)
            workshop_id = add_workshop(db)
            ctx = AppContext(db)
            settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
            window = MainWindow(ctx, settings=settings)
            dashboard = window.pages.get("dashboard")
            if dashboard is not None:  # the demo's world ends in 2026: show its "today"
                dashboard.today = lambda: demo.AS_OF
            window.resize(*SIZE)
            window.show()
            for key, module, _cls in PAGES:
                if key not in window.keys:
                    print(TEXT["skipped"].format(name=key, module=module))
                    continue
                page = window.show_page(key)
                _settle(window, page)
                path = out / f"{key}.png"
                window.grab().save(str(path))
                saved.append(path)
                print(TEXT["saved"].format(path=path))
            saved += _activity_form(ctx, window, workshop_id, out)
            saved += _certificates(ctx, window, workshop_id, out)
            saved += _record_forms(ctx, window, out)
            window.close()
            app.processEvents()
        finally:
            db.close()
    return saved


def _activity_form(ctx, window, activity_id: str, out: Path) -> list[Path]:
    try:
        from ui.forms.activity_form import ActivityDialog
    except ModuleNotFoundError as exc:
        if exc.name not in ("ui.forms", "ui.forms.activity_form"):
            raise
        print(TEXT["no_form"])
        return []
    dialog = ActivityDialog(ctx, activity_id, window)
    dialog.resize(*FORM_SIZE)
    dialog.show()
    _settle(dialog)
    path = out / "activity_form.png"
    dialog.grab().save(str(path))
    print(TEXT["saved"].format(path=path))
    saved = [path]
    from PySide6.QtWidgets import QTabWidget

    # The attendees of the workshop too, if the form has them on a tab of their own.
    for tabs in dialog.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.tabText(index).startswith(TEXT["attendees_tab"]):
                tabs.setCurrentIndex(index)
                _settle(dialog)
                path = out / "activity_form_attendees.png"
                dialog.grab().save(str(path))
                print(TEXT["saved"].format(path=path))
                saved.append(path)
                break
    dialog.reject()
    return saved


def _certificates(ctx, window, activity_id: str, out: Path) -> list[Path]:
    """The certificates window of the workshop: its attendees, then the text and design."""
    from PySide6.QtWidgets import QTabWidget

    from ui.certificates.dialog import CertificatesDialog

    dialog = CertificatesDialog(ctx, activity_id, window)
    dialog.resize(*SIZE)
    dialog.show()
    saved = []
    tabs = dialog.findChildren(QTabWidget)[0]
    for index, name in ((0, "certificates_dialog"), (1, "certificates_style")):
        tabs.setCurrentIndex(index)
        _settle(dialog)
        _settle(dialog)  # the preview is drawn a moment after a change
        path = out / f"{name}.png"
        dialog.grab().save(str(path))
        print(TEXT["saved"].format(path=path))
        saved.append(path)
    dialog.reject()
    return saved


def _record_forms(ctx, window, out: Path) -> list[Path]:
    """The forms of the plan, monitoring and recommendations pages, each on a demo record:
    a plan item with the fields of its OASIS shape filled, a coverage item, the follow-up
    of a recommendation with a history, and the directory of outlets."""
    from models import recommendations, store
    from models.records import CoverageItem, PlanItem
    from ui.forms.coverage_form import CoverageDialog
    from ui.forms.outlets_dialog import OutletsDialog
    from ui.forms.plan_item_form import PlanItemDialog
    from ui.forms.recommendation_followup import FollowUpDialog

    db = ctx.db
    item = next((i for i in store.find(db, PlanItem, order_by="date")
                 if i.key_message and i.measure_target), None)
    coverage_item = store.find(db, CoverageItem, "reach IS NOT NULL", order_by="date DESC")
    rows = recommendations.list_recommendations(db, today=demo_today())
    followed = max(rows, key=lambda r: len(r.notes)).id if rows else None
    dialogs = []
    if item is not None:
        dialogs.append(("plan_item_form", lambda: PlanItemDialog(ctx, item.plan_id, item.id,
                                                                 window)))
    if coverage_item:
        dialogs.append(("coverage_form", lambda: CoverageDialog(
            ctx, coverage_item[0].id, window, today=demo_today())))
    if followed:
        dialogs.append(("recommendation_followup", lambda: FollowUpDialog(
            ctx, followed, window, today=demo_today())))
    dialogs.append(("outlets_dialog", lambda: OutletsDialog(ctx, window)))
    saved = []
    for name, make in dialogs:
        dialog = make()
        dialog.show()
        _settle(dialog)
        path = out / f"{name}.png"
        dialog.grab().save(str(path))
        print(TEXT["saved"].format(path=path))
        saved.append(path)
        dialog.reject()
    return saved


def demo_today():
    """The demo world's "today" (its data ends in 2026)."""
    from demo import generator as demo

    return demo.AS_OF


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: where to save the PNGs."""
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for the PNGs (default: docs/screenshots)")
    parser.add_argument("--activities", type=int, default=ACTIVITIES,
                        help="how many demo activities (default: 500)")
    args = parser.parse_args(argv)
    take(args.out, activities=args.activities)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
