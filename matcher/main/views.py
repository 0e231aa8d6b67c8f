"""The home page and each role's starting page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from matcher.accounts.access import public, signed_in
from matcher.menukaart import queries as menukaart_queries

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/home.html",
                           doelgebieden=menukaart_queries.list_doelgebieden())


@bp.route("/overzicht")
@signed_in
def dashboard():
    return render_template("main/dashboard.html", user=current_user)
