"""The network's two-month plan at a ministry centre (models.network_plan): which items it
lists and in what order, the clashes between units' major items, the items without a
key message or an owner, and the same on a unit's own database."""

from __future__ import annotations

import datetime as dt

import pytest

from models import bundle_merge, network_plan, plans, records, store
from models.db import Database
from models.errors import IttisalError

TODAY = dt.date(2026, 12, 4)
PERIOD = ("2026-12-01", "2027-01-31")
KARBALA, BABIL, NAJAF = "مديرية تربية كربلاء", "مديرية صحة بابل", "مديرية بلديات النجف"


def unit(db: Database, directorate: str) -> str:
    return store.insert(db, records.Unit(directorate=directorate,
                                         name="وحدة الاتصال الحكومي")).id


def item(db: Database, plan: records.Plan, title: str, date: str | None, *,
         audience: str = "المواطنون", channels: list[str] | None = None,
         priority: str = "high", status: str = "planned", key_message: str = "رسالة",
         owner: str = "شعبة الإعلام") -> records.PlanItem:
    return plans.save_item(db, records.PlanItem(
        plan_id=plan.id, unit_id=plan.unit_id, title=title, date=date, audience=audience,
        channels=channels or ["website"], priority=priority, status=status,
        key_message=key_message, owner=owner))


def seed_centre(db: Database) -> dict[str, str]:
    """A centre holding the plans of three units for December–January, and a plan of its
    own: a clash (Karbala's and Babil's major items a day apart for the youth), Najaf's
    major item on Karbala's day for another audience on another channel (no clash),
    Karbala twice on one day for one audience (no clash), a Babil item without a key
    message and a Najaf one without an owner, and what is left out or never clashes."""
    db.set_setting(bundle_merge.MODE_SETTING, bundle_merge.CENTRE)
    units = {name: unit(db, name) for name in (KARBALA, BABIL, NAJAF)}
    made = {}
    for name, unit_id in units.items():
        made[name] = store.insert(db, records.Plan(
            unit_id=unit_id, title=f"مخطط الاتصال - {name}", period_start=PERIOD[0],
            period_end=PERIOD[1]))
    k, b, n = made[KARBALA], made[BABIL], made[NAJAF]
    ids = {"units": units}
    ids["karbala_youth"] = item(db, k, "ملتقى الشباب التربوي", "2026-12-10",
                                audience="طلبة الجامعات، الشباب", channels=["facebook"]).id
    ids["babil_youth"] = item(db, b, "حملة صحة الشباب", "2026-12-11",
                              audience="الشباب والنساء", channels=["tv"]).id
    ids["najaf_staff"] = item(db, n, "ورشة موظفي البلدية", "2026-12-10",
                              audience="الموظفون", channels=["radio"]).id
    ids["karbala_teachers_1"] = item(db, k, "ندوة المعلمين", "2026-12-20",
                                     audience="المعلمون", channels=["facebook"]).id
    ids["karbala_teachers_2"] = item(db, k, "مسابقة المعلمين", "2026-12-20",
                                     audience="المعلمون", channels=["facebook"]).id
    ids["babil_no_message"] = item(db, b, "يوم التلقيح الوطني", "2027-01-05",
                                   priority="medium", key_message="  ").id
    ids["najaf_no_owner"] = item(db, n, "حملة النظافة", "2027-01-07", priority="low",
                                 owner="").id
    # Never a clash: done already, or not major, though for the youth a day from Karbala.
    ids["najaf_done"] = item(db, n, "مهرجان الشباب", "2026-12-09", audience="الشباب",
                             channels=["facebook"], status="done").id
    ids["babil_medium"] = item(db, b, "محاضرة للشباب", "2026-12-11", audience="شباب",
                               channels=["facebook"], priority="medium").id
    ids["babil_undated"] = item(db, b, "لقاء مع الصحفيين", None, priority="low").id
    # Left out: cancelled, in the recycle bin, after the period, a plan in the recycle bin.
    item(db, k, "مؤتمر ملغى", "2026-12-10", audience="الشباب", status="cancelled")
    gone = item(db, k, "فقرة محذوفة", "2026-12-11", audience="الشباب")
    store.delete(db, records.PlanItem, gone.id)
    item(db, n, "فقرة شباط", "2027-02-01", audience="الشباب")
    old = store.insert(db, records.Plan(unit_id=units[NAJAF], title="مخطط محذوف",
                                        period_start=PERIOD[0], period_end=PERIOD[1]))
    item(db, old, "فقرة مخطط محذوف", "2026-12-10", audience="الشباب")
    store.delete(db, records.Plan, old.id)
    # The centre's own plan (its local unit) is listed like any other.
    own = plans.new_plan(db, period=PERIOD, title="مخطط المركز")
    ids["centre_own"] = item(db, own, "الاجتماع الدوري لشبكة الاتصال", "2027-01-20",
                             audience="منسقو الاتصال", channels=["meeting"]).id
    return ids


