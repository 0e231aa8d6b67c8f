"""Glue between the database and the pure engine: one warm catalogue per process, kept fresh.

Reads never wait. The live catalogue is a snapshot nobody changes: a refresh builds its
successor beside it (a copy of the live one with the changed rows applied, or a fresh build
when most rows changed) and swaps it in with one assignment. A request takes the snapshot once
and keeps it, so it never sees a catalogue half changed, and it never waits on a lock: only one
refresh runs at a time per process, and while it runs everybody keeps reading the old snapshot.

What changed is told by a watermark per table (see `Watermark`): the newest `updated_at` seen,
and the (id, updated_at) of every row inside an overlap window below it, so a row committed
late with an older timestamp (the rows of a long import share the timestamp of its start) is
still found, and a row already applied is never applied again. A bulk change is applied as one
batch: each changed row once, each changed provider once.

Two modes (`CATALOGUE_BACKGROUND`):
- background (the server): a refresher thread builds and refreshes; until the first build is
  done, everything that needs the index answers 503 with Retry-After (`CatalogueNotReady`),
  at once. A due check only wakes the thread; the request goes on with the live snapshot.
- inline (tests, the command line): the caller refreshes when due, still beside the live
  snapshot, so concurrent readers are not blocked either; when another refresh is already
  running, the caller goes on with the live snapshot.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, func, literal, select, text
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import ServiceUnavailable

from matcher.db import db
from matcher.engine import Catalogue
from matcher.engine.links import Links, assess
from matcher.engine.model import Match, MatchRequest, Plan
from matcher.engine.model import Provider as EngineProvider
from matcher.engine.postings import Postings, _Bitmap
from matcher.engine.query import Vocabulary
from matcher.engine.rules import serves_place
from providers.convert import activity_to_engine, provider_to_engine
from providers.models import Activity, ActivityStatus, Provider

PENVOERDER = "penvoerder"
RETRY_AFTER_SECONDS = 5
_REBUILD_MIN = 1000  # fewer changed rows are always applied to a copy
_CHUNK = 900
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # ids per IN (...) when loading changed rows


class CatalogueNotReady(ServiceUnavailable):
    """The match index is still being built: answered as 503 with Retry-After, at once."""

    dutch_message = _l(
        "De zoek- en matchfunctie wordt opgestart. Probeer het over enkele seconden opnieuw."
    )

    def __init__(self) -> None:
        super().__init__(retry_after=RETRY_AFTER_SECONDS)


# ----------------------------------------------------------------------------- watermark


@dataclass(frozen=True)
class Watermark:
    """What of one table has been applied: the newest `updated_at` seen (`mark`) and the
    version (updated_at) of every row from `mark - overlap` on (`seen`).

    Each check reads the (id, updated_at) of the rows from `since()` on. A row whose version
    is in `seen` was applied already (the rows of an import share one timestamp: equal to the
    mark is no reason to apply them again); any other row is new or changed, also when it
    carries a timestamp below the mark because its transaction committed after a later edit.
    Rows committed more than `overlap` after their timestamp would be missed: the overlap
    must exceed the longest write transaction (an import).
    """

    overlap: timedelta
    mark: datetime | None = None
    seen: dict[int, datetime] = field(default_factory=dict)

    def since(self) -> datetime | None:
        return None if self.mark is None else self.mark - self.overlap

    def changed(self, rows: Iterable[tuple[int, datetime]]) -> list[int]:
        """The ids among these (id, updated_at) rows not applied in this version."""
        seen = self.seen
        return [row_id for row_id, stamp in rows if seen.get(row_id) != stamp]

    def advanced(self, rows: Iterable[tuple[int, datetime]]) -> Watermark:
        """The watermark once these rows (all rows from `since()` on) are applied."""
        rows = list(rows)
        mark = max((stamp for _id, stamp in rows if stamp is not None), default=self.mark)
        if self.mark is not None and mark is not None:
            mark = max(mark, self.mark)
        if mark is None:
            return Watermark(self.overlap)
        since = mark - self.overlap
        seen = {row_id: stamp for row_id, stamp in self.seen.items() if stamp >= since}
        seen.update(
            (row_id, stamp) for row_id, stamp in rows if stamp is not None and stamp >= since
        )
        return Watermark(self.overlap, mark, seen)


def _fingerprint(model, watermark: Watermark) -> tuple | None:
    """A cheap summary of the rows from `since()` on, computed in the database (an index-only
    scan of updated_at): count, newest stamp and the sum of the stamps. While it stays the
    same, no row of the window was added or changed, also not one committed late with an old
    stamp, and the rows need not be read. None where the dialect has no such sum."""
    dialect = db.session.get_bind().dialect.name
    since = watermark.since()
    # Stamps as offsets from the window's start: small numbers, so the sum keeps microseconds.
    base = literal(since or _EPOCH, DateTime(timezone=True))
    if dialect == "postgresql":
        stamps = func.sum(func.date_part("epoch", model.updated_at - base))
    elif dialect == "sqlite":
        day = func.julianday(func.substr(model.updated_at, 1, 26))
        stamps = func.sum(day - func.julianday(func.substr(base, 1, 26)))
    else:
        return None
    query = select(func.count(model.id), func.max(model.updated_at), stamps)
    if since is not None:
        query = query.where(model.updated_at >= since)
    return tuple(db.session.execute(query).one())


def _window(model, watermark: Watermark) -> list[tuple[int, datetime]]:
    query = select(model.id, model.updated_at)
    since = watermark.since()
    if since is not None:
        query = query.where(model.updated_at >= since)
    return [(row_id, stamp) for row_id, stamp in db.session.execute(query)]


def _count(model) -> int:
    return db.session.execute(select(func.count(model.id))).scalar_one()


# ----------------------------------------------------------------------------- snapshot


@dataclass(frozen=True)
class Snapshot:
    """One state of the catalogue, never changed once published."""

    catalogue: Catalogue
    # Approved penvoerders: the "existing structures" every match request looks at.
    penvoerders: dict[str, EngineProvider]
    approved_providers: frozenset[int]
    activities: Watermark
    providers: Watermark
    activity_rows: int
    provider_rows: int
    built_at: float
    # _fingerprint of each table's window when the watermarks were taken.
    fingerprints: tuple = (None, None)


def clone_catalogue(catalogue: Catalogue) -> Catalogue:
    """A copy sharing nothing mutable with `catalogue` (its profiles and activities are
    immutable and shared), so a refresh can change the copy while readers use the original.

    Some 0.1 s for 100,000 activities against some 10 s for building them again. Copies by
    the type of each attribute; tests/catalogue/test_refresh.py fails when the engine gains
    an attribute of a type this does not know.
    """
    new = object.__new__(type(catalogue))
    docs = list(catalogue._docs)
    for name, value in vars(catalogue).items():
        if value is catalogue._docs:
            copied = docs
        elif isinstance(value, Postings):
            copied = _clone_postings(value, docs)
        elif isinstance(value, Vocabulary):
            copied = object.__new__(Vocabulary)
            copied._by_length = {n: set(words) for n, words in value._by_length.items()}
        elif isinstance(value, dict):
            copied = {k: set(v) if isinstance(v, set) else v for k, v in value.items()}
        elif isinstance(value, list):
            copied = list(value)
        else:
            copied = value  # immutable or shared read-only (thesaurus, requirements)
        setattr(new, name, copied)
    return new


def _clone_postings(postings: Postings, space: list) -> Postings:
    copied = object.__new__(Postings)
    copied._space = space
    copied._sets = {key: set(members) for key, members in postings._sets.items()}
    bitmaps = {}
    for key, bitmap in postings._bitmaps.items():
        twin = object.__new__(_Bitmap)
        twin.data, twin.count, twin.cached = bytearray(bitmap.data), bitmap.count, bitmap.cached
        bitmaps[key] = twin
    copied._bitmaps = bitmaps
    return copied


def _visible(activity: Activity) -> bool:
    return activity.status == ActivityStatus.APPROVED and activity.provider.approved


def _is_penvoerder(provider: Provider) -> bool:
    return provider.kind == PENVOERDER and provider.approved


# ----------------------------------------------------------------------------- the cache


class CatalogueCache:
    """The process's catalogue: a published snapshot, refreshed beside it from the database.

    The database is asked whether anything changed at most once per `check_seconds`.
    """

    def __init__(
        self,
        check_seconds: float = 1.0,
        overlap_seconds: float = 300.0,
        background: bool = False,
        app: Flask | None = None,
    ) -> None:
        self._live: Snapshot | None = None
        self._refreshing = threading.Lock()  # only the refresher takes it, never a reader
        self._wake = threading.Event()
        self._starting = threading.Lock()
        self._thread: threading.Thread | None = None
        self._checked_at = 0.0
        self._generation = 0  # bumped by clear(): a refresh started before it is dropped
        self.check_seconds = check_seconds
        self.overlap = timedelta(seconds=overlap_seconds)
        self.background = background
        self.app = app
        self.full_builds = 0
        self.incremental_refreshes = 0
        self.last_error: BaseException | None = None

    # -- reading

    @property
    def ready(self) -> bool:
        return self._live is not None

    @property
    def penvoerders(self) -> dict[str, EngineProvider]:
        live = self._live
        return live.penvoerders if live is not None else {}

    def snapshot(self, fresh: bool = False) -> Snapshot:
        """The live snapshot; never waits for a refresh. `fresh` asks for a check now (a page
        showing a decision just made), whatever the interval."""
        live = self._live
        if live is None:
            if self.background:
                self.start()
                raise CatalogueNotReady()
            while self._live is None:
                self._refresh_now(wait=True)
            live = self._live
        elif fresh or self._due():
            if self.background:
                self._wake.set()
            else:
                self._refresh_now(wait=False)
                live = self._live
        return live

    def get(self, fresh: bool = False) -> Catalogue:
        return self.snapshot(fresh).catalogue

    def _due(self) -> bool:
        return time.monotonic() - self._checked_at >= self.check_seconds

    def clear(self) -> None:
        """Forget the catalogue (tests): the next use builds it again."""
        self._generation += 1
        self._live, self._checked_at = None, 0.0

    # -- background refresher

    def start(self, app: Flask | None = None) -> None:
        """Start the refresher thread (builds at once); idempotent."""
        self.app = app or self.app or current_app._get_current_object()
        if self._thread is not None and self._thread.is_alive():
            self._wake.set()
            return
        with self._starting:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="catalogue-refresher", daemon=True
                )
                self._wake.set()
                self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(timeout=None if self._live is not None else 5.0)
            self._wake.clear()
            try:
                with self.app.app_context():
                    before = self._live
                    try:
                        self._refresh_now(wait=True)
                    finally:
                        db.session.remove()
                    if self._live is not before and self._live.catalogue is not getattr(
                        before, "catalogue", None
                    ):
                        # The new catalogue's millions of objects out of the collector's
                        # sight: a full collection would otherwise pause every request for
                        # a second or more. They are still freed (by reference counting,
                        # they hold no cycles) when a later snapshot replaces this one.
                        gc.collect(1)
                        gc.freeze()
            except Exception as error:  # keep serving the old snapshot; try again later
                self.last_error = error
                self.app.logger.exception("Refreshing the match index failed")
                time.sleep(min(5.0, max(self.check_seconds, 0.5)))
                self._wake.set()

    # -- refreshing

    def _refresh_now(self, wait: bool) -> bool:
        """Refresh beside the live snapshot and publish; False when another refresh runs
        (and `wait` is off): the caller goes on with the live snapshot."""
        if not self._refreshing.acquire(blocking=wait):
            return False
        try:
            generation = self._generation
            live = self._live
            started = time.monotonic()
            with _cyclic_gc_paused():
                successor = self._successor(live)
            if generation == self._generation:
                self._live = successor
                self._checked_at = started
            return True
        finally:
            self._refreshing.release()

    def _successor(self, live: Snapshot | None) -> Snapshot:
        if live is None:
            return self._build()
        activity_rows, provider_rows = _count(Activity), _count(Provider)
        # Rows are archived, never deleted, by the app; a deletion (by hand) means rebuild.
        if activity_rows < live.activity_rows or provider_rows < live.provider_rows:
            return self._build()
        fingerprints = (
            _fingerprint(Provider, live.providers),
            _fingerprint(Activity, live.activities),
        )
        if None not in fingerprints and fingerprints == live.fingerprints:
            return replace(live, activity_rows=activity_rows, provider_rows=provider_rows)
        provider_window = _window(Provider, live.providers)
        activity_window = _window(Activity, live.activities)
        changed_providers = live.providers.changed(provider_window)
        changed_activities = live.activities.changed(activity_window)
        if not changed_providers and not changed_activities:
            return replace(
                live,
                activity_rows=activity_rows,
                provider_rows=provider_rows,
                fingerprints=fingerprints,
            )
        self.incremental_refreshes += 1
        successor = self._apply(
            live,
            changed_providers,
            changed_activities,
            provider_window,
            activity_window,
            activity_rows,
            provider_rows,
        )
        # Taken before the rows were read: a change in between shows as a new fingerprint.
        if (successor.activities.since(), successor.providers.since()) == (
            live.activities.since(),
            live.providers.since(),
        ):
            return replace(successor, fingerprints=fingerprints)
        return successor

    def _apply(
        self,
        live: Snapshot,
        provider_ids: list[int],
        activity_ids: list[int],
        provider_window,
        activity_window,
        activity_rows: int,
        provider_rows: int,
    ) -> Snapshot:
        providers = _load(Provider, provider_ids)
        approved = set(live.approved_providers)
        # Approval of a provider shows or hides all of its activities at once.
        flipped = [p.id for p in providers if p.approved != (p.id in live.approved_providers)]
        ids = set(activity_ids)
        if flipped:
            for chunk in _chunks(flipped):
                ids.update(
                    db.session.scalars(select(Activity.id).where(Activity.provider_id.in_(chunk)))
                )
        rows = _load(Activity, sorted(ids), joinedload(Activity.provider))
        catalogue = live.catalogue
        known = sum(1 for row in rows if row.key in catalogue)
        # Copy and apply (an update reads the old text again to take it out) or build anew
        # (every row once): whichever reads fewer texts.
        if len(rows) > _REBUILD_MIN and 2 * known > len(catalogue):
            return self._build()
        catalogue = clone_catalogue(catalogue)
        penvoerders = dict(live.penvoerders)
        for provider in providers:
            catalogue.upsert_provider(provider_to_engine(provider))
            _track_penvoerder(penvoerders, provider)
            if provider.approved:
                approved.add(provider.id)
            else:
                approved.discard(provider.id)
        for row in rows:
            if _visible(row):
                if catalogue.provider(row.provider.key) is None:
                    catalogue.upsert_provider(provider_to_engine(row.provider))
                catalogue.add_or_update(activity_to_engine(row, row.provider.key))
            else:
                catalogue.remove(row.key)
        return Snapshot(
            catalogue,
            penvoerders,
            frozenset(approved),
            live.activities.advanced(activity_window),
            live.providers.advanced(provider_window),
            activity_rows,
            provider_rows,
            time.time(),
        )

    def _marks_now(self, model) -> Watermark:
        """The watermark of a table as it is: its newest stamp and the rows of the window."""
        mark = db.session.execute(select(func.max(model.updated_at))).scalar()
        start = Watermark(self.overlap, mark)
        return start.advanced(_window(model, start))

    def _build(self) -> Snapshot:
        self.full_builds += 1
        # The marks first: whatever changes while the rows are read is applied next time.
        activity_rows, provider_rows = _count(Activity), _count(Provider)
        provider_marks, activity_marks = self._marks_now(Provider), self._marks_now(Activity)
        providers = db.session.scalars(select(Provider).where(Provider.approved.is_(True))).all()
        keys = {p.id: p.key for p in providers}
        penvoerders: dict[str, EngineProvider] = {}
        for provider in providers:
            _track_penvoerder(penvoerders, provider)
        rows = db.session.scalars(
            select(Activity)
            .where(Activity.status == ActivityStatus.APPROVED, Activity.provider_id.in_(keys))
            .execution_options(yield_per=2000)
        )
        catalogue = Catalogue(
            [provider_to_engine(p) for p in providers],
            (activity_to_engine(a, keys[a.provider_id]) for a in rows),
        )
        return Snapshot(
            catalogue,
            penvoerders,
            frozenset(keys),
            activity_marks,
            provider_marks,
            activity_rows,
            provider_rows,
            time.time(),
        )


@contextlib.contextmanager
def _cyclic_gc_paused():
    """No cyclic garbage collection while an index is built: the collector would walk the
    growing heap again and again, pausing every thread (measured with 20,000 activities:
    longest pause of a 5 ms ticker 135-192 ms with the collector, 24-26 ms without; the build
    time itself hardly changes). Reference counting frees garbage meanwhile as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _track_penvoerder(penvoerders: dict[str, EngineProvider], provider: Provider) -> None:
    if _is_penvoerder(provider):
        penvoerders[provider.key] = provider_to_engine(provider)
    else:
        penvoerders.pop(provider.key, None)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _load(model, ids: list[int], *options) -> list:
    rows = []
    for chunk in _chunks(ids):
        rows.extend(db.session.scalars(select(model).where(model.id.in_(chunk)).options(*options)))
    return rows


