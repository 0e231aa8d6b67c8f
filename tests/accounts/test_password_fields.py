"""Every form that sets a password has a strength meter (ASVS 2.1.8), and every password field
a show/hide button (ASVS 2.1.12); both come from static/js/password.js, no inline script."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from matcher.accounts.roles import Role
from matcher.security import CONTENT_SECURITY_POLICY
from tests.accounts.conftest import link_in, mails_to


def _strength_fields(html: str) -> list[str]:
    return re.findall(r'<input[^>]*data-strength="([\w-]+)"', html)


def _toggles(html: str) -> list[str]:
    return re.findall(r'<button[^>]*data-password-toggle="([\w-]+)"', html)


def _check(html: str, *, meters: list[str], toggles: list[str]) -> None:
    assert _strength_fields(html) == [f"{name}-strength" for name in meters]
    for name in meters:
        # The live region the meter writes to, described by the input.
        assert re.search(rf'id="{name}-strength" aria-live="polite"', html)
        assert re.search(rf'<input[^>]*aria-describedby="[^"]*{name}-strength', html)
    assert _toggles(html) == toggles
    for name in toggles:
        button = re.search(rf'<button[^>]*data-password-toggle="{name}"[^>]*>', html).group(0)
        assert 'type="button"' in button and 'aria-pressed="false"' in button
        assert f'aria-controls="{name}"' in button and " hidden" in button  # until JS runs
    assert "/static/js/password.js" in html
    assert "onclick" not in html and "<script>" not in html


def test_the_account_page_meters_the_new_password(client, make_user, login):
    user = make_user()
    html = login(user).get("/account").get_data(as_text=True)
    _check(html, meters=["new"], toggles=["current", "new", "confirm"])
    assert f'data-strength-context="{user.name} {user.email}"' in html


def test_the_sign_up_form_meters_the_password(client):
    html = client.get("/aanbieders/aanmelden").get_data(as_text=True)
    _check(html, meters=["password"], toggles=["password", "password_confirm"])


def test_the_reset_and_invitation_page_meters_the_new_password(client, make_user):
    user = make_user()
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    path = urlsplit(link_in(mails_to(user.email)[-1])).path
    html = client.get(path).get_data(as_text=True)
    _check(html, meters=["new"], toggles=["new", "confirm"])
    assert f'data-strength-context="{user.name} {user.email}"' in html


def test_the_administrators_temporary_password_is_metered(make_user, login):
    client = login(make_user(role=Role.ADMINISTRATOR))
    html = client.get("/beheer/gebruikers/nieuw").get_data(as_text=True)
    _check(html, meters=["password"], toggles=["password"])


@pytest.mark.parametrize("path", ["/inloggen"])
def test_the_login_has_a_toggle_but_no_meter(client, path):
    _check(client.get(path).get_data(as_text=True), meters=[], toggles=["password"])


def test_the_meter_texts_are_dutch_and_come_from_the_catalogue(client):
    html = client.get("/aanbieders/aanmelden").get_data(as_text=True)
    assert "Heel sterk." in html and "Nog {n} teken(s) te gaan" in html
    assert "Tonen" in html


def test_the_policy_still_allows_no_inline_script():
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_the_server_still_refuses_what_the_meter_only_advises_against(client, make_user, login):
    login(make_user())
    html = client.post(
        "/account",
        data={
            "current": "een-lang-test-wachtwoord",
            "new": "wachtwoord123",
            "confirm": "wachtwoord123",
        },
    ).get_data(as_text=True)
    assert "veelgebruikte of uitgelekte wachtwoorden" in html
