"""The sentence every document says about an activity, on the seed's two-day workshop held
online («عبر الاتصال المرئي») and in a hall: the certificate's sentence (as issued) and the
news report's lead (as the Word file holds it).

No «في» before a place that brings its own preposition, no kind said twice when the title
begins with it, the two days written «٢٢–٢٣ تشرين الثاني ٢٠٢٦», and no line break possible
inside a date (no-break spaces between day, month and year).
"""

from __future__ import annotations

import dataclasses
import re

import docx
import pytest
from conftest import karbala_workshop

from exporters import news_report
from models import attendance, records, store
from models.activity_bundle import ActivityBundle
from models.certificate_pages import prepare
from models.certificate_style import CertificateStyle, render
from models.dates import DateStyle

NBSP = "\u00a0"
ONLINE = "عبر الاتصال المرئي"
HALL = "قاعة الإمام الحسين في جامعة كربلاء"
PLACES = [ONLINE, HALL]
TWO_DAYS = f"٢٢–\u2060٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦"  # a word joiner after the dash
# A certificate's lines are broken by its page plan, at spaces only: no word joiner.
TWO_DAYS_CERTIFICATE = TWO_DAYS.replace("\u2060", "")
# Any Iraqi month name written with an ordinary space after its day or before its year.
_MONTHS = "كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|" \
          "تشرين الثاني|كانون الأول"
_MONTH_NB = "|".join(m.replace(" ", "[ \u00a0]") for m in _MONTHS.split("|"))
BREAKABLE_DATE = re.compile(rf"[٠-٩0-9]+ (?:{_MONTH_NB})|(?:{_MONTH_NB}) [٠-٩0-9]{{4}}")


def check_sentence(text: str, place: str, two_days: str = TWO_DAYS) -> None:
    """What every document's sentence about the workshop must (not) say."""
    assert "في عبر" not in text, text
    assert "ورشة عمل «ورشة" not in text and "ورشة عمل بعنوان «ورشة" not in text, text
    assert text.count("ورشة") == 1, text  # the title's own word, said once
    if place == ONLINE:
        assert ONLINE in text, text
    else:
        assert f"في {HALL}" in text, text
    assert two_days in text, text
    assert "من ٢٢" not in text and "إلى ٢٣" not in text, text
    assert not BREAKABLE_DATE.search(text), BREAKABLE_DATE.search(text)
    # the month names inside a date hold together too
    assert "تشرين الثاني" not in text, text


def workshop_at(db, place: str) -> records.Activity:
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(
        unit, ministry="وزارة التعليم العالي والبحث العلمي", directorate="جامعة كربلاء",
        name="شعبة الإعلام والاتصال الحكومي", city="كربلاء"))
    return store.insert(db, dataclasses.replace(karbala_workshop(), place=place,
                                                participants_count=35))


@pytest.mark.parametrize("place", PLACES)
def test_the_certificate_sentence_on_the_two_day_workshop(db, place):
    activity = workshop_at(db, place)
    person = store.insert(db, records.Person(full_name="زينب علي حسين الأسدي", gender="f"))
    attendance.add(db, activity.id, person.id)
    page, = prepare(db, activity.id, [person.id], style=CertificateStyle())
    sentence = " ".join((page.lead, page.name, page.body))
    check_sentence(sentence, place, TWO_DAYS_CERTIFICATE)
    assert sentence.startswith("تُمنح هذه الشهادة إلى السيدة زينب علي حسين الأسدي ")
    assert f"«{activity.title}»" in sentence  # the title as typed, in its quotes


@pytest.mark.parametrize("place", PLACES)
def test_the_news_lead_on_the_two_day_workshop(db, tmp_path, place):
    activity = workshop_at(db, place)
    # The unit organised it, so the place is named rather than «في رحابها».
    store.update(db, dataclasses.replace(activity, organiser="شعبة الإعلام والاتصال الحكومي"))
    path = news_report.write_news_report(db, activity.id, tmp_path / "خبر.docx")
    texts = [p.text for p in docx.Document(path).paragraphs]
    lead = next(t for t in texts if t.startswith("أقامت "))
    check_sentence(lead, place)
    assert lead.startswith("أقامت شعبة الإعلام والاتصال الحكومي ورشة تطويرية عن ")
    assert f"لمدة يومين، {TWO_DAYS}" in lead


