"""Importing coverage items from a real .xlsx (written with openpyxl) and a CSV with
Arabic headers: the mapping, the Arabic values, the problems by row (nothing written for
them), duplicates, one transaction, and ``import coverage`` on the command line."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from test_cli import run

from models import coverage, coverage_import, records, store
from models.db import Database

HEADER = ["ت", "تاريخ النشر", "الوسيلة الإعلامية", "نوع الوسيلة", "المستوى", "الاتجاه",
          "عنوان المادة", "الرابط", "الموضوع", "ملاحظات", "عدد المشاهدات"]
ROWS = [
    [1, dt.date(2026, 11, 2), "قناة العراقية", "قناة فضائية", "محلي", "إيجابي",
     "انطلاق ورشة الاتصال الحكومي", "https://www.imn.iq/news/1", "الاتصال الحكومي", "",
     12500],
    [2, dt.date(2026, 11, 3), "وكالة الأنباء العراقية", "وكالة أنباء", "محلي", "محايد",
     "وزارة التخطيط تعلن نتائج المسح", "ina.iq/2", "", "", "٣٬٠٠٠"],
    [3, dt.date(2026, 11, 9), "الشرق الأوسط", "جريدة", "اقليمي", "سلبي",
     "انتقادات لبطء الإجراءات", "", "الخدمات", "مقال رأي"],
    [4, dt.date(2026, 11, 10), "بي بي سي عربي", "موقع إلكتروني", "دولي", "ايجابي",
     "العراق يطلق منصة للشكاوى", "", "", ""],
]


def xlsx(path, rows=ROWS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "الرصد"
    sheet.append(["كشف الرصد الإعلامي لشهر تشرين الثاني ٢٠٢٦"])  # a title above the table
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def stored(db: Database) -> list[tuple]:
    return [(i.date, i.outlet, i.medium, i.level, i.tone, i.title, i.link, i.topic)
            for i in coverage.list_items(db)]


def test_an_xlsx_with_arabic_headers_imports_every_row(db, tmp_path):
    table = coverage_import.read_table(xlsx(tmp_path / "رصد.xlsx"))
    mapping = coverage_import.guess_mapping(table)
    assert mapping.header_row == 2
    assert [mapping.columns[c] for c in sorted(mapping.columns)] == list(
        coverage_import.FIELDS)
    result = coverage_import.apply(db, coverage_import.plan(db, table, mapping))
    assert (result.added, result.skipped, result.problems) == (4, 0, [])
    assert stored(db) == [
        ("2026-11-02", "قناة العراقية", "tv", "local", "positive",
         "انطلاق ورشة الاتصال الحكومي", "https://www.imn.iq/news/1", "الاتصال الحكومي"),
        ("2026-11-03", "وكالة الأنباء العراقية", "news_agency", "local", "neutral",
         "وزارة التخطيط تعلن نتائج المسح", "https://ina.iq/2", ""),
        ("2026-11-09", "الشرق الأوسط", "press", "regional", "negative",
         "انتقادات لبطء الإجراءات", "", "الخدمات"),
        ("2026-11-10", "بي بي سي عربي", "website", "international", "positive",
         "العراق يطلق منصة للشكاوى", "", ""),
    ]
    assert [n.message for n in result.notes] == ["أُضيفت «https://» إلى بداية الرابط."]
    assert [i.reach for i in coverage.list_items(db)] == [12500, 3000, None, None]


def test_a_csv_in_windows_arabic_imports_and_fills_blanks_from_the_outlet(db, tmp_path):
    store.insert(db, records.CoverageItem(
        date="2026-10-01", outlet="إذاعة المربد", medium="radio", level="local",
        tone="positive", title="لقاء سابق"))
    path = tmp_path / "رصد.csv"
    path.write_bytes(("التاريخ;الوسيلة;نوع الوسيلة;المستوى;الاتجاه;العنوان\r\n"
                      "20/11/2026;اذاعة المربد;;;;لقاء مع مدير الوحدة\r\n"
                      "21-11-2026;قناة الفرات;تلفاز;محلية;;تقرير عن الورشة\r\n"
                      ).encode("cp1256"))
    result, table, _ = coverage_import.import_file(db, path)
    assert result.added == 2 and result.problems == []
    new = stored(db)[1:]
    assert new == [
        ("2026-11-20", "اذاعة المربد", "radio", "local", "neutral", "لقاء مع مدير الوحدة",
         "", ""),
        ("2026-11-21", "قناة الفرات", "tv", "local", "neutral", "تقرير عن الورشة", "", "")]
    messages = [(n.row, n.message) for n in result.notes]
    assert (2, "أُخذ نوع الوسيلة «إذاعة» من مواد سابقة للوسيلة «إذاعة المربد».") in messages
    assert (3, "لم يُذكر الاتجاه؛ عُدّ «محايد».") in messages


def test_bad_rows_are_reported_in_arabic_and_nothing_of_them_is_written(db, tmp_path):
    rows = [ROWS[0],
            [2, "2026-11-31", "قناة دجلة", "تلفزيون", "محلي", "ممتاز", "خبر", "", "", ""],
            [3, dt.date(2026, 11, 4), "قناة دجلة", "حمام زاجل", "محلي", "محايد", "", "", "",
             ""],
            ROWS[2]]
    result, _, _ = coverage_import.import_file(db, xlsx(tmp_path / "r.xlsx", rows))
    assert result.added == 2
    assert [(p.row, p.field, p.message) for p in result.problems] == [
        (5, "date", "التاريخ «2026-11-31» غير مفهوم؛ اكتبه مثل 2026-11-23 أو 23/11/2026."),
        (5, "tone", "الاتجاه «ممتاز» غير معروف؛ اكتب إيجابي أو محايد أو سلبي."),
        (6, "medium", "نوع الوسيلة «حمام زاجل» غير معروف؛ الأنواع: "
         + "، ".join(coverage.vocab.MEDIA.values()) + "."),
        (6, "title", "العنوان فارغ."),
    ]
    assert [r[1] for r in stored(db)] == ["قناة العراقية", "الشرق الأوسط"]


def test_a_file_of_bad_rows_changes_nothing(db, tmp_path):
    path = xlsx(tmp_path / "bad.xlsx", [
        [1, "أمس", "قناة دجلة", "تلفزيون", "محلي", "إيجابي", "خبر", "", "", ""]])
    before = db.scalar("SELECT count(*) FROM coverage_items")
    result, _, _ = coverage_import.import_file(db, path)
    assert (result.added, len(result.problems)) == (0, 1)
    assert db.scalar("SELECT count(*) FROM coverage_items") == before == 0


def test_a_cancelled_import_keeps_nothing(db, tmp_path):
    table = coverage_import.read_table(xlsx(tmp_path / "r.xlsx"))
    plan = coverage_import.plan(db, table)

    def cancel(done, total):
        if done == total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        coverage_import.apply(db, plan, cancel)
    assert db.scalar("SELECT count(*) FROM coverage_items") == 0


def test_importing_twice_adds_nothing_the_second_time(db, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [*ROWS, ROWS[0]])  # a row repeated in the file too
    first, _, _ = coverage_import.import_file(db, path)
    assert (first.added, first.duplicates) == (4, 1)
    again, _, _ = coverage_import.import_file(db, path)
    assert (again.added, again.duplicates) == (0, 5)
    assert len(stored(db)) == 4


def test_a_table_without_dates_or_titles_is_refused(db, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("الوسيلة,الاتجاه\nقناة دجلة,إيجابي\n", encoding="utf-8")
    with pytest.raises(coverage_import.ImportFileError) as error:
        coverage_import.import_file(db, path)
    assert "«تاريخ النشر»" in str(error.value) and "«العنوان»" in str(error.value)


def test_import_coverage_on_the_command_line(db_path, tmp_path):
    Database.open(db_path, create=True).close()
    path = xlsx(tmp_path / "رصد.xlsx", [*ROWS, [5, "غداً", "", "", "", "", "خبر", "", "", ""]])
    result = run("import", "coverage", str(path), "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["added"], out["sheet"], len(out["item_ids"])) == (4, "الرصد", 4)
    assert [(p["row"], p["field"]) for p in out["problems"]] == [(8, "date")]
    listed = json.loads(run("list", "coverage", "--json", db=db_path).stdout)
    assert sorted(r["id"] for r in listed) == sorted(out["item_ids"])
    plain = run("import", "coverage", str(path), db=db_path)
    assert plain.returncode == 0
    assert "المواد المضافة: 0." in plain.stdout and "الصف 8" in plain.stdout
    missing = run("import", "coverage", str(tmp_path / "none.xlsx"), db=db_path)
    assert missing.returncode == 1
