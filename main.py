"""Ittisal's entry point: parse the command line, then start the app or run a command.

``python main.py [--db PATH] [COMMAND]``. Without a command the desktop app starts.
Commands that only read or write data never import Qt, so they start fast and run on
machines without a display. Errors go to stderr in Arabic with an English line under
it and exit 1; usage errors exit 2 (the same two lines); ``--help`` is in Arabic, then in
English. ``--json`` prints only JSON on stdout. A reader that
goes away (``list activities | head -1``) ends the command quietly, with exit 141 as a
program stopped by SIGPIPE. No ``--out`` or ``--to`` may name the database, its files or
folders, a backup or a key (:mod:`models.protected_paths`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import logging
import os
import re
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
    "demo_real": ("في قاعدة البيانات سجلات حقيقية؛ لن تُخلط بها بيانات تجريبية. لإضافتها "
                  "على أي حال أعد الأمر مع --into-existing.",
                  "The database holds real records; demo data will not be mixed into them. "
                  "To add it anyway, run the command again with --into-existing."),
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
    "not_number": ("«{value}» ليس عدداً صحيحاً", "{value!r} is not a whole number"),
    "too_big": ("يجب ألا يزيد العدد على {maximum}", "must not be more than {maximum}"),
    "period_year": ("السنة {year} خارج المدى المقبول للتقرير الدوري ({low}–{high})",
                    "the year {year} is outside the range of a periodic report "
                    "({low}–{high})"),
    "period_reversed": ("بداية المدة ({start}) بعد نهايتها ({end})؛ اكتب التاريخ الأقدم بعد "
                        "--from والأحدث بعد --to.",
                        "The period starts ({start}) after it ends ({end}); give the earlier "
                        "date after --from and the later after --to."),
    "period_missing": ("اذكر المدة: --period NAME، أو --from DATE و--to DATE معاً.",
                       "Give the period: --period NAME, or both --from DATE and --to DATE."),
    "period_twice": ("اذكر المدة مرة واحدة: إما --period وإما --from و--to، لا كليهما.",
                     "Give the period once: either --period or --from and --to, not both."),
    "bad_name": ("في اسم الملف «{path}» حروف ليست نصاً صالحاً (من ترميز آخر)؛ اكتب الاسم "
                 "من جديد.",
                 "The file name {path} holds bytes that are not valid text (another code "
                 "page); type the name again."),
    "bad_text": ("في «{value}» حروف ليست نصاً صالحاً (من ترميز آخر غير UTF-8)؛ اكتبه من جديد",
                 "{value} holds bytes that are not valid text (a code page other than "
                 "UTF-8); type it again"),
    "ends_in_slash": ("«{path}» ينتهي بـ «{sep}» فهو اسم مجلد، وهذا المجلد غير موجود؛ اكتب اسم "
                      "الملف المراد كتابته بعد اسم المجلد. لم يُغيَّر شيء.",
                      "{path} ends in {sep!r}, so it names a folder, and there is no such "
                      "folder; give the name of the file to write after the folder's. "
                      "Nothing was changed."),
    "cannot_read": ("تعذّرت قراءة الملف «{path}»: {reason}.", "Cannot read {path}: {reason}."),
    "folder_given": ("«{path}» مجلد وليس ملفاً؛ اكتب مسار الملف نفسه.",
                     "{path} is a folder, not a file; give the file's own path."),
    "letter_over_report": ("لا يُكتب الكتاب فوق التقرير الذي يرافقه («{path}»)؛ اختر اسماً "
                           "آخر بعد --out.",
                           "The letter is not written over the report it carries ({path}); "
                           "give another name after --out."),
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
    "import_possible": ("قد يكونون مسجلين من قبل (أُضيفوا جدداً؛ إن كانوا هم فادمجهم من صفحة "
                        "المشاركين):", ""),
    "import_notes": ("ملاحظات:", ""),
    "import_note": ("  الصف {row} — {message}", ""),
    "export_done": ("كُتب الملف: {path}", "Written: {path}"),
    "letter_done": ("كُتب الكتاب ذو العدد {number} لسنة {year}: {path}",
                    "Letter {number} of {year} written: {path}"),
    "cannot_write": ("تعذّر حفظ الملف في «{path}»: {reason}. تأكد من أن المجلد موجود ويمكن "
                     "الكتابة فيه، وأن الملف غير مفتوح في برنامج آخر.",
                     "Cannot save {path}: {reason}. Check that the folder exists and is "
                     "writable and that the file is not open elsewhere."),
    "waiting": ("قاعدة البيانات مشغولة ببرنامج آخر يكتب فيها؛ بانتظار انتهائه…",
                "The database is busy with another program writing to it; waiting for it "
                "to finish…"),
    "no_report": ("لا يوجد ملف التقرير «{path}» المراد إرفاقه بالكتاب.",
                  "The report {path} to enclose with the letter does not exist."),
    "verify_ok": ("شهادة صحيحة.", "Genuine certificate."),
    "approved": ("{id}  اعتُمد {what} «{title}» باسم {by}.", "{id}  approved by {by}."),
    "approved_activity": ("النشاط", "activity"),
    "approved_plan": ("المخطط", "plan"),
    "made_draft": ("أصبح النشاط «{title}» مسودة: عُدّل بعد اعتماده، فيُعتمد من جديد.",
                   "The activity “{title}” is a draft again: it was changed after its "
                   "approval, so it must be approved again."),
    "attendance_removed": ("رُفع «{name}» من قائمة حضور «{title}».",
                           "{name} was taken off the attendance of “{title}”."),
    "not_attending": ("«{name}» ليس في قائمة حضور «{title}». لم يتغيّر شيء.",
                      "{name} is not on the attendance of “{title}”. Nothing changed."),
    "persons_merged": ("دُمج «{drop}» في «{keep}».", "{drop} was merged into {keep}."),
    "no_unit": ("لا توجد وحدة يطابقها «{unit}».", "No unit matches {unit!r}."),
    "bundle_done": ("كُتبت حزمة البيانات: {path}\nالسجلات: {total} ({tables})؛ عُلّم مُرسَلاً: "
                    "{activities} نشاط و{plans} مخطط. البصمة SHA-256: {sha256}",
                    "Data bundle written: {path}"),
    "bundle_in": ("«{name}» من «{unit}»: أُضيف {added}، اُستبدل {replaced}، دون تغيير "
                  "{unchanged}، أقدم مما هنا {older}، تعارضات {conflicts}.",
                  "{name} from {unit}: imported."),
    "bundle_again": ("«{name}» من «{unit}»: استُوردت من قبل؛ لم يتغير شيء.",
                     "{name} from {unit}: imported before; nothing changed."),
    "bundle_first_key": ("أول حزمة من «{unit}»: سُجّل مفتاحها، وبصمته {fingerprint}. تأكد منها "
                         "مع الوحدة (هاتفياً مثلاً)؛ تُرفض بعد الآن أي حزمة لها بمفتاح آخر.",
                         "First bundle from {unit}: its key {fingerprint} is recorded."),
    "bundle_no_conflicts": ("لا تعارضات تنتظر المراجعة.", "No conflicts waiting."),
    "bundle_conflict": ("{id}\t{table}\t{record}\tالنسخة {version}\t{unit}\t{received}\t{title}",
                        "{id}\t{table}\t{record}\trevision {version}\t{unit}\t{received}"),
    "bundle_resolved_current": ("حُلّ التعارض رقم {id}: أُبقي السجل الحالي.",
                                "Conflict {id} resolved: the current record was kept."),
    "bundle_resolved_other": ("حُلّ التعارض رقم {id}: اعتُمدت النسخة الأخرى.",
                              "Conflict {id} resolved: the other version was adopted."),
    "bundle_centre": ("صارت قاعدة البيانات هذه مركز معلومات الوزارة.",
                      "This database is now a ministry centre."),
    "key_exported": ("كُتب المفتاح العام في «{path}»، وبصمته {fingerprint}.",
                     "Public key written to {path}; fingerprint {fingerprint}."),
    "verify_name": ("الاسم: {name}", "Name: {name}"),
    "verify_activity": ("النشاط: {title}", "Activity: {title}"),
    "verify_dates": ("التاريخ: {dates}", "Dates: {dates}"),
    "verify_serial": ("الرقم التسلسلي: {serial}", "Serial: {serial}"),
    "verify_issued": ("تاريخ الإصدار: {date}", "Issued: {date}"),
    "verify_reserved": ("التوقيع صحيح، لكن الشهادة غير معتمدة:", "Genuine signature, but:"),
    "backup_no_key": ("لا تحمل النسخة الاحتياطية مفتاح التوقيع الخاص بالوحدة؛ انسخه احتياطياً "
                      "ومشفّراً بالأمر: key backup --to FILE",
                      "The backup does not carry the unit's private signing key; back it up, "
                      "encrypted, with: key backup --to FILE"),
    "key_prompt": ("كلمة مرور نسخة المفتاح: ", "Key backup passphrase: "),
    "key_prompt_again": ("أعد كتابة كلمة المرور: ", "Passphrase again: "),
    "key_no_tty": ("لا توجد طرفية لطلب كلمة المرور؛ اكتبها في ملف ومرّره بالخيار "
                   "--passphrase-file.",
                   "No terminal to ask for the passphrase; put it in a file and give "
                   "--passphrase-file."),
    "key_pass_file": ("تعذّرت قراءة ملف كلمة المرور «{path}»: {reason}",
                      "Cannot read the passphrase file {path}: {reason}"),
    "key_backup_done": ("نُسخ مفتاح التوقيع (البصمة {fingerprint}) مشفّراً في: {path}\n"
                        "احفظ الملف وكلمة المرور في مكانين منفصلين؛ لا يمكن استرجاع المفتاح "
                        "بدون كلمة المرور.",
                        "The signing key ({fingerprint}) was backed up, encrypted, to {path}"),
    "key_restore_done": ("اُسترجع مفتاح التوقيع (البصمة {fingerprint}) للوحدة؛ يمكن إصدار "
                         "الشهادات به الآن.",
                         "The signing key ({fingerprint}) was restored for the unit."),
    "key_waiting": ("حُفظ مفتاح التوقيع (البصمة {fingerprint}) للوحدة {unit} في «{path}». "
                    "يُستعمل بعد استرجاع نسخة قاعدة بيانات هذه الوحدة: restore FILE.",
                    "The signing key ({fingerprint}) of unit {unit} was put in {path}. It "
                    "is used once this unit's database backup is restored: restore FILE."),
    "key_replace_done": ("أُنشئ مفتاح توقيع جديد، بصمته: {fingerprint}. تبقى الشهادات "
                         "السابقة قابلة للتحقق. انسخ المفتاح الجديد احتياطياً: key backup "
                         "--to FILE",
                         "A new signing key was made: {fingerprint}. Earlier certificates "
                         "keep verifying. Back the new key up: key backup --to FILE"),
    "key_no_db": ("لا توجد قاعدة بيانات في «{path}». على حاسوب جديد استرجع أولاً النسخة "
                  "الاحتياطية لقاعدة بيانات الوحدة (restore FILE) ثم المفتاح، أو أعد الأمر "
                  "مع --new-pc ليُحفظ المفتاح بانتظار قاعدة بياناتها.",
                  "There is no database at {path}. On a new computer restore the unit's "
                  "database backup first (restore FILE) and then the key, or run the "
                  "command again with --new-pc to keep the key until its database is "
                  "restored."),
    "key_show": ("مفتاح التوقيع الحالي: {fingerprint} (مفاتيح الوحدة: {n})",
                 "Current signing key: {fingerprint} ({n} keys of the unit)"),
    "key_show_ok": ("المفتاح الخاص موجود على هذا الحاسوب.",
                    "The private key is on this computer."),
    "key_show_none": ("لم يُنشأ مفتاح التوقيع بعد؛ يُنشأ عند إصدار أول شهادة.",
                      "No signing key yet; the first certificate makes it."),
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


# The words argparse itself writes into a help text, in Arabic.
HELP_WORDS = {
    "usage": "الاستعمال: ",
    "positionals": "الوسائط",
    "options": "الخيارات",
    "help": "اعرض هذه المساعدة واخرج",
}

#: A help text or description in both languages: (Arabic, English).
Twin = tuple[str, str]


class ArabicArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors in Arabic and English, with exit code 2, and
    whose help is in Arabic first, then in English.

    A ``help`` or ``description`` may be given as an (Arabic, English) pair; argparse
    keeps the English one, the Arabic one is kept beside it for :meth:`format_help`.
    """

    def __init__(self, *args: Any, description: str | Twin | None = None,
                 **kwargs: Any) -> None:
        arabic, english = description if isinstance(description, tuple) else (None,
                                                                               description)
        super().__init__(*args, description=english, **kwargs)
        self.arabic_description = arabic

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        twin = kwargs.get("help")
        if isinstance(twin, tuple):
            kwargs["help"] = twin[1]
        action = super().add_argument(*args, **kwargs)
        if isinstance(twin, tuple):
            action.arabic_help = twin[0]  # type: ignore[attr-defined]
        return action

    def add_subcommands(self, common: argparse.ArgumentParser, **kwargs: Any) -> Any:
        """``add_subparsers`` whose ``add_parser`` takes its help as an (Arabic, English)
        pair (also the sub-command's own description) and the common options."""
        action = self.add_subparsers(parser_class=ArabicArgumentParser, **kwargs)
        original = action.add_parser

        def add_parser(name: str, *, help: Twin, description: Twin | None = None,
                       **more: Any) -> ArabicArgumentParser:
            arabic, english = help
            parser = original(name, help=english, parents=[common],
                              description=description or help, **more)
            action._choices_actions[-1].arabic_help = arabic
            return parser

        action.add_parser = add_parser
        return action

    def format_help(self) -> str:
        return self._help_in_arabic() + "\n" + super().format_help()

    def _help_in_arabic(self) -> str:
        """The help with every text that has an Arabic twin in Arabic (the option names,
        metavars and choices are the same in both)."""
        swaps: list[tuple[Any, str, Any]] = [
            (self, "description", self.arabic_description),
            (self._positionals, "title", HELP_WORDS["positionals"]),
            (self._optionals, "title", HELP_WORDS["options"]),
        ]
        for action in self._actions:
            actions = [action, *getattr(action, "_choices_actions", [])]
            for one in actions:
                if isinstance(one, argparse._HelpAction):
                    swaps.append((one, "help", HELP_WORDS["help"]))
                elif hasattr(one, "arabic_help"):
                    swaps.append((one, "help", one.arabic_help))
        kept = [(obj, name, getattr(obj, name)) for obj, name, _value in swaps]
        try:
            for obj, name, value in swaps:
                setattr(obj, name, value)
            formatter = self._get_formatter()
            formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups,
                                prefix=HELP_WORDS["usage"])
            formatter.add_text(self.description)
            for group in self._action_groups:
                formatter.start_section(group.title)
                formatter.add_text(group.description)
                formatter.add_arguments(group._group_actions)
                formatter.end_section()
            return formatter.format_help()
        finally:
            for obj, name, value in kept:
                setattr(obj, name, value)

    def error(self, message: str) -> NoReturn:
        # Our own argument checks say "Arabic || English" after argparse's "argument
        # --kind: "; argparse's own messages are English, and said in Arabic from
        # ARGPARSE_ARABIC. The Arabic half may hold ": " itself (القيم المقبولة: …), so the
        # message is cut at the twin first.
        arabic_part, twin, english_detail = message.partition(TWIN)
        english_part = english_detail if twin else message
        head = ""
        if message.startswith("argument "):
            head, _, arabic_part = arabic_part.partition(": ")
            english_part = english_detail if twin else arabic_part
        if not twin:
            arabic_part = _argparse_in_arabic(arabic_part)
        arabic, english = MSG["usage"]
        self.print_usage(sys.stderr)
        name = head.removeprefix("argument ")
        arabic_head = (("الخيار " if name.startswith("-") else "الوسيط ") + name + ": "
                       if head else "")
        english_head = head + ": " if head else ""
        sys.stderr.write(arabic.format(detail=arabic_head + arabic_part) + "\n"
                         + english.format(detail=english_head + english_part) + "\n")
        raise SystemExit(2)


