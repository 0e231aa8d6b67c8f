"""Everything the engine concludes about one activity: who takes part, which interventions it
can fill and how, and which claims do not count and why."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.engine.infer import TextAnalysis, activity_text, analyse_text, infer
from matcher.engine.model import Activity, Inference
from matcher.engine.participants import ParticipantsReading, read_participants
from matcher.engine.score import INFERRED, Fit, fits
from matcher.engine.thesaurus import Thesaurus, load_thesaurus


@dataclass(frozen=True, slots=True)
class Links:
    """participants: given or read; fits: what it can fill (hard rule 6); discounted: claims
    that do not count, with the Dutch reason; inferences: what the text and fields suggest."""

    participants: ParticipantsReading
    fits: dict[str, Fit]
    discounted: dict[str, str]
    inferences: tuple[Inference, ...]

    def suggested(self) -> list[str]:
        """Interventions the engine offers the activity for without a claim or a curator."""
        return [key for key, fit in self.fits.items() if fit.kind == INFERRED]


def assess(
    activity: Activity,
    thesaurus: Thesaurus | None = None,
    analysis: TextAnalysis | None = None,
) -> Links:
    """Judge an activity: participants, fillable interventions and discounted claims."""
    th = thesaurus or load_thesaurus()
    analysis = analysis or analyse_text(activity_text(activity), th)
    participants = read_participants(activity, th)
    inferences = infer(activity, analysis, th, participants.value)
    fit, discounted = fits(activity, inferences, th, participants.value)
    return Links(participants, fit, discounted, tuple(inferences))
