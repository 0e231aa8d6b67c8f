"""A curator's verdict on intervention links overrides claims and inference."""

from __future__ import annotations

from dataclasses import replace

from matcher.engine import Catalogue
from matcher.engine.model import Activity, Audience, MatchRequest, Provider

PROVIDER = Provider(key="p", name="Theater", kind="jeugdtheater", gemeente="Utrecht")
SUMMER = Activity(
    key="zomer", provider_key="p", title="Zomertheaterweek",
    description="Een week theater maken in de zomervakantie.", disciplines=("theater",),
    format="lessenreeks", audience=(Audience("po", (5, 6)),), group_min=5, group_max=30,
    sessions=5, minutes_per_session=90, periods=("zomervakantie",), location="op-school",
    price_amount=500.0, price_per="groep", interventions=("zomerschool",))
REQUEST = MatchRequest(key="r", school_name="OBS", sector="po", gemeente="Utrecht",
                       interventions=("zomerschool",), grades=(5,), pupils=20)


def test_dropped_link_is_not_offered_even_when_claimed_and_in_the_text():
    dropped = replace(SUMMER, curator_dropped=("zomerschool",))
    assert Catalogue([PROVIDER], [dropped]).match(REQUEST) == []


def test_verified_link_fills_without_a_claim_and_says_so():
    plain = replace(SUMMER, key="plain", title="Theater", description="Theater maken.",
                    interventions=(), periods=("schooltijd",), sessions=1)
    request = replace(REQUEST, periods=())
    assert Catalogue([PROVIDER], [plain]).match(request) == []
    verified = replace(plain, curator_verified=("zomerschool",))
    [found] = Catalogue([PROVIDER], [verified]).match(request)
    assert found.interventions == ("zomerschool",)
    assert any("bevestigd door de curator" in reason for reason in found.reasons)
