"""What a certificate says: the body template, gender grammar, the stored style, and the
pages made for the attendees (issued once, in one transaction)."""

from __future__ import annotations

import dataclasses

import pytest

from models import attendance, certificates, records, store
from models.certificate_pages import attended, prepare, preview
from models.certificate_style import (
    DEFAULT_BODY,
    CertificateStyle,
    Signatory,
    clear_activity_style,
    has_activity_style,
    load_style,
    render,
    save_style,
    style_problems,
)
from models.errors import IttisalError, ValidationError


@pytest.fixture
def listed(db, workshop):
    """The workshop with a woman, a man (gender not recorded) and an absentee."""
    zainab = store.insert(db, records.Person(full_name="زينب علي حسين كاظم", gender="f",
                                             entity="جامعة كربلاء"))
    ahmed = store.insert(db, records.Person(full_name="أحمد عبد الكريم حسن"))
    absent = store.insert(db, records.Person(full_name="سعد جاسم محمد", gender="m"))
    for p in (zainab, ahmed):
        attendance.add(db, workshop.id, p.id)
    row = attendance.add(db, workshop.id, absent.id)
    attendance.set_days(db, row.id, [])
    return zainab, ahmed, absent


def test_gender_pairs_pick_the_feminine_for_a_woman_and_the_masculine_otherwise():
    template = "{السيد/السيدة} {name} {شارك/شاركت} بصفة {المشارك/المشاركة}"
    assert render(template, {"name": "زينب"}, "f") == "السيدة زينب شاركت بصفة المشاركة"
    assert render(template, {"name": "أحمد"}, "m") == "السيد أحمد شارك بصفة المشارك"


def test_an_optional_part_disappears_when_its_field_is_empty():
    template = "إلى {name}[ من {entity}] في {place}."
    assert render(template, {"name": "زينب", "entity": "", "place": "كربلاء"}, "f") == \
        "إلى زينب في كربلاء."
    assert render(template, {"name": "زينب", "entity": "الجامعة", "place": "كربلاء"},
                  "f") == "إلى زينب من الجامعة في كربلاء."


@pytest.mark.parametrize(("body", "fragment"), [
    ("{foo} شارك", "{foo}"),
    ("شارك {name", "{"),
    ("شارك [من {entity}", "["),
    ("", "فارغ"),
])
def test_a_broken_template_is_refused_in_arabic_and_nothing_is_stored(db, body, fragment):
    style = CertificateStyle(body=body)
    problems = style_problems(style)
    assert problems and fragment in problems[0].arabic
    with pytest.raises(ValidationError):
        save_style(db, style)
    assert load_style(db).body == DEFAULT_BODY


def test_more_than_three_signatories_or_a_nameless_one_is_refused():
    four = CertificateStyle(signatories=[Signatory(f"م{i}", "مدير") for i in range(4)])
    assert any("ثلاثة" in p.arabic for p in style_problems(four))
    nameless = CertificateStyle(signatories=[Signatory("", "مدير الوحدة")])
    assert any("بلا اسم" in p.arabic for p in style_problems(nameless))


def test_an_activity_style_overrides_the_units_until_cleared(db, workshop):
    save_style(db, CertificateStyle(design="modern", title="شهادة تقدير"))
    assert load_style(db, workshop.id).design == "modern"
    save_style(db, CertificateStyle(design="minimal"), workshop.id)
    assert has_activity_style(db, workshop.id)
    assert load_style(db, workshop.id).design == "minimal"
    assert load_style(db).design == "modern"
    clear_activity_style(db, workshop.id)
    assert load_style(db, workshop.id).title == "شهادة تقدير"


def test_a_damaged_stored_style_falls_back_to_the_defaults(db):
    db.set_setting("certificate_style", "{not json")
    assert load_style(db) == CertificateStyle()
    db.set_setting("certificate_style", '{"design": "gothic", "logos": [1, "a.png"]}')
    style = load_style(db)
    assert style.design == "formal" and style.logos == ["a.png"]


