"""Throttling of failed logins (and reset requests), not lockout, shared through the database.

Failures are counted under three keys:

- the account from this address: a guesser at one account from one place; after
  LOGIN_FREE_FAILURES the next try waits, longer after every further failure;
- the address, over all accounts: one place trying many accounts (password spraying);
- the account, over all addresses: only slows addresses from which the account never signed
  in, so that the owner keeps getting in from a known place while many addresses guess.

Only failures count: a successful login never uses up an allowance, and it clears the count
of its own account-and-address key. A refused try is answered at once with 429 and
Retry-After; nothing ever sleeps in a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matcher.accounts.models import LoginThrottle
from matcher.accounts.sessions import as_utc
from matcher.db import db, utcnow

# A key with no failure for this long starts again from zero.
FORGET_AFTER = timedelta(hours=24)
# An address counts as the owner's for the account key when it signed in within this time.
KNOWN_ADDRESS_FOR = timedelta(days=90)
MAX_DELAY_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class Policy:
    free: int  # failures before the first delay
    base_seconds: int  # the first delay; each further failure doubles it


def pair_key(email: str, address: str) -> str:
    return f"account:{email}|address:{address}"


def account_key(email: str) -> str:
    return f"account:{email}"


def address_key(address: str) -> str:
    return f"address:{address}"


def delay_seconds(policy: Policy, failures: int) -> int:
    """How long a key waits after its `failures`-th failure: 0, then doubling, capped."""
    if failures < policy.free:
        return 0
    return min(policy.base_seconds * 2 ** (failures - policy.free), MAX_DELAY_SECONDS)


def _find(key: str) -> LoginThrottle | None:
    return db.session.scalar(select(LoginThrottle).where(LoginThrottle.key == key)
                             .with_for_update())


def _row(key: str) -> LoginThrottle:
    """The key's row, created when missing; another worker creating it first is fine."""
    row = _find(key)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = LoginThrottle(key=key, failures=0)
            db.session.add(row)
    except IntegrityError:
        row = _find(key)
        assert row is not None  # noqa: S101 - the other worker's row is committed
    return row


def wait_seconds(row: LoginThrottle | None, now: datetime) -> int:
    if row is None or row.blocked_until is None:
        return 0
    remaining = (as_utc(row.blocked_until) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def count_failure(key: str, policy: Policy, now: datetime | None = None) -> LoginThrottle:
    """Add one failure to `key` and set how long it now waits; flushes."""
    now = now or utcnow()
    row = _row(key)
    if row.last_failure_at is not None and now - as_utc(row.last_failure_at) > FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    delay = delay_seconds(policy, row.failures)
    row.blocked_until = now + timedelta(seconds=delay) if delay else None
    db.session.flush()
    return row


def _login_policies() -> tuple[Policy, Policy, Policy]:
    config = current_app.config
    base = config["LOGIN_DELAY_SECONDS"]
    return (Policy(config["LOGIN_FREE_FAILURES"], base),
            Policy(config["LOGIN_FREE_FAILURES_PER_ADDRESS"], base),
            Policy(config["LOGIN_FREE_FAILURES_PER_ACCOUNT"], base))


def login_wait(email: str, address: str, now: datetime | None = None) -> int:
    """Seconds this address must wait before trying this account again (0: go ahead)."""
    now = now or utcnow()
    pair = db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.key == pair_key(email, address)))
    waits = [wait_seconds(pair, now), wait_seconds(peek(address_key(address)), now)]
    if not _is_known_address(pair, now):
        waits.append(wait_seconds(peek(account_key(email)), now))
    return max(waits)


def peek(key: str) -> LoginThrottle | None:
    return db.session.scalar(select(LoginThrottle).where(LoginThrottle.key == key))


def _is_known_address(pair: LoginThrottle | None, now: datetime) -> bool:
    return (pair is not None and pair.succeeded_at is not None
            and now - as_utc(pair.succeeded_at) <= KNOWN_ADDRESS_FOR)


def count_login_failure(email: str, address: str, now: datetime | None = None
                        ) -> LoginThrottle:
    """Count a failed login under all three keys; returns the account key's row."""
    now = now or utcnow()
    pair_policy, address_policy, account_policy = _login_policies()
    count_failure(pair_key(email, address), pair_policy, now)
    count_failure(address_key(address), address_policy, now)
    return count_failure(account_key(email), account_policy, now)


def count_login_success(email: str, address: str, now: datetime | None = None) -> None:
    """The owner got in from here: this pair starts again and the address becomes known."""
    now = now or utcnow()
    row = _row(pair_key(email, address))
    row.failures, row.blocked_until, row.succeeded_at = 0, None, now
    db.session.flush()


def should_notify(row: LoginThrottle, now: datetime | None = None) -> bool:
    """Whether the account holder is due a mail about repeated failures (at most once a day)."""
    now = now or utcnow()
    if row.failures < current_app.config["LOGIN_NOTIFY_AFTER_FAILURES"]:
        return False
    return row.notified_at is None or now - as_utc(row.notified_at) > FORGET_AFTER


def count_request(keys: Iterable[tuple[str, Policy]], now: datetime | None = None) -> int:
    """Count one request (say, a reset mail) under each key; the longest wait, or 0.

    The wait is checked before counting, so a refused request does not make it longer.
    """
    now = now or utcnow()
    keys = list(keys)
    wait = max((wait_seconds(peek(key), now) for key, _policy in keys), default=0)
    if wait:
        return wait
    for key, policy in keys:
        count_failure(key, policy, now)
    return 0


def second_factor_key(user_id: int) -> str:
    return f"second-factor:{user_id}"


def reauth_key(user_id: int) -> str:
    return f"reauth:{user_id}"


def second_factor_policy() -> Policy:
    config = current_app.config
    return Policy(config["LOGIN_FREE_FAILURES"], config["LOGIN_DELAY_SECONDS"])
