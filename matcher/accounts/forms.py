"""Account forms; labels and messages are Dutch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from matcher.accounts.passwords import MIN_PASSWORD_LENGTH
from matcher.accounts.roles import Role

REQUIRED = _l("Dit veld is verplicht.")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(REQUIRED),
                                                  Email(_l("Vul een geldig e-mailadres in."))])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(REQUIRED)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Huidig wachtwoord"), validators=[DataRequired(REQUIRED)])
    new = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(REQUIRED), Length(
            min=MIN_PASSWORD_LENGTH,
            message=_l("Kies een wachtwoord van minstens %(count)d tekens.",
                       count=MIN_PASSWORD_LENGTH))],
        description=_l("Minstens %(count)d tekens. Een zin van een paar woorden werkt goed.",
                       count=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(_l("Herhaal nieuw wachtwoord"), validators=[
        DataRequired(REQUIRED), EqualTo("new", _l("De twee wachtwoorden zijn niet gelijk."))])


class CreateUserForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(REQUIRED),
                                                  Email(_l("Vul een geldig e-mailadres in."))])
    role = SelectField(_l("Rol"), choices=[SelectChoice(r.value, r.label) for r in Role],
                       validators=[DataRequired(REQUIRED)])
    organisation_id = SelectField(_l("Organisatie"), coerce=int,
                                  validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("Tijdelijk wachtwoord"), validators=[
        DataRequired(REQUIRED), Length(min=MIN_PASSWORD_LENGTH,
                                       message=_l("Minstens %(count)d tekens.",
                                                  count=MIN_PASSWORD_LENGTH))])
