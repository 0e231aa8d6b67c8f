"""Inference of interventions from how people write, with evidence thresholds."""

from __future__ import annotations

import pytest

from matcher.engine import Catalogue, infer_interventions, load_thesaurus
from matcher.engine.links import assess
from matcher.reference.dimensions import load_dimensions
from matcher.reference.menukaart import load_menukaart

from .factories import activity, provider, request


def fills(act) -> set[str]:
    """What the activity can fill: inferred from its text and fields, judged by requirements."""
    return set(assess(act).fits)


@pytest.mark.parametrize(
    ("title", "description", "key"),
    [
        ("Vakantieschool", "Een week vol kunst.", "zomerschool"),
        ("Summer school arts", "Creative week for kids.", "zomerschool"),
        ("Zomercampus", "Drie dagen spelen en leren.", "zomerschool"),
        ("Kunst na schooltijd", "Wekelijks beeldend werken.", "uitbreiding-onderwijstijd"),
        ("Verlengde schooldag", "Muziek en dans.", "uitbreiding-onderwijstijd"),
        ("Buitenschoolse kunstclub", "Elke week iets nieuws.", "uitbreiding-onderwijstijd"),
        ("Sterk tegen pesten", "Een voorstelling met gesprek.", "welbevinden"),
        ("Dansen met emoties", "Leerlingen leren omgaan met emoties.", "welbevinden"),
        (
            "Terugkijken op je eigen werk",
            "Leerlingen leren hun eigen leerproces plannen.",
            "metacognitie",
        ),
        (
            "Museum met het hele gezin",
            "Samen met hun ouders ontdekken kinderen de collectie.",
            "ouderbetrokkenheid",
        ),
        ("Achter de schermen", "Maak kennis met beroepen in het theater.", "loopbaanorientatie"),
        (
            "Bouwen als team",
            "In groepjes overleggen en samenwerken aan een ontwerp.",
            "samenwerkend-leren",
        ),
        ("Schrijf je eigen rap", "Creatief schrijven van songteksten.", "schrijfonderwijs"),
    ],
)
def test_text_evidence_fills_interventions(title, description, key):
    # Time interventions also need fields that agree (requirements.yaml): a holiday, after school.
    periods = {"zomerschool": ("zomervakantie",), "uitbreiding-onderwijstijd": ("naschools",)}
    act = activity(title=title, description=description, periods=periods.get(key, ("schooltijd",)))
    assert key in fills(act)


@pytest.mark.parametrize(
    ("title", "key"),
    [("Vakantieschool", "zomerschool"), ("Kunst na schooltijd", "uitbreiding-onderwijstijd")],
)
def test_text_evidence_does_not_beat_fields_that_contradict_it(title, key):
    # Words alone do not make a series in school time a zomerschool or extra time.
    assert key not in fills(activity(title=title, description="Een week vol kunst."))


def test_field_evidence_period_and_format_count():
    act = activity(
        title="Kunstclub",
        description="We maken kunst.",
        periods=("naschools",),
        format="naschools-programma",
        sessions=10,
    )
    assert "uitbreiding-onderwijstijd" in fills(act)
    summer = activity(
        title="Tekenweek",
        description="Elke ochtend tekenen.",
        periods=("zomervakantie",),
        sessions=5,
        minutes_per_session=180,
    )
    assert "zomerschool" in fills(summer)


def test_every_arts_activity_can_fill_cultuureducatie():
    for discipline in ("beeldend", "dans", "theater", "muziek", "media", "literatuur", "erfgoed"):
        act = activity(title="Iets", description="Iets doen.", disciplines=(discipline,))
        assert "cultuureducatie" in fills(act)


@pytest.mark.parametrize(
    ("title", "description", "key"),
    [
        # ouders are mentioned, but they do not take part
        (
            "Zaterdagworkshop",
            "Kinderen maken een doos. Ouders wachten in het café.",
            "ouderbetrokkenheid",
        ),
        # a theatre workshop says nothing about feelings
        (
            "Decor en licht",
            "Hoe een theaterdecor wordt gebouwd en het licht ingesteld.",
            "welbevinden",
        ),
        # a single weak hint is not enough
        ("Samen zingen", "Liedjes uit de hele wereld.", "samenwerkend-leren"),
        # negation
        (
            "Voorstelling",
            "Een voorstelling zonder pesten of ruzie, gewoon om te lachen.",
            "welbevinden",
        ),
        # a one-off summer show is no zomerschool
        ("Zomervoorstelling", "Een vrolijke voorstelling in de zomer.", "zomerschool"),
    ],
)
def test_weak_hints_do_not_fill(title, description, key):
    act = activity(
        title=title,
        description=description,
        format="voorstelling",
        sessions=1,
        periods=("zomervakantie",) if key == "zomerschool" else ("schooltijd",),
    )
    assert key not in fills(act)


def test_inference_reports_triggers_and_confidence():
    act = activity(
        title="Vakantietheater",
        description="In de zomervakantie theater maken.",
        periods=("zomervakantie",),
    )
    inf = next(i for i in infer_interventions(act) if i.key == "zomerschool")
    assert 0.5 <= inf.confidence <= 1.0
    assert "'zomervakantie'" in inf.triggers


def test_claimed_and_supported_is_verified_and_ranks_first():
    verified = activity(
        "verified",
        title="Zomerschool theater",
        interventions=("zomerschool",),
        periods=("zomervakantie",),
    )
    claimed = activity(
        "claimed",
        title="Theaterlessen",
        interventions=("zomerschool",),
        description="Leerlingen spelen toneel.",
        periods=("zomervakantie",),
    )
    inferred = activity("inferred", title="Vakantieschool theater", periods=("zomervakantie",))
    cat = Catalogue([provider()], [claimed, inferred, verified])
    matches = cat.match(request(interventions=("zomerschool",)))
    assert [m.activity_key for m in matches] == ["verified", "claimed", "inferred"]
    assert "de aanbieder noemt het zelf en de tekst noemt" in matches[0].reasons[0]


def test_wishes_understand_synonyms_typos_and_english():
    theatre = activity("theatre", title="Toneelspelen", description="Acteren met de klas.")
    art = activity(
        "art", title="Schilderen", description="Verf en doek.", disciplines=("beeldend",)
    )
    cat = Catalogue([provider()], [theatre, art])
    for wish in ("theater", "theatr", "drama", "theatre", "toneel"):
        top = cat.match(request(wishes=wish))[0]
        assert top.activity_key == "theatre", wish


@pytest.mark.parametrize(
    "wish", ["zomerschol", "vakantieschool", "summerschool", "zomercampus", "zomervakantei"]
)
def test_wish_for_a_summer_programme_with_synonyms_and_typos(wish):
    summer = activity(
        "summer",
        title="Zomerweek",
        description="Een week theater.",
        periods=("zomervakantie",),
        sessions=5,
    )
    other = activity("other", title="Theaterlessen", description="Lessen theater.")
    cat = Catalogue([provider()], [other, summer])
    top = cat.match(request(wishes=wish))[0]
    assert top.activity_key == "summer"


def test_thesaurus_only_uses_known_keys():
    th = load_thesaurus()
    assert set(th.rules) <= load_menukaart().keys
    dims = load_dimensions().keys
    for rules in th.rules.values():
        assert set(rules.competences) <= dims
    concepts = {h.concept for hits in th.terms.values() for h in hits}
    assert {c[2:] for c in concepts if c.startswith("c:")} <= dims
