"""Catalogue search and the match form in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.catalogue.conftest import sample_offers, team_offers  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_search_with_a_typo_and_a_facet(page, sample_offers):  # noqa: F811
    page.goto("/aanbod")
    expect(page.get_by_role("heading", name="Kunst- en cultuuraanbod")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Zoeken").fill("vakantieteater")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name="Vakantietheater")).to_be_visible()
    page.get_by_role("link", name="Vakantietheater").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vakantietheater")
    assert_accessible(page)


def test_match_form_by_keyboard_and_mouse(page, sample_offers):  # noqa: F811
    page.goto("/matchen")
    assert_accessible(page)
    page.get_by_label("Zomer- of lentescholen").check()
    page.get_by_label("Onderwijssoort").select_option("po")
    page.get_by_label("Gemeente van de school").fill("Amsterdam")
    page.get_by_role("group", name="Groepen of leerjaren").get_by_label("5", exact=True).check()
    page.get_by_role("group", name="Groepen of leerjaren").get_by_label("6", exact=True).check()
    page.get_by_label("Aantal leerlingen").fill("25")
    page.get_by_label("Zomervakantie").check()
    page.get_by_label("Budget in euro").fill("2000")
    page.get_by_label("Wensen in uw eigen woorden").fill("toneel, samen spelen")
    page.get_by_role("button", name="Toon passende activiteiten").click()
    results = page.locator(".matches")
    expect(results.get_by_role("link").first).to_have_text("Vakantietheater")
    expect(results).to_contain_text("kosten voor uw school")
    assert_accessible(page)


def test_match_form_errors_are_announced(page):
    page.goto("/matchen?sector=po&gemeente=Utrecht")
    expect(page.get_by_role("alert")).to_contain_text("Kies minstens één interventie.")
    assert_accessible(page)


def test_match_form_for_the_team(page, team_offers):  # noqa: F811
    page.goto("/matchen")
    page.get_by_role("group", name="Voor wie zoekt u?").get_by_label("Het team (scholing)").check()
    page.get_by_label("Interventies gericht op welbevinden", exact=False).check()
    page.get_by_label("Onderwijssoort").select_option("po")
    page.get_by_label("Gemeente van de school").fill("Amsterdam")
    page.get_by_role("group", name="Groepen of leerjaren").get_by_label("5", exact=True).check()
    page.get_by_label("Aantal leerlingen").fill("12")
    page.get_by_role("button", name="Toon passende activiteiten").click()
    results = page.locator(".matches")
    expect(results.get_by_role("heading", level=2)).to_contain_text("voor het team")
    expect(results).to_contain_text("Voor het team: scholing voor leerkrachten")
    expect(results.get_by_role("link", name="Teamscholing drama in de klas")).to_be_visible()
    expect(results.get_by_role("link", name="Vakantietheater")).to_have_count(0)
    expect(page.get_by_label("Aantal deelnemers")).to_have_value("12")
    assert_accessible(page)
