"""Forms of the school side; every label, hint and message is Dutch."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from matcher import limits
from matcher.engine.model import LEERLINGEN, TEAM
from matcher.exchange import schema as vocabulary
from matcher.forms import (
    REQUIRED,
    CheckboxesField,
    DutchDateField,
    EuroField,
    WholeNumberField,
    competence_choices,
    count_participants,
    options,
    request_participant_choices,
    vocabulary_choices,
)
from matcher.reference.menukaart import load_menukaart
from matcher.schools.keuzehulp import LEARNING_AREAS
from matcher.schools.models import ScanLevel, StreamKind
from matcher.schools.services import STAFF_KINDS

GRADES = [(str(g), _l("groep %(grade)d", grade=g)) for g in range(1, 9)]


def intervention_choices() -> list[tuple[str, str]]:
    """Effective interventions with their doelgebied letter, for the school's own choices."""
    return [(i.key, f"{i.doelgebied} – {i.name}") for i in load_menukaart().interventions]


def school_years(today: date | None = None) -> list[tuple[str, str]]:
    today = today or date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return [(f"{y}-{y + 1}", f"{y}-{y + 1}") for y in (start, start + 1)]


class InterventionsField(CheckboxesField):
    invalid_message = _l("Deze interventie kan niet worden gekozen: alleen effectieve "
                         "interventies van de menukaart.")


class GroupForm(FlaskForm):
    name = StringField(_l("Naam van de groep"),
                       validators=[DataRequired(REQUIRED), Length(max=100)],
                       description=_l("Bijvoorbeeld 5A of 7/8."))
    school_year = SelectField(_l("Schooljaar"), validators=[DataRequired(REQUIRED)])
    grades = CheckboxesField(_l("Leerjaren in deze groep"), choices=options(GRADES),
                                validators=[DataRequired(_l("Kies minstens één leerjaar."))])
    pupils = WholeNumberField(_l("Aantal leerlingen"), bound=limits.GROUP_PUPILS,
                              validators=[InputRequired(REQUIRED)])


class GroupEditForm(FlaskForm):
    """A group's name, grades and pupils; its school year stays what it was."""

    name = GroupForm.name
    grades = GroupForm.grades
    pupils = GroupForm.pupils


class ScanForm(FlaskForm):
    group_id = SelectField(_l("Groep"), coerce=int, validators=[Optional()],
                           description=_l("Of kies hieronder een heel leerjaar."))
    grade = SelectField(_l("Leerjaar"), choices=options([("", _l("– geen –")), *GRADES]),
                        validators=[Optional()])
    school_year = SelectField(_l("Schooljaar"), validators=[DataRequired(REQUIRED)])
    needs = CheckboxesField(_l("Sociaal-emotionele behoeften"),
                               choices=competence_choices(),
                               description=_l("Waar heeft de groep het meest baat bij?"))
    notes = TextAreaField(_l("Toelichting"), validators=[Optional(), Length(max=2000)])

    def validate_group_id(self, field) -> None:
        if not field.data and not self.grade.data:
            raise ValidationError(_l("Kies een groep of een leerjaar."))

    @property
    def area_fields(self) -> list[RadioField]:
        return [self[f"area_{key.replace('-', '_')}"] for key in LEARNING_AREAS]

    def delays(self) -> dict[str, str]:
        return {key: self[f"area_{key.replace('-', '_')}"].data for key in LEARNING_AREAS}


for _key, _label in LEARNING_AREAS.items():
    setattr(ScanForm, f"area_{_key.replace('-', '_')}", RadioField(
        _label, choices=options((level.value, level.label) for level in ScanLevel),
        default=ScanLevel.NONE.value,
        validators=[DataRequired(_l("Kies de uitkomst voor %(area)s.", area=_label.lower()))]))


