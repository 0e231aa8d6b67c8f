"""Rows to engine values, in one place: the matcher, the inference and the export all use it."""

from __future__ import annotations

from matcher.engine.model import Activity as EngineActivity
from matcher.engine.model import Audience
from matcher.engine.model import Provider as EngineProvider
from providers.models import Activity, Provider


def provider_to_engine(row: Provider) -> EngineProvider:
    return EngineProvider(key=row.key, name=row.name, kind=row.kind, gemeente=row.gemeente,
                          serves=tuple(row.serves or ()), email=row.email, website=row.website)


def activity_to_engine(row: Activity, provider_key: str | None = None) -> EngineActivity:
    """`provider_key` saves loading the provider when the caller already knows it."""
    return EngineActivity(
        key=row.key,
        provider_key=provider_key or row.provider.key,
        title=row.title,
        description=row.description,
        disciplines=tuple(row.disciplines),
        format=row.format,
        audience=tuple(Audience(sector=a["sector"], grades=tuple(a["grades"]))
                       for a in row.audience),
        group_min=row.group_min,
        group_max=row.group_max,
        sessions=row.sessions,
        minutes_per_session=row.minutes_per_session,
        periods=tuple(row.periods),
        location=row.location,
        price_amount=float(row.price_amount),
        price_per=row.price_per,
        interventions=tuple(row.interventions or ()),
        competences=tuple(row.competences or ()),
    )
