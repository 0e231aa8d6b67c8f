"""The match form: the request fields of the exchange format, in Dutch."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from matcher.catalogue.labels import label
from matcher.exchange import schema as vocabulary
from matcher.menukaart.data import load_menukaart
from matcher.observations.dimensions import load_dimensions

REQUIRED = "Dit veld is verplicht."


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes; rendered inside a fieldset with a legend by the template."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _choices(values) -> list[SelectChoice]:
    return [SelectChoice(v, label(v)) for v in values]


class MatchForm(FlaskForm):
    """Read from the query string (GET): matching stores nothing, so there is no CSRF token."""

    class Meta:
        csrf = False

    interventions = CheckboxesField(
        "Interventies van de menukaart",
        validators=[DataRequired("Kies minstens één interventie.")],
        description="Welke interventie(s) wilt u invullen met kunst en cultuur?")
    sector = SelectField("Onderwijssoort", choices=_choices(vocabulary.SECTORS),
                         validators=[InputRequired(REQUIRED)])
    gemeente = StringField("Gemeente van de school",
                           validators=[InputRequired(REQUIRED), Length(max=100)])
    grades = CheckboxesField("Groepen of leerjaren",
                             choices=[SelectChoice(str(g), str(g)) for g in range(1, 9)],
                             validators=[DataRequired("Kies minstens één groep of leerjaar.")])
    pupils = IntegerField("Aantal leerlingen", validators=[
        InputRequired("Vul het aantal leerlingen in."),
        NumberRange(1, 2000, "Kies een aantal van 1 tot en met 2000.")])
    periods = CheckboxesField("Wanneer", choices=_choices(vocabulary.PERIODS),
                              validators=[Optional()])
    budget = DecimalField("Budget in euro", places=2, validators=[
        Optional(), NumberRange(0, 10_000_000, "Een budget kan niet negatief zijn.")],
        description="Laat leeg als het budget nog niet vaststaat.")
    disciplines = CheckboxesField("Kunstdisciplines",
                                  choices=_choices(vocabulary.DISCIPLINES),
                                  validators=[Optional()])
    competences = CheckboxesField("Sociaal-emotionele competenties", validators=[Optional()])
    location = RadioField("Waar", default="geen-voorkeur",
                          choices=_choices(["geen-voorkeur", "op-school", "op-locatie"]))
    wishes = TextAreaField("Wensen in uw eigen woorden", validators=[Optional(), Length(max=2000)],
                           description="Bijvoorbeeld: 'iets met toneel en bewegen, de kinderen "
                                       "moeten weer leren samenwerken'.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.interventions.choices = [SelectChoice(i.key, i.name)
                                      for i in load_menukaart().interventions]
        self.competences.choices = [SelectChoice(d.key, d.name)
                                    for d in load_dimensions().dimensions]
