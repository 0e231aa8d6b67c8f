"""Reading texts against the thesaurus, and inferring interventions from an activity.

Evidence adds up as a noisy-or: independent hints each lower the chance that the activity is
unrelated. One word counts once, weak hints together count for little (`weak_cap`), and
negative field rules (a one-off show is no zomerschool) damp the result.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache

from matcher.engine.cross_age import PEER_TUTORING, cross_age_label
from matcher.engine.model import LEERLINGEN, LEERLINGEN_EN_OUDERS, TEAM, Activity, Inference
from matcher.engine.text import BREAK, phrase_end, tokenize_clauses
from matcher.engine.thesaurus import (
    INTERVENTION,
    PERIOD,
    STRONG,
    WEAK,
    Hit,
    Thesaurus,
    load_thesaurus,
)
from matcher.reference.dimensions import load_dimensions
from matcher.reference.requirements import FieldEvidence

# A series of this many minutes in total counts fully as a programme (zomerschool, extra tijd).
_FULL_SERIES_MINUTES = 600
_MEMO_LIMIT = 200_000

_PERIOD_WORDS = {
    "schooltijd": "het vindt plaats onder schooltijd",
    "naschools": "het vindt plaats na schooltijd",
    "weekend": "het vindt plaats in het weekend",
}
_FORMAT_WORDS = {"naschools-programma": "het is een naschools programma"}
_PARTICIPANT_WORDS = {
    LEERLINGEN_EN_OUDERS: "ouders doen zelf mee",
    TEAM: "het is voor het team",
    LEERLINGEN: "het is voor leerlingen",
}


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """What a text says in thesaurus terms.

    hits: (first position, last position, hit) for every word and phrase found, negated ones
    left out; terms: the content stems of the text and of the parts of its compounds.
    """

    hits: tuple[tuple[int, int, Hit], ...]
    terms: frozenset[str]


@cache
def _competence_names() -> dict[str, str]:
    return {d.key: d.name[:1].lower() + d.name[1:] for d in load_dimensions().dimensions}


def competence_name(key: str) -> str:
    """Dutch name of a competence for a sentence ("samenwerken", "emoties uiten en ...")."""
    return _competence_names().get(key, key.replace("-", " "))


# A negation reaches this many words at most when no punctuation ends the clause sooner.
_NEGATION_REACH = 6
# "niet alleen ... maar ook" negates nothing.
_NOT_NEGATING = frozenset({"alleen", "enkel", "uitsluitend", "slechts", "eens"})
# Interventions of time: their words can be a topic ("een tour over de zomer van 1953").
_TIME_KEYS = frozenset({"zomerschool", "uitbreiding-onderwijstijd"})
_TOPIC_BEFORE = frozenset({"over", "herinneringen", "verhalen", "verhaal", "thema"})
_TOPIC_REACH = 3


def _is_topic(tokens: list[str], start: int, end: int, hit: Hit) -> bool:
    """A time word used as a subject rather than as when it happens.

    "over de zomer", "het thema vakantie", or a medium/weak word followed by "van"
    ("de zomer van de Watersnood"); "de zomerschool van de bieb" stays a zomerschool.
    """
    if not (hit.kind == PERIOD or hit.key in _TIME_KEYS):
        return False
    for pos in range(start - 1, max(-1, start - 1 - _TOPIC_REACH), -1):
        if tokens[pos] == BREAK:
            break
        if tokens[pos] in _TOPIC_BEFORE:
            return True
    after = end + 1
    return hit.tier != STRONG and after < len(tokens) and tokens[after] == "van"


def analyse_text(text: str, thesaurus: Thesaurus | None = None) -> TextAnalysis:
    """Find thesaurus words, phrases and compound parts in a text.

    Evidence after a negation is void up to the end of its clause; time words used as a topic
    are void too.
    """
    th = thesaurus or load_thesaurus()
    tokens = tokenize_clauses(text)
    words = [th.word(token) for token in tokens]  # one cached lookup per token
    stems: list[str] | None = None
    hits: list[tuple[int, int, Hit]] = []
    negated_until = -1
    for pos, word in enumerate(words):
        if word.boundary:
            negated_until = -1
        if not (word.hits or word.phrases or word.negation):
            continue  # most words: nothing to find, nothing to void
        if word.negation:
            following = tokens[pos + 1] if pos + 1 < len(tokens) else ""
            if following not in _NOT_NEGATING:
                negated_until = pos + _NEGATION_REACH
            continue
        if pos <= negated_until:
            continue
        hits.extend([(pos, pos, hit) for hit in word.hits])
        if word.phrases:
            if stems is None:
                stems = [w.stem for w in words]
            # The next two words, to skip phrases whose second word is not there without a call.
            near = stems[pos + 1 : pos + 3]
            for phrase in word.phrases:
                if phrase.stems[1] not in near:
                    continue
                end = phrase_end(stems, pos, phrase.stems)
                if end >= 0:
                    hits.extend([(pos, end, hit) for hit in phrase.hits])
    hits = [h for h in hits if not _is_topic(tokens, h[0], h[1], h[2])]
    tutoring = cross_age_label(tokens, th.cross_age)
    if tutoring:
        # Past the last token: it is evidence of its own, not a second reading of a word.
        hit = Hit(INTERVENTION, PEER_TUTORING, tutoring, STRONG, th.strong_weight)
        hits.append((len(tokens), len(tokens), hit))
    terms = frozenset([term for word in words for term in word.terms])
    return TextAnalysis(tuple(hits), terms)


def noisy_or(weights: list[float]) -> float:
    """Combine independent evidence: 1 - prod(1 - w)."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - max(0.0, min(1.0, weight))
    return 1.0 - remaining


