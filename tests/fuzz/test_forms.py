"""Every form, as every role allowed to use it, with generated hostile values: never a 500.

The suite signs in as each demo role (and as an anonymous visitor), walks the site from the
role's pages through its links, and reads every form it meets: its action, fields, options
and buttons. Then, for every endpoint that takes a form (every POST endpoint in the URL map,
and every endpoint a GET form on some page targets) and every role allowed there, it posts
values that hypothesis generates (tests/fuzz/values.py) and reads the form's page again, and
the page the answer redirects to. At the end it reads every page it visited once more, as
every role: a stored value must never break a later page.

It asserts:
- no answer has a status of 500 or more, ever;
- coverage: every (form endpoint, allowed role) pair was tried, and at least
  MIN_SUBMISSIONS forms were sent, so a suite that quietly tries nothing fails.

Fixed seed (hypothesis derandomize), no shrinking: a failure lists every 500 at once, with
the role, the URL and the values that caused it.
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from matcher.accounts.access import rule_for
from matcher.accounts.models import User
from matcher.accounts.roles import Role
from matcher.db import db
from providers.models import Activity, ActivityDate, Provider
from tests.fuzz.conftest import ROLES, Demo, role_name
from tests.fuzz.html import Form, read_page
from tests.fuzz.values import submission
from tests.test_access_matrix import URL_VALUES

pytestmark = pytest.mark.fuzz

# Endpoints the form fuzzer leaves alone: the JSON API has its own suite (test_api.py).
NOT_FORMS = {"static", "api.match"}
MAX_PAGES_PER_ROLE = 90
MAX_URLS_PER_ENDPOINT = 3
# FUZZ_EXAMPLES_PER_PAIR=3 for a quick local look; the suite's figures are these.
EXAMPLES_PER_PAIR = int(os.environ.get("FUZZ_EXAMPLES_PER_PAIR", "24"))
MIN_SUBMISSIONS = 3000 if EXAMPLES_PER_PAIR >= 24 else 1
# Forms the demo shows on a page, which must be fuzzed as that page shows them (not with a
# fallback form): the undo actions of issue 12.
SHOWN_FORMS = {("schools.remove_programme_item", Role.COORDINATOR),
               ("schools.remove_programme_item", Role.SCHOOL_LEADER),
               ("school_offers.change_capacity", Role.PROVIDER_STAFF)}


@dataclass
class Run:
    """What the fuzzer did: requests, submissions per pair, and every answer >= 500."""

    requests: int = 0
    submissions: Counter = field(default_factory=Counter)
    real_forms: set = field(default_factory=set)
    failures: list = field(default_factory=list)

    def check(self, response, role: Role | None, method: str, url: str, sent=None) -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append((role_name(role), method, url, response.status_code,
                                  _short(sent)))


def _short(sent) -> str:
    if not sent:
        return ""
    shown = []
    for name, value in sent:
        if isinstance(value, tuple):
            value = f"<file {value[1]!r}>"
        text = repr(value)
        shown.append(f"{name}={text[:60]}{'…' if len(text) > 60 else ''}")
    return ", ".join(shown)


def _endpoint(app: Flask, method: str, url: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(urlsplit(url).path, method=method)
    except HTTPException:
        return None
    return endpoint


def _allowed(app: Flask, endpoint: str, role: Role | None) -> bool:
    with app.test_request_context():
        rule = rule_for(endpoint)
    return rule is not None and rule.admits(role)


def _is_html(response) -> bool:
    return response.status_code == 200 and "text/html" in response.content_type


# ------------------------------------------------------------------------------ crawling


def _seeds(app: Flask, role: Role | None, demo: Demo) -> list[str]:
    """Every page without URL arguments the role may open, and the observation link."""
    seeds = ["/"]
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or rule.endpoint in NOT_FORMS:
            continue
        if _allowed(app, rule.endpoint, role):
            seeds.append(rule.rule)
    if role is None and demo.observation_link:
        seeds.append(demo.observation_link)
    if role == Role.PROVIDER_STAFF:
        # The pages of its dated sessions (their seats form), which links reach only late.
        seeds += [f"/aanbieder/activiteiten/{activity_id}" for activity_id in db.session.scalars(
            select(ActivityDate.activity_id).join(Activity).join(Provider)
            .join(User, User.organisation_id == Provider.organisation_id)
            .where(User.email == demo.emails[role]).distinct())]
    return seeds


def crawl(app: Flask, client: FlaskClient, role: Role | None, demo: Demo, run: Run
          ) -> tuple[list[Form], list[str]]:
    """The forms on the pages the role reaches by following links, and those pages."""
    queue, seen, pages, forms = _seeds(app, role, demo), set(), [], []
    per_endpoint: Counter = Counter()
    while queue and len(pages) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        endpoint = _endpoint(app, "GET", url)
        if url in seen or endpoint is None or endpoint in NOT_FORMS:
            continue
        seen.add(url)
        if per_endpoint[endpoint] >= MAX_URLS_PER_ENDPOINT:
            continue
        per_endpoint[endpoint] += 1
        response = client.get(url)
        run.check(response, role, "GET", url)
        if not _is_html(response):
            continue
        pages.append(url)
        found, links = read_page(f"http://localhost{url}", response.get_data(as_text=True))
        forms += found
        queue += [link for link in links if link not in seen]
    return forms, pages


# ------------------------------------------------------------------------------ posting


def send(client: FlaskClient, form: Form, sent: list[tuple[str, object]]):
    if form.method == "GET":
        plain = [(name, value) for name, value in sent if isinstance(value, str)]
        return client.get(urlsplit(form.action).path, query_string=MultiDict(plain))
    return client.post(form.action, data=MultiDict(sent),
                       content_type="multipart/form-data" if form.multipart else None)


def fuzz_form(app: Flask, client: FlaskClient, role: Role | None, form: Form, run: Run,
              endpoint: str, examples: int) -> None:
    """`examples` generated submissions of one form, each followed by reading it again."""

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(sent=submission(form))
    def post_and_read_again(sent) -> None:
        response = send(client, form, sent)
        run.check(response, role, form.method, form.action, sent)
        run.submissions[(endpoint, role)] += 1
        location = response.headers.get("Location", "")
        if response.status_code in (301, 302, 303) and location.startswith("/"):
            run.check(client.get(location), role, "GET", location)
        run.check(client.get(form.page.removeprefix("http://localhost")), role, "GET",
                  form.page)

    post_and_read_again()


def _fallback_form(app: Flask, endpoint: str, known: dict[str, list[Form]]) -> Form:
    """For a pair no page showed a form for: another role's form for the endpoint, or a
    form without fields on a URL built from the access matrix's values."""
    if known.get(endpoint):
        return known[endpoint][0]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    path = rule.build({arg: URL_VALUES.get(arg, 1) for arg in rule.arguments},
                      append_unknown=False)[1]
    method = "POST" if "POST" in rule.methods else "GET"
    return Form(page="http://localhost/", action=path, method=method)


