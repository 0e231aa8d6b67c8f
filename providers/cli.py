"""`cultuurmatch import FILE` and `cultuurmatch export FILE`: offers in exchange format v1."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from matcher.db import db
from matcher.exchange import offers_to_document
from matcher.limits import CLI_CAPS, size_text
from providers import queries
from providers.convert import activity_to_engine, provider_to_engine
from providers.importer import ImportIssue, ImportRejected, import_offers, read_offers
from providers.models import ActivityStatus


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--ter-beoordeling", "for_review", is_flag=True,
              help="Leave the activities submitted for a curator instead of approved.")
@with_appcontext
def import_command(file: Path, for_review: bool) -> None:
    """Import providers and activities from FILE (.json, .csv or .xlsx).

    An operator's import: providers are approved and activities approved at once (matchable),
    unless --ter-beoordeling. An invalid file imports nothing, prints every error with its
    place and exits with status 1.
    """
    try:
        if file.stat().st_size > CLI_CAPS.max_bytes:  # refused before it is read into memory
            raise ImportRejected([ImportIssue(file.name, (
                f"Het bestand is groter dan {size_text(CLI_CAPS.max_bytes)}; splits het."))])
        offers = read_offers(file.read_bytes(), file.name, CLI_CAPS)
        status = ActivityStatus.SUBMITTED if for_review else ActivityStatus.APPROVED
        with click.progressbar(length=len(offers.activities), label="Importeren",
                               file=sys.stderr) as bar:
            done = [0]

            def progress(count: int) -> None:
                bar.update(count - done[0])
                done[0] = count

            summary = import_offers(offers=offers, by=None, status=status,
                                    approve_providers=True, progress=progress)
    except ImportRejected as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        for issue in error.issues:
            click.echo(f"  {issue.place}: {issue.message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Geïmporteerd uit {file.name}: {summary.text()}")


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--aanbieder", "provider_key", default=None,
              help="Only this provider's offer (its exchange id).")
@click.option("--alle-statussen", "all_statuses", is_flag=True,
              help="Also drafts, submitted and rejected activities (never archived ones).")
@with_appcontext
def export_command(file: Path, provider_key: str | None, all_statuses: bool) -> None:
    """Write the offers to FILE in exchange format v1 (what schools see, by default)."""
    provider = None
    if provider_key is not None:
        provider = queries.find_provider_by_key(provider_key)
        if provider is None:
            click.echo(f"Aanbieder '{provider_key}' bestaat niet.", err=True)
            sys.exit(1)
    providers, activities = queries.offers_for_export(None, provider=provider,
                                                      all_statuses=all_statuses)
    keys = {p.id: p.key for p in providers}
    document = offers_to_document([provider_to_engine(p) for p in providers],
                                  [activity_to_engine(a, keys[a.provider_id])
                                   for a in activities])
    file.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"{len(activities)} activiteiten van {len(providers)} aanbieders geschreven "
               f"naar {file}.")
