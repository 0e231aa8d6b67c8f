"""Requests for the team (exchange 1.1): stored, matched and shown with deelnemers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from matcher import matching
from matcher.db import db
from matcher.mail import OutboxMessage
from matcher.schools import services
from matcher.schools.models import SchoolRequest
from providers import services as provider_services
from providers.models import ActivityStatus

COURSE = {
    "title": "Teamscholing theater in de klas",
    "description": "Een studiedag voor leerkrachten over drama- en theateronderwijs: u leert "
                   "zelf dramalessen en theaterlessen geven in uw groep, met kunstzinnige "
                   "oriëntatie als vak.",
    "disciplines": ["theater"], "format": "workshop",
    "audience": [{"sector": "po", "grades": [4, 5, 6]}], "group_min": 4, "group_max": 25,
    "sessions": 1, "minutes_per_session": 180, "periods": ["schooltijd"],
    "location": "op-school", "price_amount": Decimal("600.00"), "price_per": "groep",
    "interventions": ["zomerschool", "cultuureducatie"], "competences": ["samenwerken"],
}


@pytest.fixture
def course(world, app):
    """A course for the team by the world's provider, approved (read from its text)."""
    activity = provider_services.create_activity(provider=world.provider, fields=dict(COURSE),
                                                 by=None, status=ActivityStatus.APPROVED,
                                                 key="theater-teamscholing")
    db.session.commit()
    app.extensions["catalogue_cache"].clear()
    assert activity.participants_read == "team"
    return activity


def _request(world, **changes) -> SchoolRequest:
    school = world.school
    fields = {"organisation": school.organisation, "by": school.coordinator,
              "title": "Scholing", "interventions": ["cultuureducatie"], "groups": [],
              "pupils": 12, "grades": [5], "periods": [], "budget": None}
    fields.update(changes)
    return services.create_request(**fields)


def test_a_team_request_is_stored_and_matched_to_team_courses_only(world, course):
    request = _request(world, participants="team")
    db.session.commit()
    assert request.participants == "team" and request.for_team
    engine_request = services.engine_request(request)
    assert engine_request.participants == "team"
    assert [m.activity_key for m in matching.match(engine_request)] == [course.key]


def test_a_pupil_request_never_gets_a_team_course(world, course):
    request = _request(world, pupils=25)
    assert request.participants == "leerlingen"
    found = [m.activity_key for m in matching.match(services.engine_request(request))]
    assert world.activity.key in found and course.key not in found


def test_a_request_is_for_pupils_or_the_team(world):
    with pytest.raises(services.SchoolError, match="leerlingen of voor het team"):
        _request(world, participants="leerlingen-en-ouders")
    with pytest.raises(services.SchoolError, match="aantal deelnemers"):
        _request(world, participants="team", pupils=0)


def test_publishing_a_team_request_mails_deelnemers(world, course):
    request = _request(world, participants="team")
    services.publish_request(request=request, by=world.school.coordinator)
    db.session.commit()
    bodies = db.session.scalars(select(OutboxMessage.body)).all()
    assert bodies and all("12 deelnemers van het team" in body for body in bodies)


def test_request_form_for_the_team(world, course, login):
    client = login(world.school.coordinator)
    page = client.get("/school/aanvragen/nieuw").get_data(as_text=True)
    assert "Voor wie zoekt u?" in page and "Het team (scholing)" in page
    response = client.post("/school/aanvragen/nieuw", data={
        "title": "Teamscholing drama", "participants": "team",
        "interventions": ["cultuureducatie"], "grades": ["5"], "pupils": "12"})
    assert response.status_code == 302, response.get_data(as_text=True)
    stored = db.session.scalar(select(SchoolRequest))
    assert stored.participants == "team" and stored.pupils == 12
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Voor het team (scholing)" in page and "Deelnemers" in page
    assert "Passend aanbod voor het team" in page
    assert "Teamscholing theater in de klas" in page and "Zomertheater" not in page
    listing = client.get("/school/aanvragen").get_data(as_text=True)
    assert "12 deelnemers van het team" in listing


def test_request_form_for_the_team_says_deelnemers(world, login):
    client = login(world.school.coordinator)
    response = client.post("/school/aanvragen/nieuw", data={
        "title": "Teamscholing", "participants": "team", "interventions": ["cultuureducatie"],
        "grades": ["5"], "pupils": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Aantal deelnemers" in page and "Vul het aantal deelnemers in." in page
    assert "Aantal leerlingen" not in page
    prefilled = client.get("/school/aanvragen/nieuw?interventie=cultuureducatie&voor=team")
    assert 'checked id="participants-1"' in prefilled.get_data(as_text=True)


def test_keuzehulp_advice_for_the_group_or_for_the_team(world, course, login):
    school = world.school
    scan = services.record_scan(organisation=school.organisation, by=school.coordinator,
                                school_year="2026-2027", group=school.group,
                                delays={"kunst-en-cultuur": "grote"}, needs=["samenwerken"])
    db.session.commit()
    client = login(school.coordinator)
    pupils = client.get(f"/school/keuzehulp/{scan.id}").get_data(as_text=True)
    assert "Voor wie zoekt u?" in pupils
    assert "Zomertheater" in pupils and "Teamscholing theater in de klas" not in pupils

    team = client.get(f"/school/keuzehulp/{scan.id}?participants=team&team_size=10")
    page = team.get_data(as_text=True)
    assert team.status_code == 200
    assert "Praktische invulling voor het team" in page
    assert "Teamscholing theater in de klas" in page and "Zomertheater" not in page
    assert "voor=team" in page

    missing = client.get(f"/school/keuzehulp/{scan.id}?participants=team")
    assert missing.status_code == 400
    assert "Vul het aantal deelnemers in." in missing.get_data(as_text=True)


def test_scan_request_for_the_team_needs_a_size(world):
    school = world.school
    scan = services.record_scan(organisation=school.organisation, by=school.coordinator,
                                school_year="2026-2027", group=school.group,
                                delays={"kunst-en-cultuur": "grote"}, needs=[])
    request = services.scan_request(scan=scan, organisation=school.organisation,
                                    intervention="cultuureducatie")
    assert (request.participants, request.pupils) == ("leerlingen", school.group.pupils)
    team = services.scan_request(scan=scan, organisation=school.organisation,
                                 intervention="cultuureducatie", participants="team",
                                 team_size=9)
    assert (team.participants, team.pupils, team.grades) == ("team", 9, (5,))
    with pytest.raises(services.SchoolError, match="deelnemers"):
        services.scan_request(scan=scan, organisation=school.organisation,
                              intervention="cultuureducatie", participants="team")


def test_booking_a_team_course_counts_deelnemers(world, course, login):
    client = login(world.school.teacher)
    page = client.get(f"/school/boeken?activiteit={course.key}").get_data(as_text=True)
    assert "Aantal deelnemers (plaatsen)" in page
    page = client.get(f"/school/boeken?activiteit={world.activity.key}").get_data(as_text=True)
    assert "Aantal leerlingen (plaatsen)" in page