# argparse's own messages (Python 3.11 to 3.13), in Arabic; others are shown as they are.
ARGPARSE_ARABIC = (
    (re.compile(r"the following arguments are required: (.+)"), "هذه مطلوبة: {0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "لم تُعرف هذه الوسائط: {0}"),
    (re.compile(r"invalid choice: '(.*)' \(choose from (.+)\)"),
     "الاختيار «{0}» غير معروف؛ المقبول: {1}"),
    (re.compile(r"expected one argument"), "يحتاج قيمة واحدة بعده"),
    (re.compile(r"expected at least one argument"), "يحتاج قيمة واحدة في الأقل بعده"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"),
     "الخيار {0} يحتمل أكثر من معنى: {1}"),
)


def _argparse_in_arabic(message: str) -> str:
    for pattern, arabic in ARGPARSE_ARABIC:
        if match := pattern.fullmatch(message):
            return arabic.format(*match.groups())
    return message


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


def _twin(key: str, **values: Any) -> str:
    arabic, english = MSG[key]
    return arabic.format(**values) + TWIN + english.format(**values)


def whole_number(value: str) -> int:
    """A whole number, said in both languages when it is not one (exit 2)."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_twin("not_number", value=value[:60])) from None


def plain_text(value: str) -> str:
    """A text argument that can be stored and searched: bytes of another code page (kept
    by Python as lone surrogates) would fail in SQLite, so they are a usage error."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        shown = value[:60].encode("utf-8", "backslashreplace").decode("utf-8")
        raise argparse.ArgumentTypeError(_twin("bad_text", value=shown)) from None
    return value


def positive_int(value: str, maximum: int | None = None) -> int:
    """A whole number from 0 to ``maximum``; anything else is a usage error (exit 2)."""
    number = whole_number(value)
    if number < 0:
        raise argparse.ArgumentTypeError(_twin("negative"))
    if maximum is not None and number > maximum:
        raise argparse.ArgumentTypeError(_twin("too_big", maximum=f"{maximum:,}"))
    return number


#: The largest ``--limit``: SQLite's integers are 64-bit (one more overflows in the query).
MAX_LIMIT = 2**63 - 1
#: The most activities ``demo`` makes: beyond that it only fills memory and the disk.
MAX_DEMO_ACTIVITIES = 1_000_000
#: The years a periodic report may span; outside them a date is a typing slip, and a
#: report of 1–9999 would list 120,000 months.
PERIOD_YEARS = (1900, 2200)


def at_most(maximum: int) -> Callable[[str], int]:
    """The argument type of a count from 0 to ``maximum``."""
    check = functools.partial(positive_int, maximum=maximum)
    check.__name__ = "positive_int"  # type: ignore[attr-defined]  # argparse names it
    return check


def report_date(value: str) -> str:
    """A date of a periodic report: a date (see :func:`iso_date`) in :data:`PERIOD_YEARS`."""
    date = iso_date(value)
    low, high = PERIOD_YEARS
    if not low <= int(date[:4]) <= high:
        raise argparse.ArgumentTypeError(_twin("period_year", year=int(date[:4]), low=low,
                                               high=high))
    return date


def build_parser() -> argparse.ArgumentParser:
    from models import vocab

    parser = ArabicArgumentParser(prog="ittisal", description=(
        "اتصال: الأنشطة والمشاركون والتقارير لوحدة اتصال حكومي. بلا أمر يبدأ البرنامج المكتبي.",
        "اتصال — Ittisal: activities, attendees and reports of a government communication "
        "unit. Without a command, the desktop app starts."))
    _add_common(parser, None)
    # The same options after the command too (``ittisal search X --visual``); SUPPRESS
    # keeps a sub-command from overwriting a value given before it.
    common = ArabicArgumentParser(add_help=False)
    _add_common(common, argparse.SUPPRESS)
    commands = parser.add_subcommands(common, dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help=(
        "املأ قاعدة البيانات ببيانات تجريبية واقعية",
        "fill the database with realistic demo data"))
    demo.add_argument("--activities", type=at_most(MAX_DEMO_ACTIVITIES), default=200,
                      metavar="N", help=("عدد الأنشطة (200 إن لم يُذكر)",
                                         "how many activities (default: 200)"))
    demo.add_argument("--seed", type=whole_number, default=1, metavar="S",
                      help=("البذرة: البذرة نفسها تعطي البيانات نفسها (1 إن لم تُذكر)",
                            "the seed: one seed, the same data (default: 1)"))
    demo.add_argument("--into-existing", action="store_true", help=(
        "أضفها وإن كانت في قاعدة البيانات سجلات حقيقية",
        "add them even to a database that holds real records"))

    lister = commands.add_parser("list", help=("اعرض السجلات", "list records"))
    what = lister.add_subcommands(common, dest="what", metavar="WHAT", required=True)
    acts = what.add_parser("activities", help=("اعرض الأنشطة", "list activities"))
    _add_filters(acts, vocab)
    acts.add_argument("--limit", type=at_most(MAX_LIMIT), default=None, metavar="N",
                      help=("أكثر عدد من الأنشطة يُعرض", "show at most N activities"))
    acts.add_argument("--json", action="store_true", help=JSON_HELP)
    _add_list_recommendations(what, vocab)
    _add_list_coverage(what, vocab)
    _add_list_plans(what)
    for sub in what.choices.values():
        sub.add_argument("--unit", metavar="UNIT", type=plain_text, help=UNIT_HELP)

    search = commands.add_parser("search", help=(
        "ابحث في كل شيء، بحثاً يعرف العربية وصور كتابتها",
        "search everything, Arabic-aware"))
    search.add_argument("query", metavar="QUERY", nargs="+",
                        help=("كلمات البحث؛ * في آخر كلمة تطابق بدايتها",
                              "the words to find; a * after a word matches its beginning"))
    _add_filters(search, vocab)
    search.add_argument("--in", dest="types", action="append", metavar="TYPE",
                        type=one_of(vocab.RECORD_TYPES),
                        help=("في هذه الأنواع من السجلات فقط: " + ", ".join(vocab.RECORD_TYPES),
                              "only these record types: " + ", ".join(vocab.RECORD_TYPES)))
    search.add_argument("--limit", type=at_most(MAX_LIMIT), default=50, metavar="N",
                        help=("أكثر عدد من النتائج (50 إن لم يُذكر)",
                              "at most N results (default: 50)"))
    search.add_argument("--json", action="store_true", help=JSON_HELP)

    backup = commands.add_parser("backup", help=(
        "انسخ قاعدة البيانات احتياطياً (دون مفتاح التوقيع الخاص: انظر الأمر key)",
        "back up the database (never the private signing key: see the key command)"))
    backup.add_argument("--to", metavar="FILE", help=(
        "اكتب النسخة في هذا الملف بدل مجلد backups/ بجانب قاعدة البيانات",
        "write the backup here instead of backups/ beside the database"))
    backup.add_argument("--json", action="store_true", help=JSON_HELP)

    restore = commands.add_parser("restore", help=(
        "ضع نسخة احتياطية مكان قاعدة البيانات", "replace the database with a backup"))
    restore.add_argument("file", metavar="FILE", help=("ملف النسخة الاحتياطية",
                                                       "the backup file"))
    restore.add_argument("--json", action="store_true", help=JSON_HELP)
    _add_key(commands, common)
    _add_bundle(commands, common)

    check = commands.add_parser("check", help=(
        "افحص سلامة الملف والروابط بين السجلات وإصدار المخطط",
        "integrity, foreign keys and schema version"))
    check.add_argument("--json", action="store_true", help=JSON_HELP)

    _add_approve(commands)
    _add_attendance_and_persons(commands, common)
    importer = commands.add_parser("import", help=("استورد سجلات من ملف",
                                                   "import records from a file"))
    kinds = importer.add_subcommands(common, dest="what", metavar="WHAT", required=True)
    attendees = kinds.add_parser("attendees", help=(
        "استورد مشاركي نشاط من ملف .xlsx أو .xls أو .csv",
        "import an activity's attendees from .xlsx, .xls or .csv"))
    attendees.add_argument("--activity", required=True, metavar="ID", type=plain_text,
                           help=ACTIVITY_HELP)
    attendees.add_argument("file", metavar="FILE", help=(
        "ملف القائمة: FILE.xlsx أو FILE.xls أو FILE.csv", "FILE.xlsx, FILE.xls or FILE.csv"))
    attendees.add_argument("--json", action="store_true", help=JSON_HELP)
    _add_import_coverage(kinds)
    _add_export(commands, common)

    verify = commands.add_parser(
        "verify", help=("تحقق من شهادة بنص رمز QR فيها أو برمزها القصير",
                        "verify a certificate from its QR text or short code"),
        description=("تحقق من شهادة بنص رمز QR فيها أو برمزها القصير. رمز الخروج: 0 "
                     "صحيحة؛ 1 غير صحيحة؛ 3 التوقيع صحيح لكن نشاط الشهادة في سلة المحذوفات.",
                     "Verify a certificate from its QR text or short code. Exit status: 0 "
                     "genuine; 1 not genuine; 3 the signature is genuine but the "
                     "certificate's activity is in the recycle bin."))
    verify.add_argument("text", metavar="TEXT", nargs="+", help=(
        "سطر رمز QR (SERIAL|NAME|SIGNATURE) أو الرمز القصير",
        "the QR code's line (SERIAL|NAME|SIGNATURE) or the short code"))
    verify.add_argument("--json", action="store_true", help=JSON_HELP)
    return parser


JSON_HELP = ("اطبع JSON فقط", "print JSON only")
UNIT_HELP = ("سجلات هذه الوحدة فقط (في مركز الوزارة): بداية معرّفها أو اسم مديريتها",
             "only this unit's records (at a ministry centre): its id's beginning or its "
             "directorate's name")
ACTIVITY_HELP = ("معرّف النشاط، أو بداية منه لا تشبه غيره",
                 "the activity's id, or a unique beginning of it")
PASSPHRASE_HELP = ("اقرأ كلمة المرور من السطر الأول في هذا الملف (للنصوص البرمجية؛ بدونه "
                   "تسألك الطرفية)",
                   "read the passphrase from the first line of this file (for scripts; "
                   "without it the terminal asks)")


def _add_key(commands: Any, common: argparse.ArgumentParser) -> None:
    key = commands.add_parser("key", help=(
        "مفتاح توقيع الشهادات للوحدة: عرضه، نسخه مشفّراً، استرجاعه، استبداله",
        "the unit's certificate signing key: show, encrypted backup, restore, replace"))
    actions = key.add_subcommands(common, dest="what", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=(
        "بصمة المفتاح الحالي وهل مفتاحه الخاص على هذا الحاسوب",
        "the current key's fingerprint and whether its private key is on this computer"))
    backup = actions.add_parser("backup", help=(
        "اكتب المفتاح الخاص في ملف، مشفّراً بكلمة مرور",
        "write the private key, encrypted with a passphrase, to a file"))
    backup.add_argument("--to", required=True, metavar="FILE",
                        help=("الملف المراد كتابته", "the file to write"))
    restore = actions.add_parser("restore", help=(
        "أعد المفتاح الخاص من نسخته المشفّرة",
        "put the private key back from its encrypted backup"))
    restore.add_argument("file", metavar="FILE", help=("ملف نسخة المفتاح",
                                                       "the key backup file"))
    restore.add_argument("--new-pc", action="store_true", help=(
        "اقبل المفتاح دون مطابقته مع قاعدة البيانات هذه: لا قاعدة بيانات بعد (ينتظر قاعدة "
        "بيانات وحدته)، أو قاعدة لا تحمل أي مفتاح للوحدة (يصير مفتاحها)",
        "accept the key without checking it against this database: no database yet (it "
        "waits for its unit's database), or one that holds no key of the unit (it becomes "
        "the unit's key)"))
    replace = actions.add_parser("replace", help=(
        "أنشئ مفتاحاً جديداً؛ تبقى الشهادات السابقة قابلة للتحقق",
        "make a new key; earlier certificates keep verifying"))
    for sub in (backup, restore):
        sub.add_argument("--passphrase-file", metavar="FILE", help=PASSPHRASE_HELP)
    for sub in (show, backup, restore, replace):
        sub.add_argument("--json", action="store_true", help=JSON_HELP)


def _add_bundle(commands: Any, common: argparse.ArgumentParser) -> None:
    """``bundle export|import`` (models.data_bundle, models.bundle_merge) and ``keys
    export`` (the public key alone)."""
    bundle = commands.add_parser("bundle", help=(
        "حزم البيانات الموقّعة إلى مركز الوزارة: تصديرها واستيرادها",
        "signed data bundles for the ministry centre: export and import"))
    actions = bundle.add_subcommands(common, dest="what", metavar="ACTION", required=True)
    out = actions.add_parser("export", help=(
        "اكتب حزمة (‎.ittisal) بما اعتُمد أو تغيّر منذ آخر حزمة، وعلّمه مُرسَلاً",
        "write a bundle (.ittisal) of what was approved or changed since the last one, "
        "and mark it sent"))
    out.add_argument("--out", required=True, metavar="FILE", help=(
        "ملف الحزمة المراد كتابته", "the bundle file to write"))
    out.add_argument("--all", dest="full", action="store_true", help=(
        "كل السجلات أياً كانت حالتها (دون المفتاح الخاص أبداً)",
        "every record whatever its status (never the private key)"))
    into = actions.add_parser("import", help=(
        "استورد حزم الوحدات وادمجها (قاعدة بيانات جديدة تصير مركز الوزارة)",
        "import and merge units' bundles (a new database becomes a ministry centre)"))
    into.add_argument("files", metavar="BUNDLE", nargs="+", help=(
        "ملف حزمة أو أكثر", "one or more bundle files"))
    into.add_argument("--expect-fingerprint", metavar="FP", type=plain_text, help=(
        "ارفض أي حزمة لم يوقّعها المفتاح ذو هذه البصمة",
        "refuse any bundle not signed by the key with this fingerprint"))
    keys = commands.add_parser("keys", help=(
        "المفتاح العام للوحدة، لمركز يتحقق من الشهادات فقط",
        "the unit's public key, for a centre that only verifies certificates"))
    what = keys.add_subcommands(common, dest="what", metavar="ACTION", required=True)
    export = what.add_parser("export", help=(
        "اكتب المفتاح العام وحده (JSON فيه البصمة وصيغة PEM)",
        "write the public key alone (JSON with its fingerprint and PEM)"))
    export.add_argument("--out", required=True, metavar="FILE", help=(
        "الملف المراد كتابته", "the file to write"))
    listed = actions.add_parser("conflicts", help=(
        "التعارضات التي تنتظر المراجعة", "the conflicts waiting for a person"))
    resolve = actions.add_parser("resolve", help=(
        "حُلّ تعارضاً: أبقِ الحالي أو اعتمد النسخة الأخرى",
        "resolve a conflict: keep the current record or adopt the other version"))
    resolve.add_argument("conflict", metavar="ID", type=int, help=(
        "رقم التعارض (من bundle conflicts)", "the conflict's number (from bundle conflicts)"))
    resolve.add_argument("--keep", required=True, choices=("current", "other"), help=(
        "current: أبقِ السجل كما هو، other: اعتمد النسخة الأخرى",
        "current: keep the record as it is; other: adopt the other version"))
    for sub in (out, into, export, listed, resolve):
        sub.add_argument("--json", action="store_true", help=JSON_HELP)


def cmd_bundle(args: argparse.Namespace, out: Output) -> int:
    """Export a signed data bundle, or check and merge received ones."""
    from models import bundle_merge, data_bundle
    from models.errors import IttisalError

    if args.what == "export":
        target = _output_path(args, args.out)
        with open_db(args) as db:
            done = data_bundle.export(db, target, full=args.full)
        data = {"file": str(done.path), "sha256": done.sha256, "counts": done.counts,
                "full": done.full, "key_id": done.key_id, "sent": done.sent}
        if args.json:
            print_json(data)
            return 0
        tables = "، ".join(f"{t} {n}" for t, n in done.counts.items() if n)
        out.line(MSG["bundle_done"][0].format(
            path=done.path, total=sum(done.counts.values()), tables=tables or "—",
            activities=done.sent["activity"], plans=done.sent["plan"], sha256=done.sha256))
        return 0
    if args.what in ("conflicts", "resolve"):
        return _bundle_conflicts(args, out)
    for name in args.files:
        _input_file(Path(name))
        if not Path(name).exists():  # before a mistyped --db becomes a new, empty centre
            arabic, english = MSG["cannot_read"]
            raise IttisalError(arabic.format(path=name, reason="لا يوجد"),
                               english.format(path=name, reason="no such file"))
    results, code = [], 0
    with open_db(args, create=True) as db:
        for name in args.files:
            try:
                done = bundle_merge.import_bundle(db, Path(name),
                                                  expect_fingerprint=args.expect_fingerprint)
            except IttisalError as exc:
                code = fail(exc.arabic, exc.english, 1)
                results.append({"file": name, "refused": exc.english})
                continue
            results.append(done.as_json())
            if args.json:
                continue
            if done.became_centre:
                out.line(MSG["bundle_centre"][0])
            if done.already:
                out.line(MSG["bundle_again"][0].format(name=done.name, unit=done.unit_name))
                continue
            if done.first_key:
                out.line(MSG["bundle_first_key"][0].format(unit=done.unit_name,
                                                           fingerprint=done.fingerprint))
            out.line(MSG["bundle_in"][0].format(
                name=done.name, unit=done.unit_name, added=sum(done.added.values()),
                replaced=sum(done.replaced.values()), unchanged=done.unchanged,
                older=done.older, conflicts=done.conflicts))
    if args.json:
        print_json(results)
    return code


def _bundle_conflicts(args: argparse.Namespace, out: Output) -> int:
    """``bundle conflicts`` lists the unresolved conflicts; ``bundle resolve`` settles one
    (models.bundle_conflicts)."""
    from models import bundle_conflicts, outbox

    with open_db(args) as db:
        if args.what == "resolve":
            bundle_conflicts.resolve_conflict(db, args.conflict, args.keep)
            if args.json:
                print_json({"id": args.conflict, "keep": args.keep, "resolved": True})
            else:
                out.line(MSG[f"bundle_resolved_{args.keep}"][0].format(id=args.conflict))
            return 0
        rows = outbox.conflicts(db)
    if args.json:
        print_json([{"id": r.id, "table": r.table, "record_id": r.record_id,
                     "row_version": r.row_version, "unit_id": r.unit_id,
                     "unit_name": r.unit_name, "received_at": r.received_at,
                     "title": r.title} for r in rows])
        return 0
    if not rows:
        out.line(MSG["bundle_no_conflicts"][0])
    for r in rows:
        out.line(MSG["bundle_conflict"][0].format(
            id=r.id, table=r.table, record=r.record_id[:8], version=r.row_version,
            unit=r.unit_name or r.unit_id[:8], received=r.received_at[:16], title=r.title))
    return 0


def cmd_keys(args: argparse.Namespace, out: Output) -> int:
    """``keys export``: the unit's public key alone."""
    from models import data_bundle

    target = _output_path(args, args.out)
    with open_db(args) as db:
        path, fingerprint = data_bundle.public_key_export(db, target)
    if args.json:
        print_json({"file": str(path), "fingerprint": fingerprint})
    else:
        out.line(MSG["key_exported"][0].format(path=path, fingerprint=fingerprint))
    return 0


def _add_export(commands: Any, common: argparse.ArgumentParser) -> None:
    """``export KIND``: one sub-command per kind of :data:`exporters.registry.KINDS`, its
    arguments made from what the kind needs and from its own options."""
    from exporters import registry
    from models.dates import PERIODS

    exporter = commands.add_parser("export", help=("اكتب مستند Word (‎.docx)",
                                                   "write a Word document (.docx)"))
    kinds = exporter.add_subcommands(common, dest="what", metavar="WHAT", required=True)
    periods = ", ".join(cli_period(p) for p in PERIODS)
    for kind in registry.KINDS.values():
        sub = kinds.add_parser(kind.key, help=kind.help)
        if registry.ACTIVITY in kind.needs:
            sub.add_argument("--activity", required=True, metavar="ID", type=plain_text,
                             help=ACTIVITY_HELP)
        if registry.PLAN in kind.needs:
            sub.add_argument("--plan", required=True, metavar="ID", type=plain_text,
                             help=("معرّف المخطط، أو بداية منه لا تشبه غيره",
                                   "the plan's id, or a unique beginning of it"))
        if registry.PERIOD in kind.needs:
            sub.add_argument("--from", dest="date_from", type=report_date, metavar="DATE",
                             help=("أول يوم في المدة", "the period's first day"))
            sub.add_argument("--to", dest="date_to", type=report_date, metavar="DATE",
                             help=("آخر يوم في المدة", "the period's last day"))
            sub.add_argument("--period", type=period_name, metavar="NAME", help=(
                f"مدة مسماة بدل --from و--to: {periods} (this-month هذا الشهر، "
                "two-months الشهر الماضي والحالي، last-quarter الربع الماضي…)",
                f"a named period instead of --from and --to: {periods}"))
        if registry.REPORT in kind.needs:
            sub.add_argument("--report", required=True, metavar="FILE", help=(
                "التقرير الذي يحمله الكتاب (يُذكر بوصفه ما لم يُعطَ --enclosure)",
                "the report the letter carries (listed by its own description unless "
                "--enclosure is given)"))
        for option in kind.arguments:
            _add_option(sub, option)
        suffixes = " أو ".join(f"\u200e{s}" for s in kind.suffixes)
        sub.add_argument("--out", required=True, metavar="FILE", help=(
            f"الملف المراد كتابته ({suffixes})",
            f"the file to write ({' or '.join(kind.suffixes)})"))
        sub.add_argument("--json", action="store_true", help=JSON_HELP)


def _add_option(parser: argparse.ArgumentParser, option: Any) -> None:
    """The argument of one of a kind's own options (:class:`exporters.registry.Option`)."""
    more: dict[str, Any] = {"dest": option.field, "help": option.help}
    if option.kind == "flag":
        more["action"] = "store_true"
    elif option.kind == "switch":
        more.update(action=argparse.BooleanOptionalAction, default=None)
    else:
        more.update(metavar=option.metavar, required=option.required, default=None)
        if option.kind == "choice":
            choices = option.choices()
            names = ", ".join(choices)
            more["type"] = one_of(choices)
            more["help"] = tuple(text.format(choices=names) for text in option.help)
        else:
            more["type"] = plain_text
        if option.kind == "texts":
            more["action"] = "append"
    parser.add_argument(option.flag, **more)


def cli_period(name: str) -> str:
    """A named period of :data:`models.dates.PERIODS` as the command line writes it."""
    return name.replace("_", "-")


def period_name(value: str) -> str:
    """``--period``: one of :data:`models.dates.PERIODS`, written with "-" (``last-month``)."""
    from models.dates import PERIODS

    return one_of({cli_period(p): p for p in PERIODS})(value).replace("-", "_")


def _add_common(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--db", metavar="PATH", default=default, help=(
        "ملف قاعدة البيانات (إن لم يُذكر: ‎$ITTISAL_DB أو مجلد بيانات المستخدم)",
        "database file (default: $ITTISAL_DB or the user data folder)"))
    parser.add_argument("--visual", action="store_true", default=default or False, help=(
        "شكّل الحروف العربية للطرفيات التي لا تشكّلها (مثل طرفية Windows)",
        "shape Arabic for terminals that do not (e.g. the Windows console)"))


