"""Administration of users and organisations, for the platform's administrators."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from matcher.accounts import audit, queries, second_factor, services
from matcher.accounts.access import allow
from matcher.accounts.forms import ChangeRoleForm, CreateUserForm, ReauthenticateForm
from matcher.accounts.reauth import require_recent_auth
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.errors import error_response
from matcher.urls import safe_next_url

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.route("/gebruikers")
@allow(Role.ADMINISTRATOR)
def users():
    return render_template("admin/users.html", users=queries.list_users(),
                           password_state=services.password_state,
                           can_be_invited=services.can_be_invited)


def _organisation_choices() -> list[SelectChoice]:
    return [SelectChoice(o.id, f"{o.name} ({o.kind.value})")
            for o in queries.list_organisations()]


def _user_or_404(user_id: int):
    try:
        return queries.get_user(user_id)
    except queries.NotFound:
        abort(404)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR)
@require_recent_auth
def create_user():
    form = CreateUserForm()
    form.organisation_id.choices = _organisation_choices()
    form.password.description = _(
        "Leeg laten (aanbevolen): de gebruiker krijgt een e-mail met een link om zelf een "
        "wachtwoord te kiezen, en niemand anders kent het. Een tijdelijk wachtwoord werkt "
        "%(hours)d uur, en alleen om bij de eerste keer inloggen een eigen wachtwoord te "
        "kiezen.", hours=services.temporary_password_hours())
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data, name=form.name.data, role=Role(form.role.data),
                organisation=queries.get_organisation(form.organisation_id.data),
                password=form.password.data or None, by=current_user, temporary=True)
            if not form.password.data:
                services.invite_user(user)
        except services.AccountError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Account voor %(name)s aangemaakt.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form)


@bp.route("/gebruikers/<int:user_id>/actief", methods=["POST"])
@allow(Role.ADMINISTRATOR)
@require_recent_auth
def toggle_active(user_id: int):
    try:
        user = queries.get_user(user_id)
    except queries.NotFound:
        abort(404)
    try:
        services.set_active(user=user, active=not user.active, by=current_user)
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        message = (_("%(name)s is geactiveerd.", name=user.name) if user.active
                   else _("%(name)s is geblokkeerd.", name=user.name))
        flash(message, "success")
    return redirect(url_for("admin.users"))


@bp.route("/gebruikers/<int:user_id>/uitnodigen", methods=["POST"])
@allow(Role.ADMINISTRATOR)
@require_recent_auth
def reinvite_user(user_id: int):
    """A new invitation by mail, e.g. when a temporary password expired before its use."""
    user = _user_or_404(user_id)
    return _account_action(
        services.reinvite_user, user,
        _("%(name)s krijgt een nieuwe uitnodiging per e-mail, met een link om zelf een "
          "wachtwoord te kiezen.", name=user.name))


def _account_action(action, user, done: str):
    """Run an administrator's action on an account: committed and `done` told, or the
    service's refusal told with nothing changed."""
    try:
        action(user=user, by=current_user)
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("admin.users"))


@bp.route("/gebruikers/<int:user_id>/rol", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR)
@require_recent_auth
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = ChangeRoleForm(data={"role": user.role.value, "organisation_id": user.organisation_id}
                          if request.method == "GET" else None)
    form.organisation_id.choices = _organisation_choices()
    if form.validate_on_submit():
        try:
            changed = services.change_role(
                user=user, role=Role(form.role.data),
                organisation=queries.get_organisation(form.organisation_id.data),
                by=current_user)
        except (services.AccountError, queries.NotFound) as error:
            db.session.rollback()
            form.form_errors.append(str(error) if isinstance(error, services.AccountError)
                                    else _("Die organisatie bestaat niet."))
        else:
            db.session.commit()
            if changed:
                flash(_("De rol van %(name)s is gewijzigd; %(name)s is overal uitgelogd.",
                        name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/role_form.html", form=form, user=user)


@bp.route("/accountgebeurtenissen")
@allow(Role.ADMINISTRATOR)
def account_events():
    user_id = request.args.get("gebruiker", type=int)
    user = queries.find_user(user_id) if user_id else None
    return render_template("admin/account_events.html", user=user,
                           events=audit.recent_events(user_id=user.id if user else None),
                           label=audit.label,
                           keep_days=current_app.config["ACCOUNT_EVENTS_KEEP_DAYS"])


@bp.route("/gebruikers/<int:user_id>/tweede-stap-wissen", methods=["POST"])
@allow(Role.ADMINISTRATOR)
@require_recent_auth
def reset_second_factor(user_id: int):
    user = _user_or_404(user_id)
    return _account_action(
        services.reset_second_factor, user,
        _("De tweede stap van %(name)s is gewist; %(name)s stelt hem opnieuw in bij het "
          "inloggen.", name=user.name))


@bp.route("/bevestigen", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR)
def reauthenticate():
    """Confirm with the password or an app code before changing someone else's account."""
    user = current_user._get_current_object()
    back = safe_next_url(request.args.get("next")) or url_for("admin.users")
    form = ReauthenticateForm()
    if form.validate_on_submit():
        try:
            services.reauthenticate(user=user, password=form.password.data or "",
                                    code=form.code.data or "")
        except services.Throttled as error:
            db.session.commit()
            response = make_response(error_response(429, str(error)))
            response.headers["Retry-After"] = str(error.retry_after)
            return response
        except services.AccountError as error:
            db.session.commit()  # the failure counts
            form[error.field or "password"].errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Bevestigd. U kunt nu %(minutes)d minuten gebruikers wijzigen.",
                    minutes=current_app.config["REAUTH_MINUTES"]), "success")
            return redirect(back)
    return render_template("admin/reauthenticate.html", form=form,
                           has_app=second_factor.is_enabled(user),
                           minutes=current_app.config["REAUTH_MINUTES"])
