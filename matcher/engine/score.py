"""Soft preferences: how well a feasible activity fits a request, and why, in Dutch."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from matcher.engine.infer import competence_name
from matcher.engine.judge import judge
from matcher.engine.model import TEAM, Activity, Inference, MatchRequest
from matcher.engine.postings import Bits
from matcher.engine.query import Unit
from matcher.engine.rules import cost, group_count
from matcher.engine.thesaurus import DISCIPLINE, Thesaurus
from matcher.reference.requirements import Requirements, load_requirements

CURATED, VERIFIED, CLAIMED, INFERRED = "curated", "verified", "claimed", "inferred"

# Weights of the soft preferences; they add up to 1 so the score stays in 0..1.
W_INTERVENTION = 0.35
W_DISCIPLINE = 0.12
W_COMPETENCE = 0.08
W_WISHES = 0.34
W_LOCATION = 0.05
W_PRICE = 0.03
W_STRUCTURE = 0.03
# The existing structures (LKCA): a partner the school already works with counts fully; the
# region's penvoerder only breaks near-ties, since its broad offer is seldom exactly what was
# wished (seen on every development set: a generic penvoerder menu above the wished activity).
PENVOERDER_STRUCTURE = 0.1

# A preference the school did not state counts the same for every activity.
NEUTRAL = 0.5
# A wish found in every activity still counts this much.
_MIN_WISH_WEIGHT = 0.2
# Bounds are sums in another order than the score: this covers the float rounding.
_SLACK = 1e-9


# A link that misses a preference of its intervention (requirements.yaml) counts this much less.
WEAK_FIT = 0.55


@dataclass(frozen=True, slots=True)
class Fit:
    """How an activity fills one intervention: curated, verified, claimed or inferred.

    weak: it misses a preference of the intervention, said in `note` (Dutch).
    """

    kind: str
    confidence: float
    triggers: tuple[str, ...]
    weak: bool = False
    note: str = ""

    @property
    def value(self) -> float:
        """curated > verified > claimed > inferred, each a little higher with more confidence;
        a weak link counts for less."""
        if self.kind == CURATED:
            return 1.0
        if self.kind == VERIFIED:
            value = 0.9 + 0.1 * self.confidence
        elif self.kind == CLAIMED:
            value = 0.8
        else:
            # A link the text makes clear is nearly as good as a claim the text confirms:
            # unclaimed activities must be found as well as claimed ones.
            value = 0.5 + 0.45 * self.confidence
        return value * WEAK_FIT if self.weak else value


# Most activities have no discounted claim: they all share this empty mapping (memory).
NOTHING_DISCOUNTED: dict[str, str] = {}


def fits(
    activity: Activity,
    inferences: list[Inference],
    thesaurus: Thesaurus,
    participants: str,
    requirements: Requirements | None = None,
) -> tuple[dict[str, Fit], dict[str, str]]:
    """The interventions an activity can fill (hard rule 6), and how; and the claims that do
    not count, each with the Dutch reason why.

    A curator's verdict stands; every other link, claimed or inferred, is judged by what its
    intervention takes.
    """
    reqs = requirements or load_requirements()
    dropped = set(activity.curator_dropped)
    inferred = {inf.key: inf for inf in inferences if inf.key not in dropped}
    result: dict[str, Fit] = {key: Fit(CURATED, 1.0, ()) for key in activity.curator_verified
                              if key not in dropped}
    discounted: dict[str, str] = {}
    for key in activity.interventions:
        if key in result or key in dropped:
            continue
        inf = inferred.get(key)
        support = 0.0 if inf is None else inf.text_confidence
        verdict = judge(key, activity, participants, support, reqs)
        if not verdict.holds:
            discounted[key] = verdict.reason
        elif inf is not None and inf.confidence >= thesaurus.verify_threshold:
            result[key] = Fit(VERIFIED, inf.confidence, inf.triggers, verdict.weak, verdict.reason)
        else:
            result[key] = Fit(CLAIMED, 0.0, (), verdict.weak, verdict.reason)
    for key, inf in inferred.items():
        if key in result or key in discounted or inf.confidence < thesaurus.threshold:
            continue
        verdict = judge(key, activity, participants, inf.text_confidence, reqs)
        if verdict.holds:
            result[key] = Fit(INFERRED, inf.confidence, inf.triggers, verdict.weak, verdict.reason)
    return result, discounted or NOTHING_DISCOUNTED


@dataclass(frozen=True, slots=True)
class Profile:
    """What the index keeps of one activity, precomputed when it is added.

    `doc` is its id in the postings. Its words are kept only there: a set of terms per
    activity would cost more memory than all postings together.
    """

    doc: int
    activity: Activity
    fits: dict[str, Fit]
    participants: str  # given, confirmed or read from the text (hard rule 0)
    discounted: dict[str, str] = field(default_factory=lambda: NOTHING_DISCOUNTED)


@dataclass(frozen=True, slots=True)
class WishUnit:
    """A unit of the wishes with its weight (common words weigh less).

    exact: the activities that have it (a concept, its word, all words of its phrase);
    parts: those that have every part of the compound it is.
    """

    unit: Unit
    weight: float
    exact: Bits = field(default_factory=Bits)
    parts: Bits = field(default_factory=Bits)
    title: Bits = field(default_factory=Bits)  # those with it in their title or name
    words: Bits = field(default_factory=Bits)  # those with its own word in their text


def unit_weight(share: float) -> float:
    """Weight of a wish by the share of activities that contain it: a rare, specific wish
    ("circus") says more about what is wanted than a common one ("bewegen")."""
    return max(_MIN_WISH_WEIGHT, 1.0 - math.sqrt(share))


# How well a wish is met: in the title, its word anywhere in the text, as all parts of a
# compound, or only as what it stands for ("poppenspel": a theatre activity). An activity that
# is exactly the wish says so in its title.
WISH_IN_TITLE, WISH_IN_TEXT, WISH_IN_PARTS, WISH_AS_CONCEPT = 1.0, 0.7, 0.55, 0.45


def unit_match(wish: WishUnit, profile: Profile, thesaurus: Thesaurus) -> float:
    """How well one wish unit is found in an activity: 1 in its title, less elsewhere."""
    if profile.doc in wish.title:
        return WISH_IN_TITLE
    if profile.doc in wish.words:
        return WISH_IN_TEXT
    if profile.doc in wish.parts:
        return WISH_IN_PARTS
    if profile.doc in wish.exact:
        return WISH_AS_CONCEPT
    best = 0.0
    for concept in wish.unit.concepts:
        if concept.startswith(DISCIPLINE + ":"):
            wanted = concept[2:]
            for discipline in profile.activity.disciplines:
                best = max(best, 0.5 * thesaurus.relation(wanted, discipline))
    return best


@dataclass(frozen=True, slots=True)
class Scored:
    """Score of one candidate with what the explanation needs."""

    key: str
    score: float
    cost: float
    filled: tuple[str, ...]
    profile: Profile
    wish_hits: tuple[str, ...]


class Scorer:
    """Scores candidates of one request; built once per request."""

    def __init__(
        self,
        request: MatchRequest,
        wishes: list[WishUnit],
        thesaurus: Thesaurus,
        mentions: dict[str, Bits] | None = None,
    ):
        """`mentions`: per requested competence, the activities whose text speaks of it."""
        self.request = request
        self.wishes = wishes
        self.thesaurus = thesaurus
        self._mentions = mentions or {}
        self._wish_total = sum(w.weight for w in wishes)

    def score(self, profile: Profile) -> Scored:
        """Weighted sum of the soft preferences, rounded to 4 decimals."""
        return self.finish(profile, self.parts(profile))

    def parts(self, profile: Profile) -> tuple:
        """Everything of the score but the wishes: (filled, cost, fit, disciplines,
        competences, location, price, structure), each part before its weight."""
        req = self.request
        act = profile.activity
        filled = tuple(k for k in req.interventions if k in profile.fits)
        fit = sum(profile.fits[k].value for k in filled) / max(1, len(req.interventions))
        price = cost(act, req.pupils)
        return (
            filled,
            price,
            fit,
            self._disciplines(act),
            self._competences(profile),
            self._location(act),
            self._price(price),
            self._structure(act),
        )

    @staticmethod
    def bound(parts: tuple, wishes: float) -> float:
        """An upper bound of the unrounded score, given the most the wishes can add."""
        _filled, _cost, fit, disciplines, competences, location, price, structure = parts
        return (
            W_INTERVENTION * fit
            + W_DISCIPLINE * disciplines
            + W_COMPETENCE * competences
            + W_LOCATION * location
            + W_PRICE * price
            + W_STRUCTURE * structure
            + wishes
            + _SLACK
        )

    def finish(self, profile: Profile, parts: tuple) -> Scored:
        """The score from `parts` plus the wishes (the costly part)."""
        filled, price, fit, disciplines, competences, location, price_fit, structure = parts
        wish_score, wish_hits = self._wishes(profile)
        total = (
            W_INTERVENTION * fit
            + W_DISCIPLINE * disciplines
            + W_COMPETENCE * competences
            + W_WISHES * wish_score
            + W_LOCATION * location
            + W_PRICE * price_fit
            + W_STRUCTURE * structure
        )
        return Scored(profile.activity.key, round(total, 4), price, filled, profile, wish_hits)

    def _disciplines(self, act: Activity) -> float:
        if not self.request.disciplines:
            return NEUTRAL
        rel = self.thesaurus.relation
        return max(rel(w, d) for w in self.request.disciplines for d in act.disciplines)

    def _competences(self, profile: Profile) -> float:
        wanted = self.request.competences
        if not wanted:
            return NEUTRAL
        own = profile.activity.competences
        nowhere = Bits()
        found = sum(
            1.0 if c in own else 0.5 if profile.doc in self._mentions.get(c, nowhere) else 0.0
            for c in wanted
        )
        return found / len(wanted)

    def _wishes(self, profile: Profile) -> tuple[float, tuple[str, ...]]:
        if not self.wishes:
            return NEUTRAL, ()
        got = 0.0
        hits = []
        for wish in self.wishes:
            value = unit_match(wish, profile, self.thesaurus)
            if value > 0:
                got += value * wish.weight
                # Only the wish's own word (or a synonym) is worth mentioning by name.
                if value >= WISH_IN_PARTS:
                    hits.append(wish.unit.label)
        return got / self._wish_total, tuple(hits)

    def _location(self, act: Activity) -> float:
        wanted = self.request.location
        if wanted == "geen-voorkeur" or act.location in (wanted, "beide"):
            return 1.0
        return 0.0

    def _price(self, price: float) -> float:
        budget = self.request.budget
        if budget is None or budget <= 0:
            return NEUTRAL
        return max(0.0, 1.0 - price / budget)

    def _structure(self, act: Activity) -> float:
        if act.provider_key in self.request.preferred_providers:
            return 1.0
        if act.provider_key in self.request.penvoerder_keys:
            return PENVOERDER_STRUCTURE
        return 0.0


def suggestion_reason(fit: Fit) -> str:
    """Why the engine thinks an activity fills an intervention nobody claimed for it."""
    return _evidence(fit.triggers)


def discounted_reason(label: str, reason: str) -> str:
    """Why a provider's claim does not count, for the match and the activity page."""
    return f"De aanbieder noemt {label}, maar dat telt niet: {reason}"


