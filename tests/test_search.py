"""Arabic-aware search: spelling variants, prefixes, filters, ranking, index upkeep."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import records, search, store
from models.search import SearchFilter


def titles(db, query, **kw):
    return [h.title for h in search.search(db.conn, query, **kw)]


def add(db, title, **fields):
    fields.setdefault("start_date", "2026-11-01")
    return store.insert(db, records.Activity(title=title, **fields))


@pytest.mark.parametrize(("stored", "typed"), [
    ("أهمية الاتصال الحكومي", "الإتصال"),          # hamza under alef
    ("الإتصال الحكومي", "الاتصال"),
    ("آفاق الإعلام", "افاق"),                       # madda
    ("مدرسة الحلة", "مدرسه"),                       # taa marbuta / ha
    ("مدرسه الحلة", "مدرسة"),
    ("زيارة مستشفى الحسين", "مستشفي"),              # alef maqsura / ya
    ("مسؤولية الإعلام", "مسوولية"),                 # waw with hamza
    ("الهيئات الحكومية", "الهيىات"),                # ya with hamza
    ("الاتصالُ الحكوميّ", "الاتصال الحكومي"),         # tashkeel ignored
    ("الاتصال الحكومي", "الاتّـصـال"),               # tatweel and shadda in the query
    ("مؤتمر ٢٠٢٦ للإعلام", "2026"),                 # Arabic-Indic digits
    ("مؤتمر 2026 للإعلام", "٢٠٢٦"),
    ("ﻭﺭﺷﺔ الرصد", "ورشة"),                        # presentation forms in stored text
    ("ورشة الرصد", "ﻭﺭﺷﺔ"),                        # … and in the query
])
def test_a_spelling_variant_finds_the_other(db, stored, typed):
    add(db, stored)
    add(db, "نشاط لا علاقة له", kind="other")
    assert titles(db, typed) == [records.clean(records.Activity(title=stored)).title]


@pytest.mark.parametrize("stored", ["والاتصال", "بالاتصال", "فالاتصال", "كالاتصال",
                                    "للاتصال", "الاتصال", "اتصال"])
def test_attached_prefixes_do_not_hide_a_word(db, stored):
    add(db, f"دور {stored} في الدولة")
    assert len(titles(db, "الاتصال")) == 1
    assert len(titles(db, "والاتصال")) == 1


def test_trailing_star_matches_word_beginnings(db):
    add(db, "الإعلام الرقمي")
    add(db, "الإعلاميون الشباب")
    add(db, "العلاقات العامة")
    assert sorted(titles(db, "الإعلام*")) == ["الإعلام الرقمي", "الإعلاميون الشباب"]
    assert titles(db, "الإعلام") == ["الإعلام الرقمي"]


def test_all_words_must_match(db):
    add(db, "ورشة الرصد الإعلامي")
    add(db, "ورشة الإعلام الرقمي")
    assert titles(db, "ورشة الرصد") == ["ورشة الرصد الإعلامي"]


def test_fts_syntax_typed_by_a_user_is_plain_text(db):
    add(db, "ورشة NEAR الرصد")
    for query in ['"', "AND", "ورشة OR", "(الرصد", "NEAR(", "*", "-", "الرصد:"]:
        search.search(db.conn, query)  # must not raise
    assert titles(db, "*") == []


def test_title_matches_rank_above_body_matches(db):
    add(db, "ندوة عامة", summary="تناولت الندوة الرصد الإعلامي وأهميته")
    add(db, "الرصد الإعلامي", summary="ورشة")
    assert titles(db, "الرصد")[0] == "الرصد الإعلامي"


def test_every_record_type_is_searchable_and_reports_its_type(db, workshop):
    store.insert(db, records.Person(full_name="مرام محمود علي البردولي", entity="مركز الاتصال"))
    store.insert(db, records.Recommendation(activity_id=workshop.id,
                                            text="تنظيم مؤتمر موسع عن الاتصال الحكومي"))
    store.insert(db, records.CoverageItem(date="2026-11-24", title="تغطية ورشة الاتصال",
                                          outlet="قناة كربلاء الفضائية", medium="tv"))
    types = {h.type for h in search.search(db.conn, "الاتصال")}
    assert types == {"activity", "person", "recommendation", "coverage"}
    only = search.search(db.conn, "الاتصال", where=SearchFilter(types=("person",)))
    assert [h.title for h in only] == ["مرام محمود علي البردولي"]
    assert search.search(db.conn, "البردولي")[0].type == "person"
    assert search.search(db.conn, "الفضائية")[0].type == "coverage"


def test_filters_by_date_kind_and_status(db):
    add(db, "اجتماع الرصد الأول", kind="meeting", start_date="2026-10-05", status="sent")
    add(db, "ورشة الرصد", kind="workshop", start_date="2026-11-05", status="draft")
    add(db, "دورة الرصد", kind="course", start_date="2026-12-05", status="approved")
    november = SearchFilter(date_from="2026-11-01", date_to="2026-11-30")
    assert titles(db, "الرصد", where=november) == ["ورشة الرصد"]
    assert titles(db, "الرصد", where=SearchFilter(kind="course")) == ["دورة الرصد"]
    assert titles(db, "الرصد", where=SearchFilter(status="sent")) == ["اجتماع الرصد الأول"]


def test_limit_gives_the_best_n(db):
    for i in range(60):
        add(db, f"ورشة رقم {i}")
    assert len(search.search(db.conn, "ورشة")) == search.DEFAULT_LIMIT
    assert len(search.search(db.conn, "ورشة", limit=7)) == 7


def test_the_index_follows_every_write(db, workshop):
    assert titles(db, "كربلاء")
    store.update(db, dataclasses.replace(workshop, place="جامعة بابل", organiser="جامعة بابل"))
    assert titles(db, "كربلاء") == []
    assert titles(db, "بابل") == [workshop.title]
    store.delete(db, records.Activity, workshop.id)
    assert titles(db, "بابل") == []
    store.restore(db, records.Activity, workshop.id)
    assert titles(db, "بابل") == [workshop.title]
    store.purge(db, records.Activity, workshop.id)
    assert titles(db, "بابل") == []
    assert db.scalar("SELECT count(*) FROM search_docs") == 0


def test_recommendations_leave_search_with_their_activity(db, workshop):
    store.insert(db, records.Recommendation(activity_id=workshop.id, text="إنشاء وحدات اتصال"))
    assert titles(db, "وحدات")
    store.delete(db, records.Activity, workshop.id)
    assert titles(db, "وحدات") == []
    store.restore(db, records.Activity, workshop.id)
    assert titles(db, "وحدات") == ["إنشاء وحدات اتصال"]


def test_rebuild_gives_the_same_results(db, workshop):
    binned = add(db, "نشاط محذوف")
    store.insert(db, records.Recommendation(activity_id=binned.id, text="توصية زراعية فريدة"))
    store.delete(db, records.Activity, binned.id)
    add(db, "ورشة الرصد الإعلامي")
    before = search.search(db.conn, "الرصد")
    with db.atomic():
        search.rebuild(db.conn)
    assert [h.id for h in search.search(db.conn, "الرصد")] == [h.id for h in before]
    assert search.search(db.conn, "زراعية") == []  # its activity is in the bin


def test_no_presentation_forms_are_ever_indexed(db):
    add(db, "ﻭﺭﺷﺔ ﺍﻻﺗﺼﺎﻝ", summary="ﺍﻟﺮﺻﺪ")
    for (text,) in db.execute("SELECT title || title_words || body_words FROM search_docs"):
        assert not any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF for c in text)


def test_a_short_word_beginning_finds_prefixed_forms(db):
    add(db, "الورشة التدريبية", kind="other")
    add(db, "ورشة العمل", kind="other")
    add(db, "مؤتمر الرصد", kind="other")
    assert sorted(titles(db, "ورش*")) == ["الورشة التدريبية", "ورشة العمل"]
    assert sorted(titles(db, "الورش*")) == ["الورشة التدريبية", "ورشة العمل"]
    assert sorted(titles(db, "ورشة")) == ["الورشة التدريبية", "ورشة العمل"]


def test_rebuild_puts_documents_in_date_order_across_types(db):
    add(db, "نشاط متأخر", start_date="2026-12-01")
    add(db, "نشاط مبكر", start_date="2025-01-01")
    store.insert(db, records.CoverageItem(date="2026-06-01", title="تغطية وسطى", medium="tv"))
    with db.atomic():
        search.rebuild(db.conn)
    dates = [d for (d,) in db.execute("SELECT date FROM search_docs ORDER BY rowid")]
    assert dates == sorted(dates) == ["2025-01-01", "2026-06-01", "2026-12-01"]


def test_a_very_common_word_is_ranked_among_its_newest_matches(db, monkeypatch):
    for year in range(2010, 2030):
        add(db, f"ورشة {year}", start_date=f"{year}-01-01", kind="other")
    with db.atomic():
        search.rebuild(db.conn)
    assert len(search.search(db.conn, "ورشة")) == 20
    monkeypatch.setattr(search, "RANK_NEWEST", 5)
    newest = [h.date[:4] for h in search.search(db.conn, "ورشة")]
    assert sorted(newest) == ["2025", "2026", "2027", "2028", "2029"]
    # A rare word is not affected: its only match is old.
    assert [h.title for h in search.search(db.conn, "2010")] == ["ورشة 2010"]


@pytest.mark.parametrize("typed", ["07701234567", "0770 123 4567", "+964 770 123 4567",
                                   "٠٧٧٠١٢٣٤٥٦٧", "077012*"])
def test_a_phone_is_found_however_it_is_typed(db, typed):
    store.insert(db, records.Person(full_name="زينب علي حسين", phone="0770-123-4567"))
    store.insert(db, records.Person(full_name="علي كاظم جواد", phone="07801112233"))
    assert titles(db, typed) == ["زينب علي حسين"]


# --- compound names (issue 11) --------------------------------------------------------

def person_ids(db, query):
    return sorted(h.id for h in search.search(db.conn, query,
                                              where=SearchFilter(types=("person",))))


@pytest.mark.parametrize(("joined", "apart"), [
    ("علي عبدالزهرة كاظم", "علي عبد الزهرة كاظم"),
    ("عبدالله حسين", "عبد الله حسين"),
    ("ابوبكر صالح", "أبو بكر صالح"),
    ("نورالدين عباس", "نور الدين عباس"),
    ("صلاحالدين جواد", "صلاح الدين جواد"),
    ("احمد ابوعبدالله", "احمد أبو عبد الله"),
    ("نورالهدى كريم", "نور الهدى كريم"),
])
def test_a_compound_name_finds_both_spellings(db, joined, apart):
    a = store.insert(db, records.Person(full_name=joined))
    b = store.insert(db, records.Person(full_name=apart))
    store.insert(db, records.Person(full_name="زينب علي حسين الأسدي"))
    both = sorted([a.id, b.id])
    compound = [w for w in apart.split() if w not in joined.split()]
    assert person_ids(db, joined) == both
    assert person_ids(db, apart) == both
    assert person_ids(db, " ".join(compound)) == both        # the compound written apart
    assert person_ids(db, "".join(compound)) == both         # … and joined
    # As it is being typed: the first word whole, the second begun.
    first, second = " ".join(compound).rsplit(" ", 1)
    assert person_ids(db, f"{first} {second[:2]}*") == both
    assert person_ids(db, f"{first}{second[:2]}*") == both


def test_a_compound_name_in_an_activity_and_a_prefixed_head(db):
    add(db, "تكريم الأستاذ عبد الأمير حسن")
    add(db, "لقاء مع عبدالأمير حسن وعبد الرضا جاسم")
    assert titles(db, "عبدالأمير") == titles(db, "عبد الأمير") != []
    assert len(titles(db, "عبدالأمير")) == 2
    assert titles(db, "عبدالرضا") == ["لقاء مع عبدالأمير حسن وعبد الرضا جاسم"]


def test_words_that_end_like_a_compound_are_not_split():
    from models.arabic import index_words

    # الوالدين (the parents) is no «الو + الدين»; عبده and أبواب are no «عبد/أبو + …».
    assert "الو" not in index_words("بر الوالدين")
    assert "عبد" not in index_words("عبده") and "ابو" not in index_words("الأبواب")


def test_a_cached_tokenizer_gives_the_words_of_index_words():
    from models.arabic import IndexWordsCache, index_words

    cached = IndexWordsCache()
    texts = ["علي عبد الزهرة كاظم. نور الدين", "عبد \u200f الله", "(عبد) الله",
             "ﷺ أبو بكر", "عبد، الله", "الورشة التدريبية للاتصال الحكومي", "", "  ",
             "ابن  سينا بن علي"]
    for text in texts * 2:  # the second time from its cache
        assert cached(text) == index_words(text), text


def test_rebuild_with_a_words_function_uses_it(db):
    add(db, "ورشة الرصد الإعلامي")
    seen: list[str] = []

    def words(text: str) -> list[str]:
        seen.append(text)
        return ["marker"]

    search.rebuild(db.conn, words=words)
    assert "ورشة الرصد الإعلامي" in seen
    assert titles(db, "marker") == ["ورشة الرصد الإعلامي"]
    search.rebuild(db.conn)
    assert titles(db, "الرصد") == ["ورشة الرصد الإعلامي"]


_PIECES = ["عبد", "الله", "عبدالله", "أبو", "ابوبكر", "نور", "الدين", "نورالدين", "ابن", "بن",
           "وعبد", "الزهرة", "الورشة", "والدين", "عبده", "ﷲ", ".", "،", "-", "(", ")", "\u200f",
           "\u200c", "\u064e", "ﻋﺒﺪ", "x", "٢٠٢٦", " ", "  ", ". ", "\n", "\u00a0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=12),
       st.lists(st.sampled_from(["", " ", ". "]), min_size=12, max_size=12))
def test_the_cached_words_are_index_words_for_any_text(pieces, glue):
    from models.arabic import IndexWordsCache, index_words

    text = "".join(p + g for p, g in zip(pieces, glue, strict=False))
    cached = IndexWordsCache()
    assert cached(text) == index_words(text)
    assert cached(text) == index_words(text)  # from its cache


def test_a_word_of_a_follow_up_note_finds_its_recommendation(db, workshop):
    from models import recommendations

    rec = store.insert(db, records.Recommendation(activity_id=workshop.id,
                                                  text="إنشاء وحدات اتصال"))
    first = recommendations.add_note(db, rec.id, "2026-11-25", "خوطبت المحافظة بكتاب رسمي",
                                     "in_progress")
    recommendations.add_note(db, rec.id, "2026-12-01", "شكلت لجنة لدراسة التمويل")
    # Both notes, found in any spelling, and the hit is the recommendation.
    hits = search.search(db.conn, "المحافظه")
    assert [(h.type, h.id, h.status) for h in hits] == [
        ("recommendation", rec.id, "in_progress")]
    assert titles(db, "لجنة التمويل") == ["إنشاء وحدات اتصال"]
    # A deleted note's words leave; a restored one's come back.
    recommendations.delete_note(db, first.id)
    assert titles(db, "المحافظة") == []
    assert titles(db, "لجنة") == ["إنشاء وحدات اتصال"]
    store.restore(db, records.RecommendationNote, first.id)
    assert titles(db, "المحافظة") == ["إنشاء وحدات اتصال"]
    # The notes leave search with their activity and come back with it; a rebuild agrees.
    store.delete(db, records.Activity, workshop.id)
    assert titles(db, "لجنة") == []
    store.restore(db, records.Activity, workshop.id)
    assert titles(db, "لجنة") == ["إنشاء وحدات اتصال"]
    with db.atomic():
        search.rebuild(db.conn)
    assert titles(db, "المحافظة") == titles(db, "التمويل") == ["إنشاء وحدات اتصال"]


def test_the_old_follow_up_is_searched_while_a_recommendation_has_no_note(db, workshop):
    rec = store.insert(db, records.Recommendation(activity_id=workshop.id, text="توصية قديمة",
                                                  follow_up="أحيلت إلى الديوان"))
    assert titles(db, "الديوان") == ["توصية قديمة"]
    with db.atomic():
        search.rebuild(db.conn)
    assert titles(db, "الديوان") == ["توصية قديمة"]
    assert search.search(db.conn, "الديوان")[0].id == rec.id


def test_the_upgrade_to_version_10_indexes_the_notes_it_makes(db_path):
    from models.db import Database

    old = Database.open(db_path, create=True, target_version=9)
    with old.atomic():
        old.execute("INSERT INTO recommendations (id, unit_id, created_at, updated_at, text, "
                    "status, follow_up) VALUES ('r1', ?, '2026-06-10T09:00:00.000Z', "
                    "'2026-06-10T09:00:00.000Z', 'توصية قديمة', 'raised', "
                    "'خوطبت المحافظة')", (old.local_unit_id,))
        # An index left stale by older code: only the upgrade's rebuild can mend it.
        old.execute("DELETE FROM search_docs")
        old.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")
    old.close()
    with Database.open(db_path) as db:
        assert db.scalar("SELECT count(*) FROM recommendation_notes") == 1
        assert titles(db, "المحافظه") == ["توصية قديمة"]
