"""The keuzehulp: scan results to doelgebieden and effective interventions (pure)."""

from __future__ import annotations

from matcher.reference.menukaart import load_menukaart
from matcher.schools.keuzehulp import ARTS, LEARNING_AREAS, NEED_INTERVENTIONS, advise


def test_kunst_en_cultuur_is_always_a_learning_area():
    assert ARTS in LEARNING_AREAS


def test_arts_delay_proposes_cultuureducatie_first():
    advice = advise({ARTS: "grote", "taal": "geen"}, [])
    assert advice.proposals[0].key == "cultuureducatie"
    assert advice.doelgebieden[0][0] == "C"
    assert "grote achterstand in kunst en cultuur" in advice.proposals[0].reasons
    assert advice.arts_monitored


def test_needs_propose_social_emotional_interventions_with_figures():
    advice = advise({ARTS: "geen"}, ["samenwerken"])
    keys = [p.key for p in advice.proposals]
    assert "samenwerkend-leren" in keys and "cultuureducatie" in keys
    figures = next(p for p in advice.proposals if p.key == "samenwerkend-leren").figures
    assert figures.impact == 5


def test_no_delays_and_no_needs_propose_nothing():
    advice = advise(dict.fromkeys(LEARNING_AREAS, "geen"), [])
    assert advice.proposals == () and advice.doelgebieden == ()


def test_not_effective_interventions_are_never_proposed():
    menukaart = load_menukaart()
    every_need = list(NEED_INTERVENTIONS)
    advice = advise(dict.fromkeys(LEARNING_AREAS, "grote"), every_need)
    keys = {p.key for p in advice.proposals}
    assert keys <= menukaart.keys
    assert not keys & menukaart.not_effective_keys
