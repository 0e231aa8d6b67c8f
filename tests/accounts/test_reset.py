"""Wachtwoord vergeten: one mail with a single-use link valid for an hour, stored as a hash,
the same answer for every address, rate-limited, and every session ends after the reset."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from matcher.accounts.models import AccountEvent, AccountToken
from matcher.accounts.passwords import verify_password
from matcher.accounts.roles import Role
from matcher.accounts.sessions import token_hash
from matcher.db import db, utcnow
from tests.accounts.conftest import link_in, mails_to, signed_in

NEW_PASSWORD = "groene-giraffe-leest-hardop"


def _ask(client, email, **kwargs):
    return client.post("/wachtwoord-vergeten", data={"email": email}, **kwargs)


def _reset_path(user) -> str:
    return urlsplit(link_in(mails_to(user.email)[-1])).path


def _choose(client, path, password=NEW_PASSWORD):
    return client.post(path, data={"new": password, "confirm": password})


def test_known_and_unknown_addresses_get_the_same_answer(client, make_user):
    user = make_user()
    known, unknown = _ask(client, user.email), _ask(client, "niemand@example.nl")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    assert "Als er een account met dit e-mailadres is" in known_page
    assert len(mails_to(user.email)) == 1 and mails_to("niemand@example.nl") == []


def test_the_link_sets_a_new_password_once(client, make_user):
    user = make_user()
    _ask(client, user.email)
    path = _reset_path(user)
    assert client.get(path).status_code == 200
    assert _choose(client, path).status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    again = client.get(path)
    assert again.status_code == 404 and "werkt niet meer" in again.get_data(as_text=True)
    assert _choose(client, path, "nog-een-ander-wachtwoord").status_code == 404


def test_only_a_hash_of_the_token_is_stored(client, make_user):
    user = make_user()
    _ask(client, user.email)
    token = _reset_path(user).rsplit("/", 1)[1]
    row = db.session.scalar(select(AccountToken))
    assert row.token_hash == token_hash(token) and token not in row.token_hash


def test_the_link_is_valid_for_an_hour(client, make_user):
    user = make_user()
    _ask(client, user.email)
    row = db.session.scalar(select(AccountToken))
    assert timedelta(minutes=59) < row.expires_at.replace(tzinfo=None) - utcnow().replace(
        tzinfo=None) <= timedelta(minutes=60)
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(_reset_path(user)).status_code == 404


def test_a_new_link_and_a_reset_retire_the_older_links(client, make_user):
    user = make_user()
    _ask(client, user.email)
    first = _reset_path(user)
    _ask(client, user.email)
    second = _reset_path(user)
    _choose(client, second)
    assert client.get(first).status_code == 404


def test_a_reset_ends_every_session(browser, client, make_user):
    user = make_user()
    elsewhere = browser(user)
    _ask(client, user.email)
    _choose(client, _reset_path(user))
    assert not signed_in(elsewhere)
    kinds = {e.kind for e in db.session.scalars(select(AccountEvent))}
    assert {"reset-requested", "password-reset"} <= kinds


def test_a_reset_is_followed_by_a_notice(client, make_user):
    user = make_user()
    _ask(client, user.email)
    _choose(client, _reset_path(user))
    assert mails_to(user.email)[-1].subject == "Uw wachtwoord is gewijzigd"


def test_a_common_password_is_refused_with_advice(client, make_user):
    user = make_user()
    _ask(client, user.email)
    html = _choose(client, _reset_path(user), "Welkom12345!").get_data(as_text=True)
    assert "veelgebruikte of uitgelekte wachtwoorden" in html


def test_reset_requests_are_rate_limited(client, make_user):
    user = make_user()
    codes = [_ask(client, user.email).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert len(mails_to(user.email)) == 3
    # An unknown address is limited the same way, so the limit tells nothing either.
    codes = [_ask(client, "niemand@example.nl").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_the_link_points_at_the_public_url_whatever_the_host_header(app, client, make_user):
    user = make_user()
    _ask(client, user.email, headers={"Host": "evil.example"})
    link = link_in(mails_to(user.email)[-1])
    assert link.startswith(app.config["PUBLIC_URL"]) and "evil.example" not in link


def test_a_blocked_account_gets_no_link(client, make_user):
    user = make_user(active=False)
    _ask(client, user.email)
    assert mails_to(user.email) == []


def test_a_new_user_without_a_temporary_password_chooses_their_own(app, browser, make_user,
                                                                    make_organisation):
    admin = make_user(role=Role.ADMINISTRATOR)
    school = make_organisation(name="OBS De Uitnodiging")
    response = browser(admin).post("/beheer/gebruikers/nieuw", data={
        "name": "Nieuwe Juf", "email": "juf@uitnodiging.nl", "role": "leerkracht",
        "organisation_id": school.id, "password": ""})
    assert response.status_code == 302
    invitation = mails_to("juf@uitnodiging.nl")[-1]
    assert invitation.subject == "Uw account bij Cultuurmatch"
    client = app.test_client()
    assert client.post("/inloggen", data={"email": "juf@uitnodiging.nl",
                                          "password": NEW_PASSWORD}).status_code == 200
    assert _choose(client, urlsplit(link_in(invitation)).path).status_code == 302
    assert client.post("/inloggen", data={"email": "juf@uitnodiging.nl",
                                          "password": NEW_PASSWORD}).status_code == 302
