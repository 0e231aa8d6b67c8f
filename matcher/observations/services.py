"""Observation use cases. They flush, never commit: the view or command commits once.

Nothing here logs: tokens, pupil codes and observation text must never reach a log line.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from matcher import limits, mail
from matcher.accounts.models import Organisation, User
from matcher.accounts.queries import normalise_email
from matcher.accounts.roles import SCHOOL_ROLES, OrganisationKind
from matcher.db import db, utcnow
from matcher.observations import queries
from matcher.observations.crypto import encrypt_text, hash_token, rotate_token
from matcher.observations.models import (
    DEFAULT_RETENTION_YEARS,
    AuditAction,
    InvitationStatus,
    LegalBasis,
    Observation,
    ObservationAuditEntry,
    ObservationInvitation,
    ObservationPolicy,
    ObservationScore,
    ObservationSource,
    PupilCode,
    PupilNote,
)
from matcher.observations.privacy import forbidden_content
from matcher.reference.dimensions import load_dimensions
from matcher.schools.models import SchoolGroup
from matcher.transitions import TransitionRefused
from matcher.urls import absolute_url

# Unambiguous characters (no 0/O, 1/I/L) so a teacher can copy a code from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5
MAX_CODES_PER_GROUP = limits.PUPIL_CODES.high
MAX_TEXT = 2000


class ObservationError(ValueError):
    """A use case refused; the message is Dutch and shown beside `field` when given."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvitationUnusable(ObservationError):
    """The link was used, revoked or has expired."""


@dataclass(frozen=True)
class ScoreInput:
    dimension: str
    score: int | None  # None: "niet gezien"
    remark: str = ""


@dataclass(frozen=True)
class PupilNoteInput:
    code: str
    note: str = ""
    dimension: str | None = None
    score: int | None = None


@dataclass(frozen=True)
class ObservationInput:
    observed_on: date
    scores: Sequence[ScoreInput]
    general_notes: str = ""
    pupil_notes: Sequence[PupilNoteInput] = field(default_factory=tuple)
    discipline: str | None = None


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: ObservationInvitation
    token: str


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored datetime is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- the school's policy ------------------------------------------------------------------

def record_policy(*, organisation: Organisation, legal_basis: LegalBasis, explanation: str,
                  pupil_notes_allowed: bool, retention_years: int = DEFAULT_RETENTION_YEARS,
                  by: User) -> ObservationPolicy:
    """Record (or change) the school's legal basis, retention and pupil-note permission."""
    if organisation.kind != OrganisationKind.SCHOOL or by.organisation_id != organisation.id:
        raise ObservationError("Alleen een school legt haar eigen grondslag vast.")
    if not 1 <= retention_years <= 10:
        raise ObservationError("Kies een bewaartermijn van 1 tot 10 jaar.",
                               field="retention_years")
    policy = queries.find_policy(organisation.id) or ObservationPolicy(
        organisation_id=organisation.id)
    policy.legal_basis = legal_basis
    policy.explanation = explanation.strip()
    policy.pupil_notes_allowed = pupil_notes_allowed
    policy.retention_years = retention_years
    policy.recorded_by_id = by.id
    policy.recorded_at = utcnow()
    db.session.add(policy)
    db.session.flush()
    return policy


def _require_policy(organisation_id: int) -> ObservationPolicy:
    policy = queries.find_policy(organisation_id)
    if policy is None:
        raise ObservationError("Leg eerst de grondslag voor observaties vast (AVG). Dat doet de "
                               "cultuurcoördinator of de schoolleider onder 'Grondslag'.")
    return policy


# --- pupil codes --------------------------------------------------------------------------

