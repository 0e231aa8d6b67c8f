"""Every route × every role (and anonymous): who gets in, who is refused.

EXPECTED is the matrix, written out by hand: a new route without a line here fails, and so does
a route whose declared access differs from this table.
"""

from __future__ import annotations

import pytest

from matcher.accounts.access import ALL_ROLES, rule_for
from matcher.accounts.roles import Role

PUBLIC = "public"
SIGNED_IN = "signed_in"
ADMIN = frozenset({Role.ADMINISTRATOR})
SCHOOL = frozenset({Role.COORDINATOR, Role.TEACHER, Role.SCHOOL_LEADER})
# providers
PROVIDER_STAFF = frozenset({Role.PROVIDER_STAFF})
REVIEWERS = frozenset({Role.CURATOR, Role.ADMINISTRATOR})
PROVIDERS_AND_REVIEWERS = PROVIDER_STAFF | REVIEWERS
# schools
SCHOOL_SIDE = SCHOOL | {Role.GEMEENTE}
SCHOOL_PLANNERS = frozenset({Role.COORDINATOR, Role.SCHOOL_LEADER, Role.GEMEENTE})
SCHOOL_BOOKERS = frozenset({Role.COORDINATOR, Role.TEACHER, Role.GEMEENTE})
PROVIDER_STAFF = frozenset({Role.PROVIDER_STAFF})

EXPECTED: dict[str, object] = {
    "static": PUBLIC,
    "main.home": PUBLIC,
    "main.dashboard": SIGNED_IN,
    "health.healthz": PUBLIC,
    "health.readyz": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.logout": SIGNED_IN,
    "accounts.account": SIGNED_IN,
    "accounts.choose_password": SIGNED_IN,
    "accounts.sessions_page": SIGNED_IN,
    "accounts.end_session": SIGNED_IN,
    "accounts.end_all_sessions": SIGNED_IN,
    "accounts.forgot_password": PUBLIC,
    "accounts.reset_password": PUBLIC,
    "accounts.second_step": PUBLIC,
    "accounts.confirm_sign_up": PUBLIC,
    "accounts.change_email": SIGNED_IN,
    "accounts.confirm_email_change": PUBLIC,
    "accounts.second_factor_page": SIGNED_IN,
    "accounts.disable_second_factor": SIGNED_IN,
    "accounts.second_step_key_options": PUBLIC,
    "accounts.second_step_key": PUBLIC,
    "accounts.security_keys_page": SIGNED_IN,
    "accounts.security_key_options": SIGNED_IN,
    "accounts.add_security_key": SIGNED_IN,
    "accounts.remove_security_key": SIGNED_IN,
    "menukaart.index": PUBLIC,
    "menukaart.detail": PUBLIC,
    "admin.users": ADMIN,
    "admin.create_user": ADMIN,
    "admin.toggle_active": ADMIN,
    "admin.change_role": ADMIN,
    "admin.account_events": ADMIN,
    "admin.reset_second_factor": ADMIN,
    "admin.reinvite_user": ADMIN,
    "admin.reauthenticate": ADMIN,
    # catalogue and API
    "catalogue.search": PUBLIC,
    "catalogue.detail": PUBLIC,
    "catalogue.match": PUBLIC,
    "catalogue.favourites": SCHOOL,
    "catalogue.toggle_favourite": SCHOOL,
    "api.match": PUBLIC,
    "api.activities": PUBLIC,
    "api.openapi": PUBLIC,
    # providers
    "providers.signup": PUBLIC,
    "providers.home": PROVIDER_STAFF,
    "providers.new_activity": PROVIDER_STAFF,
    "providers.edit_activity": PROVIDER_STAFF,
    "providers.activity": PROVIDERS_AND_REVIEWERS,
    "providers.submit_activity": PROVIDER_STAFF,
    "providers.restore_activity": PROVIDER_STAFF,
    "providers.archive_activity": PROVIDERS_AND_REVIEWERS,
    "providers.duplicate_activity": PROVIDER_STAFF,
    "providers.add_date": PROVIDER_STAFF,
    "providers.remove_date": PROVIDER_STAFF,
    "providers.suggest": PROVIDERS_AND_REVIEWERS,
    "providers.import_offers_page": PROVIDERS_AND_REVIEWERS,
    "providers.import_progress": PROVIDERS_AND_REVIEWERS,
    "providers.template": PROVIDERS_AND_REVIEWERS,
    "providers.export_offers": PROVIDERS_AND_REVIEWERS,
    "providers.queue": REVIEWERS,
    "providers.bulk_approve": REVIEWERS,
    "providers.review_activity": REVIEWERS,
    "providers.decide_participants": REVIEWERS,
    "providers.review_provider": REVIEWERS,
    "providers.doubts": REVIEWERS,
    "providers.decide_link": REVIEWERS,
    # observations
    "observations.index": SCHOOL,
    "observations.scan": SCHOOL,
    "observations.detail": SCHOOL,
    "observations.export_csv": SCHOOL,
    "observations.export_json": SCHOOL,
    "observations.pupil_codes": SCHOOL,
    "observations.policy": frozenset({Role.COORDINATOR, Role.SCHOOL_LEADER}),
    "observations.audit_log": frozenset({Role.COORDINATOR, Role.SCHOOL_LEADER}),
    "observations.erase_pupil": frozenset({Role.COORDINATOR, Role.SCHOOL_LEADER}),
    "observations.invite": frozenset({Role.COORDINATOR, Role.TEACHER}),
    "observations.revoke": frozenset({Role.COORDINATOR, Role.TEACHER}),
    "observations.own_observation": frozenset({Role.COORDINATOR, Role.TEACHER}),
    "observations.issue_pupil_codes": frozenset({Role.COORDINATOR, Role.TEACHER}),
    "observations.region": frozenset({Role.CURATOR}),
    "observations.my_invitations": frozenset({Role.PROFESSIONAL}),
    "observations.start_my_invitation": frozenset({Role.PROFESSIONAL}),
    "observations.open_invitation": PUBLIC,
    "observations.fill": PUBLIC,
    "observations.receipt": PUBLIC,
    # schools
    "schools.dashboard": SCHOOL_SIDE,
    "schools.groups": SCHOOL_SIDE,
    "schools.edit_group": frozenset({Role.COORDINATOR, Role.SCHOOL_LEADER}),
    "schools.remove_group": frozenset({Role.COORDINATOR, Role.SCHOOL_LEADER}),
    "schools.keuzehulp": SCHOOL,
    "schools.advice": SCHOOL,
    "schools.requests": SCHOOL_SIDE,
    "schools.new_request": SCHOOL_SIDE,
    "schools.request_detail": SCHOOL_SIDE,
    "schools.request_status": SCHOOL_PLANNERS,
    "schools.accept_proposal": SCHOOL_PLANNERS,
    "schools.book": SCHOOL_BOOKERS,
    "schools.bookings": SCHOOL_SIDE,
    "schools.booking_detail": SCHOOL_SIDE,
    "schools.booking_status": SCHOOL_SIDE,
    "schools.budget": SCHOOL_SIDE,
    "schools.edit_stream": SCHOOL_PLANNERS,
    "schools.remove_stream": SCHOOL_PLANNERS,
    "schools.programme": SCHOOL_SIDE,
    "schools.remove_programme_item": SCHOOL_PLANNERS,
    "schools.programme_pdf_download": SCHOOL_SIDE,
    "schools.programme_csv_download": SCHOOL_SIDE,
    "school_offers.requests_overview": PROVIDER_STAFF,
    "school_offers.request_detail": PROVIDER_STAFF,
    "school_offers.bookings_overview": PROVIDER_STAFF,
    "school_offers.booking_detail": PROVIDER_STAFF,
    "school_offers.booking_status": PROVIDER_STAFF,
    "school_offers.change_capacity": PROVIDER_STAFF,
}

