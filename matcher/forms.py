"""Form pieces every domain uses: checkbox groups and choices from the shared closed lists."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from matcher.limits import Bound
from matcher.reference.dimensions import load_dimensions
from matcher.reference.labels import label
from matcher.reference.menukaart import load_menukaart

REQUIRED = _l("Dit veld is verplicht.")


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes, rendered in a fieldset with a legend (render_choices)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
    invalid_message = _l("Een gekozen waarde is niet toegestaan.")

    def pre_validate(self, form) -> None:
        allowed = {str(value) for value, *_ in self.iter_choices()}
        for value in self.data or ():
            if str(value) not in allowed:
                raise ValidationError(self.invalid_message)


class InBounds:
    """A number within a `limits.Bound`; the message names the end that was crossed.

    Also refuses NaN and infinity, which compare with nothing (a Decimal NaN even raises).
    Sets the min and max attributes of the input, as NumberRange does.
    """

    def __init__(self, bound: Bound) -> None:
        self.bound = bound
        self.field_flags = {"min": bound.low, "max": bound.high}

    def __call__(self, form, field) -> None:
        problem = self.bound.problem(field.data)
        if problem:
            raise ValidationError(problem)


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms wants."""
    return [SelectChoice(value, text) for value, text in pairs]


def vocabulary_choices(values: Iterable[str]) -> list[SelectChoice]:
    """Values of an exchange-format closed list with their Dutch labels."""
    return [SelectChoice(value, label(value)) for value in values]


def intervention_choices() -> list[SelectChoice]:
    """Only the menukaart's effective interventions: the others can never be chosen."""
    return [SelectChoice(i.key, i.name) for i in load_menukaart().interventions]


def request_participant_choices() -> list[SelectChoice]:
    """Whom a school looks for: its pupils, or its team (courses for the staff)."""
    return [SelectChoice("leerlingen", _l("Leerlingen")),
            SelectChoice("team", _l("Het team (scholing)"))]


def count_participants(field: Field) -> None:
    """A request for the team counts the staff taking part: deelnemers, not leerlingen.

    For this form only: the label and the message of a missing number change.
    """
    field.label.text = _l("Aantal deelnemers")
    field.validators = [InputRequired(_l("Vul het aantal deelnemers in.")),
                        *(v for v in field.validators if not isinstance(v, InputRequired))]


def competence_choices() -> list[SelectChoice]:
    return [SelectChoice(d.key, d.name) for d in load_dimensions().dimensions]
