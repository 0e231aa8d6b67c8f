"""What a user can now undo: a part of the schoolprogramma added by mistake, and the seats of a
dated session (never below what is booked), with who may do it, role by role."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select

from matcher.accounts.roles import Role
from matcher.db import db
from matcher.schools import services
from matcher.schools.models import Booking, BookingEvent, ProgrammeItem, SessionSeats
from providers.models import ActivityDate
from tests.conftest import TEST_PASSWORD, complete_second_step
from tests.schools.conftest import SOON, book_on_the_date

ROLES = [None, *Role]
REMOVERS = {Role.COORDINATOR, Role.SCHOOL_LEADER}  # of the school itself (and a gemeente's own)


def _client(app: Flask, user):
    client = app.test_client()
    if user is not None:
        response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
        response = complete_second_step(client, user, response)
        assert response.status_code == 302
    return client


def _item(world, title: str = "Zingen met de klas") -> ProgrammeItem:
    item = services.add_programme_item(
        organisation=world.school.organisation,
        intervention="cultuureducatie",
        title=title,
        staff="eigen-personeel",
        on_date=date.today() + timedelta(days=20),
        cost=Decimal("50"),
        stream=world.school.stream,
    )
    db.session.commit()
    return item


def _items() -> int:
    return db.session.scalar(select(func.count()).select_from(ProgrammeItem))


# --------------------------------------------------------------------------- the programme


def test_a_coordinator_takes_an_own_part_out_of_the_programme(app, world):
    item = _item(world)
    client = _client(app, world.school.coordinator)
    page = client.get("/school/programma").get_data(as_text=True)
    assert f"/school/programma/onderdelen/{item.id}/verwijderen" in page
    response = client.post(f"/school/programma/onderdelen/{item.id}/verwijderen")
    assert response.status_code == 302 and "/school/programma" in response.headers["Location"]
    assert _items() == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Zingen met de klas&#39; is uit het schoolprogramma gehaald" in page


def test_a_teacher_sees_no_remove_button_and_may_not_remove(app, world):
    item = _item(world)
    client = _client(app, world.school.teacher)
    assert "/verwijderen" not in client.get("/school/programma").get_data(as_text=True)
    assert client.post(f"/school/programma/onderdelen/{item.id}/verwijderen").status_code == 403
    assert _items() == 1


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anoniem")
def test_removing_a_programme_part_role_by_role(app, world, make_user, role):
    """Only the school's coordinator and school leader remove its parts; anyone else with the
    right role but another organisation (another school, the gemeente) gets a 404; the rest a
    403, or the login page."""
    item = _item(world)
    if role in (Role.COORDINATOR, Role.SCHOOL_LEADER, Role.TEACHER):
        user = make_user(role=role, organisation=world.school.organisation)
    elif role is not None:
        user = make_user(role=role)
    else:
        user = None
    response = _client(app, user).post(f"/school/programma/onderdelen/{item.id}/verwijderen")
    if role in REMOVERS:
        assert response.status_code == 302 and _items() == 0
    elif role is None:
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
        assert _items() == 1
    elif role == Role.GEMEENTE:
        assert response.status_code == 404 and _items() == 1  # may plan, but not this school's
    else:
        assert response.status_code == 403 and _items() == 1


def test_another_schools_part_is_not_found(app, world):
    item = _item(world)
    client = _client(app, world.other.coordinator)
    assert client.post(f"/school/programma/onderdelen/{item.id}/verwijderen").status_code == 404
    assert client.post("/school/programma/onderdelen/999999/verwijderen").status_code == 404
    assert _items() == 1


def test_a_booking_is_no_programme_part_and_stays(app, world):
    booking = services.book(
        organisation=world.school.organisation,
        by=world.school.coordinator,
        nonce="blijft",
        stream=world.school.stream,
        on_date=SOON,
        seats=5,
        intervention="zomerschool",
        activity=world.activity,
    ).booking
    db.session.commit()
    client = _client(app, world.school.coordinator)
    assert client.post(f"/school/programma/onderdelen/{booking.id}/verwijderen").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 1


# --------------------------------------------------------------------------- seats of a date


def _capacity(world) -> tuple[int, int | None]:
    db.session.expire_all()
    counter = db.session.get(SessionSeats, world.session.id)
    return (
        db.session.get(ActivityDate, world.session.id).capacity,
        counter.capacity if counter else None,
    )


def test_capacity_can_grow_and_shrink_down_to_what_is_booked(world):
    book_on_the_date(world, 20, "a")
    services.change_capacity(activity_date=world.session, capacity=40)
    db.session.commit()
    assert _capacity(world) == (40, 40)
    services.change_capacity(activity_date=world.session, capacity=20)
    db.session.commit()
    assert _capacity(world) == (20, 20)
    with pytest.raises(services.SchoolError, match="nog maar 0 plaatsen"):
        book_on_the_date(world, 1, "b")


def test_capacity_below_what_is_booked_is_refused_in_dutch_and_changes_nothing(world):
    book_on_the_date(world, 20, "a")
    with pytest.raises(services.SchoolError) as refused:
        services.change_capacity(activity_date=world.session, capacity=19)
    assert str(refused.value) == (
        "Er zijn al 20 plaatsen geboekt op deze datum. Kies minstens "
        "20 plaatsen, of annuleer eerst boekingen."
    )
    assert refused.value.field == "capacity"
    db.session.rollback()
    assert _capacity(world) == (25, 25)


def test_capacity_of_a_date_without_bookings_changes_freely(world):
    services.change_capacity(activity_date=world.session, capacity=3)
    db.session.commit()
    assert _capacity(world) == (3, 3)
    with pytest.raises(services.SchoolError, match="Minstens 1 plaats"):
        services.change_capacity(activity_date=world.session, capacity=0)


def test_the_provider_changes_seats_on_its_activity_page(app, world):
    client = _client(app, world.provider_user)
    page = client.get(f"/aanbieder/activiteiten/{world.activity.id}").get_data(as_text=True)
    assert f"/voor-aanbieders/data/{world.session.id}/plaatsen" in page
    response = client.post(
        f"/voor-aanbieders/data/{world.session.id}/plaatsen", data={"capacity": "30"}
    )
    assert response.status_code == 302
    assert _capacity(world)[0] == 30
    assert "Het aantal plaatsen is nu 30." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_the_page_says_in_dutch_why_the_seats_stay(app, world):
    book_on_the_date(world, 12, "a")
    client = _client(app, world.provider_user)
    for sent, says in (
        ("10", "Er zijn al 12 plaatsen geboekt op deze datum"),
        ("veel", "Aantal plaatsen (leerlingen): vul een heel getal in van 1 tot en met 10.000."),
        ("0", "Minstens 1 plaats."),
    ):
        response = client.post(
            f"/voor-aanbieders/data/{world.session.id}/plaatsen", data={"capacity": sent}
        )
        assert response.status_code == 302
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert says in page, sent
    assert _capacity(world) == (25, 25)
    assert db.session.scalar(select(func.count()).select_from(BookingEvent)) == 1


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anoniem")
def test_changing_seats_role_by_role(app, world, make_user, role):
    """Only staff of the activity's own provider; staff of another provider get a 404."""
    user = (
        world.provider_user
        if role == Role.PROVIDER_STAFF
        else make_user(role=role)
        if role is not None
        else None
    )
    response = _client(app, user).post(
        f"/voor-aanbieders/data/{world.session.id}/plaatsen", data={"capacity": "30"}
    )
    if role == Role.PROVIDER_STAFF:
        assert response.status_code == 302 and _capacity(world)[0] == 30
        other = _client(app, make_user(role=Role.PROVIDER_STAFF))
        assert (
            other.post(
                f"/voor-aanbieders/data/{world.session.id}/plaatsen", data={"capacity": "31"}
            ).status_code
            == 404
        )
        assert _capacity(world)[0] == 30
    elif role is None:
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    else:
        assert response.status_code == 403
    if role != Role.PROVIDER_STAFF:
        assert _capacity(world)[0] == 25
