"""Many people booking the last seats at the same moment, on PostgreSQL (real concurrency);
and what else two people can do to one booking, date or budget at once.

SQLite has one writer at a time, so the race cannot happen there; the conditional UPDATE that
prevents it is the same on both databases and is tested on SQLite in test_services.py.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from matcher.accounts.models import Organisation, User
from matcher.db import db
from matcher.mail import OutboxMessage
from matcher.schools import services
from matcher.schools.models import Booking, BookingEvent, BookingStatus, FundingStream, SessionSeats
from providers.models import Activity, ActivityDate
from tests.schools.conftest import SOON

pytestmark = pytest.mark.postgres_only

ATTEMPTS = 40
CAPACITY = 25


@pytest.fixture(autouse=True)
def _postgres_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("race test needs PostgreSQL: set TEST_DATABASE_URL (SQLite has one writer)")


def _race(app, world, nonces: list[str]) -> list[str]:
    ids = (world.school.organisation.id, world.school.coordinator.id, world.school.stream.id,
           world.activity.id, world.session.id)
    barrier = threading.Barrier(len(nonces))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(nonce: str) -> None:
        # Wait before touching the database: a thread holding a pooled connection at the
        # barrier could starve the others of connections.
        barrier.wait()
        with app.app_context():
            organisation_id, user_id, stream_id, activity_id, session_id = ids
            try:
                organisation = db.session.get(Organisation, organisation_id)
                user, stream = db.session.get(User, user_id), db.session.get(FundingStream,
                                                                             stream_id)
                activity = db.session.get(Activity, activity_id)
                result = services.book(organisation=organisation, by=user, nonce=nonce,
                                       stream=stream, on_date=SOON, seats=1,
                                       intervention="zomerschool", activity=activity,
                                       activity_date_id=session_id)
                db.session.commit()
                outcome = "booked" if result.created else "duplicate"
            except services.DuplicateSubmit:
                db.session.rollback()
                outcome = "duplicate"
            except services.SchoolError:
                db.session.rollback()
                outcome = "full"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in nonces]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_forty_people_at_once_never_take_more_than_twenty_five_seats(app, world):
    outcomes = _race(app, world, [f"race-{i}" for i in range(ATTEMPTS)])
    db.session.expire_all()
    seats = db.session.get(SessionSeats, world.session.id)
    booked = db.session.scalar(select(func.count()).select_from(Booking))
    print(f"attempts={ATTEMPTS} seats={CAPACITY} accepted={outcomes.count('booked')} "
          f"refused={outcomes.count('full')} seats_taken={seats.seats_taken}")
    assert outcomes.count("booked") == CAPACITY == booked == seats.seats_taken
    assert outcomes.count("full") == ATTEMPTS - CAPACITY


def test_a_form_sent_ten_times_at_once_books_once(app, world):
    outcomes = _race(app, world, ["zelfde-formulier"] * 10)
    db.session.expire_all()
    assert outcomes.count("booked") == 1 and outcomes.count("duplicate") == 9
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 1
    assert db.session.get(SessionSeats, world.session.id).seats_taken == 1


# ---------------------------------------------------------------------- nothing half-written


def _together(app, jobs) -> list[str]:
    """Run each job (a function of no arguments, inside its own app context and session) at
    the same moment; the outcome of each: 'ok', or the Dutch message it was refused with."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def run(index: int, job) -> None:
        barrier.wait()
        with app.app_context():
            try:
                job()
                db.session.commit()
                outcomes[index] = "ok"
            except services.SchoolError as error:
                db.session.rollback()
                outcomes[index] = str(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _booker(world, nonce: str, seats: int):
    ids = (world.school.organisation.id, world.school.coordinator.id, world.school.stream.id,
           world.activity.id, world.session.id)

    def job() -> None:
        organisation_id, user_id, stream_id, activity_id, session_id = ids
        services.book(organisation=db.session.get(Organisation, organisation_id),
                      by=db.session.get(User, user_id), nonce=nonce,
                      stream=db.session.get(FundingStream, stream_id), on_date=SOON,
                      seats=seats, intervention="zomerschool",
                      activity=db.session.get(Activity, activity_id),
                      activity_date_id=session_id)

    return job


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("wanted", [(1, 1), (5, 3), (4, 5)])
def test_two_people_booking_the_last_places_at_once_one_gets_them(app, world, wanted):
    """24 (or 20) of 25 seats are taken; two bookings of the rest arrive at the same moment:
    exactly one gets its seats, the other is told in Dutch and leaves nothing behind."""
    first = CAPACITY - max(wanted)
    assert _together(app, [_booker(world, "eerst", first)]) == ["ok"]
    db.session.expire_all()
    before_mails = _count(OutboxMessage)
    outcomes = _together(app, [_booker(world, f"laatste-{i}", n) for i, n in enumerate(wanted)])
    db.session.expire_all()
    won = [i for i, o in enumerate(outcomes) if o == "ok"]
    print(f"last seats {CAPACITY - first}, wanted {wanted}: {outcomes}")
    assert len(won) == 1, outcomes
    loser = 1 - won[0]
    assert outcomes[loser].startswith("Er zijn nog maar")
    seats = db.session.get(SessionSeats, world.session.id)
    assert seats.seats_taken == first + wanted[won[0]] <= CAPACITY
    assert _count(Booking, Booking.nonce == f"laatste-{loser}") == 0
    assert _count(Booking) == 2
    assert _count(BookingEvent) == 2  # one 'aangevraagd' line per booking, nothing else
    # One booking, one mail round (to the provider); the refused one sent nothing.
    winner_mails = _count(OutboxMessage) - before_mails
    assert winner_mails == before_mails  # the first booking mailed the same people
    booked_seats = db.session.scalar(select(func.sum(Booking.seats)))
    assert booked_seats == seats.seats_taken


def test_approving_and_cancelling_at_once_never_breaks_the_history(app, world):
    """The school leader approves while the provider cancels, ten bookings over: the booking's
    row lock makes one wait for the other, so every history line starts where the one before
    ended, and cancelled seats are given back exactly once."""
    bookings = []
    for n in range(10):
        booking = services.book(organisation=world.school.organisation,
                                by=world.school.coordinator, nonce=f"beide-{n}",
                                stream=world.school.stream, on_date=SOON, seats=2,
                                intervention="zomerschool", activity=world.activity,
                                activity_date_id=world.session.id).booking
        services.change_booking_status(booking=booking, to=BookingStatus.CONFIRMED,
                                       by=world.provider_user)
        bookings.append(booking.id)
    db.session.commit()
    leader_id, provider_id = world.school.leader.id, world.provider_user.id

    def step(booking_id: int, to: BookingStatus, user_id: int, reason: str = ""):
        def job() -> None:
            services.change_booking_status(booking=db.session.get(Booking, booking_id), to=to,
                                           by=db.session.get(User, user_id), reason=reason)
        return job

    results = []
    for booking_id in bookings:
        results.append(_together(app, [
            step(booking_id, BookingStatus.APPROVED, leader_id),
            step(booking_id, BookingStatus.CANCELLED, provider_id, "Zaal onder water")]))
    db.session.expire_all()
    cancelled = 0
    for booking_id, outcome in zip(bookings, results, strict=True):
        booking = db.session.get(Booking, booking_id)
        events = db.session.scalars(select(BookingEvent).where(
            BookingEvent.booking_id == booking_id).order_by(BookingEvent.id)).all()
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_status == before.to_status, (booking_id, outcome)
        assert events[-1].to_status == booking.status
        assert "ok" in outcome
        if booking.status == BookingStatus.CANCELLED:
            cancelled += 1
        else:  # cancelled first, then approving a cancelled booking was refused
            assert booking.status == BookingStatus.APPROVED, outcome
    seats = db.session.get(SessionSeats, world.session.id)
    assert seats.seats_taken == 2 * (len(bookings) - cancelled)


def test_two_approvals_at_once_never_spend_more_than_the_budget(app, world, make_school):
    poor = make_school("OBS Krap", amount="500")
    ids = []
    for n in range(2):
        booking = services.book(organisation=poor.organisation, by=poor.coordinator,
                                nonce=f"krap-{n}", stream=poor.stream, on_date=SOON, seats=30,
                                intervention="zomerschool", activity=world.activity).booking
        services.change_booking_status(booking=booking, to=BookingStatus.CONFIRMED,
                                       by=world.provider_user)
        ids.append(booking.id)
    db.session.commit()
    leader_id = poor.leader.id

    def approve(booking_id: int):
        def job() -> None:
            services.change_booking_status(booking=db.session.get(Booking, booking_id),
                                           to=BookingStatus.APPROVED,
                                           by=db.session.get(User, leader_id))
        return job

    outcomes = _together(app, [approve(i) for i in ids])
    assert outcomes.count("ok") == 1, outcomes
    assert any(o.startswith("Onvoldoende budget") for o in outcomes), outcomes
    db.session.expire_all()
    statuses = sorted(db.session.get(Booking, i).status.value for i in ids)
    assert statuses == ["bevestigd", "goedgekeurd"]
    assert _count(BookingEvent, BookingEvent.to_status == BookingStatus.APPROVED) == 1


def test_shrinking_a_date_while_its_last_places_are_booked(app, world):
    """The provider lowers the seats to what is booked while a school books the last ones:
    never more seats taken than the date has."""
    _together(app, [_booker(world, "eerst", 20)])
    session_id = world.session.id

    def shrink() -> None:
        services.change_capacity(activity_date=db.session.get(ActivityDate, session_id),
                                 capacity=20)

    outcomes = _together(app, [shrink, _booker(world, "laatste", 5)])
    db.session.expire_all()
    seats = db.session.get(SessionSeats, session_id)
    assert outcomes.count("ok") == 1, outcomes
    assert seats.seats_taken <= seats.capacity
    assert seats.capacity == db.session.get(ActivityDate, session_id).capacity
    assert _count(Booking) == (2 if seats.seats_taken == 25 else 1)
