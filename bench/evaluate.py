"""Match quality of the installed `cultuurmatch` command on graded sets, beside two baselines.

usage: .venv/bin/python bench/evaluate.py [CULTUURMATCH_BIN] [--set NAME|PATH ...]
           [--min-ndcg 0.95] [--max-misfits 2] [--jobs 3] [--quiet] [--json]
       .venv/bin/python bench/evaluate.py --check-judgments [--set NAME|PATH ...]

A set is a folder with `offers.json`, `requests/*.json`, `judgments.json`
({request id: {activity id: grade 0-3}}) and optionally `truth.json` ({"activities": {id:
{"participants": ...}}}, the true participants of each activity) and `misfits.json` ({request
id: [activity ids that must not be offered]}). Named sets: `samples` (tests/data/samples),
`tuning`, `tuning2`, `tuning3`, `tuning4` and `heldout` (tests/data/devset/...); any other value of
--set is a folder path. Without --set all named sets are evaluated; a missing folder is
reported and skipped.

For each set the offers are imported into a fresh SQLite database through `cultuurmatch import`
and every request is run through `cultuurmatch match FILE --limit 10 --json` (a few processes
at a time, reading the same database). Without truth.json an activity's true participants are
the ones it gives, else `leerlingen`. Figures per set:

- nDCG@5: gains 2^grade - 1, log2 discount, the ideal from all grades of the request; an
  activity the judgments do not list has grade 0.
- recall@10: |grade >= 2 in the top 10| / min(10, |grade >= 2|), over the requests that have
  such an activity.
- misfits in the top 5: shown activities with grade 0 (unjudged, or listed in misfits.json),
  summed over the requests, over the slots actually shown.
- violations: returned activities that break hard rule 0-5 (exchange-v1 section 3, computed
  from the fields; rule 0 on the true participants), and ids that are not in the offers.

Two baselines are computed here from the offers alone, without the engine: "claims only"
returns the activities that pass rules 0-5 and claim a requested intervention, most requested
claims first, then by id; "claims first" returns every activity that passes rules 0-5, those
with a requested claim first, each part by id. Both judge rule 0 the naive way, on the
participants the provider gave (absent = leerlingen); their violations are counted on the
true participants.

The exit status is 1 when, for any set present, the matcher's nDCG@5 < --min-ndcg, its misfit
rate > --max-misfits percent, it returns a violation or an answer cannot be read (or the import
fails). --check-judgments instead lists judged activities that break a hard rule and, for sets
with truth.json (whose judgments must grade every feasible activity), feasible ones left
ungraded; it exits 1 when it finds any.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMED_SETS = {
    "samples": ROOT / "tests" / "data" / "samples",
    "tuning": ROOT / "tests" / "data" / "devset" / "tuning",
    "tuning2": ROOT / "tests" / "data" / "devset" / "tuning2",
    "tuning3": ROOT / "tests" / "data" / "devset" / "tuning3",
    "tuning4": ROOT / "tests" / "data" / "devset" / "tuning4",
    "heldout": ROOT / "tests" / "data" / "devset" / "heldout",
}
RULES = ("participants", "audience", "place", "time", "size", "money")  # index = rule number
PUPIL_PARTICIPANTS = {"leerlingen", "leerlingen-en-ouders"}
NDCG_AT, RECALL_AT, MISFIT_AT, GOOD_GRADE, LIMIT = 5, 10, 5, 2, 10
SYSTEMS = ("matcher", "claims-only", "claims-first")
SYSTEM_LABELS = {"matcher": "matcher", "claims-only": "baseline claims-only",
                 "claims-first": "baseline claims-first"}


class SetError(Exception):
    """A set folder that cannot be read."""


@dataclass
class EvalSet:
    name: str
    path: Path
    providers: dict[str, dict]
    activities: dict[str, dict]
    requests: dict[str, dict]  # request id -> the "request" object, in file-name order
    request_files: dict[str, Path]
    judgments: dict[str, dict[str, int]]
    truth: dict[str, str] = field(default_factory=dict)  # activity id -> true participants
    misfits: dict[str, set[str]] = field(default_factory=dict)
    has_truth: bool = False

    def true_participants(self, activity_id: str) -> str:
        if activity_id in self.truth:
            return self.truth[activity_id]
        return self.activities[activity_id].get("participants") or "leerlingen"

    def grades(self, request_id: str) -> dict[str, int]:
        return self.judgments.get(request_id, {})


# -- loading -------------------------------------------------------------------------------


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SetError(f"{path}: {error}") from error


def resolve_set(value: str) -> tuple[str, Path]:
    """A named set or a folder path, as (display name, folder)."""
    if value in NAMED_SETS:
        return value, NAMED_SETS[value]
    return value, Path(value).expanduser().resolve()


def load_set(path: Path, name: str | None = None) -> EvalSet:
    path = Path(path)
    offers = _read_json(path / "offers.json")
    request_files: dict[str, Path] = {}
    requests: dict[str, dict] = {}
    for file in sorted((path / "requests").glob("*.json")):
        document = _read_json(file)
        try:
            request = document["request"]
            request_id = request["id"]
        except (KeyError, TypeError) as error:
            raise SetError(f"{file}: not a request document ({error})") from error
        if request_id in requests:
            raise SetError(f"{file}: request id {request_id} also in {request_files[request_id]}")
        requests[request_id] = request
        request_files[request_id] = file
    if not requests:
        raise SetError(f"{path / 'requests'}: no request documents")
    judgments = {rid: {aid: int(g) for aid, g in rel.items()}
                 for rid, rel in _read_json(path / "judgments.json").items()}
    truth: dict[str, str] = {}
    has_truth = (path / "truth.json").exists()
    if has_truth:
        for aid, entry in _read_json(path / "truth.json").get("activities", {}).items():
            if entry.get("participants"):
                truth[aid] = entry["participants"]
    misfits: dict[str, set[str]] = {}
    if (path / "misfits.json").exists():
        misfits = {rid: set(ids) for rid, ids in _read_json(path / "misfits.json").items()}
    return EvalSet(
        name=name or path.name, path=path,
        providers={p["id"]: p for p in offers.get("providers", [])},
        activities={a["id"]: a for a in offers.get("activities", [])},
        requests=requests, request_files=request_files, judgments=judgments,
        truth=truth, misfits=misfits, has_truth=has_truth)


# -- hard rules 0-5 ------------------------------------------------------------------------


def request_participants(request: dict) -> str:
    return request.get("participants") or "leerlingen"


def cost(activity: dict, request: dict) -> float:
    groups = math.ceil(request["pupils"] / activity["group_size"]["max"])
    amount, per = activity["price"]["amount"], activity["price"]["per"]
    if per == "leerling":
        return amount * request["pupils"]
    if per == "groep":
        return amount * groups
    return amount * activity["sessions"] * groups  # per sessie


def broken_rules(activity: dict, provider: dict | None, request: dict,
                 participants: str) -> list[int]:
    """The hard rules 0-5 the activity breaks for the request; `participants` is the activity's
    participants to judge rule 0 on (the true ones, or the given ones for a naive system)."""
    broken = []
    pupil_request = request_participants(request) != "team"
    if (participants in PUPIL_PARTICIPANTS) != pupil_request:
        broken.append(0)
    school = request["school"]
    grades = {g for aud in activity["audience"] if aud["sector"] == school["sector"]
              for g in aud["grades"]}
    if not grades & set(request["grades"]):
        broken.append(1)
    provider = provider or {}
    serves = provider.get("serves") or [provider.get("gemeente")]
    if "*" not in serves and school["gemeente"] not in serves:
        broken.append(2)
    if request.get("periods") and not set(request["periods"]) & set(activity["periods"]):
        broken.append(3)
    if request["pupils"] < activity["group_size"]["min"]:
        broken.append(4)
    if request.get("budget") is not None and cost(activity, request) > request["budget"] + 1e-6:
        broken.append(5)
    return broken


def set_violations(s: EvalSet, request_id: str, activity_id: str) -> list[str]:
    """Rule numbers (as text) a returned activity breaks on its TRUE participants."""
    activity = s.activities.get(activity_id)
    if activity is None:
        return ["unknown"]
    provider = s.providers.get(activity["provider"])
    return [str(r) for r in broken_rules(activity, provider, s.requests[request_id],
                                         s.true_participants(activity_id))]


def feasible(s: EvalSet, request_id: str, naive: bool = False) -> list[str]:
    """Activity ids passing rules 0-5, by id; `naive` judges rule 0 on the given participants."""
    request = s.requests[request_id]
    found = []
    for aid in sorted(s.activities):
        act = s.activities[aid]
        participants = (act.get("participants") or "leerlingen") if naive \
            else s.true_participants(aid)
        if not broken_rules(act, s.providers.get(act["provider"]), request, participants):
            found.append(aid)
    return found


# -- baselines -----------------------------------------------------------------------------


def _claimed(s: EvalSet, request_id: str, activity_id: str) -> int:
    wanted = set(s.requests[request_id]["interventions"])
    return len(wanted & set(s.activities[activity_id].get("interventions") or []))


def baseline_claims_only(s: EvalSet, request_id: str) -> list[str]:
    """Naively feasible activities claiming a requested intervention: most claims, then id."""
    claims = {aid: _claimed(s, request_id, aid) for aid in feasible(s, request_id, naive=True)}
    return sorted((aid for aid, n in claims.items() if n), key=lambda aid: (-claims[aid], aid))


def baseline_claims_first(s: EvalSet, request_id: str) -> list[str]:
    """Every naively feasible activity: those claiming a requested intervention first, by id."""
    ids = feasible(s, request_id, naive=True)
    return sorted(ids, key=lambda aid: (not _claimed(s, request_id, aid), aid))


# -- metrics -------------------------------------------------------------------------------


def dcg(gains: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg(ranked: list[str], grades: dict[str, int], k: int = NDCG_AT) -> float | None:
    """nDCG@k; None when the request has no activity with a grade above 0."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal <= 0:
        return None
    return dcg([grades.get(a, 0) for a in ranked[:k]]) / ideal


