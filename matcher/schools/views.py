"""The school side (/school). Every object is looked up within the user's own organisation: another
school's request, booking or budget answers 404, never 403, so ids reveal nothing."""

from __future__ import annotations

import secrets
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from matcher import limits, matching
from matcher.accounts.access import allow
from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db
from matcher.engine.model import LEERLINGEN, TEAM
from matcher.reference.dimensions import load_dimensions
from matcher.reference.menukaart import load_menukaart
from matcher.schools import forms, queries, services
from matcher.schools.keuzehulp import LEARNING_AREAS, advise
from matcher.schools.models import (
    BookingStatus,
    Proposal,
    RequestStatus,
    ScanLevel,
    StreamKind,
)
from matcher.schools.programme import build_programme, programme_csv, programme_pdf
from providers.models import Activity, ActivityDate, ActivityStatus

bp = Blueprint("schools", __name__, url_prefix="/school")

SCHOOL = (Role.COORDINATOR, Role.TEACHER, Role.SCHOOL_LEADER)
SCHOOL_SIDE = (*SCHOOL, Role.GEMEENTE)
PLANNERS = (Role.COORDINATOR, Role.SCHOOL_LEADER, Role.GEMEENTE)
BOOKERS = (Role.COORDINATOR, Role.TEACHER, Role.GEMEENTE)
NONE_CHOICE = (0, _l("– geen –"))


def _organisation():
    return current_user.organisation


def found_or_404(getter, *args):
    try:
        return getter(*args)
    except queries.NotFound:
        abort(404)


