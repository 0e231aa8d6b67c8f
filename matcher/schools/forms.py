"""Forms of the school side; every label, hint and message is Dutch."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from matcher.menukaart.data import load_menukaart
from matcher.observations.dimensions import load_dimensions
from matcher.schools.keuzehulp import LEARNING_AREAS
from matcher.schools.models import ScanLevel, StreamKind
from matcher.schools.services import STAFF_KINDS

REQUIRED = "Dit veld is verplicht."
GRADES = [(str(g), f"groep {g}") for g in range(1, 9)]
PERIODS = [("schooltijd", "Onder schooltijd"), ("naschools", "Na schooltijd"),
           ("weekend", "Weekend"), ("herfstvakantie", "Herfstvakantie"),
           ("kerstvakantie", "Kerstvakantie"), ("voorjaarsvakantie", "Voorjaarsvakantie"),
           ("meivakantie", "Meivakantie"), ("zomervakantie", "Zomervakantie")]
DISCIPLINES = [("beeldend", "Beeldend"), ("dans", "Dans"), ("theater", "Theater"),
               ("muziek", "Muziek"), ("media", "Media"), ("literatuur", "Literatuur"),
               ("erfgoed", "Erfgoed")]


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms wants."""
    return [SelectChoice(value, label) for value, label in pairs]


def intervention_choices() -> list[tuple[str, str]]:
    """Only the menukaart's effective interventions: the others can never be chosen."""
    return [(i.key, f"{i.doelgebied} – {i.name}") for i in load_menukaart().interventions]


def competence_choices() -> list[tuple[str, str]]:
    return [(d.key, d.name) for d in load_dimensions().dimensions]


def school_years(today: date | None = None) -> list[tuple[str, str]]:
    today = today or date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return [(f"{y}-{y + 1}", f"{y}-{y + 1}") for y in (start, start + 1)]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes, rendered in a fieldset with a legend."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        allowed = {str(value) for value, *_ in self.iter_choices()}
        for value in self.data or ():
            if str(value) not in allowed:
                raise ValidationError(self.invalid_message)

    invalid_message = "Een gekozen waarde is niet toegestaan."


class InterventionsField(MultiCheckboxField):
    invalid_message = ("Deze interventie kan niet worden gekozen: alleen effectieve "
                       "interventies van de menukaart.")


