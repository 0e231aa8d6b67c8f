"""Quality on the shared samples, computed as samples/evaluate.py does, in memory."""

from __future__ import annotations

import math

import pytest

from matcher.engine import Catalogue, Match, cost
from matcher.exchange import parse_offers, parse_request, to_engine_offers, to_engine_request

from .factories import SAMPLES, load_sample

REQUESTS = sorted(p.name for p in (SAMPLES / "requests").glob("*.json"))


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    providers, activities = to_engine_offers(parse_offers(load_sample("offers.json")))
    return Catalogue(providers, activities)


@pytest.fixture(scope="module")
def results(catalogue) -> dict[str, list[Match]]:
    out = {}
    for name in REQUESTS:
        request = to_engine_request(parse_request(load_sample(f"requests/{name}")))
        out[request.key] = catalogue.match(request, limit=10)
    return out


def broken_rules(act, prov, req) -> list[str]:
    """Hard rules 1-5 exactly as evaluate.py checks them, on the raw JSON."""
    broken = []
    school = req["school"]
    grades = [
        g for aud in act["audience"] if aud["sector"] == school["sector"] for g in aud["grades"]
    ]
    if not set(grades) & set(req["grades"]):
        broken.append("audience")
    serves = prov.get("serves") or [prov["gemeente"]]
    if "*" not in serves and school["gemeente"] not in serves:
        broken.append("place")
    if req.get("periods") and not set(req["periods"]) & set(act["periods"]):
        broken.append("time")
    if req["pupils"] < act["group_size"]["min"]:
        broken.append("size")
    groups = math.ceil(req["pupils"] / act["group_size"]["max"])
    amount, per = act["price"]["amount"], act["price"]["per"]
    price = {
        "leerling": amount * req["pupils"],
        "groep": amount * groups,
        "sessie": amount * act["sessions"] * groups,
    }[per]
    if req.get("budget") is not None and price > req["budget"] + 1e-6:
        broken.append("money")
    return broken


def test_mean_ndcg_at_5_is_at_least_0_9(results):
    judgments = load_sample("judgments.json")
    scores = []
    for rid, matches in results.items():
        rel = judgments[rid]
        gains = [rel.get(m.activity_key, 0) for m in matches[:5]]
        scores.append(dcg(gains) / dcg(sorted(rel.values(), reverse=True)[:5]))
    assert sum(scores) / len(scores) >= 0.9, scores


def test_no_hard_rule_is_broken(results):
    offers = load_sample("offers.json")
    providers = {p["id"]: p for p in offers["providers"]}
    activities = {a["id"]: a for a in offers["activities"]}
    requests = {
        load_sample(f"requests/{n}")["request"]["id"]: load_sample(f"requests/{n}")
        for n in REQUESTS
    }
    for rid, matches in results.items():
        req = requests[rid]["request"]
        for m in matches:
            act = activities[m.activity_key]
            assert broken_rules(act, providers[act["provider"]], req) == [], (rid, m)


def test_no_misfit_in_top_5(results):
    misfits = load_sample("misfits.json")
    for rid, matches in results.items():
        top5 = {m.activity_key for m in matches[:5]}
        assert not top5 & set(misfits.get(rid, [])), rid


def test_good_matches_are_all_in_top_10(results):
    judgments = load_sample("judgments.json")
    for rid, matches in results.items():
        good = {a for a, g in judgments[rid].items() if g >= 2}
        assert good <= {m.activity_key for m in matches}, rid


def test_match_output_is_explained_and_costed(results, catalogue):
    for rid, matches in results.items():
        for m in matches:
            assert 0.0 <= m.score <= 1.0
            assert m.score == round(m.score, 4)
            assert m.interventions
            assert any(r.startswith("Past bij") for r in m.reasons)
            assert any(r.startswith("Kosten voor") for r in m.reasons)
            assert m.cost == pytest.approx(
                cost(
                    catalogue.activity(m.activity_key),
                    load_sample(f"requests/{rid}.json")["request"]["pupils"],
                )
            )


def test_reasons_read_as_in_the_brief(results):
    top = results["s01"][0]
    assert top.activity_key == "ij-vakantietheater"
    assert "Theater, zoals gevraagd." in top.reasons
    assert "Werkt aan samenwerken." in top.reasons
    assert (
        "Kosten voor 25 leerlingen: € 1.300 (1 groep), binnen uw budget van € 2.000." in top.reasons
    )
    assert top.reasons[0].startswith("Past bij zomerschool: de tekst noemt 'zomervakantie'")
