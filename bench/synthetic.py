"""Synthetic but realistic Dutch culture offers, school requests and search queries.

Shared by bench_engine.py, bench_http.py and compare_commits.py. Deterministic by the seed of
the `random.Random` passed in, and independent of the engine revision: every value is drawn
first and only then handed to the dataclasses, keeping the keyword arguments the revision's
class has (`build`). A revision without `participants` (exchange 1.1) gets the same offers
and requests without that field.

Who takes part (hard rule 0): about 8% of the activities are courses for the school's team
(half with participants="team" given, half without, so the engine reads the text), about 3%
are for pupils with their parents, the rest for pupils (the value given for half of them);
about 10% of the requests look for a course for the team.
"""

from __future__ import annotations

import random
from dataclasses import fields
from typing import Any

from matcher.engine.model import Activity, Audience, MatchRequest, Provider, SearchFilters

LEERLINGEN, TEAM, LEERLINGEN_EN_OUDERS = "leerlingen", "team", "leerlingen-en-ouders"
TEAM_SHARE = 0.08  # activities that are courses for the team
PARENTS_SHARE = 0.03  # activities for pupils together with their parents
TEAM_REQUEST_SHARE = 0.10  # requests for a course for the team

GEMEENTEN = [
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Arnhem",
    "Enschede",
    "Amersfoort",
    "Zaanstad",
    "Den Bosch",
    "Haarlemmermeer",
    "Zwolle",
    "Zoetermeer",
    "Leiden",
    "Maastricht",
    "Dordrecht",
    "Ede",
    "Alphen aan den Rijn",
    "Westland",
    "Alkmaar",
    "Emmen",
    "Delft",
    "Venlo",
    "Deventer",
    "Sittard-Geleen",
    "Helmond",
    "Oss",
    "Amstelveen",
    "Hilversum",
    "Sudwest-Fryslan",
    "Heerlen",
    "Leeuwarden",
    "Schiedam",
    "Rijswijk",
    "Lelystad",
    "Westerkwartier",
    "Midden-Groningen",
    "Purmerend",
    "Roosendaal",
    "Gouda",
    "Vlaardingen",
]
# The closed lists of matcher/exchange/schema.py (exchange 1.1), written out so that every
# revision of the engine gets exactly the same data, whatever its schema module says.
KINDS = [
    "penvoerder",
    "icc-trainer",
    "museum",
    "jeugdtheater",
    "kunstvakdocent",
    "muziekschool",
    "cultuurcentrum",
    "bibliotheek",
    "erfgoed",
    "overig",
]
DISCIPLINE_WORDS = {
    "theater": ["theater", "toneel", "drama", "spel", "voorstelling", "improvisatie"],
    "dans": ["dans", "hiphop", "streetdance", "beweging", "choreografie"],
    "muziek": ["muziek", "zingen", "band", "drums", "liedjes", "ritme"],
    "beeldend": ["tekenen", "schilderen", "klei", "beeldhouwen", "collage", "ontwerpen"],
    "media": ["film", "animatie", "fotografie", "vlog", "podcast", "stop-motion"],
    "literatuur": ["lezen", "verhalen", "gedichten", "voorlezen", "schrijven", "boeken"],
    "erfgoed": ["museum", "geschiedenis", "collectie", "monumenten", "archeologie"],
}
FORMATS = [
    "voorstelling",
    "workshop",
    "lessenreeks",
    "project",
    "rondleiding",
    "naschools-programma",
]
PERIODS = [
    "schooltijd",
    "naschools",
    "weekend",
    "herfstvakantie",
    "kerstvakantie",
    "voorjaarsvakantie",
    "meivakantie",
    "zomervakantie",
]
COMPETENCES = [
    "welbevinden",
    "betrokkenheid",
    "samenwerken",
    "zelfvertrouwen",
    "emotieregulatie",
    "inlevingsvermogen",
    "sociaal-initiatief",
    "opkomen-voor-jezelf",
    "omgaan-met-conflict",
    "reflecteren",
]
INTERVENTIONS = [
    "cultuureducatie",
    "zomerschool",
    "uitbreiding-onderwijstijd",
    "welbevinden",
    "samenwerkend-leren",
    "metacognitie",
    "ouderbetrokkenheid",
    "loopbaanorientatie",
    "gesproken-taal",
    "schrijfonderwijs",
]
THEMES = {
    "zomerschool": [
        "in de zomervakantie",
        "een week lang elke ochtend",
        "als vakantieschool",
        "tijdens de zomerweken",
    ],
    "uitbreiding-onderwijstijd": [
        "na schooltijd",
        "op woensdagmiddag",
        "als verlengde schooldag",
        "elke week na school",
    ],
    "welbevinden": [
        "over vriendschap en pesten",
        "waarin kinderen emoties leren uiten",
        "over boosheid en verdriet",
        "om zelfvertrouwen te vergroten",
    ],
    "samenwerkend-leren": [
        "in groepjes met elk een eigen taak",
        "waarin ze samenwerken",
        "als team",
    ],
    "metacognitie": [
        "en kijken terug op hun eigen werkproces",
        "met een eigen planning",
        "en reflecteren op hun keuzes",
    ],
    "ouderbetrokkenheid": [
        "samen met hun ouders",
        "met een presentatie voor ouders",
        "met het hele gezin",
    ],
    "loopbaanorientatie": [
        "met een kijkje achter de schermen",
        "en ontmoeten vakmensen",
        "en leren beroepen kennen",
    ],
    "gesproken-taal": [
        "en leren nieuwe woorden",
        "en vertellen hun verhaal",
        "met een debat in de klas",
    ],
    "schrijfonderwijs": ["en schrijven hun eigen tekst", "met creatief schrijven"],
    "cultuureducatie": ["met een echte kunstenaar", "in het atelier", "op het podium"],
}
TITLE_PREFIX = ["", "", "", "Zomer", "Vakantie", "Kunst", "Samen", "Jong", "Stads", "Wereld"]
TITLE_SUFFIX = [
    "week",
    "lab",
    "atelier",
    "club",
    "reis",
    "feest",
    "workshop",
    "project",
    "middag",
    "avontuur",
]
OPENINGS = ["Leerlingen", "Kinderen", "De klas", "Jongeren", "Groepjes leerlingen"]
VERBS = ["maken", "ontdekken", "onderzoeken", "spelen", "oefenen met", "werken aan"]


