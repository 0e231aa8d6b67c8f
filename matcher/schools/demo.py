"""Demo data for the school side: OBS Oostpoort with groups, budgets, a scan, a request with a
proposal, and bookings in every stage, so every school page shows something."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from matcher.accounts.models import Organisation, User
from matcher.db import db
from matcher.schools import queries, services
from matcher.schools.models import BookingStatus, FundingStream, StreamKind
from providers import services as provider_services
from providers.models import Activity, ActivityDate, ActivityStatus, Provider

SCHOOL = "OBS Oostpoort"

# The providers and activities the demo books, as in the shared sample offers; created only
# when the catalogue does not hold them yet.
PROVIDERS = {
    "jeugdtheater-ij": {
        "name": "Jeugdtheater aan het IJ", "kind": "jeugdtheater", "gemeente": "Amsterdam",
        "serves": ["Amsterdam", "Zaanstad", "Amstelveen"],
        "email": "educatie@ij.demo.cultuurmatch.nl"},
    "sanne-dans": {
        "name": "Sanne Dansdocent", "kind": "kunstvakdocent", "gemeente": "Amsterdam",
        "serves": ["Amsterdam"], "email": "sanne@dans.demo.cultuurmatch.nl"},
}
ACTIVITIES = {
    "ij-decor-bouwen": {
        "provider": "jeugdtheater-ij", "title": "Decor en licht",
        "description": "Leerlingen leren hoe een theaterdecor wordt ontworpen en gebouwd en "
                       "hoe het licht wordt ingesteld.",
        "disciplines": ["theater", "beeldend"], "format": "workshop",
        "audience": [{"sector": "po", "grades": [5, 6, 7, 8]}],
        "group_min": 10, "group_max": 30, "sessions": 1, "minutes_per_session": 120,
        "periods": ["schooltijd"], "location": "op-locatie",
        "price_amount": Decimal("9.00"), "price_per": "leerling",
        "interventions": ["cultuureducatie"], "competences": []},
    "ij-vakantietheater": {
        "provider": "jeugdtheater-ij", "title": "Vakantietheater",
        "description": "In de zomervakantie een week lang theater maken: spelen, schrijven en "
                       "samen een voorstelling opvoeren voor familie.",
        "disciplines": ["theater"], "format": "lessenreeks",
        "audience": [{"sector": "po", "grades": [4, 5, 6, 7, 8]}],
        "group_min": 12, "group_max": 28, "sessions": 5, "minutes_per_session": 180,
        "periods": ["zomervakantie"], "location": "op-locatie",
        "price_amount": Decimal("1300.00"), "price_per": "groep",
        "interventions": [], "competences": ["samenwerken", "zelfvertrouwen"]},
    "sanne-dans-en-durven": {
        "provider": "sanne-dans", "title": "Dansen en durven",
        "description": "Danslessen waarin kinderen leren zich te laten zien, samen te bewegen "
                       "en elkaar complimenten te geven.",
        "disciplines": ["dans"], "format": "lessenreeks",
        "audience": [{"sector": "po", "grades": [3, 4, 5, 6, 7, 8]}],
        "group_min": 8, "group_max": 30, "sessions": 6, "minutes_per_session": 45,
        "periods": ["schooltijd"], "location": "op-school",
        "price_amount": Decimal("85.00"), "price_per": "sessie",
        "interventions": [], "competences": ["zelfvertrouwen", "samenwerken"]},
}


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _provider(key: str, organisations: dict[str, Organisation]) -> Provider:
    provider = db.session.scalar(select(Provider).where(Provider.key == key))
    fields = PROVIDERS[key]
    if provider is None:
        provider = Provider(key=key, approved=True, **fields)
        db.session.add(provider)
    organisation = organisations.get(fields["name"])
    if provider.organisation_id is None and organisation is not None:
        provider.organisation_id = organisation.id
    db.session.flush()
    return provider


def _activity(key: str, providers: dict[str, Provider]) -> Activity:
    activity = db.session.scalar(select(Activity).where(Activity.key == key))
    if activity is None:
        fields = dict(ACTIVITIES[key])
        provider = providers[fields.pop("provider")]
        activity = provider_services.create_activity(provider=provider, fields=fields, by=None,
                                                     status=ActivityStatus.APPROVED, key=key)
    return activity


def load_demo_schools(organisations: dict[str, Organisation]) -> None:
    """Fill OBS Oostpoort's school side; does nothing when it already has budgets."""
    school = organisations[SCHOOL]
    if queries.list_streams(school.id):
        return
    icc = _user("icc@oostpoort.demo.cultuurmatch.nl")
    teacher = _user("leerkracht@oostpoort.demo.cultuurmatch.nl")
    leader = _user("directie@oostpoort.demo.cultuurmatch.nl")
    theatre_staff = _user("educatie@ij.demo.cultuurmatch.nl")
    dance_staff = _user("sanne@dans.demo.cultuurmatch.nl")
    today = date.today()
    year = queries.school_year_of(today)
    year_end = date(int(year[-4:]), 7, 31)

    providers = {key: _provider(key, organisations) for key in PROVIDERS}
    decor, holiday, dance = (_activity(k, providers) for k in ACTIVITIES)
    session = holiday.dates[0] if holiday.dates else None
    if session is None:
        session = ActivityDate(activity=holiday, capacity=25, starts_at=datetime.combine(
            year_end - timedelta(days=14), time(9, 30), tzinfo=UTC))
        db.session.add(session)
        db.session.flush()

    groups = {name: services.create_group(organisation=school, name=name, school_year=year,
                                          grades=grades, pupils=pupils)
              for name, grades, pupils in (("5A", [5], 26), ("6B", [6], 24),
                                           ("7/8", [7, 8], 28))}
    streams: dict[StreamKind, FundingStream] = {}
    for kind, amount, deadline in (
            (StreamKind.NPO, "12000", year_end),
            (StreamKind.CMK, "3500", date(year_end.year, 12, 31)),
            (StreamKind.CJP, "450", today + timedelta(days=40)),
            (StreamKind.GEMEENTE, "2000", year_end),
            (StreamKind.OWN, "1000", year_end)):
        streams[kind] = services.add_funding_stream(
            organisation=school, kind=kind, name=kind.label, amount=Decimal(amount),
            deadline=deadline)

    services.record_scan(
        organisation=school, by=icc, school_year=year, group=groups["5A"],
        delays={"taal": "enige", "rekenen": "geen", "wereldorientatie": "geen",
                "kunst-en-cultuur": "grote", "bewegen": "geen"},
        needs=["samenwerken", "zelfvertrouwen"],
        notes="Uit ZIEN!: weinig samenwerking in de klas na de fusie van twee groepen.")

    request = services.create_request(
        organisation=school, by=icc, title="Zomerschool theater groep 5 en 6",
        interventions=["zomerschool", "cultuureducatie"], groups=[groups["5A"], groups["6B"]],
        pupils=50, grades=[], periods=["zomervakantie"], budget=Decimal("3000"),
        disciplines=["theater", "dans"], competences=["samenwerken"],
        wishes="Toneel en bewegen; de kinderen moeten weer samen leren werken.")
    services.publish_request(request=request, by=icc)
    services.submit_proposal(
        request=request, provider=providers["sanne-dans"], by=dance_staff,
        text="Een zomerdansweek van vijf ochtenden voor beide groepen, met een optreden voor "
             "de ouders op vrijdag.", price=Decimal("1650"),
        dates=[year_end - timedelta(days=10)])

    waiting = services.book(
        organisation=school, by=icc, nonce="demo-decor", stream=streams[StreamKind.NPO],
        on_date=today + timedelta(days=45), seats=26, intervention="cultuureducatie",
        activity=decor, group=groups["5A"]).booking
    services.change_booking_status(booking=waiting, to=BookingStatus.CONFIRMED,
                                   by=theatre_staff)
    services.book(organisation=school, by=icc, nonce="demo-zomer", request=request,
                  stream=streams[StreamKind.CMK], on_date=session.starts_at.date(), seats=24,
                  intervention="zomerschool", activity=holiday,
                  activity_date_id=session.id, group=groups["6B"])
    done = services.book(
        organisation=school, by=teacher, nonce="demo-dans", stream=streams[StreamKind.GEMEENTE],
        on_date=today + timedelta(days=1), seats=28, intervention="cultuureducatie",
        activity=dance, group=groups["7/8"]).booking
    services.change_booking_status(booking=done, to=BookingStatus.CONFIRMED, by=dance_staff)
    services.change_booking_status(booking=done, to=BookingStatus.APPROVED, by=leader)
    services.change_booking_status(booking=done, to=BookingStatus.DONE, by=dance_staff)
    services.change_booking_status(
        booking=done, to=BookingStatus.EVALUATED, by=teacher, stars=4,
        text="De kinderen durfden aan het eind echt te laten zien wat ze maakten.")
    done.on_date = today - timedelta(days=14)  # the demo's history: it took place already

    services.add_programme_item(
        organisation=school, intervention="cultuureducatie",
        title="Wekelijkse tekenles door de eigen vakleerkracht beeldend", staff="kunstvakdocent",
        on_date=None, cost=Decimal("0"), stream=streams[StreamKind.OWN])
    db.session.flush()
