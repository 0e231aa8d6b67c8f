"""Recent authentication: an administrator proves again who they are before changing someone
else's account (ASVS 3.7.1 and 2.5).

Logging in counts (the password and the second step were just given); after REAUTH_MINUTES
the administrator types their password or a code from their app once more on
/beheer/bevestigen before changing a role or organisation, blocking or unblocking, wiping a
second factor, or creating an account. The moment is kept in the signed session cookie, tied
to the user and to this session's row, so it ends with the session and never moves to another.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matcher.accounts import sessions
from matcher.accounts.models import User

F = TypeVar("F", bound=Callable)
REAUTH_KEY = "recent_auth"


def window_seconds() -> int:
    return int(current_app.config["REAUTH_MINUTES"]) * 60


def mark(user: User) -> None:
    """The user has just proved who they are, in this session."""
    row = sessions.current_session()
    session[REAUTH_KEY] = {
        "user": user.id,
        "session": row.id if row else None,
        "at": int(time.time()),
    }


def is_recent(user: User) -> bool:
    value = session.get(REAUTH_KEY)
    row = sessions.current_session()
    if not isinstance(value, dict) or row is None:
        return False
    if value.get("user") != user.id or value.get("session") != row.id:
        return False
    age = time.time() - float(value.get("at", 0))
    return 0 <= age <= window_seconds()


def _back_url() -> str:
    """Where to return after confirming: this page for a form one opens, else the list."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    if request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return request.path
    return url_for("admin.users")


def require_recent_auth(view: F) -> F:
    """Place under the access declaration: without a recent login or confirmation, the
    administrator confirms first and then repeats the action (nothing was changed)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if is_recent(current_user):
            return view(*args, **kwargs)
        if request.method != "GET":
            flash(
                _(
                    "Er is niets gewijzigd. Bevestig eerst dat u het bent; daarna kunt u de "
                    "wijziging opnieuw doen."
                ),
                "info",
            )
        return redirect(url_for("admin.reauthenticate", next=_back_url()))

    return wrapper  # type: ignore[return-value]
