"""The account audit trail: logins, failures, resets, blocks and role changes, for administrators.

Lines are added in the caller's transaction (flush, never commit), so an event is only ever
recorded for a change that was committed; failed logins commit their own line with the
throttle counts. Passwords, tokens and unknown e-mail addresses are never written here.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matcher.accounts.models import AccountEvent, User
from matcher.db import db

# kind -> Dutch label for the administrator's page.
EVENT_LABELS = {
    "login": _l("Ingelogd"),
    "login-failed": _l("Inloggen mislukt"),
    "login-throttled": _l("Inloggen vertraagd"),
    "logout": _l("Uitgelogd"),
    "sessions-ended": _l("Sessies beëindigd"),
    "password-changed": _l("Wachtwoord gewijzigd"),
    "reset-requested": _l("Wachtwoordherstel aangevraagd"),
    "password-reset": _l("Wachtwoord hersteld"),
    "user-created": _l("Account aangemaakt"),
    "blocked": _l("Geblokkeerd"),
    "unblocked": _l("Gedeblokkeerd"),
    "role-changed": _l("Rol of organisatie gewijzigd"),
    "second-factor-enabled": _l("Tweede stap ingesteld"),
    "second-factor-disabled": _l("Tweede stap uitgezet"),
    "second-factor-reset": _l("Tweede stap gewist door beheerder"),
    "second-factor-failed": _l("Code tweede stap onjuist"),
    "recovery-code-used": _l("Herstelcode gebruikt"),
    "email-confirmed": _l("E-mailadres bevestigd"),
    "email-change-requested": _l("Nieuw e-mailadres aangevraagd"),
    "email-changed": _l("E-mailadres gewijzigd"),
    "reauthenticated": _l("Identiteit bevestigd"),
    "security-key-added": _l("Beveiligingssleutel toegevoegd"),
    "security-key-removed": _l("Beveiligingssleutel verwijderd"),
    "reauth-failed": _l("Bevestigen identiteit mislukt"),
    "temporary-password-expired": _l("Verlopen tijdelijk wachtwoord geweigerd"),
    "invitation-sent": _l("Nieuwe uitnodiging verstuurd"),
}
PAGE_SIZE = 200


def client_address() -> str:
    """The address the request came from, as the WSGI server (or a trusted proxy fix) saw it."""
    if not has_request_context():
        return ""
    return (request.remote_addr or "")[:64]


def record(kind: str, *, user: User | None = None, actor: User | None = None,
           detail: str = "") -> AccountEvent:
    if kind not in EVENT_LABELS:
        raise ValueError(f"unknown account event {kind!r}")
    event = AccountEvent(kind=kind, user_id=user.id if user else None,
                         actor_id=actor.id if actor else None, address=client_address(),
                         detail=detail[:300])
    db.session.add(event)
    db.session.flush()
    return event


def recent_events(*, user_id: int | None = None, limit: int = PAGE_SIZE
                  ) -> Sequence[AccountEvent]:
    query = select(AccountEvent).order_by(AccountEvent.id.desc()).limit(limit)
    if user_id is not None:
        query = query.where(AccountEvent.user_id == user_id)
    return db.session.scalars(query).all()


def label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))