def _add_date_range(parser: Any, since: tuple[str, str], until: tuple[str, str]) -> None:
    """``--from``/``--to`` ISO dates (``date_from``/``date_to``) with their own help."""
    parser.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE", help=since)
    parser.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE", help=until)


def _add_filters(parser: argparse.ArgumentParser, vocab: Any) -> None:
    _add_date_range(parser, ("من هذا التاريخ", "from this date"),
                    ("إلى هذا التاريخ", "up to this date"))
    kinds = ", ".join(vocab.ACTIVITY_KINDS)
    parser.add_argument("--kind", type=one_of(vocab.ACTIVITY_KINDS), metavar="K",
                        help=("نوع النشاط: " + kinds, "activity kind: " + kinds))
    statuses = {**vocab.ACTIVITY_STATUSES, **vocab.RECOMMENDATION_STATUSES}
    parser.add_argument("--status", type=one_of(statuses), metavar="S",
                        help=("الحالة: " + ", ".join(statuses), "status: " + ", ".join(statuses)))


# --- commands -------------------------------------------------------------------------

def open_db(args: argparse.Namespace, *, create: bool = False):
    """The database the command works on. Only ``demo`` (and the app) may create one: a
    mistyped ``--db`` must not quietly become a new, empty and "healthy" file."""
    from models.db import Database
    from models.errors import DatabaseError
    from models.paths import resolve_db_path
    from models.pending_files import recovered

    path = resolve_db_path(args.db)
    if not create and not path.exists():
        arabic, english = MSG["no_db"]
        raise DatabaseError(arabic.format(path=path), english.format(path=path))
    # create=True still refuses a 0-byte file: a copy that failed is reported, not reused.
    db = Database.open(path, create=create)
    db.on_wait = _say_waiting
    return recovered(db)


