"""Bookings, requests and observation invitations change status only through their transition
function; history and audit rows never change. Anything else is refused with a Dutch message
and answered 409 (or 410 for a used link), never a 500."""

from __future__ import annotations

import ast
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from matcher.db import db, utcnow
from matcher.mail import OutboxMessage
from matcher.observations import services as observations
from matcher.observations.models import (
    AuditAction,
    InvitationStatus,
    ObservationAuditEntry,
    ObservationInvitation,
)
from matcher.schools import services
from matcher.schools.models import Booking, BookingEvent, BookingStatus, RequestStatus
from matcher.transitions import TransitionRefused
from tests.conftest import TEST_PASSWORD, complete_second_step
from tests.schools.conftest import book_on_the_date

ROOT = Path(__file__).resolve().parents[2]

# Where a status may be assigned (file, function): the transition functions, and nothing else.
STATUS_SETTERS = {
    ("matcher/schools/services.py", "change_booking_status"),
    ("matcher/schools/services.py", "change_request_status"),
    # A proposal's status follows its request's acceptance (accepted / not chosen).
    ("matcher/schools/services.py", "accept_proposal"),
    ("matcher/observations/services.py", "change_invitation_status"),
    # The importer's own attribute (the status new activities get), not a model's.
    ("providers/importer.py", "__init__"),
}


def _status_assignments() -> set[tuple[str, str]]:
    """(file, function) of every `x.status = ...` and `.values(status=...)` in the app."""
    found = set()
    for path in sorted(
        [*ROOT.joinpath("matcher").rglob("*.py"), *ROOT.joinpath("providers").rglob("*.py")]
    ):
        tree = ast.parse(path.read_text("utf-8"))
        name = str(path.relative_to(ROOT))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AugAssign | ast.AnnAssign)
                    else []
                )
                for target in targets:
                    for element in getattr(target, "elts", [target]):
                        if isinstance(element, ast.Attribute) and element.attr == "status":
                            found.add((name, function.name))
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "values"
                    and any(k.arg == "status" for k in node.keywords)
                ):
                    found.add((name, function.name))
    return found


def test_a_status_is_assigned_only_in_a_transition_function():
    assert _status_assignments() <= STATUS_SETTERS, (
        f"status set outside the transition functions: {_status_assignments() - STATUS_SETTERS}"
    )


def _client(app: Flask, user):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    complete_second_step(client, user, response)
    return client


def _events(booking) -> int:
    return db.session.scalar(
        select(func.count()).select_from(BookingEvent).where(BookingEvent.booking_id == booking.id)
    )


def _mails() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def _cancelled(world) -> Booking:
    booking = book_on_the_date(world)
    services.change_booking_status(
        booking=booking, to=BookingStatus.CANCELLED, by=world.provider_user, reason="Acteur ziek"
    )
    db.session.commit()
    return booking


# --------------------------------------------------------------------------- bookings


@pytest.mark.parametrize(
    ("start", "to", "who"),
    [
        ("cancelled", BookingStatus.APPROVED, "leader"),
        ("cancelled", BookingStatus.CONFIRMED, "provider"),
        ("cancelled", BookingStatus.CANCELLED, "provider"),
        ("requested", BookingStatus.APPROVED, "leader"),
        ("requested", BookingStatus.DONE, "provider"),
        ("requested", BookingStatus.EVALUATED, "teacher"),
        ("confirmed", BookingStatus.CONFIRMED, "provider"),
        ("confirmed", BookingStatus.REQUESTED, "provider"),
    ],
)
def test_an_illegal_booking_transition_is_refused_and_changes_nothing(world, start, to, who):
    booking = _cancelled(world) if start == "cancelled" else book_on_the_date(world)
    if start == "confirmed":
        services.change_booking_status(
            booking=booking, to=BookingStatus.CONFIRMED, by=world.provider_user
        )
        db.session.commit()
    before, events, mails = booking.status, _events(booking), _mails()
    actor = {
        "leader": world.school.leader,
        "provider": world.provider_user,
        "teacher": world.school.teacher,
    }[who]
    with pytest.raises(services.StatusRefused, match="kan niet naar"):
        services.change_booking_status(
            booking=booking, to=to, by=actor, reason="x", stars=3, text="Goed"
        )
    db.session.rollback()
    db.session.refresh(booking)
    assert booking.status == before and _events(booking) == events and _mails() == mails


def test_approving_a_cancelled_booking_is_a_dutch_409(app, world):
    booking = _cancelled(world)
    response = _client(app, world.school.leader).post(
        f"/school/boekingen/{booking.id}/status", data={"to": "goedgekeurd"}
    )
    assert response.status_code == 409
    assert (
        "Een boeking met status &#39;Geannuleerd&#39; kan niet naar &#39;Goedgekeurd&#39;"
        in response.get_data(as_text=True)
    )
    db.session.refresh(booking)
    assert booking.status == BookingStatus.CANCELLED


def test_confirming_twice_is_a_409_the_second_time(app, world):
    booking = book_on_the_date(world)
    client = _client(app, world.provider_user)
    url = f"/voor-aanbieders/boekingen/{booking.id}/status"
    assert client.post(url, data={"to": "bevestigd"}).status_code == 302
    second = client.post(url, data={"to": "bevestigd"})
    assert second.status_code == 409
    assert "kan niet naar" in second.get_data(as_text=True)
    assert _events(booking) == 2  # requested, confirmed: the second click left nothing


def test_an_unknown_target_status_is_a_400_not_a_500(app, world):
    booking = book_on_the_date(world)
    client = _client(app, world.provider_user)
    for sent in ("", "verzonnen", "x" * 300, "\x00"):
        response = client.post(f"/voor-aanbieders/boekingen/{booking.id}/status", data={"to": sent})
        assert response.status_code == 400, sent


