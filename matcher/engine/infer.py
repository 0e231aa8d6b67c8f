"""Reading texts against the thesaurus, and inferring interventions from an activity.

Evidence adds up as a noisy-or: independent hints each lower the chance that the activity is
unrelated. One word counts once, weak hints together count for little (`weak_cap`), and
negative field rules (a one-off show is no zomerschool) damp the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from matcher.engine.model import Activity, Inference
from matcher.engine.text import STOPWORDS, stem, tokenize
from matcher.engine.thesaurus import INTERVENTION, WEAK, Hit, Thesaurus, load_thesaurus
from matcher.observations.dimensions import load_dimensions

_NEGATIONS = frozenset({"geen", "zonder", "niet", "nooit", "no", "not", "without"})
_MIN_COMPOUND = 6
# A series of this many minutes in total counts fully as a programme (zomerschool, extra tijd).
_FULL_SERIES_MINUTES = 600

_PERIOD_WORDS = {
    "schooltijd": "het vindt plaats onder schooltijd",
    "naschools": "het vindt plaats na schooltijd",
    "weekend": "het vindt plaats in het weekend",
}
_FORMAT_WORDS = {"naschools-programma": "het is een naschools programma"}


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """What a text says in thesaurus terms.

    hits: (first position, last position, hit) for every word and phrase found, negated ones
    left out; terms: the content stems of the text and of the parts of its compounds.
    """

    hits: tuple[tuple[int, int, Hit], ...]
    terms: frozenset[str]


def _phrase_end(stems: list[str], start: int, phrase: tuple[str, ...]) -> int:
    """Last position of the phrase starting at `start`, or -1 when it is not there."""
    # One extra word may sit between two words of a phrase ("samen met (hun) ouders").
    pos = start
    for wanted in phrase[1:]:
        if pos + 1 < len(stems) and stems[pos + 1] == wanted:
            pos += 1
        elif pos + 2 < len(stems) and stems[pos + 2] == wanted:
            pos += 2
        else:
            return -1
    return pos


@cache
def _competence_names() -> dict[str, str]:
    return {d.key: d.name[:1].lower() + d.name[1:] for d in load_dimensions().dimensions}


def competence_name(key: str) -> str:
    """Dutch name of a competence for a sentence ("samenwerken", "emoties uiten en ...")."""
    return _competence_names().get(key, key.replace("-", " "))


def _negated(tokens: list[str], pos: int) -> bool:
    return any(t in _NEGATIONS for t in tokens[max(0, pos - 2) : pos])


def analyse_text(text: str, thesaurus: Thesaurus | None = None) -> TextAnalysis:
    """Find thesaurus words, phrases and compound parts in a text."""
    th = thesaurus or load_thesaurus()
    tokens = tokenize(text)
    stems = [stem(t) for t in tokens]
    hits: list[tuple[int, int, Hit]] = []
    terms: set[str] = set()
    for pos, (token, st) in enumerate(zip(tokens, stems, strict=True)):
        negated = _negated(tokens, pos)
        if token not in STOPWORDS and len(token) > 1:
            parts = th.parts(token) if len(token) >= _MIN_COMPOUND else ()
            terms.add(st)
            terms.update(parts)
            if not negated:
                for key in (st, *parts):
                    hits.extend((pos, pos, hit) for hit in th.terms.get(key, ()))
        if negated:
            continue
        for phrase in th.phrases.get(st, ()):
            end = _phrase_end(stems, pos, phrase.stems)
            if end >= 0:
                hits.extend((pos, end, hit) for hit in phrase.hits)
    return TextAnalysis(tuple(hits), frozenset(terms))


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


def _field_evidence(key: str, activity: Activity, th: Thesaurus) -> tuple[list, list, list]:
    """(positive weights, negative weights, trigger texts) from the activity's own fields."""
    rules = th.rules.get(key)
    positive: list[float] = []
    negative: list[float] = []
    triggers: list[str] = []
    if rules is None:
        return positive, negative, triggers

    def take(weight: float, trigger: str) -> None:
        if weight > 0:
            positive.append(weight)
            triggers.append(trigger)
        elif weight < 0:
            negative.append(weight)

    def best(table: dict[str, float], values: tuple[str, ...]) -> tuple[float, str]:
        found = [(table[v], v) for v in values if v in table]
        return max(found, default=(0.0, ""), key=lambda item: (item[0], item[1]))

    weight, period = best(rules.periods, activity.periods)
    take(weight, _PERIOD_WORDS.get(period, f"het vindt plaats in de {period}"))
    weight, fmt = best(rules.formats, (activity.format,))
    take(weight, _FORMAT_WORDS.get(fmt, f"het is een {fmt}"))
    weight, competence = best(rules.competences, activity.competences)
    take(weight, f"het werkt aan {competence_name(competence)}")
    weight, discipline = best(rules.disciplines, activity.disciplines)
    take(weight, f"het is een activiteit in {discipline}")
    if activity.sessions >= 3 and rules.series:
        minutes = activity.sessions * activity.minutes_per_session
        take(
            rules.series * min(1.0, minutes / _FULL_SERIES_MINUTES),
            f"het heeft {activity.sessions} bijeenkomsten",
        )
    if activity.sessions == 1 and rules.single_session:
        take(rules.single_session, "")
    return positive, negative, triggers


def infer(activity: Activity, analysis: TextAnalysis, thesaurus: Thesaurus) -> list[Inference]:
    """Interventions an activity can fill by its text and fields, most certain first.

    Only inferences from `verify_threshold` on are returned; from `threshold` on they count as
    fillable (hard rule 6) without a claim.
    """
    text = _text_evidence(analysis.hits)
    fields = [f"p:{p}" for p in activity.periods] + [f"f:{activity.format}"]
    fields += [f"c:{c}" for c in activity.competences] + [f"d:{d}" for d in activity.disciplines]
    if activity.sessions >= 3:
        fields.append("series")
    keys = thesaurus.keys_for_fields(fields) | text.keys()
    result = []
    for key in sorted(keys):
        labels = text.get(key, {})
        clear = [h.weight for h in labels.values() if h.tier != WEAK]
        weak = [h.weight for h in labels.values() if h.tier == WEAK]
        positive, negative, field_triggers = _field_evidence(key, activity, thesaurus)
        evidence = [noisy_or(clear), min(thesaurus.weak_cap, noisy_or(weak)), *positive]
        confidence = noisy_or(evidence)
        for weight in negative:
            confidence *= 1.0 + weight
        confidence = round(min(confidence, 0.99), 3)
        if confidence < thesaurus.verify_threshold:
            continue
        # Strongest and most specific words first: they explain the link best.
        ordered = sorted(labels.values(), key=lambda h: (-h.weight, -len(h.label), h.label))
        triggers = tuple(f"'{h.label}'" for h in ordered) + tuple(field_triggers)
        result.append(Inference(key, confidence, triggers))
    result.sort(key=lambda inf: (-inf.confidence, inf.key))
    return result


def activity_text(activity: Activity) -> str:
    """The free text of an activity that inference and search read."""
    return f"{activity.title}. {activity.description}"


def infer_interventions(activity: Activity, thesaurus: Thesaurus | None = None) -> list[Inference]:
    """Interventions the activity's text and fields support, with confidence and triggers."""
    th = thesaurus or load_thesaurus()
    return infer(activity, analyse_text(activity_text(activity), th), th)
