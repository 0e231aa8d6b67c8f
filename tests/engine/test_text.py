"""Normalisation, the light Dutch stemmer and compound splitting."""

from __future__ import annotations

import pytest

from matcher.engine.text import fold, split_compound, stem, tokenize
from matcher.engine.thesaurus import load_thesaurus


def test_fold_and_tokenize_strip_accents_and_split_hyphens():
    assert fold("Coördinator CAFÉ") == "coordinator cafe"
    assert tokenize("Ouder-en-kind: één middag!") == ["ouder", "en", "kind", "een", "middag"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("liedjes", "lied"),
        ("spelletjes", "spel"),
        ("groepjes", "groep"),
        ("kaartje", "kaart"),
        ("lessen", "les"),
        ("scholen", "school"),
        ("weken", "week"),
        ("gevoelens", "gevoel"),
        ("emoties", "emotie"),
        ("sociale", "sociaal"),
        ("creatieve", "creatief"),
        ("kinderen", "kind"),
        ("verhalen", "verhaal"),
    ],
)
def test_stemmer_maps_forms_onto_one_key(a, b):
    assert stem(a) == stem(b)


def test_stemmer_keeps_reading_and_lessons_apart():
    assert stem("lezen") != stem("lessen")
    assert stem("ouderen") != stem("ouders")


def test_compound_splitting_against_the_vocabulary():
    th = load_thesaurus()
    assert split_compound("zomertheaterweek", th.knows) == ("zomer", "theater", "week")
    assert split_compound("museumdoos", th.knows) == ("museum", "doos")
    parts = split_compound("kinderboekenweek", th.knows)  # linking -en-
    assert [stem(p) for p in parts] == [stem("kind"), stem("boek"), stem("week")]
    assert split_compound("verdriet", th.knows) == ()
    assert "zomerschol" in th.parts("cultuurzomerschool")  # nested parts too
