"""Providers and curators in a real browser: create and submit, review and approve, axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db
from providers import services
from providers.models import Activity, ActivityStatus, Provider
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import TEST_PASSWORD
from tests.providers.conftest import activity_fields

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(make_organisation) -> Provider:
    organisation = make_organisation(kind=OrganisationKind.PROVIDER, name="Theater Test")
    found = Provider(key="theater-test", organisation=organisation, name="Theater Test",
                     kind="jeugdtheater", gemeente="Amsterdam", serves=["Amsterdam"],
                     email="info@test.example.nl", approved=True)
    db.session.add(found)
    db.session.commit()
    return found


def test_provider_creates_and_submits_an_activity(page, make_user, provider):
    staff = make_user(role=Role.PROVIDER_STAFF, organisation=provider.organisation)
    sign_in(page, staff.email, TEST_PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn aanbod").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe activiteit").click()
    page.get_by_role("group", name="Disciplines").get_by_label("Theater").check()
    page.get_by_label("Vorm").select_option("lessenreeks")
    po = page.get_by_role("group", name="Primair onderwijs (po)")
    po.get_by_label("Groep 5", exact=True).check()
    po.get_by_label("Groep 6", exact=True).check()
    page.get_by_label("Minimaal aantal leerlingen per groep").fill("10")
    page.get_by_label("Maximaal aantal leerlingen per groep").fill("28")
    page.get_by_label("Aantal bijeenkomsten").fill("5")
    page.get_by_label("Minuten per bijeenkomst").fill("90")
    page.get_by_role("group", name="Wanneer kan het plaatsvinden?").get_by_label(
        "Zomervakantie").check()
    page.get_by_label("Titel").fill("Zomertheaterweek")
    page.get_by_label("Beschrijving").fill(
        "Vijf ochtenden in de zomervakantie theater maken en een voorstelling spelen: "
        "een zomerschool vol samenwerken.")
    # providers.js asks for suggestions while typing; a zomerschool in the summer holiday
    # holds, so it is suggested: confirm it.
    suggestion = page.locator("#suggestie-zomerschool")
    expect(suggestion).to_be_visible(timeout=5000)
    suggestion.check()
    page.get_by_label("Op locatie", exact=True).check()
    page.get_by_label("Prijs in euro").fill("1250")
    page.get_by_label("per groep", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("is opgeslagen als concept")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Indienen ter beoordeling").click()
    expect(page.get_by_text("is ingediend")).to_be_visible()
    expect(page.get_by_text("Wacht op beoordeling").first).to_be_visible()
    activity = db.session.scalar(select(Activity))
    db.session.refresh(activity)
    assert activity.status == ActivityStatus.SUBMITTED
    assert activity.interventions == ["zomerschool"]


def test_form_errors_are_summarised(page, make_user, provider):
    staff = make_user(role=Role.PROVIDER_STAFF, organisation=provider.organisation)
    sign_in(page, staff.email, TEST_PASSWORD)
    page.goto("/aanbieder/activiteiten/nieuw")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
    assert_accessible(page)


def test_curator_reviews_and_approves(page, make_user, make_organisation, provider):
    first = services.create_activity(provider=provider, fields=activity_fields(), by=None,
                                     status=ActivityStatus.SUBMITTED)
    services.create_activity(provider=provider, by=None, status=ActivityStatus.SUBMITTED,
                             fields=activity_fields(title="Dansen en durven",
                                                    disciplines=["dans"]))
    region = make_organisation(kind=OrganisationKind.REGION, region=["Amsterdam"])
    db.session.commit()
    curator = make_user(role=Role.CURATOR, organisation=region)
    sign_in(page, curator.email, TEST_PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Beoordelen").click()
    expect(page.get_by_role("link", name="Zomertheaterweek")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Zomertheaterweek").click()
    expect(page.get_by_role("columnheader", name="Afgeleid uit de tekst")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Zomer- of lentescholen").get_by_label("Bevestigen").check()
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("is goedgekeurd")).to_be_visible()
    # The other one through the bulk approval.
    page.get_by_label("Kies Dansen en durven").check()
    page.get_by_role("button", name="Gekozen activiteiten goedkeuren").click()
    expect(page.get_by_text("1 activiteit goedgekeurd")).to_be_visible()
    assert_accessible(page)
    db.session.expire_all()
    assert {a.status for a in db.session.scalars(select(Activity))} == {ActivityStatus.APPROVED}
    assert db.session.get(Activity, first.id).verified_interventions == ["zomerschool"]


def test_sign_up_and_import_pages_are_accessible(page, make_user, provider):
    page.goto("/aanbieders/aanmelden")
    assert_accessible(page)
    staff = make_user(role=Role.PROVIDER_STAFF, organisation=provider.organisation)
    sign_in(page, staff.email, TEST_PASSWORD)
    page.goto("/aanbieder/importeren")
    assert_accessible(page)


def test_curator_confirms_who_takes_part_in_one_click(page, make_user, make_organisation,
                                                      provider):
    activity = services.create_activity(
        provider=provider, by=None, status=ActivityStatus.SUBMITTED,
        fields=activity_fields(title="Teamscholing zingen in de klas",
                               description="Een studiedag voor leerkrachten: u leert hoe u "
                                           "elke dag met uw groep zingt."))
    region = make_organisation(kind=OrganisationKind.REGION, region=["Amsterdam"])
    db.session.commit()
    curator = make_user(role=Role.CURATOR, organisation=region)
    sign_in(page, curator.email, TEST_PASSWORD)
    page.goto(f"/curator/activiteiten/{activity.id}")
    section = page.get_by_role("region", name="Voor wie")
    expect(section).to_contain_text("Gelezen uit de tekst: die noemt")
    assert_accessible(page)
    section.get_by_role("button", name="Bevestigen: Het team: scholing voor leerkrachten").click()
    expect(page.get_by_text("Vastgelegd")).to_be_visible()
    expect(page.get_by_role("region", name="Voor wie")).to_contain_text(
        "Bevestigd door de curator")
    assert_accessible(page)
    db.session.expire_all()
    found = db.session.get(Activity, activity.id)
    assert (found.participants, found.participants_source.value) == ("team", "curator")


def test_curator_decides_doubtful_links_in_one_click(app, page, make_user, make_organisation,
                                                     provider):
    # A zomerschool in school time (the claim does not count) and a choir nobody linked.
    wrong = services.create_activity(
        provider=provider, by=None, status=ActivityStatus.APPROVED,
        fields=activity_fields(title="Theatermiddag", periods=["schooltijd"]))
    services.create_activity(
        provider=provider, by=None, status=ActivityStatus.APPROVED,
        fields=activity_fields(title="Kinderkoor na schooltijd", interventions=[],
                               description="Elke week zingen we samen na schooltijd.",
                               periods=["naschools"], sessions=10, disciplines=["muziek"]))
    region = make_organisation(kind=OrganisationKind.REGION, region=["Amsterdam"])
    db.session.commit()
    app.extensions["catalogue_cache"].clear()
    curator = make_user(role=Role.CURATOR, organisation=region)
    sign_in(page, curator.email, TEST_PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Twijfelachtige koppelingen").click()
    expect(page.get_by_role("heading", name="2 koppelingen om te beoordelen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Soort").select_option(label="Claims die niet kloppen")
    page.get_by_role("button", name="Filteren").click()
    row = page.get_by_role("row").filter(has_text="Theatermiddag")
    expect(row).to_contain_text("Claim die niet klopt")
    expect(row).to_contain_text("voorjaarsvakantie")
    expect(page.get_by_role("link", name="Kinderkoor na schooltijd")).to_have_count(0)
    assert_accessible(page)
    row.get_by_role("button", name="Koppeling bevestigen").click()
    expect(page.get_by_text("Koppeling bevestigd: 'Theatermiddag' vult")).to_be_visible()
    expect(page.get_by_text("Geen twijfelachtige koppelingen met dit filter")).to_be_visible()
    expect(page.get_by_label("Soort")).to_have_value("claim")
    assert_accessible(page)
    db.session.expire_all()
    assert db.session.get(Activity, wrong.id).verified_interventions == ["zomerschool"]
