"""Who takes part in an activity, outside the engine: the three columns and how to show them.

`participants` is the value the provider gave or a curator decided (None: not given),
`participants_source` who that was, and `participants_read` what the engine reads in the title
and description. The reading is recomputed whenever an activity is written, so lists and the
curator see it without reading the text again; matching uses the given value, else the reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matcher.engine import ParticipantsReading, read_participants
from matcher.reference.labels import label
from providers.convert import fields_to_engine
from providers.models import READ_FROM_TEXT, Activity, ParticipantsSource

PROVIDER, CURATOR = ParticipantsSource.PROVIDER, ParticipantsSource.CURATOR


def read_text(fields: Mapping[str, Any]) -> ParticipantsReading:
    """What the title and description say, whatever was given."""
    return read_participants(fields_to_engine(dict(fields), provider_key=""))


def given_columns(given: str | None, *, current: str | None = None,
                  current_source: ParticipantsSource | None = None,
                  keep_curator: bool = False) -> dict[str, Any]:
    """The participants columns when the provider gives `given` (None: not given).

    The same value again keeps its source, so a curator's decision survives a save or an
    import that repeats it. `keep_curator`: an absent value (an import without the field)
    keeps the curator's decision too; in a form, where the field is always there, None clears
    it. Whenever the curator's decision goes, so do who made it and when.
    """
    if given is None and keep_curator and current_source == CURATOR:
        return {"participants": current, "participants_source": CURATOR}
    if given is not None and given == current and current_source is not None:
        return {"participants": given, "participants_source": current_source}
    return {"participants": given, "participants_source": PROVIDER if given else None,
            "participants_decided_by_id": None, "participants_decided_at": None}


@dataclass(frozen=True, slots=True)
class Shown:
    """Who an activity is for, as a page shows it: the value, where it came from, and why."""

    value: str
    origin: str  # aanbieder, curator or tekst
    reading: ParticipantsReading  # of the text, also when a value was given

    @property
    def label(self) -> str:
        return str(label(self.value))

    @property
    def read_from_text(self) -> bool:
        return self.origin == READ_FROM_TEXT

    @property
    def origin_label(self) -> str:
        if self.read_from_text:
            return self.reading.reason
        return ParticipantsSource(self.origin).label


def shown(activity: Activity) -> Shown:
    """What a provider, curator or school reads about who takes part in `activity`."""
    reading = read_text({"title": activity.title, "description": activity.description})
    return Shown(value=activity.effective_participants, origin=activity.participants_origin,
                 reading=reading)
