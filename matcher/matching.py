"""Glue between the database and the pure engine: one warm catalogue per process, kept fresh.

Each web worker builds its catalogue once, from the approved activities of approved providers.
Before every use it compares two cheap marks (the newest `updated_at` of activities and of
providers); when they moved, only the rows changed since are applied to the index, so an edit
never costs a full rebuild, and workers never rebuild per request.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from matcher.db import db
from matcher.engine import Catalogue
from matcher.engine.links import Links, assess
from matcher.engine.model import Match, MatchRequest, Plan
from matcher.engine.model import Provider as EngineProvider
from matcher.engine.rules import serves_place
from providers.convert import activity_to_engine, provider_to_engine
from providers.models import Activity, ActivityStatus, Provider

PENVOERDER = "penvoerder"


@dataclass(frozen=True)
class Marks:
    """Newest change and row count of each table: edits move the first, deletions the second."""

    activities: datetime | None
    providers: datetime | None
    activity_rows: int
    provider_rows: int

    def lost_rows(self, newer: Marks) -> bool:
        return (newer.activity_rows < self.activity_rows
                or newer.provider_rows < self.provider_rows)


def current_marks() -> Marks:
    activities = db.session.execute(
        select(func.max(Activity.updated_at), func.count(Activity.id))).one()
    providers = db.session.execute(
        select(func.max(Provider.updated_at), func.count(Provider.id))).one()
    return Marks(activities=activities[0], providers=providers[0],
                 activity_rows=activities[1], provider_rows=providers[1])


def _visible(activity: Activity) -> bool:
    return activity.status == ActivityStatus.APPROVED and activity.provider.approved


class CatalogueCache:
    """The process's catalogue; thread-safe, refreshed incrementally from the database.

    The database is asked whether anything changed at most once per `check_seconds`, so a busy
    worker answers most requests from memory; an edit shows within that interval.
    """

    def __init__(self, check_seconds: float = 1.0) -> None:
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._marks: Marks | None = None
        self._checked_at = 0.0
        self.check_seconds = check_seconds
        # Approved penvoerders: the "existing structures" every match request looks at.
        self.penvoerders: dict[str, EngineProvider] = {}
        self.full_builds = 0
        self.incremental_refreshes = 0

    def get(self, fresh: bool = False) -> Catalogue:
        """The catalogue; `fresh` checks the database now (a page showing a decision just
        made), whatever the interval."""
        if self._catalogue is not None and not fresh and not self._due():
            return self._catalogue
        marks = current_marks()
        with self._lock:
            # Rows are archived, never deleted, by the app; a deletion (by hand) means rebuild.
            if self._catalogue is None or (self._marks and self._marks.lost_rows(marks)):
                self._catalogue = self._build()
            elif marks != self._marks:
                self._refresh(self._catalogue, self._marks)
            self._marks = marks
            self._checked_at = time.monotonic()
            return self._catalogue

    def _due(self) -> bool:
        return time.monotonic() - self._checked_at >= self.check_seconds

    def clear(self) -> None:
        with self._lock:
            self._catalogue, self._marks, self._checked_at = None, None, 0.0
            self.penvoerders = {}

    def _build(self) -> Catalogue:
        self.full_builds += 1
        providers = db.session.scalars(select(Provider).where(Provider.approved.is_(True))).all()
        keys = {p.id: p.key for p in providers}
        self.penvoerders = {}
        for provider in providers:
            self._track_penvoerder(provider)
        rows = db.session.scalars(
            select(Activity).where(Activity.status == ActivityStatus.APPROVED,
                                   Activity.provider_id.in_(keys)))
        return Catalogue([provider_to_engine(p) for p in providers],
                         [activity_to_engine(a, keys[a.provider_id]) for a in rows])

    def _refresh(self, catalogue: Catalogue, since: Marks | None) -> None:
        self.incremental_refreshes += 1
        changed_providers = db.session.scalars(
            select(Provider).where(Provider.updated_at >= since.providers)
        ).all() if since and since.providers else []
        for provider in changed_providers:
            catalogue.upsert_provider(provider_to_engine(provider))
            self._track_penvoerder(provider)
            # Approval of a provider shows or hides all of its activities at once.
            for activity in provider.activities:
                self._apply(catalogue, activity)
        query = select(Activity).options(joinedload(Activity.provider))
        if since and since.activities:
            query = query.where(Activity.updated_at >= since.activities)
        for activity in db.session.scalars(query):
            self._apply(catalogue, activity)

    def _track_penvoerder(self, provider: Provider) -> None:
        if provider.kind == PENVOERDER and provider.approved:
            self.penvoerders[provider.key] = provider_to_engine(provider)
        else:
            self.penvoerders.pop(provider.key, None)

    @staticmethod
    def _apply(catalogue: Catalogue, activity: Activity) -> None:
        if _visible(activity):
            catalogue.upsert_provider(provider_to_engine(activity.provider))
            catalogue.add_or_update(activity_to_engine(activity))
        else:
            catalogue.remove(activity.key)


def init_matching(app: Flask) -> None:
    app.extensions["catalogue_cache"] = CatalogueCache(
        check_seconds=app.config["CATALOGUE_CHECK_SECONDS"])


def _cache() -> CatalogueCache:
    return current_app.extensions["catalogue_cache"]


def catalogue(fresh: bool = False) -> Catalogue:
    return _cache().get(fresh)


def links_of(row: Activity) -> Links:
    """What the engine concludes about an activity row: from the warm catalogue when schools
    see it, else judged on its own (a draft, or an activity under review)."""
    if _visible(row):
        found = catalogue(fresh=True)
        if row.key in found:
            return found.links(row.key)
    return assess(activity_to_engine(row))


@dataclass(frozen=True)
class Unfilled:
    """A requested intervention no activity fills, and the activities that claim it although
    the claim does not count: (activity key, title, Dutch reason)."""

    intervention: str
    label: str
    claims: tuple[tuple[str, str, str], ...]


def unfilled(request: MatchRequest, limit: int = 5) -> list[Unfilled]:
    """Why a match came back empty: per requested intervention, the activities that obey
    hard rules 0-5 but whose claim of it does not count (none: the usual advice holds)."""
    found = catalogue()
    by_key: dict[str, list[tuple[str, str, str]]] = {}
    for key, intervention, reason in found.discounted_claims(request, limit=limit):
        by_key.setdefault(intervention, []).append((key, found.activity(key).title, reason))
    return [Unfilled(k, found.thesaurus.label(k), tuple(by_key[k]))
            for k in request.interventions if k in by_key]


def with_existing_structures(request: MatchRequest,
                             preferred_providers: frozenset[str] = frozenset()) -> MatchRequest:
    """Add the LKCA's 'existing structures': the region's penvoerders and known partners."""
    cache = _cache()
    cache.get()
    serving = {key for key, provider in cache.penvoerders.items()
               if serves_place(provider, request.gemeente)}
    return replace(request, penvoerder_keys=request.penvoerder_keys | serving,
                   preferred_providers=request.preferred_providers | preferred_providers)


def match(request: MatchRequest, limit: int = 10,
          preferred_providers: frozenset[str] = frozenset()) -> list[Match]:
    return catalogue().match(with_existing_structures(request, preferred_providers), limit=limit)


def plan(request: MatchRequest, preferred_providers: frozenset[str] = frozenset()) -> Plan:
    return catalogue().plan(with_existing_structures(request, preferred_providers))


def matches_to_json(request_key: str, matches: list[Match]) -> dict:
    """The answer of `cultuurmatch match --json` and POST /api/v1/match (spec section 4)."""
    return {
        "request": request_key,
        "matches": [{"activity": m.activity_key, "provider": m.provider_key, "score": m.score,
                     "cost": round(m.cost, 2), "interventions": list(m.interventions),
                     "reasons": list(m.reasons)} for m in matches],
    }
