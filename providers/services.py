"""Provider and activity use cases. They flush, never commit: the caller commits once.

Every status change of an activity goes through `change_status`, which checks the transition
against TRANSITIONS for the kind of actor and writes one ActivityStatusChange row. Activities
written in bulk (an import) are logged by `log_status_changes` or `log_status_change_for`:
the same check (`check_transition`), the same columns (`status_fields`, one log row per move),
written in one statement.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, insert, literal, select

from matcher import limits
from matcher.accounts import services as accounts
from matcher.accounts.models import User
from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db, utcnow
from matcher.engine.links import assess
from matcher.engine.model import PARTICIPANTS, Inference
from matcher.engine.score import INFERRED
from matcher.reference.menukaart import load_menukaart
from providers import participants, queries
from providers.convert import fields_to_engine
from providers.models import (
    REJECTION_REASONS,
    Activity,
    ActivityDate,
    ActivityStatus,
    ActivityStatusChange,
    Provider,
)

S = ActivityStatus

# The fields of an activity a school sees; changing one of them after approval needs review.
PUBLIC_FIELDS = (
    "title", "description", "disciplines", "format", "audience", "group_min", "group_max",
    "sessions", "minutes_per_session", "periods", "location", "price_amount", "price_per",
    "interventions", "competences", "participants",
)

OWNER, REVIEWER = "aanbieder", "beoordelaar"
# (from, to) -> who may make it. None as `from` is a new activity getting its first status.
_OWNER_MOVES = {
    (None, S.DRAFT), (None, S.SUBMITTED),
    (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.DRAFT),
    (S.REJECTED, S.SUBMITTED), (S.REJECTED, S.DRAFT),
    (S.APPROVED, S.SUBMITTED),
    (S.ARCHIVED, S.DRAFT), (S.ARCHIVED, S.SUBMITTED),
    (S.DRAFT, S.ARCHIVED), (S.SUBMITTED, S.ARCHIVED), (S.APPROVED, S.ARCHIVED),
    (S.REJECTED, S.ARCHIVED),
}
_REVIEWER_MOVES = {
    (None, S.APPROVED), (S.SUBMITTED, S.APPROVED), (S.SUBMITTED, S.REJECTED),
    (S.APPROVED, S.REJECTED),
    # Imports by a curator or an operator approve what they bring in at once.
    (S.DRAFT, S.APPROVED), (S.REJECTED, S.APPROVED), (S.ARCHIVED, S.APPROVED),
}
TRANSITIONS: dict[str, frozenset] = {
    OWNER: frozenset(_OWNER_MOVES),
    REVIEWER: frozenset(_OWNER_MOVES | _REVIEWER_MOVES),
}


class ProviderError(ValueError):
    """A use case refused; the message is Dutch and shown beside `field` when given."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def actor_kind(by: User | None) -> str | None:
    """OWNER, REVIEWER or None (may not change statuses). None as user: the command line."""
    if by is None or by.role in (Role.CURATOR, Role.ADMINISTRATOR):
        return REVIEWER
    if by.role == Role.PROVIDER_STAFF:
        return OWNER
    return None


def transition_allowed(current: ActivityStatus | None, to: ActivityStatus,
                       by: User | None) -> bool:
    kind = actor_kind(by)
    return kind is not None and (current, to) in TRANSITIONS[kind]


def check_transition(current: ActivityStatus | None, to: ActivityStatus, by: User | None, *,
                     reason: str | None = None, note: str = "") -> None:
    """Raise ProviderError unless `by` may move an activity from `current` to `to`.

    Rejections need a reason from REJECTION_REASONS ('overig' also needs a note).
    """
    if current == to:
        raise ProviderError(f"Deze activiteit is al '{to.label.lower()}'.")
    if not transition_allowed(current, to, by):
        start = current.label.lower() if current else "nieuw"
        raise ProviderError(f"Van '{start}' naar '{to.label.lower()}' is niet toegestaan.")
    if to == S.REJECTED:
        if reason not in REJECTION_REASONS:
            raise ProviderError("Kies een reden voor de afwijzing.", field="reason")
        if reason == "overig" and not note.strip():
            raise ProviderError("Licht de reden 'anders' toe.", field="note")


