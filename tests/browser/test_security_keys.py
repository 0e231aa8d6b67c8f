"""A security key in a real browser: Chromium's virtual authenticator (DevTools protocol,
WebAuthn domain) registers a key on the account page and logs in with it at the second step."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from matcher.accounts.models import SecurityKey
from matcher.accounts.roles import Role
from matcher.db import db
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def key_page(app, browser, live_server, monkeypatch):
    """A page on http://localhost:<port> (WebAuthn refuses IP addresses as the site's ID)
    with a virtual USB security key that is always touched."""
    port = urlsplit(live_server).port
    origin = f"http://localhost:{port}"
    monkeypatch.setitem(app.config, "WEBAUTHN_RP_ID", "localhost")
    monkeypatch.setitem(app.config, "WEBAUTHN_ORIGIN", origin)
    context = browser.new_context(base_url=origin, locale="nl-NL")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": False,
                "isUserConsenting": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield page
    context.close()
    assert not problems, problems


def test_register_a_key_and_log_in_with_it(key_page, make_user):
    page = key_page
    user = make_user(role=Role.TEACHER, second_factor=True)
    sign_in(page, user.email, TEST_PASSWORD)
    page.goto("/account/beveiligingssleutels")
    assert_accessible(page)
    page.get_by_label("Naam van de sleutel").fill("Virtuele sleutel")
    page.get_by_label("Uw wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sleutel toevoegen").click()
    expect(page.get_by_text("De sleutel 'Virtuele sleutel' is toegevoegd.")).to_be_visible()
    expect(page.get_by_text("Virtuele sleutel", exact=True)).to_be_visible()
    assert_accessible(page)
    db.session.expire_all()
    assert [k.name for k in db.session.query(SecurityKey).filter_by(user_id=user.id)] == [
        "Virtuele sleutel"
    ]

    page.get_by_role("button", name="Uitloggen").click()
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap")
    assert_accessible(page)
    page.get_by_role("button", name="Gebruik uw beveiligingssleutel").click()
    page.wait_for_url("**/overzicht")
    expect(page.get_by_text(f"Welkom, {user.name}.").first).to_be_visible()
    db.session.expire_all()
    key = db.session.query(SecurityKey).filter_by(user_id=user.id).one()
    assert key.last_used_at is not None