def recall(ranked: list[str], grades: dict[str, int], k: int = RECALL_AT,
           good: int = GOOD_GRADE) -> float | None:
    """|good in top k| / min(k, |good|); None when the request has no good activity."""
    wanted = {a for a, g in grades.items() if g >= good}
    if not wanted:
        return None
    return len(wanted & set(ranked[:k])) / min(k, len(wanted))


def misfits(ranked: list[str], grades: dict[str, int], listed: set[str] | None = None,
            k: int = MISFIT_AT) -> list[str]:
    """Shown activities in the top k with grade 0 (unjudged counts as 0) or listed as misfit."""
    listed = listed or set()
    return [a for a in ranked[:k] if grades.get(a, 0) == 0 or a in listed]


def score_ranking(s: EvalSet, request_id: str, ranked: list[str]) -> dict:
    grades = s.grades(request_id)
    return {
        "request": request_id,
        "ndcg": ndcg(ranked, grades),
        "recall": recall(ranked, grades),
        "top5": ranked[:MISFIT_AT],
        "shown5": len(ranked[:MISFIT_AT]),
        "misfits": misfits(ranked, grades, s.misfits.get(request_id)),
        "violations": {a: v for a in ranked if (v := set_violations(s, request_id, a))},
        "returned": len(ranked),
    }


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def summarise(per_request: list[dict]) -> dict:
    """Averages over the requests; an unreadable answer scores 0 for nDCG and recall."""
    shown = sum(r.get("shown5", 0) for r in per_request)
    flagged = sum(len(r.get("misfits", [])) for r in per_request)
    by_rule: dict[str, int] = {}
    for r in per_request:
        for rules in r.get("violations", {}).values():
            for rule in rules:
                by_rule[rule] = by_rule.get(rule, 0) + 1
    return {
        "requests": len(per_request),
        "ndcg": _mean([r["ndcg"] for r in per_request]),
        "recall": _mean([r["recall"] for r in per_request]),
        "recall_requests": sum(r["recall"] is not None for r in per_request),
        "misfits": flagged, "shown5": shown,
        "misfit_pct": 100.0 * flagged / shown if shown else 0.0,
        "violations": sum(len(r.get("violations", {})) for r in per_request),
        "violations_by_rule": dict(sorted(by_rule.items())),
        "unreadable": sum(bool(r.get("error")) for r in per_request),
    }


