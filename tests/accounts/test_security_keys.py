"""Security keys (WebAuthn) as a second factor, with a software authenticator that signs as a
real key would: register, list, remove, log in, and every way an answer can be wrong."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from matcher.accounts import second_factor
from matcher.accounts.models import AccountEvent, SecurityKey
from matcher.accounts.roles import Role
from matcher.db import db
from tests.accounts.conftest import mails_to, signed_in
from tests.accounts.soft_authenticator import SoftAuthenticator, b64url, unb64url
from tests.conftest import TEST_PASSWORD

KEYS = "/account/beveiligingssleutels"


@pytest.fixture
def authenticator(app) -> SoftAuthenticator:
    public = urlsplit(app.config["PUBLIC_URL"])
    return SoftAuthenticator(rp_id=public.hostname, origin=f"{public.scheme}://{public.netloc}")


def _options(client, name="Blauwe sleutel", password=TEST_PASSWORD):
    return client.post(f"{KEYS}/opties", data={"name": name, "password": password})


def _add(client, authenticator, name="Blauwe sleutel", **kwargs):
    options = _options(client, name).get_json()
    return client.post(
        f"{KEYS}/toevoegen",
        data={"name": name, "credential": authenticator.register(options, **kwargs)},
    )


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(
            select(AccountEvent.kind)
            .where(AccountEvent.user_id == user.id)
            .order_by(AccountEvent.id)
        )
    )


def _password_step(client, user):
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert "/inloggen/tweede-stap" in response.headers["Location"]


def _key_login(client, authenticator, **kwargs):
    options = client.post("/inloggen/tweede-stap/sleutel-opties").get_json()
    return client.post(
        "/inloggen/tweede-stap/sleutel",
        data={"credential": authenticator.assert_(options, **kwargs)},
    )


@pytest.fixture
def enrolled(make_user, browser, authenticator):
    """A teacher with the app-based second step and one registered key, signed in."""
    user = make_user(role=Role.TEACHER, second_factor=True)
    client = browser(user)
    assert _add(client, authenticator).status_code == 302
    return user, client


def test_registration_options_need_the_password_and_name_this_site(app, make_user, browser):
    user = make_user(role=Role.TEACHER, second_factor=True)
    client = browser(user)
    refused = _options(client, password="niet-het-goede-wachtwoord")
    assert refused.status_code == 400
    assert refused.get_json()["message"] == "Het wachtwoord klopt niet."
    options = _options(client).get_json()
    assert options["rp"] == {
        "id": urlsplit(app.config["PUBLIC_URL"]).hostname,
        "name": "Cultuurmatch",
    }
    assert options["user"]["name"] == user.email
    # The handle is 32 bytes derived with the secret key, not the database id or address.
    handle = unb64url(options["user"]["id"])
    assert len(handle) == 32 and str(user.id).encode() != handle
    assert user.email.encode() not in handle
    assert options["attestation"] == "none" and len(options["challenge"]) >= 22


def test_a_key_needs_the_app_based_second_step_first(make_user, browser):
    client = browser(make_user(role=Role.TEACHER))
    response = _options(client)
    assert response.status_code == 400
    assert "Zet eerst de tweede stap met een app aan" in response.get_json()["message"]
    assert "Zet eerst" in client.get(KEYS).get_data(as_text=True)


def test_register_list_and_remove_a_key(enrolled, authenticator):
    user, client = enrolled
    key = db.session.scalar(select(SecurityKey).where(SecurityKey.user_id == user.id))
    assert key.name == "Blauwe sleutel" and key.credential_id == b64url(authenticator.credential_id)
    assert "PRIVATE" not in key.public_key  # only the public COSE key is stored
    page = client.get(KEYS).get_data(as_text=True)
    assert "Blauwe sleutel" in page and "toegevoegd" in page
    assert _kinds(user)[-1] == "security-key-added"
    assert mails_to(user.email)[-1].subject == "Beveiligingssleutel gewijzigd"
    wrong = client.post(f"{KEYS}/{key.id}/verwijderen", data={"password": "fout-wachtwoord-x"})
    assert wrong.status_code == 302 and db.session.get(SecurityKey, key.id) is not None
    client.post(f"{KEYS}/{key.id}/verwijderen", data={"password": TEST_PASSWORD})
    db.session.expire_all()
    assert db.session.get(SecurityKey, key.id) is None
    assert _kinds(user)[-1] == "security-key-removed"


def test_someone_elses_key_cannot_be_removed(enrolled, make_user, browser):
    user, _client = enrolled
    key = db.session.scalar(select(SecurityKey).where(SecurityKey.user_id == user.id))
    other = browser(make_user(role=Role.TEACHER, second_factor=True))
    assert (
        other.post(f"{KEYS}/{key.id}/verwijderen", data={"password": TEST_PASSWORD}).status_code
        == 404
    )


@pytest.mark.parametrize("mistake", ["origin", "rp_id", "challenge", "replayed challenge"])
def test_a_registration_with_a_wrong_answer_is_refused(make_user, browser, authenticator, mistake):
    client = browser(make_user(role=Role.TEACHER, second_factor=True))
    options = _options(client).get_json()
    kwargs = {}
    if mistake == "origin":
        kwargs["origin"] = "https://phishing.example"
    elif mistake == "rp_id":
        kwargs["rp_id"] = "phishing.example"
    elif mistake == "challenge":
        options = {**options, "challenge": b64url(b"x" * 32)}
    credential = authenticator.register(options, **kwargs)
    if mistake == "replayed challenge":
        client.post(f"{KEYS}/toevoegen", data={"name": "Eerste", "credential": credential})
        authenticator.credential_id = b"\x01" * 32
        credential = authenticator.register(options)
    response = client.post(f"{KEYS}/toevoegen", data={"name": "Sleutel", "credential": credential})
    assert response.status_code == 400
    assert "De sleutel kon niet worden toegevoegd" in response.get_data(as_text=True)
    expected = 1 if mistake == "replayed challenge" else 0
    assert len(db.session.scalars(select(SecurityKey)).all()) == expected


def test_without_javascript_the_form_explains_what_is_needed(make_user, browser):
    client = browser(make_user(role=Role.TEACHER, second_factor=True))
    html = client.post(
        f"{KEYS}/toevoegen", data={"name": "Sleutel", "password": TEST_PASSWORD}
    ).get_data(as_text=True)
    assert "Voor een beveiligingssleutel is JavaScript nodig" in html


def test_log_in_with_a_key_at_the_second_step(app, enrolled, authenticator):
    user, _client = enrolled
    client = app.test_client()
    _password_step(client, user)
    page = client.get("/inloggen/tweede-stap").get_data(as_text=True)
    assert "Gebruik uw beveiligingssleutel" in page and "/static/js/webauthn.js" in page
    options = client.post("/inloggen/tweede-stap/sleutel-opties").get_json()
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(authenticator.credential_id)]
    response = client.post(
        "/inloggen/tweede-stap/sleutel", data={"credential": authenticator.assert_(options)}
    )
    assert response.status_code == 302 and signed_in(client)
    key = db.session.scalar(select(SecurityKey).where(SecurityKey.user_id == user.id))
    db.session.refresh(key)
    assert key.sign_count == 1 and key.last_used_at is not None
    assert _kinds(user)[-1] == "login"


def test_a_key_does_not_skip_the_password(app, enrolled, authenticator):
    client = app.test_client()
    assert client.post("/inloggen/tweede-stap/sleutel-opties").status_code == 400
    response = client.post("/inloggen/tweede-stap/sleutel", data={"credential": "{}"})
    assert response.headers["Location"].endswith("/inloggen") and not signed_in(client)


@pytest.mark.parametrize(
    "mistake",
    ["origin", "rp_id", "other key", "counter", "replay", "unknown credential", "garbage"],
)
def test_a_wrong_assertion_is_refused_and_counted(app, enrolled, authenticator, mistake):
    user, _client = enrolled
    client = app.test_client()
    _password_step(client, user)
    if mistake == "replay":
        options = client.post("/inloggen/tweede-stap/sleutel-opties").get_json()
        answer = authenticator.assert_(options)
        # A copied answer is worth nothing in another login: its challenge was for that one.
        other = app.test_client()
        _password_step(other, user)
        other.post("/inloggen/tweede-stap/sleutel-opties")
        response = other.post("/inloggen/tweede-stap/sleutel", data={"credential": answer})
        client = other
    elif mistake == "counter":
        assert _key_login(client, authenticator).status_code == 302  # counter now 1
        client = app.test_client()
        _password_step(client, user)
        response = _key_login(client, authenticator, count=1)  # a clone: it did not go up
    elif mistake == "garbage":
        client.post("/inloggen/tweede-stap/sleutel-opties")
        response = client.post("/inloggen/tweede-stap/sleutel", data={"credential": "[1, 2"})
    elif mistake == "unknown credential":
        stranger = SoftAuthenticator(rp_id=authenticator.rp_id, origin=authenticator.origin)
        response = _key_login(client, stranger)
    elif mistake == "other key":
        response = _key_login(client, authenticator, key=ec.generate_private_key(ec.SECP256R1()))
    else:
        kwargs = (
            {"origin": "https://phishing.example"}
            if mistake == "origin"
            else {"rp_id": "phishing.example"}
        )
        response = _key_login(client, authenticator, **kwargs)
    assert response.status_code == 302
    assert "/inloggen/tweede-stap" in response.headers["Location"]
    assert not signed_in(client)
    failed = db.session.scalars(
        select(AccountEvent).where(
            AccountEvent.user_id == user.id, AccountEvent.kind == "second-factor-failed"
        )
    ).all()
    assert failed and failed[-1].detail == "beveiligingssleutel"


def test_key_failures_are_throttled_like_codes(app, enrolled, authenticator):
    user, _client = enrolled
    client = app.test_client()
    _password_step(client, user)
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        _key_login(client, authenticator, origin="https://phishing.example")
    assert _key_login(client, authenticator).status_code == 429


def test_switching_the_app_off_or_an_administrator_wiping_it_removes_the_keys(
    enrolled, make_user, browser
):
    user, _client = enrolled
    admin = browser(make_user(role=Role.ADMINISTRATOR))
    assert admin.post(f"/beheer/gebruikers/{user.id}/tweede-stap-wissen").status_code == 302
    assert db.session.scalars(select(SecurityKey)).all() == []
    db.session.refresh(user)
    assert not second_factor.is_enabled(user)


def test_the_options_are_json_and_the_key_list_holds_no_secret(enrolled):
    _user, client = enrolled
    response = _options(client, "Tweede")
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data(as_text=True))["excludeCredentials"]
