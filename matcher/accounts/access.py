"""The one access mechanism: every endpoint declares who may use it, everything else is denied.

Views declare access with `@public`, `@signed_in` or `@allow(Role...)` placed directly under the
route decorator. A request hook reads that declaration before any view runs; an endpoint without
one answers 403, so forgetting to declare access fails closed (and the access-matrix test fails).

The same hook holds a signed-in user with a temporary password (ASVS 2.3.1) at the page where
they choose their own: until then no other page, public or not, opens for that session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matcher.accounts.roles import Role

F = TypeVar("F", bound=Callable)
ALL_ROLES = frozenset(Role)


@dataclass(frozen=True, slots=True)
class AccessRule:
    anonymous: bool
    roles: frozenset[Role]

    def admits(self, role: Role | None) -> bool:
        if role is None:
            return self.anonymous
        return role in self.roles


PUBLIC = AccessRule(anonymous=True, roles=ALL_ROLES)
SIGNED_IN = AccessRule(anonymous=False, roles=ALL_ROLES)


def _declare(rule: AccessRule) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorator


def public(view: F) -> F:
    """Anyone, signed in or not."""
    return _declare(PUBLIC)(view)


def signed_in(view: F) -> F:
    """Any signed-in user, whatever the role."""
    return _declare(SIGNED_IN)(view)


def allow(*roles: Role) -> Callable[[F], F]:
    """Only signed-in users with one of these roles."""
    if not roles:
        raise ValueError("allow() needs at least one role; use signed_in for any role")
    return _declare(AccessRule(anonymous=False, roles=frozenset(roles)))


def rule_for(endpoint: str | None) -> AccessRule | None:
    view = current_app.view_functions.get(endpoint or "")
    return getattr(view, "access_rule", None)


def current_role() -> Role | None:
    return current_user.role if current_user.is_authenticated else None


def is_api_request() -> bool:
    return request.path.startswith("/api/")


# What a user who must replace a temporary password may still open: that page, and the way out.
PASSWORD_CHOICE_ENDPOINTS = frozenset({"static", "accounts.choose_password", "accounts.logout"})


def must_choose_password() -> bool:
    return bool(current_user.is_authenticated and current_user.must_change_password)


def _hold_for_password_choice():
    if is_api_request():
        response = jsonify(error="wachtwoord-kiezen",
                           message=_("Kies eerst een eigen wachtwoord in de browser."))
        response.status_code = 403
        return response
    flash(_("U bent ingelogd met een tijdelijk wachtwoord. Kies eerst een eigen wachtwoord."),
          "info")
    return redirect(url_for("accounts.choose_password"))


def enforce_access():
    """before_request hook: deny unless the endpoint's declaration admits the current user."""
    if request.endpoint is None:  # no route matched: let Flask answer 404/405
        return None
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("Endpoint %s declares no access rule; denied", request.endpoint)
        abort(403)
    if request.endpoint not in PASSWORD_CHOICE_ENDPOINTS and must_choose_password():
        return _hold_for_password_choice()
    role = current_role()
    if rule.admits(role):
        return None
    if role is None:
        if is_api_request():
            response = jsonify(error="niet-ingelogd", message=_("Log eerst in."))
            response.status_code = 401
            return response
        return current_app.login_manager.unauthorized()
    abort(403)
