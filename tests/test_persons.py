"""Persons: completion, duplicate spotting, history and merging."""

from __future__ import annotations

import pytest

from models import attendance, persons, records, search, store
from models.errors import ValidationError


def person(db, name, **fields):
    return store.insert(db, records.Person(full_name=name, **fields))


def test_completion_takes_any_words_in_any_spelling(db):
    zainab = person(db, "زينب علي حسين الأسدي")
    person(db, "علي كاظم جواد الموسوي")
    assert [p.id for p in persons.complete(db, "زينب الاس")] == [zainab.id]
    assert [p.id for p in persons.complete(db, "الإسدي")] == [zainab.id]
    assert len(persons.complete(db, "علي")) == 2
    assert persons.complete(db, "  ") == []


def test_matches_by_folded_name_or_phone(db):
    a = person(db, "زينب علي حسين الأسدي", phone="0770 123 4567")
    assert [p.id for p in persons.matches(db, "زينب  علي حسين الاسدي")] == [a.id]
    assert [p.id for p in persons.matches(db, "اسم آخر", "+964 770 123 4567")] == [a.id]
    assert [p.id for p in persons.matches(db, "اسم آخر", "٠٧٧٠١٢٣٤٥٦٧")] == [a.id]
    assert persons.matches(db, "زينب علي حسن الأسدي") == []


def test_history_lists_activities_newest_first(db):
    p = person(db, "حسن علي كاظم")
    old = store.insert(db, records.Activity(title="اجتماع", start_date="2026-01-10"))
    new = store.insert(db, records.Activity(title="ورشة", start_date="2026-11-22",
                                            end_date="2026-11-23"))
    attendance.add(db, old.id, p.id)
    attendance.add(db, new.id, p.id, days=[2])
    store.insert(db, records.Certificate(person_id=p.id, activity_id=new.id,
                                         serial="KRB-2026-0001", issued_at="x"))
    got = persons.history(db, p.id)
    assert [h.title for h in got] == ["ورشة", "اجتماع"]
    assert got[0].days == [2] and got[0].certificate_serial == "KRB-2026-0001"
    assert got[1].certificate_serial is None


def test_merge_moves_attendance_fills_gaps_and_bins_the_duplicate(db):
    keep = person(db, "زينب علي حسين الأسدي", phone="07701234567")
    drop = person(db, "زينب علي حسين الاسدي", email="zainab@example.iq", job_title="مبرمجة")
    both = store.insert(db, records.Activity(title="ورشة", start_date="2026-11-22"))
    only_drop = store.insert(db, records.Activity(title="ندوة", start_date="2026-10-01"))
    attendance.add(db, both.id, keep.id)
    attendance.add(db, both.id, drop.id)
    attendance.add(db, only_drop.id, drop.id)

    merged = persons.merge(db, keep.id, drop.id)
    assert merged.email == "zainab@example.iq" and merged.phone == "07701234567"
    assert [h.title for h in persons.history(db, keep.id)] == ["ورشة", "ندوة"]
    assert attendance.count(db, both.id) == 1
    assert store.count(db, records.Person) == 1
    assert store.get(db, records.Person, drop.id, include_deleted=True).deleted_at
    assert db.scalar("PRAGMA foreign_key_check") is None


def test_merge_keeps_the_live_row_when_keeps_own_was_removed(db):
    keep = person(db, "زينب علي حسين الأسدي")
    drop = person(db, "زينب علي حسين الاسدي")
    workshop = store.insert(db, records.Activity(title="ورشة", start_date="2026-11-22",
                                                 end_date="2026-11-23"))
    mistaken = attendance.add(db, workshop.id, keep.id)
    attendance.remove(db, mistaken.id)
    attendance.add(db, workshop.id, drop.id, days=[2])
    persons.merge(db, keep.id, drop.id)
    listed = attendance.attendees(db, workshop.id)
    assert [(a.person.id, a.days) for a in listed] == [(keep.id, [2])]
    assert attendance.count(db, workshop.id) == 1


# --- compound names and three-part names (issue 11) -----------------------------------

