"""The command line, run as a user types it (through a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models import records, store
from models.db import Database

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, db: Path | None = None, env: dict[str, str] | None = None):
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTHONIOENCODING", None)
    cmd = [sys.executable, str(ROOT / "main.py")]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, encoding="utf-8",
                          env=full_env, timeout=120, cwd=ROOT)


def test_list_activities_as_json(cli_db):
    db_path, workshop = cli_db
    result = run("list", "activities", "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["title"] for r in rows] == [workshop.title, "الاجتماع الدوري لشبكة الاتصال"]
    first = rows[0]
    assert first["id"] == workshop.id
    assert (first["kind"], first["status"], first["place"]) == ("workshop", "approved",
                                                                 "جامعة كربلاء")
    assert (first["start_date"], first["end_date"]) == ("2026-11-22", "2026-11-23")
    assert first["attendees"] == 1
    assert rows[1]["attendees"] == 0


def test_list_filters(cli_db):
    db_path, workshop = cli_db
    by_kind = json.loads(run("list", "activities", "--kind", "meeting", "--json",
                             db=db_path).stdout)
    assert [r["kind"] for r in by_kind] == ["meeting"]
    by_label = json.loads(run("list", "activities", "--kind", "ورشة عمل", "--json",
                              db=db_path).stdout)
    assert [r["id"] for r in by_label] == [workshop.id]
    november = json.loads(run("list", "activities", "--from", "2026-11-01", "--to",
                              "٢٠٢٦-١١-٣٠", "--json", db=db_path).stdout)
    assert [r["id"] for r in november] == [workshop.id]
    sent = json.loads(run("list", "activities", "--status", "sent", "--json",
                          db=db_path).stdout)
    assert [r["status"] for r in sent] == ["sent"]


def test_list_human_readable_is_arabic(cli_db):
    db_path, _ = cli_db
    result = run("list", "activities", db=db_path)
    assert result.returncode == 0
    assert "ورشة عمل" in result.stdout and "جامعة كربلاء" in result.stdout


def test_visual_output_is_shaped_for_dumb_terminals(cli_db):
    db_path, _ = cli_db
    plain = run("search", "كربلاء", db=db_path).stdout
    shaped = run("search", "كربلاء", "--visual", db=db_path).stdout
    assert not any(0xFE70 <= ord(c) <= 0xFEFF for c in plain)
    assert any(0xFE70 <= ord(c) <= 0xFEFF for c in shaped)


def test_search_json_finds_a_hamza_variant(cli_db):
    db_path, workshop = cli_db
    result = run("search", "الإتصال", "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert {"kind", "id", "title", "date"} <= set(hits[0])
    assert workshop.id in [h["id"] for h in hits]
    kinds = {h["kind"] for h in json.loads(run("search", "الأسدي", "--json", db=db_path).stdout)}
    assert kinds == {"person"}


def test_search_limit_and_empty_result(cli_db):
    db_path, _ = cli_db
    assert len(json.loads(run("search", "الاتصال", "--limit", "1", "--json",
                              db=db_path).stdout)) == 1
    assert json.loads(run("search", "لاشيءيطابق", "--json", db=db_path).stdout) == []


def test_db_from_the_environment(cli_db):
    db_path, workshop = cli_db
    result = run("list", "activities", "--json", env={"ITTISAL_DB": str(db_path)})
    assert workshop.id in result.stdout


def test_usage_errors_exit_2_in_arabic_and_english(db_path):
    result = run("list", "activities", "--from", "2026-13-45", db=db_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert "التاريخ" in lines[-2] and "not a date" in lines[-1]
    assert run("frobnicate", db=db_path).returncode == 2
    assert run("list", "activities", "--kind", "party", db=db_path).returncode == 2
    assert result.stdout == ""


def test_data_errors_exit_1_in_arabic_then_english(tmp_path):
    not_db = tmp_path / "notes.sqlite3"
    not_db.write_text("hello")
    result = run("list", "activities", db=not_db)
    assert result.returncode == 1
    arabic, english = result.stderr.strip().splitlines()
    assert "ليس قاعدة بيانات" in arabic and "not an Ittisal database" in english
    assert not_db.read_text() == "hello"


@pytest.mark.parametrize("command", [("search", "x", "--json"), ("list", "activities"),
                                     ("check",), ("backup",)])
def test_a_mistyped_db_path_is_an_error_not_a_new_file(tmp_path, command):
    typo = tmp_path / "missing-dir" / "typo.sqlite3"
    result = run(*command, db=typo)
    assert result.returncode == 1
    assert result.stdout == ""
    arabic, english = result.stderr.strip().splitlines()
    assert "لا توجد قاعدة بيانات" in arabic and "no database" in english
    assert not typo.exists()


def test_demo_twice_with_one_seed_says_what_to_do(tmp_path):
    path = tmp_path / "d.sqlite3"
    assert run("demo", "--activities", "3", db=path).returncode == 0
    again = run("demo", "--activities", "3", db=path)
    assert again.returncode == 1
    assert "--seed 2" in again.stderr and "نعتذر" not in again.stderr


def test_backup_check_and_restore(cli_db, tmp_path):
    db_path, workshop = cli_db
    target = tmp_path / "copy.sqlite3"
    result = run("backup", "--to", str(target), "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"backup": str(target)}
    dated = run("backup", db=db_path)
    assert dated.returncode == 0 and "backups" in dated.stdout

    with Database.open(db_path) as db:
        store.delete(db, records.Activity, workshop.id)
    restored = run("restore", str(target), "--json", db=db_path)
    assert restored.returncode == 0, restored.stderr
    assert Path(json.loads(restored.stdout)["previous_state"]).exists()
    ids = [r["id"] for r in json.loads(run("list", "activities", "--json", db=db_path).stdout)]
    assert workshop.id in ids

    check = run("check", "--json", db=db_path)
    assert check.returncode == 0, check.stderr
    report = json.loads(check.stdout)
    assert report["ok"] and report["integrity"] == ["ok"] and report["foreign_keys"] == []
    assert report["schema_version"] == report["known_version"]
    assert report["counts"]["activities"] == 2
    assert "سليمة" in run("check", db=db_path).stdout


def test_check_fails_on_a_damaged_database(cli_db):
    db_path, _ = cli_db
    with Database.open(db_path) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("INSERT INTO attendance (id, unit_id, created_at, updated_at, activity_id, "
                   "person_id) VALUES ('x', ?, 'x', 'x', 'ghost', 'ghost')",
                   (db.local_unit_id,))
    result = run("check", db=db_path)
    assert result.returncode == 1
    assert "مشكلات" in result.stdout


def test_restore_of_garbage_exits_1_and_changes_nothing(cli_db, tmp_path):
    db_path, workshop = cli_db
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(os.urandom(8192))
    result = run("restore", str(garbage), db=db_path)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 2
    assert workshop.id in run("list", "activities", "--json", db=db_path).stdout


def test_demo_fills_and_is_deterministic(tmp_path):
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    assert run("demo", "--activities", "40", "--seed", "7", db=a).returncode == 0
    assert run("demo", "--activities", "40", "--seed", "7", db=b).returncode == 0
    list_a = json.loads(run("list", "activities", "--json", db=a).stdout)
    list_b = json.loads(run("list", "activities", "--json", db=b).stdout)
    assert len(list_a) == 40 and list_a == list_b
    assert json.loads(run("search", "ورشة", "--json", db=a).stdout)


def test_data_commands_do_not_import_qt(cli_db):
    db_path, _ = cli_db
    probe = (
        "import sys, main\n"
        f"code = main.main(['--db', {str(db_path)!r}, 'search', 'الاتصال', '--json'])\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken')))\n"
        "sys.stderr.write(repr(qt))\n"
        "raise SystemExit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "[]"


def test_app_without_display_says_so_in_one_line(db_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db_path)],
                            capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)
    if sys.platform.startswith("linux"):
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "DISPLAY" in lines[0] and "شاشة" in lines[0]


# --- messages in Arabic, then English (issue 11) ---------------------------------------

def usage_lines(result) -> tuple[str, str]:
    """The last two lines of a usage error: the Arabic one, then the English one."""
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    arabic, english = result.stderr.strip().splitlines()[-2:]
    return arabic, english


@pytest.mark.parametrize(("args", "value", "options"), [
    (("list", "activities", "--kind", "party"), "party", "workshop"),
    (("search", "ورشة", "--status", "lost"), "lost", "draft"),
    (("export", "certificates", "--activity", "x", "--out", "c.pdf", "--design", "fancy"),
     "fancy", "formal, modern, minimal"),
])
def test_a_wrong_choice_is_said_in_arabic_then_in_english(db_path, args, value, options):
    arabic, english = usage_lines(run(*args, db=db_path))
    assert "||" not in arabic and "||" not in english
    assert arabic.startswith("استعمال غير صحيح للأمر: الخيار --")
    assert f"القيمة «{value}» غير معروفة؛ القيم المقبولة: " in arabic and options in arabic
    assert english.startswith("Usage error: argument --")
    assert f"'{value}' is not known; use one of: " in english and options in english
    assert not any("\u0600" <= ch <= "\u06ff" for ch in english)


@pytest.mark.parametrize(("args", "arabic_text", "english_text"), [
    (("frobnicate",), "الاختيار «frobnicate» غير معروف", "invalid choice: 'frobnicate'"),
    (("export", "news", "--out", "n.docx"), "هذه مطلوبة: --activity",
     "the following arguments are required: --activity"),
    (("list", "activities", "--bogus"), "لم تُعرف هذه الوسائط: --bogus",
     "unrecognized arguments: --bogus"),
    (("list", "activities", "--limit"), "الخيار --limit: يحتاج قيمة واحدة بعده",
     "argument --limit: expected one argument"),
])
def test_argparse_own_errors_are_said_in_arabic_too(db_path, args, arabic_text, english_text):
    arabic, english = usage_lines(run(*args, db=db_path))
    assert arabic.startswith("استعمال غير صحيح للأمر: ") and arabic_text in arabic
    assert english.startswith("Usage error: ") and english_text in english


@pytest.mark.parametrize("command", [(), ("demo",), ("list",), ("list", "activities"),
                                     ("search",), ("import", "attendees"),
                                     ("export", "certificates"), ("export", "periodic"),
                                     ("key", "backup"), ("verify",), ("check",)])
def test_help_is_in_arabic_first_then_in_english(command):
    result = run(*command, "--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    arabic_at, english_at = text.find("الاستعمال: ittisal"), text.find("usage: ittisal")
    assert 0 == arabic_at < english_at
    arabic, english = text[:english_at], text[english_at:]
    assert "الخيارات:" in arabic and "اعرض هذه المساعدة واخرج" in arabic
    assert "options:" in english and "show this help message and exit" in english
    # Every option's and sub-command's help line has its Arabic twin: no English
    # sentence is left in the Arabic half (option names and metavars are Latin in both).
    for line in arabic.splitlines():
        words = [w for w in line.split() if w.isalpha() and w.isascii() and w.islower()
                 and len(w) > 3 and w not in ("ittisal", "formal", "modern", "minimal")]
        assert len(words) < 2 or any("\u0600" <= ch <= "\u06ff" for ch in line), line


def test_import_says_which_new_persons_may_be_known_already(db_path, tmp_path):
    with Database.open(db_path, create=True) as db:
        workshop = store.insert(db, records.Activity(title="ورشة الاتصال",
                                                     start_date="2026-11-22"))
        store.insert(db, records.Person(full_name="علي عبد الزهرة كاظم الموسوي",
                                        entity="مديرية تربية كربلاء"))
    path = tmp_path / "list.csv"
    path.write_text("الاسم,الجهة\nعلي عبدالزهرة كاظم,مديرية تربية كربلاء\n"
                    "عبد الله حسين علي,جامعة كربلاء\nعبدالله حسين علي,جامعة كربلاء\n",
                    encoding="utf-8")
    result = run("import", "attendees", "--activity", workshop.id, str(path), db=db_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "أُضيف مشاركون جدد: 2" in lines and "طوبقوا مع مشاركين موجودين: 1" in lines
    assert "  الصف 4 — عبدالله حسين علي ← عبد الله حسين علي (الاسم نفسه)، الصف 3" in lines
    at = lines.index("قد يكونون مسجلين من قبل (أُضيفوا جدداً؛ إن كانوا هم فادمجهم من صفحة "
                     "المشاركين):")
    assert lines[at + 1] == ("  الصف 2 — علي عبدالزهرة كاظم ← علي عبد الزهرة كاظم الموسوي "
                             "(بداية الاسم نفسها والجهة نفسها)")
    again = run("import", "attendees", "--activity", workshop.id, str(path), "--json",
                db=db_path)
    # Row 2 was added as a person of its own: the second time it is that person.
    out = json.loads(again.stdout)
    assert out["possible_duplicates"] == []
    assert [(d["row"], d["reason"]) for d in out["duplicates"]] == [
        (2, "الاسم نفسه"), (3, "الاسم نفسه"), (4, "الاسم نفسه")]