def _say_waiting() -> None:
    """A write waited a second for another program: say why the command is not done."""
    arabic, english = MSG["waiting"]
    sys.stderr.write(f"{arabic}\n{english}\n")
    sys.stderr.flush()


def cmd_demo(args: argparse.Namespace, out: Output) -> int:
    from demo import removal
    from models.errors import IttisalError

    with open_db(args, create=True) as db:
        # A read-only file is refused by the write itself, with its own message.
        if not (args.into_existing or db.read_only) and removal.has_real_records(db):
            raise IttisalError(*MSG["demo_real"])  # the data's state, not usage: exit 1
        # Marked, so that the app's «حذف البيانات التجريبية» can take them out again.
        summary = removal.generate_marked(db, activities=args.activities, seed=args.seed)
    out.line(MSG["demo_done"][0].format(**vars(summary)))
    return 0


def activity_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "kind": row.kind, "title": row.title, "start_date": row.start_date,
        "end_date": row.end_date or row.start_date, "place": row.place, "status": row.status,
        "attendees": row.attendees, "participants_count": row.participants_count,
        "approved_by": row.approved_by, "approved_at": row.approved_at,
        "sent_at": row.sent_at, "changed_since_sent": row.changed_since_sent,
    }


def _add_approve(commands: Any) -> None:
    """``approve ID... [--by NAME]``: activities or plans, by id or a unique beginning."""
    approve = commands.add_parser("approve", help=(
        "اعتمد أنشطة أو مخططات باسم المعتمِد (المختار في الإعدادات أو مدير الوحدة)",
        "approve activities or plans in the approver's name (chosen in the settings, or "
        "the unit's head)"))
    approve.add_argument("ids", metavar="ID", nargs="+", type=plain_text, help=(
        "معرّف النشاط أو المخطط، أو بداية منه لا تشبه غيره",
        "an activity's or plan's id, or a unique beginning of it"))
    approve.add_argument("--by", metavar="NAME", type=plain_text, default=None, help=(
        "اسم المعتمِد بدل المختار في الإعدادات", "the approver's name instead of the "
        "one chosen in the settings"))
    approve.add_argument("--json", action="store_true", help=JSON_HELP)


