"""Reads of the school side, always scoped to the organisation that asks.

get_* raises NotFound when the record is missing *or belongs to another organisation*, so a
view never has to tell the two apart (both answer 404); find_* returns None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from matcher.accounts.models import Organisation, User
from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db
from matcher.engine.rules import serves_place
from matcher.schools.models import (
    Booking,
    BookingStatus,
    FundingStream,
    Programme,
    ProgrammeItem,
    Proposal,
    RequestStatus,
    SchoolGroup,
    SchoolRequest,
    SchoolScan,
)
from providers.convert import provider_to_engine
from providers.models import Provider

# How long before a spending deadline the dashboard starts warning.
DEADLINE_WARNING = timedelta(days=60)
PENDING = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
COMMITTED = (BookingStatus.APPROVED,)
SPENT = (BookingStatus.DONE, BookingStatus.EVALUATED)
OPEN_FOR_PROVIDERS = (RequestStatus.OPEN, RequestStatus.ANSWERED)


class NotFound(LookupError):
    """Missing, or not visible to whoever asked."""


def school_year_of(day: date) -> str:
    """'2026-2027' for any day from 1 August 2026 up to 31 July 2027."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


# --- groups and scans ---------------------------------------------------------------------

def list_groups(organisation_id: int) -> Sequence[SchoolGroup]:
    return db.session.scalars(
        select(SchoolGroup).where(SchoolGroup.organisation_id == organisation_id)
        .order_by(SchoolGroup.school_year.desc(), SchoolGroup.name)).all()


def get_group(group_id: int, organisation_id: int) -> SchoolGroup:
    group = db.session.get(SchoolGroup, group_id)
    if group is None or group.organisation_id != organisation_id:
        raise NotFound(f"group {group_id}")
    return group


def list_region_groups(gemeente: Organisation) -> Sequence[SchoolGroup]:
    """Groups of the schools in a gemeente account's region (for bovenschoolse requests)."""
    return db.session.scalars(
        select(SchoolGroup).join(SchoolGroup.organisation)
        .where(Organisation.kind == OrganisationKind.SCHOOL,
               Organisation.gemeente.in_(gemeente.region or [gemeente.gemeente]))
        .order_by(Organisation.name, SchoolGroup.name)
        .options(selectinload(SchoolGroup.organisation))).all()


def list_region_schools(gemeente: Organisation) -> Sequence[Organisation]:
    return db.session.scalars(
        select(Organisation).where(Organisation.kind == OrganisationKind.SCHOOL,
                                   Organisation.gemeente.in_(gemeente.region or
                                                             [gemeente.gemeente]))
        .order_by(Organisation.name)).all()


def list_scans(organisation_id: int) -> Sequence[SchoolScan]:
    return db.session.scalars(
        select(SchoolScan).where(SchoolScan.organisation_id == organisation_id)
        .order_by(SchoolScan.created_at.desc(), SchoolScan.id.desc())).all()


def get_scan(scan_id: int, organisation_id: int) -> SchoolScan:
    scan = db.session.get(SchoolScan, scan_id)
    if scan is None or scan.organisation_id != organisation_id:
        raise NotFound(f"scan {scan_id}")
    return scan


# --- budgets ------------------------------------------------------------------------------

def list_streams(organisation_id: int) -> Sequence[FundingStream]:
    return db.session.scalars(
        select(FundingStream).where(FundingStream.organisation_id == organisation_id)
        .order_by(FundingStream.deadline, FundingStream.name)).all()


def list_open_streams(organisation_id: int) -> list[FundingStream]:
    """The streams new bookings and programme items can be charged to (not closed)."""
    return [s for s in list_streams(organisation_id) if not s.closed]


def stream_used(stream_id: int) -> Decimal:
    """What is committed and spent from a stream: the least its amount can be."""
    return _sum(stream_id, COMMITTED) + _sum(stream_id, SPENT)


def get_stream(stream_id: int, organisation_id: int) -> FundingStream:
    stream = db.session.get(FundingStream, stream_id)
    if stream is None or stream.organisation_id != organisation_id:
        raise NotFound(f"stream {stream_id}")
    return stream


def _sum(stream_id: int, statuses: tuple[BookingStatus, ...]) -> Decimal:
    booked = db.session.scalar(
        select(func.coalesce(func.sum(Booking.price), 0))
        .where(Booking.funding_stream_id == stream_id, Booking.status.in_(statuses)))
    own = db.session.scalar(
        select(func.coalesce(func.sum(ProgrammeItem.cost), 0))
        .where(ProgrammeItem.funding_stream_id == stream_id)) if statuses == SPENT else 0
    return Decimal(booked or 0) + Decimal(own or 0)


@dataclass(frozen=True)
class StreamSummary:
    stream: FundingStream
    pending: Decimal     # booked, not yet approved
    committed: Decimal   # approved by the school leader
    spent: Decimal       # carried out (and the school's own paid items)
    warnings: tuple[str, ...] = field(default=())

    @property
    def left(self) -> Decimal:
        return self.stream.amount - self.committed - self.spent


def stream_summary(stream: FundingStream, today: date) -> StreamSummary:
    pending, committed, spent = (_sum(stream.id, s) for s in (PENDING, COMMITTED, SPENT))
    left = stream.amount - committed - spent
    warnings = []
    if left < 0:
        warnings.append(f"Overschreden met € {-left:.2f}.")
    elif left - pending < 0:
        warnings.append(f"Als alle lopende boekingen worden goedgekeurd, is dit budget "
                        f"€ {pending - left:.2f} te krap.")
    if stream.deadline < today and left > 0:
        warnings.append(f"De bestedingstermijn is op {stream.deadline:%d-%m-%Y} verlopen.")
    elif stream.deadline - today <= DEADLINE_WARNING and left > 0:
        warnings.append(f"Nog € {left:.2f} te besteden vóór {stream.deadline:%d-%m-%Y}.")
    return StreamSummary(stream=stream, pending=pending, committed=committed, spent=spent,
                         warnings=tuple(warnings))


