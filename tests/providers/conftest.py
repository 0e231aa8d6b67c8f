"""Providers, their staff, curators and activities as factory fixtures."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from matcher.accounts.models import User
from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db
from providers import services
from providers.models import Activity, ActivityStatus, Provider

FIELDS = {
    "title": "Zomertheaterweek",
    "description": "Vijf ochtenden in de zomervakantie theater maken, samen spelen en een "
                   "voorstelling opvoeren voor de ouders.",
    "disciplines": ["theater"],
    "format": "lessenreeks",
    "audience": [{"sector": "po", "grades": [5, 6, 7, 8]}],
    "group_min": 10,
    "group_max": 30,
    "sessions": 5,
    "minutes_per_session": 90,
    "periods": ["zomervakantie"],
    "location": "op-locatie",
    "price_amount": 1250,
    "price_per": "groep",
    "interventions": ["zomerschool"],
    "competences": ["samenwerken"],
}


def activity_fields(**changes) -> dict:
    from decimal import Decimal

    fields = copy.deepcopy(FIELDS)
    fields.update(changes)
    fields["price_amount"] = Decimal(str(fields["price_amount"])).quantize(Decimal("0.01"))
    return fields


@pytest.fixture
def make_provider(make_organisation) -> Callable[..., Provider]:
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, gemeente: str = "Amsterdam",
             serves: list[str] | None = None, approved: bool = True) -> Provider:
        number = next(counter)
        name = name or f"Aanbieder {number}"
        organisation = make_organisation(kind=OrganisationKind.PROVIDER, name=name,
                                         gemeente=gemeente)
        provider = Provider(key=services.slugify(name), organisation=organisation, name=name,
                            kind="jeugdtheater", gemeente=gemeente,
                            serves=serves if serves is not None else [gemeente],
                            email=f"info{number}@example.nl", approved=approved)
        db.session.add(provider)
        db.session.commit()
        return provider

    return make


@pytest.fixture
def make_staff(make_user) -> Callable[[Provider], User]:
    def make(provider: Provider) -> User:
        return make_user(role=Role.PROVIDER_STAFF, organisation=provider.organisation)

    return make


@pytest.fixture
def make_curator(make_user, make_organisation) -> Callable[..., User]:
    def make(region: tuple[str, ...] = ("Amsterdam", "Zaanstad")) -> User:
        organisation = make_organisation(kind=OrganisationKind.REGION,
                                         gemeente=region[0], region=list(region))
        return make_user(role=Role.CURATOR, organisation=organisation)

    return make


@pytest.fixture
def make_activity() -> Callable[..., Activity]:
    def make(provider: Provider, status: ActivityStatus = ActivityStatus.DRAFT,
             **changes) -> Activity:
        by = None if status == ActivityStatus.APPROVED else _owner(provider)
        activity = services.create_activity(provider=provider, fields=activity_fields(**changes),
                                            by=by, status=status)
        db.session.commit()
        return activity

    return make


def _owner(provider: Provider) -> User | None:
    return next((u for u in provider.organisation.users if u.role == Role.PROVIDER_STAFF), None)


@pytest.fixture(autouse=True)
def _providers_use_the_app(app):
    """Every test here runs in the app (and leaves an empty database behind)."""
    return app
