"""Organisations and the users who work for them."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Enum, ForeignKey, String, Text, false
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
    # A self-service sign-up logs in only after its link in the mail was followed; accounts
    # made by an administrator, the CLI or the demo are confirmed when made.
    email_confirmed_at: Mapped[datetime | None]
    # Second factor (accounts/second_factor.py): the TOTP secret, Fernet-encrypted with
    # PUPIL_DATA_KEY; set while enrolling, in use once totp_enabled_at is set.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    totp_enabled_at: Mapped[datetime | None]
    # The last 30-second step a code was accepted for: a code works once (ASVS 2.8.4).
    totp_last_step: Mapped[int | None]
    # A password an administrator chose (ASVS 2.3.1): it logs in until
    # temporary_password_expires_at, and then only to the page that replaces it; the access
    # hook (accounts/access.py) lets no other page open while must_change_password is set.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    temporary_password_expires_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role} {self.email}>"


class UserSession(Base):
    """One signed-in browser: the cookie holds a random token, the database only its hash.

    Every request checks its row (accounts/sessions.py), so ending a row ends that browser's
    session at once, on every worker: logout, "overal uitloggen", a new password, a block or a
    new role do it. `ended_at` keeps the row for the list of sessions and the audit trail.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # Why it ended (logout, elsewhere, password, blocked, role, idle, expired); for the list.
    end_reason: Mapped[str | None] = mapped_column(String(32))
    # Shown on the list of sessions so a user can tell their browsers apart.
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failures counted under one key (an address, an account, or both), shared by all workers.

    Kept in the database rather than the rate limiter's memory so that every worker and every
    instance sees the same counts, with or without Redis.
    """

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(320), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    blocked_until: Mapped[datetime | None]
    # For an account-and-address key: the last successful login from that address.
    succeeded_at: Mapped[datetime | None]
    # For an account key: when its holder was last told about repeated failures.
    notified_at: Mapped[datetime | None]


class AccountToken(TimestampMixin, Base):
    """A single-use secret sent by mail (password reset, sign-up, new e-mail address); only
    its SHA-256 is kept."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    # For a change of e-mail address: the address the link confirms.
    new_email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class AccountEvent(TimestampMixin, Base):
    """One line of the account audit trail: who did what to which account, from where."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class RecoveryCode(Base):
    """One single-use recovery code for a lost second factor; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class SecurityKey(Base):
    """A WebAuthn authenticator (a FIDO2 security key, or a phone or laptop acting as one)
    registered as a second factor (ASVS 2.3.2). Only its public key is kept; the private key
    never leaves the device."""

    __tablename__ = "security_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The credential ID and the COSE public key, base64url without padding.
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[str] = mapped_column(Text)
    # The authenticator's signature counter: one that goes back means a cloned key.
    sign_count: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