# ----------------------------------------------------------------------------- app glue


def init_matching(app: Flask) -> None:
    app.extensions["catalogue_cache"] = CatalogueCache(
        check_seconds=app.config["CATALOGUE_CHECK_SECONDS"],
        overlap_seconds=app.config["CATALOGUE_OVERLAP_SECONDS"],
        background=app.config["CATALOGUE_BACKGROUND"],
        app=app,
    )


def _cache() -> CatalogueCache:
    return current_app.extensions["catalogue_cache"]


def database_reachable() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:
        db.session.rollback()
        return False


def catalogue(fresh: bool = False) -> Catalogue:
    return _cache().get(fresh)


def links_of(row: Activity) -> Links:
    """What the engine concludes about an activity row: from the warm catalogue when schools
    see it as it is now, else judged on its own (a draft, an activity under review, an edit
    the index has not taken in yet, or an index still starting)."""
    engine_activity = activity_to_engine(row)
    cache = _cache()
    if _visible(row) and (cache.ready or not cache.background):
        found = cache.get(fresh=True)
        if row.key in found and found.activity(row.key) == engine_activity:
            return found.links(row.key)
    return assess(engine_activity)


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
    return [
        Unfilled(k, found.thesaurus.label(k), tuple(by_key[k]))
        for k in request.interventions
        if k in by_key
    ]


