"""Pure matching engine: thesaurus, text normalisation, inference, index, score, plan, search.

Imports neither Flask nor SQLAlchemy; everything works on the frozen dataclasses below.
"""

from matcher.engine.catalogue import Catalogue
from matcher.engine.infer import infer_interventions
from matcher.engine.model import (
    Activity,
    Audience,
    Doubt,
    Inference,
    Match,
    MatchRequest,
    Plan,
    Provider,
    SearchFilters,
    SearchResult,
)
from matcher.engine.participants import ParticipantsReading, read_participants
from matcher.engine.rules import (
    cost,
    fills_intervention,
    fits_audience,
    fits_budget,
    fits_participants,
    fits_size,
    fits_time,
    group_count,
    obeys_hard_rules,
    serves_place,
)
from matcher.engine.thesaurus import load_thesaurus

__all__ = [
    "Activity",
    "Audience",
    "Catalogue",
    "Doubt",
    "Inference",
    "Match",
    "ParticipantsReading",
    "MatchRequest",
    "Plan",
    "Provider",
    "SearchFilters",
    "SearchResult",
    "cost",
    "fills_intervention",
    "fits_audience",
    "fits_budget",
    "fits_participants",
    "fits_size",
    "fits_time",
    "group_count",
    "infer_interventions",
    "load_thesaurus",
    "read_participants",
    "obeys_hard_rules",
    "serves_place",
]
