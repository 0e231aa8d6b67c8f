"""The show/hide button and the strength meter in a real browser: they work with the
keyboard, speak Dutch through an aria-live region, break no CSP rule and pass axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_the_show_hide_button_works_with_the_keyboard(page):
    page.goto("/inloggen")
    field = page.locator("#password")
    button = page.get_by_role("button", name="Tonen (Wachtwoord)")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-pressed", "false")
    field.fill("geheim-en-lang-genoeg")
    button.focus()
    page.keyboard.press("Enter")
    expect(field).to_have_attribute("type", "text")
    expect(button).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Space")
    expect(field).to_have_attribute("type", "password")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert_accessible(page)


def test_a_shown_password_is_hidden_again_when_the_form_is_sent(page, make_user):
    user = make_user()
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(user.email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Tonen (Wachtwoord)").click()
    expect(page.locator("#password")).to_have_attribute("type", "text")
    page.get_by_role("button", name="Inloggen").last.click()
    page.wait_for_load_state()
    assert "/inloggen" not in page.url


def test_the_strength_meter_gives_dutch_advice_as_one_types(page, make_user):
    user = make_user()
    sign_in(page, user.email, TEST_PASSWORD)
    page.goto("/account")
    field = page.get_by_label("Nieuw wachtwoord", exact=True)
    output = page.locator("#new-strength")
    expect(output).to_have_attribute("aria-live", "polite")
    expect(output).to_be_hidden()
    field.fill("kort")
    expect(output).to_contain_text("Nog 8 teken(s) te gaan")
    field.fill("wachtwoord123")
    expect(output).to_contain_text("veelgebruikt wachtwoord")
    field.fill("abcdefghijklm")
    expect(output).to_contain_text("herhaling of reeks")
    field.fill(user.email.split("@")[0] + "2026!")
    expect(output).to_contain_text("uw naam of e-mailadres")
    field.fill("paarse olifant fietst naar zee")
    expect(output).to_contain_text("Heel sterk.")
    assert page.locator("#new-strength").get_attribute("id") in (
        field.get_attribute("aria-describedby") or ""
    )
    assert_accessible(page)
    field.fill("")
    expect(output).to_be_hidden()


def test_the_sign_up_meter_knows_the_names_typed_in_the_form(page):
    page.goto("/aanbieders/aanmelden")
    page.locator("#user_name").fill("Piet Jansen")
    page.locator("#user_email").fill("piet.jansen@theater.nl")
    page.locator("#password").fill("pietjansen1234")
    expect(page.locator("#password-strength")).to_contain_text("uw naam of e-mailadres")
    page.locator("#password").fill("zeven blauwe fietsen")
    expect(page.locator("#password-strength")).to_contain_text("Sterk")
    assert_accessible(page)
