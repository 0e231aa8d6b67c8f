"""Invitations to external professionals, observations of a group, pupil codes, the audit log.

Free text and pupil notes live only in `*_encrypted` columns (Fernet tokens, see crypto.py).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.accounts.models import Organisation, User, enum_column
from matcher.db import Base, TimestampMixin, utcnow
from matcher.enums import LabelledEnum
from matcher.schools.models import SchoolGroup
from matcher.transitions import append_only, guard_status

DEFAULT_RETENTION_YEARS = 2


class LegalBasis(LabelledEnum):
    """AVG article 6 grounds a school can rely on for processing observations."""

    PUBLIC_TASK = "publieke-taak", _l("Taak van algemeen belang (AVG art. 6 lid 1 sub e): "
                                      "leerlingvolgsysteem en zorgplicht")
    LEGITIMATE_INTEREST = "gerechtvaardigd-belang", _l("Gerechtvaardigd belang "
                                                       "(AVG art. 6 lid 1 sub f)")
    CONSENT = "toestemming", _l("Toestemming van ouders/verzorgers (AVG art. 6 lid 1 sub a)")


class InvitationStatus(LabelledEnum):
    OPEN = "open", _l("Open")
    SUBMITTED = "ingevuld", _l("Ingevuld")
    REVOKED = "ingetrokken", _l("Ingetrokken")


class ObservationSource(LabelledEnum):
    EXTERNAL = "extern", _l("Externe professional")
    OWN = "eigen", _l("Eigen observatie")


class AuditAction(LabelledEnum):
    VIEW_SCAN = "scan-bekeken", _l("Scan van de groep bekeken")
    VIEW_OBSERVATION = "observatie-bekeken", _l("Observatie bekeken")
    EXPORT_CSV = "export-csv", _l("Export als CSV")
    EXPORT_JSON = "export-json", _l("Export als JSON")
    ERASE_PUPIL = "leerling-gewist", _l("Gegevens van een leerlingcode gewist")
    PURGE = "bewaartermijn-verlopen", _l("Observaties na de bewaartermijn verwijderd")


class ObservationPolicy(TimestampMixin, Base):
    """A school's recorded legal basis, retention and whether pupil notes are allowed."""

    __tablename__ = "observation_policies"
    __table_args__ = (CheckConstraint("retention_years BETWEEN 1 AND 10",
                                      name="retention_years_range"),)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"),
                                                 primary_key=True)
    legal_basis: Mapped[LegalBasis] = mapped_column(enum_column(LegalBasis))
    explanation: Mapped[str] = mapped_column(Text, default="")
    pupil_notes_allowed: Mapped[bool] = mapped_column(default=False)
    retention_years: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_YEARS)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class PupilCode(TimestampMixin, Base):
    """A pseudonymous code the school hands out for one pupil of one group; never a name."""

    __tablename__ = "pupil_codes"
    __table_args__ = (UniqueConstraint("group_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("school_groups.id"), index=True)
    code: Mapped[str] = mapped_column(String(12))


class ObservationInvitation(TimestampMixin, Base):
    """A single-use link for one professional, bound to one school and one group."""

    __tablename__ = "observation_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("school_groups.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    email: Mapped[str] = mapped_column(String(254), index=True)
    observer_name: Mapped[str] = mapped_column(String(200))
    activity_reference: Mapped[str | None] = mapped_column(String(200))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    # SHA-256 of the token; the token itself is only ever in the e-mail.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[InvitationStatus] = mapped_column(enum_column(InvitationStatus),
                                                     default=InvitationStatus.OPEN)
    expires_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    group: Mapped[SchoolGroup] = relationship()
    invited_by: Mapped[User | None] = relationship()


class Observation(TimestampMixin, Base):
    """What one observer saw of one group on one occasion."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("school_groups.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("observation_invitations.id"),
                                                      unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[ObservationSource] = mapped_column(enum_column(ObservationSource))
    observer_name: Mapped[str] = mapped_column(String(200))
    discipline: Mapped[str | None] = mapped_column(String(40))
    observed_on: Mapped[date] = mapped_column(index=True)
    general_notes_encrypted: Mapped[str | None] = mapped_column(Text)
    receipt_code: Mapped[str] = mapped_column(String(16), unique=True)

    group: Mapped[SchoolGroup] = relationship()
    invitation: Mapped[ObservationInvitation | None] = relationship()
    scores: Mapped[list[ObservationScore]] = relationship(
        back_populates="observation", cascade="all, delete-orphan",
        order_by="ObservationScore.id")
    pupil_notes: Mapped[list[PupilNote]] = relationship(
        back_populates="observation", cascade="all, delete-orphan", order_by="PupilNote.id")


class ObservationScore(Base):
    """The group scale for one dimension; score None means 'niet gezien'."""

    __tablename__ = "observation_scores"
    __table_args__ = (UniqueConstraint("observation_id", "dimension"),
                      CheckConstraint("score BETWEEN 1 AND 5", name="score_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True)
    dimension: Mapped[str] = mapped_column(String(40))
    score: Mapped[int | None]
    remark_encrypted: Mapped[str | None] = mapped_column(Text)

    observation: Mapped[Observation] = relationship(back_populates="scores")


class PupilNote(Base):
    """A note on one pupil, under the school's pseudonymous code; visible to the school only."""

    __tablename__ = "pupil_notes"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True)
    pupil_code_id: Mapped[int] = mapped_column(
        ForeignKey("pupil_codes.id", ondelete="CASCADE"), index=True)
    dimension: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[int | None]
    note_encrypted: Mapped[str | None] = mapped_column(Text)

    observation: Mapped[Observation] = relationship(back_populates="pupil_notes")
    pupil_code: Mapped[PupilCode] = relationship()


class ObservationAuditEntry(Base):
    """Who read, exported or erased observations of which group, and when; never content.

    group_id has no foreign key on purpose: the log outlives the data it describes.
    """

    __tablename__ = "observation_audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(300))
    group_id: Mapped[int | None]
    group_name: Mapped[str | None] = mapped_column(String(130))
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# An invitation changes status only through services.change_invitation_status; the audit log
# is written once and never changed (matcher/transitions.py).
guard_status(ObservationInvitation.status, "een uitnodiging")
append_only(ObservationAuditEntry, "het auditlog van de observaties")
