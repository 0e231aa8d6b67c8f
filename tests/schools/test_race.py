"""Many people booking the last seats at the same moment, on PostgreSQL (real concurrency).

SQLite has one writer at a time, so the race cannot happen there; the conditional UPDATE that
prevents it is the same on both databases and is tested on SQLite in test_services.py.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from matcher.accounts.models import Organisation, User
from matcher.db import db
from matcher.schools import services
from matcher.schools.models import Booking, FundingStream, SessionSeats
from providers.models import Activity
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