def status_fields(to: ActivityStatus, by: User | None, *, at: datetime,
                  reason: str | None = None, note: str = "") -> dict[str, Any]:
    """The columns of an activity that moving it to `to` sets.

    Approving or rejecting stores the reviewer and the time on the activity as well.
    """
    fields: dict[str, Any] = {"status": to}
    if to in (S.APPROVED, S.REJECTED):
        fields.update(reviewed_by_id=by.id if by else None, reviewed_at=at,
                      review_reason=reason if to == S.REJECTED else None,
                      review_note=note.strip() if to == S.REJECTED else "")
    return fields


def _log_values(current: ActivityStatus | None, to: ActivityStatus, by: User | None, *,
                at: datetime, reason: str | None, note: str) -> dict[str, Any]:
    """The columns of the ActivityStatusChange row of one move (activity apart)."""
    return {"from_status": current, "to_status": to, "by_id": by.id if by else None, "at": at,
            "reason": reason, "note": note.strip()}


def change_status(*, activity: Activity, to: ActivityStatus, by: User | None,
                  reason: str | None = None, note: str = "",
                  at: datetime | None = None) -> ActivityStatusChange:
    """Move an activity to `to` if the actor may, and record who, when and why.

    Rejections need a reason from REJECTION_REASONS ('overig' also needs a note). Approving or
    rejecting stores the reviewer and the time on the activity as well.
    """
    current = activity.status
    check_transition(current, to, by, reason=reason, note=note)
    when = at or utcnow()
    for name, value in status_fields(to, by, at=when, reason=reason, note=note).items():
        setattr(activity, name, value)
    change = ActivityStatusChange(activity=activity, **_log_values(
        current, to, by, at=when, reason=reason, note=note))
    db.session.add(change)
    return change


@dataclass(frozen=True, slots=True)
class StatusMove:
    """One status change of an activity written in bulk (by id) rather than as an object."""

    activity_id: int
    current: ActivityStatus | None
    to: ActivityStatus
    note: str = ""
    reason: str | None = None


def log_status_changes(moves: Iterable[StatusMove], *, by: User | None,
                       at: datetime | None = None) -> int:
    """The bulk counterpart of `change_status`, for activity rows written in bulk (an import).

    Every move is checked by the same rules as `change_status` (ProviderError on the first one
    that is not allowed, before anything is written); the log rows are then inserted with one
    executemany. The caller writes `status_fields(...)` into the activity rows itself, in the
    same bulk statement as its other columns. Returns the number of rows logged.
    """
    when = at or utcnow()
    rows = []
    for move in moves:
        check_transition(move.current, move.to, by, reason=move.reason, note=move.note)
        rows.append({"activity_id": move.activity_id, **_log_values(
            move.current, move.to, by, at=when, reason=move.reason, note=move.note)})
    if rows:
        db.session.execute(insert(ActivityStatusChange.__table__), rows)
    return len(rows)


def log_status_change_for(activity_ids: Select, *, current: ActivityStatus | None,
                          to: ActivityStatus, by: User | None, at: datetime | None = None,
                          reason: str | None = None, note: str = "") -> None:
    """`log_status_changes` for one and the same move of many activities, such as the ones an
    import has just created: `activity_ids` selects their ids (one column).

    The move is checked by the rules of `change_status`, then logged with one
    INSERT ... SELECT, so the rows never travel to the database one by one.
    """
    check_transition(current, to, by, reason=reason, note=note)
    values = _log_values(current, to, by, at=at or utcnow(), reason=reason, note=note)
    # A NULL is left to the column: an untyped NULL in a SELECT is text to PostgreSQL.
    values = {name: value for name, value in values.items() if value is not None}
    columns = ActivityStatusChange.__table__.c
    ids = activity_ids.subquery()
    rows = select(ids.c[0], *(literal(value, columns[name].type)
                              for name, value in values.items()))
    db.session.execute(
        insert(ActivityStatusChange.__table__).from_select(["activity_id", *values], rows))


# ----------------------------------------------------------------------------- providers


