"""The foundation in a real browser: menukaart, login and logout, keyboard use, axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from matcher.accounts.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_menukaart_shows_doelgebieden_figures_and_not_effective(page):
    page.goto("/menukaart/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("menukaart")
    for letter in "ABCDEF":
        expect(page.locator(f"#doelgebied-{letter}")).to_be_visible()
    zomerschool = page.get_by_role("row", name="Zomer- of lentescholen")
    expect(zomerschool).to_contain_text("2 mnd")
    expect(zomerschool).to_contain_text("3 mnd")
    not_effective = page.locator("#niet-effectief")
    expect(not_effective).to_contain_text("Zittenblijven")
    expect(not_effective).to_contain_text("twee tot drie maanden")
    assert_accessible(page)


def test_home_and_login_pages_are_accessible(page):
    page.goto("/")
    assert_accessible(page)
    page.goto("/inloggen")
    assert_accessible(page)


def test_skip_link_reaches_the_main_content_by_keyboard(page):
    page.goto("/menukaart/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#inhoud")


def test_wrong_password_gives_a_dutch_error(page, make_user):
    user = make_user(role=Role.TEACHER)
    sign_in(page, user.email, "helemaal-niet-goed")
    expect(page.get_by_text("Het e-mailadres of wachtwoord klopt niet.")).to_be_visible()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_role_can_log_in_and_out(page, make_user, role):
    user = make_user(role=role)
    sign_in(page, user.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht")
    expect(page.get_by_text(role.label, exact=False).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()
