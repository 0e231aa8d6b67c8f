"""Commands: `cultuurmatch purge` (daily retention) and `cultuurmatch observations rotate-key`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from matcher.accounts.housekeeping import purge_account_events, purge_account_records
from matcher.db import db, utcnow
from matcher.mail import purge_old_messages
from matcher.observations import services


@click.command("purge")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend it is this day (YYYY-MM-DD); for testing a retention policy.")
@with_appcontext
def purge_command(today) -> None:
    """Delete observations past each school's retention period, old sent e-mail, old
    sessions, links and login counts, and account events past ACCOUNT_EVENTS_KEEP_DAYS.

    Safe to run daily.
    """
    day: date = today.date() if today else date.today()
    result = services.purge_expired(today=day)
    keep_days = current_app.config["MAIL_KEEP_DAYS"]
    cutoff = datetime.combine(day, time.min, tzinfo=UTC) - timedelta(days=keep_days)
    mails = purge_old_messages(before=cutoff)
    # Account records go by the real clock: --today must never end a live session.
    accounts = purge_account_records(utcnow())
    events_keep_days = current_app.config["ACCOUNT_EVENTS_KEEP_DAYS"]
    events = purge_account_events(utcnow(), keep_days=events_keep_days)
    db.session.commit()
    click.echo(f"Bewaartermijn verlopen voor {len(result.groups)} groep(en): "
               f"{result.observations} observatie(s), {result.invitations} uitnodiging(en) en "
               f"{result.pupil_codes} leerlingcode(s) verwijderd.")
    click.echo(f"{mails} verstuurde e-mail(s) ouder dan {keep_days} dagen verwijderd.")
    click.echo(f"{accounts} oude sessie(s), link(s) en inlogtelling(en) verwijderd.")
    if events_keep_days > 0:
        click.echo(f"{events} accountgebeurtenis(sen) ouder dan {events_keep_days} dagen "
                   "verwijderd.")


@click.group("observations")
def observations_group() -> None:
    """Observations by culture professionals: encryption keys."""


@observations_group.command("rotate-key")
@with_appcontext
def rotate_key_command() -> None:
    """Re-encrypt all observation text and TOTP secrets with the newest key of
    MATCHER_PUPIL_DATA_KEY."""
    from matcher.accounts.second_factor import rotate_secrets

    try:
        rewritten = services.rotate_pupil_data_key()
        secrets = rotate_secrets()
    except RuntimeError as error:  # a row no configured key opens: write nothing
        db.session.rollback()
        click.echo(f"Niets opnieuw versleuteld: {error}. Zet de oude sleutel terug in "
                   "MATCHER_PUPIL_DATA_KEY.", err=True)
        raise SystemExit(1) from error
    db.session.commit()
    click.echo(f"{rewritten} versleutelde tekst(en) en {secrets} sleutel(s) voor de tweede "
               "stap opnieuw versleuteld met de nieuwste sleutel. "
               "Oudere sleutels kunnen nu uit MATCHER_PUPIL_DATA_KEY worden verwijderd.")
