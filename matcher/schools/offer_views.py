"""The provider's side of school requests and bookings (/voor-aanbieders): open requests in
the gemeenten the provider serves, tailored proposals, and confirming bookings. A provider only
ever sees its own bookings and requests in its region; anything else answers 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matcher.accounts.access import allow
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.reference.menukaart import load_menukaart
from matcher.schools import forms, queries, services
from matcher.schools.views import NONE_CHOICE, change_status_view, found_or_404, show_error
from providers.models import ActivityDate

bp = Blueprint("school_offers", __name__, url_prefix="/voor-aanbieders")


def _provider():
    provider = queries.find_provider_for(current_user)
    if provider is None:
        abort(404)
    return provider


@bp.route("/aanvragen")
@allow(Role.PROVIDER_STAFF)
def requests_overview():
    provider = queries.find_provider_for(current_user)
    found = queries.list_open_requests_for(provider) if provider else []
    return render_template("schools/provider_requests.html", provider=provider, requests=found)


@bp.route("/aanvragen/<int:request_id>", methods=["GET", "POST"])
@allow(Role.PROVIDER_STAFF)
def request_detail(request_id: int):
    provider = _provider()
    found = found_or_404(queries.get_request_for_provider, request_id, provider)
    own = queries.find_own_proposal(found, provider)
    form = forms.ProposalForm()
    form.activity_id.choices = forms.options(
        [NONE_CHOICE, *[(a.id, a.title) for a in provider.activities]])
    if form.validate_on_submit():
        activity = next((a for a in provider.activities if a.id == form.activity_id.data), None)
        try:
            services.submit_proposal(request=found, provider=provider, by=current_user,
                                     text=form.text.data, price=form.price.data,
                                     dates=form.parsed_dates(), activity=activity)
        except services.SchoolError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Uw voorstel is verstuurd naar de school."), "success")
            return redirect(url_for("school_offers.request_detail", request_id=request_id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("schools/provider_request.html", item=found, own=own, form=form,
                           menukaart=load_menukaart()), status


@bp.route("/boekingen")
@allow(Role.PROVIDER_STAFF)
def bookings_overview():
    provider = queries.find_provider_for(current_user)
    found = queries.list_bookings_for_provider(provider.id) if provider else []
    return render_template("schools/provider_bookings.html", provider=provider, bookings=found)


@bp.route("/boekingen/<int:booking_id>")
@allow(Role.PROVIDER_STAFF)
def booking_detail(booking_id: int):
    booking = found_or_404(queries.get_booking_for_provider, booking_id, _provider().id)
    return render_template("schools/booking_detail.html", booking=booking,
                           allowed=services.allowed_transitions(booking, current_user),
                           cancel_form=forms.CancelForm(), evaluation_form=None,
                           side="school_offers")


@bp.route("/boekingen/<int:booking_id>/status", methods=["POST"])
@allow(Role.PROVIDER_STAFF)
def booking_status(booking_id: int):
    booking = found_or_404(queries.get_booking_for_provider, booking_id, _provider().id)
    return change_status_view(booking, "school_offers.booking_detail")


@bp.route("/data/<int:date_id>/plaatsen", methods=["POST"])
@allow(Role.PROVIDER_STAFF)
def change_capacity(date_id: int):
    """The provider changes the seats of one of its dated sessions: never below what is
    booked. The seat counter lives with the bookings, hence this blueprint."""
    activity_date = db.session.get(ActivityDate, date_id)
    if activity_date is None or \
            activity_date.activity.provider.organisation_id != current_user.organisation_id:
        abort(404)
    back = url_for("providers.activity", activity_id=activity_date.activity_id)
    form = forms.CapacityForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors)
              or _("Controleer het aantal plaatsen."), "error")
        return redirect(back)
    try:
        services.change_capacity(activity_date=activity_date, capacity=form.capacity.data)
    except services.SchoolError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Het aantal plaatsen is nu %(capacity)d.", capacity=form.capacity.data), "success")
    return redirect(back)
