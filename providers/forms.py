"""Forms of providers and curators; every label and message in Dutch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from matcher import limits
from matcher.exchange import schema as vocabulary
from matcher.forms import (
    CheckboxesField,
    DutchDateTimeField,
    EuroField,
    WholeNumberField,
    competence_choices,
    intervention_choices,
    vocabulary_choices,
)
from providers.models import REJECTION_REASONS, Activity

REQUIRED = _l("Dit veld is verplicht.")
UPLOAD_MAX_BYTES = limits.MAX_UPLOAD_BYTES
NOT_GIVEN = ""


def participant_choices() -> list[SelectChoice]:
    """The three values with their labels, and 'not given' (the text decides)."""
    return [*vocabulary_choices(vocabulary.PARTICIPANTS),
            SelectChoice(NOT_GIVEN, _l("Niet opgegeven — dan leest Cultuurmatch het uit de "
                                       "tekst"))]


def _grades(sector: str) -> list[SelectChoice]:
    low, high = vocabulary.GRADES[sector]
    grades = range(low, high + 1)
    if sector == "vo":
        return [SelectChoice(str(g), _l("Leerjaar %(grade)d", grade=g)) for g in grades]
    return [SelectChoice(str(g), _l("Groep %(grade)d", grade=g)) for g in grades]


class SignUpForm(FlaskForm):
    name = StringField(_l("Naam van uw organisatie"),
                       validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField(_l("Soort aanbieder"), choices=vocabulary_choices(vocabulary.PROVIDER_KINDS),
                       validators=[InputRequired(REQUIRED)])
    gemeente = StringField(_l("Vestigingsgemeente"),
                           validators=[DataRequired(REQUIRED), Length(max=100)])
    whole_country = BooleanField(_l("Wij werken in heel Nederland"))
    serves = TextAreaField(
        _l("Gemeenten waar u werkt"), validators=[Optional(), Length(max=4000)],
        description=_l("Gescheiden door komma's. Leeg laten: alleen uw vestigingsgemeente."))
    email = EmailField(_l("E-mailadres voor scholen"),
                       validators=[DataRequired(REQUIRED), Email(_l("Geen geldig e-mailadres."))])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=500)],
                       description=_l("Begint met https://"))
    contact_name = StringField(_l("Contactpersoon"),
                               validators=[DataRequired(REQUIRED), Length(max=200)])
    phone = StringField(_l("Telefoonnummer"), validators=[Optional(), Length(max=40)])
    user_name = StringField(_l("Uw naam"), validators=[DataRequired(REQUIRED), Length(max=200)])
    user_email = EmailField(_l("Uw e-mailadres om in te loggen"),
                            validators=[DataRequired(REQUIRED),
                                        Email(_l("Geen geldig e-mailadres."))])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(REQUIRED)],
                             description=_l("Minstens 12 tekens."))
    password_confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[DataRequired(REQUIRED),
                    EqualTo("password", _l("De wachtwoorden zijn niet gelijk."))])

    def validate_website(self, field) -> None:
        if field.data and not field.data.startswith(("http://", "https://")):
            raise ValidationError(_l("Een website begint met http:// of https://."))

    def served(self) -> list[str]:
        if self.whole_country.data:
            return ["*"]
        return [part.strip() for part in (self.serves.data or "").replace("\n", ",").split(",")
                if part.strip()]


class ActivityForm(FlaskForm):
    """Every field of the exchange format; the audience as groups per sector."""

    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(
        _l("Beschrijving"), validators=[DataRequired(REQUIRED), Length(max=20000)],
        description=_l("Vertel wat leerlingen doen en leren. Uit deze tekst stelt Cultuurmatch "
                    "interventies van de menukaart voor."))
    disciplines = CheckboxesField(_l("Disciplines"),
                                  choices=vocabulary_choices(vocabulary.DISCIPLINES),
                                  validators=[DataRequired(_l("Kies minstens één discipline."))])
    format = SelectField(_l("Vorm"), choices=vocabulary_choices(vocabulary.FORMATS),
                         validators=[InputRequired(REQUIRED)])
    participants = RadioField(_l("Voor wie"), choices=participant_choices(), default=NOT_GIVEN,
                              validators=[Optional()])
    grades_po = CheckboxesField(_l("Primair onderwijs (po)"), choices=_grades("po"))
    grades_so = CheckboxesField(_l("Speciaal onderwijs (so)"), choices=_grades("so"))
    grades_vo = CheckboxesField(_l("Voortgezet onderwijs (vo)"), choices=_grades("vo"))
    group_min = WholeNumberField(_l("Minimaal aantal leerlingen per groep"),
                                 bound=limits.GROUP_SIZE, validators=[InputRequired(REQUIRED)])
    group_max = WholeNumberField(_l("Maximaal aantal leerlingen per groep"),
                                 bound=limits.GROUP_SIZE, validators=[InputRequired(REQUIRED)])
    sessions = WholeNumberField(_l("Aantal bijeenkomsten"), bound=limits.SESSIONS,
                                validators=[InputRequired(REQUIRED)],
                                description=_l("Een voorstelling heeft 1 bijeenkomst."))
    minutes_per_session = WholeNumberField(
        _l("Minuten per bijeenkomst"), bound=limits.MINUTES,
        validators=[InputRequired(REQUIRED)])
    periods = CheckboxesField(_l("Wanneer kan het plaatsvinden?"),
                              choices=vocabulary_choices(vocabulary.PERIODS),
                              validators=[DataRequired(_l("Kies minstens één periode."))])
    location = RadioField(_l("Waar?"), choices=vocabulary_choices(vocabulary.LOCATIONS),
                          validators=[InputRequired(_l("Kies waar de activiteit plaatsvindt."))])
    price_amount = EuroField(_l("Prijs in euro"), bound=limits.PRICE,
                             validators=[InputRequired(REQUIRED)])
    price_per = RadioField(_l("De prijs geldt"), choices=vocabulary_choices(vocabulary.PRICE_UNITS),
                           validators=[InputRequired(_l("Kies waarvoor de prijs geldt."))])
    competences = CheckboxesField(_l("Sociaal-emotionele competenties"),
                                  choices=competence_choices)
    interventions = CheckboxesField(
        _l("Interventies van de menukaart die deze activiteit kan invullen"),
        choices=intervention_choices)
    # Suggestions the provider ticks to confirm; unticked ones are left out.
    confirmed_suggestions = CheckboxesField(_l("Voorgestelde interventies"),
                                            choices=intervention_choices)

    def validate_group_max(self, field) -> None:
        if self.group_min.data and field.data and field.data < self.group_min.data:
            raise ValidationError(_l("Het maximum is kleiner dan het minimum."))

    def validate_grades_po(self, field) -> None:
        if not (self.grades_po.data or self.grades_so.data or self.grades_vo.data):
            raise ValidationError(_l("Kies minstens één groep of leerjaar."))

    def audience(self) -> list[dict[str, Any]]:
        """The grades ticked per sector; a value that is no choice is left out (the draft
        is read before validation, and 'NaN' or '1e-400' is no grade)."""
        chosen = {sector: _chosen_grades(field) for sector, field in (
            ("po", self.grades_po), ("so", self.grades_so), ("vo", self.grades_vo))}
        return [{"sector": sector, "grades": grades} for sector, grades in chosen.items()
                if grades]

    def fields(self) -> dict[str, Any]:
        """The column values the form describes (suggestions confirmed become claims)."""
        interventions = list(dict.fromkeys((self.interventions.data or [])
                                           + (self.confirmed_suggestions.data or [])))
        return {
            "title": (self.title.data or "").strip(),
            "description": (self.description.data or "").strip(),
            "disciplines": list(self.disciplines.data or []),
            "format": self.format.data,
            "audience": self.audience(),
            "group_min": self.group_min.data,
            "group_max": self.group_max.data,
            "sessions": self.sessions.data,
            "minutes_per_session": self.minutes_per_session.data,
            "periods": list(self.periods.data or []),
            "location": self.location.data,
            "price_amount": Decimal(self.price_amount.data or 0).quantize(Decimal("0.01")),
            "price_per": self.price_per.data,
            "interventions": interventions,
            "competences": list(self.competences.data or []),
            "participants": self.participants.data or None,
        }

    def draft_fields(self) -> dict[str, Any]:
        """What has been typed so far, for suggestions, without requiring a valid form."""
        def number(field) -> int:
            try:
                value = int(field.raw_data[0]) if field.raw_data else 0
            except (TypeError, ValueError):
                return 0
            return value if 0 < value <= limits.MAX_ROW_ID else 0
        return {
            "title": self.title.data or "", "description": self.description.data or "",
            "disciplines": self.disciplines.data or [], "format": self.format.data or "",
            "audience": self.audience(), "group_min": number(self.group_min) or 1,
            "group_max": number(self.group_max) or 1, "sessions": number(self.sessions) or 1,
            "minutes_per_session": number(self.minutes_per_session) or 1,
            "periods": self.periods.data or [], "location": self.location.data or "",
            "price_amount": 0, "price_per": self.price_per.data or "",
            "interventions": self.interventions.data or [],
            "competences": self.competences.data or [],
            "participants": self.participants.data or None,
        }

    def fill_from(self, activity: Activity) -> None:
        for name in ("title", "description", "disciplines", "format", "group_min", "group_max",
                     "sessions", "minutes_per_session", "periods", "location", "price_amount",
                     "price_per", "competences", "interventions"):
            getattr(self, name).data = getattr(activity, name)
        self.participants.data = activity.participants or NOT_GIVEN
        for item in activity.audience:
            getattr(self, f"grades_{item['sector']}").data = [str(g) for g in item["grades"]]


def _chosen_grades(field: CheckboxesField) -> list[int]:
    allowed = {str(value) for value, *_rest in field.iter_choices()}
    return sorted({int(g) for g in field.data or () if str(g) in allowed})


class DateForm(FlaskForm):
    starts_at = DutchDateTimeField(_l("Datum en begintijd"),
                                   validators=[InputRequired(_l("Kies een datum en tijd."))])
    capacity = WholeNumberField(_l("Aantal plaatsen (leerlingen)"), bound=limits.CAPACITY,
                                validators=[InputRequired(REQUIRED)])


class ImportForm(FlaskForm):
    file = FileField(
        _l("Bestand met aanbod"),
        validators=[FileRequired(_l("Kies een bestand.")),
                    FileAllowed(["json", "csv", "xlsx"],
                                _l("Kies een bestand van het soort .json, .csv of .xlsx.")),
                    FileSize(UPLOAD_MAX_BYTES,
                             message=_l("Het bestand is groter dan %(size)s.",
                                        size=limits.size_text(UPLOAD_MAX_BYTES)))],
        description=_l("Uitwisselformaat (JSON) of een rekenblad (CSV of XLSX) volgens het "
                       "sjabloon; maximaal %(size)s.", size=limits.size_text(UPLOAD_MAX_BYTES)))


REASON_CHOICES = [SelectChoice("", _l("Kies een reden"))] + [
    SelectChoice(key, text) for key, text in REJECTION_REASONS.items()]
VERDICT_CHOICES = [SelectChoice("", _l("Geen oordeel")),
                   SelectChoice("bevestigd", _l("Bevestigen")),
                   SelectChoice("geschrapt", _l("Schrappen"))]


class ReviewForm(FlaskForm):
    """The curator's decision on one activity; verdict fields are added per intervention."""

    reason = SelectField(_l("Reden bij afwijzen"), choices=REASON_CHOICES, validators=[Optional()])
    note = TextAreaField(_l("Toelichting voor de aanbieder"),
                         validators=[Optional(), Length(max=4000)])


