"""School use cases. Keyword-only, they flush and never commit: the view or CLI commits once.

Every status change of a request goes through `change_request_status`, every status change of
a booking through `change_booking_status`: each checks the transition and who may make it, and
records who did it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from matcher import limits
from matcher.accounts.models import Organisation, User
from matcher.accounts.roles import OrganisationKind, Role
from matcher.db import db, utcnow
from matcher.engine.model import LEERLINGEN, TEAM, MatchRequest
from matcher.engine.rules import cost as engine_cost
from matcher.exchange.schema import REQUEST_PARTICIPANTS
from matcher.mail import queue_mail
from matcher.reference.dimensions import load_dimensions
from matcher.reference.menukaart import load_menukaart
from matcher.schools import queries
from matcher.schools.keuzehulp import ARTS, LEARNING_AREAS
from matcher.schools.models import (
    Booking,
    BookingEvent,
    BookingStatus,
    FundingStream,
    Programme,
    ProgrammeItem,
    Proposal,
    ProposalStatus,
    RequestEvent,
    RequestStatus,
    ScanLevel,
    SchoolGroup,
    SchoolRequest,
    SchoolScan,
    SessionSeats,
    StreamKind,
)
from matcher.transitions import TransitionRefused, transition
from matcher.urls import absolute_url
from providers.convert import activity_to_engine
from providers.models import Activity, ActivityDate, Provider

SCHOOL_SIDE = (Role.COORDINATOR, Role.TEACHER, Role.SCHOOL_LEADER, Role.GEMEENTE)
# Who works for the school in the programme, besides external providers.
STAFF_KINDS = {"eigen-personeel": "Eigen personeel", "kunstvakdocent": "Kunstvakdocent in dienst"}


class SchoolError(ValueError):
    """A use case refused; the Dutch message is shown to the user (beside `field`, if any)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class StatusRefused(SchoolError, TransitionRefused):
    """A status change that is not one of the model's transitions (approving a cancelled
    booking, confirming one twice): answered 409 with this Dutch message."""


def _check_bound(bound: limits.Bound, value, field: str) -> None:
    """Every number a school stores within its bound: it must fit its column (SQLite would
    store 10^26 and then fail to read it back on every later page)."""
    problem = bound.problem(value)
    if problem:
        raise SchoolError(problem, field=field)


def _notify(addresses: list[str], subject: str, body: str) -> None:
    for address in dict.fromkeys(a for a in addresses if a):
        queue_mail(to=address, subject=subject, body=body)


def _provider_addresses(provider: Provider) -> list[str]:
    staff = queries.staff_emails(provider.organisation_id, (Role.PROVIDER_STAFF,)) \
        if provider.organisation_id else []
    return staff or ([provider.email] if provider.email else [])


# --- groups, scans ------------------------------------------------------------------------

def create_group(*, organisation: Organisation, name: str, school_year: str, grades: list[int],
                 pupils: int) -> SchoolGroup:
    """Add a group (class) of the school for one school year."""
    name = name.strip()
    if organisation.kind != OrganisationKind.SCHOOL:
        raise SchoolError("Alleen een school heeft groepen.")
    if not name:
        raise SchoolError("Geef de groep een naam.", field="name")
    _check_bound(limits.GROUP_PUPILS, pupils, "pupils")
    exists = db.session.scalar(select(SchoolGroup.id).where(
        SchoolGroup.organisation_id == organisation.id, SchoolGroup.school_year == school_year,
        SchoolGroup.name == name))
    if exists:
        raise SchoolError(f"Groep {name} bestaat al in {school_year}.", field="name")
    group = SchoolGroup(organisation_id=organisation.id, name=name, school_year=school_year,
                        grades=",".join(str(g) for g in sorted(set(grades))), pupils=pupils)
    db.session.add(group)
    db.session.flush()
    return group


def update_group(*, group: SchoolGroup, name: str, grades: list[int],
                 pupils: int) -> SchoolGroup:
    """Correct a group's name, grades or number of pupils (its school year stays)."""
    name = name.strip()
    if not name:
        raise SchoolError("Geef de groep een naam.", field="name")
    _check_bound(limits.GROUP_PUPILS, pupils, "pupils")
    if not grades:
        raise SchoolError("Kies minstens één leerjaar.", field="grades")
    exists = db.session.scalar(select(SchoolGroup.id).where(
        SchoolGroup.organisation_id == group.organisation_id,
        SchoolGroup.school_year == group.school_year, SchoolGroup.name == name,
        SchoolGroup.id != group.id))
    if exists:
        raise SchoolError(f"Groep {name} bestaat al in {group.school_year}.", field="name")
    group.name, group.pupils = name, pupils
    group.grades = ",".join(str(g) for g in sorted(set(grades)))
    db.session.flush()
    return group


