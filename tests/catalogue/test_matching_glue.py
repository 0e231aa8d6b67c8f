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
