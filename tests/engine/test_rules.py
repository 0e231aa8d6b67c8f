"""The cost formula and every hard rule of the spec, one predicate at a time."""

from __future__ import annotations

import pytest

from matcher.engine import (
    Audience,
    cost,
    fills_intervention,
    fits_audience,
    fits_budget,
    fits_participants,
    fits_size,
    fits_time,
    group_count,
    obeys_hard_rules,
    serves_place,
)

from .factories import activity, provider, request


@pytest.mark.parametrize(
    ("per", "amount", "pupils", "group_max", "sessions", "expected"),
    [
        ("leerling", 7.5, 27, 120, 1, 202.5),
        ("groep", 1300.0, 25, 28, 5, 1300.0),
        ("groep", 1300.0, 29, 28, 5, 2600.0),  # 29 pupils: two groups
        ("sessie", 180.0, 27, 30, 5, 900.0),
        ("sessie", 110.0, 16, 15, 12, 2640.0),  # 2 groups x 12 sessions x 110
        ("leerling", 35.0, 25, 20, 5, 875.0),  # per leerling ignores groups
    ],
)
def test_cost_formula(per, amount, pupils, group_max, sessions, expected):
    act = activity(price_per=per, price_amount=amount, group_max=group_max, sessions=sessions)
    assert cost(act, pupils) == pytest.approx(expected)


def test_groups_are_ceil_of_pupils_over_max():
    act = activity(group_max=15)
    assert [group_count(act, n) for n in (1, 15, 16, 30, 31)] == [1, 1, 2, 2, 3]


def test_cost_rejects_unknown_unit():
    with pytest.raises(ValueError, match="price unit"):
        cost(activity(price_per="dag"), 10)


def test_rule_1_audience_sector_and_grade():
    act = activity(audience=(Audience("po", (5, 6)), Audience("vo", (1,))))
    assert fits_audience(act, request(grades=(6, 7)))
    assert not fits_audience(act, request(grades=(7, 8)))
    assert fits_audience(act, request(sector="vo", grades=(1,)))
    # groep 5 exists in po, but the school is vo: leerjaar 5 is not offered
    assert not fits_audience(act, request(sector="vo", grades=(5,)))
    assert not fits_audience(act, request(sector="so", grades=(5,)))


def test_rule_2_place():
    assert serves_place(provider(), "Amsterdam")  # no serves: its own gemeente
    assert not serves_place(provider(), "Zaanstad")
    assert serves_place(provider(serves=("Zaanstad",)), "Zaanstad")
    assert not serves_place(provider(serves=("Zaanstad",)), "Amsterdam")
    assert serves_place(provider(serves=("*",)), "Vaals")
    assert not serves_place(None, "Amsterdam")


def test_rule_3_time_only_when_periods_given():
    act = activity(periods=("naschools", "weekend"))
    assert fits_time(act, request(periods=()))
    assert fits_time(act, request(periods=("weekend", "zomervakantie")))
    assert not fits_time(act, request(periods=("schooltijd",)))


def test_rule_4_size_min_only():
    act = activity(group_min=12, group_max=20)
    assert not fits_size(act, request(pupils=11))
    assert fits_size(act, request(pupils=12))
    assert fits_size(act, request(pupils=100))  # split into groups, never too large


def test_rule_5_budget():
    act = activity(price_amount=1000.0, price_per="groep", group_max=30)
    assert fits_budget(act, request(budget=None))
    assert fits_budget(act, request(budget=1000.0))
    assert not fits_budget(act, request(budget=999.99))
    assert not fits_budget(act, request(pupils=31, budget=1500.0))  # two groups
    # float noise must not reject an exact budget
    assert fits_budget(
        activity(price_amount=0.1, price_per="leerling"), request(pupils=3, budget=0.3)
    )


def test_rule_6_intervention():
    both = request(interventions=("zomerschool", "welbevinden"))
    assert fills_intervention({"welbevinden"}, both)
    assert not fills_intervention({"zomerschool"}, request(interventions=("welbevinden",)))
    assert not fills_intervention(set(), request())


def test_rule_0_participants():
    pupils, team = request(), request(participants="team")
    assert fits_participants("leerlingen", pupils)
    assert fits_participants("leerlingen-en-ouders", pupils)
    assert not fits_participants("team", pupils)
    assert fits_participants("team", team)
    assert not fits_participants("leerlingen", team)
    assert not fits_participants("leerlingen-en-ouders", team)


def test_all_rules_together():
    act = activity()
    fill = {"cultuureducatie"}
    assert obeys_hard_rules(act, provider(), request(), fill, "leerlingen")
    assert not obeys_hard_rules(act, provider(), request(), set(), "leerlingen")
    assert not obeys_hard_rules(act, provider(gemeente="Utrecht"), request(), fill, "leerlingen")
    assert not obeys_hard_rules(act, provider(), request(), fill, "team")