def _references(table_name: str, row_id: int) -> int:
    """How many rows of any table point at this row (found from the foreign keys, so a
    table added later counts without this function knowing it)."""
    from matcher.db import Base

    count = 0
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == table_name and key.column.name == "id":
                count += db.session.scalar(select(func.count()).select_from(table)
                                           .where(key.parent == row_id)) or 0
    return count


def remove_group(*, group: SchoolGroup) -> None:
    """Remove a group entered by mistake; one that requests, bookings, scans, pupil codes or
    observations refer to stays (they are records of what happened)."""
    if _references("school_groups", group.id):
        raise SchoolError(f"Groep {group.name} kan niet worden verwijderd: er zijn aanvragen, "
                          "boekingen, scans, leerlingcodes of observaties aan gekoppeld. Pas "
                          "de groep aan in plaats daarvan.")
    db.session.delete(group)
    db.session.flush()


def record_scan(*, organisation: Organisation, by: User, school_year: str,
                delays: dict[str, str], needs: list[str], group: SchoolGroup | None = None,
                grade: int | None = None, notes: str = "") -> SchoolScan:
    """Store what the schoolscan found for one group or one year."""
    if group is None and grade is None:
        raise SchoolError("Kies een groep of een leerjaar.", field="group_id")
    if group is not None and group.organisation_id != organisation.id:
        raise SchoolError("Deze groep hoort niet bij uw school.", field="group_id")
    if ARTS not in delays:
        raise SchoolError("Vul ook de uitkomst voor kunst en cultuur in.", field=ARTS)
    levels = {level.value for level in ScanLevel}
    unknown = [a for a, v in delays.items() if a not in LEARNING_AREAS or v not in levels]
    if unknown:
        raise SchoolError(f"Onbekend leergebied of niveau: {', '.join(unknown)}.")
    known_needs = load_dimensions().keys
    if any(n not in known_needs for n in needs):
        raise SchoolError("Onbekende sociaal-emotionele behoefte.", field="needs")
    scan = SchoolScan(organisation_id=organisation.id, group=group, grade=grade,
                      school_year=school_year, delays=dict(delays), needs=list(needs),
                      notes=notes.strip(), recorded_by_id=by.id)
    db.session.add(scan)
    db.session.flush()
    return scan


# --- budgets ------------------------------------------------------------------------------

def add_funding_stream(*, organisation: Organisation, kind: StreamKind, name: str,
                       amount: Decimal, deadline: date) -> FundingStream:
    """Add a funding stream (NPO, CmK, CJP, gemeente, eigen middelen) with its deadline."""
    name = name.strip() or kind.label
    _check_bound(limits.BUDGET, amount, "amount")
    exists = db.session.scalar(select(FundingStream.id).where(
        FundingStream.organisation_id == organisation.id, FundingStream.name == name))
    if exists:
        raise SchoolError(f"Er is al een budget met de naam '{name}'.", field="name")
    stream = FundingStream(organisation_id=organisation.id, kind=kind, name=name,
                           amount=amount, deadline=deadline)
    db.session.add(stream)
    db.session.flush()
    return stream


def update_funding_stream(*, stream: FundingStream, kind: StreamKind, name: str,
                          amount: Decimal, deadline: date) -> FundingStream:
    """Correct a funding stream; its amount never drops below what is already committed
    and spent from it."""
    name = name.strip() or kind.label
    _check_bound(limits.BUDGET, amount, "amount")
    used = queries.stream_used(stream.id)
    if amount < used:
        raise SchoolError(f"Er is al € {used:.2f} vastgelegd of besteed uit dit budget; het "
                          "bedrag kan niet lager zijn.", field="amount")
    exists = db.session.scalar(select(FundingStream.id).where(
        FundingStream.organisation_id == stream.organisation_id, FundingStream.name == name,
        FundingStream.id != stream.id))
    if exists:
        raise SchoolError(f"Er is al een budget met de naam '{name}'.", field="name")
    stream.kind, stream.name, stream.amount, stream.deadline = kind, name, amount, deadline
    db.session.flush()
    return stream


