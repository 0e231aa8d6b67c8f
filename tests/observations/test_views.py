"""The pages: invite → observe → scan → export, access per route, role and object, audit, logs."""

from __future__ import annotations

import csv
import io
import logging
import re

import pytest
from sqlalchemy import func, select

from matcher.accounts.roles import Role
from matcher.db import db
from matcher.mail import OutboxMessage
from matcher.observations import queries, services
from matcher.observations.models import (
    AuditAction,
    Observation,
    ObservationAuditEntry,
    ObservationInvitation,
    PupilNote,
)
from tests.observations.conftest import (
    form_data,
    invite,
    new_client,
    observation_input,
    signed_in,
)

SENTINEL = "Kwikstaart-Sentinel-5521"


def _token_from_mail() -> str:
    body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/observatie/([\w-]+)", body).group(1)


def _submit(app, token: str, **extra: str):
    client = new_client(app)
    opened = client.get(f"/observatie/{token}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/observatie/invullen")
    return client, client.post("/observatie/invullen", data=form_data(**extra))


def test_invite_observe_scan_and_export(app, school):
    teacher = signed_in(app, school.teacher)
    group = school.group
    page = teacher.get(f"/observaties/groepen/{group.id}/uitnodigen")
    assert page.status_code == 200
    response = teacher.post(f"/observaties/groepen/{group.id}/uitnodigen", data={
        "observer_name": "Tessa Theatermaker", "email": "Tessa@Theater.example",
        "activity_reference": "Theaterlessen"})
    assert response.status_code == 302
    token = _token_from_mail()

    professional, response = _submit(app, token, value="2", general_notes=SENTINEL,
                                     discipline="theatermaker")
    assert response.status_code == 302 and response.headers["Location"].endswith("/ontvangen")
    receipt = professional.get("/observatie/ontvangen").get_data(as_text=True)
    observation = db.session.scalar(select(Observation))
    assert observation.receipt_code in receipt and SENTINEL not in receipt
    # The observer cannot read the content back: the link is spent, the form is gone.
    assert professional.get(f"/observatie/{token}").status_code == 410
    assert professional.get("/observatie/invullen").status_code == 404
    assert professional.get(f"/observaties/{observation.id}").status_code == 302

    own = teacher.post(f"/observaties/groepen/{group.id}/eigen-observatie",
                       data=form_data(value="4"))
    assert own.status_code == 302

    scan = teacher.get(f"/observaties/groepen/{group.id}").get_data(as_text=True)
    assert scan.count("<svg") == 10 and "<circle" in scan and "<rect" in scan
    assert "style=" not in scan
    assert "/matchen?competences=" not in scan  # 2 and 4 average to 3: nothing stands out
    detail = teacher.get(f"/observaties/{observation.id}").get_data(as_text=True)
    assert SENTINEL in detail

    exported = teacher.get(f"/observaties/groepen/{group.id}/export.csv")
    assert exported.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True)), delimiter=";"))
    assert {r["bron"] for r in rows} == {"extern", "eigen"}
    assert "Tessa" not in exported.get_data(as_text=True)
    data = teacher.get(f"/observaties/groepen/{group.id}/export.json").get_json()
    assert len(data["observaties"]) == 2 and data["groep"]["naam"] == group.name

    actions = db.session.scalars(select(ObservationAuditEntry.action).order_by(
        ObservationAuditEntry.id)).all()
    assert actions == [AuditAction.VIEW_SCAN, AuditAction.VIEW_OBSERVATION,
                       AuditAction.EXPORT_CSV, AuditAction.EXPORT_JSON]
    log = signed_in(app, school.leader).get("/observaties/auditlog").get_data(as_text=True)
    assert "Export als CSV" in log and school.teacher.name in log and SENTINEL not in log


def test_low_dimensions_link_to_matching_activities(app, school):
    services.add_own_observation(group=school.group, by=school.teacher, data=observation_input(
        value=4, samenwerken=1, omgaan_met_conflict=2))
    db.session.commit()
    scan = signed_in(app, school.leader).get(f"/observaties/groepen/{school.group.id}")
    assert ('href="/matchen?competences=samenwerken&amp;competences=omgaan-met-conflict"'
            in scan.get_data(as_text=True))


def test_the_form_refuses_contact_details_and_warns_about_names(app, school):
    token = invite(school)
    client, response = _submit(app, token, general_notes="Mail naar ouder@example.nl")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Vermeld geen e-mailadressen." in html
    assert 'id="form-errors"' in html
    response = client.post("/observatie/invullen",
                           data=form_data(general_notes="Het ging goed met Sanne."))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Staat hier een naam in?" in html and "Sanne" in html
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 0
    response = client.post("/observatie/invullen", data=form_data(
        general_notes="Het ging goed met Sanne.", confirm_no_names="y"))
    assert response.status_code == 302


