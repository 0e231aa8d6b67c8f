"""Plain, immutable value types of the matching engine."""

from __future__ import annotations

from dataclasses import dataclass, field

NATIONWIDE = "*"

# Who takes part (exchange format 1.1). Pupils with their parents count as pupils (rule 0).
LEERLINGEN, TEAM, LEERLINGEN_EN_OUDERS = "leerlingen", "team", "leerlingen-en-ouders"
PARTICIPANTS = (LEERLINGEN, TEAM, LEERLINGEN_EN_OUDERS)


@dataclass(frozen=True, slots=True)
class Provider:
    """A culture provider; empty `serves` means only its own gemeente, ("*",) the country."""

    key: str
    name: str
    kind: str
    gemeente: str
    serves: tuple[str, ...] = ()
    email: str | None = None
    website: str | None = None

    @property
    def served(self) -> tuple[str, ...]:
        """The gemeenten it works in, with its own gemeente when `serves` is empty."""
        return self.serves or (self.gemeente,)


@dataclass(frozen=True, slots=True)
class Audience:
    """Who an activity is for: a sector (po, so, vo) and its grades."""

    sector: str
    grades: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Activity:
    """One offer of a provider, as in exchange format v1."""

    key: str
    provider_key: str
    title: str
    description: str
    disciplines: tuple[str, ...]
    format: str
    audience: tuple[Audience, ...]
    group_min: int
    group_max: int
    sessions: int
    minutes_per_session: int
    periods: tuple[str, ...]
    location: str
    price_amount: float
    price_per: str
    interventions: tuple[str, ...] = ()
    competences: tuple[str, ...] = ()
    # A curator's verdict on intervention links: confirmed ones count as verified, dropped ones
    # are never offered, whatever the provider claimed or the text suggests.
    curator_verified: tuple[str, ...] = ()
    curator_dropped: tuple[str, ...] = ()
    # Who takes part as given by the provider or confirmed by a curator; None: read the text.
    participants: str | None = None


@dataclass(frozen=True, slots=True)
class MatchRequest:
    """What a school asks for."""

    key: str
    school_name: str
    sector: str
    gemeente: str
    interventions: tuple[str, ...]
    grades: tuple[int, ...]
    pupils: int
    periods: tuple[str, ...] = ()
    budget: float | None = None
    disciplines: tuple[str, ...] = ()
    competences: tuple[str, ...] = ()
    location: str = "geen-voorkeur"
    wishes: str = ""
    preferred_providers: frozenset[str] = field(default_factory=frozenset)
    penvoerder_keys: frozenset[str] = field(default_factory=frozenset)
    # "team": the school looks for courses for its staff, and `pupils` counts the staff.
    participants: str = LEERLINGEN


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked activity for a request, with its cost and the reasons in Dutch."""

    activity_key: str
    provider_key: str
    score: float
    cost: float
    interventions: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Inference:
    """An intervention the text and fields of an activity point to, with the evidence."""

    key: str
    confidence: float
    triggers: tuple[str, ...]
    # How sure the text alone makes it (0 when only the activity's fields point to it).
    text_confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class Doubt:
    """A link a curator should decide: a claim the engine discounts, or a fit it suggests.

    kind: "claim" (the provider claims it, the engine says it does not hold) or "suggestion"
    (nobody claimed it, the text points to it); reason: why, in Dutch.
    """

    activity_key: str
    provider_key: str
    intervention: str
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """A set of activities that together cover the requested interventions within budget."""

    matches: tuple[Match, ...]
    uncovered_interventions: tuple[str, ...]
    total_cost: float
    provider_count: int


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Filters of the public catalogue search; None or empty means no filter."""

    gemeente: str | None = None
    sector: str | None = None
    grade: int | None = None
    period: str | None = None
    intervention: str | None = None
    discipline: str | None = None
    max_price: float | None = None
    participants: str | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of search results, with counts per facet value over all results."""

    total: int
    items: list[str]
    facets: dict[str, dict[str, int]]