class EuroField(Field):
    """An amount in euro; accepts '1.250,50', '1250.50' and '1250'."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:.2f}".replace(".", ",") if self.data is not None else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        raw = valuelist[0].strip().replace("€", "").replace(" ", "")
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        try:
            self.data = Decimal(raw).quantize(Decimal("0.01"))
        except InvalidOperation as error:
            raise ValueError("Vul een bedrag in, bijvoorbeeld 1250,00.") from error
        if self.data < 0:
            self.data = None
            raise ValueError("Een bedrag kan niet negatief zijn.")


class GroupForm(FlaskForm):
    name = StringField("Naam van de groep", validators=[DataRequired(REQUIRED), Length(max=100)],
                       description="Bijvoorbeeld 5A of 7/8.")
    school_year = SelectField("Schooljaar", validators=[DataRequired(REQUIRED)])
    grades = MultiCheckboxField("Leerjaren in deze groep", choices=options(GRADES),
                                validators=[DataRequired("Kies minstens één leerjaar.")])
    pupils = IntegerField("Aantal leerlingen", validators=[
        InputRequired(REQUIRED), NumberRange(1, 60, "Kies een aantal van 1 tot en met 60.")])


class ScanForm(FlaskForm):
    group_id = SelectField("Groep", coerce=int, validators=[Optional()],
                           description="Of kies hieronder een heel leerjaar.")
    grade = SelectField("Leerjaar", choices=options([("", "– geen –"), *GRADES]),
                        validators=[Optional()])
    school_year = SelectField("Schooljaar", validators=[DataRequired(REQUIRED)])
    needs = MultiCheckboxField("Sociaal-emotionele behoeften",
                               choices=options(competence_choices()),
                               description="Waar heeft de groep het meest baat bij?")
    notes = TextAreaField("Toelichting", validators=[Optional(), Length(max=2000)])

    def validate_group_id(self, field) -> None:
        if not field.data and not self.grade.data:
            raise ValidationError("Kies een groep of een leerjaar.")

    @property
    def area_fields(self) -> list[RadioField]:
        return [self[f"area_{key.replace('-', '_')}"] for key in LEARNING_AREAS]

    def delays(self) -> dict[str, str]:
        return {key: self[f"area_{key.replace('-', '_')}"].data for key in LEARNING_AREAS}


for _key, _label in LEARNING_AREAS.items():
    setattr(ScanForm, f"area_{_key.replace('-', '_')}", RadioField(
        _label, choices=options((level.value, level.label) for level in ScanLevel),
        default=ScanLevel.NONE.value,
        validators=[DataRequired(f"Kies de uitkomst voor {_label.lower()}.")]))


class RequestForm(FlaskForm):
    title = StringField("Titel", validators=[DataRequired(REQUIRED), Length(max=200)],
                        description="Bijvoorbeeld: Zomerschool theater groep 5-6.")
    interventions = InterventionsField(
        "Interventies", choices=options(intervention_choices()),
        validators=[DataRequired("Kies minstens één interventie.")])
    group_ids = MultiCheckboxField("Groepen", coerce=int)
    grades = MultiCheckboxField("Leerjaren", choices=options(GRADES),
                                description="Als u geen groepen kiest.")
    pupils = IntegerField("Aantal leerlingen", validators=[
        InputRequired(REQUIRED), NumberRange(1, 5000, "Kies een aantal van 1 tot 5000.")])
    periods = MultiCheckboxField("Periodes", choices=options(PERIODS))
    date_from = DateField("Vanaf", validators=[Optional()])
    date_to = DateField("Tot en met", validators=[Optional()])
    budget = EuroField("Budget (euro)", validators=[Optional()],
                       description="Het maximum voor deze aanvraag, bijvoorbeeld 2000,00.")
    disciplines = MultiCheckboxField("Disciplines", choices=options(DISCIPLINES))
    competences = MultiCheckboxField("Competenties", choices=options(competence_choices()))
    wishes = TextAreaField("Wensen", validators=[Optional(), Length(max=2000)])

    def validate_grades(self, field) -> None:
        if not field.data and not self.group_ids.data:
            raise ValidationError("Kies groepen of leerjaren.")

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("De einddatum ligt vóór de begindatum.")


class ProposalForm(FlaskForm):
    activity_id = SelectField("Activiteit uit uw aanbod", coerce=int, validators=[Optional()])
    text = TextAreaField("Uw voorstel", validators=[DataRequired(REQUIRED), Length(max=5000)])
    price = EuroField("Prijs (euro)", validators=[InputRequired(REQUIRED)])
    dates = StringField("Data", validators=[DataRequired(REQUIRED)],
                        description="Eén of meer data als dd-mm-jjjj, gescheiden door komma's.")

    def parsed_dates(self) -> list[date]:
        return [datetime.strptime(part.strip(), "%d-%m-%Y").date()
                for part in self.dates.data.split(",") if part.strip()]

    def validate_dates(self, field) -> None:
        try:
            dates = self.parsed_dates()
        except ValueError as error:
            raise ValidationError("Schrijf data als dd-mm-jjjj, bijvoorbeeld 14-07-2027.") \
                from error
        if not dates:
            raise ValidationError("Noem minstens één datum.")
        if any(d < date.today() for d in dates):
            raise ValidationError("Kies data in de toekomst.")


class BookingForm(FlaskForm):
    nonce = HiddenField()
    intervention = SelectField("Interventie die dit invult",
                               validators=[DataRequired(REQUIRED)])
    activity_date_id = SelectField("Datum met vrije plaatsen", coerce=int,
                                   validators=[Optional()])
    on_date = DateField("Datum", validators=[Optional()],
                        description="Alleen als er geen vaste data zijn.")
    seats = IntegerField("Aantal leerlingen (plaatsen)", validators=[
        InputRequired(REQUIRED), NumberRange(1, 1000, "Kies een aantal van 1 tot 1000.")])
    group_id = SelectField("Groep", coerce=int, validators=[Optional()])
    for_school_id = SelectField("Namens school", coerce=int, validators=[Optional()])
    funding_stream_id = SelectField("Ten laste van budget", coerce=int,
                                    validators=[DataRequired("Kies een budget.")])

    def validate_on_date(self, field) -> None:
        if not field.data and not self.activity_date_id.data:
            raise ValidationError("Kies een datum.")
        if field.data and field.data < date.today():
            raise ValidationError("Kies een datum in de toekomst.")

    def validate_nonce(self, field) -> None:
        if not field.data or len(field.data) > 64:
            raise ValidationError("Het formulier is verlopen. Laad de pagina opnieuw.")


class CancelForm(FlaskForm):
    reason = TextAreaField("Reden van annulering",
                           validators=[DataRequired("Geef een reden voor de annulering."),
                                       Length(max=1000)])


class EvaluationForm(FlaskForm):
    stars = RadioField("Hoeveel sterren geeft u?", coerce=int,
                       choices=options((n, f"{n} {'ster' if n == 1 else 'sterren'}")
                                       for n in range(1, 6)),
                       validators=[InputRequired("Kies 1 tot en met 5 sterren.")])
    text = TextAreaField("Hoe ging het?", validators=[DataRequired(REQUIRED), Length(max=2000)],
                         description="De aanbieder leest uw evaluatie.")


class StreamForm(FlaskForm):
    kind = SelectField("Soort", choices=options((k.value, k.label) for k in StreamKind),
                       validators=[DataRequired(REQUIRED)])
    name = StringField("Naam", validators=[Optional(), Length(max=100)],
                       description="Leeg laten: de naam van de soort.")
    amount = EuroField("Bedrag (euro)", validators=[InputRequired(REQUIRED)])
    deadline = DateField("Besteden vóór", validators=[InputRequired("Kies een datum.")])


class ProgrammeItemForm(FlaskForm):
    intervention = SelectField("Interventie", choices=options(intervention_choices()),
                               validators=[DataRequired(REQUIRED)])
    title = StringField("Omschrijving", validators=[DataRequired(REQUIRED), Length(max=200)])
    staff = SelectField("Wie voert het uit", choices=options(list(STAFF_KINDS.items())),
                        validators=[DataRequired(REQUIRED)])
    on_date = DateField("Datum", validators=[Optional()])
    cost = EuroField("Kosten (euro)", validators=[Optional()])
    funding_stream_id = SelectField("Ten laste van budget", coerce=int, validators=[Optional()])


class MrForm(FlaskForm):
    mr_agreed_on = DateField("Datum instemming medezeggenschapsraad", validators=[Optional()])