# Courses for the team: the form says so ("Teamscholing", "Studiedag"), or a course word and
# whom it is for ("Training ... voor leerkrachten").
TEAM_TITLES = [
    "Teamscholing {word}",
    "Studiedag voor leerkrachten: {word} in de klas",
    "Nascholing {word} voor het team",
    "Training {word} voor leerkrachten",
    "Teamtraining {word}",
    "Studiemiddag {word} voor het schoolteam",
]
TEAM_OPENINGS = [
    "Een studiedag voor leerkrachten over {word} in de klas.",
    "Een nascholing voor het hele team over {word}.",
    "In deze training voor leerkrachten werkt u met {word}.",
    "Teamscholing over {word} voor leerkrachten en de cultuurcoordinator.",
]
TEAM_THEMES = {
    "cultuureducatie": ["over kunst en cultuur in uw lessen", "met een kunstenaar als coach"],
    "samenwerkend-leren": ["over samenwerkend leren in groepjes", "over rollen in de groep"],
    "metacognitie": ["over reflecteren op het eigen leerproces", "over plannen en terugkijken"],
    "welbevinden": ["over het welbevinden van de klas", "over emoties en een veilig klimaat"],
    "gesproken-taal": ["over woordenschat en het klassengesprek", "over vertellen in de klas"],
    "schrijfonderwijs": ["over creatief schrijven in de les", "over schrijven bij kunst"],
}
TEAM_INTERVENTIONS = list(TEAM_THEMES)
# Pupils with their parents: they take part together.
PARENT_TITLES = ["Ouder-kind{word}", "Familie{word}", "Samen met ouders: {word}"]
PARENT_SENTENCES = [
    "Kinderen {verb} {word} samen met hun ouders.",
    "Ouders doen mee en {verb} {word} met hun kind.",
    "Een middag voor ouder en kind: samen {word}.",
]


def build(cls: type, values: dict[str, Any]) -> Any:
    """`cls(**values)` with only the fields this revision's `cls` has.

    Keys that no revision has (`participants_truth`: who really takes part, the generator's
    truth for checking rule 0) are left out too.
    """
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in names})


def missing_fields(cls: type, values: dict[str, Any]) -> list[str]:
    """The keyword arguments `build` leaves out because this revision's `cls` lacks them."""
    names = {f.name for f in fields(cls)}
    return sorted(k for k in values if k not in names and k != "participants_truth")