def slugify(text: str, *, limit: int = 60) -> str:
    """'Jeugdtheater aan het IJ' -> 'jeugdtheater-aan-het-ij' (an exchange-format id)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return slug or "aanbieder"


def _unique_provider_key(name: str) -> str:
    base = slugify(name)
    taken = set(db.session.scalars(select(Provider.key).where(Provider.key.startswith(base))))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@dataclass(frozen=True)
class SignUp:
    """What the public sign-up form asks of a new provider and its first staff member."""

    name: str
    kind: str
    gemeente: str
    serves: list[str]
    email: str
    website: str | None
    contact_name: str
    phone: str
    user_name: str
    user_email: str
    password: str


def register_provider(*, signup: SignUp) -> tuple[Provider, User] | None:
    """Create organisation, provider (not yet approved) and the first provider-staff user.

    The account is confirmed by the link mailed to it. When the login address already has an
    account nothing is made and None comes back; that address gets a mail saying so, and the
    caller answers as it does for a new one, so the form tells nobody who has an account.
    """
    made: list[Provider] = []

    def make_organisation():
        organisation = accounts.create_organisation(
            kind=OrganisationKind.PROVIDER, name=signup.name, gemeente=signup.gemeente)
        provider = Provider(
            key=_unique_provider_key(signup.name), organisation=organisation,
            name=organisation.name, kind=signup.kind, gemeente=signup.gemeente.strip(),
            serves=clean_serves(signup.serves), email=signup.email.strip(),
            website=(signup.website or "").strip() or None,
            contact_name=signup.contact_name.strip(), phone=signup.phone.strip(),
            approved=False)
        db.session.add(provider)
        made.append(provider)
        return organisation

    try:
        user = accounts.sign_up(email=signup.user_email, name=signup.user_name,
                                role=Role.PROVIDER_STAFF, password=signup.password,
                                make_organisation=make_organisation)
    except accounts.AccountError as error:
        field = "user_email" if error.field == "email" else error.field or "name"
        raise ProviderError(str(error), field=field) from error
    if user is None:
        return None
    db.session.flush()
    return made[0], user


def clean_serves(serves: Iterable[str]) -> list[str]:
    """Trimmed, without duplicates; '*' alone when the whole country is meant."""
    names = list(dict.fromkeys(s.strip() for s in serves if s and s.strip()))
    return ["*"] if "*" in names else names


def review_provider(*, provider: Provider, approve: bool, note: str, by: User) -> None:
    """Approve a provider, or reject it with a reason the provider reads."""
    if not approve and not note.strip():
        raise ProviderError("Geef de aanbieder een reden voor de afwijzing.", field="note")
    provider.approved = approve
    provider.review_note = "" if approve else note.strip()
    provider.reviewed_by_id = by.id
    provider.reviewed_at = utcnow()
    db.session.flush()


# ---------------------------------------------------------------------------- activities


@cache
def _intervention_keys() -> frozenset[str]:
    """The menukaart's keys, once: an import checks them for every row."""
    return load_menukaart().keys


# Every number an activity stores, within the bound the forms and the format use.
_FIELD_BOUNDS = (("group_min", limits.GROUP_SIZE), ("group_max", limits.GROUP_SIZE),
                 ("sessions", limits.SESSIONS), ("minutes_per_session", limits.MINUTES),
                 ("price_amount", limits.PRICE))


def check_activity_fields(fields: dict[str, Any]) -> None:
    """The rules on an activity's columns as a whole; ProviderError names the field."""
    for name, bound in _FIELD_BOUNDS:
        problem = bound.problem(fields[name])
        if problem:
            raise ProviderError(problem, field=name)
    if fields["group_min"] > fields["group_max"]:
        raise ProviderError("De minimale groepsgrootte is groter dan de maximale.",
                            field="group_min")
    known = _intervention_keys()
    unknown = [k for k in fields.get("interventions", ()) if k not in known]
    if unknown:
        raise ProviderError(f"Onbekende interventie(s): {', '.join(unknown)}.",
                            field="interventions")
    if not fields["audience"]:
        raise ProviderError("Kies minstens één groep of leerjaar.", field="audience")
    if fields.get("participants") not in (None, *PARTICIPANTS):
        raise ProviderError(f"Onbekende waarde '{fields['participants']}' voor wie er meedoet.",
                            field="participants")