def verdict_field_name(key: str) -> str:
    return "verdict_" + key.replace("-", "_")


def review_form(keys: list[str], names: dict[str, str], **kwargs) -> ReviewForm:
    """A ReviewForm with one 'confirm / drop / no verdict' choice per intervention link."""
    fields = {verdict_field_name(key): RadioField(names.get(key, key), choices=VERDICT_CHOICES,
                                                  default="", validators=[Optional()])
              for key in keys}
    form_class = type("LinkReviewForm", (ReviewForm,), fields)
    return form_class(**kwargs)


class ParticipantsDecisionForm(FlaskForm):
    """The curator's one-click decision on who takes part: one submit button per value."""

    participants = SelectField(_l("Voor wie"), choices=vocabulary_choices(vocabulary.PARTICIPANTS),
                               validators=[InputRequired(_l("Kies voor wie de activiteit is."))])


class ProviderReviewForm(FlaskForm):
    note = TextAreaField(_l("Reden bij afwijzen (de aanbieder ziet deze tekst)"),
                         validators=[Optional(), Length(max=4000)])


class BulkApproveForm(FlaskForm):
    activity_ids = SelectMultipleField(_l("Activiteiten"), coerce=int, validators=[Optional()])


def doubt_kind_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Alle soorten")),
            SelectChoice("claim", _l("Claims die niet kloppen")),
            SelectChoice("suggestion", _l("Voorgestelde koppelingen"))]


def any_intervention_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Alle interventies")), *intervention_choices()]


class DoubtFilterForm(FlaskForm):
    """The filters of the queue of doubtful links, read from the query string (GET)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Soort"), choices=doubt_kind_choices, validators=[Optional()])
    intervention = SelectField(_l("Interventie"), choices=any_intervention_choices,
                               validators=[Optional()])
    page = WholeNumberField(_l("Pagina"), default=1, bound=limits.PAGE,
                            validators=[Optional()])

    def filters(self) -> dict[str, str]:
        """The filters chosen, as query-string values (the page apart)."""
        values = {"kind": self.kind.data, "intervention": self.intervention.data}
        return {name: value for name, value in values.items() if value}


class LinkDecisionForm(FlaskForm):
    """The curator's one click on a doubtful link: one submit button per verdict."""

    verdict = SelectField(_l("Oordeel"), choices=VERDICT_CHOICES[1:],
                          validators=[InputRequired(_l("Bevestig de koppeling of laat haar "
                                                       "vallen."))])
