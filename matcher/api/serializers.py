"""Explicit JSON shapes for the API (never a model's __dict__)."""

from __future__ import annotations

from providers.models import Activity


def activity_json(row: Activity) -> dict:
    """An approved activity in the exchange format's field names, with its provider."""
    provider = row.provider
    return {
        "id": row.key,
        "provider": {"id": provider.key, "name": provider.name, "kind": provider.kind,
                     "gemeente": provider.gemeente, "serves": list(provider.serves or [])},
        "title": row.title,
        "description": row.description,
        "disciplines": list(row.disciplines),
        "format": row.format,
        "audience": [{"sector": a["sector"], "grades": list(a["grades"])} for a in row.audience],
        "group_size": {"min": row.group_min, "max": row.group_max},
        "sessions": row.sessions,
        "minutes_per_session": row.minutes_per_session,
        "periods": list(row.periods),
        "location": row.location,
        "price": {"amount": float(row.price_amount), "per": row.price_per},
        "interventions": list(row.interventions or []),
        "competences": list(row.competences or []),
        # Who takes part as matching sees it, and where that came from (aanbieder, curator,
        # or tekst: read from the text).
        "participants": row.effective_participants,
        "participants_source": row.participants_origin,
    }
