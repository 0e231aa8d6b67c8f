"""Sample offers from the exchange samples, stored as approved rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from matcher.db import db
from providers import services
from providers.models import Activity, ActivityStatus, Provider

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def request_document(name: str) -> dict:
    return json.loads((SAMPLES / "requests" / f"{name}.json").read_text())


def participant_columns(item: dict) -> dict:
    """The participants columns the services would write for this exchange activity."""
    columns = services.with_participants({"title": item["title"],
                                          "description": item["description"],
                                          "participants": item.get("participants")})
    return {name: value for name, value in columns.items() if name.startswith("participants")}


def store_offers(document: dict, status: ActivityStatus = ActivityStatus.APPROVED) -> None:
    providers = {}
    for item in document["providers"]:
        providers[item["id"]] = Provider(
            key=item["id"], name=item["name"], kind=item["kind"], gemeente=item["gemeente"],
            serves=item.get("serves", []), email=item.get("email"),
            website=item.get("website"), approved=True)
        db.session.add(providers[item["id"]])
    for item in document["activities"]:
        db.session.add(Activity(
            key=item["id"], provider=providers[item["provider"]], title=item["title"],
            description=item["description"], disciplines=item["disciplines"],
            format=item["format"], audience=item["audience"],
            group_min=item["group_size"]["min"], group_max=item["group_size"]["max"],
            sessions=item["sessions"], minutes_per_session=item["minutes_per_session"],
            periods=item["periods"], location=item["location"],
            price_amount=item["price"]["amount"], price_per=item["price"]["per"],
            interventions=item.get("interventions", []),
            competences=item.get("competences", []), status=status,
            **participant_columns(item)))
    db.session.commit()


@pytest.fixture
def sample_offers(app) -> dict:
    document = json.loads((SAMPLES / "offers.json").read_text())
    store_offers(document)
    app.extensions["catalogue_cache"].clear()
    return document


@pytest.fixture
def activity_by_key() -> Callable[[str], Activity]:
    def find(key: str) -> Activity:
        return db.session.query(Activity).filter_by(key=key).one()

    return find


# Courses for the team (exchange 1.1): one the text says is for teachers, one the provider says.
TEAM_ACTIVITIES = [
    {"id": "ij-teamscholing-drama", "provider": "jeugdtheater-ij",
     "title": "Teamscholing drama in de klas",
     "description": "Een studiedag voor leerkrachten: u leert hoe u met dramaspel "
                    "gevoelens bespreekbaar maakt en het samenwerken in uw groep versterkt.",
     "disciplines": ["theater"], "format": "workshop",
     "audience": [{"sector": "po", "grades": [1, 2, 3, 4, 5, 6, 7, 8]}],
     "group_size": {"min": 5, "max": 25}, "sessions": 2, "minutes_per_session": 180,
     "periods": ["schooltijd"], "location": "op-school", "price": {"amount": 650, "per": "groep"},
     "interventions": ["welbevinden", "cultuureducatie"]},
    {"id": "sanne-dans-met-je-klas", "provider": "sanne-dans", "title": "Dansen met je klas",
     "description": "Drie middagen dansen: bewegen, samen dansen en elkaar complimenten geven, "
                    "zodat iedereen zich prettig voelt in de groep.",
     "disciplines": ["dans"], "format": "lessenreeks",
     "audience": [{"sector": "po", "grades": [3, 4, 5, 6, 7, 8]}],
     "group_size": {"min": 4, "max": 20}, "sessions": 3, "minutes_per_session": 120,
     "periods": ["schooltijd"], "location": "op-school", "price": {"amount": 400, "per": "groep"},
     "interventions": ["welbevinden", "cultuureducatie"], "participants": "team"},
]
TEAM_KEYS = {a["id"] for a in TEAM_ACTIVITIES}


@pytest.fixture
def team_offers(app) -> dict:
    """The sample offers and two courses for the team, approved."""
    document = json.loads((SAMPLES / "offers.json").read_text())
    document["activities"] += TEAM_ACTIVITIES
    store_offers(document)
    app.extensions["catalogue_cache"].clear()
    return document


def team_request(name: str = "s02", pupils: int = 12) -> dict:
    """A sample request, for the school's team: `pupils` counts the staff taking part."""
    document = request_document(name)
    document["request"].update(participants="team", pupils=pupils)
    return document
