"""bench/evaluate.py: the metrics, the hard-rule checker, the loader and the baselines.

No subprocess: the matcher itself is run by `make evaluate`, not here.
"""

import copy
import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "samples"


def _load_module():
    path = ROOT / "bench" / "evaluate.py"
    spec = importlib.util.spec_from_file_location("cm_bench_evaluate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


ev = _load_module()


# -- metrics -------------------------------------------------------------------------------


def test_dcg_uses_exponential_gains_and_log2_discount():
    assert ev.dcg([]) == 0
    assert ev.dcg([3]) == 7
    assert ev.dcg([3, 2, 0, 1]) == pytest.approx(7 + 3 / math.log2(3) + 0 + 1 / math.log2(5))


def test_ndcg_perfect_reversed_and_unjudged():
    grades = {"a": 3, "b": 2, "c": 1}
    assert ev.ndcg(["a", "b", "c"], grades) == pytest.approx(1.0)
    reversed_ = (1 + 3 / math.log2(3) + 7 / 2) / (7 + 3 / math.log2(3) + 1 / 2)
    assert ev.ndcg(["c", "b", "a"], grades) == pytest.approx(reversed_)
    # an unjudged activity has grade 0; only the top 5 counts
    assert ev.ndcg(["x", "a", "b", "c"], grades) < ev.ndcg(["a", "b", "c", "x"], grades)
    assert ev.ndcg(["x1", "x2", "x3", "x4", "x5", "a"], grades) == 0


def test_ndcg_ideal_comes_from_all_grades_of_the_request():
    grades = {"a": 3, "b": 3, "c": 3, "d": 3, "e": 3, "f": 3, "g": 2}
    assert ev.ndcg(["a"], grades) == pytest.approx(7 / ev.dcg([3] * 5))
    assert ev.ndcg(["g", "a", "b", "c", "d"], grades) < 1
    assert ev.ndcg(["a", "b"], {"a": 0, "b": 0}) is None  # nothing to find


def test_recall_at_10_of_grade_2_and_up():
    grades = {"a": 3, "b": 2, "c": 2, "d": 1}
    assert ev.recall(["a", "d", "x"], grades) == pytest.approx(1 / 3)
    assert ev.recall(["x"] * 10 + ["a", "b", "c"], grades) == 0  # beyond the top 10
    many = {f"g{i}": 2 for i in range(15)}
    assert ev.recall([f"g{i}" for i in range(10)], many) == 1  # over min(10, |good|)
    assert ev.recall(["d"], {"d": 1}) is None  # no good match: skipped


def test_misfits_in_the_top_5_are_grade_0_unjudged_or_listed():
    grades = {"a": 3, "b": 0, "c": 1}
    ranked = ["a", "b", "x", "c", "listed", "late-misfit"]
    assert ev.misfits(ranked, {**grades, "listed": 2}, {"listed"}) == ["b", "x", "listed"]
    assert ev.misfits(["a", "c"], grades) == []


def test_summary_counts_misfits_over_the_slots_shown_and_violations_by_rule():
    rows = [
        {"ndcg": 1.0, "recall": None, "shown5": 2, "misfits": [], "violations": {}},
        {"ndcg": 0.5, "recall": 0.5, "shown5": 5, "misfits": ["x"],
         "violations": {"x": ["0", "5"], "y": ["unknown"]}},
    ]
    summary = ev.summarise(rows)
    assert summary["ndcg"] == pytest.approx(0.75)
    assert summary["recall"] == pytest.approx(0.5)  # the request without good matches skipped
    assert (summary["misfits"], summary["shown5"]) == (1, 7)
    assert summary["misfit_pct"] == pytest.approx(100 / 7)
    assert summary["violations"] == 2
    assert summary["violations_by_rule"] == {"0": 1, "5": 1, "unknown": 1}


# -- hard rules 0-5 ------------------------------------------------------------------------

PROVIDER = {"id": "p", "gemeente": "Zwolle", "serves": ["Zwolle", "Kampen"]}
ACTIVITY = {
    "id": "a", "provider": "p", "audience": [{"sector": "po", "grades": [5, 6]}],
    "group_size": {"min": 10, "max": 15}, "sessions": 4, "periods": ["naschools"],
    "price": {"amount": 100.0, "per": "sessie"},
}
REQUEST = {"id": "r", "school": {"name": "S", "sector": "po", "gemeente": "Kampen"},
           "interventions": ["welbevinden"], "grades": [6, 7], "pupils": 20,
           "periods": ["naschools", "weekend"], "budget": 800.0}


def _broken(activity=None, provider=None, request=None, participants="leerlingen"):
    return ev.broken_rules(activity or ACTIVITY, PROVIDER if provider is None else provider,
                           request or REQUEST, participants)


def test_a_feasible_pair_breaks_nothing():
    # 20 pupils, max 15: two groups, 4 sessions of 100 each: 800, exactly the budget
    assert ev.cost(ACTIVITY, REQUEST) == 800
    assert _broken() == []
    assert _broken(participants="leerlingen-en-ouders") == []  # counts as pupils


def test_rule_0_participants():
    assert _broken(participants="team") == [0]
    team_request = {**REQUEST, "participants": "team"}
    assert _broken(request=team_request, participants="team") == []
    assert _broken(request=team_request, participants="leerlingen") == [0]
    assert _broken(request=team_request, participants="leerlingen-en-ouders") == [0]
    assert _broken(request={**REQUEST, "participants": "leerlingen"}, participants="team") == [0]


def test_rule_1_audience():
    assert _broken(request={**REQUEST, "school": {**REQUEST["school"], "sector": "vo"}}) == [1]
    assert _broken(request={**REQUEST, "grades": [7, 8]}) == [1]


def test_rule_2_place():
    assert _broken(provider={**PROVIDER, "serves": ["Zwolle"]}) == [2]
    assert _broken(provider={"id": "p", "gemeente": "Kampen"}) == []  # absent serves: its gemeente
    assert _broken(provider={"id": "p", "gemeente": "Utrecht", "serves": ["*"]}) == []


def test_rule_3_time():
    assert _broken(request={**REQUEST, "periods": ["zomervakantie"]}) == [3]
    assert _broken(request={k: v for k, v in REQUEST.items() if k != "periods"}) == []


def test_rule_4_size():
    assert _broken(request={**REQUEST, "pupils": 9, "budget": None}) == [4]


def test_rule_5_money_per_leerling_groep_sessie():
    assert _broken(request={**REQUEST, "budget": 799.99}) == [5]
    assert _broken(request={**REQUEST, "budget": 800 - 1e-7}) == []  # within the tolerance
    per_pupil = {**ACTIVITY, "price": {"amount": 41.0, "per": "leerling"}}
    assert ev.cost(per_pupil, REQUEST) == 820
    assert _broken(activity=per_pupil) == [5]
    per_group = {**ACTIVITY, "price": {"amount": 400.0, "per": "groep"}}
    assert ev.cost(per_group, REQUEST) == 800
    assert _broken(activity=per_group) == []
    assert _broken(request={k: v for k, v in REQUEST.items() if k != "budget"},
                   activity=per_pupil) == []


# -- loader and baselines on the samples ---------------------------------------------------


def test_loader_on_the_samples():
    s = ev.load_set(SAMPLES, "samples")
    assert list(s.requests) == ["s01", "s02", "s03", "s04", "s05"]
    assert s.request_files["s03"] == SAMPLES / "requests" / "s03.json"
    assert len(s.activities) == 16 and len(s.providers) == 6
    assert s.grades("s01")["ij-vakantietheater"] == 3
    assert s.grades("s01").get("gron-zomerschool", 0) == 0  # unlisted: grade 0
    assert s.misfits["s02"] == {"ij-decor-bouwen"}
    assert not s.has_truth
    assert {s.true_participants(a) for a in s.activities} == {"leerlingen"}


def test_named_sets_and_paths(tmp_path):
    assert ev.resolve_set("samples") == ("samples", SAMPLES)
    assert ev.resolve_set("heldout")[1] == ROOT / "tests" / "data" / "devset" / "heldout"
    assert ev.resolve_set(str(tmp_path)) == (str(tmp_path), tmp_path.resolve())


def test_every_sample_judgment_is_feasible():
    s = ev.load_set(SAMPLES)
    for rid, grades in s.judgments.items():
        for aid in grades:
            assert ev.set_violations(s, rid, aid) == [], (rid, aid)


def test_baselines_on_the_samples():
    s = ev.load_set(SAMPLES)
    assert ev.baseline_claims_only(s, "s02") == ["ij-spel-en-gevoel", "ij-voorstelling-vriendschap"]
    assert ev.baseline_claims_first(s, "s02") == [
        "ij-spel-en-gevoel", "ij-voorstelling-vriendschap", "ij-decor-bouwen",
        "sanne-dans-en-durven"]
    # nothing claims ouderbetrokkenheid: claims-only is empty, claims-first lists by id
    assert ev.baseline_claims_only(s, "s05") == []
    assert ev.baseline_claims_first(s, "s05") == ["ehv-familiedag", "ehv-kinderworkshop-zaterdag"]
    scored = ev.evaluate_baselines(s)
    assert [r["request"] for r in scored["claims-first"]] == list(s.requests)
    s05 = scored["claims-first"][4]
    assert s05["ndcg"] == pytest.approx(1.0)
    assert s05["misfits"] == ["ehv-kinderworkshop-zaterdag"]
    only = ev.summarise(scored["claims-only"])
    assert only["violations"] == 0 and only["ndcg"] < ev.summarise(scored["claims-first"])["ndcg"]


def test_baselines_judge_rule_0_naively_and_are_charged_on_the_truth(tmp_path):
    """A course for teachers that does not say so: the naive rule lets it through for pupils,
    and the truth counts that as a rule-0 violation."""
    offers = json.loads((SAMPLES / "offers.json").read_text())
    spel = next(a for a in offers["activities"] if a["id"] == "ij-spel-en-gevoel")
    course = {**copy.deepcopy(spel), "id": "ij-a-teamcursus", "title": "Welbevinden in de klas"}
    told = {**copy.deepcopy(spel), "id": "ij-b-teamdag", "participants": "team"}
    offers["activities"] += [course, told]
    (tmp_path / "offers.json").write_text(json.dumps(offers))
    (tmp_path / "requests").mkdir()
    for name in ("s02.json",):
        (tmp_path / "requests" / name).write_text((SAMPLES / "requests" / name).read_text())
    (tmp_path / "judgments.json").write_text(json.dumps(
        {"s02": {"ij-spel-en-gevoel": 3, "ij-voorstelling-vriendschap": 2}}))
    (tmp_path / "truth.json").write_text(json.dumps(
        {"activities": {"ij-a-teamcursus": {"participants": "team", "fills": []}}}))
    s = ev.load_set(tmp_path)
    assert s.has_truth
    assert s.true_participants("ij-a-teamcursus") == "team"
    assert s.true_participants("ij-b-teamdag") == "team"  # given, not in truth.json
    assert s.true_participants("ij-spel-en-gevoel") == "leerlingen"
    assert "ij-a-teamcursus" not in ev.feasible(s, "s02")
    assert ev.baseline_claims_only(s, "s02") == [
        "ij-a-teamcursus", "ij-spel-en-gevoel", "ij-voorstelling-vriendschap"]
    row = ev.evaluate_baselines(s)["claims-only"][0]
    assert row["violations"] == {"ij-a-teamcursus": ["0"]}
    assert row["misfits"] == ["ij-a-teamcursus"]
    assert ev.score_ranking(s, "s02", ["nope"])["violations"] == {"nope": ["unknown"]}


def test_parse_answer():
    answer = {"request": "s01", "matches": [{"activity": "a", "score": 1.0}, {"activity": "b"}]}
    assert ev.parse_answer(json.dumps(answer), "s01") == ["a", "b"]
    for bad in ("", "{}", json.dumps({"request": "s01", "matches": [{}]}), json.dumps(answer)):
        with pytest.raises(ValueError):
            ev.parse_answer(bad, "s02" if bad == json.dumps(answer) else "s01")