# -- running the command -------------------------------------------------------------------


def default_command() -> str:
    beside = Path(sys.executable).parent / "cultuurmatch"
    return str(beside) if beside.exists() else (shutil.which("cultuurmatch") or str(beside))


def _run(argv: list[str], env: dict, cwd: str, timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True,  # noqa: S603
                          timeout=timeout, check=False)


def _tail(p: subprocess.CompletedProcess, n: int = 300) -> str:
    return " ".join((p.stderr or p.stdout or "").split())[-n:]


def parse_answer(stdout: str, request_id: str) -> list[str]:
    """The ranked activity ids of a `match --json` answer; ValueError when it is unreadable."""
    try:
        answer = json.loads(stdout)
        ranked = [m["activity"] for m in answer["matches"]]
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"not the match JSON: {error!r}") from error
    if not all(isinstance(a, str) for a in ranked):
        raise ValueError("an activity id is not text")
    if answer.get("request") != request_id:
        raise ValueError(f"answer for request {answer.get('request')!r}")
    return ranked


def run_matcher(s: EvalSet, command: str, jobs: int) -> tuple[dict[str, list[str] | str], str]:
    """{request id: ranked ids, or the error text}, and an import error ('' when it worked)."""
    with tempfile.TemporaryDirectory(prefix="cm-eval-") as tmp:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/eval.db",
                   MATCHER_INSTANCE_DIR=f"{tmp}/instance")
        steps = [[command, "db", "upgrade"]] if os.environ.get("EVAL_UPGRADE") else []
        steps.append([command, "import", str(s.path / "offers.json")])
        for step in steps:
            try:
                p = _run(step, env, tmp, timeout=600)
            except (OSError, subprocess.TimeoutExpired) as error:
                return {}, f"{' '.join(step[1:])}: {error}"
            if p.returncode != 0:
                return {}, f"{' '.join(step[1:])} exited {p.returncode}: {_tail(p, 400)}"

        def one(request_id: str) -> list[str] | str:
            argv = [command, "match", str(s.request_files[request_id]), "--limit", str(LIMIT),
                    "--json"]
            try:
                p = _run(argv, env, tmp, timeout=180)
            except (OSError, subprocess.TimeoutExpired) as error:
                return f"did not run: {error}"
            try:
                return parse_answer(p.stdout, request_id)
            except ValueError as error:
                return f"unreadable answer (exit {p.returncode}): {error}: {_tail(p)}"

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            answers = dict(zip(s.requests, pool.map(one, s.requests), strict=True))
    return answers, ""


