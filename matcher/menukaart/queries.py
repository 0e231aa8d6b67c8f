"""Reads of the menukaart."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matcher.db import db
from matcher.menukaart.models import Doelgebied, Intervention


class NotFound(LookupError):
    pass


def list_doelgebieden() -> Sequence[Doelgebied]:
    return db.session.scalars(
        select(Doelgebied).order_by(Doelgebied.letter)
        .options(selectinload(Doelgebied.interventions).selectinload(Intervention.figures))
    ).all()


def list_not_effective() -> Sequence[Intervention]:
    return db.session.scalars(
        select(Intervention).where(Intervention.effective.is_(False))
        .order_by(Intervention.position)).all()


def list_effective() -> Sequence[Intervention]:
    return db.session.scalars(
        select(Intervention).where(Intervention.effective.is_(True))
        .order_by(Intervention.position)).all()


def get_intervention(key: str) -> Intervention:
    intervention = db.session.get(Intervention, key)
    if intervention is None:
        raise NotFound(key)
    return intervention
