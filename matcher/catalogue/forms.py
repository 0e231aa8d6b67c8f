"""The match form: the request fields of the exchange format, in Dutch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from matcher import limits
from matcher.engine.model import LEERLINGEN, TEAM
from matcher.exchange import schema as vocabulary
from matcher.forms import (
    CheckboxesField,
    EuroField,
    WholeNumberField,
    competence_choices,
    count_participants,
    intervention_choices,
    request_participant_choices,
    vocabulary_choices,
)

REQUIRED = _l("Dit veld is verplicht.")


class MatchForm(FlaskForm):
    """Read from the query string (GET): matching stores nothing, so there is no CSRF token."""

    class Meta:
        csrf = False

    # Optional: a link without it (as before exchange 1.1) looks for pupils.
    participants = RadioField(_l("Voor wie zoekt u?"), default=LEERLINGEN,
                              choices=request_participant_choices(), validators=[Optional()])
    interventions = CheckboxesField(
        _l("Interventies van de menukaart"),
        validators=[DataRequired(_l("Kies minstens één interventie."))],
        description=_l("Welke interventie(s) wilt u invullen met kunst en cultuur?"))
    sector = SelectField(_l("Onderwijssoort"), choices=vocabulary_choices(vocabulary.SECTORS),
                         validators=[InputRequired(REQUIRED)])
    gemeente = StringField(_l("Gemeente van de school"),
                           validators=[InputRequired(REQUIRED), Length(max=100)])
    grades = CheckboxesField(_l("Groepen of leerjaren"),
                             choices=[SelectChoice(str(g), str(g)) for g in range(1, 9)],
                             validators=[DataRequired(_l("Kies minstens één groep of leerjaar."))])
    pupils = WholeNumberField(_l("Aantal leerlingen"), bound=limits.MATCH_PUPILS,
                              validators=[InputRequired(_l("Vul het aantal leerlingen in."))])
    periods = CheckboxesField(_l("Wanneer"), choices=vocabulary_choices(vocabulary.PERIODS),
                              validators=[Optional()])
    budget = EuroField(
        _l("Budget in euro"), bound=limits.BUDGET, validators=[Optional()],
        description=_l("Laat leeg als het budget nog niet vaststaat."))
    disciplines = CheckboxesField(_l("Kunstdisciplines"),
                                  choices=vocabulary_choices(vocabulary.DISCIPLINES),
                                  validators=[Optional()])
    competences = CheckboxesField(_l("Sociaal-emotionele competenties"), validators=[Optional()])
    location = RadioField(_l("Waar"), default="geen-voorkeur",
                          choices=vocabulary_choices(["geen-voorkeur", "op-school", "op-locatie"]))
    wishes = TextAreaField(_l("Wensen in uw eigen woorden"),
                           validators=[Optional(), Length(max=2000)],
                           description=_l("Bijvoorbeeld: 'iets met toneel en bewegen, de kinderen "
                                       "moeten weer leren samenwerken'."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.interventions.choices = intervention_choices()
        self.competences.choices = competence_choices()
        if self.for_team:
            count_participants(self.pupils)

    @property
    def for_team(self) -> bool:
        return self.participants.data == TEAM

