"""The school path in a real browser, on the demo data: keuzehulp → request → matches →
booking → provider confirms → leader approves → done → evaluation; the schoolprogramma."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from matcher.db import db
from matcher.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

ICC = "icc@oostpoort.demo.cultuurmatch.nl"
TEACHER = "leerkracht@oostpoort.demo.cultuurmatch.nl"
LEADER = "directie@oostpoort.demo.cultuurmatch.nl"
PROVIDER = "educatie@ij.demo.cultuurmatch.nl"


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()


def _as(page: Page, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_from_keuzehulp_to_evaluation(page: Page, demo):
    _as(page, ICC)
    page.goto("/school/keuzehulp")
    assert_accessible(page)
    page.get_by_label("Groep", exact=True).select_option(index=1)
    page.get_by_role("group", name="Kunst en cultuur").get_by_label("Grote achterstand").check()
    page.get_by_role("group", name="Sociaal-emotionele behoeften").get_by_label(
        "Samenwerken").check()
    page.get_by_role("button", name="Toon advies").click()
    expect(page.get_by_role("heading", name="C – Cultuureducatie")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Aanvraag maken voor cultuureducatie").click()
    page.get_by_label("Titel").fill("Theater in groep 5")
    page.get_by_role("group", name="Groepen").get_by_label(re.compile("^5A")).check()
    page.get_by_label("Aantal leerlingen").fill("26")
    page.get_by_role("button", name="Aanvraag opslaan en aanbod tonen").click()
    expect(page.get_by_role("heading", name="Passend aanbod")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Decor en licht boeken").click()

    page.get_by_label("Datum", exact=True).fill((date.today() + timedelta(days=20)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Boeken", exact=True).click()
    expect(page.get_by_text("Wacht op aanbieder", exact=True)).to_be_visible()
    booking_path = re.search(r"/school/boekingen/\d+", page.url).group(0)
    booking_id = booking_path.rsplit("/", 1)[1]

    _as(page, PROVIDER)
    page.goto(f"/voor-aanbieders/boekingen/{booking_id}")
    assert_accessible(page)
    page.get_by_role("button", name="Boeking bevestigen").click()
    expect(page.get_by_text("Wacht op schoolleider", exact=True)).to_be_visible()

    _as(page, LEADER)
    page.goto(booking_path)
    page.get_by_role("button", name="Goedkeuren (budget vastleggen)").click()
    expect(page.get_by_text("Boeking is nu: goedgekeurd.")).to_be_visible()
    page.get_by_role("button", name="Markeren als uitgevoerd").click()
    expect(page.get_by_text("Boeking is nu: uitgevoerd.")).to_be_visible()

    _as(page, TEACHER)
    page.goto(booking_path)
    assert_accessible(page)
    page.get_by_role("button", name="Evaluatie versturen").click()
    expect(page.get_by_text("Kies 1 tot en met 5 sterren.").first).to_be_visible()
    page.get_by_label("4 sterren").check()
    page.get_by_label("Hoe ging het?").fill("Mooi decor, iedereen deed mee.")
    page.get_by_role("button", name="Evaluatie versturen").click()
    expect(page.get_by_text("4 van 5 sterren: Mooi decor, iedereen deed mee.")).to_be_visible()


def test_schoolprogramma_dashboard_and_budget_show_the_demo(page: Page, demo):
    _as(page, LEADER)
    page.goto("/school/")
    expect(page.get_by_role("heading", name="Budgetten")).to_be_visible()
    assert_accessible(page)
    page.goto("/school/budget")
    expect(page.get_by_text("CJP Cultuurkaart").first).to_be_visible()
    assert_accessible(page)
    page.goto("/school/programma")
    expect(page.get_by_role("heading", name="Let op")).to_be_visible()
    expect(page.get_by_text("Zwakke koppeling").first).to_be_visible()
    assert_accessible(page)
    pdf = page.request.get("/school/programma.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    csv = page.request.get("/school/programma.csv")
    assert "Decor en licht" in csv.text()


def test_provider_answers_an_open_request(page: Page, demo):
    _as(page, PROVIDER)
    page.goto("/voor-aanbieders/aanvragen")
    assert_accessible(page)
    page.get_by_role("link", name="Zomerschool theater groep 5 en 6").click()
    page.get_by_label("Uw voorstel").fill("Vakantietheater voor beide groepen.")
    page.get_by_label("Prijs (euro)").fill("2.400,00")
    page.get_by_label("Data").fill("nooit")
    page.get_by_role("button", name="Voorstel versturen").click()
    expect(page.get_by_text("Schrijf data als dd-mm-jjjj").first).to_be_visible()
    assert page.get_by_label("Prijs (euro)").input_value() == "2.400,00"
    assert_accessible(page)
    when = (date.today() + timedelta(days=60)).strftime("%d-%m-%Y")
    page.get_by_label("Data").fill(when)
    page.get_by_role("button", name="Voorstel versturen").click()
    expect(page.get_by_text("Uw voorstel is verstuurd naar de school.")).to_be_visible()