def unique_activity_key(provider: Provider, title: str) -> str:
    base = f"{provider.key}-{slugify(title, limit=40)}"[:90].strip("-")
    taken = queries.activity_keys_like(base)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def new_activity_columns() -> dict[str, Any]:
    """What a new activity starts with besides its fields, key, provider and status."""
    return {"verified_interventions": [], "dropped_interventions": [], "review_note": ""}


def with_participants(fields: dict[str, Any], activity: Activity | None = None, *,
                      keep_curator: bool = False, reading: str | None = None) -> dict[str, Any]:
    """The fields with the participants columns they imply: the given value with its source
    (see `participants.given_columns`) and the reading of the text.

    For an existing activity, fields without "participants" leave the given value alone.
    The text is read again unless the caller knows the `reading` already (an import that
    finds the text unchanged: reading costs about 0.15 ms an activity).
    """
    result = dict(fields)
    if activity is None or "participants" in fields:
        result.update(participants.given_columns(
            fields.get("participants"),
            current=activity.participants if activity else None,
            current_source=activity.participants_source if activity else None,
            keep_curator=keep_curator))
    if reading is None:
        text = {name: fields.get(name, getattr(activity, name, ""))
                for name in ("title", "description")}
        reading = participants.read_text(text).value
    result["participants_read"] = reading
    return result


def create_activity(*, provider: Provider, fields: dict[str, Any], by: User | None,
                    status: ActivityStatus = S.DRAFT, key: str | None = None,
                    flush: bool = True) -> Activity:
    """A new activity of `provider` in `status` (a draft unless a reviewer imports it)."""
    check_activity_fields(fields)
    activity = Activity(key=key or unique_activity_key(provider, fields["title"]),
                        **new_activity_columns(), **with_participants(fields))
    # By id when the provider has one: appending to provider.activities would load it.
    if provider.id is not None:
        activity.provider_id = provider.id
    else:
        activity.provider = provider
    db.session.add(activity)
    change_status(activity=activity, to=status, by=by)
    if flush:
        db.session.flush()
    return activity


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return Decimal(str(old)).quantize(Decimal("0.01")) == \
            Decimal(str(new)).quantize(Decimal("0.01"))
    return old == new


def changed_fields(activity: Activity, fields: dict[str, Any]) -> list[str]:
    return [name for name, value in fields.items()
            if not _same(getattr(activity, name), value)]


def update_activity(*, activity: Activity, fields: dict[str, Any], by: User | None,
                    flush: bool = True) -> list[str]:
    """Apply the fields that differ; returns their names.

    When provider staff change what schools see of an approved activity, it goes back to
    review; a reviewer's change (a curator's or operator's import) keeps it approved.
    """
    check_activity_fields({**_current(activity), **fields})
    columns = with_participants(fields, activity)
    changed = changed_fields(activity, columns)
    for name in changed:
        setattr(activity, name, columns[name])
    note = back_to_review(activity.status, changed, by)
    if note is not None:
        change_status(activity=activity, to=S.SUBMITTED, by=by, note=note)
    if flush:
        db.session.flush()
    return [name for name in changed if name in fields]


def back_to_review(status: ActivityStatus, changed: Iterable[str], by: User | None
                   ) -> str | None:
    """The log note when this change sends an approved activity back to review, else None.

    That is when provider staff change what schools see of it; a reviewer's change keeps it
    approved.
    """
    public = [name for name in changed if name in PUBLIC_FIELDS]
    if public and status == S.APPROVED and actor_kind(by) == OWNER:
        return "Gewijzigd na goedkeuring: " + ", ".join(public)
    return None


def _current(activity: Activity) -> dict[str, Any]:
    return {name: getattr(activity, name) for name in PUBLIC_FIELDS}


