"""Form pieces every domain uses: checkbox groups and choices from the shared closed lists."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import (
    DateField,
    DateTimeLocalField,
    Field,
    IntegerField,
    SelectMultipleField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from matcher import limits
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


# ------------------------------------------------------------------ numbers and dates
#
# WTForms says "Not a valid integer value." (or Flask-WTF's "Ongeldig getal.") for anything it
# cannot read, without saying which field or what it wants. These fields say both, in Dutch:
# "Aantal leerlingen: vul een heel getal in van 1 tot en met 60." The label is read when the
# message is shown, so a label a form changes later (deelnemers for leerlingen) is the one named.

# Digits only (ASCII): int() would also read '١٢', ' 1_000 ' and '²'-like surprises. More than
# 100 digits is no number anyone means (and int() refuses 4,300 digits with a ValueError).
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,100}")


def _field_message(field: Field, message: str, **variables) -> LazyString:
    """`message` (a msgid with %(label)s) for `field`, translated and filled in when shown."""
    return LazyString(lambda: _(message, label=str(field.label.text), **variables))


class WholeNumberField(IntegerField):
    """A whole number within `bound` (a limits.Bound): the bound is checked by InBounds, and
    text that is no whole number is told the field's name and the range it wants."""

    def __init__(self, label=None, validators=None, *, bound: Bound, **kwargs) -> None:
        super().__init__(label, [*(validators or []), InBounds(bound)], **kwargs)
        self.bound = bound

    def not_a_number(self) -> LazyString:
        return _field_message(self, "%(label)s: vul een heel getal in %(range)s.",
                              range=self.bound.text())

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        raw = (valuelist[0] or "").strip()
        self.data = None
        if not raw:
            return  # InputRequired or Optional decides what an empty field means
        if not _WHOLE_NUMBER.fullmatch(raw):
            raise ValueError(self.not_a_number())
        self.data = int(raw)


class EuroField(Field):
    """An amount in euro within `bound`; accepts '1.250,50', '1250.50' and '1250'.

    A budget of 10^26 is told the maximum (InBounds), not that it cannot be negative; text
    that is no amount is told the field's name, the range and an example.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, bound: Bound = limits.AMOUNT,
                 **kwargs) -> None:
        super().__init__(label, [*(validators or []), InBounds(bound)], **kwargs)
        self.bound = bound

    def not_an_amount(self) -> LazyString:
        return _field_message(self, "%(label)s: vul een bedrag in euro in %(range)s, "
                              "bijvoorbeeld 1250,00.", range=self.bound.text())

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:.2f}".replace(".", ",") if self.data is not None else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not (valuelist[0] or "").strip():
            return
        raw = valuelist[0].strip().replace("€", "").replace(" ", "")
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(raw) if len(raw) <= 100 else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():  # NaN and Infinity are no amounts
            raise ValueError(self.not_an_amount())
        # Quantizing 10^30 overflows the context; InBounds names the maximum instead.
        self.data = amount.quantize(Decimal("0.01")) if abs(amount) <= limits.MAX_EUROS \
            else amount


class DutchDateField(DateField):
    """A date as the browser's date picker sends it (2027-07-14) or as a Dutch reader types it
    (14-07-2027); anything else is told the field's name and an example."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d-%m-%Y"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_field_message(
                self, "%(label)s: vul een bestaande datum in, bijvoorbeeld 14-07-2027.")) \
                from error


class DutchDateTimeField(DateTimeLocalField):
    """A date and time from the browser's picker (2027-07-14T10:00), or typed as
    14-07-2027 10:00; anything else is told the field's name and an example."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_field_message(
                self, "%(label)s: vul een bestaande datum en tijd in, bijvoorbeeld "
                "14-07-2027 10:00.")) from error


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
