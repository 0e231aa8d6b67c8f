"""Valid documents parse, convert to engine values and export back unchanged."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from matcher.engine import Audience, MatchRequest
from matcher.exchange import (
    load_json_text,
    offers_to_document,
    parse_offers,
    parse_request,
    request_to_document,
    to_engine_offers,
    to_engine_request,
)

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def sample(name: str) -> object:
    return json.loads((SAMPLES / name).read_text("utf-8"))


def test_sample_offers_parse_and_convert():
    providers, activities = to_engine_offers(parse_offers(sample("offers.json")))
    assert len(providers) == 6 and len(activities) == 16
    vakantie = next(a for a in activities if a.key == "ij-vakantietheater")
    assert vakantie.audience == (Audience("po", (4, 5, 6, 7, 8)),)
    assert vakantie.interventions == ()
    museum = next(p for p in providers if p.key == "stadsmuseum-eindhoven")
    assert museum.serves == () and museum.served == ("Eindhoven",)


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "requests").glob("*.json")))
def test_sample_requests_parse(name):
    request = to_engine_request(parse_request(sample(f"requests/{name}")))
    assert isinstance(request, MatchRequest)
    assert request.interventions and request.grades and request.pupils > 0


def test_request_defaults():
    doc = sample("requests/s05.json")
    request = to_engine_request(parse_request(doc))
    assert request.budget is None
    assert request.location == "geen-voorkeur"
    assert request.disciplines == ()


def test_offers_round_trip_is_exact():
    original = sample("offers.json")
    providers, activities = to_engine_offers(parse_offers(original))
    exported = offers_to_document(providers, activities)
    assert exported == original
    again = to_engine_offers(parse_offers(json.loads(json.dumps(exported))))
    assert again == (providers, activities)


def test_round_trip_keeps_optional_contact_fields():
    doc = copy.deepcopy(sample("offers.json"))
    doc["providers"][0]["email"] = "educatie@example.org"
    doc["providers"][0]["website"] = "https://example.org"
    providers, activities = to_engine_offers(parse_offers(doc))
    assert offers_to_document(providers, activities) == doc


def test_request_round_trip():
    for path in sorted((SAMPLES / "requests").glob("*.json")):
        request = to_engine_request(parse_request(sample(f"requests/{path.name}")))
        assert to_engine_request(parse_request(request_to_document(request))) == request


def test_activity_may_refer_to_a_known_provider():
    doc = {
        "format": "cultuurmatch-exchange/1",
        "activities": [sample("offers.json")["activities"][0]],
    }
    parsed = parse_offers(doc, known_providers={"jeugdtheater-ij"})
    assert parsed.activities[0].provider == "jeugdtheater-ij"


def test_integers_are_fine_where_numbers_are_asked():
    doc = copy.deepcopy(sample("offers.json"))
    doc["activities"][0]["price"]["amount"] = 1300
    _, activities = to_engine_offers(parse_offers(doc))
    assert activities[0].price_amount == 1300.0


def test_load_json_text_parses_valid_json():
    assert load_json_text('{"a": [1, 2]}') == {"a": [1, 2]}


def test_participants_round_trip_only_where_given():
    doc = copy.deepcopy(sample("offers.json"))
    doc["activities"][0]["participants"] = "team"
    doc["activities"][1]["participants"] = "leerlingen-en-ouders"
    providers, activities = to_engine_offers(parse_offers(doc))
    assert [a.participants for a in activities[:3]] == ["team", "leerlingen-en-ouders", None]
    exported = offers_to_document(providers, activities)
    assert exported == doc
    assert "participants" not in exported["activities"][2]


def test_request_participants_default_to_pupils_and_round_trip():
    doc = sample("requests/s01.json")
    assert to_engine_request(parse_request(doc)).participants == "leerlingen"
    assert "participants" not in request_to_document(to_engine_request(parse_request(doc)))[
        "request"]
    team = copy.deepcopy(doc)
    team["request"]["participants"] = "team"
    request = to_engine_request(parse_request(team))
    assert request.participants == "team"
    assert request_to_document(request)["request"]["participants"] == "team"
    assert to_engine_request(parse_request(request_to_document(request))) == request
