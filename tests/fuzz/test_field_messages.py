"""Every number and date field says, in Dutch, which field it is and what it wants.

WTForms' own "Not a valid integer value." (or "Ongeldig getal.") names neither the field nor
the range. The fields of matcher.forms (WholeNumberField, EuroField, DutchDateField,
DutchDateTimeField) do: "Aantal leerlingen: vul een heel getal in van 1 tot en met 60."

Two kinds of test: every form class of the app, read directly, with a bad value in each of its
number and date fields; and the pages themselves, where the message must stand beside its own
input (the field's error paragraph), not somewhere else on the page.
"""

from __future__ import annotations

import importlib
import inspect
import re
from html import unescape

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import DateField, DateTimeField, DecimalField, FloatField, IntegerField

from matcher import limits
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.forms import DutchDateField, DutchDateTimeField, EuroField, WholeNumberField
from matcher.schools.models import SchoolGroup
from providers.models import Activity, Provider
from tests.fuzz.conftest import Demo

FORM_MODULES = (
    "matcher.forms",
    "matcher.schools.forms",
    "matcher.catalogue.forms",
    "matcher.observations.forms",
    "matcher.accounts.forms",
    "providers.forms",
)
NUMBER_OR_DATE = (IntegerField, DecimalField, FloatField, DateField, DateTimeField)
CLEAR = (WholeNumberField, EuroField, DutchDateField, DutchDateTimeField)
BAD = {
    WholeNumberField: ["veel", "1,5", "NaN", "١٢", "1e3", "1" * 5000],
    EuroField: ["twee euro", "NaN", "Infinity", "1,2,3"],
    DutchDateField: ["2026-02-30", "gisteren", "31-13-2026"],
    DutchDateTimeField: ["2027-07-14T25:61", "morgen", "2027-07-14"],
}