def form_endpoints(app: Flask, forms_seen: dict[str, list[Form]]) -> set[str]:
    """Every endpoint that takes a form: POST in the URL map, or the target of a GET form."""
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    return (posts | set(forms_seen)) - NOT_FORMS


def test_every_form_as_every_role_never_answers_500(app: Flask, demo: Demo, capsys,
                                                    fuzz_figures) -> None:
    started = time.monotonic()
    run = Run()
    by_role: dict[Role | None, dict[str, list[Form]]] = {}
    pages: dict[Role | None, list[str]] = {}
    for role in ROLES:
        client = demo.sign_in(role)
        forms, pages[role] = crawl(app, client, role, demo, run)
        by_endpoint: dict[str, list[Form]] = defaultdict(list)
        for form in forms:
            endpoint = _endpoint(app, form.method, form.action)
            if endpoint and endpoint not in NOT_FORMS and form not in by_endpoint[endpoint]:
                by_endpoint[endpoint].append(form)
        by_role[role] = by_endpoint
    any_role: dict[str, list[Form]] = defaultdict(list)
    for found in by_role.values():
        for endpoint, forms in found.items():
            any_role[endpoint] += forms
    endpoints = form_endpoints(app, any_role)
    expected = {(e, r) for e in endpoints for r in ROLES if _allowed(app, e, r)}

    # Logging out goes last for each role: it ends the session the other posts need.
    for role in ROLES:
        mine = sorted((e for e, r in expected if r == role),
                      key=lambda e: (e == "accounts.logout", e))
        for endpoint in mine:
            client = demo.sign_in(role)
            forms = by_role[role].get(endpoint) or [_fallback_form(app, endpoint, any_role)]
            if by_role[role].get(endpoint):
                run.real_forms.add((endpoint, role))
            per_form = max(1, -(-EXAMPLES_PER_PAIR // len(forms)))
            for form in forms[:EXAMPLES_PER_PAIR]:
                fuzz_form(app, client, role, form, run, endpoint, per_form)

    # A stored value never breaks a later page: every page again, as every role.
    for role in ROLES:
        client = demo.sign_in(role)
        for url in pages[role]:
            run.check(client.get(url), role, "GET", url)

    tried = {pair for pair, count in run.submissions.items() if count}
    total = sum(run.submissions.values())
    fuzz_figures("forms", submissions=total, requests=run.requests, pairs_tried=len(tried),
                 pairs_expected=len(expected), server_errors=len(run.failures),
                 seconds=time.monotonic() - started)
    with capsys.disabled():
        print(f"\nform fuzz: {total} submissions, {run.requests} requests, "
              f"{len(tried)}/{len(expected)} (endpoint, role) pairs tried "
              f"({len(run.real_forms)} with the form a page showed), "
              f"{len(endpoints)} form endpoints x {len(ROLES)} roles, "
              f"{sum(len(p) for p in pages.values())} pages, "
              f"{time.monotonic() - started:.0f} s, {len(run.failures)} answers >= 500")
    assert not run.failures, "answers >= 500:\n" + "\n".join(map(str, run.failures[:60]))
    assert expected <= tried, f"pairs never tried: {sorted(expected - tried, key=str)}"
    assert run.real_forms >= SHOWN_FORMS, f"not fuzzed as shown: {SHOWN_FORMS - run.real_forms}"
    assert total >= MIN_SUBMISSIONS, f"only {total} submissions"
