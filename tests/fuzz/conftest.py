"""The demo data and one signed-in client per role, for the fuzz suites."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from matcher.accounts.models import User
from matcher.accounts.passwords import hash_password
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.demo import DEMO_PASSWORD, USERS, load_demo

# Every role of the demo, and anonymous visitors (None).
ROLES: tuple[Role | None, ...] = (None, *Role)


def role_name(role: Role | None) -> str:
    return role.value if role else "anoniem"


@dataclass
class Demo:
    """The loaded demo: a login per role and the single-use observation link."""

    emails: dict[Role, str]
    observation_link: str
    sign_in: Callable[[Role | None], FlaskClient]


@pytest.fixture
def demo(app: Flask) -> Demo:
    """The demo data loaded into the (emptied-after-the-test) database."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        load_demo()
    db.session.commit()
    link = re.search(r"https?://[^/\s]+(/\S+)", printed.getvalue())
    emails: dict[Role, str] = {}
    for user in USERS:
        emails.setdefault(user.role, user.email)
    password_hash = hash_password(DEMO_PASSWORD)

    def sign_in(role: Role | None) -> FlaskClient:
        """A fresh client, signed in as the demo user of `role` (anonymous for None).

        The fuzzer may have switched the user off (admin.toggle_active): every sign-in puts
        the demo users back as they were, so one role's posts never lock another out.
        """
        db.session.rollback()
        db.session.execute(update(User).where(User.email.in_(list(emails.values())))
                           .values(active=True, password_hash=password_hash))
        db.session.commit()
        client = app.test_client()
        if role is not None:
            response = client.post("/inloggen", data={"email": emails[role],
                                                      "password": DEMO_PASSWORD})
            assert response.status_code == 302, (role, response.status_code)
        return client

    return Demo(emails=emails, observation_link=link.group(1) if link else "",
                sign_in=sign_in)


# The user property under which a fuzz test records its figures; tests/conftest.py adds them
# up (across xdist workers, which send user properties with each report) and prints them in
# the terminal summary, so CI logs show them without -s.
FUZZ_PROPERTY = "fuzz_figures"


@pytest.fixture
def fuzz_figures(record_property) -> Callable[..., None]:
    """record(suite, **counts): figures of one fuzz test, summed per suite in the summary."""

    def record(suite: str, **figures: int | float) -> None:
        record_property(FUZZ_PROPERTY, {"suite": suite, **figures})

    return record
