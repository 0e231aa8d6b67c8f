"""The roles a user can have; each user has exactly one, in exactly one organisation."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    COORDINATOR = "cultuurcoordinator"
    TEACHER = "leerkracht"
    SCHOOL_LEADER = "schoolleider"
    GEMEENTE = "gemeente"
    PROVIDER_STAFF = "aanbieder"
    PROFESSIONAL = "professional"
    CURATOR = "curator"
    ADMINISTRATOR = "beheerder"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.COORDINATOR: _l("Cultuurcoördinator"),
    Role.TEACHER: _l("Leerkracht"),
    Role.SCHOOL_LEADER: _l("Schoolleider"),
    Role.GEMEENTE: _l("Gemeente"),
    Role.PROVIDER_STAFF: _l("Medewerker cultuuraanbieder"),
    Role.PROFESSIONAL: _l("Externe professional"),
    Role.CURATOR: _l("Curator"),
    Role.ADMINISTRATOR: _l("Beheerder"),
}

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
