"""Between exchange documents and engine values, both ways (import and export)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from matcher.engine.model import LEERLINGEN, Activity, Audience, MatchRequest, Provider
from matcher.exchange.schema import (
    FORMAT,
    ActivityDoc,
    OffersDocument,
    ProviderDoc,
    RequestDocument,
)


def _provider(doc: ProviderDoc) -> Provider:
    return Provider(
        key=doc.id,
        name=doc.name,
        kind=doc.kind,
        gemeente=doc.gemeente,
        serves=tuple(doc.serves or ()),
        email=doc.email,
        website=doc.website,
    )


def _activity(doc: ActivityDoc) -> Activity:
    return Activity(
        key=doc.id,
        provider_key=doc.provider,
        title=doc.title,
        description=doc.description,
        disciplines=tuple(doc.disciplines),
        format=doc.format,
        audience=tuple(Audience(a.sector, tuple(a.grades)) for a in doc.audience),
        group_min=doc.group_size.min,
        group_max=doc.group_size.max,
        sessions=doc.sessions,
        minutes_per_session=doc.minutes_per_session,
        periods=tuple(doc.periods),
        location=doc.location,
        price_amount=float(doc.price.amount),
        price_per=doc.price.per,
        interventions=tuple(doc.interventions or ()),
        competences=tuple(doc.competences or ()),
        participants=doc.participants,
    )


def to_engine_offers(doc: OffersDocument) -> tuple[list[Provider], list[Activity]]:
    """Providers and activities of a validated offers document."""
    return [_provider(p) for p in doc.providers], [_activity(a) for a in doc.activities]


def to_engine_request(doc: RequestDocument) -> MatchRequest:
    """The match request of a validated request document."""
    req = doc.request
    return MatchRequest(
        key=req.id,
        school_name=req.school.name,
        sector=req.school.sector,
        gemeente=req.school.gemeente,
        interventions=tuple(req.interventions),
        grades=tuple(req.grades),
        pupils=req.pupils,
        periods=tuple(req.periods),
        budget=None if req.budget is None else float(req.budget),
        disciplines=tuple(req.disciplines),
        competences=tuple(req.competences),
        location=req.location,
        wishes=req.wishes,
        participants=req.participants,
    )


def provider_to_dict(provider: Provider) -> dict[str, Any]:
    """One provider in the exchange shape; optional fields only when set."""
    out: dict[str, Any] = {
        "id": provider.key,
        "name": provider.name,
        "kind": provider.kind,
        "gemeente": provider.gemeente,
    }
    if provider.serves:
        out["serves"] = list(provider.serves)
    if provider.email is not None:
        out["email"] = provider.email
    if provider.website is not None:
        out["website"] = provider.website
    return out


def activity_to_dict(activity: Activity) -> dict[str, Any]:
    """One activity in the exchange shape; empty interventions/competences are left out, and
    so are participants that were not given (the reader reads them from the text again)."""
    out: dict[str, Any] = {
        "id": activity.key,
        "provider": activity.provider_key,
        "title": activity.title,
        "description": activity.description,
        "disciplines": list(activity.disciplines),
        "format": activity.format,
        "audience": [{"sector": a.sector, "grades": list(a.grades)} for a in activity.audience],
        "group_size": {"min": activity.group_min, "max": activity.group_max},
        "sessions": activity.sessions,
        "minutes_per_session": activity.minutes_per_session,
        "periods": list(activity.periods),
        "location": activity.location,
        "price": {"amount": float(activity.price_amount), "per": activity.price_per},
    }
    if activity.interventions:
        out["interventions"] = list(activity.interventions)
    if activity.competences:
        out["competences"] = list(activity.competences)
    if activity.participants is not None:
        out["participants"] = activity.participants
    return out


def offers_to_document(
    providers: Iterable[Provider], activities: Iterable[Activity]
) -> dict[str, Any]:
    """An offers document (spec section 1) that imports back into the same offers."""
    return {
        "format": FORMAT,
        "providers": [provider_to_dict(p) for p in providers],
        "activities": [activity_to_dict(a) for a in activities],
    }


def request_to_document(request: MatchRequest) -> dict[str, Any]:
    """A request document (spec section 2) of an engine request."""
    body: dict[str, Any] = {
        "id": request.key,
        "school": {
            "name": request.school_name,
            "sector": request.sector,
            "gemeente": request.gemeente,
        },
        "interventions": list(request.interventions),
        "grades": list(request.grades),
        "pupils": request.pupils,
    }
    if request.periods:
        body["periods"] = list(request.periods)
    if request.budget is not None:
        body["budget"] = float(request.budget)
    if request.disciplines:
        body["disciplines"] = list(request.disciplines)
    if request.competences:
        body["competences"] = list(request.competences)
    if request.location != "geen-voorkeur":
        body["location"] = request.location
    if request.wishes:
        body["wishes"] = request.wishes
    if request.participants != LEERLINGEN:
        body["participants"] = request.participants
    return {"format": FORMAT, "request": body}
