"""School pages: forms validate in Dutch and keep the input; one school never sees another's."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from matcher.db import db
from matcher.schools import services
from matcher.schools.models import Booking, BookingStatus, RequestStatus, SchoolRequest
from tests.schools.conftest import SOON


def _objects(world):
    """One of everything, belonging to world.school."""
    school = world.school
    scan = services.record_scan(organisation=school.organisation, by=school.coordinator,
                                school_year="2026-2027", group=school.group,
                                delays={"kunst-en-cultuur": "grote"}, needs=["samenwerken"])
    request = services.create_request(
        organisation=school.organisation, by=school.coordinator, title="Theater",
        interventions=["cultuureducatie"], groups=[school.group], pupils=25, grades=[],
        periods=[], budget=None)
    services.publish_request(request=request, by=school.coordinator)
    proposal = services.submit_proposal(request=request, provider=world.provider,
                                        by=world.provider_user, text="Voorstel",
                                        price=Decimal("500"), dates=[SOON])
    booking = services.book(organisation=school.organisation, by=school.coordinator,
                            nonce="x", stream=school.stream, on_date=SOON, seats=5,
                            intervention="cultuureducatie", activity=world.activity).booking
    db.session.commit()
    return scan, request, proposal, booking


def test_another_schools_objects_answer_404_on_every_route(world, login):
    scan, request, proposal, booking = _objects(world)
    client = login(world.other.coordinator)
    for path in (f"/school/keuzehulp/{scan.id}", f"/school/aanvragen/{request.id}",
                 f"/school/boekingen/{booking.id}", f"/school/boeken?voorstel={proposal.id}",
                 f"/school/boeken?activiteit={world.activity.key}&aanvraag={request.id}"):
        assert client.get(path).status_code == 404, path
    for path, data in (
            (f"/school/aanvragen/{request.id}/status", {"to": "ingetrokken"}),
            (f"/school/aanvragen/{request.id}/voorstellen/{proposal.id}/accepteren", {}),
            (f"/school/boekingen/{booking.id}/status", {"to": "geannuleerd", "reason": "x"})):
        assert client.post(path, data=data).status_code == 404, path
    assert booking.status == BookingStatus.REQUESTED
    assert request.status == RequestStatus.ANSWERED
    for path in ("/school/", "/school/aanvragen", "/school/boekingen", "/school/budget",
                 "/school/programma", "/school/programma.csv"):
        page = client.get(path).get_data(as_text=True)
        assert "Theater" not in page and "Zomertheater" not in page, path
        assert "OBS De Test" not in page, path


def test_a_provider_sees_only_its_own_bookings_and_region(world, login, make_organisation,
                                                          make_user):
    _, request, _, booking = _objects(world)
    from matcher.accounts.roles import OrganisationKind, Role
    from providers.models import Provider

    far = make_organisation(kind=OrganisationKind.PROVIDER, name="Ver weg")
    db.session.add(Provider(key="ver-weg", organisation_id=far.id, name="Ver weg",
                            kind="museum", gemeente="Groningen", serves=[], approved=True))
    db.session.commit()
    client = login(make_user(role=Role.PROVIDER_STAFF, organisation=far))
    assert client.get(f"/voor-aanbieders/aanvragen/{request.id}").status_code == 404
    assert client.get(f"/voor-aanbieders/boekingen/{booking.id}").status_code == 404
    assert client.post(f"/voor-aanbieders/boekingen/{booking.id}/status",
                       data={"to": "bevestigd"}).status_code == 404
    assert "Theater" not in client.get("/voor-aanbieders/aanvragen").get_data(as_text=True)


def test_request_form_errors_are_dutch_and_keep_the_input(world, login):
    client = login(world.school.coordinator)
    response = client.post("/school/aanvragen/nieuw", data={
        "title": "Mijn zomerschool", "pupils": "veel", "budget": "twee euro",
        "interventions": ["zittenblijven"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Controleer het formulier" in page
    assert "alleen effectieve interventies" in page
    assert "Budget (euro): vul een bedrag in euro in van 0 tot en met 10.000.000" in page
    assert "Aantal leerlingen: vul een heel getal in van 1 tot en met 5.000." in page
    assert 'value="Mijn zomerschool"' in page and 'value="twee euro"' in page
    assert db.session.scalar(select(func.count()).select_from(SchoolRequest)) == 0


def test_new_request_shows_matches_at_once(world, login):
    client = login(world.school.coordinator)
    response = client.post("/school/aanvragen/nieuw", data={
        "title": "Zomerschool 5A", "interventions": ["zomerschool"],
        "group_ids": [str(world.school.group.id)], "pupils": "25",
        "periods": ["zomervakantie"], "budget": "1.000,00"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Zomertheater" in page
    assert "€ 250,00" in page.replace("\xa0", " ")


def test_double_submitted_booking_form_creates_one_booking(world, login):
    client = login(world.school.teacher)
    form = {"nonce": "eenmalig-123", "intervention": "zomerschool",
            "activity_date_id": str(world.session.id), "seats": "10",
            "group_id": "0", "for_school_id": "0",
            "funding_stream_id": str(world.school.stream.id)}
    url = f"/school/boeken?activiteit={world.activity.key}"
    first = client.post(url, data=form)
    second = client.post(url, data=form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 1


def test_booking_form_refuses_too_many_seats_in_dutch(world, login):
    client = login(world.school.coordinator)
    response = client.post(f"/school/boeken?activiteit={world.activity.key}", data={
        "nonce": "n-te-veel", "intervention": "zomerschool",
        "activity_date_id": str(world.session.id), "seats": "30", "group_id": "0",
        "for_school_id": "0", "funding_stream_id": str(world.school.stream.id)})
    assert response.status_code == 400
    assert "nog maar 25 plaatsen vrij" in response.get_data(as_text=True)
    assert 'value="30"' in response.get_data(as_text=True)


def test_provider_confirms_leader_approves_teacher_evaluates(world, client, login):
    _, _, _, booking = _objects(world)
    login(world.provider_user)
    response = client.post(f"/voor-aanbieders/boekingen/{booking.id}/status",
                           data={"to": "bevestigd"})
    assert response.status_code == 302
    client.post("/uitloggen")
    login(world.school.leader)
    assert client.post(f"/school/boekingen/{booking.id}/status",
                       data={"to": "goedgekeurd"}).status_code == 302
    assert client.post(f"/school/boekingen/{booking.id}/status",
                       data={"to": "uitgevoerd"}).status_code == 302
    client.post("/uitloggen")
    login(world.school.teacher)
    empty = client.post(f"/school/boekingen/{booking.id}/status", data={"to": "geevalueerd"})
    assert empty.status_code == 400 and "Kies 1 tot en met 5 sterren" in empty.get_data(
        as_text=True)
    assert client.post(f"/school/boekingen/{booking.id}/status", data={
        "to": "geevalueerd", "stars": "4", "text": "Mooi"}).status_code == 302
    db.session.refresh(booking)
    assert booking.status == BookingStatus.EVALUATED and booking.evaluation_stars == 4
    client.post("/uitloggen")
    login(world.provider_user)
    assert "Mooi" in client.get(f"/voor-aanbieders/boekingen/{booking.id}").get_data(
        as_text=True)


def test_cancel_without_reason_is_refused_in_dutch(world, login):
    _, _, _, booking = _objects(world)
    client = login(world.school.coordinator)
    response = client.post(f"/school/boekingen/{booking.id}/status", data={"to": "geannuleerd"})
    assert response.status_code == 400
    assert "Geef een reden" in response.get_data(as_text=True)


def test_budget_form_accepts_dutch_amounts_and_shows_warnings(world, login):
    client = login(world.school.leader)
    response = client.post("/school/budget", data={
        "kind": "cjp", "name": "", "amount": "1.250,50",
        "deadline": (date.today() + timedelta(days=20)).isoformat()})
    assert response.status_code == 302
    page = client.get("/school/budget").get_data(as_text=True).replace("\xa0", " ")
    assert "CJP Cultuurkaart" in page and "€ 1.250,50" in page
    assert "te besteden vóór" in page
    bad = client.post("/school/budget", data={"kind": "npo", "amount": "-5", "deadline": "x"})
    assert bad.status_code == 400
    assert "negatief" in bad.get_data(as_text=True)


def test_teacher_cannot_add_budgets(world, login):
    client = login(world.school.teacher)
    assert client.post("/school/budget", data={"kind": "npo"}).status_code == 403


def test_keuzehulp_requires_kunst_en_cultuur_and_advises(world, login):
    client = login(world.school.coordinator)
    data = {"group_id": str(world.school.group.id), "grade": "", "school_year": "2026-2027",
            "area_taal": "enige", "area_rekenen": "geen", "area_wereldorientatie": "geen",
            "area_bewegen": "geen", "needs": ["samenwerken"]}
    missing = client.post("/school/keuzehulp", data={**data, "area_kunst_en_cultuur": ""})
    assert missing.status_code == 400
    assert "Kies de uitkomst voor kunst en cultuur" in missing.get_data(as_text=True)
    response = client.post("/school/keuzehulp", data={**data, "area_kunst_en_cultuur": "grote"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cultuureducatie" in page and "Zomertheater" in page
    assert "Zittenblijven" not in page


@pytest.mark.parametrize("suffix", [".csv", ".pdf", ""])
def test_programme_downloads(world, login, suffix):
    _objects(world)
    client = login(world.school.coordinator)
    response = client.get(f"/school/programma{suffix}")
    assert response.status_code == 200
    if suffix == ".pdf":
        assert response.data.startswith(b"%PDF")
    else:
        assert "Zomertheater" in response.get_data(as_text=True)


def test_programme_records_the_mr_date_and_own_staff(world, login):
    client = login(world.school.leader)
    assert client.post("/school/programma", data={
        "mr-mr_agreed_on": date.today().isoformat()}).status_code == 302
    assert client.post("/school/programma", data={
        "item-intervention": "cultuureducatie", "item-title": "Tekenles eigen vakleerkracht",
        "item-staff": "kunstvakdocent", "item-cost": "0", "item-funding_stream_id": "0",
    }).status_code == 302
    page = client.get("/school/programma").get_data(as_text=True)
    assert date.today().strftime("%d-%m-%Y") in page
    assert "Tekenles eigen vakleerkracht" in page and "kunstvakdocent" in page
    future = client.post("/school/programma", data={
        "mr-mr_agreed_on": (date.today() + timedelta(days=5)).isoformat()})
    assert future.status_code == 400 and "toekomst" in future.get_data(as_text=True)


def test_an_empty_result_names_the_claims_that_do_not_count(world, login):
    # A zomerschool in school time: the provider's claim does not count.
    world.activity.periods = ["schooltijd"]
    school = world.school
    request = services.create_request(
        organisation=school.organisation, by=school.coordinator, title="Zomerschool",
        interventions=["zomerschool"], groups=[school.group], pupils=25, grades=[],
        periods=[], budget=None)
    scan = services.record_scan(organisation=school.organisation, by=school.coordinator,
                                school_year="2026-2027", group=school.group,
                                delays={"kunst-en-cultuur": "grote", "taal": "enige"},
                                needs=["samenwerken"])
    db.session.commit()
    client = login(school.coordinator)
    explained = ("Geen activiteit kan zomerschool vullen. 1 activiteit noemt zomerschool wel, "
                 "maar dat telt niet:")
    page = client.get(f"/school/aanvragen/{request.id}").get_data(as_text=True)
    assert explained in page and "Zomertheater</a>: Een zomer- of lenteschool" in page
    assert "Geen activiteit voldoet aan alle voorwaarden" not in page
    advice = client.get(f"/school/keuzehulp/{scan.id}").get_data(as_text=True)
    assert explained in advice
