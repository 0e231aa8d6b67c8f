"""Alembic, driven from the app: upgrade, downgrade, check, and SQLite's self-upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

import migrations
from matcher.db import db

MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent


def alembic_config(app: Flask) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template",
                           "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["engine"] = db.engines[None] if app else None
    return config


def upgrade(app: Flask, revision: str = "head") -> None:
    with app.app_context():
        command.upgrade(alembic_config(app), revision)
        _sync_reference_data()


def downgrade(app: Flask, revision: str) -> None:
    with app.app_context():
        command.downgrade(alembic_config(app), revision)


def heads(app: Flask) -> tuple[str, ...]:
    with app.app_context():
        return tuple(ScriptDirectory.from_config(alembic_config(app)).get_heads())


def current_revision(app: Flask) -> str | None:
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_sqlite(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def ensure_schema(app: Flask) -> None:
    """On SQLite, bring an empty or older schema up to date before any command runs."""
    wanted = is_sqlite(app) and app.config.get("AUTO_UPGRADE_SQLITE", True)
    if wanted and current_revision(app) not in heads(app):
        upgrade(app)


def _sync_reference_data() -> None:
    from matcher.menukaart.services import sync_menukaart

    sync_menukaart()
    db.session.commit()