def test_pupil_rows_appear_only_where_the_school_allows_them(app, make_school):
    for allowed in (True, False):
        school = make_school(pupil_notes=allowed)
        codes = services.issue_pupil_codes(group=school.group, count=2, by=school.teacher)
        token = invite(school)
        client = new_client(app)
        client.get(f"/observatie/{token}")
        html = client.get("/observatie/invullen").get_data(as_text=True)
        assert ("pupil_notes-0-code" in html) is allowed
        if allowed:
            response = client.post("/observatie/invullen", data=form_data(**{
                "pupil_notes-0-code": codes[0].code, "pupil_notes-0-score": "4",
                "pupil_notes-0-dimension": "zelfvertrouwen",
                "pupil_notes-0-note": "durfde te spelen"}))
            assert response.status_code == 302
            assert db.session.scalar(select(func.count()).select_from(PupilNote)) == 1


def test_inviting_without_legal_basis_is_refused_on_the_page(app, make_school):
    school = make_school(policy=False)
    teacher = signed_in(app, school.teacher)
    response = teacher.post(f"/observaties/groepen/{school.group.id}/uitnodigen", data={
        "observer_name": "X", "email": "x@example.nl"})
    assert response.status_code == 200 and "grondslag" in response.get_data(as_text=True)
    coordinator = signed_in(app, school.coordinator)
    response = coordinator.post("/observaties/grondslag", data={
        "legal_basis": "publieke-taak", "explanation": "Privacyreglement", "retention_years": "3"})
    assert response.status_code == 302
    assert queries.find_policy(school.organisation.id).retention_years == 3
    response = teacher.post(f"/observaties/groepen/{school.group.id}/uitnodigen", data={
        "observer_name": "X", "email": "x@example.nl"})
    assert response.status_code == 302


def _school_routes(group_id: int, observation_id: int, invitation_id: int):
    yield "GET", f"/observaties/groepen/{group_id}"
    yield "GET", f"/observaties/{observation_id}"
    yield "GET", f"/observaties/groepen/{group_id}/export.csv"
    yield "GET", f"/observaties/groepen/{group_id}/export.json"
    yield "GET", f"/observaties/groepen/{group_id}/leerlingcodes"
    yield "GET", f"/observaties/groepen/{group_id}/uitnodigen"
    yield "GET", f"/observaties/groepen/{group_id}/eigen-observatie"
    yield "POST", f"/observaties/groepen/{group_id}/leerlingcodes/nieuw"
    yield "POST", f"/observaties/groepen/{group_id}/leerlingcodes/wissen"
    yield "POST", f"/observaties/uitnodigingen/{invitation_id}/intrekken"


@pytest.fixture
def observed(school):
    invitation = queries.find_invitation_by_token(invite(school))
    observation = services.submit_observation(invitation=invitation, data=observation_input(
        general_notes=SENTINEL))
    open_invitation = queries.find_invitation_by_token(invite(school, email="b@example.nl"))
    db.session.commit()
    return school, observation, open_invitation


def test_another_schools_staff_get_404_for_every_object(app, observed, make_school):
    school, observation, invitation = observed
    other = make_school()
    for user in (other.coordinator, other.teacher, other.leader):
        client = signed_in(app, user)
        for method, path in _school_routes(school.group.id, observation.id, invitation.id):
            response = client.open(path, method=method, data={"count": "1", "code": "ABCDE"})
            # The coordinator may use every one of these routes: only the object is foreign.
            expected = (404,) if user.role == Role.COORDINATOR else (403, 404)
            assert response.status_code in expected, (user.role, path, response.status_code)
            assert SENTINEL not in response.get_data(as_text=True)
    assert queries.find_invitation(invitation.id).status.value == "open"
    assert db.session.scalar(select(func.count()).select_from(ObservationAuditEntry)) == 0


@pytest.mark.parametrize("role", [Role.PROVIDER_STAFF, Role.PROFESSIONAL, Role.CURATOR,
                                  Role.GEMEENTE, Role.ADMINISTRATOR, None],
                         ids=lambda r: r.value if r else "anoniem")