# -- evaluating a set ----------------------------------------------------------------------


def evaluate_baselines(s: EvalSet) -> dict[str, list[dict]]:
    return {
        "claims-only": [score_ranking(s, rid, baseline_claims_only(s, rid)[:LIMIT])
                        for rid in s.requests],
        "claims-first": [score_ranking(s, rid, baseline_claims_first(s, rid)[:LIMIT])
                         for rid in s.requests],
    }


def evaluate_set(s: EvalSet, command: str, jobs: int, min_ndcg: float,
                 max_misfits: float) -> dict:
    answers, import_error = run_matcher(s, command, jobs)
    matcher: list[dict] = []
    for rid in s.requests:
        answer = answers.get(rid, "not run (import failed)" if import_error else "no answer")
        if isinstance(answer, str):
            matcher.append({"request": rid, "ndcg": 0.0,
                            "recall": 0.0 if recall([], s.grades(rid)) is not None else None,
                            "top5": [], "shown5": 0, "misfits": [], "violations": {},
                            "returned": 0, "error": answer})
        else:
            matcher.append(score_ranking(s, rid, answer))
    per_request = {"matcher": matcher, **evaluate_baselines(s)}
    summary = {name: summarise(rows) for name, rows in per_request.items()}
    failures = []
    m = summary["matcher"]
    if import_error:
        m["ndcg"] = m["recall"] = None
        failures.append("import failed")
    if not import_error and m["ndcg"] is not None and m["ndcg"] < min_ndcg:
        failures.append(f"nDCG@5 {m['ndcg']:.3f} < {min_ndcg}")
    if not import_error and m["misfit_pct"] > max_misfits:
        failures.append(f"misfits in top 5 {m['misfit_pct']:.1f}% > {max_misfits}%")
    if m["violations"]:
        failures.append(f"{m['violations']} hard-rule violations")
    if m["unreadable"] and not import_error:
        failures.append(f"{m['unreadable']} unreadable answers")
    return {"set": s.name, "path": str(s.path), "requests": len(s.requests),
            "activities": len(s.activities), "providers": len(s.providers),
            "truth": s.has_truth, "import_error": import_error, "summary": summary,
            "per_request": per_request, "failures": failures, "ok": not failures}


