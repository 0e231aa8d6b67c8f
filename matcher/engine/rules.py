"""The cost formula and the hard rules 0-6 of exchange format 1.1 (section 3).

Each rule is a small predicate so that the index, the tests and the explanations all use the
same definition.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from matcher.engine.model import (
    LEERLINGEN_EN_OUDERS,
    NATIONWIDE,
    TEAM,
    Activity,
    MatchRequest,
    Provider,
)

# Money is compared with a small tolerance: 0.1 + 0.2 must not exceed a budget of 0.3.
_EPSILON = 1e-6


def group_count(activity: Activity, pupils: int) -> int:
    """Number of groups a class is split into: ceil(pupils / group_max)."""
    return max(1, math.ceil(pupils / activity.group_max))


def cost(activity: Activity, pupils: int) -> float:
    """What the activity costs for this many pupils, per the spec's formula."""
    groups = group_count(activity, pupils)
    if activity.price_per == "leerling":
        return activity.price_amount * pupils
    if activity.price_per == "groep":
        return activity.price_amount * groups
    if activity.price_per == "sessie":
        return activity.price_amount * activity.sessions * groups
    raise ValueError(f"unknown price unit {activity.price_per!r}")


def fits_participants(participants: str, request: MatchRequest) -> bool:
    """Rule 0: a team request only by team activities, a pupil request never by them.

    `participants` is the activity's: given, confirmed by a curator, or read from its text.
    Pupils with their parents count as pupils.
    """
    wanted_team = request.participants == TEAM
    return (participants == TEAM) == wanted_team or (
        not wanted_team and participants == LEERLINGEN_EN_OUDERS
    )


def fits_audience(activity: Activity, request: MatchRequest) -> bool:
    """Rule 1: the school's sector, and at least one requested grade in that sector."""
    wanted = set(request.grades)
    return any(
        aud.sector == request.sector and wanted.intersection(aud.grades)
        for aud in activity.audience
    )


def serves_place(provider: Provider | None, gemeente: str) -> bool:
    """Rule 2: the provider works in the school's gemeente (or in the whole country)."""
    if provider is None:
        return False
    served = provider.served
    return NATIONWIDE in served or gemeente in served


def fits_time(activity: Activity, request: MatchRequest) -> bool:
    """Rule 3: at least one requested period, when periods are given."""
    return not request.periods or bool(set(request.periods).intersection(activity.periods))


def fits_size(activity: Activity, request: MatchRequest) -> bool:
    """Rule 4: enough pupils for one group (a larger class is split into groups)."""
    return request.pupils >= activity.group_min


def fits_budget(activity: Activity, request: MatchRequest) -> bool:
    """Rule 5: the cost stays within the budget, when a budget is given."""
    return request.budget is None or cost(activity, request.pupils) <= request.budget + _EPSILON


def fills_intervention(fillable: Collection[str], request: MatchRequest) -> bool:
    """Rule 6: the activity can fill (claimed or inferred) at least one requested intervention.

    `fillable` is what the activity can fill: its claims plus what the engine inferred.
    """
    return any(key in fillable for key in request.interventions)


def obeys_hard_rules(
    activity: Activity,
    provider: Provider | None,
    request: MatchRequest,
    fillable: Collection[str],
    participants: str,
) -> bool:
    """All hard rules 0-6; an activity that breaks one is never returned."""
    return (
        fits_participants(participants, request)
        and fits_audience(activity, request)
        and serves_place(provider, request.gemeente)
        and fits_time(activity, request)
        and fits_size(activity, request)
        and fits_budget(activity, request)
        and fills_intervention(fillable, request)
    )
