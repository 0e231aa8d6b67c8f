"""Benchmark of the matching engine on synthetic but realistic Dutch culture offers.

Measures, per catalogue size: index build time, memory of the warm index (RSS delta), match
and search latency (p50/p95), incremental update time, and a brute-force baseline
(rapidfuzz.process.extract with WRatio over all titles and descriptions) on the same data.
Then compares the quality (nDCG@5) of engine and baseline on the shared samples.

usage: python bench/bench_engine.py [--sizes 10000 100000] [--quick] [--seed 7]
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matcher.engine import (  # noqa: E402 - the repo root must be importable first
    Activity,
    Audience,
    Catalogue,
    MatchRequest,
    Provider,
    SearchFilters,
)
from matcher.exchange import (  # noqa: E402
    parse_offers,
    parse_request,
    to_engine_offers,
    to_engine_request,
)
from matcher.exchange.schema import FORMATS as ACTIVITY_FORMATS  # noqa: E402
from matcher.exchange.schema import PERIODS as ACTIVITY_PERIODS  # noqa: E402
from matcher.exchange.schema import PROVIDER_KINDS  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "samples"

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
KINDS = list(PROVIDER_KINDS)
DISCIPLINE_WORDS = {
    "theater": ["theater", "toneel", "drama", "spel", "voorstelling", "improvisatie"],
    "dans": ["dans", "hiphop", "streetdance", "beweging", "choreografie"],
    "muziek": ["muziek", "zingen", "band", "drums", "liedjes", "ritme"],
    "beeldend": ["tekenen", "schilderen", "klei", "beeldhouwen", "collage", "ontwerpen"],
    "media": ["film", "animatie", "fotografie", "vlog", "podcast", "stop-motion"],
    "literatuur": ["lezen", "verhalen", "gedichten", "voorlezen", "schrijven", "boeken"],
    "erfgoed": ["museum", "geschiedenis", "collectie", "monumenten", "archeologie"],
}
FORMATS = list(ACTIVITY_FORMATS)
PERIODS = list(ACTIVITY_PERIODS)
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


def make_activity(i: int, providers: list[Provider], rng: random.Random) -> Activity:
    """One activity with a title and description drawn from realistic Dutch phrases."""
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
    sector = rng.choice(["po", "po", "po", "vo", "so"])
    top = 6 if sector == "vo" else 8
    first = rng.randrange(1, top + 1)
    grades = tuple(range(first, min(top, first + rng.randrange(1, 5)) + 1))
    group_min = rng.choice([1, 5, 8, 10, 12, 15])
    sessions = 1 if rng.random() < 0.4 else rng.randrange(2, 13)
    periods = ["schooltijd"] if rng.random() < 0.6 else rng.sample(PERIODS, rng.randrange(1, 3))
    if theme == "zomerschool" and rng.random() < 0.7:
        periods = ["zomervakantie"]
    if theme == "uitbreiding-onderwijstijd" and rng.random() < 0.7:
        periods = ["naschools"]
    per = rng.choice(["groep", "leerling", "sessie"])
    amount = {
        "groep": rng.randrange(150, 3000),
        "leerling": rng.randrange(2, 40),
        "sessie": rng.randrange(60, 300),
    }[per]
    return Activity(
        key=f"act-{i}",
        provider_key=rng.choice(providers).key,
        title=title,
        description=" ".join(sentences),
        disciplines=tuple(disciplines),
        format=rng.choice(FORMATS),
        audience=(Audience(sector, grades),),
        group_min=group_min,
        group_max=group_min + rng.randrange(10, 40),
        sessions=sessions,
        minutes_per_session=rng.choice([45, 60, 90, 120]),
        periods=tuple(periods),
        location=rng.choice(["op-school", "op-locatie", "beide"]),
        price_amount=float(amount),
        price_per=per,
        interventions=(theme,) if rng.random() < 0.3 else (),
        competences=tuple(rng.sample(COMPETENCES, rng.randrange(0, 3))),
    )


def make_request(i: int, rng: random.Random) -> MatchRequest:
    """A school request with wishes that contain synonyms and typos."""
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
    return MatchRequest(
        key=f"req-{i}",
        school_name=f"School {i}",
        sector=sector,
        gemeente=rng.choice(GEMEENTEN),
        interventions=tuple(rng.sample(INTERVENTIONS, rng.choice([1, 1, 2]))),
        grades=(grade, min(top, grade + 1)),
        pupils=rng.randrange(15, 60),
        periods=tuple(rng.sample(PERIODS, rng.choice([0, 1, 1, 2]))),
        budget=rng.choice([None, 500.0, 1500.0, 3000.0, 6000.0]),
        disciplines=(discipline,) if rng.random() < 0.5 else (),
        competences=(rng.choice(COMPETENCES),) if rng.random() < 0.4 else (),
        location=rng.choice(["geen-voorkeur", "op-school", "op-locatie"]),
        wishes=" ".join(words),
    )


def make_query(rng: random.Random) -> tuple[str, SearchFilters]:
    """A search box query, sometimes with a typo, sometimes with a filter."""
    discipline = rng.choice(list(DISCIPLINE_WORDS))
    q = rng.choice(DISCIPLINE_WORDS[discipline])
    if rng.random() < 0.3:
        q = typo(q, rng)
    if rng.random() < 0.3:
        q += " " + rng.choice(["zomer", "samen", "ouders", "museum", "na schooltijd"])
    filters = rng.choice(
        [
            SearchFilters(),
            SearchFilters(gemeente=rng.choice(GEMEENTEN)),
            SearchFilters(sector="po", grade=rng.randrange(1, 9)),
            SearchFilters(period=rng.choice(PERIODS)),
        ]
    )
    return q, filters


def rss_bytes() -> int:
    """Resident set size of this process (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return p50, p95


def bench_size(size: int, seed: int, n_requests: int, n_baseline: int) -> dict[str, float]:
    """All measurements for one catalogue size."""
    rng = random.Random(seed)
    providers = make_providers(max(10, size // 25), rng)
    activities = [make_activity(i, providers, rng) for i in range(size)]
    requests = [make_request(i, rng) for i in range(n_requests)]
    queries = [make_query(rng) for _ in range(n_requests)]

    gc.collect()
    before = rss_bytes()
    start = time.perf_counter()
    catalogue = Catalogue(providers, activities)
    build = time.perf_counter() - start
    gc.collect()
    memory = (rss_bytes() - before) / 2**20

    for request in requests[:5]:  # warm caches as a running server would have them
        catalogue.match(request)
    match_ms = [timed(lambda r=r: catalogue.match(r, limit=10)) for r in requests]
    search_ms = [timed(lambda q=q, f=f: catalogue.search(q, f, 0, 20)) for q, f in queries]
    candidates = statistics.mean(len(catalogue.match(r, limit=None)) for r in requests[:20])

    updates = [make_activity(size + i, providers, rng) for i in range(100)]
    update_ms = [timed(lambda a=a: catalogue.add_or_update(a)) for a in updates]
    update_ms += [timed(lambda a=a: catalogue.remove(a.key)) for a in updates]

    texts = [f"{a.title} {a.description}" for a in activities]
    baseline_ms = [
        timed(lambda r=r: process.extract(r.wishes, texts, scorer=fuzz.WRatio, limit=10))
        for r in requests[:n_baseline]
    ]
    match_p50, match_p95 = percentiles(match_ms)
    search_p50, search_p95 = percentiles(search_ms)
    base_p50, base_p95 = percentiles(baseline_ms)
    update_p50, update_p95 = percentiles(update_ms)
    return {
        "size": size,
        "build_s": build,
        "memory_mb": memory,
        "match_p50": match_p50,
        "match_p95": match_p95,
        "feasible": candidates,
        "search_p50": search_p50,
        "search_p95": search_p95,
        "update_p50": update_p50,
        "update_p95": update_p95,
        "base_p50": base_p50,
        "base_p95": base_p95,
        "ratio": base_p50 / match_p50,
    }


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def sample_quality() -> dict[str, float]:
    """nDCG@5 and misfits in the top 5 on the samples: engine vs brute-force fuzzy text."""
    offers = json.loads((SAMPLES / "offers.json").read_text("utf-8"))
    providers, activities = to_engine_offers(parse_offers(offers))
    catalogue = Catalogue(providers, activities)
    judgments = json.loads((SAMPLES / "judgments.json").read_text("utf-8"))
    misfits = json.loads((SAMPLES / "misfits.json").read_text("utf-8"))
    texts = {a.key: f"{a.title} {a.description}" for a in activities}
    result = {"engine": [], "baseline": [], "engine_misfits": 0, "baseline_misfits": 0}
    for path in sorted((SAMPLES / "requests").glob("*.json")):
        request = to_engine_request(parse_request(json.loads(path.read_text("utf-8"))))
        rel = judgments[request.key]
        ideal = dcg(sorted(rel.values(), reverse=True)[:5])
        engine = [m.activity_key for m in catalogue.match(request, limit=10)]
        found = process.extract(request.wishes, texts, scorer=fuzz.WRatio, limit=10)
        baseline = [key for _text, _score, key in found]
        for name, ranked in (("engine", engine), ("baseline", baseline)):
            result[name].append(dcg([rel.get(k, 0) for k in ranked[:5]]) / ideal)
            result[f"{name}_misfits"] += len(set(ranked[:5]) & set(misfits.get(request.key, [])))
    return {
        "engine_ndcg": statistics.mean(result["engine"]),
        "baseline_ndcg": statistics.mean(result["baseline"]),
        "engine_misfits": result["engine_misfits"],
        "baseline_misfits": result["baseline_misfits"],
    }


def print_table(rows: list[dict[str, float]]) -> None:
    header = (
        f"{'activities':>10} {'build s':>8} {'mem MB':>7} {'match p50':>9} {'p95':>7} "
        f"{'feasible':>8} {'search p50':>10} {'p95':>7} {'update p50':>10} {'p95':>6} "
        f"{'brute p50':>9} {'p95':>8} {'speed-up':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['size']:>10,} {r['build_s']:>8.1f} {r['memory_mb']:>7.0f} "
            f"{r['match_p50']:>7.2f}ms {r['match_p95']:>5.2f}ms {r['feasible']:>8.0f} "
            f"{r['search_p50']:>8.2f}ms {r['search_p95']:>5.2f}ms "
            f"{r['update_p50']:>8.3f}ms {r['update_p95']:>6.3f} "
            f"{r['base_p50']:>7.1f}ms {r['base_p95']:>6.1f}ms {r['ratio']:>7.0f}x"
        )
    print(
        "(times per call; feasible = mean number of activities obeying every hard rule;"
        " update = add_or_update or remove of one activity; speed-up = brute p50 / match p50)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--quick", action="store_true", help="a tiny run (1,000 activities)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--baseline-requests", type=int, default=50)
    args = parser.parse_args(argv)
    sizes = [1_000] if args.quick else args.sizes
    n_requests = 40 if args.quick else args.requests
    n_baseline = 10 if args.quick else args.baseline_requests
    rows = []
    for size in sizes:
        print(f"benchmarking {size:,} activities ...", file=sys.stderr, flush=True)
        rows.append(bench_size(size, args.seed, n_requests, n_baseline))
    print_table(rows)
    quality = sample_quality()
    print()
    print("quality on tests/data/samples (5 requests):")
    print(
        f"  engine      nDCG@5 {quality['engine_ndcg']:.3f}  misfits in top 5 "
        f"{quality['engine_misfits']}"
    )
    print(
        f"  brute force nDCG@5 {quality['baseline_ndcg']:.3f}  misfits in top 5 "
        f"{quality['baseline_misfits']}  (WRatio of wishes vs title+description, no rules)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