def stream_summaries(organisation_id: int, today: date) -> list[StreamSummary]:
    return [stream_summary(s, today) for s in list_streams(organisation_id)]


# --- requests -----------------------------------------------------------------------------

def list_requests(organisation_id: int) -> Sequence[SchoolRequest]:
    return db.session.scalars(
        select(SchoolRequest).where(SchoolRequest.organisation_id == organisation_id)
        .order_by(SchoolRequest.created_at.desc(), SchoolRequest.id.desc())).all()


def get_request(request_id: int, organisation_id: int) -> SchoolRequest:
    found = db.session.get(SchoolRequest, request_id)
    if found is None or found.organisation_id != organisation_id:
        raise NotFound(f"request {request_id}")
    return found


def request_gemeenten(request: SchoolRequest) -> set[str]:
    """Where the activity takes place: the schools' gemeenten (several, for a gemeente)."""
    places = {s.gemeente for s in request.schools if s.gemeente}
    return places or {request.organisation.gemeente or ""}


def provider_serves_request(provider: Provider, request: SchoolRequest) -> bool:
    engine_provider = provider_to_engine(provider)
    return any(serves_place(engine_provider, place) for place in request_gemeenten(request))


def get_proposal(proposal_id: int, request: SchoolRequest) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.request_id != request.id:
        raise NotFound(f"proposal {proposal_id}")
    return proposal


def find_accepted_proposal(request: SchoolRequest) -> Proposal | None:
    return next((p for p in request.proposals if p.status == "geaccepteerd"), None)


# --- the provider's side ------------------------------------------------------------------

def find_provider_for(user: User) -> Provider | None:
    if user.role != Role.PROVIDER_STAFF:
        return None
    return db.session.scalar(select(Provider).where(
        Provider.organisation_id == user.organisation_id))


def list_open_requests_for(provider: Provider) -> list[SchoolRequest]:
    candidates = db.session.scalars(
        select(SchoolRequest).where(SchoolRequest.status.in_(OPEN_FOR_PROVIDERS))
        .order_by(SchoolRequest.published_at.desc())
        .options(selectinload(SchoolRequest.schools),
                 selectinload(SchoolRequest.organisation))).all()
    return [r for r in candidates if provider_serves_request(provider, r)]


def get_request_for_provider(request_id: int, provider: Provider) -> SchoolRequest:
    """A request the provider may see: published, and in a gemeente it serves."""
    found = db.session.get(SchoolRequest, request_id)
    visible = found is not None and found.status != RequestStatus.DRAFT and (
        found.published_at is not None) and provider_serves_request(provider, found)
    if not visible:
        raise NotFound(f"request {request_id}")
    return found


def find_own_proposal(request: SchoolRequest, provider: Provider) -> Proposal | None:
    return next((p for p in request.proposals if p.provider_id == provider.id), None)


def list_bookings_for_provider(provider_id: int) -> Sequence[Booking]:
    return db.session.scalars(
        select(Booking).where(Booking.provider_id == provider_id)
        .order_by(Booking.on_date.desc(), Booking.id.desc())).all()


def get_booking_for_provider(booking_id: int, provider_id: int) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.provider_id != provider_id:
        raise NotFound(f"booking {booking_id}")
    return booking


# --- bookings -----------------------------------------------------------------------------

def _visible_to(organisation_id: int):
    return or_(Booking.organisation_id == organisation_id,
               Booking.for_school_id == organisation_id)


def list_bookings(organisation_id: int) -> Sequence[Booking]:
    return db.session.scalars(
        select(Booking).where(_visible_to(organisation_id))
        .order_by(Booking.on_date, Booking.id)).all()


def get_booking(booking_id: int, organisation_id: int) -> Booking:
    """A booking of this organisation, or one a gemeente made on this school's behalf."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or organisation_id not in (booking.organisation_id,
                                                  booking.for_school_id):
        raise NotFound(f"booking {booking_id}")
    return booking


def find_booking_by_nonce(nonce: str) -> Booking | None:
    return db.session.scalar(select(Booking).where(Booking.nonce == nonce))


def booked_provider_keys(organisation_id: int) -> frozenset[str]:
    """Providers the school already works with: preferred in matching (existing structures)."""
    return frozenset(db.session.scalars(
        select(Provider.key).join(Booking, Booking.provider_id == Provider.id)
        .where(_visible_to(organisation_id), Booking.status != BookingStatus.CANCELLED)))


# --- the schoolprogramma ------------------------------------------------------------------

def find_programme(organisation_id: int, school_year: str) -> Programme | None:
    return db.session.scalar(select(Programme).where(
        Programme.organisation_id == organisation_id, Programme.school_year == school_year))


def list_programme_items(organisation_id: int) -> Sequence[ProgrammeItem]:
    return db.session.scalars(
        select(ProgrammeItem).where(ProgrammeItem.organisation_id == organisation_id)
        .order_by(ProgrammeItem.on_date, ProgrammeItem.id)).all()


def get_programme_item(item_id: int, organisation_id: int) -> ProgrammeItem:
    found = db.session.get(ProgrammeItem, item_id)
    if found is None or found.organisation_id != organisation_id:
        raise NotFound(f"programme item {item_id}")
    return found


def staff_emails(organisation_id: int, roles: tuple[Role, ...]) -> list[str]:
    return list(db.session.scalars(
        select(User.email).where(User.organisation_id == organisation_id,
                                 User.role.in_(roles), User.active.is_(True))
        .order_by(User.email)))
