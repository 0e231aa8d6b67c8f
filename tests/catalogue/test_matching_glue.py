"""The warm catalogue: built once, refreshed incrementally, hides what is not approved."""

from __future__ import annotations

from matcher import matching
from matcher.db import db
from providers.models import ActivityStatus


def test_catalogue_is_built_once_and_refreshed_incrementally(app, sample_offers, activity_by_key):
    cache = app.extensions["catalogue_cache"]
    first = matching.catalogue()
    assert len(first) == len(sample_offers["activities"])
    builds = cache.full_builds
    assert matching.catalogue() is first and cache.full_builds == builds

    activity = activity_by_key("ij-vakantietheater")
    activity.title = "Vakantietheater XL"
    db.session.commit()
    catalogue = matching.catalogue()
    assert cache.full_builds == builds and cache.incremental_refreshes >= 1
    assert catalogue.activity("ij-vakantietheater").title == "Vakantietheater XL"

    activity.status = ActivityStatus.ARCHIVED
    db.session.commit()
    assert "ij-vakantietheater" not in matching.catalogue()
    assert cache.full_builds == builds


def test_unapproving_a_provider_hides_its_activities(app, sample_offers, activity_by_key):
    matching.catalogue()
    provider = activity_by_key("ij-vakantietheater").provider
    provider.approved = False
    db.session.commit()
    catalogue = matching.catalogue()
    assert not any(a.provider_key == provider.key for a in
                   (catalogue.activity(k) for k in
                    [x["id"] for x in sample_offers["activities"]] if k in catalogue))


def test_penvoerders_serving_the_school_count_as_existing_structures(app, sample_offers):
    from matcher.exchange import parse_request, to_engine_request
    from tests.catalogue.conftest import request_document

    request = to_engine_request(parse_request(request_document("s03")))
    enriched = matching.with_existing_structures(request)
    assert "cultuurpunt-groningen" in enriched.penvoerder_keys


def test_a_busy_worker_checks_the_database_at_most_once_per_interval(app, sample_offers,
                                                                       activity_by_key):
    from matcher.matching import CatalogueCache

    cache = CatalogueCache(check_seconds=3600)
    first = cache.get()
    activity_by_key("ij-vakantietheater").title = "Later gewijzigd"
    db.session.commit()
    assert cache.get() is first
    assert first.activity("ij-vakantietheater").title == "Vakantietheater"
    cache.check_seconds = 0
    assert cache.get().activity("ij-vakantietheater").title == "Later gewijzigd"


def test_a_link_dropped_by_the_curator_is_never_offered(app, client, sample_offers,
                                                        activity_by_key):
    from tests.catalogue.conftest import request_document

    activity = activity_by_key("ij-vakantietheater")
    activity.dropped_interventions = ["zomerschool"]
    db.session.commit()
    matches = client.post("/api/v1/match", json=request_document("s01")).get_json()["matches"]
    assert "ij-vakantietheater" not in [m["activity"] for m in matches]


def test_a_link_verified_by_the_curator_ranks_as_confirmed(app, client, sample_offers,
                                                            activity_by_key):
    from tests.catalogue.conftest import request_document

    activity = activity_by_key("sanne-zomerdans")
    activity.verified_interventions = ["zomerschool"]
    db.session.commit()
    matches = client.post("/api/v1/match", json=request_document("s01")).get_json()["matches"]
    found = next(m for m in matches if m["activity"] == "sanne-zomerdans")
    assert any("bevestigd door de curator" in r for r in found["reasons"])
