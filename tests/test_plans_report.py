"""The communication plan's documents (the plan, plan against actual): what they say, read
back from the files, the RTL XML checks, the Open XML audit, and LibreOffice's rendering."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import docx
import pytest
from test_exporters_rtl import comparable, needs_soffice, pdf_text, problems, to_pdf
from test_plans import TODAY, seed

from exporters import plan_report as report
from exporters import registry
from models import records, store
from models.dates import DateStyle


@pytest.fixture
def seeded(db):
    ids = seed(db)
    on_time = store.get(db, records.PlanItem, ids["on_time"])
    on_time.objective = "تعريف الصحفيين بأدوات التحقق من الأخبار"
    on_time.audience = "الصحفيون في كربلاء"
    on_time.owner = "شعبة الإعلام"
    on_time.channels = ["facebook", "tv"]
    on_time.priority = "high"
    store.update(db, on_time)
    return ids


@pytest.fixture
def plan_file(db, seeded, tmp_path):
    return report.write_plan(db, seeded["plan"], tmp_path / "plan.docx")


@pytest.fixture
def vs_file(db, seeded, tmp_path):
    return report.write_plan_vs_actual(db, seeded["plan"], tmp_path / "vs.docx",
                                       report.PlanReportOptions(today=TODAY))


def tables(path) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in docx.Document(str(path)).tables]


def paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_the_plan_is_one_table_in_the_plans_order(plan_file):
    (table,) = tables(plan_file)
    assert table[0] == list(report.PLAN_COLUMNS)
    assert [row[1] for row in table[1:]] == [
        "زيارة ميدانية", "الاجتماع الدوري لشبكة الاتصال", "مؤتمر صحفي",
        "ورشة الإعلام الرقمي", "حملة التوعية بالانتخابات", "ندوة اليوم العالمي للغة العربية"]
    workshop = table[4]
    assert workshop[0] == "٤"
    assert workshop[2:5] == ["تعريف الصحفيين بأدوات التحقق من الأخبار", "الصحفيون في كربلاء",
                             "فيسبوك، تلفزيون"]
    assert workshop[5].replace("\u00a0", " ") == "٢٢ تشرين الثاني ٢٠٢٦"
    assert workshop[6:] == ["شعبة الإعلام", "عالية", "منفذ"]
    assert [row[8] for row in table[1:]] == ["منفذ", "منفذ", "ملغى", "منفذ", "مؤجل", "مخطط"]
    # The default title names the period: said once.
    assert paragraphs(plan_file)[0] == "مخطط الاتصال ١ تشرين الثاني – ٣١ كانون الأول ٢٠٢٦"


def test_plan_against_actual_counts_chart_and_rows(vs_file):
    found = tables(vs_file)
    counts = found[0]
    assert counts[0] == list(report.COUNTS_COLUMNS)
    assert [row[1:] for row in counts[1:]] == [
        ["مجموع فقرات المخطط", "٦"], ["نُفذت في موعدها", "١"], ["نُفذت متأخرة", "١"],
        ["لم تُنفذ", "٢"], ["أُلغيت", "١"], ["لم يحن موعدها", "١"],
        ["نشاطات نُفذت من خارج المخطط", "١"]]
    text = "\n".join(paragraphs(vs_file))
    for heading in ("نُفذت في موعدها (١)", "نُفذت متأخرة (١)", "لم تُنفذ (٢)", "أُلغيت (١)",
                    "لم يحن موعدها (١)", report.UNPLANNED_HEADING):
        assert heading in text
    assert "كما هو في ٤\u00a0كانون\u00a0الأول\u00a0٢٠٢٦" in text
    on_time, late, not_done, cancelled, coming, unplanned = found[1:]
    assert on_time[0] == list(report.DONE_COLUMNS)
    assert on_time[1][1] == "ورشة الإعلام الرقمي"
    assert on_time[1][3] == "ورشة الإعلام الرقمي في جامعة كربلاء"
    assert late[1][3] == "الاجتماع الدوري لشبكة الاتصال"
    assert late[1][4].replace("\u00a0", " ") == "١٢ تشرين الثاني ٢٠٢٦"
    assert not_done[0] == list(report.OPEN_COLUMNS)
    assert [row[1] for row in not_done[1:]] == ["زيارة ميدانية", "حملة التوعية بالانتخابات"]
    assert cancelled[1][1] == "مؤتمر صحفي" and coming[1][1] == "ندوة اليوم العالمي للغة العربية"
    assert unplanned[0] == list(report.UNPLANNED_COLUMNS)
    assert unplanned[1][1:3] == ["بيان صحفي عن موسم الأمطار", "بيان صحفي"]
    with zipfile.ZipFile(vs_file) as package:  # the chart is embedded
        assert [n for n in package.namelist() if n.startswith("word/media/")]


def test_an_empty_plan_says_so_in_words(db, tmp_path):
    from models import plans

    plan = plans.new_plan(db, period=("2026-11-01", "2026-12-31"), title="مخطط تجريبي")
    path = report.write_plan(db, plan.id, tmp_path / "empty.docx")
    assert tables(path) == []
    assert report.NO_ITEMS in paragraphs(path)
    # A title of its own: the period follows on its own line.
    assert [p.replace("\u00a0", " ") for p in paragraphs(path)[:2]] == [
        "مخطط تجريبي", "للمدة ١ تشرين الثاني – ٣١ كانون الأول ٢٠٢٦"]
    vs = report.write_plan_vs_actual(db, plan.id, tmp_path / "empty-vs.docx",
                                     report.PlanReportOptions(today=TODAY))
    assert report.NO_UNPLANNED in paragraphs(vs)


@pytest.mark.parametrize("which", ["plan_file", "vs_file"])
def test_the_rtl_xml_checks_hold(which, request):
    assert problems(docx.Document(str(request.getfixturevalue(which)))) == []


@pytest.mark.parametrize("which", ["plan_file", "vs_file"])
def test_openxml_audit_finds_nothing(which, request):
    path = request.getfixturevalue(which)
    result = subprocess.run([sys.executable, "-m", "openxml_audit", str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout


def test_cancelling_leaves_no_file(db, seeded, tmp_path):
    def cancel(done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        report.write_plan_vs_actual(db, seeded["plan"], tmp_path / "vs.docx", progress=cancel)
    assert list(tmp_path.glob("vs*.docx")) == []


def test_the_registry_declares_both_kinds_with_a_plan(db, seeded, tmp_path):
    for key in ("plan", "plan-vs-actual"):
        kind = registry.get(key)
        assert kind.needs == (registry.PLAN,)
    options = registry.make_options("plan-vs-actual", plan_id=seeded["plan"],
                                    today=TODAY.isoformat())
    written = registry.get("plan-vs-actual").write(db, options, tmp_path / "r.docx", None)
    assert written.details["counts"]["not_done"] == 2
    name = registry.get("plan-vs-actual").file_name(db, options, DateStyle())
    assert name.startswith("المخطط والمنفذ - مخطط الاتصال") and name.endswith(".docx")


@needs_soffice
def test_libreoffice_renders_plan_against_actual(vs_file, tmp_path):
    text = comparable(pdf_text(to_pdf(vs_file, tmp_path)))
    for words in ("المخطط والمنفذ", "نُفذت في موعدها", "لم تُنفذ", "حملة التوعية بالانتخابات",
                  "بيان صحفي عن موسم الأمطار"):
        assert comparable(words) in text, words


def test_a_year_typed_in_the_title_follows_the_units_digits(db, seeded, tmp_path):
    plan = store.get(db, records.Plan, seeded["plan"])
    plan.title = "مخطط الاتصال لشهري تشرين الثاني وكانون الأول 2026"
    store.update(db, plan)
    path = report.write_plan(db, plan.id, tmp_path / "plan.docx")
    assert paragraphs(path)[0] == "مخطط الاتصال لشهري تشرين الثاني وكانون الأول ٢٠٢٦"


@pytest.fixture
def shaped_file(db, seeded, tmp_path):
    """The plan with one item's key message and measure of success filled."""
    item = store.get(db, records.PlanItem, seeded["coming"])
    item.key_message = "العربية لغة الإدارة والإعلام"
    item.measure_kind = "outtake"
    item.outtakes = "يعرف الموظفون قواعد الكتابة الرسمية"
    item.measure_target = "70% في استبيان ما بعد الندوة"
    store.update(db, item)
    return report.write_plan(db, seeded["plan"], tmp_path / "shaped.docx")


