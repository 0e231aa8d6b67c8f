"""Culture providers and the activities they offer to schools."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.accounts.models import Organisation, User, enum_column
from matcher.db import Base, TimestampMixin, utcnow
from matcher.enums import LabelledEnum


class ActivityStatus(LabelledEnum):
    DRAFT = "concept", _l("Concept")
    SUBMITTED = "ingediend", _l("Wacht op beoordeling")
    APPROVED = "goedgekeurd", _l("Goedgekeurd")
    REJECTED = "afgewezen", _l("Afgewezen")
    ARCHIVED = "gearchiveerd", _l("Gearchiveerd")


class ParticipantsSource(LabelledEnum):
    """Who gave an activity's participants; without one the text decides."""

    PROVIDER = "aanbieder", _l("Opgegeven door de aanbieder")
    CURATOR = "curator", _l("Bevestigd door de curator")


# The origin of participants read from the text (no source): the API's participants_source.
READ_FROM_TEXT = "tekst"


class Provider(TimestampMixin, Base):
    """A culture provider; `key` is the exchange-format id, stable across imports."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"),
                                                        unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    gemeente: Mapped[str] = mapped_column(String(100), index=True)
    # Municipalities served; ["*"] = the whole country; empty = only its own gemeente.
    serves: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))
    approved: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # A rejected provider keeps approved=False and carries the curator's reason.
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation | None] = relationship()
    activities: Mapped[list[Activity]] = relationship(back_populates="provider",
                                                      order_by="Activity.title")

    @property
    def rejected(self) -> bool:
        return not self.approved and self.reviewed_at is not None

    @property
    def status_label(self) -> str:
        if self.approved:
            return "Goedgekeurd"
        return "Afgewezen" if self.rejected else "Wacht op beoordeling"


class Activity(TimestampMixin, Base):
    """One concrete activity as a provider offers it (the exchange format's fields)."""

    __tablename__ = "activities"
    __table_args__ = (CheckConstraint("(participants IS NULL) = (participants_source IS NULL)",
                                      name="participants_given_with_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    disciplines: Mapped[list[str]] = mapped_column(JSON)
    format: Mapped[str] = mapped_column(String(32))
    audience: Mapped[list[dict]] = mapped_column(JSON)
    group_min: Mapped[int]
    group_max: Mapped[int]
    sessions: Mapped[int]
    minutes_per_session: Mapped[int]
    periods: Mapped[list[str]] = mapped_column(JSON)
    location: Mapped[str] = mapped_column(String(16))
    price_amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    price_per: Mapped[str] = mapped_column(String(16))
    interventions: Mapped[list[str]] = mapped_column(JSON, default=list)
    competences: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Who takes part (exchange 1.1): the value given by the provider or a curator (None: not
    # given), who gave it, and the system's reading of the text. The services recompute the
    # reading on every write; matching uses the given value, else the reading.
    participants: Mapped[str | None] = mapped_column(String(32))
    participants_source: Mapped[ParticipantsSource | None] = mapped_column(
        enum_column(ParticipantsSource))
    participants_read: Mapped[str] = mapped_column(String(32))
    # The curator who decided who takes part, and when (source curator only).
    participants_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    participants_decided_at: Mapped[datetime | None]
    status: Mapped[ActivityStatus] = mapped_column(enum_column(ActivityStatus), index=True,
                                                   default=ActivityStatus.DRAFT)
    # The curator's verdict on intervention links: confirmed inferred ones, dropped ones.
    verified_interventions: Mapped[list[str]] = mapped_column(JSON, default=list)
    dropped_interventions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # REJECTION_REASONS key of the last rejection; review_note is the free text with it.
    review_reason: Mapped[str | None] = mapped_column(String(32))
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    provider: Mapped[Provider] = relationship(back_populates="activities")
    participants_decided_by: Mapped[User | None] = relationship(
        foreign_keys=[participants_decided_by_id])
    dates: Mapped[list[ActivityDate]] = relationship(
        back_populates="activity", order_by="ActivityDate.starts_at",
        cascade="all, delete-orphan")
    # Read-only: changes are written by services.change_status only, and a one-way link
    # spares a big import the bookkeeping of this collection.
    status_changes: Mapped[list[ActivityStatusChange]] = relationship(
        order_by="ActivityStatusChange.id", viewonly=True)

    @property
    def effective_interventions(self) -> list[str]:
        """Claimed and curator-verified links, without the ones a curator dropped."""
        dropped = set(self.dropped_interventions or ())
        keys = [k for k in (self.interventions or ()) if k not in dropped]
        keys += [k for k in (self.verified_interventions or ())
                 if k not in keys and k not in dropped]
        return keys

    @property
    def effective_participants(self) -> str:
        """Who takes part as matching sees it: the given value, else the reading of the text."""
        return self.participants or self.participants_read

    @property
    def participants_origin(self) -> str:
        """'aanbieder', 'curator' or 'tekst' (READ_FROM_TEXT)."""
        source = self.participants_source
        return source.value if self.participants and source else READ_FROM_TEXT


# Why a curator sends an activity back; the provider reads the label and the free text.
REJECTION_REASONS: dict[str, str] = {
    "onvolledig": "De beschrijving is onvolledig of onduidelijk",
    "doelgroep": "Doelgroep of leerjaren kloppen niet met de inhoud",
    "prijs": "De prijs is onduidelijk of niet volgens de afspraken",
    "interventie": "Het aanbod past niet bij de geclaimde interventies",
    "kwaliteit": "Het aanbod voldoet niet aan de kwaliteitseisen",
    "dubbel": "Dit aanbod staat er al in",
    "overig": "Andere reden (zie toelichting)",
}


class ActivityDate(TimestampMixin, Base):
    """A dated session of an activity with the seats it has, for bookings."""

    __tablename__ = "activity_dates"
    __table_args__ = (CheckConstraint("capacity > 0", name="capacity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"),
                                             index=True)
    starts_at: Mapped[datetime]
    capacity: Mapped[int]

    activity: Mapped[Activity] = relationship(back_populates="dates")


class ActivityStatusChange(Base):
    """Who moved an activity from one status to another, when, and why."""

    __tablename__ = "activity_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"),
                                             index=True)
    from_status: Mapped[ActivityStatus | None] = mapped_column(enum_column(ActivityStatus))
    to_status: Mapped[ActivityStatus] = mapped_column(enum_column(ActivityStatus))
    # None: the command line (an operator), not a signed-in user.
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")

    activity: Mapped[Activity] = relationship()
    by: Mapped[User | None] = relationship()
