"""The roles a user can have; each user has exactly one, in exactly one organisation."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from matcher.enums import LabelledEnum


class Role(LabelledEnum):
    COORDINATOR = "cultuurcoordinator", _l("Cultuurcoördinator")
    TEACHER = "leerkracht", _l("Leerkracht")
    SCHOOL_LEADER = "schoolleider", _l("Schoolleider")
    GEMEENTE = "gemeente", _l("Gemeente")
    PROVIDER_STAFF = "aanbieder", _l("Medewerker cultuuraanbieder")
    PROFESSIONAL = "professional", _l("Externe professional")
    CURATOR = "curator", _l("Curator")
    ADMINISTRATOR = "beheerder", _l("Beheerder")


SCHOOL_ROLES = frozenset({Role.COORDINATOR, Role.TEACHER, Role.SCHOOL_LEADER})


class OrganisationKind(enum.StrEnum):
    SCHOOL = "school"
    PROVIDER = "aanbieder"
    GEMEENTE = "gemeente"
    REGION = "regio"
    PLATFORM = "platform"


# Which kind of organisation each role belongs to; checked when a user is created.
ROLE_ORGANISATION = {
    Role.COORDINATOR: OrganisationKind.SCHOOL,
    Role.TEACHER: OrganisationKind.SCHOOL,
    Role.SCHOOL_LEADER: OrganisationKind.SCHOOL,
    Role.GEMEENTE: OrganisationKind.GEMEENTE,
    Role.PROVIDER_STAFF: OrganisationKind.PROVIDER,
    Role.PROFESSIONAL: OrganisationKind.PROVIDER,
    Role.CURATOR: OrganisationKind.REGION,
    Role.ADMINISTRATOR: OrganisationKind.PLATFORM,
}