def _text_evidence(hits: tuple[tuple[int, int, Hit], ...]) -> dict[str, dict[str, Hit]]:
    """Per intervention the strongest hit per label, one token counting once.

    A word inside a matched phrase ("familie" in "voor familie") is part of that one piece of
    evidence, not a second one.
    """
    covered: dict[tuple[str, int], float] = {}
    for start, end, hit in hits:
        if hit.kind == INTERVENTION and end > start:
            for pos in range(start, end + 1):
                key = (hit.key, pos)
                covered[key] = max(covered.get(key, 0.0), hit.weight)
    per_token: dict[tuple[str, int], Hit] = {}
    for pos, end, hit in hits:
        if hit.kind != INTERVENTION:
            continue
        if end == pos and covered.get((hit.key, pos), 0.0) >= hit.weight:
            continue
        current = per_token.get((hit.key, pos))
        if current is None or hit.weight > current.weight:
            per_token[(hit.key, pos)] = hit
    by_key: dict[str, dict[str, Hit]] = {}
    for (key, _pos), hit in per_token.items():
        labels = by_key.setdefault(key, {})
        if hit.label not in labels or hit.weight > labels[hit.label].weight:
            labels[hit.label] = hit
    return by_key


@dataclass(frozen=True, slots=True)
class _FieldEvidence:
    """What an activity's own fields say about one intervention.

    alone: the inference from the fields only (None when too weak), for the many
    interventions the text does not mention.
    """

    positive: tuple[float, ...]
    negative: tuple[float, ...]
    triggers: tuple[str, ...]
    alone: Inference | None
    signature: tuple = ()


_NO_RULES = _FieldEvidence((), (), (), None)
_UNKNOWN = object()


def _field_evidence(
    key: str, activity: Activity, th: Thesaurus, participants: str
) -> _FieldEvidence:
    """Evidence from the activity's own fields (periods, format, competences ...).

    Memoised on the field values this intervention's rules look at: many activities share
    them, and the shared trigger tuples keep the index small.
    """
    rules = th.rules.get(key)
    if rules is None:
        return _NO_RULES
    pupils = participants != TEAM
    series = pupils and bool(rules.series) and activity.sessions >= 3
    signature = (
        "fields",
        key,
        activity.periods if rules.periods and pupils else (),
        activity.format if rules.formats and pupils else "",
        activity.competences if rules.competences else (),
        activity.disciplines if rules.disciplines else (),
        activity.sessions if series else 0,
        activity.minutes_per_session if series else 0,
        participants if rules.participants else "",
    )
    found = th.memo.get(signature)
    if found is None:
        positive, negative, triggers = _compute_field_evidence(rules, activity, participants)
        alone = _inference(key, [*positive], negative, triggers, th)
        found = _FieldEvidence(positive, negative, triggers, alone, signature)
        if len(th.memo) < _MEMO_LIMIT:
            th.memo[signature] = found
    return found  # type: ignore[return-value]


def _inference(
    key: str,
    evidence: list[float],
    negative: tuple[float, ...],
    triggers: tuple[str, ...],
    th: Thesaurus,
    text_confidence: float = 0.0,
) -> Inference | None:
    """Combine the evidence into a confidence; None below `verify_threshold`."""
    confidence = noisy_or(evidence)
    for weight in negative:
        confidence *= 1.0 + weight
    confidence = round(min(confidence, 0.99), 3)
    if confidence < th.verify_threshold:
        return None
    return Inference(key, confidence, triggers, text_confidence)


def _field_keys(activity: Activity, th: Thesaurus, participants: str) -> set[str]:
    """Interventions the activity's fields give positive evidence for."""
    fields = [f"r:{participants}"]
    fields += [f"c:{c}" for c in activity.competences]
    fields += [f"d:{d}" for d in activity.disciplines]
    if participants != TEAM:
        fields += [f"p:{p}" for p in activity.periods] + [f"f:{activity.format}"]
        if activity.sessions >= 3:
            fields.append("series")
    return th.keys_for_fields(fields)


