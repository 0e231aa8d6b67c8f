"""Cultuurmatch: from NP Onderwijs menukaart interventions to concrete culture activities."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from matcher.config import build_config

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def create_app(config: dict | None = None) -> Flask:
    """Application factory; `config` overrides settings read from the environment (tests)."""
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder="static")
    app.config.from_mapping(build_config(config))

    from matcher import errors, extensions, health, limits, matching, security
    from matcher.accounts import login as account_login
    from matcher.accounts.access import PUBLIC, enforce_access
    from matcher.db import db

    db.init_app(app)
    # First of all hooks: CSRF reads the form, so the body's limit must be set before it.
    limits.init_limits(app)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.babel.init_app(app, locale_selector=lambda: "nl")
    account_login.init_login(app)
    matching.init_matching(app)
    health.init_health(app)
    security.init_security(app)
    errors.init_errors(app)

    _register_blueprints(app)
    app.view_functions["static"].access_rule = PUBLIC
    app.before_request(enforce_access)

    from matcher import templating
    templating.init_templating(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from matcher.accounts.views import bp as accounts_bp
    from matcher.admin.views import bp as admin_bp
    from matcher.api.views import bp as api_bp
    from matcher.catalogue.views import bp as catalogue_bp
    from matcher.main.views import bp as main_bp
    from matcher.menukaart.views import bp as menukaart_bp
    from providers.views import bp as providers_bp

    for blueprint in (main_bp, accounts_bp, menukaart_bp, admin_bp, catalogue_bp, api_bp,
                      providers_bp):
        app.register_blueprint(blueprint)

    from matcher.schools.offer_views import bp as school_offers_bp
    from matcher.schools.views import bp as schools_bp

    for blueprint in (schools_bp, school_offers_bp):
        app.register_blueprint(blueprint)

    from matcher.observations.views import bp as observations_bp

    app.register_blueprint(observations_bp)
