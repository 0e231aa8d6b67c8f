"""Property test: on random catalogues no returned match ever breaks a hard rule."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.engine import (
    Activity,
    Audience,
    Catalogue,
    MatchRequest,
    Provider,
    cost,
    fits_audience,
    fits_budget,
    fits_participants,
    fits_size,
    fits_time,
    serves_place,
)

GEMEENTEN = ["Amsterdam", "Zaanstad", "Utrecht", "*"]
PERIODS = ["schooltijd", "naschools", "weekend", "zomervakantie"]
INTERVENTIONS = ["zomerschool", "welbevinden", "cultuureducatie", "uitbreiding-onderwijstijd"]
WORDS = [
    "zomerschool",
    "theater",
    "emoties",
    "na schooltijd",
    "samen",
    "ouders",
    "museum",
    "vakantie",
    "pesten",
    "dans",
    "verlengde schooldag",
    "liedjes",
]


@st.composite
def providers(draw, key):
    serves = draw(st.lists(st.sampled_from(GEMEENTEN), max_size=2, unique=True))
    return Provider(key, key, "overig", draw(st.sampled_from(GEMEENTEN[:3])), tuple(serves))


@st.composite
def activities(draw, key, provider_keys):
    sector = draw(st.sampled_from(["po", "so", "vo"]))
    top = 6 if sector == "vo" else 8
    grades = draw(st.lists(st.integers(1, top), min_size=1, max_size=3, unique=True))
    low = draw(st.integers(1, 20))
    return Activity(
        key=key,
        provider_key=draw(st.sampled_from(provider_keys)),
        title=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=3))),
        description=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6))),
        disciplines=(draw(st.sampled_from(["theater", "dans", "muziek"])),),
        format=draw(st.sampled_from(["workshop", "lessenreeks", "voorstelling"])),
        audience=(Audience(sector, tuple(sorted(grades))),),
        group_min=low,
        group_max=low + draw(st.integers(0, 20)),
        sessions=draw(st.integers(1, 10)),
        minutes_per_session=60,
        periods=tuple(
            draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=2, unique=True))
        ),
        location="op-school",
        price_amount=float(draw(st.integers(0, 2000))),
        price_per=draw(st.sampled_from(["groep", "leerling", "sessie"])),
        interventions=tuple(draw(st.lists(st.sampled_from(INTERVENTIONS), max_size=1))),
    )


@st.composite
def worlds(draw):
    provs = [draw(providers(f"p{i}")) for i in range(draw(st.integers(1, 3)))]
    keys = [p.key for p in provs]
    acts = [draw(activities(f"a{i}", keys)) for i in range(draw(st.integers(0, 12)))]
    req = MatchRequest(
        key="r",
        school_name="School",
        sector=draw(st.sampled_from(["po", "so", "vo"])),
        gemeente=draw(st.sampled_from(GEMEENTEN[:3])),
        interventions=tuple(
            draw(st.lists(st.sampled_from(INTERVENTIONS), min_size=1, max_size=2, unique=True))
        ),
        grades=tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=2, unique=True))),
        pupils=draw(st.integers(1, 60)),
        periods=tuple(draw(st.lists(st.sampled_from(PERIODS), max_size=2, unique=True))),
        budget=draw(st.one_of(st.none(), st.floats(0, 5000))),
        wishes=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=3))),
    )
    return provs, acts, req


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_no_match_breaks_a_hard_rule(world):
    provs, acts, req = world
    cat = Catalogue(provs, acts)
    by_key = {a.key: a for a in acts}
    by_provider = {p.key: p for p in provs}
    matches = cat.match(req, limit=None)
    for m in matches:
        act = by_key[m.activity_key]
        assert fits_audience(act, req)
        assert serves_place(by_provider[act.provider_key], req.gemeente)
        assert fits_time(act, req)
        assert fits_size(act, req)
        assert fits_budget(act, req)
        links = cat.links(act.key)
        assert fits_participants(links.participants.value, req)
        # What it fills: claimed or inferred, and judged by what each intervention takes.
        claimed_or_inferred = set(act.interventions) | {
            i.key for i in cat.inferred(act.key) if i.confidence >= cat.thesaurus.threshold
        }
        assert set(m.interventions) <= claimed_or_inferred
        assert set(m.interventions) == set(req.interventions) & set(links.fits)
        assert not set(m.interventions) & set(links.discounted)
        assert m.interventions
        assert m.cost == round(cost(act, req.pupils), 2)
    scores = [(-m.score, m.activity_key) for m in matches]
    assert scores == sorted(scores)
    plan = cat.plan(req)
    if req.budget is not None:
        assert plan.total_cost <= req.budget + 1e-6
    assert {m.activity_key for m in plan.matches} <= {m.activity_key for m in matches}
