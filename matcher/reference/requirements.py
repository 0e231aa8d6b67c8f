"""What each menukaart intervention takes of an activity (requirements.yaml), as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Requirement:
    """One thing an intervention needs; the fields used depend on `kind`."""

    kind: str  # participants, periods, extent, rhythm, timing, content, group, audience, form
    reason: str
    values: frozenset[str] = frozenset()
    min_sessions: int = 0
    min_minutes: int = 0
    max_group_size: int = 0
    grades: dict[str, frozenset[int]] = field(default_factory=dict)
    team_only: bool = False  # counts only for a course for the team ("for: team")
    # content: how sure the text alone must make the link (one clear word: 0.45).
    min_text: float = 0.4

    @property
    def soft(self) -> bool:
        """A preference: not meeting it makes a link weak instead of void."""
        return self.kind in {"rhythm", "timing"}

    @property
    def for_pupils_only(self) -> bool:
        """Time, extent, audience and group size concern pupils taking part, not a course."""
        return self.kind in {"periods", "extent", "rhythm", "timing", "audience", "group", "form"}


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    """What an activity's own fields suggest about one intervention (weights, may be < 0)."""

    periods: dict[str, float] = field(default_factory=dict)
    formats: dict[str, float] = field(default_factory=dict)
    competences: dict[str, float] = field(default_factory=dict)
    disciplines: dict[str, float] = field(default_factory=dict)
    participants: dict[str, float] = field(default_factory=dict)
    series: float = 0.0


@dataclass(frozen=True, slots=True)
class Requirements:
    """Per intervention key: its short label, its requirements (in the order of the file) and
    the evidence its fields give."""

    by_intervention: dict[str, tuple[Requirement, ...]]
    labels: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, FieldEvidence] = field(default_factory=dict)

    def of(self, key: str) -> tuple[Requirement, ...]:
        return self.by_intervention.get(key, ())


def _requirement(kind: str, raw: dict[str, Any]) -> Requirement:
    requirement = _parts(kind, raw)
    if raw.get("for") == "team":
        return replace(requirement, team_only=True)
    return requirement


def _parts(kind: str, raw: dict[str, Any]) -> Requirement:
    reason = str(raw["reason"])
    if kind in ("participants", "periods"):
        return Requirement(kind, reason, values=frozenset(raw["any"]))
    if kind == "extent":
        return Requirement(kind, reason, min_sessions=int(raw.get("min_sessions", 0)),
                           min_minutes=int(raw.get("min_minutes", 0)))
    if kind == "rhythm":
        return Requirement(kind, reason, min_sessions=int(raw["prefer_sessions"]))
    if kind == "timing":
        return Requirement(kind, reason, values=frozenset(raw["prefer"]))
    if kind == "form":
        return Requirement(kind, reason, values=frozenset(raw["not"]))
    if kind == "group":
        return Requirement(kind, reason, max_group_size=int(raw["max_group_size"]))
    if kind == "audience":
        grades = {sector: frozenset(int(g) for g in values)
                  for sector, values in raw["grades"].items()}
        return Requirement(kind, reason, grades=grades)
    if kind == "content":
        return Requirement(kind, reason, min_text=float(raw.get("min_text", 0.4)))
    raise ValueError(f"unknown requirement {kind!r}")


def _evidence(raw: dict[str, Any]) -> FieldEvidence:
    return FieldEvidence(
        periods=dict(raw.get("periods") or {}),
        formats=dict(raw.get("formats") or {}),
        competences=dict(raw.get("competences") or {}),
        disciplines=dict(raw.get("disciplines") or {}),
        participants=dict(raw.get("participants") or {}),
        series=float(raw.get("series", 0.0)),
    )


def parse_requirements(raw: dict[str, Any]) -> Requirements:
    """Requirements from the parsed YAML document."""
    entries = raw["interventions"]
    return Requirements(
        by_intervention={
            key: tuple(_requirement(kind, part) for kind, part in (spec.get("needs") or {}).items())
            for key, spec in entries.items()
        },
        labels={key: str(spec.get("label", key)) for key, spec in entries.items()},
        evidence={key: _evidence(spec.get("evidence") or {}) for key, spec in entries.items()},
    )


@cache
def load_requirements() -> Requirements:
    """The packaged requirements, parsed once per process."""
    text = resources.files("matcher.reference").joinpath("requirements.yaml").read_text("utf-8")
    return parse_requirements(yaml.safe_load(text))
