"""Flask-Login wiring: how a session cookie becomes a user, and pages behind a login."""

from __future__ import annotations

from flask import Flask, Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from matcher.db import db
from matcher.extensions import login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.localize_callback = str  # flash() stores a plain, translated str
    login_manager.login_message_category = "info"
    # No "strong" protection: it logged out everyone whose address changed (mobile networks,
    # dual stack) and protects nothing behind a proxy. Revocation is the session row's job.
    login_manager.session_protection = None

    from matcher.accounts.models import User
    from matcher.accounts.sessions import check_session

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        # Flask-Login also treats an inactive user as signed out (UserMixin.is_authenticated
        # is is_active); refusing here as well keeps a blocked user out of current_user.
        if user is None or not user.active:
            return None
        return user if check_session(user) else None

    app.before_request(require_second_factor_enrolment)
    app.after_request(no_store_behind_login)


# What a curator or administrator without a second factor may still open: the enrolment
# page itself, and the way out.
ENROLMENT_ENDPOINTS = frozenset({"static", "accounts.second_factor_page", "accounts.logout"})


def require_second_factor_enrolment():
    """Curators and administrators enrol a second factor before any other page opens."""
    from matcher.accounts.access import is_api_request
    from matcher.accounts.second_factor import needs_enrolment

    if request.endpoint is None or request.endpoint in ENROLMENT_ENDPOINTS or is_api_request():
        return None
    # A temporary password is replaced first; the access hook holds the user there.
    if (current_user.is_authenticated and not current_user.must_change_password
            and needs_enrolment(current_user)):
        flash(_("Voor uw rol is een tweede stap bij het inloggen verplicht. Stel die nu in; "
                "het duurt een minuut."), "info")
        return redirect(url_for("accounts.second_factor_page"))
    return None


def no_store_behind_login(response: Response) -> Response:
    """Pages seen while signed in (pupil data, PDFs, CSVs) never go into a browser's cache."""
    if request.endpoint != "static" and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response
