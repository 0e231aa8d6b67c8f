"""Match and search latency of the engine at two revisions, measured in alternating rounds.

Both revisions are exported with `git archive` into a temporary folder. Per catalogue size one
long-lived child process per revision (this file with --child) puts its export first on
sys.path, imports the generator by file path from this checkout's bench/synthetic.py and
builds its catalogue once from the same seed. The parent then asks for rounds in the order
OLD, NEW, OLD, NEW, ...: each round times the same match requests, then the same search
queries, in the same order, one call at a time. While one child measures the other waits on
its pipe, so they never run at the same time.

The synthetic data have courses for the team and requests for them (hard rule 0, exchange
1.1). A revision without `participants` gets the same offers and requests without that field,
so it answers a team request as a request for pupils; the rule 0 line counts, by the
generator's truth, the returned matches that break rule 0.

usage: python bench/compare_commits.py --old REV --new HEAD --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "bench" / "synthetic.py"
SMALL = 100_000  # sizes up to this get --small-rounds (cheap, and noisier per call)
WARM_UP = 20  # requests and queries run once, untimed, after the build


# --------------------------------------------------------------------------- the child


def _child(tree: str, synthetic: str) -> int:
    """Serve commands (JSON lines on stdin) for the revision exported at `tree`."""
    sys.path.insert(0, tree)
    import importlib.util
    import random

    proto = os.fdopen(os.dup(1), "w", buffering=1)
    sys.stdout = sys.stderr  # nothing but answers on the protocol pipe

    spec = importlib.util.spec_from_file_location("cm_synthetic", synthetic)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    import matcher.engine
    from matcher.engine import Activity, Catalogue, MatchRequest, SearchFilters

    engine_dir = Path(matcher.engine.__file__).resolve().parent
    if not engine_dir.is_relative_to(Path(tree).resolve()):
        raise SystemExit(f"matcher.engine came from {engine_dir}, not from {tree}")

    state: dict[str, Any] = {}
    full_collections = [0]  # collections of the oldest generation while timing

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full_collections[0] += 1

    gc.callbacks.append(on_gc)

    def build(size: int, seed: int, n_requests: int) -> dict[str, Any]:
        started = time.perf_counter()
        rng = random.Random(seed)
        providers = gen.make_providers(max(10, size // 25), rng)
        digest = hashlib.sha256()
        activities, who, missing = [], {}, set()
        for i in range(size):
            values = gen.activity_values(i, providers, rng)
            if i < 1000:
                missing.update(f"Activity.{k}" for k in gen.missing_fields(Activity, values))
            digest.update(repr(sorted(values.items())).encode())
            who[values["key"]] = values["participants_truth"]
            activities.append(gen.build(Activity, values))
        requests, wanted = [], []
        for i in range(n_requests):
            values = gen.request_values(i, rng)
            digest.update(repr(sorted(values.items())).encode())
            wanted.append(values["participants"])
            missing.update(f"MatchRequest.{k}" for k in gen.missing_fields(MatchRequest, values))
            requests.append(gen.build(MatchRequest, values))
        queries = []
        for _ in range(n_requests):
            q, filters = gen.query_values(rng)
            digest.update(repr((q, sorted(filters.items()))).encode())
            missing.update(f"SearchFilters.{k}" for k in gen.missing_fields(SearchFilters, filters))
            queries.append((q, gen.build(SearchFilters, filters)))
        generated = time.perf_counter() - started
        gc.collect()
        started, started_cpu = time.perf_counter(), time.thread_time()
        catalogue = Catalogue(providers, activities)
        build_s = time.perf_counter() - started
        build_cpu_s = time.thread_time() - started_cpu
        gc.collect()
        for request in requests[:WARM_UP]:  # warm caches as a running server would have them
            catalogue.match(request, limit=10)
        for q, filters in queries[:WARM_UP]:
            catalogue.search(q, filters, 0, 20)
        # Rule 0 by the generator's truth (untimed): a team request only team courses, a pupil
        # request never one.
        breaks = returned = team_returned = 0
        for request, who_wanted in zip(requests, wanted, strict=True):
            keys = [m.activity_key for m in catalogue.match(request, limit=10)]
            returned += len(keys)
            if who_wanted == gen.TEAM:
                team_returned += len(keys)
            breaks += sum((who[k] == gen.TEAM) != (who_wanted == gen.TEAM) for k in keys)
        state.update(catalogue=catalogue, requests=requests, queries=queries)
        return {
            "generate_s": generated,
            "build_s": build_s,
            "build_cpu_s": build_cpu_s,
            "rss_mb": _rss_mb(),
            "fingerprint": digest.hexdigest()[:16],
            "engine": str(engine_dir),
            "missing_fields": sorted(missing),
            "team_requests": wanted.count(gen.TEAM),
            "returned": returned,
            "team_returned": team_returned,
            "rule0_breaks": breaks,
        }

    def match_round() -> dict[str, Any]:
        catalogue, times, cpu = state["catalogue"], [], []
        gc.collect()
        full_collections[0] = 0
        full_collections[0] = 0
        for request in state["requests"]:
            started, started_cpu = time.perf_counter(), time.thread_time()
            catalogue.match(request, limit=10)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        return {"ms": times, "cpu_ms": cpu, "full_gc": full_collections[0]}

    def search_round() -> dict[str, Any]:
        catalogue, times, cpu = state["catalogue"], [], []
        gc.collect()
        full_collections[0] = 0
        full_collections[0] = 0
        for q, filters in state["queries"]:
            started, started_cpu = time.perf_counter(), time.thread_time()
            catalogue.search(q, filters, 0, 20)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        return {"ms": times, "cpu_ms": cpu, "full_gc": full_collections[0]}

    for line in sys.stdin:
        command = json.loads(line)
        name = command.pop("cmd")
        if name == "quit":
            break
        handler = {"build": build, "match": match_round, "search": search_round}[name]
        proto.write(json.dumps(handler(**command)) + "\n")
    return 0


def _rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


# --------------------------------------------------------------------------- the parent


class Child:
    """One revision's long-lived process; `ask` sends a command and waits for the answer."""

    def __init__(self, label: str, tree: Path) -> None:
        self.label = label
        env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
        argv = [sys.executable, "-P", str(Path(__file__).resolve()), "--child", str(tree)]
        argv += ["--synthetic", str(SYNTHETIC)]
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=tree, env=env, text=True
        )

    def send(self, cmd: str, **args: Any) -> None:
        self.proc.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.proc.stdin.flush()

    def receive(self) -> dict[str, Any]:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.label} child ended (exit {self.proc.wait()})")
        return json.loads(line)

    def ask(self, cmd: str, **args: Any) -> dict[str, Any]:
        self.send(cmd, **args)
        return self.receive()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("quit")
                self.proc.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def _git(*args: str) -> str:
    return subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _export(sha: str, into: Path) -> None:
    """The revision's tree, as `git archive` gives it, under `into`."""
    data = subprocess.run(  # noqa: S603
        ["git", "archive", "--format=tar", sha],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (the convention of bench_engine.py)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min), nproc {_nproc()}"


