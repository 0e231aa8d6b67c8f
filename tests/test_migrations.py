"""Migrations: one head, upgrade from empty, down and up again, models equal the schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

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