def remove_funding_stream(*, stream: FundingStream) -> bool:
    """Delete a stream nothing is charged to; close one that bookings or programme items are
    charged to (no new bookings, kept with what was spent). True when it was deleted."""
    if _references("funding_streams", stream.id):
        if stream.closed_at is None:
            stream.closed_at = utcnow()
        db.session.flush()
        return False
    db.session.delete(stream)
    db.session.flush()
    return True


# --- requests -----------------------------------------------------------------------------

def check_interventions(keys: list[str]) -> None:
    """Only effective menukaart interventions can be asked for."""
    menukaart = load_menukaart()
    if not keys:
        raise SchoolError("Kies minstens één interventie.", field="interventions")
    for key in keys:
        if key in menukaart.not_effective_keys:
            raise SchoolError("Deze interventie staat niet op de menukaart omdat ze niet "
                              "effectief is gebleken; kies een andere.", field="interventions")
        if key not in menukaart.keys:
            raise SchoolError(f"Onbekende interventie '{key}'.", field="interventions")


def create_request(*, organisation: Organisation, by: User, title: str,
                   interventions: list[str], groups: list[SchoolGroup], pupils: int,
                   grades: list[int], periods: list[str], budget: Decimal | None,
                   date_from: date | None = None, date_to: date | None = None,
                   disciplines: list[str] | None = None, competences: list[str] | None = None,
                   wishes: str = "", participants: str = LEERLINGEN) -> SchoolRequest:
    """Start a request (status concept). A gemeente may pick groups of schools in its region.

    `participants` "team": the school looks for courses for its staff, and `pupils` counts
    the staff taking part.
    """
    check_interventions(interventions)
    if participants not in REQUEST_PARTICIPANTS:
        raise SchoolError("Kies of u zoekt voor leerlingen of voor het team.",
                          field="participants")
    if not title.strip():
        raise SchoolError("Geef de aanvraag een titel.", field="title")
    if pupils < 1:
        raise SchoolError("Vul het aantal deelnemers in." if participants == TEAM
                          else "Vul het aantal leerlingen in.", field="pupils")
    _check_bound(limits.PUPILS, pupils, "pupils")
    if not grades and not groups:
        raise SchoolError("Kies groepen of leerjaren.", field="grades")
    if date_from and date_to and date_to < date_from:
        raise SchoolError("De einddatum ligt vóór de begindatum.", field="date_to")
    _check_bound(limits.BUDGET, budget, "budget")
    if organisation.kind == OrganisationKind.GEMEENTE:
        allowed = {g.id for g in queries.list_region_groups(organisation)}
    else:
        allowed = {g.id for g in queries.list_groups(organisation.id)}
    if any(g.id not in allowed for g in groups):
        raise SchoolError("Een gekozen groep hoort niet bij uw school of regio.",
                          field="group_ids")
    all_grades = set(grades)
    for group in groups:
        all_grades.update(group.grade_list)
    schools = {g.organisation_id: g.organisation for g in groups}
    if organisation.kind == OrganisationKind.SCHOOL:
        schools = {organisation.id: organisation}
    request = SchoolRequest(
        organisation_id=organisation.id, created_by_id=by.id, title=title.strip(),
        interventions=list(interventions), grades=sorted(all_grades), pupils=pupils,
        periods=list(periods), budget=budget, date_from=date_from, date_to=date_to,
        disciplines=list(disciplines or []), competences=list(competences or []),
        wishes=wishes.strip(), participants=participants, status=RequestStatus.DRAFT)
    request.groups = list(groups)
    request.schools = list(schools.values())
    db.session.add(request)
    db.session.flush()
    db.session.add(RequestEvent(request_id=request.id, from_status=None,
                                to_status=RequestStatus.DRAFT, by_id=by.id))
    db.session.flush()
    return request


REQUEST_TRANSITIONS = {
    RequestStatus.DRAFT: {RequestStatus.OPEN, RequestStatus.WITHDRAWN},
    RequestStatus.OPEN: {RequestStatus.ANSWERED, RequestStatus.WITHDRAWN, RequestStatus.CLOSED},
    RequestStatus.ANSWERED: {RequestStatus.ACCEPTED, RequestStatus.WITHDRAWN,
                             RequestStatus.CLOSED},
    RequestStatus.ACCEPTED: {RequestStatus.CLOSED},
    RequestStatus.WITHDRAWN: set(),
    RequestStatus.CLOSED: set(),
}


