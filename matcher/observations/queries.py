"""Reads of observations and invitations: get_* raises NotFound, find_* returns None.

Every read that takes an organisation id only sees that school's rows: another school's group
or observation is simply not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from matcher.accounts.models import Organisation
from matcher.accounts.queries import NotFound
from matcher.accounts.roles import OrganisationKind
from matcher.db import db
from matcher.observations.crypto import decrypt_text, hash_token
from matcher.observations.models import (
    InvitationStatus,
    Observation,
    ObservationAuditEntry,
    ObservationInvitation,
    ObservationPolicy,
    PupilCode,
    PupilNote,
)
from matcher.schools.models import SchoolGroup

__all__ = ["NotFound"]


def get_school_group(*, group_id: int, organisation_id: int) -> SchoolGroup:
    group = db.session.scalar(select(SchoolGroup).where(
        SchoolGroup.id == group_id, SchoolGroup.organisation_id == organisation_id))
    if group is None:
        raise NotFound(f"group {group_id}")
    return group


@dataclass(frozen=True)
class GroupSummary:
    group: SchoolGroup
    observations: int
    last_observed_on: date | None
    open_invitations: int


def list_group_summaries(organisation_id: int, *, now: datetime) -> list[GroupSummary]:
    """The school's groups, newest school year first, with how much was observed."""
    groups = db.session.scalars(select(SchoolGroup).where(
        SchoolGroup.organisation_id == organisation_id).order_by(
        SchoolGroup.school_year.desc(), SchoolGroup.name)).all()
    counts = dict(db.session.execute(
        select(Observation.group_id, func.count()).where(
            Observation.organisation_id == organisation_id).group_by(Observation.group_id)).all())
    latest = dict(db.session.execute(
        select(Observation.group_id, func.max(Observation.observed_on)).where(
            Observation.organisation_id == organisation_id).group_by(Observation.group_id)).all())
    open_counts = dict(db.session.execute(
        select(ObservationInvitation.group_id, func.count()).where(
            ObservationInvitation.organisation_id == organisation_id,
            ObservationInvitation.status == InvitationStatus.OPEN,
            ObservationInvitation.expires_at > now).group_by(
            ObservationInvitation.group_id)).all())
    return [GroupSummary(group, counts.get(group.id, 0), latest.get(group.id),
                         open_counts.get(group.id, 0)) for group in groups]


def find_policy(organisation_id: int) -> ObservationPolicy | None:
    return db.session.get(ObservationPolicy, organisation_id)


def find_invitation_by_token(token: str) -> ObservationInvitation | None:
    if not token:
        return None
    return db.session.scalar(select(ObservationInvitation).where(
        ObservationInvitation.token_hash == hash_token(token)))


def find_invitation(invitation_id: int) -> ObservationInvitation | None:
    return db.session.get(ObservationInvitation, invitation_id)


def get_invitation(*, invitation_id: int, organisation_id: int) -> ObservationInvitation:
    invitation = db.session.scalar(select(ObservationInvitation).where(
        ObservationInvitation.id == invitation_id,
        ObservationInvitation.organisation_id == organisation_id))
    if invitation is None:
        raise NotFound(f"invitation {invitation_id}")
    return invitation


def get_open_invitation_for_email(*, invitation_id: int, email: str,
                                  now: datetime) -> ObservationInvitation:
    invitation = db.session.scalar(select(ObservationInvitation).where(
        ObservationInvitation.id == invitation_id,
        ObservationInvitation.email == email.strip().lower(),
        ObservationInvitation.status == InvitationStatus.OPEN,
        ObservationInvitation.expires_at > now))
    if invitation is None:
        raise NotFound(f"invitation {invitation_id}")
    return invitation


def list_open_invitations_for_email(email: str, *, now: datetime
                                    ) -> Sequence[ObservationInvitation]:
    """A professional's own open invitations: school, group and deadline, nothing more."""
    return db.session.scalars(select(ObservationInvitation).where(
        ObservationInvitation.email == email.strip().lower(),
        ObservationInvitation.status == InvitationStatus.OPEN,
        ObservationInvitation.expires_at > now).options(
        selectinload(ObservationInvitation.organisation),
        selectinload(ObservationInvitation.group)).order_by(
        ObservationInvitation.expires_at)).all()


