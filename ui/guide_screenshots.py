"""The user guide's own screenshots, and its copy shipped with the app:
``python -m ui.guide_screenshots``.

Saves ``docs/screenshots/guide-*.png`` (the welcome and its optional step, the main window,
the question before certificates whose settings are missing, the period of the periodic
report, the saved report with its covering-letter button, the letter, the outbox and the
send dialog, the backups and «حول البرنامج»), made offscreen on a demo database in a
temporary folder (the user's data folder and window settings are never touched). Then it
copies ``docs/user-guide.md`` and every image it shows into ``resources/guide/``, where
the Help menu finds them in the installed app (:func:`ui.help_menu.guide_path`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import resources

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GUIDE = DOCS / "user-guide.md"
# The checkout's copy that travels with the app (package data of the resources module).
SHIPPED = Path(resources.__file__).resolve().parent / "guide"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")

TEXT = {"saved": "حُفظت: {path}", "copied": "نُسخ الدليل وصوره إلى: {path}"}


def guide_images(text: str) -> list[str]:
    """The relative paths of the images a guide's Markdown shows, in order."""
    return IMAGE.findall(text)


def ship_guide(guide: Path = GUIDE, target: Path = SHIPPED) -> list[Path]:
    """Copy the guide and the images it shows into ``target`` (old copies removed)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    copied = [target / guide.name]
    shutil.copyfile(guide, copied[0])
    for name in guide_images(guide.read_text("utf-8")):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(guide.parent / name, target / name)
        copied.append(target / name)
    return copied


def _save(widget, path: Path, saved: list[Path]) -> None:
    from ui.screenshots import _settle

    _settle(widget)
    widget.grab().save(str(path))
    saved.append(path)
    print(TEXT["saved"].format(path=path))


def take(out: Path) -> list[Path]:
    """Save the guide's screenshots into ``out``; the files saved."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from demo import removal
    from models import backup
    from models.db import Database
    from ui import export, missing_settings, send_bundle
    from ui.application import create_application
    from ui.backups_dialog import BackupsDialog
    from ui.context import AppContext
    from ui.help_menu import AboutDialog
    from ui.main_window import MainWindow
    from ui.screenshots import SEED, SIZE, add_workshop
    from ui.welcome import WelcomeDialog
    from ui.widgets.identity_form import IDENTITY_FIELDS

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    app = create_application(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="ittisal-guide-") as tmp:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")  # the log, the default DB
        fresh = Database.open(Path(tmp) / "fresh" / "ittisal.sqlite3", create=True)
        welcome = WelcomeDialog(AppContext(fresh))
        welcome.show()
        _save(welcome, out / "guide-01-welcome.png", saved)
        welcome.pages.setCurrentIndex(1)
        values = {"ministry": "وزارة التربية", "directorate": "المديرية العامة لتربية كربلاء",
                  "name": "شعبة الإعلام والاتصال الحكومي", "city": "كربلاء",
                  "head_name": "علي حسين الموسوي", "head_title": "مدير الشعبة"}
        for name in IDENTITY_FIELDS:
            if name in values:
                welcome.identity.edits[name].setText(values[name])
        welcome._identity_edited()
        _save(welcome, out / "guide-02-identity.png", saved)
        welcome.show_extras()
        welcome.prefix.setText("KRB")
        _save(welcome, out / "guide-03-optional.png", saved)
        welcome.close()
        fresh.close()

        db = Database.open(Path(tmp) / "ittisal.sqlite3", create=True)
        try:
            removal.generate_marked(db, activities=200, seed=SEED)
            add_workshop(db)
            for reason in ("daily", "manual", "daily"):
                backup.take(db, reason=reason)
            ctx = AppContext(db)
            settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
            window = MainWindow(ctx, settings=settings)
            window.resize(*SIZE)
            window.show()
            page = window.show_page("activities")
            _settle_page(window, page)
            _save(window, out / "guide-04-activities.png", saved)

            box = missing_settings.question_box(window, [missing_settings.TEXT["signatory"]])
            box.show()
            _save(box, out / "guide-05-missing.png", saved)
            box.close()

            period = export.PeriodDialog(ctx, window)
            period.show()
            _save(period, out / "guide-06-period.png", saved)
            period.close()
            report = Path(tmp) / "التقرير الدوري.docx"
            report.write_bytes(b"")
            result = export.ExportResultDialog(report, window, on_letter=lambda: None)
            result.show()
            _save(result, out / "guide-07-report-saved.png", saved)
            result.close()
            letter = export.LetterDialog(ctx, report, "التقرير الدوري", window)
            letter.show()
            _save(letter, out / "guide-08-letter.png", saved)
            letter.close()

            page = window.show_page("outbox")
            _settle_page(window, page)
            _save(window, out / "guide-09-outbox.png", saved)
            send = send_bundle.SendDialog(ctx, window)
            send.show()
            _save(send, out / "guide-10-send.png", saved)
            send.close()

            backups = BackupsDialog(ctx, window)
            backups.show()
            _save(backups, out / "guide-11-backups.png", saved)
            backups.close()
            about = AboutDialog(ctx, window)
            about.show()
            _save(about, out / "guide-12-about.png", saved)
            about.close()
            window.close()
            app.processEvents()
        finally:
            db.close()
    return saved


def _settle_page(window, page) -> None:
    from ui.screenshots import _settle

    _settle(window, page)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: where to save the PNGs; then the guide is copied for shipping."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "screenshots")
    parser.add_argument("--ship-only", action="store_true",
                        help="only copy the guide and its images into resources/guide/")
    args = parser.parse_args(argv)
    if not args.ship_only:
        take(args.out)
    ship_guide()
    print(TEXT["copied"].format(path=SHIPPED))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
