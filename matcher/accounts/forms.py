"""Account forms; labels and messages are Dutch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from matcher.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from matcher.accounts.roles import Role

REQUIRED = _l("Dit veld is verplicht.")
PASSWORD_HINT = _l("Minstens %(count)d tekens, alle tekens mogen. Een zin van een paar woorden "
                   "die niet bij elkaar horen werkt goed; veelgebruikte wachtwoorden worden "
                   "geweigerd.", count=MIN_PASSWORD_LENGTH)


def _new_password_field(label) -> PasswordField:
    return PasswordField(label, validators=[DataRequired(REQUIRED), Length(
        min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
        message=_l("Kies een wachtwoord van %(low)d tot %(high)d tekens.",
                   low=MIN_PASSWORD_LENGTH, high=MAX_PASSWORD_LENGTH))],
        description=PASSWORD_HINT)


def _email_field() -> EmailField:
    return EmailField(_l("E-mailadres"), validators=[DataRequired(REQUIRED),
                                                     Email(_l("Vul een geldig e-mailadres in."))])


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(REQUIRED)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Huidig wachtwoord"), validators=[DataRequired(REQUIRED)])
    new = _new_password_field(_l("Nieuw wachtwoord"))
    confirm = PasswordField(_l("Herhaal nieuw wachtwoord"), validators=[
        DataRequired(REQUIRED), EqualTo("new", _l("De twee wachtwoorden zijn niet gelijk."))])


class ChooseOwnPasswordForm(FlaskForm):
    """The first page after a login with a temporary password (ASVS 2.3.1)."""

    current = PasswordField(_l("Tijdelijk wachtwoord"), validators=[DataRequired(REQUIRED)],
                            description=_l("Het wachtwoord waarmee u net inlogde."))
    new = _new_password_field(_l("Uw eigen wachtwoord"))
    confirm = PasswordField(_l("Herhaal uw eigen wachtwoord"), validators=[
        DataRequired(REQUIRED), EqualTo("new", _l("De twee wachtwoorden zijn niet gelijk."))])


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    new = _new_password_field(_l("Nieuw wachtwoord"))
    confirm = PasswordField(_l("Herhaal nieuw wachtwoord"), validators=[
        DataRequired(REQUIRED), EqualTo("new", _l("De twee wachtwoorden zijn niet gelijk."))])


def _role_field() -> SelectField:
    return SelectField(_l("Rol"), choices=[SelectChoice(r.value, r.label) for r in Role],
                       validators=[DataRequired(REQUIRED)])


def _organisation_field() -> SelectField:
    return SelectField(_l("Organisatie"), coerce=int, validators=[DataRequired(REQUIRED)])


class CreateUserForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = _email_field()
    role = _role_field()
    organisation_id = _organisation_field()
    password = PasswordField(
        _l("Tijdelijk wachtwoord"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
                                       message=_l("Minstens %(count)d tekens.",
                                                  count=MIN_PASSWORD_LENGTH))],
        description=_l("Leeg laten (aanbevolen): de gebruiker krijgt een e-mail met een link "
                       "om zelf een wachtwoord te kiezen, en niemand anders kent het. Een "
                       "tijdelijk wachtwoord verloopt, en werkt alleen om bij de eerste keer "
                       "inloggen een eigen wachtwoord te kiezen."))


class ChangeRoleForm(FlaskForm):
    role = _role_field()
    organisation_id = _organisation_field()


class SecondStepForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(REQUIRED), Length(max=64)],
                       description=_l("De zes cijfers uit uw app, of een van uw herstelcodes."))


class EnableSecondFactorForm(FlaskForm):
    password = PasswordField(_l("Uw wachtwoord"), validators=[DataRequired(REQUIRED)])
    code = StringField(_l("Code uit de app"), validators=[DataRequired(REQUIRED),
                                                          Length(max=16)])


class DisableSecondFactorForm(FlaskForm):
    password = PasswordField(_l("Uw wachtwoord"), validators=[DataRequired(REQUIRED)])


class SecurityKeyForm(FlaskForm):
    """Add a security key: the name and password go first (for the options), the browser's
    answer follows in `credential`."""

    name = StringField(_l("Naam van de sleutel"), validators=[DataRequired(REQUIRED),
                                                              Length(max=100)],
                       description=_l("Bijvoorbeeld 'blauwe sleutel' of 'laptop werk'."))
    password = PasswordField(_l("Uw wachtwoord"), validators=[Optional()])
    credential = HiddenField(validators=[Optional(), Length(max=20_000)])


class RemoveSecurityKeyForm(FlaskForm):
    password = PasswordField(_l("Uw wachtwoord"), validators=[DataRequired(REQUIRED)])


class SecurityKeyLoginForm(FlaskForm):
    credential = HiddenField(validators=[Optional(), Length(max=20_000)])


class ReauthenticateForm(FlaskForm):
    password = PasswordField(_l("Uw wachtwoord"), validators=[Optional()])
    code = StringField(_l("Of: code uit uw app"), validators=[Optional(), Length(max=16)],
                       description=_l("De zes cijfers die uw app nu toont, als u liever geen "
                                      "wachtwoord typt."))


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("Nieuw e-mailadres"), validators=[
        DataRequired(REQUIRED), Email(_l("Vul een geldig e-mailadres in."))])
    password = PasswordField(_l("Uw wachtwoord"), validators=[DataRequired(REQUIRED)])