# -- printing ------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _violations_text(summary: dict) -> str:
    if not summary["violations"]:
        return "0"
    parts = ", ".join(f"r{rule} {n}" if rule != "unknown" else f"unknown {n}"
                      for rule, n in summary["violations_by_rule"].items())
    return f"{summary['violations']} ({parts})"


def print_request_lines(result: dict) -> None:
    for r in result["per_request"]["matcher"]:
        if r.get("error"):
            print(f"  {r['request']}: {r['error']}")
            continue
        line = (f"  {r['request']}: nDCG@5 {_fmt(r['ndcg'], 3)}  recall@10 {_fmt(r['recall'], 2)}"
                f"  top5 {r['top5']}")
        if r["misfits"]:
            line += f"  misfits {r['misfits']}"
        print(line)
        for aid, rules in r["violations"].items():
            print(f"    hard rule broken: returned {aid}: rule {', '.join(rules)}")


def print_table(result: dict) -> None:
    print(f"  {'':<22} {'nDCG@5':>7} {'recall@10':>10} {'misfits top5':>16}  violations 0-5")
    for name in SYSTEMS:
        s = result["summary"][name]
        if name == "matcher" and result["import_error"]:
            print(f"  {SYSTEM_LABELS[name]:<22} not run: the import failed")
            continue
        misfit = f"{s['misfits']}/{s['shown5']} {s['misfit_pct']:5.1f}%"
        print(f"  {SYSTEM_LABELS[name]:<22} {_fmt(s['ndcg'], 3):>7} {_fmt(s['recall'], 2):>10}"
              f" {misfit:>16}  {_violations_text(s)}"
              + (f"  unreadable {s['unreadable']}" if s["unreadable"] else ""))


def _shown_path(path: str) -> str:
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return path


def print_result(result: dict, quiet: bool) -> None:
    print(f"set {result['set']} ({_shown_path(result['path'])}): {result['requests']} requests, "
          f"{result['activities']} activities, {result['providers']} providers"
          + ("" if result["truth"] else ", participants as given (no truth.json)"))
    if result["import_error"]:
        print(f"  import failed: {result['import_error']}")
    elif not quiet:
        print_request_lines(result)
    print_table(result)
    print(f"  {result['set']}: " + ("ok" if result["ok"] else "FAIL: "
                                    + "; ".join(result["failures"])))
    print()


# -- checking the judgments ----------------------------------------------------------------


