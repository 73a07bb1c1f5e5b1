"""The news report's text: the lead's grammar case by case, and the plain-text round trip."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import karbala_workshop

from models.activity_bundle import ActivityBundle
from models.dates import DateStyle
from models.news import CLOSING, NewsText, draft_news, join_names, news_for, photo_caption
from models.records import Recommendation, Unit

UNIT = Unit(name="شعبة الإعلام والاتصال الحكومي", directorate="مديرية تربية كربلاء",
            ministry="وزارة التربية", city="كربلاء")
RECS = ["إنشاء وحدات اتصال حكومي في جميع دوائر المحافظة",
        "تنظيم مؤتمر موسع يناقش مفهوم الاتصال الحكومي"]


def news(unit=UNIT, style=None, recs=(), **changes):
    activity = dataclasses.replace(karbala_workshop(), **changes)
    bundle = ActivityBundle(activity, [Recommendation(text=t) for t in recs])
    return draft_news(bundle, unit, style or DateStyle())


def test_karbala_workshop_reads_like_the_seed():
    text = news(participants_count=35, recs=RECS)
    assert text.headline == karbala_workshop().title
    assert text.dateline == "كربلاء –\u00a0٢٣\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦"  # held together
    assert text.lead == (
        "شاركت شعبة الإعلام والاتصال الحكومي في ورشة تطويرية عن أهمية الاتصال الحكومي "
        "ودوره في انسيابية المعلومات أقامتها جامعة كربلاء بالتعاون مع دائرة الاتصال "
        "الحكومي في وزارة التعليم العالي والبحث العلمي في رحابها لمدة يومين، ٢٢–\u2060٢٣\u00a0تشرين"
        "\u00a0الثاني\u00a0٢٠٢٦، وحاضر فيها كل من ممثل قسم الإعلام والعلاقات العامة "
        "ومنسق الاتصال الحكومي في الوزارة، وبلغ عدد المشاركين فيها ٣٥ مشاركاً.")
    assert text.body == [karbala_workshop().summary]
    assert text.recommendations_intro == "وخرجت الورشة بعدد من التوصيات، أبرزها:"
    assert text.recommendations == RECS
    assert text.closing == CLOSING == "انتهى"


@pytest.mark.parametrize(("partners", "joined"), [
    ([], None),
    (["جامعة بغداد"], "بالتعاون مع جامعة بغداد "),
    (["جامعة بغداد", "دائرة صحة كربلاء"], "بالتعاون مع جامعة بغداد ودائرة صحة كربلاء "),
    (["جامعة بغداد", "دائرة صحة كربلاء", "نقابة الصحفيين"],
     "بالتعاون مع جامعة بغداد، ودائرة صحة كربلاء، ونقابة الصحفيين "),
])
def test_partners_none_one_or_several(partners, joined):
    lead = news(partners=partners).lead
    if joined is None:
        assert "بالتعاون" not in lead
    else:
        assert joined in lead


def test_join_names_with_latin():
    assert join_names(["أ", "ICT Academy"]) == "أ و ICT Academy"
    assert join_names([" ", "أ"]) == "أ"


@pytest.mark.parametrize(("end", "phrase"), [
    (None, "يوم الأحد الموافق ٢٢\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦"),
    ("2026-11-23", "لمدة يومين، ٢٢–\u2060٢٣\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦"),
    ("2026-11-24", "لمدة ثلاثة أيام، ٢٢–\u2060٢٤\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦"),
    ("2026-12-03",
     "لمدة ١٢ يوماً، ٢٢\u00a0تشرين\u00a0الثاني –\u00a0٣\u00a0كانون\u00a0الأول\u00a0٢٠٢٦"),
])
def test_one_day_and_several_days(end, phrase):
    assert phrase in news(end_date=end).lead


def test_range_across_years_and_western_digits_and_egyptian_months():
    lead = news(start_date="2026-12-30", end_date="2027-01-02",
                style=DateStyle(months="egyptian", digits="western")).lead
    assert "لمدة أربعة أيام، 30\u00a0ديسمبر\u00a02026 –\u00a02\u00a0يناير\u00a02027" in lead


def test_hijri_dates_follow_when_asked():
    lead = news(style=DateStyle(hijri=True)).lead
    assert "(" in lead and "هـ" in lead


def test_no_organiser_is_passive():
    lead = news(organiser="", partners=[], lecturers=[], title="الاتصال الحكومي").lead
    assert lead == ("أقيمت ورشة عمل بعنوان «الاتصال الحكومي» في جامعة كربلاء لمدة يومين"
                    "، ٢٢–\u2060٢٣\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦.")


def test_unit_that_organised_is_the_subject():
    lead = news(organiser=UNIT.name, place="قاعة المديرية", partners=[], lecturers=[]).lead
    assert lead.startswith("أقامت شعبة الإعلام والاتصال الحكومي ورشة تطويرية عن ")
    assert "في قاعة المديرية" in lead


def test_masculine_kind_and_masculine_organiser():
    lead = news(kind="meeting", title="التنسيق الإعلامي الشهري", organiser="قسم الإعلام",
                lecturers=["مدير القسم"]).lead
    assert lead.startswith("شاركت شعبة الإعلام والاتصال الحكومي في اجتماع دوري بعنوان "
                           "«التنسيق الإعلامي الشهري» عقده قسم الإعلام ")
    assert "وتحدث فيه مدير القسم" in lead


def test_masculine_kind_as_object_is_accusative():
    lead = news(kind="conference", title="الاتصال الحكومي", unit=Unit(), partners=[]).lead
    assert lead.startswith("أقامت جامعة كربلاء مؤتمراً بعنوان «الاتصال الحكومي» في رحابها")
    assert news(kind="press_release", title="بيان", unit=UNIT,
                organiser="").lead.startswith(
        "أصدرت شعبة الإعلام والاتصال الحكومي بياناً صحفياً بعنوان «بيان»")


@pytest.mark.parametrize(("kind", "start"), [
    ("course", "شاركت شعبة الإعلام والاتصال الحكومي في دورة تدريبية بعنوان"),
    ("seminar", "شاركت شعبة الإعلام والاتصال الحكومي في ندوة بعنوان"),
    ("field_visit", "شاركت شعبة الإعلام والاتصال الحكومي في زيارة ميدانية بعنوان"),
    ("campaign", "شاركت شعبة الإعلام والاتصال الحكومي في حملة توعوية بعنوان"),
    ("coverage", "غطت شعبة الإعلام والاتصال الحكومي إعلامياً فعالية «الإعلام» التي أقامتها"),
    ("other", "شاركت شعبة الإعلام والاتصال الحكومي في نشاط بعنوان"),
])
def test_every_kind_has_its_lead(kind, start):
    text = news(kind=kind, title="الإعلام")
    assert text.lead.startswith(start)
    assert text.lead.endswith(".")


def test_field_visit_goes_to_its_place():
    assert "إلى مستشفى الحسين" in news(kind="field_visit", place="مستشفى الحسين").lead


@pytest.mark.parametrize(("count", "phrase"), [
    (1, "مشاركاً واحداً"), (2, "مشاركَين اثنين"), (7, "٧ مشاركين"), (35, "٣٥ مشاركاً"),
    (100, "١٠٠ مشارك"), (113, "١١٣ مشاركاً"), (None, None)])
def test_attendee_count(count, phrase):
    lead = news(participants_count=count).lead
    if phrase is None:
        assert "عدد المشاركين" not in lead
    else:
        assert lead.endswith(f"وبلغ عدد المشاركين فيها {phrase}.")


def test_one_lecturer_and_none():
    assert "، وحاضر فيها الدكتور علي حسين." in news(lecturers=["الدكتور علي حسين"]).lead
    assert "حاضر" not in news(lecturers=[]).lead


def test_one_recommendation_and_kinds_intro():
    assert news(recs=RECS[:1]).recommendations_intro == "وخرجت الورشة بالتوصية الآتية:"
    assert news(kind="meeting", recs=RECS).recommendations_intro == \
        "وخرج الاجتماع بعدد من التوصيات، أبرزها:"
    assert news().recommendations_intro == ""


def test_dateline_without_city_and_summary_paragraphs():
    text = news(unit=Unit(name="قسم الإعلام"), summary="الفقرة الأولى.\n\n الفقرة الثانية. \n")
    assert text.dateline == "٢٣\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦"
    assert text.body == ["الفقرة الأولى.", "الفقرة الثانية."]
    assert text.lead.startswith("شارك قسم الإعلام في ")  # a masculine unit


def test_plain_text_round_trip():
    text = news(participants_count=35, recs=RECS,
                summary="الفقرة الأولى.\nالفقرة الثانية.")
    plain = text.to_plain()
    assert "١. " + RECS[0] in plain and plain.endswith("انتهى")
    assert NewsText.from_plain(plain) == text
    assert NewsText.from_plain(text.to_plain("western")) == text
    bare = news()
    assert NewsText.from_plain(bare.to_plain()) == bare


def test_text_for_editing_has_no_invisible_characters():
    """What the editor shows (and keeps in the database, and a user copies to a post) is
    plain text: the no-break spaces and the word joiner of "٢٢–٢٣" are put back only by
    from_plain, for the document."""
    text = news(participants_count=35)  # the two-day workshop: "٢٢–٢٣ تشرين الثاني"
    plain = text.to_plain()
    assert "\u2060" not in plain and "\u00a0" not in plain
    assert "لمدة يومين، ٢٢–٢٣ تشرين الثاني ٢٠٢٦" in plain
    assert NewsText.from_plain(plain) == text


def test_edited_text_is_read_back_leniently():
    edited = ("عنوان معدل\nكربلاء – ٢٣ تشرين الثاني ٢٠٢٦\n\nمقدمة الخبر.\n\nفقرة.\nفقرة ثانية."
              "\n\n1- توصية أولى\n2) توصية ثانية\n\nانتهى/خ.")
    back = NewsText.from_plain(edited)
    assert back.headline == "عنوان معدل" and back.lead == "مقدمة الخبر."
    assert back.body == ["فقرة.", "فقرة ثانية."]
    assert back.recommendations == ["توصية أولى", "توصية ثانية"]
    assert back.recommendations_intro == "" and back.closing == "انتهى/خ."
    assert NewsText.from_plain("  \n") == NewsText("", "", "", closing="")


def test_kept_news_text_wins_over_the_draft():
    activity = dataclasses.replace(karbala_workshop(), news_text="عنوان\n\nنص محرر.")
    kept = news_for(ActivityBundle(activity), UNIT)
    assert kept.headline == "عنوان" and kept.lead == "نص محرر." and kept.closing == ""
    fresh = news_for(ActivityBundle(karbala_workshop()), UNIT)
    assert fresh == draft_news(ActivityBundle(karbala_workshop()), UNIT)


def test_photo_caption():
    assert photo_caption(karbala_workshop()) == "جانب من الورشة"
