"""Observation forms; labels and messages are Dutch.

The observation form is built per request from the dimensions file: a radio group (rendered as a
fieldset with a legend) and an optional remark per dimension, general notes and, where the school
allows it, notes per pupil code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from matcher import limits
from matcher.forms import DutchDateField, WholeNumberField
from matcher.observations.models import DEFAULT_RETENTION_YEARS, LegalBasis
from matcher.observations.privacy import forbidden_content, name_like_words
from matcher.observations.services import (
    MAX_TEXT,
    ObservationInput,
    PupilNoteInput,
    ScoreInput,
)
from matcher.reference.dimensions import Dimension, load_dimensions

REQUIRED = _l("Dit veld is verplicht.")
NOT_SEEN = "niet-gezien"
PUPIL_NOTE_ROWS = 3
DISCIPLINES = (
    SelectChoice("", _l("Kies (optioneel)")),
    SelectChoice("gastdocent", _l("Gastdocent")),
    SelectChoice("theatermaker", _l("(Jeugd)theatermaker")),
    SelectChoice("museumdocent", _l("Museumdocent")),
    SelectChoice("kunstvakdocent", _l("Kunstvakdocent")),
    SelectChoice("anders", _l("Anders")),
)


def no_contact_details(form, field) -> None:
    problems = forbidden_content(field.data)
    if problems:
        raise ValidationError(" ".join(problems))


def free_text(label: str, description: str = "") -> TextAreaField:
    return TextAreaField(label, description=description, validators=[
        Optional(),
        Length(max=MAX_TEXT, message=_l("Gebruik hooguit %(count)d tekens.", count=MAX_TEXT)),
        no_contact_details])


def slug(key: str) -> str:
    return key.replace("-", "_")


class PolicyForm(FlaskForm):
    legal_basis = RadioField(
        _l("Grondslag voor het verwerken van observaties"),
        choices=[SelectChoice(basis.value, basis.label) for basis in LegalBasis],
        validators=[InputRequired(_l("Kies de grondslag."))])
    explanation = TextAreaField(
        _l("Toelichting"), validators=[DataRequired(REQUIRED), Length(max=2000)],
        description=_l("Bijvoorbeeld: waar het privacyreglement of de privacyverklaring dit "
                    "regelt, en hoe ouders zijn geïnformeerd."))
    pupil_notes_allowed = BooleanField(
        _l("Professionals mogen notities over afzonderlijke leerlingen geven (onder een "
        "leerlingcode, nooit met naam)"))
    retention_years = WholeNumberField(
        _l("Bewaartermijn in jaren na het einde van het schooljaar"),
        default=DEFAULT_RETENTION_YEARS, bound=limits.RETENTION_YEARS,
        validators=[InputRequired(REQUIRED)])


class InviteForm(FlaskForm):
    observer_name = StringField(_l("Naam van de professional"),
                                validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(_l("E-mailadres van de professional"), validators=[
        DataRequired(REQUIRED), Email(_l("Vul een geldig e-mailadres in.")), Length(max=254)])
    activity_reference = StringField(
        _l("Activiteit of boekingsnummer (optioneel)"), validators=[Optional(), Length(max=200)],
        description=_l("Bijvoorbeeld: 'Theaterlessen Wie ben jij?' of een boekingsnummer."))
    period_start = DutchDateField(_l("Begin van de periode (optioneel)"),
                                  validators=[Optional()])
    period_end = DutchDateField(_l("Einde van de periode (optioneel)"), validators=[Optional()])


class PupilCodesForm(FlaskForm):
    count = WholeNumberField(_l("Aantal nieuwe leerlingcodes"), default=5,
                             bound=limits.PUPIL_CODES, validators=[InputRequired(REQUIRED)])


class ErasePupilForm(FlaskForm):
    code = StringField(_l("Leerlingcode"), validators=[DataRequired(REQUIRED), Length(max=12)])


class PupilNoteForm(Form):
    """One row of the optional pupil notes; a row without a code is ignored."""

    code = SelectField(_l("Leerlingcode"), validators=[Optional()])
    dimension = SelectField(_l("Dimensie"), validators=[Optional()])
    score = SelectField(_l("Hoe vaak zag u dit gedrag?"), validators=[Optional()])
    note = free_text(_l("Notitie"))


@dataclass(frozen=True)
class NameWarning:
    label: str
    words: tuple[str, ...]


class ObservationForm(FlaskForm):
    observed_on = DutchDateField(_l("Datum van de activiteit"), default=date.today,
                            validators=[InputRequired(_l("Vul de datum in."))])
    general_notes = free_text(
        _l("Algemene notities over de groep (optioneel)"),
        _l("Wat viel u op? Noem geen namen, e-mailadressen, telefoonnummers of geboortedata."))
    confirm_no_names = BooleanField(
        _l("Ik heb het gecontroleerd: er staan geen namen van leerlingen in mijn tekst."))

    name_warnings: list[NameWarning]

    @property
    def dimensions(self) -> tuple[Dimension, ...]:
        return load_dimensions().dimensions

    def score_field(self, dimension: Dimension) -> RadioField:
        return self[f"score_{slug(dimension.key)}"]

    def remark_field(self, dimension: Dimension) -> TextAreaField:
        return self[f"remark_{slug(dimension.key)}"]

    @property
    def text_fields(self) -> list:
        fields = [self.general_notes, *(self.remark_field(d) for d in self.dimensions)]
        if "pupil_notes" in self:
            fields.extend(entry.form.note for entry in self["pupil_notes"])
        return fields

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.name_warnings = []
        for text_field in self.text_fields:
            words = name_like_words(text_field.data)
            if words:
                self.name_warnings.append(NameWarning(str(text_field.label.text), tuple(words)))
        if valid and self.name_warnings and not self.confirm_no_names.data:
            return False
        return valid

    def to_input(self) -> ObservationInput:
        scores = []
        for dimension in self.dimensions:
            value = self.score_field(dimension).data
            scores.append(ScoreInput(dimension.key, None if value == NOT_SEEN else int(value),
                                     self.remark_field(dimension).data or ""))
        notes = []
        if "pupil_notes" in self:
            for entry in self["pupil_notes"]:
                row = entry.form
                if not row.code.data:
                    continue
                notes.append(PupilNoteInput(
                    code=row.code.data, note=row.note.data or "",
                    dimension=row.dimension.data or None,
                    score=int(row.score.data) if row.score.data else None))
        discipline = self["discipline"].data if "discipline" in self else None
        return ObservationInput(observed_on=self.observed_on.data, scores=scores,
                                general_notes=self.general_notes.data or "",
                                pupil_notes=notes, discipline=discipline or None)


@cache
def _form_class(external: bool, with_pupil_notes: bool) -> type[ObservationForm]:
    dimensions = load_dimensions()
    attrs: dict = {}
    if external:
        attrs["discipline"] = SelectField(_l("Uw rol"), choices=DISCIPLINES,
                                          validators=[Optional()])
    for dimension in dimensions.dimensions:
        choices = [SelectChoice(str(k), f"{k}: {label}")
                   for k, label in dimensions.group_scale.items()]
        choices.append(SelectChoice(NOT_SEEN, _l("Niet gezien")))
        attrs[f"score_{slug(dimension.key)}"] = RadioField(
            dimension.name, choices=choices, description=dimension.observe,
            validators=[InputRequired(_l("Kies een score of 'niet gezien'."))])
        attrs[f"remark_{slug(dimension.key)}"] = free_text(
            _l("Toelichting bij %(name)s (optioneel)", name=dimension.name.lower()))
    if with_pupil_notes:
        attrs["pupil_notes"] = FieldList(FormField(PupilNoteForm), min_entries=PUPIL_NOTE_ROWS,
                                         max_entries=PUPIL_NOTE_ROWS)
    return type("DimensionObservationForm", (ObservationForm,), attrs)


def build_observation_form(*, external: bool, pupil_codes: list[str] | None,
                           **kwargs) -> ObservationForm:
    """The observation form for the dimensions file; pupil rows only when codes are given."""
    dimensions = load_dimensions()
    form = _form_class(external, bool(pupil_codes))(**kwargs)
    form.name_warnings = []
    if pupil_codes:
        for entry in form["pupil_notes"]:
            row = entry.form
            row.code.choices = [SelectChoice("", _l("Geen leerling gekozen")),
                                *(SelectChoice(c, c) for c in pupil_codes)]
            row.dimension.choices = [SelectChoice("", _l("Geen specifieke dimensie")),
                                     *(SelectChoice(d.key, d.name) for d in dimensions.dimensions)]
            row.score.choices = [SelectChoice("", _l("Geen score")),
                                 *(SelectChoice(str(k), f"{k}: {v}")
                                   for k, v in dimensions.pupil_scale.items())]
    return form
