"""The engine beside honest database peers: the same activities and requests, request by request.

usage: .venv/bin/python bench/bench_peer.py [--sizes 10000 100000] [--requests 300]
           [--typos 200] [--postgres URL] [--no-postgres] [--sets samples tuning ...]
           [--explain]

Peers (each gets the hard rules 0-5 as SQL WHERE, judged on the fields a database has: the
given participants, absent = leerlingen, like the baselines of bench/evaluate.py):

- postgres: hard rules as WHERE on array columns with GIN indexes, and a stored
  `to_tsvector('dutch', title (A) || description (B))` with a GIN index, ranked by claimed
  requested interventions, then `ts_rank`. Typos: every word of the wishes the lexicon does not
  know is expanded with its two nearest lexicon words by pg_trgm (`word % lexeme`, GIN
  trigram index on a table of the lexicon from ts_stat). One statement per request.
- sqlite: the same rules over side tables (audience, served places, periods, claims) and an
  FTS5 table (unicode61, no Dutch stemmer exists; every wish word as a prefix query), ranked by
  claims, then bm25. FTS5 has no typo tolerance.

Requests run interleaved (engine, postgres, sqlite, in turn, in a rotating order), so the load
of the shared machine falls on all three alike. Figures: build time, memory (engine: RSS
growth of this process over the build; databases: the size of their tables and indexes), match
latency p50/p95, typo hits (a request built from one activity whose wishes are one of its title
words with one typo: is that activity in the top 10? beside it the same requests without the
typo) and, on the graded sets of
bench/evaluate.py (loaded with its own `load_set`), nDCG@5 and misfits in the top 5 (the
engine here is `Catalogue.match` without the region's penvoerders, so its figures can differ a
little from `make evaluate`).

The tables live in schema `bench_peer` (PostgreSQL) and a temporary file (SQLite).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import evaluate as ev  # noqa: E402
from bench.synthetic import make_activity, make_providers, make_request, typo  # noqa: E402
from matcher.engine import Catalogue  # noqa: E402
from matcher.exchange import parse_offers, parse_request  # noqa: E402
from matcher.exchange.convert import (  # noqa: E402
    activity_to_dict,
    provider_to_dict,
    request_to_document,
    to_engine_offers,
    to_engine_request,
)
from matcher.matching import _cyclic_gc_paused  # noqa: E402

SCHEMA = "bench_peer"
LIMIT = 10


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(math.ceil(q * len(ordered))) - 1)]


# ----------------------------------------------------------------------------- rows


def peer_rows(providers: list[dict], activities: list[dict]) -> list[dict]:
    """One flat row per activity: what a database peer knows of it."""
    by_id = {p["id"]: p for p in providers}
    rows = []
    for a in activities:
        provider = by_id.get(a["provider"], {})
        rows.append(
            {
                "key": a["id"],
                "pupils": (a.get("participants") or "leerlingen") != "team",
                "audience": sorted(
                    {f"{x['sector']}:{g}" for x in a["audience"] for g in x["grades"]}
                ),
                "serves": sorted(set(provider.get("serves") or [provider.get("gemeente") or ""])),
                "periods": sorted(set(a["periods"])),
                "group_min": a["group_size"]["min"],
                "group_max": a["group_size"]["max"],
                "sessions": a["sessions"],
                "price_amount": float(a["price"]["amount"]),
                "price_per": a["price"]["per"],
                "interventions": sorted(set(a.get("interventions") or [])),
                "title": a["title"],
                "description": a["description"],
            }
        )
    return rows


def request_params(request: dict) -> dict:
    school = request["school"]
    return {
        "pupil_request": (request.get("participants") or "leerlingen") != "team",
        "audience": [f"{school['sector']}:{g}" for g in request["grades"]],
        "gemeente": school["gemeente"],
        "periods": list(request.get("periods") or []),
        "pupils": request["pupils"],
        "budget": request.get("budget"),
        "interventions": list(request["interventions"]),
        "wishes": request.get("wishes") or "",
    }


# ----------------------------------------------------------------------------- postgres

PG_TABLE = f"""
CREATE TABLE {SCHEMA}.activities (
    key text PRIMARY KEY, pupils boolean NOT NULL, audience text[] NOT NULL,
    serves text[] NOT NULL, periods text[] NOT NULL, group_min int NOT NULL,
    group_max int NOT NULL, sessions int NOT NULL, price_amount numeric NOT NULL,
    price_per text NOT NULL, interventions text[] NOT NULL, title text NOT NULL,
    description text NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch', title), 'A')
        || setweight(to_tsvector('dutch', description), 'B')) STORED)