def test_the_plan_shows_key_message_and_measure_with_its_target(shaped_file):
    (table,) = tables(shaped_file)
    assert table[0] == ["ت", "الفعالية", "الهدف", "الجمهور المستهدف", "الرسالة الرئيسية",
                        "القناة", "التاريخ", "الجهة المسؤولة", "الأولوية", "الحالة",
                        "مقياس النجاح"]
    [row] = [r for r in table[1:] if r[1] == "ندوة اليوم العالمي للغة العربية"]
    assert row[4] == "العربية لغة الإدارة والإعلام"
    assert row[10].split("\n") == ["أثر مباشر: يعرف الموظفون قواعد الكتابة الرسمية",
                                   "المستهدف: ٧٠% في استبيان ما بعد الندوة"]
    # Items without them leave their cells empty; the domain's columns are all there.
    assert [r[4] for r in table[1:] if r is not row] == [""] * 5
    with zipfile.ZipFile(shaped_file) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "العربية لغة الإدارة والإعلام" in xml and "المستهدف: ٧٠%" in xml
    assert "w:orient=\"landscape\"" in xml


def test_the_plan_with_its_new_columns_passes_the_checks(shaped_file):
    assert problems(docx.Document(str(shaped_file))) == []
    result = subprocess.run([sys.executable, "-m", "openxml_audit", str(shaped_file)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout
