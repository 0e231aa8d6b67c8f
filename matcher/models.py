"""Every model, imported in one place so the metadata Alembic compares against is complete."""

from matcher.accounts.models import (
    AccountEvent,
    AccountToken,
    LoginThrottle,
    Organisation,
    RecoveryCode,
    User,
    UserSession,
)
from matcher.catalogue.models import Favourite
from matcher.mail import OutboxMessage
from matcher.menukaart.models import Doelgebied, Intervention, InterventionFigures
from matcher.observations.models import (
    Observation,
    ObservationAuditEntry,
    ObservationInvitation,
    ObservationPolicy,
    ObservationScore,
    PupilCode,
    PupilNote,
)
from matcher.schools.models import (
    Booking,
    BookingEvent,
    FundingStream,
    Programme,
    ProgrammeItem,
    Proposal,
    RequestEvent,
    SchoolGroup,
    SchoolRequest,
    SchoolScan,
    SessionSeats,
)
from providers.models import Activity, ActivityDate, ActivityStatusChange, Provider

__all__ = [
    "AccountEvent", "AccountToken", "LoginThrottle", "RecoveryCode", "UserSession",
    "Activity", "ActivityDate", "ActivityStatusChange", "Booking", "BookingEvent", "Doelgebied",
    "Favourite", "FundingStream", "Intervention", "InterventionFigures", "Observation",
    "ObservationAuditEntry", "ObservationInvitation", "ObservationPolicy", "ObservationScore",
    "Organisation", "OutboxMessage", "Programme", "ProgrammeItem", "Proposal", "Provider",
    "PupilCode", "PupilNote", "RequestEvent", "SchoolGroup", "SchoolRequest", "SchoolScan",
    "SessionSeats", "User",
]