def list_invitations(group_id: int) -> Sequence[ObservationInvitation]:
    return db.session.scalars(select(ObservationInvitation).where(
        ObservationInvitation.group_id == group_id).order_by(
        ObservationInvitation.created_at.desc())).all()


def list_group_observations(group_id: int) -> Sequence[Observation]:
    """Every observation of the group, oldest first, with scores (still encrypted)."""
    return db.session.scalars(select(Observation).where(
        Observation.group_id == group_id).options(
        selectinload(Observation.scores),
        selectinload(Observation.pupil_notes).selectinload(PupilNote.pupil_code)).order_by(
        Observation.observed_on, Observation.id)).all()


def get_observation(*, observation_id: int, organisation_id: int) -> Observation:
    observation = db.session.scalar(select(Observation).where(
        Observation.id == observation_id, Observation.organisation_id == organisation_id))
    if observation is None:
        raise NotFound(f"observation {observation_id}")
    return observation


def list_pupil_codes(group_id: int) -> Sequence[PupilCode]:
    return db.session.scalars(select(PupilCode).where(PupilCode.group_id == group_id).order_by(
        PupilCode.code)).all()


def find_pupil_code(*, group_id: int, code: str) -> PupilCode | None:
    return db.session.scalar(select(PupilCode).where(
        PupilCode.group_id == group_id, PupilCode.code == code.strip().upper()))


def list_audit_entries(organisation_id: int, *, limit: int = 500
                       ) -> Sequence[ObservationAuditEntry]:
    return db.session.scalars(select(ObservationAuditEntry).where(
        ObservationAuditEntry.organisation_id == organisation_id).order_by(
        ObservationAuditEntry.at.desc(), ObservationAuditEntry.id.desc()).limit(limit)).all()


# Decrypted read models: built only by views that have written an audit entry first.

@dataclass(frozen=True)
class ScoreRead:
    dimension: str
    score: int | None
    remark: str


@dataclass(frozen=True)
class PupilNoteRead:
    code: str
    dimension: str | None
    score: int | None
    note: str


@dataclass(frozen=True)
class ObservationRead:
    observation: Observation
    scores: tuple[ScoreRead, ...]
    general_notes: str
    pupil_notes: tuple[PupilNoteRead, ...]


def read_observation(observation: Observation) -> ObservationRead:
    """The observation with its free text decrypted."""
    return ObservationRead(
        observation=observation,
        scores=tuple(ScoreRead(s.dimension, s.score, decrypt_text(s.remark_encrypted))
                     for s in observation.scores),
        general_notes=decrypt_text(observation.general_notes_encrypted),
        pupil_notes=tuple(PupilNoteRead(n.pupil_code.code, n.dimension, n.score,
                                        decrypt_text(n.note_encrypted))
                          for n in observation.pupil_notes),
    )


@dataclass(frozen=True)
class RegionCount:
    school: str
    gemeente: str | None
    groups_observed: int
    observations: int
    open_invitations: int


def region_counts(region: list[str], *, now: datetime) -> list[RegionCount]:
    """Counts per school in the curator's municipalities; never content, never group names."""
    schools = db.session.scalars(select(Organisation).where(
        Organisation.kind == OrganisationKind.SCHOOL,
        Organisation.gemeente.in_(region)).order_by(Organisation.name)).all()
    ids = [school.id for school in schools]
    observations = dict(db.session.execute(
        select(Observation.organisation_id, func.count()).where(
            Observation.organisation_id.in_(ids)).group_by(Observation.organisation_id)).all())
    groups = dict(db.session.execute(
        select(Observation.organisation_id, func.count(func.distinct(Observation.group_id))).where(
            Observation.organisation_id.in_(ids)).group_by(Observation.organisation_id)).all())
    invitations = dict(db.session.execute(
        select(ObservationInvitation.organisation_id, func.count()).where(
            ObservationInvitation.organisation_id.in_(ids),
            ObservationInvitation.status == InvitationStatus.OPEN,
            ObservationInvitation.expires_at > now).group_by(
            ObservationInvitation.organisation_id)).all())
    return [RegionCount(s.name, s.gemeente, groups.get(s.id, 0), observations.get(s.id, 0),
                        invitations.get(s.id, 0)) for s in schools]