def edit_activity(*, activity: Activity, fields: dict[str, Any], by: User) -> list[str]:
    """The provider's own edit through the form."""
    if activity.status == S.ARCHIVED:
        raise ProviderError("Een gearchiveerde activiteit kunt u niet wijzigen. "
                            "Zet haar eerst terug als concept.")
    return update_activity(activity=activity, fields=fields, by=by)


def duplicate_activity(*, activity: Activity, by: User) -> Activity:
    """A draft copy with a new id, to start a similar activity from."""
    fields = _current(activity)
    fields["title"] = f"{activity.title} (kopie)"[:200]
    fields["audience"] = [dict(a) for a in activity.audience]
    return create_activity(provider=activity.provider, fields=fields, by=by)


def set_intervention_verdicts(*, activity: Activity, verified: Iterable[str],
                              dropped: Iterable[str]) -> None:
    """The curator's verdict per intervention link: confirmed, dropped, or no verdict."""
    known = load_menukaart().keys
    verified_keys = sorted({k for k in verified if k in known})
    dropped_keys = sorted({k for k in dropped if k in known} - set(verified_keys))
    activity.verified_interventions = verified_keys
    activity.dropped_interventions = dropped_keys
    db.session.flush()


def decide_link(*, activity: Activity, key: str, verify: bool) -> None:
    """A curator's verdict on one intervention link (confirm it, or drop it), the verdicts on
    the other links kept: the one click of the queue of doubtful links."""
    if key not in load_menukaart().keys:
        raise ProviderError(f"Onbekende interventie: {key}.")
    verified = [k for k in activity.verified_interventions or () if k != key]
    dropped = [k for k in activity.dropped_interventions or () if k != key]
    (verified if verify else dropped).append(key)
    set_intervention_verdicts(activity=activity, verified=verified, dropped=dropped)


def decide_participants(*, activity: Activity, value: str, by: User,
                        at: datetime | None = None) -> None:
    """A curator confirms who takes part (the reading of the text) or chooses another value.

    Only a reviewer may decide; the decision is stored with source curator, who made it and
    when. It stands until the provider gives another value.
    """
    if actor_kind(by) != REVIEWER or by is None:
        raise ProviderError("Alleen een curator of beheerder beslist voor wie een activiteit is.")
    if value not in PARTICIPANTS:
        raise ProviderError("Kies leerlingen, het team of leerlingen samen met hun ouders.",
                            field="participants")
    activity.participants = value
    activity.participants_source = participants.CURATOR
    activity.participants_decided_by_id = by.id
    activity.participants_decided_at = at or utcnow()
    db.session.flush()


def approve_many(*, activities: Iterable[Activity], by: User) -> int:
    """Approve every submitted activity among these; returns how many were approved."""
    count = 0
    for activity in activities:
        if activity.status == S.SUBMITTED:
            change_status(activity=activity, to=S.APPROVED, by=by)
            count += 1
    db.session.flush()
    return count


def add_date(*, activity: Activity, starts_at: datetime, capacity: int) -> ActivityDate:
    """A dated session with `capacity` seats, for bookings."""
    problem = limits.CAPACITY.problem(capacity)
    if problem:
        raise ProviderError(problem, field="capacity")
    if starts_at <= utcnow():
        raise ProviderError("Kies een datum in de toekomst.", field="starts_at")
    found = ActivityDate(activity=activity, starts_at=starts_at, capacity=capacity)
    db.session.add(found)
    db.session.flush()
    return found


def remove_date(*, activity_date: ActivityDate) -> None:
    """Remove a dated session (bookings on it keep their own date)."""
    db.session.delete(activity_date)
    db.session.flush()


def suggest_interventions(*, fields: dict[str, Any], provider_key: str = "nieuw"
                          ) -> list[Inference]:
    """The unclaimed interventions the engine would offer the activity for (its judged links
    of kind inferred, so nothing it would then discount), most certain first."""
    known = load_menukaart().keys
    activity = replace(fields_to_engine(fields, provider_key=provider_key),
                       participants=fields.get("participants") or None)
    found = [Inference(key, fit.confidence, fit.triggers)
             for key, fit in assess(activity).fits.items()
             if fit.kind == INFERRED and key in known]
    return sorted(found, key=lambda i: -i.confidence)
