"""Import of offers (exchange JSON, or a CSV/XLSX spreadsheet with the same columns).

All or nothing: the whole file is validated before anything is written, the rows are written
in batches inside the caller's one transaction, and any problem found while writing (an id
that belongs to another provider) is collected and raised at the end, so the caller rolls the
whole import back. Importing the same file twice changes nothing: rows are upserted by id and
only fields that differ are written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlalchemy import select

from matcher.accounts.models import User
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.engine.model import Activity as EngineActivity
from matcher.engine.model import Provider as EngineProvider
from matcher.exchange import ExchangeError, load_json_text, parse_offers, to_engine_offers
from matcher.exchange.schema import OffersDocument
from providers import queries, services
from providers.convert import activity_fields, provider_fields
from providers.models import Activity, ActivityStatus, Provider
from providers.spreadsheet import SpreadsheetError, read_spreadsheet

BATCH_SIZE = 1000
FORMATS = (".json", ".csv", ".xlsx")


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """Where (a JSON path, or sheet, row and column) and what, in Dutch."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class ImportRejected(Exception):
    """The file imports nothing; `issues` lists every problem found."""

    def __init__(self, issues: Sequence[ImportIssue]) -> None:
        self.issues = list(issues)
        count = len(self.issues)
        super().__init__(f"Het bestand is niet geïmporteerd: {count} "
                         f"{'fout' if count == 1 else 'fouten'} gevonden.")


@dataclass
class ImportSummary:
    providers_created: int = 0
    providers_updated: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    keys: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def text(self) -> str:
        return (f"{self.created} nieuw, {self.updated} gewijzigd, {self.unchanged} ongewijzigd; "
                f"aanbieders: {self.providers_created} nieuw, "
                f"{self.providers_updated} gewijzigd.")


@dataclass(frozen=True)
class Offers:
    """A validated file: engine providers and activities, ready to be written."""

    providers: list[EngineProvider]
    activities: list[EngineActivity]


def _place_json(path: str) -> str:
    return path