def test_pages_carry_the_feminine_and_masculine_forms_and_the_names(db, workshop, listed):
    zainab, ahmed, _ = listed
    pages = prepare(db, workshop.id)
    assert [p.name for p in pages] == [zainab.full_name, ahmed.full_name]
    her, him = pages
    assert her.lead.endswith("السيدة") and "لمشاركتها" in her.body
    assert "من جامعة كربلاء" in her.body
    assert him.lead.endswith("السيد") and "لمشاركته" in him.body
    assert " من " not in him.body.split("تقديراً")[0]  # no entity: the part is left out
    assert "للمدة ٢٢–٢٣\u00a0تشرين\u00a0الثاني\u00a0٢٠٢٦" in her.body
    assert her.gender == "f" and him.gender == "m"


def test_the_default_choice_is_everyone_who_attended(db, workshop, listed):
    zainab, ahmed, absent = listed
    assert [p.id for p in attended(db, workshop.id)] == [zainab.id, ahmed.id]
    assert all(p.person_id != absent.id for p in prepare(db, workshop.id))


def test_pages_are_issued_once_and_reprints_keep_the_serial(db, workshop, listed):
    first = prepare(db, workshop.id)
    again = prepare(db, workshop.id)
    assert [p.serial for p in first] == [p.serial for p in again]
    assert len({p.serial for p in first}) == 2
    cert = certificates.find(db, first[0].person_id, workshop.id)
    assert cert.reprints == 1
    for page in again:
        assert certificates.verify(db, page.qr).genuine
        assert certificates.verify(db, page.code).genuine


def test_someone_not_on_the_list_stops_the_whole_batch(db, workshop, listed):
    stranger = store.insert(db, records.Person(full_name="غريب عن القائمة"))
    with pytest.raises(IttisalError, match="ليس في قائمة"):
        prepare(db, workshop.id, [listed[0].id, stranger.id])
    assert store.count(db, records.Certificate) == 0


def test_a_cancel_during_issuing_issues_nothing(db, workshop, listed):
    class Stop(Exception):
        pass

    def progress(done, total):
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        prepare(db, workshop.id, progress=progress)
    assert store.count(db, records.Certificate) == 0


def test_the_preview_shows_a_real_attendee_and_issues_nothing(db, workshop, listed):
    page = preview(db, workshop.id)
    assert page.name == listed[0].full_name
    assert page.serial.endswith("-0000")
    assert store.count(db, records.Certificate) == 0
    issued = prepare(db, workshop.id, [listed[1].id])[0]
    assert preview(db, workshop.id, listed[1]).serial == issued.serial


def test_the_unit_writes_western_digits_if_it_chose_them(db, workshop, listed):
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, digits="western", name="وحدة الاتصال"))
    page = prepare(db, workshop.id, [listed[0].id])[0]
    assert "22–23\u00a0تشرين\u00a0الثاني\u00a02026" in page.body
    assert page.issuer[-1] == "وحدة الاتصال"


def test_someone_in_the_recycle_bin_gets_no_certificate(db, workshop, listed):
    zainab, ahmed, _ = listed
    store.delete(db, records.Person, ahmed.id)
    assert [p.person_id for p in prepare(db, workshop.id)] == [zainab.id]
    with pytest.raises(IttisalError, match="سلة المحذوفات"):
        prepare(db, workshop.id, [ahmed.id])


def test_a_corrected_name_is_what_a_reprint_prints_and_its_qr_carries(db, workshop, listed):
    zainab = listed[0]
    first = prepare(db, workshop.id, [zainab.id])[0]
    certificates.correct_name(db, first.certificate_id, "زينب علي حسين كاظم الموسوي")
    page = prepare(db, workshop.id, [zainab.id])[0]
    assert page.name == "زينب علي حسين كاظم الموسوي"
    assert page.qr.split("|")[1] == page.name
    assert certificates.verify(db, page.qr).genuine
    assert not certificates.verify(db, first.qr).genuine  # the old print is outdated


def test_a_person_renamed_after_printing_gets_the_new_name_on_reprint(db, workshop, listed):
    ahmed = listed[1]
    first = prepare(db, workshop.id, [ahmed.id])[0]
    store.update(db, dataclasses.replace(store.get(db, records.Person, ahmed.id),
                                         full_name="أحمد عبد الكريم حسن الجبوري"))
    page = prepare(db, workshop.id, [ahmed.id])[0]
    assert page.serial == first.serial
    assert page.name == "أحمد عبد الكريم حسن الجبوري"
    assert certificates.verify(db, page.qr).genuine
    cert = certificates.find(db, ahmed.id, workshop.id)
    assert (cert.revision, cert.reprints) == (1, 1)


