"""The reference room's data files: what each intervention takes, checked against the
menukaart and the exchange format's closed lists."""

from __future__ import annotations

from matcher.exchange.schema import FORMATS, PERIODS
from matcher.reference.dimensions import load_dimensions
from matcher.reference.menukaart import load_menukaart
from matcher.reference.requirements import load_requirements

PARTICIPANTS = {"leerlingen", "team", "leerlingen-en-ouders"}


def test_requirements_name_only_menukaart_interventions_and_known_values():
    reqs = load_requirements()
    menukaart = load_menukaart()
    assert set(reqs.by_intervention) <= menukaart.keys
    assert not set(reqs.by_intervention) & menukaart.not_effective_keys
    for key, parts in reqs.by_intervention.items():
        for req in parts:
            assert req.reason.strip().endswith("."), (key, req.kind)
            if req.kind == "periods":
                assert req.values <= set(PERIODS), key
            if req.kind == "participants":
                assert req.values <= PARTICIPANTS, key


def test_field_evidence_uses_known_values():
    reqs = load_requirements()
    competences = load_dimensions().keys
    for key, evidence in reqs.evidence.items():
        assert set(evidence.periods) <= set(PERIODS), key
        assert set(evidence.formats) <= set(FORMATS), key
        assert set(evidence.competences) <= competences, key
        assert set(evidence.participants) <= PARTICIPANTS, key
        assert reqs.labels[key]


def test_time_interventions_need_their_times():
    reqs = load_requirements()
    kinds = {key: {r.kind for r in parts} for key, parts in reqs.by_intervention.items()}
    assert {"periods", "extent"} <= kinds["zomerschool"]
    assert {"periods", "rhythm"} <= kinds["uitbreiding-onderwijstijd"]
    assert "content" in kinds["welbevinden"]
    assert "participants" in kinds["ouderbetrokkenheid"]
