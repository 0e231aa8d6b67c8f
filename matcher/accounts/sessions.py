"""Server-side sessions: what makes a session cookie a signed-in user, and what ends it.

The signed cookie alone proves nothing about whether a session may go on: it carries a random
token whose SHA-256 names a row in user_sessions, and every request checks that row (through
Flask-Login's user_loader). Ending the row ends the session in every worker at once, so a
copied cookie stops working after logout, "overal uitloggen", a new password, a block or a
change of role. Idle and absolute timeouts are checked against the same row.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from flask import current_app, flash, g, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlalchemy import select, update

from matcher.accounts.audit import client_address
from matcher.accounts.models import User, UserSession
from matcher.db import db, utcnow

SESSION_KEY = "account_session"
# last_seen_at is written at most this often: one write a minute, not one per request.
TOUCH_EVERY = timedelta(seconds=60)
# Reasons kept on an ended row (shown nowhere as a code; the list shows active sessions only).
LOGOUT, ELSEWHERE, PASSWORD, RESET, BLOCKED, ROLE, IDLE, EXPIRED, SECOND_FACTOR = (
    "logout", "elders", "wachtwoord", "herstel", "geblokkeerd", "rol", "inactief", "verlopen",
    "tweede-stap")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def absolute_limit() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])


def start_session(user: User) -> UserSession:
    """Sign `user` in with a renewed session: the old cookie's contents (and CSRF token) go.

    Clearing first means nothing set before the login (by an attacker who planted a cookie,
    say) survives it; the new row is the only thing that makes the new cookie count.
    """
    session.clear()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(user_id=user.id, token_hash=token_hash(token), created_at=now,
                      last_seen_at=now, address=client_address(),
                      user_agent=(request.user_agent.string or "")[:200])
    db.session.add(row)
    db.session.flush()
    login_user(user)
    session[SESSION_KEY] = token
    g.account_session = row
    return row


def current_session() -> UserSession | None:
    """The row of this request's session, once the user_loader has checked it."""
    return g.get("account_session")


def end_current_session(reason: str = LOGOUT) -> None:
    """Log this browser out: its row ends, and the cookie is emptied."""
    row = current_session()
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason = utcnow(), reason
        db.session.flush()
    logout_user()
    session.clear()
    g.pop("account_session", None)


def end_sessions(user: User, *, reason: str, keep: UserSession | None = None) -> int:
    """End every active session of `user` (except `keep`); returns how many ended."""
    statement = (update(UserSession)
                 .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                 .values(ended_at=utcnow(), end_reason=reason)
                 .execution_options(synchronize_session=False))
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    ended = db.session.execute(statement).rowcount or 0
    for row in db.session.identity_map.values():
        if isinstance(row, UserSession) and row.user_id == user.id and row is not keep:
            db.session.expire(row)
    return ended


def active_sessions(user: User) -> Sequence[UserSession]:
    """The user's sessions that have not ended nor timed out, newest first."""
    now = utcnow()
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id,
                                  UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())).all()
    return [row for row in rows if _timeout_reason(row, now) is None]


def find_active_session(user: User, session_id: int) -> UserSession | None:
    return next((row for row in active_sessions(user) if row.id == session_id), None)


def _timeout_reason(row: UserSession, now: datetime) -> str | None:
    if now - as_utc(row.created_at) > absolute_limit():
        return EXPIRED
    if now - as_utc(row.last_seen_at) > idle_limit():
        return IDLE
    return None


def check_session(user: User) -> bool:
    """Whether this request's cookie is a live session of `user`; ends a timed-out one.

    Called from the user_loader on every request that looks at the user. A cookie without
    a token, with an unknown or ended token, or with another user's token is refused.
    """
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        return _refuse()
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token)))
    if row is None or row.user_id != user.id or row.ended_at is not None:
        return _refuse()
    now = utcnow()
    reason = _timeout_reason(row, now)
    if reason is not None:
        row.ended_at, row.end_reason = now, reason
        db.session.commit()
        return _refuse(_("Uw sessie is verlopen. Log opnieuw in."))
    if now - as_utc(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
        # Before any view runs, so nothing but this touch is in the transaction.
        db.session.commit()
    g.account_session = row
    return True


def _refuse(message: str | None = None) -> bool:
    for key in (SESSION_KEY, "_user_id", "_fresh", "_id"):
        session.pop(key, None)
    if message:
        flash(message, "info")
    return False
