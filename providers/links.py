"""How the engine judges activities' intervention links, for the provider's activity page, the
curator's review page and the curator's queue of doubtful links.

The judgement itself is the engine's (`matcher.engine.links`, `Catalogue.doubts`); this module
only scopes it to who asks and pairs it with the activity rows a page links to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matcher import matching
from matcher.accounts.models import User
from matcher.engine.links import Links
from matcher.engine.model import Doubt
from matcher.engine.score import CLAIMED, VERIFIED
from matcher.engine.thesaurus import load_thesaurus
from providers import queries
from providers.models import Activity

CLAIM, SUGGESTION = "claim", "suggestion"
DOUBT_KINDS = (CLAIM, SUGGESTION)
PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class LinkNote:
    """A claimed link that does not count (`counts` False) or counts weakly, and why."""

    key: str
    label: str
    counts: bool
    reason: str


def claim_notes(links: Links, claimed: Sequence[str]) -> dict[str, LinkNote]:
    """Per claimed intervention the engine discounts or counts weakly: the note to show."""
    thesaurus = load_thesaurus()
    notes = {}
    for key in claimed:
        fit = links.fits.get(key)
        if key in links.discounted:
            notes[key] = LinkNote(key, thesaurus.label(key), False, links.discounted[key])
        elif fit and fit.kind in (CLAIMED, VERIFIED) and fit.weak and fit.note:
            notes[key] = LinkNote(key, thesaurus.label(key), True, fit.note)
    return notes


def activity_notes(activity: Activity) -> dict[str, LinkNote]:
    """The notes on an activity's own claims (a curator's verdict leaves none: it counts, or
    it is no claim any more)."""
    return claim_notes(matching.links_of(activity), activity.interventions or ())


@dataclass(frozen=True, slots=True)
class DoubtRow:
    doubt: Doubt
    activity: Activity


@dataclass(frozen=True, slots=True)
class DoubtPage:
    rows: list[DoubtRow]
    total: int
    page: int
    pages: int


def doubts_for(user: User, *, kind: str | None = None,
               intervention: str | None = None) -> list[Doubt]:
    """The doubtful links of the approved activities the user looks after, filtered.

    Read fresh: a curator who just decided a link should not see it again.
    """
    found = matching.catalogue(fresh=True).doubts(queries.curated_provider_keys(user))
    return [d for d in found if (kind is None or d.kind == kind)
            and (intervention is None or d.intervention == intervention)]


def doubt_page(user: User, *, kind: str | None = None, intervention: str | None = None,
               page: int = 1) -> DoubtPage:
    """One page of `doubts_for`, with the activity rows; a page past the end shows the last."""
    found = doubts_for(user, kind=kind, intervention=intervention)
    pages = max(1, -(-len(found) // PER_PAGE))
    page = min(max(page, 1), pages)
    chunk = found[(page - 1) * PER_PAGE:page * PER_PAGE]
    rows = queries.activities_by_keys([d.activity_key for d in chunk])
    return DoubtPage([DoubtRow(d, rows[d.activity_key]) for d in chunk if d.activity_key in rows],
                     total=len(found), page=page, pages=pages)