def _add_attendance_and_persons(commands: Any, common: Any) -> None:
    """``attendance remove --activity ID PERSON`` and ``persons merge KEEP DROP``: edits
    of an activity's attendance, which make an approved or sent activity a draft again
    (the command line cannot ask first, so it says so afterwards)."""
    attendance = commands.add_parser("attendance", help=(
        "عدّل قائمة حضور نشاط", "change an activity's attendance"))
    actions = attendance.add_subcommands(common, dest="action", metavar="ACTION",
                                         required=True)
    remove = actions.add_parser("remove", help=(
        "ارفع مشاركًا من قائمة حضور نشاط", "take a person off an activity's attendance"))
    remove.add_argument("--activity", required=True, metavar="ID", type=plain_text,
                        help=ACTIVITY_HELP)
    remove.add_argument("person", metavar="PERSON", type=plain_text, help=(
        "معرّف المشارك أو بداية منه لا تشبه غيره", "the person's id or a unique beginning"))
    persons = commands.add_parser("persons", help=("سجلات المشاركين", "person records"))
    actions = persons.add_subcommands(common, dest="action", metavar="ACTION", required=True)
    merge = actions.add_parser("merge", help=(
        "ادمج سجلين لشخص واحد: ينتقل حضور الثاني وشهاداته إلى الأول",
        "merge two records of one person: the second's attendance and certificates move "
        "to the first"))
    merge.add_argument("keep", metavar="KEEP", type=plain_text, help=(
        "معرّف السجل الذي يبقى", "the id of the record that stays"))
    merge.add_argument("drop", metavar="DROP", type=plain_text, help=(
        "معرّف السجل الذي يُنقل إلى سلة المحذوفات", "the id of the record that goes to the bin"))


def _say_made_draft(out: Output, titles: list[str]) -> None:
    """One line (Arabic, then English) per approved or sent activity made a draft again."""
    arabic, english = MSG["made_draft"]
    for title in titles:
        out.line(arabic.format(title=title))
        out.line(english.format(title=title))