def issue_pupil_codes(*, group: SchoolGroup, count: int, by: User) -> list[PupilCode]:
    """Hand out `count` new random pseudonymous codes for pupils of the group."""
    _check_staff(group, by)
    existing = {c.code for c in queries.list_pupil_codes(group.id)}
    if count < 1 or len(existing) + count > MAX_CODES_PER_GROUP:
        raise ObservationError(f"Een groep heeft hooguit {MAX_CODES_PER_GROUP} leerlingcodes; "
                               f"er zijn er al {len(existing)}.", field="count")
    codes = []
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in existing:
            existing.add(code)
            codes.append(PupilCode(group_id=group.id, code=code))
    db.session.add_all(codes)
    db.session.flush()
    return codes


def erase_pupil(*, group: SchoolGroup, code: str, by: User) -> int:
    """Erase everything recorded under one pupil code of the group, and the code itself."""
    _check_staff(group, by)
    pupil_code = queries.find_pupil_code(group_id=group.id, code=code)
    if pupil_code is None:
        raise ObservationError("Deze leerlingcode bestaat niet in deze groep.", field="code")
    erased = db.session.execute(delete(PupilNote).where(
        PupilNote.pupil_code_id == pupil_code.id)).rowcount
    db.session.delete(pupil_code)
    record_audit(user=by, organisation_id=group.organisation_id, group=group,
                 action=AuditAction.ERASE_PUPIL)
    db.session.flush()
    return erased


# --- invitations --------------------------------------------------------------------------

def _check_staff(group: SchoolGroup, by: User) -> None:
    if by.role not in SCHOOL_ROLES or by.organisation_id != group.organisation_id:
        raise ObservationError("Deze groep hoort niet bij uw school.")


def invitation_link(token: str) -> str:
    """The absolute link for the invitation e-mail."""
    return absolute_url("observations.open_invitation", token=token)


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # 256 bits
    return token, hash_token(token)