def change_request_status(*, request: SchoolRequest, to: RequestStatus, by: User) -> None:
    """The one way a request changes status: checks the transition, records who and when."""
    if to not in REQUEST_TRANSITIONS[request.status]:
        raise StatusRefused(f"Een aanvraag met status '{request.status.label}' kan niet naar "
                            f"'{to.label}'.")
    is_provider = by.role == Role.PROVIDER_STAFF
    if is_provider != (to == RequestStatus.ANSWERED):
        raise SchoolError("U mag de status van deze aanvraag niet wijzigen.")
    if not is_provider and by.organisation_id != request.organisation_id:
        raise SchoolError("U mag de status van deze aanvraag niet wijzigen.")
    now = utcnow()
    if to == RequestStatus.OPEN:
        request.published_at = now
    if to == RequestStatus.ANSWERED and request.first_answer_at is None:
        request.first_answer_at = now
    db.session.add(RequestEvent(request_id=request.id, from_status=request.status,
                                to_status=to, by_id=by.id, at=now))
    with transition(request, to):
        request.status = to
    db.session.flush()


def request_count_text(request: SchoolRequest) -> str:
    """'25 leerlingen', or for the team '12 deelnemers van het team'."""
    if request.for_team:
        return f"{request.pupils} deelnemers van het team"
    return f"{request.pupils} leerlingen"


def publish_request(*, request: SchoolRequest, by: User) -> int:
    """Open the request to the providers of its region and mail them; returns how many."""
    change_request_status(request=request, to=RequestStatus.OPEN, by=by)
    providers = db.session.scalars(select(Provider).where(Provider.approved.is_(True))).all()
    serving = [p for p in providers if queries.provider_serves_request(p, request)]
    link = absolute_url("school_offers.request_detail", request_id=request.id)
    for provider in serving:
        _notify(_provider_addresses(provider), f"Nieuwe aanvraag: {request.title}",
                f"Beste {provider.name},\n\n{request.organisation.name} zoekt aanbod voor "
                f"'{request.title}' ({request_count_text(request)}).\nBekijk de aanvraag en doe "
                f"een voorstel op maat:\n{link}\n\nMet vriendelijke groet,\nCultuurmatch")
    return len(serving)


def submit_proposal(*, request: SchoolRequest, provider: Provider, by: User, text: str,
                    price: Decimal, dates: list[date], activity: Activity | None = None
                    ) -> Proposal:
    """A provider answers an open request with a tailored proposal (one per provider)."""
    if request.status not in queries.OPEN_FOR_PROVIDERS:
        raise SchoolError("Deze aanvraag staat niet (meer) open voor voorstellen.")
    if not queries.provider_serves_request(provider, request):
        raise SchoolError("Uw organisatie werkt niet in de gemeente van deze aanvraag.")
    if queries.find_own_proposal(request, provider) is not None:
        raise SchoolError("U heeft al een voorstel gedaan voor deze aanvraag.")
    if not text.strip():
        raise SchoolError("Beschrijf uw voorstel.", field="text")
    _check_bound(limits.PRICE, price, "price")
    if activity is not None and activity.provider_id != provider.id:
        raise SchoolError("Kies een activiteit van uw eigen organisatie.", field="activity_id")
    proposal = Proposal(request=request, provider_id=provider.id, submitted_by_id=by.id,
                        activity=activity, text=text.strip(), price=price,
                        dates=[d.isoformat() for d in sorted(dates)])
    db.session.add(proposal)
    db.session.flush()
    if request.status == RequestStatus.OPEN:
        change_request_status(request=request, to=RequestStatus.ANSWERED, by=by)
    _notify([request.created_by.email], f"Voorstel ontvangen voor: {request.title}",
            f"{provider.name} deed een voorstel voor uw aanvraag '{request.title}' "
            f"(€ {price:.2f}).\nBekijk en accepteer het voorstel:\n"
            f"{absolute_url('schools.request_detail', request_id=request.id)}\n")
    return proposal


def accept_proposal(*, proposal: Proposal, by: User) -> None:
    """The school takes one proposal; the others are declined and the request accepted."""
    request = proposal.request
    change_request_status(request=request, to=RequestStatus.ACCEPTED, by=by)
    now = utcnow()
    for other in request.proposals:
        other.status = (ProposalStatus.ACCEPTED if other.id == proposal.id
                        else ProposalStatus.DECLINED)
        other.decided_at = now
    _notify(_provider_addresses(proposal.provider), f"Voorstel geaccepteerd: {request.title}",
            f"{request.organisation.name} accepteerde uw voorstel voor '{request.title}'. "
            "De school boekt nu een datum; u krijgt dan een bevestigingsverzoek.\n")
    db.session.flush()


