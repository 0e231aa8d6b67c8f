"""Whether an activity can really fill an intervention: its links judged by what each
intervention takes (matcher/reference/requirements.yaml).

Claims and inferences are judged alike. A link whose activity misses a requirement does not
count for hard rule 6; a missed preference keeps the link as a weak one. A curator's verdict
is never judged again: it overrides what the provider claimed and what the text suggests.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.engine.model import TEAM, Activity
from matcher.reference.requirements import Requirement, Requirements, load_requirements


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome for one link: it holds (perhaps weakly), or not, and why in Dutch."""

    holds: bool
    weak: bool = False
    reason: str = ""


HOLDS = Verdict(True)


def _met(req: Requirement, activity: Activity, participants: str, text_support: float) -> bool:
    kind = req.kind
    if kind == "participants":
        return participants in req.values
    if kind in ("periods", "timing"):
        return bool(req.values.intersection(activity.periods))
    if kind == "extent":
        minutes = activity.sessions * activity.minutes_per_session
        return activity.sessions >= req.min_sessions or (
            req.min_minutes > 0 and minutes >= req.min_minutes
        )
    if kind == "rhythm":
        return activity.sessions >= req.min_sessions
    if kind == "form":
        return activity.format not in req.values
    if kind == "content":
        return text_support >= req.min_text
    if kind == "group":
        return activity.group_max <= req.max_group_size
    if kind == "audience":
        return any(
            set(aud.grades) & req.grades.get(aud.sector, frozenset())
            for aud in activity.audience
        )
    raise ValueError(f"unknown requirement {kind!r}")


def judge(
    key: str,
    activity: Activity,
    participants: str,
    text_support: float,
    requirements: Requirements | None = None,
) -> Verdict:
    """Judge the link of `activity` to intervention `key`.

    `participants`: who takes part (given or read); `text_support`: how sure the text alone
    makes the link (0 when only the fields or the claim point to it).
    """
    reqs = (requirements or load_requirements()).of(key)
    weak_reason = ""
    for req in reqs:
        if (req.for_pupils_only and participants == TEAM) or (
            req.team_only and participants != TEAM
        ):
            continue
        if _met(req, activity, participants, text_support):
            continue
        if not req.soft:
            return Verdict(False, reason=req.reason)
        weak_reason = weak_reason or req.reason
    return Verdict(True, weak=True, reason=weak_reason) if weak_reason else HOLDS
