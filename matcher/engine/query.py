"""What a person types (wishes, a search box) turned into matchable units.

Each word or thesaurus phrase becomes a `Unit`: the stems to look for in an activity, the
concepts it stands for ("toneel" -> discipline theater) and the parts of a compound. A word
the index does not know is corrected against the vocabulary (thesaurus and index terms) with
rapidfuzz: only the vocabulary is scanned, never the activity texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from matcher.engine.infer import analyse_text
from matcher.engine.text import BREAK, STOPWORDS, stem, tokenize_clauses
from matcher.engine.thesaurus import INTERVENTION, STRONG, SYNONYM, Hit, Thesaurus

# Typo correction only for words of this length: "dans" vs "dams" is too risky to guess.
_MIN_FUZZY = 5
_FUZZY_CUTOFF = 80.0


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing a person asked for."""

    label: str
    stems: frozenset[str]
    concepts: frozenset[str]
    parts: tuple[str, ...] = ()
    phrase: bool = False


class Vocabulary:
    """Known stems by length, for typo correction; updated word by word."""

    def __init__(self, words: set[str] | frozenset[str] = frozenset()) -> None:
        self._by_length: dict[int, set[str]] = {}
        for word in words:
            self.add(word)

    def add(self, word: str) -> None:
        """Add a word (an index term or a thesaurus stem)."""
        self._by_length.setdefault(len(word), set()).add(word)

    def discard(self, word: str) -> None:
        """Remove a word that no activity uses any more."""
        bucket = self._by_length.get(len(word))
        if bucket is not None:
            bucket.discard(word)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._by_length.get(len(word), ())

    def correct(self, word: str) -> str | None:
        """The closest known stem within a typo or two, or None (ties: alphabetical)."""
        if len(word) < _MIN_FUZZY or word in self:
            return None
        choices = [
            w for n in range(len(word) - 2, len(word) + 3) for w in self._by_length.get(n, ())
        ]
        found = process.extract(
            word, choices, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=5
        )
        if not found:
            return None
        return min(found, key=lambda item: (-item[1], item[0]))[0]


def _concepts(hits: list[Hit]) -> frozenset[str]:
    # Only a strong word ("vakantieschool") stands for an intervention in a wish; "samen" or
    # "theater" would make every activity of that intervention match.
    return frozenset(h.concept for h in hits if h.kind != INTERVENTION or h.tier == STRONG)


def understand(
    text: str,
    thesaurus: Thesaurus,
    vocabulary: Vocabulary,
    is_known: Callable[[str], bool] | None = None,
) -> list[Unit]:
    """Split a wish or query into units, correcting typos against the vocabulary."""
    known = is_known or (lambda s: s in vocabulary or s in thesaurus.terms)
    tokens = tokenize_clauses(text)  # the positions of the analysis's hits
    analysis = analyse_text(text, thesaurus)
    singles: dict[int, list[Hit]] = {}
    covered: set[int] = set()
    units: list[Unit] = []
    for start, end, hit in analysis.hits:
        if end == start:
            singles.setdefault(start, []).append(hit)
    phrase_hits: dict[tuple[int, int], list[Hit]] = {}
    for start, end, hit in analysis.hits:
        if end > start:
            phrase_hits.setdefault((start, end), []).append(hit)
    for (start, end), hits in sorted(phrase_hits.items()):
        if start in covered:
            continue
        span = tokens[start : end + 1]
        stems = frozenset(stem(t) for t in span if t not in STOPWORDS)
        # The phrase also has the synonyms of its words: "animatie maken" is animatie (so
        # tekenfilm) as well as a phrase of digitale technologie.
        inside = [h for pos in range(start, end + 1) for h in singles.get(pos, [])
                  if h.kind == SYNONYM]
        units.append(Unit(" ".join(span), stems, _concepts(hits + inside), phrase=True))
        covered.update(range(start, end + 1))
    for pos, token in enumerate(tokens):
        if pos in covered or token in STOPWORDS or len(token) < 2 or token == BREAK:
            continue
        units.append(_word_unit(token, singles.get(pos, []), thesaurus, vocabulary, known))
    return units


def _word_unit(
    token: str,
    hits: list[Hit],
    thesaurus: Thesaurus,
    vocabulary: Vocabulary,
    known: Callable[[str], bool],
) -> Unit:
    st = stem(token)
    stems = {st}
    concepts = set(_concepts(hits))
    parts = thesaurus.parts(token) if len(token) >= 6 else ()
    # A filler ("super", "graag") is a word on purpose, not a typo of a rarer one ("speur").
    if not known(st) and not hits and not parts and st not in thesaurus.wish_fillers:
        corrected = vocabulary.correct(st)
        if corrected in thesaurus.wish_fillers:
            # A typo of a filler ("grag") is a filler too.
            return Unit(token, frozenset({corrected}), frozenset(), parts)
        if corrected is not None:
            stems.add(corrected)
            concepts.update(_concepts(list(thesaurus.terms.get(corrected, ()))))
    return Unit(token, frozenset(stems), frozenset(concepts), parts)
