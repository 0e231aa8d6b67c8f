"""Memory benchmark: how much a crafted upload raises a fresh server process's peak memory.

usage: .venv/bin/python bench/bench_memory.py [--limit-mb 50] [--only NAME ...] [--json]

Every crafted file of tests/fuzz/crafted.py (grade ranges, many empty rows, a huge cell or
shared string, deep nesting, a zip bomb, many broken rows, random bytes) goes, each in a
process of its own, through the import page as an approved provider's staff member; and the
hostile match requests go to POST /api/v1/match. The process first warms up (signs in,
imports one small CSV, XLSX and JSON file, asks for one match), so what it costs once
(modules, templates, the match index) is not counted. Then its peak resident memory is reset
(/proc/self/clear_refs) and the upload sent; the figure is the peak (VmHWM) minus the
resident memory just before. The body streams from disk (the test client spools a multipart
body to a temporary file above 500 kB, as werkzeug does for a real server).

It prints per file its size, the rise in MB, the answer (imported, or refused with the first
problem) and whether it stayed within the limit; the exit status is 1 if any file rose more
than --limit-mb or was answered with a 500.
"""

from __future__ import annotations

import argparse
import gc
import html
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz import crafted  # noqa: E402

PASSWORD = "een-lang-bench-wachtwoord"  # noqa: S105 - a throwaway account in a temp database

MATCH_BODIES = {
    "api: 19 MB valid body": lambda: json.dumps(crafted.match_request(
        wishes="theater " * 2_400_000)).encode(),
    "api: 200,000 grades": lambda: json.dumps(crafted.match_request(
        grades=[5] * 200_000)).encode(),
    "api: 1,000 grades (under the body limit)": lambda: json.dumps(crafted.match_request(
        grades=[5] * 1000)).encode(),
    "api: 30,000 levels deep": lambda: b"[" * 30_000 + b"]" * 30_000,
    "api: sector as an object": lambda: json.dumps(crafted.match_request(
        school={"name": "x", "sector": {"po": [1] * 5000}, "gemeente": "A"})).encode(),
}


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _app(folder: Path):
    from argon2 import PasswordHasher

    from matcher import create_app, migrate
    from matcher.accounts import passwords

    # Cheap hashing: Argon2's 64 MB would only blur the warm-up.
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    app = create_app({"TESTING": True, "SECRET_KEY": "bench-secret-key-long-enough-0123456789",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                      "CATALOGUE_CHECK_SECONDS": 0.0})
    migrate.upgrade(app)
    return app


def _staff(app) -> str:
    from matcher.accounts import services
    from matcher.accounts.roles import OrganisationKind, Role
    from matcher.db import db
    from providers.models import Provider

    with app.app_context():
        organisation = services.create_organisation(kind=OrganisationKind.PROVIDER,
                                                    name="Bench", gemeente="Amsterdam")
        db.session.add(Provider(key="onbekend", organisation=organisation, name="Bench",
                                kind="jeugdtheater", gemeente="Amsterdam",
                                serves=["Amsterdam"], approved=True))
        services.create_user(email="bench@example.nl", name="Bench", role=Role.PROVIDER_STAFF,
                             organisation=organisation, password=PASSWORD)
        db.session.commit()
    return "bench@example.nl"


def _upload(client, content: bytes | io.BufferedReader, filename: str):
    file = io.BytesIO(content) if isinstance(content, bytes) else content
    return client.post("/aanbieder/importeren", content_type="multipart/form-data",
                       data={"file": (file, filename)})


def _answer(response) -> str:
    """Imported, or refused with the first problem the page lists."""
    if response.status_code == 302:
        return "imported"
    body = html.unescape(response.get_data(as_text=True))
    if response.is_json:
        data = response.get_json()
        problem = (data.get("errors") or [data])[0].get("message", "")
        return f"refused ({response.status_code}): {problem}"
    start = body.find("<li><strong>")
    if start >= 0:
        item = body[start + 12:body.find("</li>", start)].replace("</strong>", "")
        return f"refused ({response.status_code}): {item}"
    return f"refused ({response.status_code})" + (
        f": {body[body.find('<p>', body.find('<h1>')) + 3:body.find('</p>', body.find('<h1>'))]}"
        if response.status_code >= 400 else "")


def measure_one(path: Path, filename: str, kind: str) -> dict:
    """In this (fresh) process: warm up, reset the peak, send the file, read the peak."""
    with tempfile.TemporaryDirectory() as folder, path.open("rb") as content:
        app = _app(Path(folder))
        email = _staff(app)
        client = app.test_client()
        client.post("/inloggen", data={"email": email, "password": PASSWORD})
        for warm, name in ((crafted.csv_eight_problems(), "w.csv"),
                           (crafted.xlsx_valid(), "w.xlsx"), (crafted.json_offers(5), "w.json")):
            _upload(client, warm, name)
        client.post("/api/v1/match", json=crafted.match_request())
        client.get("/aanbieder/importeren")
        gc.collect()
        before = _rss_kb("VmRSS")
        _reset_peak()
        started = time.perf_counter()
        if kind == "api":
            # Streamed from disk, as a server receives it: a body refused for its length
            # is never read.
            response = client.post("/api/v1/match", input_stream=content,
                                   content_length=path.stat().st_size,
                                   content_type="application/json")
        else:
            response = _upload(client, content, filename)
        seconds = time.perf_counter() - started
        peak = _rss_kb("VmHWM")
        return {"rise_mb": round((peak - before) / 1024, 1), "status": response.status_code,
                "answer": _answer(response)[:140], "seconds": round(seconds, 2)}


def _cases(only: list[str]) -> list[tuple[str, str, str, object]]:
    cases = [(name, filename, "upload", build) for name, filename, build in
             crafted.CRAFTED_UPLOADS]
    cases += [(name, "match.json", "api", build) for name, build in MATCH_BODIES.items()]
    return [c for c in cases if not only or any(o in c[0] for o in only)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit-mb", type=float, default=50.0)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("PATH", "FILENAME", "KIND"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, filename, kind = args.child
        print(json.dumps(measure_one(Path(path), filename, kind)))
        return 0
    results, failed = [], False
    with tempfile.TemporaryDirectory() as folder:
        for name, filename, kind, build in _cases(args.only):
            path = Path(folder) / filename
            path.write_bytes(build())
            done = subprocess.run(  # noqa: S603 - this script, in a fresh interpreter
                [sys.executable, __file__, "--child", str(path), filename, kind],
                capture_output=True, text=True, check=False)
            if done.returncode != 0:
                result = {"rise_mb": None, "status": None, "answer": done.stderr[-300:]}
            else:
                result = json.loads(done.stdout.strip().splitlines()[-1])
            ok = result["rise_mb"] is not None and result["rise_mb"] <= args.limit_mb \
                and (result["status"] or 500) < 500
            failed |= not ok
            results.append({"file": name, "bytes": path.stat().st_size, **result, "ok": ok})
            if not args.json:
                print(f"{name:42} {path.stat().st_size:>11,} B  "
                      f"{result['rise_mb'] if result['rise_mb'] is not None else '-':>6} MB  "
                      f"{'ok  ' if ok else 'FAIL'}  {result['answer']}", flush=True)
            path.unlink()
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        worst = max((r["rise_mb"] or 0) for r in results)
        print(f"\n{len(results)} files, worst rise {worst} MB (limit {args.limit_mb} MB): "
              f"{'all within' if not failed else 'SOME OVER THE LIMIT OR A 500'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
