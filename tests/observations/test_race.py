"""One link, many submits at the same moment, on PostgreSQL: exactly one observation is kept.

SQLite has one writer at a time, so the race cannot happen there; the conditional UPDATE that
prevents it is the same on both databases (test_services.py covers the second use).
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from matcher.db import db
from matcher.observations import queries, services
from matcher.observations.models import InvitationStatus, Observation
from tests.observations.conftest import invite, observation_input

pytestmark = pytest.mark.postgres_only
ATTEMPTS = 8


@pytest.fixture(autouse=True)
def _postgres_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("race test needs PostgreSQL: set TEST_DATABASE_URL (SQLite has one writer)")


def test_a_link_used_by_many_at_once_stores_one_observation(app, school):
    invitation_id = queries.find_invitation_by_token(invite(school)).id
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        with app.app_context():
            invitation = queries.find_invitation(invitation_id)
            barrier.wait()
            try:
                services.submit_observation(invitation=invitation, data=observation_input())
                db.session.commit()
                outcome = "stored"
            except services.InvitationUnusable:
                db.session.rollback()
                outcome = "refused"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * (ATTEMPTS - 1) + ["stored"]
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 1
    db.session.expire_all()
    assert queries.find_invitation(invitation_id).status == InvitationStatus.SUBMITTED