"""
PG_INDEXES = [
    f"CREATE INDEX ON {SCHEMA}.activities USING gin (tsv)",
    f"CREATE INDEX ON {SCHEMA}.activities USING gin (audience)",
    f"CREATE INDEX ON {SCHEMA}.activities USING gin (serves)",
    f"CREATE INDEX ON {SCHEMA}.activities USING gin (interventions)",
    f"CREATE TABLE {SCHEMA}.words AS SELECT word FROM ts_stat("  # noqa: S608 (constants)
    f"'SELECT tsv FROM {SCHEMA}.activities')",
    f"CREATE INDEX ON {SCHEMA}.words USING gin (word public.gin_trgm_ops)",
    f"CREATE UNIQUE INDEX ON {SCHEMA}.words (word)",
    f"ANALYZE {SCHEMA}.activities",
    f"ANALYZE {SCHEMA}.words",
]
# %(...)s are psycopg parameters; the f-string fills in constants only.
PG_MATCH = f"""
WITH lex AS (
    SELECT unnest(tsvector_to_array(to_tsvector('dutch', %(wishes)s))) AS l
), expanded AS (
    SELECT l AS w FROM lex
    UNION
    SELECT near.word FROM lex CROSS JOIN LATERAL (
        SELECT word FROM {SCHEMA}.words
        WHERE word OPERATOR(public.%%) lex.l
          AND NOT EXISTS (SELECT 1 FROM {SCHEMA}.words k WHERE k.word = lex.l)
        ORDER BY word OPERATOR(public.<->) lex.l LIMIT 2) near
), q AS (
    SELECT to_tsquery('simple', string_agg(quote_literal(w), ' | ')) AS q FROM expanded
)
SELECT a.key,
       cardinality(ARRAY(SELECT unnest(a.interventions)
                         INTERSECT SELECT unnest(%(interventions)s::text[]))) AS claims,
       COALESCE(ts_rank(a.tsv, q.q), 0) AS rank
FROM {SCHEMA}.activities a, q
WHERE a.pupils = %(pupil_request)s                                   -- rule 0
  AND a.audience && %(audience)s::text[]                             -- rule 1
  AND a.serves && ARRAY['*', %(gemeente)s]::text[]                   -- rule 2
  AND (cardinality(%(periods)s::text[]) = 0
       OR a.periods && %(periods)s::text[])                          -- rule 3
  AND a.group_min <= %(pupils)s                                      -- rule 4
  AND (%(budget)s::numeric IS NULL OR CASE a.price_per               -- rule 5
        WHEN 'leerling' THEN a.price_amount * %(pupils)s
        WHEN 'groep' THEN a.price_amount * ceil(%(pupils)s::numeric / a.group_max)
        ELSE a.price_amount * a.sessions * ceil(%(pupils)s::numeric / a.group_max)
       END <= %(budget)s::numeric + 0.000001)
  AND (a.interventions && %(interventions)s::text[] OR a.tsv @@ q.q)