def check_judgments(s: EvalSet) -> int:
    """Print judged activities that break a rule (and, for a set with truth.json, feasible ones
    left ungraded); return how many problems there are."""
    problems = 0
    for rid, grades in s.judgments.items():
        if rid not in s.requests:
            problems += 1
            print(f"  {rid}: judged but no such request")
            continue
        for aid in grades:
            broken = set_violations(s, rid, aid)
            if broken:
                problems += 1
                print(f"  {rid}: judged {aid} breaks rule {', '.join(broken)}")
    for rid in s.requests:
        ok = feasible(s, rid)
        ungraded = [a for a in ok if a not in s.grades(rid)]
        good = sum(g >= GOOD_GRADE for a, g in s.grades(rid).items() if a in ok)
        print(f"  {rid}: feasible {len(ok)}, judged {len(s.grades(rid))}, grade>=2 {good}"
              + (f", feasible but ungraded {ungraded}" if ungraded else ""))
        if s.has_truth and ungraded:
            problems += len(ungraded)
    return problems


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Match quality of the cultuurmatch command on graded sets, with baselines.")
    parser.add_argument("command", nargs="?", default=None,
                        help="the cultuurmatch command (default: the one beside this Python)")
    parser.add_argument("--set", dest="sets", action="append", metavar="NAME|PATH",
                        help="samples, tuning, tuning2, tuning3, heldout or a folder; repeatable "
                             "(default: all)")
    parser.add_argument("--min-ndcg", type=float, default=0.95)
    parser.add_argument("--max-misfits", type=float, default=2.0,
                        help="highest misfit rate in the top 5, percent (default 2)")
    parser.add_argument("--jobs", type=int, default=3, help="match processes at a time")
    parser.add_argument("--quiet", action="store_true", help="no per-request lines")
    parser.add_argument("--json", action="store_true", help="print all figures as JSON")
    parser.add_argument("--check-judgments", action="store_true",
                        help="check the judgments against the hard rules instead")
    args = parser.parse_args(argv)
    command = args.command or default_command()
    say = (lambda *a, **k: None) if args.json else print

    results, missing, broken = [], [], []
    problems = 0
    for value in args.sets or list(NAMED_SETS):
        name, path = resolve_set(value)
        if not path.is_dir():
            missing.append({"set": name, "path": str(path)})
            say(f"set {name}: {_shown_path(str(path))} does not exist, skipped")
            continue
        try:
            s = load_set(path, name)
        except SetError as error:
            broken.append({"set": name, "path": str(path), "error": str(error)})
            say(f"set {name}: cannot be read: {error}")
            continue
        if args.check_judgments:
            say(f"set {name} ({path}):")
            problems += check_judgments(s)
            continue
        result = evaluate_set(s, command, args.jobs, args.min_ndcg, args.max_misfits)
        results.append(result)
        if not args.json:
            print_result(result, args.quiet)

    if args.check_judgments:
        say(f"judgments: {problems} problems" + (f", {len(broken)} unreadable sets"
                                                 if broken else ""))
        return 1 if problems or broken else 0

    ok = all(r["ok"] for r in results) and not broken
    if args.json:
        print(json.dumps({"command": command, "min_ndcg": args.min_ndcg,
                          "max_misfits_pct": args.max_misfits, "ok": ok, "sets": results,
                          "missing": missing, "unreadable_sets": broken}, indent=1))
        return 0 if ok else 1
    parts = [f"{r['set']} " + ("not run" if r["import_error"] else
                               f"nDCG@5 {_fmt(r['summary']['matcher']['ndcg'], 3)}")
             for r in results]
    failed = [f"{r['set']}: {'; '.join(r['failures'])}" for r in results if not r["ok"]]
    failed += [f"{b['set']}: cannot be read" for b in broken]
    verdict = ("PASS" if results else "NOTHING EVALUATED") if ok else "FAIL"
    line = f"verdict: {verdict} (bars nDCG@5 >= {args.min_ndcg}, misfits <= {args.max_misfits}%"
    line += ", no violations)"
    if parts:
        line += ": " + ", ".join(parts)
    if missing:
        line += "; skipped (missing): " + ", ".join(m["set"] for m in missing)
    if failed:
        line += " | " + " | ".join(failed)
    print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
