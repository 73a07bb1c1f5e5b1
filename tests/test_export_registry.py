"""The one list of document kinds (issue 12): every kind declared once in
:mod:`exporters.registry`, and the command line, the app's export menu and these tests
all iterating over it; named periods on a fixed "today"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest

import main
from exporters import registry
from models import attendance, records, store
from models.dates import PERIODS, period_range
from models.db import Database
from models.periodic import period_label
from tests.conftest import karbala_workshop
from tests.test_cli import run

PERIOD = ("2026-10-01", "2026-12-31")


def document_text(path: Path) -> str:
    """Every piece of text in a written .docx (body, tables, text boxes, headers), read
    back from its XML, with no-break spaces as spaces; a PDF's raw bytes as Latin-1
    (enough to see it is one)."""
    if path.suffix == ".pdf":
        return path.read_bytes().decode("latin-1")
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist() if re.fullmatch(r"word/(document|header\d*)"
                                                               r"\.xml", n)]
        xml = "".join(package.read(n).decode("utf-8") for n in parts)
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    # a date's no-break spaces and joiners (models.wording) read as plain spaces here
    return text.replace("\u00a0", " ").replace("\u2060", "")


@pytest.fixture
def filled(db, tmp_path):
    """A workshop with two attendees in the period, a plan, and a news report on disk for
    a letter to carry: what any kind may need."""
    workshop = store.insert(db, karbala_workshop())
    for name in ("زينب علي حسين الأسدي", "علي كاظم جواد"):
        person = store.insert(db, records.Person(full_name=name))
        attendance.add(db, workshop.id, person.id)
    plan = store.insert(db, records.Plan(title="مخطط الاتصال لتشرين الثاني",
                                         period_start="2026-11-01",
                                         period_end="2026-12-31"))
    report = tmp_path / "تقرير خبري.docx"
    registry.get("news").write(db, registry.NewsOptions(workshop.id), report, None)
    return {"activity_id": workshop.id, "date_from": PERIOD[0], "date_to": PERIOD[1],
            "report": report, "plan_id": plan.id, "subject": "التقرير الخبري عن الورشة"}


def options_for(kind: registry.DocumentKind, needs: dict) -> object:
    """The kind's options with its needs filled from ``needs`` and its own choices left
    at their defaults (a required choice gets a plain value)."""
    values = {name: needs[name] for need in kind.needs
              for name in registry.NEED_FIELDS[need]}
    for field in dataclasses.fields(kind.options):
        if field.name not in values and field.default is dataclasses.MISSING \
                and field.default_factory is dataclasses.MISSING:
            values[field.name] = needs.get(field.name, "نص")
    return kind.options(**values)


# --- one list ---------------------------------------------------------------------------

def test_every_kind_is_declared_once_with_what_it_needs():
    keys = list(registry.KINDS)
    assert keys[:5] == ["news", "attendance", "certificates", "periodic", "letter"]
    assert len(keys) == len(set(keys))
    assert len({k.menu for k in registry.KINDS.values()}) == len(keys)  # menus tell apart
    for key, kind in registry.KINDS.items():
        assert kind.key == key and kind.name and kind.menu and all(kind.help)
        assert set(kind.needs) <= set(registry.NEEDS)
        assert dataclasses.is_dataclass(kind.options)
        assert kind.suffixes and all(s.startswith(".") for s in kind.suffixes)
    assert registry.get("news").needs == (registry.ACTIVITY,)
    assert registry.get("periodic").needs == (registry.PERIOD,)
    assert registry.get("letter").needs == (registry.REPORT,)
    with pytest.raises(ValueError, match="declared twice"):
        registry.register(registry.get("news"))
    with pytest.raises(ValueError, match="unknown document kind"):
        registry.get("brochure")


def test_the_app_keeps_no_list_of_its_own():
    from ui import export

    assert export.KINDS == tuple(registry.KINDS)
    assert export.LETTER_REPORTS == ("news", "periodic")
    for kind in registry.KINDS.values():
        assert export.TEXT[kind.key] == kind.name
        assert export.TEXT[f"{kind.key}_menu"] == kind.menu


def test_export_help_lists_exactly_the_registry_kinds():
    result = run("export", "--help")
    assert result.returncode == 0, result.stderr
    english = result.stdout[result.stdout.index("usage: ittisal"):]
    commands = english[english.index("positional arguments:"):english.index("options:")]
    listed = re.findall(r"^    ([a-z][a-z-]*)(?= |$)", commands, flags=re.MULTILINE)
    assert listed == list(registry.KINDS)
    words = " ".join(result.stdout.split())
    for kind in registry.KINDS.values():  # each with its help, in Arabic and English
        assert " ".join(kind.help[0].split()) in words
        assert " ".join(kind.help[1].split()) in words


def test_the_app_menu_entries_come_from_the_registry(qtbot, ctx, parent):
    from PySide6.QtWidgets import QMenu

    from ui import export_menu

    menu = QMenu(parent)
    chosen = []
    activity_entries = export_menu.fill_menu(menu, parent, ctx, lambda: chosen and chosen[-1])
    entries = [a for a in menu.actions() if not a.isSeparator()]
    # Every kind whose needs a list page can ask for (a plan's documents and the network's
    # plan are asked for from the plans page).
    offered = registry.general_menu_kinds()
    assert not any(registry.PLAN in k.needs or k.key == "network-plan" for k in offered)
    assert {need for k in offered for need in k.needs} <= {
        registry.ACTIVITY, registry.PERIOD, registry.REPORT}
    assert [a.text() for a in entries] == [k.menu for k in offered]
    assert [a.objectName() for a in entries] == [f"export_{k.key}" for k in offered]
    # The activity's documents come first, then a separator, then the others.
    of_activity = registry.kinds_needing(registry.ACTIVITY)
    assert [a.text() for a in activity_entries] == [k.menu for k in of_activity]
    assert menu.actions()[len(of_activity)].isSeparator()


def test_a_kind_declared_once_is_in_the_menu_and_on_the_command_line(
        qtbot, ctx, parent, monkeypatch, db, db_path, tmp_path, capsys):
    """Adding a kind is one declaration: the menu offers it, ``export`` writes it."""
    from PySide6.QtWidgets import QMenu

    from ui import export_menu

    @dataclasses.dataclass(frozen=True)
    class ProgrammeOptions:
        activity_id: str
        copies: int = 1

    def write(db, options, path, progress):
        import docx

        document = docx.Document()
        document.add_paragraph(store.get(db, records.Activity, options.activity_id).title)
        document.save(path)
        return registry.Written(Path(path))

    kind = registry.DocumentKind(
        key="programme", name="برنامج النشاط", menu="برنامج النشاط",
        help=("برنامج النشاط", "the activity's programme"), needs=(registry.ACTIVITY,),
        options=ProgrammeOptions, write=write,
        file_name=lambda db, options, style: "برنامج.docx")
    monkeypatch.setattr(registry, "KINDS", dict(registry.KINDS))
    registry.register(kind)

    menu = QMenu(parent)
    activity_entries = export_menu.fill_menu(menu, parent, ctx, lambda: None)
    assert "برنامج النشاط" in [a.text() for a in activity_entries]

    workshop = store.insert(db, karbala_workshop())
    out = tmp_path / "برنامج.docx"
    code = main.main(["--db", str(db_path), "export", "programme", "--activity",
                      workshop.id[:8], "--out", str(out), "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {"file": str(out)}
    assert workshop.title in document_text(out)


# --- each kind writes a real document ------------------------------------------------------

@pytest.mark.parametrize("key", list(registry.KINDS))
def test_each_kind_writes_its_document_through_the_registry(db, filled, tmp_path, key):
    from models.dates import DateStyle

    kind = registry.get(key)
    options = options_for(kind, filled)
    name = kind.file_name(db, options, DateStyle())
    assert Path(name).suffix in kind.suffixes and "/" not in name
    path = tmp_path / "out" / name
    path.parent.mkdir()
    steps = []
    written = kind.write(db, options, path, lambda done, total: steps.append((done, total)))
    assert isinstance(written, registry.Written) and written.path == path
    assert path.is_file() and sorted(p.name for p in path.parent.iterdir()) == [name]
    text = document_text(path)
    assert len(text) > 40
    if registry.ACTIVITY in kind.needs and key != "certificates":
        assert "ورشة تطويرية" in text
    if key == "certificates":
        assert written.details == {"certificates": 2}
        assert "زينب علي حسين الأسدي" in text
    if registry.PERIOD in kind.needs:
        assert "الربع الرابع" in text
    if key == "letter":
        assert written.letter is not None and written.letter.number == 1
        assert "التقرير الخبري عن الورشة" in text


@pytest.mark.parametrize("key", list(registry.KINDS))
def test_each_kind_is_written_by_the_command_line(filled, db_path, tmp_path, key):
    kind = registry.get(key)
    args = []
    if registry.ACTIVITY in kind.needs:
        args += ["--activity", filled["activity_id"][:8]]
    if registry.PERIOD in kind.needs:
        args += ["--from", PERIOD[0], "--to", PERIOD[1]]
    if registry.REPORT in kind.needs:
        args += ["--report", str(filled["report"])]
    if registry.PLAN in kind.needs:
        args += ["--plan", filled["plan_id"]]
    for option in kind.arguments:
        if option.required:
            args += [option.flag, filled.get(option.field, "نص")]
    out = tmp_path / f"{key}{kind.suffixes[0]}"
    result = run("export", key, *args, "--out", str(out), "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["file"] == str(out)
    assert out.is_file() and len(document_text(out)) > 40


# --- named periods -------------------------------------------------------------------------

def test_named_periods_on_a_fixed_today():
    today = dt.date(2026, 1, 15)
    assert {name: period_range(name, today) for name in PERIODS} == {
        "this_month": ("2026-01-01", "2026-01-31"),
        "last_month": ("2025-12-01", "2025-12-31"),
        "two_months": ("2025-12-01", "2026-01-31"),
        "this_quarter": ("2026-01-01", "2026-03-31"),
        "last_quarter": ("2025-10-01", "2025-12-31"),
        "this_year": ("2026-01-01", "2026-12-31"),
        "last_year": ("2025-01-01", "2025-12-31"),
    }
    assert period_range("last-month", today) == ("2025-12-01", "2025-12-31")
    leap = dt.date(2028, 3, 31)
    assert period_range("last_month", leap) == ("2028-02-01", "2028-02-29")
    assert period_range("two_months", leap) == ("2028-02-01", "2028-03-31")
    assert period_range("last_quarter", dt.date(2026, 8, 31)) == ("2026-04-01", "2026-06-30")
    with pytest.raises(ValueError):
        period_range("next_month", today)


def test_the_app_and_the_command_line_share_the_periods():
    from ui import export

    assert export.PERIODS == (*PERIODS, "custom")
    assert export.period_range is period_range
    assert set(export.TEXT["periods"]) == set(export.PERIODS)


def test_export_periodic_with_a_named_period(cli_db, tmp_path):
    db_path, _ = cli_db
    out = tmp_path / "الشهر الماضي.docx"
    first, last = period_range("last_month")
    result = run("export", "periodic", "--period", "last-month", "--out", str(out),
                 "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"file": str(out)}
    assert period_label(first, last) in document_text(out)


@pytest.mark.parametrize(("args", "arabic", "english"), [
    (["--period", "last-month", "--from", "2026-01-01"], "اذكر المدة مرة واحدة",
     "Give the period once"),
    (["--from", "2026-01-01"], "اذكر المدة: --period NAME", "Give the period"),
    ([], "اذكر المدة: --period NAME", "Give the period"),
    (["--period", "next-month"], "القيمة «next-month» غير معروفة",
     "'next-month' is not known"),
])
def test_a_period_given_twice_or_not_at_all_is_a_usage_error(cli_db, tmp_path, args, arabic,
                                                             english):
    db_path, _ = cli_db
    out = tmp_path / "p.docx"
    result = run("export", "periodic", *args, "--out", str(out), db=db_path)
    assert result.returncode == 2, result.stderr
    first, second = result.stderr.strip().splitlines()[-2:]
    assert arabic in first and english in second
    assert not out.exists()
    with Database.open(db_path) as db:
        assert db is not None  # still there and sound