def _nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def bench_size(
    size: int, rounds: int, args: argparse.Namespace, trees: dict[str, Path]
) -> dict[str, Any]:
    """Build both children, alternate rounds, and return the figures for one size."""
    children = {label: Child(label, tree) for label, tree in trees.items()}
    try:
        parallel = args.build == "parallel" or (
            args.build == "auto" and os.getloadavg()[0] + len(children) <= _nproc() + 0.5
        )
        built: dict[str, dict[str, Any]] = {}
        build_load = load_text()
        _say(f"{size:,}: building {'both at once' if parallel else 'one after the other'}")
        command = {"size": size, "seed": args.seed, "n_requests": args.requests}
        if parallel:
            for child in children.values():
                child.send("build", **command)
            built = {label: child.receive() for label, child in children.items()}
        else:
            built = {label: child.ask("build", **command) for label, child in children.items()}
        prints = {b["fingerprint"] for b in built.values()}
        if len(prints) != 1:
            raise RuntimeError(f"the revisions got different data: {prints}")
        times: dict[str, dict[str, list[list[float]]]] = {
            label: {"match": [], "search": [], "match_cpu": [], "search_cpu": []}
            for label in children
        }
        full_gc = dict.fromkeys(children, 0)
        loads = [os.getloadavg()[0]]
        for number in range(rounds):
            for label, child in children.items():  # OLD, NEW in each round
                _say(f"{size:,}: round {number + 1}/{rounds} {label}")
                for kind in ("match", "search"):
                    answer = child.ask(kind)
                    times[label][kind].append(answer["ms"])
                    times[label][kind + "_cpu"].append(answer["cpu_ms"])
                    full_gc[label] += answer["full_gc"]
            loads.append(os.getloadavg()[0])
        return {
            "size": size,
            "rounds": rounds,
            "parallel": parallel,
            "build_load": build_load,
            "built": built,
            "times": times,
            "loads": loads,
            "full_gc": full_gc,
        }
    finally:
        for child in children.values():
            child.close()