def test_a_status_set_outside_its_transition_raises_at_once(world):
    booking = book_on_the_date(world)
    with pytest.raises(TransitionRefused, match="alleen via een toegestane stap"):
        booking.status = BookingStatus.APPROVED
    assert booking.status == BookingStatus.REQUESTED
    db.session.rollback()
    request = services.create_request(
        organisation=world.school.organisation,
        by=world.school.coordinator,
        title="Theater",
        interventions=["cultuureducatie"],
        groups=[world.school.group],
        pupils=25,
        grades=[],
        periods=[],
        budget=None,
    )
    with pytest.raises(TransitionRefused):
        request.status = RequestStatus.ACCEPTED


def test_a_cancelled_request_cannot_be_withdrawn_again(world):
    request = services.create_request(
        organisation=world.school.organisation,
        by=world.school.coordinator,
        title="Theater",
        interventions=["cultuureducatie"],
        groups=[world.school.group],
        pupils=25,
        grades=[],
        periods=[],
        budget=None,
    )
    services.change_request_status(
        request=request, to=RequestStatus.WITHDRAWN, by=world.school.coordinator
    )
    with pytest.raises(services.StatusRefused, match="kan niet naar"):
        services.change_request_status(
            request=request, to=RequestStatus.OPEN, by=world.school.coordinator
        )


def test_a_refused_transition_anywhere_is_answered_409_in_dutch(app, world, monkeypatch):
    # A view that does not catch it (here: one that never changes a status) still answers
    # with the error page, not a 500.
    item = services.add_programme_item(
        organisation=world.school.organisation,
        intervention="cultuureducatie",
        title="Zingen",
        staff="eigen-personeel",
        on_date=None,
        cost=Decimal("0"),
        stream=None,
    )
    db.session.commit()

    def refuse(**kwargs):
        raise TransitionRefused("Deze stap kan niet meer.")

    monkeypatch.setattr(services, "remove_programme_item", refuse)
    response = _client(app, world.school.coordinator).post(
        f"/school/programma/onderdelen/{item.id}/verwijderen"
    )
    assert response.status_code == 409
    assert "Deze stap kan niet meer." in response.get_data(as_text=True)


# --------------------------------------------------------------------------- history rows


def test_booking_history_rows_are_never_changed_or_deleted(world):
    booking = book_on_the_date(world)
    event = db.session.scalar(select(BookingEvent).where(BookingEvent.booking_id == booking.id))
    event.note = "achteraf aangepast"
    with pytest.raises(TransitionRefused, match="nooit gewijzigd"):
        db.session.flush()
    db.session.rollback()
    event = db.session.scalar(select(BookingEvent).where(BookingEvent.booking_id == booking.id))
    db.session.delete(event)
    with pytest.raises(TransitionRefused, match="nooit gewijzigd of verwijderd"):
        db.session.flush()
    db.session.rollback()
    assert _events(booking) == 1


def test_observation_audit_rows_are_never_changed_or_deleted(world):
    entry = observations.record_audit(
        user=world.school.coordinator,
        organisation_id=world.school.organisation.id,
        group=world.school.group,
        action=AuditAction.VIEW_SCAN,
    )
    db.session.commit()
    entry.actor = "iemand anders"
    with pytest.raises(TransitionRefused):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(ObservationAuditEntry, entry.id))
    with pytest.raises(TransitionRefused):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(ObservationAuditEntry, entry.id).actor.startswith(
        world.school.coordinator.name
    )


# --------------------------------------------------------------------------- invitations


def _invitation(world) -> ObservationInvitation:
    invitation = ObservationInvitation(
        organisation_id=world.school.organisation.id,
        group_id=world.school.group.id,
        invited_by_id=world.school.coordinator.id,
        observer_name="Pim",
        email="pim@example.nl",
        token_hash="h" * 64,
        status=InvitationStatus.OPEN,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation


def test_an_invitation_is_used_once_and_a_used_one_is_not_revoked(world):
    invitation = _invitation(world)
    observations.change_invitation_status(
        invitation=invitation,
        to=InvitationStatus.SUBMITTED,
        submitted_at=utcnow(),
        refused="al gebruikt",
    )
    db.session.commit()
    with pytest.raises(observations.InvitationStatusRefused, match="al gebruikt"):
        observations.change_invitation_status(
            invitation=invitation,
            to=InvitationStatus.SUBMITTED,
            submitted_at=utcnow(),
            refused="al gebruikt",
        )
    with pytest.raises(observations.InvitationStatusRefused, match="Alleen een open uitnodiging"):
        observations.revoke_invitation(invitation=invitation, by=world.school.coordinator)
    with pytest.raises(observations.InvitationStatusRefused):
        observations.change_invitation_status(
            invitation=invitation,
            to=InvitationStatus.OPEN,
            refused="Een uitnodiging gaat niet terug.",
        )
    db.session.rollback()
    assert db.session.get(ObservationInvitation, invitation.id).status == InvitationStatus.SUBMITTED
    with pytest.raises(TransitionRefused):
        invitation.status = InvitationStatus.OPEN


def test_a_revoked_invitation_cannot_be_submitted(world):
    invitation = _invitation(world)
    observations.revoke_invitation(invitation=invitation, by=world.school.coordinator)
    db.session.commit()
    with pytest.raises(observations.InvitationStatusRefused):
        observations.change_invitation_status(
            invitation=invitation,
            to=InvitationStatus.SUBMITTED,
            submitted_at=utcnow(),
            refused="ingetrokken",
        )
    assert db.session.get(ObservationInvitation, invitation.id).status == InvitationStatus.REVOKED
