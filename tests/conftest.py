"""Shared fixtures: one migrated database per test worker, cleaned after every test.

TEST_DATABASE_URL selects PostgreSQL (each xdist worker gets its own schema); without it the
suite runs on a SQLite file in a temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pyotp
import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text, update

from matcher import create_app, migrate
from matcher.accounts.models import Organisation, User
from matcher.accounts.passwords import hash_password
from matcher.accounts.roles import ROLE_ORGANISATION, OrganisationKind, Role
from matcher.accounts.second_factor import REQUIRED_ROLES, enrol_with_secret
from matcher.db import Base, db, utcnow

TEST_PASSWORD = "een-lang-test-wachtwoord"
# Curators and administrators made by make_user have this TOTP secret (tests compute codes).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Every test app peppers passwords with this, so a hash made under one app verifies in another.
TEST_PEPPER = "test-pepper-that-is-long-enough-0123456789abcdef"
# Tables filled by migrations themselves; kept between tests.
REFERENCE_TABLES = {"alembic_version", "doelgebieden", "interventions", "intervention_figures"}


def _worker() -> str:
    """A name unique to this worker of this run, so parallel runs never share a schema."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"p{os.getpid()}")[:8]
    return f"{run}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def postgres_schema_url(base_url: str, schema: str) -> str:
    """A fresh, empty schema and a URL that works in it (search_path), on the same database."""
    engine = create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"


def drop_schema(base_url: str, schema: str) -> None:
    engine = create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    from matcher.config import normalise_database_url

    base = normalise_database_url(base)
    # Each xdist worker gets a schema of its own, so workers never see each other's rows.
    schema = f"test_{_worker()}"
    yield postgres_schema_url(base, schema)
    drop_schema(base, schema)


def make_test_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PASSWORD_PEPPER": TEST_PEPPER,
        "RATELIMIT_ENABLED": False,
        # CI runs the throttling and limiter tests once more against Redis (.ci/run).
        "RATELIMIT_STORAGE_URI": os.environ.get("TEST_RATELIMIT_STORAGE", "memory://"),
        # CSRF has its own tests (tests/test_security.py) on an app where it is on.
        "WTF_CSRF_ENABLED": False,
        # Tests change the offer and look at once: check the database on every use.
        "CATALOGUE_CHECK_SECONDS": 0.0,
        # The caller builds and refreshes (beside the live snapshot): tests look at once.
        "CATALOGUE_BACKGROUND": False,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Argon2id with the cheapest parameters: the suite logs in hundreds of times.

    Production keeps argon2-cffi's defaults; test_accounts checks that hashes are Argon2id.
    """
    from argon2 import PasswordHasher

    from matcher.accounts import passwords

    original = passwords._hasher, passwords._DUMMY_HASH
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    passwords._DUMMY_HASH = passwords._hasher.hash("dummy")
    yield
    passwords._hasher, passwords._DUMMY_HASH = original


class RequestIsolatingClient(FlaskClient):
    """A test client whose requests never share Flask-Login's cached user.

    The tests keep one app context open (for the database), and Flask reuses an open app
    context for requests, so `g` would outlive a request; in production every request gets
    a fresh one. Forgetting the cached user restores that.
    """

    def open(self, *args, **kwargs):
        self._forget_user()
        try:
            return super().open(*args, **kwargs)
        finally:
            self._forget_user()

    @staticmethod
    def _forget_user() -> None:
        if has_app_context():
            g.pop("_login_user", None)


@pytest.fixture(scope="session")
def app(database_url: str) -> Flask:
    app = create_app(make_test_config(database_url))
    app.test_client_class = RequestIsolatingClient
    migrate.upgrade(app)
    return app


@pytest.fixture(autouse=True)
def _app_context(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that uses the app runs in its context and leaves an empty database."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        db.session.rollback()
        _empty_tables()
        db.session.remove()


def _empty_tables() -> None:
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash(app: Flask) -> str:
    with app.app_context():  # the pepper is the app's
        return hash_password(TEST_PASSWORD)  # Argon2 is slow on purpose: hash once per session


@pytest.fixture
def make_organisation(app: Flask) -> Callable[..., Organisation]:
    counter = iter(range(1, 10_000))

    def make(kind: OrganisationKind = OrganisationKind.SCHOOL, name: str | None = None,
             gemeente: str = "Amsterdam", sector: str | None = None, **extra) -> Organisation:
        if kind == OrganisationKind.SCHOOL and sector is None:
            sector = "po"
        organisation = Organisation(kind=kind, name=name or f"{kind.value} {next(counter)}",
                                    gemeente=gemeente, sector=sector,
                                    region=extra.pop("region", [gemeente]), **extra)
        db.session.add(organisation)
        db.session.flush()
        return organisation

    return make


@pytest.fixture
def make_user(make_organisation, password_hash: str) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.COORDINATOR, organisation: Organisation | None = None,
             email: str | None = None, active: bool = True,
             second_factor: bool | None = None) -> User:
        """`second_factor` defaults to on for the roles that require one."""
        organisation = organisation or make_organisation(kind=ROLE_ORGANISATION[role])
        user = User(email=email or f"{role.value}{next(counter)}@example.nl",
                    name=f"{role.label} {organisation.name}", role=role,
                    organisation=organisation, password_hash=password_hash, active=active,
                    email_confirmed_at=utcnow())
        db.session.add(user)
        db.session.flush()
        if second_factor if second_factor is not None else role in REQUIRED_ROLES:
            enrol_with_secret(user, TEST_TOTP_SECRET)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Sign a user in through the real login form."""

    def do_login(user: User) -> FlaskClient:
        response = client.post("/inloggen", data={"email": user.email,
                                                  "password": TEST_PASSWORD})
        response = complete_second_step(client, user, response)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do_login


