"""The /api/v1 contract of spec section 5: match, activities, openapi."""

from __future__ import annotations

import json

from tests.catalogue.conftest import request_document


def test_match_answers_the_spec_shape(client, sample_offers):
    response = client.post("/api/v1/match", json=request_document("s01"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["request"] == "s01"
    assert body["matches"], body
    first = body["matches"][0]
    assert set(first) == {"activity", "provider", "score", "cost", "interventions", "reasons"}
    assert first["activity"] == "ij-vakantietheater"
    assert "zomerschool" in first["interventions"]
    assert all(isinstance(r, str) and r for r in first["reasons"])
    scores = [m["score"] for m in body["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_match_needs_no_login_and_no_csrf(app, database_url, sample_offers):
    from matcher import create_app
    from tests.conftest import make_test_config

    strict = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True))
    response = strict.test_client().post("/api/v1/match", json=request_document("s02"))
    assert response.status_code == 200


def test_match_stores_nothing(client, sample_offers):
    from sqlalchemy import func, select

    from matcher.db import Base, db

    def counts():
        return {t.name: db.session.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables}

    before = counts()
    client.post("/api/v1/match", json=request_document("s03"))
    assert counts() == before


def test_invalid_match_body_lists_every_error_with_its_path(client):
    document = request_document("s01")
    document["request"]["pupils"] = -3
    document["request"]["school"]["sector"] = "pa"
    del document["request"]["grades"]
    response = client.post("/api/v1/match", json=document)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    paths = {e["path"] for e in errors}
    assert {"$.request.pupils", "$.request.school.sector", "$.request.grades"} <= paths
    assert all(e["message"] for e in errors)


def test_not_effective_intervention_is_refused(client):
    document = request_document("s01")
    document["request"]["interventions"] = ["zittenblijven"]
    response = client.post("/api/v1/match", json=document)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["path"].startswith("$.request.interventions")


def test_broken_json_gets_400_with_position(client):
    response = client.post("/api/v1/match", data="{\"format\": ",
                           content_type="application/json")
    assert response.status_code == 400
    assert "regel" in json.dumps(response.get_json(), ensure_ascii=False).lower()


def test_bad_limit_gets_400(client, sample_offers):
    response = client.post("/api/v1/match?limit=abc", json=request_document("s01"))
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["path"] == "?limit"


def test_activities_catalogue_filters_and_paginates(client, sample_offers):
    everything = client.get("/api/v1/activities?per_page=5").get_json()
    assert everything["total"] == len(sample_offers["activities"])
    assert len(everything["activities"]) == 5 and everything["pages"] > 1
    theatre = client.get("/api/v1/activities?discipline=theater&gemeente=Amsterdam").get_json()
    assert theatre["total"] > 0
    assert all("theater" in a["disciplines"] for a in theatre["activities"])
    assert set(theatre["facets"]) >= {"discipline", "sector", "period"}


def test_activities_search_is_typo_tolerant(client, sample_offers):
    body = client.get("/api/v1/activities?q=vakantieteater").get_json()
    assert "ij-vakantietheater" in [a["id"] for a in body["activities"]]


def test_activities_bad_parameters(client):
    response = client.get("/api/v1/activities?grade=negen&sector=pa&per_page=1000")
    assert response.status_code == 400
    paths = {e["path"] for e in response.get_json()["errors"]}
    assert paths == {"?grade", "?sector", "?per_page"}


def test_only_approved_activities_are_public(client, sample_offers, activity_by_key):
    from matcher.db import db
    from providers.models import ActivityStatus

    activity_by_key("ij-vakantietheater").status = ActivityStatus.SUBMITTED
    db.session.commit()
    ids = [a["id"] for a in client.get("/api/v1/activities?per_page=100").get_json()["activities"]]
    assert "ij-vakantietheater" not in ids
    matches = client.post("/api/v1/match", json=request_document("s01")).get_json()["matches"]
    assert "ij-vakantietheater" not in [m["activity"] for m in matches]


def test_openapi_document_lists_every_call(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    api_rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")}
    assert api_rules == set(document["paths"])


def test_api_errors_are_json(client):
    response = client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert response.get_json()["error"] == "niet-gevonden"
