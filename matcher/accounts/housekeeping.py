"""Daily clean-up of account records nobody needs any more (run by `cultuurmatch purge`):
old sessions, spent links, forgotten throttle counts, and audit lines past their period."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_

from matcher.accounts.models import AccountEvent, AccountToken, LoginThrottle, UserSession
from matcher.accounts.throttle import FORGET_AFTER, KNOWN_ADDRESS_FOR
from matcher.db import db

# Ended sessions stay this long, so a user or administrator can still see what happened.
KEEP_ENDED_SESSIONS = timedelta(days=30)
# Sessions not ended by hand still time out; after this no live session can be this old.
OLDEST_LIVE_SESSION = timedelta(days=2)


def purge_account_records(now: datetime) -> int:
    """Delete old sessions, spent or expired tokens and forgotten throttle counts."""
    deleted = 0
    deleted += db.session.execute(delete(UserSession).where(or_(
        UserSession.ended_at < now - KEEP_ENDED_SESSIONS,
        UserSession.last_seen_at < now - OLDEST_LIVE_SESSION - KEEP_ENDED_SESSIONS,
    ))).rowcount or 0
    deleted += db.session.execute(delete(AccountToken).where(
        AccountToken.expires_at < now - KEEP_ENDED_SESSIONS)).rowcount or 0
    stale_failures = or_(LoginThrottle.last_failure_at.is_(None),
                         LoginThrottle.last_failure_at < now - FORGET_AFTER)
    no_recent_success = or_(LoginThrottle.succeeded_at.is_(None),
                            LoginThrottle.succeeded_at < now - KNOWN_ADDRESS_FOR)
    deleted += db.session.execute(delete(LoginThrottle).where(
        and_(stale_failures, no_recent_success))).rowcount or 0
    return deleted


def purge_account_events(now: datetime, *, keep_days: int) -> int:
    """Delete audit lines older than `keep_days` (ACCOUNT_EVENTS_KEEP_DAYS); 0 keeps all.

    The trail is personal data (addresses, who logged in when): it is kept as long as it is
    useful for looking into an incident, and no longer (AVG/GDPR storage limitation).
    """
    if keep_days <= 0:
        return 0
    return db.session.execute(delete(AccountEvent).where(
        AccountEvent.created_at < now - timedelta(days=keep_days))).rowcount or 0
