"""Account pages in a real browser: second-factor enrolment with its QR code, the second
login step, sessions and "wachtwoord vergeten", each checked with axe-core."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from matcher.accounts.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_forgot_password_page_is_accessible_and_answers_for_any_address(page):
    page.goto("/inloggen")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill("niemand@example.nl")
    page.get_by_role("button", name="Stuur mij een link").click()
    expect(page.get_by_text("Als er een account met dit e-mailadres is")).to_be_visible()


def test_an_administrator_enrols_at_the_first_login(page, make_user):
    admin = make_user(role=Role.ADMINISTRATOR, second_factor=False)
    sign_in(page, admin.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap bij het inloggen")
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Uw wachtwoord").fill(TEST_PASSWORD)
    page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Tweede stap aanzetten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("De tweede stap staat aan")
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)


def test_second_step_and_sessions_pages_are_accessible(page, make_user):
    curator = make_user(role=Role.CURATOR)
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(curator.email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap")
    assert_accessible(page)
    sign_in(page, curator.email, TEST_PASSWORD)
    page.goto("/account/sessies")
    expect(page.get_by_text("deze sessie")).to_be_visible()
    assert_accessible(page)