def cmd_attendance(args: argparse.Namespace, out: Output) -> int:
    """Take a person off an activity's attendance, in one transaction with the status
    rule (:func:`models.approval.touched`)."""
    from models import approval, attendance, records, store

    with open_db(args) as db:
        activity = store.get(db, records.Activity,
                             store.resolve_id(db, records.Activity, args.activity))
        person = store.get(db, records.Person, store.resolve_id(db, records.Person, args.person))
        row = db.scalar(f"SELECT id FROM {records.Attendance.table} WHERE activity_id = ? "
                        "AND person_id = ? AND deleted_at IS NULL", (activity.id, person.id))
        if row is None:
            from models.errors import IttisalError

            arabic, english = MSG["not_attending"]
            raise IttisalError(arabic.format(name=person.full_name, title=activity.title),
                               english.format(name=person.full_name, title=activity.title))
        before = approval.state(db, "activity", activity.id).status
        with approval.revision(db, "activity", activity.id):
            attendance.remove(db, row)
        after = approval.state(db, "activity", activity.id).status
    out.line(MSG["attendance_removed"][0].format(name=person.full_name, title=activity.title))
    if after != before:
        _say_made_draft(out, [activity.title])
    return 0


def cmd_persons(args: argparse.Namespace, out: Output) -> int:
    """Merge two records of one person (:func:`models.persons.merge_revising`)."""
    from models import persons, records, store

    with open_db(args) as db:
        keep = store.get(db, records.Person, store.resolve_id(db, records.Person, args.keep))
        drop = store.get(db, records.Person, store.resolve_id(db, records.Person, args.drop))
        _kept, revised = persons.merge_revising(db, keep.id, drop.id)
    out.line(MSG["persons_merged"][0].format(drop=drop.full_name, keep=keep.full_name))
    _say_made_draft(out, [activity.title for activity in revised])
    return 0


def cmd_approve(args: argparse.Namespace, out: Output) -> int:
    from models import approval, records, store
    from models.errors import NotFoundError

    with open_db(args) as db:
        chosen: dict[str, list[str]] = {"activity": [], "plan": []}
        for text in args.ids:
            try:
                chosen["activity"].append(store.resolve_id(db, records.Activity, text))
            except NotFoundError as missing:  # not an activity: a plan, or no record
                try:
                    chosen["plan"].append(store.resolve_id(db, records.Plan, text))
                except NotFoundError:
                    raise missing from None
        by = args.by if args.by is not None else approval.require_approver(db)
        with db.atomic():  # every id or none
            for kind, ids in chosen.items():
                if ids:
                    approval.approve(db, kind, ids, by=by)
        done = [(kind, record_id, approval.state(db, kind, record_id))
                for kind, ids in chosen.items() for record_id in ids]
        titles = {record_id: store.get(db, records.Activity if kind == "activity"
                                       else records.Plan, record_id).title
                  for kind, record_id, _state in done}
    if args.json:
        print_json([{"kind": kind, "id": record_id, "title": titles[record_id],
                     "status": state.status, "approved_by": state.approved_by,
                     "approved_at": state.approved_at} for kind, record_id, state in done])
        return 0
    for kind, record_id, state in done:
        out.line(MSG["approved"][0].format(
            id=record_id[:8], what=MSG[f"approved_{kind}"][0], title=titles[record_id],
            by=state.approved_by))
    return 0


def _add_list_recommendations(what: Any, vocab: Any) -> None:
    """``list recommendations``: filtered by their activity's date, status, overdue."""
    recs = what.add_parser("recommendations", help=(
        "اعرض التوصيات ومتابعتها", "list recommendations and their follow-up"))
    _add_date_range(recs, ("توصيات الأنشطة من هذا التاريخ", "of activities from this date"),
                    ("توصيات الأنشطة إلى هذا التاريخ", "of activities up to this date"))
    statuses = ", ".join(vocab.RECOMMENDATION_STATUSES)
    recs.add_argument("--status", type=one_of(vocab.RECOMMENDATION_STATUSES), metavar="S",
                      help=("الحالة: " + statuses, "status: " + statuses))
    recs.add_argument("--overdue", action="store_true", help=(
        "المتأخرة عن موعدها وحدها", "only those past their due date and not closed"))
    recs.add_argument("--json", action="store_true", help=JSON_HELP)


def cmd_list_recommendations(args: argparse.Namespace, out: Output) -> int:
    """``list recommendations``: JSON objects, or one line each."""
    from models import recommendations

    with open_db(args) as db:
        where = recommendations.RecommendationFilter(
            status=args.status, overdue=args.overdue, date_from=args.date_from,
            date_to=args.date_to, unit_id=_unit_ids(db, args))
        rows = recommendations.list_recommendations(db, where, today=dt.date.today())

    def line(row: Any) -> str:
        late = f" ({recommendations.OVERDUE_WORD})" if row.overdue else ""
        return (f"{row.id[:8]}  {row.due_date or '':10}  {row.status_label}{late} — "
                f"{row.text} — {row.addressed_to}")
    return _print_rows(args, out, rows, line)


def _add_list_coverage(what: Any, vocab: Any) -> None:
    """``list coverage``: media monitoring items, filtered by their date."""
    cov = what.add_parser("coverage", help=(
        "اعرض مواد الرصد الإعلامي", "list media coverage items"))
    _add_date_range(cov, ("المنشورة من هذا التاريخ", "published from this date"),
                    ("المنشورة إلى هذا التاريخ", "published up to this date"))
    cov.add_argument("--json", action="store_true", help=JSON_HELP)


def cmd_list_coverage(args: argparse.Namespace, out: Output) -> int:
    """``list coverage``: JSON objects, or one line each."""
    from models import coverage

    with open_db(args) as db:
        where = coverage.CoverageFilter(date_from=args.date_from, date_to=args.date_to,
                                        unit_id=_unit_ids(db, args))
        rows = coverage.list_items(db, where)
    return _print_rows(args, out, rows, lambda row: (
        f"{row.id[:8]}  {row.date}  {row.outlet} ({row.medium_label}، "
        f"{row.level_label}) — {row.tone_label} — {row.title}"))


def _add_list_plans(what: Any) -> None:
    """``list plans``: communication plans whose period meets --from/--to."""
    plans = what.add_parser("plans", help=(
        "اعرض مخططات الاتصال وعدد فقراتها بكل حالة",
        "list communication plans with a count of their items per status"))
    _add_date_range(plans, ("المخططات الممتدة إلى هذا التاريخ أو بعده",
                            "plans whose period reaches this date or later"),
                    ("المخططات التي تبدأ في هذا التاريخ أو قبله",
                     "plans whose period starts on or before this date"))
    plans.add_argument("--json", action="store_true", help=JSON_HELP)


def cmd_list_plans(args: argparse.Namespace, out: Output) -> int:
    """``list plans``: JSON objects, or one line each."""
    from models import plans, vocab

    with open_db(args) as db:
        rows = plans.list_plans(db, date_from=args.date_from, date_to=args.date_to,
                                unit_id=_unit_ids(db, args))

    def line(row: Any) -> str:
        counts = "، ".join(f"{vocab.PLAN_ITEM_STATUSES[s]} {n}"
                          for s, n in row.items.items() if n)
        return (f"{row.id[:8]}  {row.period_start} – {row.period_end}  {row.title}"
                + (f" ({counts})" if counts else ""))
    return _print_rows(args, out, rows, line)


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    if args.what == "plans":
        return cmd_list_plans(args, out)
    if args.what == "recommendations":
        return cmd_list_recommendations(args, out)
    if args.what == "coverage":
        return cmd_list_coverage(args, out)
    from models import vocab
    from models.activities import ActivityFilter, list_activities

    with open_db(args) as db:
        where = ActivityFilter(date_from=args.date_from, date_to=args.date_to,
                               kind=args.kind, status=args.status, unit_id=_unit_ids(db, args))
        rows = list_activities(db, where, limit=args.limit)
    return _print_rows(args, out, rows, lambda row: (
        f"{row.id[:8]}  {row.start_date}  {vocab.ACTIVITY_KINDS[row.kind]} — "
        f"{row.title} — {row.place} ({row.participants})"), as_json=activity_json)


def _print_rows(args: argparse.Namespace, out: Output, rows: Sequence[Any],
                line: Callable[[Any], str],
                as_json: Callable[[Any], Any] = lambda row: row.as_json()) -> int:
    """A list command's output: ``--json`` prints every row as JSON; otherwise one line a
    row, or the no-results line when there are none."""
    if args.json:
        print_json([as_json(row) for row in rows])
        return 0
    if not rows:
        out.line(MSG["no_results"][0])
    for row in rows:
        out.line(line(row))
    return 0


def _unit_ids(db: Any, args: argparse.Namespace) -> tuple[str, ...] | None:
    """``--unit``: the ids of the units it names, for a list's filter (None without it:
    every unit's rows)."""
    if not getattr(args, "unit", None):
        return None
    from models.bundle_merge import units

    chosen = units(db, args.unit)
    if not chosen:
        raise CliError("no_unit", unit=args.unit)
    return tuple(chosen)


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
    from models.errors import DatabaseError

    to = _output_path(args, args.to, purpose="backup") if args.to is not None else None
    with open_db(args) as db:
        try:
            path = backup.take(db, to=to)
        except OSError as exc:
            raise _cannot_write(to or db.path.parent, exc) from exc
        except DatabaseError as exc:
            if to is None or not isinstance(exc.__cause__, OSError):
                raise
            # The copy could not be written where the user said: the same words as for
            # every file the command line writes, with the name cut, not the raw error.
            raise _cannot_write(to, exc.__cause__) from exc
    if args.json:
        print_json({"backup": str(path)})
    else:
        out.line(MSG["backup_done"][0].format(path=path))
        out.line(MSG["backup_no_key"][0])
    return 0


