"""Schools' own records. A school is an accounts Organisation of kind SCHOOL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.accounts.models import Organisation, User, enum_column
from matcher.db import Base, TimestampMixin, utcnow
from matcher.engine.model import LEERLINGEN, TEAM
from matcher.enums import LabelledEnum
from matcher.transitions import append_only, guard_status
from providers.models import Activity, Provider


class SchoolGroup(TimestampMixin, Base):
    """A class (groep in po/so, leerjaar-klas in vo) in one school year; no pupil names."""

    __tablename__ = "school_groups"
    __table_args__ = (UniqueConstraint("organisation_id", "school_year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # e.g. "2026-2027"; retention of observations counts from the end of this year.
    school_year: Mapped[str] = mapped_column(String(9))
    grades: Mapped[str] = mapped_column(String(20))  # e.g. "5" or "5,6" for a combination class
    pupils: Mapped[int]

    organisation: Mapped[Organisation] = relationship()

    @property
    def grade_list(self) -> list[int]:
        return [int(g) for g in self.grades.split(",") if g.strip()]


class ScanLevel(LabelledEnum):
    NONE = "geen", _l("Geen achterstand")
    SOME = "enige", _l("Enige achterstand")
    LARGE = "grote", _l("Grote achterstand")


class SchoolScan(TimestampMixin, Base):
    """What the schoolscan found for one group or one year: delays per area and needs."""

    __tablename__ = "school_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("school_groups.id"))
    grade: Mapped[int | None]  # a whole year (jaargroep) when no single group is meant
    school_year: Mapped[str] = mapped_column(String(9))
    # learning area key -> ScanLevel value; kunst-en-cultuur is always present.
    delays: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Keys of observation dimensions (= activity competences) the group needs to work on.
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    group: Mapped[SchoolGroup | None] = relationship()
    recorded_by: Mapped[User] = relationship()


class StreamKind(LabelledEnum):
    NPO = "npo", _l("NPO-middelen")
    CMK = "cmk", _l("Cultuureducatie met Kwaliteit")
    CJP = "cjp", _l("CJP Cultuurkaart")
    GEMEENTE = "gemeente", _l("Gemeentelijke subsidie")
    OWN = "eigen", _l("Eigen middelen")


class FundingStream(TimestampMixin, Base):
    """One source of money with an amount and a date by which it must be spent."""

    __tablename__ = "funding_streams"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),
                      CheckConstraint("amount >= 0", name="amount_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[StreamKind] = mapped_column(enum_column(StreamKind))
    name: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    deadline: Mapped[date]
    # Set when the school removes a stream that bookings are charged to: it is closed
    # (no new bookings), never deleted, so what was spent stays on record.
    closed_at: Mapped[datetime | None]

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class RequestStatus(LabelledEnum):
    DRAFT = "concept", _l("Concept")
    OPEN = "open", _l("Open voor aanbieders")
    ANSWERED = "beantwoord", _l("Beantwoord")
    ACCEPTED = "geaccepteerd", _l("Voorstel geaccepteerd")
    WITHDRAWN = "ingetrokken", _l("Ingetrokken")
    CLOSED = "gesloten", _l("Gesloten")


request_groups = Table(
    "school_request_groups", Base.metadata,
    Column("request_id", ForeignKey("school_requests.id", ondelete="CASCADE"),
           primary_key=True),
    Column("group_id", ForeignKey("school_groups.id", ondelete="CASCADE"), primary_key=True),
)

request_schools = Table(
    "school_request_schools", Base.metadata,
    Column("request_id", ForeignKey("school_requests.id", ondelete="CASCADE"),
           primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"),
           primary_key=True),
)


class SchoolRequest(TimestampMixin, Base):
    """An aanvraag: what a school (or a gemeente, for several schools) wants, and its answers."""

    __tablename__ = "school_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    interventions: Mapped[list[str]] = mapped_column(JSON)
    grades: Mapped[list[int]] = mapped_column(JSON)
    pupils: Mapped[int]
    periods: Mapped[list[str]] = mapped_column(JSON, default=list)
    date_from: Mapped[date | None]
    date_to: Mapped[date | None]
    budget: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    disciplines: Mapped[list[str]] = mapped_column(JSON, default=list)
    competences: Mapped[list[str]] = mapped_column(JSON, default=list)
    wishes: Mapped[str] = mapped_column(Text, default="")
    # Exchange 1.1: "leerlingen", or "team" for courses for the staff (then `pupils` counts
    # the staff taking part).
    participants: Mapped[str] = mapped_column(String(32), default=LEERLINGEN)
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), index=True,
                                                  default=RequestStatus.DRAFT)
    published_at: Mapped[datetime | None]
    first_answer_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User] = relationship()
    groups: Mapped[list[SchoolGroup]] = relationship(secondary=request_groups,
                                                     order_by="SchoolGroup.name")
    schools: Mapped[list[Organisation]] = relationship(secondary=request_schools,
                                                       order_by="Organisation.name")
    proposals: Mapped[list[Proposal]] = relationship(back_populates="request",
                                                     order_by="Proposal.created_at")
    events: Mapped[list[RequestEvent]] = relationship(order_by="RequestEvent.id",
                                                      cascade="all, delete-orphan")

    @property
    def for_team(self) -> bool:
        return self.participants == TEAM

    @property
    def response_time(self) -> timedelta | None:
        """How long the first provider took to answer after the request was published."""
        if self.published_at is None or self.first_answer_at is None:
            return None
        return self.first_answer_at - self.published_at


class RequestEvent(Base):
    """Who changed a request's status, and when."""

    __tablename__ = "school_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("school_requests.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[RequestStatus | None] = mapped_column(enum_column(RequestStatus))
    to_status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    by: Mapped[User] = relationship()


