"""Import of offers (exchange JSON, or a CSV/XLSX spreadsheet with the same columns).

All or nothing: the whole file is validated before anything is written, the rows are written
in batches inside the caller's one transaction, and any problem found while writing (an id
that belongs to another provider) is collected and raised at the end, so the caller rolls the
whole import back (once one is found, the rest of the file is only checked, not written).
Importing the same file twice changes nothing: rows are upserted by id and only fields that
differ are written.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import Row, insert, select, update

from matcher.accounts.models import User
from matcher.accounts.roles import Role
from matcher.db import db, utcnow
from matcher.engine.model import Activity as EngineActivity
from matcher.engine.model import Provider as EngineProvider
from matcher.exchange import ExchangeError, load_json_text, parse_offers, to_engine_offers
from matcher.exchange.schema import OffersDocument
from matcher.limits import (
    DEFAULT_CAPS,
    MAX_REPORTED_ISSUES,
    ImportCaps,
    dutch_number,
    size_text,
)
from providers import queries, services
from providers.convert import activity_fields, provider_fields
from providers.models import Activity, ActivityStatus, Provider
from providers.spreadsheet import (
    ACTIVITY_SHEET,
    PROVIDER_SHEET,
    Sheet,
    SpreadsheetError,
    read_spreadsheet,
)

BATCH_SIZE = 1000
FORMATS = (".json", ".csv", ".xlsx")


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """Where (a JSON path, or sheet, row and column) and what, in Dutch."""

    place: str
    message: str
    # The JSON path the place was made from (a spreadsheet's place names sheet, row, column).
    path: str = field(default="", compare=False)

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


def read_offers(content: bytes, filename: str, caps: ImportCaps = DEFAULT_CAPS) -> Offers:
    """Parse and validate a file by its extension; ImportRejected lists every problem.

    `caps` bound the file's size and its number of rows (smaller for a provider a curator
    has not approved yet); both are checked before the rows are validated.
    """
    if len(content) > caps.max_bytes:
        raise ImportRejected([ImportIssue(filename or "bestand", (
            f"Het bestand is {size_text(len(content))}; het maximum is "
            f"{size_text(caps.max_bytes)}."))])
    with _cyclic_gc_paused():
        return _read_offers(content, filename, caps)


def _read_offers(content: bytes, filename: str, caps: ImportCaps) -> Offers:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FORMATS:
        raise ImportRejected([ImportIssue(filename or "bestand",
                                          "Kies een bestand van het soort .json, .csv of .xlsx.")])
    if suffix == ".json":
        data = _json_document(content, caps)
        _check_rows(data, caps, _place_json)
        return validate(data)
    try:
        sheet = read_spreadsheet(content, suffix, max_rows=caps.max_rows)
    except SpreadsheetError as error:
        raise ImportRejected([ImportIssue(p, m) for p, m in error.issues]) from error
    _check_rows(sheet.data, caps, lambda kind: ACTIVITY_SHEET if kind == "activities"
                else PROVIDER_SHEET)
    return _validate_sheet(sheet)


def _json_document(content: bytes, caps: ImportCaps) -> object:
    try:
        # Rows are counted before parsing: a file of 50,000 tiny activities is refused
        # before it becomes 50,000 dictionaries.
        return load_json_text(content.decode("utf-8-sig"), max_rows=2 * caps.max_rows)
    except UnicodeDecodeError as error:
        raise ImportRejected([ImportIssue("$", "Het bestand is geen UTF-8-tekst.")]) \
            from error
    except ExchangeError as error:
        raise ImportRejected([ImportIssue(i.path, i.message) for i in error.errors]) \
            from error


def _check_rows(data: object, caps: ImportCaps, place: Callable[[str], str]) -> None:
    """Too many activities or providers in one file: refused before they are validated."""
    if not isinstance(data, dict):
        return
    issues = [ImportIssue(place(kind if place is not _place_json else f"$.{kind}"),
                          f"Het bestand heeft {dutch_number(len(rows))} rijen; het maximum "
                          f"is {dutch_number(caps.max_rows)}. Splits het bestand.")
              for kind in ("activities", "providers")
              if isinstance(rows := data.get(kind), list) and len(rows) > caps.max_rows]
    if issues:
        raise ImportRejected(issues)


def _validate_sheet(sheet: Sheet) -> Offers:
    """Every problem of every row: the cells that could not be read, and what the validator
    finds in the rest, in the order of the sheet (row by row, column by column)."""
    unreadable = [ImportIssue(p, m) for p, m in sheet.cell_issues]
    try:
        offers = validate(sheet.data, place=sheet.place)
    except ImportRejected as error:
        found = [i for i in error.issues if not sheet.was_unreadable(i.path)]
        raise ImportRejected(_in_sheet_order(sheet, unreadable + found)) from error
    if unreadable:
        raise ImportRejected(_in_sheet_order(sheet, unreadable))
    return offers


def _in_sheet_order(sheet: Sheet, issues: list[ImportIssue]) -> list[ImportIssue]:
    """Row by row, column by column; at most MAX_REPORTED_ISSUES, then how many more."""
    ordered = sorted(issues, key=lambda issue: sheet.order(issue.place))
    if len(ordered) <= MAX_REPORTED_ISSUES:
        return ordered
    rest = len(ordered) - MAX_REPORTED_ISSUES
    return [*ordered[:MAX_REPORTED_ISSUES],
            ImportIssue("bestand", f"En nog minstens {dutch_number(rest)} fouten in de rijen "
                                    "daarna.")]


def validate(data: object, *, place: Callable[[str], str] = _place_json) -> Offers:
    try:
        document: OffersDocument = parse_offers(data, known_providers=queries.provider_keys())
    except ExchangeError as error:
        raise ImportRejected([ImportIssue(place(i.path), i.message, path=i.path)
                              for i in error.errors]) from error
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

    Activities are written in bulk, per batch: one SELECT of the existing rows by id, one
    executemany INSERT of the new ones and one INSERT ... SELECT of their status log rows
    (`services.log_status_change_for`), a bulk UPDATE by primary key of the changed ones with
    only the columns that differ and one executemany of their log rows
    (`services.log_status_changes`). No Activity objects are made.
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
    writer = _ActivityWriter(provider_ids={key: row.id for key, row in providers.items()},
                             by=by, status=status, place=place, summary=summary)
    done = 0
    with _cyclic_gc_paused():
        for start in range(0, len(offers.activities), batch_size):
            batch = offers.activities[start:start + batch_size]
            writer.batch(batch, start)
            done += len(batch)
            if progress is not None:
                progress(done)
    if writer.issues:
        raise ImportRejected(writer.issues)
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


# What the comparison of an existing activity needs: its id, owner, status and fields.
_EXISTING_COLUMNS = (Activity.id, Activity.key, Activity.provider_id, Activity.status,
                     *(getattr(Activity, name) for name in services.PUBLIC_FIELDS),
                     Activity.participants_source, Activity.participants_read,
                     Activity.participants_decided_by_id, Activity.participants_decided_at)


class _ActivityWriter:
    """Writes batches of activities in bulk; collects the problems it finds on the way."""

    def __init__(self, *, provider_ids: dict[str, int], by: User | None,
                 status: ActivityStatus, place: Callable[[str], str],
                 summary: ImportSummary) -> None:
        self.provider_ids, self.by, self.status = provider_ids, by, status
        self.place, self.summary = place, summary
        self.issues: list[ImportIssue] = []
        # One moment for every row and log row of the import, as one transaction has.
        self.now = utcnow()
        self.new_status = services.status_fields(status, by, at=self.now)

    def batch(self, batch: list[EngineActivity], start: int) -> None:
        found = {row.key: row for row in db.session.execute(
            select(*_EXISTING_COLUMNS).where(Activity.key.in_([a.key for a in batch])))}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        moves: list[services.StatusMove] = []
        for offset, activity in enumerate(batch):
            provider_id = self.provider_ids[activity.provider_key]
            fields = activity_fields(activity)
            row = found.get(activity.key)
            try:
                if row is None:
                    inserts.append(self._new(activity.key, provider_id, fields))
                elif row.provider_id != provider_id:
                    self.issues.append(ImportIssue(
                        self.place(f"$.activities[{start + offset}].id"),
                        f"De id '{activity.key}' is al in gebruik bij een andere aanbieder."))
                else:
                    self._changed(row, fields, updates, moves)
            except services.ProviderError as error:
                self.issues.append(ImportIssue(self.place(f"$.activities[{start + offset}]"),
                                               str(error)))
        self.summary.created += len(inserts)
        self.summary.updated += len(updates)
        self.summary.unchanged += len(batch) - len(inserts) - len(updates)
        if self.issues:  # the import is bound to fail: the rest is only checked, not written
            return
        if inserts:
            # A Core executemany (the ORM's bulk INSERT would only add its own pass over the
            # rows), then the log rows from the new ids, selected by key. No RETURNING: that
            # takes the insertmanyvalues path, several times slower on psycopg than its
            # pipelined executemany.
            db.session.execute(insert(Activity.__table__), inserts)
            services.log_status_change_for(
                select(Activity.id).where(Activity.key.in_([v["key"] for v in inserts])),
                current=None, to=self.status, by=self.by, at=self.now)
        if updates:
            # By primary key; SQLAlchemy brings activities in the session up to date too.
            db.session.execute(update(Activity), updates)
        services.log_status_changes(moves, by=self.by, at=self.now)

    def _new(self, key: str, provider_id: int, fields: dict[str, Any]) -> dict[str, Any]:
        """The columns of a new activity, as `services.create_activity` would set them."""
        services.check_activity_fields(fields)
        services.check_transition(None, self.status, self.by)
        return {"key": key, "provider_id": provider_id, **services.with_participants(fields),
                **services.new_activity_columns(), "reviewed_by_id": None,
                "reviewed_at": None, "review_reason": None, **self.new_status,
                "created_at": self.now, "updated_at": self.now}

    def _changed(self, row: Row, fields: dict[str, Any], updates: list[dict[str, Any]],
                 moves: list[services.StatusMove]) -> None:
        """The update and status moves of an existing activity, as `services.update_activity`
        and a change of status by import would make them; nothing when no field differs.

        A file without participants keeps a curator's decision (see `with_participants`);
        the text is read again only when it changed.
        """
        services.check_activity_fields(fields)
        same_text = (row.title, row.description) == (fields["title"], fields["description"])
        columns = services.with_participants(
            fields, row, keep_curator=True,
            reading=row.participants_read if same_text else None)
        changed = services.changed_fields(row, columns)
        if not changed:
            return
        values: dict[str, Any] = {"id": row.id, **{name: columns[name] for name in changed},
                                  "updated_at": self.now}
        current = row.status
        note = services.back_to_review(current, changed, self.by)
        if note is not None:
            moves.append(self._move(row.id, current, ActivityStatus.SUBMITTED, note, values))
            current = ActivityStatus.SUBMITTED
        if current != self.status and services.transition_allowed(current, self.status,
                                                                  self.by):
            moves.append(self._move(row.id, current, self.status, "Gewijzigd door import",
                                    values))
        updates.append(values)

    def _move(self, activity_id: int, current: ActivityStatus, to: ActivityStatus, note: str,
              values: dict[str, Any]) -> services.StatusMove:
        services.check_transition(current, to, self.by, note=note)
        values.update(services.status_fields(to, self.by, at=self.now, note=note))
        return services.StatusMove(activity_id, current, to, note=note)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while an import makes its many small objects.

    The rows of a large file are tens of thousands of dicts and lists that all live until the
    end: the collector would only walk them again and again (most of the time of a large
    import), and they hold no reference cycles. It runs as usual again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