def test_an_edited_news_text_keeps_its_dates_together(db, tmp_path):
    from models.news import draft_news, save_news_text

    activity = workshop_at(db, ONLINE)
    unit = store.get(db, records.Unit, db.local_unit_id)
    plain = draft_news(ActivityBundle(activity), unit).to_plain()
    # The editor hands back ordinary spaces (Qt drops no-break ones); the person added a
    # sentence with a date of their own.
    assert NBSP not in plain
    edited = plain.replace("انتهى", "وتُعقد الورشة الثانية في ٥ كانون الأول ٢٠٢٦.\n\nانتهى")
    save_news_text(db, activity.id, edited)
    path = news_report.write_news_report(db, activity.id, tmp_path / "خبر.docx")
    texts = [p.text for p in docx.Document(path).paragraphs]
    lead = next(t for t in texts if t.startswith("أقامت ") or t.startswith("شاركت "))
    assert TWO_DAYS in lead and ONLINE in lead
    assert f"٥{NBSP}كانون{NBSP}الأول{NBSP}٢٠٢٦" in "\n".join(texts)
    assert not BREAKABLE_DATE.search("\n".join(texts[texts.index(lead):]))


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2026-07-02", "2026-07-03", f"للمدة ٢–٣{NBSP}تموز{NBSP}٢٠٢٦"),
    ("2026-06-30", "2026-07-02", f"للمدة ٣٠{NBSP}حزيران –{NBSP}٢{NBSP}تموز{NBSP}٢٠٢٦"),
    ("2026-12-30", "2027-01-02",
     f"للمدة ٣٠{NBSP}كانون{NBSP}الأول{NBSP}٢٠٢٦ –{NBSP}٢{NBSP}كانون{NBSP}الثاني{NBSP}٢٠٢٧"),
    ("2026-07-02", None, f"يوم ٢{NBSP}تموز{NBSP}٢٠٢٦"),
])
def test_the_certificate_period_within_a_month_across_months_and_years(db, start, end,
                                                                       expected):
    activity = store.insert(db, dataclasses.replace(karbala_workshop(), start_date=start,
                                                    end_date=end))
    person = store.insert(db, records.Person(full_name="محمد جاسم كاظم", gender="m"))
    attendance.add(db, activity.id, person.id)
    page, = prepare(db, activity.id, [person.id],
                    style=CertificateStyle(body="{name} {period}."))
    assert page.body == f"{expected}."


def test_gulf_month_names_and_western_digits_follow_the_unit(db):
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, months="egyptian", digits="western"))
    activity = store.insert(db, dataclasses.replace(karbala_workshop(), place=ONLINE))
    person = store.insert(db, records.Person(full_name="محمد جاسم كاظم", gender="m"))
    attendance.add(db, activity.id, person.id)
    page, = prepare(db, activity.id, [person.id])
    assert f"للمدة 22–23{NBSP}نوفمبر{NBSP}2026." in page.body
    assert "في عبر" not in page.body


@pytest.mark.parametrize(("template", "place", "expected"), [
    # the user's own wording keeps its words; only «في» before «عبر» goes
    ("حضر {kind} «{activity}» في {place}.", ONLINE, f"حضر «ورشة تطويرية» {ONLINE}."),
    ("حضر {kind} «{activity}»[ في {place}].", "بمقر الوزارة", "حضر «ورشة تطويرية» بمقر الوزارة."),
    ("حضر {kind} «{activity}»[ في {place}].", "بغداد", "حضر «ورشة تطويرية» في بغداد."),
    ("حضر {kind} بعنوان «{activity}»[ في {place}].", "", "حضر «ورشة تطويرية»."),
    ("من {start} إلى {end}", "", f"٢٢–\u2060٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦"),
])
def test_a_custom_template_is_put_right_the_same_way(template, place, expected):
    values = {"kind": "ورشة عمل", "activity": "ورشة تطويرية", "place": place,
              "start": f"٢٢{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦",
              "end": f"٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦",
              "@span": f"٢٢–\u2060٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦"}
    assert render(template, values, "m") == expected


# --- the wording module's phrases ----------------------------------------------------------

