"""Account forms; labels and messages are Dutch."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from matcher.accounts.passwords import MIN_PASSWORD_LENGTH
from matcher.accounts.roles import Role

REQUIRED = "Dit veld is verplicht."


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired(REQUIRED),
                                                  Email("Vul een geldig e-mailadres in.")])
    password = PasswordField("Wachtwoord", validators=[DataRequired(REQUIRED)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Huidig wachtwoord", validators=[DataRequired(REQUIRED)])
    new = PasswordField(
        "Nieuw wachtwoord",
        validators=[DataRequired(REQUIRED), Length(
            min=MIN_PASSWORD_LENGTH,
            message=f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens.")],
        description=f"Minstens {MIN_PASSWORD_LENGTH} tekens. "
                    "Een zin van een paar woorden werkt goed.")
    confirm = PasswordField("Herhaal nieuw wachtwoord", validators=[
        DataRequired(REQUIRED), EqualTo("new", "De twee wachtwoorden zijn niet gelijk.")])


class CreateUserForm(FlaskForm):
    name = StringField("Naam", validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField("E-mailadres", validators=[DataRequired(REQUIRED),
                                                  Email("Vul een geldig e-mailadres in.")])
    role = SelectField("Rol", choices=[SelectChoice(r.value, r.label) for r in Role],
                       validators=[DataRequired(REQUIRED)])
    organisation_id = SelectField("Organisatie", coerce=int, validators=[DataRequired(REQUIRED)])
    password = PasswordField("Tijdelijk wachtwoord", validators=[
        DataRequired(REQUIRED), Length(min=MIN_PASSWORD_LENGTH,
                                       message=f"Minstens {MIN_PASSWORD_LENGTH} tekens.")])
