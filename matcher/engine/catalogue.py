"""The in-memory catalogue: inverted indexes built once, updated per edit.

A match or a search first narrows the candidates with bitwise operations on the postings
(see postings.py; they run in C), then checks the hard rules and scores only what is left.
Activities are known by a small int id inside the index; keys are used for every ordering,
so results do not depend on the ids.
"""

from __future__ import annotations

import bisect
import heapq
import math
import time
from collections.abc import Iterable
from itertools import chain, islice

from matcher.engine.infer import TextAnalysis, activity_text, analyse_text
from matcher.engine.links import Links, assess
from matcher.engine.model import (
    LEERLINGEN,
    LEERLINGEN_EN_OUDERS,
    NATIONWIDE,
    TEAM,
    Activity,
    Doubt,
    Inference,
    Match,
    MatchRequest,
    Plan,
    Provider,
    SearchFilters,
    SearchResult,
)
from matcher.engine.participants import ParticipantsReading, read_participants
from matcher.engine.postings import Bits, Postings, bits_of, ids_of
from matcher.engine.query import Unit, Vocabulary, understand
from matcher.engine.rules import obeys_hard_rules
from matcher.engine.score import (
    _SLACK,
    INFERRED,
    NEUTRAL,
    PENVOERDER_STRUCTURE,
    W_COMPETENCE,
    W_DISCIPLINE,
    W_INTERVENTION,
    W_LOCATION,
    W_PRICE,
    W_STRUCTURE,
    W_WISHES,
    WISH_IN_TEXT,
    Explainer,
    Fit,
    Profile,
    Scored,
    Scorer,
    WishUnit,
    suggestion_reason,
    unit_weight,
)
from matcher.engine.text import STOPWORDS, stem, tokenize
from matcher.engine.thesaurus import (
    COMPETENCE,
    DISCIPLINE,
    INTERVENTION,
    PERIOD,
    SYNONYM,
    Thesaurus,
    load_thesaurus,
)
from matcher.reference.requirements import load_requirements