def cmd_restore(args: argparse.Namespace, out: Output) -> int:
    from models import backup, certificates
    from models.paths import resolve_db_path

    _input_file(Path(args.file))
    safety = backup.restore(resolve_db_path(args.db), Path(args.file))
    with open_db(args) as db:
        state = certificates.key_state(db)
    if args.json:
        print_json({"restored_from": args.file, "previous_state": str(safety),
                    "signing_key": state.status})
    else:
        out.line(MSG["restore_done"][0].format(source=args.file, safety=safety))
        if state.status not in ("ok", "none"):
            # A backup never carries the private key: say so now, not at the next issue.
            fingerprint = certificates.fingerprint(state.current or {}) or "—"
            out.line(certificates.MSG[f"key_{state.status}"][0].format(
                fingerprint=fingerprint))
    return 0


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    """The passphrase: the first line of ``--passphrase-file``, or asked twice (for a
    backup) on the terminal, never echoed."""
    from models.errors import IttisalError
    from models.key_backup import check_passphrase

    if args.passphrase_file:
        path = Path(args.passphrase_file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc.__class__.__name__
            arabic, english = MSG["key_pass_file"]
            raise IttisalError(arabic.format(path=path, reason=reason),
                               english.format(path=path, reason=reason)) from exc
        lines = text.splitlines()
        return check_passphrase(lines[0] if lines else "")
    if not sys.stdin.isatty():
        raise CliError("key_no_tty")
    import getpass

    first = getpass.getpass(MSG["key_prompt"][0])
    if not confirm:
        return first
    check_passphrase(first)
    return check_passphrase(first, getpass.getpass(MSG["key_prompt_again"][0]))


def cmd_key(args: argparse.Namespace, out: Output) -> int:
    """Show, back up (encrypted), restore or replace the unit's signing key."""
    from models import certificates, key_backup
    from models.paths import keys_dir, resolve_db_path

    def say(key: str, data: dict[str, Any], **values: Any) -> int:
        if args.json:
            print_json(data)
        else:
            out.line(MSG[key][0].format(**values))
        return 0

    if args.what == "restore":
        path = resolve_db_path(args.db)
        if not path.exists() and not args.new_pc:
            from models.errors import DatabaseError

            arabic, english = MSG["key_no_db"]
            raise DatabaseError(arabic.format(path=path), english.format(path=path))
        if args.new_pc and not path.exists():
            done = key_backup.restore_without_database(path, args.file,
                                                       _passphrase(args, confirm=False))
        else:
            passphrase = _passphrase(args, confirm=False)
            with open_db(args) as db:
                done = key_backup.restore(db, args.file, passphrase, new_pc=args.new_pc)
        fingerprint = certificates.fingerprint({"id": done.key_id})
        data = {"key_id": done.key_id, "unit_id": done.unit_id, "waiting": done.waiting}
        if done.waiting:
            return say("key_waiting", data, fingerprint=fingerprint, unit=done.unit_id,
                       path=keys_dir(path) / f"{done.unit_id}.key")
        return say("key_restore_done", data, fingerprint=fingerprint)
    with open_db(args) as db:
        if args.what == "backup":
            # The name is checked (another code page, a trailing slash, a protected
            # place) before the passphrase is asked for.
            target = _output_path(args, args.to)
            passphrase = _passphrase(args, confirm=True)
            written = key_backup.write_backup(db, target, passphrase)
            kid = certificates.key_id(certificates.load_private_key(db))
            return say("key_backup_done", {"file": str(written), "key_id": kid},
                       fingerprint=certificates.fingerprint({"id": kid}), path=written)
        if args.what == "replace":
            kid = certificates.replace_key(db)
            return say("key_replace_done", {"key_id": kid},
                       fingerprint=certificates.fingerprint({"id": kid}))
        state = certificates.key_state(db)
    current = state.current or {}
    data = {"status": state.status, "key_id": current.get("id"), "keys": state.keys}
    if args.json:
        print_json(data)
        return 0
    if state.status == "none":
        out.line(MSG["key_show_none"][0])
        return 0
    out.line(MSG["key_show"][0].format(fingerprint=certificates.fingerprint(current) or "—",
                                       n=state.keys))
    if state.status == "ok":
        out.line(MSG["key_show_ok"][0])
        return 0
    message = certificates.MSG[f"key_{state.status}"]
    fingerprint = certificates.fingerprint(current) or "—"
    return fail(message[0].format(fingerprint=fingerprint),
                message[1].format(fingerprint=fingerprint), 1)


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


def _add_import_coverage(kinds: Any) -> None:
    """``import coverage FILE``: media monitoring items from a sheet with Arabic headers."""
    cov = kinds.add_parser("coverage", help=(
        "استورد مواد الرصد الإعلامي من ملف .xlsx أو .xls أو .csv",
        "import media coverage items from .xlsx, .xls or .csv"))
    cov.add_argument("--activity", metavar="ID", type=plain_text, help=(
        "النشاط الذي تغطيه المواد كلها (اختياري)",
        "the activity every item covers (optional)"))
    cov.add_argument("file", metavar="FILE", help=(
        "ملف الرصد: FILE.xlsx أو FILE.xls أو FILE.csv", "FILE.xlsx, FILE.xls or FILE.csv"))
    cov.add_argument("--json", action="store_true", help=JSON_HELP)


def cmd_import_coverage(args: argparse.Namespace, out: Output) -> int:
    """``import coverage``: new items written in one transaction, problems by row."""
    from models import coverage_import, records, store

    _input_file(Path(args.file))
    with open_db(args) as db:
        activity_id = (store.resolve_id(db, records.Activity, args.activity)
                       if args.activity else None)
        result, table, mapping = coverage_import.import_file(db, args.file,
                                                             activity_id=activity_id)
    if args.json:
        print_json({"file": args.file, "sheet": table.sheet, "activity_id": activity_id,
                    **result.as_json()})
        return 0
    for line in coverage_import.result_lines(result, table, mapping):
        out.line(line)
    return 0


def cmd_import(args: argparse.Namespace, out: Output) -> int:
    if args.what == "coverage":
        return cmd_import_coverage(args, out)
    from models import importer, records, store
    from models.importer_map import field_label

    _input_file(Path(args.file))
    with open_db(args) as db:
        activity_id = store.resolve_id(db, records.Activity, args.activity)
        activity = store.get(db, records.Activity, activity_id)
        result, table, mapping = importer.import_file(db, args.file, activity_id)
        made_draft = db.scalar("SELECT status FROM activities WHERE id = ?",
                               (activity_id,)) != activity.status
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
                       ("import_possible", result.possible_duplicates),
                       ("import_notes", result.notes)):
        if items:
            out.line(MSG[key][0])
        for item in items:
            if key == "import_problems":
                out.line(MSG["import_problem"][0].format(
                    row=item.row, label=field_label(item.field), message=item.message))
            elif key in ("import_duplicates", "import_possible"):
                where = (MSG["import_earlier_row"][0].format(row=item.matched_row)
                         if item.matched_row else "")
                out.line(MSG["import_duplicate"][0].format(
                    row=item.row, name=item.name, matched_name=item.matched_name,
                    reason=item.reason, where=where))
            else:
                out.line(MSG["import_note"][0].format(row=item.row, message=item.message))
    if made_draft:
        _say_made_draft(out, [activity.title])
    return 0


def _cannot_write(path: Path, exc: OSError):
    from models.errors import IttisalError

    reason = exc.strerror or exc.__class__.__name__
    shown = _short(str(path))
    arabic, english = MSG["cannot_write"]
    return IttisalError(arabic.format(path=shown, reason=reason),
                        english.format(path=shown, reason=reason))


def _short(text: str, limit: int = 120) -> str:
    """``text`` cut in the middle to about ``limit`` characters: a 300-character file name
    is shown by its beginning and its end (the folder and the extension), not whole twice."""
    if len(text) <= limit:
        return text
    keep = (limit - 1) // 2
    return text[:keep] + "…" + text[-keep:]


def _mode_of(path: Path, error: type) -> int | None:
    """``path``'s mode, None when it does not exist; ``error`` (an IttisalError class) with
    the "cannot read" message when it cannot even be looked at (a name too long, a folder
    without access)."""
    try:
        return path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        arabic, english = MSG["cannot_read"]
        shown = _short(str(path))
        raise error(arabic.format(path=shown, reason=reason),
                    english.format(path=shown, reason=reason)) from exc


def _input_file(path: Path) -> None:
    """A file the command reads (a backup, a spreadsheet, a report): refused when it is a
    folder or cannot even be looked at (a name too long, a folder without access). One that
    does not exist is left to the command, which says so in its own words."""
    import stat

    from models.errors import IttisalError

    mode = _mode_of(path, IttisalError)
    if mode is not None and stat.S_ISDIR(mode):
        arabic, english = MSG["folder_given"]
        raise IttisalError(arabic.format(path=path), english.format(path=path))


