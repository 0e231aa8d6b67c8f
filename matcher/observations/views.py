"""Observations: the school's scan per group, invitations, the professional's form, export.

School pages are scoped to current_user.organisation_id (another school's group is a 404). The
professional's page is public but only reachable through an invitation: the token from the
e-mail is exchanged for a session entry at once, so it does not linger in the address bar.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from matcher.accounts.access import allow, public
from matcher.accounts.roles import Role
from matcher.db import db, utcnow
from matcher.extensions import limiter
from matcher.observations import export, queries, services
from matcher.observations.forms import (
    ErasePupilForm,
    InviteForm,
    PolicyForm,
    PupilCodesForm,
    build_observation_form,
)
from matcher.observations.models import AuditAction, InvitationStatus, LegalBasis
from matcher.observations.redaction import install_log_redaction
from matcher.observations.scan import ScorePoint, build_scan
from matcher.reference.dimensions import load_dimensions
from matcher.schools.models import SchoolGroup

bp = Blueprint("observations", __name__)
bp.record_once(lambda state: install_log_redaction())

STAFF = (Role.COORDINATOR, Role.TEACHER, Role.SCHOOL_LEADER)
WRITERS = (Role.COORDINATOR, Role.TEACHER)
PRIVACY_OFFICERS = (Role.COORDINATOR, Role.SCHOOL_LEADER)
SESSION_INVITATION = "observation_invitation"
SESSION_RECEIPT = "observation_receipt"


def _group(group_id: int) -> SchoolGroup:
    try:
        return queries.get_school_group(group_id=group_id,
                                        organisation_id=current_user.organisation_id)
    except queries.NotFound:
        abort(404)


def _attach_error(form, error: services.ObservationError) -> None:
    field = form._fields.get(error.field or "")
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


# --- school staff -------------------------------------------------------------------------

@bp.route("/observaties/")
@allow(*STAFF)
def index():
    return render_template(
        "observations/index.html",
        groups=queries.list_group_summaries(current_user.organisation_id, now=utcnow()),
        policy=queries.find_policy(current_user.organisation_id))


@bp.route("/observaties/grondslag", methods=["GET", "POST"])
@allow(*PRIVACY_OFFICERS)
def policy():
    current = queries.find_policy(current_user.organisation_id)
    form = PolicyForm(obj=current)
    if current is not None and request.method == "GET":
        form.legal_basis.data = current.legal_basis.value
    if form.validate_on_submit():
        try:
            services.record_policy(
                organisation=current_user.organisation,
                legal_basis=LegalBasis(form.legal_basis.data),
                explanation=form.explanation.data, retention_years=form.retention_years.data,
                pupil_notes_allowed=form.pupil_notes_allowed.data, by=current_user)
        except services.ObservationError as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            db.session.commit()
            flash(_("De grondslag voor observaties is vastgelegd."), "success")
            return redirect(url_for("observations.index"))
    return render_template("observations/policy.html", form=form, policy=current)


@bp.route("/observaties/groepen/<int:group_id>")
@allow(*STAFF)
def scan(group_id: int):
    group = _group(group_id)
    observations = queries.list_group_observations(group.id)
    services.record_audit(user=current_user, organisation_id=group.organisation_id,
                          group=group, action=AuditAction.VIEW_SCAN)
    db.session.commit()
    points = [ScorePoint(s.dimension, o.observed_on, o.source, s.score)
              for o in observations for s in o.scores if s.score is not None]
    return render_template(
        "observations/scan.html", group=group, observations=observations,
        scan=build_scan(load_dimensions().dimensions, points),
        invitations=queries.list_invitations(group.id), now=utcnow(),
        InvitationStatus=InvitationStatus, as_utc=services.as_utc,
        policy=queries.find_policy(group.organisation_id))


@bp.route("/observaties/<int:observation_id>")
@allow(*STAFF)
def detail(observation_id: int):
    try:
        observation = queries.get_observation(observation_id=observation_id,
                                              organisation_id=current_user.organisation_id)
    except queries.NotFound:
        abort(404)
    services.record_audit(user=current_user, organisation_id=observation.organisation_id,
                          group=observation.group, action=AuditAction.VIEW_OBSERVATION)
    db.session.commit()
    return render_template("observations/detail.html",
                           read=queries.read_observation(observation),
                           dimensions=load_dimensions())


def _audited_export(group_id: int, action: AuditAction):
    """The group's observations, read for an export that is written to the audit log first."""
    group = _group(group_id)
    reads = [queries.read_observation(o) for o in queries.list_group_observations(group.id)]
    services.record_audit(user=current_user, organisation_id=group.organisation_id,
                          group=group, action=action)
    db.session.commit()
    return group, reads


