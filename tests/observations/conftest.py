"""Fixtures for observations: a school with staff, a group, a recorded legal basis."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask, g
from flask.testing import FlaskClient

from matcher.accounts.models import Organisation, User
from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db
from matcher.observations import services
from matcher.observations.models import LegalBasis
from matcher.reference.dimensions import load_dimensions
from matcher.schools.models import SchoolGroup
from tests.browser.conftest import browser, live_server, page  # noqa: F401 - browser tests
from tests.conftest import TEST_PASSWORD, complete_second_step


class IsolatedClient(FlaskClient):
    """A test client that never sees another client's user.

    Tests run inside one app context, and requests reuse it, so Flask-Login's cached user in
    `g` would leak from one client to the next; clear it around every request.
    """

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        try:
            return super().open(*args, **kwargs)
        finally:
            g.pop("_login_user", None)


def new_client(app: Flask) -> IsolatedClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


def signed_in(app: Flask, user: User) -> IsolatedClient:
    client = new_client(app)
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    response = complete_second_step(client, user, response)
    assert response.status_code == 302
    return client


@dataclass
class School:
    organisation: Organisation
    coordinator: User
    teacher: User
    leader: User
    group: SchoolGroup


@pytest.fixture
def make_group() -> Callable[..., SchoolGroup]:
    def make(organisation: Organisation, name: str = "Groep 6",
             school_year: str = "2026-2027") -> SchoolGroup:
        group = SchoolGroup(organisation_id=organisation.id, name=name, school_year=school_year,
                            grades="6", pupils=27)
        db.session.add(group)
        db.session.commit()
        return group

    return make


@pytest.fixture
def make_school(make_organisation, make_user, make_group) -> Callable[..., School]:
    def make(*, policy: bool = True, pupil_notes: bool = True, name: str | None = None
             ) -> School:
        organisation = make_organisation(kind=OrganisationKind.SCHOOL, name=name)
        school = School(organisation=organisation,
                        coordinator=make_user(Role.COORDINATOR, organisation),
                        teacher=make_user(Role.TEACHER, organisation),
                        leader=make_user(Role.SCHOOL_LEADER, organisation),
                        group=make_group(organisation))
        if policy:
            services.record_policy(organisation=organisation, legal_basis=LegalBasis.PUBLIC_TASK,
                                   explanation="Privacyreglement art. 4",
                                   pupil_notes_allowed=pupil_notes, by=school.coordinator)
            db.session.commit()
        return school

    return make


@pytest.fixture
def school(make_school) -> School:
    return make_school()


def invite(school: School, *, email: str = "docent@theater.example") -> str:
    """A committed invitation for the school's group; returns the token."""
    issued = services.invite_professional(group=school.group, email=email,
                                          observer_name="Tessa Theatermaker",
                                          by=school.teacher)
    db.session.commit()
    return issued.token


def scores(value: int | None = 3, **overrides: int | None) -> list[services.ScoreInput]:
    return [services.ScoreInput(d.key, overrides.get(d.key.replace("-", "_"), value))
            for d in load_dimensions().dimensions]


def observation_input(*, general_notes: str = "", value: int | None = 3,
                      pupil_notes=(), observed_on: date | None = None,
                      **overrides) -> services.ObservationInput:
    return services.ObservationInput(observed_on=observed_on or date.today(),
                                     scores=scores(value, **overrides),
                                     general_notes=general_notes, pupil_notes=pupil_notes)


def form_data(*, value: str = "3", **extra: str) -> dict[str, str]:
    """POST data for the observation form: every dimension scored `value`."""
    data = {"observed_on": date.today().isoformat()}
    for dimension in load_dimensions().dimensions:
        data[f"score_{dimension.key.replace('-', '_')}"] = value
    data.update(extra)
    return data
