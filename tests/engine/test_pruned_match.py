"""Branch and bound in `Catalogue.match` must give exactly what scoring everything gives.

A random catalogue from the benchmark's generators (fixed seeds) and a few thousand random
requests: `match(limit=k)` is compared with the best k of a straightforward reference that
checks the hard rules and scores every activity, for several k and for `limit=None`.
"""

from __future__ import annotations

import importlib.util
import random
from dataclasses import replace
from pathlib import Path

import pytest

from matcher.engine import Catalogue, Match, MatchRequest, obeys_hard_rules
from matcher.engine.postings import Bits
from matcher.engine.score import Explainer, Scorer

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_engine.py"
LIMITS = (1, 2, 5, 10, 37)


def _bench():
    spec = importlib.util.spec_from_file_location("bench_engine_for_tests", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def world():
    bench = _bench()
    rng = random.Random(20240611)
    providers = bench.make_providers(60, rng)
    activities = [bench.make_activity(i, providers, rng) for i in range(2500)]
    # Curator verdicts give curated fits and drop some claims.
    for i in range(0, len(activities), 7):
        act = activities[i]
        key = rng.choice(bench.INTERVENTIONS)
        verdict = {"curator_verified": (key,)} if i % 2 else {"curator_dropped": (key,)}
        activities[i] = replace(act, **verdict)
    catalogue = Catalogue(providers, activities)
    return bench, providers, catalogue


def _requests(bench, providers, count: int, seed: int) -> list[MatchRequest]:
    """Benchmark requests, varied in what the generator leaves out."""
    rng = random.Random(seed)
    keys = [p.key for p in providers]
    result = []
    for i in range(count):
        req = bench.make_request(i, rng)
        changes: dict[str, object] = {}
        if rng.random() < 0.3:
            changes["preferred_providers"] = frozenset(rng.sample(keys, rng.randrange(1, 6)))
        if rng.random() < 0.3:
            changes["penvoerder_keys"] = frozenset(rng.sample(keys, rng.randrange(1, 6)))
        if rng.random() < 0.2:
            changes["wishes"] = rng.choice(["", "  ", "theater dans muziek", "leren samen"])
        if rng.random() < 0.2:
            changes["competences"] = tuple(rng.sample(bench.COMPETENCES, 2))
        if rng.random() < 0.2:
            changes["disciplines"] = tuple(rng.sample(list(bench.DISCIPLINE_WORDS), 2))
        if rng.random() < 0.1:
            changes["budget"] = 0.0
        if rng.random() < 0.2:
            changes["interventions"] = tuple(rng.sample(bench.INTERVENTIONS, 3))
        if rng.random() < 0.1:
            changes["grades"] = tuple(range(1, 7))
            changes["periods"] = ()
        result.append(replace(req, **changes))
    return result


def _reference(catalogue: Catalogue, request: MatchRequest) -> list[Match]:
    """Every activity: hard rules, full score, sort by (-score, key), reasons for all."""
    wishes = [wish for wish, _found, _title in catalogue._wish_units(request)]
    mentions = {c: catalogue._postings.bits(f"c:{c}") for c in request.competences}
    scorer = Scorer(request, wishes, catalogue.thesaurus, {c: Bits(b) for c, b in mentions.items()})
    scored = []
    for profile in catalogue._docs:
        if profile is None:
            continue
        act = profile.activity
        provider = catalogue.provider(act.provider_key)
        if obeys_hard_rules(act, provider, request, profile.fits, profile.participants):
            scored.append(scorer.score(profile))
    scored.sort(key=lambda s: (-s.score, s.key))
    explainer = Explainer(request, catalogue.thesaurus)
    return [catalogue._to_match(s, explainer) for s in scored]


def test_pruned_match_equals_full_scoring(world):
    bench, providers, catalogue = world
    compared = 0
    for request in _requests(bench, providers, 2000, seed=11):
        full = catalogue.match(request, limit=None)
        for limit in LIMITS:
            assert catalogue.match(request, limit=limit) == full[:limit], (request, limit)
            compared += 1
        assert catalogue.match(request, limit=0) == []
    assert compared == 2000 * len(LIMITS)


def test_unpruned_path_equals_reference(world):
    bench, providers, catalogue = world
    nonempty = 0
    for request in _requests(bench, providers, 300, seed=12):
        reference = _reference(catalogue, request)
        assert catalogue.match(request, limit=None) == reference
        assert catalogue.match(request, limit=10) == reference[:10]
        nonempty += bool(reference)
    assert nonempty > 100  # the requests do find activities


def test_pruned_match_after_edits(world):
    """Removing and re-adding activities (reused ids) keeps the pruning exact."""
    bench, providers, _shared = world
    rng = random.Random(5)
    activities = [bench.make_activity(i, providers, rng) for i in range(800)]
    catalogue = Catalogue(providers, activities)
    for act in rng.sample(activities, 200):
        catalogue.remove(act.key)
    for i in range(150):
        catalogue.add_or_update(bench.make_activity(10_000 + i, providers, rng))
    for request in _requests(bench, providers, 300, seed=13):
        reference = _reference(catalogue, request)
        for limit in LIMITS:
            assert catalogue.match(request, limit=limit) == reference[:limit]
