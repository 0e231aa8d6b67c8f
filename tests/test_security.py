"""CSRF on every form, headers and CSP, safe redirects, config refusal."""

from __future__ import annotations

import pytest

from matcher import create_app
from matcher.accounts.access import public
from matcher.accounts.roles import Role
from matcher.config import ConfigError, read_environment
from matcher.extensions import limiter
from matcher.security import CONTENT_SECURITY_POLICY
from tests.conftest import TEST_PASSWORD, make_test_config
from tests.test_access_matrix import EXPECTED, URL_VALUES, allowed_roles


@pytest.fixture
def csrf_app(app, database_url):
    return create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True))


def _post_routes(app):
    """Every form-posting route; the JSON API is stateless (no cookies) and has no CSRF token."""
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/api/"):
            path = rule.build({a: URL_VALUES[a] for a in rule.arguments}, append_unknown=False)[1]
            yield rule.endpoint, path


def test_every_post_route_refuses_a_request_without_csrf_token(csrf_app, make_user):
    routes = list(_post_routes(csrf_app))
    assert routes
    for endpoint, path in routes:
        allowed = allowed_roles(EXPECTED[endpoint])
        role = None if None in allowed else sorted(allowed, key=str)[0]
        client = csrf_app.test_client()
        if role is not None:
            user = make_user(role=role)
            # Sign in with a valid token, then try the route without one.
            token = _csrf_token(client)
            client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD,
                                           "csrf_token": token})
        response = client.post(path, data={})
        assert response.status_code == 400, (endpoint, response.status_code)
        assert "formulier is verlopen" in response.get_data(as_text=True)


def _csrf_token(client) -> str:
    html = client.get("/inloggen").get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def test_login_with_a_valid_csrf_token_works(csrf_app, make_user):
    user = make_user(role=Role.TEACHER)
    client = csrf_app.test_client()
    token = _csrf_token(client)
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD,
                                              "csrf_token": token})
    assert response.status_code == 302


def test_security_headers_and_csp_without_inline_code(client):
    response = client.get("/menukaart/")
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    html = response.get_data(as_text=True)
    assert "<script>" not in html and " onclick=" not in html and " style=" not in html


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user(role=Role.TEACHER)
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_hsts_is_set(database_url):
    app = create_app(make_test_config(database_url, ENV_NAME="production",
                                      SESSION_COOKIE_SECURE=True))
    assert app.config["SESSION_COOKIE_SECURE"]
    response = app.test_client().get("/menukaart/")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


# Login throttling has its own tests: tests/accounts/test_throttle.py.


@pytest.fixture
def limited_app(app, database_url):
    # The limiter is one object shared by every app: switched off again afterwards, so that
    # later tests in this worker are not counted. CI runs this with Redis as its storage.
    yield create_app(make_test_config(database_url, RATELIMIT_ENABLED=True))
    limiter.enabled = False
    limiter.reset()


def test_the_match_api_is_rate_limited_in_the_configured_storage(limited_app):
    client = limited_app.test_client()
    codes = [client.post("/api/v1/match", data="{}", content_type="application/json",
                         environ_base={"REMOTE_ADDR": "10.7.7.7"}).status_code
             for _ in range(121)]
    assert set(codes[:120]) == {400} and codes[120] == 429
    assert "Retry-After" in client.post("/api/v1/match", data="{}",
                                        environ_base={"REMOTE_ADDR": "10.7.7.7"}).headers


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_login_never_redirects_off_site(client, make_user, target):
    user = make_user(role=Role.TEACHER)
    response = client.post(f"/inloggen?next={target}",
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/overzicht"


def test_login_follows_a_local_next(client, make_user):
    user = make_user(role=Role.TEACHER)
    response = client.post("/inloggen?next=/account",
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize("secret", ["", "dev", "changeme", "kort-maar-geheim"])
def test_production_refuses_a_weak_secret_key(secret):
    with pytest.raises(ConfigError):
        read_environment({"MATCHER_ENV": "production", "SECRET_KEY": secret,
                          "DATABASE_URL": "postgresql://x@y/z"})


def test_production_accepts_a_real_secret_key():
    from cryptography.fernet import Fernet

    environment = read_environment({"MATCHER_ENV": "production", "SECRET_KEY": "x" * 48,
                                    "DATABASE_URL": "postgresql://x@y/z",
                                    "MATCHER_PUPIL_DATA_KEY": Fernet.generate_key().decode(),
                                    "MATCHER_PASSWORD_PEPPER": "p" * 40})
    assert environment.database_url.startswith("postgresql+psycopg://")


def test_error_pages_are_dutch_and_generic(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Niet gevonden" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_unexpected_errors_give_a_dutch_500(database_url):
    app = create_app(make_test_config(database_url))

    @app.route("/_boom")
    @public
    def boom():
        raise RuntimeError("kapot")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.get_data(as_text=True)
    assert "kapot" not in response.get_data(as_text=True)


def test_an_endpoint_without_access_declaration_is_denied(database_url):
    app = create_app(make_test_config(database_url))

    @app.route("/_vergeten")
    def forgotten():
        return "geheim"

    response = app.test_client().get("/_vergeten")
    assert response.status_code == 403
    assert "geheim" not in response.get_data(as_text=True)
