"""Culture providers and the activities they offer to schools."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.accounts.models import Organisation, enum_column
from matcher.db import Base, TimestampMixin, utcnow


class ActivityStatus(enum.StrEnum):
    DRAFT = "concept"
    SUBMITTED = "ingediend"
    APPROVED = "goedgekeurd"
    REJECTED = "afgewezen"
    ARCHIVED = "gearchiveerd"

    @property
    def label(self) -> str:
        return {"concept": "Concept", "ingediend": "Wacht op beoordeling",
                "goedgekeurd": "Goedgekeurd", "afgewezen": "Afgewezen",
                "gearchiveerd": "Gearchiveerd"}[self.value]


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
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation | None] = relationship()
    activities: Mapped[list[Activity]] = relationship(back_populates="provider",
                                                      order_by="Activity.title")


class Activity(TimestampMixin, Base):
    """One concrete activity as a provider offers it (the exchange format's fields)."""

    __tablename__ = "activities"

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
    status: Mapped[ActivityStatus] = mapped_column(enum_column(ActivityStatus), index=True,
                                                   default=ActivityStatus.DRAFT)
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    provider: Mapped[Provider] = relationship(back_populates="activities")