@bp.route("/observaties/groepen/<int:group_id>/export.csv")
@allow(*STAFF)
def export_csv(group_id: int):
    group, reads = _audited_export(group_id, AuditAction.EXPORT_CSV)
    return _download(export.to_csv(reads), "text/csv; charset=utf-8", group, "csv")


@bp.route("/observaties/groepen/<int:group_id>/export.json")
@allow(*STAFF)
def export_json(group_id: int):
    group, reads = _audited_export(group_id, AuditAction.EXPORT_JSON)
    body = json.dumps(export.to_json(group, reads, exported_at=datetime.now(UTC)),
                      ensure_ascii=False, indent=2)
    return _download(body, "application/json; charset=utf-8", group, "json")


def _download(body: str, mimetype: str, group: SchoolGroup, extension: str) -> Response:
    name = "".join(c if c.isalnum() else "-" for c in f"{group.name}-{group.school_year}")
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = \
        f'attachment; filename="observaties-{name}.{extension}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/observaties/groepen/<int:group_id>/uitnodigen", methods=["GET", "POST"])
@allow(*WRITERS)
def invite(group_id: int):
    group = _group(group_id)
    form = InviteForm()
    policy = queries.find_policy(group.organisation_id)
    if form.validate_on_submit():
        try:
            services.invite_professional(
                group=group, email=form.email.data, observer_name=form.observer_name.data,
                activity_reference=form.activity_reference.data or "",
                period_start=form.period_start.data, period_end=form.period_end.data,
                by=current_user)
        except services.ObservationError as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            db.session.commit()
            flash(_("De uitnodiging is verstuurd naar %(email)s.", email=form.email.data),
                  "success")
            return redirect(url_for("observations.scan", group_id=group.id))
    return render_template("observations/invite.html", form=form, group=group, policy=policy)


@bp.route("/observaties/uitnodigingen/<int:invitation_id>/intrekken", methods=["POST"])
@allow(*WRITERS)
def revoke(invitation_id: int):
    try:
        invitation = queries.get_invitation(invitation_id=invitation_id,
                                            organisation_id=current_user.organisation_id)
    except queries.NotFound:
        abort(404)
    try:
        services.revoke_invitation(invitation=invitation, by=current_user)
    except services.ObservationError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("De uitnodiging is ingetrokken; de link werkt niet meer."), "success")
    return redirect(url_for("observations.scan", group_id=invitation.group_id))


@bp.route("/observaties/groepen/<int:group_id>/eigen-observatie", methods=["GET", "POST"])
@allow(*WRITERS)
def own_observation(group_id: int):
    group = _group(group_id)
    policy = queries.find_policy(group.organisation_id)
    codes = [c.code for c in queries.list_pupil_codes(group.id)] \
        if policy and policy.pupil_notes_allowed else []
    form = build_observation_form(external=False, pupil_codes=codes)
    if form.validate_on_submit():
        try:
            services.add_own_observation(group=group, data=form.to_input(), by=current_user)
        except services.ObservationError as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Uw eigen observatie is opgeslagen."), "success")
            return redirect(url_for("observations.scan", group_id=group.id))
    return render_template("observations/own.html", form=form, group=group, policy=policy)


@bp.route("/observaties/groepen/<int:group_id>/leerlingcodes")
@allow(*STAFF)
def pupil_codes(group_id: int):
    group = _group(group_id)
    return render_template("observations/pupil_codes.html", group=group,
                           codes=queries.list_pupil_codes(group.id), form=PupilCodesForm(),
                           erase_form=ErasePupilForm(),
                           policy=queries.find_policy(group.organisation_id))


@bp.route("/observaties/groepen/<int:group_id>/leerlingcodes/nieuw", methods=["POST"])
@allow(*WRITERS)
def issue_pupil_codes(group_id: int):
    group = _group(group_id)
    form = PupilCodesForm()
    if form.validate_on_submit():
        try:
            codes = services.issue_pupil_codes(group=group, count=form.count.data,
                                               by=current_user)
        except services.ObservationError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(count)d nieuwe leerlingcodes gemaakt.", count=len(codes)), "success")
    else:
        flash(" ".join(map(str, form.count.errors)) or _("Controleer het aantal."), "error")
    return redirect(url_for("observations.pupil_codes", group_id=group.id))


