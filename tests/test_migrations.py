"""Migrations: one head, upgrade from empty, down and up again, models equal the schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import column, table, text

from matcher import create_app, migrate
from matcher.db import Base, db
from tests.conftest import _worker, drop_schema, make_test_config, postgres_schema_url

VERSIONS = Path(migrate.MIGRATIONS_DIR) / "versions"


@pytest.fixture
def fresh_app(tmp_path, database_url):
    """An app on a database of its own, so the shared one is never taken down."""
    if not database_url.startswith("postgresql"):
        yield create_app(make_test_config(f"sqlite:///{tmp_path / 'fresh.db'}"))
        return
    base, schema = database_url.split("?")[0], f"migrations_{_worker()}"
    app = create_app(make_test_config(postgres_schema_url(base, schema)))
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_schema(base, schema)


def test_one_head(fresh_app):
    assert len(migrate.heads(fresh_app)) == 1


def test_revision_files_are_date_prefixed():
    names = [p.name for p in VERSIONS.glob("*.py") if p.name != "__init__.py"]
    assert names
    assert all(re.match(r"^\d{8}_\w+\.py$", n) for n in names), names


def test_upgrade_from_empty_downgrade_and_upgrade_again(fresh_app):
    migrate.upgrade(fresh_app)
    head = migrate.heads(fresh_app)[0]
    assert migrate.current_revision(fresh_app) == head
    migrate.downgrade(fresh_app, "base")
    assert migrate.current_revision(fresh_app) is None
    migrate.upgrade(fresh_app)
    assert migrate.current_revision(fresh_app) == head


def test_models_equal_the_schema(fresh_app):
    migrate.upgrade(fresh_app)
    with fresh_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_alembic_check_passes(fresh_app):
    migrate.upgrade(fresh_app)
    with fresh_app.app_context():
        command.check(migrate.alembic_config(fresh_app))


def test_sqlite_brings_an_empty_database_up_to_date(tmp_path):
    app = create_app(make_test_config(f"sqlite:///{tmp_path / 'auto.db'}"))
    migrate.ensure_schema(app)
    assert migrate.current_revision(app) == migrate.heads(app)[0]


def _old_activity(connection, key: str, title: str, description: str) -> None:
    """An activity row as revision 0004 knew it (no participants yet)."""
    columns = {"key": key, "provider_id": 1, "title": title, "description": description,
               "disciplines": '["muziek"]', "format": "workshop",
               "audience": '[{"sector": "po", "grades": [5]}]', "group_min": 1,
               "group_max": 30, "sessions": 1, "minutes_per_session": 60,
               "periods": '["schooltijd"]', "location": "op-school", "price_amount": 100,
               "price_per": "groep", "interventions": "[]", "competences": "[]",
               "status": "goedgekeurd", "verified_interventions": "[]",
               "dropped_interventions": "[]", "review_note": "",
               "created_at": "2026-11-30 12:00:00+00:00",
               "updated_at": "2026-11-30 12:00:00+00:00"}
    connection.execute(table("activities", *(column(name) for name in columns)).insert(),
                       columns)


def test_participants_migration_reads_every_existing_activity(fresh_app):
    migrate.upgrade(fresh_app, "0004")
    with fresh_app.app_context(), db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO providers (id, key, name, kind, gemeente, serves, approved, "
            "contact_name, phone, review_note, created_at, updated_at) VALUES (1, 'muziek', "
            "'Muziekschool', 'muziekschool', 'Utrecht', '[]', true, '', '', '', "
            "'2026-11-30 12:00:00+00:00', '2026-11-30 12:00:00+00:00')"))
        _old_activity(connection, "teamscholing", "Teamscholing zingen in de klas",
                      "Een studiedag voor leerkrachten: u leert hoe u dagelijks met uw groep "
                      "zingt.")
        _old_activity(connection, "zingen", "Zingen met groep 5",
                      "Vijf lessen zingen voor de leerlingen, met een optreden voor de ouders.")
    migrate.upgrade(fresh_app)
    with fresh_app.app_context(), db.engine.connect() as connection:
        rows = dict(connection.execute(text(
            "SELECT key, participants_read FROM activities")).all())
        given = connection.execute(text(
            "SELECT count(*) FROM activities WHERE participants IS NOT NULL "
            "OR participants_source IS NOT NULL")).scalar()
    assert rows == {"teamscholing": "team", "zingen": "leerlingen"}
    assert given == 0
    migrate.downgrade(fresh_app, "0004")
    migrate.upgrade(fresh_app)


def test_temporary_password_migration_keeps_existing_passwords_as_they_are(fresh_app):
    """0009 adds must_change_password and its expiry; accounts from before keep their own."""
    migrate.upgrade(fresh_app, "0008")
    with fresh_app.app_context(), db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO organisations (id, kind, name, region, created_at) VALUES "
            "(1, 'school', 'OBS Oud', '[]', '2026-12-01 12:00:00+00:00')"))
        connection.execute(text(
            "INSERT INTO users (id, email, name, password_hash, role, organisation_id, active, "
            "created_at) VALUES (1, 'oud@school.nl', 'Oud', 'x', 'leerkracht', 1, true, "
            "'2026-12-01 12:00:00+00:00')"))
    migrate.upgrade(fresh_app)
    with fresh_app.app_context(), db.engine.connect() as connection:
        row = connection.execute(text(
            "SELECT must_change_password, temporary_password_expires_at FROM users")).one()
    assert not row[0] and row[1] is None
    migrate.downgrade(fresh_app, "0008")
    migrate.upgrade(fresh_app)
