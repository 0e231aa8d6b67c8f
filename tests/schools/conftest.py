"""A small school world: two schools, a gemeente, a provider with an activity and a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from matcher.accounts.models import Organisation, User
from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db
from matcher.engine.model import LEERLINGEN
from matcher.schools import services
from matcher.schools.models import FundingStream, SchoolGroup, StreamKind
from providers.models import Activity, ActivityDate, ActivityStatus, Provider

SOON = date.today() + timedelta(days=30)


@dataclass
class School:
    organisation: Organisation
    coordinator: User
    teacher: User
    leader: User
    group: SchoolGroup
    stream: FundingStream


@dataclass
class World:
    school: School
    other: School
    gemeente: Organisation
    gemeente_user: User
    provider: Provider
    provider_user: User
    activity: Activity
    session: ActivityDate


@pytest.fixture
def make_school(make_organisation, make_user):
    def make(name: str, gemeente: str = "Amsterdam", amount: str = "5000") -> School:
        organisation = make_organisation(kind=OrganisationKind.SCHOOL, name=name,
                                         gemeente=gemeente, sector="po")
        users = [make_user(role=role, organisation=organisation)
                 for role in (Role.COORDINATOR, Role.TEACHER, Role.SCHOOL_LEADER)]
        group = services.create_group(organisation=organisation, name="5A",
                                      school_year="2026-2027", grades=[5], pupils=25)
        stream = services.add_funding_stream(
            organisation=organisation, kind=StreamKind.NPO, name="NPO",
            amount=Decimal(amount), deadline=date.today() + timedelta(days=300))
        db.session.commit()
        return School(organisation, *users, group=group, stream=stream)

    return make


@pytest.fixture
def world(make_school, make_organisation, make_user) -> World:
    school = make_school("OBS De Test")
    other = make_school("OBS Elders")
    gemeente = make_organisation(kind=OrganisationKind.GEMEENTE, name="Gemeente Amsterdam",
                                 region=["Amsterdam"])
    gemeente_user = make_user(role=Role.GEMEENTE, organisation=gemeente)
    provider_org = make_organisation(kind=OrganisationKind.PROVIDER, name="Theater Test")
    provider_user = make_user(role=Role.PROVIDER_STAFF, organisation=provider_org)
    provider = Provider(key="theater-test", organisation_id=provider_org.id, name="Theater Test",
                        kind="jeugdtheater", gemeente="Amsterdam", serves=["Amsterdam"],
                        email="info@theater.example", approved=True)
    activity = Activity(
        key="theater-zomer", provider=provider, title="Zomertheater",
        description="Een week theater maken in de zomervakantie, met een voorstelling.",
        disciplines=["theater"], format="lessenreeks",
        audience=[{"sector": "po", "grades": [4, 5, 6]}], group_min=5, group_max=30,
        sessions=5, minutes_per_session=120, periods=["zomervakantie"], location="op-locatie",
        price_amount=Decimal("10.00"), price_per="leerling",
        interventions=["zomerschool", "cultuureducatie"], competences=["samenwerken"],
        status=ActivityStatus.APPROVED, participants_read=LEERLINGEN)
    session = ActivityDate(activity=activity, capacity=25,
                           starts_at=datetime.combine(SOON, datetime.min.time(), tzinfo=UTC))
    db.session.add_all([provider, activity, session])
    db.session.commit()
    return World(school=school, other=other, gemeente=gemeente, gemeente_user=gemeente_user,
                 provider=provider, provider_user=provider_user, activity=activity,
                 session=session)


def book_on_the_date(world, seats: int = 5, nonce: str = "t1"):
    """The coordinator of the world's school books `seats` places on its dated session."""
    booking = services.book(
        organisation=world.school.organisation,
        by=world.school.coordinator,
        nonce=nonce,
        stream=world.school.stream,
        on_date=SOON,
        seats=seats,
        intervention="zomerschool",
        activity=world.activity,
        activity_date_id=world.session.id,
    ).booking
    db.session.commit()
    return booking
