"""Bring the menukaart tables in line with the packaged data file (idempotent)."""

from __future__ import annotations

from matcher.db import db
from matcher.menukaart.models import Doelgebied, Intervention, InterventionFigures
from matcher.reference.menukaart import VERSIONS, Menukaart, load_menukaart


def sync_menukaart(menukaart: Menukaart | None = None) -> int:
    """Insert or update every doelgebied and intervention by its stable key; returns the count.

    Running it twice changes nothing; keys are never deleted, because requests refer to them.
    """
    menukaart = menukaart or load_menukaart()
    for item in menukaart.doelgebieden:
        row = db.session.get(Doelgebied, item.letter) or Doelgebied(letter=item.letter)
        row.name, row.supporting_only, row.note = item.name, item.supporting_only, item.note
        db.session.add(row)
    position = 0
    for position, item in enumerate(menukaart.interventions):
        row = _intervention(item.key)
        row.name, row.doelgebied_letter, row.effective = item.name, item.doelgebied, True
        row.types, row.position, row.reason = list(item.types), position, ""
        for version in VERSIONS:
            _set_figures(row, version, item.figures.get(version))
    for offset, item in enumerate(menukaart.not_effective, start=position + 1):
        row = _intervention(item.key)
        row.name, row.doelgebied_letter, row.effective = item.name, None, False
        row.reason, row.position, row.types = item.reason, offset, []
    db.session.flush()
    return len(menukaart.interventions) + len(menukaart.not_effective)


def _intervention(key: str) -> Intervention:
    row = db.session.get(Intervention, key)
    if row is None:
        row = Intervention(key=key)
        db.session.add(row)
    return row


def _set_figures(row: Intervention, version: str, figures) -> None:
    existing = row.figures_for(version)
    if figures is None:
        if existing is not None:
            row.figures.remove(existing)
        return
    if existing is None:
        existing = InterventionFigures(version=version)
        row.figures.append(existing)
    existing.impact, existing.evidence, existing.cost = (
        figures.impact, figures.evidence, figures.cost)
