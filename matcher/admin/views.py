"""Administration of users and organisations, for the platform's administrators."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from matcher.accounts import queries, services
from matcher.accounts.access import allow
from matcher.accounts.forms import CreateUserForm
from matcher.accounts.roles import Role
from matcher.db import db

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.route("/gebruikers")
@allow(Role.ADMINISTRATOR)
def users():
    return render_template("admin/users.html", users=queries.list_users())


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR)
def create_user():
    form = CreateUserForm()
    form.organisation_id.choices = [
        SelectChoice(o.id, f"{o.name} ({o.kind.value})") for o in queries.list_organisations()]
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data, name=form.name.data, role=Role(form.role.data),
                organisation=queries.get_organisation(form.organisation_id.data),
                password=form.password.data)
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
