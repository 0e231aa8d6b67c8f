"""The match index never stands in the way (issue 14).

Readers never wait for a refresh, a refresh builds beside the live catalogue, a bulk change is
applied once, the watermark neither re-applies nor misses rows, and until the index is warm
everything that needs it answers 503 at once. No test here depends on timing: events hold a
refresh in the middle while the reader is checked.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from matcher import matching
from matcher.db import db, utcnow
from matcher.engine import Catalogue
from matcher.engine.postings import Postings
from matcher.engine.query import Vocabulary
from matcher.health import GracefulStop, InFlight
from matcher.matching import CatalogueCache, CatalogueNotReady, Watermark, clone_catalogue
from providers.models import Activity, ActivityStatus, Provider
from tests.catalogue.conftest import request_document
from tests.catalogue.test_views import MATCH_S01

T0 = datetime(2026, 12, 1, 12, 0, 0)
OVERLAP = timedelta(minutes=5)


# ----------------------------------------------------------------------------- watermark


def test_rows_equal_to_the_mark_are_not_applied_again():
    # An import stamps all its rows with one time: the first edit after it must not re-apply
    # the import because its rows equal the mark.
    imported = [(i, T0) for i in range(1, 16_001)]
    marks = Watermark(OVERLAP).advanced(imported)
    assert marks.mark == T0
    edit = (7, T0 + timedelta(seconds=3))
    assert marks.changed([*imported, edit]) == [7]


def test_a_row_committed_late_with_an_older_stamp_is_not_missed():
    # The import starts at T0 (its stamp), an edit commits at T0+10 s and moves the mark; the
    # import commits at T0+60 s with rows stamped T0, below the mark.
    marks = Watermark(OVERLAP).advanced([(1, T0 - timedelta(hours=1))])
    marks = marks.advanced([(1, T0 - timedelta(hours=1)), (2, T0 + timedelta(seconds=10))])
    assert marks.mark == T0 + timedelta(seconds=10)
    assert marks.since() < T0  # the window reaches back over the import's stamp
    window = [(2, T0 + timedelta(seconds=10)), (3, T0), (4, T0)]
    assert marks.changed(window) == [3, 4]
    marks = marks.advanced(window)
    assert marks.changed(window) == []


def test_the_window_forgets_rows_that_fell_below_it():
    marks = Watermark(OVERLAP).advanced([(1, T0), (2, T0 + timedelta(minutes=1))])
    later = T0 + timedelta(minutes=10)
    marks = marks.advanced([(3, later)])
    assert set(marks.seen) == {3} and marks.since() == later - OVERLAP


def test_an_update_of_a_seen_row_is_applied():
    marks = Watermark(OVERLAP).advanced([(1, T0), (2, T0)])
    assert marks.changed([(1, T0), (2, T0 + timedelta(microseconds=1))]) == [2]


# ----------------------------------------------------------------------------- clone


def test_the_clone_knows_every_attribute_of_the_catalogue():
    # A new attribute type in the engine must be taught to clone_catalogue (or shown to be
    # immutable here), or a refresh would change what readers are reading.
    catalogue = Catalogue()
    shared_types = {"Thesaurus", "Requirements", "frozenset", "float", "NoneType"}
    for name, value in vars(catalogue).items():
        known = isinstance(value, Postings | Vocabulary | dict | list)
        assert known or type(value).__name__ in shared_types, (name, type(value))


def test_changing_a_clone_leaves_the_original_as_it_was(app, sample_offers):
    from matcher.exchange import parse_request, to_engine_request

    original = matching.catalogue()
    request = to_engine_request(parse_request(request_document("s01")))
    before = [(m.activity_key, m.score) for m in original.match(request)]
    found = original.search("theater")
    copy = clone_catalogue(original)
    for key in [m.activity_key for m in original.match(request)]:
        copy.remove(key)
    assert copy.match(request) != original.match(request)
    assert [(m.activity_key, m.score) for m in original.match(request)] == before
    assert original.search("theater").total == found.total
    assert len(original) == len(sample_offers["activities"])


# ----------------------------------------------------------------------------- readers


class HeldRefresh:
    """Holds the next refresh of `cache` inside its copy until `release`."""

    def __init__(self, monkeypatch) -> None:
        self.inside, self.go = threading.Event(), threading.Event()
        real = matching.clone_catalogue

        def held(catalogue):
            self.inside.set()
            assert self.go.wait(30), "the test never released the refresh"
            return real(catalogue)

        monkeypatch.setattr(matching, "clone_catalogue", held)

    def release(self) -> None:
        self.go.set()


def test_a_reader_is_not_blocked_while_a_refresh_runs(
    app, sample_offers, activity_by_key, monkeypatch
):
    cache = app.extensions["catalogue_cache"]
    old = cache.get()
    activity_by_key("ij-vakantietheater").title = "Vakantietheater XL"
    db.session.commit()
    held = HeldRefresh(monkeypatch)

    def refresh():
        with app.app_context():
            cache.get(fresh=True)
            db.session.remove()

    refresher = threading.Thread(target=refresh)
    refresher.start()
    assert held.inside.wait(30)
    # The refresh is held in the middle: readers get the old catalogue, whole and at once.
    assert cache.get(fresh=True) is old
    assert old.activity("ij-vakantietheater").title == "Vakantietheater"
    assert not cache._refresh_now(wait=False)  # only one refresh at a time
    held.release()
    refresher.join(30)
    new = cache.get()
    assert new is not old and new.activity("ij-vakantietheater").title == "Vakantietheater XL"
    assert old.activity("ij-vakantietheater").title == "Vakantietheater"


def test_a_match_uses_one_snapshot_for_catalogue_and_penvoerders(app, sample_offers):
    from matcher.exchange import parse_request, to_engine_request

    cache = app.extensions["catalogue_cache"]
    live = cache.snapshot()
    request = to_engine_request(parse_request(request_document("s03")))
    enriched = matching._with_structures(live, request, frozenset())
    assert "cultuurpunt-groningen" in enriched.penvoerder_keys


# ----------------------------------------------------------------------------- batches


def _provider(key: str, approved: bool = True) -> Provider:
    return Provider(
        key=key,
        name=key.title(),
        kind="jeugdtheater",
        gemeente="Utrecht",
        serves=["Utrecht"],
        approved=approved,
    )


def _activity(key: str, provider: Provider, stamp: datetime | None = None) -> Activity:
    extra = {"updated_at": stamp, "created_at": stamp} if stamp else {}
    return Activity(
        key=key,
        provider=provider,
        title=f"Theater maken {key}",
        description="Samen theater maken en spelen in de klas.",
        disciplines=["theater"],
        format="workshop",
        audience=[{"sector": "po", "grades": [5, 6]}],
        group_min=5,
        group_max=30,
        sessions=1,
        minutes_per_session=60,
        periods=["schooltijd"],
        location="op-school",
        price_amount=100,
        price_per="groep",
        interventions=["cultuureducatie"],
        competences=[],
        status=ActivityStatus.APPROVED,
        participants_read="leerlingen",
        **extra,
    )


class Counted:
    """Counts the activities each refresh adds to the index."""

    def __init__(self, monkeypatch) -> None:
        self.added: list[str] = []
        real = Catalogue.add_or_update

        def add(catalogue, activity):
            self.added.append(activity.key)
            return real(catalogue, activity)

        monkeypatch.setattr(Catalogue, "add_or_update", add)


def test_an_import_is_applied_once_and_the_next_edit_applies_one_row(app, monkeypatch):
    cache = app.extensions["catalogue_cache"]
    cache.clear()
    base = _provider("basis")
    db.session.add_all([base, _activity("eerste", base)])
    db.session.commit()
    cache.get()
    counted = Counted(monkeypatch)
    # One import: a new provider (approved) and its activities, all stamped with one time.
    stamp = utcnow()
    imported = _provider("geimporteerd")
    db.session.add(imported)
    db.session.add_all(_activity(f"import-{i}", imported, stamp) for i in range(40))
    db.session.commit()
    assert len(cache.get()) == 41
    assert sorted(counted.added) == sorted(f"import-{i}" for i in range(40))  # each once
    counted.added.clear()
    db.session.get(
        Activity, db.session.query(Activity.id).filter_by(key="eerste").scalar()
    ).title = "Eerste, gewijzigd"
    db.session.commit()
    assert cache.get().activity("eerste").title == "Eerste, gewijzigd"
    assert counted.added == ["eerste"]
    counted.added.clear()
    assert cache.get() is cache.get() and counted.added == []


def test_approving_a_provider_applies_each_of_its_activities_once(app, monkeypatch):
    cache = app.extensions["catalogue_cache"]
    cache.clear()
    waiting = _provider("wachtend", approved=False)
    db.session.add_all([waiting, *(_activity(f"w-{i}", waiting) for i in range(5))])
    db.session.commit()
    assert len(cache.get()) == 0
    counted = Counted(monkeypatch)
    waiting.approved = True
    for activity in waiting.activities[:2]:  # changed in the same commit as the provider
        activity.title += " (nieuw)"
    db.session.commit()
    assert len(cache.get()) == 5
    assert sorted(counted.added) == [f"w-{i}" for i in range(5)]


def test_an_import_committed_after_a_later_edit_is_not_missed(app):
    cache = app.extensions["catalogue_cache"]
    cache.clear()
    base = _provider("basis")
    db.session.add_all([base, _activity("eerste", base)])
    db.session.commit()
    cache.get()
    import_started = utcnow() - timedelta(seconds=60)
    # The edit committed (and was seen) while the import was still running ...
    db.session.query(Activity).filter_by(key="eerste").one().title = "Eerste, gewijzigd"
    db.session.commit()
    assert cache.get().activity("eerste").title == "Eerste, gewijzigd"
    # ... and the import's rows carry its start, older than the edit.
    db.session.add_all(_activity(f"laat-{i}", base, import_started) for i in range(3))
    db.session.commit()
    assert {f"laat-{i}" for i in range(3)} <= set(cache.get()._ids)


# ----------------------------------------------------------------------------- ready or refused


@pytest.fixture
def starting_cache(app, monkeypatch):
    """A background cache whose first build is held until `cache.go.set()`."""
    cache = CatalogueCache(check_seconds=0, background=True, app=app)
    cache.inside, cache.go = threading.Event(), threading.Event()
    real = cache._build

    def held_build():
        cache.inside.set()
        assert cache.go.wait(30)
        return real()

    monkeypatch.setattr(cache, "_build", held_build)
    monkeypatch.setitem(app.extensions, "catalogue_cache", cache)
    yield cache
    cache.go.set()


@pytest.mark.parametrize("path", ["/aanbod", "/aanbod?q=theater", MATCH_S01])
def test_pages_that_need_the_index_answer_503_at_once_until_it_is_warm(
    app, client, path, sample_offers, starting_cache
):
    response = client.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(matching.RETRY_AFTER_SECONDS)
    assert "wordt opgestart" in response.get_data(as_text=True)
    assert starting_cache.inside.wait(30)  # the request started the build, did not wait


def test_the_api_answers_503_json_until_the_index_is_warm(
    app, client, sample_offers, starting_cache
):
    response = client.post("/api/v1/match", json=request_document("s01"))
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.get_json()["error"] == "niet-beschikbaar"
    assert client.get("/api/v1/activities?q=theater").status_code == 503


def test_readyz_refuses_until_the_index_is_warm_then_serves(
    app, client, sample_offers, starting_cache
):
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["index"] is False
    assert response.get_json()["database"] is True
    assert starting_cache.inside.wait(30)
    starting_cache.go.set()
    published = threading.Event()

    def poll():
        while not starting_cache.ready:
            starting_cache._wake.wait(0.01)
        published.set()

    threading.Thread(target=poll, daemon=True).start()
    assert published.wait(60)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["activities"] == len(sample_offers["activities"])
    assert client.post("/api/v1/match", json=request_document("s01")).status_code == 200


def test_readyz_refuses_while_draining(app, client):
    in_flight = app.extensions["in_flight"]
    assert client.get("/readyz").status_code == 200
    in_flight.draining = True
    try:
        response = client.get("/readyz")
        assert response.status_code == 503 and response.get_json()["draining"] is True
        assert response.headers["Connection"] == "close"
    finally:
        in_flight.draining = False


def test_readyz_refuses_without_a_database(app, client, monkeypatch):
    monkeypatch.setattr(matching, "database_reachable", lambda: False)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["database"] is False


# ----------------------------------------------------------------------------- stopping


class FakeServer:
    def __init__(self) -> None:
        self._map = {}
        self.closed = False

    def close(self) -> None:  # pragma: no cover - GracefulStop must not call it
        raise AssertionError("server.close() also closes the trigger the workers need")


def test_a_stopping_server_finishes_the_requests_in_progress(app, monkeypatch):
    from waitress import wasyncore

    server = FakeServer()
    monkeypatch.setattr(wasyncore.dispatcher, "close", lambda self: setattr(self, "closed", True))
    interrupted = threading.Event()
    in_flight = InFlight()
    monkeypatch.setitem(app.extensions, "in_flight", in_flight)
    stop = GracefulStop(app, server, grace_seconds=60, interrupt=interrupted.set)
    in_flight.enter()  # a request in progress
    stop()
    assert in_flight.draining and server.closed
    assert not interrupted.is_set()  # still waiting for the request
    in_flight.leave()
    assert interrupted.wait(30)
    stop.thread.join(30)


def test_in_flight_counts_the_requests(app, client):
    in_flight = app.extensions["in_flight"]
    before = in_flight.count
    assert client.get("/healthz").status_code == 200
    assert client.get("/geen-pagina").status_code == 404
    assert in_flight.count == before == 0 and in_flight.wait_idle(0)


def test_the_not_ready_error_is_a_503(app):
    error = CatalogueNotReady()
    assert error.code == 503
    assert dict(error.get_headers())["Retry-After"] == str(matching.RETRY_AFTER_SECONDS)


def test_a_late_update_with_an_older_stamp_inside_the_window_is_applied(app):
    # A transaction that stamped a row before the last seen edit commits after it: neither the
    # count nor the newest stamp moves, the window's fingerprint does.
    cache = app.extensions["catalogue_cache"]
    cache.clear()
    base = _provider("basis")
    db.session.add_all([base, _activity("eerste", base), _activity("tweede", base)])
    db.session.commit()
    cache.get()
    db.session.query(Activity).filter_by(key="tweede").one().title = "Tweede, gewijzigd"
    db.session.commit()
    assert cache.get().activity("tweede").title == "Tweede, gewijzigd"
    assert cache.get().activity("eerste").title.startswith("Theater")
    assert cache._live.fingerprints[1] is not None  # the next checks read no rows
    mark = cache._live.activities.mark
    row = db.session.query(Activity).filter_by(key="eerste").one()
    row.title = "Eerste, laat gewijzigd"
    db.session.flush()
    row.updated_at = mark - timedelta(seconds=30)
    db.session.commit()
    assert cache.get().activity("eerste").title == "Eerste, laat gewijzigd"


def test_a_dropped_catalogue_is_freed_without_the_cycle_collector(app, sample_offers):
    # The refresher freezes the live catalogue out of the collector's sight (gc.freeze): a
    # replaced one must then be freed by reference counting alone, so it may hold no cycles.
    import gc
    import weakref

    catalogue = clone_catalogue(matching.catalogue())
    catalogue.search("theater")
    gone = weakref.ref(catalogue)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del catalogue
        assert gone() is None
    finally:
        if enabled:
            gc.enable()