def typo(word: str, rng: random.Random) -> str:
    """One swapped, dropped or doubled letter, as people type."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    choice = rng.randrange(3)
    if choice == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if choice == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def make_providers(count: int, rng: random.Random) -> list[Provider]:
    """Providers spread over the gemeenten; a few work nationwide."""
    out = []
    for i in range(count):
        home = rng.choice(GEMEENTEN)
        if rng.random() < 0.03:
            serves: tuple[str, ...] = ("*",)
        else:
            serves = tuple(dict.fromkeys([home, *rng.sample(GEMEENTEN, rng.randrange(0, 4))]))
        out.append(Provider(f"prov-{i}", f"Aanbieder {i}", rng.choice(KINDS), home, serves))
    return out


def _grades(sector: str, rng: random.Random) -> tuple[int, ...]:
    top = 6 if sector == "vo" else 8
    first = rng.randrange(1, top + 1)
    return tuple(range(first, min(top, first + rng.randrange(1, 5)) + 1))


def _price(per: str, rng: random.Random, scale: int = 1) -> float:
    amount = {
        "groep": rng.randrange(150, 3000) * scale,
        "leerling": rng.randrange(2, 40) * scale,
        "sessie": rng.randrange(60, 300) * scale,
    }[per]
    return float(amount)


def pupil_activity_values(
    i: int, providers: list[Provider], rng: random.Random, with_parents: bool = False
) -> dict[str, Any]:
    """An activity for pupils (with their parents when `with_parents`)."""
    disciplines = rng.sample(list(DISCIPLINE_WORDS), rng.choice([1, 1, 1, 2]))
    main = disciplines[0]
    theme = rng.choice(INTERVENTIONS)
    word = rng.choice(DISCIPLINE_WORDS[main])
    title = f"{rng.choice(TITLE_PREFIX)}{word}{rng.choice(TITLE_SUFFIX)}".capitalize()
    sentences = [
        f"{rng.choice(OPENINGS)} {rng.choice(VERBS)} {word} {rng.choice(THEMES[theme])}.",
        f"Met {rng.choice(DISCIPLINE_WORDS[main])} en {rng.choice(DISCIPLINE_WORDS[main])}.",
    ]
    if rng.random() < 0.5:
        other = rng.choice(INTERVENTIONS)
        sentences.append(f"We werken {rng.choice(THEMES[other])}.")
    participants = LEERLINGEN
    if with_parents:
        participants = LEERLINGEN_EN_OUDERS
        title = rng.choice(PARENT_TITLES).format(word=word).capitalize()
        verb = rng.choice(["maken", "spelen", "ontdekken", "oefenen met"])
        sentences.insert(1, rng.choice(PARENT_SENTENCES).format(verb=verb, word=word))
    sector = rng.choice(["po", "po", "po", "vo", "so"])
    grades = _grades(sector, rng)
    group_min = rng.choice([1, 5, 8, 10, 12, 15])
    sessions = 1 if rng.random() < 0.4 else rng.randrange(2, 13)
    periods = ["schooltijd"] if rng.random() < 0.6 else rng.sample(PERIODS, rng.randrange(1, 3))
    if theme == "zomerschool" and rng.random() < 0.7:
        periods = ["zomervakantie"]
    if theme == "uitbreiding-onderwijstijd" and rng.random() < 0.7:
        periods = ["naschools"]
    per = rng.choice(["groep", "leerling", "sessie"])
    return {
        "key": f"act-{i}",
        "provider_key": rng.choice(providers).key,
        "title": title,
        "description": " ".join(sentences),
        "disciplines": tuple(disciplines),
        "format": rng.choice(FORMATS),
        "audience": (Audience(sector, grades),),
        "group_min": group_min,
        "group_max": group_min + rng.randrange(10, 40),
        "sessions": sessions,
        "minutes_per_session": rng.choice([45, 60, 90, 120]),
        "periods": tuple(periods),
        "location": rng.choice(["op-school", "op-locatie", "beide"]),
        "price_amount": _price(per, rng),
        "price_per": per,
        "interventions": (theme,) if rng.random() < 0.3 else (),
        "competences": tuple(rng.sample(COMPETENCES, rng.randrange(0, 3))),
        # Given for half of them; absent, the engine reads the text.
        "participants": participants if rng.random() < 0.5 else None,
        "participants_truth": participants,
    }


def team_course_values(i: int, providers: list[Provider], rng: random.Random) -> dict[str, Any]:
    """A course for the school's team about one discipline and one intervention."""
    main = rng.choice(list(DISCIPLINE_WORDS))
    word = rng.choice(DISCIPLINE_WORDS[main])
    theme = rng.choice(TEAM_INTERVENTIONS)
    sentences = [
        rng.choice(TEAM_OPENINGS).format(word=word),
        f"U leert {rng.choice(TEAM_THEMES[theme])}.",
        f"Met {rng.choice(DISCIPLINE_WORDS[main])} en {rng.choice(DISCIPLINE_WORDS[main])}.",
    ]
    sector = rng.choice(["po", "po", "vo", "so"])
    group_min = rng.choice([4, 6, 8, 10])
    per = rng.choice(["groep", "groep", "leerling", "sessie"])
    return {
        "key": f"act-{i}",
        "provider_key": rng.choice(providers).key,
        "title": rng.choice(TEAM_TITLES).format(word=word),
        "description": " ".join(sentences),
        "disciplines": (main,),
        "format": rng.choice(["workshop", "lessenreeks", "project"]),
        "audience": (Audience(sector, _grades(sector, rng)),),
        "group_min": group_min,
        "group_max": group_min + rng.randrange(10, 30),
        "sessions": rng.choice([1, 1, 2, 3, 4]),
        "minutes_per_session": rng.choice([90, 120, 180, 240]),
        "periods": tuple(rng.sample(["schooltijd", "naschools"], rng.randrange(1, 3))),
        "location": rng.choice(["op-school", "op-locatie", "beide"]),
        "price_amount": _price(per, rng, scale=2),
        "price_per": per,
        "interventions": (theme,) if rng.random() < 0.4 else (),
        "competences": (),
        # Given for half of them; absent, the engine reads the text.
        "participants": TEAM if rng.random() < 0.5 else None,
        "participants_truth": TEAM,
    }