class AdviceForm(FlaskForm):
    """Whom the keuzehulp looks for activities for: the scanned group, or the school's team.

    Read from the query string (GET): it stores nothing, so there is no CSRF token.
    """

    class Meta:
        csrf = False

    participants = RadioField(_l("Voor wie zoekt u?"), default=LEERLINGEN,
                              choices=request_participant_choices(), validators=[Optional()])
    team_size = WholeNumberField(_l("Aantal deelnemers van het team"), bound=limits.TEAM_SIZE,
                                 validators=[Optional()],
                                 description=_l("Alleen bij scholing voor het team."))

    @property
    def for_team(self) -> bool:
        return self.participants.data == TEAM

    def validate(self, extra_validators=None) -> bool:
        # Not an inline validator: Optional() stops those when the field is empty.
        valid = super().validate(extra_validators)
        if valid and self.for_team and not self.team_size.data:
            self.team_size.errors.append(_l("Vul het aantal deelnemers in."))
            return False
        return valid


class RequestForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200)],
                        description=_l("Bijvoorbeeld: Zomerschool theater groep 5-6."))
    participants = RadioField(_l("Voor wie zoekt u?"), default=LEERLINGEN,
                              choices=request_participant_choices(), validators=[Optional()],
                              description=_l("Het team: scholing voor leerkrachten en ander "
                                             "personeel. Kies dan de groepen of leerjaren "
                                             "waaraan zij lesgeven."))
    interventions = InterventionsField(
        _l("Interventies"), choices=options(intervention_choices()),
        validators=[DataRequired(_l("Kies minstens één interventie."))])
    group_ids = CheckboxesField(_l("Groepen"), coerce=int)
    grades = CheckboxesField(_l("Leerjaren"), choices=options(GRADES),
                                description=_l("Als u geen groepen kiest."))
    pupils = WholeNumberField(_l("Aantal leerlingen"), bound=limits.PUPILS,
                              validators=[InputRequired(REQUIRED)])
    periods = CheckboxesField(_l("Periodes"), choices=vocabulary_choices(vocabulary.PERIODS))
    date_from = DutchDateField(_l("Vanaf"), validators=[Optional()])
    date_to = DutchDateField(_l("Tot en met"), validators=[Optional()])
    budget = EuroField(_l("Budget (euro)"), validators=[Optional()], bound=limits.BUDGET,
                       description=_l("Het maximum voor deze aanvraag, bijvoorbeeld 2000,00."))
    disciplines = CheckboxesField(_l("Disciplines"),
                                  choices=vocabulary_choices(vocabulary.DISCIPLINES))
    competences = CheckboxesField(_l("Competenties"), choices=competence_choices())
    wishes = TextAreaField(_l("Wensen"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.participants.data == TEAM:
            count_participants(self.pupils)

    def validate_grades(self, field) -> None:
        if not field.data and not self.group_ids.data:
            raise ValidationError(_l("Kies groepen of leerjaren."))

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("De einddatum ligt vóór de begindatum."))


class ProposalForm(FlaskForm):
    activity_id = SelectField(_l("Activiteit uit uw aanbod"), coerce=int, validators=[Optional()])
    text = TextAreaField(_l("Uw voorstel"), validators=[DataRequired(REQUIRED), Length(max=5000)])
    price = EuroField(_l("Prijs (euro)"), validators=[InputRequired(REQUIRED)],
                      bound=limits.PRICE)
    dates = StringField(_l("Data"), validators=[DataRequired(REQUIRED)],
                        description=_l("Eén of meer data als dd-mm-jjjj, gescheiden door komma's."))

    def parsed_dates(self) -> list[date]:
        return [datetime.strptime(part.strip(), "%d-%m-%Y").date()
                for part in self.dates.data.split(",") if part.strip()]

    def validate_dates(self, field) -> None:
        try:
            dates = self.parsed_dates()
        except ValueError as error:
            raise ValidationError(_l("Schrijf data als dd-mm-jjjj, bijvoorbeeld 14-07-2027.")) \
                from error
        if not dates:
            raise ValidationError(_l("Noem minstens één datum."))
        if any(d < date.today() for d in dates):
            raise ValidationError(_l("Kies data in de toekomst."))


class BookingForm(FlaskForm):
    nonce = HiddenField()
    intervention = SelectField(_l("Interventie die dit invult"),
                               validators=[DataRequired(REQUIRED)])
    activity_date_id = SelectField(_l("Datum met vrije plaatsen"), coerce=int,
                                   validators=[Optional()])
    on_date = DutchDateField(_l("Datum"), validators=[Optional()],
                             description=_l("Alleen als er geen vaste data zijn."))
    seats = WholeNumberField(_l("Aantal leerlingen (plaatsen)"), bound=limits.SEATS,
                             validators=[InputRequired(REQUIRED)])
    group_id = SelectField(_l("Groep"), coerce=int, validators=[Optional()])
    for_school_id = SelectField(_l("Namens school"), coerce=int, validators=[Optional()])
    funding_stream_id = SelectField(_l("Ten laste van budget"), coerce=int,
                                    validators=[DataRequired(_l("Kies een budget."))])

    def validate_on_date(self, field) -> None:
        if not field.data and not self.activity_date_id.data:
            raise ValidationError(_l("Kies een datum."))
        if field.data and field.data < date.today():
            raise ValidationError(_l("Kies een datum in de toekomst."))

    def validate_nonce(self, field) -> None:
        if not field.data or len(field.data) > 64:
            raise ValidationError(_l("Het formulier is verlopen. Laad de pagina opnieuw."))


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reden van annulering"),
                           validators=[DataRequired(_l("Geef een reden voor de annulering.")),
                                       Length(max=1000)])