@pytest.fixture
def centre(db):
    return seed_centre(db)


def titles(result: network_plan.NetworkPlan) -> list[str]:
    return [entry.item.title for entry in result.items]


def test_every_units_items_of_the_period_by_date(db, centre):
    result = network_plan.network_plan(db, today=TODAY)
    assert (result.start, result.end, result.centre) == (*PERIOD, True)
    assert titles(result) == [
        # (on one day, by directorate: بلديات before تربية)
        "مهرجان الشباب", "ورشة موظفي البلدية", "ملتقى الشباب التربوي", "حملة صحة الشباب",
        "محاضرة للشباب", "ندوة المعلمين", "مسابقة المعلمين", "يوم التلقيح الوطني",
        "حملة النظافة", "الاجتماع الدوري لشبكة الاتصال", "لقاء مع الصحفيين"]
    by_title = {e.item.title: e for e in result.items}
    assert by_title["ملتقى الشباب التربوي"].directorate == KARBALA
    assert by_title["حملة صحة الشباب"].directorate == BABIL
    assert by_title["حملة صحة الشباب"].plan_title == f"مخطط الاتصال - {BABIL}"
    assert by_title["ورشة موظفي البلدية"].unit_name == "وحدة الاتصال الحكومي"


def test_the_one_clash_is_two_units_major_items_a_day_apart_for_one_audience(db, centre):
    result = network_plan.network_plan(db, *PERIOD)
    (clash,) = result.clashes
    assert (clash.first.item.id, clash.second.item.id) == (centre["karbala_youth"],
                                                           centre["babil_youth"])
    assert clash.days == 1
    assert clash.audiences == ("الشباب",) and clash.channels == ()
    by_id = {e.item.id: e for e in result.items}
    assert [n for n, _c in result.clashes_of(by_id[centre["babil_youth"]])] == [1]
    assert result.clashes_of(by_id[centre["najaf_staff"]]) == []


def test_a_shared_channel_alone_is_a_clash_and_two_days_apart_is_not(db, centre):
    najaf = store.get(db, records.PlanItem, centre["najaf_staff"])
    najaf.channels = ["radio", "facebook"]
    store.update(db, najaf)
    (first, second) = network_plan.network_plan(db, *PERIOD).clashes
    # (on one day, the one listed first comes first: بلديات before تربية)
    assert (first.first.item.id, first.second.item.id) == (centre["najaf_staff"],
                                                           centre["karbala_youth"])
    assert (first.days, first.audiences, first.channels) == (0, (), ("facebook",))
    assert (second.first.item.id, second.second.item.id) == (centre["karbala_youth"],
                                                             centre["babil_youth"])
    babil = store.get(db, records.PlanItem, centre["babil_youth"])
    babil.date = "2026-12-12"
    store.update(db, babil)
    assert [(c.first.item.id, c.second.item.id)
            for c in network_plan.network_plan(db, *PERIOD).clashes] == [
        (centre["najaf_staff"], centre["karbala_youth"])]


def test_flags_are_the_open_items_without_a_message_or_an_owner(db, centre):
    result = network_plan.network_plan(db, *PERIOD)
    assert [e.item.id for e in result.items if e.no_message] == [centre["babil_no_message"]]
    assert [e.item.id for e in result.items if e.no_owner] == [centre["najaf_no_owner"]]
    # A done item is not flagged: it took place.
    done = store.get(db, records.PlanItem, centre["najaf_done"])
    done.owner = ""
    store.update(db, done)
    assert network_plan.network_plan(db, *PERIOD).no_owner == 1


