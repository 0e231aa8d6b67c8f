"""The whole loop in Chromium: invite, observe on a phone, the scan with charts, axe-core."""

from __future__ import annotations

import logging
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matcher.db import db
from matcher.mail import OutboxMessage
from matcher.reference.dimensions import load_dimensions
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_invite_observe_on_a_phone_and_read_the_scan(page, browser, live_server, school,
                                                      caplog):
    caplog.set_level(logging.INFO)
    sign_in(page, school.teacher.email, TEST_PASSWORD)
    page.get_by_role("link", name="Observaties").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=school.group.name).click()
    page.get_by_role("link", name="Professional uitnodigen").click()
    page.get_by_label("Naam van de professional").fill("Tessa Theatermaker")
    page.get_by_label("E-mailadres van de professional").fill("tessa@theater.example")
    assert_accessible(page)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("De uitnodiging is verstuurd")).to_be_visible()
    body = db.session.scalar(select(OutboxMessage.body))
    link = re.search(r"https?://\S+/observatie/[\w-]+", body).group(0)

    phone = browser.new_context(base_url=live_server, locale="nl-NL", **PHONE)
    errors: list[str] = []
    observer = phone.new_page()
    observer.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    observer.goto(link)
    assert observer.url.endswith("/observatie/invullen")  # the token left the address bar
    expect(observer.get_by_role("heading", level=1)).to_contain_text("Observatie voor")
    assert_accessible(observer)
    assert _fits_the_screen(observer)
    # Submitting without scores shows the error summary, focused.
    observer.get_by_role("button", name="Observatie versturen").click()
    expect(observer.locator("#form-errors")).to_be_focused()
    assert_accessible(observer)
    for index, dimension in enumerate(load_dimensions().dimensions):
        choice = "2: enkelen" if index < 2 else "4: de meesten"
        observer.get_by_role("group", name=dimension.name).get_by_label(choice).check()
    observer.get_by_label("Algemene notities over de groep").fill(
        "De groep speelde geconcentreerd en hielp elkaar bij het opbouwen.")
    observer.get_by_role("button", name="Observatie versturen").click()
    expect(observer.get_by_role("heading", level=1)).to_contain_text("ontvangen")
    expect(observer.get_by_text("Ontvangstnummer", exact=True)).to_be_visible()
    assert_accessible(observer)
    assert _fits_the_screen(observer)
    observer.goto(link)
    expect(observer.get_by_text("al gebruikt")).to_be_visible()
    phone.close()
    # The 410 of the spent link is the only error; a CSP violation would show up here too.
    assert errors == ["Failed to load resource: the server responded with a status of 410 (GONE)"]

    page.goto(f"/observaties/groepen/{school.group.id}")
    expect(page.locator("svg[role=img]")).to_have_count(len(load_dimensions().dimensions))
    expect(page.get_by_role("link", name="Zoek activiteiten die hieraan werken")).to_have_attribute(
        "href", "/matchen?competences=welbevinden&competences=betrokkenheid")
    assert_accessible(page)
    export = page.request.get(f"/observaties/groepen/{school.group.id}/export.csv")
    assert export.ok and "welbevinden;2;enkelen" in export.text()
    # The server's request log saw the link twice, and never kept the token.
    token = link.rsplit("/", 1)[1]
    assert caplog.text.count("/observatie/[verborgen]") == 2 and token not in caplog.text


def test_the_teachers_own_observation_form_is_accessible(page, school):
    sign_in(page, school.teacher.email, TEST_PASSWORD)
    page.goto(f"/observaties/groepen/{school.group.id}/eigen-observatie")
    assert_accessible(page)
    page.goto(f"/observaties/groepen/{school.group.id}/leerlingcodes")
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    sign_in(page, school.coordinator.email, TEST_PASSWORD)
    page.goto("/observaties/grondslag")
    assert_accessible(page)
