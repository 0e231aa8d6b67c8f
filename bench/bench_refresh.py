"""Does the match index stand in the way? A large import under load, and a cold start.

usage: .venv/bin/python bench/bench_refresh.py [--databases sqlite postgres] [--base 10000]
           [--import-size 30000] [--start-size 100000] [--loaders 2] [--before 15]
           [--after 60] [--skip-start] [--skip-import] [--baseline-ref main]

Two runs side by side per database, one after the other on the same data: `new` is this
checkout's matcher/matching.py (refresh beside the live snapshot, background refresher), `old`
is matcher/matching.py of --baseline-ref (default: the commit this branch started from), run
in the same app by swapping the module's functions. The figures are printed as new/old ratios
(and p95 during/after against the same run's p95 before), since the machine is shared.

Import under load (per database): a catalogue of --base activities is warm; --loaders threads
send POST /api/v1/match (the test client, in this process, like the threads of waitress) for
--before seconds; then a separate process commits --import-size activities in one transaction
(every row stamped with the import's start, as providers/importer.py does); right after the
commit one activity is edited, and another once the import shows. Printed: match p95 before,
during the import's write and in the minute after its commit; the longest wait of any request;
the time from the commit until the import, and until each edit, is visible to matches.

Cold start (per database): --start-size activities in the database, a new app, the load
threads start at once: the time until /readyz answers 200 (old: until a match answers 200)
and the longest any request took meanwhile (the new app answers 503 at once until ready).

PostgreSQL runs in schema `bench_refresh`; SQLite in a temporary file.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import insert, select  # noqa: E402

from bench.synthetic import make_activity, make_providers, make_request  # noqa: E402
from matcher import create_app, matching, migrate  # noqa: E402
from matcher.db import db, utcnow  # noqa: E402
from matcher.exchange.convert import request_to_document  # noqa: E402
from providers.models import Activity, Provider  # noqa: E402

SCHEMA = "bench_refresh"
WORD = "Kwispelkanariefeest"
SEED = 5
SWAPPED = ("match", "plan", "catalogue", "unfilled", "with_existing_structures", "links_of")


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(math.ceil(q * len(ordered))) - 1)]


# ----------------------------------------------------------------------------- data


def database_url(kind: str, folder: str, pg: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{Path(folder) / 'refresh.db'}"
    return f"{pg}?options=-csearch_path%3D{SCHEMA}"


def reset_database(kind: str, folder: str, pg: str) -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(folder, "refresh.db" + suffix).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(
        pg.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        connection.execute(f"CREATE SCHEMA {SCHEMA}")


def bench_config(url: str, background: bool) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench-" + "x" * 40,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "AUTO_UPGRADE_SQLITE": False,
        "CATALOGUE_CHECK_SECONDS": 1.0,
        "CATALOGUE_BACKGROUND": background,
    }


def write_rows(url: str, first: int, count: int, with_providers: bool) -> None:
    """Insert activities act-{first}..; one transaction, every row stamped with its start."""
    from bench_http import activity_row, provider_row

    app = create_app(bench_config(url, background=False))
    stamp = utcnow()  # the importer stamps every row with its start
    rng = random.Random(SEED)
    providers = make_providers(max(10, 10_000 // 25), rng)
    rng = random.Random(SEED + first)
    activities = [make_activity(i, providers, rng) for i in range(first, first + count)]
    with app.app_context():
        if with_providers:
            db.session.execute(insert(Provider), [provider_row(p) for p in providers])
        ids = dict(db.session.execute(select(Provider.key, Provider.id)).all())
        for start in range(0, len(activities), 5000):
            rows = [
                {**activity_row(a, ids[a.provider_key]), "updated_at": stamp, "created_at": stamp}
                for a in activities[start : start + 5000]
            ]
            db.session.execute(insert(Activity), rows)
        db.session.commit()


def seed(kind: str, folder: str, pg: str, size: int) -> str:
    reset_database(kind, folder, pg)
    url = database_url(kind, folder, pg)
    migrate.upgrade(create_app(bench_config(url, background=False)))
    write_rows(url, 0, size, with_providers=True)
    return url


def import_in_another_process(url: str, first: int, count: int) -> subprocess.Popen:
    command = [sys.executable, __file__, "--write", url, str(first), str(count)]
    return subprocess.Popen(command, cwd=ROOT)  # noqa: S603 - this script, our arguments


# ----------------------------------------------------------------------------- old module


def old_module(ref: str) -> types.ModuleType:
    command = ["git", "show", f"{ref}:matcher/matching.py"]
    source = subprocess.run(  # noqa: S603 - git with our arguments
        command,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("old_matching")
    module.__file__ = f"{ref}:matcher/matching.py"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 (our code)
    return module


class Variant:
    """Which matching module the app runs: this checkout's (new) or the baseline's (old)."""

    def __init__(self, name: str, module: types.ModuleType | None) -> None:
        self.name, self.module = name, module
        self._saved = {n: getattr(matching, n) for n in SWAPPED}

    def install(self, app) -> None:
        if self.module is None:
            for name, value in self._saved.items():
                setattr(matching, name, value)
            return
        app.extensions["catalogue_cache"] = self.module.CatalogueCache(
            check_seconds=app.config["CATALOGUE_CHECK_SECONDS"]
        )
        for name in SWAPPED:
            setattr(matching, name, getattr(self.module, name))

    def restore(self) -> None:
        for name, value in self._saved.items():
            setattr(matching, name, value)


def catalogue_now(app):
    """The catalogue as a reader sees it now, without triggering or waiting for anything."""
    cache = app.extensions["catalogue_cache"]
    live = getattr(cache, "_live", None)
    if live is not None:
        return live.catalogue
    return getattr(cache, "_catalogue", None)


# ----------------------------------------------------------------------------- load


class Load:
    """Threads sending match requests through the test client; every answer is recorded."""

    def __init__(self, app, threads: int, path: str = "/api/v1/match") -> None:
        rng = random.Random(SEED + 99)
        self.bodies = [
            json.dumps(request_to_document(make_request(i, rng))).encode() for i in range(200)
        ]
        self.app, self.path = app, path
        self.records: list[tuple[float, float, int]] = []  # (start, seconds, status)
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)
        ]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(600)

    def _run(self, index: int) -> None:
        client = self.app.test_client()
        i = index
        while not self.stop.is_set():
            body = self.bodies[i % len(self.bodies)]
            i += len(self.threads)
            started = time.monotonic()
            response = client.post(self.path, data=body, content_type="application/json")
            self.records.append((started, time.monotonic() - started, response.status_code))
            if response.status_code == 503:
                # Refused at once; a client (or the load balancer) comes back a little later.
                self.stop.wait(0.1)

    def between(self, start: float, end: float, status: int | None = 200) -> list[float]:
        return [
            seconds
            for t, seconds, code in list(self.records)
            if start <= t < end and (status is None or code == status)
        ]

    def longest(self, start: float = 0.0, end: float = math.inf) -> float:
        """The longest any request took that started in [start, end), or is still waiting."""
        done = [seconds for t, seconds, _code in list(self.records) if start <= t < end]
        return max(done, default=0.0)


def wait_until(condition, timeout: float, step: float = 0.05) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(step)
    return None


# ----------------------------------------------------------------------------- runs


def import_run(variant: Variant, kind: str, folder: str, pg: str, args) -> dict:
    url = seed(kind, folder, pg, args.base)
    app = create_app(bench_config(url, background=variant.module is None))
    variant.install(app)
    try:
        cache = app.extensions["catalogue_cache"]
        if variant.module is None:
            cache.start(app)
            wait_until(lambda: cache.ready, 600)
        else:
            with app.app_context():
                matching.catalogue()
        with Load(app, args.loaders) as load:
            t0 = time.monotonic()
            time.sleep(args.before)
            t_import = time.monotonic()
            writer = import_in_another_process(url, args.base, args.import_size)
            writer.wait()
            t_commit = time.monotonic()
            with app.app_context():
                row = db.session.scalars(select(Activity).where(Activity.key == "act-1")).one()
                row.title = f"{WORD} {row.title}"
                db.session.commit()
                db.session.remove()
            t_edit = time.monotonic()
            total = args.base + args.import_size

            def imported() -> bool:
                found = catalogue_now(app)
                return (
                    found is not None
                    and len(found) >= total
                    and f"act-{total - 1}" in found
                    and f"act-{args.base}" in found
                )

            def edited() -> bool:
                found = catalogue_now(app)
                return (
                    found is not None
                    and "act-1" in found
                    and found.activity("act-1").title.startswith(WORD)
                )

            import_visible = wait_until(imported, 900)
            edit_visible = wait_until(edited, 900)
            if edit_visible is not None:  # from the edit's commit
                edit_visible = time.monotonic() - t_edit
            # The first edit once the import is in the index: it must not apply the import
            # again (all its rows share one stamp).
            with app.app_context():
                row = db.session.scalars(select(Activity).where(Activity.key == "act-2")).one()
                row.title = f"{WORD} {row.title}"
                db.session.commit()
                db.session.remove()
            t_next = time.monotonic()

            def edited_next() -> bool:
                found = catalogue_now(app)
                return found is not None and found.activity("act-2").title.startswith(WORD)

            next_edit_visible = wait_until(edited_next, 900)
            if next_edit_visible is not None:
                next_edit_visible = time.monotonic() - t_next
            remaining = t_commit + args.after - time.monotonic()
            if remaining > 0:
                time.sleep(remaining)
            t_end = time.monotonic()
        before = load.between(t0, t_import)
        during = load.between(t_import, t_commit)
        after = load.between(t_commit, t_commit + args.after)
        return {
            "p95_before": pct(before, 0.95) * 1000,
            "p95_during": pct(during, 0.95) * 1000,
            "p95_after": pct(after, 0.95) * 1000,
            "max_wait": load.longest(t0, t_end),
            "write_s": t_commit - t_import,
            "import_visible": import_visible,
            "edit_visible": edit_visible,
            "next_edit_visible": next_edit_visible,
            "requests": len(load.records),
            "errors": sum(1 for _t, _s, code in load.records if code != 200),
            "load": load_average(),
        }
    finally:
        variant.restore()


def start_run(variant: Variant, url: str, args) -> dict:
    app = create_app(bench_config(url, background=variant.module is None))
    variant.install(app)
    try:
        cache = app.extensions["catalogue_cache"]
        client = app.test_client()
        started = time.monotonic()
        with Load(app, args.loaders) as load:
            if variant.module is None:
                # What `cultuurmatch serve` does: the build starts in the background at once.
                cache.start(app)

                def ready() -> bool:
                    return client.get("/readyz").status_code == 200
            else:
                # What the old `serve` did: warm in a thread while requests wait on its lock.
                threading.Thread(target=_old_warm, args=(app,), daemon=True).start()

                def ready() -> bool:
                    return any(code == 200 for _t, _s, code in list(load.records))

            to_ready = wait_until(ready, 900, step=0.1)
            t_ready = time.monotonic()
            time.sleep(1.0)  # the requests waiting at the moment of ready finish
        meanwhile = [s for t, s, _c in load.records if t < t_ready]
        refused = sum(1 for t, _s, code in load.records if t < t_ready and code == 503)
        return {
            "to_ready": to_ready,
            "max_latency": max(meanwhile, default=0.0),
            "requests": len(meanwhile),
            "refused": refused,
            "elapsed": t_ready - started,
            "load": load_average(),
        }
    finally:
        variant.restore()


def _old_warm(app) -> None:
    with app.app_context():
        matching.catalogue()


# ----------------------------------------------------------------------------- output


def ratio(new, old) -> str:
    if new is None or old is None or not old or (isinstance(old, float) and math.isnan(old)):
        return "   -"
    return f"{new / old:.2f}"


def fmt(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_import(results: dict) -> None:
    print("\nimport under load: new = this branch, old = the baseline; ms unless said")
    rows = [
        ("match p95 before", "p95_before", 1),
        ("match p95 during the write", "p95_during", 1),
        ("match p95 minute after commit", "p95_after", 1),
        ("max wait of any request (s)", "max_wait", 2),
        ("import visible after commit (s)", "import_visible", 1),
        ("edit visible after its commit (s)", "edit_visible", 1),
        ("next edit, once the import shows, visible after its commit (s)", "next_edit_visible", 2),
        ("the import's write (s)", "write_s", 1),
        ("requests answered", "requests", 0),
        ("errors (not 200)", "errors", 0),
    ]
    for kind, pair in results.items():
        new, old = pair["new"], pair["old"]
        print(f"\n{kind}   (load: new run {new['load']}, old run {old['load']})")
        print(f"{'':<34}{'new':>10}{'old':>10}{'new/old':>9}")
        for label, key, digits in rows:
            print(
                f"{label:<34}{fmt(new[key], digits):>10}{fmt(old[key], digits):>10}"
                f"{ratio(new[key], old[key]):>9}"
            )
        for name in ("new", "old"):
            r = pair[name]
            print(
                f"  {name}: p95 after / before = {ratio(r['p95_after'], r['p95_before'])}, "
                f"during / before = {ratio(r['p95_during'], r['p95_before'])}"
            )


def print_start(results: dict, size: int) -> None:
    print(f"\ncold start with {size:,} activities: until ready, and the longest request meanwhile")
    print(
        f"{'database':<10}{'variant':<8}{'to ready s':>11}{'max latency s':>15}"
        f"{'requests':>10}{'503s':>7}  load"
    )
    for kind, pair in results.items():
        for name in ("new", "old"):
            r = pair[name]
            print(
                f"{kind:<10}{name:<8}{fmt(r['to_ready'], 1):>11}{r['max_latency']:>15.3f}"
                f"{r['requests']:>10}{r['refused']:>7}  {r['load']}"
            )
        print(
            f"{'':<10}{'new/old':<8}{ratio(pair['new']['to_ready'], pair['old']['to_ready']):>11}"
            f"{ratio(pair['new']['max_latency'], pair['old']['max_latency']):>15}"
        )


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--write":
        write_rows(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), with_providers=False)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--postgres", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--base", type=int, default=10_000)
    parser.add_argument("--import-size", type=int, default=30_000)
    parser.add_argument("--start-size", type=int, default=100_000)
    parser.add_argument("--loaders", type=int, default=2)
    parser.add_argument("--before", type=float, default=15)
    parser.add_argument("--after", type=float, default=60)
    parser.add_argument("--skip-start", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--baseline-ref", default="main")
    args = parser.parse_args()
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    print(
        f"load average at start: {load_average()} ({os.cpu_count()} cores); "
        f"baseline {args.baseline_ref}"
    )
    variants = [Variant("new", None), Variant("old", old_module(args.baseline_ref))]
    imports, starts = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.databases:
            if not args.skip_import:
                imports[kind] = {}
                for variant in variants:
                    print(f"import run: {kind} {variant.name} ...", file=sys.stderr, flush=True)
                    imports[kind][variant.name] = import_run(
                        variant, kind, folder, args.postgres, args
                    )
                    print(f"  {imports[kind][variant.name]}", file=sys.stderr, flush=True)
            if not args.skip_start:
                url = seed(kind, folder, args.postgres, args.start_size)
                starts[kind] = {}
                for variant in variants:
                    print(f"start run: {kind} {variant.name} ...", file=sys.stderr, flush=True)
                    starts[kind][variant.name] = start_run(variant, url, args)
                    print(f"  {starts[kind][variant.name]}", file=sys.stderr, flush=True)
            if kind == "postgres":
                reset_database(kind, folder, args.postgres)
    if imports:
        print_import(imports)
    if starts:
        print_start(starts, args.start_size)
    print(f"\nload average at end: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
