"""The catalogue for cultuurcoördinatoren: search, activity pages, the match form, shortlists."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matcher import matching
from matcher.accounts.access import allow, public
from matcher.accounts.roles import SCHOOL_ROLES
from matcher.catalogue import services
from matcher.catalogue.forms import MatchForm
from matcher.catalogue.params import ParamErrors
from matcher.catalogue.search import load_activities, read_search_query, run_search
from matcher.db import db
from matcher.reference.menukaart import load_menukaart
from providers import participants

bp = Blueprint("catalogue", __name__)


@bp.route("/aanbod")
@public
def search():
    try:
        query = read_search_query(request.args)
    except ParamErrors as error:
        return render_template("catalogue/search.html", errors=error.errors, page=None,
                               args=request.args), 400
    return render_template("catalogue/search.html", errors=[], page=run_search(query),
                           args=request.args, favourites=services.favourite_keys(current_user))


@bp.route("/aanbod/<key>")
@public
def detail(key: str):
    activity = services.find_visible_activity(key)
    if activity is None:
        abort(404)
    return render_template("catalogue/detail.html", activity=activity,
                           participants=participants.shown(activity),
                           inferred=matching.catalogue().inferred(key),
                           menukaart=load_menukaart(),
                           is_favourite=key in services.favourite_keys(current_user))


@bp.route("/matchen")
@public
def match():
    form = MatchForm(request.args)
    if not request.args:
        services.prefill_from_school(form, current_user)
        return render_template("catalogue/match.html", form=form, result=None)
    if not form.validate():
        return render_template("catalogue/match.html", form=form, result=None), 400
    engine_request = services.request_from_form(form)
    preferred = services.known_partners(current_user)
    result = services.MatchResult(
        matches=matching.match(engine_request, limit=10, preferred_providers=preferred),
        plan=matching.plan(engine_request, preferred_providers=preferred)
        if len(engine_request.interventions) > 1 else None)
    activities = {a.key: a for a in load_activities(result.activity_keys)}
    return render_template("catalogue/match.html", form=form, result=result,
                           activities=activities, menukaart=load_menukaart(),
                           unfilled=[] if result.matches else matching.unfilled(engine_request))


@bp.route("/favorieten")
@allow(*SCHOOL_ROLES)
def favourites():
    return render_template("catalogue/favourites.html",
                           activities=services.favourite_activities(current_user))


@bp.route("/aanbod/<key>/favoriet", methods=["POST"])
@allow(*SCHOOL_ROLES)
def toggle_favourite(key: str):
    activity = services.find_visible_activity(key)
    if activity is None:
        abort(404)
    added = services.toggle_favourite(user=current_user, activity=activity)
    db.session.commit()
    message = (_("'%(title)s' staat nu op uw shortlist.", title=activity.title) if added
               else _("'%(title)s' staat niet meer op uw shortlist.", title=activity.title))
    flash(message, "success")
    return redirect(url_for("catalogue.detail", key=key))
