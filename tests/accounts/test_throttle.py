"""Throttling, not lockout: failures wait longer and longer, per account and per address,
in the database (so every worker counts together); successes never count."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, update

from matcher import create_app
from matcher.accounts import throttle
from matcher.accounts.models import AccountEvent, LoginThrottle
from matcher.accounts.roles import Role
from matcher.db import db, utcnow
from tests.accounts.conftest import mails_to
from tests.conftest import TEST_PASSWORD, make_test_config

WRONG = "fout-fout-fout-fout"


@pytest.fixture
def strict_app(app, database_url):
    return create_app(make_test_config(database_url, LOGIN_FREE_FAILURES=3,
                                       LOGIN_FREE_FAILURES_PER_ADDRESS=6,
                                       LOGIN_FREE_FAILURES_PER_ACCOUNT=8,
                                       LOGIN_NOTIFY_AFTER_FAILURES=4,
                                       LOGIN_DELAY_SECONDS=15))


@pytest.fixture(autouse=True)
def _no_sleeping(monkeypatch):
    """A throttled request is answered at once: sleeping anywhere fails the test."""
    def refuse(seconds):
        raise AssertionError(f"a request slept {seconds} s")

    monkeypatch.setattr(time, "sleep", refuse)


def _try(client, email, password=WRONG, address="10.0.0.1"):
    return client.post("/inloggen", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def _let_waits_pass():
    db.session.execute(update(LoginThrottle).values(blocked_until=utcnow()))
    db.session.commit()


def test_failures_get_429_with_a_growing_retry_after(strict_app, make_user):
    user = make_user()
    client = strict_app.test_client()
    assert [_try(client, user.email).status_code for _ in range(3)] == [200, 200, 200]
    refused = _try(client, user.email)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "15"
    assert "te vaak geprobeerd" in refused.get_data(as_text=True)
    _let_waits_pass()
    assert _try(client, user.email).status_code == 200  # the 4th failure, after waiting
    assert _try(client, user.email).headers["Retry-After"] == "30"
    _let_waits_pass()
    _try(client, user.email)
    assert _try(client, user.email).headers["Retry-After"] == "60"


def test_while_waiting_even_the_right_password_is_not_checked(strict_app, make_user):
    user = make_user()
    client = strict_app.test_client()
    for _ in range(3):
        _try(client, user.email)
    assert _try(client, user.email, TEST_PASSWORD).status_code == 429


def test_successful_logins_do_not_count(strict_app, make_user):
    user = make_user()
    client = strict_app.test_client()
    for _ in range(10):
        assert _try(client, user.email, TEST_PASSWORD).status_code == 302
        client.post("/uitloggen", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.key == throttle.account_key(user.email))) is None


def test_the_owner_gets_in_from_another_address_while_one_address_guesses(
        strict_app, make_user):
    user = make_user()
    attacker, owner = strict_app.test_client(), strict_app.test_client()
    for _ in range(5):
        _try(attacker, user.email, address="203.0.113.9")
    assert _try(attacker, user.email, TEST_PASSWORD, address="203.0.113.9").status_code == 429
    assert _try(owner, user.email, TEST_PASSWORD, address="198.51.100.7").status_code == 302


def test_one_address_trying_many_accounts_is_slowed(strict_app):
    client = strict_app.test_client()
    codes = [_try(client, f"iemand{i}@example.nl", address="10.9.9.9").status_code
             for i in range(7)]
    assert codes == [200] * 6 + [429]
    # Another address is not slowed by it.
    assert _try(client, "iemand0@example.nl", address="10.9.9.10").status_code == 200


def test_many_addresses_guessing_one_account_slow_unknown_addresses_only(
        strict_app, make_user):
    user = make_user()
    client = strict_app.test_client()
    assert _try(client, user.email, TEST_PASSWORD, address="198.51.100.7").status_code == 302
    client.post("/uitloggen", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    for i in range(8):
        _try(client, user.email, address=f"203.0.113.{i}")
    assert _try(client, user.email, TEST_PASSWORD, address="203.0.113.200").status_code == 429
    # The owner's known address still gets in with the right password.
    assert _try(client, user.email, TEST_PASSWORD, address="198.51.100.7").status_code == 302


def test_every_worker_shares_the_counts(strict_app, database_url, make_user):
    other_worker = create_app(make_test_config(database_url, LOGIN_FREE_FAILURES=3))
    user = make_user()
    for _ in range(3):
        _try(strict_app.test_client(), user.email)
    assert _try(other_worker.test_client(), user.email).status_code == 429


def test_the_account_holder_is_mailed_after_repeated_failures_once(strict_app, make_user):
    user = make_user()
    client = strict_app.test_client()
    for i in range(6):
        _let_waits_pass()
        _try(client, user.email, address=f"10.1.0.{i}")
    mails = mails_to(user.email)
    assert len(mails) == 1
    assert "Mislukte inlogpogingen" in mails[0].subject
    assert "4 keer" in mails[0].body and "niet geblokkeerd" in mails[0].body


def test_failures_and_throttling_are_in_the_audit_trail(strict_app, make_user):
    user = make_user()
    client = strict_app.test_client()
    for _ in range(4):
        _try(client, user.email)
    _try(client, "onbekend@example.nl")
    kinds = [e.kind for e in db.session.scalars(select(AccountEvent).order_by(AccountEvent.id))]
    assert kinds == ["login-failed"] * 3 + ["login-throttled", "login-failed"]
    unknown = db.session.scalars(select(AccountEvent).order_by(AccountEvent.id)).all()[-1]
    assert unknown.user_id is None and "onbekend@example.nl" not in unknown.detail


def test_counts_are_forgotten_a_day_after_the_last_failure(strict_app, make_user):
    user = make_user()
    client = strict_app.test_client()
    for _ in range(3):
        _try(client, user.email)
    db.session.execute(update(LoginThrottle).values(
        blocked_until=None, last_failure_at=utcnow() - throttle.FORGET_AFTER * 2))
    db.session.commit()
    assert _try(client, user.email).status_code == 200
    row = db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.key == throttle.pair_key(user.email, "10.0.0.1")))
    assert row.failures == 1


def test_delays_double_and_stop_at_an_hour():
    policy = throttle.Policy(free=5, base_seconds=15)
    assert [throttle.delay_seconds(policy, n) for n in (1, 4, 5, 6, 7)] == [0, 0, 15, 30, 60]
    assert throttle.delay_seconds(policy, 40) == throttle.MAX_DELAY_SECONDS


def test_the_default_app_throttles_too(client, make_user):
    """Throttling is always on: it does not depend on RATELIMIT_ENABLED or Redis."""
    user = make_user(role=Role.TEACHER)
    codes = [_try(client, user.email).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
