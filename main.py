"""Ittisal's entry point: parse the command line, then start the app or run a command.

``python main.py [--db PATH] [COMMAND]``. Without a command the desktop app starts.
Commands that only read or write data never import Qt, so they start fast and run on
machines without a display. Errors go to stderr in Arabic with an English line under
it and exit 1; usage errors exit 2; ``--json`` prints only JSON on stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

# User-facing text of the command line, in one place: (Arabic, English).
MSG = {
    "usage": ("استعمال غير صحيح للأمر: {detail}", "Usage error: {detail}"),
    "bad_date": ("التاريخ «{value}» غير صحيح؛ اكتبه بالشكل 2026-11-23.",
                 "{value!r} is not a date; write it as 2026-11-23."),
    "bad_choice": ("القيمة «{value}» غير معروفة؛ القيم المقبولة: {options}.",
                   "{value!r} is not known; use one of: {options}."),
    "bug": ("حدث خطأ غير متوقع في البرنامج، نعتذر. سُجّلت التفاصيل في «{log}».",
            "An unexpected error occurred, sorry. The details are in {log}."),
    "no_results": ("لا توجد نتائج.", "No results."),
    "demo_done": ("أُضيفت بيانات تجريبية: {activities} نشاط، {persons} مشارك، {attendance} "
                  "حضور، {recommendations} توصية، {coverage_items} مادة رصد، {plans} مخطط "
                  "({seconds:.1f} ثانية).", ""),
    "backup_done": ("حُفظت النسخة الاحتياطية في: {path}", "Backup written to {path}"),
    "restore_done": ("اُسترجعت قاعدة البيانات من «{source}». النسخة السابقة محفوظة في: {safety}",
                     "Restored from {source}. The previous state is kept in {safety}"),
    "check_ok": ("قاعدة البيانات سليمة.", "The database is sound."),
    "check_bad": ("في قاعدة البيانات مشكلات:", "The database has problems:"),
    "no_db": ("لا توجد قاعدة بيانات في «{path}». شغّل البرنامج أو الأمر demo لإنشائها، أو "
              "صحّح المسار بعد --db.",
              "There is no database at {path}. Start the app or run demo to create one, or "
              "correct the path after --db."),
    "negative": ("يجب ألا يكون العدد سالباً", "must not be negative"),
    "import_head": ("استيراد المشاركين إلى «{title}» من «{file}»{sheet}", ""),
    "import_sheet": (" (الورقة «{sheet}»)", ""),
    "import_columns": ("الأعمدة: {columns}", ""),
    "import_added": ("أُضيف مشاركون جدد: {n}", ""),
    "import_matched": ("طوبقوا مع مشاركين موجودين: {n}", ""),
    "import_skipped": ("تُجووزوا: {n} (صفوف فارغة: {empty}، فيها مشكلات: {problems}، "
                       "في القائمة أصلاً: {on_list})", ""),
    "import_problems": ("الصفوف التي فيها مشكلات (لم تُستورد):", ""),
    "import_problem": ("  الصف {row} — {label}: {message}", ""),
    "import_duplicates": ("المكررات المحتملة (لم تُضف مرتين):", ""),
    "import_duplicate": ("  الصف {row} — {name} ← {matched_name} ({reason}){where}", ""),
    "import_earlier_row": ("، الصف {row}", ""),
    "import_notes": ("ملاحظات:", ""),
    "import_note": ("  الصف {row} — {message}", ""),
    "export_done": ("كُتب الملف: {path}", "Written: {path}"),
    "letter_done": ("كُتب الكتاب ذو العدد {number} لسنة {year}: {path}",
                    "Letter {number} of {year} written: {path}"),
    "cannot_write": ("تعذّر حفظ الملف في «{path}»: {reason}. تأكد من أن المجلد موجود ويمكن "
                     "الكتابة فيه، وأن الملف غير مفتوح في برنامج آخر.",
                     "Cannot save {path}: {reason}. Check that the folder exists and is "
                     "writable and that the file is not open elsewhere."),
    "no_report": ("لا يوجد ملف التقرير «{path}» المراد إرفاقه بالكتاب.",
                  "The report {path} to enclose with the letter does not exist."),
    "verify_ok": ("شهادة صحيحة.", "Genuine certificate."),
    "verify_name": ("الاسم: {name}", "Name: {name}"),
    "verify_activity": ("النشاط: {title}", "Activity: {title}"),
    "verify_dates": ("التاريخ: {dates}", "Dates: {dates}"),
    "verify_serial": ("الرقم التسلسلي: {serial}", "Serial: {serial}"),
    "verify_issued": ("تاريخ الإصدار: {date}", "Issued: {date}"),
}

CHECK_LABELS = {
    "path": "الملف",
    "schema_version": "إصدار المخطط",
    "integrity": "سلامة الملف",
    "foreign_keys": "الروابط بين السجلات",
    "search_index": "فهرس البحث",
}

TWIN = " || "  # joins the Arabic and English halves of an argument error

log = logging.getLogger("ittisal")


class CliError(Exception):
    """A usage error found after parsing (exit 2)."""

    def __init__(self, key: str, **values: Any) -> None:
        arabic, english = MSG[key]
        super().__init__(arabic.format(**values))
        self.arabic, self.english = arabic.format(**values), english.format(**values)


class ArabicArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors in Arabic and English, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        # Our own argument checks say "Arabic || English"; argparse's say English only.
        head, _, tail = message.rpartition(": ") if TWIN in message else ("", "", message)
        arabic_detail, _, english_detail = tail.partition(TWIN)
        prefix = head + ": " if head else ""
        arabic, english = MSG["usage"]
        self.print_usage(sys.stderr)
        sys.stderr.write(arabic.format(detail=prefix + arabic_detail) + "\n"
                         + english.format(detail=prefix + (english_detail or arabic_detail))
                         + "\n")
        raise SystemExit(2)


# --- terminal output ------------------------------------------------------------------

class Output:
    """Writes human-readable text, shaping Arabic for terminals that cannot."""

    def __init__(self, visual: bool) -> None:
        self.visual = visual

    def line(self, text: str = "") -> None:
        if self.visual:
            # Only for terminals that neither shape nor reorder Arabic (the Windows
            # console); the text itself is never stored or exported this way.
            from arabic_reshaper import reshape
            from bidi.algorithm import get_display

            text = get_display(reshape(text))
        print(text)


def wants_visual(flag: bool) -> bool:
    """Shape Arabic when asked, or by default on a Windows console."""
    return flag or (sys.platform == "win32" and sys.stdout.isatty())


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# --- argument types -------------------------------------------------------------------

def iso_date(value: str) -> str:
    from models.dates import parse_date

    try:
        return parse_date(value).isoformat()
    except ValueError:
        arabic, english = MSG["bad_date"]
        raise argparse.ArgumentTypeError(
            arabic.format(value=value) + TWIN + english.format(value=value)) from None


def one_of(options: dict[str, str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value in options:
            return value
        for key, label in options.items():
            if value == label:
                return key
        arabic, english = MSG["bad_choice"]
        names = ", ".join(options)
        raise argparse.ArgumentTypeError(
            arabic.format(value=value, options=names) + TWIN
            + english.format(value=value, options=names))

    return check


def positive_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(MSG["negative"][0] + TWIN + MSG["negative"][1])
    return number


def build_parser() -> argparse.ArgumentParser:
    from models import vocab

    parser = ArabicArgumentParser(
        prog="ittisal", description="اتصال — Ittisal: activities, attendees and reports "
        "of a government communication unit. Without a command, the desktop app starts.")
    _add_common(parser, None)
    # The same options after the command too (``ittisal search X --visual``); SUPPRESS
    # keeps a sub-command from overwriting a value given before it.
    common = ArabicArgumentParser(add_help=False)
    _add_common(common, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=ArabicArgumentParser)
    commands.add_parser = functools.partial(commands.add_parser, parents=[common])

    demo = commands.add_parser("demo", help="fill the database with realistic demo data")
    demo.add_argument("--activities", type=positive_int, default=200, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")

    lister = commands.add_parser("list", help="list records")
    what = lister.add_subparsers(dest="what", metavar="WHAT", required=True,
                                 parser_class=ArabicArgumentParser)
    what.add_parser = functools.partial(what.add_parser, parents=[common])
    acts = what.add_parser("activities", help="list activities")
    _add_filters(acts, vocab)
    acts.add_argument("--limit", type=positive_int, default=None, metavar="N")
    acts.add_argument("--json", action="store_true", help="print JSON only")

    search = commands.add_parser("search", help="search everything, Arabic-aware")
    search.add_argument("query", metavar="QUERY", nargs="+")
    _add_filters(search, vocab)
    search.add_argument("--in", dest="types", action="append", metavar="TYPE",
                        type=one_of(vocab.RECORD_TYPES),
                        help="only these record types: " + ", ".join(vocab.RECORD_TYPES))
    search.add_argument("--limit", type=positive_int, default=50, metavar="N")
    search.add_argument("--json", action="store_true", help="print JSON only")

    backup = commands.add_parser("backup", help="back up the database")
    backup.add_argument("--to", metavar="FILE", help="write the backup here instead of "
                        "backups/ beside the database")
    backup.add_argument("--json", action="store_true", help="print JSON only")

    restore = commands.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--json", action="store_true", help="print JSON only")

    check = commands.add_parser("check", help="integrity, foreign keys and schema version")
    check.add_argument("--json", action="store_true", help="print JSON only")

    importer = commands.add_parser("import", help="import records from a file")
    kinds = importer.add_subparsers(dest="what", metavar="WHAT", required=True,
                                    parser_class=ArabicArgumentParser)
    kinds.add_parser = functools.partial(kinds.add_parser, parents=[common])
    attendees = kinds.add_parser("attendees", help="import an activity's attendees from "
                                 ".xlsx, .xls or .csv")
    attendees.add_argument("--activity", required=True, metavar="ID",
                           help="the activity's id, or a unique beginning of it")
    attendees.add_argument("file", metavar="FILE", help="FILE.xlsx, FILE.xls or FILE.csv")
    attendees.add_argument("--json", action="store_true", help="print JSON only")
    _add_export(commands, common)

    verify = commands.add_parser("verify", help="verify a certificate from its QR text or "
                                 "short code")
    verify.add_argument("text", metavar="TEXT", nargs="+",
                        help="the QR code's line (SERIAL|NAME|SIGNATURE) or the short code")
    verify.add_argument("--json", action="store_true", help="print JSON only")
    return parser


def _add_export(commands: Any, common: argparse.ArgumentParser) -> None:
    exporter = commands.add_parser("export", help="write a Word document (.docx)")
    kinds = exporter.add_subparsers(dest="what", metavar="WHAT", required=True,
                                    parser_class=ArabicArgumentParser)
    kinds.add_parser = functools.partial(kinds.add_parser, parents=[common])
    news = kinds.add_parser("news", help="the news report of an activity")
    periodic = kinds.add_parser("periodic", help="the periodic report of a period")
    letter = kinds.add_parser("letter", help="the official covering letter of a report")
    sheet = kinds.add_parser("attendance", help="the attendance sheet of an activity")
    certs = kinds.add_parser("certificates", help="the certificates of an activity's "
                             "attendees (.docx or .pdf), issuing serials on first print")
    certs.add_argument("--design", type=one_of(_designs()), metavar="NAME", default=None,
                       help="design: " + ", ".join(_designs())
                       + " (default: the activity's or the unit's)")
    certs.add_argument("--person", dest="persons", action="append", metavar="ID",
                       help="only this attendee (repeatable; default: all who attended)")
    for sub in (news, sheet, certs):
        sub.add_argument("--activity", required=True, metavar="ID",
                         help="the activity's id, or a unique beginning of it")
    periodic.add_argument("--from", dest="date_from", required=True, type=iso_date,
                          metavar="DATE")
    periodic.add_argument("--to", dest="date_to", required=True, type=iso_date,
                          metavar="DATE")
    letter.add_argument("--report", required=True, metavar="FILE",
                        help="the report the letter carries (listed among its enclosures)")
    letter.add_argument("--subject", required=True, metavar="TEXT",
                        help='the subject, written after "م/"')
    letter.add_argument("--to", dest="addressee", metavar="ADDRESSEE", default=None,
                        help="the addressee (default: the unit's default addressee)")
    for sub in (news, periodic, letter, sheet, certs):
        sub.add_argument("--out", required=True, metavar="FILE",
                         help="the file to write (.docx; certificates also .pdf)")
        sub.add_argument("--json", action="store_true", help="print JSON only")


def _designs() -> dict[str, str]:
    from models.certificate_style import DESIGNS

    return DESIGNS


def _add_common(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--db", metavar="PATH", default=default,
                        help="database file (default: $ITTISAL_DB or the user data folder)")
    parser.add_argument("--visual", action="store_true", default=default or False,
                        help="shape Arabic for terminals that do not (e.g. the Windows console)")


def _add_filters(parser: argparse.ArgumentParser, vocab: Any) -> None:
    parser.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE")
    parser.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE")
    parser.add_argument("--kind", type=one_of(vocab.ACTIVITY_KINDS), metavar="K",
                        help="activity kind: " + ", ".join(vocab.ACTIVITY_KINDS))
    statuses = {**vocab.ACTIVITY_STATUSES, **vocab.RECOMMENDATION_STATUSES}
    parser.add_argument("--status", type=one_of(statuses), metavar="S",
                        help="status: " + ", ".join(statuses))


# --- commands -------------------------------------------------------------------------

def open_db(args: argparse.Namespace, *, create: bool = False):
    """The database the command works on. Only ``demo`` (and the app) may create one: a
    mistyped ``--db`` must not quietly become a new, empty and "healthy" file."""
    from models.db import Database
    from models.errors import DatabaseError
    from models.paths import resolve_db_path

    path = resolve_db_path(args.db)
    if not create and not path.exists():
        arabic, english = MSG["no_db"]
        raise DatabaseError(arabic.format(path=path), english.format(path=path))
    return Database.open(path)


def cmd_demo(args: argparse.Namespace, out: Output) -> int:
    from models import demo

    with open_db(args, create=True) as db:
        summary = demo.generate(db, activities=args.activities, seed=args.seed)
    out.line(MSG["demo_done"][0].format(**vars(summary)))
    return 0


def activity_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "kind": row.kind, "title": row.title, "start_date": row.start_date,
        "end_date": row.end_date or row.start_date, "place": row.place, "status": row.status,
        "attendees": row.attendees, "participants_count": row.participants_count,
    }


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    from models import vocab
    from models.activities import ActivityFilter, list_activities

    where = ActivityFilter(date_from=args.date_from, date_to=args.date_to, kind=args.kind,
                           status=args.status)
    with open_db(args) as db:
        rows = list_activities(db, where, limit=args.limit)
    if args.json:
        print_json([activity_json(row) for row in rows])
        return 0
    if not rows:
        out.line(MSG["no_results"][0])
    for row in rows:
        out.line(f"{row.id[:8]}  {row.start_date}  {vocab.ACTIVITY_KINDS[row.kind]} — "
                 f"{row.title} — {row.place} ({row.participants})")
    return 0


def cmd_search(args: argparse.Namespace, out: Output) -> int:
    from models import search, vocab

    where = search.SearchFilter(types=tuple(args.types or ()), kind=args.kind,
                                status=args.status, date_from=args.date_from,
                                date_to=args.date_to)
    with open_db(args) as db:
        hits = search.search(db.conn, " ".join(args.query), limit=args.limit, where=where)
    if args.json:
        print_json([{"kind": h.type, "id": h.id, "title": h.title, "date": h.date,
                     "subtype": h.subtype, "status": h.status, "score": round(h.score, 4)}
                    for h in hits])
        return 0
    if not hits:
        out.line(MSG["no_results"][0])
    for h in hits:
        out.line(f"{h.id[:8]}  {vocab.RECORD_TYPES[h.type]}  {h.date or '':10}  {h.title}")
    return 0


def cmd_backup(args: argparse.Namespace, out: Output) -> int:
    from models import backup

    with open_db(args) as db:
        path = backup.take(db, to=Path(args.to) if args.to else None)
    if args.json:
        print_json({"backup": str(path)})
    else:
        out.line(MSG["backup_done"][0].format(path=path))
    return 0


def cmd_restore(args: argparse.Namespace, out: Output) -> int:
    from models import backup
    from models.paths import resolve_db_path

    safety = backup.restore(resolve_db_path(args.db), Path(args.file))
    if args.json:
        print_json({"restored_from": args.file, "previous_state": str(safety)})
    else:
        out.line(MSG["restore_done"][0].format(source=args.file, safety=safety))
    return 0


def cmd_check(args: argparse.Namespace, out: Output) -> int:
    from models import backup, records, store

    with open_db(args) as db:
        report = backup.check_connection(db.conn, db.path)
        from models.letters import Letter

        counts = {t.table: store.count(db, t) for t in (*records.RECORD_TYPES, Letter)}
    result = {"ok": report.ok, "path": str(report.path),
              "schema_version": report.schema_version,
              "known_version": report.known_version, "integrity": report.integrity,
              "foreign_keys": report.foreign_keys, "search_index": report.search_index,
              "counts": counts}
    if args.json:
        print_json(result)
    else:
        out.line(MSG["check_ok" if report.ok else "check_bad"][0])
        out.line(f"{CHECK_LABELS['path']}: {report.path}")
        out.line(f"{CHECK_LABELS['schema_version']}: {report.schema_version}")
        out.line(f"{CHECK_LABELS['integrity']}: {'; '.join(report.integrity[:10])}")
        out.line(f"{CHECK_LABELS['foreign_keys']}: {len(report.foreign_keys)}")
        out.line(f"{CHECK_LABELS['search_index']}: {report.search_index}")
        for table, number in counts.items():
            out.line(f"  {table}: {number}")
    return 0 if report.ok else 1


def cmd_import(args: argparse.Namespace, out: Output) -> int:
    from models import importer, records, store
    from models.importer_map import field_label

    with open_db(args) as db:
        activity_id = store.resolve_id(db, records.Activity, args.activity)
        activity = store.get(db, records.Activity, activity_id)
        result, table, mapping = importer.import_file(db, args.file, activity_id)
    if args.json:
        print_json({"activity_id": activity_id, "file": args.file, "sheet": table.sheet,
                    **result.as_json()})
        return 0
    sheet = MSG["import_sheet"][0].format(sheet=table.sheet) if table.sheet else ""
    out.line(MSG["import_head"][0].format(title=activity.title, file=table.source,
                                          sheet=sheet))
    columns = "، ".join(f"{name} ← «{header}»"
                        for name, header in importer.describe_mapping(table, mapping))
    out.line(MSG["import_columns"][0].format(columns=columns))
    out.line(MSG["import_added"][0].format(n=result.added))
    out.line(MSG["import_matched"][0].format(n=result.matched))
    out.line(MSG["import_skipped"][0].format(n=result.skipped, empty=result.empty,
                                             problems=len({p.row for p in result.problems}),
                                             on_list=result.on_list))
    for key, items in (("import_problems", result.problems),
                       ("import_duplicates", result.duplicates),
                       ("import_notes", result.notes)):
        if items:
            out.line(MSG[key][0])
        for item in items:
            if key == "import_problems":
                out.line(MSG["import_problem"][0].format(
                    row=item.row, label=field_label(item.field), message=item.message))
            elif key == "import_duplicates":
                where = (MSG["import_earlier_row"][0].format(row=item.matched_row)
                         if item.matched_row else "")
                out.line(MSG["import_duplicate"][0].format(
                    row=item.row, name=item.name, matched_name=item.matched_name,
                    reason=item.reason, where=where))
            else:
                out.line(MSG["import_note"][0].format(row=item.row, message=item.message))
    return 0


def _cannot_write(path: Path, exc: OSError):
    from models.errors import IttisalError

    reason = exc.strerror or exc.__class__.__name__
    arabic, english = MSG["cannot_write"]
    return IttisalError(arabic.format(path=path, reason=reason),
                        english.format(path=path, reason=reason))


def cmd_export(args: argparse.Namespace, out: Output) -> int:
    """Write a news report, periodic report, covering letter or attendance sheet."""
    from models import records, store

    path = Path(args.out)
    with open_db(args) as db:
        try:
            if args.what == "letter":
                return _export_letter(args, out, db, path)
            if args.what == "certificates":
                return _export_certificates(args, out, db, path)
            if args.what == "periodic":
                from exporters.periodic_report import write_periodic_report

                written = write_periodic_report(db, args.date_from, args.date_to, path)
            else:
                activity_id = store.resolve_id(db, records.Activity, args.activity)
                if args.what == "news":
                    from exporters.news_report import write_news_report

                    written = write_news_report(db, activity_id, path)
                else:
                    from exporters.attendance_sheet import write_attendance_sheet

                    written = write_attendance_sheet(db, activity_id, path)
        except OSError as exc:
            raise _cannot_write(path, exc) from exc
    if args.json:
        print_json({"file": str(written)})
    else:
        out.line(MSG["export_done"][0].format(path=written))
    return 0


def _export_certificates(args: argparse.Namespace, out: Output, db: Any, path: Path) -> int:
    import dataclasses

    from exporters.certificate_paint import ensure_gui_app
    from exporters.certificates import export_certificates
    from models import records, store
    from models.certificate_pages import attended
    from models.certificate_style import load_style

    activity_id = store.resolve_id(db, records.Activity, args.activity)
    persons = ([store.resolve_id(db, records.Person, p) for p in args.persons]
               if args.persons else None)
    style = load_style(db, activity_id)
    if args.design:
        style = dataclasses.replace(style, design=args.design)
    if path.suffix.lower() == ".pdf":
        ensure_gui_app()  # Qt draws the PDF; no window is shown
    written = export_certificates(db, activity_id, path, persons, style)
    count = len(dict.fromkeys(persons)) if persons else len(attended(db, activity_id))
    if args.json:
        print_json({"file": str(written), "certificates": count})
    else:
        out.line(MSG["export_done"][0].format(path=written))
    return 0


def _export_letter(args: argparse.Namespace, out: Output, db: Any, path: Path) -> int:
    from exporters.letter import write_letter
    from models.errors import IttisalError

    report = Path(args.report)
    if not report.is_file():
        arabic, english = MSG["no_report"]
        raise IttisalError(arabic.format(path=report), english.format(path=report))
    letter = write_letter(db, path, subject=args.subject, addressee=args.addressee,
                          enclosures=[report.name])
    if args.json:
        print_json({"file": str(path), "number": letter.number, "year": letter.year,
                    "date": letter.date, "sha256": letter.sha256})
    else:
        out.line(MSG["letter_done"][0].format(number=letter.number, year=letter.year,
                                              path=path))
    return 0


def cmd_verify(args: argparse.Namespace, out: Output) -> int:
    """Say whose certificate the text belongs to; exit 1 when it is not genuine."""
    from models import certificates

    with open_db(args) as db:
        result = certificates.verify(db, " ".join(args.text))
    if args.json:
        print_json(result.as_json())
    if not result.genuine:
        return fail(result.reason, result.reason_en, 1)
    if not args.json:
        cert, act = result.certificate, result.activity
        end = act.end_date or act.start_date
        dates = act.start_date if end == act.start_date else f"{act.start_date} – {end}"
        out.line(MSG["verify_ok"][0])
        out.line(MSG["verify_name"][0].format(name=cert.holder_name))
        out.line(MSG["verify_activity"][0].format(title=act.title))
        out.line(MSG["verify_dates"][0].format(dates=dates))
        out.line(MSG["verify_serial"][0].format(serial=cert.serial))
        out.line(MSG["verify_issued"][0].format(date=cert.issued_at[:10]))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Output], int]] = {
    "demo": cmd_demo,
    "list": cmd_list,
    "search": cmd_search,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "check": cmd_check,
    "import": cmd_import,
    "export": cmd_export,
    "verify": cmd_verify,
}


# --- errors ---------------------------------------------------------------------------

def log_path() -> Path:
    from models.paths import data_dir

    return data_dir() / "ittisal.log"


def report_bug(exc: BaseException) -> Path:
    """Append the traceback to the log in the data folder; return the log's path."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat()} {sys.argv!r}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        traceback.print_exception(exc)
    return path


def fail(arabic: str, english: str, code: int) -> int:
    sys.stderr.write(f"{arabic}\n{english}\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    from models.errors import IttisalError

    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.launch import launch  # Qt only when the app is wanted

        return launch(args.db)
    try:
        return COMMANDS[args.command](args, Output(wants_visual(args.visual)))
    except IttisalError as exc:
        return fail(exc.arabic, exc.english, 1)
    except CliError as exc:
        return fail(exc.arabic, exc.english, 2)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: log it, apologise, exit 1
        path = report_bug(exc)
        arabic, english = MSG["bug"]
        return fail(arabic.format(log=path), english.format(log=path), 1)


def run() -> None:
    """Console-script entry point."""
    if hasattr(sys.stdout, "reconfigure"):
        # Arabic must reach a Windows console or a pipe intact, whatever its code page.
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    raise SystemExit(main())


if __name__ == "__main__":
    run()