def report(result: dict[str, Any], revs: dict[str, str], n_requests: int) -> None:
    """Print one size: build, p50/p95 per revision (median over rounds), NEW/OLD ratios."""
    size, built, times = result["size"], result["built"], result["times"]
    mode = "both at once" if result["parallel"] else "one after the other"
    some = next(iter(built.values()))
    print(
        f"== {size:,} activities: {result['rounds']} rounds OLD, NEW alternating; each round "
        f"{n_requests} match requests ({some['team_requests']} for the team) and "
        f"{n_requests} search queries"
    )
    print(
        f"   data fingerprint {some['fingerprint']} (the same for both); built {mode}, at "
        f"{result['build_load']}"
    )
    for label, b in built.items():
        missing = ", ".join(b["missing_fields"]) or "none"
        print(
            f"   {label} {revs[label + '_sha'][:7]}: build {b['build_s']:.1f} s (cpu"
            f" {b['build_cpu_s']:.1f} s; generating the data {b['generate_s']:.1f} s), RSS"
            f" {b['rss_mb']:.0f} MB; fields it lacks: {missing}"
        )
    for label, b in built.items():
        print(
            f"   rule 0 {label}: {b['rule0_breaks']} of {b['returned']} returned matches break it"
            f" ({b['team_returned']} returned for the team requests)"
        )
    print(
        f"   {'':<8}{'p50 ms':>8}{'p95 ms':>8}   (wall clock per call, median over rounds;"
        " cpu: this thread's CPU time per call)"
    )
    for kind in ("match", "search"):
        stats = {}
        for label in built:
            p50 = [percentile(r, 0.50) for r in times[label][kind]]
            p95 = [percentile(r, 0.95) for r in times[label][kind]]
            cpu50 = [percentile(r, 0.50) for r in times[label][kind + "_cpu"]]
            cpu95 = [percentile(r, 0.95) for r in times[label][kind + "_cpu"]]
            stats[label] = (p50, p95, cpu95)
            print(
                f"   {kind:<6} {label:<3}{statistics.median(p50):>6.2f}"
                f"{statistics.median(p95):>8.2f}      cpu p50 {statistics.median(cpu50):.2f}"
                f"  p95 {statistics.median(cpu95):.2f}"
            )
        old, new = list(stats)
        ratios = [n / o for n, o in zip(stats[new][1], stats[old][1], strict=True)]
        ratios50 = [n / o for n, o in zip(stats[new][0], stats[old][0], strict=True)]
        ratios_cpu = [n / o for n, o in zip(stats[new][2], stats[old][2], strict=True)]
        listed = " ".join(f"{r:.2f}" for r in ratios)
        print(
            f"   {kind} p95 NEW/OLD per round: {listed}; median {statistics.median(ratios):.2f}"
            f" (p50 ratio median {statistics.median(ratios50):.2f},"
            f" cpu p95 ratio median {statistics.median(ratios_cpu):.2f})"
        )
    gcs = ", ".join(f"{label} {n}" for label, n in result["full_gc"].items())
    print(f"   full garbage collections while timing: {gcs}")
    loads = result["loads"]
    print(
        f"   1-min load during the rounds: {min(loads):.2f} to {max(loads):.2f}"
        f" (median {statistics.median(loads):.2f}), nproc {_nproc()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="4d05010", help="the old revision (default 4d05010)")
    parser.add_argument("--new", default="HEAD", help="the new revision (default HEAD)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per revision (min 5)")
    parser.add_argument(
        "--small-rounds",
        type=int,
        default=None,
        help=f"rounds for sizes up to {SMALL:,} (default twice --rounds)",
    )
    parser.add_argument("--requests", type=int, default=200, help="match requests per round")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--build",
        choices=["auto", "parallel", "serial"],
        default="auto",
        help="build both catalogues at once (auto: when the load leaves a core for each)",
    )
    parser.add_argument("--child", metavar="TREE", help=argparse.SUPPRESS)
    parser.add_argument("--synthetic", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, args.synthetic)

    small_rounds = args.small_rounds or 2 * args.rounds
    revs = {}
    for label, rev in (("OLD", args.old), ("NEW", args.new)):
        sha = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
        revs[label] = (
            f"{sha[:7]} ({_git('log', '-1', '--format=%cd %s', '--date=short', sha)[:70]})"
        )
        revs[label + "_sha"] = sha
    print(f"OLD = {args.old} = {revs['OLD']}")
    print(f"NEW = {args.new} = {revs['NEW']}")
    print(f"python {sys.version.split()[0]}, PYTHONHASHSEED=0 in both children, seed {args.seed}")
    print(f"start: {load_text()}")
    tmp = Path(tempfile.mkdtemp(prefix="cm-compare-"))
    try:
        trees = {}
        for label in ("OLD", "NEW"):
            trees[label] = tmp / label.lower()
            _export(revs[label + "_sha"], trees[label])
        for size in args.sizes:
            rounds = small_rounds if size <= SMALL else args.rounds
            result = bench_size(size, rounds, args, trees)
            report(result, revs, args.requests)
            sys.stdout.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"end: {load_text()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