def show_error(form, error: services.SchoolError) -> None:
    """Show a refused use case beside its field, or at the top of the form."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _stream_choices(organisation_id: int) -> list[tuple[int, str]]:
    return [(s.id, f"{s.name} (vóór {s.deadline:%d-%m-%Y})")
            for s in queries.list_open_streams(organisation_id)]


# --- dashboard ----------------------------------------------------------------------------

@bp.route("/")
@allow(*SCHOOL_SIDE)
def dashboard():
    organisation_id = current_user.organisation_id
    bookings = queries.list_bookings(organisation_id)
    return render_template(
        "schools/dashboard.html", summaries=queries.stream_summaries(organisation_id,
                                                                     date.today()),
        requests=queries.list_requests(organisation_id)[:5],
        bookings=[b for b in bookings if b.status not in (BookingStatus.CANCELLED,
                                                          BookingStatus.EVALUATED)],
        to_evaluate=[b for b in bookings if b.status == BookingStatus.DONE])


# --- groups -------------------------------------------------------------------------------

@bp.route("/groepen", methods=["GET", "POST"])
@allow(*SCHOOL_SIDE)
def groups():
    form = forms.GroupForm()
    form.school_year.choices = forms.options(forms.school_years())
    can_edit = current_user.role in PLANNERS and \
        _organisation().kind == OrganisationKind.SCHOOL
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if form.validate_on_submit():
            try:
                group = services.create_group(
                    organisation=_organisation(), name=form.name.data,
                    school_year=form.school_year.data,
                    grades=[int(g) for g in form.grades.data], pupils=form.pupils.data)
            except services.SchoolError as error:
                show_error(form, error)
            else:
                db.session.commit()
                flash(_("Groep %(name)s toegevoegd.", name=group.name), "success")
                return redirect(url_for("schools.groups"))
    return render_template("schools/groups.html", form=form, can_edit=can_edit,
                           groups=queries.list_groups(current_user.organisation_id))


@bp.route("/groepen/<int:group_id>/bewerken", methods=["GET", "POST"])
@allow(Role.COORDINATOR, Role.SCHOOL_LEADER)
def edit_group(group_id: int):
    group = found_or_404(queries.get_group, group_id, current_user.organisation_id)
    form = forms.GroupEditForm()
    if request.method == "GET":
        form.name.data, form.pupils.data = group.name, group.pupils
        form.grades.data = [str(g) for g in group.grade_list]
    if form.validate_on_submit():
        try:
            services.update_group(group=group, name=form.name.data,
                                  grades=[int(g) for g in form.grades.data],
                                  pupils=form.pupils.data)
        except services.SchoolError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Groep %(name)s opgeslagen.", name=group.name), "success")
            return redirect(url_for("schools.groups"))
    return render_template("schools/group_edit.html", form=form, group=group), \
        400 if form.errors or form.form_errors else 200


@bp.route("/groepen/<int:group_id>/verwijderen", methods=["POST"])
@allow(Role.COORDINATOR, Role.SCHOOL_LEADER)
def remove_group(group_id: int):
    group = found_or_404(queries.get_group, group_id, current_user.organisation_id)
    name = group.name
    try:
        services.remove_group(group=group)
    except services.SchoolError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Groep %(name)s verwijderd.", name=name), "success")
    return redirect(url_for("schools.groups"))


# --- keuzehulp ----------------------------------------------------------------------------

@bp.route("/keuzehulp", methods=["GET", "POST"])
@allow(*SCHOOL)
def keuzehulp():
    form = forms.ScanForm()
    form.school_year.choices = forms.options(forms.school_years())
    form.group_id.choices = forms.options([NONE_CHOICE, *[
        (g.id, f"{g.name} ({g.school_year})")
        for g in queries.list_groups(current_user.organisation_id)]])
    if form.validate_on_submit():
        group = next((g for g in queries.list_groups(current_user.organisation_id)
                      if g.id == form.group_id.data), None)
        try:
            scan = services.record_scan(
                organisation=_organisation(), by=current_user,
                school_year=form.school_year.data, delays=form.delays(),
                needs=list(form.needs.data), group=group,
                grade=int(form.grade.data) if form.grade.data else None,
                notes=form.notes.data or "")
        except services.SchoolError as error:
            show_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("schools.advice", scan_id=scan.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("schools/keuzehulp.html", form=form,
                           scans=queries.list_scans(current_user.organisation_id)), status


@bp.route("/keuzehulp/<int:scan_id>")
@allow(*SCHOOL)
def advice(scan_id: int):
    scan = found_or_404(queries.get_scan, scan_id, current_user.organisation_id)
    result = advise(scan.delays, scan.needs)
    organisation = _organisation()
    form = forms.AdviceForm(request.args)
    valid = form.validate() if request.args else True
    for_team = valid and form.for_team
    filling = {}
    unfilled = {}
    activities = {}
    preferred = queries.booked_provider_keys(organisation.id)
    for proposal in result.proposals[:4]:
        engine_request = services.scan_request(
            scan=scan, organisation=organisation, intervention=proposal.key,
            participants=TEAM if for_team else LEERLINGEN,
            team_size=form.team_size.data if for_team else None)
        found = matching.match(engine_request, limit=3, preferred_providers=preferred)
        filling[proposal.key] = found
        if not found:
            unfilled[proposal.key] = matching.unfilled(engine_request)
        activities.update(_activities([m.activity_key for m in found]))
    return render_template("schools/advice.html", scan=scan, advice=result, filling=filling,
                           unfilled=unfilled, activities=activities, areas=LEARNING_AREAS,
                           form=form,
                           for_team=for_team,
                           levels={level.value: level.label for level in ScanLevel},
                           dimensions=load_dimensions()), 200 if valid else 400


def _activities(keys: list[str]) -> dict[str, Activity]:
    if not keys:
        return {}
    rows = db.session.scalars(db.select(Activity).where(Activity.key.in_(keys)))
    return {a.key: a for a in rows}


# --- requests -----------------------------------------------------------------------------

def _group_choices(organisation) -> list:
    if organisation.kind == OrganisationKind.GEMEENTE:
        return [(g.id, f"{g.organisation.name}: {g.name} ({g.pupils} lln.)")
                for g in queries.list_region_groups(organisation)]
    return [(g.id, f"{g.name} ({g.school_year}, {g.pupils} lln.)")
            for g in queries.list_groups(organisation.id)]


@bp.route("/aanvragen")
@allow(*SCHOOL_SIDE)
def requests():
    return render_template("schools/requests.html",
                           requests=queries.list_requests(current_user.organisation_id))


@bp.route("/aanvragen/nieuw", methods=["GET", "POST"])
@allow(*SCHOOL_SIDE)
def new_request():
    organisation = _organisation()
    form = forms.RequestForm()
    form.group_ids.choices = forms.options(_group_choices(organisation))
    if request.method == "GET":
        wanted = set(request.args.getlist("interventie"))
        form.interventions.data = [c.value for c in form.interventions.choices
                                  if c.value in wanted]
        if request.args.get("voor") == TEAM:  # from the keuzehulp's advice for the team
            form.participants.data = TEAM
            forms.count_participants(form.pupils)
    if form.validate_on_submit():
        chosen = set(form.group_ids.data or [])
        groups = [g for g in (queries.list_region_groups(organisation)
                              if organisation.kind == OrganisationKind.GEMEENTE
                              else queries.list_groups(organisation.id)) if g.id in chosen]
        try:
            created = services.create_request(
                organisation=organisation, by=current_user, title=form.title.data,
                interventions=list(form.interventions.data), groups=groups,
                pupils=form.pupils.data, grades=[int(g) for g in form.grades.data or []],
                periods=list(form.periods.data or []), budget=form.budget.data,
                date_from=form.date_from.data, date_to=form.date_to.data,
                disciplines=list(form.disciplines.data or []),
                competences=list(form.competences.data or []), wishes=form.wishes.data or "",
                participants=form.participants.data or LEERLINGEN)
        except services.SchoolError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Aanvraag opgeslagen. Hieronder ziet u meteen passend aanbod."), "success")
            return redirect(url_for("schools.request_detail", request_id=created.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("schools/request_form.html", form=form), status


@bp.route("/aanvragen/<int:request_id>")
@allow(*SCHOOL_SIDE)
def request_detail(request_id: int):
    found = found_or_404(queries.get_request, request_id, current_user.organisation_id)
    engine_request = services.engine_request(found)
    preferred = queries.booked_provider_keys(current_user.organisation_id)
    matches = matching.match(engine_request, limit=10, preferred_providers=preferred)
    plan = matching.plan(engine_request, preferred_providers=preferred) \
        if len(found.interventions) > 1 else None
    keys = [m.activity_key for m in matches] + ([m.activity_key for m in plan.matches]
                                               if plan else [])
    return render_template("schools/request_detail.html", item=found, matches=matches,
                           plan=plan, activities=_activities(keys), menukaart=load_menukaart(),
                           unfilled=[] if matches else matching.unfilled(engine_request),
                           can_decide=current_user.role in PLANNERS,
                           can_book=current_user.role in BOOKERS)


@bp.route("/aanvragen/<int:request_id>/status", methods=["POST"])
@allow(*PLANNERS)
def request_status(request_id: int):
    found = found_or_404(queries.get_request, request_id, current_user.organisation_id)
    try:
        target = RequestStatus(request.form.get("to", ""))
    except ValueError:
        abort(400)
    try:
        if target == RequestStatus.OPEN:
            count = services.publish_request(request=found, by=current_user)
            message = _("Aanvraag gepubliceerd voor %(count)d aanbieder(s) in uw regio.",
                        count=count)
        else:
            services.change_request_status(request=found, to=target, by=current_user)
            message = _("Aanvraag is nu: %(status)s.", status=target.label.lower())
    except services.SchoolError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("schools.request_detail", request_id=request_id))


@bp.route("/aanvragen/<int:request_id>/voorstellen/<int:proposal_id>/accepteren",
          methods=["POST"])
@allow(*PLANNERS)
def accept_proposal(request_id: int, proposal_id: int):
    found = found_or_404(queries.get_request, request_id, current_user.organisation_id)
    proposal = found_or_404(queries.get_proposal, proposal_id, found)
    try:
        services.accept_proposal(proposal=proposal, by=current_user)
    except services.SchoolError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("schools.request_detail", request_id=request_id))
    db.session.commit()
    flash(_("Voorstel van %(name)s geaccepteerd. Boek nu een datum.", name=proposal.provider.name),
          "success")
    return redirect(url_for("schools.book", voorstel=proposal.id))


# --- bookings -----------------------------------------------------------------------------

def _booking_target(organisation_id: int):
    """(activity, proposal, request) the booking form is about, from the query string."""
    proposal = activity = linked_request = None
    if request.args.get("voorstel"):
        proposal_id = limits.row_id(request.args["voorstel"])
        proposal = db.session.get(Proposal, proposal_id) if proposal_id else None
        if proposal is None or proposal.request.organisation_id != organisation_id:
            abort(404)
        linked_request, activity = proposal.request, proposal.activity
    elif request.args.get("activiteit"):
        activity = db.session.scalar(db.select(Activity).where(
            Activity.key == request.args["activiteit"],
            Activity.status == ActivityStatus.APPROVED))
        if activity is None or not activity.provider.approved:
            abort(404)
        if request.args.get("aanvraag"):
            request_id = limits.row_id(request.args["aanvraag"])
            if request_id is None:
                abort(404)
            linked_request = found_or_404(queries.get_request, request_id, organisation_id)
    else:
        abort(404)
    return activity, proposal, linked_request


@bp.route("/boeken", methods=["GET", "POST"])
@allow(*BOOKERS)
def book():
    organisation = _organisation()
    activity, proposal, linked_request = _booking_target(organisation.id)
    form = forms.BookingForm()
    if (linked_request and linked_request.for_team) or \
            (activity and activity.effective_participants == TEAM):
        form.seats.label.text = _("Aantal deelnemers (plaatsen)")
    keys = linked_request.interventions if linked_request else \
        activity.effective_interventions
    menukaart = load_menukaart()
    form.intervention.choices = forms.options(
        [(k, menukaart.get(k).name) for k in keys if menukaart.get(k)]
        or forms.intervention_choices())
    sessions = [s for s in (activity.dates if activity else []) if s.starts_at.date() >=
                date.today()]
    form.activity_date_id.choices = forms.options([NONE_CHOICE, *[
        (s.id, f"{s.starts_at:%d-%m-%Y %H:%M} ({s.capacity} plaatsen)") for s in sessions]])
    form.group_id.choices = forms.options([NONE_CHOICE, *_group_choices(organisation)])
    form.funding_stream_id.choices = forms.options(_stream_choices(organisation.id))
    is_gemeente = organisation.kind == OrganisationKind.GEMEENTE
    schools = queries.list_region_schools(organisation) if is_gemeente else []
    form.for_school_id.choices = forms.options([NONE_CHOICE,
                                                *[(s.id, s.name) for s in schools]])
    if request.method == "GET":
        form.nonce.data = secrets.token_urlsafe(24)
        if linked_request:
            form.seats.data = linked_request.pupils
    if form.validate_on_submit():
        group = next((g for g in (queries.list_region_groups(organisation) if is_gemeente
                                  else queries.list_groups(organisation.id))
                      if g.id == form.group_id.data), None)
        session = db.session.get(ActivityDate, form.activity_date_id.data) \
            if form.activity_date_id.data else None
        try:
            stream = queries.get_stream(form.funding_stream_id.data, organisation.id)
            result = services.book(
                organisation=organisation, by=current_user, nonce=form.nonce.data,
                stream=stream, on_date=session.starts_at.date() if session else
                form.on_date.data, seats=form.seats.data,
                intervention=form.intervention.data, activity=None if proposal else activity,
                proposal=proposal, activity_date_id=session.id if session else None,
                group=group, request=linked_request,
                for_school=next((s for s in schools if s.id == form.for_school_id.data), None))
        except queries.NotFound:
            abort(404)
        except services.DuplicateSubmit as duplicate:
            db.session.rollback()
            first = queries.find_booking_by_nonce(duplicate.nonce)
            if first is None or first.organisation_id != organisation.id:
                abort(409)
            return redirect(url_for("schools.booking_detail", booking_id=first.id))
        except services.SchoolError as error:
            show_error(form, error)
        else:
            db.session.commit()
            if result.created:
                flash(_("Geboekt. De aanbieder krijgt bericht en bevestigt de boeking."), "success")
            return redirect(url_for("schools.booking_detail", booking_id=result.booking.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("schools/book.html", form=form, activity=activity, proposal=proposal,
                           linked_request=linked_request, is_gemeente=is_gemeente,
                           has_sessions=bool(sessions)), status


@bp.route("/boekingen")
@allow(*SCHOOL_SIDE)
def bookings():
    return render_template("schools/bookings.html",
                           bookings=queries.list_bookings(current_user.organisation_id))


@bp.route("/boekingen/<int:booking_id>")
@allow(*SCHOOL_SIDE)
def booking_detail(booking_id: int):
    booking = found_or_404(queries.get_booking, booking_id, current_user.organisation_id)
    return render_template("schools/booking_detail.html", booking=booking,
                           allowed=services.allowed_transitions(booking, current_user),
                           cancel_form=forms.CancelForm(), evaluation_form=forms.EvaluationForm(),
                           side="schools")


def change_status_view(booking, endpoint: str):
    try:
        target = BookingStatus(request.form.get("to", ""))
    except ValueError:
        abort(400)
    cancel_form = forms.CancelForm()
    evaluation_form = forms.EvaluationForm()
    try:
        if target == BookingStatus.CANCELLED and not cancel_form.validate():
            raise services.SchoolError(" ".join(map(str, cancel_form.reason.errors)) or
                                       _("Geef een reden voor de annulering."), field="reason")
        if target == BookingStatus.EVALUATED and not evaluation_form.validate():
            raise services.SchoolError(_("Controleer de evaluatie."))
        services.change_booking_status(
            booking=booking, to=target, by=current_user, reason=cancel_form.reason.data or "",
            stars=evaluation_form.stars.data, text=evaluation_form.text.data or "")
    except services.SchoolError as error:
        db.session.rollback()
        refused = isinstance(error, services.StatusRefused)
        if not refused:
            show_error(evaluation_form if target == BookingStatus.EVALUATED else cancel_form,
                       error)
        # A refused step has no form of its own on the page (it is no next step): the
        # message stands at the top.
        return render_template(
            "schools/booking_detail.html", booking=booking,
            allowed=services.allowed_transitions(booking, current_user),
            problem=str(error) if refused else None,
            cancel_form=cancel_form, evaluation_form=evaluation_form,
            side="schools" if endpoint.startswith("schools") else "school_offers"), \
            409 if isinstance(error, services.StatusRefused) else 400
    db.session.commit()
    flash(_("Boeking is nu: %(status)s.", status=target.label.lower()), "success")
    return redirect(url_for(endpoint, booking_id=booking.id))


@bp.route("/boekingen/<int:booking_id>/status", methods=["POST"])
@allow(*SCHOOL_SIDE)
def booking_status(booking_id: int):
    booking = found_or_404(queries.get_booking, booking_id, current_user.organisation_id)
    if booking.organisation_id != current_user.organisation_id:
        abort(404)  # the school a gemeente booked for may look, not act
    return change_status_view(booking, "schools.booking_detail")


# --- budgets ------------------------------------------------------------------------------

@bp.route("/budget", methods=["GET", "POST"])
@allow(*SCHOOL_SIDE)
def budget():
    form = forms.StreamForm()
    can_edit = current_user.role in PLANNERS
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if form.validate_on_submit():
            try:
                services.add_funding_stream(
                    organisation=_organisation(), kind=StreamKind(form.kind.data),
                    name=form.name.data or "", amount=form.amount.data,
                    deadline=form.deadline.data)
            except services.SchoolError as error:
                show_error(form, error)
            else:
                db.session.commit()
                flash(_("Budget toegevoegd."), "success")
                return redirect(url_for("schools.budget"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("schools/budget.html", form=form, can_edit=can_edit,
                           summaries=queries.stream_summaries(current_user.organisation_id,
                                                              date.today())), status


@bp.route("/budget/<int:stream_id>/bewerken", methods=["GET", "POST"])
@allow(*PLANNERS)
def edit_stream(stream_id: int):
    stream = found_or_404(queries.get_stream, stream_id, current_user.organisation_id)
    form = forms.StreamForm()
    if request.method == "GET":
        form.kind.data, form.name.data = stream.kind.value, stream.name
        form.amount.data, form.deadline.data = stream.amount, stream.deadline
    if form.validate_on_submit():
        try:
            services.update_funding_stream(
                stream=stream, kind=StreamKind(form.kind.data), name=form.name.data or "",
                amount=form.amount.data, deadline=form.deadline.data)
        except services.SchoolError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Budget %(name)s opgeslagen.", name=stream.name), "success")
            return redirect(url_for("schools.budget"))
    return render_template("schools/stream_edit.html", form=form, stream=stream), \
        400 if form.errors or form.form_errors else 200


@bp.route("/budget/<int:stream_id>/verwijderen", methods=["POST"])
@allow(*PLANNERS)
def remove_stream(stream_id: int):
    """Delete a stream nothing is charged to; close one with bookings (never deleted)."""
    stream = found_or_404(queries.get_stream, stream_id, current_user.organisation_id)
    name = stream.name
    deleted = services.remove_funding_stream(stream=stream)
    db.session.commit()
    flash(_("Budget %(name)s verwijderd.", name=name) if deleted else
          _("Budget %(name)s is gesloten: er zijn boekingen of onderdelen ten laste van dit "
            "budget, dus het blijft zichtbaar met wat er is besteed. Er kan niets nieuws meer "
            "op worden geboekt.", name=name), "success")
    return redirect(url_for("schools.budget"))


# --- the schoolprogramma ------------------------------------------------------------------

def _school_year() -> str:
    wanted = request.args.get("jaar", "")
    allowed = [year for year, _label in forms.school_years()]
    return wanted if wanted in allowed else allowed[0]


@bp.route("/programma", methods=["GET", "POST"])
@allow(*SCHOOL_SIDE)
def programme():
    organisation = _organisation()
    year = _school_year()
    item_form = forms.ProgrammeItemForm(prefix="item")
    item_form.funding_stream_id.choices = forms.options(
        [NONE_CHOICE, *_stream_choices(organisation.id)])
    mr_form = forms.MrForm(prefix="mr")
    can_edit = current_user.role in PLANNERS
    if request.method == "POST":
        if not can_edit:
            abort(403)
        try:
            if "mr-mr_agreed_on" in request.form and mr_form.validate_on_submit():
                services.set_mr_agreement(organisation=organisation, school_year=year,
                                          agreed_on=mr_form.mr_agreed_on.data)
                message = _("Datum van instemming opgeslagen.")
            elif "item-title" in request.form and item_form.validate_on_submit():
                stream = queries.get_stream(item_form.funding_stream_id.data, organisation.id) \
                    if item_form.funding_stream_id.data else None
                services.add_programme_item(
                    organisation=organisation, intervention=item_form.intervention.data,
                    title=item_form.title.data, staff=item_form.staff.data,
                    on_date=item_form.on_date.data, cost=item_form.cost.data or 0,
                    stream=stream)
                message = _("Onderdeel toegevoegd aan het schoolprogramma.")
            else:
                message = None
        except queries.NotFound:
            abort(404)
        except services.SchoolError as error:
            show_error(mr_form if error.field == "mr_agreed_on" else item_form, error)
            message = None
        if message:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("schools.programme", jaar=year))
    view = build_programme(organisation, year)
    if request.method == "GET":
        mr_form.mr_agreed_on.data = view.mr_agreed_on
    status = 400 if request.method == "POST" else 200
    return render_template("schools/programme.html", view=view, item_form=item_form,
                           mr_form=mr_form, can_edit=can_edit, year=year,
                           years=forms.school_years()), status


@bp.route("/programma/onderdelen/<int:item_id>/verwijderen", methods=["POST"])
@allow(*PLANNERS)
def remove_programme_item(item_id: int):
    """Take a part the school does itself out of its own programme (another school's: 404)."""
    item = found_or_404(queries.get_programme_item, item_id, current_user.organisation_id)
    year = queries.school_year_of(item.on_date) if item.on_date else _school_year()
    title = services.remove_programme_item(item=item)
    db.session.commit()
    flash(_("'%(title)s' is uit het schoolprogramma gehaald.", title=title), "success")
    return redirect(url_for("schools.programme", jaar=year))


@bp.route("/programma.pdf")
@allow(*SCHOOL_SIDE)
def programme_pdf_download():
    view = build_programme(_organisation(), _school_year())
    return Response(programme_pdf(view), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="schoolprogramma-{view.school_year}.pdf"'})


@bp.route("/programma.csv")
@allow(*SCHOOL_SIDE)
def programme_csv_download():
    view = build_programme(_organisation(), _school_year())
    return Response("\ufeff" + programme_csv(view), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="schoolprogramma-{view.school_year}.csv"'})