def test_counts_per_directorate(db, centre):
    counts = {c.directorate: c for c in network_plan.network_plan(db, *PERIOD).counts()}
    assert set(counts) == {KARBALA, BABIL, NAJAF, db_local_label(db)}
    assert (counts[KARBALA].items, counts[KARBALA].major, counts[KARBALA].clashes) == (3, 3, 1)
    assert (counts[BABIL].items, counts[BABIL].clashes, counts[BABIL].no_message) == (4, 1, 1)
    assert (counts[NAJAF].items, counts[NAJAF].clashes, counts[NAJAF].no_owner) == (3, 0, 1)


def db_local_label(db: Database) -> str:
    return network_plan.UNNAMED_CENTRE  # the centre's own unit, its settings left empty


def test_audiences_meet_whatever_their_spelling(db):
    assert set(network_plan.audience_parts("طلبة الجامعات، الشباب")) == {
        "طلبه جامعات", "شباب"}
    assert set(network_plan.audience_parts("الشباب والنساء")) == {"شباب", "نساء"}
    assert set(network_plan.audience_parts("الشباب و النساء؛ الأطفال")) == {
        "شباب", "نساء", "اطفال"}
    assert network_plan.audience_parts("") == {}


def test_a_unit_database_lists_its_own_items_and_finds_no_clash(db, centre):
    db.set_setting(bundle_merge.MODE_SETTING, "unit")
    result = network_plan.network_plan(db, *PERIOD)
    assert not result.centre
    assert titles(result) == ["الاجتماع الدوري لشبكة الاتصال"]
    assert result.clashes == []
    # Even with another unit's rows in it (not a centre: not its to show).
    assert network_plan.network_plan(db, *PERIOD, centre=True).clashes


def test_the_default_period_is_this_month_and_the_next(db):
    assert network_plan.period_of(today=TODAY) == PERIOD
    assert network_plan.period_of("2026-12-01", "2026-12-31") == ("2026-12-01", "2026-12-31")


@pytest.mark.parametrize("bounds", [("2026-12-01", None), ("2026-13-01", "2027-01-31"),
                                    ("2027-01-31", "2026-12-01")])
def test_a_period_it_cannot_use_is_refused_in_both_languages(bounds):
    with pytest.raises(IttisalError) as caught:
        network_plan.period_of(*bounds)
    assert caught.value.arabic and caught.value.english


def unit_file(folder, directorate: str, title: str, audience: str) -> object:
    """A unit's own database (its own folder and keys) with an approved plan (what a
    bundle sends) of one major item on 10 December for ``audience``."""
    folder.mkdir()
    path = folder / "unit.sqlite3"
    with Database.open(path, create=True) as db:
        with db.atomic():
            db.execute("UPDATE units SET directorate = ?", (directorate,))
        plan = store.insert(db, records.Plan(title="مخطط الاتصال", period_start=PERIOD[0],
                                             period_end=PERIOD[1], status="approved"))
        item(db, plan, title, "2026-12-10", audience=audience)
    return path


def test_at_a_centre_made_from_real_bundles(tmp_path):
    from models import data_bundle

    bundles = []
    for n, (directorate, title, audience) in enumerate([
            (KARBALA, "ملتقى الشباب التربوي", "الشباب"),
            (BABIL, "حملة صحة الشباب", "شباب بابل، والشباب")]):
        path = unit_file(tmp_path / f"unit{n}", directorate, title, audience)
        with Database.open(path) as db:
            # (a unit's own database: its items only, no clash with anyone)
            assert titles(network_plan.network_plan(db, *PERIOD)) == [title]
            bundles.append(data_bundle.export(db, tmp_path / f"u{n}.ittisal").path)
    (tmp_path / "centre").mkdir()
    with Database.open(tmp_path / "centre" / "centre.sqlite3", create=True) as db:
        for bundle in bundles:
            bundle_merge.import_bundle(db, bundle)
        assert bundle_merge.is_centre(db)
        result = network_plan.network_plan(db, *PERIOD)
    assert [(e.directorate, e.item.title) for e in result.items] == [
        (KARBALA, "ملتقى الشباب التربوي"), (BABIL, "حملة صحة الشباب")]
    (clash,) = result.clashes
    assert (clash.days, clash.audiences) == (0, ("الشباب",))