def activity_values(i: int, providers: list[Provider], rng: random.Random) -> dict[str, Any]:
    """The keyword arguments of one activity: a team course, pupils with parents, or pupils."""
    roll = rng.random()
    if roll < TEAM_SHARE:
        return team_course_values(i, providers, rng)
    return pupil_activity_values(i, providers, rng, with_parents=roll < TEAM_SHARE + PARENTS_SHARE)


def make_activity(i: int, providers: list[Provider], rng: random.Random) -> Activity:
    """One activity with a title and description drawn from realistic Dutch phrases."""
    return build(Activity, activity_values(i, providers, rng))


def request_values(i: int, rng: random.Random) -> dict[str, Any]:
    """A school request with wishes that contain synonyms and typos; some for the team."""
    team = rng.random() < TEAM_REQUEST_SHARE
    sector = rng.choice(["po", "po", "vo"])
    top = 6 if sector == "vo" else 8
    grade = rng.randrange(1, top + 1)
    discipline = rng.choice(list(DISCIPLINE_WORDS))
    words = [
        rng.choice(DISCIPLINE_WORDS[discipline]),
        rng.choice(["samen", "emoties", "zomer", "ouders", "beroepen"]),
    ]
    if rng.random() < 0.3:
        words[0] = typo(words[0], rng)
    values: dict[str, Any] = {
        "key": f"req-{i}",
        "school_name": f"School {i}",
        "sector": sector,
        "gemeente": rng.choice(GEMEENTEN),
        "interventions": tuple(rng.sample(INTERVENTIONS, rng.choice([1, 1, 2]))),
        "grades": (grade, min(top, grade + 1)),
        "pupils": rng.randrange(15, 60),
        "periods": tuple(rng.sample(PERIODS, rng.choice([0, 1, 1, 2]))),
        "budget": rng.choice([None, 500.0, 1500.0, 3000.0, 6000.0]),
        "disciplines": (discipline,) if rng.random() < 0.5 else (),
        "competences": (rng.choice(COMPETENCES),) if rng.random() < 0.4 else (),
        "location": rng.choice(["geen-voorkeur", "op-school", "op-locatie"]),
        "wishes": " ".join(words),
        "participants": LEERLINGEN,
    }
    if team:  # a course for the staff: `pupils` counts them
        values.update(
            interventions=tuple(rng.sample(TEAM_INTERVENTIONS, rng.choice([1, 1, 2]))),
            grades=tuple(range(1, top + 1)),
            pupils=rng.randrange(6, 40),
            periods=tuple(rng.sample(["schooltijd", "naschools"], rng.choice([0, 1]))),
            budget=rng.choice([None, 1500.0, 3000.0, 6000.0]),
            wishes=rng.choice(["teamscholing", "studiedag", "training"]) + " " + words[0],
            participants=TEAM,
        )
    return values


def make_request(i: int, rng: random.Random) -> MatchRequest:
    """A school request (pupils, or about 10% for the team)."""
    return build(MatchRequest, request_values(i, rng))


def query_values(rng: random.Random) -> tuple[str, dict[str, Any]]:
    """A search box query, sometimes with a typo, sometimes with a filter (as keywords)."""
    discipline = rng.choice(list(DISCIPLINE_WORDS))
    q = rng.choice(DISCIPLINE_WORDS[discipline])
    if rng.random() < 0.3:
        q = typo(q, rng)
    if rng.random() < 0.3:
        q += " " + rng.choice(["zomer", "samen", "ouders", "museum", "na schooltijd"])
    filters = rng.choice(
        [
            {},
            {"gemeente": rng.choice(GEMEENTEN)},
            {"sector": "po", "grade": rng.randrange(1, 9)},
            {"period": rng.choice(PERIODS)},
        ]
    )
    if rng.random() < 0.05:  # the participants facet (a revision without it ignores it)
        filters = {"participants": TEAM}
        q = rng.choice(["studiedag", "teamscholing", "training"]) + " " + q
    return q, filters


def make_query(rng: random.Random) -> tuple[str, SearchFilters]:
    """A search box query and its filters."""
    q, filters = query_values(rng)
    return q, build(SearchFilters, filters)