def test_a_huge_or_broken_stored_style_is_cut_to_size(db):
    db.set_setting("certificate_style",
                   CertificateStyle(title="ش" * 500, body="نص " * 3000).to_json())
    style = load_style(db)
    assert len(style.title) == 60 and len(style.body) <= 1000
    db.set_setting("certificate_style", CertificateStyle(body="{foo} شارك").to_json())
    assert load_style(db).body == DEFAULT_BODY


def test_a_name_with_digits_prints_exactly_as_signed(db, workshop):
    person = store.insert(db, records.Person(full_name="علي 2 حسن كاظم"))
    attendance.add(db, workshop.id, person.id)
    page = prepare(db, workshop.id)[0]
    assert page.name == "علي 2 حسن كاظم" == page.qr.split("|")[1]


def test_a_person_chosen_twice_gets_one_page(db, workshop, listed):
    pages = prepare(db, workshop.id, [listed[0].id, listed[0].id, listed[1].id])
    assert [p.person_id for p in pages] == [listed[0].id, listed[1].id]
    assert certificates.find(db, listed[0].id, workshop.id).reprints == 0


def _set_head(db, name: str, title: str) -> None:
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, head_name=name, head_title=title))


def test_the_unit_head_signs_when_the_style_names_nobody(db, workshop, listed):
    _set_head(db, "د. علي حسين الربيعي", "مدير شعبة الإعلام والاتصال الحكومي")
    pages = prepare(db, workshop.id, style=CertificateStyle())
    assert pages and all(
        [(s.name, s.title, s.image) for s in p.signers]
        == [("د. علي حسين الربيعي", "مدير شعبة الإعلام والاتصال الحكومي", None)]
        for p in pages)
    # The preview shows the same signatory.
    assert [s.name for s in preview(db, workshop.id).signers] == ["د. علي حسين الربيعي"]


def test_the_styles_own_signatories_replace_the_default(db, workshop, listed):
    _set_head(db, "د. علي حسين الربيعي", "مدير الشعبة")
    style = CertificateStyle(signatories=[Signatory("أ.د. حسن جبار الشمري", "رئيس الجامعة"),
                                          Signatory("م. زهراء كاظم", "مديرة الإعلام")])
    (page, *_) = prepare(db, workshop.id, style=style)
    assert [s.name for s in page.signers] == ["أ.د. حسن جبار الشمري", "م. زهراء كاظم"]


def test_without_a_head_in_settings_nobody_is_made_up(db, workshop, listed):
    (page, *_) = prepare(db, workshop.id, style=CertificateStyle())
    assert page.signers == ()


def _png(path, color):
    from PIL import Image

    Image.new("RGB", (120, 120), color).save(path)
    return path


def test_the_units_logo_is_on_certificates_whose_style_has_none(db, workshop, listed,
                                                                 tmp_path):
    from models import settings_store

    ref = settings_store.kept_file(db, str(_png(tmp_path / "logo.png", "green")), "",
                                   image=True)
    unit = store.get(db, records.Unit, db.local_unit_id)
    store.update(db, dataclasses.replace(unit, logo_path=ref))
    pages = prepare(db, workshop.id, style=CertificateStyle())
    assert pages and all(len(p.logos) == 1 and p.logos[0].exists() for p in pages)
    assert len(preview(db, workshop.id).logos) == 1
    # A style that chooses its own logos shows those only.
    own = settings_store.kept_file(db, str(_png(tmp_path / "own.png", "red")), "",
                                   image=True)
    (page, *_) = prepare(db, workshop.id, style=CertificateStyle(logos=[own]))
    assert len(page.logos) == 1 and page.logos[0] != pages[0].logos[0]


def test_without_a_logo_anywhere_none_is_made_up(db, workshop, listed):
    (page, *_) = prepare(db, workshop.id, style=CertificateStyle())
    assert page.logos == ()