class ProposalStatus(LabelledEnum):
    SUBMITTED = "ingediend", _l("Ingediend")
    ACCEPTED = "geaccepteerd", _l("Geaccepteerd")
    DECLINED = "afgewezen", _l("Niet gekozen")


class Proposal(TimestampMixin, Base):
    """A provider's tailored answer to an open request; one per provider per request."""

    __tablename__ = "request_proposals"
    __table_args__ = (UniqueConstraint("request_id", "provider_id"),
                      CheckConstraint("price >= 0", name="price_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("school_requests.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    dates: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus),
                                                   default=ProposalStatus.SUBMITTED)
    decided_at: Mapped[datetime | None]

    request: Mapped[SchoolRequest] = relationship(back_populates="proposals")
    provider: Mapped[Provider] = relationship()
    activity: Mapped[Activity | None] = relationship()
    submitted_by: Mapped[User] = relationship()


class BookingStatus(LabelledEnum):
    REQUESTED = "aangevraagd", _l("Wacht op aanbieder")
    CONFIRMED = "bevestigd", _l("Wacht op schoolleider")
    APPROVED = "goedgekeurd", _l("Goedgekeurd")
    DONE = "uitgevoerd", _l("Uitgevoerd")
    EVALUATED = "geevalueerd", _l("Geëvalueerd")
    CANCELLED = "geannuleerd", _l("Geannuleerd")


class Booking(TimestampMixin, Base):
    """A booked activity (or accepted proposal) for a date or a dated session, with seats."""

    __tablename__ = "bookings"
    __table_args__ = (CheckConstraint("seats > 0", name="seats_positive"),
                      CheckConstraint("price >= 0", name="price_not_negative"),
                      CheckConstraint("evaluation_stars BETWEEN 1 AND 5",
                                      name="stars_one_to_five"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # The one-time token of the form that created it: a double submit creates one booking.
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    # Who booked and pays: a school, or a gemeente booking on behalf of schools.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    for_school_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"),
                                                      index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("request_proposals.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("school_requests.id"))
    # A dated session with a capacity (providers' ActivityDate); seats counted in SessionSeats.
    activity_date_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_dates.id", ondelete="SET NULL"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("school_groups.id"))
    intervention: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    on_date: Mapped[date]
    seats: Mapped[int]
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    funding_stream_id: Mapped[int] = mapped_column(ForeignKey("funding_streams.id"),
                                                   index=True)
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus), index=True,
                                                  default=BookingStatus.REQUESTED)
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    evaluation_stars: Mapped[int | None]
    evaluation_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    for_school: Mapped[Organisation | None] = relationship(foreign_keys=[for_school_id])
    provider: Mapped[Provider] = relationship()
    activity: Mapped[Activity | None] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
    request: Mapped[SchoolRequest | None] = relationship()
    group: Mapped[SchoolGroup | None] = relationship()
    funding_stream: Mapped[FundingStream] = relationship()
    booked_by: Mapped[User] = relationship(foreign_keys=[booked_by_id])
    events: Mapped[list[BookingEvent]] = relationship(order_by="BookingEvent.id",
                                                      cascade="all, delete-orphan")


class BookingEvent(Base):
    """Who changed a booking's status, when, and why (cancellation reason)."""

    __tablename__ = "booking_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"),
                                            index=True)
    from_status: Mapped[BookingStatus | None] = mapped_column(enum_column(BookingStatus))
    to_status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    by: Mapped[User] = relationship()


class ProgrammeItem(TimestampMixin, Base):
    """Part of the schoolprogramma the school does itself (own staff or kunstvakdocent)."""

    __tablename__ = "programme_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    intervention: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    staff: Mapped[str] = mapped_column(String(32))  # STAFF_KINDS key
    on_date: Mapped[date | None]
    cost: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    funding_stream_id: Mapped[int | None] = mapped_column(ForeignKey("funding_streams.id"))

    funding_stream: Mapped[FundingStream | None] = relationship()


class Programme(TimestampMixin, Base):
    """The schoolprogramma of one school year, with the date the MR agreed to it."""

    __tablename__ = "school_programmes"
    __table_args__ = (UniqueConstraint("organisation_id", "school_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    school_year: Mapped[str] = mapped_column(String(9))
    mr_agreed_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SessionSeats(Base):
    """The seat counter of one dated session: never more seats taken than its capacity.

    Seats are taken with one conditional UPDATE (see services.take_seats), which is atomic on
    PostgreSQL and SQLite alike; the check constraint is the last line of defence.
    """

    __tablename__ = "session_seats"
    __table_args__ = (CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity",
                                      name="seats_within_capacity"),)

    activity_date_id: Mapped[int] = mapped_column(
        ForeignKey("activity_dates.id", ondelete="CASCADE"), primary_key=True)
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)


# A booking and a request change status only through their transition function
# (services.change_booking_status, services.change_request_status); their history rows are
# written once (matcher/transitions.py).
guard_status(Booking.status, "een boeking")
guard_status(SchoolRequest.status, "een aanvraag")
append_only(BookingEvent, "de geschiedenis van een boeking")
append_only(RequestEvent, "de geschiedenis van een aanvraag")
