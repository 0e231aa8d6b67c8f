"""Login, logout and the user's own account page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from matcher.accounts import services
from matcher.accounts.access import public, signed_in
from matcher.accounts.forms import ChangePasswordForm, LoginForm
from matcher.db import db
from matcher.extensions import limiter, login_account_key
from matcher.urls import safe_next_url

bp = Blueprint("accounts", __name__)


def _per_ip_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def _per_account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


@bp.route("/inloggen", methods=["GET", "POST"])
@public
@limiter.limit(_per_ip_limit, methods=["POST"])
@limiter.limit(_per_account_limit, key_func=login_account_key, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(email=form.email.data, password=form.password.data)
        if user is None:
            db.session.rollback()
            flash(_("Het e-mailadres of wachtwoord klopt niet."), "error")
            return render_template("accounts/login.html", form=form), 200
        db.session.commit()
        login_user(user)
        flash(_("Welkom, %(name)s.", name=user.name), "success")
        return redirect(safe_next_url(request.args.get("next")) or url_for("main.dashboard"))
    return render_template("accounts/login.html", form=form)


@bp.route("/uitloggen", methods=["POST"])
@signed_in
def logout():
    logout_user()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("main.home"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user=current_user, current=form.current.data,
                                     new=form.new.data)
        except services.AccountError as error:
            db.session.rollback()
            form[error.field or "new"].errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Uw wachtwoord is gewijzigd."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form)