def form_classes() -> list[type[FlaskForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, FlaskForm) and value.__module__ == name:
                found.append(value)
    return found


def typed_fields(form_class: type[FlaskForm]):
    """(name, field class, unbound field) of every number or date field of a form class."""
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        field_class = getattr(unbound, "field_class", None)
        if inspect.isclass(field_class) and issubclass(field_class, NUMBER_OR_DATE + CLEAR):
            yield name, field_class, unbound


FIELDS = [
    pytest.param(form_class, name, field_class, id=f"{form_class.__name__}.{name}")
    for form_class in form_classes()
    for name, field_class, _unbound in typed_fields(form_class)
]


def expected_message(field) -> str:
    label = str(field.label.text)
    if isinstance(field, WholeNumberField):
        return f"{label}: vul een heel getal in {field.bound.text()}."
    if isinstance(field, EuroField):
        return f"{label}: vul een bedrag in euro in {field.bound.text()}, bijvoorbeeld 1250,00."
    if isinstance(field, DutchDateTimeField):
        return f"{label}: vul een bestaande datum en tijd in, bijvoorbeeld 14-07-2027 10:00."
    return f"{label}: vul een bestaande datum in, bijvoorbeeld 14-07-2027."


def test_there_are_number_and_date_fields_to_check():
    assert len(FIELDS) >= 25


@pytest.mark.parametrize(("form_class", "name", "field_class"), FIELDS)
def test_every_number_and_date_field_is_one_that_names_itself(form_class, name, field_class):
    # A plain IntegerField, DecimalField or DateField would say "Ongeldig getal." again.
    assert issubclass(field_class, CLEAR), (
        f"{form_class.__name__}.{name} is a {field_class.__name__}; use one of matcher.forms' "
        "fields (WholeNumberField, EuroField, DutchDateField, DutchDateTimeField)"
    )


@pytest.mark.parametrize(("form_class", "name", "field_class"), FIELDS)
def test_a_bad_value_names_the_field_and_what_it_wants(app: Flask, form_class, name, field_class):
    kind = next(k for k in CLEAR if issubclass(field_class, k))
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        for bad in BAD[kind]:
            form = form_class(formdata=MultiDict({name: bad}), meta={"csrf": False})
            field = form[name]
            field.validate(form)
            assert field.errors, (name, bad)
            message = expected_message(field)
            assert [str(e) for e in field.errors] == [message], (name, bad)
            assert "Ongeldig" not in message and "valid" not in message


def test_a_number_outside_its_range_still_names_the_end_it_crossed(app: Flask):
    from matcher.schools.forms import GroupForm

    with app.test_request_context():
        form = GroupForm(formdata=MultiDict({"pupils": "61"}), meta={"csrf": False})
        form.pupils.validate(form)
        assert [str(e) for e in form.pupils.errors] == ["Een groep heeft hoogstens 60 leerlingen."]
        form = GroupForm(formdata=MultiDict({"pupils": " 25 "}), meta={"csrf": False})
        form.pupils.validate(form)
        assert form.pupils.data == 25 and not form.pupils.errors


def test_dates_are_read_as_the_picker_sends_them_and_as_a_dutch_reader_types_them(app):
    from matcher.schools.forms import StreamForm

    with app.test_request_context():
        for typed in ("2027-07-14", "14-07-2027"):
            form = StreamForm(formdata=MultiDict({"deadline": typed}), meta={"csrf": False})
            form.deadline.validate(form)
            assert str(form.deadline.data) == "2027-07-14" and not form.deadline.errors


def test_a_team_request_names_the_participants_not_the_pupils(app):
    from matcher.schools.forms import RequestForm

    with app.test_request_context():
        form = RequestForm(
            formdata=MultiDict({"participants": "team", "pupils": "veel"}), meta={"csrf": False}
        )
        form.pupils.validate(form)
        assert [str(e) for e in form.pupils.errors] == [
            "Aantal deelnemers: vul een heel getal in van 1 tot en met 5.000."
        ]


# ------------------------------------------------------------------------------ on the pages


def error_beside(html: str, field_id: str) -> str:
    """The text of the error paragraph tied to the input `field_id` (empty when none)."""
    found = re.search(
        rf'<p class="field__error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S
    )
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def _ids() -> dict[str, int | str]:
    provider = db.session.scalar(select(Provider).where(Provider.name.like("Jeugdtheater%")))
    activity = db.session.scalar(
        select(Activity).where(Activity.provider_id == provider.id).order_by(Activity.id)
    )
    group = db.session.scalar(select(SchoolGroup).order_by(SchoolGroup.id))
    return {"activity": activity.id, "group": group.id}


# (role, method, url, field values, field id, expected message)
PAGES = [
    (
        Role.COORDINATOR,
        "POST",
        "/school/groepen",
        {"name": "5B", "pupils": "veel"},
        "pupils",
        "Aantal leerlingen: vul een heel getal in van 1 tot en met 60.",
    ),
    (
        Role.COORDINATOR,
        "POST",
        "/school/aanvragen/nieuw",
        {"title": "Zomer", "pupils": "25", "date_from": "2026-02-30"},
        "date_from",
        "Vanaf: vul een bestaande datum in, bijvoorbeeld 14-07-2027.",
    ),
    (
        Role.COORDINATOR,
        "POST",
        "/school/aanvragen/nieuw",
        {"title": "Zomer", "pupils": "1,5"},
        "pupils",
        "Aantal leerlingen: vul een heel getal in van 1 tot en met 5.000.",
    ),
    (
        Role.COORDINATOR,
        "POST",
        "/school/budget",
        {"kind": "npo", "amount": "veel", "deadline": "2027-07-14"},
        "amount",
        "Bedrag (euro): vul een bedrag in euro in van 0 tot en met 10.000.000, "
        "bijvoorbeeld 1250,00.",
    ),
    (
        Role.COORDINATOR,
        "POST",
        "/school/budget",
        {"kind": "npo", "amount": "100", "deadline": "morgen"},
        "deadline",
        "Besteden vóór: vul een bestaande datum in, bijvoorbeeld 14-07-2027.",
    ),
    (
        Role.COORDINATOR,
        "POST",
        "/school/programma",
        {"item-title": "Zingen", "item-cost": "gratis"},
        "item-cost",
        "Kosten (euro): vul een bedrag in euro in van 0 tot en met 10.000.000, "
        "bijvoorbeeld 1250,00.",
    ),
    (
        Role.COORDINATOR,
        "POST",
        "/school/programma",
        {"mr-mr_agreed_on": "ooit"},
        "mr-mr_agreed_on",
        "Datum instemming medezeggenschapsraad: vul een bestaande datum in, "
        "bijvoorbeeld 14-07-2027.",
    ),
    (
        Role.COORDINATOR,
        "POST",
        "/observaties/grondslag",
        {"legal_basis": "toestemming", "explanation": "x", "retention_years": "twee"},
        "retention_years",
        "Bewaartermijn in jaren na het einde van het schooljaar: vul een heel "
        "getal in van 1 tot en met 10.",
    ),
    (
        Role.COORDINATOR,
        "POST",
        "/observaties/groepen/{group}/uitnodigen",
        {"observer_name": "Pim", "email": "pim@example.nl", "period_start": "2027-13-01"},
        "period_start",
        "Begin van de periode (optioneel): vul een bestaande datum in, bijvoorbeeld 14-07-2027.",
    ),
    (
        None,
        "GET",
        "/matchen",
        {"pupils": "NaN", "budget": "2000"},
        "pupils",
        "Aantal leerlingen: vul een heel getal in van 1 tot en met 2.000.",
    ),
    (
        None,
        "GET",
        "/matchen",
        {"pupils": "25", "budget": "twee"},
        "budget",
        "Budget in euro: vul een bedrag in euro in van 0 tot en met 10.000.000, "
        "bijvoorbeeld 1250,00.",
    ),
    (
        Role.PROVIDER_STAFF,
        "POST",
        "/aanbieder/activiteiten/nieuw",
        {"title": "T", "group_min": "tien"},
        "group_min",
        "Minimaal aantal leerlingen per groep: vul een heel getal in van 1 tot en met 2.000.",
    ),
    (
        Role.PROVIDER_STAFF,
        "POST",
        "/aanbieder/activiteiten/nieuw",
        {"title": "T", "price_amount": "duur"},
        "price_amount",
        "Prijs in euro: vul een bedrag in euro in van 0 tot en met 10.000.000, "
        "bijvoorbeeld 1250,00.",
    ),
    (
        Role.PROVIDER_STAFF,
        "POST",
        "/aanbieder/activiteiten/{activity}/data",
        {"starts_at": "2027-07-14T10:00", "capacity": "vol"},
        "capacity",
        "Aantal plaatsen (leerlingen): vul een heel getal in van 1 tot en met 10.000.",
    ),
    (
        Role.PROVIDER_STAFF,
        "POST",
        "/aanbieder/activiteiten/{activity}/data",
        {"starts_at": "volgende week", "capacity": "20"},
        "starts_at",
        "Datum en begintijd: vul een bestaande datum en tijd in, bijvoorbeeld 14-07-2027 10:00.",
    ),
]


@pytest.mark.parametrize(
    ("role", "method", "url", "values", "field_id", "message"),
    PAGES,
    ids=[f"{p[2]}#{p[4]}" for p in PAGES],
)
def test_the_message_stands_beside_its_own_field(
    demo: Demo, role, method, url, values, field_id, message
):
    client = demo.sign_in(role)
    url = url.format(**_ids())
    if method == "GET":
        response = client.get(url, query_string=values)
    else:
        response = client.post(url, data=values)
    html = response.get_data(as_text=True)
    # (A few older pages answer a refused form with 200; the point here is the message.)
    assert response.status_code in (200, 400), (url, response.status_code)
    assert error_beside(html, field_id) == message
    # ... and only there: no other field carries it.
    assert html.count(message) <= 2  # beside the field, and in the summary at the top
    assert "Ongeldig getal" not in html and "Not a valid" not in html


def test_every_bound_the_fields_use_comes_from_the_limits_module():
    bounds = {value for value in vars(limits).values() if isinstance(value, limits.Bound)}
    for form_class in form_classes():
        for _name, field_class, unbound in typed_fields(form_class):
            if issubclass(field_class, WholeNumberField | EuroField):
                assert unbound.kwargs.get("bound", limits.AMOUNT) in bounds
