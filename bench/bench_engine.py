"""Benchmark of the matching engine on synthetic but realistic Dutch culture offers.

The offers, requests and queries come from bench/synthetic.py (with courses for the team and
requests for them, so hard rule 0 is exercised).

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
sys.path.insert(0, str(ROOT / "bench"))  # also when loaded by file path (the tests)

from synthetic import (  # noqa: E402 - the repo root must be importable first
    COMPETENCES,
    DISCIPLINE_WORDS,
    INTERVENTIONS,
    make_activity,
    make_providers,
    make_query,
    make_request,
)

from matcher.engine import Catalogue  # noqa: E402
from matcher.exchange import (  # noqa: E402
    parse_offers,
    parse_request,
    to_engine_offers,
    to_engine_request,
)

__all__ = [  # the generator as the tests and bench_http.py import it from here
    "COMPETENCES",
    "DISCIPLINE_WORDS",
    "INTERVENTIONS",
    "make_activity",
    "make_providers",
    "make_query",
    "make_request",
]

SAMPLES = ROOT / "tests" / "data" / "samples"


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