@pytest.mark.parametrize(("stored", "typed"), [
    ("علي عبدالزهرة كاظم الموسوي", "علي عبد الزهرة كاظم الموسوي"),
    ("علي عبد الزهرة كاظم الموسوي", "علي عبدالزهرة كاظم الموسوي"),
    ("عبدالله حسين علي", "عبد الله حسين علي"),
    ("أبو بكر محمد علي", "ابوبكر محمد علي"),
    ("نورالدين صالح مهدي", "نور الدين صالح مهدي"),
    ("صلاح الدين عباس جواد", "صلاحالدين عباس جواد"),
    ("أحمد أبو عبد الله", "احمد ابوعبدالله"),
    ("محمد بن علي حسن", "محمد ابن علي حسن"),
    # the commonest compounds of women's and men's names besides عبد/أبو/…الله/…الدين
    ("نورالهدى علي حسين", "نور الهدى علي حسين"),
    ("زين العابدين كاظم جواد", "زينالعابدين كاظم جواد"),
])
def test_a_compound_name_joined_or_apart_is_one_person(db, stored, typed):
    known = person(db, stored)
    person(db, "زينب علي حسين الأسدي")
    assert [p.id for p in persons.matches(db, typed)] == [known.id]


def test_words_that_only_look_like_compounds_stay_apart(db):
    person(db, "عبده علي حسين")          # عبده is a name of its own, not عبد + ه
    person(db, "علي عبد، الله")           # a comma parts them: two words
    assert persons.matches(db, "عبد علي حسين") == []
    assert persons.matches(db, "علي عبدالله") == []
    # The word عبد, not a beginning: عبده does not hold it.
    assert [h.title for h in search.search(db.conn, "عبد")] == ["علي عبد، الله"]


def test_a_three_part_name_of_a_four_part_one_with_the_same_entity_is_offered(db):
    four = person(db, "علي عبد الزهرة كاظم الموسوي", entity="مديرية تربية كربلاء",
                  phone="07701234567")
    # Same first three parts (the compound written joined) and the same entity, spelt
    # with ه for ة.
    assert [p.id for p in persons.matches(db, "علي عبدالزهرة كاظم",
                                          entity="مديرية تربيه كربلاء")] == [four.id]
    # The same phone, another entity.
    assert [p.id for p in persons.matches(db, "علي عبد الزهرة كاظم", "0770 123 4567",
                                          entity="دائرة صحة كربلاء")] == [four.id]
    # A four-part name offered the known three-part one, the other way round.
    three = person(db, "حسن جواد كاظم", entity="دائرة صحة كربلاء")
    assert [p.id for p in persons.matches(db, "حسن جواد كاظم العلي",
                                          entity="دائرة صحة كربلاء")] == [three.id]
    # Neither phone nor entity in common: a namesake, not offered.
    assert persons.matches(db, "علي عبد الزهرة كاظم", entity="دائرة صحة كربلاء") == []
    assert persons.matches(db, "علي عبد الزهرة كاظم") == []
    # Two parts are not enough to go by; nor is a different third part.
    person(db, "حيدر كاظم", entity="دائرة صحة كربلاء")
    assert persons.matches(db, "حيدر كاظم جواد", entity="دائرة صحة كربلاء") == []
    assert persons.matches(db, "علي عبد الزهرة جواد", entity="مديرية تربية كربلاء") == []


@pytest.mark.parametrize("phone", ["12", "٧", "1 2"])
def test_a_phone_too_short_is_said_to_be_too_short(db, phone):
    with pytest.raises(ValidationError) as caught:
        person(db, "علي حسين كاظم", phone=phone)
    assert caught.value.field == "phone"
    assert "قصير" in caught.value.arabic and "too short" in caught.value.english
    assert "أرقاماً فقط" not in caught.value.arabic


@pytest.mark.parametrize("phone", ["abc", "12a", "هاتف المكتب", "07701234567 ext"])
def test_a_phone_with_letters_is_said_to_take_digits_only(db, phone):
    with pytest.raises(ValidationError) as caught:
        person(db, "علي حسين كاظم", phone=phone)
    assert "أرقاماً فقط" in caught.value.arabic and "only digits" in caught.value.english


@pytest.mark.parametrize("phone", ["104", "07701234567", "+964 770 123 4567",
                                   "07701234567 / 07801234567", "(0)770-123-4567",
                                   # a space after the plus, Arabic-Indic digits
                                   "+ 964 770 123 4567", "٠٧٧٠ ١٢٣ ٤٥٦٧", "+٩٦٤ ٧٧٠ ١٢٣ ٤٥٦٧"])
def test_real_phones_are_accepted(db, phone):
    assert person(db, "علي حسين كاظم", phone=phone).phone == phone