def scan_request(*, scan: SchoolScan, organisation: Organisation, intervention: str,
                 participants: str = LEERLINGEN, team_size: int | None = None
                 ) -> MatchRequest:
    """What the keuzehulp asks the matcher for one proposed intervention.

    For the scanned group's pupils (its grades and size; a whole year counts 25), or, with
    `participants` "team", for `team_size` of the school's staff teaching those grades.
    """
    grades = scan.group.grade_list if scan.group else [scan.grade or 1]
    pupils = scan.group.pupils if scan.group else 25
    if participants == TEAM:
        if not team_size or team_size < 1:
            raise SchoolError("Vul het aantal deelnemers in.", field="team_size")
        pupils = team_size
    return MatchRequest(
        key=f"scan-{scan.id}-{intervention}", school_name=organisation.name,
        sector=organisation.sector or "po", gemeente=organisation.gemeente or "",
        interventions=(intervention,), grades=tuple(grades), pupils=pupils,
        competences=tuple(scan.needs), participants=participants)


def engine_request(request: SchoolRequest) -> MatchRequest:
    """The request as the matching engine reads it: the school's sector and gemeente."""
    school = request.schools[0] if request.schools else request.organisation
    return MatchRequest(
        key=f"aanvraag-{request.id}", school_name=request.organisation.name,
        sector=school.sector or "po", gemeente=school.gemeente or "",
        interventions=tuple(request.interventions), grades=tuple(request.grades),
        pupils=request.pupils, periods=tuple(request.periods),
        budget=float(request.budget) if request.budget is not None else None,
        disciplines=tuple(request.disciplines), competences=tuple(request.competences),
        wishes=request.wishes, participants=request.participants)


# --- bookings -----------------------------------------------------------------------------

def activity_price(activity: Activity, pupils: int) -> Decimal:
    """What the activity costs for this many pupils, with the exchange format's formula."""
    return Decimal(str(round(engine_cost(activity_to_engine(activity), pupils), 2)))


def _session_capacity(activity_date_id: int) -> tuple[int, int]:
    """(activity id, capacity) of a dated session."""
    session = db.session.get(ActivityDate, activity_date_id)
    if session is None:
        raise SchoolError("Deze datum bestaat niet (meer).", field="activity_date_id")
    return session.activity_id, session.capacity


def _ensure_counter(activity_date_id: int) -> None:
    """Create the session's seat counter once; an insert that loses a race does nothing."""
    if db.session.get(SessionSeats, activity_date_id) is not None:
        return
    _, capacity = _session_capacity(activity_date_id)
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(SessionSeats).values(
        activity_date_id=activity_date_id, capacity=capacity, seats_taken=0)
        .on_conflict_do_nothing(index_elements=["activity_date_id"]))