@bp.route("/observaties/groepen/<int:group_id>/leerlingcodes/wissen", methods=["POST"])
@allow(*PRIVACY_OFFICERS)
def erase_pupil(group_id: int):
    group = _group(group_id)
    form = ErasePupilForm()
    if form.validate_on_submit():
        try:
            erased = services.erase_pupil(group=group, code=form.code.data, by=current_user)
        except services.ObservationError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("De leerlingcode en %(count)d notitie(s) onder die code zijn gewist.",
                    count=erased),
                  "success")
    else:
        flash(_("Vul de leerlingcode in die u wilt wissen."), "error")
    return redirect(url_for("observations.pupil_codes", group_id=group.id))


@bp.route("/observaties/auditlog")
@allow(*PRIVACY_OFFICERS)
def audit_log():
    return render_template("observations/audit_log.html",
                           entries=queries.list_audit_entries(current_user.organisation_id))


# --- curators: counts only ----------------------------------------------------------------

@bp.route("/observaties/regio")
@allow(Role.CURATOR)
def region():
    return render_template("observations/region.html",
                           counts=queries.region_counts(current_user.organisation.region or [],
                                                        now=utcnow()))


# --- the external professional ------------------------------------------------------------

@bp.route("/observaties/mijn-uitnodigingen")
@allow(Role.PROFESSIONAL)
def my_invitations():
    return render_template("observations/my_invitations.html",
                           invitations=queries.list_open_invitations_for_email(
                               current_user.email, now=utcnow()),
                           as_utc=services.as_utc)


@bp.route("/observaties/mijn-uitnodigingen/<int:invitation_id>", methods=["POST"])
@allow(Role.PROFESSIONAL)
def start_my_invitation(invitation_id: int):
    try:
        invitation = queries.get_open_invitation_for_email(
            invitation_id=invitation_id, email=current_user.email, now=utcnow())
    except queries.NotFound:
        abort(404)
    session[SESSION_INVITATION] = invitation.id
    return redirect(url_for("observations.fill"))


def _unusable(error: services.InvitationUnusable, status: int):
    return render_template("observations/link_invalid.html", message=str(error)), status


@bp.route("/observatie/<token>")
@public
@limiter.limit("30 per minute")
def open_invitation(token: str):
    invitation = queries.find_invitation_by_token(token)
    try:
        services.usable_invitation(invitation)
    except services.InvitationUnusable as error:
        return _unusable(error, 404 if invitation is None else 410)
    session[SESSION_INVITATION] = invitation.id
    return redirect(url_for("observations.fill"))


@bp.route("/observatie/invullen", methods=["GET", "POST"])
@public
def fill():
    invitation_id = session.get(SESSION_INVITATION)
    invitation = queries.find_invitation(invitation_id) if invitation_id else None
    try:
        services.usable_invitation(invitation)
    except services.InvitationUnusable as error:
        session.pop(SESSION_INVITATION, None)
        if invitation is None:
            return _unusable(services.InvitationUnusable(
                _("Open de link uit uw uitnodiging om de observatie in te vullen.")), 404)
        return _unusable(error, 410)
    group = invitation.group
    policy = queries.find_policy(group.organisation_id)
    codes = [c.code for c in queries.list_pupil_codes(group.id)] \
        if policy and policy.pupil_notes_allowed else []
    form = build_observation_form(external=True, pupil_codes=codes)
    if form.validate_on_submit():
        try:
            observation = services.submit_observation(invitation=invitation,
                                                      data=form.to_input())
        except services.InvitationUnusable as error:
            db.session.rollback()
            session.pop(SESSION_INVITATION, None)
            return _unusable(error, 410)
        except services.ObservationError as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            db.session.commit()
            session.pop(SESSION_INVITATION, None)
            session[SESSION_RECEIPT] = {
                "code": observation.receipt_code, "school": group.organisation.name,
                "group": group.name, "at": services.as_utc(observation.created_at).isoformat()}
            return redirect(url_for("observations.receipt"))
    return render_template("observations/fill.html", form=form, invitation=invitation,
                           group=group, as_utc=services.as_utc)


@bp.route("/observatie/ontvangen")
@public
def receipt():
    data = session.get(SESSION_RECEIPT)
    if not data:
        return _unusable(services.InvitationUnusable(
            _("Er is in deze browser geen observatie verstuurd.")), 404)
    return render_template("observations/receipt.html", receipt=data,
                           received_at=datetime.fromisoformat(data["at"]))