ORDER BY claims DESC, rank DESC, a.key
LIMIT {LIMIT}
"""  # noqa: S608


class Postgres:
    name = "postgres"

    def __init__(self, url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(
            url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
        )

    def build(self, rows: list[dict]) -> tuple[float, float]:
        cur = self.connection.cursor()
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        cur.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cur.execute(f"CREATE SCHEMA {SCHEMA}")
        cur.execute(PG_TABLE)
        started = time.perf_counter()
        columns = [c for c in rows[0] if c != "tsv"] if rows else []
        with cur.copy(f"COPY {SCHEMA}.activities ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        for statement in PG_INDEXES:
            cur.execute(statement)
        seconds = time.perf_counter() - started
        cur.execute(
            f"SELECT pg_total_relation_size('{SCHEMA}.activities') + "
            f"pg_total_relation_size('{SCHEMA}.words')"
        )
        return seconds, cur.fetchone()[0] / 1e6

    def match(self, request: dict) -> list[str]:
        cur = self.connection.cursor()
        cur.execute(PG_MATCH, request_params(request))
        return [row[0] for row in cur.fetchall()]

    def explain(self, request: dict) -> str:
        cur = self.connection.cursor()
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + PG_MATCH, request_params(request))
        return "\n".join(row[0] for row in cur.fetchall())

    def close(self) -> None:
        self.connection.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        self.connection.close()


# ----------------------------------------------------------------------------- sqlite

SQLITE_SCHEMA = """
CREATE TABLE activities (id INTEGER PRIMARY KEY, key TEXT UNIQUE, pupils INT, group_min INT,
    group_max INT, sessions INT, price_amount REAL, price_per TEXT);
CREATE TABLE audience (id INT, value TEXT);
CREATE TABLE serves (id INT, value TEXT);
CREATE TABLE periods (id INT, value TEXT);
CREATE TABLE claims (id INT, value TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, description,
    tokenize = 'unicode61 remove_diacritics 2');
"""
SQLITE_INDEXES = """
CREATE INDEX audience_value ON audience (value, id);
CREATE INDEX serves_value ON serves (value, id);
CREATE INDEX periods_value ON periods (id, value);
CREATE INDEX claims_id ON claims (id, value);
CREATE INDEX claims_value ON claims (value, id);
ANALYZE;
"""


def _in(name: str, values: list) -> tuple[str, list]:
    marks = ", ".join("?" for _ in values) or "NULL"
    return f"{name} IN ({marks})", list(values)


def sqlite_query(request: dict) -> tuple[str, list]:
    p = request_params(request)
    words = [w for w in re.findall(r"\w+", p["wishes"].lower()) if len(w) > 2]
    fts = " OR ".join(f'"{w}"*' for w in words)
    claims_in, claims_args = _in("c.value", p["interventions"])
    audience_in, audience_args = _in("x.value", p["audience"])
    periods_in, periods_args = _in("x.value", p["periods"])
    text_rank = (
        (
            "LEFT JOIN (SELECT rowid, bm25(fts, 2.0, 1.0) AS score FROM fts "
            "WHERE fts MATCH ?) f ON f.rowid = a.id"
        )
        if fts
        else ""
    )
    # Candidates from the indexes (a claim of a requested intervention, or the text), then
    # the rules on those: SQLite would otherwise scan every activity.
    text_candidates = "UNION SELECT rowid FROM fts WHERE fts MATCH ?" if fts else ""
    sql = f"""
SELECT a.key, (SELECT count(*) FROM claims c WHERE c.id = a.id AND {claims_in}) AS n,
       {"COALESCE(f.score, 0)" if fts else "0"} AS score
FROM activities a {text_rank}
WHERE a.id IN (SELECT c.id FROM claims c WHERE {claims_in} {text_candidates})
  AND a.pupils = ?
  AND EXISTS (SELECT 1 FROM audience x WHERE x.id = a.id AND {audience_in})
  AND EXISTS (SELECT 1 FROM serves x WHERE x.id = a.id AND x.value IN ('*', ?))
  AND (? = 0 OR EXISTS (SELECT 1 FROM periods x WHERE x.id = a.id AND {periods_in}))
  AND a.group_min <= ?
  AND (? IS NULL OR (CASE a.price_per
        WHEN 'leerling' THEN a.price_amount * ?
        WHEN 'groep' THEN a.price_amount * ((? + a.group_max - 1) / a.group_max)
        ELSE a.price_amount * a.sessions * ((? + a.group_max - 1) / a.group_max)
       END) <= ? + 0.000001)
