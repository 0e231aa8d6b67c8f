"""The keuzehulp: from what the schoolscan found to doelgebieden and menukaart interventions.

Pure Python on the packaged menukaart and dimensions, so it is tested without a database.
Level 1 (hoofdkeuze) is the doelgebied, level 2 the effective intervention with its figures;
level 3 (the practical filling: concrete activities) comes from the matcher. Interventions on
the not-effective list are never proposed: only the menukaart's own interventions are used.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from matcher.reference.dimensions import load_dimensions
from matcher.reference.menukaart import Figures, Menukaart, load_menukaart

ARTS = "kunst-en-cultuur"

# Learning areas a schoolscan reports on. Kunst en cultuur is always asked: schools that do
# not monitor the arts tend to leave them out of their plan.
LEARNING_AREAS: dict[str, str] = {
    "taal": "Taal en lezen",
    "rekenen": "Rekenen-wiskunde",
    "wereldorientatie": "Wereldoriëntatie",
    ARTS: "Kunst en cultuur",
    "bewegen": "Bewegingsonderwijs",
}

# Which interventions answer a delay in a learning area (strongest first).
AREA_INTERVENTIONS: dict[str, tuple[str, ...]] = {
    "taal": ("begrijpend-lezen", "gesproken-taal", "instructie-kleine-groepen",
             "uitbreiding-onderwijstijd", "zomerschool"),
    "rekenen": ("instructie-kleine-groepen", "beheersingsgericht-leren", "feedback",
                "uitbreiding-onderwijstijd", "zomerschool"),
    "wereldorientatie": ("samenwerkend-leren", "uitbreiding-onderwijstijd"),
    ARTS: ("cultuureducatie", "uitbreiding-onderwijstijd", "zomerschool"),
    "bewegen": ("sport", "uitbreiding-onderwijstijd"),
}

# Which interventions answer a social-emotional need (observation dimension keys).
NEED_INTERVENTIONS: dict[str, tuple[str, ...]] = {
    "welbevinden": ("welbevinden", "cultuureducatie", "sport"),
    "betrokkenheid": ("cultuureducatie", "metacognitie", "uitbreiding-onderwijstijd"),
    "samenwerken": ("samenwerkend-leren", "cultuureducatie", "sport"),
    "zelfvertrouwen": ("cultuureducatie", "welbevinden"),
    "emotieregulatie": ("welbevinden", "cultuureducatie", "metacognitie"),
    "inlevingsvermogen": ("cultuureducatie", "welbevinden"),
    "sociaal-initiatief": ("samenwerkend-leren", "welbevinden"),
    "opkomen-voor-jezelf": ("welbevinden", "cultuureducatie"),
    "omgaan-met-conflict": ("welbevinden", "samenwerkend-leren"),
    "reflecteren": ("metacognitie", "cultuureducatie"),
}

WEIGHT = {"enige": 1, "grote": 2}


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed intervention with its figures and why it is proposed."""

    key: str
    name: str
    doelgebied: str
    figures: Figures | None
    reasons: tuple[str, ...]
    weight: int


@dataclass(frozen=True, slots=True)
class Advice:
    doelgebieden: tuple[tuple[str, str], ...]  # (letter, name), strongest first
    proposals: tuple[Proposal, ...]
    arts_monitored: bool


def newest_figures(figures: dict[str, Figures | None]) -> Figures | None:
    return figures.get("2022") or figures.get("2021")


def advise(delays: dict[str, str], needs: list[str],
           menukaart: Menukaart | None = None) -> Advice:
    """Propose doelgebieden and effective interventions for one scan result."""
    menukaart = menukaart or load_menukaart()
    dimensions = load_dimensions()
    weights: dict[str, int] = defaultdict(int)
    reasons: dict[str, list[str]] = defaultdict(list)
    for area, level in delays.items():
        weight = WEIGHT.get(level, 0)
        if not weight:
            continue
        for rank, key in enumerate(AREA_INTERVENTIONS.get(area, ())):
            # The strongest answer first: later ones in the list count a little less.
            weights[key] += max(1, weight * 2 - rank)
            reasons[key].append(f"{level} achterstand in {LEARNING_AREAS[area].lower()}")
    for need in needs:
        dimension = dimensions.get(need)
        for rank, key in enumerate(NEED_INTERVENTIONS.get(need, ())):
            weights[key] += max(1, 3 - rank)
            reasons[key].append(f"behoefte: {(dimension.name if dimension else need).lower()}")
    proposals = []
    for key, weight in weights.items():
        intervention = menukaart.get(key)
        if intervention is None:  # not on the menukaart (or on the not-effective list)
            continue
        proposals.append(Proposal(key=key, name=intervention.name,
                                  doelgebied=intervention.doelgebied,
                                  figures=newest_figures(intervention.figures),
                                  reasons=tuple(dict.fromkeys(reasons[key])), weight=weight))
    proposals.sort(key=lambda p: (-p.weight, -((p.figures and p.figures.impact) or 0), p.key))
    # A doelgebied ranks by its strongest intervention, then by all of them together.
    by_letter: dict[str, tuple[int, int]] = {}
    for proposal in proposals:
        best, total = by_letter.get(proposal.doelgebied, (0, 0))
        by_letter[proposal.doelgebied] = (max(best, proposal.weight), total + proposal.weight)
    names = {d.letter: d.name for d in menukaart.doelgebieden}
    letters = sorted(by_letter, key=lambda letter: (-by_letter[letter][0], -by_letter[letter][1],
                                                    letter))
    return Advice(doelgebieden=tuple((letter, names[letter]) for letter in letters),
                  proposals=tuple(proposals), arts_monitored=ARTS in delays)