def test_nobody_outside_the_school_reads_observations(app, observed, make_user, role):
    school, observation, invitation = observed
    client = new_client(app) if role is None else signed_in(app, make_user(role))
    for method, path in _school_routes(school.group.id, observation.id, invitation.id):
        response = client.open(path, method=method)
        expected = (302,) if role is None else (403,)
        assert response.status_code in expected, (role, path, response.status_code)
        assert SENTINEL not in response.get_data(as_text=True)


def test_the_school_leader_reads_but_does_not_invite(app, observed):
    school, observation, invitation = observed
    leader = signed_in(app, school.leader)
    assert leader.get(f"/observaties/{observation.id}").status_code == 200
    assert leader.get(f"/observaties/groepen/{school.group.id}/uitnodigen").status_code == 403
    assert leader.post(f"/observaties/uitnodigingen/{invitation.id}/intrekken").status_code == 403


def test_curators_see_counts_only(app, observed, make_user, make_organisation):
    from matcher.accounts.roles import OrganisationKind

    school, observation, _ = observed
    region = make_organisation(kind=OrganisationKind.REGION,
                               region=[school.organisation.gemeente])
    curator = signed_in(app, make_user(Role.CURATOR, region))
    html = curator.get("/observaties/regio").get_data(as_text=True)
    assert school.organisation.name in html
    assert SENTINEL not in html and school.group.name not in html
    assert curator.get(f"/observaties/{observation.id}").status_code == 403


def test_a_professional_with_an_account_sees_and_opens_own_open_invitations(
        app, school, make_user, make_organisation):
    professional = make_user(Role.PROFESSIONAL, email="pim@theater.example")
    invite(school, email="PIM@theater.example")
    invite(school, email="iemand-anders@example.nl")
    client = signed_in(app, professional)
    html = client.get("/observaties/mijn-uitnodigingen").get_data(as_text=True)
    assert school.organisation.name in html and html.count("Invullen</button>") == 1
    mine = db.session.scalar(select(ObservationInvitation).where(
        ObservationInvitation.email == "pim@theater.example"))
    theirs = db.session.scalar(select(ObservationInvitation).where(
        ObservationInvitation.email != "pim@theater.example"))
    assert client.post(f"/observaties/mijn-uitnodigingen/{theirs.id}").status_code == 404
    response = client.post(f"/observaties/mijn-uitnodigingen/{mine.id}")
    assert response.headers["Location"].endswith("/observatie/invullen")
    assert client.post("/observatie/invullen", data=form_data()).status_code == 302
    assert client.get(f"/observaties/{mine.id}").status_code == 403


def test_erasure_and_codes_from_the_pages(app, school):
    teacher = signed_in(app, school.teacher)
    teacher.post(f"/observaties/groepen/{school.group.id}/leerlingcodes/nieuw",
                 data={"count": "3"})
    codes = queries.list_pupil_codes(school.group.id)
    assert len(codes) == 3
    coordinator = signed_in(app, school.coordinator)
    response = coordinator.post(f"/observaties/groepen/{school.group.id}/leerlingcodes/wissen",
                                data={"code": codes[0].code}, follow_redirects=True)
    assert "gewist" in response.get_data(as_text=True)
    assert len(queries.list_pupil_codes(school.group.id)) == 2


def test_unknown_links_and_an_empty_session_get_a_dutch_page(client):
    response = client.get("/observatie/" + "x" * 43)
    assert response.status_code == 404 and "onbekend" in response.get_data(as_text=True)
    assert client.get("/observatie/invullen").status_code == 404
    assert client.get("/observatie/ontvangen").status_code == 404


def test_logs_never_contain_tokens_codes_or_text(app, school, caplog):
    caplog.set_level(logging.DEBUG)
    code = services.issue_pupil_codes(group=school.group, count=1, by=school.teacher)[0].code
    db.session.commit()
    teacher = signed_in(app, school.teacher)
    teacher.post(f"/observaties/groepen/{school.group.id}/uitnodigen", data={
        "observer_name": "Tessa", "email": "tessa@theater.example"})
    token = _token_from_mail()
    client, response = _submit(app, token, general_notes=SENTINEL, **{
        "pupil_notes-0-code": code, "pupil_notes-0-note": SENTINEL})
    assert response.status_code == 302
    assert new_client(app).get(f"/observatie/{token}").status_code == 410  # used up
    for path in (f"/observaties/groepen/{school.group.id}",
                 f"/observaties/groepen/{school.group.id}/export.csv",
                 f"/observaties/groepen/{school.group.id}/export.json"):
        assert teacher.get(path).status_code == 200
    for secret in (token, code, SENTINEL, services.queries.find_invitation_by_token(token)
                   .token_hash):
        assert secret not in caplog.text
