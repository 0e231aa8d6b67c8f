"""Realistic Dutch demo data: schools, providers, activities and one login per role."""

from __future__ import annotations

from dataclasses import dataclass

import click
import pyotp
from flask import current_app

from matcher.accounts import second_factor
from matcher.accounts import services as accounts
from matcher.accounts.queries import find_organisation, find_user_by_email
from matcher.accounts.roles import OrganisationKind, Role
from matcher.schools.demo import load_demo_schools

# Printed in the console by `cultuurmatch demo`; only ever used on a local demo database.
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - a published demo login, not a secret


class DemoRefused(RuntimeError):
    """The demo would make accounts with published passwords on a production site."""


REFUSED_IN_PRODUCTION = (
    "cultuurmatch demo weigert: deze installatie draait als productie (MATCHER_ENV="
    "production). De demo maakt accounts met een gepubliceerd wachtwoord, ook voor een "
    "beheerder; daarmee kan iedereen inloggen. Gebruik de demo op een eigen, lege database "
    "zonder MATCHER_ENV=production, of geef --allow-production als dit echt een "
    "wegwerp-demosite is.")


def is_production() -> bool:
    return current_app.config.get("ENV_NAME") == "production"


@dataclass(frozen=True)
class DemoOrganisation:
    kind: OrganisationKind
    name: str
    gemeente: str
    sector: str | None = None
    region: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    organisation: str


ORGANISATIONS = (
    DemoOrganisation(OrganisationKind.PLATFORM, "Cultuurmatch", "Utrecht"),
    DemoOrganisation(OrganisationKind.REGION, "Cultuurpunt Amsterdam (penvoerder CmK)",
                     "Amsterdam", region=("Amsterdam", "Zaanstad", "Amstelveen")),
    DemoOrganisation(OrganisationKind.GEMEENTE, "Gemeente Amsterdam", "Amsterdam",
                     region=("Amsterdam",)),
    DemoOrganisation(OrganisationKind.SCHOOL, "OBS Oostpoort", "Amsterdam", sector="po"),
    DemoOrganisation(OrganisationKind.SCHOOL, "SBO De Regenboog", "Amsterdam", sector="so"),
    DemoOrganisation(OrganisationKind.SCHOOL, "Stedelijk College Noord", "Amsterdam",
                     sector="vo"),
    DemoOrganisation(OrganisationKind.PROVIDER, "Jeugdtheater aan het IJ", "Amsterdam"),
    DemoOrganisation(OrganisationKind.PROVIDER, "Sanne Dansdocent", "Amsterdam"),
)

USERS = (
    DemoUser("beheer@demo.cultuurmatch.nl", "Bram Beheer", Role.ADMINISTRATOR, "Cultuurmatch"),
    DemoUser("curator@demo.cultuurmatch.nl", "Carla Curator", Role.CURATOR,
             "Cultuurpunt Amsterdam (penvoerder CmK)"),
    DemoUser("gemeente@demo.cultuurmatch.nl", "Gerrit Gemeente", Role.GEMEENTE,
             "Gemeente Amsterdam"),
    DemoUser("icc@oostpoort.demo.cultuurmatch.nl", "Ilse de Icc'er", Role.COORDINATOR,
             "OBS Oostpoort"),
    DemoUser("leerkracht@oostpoort.demo.cultuurmatch.nl", "Lotte Leerkracht", Role.TEACHER,
             "OBS Oostpoort"),
    DemoUser("directie@oostpoort.demo.cultuurmatch.nl", "Dirk Directeur", Role.SCHOOL_LEADER,
             "OBS Oostpoort"),
    DemoUser("icc@regenboog.demo.cultuurmatch.nl", "Ruud Regenboog", Role.COORDINATOR,
             "SBO De Regenboog"),
    DemoUser("educatie@ij.demo.cultuurmatch.nl", "Ayla Aanbieder", Role.PROVIDER_STAFF,
             "Jeugdtheater aan het IJ"),
    DemoUser("sanne@dans.demo.cultuurmatch.nl", "Sanne de Dansdocent", Role.PROVIDER_STAFF,
             "Sanne Dansdocent"),
    DemoUser("professional@ij.demo.cultuurmatch.nl", "Pim Professional", Role.PROFESSIONAL,
             "Jeugdtheater aan het IJ"),
)


def load_demo(*, allow_production: bool = False) -> list[tuple[str, str, str, str]]:
    """Create what is missing (safe to run again); (role, email, password, TOTP secret or
    "") per login.

    Refuses (DemoRefused) on a production configuration unless `allow_production`: the
    logins it makes have published passwords (ASVS 2.5.4, no default accounts).
    """
    if is_production() and not allow_production:
        raise DemoRefused(REFUSED_IN_PRODUCTION)
    organisations = {}
    for item in ORGANISATIONS:
        organisations[item.name] = find_organisation(item.kind, item.name) or \
            accounts.create_organisation(kind=item.kind, name=item.name, gemeente=item.gemeente,
                                         sector=item.sector, region=list(item.region))
    totp_secrets = {}
    for user in USERS:
        account = find_user_by_email(user.email)
        if account is None:
            account = accounts.create_user(email=user.email, name=user.name, role=user.role,
                                           organisation=organisations[user.organisation],
                                           password=DEMO_PASSWORD)
        if second_factor.is_required(account):
            totp_secrets[user.email] = _demo_totp_secret(account)
    # Observations last: they need the school's staff and groups.
    from matcher.observations.demo import load_demo_observations

    link = load_demo_observations(organisations)
    click.echo(f"Open observatie-uitnodiging voor OBS Oostpoort (geen account nodig): {link}")
    load_demo_schools(organisations)
    from providers.demo import load_demo_offers

    load_demo_offers(organisations)
    return [(u.role.label, u.email, DEMO_PASSWORD, totp_secrets.get(u.email, ""))
            for u in USERS]


def _demo_totp_secret(account) -> str:
    """The demo curator's and administrator's TOTP secret: made once, printed every run."""
    if not second_factor.is_enabled(account):
        second_factor.enrol_with_secret(account, pyotp.random_base32())
    return second_factor.secret_of(account) or ""