class EvaluationForm(FlaskForm):
    stars = RadioField(_l("Hoeveel sterren geeft u?"), coerce=int,
                       choices=options((n, f"{n} {'ster' if n == 1 else 'sterren'}")
                                       for n in range(1, 6)),
                       validators=[InputRequired(_l("Kies 1 tot en met 5 sterren."))])
    text = TextAreaField(_l("Hoe ging het?"), validators=[DataRequired(REQUIRED), Length(max=2000)],
                         description=_l("De aanbieder leest uw evaluatie."))


class StreamForm(FlaskForm):
    kind = SelectField(_l("Soort"), choices=options((k.value, k.label) for k in StreamKind),
                       validators=[DataRequired(REQUIRED)])
    name = StringField(_l("Naam"), validators=[Optional(), Length(max=100)],
                       description=_l("Leeg laten: de naam van de soort."))
    amount = EuroField(_l("Bedrag (euro)"), validators=[InputRequired(REQUIRED)],
                       bound=limits.BUDGET)
    deadline = DutchDateField(_l("Besteden vóór"),
                              validators=[InputRequired(_l("Kies een datum."))])


class ProgrammeItemForm(FlaskForm):
    intervention = SelectField(_l("Interventie"), choices=options(intervention_choices()),
                               validators=[DataRequired(REQUIRED)])
    title = StringField(_l("Omschrijving"), validators=[DataRequired(REQUIRED), Length(max=200)])
    staff = SelectField(_l("Wie voert het uit"), choices=options(list(STAFF_KINDS.items())),
                        validators=[DataRequired(REQUIRED)])
    on_date = DutchDateField(_l("Datum"), validators=[Optional()])
    cost = EuroField(_l("Kosten (euro)"), validators=[Optional()], bound=limits.COST)
    funding_stream_id = SelectField(_l("Ten laste van budget"), coerce=int, validators=[Optional()])


class CapacityForm(FlaskForm):
    """A dated session's number of seats, changed by its provider."""

    capacity = WholeNumberField(_l("Aantal plaatsen (leerlingen)"), bound=limits.CAPACITY,
                                validators=[InputRequired(REQUIRED)])


class MrForm(FlaskForm):
    mr_agreed_on = DutchDateField(_l("Datum instemming medezeggenschapsraad"),
                                  validators=[Optional()])
