"""Older pupils teaching younger ones, read from how a text names two age groups.

"Groep 7/8 wordt crew coach van een groepje uit groep 3/4", "groep 8 leert een liedje aan
groep 4", "de oudsten leggen het uit aan de jongsten": no single word says peer tutoring, but
two different groups with a teaching word between them do. The teaching word must sit between
the two groups: "de docent begeleidt groep 3-5 en groep 6-8" names two groups and a teaching
verb, yet nobody teaches anybody younger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matcher.engine.text import BREAK

PEER_TUTORING = "leren-met-medeleerlingen"
# Two groups this many tokens apart at most still belong to one statement.
_REACH = 20
_GRADE, _ELDER, _YOUNGER = "grade", "elder", "younger"
# Between grade numbers: "7 en 8", "7/8", "3 t/m 5", "3 tot 5".
_THROUGH = frozenset({"m", "tot"})
_JOINS = frozenset({BREAK, "en", "t", "of"})


@dataclass(frozen=True, slots=True)
class CrossAgeWords:
    """The folded words that name a group, an age and teaching (thesaurus.yaml, cross_age).

    teaching: words that say one pupil teaches another ("coach", "helpt", "maatje");
    learning: words that do so only with "aan" after them ("leert ... aan groep 4").
    """

    grade_words: frozenset[str] = frozenset()
    elders: frozenset[str] = frozenset()
    youngers: frozenset[str] = frozenset()
    teaching: frozenset[str] = frozenset()
    learning: frozenset[str] = frozenset()


def compile_cross_age(raw: dict[str, Any]) -> CrossAgeWords:
    """The word lists of the thesaurus section, as sets of folded tokens."""

    def words(name: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(name, ()))

    return CrossAgeWords(words("grade_words"), words("elders"), words("youngers"),
                         words("teaching"), words("learning"))


@dataclass(frozen=True, slots=True)
class _Group:
    start: int
    end: int
    kind: str
    grades: frozenset[int] = frozenset()
    text: str = ""


def _groups(tokens: list[str], w: CrossAgeWords) -> list[_Group]:
    """Every mention of a group: a grade word with its numbers ("groep 7/8"), or an age word."""
    found = []
    for pos, token in enumerate(tokens):
        if token in w.elders:
            found.append(_Group(pos, pos, _ELDER, text=token))
        elif token in w.youngers:
            found.append(_Group(pos, pos, _YOUNGER, text=token))
        elif token in w.grade_words:
            numbers, end = _numbers_after(tokens, pos)
            if numbers:
                shown = "/".join(str(n) for n in sorted(numbers))
                found.append(_Group(pos, end, _GRADE, frozenset(numbers), f"{token} {shown}"))
    return found


def _numbers_after(tokens: list[str], pos: int) -> tuple[set[int], int]:
    """The grade numbers right after a grade word ("gr. 7 en 8", "groep 3/4"), and where
    they end."""
    numbers: set[int] = set()
    end = pos
    last, through = 0, False
    for i in range(pos + 1, min(len(tokens), pos + 6)):
        token = tokens[i]
        if token.isdigit() and len(token) <= 2:
            number = int(token)
            # "groep 3 t/m 5" is groep 3, 4 and 5.
            numbers.update(range(last + 1, number + 1) if through and last < number else [number])
            last, through, end = number, False, i
        elif token in _THROUGH:
            through = True
        elif token not in _JOINS:
            break
    return numbers, end


def _different(a: _Group, b: _Group) -> bool:
    """Whether two mentions, in this order, name an older and a younger group.

    "groep 8, de oudsten" or "de jongere kinderen in groep 3" name one group twice.
    """
    if a.kind == _GRADE and b.kind == _GRADE:
        return not a.grades & b.grades
    return (a.kind, b.kind) in {
        (_ELDER, _YOUNGER), (_YOUNGER, _ELDER), (_GRADE, _YOUNGER), (_ELDER, _GRADE),
    }


def _teaching_between(tokens: list[str], a: _Group, b: _Group, w: CrossAgeWords) -> str:
    """The teaching word between two group mentions, or ''."""
    between = tokens[a.end + 1 : b.start]
    for i, token in enumerate(between):
        if token in w.teaching:
            return token
        if token in w.learning and "aan" in between[i + 1 :]:
            return token
    return ""


def cross_age_label(tokens: list[str], words: CrossAgeWords) -> str:
    """How the text says that older pupils teach younger ones ("groep 7/8 … coach … groep
    3/4"), or '' when it does not."""
    # Most texts have no teaching word at all: one pass in C instead of reading every group.
    if words.teaching.isdisjoint(tokens) and words.learning.isdisjoint(tokens):
        return ""
    groups = _groups(tokens, words)
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            if b.start - a.end > _REACH:
                break
            if not _different(a, b):
                continue
            verb = _teaching_between(tokens, a, b, words)
            if verb:
                return f"{a.text} … {verb} … {b.text}"
    return ""
