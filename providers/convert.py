"""Rows to engine values, in one place: the matcher, the inference and the export all use it.

The other way too: `activity_fields` turns an engine activity (from an imported exchange
document) into the column values of an Activity row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from matcher.engine.model import Activity as EngineActivity
from matcher.engine.model import Audience
from matcher.engine.model import Provider as EngineProvider
from providers.models import Activity, Provider

CENT = Decimal("0.01")


def provider_to_engine(row: Provider) -> EngineProvider:
    return EngineProvider(key=row.key, name=row.name, kind=row.kind, gemeente=row.gemeente,
                          serves=tuple(row.serves or ()), email=row.email, website=row.website)


def fields_to_engine(fields: dict[str, Any], provider_key: str, key: str = "") -> EngineActivity:
    """Column values (a row's, or a form's) as an engine activity."""
    return EngineActivity(
        key=key,
        provider_key=provider_key,
        title=fields.get("title") or "",
        description=fields.get("description") or "",
        disciplines=tuple(fields.get("disciplines") or ()),
        format=fields.get("format") or "",
        audience=tuple(Audience(sector=a["sector"], grades=tuple(a["grades"]))
                       for a in fields.get("audience") or ()),
        group_min=fields.get("group_min") or 1,
        group_max=fields.get("group_max") or 1,
        sessions=fields.get("sessions") or 1,
        minutes_per_session=fields.get("minutes_per_session") or 1,
        periods=tuple(fields.get("periods") or ()),
        location=fields.get("location") or "",
        price_amount=float(fields.get("price_amount") or 0),
        price_per=fields.get("price_per") or "",
        interventions=tuple(fields.get("interventions") or ()),
        competences=tuple(fields.get("competences") or ()),
    )


def activity_to_engine(row: Activity, provider_key: str | None = None) -> EngineActivity:
    """`provider_key` saves loading the provider when the caller already knows it.

    The provider's claims go in as claims; the curator's verdicts (verified, dropped) go in
    beside them, so the engine ranks confirmed links highest and never offers dropped ones.
    Participants go in only when given or decided by a curator: otherwise the engine reads
    the text itself (as `participants_read` holds it).
    """
    dropped = tuple(row.dropped_interventions or ())
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
        interventions=tuple(k for k in row.interventions or () if k not in dropped),
        competences=tuple(row.competences or ()),
        curator_verified=tuple(row.verified_interventions or ()),
        curator_dropped=dropped,
        participants=row.participants,
    )


def activity_fields(activity: EngineActivity) -> dict[str, Any]:
    """The column values of an Activity row for an engine activity (key and provider apart)."""
    return {
        "title": activity.title,
        "description": activity.description,
        "disciplines": list(activity.disciplines),
        "format": activity.format,
        "audience": [{"sector": a.sector, "grades": list(a.grades)} for a in activity.audience],
        "group_min": activity.group_min,
        "group_max": activity.group_max,
        "sessions": activity.sessions,
        "minutes_per_session": activity.minutes_per_session,
        "periods": list(activity.periods),
        "location": activity.location,
        "price_amount": Decimal(str(activity.price_amount)).quantize(CENT),
        "price_per": activity.price_per,
        "interventions": list(activity.interventions),
        "competences": list(activity.competences),
        "participants": activity.participants,
    }


def provider_fields(provider: EngineProvider) -> dict[str, Any]:
    """The column values of a Provider row for an engine provider (key apart)."""
    return {
        "name": provider.name,
        "kind": provider.kind,
        "gemeente": provider.gemeente,
        "serves": list(provider.serves),
        "email": provider.email,
        "website": provider.website,
    }
