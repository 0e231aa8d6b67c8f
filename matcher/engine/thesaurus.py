"""The Dutch domain thesaurus (thesaurus.yaml), compiled into lookup tables.

Every entry of the data file becomes a `Hit` on a stemmed word or a stemmed phrase, so that
reading a text costs one dictionary lookup per token, however large the thesaurus grows.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from matcher.engine.cross_age import CrossAgeWords, compile_cross_age
from matcher.engine.text import BREAK, STOPWORDS, split_compound, stem, tokenize
from matcher.reference.requirements import FieldEvidence, Requirements, load_requirements

INTERVENTION = "i"
DISCIPLINE = "d"
COMPETENCE = "c"
PERIOD = "p"
SYNONYM = "s"

STRONG, MEDIUM, WEAK = "strong", "medium", "weak"


@dataclass(frozen=True, slots=True)
class Hit:
    """What one thesaurus word or phrase points to.

    kind is one of INTERVENTION, DISCIPLINE, COMPETENCE, PERIOD, SYNONYM; weight is only
    meaningful for interventions; label is the entry as the curator wrote it.
    """

    kind: str
    key: str
    label: str
    tier: str = ""
    weight: float = 0.0
    # Derived once here rather than per activity: every index entry and trigger then shares
    # the same string object (memory) and reading a text builds no new strings (speed).
    concept: str = field(init=False, repr=False, compare=False)
    quoted: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A compact id ("d:theater") shared by the activity index and the request side.
        object.__setattr__(self, "concept", sys.intern(f"{self.kind}:{self.key}"))
        # How explanations cite the word ("'zomervakantie'").
        object.__setattr__(self, "quoted", sys.intern(f"'{self.label}'"))


@dataclass(frozen=True, slots=True)
class Phrase:
    stems: tuple[str, ...]
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class Word:
    """Everything the thesaurus says about one token, computed once per distinct token.

    content: the token carries meaning (no stopword, two letters or more); terms: its stem
    and compound parts (content words only); hits: the single-word hits of those terms;
    phrases: the phrases that start with its stem.
    """

    stem: str
    content: bool
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    phrases: tuple[Phrase, ...]
    negation: bool = False
    boundary: bool = False  # ends a clause: punctuation, "maar", "want" ...


# Words that void the evidence after them, up to the end of the clause ("zonder ouders").
NEGATIONS = frozenset({"geen", "zonder", "niet", "nooit", "no", "not", "without"})
# Words that start a new clause, so a negation before them does not reach past them.
CLAUSE_WORDS = frozenset({"maar", "want", "omdat", "terwijl", "behalve", "echter", "wel",
                          "but", "because"})
# Tokens of this length or longer may be compounds ("zomertheaterweek").
MIN_COMPOUND = 6
# Bounded caches: texts repeat their words, but a flood of unique tokens must not grow forever.
_CACHE_LIMIT = 500_000


@dataclass(slots=True)
class Thesaurus:
    """Compiled thesaurus: term and phrase hits, field rules, discipline relations."""

    threshold: float
    verify_threshold: float
    weak_cap: float
    terms: dict[str, tuple[Hit, ...]]
    phrases: dict[str, tuple[Phrase, ...]]
    # What an activity's fields say per intervention, and the interventions' short labels:
    # both from matcher/reference/requirements.yaml, where what each intervention needs lives.
    rules: dict[str, FieldEvidence]
    labels: dict[str, str]
    related: dict[tuple[str, str], float]
    raw_vocabulary: frozenset[str]
    stem_vocabulary: frozenset[str]
    field_keys: dict[str, frozenset[str]] = field(default_factory=dict)
    participant_words: Any = None  # participants.ParticipantWords (that module imports this)
    wish_fillers: frozenset[str] = frozenset()  # stems of words that are no wish
    whole_words: frozenset[str] = frozenset()  # compounds whose parts are not read
    cross_age: CrossAgeWords = field(default_factory=CrossAgeWords)
    strong_weight: float = 0.8  # of a strong word, for evidence read from a sentence's shape
    _splits: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _words: dict[str, Word] = field(default_factory=dict)
    # Memo of values derived from this thesaurus only (field evidence per field values).
    memo: dict[tuple, object] = field(default_factory=dict)

    def keys_for_fields(self, fields: list[str]) -> set[str]:
        """Interventions with positive field evidence for "p:zomervakantie", "series" etc."""
        found: set[str] = set()
        for name in fields:
            found.update(self.field_keys.get(name, ()))
        return found

    def label(self, intervention: str) -> str:
        """Short Dutch name of an intervention for explanations."""
        return self.labels.get(intervention) or intervention.replace("-", " ")

    def relation(self, a: str, b: str) -> float:
        """How close two disciplines are: 1 for the same, 0 for unrelated."""
        if a == b:
            return 1.0
        return self.related.get((a, b), 0.0)

    def knows(self, piece: str) -> bool:
        """Whether a word piece is in the static vocabulary (used to split compounds)."""
        return piece in self.raw_vocabulary or stem(piece) in self.stem_vocabulary

    def parts(self, token: str) -> tuple[str, ...]:
        """Stemmed parts of a compound token, () when it is not one (cached per word)."""
        cached = self._splits.get(token)
        if cached is None and token in self.whole_words:
            cached = ()
        if cached is None:
            cached = tuple(sys.intern(stem(p)) for p in _all_parts(token, self.knows))
            if len(self._splits) < _CACHE_LIMIT:
                self._splits[token] = cached
        return cached

    def word(self, token: str) -> Word:
        """What a folded token means to the thesaurus (cached per token)."""
        cached = self._words.get(token)
        if cached is None:
            cached = self._read_word(token)
            if len(self._words) < _CACHE_LIMIT:
                self._words[token] = cached
        return cached

    def _read_word(self, token: str) -> Word:
        if token == BREAK:
            return Word(BREAK, False, (), (), (), boundary=True)
        st = sys.intern(stem(token))
        phrases = self.phrases.get(st, ())
        negation = token in NEGATIONS
        boundary = token in CLAUSE_WORDS
        if token in STOPWORDS or len(token) <= 1:
            return Word(st, False, (), (), phrases, negation, boundary)
        parts = self.parts(token) if len(token) >= MIN_COMPOUND else ()
        terms = (st, *parts)
        hits = tuple(hit for term in terms for hit in self.terms.get(term, ()))
        return Word(st, True, terms, hits, phrases, negation, boundary)


def _all_parts(token: str, known: Any) -> list[str]:
    """Parts of a compound and, recursively, of its parts ("cultuurzomerschool")."""
    parts = split_compound(token, known)
    result: list[str] = []
    for part in parts:
        result.append(part)
        result.extend(_all_parts(part, known))
    return result


def _entries(section: dict[str, Any], kind: str) -> list[tuple[str, Hit]]:
    return [
        (word, Hit(kind, key, str(word))) for key, words in section.items() for word in words or ()
    ]


def _intervention_entries(raw: dict[str, Any], weights: dict[str, float]) -> list[tuple[str, Hit]]:
    entries = []
    for key, spec in raw.items():
        for tier in (STRONG, MEDIUM, WEAK):
            for word in spec.get(tier) or ():
                entries.append((word, Hit(INTERVENTION, key, str(word), tier, weights[tier])))
    return entries


def _add_strongest(hits: list[Hit], hit: Hit) -> None:
    """Keep one hit per target: two entries with the same stem ("woorden", "woordjes")."""
    for i, other in enumerate(hits):
        if (other.kind, other.key) == (hit.kind, hit.key):
            if hit.weight > other.weight:
                hits[i] = hit
            return
    hits.append(hit)


def compile_thesaurus(raw: dict[str, Any], requirements: Requirements | None = None) -> Thesaurus:
    """Build the lookup tables from the parsed YAML document (and the requirements file, for
    what the activity's fields say)."""
    entries = _intervention_entries(raw["interventions"], raw["weights"])
    entries += _entries(raw.get("disciplines", {}), DISCIPLINE)
    entries += _entries(raw.get("competences", {}), COMPETENCE)
    entries += _entries(raw.get("periods", {}), PERIOD)
    entries += _entries({str(i): g for i, g in enumerate(raw.get("synonyms", []))}, SYNONYM)

    terms: dict[str, list[Hit]] = {}
    phrases: dict[tuple[str, ...], list[Hit]] = {}
    raw_vocab: set[str] = set()
    for word, hit in entries:
        tokens = tokenize(str(word))
        if not tokens:
            continue
        if len(tokens) == 1:
            _add_strongest(terms.setdefault(stem(tokens[0]), []), hit)
            raw_vocab.add(tokens[0])
        else:
            phrases.setdefault(tuple(stem(t) for t in tokens), []).append(hit)
    for word in raw.get("lexicon", []):
        raw_vocab.update(tokenize(str(word)))
    # Course and staff words split compounds too ("docententraining", "teamscholing").
    for name in ("team_forms", "course_words", "staff"):
        for word in raw.get("participants", {}).get(name, ()):
            raw_vocab.update(tokenize(str(word)))
    # Only words of 3+ letters may be compound parts: shorter pieces split too eagerly.
    raw_vocab = {w for w in raw_vocab if len(w) >= 3}

    by_first: dict[str, list[Phrase]] = {}
    for stems, hits in phrases.items():
        by_first.setdefault(stems[0], []).append(Phrase(stems, tuple(hits)))

    related: dict[tuple[str, str], float] = {}
    for a, b, weight in raw.get("related_disciplines", []):
        related[(a, b)] = related[(b, a)] = float(weight)

    requirements = requirements or load_requirements()
    rules = requirements.evidence
    # Imported here: participants.py reads this module's NEGATIONS and Thesaurus.
    from matcher.engine.participants import compile_participant_words

    return Thesaurus(
        threshold=float(raw["threshold"]),
        verify_threshold=float(raw["verify_threshold"]),
        weak_cap=float(raw.get("weak_cap", 0.25)),
        terms={k: tuple(v) for k, v in terms.items()},
        phrases={k: tuple(v) for k, v in by_first.items()},
        rules=rules,
        labels=requirements.labels,
        related=related,
        raw_vocabulary=frozenset(raw_vocab),
        stem_vocabulary=frozenset(stem(w) for w in raw_vocab),
        field_keys=_field_keys(rules),
        participant_words=compile_participant_words(raw.get("participants", {})),
        wish_fillers=frozenset(stem(t) for w in raw.get("wish_fillers", ()) for t in tokenize(w)),
        whole_words=frozenset(t for w in raw.get("whole_words", ()) for t in tokenize(w)),
        cross_age=compile_cross_age(raw.get("cross_age", {})),
        strong_weight=float(raw["weights"][STRONG]),
    )


def _field_keys(rules: dict[str, FieldEvidence]) -> dict[str, frozenset[str]]:
    """Which interventions an activity field can support, so inference skips the others."""
    index: dict[str, set[str]] = {}
    for key, rule in rules.items():
        for prefix, table in (
            ("p", rule.periods),
            ("f", rule.formats),
            ("c", rule.competences),
            ("d", rule.disciplines),
            ("r", rule.participants),
        ):
            for value, weight in table.items():
                if weight > 0:
                    index.setdefault(f"{prefix}:{value}", set()).add(key)
        if rule.series > 0:
            index.setdefault("series", set()).add(key)
    return {name: frozenset(keys) for name, keys in index.items()}


@cache
def load_thesaurus() -> Thesaurus:
    """The packaged thesaurus, compiled once per process."""
    text = resources.files("matcher.engine").joinpath("thesaurus.yaml").read_text("utf-8")
    return compile_thesaurus(yaml.safe_load(text))
