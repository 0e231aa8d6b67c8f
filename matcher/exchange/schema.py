"""Pydantic models of exchange format v1 (structure, types, closed lists)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

import matcher.limits as limits
from matcher.engine.model import LEERLINGEN, LEERLINGEN_EN_OUDERS, TEAM

FORMAT = "cultuurmatch-exchange/1"

SECTORS = ("po", "so", "vo")
PROVIDER_KINDS = (
    "penvoerder",
    "icc-trainer",
    "museum",
    "jeugdtheater",
    "kunstvakdocent",
    "muziekschool",
    "cultuurcentrum",
    "bibliotheek",
    "erfgoed",
    "overig",
)
DISCIPLINES = ("beeldend", "dans", "theater", "muziek", "media", "literatuur", "erfgoed")
FORMATS = (
    "voorstelling",
    "workshop",
    "lessenreeks",
    "project",
    "rondleiding",
    "naschools-programma",
)
PERIODS = (
    "schooltijd",
    "naschools",
    "weekend",
    "herfstvakantie",
    "kerstvakantie",
    "voorjaarsvakantie",
    "meivakantie",
    "zomervakantie",
)
LOCATIONS = ("op-school", "op-locatie", "beide")
REQUEST_LOCATIONS = ("op-school", "op-locatie", "geen-voorkeur")
PRICE_UNITS = ("groep", "leerling", "sessie")
# 1.1: who takes part in an activity; a request is for pupils or for the school's team.
PARTICIPANTS = (LEERLINGEN, TEAM, LEERLINGEN_EN_OUDERS)
REQUEST_PARTICIPANTS = (LEERLINGEN, TEAM)
GRADES = {"po": (1, 8), "so": (1, 8), "vo": (1, 6)}

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

# Bounds from matcher/limits: every number fits its column, every list and text is small.
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=100)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                        max_length=limits.MAX_NAME)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=limits.MAX_DESCRIPTION)]
Grades = Annotated[list[int], Field(min_length=1, max_length=limits.MAX_GRADES)]
Sector = Literal["po", "so", "vo"]
ProviderKind = Literal[
    "penvoerder",
    "icc-trainer",
    "museum",
    "jeugdtheater",
    "kunstvakdocent",
    "muziekschool",
    "cultuurcentrum",
    "bibliotheek",
    "erfgoed",
    "overig",
]
Discipline = Literal["beeldend", "dans", "theater", "muziek", "media", "literatuur", "erfgoed"]
Format = Literal[
    "voorstelling", "workshop", "lessenreeks", "project", "rondleiding", "naschools-programma"
]
Period = Literal[
    "schooltijd",
    "naschools",
    "weekend",
    "herfstvakantie",
    "kerstvakantie",
    "voorjaarsvakantie",
    "meivakantie",
    "zomervakantie",
]
Location = Literal["op-school", "op-locatie", "beide"]
RequestLocation = Literal["op-school", "op-locatie", "geen-voorkeur"]
PriceUnit = Literal["groep", "leerling", "sessie"]
Participants = Literal["leerlingen", "team", "leerlingen-en-ouders"]
RequestParticipants = Literal["leerlingen", "team"]
Money = Annotated[float, Field(ge=0, le=float(limits.MAX_EUROS), allow_inf_nan=False)]


def _count(bound: limits.Bound):
    return Field(ge=bound.low, le=bound.high)


def _list(min_length: int = 0):
    return Field(min_length=min_length, max_length=limits.MAX_REQUEST_LIST)


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ProviderDoc(_Strict):
    id: Id
    name: Text
    kind: ProviderKind
    gemeente: Text
    serves: Annotated[list[Text], Field(max_length=1000)] | None = None
    email: Text | None = None
    website: Text | None = None


class AudienceDoc(_Strict):
    sector: Sector
    grades: Grades


class GroupSizeDoc(_Strict):
    min: Annotated[int, _count(limits.GROUP_SIZE)]
    max: Annotated[int, _count(limits.GROUP_SIZE)]


class PriceDoc(_Strict):
    amount: Money
    per: PriceUnit


class ActivityDoc(_Strict):
    id: Id
    provider: Id
    title: Text
    description: LongText
    disciplines: Annotated[list[Discipline], _list(1)]
    format: Format
    audience: Annotated[list[AudienceDoc], Field(min_length=1, max_length=3)]
    group_size: GroupSizeDoc
    sessions: Annotated[int, _count(limits.SESSIONS)]
    minutes_per_session: Annotated[int, _count(limits.MINUTES)]
    periods: Annotated[list[Period], _list(1)]
    location: Location
    price: PriceDoc
    interventions: Annotated[list[str], _list()] | None = None
    competences: Annotated[list[str], _list()] | None = None
    # Absent: not given (the system reads it from the text), not "leerlingen".
    participants: Participants | None = None


class OffersDocument(_Strict):
    """Section 1: providers and activities."""

    format: Literal["cultuurmatch-exchange/1"]
    providers: Annotated[list[ProviderDoc], Field(max_length=limits.MAX_IMPORT_ROWS)] = \
        Field(default_factory=list)
    activities: Annotated[list[ActivityDoc], Field(max_length=limits.MAX_IMPORT_ROWS)] = \
        Field(default_factory=list)


class SchoolDoc(_Strict):
    name: Text
    sector: Sector
    gemeente: Text


class RequestBody(_Strict):
    id: Id
    school: SchoolDoc
    interventions: Annotated[list[str], _list(1)]
    grades: Grades
    pupils: Annotated[int, _count(limits.PUPILS)]
    periods: Annotated[list[Period], _list()] = Field(default_factory=list)
    budget: Money | None = None
    disciplines: Annotated[list[Discipline], _list()] = Field(default_factory=list)
    competences: Annotated[list[str], _list()] = Field(default_factory=list)
    location: RequestLocation = "geen-voorkeur"
    wishes: Annotated[str, StringConstraints(max_length=limits.MAX_WISHES)] = ""
    participants: RequestParticipants = "leerlingen"


class RequestDocument(_Strict):
    """Section 2: one match request."""

    format: Literal["cultuurmatch-exchange/1"]
    request: RequestBody
