"""Who takes part in an activity: pupils, the school's team, or pupils with their parents.

The provider's value (or a curator's) counts as given. Where it is absent the text decides:
a course for teachers names the pupils they teach, so what counts is its form (a nascholing, a
studiedag, a training) and whom the text says it is for ("voor leerkrachten"), not the mere
mention of pupils or staff. Parents count only when they take part themselves; parents who
come to watch the final show leave an activity for pupils.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.engine.model import LEERLINGEN, LEERLINGEN_EN_OUDERS, TEAM, Activity
from matcher.engine.text import phrase_end, stem, tokenize
from matcher.engine.thesaurus import NEGATIONS, Thesaurus, load_thesaurus

GIVEN, READ = "given", "read"

# From this much evidence on, the text is about a course for the team (see _team_evidence).
_TEAM_THRESHOLD = 2.0
_SENTENCE = re.compile(r"[.!?;:\n]+")
# Words that may stand between "voor" and whom it is for ("voor alle leerkrachten").
_VOOR = stem("voor")


def _stemmed(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


# Where pupils are, not who they are: a course title says "zingen in de klas".
_PLACES = _stemmed("klas klassen groep groepen")
_FILLERS = _stemmed(
    "de het alle uw jullie hele onze je jouw geinteresseerde nieuwe startende ervaren een elke "
    "iedere betrokken"
)
_SUBJECT_LEAD = _stemmed("als de alle jullie onze uw ook het")
# "ben je leerkracht", "bent u docent": the reader is the one who learns; "als leerkracht"
# says less (a pupil activity may tell the teacher what to do).
_ROLE_LEADS = {stem("ben"): 2.0, stem("bent"): 2.0, stem("als"): 1.0}
_ROLE_SKIP = _stemmed("je u jij een de het")
_ADDRESSED = frozenset(
    (stem(a), stem(b))
    for a, b in (("u", "leert"), ("leert", "u"), ("u", "ontdekt"), ("u", "krijgt"),
                 ("u", "oefent"), ("jullie", "leren"), ("leren", "jullie"), ("u", "werkt"))
)


@dataclass(frozen=True, slots=True)
class Phrases:
    """Stemmed phrases by their first stem, so that a text is read in one pass."""

    by_first: dict[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def of(cls, phrases: frozenset[tuple[str, ...]]) -> Phrases:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted(phrases):
            by_first.setdefault(phrase[0], []).append(phrase)
        return cls({first: tuple(found) for first, found in by_first.items()})

    @property
    def singles(self) -> frozenset[str]:
        return frozenset(p[0] for found in self.by_first.values() for p in found if len(p) == 1)

    def at(self, stems: list[str], pos: int) -> tuple[int, tuple[str, ...]] | None:
        """(last position, phrase) of a phrase starting at `pos`, or None."""
        for phrase in self.by_first.get(stems[pos], ()):
            end = phrase_end(stems, pos, phrase)
            if end >= 0:
                return end, phrase
        return None

    def first(self, stems: list[str]) -> tuple[int, tuple[str, ...]] | None:
        """(start, phrase) of the first phrase in the text, or None."""
        for pos in range(len(stems)):
            found = self.at(stems, pos)
            if found is not None:
                return pos, found[1]
        return None


@dataclass(frozen=True, slots=True)
class ParticipantWords:
    """The stemmed word lists of the thesaurus's `participants` section."""

    team_forms: Phrases
    course_words: Phrases
    staff: Phrases
    materials: frozenset[str]
    pupils: frozenset[str]
    parents_together: Phrases
    parents: frozenset[str]
    parents_act: frozenset[str]
    together_with: Phrases
    develop_staff: frozenset[str] = frozenset()


def compile_participant_words(raw: dict) -> ParticipantWords:
    """Stem every entry once; entries of several words become stem tuples."""

    def phrases(name: str) -> Phrases:
        stemmed = (tuple(stem(t) for t in tokenize(w)) for w in raw.get(name, ()) if w)
        return Phrases.of(frozenset(p for p in stemmed if p))

    return ParticipantWords(
        team_forms=phrases("team_forms"),
        course_words=phrases("course_words"),
        staff=phrases("staff"),
        materials=frozenset(stem(w) for w in raw.get("materials", ())),
        pupils=frozenset(stem(w) for w in raw.get("pupils", ())),
        parents_together=phrases("parents_together"),
        parents=frozenset(stem(t) for w in raw.get("parents", ()) for t in tokenize(w)[:1]),
        parents_act=frozenset(stem(w) for w in raw.get("parents_act", ())),
        together_with=phrases("together_with"),
        develop_staff=frozenset(stem(w) for w in raw.get("develop_staff", ())),
    )


