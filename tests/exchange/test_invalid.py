"""Invalid documents: every problem, at its JSON path, in Dutch."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from matcher.exchange import ExchangeError, load_json_text, parse_offers, parse_request

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
OFFERS = json.loads((SAMPLES / "offers.json").read_text("utf-8"))
REQUEST = json.loads((SAMPLES / "requests" / "s01.json").read_text("utf-8"))


def offers_errors(change) -> dict[str, str]:
    doc = copy.deepcopy(OFFERS)
    change(doc)
    with pytest.raises(ExchangeError) as info:
        parse_offers(doc)
    return {e.path: e.message for e in info.value.errors}


def request_errors(change) -> dict[str, str]:
    doc = copy.deepcopy(REQUEST)
    change(doc)
    with pytest.raises(ExchangeError) as info:
        parse_request(doc)
    return {e.path: e.message for e in info.value.errors}


def test_missing_required_field():
    errors = offers_errors(lambda d: d["activities"][3].pop("title"))
    assert errors == {"$.activities[3].title": "Verplicht veld ontbreekt."}


def test_unknown_sector_lists_the_choices():
    errors = offers_errors(lambda d: d["activities"][0]["audience"][0].update(sector="pa"))
    assert errors == {
        "$.activities[0].audience[0].sector": "Onbekende sector 'pa'; kies uit po, so, vo."
    }


def test_grade_out_of_range_per_sector():
    def change(d):
        d["activities"][0]["audience"][0]["grades"] = [5, 9]
        d["activities"][5]["audience"][1]["grades"] = [7]

    errors = offers_errors(change)
    assert errors == {
        "$.activities[0].audience[0].grades[1]": "Groep 9 bestaat niet in het po (1-8).",
        "$.activities[5].audience[1].grades[0]": "Leerjaar 7 bestaat niet in het vo (1-6).",
    }


def test_all_errors_are_collected_not_only_the_first():
    def change(d):
        d["activities"][3]["price"]["amount"] = -5
        d["activities"][3]["price"]["per"] = "dag"
        d["activities"][1]["disciplines"] = ["theater", "circus"]
        d["activities"][2]["periods"] = []
        d["activities"][4]["group_size"] = {"min": 30, "max": 10}
        d["providers"][0]["kind"] = "school"
        d["activities"][6]["extra"] = 1

    errors = offers_errors(change)
    assert errors == {
        "$.activities[3].price.amount": "Moet minstens 0 zijn.",
        "$.activities[3].price.per": (
            "Onbekende prijseenheid 'dag'; kies uit groep, leerling, sessie."
        ),
        "$.activities[1].disciplines[1]": (
            "Onbekende discipline 'circus'; kies uit beeldend, dans, theater, muziek, media, "
            "literatuur, erfgoed."
        ),
        "$.activities[2].periods": "Moet minstens één waarde bevatten.",
        "$.activities[4].group_size.min": (
            "De minimale groepsgrootte (30) is groter dan de maximale (10)."
        ),
        "$.providers[0].kind": (
            "Onbekende soort aanbieder 'school'; kies uit penvoerder, icc-trainer, museum, "
            "jeugdtheater, kunstvakdocent, muziekschool, cultuurcentrum, bibliotheek, erfgoed, "
            "overig."
        ),
        "$.activities[6].extra": "Onbekend veld 'extra'; dit veld hoort niet bij het formaat.",
    }


def test_ids_pattern_and_uniqueness():
    def change(d):
        d["activities"][1]["id"] = d["activities"][0]["id"]
        d["activities"][2]["id"] = "Hoofdletters"
        d["providers"][1]["id"] = d["providers"][0]["id"]

    errors = offers_errors(change)
    assert errors["$.activities[1].id"] == (
        "De id 'ij-vakantietheater' komt al voor bij $.activities[0]."
    )
    assert errors["$.providers[1].id"] == "De id 'jeugdtheater-ij' komt al voor bij $.providers[0]."
    assert errors["$.activities[2].id"].startswith("Ongeldige id 'Hoofdletters'")


def test_unknown_provider_reference():
    errors = offers_errors(lambda d: d["activities"][0].update(provider="onbekend"))
    assert errors == {
        "$.activities[0].provider": (
            "Aanbieder 'onbekend' staat niet in dit bestand en is nog niet bekend."
        )
    }


def test_interventions_and_competences_must_be_known():
    def change(d):
        d["activities"][0]["interventions"] = ["zomerschool", "toverij"]
        d["activities"][0]["competences"] = ["lef"]

    errors = offers_errors(change)
    assert errors["$.activities[0].interventions[1]"] == (
        "Onbekende interventie 'toverij'; gebruik een sleutel van de menukaart."
    )
    assert errors["$.activities[0].competences[0]"].startswith("Onbekende competentie 'lef'")


def test_types_are_strict():
    def change(d):
        d["activities"][0]["sessions"] = "5"
        d["activities"][1]["group_size"]["max"] = 12.5
        d["activities"][2]["audience"] = {"sector": "po"}
        d["activities"][3]["title"] = "   "
        d["activities"][4]["audience"][0]["grades"] = [True]

    errors = offers_errors(change)
    assert errors == {
        "$.activities[0].sessions": "Moet een geheel getal zijn.",
        "$.activities[1].group_size.max": "Moet een geheel getal zijn.",
        "$.activities[2].audience": "Moet een lijst zijn.",
        "$.activities[3].title": "Mag niet leeg zijn.",
        "$.activities[4].audience[0].grades[0]": "Moet een geheel getal zijn.",
    }


def test_contact_fields():
    def change(d):
        d["providers"][0]["email"] = "geen-adres"
        d["providers"][0]["website"] = "example.org"

    errors = offers_errors(change)
    assert errors == {
        "$.providers[0].email": "Ongeldig e-mailadres 'geen-adres'.",
        "$.providers[0].website": "Een website begint met http:// of https://.",
    }


def test_format_string_and_top_level():
    errors = offers_errors(lambda d: d.update(format="cultuurmatch/2"))
    assert errors == {
        "$.format": "Onbekend formaat 'cultuurmatch/2'; verwacht 'cultuurmatch-exchange/1'."
    }
    with pytest.raises(ExchangeError) as info:
        parse_offers([1, 2])
    assert info.value.errors[0].path == "$"
    assert info.value.errors[0].message == "Het document moet een JSON-object zijn."


def test_request_with_a_not_effective_intervention_explains_why():
    errors = request_errors(lambda d: d["request"].update(interventions=["zittenblijven"]))
    message = errors["$.request.interventions[0]"]
    assert message.startswith(
        "'zittenblijven' (Zittenblijven (doubleren)) staat niet op de menukaart:"
    )
    assert "Kies een interventie van de menukaart." in message


def test_request_problems_all_reported():
    def change(d):
        req = d["request"]
        req["school"]["sector"] = "vo"
        req["grades"] = [2, 7]
        req["pupils"] = 0
        req["budget"] = -1
        req["location"] = "thuis"
        req["competences"] = ["samenwerken", "moed"]
        del req["school"]["name"]

    errors = request_errors(change)
    assert errors["$.request.grades[1]"] == "Leerjaar 7 bestaat niet in het vo (1-6)."
    assert errors["$.request.pupils"] == "Moet minstens 1 zijn."
    assert errors["$.request.budget"] == "Moet minstens 0 zijn."
    assert errors["$.request.location"] == (
        "Onbekende locatie 'thuis'; kies uit op-school, op-locatie, geen-voorkeur."
    )
    assert errors["$.request.competences[1]"].startswith("Onbekende competentie 'moed'")
    assert errors["$.request.school.name"] == "Verplicht veld ontbreekt."
    assert len(errors) == 6


def test_request_requires_interventions():
    errors = request_errors(lambda d: d["request"].update(interventions=[]))
    assert errors == {"$.request.interventions": "Moet minstens één waarde bevatten."}


def test_error_to_dict_shape():
    with pytest.raises(ExchangeError) as info:
        parse_request({"format": "cultuurmatch-exchange/1"})
    assert info.value.to_dict() == {
        "error": "ongeldig-document",
        "message": "Het document is ongeldig: 1 fout gevonden.",
        "errors": [{"path": "$.request", "message": "Verplicht veld ontbreekt."}],
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,}', "regel 1, kolom 9"),
        ('{\n  "a": \n}', "regel 3, kolom 1"),
        ('{"a": NaN}', "'NaN' is geen getal in JSON"),
    ],
)
def test_invalid_json_gives_line_and_column(text, expected):
    with pytest.raises(ExchangeError) as info:
        load_json_text(text)
    issue = info.value.errors[0]
    assert issue.path == "$"
    assert issue.message.startswith("Geen geldige JSON")
    assert expected in issue.message


def test_participants_of_an_activity_come_from_the_closed_list():
    errors = offers_errors(lambda d: d["activities"][2].update(participants="ouders"))
    assert errors == {"$.activities[2].participants": (
        "Onbekende waarde 'ouders' voor wie er meedoet; kies uit leerlingen, team, "
        "leerlingen-en-ouders.")}


def test_a_request_is_for_pupils_or_for_the_team():
    errors = request_errors(lambda d: d["request"].update(participants="leerlingen-en-ouders"))
    message = errors["$.request.participants"]
    assert message.startswith("'leerlingen-en-ouders' kan niet in een aanvraag")
    assert "kies uit leerlingen, team." in message
    errors = request_errors(lambda d: d["request"].update(participants="docenten"))
    assert errors == {"$.request.participants": (
        "Onbekende waarde 'docenten' voor wie er meedoet; kies uit leerlingen, team.")}
