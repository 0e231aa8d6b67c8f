"""ASVS 2.3.1: an administrator's "tijdelijk wachtwoord" expires, and is replaced at once.

A password someone else chose logs in only to /account/eigen-wachtwoord, and only for
TEMPORARY_PASSWORD_HOURS; the access hook holds every other request there. An expired one
is answered like a wrong password, and the administrator can send a new invitation.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from matcher.accounts import services
from matcher.accounts.models import AccountEvent, LoginThrottle, User
from matcher.accounts.passwords import verify_password
from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db, utcnow
from tests.accounts.conftest import link_in, mails_to

TEMPORARY = "tijdelijk-paars-fietsbel-anker"
OWN = "mijn-eigen-zonnige-kapstok-42"
CHOOSE = "/account/eigen-wachtwoord"


@pytest.fixture
def admin(make_user, login, client):
    admin = make_user(role=Role.ADMINISTRATOR)
    login(admin)
    return admin


def _create(client, organisation, email="nieuw@anker.nl", password=TEMPORARY,
            role="leerkracht"):
    response = client.post("/beheer/gebruikers/nieuw", data={
        "name": "Nieuwe Collega", "email": email, "role": role,
        "organisation_id": organisation.id, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def temporary_user(make_organisation):
    """A teacher whose account an administrator made with a temporary password."""
    user = services.create_user(email="tijdelijk@anker.nl", name="Tijs Tijdelijk",
                                role=Role.TEACHER, organisation=make_organisation(),
                                password=TEMPORARY, temporary=True)
    db.session.commit()
    return user


def _log_in(client, email, password=TEMPORARY):
    return client.post("/inloggen", data={"email": email, "password": password})


def _expire(user):
    user.temporary_password_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


# ------------------------------------------------------------------------- creation


def test_admin_chosen_password_is_temporary_and_expires_after_the_configured_hours(
        app, client, admin, make_organisation, monkeypatch):
    monkeypatch.setitem(app.config, "TEMPORARY_PASSWORD_HOURS", 24)
    before = utcnow()
    user = _create(client, make_organisation())
    assert user.must_change_password
    expires = user.temporary_password_expires_at
    expires = expires if expires.tzinfo else expires.replace(tzinfo=before.tzinfo)
    assert before + timedelta(hours=24) <= expires <= utcnow() + timedelta(hours=24)
    event = db.session.scalar(select(AccountEvent).where(AccountEvent.kind == "user-created",
                                                         AccountEvent.user_id == user.id))
    assert "tijdelijk wachtwoord" in event.detail


def test_the_default_lifetime_is_72_hours(app):
    assert app.config["TEMPORARY_PASSWORD_HOURS"] == 72


def test_the_form_says_how_long_a_temporary_password_works(app, client, admin, monkeypatch):
    monkeypatch.setitem(app.config, "TEMPORARY_PASSWORD_HOURS", 12)
    assert "12 uur" in client.get("/beheer/gebruikers/nieuw").get_data(as_text=True)


def test_without_a_password_the_user_is_invited_and_nothing_is_temporary(
        client, admin, make_organisation):
    user = _create(client, make_organisation(), password="")
    assert user.password_hash is None and not user.must_change_password
    assert user.temporary_password_expires_at is None
    assert "/wachtwoord-herstellen/" in mails_to(user.email)[-1].body


def test_passwords_of_the_cli_demo_and_sign_up_are_not_temporary(make_organisation):
    user = services.create_user(email="cli@anker.nl", name="C", role=Role.TEACHER,
                                organisation=make_organisation(), password=TEMPORARY)
    assert not user.must_change_password and user.temporary_password_expires_at is None


# ------------------------------------------------------------- held at the choice page


def test_a_temporary_password_logs_in_to_the_choice_page_only(app, temporary_user):
    client = app.test_client()
    response = _log_in(client, temporary_user.email)
    assert response.status_code == 302
    response = client.get(response.headers["Location"])
    assert response.status_code == 302 and response.headers["Location"] == CHOOSE
    for path in ("/overzicht", "/account", "/account/sessies", "/account/tweede-stap", "/",
                 "/menukaart/", "/aanbod", "/account/e-mailadres"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == CHOOSE, path
    page = client.get(CHOOSE)
    assert page.status_code == 200
    assert "Kies uw eigen wachtwoord" in page.get_data(as_text=True)
    assert client.get("/static/css/app.css").status_code == 200


def test_the_api_answers_403_while_the_password_is_temporary(app, temporary_user):
    client = app.test_client()
    _log_in(client, temporary_user.email)
    response = client.get("/api/v1/activities")
    assert response.status_code == 403
    assert response.get_json()["error"] == "wachtwoord-kiezen"


def test_logout_still_works_while_held(app, temporary_user):
    client = app.test_client()
    _log_in(client, temporary_user.email)
    assert client.post("/uitloggen").status_code == 302
    response = client.get(CHOOSE)
    assert "/inloggen" in response.headers["Location"]


def test_the_choice_page_without_a_temporary_password_goes_to_the_account_page(
        client, make_user, login):
    login(make_user())
    response = client.get(CHOOSE)
    assert response.status_code == 302 and response.headers["Location"] == "/account"


# ------------------------------------------------------------------- the choice itself


def _choose(client, current=TEMPORARY, new=OWN, confirm=None):
    return client.post(CHOOSE, data={"current": current, "new": new,
                                     "confirm": new if confirm is None else confirm})


@pytest.mark.parametrize(("current", "new", "confirm", "message"), [
    ("verkeerd-tijdelijk-wachtwoord", OWN, None, "Het tijdelijke wachtwoord klopt niet."),
    (TEMPORARY, TEMPORARY, None, "Kies een ander wachtwoord dan het tijdelijke."),
    (TEMPORARY, "welkom123456", None, "veelgebruikte of uitgelekte wachtwoorden"),
    (TEMPORARY, "Password1234!", None, "veelgebruikte of uitgelekte wachtwoorden"),
    (TEMPORARY, "kort", None, "Kies een wachtwoord van"),
    (TEMPORARY, "tijs-tijdelijk", None, "uw naam of e-mailadres"),
    (TEMPORARY, OWN, "iets-anders-dan-het-nieuwe", "De twee wachtwoorden zijn niet gelijk."),
])
def test_the_new_password_follows_every_rule(app, temporary_user, current, new, confirm,
                                             message):
    client = app.test_client()
    _log_in(client, temporary_user.email)
    response = _choose(client, current, new, confirm)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(temporary_user)
    assert temporary_user.must_change_password
    assert verify_password(temporary_user.password_hash, TEMPORARY)
    assert client.get("/overzicht").headers["Location"] == CHOOSE


def test_choosing_an_own_password_opens_the_site_and_ends_the_temporary_one(
        app, temporary_user):
    other = app.test_client()
    _log_in(other, temporary_user.email)
    client = app.test_client()
    _log_in(client, temporary_user.email)
    response = _choose(client)
    assert response.status_code == 302 and response.headers["Location"] == "/overzicht"
    assert client.get("/overzicht").status_code == 200
    assert client.get("/account").status_code == 200
    db.session.refresh(temporary_user)
    assert not temporary_user.must_change_password
    assert temporary_user.temporary_password_expires_at is None
    assert verify_password(temporary_user.password_hash, OWN)
    # The other browser signed in with the temporary password is out.
    assert "/inloggen" in other.get("/overzicht").headers["Location"]
    assert "Uw wachtwoord is gewijzigd" in mails_to(temporary_user.email)[-1].subject
    fresh = app.test_client()
    assert "klopt niet" in _log_in(fresh, temporary_user.email).get_data(as_text=True)
    assert _log_in(fresh, temporary_user.email, OWN).status_code == 302
    assert fresh.get("/overzicht").status_code == 200


def test_a_curator_chooses_the_password_first_then_enrols_a_second_factor(
        app, make_organisation):
    curator = services.create_user(
        email="curator@regio.nl", name="Cora Curator", role=Role.CURATOR,
        organisation=make_organisation(kind=OrganisationKind.REGION), password=TEMPORARY,
        temporary=True)
    db.session.commit()
    client = app.test_client()
    _log_in(client, curator.email)
    assert client.get("/overzicht").headers["Location"] == CHOOSE
    assert client.get("/account/tweede-stap").headers["Location"] == CHOOSE
    assert client.get(CHOOSE).status_code == 200
    _choose(client)
    assert client.get("/overzicht").headers["Location"] == "/account/tweede-stap"


def test_a_reset_link_also_replaces_the_temporary_password(app, temporary_user):
    client = app.test_client()
    client.post("/wachtwoord-vergeten", data={"email": temporary_user.email})
    link = link_in(mails_to(temporary_user.email)[-1])
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post(f"/{path}", data={"new": OWN, "confirm": OWN})
    assert response.status_code == 302
    db.session.refresh(temporary_user)
    assert not temporary_user.must_change_password
    assert temporary_user.temporary_password_expires_at is None


# ------------------------------------------------------------------------- expiry


def test_an_expired_temporary_password_gets_the_wrong_password_answer(
        app, temporary_user, make_user):
    _expire(temporary_user)
    expired = _log_in(app.test_client(), temporary_user.email)
    wrong = _log_in(app.test_client(), make_user().email, "verkeerd-maar-lang-genoeg")
    unknown = _log_in(app.test_client(), "niemand@anker.nl")
    for response in (expired, wrong, unknown):
        assert response.status_code == 200
        assert services.WRONG_CREDENTIALS in response.get_data(as_text=True)
    assert expired.get_data(as_text=True).count("verlopen") == \
        wrong.get_data(as_text=True).count("verlopen")
    # Counted as a failure, and the administrator can see why in the audit trail.
    assert db.session.scalar(select(func.count(LoginThrottle.id)).where(
        LoginThrottle.key.contains(temporary_user.email), LoginThrottle.failures > 0))
    kinds = set(db.session.scalars(select(AccountEvent.kind).where(
        AccountEvent.user_id == temporary_user.id)))
    assert {"login-failed", "temporary-password-expired"} <= kinds
    db.session.refresh(temporary_user)
    assert temporary_user.last_login_at is None


def test_a_password_that_expires_while_signed_in_cannot_be_replaced(app, temporary_user):
    client = app.test_client()
    _log_in(client, temporary_user.email)
    _expire(temporary_user)
    response = _choose(client)
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"
    assert "/inloggen" in client.get("/overzicht").headers["Location"]
    db.session.refresh(temporary_user)
    assert temporary_user.must_change_password
    assert verify_password(temporary_user.password_hash, TEMPORARY)


def test_the_users_list_shows_the_state_and_offers_a_new_invitation(
        client, admin, temporary_user, make_user):
    own = make_user()
    html = client.get("/beheer/gebruikers").get_data(as_text=True)
    assert "tijdelijk wachtwoord, nog niet vervangen" in html
    assert f"/beheer/gebruikers/{temporary_user.id}/uitnodigen" in html
    assert f"/beheer/gebruikers/{own.id}/uitnodigen" not in html
    _expire(temporary_user)
    assert "tijdelijk wachtwoord verlopen" in client.get("/beheer/gebruikers").get_data(
        as_text=True)


# --------------------------------------------------------------- a new invitation


def test_admin_sends_a_new_invitation_after_expiry(app, client, admin, temporary_user):
    _expire(temporary_user)
    response = client.post(f"/beheer/gebruikers/{temporary_user.id}/uitnodigen")
    assert response.status_code == 302
    db.session.refresh(temporary_user)
    assert temporary_user.password_hash is None
    assert not temporary_user.must_change_password
    message = mails_to(temporary_user.email)[-1]
    assert message.subject == "Uw account bij Cultuurmatch"
    path = link_in(message).split("://", 1)[1].split("/", 1)[1]
    user_browser = app.test_client()
    assert user_browser.post(f"/{path}", data={"new": OWN, "confirm": OWN}).status_code == 302
    assert _log_in(user_browser, temporary_user.email, OWN).status_code == 302
    assert user_browser.get("/overzicht").status_code == 200
    events = set(db.session.scalars(select(AccountEvent.kind).where(
        AccountEvent.user_id == temporary_user.id)))
    assert "invitation-sent" in events


def test_a_new_invitation_voids_a_temporary_password_still_in_force(
        app, client, admin, temporary_user):
    held = app.test_client()
    _log_in(held, temporary_user.email)
    client.post(f"/beheer/gebruikers/{temporary_user.id}/uitnodigen")
    assert "/inloggen" in held.get(CHOOSE).headers["Location"]
    response = _log_in(app.test_client(), temporary_user.email)
    assert services.WRONG_CREDENTIALS in response.get_data(as_text=True)


def test_a_new_invitation_replaces_no_password_of_the_users_own(client, admin, make_user):
    user = make_user()
    before = user.password_hash
    client.post(f"/beheer/gebruikers/{user.id}/uitnodigen")
    db.session.refresh(user)
    assert user.password_hash == before
    assert not mails_to(user.email)
    assert "heeft al een eigen wachtwoord" in client.get("/beheer/gebruikers").get_data(
        as_text=True)


def test_a_new_invitation_needs_a_recent_confirmation(app, client, admin, temporary_user,
                                                      monkeypatch):
    monkeypatch.setitem(app.config, "REAUTH_MINUTES", -1)
    response = client.post(f"/beheer/gebruikers/{temporary_user.id}/uitnodigen")
    assert "/beheer/bevestigen" in response.headers["Location"]
    assert not mails_to(temporary_user.email)


def test_only_an_administrator_sends_invitations(client, make_user, login, temporary_user):
    login(make_user(role=Role.COORDINATOR))
    assert client.post(f"/beheer/gebruikers/{temporary_user.id}/uitnodigen").status_code == 403
