"""Helpers for the account tests: a second browser, stolen cookies, mail in the outbox."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from matcher.db import db
from matcher.mail import OutboxMessage
from tests.conftest import TEST_PASSWORD, complete_second_step


@pytest.fixture
def browser(app) -> Callable[..., FlaskClient]:
    """A new browser (test client) signed in as `user`, from `address`."""

    def sign_in(user, address: str = "127.0.0.1") -> FlaskClient:
        client = app.test_client()
        response = client.post("/inloggen", data={"email": user.email,
                                                  "password": TEST_PASSWORD},
                               environ_base={"REMOTE_ADDR": address})
        response = complete_second_step(client, user, response,
                                        environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


def copy_cookie(source: FlaskClient, target: FlaskClient) -> FlaskClient:
    """Give `target` the session cookie of `source`, as a thief with a copy would have it."""
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)
    return target


def signed_in(client: FlaskClient, **kwargs) -> bool:
    response = client.get("/account", **kwargs)
    return response.status_code == 200


def mails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == address)
                                   .order_by(OutboxMessage.id)))


def link_in(message: OutboxMessage) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)
