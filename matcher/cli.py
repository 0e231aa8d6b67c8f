"""The `cultuurmatch` command: serve, db, demo, users, and the exchange-format commands."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from matcher import create_app, migrate
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.mail import mail_group
from matcher.observations.cli import observations_group, purge_command


# Commands build the match index when they need it (serve builds it in the background).
@click.group(cls=FlaskGroup, create_app=lambda: create_app({"CATALOGUE_BACKGROUND": False}),
             add_default_commands=False, add_version_option=False, load_dotenv=False,
             set_debug_flag=False)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Cultuurmatch: menukaart-interventies koppelen aan kunst- en cultuuraanbod."""
    app = ctx.obj.load_app()
    with app.app_context():
        migrate.ensure_schema(app)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web application and the API (waitress, a production WSGI server).

    The match index is built in the background: /readyz answers 503 until it is warm, and so
    does every page that needs it. SIGTERM (or Ctrl+C) stops gracefully: /readyz refuses, the
    listening socket closes, requests in progress finish (MATCHER_SHUTDOWN_GRACE_SECONDS).
    """
    import signal

    from waitress import create_server

    from matcher.health import GracefulStop

    app = create_app()
    _warm_catalogue_in_background(app)
    server = create_server(app, host=host, port=port, threads=threads)
    stop = GracefulStop(app, server, app.config["SHUTDOWN_GRACE_SECONDS"])
    signal.signal(signal.SIGTERM, stop)
    click.echo(f"Cultuurmatch draait op http://{host}:{port}/  (stoppen: Ctrl+C)")
    server.run()
    click.echo("Cultuurmatch is gestopt.")


def _warm_catalogue_in_background(app) -> None:
    """Build the match index while the server starts, so no visitor waits for it."""
    cache = app.extensions["catalogue_cache"]
    if cache.background:
        cache.start(app)
        return
    import threading

    from matcher import matching

    def warm() -> None:
        with app.app_context():
            matching.catalogue()

    threading.Thread(target=warm, name="warm-catalogue", daemon=True).start()


@main.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Bring the schema up to REVISION (default: the newest)."""
    migrate.upgrade(current_app, revision)
    click.echo(f"Database op revisie {migrate.current_revision(current_app)}.")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Take the schema back to REVISION ('base' empties it)."""
    migrate.downgrade(current_app, revision)
    click.echo(f"Database op revisie {migrate.current_revision(current_app)}.")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Print the schema revision of the database."""
    click.echo(migrate.current_revision(current_app) or "leeg")


@main.command()
@click.option("--allow-production", is_flag=True,
              help="Run even though MATCHER_ENV=production. The demo accounts have published "
                   "passwords (an administrator among them): only for a throw-away demo site.")
@with_appcontext
def demo(allow_production: bool) -> None:
    """Fill the database with Dutch demo data and print the demo logins (idempotent).

    Refuses to run when the app is configured for production (MATCHER_ENV=production),
    unless --allow-production is given.
    """
    from matcher.demo import DemoRefused, is_production, load_demo

    try:
        logins = load_demo(allow_production=allow_production)
    except DemoRefused as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        sys.exit(1)
    if is_production():
        click.echo("Let op: demo-accounts met een bekend wachtwoord op een productie-"
                   "installatie (--allow-production). Verwijder ze voor echt gebruik.", err=True)
    db.session.commit()
    click.echo("Demo-gegevens staan klaar. Inloggen kan met:")
    for role, email, password, totp_secret in logins:
        click.echo(f"  {role:<30} {email:<38} {password}")
        if totp_secret:
            # Curators and administrators log in with a second step: add this key to an
            # authenticator app (or compute codes with pyotp.TOTP(key).now()).
            click.echo(f"  {'':<30} TOTP-sleutel (tweede stap): {totp_secret}")


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--organisation", "organisation_name", required=True,
              help="Name of an existing organisation.")
@click.password_option(help="At least 12 characters; asked for when left out.")
@with_appcontext
def create_user(email: str, name: str, role: str, organisation_name: str, password: str) -> None:
    """Create a user in an existing organisation."""
    from sqlalchemy import select

    from matcher.accounts import services
    from matcher.accounts.models import Organisation
    role_value = Role(role)
    organisation = db.session.scalar(select(Organisation).where(
        Organisation.name == organisation_name))
    if organisation is None:
        click.echo(f"Organisatie '{organisation_name}' bestaat niet.", err=True)
        sys.exit(1)
    try:
        user = services.create_user(email=email, name=name, role=role_value,
                                    organisation=organisation, password=password)
    except services.AccountError as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Gebruiker {user.email} ({role_value.label}) aangemaakt.")


@main.command("match")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print the spec's JSON answer.")
@with_appcontext
def match_command(file: str, limit: int, as_json: bool) -> None:
    """Rank the approved activities for the request document in FILE."""
    import json
    from pathlib import Path

    from matcher import matching
    from matcher.exchange import ExchangeError, load_json_text, parse_request, to_engine_request

    try:
        document = parse_request(load_json_text(Path(file).read_text(encoding="utf-8")))
    except ExchangeError as error:
        for issue in error.errors:
            click.echo(f"{issue.path}: {issue.message}", err=True)
        sys.exit(1)
    request = to_engine_request(document)
    matches = matching.match(request, limit=limit)
    if as_json:
        click.echo(json.dumps(matching.matches_to_json(request.key, matches), ensure_ascii=False))
        return
    if not matches:
        click.echo("Geen passende activiteiten gevonden.")
    for rank, found in enumerate(matches, start=1):
        click.echo(f"{rank}. {found.activity_key} ({found.provider_key})  score {found.score:.3f}"
                   f"  kosten € {found.cost:,.2f}")
        for reason in found.reasons:
            click.echo(f"     - {reason}")


main.add_command(mail_group)

from providers.cli import export_command, import_command  # noqa: E402 - after `main` exists

main.add_command(import_command, "import")
main.add_command(export_command, "export")
main.add_command(purge_command)
main.add_command(observations_group)


if __name__ == "__main__":
    main()
