"""Login, logout, password reset, the user's own account page and their sessions."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from matcher.accounts import second_factor, security_keys, services, sessions
from matcher.accounts.access import public, signed_in
from matcher.accounts.audit import client_address
from matcher.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ChooseOwnPasswordForm,
    DisableSecondFactorForm,
    EnableSecondFactorForm,
    ForgotPasswordForm,
    LoginForm,
    RemoveSecurityKeyForm,
    ResetPasswordForm,
    SecondStepForm,
    SecurityKeyForm,
    SecurityKeyLoginForm,
)
from matcher.accounts.queries import find_user
from matcher.db import db
from matcher.errors import error_response
from matcher.urls import safe_next_url

bp = Blueprint("accounts", __name__)


def _too_many(error: services.Throttled):
    """429 with Retry-After, at once: a throttled client waits on its side, never in ours."""
    response = make_response(error_response(429, str(error)))
    response.headers["Retry-After"] = str(error.retry_after)
    return response


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.sign_in(email=form.email.data, password=form.password.data,
                                    address=client_address())
        except services.Throttled as error:
            db.session.commit()
            return _too_many(error)
        except services.AccountError as error:
            db.session.commit()  # the failure counts, whatever else happens
            flash(str(error), "error")
            return render_template("accounts/login.html", form=form), 200
        if second_factor.is_enabled(user):
            _begin_second_step(user)
            db.session.commit()
            return redirect(url_for("accounts.second_step", next=request.args.get("next")))
        return _welcome(user)
    return render_template("accounts/login.html", form=form)


def _welcome(user):
    services.complete_login(user)
    db.session.commit()
    flash(_("Welkom, %(name)s.", name=user.name), "success")
    return redirect(safe_next_url(request.args.get("next")) or url_for("main.dashboard"))


# The password was right; the second step must follow within this time.
PENDING_KEY, PENDING_SECONDS = "pending_login", 300


def _begin_second_step(user) -> None:
    """Remember, in a cleared cookie, whose password was right; nobody is signed in yet."""
    session.clear()
    session[PENDING_KEY] = {"user": user.id, "at": int(time.time())}


def _pending_user():
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = find_user(int(pending.get("user", 0)))
    return user if user is not None and user.active and second_factor.is_enabled(user) else None


@bp.route("/inloggen/tweede-stap", methods=["GET", "POST"])
@public
def second_step():
    user = _pending_user()
    if user is None:
        flash(_("Log opnieuw in met uw e-mailadres en wachtwoord."), "info")
        return redirect(url_for("accounts.login"))
    form = SecondStepForm()
    if form.validate_on_submit():
        try:
            services.verify_second_factor(user=user, code=form.code.data)
        except services.Throttled as error:
            db.session.commit()
            return _too_many(error)
        except services.AccountError as error:
            db.session.commit()  # the failure counts
            form.code.errors.append(str(error))
        else:
            return _welcome(user)
    return render_template("accounts/second_step.html", form=form,
                           key_form=SecurityKeyLoginForm() if security_keys.has_keys(user)
                           else None)


def _json_error(message: str, status: int = 400):
    response = jsonify(message=message)
    response.status_code = status
    return response


@bp.route("/inloggen/tweede-stap/sleutel-opties", methods=["POST"])
@public
def second_step_key_options():
    """The challenge for a security key at the second step (JSON, for static/js/webauthn.js)."""
    user = _pending_user()
    if user is None or not security_keys.has_keys(user):
        return _json_error(_("Log opnieuw in met uw e-mailadres en wachtwoord."))
    options = security_keys.authentication_options(user)
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/inloggen/tweede-stap/sleutel", methods=["POST"])
@public
def second_step_key():
    user = _pending_user()
    if user is None:
        flash(_("Log opnieuw in met uw e-mailadres en wachtwoord."), "info")
        return redirect(url_for("accounts.login"))
    form = SecurityKeyLoginForm()
    if form.validate_on_submit() and form.credential.data:
        try:
            services.verify_security_key(user=user, credential=form.credential.data)
        except services.Throttled as error:
            db.session.commit()
            return _too_many(error)
        except services.AccountError as error:
            db.session.commit()  # the failure counts
            flash(str(error), "error")
        else:
            return _welcome(user)
    else:
        flash(_("Voor een beveiligingssleutel is JavaScript nodig. Typ anders een code uit "
                "uw app."), "error")
    return redirect(url_for("accounts.second_step", next=request.args.get("next")))


# ------------------------------------------------------------------------ security keys


def _security_keys_page(form=None, status: int = 200):
    user = current_user._get_current_object()
    return render_template("accounts/security_keys.html", keys=security_keys.keys_of(user),
                           form=form or SecurityKeyForm(), remove_form=RemoveSecurityKeyForm(),
                           enabled=second_factor.is_enabled(user)), status


@bp.route("/account/beveiligingssleutels")
@signed_in
def security_keys_page():
    return _security_keys_page()


@bp.route("/account/beveiligingssleutels/opties", methods=["POST"])
@signed_in
def security_key_options():
    """Registration options after the password (JSON, for static/js/webauthn.js)."""
    form = SecurityKeyForm()
    if not form.validate_on_submit():
        return _json_error(_("Geef de sleutel een naam en vul uw wachtwoord in."))
    try:
        options = services.begin_security_key(user=current_user._get_current_object(),
                                              password=form.password.data or "")
    except services.AccountError as error:
        db.session.rollback()
        return _json_error(str(error))
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/account/beveiligingssleutels/toevoegen", methods=["POST"])
@signed_in
def add_security_key():
    form = SecurityKeyForm()
    if form.validate_on_submit():
        if not form.credential.data:
            form.form_errors.append(_("Voor een beveiligingssleutel is JavaScript nodig, en een "
                                      "browser die WebAuthn kent."))
            return _security_keys_page(form, 400)
        try:
            key = services.add_security_key(user=current_user._get_current_object(),
                                            credential=form.credential.data,
                                            name=form.name.data)
        except services.AccountError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            return _security_keys_page(form, 400)
        db.session.commit()
        flash(_("De sleutel '%(name)s' is toegevoegd.", name=key.name), "success")
        return redirect(url_for("accounts.security_keys_page"))
    return _security_keys_page(form, 400)


@bp.route("/account/beveiligingssleutels/<int:key_id>/verwijderen", methods=["POST"])
@signed_in
def remove_security_key(key_id: int):
    user = current_user._get_current_object()
    key = security_keys.find_key(user, key_id)
    if key is None:
        abort(404)
    form = RemoveSecurityKeyForm()
    if form.validate_on_submit():
        try:
            services.remove_security_key(user=user, key=key, password=form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("De sleutel is verwijderd."), "success")
    else:
        flash(_("Vul uw wachtwoord in om de sleutel te verwijderen."), "error")
    return redirect(url_for("accounts.security_keys_page"))


@bp.route("/account/tweede-stap", methods=["GET", "POST"])
@signed_in
def second_factor_page():
    user = current_user._get_current_object()
    if second_factor.is_enabled(user):
        return render_template("accounts/second_factor.html", enabled=True,
                               form=DisableSecondFactorForm(),
                               remaining=second_factor.remaining_recovery_codes(user),
                               required=second_factor.is_required(user))
    form = EnableSecondFactorForm()
    if form.validate_on_submit():
        try:
            codes = services.enable_second_factor(user=user, password=form.password.data,
                                                  code=form.code.data)
        except services.AccountError as error:
            db.session.commit()  # keep the pending secret; nothing else changed
            form[error.field or "code"].errors.append(str(error))
        else:
            db.session.commit()
            # Shown once, on this answer only: nothing keeps them in readable form.
            return render_template("accounts/recovery_codes.html", codes=codes)
    secret = second_factor.pending_secret(user)
    db.session.commit()
    uri = second_factor.provisioning_uri(user, secret)
    return render_template("accounts/second_factor.html", enabled=False, form=form,
                           secret=secret, qr=second_factor.qr_data_uri(uri),
                           required=second_factor.is_required(user))


@bp.route("/account/tweede-stap/uitzetten", methods=["POST"])
@signed_in
def disable_second_factor():
    form = DisableSecondFactorForm()
    if form.validate_on_submit():
        try:
            services.disable_second_factor(user=current_user, password=form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("De tweede stap staat uit."), "success")
    else:
        flash(_("Vul uw wachtwoord in om de tweede stap uit te zetten."), "error")
    return redirect(url_for("accounts.second_factor_page"))


@bp.route("/uitloggen", methods=["POST"])
@signed_in
def logout():
    services.sign_out(user=current_user._get_current_object())
    db.session.commit()
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
            flash(_("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."),
                  "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form)


@bp.route("/account/eigen-wachtwoord", methods=["GET", "POST"])
@signed_in
def choose_password():
    """After a login with a temporary password, the only page that opens (ASVS 2.3.1)."""
    user = current_user._get_current_object()
    if not user.must_change_password:
        return redirect(url_for("accounts.account"))
    form = ChooseOwnPasswordForm()
    if form.validate_on_submit():
        try:
            services.choose_own_password(user=user, current=form.current.data,
                                         new=form.new.data)
        except services.TemporaryPasswordExpired as error:
            db.session.rollback()
            sessions.end_current_session(sessions.EXPIRED)
            db.session.commit()
            flash(str(error), "error")
            return redirect(url_for("accounts.login"))
        except services.AccountError as error:
            db.session.rollback()
            form[error.field or "new"].errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Uw eigen wachtwoord is opgeslagen; het tijdelijke werkt niet meer."),
                  "success")
            return redirect(url_for("main.dashboard"))
    return render_template("accounts/choose_password.html", form=form)


# ---------------------------------------------------------------------------- sessions


@bp.route("/account/sessies")
@signed_in
def sessions_page():
    return render_template("accounts/sessions.html",
                           rows=sessions.active_sessions(current_user),
                           current=sessions.current_session())


@bp.route("/account/sessies/<int:session_id>/beeindigen", methods=["POST"])
@signed_in
def end_session(session_id: int):
    row = sessions.find_active_session(current_user, session_id)
    if row is None:
        abort(404)
    if row is sessions.current_session():
        return logout()
    services.end_one_session(user=current_user, row=row)
    db.session.commit()
    flash(_("Die sessie is beëindigd."), "success")
    return redirect(url_for("accounts.sessions_page"))


@bp.route("/account/sessies/overal-uitloggen", methods=["POST"])
@signed_in
def end_all_sessions():
    services.end_every_session(user=current_user._get_current_object())
    db.session.commit()
    flash(_("U bent overal uitgelogd, ook hier."), "info")
    return redirect(url_for("accounts.login"))


# ---------------------------------------------------------------------- password reset

@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            services.request_password_reset(email=form.email.data, address=client_address())
        except services.Throttled as error:
            db.session.commit()
            return _too_many(error)
        db.session.commit()
        # The same answer for known and unknown addresses.
        flash(_("Als er een account met dit e-mailadres is, krijgt u binnen enkele minuten "
                "een e-mail met een link om een nieuw wachtwoord te kiezen. Kijk ook in uw map "
                "met ongewenste e-mail."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    row = services.find_reset_token(token)
    if row is None:
        return render_template("accounts/reset_unusable.html"), 404
    # The strength meter warns against the holder's own name and address (the server refuses
    # them anyway); the link's holder is that person.
    context = f"{row.user.name} {row.user.email}"
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token=token, new=form.new.data)
        except services.AccountError as error:
            db.session.rollback()
            form[error.field or "new"].errors.append(str(error))
        else:
            if current_user.is_authenticated:
                sessions.end_current_session(sessions.RESET)
            db.session.commit()
            flash(_("Uw nieuwe wachtwoord is opgeslagen. Log ermee in."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, token=token,
                           context=context)


# ---------------------------------------------- sign-up confirmation and e-mail change


@bp.route("/aanmelding-bevestigen/<token>")
@public
def confirm_sign_up(token: str):
    try:
        user = services.confirm_sign_up(token=token)
    except services.AccountError as error:
        db.session.rollback()
        return render_template("accounts/link_unusable.html", message=str(error)), 404
    # The link of a new sign-up logs in: it came to the address, the password came with it.
    return _welcome(user)


@bp.route("/account/e-mailadres", methods=["GET", "POST"])
@signed_in
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(user=current_user, new_email=form.email.data,
                                          password=form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form[error.field or "email"].errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Wij stuurden een e-mail met een link naar %(email)s. Uw e-mailadres "
                    "verandert zodra u die link volgt.",
                    email=form.email.data.strip().lower()), "info")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_email.html", form=form)


@bp.route("/e-mailadres-bevestigen/<token>")
@public
def confirm_email_change(token: str):
    try:
        user = services.confirm_email_change(token=token)
    except services.AccountError as error:
        db.session.rollback()
        return render_template("accounts/link_unusable.html", message=str(error)), 404
    db.session.commit()
    flash(_("Uw e-mailadres is nu %(email)s.", email=user.email), "success")
    return redirect(url_for("accounts.account" if current_user.is_authenticated
                            else "accounts.login"))