def _compute_field_evidence(
    rules: FieldEvidence, activity: Activity, participants: str
) -> tuple:
    positive: list[float] = []
    negative: list[float] = []
    triggers: list[str] = []

    def take(weight: float, trigger: str) -> None:
        if weight > 0:
            positive.append(weight)
            triggers.append(sys.intern(trigger))
        elif weight < 0:
            negative.append(weight)

    def best(table: dict[str, float], values: tuple[str, ...]) -> tuple[float, str]:
        found = [(table[v], v) for v in values if v in table]
        return max(found, default=(0.0, ""), key=lambda item: (item[0], item[1]))

    # When and how often a course for the team meets says nothing about the pupils' time.
    pupils = participants != TEAM
    if pupils:
        weight, period = best(rules.periods, activity.periods)
        take(weight, _PERIOD_WORDS.get(period, f"het vindt plaats in de {period}"))
        weight, fmt = best(rules.formats, (activity.format,))
        take(weight, _FORMAT_WORDS.get(fmt, f"het is een {fmt}"))
    weight, competence = best(rules.competences, activity.competences)
    take(weight, f"het werkt aan {competence_name(competence)}")
    weight, discipline = best(rules.disciplines, activity.disciplines)
    take(weight, f"het is een activiteit in {discipline}")
    weight, _who = best(rules.participants, (participants,))
    take(weight, _PARTICIPANT_WORDS.get(participants, ""))
    if pupils and activity.sessions >= 3 and rules.series:
        minutes = activity.sessions * activity.minutes_per_session
        take(
            rules.series * min(1.0, minutes / _FULL_SERIES_MINUTES),
            f"het heeft {activity.sessions} bijeenkomsten",
        )
    return tuple(positive), tuple(negative), tuple(triggers)


def infer(
    activity: Activity,
    analysis: TextAnalysis,
    thesaurus: Thesaurus,
    participants: str = LEERLINGEN,
) -> list[Inference]:
    """Interventions an activity can fill by its text and fields, most certain first.

    Only inferences from `verify_threshold` on are returned; from `threshold` on they count as
    fillable (hard rule 6) without a claim.
    """
    text = _text_evidence(analysis.hits)
    result = []
    for key in sorted(_field_keys(activity, thesaurus, participants) | text.keys()):
        fields = _field_evidence(key, activity, thesaurus, participants)
        labels = text.get(key)
        if labels is None:
            # No word for it in the text: a zero text weight changes nothing, so the
            # memoised inference from the fields alone is exact.
            inference = fields.alone
        else:
            # The same words (in the same order) with the same fields give the same result.
            # Hits live as long as the thesaurus that holds this memo, so their ids are safe.
            signature = ("text", key, fields.signature, tuple(map(id, labels.values())))
            inference = thesaurus.memo.get(signature, _UNKNOWN)
            if inference is _UNKNOWN:
                inference = _text_inference(key, labels, fields, thesaurus)
                if len(thesaurus.memo) < _MEMO_LIMIT:
                    thesaurus.memo[signature] = inference
        if inference is not None:
            result.append(inference)
    result.sort(key=lambda inf: (-inf.confidence, inf.key))
    return result


def _text_inference(
    key: str, labels: dict[str, Hit], fields: _FieldEvidence, th: Thesaurus
) -> Inference | None:
    clear = [h.weight for h in labels.values() if h.tier != WEAK]
    weak = [h.weight for h in labels.values() if h.tier == WEAK]
    text = [noisy_or(clear), min(th.weak_cap, noisy_or(weak))]
    evidence = [*text, *fields.positive]
    # The intervention's own name ("goed voor het schrijfonderwijs!") is a claim in prose:
    # it makes the link likely, but says nothing of what the activity does.
    name = _name_words(key, th)
    said = [h.weight for h in labels.values() if h.tier != WEAK and h.label not in name]
    text_support = noisy_or([noisy_or(said), text[1]])
    # Strongest and most specific words first: they explain the link best.
    ordered = sorted(labels.values(), key=lambda h: (-h.weight, -len(h.label), h.label))
    triggers = tuple(h.quoted for h in ordered) + fields.triggers
    return _inference(
        key, evidence, fields.negative, triggers, th, text_confidence=round(text_support, 3)
    )


def _name_words(key: str, th: Thesaurus) -> frozenset[str]:
    """How an intervention is called: its key and its label, as a thesaurus entry."""
    return frozenset({key.replace("-", " "), key, th.label(key)})


def activity_text(activity: Activity) -> str:
    """The free text of an activity that inference and search read."""
    return f"{activity.title}. {activity.description}"


def infer_interventions(activity: Activity, thesaurus: Thesaurus | None = None) -> list[Inference]:
    """Interventions the activity's text and fields support, with confidence and triggers."""
    th = thesaurus or load_thesaurus()
    return infer(activity, analyse_text(activity_text(activity), th), th)