@dataclass(frozen=True, slots=True)
class ParticipantsReading:
    """Who takes part, whether that was given or read from the text, and the words why."""

    value: str
    source: str
    triggers: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """One Dutch sentence for a provider, a curator or a coördinator."""
        if self.source == GIVEN:
            return "De aanbieder of de curator heeft dit opgegeven."
        if not self.triggers:
            return "Niets in de tekst wijst op een cursus voor het team of op ouders die meedoen."
        quoted = " en ".join(f"'{t}'" for t in self.triggers[:3])
        return f"Gelezen uit de tekst: die noemt {quoted}."


def _has_any(stems: list[str], phrases: Phrases, th: Thesaurus, tokens: list[str]) -> str | None:
    """The first phrase found, also as a part of a compound ("docententraining")."""
    found = phrases.first(stems)
    if found is not None:
        return " ".join(found[1])
    singles = phrases.singles
    for token in tokens:
        if len(token) >= 6 and singles.intersection(th.parts(token)):
            return token
    return None


def _is_staff_at(stems: list[str], pos: int, words: ParticipantWords) -> str | None:
    found = words.staff.at(stems, pos)
    return None if found is None else " ".join(found[1])


def _whom(stems: list[str], voor: int, words: ParticipantWords) -> tuple[str, str] | None:
    """Whom "voor" at position `voor` points to: ("staff"|"pupils", word), skipping fillers."""
    pos = voor + 1
    while pos < len(stems) and pos <= voor + 3 and stems[pos] in _FILLERS:
        pos += 1
    if pos >= len(stems):
        return None
    staff = _is_staff_at(stems, pos, words)
    if staff:
        return "staff", staff
    if stems[pos] in words.pupils:
        return "pupils", stems[pos]
    return None


def _team_evidence(title: list[str], sentences: list[list[str]], th: Thesaurus,
                   words: ParticipantWords, title_tokens: list[str]) -> tuple[float, list[str]]:
    """How strongly the text says the activity is for staff, with the words that say so.

    A staff form in the title ("Teamscholing ...") is nearly enough alone; a course word
    ("training") needs the text to say whom it is for; pupils as whom it is for, or in the
    title, count against.
    """
    score, triggers = 0.0, []
    form = _has_any(title, words.team_forms, th, title_tokens)
    if form:
        score += 3.0
        triggers.append(form)
    else:
        course = words.course_words.first(title)
        if course:
            score += 1.0
            triggers.append(" ".join(course[1]))
    if any(_is_staff_at(title, i, words) for i in range(len(title))):
        score += 1.0
    if set(title) & words.pupils - _PLACES:
        score -= 1.0
    for_staff = addressed = staff_subject = pupil_subject = described = False
    for_pupils = 0.0
    role_weight = 0.0
    developed = course_described = False
    for number, stems in enumerate([title, *sentences]):
        for i, word in enumerate(stems):
            if word != _VOOR:
                continue
            target = _whom(stems, i, words)
            if target is None:
                continue
            if target[0] == "pupils":
                # "voor kinderen" says whom it is for; "werkvormen voor de klas" less so.
                for_pupils = max(for_pupils, 0.5 if target[1] in _PLACES else 1.5)
            elif not words.materials.intersection(stems[max(0, i - 2) : i]):
                if not for_staff:
                    triggers.append(f"voor {target[1]}")
                for_staff = True
        role = _as_staff(stems, words, skip_first=number > 0)
        if role and role[1] > role_weight:
            role_weight = role[1]
            triggers.append(role[0])
        developed = developed or any(
            w in words.develop_staff and _whom_after(stems, i, words) == "staff"
            for i, w in enumerate(stems)
        )
        if number == 0:
            continue
        lead = 0
        while lead < len(stems) and stems[lead] in _SUBJECT_LEAD:
            lead += 1
        if lead < len(stems):
            # "De leerkracht krijgt een lesbrief" is about material for a pupil activity.
            staff_subject = staff_subject or bool(
                _is_staff_at(stems, lead, words) and not words.materials.intersection(stems)
            )
            pupil_subject = pupil_subject or stems[lead] in words.pupils
        pairs = _ADDRESSED.intersection(zip(stems, stems[1:], strict=False))
        if pairs and not addressed:
            addressed = True
            triggers.append(" ".join(min(pairs)))
        if not course_described and words.course_words.first(stems) is not None:
            course_described = not words.materials.intersection(stems)
        if number <= 2 and not described and not form:
            found = _has_any(stems, words.team_forms, th, stems)
            if found and not words.materials.intersection(stems):
                described = True
                triggers.append(found)
    score += 1.5 * for_staff - for_pupils + 1.0 * staff_subject + 1.0 * addressed
    score += 1.5 * described - 0.5 * pupil_subject + role_weight + 1.5 * developed
    # A course word in the text ("in deze training") adds to what already points to staff.
    if score > 0 and course_described and not form:
        score += 0.5
    return score, triggers


