"""Small builders for engine values, with sensible defaults for tests."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from matcher.engine import Activity, Audience, MatchRequest, Provider

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def provider(key: str = "prov", **changes: object) -> Provider:
    """A provider in Amsterdam that serves only Amsterdam."""
    base = Provider(key=key, name="Aanbieder", kind="jeugdtheater", gemeente="Amsterdam")
    return replace(base, **changes)


def activity(key: str = "act", **changes: object) -> Activity:
    """A theatre lessenreeks for po 5-8 during schooltijd, € 500 per groep."""
    base = Activity(
        key=key,
        provider_key="prov",
        title="Theaterlessen",
        description="Leerlingen maken samen theater.",
        disciplines=("theater",),
        format="lessenreeks",
        audience=(Audience("po", (5, 6, 7, 8)),),
        group_min=10,
        group_max=30,
        sessions=4,
        minutes_per_session=60,
        periods=("schooltijd",),
        location="op-school",
        price_amount=500.0,
        price_per="groep",
        interventions=(),
        competences=(),
    )
    return replace(base, **changes)


def request(key: str = "req", **changes: object) -> MatchRequest:
    """A po school in Amsterdam asking cultuureducatie for 25 pupils of groep 5-6."""
    base = MatchRequest(
        key=key,
        school_name="OBS Test",
        sector="po",
        gemeente="Amsterdam",
        interventions=("cultuureducatie",),
        grades=(5, 6),
        pupils=25,
    )
    return replace(base, **changes)


def load_sample(name: str) -> object:
    """A JSON file of the copied samples."""
    return json.loads((SAMPLES / name).read_text("utf-8"))
