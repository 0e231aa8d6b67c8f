"""Demo observations for OBS Oostpoort: groups, a legal basis, observations over time, one link.

Safe to run again: what exists is kept; only the open invitation gets a fresh token each run,
because the token itself is never stored and the demo prints a working link.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from matcher.accounts.models import Organisation, User
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.observations import queries, services
from matcher.observations.models import InvitationStatus, LegalBasis, ObservationInvitation
from matcher.schools.models import SchoolGroup

SCHOOL = "OBS Oostpoort"
DEMO_PROFESSIONAL = ("professional@ij.demo.cultuurmatch.nl", "Pim Professional")
GROUPS = (("Groep 5", "5", 26), ("Groep 6", "6", 28), ("Groep 7/8", "7,8", 25))
KEYS = ("welbevinden", "betrokkenheid", "samenwerken", "zelfvertrouwen", "emotieregulatie",
        "inlevingsvermogen", "sociaal-initiatief", "opkomen-voor-jezelf", "omgaan-met-conflict",
        "reflecteren")
# (days ago, source, discipline, scores in KEYS order; None = niet gezien, general notes)
HISTORY = (
    (70, "extern", "theatermaker", (4, 4, 2, 2, 3, 3, 3, 2, 2, 3),
     "Veel energie in de groep. Samenwerken in tweetallen lukte nog moeizaam."),
    (63, "eigen", None, (3, 4, 2, 2, 3, 3, 2, 2, 2, 3),
     "Herkenbaar beeld: rond het samenwerken ontstaat snel onenigheid."),
    (42, "extern", "kunstvakdocent", (4, 5, 3, 2, 3, 4, 3, None, 2, 4),
     "Bij het drukken werkten de meesten geconcentreerd; presenteren vonden velen spannend."),
    (21, "eigen", None, (4, 4, 3, 2, 3, 4, 3, 3, 3, 3),
     "Na de theaterlessen lossen ze kleine ruzies vaker zelf op."),
    (14, "extern", "theatermaker", (4, 4, 4, 2, 4, 4, 3, 3, 3, 4),
     "De eindpresentatie durfden nog maar enkelen alleen te doen."),
)


def school_year(today: date) -> str:
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


def _staff(school: Organisation, role: Role) -> User | None:
    return db.session.scalar(select(User).where(
        User.organisation_id == school.id, User.role == role).order_by(User.id))


def _groups(school: Organisation) -> list[SchoolGroup]:
    groups = db.session.scalars(select(SchoolGroup).where(
        SchoolGroup.organisation_id == school.id).order_by(SchoolGroup.name)).all()
    if groups:
        return list(groups)
    year = school_year(date.today())
    created = [SchoolGroup(organisation_id=school.id, name=name, school_year=year,
                           grades=grades, pupils=pupils) for name, grades, pupils in GROUPS]
    db.session.add_all(created)
    db.session.flush()
    return created


def _observations(group: SchoolGroup, *, teacher: User, codes: list[str]) -> None:
    for days_ago, source, discipline, scores, notes in HISTORY:
        data = services.ObservationInput(
            observed_on=date.today() - timedelta(days=days_ago), discipline=discipline,
            scores=[services.ScoreInput(key, score) for key, score in zip(KEYS, scores,
                                                                         strict=True)],
            general_notes=notes,
            pupil_notes=[services.PupilNoteInput(code=codes[0], dimension="zelfvertrouwen",
                                                 score=2, note="Wilde niet alleen op het podium.")]
            if source == "extern" and codes else ())
        if source == "eigen":
            services.add_own_observation(group=group, data=data, by=teacher)
            continue
        issued = services.invite_professional(
            group=group, email="gastdocent@demo.cultuurmatch.nl", observer_name="Gijs Gastdocent",
            activity_reference="Theaterlessen 'Wie ben jij?'", by=teacher)
        services.submit_observation(invitation=issued.invitation, data=data)


def load_demo_observations(organisations: dict[str, Organisation]) -> str:
    """Fill OBS Oostpoort's observations and return the link of its one open invitation."""
    school = organisations[SCHOOL]
    coordinator = _staff(school, Role.COORDINATOR)
    teacher = _staff(school, Role.TEACHER) or coordinator
    if coordinator is None or teacher is None:
        raise RuntimeError("The demo school needs a coordinator before observations load.")
    if queries.find_policy(school.id) is None:
        services.record_policy(
            organisation=school, legal_basis=LegalBasis.PUBLIC_TASK, pupil_notes_allowed=True,
            explanation="Privacyreglement OBS Oostpoort, artikel 4: observaties voor het "
                        "leerlingvolgsysteem. Ouders zijn geïnformeerd via de schoolgids.",
            by=coordinator)
    group = next((g for g in _groups(school) if g.name == "Groep 6"), _groups(school)[0])
    codes = [c.code for c in queries.list_pupil_codes(group.id)] or \
        [c.code for c in services.issue_pupil_codes(group=group, count=6, by=teacher)]
    if not queries.list_group_observations(group.id):
        _observations(group, teacher=teacher, codes=codes)
    email, name = DEMO_PROFESSIONAL
    invitation = db.session.scalar(select(ObservationInvitation).where(
        ObservationInvitation.group_id == group.id, ObservationInvitation.email == email,
        ObservationInvitation.status == InvitationStatus.OPEN).order_by(
        ObservationInvitation.id.desc()))
    if invitation is None:
        return services.invitation_link(services.invite_professional(
            group=group, email=email, observer_name=name, by=teacher,
            activity_reference="Theaterlessen 'Wie ben jij?', les 6").token)
    return services.invitation_link(services.renew_invitation_token(
        invitation=invitation, valid_days=14))