def _as_staff(stems: list[str], words: ParticipantWords, skip_first: bool
              ) -> tuple[str, float] | None:
    """ "ben je leerkracht", "als leerkracht": the text speaks to staff in their role, with
    how much that says. "Als leerkracht" opening a sentence counts as its subject instead."""
    best: tuple[str, float] | None = None
    for i, word in enumerate(stems):
        weight = _ROLE_LEADS.get(word)
        if weight is None or (skip_first and i == 0 and weight < 2.0):
            continue
        pos = i + 1
        while pos < len(stems) and pos <= i + 2 and stems[pos] in _ROLE_SKIP:
            pos += 1
        if pos < len(stems) and _is_staff_at(stems, pos, words) and (
            best is None or weight > best[1]
        ):
            best = (" ".join(stems[i : pos + 1]), weight)
    return best


def _whom_after(stems: list[str], pos: int, words: ParticipantWords) -> str | None:
    """ "staff" when staff follow position `pos` (after fillers), else None."""
    target = _whom(stems, pos, words)
    return None if target is None else target[0]


_PARENT_REACH = 3  # words between "samen met" and "ouders", or "ouders" and what they do


def _parents_together(stems: list[str], words: ParticipantWords) -> str | None:
    """The words that say parents take part themselves, or None.

    "samen met hun vader of moeder", "ouders vertellen zelf", "ouder-kindatelier": parents
    together with the children or doing something themselves; "zonder ouders" does not count.
    """
    for start in range(len(stems)):
        found = words.parents_together.at(stems, start)
        if found and not NEGATIONS.intersection(stems[max(0, start - 2) : start]):
            return " ".join(found[1])
    for pos, word in enumerate(stems):
        if word not in words.parents or NEGATIONS.intersection(stems[max(0, pos - 3) : pos]):
            continue
        before = stems[max(0, pos - _PARENT_REACH - 1) : pos]
        together = words.together_with.first(before)
        if together is not None:
            return " ".join((*before[together[0] :], word))
        if pos + 1 < len(stems) and stems[pos + 1].startswith("kind"):
            return f"{word} {stems[pos + 1]}"  # "ouder-kindatelier" as two tokens
        after = stems[pos + 1 : pos + 1 + _PARENT_REACH]
        acting = [w for w in after if w in words.parents_act]
        if acting:
            return f"{word} {acting[0]}"
    return None


def read_participants(activity: Activity, thesaurus: Thesaurus | None = None
                      ) -> ParticipantsReading:
    """Who takes part: the given value, else what the title and description say."""
    if activity.participants:
        return ParticipantsReading(activity.participants, GIVEN)
    th = thesaurus or load_thesaurus()
    words = th.participant_words
    title_tokens = tokenize(activity.title)
    title = [stem(t) for t in title_tokens]
    sentence_tokens = [tokenize(s) for s in _SENTENCE.split(activity.description)]
    sentences = [[stem(t) for t in tokens] for tokens in sentence_tokens if tokens]
    score, triggers = _team_evidence(title, sentences, th, words, title_tokens)
    if score >= _TEAM_THRESHOLD:
        value, found = TEAM, triggers
    else:
        parents = _parents_together(title + [w for s in sentences for w in s], words)
        value, found = (LEERLINGEN_EN_OUDERS, [parents]) if parents else (LEERLINGEN, [])
    # The reasons quote the text as written, not the stems the reading compares.
    written = {}
    for token in [*title_tokens, *(t for tokens in sentence_tokens for t in tokens)]:
        written.setdefault(stem(token), token)
    quoted = tuple(" ".join(written.get(w, w) for w in t.split()) for t in found)
    return ParticipantsReading(value, READ, quoted)
