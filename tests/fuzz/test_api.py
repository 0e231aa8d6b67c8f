"""The JSON API against its own OpenAPI document (schemathesis), and the hostile bodies of
issue 12 by hand: no answer is ever a 500.

Schemathesis reads /api/v1/openapi.json from the WSGI app and generates, for every operation,
cases that fit the schema (positive) and cases that break it (negative), with a fixed seed.
Every answer must be below 500; a 429 counts as a correct answer (the limiter is off in the
tests, but a deployment with it on must pass too). Answers to positive cases must also match
the documented status codes and response schemas.
"""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from matcher import limits
from tests.fuzz import crafted
from tests.fuzz.conftest import Demo

pytestmark = pytest.mark.fuzz

# Generated cases per operation and mode; the match call gets the most (its body is rich).
# (Schemathesis leaves out the document it was loaded from; a test below reads it.)
EXAMPLES = {"match": 160, "listActivities": 110}
MIN_CASES = 500


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def _fuzz(operation, mode: GenerationMode, cases: Counter, failures: list[str],
          server_errors: list[int]) -> None:
    """One operation's generated cases in one mode; failed checks are collected."""
    name = operation.definition.raw["operationId"]

    @settings(max_examples=EXAMPLES[name], derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case) -> None:
        response = case.call()
        cases[(name, mode.value)] += 1
        if response.status_code >= 500:
            server_errors.append(response.status_code)
        if response.status_code == 429:
            return
        checks = [not_a_server_error]
        if mode.is_positive:
            checks += [status_code_conformance, response_schema_conformance]
        try:
            case.validate_response(response, checks=checks)
        except Exception as error:  # a failed check: kept, all are listed at the end
            failures.append(f"{name} {mode.value}: {case.as_curl_command()}\n"
                            f"  -> {response.status_code}: {str(error)[:400]}")

    call()


def test_every_api_operation_never_answers_500(app: Flask, demo: Demo, capsys,
                                               fuzz_figures) -> None:
    started = time.monotonic()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    cases: Counter = Counter()
    failures: list[str] = []
    server_errors: list[int] = []
    operations = list(_operations(schema))
    assert {op.definition.raw["operationId"] for op in operations} == set(EXAMPLES)

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, cases, failures, server_errors)
    total = sum(cases.values())
    fuzz_figures("api", cases=total, pairs=len(cases), server_errors=len(server_errors),
                 failures=len(failures), seconds=time.monotonic() - started)
    with capsys.disabled():
        print(f"\napi fuzz: {total} schemathesis cases "
              f"({', '.join(f'{k[0]} {k[1]}: {v}' for k, v in sorted(cases.items()))}), "
              f"{time.monotonic() - started:.0f} s, {len(failures)} failures")
    assert not failures, "\n".join(failures[:30])
    assert all(cases[(op, mode)] for op in EXAMPLES for mode in ("positive", "negative"))
    assert total >= MIN_CASES


# ---------------------------------------------------------------- the cases by hand


def test_the_openapi_document_is_served(client):
    document = client.get("/api/v1/openapi.json").get_json()
    request = document["components"]["schemas"]["MatchRequestDocument"]["properties"]["request"]
    assert request["properties"]["pupils"]["maximum"] == limits.PUPILS.high
    assert request["properties"]["grades"]["maxItems"] == limits.MAX_GRADES


def _match(client, body, **kwargs):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/api/v1/match", data=data,
                       content_type=kwargs.pop("content_type", "application/json"), **kwargs)


@pytest.mark.parametrize("sector", [{"po": 1}, ["po"], [], None, 5, "xx" * 5000])
def test_a_sector_that_is_no_word_is_a_400(client, sector):
    body = crafted.match_request(school={"name": "OBS", "sector": sector,
                                         "gemeente": "Amsterdam"})
    response = _match(client, body)
    assert response.status_code == 400
    assert any(e["path"] == "$.request.school.sector" for e in response.get_json()["errors"])


def test_deep_nesting_is_refused_before_it_is_parsed(client):
    response = _match(client, "[" * 20_000 + "]" * 20_000)
    assert response.status_code == 400
    assert "te diep genest" in response.get_json()["errors"][0]["message"]


def test_a_body_beyond_the_match_limit_is_a_413_naming_the_limit(client):
    body = crafted.match_request(wishes="a" * (limits.MATCH_BODY_BYTES + 10))
    response = _match(client, body)
    assert response.status_code == 413
    assert response.get_json()["error"] == "te-groot"
    assert limits.size_text(limits.MATCH_BODY_BYTES) in response.get_json()["message"]


def test_two_hundred_thousand_grades_are_refused(client):
    response = _match(client, crafted.match_request(grades=[5] * 200_000))
    assert response.status_code == 413  # over the body limit before any parsing


def test_many_grades_within_the_body_limit_name_the_maximum(client):
    response = _match(client, crafted.match_request(grades=[5] * 1000))
    assert response.status_code == 400
    messages = [e["message"] for e in response.get_json()["errors"]]
    assert f"Mag hoogstens {limits.MAX_GRADES} waarden bevatten." in messages


@pytest.mark.parametrize("budget", [1e30, 99999999999999999999999999, -1])
def test_a_budget_out_of_bounds_is_told_which_bound(client, budget):
    response = _match(client, crafted.match_request(budget=budget))
    assert response.status_code == 400
    message = response.get_json()["errors"][0]["message"]
    assert ("10.000.000" in message) == (budget > 0)


@pytest.mark.parametrize("pupils", [0, 10**30, limits.PUPILS.high + 1])
def test_pupils_out_of_bounds_is_a_400(client, pupils):
    assert _match(client, crafted.match_request(pupils=pupils)).status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data",
                                          "application/x-www-form-urlencoded"])
def test_any_content_type_is_read_as_json_or_refused_with_a_400(client, content_type):
    response = _match(client, "<xml/>", content_type=content_type)
    assert response.status_code == 400


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00\x00", b"NaN", b'{"format": Infinity}', b"",
                                 b'"\\ud800"', b"1e999999"])
def test_odd_json_is_a_400(client, raw):
    assert _match(client, raw).status_code == 400
