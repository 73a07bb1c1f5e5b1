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
TWO_DAYS = f"٢٢–٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦"
# Any Iraqi month name written with an ordinary space after its day or before its year.
_MONTHS = "كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|" \
          "تشرين الثاني|كانون الأول"
_MONTH_NB = "|".join(m.replace(" ", "[ \u00a0]") for m in _MONTHS.split("|"))
BREAKABLE_DATE = re.compile(rf"[٠-٩0-9]+ (?:{_MONTH_NB})|(?:{_MONTH_NB}) [٠-٩0-9]{{4}}")


def check_sentence(text: str, place: str) -> None:
    """What every document's sentence about the workshop must (not) say."""
    assert "في عبر" not in text, text
    assert "ورشة عمل «ورشة" not in text and "ورشة عمل بعنوان «ورشة" not in text, text
    assert text.count("ورشة") == 1, text  # the title's own word, said once
    if place == ONLINE:
        assert ONLINE in text, text
    else:
        assert f"في {HALL}" in text, text
    assert TWO_DAYS in text, text
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
    check_sentence(sentence, place)
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
    ("من {start} إلى {end}", "", f"٢٢–٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦"),
])
def test_a_custom_template_is_put_right_the_same_way(template, place, expected):
    values = {"kind": "ورشة عمل", "activity": "ورشة تطويرية", "place": place,
              "start": f"٢٢{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦",
              "end": f"٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦",
              "@span": f"٢٢–٢٣{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦"}
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
        f"لمدة ثلاثة أيام، ٢٢–٢٤{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦")
    with_hijri = period_phrase("2026-11-22", None, DateStyle(hijri=True), "certificate")
    assert with_hijri.startswith(f"يوم ٢٢{NBSP}تشرين{NBSP}الثاني{NBSP}٢٠٢٦ (")
    assert with_hijri.endswith(f"{NBSP}هـ)")
    with pytest.raises(ValueError):
        period_phrase("2026-11-23", "2026-11-22", DateStyle())
