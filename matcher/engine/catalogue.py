"""The in-memory catalogue: inverted indexes built once, updated per edit.

A match or a search first narrows the candidates with set operations on the indexes (they run
in C), then checks the hard rules and scores only what is left.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import Counter
from collections.abc import Iterable
from itertools import chain

from matcher.engine.infer import activity_text, analyse_text, infer
from matcher.engine.model import (
    NATIONWIDE,
    Activity,
    Inference,
    Match,
    MatchRequest,
    Plan,
    Provider,
    SearchFilters,
    SearchResult,
)
from matcher.engine.query import Unit, Vocabulary, understand
from matcher.engine.rules import obeys_hard_rules
from matcher.engine.score import (
    Explainer,
    Profile,
    Scored,
    Scorer,
    WishUnit,
    fits,
    unit_weight,
)
from matcher.engine.text import STOPWORDS, stem, tokenize
from matcher.engine.thesaurus import (
    COMPETENCE,
    DISCIPLINE,
    INTERVENTION,
    PERIOD,
    Thesaurus,
    load_thesaurus,
)

SECTORS = ("po", "so", "vo")
FACETS = ("sector", "discipline", "period", "format", "intervention")
_TITLE_BOOST = 2.0
# Up to this many results every one is scored; above it only those with a title match.
_EXACT_RANK_LIMIT = 2000


def _add(index: dict, key: object, value: str) -> None:
    index.setdefault(key, set()).add(value)


def _discard(index: dict, key: object, value: str) -> None:
    bucket = index.get(key)
    if bucket is not None:
        bucket.discard(value)
        if not bucket:
            del index[key]


class Catalogue:
    """Providers and activities, indexed for matching, planning and search."""

    def __init__(
        self,
        providers: Iterable[Provider] = (),
        activities: Iterable[Activity] = (),
        thesaurus: Thesaurus | None = None,
    ) -> None:
        started = time.perf_counter()
        self.thesaurus = thesaurus or load_thesaurus()
        self._providers: dict[str, Provider] = {}
        self._profiles: dict[str, Profile] = {}
        self._by_provider: dict[str, set[str]] = {}
        self._by_gemeente: dict[str, set[str]] = {}
        self._nationwide: set[str] = set()
        self._by_intervention: dict[str, set[str]] = {}
        self._by_audience: dict[tuple[str, int], set[str]] = {}
        self._by_period: dict[str, set[str]] = {}
        self._postings: dict[str, set[str]] = {}
        self._title_postings: dict[str, set[str]] = {}
        # Facet counts over the whole catalogue, kept up to date per edit (an empty search).
        self._facet_totals: Counter[str] = Counter()
        self._facet_of: dict[str, tuple[str, ...]] = {}
        self._vocabulary = Vocabulary(
            set(self.thesaurus.terms) | set(self.thesaurus.stem_vocabulary)
        )
        for provider in providers:
            self.upsert_provider(provider)
        for activity in activities:
            self.add_or_update(activity)
        self.build_seconds = time.perf_counter() - started

    # ----------------------------------------------------------------- maintenance

    def __len__(self) -> int:
        return len(self._profiles)

    def __contains__(self, activity_key: object) -> bool:
        return activity_key in self._profiles

    def activity(self, activity_key: str) -> Activity:
        """The stored activity (KeyError when unknown)."""
        return self._profiles[activity_key].activity

    def provider(self, provider_key: str) -> Provider | None:
        """The stored provider, or None."""
        return self._providers.get(provider_key)

    def upsert_provider(self, provider: Provider) -> None:
        """Add or replace a provider; re-places its activities only when `serves` changed."""
        old = self._providers.get(provider.key)
        self._providers[provider.key] = provider
        if old is not None and old.served == provider.served:
            return
        for key in self._by_provider.get(provider.key, ()):
            if old is not None:
                self._unplace(key, old)
            self._place(key, provider)

    def add_or_update(self, activity: Activity) -> None:
        """Index an activity (inference runs here, once); replaces one with the same key."""
        if activity.key in self._profiles:
            self.remove(activity.key)
        profile = self._profile(activity)
        key = activity.key
        self._profiles[key] = profile
        _add(self._by_provider, activity.provider_key, key)
        provider = self._providers.get(activity.provider_key)
        if provider is not None:
            self._place(key, provider)
        for intervention in profile.fits:
            _add(self._by_intervention, intervention, key)
        for aud in activity.audience:
            for grade in aud.grades:
                _add(self._by_audience, (aud.sector, grade), key)
        for period in activity.periods:
            _add(self._by_period, period, key)
        for term in chain(profile.terms, profile.concepts):
            if term not in self._postings:
                self._vocabulary.add(term)
            _add(self._postings, term, key)
        for term in profile.title_terms:
            _add(self._title_postings, term, key)
        facets = _facet_values(profile)
        self._facet_of[key] = facets
        self._facet_totals.update(facets)

    def remove(self, activity_key: str) -> None:
        """Take an activity out of every index (no-op when unknown)."""
        profile = self._profiles.pop(activity_key, None)
        if profile is None:
            return
        activity = profile.activity
        _discard(self._by_provider, activity.provider_key, activity_key)
        provider = self._providers.get(activity.provider_key)
        if provider is not None:
            self._unplace(activity_key, provider)
        for intervention in profile.fits:
            _discard(self._by_intervention, intervention, activity_key)
        for aud in activity.audience:
            for grade in aud.grades:
                _discard(self._by_audience, (aud.sector, grade), activity_key)
        for period in activity.periods:
            _discard(self._by_period, period, activity_key)
        for term in chain(profile.terms, profile.concepts):
            _discard(self._postings, term, activity_key)
            if term not in self._postings and term not in self.thesaurus.terms:
                self._vocabulary.discard(term)
        for term in profile.title_terms:
            _discard(self._title_postings, term, activity_key)
        self._facet_totals.subtract(self._facet_of.pop(activity_key))
        self._facet_totals = +self._facet_totals  # drop zero counts

    def inferred(self, activity_key: str) -> list[Inference]:
        """What the engine inferred for an activity (KeyError when unknown)."""
        return list(self._profiles[activity_key].inferences)

    def _place(self, key: str, provider: Provider) -> None:
        for gemeente in provider.served:
            if gemeente == NATIONWIDE:
                self._nationwide.add(key)
            else:
                _add(self._by_gemeente, gemeente, key)

    def _unplace(self, key: str, provider: Provider) -> None:
        for gemeente in provider.served:
            if gemeente == NATIONWIDE:
                self._nationwide.discard(key)
            else:
                _discard(self._by_gemeente, gemeente, key)

    def _profile(self, activity: Activity) -> Profile:
        th = self.thesaurus
        analysis = analyse_text(activity_text(activity), th)
        inferences = infer(activity, analysis, th)
        fit = fits(activity, inferences, th)
        title_terms = {stem(t) for t in tokenize(activity.title) if t not in STOPWORDS}
        for token in tokenize(activity.title):
            if len(token) >= 6:
                title_terms.update(th.parts(token))
        concepts = {hit.concept for _s, _e, hit in analysis.hits if hit.kind != INTERVENTION}
        concepts.update(f"{DISCIPLINE}:{d}" for d in activity.disciplines)
        concepts.update(f"{COMPETENCE}:{c}" for c in activity.competences)
        concepts.update(f"{PERIOD}:{p}" for p in activity.periods)
        concepts.update(f"{INTERVENTION}:{k}" for k in fit)
        return Profile(
            activity=activity,
            inferences=tuple(inferences),
            fits=fit,
            terms=analysis.terms,
            title_terms=frozenset(title_terms),
            concepts=frozenset(concepts),
        )

    # ----------------------------------------------------------------- matching

    def _served(self, gemeente: str) -> list[set[str]]:
        return [self._by_gemeente.get(gemeente, set()), self._nationwide]

    def _candidates(self, request: MatchRequest) -> list[Profile]:
        groups = [
            [self._by_intervention.get(k, set()) for k in request.interventions],
            self._served(request.gemeente),
            [self._by_audience.get((request.sector, g), set()) for g in request.grades],
        ]
        if request.periods:
            groups.append([self._by_period.get(p, set()) for p in request.periods])
        keys = _intersect_groups(groups)
        result = []
        for key in keys:
            profile = self._profiles[key]
            act = profile.activity
            provider = self._providers.get(act.provider_key)
            if obeys_hard_rules(act, provider, request, profile.fits):
                result.append(profile)
        return result

    def _wish_units(self, text: str) -> list[WishUnit]:
        if not text.strip():
            return []
        total = max(1, len(self._profiles))
        units = understand(text, self.thesaurus, self._vocabulary, self._knows)
        return [WishUnit(u, unit_weight(self._share(u, total))) for u in units]

    def _knows(self, term: str) -> bool:
        return term in self._postings or term in self.thesaurus.terms

    def _share(self, unit: Unit, total: int) -> float:
        sizes = [len(self._postings.get(t, ())) for t in chain(unit.stems, unit.concepts)]
        return max(sizes, default=0) / total

    def _ranked(self, request: MatchRequest, limit: int | None) -> list[Scored]:
        scorer = Scorer(request, self._wish_units(request.wishes), self.thesaurus)
        scored = [scorer.score(p) for p in self._candidates(request)]
        order = lambda s: (-s.score, s.key)  # noqa: E731 - deterministic tie-break by key
        if limit is None:
            return sorted(scored, key=order)
        return heapq.nsmallest(limit, scored, key=order)

    def _to_match(self, scored: Scored, explainer: Explainer) -> Match:
        act = scored.profile.activity
        return Match(
            activity_key=act.key,
            provider_key=act.provider_key,
            score=scored.score,
            cost=round(scored.cost, 2),
            interventions=scored.filled,
            reasons=explainer.reasons(scored),
        )

    def match(self, request: MatchRequest, limit: int | None = 10) -> list[Match]:
        """Activities that obey every hard rule, best first (ties by activity key).

        `limit=None` returns all of them.
        """
        explainer = Explainer(request, self.thesaurus)
        return [self._to_match(s, explainer) for s in self._ranked(request, limit)]

    def plan(self, request: MatchRequest) -> Plan:
        """Greedily cover all requested interventions within budget with few providers."""
        matches = self.match(request, limit=None)
        remaining = list(dict.fromkeys(request.interventions))
        budget = math.inf if request.budget is None else request.budget
        by_provider: dict[str, list[Match]] = {}
        for m in matches:
            by_provider.setdefault(m.provider_key, []).append(m)
        chosen: list[Match] = []
        while remaining:
            best = _best_provider(by_provider, remaining, budget)
            if best is None:
                break
            provider_key, picks = best
            del by_provider[provider_key]
            for pick in picks:
                chosen.append(pick)
                budget -= pick.cost
                remaining = [k for k in remaining if k not in pick.interventions]
        total = round(sum(m.cost for m in chosen), 2)
        providers = {m.provider_key for m in chosen}
        return Plan(tuple(chosen), tuple(remaining), total, len(providers))

    # ----------------------------------------------------------------- search

    def search(
        self,
        q: str = "",
        filters: SearchFilters | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> SearchResult:
        """Typo-tolerant search with filters and facet counts over all results.

        Every word must match (in the text, as a synonym or a compound part); when no activity
        has them all, activities with any of them are shown. Title matches rank first.
        """
        keys = self._filtered(filters or SearchFilters())
        units = understand(q, self.thesaurus, self._vocabulary, self._knows) if q else []
        if units:
            found = self._text_filter(keys, units)
            items = self._rank(found, units, offset + limit)[offset:]
            return SearchResult(len(found), items, self._facets(found))
        if keys is None:
            items = heapq.nsmallest(offset + limit, self._profiles)[offset:]
            return SearchResult(len(self._profiles), items, self._facets(None))
        return SearchResult(
            len(keys), heapq.nsmallest(offset + limit, keys)[offset:], self._facets(keys)
        )

    def _filtered(self, f: SearchFilters) -> set[str] | None:
        """Keys passing the filters; None when there is no filter (everything)."""
        groups: list[list[set[str]]] = []
        if f.gemeente:
            groups.append(self._served(f.gemeente))
        if f.sector or f.grade is not None:
            sectors = [f.sector] if f.sector else list(SECTORS)
            grades = [f.grade] if f.grade is not None else list(range(1, 9))
            groups.append([self._by_audience.get((s, g), set()) for s in sectors for g in grades])
        if f.period:
            groups.append([self._by_period.get(f.period, set())])
        if f.intervention:
            groups.append([self._by_intervention.get(f.intervention, set())])
        if f.discipline:
            groups.append([self._postings.get(f"{DISCIPLINE}:{f.discipline}", set())])
        if not groups and f.max_price is None:
            return None
        keys = _intersect_groups(groups) if groups else set(self._profiles)
        if f.max_price is not None:
            limit = f.max_price
            keys = {k for k in keys if self._profiles[k].activity.price_amount <= limit}
        return keys

    def _unit_postings(self, unit: Unit) -> set[str]:
        post = self._postings
        sets = [post.get(c, set()) for c in unit.concepts]
        if unit.phrase:
            stems = [post.get(s, set()) for s in unit.stems]
            if stems:
                sets.append(set.intersection(*stems))
        else:
            sets.extend(post.get(s, set()) for s in unit.stems)
        if unit.parts:
            sets.append(set.intersection(*(post.get(p, set()) for p in unit.parts)))
        return set().union(*sets)

    def _text_filter(self, keys: set[str] | None, units: list[Unit]) -> set[str]:
        per_unit = sorted((self._unit_postings(u) for u in units), key=len)
        matched = set(per_unit[0]) if keys is None else keys & per_unit[0]
        for docs in per_unit[1:]:
            matched &= docs
        if matched or len(units) == 1:
            return matched
        # No activity has every word: show those with any of them, best first.
        anything = set().union(*per_unit)
        return anything if keys is None else keys & anything

    def _rank(self, keys: set[str], units: list[Unit], count: int) -> list[str]:
        """The best `count` keys by text score (ties by key).

        Large result sets are ranked exactly only among activities with a word in the title;
        the others follow by key (their text scores are nearly all equal anyway).
        """
        weights = self._search_weights(units)
        order = lambda sk: (-sk[0], sk[1])  # noqa: E731 - best score first, then key
        if len(keys) <= _EXACT_RANK_LIMIT:
            scored = ((self._text_score(k, units, weights), k) for k in keys)
            return [k for _s, k in heapq.nsmallest(count, scored, key=order)]
        boosted: set[str] = set()
        for unit in units:
            for term in unit.stems:
                boosted |= self._title_postings.get(term, set()) & keys
        scored = ((self._text_score(k, units, weights), k) for k in boosted)
        top = [k for _s, k in heapq.nsmallest(count, scored, key=order)]
        if len(top) < count:
            top += heapq.nsmallest(count - len(top), keys - boosted)
        return top

    def _search_weights(self, units: list[Unit]) -> list[float]:
        total = max(1, len(self._profiles))
        weights = []
        for unit in units:
            df = max(
                (len(self._postings.get(t, ())) for t in unit.stems | unit.concepts), default=0
            )
            weights.append(math.log(1 + total / (1 + df)))
        return weights

    def _text_score(self, key: str, units: list[Unit], weights: list[float]) -> float:
        profile = self._profiles[key]
        score = 0.0
        for unit, weight in zip(units, weights, strict=True):
            if unit.stems & profile.title_terms:
                score += weight * _TITLE_BOOST
            elif unit.stems & profile.terms or unit.concepts & profile.concepts:
                score += weight
            elif unit.parts and all(p in profile.terms for p in unit.parts):
                score += 0.8 * weight
        return round(score, 6)

    def _facets(self, keys: set[str] | None) -> dict[str, dict[str, int]]:
        """Counts per facet value over the results (None: the whole catalogue)."""
        if keys is None:
            counts = self._facet_totals
        else:
            facet_of = self._facet_of
            counts = Counter(chain.from_iterable(facet_of[k] for k in keys))
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        for label, count in sorted(counts.items()):
            name, value = label.split(":", 1)
            facets[name][value] = count
        return facets


def _facet_values(profile: Profile) -> tuple[str, ...]:
    """The facet labels ("sector:po") of one activity, each once."""
    act = profile.activity
    values = {f"sector:{a.sector}" for a in act.audience}
    values.update(f"discipline:{d}" for d in act.disciplines)
    values.update(f"period:{p}" for p in act.periods)
    values.add(f"format:{act.format}")
    values.update(f"intervention:{k}" for k in profile.fits)
    return tuple(values)


def _intersect_groups(groups: list[list[set[str]]]) -> set[str]:
    """AND over groups of OR-ed sets, starting from the smallest group (all in C)."""
    ordered = sorted(groups, key=lambda g: sum(len(s) for s in g))
    first, *rest = ordered
    keys: set[str] = set().union(*first)
    for group in rest:
        if not keys:
            break
        if len(group) == 1:
            keys &= group[0]
        else:
            keys = set().union(*(keys & s for s in group))
    return keys


def _best_provider(
    by_provider: dict[str, list[Match]], remaining: list[str], budget: float
) -> tuple[str, list[Match]] | None:
    """The provider whose activities cover most of what is left, within the budget."""
    best: tuple[tuple, str, list[Match]] | None = None
    for provider_key in sorted(by_provider):
        picks = _pick(by_provider[provider_key], remaining, budget)
        covered = {k for m in picks for k in m.interventions if k in remaining}
        if not covered:
            continue
        cost_ = sum(m.cost for m in picks)
        mean = sum(m.score for m in picks) / len(picks)
        rank = (-len(covered), -round(mean, 4), cost_, provider_key)
        if best is None or rank < best[0]:
            best = (rank, provider_key, picks)
    return None if best is None else (best[1], best[2])


def _pick(matches: list[Match], remaining: list[str], budget: float) -> list[Match]:
    """Greedy choice within one provider: most new interventions, then best score."""
    left = set(remaining)
    picks: list[Match] = []
    for _ in range(len(remaining)):
        options = [
            m
            for m in matches
            if m not in picks and m.cost <= budget + 1e-6 and left.intersection(m.interventions)
        ]
        if not options:
            break
        pick = min(
            options,
            key=lambda m: (
                -len(left.intersection(m.interventions)),
                -m.score,
                m.cost,
                m.activity_key,
            ),
        )
        picks.append(pick)
        budget -= pick.cost
        left.difference_update(pick.interventions)
    return picks
