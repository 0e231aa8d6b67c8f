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
