"""Who takes part (exchange 1.1): team requests get courses for the team only, everywhere."""

from __future__ import annotations

import json

from matcher.accounts.roles import Role
from matcher.cli import main
from matcher.db import db
from tests.catalogue.conftest import TEAM_KEYS, request_document, team_request

TEAM_MATCH = ("/matchen?participants=team&interventions=welbevinden&sector=po"
              "&gemeente=Amsterdam&grades=5&grades=6&pupils=12&periods=schooltijd"
              "&budget=1200&location=geen-voorkeur")


def test_api_team_request_gets_only_team_activities(client, team_offers):
    matches = client.post("/api/v1/match?limit=50", json=team_request()).get_json()["matches"]
    assert {m["activity"] for m in matches} == TEAM_KEYS


def test_api_pupil_request_never_gets_a_team_activity(client, team_offers):
    for name in ("s01", "s02", "s03", "s04", "s05"):
        body = client.post("/api/v1/match?limit=100", json=request_document(name)).get_json()
        assert not TEAM_KEYS & {m["activity"] for m in body["matches"]}, name
    # The same request as the team one, for pupils, finds pupil activities and no course.
    pupils = team_request()
    pupils["request"]["participants"] = "leerlingen"
    found = {m["activity"] for m in client.post("/api/v1/match?limit=100",
                                                json=pupils).get_json()["matches"]}
    assert found and not found & TEAM_KEYS


def test_api_refuses_pupils_with_parents_as_a_request(client):
    document = team_request()
    document["request"]["participants"] = "leerlingen-en-ouders"
    response = client.post("/api/v1/match", json=document)
    assert response.status_code == 400
    paths = [e["path"] for e in response.get_json()["errors"]]
    assert paths == ["$.request.participants"]


def test_cli_match_reads_participants_from_the_document(app, team_offers, tmp_path):
    source = tmp_path / "team.json"
    source.write_text(json.dumps(team_request()), encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["match", str(source), "--limit", "50",
                                                 "--json"])
    assert result.exit_code == 0, result.output
    assert {m["activity"] for m in json.loads(result.output)["matches"]} == TEAM_KEYS


def test_api_activities_participants_parameter_facet_and_fields(client, team_offers):
    body = client.get("/api/v1/activities?per_page=100").get_json()
    assert body["facets"]["participants"] == {"team": 2, "leerlingen": 15,
                                              "leerlingen-en-ouders": 1}
    by_id = {a["id"]: a for a in body["activities"]}
    assert (by_id["ij-teamscholing-drama"]["participants"],
            by_id["ij-teamscholing-drama"]["participants_source"]) == ("team", "tekst")
    assert (by_id["sanne-dans-met-je-klas"]["participants"],
            by_id["sanne-dans-met-je-klas"]["participants_source"]) == ("team", "aanbieder")
    assert by_id["ij-vakantietheater"]["participants"] == "leerlingen"

    team = client.get("/api/v1/activities?participants=team").get_json()
    assert {a["id"] for a in team["activities"]} == TEAM_KEYS
    response = client.get("/api/v1/activities?participants=docenten")
    assert response.status_code == 400
    assert [e["path"] for e in response.get_json()["errors"]] == ["?participants"]


def test_a_curators_decision_reaches_the_catalogue(client, team_offers, activity_by_key,
                                                  make_user):
    from providers import services

    services.decide_participants(activity=activity_by_key("ij-teamscholing-drama"),
                                 value="leerlingen", by=make_user(role=Role.CURATOR))
    db.session.commit()
    team = client.get("/api/v1/activities?participants=team").get_json()
    assert {a["id"] for a in team["activities"]} == {"sanne-dans-met-je-klas"}
    drama = next(a for a in client.get("/api/v1/activities?q=teamscholing").get_json()[
        "activities"] if a["id"] == "ij-teamscholing-drama")
    assert (drama["participants"], drama["participants_source"]) == ("leerlingen", "curator")


def test_openapi_describes_participants(client):
    document = client.get("/api/v1/openapi.json").get_json()
    request = document["components"]["schemas"]["MatchRequestDocument"]["properties"][
        "request"]["properties"]
    assert request["participants"]["enum"] == ["leerlingen", "team"]
    activity = document["components"]["schemas"]["Activity"]["properties"]
    assert set(activity["participants"]["enum"]) == {"leerlingen", "team",
                                                     "leerlingen-en-ouders"}
    assert set(activity["participants_source"]["enum"]) == {"aanbieder", "curator", "tekst"}
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/activities"]["get"][
        "parameters"]}
    assert "team" in parameters["participants"]["schema"]["enum"]


def test_search_page_has_a_voor_wie_facet(client, team_offers):
    html = client.get("/aanbod").get_data(as_text=True)
    assert 'name="participants"' in html and "Voor wie" in html
    assert "Het team: scholing voor leerkrachten (2)" in html
    html = client.get("/aanbod?participants=team").get_data(as_text=True)
    assert "2 activiteiten" in html and "Teamscholing drama in de klas" in html
    assert "Vakantietheater" not in html
    assert client.get("/aanbod?participants=ouders").status_code == 400


def test_public_activity_page_says_who_it_is_for_and_why(client, team_offers):
    html = client.get("/aanbod/ij-teamscholing-drama").get_data(as_text=True)
    assert "Voor wie" in html and "Het team: scholing voor leerkrachten" in html
    assert "Gelezen uit de tekst: die noemt" in html
    html = client.get("/aanbod/sanne-dans-met-je-klas").get_data(as_text=True)
    assert "Opgegeven door de aanbieder" in html


def test_match_form_for_the_team(client, team_offers):
    page = client.get("/matchen").get_data(as_text=True)
    assert "Voor wie zoekt u?" in page and "Het team (scholing)" in page
    assert "Aantal leerlingen" in page
    html = client.get(TEAM_MATCH).get_data(as_text=True)
    assert "2 passende activiteiten voor het team" in html
    assert "Voor het team: scholing voor leerkrachten en ander personeel, voor 12 deelnemers" \
        in html
    assert "Aantal deelnemers" in html and "Aantal leerlingen" not in html
    assert "Teamscholing drama in de klas" in html and "Dansen met je klas" in html
    assert "Zomerdans" not in html and "Vakantietheater" not in html

    pupils = client.get(TEAM_MATCH.replace("participants=team", "participants=leerlingen")
                        .replace("pupils=12", "pupils=25")).get_data(as_text=True)
    assert "Teamscholing drama in de klas" not in pupils and "Dansen met je klas" not in pupils
    assert "voor het team" not in pupils


def test_match_form_for_the_team_says_deelnemers_in_its_errors(client):
    response = client.get(TEAM_MATCH.replace("pupils=12", "pupils="))
    assert response.status_code == 400
    assert "Vul het aantal deelnemers in." in response.get_data(as_text=True)