def take_seats(*, activity_date_id: int, seats: int) -> None:
    """Reserve seats in a dated session, atomically: never more than its capacity.

    One conditional UPDATE, checked by its rowcount: two transactions can never both take the
    last seats, on PostgreSQL (the row lock of the UPDATE) and SQLite (one writer) alike. When
    it refuses, nothing has changed.
    """
    _ensure_counter(activity_date_id)
    result = db.session.execute(
        update(SessionSeats)
        .where(SessionSeats.activity_date_id == activity_date_id,
               SessionSeats.seats_taken + seats <= SessionSeats.capacity)
        .values(seats_taken=SessionSeats.seats_taken + seats)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        taken = db.session.scalar(select(SessionSeats.seats_taken).where(
            SessionSeats.activity_date_id == activity_date_id))
        _, capacity = _session_capacity(activity_date_id)
        raise SchoolError(f"Er zijn nog maar {capacity - (taken or 0)} plaatsen vrij op deze "
                          "datum.", field="seats")


def change_capacity(*, activity_date: ActivityDate, capacity: int) -> None:
    """A dated session gets `capacity` seats: never fewer than are booked already.

    One conditional UPDATE of the seat counter, like take_seats: a booking that takes the last
    seats at the same moment either comes first (and the new capacity is checked against it)
    or sees the new capacity. When it refuses, nothing has changed.
    """
    _check_bound(limits.CAPACITY, capacity, "capacity")
    _ensure_counter(activity_date.id)
    result = db.session.execute(
        update(SessionSeats)
        .where(SessionSeats.activity_date_id == activity_date.id,
               SessionSeats.seats_taken <= capacity)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        taken = db.session.scalar(select(SessionSeats.seats_taken).where(
            SessionSeats.activity_date_id == activity_date.id)) or 0
        raise SchoolError(f"Er zijn al {taken} plaatsen geboekt op deze datum. Kies minstens "
                          f"{taken} plaatsen, of annuleer eerst boekingen.", field="capacity")
    activity_date.capacity = capacity
    db.session.flush()


def seats_taken(activity_date_id: int) -> int:
    """Seats booked (and not cancelled) in a dated session."""
    return db.session.scalar(select(SessionSeats.seats_taken).where(
        SessionSeats.activity_date_id == activity_date_id)) or 0


def release_seats(*, activity_date_id: int, seats: int) -> None:
    db.session.execute(
        update(SessionSeats).where(SessionSeats.activity_date_id == activity_date_id)
        .values(seats_taken=SessionSeats.seats_taken - seats)
        .execution_options(synchronize_session=False))


class DuplicateSubmit(Exception):
    """The booking form with this nonce was sent twice at once; roll back and show the first."""

    def __init__(self, nonce: str) -> None:
        super().__init__(nonce)
        self.nonce = nonce


@dataclass(frozen=True)
class BookingResult:
    booking: Booking
    created: bool  # False: the same form was sent twice, this is the first booking


def book(*, organisation: Organisation, by: User, nonce: str, stream: FundingStream,
         on_date: date, seats: int, intervention: str, activity: Activity | None = None,
         proposal: Proposal | None = None, activity_date_id: int | None = None,
         group: SchoolGroup | None = None, request: SchoolRequest | None = None,
         for_school: Organisation | None = None) -> BookingResult:
    """Book an activity or an accepted proposal; the same form nonce books only once.

    A second submit of the same form returns the first booking (created=False), or, when both
    arrive at the same moment, raises DuplicateSubmit for the caller to roll back.
    """
    existing = queries.find_booking_by_nonce(nonce)
    if existing is not None:
        if existing.organisation_id != organisation.id:
            raise SchoolError("Dit formulier is al gebruikt. Laad de pagina opnieuw.")
        return BookingResult(existing, created=False)
    if (activity is None) == (proposal is None):
        raise SchoolError("Kies een activiteit of een geaccepteerd voorstel.")
    if stream.organisation_id != organisation.id:
        raise SchoolError("Kies een budget van uw eigen organisatie.", field="funding_stream_id")
    if stream.closed:
        raise SchoolError("Dit budget is gesloten; kies een ander.", field="funding_stream_id")
    _check_bound(limits.SEATS, seats, "seats")
    if on_date < date.today():
        raise SchoolError("Kies een datum in de toekomst.", field="on_date")
    check_interventions([intervention])
    if group is not None and group.organisation_id not in (organisation.id,
                                                           for_school and for_school.id):
        raise SchoolError("Deze groep hoort niet bij de school.", field="group_id")
    if for_school is not None and organisation.kind != OrganisationKind.GEMEENTE:
        raise SchoolError("Alleen een gemeente boekt namens een school.")
    if proposal is not None:
        if proposal.status != ProposalStatus.ACCEPTED or \
                proposal.request.organisation_id != organisation.id:
            raise SchoolError("Alleen een geaccepteerd voorstel van uw eigen aanvraag kan "
                              "worden geboekt.")
        provider_id, title, price = proposal.provider_id, proposal.request.title, proposal.price
        activity = proposal.activity
        request = proposal.request
    else:
        if activity.status != "goedgekeurd" or not activity.provider.approved:
            raise SchoolError("Deze activiteit is niet (meer) te boeken.")
        provider_id, title = activity.provider_id, activity.title
        price = activity_price(activity, seats)
    if request is not None and request.organisation_id != organisation.id:
        raise SchoolError("Deze aanvraag hoort niet bij uw organisatie.")
    if activity_date_id is not None:
        session_activity, _ = _session_capacity(activity_date_id)
        if activity is None or session_activity != activity.id:
            raise SchoolError("Deze datum hoort niet bij de activiteit.",
                              field="activity_date_id")
        take_seats(activity_date_id=activity_date_id, seats=seats)
    booking = Booking(
        nonce=nonce, organisation_id=organisation.id,
        for_school_id=for_school.id if for_school else None, provider_id=provider_id,
        activity=activity, proposal=proposal, request=request,
        activity_date_id=activity_date_id, group=group, intervention=intervention,
        title=title, on_date=on_date, seats=seats, price=price, funding_stream=stream,
        status=BookingStatus.REQUESTED, booked_by_id=by.id)
    db.session.add(booking)
    try:
        db.session.flush()
    except IntegrityError as error:
        # The same form, sent twice at the same moment: the other submit won. The caller
        # rolls back (which also returns the seats taken above) and shows that booking.
        raise DuplicateSubmit(nonce) from error
    db.session.add(BookingEvent(booking_id=booking.id, from_status=None,
                                to_status=BookingStatus.REQUESTED, by_id=by.id))
    provider = db.session.get(Provider, provider_id)
    _notify(_provider_addresses(provider), f"Nieuwe boeking: {title}",
            f"{organisation.name} boekte '{title}' op {on_date:%d-%m-%Y} voor {seats} "
            f"leerlingen (€ {price:.2f}).\nBevestig of weiger de boeking:\n"
            f"{absolute_url('school_offers.booking_detail', booking_id=booking.id)}\n")
    db.session.flush()
    return BookingResult(booking, created=True)


# (from, to) -> who may make the change: "provider" or the school-side roles.
BOOKING_TRANSITIONS: dict[tuple[BookingStatus, BookingStatus], frozenset[str]] = {
    (BookingStatus.REQUESTED, BookingStatus.CONFIRMED): frozenset({"provider"}),
    (BookingStatus.CONFIRMED, BookingStatus.APPROVED): frozenset({Role.SCHOOL_LEADER,
                                                                  Role.GEMEENTE}),
    (BookingStatus.APPROVED, BookingStatus.DONE): frozenset({"provider", *SCHOOL_SIDE}),
    (BookingStatus.DONE, BookingStatus.EVALUATED): frozenset({Role.TEACHER, Role.COORDINATOR,
                                                              Role.GEMEENTE}),
    **{(s, BookingStatus.CANCELLED): frozenset({"provider", *SCHOOL_SIDE})
       for s in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.APPROVED)},
}


def _actor(booking: Booking, user: User) -> str | None:
    """The side the user acts for on this booking: 'provider', a school role, or None."""
    if user.role == Role.PROVIDER_STAFF:
        return "provider" if booking.provider.organisation_id == user.organisation_id else None
    if user.organisation_id == booking.organisation_id and user.role in SCHOOL_SIDE:
        return user.role
    return None


def allowed_transitions(booking: Booking, user: User) -> list[BookingStatus]:
    actor = _actor(booking, user)
    return [to for (frm, to), who in BOOKING_TRANSITIONS.items()
            if frm == booking.status and actor in who]


def change_booking_status(*, booking: Booking, to: BookingStatus, by: User, reason: str = "",
                          stars: int | None = None, text: str = "") -> None:
    """The one way a booking changes status: checks the transition and who may make it,
    checks the budget on approval, releases seats on cancellation, records who and when,
    and mails whoever has to act next."""
    # Lock the booking and read its status afresh: of two people acting on it at the same
    # moment (a provider cancelling while the school leader approves), the second sees what
    # the first did, and only a transition from that status is allowed.
    db.session.refresh(booking, with_for_update=True)
    who = BOOKING_TRANSITIONS.get((booking.status, to))
    if who is None:
        raise StatusRefused(f"Een boeking met status '{booking.status.label}' kan niet naar "
                            f"'{to.label}'.")
    if _actor(booking, by) not in who:
        raise SchoolError("U mag deze stap niet zetten.")
    if to == BookingStatus.CANCELLED:
        if not reason.strip():
            raise SchoolError("Geef een reden voor de annulering.", field="reason")
        if booking.activity_date_id is not None:
            release_seats(activity_date_id=booking.activity_date_id, seats=booking.seats)
        booking.cancel_reason = reason.strip()
    if to == BookingStatus.APPROVED:
        _check_budget(booking)
    if to == BookingStatus.EVALUATED:
        if stars is None or not 1 <= stars <= 5:
            raise SchoolError("Geef 1 tot en met 5 sterren.", field="stars")
        if not text.strip():
            raise SchoolError("Schrijf kort hoe het ging.", field="text")
        booking.evaluation_stars, booking.evaluation_text = stars, text.strip()
    db.session.add(BookingEvent(booking_id=booking.id, from_status=booking.status, to_status=to,
                                by_id=by.id, note=reason.strip()))
    with transition(booking, to):
        booking.status = to
    db.session.flush()
    _mail_next_step(booking, by)


def _check_budget(booking: Booking) -> None:
    """Approve only what the funding stream can still pay (locked, so two approvals at once
    cannot both spend the last euros)."""
    stream = db.session.scalar(select(FundingStream).where(
        FundingStream.id == booking.funding_stream_id).with_for_update())
    summary = queries.stream_summary(stream, date.today())
    if booking.price > summary.left:
        raise SchoolError(f"Onvoldoende budget in '{stream.name}': nog € {summary.left:.2f} "
                          f"beschikbaar, de boeking kost € {booking.price:.2f}.")
    if stream.deadline < booking.on_date:
        raise SchoolError(f"'{stream.name}' moet vóór {stream.deadline:%d-%m-%Y} besteed zijn; "
                          "kies een ander budget of een eerdere datum.")


def _mail_next_step(booking: Booking, by: User) -> None:
    school_link = absolute_url("schools.booking_detail", booking_id=booking.id)
    provider_link = absolute_url("school_offers.booking_detail", booking_id=booking.id)
    when = f"{booking.on_date:%d-%m-%Y}"
    if booking.status == BookingStatus.CONFIRMED:
        leaders = queries.staff_emails(booking.organisation_id,
                                       (Role.SCHOOL_LEADER, Role.GEMEENTE))
        _notify(leaders, f"Goedkeuring gevraagd: {booking.title}",
                f"{booking.provider.name} bevestigde '{booking.title}' op {when} "
                f"(€ {booking.price:.2f}, ten laste van {booking.funding_stream.name}).\n"
                f"Keur de boeking goed of af:\n{school_link}\n")
    elif booking.status == BookingStatus.APPROVED:
        _notify(_provider_addresses(booking.provider), f"Boeking definitief: {booking.title}",
                f"De school keurde '{booking.title}' op {when} goed. Tot dan!\n{provider_link}\n")
    elif booking.status == BookingStatus.DONE:
        _notify([booking.booked_by.email], f"Hoe ging het? {booking.title}",
                f"'{booking.title}' is uitgevoerd. Geef in twee minuten een korte evaluatie; "
                f"de aanbieder leest mee.\n{school_link}\n")
    elif booking.status == BookingStatus.CANCELLED:
        if by.role == Role.PROVIDER_STAFF:
            _notify([booking.booked_by.email], f"Boeking geannuleerd: {booking.title}",
                    f"{booking.provider.name} annuleerde '{booking.title}' op {when}.\n"
                    f"Reden: {booking.cancel_reason}\n{school_link}\n")
        else:
            _notify(_provider_addresses(booking.provider),
                    f"Boeking geannuleerd: {booking.title}",
                    f"{booking.organisation.name} annuleerde '{booking.title}' op {when}.\n"
                    f"Reden: {booking.cancel_reason}\n{provider_link}\n")


# --- the schoolprogramma ------------------------------------------------------------------

def add_programme_item(*, organisation: Organisation, intervention: str, title: str,
                       staff: str, on_date: date | None, cost: Decimal,
                       stream: FundingStream | None) -> ProgrammeItem:
    """Add a part of the programme the school does itself (own staff or kunstvakdocent)."""
    check_interventions([intervention])
    if staff not in STAFF_KINDS:
        raise SchoolError("Kies wie het uitvoert.", field="staff")
    if not title.strip():
        raise SchoolError("Geef een omschrijving.", field="title")
    _check_bound(limits.COST, cost, "cost")
    if stream is not None and stream.organisation_id != organisation.id:
        raise SchoolError("Kies een budget van uw eigen organisatie.", field="funding_stream_id")
    if stream is not None and stream.closed:
        raise SchoolError("Dit budget is gesloten; kies een ander.", field="funding_stream_id")
    item = ProgrammeItem(organisation_id=organisation.id, intervention=intervention,
                         title=title.strip(), staff=staff, on_date=on_date, cost=cost,
                         funding_stream=stream)
    db.session.add(item)
    db.session.flush()
    return item


def remove_programme_item(*, item: ProgrammeItem) -> str:
    """Take a part the school does itself out of the schoolprogramma (added by mistake, or no
    longer planned); returns its title. Bookings leave the programme by being cancelled, with a
    reason, so the provider hears of it: they are not removed here."""
    title = item.title
    db.session.delete(item)
    db.session.flush()
    return title


def set_mr_agreement(*, organisation: Organisation, school_year: str,
                     agreed_on: date | None) -> Programme:
    """Record the date the medezeggenschapsraad agreed to the schoolprogramma."""
    if agreed_on is not None and agreed_on > date.today():
        raise SchoolError("De datum van instemming kan niet in de toekomst liggen.",
                          field="mr_agreed_on")
    programme = queries.find_programme(organisation.id, school_year)
    if programme is None:
        programme = Programme(organisation_id=organisation.id, school_year=school_year)
        db.session.add(programme)
    programme.mr_agreed_on = agreed_on
    db.session.flush()
    return programme