SECTORS = ("po", "so", "vo")
FACETS = ("sector", "discipline", "period", "format", "intervention", "participants")
_TITLE_BOOST = 2.0
# Up to this many results every one is scored; above it only those with a title match.
_EXACT_RANK_LIMIT = 2000
ALL = "all"  # the one key of Catalogue._all
# Interventions every arts activity fills: nothing for a curator to decide.
_ALWAYS_FILLED = frozenset({"cultuureducatie"})
# A wish's word of this many letters or more finds title compounds it starts, at most this many.
_COMPOUND_HEAD, _COMPOUNDS_PER_WORD = 5, 50
# The search box compares at most this many titles with the query (see _exact_matches).
_EXACT_CHECK_LIMIT = 200


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
        self._requirements = load_requirements()
        words = self.thesaurus.participant_words
        self._course_words = words.team_forms.singles | words.course_words.singles
        self._providers: dict[str, Provider] = {}
        # Ids: `_docs[id]` is the profile (None for a freed id), `_ids` the id of a key.
        self._docs: list[Profile | None] = []
        self._ids: dict[str, int] = {}
        self._free_ids: list[int] = []  # a heap: reuse low ids so bitmaps stay short
        self._all = Postings(self._docs)  # one key, ALL: every activity in the catalogue
        self._by_provider = Postings(self._docs)
        self._by_gemeente = Postings(self._docs)  # NATIONWIDE ("*") is a gemeente here
        self._by_intervention = Postings(self._docs)
        self._by_audience = Postings(self._docs)  # key (sector, grade)
        self._by_period = Postings(self._docs)
        self._by_participants = Postings(self._docs)
        self._by_discounted = Postings(self._docs)  # claims that do not count, by intervention
        self._postings = Postings(self._docs)  # text terms and concepts ("d:theater")
        self._title_postings = Postings(self._docs)
        self._by_title_length = Postings(self._docs)  # number of words in the title
        self._by_facet = Postings(self._docs)  # key "sector:po", "discipline:dans" ...
        # Provider names for the search box: name stem -> provider keys, and the whole name.
        self._provider_terms: dict[str, set[str]] = {}
        self._provider_names: dict[str, set[str]] = {}
        # All keys in order for paging; built after the bulk load, then kept up per edit.
        self._order: list[str] | None = None
        # Every word of a title, sorted: a wish finds the compounds it starts ("flamenco" in
        # "Flamencoclub") by bisection. Sorted after the bulk load, then kept up per new word.
        self._title_words: list[str] = []
        self._vocabulary = Vocabulary(
            set(self.thesaurus.terms) | set(self.thesaurus.stem_vocabulary)
        )
        for provider in providers:
            self.upsert_provider(provider)
        for activity in activities:
            self.add_or_update(activity)
        self._order = sorted(self._ids)
        self._title_words.sort()
        self.build_seconds = time.perf_counter() - started

    # ----------------------------------------------------------------- maintenance

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, activity_key: object) -> bool:
        return activity_key in self._ids

    def activity(self, activity_key: str) -> Activity:
        """The stored activity (KeyError when unknown)."""
        return self._profile_of(activity_key).activity

    def provider(self, provider_key: str) -> Provider | None:
        """The stored provider, or None."""
        return self._providers.get(provider_key)

    def upsert_provider(self, provider: Provider) -> None:
        """Add or replace a provider; re-places its activities only when `serves` changed."""
        old = self._providers.get(provider.key)
        self._providers[provider.key] = provider
        if old is not None:
            self._unname(old)
        self._name(provider)
        if old is not None and old.served == provider.served:
            return
        for doc in self._by_provider.ids(provider.key):
            if old is not None:
                self._unplace(doc, old)
            self._place(doc, provider)

    def _name(self, provider: Provider) -> None:
        for term in _name_terms(provider.name):
            self._provider_terms.setdefault(term, set()).add(provider.key)
        self._provider_names.setdefault(normalised(provider.name), set()).add(provider.key)

    def _unname(self, provider: Provider) -> None:
        for term in _name_terms(provider.name):
            self._provider_terms.get(term, set()).discard(provider.key)
        self._provider_names.get(normalised(provider.name), set()).discard(provider.key)

    def add_or_update(self, activity: Activity) -> None:
        """Index an activity (inference runs here, once); replaces one with the same key."""
        if activity.key in self._ids:
            self.remove(activity.key)
        doc = self._new_id(activity.key)
        analysis = analyse_text(activity_text(activity), self.thesaurus)
        links = assess(activity, self.thesaurus, analysis)
        fit, participants = links.fits, links.participants.value
        self._docs[doc] = Profile(doc, activity, fit, participants, links.discounted)
        self._all.add(ALL, doc)
        self._by_provider.add(activity.provider_key, doc)
        provider = self._providers.get(activity.provider_key)
        if provider is not None:
            self._place(doc, provider)
        self._by_intervention.add_all(fit, doc)
        self._by_discounted.add_all(links.discounted, doc)
        self._by_audience.add_all(_audience_keys(activity), doc)
        self._by_period.add_all(activity.periods, doc)
        self._by_participants.add(participants, doc)
        terms, concepts, title_terms = self._words(activity, analysis, fit)
        for term in self._postings.add_all(chain(terms, concepts), doc):
            self._vocabulary.add(term)
        for term in self._title_postings.add_all(title_terms, doc):
            if self._order is None:
                self._title_words.append(term)
            else:
                bisect.insort(self._title_words, term)
        self._by_title_length.add(len(tokenize(activity.title)), doc)
        self._by_facet.add_all(_facet_values(activity, fit, participants), doc)

    def remove(self, activity_key: str) -> None:
        """Take an activity out of every index (no-op when unknown)."""
        doc = self._ids.pop(activity_key, None)
        if doc is None:
            return
        profile = self._docs[doc]
        activity, fit = profile.activity, profile.fits
        self._docs[doc] = None
        heapq.heappush(self._free_ids, doc)
        if self._order is not None:
            del self._order[bisect.bisect_left(self._order, activity_key)]
        self._all.discard(ALL, doc)
        self._by_provider.discard(activity.provider_key, doc)
        provider = self._providers.get(activity.provider_key)
        if provider is not None:
            self._unplace(doc, provider)
        for intervention in fit:
            self._by_intervention.discard(intervention, doc)
        for intervention in profile.discounted:
            self._by_discounted.discard(intervention, doc)
        for audience_key in _audience_keys(activity):
            self._by_audience.discard(audience_key, doc)
        for period in activity.periods:
            self._by_period.discard(period, doc)
        self._by_participants.discard(profile.participants, doc)
        # The words are not stored per activity (memory): reading the text again gives them.
        analysis = analyse_text(activity_text(activity), self.thesaurus)
        terms, concepts, title_terms = self._words(activity, analysis, fit)
        for term in chain(terms, concepts):
            self._postings.discard(term, doc)
            if term not in self._postings and term not in self.thesaurus.terms:
                self._vocabulary.discard(term)
        for term in title_terms:
            self._title_postings.discard(term, doc)
        self._by_title_length.discard(len(tokenize(activity.title)), doc)
        for label in _facet_values(activity, fit, profile.participants):
            self._by_facet.discard(label, doc)

    def inferred(self, activity_key: str) -> list[Inference]:
        """What the engine inferred for an activity (KeyError when unknown)."""
        # Recomputed on demand (a detail page) rather than kept for every activity.
        return list(self.links(activity_key).inferences)

    def links(self, activity_key: str) -> Links:
        """What the engine concludes about an indexed activity (KeyError when unknown):
        participants, fillable interventions and discounted claims with their reasons."""
        return assess(self.activity(activity_key), self.thesaurus)

    def participants(self, activity_key: str) -> ParticipantsReading:
        """Who takes part, given or read from the text, with the words why (KeyError when
        unknown)."""
        return read_participants(self.activity(activity_key), self.thesaurus)

    def _profile_of(self, activity_key: str) -> Profile:
        return self._docs[self._ids[activity_key]]

    def _new_id(self, activity_key: str) -> int:
        if self._order is not None:
            bisect.insort(self._order, activity_key)
        if self._free_ids:
            doc = heapq.heappop(self._free_ids)
        else:
            doc = len(self._docs)
            self._docs.append(None)
        self._ids[activity_key] = doc
        return doc

    def _place(self, doc: int, provider: Provider) -> None:
        for gemeente in provider.served:
            self._by_gemeente.add(gemeente, doc)

    def _unplace(self, doc: int, provider: Provider) -> None:
        for gemeente in provider.served:
            self._by_gemeente.discard(gemeente, doc)

    def _words(
        self, activity: Activity, analysis: TextAnalysis, fit: dict[str, Fit]
    ) -> tuple[frozenset[str], set[str], set[str]]:
        """(text terms, concepts, title terms) under which the activity is indexed."""
        th = self.thesaurus
        title_tokens = tokenize(activity.title)
        title_terms = {stem(t) for t in title_tokens if t not in STOPWORDS}
        for token in title_tokens:
            if len(token) >= 6:
                title_terms.update(th.parts(token))
        # A synonym in the title counts as the wish's own word there ("Poppenkast" for a wish
        # of poppenspel); the title is the first part of the analysed text.
        in_title = len(title_tokens)
        title_terms.update(
            hit.concept for start, _e, hit in analysis.hits
            if start < in_title and hit.kind == SYNONYM
        )
        concepts = {hit.concept for _s, _e, hit in analysis.hits if hit.kind != INTERVENTION}
        concepts.update(f"{DISCIPLINE}:{d}" for d in activity.disciplines)
        concepts.update(f"{COMPETENCE}:{c}" for c in activity.competences)
        concepts.update(f"{PERIOD}:{p}" for p in activity.periods)
        concepts.update(f"{INTERVENTION}:{k}" for k in fit)
        return analysis.terms, concepts, title_terms

    # ----------------------------------------------------------------- matching

    def _served(self, gemeente: str) -> list[int]:
        return [self._by_gemeente.bits(gemeente), self._by_gemeente.bits(NATIONWIDE)]

    def _raw_candidates(self, request: MatchRequest) -> int:
        """The activities the postings allow (audience, place, period, intervention)."""
        groups = [
            [self._by_intervention.bits(k) for k in request.interventions],
            self._served(request.gemeente),
            [self._by_audience.bits((request.sector, g)) for g in request.grades],
            self._participant_bits(request.participants),
        ]
        if request.periods:
            groups.append([self._by_period.bits(p) for p in request.periods])
        return _intersect_groups(groups)

    def _participant_bits(self, wanted: str) -> list[int]:
        """Activities for these participants: pupils alone or with their parents, or the team."""
        if wanted == TEAM:
            return [self._by_participants.bits(TEAM)]
        return [self._by_participants.bits(LEERLINGEN),
                self._by_participants.bits(LEERLINGEN_EN_OUDERS)]

    def _feasible(self, request: MatchRequest, doc: int) -> Profile | None:
        """The profile when the activity obeys every hard rule, else None."""
        profile = self._docs[doc]
        act = profile.activity
        provider = self._providers.get(act.provider_key)
        feasible = obeys_hard_rules(act, provider, request, profile.fits, profile.participants)
        return profile if feasible else None

    def _candidates(self, request: MatchRequest) -> list[Profile]:
        result = []
        for doc in ids_of(self._raw_candidates(request)):
            profile = self._feasible(request, doc)
            if profile is not None:
                result.append(profile)
        return result

    def _wish_units(self, request: MatchRequest) -> list[tuple[WishUnit, int, int]]:
        """The units of the wishes, each with the bitmaps of the activities it matches at all
        and of those with it in their title."""
        if not request.wishes.strip():
            return []
        total = max(1, len(self))
        units = understand(request.wishes, self.thesaurus, self._vocabulary, self._knows)
        asked, narrowing = self._asked_times(request, units)
        requested = {f"{INTERVENTION}:{key}" for key in request.interventions}
        result = []
        for u in units:
            when = self._period_bits(u, narrowing, requested)
            if when is None and not self._is_wish(u, request, asked):
                continue
            synonyms = [c for c in u.concepts if c.startswith(SYNONYM + ":")]
            if when is not None:
                # A period narrowing the request is a fact of the activity, not a word: "niet
                # na schooltijd" in a text must not meet a wish for after school.
                title = self._any_title_bits(chain(u.stems, synonyms)) & when
                weight = unit_weight(when.bit_count() / total)
                wish = WishUnit(u, weight, Bits(when), title=Bits(title), words=Bits(when))
                result.append((wish, when, title))
                continue
            exact, parts = self._exact_bits(u), self._all_bits(u.parts)
            title = self._title_bits(u, synonyms)
            words = self._word_bits(u)
            found = exact | parts | title | words
            if not found and not any(c.startswith(DISCIPLINE + ":") for c in u.concepts):
                # A word no activity has ("kleuterjuffen") tells no activity from another: it
                # must not thin out the wishes that do.
                continue
            weight = unit_weight(self._share_of(u, total))
            wish = WishUnit(u, weight, Bits(exact), Bits(parts), Bits(title), Bits(words))
            result.append((wish, exact | parts | title, title))
        return result

    def _period_bits(self, unit: Unit, narrowing: set[str], requested: set[str]) -> int | None:
        """The activities held in the period a unit names when that period narrows the
        request, else None. The unit may also name a requested intervention ("na schooltijd"
        is a word of uitbreiding onderwijstijd too)."""
        own = {c for c in unit.concepts if not c.startswith(SYNONYM + ":")} - requested
        if not own or not own <= narrowing:
            return None
        found = 0
        for concept in own:
            found |= self._by_period.bits(concept[len(PERIOD) + 1 :])
        return found

    def _is_wish(self, unit: Unit, request: MatchRequest, asked: set[str]) -> bool:
        """Whether a unit says what kind of activity is wanted.

        Not a filler ("graag", "kinderen"), and not when it happens if the request already
        asks for that: "in de zomer" or "vakantieschool" in a request for zomerschool restate
        its fields, while "circus" in a request for sport says which sport.
        """
        if unit.stems <= self.thesaurus.wish_fillers:
            return False
        if request.participants == TEAM and unit.stems <= self._course_words:
            return False  # "teamscholing" in a request for the team restates who it is for
        own = {c for c in unit.concepts if not c.startswith(SYNONYM + ":")}
        return not own or not own <= asked

    def _asked_times(
        self, request: MatchRequest, units: list[Unit]
    ) -> tuple[set[str], set[str]]:
        """Concepts of when, as the request's fields already ask for them (its periods, its
        time interventions and the periods those need), and the period that narrows them.

        One period named in the wishes, by a word that names nothing else, and only one of
        those an intervention allows ("NSO" for uitbreiding onderwijstijd) narrows the request.
        Several ("na schooltijd of in de zomer") list what the interventions allow.
        """
        given = {f"{PERIOD}:{p}" for p in request.periods}
        asked = set(given)
        named = {c for u in units for c in u.concepts if c.startswith(PERIOD + ":")}
        for key in request.interventions:
            periods = [r.values for r in self._requirements.of(key) if r.kind == "periods"]
            if periods:
                asked.add(f"{INTERVENTION}:{key}")
                asked.update(f"{PERIOD}:{p}" for values in periods for p in values)
        narrowing = named if len(named) == 1 and not named <= given else set()
        return asked, narrowing

    def _title_bits(self, unit: Unit, synonyms: list[str]) -> int:
        """Activities with the unit in their title: its word, a synonym, or every word of its
        phrase but the fillers ("Tekenfilm maken" does not have "animatie maken" by "maken")."""
        found = self._any_title_bits(synonyms)
        if not unit.phrase:
            return found | self._any_title_bits(unit.stems) | self._title_compound_bits(unit)
        words = unit.stems - self.thesaurus.wish_fillers or unit.stems
        every = None
        for term in words:
            bits = self._title_postings.bits(term)
            every = bits if every is None else every & bits
        return found | (every or 0)

    def _title_compound_bits(self, unit: Unit) -> int:
        """Activities whose title has a compound that starts with the wish's word, when the
        thesaurus cannot split it ("Flamencoclub" for a wish of flamenco)."""
        found = 0
        for word in unit.stems:
            # A word of the thesaurus was split off its compounds when they were indexed.
            if len(word) < _COMPOUND_HEAD or word in self.thesaurus.stem_vocabulary:
                continue
            words = self._title_words
            at = bisect.bisect_right(words, word)
            for term in words[at : at + _COMPOUNDS_PER_WORD]:
                if not term.startswith(word):
                    break
                found |= self._title_postings.bits(term)
        return found

    def _any_title_bits(self, stems: Iterable[str]) -> int:
        found = 0
        for term in stems:
            found |= self._title_postings.bits(term)
        return found

    def _knows(self, term: str) -> bool:
        return term in self._postings or term in self.thesaurus.terms

    def _share_of(self, unit: Unit, total: int) -> float:
        """How common a wish is: by its own words where the index knows them ("poppenspel"
        is rare even though every theatre activity has its concept), else by its concepts."""
        sizes = [self._postings.count(t) for t in unit.stems]
        if not any(sizes):
            sizes = [self._postings.count(t) for t in unit.concepts]
        return max(sizes, default=0) / total

    def _word_bits(self, unit: Unit) -> int:
        """Activities whose text has the unit's own word (or every word of its phrase), or a
        synonym of it ("poppenkast" for "poppenspel")."""
        found = self._all_bits(unit.stems) if unit.phrase else self._any_bits(unit.stems)
        return found | self._any_bits(c for c in unit.concepts if c.startswith(SYNONYM + ":"))

    def _exact_bits(self, unit: Unit) -> int:
        """Activities that have the unit as such: a concept, its word, every word of a phrase."""
        found = self._any_bits(unit.concepts)
        if unit.phrase:
            return found | self._all_bits(unit.stems)
        return found | self._any_bits(unit.stems)

    def _any_bits(self, terms: Iterable[str]) -> int:
        found = 0
        for term in terms:
            found |= self._postings.bits(term)
        return found

    def _all_bits(self, terms: Iterable[str]) -> int:
        """Activities with every one of the terms (none when there are no terms)."""
        found = None
        for term in terms:
            bits = self._postings.bits(term)
            found = bits if found is None else found & bits
        return found or 0

    def _ranked(self, request: MatchRequest, limit: int | None) -> list[Scored]:
        mentions = {c: self._postings.bits(f"{COMPETENCE}:{c}") for c in request.competences}
        wish_units = self._wish_units(request)
        wishes = [w for w, _found, _title in wish_units]
        scorer = Scorer(request, wishes, self.thesaurus, {c: Bits(b) for c, b in mentions.items()})
        order = lambda s: (-s.score, s.key)  # noqa: E731 - deterministic tie-break by key
        if limit is None:
            scored = [scorer.score(p) for p in self._candidates(request)]
            return sorted(scored, key=order)
        if limit <= 0:
            return []
        kept = self._contenders(request, scorer, mentions, wish_units, limit)
        return heapq.nsmallest(limit, kept, key=order)

    def _contenders(
        self,
        request: MatchRequest,
        scorer: Scorer,
        mentions: dict[str, int],
        wish_units: list[tuple[WishUnit, int, int]],
        limit: int,
    ) -> list[Scored]:
        """Scored feasible activities among which are the best `limit` (branch and bound).

        The candidates are split by bitmaps into groups with an upper bound of their score;
        groups are taken best bound first, and stop once a bound is below the `limit`-th best
        score so far. Inside a group the cheap parts are computed first: the wishes (and the
        hard rules for the groups never reached) are left out for those that cannot make it.
        An activity whose bound equals that score is scored: it may win the tie by its key.
        """
        groups = {(0.0, 0.0): self._raw_candidates(request)}  # (bound, wishes bound): docs
        for wishes, splits in self._bound_splits(request, mentions, wish_units):
            groups = _split(groups, splits, wishes)
        heap: list[float] = []  # the best `limit` scores so far, the worst on top
        kept: list[Scored] = []
        for (rest, wish_bound), bits in sorted(groups.items(), key=lambda g: -sum(g[0])):
            if len(heap) == limit and round(rest + wish_bound + _SLACK, 4) < heap[0]:
                break
            for doc in ids_of(bits):
                profile = self._feasible(request, doc)
                if profile is None:
                    continue
                parts = scorer.parts(profile)
                if len(heap) == limit and round(scorer.bound(parts, wish_bound), 4) < heap[0]:
                    continue
                scored = scorer.finish(profile, parts)
                kept.append(scored)
                if len(heap) < limit:
                    heapq.heappush(heap, scored.score)
                elif scored.score > heap[0]:
                    heapq.heapreplace(heap, scored.score)
        return kept

    def _bound_splits(
        self,
        request: MatchRequest,
        mentions: dict[str, int],
        wish_units: list[tuple[WishUnit, int, int]],
    ) -> list[tuple[bool, list[tuple[float, int]]]]:
        """Upper bounds of the score parts by bitmap: (of the wishes?, [(bound, docs) ...]).

        An activity gets the first bound whose docs hold it and 0 when none does; the parts
        without a bitmap get their maximum (in the first split, which holds every activity).
        This relies on what the exchange format guarantees: prices are never negative (the
        price part is at most 1) and every activity has a discipline.
        """
        everything = -1  # all bits set
        wanted = request.interventions
        constant = W_LOCATION * 1.0 + W_PRICE * (
            NEUTRAL if request.budget is None or request.budget <= 0 else 1.0
        )
        if not request.disciplines:
            constant += W_DISCIPLINE * NEUTRAL
        if not request.competences:
            constant += W_COMPETENCE * NEUTRAL
        splits: list[tuple[bool, list[tuple[float, int]]]] = [(False, [(constant, everything)])]
        share = W_INTERVENTION / max(1, len(wanted))
        splits.extend((False, [(share, self._by_intervention.bits(k))]) for k in wanted)
        if request.disciplines:
            levels = self._discipline_levels(request.disciplines)
            splits.append((False, [(W_DISCIPLINE * v, bits) for v, bits in levels]))
        share = W_COMPETENCE / max(1, len(request.competences))
        splits.extend((False, [(share, mentions[c])]) for c in request.competences)
        structure = [(W_STRUCTURE * 1.0, self._provider_bits(request.preferred_providers))]
        structure.append(
            (W_STRUCTURE * PENVOERDER_STRUCTURE, self._provider_bits(request.penvoerder_keys))
        )
        splits.append((False, structure))
        if not wish_units:
            splits.append((True, [(W_WISHES * NEUTRAL, everything)]))
        total = sum(w.weight for w, _found, _title in wish_units)
        for wish, found, title in wish_units:
            share = W_WISHES * wish.weight / total
            options = [(share, title), (share * WISH_IN_TEXT, found)]
            wanted_disciplines = [
                c[2:] for c in wish.unit.concepts if c.startswith(DISCIPLINE + ":")
            ]
            if wanted_disciplines:
                levels = self._discipline_levels(wanted_disciplines)
                options.extend((share * 0.5 * v, bits) for v, bits in levels)
            splits.append((True, options))
        return splits

    def _discipline_levels(self, wanted: Iterable[str]) -> list[tuple[float, int]]:
        """[(relation, docs)], best first: the most an activity's disciplines relate to one
        wanted (0 for those in none; an activity has its disciplines as concepts)."""
        th = self.thesaurus
        wanted = list(wanted)
        related = set(wanted)
        related.update(b for a, b in th.related if a in wanted)
        best: dict[float, int] = {}
        for d in related:
            value = max(th.relation(w, d) for w in wanted)
            if value > 0:
                best[value] = best.get(value, 0) | self._postings.bits(f"{DISCIPLINE}:{d}")
        return sorted(best.items(), reverse=True)

    def _provider_bits(self, provider_keys: Iterable[str]) -> int:
        found = 0
        for key in provider_keys:
            found |= self._by_provider.bits(key)
        return found

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

    def discounted_claims(
        self, request: MatchRequest, limit: int = 5
    ) -> list[tuple[str, str, str]]:
        """(activity, intervention, reason): activities that obey rules 0-5 and claim a
        requested intervention whose claim does not count. Explains an empty result."""
        groups = [
            [self._by_discounted.bits(k) for k in request.interventions],
            self._served(request.gemeente),
            [self._by_audience.bits((request.sector, g)) for g in request.grades],
            self._participant_bits(request.participants),
        ]
        if request.periods:
            groups.append([self._by_period.bits(p) for p in request.periods])
        found = []
        for doc in ids_of(_intersect_groups(groups)):
            profile = self._docs[doc]
            act = profile.activity
            provider = self._providers.get(act.provider_key)
            claimed = [k for k in request.interventions if k in profile.discounted]
            if obeys_hard_rules(act, provider, request, claimed, profile.participants):
                found.extend((act.key, k, profile.discounted[k]) for k in claimed)
        return sorted(found)[:limit]

    def doubts(self, provider_keys: Iterable[str] | None = None) -> list[Doubt]:
        """Links for a curator to decide, claims the engine discounts first, then fits it
        suggests, each by activity key; only for these providers when given.

        Cultuureducatie is never suggested: every arts activity fills it; nor is a weak fit
        (a holiday camp as extra time): it ranks low anyway and would bury the clear ones.
        """
        scope = -1 if provider_keys is None else self._provider_bits(provider_keys)
        claims: list[Doubt] = []
        suggestions: list[Doubt] = []
        for doc in ids_of(self._all.bits(ALL) & scope):
            profile = self._docs[doc]
            act = profile.activity
            for key, reason in profile.discounted.items():
                claims.append(Doubt(act.key, act.provider_key, key, "claim", reason))
            for key, fit in profile.fits.items():
                if fit.kind == INFERRED and not fit.weak and key not in _ALWAYS_FILLED:
                    why = f"Niet geclaimd, maar {suggestion_reason(fit)}."
                    suggestions.append(Doubt(act.key, act.provider_key, key, "suggestion", why))
        order = lambda d: (d.activity_key, d.intervention)  # noqa: E731
        return sorted(claims, key=order) + sorted(suggestions, key=order)

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
        has them all, activities with any of them are shown. An activity whose title is the
        query comes first, then the activities of a provider whose name it is, then title
        matches. Provider names are searched like titles.
        """
        keys = self._filtered(filters or SearchFilters())
        units = understand(q, self.thesaurus, self._vocabulary, self._knows) if q else []
        if units:
            exact = self._exact_matches(q, units, keys)
            found = self._text_filter(keys, units)
            for _key, doc in exact:
                found |= 1 << doc
            first = [key for key, _doc in exact]
            shown = set(first)
            rest = self._rank(found, units, offset + limit + len(first))
            items = (first + [k for k in rest if k not in shown])[offset : offset + limit]
            return SearchResult(found.bit_count(), items, self._facets(found))
        if keys is None:
            items = self._keys_in_order()[offset : offset + limit]
            return SearchResult(len(self), items, self._facets(None))
        items = self._first_by_key(keys, offset + limit)[offset:]
        return SearchResult(keys.bit_count(), items, self._facets(keys))

    def _filtered(self, f: SearchFilters) -> int | None:
        """Activities passing the filters; None when there is no filter (everything)."""
        groups: list[list[int]] = []
        if f.gemeente:
            groups.append(self._served(f.gemeente))
        if f.sector or f.grade is not None:
            sectors = [f.sector] if f.sector else list(SECTORS)
            grades = [f.grade] if f.grade is not None else list(range(1, 9))
            groups.append([self._by_audience.bits((s, g)) for s in sectors for g in grades])
        if f.period:
            groups.append([self._by_period.bits(f.period)])
        if f.intervention:
            groups.append([self._by_intervention.bits(f.intervention)])
        if f.discipline:
            groups.append([self._postings.bits(f"{DISCIPLINE}:{f.discipline}")])
        if f.participants:
            groups.append([self._by_participants.bits(f.participants)])
        if not groups and f.max_price is None:
            return None
        keys = _intersect_groups(groups) if groups else self._all.bits(ALL)
        if f.max_price is not None:
            limit = f.max_price
            docs = self._docs
            keys = bits_of(d for d in ids_of(keys) if docs[d].activity.price_amount <= limit)
        return keys

    def _unit_bits(self, unit: Unit) -> int:
        """Activities a search word finds: concepts, its words or phrase, all its parts, or
        the name of their provider."""
        found = self._exact_bits(unit) | self._provider_bits(self._named(unit))
        if unit.parts:
            found |= self._all_bits(unit.parts)
        return found

    def _named(self, unit: Unit) -> set[str]:
        """Providers with a search word in their name."""
        return {key for term in unit.stems for key in self._provider_terms.get(term, ())}

    def _exact_matches(self, q: str, units: list[Unit], keys: int | None
                       ) -> list[tuple[str, int]]:
        """(key, doc) of activities titled exactly `q`, then of providers named exactly so,
        each part by key, within the filters."""
        wanted = normalised(q)
        docs = self._docs
        # Titles of as many words, with all the words: nearly always the exact title. Only
        # the first few are compared, so that a one-word query costs no more than the rest.
        same = self._all_titled(units) & self._by_title_length.bits(len(wanted.split()))
        candidates = islice(ids_of(same), _EXACT_CHECK_LIMIT)
        titled = sorted(
            (docs[d].activity.key, d) for d in candidates
            if normalised(docs[d].activity.title) == wanted
        )
        seen = {doc for _key, doc in titled}
        providers = self._provider_names.get(wanted, set())
        named = sorted(
            (docs[d].activity.key, d) for d in ids_of(self._provider_bits(providers))
            if d not in seen
        )
        found = titled + named
        if keys is not None:
            found = [(k, d) for k, d in found if keys >> d & 1]
        return found

    def _all_titled(self, units: list[Unit]) -> int:
        """Activities with every search word in their title."""
        found = -1
        for unit in units:
            found &= self._any_title_bits(unit.stems)
        return found

    def _text_filter(self, keys: int | None, units: list[Unit]) -> int:
        per_unit = [self._unit_bits(u) for u in units]
        matched = per_unit[0] if keys is None else keys & per_unit[0]
        for docs in per_unit[1:]:
            matched &= docs
        if matched or len(units) == 1:
            return matched
        # No activity has every word: show those with any of them, best first.
        anything = 0
        for docs in per_unit:
            anything |= docs
        return anything if keys is None else keys & anything

    def _rank(self, found: int, units: list[Unit], count: int) -> list[str]:
        """The best `count` keys by text score (ties by key).

        Large result sets are ranked exactly only among activities with a word in the title;
        the others follow by key (their text scores are nearly all equal anyway).
        """
        scorer = _TextScorer(self, units)
        order = lambda sk: (-sk[0], sk[1])  # noqa: E731 - best score first, then key
        docs = self._docs
        if found.bit_count() <= _EXACT_RANK_LIMIT:
            scored = ((scorer.score(d), docs[d].activity.key) for d in ids_of(found))
            return [k for _s, k in heapq.nsmallest(count, scored, key=order)]
        boosted = 0
        for unit in units:
            for term in unit.stems:
                boosted |= self._title_postings.bits(term)
        boosted &= found
        scored = ((scorer.score(d), docs[d].activity.key) for d in ids_of(boosted))
        top = [k for _s, k in heapq.nsmallest(count, scored, key=order)]
        if len(top) < count:
            top += self._first_by_key(found & ~boosted, count - len(top))
        return top

    def _first_by_key(self, bits: int, count: int) -> list[str]:
        """The `count` smallest keys among the activities in a bitmap."""
        total = bits.bit_count()
        docs = self._docs
        # Walking all keys in order finds `count` members in about count * len / total
        # steps; collecting every member costs `total`. Take the cheaper way.
        if count * len(self) >= total * total:
            return heapq.nsmallest(count, (docs[d].activity.key for d in ids_of(bits)))
        members, ids, found = Bits(bits), self._ids, []
        for key in self._keys_in_order():
            if ids[key] in members:
                found.append(key)
                if len(found) == count:
                    break
        return found

    def _keys_in_order(self) -> list[str]:
        if self._order is None:
            self._order = sorted(self._ids)
        return self._order

    def _search_weights(self, units: list[Unit]) -> list[float]:
        total = max(1, len(self))
        weights = []
        for unit in units:
            df = max((self._postings.count(t) for t in unit.stems | unit.concepts), default=0)
            weights.append(math.log(1 + total / (1 + df)))
        return weights

    def _facets(self, keys: int | None) -> dict[str, dict[str, int]]:
        """Counts per facet value over the results (None: the whole catalogue)."""
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        by_facet = self._by_facet
        for label in sorted(by_facet):
            if keys is None:
                count = by_facet.count(label)
            else:
                count = (keys & by_facet.bits(label)).bit_count()
            if count:
                name, value = label.split(":", 1)
                facets[name][value] = count
        return facets


class _TextScorer:
    """Text score of search results: per search word, which activities have it where."""

    def __init__(self, catalogue: Catalogue, units: list[Unit]) -> None:
        self._parts = []
        for unit, weight in zip(units, catalogue._search_weights(units), strict=True):
            # A word of the provider's name counts like a word of the title.
            title = catalogue._provider_bits(catalogue._named(unit))
            for term in unit.stems:
                title |= catalogue._title_postings.bits(term)
            text = catalogue._any_bits(chain(unit.stems, unit.concepts))
            parts = catalogue._all_bits(unit.parts)
            self._parts.append((weight, Bits(title), Bits(text), Bits(parts)))

    def score(self, doc: int) -> float:
        score = 0.0
        for weight, title, text, parts in self._parts:
            if doc in title:
                score += weight * _TITLE_BOOST
            elif doc in text:
                score += weight
            elif doc in parts:
                score += 0.8 * weight
        return round(score, 6)


def normalised(text: str) -> str:
    """A title or name as compared for an exact match: folded words, single spaces."""
    return " ".join(tokenize(text))


def _name_terms(name: str) -> set[str]:
    return {stem(t) for t in tokenize(name) if t not in STOPWORDS and len(t) > 1}


def _audience_keys(activity: Activity) -> list[tuple[str, int]]:
    return [(aud.sector, grade) for aud in activity.audience for grade in aud.grades]


def _facet_values(activity: Activity, fit: dict[str, Fit], participants: str) -> set[str]:
    """The facet labels ("sector:po") of one activity, each once."""
    values = {f"sector:{a.sector}" for a in activity.audience}
    values.update(f"discipline:{d}" for d in activity.disciplines)
    values.update(f"period:{p}" for p in activity.periods)
    values.add(f"format:{activity.format}")
    values.update(f"intervention:{k}" for k in fit)
    values.add(f"participants:{participants}")
    return values


def _split(
    groups: dict[tuple[float, float], int], options: list[tuple[float, int]], wishes: bool
) -> dict[tuple[float, float], int]:
    """Split each group of docs by the first option holding them, adding its bound."""
    result: dict[tuple[float, float], int] = {}
    for (rest, wish_bound), bits in groups.items():
        for value, docs in options:
            part = bits & docs
            if part:
                bits ^= part
                key = (rest, wish_bound + value) if wishes else (rest + value, wish_bound)
                result[key] = result.get(key, 0) | part
                if not bits:
                    break
        if bits:
            key = (rest, wish_bound)
            result[key] = result.get(key, 0) | bits
    return result


def _intersect_groups(groups: list[list[int]]) -> int:
    """AND over groups of OR-ed bitmaps."""
    result = -1  # all bits set
    for group in groups:
        union = 0
        for bits in group:
            union |= bits
        result &= union
        if not result:
            break
    return result


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
