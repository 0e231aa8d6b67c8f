"""School use cases: requests, proposals, bookings through their whole life, budgets, mail."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from matcher.db import db
from matcher.mail import OutboxMessage
from matcher.schools import queries, services
from matcher.schools.models import (
    BookingEvent,
    BookingStatus,
    ProposalStatus,
    RequestStatus,
    SessionSeats,
)
from tests.schools.conftest import SOON


def _request(world, **extra):
    school = world.school
    fields = {"organisation": school.organisation, "by": school.coordinator,
              "title": "Zomerschool", "interventions": ["zomerschool"],
              "groups": [school.group], "pupils": 25, "grades": [],
              "periods": ["zomervakantie"], "budget": Decimal("1000")}
    fields.update(extra)
    return services.create_request(**fields)


def _book(world, nonce="n1", seats=10, session=True, **extra):
    school = world.school
    fields = {"organisation": school.organisation, "by": school.coordinator, "nonce": nonce,
              "stream": school.stream, "on_date": SOON, "seats": seats,
              "intervention": "zomerschool", "activity": world.activity,
              "activity_date_id": world.session.id if session else None}
    fields.update(extra)
    return services.book(**fields)


def _mails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == address)))


def test_a_not_effective_intervention_can_never_be_requested(world):
    with pytest.raises(services.SchoolError, match="niet effectief"):
        _request(world, interventions=["zittenblijven"])
    with pytest.raises(services.SchoolError, match="Onbekende interventie"):
        _request(world, interventions=["toveren"])


def test_a_request_takes_grades_from_its_groups(world):
    request = _request(world)
    assert request.grades == [5]
    assert request.schools == [world.school.organisation]
    assert request.status == RequestStatus.DRAFT


def test_another_schools_group_cannot_be_requested(world):
    with pytest.raises(services.SchoolError, match="hoort niet bij"):
        _request(world, groups=[world.other.group])


def test_engine_request_uses_the_schools_sector_and_gemeente(world):
    engine_request = services.engine_request(_request(world))
    assert (engine_request.sector, engine_request.gemeente) == ("po", "Amsterdam")
    assert engine_request.interventions == ("zomerschool",)
    assert engine_request.budget == 1000.0


def test_publish_answer_accept_keeps_response_time_and_mails(world):
    request = _request(world)
    assert services.publish_request(request=request, by=world.school.coordinator) == 1
    assert request.status == RequestStatus.OPEN and request.published_at is not None
    assert _mails_to(world.provider_user.email)
    assert queries.list_open_requests_for(world.provider) == [request]
    proposal = services.submit_proposal(
        request=request, provider=world.provider, by=world.provider_user, text="Op maat",
        price=Decimal("900"), dates=[SOON])
    assert request.status == RequestStatus.ANSWERED
    assert request.response_time is not None
    assert _mails_to(world.school.coordinator.email)
    with pytest.raises(services.SchoolError, match="al een voorstel"):
        services.submit_proposal(request=request, provider=world.provider,
                                 by=world.provider_user, text="Nog een", price=Decimal("1"),
                                 dates=[SOON])
    services.accept_proposal(proposal=proposal, by=world.school.coordinator)
    assert request.status == RequestStatus.ACCEPTED
    assert proposal.status == ProposalStatus.ACCEPTED
    assert [e.to_status for e in request.events] == [
        RequestStatus.DRAFT, RequestStatus.OPEN, RequestStatus.ANSWERED, RequestStatus.ACCEPTED]


def test_request_transitions_are_checked(world):
    request = _request(world)
    with pytest.raises(services.SchoolError, match="kan niet naar"):
        services.change_request_status(request=request, to=RequestStatus.ACCEPTED,
                                       by=world.school.coordinator)
    with pytest.raises(services.SchoolError, match="niet wijzigen"):
        services.change_request_status(request=request, to=RequestStatus.OPEN,
                                       by=world.other.coordinator)
    services.change_request_status(request=request, to=RequestStatus.WITHDRAWN,
                                   by=world.school.coordinator)
    with pytest.raises(services.SchoolError):
        services.change_request_status(request=request, to=RequestStatus.OPEN,
                                       by=world.school.coordinator)


def test_a_draft_request_is_invisible_to_providers(world):
    request = _request(world)
    with pytest.raises(queries.NotFound):
        queries.get_request_for_provider(request.id, world.provider)


def test_the_whole_booking_path(world):
    school = world.school
    result = _book(world)
    booking = result.booking
    assert result.created and booking.status == BookingStatus.REQUESTED
    assert booking.price == Decimal("100.00")  # 10 leerlingen × € 10
    assert _mails_to(world.provider_user.email)
    with pytest.raises(services.SchoolError, match="niet zetten"):
        services.change_booking_status(booking=booking, to=BookingStatus.CONFIRMED,
                                       by=school.coordinator)
    services.change_booking_status(booking=booking, to=BookingStatus.CONFIRMED,
                                   by=world.provider_user)
    assert _mails_to(school.leader.email)
    with pytest.raises(services.SchoolError, match="niet zetten"):
        services.change_booking_status(booking=booking, to=BookingStatus.APPROVED,
                                       by=school.teacher)
    services.change_booking_status(booking=booking, to=BookingStatus.APPROVED, by=school.leader)
    services.change_booking_status(booking=booking, to=BookingStatus.DONE,
                                   by=world.provider_user)
    with pytest.raises(services.SchoolError, match="sterren"):
        services.change_booking_status(booking=booking, to=BookingStatus.EVALUATED,
                                       by=school.teacher, stars=9, text="Top")
    services.change_booking_status(booking=booking, to=BookingStatus.EVALUATED,
                                   by=school.teacher, stars=5, text="Prachtig")
    events = db.session.scalars(select(BookingEvent).where(
        BookingEvent.booking_id == booking.id).order_by(BookingEvent.id)).all()
    assert [(e.to_status, e.by_id) for e in events] == [
        (BookingStatus.REQUESTED, school.coordinator.id),
        (BookingStatus.CONFIRMED, world.provider_user.id),
        (BookingStatus.APPROVED, school.leader.id),
        (BookingStatus.DONE, world.provider_user.id),
        (BookingStatus.EVALUATED, school.teacher.id)]
    summary = queries.stream_summary(school.stream, date.today())
    assert summary.spent == Decimal("100.00") and summary.committed == 0


def test_the_same_form_sent_twice_books_once(world):
    first = _book(world, nonce="dubbel")
    second = _book(world, nonce="dubbel")
    assert second.booking.id == first.booking.id and not second.created
    assert db.session.get(SessionSeats, world.session.id).seats_taken == 10


def test_never_more_seats_than_the_session_has(world):
    _book(world, nonce="a", seats=20)
    with pytest.raises(services.SchoolError, match="nog maar 5 plaatsen"):
        _book(world, nonce="b", seats=6)
    _book(world, nonce="c", seats=5)
    assert db.session.get(SessionSeats, world.session.id).seats_taken == 25


def test_a_nonce_collision_at_flush_is_reported_and_rolled_back(world, monkeypatch):
    _book(world, nonce="tegelijk")
    db.session.commit()
    # As when the other submit commits between our check and our insert:
    monkeypatch.setattr(services.queries, "find_booking_by_nonce", lambda nonce: None)
    with pytest.raises(services.DuplicateSubmit):
        _book(world, nonce="tegelijk")
    db.session.rollback()
    assert db.session.get(SessionSeats, world.session.id).seats_taken == 10


def test_cancelling_needs_a_reason_and_frees_the_seats(world):
    booking = _book(world, seats=25).booking
    with pytest.raises(services.SchoolError, match="reden"):
        services.change_booking_status(booking=booking, to=BookingStatus.CANCELLED,
                                       by=world.school.coordinator)
    services.change_booking_status(booking=booking, to=BookingStatus.CANCELLED,
                                   by=world.provider_user, reason="Acteur ziek")
    assert booking.cancel_reason == "Acteur ziek"
    assert db.session.get(SessionSeats, world.session.id).seats_taken == 0
    assert _mails_to(world.school.coordinator.email)


def test_the_leader_cannot_approve_beyond_the_budget(world, make_school):
    poor = make_school("OBS Krap", amount="50")
    booking = services.book(
        organisation=poor.organisation, by=poor.coordinator, nonce="krap", stream=poor.stream,
        on_date=SOON, seats=10, intervention="zomerschool", activity=world.activity).booking
    services.change_booking_status(booking=booking, to=BookingStatus.CONFIRMED,
                                   by=world.provider_user)
    with pytest.raises(services.SchoolError, match="Onvoldoende budget"):
        services.change_booking_status(booking=booking, to=BookingStatus.APPROVED,
                                       by=poor.leader)
    summary = queries.stream_summary(poor.stream, date.today())
    assert any("te krap" in w for w in summary.warnings)


def test_budget_warns_before_the_deadline(world):
    stream = services.add_funding_stream(
        organisation=world.school.organisation, kind=services.StreamKind.CJP, name="CJP",
        amount=Decimal("450"), deadline=date.today() + timedelta(days=10))
    assert any("te besteden vóór" in w for w in queries.stream_summary(
        stream, date.today()).warnings)


def test_a_booking_needs_the_schools_own_stream(world):
    with pytest.raises(services.SchoolError, match="eigen organisatie"):
        _book(world, stream=world.other.stream)


def test_a_gemeente_requests_for_several_schools_and_books_on_their_behalf(world):
    request = services.create_request(
        organisation=world.gemeente, by=world.gemeente_user, title="Zomercampus",
        interventions=["zomerschool"], groups=[world.school.group, world.other.group],
        pupils=50, grades=[], periods=[], budget=None)
    assert {s.name for s in request.schools} == {"OBS De Test", "OBS Elders"}
    stream = services.add_funding_stream(
        organisation=world.gemeente, kind=services.StreamKind.GEMEENTE, name="Zomercampus",
        amount=Decimal("10000"), deadline=date.today() + timedelta(days=200))
    booking = services.book(
        organisation=world.gemeente, by=world.gemeente_user, nonce="g1", stream=stream,
        on_date=SOON, seats=20, intervention="zomerschool", activity=world.activity,
        for_school=world.school.organisation, request=request).booking
    assert queries.get_booking(booking.id, world.school.organisation.id) == booking
    with pytest.raises(queries.NotFound):
        queries.get_booking(booking.id, world.other.organisation.id)
    services.change_booking_status(booking=booking, to=BookingStatus.CONFIRMED,
                                   by=world.provider_user)
    with pytest.raises(services.SchoolError, match="niet zetten"):
        services.change_booking_status(booking=booking, to=BookingStatus.APPROVED,
                                       by=world.school.leader)
    services.change_booking_status(booking=booking, to=BookingStatus.APPROVED,
                                   by=world.gemeente_user)