@pytest.mark.parametrize(("place", "phrase"), [
    (ONLINE, ONLINE),
    ("ضمن فعاليات أسبوع الإعلام", "ضمن فعاليات أسبوع الإعلام"),
    ("داخل مبنى الوزارة", "داخل مبنى الوزارة"),
    ("في جامعة كربلاء", "في جامعة كربلاء"),
    ("خلال المؤتمر السنوي", "خلال المؤتمر السنوي"),
    ("على قاعة المسرح", "على قاعة المسرح"),
    ("من مقر الوزارة", "من مقر الوزارة"),
    ("بمقر الوزارة", "بمقر الوزارة"),
    ("بالقاعة الكبرى", "بالقاعة الكبرى"),
    ("افتراضياً", "افتراضياً"),
    ("قاعة المديرية", "في قاعة المديرية"),
    ("بغداد", "في بغداد"),
    ("بيت الحكمة", "في بيت الحكمة"),
    ("تركيا", "في تركيا"),
    ("", ""),
])
def test_place_phrase(place, phrase):
    from models.wording import place_phrase

    assert place_phrase(place) == phrase


@pytest.mark.parametrize(("kind", "title", "phrase"), [
    ("ورشة عمل", "ورشة عمل حول الاتصال", "«ورشة عمل حول الاتصال»"),
    ("ورشة عمل", "الورشة التدريبية الأولى", "«الورشة التدريبية الأولى»"),
    ("اجتماع دوري", "الاجتماع الدوري للشبكة", "«الاجتماع الدوري للشبكة»"),
    ("ندوة", "الاتصال الحكومي", "ندوة «الاتصال الحكومي»"),
    ("بيان صحفي", "بيان", "بيان صحفي «بيان»"),
])
def test_kind_and_title(kind, title, phrase):
    from models.wording import kind_and_title

    assert kind_and_title(kind, title) == phrase
    # a certificate template says the same
    values = {"kind": kind, "activity": title, "place": HALL}
    assert render("في {kind} «{activity}»[ في {place}]", values, "m") == (
        f"في {phrase} في {HALL}")


def test_period_phrase_news_form_and_hijri():
    from models.wording import period_phrase

    assert period_phrase("2026-11-22", "2026-11-24", DateStyle(), "news") == (
        f"لمدة ثلاثة أيام، ٢٢–\u2060٢٤{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦")
    with_hijri = period_phrase("2026-11-22", None, DateStyle(hijri=True), "certificate")
    assert with_hijri.startswith(f"يوم ٢٢{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦ (")
    assert with_hijri.endswith(f"{NBSP}هـ)")
    with pytest.raises(ValueError):
        period_phrase("2026-11-23", "2026-11-22", DateStyle())


# --- titles that carry their own quotes (the demo's «ورشة عمل بعنوان «…»») -------------------

@pytest.mark.parametrize(("kind", "title", "expected"), [
    # the title names its kind and quotes its name: as typed
    ("ورشة عمل", "ورشة عمل بعنوان «الإعلام الرقمي»", "ورشة عمل بعنوان «الإعلام الرقمي»"),
    ("مؤتمر", "مؤتمر «الإعلام الحكومي» الأول", "مؤتمر «الإعلام الحكومي» الأول"),
    # a title wholly in quotes keeps its one pair
    ("حملة توعوية", "«لا للشائعات»", "حملة توعوية بعنوان «لا للشائعات»"),
    # quotes inside a title that does not name the kind: the inner pair, no «» in «»,
    # and «بعنوان» said once
    ("ندوة", "محاضرة بعنوان «الإعلام الرقمي»", 'ندوة «محاضرة بعنوان "الإعلام الرقمي"»'),
    ("ورشة عمل", "الاتصال الحكومي", "ورشة عمل بعنوان «الاتصال الحكومي»"),
])
def test_a_title_is_quoted_once(kind, title, expected):
    from models.wording import kind_and_title

    assert kind_and_title(kind, title, linker="بعنوان") == expected


@pytest.mark.parametrize(("kind", "title", "expected"), [
    # a title typed with one mark of a pair (a closing » forgotten, an opening one lost
    # in a paste): one pair of «», no stray straight quote left inside it
    ("حملة توعوية", "«لا للشائعات", "حملة توعوية بعنوان «لا للشائعات»"),
    ("حملة توعوية", "لا للشائعات»", "حملة توعوية بعنوان «لا للشائعات»"),
    # a title wholly in straight quotes (typed on a Latin keyboard): «» instead, not both
    ("حملة توعوية", '"لا للشائعات"', "حملة توعوية بعنوان «لا للشائعات»"),
    # a title that names its kind with its own «» left open: the pair closed
    ("ورشة عمل", "ورشة عمل بعنوان «الإعلام الرقمي", "ورشة عمل بعنوان «الإعلام الرقمي»"),
    # a "title" of quotation marks only says nothing: the kind alone, no empty «»
    ("ندوة", "«»", "ندوة"),
    ("ندوة", '""', "ندوة"),
])
def test_odd_quotes_in_a_title_still_give_one_clean_pair(kind, title, expected):
    from models.wording import kind_and_title

    assert kind_and_title(kind, title, linker="بعنوان") == expected


