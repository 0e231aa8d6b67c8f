"""Crafted and generated files through every way in: the importer, the command line and the
import page (as an approved provider, a curator and a provider not yet approved).

A file is imported or refused with a Dutch message naming its place; nothing else may happen:
no other exception, no 500, and nothing written when the file is refused.
"""

from __future__ import annotations

import io
import time

import pytest
from click.testing import CliRunner
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from matcher import create_app, limits
from matcher.accounts.roles import OrganisationKind, Role
from matcher.cli import main
from matcher.db import db
from matcher.extensions import limiter
from providers.importer import ImportRejected, read_offers
from providers.models import Activity, Provider
from tests.conftest import TEST_PASSWORD, make_test_config
from tests.fuzz import crafted

pytestmark = pytest.mark.fuzz

UPLOADS = [pytest.param(build, filename, id=name)
           for name, filename, build in crafted.CRAFTED_UPLOADS]


@pytest.fixture(autouse=True)
def _timed(fuzz_figures):
    """Every test of the suite counts its time in the summary's upload line."""
    started = time.monotonic()
    yield
    fuzz_figures("uploads", files=0, requests=0, server_errors=0,
                 seconds=time.monotonic() - started)


@pytest.fixture
def provider_staff(make_organisation, make_user):
    """Staff of a provider; `approved=False` is one that signed up a moment ago."""

    def make(approved: bool = True, key: str = "hofplein"):
        organisation = make_organisation(kind=OrganisationKind.PROVIDER, name=f"Org {key}")
        provider = Provider(key=key, organisation=organisation, name=f"Theater {key}",
                            kind="jeugdtheater", gemeente="Amsterdam", serves=["Amsterdam"],
                            email="info@example.nl", approved=approved)
        db.session.add(provider)
        db.session.commit()
        return make_user(role=Role.PROVIDER_STAFF, organisation=organisation)

    return make


def _activities() -> int:
    return db.session.scalar(select(func.count()).select_from(Activity))


# ---------------------------------------------------------------------- the importer itself


@pytest.mark.parametrize(("build", "filename"), UPLOADS)
def test_a_crafted_file_is_read_or_refused_with_its_place(app, build, filename, fuzz_figures):
    fuzz_figures("uploads", files=1)
    try:
        offers = read_offers(build(), filename)
    except ImportRejected as error:
        assert error.issues
        assert all(issue.place and issue.message for issue in error.issues)
    else:
        assert offers.activities is not None


def test_a_row_with_eight_problems_reports_every_one_in_column_order(app):
    with pytest.raises(ImportRejected) as rejected:
        read_offers(crafted.csv_eight_problems(), "acht.csv")
    places = [issue.place for issue in rejected.value.issues]
    assert len(places) >= 8
    assert all(place.startswith("activiteiten, rij 2, kolom ") for place in places)
    letters = [place.split("kolom ")[1].split(" ")[0] for place in places]
    assert letters == sorted(letters, key=lambda letter: (len(letter), letter))
    messages = " ".join(issue.message for issue in rejected.value.issues)
    assert "kies uit groep, leerling, sessie" in messages  # the allowed values are named


def test_a_grade_range_is_checked_before_it_is_expanded(app):
    with pytest.raises(ImportRejected) as rejected:
        read_offers(crafted.csv_range(), "reeks.csv")
    assert any("1-1000000" in issue.message and "groep 1-8" in issue.message
               for issue in rejected.value.issues)


def test_reporting_stops_after_the_cap_with_a_count_of_the_rest(app):
    with pytest.raises(ImportRejected) as rejected:
        read_offers(crafted.csv_many_bad_rows(5000), "slecht.csv")
    issues = rejected.value.issues
    assert len(issues) == limits.MAX_REPORTED_ISSUES + 1
    assert issues[-1].message.startswith("En nog ")


def test_an_unapproved_providers_cap_refuses_before_validation(app):
    with pytest.raises(ImportRejected) as rejected:
        read_offers(crafted.json_offers(600), "veel.json", limits.UNAPPROVED_CAPS)
    assert "het maximum is 500" in rejected.value.issues[0].message


_SEEDS = (crafted.csv_eight_problems(), crafted.json_offers(2), crafted.xlsx_valid(2),
          crafted.csv_range())


@settings(max_examples=150, derandomize=True, database=None, deadline=None,
          phases=[Phase.generate], suppress_health_check=list(HealthCheck))
@given(seed=st.sampled_from(_SEEDS), flips=st.lists(st.tuples(st.integers(0, 10**6),
                                                               st.integers(0, 255)),
                                                     max_size=8),
       cut=st.integers(0, 10**6), suffix=st.sampled_from([".json", ".csv", ".xlsx"]))
