"""Pydantic models of exchange format v1 (structure, types, closed lists)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
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
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ProviderDoc(_Strict):
    id: Id
    name: Text
    kind: ProviderKind
    gemeente: Text
    serves: list[Text] | None = None
    email: Text | None = None
    website: Text | None = None


class AudienceDoc(_Strict):
    sector: Sector
    grades: Annotated[list[int], Field(min_length=1)]


class GroupSizeDoc(_Strict):
    min: Annotated[int, Field(ge=1)]
    max: Annotated[int, Field(ge=1)]


class PriceDoc(_Strict):
    amount: Money
    per: PriceUnit


class ActivityDoc(_Strict):
    id: Id
    provider: Id
    title: Text
    description: Text
    disciplines: Annotated[list[Discipline], Field(min_length=1)]
    format: Format
    audience: Annotated[list[AudienceDoc], Field(min_length=1)]
    group_size: GroupSizeDoc
    sessions: Annotated[int, Field(ge=1)]
    minutes_per_session: Annotated[int, Field(ge=1)]
    periods: Annotated[list[Period], Field(min_length=1)]
    location: Location
    price: PriceDoc
    interventions: list[str] | None = None
    competences: list[str] | None = None
    # Absent: not given (the system reads it from the text), not "leerlingen".
    participants: Participants | None = None


class OffersDocument(_Strict):
    """Section 1: providers and activities."""

    format: Literal["cultuurmatch-exchange/1"]
    providers: list[ProviderDoc] = Field(default_factory=list)
    activities: list[ActivityDoc] = Field(default_factory=list)


class SchoolDoc(_Strict):
    name: Text
    sector: Sector
    gemeente: Text


class RequestBody(_Strict):
    id: Id
    school: SchoolDoc
    interventions: Annotated[list[str], Field(min_length=1)]
    grades: Annotated[list[int], Field(min_length=1)]
    pupils: Annotated[int, Field(ge=1)]
    periods: list[Period] = Field(default_factory=list)
    budget: Money | None = None
    disciplines: list[Discipline] = Field(default_factory=list)
    competences: list[str] = Field(default_factory=list)
    location: RequestLocation = "geen-voorkeur"
    wishes: str = ""
    participants: RequestParticipants = "leerlingen"


class RequestDocument(_Strict):
    """Section 2: one match request."""

    format: Literal["cultuurmatch-exchange/1"]
    request: RequestBody
