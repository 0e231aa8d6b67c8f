"""Sign-up and e-mail change without enumeration: the same answer for known and new
addresses, confirmation by mail link, the password again before a change, notices after."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import func, select

from matcher.accounts.models import User
from matcher.db import db
from tests.accounts.conftest import link_in, mails_to, signed_in
from tests.conftest import TEST_PASSWORD


def _sign_up(client, email, organisation="Dansgroep Zuid"):
    return client.post("/aanbieders/aanmelden", data={
        "name": organisation, "kind": "muziekschool", "gemeente": "Utrecht",
        "whole_country": "y", "email": "info@zuid.example.nl", "contact_name": "Zara Zuid",
        "user_name": "Zara Zuid", "user_email": email,
        "password": TEST_PASSWORD, "password_confirm": TEST_PASSWORD})


def _flash_after(client, response) -> str:
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_sign_up_answers_the_same_for_a_known_address(app, make_user):
    known = make_user()
    new_client, known_client = app.test_client(), app.test_client()
    new = _sign_up(new_client, "zara@zuid.example.nl")
    again = _sign_up(known_client, known.email, organisation="Dansgroep Noord")
    assert new.status_code == again.status_code == 302
    assert new.headers["Location"] == again.headers["Location"]
    new_page, known_page = _flash_after(new_client, new), _flash_after(known_client, again)
    assert "wij stuurden een e-mail naar" in new_page and "wij stuurden een e-mail naar" in (
        known_page)
    assert "bestaat al" not in known_page
    assert db.session.scalar(select(func.count(User.id))) == 2  # nothing made for the known
    assert mails_to(known.email)[-1].subject == "U heeft al een account bij Cultuurmatch"


def test_the_sign_up_link_confirms_and_logs_the_provider_in(client):
    _sign_up(client, "zara@zuid.example.nl")
    html = client.post("/inloggen", data={"email": "zara@zuid.example.nl",
                                          "password": TEST_PASSWORD}).get_data(as_text=True)
    assert "Bevestig eerst uw e-mailadres" in html
    path = urlsplit(link_in(mails_to("zara@zuid.example.nl")[-1])).path
    assert client.get(path).status_code == 302
    assert signed_in(client)
    client.post("/uitloggen")
    assert client.get(path).status_code == 404  # single use


def test_an_unconfirmed_account_with_a_wrong_password_looks_like_any_other(client):
    _sign_up(client, "zara@zuid.example.nl")
    html = client.post("/inloggen", data={"email": "zara@zuid.example.nl",
                                          "password": "fout-fout-fout-fout"}
                       ).get_data(as_text=True)
    assert "Het e-mailadres of wachtwoord klopt niet." in html


def _change(client, email, password=TEST_PASSWORD):
    return client.post("/account/e-mailadres", data={"email": email, "password": password})


def test_an_email_change_needs_the_password_and_the_new_addresses_link(
        client, login, make_user):
    user = make_user()
    old = user.email
    login(user)
    html = _change(client, "nieuw@example.nl", "niet-het-wachtwoord").get_data(as_text=True)
    assert "Het wachtwoord klopt niet." in html
    assert _change(client, "nieuw@example.nl").status_code == 302
    db.session.refresh(user)
    assert user.email == old  # not before the link
    assert mails_to(old)[-1].subject == "Nieuw e-mailadres aangevraagd"
    path = urlsplit(link_in(mails_to("nieuw@example.nl")[-1])).path
    assert client.get(path).status_code == 302
    db.session.refresh(user)
    assert user.email == "nieuw@example.nl"
    assert mails_to(old)[-1].subject == "Uw e-mailadres is gewijzigd"
    assert client.get(path).status_code == 404


def test_an_email_change_to_a_taken_address_answers_the_same_and_sends_no_link(
        client, login, make_user):
    other, user = make_user(), make_user()
    login(user)
    response = _change(client, other.email)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Wij stuurden een e-mail met een link" in page
    assert mails_to(other.email) == []


def test_an_email_change_follows_the_one_email_rule(client, login, make_user):
    login(make_user())
    html = _change(client, "iemand@localhost").get_data(as_text=True)
    assert "geldig e-mailadres" in html


def test_a_password_change_is_followed_by_a_notice(client, login, make_user):
    user = make_user()
    login(user)
    client.post("/account", data={"current": TEST_PASSWORD, "new": "rode-kikker-zingt-zacht",
                                  "confirm": "rode-kikker-zingt-zacht"})
    assert mails_to(user.email)[-1].subject == "Uw wachtwoord is gewijzigd"