def invite_professional(*, group: SchoolGroup, email: str, observer_name: str, by: User,
                        build_link: Callable[[str], str] = invitation_link,
                        activity_reference: str = "",
                        period_start: date | None = None, period_end: date | None = None,
                        valid_days: int | None = None) -> IssuedInvitation:
    """Invite a professional by e-mail to observe the group, with a single-use link."""
    _check_staff(group, by)
    _require_policy(group.organisation_id)
    if period_start and period_end and period_end < period_start:
        raise ObservationError("Het einde van de periode ligt voor het begin.",
                               field="period_end")
    problems = forbidden_content(activity_reference)
    if problems:
        raise ObservationError(" ".join(problems), field="activity_reference")
    days = valid_days or current_app.config["OBSERVATION_INVITATION_DAYS"]
    token, token_hash = _new_token()
    invitation = ObservationInvitation(
        organisation_id=group.organisation_id, group_id=group.id, invited_by_id=by.id,
        email=normalise_email(email), observer_name=observer_name.strip(),
        activity_reference=activity_reference.strip() or None, period_start=period_start,
        period_end=period_end, token_hash=token_hash, status=InvitationStatus.OPEN,
        expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    _mail_invitation(invitation, link=build_link(token), school=group.organisation.name,
                     group=group, by=by)
    return IssuedInvitation(invitation, token)


def _mail_invitation(invitation: ObservationInvitation, *, link: str, school: str,
                     group: SchoolGroup, by: User) -> None:
    expires = as_utc(invitation.expires_at).strftime("%d-%m-%Y")
    activity = f" ({invitation.activity_reference})" if invitation.activity_reference else ""
    body = (
        f"Beste {invitation.observer_name},\n\n"
        f"{by.name} van {school} vraagt u wat u zag bij groep {group.name}{activity} door te "
        "geven voor de sociaal-emotionele scan van de school.\n\n"
        f"Vul de observatie in via deze persoonlijke link (één keer te gebruiken, geldig tot "
        f"{expires}):\n{link}\n\n"
        "U heeft geen account nodig. Noem geen namen van leerlingen; na het versturen kunt u "
        "de inhoud niet meer inzien.\n\nMet vriendelijke groet,\nCultuurmatch\n")
    mail.queue_mail(to=invitation.email, subject=f"Observatie gevraagd: {school}, {group.name}",
                    body=body, secrets=[link])


def renew_invitation_token(*, invitation: ObservationInvitation, valid_days: int) -> str:
    """A fresh token for an open invitation (the old link stops working); for the demo."""
    if invitation.status != InvitationStatus.OPEN:
        raise InvitationUnusable("Deze uitnodiging is niet meer open.")
    token, token_hash = _new_token()
    invitation.token_hash = token_hash
    invitation.expires_at = utcnow() + timedelta(days=valid_days)
    db.session.flush()
    return token


class InvitationStatusRefused(ObservationError, TransitionRefused):
    """A status change an invitation does not have (revoking a used one, using it twice)."""


# to -> the statuses an invitation may come from. Submitted and revoked are final.
INVITATION_TRANSITIONS: dict[InvitationStatus, frozenset[InvitationStatus]] = {
    InvitationStatus.SUBMITTED: frozenset({InvitationStatus.OPEN}),
    InvitationStatus.REVOKED: frozenset({InvitationStatus.OPEN}),
}


def change_invitation_status(*, invitation: ObservationInvitation, to: InvitationStatus,
                             refused: str, **values) -> None:
    """The one way an invitation changes status: one conditional UPDATE from the statuses
    `to` allows, so two requests at once (two submits with one link, a revoke during a
    submit) never both get through. `refused` is the Dutch message when it does not apply;
    `values` are columns set with it (submitted_at). A submit must also be before the link
    expires."""
    allowed = INVITATION_TRANSITIONS.get(to)
    if not allowed:
        raise InvitationStatusRefused(refused)
    conditions = [ObservationInvitation.id == invitation.id,
                  ObservationInvitation.status.in_(allowed)]
    if to == InvitationStatus.SUBMITTED:
        conditions.append(ObservationInvitation.expires_at > values.get("submitted_at",
                                                                         utcnow()))
    changed = db.session.execute(
        update(ObservationInvitation).where(*conditions).values(status=to, **values)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise InvitationStatusRefused(refused)
    db.session.refresh(invitation)


def revoke_invitation(*, invitation: ObservationInvitation, by: User) -> None:
    """Withdraw an open invitation; its link stops working."""
    _check_staff(invitation.group, by)
    change_invitation_status(invitation=invitation, to=InvitationStatus.REVOKED,
                             refused="Alleen een open uitnodiging kan worden ingetrokken.")
    db.session.flush()


def usable_invitation(invitation: ObservationInvitation | None,
                      now: datetime | None = None) -> ObservationInvitation:
    """The invitation if its link may still be used; raises InvitationUnusable otherwise."""
    now = now or utcnow()
    if invitation is None:
        raise InvitationUnusable("Deze link is onbekend. Controleer of u de hele link uit de "
                                 "e-mail gebruikte.")
    if invitation.status == InvitationStatus.SUBMITTED:
        raise InvitationUnusable("Deze uitnodiging is al gebruikt: de observatie is ontvangen.")
    if invitation.status == InvitationStatus.REVOKED:
        raise InvitationUnusable("De school heeft deze uitnodiging ingetrokken.")
    if as_utc(invitation.expires_at) <= now:
        raise InvitationUnusable("Deze link is verlopen. Vraag de school om een nieuwe "
                                 "uitnodiging.")
    return invitation


# --- observations -------------------------------------------------------------------------

def _check_text(text: str, field_name: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ObservationError(f"Gebruik hooguit {MAX_TEXT} tekens.", field=field_name)
    problems = forbidden_content(text)
    if problems:
        raise ObservationError(" ".join(problems), field=field_name)
    return text


def _build_observation(*, group: SchoolGroup, data: ObservationInput, source: ObservationSource,
                       observer_name: str) -> Observation:
    dimensions = load_dimensions()
    policy = _require_policy(group.organisation_id)
    if data.observed_on > date.today() + timedelta(days=1):
        raise ObservationError("De datum ligt in de toekomst.", field="observed_on")
    seen = set()
    scores = []
    for item in data.scores:
        if item.dimension not in dimensions.keys or item.dimension in seen:
            raise ObservationError("Onbekende dimensie.", field="scores")
        if item.score is not None and item.score not in dimensions.group_scale:
            raise ObservationError("Kies een score van 1 tot en met 5 of 'niet gezien'.",
                                   field=f"score_{item.dimension}")
        seen.add(item.dimension)
        remark = _check_text(item.remark, f"remark_{item.dimension}")
        scores.append(ObservationScore(dimension=item.dimension, score=item.score,
                                       remark_encrypted=encrypt_text(remark)))
    if seen != dimensions.keys:
        raise ObservationError("Geef voor elke dimensie een score of kies 'niet gezien'.",
                               field="scores")
    notes = []
    codes = {c.code: c for c in queries.list_pupil_codes(group.id)}
    for index, item in enumerate(data.pupil_notes):
        field_name = f"pupil_notes-{index}"
        if not policy.pupil_notes_allowed:
            raise ObservationError("Deze school staat geen notities over afzonderlijke "
                                   "leerlingen toe.", field="pupil_notes")
        pupil_code = codes.get(item.code.strip().upper())
        if pupil_code is None:
            raise ObservationError("Kies een leerlingcode die de school voor deze groep gaf.",
                                   field=field_name)
        if item.dimension is not None and item.dimension not in dimensions.keys:
            raise ObservationError("Onbekende dimensie.", field=field_name)
        if item.score is not None and item.score not in dimensions.pupil_scale:
            raise ObservationError("Kies een score van 1 tot en met 5.", field=field_name)
        note = _check_text(item.note, field_name)
        if not note and item.score is None:
            raise ObservationError("Vul bij een leerlingcode een score of een notitie in.",
                                   field=field_name)
        notes.append(PupilNote(pupil_code_id=pupil_code.id, dimension=item.dimension,
                               score=item.score, note_encrypted=encrypt_text(note)))
    general = _check_text(data.general_notes, "general_notes")
    return Observation(
        organisation_id=group.organisation_id, group_id=group.id, source=source,
        observer_name=observer_name, discipline=data.discipline, observed_on=data.observed_on,
        general_notes_encrypted=encrypt_text(general), receipt_code=_receipt_code(),
        scores=scores, pupil_notes=notes)


def _receipt_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def submit_observation(*, invitation: ObservationInvitation, data: ObservationInput
                       ) -> Observation:
    """Store a professional's observation and use up the invitation (exactly once)."""
    usable_invitation(invitation)
    group = invitation.group
    if group.organisation_id != invitation.organisation_id:
        raise InvitationUnusable("Deze uitnodiging hoort niet bij deze groep.")
    observation = _build_observation(group=group, data=data, source=ObservationSource.EXTERNAL,
                                     observer_name=invitation.observer_name)
    # A conditional update, so two submits racing with one link cannot both get through.
    try:
        change_invitation_status(
            invitation=invitation, to=InvitationStatus.SUBMITTED, submitted_at=utcnow(),
            refused="Deze uitnodiging is al gebruikt: de observatie is ontvangen.")
    except InvitationStatusRefused as error:
        raise InvitationUnusable(str(error)) from error
    observation.invitation_id = invitation.id
    db.session.add(observation)
    db.session.flush()
    return observation


def add_own_observation(*, group: SchoolGroup, data: ObservationInput, by: User
                        ) -> Observation:
    """The teacher's own observation on the same dimensions, to set beside external ones."""
    _check_staff(group, by)
    observation = _build_observation(group=group, data=data, source=ObservationSource.OWN,
                                     observer_name=by.name)
    observation.author_id = by.id
    db.session.add(observation)
    db.session.flush()
    return observation


# --- audit --------------------------------------------------------------------------------

def record_audit(*, user: User | None, organisation_id: int, group: SchoolGroup | None,
                 action: AuditAction) -> ObservationAuditEntry:
    """One line in the school's audit log: who, when, which group, what; never content."""
    actor = f"{user.name} ({user.role.label})" if user is not None else "Cultuurmatch (systeem)"
    entry = ObservationAuditEntry(
        organisation_id=organisation_id, user_id=user.id if user else None, actor=actor,
        group_id=group.id if group else None,
        group_name=f"{group.name} ({group.school_year})" if group else None, action=action)
    db.session.add(entry)
    db.session.flush()
    return entry


# --- retention and keys -------------------------------------------------------------------

def school_year_end(school_year: str) -> date:
    """The last day of a Dutch school year written as '2026-2027': 31 July 2027."""
    try:
        end_year = int(school_year.split("-")[-1])
    except ValueError as error:
        raise ObservationError(f"Onbekend schooljaar {school_year!r}.") from error
    return date(end_year, 7, 31)


def retention_ends(school_year: str, retention_years: int) -> date:
    end = school_year_end(school_year)
    return end.replace(year=end.year + retention_years)


@dataclass
class PurgeResult:
    observations: int = 0
    pupil_codes: int = 0
    invitations: int = 0
    groups: list[int] = field(default_factory=list)


def purge_expired(*, today: date | None = None) -> PurgeResult:
    """Delete observations, pupil codes and invitations of groups past their school's retention.

    Idempotent: a second run on the same day finds nothing left to delete.
    """
    today = today or date.today()
    result = PurgeResult()
    retention = {p.organisation_id: p.retention_years
                 for p in db.session.scalars(select(ObservationPolicy))}
    group_ids = set(db.session.scalars(select(Observation.group_id).distinct()))
    group_ids |= set(db.session.scalars(select(PupilCode.group_id).distinct()))
    group_ids |= set(db.session.scalars(select(ObservationInvitation.group_id).distinct()))
    if not group_ids:
        return result
    groups = db.session.scalars(select(SchoolGroup).where(SchoolGroup.id.in_(group_ids))).all()
    for group in groups:
        years = retention.get(group.organisation_id, DEFAULT_RETENTION_YEARS)
        if retention_ends(group.school_year, years) >= today:
            continue
        observation_ids = select(Observation.id).where(Observation.group_id == group.id)
        db.session.execute(delete(PupilNote).where(
            PupilNote.observation_id.in_(observation_ids)).execution_options(
            synchronize_session=False))
        db.session.execute(delete(ObservationScore).where(
            ObservationScore.observation_id.in_(observation_ids)).execution_options(
            synchronize_session=False))
        result.observations += db.session.execute(delete(Observation).where(
            Observation.group_id == group.id).execution_options(
            synchronize_session=False)).rowcount
        result.invitations += db.session.execute(delete(ObservationInvitation).where(
            ObservationInvitation.group_id == group.id).execution_options(
            synchronize_session=False)).rowcount
        result.pupil_codes += db.session.execute(delete(PupilCode).where(
            PupilCode.group_id == group.id).execution_options(
            synchronize_session=False)).rowcount
        result.groups.append(group.id)
        record_audit(user=None, organisation_id=group.organisation_id, group=group,
                     action=AuditAction.PURGE)
    db.session.flush()
    return result


ENCRYPTED_COLUMNS = (
    (Observation, Observation.general_notes_encrypted),
    (ObservationScore, ObservationScore.remark_encrypted),
    (PupilNote, PupilNote.note_encrypted),
)


def rotate_pupil_data_key(*, batch_size: int = 500) -> int:
    """Re-encrypt every stored text with the newest PUPIL_DATA_KEY; returns rows rewritten."""
    rewritten = 0
    for model, column in ENCRYPTED_COLUMNS:
        last_id = 0
        while True:
            rows = db.session.execute(
                select(model.id, column).where(model.id > last_id, column.is_not(None))
                .order_by(model.id).limit(batch_size)).all()
            if not rows:
                break
            for row_id, token in rows:
                db.session.execute(update(model).where(model.id == row_id).values(
                    {column.key: rotate_token(token)}).execution_options(
                    synchronize_session=False))
                rewritten += 1
            last_id = rows[-1][0]
    db.session.flush()
    return rewritten