ORDER BY n DESC, score ASC, a.key
LIMIT {LIMIT}"""  # noqa: S608 (the f-string fills in placeholders only)
    pupils, budget = p["pupils"], p["budget"]
    args = [
        *claims_args,
        *([fts] if fts else []),
        *claims_args,
        *([fts] if fts else []),
        int(p["pupil_request"]),
        *audience_args,
        p["gemeente"],
        len(p["periods"]),
        *periods_args,
        pupils,
        budget,
        pupils,
        pupils,
        pupils,
        budget,
    ]
    return sql, args


class Sqlite:
    name = "sqlite"

    def __init__(self, folder: str) -> None:
        self.path = Path(folder) / "peer.db"
        self.path.unlink(missing_ok=True)
        self.connection = sqlite3.connect(self.path)

    def build(self, rows: list[dict]) -> tuple[float, float]:
        c = self.connection
        c.executescript(SQLITE_SCHEMA)
        started = time.perf_counter()
        with c:
            c.executemany(
                "INSERT INTO activities VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        i,
                        r["key"],
                        int(r["pupils"]),
                        r["group_min"],
                        r["group_max"],
                        r["sessions"],
                        r["price_amount"],
                        r["price_per"],
                    )
                    for i, r in enumerate(rows, 1)
                ],
            )
            for table, column in (
                ("audience", "audience"),
                ("serves", "serves"),
                ("periods", "periods"),
                ("claims", "interventions"),
            ):
                c.executemany(
                    f"INSERT INTO {table} VALUES (?, ?)",  # noqa: S608
                    [(i, v) for i, r in enumerate(rows, 1) for v in r[column]],
                )
            c.executemany(
                "INSERT INTO fts (rowid, title, description) VALUES (?, ?, ?)",
                [(i, r["title"], r["description"]) for i, r in enumerate(rows, 1)],
            )
        c.executescript(SQLITE_INDEXES)
        seconds = time.perf_counter() - started
        pages = c.execute("PRAGMA page_count").fetchone()[0]
        size = c.execute("PRAGMA page_size").fetchone()[0]
        return seconds, pages * size / 1e6

    def match(self, request: dict) -> list[str]:
        sql, args = sqlite_query(request)
        return [row[0] for row in self.connection.execute(sql, args).fetchall()]

    def explain(self, request: dict) -> str:
        sql, args = sqlite_query(request)
        plan = self.connection.execute("EXPLAIN QUERY PLAN " + sql, args).fetchall()
        started = time.perf_counter()
        self.connection.execute(sql, args).fetchall()
        ms = (time.perf_counter() - started) * 1000
        return (
            "\n".join(f"{row[0]:>3} {row[1]:>3} {row[3]}" for row in plan) + f"\n(run: {ms:.2f} ms)"
        )

    def close(self) -> None:
        self.connection.close()
        self.path.unlink(missing_ok=True)


# ----------------------------------------------------------------------------- engine


class Engine:
    name = "engine"

    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None

    def build_from(self, providers, activities) -> tuple[float, float]:
        gc.collect()
        before = rss_mb()
        started = time.perf_counter()
        with _cyclic_gc_paused():  # as matcher/matching.py builds it
            self.catalogue = Catalogue(providers, activities)
        seconds = time.perf_counter() - started
        gc.collect()
        return seconds, rss_mb() - before

    def match(self, request) -> list[str]:
        return [m.activity_key for m in self.catalogue.match(request, limit=LIMIT)]


# ----------------------------------------------------------------------------- runs


def interleaved(systems, engine_requests, peer_requests) -> dict[str, list]:
    """Per system the latencies (ms) and answers, request by request, the order rotating."""
    times = {s.name: [] for s in systems}
    answers = {s.name: [] for s in systems}
    for i, (engine_request, peer_request) in enumerate(
        zip(engine_requests, peer_requests, strict=True)
    ):
        order = systems[i % len(systems) :] + systems[: i % len(systems)]
        for system in order:
            request = engine_request if system.name == "engine" else peer_request
            started = time.perf_counter()
            found = system.match(request)
            times[system.name].append((time.perf_counter() - started) * 1000)
            answers[system.name].append(found)
    return {"times": times, "answers": answers}


def typo_requests(activities, providers, count: int, rng: random.Random):
    """Requests made from one activity each, wishing one of its title words with a typo."""
    by_key = {p.key: p for p in providers}
    chosen = []
    for activity in rng.sample(activities, len(activities)):
        if len(chosen) == count:
            break
        words = [w for w in re.findall(r"[a-z]+", activity.title.lower()) if len(w) >= 7]
        if activity.participants != "leerlingen" or not words or not activity.interventions:
            continue
        word = rng.choice(words)
        wrong = typo(word, rng)
        if wrong == word:
            continue
        provider = by_key[activity.provider_key]
        audience = activity.audience[0]
        base = make_request(len(chosen), rng)
        request = replace(
            base,
            key=f"typo-{len(chosen)}",
            sector=audience.sector,
            gemeente=(provider.serves or (provider.gemeente,))[0]
            if "*" not in provider.serves
            else provider.gemeente,
            interventions=(activity.interventions[0],),
            grades=(audience.grades[0],),
            pupils=max(activity.group_min, min(activity.group_max, 20)),
            periods=(),
            budget=None,
            disciplines=(),
            competences=(),
            location="geen-voorkeur",
            wishes=wrong,
            participants="leerlingen",
        )
        chosen.append((activity.key, request, replace(request, wishes=word)))
    return chosen


def bench_size(
    size: int,
    n_requests: int,
    n_typos: int,
    pg_url: str | None,
    folder: str,
    explain: bool,
    seed: int = 11,
) -> dict:
    rng = random.Random(seed)
    providers = make_providers(max(10, size // 25), rng)
    activities = [make_activity(i, providers, rng) for i in range(size)]
    requests = [make_request(i, rng) for i in range(n_requests)]
    typos = typo_requests(activities, providers, n_typos, rng)
    provider_dicts = [provider_to_dict(p) for p in providers]
    rows = peer_rows(provider_dicts, [activity_to_dict(a) for a in activities])
    peer_requests = [request_to_document(r)["request"] for r in requests]

    engine = Engine()
    systems: list = [engine]
    builds = {"engine": engine.build_from(providers, activities)}
    if pg_url:
        systems.append(Postgres(pg_url))
    systems.append(Sqlite(folder))
    for system in systems[1:]:
        builds[system.name] = system.build(rows)
    run = interleaved(systems, requests, peer_requests)

    def hits_of(which: int) -> dict[str, int]:
        run = interleaved(
            systems,
            [t[which] for t in typos],
            [request_to_document(t[which])["request"] for t in typos],
        )
        return {
            name: sum(t[0] in found for t, found in zip(typos, answers, strict=True))
            for name, answers in run["answers"].items()
        }

    hits, exact_hits = hits_of(1), hits_of(2)
    if explain:
        sample = next((r for r in peer_requests if r.get("wishes")), peer_requests[0])
        print(
            f"\n== {size:,} activities: the peers' queries for request {sample['id']} "
            f"(wishes {sample.get('wishes')!r})"
        )
        for system in systems[1:]:
            if system.name == "postgres":
                print("-- postgres query:\n" + PG_MATCH.strip())
                print("-- EXPLAIN (ANALYZE, BUFFERS):\n" + system.explain(sample))
            else:
                sql, args = sqlite_query(sample)
                print("-- sqlite query:\n" + sql.strip())
                print(f"-- args: {args}")
                print("-- EXPLAIN QUERY PLAN:\n" + system.explain(sample))
    result = {}
    for system in systems:
        times = run["times"][system.name]
        result[system.name] = {
            "build_s": builds[system.name][0],
            "memory_mb": builds[system.name][1],
            "p50": statistics.median(times),
            "p95": pct(times, 0.95),
            "empty": sum(not a for a in run["answers"][system.name]),
            "typo_hits": hits[system.name],
            "exact_hits": exact_hits[system.name],
            "typos": len(typos),
        }
    for system in systems[1:]:
        system.close()
    return result


def quality(set_names: list[str], pg_url: str | None, folder: str) -> dict:
    """nDCG@5 and misfits per graded set, per system."""
    results = {}
    for value in set_names:
        name, path = ev.resolve_set(value)
        if not (path / "offers.json").exists():
            print(f"set {name}: {path} missing, skipped", file=sys.stderr)
            continue
        s = ev.load_set(path, name)
        offers = json.loads((path / "offers.json").read_text())
        providers, activities = to_engine_offers(parse_offers(offers))
        documents = {rid: json.loads(f.read_text()) for rid, f in s.request_files.items()}
        engine_requests = [to_engine_request(parse_request(documents[rid])) for rid in s.requests]
        peer_requests = [s.requests[rid] for rid in s.requests]
        engine = Engine()
        engine.build_from(providers, activities)
        systems: list = [engine]
        if pg_url:
            systems.append(Postgres(pg_url))
        systems.append(Sqlite(folder))
        rows = peer_rows(list(s.providers.values()), list(s.activities.values()))
        for system in systems[1:]:
            system.build(rows)
        run = interleaved(systems, engine_requests, peer_requests)
        results[name] = {}
        for system in systems:
            scored = [
                ev.score_ranking(s, rid, ranked)
                for rid, ranked in zip(s.requests, run["answers"][system.name], strict=True)
            ]
            summary = ev.summarise(scored)
            results[name][system.name] = {
                "ndcg": summary["ndcg"],
                "misfits": sum(len(r["misfits"]) for r in scored),
                "shown": sum(r["shown5"] for r in scored),
                "violations": sum(len(r["violations"]) for r in scored),
                "requests": len(scored),
            }
        for system in systems[1:]:
            system.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--typos", type=int, default=200)
    parser.add_argument("--postgres", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--sets", nargs="*", default=list(ev.NAMED_SETS))
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print each peer's query and its EXPLAIN ANALYZE / query plan",
    )
    args = parser.parse_args()
    pg_url = None if args.no_postgres else args.postgres
    with open("/proc/loadavg") as f:
        print(f"load average at start: {' '.join(f.read().split()[:3])} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as folder:
        sizes = {
            size: bench_size(size, args.requests, args.typos, pg_url, folder, args.explain)
            for size in args.sizes
        }
        graded = quality(args.sets, pg_url, folder) if args.sets else {}
    header = (
        f"{'activities':>10} {'system':<9}{'build s':>9}{'memory MB':>11}{'p50 ms':>9}"
        f"{'p95 ms':>9}{'p95/eng':>9}{'empty':>7}{'typo hits':>11}{'same, no typo':>15}"
    )
    print("\nmatch latency (interleaved, limit 10), build and memory")
    print(header)
    print("-" * len(header))
    for size, result in sizes.items():
        base = result["engine"]["p95"]
        for name, r in result.items():
            print(
                f"{size:>10,} {name:<9}{r['build_s']:>9.2f}{r['memory_mb']:>11.1f}"
                f"{r['p50']:>9.2f}{r['p95']:>9.2f}{r['p95'] / base:>9.2f}{r['empty']:>7}"
                f"{r['typo_hits']:>6}/{r['typos']:<4}{r['exact_hits']:>10}/{r['typos']:<4}"
            )
    if graded:
        header = f"{'set':<10}{'system':<10}{'nDCG@5':>8}{'misfits top5':>14}{'violations':>12}"
        print("\nquality on the graded sets (bench/evaluate.py load_set)")
        print(header)
        print("-" * len(header))
        for name, result in graded.items():
            for system, r in result.items():
                print(
                    f"{name:<10}{system:<10}{r['ndcg']:>8.3f}"
                    f"{r['misfits']:>7}/{r['shown']:<6}{r['violations']:>12}"
                )
    with open("/proc/loadavg") as f:
        print(f"\nload average at end: {' '.join(f.read().split()[:3])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