def _with_structures(
    live: Snapshot, request: MatchRequest, preferred_providers: frozenset[str]
) -> MatchRequest:
    serving = {
        key
        for key, provider in live.penvoerders.items()
        if serves_place(provider, request.gemeente)
    }
    return replace(
        request,
        penvoerder_keys=request.penvoerder_keys | serving,
        preferred_providers=request.preferred_providers | preferred_providers,
    )


def with_existing_structures(
    request: MatchRequest, preferred_providers: frozenset[str] = frozenset()
) -> MatchRequest:
    """Add the LKCA's 'existing structures': the region's penvoerders and known partners."""
    return _with_structures(_cache().snapshot(), request, preferred_providers)


def match(
    request: MatchRequest, limit: int = 10, preferred_providers: frozenset[str] = frozenset()
) -> list[Match]:
    live = _cache().snapshot()
    return live.catalogue.match(_with_structures(live, request, preferred_providers), limit=limit)


def plan(request: MatchRequest, preferred_providers: frozenset[str] = frozenset()) -> Plan:
    live = _cache().snapshot()
    return live.catalogue.plan(_with_structures(live, request, preferred_providers))


def matches_to_json(request_key: str, matches: list[Match]) -> dict:
    """The answer of `cultuurmatch match --json` and POST /api/v1/match (spec section 4)."""
    return {
        "request": request_key,
        "matches": [
            {
                "activity": m.activity_key,
                "provider": m.provider_key,
                "score": m.score,
                "cost": round(m.cost, 2),
                "interventions": list(m.interventions),
                "reasons": list(m.reasons),
            }
            for m in matches
        ],
    }