def test_mutated_files_are_read_or_refused_never_crash(app, fuzz_figures, seed, flips, cut,
                                                      suffix):
    fuzz_figures("uploads", files=1)
    content = bytearray(seed)
    for position, value in flips:
        content[position % len(content)] = value
    content = bytes(content[:max(1, cut % (len(content) + 1))])
    try:
        read_offers(content, "bestand" + suffix)
    except ImportRejected as error:
        assert error.issues


# ---------------------------------------------------------------------- the command line


@pytest.mark.parametrize(("build", "filename"), UPLOADS)
def test_the_cli_imports_or_lists_the_errors_and_exits_1(app, tmp_path, build, filename,
                                                         fuzz_figures):
    fuzz_figures("uploads", files=1)
    path = tmp_path / filename
    path.write_bytes(build())
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 1:
        assert "Het bestand is niet geïmporteerd" in result.output


# ---------------------------------------------------------------------- the import page


@pytest.fixture
def limited_app(app, database_url):
    """An app with the rate limiter on. The limiter is one object shared by every app, so
    it is switched off again afterwards, or every later login in this worker would count."""
    yield create_app(make_test_config(database_url, RATELIMIT_ENABLED=True))
    limiter.enabled = False
    limiter.reset()


def _upload(client, content: bytes, filename: str):
    return client.post("/aanbieder/importeren", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), filename)})


@pytest.mark.parametrize(("build", "filename"), UPLOADS)
@pytest.mark.parametrize("approved", [True, False], ids=["goedgekeurd", "nieuw"])
def test_the_import_page_answers_every_crafted_file(app, client, login, provider_staff,
                                                    build, filename, approved, fuzz_figures):
    login(provider_staff(approved=approved))
    before = _activities()
    response = _upload(client, build(), filename)
    fuzz_figures("uploads", files=1, requests=1,
                 server_errors=int(response.status_code >= 500))
    assert response.status_code in (200, 302, 400, 413), response.status_code
    if response.status_code == 400:
        assert _activities() == before
    assert client.get("/aanbieder/importeren").status_code == 200


def test_a_curators_upload_of_a_crafted_file_is_refused(app, client, login, make_user,
                                                        make_organisation):
    region = make_organisation(kind=OrganisationKind.REGION, region=["Amsterdam"])
    login(make_user(role=Role.CURATOR, organisation=region))
    response = _upload(client, crafted.xlsx_huge_shared_string(), "groot.xlsx")
    assert response.status_code == 400
    assert "uitgepakt te groot" in response.get_data(as_text=True)


def test_an_upload_over_the_body_limit_is_a_413_in_dutch(app, client, login, provider_staff):
    login(provider_staff())
    response = _upload(client, b"a" * (limits.MAX_CONTENT_LENGTH + 1), "groot.csv")
    assert response.status_code == 413
    assert limits.size_text(limits.MAX_CONTENT_LENGTH) in response.get_data(as_text=True)


def test_an_unapproved_provider_uploads_at_most_a_megabyte(app, client, login, provider_staff):
    login(provider_staff(approved=False))
    page = client.get("/aanbieder/importeren").get_data(as_text=True)
    assert "nog niet door een curator goedgekeurd" in page
    response = _upload(client, crafted.json_offers(3000, provider="hofplein"), "veel.json")
    assert response.status_code == 400
    assert f"het maximum is {limits.size_text(limits.UNAPPROVED_UPLOAD_BYTES)}" in \
        response.get_data(as_text=True)


def test_an_unapproved_provider_imports_at_most_five_times_an_hour(limited_app, provider_staff):
    user = provider_staff(approved=False)
    client = limited_app.test_client()
    client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    codes = [_upload(client, crafted.csv_range(), "reeks.csv").status_code
             for _ in range(limits.UNAPPROVED_IMPORTS_PER_HOUR + 1)]
    assert codes[:-1] == [400] * limits.UNAPPROVED_IMPORTS_PER_HOUR
    assert codes[-1] == 429
    answer = _upload(client, crafted.csv_range(), "reeks.csv").get_data(as_text=True)
    assert "Te veel pogingen" in answer


def test_an_approved_provider_is_not_held_to_that_rate(limited_app: Flask, provider_staff):
    user = provider_staff(approved=True)
    client = limited_app.test_client()
    client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    codes = {_upload(client, crafted.csv_range(), "reeks.csv").status_code
             for _ in range(limits.UNAPPROVED_IMPORTS_PER_HOUR + 2)}
    assert codes == {400}
