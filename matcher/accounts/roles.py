"""The roles a user can have; each user has exactly one, in exactly one organisation."""

from __future__ import annotations

import enum


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
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.COORDINATOR: "Cultuurcoördinator",
    Role.TEACHER: "Leerkracht",
    Role.SCHOOL_LEADER: "Schoolleider",
    Role.GEMEENTE: "Gemeente",
    Role.PROVIDER_STAFF: "Medewerker cultuuraanbieder",
    Role.PROFESSIONAL: "Externe professional",
    Role.CURATOR: "Curator",
    Role.ADMINISTRATOR: "Beheerder",
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
