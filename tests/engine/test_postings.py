"""Postings: sets and bitmaps give the same answers, and so does the catalogue on either."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from matcher.engine import Catalogue, SearchFilters
from matcher.engine import postings as postings_module
from matcher.engine.postings import Bits, Postings, bits_of, ids_of
from matcher.exchange import parse_offers, parse_request, to_engine_offers, to_engine_request

from .factories import SAMPLES, load_sample


@pytest.mark.parametrize("density", [0.001, 0.05, 0.5, 1.0])
def test_bitmaps_round_trip_ids(density):
    rng = random.Random(3)
    ids = sorted(i for i in range(5000) if rng.random() < density)
    bits = bits_of(ids)
    assert ids_of(bits) == ids
    members = Bits(bits)
    assert [i for i in range(5100) if i in members] == ids
    assert ids_of(0) == [] and 7 not in Bits()


def test_a_posting_answers_the_same_before_and_after_it_becomes_a_bitmap():
    space = list(range(1000))
    index = Postings(space)
    for doc in range(0, 1000, 3):
        index.add("common", doc)
    assert index.add_all(["rare", "common"], 10) == ["rare"]  # only new keys
    assert index._bitmaps.keys() == {"common"} and index._sets.keys() == {"rare"}
    assert index.count("common") == 335 and index.count("rare") == 1
    assert index.ids("common") == sorted({*range(0, 1000, 3), 10})
    assert index.has("common", 9) and not index.has("common", 11) and index.has("rare", 10)
    assert index.bits("rare") == 1 << 10 and index.bits("unknown") == 0
    for doc in index.ids("common"):
        index.discard("common", doc)
    index.discard("rare", 10)
    assert "common" not in index and "rare" not in index and list(index) == []


def _sample_results(catalogue: Catalogue) -> list:
    out = []
    for path in sorted((SAMPLES / "requests").glob("*.json")):
        request = to_engine_request(parse_request(load_sample(f"requests/{path.name}")))
        out.append(catalogue.match(request, limit=None))
        out.append(catalogue.plan(request))
    for q in ("", "theater", "theatr", "zomerschool", "museumdetectives", "samen ouders"):
        for filters in (SearchFilters(), SearchFilters(sector="po", grade=6)):
            out.append(catalogue.search(q, filters, 0, 5))
            out.append(catalogue.search(q, replace(filters, max_price=500.0), 1, 5))
    return out


def test_the_catalogue_gives_the_same_results_on_sets_and_on_bitmaps(monkeypatch):
    providers, activities = to_engine_offers(parse_offers(load_sample("offers.json")))
    on_sets = Catalogue(providers, activities)
    monkeypatch.setattr(postings_module, "MIN_BITMAP", 1)  # every posting a bitmap
    on_bitmaps = Catalogue(providers, activities)
    assert on_bitmaps._postings._bitmaps and not on_bitmaps._postings._sets
    assert _sample_results(on_bitmaps) == _sample_results(on_sets)
    # Edits keep them equal: ids are reused, postings emptied and refilled.
    for catalogue in (on_sets, on_bitmaps):
        for activity in activities[::2]:
            catalogue.remove(activity.key)
        for activity in activities[::2]:
            catalogue.add_or_update(replace(activity, title=f"Zomerschool {activity.title}"))
    assert _sample_results(on_bitmaps) == _sample_results(on_sets)
    assert [on_bitmaps.inferred(a.key) for a in activities] == [
        on_sets.inferred(a.key) for a in activities
    ]
