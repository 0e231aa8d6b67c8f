"""Reads of providers and activities, scoped to who asks: get_* raises, find_* returns None.

Scoping: provider staff see their own provider only; a curator sees the providers that serve
at least one gemeente of the curator's region (national providers, serves ["*"], serve every
region, so every curator sees them); administrators and the command line see everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matcher.accounts.models import User
from matcher.accounts.queries import NotFound
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.engine.model import NATIONWIDE
from matcher.limits import row_id
from providers.models import Activity, ActivityDate, ActivityStatus, Provider

__all__ = ["NotFound"]


def served_gemeenten(provider: Provider) -> list[str]:
    return list(provider.serves or []) or [provider.gemeente]


def curator_region(user: User) -> set[str]:
    organisation = user.organisation
    return set(organisation.region or []) or ({organisation.gemeente} - {None})


def serves_region(provider: Provider, region: Iterable[str]) -> bool:
    served = set(served_gemeenten(provider))
    return NATIONWIDE in served or bool(served & set(region))


def find_provider_of(user: User) -> Provider | None:
    """The provider the user works for (provider staff), or None."""
    return find_provider_of_organisation(user.organisation_id)


def find_provider_of_organisation(organisation_id: int) -> Provider | None:
    return db.session.scalar(select(Provider).where(Provider.organisation_id == organisation_id))


def find_provider_by_key(key: str) -> Provider | None:
    return db.session.scalar(select(Provider).where(Provider.key == key))


def provider_keys() -> set[str]:
    return set(db.session.scalars(select(Provider.key)))


def can_see_provider(user: User | None, provider: Provider) -> bool:
    """None is the command line (an operator)."""
    if user is None or user.role == Role.ADMINISTRATOR:
        return True
    if user.role == Role.CURATOR:
        return serves_region(provider, curator_region(user))
    if user.role == Role.PROVIDER_STAFF:
        return provider.organisation_id == user.organisation_id
    return False


def visible_providers(user: User | None) -> Sequence[Provider]:
    providers = db.session.scalars(select(Provider).order_by(Provider.name)).all()
    return [p for p in providers if can_see_provider(user, p)]


def get_provider(user: User | None, provider_id: int) -> Provider:
    provider = db.session.get(Provider, provider_id)
    if provider is None or not can_see_provider(user, provider):
        raise NotFound(f"provider {provider_id}")
    return provider


def get_activity(user: User | None, activity_id: int) -> Activity:
    """The activity, if the user may see it; otherwise NotFound (the view answers 404)."""
    activity = db.session.get(Activity, activity_id)
    if activity is None or not can_see_provider(user, activity.provider):
        raise NotFound(f"activity {activity_id}")
    return activity


def get_activity_date(activity: Activity, date_id: int) -> ActivityDate:
    found = db.session.get(ActivityDate, date_id)
    if found is None or found.activity_id != activity.id:
        raise NotFound(f"activity date {date_id}")
    return found


def find_activity_by_key(key: str) -> Activity | None:
    return db.session.scalar(select(Activity).where(Activity.key == key))


def activity_keys_like(prefix: str) -> set[str]:
    return set(db.session.scalars(select(Activity.key).where(Activity.key.startswith(prefix))))


def provider_activities(provider: Provider) -> Sequence[Activity]:
    return db.session.scalars(
        select(Activity).where(Activity.provider_id == provider.id)
        .order_by(Activity.status, Activity.title)).all()


def review_queue(user: User) -> Sequence[Activity]:
    """Submitted activities of the providers the curator looks after, oldest first."""
    ids = [p.id for p in visible_providers(user)]
    if not ids:
        return []
    return db.session.scalars(
        select(Activity).options(selectinload(Activity.provider))
        .where(Activity.status == ActivityStatus.SUBMITTED, Activity.provider_id.in_(ids))
        .order_by(Activity.updated_at, Activity.id)).all()


def curated_provider_keys(user: User) -> list[str] | None:
    """The keys of the providers a curator looks after (as in `review_queue`); None: all of
    them (an administrator)."""
    if user.role == Role.ADMINISTRATOR:
        return None
    return [p.key for p in visible_providers(user)]


def activities_by_keys(keys: Iterable[str]) -> dict[str, Activity]:
    """The activities with these keys, with their providers, by key."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = db.session.scalars(select(Activity).options(selectinload(Activity.provider))
                              .where(Activity.key.in_(wanted)))
    return {a.key: a for a in rows}


def pending_providers(user: User) -> list[Provider]:
    """Providers waiting for a first decision, in the curator's region."""
    return [p for p in visible_providers(user) if not p.approved and p.reviewed_at is None]


def activities_by_ids(user: User, ids: Iterable[int]) -> list[Activity]:
    """The visible ones of these activities; ids the user may not see are left out."""
    # Ids come from a form: twenty digits would overflow the database's integer.
    wanted = {i for i in (row_id(i) for i in ids) if i is not None}
    if not wanted:
        return []
    rows = db.session.scalars(select(Activity).where(Activity.id.in_(wanted))).all()
    return [a for a in rows if can_see_provider(user, a.provider)]


def offers_for_export(user: User | None, *, provider: Provider | None = None,
                      all_statuses: bool = False) -> tuple[list[Provider], list[Activity]]:
    """Providers and activities to export: approved ones, or every non-archived one.

    Provider staff export their own offer in every status but archived; the others export
    what schools see (approved activities of approved providers) unless all_statuses.
    """
    providers = [provider] if provider is not None else list(visible_providers(user))
    own = user is not None and user.role == Role.PROVIDER_STAFF
    if not (own or all_statuses):
        providers = [p for p in providers if p.approved]
    ids = [p.id for p in providers]
    query = select(Activity).where(Activity.provider_id.in_(ids)).order_by(Activity.key)
    if own or all_statuses:
        query = query.where(Activity.status != ActivityStatus.ARCHIVED)
    else:
        query = query.where(Activity.status == ActivityStatus.APPROVED)
    activities = list(db.session.scalars(query)) if ids else []
    return sorted(providers, key=lambda p: p.key), activities