def read_offers(content: bytes, filename: str) -> Offers:
    """Parse and validate a file by its extension; ImportRejected lists every problem."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FORMATS:
        raise ImportRejected([ImportIssue(filename or "bestand",
                                          "Kies een bestand van het soort .json, .csv of .xlsx.")])
    place = _place_json
    if suffix == ".json":
        try:
            data = load_json_text(content.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ImportRejected([ImportIssue("$", "Het bestand is geen UTF-8-tekst.")]) \
                from error
        except ExchangeError as error:
            raise ImportRejected([ImportIssue(i.path, i.message) for i in error.errors]) \
                from error
    else:
        try:
            sheet = read_spreadsheet(content, suffix)
        except SpreadsheetError as error:
            raise ImportRejected([ImportIssue(p, m) for p, m in error.issues]) from error
        data, place = sheet.data, sheet.place
    return validate(data, place=place)


def validate(data: object, *, place: Callable[[str], str] = _place_json) -> Offers:
    try:
        document: OffersDocument = parse_offers(data, known_providers=queries.provider_keys())
    except ExchangeError as error:
        raise ImportRejected([ImportIssue(place(i.path), i.message) for i in error.errors]) \
            from error
    providers, activities = to_engine_offers(document)
    return Offers(providers=providers, activities=activities)


def _scope_issues(offers: Offers, by: User | None, existing: dict[str, Provider]
                  ) -> Iterator[ImportIssue]:
    """Provider staff import only their own offer; curators only for their region."""
    if by is None or by.role == Role.ADMINISTRATOR:
        return
    in_file = {p.key: p for p in offers.providers}
    for i, provider in enumerate(offers.providers):
        row = existing.get(provider.key)
        if row is None and by.role == Role.PROVIDER_STAFF:
            yield ImportIssue(f"$.providers[{i}].id",
                              f"Aanbieder '{provider.key}' is niet uw organisatie; u kunt "
                              "alleen het aanbod van uw eigen organisatie importeren.")
        elif row is not None and not queries.can_see_provider(by, row):
            yield ImportIssue(f"$.providers[{i}].id",
                              f"U kunt aanbieder '{provider.key}' niet wijzigen.")
        elif row is None and not queries.serves_region(_as_row(provider),
                                                      queries.curator_region(by)):
            yield ImportIssue(f"$.providers[{i}].serves",
                              f"Aanbieder '{provider.key}' werkt niet in uw regio.")
    for i, activity in enumerate(offers.activities):
        row = existing.get(activity.provider_key)
        if row is not None and not queries.can_see_provider(by, row) \
                and activity.provider_key not in in_file:
            yield ImportIssue(f"$.activities[{i}].provider",
                              f"U kunt geen aanbod van '{activity.provider_key}' importeren.")


def _as_row(provider: EngineProvider) -> Provider:
    return Provider(key=provider.key, gemeente=provider.gemeente, serves=list(provider.serves))


def import_offers(*, offers: Offers, by: User | None, status: ActivityStatus,
                  approve_providers: bool, place: Callable[[str], str] = _place_json,
                  progress: Callable[[int], None] | None = None,
                  batch_size: int = BATCH_SIZE) -> ImportSummary:
    """Upsert providers and activities by id; flushes, never commits.

    `status` is what new and changed activities become (approved for an operator's or a
    curator's import, submitted for provider staff); unchanged activities keep theirs.
    """
    summary = ImportSummary()
    keys = {p.key for p in offers.providers} | {a.provider_key for a in offers.activities}
    existing = {p.key: p for p in db.session.scalars(select(Provider).where(
        Provider.key.in_(keys)))} if keys else {}
    issues = [ImportIssue(place(i.place), i.message)
              for i in _scope_issues(offers, by, existing)]
    if issues:
        raise ImportRejected(issues)
    providers = dict(existing)
    for provider in offers.providers:
        providers[provider.key] = _upsert_provider(provider, providers.get(provider.key),
                                                   approve=approve_providers, summary=summary)
    db.session.flush()
    done = 0
    for start in range(0, len(offers.activities), batch_size):
        batch = offers.activities[start:start + batch_size]
        issues += _import_batch(batch, start, providers, by=by, status=status,
                                place=place, summary=summary)
        db.session.flush()
        done += len(batch)
        if progress is not None:
            progress(done)
    if issues:
        raise ImportRejected(issues)
    return summary


def _upsert_provider(provider: EngineProvider, row: Provider | None, *, approve: bool,
                     summary: ImportSummary) -> Provider:
    fields = provider_fields(provider)
    if row is None:
        row = Provider(key=provider.key, approved=approve, **fields)
        db.session.add(row)
        summary.providers_created += 1
        return row
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, fields[name])
    if approve and not row.approved:
        row.approved = True
        changed.append("approved")
    if changed:
        summary.providers_updated += 1
    return row


def _import_batch(batch: list[EngineActivity], start: int, providers: dict[str, Provider], *,
                  by: User | None, status: ActivityStatus, place: Callable[[str], str],
                  summary: ImportSummary) -> list[ImportIssue]:
    issues = []
    rows = {a.key: a for a in db.session.scalars(
        select(Activity).where(Activity.key.in_([a.key for a in batch])))}
    for offset, activity in enumerate(batch):
        path = f"$.activities[{start + offset}]"
        provider = providers[activity.provider_key]
        fields = activity_fields(activity)
        row = rows.get(activity.key)
        try:
            if row is None:
                services.create_activity(provider=provider, fields=fields, by=by, status=status,
                                         key=activity.key, flush=False)
                summary.created += 1
            elif row.provider_id != provider.id:
                issues.append(ImportIssue(place(f"{path}.id"),
                                          f"De id '{activity.key}' is al in gebruik bij een "
                                          "andere aanbieder."))
            elif services.update_activity(activity=row, fields=fields, by=by, flush=False):
                if row.status != status and services.transition_allowed(row.status, status,
                                                                          by):
                    services.change_status(activity=row, to=status, by=by,
                                           note="Gewijzigd door import")
                summary.updated += 1
            else:
                summary.unchanged += 1
        except services.ProviderError as error:
            issues.append(ImportIssue(place(path), str(error)))
    return issues
