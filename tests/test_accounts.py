"""Login, logout, passwords, users in one organisation, and the administrator's pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matcher.accounts import services
from matcher.accounts.models import User
from matcher.accounts.passwords import hash_password, verify_password
from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db
from tests.conftest import TEST_PASSWORD


def test_login_and_logout(client, make_user):
    user = make_user(role=Role.COORDINATOR)
    response = client.post("/inloggen", data={"email": user.email.upper(),
                                              "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/overzicht"
    page = client.get("/overzicht").get_data(as_text=True)
    assert "Cultuurcoördinator" in page and user.organisation.name in page
    assert client.post("/uitloggen").status_code == 302
    assert client.get("/overzicht").status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_answer(client, make_user):
    user = make_user()
    wrong = client.post("/inloggen", data={"email": user.email, "password": "x" * 12})
    unknown = client.post("/inloggen", data={"email": "niemand@example.nl", "password": "x" * 12})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Het e-mailadres of wachtwoord klopt niet." in response.get_data(as_text=True)


def test_a_blocked_user_cannot_log_in(client, make_user):
    user = make_user(active=False)
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200


def test_empty_login_form_says_which_fields(client):
    html = client.post("/inloggen", data={}).get_data(as_text=True)
    assert html.count("Dit veld is verplicht.") >= 2


def test_passwords_are_hashed_with_argon2id(app):
    hashed = hash_password(TEST_PASSWORD)
    assert hashed.startswith("$hmac-") and "$argon2id$" in hashed
    assert verify_password(hashed, TEST_PASSWORD)
    assert not verify_password(hashed, "iets-anders-lang")
    assert not verify_password(None, TEST_PASSWORD)


def test_change_password(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post("/account", data={"current": TEST_PASSWORD,
                                             "new": "nieuw-wachtwoord-123",
                                             "confirm": "nieuw-wachtwoord-123"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, "nieuw-wachtwoord-123")


def test_change_password_with_wrong_current_password(client, make_user, login):
    login(make_user())
    html = client.post("/account", data={"current": "niet-het-goede", "new": "nieuw-wachtwoord-123",
                                         "confirm": "nieuw-wachtwoord-123"}).get_data(as_text=True)
    assert "Het huidige wachtwoord klopt niet." in html


def test_short_password_is_refused(make_organisation):
    with pytest.raises(services.AccountError, match="minstens 12 tekens"):
        services.create_user(email="a@example.nl", name="A", role=Role.TEACHER,
                             organisation=make_organisation(), password="kort")


def test_role_must_fit_the_organisation(make_organisation):
    provider = make_organisation(kind=OrganisationKind.PROVIDER)
    with pytest.raises(services.AccountError, match="hoort bij een organisatie"):
        services.create_user(email="b@example.nl", name="B", role=Role.TEACHER,
                             organisation=provider, password=TEST_PASSWORD)


def test_email_is_unique_whatever_the_case(make_user, make_organisation):
    make_user(email="dubbel@example.nl")
    with pytest.raises(services.AccountError, match="bestaat al"):
        services.create_user(email="Dubbel@Example.nl", name="C", role=Role.TEACHER,
                             organisation=make_organisation(), password=TEST_PASSWORD)


def test_administrator_creates_and_blocks_a_user(client, make_user, make_organisation, login):
    admin = make_user(role=Role.ADMINISTRATOR)
    school = make_organisation(name="OBS Het Anker")
    login(admin)
    response = client.post("/beheer/gebruikers/nieuw", data={
        "name": "Nieuwe Leerkracht", "email": "nieuw@anker.nl", "role": "leerkracht",
        "organisation_id": school.id, "password": TEST_PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nieuw@anker.nl"))
    assert user.organisation_id == school.id
    client.post(f"/beheer/gebruikers/{user.id}/actief")
    db.session.refresh(user)
    assert not user.active
    assert "OBS Het Anker" in client.get("/beheer/gebruikers").get_data(as_text=True)


def test_administrator_cannot_block_themselves(client, make_user, login):
    admin = make_user(role=Role.ADMINISTRATOR)
    login(admin)
    client.post(f"/beheer/gebruikers/{admin.id}/actief")
    db.session.refresh(admin)
    assert admin.active


def test_unknown_user_gives_404(client, make_user, login):
    login(make_user(role=Role.ADMINISTRATOR))
    assert client.post("/beheer/gebruikers/999999/actief").status_code == 404


def test_wrong_role_for_organisation_in_admin_form_shows_dutch_error(
        client, make_user, make_organisation, login):
    login(make_user(role=Role.ADMINISTRATOR))
    provider = make_organisation(kind=OrganisationKind.PROVIDER, name="Theater X")
    html = client.post("/beheer/gebruikers/nieuw", data={
        "name": "X", "email": "x@x.nl", "role": "leerkracht", "organisation_id": provider.id,
        "password": TEST_PASSWORD}).get_data(as_text=True)
    assert "hoort bij een organisatie" in html