# Values for URL parameters, so every rule can be called.
URL_VALUES = {"key": "zomerschool", "filename": "css/app.css", "user_id": 1,
              # providers
              "activity_id": 1, "date_id": 1, "provider_id": 1, "job_id": "onbekend",
              "fmt": "xlsx", "session_id": 999_999, "key_id": 999_999}
# observations
URL_VALUES.update({"group_id": 1, "observation_id": 1, "invitation_id": 1, "token": "ongeldig"})
# schools
URL_VALUES.update({"scan_id": 1, "request_id": 1, "proposal_id": 1, "booking_id": 1,
                   "stream_id": 1, "item_id": 1})
ROLES_AND_ANONYMOUS = [None, *Role]
SESSION_ENDING = {"accounts.logout", "accounts.end_all_sessions"}


def allowed_roles(expected) -> frozenset[Role | None]:
    if expected == PUBLIC:
        return frozenset(ROLES_AND_ANONYMOUS)
    if expected == SIGNED_IN:
        return frozenset(ALL_ROLES)
    return frozenset(expected)


def endpoints(app):
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()})


def test_every_endpoint_is_in_the_matrix(app):
    missing = [e for e in endpoints(app) if e not in EXPECTED]
    assert not missing, f"routes without an access line in EXPECTED: {missing}"
    stale = [e for e in EXPECTED if e not in endpoints(app)]
    assert not stale, f"EXPECTED names routes that do not exist: {stale}"


def test_every_endpoint_declares_access(app):
    with app.test_request_context():
        undeclared = [e for e in endpoints(app) if rule_for(e) is None]
    assert not undeclared, f"endpoints without an access declaration: {undeclared}"


def test_declarations_match_the_matrix(app):
    with app.test_request_context():
        for endpoint in endpoints(app):
            rule = rule_for(endpoint)
            admitted = {r for r in ROLES_AND_ANONYMOUS if rule.admits(r)}
            assert admitted == allowed_roles(EXPECTED[endpoint]), endpoint


def _requests(app):
    # Logging out ends the session, so those routes go last.
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint in SESSION_ENDING)
    for rule in rules:
        if rule.endpoint == "static":
            continue
        url_values = {arg: URL_VALUES[arg] for arg in rule.arguments}
        path = rule.build(url_values, append_unknown=False)[1]
        method = "GET" if "GET" in rule.methods else "POST"
        yield rule.endpoint, method, path


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS, ids=lambda r: r.value if r else "anoniem")
def test_role_against_every_route(app, client, make_user, login, role):
    user = make_user(role=role) if role is not None else None
    if user is not None:
        login(user)
    for endpoint, method, path in _requests(app):
        if user is not None and endpoint in SESSION_ENDING:
            login(user)  # the route before may have ended the session
        response = client.open(path, method=method)
        allowed = role in allowed_roles(EXPECTED[endpoint])
        if allowed:
            assert response.status_code not in (401, 403), (endpoint, role)
            assert "/inloggen?next" not in response.headers.get("Location", ""), (endpoint, role)
        elif role is None:
            assert response.status_code in (302, 401), (endpoint, response.status_code)
            if response.status_code == 302:
                assert "/inloggen" in response.headers["Location"]
        else:
            assert response.status_code == 403, (endpoint, role, response.status_code)
        assert response.status_code < 500, (endpoint, role)
