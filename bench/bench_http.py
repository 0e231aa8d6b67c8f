"""HTTP benchmark: POST /api/v1/match through a real server next to in-process matching.

Per size: synthetic activities (the generator of bench_engine.py) are bulk-inserted into a
fresh SQLite database as approved rows, the app is created and its catalogue warmed once,
then the same requests are timed three ways:

  http        POST /api/v1/match over a keep-alive connection to waitress (in a thread);
              parsing, validation, the marks query, matching and JSON included
  in-process  matching.match(request) in an app context (marks query + existing structures
              + engine), as the view calls it
  engine      Catalogue.match on the warm catalogue alone

Then one activity is edited in the database and the time until the next use of the
catalogue shows it (incremental refresh) is compared with a full rebuild.

usage: .venv/bin/python bench/bench_http.py [--sizes 10000 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import random
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_engine import (  # noqa: E402 - the repo root must be importable first
    make_activity,
    make_providers,
    make_request,
    percentiles,
)
from sqlalchemy import insert, select  # noqa: E402
from waitress import create_server  # noqa: E402

from matcher import create_app, matching, migrate  # noqa: E402
from matcher.db import db  # noqa: E402
from matcher.engine import Activity as EngineActivity  # noqa: E402
from matcher.engine import Provider as EngineProvider  # noqa: E402
from matcher.exchange.convert import request_to_document  # noqa: E402
from providers.models import Activity, ActivityStatus, ParticipantsSource, Provider  # noqa: E402
from providers.participants import read_text  # noqa: E402

BATCH = 5_000  # rows per executemany: bounded memory for the parameter lists


def provider_row(p: EngineProvider) -> dict:
    return {
        "key": p.key,
        "name": p.name,
        "kind": p.kind,
        "gemeente": p.gemeente,
        "serves": list(p.serves),
        "email": p.email,
        "website": p.website,
        "approved": True,
    }


def activity_row(a: EngineActivity, provider_id: int) -> dict:
    """The column mapping of tests/catalogue/conftest.py store_offers, as a bulk row."""
    return {
        "key": a.key,
        "provider_id": provider_id,
        "title": a.title,
        "description": a.description,
        "disciplines": list(a.disciplines),
        "format": a.format,
        "audience": [{"sector": x.sector, "grades": list(x.grades)} for x in a.audience],
        "group_min": a.group_min,
        "group_max": a.group_max,
        "sessions": a.sessions,
        "minutes_per_session": a.minutes_per_session,
        "periods": list(a.periods),
        "location": a.location,
        "price_amount": Decimal(str(a.price_amount)),
        "price_per": a.price_per,
        "interventions": list(a.interventions),
        "competences": list(a.competences),
        "status": ActivityStatus.APPROVED,
        "participants": a.participants,
        "participants_source": ParticipantsSource.PROVIDER if a.participants else None,
        "participants_read": read_text({"title": a.title, "description": a.description}).value,
    }


def load(providers: list[EngineProvider], activities: list[EngineActivity]) -> None:
    """Bulk inserts (one executemany per batch) in one transaction."""
    for start in range(0, len(providers), BATCH):
        rows = [provider_row(p) for p in providers[start : start + BATCH]]
        db.session.execute(insert(Provider), rows)
    ids = dict(db.session.execute(select(Provider.key, Provider.id)).all())
    for start in range(0, len(activities), BATCH):
        batch = activities[start : start + BATCH]
        db.session.execute(insert(Activity), [activity_row(a, ids[a.provider_key]) for a in batch])
    db.session.commit()


class Server:
    """waitress (the server of `cultuurmatch serve`) on a free port, in a thread."""

    def __init__(self, app) -> None:
        self._server = create_server(app, host="127.0.0.1", port=0, threads=4)
        self.port = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> Server:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.close()


def timed_posts(port: int, bodies: list[bytes]) -> list[float]:
    """Milliseconds per POST over one keep-alive connection; every answer must be 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    times = []
    for body in bodies:
        start = time.perf_counter()
        connection.request("POST", "/api/v1/match", body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{response.status}: {payload[:300]!r}")
    connection.close()
    return times


def get_json(port: int, path: str) -> tuple[float, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    payload = json.loads(response.read())
    elapsed = (time.perf_counter() - start) * 1000
    connection.close()
    return elapsed, payload


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def edit_visibility(app, port: int, key: str) -> dict[str, float]:
    """Edit one activity's title; how long until the catalogue shows it, and a full rebuild."""
    cache = app.extensions["catalogue_cache"]
    word = "Kwispelkanariefeest"
    with app.app_context():
        row = db.session.scalars(select(Activity).where(Activity.key == key)).one()
        row.title = f"{word} {row.title}"
        db.session.commit()  # moves updated_at: the next check refreshes incrementally
    # A worker asks the database for changes at most once per check interval.
    time.sleep(cache.check_seconds)
    refreshes = cache.incremental_refreshes
    # The first API call after the edit pays for the refresh and must already show the edit.
    first_ms, page = get_json(port, f"/api/v1/activities?q={word.lower()}")
    if cache.incremental_refreshes != refreshes + 1:
        raise RuntimeError("the edit did not cause exactly one incremental refresh")
    if [a["id"] for a in page["activities"]] != [key]:
        raise RuntimeError(f"the edited activity is not found: {page['total']} results")
    steady_ms, _ = get_json(port, f"/api/v1/activities?q={word.lower()}")
    with app.app_context():
        row = db.session.scalars(select(Activity).where(Activity.key == key)).one()
        row.title = row.title.removeprefix(f"{word} ")
        db.session.commit()
        time.sleep(cache.check_seconds)
        refresh_ms = timed(matching.catalogue)  # the second edit, in process
        cache.clear()
        rebuild_ms = timed(matching.catalogue)  # what every edit would cost without refresh
    return {
        "first_get": first_ms,
        "steady_get": steady_ms,
        "refresh": refresh_ms,
        "rebuild": rebuild_ms,
    }


def bench_size(size: int, n_requests: int, seed: int, folder: Path) -> dict[str, float]:
    rng = random.Random(seed)
    providers = make_providers(max(10, size // 25), rng)
    activities = [make_activity(i, providers, rng) for i in range(size)]
    requests = [make_request(i, rng) for i in range(n_requests)]
    bodies = [json.dumps(request_to_document(r)).encode() for r in requests]

    url = f"sqlite:///{folder / f'bench-{size}.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "x" * 40,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            # The first call after an edit pays for the refresh (measured below).
            "CATALOGUE_BACKGROUND": False,
        }
    )
    migrate.upgrade(app)
    with app.app_context():
        load_ms = timed(lambda: load(providers, activities))
        warm_ms = timed(matching.catalogue)
        catalogue = matching.catalogue()
        in_process = [timed(lambda r=r: matching.match(r, limit=10)) for r in requests]
        engine = [timed(lambda r=r: catalogue.match(r, limit=10)) for r in requests]
    with Server(app) as server:
        timed_posts(server.port, bodies[:5])  # connection and first-request warm-up
        http_ms = timed_posts(server.port, bodies)
        edit = edit_visibility(app, server.port, activities[size // 2].key)
    http_p50, http_p95 = percentiles(http_ms)
    proc_p50, proc_p95 = percentiles(in_process)
    eng_p50, eng_p95 = percentiles(engine)
    return {
        "size": size,
        "load_s": load_ms / 1000,
        "warm_s": warm_ms / 1000,
        "http_p50": http_p50,
        "http_p95": http_p95,
        "proc_p50": proc_p50,
        "proc_p95": proc_p95,
        "eng_p50": eng_p50,
        "eng_p95": eng_p95,
        **edit,
    }


def print_table(rows: list[dict[str, float]]) -> None:
    header = (
        f"{'activities':>10} {'insert s':>8} {'warm s':>7} {'http p50':>9} {'p95':>8} "
        f"{'in-proc p50':>11} {'p95':>8} {'engine p50':>10} {'p95':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['size']:>10,} {r['load_s']:>8.1f} {r['warm_s']:>7.1f} "
            f"{r['http_p50']:>7.2f}ms {r['http_p95']:>6.2f}ms "
            f"{r['proc_p50']:>9.2f}ms {r['proc_p95']:>6.2f}ms "
            f"{r['eng_p50']:>8.2f}ms {r['eng_p95']:>6.2f}ms"
        )
    print(
        "(POST /api/v1/match, limit 10; in-proc = matching.match in an app context;"
        " engine = Catalogue.match alone; warm = first full build from the database)"
    )
    print()
    header = (
        f"{'activities':>10} {'edit->first GET':>15} {'steady GET':>10} "
        f"{'refresh':>9} {'full rebuild':>12}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['size']:>10,} {r['first_get']:>13.1f}ms {r['steady_get']:>8.1f}ms "
            f"{r['refresh']:>7.1f}ms {r['rebuild']:>10.0f}ms"
        )
    print(
        "(one activity's title edited in the database; after the check interval "
        "(MATCHER_CATALOGUE_CHECK_SECONDS, default 1 s) the first GET /api/v1/activities?q=..."
        " after it already finds it, paying the incremental refresh; refresh = the next"
        " catalogue use after a second edit, in process; full rebuild = without refresh)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" notes
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-http-") as folder:
        for size in args.sizes:
            print(f"benchmarking {size:,} activities over HTTP ...", file=sys.stderr, flush=True)
            rows.append(bench_size(size, args.requests, args.seed, Path(folder)))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