def totp_code() -> str:
    return pyotp.TOTP(TEST_TOTP_SECRET).now()


def complete_second_step(client: FlaskClient, user: User, response, **kwargs):
    """After a right password: type the TOTP code when the login asks for one."""
    if "/inloggen/tweede-stap" not in response.headers.get("Location", ""):
        return response
    # A code works once, and tests log in more than once within one 30-second step.
    db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
    db.session.commit()
    return client.post("/inloggen/tweede-stap", data={"code": totp_code()}, **kwargs)


# ------------------------------------------------------------------ fuzz figures in the summary

# How each fuzz suite's summed figures read (tests/fuzz/conftest.py: fuzz_figures).
FUZZ_LINES = {
    "forms": "form fuzz: {submissions} submissions, {requests} requests, "
             "{pairs_tried}/{pairs_expected} (endpoint, role) pairs, "
             "{server_errors} answers >= 500, {seconds:.0f} s",
    "api": "api fuzz: {cases} schemathesis cases over {pairs} (operation, mode) pairs, "
           "{server_errors} answers >= 500, {failures} failed checks, {seconds:.0f} s",
    "uploads": "upload fuzz: {files} files ({requests} through the import page), "
               "{server_errors} answers >= 500, {seconds:.0f} s summed over its tests",
}


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """The fuzz suites' counts (submissions, pairs, 5xx), summed over tests and workers."""
    totals: dict[str, dict[str, float]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            # The teardown report carries every property the test recorded, in any phase
            # (an autouse fixture records its time after the call).
            if getattr(report, "when", None) != "teardown":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name != "fuzz_figures":
                    continue
                figures = totals.setdefault(value["suite"], {})
                for key, number in value.items():
                    if key != "suite":
                        figures[key] = figures.get(key, 0) + number
    if not totals:
        return
    terminalreporter.write_sep("=", "fuzz figures")
    for suite, figures in sorted(totals.items()):
        line = FUZZ_LINES.get(suite)
        try:
            text = line.format(**figures) if line else None
        except KeyError:
            text = None
        terminalreporter.write_line(text or f"{suite}: " + ", ".join(
            f"{key}={value:g}" for key, value in sorted(figures.items())))
