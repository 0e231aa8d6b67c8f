"""A booking that fails halfway leaves nothing behind: no booking, no history line, no mail,
no seat taken, no budget spent. On SQLite and on PostgreSQL (TEST_DATABASE_URL); the
concurrent cases are in test_race.py (PostgreSQL only).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import Flask
from sqlalchemy import func, select

from matcher.db import db, utcnow
from matcher.mail import OutboxMessage
from matcher.schools import queries, services
from matcher.schools.models import Booking, BookingEvent, BookingStatus, SessionSeats
from tests.conftest import TEST_PASSWORD, complete_second_step
from tests.schools.conftest import SOON, book_on_the_date


@dataclass(frozen=True)
class Trace:
    """Everything a booking writes."""

    bookings: int
    events: int
    mails: int
    seats_taken: int
    committed: Decimal

    @classmethod
    def now(cls, world) -> Trace:
        db.session.expire_all()
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        seats = db.session.get(SessionSeats, world.session.id)
        summary = queries.stream_summary(world.school.stream, SOON)
        return cls(
            count(Booking),
            count(BookingEvent),
            count(OutboxMessage),
            seats.seats_taken if seats else 0,
            summary.committed,
        )


def _client(app: Flask, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    complete_second_step(client, user, response)
    return client


def _form(world, seats: int, nonce: str) -> dict[str, str]:
    return {
        "nonce": nonce,
        "intervention": "zomerschool",
        "activity_date_id": str(world.session.id),
        "seats": str(seats),
        "group_id": "0",
        "for_school_id": "0",
        "funding_stream_id": str(world.school.stream.id),
    }


def test_a_booking_on_a_full_date_leaves_nothing(app, world):
    book_on_the_date(world, 20, "eerst")
    before = Trace.now(world)
    client = _client(app, world.school.coordinator)
    response = client.post(
        f"/school/boeken?activiteit={world.activity.key}", data=_form(world, 6, "te-veel")
    )
    assert response.status_code == 400
    assert "Er zijn nog maar 5 plaatsen vrij op deze datum." in response.get_data(as_text=True)
    assert Trace.now(world) == before


def test_the_last_places_can_still_be_booked_after_a_refusal(app, world):
    book_on_the_date(world, 20, "eerst")
    client = _client(app, world.school.coordinator)
    assert (
        client.post(
            f"/school/boeken?activiteit={world.activity.key}", data=_form(world, 6, "te-veel")
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/school/boeken?activiteit={world.activity.key}", data=_form(world, 5, "precies")
        ).status_code
        == 302
    )
    assert Trace.now(world).seats_taken == 25


def test_a_failure_after_the_seats_were_taken_gives_them_back(app, world, monkeypatch):
    """The seats are taken first (atomically), then the booking is written and the provider
    mailed: a refusal at the very end rolls back the seats, the booking and its history."""
    before = Trace.now(world)

    def mail_refused(addresses, subject, body):
        raise services.SchoolError("De aanbieder kan nu geen bericht krijgen.")

    monkeypatch.setattr(services, "_notify", mail_refused)
    client = _client(app, world.school.coordinator)
    response = client.post(
        f"/school/boeken?activiteit={world.activity.key}", data=_form(world, 10, "halverwege")
    )
    assert response.status_code == 400
    assert "De aanbieder kan nu geen bericht krijgen." in response.get_data(as_text=True)
    assert Trace.now(world) == before


def test_an_unexpected_error_halfway_leaves_nothing_either(app, world, monkeypatch):
    before = Trace.now(world)

    def broken(addresses, subject, body):
        raise RuntimeError("mail server weg")

    monkeypatch.setattr(services, "_notify", broken)
    client = _client(app, world.school.coordinator)
    response = client.post(
        f"/school/boeken?activiteit={world.activity.key}", data=_form(world, 10, "kapot")
    )
    assert response.status_code == 500  # a real fault (here: made up), answered in Dutch
    assert "Er ging iets mis" in response.get_data(as_text=True)
    db.session.rollback()
    assert Trace.now(world) == before


def test_a_booking_on_a_closed_budget_leaves_nothing(app, world):
    world.school.stream.closed_at = utcnow()
    db.session.commit()
    before = Trace.now(world)
    response = _client(app, world.school.coordinator).post(
        f"/school/boeken?activiteit={world.activity.key}", data=_form(world, 5, "gesloten")
    )
    assert response.status_code == 400
    assert Trace.now(world) == before


def test_approving_beyond_the_budget_leaves_the_booking_as_it_was(app, world, make_school):
    poor = make_school("OBS Krap", amount="50")
    booking = services.book(
        organisation=poor.organisation,
        by=poor.coordinator,
        nonce="krap",
        stream=poor.stream,
        on_date=SOON,
        seats=10,
        intervention="zomerschool",
        activity=world.activity,
    ).booking
    services.change_booking_status(
        booking=booking, to=BookingStatus.CONFIRMED, by=world.provider_user
    )
    db.session.commit()
    events = db.session.scalar(select(func.count()).select_from(BookingEvent))
    mails = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    response = _client(app, poor.leader).post(
        f"/school/boekingen/{booking.id}/status", data={"to": "goedgekeurd"}
    )
    assert response.status_code == 400
    assert "Onvoldoende budget in &#39;NPO&#39;" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    assert db.session.scalar(select(func.count()).select_from(BookingEvent)) == events
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == mails
    assert queries.stream_summary(poor.stream, SOON).committed == 0


def test_a_cancellation_refused_for_want_of_a_reason_keeps_the_seats(app, world):
    booking = book_on_the_date(world, 10, "blijft")
    before = Trace.now(world)
    response = _client(app, world.school.coordinator).post(
        f"/school/boekingen/{booking.id}/status", data={"to": "geannuleerd", "reason": " "}
    )
    assert response.status_code == 400
    assert Trace.now(world) == before
    assert db.session.get(Booking, booking.id).status == BookingStatus.REQUESTED
