"""Organisations and the users who work for them."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import Base, TimestampMixin


def enum_column(enum_cls: type, length: int = 32) -> Enum:
    """Store enums by value as plain strings: readable, and portable between databases."""
    return Enum(enum_cls, native_enum=False, length=length,
                values_callable=lambda members: [m.value for m in members],
                validate_strings=True)


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind), index=True)
    name: Mapped[str] = mapped_column(String(200))
    gemeente: Mapped[str | None] = mapped_column(String(100))
    # Schools only: po, so or vo.
    sector: Mapped[str | None] = mapped_column(String(2))
    # Curators and gemeenten: the municipalities they look after.
    region: Mapped[list[str]] = mapped_column(JSON, default=list)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.kind} {self.name!r}>"


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role} {self.email}>"