def euro(amount: float) -> str:
    """Dutch money notation: € 1.250 or € 202,50."""
    whole = round(amount, 2)
    if whole == int(whole):
        text = f"{int(whole):,}".replace(",", ".")
    else:
        text = f"{whole:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _evidence(triggers: tuple[str, ...], clauses_too: bool = True) -> str:
    """The two best words of the text and, when wanted or needed, the best field fact."""
    quoted = [t for t in triggers if t.startswith("'")][:2]
    clauses = [t for t in triggers if not t.startswith("'")][:1]
    parts = [f"de tekst noemt {' en '.join(quoted)}"] if quoted else []
    if clauses_too or not parts:
        parts.extend(clauses)
    return " en ".join(parts)


class Explainer:
    """Turns a scored candidate into short Dutch sentences for a cultuurcoördinator."""

    def __init__(self, request: MatchRequest, thesaurus: Thesaurus):
        self.request = request
        self.thesaurus = thesaurus

    def reasons(self, scored: Scored) -> tuple[str, ...]:
        """The reasons, most important first."""
        act = scored.profile.activity
        out = [self._intervention(key, scored.profile.fits[key]) for key in scored.filled]
        if self.request.participants == TEAM:
            out.append("Voor het team: scholing voor leerkrachten en ander personeel.")
        out.extend(self._discounted(scored.profile))
        out.extend(self._disciplines(act))
        out.extend(self._competences(act))
        if scored.wish_hits:
            quoted = ", ".join(f"'{w}'" for w in scored.wish_hits[:4])
            out.append(f"Sluit aan bij uw wensen: {quoted}.")
        out.extend(self._location(act))
        out.append(self._cost(act, scored.cost))
        out.extend(self._structure(act))
        return tuple(out)

    def _intervention(self, key: str, fit: Fit) -> str:
        text = self._fit_text(key, fit)
        return f"{text} Maar zwak: {fit.note}" if fit.weak and fit.note else text

    def _discounted(self, profile: Profile) -> list[str]:
        """Requested interventions the provider claims but the activity cannot fill."""
        return [
            discounted_reason(self.thesaurus.label(key), profile.discounted[key])
            for key in self.request.interventions
            if key in profile.discounted
        ]

    def _fit_text(self, key: str, fit: Fit) -> str:
        label = self.thesaurus.label(key)
        if fit.kind == CURATED:
            return f"Past bij {label}: bevestigd door de curator van de regio."
        if fit.kind == VERIFIED:
            evidence = _evidence(fit.triggers, clauses_too=False)
            return f"Past bij {label}: de aanbieder noemt het zelf en {evidence}."
        if fit.kind == CLAIMED:
            return f"Past bij {label}: de aanbieder noemt het zelf."
        return f"Past bij {label}: {_evidence(fit.triggers)}."

    def _disciplines(self, act: Activity) -> list[str]:
        wanted = self.request.disciplines
        if not wanted:
            return []
        same = [d for d in act.disciplines if d in wanted]
        if same:
            return [f"{_listing(same).capitalize()}, zoals gevraagd."]
        related = [(self.thesaurus.relation(w, d), d, w) for w in wanted for d in act.disciplines]
        best = max(related)
        if best[0] > 0:
            return [f"{best[1].capitalize()}: verwant aan het gevraagde {best[2]}."]
        return []

    def _competences(self, act: Activity) -> list[str]:
        same = [competence_name(c) for c in self.request.competences if c in act.competences]
        return [f"Werkt aan {_listing(same)}."] if same else []

    def _location(self, act: Activity) -> list[str]:
        wanted = self.request.location
        if wanted == "geen-voorkeur":
            return []
        if act.location in (wanted, "beide"):
            return [
                "Komt naar school, zoals gevraagd."
                if wanted == "op-school"
                else "Op locatie, zoals gevraagd."
            ]
        where = "op locatie" if act.location == "op-locatie" else "op school"
        return [f"Let op: de activiteit is {where}."]

    def _cost(self, act: Activity, amount: float) -> str:
        pupils = self.request.pupils
        groups = group_count(act, pupils)
        group_text = "1 groep" if groups == 1 else f"{groups} groepen"
        who = "deelnemers" if self.request.participants == TEAM else "leerlingen"
        text = f"Kosten voor {pupils} {who}: {euro(amount)} ({group_text})"
        if self.request.budget is not None:
            text += f", binnen uw budget van {euro(self.request.budget)}"
        return text + "."

    def _structure(self, act: Activity) -> list[str]:
        if act.provider_key in self.request.preferred_providers:
            return ["U werkt al met deze aanbieder."]
        if act.provider_key in self.request.penvoerder_keys:
            return ["Loopt via uw penvoerder."]
        return []
