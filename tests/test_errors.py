"""Error pages: every status keeps its code and says in Dutch what was wrong."""

from __future__ import annotations

import pytest
from flask import abort

from matcher import create_app
from matcher.accounts.access import public
from tests.conftest import make_test_config

PAGES = {400: "Ongeldig verzoek", 404: "Niet gevonden", 413: "Te groot",
         415: "Soort inhoud niet ondersteund", 422: "Niet te verwerken",
         429: "Te veel pogingen", 503: "Even niet beschikbaar", 418: "Ongeldig verzoek"}


@pytest.fixture(scope="module")
def aborting(database_url):
    """A client of an app of its own with routes that answer with a given status (the
    session's app keeps exactly the routes of the access matrix)."""
    app = create_app(make_test_config(database_url))

    def abort_with(code: int):
        abort(code)

    app.add_url_rule("/test-fout/<int:code>", "abort_with", public(abort_with))
    app.add_url_rule("/api/v1/test-fout/<int:code>", "api_abort_with", public(abort_with))
    return app.test_client()


@pytest.mark.parametrize(("code", "title"), PAGES.items())
def test_an_error_page_keeps_its_status_and_says_why(aborting, code, title):
    response = aborting.get(f"/test-fout/{code}")
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert title in page
    assert f"Foutcode {code}" in page


@pytest.mark.parametrize("code", PAGES)
def test_api_errors_keep_their_status_in_json(aborting, code):
    response = aborting.get(f"/api/v1/test-fout/{code}")
    assert response.status_code == code
    assert response.get_json()["message"]


def test_a_413_names_the_limit_of_the_endpoint(client):
    response = client.post("/inloggen", data={"email": "a" * 300_000})
    assert response.status_code == 413
    assert "256 kB" in response.get_data(as_text=True)