def test_the_certificate_sentence_closes_a_titles_open_quote():
    from models.certificate_style import DEFAULT_BODY

    for title in ("«لا للشائعات", '"لا للشائعات"', "حملة «لا للشائعات"):
        values = {"kind": "حملة", "activity": title, "place": ONLINE, "name": "زينب علي",
                  "period": "", "entity": ""}
        text = render(DEFAULT_BODY, values, "f")
        assert "«لا للشائعات» عبر" in text, text
        assert text.count("«") == text.count("»") and '"' not in text, text


@pytest.mark.parametrize(("kind", "title", "expected"), [
    ("ورشة عمل", "ورشة عمل بعنوان «الإعلام الرقمي»", "في ورشة عمل بعنوان «الإعلام الرقمي» عبر"),
    ("حملة", "«لا للشائعات»", "في حملة «لا للشائعات» عبر"),
    ("ندوة", "محاضرة بعنوان «الإعلام الرقمي»", 'في ندوة «محاضرة بعنوان "الإعلام الرقمي"» عبر'),
])
def test_the_certificate_sentence_never_doubles_a_titles_quotes(kind, title, expected):
    from models.certificate_style import DEFAULT_BODY

    values = {"kind": kind, "activity": title, "place": ONLINE, "name": "زينب علي",
              "period": "", "entity": ""}
    text = render(DEFAULT_BODY, values, "f")
    assert expected in text, text
    assert not re.search("«[^»]*«", text), text


def test_the_news_lead_never_doubles_a_titles_quotes(db, tmp_path):
    activity = workshop_at(db, ONLINE)
    activity = store.update(db, dataclasses.replace(
        activity, title="ورشة عمل بعنوان «الإعلام الرقمي»",
        organiser="شعبة الإعلام والاتصال الحكومي"))
    path = news_report.write_news_report(db, activity.id, tmp_path / "خبر.docx")
    lead = next(p.text for p in docx.Document(path).paragraphs if p.text.startswith("أقامت "))
    assert "أقامت شعبة الإعلام والاتصال الحكومي ورشة عمل بعنوان «الإعلام الرقمي» " in lead
    assert not re.search("«[^»]*«", lead), lead
    assert news_report.description(activity.title) == \
        "التقرير الخبري عن ورشة عمل بعنوان «الإعلام الرقمي»"


# --- dates in tables and in typed text ------------------------------------------------------

def test_a_table_cell_may_put_the_year_on_its_own_line_never_the_month():
    from models.wording import period_phrase

    style = DateStyle()
    assert period_phrase("2026-11-22", "2026-11-23", style, "cell") == \
        f"٢٢–\u2060٢٣{NBSP}تشرين{NBSP}الثاني ٢٠٢٦"
    assert period_phrase("2026-12-30", "2027-01-02", style, "cell") == \
        f"٣٠{NBSP}كانون{NBSP}الأول ٢٠٢٦ –{NBSP}٢{NBSP}كانون{NBSP}الثاني ٢٠٢٧"


def test_typed_dates_months_and_ranges_are_held():
    from models.wording import hold_dates, plain

    typed = "التقرير الشهري لشهر تشرين الثاني 2026 عن ورشة يومي 22–23 تشرين الثاني 2026"
    held = hold_dates(typed)
    assert held == ("التقرير الشهري لشهر تشرين\u00a0الثاني\u00a02026 عن ورشة يومي "
                    "22–\u206023\u00a0تشرين\u00a0الثاني\u00a02026")
    assert hold_dates(held) == held
    assert plain(held) == typed  # for a file name or a document's properties


def test_a_signature_columns_day_is_held_together():
    import datetime as dt

    from exporters.attendance_sheet import day_heading

    assert day_heading(dt.date(2026, 11, 22), DateStyle()) == \
        f"الأحد ٢٢{NBSP}تشرين{NBSP}الثاني"
    assert day_heading(dt.date(2026, 11, 22), DateStyle(months="egyptian", digits="western")) \
        == f"الأحد 22{NBSP}نوفمبر"