def _output_path(args: argparse.Namespace, value: str, *, purpose: str = "document") -> Path:
    """``--out``/``--to`` as a path, refused (before any work) when it is a folder or
    would overwrite the database, its files, its data folders, a backup or a key."""
    from models.errors import IttisalError
    from models.paths import resolve_db_path
    from models.protected_paths import refuse_protected_output

    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # bytes of another code page, kept as surrogates by Python
        shown = value.encode("utf-8", "backslashreplace").decode("utf-8")
        arabic, english = MSG["bad_name"]
        raise IttisalError(arabic.format(path=shown), english.format(path=shown)) from None
    separators = {os.sep, os.altsep} - {None}
    if value and value[-1] in separators and not os.path.isdir(value):
        # ``--out reports/`` meant a folder; pathlib would drop the slash and write a
        # file called "reports" with no extension.
        arabic, english = MSG["ends_in_slash"]
        raise IttisalError(arabic.format(path=_short(value), sep=value[-1]),
                           english.format(path=_short(value), sep=value[-1]))
    return refuse_protected_output(resolve_db_path(args.db), Path(value), purpose=purpose)


def cmd_export(args: argparse.Namespace, out: Output) -> int:
    """Write a document of a kind of :data:`exporters.registry.KINDS`."""
    from exporters import registry
    from models import store

    kind = registry.get(args.what)
    # Every check of the arguments before any work: nothing opened, issued or numbered.
    path = _output_path(args, args.out)
    values: dict[str, Any] = {}
    if registry.PERIOD in kind.needs:
        values["date_from"], values["date_to"] = _period(args)
    if registry.REPORT in kind.needs:
        values["report"] = Path(args.report)
        _check_report(values["report"], path)
    with open_db(args) as db:
        try:
            for need, record in registry.NEED_RECORDS.items():
                if need in kind.needs:
                    given = getattr(args, need)
                    values[registry.NEED_FIELDS[need][0]] = store.resolve_id(db, record, given)
            for option in kind.arguments:
                value = getattr(args, option.field)
                if option.record is not None and value is not None:
                    value = [store.resolve_id(db, option.record, v) for v in value]
                if option.kind == "texts" and value is not None:
                    value = tuple(value)
                values[option.field] = value
            options = kind.options(**{k: v for k, v in values.items() if v is not None})
            written = kind.write(db, options, path, None)
        except OSError as exc:
            raise _cannot_write(path, exc) from exc
    if args.json:
        print_json({"file": str(written.path), **written.details})
    elif written.letter is not None:
        out.line(MSG["letter_done"][0].format(number=written.letter.number,
                                              year=written.letter.year, path=written.path))
    else:
        out.line(MSG["export_done"][0].format(path=written.path))
    return 0


def _period(args: argparse.Namespace) -> tuple[str, str]:
    """The (from, to) of ``--period NAME`` or of ``--from`` and ``--to`` (one way, not
    both); a reversed period is a usage error."""
    from models.dates import period_range

    if args.period is not None:
        if args.date_from is not None or args.date_to is not None:
            raise CliError("period_twice")
        return period_range(args.period)
    if args.date_from is None or args.date_to is None:
        raise CliError("period_missing")
    if args.date_from > args.date_to:
        raise CliError("period_reversed", start=args.date_from, end=args.date_to)
    return args.date_from, args.date_to


def _check_report(report: Path, out: Path) -> None:
    """The report a letter carries exists, is a file, and is not where the letter goes."""
    from models.errors import IttisalError

    _input_file(report)
    try:
        report.name.encode("utf-8")
    except UnicodeEncodeError:  # its name is stored among the letter's enclosures
        shown = str(report).encode("utf-8", "backslashreplace").decode("utf-8")
        arabic, english = MSG["bad_name"]
        raise IttisalError(arabic.format(path=shown), english.format(path=shown)) from None
    if not report.is_file():
        arabic, english = MSG["no_report"]
        raise IttisalError(arabic.format(path=report), english.format(path=report))
    same = os.path.realpath(report) == os.path.realpath(out)
    try:
        same = same or (out.exists() and os.path.samefile(report, out))  # a hard link
    except OSError:  # the name cannot be looked at: writing it will say why
        pass
    if same:
        arabic, english = MSG["letter_over_report"]
        raise IttisalError(arabic.format(path=report), english.format(path=report))


# ``verify``'s exit code when the signature is the unit's but the certificate does not
# stand as it is (its activity is in the recycle bin): neither "genuine" (0) nor "not
# genuine" (1), so that a script can tell.
VERIFY_RESERVED = 3


def cmd_verify(args: argparse.Namespace, out: Output) -> int:
    """Say whose certificate the text belongs to; exit 1 when it is not genuine, 3 when
    its signature is genuine but its activity was deleted."""
    from models import certificates

    with open_db(args) as db:
        result = certificates.verify(db, " ".join(args.text))
    if args.json:
        print_json(result.as_json())
    reserved = result.status == "activity_deleted"
    if not result.genuine and not reserved:
        return fail(result.reason, result.reason_en, 1)
    if not args.json:
        cert, act = result.certificate, result.activity
        end = act.end_date or act.start_date
        dates = act.start_date if end == act.start_date else f"{act.start_date} – {end}"
        out.line(MSG["verify_reserved" if reserved else "verify_ok"][0])
        out.line(MSG["verify_name"][0].format(name=cert.holder_name))
        out.line(MSG["verify_activity"][0].format(title=act.title))
        out.line(MSG["verify_dates"][0].format(dates=dates))
        out.line(MSG["verify_serial"][0].format(serial=cert.serial))
        out.line(MSG["verify_issued"][0].format(date=cert.issued_at[:10]))
    if reserved:
        return fail(result.reason, result.reason_en, VERIFY_RESERVED)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Output], int]] = {
    "demo": cmd_demo,
    "list": cmd_list,
    "approve": cmd_approve,
    "attendance": cmd_attendance,
    "persons": cmd_persons,
    "search": cmd_search,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "check": cmd_check,
    "import": cmd_import,
    "export": cmd_export,
    "verify": cmd_verify,
    "key": cmd_key,
    "bundle": cmd_bundle,
    "keys": cmd_keys,
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


def _check_db_path(args: argparse.Namespace) -> None:
    """A ``--db`` (or $ITTISAL_DB) that cannot even be looked at (a name too long, a folder
    without access) is said so before any command opens it. A folder, a missing or an
    empty file is :func:`open_db`'s to report."""
    from models.errors import DatabaseError
    from models.paths import resolve_db_path

    _mode_of(resolve_db_path(args.db), DatabaseError)


#: The exit code when the reader of our output went away (``list … | head``): what a
#: program killed by SIGPIPE reports (128 + 13), as ``cat`` or ``grep`` would in a pipe.
BROKEN_PIPE = 141


def broken_pipe() -> int:
    """The reader of stdout has gone: stop quietly, as the Python documentation advises
    (point stdout at the null device, so that the flush at exit cannot fail again and
    print a traceback). Nothing is logged: it is not a bug."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (stdout replaced): nothing to do
        pass
    return BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    from models.errors import IttisalError

    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.launch import launch  # Qt only when the app is wanted

        return launch(args.db)
    try:
        _check_db_path(args)
        code = COMMANDS[args.command](args, Output(wants_visual(args.visual)))
        sys.stdout.flush()  # a reader that went away is seen here, not at exit
        return code
    except BrokenPipeError:
        return broken_pipe()
    except IttisalError as exc:
        return fail(exc.arabic, exc.english, 1)
    except CliError as exc:
        return fail(exc.arabic, exc.english, 2)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: log it, apologise, exit 1
        from models.errors import translate_sqlite_error

        # Busy, read-only, full disk, I/O: the environment's fault, said as such (and
        # not logged), wherever in the command the raw SQLite error came from.
        known = translate_sqlite_error(exc)
        if known is not None:
            return fail(known.arabic, known.english, 1)
        path = report_bug(exc)
        arabic, english = MSG["bug"]
        return fail(arabic.format(log=path), english.format(log=path), 1)


def run() -> None:
    """Console-script entry point."""
    if hasattr(sys.stdout, "reconfigure"):
        # Arabic must reach a Windows console or a pipe intact, whatever its code page.
        # A file name that is not valid UTF-8 (typed in another code page) is shown
        # escaped rather than ending the message, or the command, with an encoding error.
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
        sys.stderr.reconfigure(encoding="utf-8", errors="backslashreplace")
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    code = main()
    if code == 0:
        end_at_once()
    raise SystemExit(code)


def end_at_once() -> None:
    """End a command that succeeded without the interpreter's teardown, which frees every
    object and module one by one: 40-50 ms after a 500-certificate file, more than a
    tenth of the whole command. What that teardown does that matters is done first: the
    exit handlers run (logging's flush, multiprocessing's), the standard streams are
    flushed. Not where Qt is loaded (its objects are torn down in order), nor while a
    thread of ours still runs, nor under a profiler or a debugger (they write their
    findings after the command returns): then the usual exit. Returns only in those
    cases."""
    import atexit
    import threading

    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None or any(name.startswith("PySide6") for name in sys.modules):
        return
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return
    if any(not t.daemon and t is not threading.main_thread() for t in threading.enumerate()):
        return
    run_handlers()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # a stream that cannot be flushed: the usual exit says so
    os._exit(0)


if __name__ == "__main__":
    run()
